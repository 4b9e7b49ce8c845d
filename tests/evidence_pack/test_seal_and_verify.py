"""Sealing a real hearing, and verifying the pack with voirdire and with standard tools alone."""

from __future__ import annotations

import base64
import dataclasses
import json
import threading
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from pypdf import PdfReader

from evidence_pack import (
    HttpTimestampAuthority,
    TrustAnchors,
    make_timestamp_server,
    replay_pack,
    unlock_private_key,
    verify_pack,
)
from evidence_pack.profile import PAYLOAD_FILES
from hearing.store import SealingKey
from sentencing.canonical import sha256_bytes, sha256_file
from sentencing.errors import AccessDeniedError, AuthenticationError, ConfigurationError, HearingStateError, InputError
from tests.evidence_pack.conftest import PASSPHRASE, QUERIES, closed_court, run_hearing, run_published_script
from tests.hearing.store_fixtures import build_court


def test_a_sealed_pack_verifies_with_every_check(sealed_court) -> None:
    verdict = verify_pack(sealed_court.sealed.path, sealed_court.anchors, sealed_court.docket)
    assert verdict.ok, verdict.failed
    assert {c.name for c in verdict.checks if c.ok} == {"profile", "bag", "signature", "signer", "statement",
                                                       "timestamp", "record", "model", "docket"}  # fmt: skip
    assert verdict.digest == sealed_court.sealed.digest
    assert verdict.predicate["hearing_record"] == {"head": sealed_court.sealed.record_head, "length": len(QUERIES)}


def test_the_pack_holds_what_the_appellate_court_needs(sealed_court) -> None:
    pack = sealed_court.sealed.path
    for name in PAYLOAD_FILES:
        assert (pack / "bag" / name).is_file(), name
    statement = json.loads(base64.b64decode(json.loads((pack / "seal/statement.json").read_text())["payload"]))
    predicate = statement["predicate"]
    assert statement["_type"] == "https://in-toto.io/Statement/v1"
    for field in ("case_id", "pack_version", "supersedes", "hearing_record", "model", "seeds", "toolkit", "sealer"):
        assert field in predicate, field
    assert predicate["sealer"]["role"] == "judge" and predicate["pack_version"] == 1 and predicate["supersedes"] is None
    assert predicate["model"]["sha256"] == sha256_file(str(pack / "bag/data/model/model.joblib"))
    log = (pack / "bag/data/hearing/log.jsonl").read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["operation"] for line in log] == [q[1] for q in QUERIES]
    ruling = json.loads((pack / "bag/data/hearing/ruling.json").read_text(encoding="utf-8"))
    assert ruling["adopted_months"] == 7.0 and ruling["record_head_sha256"] == predicate["hearing_record"]["head"]
    environment = json.loads((pack / "bag/data/environment/environment.json").read_text())
    assert environment["key_packages"]["numpy"] and environment["python"]["version"]
    bag_info = (pack / "bag/bag-info.txt").read_text()
    assert "Pack-Version: 1" in bag_info and "Supersedes: none" in bag_info and "External-Identifier:" in bag_info
    for language in ("zh-CN", "en"):
        reader = PdfReader(pack / f"bag/data/report/report.{language}.pdf")
        assert 'pdfaid:part="3"' in reader.xmp_metadata.stream.get_data().decode("utf-8")  # PDF/A-3b
        attached = reader.attachments["report.json"][0]
        assert json.loads(attached) == json.loads((pack / "bag/data/report/report.json").read_bytes())
    assert sorted(p.name for p in (pack / "seal").iterdir()) == sorted(
        ["profile.json", "sealer.pub.pem", "statement.json", "statement.sig", "statement.tsr",
         "statement.tsr.sig", "tagmanifest-sha256.txt.sig"])  # fmt: skip


def test_the_private_key_never_enters_the_pack_and_is_stored_encrypted(sealed_court) -> None:
    from sqlmodel import Session, select

    service = sealed_court.service
    with Session(service._engine) as session:
        row = session.exec(select(SealingKey)).one()
    assert row.encrypted_private_key.startswith("voirdire-encrypted-key-v1$scrypt$32768$8$1$")
    with pytest.raises(AuthenticationError):
        unlock_private_key(row.encrypted_private_key.encode(), "not the passphrase")
    private = unlock_private_key(row.encrypted_private_key.encode(), PASSPHRASE)
    raw = private.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                serialization.NoEncryption())  # fmt: skip
    for path in sealed_court.sealed.path.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert raw not in data and b"PRIVATE KEY" not in data and b"encrypted-key" not in data, path
    assert (
        raw.hex() not in row.encrypted_private_key and base64.b64encode(raw).decode() not in row.encrypted_private_key
    )


