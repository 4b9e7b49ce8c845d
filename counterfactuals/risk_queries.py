"""Counsel's questions put to a model of a risk instrument: what if, the smallest change, irrelevant factors.

The same three questions as for a sentencing model, answered on the instrument's scale (a score,
the whole score a tool would print, and its class). The model is whatever answers the
``SentencingModel`` protocol for the instrument, in practice the surrogate of a secret tool; every
result carries the model's caveat (``sentencing.risk.model_caveat``) so that no answer of a
surrogate can be read as the vendor's.

- :func:`ask_risk_what_if`: scenarios of changed facts, predicted in one batch with the baseline.
- :func:`find_risk_changes`: the fewest changed facts (of those a party may dispute and the court
  has not fixed) that bring the person into a target class, searched exhaustively on a stated
  grid, so "no change of fewer facts reaches it" is a proof on that grid, not an optimiser's claim.
- :func:`probe_risk_irrelevant`: each legally irrelevant input (race, sex) changed alone.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from counterfactuals.operations import QuestionOperations
from sentencing.catalogue import FactorSpec, FactorType, FactorValue, LegalRole
from sentencing.errors import CaseValidationError, OperationInputError
from sentencing.excerpts import one_line
from sentencing.i18n import Label
from sentencing.models import SentencingModel
from sentencing.operations import (
    Answer,
    Operation,
    OperationContext,
    OperationRegistry,
    number_parameter,
    whole_number_parameter,
)
from sentencing.risk import RISK_CASE_KIND, RiskCase, RiskInstrument, load_instrument, model_caveat, risk_frame

__all__ = [
    "RISK_QUERY_SCHEMA_VERSION",
    "RiskChange",
    "RiskPoint",
    "RiskScenario",
    "RiskSearchAnswer",
    "RiskSearchResult",
    "RiskSensitivity",
    "RiskWhatIf",
    "ask_risk_what_if",
    "find_risk_changes",
    "probe_risk_irrelevant",
    "register_risk_operations",
]

RISK_QUERY_SCHEMA_VERSION = "1.0"
MAX_GRID_ROWS = 2_000_000


@dataclass(frozen=True)
class RiskPoint:
    """One answer on the instrument's scale."""

    score: float
    decile: int
    risk_class: str

    def to_dict(self) -> dict[str, Any]:
        return {"score": round(self.score, 6), "decile": self.decile, "class": self.risk_class}


@dataclass(frozen=True)
class RiskChange:
    factor: str
    before: FactorValue
    after: FactorValue
    disputable: bool

    def to_dict(self) -> dict[str, Any]:
        return {"factor": self.factor, "before": self.before, "after": self.after, "disputable": self.disputable}


def _points(instrument: RiskInstrument, scores: np.ndarray) -> list[RiskPoint]:
    scale = instrument.scale
    out = []
    for score in scores:
        decile = scale.decile(float(score))
        out.append(RiskPoint(float(score), decile, scale.class_of(decile).id))
    return out


def _changes(case: RiskCase, changed: RiskCase, instrument: RiskInstrument) -> tuple[RiskChange, ...]:
    out = []
    if changed.charge != case.charge:
        out.append(RiskChange("charge", case.charge, changed.charge, True))
    for key, value in changed.values:
        if case.value(key) != value:
            out.append(RiskChange(key, case.value(key), value, instrument.factor(key).disputable))
    return tuple(out)


@dataclass(frozen=True)
class RiskScenario:
    label: str
    changes: tuple[RiskChange, ...]
    point: RiskPoint
    delta: float

    @property
    def exploratory(self) -> bool:
        """A change of a fact no party may dispute (race, sex): it tests the model, not the facts."""
        return any(not c.disputable for c in self.changes)

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "changes": [c.to_dict() for c in self.changes], **self.point.to_dict(),
                "delta": round(self.delta, 6), "exploratory": self.exploratory}  # fmt: skip


