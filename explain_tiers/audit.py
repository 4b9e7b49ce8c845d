"""Group audit of the model on its population, holding every legally relevant fact fixed.

For each legally irrelevant factor and each of its values, every case of the population is put to
the model twice: once with that value, once with the reference value (the first the catalogue
lists: local, male, employed, east, Han), everything else unchanged. The gap is reported in months
(mean difference) and as a typical relative change (geometric mean of the ratios, predictions
floored at half a month), which is the scale the historical bias was injected on. A relative gap
at or beyond the threshold is a disparity.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from explain_tiers.population import Population
from sentencing.catalogue import FactorType, LegalRole, load_catalogue
from sentencing.features import feature_columns
from sentencing.models import SentencingModel

__all__ = ["GroupAudit", "GroupGap", "audit_groups"]


@dataclass(frozen=True)
class GroupGap:
    factor: str
    value: str
    reference: str
    mean_gap_months: float
    relative_gap: float
    disparity: bool


@dataclass(frozen=True)
class GroupAudit:
    population: str
    population_sha256: str | None
    rows: int
    threshold: float
    gaps: tuple[GroupGap, ...]

    @property
    def disparities(self) -> tuple[GroupGap, ...]:
        return tuple(g for g in self.gaps if g.disparity)

    def to_dict(self) -> dict[str, Any]:
        return {
            "population": self.population,
            "population_sha256": self.population_sha256,
            "rows": self.rows,
            "threshold": self.threshold,
            "gaps": [
                {
                    "factor": g.factor,
                    "value": g.value,
                    "reference": g.reference,
                    "mean_gap_months": g.mean_gap_months,
                    "relative_gap": g.relative_gap,
                    "disparity": g.disparity,
                }
                for g in self.gaps
            ],
        }


_AUDITS: dict[tuple[Any, ...], GroupAudit] = {}


def audit_groups(
    model: SentencingModel, population: Population, *, rows: int = 4000, threshold: float = 0.03, seed: int = 0
) -> GroupAudit:
    """The audit depends on the model and its population only; it is computed once per process and reused."""
    key = (model.identity.sha256 or id(model), population.source, population.sha256, len(population.frame), rows,
           threshold, seed)  # fmt: skip
    if key in _AUDITS:
        return _AUDITS[key]
    catalogue = load_catalogue()
    frame = population.frame
    sample = frame.sample(min(rows, len(frame)), random_state=seed) if len(frame) > rows else frame
    sample = sample[list(feature_columns(catalogue))].reset_index(drop=True)
    gaps = []
    for spec in catalogue.with_role(LegalRole.LEGALLY_IRRELEVANT):
        if spec.type is not FactorType.ENUM:
            continue
        reference = spec.values[0]
        base = model.predict_frame(sample.assign(**{spec.id: reference}))
        for value in spec.values[1:]:
            other = model.predict_frame(sample.assign(**{spec.id: value}))
            ratio = np.log(np.clip(other, 0.5, None) / np.clip(base, 0.5, None))
            relative = float(np.expm1(ratio.mean()))
            gaps.append(
                GroupGap(
                    factor=spec.id,
                    value=value,
                    reference=reference,
                    mean_gap_months=round(float((other - base).mean()), 4),
                    relative_gap=round(relative, 4),
                    disparity=abs(relative) >= threshold,
                )
            )
    audit = GroupAudit(population.source, population.sha256, len(sample), threshold, tuple(gaps))
    _AUDITS[key] = audit
    return audit
