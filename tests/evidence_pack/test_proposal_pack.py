"""A hearing of a plea case with the procuratorate's proposal: the review asked in open court, the negotiation
(offers, the duty lawyer's opinion, the recording's digest) and the court's decision on the proposal join the chained
record, are sealed into the pack, verify, and replay digest for digest; the recordings are checked when supplied,
and a citation whose decision was changed, or a statement entered under another party's name, does not verify."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest

from evidence_pack import LocalTimestampAuthority, Match, TrustAnchors, replay_pack, verify_pack
from evidence_pack.verify import verify_folder
from hearing.store import make_engine, migrate
from tests.evidence_pack.conftest import PASSPHRASE, publish
from tests.hearing.store_fixtures import build_plea_court

VIDEO = b"\x00\x00\x00\x18ftypmp42 the signing, recorded" * 1000


@pytest.fixture(scope="module")
def sealed_plea(tmp_path_factory, small_model):
    work = tmp_path_factory.mktemp("plea")
    engine = make_engine(f"sqlite:///{work / 'court.sqlite'}")
    migrate(engine)
    court = build_plea_court(engine, small_model.folder)
    s, t, h = court.service, court.tokens, court.hearing_id
    s.state(
        t["prosecution"],
        h,
        "negotiation_offer",
        {"kind": "offer", "made_on": "2026-04-10", "terms": {"penalty": "fixed_term", "term_months": [12, 14]}},
    )
    s.state(t["duty"], h, "proposal_opinion", {"stance": "objects", "text": "审判阶段认罪，建议偏重"})
    s.state(t["prosecution"], h, "negotiation_recording",
            {"sha256": hashlib.sha256(VIDEO).hexdigest(), "media": "video", "recorded_on": "2026-04-15",
             "duration_seconds": 900, "file_name": "signing.mp4"})  # fmt: skip
    outcome, _ = s.query(t["defence"], h, "proposal_review", {"smallest_change": True, "max_changes": 1})
    assert outcome.result["proposal_inside_band"] is False and outcome.result["plea_stage"] == "trial"
    s.state(
        t["prosecution"],
        h,
        "negotiation_offer",
        {"kind": "adjusted_proposal", "made_on": "2026-05-06", "terms": {"penalty": "fixed_term", "term_months": 10}},
    )
    s.write_ruling(t["judge"], h, weighed_liability="盗窃数额 amount stolen",
                   weighed_prevention="坦白 confession, 认罪认罚 plea at trial", particulars="none",
                   adopted_months=10.0, departure_reasons="the guideline at the stage of the plea",
                   proposal_decision={"decision": "adjusted", "reasons": "原建议重于审判阶段认罪的幅度"})  # fmt: skip
    s.close_hearing(t["judge"], h)
    s.create_sealing_key(t["judge"], PASSPHRASE)
    s.certify_sealing_key(t["tech"], "judge")
    tsa = LocalTimestampAuthority.create(work / "tsa", "test court TSA")
    sealed = s.seal(t["judge"], h, PASSPHRASE, work / "packs", authority=tsa)
    anchors = TrustAnchors.from_published(publish(s, t["judge"], work / "published", tsa))
    recordings = work / "recordings"
    recordings.mkdir()
    (recordings / "signing.mp4").write_bytes(VIDEO)
    return sealed, anchors, s.docket(t["judge"]), recordings


def test_the_negotiation_and_the_decision_are_sealed_verified_and_replayed(sealed_plea) -> None:
    sealed, anchors, docket, _ = sealed_plea
    verdict = verify_pack(sealed.path, anchors, docket=docket)
    assert verdict.ok
    record = next(c for c in verdict.checks if c.name == "record")
    assert "decision on the proposal (adjusted) is entry 6" in record.detail
    pending = next(c for c in verdict.checks if c.name == "recordings")
    assert pending.ok is None and "entries 3" in pending.detail and "--recordings" in pending.detail
    ruling = json.loads((sealed.path / "bag/data/hearing/ruling.json").read_text(encoding="utf-8"))
    assert (
        ruling["proposal_decision"]["decision"] == "adjusted" and ruling["proposal_decision"]["adjusted"]["entry"] == 5
    )
    case_in_pack = json.loads(next(sealed.path.rglob("case.json")).read_text(encoding="utf-8"))
    assert case_in_pack["proposal"]["proposal_id"] == "QJ-2026-0417"  # the proposal travels with the case
    replayed = replay_pack(sealed.path, anchors, docket=docket)
    assert replayed.ok and replayed.count(Match.EXACT) == 7  # six entries and the report, every one identical
    assert [q.operation for q in replayed.queries] == [
        "negotiation_offer",
        "proposal_opinion",
        "negotiation_recording",
        "proposal_review",
        "negotiation_offer",
        "proposal_decision",
    ]


def test_the_recordings_are_verified_when_supplied(sealed_plea, tmp_path) -> None:
    sealed, anchors, docket, recordings = sealed_plea
    check = next(c for c in verify_pack(sealed.path, anchors, docket, recordings=recordings).checks
                 if c.name == "recordings")  # fmt: skip
    assert check.ok is True and check.detail == "1 of 1 recording(s) match their digests (entries 3)"
    changed = tmp_path / "changed"
    changed.mkdir()
    (changed / "signing.mp4").write_bytes(VIDEO[:-1] + b"!")
    verdict = verify_pack(sealed.path, anchors, docket, recordings=changed)
    assert not verdict.ok and "entry 3: signing.mp4 has sha256" in verdict.failed[0].detail
    empty = tmp_path / "empty"
    empty.mkdir()
    assert "no file supplied has sha256" in verify_pack(sealed.path, anchors, docket, recordings=empty).failed[0].detail


def _copy(pack: Path, work: Path) -> Path:
    copy = work / "pack"
    shutil.copytree(pack, copy)
    return copy


def test_a_forged_decision_does_not_verify_even_with_the_bag_rebuilt(sealed_plea, tmp_path) -> None:
    """Rewriting the citation's decision (and its manifests) breaks the signature; the record check, run on the
    contents alone, says the citation's decision is not the record's entry."""
    import bagit

    sealed, anchors, docket, _ = sealed_plea
    copy = _copy(sealed.path, tmp_path)
    ruling_file = copy / "bag/data/hearing/ruling.json"
    ruling = json.loads(ruling_file.read_text(encoding="utf-8"))
    ruling["proposal_decision"]["decision"] = "adopted"
    ruling_file.write_text(json.dumps(ruling, ensure_ascii=False), encoding="utf-8")
    bag = bagit.Bag(str(copy / "bag"))
    bag.save(manifests=True)
    verdict = verify_folder(copy, "forged", anchors, docket)
    failed = {c.name: c.detail for c in verdict.failed}
    assert "signature" in failed and "differs from entry 6 of the record" in failed.get("record", "")


def test_an_appellate_session_puts_queries_not_statements(sealed_plea, tmp_path) -> None:
    """On appeal nobody speaks for the prosecution: a statement of the negotiation is refused, a query is chained."""
    from evidence_pack import AppellateSession
    from sentencing.errors import InputError

    sealed, anchors, _, _ = sealed_plea
    with AppellateSession(sealed.path, anchors, tmp_path / "appeal.jsonl", "appeal (appellate_judge)") as session:
        with pytest.raises(InputError, match="an appellate session puts queries"):
            session.query("negotiation_offer", {"made_by": "prosecution", "kind": "offer", "made_on": "2026-06-01",
                                                "terms": {"penalty": "fixed_term", "term_months": 9}})  # fmt: skip
        _, seq = session.query("proposal_review", {})
    assert seq == 1
