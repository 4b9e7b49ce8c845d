"""Attributions held against the flip test: does the explainer see what real cases show?

An attribution (SHAP, LIME, the stabilised surrogate) is computed from the model's answers to inputs the explainer
makes up; the flip test (``counterfactuals.sensitivity``) asks the model about the real case with one legally
irrelevant factor changed. A model that recognises an explainer's inputs can answer them innocently and answer real
cases with bias (Slack et al., "Fooling LIME and SHAP", AIES 2020): then the two disagree, and that disagreement is
itself the finding.

For each legally irrelevant factor the flip test measured, the weight the attribution *should* give if it saw the
same effects is computed from the flips themselves and the explainer's own sampling of the factor's values (moves
``Δ_v`` from the case's value ``c`` to each other value ``v``, with the share ``p_v`` of each value among the past
cases of the charge):

- SHAP (interventional, against past cases of the charge): ``−Σ_{v≠c} p_v Δ_v``;
- LIME (values drawn as often as among past cases; weight of "same as the case"): ``−Σ_{v≠c} p_v Δ_v / (1 − p_c)``;
- the stabilised surrogate (every value drawn equally often): ``−mean_{v≠c} Δ_v``.

SHAP of trees on log months (``months_per_log_unit``: each weight is log months times that one factor) uses each move
in log months, ``ln(1 + m + Δ_v) − ln(1 + m)`` at the model's answer ``m``, times the same factor.

For a model whose effect of the factor does not depend on the other facts these are what the explainer computes;
they disagree when the flip test finds a material effect (``threshold_months``, or ``threshold_share`` of the term)
and the attribution shows less than a quarter of it or the opposite sign, or when the attribution shows a material
weight the flips do not (and the two are at least half the threshold apart). A quarter, not all: a model whose effect
of the factor depends on other facts gives an attribution that the formulas above only approximate.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from counterfactuals.sensitivity import SensitivityResult
from explain_tiers.attribution import Attribution, past_cases_of_charge
from sentencing.catalogue import Catalogue, LegalRole, load_catalogue
from sentencing.i18n import Label

__all__ = ["ATTRIBUTION_CHECK_SCHEMA_VERSION", "AttributionCheck", "FactorCheck", "hold_against_flip_test"]

ATTRIBUTION_CHECK_SCHEMA_VERSION = "1.0"

_SAMPLING = {"shap-tree-interventional": "background", "shap-tree-interventional-log-months": "background",
             "lime": "background", "lime-qmc-stabilised": "uniform"}  # fmt: skip


@dataclass(frozen=True)
class FactorCheck:
    factor: str
    label: Label
    flip_months: float  # the flip test's largest move (signed), from the case's value to another
    flip_share: float  # that move as a share of the recommended term
    expected_weight: float  # what the attribution would show if it saw the flips
    attributed_weight: float  # what it shows
    material: bool  # the flip test or the attribution finds an effect at the threshold
    agrees: bool
    #: how it disagrees: "hides" (the flips show an effect the attribution misses or turns round: what an
    #: explainer-aware model does) or "overstates" (the attribution shows an effect the flips do not); "" if it agrees
    way: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "factor": self.factor,
            "label": self.label.to_mapping(),
            "flip_months": self.flip_months,
            "flip_share": self.flip_share,
            "expected_weight": self.expected_weight,
            "attributed_weight": self.attributed_weight,
            "material": self.material,
            "agrees": self.agrees,
            "way": self.way,
        }


@dataclass(frozen=True)
class AttributionCheck:
    """Every legally irrelevant factor of the case, the flip test's effect beside the attribution's weight."""

    method: str
    threshold_months: float
    threshold_share: float
    factors: tuple[FactorCheck, ...]

    @property
    def disagreements(self) -> tuple[FactorCheck, ...]:
        return tuple(f for f in self.factors if not f.agrees)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": ATTRIBUTION_CHECK_SCHEMA_VERSION,
            "method": self.method,
            "threshold_months": self.threshold_months,
            "threshold_share": self.threshold_share,
            "factors": [f.to_dict() for f in self.factors],
            "disagreements": [f.factor for f in self.disagreements],
        }


def _shares(background: pd.DataFrame, charge: str, factor: str, values: list[Any]) -> dict[Any, float]:
    same = past_cases_of_charge(background, charge) if "charge" in background.columns else background
    column = same[factor] if factor in same.columns else pd.Series(dtype=object)
    counts = column.astype(str).value_counts()
    total = float(counts.sum())
    if total == 0:
        return {v: 1.0 / len(values) for v in values}
    return {v: float(counts.get(str(_column_value(v)), 0.0)) / total for v in values}


def _column_value(value: Any) -> Any:
    """How a value is written in the model's frame (booleans as 0.0 / 1.0)."""
    return float(value) if isinstance(value, bool) else value


