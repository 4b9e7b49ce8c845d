"""Credit card fraud (信用卡诈骗罪, art. 196), contract fraud (合同诈骗罪, art. 224) and
illegally taking public deposits (非法吸收公众存款罪, art. 176) as data, and read from a judgment
(issue 20): credit card fraud's two scales (a card not one's own from ¥5,000, a malicious overdraft
from ¥50,000) stated as the table's grounds of conviction and of each band, with a fine kept inside
the article's; contract fraud's provincial thresholds; deposits by sum, by depositors or by their
loss. The judgments' texts are written for these tests."""

from __future__ import annotations

from typing import Any

import pytest

from sentencing.case import parse_case
from sentencing.errors import CaseValidationError, ConfigurationError
from sentencing.guideline import Derivation, derive_sentence
from sentencing.jurisdiction import load_jurisdiction, parse_jurisdiction
from sentencing.reading import read_text
from tests.hearing.store_fixtures import bundled_document
from tests.sentencing.crimes import bundled_with, derive_bundled, judgment_text, read_and_confirm

CARD, CONTRACT, DEPOSITS = "credit-card-overdraft", "contract-fraud-goods", "illegal-deposits-cooperative"


def card(circumstances: dict[str, Any] | None = None, **facts: Any) -> Derivation:
    return derive_bundled(CARD, circumstances, **facts)


def deposits(circumstances: dict[str, Any] | None = None, **facts: Any) -> Derivation:
    return derive_bundled(DEPOSITS, circumstances, **facts)


def test_the_bundled_overdraft_is_derived_from_its_sources() -> None:
    derivation = derive_sentence(parse_case(bundled_document(CARD)))
    steps = {s.key: s.months_delta for s in derivation.steps}
    assert derivation.tier == "large" and steps["starting_point"] == 6
    assert steps["increment.overdraft"] == 1  # ¥86,000: one full ¥20,000 above ¥50,000
    assert derivation.base_months == 7


@pytest.mark.parametrize(
    "facts, tier",
    [({"amount_yuan": 5_000}, "large"), ({"card_overdraft_yuan": 50_000}, "large"),
     ({"amount_yuan": 50_000}, "huge"), ({"card_overdraft_yuan": 500_000}, "huge"),
     ({"amount_yuan": 49_999, "card_overdraft_yuan": 499_999}, "large"),
     ({"amount_yuan": 500_000}, "especially_huge"), ({"card_overdraft_yuan": 5_000_000}, "especially_huge")],
)  # fmt: skip
def test_each_method_reaches_each_band_by_its_own_threshold(facts: dict[str, Any], tier: str) -> None:
    assert card(**facts).tier == tier


@pytest.mark.parametrize("facts", [{"amount_yuan": 4_999}, {"card_overdraft_yuan": 49_999},
                                   {"amount_yuan": 4_000, "card_overdraft_yuan": 40_000}])  # fmt: skip
def test_below_both_thresholds_is_no_crime_and_the_refusal_names_both(facts: dict[str, Any]) -> None:
    with pytest.raises(CaseValidationError) as caught:
        parse_case(bundled_with(CARD, **facts))
    message = str(caught.value)
    assert "amount_yuan >= 5,000" in message and "card_overdraft_yuan >= 50,000" in message
    assert "法释〔2018〕19号" in message and "below_criminal_threshold" in message


@pytest.mark.parametrize("facts", [{"card_overdraft_yuan": 50_000}, {"card_overdraft_yuan": 600_000},
                                   {"amount_yuan": 490_000}, {"card_overdraft_yuan": 90_000_000}])  # fmt: skip
def test_the_fine_stays_inside_the_article_in_every_band(facts: dict[str, Any]) -> None:
    derivation = card(**facts)
    fine = derivation.outcome.fine
    assert fine is not None
    low, high = {"large": (20_000, 200_000), "huge": (50_000, 500_000),
                 "especially_huge": (50_000, 500_000)}[derivation.tier]  # fmt: skip
    assert low <= fine.low_yuan <= fine.point_yuan <= fine.high_yuan <= high


def test_a_repayment_is_a_share_of_the_overdraft() -> None:
    repaid = card({"restitution_yuan": 30_000}, card_overdraft_yuan=86_000)
    assert repaid.recommended_months < card(card_overdraft_yuan=86_000).recommended_months
    with pytest.raises(CaseValidationError, match="restitution_yuan"):
        parse_case(bundled_with(CARD, {"restitution_yuan": 90_000}, card_overdraft_yuan=86_000))


def test_an_overdraft_judgment_read_fact_by_fact_and_derived() -> None:
    person = (("household_registration", "local"), ("region", "central"), ("age_at_offence", 37))  # 2020 to 2022
    draft, case = read_and_confirm(judgment_text("credit-card"), person)
    assert (draft.document_kind, draft.charge) == ("judgment", "credit_card_fraud")
    got = {f.factor: f.value for f in draft.facts}
    assert got["card_overdraft_yuan"] == 86_000 and "amount_yuan" not in got and got["restitution_yuan"] == 30_000
    assert derive_sentence(case).tier == "large"


def test_contract_fraud_by_its_table_thresholds() -> None:
    derivation = derive_sentence(parse_case(bundled_document(CONTRACT)))
    assert derivation.tier == "huge" and derivation.statutory_band.low == 36  # ¥320,000 ≥ the table's ¥200,000
    assert derive_bundled(CONTRACT, amount_yuan=199_999).tier == "large"
    assert derive_bundled(CONTRACT, amount_yuan=1_000_000).tier == "especially_huge"
    with pytest.raises(CaseValidationError, match="amount_yuan"):
        parse_case(bundled_with(CONTRACT, amount_yuan=19_999))
    source = load_jurisdiction().charge_table("contract_fraud").threshold_source
    assert "unconfirmed" in source and "立案追诉标准" in source


