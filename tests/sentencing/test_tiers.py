"""Which statutory tier a case falls into is the table's data (issue 20: a new crime's tiers are data, not code):
each tier after the first names the facts that put a case in it (``when``); the engine takes the last tier whose facts
all hold. A table written before (no ``when``) takes the shipped table's facts; a bad ``when`` is refused naming it."""

from __future__ import annotations

import copy
import json
from importlib import resources
from typing import Any

import pytest

from sentencing.case import parse_case
from sentencing.errors import ConfigurationError
from sentencing.guideline import derive_sentence, select_tier
from sentencing.jurisdiction import load_jurisdiction, parse_jurisdiction
from tests.hearing.store_fixtures import bundled_document


def shipped() -> dict[str, Any]:
    text = resources.files("sentencing").joinpath("data/jurisdictions/default.json").read_text(encoding="utf-8")
    return dict(json.loads(text))


def tier_of(table: Any, name: str, **facts: Any) -> str:
    document = copy.deepcopy(bundled_document(name))
    document["facts"].update(facts)
    case = parse_case(document, jurisdiction=table)
    return select_tier(case, table.charge_table(case.charge)).id


@pytest.mark.parametrize(
    ("name", "facts", "tier"),
    [
        ("theft-non-local-unemployed", {"amount_yuan": 49_990}, "large"),
        ("theft-non-local-unemployed", {"amount_yuan": 50_000}, "huge"),
        ("theft-non-local-unemployed", {"amount_yuan": 400_000}, "especially_huge"),
        ("injury-minor-reconciliation", {}, "minor_injury"),
        ("injury-serious-minor-defendant", {}, "serious_injury"),
        ("injury-serious-minor-defendant", {"cruel_means": True, "disability_grade": 6}, "cruel_grave_disability"),
        ("injury-serious-minor-defendant", {"cruel_means": True, "disability_grade": 7}, "serious_injury"),
        ("injury-serious-minor-defendant", {"deaths": 1}, "death"),
        ("dangerous-driving-accident", {}, "drunk_driving"),
    ],
)
def test_the_shipped_table_puts_each_case_in_its_tier(name, facts, tier) -> None:
    assert tier_of(load_jurisdiction("default"), name, **facts) == tier


def test_a_court_changes_a_tier_by_changing_its_facts() -> None:
    document = shipped()
    injury = document["charges"]["intentional_injury"]["tiers"]
    next(t for t in injury if t["id"] == "death")["when"] = [{"fact": "deaths", "at_least": 2}]
    table = parse_jurisdiction(document, "a court's table")
    assert tier_of(table, "injury-serious-minor-defendant", deaths=1) == "serious_injury"
    assert tier_of(table, "injury-serious-minor-defendant", deaths=2) == "death"


def test_a_table_written_before_tiers_named_their_facts_takes_the_shipped_ones() -> None:
    document = shipped()
    del document["charges"]["robbery"]  # a table written before tiers named their facts had no robbery
    for raw in document["charges"].values():
        for tier in raw["tiers"]:
            tier.pop("when", None)
    document["charges"]["theft"]["thresholds_yuan"]["huge"] = 80_000  # read against its own thresholds
    table = parse_jurisdiction(document, "an older table")
    assert tier_of(table, "theft-non-local-unemployed", amount_yuan=60_000) == "large"
    assert tier_of(table, "theft-non-local-unemployed", amount_yuan=80_000) == "huge"
    assert tier_of(table, "injury-serious-minor-defendant", deaths=1) == "death"
    case = parse_case(bundled_document("theft-burglary-recidivist"))
    assert derive_sentence(case).to_dict() == derive_sentence(case, load_jurisdiction("default")).to_dict()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda t: t[1].update(when=[{"fact": "loot", "at_least": 1}]), r"tier huge\.when: 'loot' is no factor"),
        (lambda t: t[1].update(when=[{"fact": "amount_yuan", "above": 1}]), r"one of 'at_least', 'is', 'between'"),
        (lambda t: t[1].update(when=[{"fact": "burglary", "is": "yes"}]), r"'is' must be true or false"),
        (lambda t: t[1].update(when=[{"fact": "acts", "between": [5, 2]}]), r"'between' is \[low, high\]"),
        (lambda t: t[1].update(when=[]), r"a list of the facts that put a case in this tier"),
        (lambda t: t[0].update(when=[{"fact": "acts", "at_least": 1}]), r"tier large: the first tier .* no 'when'"),
        (lambda t: t[1].update(id="enormous", when=None), r"tier enormous: needs 'when'"),
        (
            lambda t: t[1].update(when=[{"fact": "amount_yuan", "at_least": "threshold:vast"}]),
            r"unknown threshold 'vast'",
        ),
    ],
)
def test_a_bad_when_is_refused_naming_the_tier(change, message) -> None:
    document = shipped()
    tiers = document["charges"]["theft"]["tiers"]
    change(tiers)
    for tier in tiers:
        if tier.get("when", 0) is None:
            del tier["when"]
    with pytest.raises(ConfigurationError, match=message) as refused:
        parse_jurisdiction(document, "a court's table")
    assert "\n" not in str(refused.value)
