"""The guideline engine: the 2021 four-step method (法发〔2021〕21号), the law's yardstick.

1. starting point inside the tier's range;
2. base sentence: the starting point plus months per unit of amount, acts and harm
   (the jurisdiction's increment table), kept inside the statutory band;
3. circumstances: first-tier ones (minor, aged, deaf-mute/blind, attempt, accessory) multiply
   the base one after another; then the rest are added together (same direction add, opposite
   subtract) and applied to that result; double evaluation is avoided (plea agreement absorbs
   surrender, restitution, etc. under a combined cap, which only limits what the plea agreement
   itself adds, so that accepting a plea never lengthens a term; a guilty plea in court is not counted over
   surrender or confession; recidivism absorbs the prior record; reconciliation absorbs
   compensation);
4. the pronounced range: clamped to the statutory band (below its minimum only with a
   mitigation circumstance the policy admits), capped at the fixed-term maximum, and widened by
   the judge's ±20% band.

Every step carries its legal source and its zone (machine / shared / human, SENTENCING_RULES.md
§5). Besides the point recommendation (every ratio at the table's default), the engine carries
the lenient and severe ends (every ratio at the end of its legal range) through every step.
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sentencing.case import Case
from sentencing.i18n import Label
from sentencing.jurisdiction import ChargeTable, Jurisdiction, Mitigation, Stage, Tier, load_jurisdiction

__all__ = [
    "DERIVATION_SCHEMA_VERSION",
    "Derivation",
    "DerivationStep",
    "MonthRange",
    "StepKind",
    "Zone",
    "active_circumstances",
    "derive_sentence",
    "select_tier",
]

DERIVATION_SCHEMA_VERSION = "1.0"
_PRINCIPLE_NO_DOUBLE = "禁止重复评价 principle against evaluating one fact twice"


class StepKind(StrEnum):
    STARTING_POINT = "starting_point"
    INCREMENT = "increment"
    BASE_SENTENCE = "base_sentence"
    FIRST_TIER = "first_tier_circumstance"
    SECOND_TIER = "second_tier_circumstance"
    NOT_COUNTED = "not_counted"
    COMBINED_CAP = "combined_cap"
    CLAMP = "statutory_clamp"
    RESULT = "result"
    JUDICIAL_BAND = "judicial_band"


class Zone(StrEnum):
    """SENTENCING_RULES.md §5: computed by rule, scored within ranges, or weighed by the judge."""

    MACHINE = "machine"
    SHARED = "shared"
    HUMAN = "human"


@dataclass(frozen=True)
class MonthRange:
    low: float
    high: float

    def contains(self, months: float, tolerance: float = 1e-9) -> bool:
        return self.low - tolerance <= months <= self.high + tolerance


@dataclass(frozen=True)
class DerivationStep:
    """One step of the derivation: what changed the running term, by how much, and on what authority."""

    kind: StepKind
    key: str
    label: Label
    zone: Zone
    months_delta: float
    months_after: float
    range_after: MonthRange
    source: str
    ratio: float | None = None
    ratio_range: tuple[float, float] | None = None
    note: Label | None = None


@dataclass(frozen=True)
class Derivation:
    """The guideline's answer for one case: every step, the point recommendation and its ranges."""

    case_id: str
    charge: str
    jurisdiction: str
    tier: str
    tier_label: Label
    statutory_band: MonthRange
    steps: tuple[DerivationStep, ...]
    starting_point_months: float
    base_months: float
    adjusted_months: float
    recommended_months: float
    circumstance_range: MonthRange
    judicial_band: MonthRange
    sentence_limits: MonthRange
    below_minimum_allowed: bool
    below_minimum_basis: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        """Schema-versioned, JSON-ready form (labels in both languages)."""

        def label(value: Label | None) -> dict[str, str] | None:
            return None if value is None else value.to_mapping()

        def rng(value: MonthRange) -> list[float]:
            return [value.low, value.high]

        return {
            "schema_version": DERIVATION_SCHEMA_VERSION,
            "case_id": self.case_id,
            "charge": self.charge,
            "jurisdiction": self.jurisdiction,
            "tier": self.tier,
            "tier_label": label(self.tier_label),
            "statutory_band_months": rng(self.statutory_band),
            "starting_point_months": self.starting_point_months,
            "base_months": self.base_months,
            "adjusted_months": self.adjusted_months,
            "recommended_months": self.recommended_months,
            "circumstance_range_months": rng(self.circumstance_range),
            "judicial_band_months": rng(self.judicial_band),
            "sentence_limits_months": rng(self.sentence_limits),
            "below_minimum_allowed": self.below_minimum_allowed,
            "below_minimum_basis": list(self.below_minimum_basis),
            "steps": [
                {
                    "kind": s.kind.value,
                    "key": s.key,
                    "label": label(s.label),
                    "zone": s.zone.value,
                    "months_delta": s.months_delta,
                    "months_after": s.months_after,
                    "range_after_months": rng(s.range_after),
                    "ratio": s.ratio,
                    "ratio_range": list(s.ratio_range) if s.ratio_range else None,
                    "source": s.source,
                    "note": label(s.note),
                }
                for s in self.steps
            ],
        }


