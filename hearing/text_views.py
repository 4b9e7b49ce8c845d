"""Plain-text views for the terminal, in zh-CN or English. They format typed results; they compute nothing."""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

from counterfactuals.search import SearchResult
from counterfactuals.sensitivity import SensitivityResult
from counterfactuals.whatif import DIVERGENCE_LABELS, WhatIfResult
from sentencing.case import Case
from sentencing.catalogue import Catalogue, FactorGroup, load_catalogue
from sentencing.errors import RULE_NAMES_ZH, CaseValidationError, InputFileError, VoirdireError
from sentencing.examination import Examination
from sentencing.guideline import Derivation, StepKind
from sentencing.i18n import Label, Language

if TYPE_CHECKING:  # the pack stack loads the model stack; these views only read its results
    from evidence_pack.replay import ReplayReport
    from evidence_pack.verify import Verdict
    from explain_tiers.batch_audit import BatchAudit
    from explain_tiers.score_audit import ScoreAudit
    from sentencing.compas import FilterStep

__all__ = [
    "render_batch_audit",
    "render_case",
    "render_derivation",
    "render_error",
    "render_examination",
    "render_replay",
    "render_score_audit",
    "render_search",
    "render_sensitivity",
    "render_verdict",
    "render_what_if",
    "term",
]

TEXT: dict[str, Label] = {
    "case": Label("案件", "Case"),
    "charge": Label("罪名", "Charge"),
    "jurisdiction": Label("辖区", "Jurisdiction"),
    "facts": Label("事实与情节", "Facts and circumstances"),
    "model": Label("受质证的算法模型", "Model under challenge"),
    "fingerprint": Label("指纹", "fingerprint"),
    "verified": Label("已核验", "verified"),
    "unverified": Label("未核验(供应商声明)", "not verified (declared by the vendor)"),
    "recommendation": Label("算法建议刑期", "Algorithm's recommendation"),
    "guideline": Label(
        "量刑指导意见(法发〔2021〕21号)四步法推导", "Guideline derivation (法发〔2021〕21号, four-step method)"
    ),
    "step": Label("步骤", "step"),
    "zone": Label("区域", "zone"),
    "change": Label("变化(月)", "change (mo)"),
    "running": Label("累计(月)", "running (mo)"),
    "range": Label("幅度(月)", "range (mo)"),
    "source": Label("依据", "source"),
    "guideline_point": Label("指导意见建议刑期", "Guideline recommendation"),
    "circumstance_range": Label("情节幅度", "range over the circumstances' legal ratios"),
    "judicial_band": Label("法官±20%调整幅度", "judge's ±20% band"),
    "statutory_band": Label("法定刑幅度", "statutory band"),
    "gap": Label("算法与指导意见之差", "Algorithm minus guideline"),
    "inside_band": Label("在法官调整幅度之内", "inside the judge's band"),
    "outside_band": Label("超出法官调整幅度", "OUTSIDE the judge's band"),
    "outside_limits": Label("超出法定刑幅度", "OUTSIDE the statutory limits"),
    "below_minimum": Label(
        "具有减轻处罚情节，可低于法定最低刑", "a mitigation circumstance allows a term below the statutory minimum"
    ),
    "months": Label("个月", "months"),
    "machine": Label("机器区", "machine"),
    "shared": Label("共享区", "shared"),
    "human": Label("人工区", "human"),
    "not_counted": Label("不重复评价", "not counted"),
    "caution": Label(
        "提示：算法建议是证据，不是判决；它反映的是过往案件的群体规律，而非本案被告人。",
        "Caution: the recommendation is evidence, not a verdict; it reflects patterns in groups of past cases, "
        "not this defendant.",
    ),
}


