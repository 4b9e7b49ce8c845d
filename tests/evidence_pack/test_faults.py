"""EVIDENCE_PACK.md's faults, each with its expected verdict, from voirdire and from VERIFY.txt's standard commands.

Every fault is made on a copy of one real sealed pack. Where the fault is one standard tools can
see (all but the docket's), VERIFY.txt, run as written, must fail too, at the step named.
"""

from __future__ import annotations

import base64
import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import bagit
import joblib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.dummy import DummyRegressor

from evidence_pack import LocalTimestampAuthority, TrustAnchors, replay_pack, verify_pack
from evidence_pack.signing import generate_sealing_key, key_fingerprint, sign_envelope, unlock_private_key
from evidence_pack.timestamp import timestamp_query
from sentencing.canonical import sha256_bytes
from sentencing.errors import UnverifiedPackError
from tests.evidence_pack.conftest import closed_court, run_published_script


def failed(pack: Path, anchors: TrustAnchors, docket=None) -> set[str]:
    verdict = verify_pack(pack, anchors, docket)
    assert verdict.ok == (not verdict.failed)
    return {c.name for c in verdict.failed}


def shell(pack: Path, published: Path) -> tuple[int, str]:
    """The court's published script on ``pack``: (exit status, the first FAILED line)."""
    done = run_published_script(published, pack)
    failures = [line for line in done.stdout.splitlines() if line.startswith("FAILED")]
    return done.returncode, failures[0] if failures else ""


def flip_same_size(path: Path, position: int = 0) -> None:
    data = bytearray(path.read_bytes())
    data[position] ^= 0x01
    path.write_bytes(bytes(data))


def rebag(pack: Path) -> None:
    """What a forger does after editing the payload: fresh manifests, tag manifests and Payload-Oxum."""
    bagit.Bag(str(pack / "bag")).save(processes=1, manifests=True)


def resign(pack: Path, tsa: LocalTimestampAuthority, *, private=None, public_pem: bytes | None = None,
           sealer: dict | None = None, **predicate_changes) -> None:  # fmt: skip
    """A forger's key (a fresh one, or ``private`` with ``public_pem``): re-sign the tag manifest and a statement
    rewritten to match (``sealer``: changes to the sealer it names), then re-timestamp at the court's TSA."""
    import hashlib

    if private is None:
        key = generate_sealing_key("forger passphrase")
        private, public_pem = unlock_private_key(key.encrypted_private_key, "forger passphrase"), key.public_pem
    assert public_pem is not None
    envelope = json.loads((pack / "seal/statement.json").read_bytes())
    statement = json.loads(base64.b64decode(envelope["payload"]))
    (pack / "seal/sealer.pub.pem").write_bytes(public_pem)
    tagmanifest = (pack / "bag/tagmanifest-sha256.txt").read_bytes()
    (pack / "seal/tagmanifest-sha256.txt.sig").write_bytes(private.sign(tagmanifest))
    statement["subject"][0]["digest"]["sha256"] = sha256_bytes(tagmanifest)
    statement["subject"][1]["digest"]["sha512"] = hashlib.sha512(
        (pack / "bag/tagmanifest-sha512.txt").read_bytes()
    ).hexdigest()
    statement["predicate"]["files"]["seal/sealer.pub.pem"] = sha256_bytes(public_pem)
    statement["predicate"]["sealer"].update(key_fingerprint=key_fingerprint(private.public_key()), **(sealer or {}))
    statement["predicate"].update(predicate_changes)
    body, signature = sign_envelope(statement, private)
    (pack / "seal/statement.json").write_bytes(body)
    (pack / "seal/statement.sig").write_bytes(signature)
    token = tsa.stamp(timestamp_query(pack / "seal/statement.sig"))
    (pack / "seal/statement.tsr").write_bytes(token)
    (pack / "seal/statement.tsr.sig").write_bytes(private.sign(token))


@pytest.fixture
def pack(sealed_court, tmp_path) -> Path:
    return sealed_court.copy(tmp_path)


def test_the_untouched_copy_verifies_both_ways(sealed_court, pack) -> None:
    assert failed(pack, sealed_court.anchors) == set()
    assert shell(pack, sealed_court.published) == (0, "")


def test_fault_01_one_byte_changed_same_size(sealed_court, pack) -> None:
    target = pack / "bag/data/report/report.json"
    size = target.stat().st_size
    flip_same_size(target, 100)
    assert target.stat().st_size == size
    assert failed(pack, sealed_court.anchors) == {"bag"}
    code, line = shell(pack, sealed_court.published)
    assert code == 1 and line.startswith("FAILED: bag")
    # The trap EVIDENCE_PACK.md warns of: the fast check passes this tampered bag (so it is never used).
    bagit_py = str(Path(sys.executable).parent / "bagit.py")
    fast = subprocess.run([bagit_py, "--validate", "--fast", str(pack / "bag")], capture_output=True, text=True,
                          check=False)  # fmt: skip
    assert fast.returncode == 0


