"""Worked examples of the four-step method, each computed by hand from the default jurisdiction's table."""

from __future__ import annotations

import dataclasses

import pytest

from sentencing.case import parse_case
from sentencing.guideline import DERIVATION_SCHEMA_VERSION, StepKind, Zone, derive_sentence
from sentencing.jurisdiction import load_jurisdiction


def _derive(document):
    return derive_sentence(parse_case(document))


def test_theft_with_surrender_restitution_and_plea(document) -> None:
    d = _derive(document(circumstances={"surrender": True, "restitution": True, "plea_agreement": True}))
    # start 6 + floor((12000 - 2000) / 2000) = 11; -20% -15% -15% added = -50% -> 5.5
    assert (d.tier, d.starting_point_months, d.base_months, d.recommended_months) == ("large", 6.0, 11.0, 5.5)
    # lenient end: -40% -30% -30% = -100%; the 60% cap limits only what the plea agreement adds, and
    # surrender and restitution alone reach -70%, so the lenient end is 11 x 0.3 = 3.3; severe end: 11
    assert (d.circumstance_range.low, d.circumstance_range.high) == (3.3, 11.0)
    assert (d.judicial_band.low, d.judicial_band.high) == (4.4, 6.6)
    assert (d.statutory_band.low, d.statutory_band.high) == (1.0, 36.0)


def test_first_tier_circumstances_apply_before_the_others(document) -> None:
    doc = document(charge="intentional_injury", circumstances={"surrender": True}, defendant={"age_at_offence": 17})
    doc["facts"] = {"serious_injuries": 1, "disability_grade": 8}
    d = _derive(doc)
    # start 36 + (11 - 8) x 2 = 42; minor 16-18 first: 42 x 0.7 = 29.4; then surrender: 29.4 x 0.8 = 23.52
    assert d.base_months == 42.0
    assert d.recommended_months == 23.52  # applied together it would be 42 x 0.5 = 21
    kinds = [s.kind for s in d.steps if s.key.startswith("circumstance.")]
    assert kinds == [StepKind.FIRST_TIER, StepKind.SECOND_TIER]
    assert d.below_minimum_allowed and d.below_minimum_basis == ("minor_16_18",)


def test_no_mandatory_mitigation_means_no_term_below_the_statutory_minimum(document) -> None:
    doc = document(charge="intentional_injury", circumstances={"surrender": True})
    doc["facts"] = {"serious_injuries": 1, "disability_grade": 8}
    d = _derive(doc)
    assert d.adjusted_months == 33.6 and d.recommended_months == 36.0 and not d.below_minimum_allowed
    clamp = next(s for s in d.steps if s.kind is StepKind.CLAMP)
    assert "art. 63" in clamp.source and clamp.months_delta == 2.4
    # A court whose policy admits discretionary mitigation (surrender, 可以减轻) may go below.
    base = load_jurisdiction("default")
    lenient = dataclasses.replace(
        base, policy=dataclasses.replace(base.policy, allow_discretionary_mitigation_below_minimum=True)
    )
    assert derive_sentence(parse_case(doc), lenient).recommended_months == 33.6


def test_recidivism_adds_at_least_three_months(document) -> None:
    d = _derive(document(facts={"amount_yuan": 3000}, circumstances={"recidivist": True}))
    # base 6; +25% would be 1.5 months, but recidivism adds at least 3 -> 9
    assert d.base_months == 6.0 and d.recommended_months == 9.0


def test_recidivist_with_burglary_in_the_huge_tier(bundled_cases) -> None:
    case = next(c for c in bundled_cases if c.case_id == "theft-burglary-recidivist")
    d = derive_sentence(case)
    # start 36 + floor(18000/5000)=3 + (3 acts - 1)=2 -> 41; +25% -10% = +15% -> 47.15
    assert (d.tier, d.base_months, d.recommended_months) == ("huge", 41.0, 47.15)


@pytest.mark.parametrize(
    ("circumstances", "skipped"),
    [
        ({"surrender": True, "guilty_plea_in_court": True}, "guilty_plea_in_court"),
        ({"recidivist": True, "prior_record": True}, "prior_record"),
    ],
)
def test_one_fact_is_not_counted_twice(document, circumstances, skipped) -> None:
    d = _derive(document(circumstances=circumstances))
    step = next(s for s in d.steps if s.key == f"circumstance.{skipped}")
    assert step.kind is StepKind.NOT_COUNTED and step.months_delta == 0 and step.note is not None


def test_reconciliation_absorbs_compensation(bundled_cases) -> None:
    case = next(c for c in bundled_cases if c.case_id == "injury-minor-reconciliation")
    d = derive_sentence(case)
    skipped = [s.key for s in d.steps if s.kind is StepKind.NOT_COUNTED]
    assert skipped == ["circumstance.compensation_and_forgiveness"]
    # base 6; reconciliation -25% and plea -15% = -40% -> 3.6
    assert d.recommended_months == 3.6


