"""Worked examples of the four-step method, each computed by hand from the default jurisdiction's table.

Each rule of 法发〔2021〕21号 (the opinion) and of the Criminal Law that the engine implements has a test here whose
name says where the rule is: ``part_ii_3_2`` is Part II (量刑的基本方法), section (三) 确定宣告刑的方法, item 2.
The default table's theft case: ¥12,000 in the 数额较大 tier, start 6 + floor((12,000 − 1,000) / 2,000) = 11 months.
"""

from __future__ import annotations

import copy
import dataclasses

import pytest

from sentencing.case import parse_case
from sentencing.errors import CaseValidationError, ConfigurationError, Rule
from sentencing.guideline import (
    DERIVATION_SCHEMA_VERSION,
    Penalty,
    StepKind,
    Zone,
    derive_sentence,
    judicial_band_around,
)
from sentencing.jurisdiction import load_jurisdiction
from tests.hearing.store_fixtures import bundled_document


def _derive(document, jurisdiction=None):
    return derive_sentence(parse_case(document, jurisdiction=jurisdiction), jurisdiction)


def _injury(document, facts, circumstances=None, **defendant):
    doc = document(charge="intentional_injury", circumstances=circumstances or {})
    doc["facts"] = facts
    doc["defendant"].update(defendant)
    return doc


# Part II (二) 调节基准刑的方法


def test_part_ii_2_2_first_tier_circumstances_apply_before_the_others(document) -> None:
    # "具有未成年人犯罪 … 等量刑情节的，先适用该量刑情节对基准刑进行调节，在此基础上，再适用其他量刑情节进行调节"
    d = _derive(_injury(document, {"serious_injuries": 1, "disability_grade": 8}, {"surrender": True},
                        age_at_offence=17))  # fmt: skip
    # start 36 + (11 - 8) x 2 = 42; minor 16-18 first: 42 x 0.7 = 29.4; then surrender: 29.4 x 0.8 = 23.52
    assert d.base_months == 42.0
    assert d.recommended_months == 23.52  # applied together it would be 42 x 0.5 = 21
    kinds = [s.kind for s in d.steps if s.key.startswith("circumstance.")]
    assert kinds == [StepKind.FIRST_TIER, StepKind.SECOND_TIER]


@pytest.mark.parametrize(
    "circumstance",
    ["limited_capacity", "excessive_defence", "preparation", "coerced_accomplice", "discontinuance",
     "instigator"],
)  # fmt: skip
def test_part_ii_2_2_the_listed_first_tier_circumstances_are_first_tier(document, circumstance) -> None:
    # "限制行为能力的精神病人犯罪 … 防卫过当、避险过当、犯罪预备、犯罪未遂、犯罪中止，从犯、胁从犯和教唆犯"
    value = {"discontinuance": "with_harm", "instigator": "instigation_not_committed"}.get(circumstance, True)
    d = _derive(_injury(document, {"minor_injuries": 1}, {circumstance: value, "confession": "ordinary"}))
    kinds = [s.kind for s in d.steps if s.key.startswith("circumstance.")]
    assert kinds == [StepKind.FIRST_TIER, StepKind.SECOND_TIER]


def test_part_ii_2_2_excessive_necessity_is_first_tier_for_drunk_driving(document) -> None:
    doc = document(charge="dangerous_driving", circumstances={"excessive_necessity": True})
    doc["facts"] = {"blood_alcohol_mg_per_100ml": 200}
    d = _derive(doc)
    assert [s.kind for s in d.steps if s.key.startswith("circumstance.")] == [StepKind.FIRST_TIER]


def test_part_ii_2_1_same_direction_add_opposite_subtract(document) -> None:
    d = _derive(document(facts={"amount_yuan": 68000, "acts": 3, "burglary": True},
                         circumstances={"recidivist": True, "confession": "ordinary"}))  # fmt: skip
    # huge tier: start 36 + floor(18,000 / 5,000) = 39 (the number of acts is no increment at 数额较大 or more);
    # confession -10% and repeated theft +5% add to -5%: 39 x 0.95 = 37.05; recidivism +25% = 9.75 -> 46.8
    assert (d.tier, d.base_months, d.recommended_months) == ("huge", 39.0, 46.8)


