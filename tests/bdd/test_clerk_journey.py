"""Steps for features/clerk_sees_recommendation.feature: thin, they call the services a clerk's tools call."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from cli.views.sentencing import render_examination
from sentencing.case import parse_case
from sentencing.errors import CaseValidationError
from sentencing.examination import examine_case

scenarios("clerk_sees_recommendation.feature")


@pytest.fixture
def context() -> dict[str, Any]:
    return {}


@given(parsers.parse('the clerk loads the bundled case "{name}"'))
def load_bundled(context: dict[str, Any], name: str) -> None:
    text = resources.files("sentencing").joinpath(f"data/cases/{name}.json").read_text(encoding="utf-8")
    context["case"] = parse_case(json.loads(text))


@given("the clerk loads a case file in which the defendant was 9 years old")
def load_child(context: dict[str, Any], document) -> None:
    try:
        parse_case(document(defendant={"age_at_offence": 9}))
    except CaseValidationError as error:
        context["error"] = error


@when("the clerk asks for the recommendation of the reference model")
def ask(context: dict[str, Any], small_adapter) -> None:
    context["examination"] = examine_case(context["case"], small_adapter)
    context["text"] = render_examination(context["examination"], "en")


@when(parsers.parse('the clerk asks for the recommendation of the reference model in "{language}"'))
def ask_in(context: dict[str, Any], small_adapter, language: str) -> None:
    context["examination"] = examine_case(context["case"], small_adapter)
    context["text"] = render_examination(context["examination"], language)  # type: ignore[arg-type]


@then(
    parsers.parse(
        "the guideline's recommendation is {months:g} months within the statutory band of {low:d} to {high:d} months"
    )
)
def guideline_is(context: dict[str, Any], months: float, low: int, high: int) -> None:
    derivation = context["examination"].derivation
    assert derivation.recommended_months == months
    assert (derivation.statutory_band.low, derivation.statutory_band.high) == (low, high)
    assert f"Guideline recommendation: {months:.1f} months" in context["text"]


@then("every step of the derivation names its legal source")
def sources(context: dict[str, Any]) -> None:
    for step in context["examination"].derivation.steps:
        assert step.source
    assert "刑法第67条" in context["text"]


@then("the algorithm's recommendation is shown with the model's verified fingerprint")
def fingerprint(context: dict[str, Any]) -> None:
    identity = context["examination"].model
    assert identity.fingerprint_verified
    assert f"sha256:{identity.sha256[:16]}" in context["text"] and "(verified)" in context["text"]
    assert f"{context['examination'].recommended_months:.1f} months" in context["text"]


@then("the gap between the algorithm and the guideline is stated in months")
def gap(context: dict[str, Any]) -> None:
    assert f"Algorithm minus guideline: {context['examination'].gap_months:+.1f} months" in context["text"]


@then(parsers.parse('the report reads "{first}" and "{second}"'))
def reads(context: dict[str, Any], first: str, second: str) -> None:
    assert first in context["text"] and second in context["text"]


@then(parsers.parse('the case is refused on field "{field}" under rule "{rule}"'))
def refused(context: dict[str, Any], field: str, rule: str) -> None:
    error = context["error"]
    assert (error.field, error.rule) == (field, rule)
