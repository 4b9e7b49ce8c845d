"""The command line's framework: every error has its exit code, every --json its envelope, every question its kind."""

from __future__ import annotations

import json

import pytest

import sentencing.errors as errors
from cli.framework import (
    EXIT_CONFIGURATION,
    EXIT_DEFECT,
    EXIT_INPUT,
    EXIT_MODEL,
    EXIT_STORAGE,
    command_registry,
    exit_code_of,
    run_command,
)
from cli.main import build_parser
from sentencing.operations import OperationContext
from tests.cli.runner import envelope_result, run
from tests.sentencing.test_risk import PERSON


def _subclasses(kind: type) -> set[type]:
    out = set()
    for sub in kind.__subclasses__():
        out |= {sub} | _subclasses(sub)
    return out


def test_every_error_of_the_tree_has_its_exit_code() -> None:
    expected = {
        errors.InputError: EXIT_INPUT, errors.AuthenticationError: EXIT_INPUT, errors.AccessDeniedError: EXIT_INPUT,
        errors.HearingStateError: EXIT_INPUT, errors.ModelError: EXIT_MODEL, errors.IntegrityError: EXIT_MODEL,
        errors.UnverifiedPackError: EXIT_MODEL, errors.ExplanationUnavailableError: EXIT_MODEL,
        errors.ConfigurationError: EXIT_CONFIGURATION, errors.SchemaValidationError: EXIT_CONFIGURATION,
        errors.StorageError: EXIT_STORAGE,
    }  # fmt: skip
    tree = _subclasses(errors.VoirdireError)
    assert set(expected) <= tree
    for kind in tree:
        code = next(c for base, c in expected.items() if issubclass(kind, base))
        assert exit_code_of(kind.__new__(kind)) == code, kind.__name__
    assert exit_code_of(ValueError("a defect")) == EXIT_DEFECT


def test_a_defect_is_one_line_and_exit_70_never_a_traceback(capsys) -> None:
    args = build_parser().parse_args(["cases"])

    def broken(_: object) -> int:
        raise KeyError("a bug")

    args.run = broken
    assert run_command(args) == EXIT_DEFECT
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "internal error: KeyError" in err and "Traceback" not in err


def test_whatif_on_a_risk_case_goes_through_the_kinds_operation_and_its_envelope_replays(
    env, compas_surrogate, tmp_path
) -> None:
    """`voirdire whatif` (not only the `risk` alias) takes a risk case; the envelope holds what a hearing records."""
    case = tmp_path / "person.json"
    case.write_text(json.dumps(PERSON), encoding="utf-8")
    done = run(["whatif", str(case), "--set", "priors_count=0", "--model", str(compas_surrogate), "--json"], env)
    assert done.returncode == 0, done.stderr
    body = json.loads(done.stdout)
    assert body["command"] == "whatif" and body["kind"] == "risk_assessment"
    assert body["operation"]["operation"] == "risk_whatif" and body["operation"]["parameters"] == {
        "changes": {"priors_count": 0}
    }
    from sentencing.kinds import parse_case_document
    from sentencing.models import load_model

    again = command_registry().run(
        "risk_whatif", parse_case_document(PERSON), {"changes": {"priors_count": 0}},
        OperationContext(load_model(str(compas_surrogate))),
    )  # fmt: skip
    assert again.result_sha256 == body["operation"]["result_sha256"] and again.result == body["result"]


@pytest.mark.parametrize(
    ("argv", "command"),
    [
        (["predict", "{case}"], "predict"),
        (["guideline", "{case}"], "guideline"),
        (["sensitivity", "{case}"], "sensitivity"),
        (["counterfactual", "{case}", "--below", "5"], "counterfactual"),
        (["batch-predict", "{case}"], "batch-predict"),
        (["demo"], "demo"),
    ],
)
def test_every_json_answer_is_the_one_envelope(env, argv, command) -> None:
    from tests.conftest import bundled_case_paths

    case = str(bundled_case_paths()[-1])
    done = run([a.replace("{case}", case) for a in argv] + ["--json"], env)
    assert done.returncode == 0, done.stderr
    envelope_result(done, command)


def test_the_report_tier_defaults_to_standard_for_either_kind() -> None:
    parser = build_parser()
    assert parser.parse_args(["report", "c.json", "--out", "x"]).tier == "standard"
    assert parser.parse_args(["risk", "report", "c.json", "--out", "x"]).tier == "standard"
    assert parser.parse_args(["risk", "report", "c.json", "--out", "x", "--surrogate", "s"]).model == "s"
