"""Minimal-change search: the fewest disputable facts that must change for the recommendation to reach a target.

The search is **exact on a stated grid**. The factors it may change are those a party may dispute
(catalogue), that apply to the charge, and that the court has not fixed. Each has a finite set of
alternative values inside its legal range: the other value of a yes/no fact, the other values of
a choice, nearby whole numbers for counts, and for amounts a relative grid plus the legal
breakpoints (the jurisdiction's thresholds, and the value just below each). For k = 1, 2, … the
search predicts **every** combination of k changes in one vectorised batch. The first k at which
a legally valid combination reaches the target is the smallest number of changes on that grid,
and the result says so only when every smaller k was evaluated in full.

Every answer is re-predicted from its validated case (never trusted from the batch), and checked
by the same legal rules as a case file (a contradiction is never an answer). Among the minimal
answers the closest are preferred, then answers that change different factors (diversity).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from counterfactuals.edits import Change, apply_changes
from sentencing.case import Case
from sentencing.catalogue import Catalogue, FactorSpec, FactorType, FactorValue, load_catalogue
from sentencing.drugs import kind_of_factor
from sentencing.errors import CaseValidationError, InputError, Rule
from sentencing.excerpts import excerpt
from sentencing.features import categorical_columns, feature_columns, feature_row
from sentencing.guideline import derive_sentence
from sentencing.jurisdiction import Jurisdiction, load_jurisdiction
from sentencing.models import SentencingModel, predict_cases

__all__ = [
    "SEARCH_SCHEMA_VERSION",
    "Counterfactual",
    "FactorOptions",
    "Rejection",
    "SearchResult",
    "Target",
    "change_combinations",
    "change_distance",
    "find_minimal_changes",
    "search_space",
    "select_diverse",
]

SEARCH_SCHEMA_VERSION = "1.0"
_RELATIVE_GRID = (0.0, 0.25, 0.5, 0.75, 0.9, 1.1, 1.25, 1.5, 2.0)
_COUNT_RADIUS = 5
_BATCH_ROWS = 20_000


@dataclass(frozen=True)
class Target:
    """Where the recommendation must land: ``low <= value`` and ``value < high`` (or ``<=``)."""

    low: float | None
    high: float | None
    high_inclusive: bool
    label: str

    def __post_init__(self) -> None:
        for bound in (self.low, self.high):
            if bound is not None and not math.isfinite(bound):
                raise InputError(f"target {self.label}", Rule.OUT_OF_RANGE, "bounds must be finite numbers")
        if self.low is None and self.high is None:
            raise InputError("target", Rule.MISSING_REQUIRED, "give a maximum, a range or a band")
        if self.low is not None and self.high is not None and self.low > self.high:
            raise InputError(f"target {self.label}", Rule.OUT_OF_RANGE, "the lower bound exceeds the upper")

    @classmethod
    def below(cls, months: float) -> Target:
        return cls(None, float(months), False, f"below {months:g}")

    @classmethod
    def within(cls, low: float, high: float) -> Target:
        return cls(float(low), float(high), True, f"within {low:g}–{high:g}")

    @classmethod
    def band(cls, model: SentencingModel, name: str) -> Target:
        """A risk band the model's card declares (``output.bands: {name: [low, high]}``)."""
        bands = ((model.card or {}).get("output") or {}).get("bands") or {}
        if name not in bands:
            known = ", ".join(bands) or "none"
            raise InputError(
                f"band {name!r}", Rule.NOT_ALLOWED_VALUE, f"the model's card declares no such band (declared: {known})"
            )
        low, high = bands[name]
        return cls(float(low), float(high), True, f"band {name}")

    def reached(self, values: NDArray[np.float64]) -> NDArray[np.bool_]:
        ok = np.ones(values.shape, dtype=bool)
        if self.low is not None:
            ok &= values >= self.low
        if self.high is not None:
            ok &= values <= self.high if self.high_inclusive else values < self.high
        return ok

    def to_dict(self) -> dict[str, Any]:
        return {"low": self.low, "high": self.high, "high_inclusive": self.high_inclusive, "label": self.label}

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> Target:
        """A target from a party's parameters; every bound a number or absent, the label short text."""
        bounds = []
        for name in ("low", "high"):
            value = raw.get(name)
            if value is not None and (isinstance(value, bool) or not isinstance(value, int | float)):
                raise InputError(f"target.{name}", Rule.WRONG_TYPE, f"a number of months, found {excerpt(value)}")
            bounds.append(None if value is None else float(value))
        label = raw.get("label", "target")
        if not isinstance(label, str) or len(label) > 80:
            raise InputError("target.label", Rule.WRONG_TYPE, f"text of at most 80 characters, found {excerpt(label)}")
        unknown = set(raw) - {"low", "high", "high_inclusive", "label"}
        if unknown:
            raise InputError("target", Rule.UNKNOWN_FIELD, f"unknown key(s) {excerpt(sorted(unknown))}")
        return cls(bounds[0], bounds[1], raw.get("high_inclusive") is True, label)


