"""Attributions: how much each factor pushed this recommendation, from an explainer, as a frozen result.

An explainer has ``explain(case) -> Attribution``; explainers live in one adapter module each
(``shap_adapter``, ``lime_adapter``). Weights are per original factor (one-hot columns summed back),
in months, signed: positive lengthens the term.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

import pandas as pd
from scipy.stats import spearmanr

from sentencing.case import Case
from sentencing.i18n import Label

__all__ = [
    "METHODS",
    "Attribution",
    "AttributionAgreement",
    "Explainer",
    "compare_attributions",
    "method_label",
    "past_cases_of_charge",
]

ENOUGH_OF_A_CHARGE = 50

METHODS = {
    "shap-tree-interventional": Label("SHAP（树模型，干预式）", "SHAP (tree, interventional)"),
    "shap-tree-interventional-log-months": Label(
        "SHAP（树模型，干预式；对数月份按比例换算为月）", "SHAP (tree, interventional; log months spread over months)"
    ),
    "lime": Label("LIME", "LIME"),
    "lime-qmc-stabilised": Label("稳定化归因", "the stabilised attribution"),
}


def past_cases_of_charge(frame: pd.DataFrame, charge: str) -> pd.DataFrame:
    """The past cases an explainer samples around: those of the case's charge when there are enough
    (``ENOUGH_OF_A_CHARGE``), else all (LIME, the stabilised attribution and the check of both use the same)."""
    same = frame[frame["charge"] == charge]
    return same if len(same) >= ENOUGH_OF_A_CHARGE else frame


def method_label(method: str) -> Label:
    """An attribution method as a reader names it (an unknown method by its id)."""
    return METHODS.get(method, Label(method, method))


@dataclass(frozen=True)
class Attribution:
    method: str
    seed: int | None
    samples: int | None
    base_value: float
    prediction: float
    weights: tuple[tuple[str, float], ...]
    #: an explainer of trees on log months: the months each of its log units became (every weight was multiplied by
    #: it, ``shap_adapter.months_from_log_months``); None for an explainer in months
    months_per_log_unit: float | None = None

    def weight(self, factor: str) -> float:
        return dict(self.weights)[factor]

    def accounted(self, recommended_months: float) -> tuple[float, float | None]:
        """(months the weights add up to, their share of the distance from the base value to the recommendation; None
        where the recommendation is within 0.05 months of the base value). SHAP's weights add up to the whole
        distance; a local surrogate's need not, and a reader must be told."""
        total = round(sum(w for _, w in self.weights), 4)
        distance = recommended_months - self.base_value
        return total, (round(total / distance, 4) if abs(distance) >= 0.05 else None)

    def top(self, k: int = 5) -> tuple[str, ...]:
        """The k factors with the largest absolute weight; ties broken by factor id, so the order is stable."""
        ranked = sorted(self.weights, key=lambda fw: (-abs(fw[1]), fw[0]))
        return tuple(f for f, _ in ranked[:k])

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "seed": self.seed,
            "samples": self.samples,
            "base_value": self.base_value,
            "prediction": self.prediction,
            "weights": [{"factor": f, "weight": w} for f, w in self.weights],
            **({} if self.months_per_log_unit is None else {"months_per_log_unit": self.months_per_log_unit}),
        }


class Explainer(Protocol):
    def explain(self, case: Case) -> Attribution: ...


@dataclass(frozen=True)
class AttributionAgreement:
    """How far two explainers tell the same story: top-k overlap, signs, and rank correlation."""

    top_k: int
    overlap: int
    same_sign_share: float
    rank_correlation: float
    methods: tuple[str, str] = ("", "")  # the two explainers compared (an agreement names what it compares)

    def to_dict(self) -> dict[str, Any]:
        return {
            "methods": list(self.methods),
            "top_k": self.top_k,
            "overlap": self.overlap,
            "same_sign_share": self.same_sign_share,
            "rank_correlation": self.rank_correlation,
        }


def compare_attributions(first: Attribution, second: Attribution, k: int = 5) -> AttributionAgreement:
    """Compared over the factors both explainers report (LIME leaves out factors that cannot apply)."""
    a, b = dict(first.weights), dict(second.weights)
    factors = sorted(set(a) & set(b))

    def top(weights: dict[str, float]) -> set[str]:
        return set(sorted(factors, key=lambda f: (-abs(weights[f]), f))[:k])

    common = top(a) & top(b)
    same = sum(1 for f in common if (a[f] > 0) == (b[f] > 0))
    first_sizes, second_sizes = [abs(a[f]) for f in factors], [abs(b[f]) for f in factors]
    # an explainer that gives every factor the same weight (LIME around a charge its data never held) has no ranks
    ranked = len(set(first_sizes)) > 1 and len(set(second_sizes)) > 1
    correlation = spearmanr(first_sizes, second_sizes).statistic if ranked else float("nan")
    return AttributionAgreement(
        methods=(first.method, second.method),
        top_k=k,
        overlap=len(common),
        same_sign_share=round(same / len(common), 4) if common else 0.0,
        rank_correlation=round(float(correlation), 4) if correlation == correlation else 0.0,
    )
