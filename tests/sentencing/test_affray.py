"""Affray (聚众斗殴罪, Criminal Law art. 292) as data, and read from a judgment (issue 20): up to three years, or three
to ten on any ground of art. 292 ¶1 (three fights, armed, serious public disorder, a large scale), months per injury,
per participant and per further fight from Zhejiang's rules, gathering minors up to +20%. The judgment's text is written
for these tests."""

from __future__ import annotations

import copy
from importlib import resources
from typing import Any

import pytest

from sentencing.case import parse_case
from sentencing.errors import CaseValidationError
from sentencing.guideline import Derivation, derive_sentence
from sentencing.reading import Confirmation, read_text, rule_descriptions
from tests.hearing.store_fixtures import bundled_document

BUNDLED = "affray-street-fight"
JUDGMENT = resources.files("sentencing").joinpath("data/texts/affray-judgment.txt").read_text("utf-8")


def affray(circumstances: dict[str, Any] | None = None, **facts: Any) -> Derivation:
    document = copy.deepcopy(bundled_document(BUNDLED))
    document["facts"] = facts
    document["circumstances"] = circumstances or {}
    return derive_sentence(parse_case(document))


def test_the_bundled_case_is_derived_from_its_sources() -> None:
    derivation = derive_sentence(parse_case(bundled_document(BUNDLED)))
    assert derivation.tier == "basic" and (derivation.statutory_band.low, derivation.statutory_band.high) == (1, 36)
    steps = {s.key: s.months_delta for s in derivation.steps}
    assert steps["increment.slight_injuries"] == 4 and steps["increment.minor_injuries"] == 6
    assert steps["increment.participants"] == 2  # twelve on both sides: two full threes beyond five
    assert derivation.base_months == 18 and derivation.outcome.fine is None


@pytest.mark.parametrize(
    "facts",
    [{"acts": 3}, {"affray_armed": True}, {"affray_public_disorder": True}, {"affray_large_scale": True}],
)
def test_each_ground_of_art_292_is_the_three_to_ten_year_band(facts: dict[str, Any]) -> None:
    derivation = affray(**facts)
    assert derivation.tier == "aggravated" and (derivation.statutory_band.low, derivation.statutory_band.high) == (
        36,
        120,
    )
    assert affray(acts=2).tier == "basic"


def test_fights_beyond_the_third_add_and_gathering_minors_adds_up_to_twenty_percent() -> None:
    assert {s.key: s.months_delta for s in affray(acts=5).steps}["increment.acts"] == 12
    plain = affray(affray_armed=True)
    worse = affray({"affray_gathered_minors": True}, affray_armed=True)
    assert worse.recommended_months > plain.recommended_months
    assert "20%" in {s.key: s for s in worse.steps}["circumstance.affray_gathered_minors"].source


def test_a_serious_injury_is_no_fact_of_an_affray() -> None:
    document = copy.deepcopy(bundled_document(BUNDLED))
    document["facts"] = {"serious_injuries": 1}  # art. 292 ¶2: then it is intentional injury or homicide
    with pytest.raises(CaseValidationError, match="serious_injuries"):
        parse_case(document)


def test_a_judgment_read_fact_by_fact_and_derived() -> None:
    draft = read_text(JUDGMENT)
    assert (draft.document_kind, draft.charge) == ("judgment", "affray")
    got = {f.factor: f.value for f in draft.facts}
    assert got["minor_injuries"] == 1 and got["affray_armed"] is True and got["plea_agreement"] is True
    for fact in draft.facts:
        for source in fact.sources:
            assert source.rule in rule_descriptions(), source.rule
    person = (("household_registration", "local"), ("region", "northeast"))
    case = parse_case(draft.case_document(Confirmation(by="defence", confirm_all=True, set=person)))
    assert derive_sentence(case).tier == "aggravated"
