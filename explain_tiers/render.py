"""Render a computed report as JSON, HTML and PDF/A-3b, in zh-CN or English. Nothing is recomputed here.

- JSON: sorted keys, validated against ``schemas/report.schema.json`` on write and on read.
- HTML: one self-contained file (styles and charts inline).
- PDF: WeasyPrint, ``pdf/a-3b``, with the JSON embedded as the attachment ``report.json``.
Files are written to a temporary name and renamed, so a crash leaves no half-written report.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema

from counterfactuals.search import Target
from explain_tiers import charts
from explain_tiers.attribution import method_label
from explain_tiers.charge_validation import ValidationStatus, charge_names
from explain_tiers.findings import legal_basis_text
from explain_tiers.population import Coverage
from explain_tiers.report import Report
from explain_tiers.tiers import Tier
from sentencing.catalogue import LegalRole, load_catalogue
from sentencing.errors import InputFileError, Rule, SchemaValidationError
from sentencing.excerpts import excerpt, one_line
from sentencing.files import write_all_or_none
from sentencing.guideline import Derivation, StepKind
from sentencing.i18n import Label, Language
from sentencing.practice import PracticeComparison, column_label
from sentencing.untrusted import read_json_file

__all__ = [
    "ZONES",
    "T",
    "derivation_steps",
    "load_report_json",
    "pdf_with_json",
    "render_html",
    "render_pdf",
    "render_template",
    "report_json",
    "validate_report",
    "write_report",
    "write_views",
]

T: dict[str, Label] = {
    "title_standard": Label("算法量刑建议报告（标准版）", "Algorithmic sentencing recommendation: standard report"),
    "title_deep": Label("算法量刑建议报告（深度版）", "Algorithmic sentencing recommendation: deep report"),
    "case": Label("案件", "Case"),
    "model": Label("模型", "Model"),
    "seed": Label("随机种子", "seed"),
    "schema": Label("格式版本", "schema"),
    "recommendation": Label("建议与指导意见对照", "The recommendation beside the guideline"),
    "algorithm": Label("算法建议", "Algorithm"),
    "guideline": Label("指导意见", "Guideline"),
    "gap": Label("差距", "Gap"),
    "months": Label("个月", "months"),
    "judicial_band": Label("法官±20%幅度", "judge's ±20% band"),
    "inside_band": Label("在法官调整幅度内", "inside the judge's band"),
    "outside_band": Label("超出法官调整幅度", "outside the judge's band"),
    "outside_limits": Label("超出法定刑幅度", "outside the statutory limits"),
    "statutory_band": Label("法定刑幅度", "Statutory band"),
    "outcome": Label("刑罚结果", "Outcome"),
    "zones_note": Label(
        "机器区：起点与增量按规则计算；共享区：情节在法定比例幅度内评价；人工区：法官最终权衡。",
        "Machine zone: starting point and increments computed by rule; shared zone: circumstances scored within "
        "their legal ratios; human zone: the judge's final weighing.",
    ),
    "derivation": Label(
        "量刑指导意见四步法推导（法发〔2021〕21号）", "Guideline derivation, four-step method (法发〔2021〕21号)"
    ),
    "step": Label("步骤", "Step"),
    "zone": Label("区域", "Zone"),
    "change": Label("变化", "Change"),
    "running": Label("累计", "Running"),
    "range": Label("幅度", "Range"),
    "source": Label("依据", "Source"),
    "main_factors": Label("影响建议的主要因素", "Main factors behind the recommendation"),
    "factors_note": Label(
        "正值表示该事实使建议刑期较同罪名典型案件延长，负值表示缩短（单位：月）。",
        "Positive: this fact lengthens the term against a typical case of the same charge; negative: shortens it "
        "(months).",
    ),
    "irrelevant_head": Label("法律上无关的因素（本案翻转检验）", "Legally irrelevant factors (flip test on this case)"),
    "share_of_term": Label("占建议刑期", "Share of the term"),
    "irrelevant_law": Label(
        "仅改变该因素，其他事实不变；该因素在法律上不得影响量刑：",
        "Changing only that factor, every other fact held; the law says it must not matter:",
    ),
    "irrelevant_none": Label(
        "逐一改变性别、户籍、职业、地区、民族等法律上无关的因素，算法建议均未达到提示阈值。",
        "Changing each legally irrelevant factor (sex, household registration, occupation, region, ethnicity) alone "
        "does not move the recommendation to the threshold.",
    ),
    "factor": Label("因素", "Factor"),
    "value": Label("本案情况", "This case"),
    "role": Label("法律属性", "Legal role"),
    "effect": Label("影响(月)", "Effect (mo)"),
    "known_error": Label("模型已知误差", "The model's known error"),
    "error_overall": Label("留出数据上的总体误差", "Held-out error overall"),
    "cail": Label("刑期得分", "prison-term score"),
    "held_out_cases": Label("个留出案件", "held-out cases"),
    "group": Label("群体", "Group"),
    "cautions": Label("使用提示", "Cautions"),
    "findings": Label("质证理由", "Grounds for cross-examination"),
    "no_findings": Label("未发现质证理由。", "No ground for challenge was found."),
    "legal_basis": Label("法律依据", "Legal basis"),
    "question": Label("向技术人员发问", "Question for the vendor's technician"),
    "query": Label("可复现的查询", "Reproducing query"),
    "explainers": Label("解释方法对照与稳定性", "Explainers compared, and their stability"),
    "agreement": Label("两种解释方法的一致程度", "Agreement of two explainers"),
    "stabilised": Label("稳定化归因", "Stabilised"),
    "samples": Label("样本数", "Samples"),
    "seeds": Label("种子数", "Seeds"),
    "set_agreement": Label("前5集合一致", "Top-5 set agreement"),
    "order_agreement": Label("前5顺序一致", "Top-5 order agreement"),
    "stabilised_note": Label(
        "稳定化归因：LIME 估计量，采用准蒙特卡洛（Sobol）均衡扰动，多次置乱取平均，并报告标准误。",
        "Stabilised attribution: LIME's estimator on balanced scrambled-Sobol perturbations, averaged over "
        "scrambles, with standard errors reported.",
    ),
    "whatif": Label("争议事实的假设曲线", "What-if curves for the disputed facts"),
    "scenario": Label("情形", "Scenario"),
    "flag": Label("提示", "Flag"),
    "counterfactuals": Label("最少事实改变", "Smallest changes of facts"),
    "changes": Label("改变", "Changes"),
    "irrelevant": Label("法律上无关因素的影响", "Legally irrelevant factors, each changed alone"),
    "change_col": Label("改变", "Change"),
    "similar": Label("相似的过往判决与数据覆盖", "Similar past judgments, and coverage"),
    "distance": Label("距离", "Distance"),
    "actual": Label("实际刑期", "Actual sentence"),
    "facts": Label("主要事实", "Facts"),
    "practice": Label("类案比对：相似已决案件的实际刑期", "Practice: what similar decided cases received"),
    "differs": Label("与本案不同之处", "Differs from this case in"),
    "practice_outside": Label(
        "模型建议超出相似案件实际刑期的10%–90%区间。",
        "The model's recommendation lies outside the 10th–90th percentile of what they received.",
    ),
    "no_similar": Label(
        "无可用的过往判决（模型未附训练数据）。",
        "No past judgments are available (the model came without its training data).",
    ),
    "audit": Label("模型的群体审计", "Group audit of the model"),
    "mean_gap": Label("平均差(月)", "Mean gap (mo)"),
    "relative_gap": Label("典型相对差", "Typical relative gap"),
}
ZONES = {"machine": Label("机器区", "machine"), "shared": Label("共享区", "shared"), "human": Label("人工区", "human"),
         "none": Label("不应影响", "must not weigh")}  # fmt: skip
SEVERITY = {"high": Label("严重", "high"), "medium": Label("中等", "medium"), "low": Label("轻微", "low")}


@lru_cache(maxsize=2)
def _schema(name: str) -> dict[str, Any]:
    text = resources.files("explain_tiers").joinpath(f"schemas/{name}.schema.json").read_text(encoding="utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def validate_report(body: dict[str, Any], source: str = "report", schema: str = "report") -> None:
    """Raise :class:`SchemaValidationError` naming the first path that breaks the schema.

    ``schema``: ``report`` (the sentencing report) or ``risk_report`` (``schemas/<name>.schema.json``).
    """
    validator = jsonschema.Draft202012Validator(_schema(schema))
    errors = sorted(validator.iter_errors(body), key=lambda e: list(e.absolute_path))
    if errors:
        first = errors[0]
        path = "/".join(str(p) for p in first.absolute_path) or "(root)"
        raise SchemaValidationError(source, path, first.message)


def report_json(report: Report) -> bytes:
    """Sorted keys, UTF-8, indented: the same report always gives the same bytes."""
    body = report.to_dict()
    validate_report(body)
    return (json.dumps(body, ensure_ascii=False, sort_keys=True, indent=1, allow_nan=False) + "\n").encode("utf-8")


def load_report_json(path: str | Path) -> dict[str, Any]:
    body = read_json_file(path)
    if not isinstance(body, dict):
        raise InputFileError(one_line(str(path)), Rule.FILE_NOT_OBJECT, "expected a JSON object")
    validate_report(body, one_line(str(path)))
    return body


POPULATIONS = {
    "training data": Label(
        "模型的训练数据（经模型卡摘要核对）", "the model's training data (checked against its card)"
    ),
    "synthetic background (bias-free)": Label(
        "本工具自带的合成参照案件（无偏；并非该模型的训练数据，模型的训练数据未知）",
        "the toolkit's own synthetic reference cases (bias-free; not this model's training data, which is unknown)",
    ),
}
NO_SHAP = Label("（此模型无法做 SHAP：未比较 SHAP）", " (no SHAP for this model: SHAP was not compared)")


def method_text(method: str, language: Language) -> str:
    return method_label(method).text(language)


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def charge_validation_text(report: Report, language: Language) -> str:
    """Whether the card reports the model's held-out error on the case's charge, in one sentence."""
    v = report.charge_validation
    charge = charge_names([v.charge]).text(language)
    if v.status is ValidationStatus.UNKNOWN:
        return Label(f"模型卡未按罪名列出误差：模型是否在{charge}案件上验证过，未知。",
                     f"The model card gives no error by charge: whether the model was validated on {charge} cases "
                     "is unknown.").text(language)  # fmt: skip
    if v.status is ValidationStatus.NOT_VALIDATED:
        tested = charge_names(v.validated_charges).text(language)
        return Label(f"模型从未在{charge}案件上验证过（模型卡只列出：{tested}）：其对本案的回答是外推，不应依赖。",
                     f"The model was never validated on {charge} cases (its card lists {tested} only): its answer "
                     "for this case is an extrapolation and should not be relied on.").text(language)  # fmt: skip
    n = f"{v.held_out_cases}" if v.held_out_cases is not None else ("若干" if language == "zh-CN" else "some")
    mae = (
        (f"，MAE {v.mae_months:.2f} 个月" if language == "zh-CN" else f", MAE {v.mae_months:.2f} months")
        if v.mae_months is not None
        else ""
    )
    return Label(
        f"据模型卡，模型在 {n} 个{charge}留出案件上验证过{mae}。",
        f"Per the model card, the model was validated on {n} held-out {charge} cases{mae}.",
    ).text(language)


def model_facts_text(report: Report, language: Language) -> str:
    """What the model's card says of its held-out error and training data, and nothing the card does not say."""
    zh = language == "zh-CN"
    overall = report.model_card_error.get("overall") if isinstance(report.model_card_error, dict) else None
    overall = overall if isinstance(overall, dict) else {}
    mae, cail, n = _number(overall.get("mae_months")), _number(overall.get("cail2018_score")), overall.get("n")
    parts = []
    if mae is None and cail is None:
        parts.append(
            "模型卡未说明留出数据上的误差（未知）。" if zh else "The model card states no held-out error: unknown."
        )
    else:
        held = f"{n}" if isinstance(n, int) else ("?" if zh else "an unstated number of")
        figures = [f"MAE {mae:.2f} {'个月' if zh else 'months'}" if mae is not None else "",
                   (f"CAIL2018 刑期得分 {cail:.3f}" if zh else f"CAIL2018 prison-term score {cail:.3f}")
                   if cail is not None else ""]  # fmt: skip
        shown = "；".join(f for f in figures if f) if zh else "; ".join(f for f in figures if f)
        parts.append(f"据模型卡，{held} 个留出案件上的误差：{shown}。" if zh else
                     f"Per the model card, the error on {held} held-out cases: {shown}.")  # fmt: skip
    training = report.training_summary
    rows, digest = training.get("rows"), training.get("sha256")
    description = training.get("description")
    bias = training.get("injected_bias") or []
    if rows is None and digest is None and not description:
        parts.append("模型卡未说明训练数据（未知）。" if zh else "The model card says nothing of its training data.")
    else:
        known = []
        if isinstance(rows, int):
            known.append(f"{rows} 件" if zh else f"{rows} rows")
        if isinstance(digest, str):
            known.append(f"sha256 {digest[:16]}…")
        if isinstance(description, str) and description.strip():
            known.append(excerpt(description, 200).strip("'\""))
        parts.append(("据模型卡，训练数据：" if zh else "Per the model card, the training data: ") + "，".join(known)
                     + ("。" if zh else "."))  # fmt: skip
        if training.get("synthetic"):
            parts.append("（即本工具生成的合成判决。）" if zh else "(These are the toolkit's own synthetic judgments.)")
        if bias:
            parts.append(f"模型卡记载的人为注入偏见：{len(bias)} 项。" if zh else
                         f"The card records {len(bias)} deliberately injected bias(es).")  # fmt: skip
    return " ".join(parts)