# Part II (三) 确定宣告刑的方法


def test_part_ii_3_2_only_lighter_circumstances_stop_at_the_minimum(document) -> None:
    # "只有从轻处罚情节的，可以依法确定法定最低刑为宣告刑"
    d = _derive(_injury(document, {"serious_injuries": 1}, {"confession": "ordinary"}))
    assert d.adjusted_months == 32.4 and d.recommended_months == 36.0 and not d.below_minimum_allowed
    clamp = next(s for s in d.steps if s.kind is StepKind.CLAMP)
    assert "art. 63" in clamp.source and clamp.months_delta == 3.6


def test_part_ii_3_2_a_discretionary_mitigation_may_go_below_the_minimum(document) -> None:
    # "具有法定减轻处罚情节 … 可以直接确定为宣告刑"; surrender may mitigate (可以从轻或者减轻, art. 67)
    doc = _injury(document, {"serious_injuries": 1}, {"surrender": True})
    d = _derive(doc)
    assert d.recommended_months == 28.8 and d.below_minimum_basis == ("surrender",)
    assert d.sentence_limits.low == 1.0  # the next lower band's minimum
    # the court's policy stays a switch: a court that admits only mandatory mitigation below the minimum
    base = load_jurisdiction("default")
    strict = dataclasses.replace(
        base, policy=dataclasses.replace(base.policy, allow_discretionary_mitigation_below_minimum=False)
    )
    assert derive_sentence(parse_case(doc), strict).recommended_months == 36.0


def test_part_ii_3_3_the_statutory_maximum_caps_the_term(document) -> None:
    d = _derive(document(charge="fraud", facts={"amount_yuan": 5_000_000}, circumstances={"recidivist": True}))
    assert d.tier == "especially_huge" and d.recommended_months == 180.0
    assert d.circumstance_range.high == 180.0 and d.judicial_band.high == 180.0


def test_part_ii_3_4_the_judges_band_is_twenty_percent_in_whole_months(document) -> None:
    d = _derive(document(circumstances={"surrender": True, "restitution": True, "plea_agreement": True}))
    # 5.5 months: 4.4 -> 4 and 6.6 -> 7 (terms are pronounced in whole months)
    assert d.recommended_months == 5.5 and (d.judicial_band.low, d.judicial_band.high) == (4.0, 7.0)
    assert next(s for s in d.steps if s.kind is StepKind.JUDICIAL_BAND).zone is Zone.HUMAN


@pytest.mark.parametrize(("point", "low", "high"), [
    (5.5, 4.0, 7.0),    # 4.4 -> 4, 6.6 -> 7: rounding widens
    (10.0, 8.0, 12.0),  # already whole
    (2.0, 1.6, 2.4),    # 1.6 -> 2 and 2.4 -> 2 would narrow it: the exact ends stay
    (0.0, 0.0, 0.0),    # no custodial term
])  # fmt: skip
def test_part_ii_3_4_the_band_around_any_point(point: float, low: float, high: float) -> None:
    band = judicial_band_around(point, 0.2)
    assert (round(band.low, 9), round(band.high, 9)) == (low, high)


# Part III 常见量刑情节的适用


def test_part_iii_surrender_in_a_lighter_crime_reaches_exemption(document) -> None:
    # "对于自首情节 … 可以减少基准刑的40%以下；犯罪较轻的，可以减少基准刑的40%以上或者依法免除处罚"
    light = _derive(document(circumstances={"surrender": True}))
    assert light.lighter_crime and light.recommended_months == 8.8
    assert light.circumstance_range.low == 0.0 and light.outcome.exemption_possible
    assert light.outcome.exemption_basis == ("surrender",)
    heavy = _derive(document(facts={"amount_yuan": 60000}, circumstances={"surrender": True}))
    # 3-10 years is not a lighter crime: 38 x 0.6 = 22.8 at the lenient end, no exemption
    assert not heavy.lighter_crime and heavy.circumstance_range.low == 22.8 and not heavy.outcome.exemption_possible