@dataclass(frozen=True)
class FactorOptions:
    factor: str
    current: FactorValue
    values: tuple[FactorValue, ...]


@dataclass(frozen=True)
class Counterfactual:
    changes: tuple[Change, ...]
    case: Case
    recommended_months: float
    guideline_months: float
    distance: float

    @property
    def size(self) -> int:
        return len(self.changes)


@dataclass(frozen=True)
class Rejection:
    """A proposal that was not an answer, and why (for optimisers' proposals; counted, not shown)."""

    changes: tuple[tuple[str, FactorValue], ...]
    reason: str


@dataclass(frozen=True)
class SearchResult:
    case_id: str
    method: str
    target: Target
    baseline_months: float
    answers: tuple[Counterfactual, ...]
    minimal_size: int | None
    proven_minimal: bool
    max_changes: int
    candidates_evaluated: int
    searched_factors: tuple[str, ...]
    model_sha256: str | None
    seed: int
    rejections: tuple[Rejection, ...] = ()
    notes: tuple[str, ...] = field(default=())

    @property
    def proposed(self) -> int:
        return len(self.answers) + len(self.rejections)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": SEARCH_SCHEMA_VERSION,
            "case_id": self.case_id,
            "method": self.method,
            "target": self.target.to_dict(),
            "baseline_months": self.baseline_months,
            "minimal_size": self.minimal_size,
            "proven_minimal": self.proven_minimal,
            "max_changes": self.max_changes,
            "candidates_evaluated": self.candidates_evaluated,
            "searched_factors": list(self.searched_factors),
            "model_sha256": self.model_sha256,
            "seed": self.seed,
            "answers": [
                {
                    "size": a.size,
                    "changes": [{"factor": c.factor, "before": c.before, "after": c.after} for c in a.changes],
                    "recommended_months": a.recommended_months,
                    "guideline_months": a.guideline_months,
                    "distance": a.distance,
                }
                for a in self.answers
            ],
            "rejected": [{"changes": [list(c) for c in r.changes], "reason": r.reason} for r in self.rejections],
            "notes": list(self.notes),
        }


def _numeric_grid(spec: FactorSpec, current: float, jurisdiction: Jurisdiction, charge: str) -> list[float]:
    values = {current * r for r in _RELATIVE_GRID}
    if spec.id == "amount_yuan":
        for _, threshold in jurisdiction.charge_table(charge).thresholds_yuan:
            values |= {threshold, threshold - 1}
    kind = kind_of_factor(spec.id)
    if kind is not None:  # a drug's grams: either side of the kind's 数量较大 and 数量大
        for threshold in (kind.relatively_large_g, kind.large_g):  # the grid keeps whole grams from 10 g up
            values |= {threshold, threshold - 1 if threshold >= 20 else threshold * 0.99}
    table = jurisdiction.charge_table(charge)
    for tier in table.tiers:
        for inc in tier.increments:
            if inc.fact == spec.id and spec.id != "amount_yuan":
                values |= {inc.above + k * inc.unit_size for k in range(4)}
    for condition in table.conditions():  # either side of each line the law draws on the fact (conviction, bands)
        if condition.fact == spec.id and condition.at_least is not None:
            values |= {condition.at_least, condition.at_least - 1}
    assert spec.minimum is not None and spec.maximum is not None
    low, high = spec.minimum, spec.maximum
    grid = sorted({round(v) if spec.type is FactorType.INTEGER or v >= 10 else round(v, 1) for v in values})
    return [v for v in grid if low <= v <= high and v != current]