def _population_text(source: str, language: Language) -> str:
    return POPULATIONS[source].text(language) if source in POPULATIONS else source


def _practice_view(practice: PracticeComparison | None, language: Language) -> dict[str, Any] | None:
    """The comparison with similar decided cases as the template shows it (the corpus named, synthetic or real)."""
    if practice is None:
        return None
    corpus = practice.corpus
    if corpus.get("synthetic"):
        where = Label(
            f"案例库：合成判决 {corpus['judgments']} 件（未配置法院案例库，仅作替代，不代表真实司法实践）",
            f"Corpus: {corpus['judgments']} synthetic judgments (no court corpus configured; a stand-in, "
            "not real practice)",
        )
    else:
        where = Label(
            f"案例库：{corpus['source']}，{corpus['judgments']} 件（sha256 {str(corpus['sha256'])[:16]}…）",
            f"Corpus: {corpus['source']}, {corpus['judgments']} judgments (sha256 {str(corpus['sha256'])[:16]}…)",
        )
    q = dict(practice.quantiles)
    spread = (
        Label(
            f"最相似的 {len(practice.neighbours)} 件实际刑期：10% {q.get('p10', 0):g}、"
            f"中位数 {q.get('median', 0):g}、90% {q.get('p90', 0):g} 个月；"
            f"模型建议 {_m(practice.model_months or 0)} 个月（第 {practice.model_percentile} 百分位），"
            f"指导意见测算 {_m(practice.guideline_months or 0)} 个月（第 {practice.guideline_percentile} 百分位）。",
            f"The {len(practice.neighbours)} most similar received: 10th percentile {q.get('p10', 0):g}, median "
            f"{q.get('median', 0):g}, 90th {q.get('p90', 0):g} months; the model recommends "
            f"{_m(practice.model_months or 0)} (percentile {practice.model_percentile}), the guideline gives "
            f"{_m(practice.guideline_months or 0)} (percentile {practice.guideline_percentile}).",
        )
        if practice.neighbours
        else Label("案例库中没有同罪名的案件。", "The corpus holds no case of this charge.")
    )
    rows = [
        {
            "id": n.judgment_id,
            "distance": f"{n.distance:.2f}",
            "real": _m(n.real_months),
            "differs": "、".join(column_label(c, language) for c in n.differences[:4])
            + ("…" if len(n.differences) > 4 else ""),
        }
        for n in practice.neighbours[:10]
    ]
    return {
        "corpus": where.text(language),
        "spread": spread.text(language),
        "rows": rows,
        "outside": practice.model_outside,
    }


