"""Robbery (抢劫罪, Criminal Law art. 263), the first crime added to the four as data (issue 20): its facts in the
catalogue, its tiers in the table (one of eight aggravated forms suffices: ``when_any``), its 数额巨大 following the
province's theft threshold, answerable from 14 (art. 17 ¶2), an amount that may be nought."""

from __future__ import annotations

import copy
import json
from importlib import resources
from typing import Any

import pytest

from sentencing.case import parse_case
from sentencing.catalogue import load_catalogue, parse_catalogue
from sentencing.errors import CaseValidationError, ConfigurationError, Rule
from sentencing.guideline import derive_sentence
from sentencing.jurisdiction import load_jurisdiction, parse_jurisdiction
from tests.hearing.store_fixtures import bundled_document

AGGRAVATED = [
    ("robbery_in_home", True),
    ("robbery_on_public_transport", True),
    ("robbery_of_financial_institution", True),
    ("acts", 3),
    ("amount_yuan", 50_000),
    ("serious_injuries", 1),
    ("deaths", 1),
    ("robbery_impersonating_police", True),
    ("robbery_with_firearm", True),
    ("robbery_of_special_supplies", True),
]


def robbery(**facts: Any) -> dict[str, Any]:
    document = copy.deepcopy(bundled_document("robbery-street-minor-injury"))
    document["facts"].update(facts)
    return document


def shipped_table() -> dict[str, Any]:
    text = resources.files("sentencing").joinpath("data/jurisdictions/default.json").read_text(encoding="utf-8")
    return dict(json.loads(text))


def test_the_bundled_street_robbery_is_derived_from_its_sources() -> None:
    derivation = derive_sentence(parse_case(robbery()))
    assert derivation.tier == "basic" and (derivation.statutory_band.low, derivation.statutory_band.high) == (36, 120)
    steps = {s.key: s for s in derivation.steps}
    assert steps["starting_point"].months_after == 36
    assert steps["increment.amount"].months_delta == 2  # ¥4,600: two full ¥2,000
    assert steps["increment.minor_injuries"].months_delta == 6
    assert derivation.base_months == 44
    assert derivation.recommended_months == 36  # mitigation stops at the minimum: no ground to go below it
    assert "unconfirmed" in steps["starting_point"].source
    fine = derivation.outcome.fine
    assert fine is not None and fine.low_yuan >= 1000 and "法释〔2000〕45号" in fine.source  # 罚金不少于一千元


@pytest.mark.parametrize(("fact", "value"), AGGRAVATED)
def test_any_one_aggravated_form_puts_robbery_in_the_ten_year_band(fact: str, value: Any) -> None:
    document = robbery(**{fact: value}) if fact not in ("serious_injuries",) else robbery(serious_injuries=1)
    derivation = derive_sentence(parse_case(document))
    assert derivation.tier == "aggravated", fact
    assert derivation.statutory_band.low == 120 and derivation.starting_point_months == 120


def test_below_every_aggravated_form_robbery_stays_in_the_basic_band() -> None:
    for facts in ({"acts": 2}, {"amount_yuan": 49_990}, {"minor_injuries": 2, "slight_injuries": 3}):
        assert derive_sentence(parse_case(robbery(**facts))).tier == "basic", facts


def test_two_robberies_add_two_years_and_a_third_changes_the_band() -> None:
    one, two, three = (derive_sentence(parse_case(robbery(acts=n))) for n in (1, 2, 3))
    assert two.base_months - one.base_months == 24
    assert (two.tier, three.tier) == ("basic", "aggravated")


def test_huge_follows_the_provinces_theft_threshold() -> None:
    for jurisdiction in ("default", "default:guangdong-1", "default:zhejiang", "default:sichuan"):
        table = load_jurisdiction(jurisdiction)
        huge = table.charge_table("theft").threshold("huge")
        assert table.charge_table("robbery").threshold("huge") == huge, jurisdiction
        below = parse_case({**robbery(amount_yuan=huge - 10), "jurisdiction": jurisdiction}, jurisdiction=table)
        at = parse_case({**robbery(amount_yuan=huge), "jurisdiction": jurisdiction}, jurisdiction=table)
        assert derive_sentence(below, table).tier == "basic" and derive_sentence(at, table).tier == "aggravated"
    assert load_jurisdiction("default:guangdong-1").charge_table("robbery").threshold("huge") == 100_000


