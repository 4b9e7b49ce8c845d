"""The counterfactual queries as replayable operations (see ``sentencing.operations``).

Parameters are plain JSON so that the hearing record can store them and replay can pass them back:

- ``whatif``: ``{"changes": {factor: value, ...}}``
- ``disputed_fact``: ``{"factor": f, "versions": [v1, v2, ...]}``
- ``counterfactual``: ``{"target": {"low", "high", "high_inclusive", "label"}, "answers": 3,
  "max_changes": 3, "method": "exact" | "dice-random" | "dice-genetic"}``
- ``sensitivity``: ``{"threshold_months": 0.5, "threshold_share": 0.05}`` (a move at either is a finding)

The seed comes from the operation context. The exact search does not draw random numbers; dice-ml
does, seeded.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from counterfactuals.search import Target, find_minimal_changes
from counterfactuals.sensitivity import DEFAULT_THRESHOLD_SHARE, probe_irrelevant_factors
from counterfactuals.whatif import ask_disputed_fact, ask_what_if
from sentencing.case import Case
from sentencing.errors import OperationInputError
from sentencing.excerpts import excerpt
from sentencing.i18n import Label
from sentencing.operations import (
    Answer,
    Operation,
    OperationContext,
    OperationRegistry,
    number_parameter,
    whole_number_parameter,
)

__all__ = ["SEARCH_METHODS", "QuestionOperations", "register_counterfactual_operations"]

SEARCH_METHODS = ("exact", "dice-random", "dice-genetic")


def _whatif(case: Case, parameters: Mapping[str, Any], context: OperationContext) -> Any:
    changes = parameters.get("changes")
    if not isinstance(changes, dict):
        raise OperationInputError("whatif", "'changes' must be an object {factor: value}")
    result = ask_what_if(case, context.answering, changes, jurisdiction=context.jurisdiction)
    return Answer(result, result.to_dict())


def _disputed(case: Case, parameters: Mapping[str, Any], context: OperationContext) -> Any:
    factor, versions = parameters.get("factor"), parameters.get("versions")
    if not isinstance(factor, str) or not isinstance(versions, list):
        raise OperationInputError("disputed_fact", "needs 'factor' (text) and 'versions' (a list)")
    result = ask_disputed_fact(case, context.answering, factor, versions, jurisdiction=context.jurisdiction)
    return Answer(result, result.to_dict())


def _counterfactual(case: Case, parameters: Mapping[str, Any], context: OperationContext) -> Any:
    raw_target = parameters.get("target")
    if not isinstance(raw_target, dict):
        raise OperationInputError("counterfactual", "'target' must be an object")
    target = Target.from_dict(raw_target)
    method = parameters.get("method", "exact")
    answers = whole_number_parameter("counterfactual", parameters, "answers", 3, 1, 20)
    if method == "exact":
        max_changes = whole_number_parameter("counterfactual", parameters, "max_changes", 3, 1, 5)
        result = find_minimal_changes(
            case, context.answering, target, answers=answers, max_changes=max_changes,
            jurisdiction=context.jurisdiction, seed=context.seed,
        )  # fmt: skip
    elif method in ("dice-random", "dice-genetic"):
        from counterfactuals.dice_search import find_with_dice

        result = find_with_dice(
            case, context.answering, target, method=method.removeprefix("dice-"), answers=answers, seed=context.seed,
            jurisdiction=context.jurisdiction,
        )  # fmt: skip
    else:
        raise OperationInputError("counterfactual", f"method {excerpt(method)}: one of {', '.join(SEARCH_METHODS)}")
    body = result.to_dict()
    # Timings differ run to run; a replayed result must not.
    body["notes"] = [n for n in body["notes"] if " ran " not in n]
    return Answer(result, body)


def _sensitivity(case: Case, parameters: Mapping[str, Any], context: OperationContext) -> Any:
    threshold = number_parameter("sensitivity", parameters, "threshold_months", 0.5, 0.0, 600.0)
    share = number_parameter("sensitivity", parameters, "threshold_share", DEFAULT_THRESHOLD_SHARE, 0.0, 1.0)
    result = probe_irrelevant_factors(
        case, context.answering, threshold_months=threshold, threshold_share=share, jurisdiction=context.jurisdiction
    )
    return Answer(result, result.to_dict())


@dataclass(frozen=True)
class QuestionOperations:
    """Which registered operation answers each of counsel's questions for one kind of case.

    Attached to each kind (``registry.kinds``), so that ``voirdire whatif`` and the app's what-if page
    ask the same question of either kind without asking which kind they hold.
    """

    examine: str  # the model's answer with what the court sets beside it
    whatif: str
    search: str
    sensitivity: str
    disputed: str | None  # every version of one disputed fact, when the kind has that operation


def register_counterfactual_operations(registry: OperationRegistry) -> None:
    sentencing = frozenset({Case.kind})
    registry.register(
        Operation("whatif", "2", _whatif, Label("假设查询", "what-if"), frozenset({"changes"}), sentencing)
    )
    registry.register(
        Operation(
            "disputed_fact", "2", _disputed, Label("争议事实的不同版本", "disputed fact, every version"),
            frozenset({"factor", "versions"}), sentencing,
        )
    )  # fmt: skip
    registry.register(
        Operation(
            "counterfactual", "2", _counterfactual, Label("最小改变搜索", "minimal-change search"),
            frozenset({"target", "answers", "max_changes", "method"}), sentencing,
        )
    )  # fmt: skip
    registry.register(
        Operation(
            "sensitivity", "2", _sensitivity, Label("法律无关因素敏感性", "legally irrelevant factor sensitivity"),
            frozenset({"threshold_months", "threshold_share"}), sentencing,
        )
    )  # fmt: skip
    questions = QuestionOperations("examine", "whatif", "counterfactual", "sensitivity", "disputed_fact")
    registry.kinds.attach(Case.kind, QuestionOperations, questions)
