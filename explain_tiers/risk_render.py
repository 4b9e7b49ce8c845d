"""Render a computed risk report as JSON, HTML and PDF/A-3b, in zh-CN or English. Nothing is recomputed.

The JSON (sorted keys, ``schema_version``) is what the PDF carries as ``report.json``. Files are
written to a temporary name and renamed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from explain_tiers.points_table_fit import FIDELITY_MEASURES, format_measure
from explain_tiers.render import SEVERITY, pdf_with_json, render_template, validate_report, write_views
from explain_tiers.risk_report import RiskReport
from explain_tiers.score_audit import MIN_GROUP
from sentencing.catalogue import LegalRole
from sentencing.i18n import Label, Language
from sentencing.risk import RecordsLayout

__all__ = ["RISK_REPORT_SCHEMA", "render_risk_html", "render_risk_pdf", "risk_report_json", "write_risk_report"]

RISK_REPORT_SCHEMA = "risk_report"  # explain_tiers/schemas/risk_report.schema.json

T: dict[str, Label] = {
    "title": Label("风险评分质证报告", "Risk score challenge report"),
    "tier_standard": Label("标准报告", "Standard report"),
    "tier_deep": Label("深度报告", "Deep report"),
    "points": Label(
        "本人评分的组成（替代模型的评分表）", "What makes up this person's score (the surrogate's points table)"
    ),
    "intercept": Label("基础分", "Intercept"),
    "applies": Label("适用于本人", "Applies"),
    "points_col": Label("分值", "Points"),
    "total": Label("合计（未取整）", "Total (before rounding)"),
    "cautions": Label("使用风险评分前应注意", "Before relying on a risk score"),
    "case": Label("被评估人", "Person"),
    "instrument": Label("评估工具", "Instrument"),
    "model": Label("回答问题的模型", "Model answering"),
    "schema": Label("格式版本", "schema"),
    "scores": Label("记录的评分与替代模型", "The recorded score beside the surrogate"),
    "recorded": Label("工具记录", "Recorded by the tool"),
    "surrogate": Label("替代模型", "Surrogate"),
    "not_recorded": Label("未记录", "not recorded"),
    "factor": Label("因素", "Factor"),
    "value": Label("本人情况", "This person"),
    "role": Label("法律属性", "Legal role"),
    "fidelity": Label("替代模型的忠实度", "How faithful the surrogate is"),
    "measure": Label("指标", "Measure"),
    "in_sample": Label("拟合数据内", "In sample"),
    "cv": Label("交叉验证", "Cross-validated"),
    "cv_lawful": Label("交叉验证（去除法律无关因素）", "Cross-validated, without legally irrelevant inputs"),
    "r2": Label("R²", "R²"),
    "mae": Label("平均绝对误差（十分位）", "Mean absolute error (deciles)"),
    "exact": Label("十分位完全一致", "Same decile"),
    "within_one": Label("相差不超过1", "Within one decile"),
    "same_class": Label("风险等级一致", "Same class"),
    "rank": Label("秩相关", "Rank correlation"),
    "whatif_priors": Label("假设：前科次数", "What if: prior offences"),
    "whatif_age": Label("假设：年龄", "What if: age"),
    "score": Label("评分", "Score"),
    "decile": Label("十分位", "Decile"),
    "class": Label("等级", "Class"),
    "change": Label("变化", "Change"),
    "fewest": Label("达到最低风险等级的最少事实改变", "Fewest changes of facts to reach the lowest class"),
    "searched": Label(
        "搜索范围（可争议且未经法院认定的事实，完整网格）",
        "Searched (disputable facts the court has not fixed, whole grid)",
    ),
    "no_search": Label("替代模型已给出最低风险等级。", "The surrogate already gives the lowest class."),
    "none_found": Label(
        "在该网格上，不超过两项事实的改变无法达到目标。", "No change of up to two facts reaches it on this grid."
    ),
    "irrelevant": Label("法律上无关因素逐一改变", "Legally irrelevant inputs, each changed alone"),
    "audit": Label(
        "工具记录评分的群体审计（无需模型）", "Audit of the tool's recorded scores by group (no model access)"
    ),
    "filter": Label("筛选（ProPublica 标准）", "Filter (ProPublica's)"),
    "removed": Label("剔除", "removed"),
    "group": Label("群体", "Group"),
    "people": Label("人数", "People"),
    "base_rate": Label("再犯率", "Base rate"),
    "fpr": Label("假阳性率", "FPR"),
    "fnr": Label("假阴性率", "FNR"),
    "ppv": Label("阳性预测值", "PPV"),
    "npv": Label("阴性预测值", "NPV"),
    "auc": Label("AUC", "AUC"),
    "flagged_note": Label(
        "“阳性”指评为中或高风险（十分位5-10），与 ProPublica 的分析相同。",
        "'Flagged' means rated Medium or High (deciles 5-10), as in ProPublica's analysis.",
    ),
    "calibration": Label("按十分位的实际再犯率（校准）", "Observed re-arrest rate by decile (calibration)"),
    "comparison": Label("控制比较（已发表的逻辑回归）", "Controlled comparison (the published logistic regression)"),
    "term": Label("项", "Term"),
    "odds": Label("几率比", "Odds ratio"),
    "baseline": Label("简单基线对结果的预测", "A simple baseline against the outcome"),
    "baseline_auc": Label("基线（逻辑回归，交叉验证）AUC", "Baseline (logistic, cross-validated) AUC"),
    "recorded_auc": Label("工具评分 AUC", "The tool's score AUC"),
    "findings": Label("质证理由", "Grounds for cross-examination"),
    "no_findings": Label("未发现质证理由。", "No ground for challenge was found."),
    "question": Label("向厂商发问", "Question for the vendor"),
    "yes": Label("是", "yes"),
    "no": Label("否", "no"),
    "on_surrogate": Label("（依据替代模型）", "(on the surrogate)"),
    "on_records": Label("（依据工具的记录）", "(on the tool's records)"),
}
MEASURE_KEYS = ("r2", "mae", "exact", "within_one", "same_class", "rank")


def risk_report_json(report: RiskReport) -> bytes:
    """Sorted keys, UTF-8, indented, validated against ``schemas/risk_report.schema.json`` before it is written."""
    body = report.to_dict()
    validate_report(body, "risk report", RISK_REPORT_SCHEMA)
    return (json.dumps(body, ensure_ascii=False, sort_keys=True, indent=1, allow_nan=False) + "\n").encode("utf-8")


def _view(report: RiskReport, language: Language) -> dict[str, Any]:
    instrument, case = report.instrument, report.case

    def factor_name(factor: str) -> str:
        return instrument.factor_label(factor).text(language)

    def value_text(factor: str, value: Any) -> str:
        return instrument.value_label(factor, value).text(language)

    def class_name(class_id: str) -> str:
        return instrument.scale.class_by_id(class_id).label.text(language)

    def curve(body: dict[str, Any], key: str = "scenarios") -> list[dict[str, Any]]:
        rows = [
            {
                "label": T["value"].text(language),
                "score": f"{body['baseline']['score']:.2f}",
                "decile": body["baseline"]["decile"],
                "class": class_name(body["baseline"]["class"]),
                "delta": "",
                "own": True,
            }
        ]
        rows += [
            {
                "label": instrument.describe_changes(s["changes"], language),
                "score": f"{s['score']:.2f}",
                "decile": s["decile"],
                "class": class_name(s["class"]),
                "delta": f"{s['delta']:+.2f}",
                "own": False,
            }
            for s in body[key]
        ]
        return rows

    body = report.to_dict()
    fidelity = body["fidelity"] or {}
    columns = [
        ("in_sample", "in_sample"),
        ("cross_validated", "cv"),
        ("cross_validated_without_legally_irrelevant", "cv_lawful"),
    ]
    audit = body["recorded_score_audit"]
    recorded = case.recorded
    search = body["fewest_changes"]
    return {
        "case_id": case.case_id, "schema_version": body["schema_version"],
        "instrument": instrument.label.text(language), "vendor": instrument.vendor,
        "model": f"{report.model_name} (sha256 {(report.model_sha256 or '—')[:16]}…)",
        "caveat": report.caveat.text(language) if report.caveat else "",
        "recorded": f"{recorded.decile} · {class_name(recorded.class_id)}" if recorded
        else T["not_recorded"].text(language),
        "surrogate": f"{report.prediction.baseline.decile} · {class_name(report.prediction.baseline.risk_class)} "
                     f"({report.prediction.baseline.score:.2f})",
        "facts": [{"factor": factor_name("charge"), "value": value_text("charge", case.charge),
                   "role": instrument.catalogue.role_label(LegalRole.LIABILITY).text(language),
                   "role_key": "liability"}]
                 + [{"factor": factor_name(k), "value": value_text(k, v),
                     "role": instrument.catalogue.role_label(instrument.factor(k).legal_role).text(language),
                     "role_key": instrument.factor(k).legal_role.value} for k, v in case.values],
        "fidelity_columns": [T[key].text(language) for name, key in columns if name in fidelity],
        "fidelity_rows": [{"measure": T[key].text(language),
                           "values": [format_measure(m, fidelity[name][m]) for name, _ in columns if name in fidelity]}
                          for m, key in zip(FIDELITY_MEASURES, MEASURE_KEYS, strict=True)] if fidelity else [],
        "deep": report.deep,
        "tier": T["tier_deep" if report.deep else "tier_standard"].text(language),
        "points": _points(report, language),
        "cautions": [c[language] for c in body["cautions"]],
        "priors": curve(body["whatif_priors"]) if body["whatif_priors"] else [],
        "age": curve(body["whatif_age"]) if body["whatif_age"] else [],
        "search": None if search is None else {
            "searched": ", ".join(factor_name(f) for f in search["searched"]),
            "answers": [{"changes": instrument.describe_changes(a["changes"], language), "decile": a["decile"],
                         "class": class_name(a["class"])} for a in search["answers"]],
            "tried": f"{search['combinations_tried']:,}", "fewest": search["fewest_changes"]},
        "irrelevant": curve(body["sensitivity"], "probes") if body["sensitivity"] else [],
        "filter": [{"rule": s["condition"], "removed": s["removed"]} for s in audit["filter"]],
        "rows": audit["rows"],
        "groups": [{"group": instrument.records.value_label(g["group"]).text(language), "people": g["people"],
                    **{k: f"{g[k]:.1%}" for k in ("base_rate", "false_positive_rate", "false_negative_rate",
                                                   "positive_predictive_value", "negative_predictive_value")},
                    "auc": f"{g['auc']:.3f}"} for g in audit["groups"]],
        "deciles": list(range(instrument.scale.minimum, instrument.scale.maximum + 1)),
        "calibration": _calibration(audit, instrument.records, language, instrument.scale.maximum),
        "terms": [{"term": t["term"], "coefficient": f"{t['coefficient']:+.5f}", "odds": f"{t['odds_ratio']:.3f}"}
                  for t in audit["controlled_comparison"]["terms"]],
        "formula": audit["controlled_comparison"]["formula"],
        "baseline": body["outcome_baseline"],
        "findings": [{"severity": SEVERITY[f["severity"]].text(language), "severity_key": f["severity"],
                      "title": f["title"][language], "evidence": f["evidence"][language],
                      "question": f["question"][language],
                      "basis": (T["on_surrogate"] if f["on_surrogate"] else T["on_records"]).text(language)}
                     for f in body["findings"]],
    }  # fmt: skip


def _points(report: RiskReport, language: Language) -> dict[str, Any] | None:
    """The points table's rows for this person, those that apply first (a court adds them up)."""
    if report.points is None:
        return None
    instrument, points = report.instrument, report.points
    rows = []
    for row in sorted(points.terms, key=lambda r: not r.holds):
        rows.append({"term": instrument.condition_label(row.term.factor, row.term.op, row.term.value).text(language),
                     "points": f"{row.term.points:+.2f}", "applies": T["yes" if row.holds else "no"].text(language),
                     "own": row.holds, "role_key": row.legal_role,
                     "role": instrument.catalogue.role_label(LegalRole(row.legal_role)).text(language)})  # fmt: skip
    return {"intercept": f"{points.intercept:.2f}", "total": f"{points.total:.2f}", "rows": rows}


