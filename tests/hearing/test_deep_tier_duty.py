"""The tiered duty to explain (issue 19, item 2), through the service a court uses, on SQLite and PostgreSQL: the
court's rule says when the deep tier is owed and who may demand it; a demand is entered in the record and the deep
report provided as the next entry; under an automatic rule the citation waits for the deep report; the sealed
ruling states the duty and the entry that discharged it."""

from __future__ import annotations

import json

import pytest

from explain_tiers.duty import parse_deep_tier_rule
from hearing.service import HearingService
from hearing.settings import settings_from_environment
from sentencing.errors import AccessDeniedError, ConfigurationError, InputError, OperationInputError
from tests.hearing.store_fixtures import build_court, dispose_of_findings

WEIGHED = {"weighed_liability": "数额", "weighed_prevention": "坦白", "particulars": "", "departure_reasons": "综合"}
DISPUTE = {"factor": "acts", "versions": [1, 3]}


def _court_with_rule(engine, small_model, tmp_path, monkeypatch, rule: dict | None):
    if rule is not None:
        path = tmp_path / "deep-tier-rule.json"
        path.write_text(json.dumps(rule), encoding="utf-8")
        monkeypatch.setenv("VOIRDIRE_DEEP_TIER_RULE", str(path))
    return build_court(engine, small_model.folder)


def test_by_default_a_ground_lets_the_defence_demand_the_deep_tier_and_the_record_shows_it(
    engine, small_model, tmp_path, monkeypatch
) -> None:
    court = _court_with_rule(engine, small_model, tmp_path, monkeypatch, None)
    s, t, h = court.service, court.tokens, court.hearing_id
    s.query(t["defence"], h, "disputed_fact", DISPUTE)
    duty = s.deep_tier(t["judge"], h)
    assert "disputed" in {g.ground for g in duty.grounds} and not duty.owed  # owed on demand, not yet demanded
    assert [g.entry for g in duty.grounds if g.ground == "disputed"] == [1]
    with pytest.raises(AccessDeniedError, match=r"demand the deep tier.*defence, duty_lawyer, judge"):
        s.demand_deep_tier(t["prosecution"], h, "x")
    demand, report = s.demand_deep_tier(t["defence"], h, "事实存在争议")
    record = s.record(t["appeal"], h)
    assert (record[demand - 1].operation, record[demand - 1].party) == ("deep_tier_demand", "defence (defence)")
    assert "disputed" in record[demand - 1].result["grounds"] and record[demand - 1].result["reasons"] == "事实存在争议"
    assert (record[report - 1].operation, record[report - 1].parameters["tier"]) == ("report", "deep")
    duty = s.deep_tier(t["judge"], h)
    assert (duty.demanded, duty.owed, duty.provided) == (demand, True, report)
    dispose_of_findings(s, t["judge"], h)
    s.write_ruling(t["judge"], h, **WEIGHED, adopted_months=6.0)
    assert s.verify(t["appeal"], h).ok
    # the citation (sealed in ruling.json with the duty itself) says the deep tier was owed, demanded and provided
    assert f"（第 {demand} 条记录提出要求），已于第 {report} 条记录提供" in (
        s.citation_text(t["judge"], h, "zh-CN") or ""
    )
    assert f"demanded at entry {demand}); it was provided at entry {report}" in (s.citation_text(t["judge"], h, "en")
                                                                                or "")  # fmt: skip


def test_no_ground_no_demand(engine, small_model, tmp_path, monkeypatch) -> None:
    court = _court_with_rule(engine, small_model, tmp_path, monkeypatch, {"grounds": ["disputed"]})
    s, t, h = court.service, court.tokens, court.hearing_id
    assert s.deep_tier(t["defence"], h).grounds == ()
    with pytest.raises(InputError, match=r"no ground of the court's rule holds"):
        s.demand_deep_tier(t["defence"], h, "")
    assert s.record(t["defence"], h) == []


