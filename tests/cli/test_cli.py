"""The command line as a person uses it: real processes, real files, exit codes and one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.cli.runner import ROOT, VOIRDIRE, envelope_result, run
from tests.conftest import bundled_case_paths


def test_demo_prints_the_recommendation_beside_the_guideline(env) -> None:
    result = run(["demo"], env)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Algorithm's recommendation:" in out and "Guideline recommendation: 5.5 months" in out
    assert "starting point" in out and "statutory band: 1.0–36.0 months" in out
    assert "Caution:" in out


def test_demo_in_chinese(env) -> None:
    result = run(["demo", "--lang", "zh-CN"], env)
    assert result.returncode == 0, result.stderr
    assert "算法建议刑期" in result.stdout and "量刑起点" in result.stdout and "自首" in result.stdout


def test_predict_json_for_every_bundled_case(env, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    """Every bundled case through the command's own entry point (one process: a process per case cost 105 s of the
    suite), then the first as a person runs it, as a real process."""
    from cli.main import main

    for name in ("VOIRDIRE_HOME", "VOIRDIRE_LANG", "TQDM_DISABLE"):
        monkeypatch.setenv(name, env[name])
    paths = bundled_case_paths()
    for path in paths:
        code = main(["predict", str(path), "--json"])
        captured = capsys.readouterr()
        assert code == 0, captured.err
        body = json.loads(captured.out)
        assert set(body) == {"schema_version", "command", "kind", "operation", "result"}
        assert body["command"] == "predict"
        result = body["result"]
        assert result["schema_version"] == "1.0" and result["case_id"] == path.stem, path
        assert result["model"]["fingerprint_verified"] is True
        assert result["guideline"]["steps"][0]["kind"] == "starting_point"
    process = run(["predict", str(paths[0]), "--json"], env)
    assert process.returncode == 0, process.stderr
    assert envelope_result(process, "predict")["case_id"] == paths[0].stem


def test_guideline_needs_no_model(tmp_path) -> None:
    env = {**os.environ, "VOIRDIRE_HOME": str(tmp_path / "empty")}
    result = run(["guideline", str(bundled_case_paths()[0])], env)
    assert result.returncode == 0 and "base sentence" in result.stdout


def test_predict_against_a_vendor_endpoint(env, small_adapter) -> None:
    from sentencing.vendor_server import serve_model

    server = serve_model(small_adapter)
    try:
        result = run(["predict", str(bundled_case_paths()[0]), "--model", server.url, "--json"], env)
    finally:
        server.close()
    assert result.returncode == 0, result.stderr
    assert envelope_result(result)["model"]["adapter"] == "http-endpoint"


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        ({"charge": "arson"}, "charge: expected one of"),
        ({"defendant": {"age_at_offence": 9}}, "age_at_offence"),
        ({"facts": {"amount_yuan": -100}}, "amount_yuan"),
        ({"circumstances": {"surrender": True, "confession": "ordinary"}}, "contradiction"),
    ],
)
def test_bad_case_gives_one_line_and_exit_2(env, tmp_path: Path, document, content, needle: str) -> None:
    path = tmp_path / "case.json"
    path.write_text(json.dumps(document(**content)), encoding="utf-8")
    for command in ("predict", "guideline"):
        result = run([command, str(path)], env)
        assert result.returncode == 2, result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and needle in lines[0] and "Traceback" not in result.stderr
        assert str(path) in lines[0]


def test_errors_in_chinese_name_the_field_and_rule(env, tmp_path: Path, document) -> None:
    path = tmp_path / "child.json"
    path.write_text(json.dumps(document(defendant={"age_at_offence": 9})), encoding="utf-8")
    result = run(["predict", str(path), "--lang", "zh-CN"], env)
    assert result.returncode == 2
    line = result.stderr.strip()
    assert "\n" not in line and line.startswith("voirdire: 错误:")
    assert "犯罪时年龄（age_at_offence）：未达刑事责任年龄" in line and "[below_age_of_responsibility]" in line


def test_unreadable_files_and_bad_arguments_exit_2(env, tmp_path: Path) -> None:
    missing = run(["predict", str(tmp_path / "none.json")], env)
    assert missing.returncode == 2 and "no such file" in missing.stderr and "Traceback" not in missing.stderr
    (tmp_path / "bad.json").write_text("{", encoding="utf-8")
    bad = run(["guideline", str(tmp_path / "bad.json")], env)
    assert bad.returncode == 2 and "not valid JSON" in bad.stderr
    assert run(["predict"], env).returncode == 2
    lang = run(["demo", "--lang", "fr"], env)
    assert lang.returncode == 2 and "language" in lang.stderr


def test_model_problems_exit_3(env, tmp_path: Path) -> None:
    result = run(["predict", str(bundled_case_paths()[0]), "--model", str(tmp_path / "absent")], env)
    assert result.returncode == 3 and "build-model" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    unreachable = run(["predict", str(bundled_case_paths()[0]), "--model", "http://127.0.0.1:9"], env)
    assert unreachable.returncode == 3 and "127.0.0.1:9" in unreachable.stderr


def test_a_courts_own_table_is_used_for_validation_and_derivation(env, tmp_path: Path, document) -> None:
    table = json.loads((ROOT / "sentencing/data/jurisdictions/default.json").read_text(encoding="utf-8"))
    table["id"] = "court-x"
    table["charges"]["theft"]["thresholds_yuan"]["large"] = 3000  # the top of the national range
    (tmp_path / "court-x.json").write_text(json.dumps(table, ensure_ascii=False), encoding="utf-8")
    case = document(jurisdiction="court-x", facts={"amount_yuan": 2500})
    (tmp_path / "case.json").write_text(json.dumps(case), encoding="utf-8")
    refused = run(
        ["guideline", str(tmp_path / "case.json"), "--jurisdiction-file", str(tmp_path / "court-x.json")], env
    )
    assert refused.returncode == 2 and "below_criminal_threshold" in refused.stderr and "3,000" in refused.stderr
    case["facts"]["amount_yuan"] = 10000
    (tmp_path / "case.json").write_text(json.dumps(case), encoding="utf-8")
    ok = run(
        ["guideline", str(tmp_path / "case.json"), "--jurisdiction-file", str(tmp_path / "court-x.json"), "--json"], env
    )
    assert ok.returncode == 0, ok.stderr
    body = envelope_result(ok)
    assert (
        body["jurisdiction"] == "court-x" and body["base_months"] == 6 + 3
    )  # increments count from the court's threshold: floor((10000 - 3000) / 2000)
    mismatch = run(
        ["guideline", str(bundled_case_paths()[0]), "--jurisdiction-file", str(tmp_path / "court-x.json")], env
    )
    assert mismatch.returncode == 2 and "court-x" in mismatch.stderr
    table["policy"]["judicial_adjustment_ratio"] = 1.5
    (tmp_path / "broken.json").write_text(json.dumps(table, ensure_ascii=False), encoding="utf-8")
    broken = run(["guideline", str(tmp_path / "case.json"), "--jurisdiction-file", str(tmp_path / "broken.json")], env)
    assert broken.returncode == 4 and "judicial_adjustment_ratio" in broken.stderr


def test_help_is_readable(env) -> None:
    result = run(["--help"], env)
    assert result.returncode == 0
    for command in ("demo", "predict", "guideline", "cases", "build-model"):
        assert command in result.stdout
    assert "Exit codes" in result.stdout


def test_cases_lists_and_shows_bundled_cases(env) -> None:
    listing = run(["cases", "--lang", "zh-CN"], env)
    assert listing.returncode == 0 and "theft-non-local-unemployed" in listing.stdout and "被告人" in listing.stdout
    shown = run(["cases", "--show", "theft-non-local-unemployed"], env)
    assert json.loads(shown.stdout)["charge"] == "theft"
    assert run(["cases", "--show", "nope"], env).returncode == 2


def test_build_model_writes_a_verified_model(tmp_path: Path, env) -> None:
    result = run(["build-model", "--out", str(tmp_path / "m"), "--rows", "600"], env)
    assert result.returncode == 0, result.stderr
    assert "sha256:" in result.stdout and "CAIL2018" in result.stdout
    assert (tmp_path / "m" / "model.joblib").is_file()
    assert run(["build-model", "--rows", "5"], env).returncode == 2


def test_build_model_of_every_crime_reports_its_error_by_crime(tmp_path: Path, env) -> None:
    from sentencing.catalogue import load_catalogue

    result = run(["build-model", "--out", str(tmp_path / "m"), "--rows", "6000"], env)
    assert result.returncode == 0, result.stderr
    card = json.loads((tmp_path / "m" / "model_card.json").read_text(encoding="utf-8"))
    by_charge = card["held_out_error"]["by_group"]["charge"]
    assert set(by_charge) == set(load_catalogue().charge_ids)  # all 23, each with its held-out error
    assert all(row["n"] >= 1 and row["mae_months"] >= 0 for row in by_charge.values())
    assert dict(map(tuple, card["training_data"]["generator"]["charge_shares"]))["rape"] == 0.01
    assert (
        card["estimator"]["hyperparameters"]["target"] == "log_months"
        and "log(1 + months)" in (card["estimator"]["pipeline"])
    )
    four = run(["build-model", "--out", str(tmp_path / "four"), "--rows", "600", "--four-charges"], env)
    assert four.returncode == 0, four.stderr
    card = json.loads((tmp_path / "four" / "model_card.json").read_text(encoding="utf-8"))
    assert set(card["held_out_error"]["by_group"]["charge"]) == {"theft", "fraud", "intentional_injury",
                                                                 "dangerous_driving"}  # fmt: skip


def test_serve_model_answers_as_a_vendor_would(env) -> None:
    import signal
    import urllib.request

    # A job started in the background of a non-interactive shell inherits SIGINT ignored, and Python then keeps it
    # ignored: the server is given the default back, so that the interrupt below stops it wherever the suite runs.
    with subprocess.Popen(
        [*VOIRDIRE, "serve-model", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    ) as process:
        try:
            line = process.stdout.readline() if process.stdout else ""
            assert line.startswith("serving") and "http://127.0.0.1:" in line, line
            url = line.split(" on ")[1].strip().removesuffix("/v1/")
            with urllib.request.urlopen(url + "/v1/card", timeout=10) as response:
                card = json.loads(response.read())
            assert card["artifact"]["sha256"] in line
            result = run(["predict", str(bundled_case_paths()[0]), "--model", url, "--json"], env)
            assert result.returncode == 0, result.stderr
            assert envelope_result(result)["model"]["sha256"] == card["artifact"]["sha256"]
        finally:
            process.send_signal(signal.SIGINT)
            try:
                process.communicate(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()  # never leave the suite waiting on a server that did not stop
                process.communicate()
        assert process.returncode == 0


def test_batch_predict(env) -> None:
    paths = [str(p) for p in bundled_case_paths()]
    result = run(["batch-predict", *paths], env)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert [line.split("\t")[0] for line in lines] == [Path(p).stem for p in paths]
    assert all(float(line.split("\t")[1]) > 0 for line in lines)
    bad = run(["batch-predict", paths[0], "/nonexistent.json"], env)
    assert bad.returncode == 2 and "/nonexistent.json" in bad.stderr
