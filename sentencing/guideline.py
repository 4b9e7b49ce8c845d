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
4. the pronounced range: clamped to the statutory band (below its minimum only with a statutory
   mitigation circumstance, 法定减轻处罚情节, the discretionary ones included unless the court's
   policy says otherwise; circumstances that only allow lighter punishment stop at it), capped at
   the fixed-term maximum, and widened by the judge's ±20% band;
5. the outcome: exemption from punishment (免予刑事处罚) where a circumstance or the charge's
   interpretation allows it, a non-custodial outcome where this table's practice recommends it,
   criminal detention (拘役, under six months) or fixed-term imprisonment, the fine, and whether
   probation may (or must) be considered (Criminal Law arts. 37, 42, 45, 52, 72–74).

For a lighter crime (犯罪较轻: a statutory band of at most three years in the default table) the
opinion lets surrender, an accessory's role, major meritorious service, reconciliation, a
deaf-mute or blind offender and the plea agreement reduce further, or exempt: their lenient ends
reach exemption.

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

from sentencing.case import RETURNABLE_SUMS, Case
from sentencing.catalogue import load_catalogue
from sentencing.drugs import HEROIN_EQUIVALENT, conversion_note, heroin_equivalent, heroin_shares
from sentencing.i18n import Label
from sentencing.jurisdiction import (
    ChargeTable,
    CircumstanceRule,
    Exemption,
    Jurisdiction,
    Mitigation,
    Stage,
    Tier,
    load_jurisdiction,
)

__all__ = [
    "DERIVATION_SCHEMA_VERSION",
    "Derivation",
    "DerivationStep",
    "Fine",
    "MonthRange",
    "Outcome",
    "Penalty",
    "Probation",
    "StepKind",
    "Zone",
    "active_circumstances",
    "derive_sentence",
    "judicial_band_around",
    "select_tier",
]

DERIVATION_SCHEMA_VERSION = "1.1"
_DETENTION_BELOW_MONTHS = 6.0  # 有期徒刑 is at least six months (art. 45); a shorter term is 拘役 (art. 42)
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
    NON_CUSTODIAL = "non_custodial"
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


class Penalty(StrEnum):
    """What the recommendation pronounces."""

    EXEMPTION = "exemption"  # 免予刑事处罚 (art. 37)
    NON_CUSTODIAL = "non_custodial"  # no custodial term: a fine alone (单处罚金) or exemption
    DETENTION = "detention"  # 拘役, one to six months (art. 42)
    FIXED_TERM = "fixed_term"  # 有期徒刑, six months to fifteen years (art. 45)


PENALTY_LABELS: dict[Penalty, Label] = {
    Penalty.EXEMPTION: Label("免予刑事处罚", "exemption from punishment (免予刑事处罚)"),
    Penalty.NON_CUSTODIAL: Label("不判处监禁刑(单处罚金或者免予刑事处罚)",
                                 "no custodial term (a fine alone, 单处罚金, or exemption)"),
    Penalty.DETENTION: Label("拘役", "criminal detention (拘役)"),
    Penalty.FIXED_TERM: Label("有期徒刑", "fixed-term imprisonment (有期徒刑)"),
}  # fmt: skip


@dataclass(frozen=True)
class Fine:
    """The fine (罚金) the charge carries: its legal range and this table's point, in yuan."""

    low_yuan: float
    point_yuan: float
    high_yuan: float
    source: str


@dataclass(frozen=True)
class Probation:
    """Whether probation (缓刑) may be considered: the term and the exclusions are the machine's; the four
    conditions of art. 72 (lighter circumstances, repentance, no risk of reoffending, no harm to the community)
    are the judge's."""

    eligible: bool
    mandatory: bool  # 应当宣告缓刑 where the conditions hold: under 18 or 75 and over
    reasons: tuple[Label, ...]
    source: str