def search_space(
    case: Case,
    *,
    catalogue: Catalogue | None = None,
    jurisdiction: Jurisdiction | None = None,
    factors: Sequence[str] | None = None,
) -> tuple[FactorOptions, ...]:
    """The factors the search may change and the values it tries for each (see the module text)."""
    catalogue = catalogue or load_catalogue()
    jurisdiction = jurisdiction or load_jurisdiction(case.jurisdiction)
    options = []
    for spec in catalogue.factors_for(case.charge):
        if not spec.disputable or spec.id in case.fixed_by_court or (factors is not None and spec.id not in factors):
            continue
        current = case.value(spec.id)
        values: list[FactorValue]
        if spec.type is FactorType.BOOLEAN:
            values = [not current]
        elif spec.type is FactorType.ENUM:
            values = [v for v in spec.values if v != current]
        elif spec.type is FactorType.INTEGER:
            assert spec.minimum is not None and spec.maximum is not None and isinstance(current, int)
            low = max(int(spec.minimum), current - _COUNT_RADIUS)
            high = min(int(spec.maximum), current + _COUNT_RADIUS)
            values = sorted({*range(low, high + 1), int(spec.minimum)} - {current})
        else:
            assert isinstance(current, int | float)
            values = list(_numeric_grid(spec, float(current), jurisdiction, case.charge))
            values = [int(v) if isinstance(current, int) and float(v).is_integer() else v for v in values]
        if values:
            options.append(FactorOptions(spec.id, current, tuple(values)))
    if factors is not None:
        unknown = set(factors) - {o.factor for o in options}
        if unknown:
            raise InputError(
                f"factors {sorted(unknown)}",
                Rule.NOT_APPLICABLE,
                f"not disputable, not applicable to {case.charge}, or fixed by the court",
            )
    return tuple(options)


def change_combinations(space: Sequence[FactorOptions], size: int) -> list[tuple[tuple[str, FactorValue], ...]]:
    """Every way of changing ``size`` factors of the search space at once, each to one of its grid values."""
    return [
        tuple(zip((o.factor for o in group), values, strict=True))
        for group in itertools.combinations(space, size)
        for values in itertools.product(*(o.values for o in group))
    ]


def change_distance(changes: Sequence[tuple[str, FactorValue, FactorValue]], catalogue: Catalogue) -> float:
    """Proximity of an answer: 1 per changed yes/no or choice; a relative size, at most 1, per number."""
    total = 0.0
    for factor, before, after in changes:
        spec = catalogue.factor(factor)
        if spec.type in (FactorType.INTEGER, FactorType.NUMBER):
            assert isinstance(before, int | float) and isinstance(after, int | float)
            total += min(1.0, abs(float(after) - float(before)) / max(abs(float(before)), 1.0))
        else:
            total += 1.0
    return round(total, 6)


def _encode(spec: FactorSpec, value: FactorValue) -> float | str:
    if spec.type is FactorType.ENUM:
        return str(value)
    if spec.type is FactorType.BOOLEAN:
        return 1.0 if value else 0.0
    assert isinstance(value, int | float)
    return float(value)


def _batch_frame(
    base: Mapping[str, Any], rows: Sequence[Sequence[tuple[str, float | str]]], catalogue: Catalogue
) -> pd.DataFrame:
    """All candidate rows at once: each column starts as the case's value, then takes the changes."""
    n = len(rows)
    categorical = set(categorical_columns(catalogue))
    columns: dict[str, np.ndarray[Any, Any]] = {}
    for column in feature_columns(catalogue):
        if column in categorical:
            columns[column] = np.full(n, base[column], dtype=object)
        else:
            columns[column] = np.full(n, float(base[column]), dtype=np.float64)
    for index, row in enumerate(rows):
        for column, value in row:
            columns[column][index] = value
    return pd.DataFrame(columns, copy=False)


def select_diverse(candidates: Sequence[Counterfactual], count: int) -> list[Counterfactual]:
    """Closest first, then each next answer the one whose changed factors overlap least with those chosen."""
    chosen: list[Counterfactual] = []
    pool = list(candidates)
    while pool and len(chosen) < count:
        if not chosen:
            best = pool[0]
        else:

            def overlap(candidate: Counterfactual) -> float:
                mine = {c.factor for c in candidate.changes}
                return max(
                    len(mine & {c.factor for c in o.changes}) / len(mine | {c.factor for c in o.changes})
                    for o in chosen
                )

            best = min(pool, key=lambda c: (overlap(c), c.distance))
        chosen.append(best)
        pool.remove(best)
    return chosen