def test_plea_agreement_alone_is_capped_at_thirty_percent(document) -> None:
    d = _derive(document(circumstances={"plea_agreement": True, "good_conduct_in_custody": True}))
    # lenient end: -30% -10% = -40% -> capped at -30% without surrender etc.: 11 x 0.7 = 7.7
    assert d.circumstance_range.low == 7.7


def test_accepting_a_plea_never_lengthens_the_term(document) -> None:
    # Found by the property test: the combined 60% cap used to take back more than the plea added.
    circumstances = {
        "confession": "heavier_same_type",
        "restitution": True,
        "reconciliation": True,
        "good_conduct_in_custody": True,
    }
    doc = document(facts={"amount_yuan": 5000}, defendant={"age_at_offence": 18}, circumstances=circumstances)
    without = _derive(doc)
    with_plea = _derive(document(**{**doc, "circumstances": {**circumstances, "plea_agreement": True}}))
    # base 7; others alone: -20% -15% -25% -5% = -65% -> 2.45; with the plea the cap (-60%) must not undo that
    assert without.recommended_months == 2.45
    assert with_plea.recommended_months == 2.45
    assert with_plea.circumstance_range.low <= without.circumstance_range.low


def test_a_mitigating_circumstance_never_lengthens_the_term_beside_recidivism(document) -> None:
    # Found by the property test: with reductions beyond 100% of the base, recidivism's fixed
    # +3 months used to be added to a negative multiplier, so the smaller base gave a longer term.
    circumstances = {
        "surrender": True,
        "meritorious_service": "major",
        "restitution": True,
        "reconciliation": True,
        "good_conduct_in_custody": True,
        "plea_agreement": True,
        "recidivist": True,
    }
    doc = document(facts={"amount_yuan": 5000}, circumstances=circumstances)
    without = _derive(doc)
    with_mitigation = _derive(document(**{**doc, "circumstances": {**circumstances, "deaf_mute_or_blind": True}}))
    # the proportional part is floored at 0 and recidivism adds its 3 months: both give 3.0
    assert with_mitigation.recommended_months <= without.recommended_months == 3.0


def test_statutory_maximum_caps_the_term(document) -> None:
    doc = document(charge="fraud", facts={"amount_yuan": 5_000_000}, circumstances={"recidivist": True})
    d = _derive(doc)
    assert d.tier == "especially_huge" and d.recommended_months == 180.0
    assert d.circumstance_range.high == 180.0 and d.judicial_band.high == 180.0


def test_dangerous_driving_stays_within_one_to_six_months(bundled_cases, document) -> None:
    case = next(c for c in bundled_cases if c.case_id == "dangerous-driving-accident")
    d = derive_sentence(case)
    # 1 + floor((186 - 80) / 40) = 2 + accident 1 -> 4; -20% -15% -> 2.6
    assert (d.base_months, d.recommended_months) == (4.0, 2.6)
    doc = document(charge="dangerous_driving", circumstances={"recidivist": True, "disaster_or_epidemic": True})
    doc["facts"] = {"blood_alcohol_mg_per_100ml": 400, "unlicensed": True, "carrying_passengers": True}
    heavy = _derive(doc)
    assert heavy.recommended_months == 6.0 and heavy.statutory_band.high == 6.0


def test_every_step_has_a_source_and_a_zone(bundled_cases) -> None:
    for case in bundled_cases:
        d = derive_sentence(case)
        assert d.steps[0].kind is StepKind.STARTING_POINT and d.steps[-1].kind is StepKind.JUDICIAL_BAND
        for step in d.steps:
            assert step.source, step.key
            assert step.label.zh and step.label.en
        zones = {s.kind: s.zone for s in d.steps}
        assert zones[StepKind.STARTING_POINT] is Zone.MACHINE and zones[StepKind.JUDICIAL_BAND] is Zone.HUMAN
        assert all(s.zone is Zone.SHARED for s in d.steps if s.kind in (StepKind.FIRST_TIER, StepKind.SECOND_TIER))


def test_step_changes_add_up_to_the_result(bundled_cases) -> None:
    for case in bundled_cases:
        d = derive_sentence(case)
        total = sum(s.months_delta for s in d.steps)
        assert abs(total - d.recommended_months) < 0.05, case.case_id


def test_derivation_json_is_schema_versioned_and_bilingual(bundled_cases) -> None:
    body = derive_sentence(bundled_cases[0]).to_dict()
    assert body["schema_version"] == DERIVATION_SCHEMA_VERSION
    assert set(body["steps"][0]["label"]) == {"zh-CN", "en"}
