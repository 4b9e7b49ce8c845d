"""Item 14: malformed input of every kind, through every command that reads it: no traceback, no hang, no silent
acceptance; one bounded line that names the file or field and the rule.

The red team ran 288 malformed case files × commands (43 tracebacks, 12 hangs, 17 wrongly accepted). Here:
malformed case files (and files that are not files) × every command that reads a case, then malformed
arguments, packs, archives, published keys, dockets and appellate parameters. Each runs ``voirdire``'s
``main`` in this process under an alarm, so a hang fails the test instead of stalling the suite.
"""

from __future__ import annotations

import contextlib
import copy
import gzip
import io
import json
import os
import signal
import tarfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cli import main
from tests.conftest import BASE_DOCUMENT

HANG_SECONDS = 60
MAX_LINE = 1200


class _HungError(Exception):
    pass


@contextlib.contextmanager
def _alarm(seconds: int) -> Iterator[None]:
    def ring(signum: int, frame: Any) -> None:
        raise _HungError(f"no answer within {seconds} s")

    previous = signal.signal(signal.SIGALRM, ring)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def voirdire(argv: list[str], capsys) -> tuple[int, str, str]:
    capsys.readouterr()
    with _alarm(HANG_SECONDS):
        try:
            code = main(argv)
        except SystemExit as exited:  # argparse's refusals (one line: cli.arguments.OneLineParser)
            code = int(exited.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def assert_clean_refusal(result: tuple[int, str, str], codes: tuple[int, ...] = (2,)) -> None:
    code, out, err = result
    assert "Traceback" not in out + err
    assert code in codes, (code, out[-500:], err[-500:])
    line = err.strip()
    assert line and "\n" not in line, err[:2000]
    assert len(line) <= MAX_LINE, f"{len(line)} characters: {line[:200]}…"
    assert line.startswith("voirdire: "), line[:200]


def _document(**changes: Any) -> dict[str, Any]:
    document = copy.deepcopy(BASE_DOCUMENT)
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(document.get(key), dict):
            document[key].update(value)
        else:
            document[key] = value
    return document


def _json(**changes: Any) -> bytes:
    return json.dumps(_document(**changes), ensure_ascii=False).encode("utf-8")


def _with_raw_amount(literal: str) -> bytes:
    return _json(facts={"amount_yuan": 11111}).replace(b"11111", literal.encode())


MALFORMED_CASES: dict[str, bytes] = {
    "an array nested 100,000 deep": b"[" * 100_000 + b"]" * 100_000,
    "an object nested 100,000 deep": b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
    "facts nested 70 deep": _json().replace(
        b'"facts": {', b'"facts": {"x": ' + b"[" * 70 + b"1" + b"]" * 70 + b", ", 1
    ),
    "an integer of 10^309": _with_raw_amount("1" + "0" * 309),
    "an integer of 5,000 digits": _with_raw_amount("9" * 5000),
    "a float of 1e400": _with_raw_amount("1e400"),
    "NaN": _with_raw_amount("NaN"),
    "Infinity": _with_raw_amount("-Infinity"),
    "a lone surrogate in the description": _json(description={"zh-CN": "案情", "en": "x"}).replace(
        b'"x"', b'"\\ud800"'
    ),
    "a lone surrogate in a key": _json().replace(b'"facts": {', b'"facts": {"\\udc00": 1, ', 1),
    "a lone surrogate in the case id": _json(case_id="REPLACE").replace(b"REPLACE", b"\\ud83d"),
    "a second amount_yuan": _json().replace(b'"amount_yuan": 12000', b'"amount_yuan": 12000, "amount_yuan": 999999'),
    "a second facts object": _json().replace(b'"circumstances": {}', b'"circumstances": {}, "facts": {}'),
    "a case id ending in a newline": _json(case_id="test-theft\n"),
    "a case id of 10,000 characters": _json(case_id="a" * 10_000),
    "a case id with a slash": _json(case_id="../../etc/passwd"),
    "a field name of a megabyte": _json(facts={"x" * 1_000_000: 1}),
    "a description of 100,000 characters": _json(description={"zh-CN": "案" * 100_000, "en": "x"}),
    "a description that is not bilingual": _json(description="only one language"),
    "not UTF-8": b"\xff\xfe{\x00}",
    "an empty file": b"",
    "only whitespace": b"   \n\t",
    "a JSON array": b"[]",
    "a JSON string": b'"a case"',
    "a JSON number": b"12000",
    "JSON null": b"null",
    "truncated JSON": _json()[:40],
    "trailing garbage": _json() + b"}}",
    "the charge as a number": _json(charge=5),
    "an unknown charge": _json(charge="piracy"),
    "facts as a list": _json(facts=[1, 2]),
    "facts as null": _json(facts=None),
    "the amount as text": _json(facts={"amount_yuan": "12000"}),
    "the amount as true": _json(facts={"amount_yuan": True}),
    "a negative amount": _json(facts={"amount_yuan": -5}),
    "an age of 200": _json(defendant={"age_at_offence": 200}),
    "an age of 1.5": _json(defendant={"age_at_offence": 1.5}),
    "acts of a billion": _json(facts={"acts": 10**9}),
    "an unknown sex": _json(defendant={"sex": "unknown" * 1000}),
    "schema version 99": _json(schema_version="99"),
    "schema version missing": json.dumps({k: v for k, v in _document().items() if k != "schema_version"}).encode(),
    "fixed_by_court not a list": _json(fixed_by_court="amount_yuan"),
    "fixed_by_court naming nothing": _json(fixed_by_court=["no_such_factor"]),
    "surrender beside confession": _json(circumstances={"surrender": True, "confession": "minor"}),
    "below the criminal threshold": _json(facts={"amount_yuan": 10}),
    "a file over the size limit": b'{"pad": "' + b"x" * (17 << 20) + b'"}',
}


def _special(kind: str, tmp_path: Path) -> Path:
    if kind == "a FIFO":
        path = tmp_path / "case.fifo"
        os.mkfifo(path)
        return path
    if kind == "/dev/zero":
        return Path("/dev/zero")
    if kind == "a folder":
        (tmp_path / "folder.json").mkdir()
        return tmp_path / "folder.json"
    return tmp_path / "no-such-case.json"


SPECIAL_FILES = ("a FIFO", "/dev/zero", "a folder", "a missing file")


def _commands(case: Path, out: Path) -> dict[str, list[str]]:
    return {
        "predict": ["predict", str(case)],
        "guideline": ["guideline", str(case)],
        "whatif": ["whatif", str(case), "--set", "surrender=false"],
        "counterfactual": ["counterfactual", str(case), "--below", "5"],
        "sensitivity": ["sensitivity", str(case)],
        "report": ["report", str(case), "--out", str(out), "--format", "json"],
        "batch-predict": ["batch-predict", str(case)],
        "similar": ["similar", str(case)],
        "proposal review": ["proposal", "review", str(case), "--no-model"],
        "risk whatif": ["risk", "whatif", str(case), "--set", "priors_count=0"],
    }


COMMANDS = tuple(_commands(Path("x"), Path("y")))
CASE_MATRIX = [(c, m) for c in COMMANDS for m in (*sorted(MALFORMED_CASES), *SPECIAL_FILES)]


@pytest.mark.parametrize(("command", "malformed"), CASE_MATRIX)
def test_a_malformed_case_file_is_refused_in_one_line_by_every_command(command, malformed, tmp_path, capsys) -> None:
    if malformed in MALFORMED_CASES:
        case = tmp_path / "case.json"
        case.write_bytes(MALFORMED_CASES[malformed])
    else:
        case = _special(malformed, tmp_path)
    out = tmp_path / "report-out"
    assert_clean_refusal(voirdire(_commands(case, out)[command], capsys))
    assert not out.exists()  # nothing half-written


def _bundled(name: str = "theft-non-local-unemployed") -> str:
    return str(Path(__file__).resolve().parents[2] / "sentencing/data/cases" / f"{name}.json")


def _text(name: str = "theft-indictment") -> str:
    return str(Path(__file__).resolve().parents[2] / "sentencing/data/texts" / f"{name}.txt")


BAD_ARGUMENTS: dict[str, tuple[list[str], tuple[int, ...]]] = {
    "--seed -1": (["counterfactual", _bundled(), "--below", "5", "--seed", "-1"], (2,)),
    "--seed 2^64": (["report", _bundled(), "--out", "/tmp/never", "--seed", str(2**64)], (2,)),
    "--seed 1e3": (["report", _bundled(), "--out", "/tmp/never", "--seed", "1e3"], (2,)),
    "--threshold inf": (["sensitivity", _bundled(), "--threshold", "inf"], (2,)),
    "--threshold nan": (["sensitivity", _bundled(), "--threshold", "nan"], (2,)),
    "--threshold -1": (["sensitivity", _bundled(), "--threshold", "-1"], (2,)),
    "--threshold of 10 KB": (["sensitivity", _bundled(), "--threshold", "9" * 10_000], (2,)),
    "--below -5": (["counterfactual", _bundled(), "--below", "-5"], (2,)),
    "--below inf": (["counterfactual", _bundled(), "--below", "inf"], (2,)),
    "--below zero": (["counterfactual", _bundled(), "--below", "0"], (2,)),
    "--range 5 nan": (["counterfactual", _bundled(), "--range", "5", "nan"], (2,)),
    "--range 20 10": (["counterfactual", _bundled(), "--range", "20", "10"], (2,)),
    "--answers 0": (["counterfactual", _bundled(), "--below", "5", "--answers", "0"], (2,)),
    "--max-changes 99": (["counterfactual", _bundled(), "--below", "5", "--max-changes", "99"], (2,)),
    "--set without =": (["whatif", _bundled(), "--set", "surrender"], (2,)),
    "--set an unknown factor": (["whatif", _bundled(), "--set", "x" * 5000 + "=1"], (2,)),
    "--set amount 1e999": (["whatif", _bundled(), "--set", "amount_yuan=1e999"], (2,)),
    "--dispute without versions": (["whatif", _bundled(), "--dispute", "surrender"], (2,)),
    "--lang klingon": (["demo", "--lang", "tlh"], (2,)),
    "--model http://[::1": (["predict", _bundled(), "--model", "http://[::1"], (3,)),
    "--model /dev/zero": (["predict", _bundled(), "--model", "/dev/zero"], (3,)),
    "--model a folder without a model": (["predict", _bundled(), "--model", "/tmp"], (3,)),
    "--model-sha256 not hex": (["predict", _bundled(), "--model-sha256", "xyz"], (2,)),
    "--jurisdiction-file /dev/zero": (["guideline", _bundled(), "--jurisdiction-file", "/dev/zero"], (2, 4)),
    "--port 99999": (["hearing", "--port", "99999"], (2,)),
    "--chunk-rows 0": (["audit", "--data", "/dev/null", "--chunk-rows", "0"], (2,)),
    "--workers 0": (["audit", "--data", "/dev/null", "--workers", "0"], (2,)),
    "audit --data /dev/zero": (["audit", "--data", "/dev/zero"], (2,)),
    "an unknown command": (["no-such-command"], (2,)),
    "an unknown option of 100 KB": (["predict", _bundled(), "--" + "x" * 100_000], (2,)),
    "user-add ../x": (["user-add", "../x", "--role", "clerk", "--password-env", "HOME"], (2,)),
    "user-add a name with a newline": (["user-add", "clerk\n", "--role", "clerk", "--password-env", "HOME"], (2,)),
    "user-add /abs/name": (["user-add", "/abs/name", "--role", "clerk", "--password-env", "HOME"], (2,)),
    "read /dev/zero": (["read", "/dev/zero"], (2,)),
    "read a folder": (["read", "/tmp"], (2,)),
    "read --text with no Chinese": (["read", "--text", "abc" * 1000], (2,)),
    "read --text of 300,000 characters": (["read", "--text", "盗" * 300_000], (2,)),
    "read a file and --text": (["read", _text(), "--text", "盗窃"], (2,)),
    "read --confirmation /dev/zero": (
        ["read", _text(), "--confirmation", "/dev/zero", "--out", "/tmp/never.json"],
        (2,),
    ),
    "read --out without a confirmation": (["read", _text(), "--out", "/tmp/never.json"], (2,)),
    "read --charge piracy": (["read", _text(), "--charge", "piracy"], (2,)),
    "similar --index /dev/zero": (["similar", _bundled(), "--index", "/dev/zero"], (2,)),
    "similar --index not an index": (["similar", _bundled(), "--index", _bundled()], (2,)),
    "similar -k 0": (["similar", _bundled(), "-k", "0"], (2,)),
    "similar-index --judgments /dev/zero": (
        ["similar-index", "--judgments", "/dev/zero", "--out", "/tmp/never.npz"],
        (2,),
    ),
    "proposal review --proposal /dev/zero": (
        ["proposal", "review", _bundled(), "--proposal", "/dev/zero", "--no-model"],
        (2,),
    ),
    "proposal review --proposal a case file": (
        ["proposal", "review", _bundled(), "--proposal", _bundled(), "--no-model"],
        (2,),
    ),
    "proposal review with no proposal": (["proposal", "review", _bundled(), "--no-model"], (2,)),
    "proposal review twice the proposal": (
        ["proposal", "review", _bundled("theft-plea-proposal"), "--proposal", _bundled(), "--no-model"],
        (2,),
    ),
    "proposal review --max-changes 9": (
        ["proposal", "review", _bundled("theft-plea-proposal"), "--smallest-change", "--max-changes", "9"],
        (2,),
    ),
    "report --practice not an index": (
        ["report", _bundled(), "--tier", "deep", "--practice", _bundled(), "--out", "/tmp/never"],
        (2,),
    ),
}


@pytest.mark.parametrize("name", sorted(BAD_ARGUMENTS))
def test_a_malformed_argument_is_refused_in_one_line(name, tmp_path, capsys, monkeypatch) -> None:
    argv, codes = BAD_ARGUMENTS[name]
    monkeypatch.setenv("VOIRDIRE_HOME", str(tmp_path / "home"))  # a fresh, empty store and model folder
    assert_clean_refusal(voirdire(argv, capsys), codes)


def test_argparse_errors_are_one_line_too(capsys) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["counterfactual", _bundled(), "--below", "x" * 10_000])
    err = capsys.readouterr().err
    assert exited.value.code == 2 and err.count("\n") == 1 and len(err) <= MAX_LINE and "usage" not in err