def _coverage_text(coverage: Coverage, language: Language) -> str:
    own = coverage.source == "training data"
    where = (("超出模型学习过的数据范围" if own else "超出本工具参照案件的范围") if coverage.out_of_distribution else
             ("在模型学习过的数据范围内" if own else "在本工具参照案件的范围内"))  # fmt: skip
    cases = "the data the model learned from" if own else "the toolkit's reference cases"
    where_en = f"OUTSIDE {cases}" if coverage.out_of_distribution else f"inside {cases}"
    return Label(
        f"{_population_text(coverage.source, 'zh-CN')}：同罪名 {coverage.charge_rows} 件 · 与第5近案件的距离 "
        f"{coverage.nearest_distance}（其中99%的案件不超过 {coverage.typical_distance_99}）· {where}",
        f"{_population_text(coverage.source, 'en')}: {coverage.charge_rows} cases of this charge · distance to "
        f"the 5th nearest {coverage.nearest_distance} (99% of those cases within {coverage.typical_distance_99}) · "
        f"{where_en}",
    ).text(language)


def _target_text(target: Target, language: Language) -> str:
    zh = language == "zh-CN"
    if target.label.startswith("band "):
        name = target.label.removeprefix("band ")
        return f"风险等级 {name}" if zh else f"risk band {name}"
    if target.low is None and target.high is not None:
        return f"低于 {target.high:g} 个月" if zh else f"below {target.high:g} months"
    return f"{target.low:g}–{target.high:g} 个月之间" if zh else f"between {target.low:g} and {target.high:g} months"


