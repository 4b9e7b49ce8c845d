"""The plea negotiation in the hearing (issue 17): offers and counter-offers, the duty lawyer's limited rights,
recordings' digests, the court's leave, and the court's decision on the proposal in the citation — on SQLite and
PostgreSQL, through the service a court uses.

The bundled plea case: ¥9,000 theft, plea at trial; the procuratorate's proposal 12–14 months. Worked by hand
from the jurisdiction table: the guideline gives 9 months with the plea at trial, the judge's ±20% band 7–11."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text

from hearing.store import downgrade, migrate
from sentencing.errors import AccessDeniedError, HearingStateError, InputError
from tests.hearing.store_fixtures import build_plea_court

RECORDING = "ab" * 32


@pytest.fixture
def plea(engine, small_model):
    return build_plea_court(engine, small_model.folder)


def _offer(kind: str, terms: dict | None = None, **extra) -> dict:
    return {"kind": kind, "made_on": "2026-03-20", **({"terms": terms} if terms else {}), **extra}


def _negotiate(plea) -> None:
    s, t, h = plea.service, plea.tokens, plea.hearing_id
    s.state(t["prosecution"], h, "negotiation_offer",
            _offer("offer", {"penalty": "fixed_term", "term_months": [12, 14], "fine_yuan": 5000}))  # fmt: skip
    s.state(t["duty"], h, "negotiation_offer",
            _offer("counter_offer", {"penalty": "fixed_term", "term_months": 9}, responds_to=1,
                   note="审判阶段认罪，指导意见为9个月"))  # fmt: skip
    s.state(t["duty"], h, "proposal_opinion", {"stance": "objects", "text": "建议刑期高于指导意见的幅度",
                                               "on_entry": 1})  # fmt: skip
    s.state(t["prosecution"], h, "negotiation_recording",
            {"sha256": RECORDING, "media": "video", "recorded_on": "2026-04-15", "duration_seconds": 1260,
             "file_name": "signing-2026-04-15.mp4"})  # fmt: skip


def test_the_negotiation_is_entered_in_the_record_with_who_made_each_statement(plea) -> None:
    _negotiate(plea)
    s, t, h = plea.service, plea.tokens, plea.hearing_id
    record = s.record(t["defence"], h)
    assert [(e.operation, e.party) for e in record] == [
        ("negotiation_offer", "prosecution (prosecution)"),
        ("negotiation_offer", "duty (duty_lawyer)"),
        ("proposal_opinion", "duty (duty_lawyer)"),
        ("negotiation_recording", "prosecution (prosecution)"),
    ]
    offer, counter = record[0].result, record[1].result
    # the offer lies outside the trial-stage band 7–11 (9 months ±20%, to whole months); the counter-offer inside
    assert offer["made_by"] == "prosecution" and offer["standing"]["judicial_band_months"] == [7.0, 11.0]
    assert offer["standing"]["guideline_months"] == 9 and offer["standing"]["inside_band"] is False
    assert "proposal_outside_guideline_band" in offer["standing"]["findings"]
    assert counter["made_by"] == "duty_lawyer" and counter["standing"]["inside_band"] is True
    assert counter["responds_to"] == 1 and counter["terms"] == {
        "penalty": "fixed_term",
        "probation": False,
        "term_months": 9.0,
    }
    assert record[3].result["sha256"] == RECORDING and record[3].parameters["made_by"] == "prosecution"
    assert s.verify(t["appeal"], h).ok


def test_a_party_enters_only_its_own_statements(plea) -> None:
    s, t, h = plea.service, plea.tokens, plea.hearing_id
    with pytest.raises(InputError, match=r"made_by.*not the caller's role defence"):
        s.state(t["defence"], h, "negotiation_offer", {**_offer("offer", {"penalty": "fixed_term", "term_months": 9}),
                                                         "made_by": "prosecution"})  # fmt: skip
    with pytest.raises(InputError, match=r"only prosecution may make this statement"):
        s.state(t["defence"], h, "negotiation_offer", _offer("offer", {"penalty": "fixed_term", "term_months": 9}))
    with pytest.raises(AccessDeniedError, match=r"enter proposal_opinion: only defence, duty_lawyer"):
        s.state(t["prosecution"], h, "proposal_opinion", {"stance": "agrees", "text": "同意"})
    with pytest.raises(InputError, match=r"entered with `state`"):
        s.query(t["prosecution"], h, "negotiation_offer", _offer("offer", {"penalty": "fixed_term", "term_months": 9}))
    with pytest.raises(InputError, match=r"decision on the proposal is given with the citation"):
        s.state(t["judge"], h, "proposal_decision", {"decision": "adopted"})
    with pytest.raises(InputError, match=r"responds_to 7.*no entry of this record offering terms"):
        s.state(t["defence"], h, "negotiation_offer", _offer("acceptance", responds_to=7))
    assert s.record(t["judge"], h) == []


def test_a_duty_lawyer_queries_in_open_court_only_with_the_courts_leave(plea) -> None:
    s, t, h = plea.service, plea.tokens, plea.hearing_id
    with pytest.raises(AccessDeniedError, match="only with the court's leave"):
        s.query(t["duty"], h, "proposal_review", {})
    outcome, seq = s.query(t["duty"], h, "proposal_review", {}, open_court=False)  # private preparation: allowed
    assert seq is None and outcome.result["proposal_inside_band"] is False
    with pytest.raises(AccessDeniedError, match="enter court_leave"):
        s.state(t["duty"], h, "court_leave", {"username": "duty"})
    with pytest.raises(InputError, match="leave is given to a duty lawyer who is a party"):
        s.state(t["judge"], h, "court_leave", {"username": "defence"})
    s.state(t["judge"], h, "court_leave", {"username": "duty", "reasons": "值班律师申请当庭发问"})
    _, seq = s.query(t["duty"], h, "proposal_review", {"smallest_change": True, "max_changes": 1})
    assert seq == 2 and [e.operation for e in s.record(t["judge"], h)] == ["court_leave", "proposal_review"]


def _ruling(plea, months: float, decision: dict | None, reasons: str = "依指导意见和量刑建议确定，不以模型为准") -> int:
    return plea.service.write_ruling(plea.tokens["judge"], plea.hearing_id, weighed_liability="盗窃数额较大",
                                     weighed_prevention="审判阶段认罪认罚", particulars="", adopted_months=months,
                                     departure_reasons=reasons, proposal_decision=decision)  # fmt: skip


def test_the_citation_must_decide_on_the_proposal_by_the_rules_of_art_201(plea) -> None:
    s, t, h = plea.service, plea.tokens, plea.hearing_id
    with pytest.raises(InputError, match=r"proposal_decision.*say whether the court adopts it"):
        _ruling(plea, 9, None)
    with pytest.raises(InputError, match=r"must lie within its 12–14 months"):
        _ruling(plea, 11, {"decision": "adopted"})
    with pytest.raises(InputError, match=r"'reasons' is required: the proposal the court adopts lies outside"):
        _ruling(plea, 12, {"decision": "adopted"})
    with pytest.raises(InputError, match=r"'ground' must be one of not_a_crime"):
        _ruling(plea, 9, {"decision": "rejected", "reasons": "明显不当"})
    with pytest.raises(InputError, match=r"adjusted proposal is in the record"):
        _ruling(plea, 10, {"decision": "adjusted", "reasons": "明显不当"})
    with pytest.raises(InputError, match=r"a term within the proposal's 12–14 months adopts it"):
        _ruling(plea, 13, {"decision": "rejected", "ground": "clearly_improper", "reasons": "明显不当"})
    with pytest.raises(InputError, match=r"proposal_decision.verdict.*no such field"):
        _ruling(plea, 9, {"verdict": "adopted"})
    assert s.hearing_state(t["judge"], h) == "open" and s.record(t["judge"], h) == []


def test_the_court_asks_for_an_adjustment_and_adopts_the_adjusted_proposal(plea) -> None:
    _negotiate(plea)
    s, t, h = plea.service, plea.tokens, plea.hearing_id
    s.query(t["defence"], h, "proposal_review", {})
    s.state(t["prosecution"], h, "negotiation_offer",
            {"kind": "adjusted_proposal", "made_on": "2026-05-06",
             "terms": {"penalty": "fixed_term", "term_months": [10, 11], "fine_yuan": 5000},
             "note": "经法院建议调整"})  # fmt: skip
    _ruling(plea, 10, {"decision": "adjusted", "reasons": "原建议重于审判阶段认罪的指导意见幅度，明显不当"})
    ruling = s.ruling(t["appeal"], h)
    assert ruling is not None and ruling.proposal_decision is not None
    decision = ruling.proposal_decision
    assert decision["seq"] == 7 and decision["decision"] == "adjusted" and decision["adjusted"]["entry"] == 6
    assert decision["ground"]["id"] == "clearly_improper" and decision["adjusted"]["standing"]["inside_band"]
    assert decision["proposal"]["standing"]["inside_band"] is False
    record = s.record(t["appeal"], h)
    assert record[-1].operation == "proposal_decision" and record[-1].entry_sha256 == ruling.record_head_sha256
    assert record[-1].party == "judge (judge)" and s.verify(t["appeal"], h).ok
    with pytest.raises(HearingStateError):
        s.state(t["prosecution"], h, "negotiation_offer", _offer("offer", {"penalty": "fixed_term", "term_months": 9}))


def test_a_rejected_proposal_names_its_ground_and_a_case_without_one_takes_no_decision(plea, small_model) -> None:
    s, t, h = plea.service, plea.tokens, plea.hearing_id
    _ruling(plea, 9, {"decision": "rejected", "ground": "clearly_improper", "reasons": "检察院不调整，明显不当"})
    decision = s.ruling(t["judge"], h).proposal_decision
    assert decision["ground"]["source"].endswith("¶2") and decision["reasons"].startswith("检察院不调整")


def test_a_case_without_a_proposal_takes_no_decision(court) -> None:
    with pytest.raises(InputError, match="the case holds no sentencing proposal"):
        court.service.write_ruling(court.tokens["judge"], court.hearing_id, weighed_liability="a",
                                   weighed_prevention="b", particulars="", adopted_months=7,
                                   departure_reasons="whatever the model suggests",
                                   proposal_decision={"decision": "adopted"})  # fmt: skip
    with pytest.raises(InputError, match="the case holds no sentencing proposal"):
        court.service.state(court.tokens["prosecution"], court.hearing_id, "negotiation_offer",
                            _offer("offer", {"penalty": "fixed_term", "term_months": 9}))  # fmt: skip


def test_migration_0005_keeps_decisions_and_refuses_to_lose_them(plea, engine) -> None:
    from hearing.security import store_field_key
    from hearing.settings import settings_from_environment

    _ruling(plea, 9, {"decision": "rejected", "ground": "clearly_improper", "reasons": "明显不当"})
    key = store_field_key(settings_from_environment().store_key_path)
    with pytest.raises(RuntimeError, match="1 decision"):
        downgrade(engine, "0004", field_key=key)
    with engine.connect() as connection:
        stored = connection.execute(text("SELECT proposal_decision FROM rulings")).scalar_one()
    assert json.loads(stored)["decision"] == "rejected"
    migrate(engine, field_key=key)


def test_a_citation_is_amended_before_closing_but_a_decided_sentence_stays(plea) -> None:
    s, t, h = plea.service, plea.tokens, plea.hearing_id
    _ruling(plea, 13, {"decision": "adopted", "reasons": "认罪认罚，建议不属明显不当"})
    words = {"weighed_liability": "盗窃数额较大", "weighed_prevention": "审判阶段认罪认罚，退赃",
             "particulars": "", "departure_reasons": "依量刑建议确定"}  # fmt: skip
    with pytest.raises(InputError, match="holds 13 months; the sentence stays as decided"):
        s.amend_ruling(t["judge"], h, adopted_months=12, **words)
    s.amend_ruling(t["judge"], h, adopted_months=13, **words)
    assert s.ruling(t["judge"], h).weighed_prevention == "审判阶段认罪认罚，退赃"
    with pytest.raises(AccessDeniedError):  # not the judge's role
        s.amend_ruling(t["prosecution"], h, adopted_months=13, **words)
    s.close_hearing(t["judge"], h)
    with pytest.raises(HearingStateError, match="before the hearing is closed"):
        s.amend_ruling(t["judge"], h, adopted_months=13, **words)