@dataclass(frozen=True)
class Outcome:
    penalty: Penalty
    months: float
    exemption_possible: bool
    exemption_basis: tuple[str, ...]
    non_custodial_possible: bool
    non_custodial_source: str
    fine: Fine | None
    probation: Probation
    exemption_labels: tuple[Label, ...] = ()  # the exemption basis as a court user reads it

    def label(self) -> Label:
        """The outcome in one line, in both languages."""
        name = PENALTY_LABELS[self.penalty]
        zh, en = name.zh, name.en
        if self.penalty in (Penalty.DETENTION, Penalty.FIXED_TERM):
            zh, en = f"{zh}{self.months:g}个月", f"{en}, {self.months:g} months"
        if self.fine is not None and self.penalty is not Penalty.EXEMPTION:
            zh += f"，并处罚金{self.fine.point_yuan:,.0f}元" if self.months else f"；罚金{self.fine.point_yuan:,.0f}元"
            en += f", and a fine of ¥{self.fine.point_yuan:,.0f}"
        if self.probation.mandatory:
            zh, en = zh + "；符合条件的应当宣告缓刑", en + "; probation must be granted if its conditions hold"
        elif self.probation.eligible:
            zh, en = zh + "；可以考虑宣告缓刑", en + "; probation may be considered"
        if self.exemption_possible and self.penalty is not Penalty.EXEMPTION:
            zh, en = zh + "；依法可以免予刑事处罚", en + "; exemption from punishment is possible"
        return Label(zh, en)

    def details(self) -> tuple[Label, ...]:
        """What stands behind the one line: the fine's legal range, probation with its reasons, exemption."""
        lines = []
        if self.fine is not None and self.penalty is not Penalty.EXEMPTION:
            f = self.fine
            lines.append(Label(f"罚金：{f.low_yuan:,.0f}–{f.high_yuan:,.0f}元，建议{f.point_yuan:,.0f}元（{f.source}）",
                               f"fine (罚金): ¥{f.low_yuan:,.0f}–¥{f.high_yuan:,.0f}, suggested ¥{f.point_yuan:,.0f} "
                               f"({f.source})"))  # fmt: skip
        state = ("应当宣告缓刑" if self.probation.mandatory else "可以考虑" if self.probation.eligible else "不适用",
                 "must be granted if its conditions hold" if self.probation.mandatory
                 else "may be considered" if self.probation.eligible else "not available")  # fmt: skip
        why = Label("；".join(r.zh for r in self.probation.reasons), "; ".join(r.en for r in self.probation.reasons))
        lines.append(Label(f"缓刑：{state[0]}（{why.zh}）", f"probation (缓刑): {state[1]} ({why.en})"))
        if self.exemption_possible:
            zh = "、".join(b.zh for b in self.exemption_labels) or "、".join(self.exemption_basis)
            en = ", ".join(b.en for b in self.exemption_labels) or ", ".join(self.exemption_basis)
            lines.append(Label(f"免予刑事处罚：依法可以（{zh}）" if zh else "免予刑事处罚：依法可以",
                               f"exemption (免予刑事处罚): possible ({en})" if en else
                               "exemption (免予刑事处罚): possible"))  # fmt: skip
        return tuple(lines)

    def to_dict(self) -> dict[str, Any]:
        fine = self.fine
        return {
            "penalty": self.penalty.value, "months": self.months, "label": self.label().to_mapping(),
            "exemption_possible": self.exemption_possible, "exemption_basis": list(self.exemption_basis),
            "non_custodial_possible": self.non_custodial_possible, "non_custodial_source": self.non_custodial_source,
            "fine_yuan": None if fine is None else {"low": fine.low_yuan, "point": fine.point_yuan,
                                                   "high": fine.high_yuan, "source": fine.source},
            "probation": {"eligible": self.probation.eligible, "mandatory": self.probation.mandatory,
                          "reasons": [r.to_mapping() for r in self.probation.reasons],
                          "source": self.probation.source},
        }  # fmt: skip


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
    lighter_crime: bool
    outcome: Outcome

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
            "lighter_crime": self.lighter_crime,
            "outcome": self.outcome.to_dict(),
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


def _whole_months(months: float) -> float:
    """The nearest whole month, halves up."""
    return float(math.floor(months + 0.5 + 1e-9))


def judicial_band_around(point: float, ratio: float) -> MonthRange:
    """The judge's band around a point, before the statutory limits: ±ratio, each end reaching the nearest whole
    month where rounding (half up) takes it further — terms are pronounced in whole months, and the rounding never
    narrows the band. A point of 0 (no custodial term) has the band [0, 0]."""
    if point <= 0.0:
        return MonthRange(0.0, 0.0)
    lowest, highest = point * (1 - ratio), point * (1 + ratio)
    return MonthRange(min(lowest, _whole_months(lowest)), max(highest, _whole_months(highest)))


