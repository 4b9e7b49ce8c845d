"""Item 3: a corpus of folder forgeries; `voirdire verify` and the court's published script must both refuse each.

The red team's pass found 6 of 47 folder forgeries on which VERIFY.txt and `voirdire verify` disagreed
(``seal/..planted`` missed by a ``.[!.]*`` glob, an unsigned ``seal/sealer.cert.pem`` accepted when no
court root was set, an empty unlisted folder in ``bag/data/``), and a forged VERIFY.txt that printed
VERIFIED. Every forgery here is made on a fresh copy of one genuine sealed pack.
"""

from __future__ import annotations

import base64
import json
import os
from collections.abc import Callable
from pathlib import Path

import joblib
import pytest
from sklearn.dummy import DummyRegressor

from evidence_pack import create_court_authority, issue_sealer_certificate, verify_pack
from evidence_pack.signing import generate_sealing_key
from tests.evidence_pack.conftest import run_published_script
from tests.evidence_pack.test_faults import flip_same_size, rebag, resign


def _append(relative: str, data: bytes = b"\n") -> Callable[[Path], None]:
    return lambda pack: (pack / relative).write_bytes((pack / relative).read_bytes() + data)


def _write(relative: str, data: bytes) -> Callable[[Path], None]:
    def change(pack: Path) -> None:
        (pack / relative).parent.mkdir(parents=True, exist_ok=True)
        (pack / relative).write_bytes(data)

    return change


def _delete(relative: str) -> Callable[[Path], None]:
    return lambda pack: (pack / relative).unlink()


def _replace(relative: str, old: bytes, new: bytes, *, then_rebag: bool = False) -> Callable[[Path], None]:
    def change(pack: Path) -> None:
        path = pack / relative
        data = path.read_bytes()
        assert old in data, (relative, old)
        path.write_bytes(data.replace(old, new, 1))
        if then_rebag:
            rebag(pack)

    return change


def _empty_folder(relative: str) -> Callable[[Path], None]:
    return lambda pack: (pack / relative).mkdir(parents=True)


def _unsigned_certificate(pack: Path) -> None:
    """A certificate the statement never signed, from a CA of the forger's own (no court root is published)."""
    authority = create_court_authority("a forger's CA", "forger passphrase")
    pem = issue_sealer_certificate(authority, "forger passphrase", (pack / "seal/sealer.pub.pem").read_bytes(),
                                   "judge", "judge")  # fmt: skip
    (pack / "seal/sealer.cert.pem").write_bytes(pem)


def _forged_verify_txt(pack: Path) -> None:
    (pack / "VERIFY.txt").write_text('#!/usr/bin/env bash\necho "OK: everything"\necho "VERIFIED"\n')


def _resigned_verify_txt(tsa):
    """A forger's VERIFY.txt, and the statement re-signed by the forger's key to cover it."""

    def change(pack: Path) -> None:
        _forged_verify_txt(pack)
        envelope = json.loads((pack / "seal/statement.json").read_bytes())
        files = json.loads(base64.b64decode(envelope["payload"]))["predicate"]["files"]
        from sentencing.canonical import sha256_bytes

        resign(pack, tsa, files={**files, "VERIFY.txt": sha256_bytes((pack / "VERIFY.txt").read_bytes())})

    return change


def _swap_model(pack: Path) -> None:
    joblib.dump(DummyRegressor(strategy="constant", constant=1.0).fit([[0.0]], [1.0]),
                pack / "bag/data/model/model.joblib")  # fmt: skip
    rebag(pack)


def _link(relative: str, target: str) -> Callable[[Path], None]:
    return lambda pack: (pack / relative).symlink_to(target)


def _fifo(relative: str) -> Callable[[Path], None]:
    return lambda pack: os.mkfifo(pack / relative)


def _statement_whitespace(pack: Path) -> None:
    path = pack / "seal/statement.json"
    path.write_bytes(path.read_bytes().replace(b'","', b'", "', 1))


def _swap_records(pack: Path) -> None:
    for name in ("log.jsonl", "results.jsonl"):
        path = pack / "bag/data/hearing" / name
        lines = path.read_bytes().splitlines(keepends=True)
        lines[0], lines[1] = lines[1], lines[0]
        path.write_bytes(b"".join(lines))
    rebag(pack)


def _forger_key_only(pack: Path) -> None:
    """The forger's public key put in the pack, the signatures left alone."""
    (pack / "seal/sealer.pub.pem").write_bytes(generate_sealing_key("forger passphrase").public_pem)


