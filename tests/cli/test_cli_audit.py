"""`voirdire data compas` and `voirdire audit-scores` as a user runs them."""

from __future__ import annotations

from tests.cli.runner import envelope_result, run


def test_audit_scores_in_both_languages_and_as_json(env, compas_csv) -> None:
    english = run(["audit-scores", "--data", str(compas_csv)], env)
    assert english.returncode == 0, english.stderr
    assert "days_b_screening_arrest <= 30: removed 591, remaining 6623" in english.stdout
    assert "Disparate false positives" in english.stdout and "Asian *" in english.stdout
    chinese = run(["audit-scores", "--data", str(compas_csv), "--lang", "zh-CN"], env)
    assert (
        "假阳性率" in chinese.stdout
        and "差别误判" in chinese.stdout
        and "非裔美国人（African-American）" in chinese.stdout
    )
    body = envelope_result(run(["audit-scores", "--data", str(compas_csv), "--json", "--group", "sex"], env))
    assert body["rows"] == 6172 and {g["group"] for g in body["groups"]} == {"Female", "Male"}
    assert body["filter"][-1]["remaining"] == 6172 and body["schema_version"] == "1.0"


def test_data_compas_refuses_a_file_that_is_not_the_published_one(env, tmp_path, compas_csv) -> None:
    edited = tmp_path / "edited.csv"
    edited.write_bytes(compas_csv.read_bytes()[:-10])
    home = {**env, "VOIRDIRE_HOME": str(tmp_path / "home")}
    refused = run(["data", "compas", "--from", str(edited)], home)
    assert refused.returncode == 2 and "neither the published upstream file" in refused.stderr
    assert not (tmp_path / "home" / "data").exists()
    accepted = run(["data", "compas", "--from", str(compas_csv)], home)
    assert accepted.returncode == 0 and "7214 defendants" in accepted.stdout


def test_audit_command_streams_a_case_file_with_a_progress_bar(env, tmp_path) -> None:
    from pathlib import Path

    judgments = Path(env["VOIRDIRE_HOME"]) / "reference-model" / "training-data" / "judgments.csv"
    english = run(["audit", "--data", str(judgments), "--chunk-rows", "700"], env)
    assert english.returncode == 0, english.stderr
    assert "Controlled flip tests" in english.stdout and "Coverage:" in english.stdout
    assert "audit:" in english.stderr and "cases" in english.stderr  # the progress bar, on standard error
    chinese = run(["audit", "--data", str(judgments), "--lang", "zh-CN", "--no-progress", "--json"], env)
    body = envelope_result(chinese)
    assert body["rows"] == 3000 and body["coverage"]["covered"] == 1.0 and chinese.stderr == ""
    missing = run(["audit", "--data", str(tmp_path / "none.csv")], env)
    assert missing.returncode == 2 and "none.csv" in missing.stderr and "Traceback" not in missing.stderr
