"""Affray (聚众斗殴罪, Criminal Law art. 292) as data, and read from a judgment (issue 20): up to three years, or three
to ten on any ground of art. 292 ¶1 (three fights, armed, serious public disorder, a large scale), months per injury,
per participant and per further fight from Zhejiang's rules, gathering minors up to +20%. The judgment's text is written
for these tests."""

from __future__ import annotations

from importlib import resources
from typing import Any

import pytest

from sentencing.case import parse_case
from sentencing.errors import CaseValidationError
from sentencing.guideline import Derivation, derive_sentence
from tests.hearing.store_fixtures import bundled_document
from tests.sentencing.crimes import bundled_with, derive_bundled, read_and_confirm

BUNDLED = "affray-street-fight"
JUDGMENT = resources.files("sentencing").joinpath("data/texts/affray-judgment.txt").read_text("utf-8")


def affray(circumstances: dict[str, Any] | None = None, **facts: Any) -> Derivation:
    return derive_bundled(BUNDLED, circumstances, **facts)


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
    with pytest.raises(CaseValidationError, match="serious_injuries"):  # art. 292 ¶2: then injury or homicide
        parse_case(bundled_with(BUNDLED, serious_injuries=1))


def test_a_judgment_read_fact_by_fact_and_derived() -> None:
    draft, case = read_and_confirm(JUDGMENT, (("household_registration", "local"), ("region", "northeast")))
    assert (draft.document_kind, draft.charge) == ("judgment", "affray")
    got = {f.factor: f.value for f in draft.facts}
    assert got["minor_injuries"] == 1 and got["affray_armed"] is True and got["plea_agreement"] is True
    assert derive_sentence(case).tier == "aggravated"