def _accounted_text(report: Report, language: Language) -> str:
    """What the main factors' method accounts for: its weights' total against the distance from its base value (the
    typical case of the charge) to the recommendation."""
    attribution, months = report.attribution, report.examination.recommended_months
    total, share = attribution.accounted(months)
    method = method_text(attribution.method, language)
    if share is None:
        return Label(f"方法：{method}；各因素影响合计 {total:+.1f} 个月。",
                     f"Method: {method}; the effects add up to {total:+.1f} months.").text(language)  # fmt: skip
    return Label(
        f"方法：{method}。各因素影响合计 {total:+.1f} 个月，占建议刑期（{months:.1f} 个月）与基准值（同罪名典型案件，"
        f"{attribution.base_value:.1f} 个月）之差 {months - attribution.base_value:+.1f} 个月的 {share:.0%}"
        + ("。" if abs(share - 1) < 0.05 else "；其余部分此方法未能解释。"),
        f"Method: {method}. The effects add up to {total:+.1f} months, {share:.0%} of the "
        f"{months - attribution.base_value:+.1f} months between the base value (a typical case of the charge, "
        f"{attribution.base_value:.1f} months) and the recommendation ({months:.1f} months)"
        + ("." if abs(share - 1) < 0.05 else "; this method does not account for the rest."),
    ).text(language)


