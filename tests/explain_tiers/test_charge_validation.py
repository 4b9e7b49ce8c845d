"""A model never validated on the case's charge: both tiers say so (its card's held-out error by charge), the deep
report raises it as a high finding, and the tiered duty to explain counts it as a serious finding (issue 20)."""

from __future__ import annotations

import pytest

from explain_tiers.charge_validation import ValidationStatus, validation_of_charge
from explain_tiers.duty import DEFAULT_DEEP_TIER_RULE, deep_tier_duty
from explain_tiers.findings import FindingKind, findings_from_charge_validation
from explain_tiers.render import render_html, validate_report
from explain_tiers.report import build_deep_report, build_standard_report
from sentencing.case import parse_case
from sentencing.examination import examine_case
from sentencing.judgments import DRAWN_CHARGES
from tests.hearing.store_fixtures import bundled_document

BY_CHARGE = {"theft": {"mae_months": 2.48, "n": 60}, "fraud": {"mae_months": 2.6, "n": 40}}
NO_ROBBERY = {"robbery": {"n": 0, "mae_months": 0.0}, "theft": {"n": 5}}
CARD = {"overall": {"mae_months": 2.0, "n": 100}, "by_group": {"charge": BY_CHARGE}}


@pytest.fixture(scope="module")
def robbery():
    return parse_case(bundled_document("robbery-in-home"))


@pytest.fixture(scope="module")
def theft():
    return parse_case(bundled_document("theft-non-local-unemployed"))


def test_a_charge_the_card_reports_error_on_is_validated_with_its_figures() -> None:
    v = validation_of_charge(CARD, "theft")
    assert (v.status, v.held_out_cases, v.mae_months, v.validated_charges) == (
        ValidationStatus.VALIDATED, 60, 2.48, ("fraud", "theft"))  # fmt: skip


def test_a_charge_missing_from_the_cards_error_by_charge_is_not_validated() -> None:
    v = validation_of_charge(CARD, "robbery")
    assert v.status is ValidationStatus.NOT_VALIDATED and v.validated_charges == ("fraud", "theft")
    assert v.held_out_cases is None and v.mae_months is None


@pytest.mark.parametrize(
    ("card", "status"),
    [
        ({}, ValidationStatus.UNKNOWN),  # no held-out error at all
        ({"overall": {"mae_months": 2.0}, "by_group": {}}, ValidationStatus.UNKNOWN),  # no error by charge
        ({"by_group": {"charge": {}}}, ValidationStatus.UNKNOWN),
        ({"by_group": {"charge": "theft"}}, ValidationStatus.UNKNOWN),  # malformed: not a figure
        ({"by_group": {"charge": NO_ROBBERY}}, ValidationStatus.NOT_VALIDATED),  # tested on no robbery
        ({"by_group": {"charge": {"robbery": {"mae_months": 3.0}}}}, ValidationStatus.VALIDATED),  # count unstated
    ],
)
def test_only_what_the_card_says_counts(card, status) -> None:
    assert validation_of_charge(card, "robbery").status is status


@pytest.mark.parametrize("bad", [True, -3, 2.5, "12", None])
def test_a_malformed_count_or_error_is_not_a_figure(bad) -> None:
    v = validation_of_charge({"by_group": {"charge": {"robbery": {"n": bad, "mae_months": bad}}}}, "robbery")
    assert v.status is ValidationStatus.VALIDATED and v.held_out_cases is None
    assert v.mae_months == (2.5 if bad == 2.5 else None)


def test_the_reference_models_card_validates_the_charges_it_was_trained_on(
    small_adapter, four_charge_adapter, theft, robbery
) -> None:
    trained = build_standard_report(theft, small_adapter)
    assert trained.charge_validation.status is ValidationStatus.VALIDATED
    assert trained.charge_validation.validated_charges == tuple(sorted(DRAWN_CHARGES))
    assert (trained.charge_validation.held_out_cases or 0) > 0
    assert "validated on" in render_html(trained, "en") and "留出案件上验证过" in render_html(trained, "zh-CN")
    assert build_standard_report(robbery, small_adapter).charge_validation.status is ValidationStatus.VALIDATED
    unseen = build_standard_report(robbery, four_charge_adapter)  # a model of four charges: never a robbery
    body = unseen.to_dict()
    validate_report(body)
    assert body["charge_validation"]["status"] == "not_validated" and body["schema_version"] == "1.4"
    en, zh = render_html(unseen, "en"), render_html(unseen, "zh-CN")
    assert '<p class="warn">The model was never validated on 抢劫罪 robbery cases' in en
    assert "extrapolation" in en
    assert '<p class="warn">模型从未在抢劫罪案件上验证过' in zh and "外推" in zh


