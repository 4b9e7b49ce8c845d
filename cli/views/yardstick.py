"""Terminal views of an evaluation against real judgments and of a calibration; they format, never compute."""

from __future__ import annotations

from typing import Any

from cli.views.table import months, table
from sentencing.calibration import Calibration
from sentencing.catalogue import load_catalogue
from sentencing.evaluation import ChargeSummary, Evaluation
from sentencing.i18n import Label, Language

__all__ = ["render_calibration", "render_evaluation"]

_TEXT: dict[str, Label] = {
    "title": Label("指导意见与真实判决的比对", "The guideline against real judgments"),
    "charge": Label("罪名", "charge"),
    "n": Label("判决数", "judgments"),
    "band": Label("在法官±20%幅度内", "inside judge's band"),
    "range": Label("在情节幅度内", "inside legal range"),
    "mae": Label("平均绝对误差(月)", "MAE (months)"),
    "cail": Label("CAIL2018得分", "CAIL2018 score"),
    "model_mae": Label("模型平均绝对误差", "model MAE"),
    "model_cail": Label("模型CAIL2018得分", "model CAIL2018"),
    "all": Label("全部", "all"),
    "worst": Label("相差最大的判决", "Judgments furthest from the guideline"),
    "real": Label("实际刑期", "real"),
    "guideline": Label("指导意见", "guideline"),
    "judicial_band": Label("法官幅度", "judge's band"),
    "read": Label("有结构化事实的判决", "judgments with structured facts"),
    "without_facts": Label("无结构化事实而未比对", "without structured facts, not compared"),
    "read_by_reader": Label(
        "其中由读取器从文书读出事实（未经确认）", "of which facts read from the text by the reader (unconfirmed)"
    ),
    "outside_split": Label("不在所选部分", "outside the chosen part of the split"),
    "file": Label("文件", "file"),
    "jurisdiction": Label("辖区表", "jurisdiction table"),
    "model": Label("受质证的算法模型", "model"),
    "calibrated": Label("校准后的辖区表已写入", "Calibrated table written to"),
    "before": Label("校准前", "before"),
    "after": Label("校准后", "after"),
    "held_out": Label("留出判决", "held out"),
    "parameter": Label("参数", "parameter"),
    "bounds": Label("法律允许的范围", "legal bounds"),
    "support": Label("依据判决数", "judgments"),
    "unchanged": Label("其余参数未变", "other values unchanged"),
}


def _t(key: str, language: Language) -> str:
    return _TEXT[key].text(language)


def _charge(charge: str, language: Language) -> str:
    return _t("all", language) if charge == "all" else load_catalogue().charge(charge).label.text(language)


def _share(value: float) -> str:
    return "–" if value != value else f"{value:.0%}"


def _summary_rows(summaries: tuple[ChargeSummary, ...], language: Language, model: bool) -> list[list[str]]:
    keys = ["charge", "n", "band", "range", "mae", "cail"] + (["model_mae", "model_cail"] if model else [])
    rows = [[_t(k, language) for k in keys]]
    for s in summaries:
        row = [_charge(s.charge, language), str(s.judgments), _share(s.inside_band), _share(s.inside_range),
               months(s.mean_absolute_error), f"{s.cail_score:.3f}"]  # fmt: skip
        if model:
            row += [months(s.model_mean_absolute_error) if s.model_mean_absolute_error is not None else "–",
                    f"{s.model_cail_score:.3f}" if s.model_cail_score is not None else "–"]  # fmt: skip
        rows.append(row)
    return rows


def render_evaluation(evaluation: Evaluation, source: Any, language: Language) -> str:
    model = evaluation.model is not None
    lines = [_t("title", language), f"  {_t('file', language)}: {evaluation.source} (sha256 {source.sha256[:16]}…)",
             f"  {_t('jurisdiction', language)}: {evaluation.jurisdiction}"]  # fmt: skip
    if model:
        lines.append(f"  {_t('model', language)}: {evaluation.model}")
    counts = [f"{_t('read', language)} {source.read}"]
    if getattr(source, "read_by_reader", 0):
        counts.append(f"{_t('read_by_reader', language)} {source.read_by_reader}")
    if source.without_facts:
        counts.append(f"{_t('without_facts', language)} {source.without_facts}")
    if source.outside_split:
        counts.append(f"{_t('outside_split', language)} {source.outside_split}")
    lines.append("  " + "; ".join(counts))
    lines += ["", *table(_summary_rows(evaluation.summaries, language, model)), "", _t("worst", language)]
    rows = [["id", _t("charge", language), _t("real", language), _t("guideline", language),
             _t("judicial_band", language)]]  # fmt: skip
    for c in evaluation.worst:
        rows.append([c.judgment_id, _charge(c.charge, language), months(c.real_months), months(c.guideline_months),
                     f"{months(c.judicial_band.low)}–{months(c.judicial_band.high)}"])  # fmt: skip
    lines += table(rows)
    return "\n".join(lines)


def render_calibration(result: Calibration, held_out: tuple[ChargeSummary, ...] | None, out: str,
                       language: Language) -> str:  # fmt: skip
    lines = [f"{_t('calibrated', language)} {out} ({result.judgments} {_t('n', language)})", "",
             _t("before", language), *table(_summary_rows(result.before, language, False)), "",
             _t("after", language), *table(_summary_rows(result.after, language, False))]  # fmt: skip
    if held_out is not None:
        lines += ["", _t("held_out", language), *table(_summary_rows(held_out, language, False))]
    rows = [[_t("parameter", language), _t("before", language), _t("after", language), _t("bounds", language),
             _t("support", language)]]  # fmt: skip
    changed = [v for v in result.values if v.before != v.after]
    for v in changed:
        rows.append([v.parameter, f"{v.before:g}", f"{v.after:g}", f"{v.low:g} … {v.high:g}", str(v.support)])
    lines += ["", *table(rows), f"{_t('unchanged', language)}: {len(result.values) - len(changed)}"]
    return "\n".join(lines)