def hold_against_flip_test(
    attribution: Attribution,
    sensitivity: SensitivityResult,
    background: pd.DataFrame,
    charge: str,
    *,
    catalogue: Catalogue | None = None,
) -> AttributionCheck:
    """Each legally irrelevant factor the flip test probed, checked against ``attribution`` (see the module)."""
    catalogue = catalogue or load_catalogue()
    sampling = _SAMPLING.get(attribution.method, "background")
    weights = dict(attribution.weights)
    share_of = max(abs(sensitivity.baseline_months), 1.0)
    material_at = max(min(sensitivity.threshold_months, sensitivity.threshold_share * share_of), 1e-9)
    checks = []
    for spec in catalogue.with_role(LegalRole.LEGALLY_IRRELEVANT):
        probes = [p for p in sensitivity.probes if p.factor == spec.id]
        if not probes or spec.id not in weights:
            continue
        current = probes[0].before
        moves: Mapping[Any, float] = {p.after: p.model_delta for p in probes}
        if attribution.months_per_log_unit is not None:  # its weights are log months, each turned by one factor
            baseline = max(sensitivity.baseline_months, 0.0)
            moves = {
                v: (math.log1p(max(baseline + d, 0.0)) - math.log1p(baseline)) * attribution.months_per_log_unit
                for v, d in moves.items()
            }
        if sampling == "uniform":
            expected = -sum(moves.values()) / len(moves)
        else:
            shares = _shares(background, charge, spec.id, [current, *moves])
            others = sum(shares[v] for v in moves)
            expected = -sum(shares[v] * d for v, d in moves.items())
            if attribution.method.startswith("lime"):
                expected = expected / others if others > 0 else 0.0
        worst = max(probes, key=lambda p: (abs(p.model_delta), str(p.after)))
        attributed = float(weights[spec.id])
        flip_material = abs(worst.model_delta) >= material_at
        weight_material = abs(attributed) >= material_at
        apart = abs(attributed - expected) >= material_at / 2
        way = ""
        # the flips show an effect the attribution misses, or turns round (a quarter of it is allowed for the
        # interactions a model has and the expected weight leaves out)
        seen = attributed * expected > 0 and abs(attributed) >= 0.25 * abs(expected)
        if flip_material and abs(expected) >= material_at / 2 and apart and not seen:
            way = "hides"
        if not way and weight_material and abs(expected) < 0.25 * abs(attributed) and apart:
            way = "overstates"  # the attribution shows an effect the real case does not
        checks.append(  # (+ 0.0: a rounded -0.0 becomes 0.0, never "-0.00" in a report)
            FactorCheck(
                spec.id, spec.label, round(worst.model_delta, 4) + 0.0, round(abs(worst.model_delta) / share_of, 4),
                round(expected, 4) + 0.0, round(attributed, 4) + 0.0, flip_material or weight_material, not way, way,
            )
        )  # fmt: skip
    return AttributionCheck(
        attribution.method, sensitivity.threshold_months, sensitivity.threshold_share, tuple(checks)
    )