@dataclass(frozen=True)
class RiskWhatIf:
    case_id: str
    model_sha256: str | None
    caveat: Label | None
    recorded: tuple[int, str] | None
    baseline: RiskPoint
    scenarios: tuple[RiskScenario, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": RISK_QUERY_SCHEMA_VERSION, "case_id": self.case_id, "model_sha256": self.model_sha256,
            "caveat": None if self.caveat is None else self.caveat.to_mapping(),
            "recorded": None if self.recorded is None else {"decile": self.recorded[0], "class": self.recorded[1]},
            "baseline": self.baseline.to_dict(), "scenarios": [s.to_dict() for s in self.scenarios],
        }  # fmt: skip


def _recorded(case: RiskCase) -> tuple[int, str] | None:
    return None if case.recorded is None else (case.recorded.decile, case.recorded.class_id)


def ask_risk_what_if(
    case: RiskCase,
    model: SentencingModel,
    scenarios: Sequence[tuple[str, Mapping[str, FactorValue]]],
    instrument: RiskInstrument | None = None,
) -> RiskWhatIf:
    """Each scenario's facts checked by the case rules, then all predicted in one batch with the baseline."""
    instrument = instrument or load_instrument(case.instrument)
    changed = [case.with_changes(changes, instrument) for _, changes in scenarios]
    points = _points(instrument, model.predict_frame(risk_frame([case, *changed], instrument)))
    baseline = points[0]
    return RiskWhatIf(
        case.case_id, model.identity.sha256, model_caveat(model.card), _recorded(case), baseline,
        tuple(RiskScenario(label, _changes(case, c, instrument), p, p.score - baseline.score)
              for (label, _), c, p in zip(scenarios, changed, points[1:], strict=True)),
    )  # fmt: skip


def _grid(spec: FactorSpec, current: FactorValue) -> tuple[FactorValue, ...]:
    """Every other value a fact can take: each category, or each whole number in the factor's range."""
    if spec.type is FactorType.ENUM:
        return tuple(v for v in spec.values if v != current)
    assert spec.minimum is not None and spec.maximum is not None
    return tuple(v for v in range(int(spec.minimum), int(spec.maximum) + 1) if v != current)


def _distance(spec: FactorSpec | None, before: FactorValue, after: FactorValue) -> float:
    """A category change counts 1; a number's change counts its share of the factor's range."""
    if spec is None or spec.type is FactorType.ENUM:
        return 1.0
    assert spec.minimum is not None and spec.maximum is not None
    return abs(float(after) - float(before)) / (spec.maximum - spec.minimum)


@dataclass(frozen=True)
class RiskSearchAnswer:
    changes: tuple[RiskChange, ...]
    point: RiskPoint
    distance: float

    def to_dict(self) -> dict[str, Any]:
        return {"changes": [c.to_dict() for c in self.changes], **self.point.to_dict(),
                "distance": round(self.distance, 9)}  # fmt: skip


@dataclass(frozen=True)
class RiskSearchResult:
    case_id: str
    model_sha256: str | None
    caveat: Label | None
    target_class: str
    baseline: RiskPoint
    searched: tuple[str, ...]
    max_changes: int
    combinations_tried: int
    fewest_changes: int | None
    answers: tuple[RiskSearchAnswer, ...]
    notes: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": RISK_QUERY_SCHEMA_VERSION, "case_id": self.case_id, "model_sha256": self.model_sha256,
            "caveat": None if self.caveat is None else self.caveat.to_mapping(),
            "target_class": self.target_class, "baseline": self.baseline.to_dict(), "searched": list(self.searched),
            "max_changes": self.max_changes, "combinations_tried": self.combinations_tried,
            "fewest_changes": self.fewest_changes, "answers": [a.to_dict() for a in self.answers],
            "notes": list(self.notes),
        }  # fmt: skip


