"""The guideline engine's numbers for many cases at once: the recommended term and the sentence limits of every row of
a feature frame, equal to :func:`sentencing.guideline.derive_sentence`'s for each case.

``derive_sentence`` explains one case step by step, with labels and sources; a million synthetic judgments (issue 21:
under two minutes) or a calibration that re-derives every judgment after each change of the table need only its
numbers. This computes them by columns: the facts a tier or an increment reads are columns; the circumstances a case
establishes are yes/no columns in the engine's own order; rows establishing the same circumstances share one plan (what
is counted, at which stage, the plea agreement's cap, the floors and the ceiling), computed by the engine's own
helpers; and the arithmetic of every row is done in the order the engine does it, so that every number is the same
float. The test compares the two on every crime's cases (``tests/sentencing/test_terms.py``).

The frame's rows must be lawful cases (a feature frame of validated cases, :func:`sentencing.features.feature_frame`),
as ``derive_sentence``'s cases are.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from sentencing.case import RETURNABLE_SUMS
from sentencing.catalogue import Catalogue, FactorType, load_catalogue
from sentencing.drugs import HEROIN_EQUIVALENT, heroin_ratios
from sentencing.errors import InputError, Rule
from sentencing.guideline import _ENUMS, _FLAGS, _not_counted
from sentencing.jurisdiction import (
    AllOf,
    ChargeTable,
    Condition,
    Exemption,
    Jurisdiction,
    Mitigation,
    Stage,
    Tier,
    load_jurisdiction,
)

__all__ = ["GuidelineTerms", "guideline_terms"]

Floats = NDArray[np.float64]
Flags = NDArray[np.bool_]


@dataclass(frozen=True)
class GuidelineTerms:
    """Per row of the frame: the tier's index in its charge's table, the recommended term (months, to 1/100, as the
    derivation's ``recommended_months``), the limits any sentence of the case stays inside (``sentence_limits``) and
    the judge's band around the recommendation (``judicial_band``)."""

    tier_index: NDArray[np.int64]
    recommended_months: Floats
    limit_low: Floats
    limit_high: Floats
    judicial_low: Floats
    judicial_high: Floats


def _rounded(values: Floats) -> Floats:
    """Python's ``round(x, 2)`` of every value, the derivation's rounding. numpy's (x × 100 to the nearest whole, then
    / 100) gives the same float except where x × 100 lies within rounding error of a half; those few values are
    rounded by Python itself."""
    values = values + 0.0
    hundredths = values * 100.0
    out = np.rint(hundredths) / 100.0
    near_half = np.flatnonzero(np.abs(hundredths - np.floor(hundredths) - 0.5) < 1e-6 * np.maximum(1.0, hundredths))
    out[near_half] = [round(v, 2) for v in values[near_half].tolist()]
    return out


class _Frame:
    """A frame's columns as arrays, each converted once (shared by every charge's rows)."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame
        self._floats: dict[str, Floats] = {}
        self._texts: dict[str, NDArray[np.str_]] = {}

    def floats(self, column: str) -> Floats:
        if column not in self._floats:
            self._floats[column] = self.frame[column].to_numpy(dtype=np.float64)
        return self._floats[column]

    def texts(self, column: str) -> NDArray[np.str_]:
        if column not in self._texts:
            self._texts[column] = np.asarray(self.frame[column].to_numpy(dtype=object).astype(str))
        return self._texts[column]


class _Columns:
    """One charge's rows: each fact as ``derive_sentence`` reads it from a case of that charge (a fact that is not the
    charge's is absent from its case: false, 0 or "none")."""

    def __init__(self, frame: _Frame, positions: NDArray[np.intp], charge: str, catalogue: Catalogue) -> None:
        self.frame, self.positions, self.charge, self.catalogue = frame, positions, charge, catalogue
        self.rows = len(positions)
        self._numbers: dict[str, Floats] = {}

    def applies(self, fact: str) -> bool:
        return self.catalogue.has_factor(fact) and self.catalogue.factor(fact).applies_to(self.charge)

    def _named(self, fact: str) -> bool:
        return self.applies(fact) and self.catalogue.factor(fact).type is FactorType.ENUM

    def number(self, fact: str) -> Floats:
        """``_fact_value``: the number (a yes/no fact 1 or 0); 0 for a named fact or one that is not the charge's."""
        if fact not in self._numbers:
            if fact == HEROIN_EQUIVALENT:  # heroin_equivalent: each kind held, converted, added in the table's order
                total: Any = 0
                for kind, ratio in heroin_ratios():
                    grams = self.number(kind.factor)
                    total = total + np.where(grams > 0, grams * ratio, 0.0)
                values = np.zeros(self.rows) + total
            elif fact == "disability_grade_severity":
                grade = np.trunc(self.number("disability_grade"))
                values = np.where(grade > 0, 11.0 - grade, 0.0)
            elif not self.applies(fact) or self._named(fact):
                values = np.zeros(self.rows)
            else:
                values = self.frame.floats(fact)[self.positions]
            self._numbers[fact] = values
        return self._numbers[fact]

    def text(self, fact: str) -> NDArray[np.str_]:
        """``case.text``: the named value; "none" where the fact is not the charge's."""
        if self.applies(fact):
            return self.frame.texts(fact)[self.positions]
        return np.full(self.rows, "none")

    def flag(self, fact: str) -> Flags:
        """``case.flag``: false where the fact is not the charge's."""
        return self.number(fact) == 1.0 if self.applies(fact) else np.zeros(self.rows, dtype=bool)

    def holds(self, condition: Condition | AllOf) -> Flags:
        """:meth:`Condition.holds` (a group: all of them) on every row, reading facts as ``_condition_value`` does."""
        if isinstance(condition, AllOf):
            out = np.ones(self.rows, dtype=bool)
            for part in condition.conditions:
                out &= self.holds(part)
            return out
        if condition.one_of is not None:
            if self._named(condition.fact):
                return np.isin(self.text(condition.fact), condition.one_of)
            numbers = self.number(condition.fact)  # a number's text is never a named value's id
            return np.array([str(float(v)) in condition.one_of for v in numbers.tolist()], dtype=bool)
        if self._named(condition.fact):
            raise InputError(condition.fact, Rule.WRONG_TYPE, "a condition on a named fact must list its values")
        number = self.number(condition.fact)
        if condition.at_least is not None:
            return np.asarray(number >= condition.at_least)
        if condition.is_true is not None:
            return np.asarray((number == 1.0) == condition.is_true)
        assert condition.between is not None
        return np.asarray((condition.between[0] <= number) & (number <= condition.between[1]))

    def tier_holds(self, tier: Tier) -> Flags:
        out = np.ones(self.rows, dtype=bool)
        for condition in tier.when:
            out &= self.holds(condition)
        if tier.when_any:
            some = np.zeros(self.rows, dtype=bool)
            for any_condition in tier.when_any:
                some |= self.holds(any_condition)
            out &= some
        return out

    def starting_points(self, tier: Tier) -> Floats:
        """``StartingPoint.months_for`` the fact that chooses it (an injury's grade), else the tier's months."""
        start = tier.starting_point
        if not start.by_fact:
            return np.full(self.rows, start.months)
        by_value = dict(start.by_value)
        if self._named(start.by_fact):
            values = self.text(start.by_fact).tolist()
        else:  # a number as the case holds it: a whole number's text without a decimal point
            spec = self.catalogue.factor(start.by_fact)
            numbers = self.number(start.by_fact).tolist()
            if spec.type is FactorType.BOOLEAN:
                values = [str(v == 1.0) for v in numbers]
            else:
                values = [str(int(v)) if spec.type is FactorType.INTEGER else str(v) for v in numbers]
        return np.array([by_value.get(v, start.months) for v in values], dtype=np.float64)


def _base(columns: _Columns, tier: Tier, rows: NDArray[np.intp]) -> Floats:
    """Steps 1 and 2 for the rows of one tier: the starting point plus the increments, kept inside the band."""
    point = columns.starting_points(tier)[rows]
    amount = columns.number("amount_yuan")[rows]
    for inc in tier.increments:
        counted = np.ones(len(rows), dtype=bool)
        for condition in inc.when:
            counted &= columns.holds(condition)[rows]
        if inc.below_amount is not None:
            counted &= ~(amount >= inc.below_amount)
        units = np.maximum(0.0, np.floor((columns.number(inc.fact)[rows] - inc.above) / inc.unit_size + 1e-9))
        months = units * inc.months
        if inc.cap_months is not None:
            months = np.minimum(months, inc.cap_months)
        point = point + np.where(counted, months, 0.0)  # x + 0.0 is x: as the engine skipping the increment
    band = tier.statutory_band
    return np.where(point > band.max_months, float(band.max_months), point)


def _circumstances(columns: _Columns, table: ChargeTable) -> tuple[list[str], Flags, Floats | None]:
    """The circumstances each row establishes, in ``active_circumstances``'s order: (ids, rows × ids of yes/no, the
    share of the amount returned where stated, else None). An id may come twice (a restitution by its flag and by the
    share returned come at different places of the order), never twice in one row."""
    ids: list[str] = []
    flags: list[Flags] = []
    age = columns.number("age_at_offence")
    minor_12 = (age >= 12) & (age < 16)
    minor_16 = (age >= 16) & (age < 18)
    ids += ["minor_12_16", "minor_16_18", "aged_75"]
    flags += [minor_12, minor_16, age >= 75]
    for flag in _FLAGS:
        ids.append(flag)
        flags.append(columns.flag(flag))
    for enum_factor, prefix in _ENUMS:
        text = columns.text(enum_factor)
        for value in columns.catalogue.factor(enum_factor).values:
            if value != "none":
                ids.append(prefix + value)
                flags.append(text == value)
    compensation = columns.text("compensation")
    for value in columns.catalogue.factor("compensation").values:
        if value != "none":
            ids.append(value)
            flags.append(compensation == value)
    share: Floats | None = None
    sums = [f for f in RETURNABLE_SUMS if columns.applies(f)]
    returned = columns.number("restitution_yuan")
    stated = returned > 0 if sums else np.zeros(columns.rows, dtype=bool)
    if stated.any():  # _restitution_share
        amount: Any = 0
        for f in sums:
            amount = amount + columns.number(f)
        amount = np.zeros(columns.rows) + amount
        safe = np.where(amount <= 0, 1.0, amount)
        share = np.where(amount <= 0, 1.0, np.minimum(1.0, returned / safe))
        by_flag = flags[ids.index("restitution")]
        ids += ["restitution", "restitution_partial"]
        flags += [stated & ~by_flag & (share >= 1.0), stated & ~by_flag & (share < 1.0)]
    if table.acts_circumstance_from is not None and table.has_threshold("large"):
        ids.append("multiple_acts")
        flags.append(
            (columns.number("acts") >= table.acts_circumstance_from)
            & (columns.number("amount_yuan") >= table.threshold("large"))
        )
    return ids, np.column_stack(flags), share


def _skipped(ids: list[str], active: Flags, jurisdiction: Jurisdiction) -> Flags:
    """Per row and circumstance, whether the engine leaves it uncounted (``_not_counted``: evaluated within another).
    The rule reads only a few circumstances (those it names and those a rule absorbs), so it is asked once for each
    combination of them that occurs."""
    named = {"guilty_plea_in_court", "surrender", "plea_agreement", "prior_record", "recidivist", "drug_reoffender",
             "reconciliation", "compensation_and_forgiveness", "compensation_only", "forgiveness_only"}  # fmt: skip
    for rule in jurisdiction.circumstances:
        if rule.absorbs:
            named |= {rule.id, *rule.absorbs}
    relevant = [j for j, cid in enumerate(ids) if cid in named or cid.startswith("confession_")]
    skipped = np.zeros(active.shape, dtype=bool)
    if not relevant:
        return skipped
    bits = np.zeros(active.shape[0], dtype=np.int64)
    for k, j in enumerate(relevant):
        bits |= active[:, j].astype(np.int64) << k
    for key in np.unique(bits).tolist():
        present = tuple(ids[j] for k, j in enumerate(relevant) if key >> k & 1)
        out = _not_counted(present, jurisdiction)
        if out:
            rows = bits == key
            for k, j in enumerate(relevant):
                if key >> k & 1 and ids[j] in out:
                    skipped[rows, j] = True
    return skipped


def _charge_terms(
    columns: _Columns, table: ChargeTable, jurisdiction: Jurisdiction
) -> tuple[NDArray[np.int64], Floats, Floats, Floats, Floats, Floats]:
    """One charge's rows: (tier index, recommended term unrounded, lower limit, upper limit)."""
    policy = jurisdiction.policy
    rows = columns.rows
    tiers = np.zeros(rows, dtype=np.int64)
    placed = np.zeros(rows, dtype=bool)
    for index in range(len(table.tiers) - 1, 0, -1):  # select_tier: the last tier whose facts hold
        holds = columns.tier_holds(table.tiers[index]) & ~placed
        tiers[holds] = index
        placed |= holds
    base = np.zeros(rows)
    band_min = np.zeros(rows)
    band_max = np.zeros(rows)
    below_band_min = np.zeros(rows)  # the next lower band's minimum (a statutory mitigation reaches it)
    for index, tier in enumerate(table.tiers):
        in_tier = np.flatnonzero(tiers == index)
        if len(in_tier):
            base[in_tier] = _base(columns, tier, in_tier)
            band_min[in_tier] = tier.statutory_band.min_months
            band_max[in_tier] = tier.statutory_band.max_months
            if index > 0:
                below_band_min[in_tier] = table.tiers[index - 1].statutory_band.min_months
    lighter = band_max <= policy.lighter_crime_max_months

    # Step 3, circumstance by circumstance in the engine's order; an uncounted one adds 0.0 (x + 0.0 is x).
    ids, active, share = _circumstances(columns, table)
    counted = active & ~_skipped(ids, active, jurisdiction)
    rules = {}
    for j, cid in enumerate(ids):
        if active[:, j].any():
            rules[j] = jurisdiction.circumstance(cid)  # a circumstance without a rule: KeyError, as the engine's

    def ratio(j: int) -> Floats:
        rule = rules[j]
        value = rule.ratio_default  # the default ratio does not depend on a lighter crime (CircumstanceRule.ratios)
        if rule.id == "restitution_partial" and share is not None:
            return np.where(counted[:, j], value * share, 0.0)
        return np.where(counted[:, j], value, 0.0)

    point = base
    for j, rule in rules.items():
        if rule.stage is Stage.FIRST:
            point = point + point * ratio(j)
    first_tier = point
    second = [j for j, rule in rules.items() if rule.stage is Stage.SECOND]
    total = np.zeros(rows)
    for j in second:
        total = total + ratio(j)
    plea = next((j for j in second if ids[j] == "plea_agreement"), None)
    if plea is not None:
        group = [j for j in second if ids[j] == "plea_agreement" or ids[j] in policy.plea_agreement_absorbs]
        qualifies = np.zeros(rows, dtype=bool)
        for j in group:
            if ids[j] in policy.plea_agreement_cap_with:
                qualifies |= counted[:, j]
        cap = np.where(
            qualifies, policy.plea_agreement_combined_cap, jurisdiction.circumstance("plea_agreement").ratio_min
        )
        group_point = np.zeros(rows)
        for j in group:
            group_point = group_point + ratio(j)
        capped = np.minimum(np.maximum(cap, group_point), group_point - ratio(plea))
        total = total + np.where(active[:, plea], capped - group_point, 0.0)
    fixed = np.zeros(rows)
    for j in second:
        floor_months = rules[j].min_months
        if floor_months is not None:
            total = total - ratio(j)
            fixed = fixed + np.where(counted[:, j], np.maximum(first_tier * ratio(j), floor_months), 0.0)
    adjusted = np.maximum(0.0, first_tier * (1 + total)) + fixed

    # Step 4: what the counted circumstances allow below the band, and exemption.
    mitigation = np.zeros(rows, dtype=bool)
    exemption = np.zeros(rows, dtype=bool)
    mandatory = np.zeros(rows, dtype=bool)
    for j, rule in rules.items():
        if rule.below_minimum is Mitigation.MANDATORY or (
            rule.below_minimum is Mitigation.DISCRETIONARY and policy.allow_discretionary_mitigation_below_minimum
        ):
            mitigation |= counted[:, j]
        if rule.exemption in (Exemption.MANDATORY, Exemption.DISCRETIONARY):
            exemption |= counted[:, j]
        elif rule.exemption is Exemption.LIGHTER_CRIME:
            exemption |= counted[:, j] & lighter
        if rule.exemption is Exemption.MANDATORY:
            mandatory |= counted[:, j]
    if plea is not None and policy.plea_agreement_lighter_crime_cap <= -1.0:
        with_cap = np.zeros(rows, dtype=bool)
        for j in rules:
            if ids[j] in policy.plea_agreement_cap_with:
                with_cap |= counted[:, j]
        exemption |= active[:, plea] & lighter & with_cap
    floor = np.where(
        mitigation & (tiers > 0), below_band_min, np.where(mitigation, policy.detention_min_months, band_min)
    )
    floor = np.maximum(floor, policy.detention_min_months)
    ceiling = np.minimum(band_max, policy.fixed_term_cap_months)
    non_custodial = _non_custodial(columns, table, ids, counted) & (tiers == 0)
    clamped = np.minimum(np.maximum(adjusted, floor), ceiling)
    practice = table.non_custodial
    forgone = mandatory | (non_custodial & (adjusted <= practice.at_most_months) if practice is not None else mandatory)
    point = np.where(forgone, 0.0, clamped)
    # judicial_band_around, each end clamped to the band (floor, ceiling): none where there is no custodial term
    adjustment = policy.judicial_adjustment_ratio
    lowest, highest = point * (1 - adjustment), point * (1 + adjustment)
    whole_low, whole_high = np.floor(lowest + 0.5 + 1e-9), np.floor(highest + 0.5 + 1e-9)
    judicial_low = np.minimum(np.maximum(np.minimum(lowest, whole_low), floor), ceiling)
    judicial_high = np.minimum(np.maximum(np.maximum(highest, whole_high), floor), ceiling)
    custodial = point != 0.0
    return (
        tiers, point, np.where(exemption | non_custodial, 0.0, floor), ceiling,
        np.where(custodial, judicial_low, 0.0), np.where(custodial, judicial_high, 0.0),
    )  # fmt: skip


def _non_custodial(columns: _Columns, table: ChargeTable, ids: list[str], counted: Flags) -> Flags:
    """``_non_custodial_possible`` on every row (the lowest tier is checked by the caller)."""
    rule = table.non_custodial
    if rule is None:
        return np.zeros(columns.rows, dtype=bool)

    def any_of(names: tuple[str, ...]) -> Flags:
        out = np.zeros(columns.rows, dtype=bool)
        for j, cid in enumerate(ids):
            if cid in names:
                out |= counted[:, j]
        return out

    out = np.ones(columns.rows, dtype=bool)
    for needed in (rule.admission, rule.repair, rule.lenient):
        if needed:
            out &= any_of(needed)
    out &= ~any_of(rule.excluded)
    for fact in rule.excluded_facts:
        out &= ~columns.flag(fact)
    for fact, value in rule.below_fact:
        out &= columns.number(fact) < value
    return out


def guideline_terms(
    frame: pd.DataFrame, jurisdiction: Jurisdiction | None = None, catalogue: Catalogue | None = None
) -> GuidelineTerms:
    """Every row's recommended term and sentence limits, as ``derive_sentence`` gives them for the row's case."""
    catalogue = catalogue or load_catalogue()
    jurisdiction = jurisdiction or load_jurisdiction("default")
    for column in ("charge", *catalogue.factor_ids):
        if column not in frame.columns:
            raise InputError(column, Rule.MISSING_REQUIRED, "a feature frame holds every catalogue factor's column")
    columns_of = _Frame(frame)
    charges = columns_of.texts("charge")
    size = len(frame)
    tiers = np.zeros(size, dtype=np.int64)
    recommended, low, high, judicial_low, judicial_high = (np.zeros(size) for _ in range(5))
    known = set(catalogue.charge_ids)
    for charge in np.unique(charges).tolist():
        if charge not in known:
            raise InputError("charge", Rule.UNKNOWN_CHARGE, f"expected a catalogue charge, found {charge!r}")
        positions = np.flatnonzero(charges == charge)
        columns = _Columns(columns_of, positions, charge, catalogue)
        terms = _charge_terms(columns, jurisdiction.charge_table(charge), jurisdiction)
        for out, values in zip((tiers, recommended, low, high, judicial_low, judicial_high), terms, strict=True):
            out[positions] = values
    return GuidelineTerms(
        tiers, *(_rounded(values) for values in (recommended, low, high, judicial_low, judicial_high))
    )