def test_under_an_automatic_rule_the_citation_waits_for_the_deep_report(engine, small_model, tmp_path, monkeypatch):
    rule = {"grounds": ["disputed"], "demanders": ["defence", "prosecution"], "automatic": True}
    court = _court_with_rule(engine, small_model, tmp_path, monkeypatch, rule)
    s, t, h = court.service, court.tokens, court.hearing_id
    s.query(t["prosecution"], h, "disputed_fact", DISPUTE)
    assert s.deep_tier(t["judge"], h).owed and s.deep_tier(t["judge"], h).provided is None
    with pytest.raises(InputError, match=r"^deep report: the deep tier of explanation is owed \(entry 1: a party"):
        s.write_ruling(t["judge"], h, **WEIGHED, adopted_months=6.0)
    s.query(t["judge"], h, "report", {"tier": "deep"})
    assert s.deep_tier(t["judge"], h).provided == 2
    dispose_of_findings(s, t["judge"], h)
    s.write_ruling(t["judge"], h, **WEIGHED, adopted_months=6.0)
    assert "it was provided at entry 2" in (s.citation_text(t["judge"], h, "en") or "")


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({"grounds": ["mood"]}, r"grounds: a list drawn from disputed, outside_data, serious_finding"),
        ({"demanders": ["clerk"]}, r"demanders: a list drawn from defence, duty_lawyer, judge, prosecution"),
        ({"automatic": "yes"}, r"automatic: true or false"),
        ({"when": 1}, r"when: no such field"),
    ],
)
def test_a_bad_rule_is_refused_when_the_court_starts(tmp_path, engine, rule, message) -> None:
    with pytest.raises(InputError, match=message):
        parse_deep_tier_rule(rule)
    path = tmp_path / "rule.json"
    path.write_text(json.dumps(rule), encoding="utf-8")
    settings = settings_from_environment({"VOIRDIRE_DEEP_TIER_RULE": str(path), "VOIRDIRE_HOME": str(tmp_path)})
    with pytest.raises(ConfigurationError, match=r"VOIRDIRE_DEEP_TIER_RULE"):
        HearingService(engine, settings)


@pytest.mark.parametrize(
    ("reasons", "message"),
    [
        ("事实\x00争议", r"'reasons' holds control characters"),
        ("事实\u202e争议", r"'reasons' holds control characters"),  # a right-to-left override hides what was written
        ("争" * 5000, r"'reasons' 5000 characters, at most"),
    ],
)
def test_a_hostile_demand_is_refused_in_one_line_and_enters_nothing(court, reasons, message) -> None:
    s, t, h = court.service, court.tokens, court.hearing_id
    s.query(t["defence"], h, "disputed_fact", DISPUTE)
    with pytest.raises(OperationInputError, match=message) as refused:
        s.demand_deep_tier(t["defence"], h, reasons)
    assert "\n" not in str(refused.value) and len(str(refused.value)) < 300
    assert [e.operation for e in s.record(t["appeal"], h)] == ["disputed_fact"]  # neither demand nor report entered


def test_a_ground_names_the_irrelevant_factors_in_the_readers_language() -> None:
    """A Chinese reader is told 职业 (occupation), never the factor's id; a stored report's unknown id is one bounded
    line."""
    from explain_tiers.duty import DEFAULT_DEEP_TIER_RULE, deep_tier_duty

    standard = {"irrelevant_factors": [{"factor": "occupation"}, {"factor": "household_registration"},
                                       {"factor": "x\n" * 200}],
                "examination": {"inside_sentence_limits": True, "inside_judicial_band": True}}  # fmt: skip
    (ground,) = deep_tier_duty(DEFAULT_DEEP_TIER_RULE, [], standard, False, frozenset({"report"}), frozenset()).grounds
    assert "（职业、户籍、x" in ground.evidence.zh and "occupation" not in ground.evidence.zh
    assert "(occupation, household registration (hukou), x" in ground.evidence.en
    assert "\n" not in ground.evidence.zh and len(ground.evidence.zh) < 160
