"""The counterfactual queries as replayable operations: same case, model and seed, same digest."""

from __future__ import annotations

import pytest

from counterfactuals.operations import register_counterfactual_operations
from counterfactuals.search import Target
from sentencing.errors import OperationInputError
from sentencing.operations import OperationContext, default_registry

QUERIES = [
    ("whatif", {"changes": {"restitution": True}}),
    ("disputed_fact", {"factor": "confession", "versions": ["ordinary", "none"]}),
    ("counterfactual", {"target": Target.below(36).to_dict(), "answers": 3}),
    ("counterfactual", {"target": Target.below(36).to_dict(), "answers": 2, "method": "dice-random"}),
    ("sensitivity", {"threshold_months": 0.5}),
    ("sensitivity", {"threshold_months": 0.5, "threshold_share": 0.1}),
]


@pytest.fixture(scope="module")
def registry():
    registry = default_registry()
    register_counterfactual_operations(registry)
    return registry


@pytest.mark.parametrize(("name", "parameters"), QUERIES)
def test_each_query_replays_to_the_same_digest(registry, name, parameters, bundled_cases, small_adapter) -> None:
    case = next(c for c in bundled_cases if c.case_id == "theft-burglary-recidivist")
    context = OperationContext(model=small_adapter, seed=11)
    first = registry.run(name, case, parameters, context)
    second = registry.run(name, case, parameters, context)
    assert first.result_sha256 == second.result_sha256
    assert first.result["schema_version"] == ("1.1" if name == "sensitivity" else "1.0")


def test_bad_parameters_are_named(registry, bundled_cases, small_adapter) -> None:
    context = OperationContext(model=small_adapter)
    with pytest.raises(OperationInputError, match="changes"):
        registry.run("whatif", bundled_cases[0], {"changes": "restitution"}, context)
    with pytest.raises(OperationInputError, match="method"):
        registry.run("counterfactual", bundled_cases[0], {"target": Target.below(3).to_dict(), "method": "x"}, context)
    with pytest.raises(OperationInputError, match="unknown parameter"):
        registry.run("sensitivity", bundled_cases[0], {"threshold": 1}, context)