def test_the_deep_report_raises_one_high_finding_not_a_second_on_coverage(four_charge_adapter, robbery) -> None:
    report = build_deep_report(robbery, four_charge_adapter, seed=0)
    (finding,) = [f for f in report.findings if f.kind is FindingKind.CHARGE_NOT_VALIDATED]
    assert finding.severity.value == "high" and dict(finding.figures)["charge"] == "robbery"
    assert report.findings[0].severity.value == "high"
    # the training data hold no robbery: the coverage check says the same thing, so it is not said twice
    assert report.coverage is not None and report.coverage.charge_rows == 0
    assert FindingKind.OUT_OF_DISTRIBUTION not in {f.kind for f in report.findings}
    validate_report(report.to_dict())
    html = render_html(report, "en")
    assert "its answer here is an extrapolation" in html and "None" not in html.split("<h2>6.")[1].split("<h2>7.")[0]


def test_a_card_silent_on_charges_is_a_medium_finding(small_adapter, theft) -> None:
    examination = examine_case(theft, small_adapter)
    (finding,) = findings_from_charge_validation(validation_of_charge({}, "theft"), examination)
    assert finding.kind is FindingKind.CHARGE_NOT_VALIDATED and finding.severity.value == "medium"
    assert "unknown" in finding.evidence.en and "未说明" in finding.title.zh
    assert findings_from_charge_validation(validation_of_charge(CARD, "theft"), examination) == []


def test_an_unvalidated_charge_is_a_serious_finding_that_owes_the_deep_tier() -> None:
    standard = {"irrelevant_factors": [], "examination": {"inside_sentence_limits": True, "inside_judicial_band": True},
                "charge_validation": {"charge": "robbery", "status": "not_validated"}}  # fmt: skip

    def grounds(report):
        return deep_tier_duty(DEFAULT_DEEP_TIER_RULE, [], report, False, frozenset({"report"}), frozenset()).grounds

    (ground,) = grounds(standard)
    assert ground.ground == "serious_finding" and "抢劫罪 robbery" in ground.evidence.en
    assert grounds({**standard, "charge_validation": {"charge": "theft", "status": "validated"}}) == ()


def test_past_cases_recorded_before_a_fact_existed_still_explain_a_case_of_a_new_crime(small_adapter) -> None:
    """A model's data older than the catalogue (no column for 驾驶车辆抢夺): the fact is held at the case's value, never
    perturbed, so it gets no weight — and the explanation runs instead of failing on the missing column."""
    from explain_tiers.lime_adapter import LimeExplainer
    from explain_tiers.population import population_of

    case = parse_case(bundled_document("snatching-by-motorbike"))
    older = population_of(small_adapter).frame.drop(columns=["snatching_by_vehicle"])
    attribution = LimeExplainer(small_adapter, older, samples=300, seed=1).explain(case)
    assert dict(attribution.weights)["snatching_by_vehicle"] == 0.0


def test_a_deep_report_on_a_crime_the_data_never_held_runs_and_says_so(four_charge_adapter) -> None:
    """Traffic accidents: no past case of the charge, and LIME's draws around the others are rarely lawful (a death
    with the responsibility drawn from nothing); the draws that stay unlawful become the case itself."""
    report = build_deep_report(parse_case(bundled_document("traffic-accident-death")), four_charge_adapter, seed=0)
    kinds = {f.kind for f in report.findings}
    assert FindingKind.CHARGE_NOT_VALIDATED in kinds and report.lime is not None
    validate_report(report.to_dict())


def test_a_hostile_card_names_its_charges_in_bounded_words(small_adapter, theft) -> None:
    """The card is the vendor's: a charge name of 5,000 characters with control characters, and 500 charges listed,
    reach the report as one bounded line each, never as written."""
    from explain_tiers.charge_validation import NAMED_CHARGES, charge_names

    hostile = {f"x{i}\u202e\n" + "y" * 5000: {"n": 1} for i in range(500)}
    validation = validation_of_charge({"by_group": {"charge": hostile}}, "theft")
    assert validation.status is ValidationStatus.NOT_VALIDATED and len(validation.validated_charges) == 500
    names = charge_names(validation.validated_charges)
    assert len(names.en) < 60 * NAMED_CHARGES and "\n" not in names.en and "\u202e" not in names.en
    assert names.en.endswith(f"and {500 - NAMED_CHARGES} more") and names.zh.endswith("等 500 个罪名")
    (finding,) = findings_from_charge_validation(validation, examine_case(theft, small_adapter))
    assert len(finding.evidence.en) < 1000 and "\n" not in finding.evidence.en
