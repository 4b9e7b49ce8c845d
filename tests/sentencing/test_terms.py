"""The engine's numbers by columns (sentencing.terms) are the engine's own: equal, to the last bit, to what
``derive_sentence`` gives each case — on drawn judgments of every crime, on Hypothesis's cases, on the bundled cases and
under a court's own table."""

from __future__ import annotations

import copy
import json
from importlib import resources
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sentencing.case import Case
from sentencing.errors import InputError
from sentencing.features import feature_frame
from sentencing.guideline import derive_sentence
from sentencing.judgments import ALL_CRIMES, draw_cases
from sentencing.jurisdiction import Jurisdiction, load_jurisdiction, parse_jurisdiction
from sentencing.terms import _rounded, guideline_terms
from tests.sentencing.test_guideline_properties import SETTINGS, cases

MONTHS = ("recommended_months", "limit_low", "limit_high", "judicial_low", "judicial_high")


def _assert_same(found: list[Case], table: Jurisdiction) -> None:
    terms = guideline_terms(feature_frame(found), table)
    for index, case in enumerate(found):
        derivation = derive_sentence(case, table)
        tiers = [tier.id for tier in table.charge_table(case.charge).tiers]
        expected = (tiers.index(derivation.tier), derivation.recommended_months, *astuple(derivation.sentence_limits),
                    *astuple(derivation.judicial_band))  # fmt: skip
        got = (int(terms.tier_index[index]), *(float(getattr(terms, name)[index]) for name in MONTHS))
        assert got == expected, (case.case_id, case.charge, got, expected)


def astuple(limits: Any) -> tuple[float, float]:
    return (limits.low, limits.high)


def test_equal_to_the_engine_on_drawn_judgments_of_every_crime() -> None:
    found = draw_cases(6000, 31, shares=ALL_CRIMES)
    assert {c.charge for c in found} == {charge for charge, _ in ALL_CRIMES}
    _assert_same(found, load_jurisdiction("default"))


@SETTINGS
@given(st.lists(cases(), min_size=1, max_size=25))
def test_equal_to_the_engine_on_any_lawful_cases(found: list[Case]) -> None:
    _assert_same(found, load_jurisdiction("default"))


def test_equal_to_the_engine_on_the_bundled_cases(bundled_cases: list[Case]) -> None:
    _assert_same(bundled_cases, load_jurisdiction("default"))


def _court_table() -> Jurisdiction:
    """A court whose table differs where the columns' plan does: no discretionary mitigation below the band, another
    plea cap and lighter-crime limit, a surrender counted first, other starting points and increments."""
    text = resources.files("sentencing").joinpath("data/jurisdictions/default.json").read_text("utf-8")
    document: dict[str, Any] = copy.deepcopy(json.loads(text))
    policy = document["policy"]
    policy["allow_discretionary_mitigation_below_minimum"] = False
    policy["plea_agreement_combined_cap"] = -0.5
    policy["lighter_crime_max_months"] = 60
    for rule in document["circumstances"]:
        if rule["id"] == "surrender":
            rule["ratio_default"] = -0.35
        if rule["id"] == "restitution_partial":
            rule["ratio_default"] = -0.25
    document["charges"]["theft"]["tiers"][0]["starting_point"]["months"] = 9
    return parse_jurisdiction(document, "court")


def test_equal_to_the_engine_under_a_courts_own_table() -> None:
    table = _court_table()
    _assert_same(draw_cases(3000, 32, shares=ALL_CRIMES, jurisdiction="default"), table)


def test_a_returned_share_scales_the_ratio_as_in_the_engine(document: Any) -> None:
    from sentencing.case import parse_case

    found = [
        parse_case(document(case_id=f"r{i}", facts={"amount_yuan": 20_000}, circumstances={"restitution_yuan": y}))
        for i, y in enumerate((0, 1_000, 7_770, 19_990, 20_000))
    ]
    _assert_same(found, load_jurisdiction("default"))
    terms = guideline_terms(feature_frame(found))
    assert terms.recommended_months[0] > terms.recommended_months[2] > terms.recommended_months[4]


def test_rounding_is_pythons_at_the_halves() -> None:
    values = np.array([2.675, 1.005, 0.125, 0.135, 1.115, 10.005, 1e6 + 0.005, 3.14159, 0.0, -0.0, 599.995])
    assert _rounded(values).tolist() == [round(v, 2) for v in values.tolist()]
    rng = np.random.default_rng(3)
    halves = np.round(rng.uniform(0, 600, 20_000), 3)  # many values at a third decimal of 5
    assert _rounded(halves).tolist() == [round(v, 2) for v in halves.tolist()]


def test_a_frame_without_a_column_or_with_an_unknown_charge_is_refused(bundled_cases: list[Case]) -> None:
    frame = feature_frame(bundled_cases[:3])
    with pytest.raises(InputError, match=r"^amount_yuan: .*every catalogue factor"):
        guideline_terms(frame.drop(columns=["amount_yuan"]))
    frame.loc[1, "charge"] = "arson"
    with pytest.raises(InputError, match=r"^charge: .*'arson'"):
        guideline_terms(frame)