def test_a_table_whose_robbery_threshold_leaves_theft_is_refused_naming_both() -> None:
    document = shipped_table()
    document["charges"]["robbery"]["thresholds_yuan"]["huge"] = 60_000
    with pytest.raises(ConfigurationError, match=r"robbery\.thresholds_follow: thresholds_yuan\.huge ¥60,000 must "
                       r"equal theft's ¥50,000"):  # fmt: skip
        parse_jurisdiction(document, "a court table")
    document["charges"]["robbery"]["thresholds_follow"] = "larceny"
    with pytest.raises(ConfigurationError, match="names 'larceny', which this table lacks"):
        parse_jurisdiction(document, "a court table")


def test_an_empty_when_any_is_refused_naming_the_tier() -> None:
    document = shipped_table()
    document["charges"]["robbery"]["tiers"][1]["when_any"] = []
    with pytest.raises(ConfigurationError, match=r"tier aggravated\.when_any: .*one suffices"):
        parse_jurisdiction(document, "a court table")


def test_a_defendant_of_fourteen_answers_for_robbery_but_not_for_theft() -> None:
    young = {"age_at_offence": 15}
    case = parse_case({**robbery(), "defendant": {**robbery()["defendant"], **young}})
    derivation = derive_sentence(case)
    assert "circumstance.minor_12_16" in {s.key for s in derivation.steps}  # answerable, and mitigated as a minor
    assert derivation.recommended_months < 36  # 刑法第17条第4款: 应当从轻或者减轻 — below the minimum
    theft = copy.deepcopy(bundled_document("theft-non-local-unemployed"))
    theft["defendant"].update(young)
    with pytest.raises(CaseValidationError) as refused:
        parse_case(theft)
    assert refused.value.violations[0].rule is Rule.NO_RESPONSIBILITY_FOR_CHARGE
    under = robbery()
    under["defendant"]["age_at_offence"] = 13
    with pytest.raises(CaseValidationError, match="under 14"):
        parse_case(under)


def test_robbery_needs_no_amount_but_theft_does() -> None:
    document = robbery()
    del document["facts"]["amount_yuan"]
    assert parse_case(document).number("amount_yuan") == 0  # nothing obtained is still robbery
    theft = copy.deepcopy(bundled_document("theft-non-local-unemployed"))
    del theft["facts"]["amount_yuan"]
    with pytest.raises(CaseValidationError) as refused:
        parse_case(theft)
    assert any(v.field == "amount_yuan" and v.rule is Rule.MISSING_REQUIRED for v in refused.value.violations)


def test_a_catalogue_requiring_a_fact_for_a_charge_it_does_not_apply_to_is_refused() -> None:
    text = resources.files("sentencing").joinpath("data/factors.json").read_text(encoding="utf-8")
    document = json.loads(text)
    amount = next(f for f in document["factors"] if f["id"] == "amount_yuan")
    amount["required"] = ["theft", "dangerous_driving"]
    with pytest.raises(ConfigurationError, match=r"'required' lists charges the factor does not apply to"):
        parse_catalogue(document, "court-catalogue.json")
    amount["required"] = "yes"
    with pytest.raises(ConfigurationError, match=r"'required' must be true, false or a list"):
        parse_catalogue(document, "court-catalogue.json")


def test_every_robbery_fact_is_in_both_languages_with_its_article() -> None:
    catalogue = load_catalogue()
    facts = [f for f in catalogue.factors_for("robbery") if f.id.startswith("robbery_")]
    assert len(facts) == 6
    for spec in facts:
        assert spec.label.zh and spec.label.en[0].isascii() and "刑法第263条" in spec.legal_basis
    assert catalogue.charge("robbery").answerable_from_14
