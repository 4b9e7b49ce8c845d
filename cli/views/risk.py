"""Plain-text views of risk-score answers for the terminal, in zh-CN or English (labels from the data)."""

from __future__ import annotations

from typing import Any

from sentencing.i18n import Label, Language
from sentencing.risk import RiskInstrument

__all__ = ["RISK_TEXT", "render_fidelity", "render_risk_answer"]

RISK_TEXT: dict[str, Label] = {
    "surrogate": Label("替代模型已拟合", "Surrogate fitted"),
    "written": Label("已写入", "written to"),
    "fidelity": Label("忠实度（与工具记录的评分相比）", "Fidelity (against the tool's recorded scores)"),
    "in_sample": Label("拟合数据内", "in sample"),
    "cross_validated": Label("交叉验证", "cross-validated"),
    "cross_validated_without_legally_irrelevant": Label(
        "交叉验证（去除法律无关因素）", "cross-validated, without legally irrelevant inputs"
    ),
    "r2": Label("R²", "R²"),
    "mean_absolute_error": Label("平均绝对误差", "mean absolute error"),
    "exact_decile": Label("十分位一致", "same decile"),
    "within_one_decile": Label("相差≤1", "within one"),
    "same_class": Label("等级一致", "same class"),
    "rank_correlation": Label("秩相关", "rank correlation"),
    "baseline": Label(
        "基线：仅用合法公开事实预测两年内再被捕（逻辑回归，交叉验证）",
        "Baseline: lawful public facts alone predicting re-arrest within two years (logistic, cross-validated)",
    ),
    "recorded": Label("工具记录", "recorded by the tool"),
    "model": Label("模型", "model"),
    "baseline_point": Label("本人", "as recorded facts"),
    "target": Label("目标等级", "target class"),
    "fewest": Label("最少改变事实数", "fewest facts changed"),
    "none": Label("无", "none"),
    "tried": Label("已试组合", "combinations tried"),
    "searched": Label("搜索的事实", "facts searched"),
    "flagged": Label("超过阈值或改变等级", "past the threshold or changing the class"),
    "exploratory": Label("探索性（不可争议的因素）", "exploratory (not a disputable fact)"),
}


def _point(body: dict[str, Any], instrument: RiskInstrument, language: Language) -> str:
    label = instrument.scale.class_by_id(body["class"]).label.text(language)
    return f"{body['score']:.2f} → {body['decile']} ({label})"


def render_risk_answer(body: dict[str, Any], instrument: RiskInstrument, language: Language) -> str:
    """A what-if, search or sensitivity result (their JSON forms share ``baseline`` and ``caveat``)."""

    def tr(key: str) -> str:
        return RISK_TEXT[key].text(language)

    lines = [f"{body['case_id']} · {instrument.label.text(language)}"]
    if body.get("caveat"):
        lines.append(f"! {body['caveat'][language]}")
    if body.get("recorded"):
        recorded = body["recorded"]
        label = instrument.scale.class_by_id(recorded["class"]).label.text(language)
        lines.append(f"{tr('recorded')}: {recorded['decile']} ({label})")
    lines.append(f"{tr('model')} ({tr('baseline_point')}): {_point(body['baseline'], instrument, language)}")
    for scenario in body.get("scenarios", []) + body.get("probes", []):
        mark = f"  [{tr('exploratory')}]" if scenario["exploratory"] else ""
        changed = instrument.describe_changes(scenario["changes"], language)
        lines.append(f"  {changed}: {_point(scenario, instrument, language)}  Δ {scenario['delta']:+.2f}{mark}")
    if "flagged" in body:
        lines.append(f"{tr('flagged')}: {', '.join(body['flagged']) or tr('none')}")
    if "answers" in body:
        target = instrument.scale.class_by_id(body["target_class"]).label.text(language)
        lines.append(f"{tr('target')}: {target} · {tr('fewest')}: {body['fewest_changes'] or tr('none')} · "
                     f"{tr('tried')}: {body['combinations_tried']:,}")  # fmt: skip
        lines.append(f"{tr('searched')}: {', '.join(body['searched'])}")
        for answer in body["answers"]:
            lines.append(
                f"  {instrument.describe_changes(answer['changes'], language)}: {_point(answer, instrument, language)}"
            )
        lines += [f"  {note}" for note in body["notes"]]
    return "\n".join(lines)


def render_fidelity(card: dict[str, Any], path: str, language: Language) -> str:
    from explain_tiers.points_table_fit import FIDELITY_MEASURES, format_measure

    def tr(key: str) -> str:
        return RISK_TEXT[key].text(language)

    fidelity, baseline = card["fidelity"], card["baseline"]
    columns = ("in_sample", "cross_validated", "cross_validated_without_legally_irrelevant")
    lines = [
        f"{tr('surrogate')} ({card['data']['rows']:,}; {card['data']['filter']}), {tr('written')} {path}",
        tr("fidelity"),
    ]
    for measure in FIDELITY_MEASURES:
        cells = [f"{tr(column)} {format_measure(measure, fidelity[column][measure])}" for column in columns]
        lines.append(f"  {tr(measure)}: " + " · ".join(cells))
    lines.append(f"{tr('baseline')}: AUC {baseline['baseline_auc_cross_validated']:.3f}; "
                 f"{tr('recorded')}: AUC {baseline['recorded_score_auc']:.3f}")  # fmt: skip
    return "\n".join(lines)
