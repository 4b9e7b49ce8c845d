"""Item 4: sealing checks the timestamp reply before sealing, never leaves a pack the docket does not know,
and leaves nothing behind after a kill -9 or a full disk (the next seal cleans up, without a traceback)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from evidence_pack import LocalTimestampAuthority, verify_pack
from hearing.settings import settings_from_environment
from hearing.store import PackRecord, make_engine, migrate
from sentencing.errors import ConfigurationError, StorageError
from tests.evidence_pack.conftest import PASSPHRASE, closed_court
from tests.hearing.store_fixtures import PASSWORD


class _GarbageAuthority:
    """A timestamp authority that answers with bytes that are not a token (or with another authority's token)."""

    def __init__(self, reply: bytes | None, root: Path, other: LocalTimestampAuthority | None = None) -> None:
        self._reply, self._root, self._other = reply, root, other

    @property
    def name(self) -> str:
        return "a broken TSA"

    @property
    def root_pem(self) -> Path:
        return self._root

    def stamp(self, query: bytes) -> bytes:
        return self._other.stamp(query) if self._other else (self._reply or b"")


@pytest.fixture
def closed(engine, small_model, tmp_path):
    return closed_court(engine, small_model.folder, tmp_path)


def _nothing_sealed(closed, destination: Path) -> None:
    assert not destination.exists() or [p.name for p in destination.iterdir()] == []
    assert closed.service.docket(closed.judge).entries == ()
    assert closed.service.hearing_state(closed.judge, closed.court.hearing_id) == "closed"


@pytest.mark.parametrize("reply", ["garbage", "another authority's token"])
def test_a_timestamp_reply_is_checked_before_it_is_sealed(closed, tmp_path, reply) -> None:
    """A garbage reply once became the docket's current version and made the court's good pack 'superseded'."""
    other = LocalTimestampAuthority.create(tmp_path / "other-tsa", "another TSA") if reply != "garbage" else None
    authority = _GarbageAuthority(b"\x30\x03\x02\x01\x00" if other is None else None, closed.tsa.root_pem, other)
    destination = tmp_path / "packs"
    with pytest.raises(ConfigurationError, match="timestamp reply was refused"):
        closed.seal(destination, authority=authority)
    _nothing_sealed(closed, destination)
    sealed = closed.seal(destination)  # the court's own TSA: version 1, and current
    assert sealed.version == 1 and verify_pack(sealed.path, closed.anchors(), closed.service.docket(closed.judge)).ok


def test_a_failed_docket_write_removes_the_signed_pack(closed, tmp_path, monkeypatch) -> None:
    """Only a clash was handled before: any other failure of the write left an orphan the hearing could never
    be sealed over again."""
    destination = tmp_path / "packs"
    commit = Session.commit

    def failing_commit(self: Session) -> None:
        if any(isinstance(row, PackRecord) for row in self.new):
            raise OperationalError("INSERT INTO packs", {}, Exception("disk I/O error"))
        commit(self)

    with monkeypatch.context() as patch:
        patch.setattr(Session, "commit", failing_commit)
        with pytest.raises(OperationalError, match="disk I/O error"):
            closed.seal(destination)
    _nothing_sealed(closed, destination)
    assert closed.seal(destination).version == 1  # and the hearing can be sealed


_KILLED_SEAL = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    import evidence_pack.seal as seal
    from sqlmodel import Session
    from evidence_pack import LocalTimestampAuthority
    from hearing.service import HearingService
    from hearing.settings import settings_from_environment
    from hearing.store import PackRecord, make_engine

    url, tsa, destination, hearing, where = sys.argv[1:6]
    def die(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGKILL)
    if where == "while building":
        seal._write_report = die  # the pack is half-built in its hidden folder
    else:  # the pack is complete and renamed, the docket not yet written
        commit = Session.commit
        Session.commit = lambda self: die() if any(isinstance(r, PackRecord) for r in self.new) else commit(self)
    court = HearingService(make_engine(url), settings_from_environment())
    token = court.login("judge", sys.argv[6])
    court.seal(token, int(hearing), sys.argv[7], Path(destination), authority=LocalTimestampAuthority(Path(tsa)))
    """
)


@pytest.mark.parametrize("where", ["while building", "before the docket knew"])
def test_a_seal_killed_with_sigkill_leaves_nothing_the_next_seal_does_not_clean(small_model, tmp_path,
                                                                                where) -> None:  # fmt: skip
    url = f"sqlite:///{tmp_path / 'court.sqlite'}"
    engine = make_engine(url)
    migrate(engine)
    closed = closed_court(engine, small_model.folder, tmp_path)
    destination = tmp_path / "packs"
    killed = subprocess.run([sys.executable, "-c", _KILLED_SEAL, url, str(closed.tsa.folder), str(destination),
                             str(closed.court.hearing_id), where, PASSWORD, PASSPHRASE],
                            capture_output=True, text=True, timeout=300, check=False)  # fmt: skip
    assert killed.returncode == -9, killed.stderr
    left = sorted(p.name for p in destination.iterdir())
    if where == "while building":
        assert len(left) == 1 and left[0].startswith(".theft-non-local-unemployed_pack-v1.partial-")
    else:
        assert left == ["theft-non-local-unemployed_pack-v1"]
    sealed = closed.seal(destination)
    assert sorted(p.name for p in destination.iterdir()) == ["theft-non-local-unemployed_pack-v1"]
    assert sealed.version == 1 and verify_pack(sealed.path, closed.anchors(), closed.service.docket(closed.judge)).ok


def test_a_full_disk_leaves_no_partial_pack_and_says_so(closed, tmp_path, monkeypatch) -> None:
    """Writing fails part-way (ENOSPC from the model's copy): a storage error, nothing half-written."""
    destination = tmp_path / "packs"

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr(shutil, "copyfile", full)
        with pytest.raises(StorageError, match=r"No space left on device.*nothing was sealed"):
            closed.seal(destination)
    _nothing_sealed(closed, destination)


@pytest.fixture
def small_disk(tmp_path) -> Path:
    """A real 200 KiB file system (tmpfs): too small for a pack. Needs root, as on these machines."""
    mount = tmp_path / "small-disk"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=200k", "tmpfs", str(mount)], capture_output=True,
                          check=False)  # fmt: skip
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here ({done.stderr.decode(errors='replace').strip()})")
    yield mount
    subprocess.run(["umount", str(mount)], check=False)


def test_sealing_onto_a_really_full_disk_is_one_line_and_leaves_nothing(small_model, tmp_path, small_disk,
                                                                        env) -> None:  # fmt: skip
    from tests.cli.runner import run

    home = tmp_path / "home"
    shutil.copytree(Path(env["VOIRDIRE_HOME"]) / "reference-model", home / "reference-model")
    engine = make_engine(f"sqlite:///{home / 'voirdire.sqlite'}")
    migrate(engine)
    closed = closed_court(engine, home / "reference-model", tmp_path)
    court_env = {
        **env,
        "VOIRDIRE_HOME": str(home),
        "VOIRDIRE_AS_PASSWORD": PASSWORD,
        "VOIRDIRE_PASSPHRASE": PASSPHRASE,
        "VOIRDIRE_STORE_KEY_FILE": str(settings_from_environment().store_key_path),
    }  # the store's own key
    shutil.copytree(closed.tsa.folder, home / "tsa")
    sealed = run(["seal", str(closed.court.hearing_id), "--as", "judge", "--out", str(small_disk)], court_env)
    assert sealed.returncode == 5, sealed.stderr
    line = sealed.stderr.strip()
    assert "\n" not in line and "No space left on device" in line and "nothing was sealed" in line
    assert "Traceback" not in sealed.stderr
    assert list(small_disk.iterdir()) == []