def test_part_iii_plea_agreement_with_surrender_reduces_at_most_sixty_percent_at_both_ends(document) -> None:
    # "具有自首、重大坦白、退赃退赔、赔偿谅解、刑事和解等情节的，可以减少基准刑的60%以下"
    d = _derive(document(facts={"amount_yuan": 60000}, circumstances={"surrender": True, "plea_agreement": True}))
    # base 38; point -20% -15% = -35% -> 24.7; lenient end -40% -30% = -70% capped at -60% -> 15.2
    assert (d.recommended_months, d.circumstance_range.low) == (24.7, 15.2)
    cap = next(s for s in d.steps if s.kind is StepKind.COMBINED_CAP)
    assert "60%" in cap.label.en
    # surrender and restitution alone reach -70% at their lenient ends (-40% -30%): the plea's cap does not take that
    # back (CPL art. 15) — before issue 20 it lifted the lenient end from 11.4 to 15.2 months
    others = {"surrender": True, "restitution": True}
    both = _derive(document(facts={"amount_yuan": 60000}, circumstances={**others, "plea_agreement": True}))
    alone = _derive(document(facts={"amount_yuan": 60000}, circumstances=others))
    assert (both.recommended_months, both.circumstance_range.low) == (19.0, 11.4)
    assert alone.circumstance_range.low == 11.4


def test_part_iii_plea_agreement_in_a_lighter_crime_reaches_exemption(document) -> None:
    # "犯罪较轻的，可以减少基准刑的60%以上或者依法免除处罚"
    d = _derive(document(circumstances={"surrender": True, "restitution": True, "plea_agreement": True}))
    assert d.recommended_months == 5.5 and d.circumstance_range.low == 0.0
    assert "plea_agreement" in d.outcome.exemption_basis


def test_part_iii_plea_agreement_alone_reduces_at_most_thirty_percent(document) -> None:
    # "可以减少基准刑的30%以下"
    d = _derive(document(circumstances={"plea_agreement": True, "good_conduct_in_custody": True}))
    # lenient end: -30% -10% = -40% -> capped at -30% without surrender etc.: 11 x 0.7 = 7.7
    assert (d.recommended_months, d.circumstance_range.low) == (8.8, 7.7)


def test_part_iii_accepting_a_plea_never_lengthens_the_term(document) -> None:
    # the others alone reduce by 65%, beyond the cap: the plea takes none of it back (CPL art. 15: 从宽)
    circumstances = {"confession": "heavier_same_type", "restitution": True, "reconciliation": True,
                     "good_conduct_in_custody": True, "recidivist": True}  # fmt: skip
    doc = document(facts={"amount_yuan": 5000}, circumstances=circumstances)
    without = _derive(doc)
    with_plea = _derive(document(**{**doc, "circumstances": {**circumstances, "plea_agreement": True}}))
    # base 8 x 0.35 = 2.8, and recidivism adds at least 3 -> 5.8 either way
    assert without.recommended_months == with_plea.recommended_months == 5.8


@pytest.mark.parametrize(
    ("circumstances", "skipped"),
    [
        ({"surrender": True, "guilty_plea_in_court": True}, "guilty_plea_in_court"),
        ({"recidivist": True, "prior_record": True}, "prior_record"),
        ({"repaid_before_arrest": True, "restitution": True}, "restitution"),
    ],
)
def test_part_iii_one_fact_is_not_counted_twice(document, circumstances, skipped) -> None:
    d = _derive(document(circumstances=circumstances))
    step = next(s for s in d.steps if s.key == f"circumstance.{skipped}")
    assert step.kind is StepKind.NOT_COUNTED and step.months_delta == 0 and step.note is not None


