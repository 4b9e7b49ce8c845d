"""``voirdire risk``: what a user sees when something is wrong (each error names the field or file and the rule)."""

from __future__ import annotations

import json
import os

from cli.framework import EXIT_INPUT, EXIT_MODEL
from explain_tiers.points_table_fit import write_points_table
from tests.cli.runner import run
from tests.sentencing.test_risk import PERSON


def test_risk_commands_refuse_bad_input_clearly(compas_fit, tmp_path) -> None:
    env = {**os.environ, "VOIRDIRE_HOME": str(tmp_path / "home"), "VOIRDIRE_LANG": ""}
    case = tmp_path / "case.json"
    case.write_text(json.dumps(PERSON), encoding="utf-8")
    missing = run(["risk", "whatif", str(case), "--set", "priors_count=0"], env)
    assert (
        missing.returncode == EXIT_MODEL
        and "no such surrogate" in missing.stderr
        and "risk surrogate" in missing.stderr
    )
    write_points_table(compas_fit.surrogate, tmp_path / "home" / "risk" / "compas-recidivism-surrogate")
    cases = [
        (["--set", "race=Martian"], "person.race: expected one of Caucasian"),
        (["--set", "priors_count=-2"], "person.priors_count: must be between 0 and 60"),
        (["--set", "priors"], "expected FACTOR=VALUE"),
        (["--set", "age=30", "--vary", "age=30,40"], "give one or the other"),
        ([], "give --set FACTOR=VALUE"),
    ]
    for extra, message in cases:
        done = run(["risk", "whatif", str(case), *extra], env)
        assert done.returncode == EXIT_INPUT and message in done.stderr, (extra, done.stderr)
    search = run(["risk", "search", str(case), "--target", "Lowest"], env)
    assert search.returncode == EXIT_INPUT and "target 'Lowest': one of Low, Medium, High" in search.stderr
    formats = run(["risk", "report", str(case), "--out", str(tmp_path / "out"), "--formats", "json,docx"], env)
    assert (
        formats.returncode == EXIT_INPUT and "--format 'json,docx': a comma list of json, html, pdf" in formats.stderr
    )
    assert not (tmp_path / "out").exists()
    chinese = run(["risk", "whatif", str(case), "--set", "age=12", "--lang", "zh-CN"], env)
    assert chinese.returncode == EXIT_INPUT and "超出有效范围" in chinese.stderr
    case.write_text(json.dumps({**PERSON, "kind": "sentencing"}), encoding="utf-8")
    wrong_kind = run(["risk", "sensitivity", str(case)], env)
    assert wrong_kind.returncode == EXIT_INPUT and "kind: expected 'risk_assessment'" in wrong_kind.stderr


def test_a_sentencing_command_refuses_a_risk_tool_s_surrogate_by_name(env, compas_surrogate) -> None:
    from tests.conftest import bundled_case_paths

    case = str(bundled_case_paths()[0])
    for command in (["predict", case], ["whatif", case, "--set", "surrender=false"], ["sensitivity", case]):
        done = run([*command, "--model", str(compas_surrogate)], env)
        assert done.returncode == EXIT_INPUT, done.stderr
        assert "answers in score, but case" in done.stderr and "[contradiction]" in done.stderr
        assert "Traceback" not in done.stderr
