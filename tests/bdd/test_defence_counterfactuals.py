"""Steps for features/defence_challenges_with_counterfactuals.feature; thin, over the counterfactual services."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import numpy as np
import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from counterfactuals.edits import parse_value
from counterfactuals.search import Target, find_minimal_changes
from counterfactuals.sensitivity import probe_irrelevant_factors
from counterfactuals.whatif import ask_disputed_fact
from sentencing.case import parse_case
from sentencing.catalogue import FactorGroup, load_catalogue
from sentencing.models import predict_cases

scenarios("defence_challenges_with_counterfactuals.feature")


@pytest.fixture
def court() -> dict[str, Any]:
    return {}


@given(parsers.parse('the bundled case "{name}" is before the court'))
def case_before_court(court: dict[str, Any], name: str) -> None:
    text = resources.files("sentencing").joinpath(f"data/cases/{name}.json").read_text(encoding="utf-8")
    court["case"] = parse_case(json.loads(text))


@when(parsers.parse('defence counsel disputes "{factor}" with the versions "{first}" and "{second}"'))
def dispute(court: dict[str, Any], small_adapter, factor: str, first: str, second: str) -> None:
    versions = [parse_value(factor, first), parse_value(factor, second)]
    court["whatif"] = ask_disputed_fact(court["case"], small_adapter, factor, versions)


@then("both versions are shown, each with the algorithm's and the guideline's recommendation")
def both_versions(court: dict[str, Any]) -> None:
    scenarios_ = court["whatif"].scenarios
    assert len(scenarios_) == 2
    assert all(s.model.after > 0 and s.guideline.after > 0 for s in scenarios_)


@then("the version without restitution raises the guideline's recommendation")
def without_restitution(court: dict[str, Any]) -> None:
    assert court["whatif"].scenarios[1].guideline.delta > 0


@then("the version the prosecution charged changes nothing")
def as_charged(court: dict[str, Any]) -> None:
    charged = court["whatif"].scenarios[0]
    assert charged.changes == () and charged.model.delta == 0


@when(
    parsers.parse("defence counsel asks for the smallest change that brings the recommendation below {months:d} months")
)
def smallest_change(court: dict[str, Any], small_adapter, months: int) -> None:
    court["target"] = Target.below(months)
    court["search"] = find_minimal_changes(court["case"], small_adapter, court["target"])
    court["model"] = small_adapter


@then(parsers.parse("the answer changes {count:d} disputable fact, and this is proven to be the fewest"))
def proven(court: dict[str, Any], count: int) -> None:
    assert court["search"].minimal_size == count and court["search"].proven_minimal


@then(parsers.parse("every answer is a lawful case that the model, asked again, puts below {months:d} months"))
def lawful_and_below(court: dict[str, Any], months: int) -> None:
    answers = court["search"].answers
    assert answers
    predictions = predict_cases(court["model"], [parse_case(a.case.to_document()) for a in answers])
    assert np.all(predictions < months)


@then("no answer changes a fact the court has fixed or an attribute of the defendant")
def respects_court(court: dict[str, Any]) -> None:
    catalogue = load_catalogue()
    for answer in court["search"].answers:
        for change in answer.changes:
            assert change.factor not in court["case"].fixed_by_court
            assert catalogue.factor(change.factor).group is not FactorGroup.DEFENDANT


@when("defence counsel asks whether legally irrelevant factors move the recommendation")
def sensitivity(court: dict[str, Any], small_adapter) -> None:
    court["sensitivity"] = probe_irrelevant_factors(court["case"], small_adapter)


@then("household registration is reported as a ground for challenge under Criminal Law art. 4")
def hukou_finding(court: dict[str, Any]) -> None:
    finding = next(f for f in court["sensitivity"].findings if f.factor == "household_registration")
    assert "Criminal Law art. 4" in finding.legal_basis and finding.model_delta != 0


@then("the guideline's recommendation does not move for any legally irrelevant factor")
def guideline_still(court: dict[str, Any]) -> None:
    assert all(p.guideline_delta == 0 for p in court["sensitivity"].probes)