def test_part_iii_reconciliation_absorbs_compensation(bundled_cases) -> None:
    case = next(c for c in bundled_cases if c.case_id == "injury-minor-reconciliation")
    d = derive_sentence(case)
    assert [s.key for s in d.steps if s.kind is StepKind.NOT_COUNTED] == ["circumstance.compensation_and_forgiveness"]
    # start 12 (grade not stated); reconciliation -25% and plea -15% = -40% -> 7.2
    assert d.recommended_months == 7.2


def test_part_iii_recidivism_adds_at_least_three_months(document) -> None:
    # "对于累犯 … 增加基准刑的10%-40%，一般不少于3个月"
    d = _derive(document(facts={"amount_yuan": 3000}, circumstances={"recidivist": True}))
    assert d.base_months == 7.0 and d.recommended_months == 10.0


def test_part_iii_partial_restitution_counts_by_its_share(document) -> None:
    # "退赃、退赔对损害结果所能弥补的程度及退赃、退赔数额": half returned, half the ratio
    d = _derive(document(circumstances={"restitution_yuan": 6000}))
    step = next(s for s in d.steps if s.key == "circumstance.restitution_partial")
    assert step.ratio == pytest.approx(-0.075) and step.ratio_range == pytest.approx((-0.15, 0.0))
    assert d.recommended_months == pytest.approx(10.18, abs=0.01)
    full = _derive(document(circumstances={"restitution_yuan": 12000}))
    assert any(s.key == "circumstance.restitution" for s in full.steps)


def test_a_mitigating_circumstance_never_lengthens_the_term_beside_recidivism(document) -> None:
    # Found by the property test: with reductions beyond 100% of the base, recidivism's fixed
    # +3 months used to be added to a negative multiplier, so the smaller base gave a longer term.
    circumstances = {"surrender": True, "meritorious_service": "major", "restitution": True, "reconciliation": True,
                     "good_conduct_in_custody": True, "plea_agreement": True, "recidivist": True}  # fmt: skip
    doc = document(facts={"amount_yuan": 5000}, circumstances=circumstances)
    without = _derive(doc)
    with_mitigation = _derive(document(**{**doc, "circumstances": {**circumstances, "deaf_mute_or_blind": True}}))
    assert with_mitigation.recommended_months <= without.recommended_months == 3.0


# Part IV 常见犯罪的量刑


def test_part_iv_theft_acts_below_the_amount_add_only_beyond_the_third(document) -> None:
    # "数额未达到较大的，以盗窃次数确定量刑起点，超过三次的次数作为增加刑罚量的事实"
    below = _derive(document(facts={"amount_yuan": 800, "acts": 5}))
    assert below.base_months == 8.0  # start 6 + (5 - 3) acts
    assert not any(s.key == "circumstance.multiple_acts" for s in below.steps)


def test_part_iv_theft_acts_at_the_amount_are_a_ratio_circumstance(document) -> None:
    # "多次盗窃，数额达到较大以上的，以盗窃数额确定量刑起点，盗窃次数可作为调节基准刑的量刑情节"
    at = _derive(document(facts={"amount_yuan": 1000, "acts": 5}))
    assert at.base_months == 6.0 and not any(s.key == "increment.acts" for s in at.steps)
    step = next(s for s in at.steps if s.key == "circumstance.multiple_acts")
    assert step.kind is StepKind.SECOND_TIER and at.recommended_months == 6.3


