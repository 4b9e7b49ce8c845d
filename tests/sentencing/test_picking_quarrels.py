"""Picking quarrels and provoking trouble (寻衅滋事罪, Criminal Law art. 293) as data, and read from a judgment (issue
20): conviction on 法释〔2013〕18号's grounds (in code, a case below them refused naming them), two bands — the second
for gathering others three or more times —, increments per occasion, injury and value from an earlier edition of the
national opinion, and gathering minors as a circumstance. The judgment's text is written for these tests."""

from __future__ import annotations

import copy
from importlib import resources
from typing import Any

import pytest

from sentencing.case import parse_case
from sentencing.errors import CaseValidationError, Rule
from sentencing.guideline import Derivation, derive_sentence
from sentencing.reading import read_text
from tests.hearing.store_fixtures import bundled_document
from tests.sentencing.crimes import bundled_with, derive_bundled, read_and_confirm

BUNDLED = "picking-quarrels-bar"
JUDGMENT = resources.files("sentencing").joinpath("data/texts/picking-quarrels-judgment.txt").read_text("utf-8")


def quarrel(circumstances: dict[str, Any] | None = None, **facts: Any) -> Derivation:
    return derive_bundled(BUNDLED, circumstances, **facts)


def test_the_bundled_case_is_derived_from_its_sources() -> None:
    derivation = derive_sentence(parse_case(bundled_document(BUNDLED)))
    assert derivation.tier == "basic" and (derivation.statutory_band.low, derivation.statutory_band.high) == (1, 60)
    steps = {s.key: s for s in derivation.steps}
    assert steps["starting_point"].months_after == 6 and "寻衅滋事罪 1(1)" in steps["starting_point"].source
    assert "increment.minor_injuries" not in steps  # the one minor injury is what makes it a crime
    assert derivation.base_months == 6 and derivation.recommended_months < 6
    assert derivation.outcome.fine is None  # art. 293 ¶1 has no fine


@pytest.mark.parametrize(
    "facts",
    [{"minor_injuries": 1}, {"slight_injuries": 2}, {"acts": 3}, {"quarrel_armed": True},
     {"quarrel_grave_consequence": True}, {"quarrel_vulnerable_targets": True}, {"quarrel_public_disorder": True},
     {"quarrel_disrupted_life": True}, {"quarrel_taken_yuan": 1000}, {"quarrel_damaged_yuan": 2000}],
)  # fmt: skip
def test_each_ground_of_the_interpretation_makes_it_a_crime(facts: dict[str, Any]) -> None:
    assert quarrel(**facts).tier == "basic"


def test_below_every_ground_it_is_refused_naming_the_interpretation() -> None:
    below = bundled_with(BUNDLED, slight_injuries=1, quarrel_taken_yuan=999, quarrel_damaged_yuan=1999, acts=2)
    with pytest.raises(CaseValidationError) as refused:
        parse_case(below)
    (violation,) = refused.value.violations
    assert violation.rule is Rule.BELOW_CRIMINAL_THRESHOLD and "法释〔2013〕18号" in violation.message


def test_the_harm_and_the_values_add_beyond_what_makes_the_crime() -> None:
    steps = {s.key: s.months_delta for s in quarrel(minor_injuries=3, slight_injuries=4, quarrel_taken_yuan=11_000,
                                                    quarrel_damaged_yuan=22_000, acts=2).steps}  # fmt: skip
    assert steps["increment.minor_injuries"] == 6 and steps["increment.slight_injuries"] == 2
    assert steps["increment.taken"] == 2 and steps["increment.damaged"] == 2 and steps["increment.acts"] == 1


def test_gathering_others_three_times_is_the_second_band() -> None:
    assert quarrel(quarrel_gang_leader=True, acts=2, quarrel_armed=True).tier == "basic"  # 多次: three or more
    derivation = quarrel(quarrel_gang_leader=True, acts=5)
    assert derivation.tier == "gang" and (derivation.statutory_band.low, derivation.statutory_band.high) == (60, 120)
    assert {s.key: s.months_delta for s in derivation.steps}["increment.acts"] == 12  # two beyond the third
    assert quarrel(acts=5).tier == "basic"  # without gathering others


def test_gathering_minors_adds_up_to_thirty_percent() -> None:
    plain = quarrel(quarrel_armed=True, acts=2)
    worse = quarrel({"quarrel_gathered_minors": True}, quarrel_armed=True, acts=2)
    assert worse.recommended_months > plain.recommended_months
    step = {s.key: s for s in worse.steps}["circumstance.quarrel_gathered_minors"]
    assert "30%" in step.source


def test_a_fifteen_year_old_does_not_answer_for_it() -> None:
    document = copy.deepcopy(bundled_document(BUNDLED))
    document["defendant"]["age_at_offence"] = 15
    with pytest.raises(CaseValidationError, match="age_at_offence"):
        parse_case(document)


def test_a_judgment_read_fact_by_fact_and_derived() -> None:
    draft, case = read_and_confirm(JUDGMENT, (("household_registration", "non_local"), ("region", "central")))
    assert (draft.document_kind, draft.charge) == ("judgment", "picking_quarrels")
    got = {f.factor: f.value for f in draft.facts}
    assert got["minor_injuries"] == 1 and got["slight_injuries"] == 1 and got["quarrel_armed"] is True
    assert got["quarrel_damaged_yuan"] == 3000 and got["compensation"] == "compensation_and_forgiveness"
    assert derive_sentence(case).tier == "basic"


@pytest.mark.parametrize(
    ("sentence", "factor", "value"),
    [
        ("被告人王某在菜市场强拿硬要摊主蔬菜、香烟，价值人民币1500元。", "quarrel_taken_yuan", 1500),
        ("被告人王某纠集李某等人在广场起哄闹事，造成公共场所秩序严重混乱。", "quarrel_public_disorder", True),
        ("被告人王某纠集未成年人李某、赵某在校门口追逐、拦截学生。", "quarrel_gathered_minors", True),
        ("被告人王某多次辱骂、恐吓邻居，严重影响其正常生活。", "quarrel_disrupted_life", True),
    ],
)
def test_the_grounds_are_read_from_their_words(sentence: str, factor: str, value: Any) -> None:
    draft = read_text("本院认为，被告人王某的行为已构成寻衅滋事罪。" + sentence)
    assert draft.charge == "picking_quarrels" and {f.factor: f.value for f in draft.facts}.get(factor) == value