def _irrelevant_view(report: Report, language: Language) -> dict[str, Any]:
    """Every legally irrelevant factor the flip test finds moving the recommendation (rows), and every attribution that
    disagrees with the flip test (notes): both tiers, so that a reader of the standard report is told too."""
    assert report.sensitivity is not None
    catalogue = load_catalogue()
    rows = []
    for f in report.sensitivity.findings:
        spec = catalogue.factor(f.factor)
        rows.append({"factor": spec.label.text(language),
                     "change": f"{spec.value_label(f.before, language)} → {spec.value_label(f.after, language)}",
                     "months": f"{f.model_delta:+.2f}", "share": f"{f.share:.0%}"})  # fmt: skip
    notes = []
    for check in report.attribution_checks:
        for line in check.disagreements:
            label, method = catalogue.factor(line.factor).label, method_label(check.method)
            note = Label(
                f"{method.zh}显示{label.zh}的影响为 {line.attributed_weight:+.2f} 个月，而在本案上翻转该因素应约为 "
                f"{line.expected_weight:+.2f} 个月：解释方法与翻转检验不一致，应以翻转检验为准。",
                f"{method.en} gives {label.en} {line.attributed_weight:+.2f} months where flipping it in this case "
                f"implies about {line.expected_weight:+.2f}: the attribution and the flip test disagree; rely on "
                "the flip test.",
            ).text(language)
            notes.append(note[:1].upper() + note[1:])  # "The stabilised attribution gives …"
    basis = catalogue.factor(report.sensitivity.findings[0].factor).legal_basis if report.sensitivity.findings else ""
    return {"rows": rows, "notes": notes, "basis": legal_basis_text(basis, language) if basis else ""}


def _m(value: float) -> str:
    return f"{value:.1f}"