def test_part_iv_injury_starts_by_the_grade_of_the_injury(document) -> None:
    # "故意伤害致一人轻伤的，在二年以下有期徒刑、拘役幅度内确定量刑起点"; this table: 轻伤二级 9, 轻伤一级 15
    grade_2 = _derive(_injury(document, {"minor_injuries": 1, "injury_grade": "minor_2"}))
    grade_1 = _derive(_injury(document, {"minor_injuries": 1, "injury_grade": "minor_1"}))
    unknown = _derive(_injury(document, {"minor_injuries": 1}))
    assert (grade_2.starting_point_months, grade_1.starting_point_months, unknown.starting_point_months) == (
        9.0, 15.0, 12.0)  # fmt: skip
    serious = _derive(_injury(document, {"serious_injuries": 1, "injury_grade": "serious_1"}))
    assert serious.starting_point_months == 48.0


def test_part_iv_injury_causing_death_has_its_own_band(document) -> None:
    # Criminal Law art. 234 ¶2: 致人死亡的，处十年以上有期徒刑、无期徒刑或者死刑
    d = _derive(_injury(document, {"deaths": 1}))
    assert d.tier == "death" and (d.statutory_band.low, d.statutory_band.high) == (120.0, 180.0)
    assert d.recommended_months == 144.0


def test_part_iv_dangerous_driving_stays_within_one_to_six_months(bundled_cases, document) -> None:
    case = next(c for c in bundled_cases if c.case_id == "dangerous-driving-accident")
    d = derive_sentence(case)
    # 1 + floor((186 - 80) / 40) x 0.5 = 2 + accident 1 -> 3; -20% -15% -> 1.95
    assert (d.base_months, d.recommended_months) == (3.0, 1.95)
    assert d.outcome.penalty is Penalty.DETENTION
    doc = document(charge="dangerous_driving", circumstances={"recidivist": True, "refused_breath_test": True})
    doc["facts"] = {"blood_alcohol_mg_per_100ml": 400, "unlicensed": True, "carrying_passengers": True}
    heavy = _derive(doc)
    assert heavy.recommended_months == 6.0 and heavy.statutory_band.high == 6.0


# Outcomes: Criminal Law arts. 37, 42, 45, 52, 72-74


def test_outcome_detention_below_six_months_and_fixed_term_from_six(document) -> None:
    short = _derive(document(circumstances={"surrender": True, "restitution": True, "plea_agreement": True}))
    assert short.outcome.penalty is Penalty.DETENTION and short.outcome.months == 5.5
    longer = _derive(document())
    assert longer.outcome.penalty is Penalty.FIXED_TERM and longer.outcome.months == 11.0


def test_outcome_a_lighter_theft_with_admission_repair_and_forgiveness_goes_without_prison(document) -> None:
    # 法释〔2013〕8号 第7条: 认罪、悔罪，退赃、退赔，且 … 被害人谅解 … 情节轻微的，可以免予刑事处罚
    admitted_and_forgiven = {"confession": "ordinary", "compensation": "compensation_and_forgiveness"}
    d = _derive(document(facts={"amount_yuan": 2000}, circumstances=admitted_and_forgiven))
    assert d.adjusted_months == 4.2 and d.recommended_months == 0.0
    assert d.outcome.penalty is Penalty.NON_CUSTODIAL and d.outcome.non_custodial_possible
    assert (d.judicial_band.low, d.judicial_band.high) == (0.0, 0.0)
    assert d.outcome.fine is not None and d.outcome.fine.point_yuan == 2000.0  # a fine alone (单处罚金)
    assert next(s for s in d.steps if s.kind is StepKind.NON_CUSTODIAL).zone is Zone.SHARED
    # a recidivist is excluded
    assert _derive(document(facts={"amount_yuan": 2000}, circumstances={
        "confession": "ordinary", "compensation": "compensation_and_forgiveness", "recidivist": True,
    })).outcome.penalty is Penalty.FIXED_TERM  # fmt: skip


def test_outcome_discontinuance_without_harm_is_exempt(document) -> None:
    # Criminal Law art. 24 ¶2: 没有造成损害的，应当免除处罚
    d = _derive(_injury(document, {"minor_injuries": 1}, {"discontinuance": "without_harm"}))
    assert d.outcome.penalty is Penalty.EXEMPTION and d.recommended_months == 0.0 and d.outcome.fine is None