def select_tier(case: Case, table: ChargeTable) -> Tier:
    """The statutory tier the facts fall into: the last tier whose facts hold (the table's ``when``, all of them, and
    ``when_any``, one of them), else the first."""
    for tier in reversed(table.tiers[1:]):
        if tier.holds(lambda fact: _condition_value(case, fact)):
            return tier
    return table.tiers[0]


def _fact_value(case: Case, fact: str) -> float:
    if fact == HEROIN_EQUIVALENT:
        return heroin_equivalent(case.as_dict())
    if fact == "disability_grade_severity":
        grade = int(case.number("disability_grade"))
        return float(11 - grade) if grade > 0 else 0.0
    if fact in case.as_dict() and isinstance(case.value(fact), bool):
        return 1.0 if case.flag(fact) else 0.0
    return case.number(fact)


def _drug_note(case: Case) -> Label | None:
    """The case's drugs as the derivation states them (each kind's grams, converted to heroin where needed)."""
    values = case.as_dict()
    shares = heroin_shares(values.get)
    if not shares:
        return None
    catalogue = load_catalogue()
    return conversion_note(shares, {s.kind.factor: catalogue.factor(s.kind.factor).label for s in shares})


def _condition_value(case: Case, fact: str) -> object:
    """A fact as a tier's condition reads it: a named value's id, else the number :func:`_fact_value` gives."""
    if fact in case.as_dict() and isinstance(case.value(fact), str):
        return case.text(fact)
    return _fact_value(case, fact)


_FLAGS = (
    "deaf_mute_or_blind", "attempt", "accessory", "limited_capacity", "excessive_defence", "excessive_necessity",
    "preparation", "coerced_accomplice", "surrender", "guilty_plea_in_court", "restitution", "repaid_before_arrest",
    "reconciliation", "good_conduct_in_custody", "plea_agreement", "recidivist", "prior_record", "vulnerable_victim",
    "disaster_or_epidemic", "fled", "refused_breath_test", "victim_fault", "mutual_fight", "during_probation",
    "drug_minors", "drug_reoffender", "drug_hired_carrier", "drug_low_purity", "drug_quantity_inducement",
    "quarrel_gathered_minors", "obstruction_police_attacked", "obstruction_irregular_enforcement",
    "affray_gathered_minors", "detention_beating_or_insult", "detention_by_official", "detention_for_debt",
)  # fmt: skip
_ENUMS = (("discontinuance", "discontinuance_"), ("instigator", "instigator_"), ("confession", "confession_"),
          ("meritorious_service", "meritorious_"))  # fmt: skip


def _restitution_share(case: Case) -> float | None:
    """The share of the amount returned, when an amount returned is stated (``restitution_yuan``)."""
    values = case.as_dict()
    if not any(f in values for f in RETURNABLE_SUMS) or case.number("restitution_yuan") <= 0:
        return None
    amount = sum(case.number(f) for f in RETURNABLE_SUMS if f in values)
    return 1.0 if amount <= 0 else min(1.0, case.number("restitution_yuan") / amount)


def active_circumstances(case: Case, table: ChargeTable | None = None) -> tuple[str, ...]:
    """Ids (jurisdiction-table keys) of the circumstances the case's facts establish."""
    ids: list[str] = []
    age = case.number("age_at_offence")
    if 12 <= age < 16:
        ids.append("minor_12_16")
    elif 16 <= age < 18:
        ids.append("minor_16_18")
    elif age >= 75:
        ids.append("aged_75")
    values = case.as_dict()
    for flag in _FLAGS:
        if flag in values and case.flag(flag):
            ids.append(flag)
    for enum_factor, prefix in _ENUMS:
        if enum_factor in values and case.text(enum_factor) != "none":
            ids.append(prefix + case.text(enum_factor))
    compensation = case.text("compensation")
    if compensation != "none":
        ids.append(compensation)
    share = _restitution_share(case)
    if share is not None and "restitution" not in ids:
        ids.append("restitution" if share >= 1.0 else "restitution_partial")
    if (
        table is not None and table.acts_circumstance_from is not None and table.has_threshold("large")
        and case.number("acts") >= table.acts_circumstance_from
        and case.number("amount_yuan") >= table.threshold("large")
    ):  # fmt: skip
        ids.append("multiple_acts")
    return tuple(ids)


