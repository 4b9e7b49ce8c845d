"""False imprisonment (非法拘禁罪, art. 238) and rape (强奸罪, art. 236) as data, and read from a judgment (issue 20):
the bands the detention's own harm sets (a serious injury, a death), months per hour held, per person and per injury,
beating, a state official and a lawful debt as circumstances; rape's band for a girl under 14 (a higher starting point)
and art. 236 ¶3's grounds at ten years or more. The judgments' texts are written for these tests."""

from __future__ import annotations

from typing import Any

import pytest

from sentencing.case import parse_case
from sentencing.errors import CaseValidationError
from sentencing.guideline import Derivation, derive_sentence
from sentencing.jurisdiction import load_jurisdiction
from sentencing.reading import read_text
from tests.hearing.store_fixtures import bundled_document
from tests.sentencing.crimes import bundled_with, derive_bundled, judgment_text, read_and_confirm

DETENTION, RAPE = "illegal-detention-debt", "rape-acquaintance"


def _band(derivation: Derivation) -> tuple[float, float]:
    return derivation.statutory_band.low, derivation.statutory_band.high


def detention(circumstances: dict[str, Any] | None = None, **facts: Any) -> Derivation:
    return derive_bundled(DETENTION, circumstances, **facts)


def rape(circumstances: dict[str, Any] | None = None, **facts: Any) -> Derivation:
    return derive_bundled(RAPE, circumstances, **facts)


def test_the_bundled_detention_counts_its_hours_and_injury() -> None:
    derivation = derive_sentence(parse_case(bundled_document(DETENTION)))
    steps = {s.key: s.months_delta for s in derivation.steps}
    assert derivation.tier == "basic" and _band(derivation) == (1, 36)
    assert steps["starting_point"] == 3 and steps["increment.hours"] == 3  # 50 hours: 24, 36 and 48 reached
    assert steps["increment.slight_injuries"] == 1 and derivation.base_months == 7
    assert "circumstance.detention_beating_or_insult" in steps  # art. 238 ¶1: 从重
    assert "circumstance.detention_for_debt" not in steps  # a gambling debt is no lawful debt


@pytest.mark.parametrize("hours, months", [(0, 0), (23, 0), (24, 1), (35, 1), (36, 2), (72, 5)])
def test_a_month_at_twenty_four_hours_and_per_twelve_more(hours: int, months: int) -> None:
    steps = {s.key: s.months_delta for s in detention(detention_hours=hours).steps}
    assert steps.get("increment.hours", 0) == months


def test_the_detentions_own_harm_sets_the_band() -> None:
    serious = detention(serious_injuries=1)
    assert serious.tier == "serious_injury" and _band(serious) == (36, 120)
    death = detention(deaths=1)
    assert death.tier == "death" and _band(death) == (120, 180)  # 十年以上: no life term in art. 238 ¶2
    table = load_jurisdiction().charge_table("illegal_detention")
    assert "第232条" in table.tier("death").statutory_band.source  # a death by violence is homicide, not this band


def test_beating_an_official_and_a_lawful_debt_move_the_term() -> None:
    plain = detention(detention_hours=30)
    assert (
        detention({"detention_beating_or_insult": True}, detention_hours=30).recommended_months
        > plain.recommended_months
    )
    assert detention({"detention_by_official": True}, detention_hours=30).recommended_months > plain.recommended_months
    assert detention({"detention_for_debt": True}, detention_hours=30).recommended_months < plain.recommended_months


def test_a_detention_judgment_read_fact_by_fact_and_derived() -> None:
    draft, case = read_and_confirm(judgment_text("illegal-detention"), (("household_registration", "local"),
                                                                 ("region", "east")))  # fmt: skip
    assert (draft.document_kind, draft.charge) == ("judgment", "illegal_detention")
    got = {f.factor: f.value for f in draft.facts}
    assert got["detention_hours"] == 50 and got["slight_injuries"] == 1
    assert got["detention_beating_or_insult"] is True and "detention_for_debt" not in got  # 索要赌债
    assert derive_sentence(case).tier == "basic"


def test_days_held_are_read_as_hours() -> None:
    text = judgment_text("illegal-detention").replace("长达50个小时", "长达3天")
    assert {f.factor: f.value for f in read_text(text).facts}["detention_hours"] == 72


def test_the_bundled_rape_and_a_girl_under_fourteen() -> None:
    derivation = derive_sentence(parse_case(bundled_document(RAPE)))
    assert derivation.tier == "basic" and _band(derivation) == (36, 120) and derivation.base_months == 36
    child = rape(rape_child_victim=True)
    assert child.tier == "child" and {s.key: s.months_delta for s in child.steps}["starting_point"] == 48
    assert child.recommended_months > rape().recommended_months  # art. 236 ¶2: 从重


@pytest.mark.parametrize(
    "facts",
    [{"rape_heinous": True}, {"rape_victims": 3}, {"rape_in_public": True}, {"rape_gang": True},
     {"rape_child_victim": True, "rape_child_under_10": True}, {"serious_injuries": 1}, {"deaths": 1}],
)  # fmt: skip
def test_each_ground_of_art_236_para_3_is_ten_years_or_more(facts: dict[str, Any]) -> None:
    derivation = rape(**facts)
    assert derivation.tier == "aggravated" and _band(derivation) == (120, 180)
    assert rape(rape_victims=2).tier == "basic"


def test_rape_is_answered_for_from_fourteen_and_a_girl_under_ten_is_a_girl_under_fourteen() -> None:
    document = bundled_with(RAPE)
    document["defendant"]["age_at_offence"] = 14
    assert derive_sentence(parse_case(document)).tier == "basic"  # 刑法第17条第2款
    document["defendant"]["age_at_offence"] = 13
    with pytest.raises(CaseValidationError, match="age_at_offence"):
        parse_case(document)
    with pytest.raises(CaseValidationError, match="rape_child_under_10"):
        parse_case(bundled_with(RAPE, rape_child_under_10=True))


def test_a_rape_judgment_read_and_derived() -> None:
    draft, case = read_and_confirm(judgment_text("rape"), (("household_registration", "local"), ("region", "east")))
    assert (draft.document_kind, draft.charge) == ("judgment", "rape")
    assert derive_sentence(case).tier == "basic"
    gang = judgment_text("rape").replace("强行与王某发生了性关系", "伙同他人轮奸了王某")
    assert {f.factor: f.value for f in read_text(gang).facts}["rape_gang"] is True


def test_the_persons_held_or_raped_are_read_where_the_text_counts_them() -> None:
    held = judgment_text("illegal-detention").replace("将被害人郑某强行带至", "将被害人郑某、王某二人强行带至")
    assert {f.factor: f.value for f in read_text(held).facts}["detention_victims"] == 2
    several = judgment_text("rape").replace(
        "强行与王某发生了性关系", "强行与王某发生了性关系。此前，吴某还先后强奸3名妇女"
    )
    got = {f.factor: f.value for f in read_text(several).facts}
    assert got["rape_victims"] == 3 and "rape_child_victim" not in got
    assert "rape_victims" not in {f.factor for f in read_text(judgment_text("rape")).facts}  # one, by default
