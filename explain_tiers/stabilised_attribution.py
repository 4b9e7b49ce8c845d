"""The stabilised attribution: LIME's estimator, sampled by randomized quasi-Monte Carlo.

LIME fits a weighted linear model to predictions on random perturbations of the case; with plain
random sampling its ranking of factors moves from seed to seed (measured in ``stability.py``). The
estimator here is the same in kind (interpretable features "same as the case" for every factor
that applies to the charge; numbers in quartile bins of the population; exponential kernel of width
0.75·√d; ridge with α = 1, intercept free), but the perturbations are scrambled Sobol points
(variance falls far faster than with random points) and balanced (every yes/no fact and legal
choice is perturbed uniformly, so rare circumstances are measured too). Every perturbation is then made a lawful
case (the case file's rules between facts: a fact a row's violation names goes back to the case's own value, so
the model is never asked about a case the law does not allow, and cannot tell the explainer's inputs from real
cases by their unlawfulness). It is repeated over
``scrambles`` independent scrambles: the mean is the attribution, the standard error across
scrambles is its reported spread, and factors within two standard errors of the k-th are reported
as tied at the boundary (as are factors closer than 0.01 months or 0.5% of the k-th weight: finer
differences mean nothing for a term in months).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import qmc

from explain_tiers.attribution import Attribution, past_cases_of_charge
from sentencing.case import Case
from sentencing.catalogue import FactorType, load_catalogue
from sentencing.features import feature_columns, feature_row, row_violations
from sentencing.jurisdiction import load_jurisdiction
from sentencing.models import SentencingModel

__all__ = ["RESOLUTION_MONTHS", "RESOLUTION_SHARE", "StabilisedAttribution", "explain_stabilised"]

RESOLUTION_MONTHS = 0.01
RESOLUTION_SHARE = 0.005
_REPAIR_ROUNDS = 5


@dataclass(frozen=True)
class StabilisedAttribution:
    attribution: Attribution
    scrambles: int
    samples: int
    standard_errors: tuple[tuple[str, float], ...]
    top: tuple[str, ...]
    tied_at_boundary: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "attribution": self.attribution.to_dict(),
            "scrambles": self.scrambles,
            "samples": self.samples,
            "standard_errors": [{"factor": f, "standard_error": e} for f, e in self.standard_errors],
            "top": list(self.top),
            "tied_at_boundary": list(self.tied_at_boundary),
        }


def _reverted_to_case(frame: pd.DataFrame, row: dict[str, Any], case: Case) -> dict[str, np.ndarray[Any, Any]]:
    """Make every row of ``frame`` a lawful case, in place: each fact a row's violations name (a rule between facts,
    e.g. surrender beside confession, a quantity against the charge's band) goes back to the case's own value, round
    after round until no row breaks a rule (the case itself is lawful, so a row that still breaks one after every
    named fact went back is reverted whole). Returns, per column, the rows whose value went back."""
    catalogue = load_catalogue()
    jurisdiction = load_jurisdiction(case.jurisdiction)
    columns = [spec.id for spec in catalogue.factors_for(case.charge)]
    reverted: dict[str, list[np.ndarray[Any, Any]]] = {}
    pending = np.arange(len(frame))
    for _ in range(_REPAIR_ROUNDS):
        violations = row_violations(frame.iloc[pending], case.charge, jurisdiction, catalogue)
        broken = [(index, fields) for index, fields in zip(pending, violations, strict=True) if fields]
        if not broken:
            break
        by_field: dict[str, list[int]] = {}
        for index, fields in broken:
            for field in fields:
                by_field.setdefault(field if field in row else field.rsplit(".", 1)[-1], []).append(int(index))
        for field, indexes in by_field.items():
            if field in columns:
                frame.loc[indexes, field] = row[field]
                reverted.setdefault(field, []).append(np.array(indexes))
        pending = np.array([index for index, _ in broken])
    else:
        violations = row_violations(frame.iloc[pending], case.charge, jurisdiction, catalogue)
        still = [int(index) for index, fields in zip(pending, violations, strict=True) if fields]
        for column in columns:
            frame.loc[still, column] = row[column]
            reverted.setdefault(column, []).append(np.array(still, dtype=int))
    return {column: np.unique(np.concatenate(parts)) for column, parts in reverted.items()}


def _one_fit(
    model: SentencingModel, case: Case, population: pd.DataFrame, samples: int, scramble: int
) -> tuple[dict[str, float], float, float]:
    catalogue = load_catalogue()
    columns = [spec.id for spec in catalogue.factors_for(case.charge)]
    row = feature_row(case, catalogue)
    same = past_cases_of_charge(population, case.charge)
    points = qmc.Sobol(len(columns), scramble=True, seed=scramble).random(samples)
    data: dict[str, np.ndarray[Any, Any]] = {
        c: np.full(samples, row[c], dtype=object if isinstance(row[c], str) else np.float64)
        for c in feature_columns(catalogue)
    }
    same_as_case = np.ones((samples, len(columns)))
    for j, column in enumerate(columns):
        spec, u = catalogue.factor(column), points[:, j]
        if spec.type is FactorType.BOOLEAN:
            values = (u >= 0.5).astype(np.float64)
            data[column], same_as_case[:, j] = values, values == row[column]
        elif spec.type is FactorType.ENUM:
            choices = np.array(spec.values, dtype=object)
            values = choices[np.minimum((u * len(choices)).astype(int), len(choices) - 1)]
            data[column], same_as_case[:, j] = values, values == row[column]
        else:
            edges = np.unique(np.quantile(same[column].to_numpy(dtype=float), [0.0, 0.25, 0.5, 0.75, 1.0]))
            if len(edges) < 2:
                continue  # the population never varies this number: nothing to perturb
            bins = len(edges) - 1
            chosen = np.minimum((u * bins).astype(int), bins - 1)
            values = edges[chosen] + (u * bins - chosen) * (edges[chosen + 1] - edges[chosen])
            if spec.type is FactorType.INTEGER:
                values = np.rint(values)
            case_bin = min(int(np.searchsorted(edges, float(row[column]), side="right")) - 1, bins - 1)
            value_bins = np.minimum(np.searchsorted(edges, values, side="right") - 1, bins - 1)
            data[column], same_as_case[:, j] = values, value_bins == case_bin
    frame = pd.DataFrame(data, copy=False)
    for column, rows in _reverted_to_case(frame, row, case).items():
        same_as_case[rows, columns.index(column)] = 1.0  # reverted to the case's own value
    predictions = model.predict_frame(frame)
    distance = np.sqrt(((1.0 - same_as_case) ** 2).sum(axis=1))
    width = 0.75 * np.sqrt(len(columns))
    kernel = np.sqrt(np.exp(-(distance**2) / width**2))
    design = np.column_stack([np.ones(samples), same_as_case])
    penalty = np.diag([0.0] + [1.0] * len(columns))
    beta = np.linalg.solve(design.T @ (design * kernel[:, None]) + penalty, design.T @ (kernel * predictions))
    fitted = float(beta[0] + beta[1:].sum())  # the surrogate's value at the case itself
    return dict(zip(columns, (float(b) for b in beta[1:]), strict=True)), float(beta[0]), fitted


def explain_stabilised(
    model: SentencingModel,
    case: Case,
    population: pd.DataFrame,
    *,
    samples: int = 8192,
    scrambles: int = 8,
    seed: int = 0,
    k: int = 5,
) -> StabilisedAttribution:
    """Scrambles ``seed .. seed + scrambles - 1``; the same arguments give the same numbers."""
    if samples & (samples - 1) or samples < 256:
        raise ValueError("samples must be a power of two of at least 256 (Sobol balance)")
    fits = [_one_fit(model, case, population, samples, seed + i) for i in range(scrambles)]
    factors = list(fits[0][0])
    matrix = np.array([[fit[0][f] for f in factors] for fit in fits])
    mean = matrix.mean(axis=0)
    error = matrix.std(axis=0, ddof=1) / np.sqrt(scrambles) if scrambles > 1 else np.zeros(len(factors))
    weights = tuple((f, round(float(m), 6)) for f, m in zip(factors, mean, strict=True))
    attribution = Attribution(
        "lime-qmc-stabilised",
        seed,
        samples,
        round(float(np.mean([fit[1] for fit in fits])), 6),
        round(float(np.mean([fit[2] for fit in fits])), 6),
        weights,
    )
    errors = {f: round(float(e), 6) for f, e in zip(factors, error, strict=True)}
    top = attribution.top(k)
    boundary, boundary_error = abs(dict(weights)[top[-1]]), errors[top[-1]]
    ranked = sorted(weights, key=lambda fw: (-abs(fw[1]), fw[0]))
    # Within two standard errors, or within what a term in months can mean (0.01 months, 0.5%): a tie.
    resolution = max(RESOLUTION_MONTHS, RESOLUTION_SHARE * boundary)
    tied = tuple(f for f, w in ranked if abs(abs(w) - boundary) <= max(2 * max(errors[f], boundary_error), resolution))
    return StabilisedAttribution(
        attribution, scrambles, samples, tuple(errors.items()), top, tied if len(tied) > 1 else ()
    )
