"""The reader on robbery (抢劫罪, issue 20): the charge named or shown, the amount robbed, the persons injured and the
aggravated forms of art. 263, each pointing at its text. The texts are written for these tests."""

from __future__ import annotations

from importlib import resources

import pytest

from sentencing.case import parse_case
from sentencing.guideline import derive_sentence
from sentencing.reading import Confirmation, read_text, rule_descriptions

ROBBERY = resources.files("sentencing").joinpath("data/texts/robbery-judgment.txt").read_text("utf-8")
PERSON = (("household_registration", "non_local"), ("region", "east"))


def facts(text: str) -> dict[str, object]:
    return {f.factor: f.value for f in read_text(text).facts}


def test_a_robbery_judgment_read_fact_by_fact_and_derived() -> None:
    draft = read_text(ROBBERY)
    assert (draft.document_kind, draft.charge) == ("judgment", "robbery")
    got = {f.factor: f for f in draft.facts}
    amount = got["amount_yuan"]
    assert amount.value == 4600 and ROBBERY[amount.sources[0].start : amount.sources[0].end] == "4600元"
    assert got["minor_injuries"].value == 1 and "serious_injuries" not in got  # 轻伤二级, one person
    assert got["confession"].value == "ordinary" and got["plea_agreement"].value is True
    assert got["restitution"].value is True  # 退赔了被害人全部损失
    assert not any(f.startswith("robbery_") for f in got)  # a street robbery: no aggravated form
    age = got["age_at_offence"]  # from the date of the robbery, not the dates of the detention or the indictment
    assert age.value == 24 and age.note is not None and "2023-12-28" in age.note.en
    for fact in draft.facts:
        for source in fact.sources:
            assert source.rule in rule_descriptions(), source.rule
    case = parse_case(draft.case_document(Confirmation(by="defence", confirm_all=True, set=PERSON)))
    assert case.charge == "robbery" and derive_sentence(case).tier == "basic"


@pytest.mark.parametrize(
    ("sentence", "factor"),
    [
        ("被告人张某伙同他人入户抢劫，劫得现金人民币8000元。", "robbery_in_home"),
        ("被告人张某持刀闯入被害人刘某家中，抢走现金人民币3000元。", "robbery_in_home"),
        ("被告人张某在7路公交车上持刀抢劫乘客财物，劫得现金人民币500元。", "robbery_on_public_transport"),
        ("被告人张某持刀抢劫某农村信用社营业网点，劫得现金人民币20000元。", "robbery_of_financial_institution"),
        ("被告人张某冒充民警以检查为名拦下被害人，抢走其现金人民币2000元。", "robbery_impersonating_police"),
        ("被告人张某持枪抢劫被害人，劫得现金人民币6000元。", "robbery_with_firearm"),
        ("被告人张某抢劫救灾物资帐篷十顶，价值人民币9000元。", "robbery_of_special_supplies"),
    ],
)
def test_each_aggravated_form_is_read_from_its_words(sentence: str, factor: str) -> None:
    got = facts("本院认为，被告人张某的行为已构成抢劫罪。" + sentence)
    assert got.get(factor) is True, got
    assert read_text("本院认为，被告人张某的行为已构成抢劫罪。" + sentence).charge == "robbery"


def test_an_imitation_gun_is_no_firearm_and_a_theft_knows_no_robbery_forms() -> None:
    imitation = facts("被告人张某的行为已构成抢劫罪。被告人张某持仿真枪威胁被害人，劫得现金人民币600元。")
    assert "robbery_with_firearm" not in imitation and imitation["amount_yuan"] == 600
    theft = facts("被告人张某的行为已构成盗窃罪。被告人张某入户窃得现金人民币6000元，在公交车上扒窃手机一部。")
    assert not any(f.startswith("robbery_") for f in theft)


def test_robbery_is_shown_by_its_signs_where_the_text_names_no_charge() -> None:
    draft = read_text("经审理查明：被告人张某拦住被害人，以暴力劫取其手机一部，价值人民币2100元，致被害人轻微伤。")
    assert draft.charge == "robbery"
    got = {f.factor: f.value for f in draft.facts}
    assert got["amount_yuan"] == 2100 and got["slight_injuries"] == 1


def test_three_robberies_counted_put_the_case_in_the_aggravated_band() -> None:
    text = "本院认为，被告人张某的行为已构成抢劫罪。被告人张某先后抢劫3次，共计劫得现金人民币4500元。"
    got = facts(text)
    assert got["acts"] == 3 and got["amount_yuan"] == 4500
