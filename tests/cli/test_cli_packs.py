"""The pack commands as the court uses them: real processes, a real store, the files handed to the appellate court."""

from __future__ import annotations

import io
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest

from hearing.settings import settings_from_environment
from hearing.store import make_engine, migrate
from tests.cli.runner import envelope_result, run
from tests.evidence_pack.conftest import PASSPHRASE, QUERIES, run_hearing
from tests.hearing.store_fixtures import PASSWORD, build_court


@pytest.fixture(scope="module")
def court_home(env, tmp_path_factory) -> dict[str, str]:
    """A court's data home with one closed hearing, a judge with a sealing key, one pack sealed by the CLI."""
    home = tmp_path_factory.mktemp("court-home")
    shutil.copytree(Path(env["VOIRDIRE_HOME"]) / "reference-model", home / "reference-model")
    engine = make_engine(f"sqlite:///{home / 'voirdire.sqlite'}")
    migrate(engine)
    court = build_court(engine, home / "reference-model")
    run_hearing(court, QUERIES[:3])
    engine.dispose()
    court_env = {
        **env,
        "VOIRDIRE_HOME": str(home),
        "VOIRDIRE_AS_PASSWORD": PASSWORD,
        "VOIRDIRE_PASSPHRASE": PASSPHRASE,
        "VOIRDIRE_STORE_KEY_FILE": str(settings_from_environment().store_key_path),
    }  # the key the store was made with
    created = run(["key-create", "--as", "judge"], court_env)
    assert created.returncode == 0, created.stderr
    refused = run(["seal", str(court.hearing_id), "--as", "judge"], court_env)
    assert refused.returncode == 2 and "awaits the court's approval" in refused.stderr
    approved = run(["key-certify", "judge", "--as", "tech"], court_env)
    assert approved.returncode == 0 and "approved as a sealer's key" in approved.stdout, approved.stderr
    sealed = run(["seal", str(court.hearing_id), "--as", "judge", "--archive"], court_env)
    assert sealed.returncode == 0, sealed.stderr
    published = run(["publish", "--as", "appeal", "--out", str(home / "published")], court_env)
    assert published.returncode == 0, published.stderr
    assert "1 approved sealing key(s), docket of 1 pack(s)" in published.stdout
    assert {p.name for p in (home / "published").iterdir()} == {
        "sealers", "sealers.tsv", "tsa-root.pem", "docket.json", "verify-pack.sh", "verify-pack.sh.sha256",
        "verify-pack.schema-2.sh", "verify-pack.schema-2.sh.sha256"}  # fmt: skip
    return court_env


def _pack(env: dict[str, str]) -> Path:
    return next((Path(env["VOIRDIRE_HOME"]) / "packs").glob("*_pack-v1"))


def test_seal_publish_verify_replay_from_the_command_line(court_home, tmp_path) -> None:
    published = str(Path(court_home["VOIRDIRE_HOME"]) / "published")
    archive = _pack(court_home).with_name(_pack(court_home).name + ".tar")
    checked = subprocess.run(["sha256sum", "-c", archive.name + ".sha256"], cwd=archive.parent, capture_output=True,
                             text=True, check=False)  # fmt: skip
    assert checked.returncode == 0, checked.stdout
    # The appellate court has only the archive and what the court published: no store, no network.
    appellate = {**court_home, "VOIRDIRE_HOME": str(tmp_path / "appellate-home"), "TMPDIR": str(tmp_path / "tmp")}
    (tmp_path / "tmp").mkdir()
    verified = run(["verify", str(archive), "--published", published], appellate)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert verified.stdout.startswith("PACK VERIFIED") and "[OK  ] court docket" in verified.stdout
    assert list((tmp_path / "tmp").iterdir()) == []  # the archive was unpacked only into a removed temporary folder
    assert not (tmp_path / "appellate-home").exists()  # and nothing else was written
    replayed = run(["replay", str(archive), "--published", published], appellate)
    assert replayed.returncode == 0, replayed.stdout + replayed.stderr
    assert "REPLAY REPRODUCED THE RECORD" in replayed.stdout and "exact digest 4" in replayed.stdout
    zh = run(["verify", str(_pack(court_home)), "--published", published, "--lang", "zh-CN"], appellate)
    assert zh.returncode == 0 and zh.stdout.startswith("证据包核验通过") and "庭审记录哈希链" in zh.stdout
    # recordings supplied for a hearing that had no plea negotiation: said, not failed; a file is no folder
    (tmp_path / "recordings").mkdir()
    supplied = run(["verify", str(_pack(court_home)), "--published", published, "--recordings",
                    str(tmp_path / "recordings")], appellate)  # fmt: skip
    assert supplied.returncode == 0 and "the record names no recording" in supplied.stdout
    wrong = run(["verify", str(_pack(court_home)), "--published", published, "--recordings", str(archive)], appellate)
    assert wrong.returncode == 2 and wrong.stderr.count("\n") == 1 and "must be a folder" in wrong.stderr


def test_appeal_adds_a_query_chained_to_the_pack(court_home, tmp_path) -> None:
    published = str(Path(court_home["VOIRDIRE_HOME"]) / "published")
    record = tmp_path / "appeal.jsonl"
    asked = run(["appeal", str(_pack(court_home)), "--published", published, "--record", str(record),
                 "--party", "appeal (appellate_judge)", "--operation", "whatif",
                 "--parameters", '{"changes": {"surrender": false}}'], court_home)  # fmt: skip
    assert asked.returncode == 0, asked.stderr
    assert "entry 1, chained to pack" in asked.stdout and record.is_file()
    bad = run(["appeal", str(_pack(court_home)), "--published", published, "--record", str(record), "--party", "x",
               "--operation", "whatif", "--parameters", "{not json"], court_home)  # fmt: skip
    assert bad.returncode == 2 and "--parameters: not valid JSON" in bad.stderr and "Traceback" not in bad.stderr


