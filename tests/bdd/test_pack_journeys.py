"""Steps for features/sealed_evidence_pack.feature: a real hearing, a real seal, the appellate court's tools."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import bagit
import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from evidence_pack import (
    AppellateSession,
    LocalTimestampAuthority,
    Match,
    TrustAnchors,
    replay_pack,
    verify_pack,
)
from evidence_pack.profile import PAYLOAD_FILES
from hearing.store import make_engine, migrate
from sentencing.errors import UnverifiedPackError
from tests.evidence_pack.conftest import publish, run_published_script
from tests.hearing.store_fixtures import build_court

scenarios("sealed_evidence_pack.feature")

PASSPHRASE = "a judge's long passphrase"


@pytest.fixture
def journey() -> dict[str, Any]:
    return {}


@given(parsers.parse('a closed hearing of the bundled case "{name}" in which the defence asked {count:d} questions'))
def closed_hearing(journey: dict[str, Any], tmp_path, small_model, name: str, count: int) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'court.sqlite'}")
    migrate(engine)
    court = build_court(engine, small_model.folder)
    assert court.case_id == name
    questions = [("whatif", {"changes": {"restitution": False}}), ("counterfactual", {"target": {"high": 6.0}}),
                 ("sensitivity", {}), ("predict", {})][:count]  # fmt: skip
    for operation, parameters in questions:
        court.service.query(court.tokens["defence"], court.hearing_id, operation, parameters)
    court.service.write_ruling(court.tokens["judge"], court.hearing_id, weighed_liability="盗窃数额 amount",
                               weighed_prevention="自首 surrender", particulars="", adopted_months=5.0,
                               departure_reasons="")  # fmt: skip
    court.service.close_hearing(court.tokens["judge"], court.hearing_id)
    journey.update(court=court, work=tmp_path, count=count)


@given("the judge has a sealing key the court has approved, and the court runs a timestamp authority")
def key_and_tsa(journey: dict[str, Any]) -> None:
    court = journey["court"]
    court.service.create_sealing_key(court.tokens["judge"], PASSPHRASE)
    court.service.certify_sealing_key(court.tokens["tech"], "judge")
    journey["tsa"] = LocalTimestampAuthority.create(journey["work"] / "tsa", "court TSA")


@given("the judge has sealed the hearing and the court has published its keys and docket")
@when("the judge seals the hearing")
def seal(journey: dict[str, Any]) -> None:
    court = journey["court"]
    journey["sealed"] = court.service.seal(court.tokens["judge"], court.hearing_id, PASSPHRASE,
                                           journey["work"] / "packs", authority=journey["tsa"])  # fmt: skip
    published = publish(court.service, court.tokens["appeal"], journey["work"] / "published", journey["tsa"])
    journey["anchors"] = TrustAnchors.from_published(published)
    journey["docket"] = court.service.docket(court.tokens["appeal"])
    journey["published"] = published


@then(parsers.parse("the pack holds the case, the model, the reports, the record of {count:d} entries, "
                    "the citation and VERIFY.txt"))  # fmt: skip
def pack_contents(journey: dict[str, Any], count: int) -> None:
    pack = journey["sealed"].path
    assert all((pack / "bag" / name).is_file() for name in PAYLOAD_FILES)
    assert (pack / "bag/data/model/model.joblib").is_file() and (pack / "VERIFY.txt").is_file()
    assert len((pack / "bag/data/hearing/log.jsonl").read_text().splitlines()) == count
    assert json.loads((pack / "bag/data/hearing/ruling.json").read_text())["adopted_months"] == 5.0


@then(parsers.parse("the court's docket lists the pack as version {version:d} of the hearing"))
def docketed(journey: dict[str, Any], version: int) -> None:
    court = journey["court"]
    entries = court.service.docket(court.tokens["clerk"]).entries
    assert [(e.hearing_id, e.version, e.digest) for e in entries] == [
        (court.hearing_id, version, journey["sealed"].digest)
    ]


@then("the hearing is sealed")
def hearing_sealed(journey: dict[str, Any]) -> None:
    court = journey["court"]
    assert court.service.hearing_state(court.tokens["judge"], court.hearing_id) == "sealed"


@when("the appellate court verifies the pack with only what the court published")
def appellate_verifies(journey: dict[str, Any]) -> None:
    journey["verdict"] = verify_pack(journey["sealed"].path, journey["anchors"], journey["docket"])


@then("every check passes")
def every_check(journey: dict[str, Any]) -> None:
    verdict = journey["verdict"]
    assert verdict.ok and all(check.ok for check in verdict.checks)


def _shell(journey: dict[str, Any], pack: Path) -> subprocess.CompletedProcess[str]:
    return run_published_script(journey["published"], pack)


@then("the same verdict is reached by the court's published verification script, with standard tools")
def shell_agrees(journey: dict[str, Any]) -> None:
    done = _shell(journey, journey["sealed"].path)
    assert done.returncode == 0 and done.stdout.rstrip().endswith("VERIFIED"), done.stdout + done.stderr


@when("the appellate court replays the pack")
def appellate_replays(journey: dict[str, Any]) -> None:
    journey["replay"] = replay_pack(journey["sealed"].path, journey["anchors"], docket=journey["docket"])


@then(parsers.parse("all {count:d} queries and the report give results with the same digests as recorded"))
def replay_exact(journey: dict[str, Any], count: int) -> None:
    report = journey["replay"]
    assert report.ok and len(report.queries) == count and report.count(Match.EXACT) == count + 1


@when("the appellate court asks a new question against the sealed model")
def appellate_asks(journey: dict[str, Any]) -> None:
    record = journey["work"] / "appeal.jsonl"
    with AppellateSession(journey["sealed"].path, journey["anchors"], record, "appeal (appellate_judge)") as session:
        session.query("whatif", {"changes": {"surrender": False}})
    journey["appeal_record"] = record


@then("its record starts from the pack's digest")
def appeal_chained(journey: dict[str, Any]) -> None:
    first = json.loads(journey["appeal_record"].read_text().splitlines()[0])
    assert first["seq"] == 1 and first["prev_sha256"] == journey["sealed"].digest


@when("someone changes the adopted sentence in the sealed citation and re-makes the bag")
def tamper(journey: dict[str, Any]) -> None:
    pack = journey["work"] / "tampered" / journey["sealed"].path.name
    shutil.copytree(journey["sealed"].path, pack)
    ruling = pack / "bag/data/hearing/ruling.json"
    ruling.write_bytes(ruling.read_bytes().replace(b'"adopted_months":5.0', b'"adopted_months":3.0'))
    bagit.Bag(str(pack / "bag")).save(processes=1, manifests=True)
    journey["sealed_original"], journey["tampered"] = journey["sealed"], pack


@when("someone replaces the pack's VERIFY.txt with a script that prints VERIFIED")
def forge_verify_txt(journey: dict[str, Any]) -> None:
    pack = journey["work"] / "forged" / journey["sealed"].path.name
    shutil.copytree(journey["sealed"].path, pack)
    (pack / "VERIFY.txt").write_text('#!/usr/bin/env bash\necho "VERIFIED"\n')
    journey["tampered"] = pack


@then(parsers.parse('verification fails and names the "{check}" check'))
def tamper_caught(journey: dict[str, Any], check: str) -> None:
    verdict = verify_pack(journey["tampered"], journey["anchors"], journey["docket"])
    assert not verdict.ok and check in [c.name for c in verdict.failed]
    expected = {"signature": "tagmanifest", "profile": "VERIFY.txt"}[check]
    assert expected in next(c for c in verdict.failed if c.name == check).detail


@then(parsers.parse('the published script fails at the step "{step}"'))
def shell_catches(journey: dict[str, Any], step: str) -> None:
    done = _shell(journey, journey["tampered"])
    assert done.returncode == 1 and f"FAILED: {step}" in done.stdout


@then("replay refuses to run the tampered pack")
def replay_refuses(journey: dict[str, Any]) -> None:
    with pytest.raises(UnverifiedPackError, match="signature"):
        replay_pack(journey["tampered"], journey["anchors"])