def _r(value: float) -> float:
    """Months are reported to 1/100 month; rounding here keeps JSON digests stable."""
    return round(value + 0.0, 2)


def _step(
    kind: StepKind,
    key: str,
    label: Label,
    zone: Zone,
    delta: float,
    after: float,
    low: float,
    high: float,
    source: str,
    *,
    ratio: float | None = None,
    ratio_range: tuple[float, float] | None = None,
    note: Label | None = None,
) -> DerivationStep:
    """A step with its months rounded the one way every step is."""
    return DerivationStep(
        kind, key, label, zone, _r(delta), _r(after), MonthRange(_r(low), _r(high)), source, ratio, ratio_range, note
    )


def select_tier(case: Case, table: ChargeTable) -> Tier:
    """The statutory tier the facts fall into."""
    if case.charge in ("theft", "fraud"):
        amount = case.number("amount_yuan")
        if amount >= table.threshold("especially_huge"):
            return table.tier("especially_huge")
        if amount >= table.threshold("huge"):
            return table.tier("huge")
        return table.tier("large")
    if case.charge == "intentional_injury":
        grade = int(case.number("disability_grade"))
        if case.number("serious_injuries") >= 1 and case.flag("cruel_means") and 1 <= grade <= 6:
            return table.tier("cruel_grave_disability")
        if case.number("serious_injuries") >= 1:
            return table.tier("serious_injury")
        return table.tier("minor_injury")
    return table.tiers[0]


def _fact_value(case: Case, fact: str) -> float:
    if fact == "disability_grade_severity":
        grade = int(case.number("disability_grade"))
        return float(11 - grade) if grade > 0 else 0.0
    if fact in case.as_dict() and isinstance(case.value(fact), bool):
        return 1.0 if case.flag(fact) else 0.0
    return case.number(fact)


def active_circumstances(case: Case) -> tuple[str, ...]:
    """Ids (jurisdiction-table keys) of the circumstances the case's facts establish."""
    ids: list[str] = []
    age = case.number("age_at_offence")
    if 12 <= age < 16:
        ids.append("minor_12_16")
    elif 16 <= age < 18:
        ids.append("minor_16_18")
    elif age >= 75:
        ids.append("aged_75")
    for flag in (
        "deaf_mute_or_blind",
        "attempt",
        "accessory",
        "surrender",
        "guilty_plea_in_court",
        "restitution",
        "reconciliation",
        "good_conduct_in_custody",
        "plea_agreement",
        "recidivist",
        "prior_record",
        "vulnerable_victim",
        "disaster_or_epidemic",
    ):
        if case.flag(flag):
            ids.append(flag)
    for enum_factor, prefix in (("confession", "confession_"), ("meritorious_service", "meritorious_")):
        value = case.text(enum_factor)
        if value != "none":
            ids.append(prefix + value)
    compensation = case.text("compensation")
    if compensation != "none":
        ids.append(compensation)
    return tuple(ids)