def derivation_steps(derivation: Derivation, language: Language) -> tuple[list[dict[str, Any]], list[str]]:
    """The guideline's steps as table rows (label, zone, change, running term, range, source number, the step's note:
    the starting point chosen in its range and a drug conversion, the units an increment counted, a share returned)
    and the sources they cite, in order."""
    sources: list[str] = []
    steps = []
    for step in derivation.steps:
        if step.source not in sources:
            sources.append(step.source)
        label = step.label.text(language)
        not_counted = step.kind is StepKind.NOT_COUNTED and step.note is not None
        if not_counted:
            label += f" ({step.note.text(language)})"  # type: ignore[union-attr]
        steps.append(
            {
                "label": label,
                "note": step.note.text(language) if step.note is not None and not not_counted else "",
                "zone": ZONES[step.zone.value].text(language),
                "delta": f"{step.months_delta:+.1f}" if step.months_delta else "",
                "after": _m(step.months_after),
                "range": f"{_m(step.range_after.low)}–{_m(step.range_after.high)}",
                "source_index": sources.index(step.source) + 1,
            }
        )
    return steps, sources


def _view(report: Report, language: Language) -> tuple[dict[str, Any], dict[str, Any] | None, dict[str, str]]:
    catalogue = load_catalogue()
    exam = report.examination
    der = exam.derivation
    text = {k: v.text(language) for k, v in T.items()}
    text["title"] = text["title_deep" if report.tier is Tier.DEEP else "title_standard"]
    steps, sources = derivation_steps(der, language)
    groups: list[dict[str, Any]] = []
    for column in ("household_registration", "sex", "ethnicity", "occupation"):
        spec = catalogue.factor(column)
        by_group = report.model_card_error.get("by_group")
        for value, figures in ((by_group.get(column) if isinstance(by_group, dict) else None) or {}).items():
            mae = _number(figures.get("mae_months")) if isinstance(figures, dict) else None
            if mae is not None and value in spec.values:
                if not groups or groups[-1]["name"] != spec.label.text(language):
                    groups.append({"name": spec.label.text(language), "figures": []})
                groups[-1]["figures"].append(f"{spec.value_label(value, language)} {mae:.2f}")
    roles = {r: catalogue.role_label(r).text(language) for r in LegalRole}
    r = {
        "case_id": exam.case.case_id,
        "charge": catalogue.charge(exam.case.charge).label.both(),
        "description": exam.case.description.text(language) if exam.case.description else "",
        "model_name": exam.model.name,
        "model_sha": (exam.model.sha256 or "-")[:16] + "…",
        "seed": report.seed,
        "schema_version": "1.0",
        "model_months": _m(exam.recommended_months),
        "guideline_months": _m(der.recommended_months),
        "band": f"{_m(der.judicial_band.low)}–{_m(der.judicial_band.high)}",
        "gap": f"{exam.gap_months:+.1f}",
        "inside_band": exam.inside_judicial_band,
        "inside_limits": exam.inside_sentence_limits,
        "statutory": f"{der.sentence_limits.low:g}–{der.sentence_limits.high:g}",
        "outcome": der.outcome.label().text(language),
        "outcome_details": [line.text(language) for line in der.outcome.details()],
        "steps": steps,
        "sources": sources,
        "accounted": _accounted_text(report, language),
        "irrelevant": _irrelevant_view(report, language),
        "factors": [
            {
                "label": f.label.text(language),
                "value": f.value.text(language),
                "role": roles[f.legal_role],
                "role_key": f.legal_role.value,
                "zone": ZONES[f.zone].text(language),
                "weight": f"{f.weight:+.2f}",
            }
            for f in report.main_factors
        ],
        "model_facts": model_facts_text(report, language),
        "charge_validation": charge_validation_text(report, language),
        "charge_unvalidated": report.charge_validation.status is not ValidationStatus.VALIDATED,
        "error_groups": [{"name": g["name"], "figures": " · ".join(g["figures"])} for g in groups],
        "cautions": [c.text(language) for c in report.cautions],
    }
    if report.tier is not Tier.DEEP:
        return r, None, text
    assert report.stability is not None and report.sensitivity is not None and report.coverage is not None
    assert report.audit is not None and report.lime is not None

    def name(factor: str) -> str:
        return catalogue.factor(factor).label.text(language) if catalogue.has_factor(factor) else factor

    def value_text(factor: str, value: Any) -> str:
        return catalogue.factor(factor).value_label(value, language)

    shap_top = report.shap.top(5) if report.shap else ()
    lime_top = report.lime.top(5)
    stab = report.stability.stabilised
    rows = [
        [name(shap_top[i]) if i < len(shap_top) else "—", name(lime_top[i]) if i < len(lime_top) else "—",
         name(stab.top[i]) if i < len(stab.top) else "—"]
        for i in range(5)
    ]  # fmt: skip
    agreement = report.agreement
    search = report.search
    coverage = report.coverage
    d = {
        "findings": [
            {
                "severity": SEVERITY[f.severity.value].text(language),
                "severity_key": f.severity.value,
                "title": f.title.text(language),
                "evidence": f.evidence.text(language),
                "legal_basis": legal_basis_text(f.legal_basis, language),
                "question": f.question.text(language),
                "query": json.dumps(dict(f.query), ensure_ascii=False, sort_keys=True),
            }
            for f in report.findings
        ],
        "agreement": (
            Label(
                f"{method_text(agreement.methods[0], 'zh-CN')} 与 {method_text(agreement.methods[1], 'zh-CN')}："
                f"前{agreement.top_k}名重合 {agreement.overlap} 个，方向一致 {agreement.same_sign_share:.0%}，"
                f"秩相关 {agreement.rank_correlation:.2f}",
                f"{method_text(agreement.methods[0], 'en')} and {method_text(agreement.methods[1], 'en')}: "
                f"top-{agreement.top_k} overlap {agreement.overlap}, same sign {agreement.same_sign_share:.0%}, "
                f"rank correlation {agreement.rank_correlation:.2f}",
            ).text(language)
            + (
                ""
                if report.shap
                else Label(
                    "（此模型无法做 SHAP：未比较 SHAP）", " (no SHAP for this model: SHAP was not compared)"
                ).text(language)
            )
            if agreement
            else "—"
        ),
        "lime_samples": report.lime.samples,
        "top_rows": rows,
        "stability": [
            {
                "samples": s.samples,
                "seeds": s.seeds,
                "set": f"{s.set_agreement:.0%}",
                "order": f"{s.order_agreement:.0%}",
            }
            for s in report.stability.sizes
        ],
        "tied": Label("在前5名边界处无法区分：", "tied at the top-5 boundary: ").text(language)
        + ", ".join(name(f) for f in stab.tied_at_boundary)
        if stab.tied_at_boundary
        else "",
        "disputes": [
            {
                "label": "; ".join(
                    f"{name(c.factor)}: {value_text(c.factor, c.before)} → {value_text(c.factor, c.after)}"
                    for c in s.changes
                ),
                "model": f"{_m(s.model.after)} ({s.model.delta:+.1f})",
                "guideline": f"{_m(s.guideline.after)} ({s.guideline.delta:+.1f})",
                "flag": "!" if s.divergence else "",
            }
            for result in report.disputes
            for s in result.scenarios
        ],
        "search_head": (
            Label(
                f"目标：{_target_text(search.target, 'zh-CN')} · 最少改变 {search.minimal_size} 项"
                f"{'（已证明）' if search.proven_minimal else ''} · 已计算 {search.candidates_evaluated} 个候选",
                f"target: {_target_text(search.target, 'en')} · fewest changes {search.minimal_size}"
                f"{' (proven)' if search.proven_minimal else ''} · {search.candidates_evaluated} candidates evaluated",
            ).text(language)
            if search
            else ""
        ),
        "answers": [
            {
                "changes": "; ".join(
                    f"{name(c.factor)}: {value_text(c.factor, c.before)} → {value_text(c.factor, c.after)}"
                    for c in a.changes
                ),
                "model": _m(a.recommended_months),
                "guideline": _m(a.guideline_months),
            }
            for a in (search.answers if search else ())
        ],
        "probes": [
            {
                "factor": name(p.factor),
                "change": f"{value_text(p.factor, p.before)} → {value_text(p.factor, p.after)}",
                "months": _m(p.model_months),
                "delta": f"{p.model_delta:+.2f}",
                "over": p.exceeds_threshold,
            }
            for p in report.sensitivity.probes
        ],
        "coverage": _coverage_text(coverage, language),
        "training_quality": report.training_quality.summary().text(language) if report.training_quality else "",
        "practice": _practice_view(report.practice, language),
        "similar": [
            {
                "case_id": s.case_id,
                "distance": f"{s.distance:.2f}",
                "sentence": _m(s.sentence_months),
                "guideline": _m(s.guideline_months),
                "facts": "; ".join(f"{name(k)}: {value_text(k, v)}" for k, v in s.facts),
            }
            for s in report.similar
        ],
        "audit_population": _population_text(report.audit.population, language),
        "audit_head": Label(
            f"{_population_text(report.audit.population, 'zh-CN')} · {report.audit.rows} 件 · "
            f"差异阈值 {report.audit.threshold:.0%}",
            f"{_population_text(report.audit.population, 'en')} · {report.audit.rows} cases · "
            f"disparity threshold {report.audit.threshold:.0%}",
        ).text(language),
        "gaps": [
            {
                "factor": name(g.factor),
                "change": f"{value_text(g.factor, g.reference)} → {value_text(g.factor, g.value)}",
                "months": f"{g.mean_gap_months:+.2f}",
                "relative": f"{g.relative_gap if round(g.relative_gap, 3) else 0.0:+.1%}",  # never "-0.0%"
                "disparity": g.disparity,
            }
            for g in report.audit.gaps
        ],
    }
    return r, d, text