@pytest.mark.parametrize("change", ["deleted", "added"])
def test_fault_02_a_payload_file_deleted_or_added(sealed_court, pack, change) -> None:
    if change == "deleted":
        (pack / "bag/data/provenance/provenance.json").unlink()
    else:
        (pack / "bag/data/case/extra.json").write_text("{}")
    result = failed(pack, sealed_court.anchors)
    assert "bag" in result and "profile" in result
    code, line = shell(pack, sealed_court.published)
    assert code == 1 and line.startswith("FAILED: profile")  # an empty folder left behind, or an unlisted file


def test_fault_03_hearing_log_truncated(sealed_court, pack) -> None:
    log = pack / "bag/data/hearing/log.jsonl"
    log.write_bytes(b"".join(log.read_bytes().splitlines(keepends=True)[:-1]))
    verdict = verify_pack(pack, sealed_court.anchors)
    assert {"bag", "record"} <= {c.name for c in verdict.failed}
    record = next(c for c in verdict.checks if c.name == "record")
    assert "results" in record.detail or "not at the recorded head" in record.detail
    assert shell(pack, sealed_court.published)[0] == 1


def test_fault_03_truncated_with_results_too_breaks_the_signed_head(sealed_court, pack) -> None:
    for name in ("log.jsonl", "results.jsonl"):
        path = pack / "bag/data/hearing" / name
        path.write_bytes(b"".join(path.read_bytes().splitlines(keepends=True)[:-2]))
    rebag(pack)  # even with a fresh bag, the chain's head is not the signed one
    verdict = verify_pack(pack, sealed_court.anchors)
    record = next(c for c in verdict.checks if c.name == "record")
    assert record.ok is False and "not at the recorded head" in record.detail
    code, line = shell(pack, sealed_court.published)
    assert code == 1 and line.startswith("FAILED: signature")


@pytest.mark.parametrize("change", ["reordered", "edited"])
def test_fault_04_entries_reordered_or_edited_break_the_chain_at_that_entry(sealed_court, pack, change) -> None:
    log = pack / "bag/data/hearing/log.jsonl"
    lines = log.read_bytes().splitlines(keepends=True)
    if change == "reordered":
        lines[2], lines[3] = lines[3], lines[2]
        results = pack / "bag/data/hearing/results.jsonl"
        kept = results.read_bytes().splitlines(keepends=True)
        kept[2], kept[3] = kept[3], kept[2]
        results.write_bytes(b"".join(kept))
    else:
        lines[2] = lines[2].replace(b"defence (defence)", b"judge (judge)")
    log.write_bytes(b"".join(lines))
    rebag(pack)  # so that only the chain can tell
    verdict = verify_pack(pack, sealed_court.anchors)
    record = next(c for c in verdict.checks if c.name == "record")
    assert record.ok is False and "entry 3" in record.detail
    code, line = shell(pack, sealed_court.published)
    assert code == 1 and line.startswith("FAILED: signature")  # the re-made bag is not the signed one


def test_fault_05_payload_edited_and_rebagged_fails_the_signature(sealed_court, pack) -> None:
    ruling = pack / "bag/data/hearing/ruling.json"
    ruling.write_bytes(ruling.read_bytes().replace(b'"adopted_months":7.0', b'"adopted_months":3.0'))
    rebag(pack)
    assert bagit.Bag(str(pack / "bag")).is_valid()  # the bag alone is fooled
    result = failed(pack, sealed_court.anchors)
    assert "signature" in result and "statement" in result and "bag" not in result
    code, line = shell(pack, sealed_court.published)
    assert code == 1 and line.startswith("FAILED: signature")


def test_fault_06_tag_manifests_deleted_and_payload_edited_consistently(sealed_court, pack) -> None:
    for name in ("tagmanifest-sha256.txt", "tagmanifest-sha512.txt"):
        (pack / "bag" / name).unlink()
    case = pack / "bag/data/case/case.json"
    case.write_bytes(case.read_bytes().replace(b'"surrender":true', b'"surrender":false'))
    for algorithm in ("sha256", "sha512"):
        manifest = pack / f"bag/manifest-{algorithm}.txt"
        import hashlib

        lines = [line if not line.endswith(" data/case/case.json") else
                 f"{hashlib.new(algorithm, case.read_bytes()).hexdigest()}  data/case/case.json"
                 for line in manifest.read_text().splitlines()]  # fmt: skip
        manifest.write_text("\n".join(lines) + "\n")
    verdict = verify_pack(pack, sealed_court.anchors)
    signature = next(c for c in verdict.checks if c.name == "signature")
    assert signature.ok is False and "missing" in signature.detail
    code, line = shell(pack, sealed_court.published)
    assert code == 1 and line.startswith("FAILED: profile")  # the tag manifests the profile requires are gone