def _not_counted(active: tuple[str, ...]) -> dict[str, tuple[str, Label]]:
    """Circumstances present but not counted, each with the reason (source, label)."""
    out: dict[str, tuple[str, Label]] = {}
    confessions = [c for c in active if c.startswith("confession_")]
    if "guilty_plea_in_court" in active and ("surrender" in active or confessions) and "plea_agreement" not in active:
        out["guilty_plea_in_court"] = (
            "法发〔2021〕21号 量刑指导意见 三、常见量刑情节的适用 (Part III): "
            "当庭自愿认罪 not counted where 自首 or 坦白 is counted",
            Label("已评价自首或坦白，当庭认罪不再重复评价", "already counted as surrender or confession"),
        )
    if "prior_record" in active and "recidivist" in active:
        out["prior_record"] = (
            _PRINCIPLE_NO_DOUBLE,
            Label("前科已作为累犯评价，不再重复评价", "the prior conviction is already counted as recidivism"),
        )
    if "reconciliation" in active:
        for comp in ("compensation_and_forgiveness", "compensation_only", "forgiveness_only"):
            if comp in active:
                out[comp] = (
                    _PRINCIPLE_NO_DOUBLE,
                    Label("赔偿谅解已在刑事和解中评价", "compensation is already weighed within the reconciliation"),
                )
    return out