def test_outcome_fines_follow_the_interpretations(document) -> None:
    theft = _derive(document()).outcome.fine
    assert theft is not None and (theft.low_yuan, theft.point_yuan, theft.high_yuan) == (1000.0, 12000.0, 24000.0)
    fraud = _derive(document(charge="fraud", facts={"amount_yuan": 3766})).outcome.fine
    assert fraud is not None and (fraud.low_yuan, fraud.point_yuan) == (2000.0, 2000.0)
    assert _derive(_injury(document, {"minor_injuries": 1})).outcome.fine is None  # art. 234 carries no fine


def test_outcome_probation_by_term_and_record(document) -> None:
    assert _derive(document()).outcome.probation.eligible
    recidivist = _derive(document(circumstances={"recidivist": True})).outcome.probation
    assert not recidivist.eligible and any("recidivist" in r.en for r in recidivist.reasons)  # art. 74
    during = _derive(document(circumstances={"during_probation": True})).outcome.probation
    assert not during.eligible  # art. 77
    minor = _derive(document(defendant={"age_at_offence": 17})).outcome.probation
    assert minor.eligible and minor.mandatory  # art. 72: 不满十八周岁的人 … 应当宣告缓刑
    long = _derive(document(facts={"amount_yuan": 600000})).outcome.probation
    assert not long.eligible


# Thresholds: 法释〔2013〕8号 第1条, 法释〔2011〕7号 第1条


def test_thresholds_refuse_no_conviction_inside_the_national_range(document) -> None:
    assert _derive(document(facts={"amount_yuan": 1740})).tier == "large"
    assert _derive(document(charge="fraud", facts={"amount_yuan": 3766})).tier == "large"
    with pytest.raises(CaseValidationError) as caught:
        parse_case(document(facts={"amount_yuan": 999}))
    assert caught.value.rule == Rule.BELOW_CRIMINAL_THRESHOLD


def test_a_table_outside_the_national_range_is_refused() -> None:
    import json
    from importlib import resources

    from sentencing.jurisdiction import parse_jurisdiction

    raw = json.loads(resources.files("sentencing").joinpath("data/jurisdictions/default.json").read_text("utf-8"))
    raw["charges"]["theft"]["thresholds_yuan"]["large"] = 900
    with pytest.raises(ConfigurationError, match="national range"):
        parse_jurisdiction(raw, "test")


def test_a_province_sets_its_own_thresholds_inside_the_national_range(document) -> None:
    from sentencing.jurisdiction import available_jurisdictions, regional_thresholds

    # 川高法〔2013〕362号: Sichuan's 数额较大 is ¥1,600, so a ¥1,500 theft convicted elsewhere is no crime there.
    sichuan = load_jurisdiction("default:sichuan")
    assert dict(sichuan.charge_table("theft").thresholds_yuan)["large"] == 1600
    assert "unconfirmed" in sichuan.charge_table("theft").threshold_source
    assert dict(sichuan.charge_table("fraud").thresholds_yuan) == dict(
        load_jurisdiction("default").charge_table("fraud").thresholds_yuan
    )
    assert _derive(document(facts={"amount_yuan": 1500})).tier == "large"
    with pytest.raises(CaseValidationError) as caught:
        parse_case(document(jurisdiction="default:sichuan", facts={"amount_yuan": 1500}))
    assert caught.value.rule == Rule.BELOW_CRIMINAL_THRESHOLD
    # Guangdong's class-1 areas put 数额巨大 at ¥100,000: ¥80,000 stays in the first tier there.
    assert _derive(document(facts={"amount_yuan": 80000})).tier == "huge"
    assert _derive(document(jurisdiction="default:guangdong-1", facts={"amount_yuan": 80000})).tier == "large"
    assert {f"default:{r.region}" for r in regional_thresholds()} <= set(available_jurisdictions())
    with pytest.raises(CaseValidationError) as caught:
        parse_case(document(jurisdiction="default:atlantis"))
    assert caught.value.rule == Rule.UNKNOWN_JURISDICTION


