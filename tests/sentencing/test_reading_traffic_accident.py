"""The reader on a traffic accident (交通肇事罪, issue 20): the charge named or shown, the defendant's responsibility
(not the victim's), the deaths counted, fleeing and a death caused by it, and the facts that make one serious injury a
crime (法释〔2000〕33号 第2条第2款). The texts are written for these tests."""

from __future__ import annotations

from importlib import resources

import pytest

from sentencing.case import parse_case
from sentencing.guideline import derive_sentence
from sentencing.reading import Confirmation, read_text, rule_descriptions

ACCIDENT = resources.files("sentencing").joinpath("data/texts/traffic-accident-judgment.txt").read_text("utf-8")
PERSON = (("household_registration", "local"), ("region", "west"))
NAMED = "本院认为，被告人张某的行为已构成交通肇事罪。"


def facts(text: str) -> dict[str, object]:
    return {f.factor: f.value for f in read_text(text).facts}


def test_a_traffic_accident_judgment_read_fact_by_fact_and_derived() -> None:
    draft = read_text(ACCIDENT)
    assert (draft.document_kind, draft.charge) == ("judgment", "traffic_accident")
    got = {f.factor: f for f in draft.facts}
    assert got["accident_responsibility"].value == "full"  # the victim's 不负事故责任 is not the defendant's
    assert got["deaths"].value == 1 and got["surrender"].value is True
    assert got["compensation"].value == "compensation_and_forgiveness"
    assert "fled_after_accident" not in got  # he stayed at the scene
    for fact in draft.facts:
        for source in fact.sources:
            assert source.rule in rule_descriptions(), source.rule
    case = parse_case(draft.case_document(Confirmation(by="defence", confirm_all=True, set=PERSON)))
    assert case.charge == "traffic_accident" and derive_sentence(case).tier == "basic"


@pytest.mark.parametrize(
    ("sentence", "value"),
    [
        ("经认定，被告人张某负事故全部责任。", "full"),
        ("经交警部门认定，张某负此事故的主要责任，被害人李某负次要责任。", "main"),
        ("被告人张某负事故同等责任。", "equal"),
    ],
)
def test_the_defendants_responsibility_and_not_the_victims(sentence: str, value: str) -> None:
    assert facts(NAMED + sentence)["accident_responsibility"] == value


def test_deaths_counted_fleeing_and_a_death_by_fleeing() -> None:
    got = facts(NAMED + "被告人张某驾车将二人撞倒后驾车逃离现场，致二人死亡，张某负事故全部责任。")
    assert got["deaths"] == 2 and got["fled_after_accident"] is True
    by_fleeing = facts(NAMED + "被告人张某肇事后逃逸，被害人因得不到及时救助而死亡。张某负事故主要责任。")
    assert by_fleeing["fled_after_accident"] is True and by_fleeing["deaths_from_fleeing"] == 1


@pytest.mark.parametrize(
    ("sentence", "factor"),
    [
        ("被告人张某酒后驾驶小型轿车，致一人重伤，负事故全部责任。", "drunk_or_drugged_driving"),
        ("被告人张某无驾驶证驾驶货车，致一人重伤，负事故主要责任。", "unlicensed"),
        ("被告人张某驾驶无号牌货车，致一人重伤，负事故全部责任。", "unsafe_or_unregistered_vehicle"),
        ("被告人张某驾驶严重超载的货车，致一人重伤，负事故全部责任。", "seriously_overloaded"),
    ],
)
def test_what_makes_one_serious_injury_a_crime_is_read(sentence: str, factor: str) -> None:
    got = facts(NAMED + sentence)
    assert got.get(factor) is True and got["serious_injuries"] == 1, got


def test_a_drunk_driving_judgment_stays_drunk_driving() -> None:
    text = resources.files("sentencing").joinpath("data/texts/drunk-driving-judgment.txt").read_text("utf-8")
    assert read_text(text).charge == "dangerous_driving"
