"""The BagIt writer: RFC 8493 1.0 bags that bagit.py accepts, made without touching the working directory."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import bagit
import pytest

from evidence_pack.bag import bag_info, make_bag, validate_bag

INFO = {"External-Identifier": "case-1/hearing-1/pack-v1", "Pack-Version": "1", "Supersedes": "none",
        "Bagging-Date": "2026-12-01"}  # fmt: skip


def payload(folder: Path, marker: str) -> Path:
    (folder / "case").mkdir(parents=True)
    (folder / "case" / "case.json").write_text(f'{{"case_id": "{marker}"}}', encoding="utf-8")
    (folder / "report").mkdir()
    (folder / "report" / "report.en.pdf").write_bytes(marker.encode() * 1000)
    (folder / "name with spaces and 中文.txt").write_text(marker, encoding="utf-8")
    return folder


def bagit_cli(folder: Path) -> subprocess.CompletedProcess[str]:
    script = Path(sys.executable).with_name("bagit.py")
    return subprocess.run([sys.executable, str(script), "--validate", str(folder)], capture_output=True, text=True,
                          check=False)  # fmt: skip


def test_the_bag_is_bagit_1_0_with_both_manifests_and_bagit_py_validates_it(tmp_path) -> None:
    folder = payload(tmp_path / "bag", "one")
    make_bag(folder, INFO)
    assert sorted(p.name for p in folder.iterdir()) == [
        "bag-info.txt", "bagit.txt", "data", "manifest-sha256.txt", "manifest-sha512.txt", "tagmanifest-sha256.txt",
        "tagmanifest-sha512.txt"]  # fmt: skip
    assert (folder / "bagit.txt").read_text() == "BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
    bag = bagit.Bag(str(folder))
    assert bag.version_info == (1, 0) and set(bag.algorithms) == {"sha256", "sha512"}
    assert sorted(bag.payload_files()) == ["data/case/case.json", "data/name with spaces and 中文.txt",
                                           "data/report/report.en.pdf"]  # fmt: skip
    sizes = len('{"case_id": "one"}') + len("one" * 1000) + len("one")
    assert bag_info(folder)["Payload-Oxum"] == f"{sizes}.3"
    assert {k: bag_info(folder)[k] for k in INFO} == INFO
    assert validate_bag(folder) == []
    done = bagit_cli(folder)
    assert done.returncode == 0, done.stderr
    tagged = {line.split(" ", 1)[1] for line in (folder / "tagmanifest-sha256.txt").read_text().splitlines()}
    assert tagged == {"bag-info.txt", "bagit.txt", "manifest-sha256.txt", "manifest-sha512.txt"}


def test_a_changed_payload_byte_is_found_by_bagit(tmp_path) -> None:
    folder = payload(tmp_path / "bag", "one")
    make_bag(folder, INFO)
    target = folder / "data/report/report.en.pdf"
    data = bytearray(target.read_bytes())
    data[10] ^= 1
    target.write_bytes(bytes(data))
    assert sorted(validate_bag(folder)) == [
        "data/report/report.en.pdf: its sha256 digest differs from the manifest (the file was changed)",
        "data/report/report.en.pdf: its sha512 digest differs from the manifest (the file was changed)"]  # fmt: skip
    assert bagit_cli(folder).returncode != 0


def test_making_a_bag_never_changes_the_working_directory(tmp_path, monkeypatch) -> None:
    """bagit.make_bag does os.chdir (process-wide); ours must not, even once and back."""

    def refuse(path: object) -> None:
        raise AssertionError(f"os.chdir({path!r}) called while making a bag")

    monkeypatch.setattr(os, "chdir", refuse)
    make_bag(payload(tmp_path / "bag", "one"), INFO)
    assert validate_bag(tmp_path / "bag") == []


def test_bags_made_in_several_threads_at_once_each_hold_only_their_own_files(tmp_path, monkeypatch) -> None:
    """With bagit.make_bag this bagged whatever folder another thread had moved the process into (once, the
    checkout itself), so the test runs in a sacrificial working directory."""
    sandbox = tmp_path / "working-directory"
    (sandbox / "keep").mkdir(parents=True)
    monkeypatch.chdir(sandbox)
    folders = [payload(tmp_path / f"bag-{n}", f"pack-{n}") for n in range(8)]
    barrier = threading.Barrier(len(folders))
    errors: list[BaseException] = []

    def make(folder: Path) -> None:
        try:
            barrier.wait()
            make_bag(folder, INFO)
        except BaseException as error:  # reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=make, args=(f,)) for f in folders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    for n, folder in enumerate(folders):
        assert validate_bag(folder) == [], folder
        assert (folder / "data/case/case.json").read_text() == f'{{"case_id": "pack-{n}"}}'
    assert sorted(p.name for p in sandbox.iterdir()) == ["keep"]


@pytest.mark.parametrize(("info", "rule"), [
    ({"Payload-Oxum": "1.1"}, "computed from the payload"),
    ({"Bad:Label": "x"}, "not a BagIt label"),
    ({"Contact-Name": "two\nlines"}, "a value is one line"),
])  # fmt: skip
def test_bad_bag_info_is_refused_by_name(tmp_path, info, rule) -> None:
    with pytest.raises(ValueError, match=rule):
        make_bag(payload(tmp_path / "bag", "one"), info)


def test_a_link_in_the_payload_is_refused(tmp_path) -> None:
    folder = payload(tmp_path / "bag", "one")
    (folder / "link").symlink_to(folder / "case" / "case.json")
    with pytest.raises(ValueError, match="not a regular file"):
        make_bag(folder, INFO)
