"""Steps for features/defence_reads_an_indictment.feature: thin, they call what ``voirdire read`` and
``voirdire similar`` call."""

from __future__ import annotations

from importlib import resources
from typing import Any

import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from cli.views.practice import render_practice
from sentencing.case import parse_case
from sentencing.errors import InputError
from sentencing.examination import examine_case
from sentencing.practice import build_index, case_record, compare_with_practice
from sentencing.reading import Confirmation, read_text

scenarios("defence_reads_an_indictment.feature")

DEFENDANT_RECORD = ("recidivist", "prior_record")


@pytest.fixture
def context() -> dict[str, Any]:
    return {}


@given(parsers.parse('defence counsel holds the bundled indictment "{name}"'))
def holds(context: dict[str, Any], name: str) -> None:
    context["text"] = resources.files("sentencing").joinpath(f"data/texts/{name}.txt").read_text(encoding="utf-8")


@given("defence counsel holds a text that names no charge and shows none")
def holds_nothing(context: dict[str, Any]) -> None:
    context["text"] = "被告人于2020年1月1日到本院参加庭审。"


@when("counsel reads the text")
def reads(context: dict[str, Any]) -> None:
    try:
        context["draft"] = read_text(context["text"])
    except InputError as error:
        context["error"] = error


@then(parsers.parse('the draft states the amount of {amount:d} yuan, quoting "{quote}"'))
def amount(context: dict[str, Any], amount: int, quote: str) -> None:
    fact = context["draft"].fact("amount_yuan")
    assert fact is not None and fact.value == amount
    assert quote in fact.sources[0].quote


@then("every fact of the draft points at the characters it was read from")
def sources(context: dict[str, Any]) -> None:
    for fact in context["draft"].facts:
        for source in fact.sources:
            assert context["text"][source.start : source.end] in source.quote


@then("the draft lists the defendant's record as not stated")
def record_missing(context: dict[str, Any]) -> None:
    missing = {m.factor for m in context["draft"].missing}
    assert set(DEFENDANT_RECORD) <= missing


@when(parsers.parse('counsel confirms every fact but corrects "{factor}" to "{value}"'))
def confirms(context: dict[str, Any], factor: str, value: str) -> None:
    read = context["draft"].fact(factor)
    assert read is None or read.value != value  # the reader had it otherwise: 退赔 and 谅解, no 赔偿 word
    answer = Confirmation(by="defence", confirm_all=True, set=((factor, value),), case_id="wang-theft")
    context["case"] = parse_case(context["draft"].case_document(answer))
    context["correction"] = (factor, value)


@then("the case holds the correction and carries the extraction record, with counsel's name")
def corrected(context: dict[str, Any]) -> None:
    factor, value = context["correction"]
    document = context["case"].to_document()
    assert document["circumstances"][factor] == value
    record = document["extraction"]
    assert record["confirmation"]["by"] == "defence" and record["confirmation"]["set"] == {factor: value}
    assert record["text_sha256"] == context["draft"].text_sha256


@when("counsel asks for the recommendation beside the guideline and the court's decided cases")
def asks(context: dict[str, Any], small_adapter: Any) -> None:
    case = context["case"]
    context["examination"] = examination = examine_case(case, small_adapter)
    decided = [(6000, 5), (8000, 7), (10000, 8), (12000, 9), (15000, 10), (20000, 12), (30000, 14)]
    corpus = build_index(
        [case_record(f"j{i}", case.with_changes({"amount_yuan": amount}), months) for i, (amount, months) in
         enumerate(decided)], source="the court's decided thefts", sha256="0" * 64, synthetic=False,
    )  # fmt: skip
    context["practice"] = compare_with_practice(corpus, case, k=5, model_months=examination.recommended_months,
                                                guideline_months=examination.derivation.recommended_months)  # fmt: skip
    context["view"] = render_practice(context["practice"], "zh-CN")


@then("the recommendation, the guideline's result and the similar cases' real terms are shown with percentiles")
def shown(context: dict[str, Any]) -> None:
    practice = context["practice"]
    assert len(practice.neighbours) == 5 and practice.neighbours[0].judgment_id == "j2"  # the same amount first
    assert practice.model_percentile is not None and practice.guideline_percentile is not None
    assert "类案比对" in context["view"] and "模型建议" in context["view"] and "指导意见测算" in context["view"]


@then(parsers.parse('the reading is refused on field "{field}" saying "{words}"'))
def refused(context: dict[str, Any], field: str, words: str) -> None:
    error = context["error"]
    assert error.field == field and words in str(error) and "\n" not in str(error)