def find_risk_changes(
    case: RiskCase,
    model: SentencingModel,
    target_class: str,
    *,
    instrument: RiskInstrument | None = None,
    max_changes: int = 2,
    answers: int = 3,
) -> RiskSearchResult:
    """The fewest changes of disputable, unfixed facts that bring the model's class to ``target_class``.

    Every combination of 1, then 2, ... up to ``max_changes`` facts over each fact's whole grid is
    predicted in vectorised batches; the search stops at the first size that reaches the target.
    Among answers of that size the closest (see :func:`_distance`) come first. Answers are
    re-validated by the case rules before they are returned.
    """
    instrument = instrument or load_instrument(case.instrument)
    scale = instrument.scale
    if target_class not in scale.class_ids:
        raise OperationInputError(
            "risk_counterfactual", f"target {target_class!r}: one of {', '.join(scale.class_ids)}"
        )
    if not 1 <= max_changes <= 3 or not 1 <= answers <= 20:
        raise OperationInputError("risk_counterfactual", "max_changes must be 1-3 and answers 1-20")
    target = scale.class_by_id(target_class)
    searchable = ["charge"] if "charge" not in case.fixed_by_court else []
    searchable += [f.id for f in instrument.catalogue.factors if f.disputable and f.id not in case.fixed_by_court]
    specs: dict[str, FactorSpec | None] = {f: None if f == "charge" else instrument.factor(f) for f in searchable}
    grids = {
        f: tuple(c for c in instrument.catalogue.charge_ids if c != case.charge) if f == "charge"
        else _grid(instrument.factor(f), case.value(f))
        for f in searchable
    }  # fmt: skip
    base_frame = risk_frame([case], instrument)
    baseline = _points(instrument, model.predict_frame(base_frame))[0]
    tried, found, notes = 0, [], []
    fewest, stopped = None, False
    for size in range(1, max_changes + 1):
        for combo in itertools.combinations(searchable, size):
            product = list(itertools.product(*(grids[f] for f in combo)))
            if not product:
                continue
            if tried + len(product) > MAX_GRID_ROWS:
                notes.append(
                    f"stopped before {combo}: the grid would exceed {MAX_GRID_ROWS:,} rows; answers of {size} "
                    "change(s) may not be the closest, and no larger change was searched"
                )
                stopped = True
                break
            frame = pd.DataFrame({c: np.repeat(base_frame[c].to_numpy(), len(product)) for c in base_frame.columns})
            for j, factor in enumerate(combo):
                column = [values[j] for values in product]
                spec = specs[factor]
                numeric = spec is not None and spec.type is not FactorType.ENUM
                frame[factor] = np.array(column, dtype=np.float64 if numeric else object)
            tried += len(product)
            points = _points(instrument, model.predict_frame(frame))
            for values, point in zip(product, points, strict=True):
                if target.contains(point.decile):
                    distance = sum(
                        _distance(specs[f], _current(case, f), v) for f, v in zip(combo, values, strict=True)
                    )
                    found.append((distance, combo, values, point))
        if found or stopped:
            fewest = size if found else None
            break
    found.sort(key=lambda item: (item[0], item[1], [str(v) for v in item[2]]))
    results: list[RiskSearchAnswer] = []
    for distance, combo, values, point in found:
        if len(results) == answers:
            break
        try:
            changed = case.with_changes(dict(zip(combo, values, strict=True)), instrument)
        except CaseValidationError:
            continue  # not a lawful set of facts: not an answer, however well it scores
        results.append(RiskSearchAnswer(_changes(case, changed, instrument), point, distance))
    if fewest is None and not stopped:
        notes.append(f"no combination of up to {max_changes} disputable facts reaches {target_class} on this grid")
    return RiskSearchResult(
        case.case_id, model.identity.sha256, model_caveat(model.card), target_class, baseline, tuple(searchable),
        max_changes, tried, fewest, tuple(results), tuple(notes),
    )  # fmt: skip


def _current(case: RiskCase, factor: str) -> FactorValue:
    return case.charge if factor == "charge" else case.value(factor)


@dataclass(frozen=True)
class RiskSensitivity:
    case_id: str
    model_sha256: str | None
    caveat: Label | None
    threshold: float
    baseline: RiskPoint
    probes: tuple[RiskScenario, ...]

    @property
    def flagged(self) -> tuple[RiskScenario, ...]:
        """Probes that move the score by the threshold or more, or change the class."""
        return tuple(
            p for p in self.probes if abs(p.delta) >= self.threshold or p.point.risk_class != self.baseline.risk_class
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": RISK_QUERY_SCHEMA_VERSION, "case_id": self.case_id, "model_sha256": self.model_sha256,
            "caveat": None if self.caveat is None else self.caveat.to_mapping(),
            "threshold": self.threshold, "baseline": self.baseline.to_dict(),
            "probes": [p.to_dict() for p in self.probes], "flagged": [p.label for p in self.flagged],
        }  # fmt: skip


