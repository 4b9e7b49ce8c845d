from __future__ import annotations

import pytest

from sentencing.canonical import canonical_json, sha256_bytes
from sentencing.errors import OperationInputError
from sentencing.i18n import Label
from sentencing.operations import Operation, OperationContext, default_registry


def test_kernel_operations_are_registered() -> None:
    assert default_registry().names() == ("examine", "guideline", "predict")


def test_running_twice_gives_the_same_digest(small_adapter, bundled_cases) -> None:
    registry = default_registry()
    context = OperationContext(model=small_adapter, seed=3)
    for name in registry.names():
        first = registry.run(name, bundled_cases[0], {}, context)
        second = registry.run(name, bundled_cases[0], {}, context)
        assert first.result_sha256 == second.result_sha256 == sha256_bytes(canonical_json(first.result))
        assert first.model_sha256 == small_adapter.identity.sha256 and first.seed == 3
        assert first.to_dict()["case_sha256"] == second.to_dict()["case_sha256"]


def test_digests_differ_exactly_when_results_differ(small_adapter, bundled_cases) -> None:
    registry = default_registry()
    context = OperationContext(model=small_adapter)
    examined = {registry.run("examine", c, {}, context).result_sha256 for c in bundled_cases}
    assert len(examined) == len(bundled_cases)
    outcomes = [registry.run("predict", c, {}, context) for c in bundled_cases]
    for a in outcomes:
        for b in outcomes:
            assert (a.result_sha256 == b.result_sha256) == (a.result == b.result)


SENTENCING = frozenset({"sentencing"})


def test_unknown_operation_and_parameters_are_refused(small_adapter, bundled_cases) -> None:
    registry = default_registry()
    context = OperationContext(model=small_adapter)
    with pytest.raises(OperationInputError, match="no such operation"):
        registry.run("whatif", bundled_cases[0], {}, context)
    with pytest.raises(OperationInputError, match="unknown parameter"):
        registry.run("predict", bundled_cases[0], {"threshold": 36}, context)
    with pytest.raises(ValueError, match="already registered"):
        registry.register(Operation("predict", "2", lambda c, p, x: None, Label("x", "y"), frozenset(), SENTENCING))
    with pytest.raises(ValueError, match="kinds"):  # every operation names the kinds it answers for
        registry.register(Operation("nothing", "1", lambda c, p, x: None, Label("x", "y"), frozenset(), frozenset()))
    with pytest.raises(ValueError, match="kinds"):
        registry.register(Operation("parole", "1", lambda c, p, x: None, Label("x", "y"), frozenset(),
                                    frozenset({"parole_hearing"})))  # fmt: skip


def test_parameters_must_be_json(small_adapter, bundled_cases) -> None:
    registry = default_registry()
    registry.register(Operation("echo", "1", lambda c, p, x: dict(p), Label("回显", "echo"), frozenset({"value"}),
                                 SENTENCING))  # fmt: skip
    context = OperationContext(model=small_adapter)
    assert registry.run("echo", bundled_cases[0], {"value": [1, "a"]}, context).result == {"value": [1, "a"]}
    with pytest.raises(OperationInputError, match="JSON"):
        registry.run("echo", bundled_cases[0], {"value": float("nan")}, context)
