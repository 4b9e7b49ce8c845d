"""Item 2: only the key of the sealer the statement names, in force when the pack was timestamped, signs a pack.

The forger is an insider with a court key that the court published: a retired key of the same judge
(a laptop that was replaced), or another judge's current key. The forgery is a ruling changed from
7.0 to 1.0 months, re-bagged, re-signed, re-timestamped by the court's own TSA, without a docket.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from evidence_pack import LocalTimestampAuthority, TrustAnchors, replay_pack, verify_pack
from evidence_pack.signing import unlock_private_key
from hearing.store import SealingKey, make_engine, migrate
from sentencing.errors import UnverifiedPackError
from tests.cli.runner import run
from tests.evidence_pack.conftest import PASSPHRASE, closed_court, run_published_script
from tests.evidence_pack.test_faults import rebag, resign
from tests.hearing.store_fixtures import PASSWORD


def forge(pack: Path, private, public_pem: bytes, tsa: LocalTimestampAuthority, **sealer_changes) -> None:
    """The ruling says 1.0 month; the bag is re-made; statement and tag manifest re-signed; a fresh timestamp."""
    ruling = pack / "bag/data/hearing/ruling.json"
    ruling.write_bytes(ruling.read_bytes().replace(b'"adopted_months":7.0', b'"adopted_months":1.0'))
    rebag(pack)
    resign(pack, tsa, private=private, public_pem=public_pem, sealer=sealer_changes)


def _keys(service) -> list[SealingKey]:
    from sqlmodel import Session, col, select

    with Session(service._engine) as session:
        return list(session.exec(select(SealingKey).order_by(col(SealingKey.id))).all())


@pytest.fixture
def court_with_two_judges(tmp_path, small_model):
    engine = make_engine(f"sqlite:///{tmp_path / 'court.sqlite'}")
    migrate(engine)
    closed = closed_court(engine, small_model.folder, tmp_path)
    service, tokens = closed.service, closed.court.tokens
    service.create_user(tokens["clerk"], "judge2", PASSWORD, "judge")
    tokens["judge2"] = service.login("judge2", PASSWORD)
    service.create_sealing_key(tokens["judge2"], "judge2's passphrase")
    service.certify_sealing_key(tokens["tech"], "judge2")
    sealed = closed.seal()
    return closed, sealed


def test_a_retired_key_cannot_sign_after_its_retirement(court_with_two_judges, tmp_path) -> None:
    closed, sealed = court_with_two_judges
    service, tokens = closed.service, closed.court.tokens
    old = next(k for k in _keys(service) if k.fingerprint == service.sealing_key(tokens["judge"]))
    service.create_sealing_key(tokens["judge"], PASSPHRASE)  # a new laptop: the old key is retired
    service.certify_sealing_key(tokens["tech"], "judge")
    published = closed.published()
    anchors = TrustAnchors.from_published(published)
    genuine = verify_pack(sealed.path, anchors)
    assert genuine.ok, [(c.name, c.detail) for c in genuine.failed]  # sealed while the old key was in force
    forged = tmp_path / "forged" / sealed.path.name
    forged.parent.mkdir()
    import shutil
    import time

    time.sleep(2.1)  # the forger comes later than the second the key was retired in (periods are whole seconds)
    shutil.copytree(sealed.path, forged)
    forge(forged, unlock_private_key(old.encrypted_private_key.encode(), PASSPHRASE), old.public_pem.encode(),
          closed.tsa)  # fmt: skip
    verdict = verify_pack(forged, anchors)
    assert [c.name for c in verdict.failed] == ["signer"]
    assert "retired" in verdict.failed[0].detail
    done = run_published_script(published, forged)
    assert done.returncode == 1 and "FAILED: signer: the key was retired" in done.stdout, done.stdout


def test_another_judges_key_cannot_sign_for_this_judge(court_with_two_judges, tmp_path, planted, env) -> None:
    closed, sealed = court_with_two_judges
    service = closed.service
    judge2 = next(k for k in _keys(service) if k.fingerprint == service.sealing_key(closed.court.tokens["judge2"]))
    published = closed.published()
    import shutil

    forged = tmp_path / "forged" / sealed.path.name
    shutil.copytree(sealed.path, forged)
    payload, marker = planted
    (forged / "bag/data/model/model.joblib").write_bytes(payload)  # and the forger's own model
    forge(forged, unlock_private_key(judge2.encrypted_private_key.encode(), "judge2's passphrase"),
          judge2.public_pem.encode(), closed.tsa)  # fmt: skip
    verdict = verify_pack(forged, TrustAnchors.from_published(published))
    signer = next(c for c in verdict.checks if c.name == "signer")
    assert signer.ok is False and "is judge2's (judge), but the statement names 'judge'" in signer.detail
    done = run_published_script(published, forged)
    assert done.returncode == 1 and "FAILED: signer: the key is judge2's" in done.stdout, done.stdout
    # With only the key list and the TSA root, and no docket: refused, and replay never runs the forger's model.
    trust = ["--sealers", str(published / "sealers.tsv"), "--tsa-root", str(published / "tsa-root.pem")]
    verified = run(["verify", str(forged), *trust], env)
    assert verified.returncode == 1 and "signer" in verified.stdout
    replayed = run(["replay", str(forged), *trust], env)
    assert replayed.returncode == 3 and "did not verify" in replayed.stderr
    with pytest.raises(UnverifiedPackError):
        replay_pack(forged, TrustAnchors.from_published(published))
    assert not marker.exists()


def test_a_pack_another_judge_signs_in_their_own_name_is_caught_by_the_docket(court_with_two_judges,
                                                                              tmp_path) -> None:  # fmt: skip
    """A sealer of the court who forges in their own name signs validly; only the court's docket tells."""
    closed, sealed = court_with_two_judges
    service = closed.service
    judge2 = next(k for k in _keys(service) if k.fingerprint == service.sealing_key(closed.court.tokens["judge2"]))
    import shutil

    forged = tmp_path / "forged" / sealed.path.name
    shutil.copytree(sealed.path, forged)
    forge(forged, unlock_private_key(judge2.encrypted_private_key.encode(), "judge2's passphrase"),
          judge2.public_pem.encode(), closed.tsa, username="judge2")  # fmt: skip
    published = closed.published()
    verdict = verify_pack(forged, TrustAnchors.from_published(published), service.docket(closed.judge))
    assert [c.name for c in verdict.failed] == ["docket"] and "not in the court's docket" in verdict.failed[0].detail
    done = run_published_script(published, forged)
    assert done.returncode == 1 and "FAILED: docket" in done.stdout, done.stdout


def test_one_malformed_entry_of_the_key_list_never_fails_a_genuine_pack(sealed_court, tmp_path) -> None:
    tsv = (sealed_court.published / "sealers.tsv").read_text()
    broken = (
        tsv
        + "not\ta\tvalid\tline\n"
        + "f" * 64
        + "\tjudge9\tjudge\t2026-01-01T00:00:00Z\t-\tno\tsealers/ffff.pub.pem\n"
    )
    published = sealed_court.published_copy(tmp_path, **{"sealers.tsv": broken.encode()})
    (published / "sealers/ffff.pub.pem").write_text("-----BEGIN PUBLIC KEY-----\nnot a key\n-----END PUBLIC KEY-----\n")
    anchors = TrustAnchors.from_published(published)
    assert len(anchors.set_aside) == 2
    verdict = verify_pack(sealed_court.sealed.path, anchors)
    assert verdict.ok
    assert (
        "2 unreadable entries of the key list set aside" in next(c for c in verdict.checks if c.name == "signer").detail
    )
    done = run_published_script(published, sealed_court.sealed.path)
    assert done.returncode == 0, done.stdout
