"""The registry of replayable operations.

Everything a party can ask of the model in a hearing is an :class:`Operation`: a pure function
of (case, parameters, context) whose result is JSON. :meth:`OperationRegistry.run` records the
operation's name and version, the case's digest, the parameters, the model fingerprint and seed
beside the result and its sha256, so that replay (``evidence_pack``) can call the same function
again and compare digests. The registry lives here, low in the stack, so that ``evidence_pack``
can replay without importing ``hearing``; upper packages add their operations with their own
``register_*`` functions (an explicit factory, not import side effects).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sentencing.canonical import canonical_json, sha256_bytes, sha256_json
from sentencing.case import Case
from sentencing.errors import OperationInputError
from sentencing.examination import examine_case
from sentencing.excerpts import excerpt
from sentencing.guideline import derive_sentence
from sentencing.i18n import Label
from sentencing.jurisdiction import Jurisdiction
from sentencing.kinds import KINDS, HeardCase, KindRegistry
from sentencing.models import SentencingModel, predict_cases

__all__ = [
    "Answer",
    "Operation",
    "OperationContext",
    "OperationOutcome",
    "OperationRegistry",
    "default_registry",
    "number_parameter",
    "register_kernel_operations",
    "whole_number_parameter",
]


@dataclass(frozen=True)
class OperationContext:
    """What an operation runs with: the model that answers (None: a hearing on the guideline alone, where only the
    operations marked ``model_free`` run), the seed, the court's jurisdiction."""

    model: SentencingModel | None
    seed: int = 0
    jurisdiction: Jurisdiction | None = None

    @property
    def answering(self) -> SentencingModel:
        """The model, for an operation that asks it (the registry refuses those in a hearing without one)."""
        if self.model is None:
            raise OperationInputError("model", "this hearing has no model: it is heard on the guideline alone")
        return self.model


OperationFunction = Callable[..., Any]  # (case of one of the operation's kinds, parameters, context) -> JSON


@dataclass(frozen=True)
class Operation:
    name: str
    version: str
    function: OperationFunction
    description: Label
    parameters: frozenset[str]
    kinds: frozenset[str]  # the kinds of case it answers for (``sentencing.kinds``)
    statement: bool = False  # a party's statement entered in the record (the plea negotiation), not a query
    model_free: bool = False  # never asks the model: runs in a hearing on the guideline alone


@dataclass(frozen=True)
class Answer:
    """What an operation may return: the typed result (for views in this process) and its JSON (for the record)."""

    value: Any
    body: Any


@dataclass(frozen=True)
class OperationOutcome:
    """One run of one operation, with everything replay needs to run it again and compare.

    ``answer`` is the typed result when the operation returned one (views format it); it is not recorded.
    """

    operation: str
    version: str
    case_id: str
    case_sha256: str
    parameters: Mapping[str, Any]
    model_sha256: str | None
    seed: int
    result: Any
    result_sha256: str
    answer: Any = field(default=None, compare=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "operation": self.operation,
            "version": self.version,
            "case_id": self.case_id,
            "case_sha256": self.case_sha256,
            "parameters": dict(self.parameters),
            "model_sha256": self.model_sha256,
            "seed": self.seed,
            "result": self.result,
            "result_sha256": self.result_sha256,
        }


