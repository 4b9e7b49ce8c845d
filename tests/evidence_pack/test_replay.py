"""Replay: every recorded query again, exact digest first, then the stated tolerance; and appellate sessions."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from evidence_pack import AppellateSession, Match, full_registry, replay_pack, verify_entries
from evidence_pack.replay import compare_results
from sentencing.errors import InputFileError, UnverifiedPackError
from sentencing.operations import OperationOutcome
from tests.evidence_pack.conftest import QUERIES


def test_replay_reproduces_every_query_and_the_report_exactly(sealed_court) -> None:
    report = replay_pack(sealed_court.sealed.path, sealed_court.anchors, docket=sealed_court.docket)
    assert report.ok
    assert [q.operation for q in report.queries] == [q[1] for q in QUERIES]
    assert all(q.match is Match.EXACT for q in report.queries) and report.report.match is Match.EXACT
    assert report.largest_difference == 0.0 and report.operation_versions == () and report.environment == ()
    assert report.digest == sealed_court.sealed.digest


def _drifting_registry(shift: float):
    """The same operations, except that every number ``predict`` returns moves by ``shift`` (another machine's BLAS)."""
    registry = full_registry()
    original = registry.get("predict")

    def drifted(case, parameters, context):
        body = original.function(case, parameters, context)
        return {key: value + shift for key, value in body.items()}

    registry._operations["predict"] = replace(original, function=drifted)
    return registry


def test_fault_15_numeric_drift_within_tolerance_is_reported_as_such(sealed_court) -> None:
    report = replay_pack(sealed_court.sealed.path, sealed_court.anchors, registry=_drifting_registry(3e-10))
    predict = report.queries[0]
    assert predict.match is Match.WITHIN_TOLERANCE and 0 < predict.largest_difference < 1e-9
    assert report.ok and report.count(Match.WITHIN_TOLERANCE) == 1 and report.count(Match.EXACT) == len(QUERIES)


def test_fault_15_drift_beyond_tolerance_is_not_silently_accepted(sealed_court) -> None:
    report = replay_pack(sealed_court.sealed.path, sealed_court.anchors, registry=_drifting_registry(0.25))
    predict = report.queries[0]
    assert not report.ok and predict.match is Match.DIFFERS
    assert predict.largest_difference == pytest.approx(0.25) and "recommended_months" in predict.detail
    assert "> 1e-06" in predict.detail  # the size of the difference against the stated tolerance


def test_an_operation_that_no_longer_runs_is_reported_per_query(sealed_court) -> None:
    registry = full_registry()
    del registry._operations["sensitivity"]
    report = replay_pack(sealed_court.sealed.path, sealed_court.anchors, registry=registry)
    failed = [q for q in report.queries if q.match is Match.FAILED]
    assert [q.operation for q in failed] == ["sensitivity"] and "no such operation" in failed[0].detail
    assert any(line.startswith("sensitivity: sealed version") for line in report.operation_versions)
    assert not report.ok


def test_compare_results_walks_structure() -> None:
    tolerance = {"absolute": 1e-6, "relative": 1e-9}
    outcome = OperationOutcome("x", "1", "c", "d", {}, None, 0, {"a": [1.0, "z"], "b": True}, "other")
    assert compare_results({"a": [1.0, "z"], "b": True}, "other", outcome, tolerance)[0] is Match.EXACT
    near = replace(outcome, result={"a": [1.0 + 1e-8, "z"], "b": True})
    assert compare_results({"a": [1.0, "z"], "b": True}, "recorded", near, tolerance)[0] is Match.WITHIN_TOLERANCE
    text = replace(outcome, result={"a": [1.0, "y"], "b": True})
    match, _, detail = compare_results({"a": [1.0, "z"], "b": True}, "recorded", text, tolerance)
    assert match is Match.DIFFERS and detail.startswith("$.a[1]")
    flag = replace(outcome, result={"a": [1.0, "z"], "b": 1})
    assert compare_results({"a": [1.0, "z"], "b": True}, "recorded", flag, tolerance)[0] is Match.DIFFERS


def test_replay_refuses_a_pack_that_does_not_verify(sealed_court, tmp_path) -> None:
    pack = sealed_court.copy(tmp_path)
    (pack / "seal/extra.txt").write_text("x")
    with pytest.raises(UnverifiedPackError, match="profile"):
        replay_pack(pack, sealed_court.anchors)


def test_an_appellate_session_chains_its_record_to_the_pack(sealed_court, tmp_path) -> None:
    record = tmp_path / "appeal.jsonl"
    with AppellateSession(
        sealed_court.sealed.path, sealed_court.anchors, record, "appeal (appellate_judge)"
    ) as session:
        outcome, seq = session.query("whatif", {"changes": {"restitution": False}})
        assert seq == 1 and outcome.operation == "whatif"
        assert (
            outcome.model_sha256
            == json.loads((sealed_court.sealed.path / "bag/data/hearing/log.jsonl").read_text().splitlines()[0])[
                "model_sha256"
            ]
        )
        _, second = session.query("predict", {})
        assert second == 2
        entries = [json.loads(line) for line in record.read_text().splitlines()]
        assert entries[0]["prev_sha256"] == sealed_court.sealed.digest  # the appeal's record starts at the pack
        assert verify_entries(session.chain_id, entries, genesis=sealed_court.sealed.digest).ok
        # The appellate record is tamper-evident like the hearing's: an edited entry stops the next query.
        entries[0]["party"] = "someone else"
        record.write_text("".join(json.dumps(e) + "\n" for e in entries))
        with pytest.raises(InputFileError, match="appellate record is broken"):
            session.query("predict", {})


def test_an_appellate_session_needs_a_verified_pack(sealed_court, tmp_path) -> None:
    pack = sealed_court.copy(tmp_path)
    (pack / "bag/data/hearing/ruling.json").write_text("{}")
    with pytest.raises(UnverifiedPackError):
        AppellateSession(pack, sealed_court.anchors, tmp_path / "appeal.jsonl", "appeal")
    assert not (tmp_path / "appeal.jsonl").exists()
