"""The reader on snatching (抢夺罪, issue 20): the charge named or shown, the amount snatched, the vehicle, the acts
counted and the harm caused, each pointing at its text. The texts are written for these tests."""

from __future__ import annotations

from importlib import resources

import pytest

from sentencing.case import parse_case
from sentencing.guideline import derive_sentence
from sentencing.reading import Confirmation, read_text, rule_descriptions

SNATCHING = resources.files("sentencing").joinpath("data/texts/snatching-judgment.txt").read_text("utf-8")
PERSON = (("household_registration", "local"), ("region", "central"))
NAMED = "本院认为，被告人张某的行为已构成抢夺罪。"


def facts(text: str) -> dict[str, object]:
    return {f.factor: f.value for f in read_text(text).facts}


def test_a_snatching_judgment_read_fact_by_fact_and_derived() -> None:
    draft = read_text(SNATCHING)
    assert (draft.document_kind, draft.charge) == ("judgment", "snatching")
    got = {f.factor: f for f in draft.facts}
    amount = got["amount_yuan"]
    assert amount.value == 9000 and SNATCHING[amount.sources[0].start : amount.sources[0].end] == "9000元"
    vehicle = got["snatching_by_vehicle"]
    assert vehicle.value is True and "摩托车" in SNATCHING[vehicle.sources[0].start : vehicle.sources[0].end]
    assert got["confession"].value == "ordinary" and got["restitution"].value is True
    age = got["age_at_offence"]  # the offence's date, not the detention's
    assert age.value == 30 and age.note is not None and "2024-02-26" in age.note.en
    assert "robbery_in_home" not in got and "burglary" not in got
    for fact in draft.facts:
        for source in fact.sources:
            assert source.rule in rule_descriptions(), source.rule
    case = parse_case(draft.case_document(Confirmation(by="defence", confirm_all=True, set=PERSON)))
    derivation = derive_sentence(case)
    assert case.charge == "snatching" and derivation.tier == "large"
    assert "increment.vehicle" in {s.key for s in derivation.steps}


@pytest.mark.parametrize(
    "sentence",
    [
        "被告人张某飞车抢夺被害人挎包，包内现金人民币3000元。",
        "被告人张某骑电动车尾随被害人，趁其不备夺走其手机一部，价值人民币2600元。",
        "被告人张某驾驶摩托车靠近被害人，抢夺其金项链一条，价值人民币5000元。",
    ],
)
def test_snatching_from_a_vehicle_is_read_from_its_words(sentence: str) -> None:
    draft = read_text(NAMED + sentence)
    assert draft.charge == "snatching"
    assert {f.factor: f.value for f in draft.facts}.get("snatching_by_vehicle") is True


def test_on_foot_no_vehicle_and_the_acts_and_harm_are_counted() -> None:
    on_foot = facts(NAMED + "被告人张某在街头趁被害人不备，夺走其手机一部，价值人民币3200元。")
    assert on_foot["amount_yuan"] == 3200 and "snatching_by_vehicle" not in on_foot
    several = facts(NAMED + "被告人张某先后抢夺3次，共计夺得财物价值人民币2400元。")
    assert several["acts"] == 3
    harmed = facts(NAMED + "被告人张某夺走被害人挎包（内有现金人民币800元），致被害人摔倒，经鉴定为重伤二级。")
    assert harmed["serious_injuries"] == 1


def test_the_charge_is_shown_by_its_verbs_and_robbery_or_theft_are_not_read_as_snatching() -> None:
    shown = read_text("被告人张某在路边趁被害人不备，夺走其手提包，内有现金人民币1500元，夺得后逃离。")
    assert shown.charge == "snatching"
    robbery = read_text("被告人张某的行为已构成抢劫罪。被告人张某持刀威胁被害人，劫得现金人民币600元。")
    assert robbery.charge == "robbery"
    theft = facts("被告人张某的行为已构成盗窃罪。被告人张某骑电动车至某小区，窃取电动车一辆，价值人民币3000元。")
    assert "snatching_by_vehicle" not in theft  # the vehicle fact is snatching's own