class OperationRegistry:
    """The operations, and the kinds of case with the parts upper packages attach to them (``kinds``)."""

    def __init__(self, kinds: KindRegistry | None = None) -> None:
        self._operations: dict[str, Operation] = {}
        self.kinds = (kinds or KINDS).without_parts()

    def register(self, operation: Operation) -> None:
        if operation.name in self._operations:
            raise ValueError(f"operation {operation.name!r} is already registered")
        unknown = operation.kinds - set(self.kinds.names())
        if not operation.kinds or unknown:
            raise ValueError(f"operation {operation.name!r}: kinds {sorted(operation.kinds)} (known: "
                             f"{', '.join(self.kinds.names())})")  # fmt: skip
        self._operations[operation.name] = operation

    def names(self) -> tuple[str, ...]:
        return tuple(sorted(self._operations))

    def get(self, name: str) -> Operation:
        try:
            return self._operations[name]
        except KeyError:
            raise OperationInputError(name, f"no such operation; known: {', '.join(self.names())}") from None

    def names_for(self, kind: str) -> tuple[str, ...]:
        """The operations that answer for cases of ``kind``."""
        return tuple(name for name in self.names() if kind in self._operations[name].kinds)

    def queries_for(self, kind: str) -> tuple[str, ...]:
        """The queries a party may put for cases of ``kind``: the operations that are not statements."""
        return tuple(name for name in self.names_for(kind) if not self._operations[name].statement)

    def model_free_for(self, kind: str) -> tuple[str, ...]:
        """The operations for cases of ``kind`` that never ask the model."""
        return tuple(name for name in self.names_for(kind) if self._operations[name].model_free)

    def run(
        self, name: str, case: HeardCase, parameters: Mapping[str, Any], context: OperationContext
    ) -> OperationOutcome:
        operation = self.get(name)
        if case.kind not in operation.kinds:
            raise OperationInputError(
                name, f"answers for {', '.join(sorted(operation.kinds))} cases, not {case.kind}; "
                f"for this case: {', '.join(self.names_for(case.kind))}"
            )  # fmt: skip
        if context.model is None and not operation.model_free:
            raise OperationInputError(
                name, "asks the model, and this hearing has none (heard on the guideline alone); it may ask: "
                f"{', '.join(self.model_free_for(case.kind)) or 'nothing'}"
            )  # fmt: skip
        unknown = set(parameters) - operation.parameters
        if unknown:
            raise OperationInputError(
                name, f"unknown parameter(s) {sorted(unknown)}; takes {sorted(operation.parameters)}"
            )
        try:
            canonical_parameters = json.loads(canonical_json(dict(parameters)))
        except (TypeError, ValueError) as exc:
            raise OperationInputError(name, f"parameters must be JSON values ({exc})") from exc
        raw = operation.function(case, canonical_parameters, context)
        answer = raw.value if isinstance(raw, Answer) else None
        body = canonical_json(raw.body if isinstance(raw, Answer) else raw)
        return OperationOutcome(
            operation=operation.name,
            version=operation.version,
            case_id=case.case_id,
            case_sha256=sha256_json(case.to_document()),
            parameters=canonical_parameters,
            model_sha256=None if context.model is None else context.model.identity.sha256,
            seed=context.seed,
            result=json.loads(body),
            result_sha256=sha256_bytes(body),
            answer=answer,
        )


def whole_number_parameter(operation: str, parameters: Mapping[str, Any], name: str, default: int, low: int,
                           high: int) -> int:  # fmt: skip
    """A whole-number parameter within [low, high], or an :class:`OperationInputError` naming it."""
    value = parameters.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise OperationInputError(operation, f"{name!r} must be a whole number from {low} to {high}, found "
                                  f"{excerpt(value)}")  # fmt: skip
    return value


def number_parameter(operation: str, parameters: Mapping[str, Any], name: str, default: float, low: float,
                     high: float) -> float:  # fmt: skip
    """A finite number parameter within (low, high], or an :class:`OperationInputError` naming it."""
    value = parameters.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or not low < float(value) <= high:
        raise OperationInputError(operation, f"{name!r} must be a number above {low:g} and at most {high:g}, "
                                  f"found {excerpt(value)}")  # fmt: skip
    return float(value)


def _predict(case: Case, parameters: Mapping[str, Any], context: OperationContext) -> Any:
    del parameters
    return {"recommended_months": float(predict_cases(context.answering, [case])[0])}


def _guideline(case: Case, parameters: Mapping[str, Any], context: OperationContext) -> Any:
    del parameters
    derivation = derive_sentence(case, context.jurisdiction)
    return Answer(derivation, derivation.to_dict())


def _examine(case: Case, parameters: Mapping[str, Any], context: OperationContext) -> Any:
    del parameters
    examination = examine_case(case, context.answering, context.jurisdiction)
    return Answer(examination, examination.to_dict())


def register_kernel_operations(registry: OperationRegistry) -> None:
    sentencing, none = frozenset({Case.kind}), frozenset[str]()
    registry.register(
        Operation("predict", "1", _predict, Label("模型建议刑期", "model recommendation"), none, sentencing)
    )
    registry.register(
        Operation(
            "guideline",
            "3",
            _guideline,
            Label("量刑指导意见推导", "guideline derivation"),
            none,
            sentencing,
            model_free=True,
        )
    )
    registry.register(
        Operation(
            "examine",
            "3",
            _examine,
            Label("模型建议与指导意见对照", "recommendation beside the guideline"),
            none,
            sentencing,
        )
    )


def default_registry() -> OperationRegistry:
    """The kernel's operations; packages above add theirs to the registry they are given."""
    registry = OperationRegistry()
    register_kernel_operations(registry)
    return registry
