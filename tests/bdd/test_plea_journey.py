"""Steps for features/plea_negotiation_and_the_proposal.feature: a real store, a real seal, the appellate tools."""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from evidence_pack import LocalTimestampAuthority, Match, TrustAnchors, replay_pack, verify_pack
from hearing.store import make_engine, migrate
from sentencing.errors import AccessDeniedError
from tests.evidence_pack.conftest import PASSPHRASE, publish
from tests.hearing.store_fixtures import build_plea_court

scenarios("plea_negotiation_and_the_proposal.feature")

IMPROPER = "原建议重于审判阶段认罪的指导意见幅度，明显不当"
RECORDING = b"the audio and video of the signing of the plea statement" * 500


@pytest.fixture
def plea() -> dict[str, Any]:
    return {}


@given(parsers.parse('a plea hearing of the bundled case "{name}" with defence, prosecution, a duty lawyer, the judge '
                     "and the appellate judge"))  # fmt: skip
def plea_hearing(plea: dict[str, Any], tmp_path, small_model, name: str) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'court.sqlite'}")
    migrate(engine)
    court = build_plea_court(engine, small_model.folder)
    assert court.case_id == name
    plea.update(court=court, work=tmp_path)


def _call(plea: dict[str, Any], who: str, operation: str, parameters: dict[str, Any]) -> Any:
    court = plea["court"]
    return court.service.state(court.tokens[who], court.hearing_id, operation, parameters)


@when(
    parsers.parse("the prosecution enters the proposal its sentencing assistant produced, {low:d} to {high:d} months")
)
def prosecution_offers(plea: dict[str, Any], low: int, high: int) -> None:
    tool = {
        "name": "示例检察院量刑辅助系统",
        "model_sha256": "3f1c9a0d2e4b5c6a7d8e9f00112233445566778899aabbccddeeff0011223344",
    }
    outcome, _ = _call(plea, "prosecution", "negotiation_offer",
                       {"kind": "offer", "made_on": "2026-04-15", "tool": tool,
                        "terms": {"penalty": "fixed_term", "term_months": [low, high], "fine_yuan": 5000}})  # fmt: skip
    assert outcome.result["tool"] == tool and outcome.result["made_by"] == "prosecution"


@when("the duty lawyer records an opinion objecting to the proposal")
def duty_lawyer_objects(plea: dict[str, Any]) -> None:
    outcome, _ = _call(
        plea,
        "duty",
        "proposal_opinion",
        {"stance": "objects", "text": "被告人在审判阶段认罪，建议刑期重于指导意见", "on_entry": 1},
    )
    assert outcome.result["made_by"] == "duty_lawyer"


@when("the prosecution enters the digest of the recording of the signing")
def recording(plea: dict[str, Any]) -> None:
    _call(plea, "prosecution", "negotiation_recording",
          {"sha256": hashlib.sha256(RECORDING).hexdigest(), "media": "video", "recorded_on": "2026-04-15",
           "duration_seconds": 840, "file_name": "signing.mp4"})  # fmt: skip


@when("the defence asks in open court for the review of the proposal")
def defence_reviews(plea: dict[str, Any]) -> None:
    court = plea["court"]
    plea["review"], _ = court.service.query(court.tokens["defence"], court.hearing_id, "proposal_review", {})


@then(parsers.parse("the review shows the proposal outside the guideline band of {low:d} to {high:d} months for a "
                    "plea at trial"))  # fmt: skip
def outside_band(plea: dict[str, Any], low: int, high: int) -> None:
    result = plea["review"].result
    assert result["plea_stage"] == "trial" and result["proposal_inside_band"] is False
    assert result["guideline"]["judicial_band_months"] == [low, high]
    finding = next(f for f in result["findings"] if f["kind"] == "proposal_outside_guideline_band")
    assert "201" in finding["legal_basis"]


@when(parsers.parse("the judge asks for an adjustment and the prosecution enters an adjusted proposal of {months:d} "
                    "months"))  # fmt: skip
def adjusted(plea: dict[str, Any], months: int) -> None:
    outcome, _ = _call(plea, "prosecution", "negotiation_offer",
                       {"kind": "adjusted_proposal", "made_on": "2026-05-06", "note": "经法院建议调整（第201条第2款）",
                        "terms": {"penalty": "fixed_term", "term_months": months, "fine_yuan": 5000}})  # fmt: skip
    assert outcome.result["standing"]["inside_band"] is True