# --- packs, archives, published keys, dockets, appellate parameters ----------------------------------------
def _tar(path: Path, members: list[tuple[str, bytes | None]], *, compress: str = "") -> Path:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for name, data in members:
            info = tarfile.TarInfo(name)
            if data is None:
                info.type = tarfile.DIRTYPE
                tar.addfile(info)
            else:
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
    raw = buffer.getvalue()
    path.write_bytes(gzip.compress(raw) if compress == "gz" else raw)
    return path


def _pack_archive(sealed_court, tmp_path: Path, kind: str) -> Path:
    from evidence_pack import export_archive

    archive, _ = export_archive(sealed_court.sealed.path, tmp_path / "pack.tar")
    data = archive.read_bytes()
    if kind == "tar.gz":
        target = tmp_path / "pack.tar.gz"
        target.write_bytes(gzip.compress(data)[:-40])  # its CRC and length cut off
    elif kind == "tar.bz2":
        import bz2

        target = tmp_path / "pack.tar.bz2"
        compressed = bytearray(bz2.compress(data))
        compressed[len(compressed) // 2] ^= 0xFF
        target.write_bytes(bytes(compressed))
    elif kind == "tar.xz":
        import lzma

        target = tmp_path / "pack.tar.xz"
        compressed = lzma.compress(data)  # cut at half its own length: a third of the tar's was once past its end
        target.write_bytes(compressed[: len(compressed) // 2])
    else:  # a tar cut at a member boundary: without its end marker it once read as a shorter pack
        with tarfile.open(archive) as tar:
            members = tar.getmembers()
        cut = members[len(members) // 2].offset
        target = tmp_path / "pack-cut.tar"
        target.write_bytes(data[:cut])
    return target


PACK_INPUTS = (
    "/dev/zero",
    "a FIFO",
    "a folder that is no pack",
    "tar.gz",
    "tar.bz2",
    "tar.xz",
    "tar cut short",
    "a member both file and folder",
    "a member given twice",
    "an empty tar",
    "a file under a file",
)


@pytest.mark.parametrize("kind", PACK_INPUTS)
@pytest.mark.parametrize("command", ["verify", "replay"])
def test_a_malformed_pack_is_refused_in_one_line(sealed_court, tmp_path, capsys, kind, command) -> None:
    if kind == "/dev/zero":
        pack = Path("/dev/zero")
    elif kind == "a FIFO":
        pack = tmp_path / "pack.fifo"
        os.mkfifo(pack)
    elif kind == "a folder that is no pack":
        pack = tmp_path / "folder"
        pack.mkdir()
        (pack / "hello.txt").write_text("hello")
    elif kind.startswith("tar") and kind != "tar cut short":
        pack = _pack_archive(sealed_court, tmp_path, kind)
    elif kind == "tar cut short":
        pack = _pack_archive(sealed_court, tmp_path, "cut")
    elif kind == "a member both file and folder":
        pack = _tar(tmp_path / "both.tar", [("p/x", b"file"), ("p/x", None)])
    elif kind == "a member given twice":
        pack = _tar(tmp_path / "twice.tar", [("p/x", b"one"), ("p/x", b"two")])
    elif kind == "a file under a file":
        pack = _tar(tmp_path / "under.tar", [("p/x", b"file"), ("p/x/y", b"under")])
    else:
        pack = _tar(tmp_path / "empty.tar", [])
    result = voirdire([command, str(pack), "--published", str(sealed_court.published)], capsys)
    code, out, err = result
    if kind == "a folder that is no pack":  # a folder is read as a pack and refused by its checks: exit 1 or 3
        assert "Traceback" not in out + err and code == (1 if command == "verify" else 3), (code, out, err)
        return
    assert_clean_refusal(result)


def test_one_malformed_published_key_never_fails_a_genuine_pack(sealed_court, tmp_path, capsys) -> None:
    published = sealed_court.published_copy(tmp_path)
    key = next((published / "sealers").iterdir())
    (published / "sealers.tsv").write_text((published / "sealers.tsv").read_text() + "garbage\tline\n")
    (published / "sealers" / "ffffffffffffffff.pub.pem").write_text("-----BEGIN PUBLIC KEY-----\nbad\n")
    assert key.is_file()
    code, out, err = voirdire(["verify", str(sealed_court.sealed.path), "--published", str(published)], capsys)
    assert code == 0 and "set aside" in out, (out, err)


@pytest.mark.parametrize("docket", ["nested", "duplicate key", "a FIFO", "not a docket", "an entry of the wrong shape"])
def test_a_malformed_docket_or_key_list_is_refused_in_one_line(sealed_court, tmp_path, capsys, docket) -> None:
    path = tmp_path / "docket.json"
    if docket == "a FIFO":
        os.mkfifo(path)
    else:
        path.write_bytes({"nested": b"[" * 5000 + b"]" * 5000, "duplicate key": b'{"packs": [], "packs": []}',
                          "not a docket": b'{"hello": 1}',
                          "an entry of the wrong shape": b'{"packs": [{"case_id": 5}]}'}[docket])  # fmt: skip
    result = voirdire(["verify", str(sealed_court.sealed.path), "--published", str(sealed_court.published),
                       "--docket", str(path)], capsys)  # fmt: skip
    assert_clean_refusal(result)
    fifo_keys = tmp_path / "sealers.tsv"
    if not fifo_keys.exists():
        os.mkfifo(fifo_keys)
    assert_clean_refusal(voirdire(["verify", str(sealed_court.sealed.path), "--sealers", str(fifo_keys)], capsys))


APPEAL_PARAMETERS = {
    "a list": ("whatif", "[]"),
    "changes of the wrong shape": ("whatif", '{"changes": 5}'),
    "a change that is no value": ("whatif", '{"changes": {"surrender": "maybe"}}'),
    "an unknown parameter": ("whatif", '{"changes": {}, "evil": 1}'),
    "a target bound as text": ("counterfactual", '{"target": {"high": "six"}}'),
    "a target with an unknown key": ("counterfactual", '{"target": {"high": 6, "x": 1}}'),
    "answers of a billion": ("counterfactual", '{"target": {"high": 6}, "answers": 1000000000}'),
    "answers as true": ("counterfactual", '{"target": {"high": 6}, "answers": true}'),
    "a threshold as text": ("sensitivity", '{"threshold_months": "half"}'),
    "a threshold of 1e999": ("sensitivity", '{"threshold_months": 1e999}'),
    "nested 100,000 deep": ("whatif", '{"changes": ' + "[" * 100_000 + "]" * 100_000 + "}"),
    "a duplicate key": ("whatif", '{"changes": {}, "changes": {"surrender": false}}'),
    "a report tier that is no tier": ("report", '{"tier": "secret"}'),
    "an unknown operation": ("no_such_operation", "{}"),
    "an operation of the other kind of case": ("risk_whatif", '{"changes": {"priors_count": 0}}'),
}


@pytest.mark.parametrize("name", sorted(APPEAL_PARAMETERS))
def test_appellate_parameters_of_the_wrong_shape_are_refused_in_one_line(sealed_court, tmp_path, capsys,
                                                                         name) -> None:  # fmt: skip
    operation, parameters = APPEAL_PARAMETERS[name]
    record = tmp_path / "appeal.jsonl"
    result = voirdire(["appeal", str(sealed_court.sealed.path), "--published", str(sealed_court.published),
                       "--record", str(record), "--party", "appeal", "--operation", operation,
                       "--parameters", parameters], capsys)  # fmt: skip
    assert_clean_refusal(result)
    assert not record.exists() or record.read_text() == ""  # a refused query never joins the record


def test_an_appellate_party_name_with_a_newline_is_refused(sealed_court, tmp_path, capsys) -> None:
    result = voirdire(["appeal", str(sealed_court.sealed.path), "--published", str(sealed_court.published),
                       "--record", str(tmp_path / "a.jsonl"), "--party", "appeal\nforged line",
                       "--operation", "predict"], capsys)  # fmt: skip
    assert_clean_refusal(result)


def test_report_writes_all_of_its_files_or_none(tmp_path, capsys, monkeypatch, env) -> None:
    import explain_tiers.render as render

    monkeypatch.setenv("VOIRDIRE_HOME", env["VOIRDIRE_HOME"])
    out = tmp_path / "report"
    out.mkdir()
    (out / "report.json").write_text("the earlier report")

    def broken_pdf(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(render, "pdf_with_json", broken_pdf)
    code, _, err = voirdire(["report", _bundled(), "--out", str(out)], capsys)
    assert code == 5 and "No space left on device" in err
    assert sorted(p.name for p in out.iterdir()) == ["report.json"]  # no html beside an old json
    assert (out / "report.json").read_text() == "the earlier report"
    file_out = tmp_path / "a-file"
    file_out.write_text("x")
    assert_clean_refusal(voirdire(["report", _bundled(), "--out", str(file_out), "--format", "json"], capsys))
    assert file_out.read_text() == "x"


def test_the_matrix_is_the_size_the_closing_note_reports() -> None:
    tried = len(CASE_MATRIX) + len(BAD_ARGUMENTS) + 2 * len(PACK_INPUTS) + 5 * 2 + len(APPEAL_PARAMETERS) + 3
    assert len(CASE_MATRIX) >= 288 and tried >= 420


@pytest.mark.parametrize(
    "argv",
    [
        ["user-add", "clerk", "--role", "clerk"],  # the first user's own password
        ["user-add", "prosecutor", "--role", "prosecution", "--password-env", "PW", "--as", "clerk"],  # the clerk's
        ["publish", "--as", "clerk", "--out", "published"],
        ["key-create", "--as", "judge"],
    ],
    ids=["user-add", "user-add --as", "publish", "key-create"],
)
def test_a_secret_asked_with_no_terminal_is_one_line_naming_the_variable(argv, tmp_path, capsys, monkeypatch) -> None:
    """With no terminal, getpass echoes a warning and dies with EOFError; a script must be told what to set."""
    monkeypatch.setenv("VOIRDIRE_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("PW", "a-long-password")
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    if argv[0] != "user-add" or "--as" in argv:
        monkeypatch.setenv("VOIRDIRE_AS_PASSWORD", "a-long-password")
        assert main(["user-add", "clerk", "--role", "clerk", "--password-env", "PW"]) == 0
        assert main(["user-add", "judge", "--role", "judge", "--password-env", "PW", "--as", "clerk"]) == 0
    for variable in ("VOIRDIRE_AS_PASSWORD", "VOIRDIRE_PASSPHRASE"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.chdir(tmp_path)
    result = voirdire(argv, capsys)
    assert_clean_refusal(result)
    assert "no terminal" in result[2] and ("--password-env" in result[2] or "VOIRDIRE_AS_PASSWORD" in result[2])
