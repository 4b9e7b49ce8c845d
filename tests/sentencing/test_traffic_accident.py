"""Causing a traffic accident (交通肇事罪, Criminal Law art. 133) as data (issue 20): the responsibility for the
accident as a fact of named values, conviction by 法释〔2000〕33号 art. 2 (code: the grounds combine facts), three
bands — the second reached by fleeing (only where the accident was already a crime) or by an especially bad
circumstance (a group of facts together: ``{"all": …}`` in ``when_any``), the third by a death caused by fleeing —
and increments that count only under the responsibility they are written for."""

from __future__ import annotations

import copy
import itertools
import json
from importlib import resources
from typing import Any

import pytest

from sentencing.case import parse_case
from sentencing.catalogue import load_catalogue
from sentencing.errors import CaseValidationError, ConfigurationError, Rule
from sentencing.guideline import derive_sentence
from sentencing.jurisdiction import parse_jurisdiction
from tests.hearing.store_fixtures import bundled_document

AGGRAVATING = ("drunk_or_drugged_driving", "unlicensed", "unsafe_or_unregistered_vehicle", "seriously_overloaded")


def accident(**facts: Any) -> dict[str, Any]:
    document = copy.deepcopy(bundled_document("traffic-accident-death"))
    document["facts"] = facts
    document["circumstances"] = {}
    return document


def derive(**facts: Any):
    return derive_sentence(parse_case(accident(**facts)))


def shipped_table() -> dict[str, Any]:
    text = resources.files("sentencing").joinpath("data/jurisdictions/default.json").read_text(encoding="utf-8")
    return dict(json.loads(text))


def test_the_bundled_accident_is_derived_from_its_sources() -> None:
    derivation = derive_sentence(parse_case(bundled_document("traffic-accident-death")))
    assert derivation.tier == "basic" and (derivation.statutory_band.low, derivation.statutory_band.high) == (1, 36)
    steps = {s.key: s for s in derivation.steps}
    assert steps["starting_point"].months_after == 12 and "四、交通肇事罪 1(1)" in steps["starting_point"].source
    assert "unconfirmed" in steps["starting_point"].source
    assert derivation.base_months == 12 and derivation.recommended_months < 12  # surrender, compensation, forgiveness
    assert derivation.outcome.fine is None  # art. 133 sets no fine


@pytest.mark.parametrize(
    "facts",
    [
        {"accident_responsibility": "full", "deaths": 1},
        {"accident_responsibility": "main", "serious_injuries": 3},
        {"accident_responsibility": "equal", "deaths": 3},
        {"accident_responsibility": "main", "property_loss_unpaid_yuan": 300_000},
        *({"accident_responsibility": "full", "serious_injuries": 1, fact: True} for fact in AGGRAVATING),
        {"accident_responsibility": "main", "serious_injuries": 1, "fled_after_accident": True},
    ],
)
def test_each_ground_of_conviction_of_article_two(facts: dict[str, Any]) -> None:
    assert derive(**facts).tier == "basic"


@pytest.mark.parametrize(
    "facts",
    [
        {"accident_responsibility": "equal", "deaths": 2},
        {"accident_responsibility": "secondary", "deaths": 5},
        {"accident_responsibility": "full", "serious_injuries": 2},
        {"accident_responsibility": "full", "property_loss_unpaid_yuan": 299_999},
        {"accident_responsibility": "equal", "serious_injuries": 1, "drunk_or_drugged_driving": True},
    ],
)
def test_below_every_ground_it_is_no_crime_and_says_why(facts: dict[str, Any]) -> None:
    with pytest.raises(CaseValidationError) as refused:
        parse_case(accident(**facts))
    (violation,) = refused.value.violations
    assert violation.field == "accident_responsibility" and violation.rule is Rule.BELOW_CRIMINAL_THRESHOLD
    assert "法释〔2000〕33号 第2条" in violation.message


def test_the_responsibility_is_required() -> None:
    with pytest.raises(CaseValidationError) as refused:
        parse_case(accident(deaths=1))
    assert any(v.field == "accident_responsibility" and v.rule is Rule.MISSING_REQUIRED
               for v in refused.value.violations)  # fmt: skip