def test_a_contract_fraud_judgment_does_not_take_absconding_with_the_goods_as_fleeing() -> None:
    person = (("household_registration", "local"), ("region", "east"), ("occupation", "self_employed"))
    draft, case = read_and_confirm(judgment_text("contract-fraud"), person)
    got = {f.factor: f.value for f in draft.facts}
    assert derive_sentence(case).tier == "huge"
    assert draft.charge == "contract_fraud" and got["amount_yuan"] == 320_000 and got["restitution_yuan"] == 100_000
    assert "fled" not in got  # 变卖后逃匿 is 刑法第224条第4项's way of the crime
    later = judgment_text("contract-fraud").replace(
        "被告人钱某到案后", "案发后被告人钱某潜逃外地，后被抓获。被告人钱某到案后"
    )
    assert {f.factor: f.value for f in read_text(later).facts}["fled"] is True


@pytest.mark.parametrize(
    "facts, tier",
    [({"amount_yuan": 1_000_000}, "large"), ({"amount_yuan": 100_000, "depositors": 150}, "large"),
     ({"amount_yuan": 600_000, "deposit_loss_yuan": 500_000}, "large"),
     ({"amount_yuan": 5_000_000}, "huge"), ({"amount_yuan": 1_000_000, "depositors": 500}, "huge"),
     ({"amount_yuan": 3_000_000, "deposit_loss_yuan": 2_500_000}, "huge"),
     ({"amount_yuan": 50_000_000}, "especially_huge"),
     ({"amount_yuan": 2_000_000, "depositors": 5_000}, "especially_huge")],
)  # fmt: skip
def test_deposits_by_sum_by_depositors_or_by_their_loss(facts: dict[str, Any], tier: str) -> None:
    assert deposits(**facts).tier == tier


def test_deposits_below_every_ground_are_refused() -> None:
    with pytest.raises(CaseValidationError, match="depositors >= 150"):
        parse_case(bundled_with(DEPOSITS, amount_yuan=900_000, depositors=149, deposit_loss_yuan=499_999))


def test_a_deposits_judgment_keeps_the_unpaid_sum_out_of_the_amount() -> None:
    draft, case = read_and_confirm(judgment_text("illegal-deposits"), (("household_registration", "local"),
                                                                ("region", "central")))  # fmt: skip
    got = {f.factor: f.value for f in draft.facts}
    assert draft.charge == "illegal_deposits" and got["amount_yuan"] == 2_600_000  # not + the ¥900,000 unpaid
    assert got["depositors"] == 180 and got["deposit_loss_yuan"] == 900_000
    assert derive_sentence(case).tier == "large"


def test_a_table_stating_grounds_of_conviction_names_its_law_and_real_facts() -> None:
    from sentencing.files import read_data_document

    document, _ = read_data_document("data/jurisdictions/default.json", None, "the default jurisdiction table")
    document["charges"]["credit_card_fraud"].pop("conviction_source")
    with pytest.raises(ConfigurationError, match="conviction_source"):
        parse_jurisdiction(document, "test")
    document["charges"]["credit_card_fraud"]["conviction_source"] = "law"
    document["charges"]["credit_card_fraud"]["convicted_when_any"] = [{"fact": "no_such_fact", "at_least": 1}]
    with pytest.raises(ConfigurationError, match="no_such_fact"):
        parse_jurisdiction(document, "test")
    document["charges"]["credit_card_fraud"]["convicted_when_any"] = []
    with pytest.raises(ConfigurationError, match="make the charge a crime"):
        parse_jurisdiction(document, "test")


def test_counsel_can_ask_either_side_of_every_line_the_law_draws() -> None:
    from counterfactuals.search import search_space

    options = {o.factor: set(o.values) for o in search_space(parse_case(bundled_document(DEPOSITS)))}
    assert {499_999, 500_000, 2_499_999, 2_500_000, 24_999_999, 25_000_000} <= options["deposit_loss_yuan"]
    card_options = {o.factor: set(o.values) for o in search_space(parse_case(bundled_document(CARD)))}
    assert {49_999, 499_999, 500_000, 4_999_999, 5_000_000} <= card_options["card_overdraft_yuan"]


def test_a_table_written_before_grounds_were_data_takes_the_laws_grounds_as_shipped() -> None:
    """A court's table without ``convicted_when_any`` still refuses a case below the law's grounds: it takes them as
    the shipped table states them (as a tier without ``when`` takes the shipped facts)."""
    from sentencing.files import read_data_document

    document, _ = read_data_document("data/jurisdictions/default.json", None, "the default jurisdiction table")
    for charge in ("credit_card_fraud", "picking_quarrels", "sheltering_drug_use"):
        document["charges"][charge].pop("convicted_when_any")
        document["charges"][charge].pop("conviction_source")
    older, shipped = parse_jurisdiction(document, "court-x"), load_jurisdiction()
    for charge in ("credit_card_fraud", "picking_quarrels", "sheltering_drug_use"):
        table = older.charge_table(charge)
        assert table.convicted_when_any == shipped.charge_table(charge).convicted_when_any
        assert "unconfirmed" in table.conviction_source
    with pytest.raises(CaseValidationError, match="quarrel_armed"):
        parse_case(bundled_with("picking-quarrels-bar", slight_injuries=1), jurisdiction=older)
    assert derive_sentence(parse_case(bundled_document(CARD), jurisdiction=older), older).tier == "large"
