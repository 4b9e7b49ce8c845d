"""Embezzlement by an employee (职务侵占罪, Criminal Law art. 271) and fraudulent fund-raising (集资诈骗罪, art. 192) as
data, and read from a judgment (issue 20): each crime's national thresholds (法释〔2016〕9号 第11条;
法释〔2022〕5号 第8条), its bands as amended by 刑法修正案（十一）, increments per amount and the return of the money as
restitution. The judgments' texts are written for these tests."""

from __future__ import annotations

from importlib import resources

import pytest

from sentencing.case import parse_case
from sentencing.catalogue import load_catalogue
from sentencing.errors import CaseValidationError, Rule
from sentencing.guideline import derive_sentence
from sentencing.jurisdiction import load_jurisdiction
from sentencing.reading import Confirmation, read_text, rule_descriptions
from tests.hearing.store_fixtures import bundled_document
from tests.sentencing.crimes import bundled_with, derive_bundled

TEXTS = resources.files("sentencing").joinpath("data/texts")
EMBEZZLEMENT = "employee-embezzlement-cashier"
FUNDRAISING = "fundraising-fraud-high-interest"


derived = derive_bundled


def test_the_thresholds_are_the_interpretations_and_inside_the_national_ranges() -> None:
    catalogue = load_catalogue()
    assert catalogue.national_thresholds("employee_embezzlement")["large"] == (30000, 60000)
    assert catalogue.national_thresholds("employee_embezzlement")["huge"] == (1000000, 1000000)
    assert catalogue.national_thresholds("fundraising_fraud") == {"large": (100000, 100000), "huge": (1000000, 1000000)}
    table = load_jurisdiction("default").charge_table("employee_embezzlement")
    assert table.threshold("large") == 60000 and "法释〔2016〕9号 第11条" in table.threshold_source


@pytest.mark.parametrize(
    ("amount", "tier", "band"),
    [(60_000, "large", (1, 36)), (999_999, "large", (1, 36)), (1_000_000, "huge", (36, 120)),
     (15_000_000, "especially_huge", (120, 180))],
)  # fmt: skip
def test_embezzlement_bands(amount: int, tier: str, band: tuple[int, int]) -> None:
    derivation = derived(EMBEZZLEMENT, amount_yuan=amount)
    assert derivation.tier == tier and (derivation.statutory_band.low, derivation.statutory_band.high) == band


def test_the_bundled_embezzlement_is_derived_from_its_sources() -> None:
    derivation = derive_sentence(parse_case(bundled_document(EMBEZZLEMENT)))
    steps = {s.key: s for s in derivation.steps}
    assert steps["starting_point"].months_after == 6 and "职务侵占罪 1(1)" in steps["starting_point"].source
    assert steps["increment.amount"].months_delta == 4  # ¥120,000 above ¥60,000: four full ¥28,200
    assert "circumstance.restitution" in steps and derivation.recommended_months < derivation.base_months
    assert derivation.outcome.fine is not None and "刑法第271条" in derivation.outcome.fine.source


def test_below_the_courts_threshold_embezzlement_is_refused() -> None:
    with pytest.raises(CaseValidationError) as refused:
        parse_case(bundled_with(EMBEZZLEMENT, amount_yuan=45_000))
    (violation,) = refused.value.violations
    assert violation.rule is Rule.BELOW_CRIMINAL_THRESHOLD and "法释〔2016〕9号" in violation.message


def test_fundraising_fraud_starts_at_three_years_and_a_grave_effect_reaches_the_higher_band() -> None:
    derivation = derive_sentence(parse_case(bundled_document(FUNDRAISING)))
    assert derivation.tier == "large" and derivation.statutory_band.low == 36
    steps = {s.key: s for s in derivation.steps}
    assert steps["increment.amount"].months_delta == 35  # ¥700,000 above ¥100,000 at ¥20,000 a month
    assert "circumstance.restitution_partial" in steps  # a quarter repaid
    assert derived(FUNDRAISING, amount_yuan=499_999, fundraising_grave_effect=True).tier == "large"
    assert derived(FUNDRAISING, amount_yuan=500_000, fundraising_grave_effect=True).tier == "huge"
    assert derived(FUNDRAISING, amount_yuan=1_000_000).tier == "huge"
    with pytest.raises(CaseValidationError, match="amount_yuan"):
        derived(FUNDRAISING, amount_yuan=99_999)


def test_without_a_mitigation_allowing_it_the_term_stays_above_three_years() -> None:
    derivation = derived(FUNDRAISING, {"confession": "ordinary", "plea_agreement": True}, amount_yuan=100_000)
    assert derivation.recommended_months >= 36  # art. 192's minimum: only 减轻 goes below it


@pytest.mark.parametrize(
    ("name", "charge", "amount"),
    [("employee-embezzlement-judgment.txt", "employee_embezzlement", 180000),
     ("fundraising-fraud-judgment.txt", "fundraising_fraud", 800000)],
)  # fmt: skip
def test_a_judgment_read_fact_by_fact_and_derived(name: str, charge: str, amount: int) -> None:
    draft = read_text(TEXTS.joinpath(name).read_text("utf-8"))
    assert (draft.document_kind, draft.charge) == ("judgment", charge)
    got = {f.factor: f.value for f in draft.facts}
    assert got["amount_yuan"] == amount and got["confession"] == "ordinary"
    for fact in draft.facts:
        for source in fact.sources:
            assert source.rule in rule_descriptions(), source.rule
    person = (("household_registration", "local"), ("region", "east"), ("occupation", "employed"),
              ("age_at_offence", 40))  # fmt: skip
    case = parse_case(draft.case_document(Confirmation(by="defence", confirm_all=True, set=person)))
    assert derive_sentence(case).tier == "large"


def test_the_embezzlement_judgment_reads_the_acts_and_the_return() -> None:
    draft = read_text(TEXTS.joinpath("employee-embezzlement-judgment.txt").read_text("utf-8"))
    got = {f.factor: f.value for f in draft.facts}
    assert got["acts"] == 5 and got["restitution"] is True and got["compensation"] == "forgiveness_only"


def test_the_signs_show_the_charge_without_its_name() -> None:
    assert read_text("被告人利某利用担任公司仓库保管员的职务便利，将库存电缆占为己有，价值人民币7万元。").charge == (
        "employee_embezzlement"
    )
    assert (
        read_text("被告人周某以高息为诱饵向不特定公众集资，骗取集资款人民币50万元后挥霍。").charge
        == "fundraising_fraud"
    )