def test_every_regional_threshold_lies_inside_the_national_range() -> None:
    from sentencing.catalogue import load_catalogue
    from sentencing.jurisdiction import regional_thresholds

    catalogue = load_catalogue()
    for entry in regional_thresholds():
        for name, value in entry.thresholds_yuan:
            low, high = catalogue.national_thresholds(entry.charge)[name]
            assert low <= value <= high, (entry.region, entry.charge, name)


# Facts the law weighs


@pytest.mark.parametrize(
    ("charge", "facts", "circumstance", "direction"),
    [
        ("theft", None, "fled", 1),
        ("theft", None, "during_probation", 1),
        ("dangerous_driving", {"blood_alcohol_mg_per_100ml": 200}, "refused_breath_test", 1),
        ("intentional_injury", {"minor_injuries": 1}, "victim_fault", -1),
        ("intentional_injury", {"minor_injuries": 1}, "mutual_fight", -1),
    ],
)
def test_facts_courts_weigh_move_the_term_their_way(document, charge, facts, circumstance, direction) -> None:
    doc = document(charge=charge)
    if facts is not None:
        doc["facts"] = facts
    base = _derive(doc).recommended_months
    moved = _derive({**doc, "circumstances": {circumstance: True}}).recommended_months
    assert (moved - base) * direction > 0


@pytest.mark.parametrize(
    ("circumstances", "field"),
    [
        ({"attempt": True, "preparation": True}, "preparation"),
        ({"accessory": True, "coerced_accomplice": True}, "coerced_accomplice"),
        ({"restitution": True, "restitution_yuan": 5000}, "restitution_yuan"),
        ({"restitution_yuan": 20000}, "restitution_yuan"),
    ],
)
def test_contradictory_facts_are_refused(document, circumstances, field) -> None:
    with pytest.raises(CaseValidationError) as caught:
        parse_case(document(circumstances=circumstances))
    assert caught.value.field.endswith(field)


# The derivation as a record


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
    assert set(body["outcome"]["label"]) == {"zh-CN", "en"} and body["outcome"]["penalty"] in {p.value for p in Penalty}


def test_accepting_a_plea_never_raises_the_lenient_end_of_the_range() -> None:
    """Found by the property tests once traffic accidents were drawn (issue 20), and true of theft as well: where the
    circumstances a plea absorbs reduce by more than the plea's combined cap, the point keeps their reduction (CPL art.
    15) — and so, now, does the lenient end of the range, which the cap had lifted above the point."""
    document = copy.deepcopy(bundled_document("theft-non-local-unemployed"))
    document["facts"] = {"amount_yuan": 60_000}
    document["circumstances"] = {"confession": "averted_serious_harm", "reconciliation": True}
    without = derive_sentence(parse_case(document))
    document["circumstances"]["plea_agreement"] = True
    with_plea = derive_sentence(parse_case(document))
    assert with_plea.circumstance_range.low <= with_plea.recommended_months <= with_plea.circumstance_range.high
    assert with_plea.circumstance_range.low <= without.circumstance_range.low
    assert with_plea.recommended_months <= without.recommended_months


def test_every_yes_or_no_circumstance_of_the_catalogue_is_read_by_the_engine() -> None:
    """The engine's hand-kept list of yes/no circumstances (kept in its order: the derivation's steps follow it) is the
    catalogue's: a circumstance added to the catalogue and forgotten here would never count."""
    from sentencing.catalogue import FactorGroup, FactorType, load_catalogue
    from sentencing.guideline import _FLAGS

    catalogue = load_catalogue()
    flags = {f.id for f in catalogue.factors if f.group is FactorGroup.CIRCUMSTANCE and f.type is FactorType.BOOLEAN}
    assert set(_FLAGS) == flags and len(_FLAGS) == len(flags)