@when(parsers.parse("the judge writes the citation adopting the adjusted proposal at {months:d} months with the "
                    "reasons"))  # fmt: skip
def citation(plea: dict[str, Any], months: int) -> None:
    court = plea["court"]
    court.service.write_ruling(court.tokens["judge"], court.hearing_id, weighed_liability="盗窃数额较大 amount stolen",
                               weighed_prevention="坦白、审判阶段认罪认罚 confession, plea at trial", particulars="",
                               adopted_months=float(months), departure_reasons="依指导意见与调整后的量刑建议",
                               proposal_decision={"decision": "adjusted", "reasons": IMPROPER})  # fmt: skip


@when("the judge closes and seals the hearing")
def seal(plea: dict[str, Any]) -> None:
    court, work = plea["court"], plea["work"]
    s, t = court.service, court.tokens
    s.close_hearing(t["judge"], court.hearing_id)
    s.create_sealing_key(t["judge"], PASSPHRASE)
    s.certify_sealing_key(t["tech"], "judge")
    tsa = LocalTimestampAuthority.create(work / "tsa", "court TSA")
    plea["sealed"] = s.seal(t["judge"], court.hearing_id, PASSPHRASE, work / "packs", authority=tsa)
    plea["anchors"] = TrustAnchors.from_published(publish(s, t["appeal"], work / "published", tsa))
    plea["docket"] = s.docket(t["appeal"])


@then("the appellate court verifies the pack, the recording included")
def verifies(plea: dict[str, Any]) -> None:
    recordings = plea["work"] / "recordings"
    recordings.mkdir()
    (recordings / "signing.mp4").write_bytes(RECORDING)
    verdict = verify_pack(plea["sealed"].path, plea["anchors"], plea["docket"], recordings=recordings)
    assert verdict.ok and all(check.ok for check in verdict.checks)
    assert [c.name for c in verdict.checks][-2:] == ["recordings", "docket"]


@then("the citation in the pack records the adjustment under art. 201 ¶2 with the reasons")
def decision_in_pack(plea: dict[str, Any]) -> None:
    import json

    ruling = json.loads((plea["sealed"].path / "bag/data/hearing/ruling.json").read_text(encoding="utf-8"))
    decision = ruling["proposal_decision"]
    assert decision["decision"] == "adjusted" and decision["ground"]["source"].endswith("¶2")
    assert decision["reasons"].endswith("明显不当") and decision["adjusted"]["terms"]["term_months"] == 10.0
    assert decision["proposal"]["standing"]["inside_band"] is False and ruling["adopted_months"] == 10.0


@then(parsers.parse("replaying the pack reproduces all {count:d} entries exactly"))
def replays(plea: dict[str, Any], count: int) -> None:
    report = replay_pack(plea["sealed"].path, plea["anchors"], docket=plea["docket"])
    assert report.ok and len(report.queries) == count and report.count(Match.EXACT) == count + 1


@when("the duty lawyer asks in open court for the review of the proposal")
def duty_lawyer_asks(plea: dict[str, Any]) -> None:
    court = plea["court"]
    try:
        court.service.query(court.tokens["duty"], court.hearing_id, "proposal_review", {})
    except AccessDeniedError as error:
        plea["refused"] = error


@then("the duty lawyer is refused for want of the court's leave")
def refused(plea: dict[str, Any]) -> None:
    assert "only with the court's leave" in str(plea.pop("refused"))


@when("the judge gives the duty lawyer leave")
def leave(plea: dict[str, Any]) -> None:
    _call(plea, "judge", "court_leave", {"username": "duty", "reasons": "值班律师申请就量刑建议当庭发问"})


@then("the record holds the court's leave and the duty lawyer's query")
def record_holds(plea: dict[str, Any]) -> None:
    court = plea["court"]
    assert "refused" not in plea
    record = court.service.record(court.tokens["appeal"], court.hearing_id)
    assert [(e.operation, e.party) for e in record] == [("court_leave", "judge (judge)"),
                                                         ("proposal_review", "duty (duty_lawyer)")]  # fmt: skip