def render_html(report: Report, language: Language) -> str:
    r, d, text = _view(report, language)
    labels = {"band": text["judicial_band"], "model": text["algorithm"], "months": text["months"],
              "guideline": text["guideline"]}  # fmt: skip
    pictures = {
        "waterfall": charts.waterfall_chart(
            report.examination.derivation, report.examination.recommended_months, language, labels
        ),
        "attribution": charts.attribution_chart(report.main_factors, language, text["months"]),
        "whatif": charts.whatif_chart(
            report.curves, language, labels, lambda f, v: load_catalogue().factor(f).value_label(v, language)
        )
        if report.curves
        else "",
    }
    return render_template("report.html.j2", r=r, d=d, t=text, charts=pictures, lang=language)


def render_template(name: str, **context: Any) -> str:
    """A report template (``templates/<name>``), given the reports' shared stylesheet as ``css``."""
    import jinja2
    import markupsafe

    folder = resources.files("explain_tiers").joinpath("templates")
    environment = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    template = environment.from_string(folder.joinpath(name).read_text(encoding="utf-8"))
    # the stylesheet is our own file, not data: escaped, its quoted strings (the page numbers' "/") would break it
    css = markupsafe.Markup(folder.joinpath("report.css").read_text(encoding="utf-8"))
    return template.render(css=css, **context)


