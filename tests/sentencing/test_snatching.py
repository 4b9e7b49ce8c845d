"""Snatching (抢夺罪, Criminal Law art. 267) as data (issue 20): three amount tiers whose higher ones a serious injury
or a death also reaches (法释〔2013〕25号 arts. 3–4: ``when_any``), conviction on 数额较大 or 多次抢夺 (or a serious
injury or death caused), the vehicle fact, and nothing answerable under 16."""

from __future__ import annotations

import copy
import json
from importlib import resources
from typing import Any

import pytest

from sentencing.case import parse_case
from sentencing.catalogue import load_catalogue
from sentencing.errors import CaseValidationError, ConfigurationError, Rule
from sentencing.guideline import derive_sentence
from sentencing.jurisdiction import load_jurisdiction, parse_jurisdiction
from tests.hearing.store_fixtures import bundled_document


def snatching(facts: dict[str, Any] | None = None, **circumstances: Any) -> dict[str, Any]:
    document = copy.deepcopy(bundled_document("snatching-by-motorbike"))
    if facts is not None:
        document["facts"] = facts
    if circumstances:
        document["circumstances"] = circumstances
    return document


def test_the_bundled_snatching_is_derived_from_its_sources() -> None:
    derivation = derive_sentence(parse_case(snatching()))
    assert derivation.tier == "large" and (derivation.statutory_band.low, derivation.statutory_band.high) == (1, 36)
    steps = {s.key: s for s in derivation.steps}
    assert steps["starting_point"].months_after == 6 and "四、抢夺罪 1(1)" in steps["starting_point"].source
    assert "unconfirmed" in steps["starting_point"].source
    assert steps["increment.amount"].months_delta == 5  # ¥9,000: five full ¥1,600 above ¥1,000
    assert steps["increment.vehicle"].months_delta == 2
    assert derivation.base_months == 13
    assert derivation.sentence_limits.low <= derivation.recommended_months < derivation.base_months
    fine = derivation.outcome.fine
    assert fine is not None and fine.low_yuan >= 1000 and "刑法第267条" in fine.source


@pytest.mark.parametrize(
    ("facts", "tier"),
    [
        ({"amount_yuan": 49_999}, "large"),
        ({"amount_yuan": 50_000}, "huge"),
        ({"amount_yuan": 2_000, "serious_injuries": 1}, "huge"),  # 法释〔2013〕25号 第3条: 其他严重情节
        ({"amount_yuan": 299_999}, "huge"),
        ({"amount_yuan": 300_000}, "especially_huge"),
        ({"amount_yuan": 2_000, "deaths": 1}, "especially_huge"),  # 第4条: 其他特别严重情节
    ],
)
def test_an_amount_or_the_harm_caused_chooses_the_band(facts: dict[str, Any], tier: str) -> None:
    assert derive_sentence(parse_case(snatching(facts))).tier == tier


def test_crossing_a_threshold_never_lowers_the_term() -> None:
    below, at = (derive_sentence(parse_case(snatching({"amount_yuan": a}))) for a in (49_999, 50_000))
    assert below.base_months <= at.base_months


def test_below_the_threshold_only_three_acts_or_a_serious_harm_make_it_a_crime() -> None:
    with pytest.raises(CaseValidationError) as refused:
        parse_case(snatching({"amount_yuan": 800}))
    (violation,) = refused.value.violations
    assert violation.field == "amount_yuan" and violation.rule is Rule.BELOW_CRIMINAL_THRESHOLD
    assert "法释〔2013〕25号" in violation.message
    for qualifying in ({"acts": 3}, {"serious_injuries": 1}, {"deaths": 1}):
        assert parse_case(snatching({"amount_yuan": 800, **qualifying})).charge == "snatching"
    with pytest.raises(CaseValidationError, match="amount_yuan"):
        parse_case(snatching({"snatching_by_vehicle": True}))  # the amount is required


def test_the_vehicle_fact_is_snatchings_own() -> None:
    theft = copy.deepcopy(bundled_document("theft-non-local-unemployed"))
    theft["facts"]["snatching_by_vehicle"] = True
    with pytest.raises(CaseValidationError) as refused:
        parse_case(theft)
    assert refused.value.violations[0].field == "snatching_by_vehicle"


def test_a_defendant_under_sixteen_does_not_answer_for_snatching() -> None:
    young = snatching()
    young["defendant"]["age_at_offence"] = 15
    with pytest.raises(CaseValidationError) as refused:
        parse_case(young)
    assert refused.value.violations[0].rule is Rule.NO_RESPONSIBILITY_FOR_CHARGE
    assert not load_catalogue().charge("snatching").answerable_from_14


def test_the_thresholds_stay_inside_the_national_ranges() -> None:
    table = load_jurisdiction("default").charge_table("snatching")
    national = load_catalogue().national_thresholds("snatching")
    assert national == {"large": (1000, 3000), "huge": (30000, 80000), "especially_huge": (200000, 400000)}
    for name, (low, high) in national.items():
        assert low <= table.threshold(name) <= high
    text = resources.files("sentencing").joinpath("data/jurisdictions/default.json").read_text(encoding="utf-8")
    document = json.loads(text)
    document["charges"]["snatching"]["thresholds_yuan"]["huge"] = 90_000
    with pytest.raises(ConfigurationError, match="snatching"):
        parse_jurisdiction(document, "a court table")


def test_every_snatching_fact_is_in_both_languages_with_its_source() -> None:
    catalogue = load_catalogue()
    charge = catalogue.charge("snatching")
    assert (charge.label.zh, charge.label.en) == ("抢夺罪", "snatching") and "第267条" in charge.article
    own = catalogue.factor("snatching_by_vehicle")
    assert own.charges == ("snatching",) and "法释〔2013〕25号" in own.legal_basis and own.label.zh and own.label.en
    facts = {f.id for f in catalogue.factors_for("snatching")}
    assert {"amount_yuan", "acts", "minor_injuries", "serious_injuries", "deaths", "reconciliation"} <= facts
    assert not facts & {"robbery_in_home", "burglary", "fraud_victims"}
