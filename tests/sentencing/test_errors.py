"""One exception tree with fielded errors: every input error says its field, its rule and the detail."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from sentencing.errors import (
    RULE_NAMES_ZH,
    AccessDeniedError,
    AuthenticationError,
    CaseValidationError,
    HearingStateError,
    InputError,
    InputFileError,
    OperationInputError,
    Rule,
    Violation,
)

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("sentencing", "counterfactuals", "explain_tiers", "evidence_pack", "hearing", "cli")


def test_every_input_error_carries_field_rule_and_detail() -> None:
    error = InputError("--rows 10", Rule.OUT_OF_RANGE, "at least 200")
    assert (error.field, error.rule, error.detail, str(error)) == ("--rows 10", "out_of_range", "at least 200",
                                                                  "--rows 10: at least 200 [out_of_range]")  # fmt: skip
    cases = [
        (InputFileError("case.json", Rule.FILE_NOT_JSON, "line 3"), "case.json", Rule.FILE_NOT_JSON),
        (OperationInputError("whatif", "'changes' must be an object"), "operation 'whatif'", Rule.BAD_PARAMETER),
        (CaseValidationError((Violation("amount_yuan", Rule.OUT_OF_RANGE, "too big"),)), "amount_yuan",
         Rule.OUT_OF_RANGE),
        (AccessDeniedError("defence", "seal a pack"), "role 'defence'", Rule.ACCESS_DENIED),
        (HearingStateError(4, "closed", "the record is closed"), "hearing 4", Rule.HEARING_STATE),
        (AuthenticationError("wrong user name or password"), "log-in", Rule.AUTHENTICATION),
    ]  # fmt: skip
    for error, field, rule in cases:
        assert isinstance(error, InputError) and error.field == field and error.rule == rule, error
    assert str(cases[3][0]) == "role 'defence' may not seal a pack [access_denied]"
    assert str(cases[4][0]) == "hearing 4 is closed: the record is closed [hearing_state]"
    assert str(cases[5][0]) == "wrong user name or password"  # one answer for every failed log-in


def test_every_rule_has_its_chinese_name() -> None:
    assert set(RULE_NAMES_ZH) == set(Rule)


@pytest.mark.parametrize("package", PACKAGES)
def test_no_input_error_is_raised_without_its_field_and_rule(package) -> None:
    """``InputError("free text")`` would lose the field and the rule a clerk and a test key on."""
    for path in sorted((ROOT / package).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "InputError":
                assert len(node.args) + len(node.keywords) == 3, f"{path.relative_to(ROOT)}:{node.lineno}"


def test_errors_cross_processes_with_their_fields() -> None:
    """A worker's error (a pool's, a Dask cluster's) is pickled to the process that shows it: the same class, message
    and fields, though each class's ``__init__`` takes other arguments."""
    import pickle

    from sentencing.errors import (
        CaseValidationError,
        IntegrityError,
        ModelLoadError,
        UnverifiedPackError,
        Violation,
    )

    for error in (
        InputFileError("cases.csv", Rule.WRONG_TYPE, "line 3, column amount_yuan: 'x' is not a number"),
        CaseValidationError((Violation("amount_yuan", Rule.OUT_OF_RANGE, "must be at least 0"),), source="c.json"),
        ModelLoadError("model.joblib", "not a model"),
        IntegrityError("record", "ab" * 32, "cd" * 32),
        UnverifiedPackError("pack.tar", ("seal", "manifest")),
    ):
        again = pickle.loads(pickle.dumps(error))
        assert type(again) is type(error) and str(again) == str(error) and again.__dict__ == error.__dict__
