"""Extortion (敲诈勒索罪, Criminal Law art. 274) as data, and read from a judgment (issue 20): 法释〔2013〕10号's
thresholds, conviction on 数额较大 or three extortions, three amount bands (no life term: art. 274 stops at fixed
terms), the threats and pretences of its art. 2, and repeated extortion above 数额较大 weighed as a circumstance as
for theft. The judgment's text is written for these tests."""

from __future__ import annotations

import copy
from importlib import resources
from typing import Any

import pytest

from sentencing.case import parse_case
from sentencing.catalogue import load_catalogue
from sentencing.errors import CaseValidationError, Rule
from sentencing.guideline import derive_sentence
from sentencing.jurisdiction import load_jurisdiction
from sentencing.reading import Confirmation, read_text, rule_descriptions
from tests.hearing.store_fixtures import bundled_document

JUDGMENT = resources.files("sentencing").joinpath("data/texts/extortion-judgment.txt").read_text("utf-8")
NAMED = "本院认为，被告人张某的行为已构成敲诈勒索罪。"


def extortion(**facts: Any) -> dict[str, Any]:
    document = copy.deepcopy(bundled_document("extortion-threatening-exposure"))
    document["facts"] = facts
    document["circumstances"] = {}
    return document


def test_the_bundled_extortion_is_derived_from_its_sources() -> None:
    derivation = derive_sentence(parse_case(bundled_document("extortion-threatening-exposure")))
    assert derivation.tier == "large" and (derivation.statutory_band.low, derivation.statutory_band.high) == (1, 36)
    steps = {s.key: s for s in derivation.steps}
    assert steps["starting_point"].months_after == 6 and "四、敲诈勒索罪 1(1)" in steps["starting_point"].source
    assert steps["increment.amount"].months_delta == 14  # ¥30,000: fourteen full ¥2,000 above ¥2,000
    assert derivation.base_months == 20 and derivation.recommended_months < 20
    assert derivation.outcome.fine is not None and "刑法第274条" in derivation.outcome.fine.source


@pytest.mark.parametrize(("amount", "tier"), [(49_999, "large"), (50_000, "huge"), (400_000, "especially_huge")])
def test_the_amount_chooses_the_band_and_no_band_reaches_life(amount: int, tier: str) -> None:
    derivation = derive_sentence(parse_case(extortion(amount_yuan=amount)))
    assert derivation.tier == tier and derivation.statutory_band.high <= 180


def test_below_the_threshold_only_three_extortions_make_it_a_crime() -> None:
    with pytest.raises(CaseValidationError) as refused:
        parse_case(extortion(amount_yuan=1_500))
    (violation,) = refused.value.violations
    assert violation.rule is Rule.BELOW_CRIMINAL_THRESHOLD and "法释〔2013〕10号" in violation.message
    below = derive_sentence(parse_case(extortion(amount_yuan=1_500, acts=5)))
    assert {s.key: s.months_delta for s in below.steps}["increment.acts"] == 2  # the acts beyond the third


def test_repeated_extortion_above_the_threshold_is_a_circumstance_and_the_threats_add() -> None:
    plain = derive_sentence(parse_case(extortion(amount_yuan=10_000)))
    repeated = derive_sentence(parse_case(extortion(amount_yuan=10_000, acts=4)))
    assert "circumstance.multiple_acts" in {s.key for s in repeated.steps}
    assert repeated.recommended_months > plain.recommended_months
    for fact in ("extortion_threatening_grave_crime", "extortion_posing_as_gang_or_official"):
        worse = derive_sentence(parse_case(extortion(amount_yuan=10_000, **{fact: True})))
        assert worse.base_months == plain.base_months + 2


def test_the_thresholds_and_facts_are_the_laws() -> None:
    catalogue = load_catalogue()
    national = catalogue.national_thresholds("extortion")
    assert national == {"large": (2000, 5000), "huge": (30000, 100000), "especially_huge": (300000, 500000)}
    table = load_jurisdiction("default").charge_table("extortion")
    assert all(low <= table.threshold(name) <= high for name, (low, high) in national.items())
    for fact in ("extortion_threatening_grave_crime", "extortion_posing_as_gang_or_official"):
        spec = catalogue.factor(fact)
        assert spec.charges == ("extortion",) and "法释〔2013〕10号" in spec.legal_basis and "第2条" in spec.legal_basis


def test_an_extortion_judgment_read_fact_by_fact_and_derived() -> None:
    draft = read_text(JUDGMENT)
    assert (draft.document_kind, draft.charge) == ("judgment", "extortion")
    got = {f.factor: f for f in draft.facts}
    assert got["amount_yuan"].value == 30000 and got["confession"].value == "ordinary"
    assert got["restitution"].value is True
    for fact in draft.facts:
        for source in fact.sources:
            assert source.rule in rule_descriptions(), source.rule
    person = (("household_registration", "local"), ("region", "east"))
    case = parse_case(draft.case_document(Confirmation(by="defence", confirm_all=True, set=person)))
    assert case.charge == "extortion" and derive_sentence(case).tier == "large"


@pytest.mark.parametrize(
    ("sentence", "factor"),
    [
        ("被告人张某冒充纪委工作人员，以举报相要挟，勒索被害人人民币50000元。", "extortion_posing_as_gang_or_official"),
        ("被告人张某以黑恶势力名义向商户勒索“保护费”人民币12000元。", "extortion_posing_as_gang_or_official"),
        ("被告人张某扬言要杀害被害人全家，勒索人民币8000元。", "extortion_threatening_grave_crime"),
        ("被告人张某以放火烧毁被害人店铺相威胁，索要人民币6000元。", "extortion_threatening_grave_crime"),
    ],
)
def test_the_threats_and_pretences_are_read_from_their_words(sentence: str, factor: str) -> None:
    draft = read_text(NAMED + sentence)
    assert draft.charge == "extortion" and {f.factor: f.value for f in draft.facts}.get(factor) is True


def test_a_plain_threat_to_expose_is_neither_and_the_charge_shows_without_its_name() -> None:
    draft = read_text("被告人张某以曝光其婚外情相要挟，向被害人勒索人民币6000元。")
    got = {f.factor: f.value for f in draft.facts}
    assert draft.charge == "extortion" and got["amount_yuan"] == 6000
    assert "extortion_threatening_grave_crime" not in got and "extortion_posing_as_gang_or_official" not in got