def term(key: str, language: Language) -> str:
    return TEXT[key].text(language)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def _table(rows: list[list[str]]) -> list[str]:
    widths = [max(_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for index, row in enumerate(rows):
        lines.append("  ".join(_pad(cell, widths[i]) for i, cell in enumerate(row)).rstrip())
        if index == 0:
            lines.append("  ".join("-" * w for w in widths))
    return lines


def _months(value: float) -> str:
    return f"{value:.1f}"


def _signed(value: float) -> str:
    return f"{value:+.1f}"


def render_case(case: Case, language: Language, catalogue: Catalogue | None = None) -> list[str]:
    catalogue = catalogue or load_catalogue()
    charge = catalogue.charge(case.charge)
    lines = [
        f"{term('case', language)}: {case.case_id}",
        f"{term('charge', language)}: {charge.label.both()} ({charge.article})",
        f"{term('jurisdiction', language)}: {case.jurisdiction}",
    ]
    if case.description is not None:
        lines.append(case.description.text(language))
    rows = []
    for spec in catalogue.factors_for(case.charge):
        value = case.value(spec.id)
        if spec.group is not FactorGroup.DEFENDANT and value in (False, 0, "none", spec.default) and not spec.required:
            continue
        rows.append(f"  - {spec.label.text(language)}: {spec.value_label(value, language)}")
    lines.append(f"{term('facts', language)}:")
    lines.extend(rows)
    return lines


def render_derivation(derivation: Derivation, language: Language) -> list[str]:
    rows = [[term(k, language) for k in ("step", "zone", "change", "running", "range", "source")]]
    sources: list[str] = []
    for step in derivation.steps:
        if step.source not in sources:
            sources.append(step.source)
        label = step.label.text(language)
        if step.kind is StepKind.NOT_COUNTED:
            label = f"{label} ({term('not_counted', language)})"
        if step.ratio is not None and step.kind in (StepKind.FIRST_TIER, StepKind.SECOND_TIER):
            label = f"{label} {step.ratio:+.0%}"
        rows.append(
            [
                label,
                term(step.zone.value, language),
                _signed(step.months_delta) if step.months_delta else "",
                _months(step.months_after),
                f"{_months(step.range_after.low)}–{_months(step.range_after.high)}",
                f"[{sources.index(step.source) + 1}]",
            ]
        )
    m = term("months", language)
    lines = [f"{term('guideline', language)}: {derivation.tier_label.text(language)}", *_table(rows)]
    lines += [f"  [{i}] {source}" for i, source in enumerate(sources, start=1)]
    lines += [
        f"{term('guideline_point', language)}: {_months(derivation.recommended_months)} {m}",
        f"  {term('circumstance_range', language)}: {_months(derivation.circumstance_range.low)}–"
        f"{_months(derivation.circumstance_range.high)} {m}",
        f"  {term('judicial_band', language)}: {_months(derivation.judicial_band.low)}–"
        f"{_months(derivation.judicial_band.high)} {m}",
        f"  {term('statutory_band', language)}: {_months(derivation.statutory_band.low)}–"
        f"{_months(derivation.statutory_band.high)} {m}",
    ]
    if derivation.below_minimum_allowed:
        lines.append(f"  {term('below_minimum', language)} ({', '.join(derivation.below_minimum_basis)})")
    return lines


def render_examination(examination: Examination, language: Language) -> str:
    identity = examination.model
    m = term("months", language)
    verified = term("verified" if identity.fingerprint_verified else "unverified", language)
    fingerprint = (identity.sha256 or "-")[:16]
    lines = [
        *render_case(examination.case, language),
        "",
        f"{term('model', language)}: {identity.name} [{identity.adapter}] "
        f"{term('fingerprint', language)} sha256:{fingerprint}… ({verified})",
        f"{term('recommendation', language)}: {_months(examination.recommended_months)} {m}",
        "",
        *render_derivation(examination.derivation, language),
        "",
        f"{term('gap', language)}: {_signed(examination.gap_months)} {m} — "
        + term(
            "inside_band"
            if examination.inside_judicial_band
            else "outside_band"
            if examination.inside_sentence_limits
            else "outside_limits",
            language,
        ),
        term("caution", language),
    ]
    return "\n".join(lines)


def render_error(error: VoirdireError, language: Language, catalogue: Catalogue | None = None) -> str:
    """One line; in Chinese each violation leads with the field's label and the rule's name, detail after."""
    detail = " ".join(str(error).split())
    if language != "zh-CN":
        return detail
    catalogue = catalogue or load_catalogue()
    if isinstance(error, CaseValidationError):
        parts = []
        for violation in error.violations:
            factor = violation.field.split(".")[-1]
            label = catalogue.factor(factor).label.zh if catalogue.has_factor(factor) else violation.field
            rule = RULE_NAMES_ZH.get(violation.rule, violation.rule)
            parts.append(
                f"{label}（{violation.field}）：{rule} — {' '.join(violation.message.split())} [{violation.rule}]"
            )
        where = f"{error.source}: " if error.source else ""
        return where + "；".join(parts)
    if isinstance(error, InputFileError):
        return f"{error.path}: {RULE_NAMES_ZH.get(error.rule, error.rule)} — {detail}"
    return detail


COUNTERFACTUAL_TEXT: dict[str, Label] = {
    "whatif": Label("假设查询", "What-if"),
    "baseline": Label("原始情况", "As charged"),
    "scenario": Label("情形", "scenario"),
    "algorithm": Label("算法(月)", "algorithm (mo)"),
    "guideline": Label("指导意见(月)", "guideline (mo)"),
    "delta": Label("变化", "change"),
    "flag": Label("提示", "flag"),
    "exploratory": Label("探索性：改变了不可争议的事实", "exploratory: changes a fact that is not disputable"),
    "search": Label(
        "使算法建议达到目标所需的最少事实改变", "Fewest changes of disputable facts that bring the recommendation"
    ),
    "now": Label("算法当前建议", "The algorithm now recommends"),
    "minimal": Label("最少改变数", "Smallest number of changes"),
    "proven": Label(
        "已证明：所有更少改变的组合均已计算，无一达到目标",
        "proven: every combination of fewer changes was evaluated and none reaches the target",
    ),
    "not_proven": Label("未证明为最少（非穷举方法）", "not proven minimal (not an exhaustive method)"),
    "none_found": Label("在搜索范围内没有达到目标的改变", "no change within the searched grid reaches the target"),
    "already": Label("算法建议已达到目标", "the recommendation already meets the target"),
    "changes": Label("改变", "changes"),
    "distance": Label("距离", "distance"),
    "evaluated": Label("已计算的候选", "candidates evaluated"),
    "searched": Label("可改变的事实(可争议、未经法庭认定)", "factors searched (disputable, not fixed by the court)"),
    "rejected": Label("被拒绝的提议", "proposals rejected"),
    "sensitivity": Label("法律上无关因素的影响(逐一单独改变)", "Legally irrelevant factors, each changed alone"),
    "factor": Label("因素", "factor"),
    "from_to": Label("改变", "change"),
    "over": Label("超过阈值", "over threshold"),
    "findings": Label("质证理由", "Grounds for challenge"),
    "no_findings": Label(
        "没有法律上无关的因素使建议变化达到阈值",
        "no legally irrelevant factor moved the recommendation by the threshold",
    ),
    "threshold": Label("阈值", "threshold"),
}


def _t(key: str, language: Language) -> str:
    return COUNTERFACTUAL_TEXT[key].text(language)


def _value_text(factor: str, value: object, language: Language, catalogue: Catalogue) -> str:
    spec = catalogue.factor(factor)
    return spec.value_label(value, language)  # type: ignore[arg-type]


def _change_text(factor: str, before: object, after: object, language: Language, catalogue: Catalogue) -> str:
    label = catalogue.factor(factor).label.text(language)
    old, new = _value_text(factor, before, language, catalogue), _value_text(factor, after, language, catalogue)
    return f"{label}: {old} → {new}"


def render_what_if(result: WhatIfResult, language: Language, catalogue: Catalogue | None = None) -> str:
    catalogue = catalogue or load_catalogue()
    rows = [[_t(k, language) for k in ("scenario", "algorithm", "delta", "guideline", "delta", "flag")]]
    rows.append(
        [
            _t("baseline", language),
            _months(result.baseline_model_months),
            "",
            _months(result.baseline_guideline_months),
            "",
            "",
        ]
    )
    notes = []
    for scenario in result.scenarios:
        if scenario.changes:
            label = "; ".join(_change_text(c.factor, c.before, c.after, language, catalogue) for c in scenario.changes)
        else:
            label = "; ".join(
                f"{catalogue.factor(f).label.text(language)}: {_value_text(f, v, language, catalogue)}"
                for f, v in scenario.requested
            )
            label = f"{label} (= {_t('baseline', language)})"
        flag = "!" if scenario.divergence else ""
        rows.append(
            [label, _months(scenario.model.after), _signed(scenario.model.delta), _months(scenario.guideline.after),
             _signed(scenario.guideline.delta), flag]
        )  # fmt: skip
        if scenario.divergence:
            notes.append(f"! {label}: {DIVERGENCE_LABELS[scenario.divergence].text(language)}")
        if scenario.exploratory:
            notes.append(f"* {label}: {_t('exploratory', language)}")
    return "\n".join([f"{_t('whatif', language)}: {result.case_id}", *_table(rows), *notes])


def render_search(result: SearchResult, language: Language, catalogue: Catalogue | None = None) -> str:
    catalogue = catalogue or load_catalogue()
    m = term("months", language)
    lines = [
        f"{_t('search', language)} {result.target.label} ({result.method})",
        f"{_t('now', language)}: {_months(result.baseline_months)} {m}",
    ]
    if result.minimal_size == 0:
        lines.append(_t("already", language))
        return "\n".join(lines)
    if result.minimal_size is None:
        lines.append(_t("none_found", language))
    else:
        proof = _t("proven" if result.proven_minimal else "not_proven", language)
        lines.append(f"{_t('minimal', language)}: {result.minimal_size} ({proof})")
    if result.answers:
        rows = [
            [
                "#",
                _t("changes", language),
                _t("algorithm", language),
                _t("guideline", language),
                _t("distance", language),
            ]
        ]
        for index, answer in enumerate(result.answers, start=1):
            changes = "; ".join(_change_text(c.factor, c.before, c.after, language, catalogue) for c in answer.changes)
            rows.append([str(index), changes, _months(answer.recommended_months), _months(answer.guideline_months),
                         f"{answer.distance:.2f}"])  # fmt: skip
        lines += _table(rows)
    searched = ", ".join(catalogue.factor(f).label.text(language) for f in result.searched_factors)
    lines.append(f"{_t('searched', language)}: {searched}")
    if result.candidates_evaluated:
        lines.append(f"{_t('evaluated', language)}: {result.candidates_evaluated:,}")
    if result.rejections:
        lines.append(f"{_t('rejected', language)}: {len(result.rejections)}")
        lines += [f"  - {r.reason}" for r in result.rejections]
    lines += [f"  ({note})" for note in result.notes]
    return "\n".join(lines)


def render_sensitivity(result: SensitivityResult, language: Language, catalogue: Catalogue | None = None) -> str:
    catalogue = catalogue or load_catalogue()
    rows = [[_t(k, language) for k in ("factor", "from_to", "algorithm", "delta", "guideline", "over")]]
    for probe in result.probes:
        rows.append(
            [
                catalogue.factor(probe.factor).label.text(language),
                f"{_value_text(probe.factor, probe.before, language, catalogue)} → "
                f"{_value_text(probe.factor, probe.after, language, catalogue)}",
                _months(probe.model_months),
                _signed(probe.model_delta),
                _signed(probe.guideline_delta),
                "!" if probe.exceeds_threshold else "",
            ]
        )
    m = term("months", language)
    lines = [
        f"{_t('sensitivity', language)}: {result.case_id}",
        f"{_t('now', language)}: {_months(result.baseline_months)} {m}; "
        f"{_t('threshold', language)}: {result.threshold_months:g} {m}",
        *_table(rows),
        f"{_t('findings', language)}:",
    ]
    lines += [f"  - {f.statement().text(language)}" for f in result.findings] or [f"  {_t('no_findings', language)}"]
    return "\n".join(lines)


PACK_TEXT: dict[str, Label] = {
    "verified": Label("证据包核验通过", "PACK VERIFIED"),
    "not_verified": Label("证据包核验未通过", "PACK NOT VERIFIED"),
    "failed_at": Label("未通过的检查", "failed check"),
    "not_checked": Label("未检查", "not checked"),
    "reproduced": Label("重放结果一致", "REPLAY REPRODUCED THE RECORD"),
    "not_reproduced": Label("重放结果与记录不一致", "REPLAY DID NOT REPRODUCE THE RECORD"),
    "exact": Label("摘要完全一致", "exact digest"),
    "within tolerance": Label("在声明容差内", "within the stated tolerance"),
    "differs": Label("超出容差或内容不同", "differs"),
    "failed": Label("无法重新运行", "could not be run"),
    "tolerance": Label("数值容差", "numeric tolerance"),
    "largest": Label("最大差异", "largest difference"),
    "versions": Label("运算版本不同", "operation versions differ"),
    "environment": Label("运行环境不同", "environment differs"),
    "report": Label("解释报告", "report"),
}


def render_verdict(verdict: Verdict, language: Language) -> str:
    """Every check with its outcome; the first line says the verdict, a failed check is named."""
    head = PACK_TEXT["verified" if verdict.ok else "not_verified"].text(language)
    lines = [f"{head}: {verdict.pack}"]
    if verdict.digest:
        lines.append(f"  sha256(seal/statement.json) = {verdict.digest}")
    for check in verdict.checks:
        mark = {True: "OK  ", False: "FAIL", None: "--  "}[check.ok]
        meaning = check.meaning(language)
        if meaning is None:
            reason = check.detail.removeprefix("not checked: ")
            lines.append(f"  [{mark}] {check.label(language)}: {PACK_TEXT['not_checked'].text(language)} — {reason}")
        else:
            lines.append(f"  [{mark}] {check.label(language)}: {meaning} — {check.detail}")
    if verdict.failed:
        names = ", ".join(c.label(language) for c in verdict.failed)
        lines.append(f"{PACK_TEXT['failed_at'].text(language)}: {names}")
    return "\n".join(lines)


def render_replay(report: ReplayReport, language: Language) -> str:
    head = PACK_TEXT["reproduced" if report.ok else "not_reproduced"].text(language)
    from evidence_pack.replay import Match

    counts = ", ".join(f"{PACK_TEXT[m.value].text(language)} {report.count(m)}" for m in Match)
    tolerance = report.tolerance
    lines = [
        f"{head}: {report.pack}",
        f"  {counts}",
        f"  {PACK_TEXT['tolerance'].text(language)}: absolute {tolerance['absolute']:g}, "
        f"relative {tolerance['relative']:g}; {PACK_TEXT['largest'].text(language)} {report.largest_difference:.3g}",
    ]
    for query in (*report.queries, report.report):
        if query.match != Match.EXACT:
            name = PACK_TEXT["report"].text(language) if query.seq == 0 else f"#{query.seq}"
            lines.append(f"  {name} {query.operation}: {PACK_TEXT[query.match.value].text(language)} — {query.detail}")
    for moved in report.operation_versions:
        lines.append(f"  {PACK_TEXT['versions'].text(language)}: {moved}")
    for difference in report.environment:
        lines.append(f"  {PACK_TEXT['environment'].text(language)}: {difference}")
    return "\n".join(lines)


AUDIT_TEXT: dict[str, Label] = {
    "title": Label("已记录风险评分审查（无需模型）", "Audit of recorded risk scores (no model access)"),
    "filter": Label("ProPublica 公开筛选条件", "ProPublica's published filter"),
    "removed": Label("删除", "removed"),
    "remaining": Label("剩余", "remaining"),
    "flagged": Label(
        "“被标记”指评分等级为中或高（十分位 5–10）", "'flagged' means rated Medium or High (deciles 5-10)"
    ),
    "group": Label("群体", "group"),
    "people": Label("人数", "people"),
    "base": Label("再犯率", "base rate"),
    "fpr": Label("假阳性率", "FPR"),
    "fnr": Label("假阴性率", "FNR"),
    "ppv": Label("阳性预测值", "PPV"),
    "npv": Label("阴性预测值", "NPV"),
    "auc": Label("AUC", "AUC"),
    "calibration": Label(
        "按评分校准（各十分位的实际再犯率）", "Calibration by score (observed re-offending per decile)"
    ),
    "comparison": Label("控制变量比较（逻辑回归，优势比）", "Controlled comparison (logistic regression, odds ratios)"),
    "findings": Label("质证理由", "Findings"),
    "small": Label(
        "* 不足100人：比率不稳定，不据以认定差别", "* fewer than 100 people: rates unstable; no finding rests on them"
    ),
}


def render_score_audit(audit: ScoreAudit, steps: tuple[FilterStep, ...], language: Language) -> str:
    from explain_tiers.score_audit import MIN_GROUP

    def tr(key: str) -> str:
        return AUDIT_TEXT[key].text(language)

    lines = [tr("title"), f"{tr('filter')}:"]
    for step in steps:
        lines.append(f"  {step.condition}: {tr('removed')} {step.removed}, {tr('remaining')} {step.remaining}")
    lines += [tr("flagged"), ""]
    header = ["group", "people", "base", "fpr", "fnr", "ppv", "npv", "auc"]
    rows = [[audit.value_label(g.group).text(language) + (" *" if g.people < MIN_GROUP else ""), str(g.people),
             f"{g.base_rate:.1%}", f"{g.false_positive_rate:.1%}", f"{g.false_negative_rate:.1%}",
             f"{g.positive_predictive_value:.1%}", f"{g.negative_predictive_value:.1%}", f"{g.auc:.3f}"]
            for g in audit.groups]  # fmt: skip
    widths = [max(_width(tr(h)), *(_width(r[i]) for r in rows)) for i, h in enumerate(header)]
    lines.append("  ".join(_pad(tr(h), w) for h, w in zip(header, widths, strict=True)))
    for row in rows:
        lines.append("  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)))
    if any(g.people < MIN_GROUP for g in audit.groups):
        lines.append(tr("small"))
    lines += ["", tr("calibration")]
    for group in audit.groups:
        bins = [b for b in audit.calibration if b.group == group.group]
        text = " ".join(f"{b.decile}:{b.observed_rate:.0%}" for b in bins)
        lines.append(f"  {audit.value_label(group.group).text(language)}: {text}")
    lines += ["", f"{tr('comparison')}: {audit.comparison.formula} (n={audit.comparison.rows})"]
    for term, coefficient, ratio in audit.comparison.terms:
        lines.append(f"  {term:<28} {coefficient:>9.5f}  OR {ratio:.3f}")
    if audit.findings:
        lines += ["", tr("findings")]
        lines += [f"  - {finding.text(language)}" for finding in audit.findings]
    return "\n".join(lines)


BATCH_TEXT: dict[str, Label] = {
    "title": Label("模型批量审查", "Batch audit of the model"),
    "cases": Label("案件数", "cases"),
    "population": Label("对照数据", "compared with"),
    "flips": Label("控制变量翻转测试（其他事实不变，只改一个法律上不应考虑的因素）",
                   "Controlled flip tests (one legally irrelevant factor changed, every other fact unchanged)"),
    "moved": Label("变化达阈值的案件比例", "share moved by the threshold"),
    "groups": Label("各群体平均（未控制其他事实）", "Group means (other facts not held equal)"),
    "recommended": Label("建议(月)", "recommended (mo)"),
    "actual": Label("实判(月)", "actual (mo)"),
    "coverage": Label("覆盖率：案件处于模型训练数据范围内的比例",
                      "Coverage: share of cases inside the model's training data"),
    "outside": Label("超出训练数据范围的字段", "columns outside the training data"),
    "findings": Label("质证理由", "Findings"),
    "none": Label("未发现法律上不应考虑的因素影响建议。", "No legally irrelevant factor moves the recommendation."),
}  # fmt: skip


def render_batch_audit(audit: BatchAudit, language: Language, catalogue: Catalogue | None = None) -> str:
    catalogue = catalogue or load_catalogue()

    def tr(key: str) -> str:
        return BATCH_TEXT[key].text(language)

    def value(factor: str, raw: str) -> str:
        return catalogue.factor(factor).value_label(raw, language)

    lines = [f"{tr('title')}: {tr('cases')} {audit.rows}; {tr('population')}: {audit.population}", "", tr("flips")]
    for line in audit.flips:
        label = catalogue.factor(line.factor).label.text(language)
        lines.append(f"  {label}: {value(line.factor, line.reference)} → {value(line.factor, line.value)}  "
                     f"{line.mean_change_months:+.2f} mo ({line.mean_change_percent:+.1f}%), n={line.rows}, "
                     f"{tr('moved')} {line.share_moved:.0%}")  # fmt: skip
    lines += ["", tr("groups")]
    for group in audit.groups:
        label = catalogue.factor(group.factor).label.text(language)
        actual = f", {tr('actual')} {group.mean_actual:.2f}" if group.mean_actual is not None else ""
        lines.append(f"  {label} = {value(group.factor, group.value)}: n={group.rows}, "
                     f"{tr('recommended')} {group.mean_recommended:.2f}{actual}")  # fmt: skip
    lines += ["", f"{tr('coverage')}: {audit.covered:.1%}"]
    known = {charge.id for charge in catalogue.charges}
    lines += [f"  {catalogue.charge(c.charge).label.text(language) if c.charge in known else c.charge}: "
              f"{c.covered:.1%} (n={c.rows})" for c in audit.coverage]  # fmt: skip
    if audit.outside_by_column:
        lines.append(f"  {tr('outside')}: " + ", ".join(f"{c} {n}" for c, n in audit.outside_by_column))
    lines += ["", tr("findings")]
    lines += [f"  - {f.text(language)}" for f in audit.findings] or [f"  {tr('none')}"]
    return "\n".join(lines)