def _not_counted(active: tuple[str, ...], jurisdiction: Jurisdiction) -> dict[str, tuple[str, Label]]:
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
    elif "prior_record" in active and "drug_reoffender" in active:
        out["prior_record"] = (
            _PRINCIPLE_NO_DOUBLE,
            Label(
                "前科已作为毒品再犯评价，不再重复评价", "the prior conviction is already counted as a drug reoffence"
            ),
        )
    if "drug_reoffender" in active and "recidivist" in active:
        out["drug_reoffender"] = (
            "法〔2015〕129号 全国法院毒品犯罪审判工作座谈会纪要 "
            "(因同一毒品犯罪前科同时构成累犯和毒品再犯的…量刑时不得重复予以从重处罚; read in secondary copies)",
            Label(
                "同一前罪已作为累犯评价，毒品再犯不再重复从重（前罪不同的，由法官酌情加大从重幅度）",
                "the same prior conviction is already counted as recidivism (where different prior crimes make "
                "each, the court weighs more)",
            ),
        )
    if "reconciliation" in active:
        for comp in ("compensation_and_forgiveness", "compensation_only", "forgiveness_only"):
            if comp in active:
                out[comp] = (
                    _PRINCIPLE_NO_DOUBLE,
                    Label("赔偿谅解已在刑事和解中评价", "compensation is already weighed within the reconciliation"),
                )
    for cid in active:
        rule = jurisdiction.circumstance(cid)
        for absorbed in rule.absorbs:
            if absorbed in active and absorbed not in out:
                out[absorbed] = (
                    _PRINCIPLE_NO_DOUBLE,
                    Label(f"已在「{rule.label.zh}」中评价", f"already weighed within '{rule.label.en}'"),
                )
    return out


def _non_custodial_possible(case: Case, table: ChargeTable, active: set[str], tier_index: int) -> bool:
    """Whether the charge's interpretation lets the court forgo a custodial term (lowest tier only)."""
    rule = table.non_custodial
    if rule is None or tier_index > 0:
        return False
    if rule.admission and not active & set(rule.admission):
        return False
    if rule.repair and not active & set(rule.repair):
        return False
    if rule.lenient and not active & set(rule.lenient):
        return False
    if active & set(rule.excluded) or any(case.flag(f) for f in rule.excluded_facts if f in case.as_dict()):
        return False
    return all(case.number(fact) < value for fact, value in rule.below_fact)


def _fine(case: Case, table: ChargeTable, months: float, exempt: bool) -> Fine | None:
    rule = table.fine
    if rule is None or exempt:
        return None
    if rule.kind == "amount_multiple":
        assert rule.max_multiple is not None
        amount = case.number("amount_yuan")
        high = max(rule.min_yuan, amount * rule.max_multiple)
        point = min(max(rule.min_yuan, amount * rule.default), high)
        return Fine(rule.min_yuan, round(point, -2) or rule.min_yuan, high, rule.source)
    assert rule.per_month_min_yuan is not None and rule.per_month_max_yuan is not None
    low = max(rule.min_yuan, months * rule.per_month_min_yuan)
    high = max(low, months * rule.per_month_max_yuan)
    point = min(max(low, months * rule.default), high)
    return Fine(low, round(point, -2) or rule.min_yuan, high, rule.source)


def _probation(months: float, penalty: Penalty, active: set[str], jurisdiction: Jurisdiction) -> Probation:
    policy = jurisdiction.policy
    reasons: list[Label] = []
    if penalty in (Penalty.EXEMPTION, Penalty.NON_CUSTODIAL):
        return Probation(False, False, (Label("没有可以缓期执行的监禁刑", "no custodial term to suspend"),),
                         policy.probation_source)  # fmt: skip
    if months > policy.probation_max_months:
        reasons.append(Label(f"刑期超过{policy.probation_max_months:g}个月", f"the term exceeds "
                             f"{policy.probation_max_months:g} months"))  # fmt: skip
    for cid in sorted(active & set(policy.probation_excluded)):
        name = jurisdiction.circumstance(cid).label
        english = f"excluded by {name.en}" + ("" if name.en == cid else f" ({cid})")
        reasons.append(Label(f"{name.zh}不适用缓刑", english))
    eligible = not reasons
    mandatory = eligible and bool(active & set(policy.probation_mandatory))
    if eligible:
        reasons.append(Label("刑期与前科情况允许；第七十二条的条件由法官判断",
                             "term and record allow it; the art. 72 conditions are for the judge"))  # fmt: skip
    return Probation(eligible, mandatory, tuple(reasons), policy.probation_source)


