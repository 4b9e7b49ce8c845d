"""Terminal views of a sentencing case: the case, the guideline's derivation, the examination, counsel's answers.

They format typed results in zh-CN or English; they compute nothing.
"""

from __future__ import annotations

from cli.views.table import months, signed, table, term
from counterfactuals.search import SearchResult
from counterfactuals.sensitivity import SensitivityResult
from counterfactuals.whatif import DIVERGENCE_LABELS, WhatIfResult
from sentencing.case import Case
from sentencing.catalogue import Catalogue, FactorGroup, load_catalogue
from sentencing.combined import ARTICLE_69, GUIDELINE_SEVERAL, CombinedSentence
from sentencing.examination import Examination
from sentencing.guideline import Derivation, StepKind
from sentencing.i18n import Label, Language

__all__ = [
    "change_text",
    "render_case",
    "render_combined",
    "render_derivation",
    "render_examination",
    "render_search",
    "render_sensitivity",
    "render_what_if",
]


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
        unremarkable = value in (False, 0, "none", spec.default) and not spec.is_required(case.charge)
        if spec.group is not FactorGroup.DEFENDANT and unremarkable:
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
                signed(step.months_delta) if step.months_delta else "",
                months(step.months_after),
                f"{months(step.range_after.low)}–{months(step.range_after.high)}",
                f"[{sources.index(step.source) + 1}]",
            ]
        )
    m = term("months", language)
    lines = [f"{term('guideline', language)}: {derivation.tier_label.text(language)}", *table(rows)]
    lines += [f"  [{i}] {source}" for i, source in enumerate(sources, start=1)]
    notes = [(step.label.text(language), step.note.text(language)) for step in derivation.steps
             if step.note is not None and step.kind is not StepKind.NOT_COUNTED]  # fmt: skip
    if notes:  # the starting point chosen in its range, a drug conversion, the units counted, a share returned
        lines.append(f"{term('step_notes', language)}:")
        lines += [f"  - {label}: {note}" for label, note in notes]
    lines += [
        f"{term('guideline_point', language)}: {months(derivation.recommended_months)} {m}",
        f"  {term('circumstance_range', language)}: {months(derivation.circumstance_range.low)}–"
        f"{months(derivation.circumstance_range.high)} {m}",
        f"  {term('judicial_band', language)}: {months(derivation.judicial_band.low)}–"
        f"{months(derivation.judicial_band.high)} {m}",
        f"  {term('statutory_band', language)}: {months(derivation.statutory_band.low)}–"
        f"{months(derivation.statutory_band.high)} {m}",
    ]
    if derivation.below_minimum_allowed:
        lines.append(f"  {term('below_minimum', language)} ({', '.join(derivation.below_minimum_basis)})")
    lines.append(f"{term('outcome', language)}: {derivation.outcome.label().text(language)}")
    lines += [f"  {line.text(language)}" for line in derivation.outcome.details()]
    return lines


def render_combined(combined: CombinedSentence, language: Language) -> list[str]:
    """Each count's derivation, then the term executed under art. 69 (a range: the court decides within it)."""
    lines: list[str] = []
    for number, derivation in enumerate(combined.counts, start=1):
        lines += [f"== {term('count', language).format(n=number)}: {derivation.case_id} ==",
                  *render_derivation(derivation, language), ""]  # fmt: skip
    m = term("months", language)
    lines += [f"== {term('combined', language)} ==", combined.rule().text(language)]
    if combined.penalty is not None:
        lines.append(f"  {term('executed_range', language)}: {months(combined.low_months)}–"
                     f"{months(combined.high_months)} {m}")  # fmt: skip
    if combined.fine_yuan is not None:
        low, point, high = combined.fine_yuan
        lines.append(f"  {term('fines_summed', language)}: ¥{low:,.0f}–¥{high:,.0f} (¥{point:,.0f})")
    if combined.probation_term_allows:
        lines.append(f"  {term('probation_term', language)}")
    lines += [f"  [{i}] {source}" for i, source in enumerate((ARTICLE_69, GUIDELINE_SEVERAL), start=1)]
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
        f"{term('recommendation', language)}: {months(examination.recommended_months)} {m}",
        "",
        *render_derivation(examination.derivation, language),
        "",
        f"{term('gap', language)}: {signed(examination.gap_months)} {m} — "
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


def change_text(factor: str, before: object, after: object, language: Language, catalogue: Catalogue) -> str:
    label = catalogue.factor(factor).label.text(language)
    old, new = _value_text(factor, before, language, catalogue), _value_text(factor, after, language, catalogue)
    return f"{label}: {old} → {new}"


def render_what_if(result: WhatIfResult, language: Language, catalogue: Catalogue | None = None) -> str:
    catalogue = catalogue or load_catalogue()
    rows = [[_t(k, language) for k in ("scenario", "algorithm", "delta", "guideline", "delta", "flag")]]
    rows.append(
        [
            _t("baseline", language),
            months(result.baseline_model_months),
            "",
            months(result.baseline_guideline_months),
            "",
            "",
        ]
    )
    notes = []
    for scenario in result.scenarios:
        if scenario.changes:
            label = "; ".join(change_text(c.factor, c.before, c.after, language, catalogue) for c in scenario.changes)
        else:
            label = "; ".join(
                f"{catalogue.factor(f).label.text(language)}: {_value_text(f, v, language, catalogue)}"
                for f, v in scenario.requested
            )
            label = f"{label} (= {_t('baseline', language)})"
        flag = "!" if scenario.divergence else ""
        rows.append(
            [label, months(scenario.model.after), signed(scenario.model.delta), months(scenario.guideline.after),
             signed(scenario.guideline.delta), flag]
        )  # fmt: skip
        if scenario.divergence:
            notes.append(f"! {label}: {DIVERGENCE_LABELS[scenario.divergence].text(language)}")
        if scenario.exploratory:
            notes.append(f"* {label}: {_t('exploratory', language)}")
    return "\n".join([f"{_t('whatif', language)}: {result.case_id}", *table(rows), *notes])


def render_search(result: SearchResult, language: Language, catalogue: Catalogue | None = None) -> str:
    catalogue = catalogue or load_catalogue()
    m = term("months", language)
    lines = [
        f"{_t('search', language)} {result.target.label} ({result.method})",
        f"{_t('now', language)}: {months(result.baseline_months)} {m}",
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
            changes = "; ".join(change_text(c.factor, c.before, c.after, language, catalogue) for c in answer.changes)
            rows.append([str(index), changes, months(answer.recommended_months), months(answer.guideline_months),
                         f"{answer.distance:.2f}"])  # fmt: skip
        lines += table(rows)
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
                months(probe.model_months),
                signed(probe.model_delta),
                signed(probe.guideline_delta),
                "!" if probe.exceeds_threshold else "",
            ]
        )
    m = term("months", language)
    lines = [
        f"{_t('sensitivity', language)}: {result.case_id}",
        f"{_t('now', language)}: {months(result.baseline_months)} {m}; "
        f"{_t('threshold', language)}: {result.threshold_months:g} {m}",
        *table(rows),
        f"{_t('findings', language)}:",
    ]
    lines += [f"  - {f.statement().text(language)}" for f in result.findings] or [f"  {_t('no_findings', language)}"]
    return "\n".join(lines)
