"""Drug crimes (issue 20): smuggling, selling, transporting or making drugs (刑法第347条), illegal possession (第348条)
and providing a place for drug use (第354条) as data, with the conversion of several kinds of drug to heroin
(法〔2015〕129号) as code, and read from a judgment. The judgments' texts are written for these tests."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import pytest

from counterfactuals.search import search_space
from sentencing.case import parse_case
from sentencing.catalogue import load_catalogue
from sentencing.drugs import HEROIN_EQUIVALENT, drug_kinds, heroin_equivalent, parse_drug_table
from sentencing.errors import CaseValidationError, ConfigurationError, Rule
from sentencing.guideline import Derivation, derive_sentence
from sentencing.jurisdiction import load_jurisdiction, parse_jurisdiction
from sentencing.reading import Draft, read_text
from tests.hearing.store_fixtures import bundled_document
from tests.sentencing.crimes import bundled_with, derive_bundled, read_and_confirm

TEXTS = resources.files("sentencing").joinpath("data/texts")
TRAFFICKING = "drug-trafficking-mixed"
POSSESSION = "drug-possession-methamphetamine"
SHELTERING = "sheltering-drug-use-flat"


def case_of(name: str, **facts: Any) -> dict[str, Any]:
    return bundled_with(name, **facts)


def derived(name: str, **facts: Any) -> Derivation:
    return derive_bundled(name, **facts)


# ------------------------------------------------------------------------------------------------ the conversion


def test_each_kind_converts_to_heroin_by_the_ratio_of_its_thresholds() -> None:
    ratios = {k.id: 50 / k.large_g for k in drug_kinds()}
    assert ratios["heroin"] == ratios["methamphetamine"] == ratios["cocaine"] == 1
    assert ratios["opium"] == 0.05 and ratios["ketamine"] == 0.1 and ratios["mdma"] == 0.5
    assert heroin_equivalent({"drug_opium_g": 200}) == pytest.approx(10)  # 刑法第347条: 200 g opium ~ 10 g heroin
    assert heroin_equivalent({"drug_ketamine_g": 100, "drug_methamphetamine_g": 5}) == pytest.approx(15)
    assert heroin_equivalent({"drug_cannabis_g": 30_000}) == pytest.approx(10)  # 法释〔2016〕8号 第2条: 30 kg
    assert heroin_equivalent({"amount_yuan": 5000}) == 0
    for kind in drug_kinds():  # every kind's 数量较大 is heroin's 10 g, its 数量大 heroin's 50 g
        assert heroin_equivalent({kind.factor: kind.relatively_large_g}) == pytest.approx(10)
        assert heroin_equivalent({kind.factor: kind.large_g}) == pytest.approx(50)
        assert load_catalogue().factor(kind.factor).unit == "g"


def _table_document() -> dict[str, Any]:
    return json.loads(resources.files("sentencing").joinpath("data/drugs.json").read_text("utf-8"))


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda d: d["kinds"][7].update(relatively_large_g=50), "different proportions"),
        (lambda d: d["kinds"][0].update(large_g=-1), "positive number of grams"),
        (lambda d: d["kinds"][1].update(relatively_large_g=60), "must be below"),
        (lambda d: d["kinds"][2].update(factor="amount_yuan"), "number fact of the catalogue"),
        (lambda d: d["kinds"][2].update(factor="no_such_fact"), "number fact of the catalogue"),
        (lambda d: d.update(reference_kind="tea"), "reference_kind"),
        (lambda d: d["kinds"].append(dict(d["kinds"][0])), "listed once"),
    ],
)
def test_a_bad_drug_table_is_refused_naming_the_rule(change: Any, words: str) -> None:
    document = _table_document()
    change(document)
    with pytest.raises(ConfigurationError, match=words):
        parse_drug_table(document, "drugs.json")


# ------------------------------------------------------------------------------------------------ trafficking


def test_the_bundled_trafficking_converts_two_kinds_and_derives_from_its_sources() -> None:
    derivation = derive_sentence(parse_case(bundled_document(TRAFFICKING)))
    assert derivation.tier == "relatively_large"
    assert (derivation.statutory_band.low, derivation.statutory_band.high) == (84, 180)
    steps = {s.key: s for s in derivation.steps}
    start = steps["starting_point"]
    assert start.months_after == 84 and "四(二十)1(2)" in start.source
    assert "12.5 g methamphetamine × 1 + 30 g ketamine × 0.1 = 15.5 g" in start.note.en
    assert "法〔2015〕129号" in start.note.zh
    assert steps["increment.quantity"].months_delta == 10  # five full grams above 10 g, two months each
    assert steps["increment.acts"].months_delta == 3
    assert "circumstance.drug_reoffender" in steps and derivation.base_months == 97
    assert derivation.outcome.fine is not None and "刑法第347条" in derivation.outcome.fine.source


@pytest.mark.parametrize(
    ("facts", "tier"),
    [
        ({"drug_heroin_g": 9.9}, "small"),
        ({"drug_heroin_g": 10}, "relatively_large"),
        ({"drug_opium_g": 199}, "small"),
        ({"drug_opium_g": 200}, "relatively_large"),
        ({"drug_ketamine_g": 60, "drug_methamphetamine_g": 4}, "relatively_large"),  # 6 + 4: only together
        ({"drug_methamphetamine_g": 49.9}, "relatively_large"),
        ({"drug_methamphetamine_g": 30, "drug_mdma_g": 40}, "large"),  # 30 + 20
        ({"drug_heroin_g": 0.5, "acts": 3}, "serious"),  # 法释〔2016〕8号 第4条: 多次
        ({"drug_heroin_g": 0.5, "drug_buyers": 3}, "serious"),  # 多人
        ({"drug_heroin_g": 0.5, "drug_to_students": True}, "serious"),
        ({"drug_heroin_g": 0.5, "drug_state_functionary": True}, "serious"),
        ({"drug_heroin_g": 0.5, "drug_group_ringleader": True}, "large"),  # 刑法第347条第2款第2项
        ({"drug_heroin_g": 0.5, "drug_armed_escort": True}, "large"),
        ({"drug_heroin_g": 12, "drug_buyers": 5}, "relatively_large"),  # 情节严重 is the small band's
    ],
)
def test_the_quantity_and_the_grounds_choose_the_band(facts: dict[str, Any], tier: str) -> None:
    assert derived(TRAFFICKING, **facts).tier == tier


def test_the_large_band_is_fifteen_years_and_life_or_death_stay_the_courts() -> None:
    derivation = derived(TRAFFICKING, drug_heroin_g=400)
    assert derivation.tier == "large" and derivation.recommended_months == 180
    assert (derivation.statutory_band.low, derivation.statutory_band.high) == (180, 180)
    band = load_jurisdiction("default").charge_table("drug_trafficking").tier("large").statutory_band
    assert "outside a numeric engine" in band.source and "无期徒刑或者死刑" in band.label.zh
    assert "无期徒刑以上刑罚的除外" in {s.key: s for s in derivation.steps}["starting_point"].source


def test_any_quantity_is_trafficking_but_none_is_refused() -> None:
    assert derived(TRAFFICKING, drug_heroin_g=0.1).recommended_months >= 3
    with pytest.raises(CaseValidationError) as refused:
        parse_case(case_of(TRAFFICKING, acts=2))
    (violation,) = refused.value.violations
    assert violation.field == "drug_heroin_g" and violation.rule is Rule.MISSING_REQUIRED


def test_the_drug_circumstances_move_the_term_by_their_ratios() -> None:
    plain = derived(TRAFFICKING, drug_heroin_g=20)
    for circumstance, worse in (("drug_minors", True), ("drug_reoffender", True), ("drug_hired_carrier", False),
                                ("drug_low_purity", False), ("drug_quantity_inducement", False)):  # fmt: skip
        document = case_of(TRAFFICKING, drug_heroin_g=20)
        document["circumstances"] = {circumstance: True}
        after = derive_sentence(parse_case(document))
        moved = after.recommended_months > plain.recommended_months
        assert moved is worse, circumstance
        low, high = (0.0, 0.3) if worse else (-0.3, 0.0)
        rule = load_jurisdiction("default").circumstance(circumstance)
        assert (rule.ratio_min, rule.ratio_max) == (low, high)


def test_a_drug_reoffence_and_recidivism_for_one_prior_are_weighed_once() -> None:
    document = case_of(TRAFFICKING, drug_heroin_g=20)
    document["circumstances"] = {"drug_reoffender": True, "recidivist": True, "prior_record": True}
    steps = {s.key: s for s in derive_sentence(parse_case(document)).steps}
    assert steps["circumstance.recidivist"].months_delta > 0
    assert steps["circumstance.drug_reoffender"].months_delta == 0 and "法〔2015〕129号" in steps[
        "circumstance.drug_reoffender"].source  # fmt: skip
    assert steps["circumstance.prior_record"].months_delta == 0
    document["circumstances"] = {"drug_reoffender": True, "prior_record": True}
    steps = {s.key: s for s in derive_sentence(parse_case(document)).steps}
    assert steps["circumstance.drug_reoffender"].months_delta > 0
    assert steps["circumstance.prior_record"].months_delta == 0


def test_a_fourteen_year_old_answers_for_selling_drugs() -> None:
    document = case_of(TRAFFICKING, drug_heroin_g=2)
    document["defendant"]["age_at_offence"] = 15
    assert parse_case(document).charge == "drug_trafficking"  # 刑法第17条第2款 names 贩卖毒品
    document = case_of(POSSESSION, drug_heroin_g=20)
    document["defendant"]["age_at_offence"] = 15
    with pytest.raises(CaseValidationError, match="age_at_offence"):
        parse_case(document)


# ------------------------------------------------------------------------------------------------ possession


def test_possession_needs_a_relatively_large_quantity() -> None:
    with pytest.raises(CaseValidationError) as refused:
        parse_case(case_of(POSSESSION, drug_methamphetamine_g=9.5))
    (violation,) = refused.value.violations
    assert violation.rule is Rule.BELOW_CRIMINAL_THRESHOLD and violation.field == "drug_methamphetamine_g"
    assert "刑法第348条" in violation.message
    assert derived(POSSESSION, drug_opium_g=200).tier == "relatively_large"


@pytest.mark.parametrize(
    ("facts", "tier", "base"),
    [
        ({"drug_methamphetamine_g": 28}, "relatively_large", 24),  # 6 + 18 grams above 10
        ({"drug_methamphetamine_g": 28, "drug_in_rehab_or_custody": True}, "serious", 54),
        ({"drug_heroin_g": 12, "drug_held_through_minors": True}, "serious", 38),
        ({"drug_heroin_g": 70}, "large", 94),  # 84 + one month per 2 g above 50
    ],
)
def test_possession_bands(facts: dict[str, Any], tier: str, base: float) -> None:
    derivation = derived(POSSESSION, **facts)
    assert derivation.tier == tier and derivation.base_months == base


# ------------------------------------------------------------------------------------------------ sheltering


def test_providing_a_place_is_a_crime_only_on_one_of_its_grounds() -> None:
    with pytest.raises(CaseValidationError) as refused:
        parse_case(case_of(SHELTERING, drug_users_sheltered=2, drug_users_at_once=2))
    (violation,) = refused.value.violations
    assert violation.rule is Rule.BELOW_CRIMINAL_THRESHOLD and "法释〔2016〕8号 第12条" in violation.message
    for ground in ({"acts": 3}, {"sheltered_minor": True}, {"sheltering_for_profit": True},
                   {"sheltered_seriously_ill": True}, {"sheltering_prior_penalty": True}):  # fmt: skip
        assert derived(SHELTERING, drug_users_sheltered=2, drug_users_at_once=2, **ground).tier == "basic"
    with pytest.raises(CaseValidationError, match="drug_users_at_once"):
        parse_case(case_of(SHELTERING, drug_users_sheltered=3, drug_users_at_once=4))


def test_the_bundled_sheltering_adds_a_month_per_person() -> None:
    derivation = derive_sentence(parse_case(bundled_document(SHELTERING)))
    steps = {s.key: s for s in derivation.steps}
    assert steps["starting_point"].months_after == 6 and "四(二十二)1" in steps["starting_point"].source
    assert steps["increment.persons"].months_delta == 2 and derivation.base_months == 8
    assert derivation.statutory_band.high == 36


# ------------------------------------------------------------------------------------------------ table and search


def test_a_table_reads_the_heroin_equivalent_and_no_other_made_up_fact() -> None:
    from sentencing.files import read_data_document

    document, _ = read_data_document("data/jurisdictions/default.json", None, "table")
    tiers = document["charges"]["drug_trafficking"]["tiers"]
    assert tiers[2]["when"] == [{"fact": HEROIN_EQUIVALENT, "at_least": 10}]
    tiers[2]["when"] = [{"fact": "heroin_grams", "at_least": 10}]
    with pytest.raises(ConfigurationError, match="'heroin_grams' is no factor of the catalogue"):
        parse_jurisdiction(document, "court.json")
    tiers[2]["when"] = [{"fact": HEROIN_EQUIVALENT, "in": ["a"]}]
    with pytest.raises(ConfigurationError, match="'at_least', 'is' or 'between'"):
        parse_jurisdiction(document, "court.json")


def test_the_counterfactual_grid_tries_either_side_of_each_kinds_thresholds() -> None:
    case = parse_case(bundled_document(TRAFFICKING))
    grid = {o.factor: o.values for o in search_space(case)}
    assert {200, 199, 1000, 999} <= set(grid["drug_opium_g"])
    assert {10, 9.9, 50, 49} <= set(grid["drug_methamphetamine_g"])


# ------------------------------------------------------------------------------------------------ the reader


def _read(name: str) -> Draft:
    return read_text(TEXTS.joinpath(name).read_text("utf-8"))


def test_a_trafficking_judgment_read_fact_by_fact_and_derived() -> None:
    person = (("household_registration", "non_local"), ("region", "east"))
    draft, case = read_and_confirm(TEXTS.joinpath("drug-trafficking-judgment.txt").read_text("utf-8"), person)
    assert (draft.document_kind, draft.charge) == ("judgment", "drug_trafficking")
    got = {f.factor: f for f in draft.facts}
    assert got["drug_methamphetamine_g"].value == 12.5 and got["drug_methamphetamine_g"].sources[0].rule == "drug.total"
    assert got["drug_ketamine_g"].value == 30  # not the 12.5 g before 、氯胺酮, nor the price of 300 yuan a gram
    assert got["acts"].value == 2 and got["drug_reoffender"].value is True
    assert "prior_record" not in got and any("毒品再犯" in n.zh for n in draft.notes)  # the prior is weighed once
    assert derive_sentence(case).base_months == 97


def test_a_possession_and_a_sheltering_judgment_read() -> None:
    draft = _read("drug-possession-judgment.txt")
    got = {f.factor: f.value for f in draft.facts}
    assert draft.charge == "drug_possession" and got["drug_methamphetamine_g"] == 28 and got["plea_agreement"] is True
    draft = _read("sheltering-judgment.txt")
    got = {f.factor: f.value for f in draft.facts}
    assert draft.charge == "sheltering_drug_use" and got["drug_users_at_once"] == got["drug_users_sheltered"] == 3


@pytest.mark.parametrize(
    ("text", "charge"),
    [
        ("本院认为，被告人李某的行为已构成贩卖、运输毒品罪。", "drug_trafficking"),
        ("本院认为，被告人李某的行为已构成运输毒品罪。", "drug_trafficking"),
        ("本院认为，被告人李某的行为已构成走私、贩卖、运输、制造毒品罪。", "drug_trafficking"),
        ("被告人李某在某宾馆内以400元的价格向王某出售冰毒1克。", "drug_trafficking"),
        ("公安民警在被告人李某身上查获海洛因12克，被告人李某非法持有毒品。", "drug_possession"),
        ("被告人李某在其家中容留王某、赵某、钱某吸食甲基苯丙胺。", "sheltering_drug_use"),
    ],
)
def test_the_charge_is_named_or_shown(text: str, charge: str) -> None:
    assert read_text(text).charge == charge


@pytest.mark.parametrize(
    ("sentence", "factor", "value"),
    [
        ("被告人李某向王某贩卖海洛因1.2克。", "drug_heroin_g", 1.2),
        ("被告人李某向王某贩卖0.8克冰毒。", "drug_methamphetamine_g", 0.8),
        ("被告人李某运输氯胺酮1.5千克。", "drug_ketamine_g", 1500),
        ("被告人李某以每克300元的价格向王某贩卖甲基苯丙胺2克。", "drug_methamphetamine_g", 2),
        ("被告人李某受雇运输甲基苯丙胺20克。", "drug_hired_carrier", True),
        ("被告人李某向未成年人王某出售海洛因0.5克。", "drug_minors", True),
        ("被告人李某向在校学生贩卖摇头丸5克。", "drug_to_students", True),
        ("被告人李某系毒品犯罪集团的首要分子，贩卖海洛因5克。", "drug_group_ringleader", True),
    ],
)
def test_drug_facts_are_read_from_their_words(sentence: str, factor: str, value: Any) -> None:
    draft = read_text("本院认为，被告人李某的行为已构成贩卖毒品罪。" + sentence)
    assert {f.factor: f.value for f in draft.facts}.get(factor) == value


def test_several_weights_without_a_total_are_added_for_the_parties_to_check() -> None:
    draft = read_text("本院认为，被告人李某的行为已构成贩卖毒品罪。2023年1月，李某向王某贩卖海洛因1克；"
                      "同年2月，李某向赵某贩卖海洛因2.5克。")  # fmt: skip
    (fact,) = [f for f in draft.facts if f.factor == "drug_heroin_g"]
    assert fact.value == 3.5 and fact.how == "summed" and fact.note is not None and len(fact.sources) == 2


def test_the_conversion_is_shown_where_a_court_reads_the_derivation() -> None:
    """The step notes (the starting point chosen in its range, the conversion to heroin, the units counted) are in the
    CLI's table and in the report's derivation table, in both languages."""
    from cli.views.sentencing import render_derivation
    from explain_tiers.render import derivation_steps

    derivation = derive_sentence(parse_case(bundled_document("drug-trafficking-mixed")))
    for language, words in (("zh-CN", "折算为海洛因"), ("en", "converted to heroin")):
        text = "\n".join(render_derivation(derivation, language))
        assert words in text and "15.5" in text
        rows, _ = derivation_steps(derivation, language)
        assert words in rows[0]["note"] and all("note" in row for row in rows)