def render_pdf(report: Report, language: Language, html: str | None = None) -> bytes:
    """PDF/A-3b with the report's JSON embedded as ``report.json``."""
    return pdf_with_json(html or render_html(report, language), report_json(report))


def pdf_with_json(html: str, body: bytes, description: str = "machine-readable report (voirdire schema 1.0)") -> bytes:
    """The one WeasyPrint call: PDF/A-3b of ``html`` with ``body`` attached as ``report.json``."""
    from weasyprint import HTML, Attachment

    attachment = Attachment(string=body.decode("utf-8"), name="report.json", description=description,
                            relationship="Data")  # fmt: skip
    return bytes(HTML(string=html).write_pdf(pdf_variant="pdf/a-3b", attachments=[attachment]))


def write_report(
    report: Report, folder: Path, language: Language, formats: tuple[str, ...] = ("json", "html", "pdf")
) -> list[Path]:
    """``report.json`` (language-free), ``report.<lang>.html`` and ``report.<lang>.pdf`` in ``folder``."""
    return write_views(
        folder, "report", language, formats, lambda: report_json(report), lambda: render_html(report, language),
        lambda html: render_pdf(report, language, html),
    )  # fmt: skip


def write_views(
    folder: Path,
    stem: str,
    language: Language,
    formats: tuple[str, ...],
    body: Callable[[], bytes],
    html: Callable[[], str],
    pdf: Callable[[str], bytes],
) -> list[Path]:
    """``<stem>.json``, ``<stem>.<lang>.html`` and ``<stem>.<lang>.pdf`` (those in ``formats``): all rendered first,
    then written all or none; the HTML is rendered once and the PDF made from it."""
    if folder.exists() and not folder.is_dir():
        raise InputFileError(one_line(str(folder)), Rule.NOT_REGULAR_FILE, "is a file, not a folder for the report")
    files: dict[Path, bytes] = {}
    if "json" in formats:
        files[folder / f"{stem}.json"] = body()
    page = html() if {"html", "pdf"} & set(formats) else ""
    if "html" in formats:
        files[folder / f"{stem}.{language}.html"] = page.encode("utf-8")
    if "pdf" in formats:
        files[folder / f"{stem}.{language}.pdf"] = pdf(page)
    write_all_or_none(files)
    return list(files)