def test_fault_07_bad_payload_oxum(sealed_court, pack) -> None:
    info = pack / "bag/bag-info.txt"
    text = info.read_text()
    oxum = next(line for line in text.splitlines() if line.startswith("Payload-Oxum"))
    info.write_text(text.replace(oxum, "Payload-Oxum: 1.1"))
    assert "bag" in failed(pack, sealed_court.anchors)
    code, line = shell(pack, sealed_court.published)
    assert code == 1 and line.startswith("FAILED: bag")


def test_fault_08_resigned_by_another_key(sealed_court, pack) -> None:
    resign(pack, sealed_court.tsa)
    assert failed(pack, sealed_court.anchors) == {"signer"}
    code, line = shell(pack, sealed_court.published)
    assert code == 1 and line.startswith("FAILED: signer") and "not one the court published" in line


def test_fault_09_signed_bytes_changed_under_the_timestamp(sealed_court, pack, tmp_path) -> None:
    other = tmp_path / "other.sig"
    other.write_bytes(b"some other signature")
    token = sealed_court.tsa.stamp(timestamp_query(other))
    (pack / "seal/statement.tsr").write_bytes(token)
    # Even countersigned by the real sealer, the token is over other bytes than the statement's signature.
    (pack / "seal/statement.tsr.sig").write_bytes(sealed_court.private_key().sign(token))
    verdict = verify_pack(pack, sealed_court.anchors)
    assert {c.name for c in verdict.failed} == {"timestamp", "signer"}  # the key's period is judged at a trusted time
    assert "over other bytes" in verdict.failed[0].detail
    code, line = shell(pack, sealed_court.published)
    assert code == 1 and line.startswith("FAILED: timestamp")


def test_fault_09_wrong_tsa_root(sealed_court, pack, tmp_path) -> None:
    stranger = LocalTimestampAuthority.create(tmp_path / "stranger", "a stranger's TSA")
    anchors = dataclasses.replace(sealed_court.anchors, tsa_root=stranger.root_pem)
    verdict = verify_pack(pack, anchors)
    # Without a trusted time, whether the key was in force then cannot be told either.
    assert {c.name for c in verdict.failed} == {"timestamp", "signer"} and "TSA root" in verdict.failed[0].detail
    published = sealed_court.published_copy(tmp_path, **{"tsa-root.pem": stranger.root_pem.read_bytes()})
    code, line = shell(pack, published)
    assert code == 1 and line.startswith("FAILED: timestamp")


@pytest.mark.parametrize("written", ["data/../../../outside.txt", "../outside.txt"])
def test_fault_10_path_traversal_in_a_manifest_is_rejected_nothing_read_or_written(sealed_court, pack, tmp_path,
                                                                                   written) -> None:  # fmt: skip
    """Padded with two spaces (RFC 8493 allows any run of blanks), so a check that splits on one space misses it."""
    outside = tmp_path / "outside.txt"
    outside.write_text("a file outside the pack")
    manifest = pack / "bag/manifest-sha256.txt"
    manifest.write_text(manifest.read_text() + f"{sha256_bytes(outside.read_bytes())}  {written}\n")
    before = sorted((p.relative_to(tmp_path), p.stat().st_mtime_ns) for p in tmp_path.rglob("*"))
    verdict = verify_pack(pack, sealed_court.anchors)
    profile = next(c for c in verdict.checks if c.name == "profile")
    assert profile.ok is False and "path traversal" in profile.detail
    assert next(c for c in verdict.checks if c.name == "bag").detail.startswith("not checked")
    assert sorted((p.relative_to(tmp_path), p.stat().st_mtime_ns) for p in tmp_path.rglob("*")) == before
    code, line = shell(pack, sealed_court.published)
    assert code == 1 and line.startswith("FAILED: profile")