@pytest.mark.parametrize(
    ("facts", "tier"),
    [
        ({"accident_responsibility": "full", "deaths": 1, "fled_after_accident": True}, "fled_or_especially_bad"),
        # fleeing that is itself the ground of conviction (第2条第2款第6项) does not count again (第3条)
        ({"accident_responsibility": "full", "serious_injuries": 1, "fled_after_accident": True}, "basic"),
        (
            {"accident_responsibility": "full", "serious_injuries": 1, "unlicensed": True, "fled_after_accident": True},
            "fled_or_especially_bad",
        ),
        ({"accident_responsibility": "main", "deaths": 2}, "fled_or_especially_bad"),  # 第4条
        ({"accident_responsibility": "full", "serious_injuries": 5}, "fled_or_especially_bad"),
        ({"accident_responsibility": "equal", "deaths": 5}, "basic"),
        ({"accident_responsibility": "equal", "deaths": 6}, "fled_or_especially_bad"),
        ({"accident_responsibility": "full", "property_loss_unpaid_yuan": 600_000}, "fled_or_especially_bad"),
        (
            {"accident_responsibility": "full", "deaths": 1, "fled_after_accident": True, "deaths_from_fleeing": 1},
            "death_by_fleeing",
        ),
    ],
)
def test_fleeing_an_especially_bad_circumstance_or_a_death_by_fleeing_chooses_the_band(
    facts: dict[str, Any], tier: str
) -> None:
    assert derive(**facts).tier == tier


def test_the_deaths_that_make_the_crime_are_not_counted_again() -> None:
    assert derive(accident_responsibility="equal", deaths=3).base_months == 12  # three deaths: the crime itself
    assert derive(accident_responsibility="equal", deaths=4).base_months == 24  # a fourth adds a year
    assert derive(accident_responsibility="full", deaths=2).base_months == 36  # two: especially bad, nothing added
    assert derive(accident_responsibility="full", deaths=3).base_months == 48


def test_more_harm_or_fleeing_never_lowers_the_term() -> None:
    for responsibility, deaths, serious, fled in itertools.product(("full", "main", "equal"), range(0, 8), range(0, 7),
                                                                     (False, True)):  # fmt: skip
        facts = {"accident_responsibility": responsibility, "deaths": deaths, "serious_injuries": serious,
                 "fled_after_accident": fled}  # fmt: skip
        try:
            base = derive(**facts).base_months
        except CaseValidationError:
            continue
        for more in ({"deaths": deaths + 1}, {"serious_injuries": serious + 1}, {"fled_after_accident": True}):
            assert derive(**{**facts, **more}).base_months >= base, (facts, more)


def test_a_death_by_fleeing_needs_fleeing_and_a_death() -> None:
    for facts, message in (
        ({"accident_responsibility": "full", "deaths": 1, "deaths_from_fleeing": 1}, "needs fled_after_accident"),
        (
            {"accident_responsibility": "full", "deaths": 1, "fled_after_accident": True, "deaths_from_fleeing": 2},
            "more than the 1 death",
        ),
    ):
        with pytest.raises(CaseValidationError, match=message):
            parse_case(accident(**facts))


def test_a_crime_of_negligence_knows_no_attempt_accomplice_or_recidivism() -> None:
    facts = {spec.id for spec in load_catalogue().factors_for("traffic_accident")}
    assert not facts & {"attempt", "accessory", "recidivist", "restitution", "fled", "amount_yuan"}
    assert {"surrender", "compensation", "reconciliation", "prior_record", "deaths", "unlicensed"} <= facts


def test_a_condition_on_named_values_is_checked_when_the_table_loads() -> None:
    document = shipped_table()
    tier = document["charges"]["traffic_accident"]["tiers"][1]
    tier["when_any"][0]["all"][1] = {"fact": "accident_responsibility", "in": ["most"]}
    named = r"when_any.all: 'accident_responsibility': 'in' lists values of the fact"
    with pytest.raises(ConfigurationError, match=named):
        parse_jurisdiction(document, "a court table")
    tier["when_any"][0]["all"][1] = {"fact": "accident_responsibility", "at_least": 1}
    with pytest.raises(ConfigurationError, match="a fact of named values takes 'in'"):
        parse_jurisdiction(document, "a court table")
    tier["when_any"][0] = {"all": [{"fact": "deaths", "at_least": 2}]}
    with pytest.raises(ConfigurationError, match="'all' lists at least two conditions"):
        parse_jurisdiction(document, "a court table")