def find_minimal_changes(
    case: Case,
    model: SentencingModel,
    target: Target,
    *,
    answers: int = 3,
    max_changes: int = 3,
    factors: Sequence[str] | None = None,
    jurisdiction: Jurisdiction | None = None,
    catalogue: Catalogue | None = None,
    budget_rows: int = 200_000,
    seed: int = 0,
) -> SearchResult:
    """Exact grid search for the fewest changes of disputable facts that bring the model to ``target``."""
    if not 1 <= answers <= 20:
        raise InputError(f"answers {answers}", Rule.OUT_OF_RANGE, "ask for 1 to 20 answers")
    if not 1 <= max_changes <= 5:
        raise InputError(f"max_changes {max_changes}", Rule.OUT_OF_RANGE, "1 to 5 changes can be searched exactly")
    catalogue = catalogue or load_catalogue()
    jurisdiction = jurisdiction or load_jurisdiction(case.jurisdiction)
    space = search_space(case, catalogue=catalogue, jurisdiction=jurisdiction, factors=factors)
    baseline = float(predict_cases(model, [case])[0])
    base_row = feature_row(case, catalogue)
    specs = {o.factor: catalogue.factor(o.factor) for o in space}
    order = {o.factor: i for i, o in enumerate(space)}

    def result(
        answers_found: tuple[Counterfactual, ...], minimal_size: int | None, evaluated: int, notes: tuple[str, ...]
    ) -> SearchResult:
        return SearchResult(
            case_id=case.case_id,
            method="exact-grid",
            target=target,
            baseline_months=baseline,
            answers=answers_found,
            minimal_size=minimal_size,
            # Sizes are searched in order and each in full, so the first size with a valid answer is minimal.
            proven_minimal=minimal_size is not None,
            max_changes=max_changes,
            candidates_evaluated=evaluated,
            searched_factors=tuple(o.factor for o in space),
            model_sha256=model.identity.sha256,
            seed=seed,
            notes=notes,
        )

    if target.reached(np.array([baseline]))[0]:
        return result((), 0, 0, ("the recommendation already meets the target",))

    found: list[Counterfactual] = []
    evaluated = 0
    minimal: int | None = None
    notes: list[str] = []
    for size in range(1, max_changes + 1):
        combos = change_combinations(space, size)
        if evaluated + len(combos) > budget_rows:
            notes.append(
                f"{len(combos)} combinations of {size} changes exceed the budget of {budget_rows} rows; stopped"
            )
            break
        evaluated += len(combos)
        predictions = np.empty(len(combos), dtype=np.float64)
        for start in range(0, len(combos), _BATCH_ROWS):
            chunk = combos[start : start + _BATCH_ROWS]
            frame = _batch_frame(
                base_row, [[(f, _encode(specs[f], v)) for f, v in combo] for combo in chunk], catalogue
            )
            predictions[start : start + len(chunk)] = model.predict_frame(frame)
        hits = np.flatnonzero(target.reached(predictions))
        ranked = sorted(
            hits.tolist(),
            key=lambda i: (
                change_distance([(f, case.value(f), v) for f, v in combos[i]], catalogue),
                [(order[f], str(v)) for f, v in combos[i]],
            ),
        )
        valid: list[Counterfactual] = []
        for index in ranked:
            try:
                changed, changes = apply_changes(case, dict(combos[index]), catalogue)
            except CaseValidationError:
                continue
            distance = change_distance([(c.factor, c.before, c.after) for c in changes], catalogue)
            valid.append(Counterfactual(changes, changed, float(predictions[index]), 0.0, distance))
            if len(valid) >= max(50, answers * 10):
                break
        if valid and minimal is None:
            minimal = size
        found.extend(select_diverse(valid, answers - len(found)))
        if len(found) >= answers:
            break

    # Re-predict every answer from its validated case, and derive the guideline for it.
    if found:
        repredicted = predict_cases(model, [a.case for a in found])
        checked = []
        for answer, value in zip(found, repredicted, strict=True):
            if target.reached(np.array([value]))[0]:
                guideline = derive_sentence(answer.case, jurisdiction).recommended_months
                checked.append(Counterfactual(answer.changes, answer.case, float(value), guideline, answer.distance))
            else:  # the batch and the single prediction disagree: never report it
                notes.append(f"an answer did not reach the target when re-predicted ({value:.4f}); dropped")
        found = checked
    if minimal is None:
        notes.append(f"no combination of up to {max_changes} changes on the grid reaches the target")
    return result(tuple(found), minimal, evaluated, tuple(notes))
