"""Obstructing official duties (妨害公务罪, Criminal Law art. 277 ¶1–4) as data, and read from a judgment (issue 20):
one band of up to three years, a starting point inside the opinion's two years, months per injury, per value damaged and
for a grave consequence, a violent attack on a police officer (+10% to +30%) and irregular conduct of the officials
(up to −30%) as circumstances. The judgment's text is written for these tests."""

from __future__ import annotations

from importlib import resources
from typing import Any

import pytest

from sentencing.case import parse_case
from sentencing.guideline import Derivation, derive_sentence
from sentencing.jurisdiction import load_jurisdiction
from sentencing.reading import read_text
from tests.hearing.store_fixtures import bundled_document
from tests.sentencing.crimes import derive_bundled, read_and_confirm

BUNDLED = "obstructing-duties-police-car"
JUDGMENT = resources.files("sentencing").joinpath("data/texts/obstructing-duties-judgment.txt").read_text("utf-8")


def obstruction(circumstances: dict[str, Any] | None = None, **facts: Any) -> Derivation:
    return derive_bundled(BUNDLED, circumstances, **facts)


def test_the_bundled_case_is_derived_from_its_sources() -> None:
    derivation = derive_sentence(parse_case(bundled_document(BUNDLED)))
    assert (derivation.statutory_band.low, derivation.statutory_band.high) == (1, 36)
    steps = {s.key: s for s in derivation.steps}
    assert steps["starting_point"].months_after == 4 and "妨害公务罪 1" in steps["starting_point"].source
    assert steps["increment.slight_injuries"].months_delta == 1 and steps["increment.damage"].months_delta == 2
    assert steps["circumstance.obstruction_police_attacked"].months_delta > 0
    assert derivation.outcome.fine is None  # art. 277 names a fine only as the penalty instead of a term


def test_the_harm_adds_and_the_circumstances_hold_the_opinions_ratios() -> None:
    steps = {s.key: s.months_delta for s in obstruction(minor_injuries=2, obstruction_grave_consequence=True).steps}
    assert steps["increment.minor_injuries"] == 6 and steps["increment.grave"] == 6
    table = load_jurisdiction("default")
    attacked, irregular = (table.circumstance(c) for c in ("obstruction_police_attacked",
                                                            "obstruction_irregular_enforcement"))  # fmt: skip
    assert (attacked.ratio_min, attacked.ratio_max) == (0.1, 0.3)
    assert (irregular.ratio_min, irregular.ratio_max) == (-0.3, 0.0)
    plain = obstruction(slight_injuries=1)
    assert obstruction({"obstruction_irregular_enforcement": True}, slight_injuries=1).recommended_months < (
        plain.recommended_months
    )


def test_a_judgment_read_fact_by_fact_and_derived() -> None:
    draft, case = read_and_confirm(JUDGMENT, (("household_registration", "local"), ("region", "west")))
    assert (draft.document_kind, draft.charge) == ("judgment", "obstructing_official_duties")
    got = {f.factor: f.value for f in draft.facts}
    assert got["slight_injuries"] == 1 and got["obstruction_damage_yuan"] == 4000
    assert got["obstruction_police_attacked"] is True and got["confession"] == "ordinary"
    assert derive_sentence(case).base_months == 7


@pytest.mark.parametrize(
    ("sentence", "attacked"),
    [
        ("被告人马某推搡、踢打民警孙某。", True),
        ("被告人马某推搡辅警孙某。", False),
        ("被告人马某辱骂执法人员。", False),
    ],
)
def test_an_attack_on_an_auxiliary_is_not_one_on_a_police_officer(sentence: str, attacked: bool) -> None:
    draft = read_text("本院认为，被告人马某的行为已构成妨害公务罪。" + sentence)
    assert ({f.factor: f.value for f in draft.facts}.get("obstruction_police_attacked") is True) is attacked