@pytest.mark.parametrize("where", ["bag/notes.txt", "seal/extra.pem", "README.txt"])
def test_fault_11_an_unlisted_file_in_the_bag_root_or_seal(sealed_court, pack, where) -> None:
    (pack / where).write_text("unlisted")
    result = failed(pack, sealed_court.anchors)
    assert "profile" in result
    if where == "bag/notes.txt":
        assert "bag" not in result  # bagit itself accepts extra tag files: only the profile catches it
    code, line = shell(pack, sealed_court.published)
    assert code == 1 and line.startswith("FAILED: profile")


def test_fault_12_a_fetch_txt(sealed_court, pack) -> None:
    (pack / "bag/fetch.txt").write_text("https://example.org/report.pdf - data/report/remote.pdf\n")
    verdict = verify_pack(pack, sealed_court.anchors)
    profile = next(c for c in verdict.checks if c.name == "profile")
    assert profile.ok is False and "holey bag" in profile.detail
    code, line = shell(pack, sealed_court.published)
    assert code == 1 and line.startswith("FAILED: profile")


def test_fault_13_an_older_validly_sealed_pack_presented_as_current(engine, small_model, tmp_path) -> None:
    from evidence_pack import Docket, DocketEntry

    closed = closed_court(engine, small_model.folder, tmp_path)
    court = closed.court
    first = closed.seal()
    closed.seal()
    anchors = closed.anchors()
    assert verify_pack(first.path, anchors).ok  # on its own, the old pack is genuine
    verdict = verify_pack(first.path, anchors, closed.service.docket(closed.judge))
    assert [c.name for c in verdict.failed] == ["docket"] and "superseded by version 2" in verdict.failed[0].detail
    stranger = Docket((DocketEntry(court.case_id, court.hearing_id, 1, "f" * 64),))
    assert "not in the court's docket" in verify_pack(first.path, anchors, stranger).failed[0].detail


def _swap_model(pack: Path) -> None:
    impostor = DummyRegressor(strategy="constant", constant=1.0).fit([[0.0]], [1.0])
    joblib.dump(impostor, pack / "bag/data/model/model.joblib")
    rebag(pack)


def test_fault_14_model_swapped_and_rebagged(sealed_court, pack) -> None:
    _swap_model(pack)
    verdict = verify_pack(pack, sealed_court.anchors)
    model = next(c for c in verdict.checks if c.name == "model")
    assert model.ok is False and "swapped" in model.detail
    assert {"signature", "statement", "model"} <= {c.name for c in verdict.failed}
    with pytest.raises(UnverifiedPackError):  # replay never loads a model from a pack that does not verify
        replay_pack(pack, sealed_court.anchors)
    code, line = shell(pack, sealed_court.published)
    assert code == 1 and line.startswith("FAILED: signature")


def test_fault_14_model_swapped_rebagged_and_resigned_by_the_forger(sealed_court, pack) -> None:
    _swap_model(pack)
    impostor_digest = sha256_bytes((pack / "bag/data/model/model.joblib").read_bytes())
    envelope = json.loads((pack / "seal/statement.json").read_bytes())
    model = json.loads(base64.b64decode(envelope["payload"]))["predicate"]["model"]
    resign(pack, sealed_court.tsa, model={**model, "sha256": impostor_digest})
    verdict = verify_pack(pack, sealed_court.anchors)
    record = next(c for c in verdict.checks if c.name == "record")
    assert {c.name for c in verdict.failed} == {"signer", "record", "model"}  # the card names the true artifact
    assert "was answered by model" in record.detail  # the log entries name the model that really answered
    assert shell(pack, sealed_court.published)[0] == 1


@settings(max_examples=1000, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_any_flipped_byte_anywhere_in_the_pack_is_detected(sealed_court, data) -> None:
    pack = sealed_court.flip_target
    files = sealed_court.flip_files
    path = data.draw(st.sampled_from(files), label="file")
    size = path.stat().st_size
    position = data.draw(st.integers(0, size - 1), label="byte")
    mask = data.draw(st.integers(1, 255), label="xor")
    original = path.read_bytes()
    mutated = bytearray(original)
    mutated[position] ^= mask
    path.write_bytes(bytes(mutated))
    try:
        verdict = verify_pack(pack, sealed_court.anchors)
    finally:
        path.write_bytes(original)
    assert not verdict.ok, f"{path.relative_to(pack)} byte {position} ^ {mask:#04x} went undetected"


@pytest.fixture(scope="module", autouse=True)
def flip_target(sealed_court, tmp_path_factory):
    """One copy of the pack for the byte flips (each flip is undone after its verdict)."""
    sealed_court.flip_target = sealed_court.copy(tmp_path_factory.mktemp("flips"))
    sealed_court.flip_files = sorted(p for p in sealed_court.flip_target.rglob("*") if p.is_file())
    assert len(sealed_court.flip_files) >= 25
    return