def test_the_published_script_reaches_the_same_verdict_and_the_packs_copy_is_that_script(sealed_court) -> None:
    done = run_published_script(sealed_court.published, sealed_court.sealed.path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip().endswith("VERIFIED")
    script = (sealed_court.published / "verify-pack.sh").read_bytes()
    assert (sealed_court.sealed.path / "VERIFY.txt").read_bytes() == script  # a copy, for reading
    digest_line = (sealed_court.published / "verify-pack.sh.sha256").read_text()
    assert digest_line == f"{sha256_bytes(script)}  verify-pack.sh\n"  # `sha256sum -c` form
    text = script.decode()
    for command in ("bagit.py --validate bag", "openssl pkeyutl -verify", "openssl ts -verify", "sha256sum"):
        assert command in text
    assert "--fast" not in text.replace("never --fast", "")


def test_sealing_needs_a_closed_hearing_the_right_passphrase_and_a_key(engine, small_model, tmp_path) -> None:
    court = build_court(engine, small_model.folder)
    service, judge = court.service, court.tokens["judge"]
    tmp_path = tmp_path / "packs"
    with pytest.raises(HearingStateError, match="only a closed hearing"):
        service.seal(judge, court.hearing_id, PASSPHRASE, tmp_path)
    run_hearing(court, QUERIES[:2])
    with pytest.raises(InputError, match="no sealing key"):
        service.seal(judge, court.hearing_id, PASSPHRASE, tmp_path)
    service.create_sealing_key(judge, PASSPHRASE)
    with pytest.raises(AccessDeniedError, match="awaits the court's approval"):
        service.seal(judge, court.hearing_id, PASSPHRASE, tmp_path)
    with pytest.raises(AccessDeniedError):  # a judge does not approve a key, not even their own
        service.certify_sealing_key(judge, "judge")
    service.certify_sealing_key(court.tokens["tech"], "judge")
    with pytest.raises(AuthenticationError, match="passphrase"):
        service.seal(judge, court.hearing_id, "wrong passphrase", tmp_path)
    # A seal that fails half-way (the timestamp authority does not answer) leaves nothing behind.
    silent = HttpTimestampAuthority("http://127.0.0.1:9/", tmp_path.parent / "no-root.pem")
    with pytest.raises(ConfigurationError, match="did not answer"):
        service.seal(judge, court.hearing_id, PASSPHRASE, tmp_path, authority=silent)
    assert list(tmp_path.iterdir()) == []
    assert service.hearing_state(judge, court.hearing_id) == "closed" and service.docket(judge).entries == ()
    with pytest.raises(InputError, match="at least 8"):
        service.create_sealing_key(judge, "short")


def test_resealing_makes_a_new_version_and_the_docket_flags_the_old_one(engine, small_model, tmp_path) -> None:
    """Runs on SQLite and PostgreSQL: the docket is the store's."""
    closed = closed_court(engine, small_model.folder, tmp_path, QUERIES[:2])
    service, judge, court = closed.service, closed.judge, closed.court
    first = closed.seal()
    assert service.hearing_state(judge, court.hearing_id) == "sealed"
    second = closed.seal()
    assert (first.version, second.version) == (1, 2)
    docket = service.docket(court.tokens["appeal"])
    assert [(e.version, e.digest) for e in docket.entries] == [(1, first.digest), (2, second.digest)]
    anchors = closed.anchors()
    current = verify_pack(second.path, anchors, docket)
    assert current.ok and current.predicate["supersedes"] == first.digest
    old = verify_pack(first.path, anchors, docket)
    assert not old.ok and [c.name for c in old.failed] == ["docket"]
    assert "superseded by version 2" in old.failed[0].detail
    without_docket = verify_pack(first.path, anchors)
    assert without_docket.ok and next(c for c in without_docket.checks if c.name == "docket").ok is None
    assert [p.version for p in service.packs(judge, court.hearing_id)] == [1, 2]


def test_a_court_certificate_ties_the_sealers_key_to_the_court(engine, small_model, tmp_path) -> None:
    from evidence_pack import create_court_authority

    closed = closed_court(engine, small_model.folder, tmp_path)
    service, tech = closed.service, closed.court.tokens["tech"]
    root = service.create_court_authority(tech, "某某市中级人民法院 Intermediate People's Court", "ca passphrase")
    with pytest.raises(InputError, match="passphrase is needed"):
        service.certify_sealing_key(tech, "judge")
    with pytest.raises(AuthenticationError):
        service.certify_sealing_key(tech, "judge", "wrong ca passphrase")
    service.certify_sealing_key(tech, "judge", "ca passphrase")
    sealed = closed.seal()
    assert (sealed.path / "seal/sealer.cert.pem").is_file()
    published = closed.published()
    assert (published / "court-root.pem").read_text() == root
    assert "\tyes\t" in (published / "sealers.tsv").read_text()  # the key list says the CA certified the key
    verdict = verify_pack(sealed.path, TrustAnchors.from_published(published))
    assert verdict.ok and "certified by the court's CA" in next(c for c in verdict.checks if c.name == "signer").detail
    done = run_published_script(published, sealed.path)
    assert done.returncode == 0, done.stdout + done.stderr
    # A different court's root does not vouch for this sealer, for voirdire or for the script.
    stranger = create_court_authority("another court", "another passphrase").certificate_pem
    anchors = dataclasses.replace(TrustAnchors.from_published(published), court_root=stranger)
    verdict = verify_pack(sealed.path, anchors)
    assert [c.name for c in verdict.failed] == ["signer"] and "not the court" in verdict.failed[0].detail
    (published / "court-root.pem").write_bytes(stranger)
    done = run_published_script(published, sealed.path)
    assert done.returncode == 1 and "FAILED: signer: seal/sealer.cert.pem does not hold" in done.stdout


def test_two_seals_at_once_never_share_a_version(engine, small_model, tmp_path) -> None:
    """Runs on SQLite and PostgreSQL: the docket's (hearing, version) is unique; the loser's pack is removed."""
    from concurrent.futures import ThreadPoolExecutor

    closed = closed_court(engine, small_model.folder, tmp_path)

    def seal(folder: str):
        try:
            return closed.seal(tmp_path / folder)
        except HearingStateError as error:
            return error

    with ThreadPoolExecutor(2) as pool:
        outcomes = list(pool.map(seal, ["a", "b"]))
    versions = sorted(o.version for o in outcomes if not isinstance(o, HearingStateError))
    refused = [o for o in outcomes if isinstance(o, HearingStateError)]
    docket = closed.service.docket(closed.judge).entries
    assert sorted(e.version for e in docket) == versions and len(set(versions)) == len(versions)
    if refused:  # both read "no pack yet" and raced: the loser is told, and its pack is gone
        assert "sealed by someone else meanwhile" in str(refused[0])
    packs_on_disk = sorted(p.name for p in tmp_path.glob("[ab]/*_pack-v*"))
    assert len(packs_on_disk) == len(docket)


def test_an_escrowed_model_stays_out_of_the_pack_and_replay_needs_the_custodians_copy(engine, small_model,
                                                                                       tmp_path) -> None:  # fmt: skip
    closed = closed_court(engine, small_model.folder, tmp_path, QUERIES[:3])
    sealed = closed.seal(model_travels=False)
    model_files = sorted(p.name for p in (sealed.path / "bag/data/model").iterdir())
    assert model_files == ["ESCROW.json"]
    escrow = json.loads((sealed.path / "bag/data/model/ESCROW.json").read_text())
    assert escrow["sha256"] == sha256_file(str(Path(small_model.folder) / "model.joblib"))
    anchors = closed.anchors()
    assert verify_pack(sealed.path, anchors).ok
    done = run_published_script(closed.published(), sealed.path)
    assert done.returncode == 0 and "the model did not travel" in done.stdout, done.stdout + done.stderr
    with pytest.raises(InputError, match="escrow"):
        replay_pack(sealed.path, anchors)
    report = replay_pack(sealed.path, anchors, model=str(small_model.folder))
    assert report.ok and report.count(report.queries[0].match) >= 3


def test_a_court_tsa_over_rfc3161_http(sealed_court, engine, small_model, tmp_path) -> None:
    server = make_timestamp_server(sealed_court.tsa, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        closed = closed_court(engine, small_model.folder, tmp_path)
        url = f"http://127.0.0.1:{server.server_address[1]}/"
        sealed = closed.seal(authority=HttpTimestampAuthority(url, sealed_court.tsa.root_pem))
    finally:
        server.shutdown()
        server.server_close()
    verdict = verify_pack(sealed.path, dataclasses.replace(closed.anchors(), tsa_root=sealed_court.tsa.root_pem))
    assert verdict.ok, verdict.failed
    assert verdict.predicate["timestamp_authority"] == f"TSA {url}"


def test_a_deep_report_asked_in_court_is_sealed_proved_identical_to_the_record(engine, small_model, tmp_path) -> None:
    deep_query = ("defence", "report", {"tier": "deep", "disputed": ["restitution"]})
    closed = closed_court(engine, small_model.folder, tmp_path, [deep_query, QUERIES[0]])
    sealed = closed.seal()
    deep = sealed.path / "bag/data/report/deep"
    recorded = json.loads((sealed.path / "bag/data/hearing/results.jsonl").read_text().splitlines()[0])
    assert json.loads((deep / "report.json").read_bytes()) == recorded and recorded["tier"] == "deep"
    for language in ("zh-CN", "en"):
        attached = PdfReader(deep / f"report.{language}.pdf").attachments["report.json"][0]
        assert json.loads(attached) == recorded
    replay = json.loads((sealed.path / "bag/data/replay/replay.json").read_text())
    assert replay["deep_report"]["seq"] == 1
    assert verify_pack(sealed.path, closed.anchors()).ok