def test_a_tampered_pack_fails_with_the_check_named_and_exit_1(court_home, tmp_path) -> None:
    published = str(Path(court_home["VOIRDIRE_HOME"]) / "published")
    pack = tmp_path / _pack(court_home).name
    shutil.copytree(_pack(court_home), pack)
    ruling = pack / "bag/data/hearing/ruling.json"
    ruling.write_bytes(ruling.read_bytes().replace(b'"adopted_months":7.0', b'"adopted_months":7.5'))
    verified = run(["verify", str(pack), "--published", published], court_home)
    assert verified.returncode == 1
    assert verified.stdout.startswith("PACK NOT VERIFIED") and "failed check: BagIt bag" in verified.stdout
    assert "data/hearing/ruling.json" in verified.stdout
    in_chinese = run(["verify", str(pack), "--published", published, "--lang", "zh-CN", "--json"], court_home)
    body = envelope_result(in_chinese)
    bag = next(c for c in body["checks"] if c["check"] == "bag")
    assert body["verified"] is False and bag["meaning"]["zh-CN"] == "有文件在封存后被改动、删除或添加"
    in_chinese = run(["verify", str(pack), "--published", published, "--lang", "zh-CN"], court_home)
    assert in_chinese.stdout.startswith("证据包核验未通过")
    assert "BagIt 完整性: 有文件在封存后被改动、删除或添加 — " in in_chinese.stdout
    replayed = run(["replay", str(pack), "--published", published], court_home)
    assert replayed.returncode == 3 and "did not verify" in replayed.stderr and "Traceback" not in replayed.stderr


@pytest.mark.parametrize("damage", ["no bag", "no seal", "garbage statement", "garbage log", "huge file"])
def test_malformed_packs_get_a_clear_verdict_never_a_traceback(court_home, tmp_path, damage) -> None:
    published = str(Path(court_home["VOIRDIRE_HOME"]) / "published")
    pack = tmp_path / "pack"
    shutil.copytree(_pack(court_home), pack)
    expected = {"no bag": "bag: missing", "no seal": "seal: missing", "garbage statement": "not a DSSE envelope",
                "garbage log": "bag/data/hearing/log.jsonl", "huge file": "too large"}[damage]  # fmt: skip
    if damage == "no bag":
        shutil.rmtree(pack / "bag")
    elif damage == "no seal":
        shutil.rmtree(pack / "seal")
    elif damage == "garbage statement":
        (pack / "seal/statement.json").write_bytes(b"\x00\xff{garbage")
    elif damage == "garbage log":
        (pack / "bag/data/hearing/log.jsonl").write_bytes(b"{{{ not json\n")
    else:
        with (pack / "bag/data/report/huge.bin").open("wb") as handle:
            handle.truncate(3 << 30)  # sparse: 3 GiB that cost nothing on disk
    verified = run(["verify", str(pack), "--published", published], court_home)
    assert verified.returncode == 1, verified.stderr
    assert "Traceback" not in verified.stdout + verified.stderr and expected in verified.stdout


def _tar(path: Path, members: list[tuple[tarfile.TarInfo, bytes]]) -> None:
    with tarfile.open(path, "w") as tar:
        for info, data in members:
            tar.addfile(info, io.BytesIO(data) if data else None)


@pytest.mark.parametrize("kind", ["escape", "absolute", "symlink", "hardlink", "device", "truncated", "not a tar"])
def test_unsafe_or_broken_archives_are_refused_before_anything_is_written(court_home, tmp_path, kind) -> None:
    archive, scratch = tmp_path / "pack.tar", tmp_path / "scratch"
    scratch.mkdir()
    good = tarfile.TarInfo("pack/VERIFY.txt")
    good.size = 2
    if kind == "truncated":
        source = _pack(court_home).with_name(_pack(court_home).name + ".tar")
        archive.write_bytes(source.read_bytes()[: source.stat().st_size // 2])
    elif kind == "not a tar":
        archive.write_bytes(b"this is not an archive" * 100)
    else:
        bad = tarfile.TarInfo({"escape": "pack/../../evil.txt", "absolute": "/tmp/evil.txt"}.get(kind, "pack/evil"))
        if kind in ("escape", "absolute"):
            bad.size = 4
        elif kind == "symlink":
            bad.type, bad.linkname = tarfile.SYMTYPE, "/etc/passwd"
        elif kind == "hardlink":
            bad.type, bad.linkname = tarfile.LNKTYPE, "pack/VERIFY.txt"
        else:
            bad.type = tarfile.CHRTYPE
        _tar(archive, [(good, b"ok"), (bad, b"evil" if bad.size else b"")])
    env = {**court_home, "TMPDIR": str(scratch)}
    verified = run(["verify", str(archive), "--published", str(Path(court_home["VOIRDIRE_HOME"]) / "published")], env)
    assert verified.returncode == 2, verified.stdout + verified.stderr
    assert "Traceback" not in verified.stderr and str(archive) in verified.stderr
    message = {"truncated": "not a complete tar archive", "not a tar": "not a complete tar archive"}.get(
        kind, "nothing extracted"
    )
    assert message in verified.stderr
    assert list(scratch.iterdir()) == [] and not (tmp_path / "evil.txt").exists()