def _forgeries(tsa) -> dict[str, Callable[[Path], None]]:
    forgeries: dict[str, Callable[[Path], None]] = {
        # what the red team found the two verifiers disagreeing on
        "seal/..planted": _write("seal/..planted", b"planted"),
        "seal/.hidden": _write("seal/.hidden", b"planted"),
        "unsigned seal/sealer.cert.pem": _unsigned_certificate,
        "empty unlisted folder in bag/data": _empty_folder("bag/data/extra"),
        "empty folder in bag/data/model": _empty_folder("bag/data/model/extra"),
        "forged VERIFY.txt": _forged_verify_txt,
        "forged VERIFY.txt, statement re-signed by a forger": _resigned_verify_txt(tsa),
        "VERIFY.txt appended to": _append("VERIFY.txt", b"echo VERIFIED\n"),
        "VERIFY.txt deleted": _delete("VERIFY.txt"),
        # the top of the pack and seal/
        "an extra file at the top": _write("README.txt", b"read me"),
        "an extra folder at the top": _write("extra/file.txt", b"x"),
        "a file in seal/ with a space in its name": _write("seal/profile.json statement.sig", b"x"),
        "a file name with a newline": _write("seal/a\nb", b"x"),
        "a file name that is not ASCII": _write("bag/data/model/模型.txt", b"x"),
        "a link in the payload": _link("bag/data/case/link.json", "/etc/passwd"),
        "a link replacing seal/": lambda pack: None,  # replaced below (needs the folder moved)
        "a pipe in the bag": _fifo("bag/data/report/pipe"),
        "seal/profile.json edited": _append("seal/profile.json", b" "),
        "seal/profile.json deleted": _delete("seal/profile.json"),
        "seal/statement.json with a space": _statement_whitespace,
        "seal/statement.json deleted": _delete("seal/statement.json"),
        "seal/statement.sig changed": lambda pack: flip_same_size(pack / "seal/statement.sig", 3),
        "seal/statement.tsr changed": lambda pack: flip_same_size(pack / "seal/statement.tsr", 40),
        "seal/statement.tsr garbage": _write("seal/statement.tsr", b"not a timestamp"),
        "seal/statement.tsr.sig changed": lambda pack: flip_same_size(pack / "seal/statement.tsr.sig", 5),
        "seal/tagmanifest signature changed": lambda pack: flip_same_size(pack / "seal/tagmanifest-sha256.txt.sig", 7),
        "the forger's key in seal/sealer.pub.pem": _forger_key_only,
        "re-signed by the forger's key": lambda pack: resign(pack, tsa),
        # the bag
        "a payload byte flipped": lambda pack: flip_same_size(pack / "bag/data/report/report.json", 100),
        "a payload file deleted": _delete("bag/data/provenance/provenance.json"),
        "a payload file added": _write("bag/data/case/extra.json", b"{}"),
        "fetch.txt": _write("bag/fetch.txt", b"https://example.org/x - data/x\n"),
        "bag-info.txt Pack-Version": _replace("bag/bag-info.txt", b"Pack-Version: 1", b"Pack-Version: 2"),
        "bag-info.txt Supersedes": _replace("bag/bag-info.txt", b"Supersedes: none", b"Supersedes: " + b"a" * 64),
        "bag-info.txt Payload-Oxum": _replace("bag/bag-info.txt", b"Payload-Oxum: ", b"Payload-Oxum: 1"),
        "a manifest path leaving the bag": _append("bag/manifest-sha256.txt", b"0" * 64 + b"  ../../outside\n"),
        "tag manifest deleted": _delete("bag/tagmanifest-sha256.txt"),
        "an unlisted tag file": _write("bag/notes.txt", b"notes"),
        # edits made consistent with a fresh bag (only the signature can tell)
        "the ruling's months, re-bagged": _replace(
            "bag/data/hearing/ruling.json", b'"adopted_months":7.0', b'"adopted_months":1.0', then_rebag=True
        ),
        "the case's facts, re-bagged": _replace(
            "bag/data/case/case.json", b'"surrender":true', b'"surrender":false', then_rebag=True
        ),
        "a record entry's party, re-bagged": _replace(
            "bag/data/hearing/log.jsonl", b"defence (defence)", b"judge (judge)", then_rebag=True
        ),
        "a recorded result, re-bagged": _replace("bag/data/hearing/results.jsonl", b"1", b"2", then_rebag=True),
        "two record entries swapped, re-bagged": _swap_records,
        "the log truncated, re-bagged": lambda pack: (
            (pack / "bag/data/hearing/log.jsonl").write_bytes(
                b"".join((pack / "bag/data/hearing/log.jsonl").read_bytes().splitlines(keepends=True)[:-1])
            ),
            rebag(pack),
        ),
        "the model swapped, re-bagged": _swap_model,
        "the model swapped, re-bagged and re-signed by a forger": lambda pack: (_swap_model(pack), resign(pack, tsa)),
        "the report re-written, re-bagged": _replace(
            "bag/data/report/report.json", b'"tier"', b'"Tier"', then_rebag=True
        ),
        "environment edited, re-bagged": _replace("bag/data/environment/packages.txt", b"==", b"===", then_rebag=True),
        "the ruling's months, re-bagged and re-signed by a forger": lambda pack: (
            _replace("bag/data/hearing/ruling.json", b'"adopted_months":7.0', b'"adopted_months":1.0', then_rebag=True)(
                pack
            ),
            resign(pack, tsa),
        ),
    }
    return forgeries


FORGERY_NAMES = sorted(_forgeries(None))


def _link_seal(pack: Path) -> None:
    seal = pack / "seal"
    seal.rename(pack.parent / "elsewhere-seal")
    seal.symlink_to(pack.parent / "elsewhere-seal")


@pytest.mark.parametrize("name", FORGERY_NAMES)
def test_both_verifiers_refuse_every_forgery(sealed_court, tmp_path, name) -> None:
    pack = sealed_court.copy(tmp_path)
    forgery = _link_seal if name == "a link replacing seal/" else _forgeries(sealed_court.tsa)[name]
    forgery(pack)
    verdict = verify_pack(pack, sealed_court.anchors, sealed_court.docket)
    assert not verdict.ok, f"{name}: voirdire verify accepted it"
    done = run_published_script(sealed_court.published, pack)
    assert done.returncode == 1 and "VERIFIED" not in done.stdout.splitlines()[-1:], (name, done.stdout, done.stderr)
    assert any(line.startswith("FAILED: ") for line in done.stdout.splitlines()), (name, done.stdout)


def test_the_corpus_is_the_size_the_closing_note_reports() -> None:
    assert len(FORGERY_NAMES) >= 47