def _calibration(audit: dict[str, Any], layout: RecordsLayout, language: Language, top: int) -> list[dict[str, Any]]:
    by_group: dict[str, dict[int, str]] = {}
    people: dict[str, int] = {g["group"]: g["people"] for g in audit["groups"]}
    for b in audit["calibration"]:
        by_group.setdefault(b["group"], {})[b["decile"]] = f"{b['observed_rate']:.0%}"
    return [{"group": layout.value_label(g).text(language), "rates": [rates.get(d, "—") for d in range(1, top + 1)]}
            for g, rates in by_group.items() if people.get(g, 0) >= MIN_GROUP]  # fmt: skip


def render_risk_html(report: RiskReport, language: Language) -> str:
    text = {key: label.text(language) for key, label in T.items()}
    return render_template("risk_report.html.j2", r=_view(report, language), t=text, lang=language)


def render_risk_pdf(report: RiskReport, language: Language, html: str | None = None) -> bytes:
    return pdf_with_json(html or render_risk_html(report, language), risk_report_json(report),
                         "machine-readable risk report (voirdire risk report schema 1.0)")  # fmt: skip


def write_risk_report(
    report: RiskReport,
    folder: Path,
    language: Language,
    formats: tuple[str, ...] = ("json", "html", "pdf"),
    stem: str = "report",
) -> list[Path]:
    """``<stem>.json``, ``<stem>.<lang>.html`` and ``.pdf`` in ``folder``, each written atomically."""
    return write_views(
        folder, stem, language, formats, lambda: risk_report_json(report),
        lambda: render_risk_html(report, language), lambda html: render_risk_pdf(report, language, html),
    )  # fmt: skip
