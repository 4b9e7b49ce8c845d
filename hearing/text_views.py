"""Plain-text views for the terminal, in zh-CN or English. They format typed results; they compute nothing."""

from __future__ import annotations

import unicodedata

from sentencing.case import Case
from sentencing.catalogue import Catalogue, FactorGroup, load_catalogue
from sentencing.errors import RULE_NAMES_ZH, CaseValidationError, InputFileError, VoirdireError
from sentencing.examination import Examination
from sentencing.guideline import Derivation, StepKind
from sentencing.i18n import Label, Language

__all__ = ["render_case", "render_derivation", "render_error", "render_examination", "term"]

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