def probe_risk_irrelevant(
    case: RiskCase, model: SentencingModel, *, instrument: RiskInstrument | None = None, threshold: float = 0.5
) -> RiskSensitivity:
    """Each legally irrelevant input changed alone to each of its other values (one batch)."""
    instrument = instrument or load_instrument(case.instrument)
    scenarios = [
        (f"{spec.id}={value}", {spec.id: value})
        for spec in instrument.catalogue.with_role(LegalRole.LEGALLY_IRRELEVANT)
        for value in _grid(spec, case.value(spec.id))
    ]
    result = ask_risk_what_if(case, model, scenarios, instrument)
    return RiskSensitivity(
        case.case_id, result.model_sha256, result.caveat, threshold, result.baseline, result.scenarios
    )


def _predict(case: RiskCase, parameters: Mapping[str, Any], context: OperationContext) -> Any:
    del parameters
    result = ask_risk_what_if(case, context.answering, [])
    body = result.to_dict()
    kept = ("schema_version", "case_id", "model_sha256", "caveat", "recorded", "baseline")
    return Answer(result, {key: body[key] for key in kept})


def _whatif(case: RiskCase, parameters: Mapping[str, Any], context: OperationContext) -> Any:
    changes = parameters.get("changes")
    if not isinstance(changes, dict) or not changes:
        raise OperationInputError("risk_whatif", "'changes' must be a non-empty object {factor: value}")
    label = one_line(", ".join(f"{k}={v}" for k, v in sorted(changes.items())), 200)
    result = ask_risk_what_if(case, context.answering, [(label, changes)])
    return Answer(result, result.to_dict())


def _counterfactual(case: RiskCase, parameters: Mapping[str, Any], context: OperationContext) -> Any:
    target = parameters.get("target_class")
    if not isinstance(target, str):
        raise OperationInputError("risk_counterfactual", "'target_class' must be a class id, e.g. 'Low'")
    result = find_risk_changes(
        case, context.answering, target,
        max_changes=whole_number_parameter("risk_counterfactual", parameters, "max_changes", 2, 1, 3),
        answers=whole_number_parameter("risk_counterfactual", parameters, "answers", 3, 1, 20),
    )  # fmt: skip
    return Answer(result, result.to_dict())


def _sensitivity(case: RiskCase, parameters: Mapping[str, Any], context: OperationContext) -> Any:
    threshold = number_parameter("risk_sensitivity", parameters, "threshold", 0.5, 0.0, 1000.0)
    result = probe_risk_irrelevant(case, context.answering, threshold=threshold)
    return Answer(result, result.to_dict())


def register_risk_operations(registry: OperationRegistry) -> None:
    kinds = frozenset({RISK_CASE_KIND})
    registry.register(
        Operation("risk_predict", "1", _predict, Label("模型风险评分", "model risk score"), frozenset(), kinds)
    )
    registry.register(
        Operation(
            "risk_whatif", "1", _whatif, Label("风险评分假设查询", "risk score what-if"), frozenset({"changes"}), kinds
        )
    )
    registry.register(
        Operation(
            "risk_counterfactual",
            "1",
            _counterfactual,
            Label("达到目标风险等级的最少改变", "fewest changes to reach a risk class"),
            frozenset({"target_class", "max_changes", "answers"}),
            kinds,
        )
    )
    registry.register(
        Operation(
            "risk_sensitivity",
            "1",
            _sensitivity,
            Label("法律无关因素对风险评分的影响", "legally irrelevant factors and the risk score"),
            frozenset({"threshold"}),
            kinds,
        )
    )
    registry.kinds.attach(
        RISK_CASE_KIND, QuestionOperations,
        QuestionOperations("risk_predict", "risk_whatif", "risk_counterfactual", "risk_sensitivity", None),
    )  # fmt: skip
