"""What-if: change facts, get the model's new recommendation beside the guideline's, and see where they part.

Both answers come from one batch: the baseline and every scenario are predicted together (one
model call) and derived by the guideline engine. A scenario is flagged when the model and the
guideline move in opposite directions, when only one of them moves, or when they move the same
way by very different amounts (:class:`DivergencePolicy`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from counterfactuals.edits import Change, apply_changes
from sentencing.case import Case
from sentencing.catalogue import Catalogue, FactorValue, load_catalogue
from sentencing.guideline import derive_sentence
from sentencing.i18n import Label
from sentencing.jurisdiction import Jurisdiction
from sentencing.models import SentencingModel, predict_cases

__all__ = [
    "WHATIF_SCHEMA_VERSION",
    "Divergence",
    "DivergencePolicy",
    "Movement",
    "WhatIfResult",
    "WhatIfScenario",
    "ask_disputed_fact",
    "ask_what_if",
    "compare_movements",
]

WHATIF_SCHEMA_VERSION = "1.0"


class Divergence(StrEnum):
    OPPOSITE_DIRECTIONS = "opposite_directions"
    ONLY_MODEL_MOVES = "only_model_moves"
    ONLY_GUIDELINE_MOVES = "only_guideline_moves"
    DIFFERENT_AMOUNTS = "different_amounts"


DIVERGENCE_LABELS = {
    Divergence.OPPOSITE_DIRECTIONS: Label(
        "模型与指导意见变动方向相反", "the model and the guideline move in opposite directions"
    ),
    Divergence.ONLY_MODEL_MOVES: Label("模型变动而指导意见不变", "the model moves but the guideline does not"),
    Divergence.ONLY_GUIDELINE_MOVES: Label("指导意见变动而模型不变", "the guideline moves but the model does not"),
    Divergence.DIFFERENT_AMOUNTS: Label(
        "模型与指导意见变动幅度差异很大", "the model and the guideline move by very different amounts"
    ),
}


@dataclass(frozen=True)
class DivergencePolicy:
    """When two movements count as different: below ``still_months`` a movement is none at all."""

    still_months: float = 0.25
    min_gap_months: float = 1.0
    amount_ratio: float = 2.0


@dataclass(frozen=True)
class Movement:
    before: float
    after: float

    @property
    def delta(self) -> float:
        return self.after - self.before


def compare_movements(model: Movement, guideline: Movement, policy: DivergencePolicy) -> Divergence | None:
    dm, dg = model.delta, guideline.delta
    model_moves, guideline_moves = abs(dm) >= policy.still_months, abs(dg) >= policy.still_months
    if model_moves and guideline_moves and (dm > 0) != (dg > 0):
        return Divergence.OPPOSITE_DIRECTIONS
    if model_moves and not guideline_moves and abs(dm) >= policy.min_gap_months:
        return Divergence.ONLY_MODEL_MOVES
    if guideline_moves and not model_moves and abs(dg) >= policy.min_gap_months:
        return Divergence.ONLY_GUIDELINE_MOVES
    if model_moves and guideline_moves and abs(dm - dg) >= policy.min_gap_months:
        larger, smaller = max(abs(dm), abs(dg)), min(abs(dm), abs(dg))
        if larger >= policy.amount_ratio * smaller:
            return Divergence.DIFFERENT_AMOUNTS
    return None


@dataclass(frozen=True)
class WhatIfScenario:
    label: str
    requested: tuple[tuple[str, FactorValue], ...]
    changes: tuple[Change, ...]
    case: Case
    model: Movement
    guideline: Movement
    guideline_band: tuple[float, float]
    divergence: Divergence | None

    @property
    def exploratory(self) -> bool:
        """True when a changed factor is not one a party may dispute (e.g. a defendant attribute)."""
        return any(not change.disputable for change in self.changes)


@dataclass(frozen=True)
class WhatIfResult:
    case_id: str
    model_sha256: str | None
    baseline_model_months: float
    baseline_guideline_months: float
    scenarios: tuple[WhatIfScenario, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": WHATIF_SCHEMA_VERSION,
            "case_id": self.case_id,
            "model_sha256": self.model_sha256,
            "baseline": {
                "model_months": self.baseline_model_months,
                "guideline_months": self.baseline_guideline_months,
            },
            "scenarios": [
                {
                    "label": s.label,
                    "requested": [[factor, value] for factor, value in s.requested],
                    "changes": [
                        {"factor": c.factor, "before": c.before, "after": c.after, "disputable": c.disputable}
                        for c in s.changes
                    ],
                    "exploratory": s.exploratory,
                    "model": {"months": s.model.after, "delta": s.model.delta},
                    "guideline": {
                        "months": s.guideline.after,
                        "delta": s.guideline.delta,
                        "judicial_band": list(s.guideline_band),
                    },
                    "divergence": s.divergence.value if s.divergence else None,
                    "divergence_label": (
                        {"zh-CN": DIVERGENCE_LABELS[s.divergence].zh, "en": DIVERGENCE_LABELS[s.divergence].en}
                        if s.divergence
                        else None
                    ),
                }
                for s in self.scenarios
            ],
        }


def _run(
    case: Case,
    model: SentencingModel,
    scenarios: Sequence[tuple[str, Mapping[str, FactorValue]]],
    jurisdiction: Jurisdiction | None,
    policy: DivergencePolicy,
    catalogue: Catalogue,
) -> WhatIfResult:
    prepared = [(label, changes, *apply_changes(case, changes, catalogue)) for label, changes in scenarios]
    predictions = predict_cases(model, [case, *(changed for _, _, changed, _ in prepared)])
    base_guideline = derive_sentence(case, jurisdiction).recommended_months
    base_model = float(predictions[0])
    built = []
    for (label, requested, changed, changes), predicted in zip(prepared, predictions[1:], strict=True):
        derivation = derive_sentence(changed, jurisdiction)
        model_move = Movement(base_model, float(predicted))
        guideline_move = Movement(base_guideline, derivation.recommended_months)
        built.append(
            WhatIfScenario(
                label=label,
                requested=tuple(requested.items()),
                changes=changes,
                case=changed,
                model=model_move,
                guideline=guideline_move,
                guideline_band=(derivation.judicial_band.low, derivation.judicial_band.high),
                divergence=compare_movements(model_move, guideline_move, policy),
            )
        )
    return WhatIfResult(case.case_id, model.identity.sha256, base_model, base_guideline, tuple(built))


def ask_what_if(
    case: Case,
    model: SentencingModel,
    changes: Mapping[str, FactorValue],
    *,
    jurisdiction: Jurisdiction | None = None,
    policy: DivergencePolicy | None = None,
    catalogue: Catalogue | None = None,
) -> WhatIfResult:
    """One scenario: all ``changes`` together."""
    if not changes:
        from sentencing.errors import InputError, Rule

        raise InputError("what-if", Rule.MISSING_REQUIRED, "give at least one change, e.g. --set restitution=true")
    label = ", ".join(f"{k}={v}" for k, v in changes.items())
    return _run(
        case, model, [(label, changes)], jurisdiction, policy or DivergencePolicy(), catalogue or load_catalogue()
    )


def ask_disputed_fact(
    case: Case,
    model: SentencingModel,
    factor: str,
    versions: Sequence[FactorValue],
    *,
    jurisdiction: Jurisdiction | None = None,
    policy: DivergencePolicy | None = None,
    catalogue: Catalogue | None = None,
) -> WhatIfResult:
    """A disputed fact, every version at once (e.g. restitution made / not made), shown as a set."""
    if len(versions) < 2:
        from sentencing.errors import InputError, Rule

        raise InputError(f"disputed fact {factor!r}", Rule.MISSING_REQUIRED, "give two or more versions")
    scenarios = [(f"{factor}={value}", {factor: value}) for value in versions]
    return _run(case, model, scenarios, jurisdiction, policy or DivergencePolicy(), catalogue or load_catalogue())
