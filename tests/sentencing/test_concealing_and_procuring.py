"""Concealing the proceeds of crime (掩饰、隐瞒犯罪所得、犯罪所得收益罪, art. 312) and luring,
harbouring or procuring prostitution (引诱、容留、介绍卖淫罪, art. 359 ¶1) as data, and read from a
judgment (issue 20): no amount makes the first a crime since 法释〔2025〕13号 (the court's whole
judgment), its 情节严重 by the earlier figures, marked superseded and unconfirmed; the second a crime
only on 法释〔2017〕13号 第8条's grounds, stated in the table and refused naming them. The judgments'
texts are written for these tests."""

from __future__ import annotations

from typing import Any

import pytest

from sentencing.case import parse_case
from sentencing.errors import CaseValidationError
from sentencing.guideline import Derivation, derive_sentence
from sentencing.jurisdiction import load_jurisdiction
from tests.hearing.store_fixtures import bundled_document
from tests.sentencing.crimes import bundled_with, derive_bundled, judgment_text, read_and_confirm

CONCEALING, PROCURING = "concealing-proceeds-bank-cards", "prostitution-procuring-massage"


def concealing(circumstances: dict[str, Any] | None = None, **facts: Any) -> Derivation:
    return derive_bundled(CONCEALING, circumstances, **facts)


def procuring(circumstances: dict[str, Any] | None = None, **facts: Any) -> Derivation:
    return derive_bundled(PROCURING, circumstances, **facts)


def test_the_bundled_concealment_is_derived_from_its_sources() -> None:
    derivation = derive_sentence(parse_case(bundled_document(CONCEALING)))
    steps = {s.key: s.months_delta for s in derivation.steps}
    assert derivation.tier == "basic" and steps["starting_point"] == 3
    assert steps["increment.amount"] == 3 and steps["increment.acts"] == 9  # ¥46,000: three ¥10,000s past the first
    assert derivation.base_months == 15


def test_no_amount_makes_concealment_a_crime() -> None:
    assert concealing(amount_yuan=500).tier == "basic"  # 法释〔2025〕13号 第3条: the court weighs the whole


@pytest.mark.parametrize(
    "facts, tier",
    [({"amount_yuan": 100_000}, "serious"), ({"amount_yuan": 1_000, "acts": 10}, "serious"),
     ({"amount_yuan": 50_000, "acts": 3}, "serious"), ({"amount_yuan": 49_999, "acts": 3}, "basic"),
     ({"amount_yuan": 99_999, "acts": 2}, "basic")],
)  # fmt: skip
def test_serious_circumstances_by_the_earlier_figures(facts: dict[str, Any], tier: str) -> None:
    assert concealing(**facts).tier == tier
    band = load_jurisdiction().charge_table("concealing_proceeds").tier("serious").statutory_band
    assert (
        "法释〔2025〕13号" in band.source
        and "unconfirmed" in band.source
        and (band.min_months, band.max_months) == (36, 84)
    )


def test_a_concealment_judgment_read_fact_by_fact_and_derived() -> None:
    draft, case = read_and_confirm(judgment_text("concealing-proceeds"), (("household_registration", "local"),
                                                                   ("region", "west")))  # fmt: skip
    got = {f.factor: f.value for f in draft.facts}
    assert draft.charge == "concealing_proceeds" and got["amount_yuan"] == 46_000 and got["acts"] == 4
    assert derive_sentence(case).base_months == 15


def test_the_bundled_procuring_is_derived_from_its_sources() -> None:
    derivation = derive_sentence(parse_case(bundled_document(PROCURING)))
    steps = {s.key: s.months_delta for s in derivation.steps}
    assert derivation.tier == "basic" and (derivation.statutory_band.low, derivation.statutory_band.high) == (1, 60)
    assert steps["increment.persons"] == 2 and derivation.base_months == 8  # four persons: two beyond the two


@pytest.mark.parametrize(
    "facts",
    [{"prostitution_persons": 1, "prostitution_induced": 1}, {"prostitution_persons": 2},
     {"prostitution_persons": 1, "prostitution_vulnerable": 1},
     {"prostitution_persons": 1, "prostitution_prior_penalty": True},
     {"prostitution_persons": 1, "prostitution_profit_yuan": 10_000}],
)  # fmt: skip
def test_each_ground_of_article_8_makes_it_a_crime(facts: dict[str, Any]) -> None:
    assert procuring(**facts).tier == "basic"


def test_one_person_harboured_for_little_is_no_crime_and_the_refusal_names_every_ground() -> None:
    with pytest.raises(CaseValidationError) as caught:
        parse_case(bundled_with(PROCURING, prostitution_persons=1, prostitution_profit_yuan=9_999))
    message = str(caught.value)
    grounds = ("prostitution_induced >= 1", "prostitution_persons >= 2", "prostitution_vulnerable >= 1",
               "prostitution_prior_penalty", "prostitution_profit_yuan >= 10,000",
               "法释〔2017〕13号 第8条")  # fmt: skip
    for ground in grounds:
        assert ground in message


@pytest.mark.parametrize(
    "facts",
    [{"prostitution_persons": 5, "prostitution_induced": 5}, {"prostitution_persons": 10},
     {"prostitution_persons": 5, "prostitution_vulnerable": 5},
     {"prostitution_persons": 2, "prostitution_profit_yuan": 50_000}],
)  # fmt: skip
def test_each_ground_of_article_9_is_five_years_or_more(facts: dict[str, Any]) -> None:
    derivation = procuring(**facts)
    assert derivation.tier == "serious" and derivation.statutory_band.low == 60


def test_more_of_a_kind_than_in_all_is_a_contradiction() -> None:
    with pytest.raises(CaseValidationError, match=r"prostitution_vulnerable.*more than"):
        parse_case(bundled_with(PROCURING, prostitution_persons=2, prostitution_vulnerable=3))
    with pytest.raises(CaseValidationError, match="prostitution_induced"):
        parse_case(bundled_with(PROCURING, prostitution_induced=2))  # one person in all, by default


def test_minors_add_months_and_a_procuring_judgment_is_read() -> None:
    assert procuring(prostitution_persons=4, prostitution_vulnerable=1).base_months == 14
    person = (("household_registration", "local"), ("region", "east"))
    draft, case = read_and_confirm(judgment_text("prostitution"), person)
    got = {f.factor: f.value for f in draft.facts}
    assert draft.charge == "prostitution_procuring"
    assert got["prostitution_persons"] == 4 and got["prostitution_profit_yuan"] == 12_000
    assert derive_sentence(case).base_months == 8
