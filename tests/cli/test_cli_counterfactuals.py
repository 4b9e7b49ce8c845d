"""whatif, counterfactual and sensitivity as counsel types them."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.runner import envelope_result, run
from tests.conftest import bundled_case_paths

CASES = {p.stem: str(p) for p in bundled_case_paths()}
THEFT, BURGLARY, FRAUD = (
    CASES["theft-non-local-unemployed"],
    CASES["theft-burglary-recidivist"],
    CASES["fraud-telecom-accessory"],
)


def test_whatif_on_a_disputed_fact(env) -> None:
    result = run(["whatif", THEFT, "--dispute", "restitution=yes,no"], env)
    assert result.returncode == 0, result.stderr
    assert "return of proceeds (restitution): yes → no" in result.stdout and "As charged" in result.stdout
    zh = run(["whatif", THEFT, "--set", "surrender=false", "--lang", "zh-CN"], env)
    assert zh.returncode == 0 and "自首: 是 → 否" in zh.stdout


def test_whatif_json(env) -> None:
    result = run(["whatif", BURGLARY, "--set", "restitution=true", "--set", "acts=1", "--json"], env)
    body = envelope_result(result)
    assert body["schema_version"] == "1.0"
    assert {c["factor"] for c in body["scenarios"][0]["changes"]} == {"restitution", "acts"}


def test_whatif_refusals_exit_2_with_one_line(env) -> None:
    for args, needle in [
        (["--set", "amount_yuan=1000"], "fixed_by_court"),
        (["--set", "acts=0"], "out_of_range"),
        (["--set", "confession=ordinary"], "contradiction"),
        (["--set", "surrender"], "FACTOR=VALUE"),
        (["--dispute", "restitution=yes"], "FACTOR=VERSION1,VERSION2"),
        ([], "--set"),
    ]:
        result = run(["whatif", THEFT, *args], env)
        assert result.returncode == 2, (args, result.stderr)
        assert (
            needle in result.stderr
            and len(result.stderr.strip().splitlines()) == 1
            and "Traceback" not in result.stderr
        )


def test_counterfactual_below_a_line(env) -> None:
    result = run(["counterfactual", BURGLARY, "--below", "36"], env)
    assert result.returncode == 0, result.stderr
    assert "Smallest number of changes: 1 (proven" in result.stdout
    body = envelope_result(run(["counterfactual", BURGLARY, "--below", "36", "--json"], env))
    assert body["minimal_size"] == 1 and body["proven_minimal"] and len(body["answers"]) == 3
    assert all(a["recommended_months"] < 36 for a in body["answers"])


def test_counterfactual_with_dice(env) -> None:
    result = run(
        ["counterfactual", BURGLARY, "--below", "36", "--method", "dice-random", "--json"],
        env,
    )
    assert result.returncode == 0, result.stderr
    body = envelope_result(result)
    assert body["method"] == "dice-random" and body["proven_minimal"] is False


def test_counterfactual_refusals(env, tmp_path: Path) -> None:
    no_band = run(["counterfactual", BURGLARY, "--band", "Low"], env)
    assert no_band.returncode == 2 and "declares no such band" in no_band.stderr
    backwards = run(["counterfactual", BURGLARY, "--range", "20", "10"], env)
    assert backwards.returncode == 2 and "lower bound" in backwards.stderr
    assert run(["counterfactual", BURGLARY], env).returncode == 2


def test_sensitivity(env) -> None:
    result = run(["sensitivity", FRAUD], env)
    assert result.returncode == 0, result.stderr
    assert "household registration (hukou)" in result.stdout and "Criminal Law art. 4" in result.stdout
    body = envelope_result(run(["sensitivity", FRAUD, "--json", "--threshold", "100", "--threshold-share", "1"], env))
    assert body["findings"] == [] and body["threshold_months"] == 100  # neither 100 months nor the whole term
    shares = envelope_result(run(["sensitivity", FRAUD, "--json", "--threshold", "100", "--threshold-share", "0.001"],
                                 env))  # fmt: skip
    assert {f["factor"] for f in shares["findings"]} >= {"household_registration"}  # a share of the term counts too


def test_report_standard_and_deep(env, tmp_path: Path) -> None:
    standard = run(["report", THEFT, "--out", str(tmp_path / "std"), "--lang", "zh-CN"], env)
    assert standard.returncode == 0, standard.stderr
    assert {p.name for p in (tmp_path / "std").iterdir()} == {"report.json", "report.zh-CN.html", "report.zh-CN.pdf"}
    body = json.loads((tmp_path / "std" / "report.json").read_text(encoding="utf-8"))
    assert body["tier"] == "standard"
    deep = run(["report", BURGLARY, "--tier", "deep", "--out", str(tmp_path / "deep"), "--format", "json",
                "--dispute", "recidivist,confession"], env)  # fmt: skip
    assert deep.returncode == 0, deep.stderr
    body = json.loads((tmp_path / "deep" / "report.json").read_text(encoding="utf-8"))
    assert body["deep"]["disputed_factors"] == ["recidivist", "confession"]


def test_report_refusals(env, tmp_path: Path) -> None:
    bad_format = run(["report", THEFT, "--out", str(tmp_path), "--format", "docx"], env)
    assert bad_format.returncode == 2 and "--format" in bad_format.stderr
    bad_dispute = run(
        ["report", THEFT, "--tier", "deep", "--out", str(tmp_path), "--dispute", "blood_alcohol_mg_per_100ml"], env
    )
    assert bad_dispute.returncode == 2 and "blood_alcohol_mg_per_100ml" in bad_dispute.stderr
    assert not list(tmp_path.iterdir())