def derive_sentence(case: Case, jurisdiction: Jurisdiction | None = None) -> Derivation:
    """Apply the four-step method to a validated case, and end in an outcome."""
    jurisdiction = jurisdiction or load_jurisdiction(case.jurisdiction)
    policy = jurisdiction.policy
    table = jurisdiction.charge_table(case.charge)
    tier = select_tier(case, table)
    tier_index = table.tiers.index(tier)
    band = tier.statutory_band
    lighter = band.max_months <= policy.lighter_crime_max_months
    steps: list[DerivationStep] = []

    # Step 1: starting point (machine zone).
    start = tier.starting_point
    start_months = start.months_for(case.value(start.by_fact)) if start.by_fact else start.months
    point = low = high = start_months
    chosen = f"；按{start.by_fact}={case.value(start.by_fact)}取 {start_months:g} 个月" if start.by_fact else ""
    start_note = Label(
        f"量刑起点幅度 {start.min_months:g}–{start.max_months:g} 个月，本辖区取 {start_months:g} 个月{chosen}",
        f"starting-point range {start.min_months:g}–{start.max_months:g} months; this jurisdiction uses "
        f"{start_months:g}" + (f" (by {start.by_fact} = {case.value(start.by_fact)})" if start.by_fact else ""),
    )
    drugs = _drug_note(case)
    if drugs is not None:  # the quantity that chose the band, and how several kinds were added up
        start_note = Label(f"{start_note.zh}；{drugs.zh}", f"{start_note.en}; {drugs.en}")
    steps.append(_step(StepKind.STARTING_POINT, "starting_point", Label("量刑起点", "starting point"), Zone.MACHINE,
                       point, point, low, high, start.source, note=start_note))  # fmt: skip

    # Step 2: base sentence = starting point + increments, kept inside the band.
    amount = case.number("amount_yuan")  # 0 for a charge without an amount
    for inc in tier.increments:
        if (inc.below_amount is not None and amount >= inc.below_amount) or not inc.applies(
            lambda fact: _condition_value(case, fact)
        ):
            continue
        units = max(0, math.floor((_fact_value(case, inc.fact) - inc.above) / inc.unit_size + 1e-9))
        months = units * inc.months
        if inc.cap_months is not None:
            months = min(months, inc.cap_months)
        if months == 0:
            continue
        point, low, high = point + months, low + months, high + months
        steps.append(_step(StepKind.INCREMENT, f"increment.{inc.id}", inc.label, Zone.MACHINE, months, point, low,
                           high, inc.source, note=Label(f"{units} 个单位", f"{units} unit(s)")))  # fmt: skip
    if point > band.max_months:
        capped = band.max_months - point
        point, low, high = band.max_months, band.max_months, band.max_months
        steps.append(_step(StepKind.CLAMP, "base_sentence.cap",
                           Label("基准刑不超过法定刑上限", "base sentence kept within the statutory band"),
                           Zone.MACHINE, capped, point, low, high, band.source))  # fmt: skip
    base = point
    step_2 = "法发〔2021〕21号 量刑指导意见 二、量刑的基本方法 (Part II, step 2)"
    steps.append(_step(StepKind.BASE_SENTENCE, "base_sentence", Label("基准刑", "base sentence"), Zone.MACHINE, 0.0,
                       point, low, high, step_2))  # fmt: skip

    # Step 3: circumstances. First-tier ones multiply one after another.
    active = active_circumstances(case, table)
    skipped = _not_counted(active, jurisdiction)
    rules = {c: jurisdiction.circumstance(c) for c in active}
    share = _restitution_share(case)

    def ratios(rule: CircumstanceRule) -> tuple[float, float, float]:
        lo, de, hi = rule.ratios(lighter)
        if rule.id == "restitution_partial" and share is not None:
            return lo * share, de * share, hi * share
        return lo, de, hi

    def extended(rule: CircumstanceRule) -> Label | None:
        notes: list[Label] = []
        if lighter and rule.lighter_ratio_min is not None:
            reach = abs(rule.lighter_ratio_min)
            notes.append(
                Label(f"犯罪较轻，宽端可至 {reach:.0%}", f"a lighter crime: the lenient end reaches {reach:.0%}")
            )
        if rule.id == "restitution_partial" and share is not None:
            notes.append(Label(f"退赃退赔占涉案数额 {share:.0%}，比例按此折算",
                               f"{share:.0%} of the amount returned; the ratio is scaled by it"))  # fmt: skip
        if not notes:
            return None
        return Label("；".join(n.zh for n in notes), "; ".join(n.en for n in notes))

    for cid in active:
        if cid in skipped:
            source, reason = skipped[cid]
            steps.append(_step(StepKind.NOT_COUNTED, f"circumstance.{cid}", rules[cid].label, Zone.SHARED, 0.0, point,
                               low, high, source, note=reason))  # fmt: skip
    for cid in active:
        rule = rules[cid]
        if rule.stage is not Stage.FIRST or cid in skipped:
            continue
        lo, de, hi = ratios(rule)
        delta = point * de
        point, low, high = point + delta, low * (1 + lo), high * (1 + hi)
        steps.append(_step(StepKind.FIRST_TIER, f"circumstance.{cid}", rule.label, Zone.SHARED, delta, point, low,
                           high, rule.source + (f"; {rule.lighter_source}" if lighter and rule.lighter_source else ""),
                           ratio=de, ratio_range=(lo, hi), note=extended(rule)))  # fmt: skip

    # The rest add up and apply together to the first-tier result.
    first_tier_result = (point, low, high)
    second = [rules[c] for c in active if rules[c].stage is Stage.SECOND and c not in skipped]
    effective = {r.id: ratios(r) for r in second}
    sum_point = sum(effective[r.id][1] for r in second)
    sum_low = sum(effective[r.id][0] for r in second)
    sum_high = sum(effective[r.id][2] for r in second)
    for rule in second:
        lo, de, hi = effective[rule.id]
        delta = first_tier_result[0] * de
        if rule.min_months is not None:
            delta = max(delta, rule.min_months)
        point += delta
        low += first_tier_result[1] * lo
        high += first_tier_result[2] * hi
        steps.append(_step(StepKind.SECOND_TIER, f"circumstance.{rule.id}", rule.label, Zone.SHARED, delta, point,
                           max(low, 0.0), max(high, 0.0),
                           rule.source + (f"; {rule.lighter_source}" if lighter and rule.lighter_source else ""),
                           ratio=de, ratio_range=(lo, hi), note=extended(rule)))  # fmt: skip
    # Plea-agreement group: the plea and what it absorbs are evaluated once, together, reducing by at most 30%
    # (the plea alone), 60% (with surrender, restitution, forgiveness, reconciliation ...) or, for a lighter
    # crime with those, more, to exemption. The cap binds both ends of the range; at the point and at the lenient
    # end alike, the plea never takes away what the absorbed circumstances give on their own (认罪认罚从宽, CPL art.
    # 15: accepting a plea is never a reason for a longer term), so the range always holds the point.
    if "plea_agreement" in active:
        plea = jurisdiction.circumstance("plea_agreement")
        group = [r for r in second if r.id == "plea_agreement" or r.id in policy.plea_agreement_absorbs]
        qualifies = any(r.id in policy.plea_agreement_cap_with for r in group)
        cap = policy.plea_agreement_combined_cap if qualifies else plea.ratio_min
        cap_low = policy.plea_agreement_lighter_crime_cap if qualifies and lighter else cap
        group_point = sum(effective[r.id][1] for r in group)
        group_low = sum(effective[r.id][0] for r in group)
        without_plea = group_point - effective["plea_agreement"][1]
        new_point = min(max(cap, group_point), without_plea)
        # the lenient end likewise: the cap never takes away what the absorbed circumstances' own lenient ends give
        new_low = min(max(cap_low, group_low), group_low - effective["plea_agreement"][0])
        sum_point += new_point - group_point
        sum_low += new_low - group_low
        if new_point != group_point or new_low != group_low:
            delta = first_tier_result[0] * (new_point - group_point)
            point += delta
            low += first_tier_result[1] * (new_low - group_low)
            steps.append(_step(
                StepKind.COMBINED_CAP, "circumstance.plea_agreement.cap",
                Label(f"认罪认罚与相关情节合并评价，减少不超过 {abs(cap):.0%}"
                      + (f"(犯罪较轻，宽端可至 {abs(cap_low):.0%})" if cap_low != cap else ""),
                      f"plea agreement and the circumstances it absorbs reduce by at most {abs(cap):.0%} together"
                      + (f" (a lighter crime: the lenient end reaches {abs(cap_low):.0%})" if cap_low != cap else "")),
                Zone.SHARED, delta, point, max(low, 0.0), max(high, 0.0), policy.plea_agreement_source,
                ratio=new_point - group_point,
                note=Label("上限同时约束宽端；建议刑期及宽端均不因认罪认罚而加重(刑事诉讼法第15条)",
                           "the cap binds the lenient end too; at the point and the lenient end, accepting the plea "
                           "never lengthens the term (CPL art. 15)"),
            ))  # fmt: skip
    # Circumstances with a floor in months (recidivism: at least +3) add their own term beside the
    # proportional ones. The proportional part is floored at zero on its own: were the floor added
    # to a negative multiplier, a smaller base would give a longer term.
    fixed_point = fixed_low = fixed_high = 0.0
    for rule in second:
        if rule.min_months is None:
            continue
        lo, de, hi = effective[rule.id]
        sum_point -= de
        sum_low -= lo
        sum_high -= hi
        fixed_point += max(first_tier_result[0] * de, rule.min_months)
        fixed_low += max(first_tier_result[1] * lo, rule.min_months)
        fixed_high += max(first_tier_result[2] * hi, rule.min_months)
    point = max(0.0, first_tier_result[0] * (1 + sum_point)) + fixed_point
    low = max(0.0, first_tier_result[1] * (1 + sum_low)) + fixed_low
    high = max(0.0, first_tier_result[2] * (1 + sum_high)) + fixed_high
    if second:
        # Restate the running range after the second tier on the last second-tier step.
        last = steps[-1]
        steps[-1] = dataclasses.replace(last, months_after=_r(point), range_after=MonthRange(_r(low), _r(high)))
    adjusted = point

    # Step 4: statutory clamps.
    counted = [rules[c] for c in active if c not in skipped]
    mitigations = [
        r for r in counted
        if r.below_minimum is Mitigation.MANDATORY
        or (r.below_minimum is Mitigation.DISCRETIONARY and policy.allow_discretionary_mitigation_below_minimum)
    ]  # fmt: skip
    exemptions = [
        r for r in counted
        if r.exemption in (Exemption.MANDATORY, Exemption.DISCRETIONARY)
        or (r.exemption is Exemption.LIGHTER_CRIME and lighter)
    ]  # fmt: skip
    plea_exempts = (
        "plea_agreement" in active and lighter
        and any(c in policy.plea_agreement_cap_with for c in active if c not in skipped)
        and policy.plea_agreement_lighter_crime_cap <= -1.0
    )  # fmt: skip
    exemption_basis = tuple(r.id for r in exemptions) + (("plea_agreement",) if plea_exempts else ())
    active_set = set(active) - set(skipped)
    non_custodial = _non_custodial_possible(case, table, active_set, tier_index)
    below_allowed = bool(mitigations)
    if below_allowed and tier_index > 0:
        floor = table.tiers[tier_index - 1].statutory_band.min_months
    elif below_allowed:
        floor = policy.detention_min_months
    else:
        floor = band.min_months
    floor = max(floor, policy.detention_min_months)
    low_floor = 0.0 if exemption_basis or non_custodial else floor
    ceiling = min(band.max_months, policy.fixed_term_cap_months)

    def clamp(value: float, lowest: float = floor) -> float:
        return min(max(value, lowest), ceiling)

    clamped = (clamp(point), clamp(low, low_floor), clamp(high))
    if clamped != (point, low, high):
        if point > ceiling or high > ceiling:
            source = band.source + "; " + (policy.fixed_term_cap_source if ceiling < band.max_months else "")
            why = Label("不得超过法定最高刑", "capped at the statutory maximum")
        else:
            source = band.source + "; " + policy.below_minimum_source
            why = (
                Label("具有法定减轻处罚情节，可在下一量刑幅度内判处",
                      "a statutory mitigation circumstance allows the next lower band")
                if below_allowed
                else Label("只有从轻处罚情节，不得低于法定最低刑",
                           "only circumstances of lighter punishment: not below the statutory minimum")
            )  # fmt: skip
        steps.append(_step(StepKind.CLAMP, "statutory_clamp", Label("法定刑幅度限制", "statutory limits"),
                           Zone.MACHINE, clamped[0] - point, clamped[0], clamped[1], clamped[2],
                           source.rstrip("; "), note=why))  # fmt: skip
    point, low, high = clamped

    # Step 5: the outcome.
    mandatory_exemption = any(r.exemption is Exemption.MANDATORY for r in exemptions)
    nc_rule = table.non_custodial
    recommend_non_custodial = non_custodial and nc_rule is not None and adjusted <= nc_rule.at_most_months
    if mandatory_exemption or recommend_non_custodial:
        penalty = Penalty.EXEMPTION if mandatory_exemption else Penalty.NON_CUSTODIAL
        if mandatory_exemption:
            source = (
                policy.exemption_source
                + "; "
                + "; ".join(r.source for r in exemptions if r.exemption is Exemption.MANDATORY)
            )
            why = Label("具有应当免除处罚的情节", "a circumstance that requires exemption from punishment")
        else:
            assert nc_rule is not None
            source = nc_rule.source
            why = Label(f"符合不判处监禁刑的条件，且调节结果不超过 {nc_rule.at_most_months:g} 个月(本辖区实践)",
                        f"the conditions for a non-custodial outcome hold and the adjusted term is at most "
                        f"{nc_rule.at_most_months:g} months (this jurisdiction's practice)")  # fmt: skip
        steps.append(_step(StepKind.NON_CUSTODIAL, "non_custodial", PENALTY_LABELS[penalty], Zone.SHARED, -point,
                           0.0, 0.0, high, source, note=why))  # fmt: skip
        point, low = 0.0, 0.0
    elif case.charge == "dangerous_driving" or point < _DETENTION_BELOW_MONTHS:
        penalty = Penalty.DETENTION
    else:
        penalty = Penalty.FIXED_TERM
    steps.append(_step(StepKind.RESULT, "recommended", Label("建议刑期", "recommended term"), Zone.MACHINE, 0.0,
                       point, low, high, "法发〔2021〕21号 量刑指导意见 二、量刑的基本方法 (Part II, step 4)",
                       note=None))  # fmt: skip
    ratio = policy.judicial_adjustment_ratio
    around = judicial_band_around(point, ratio)
    judicial = MonthRange(0.0, 0.0) if point == 0.0 else MonthRange(_r(clamp(around.low)), _r(clamp(around.high)))
    steps.append(DerivationStep(StepKind.JUDICIAL_BAND, "judicial_band",
                                Label(f"法官可在 ±{ratio:.0%} 内调整(以整月计，四舍五入)",
                                      f"the judge may adjust by up to ±{ratio:.0%} (in whole months, rounded)"),
                                Zone.HUMAN, 0.0, _r(point), judicial, policy.judicial_adjustment_source))  # fmt: skip
    outcome = Outcome(
        penalty=penalty, months=_r(point), exemption_possible=bool(exemption_basis) or penalty is Penalty.EXEMPTION,
        exemption_basis=exemption_basis, non_custodial_possible=non_custodial,
        exemption_labels=tuple(jurisdiction.circumstance(c).label for c in exemption_basis
                               if c in {r.id for r in jurisdiction.circumstances}),
        non_custodial_source=nc_rule.source if non_custodial and nc_rule is not None else "",
        fine=_fine(case, table, point, penalty is Penalty.EXEMPTION),
        probation=_probation(point, penalty, active_set, jurisdiction),
    )  # fmt: skip
    return Derivation(
        case_id=case.case_id,
        charge=case.charge,
        jurisdiction=jurisdiction.id,
        tier=tier.id,
        tier_label=tier.label,
        statutory_band=MonthRange(band.min_months, ceiling),
        steps=tuple(steps),
        starting_point_months=_r(start_months),
        base_months=_r(base),
        adjusted_months=_r(adjusted),
        recommended_months=_r(point),
        circumstance_range=MonthRange(_r(low), _r(high)),
        judicial_band=judicial,
        sentence_limits=MonthRange(_r(low_floor), _r(ceiling)),
        below_minimum_allowed=below_allowed,
        below_minimum_basis=tuple(r.id for r in mitigations),
        lighter_crime=lighter,
        outcome=outcome,
    )