def derive_sentence(case: Case, jurisdiction: Jurisdiction | None = None) -> Derivation:
    """Apply the four-step method to a validated case."""
    jurisdiction = jurisdiction or load_jurisdiction(case.jurisdiction)
    policy = jurisdiction.policy
    table = jurisdiction.charge_table(case.charge)
    tier = select_tier(case, table)
    tier_index = table.tiers.index(tier)
    band = tier.statutory_band
    steps: list[DerivationStep] = []

    # Step 1: starting point (machine zone).
    start = tier.starting_point
    point = low = high = start.months
    start_note = Label(
        f"量刑起点幅度 {start.min_months:g}–{start.max_months:g} 个月，本辖区取 {start.months:g} 个月",
        f"starting-point range {start.min_months:g}–{start.max_months:g} months; "
        f"this jurisdiction uses {start.months:g}",
    )
    steps.append(
        _step(
            StepKind.STARTING_POINT,
            "starting_point",
            Label("量刑起点", "starting point"),
            Zone.MACHINE,
            point,
            point,
            low,
            high,
            start.source,
            note=start_note,
        )
    )

    # Step 2: base sentence = starting point + increments, kept inside the band.
    for inc in tier.increments:
        units = max(0, math.floor((_fact_value(case, inc.fact) - inc.above) / inc.unit_size + 1e-9))
        months = units * inc.months
        if inc.cap_months is not None:
            months = min(months, inc.cap_months)
        if months == 0:
            continue
        point, low, high = point + months, low + months, high + months
        steps.append(
            _step(
                StepKind.INCREMENT,
                f"increment.{inc.id}",
                inc.label,
                Zone.MACHINE,
                months,
                point,
                low,
                high,
                inc.source,
                note=Label(f"{units} 个单位", f"{units} unit(s)"),
            )
        )
    if point > band.max_months:
        capped = band.max_months - point
        point, low, high = band.max_months, band.max_months, band.max_months
        steps.append(
            _step(
                StepKind.CLAMP,
                "base_sentence.cap",
                Label("基准刑不超过法定刑上限", "base sentence kept within the statutory band"),
                Zone.MACHINE,
                capped,
                point,
                low,
                high,
                band.source,
            )
        )
    base = point
    steps.append(
        _step(
            StepKind.BASE_SENTENCE,
            "base_sentence",
            Label("基准刑", "base sentence"),
            Zone.MACHINE,
            0.0,
            point,
            low,
            high,
            "法发〔2021〕21号 量刑指导意见 二、量刑的基本方法 (Part II, step 2)",
        )
    )

    # Step 3: circumstances. First-tier ones multiply one after another.
    active = active_circumstances(case)
    skipped = _not_counted(active)
    rules = {c: jurisdiction.circumstance(c) for c in active}
    for cid in active:
        if cid in skipped:
            source, reason = skipped[cid]
            steps.append(
                _step(
                    StepKind.NOT_COUNTED,
                    f"circumstance.{cid}",
                    rules[cid].label,
                    Zone.SHARED,
                    0.0,
                    point,
                    low,
                    high,
                    source,
                    note=reason,
                )
            )
    for cid in active:
        rule = rules[cid]
        if rule.stage is not Stage.FIRST or cid in skipped:
            continue
        delta = point * rule.ratio_default
        point, low, high = point + delta, low * (1 + rule.ratio_min), high * (1 + rule.ratio_max)
        steps.append(
            _step(
                StepKind.FIRST_TIER,
                f"circumstance.{cid}",
                rule.label,
                Zone.SHARED,
                delta,
                point,
                low,
                high,
                rule.source,
                ratio=rule.ratio_default,
                ratio_range=(rule.ratio_min, rule.ratio_max),
            )
        )

    # The rest add up and apply together to the first-tier result.
    first_tier_result = (point, low, high)
    second = [rules[c] for c in active if rules[c].stage is Stage.SECOND and c not in skipped]
    sum_point = sum(r.ratio_default for r in second)
    sum_low = sum(r.ratio_min for r in second)
    sum_high = sum(r.ratio_max for r in second)
    for rule in second:
        delta = first_tier_result[0] * rule.ratio_default
        if rule.min_months is not None:
            delta = max(delta, rule.min_months)
        point += delta
        low += first_tier_result[1] * rule.ratio_min
        high += first_tier_result[2] * rule.ratio_max
        steps.append(
            _step(
                StepKind.SECOND_TIER,
                f"circumstance.{rule.id}",
                rule.label,
                Zone.SHARED,
                delta,
                point,
                max(low, 0.0),
                max(high, 0.0),
                rule.source,
                ratio=rule.ratio_default,
                ratio_range=(rule.ratio_min, rule.ratio_max),
            )
        )
    # Plea-agreement group: its members share one cap and are never counted twice.
    if "plea_agreement" in active:
        group = [r for r in second if r.id == "plea_agreement" or r.id in policy.plea_agreement_absorbs]
        with_cap = any(r.id in policy.plea_agreement_cap_with for r in group)
        cap = policy.plea_agreement_combined_cap if with_cap else jurisdiction.circumstance("plea_agreement").ratio_min
        group_point = sum(r.ratio_default for r in group)
        group_low = sum(r.ratio_min for r in group)
        plea = jurisdiction.circumstance("plea_agreement")
        # The cap limits what the plea agreement adds; it never takes away the reduction the other
        # circumstances give on their own, or accepting a plea would lengthen the sentence.
        give_back_point = min(max(0.0, cap - group_point), -plea.ratio_default)
        give_back_low = min(max(0.0, cap - group_low), -plea.ratio_min)
        sum_point += give_back_point
        sum_low += give_back_low
        if give_back_point > 0 or give_back_low > 0:
            delta = first_tier_result[0] * give_back_point
            point += delta
            steps.append(
                _step(
                    StepKind.COMBINED_CAP,
                    "circumstance.plea_agreement.cap",
                    Label(
                        f"认罪认罚与相关情节合并评价，减少不超过 {abs(cap):.0%}",
                        f"plea agreement and the circumstances it absorbs reduce by at most {abs(cap):.0%} together",
                    ),
                    Zone.SHARED,
                    delta,
                    point,
                    low,
                    high,
                    policy.plea_agreement_source,
                    ratio=give_back_point,
                )
            )
    # Circumstances with a floor in months (recidivism: at least +3) add their own term beside the
    # proportional ones. The proportional part is floored at zero on its own: were the floor added
    # to a negative multiplier, a smaller base would give a longer term.
    fixed_point = fixed_low = fixed_high = 0.0
    for rule in second:
        if rule.min_months is None:
            continue
        sum_point -= rule.ratio_default
        sum_low -= rule.ratio_min
        sum_high -= rule.ratio_max
        fixed_point += max(first_tier_result[0] * rule.ratio_default, rule.min_months)
        fixed_low += max(first_tier_result[1] * rule.ratio_min, rule.min_months)
        fixed_high += max(first_tier_result[2] * rule.ratio_max, rule.min_months)
    point = max(0.0, first_tier_result[0] * (1 + sum_point)) + fixed_point
    low = max(0.0, first_tier_result[1] * (1 + sum_low)) + fixed_low
    high = max(0.0, first_tier_result[2] * (1 + sum_high)) + fixed_high
    if second:
        # Restate the running range after the second tier on the last second-tier step.
        last = steps[-1]
        steps[-1] = dataclasses.replace(last, months_after=_r(point), range_after=MonthRange(_r(low), _r(high)))
    adjusted = point

    # Step 4: statutory clamps.
    mitigations = [
        rules[c]
        for c in active
        if c not in skipped
        and (
            rules[c].below_minimum is Mitigation.MANDATORY
            or (
                rules[c].below_minimum is Mitigation.DISCRETIONARY
                and policy.allow_discretionary_mitigation_below_minimum
            )
        )
    ]
    below_allowed = bool(mitigations)
    if below_allowed and tier_index > 0:
        floor = table.tiers[tier_index - 1].statutory_band.min_months
    elif below_allowed:
        floor = policy.detention_min_months
    else:
        floor = band.min_months
    floor = max(floor, policy.detention_min_months)
    ceiling = min(band.max_months, policy.fixed_term_cap_months)

    def clamp(value: float) -> float:
        return min(max(value, floor), ceiling)

    clamped = (clamp(point), clamp(low), clamp(high))
    if clamped != (point, low, high):
        if point > ceiling or high > ceiling:
            source = band.source + "; " + (policy.fixed_term_cap_source if ceiling < band.max_months else "")
            why = Label("不得超过法定最高刑", "capped at the statutory maximum")
        else:
            source = band.source + "; " + policy.below_minimum_source
            why = (
                Label(
                    "具有减轻处罚情节，可在下一量刑幅度内判处", "a mitigation circumstance allows the next lower band"
                )
                if below_allowed
                else Label(
                    "无减轻处罚情节，不得低于法定最低刑", "no mitigation circumstance: not below the statutory minimum"
                )
            )
        steps.append(
            _step(
                StepKind.CLAMP,
                "statutory_clamp",
                Label("法定刑幅度限制", "statutory limits"),
                Zone.MACHINE,
                clamped[0] - point,
                clamped[0],
                clamped[1],
                clamped[2],
                source.rstrip("; "),
                note=why,
            )
        )
    point, low, high = clamped
    steps.append(
        _step(
            StepKind.RESULT,
            "recommended",
            Label("建议刑期", "recommended term"),
            Zone.MACHINE,
            0.0,
            point,
            low,
            high,
            "法发〔2021〕21号 量刑指导意见 二、量刑的基本方法 (Part II, step 4)",
        )
    )
    ratio = policy.judicial_adjustment_ratio
    judicial = MonthRange(_r(clamp(point * (1 - ratio))), _r(clamp(point * (1 + ratio))))
    steps.append(
        DerivationStep(
            StepKind.JUDICIAL_BAND,
            "judicial_band",
            Label(f"法官可在 ±{ratio:.0%} 内调整", f"the judge may adjust by up to ±{ratio:.0%}"),
            Zone.HUMAN,
            0.0,
            _r(point),
            judicial,
            policy.judicial_adjustment_source,
        )
    )
    return Derivation(
        case_id=case.case_id,
        charge=case.charge,
        jurisdiction=jurisdiction.id,
        tier=tier.id,
        tier_label=tier.label,
        statutory_band=MonthRange(band.min_months, ceiling),
        steps=tuple(steps),
        starting_point_months=_r(start.months),
        base_months=_r(base),
        adjusted_months=_r(adjusted),
        recommended_months=_r(point),
        circumstance_range=MonthRange(_r(low), _r(high)),
        judicial_band=judicial,
        sentence_limits=MonthRange(_r(floor), _r(ceiling)),
        below_minimum_allowed=below_allowed,
        below_minimum_basis=tuple(r.id for r in mitigations),
    )
