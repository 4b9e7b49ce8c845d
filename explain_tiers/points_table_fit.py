"""Fitting a points table to a secret risk tool's recorded scores (its transparent surrogate), with its fidelity.

The vendor's model is not available, so what-if and counterfactual questions are put to a
*surrogate*: a points table (intercept plus points for each band of age, prior offences, juvenile
record, charge degree, sex and race) fitted by least squares to the recorded deciles. It is
transparent by construction (each row of the table is one number a court can read) and it is
JSON, not a pickle. How faithfully it reproduces the recorded scores is measured in-sample and by
5-fold cross-validation (R², mean absolute error, exact decile, within one decile, same class,
rank correlation), and again without the legally irrelevant inputs, so that a court sees how much
of the score those inputs carry. Every answer the surrogate gives is labelled with this fidelity
(``sentencing.risk.model_caveat``).

The baseline asks a different question: how well do the same lawful facts predict the *outcome*
(re-arrest within two years)? A cross-validated logistic regression's AUC is set beside the
recorded score's AUC on the same people.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from scipy.stats import spearmanr
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold

from explain_tiers.score_audit import auc
from sentencing.canonical import canonical_json, sha256_bytes
from sentencing.catalogue import FactorType, LegalRole
from sentencing.errors import InputError, IntegrityError, Rule
from sentencing.files import write_atomically
from sentencing.models import PointsTerm
from sentencing.models.base import design_matrix
from sentencing.models.points_table import (
    POINTS_TABLE_FILE,
    POINTS_TABLE_SCHEMA_VERSION,
    RECORDS_FOLDER,
    PointsTableModel,
)
from sentencing.records import risk_case_from_record
from sentencing.risk import RiskInstrument, risk_frame

__all__ = [
    "FIDELITY_MEASURES",
    "Fidelity",
    "OutcomeBaseline",
    "PointsTableFit",
    "fit_points_table",
    "format_measure",
    "instrument_frame",
    "write_points_table",
]

FOLDS = 5
# The bands of the points table (method, not law): cut points where the recorded scores change.
COUNTS_FROM = (1, 2)  # where an input the instrument gives no bands for is cut


FIDELITY_MEASURES = ("r2", "mean_absolute_error", "exact_decile", "within_one_decile", "same_class", "rank_correlation")
_SHARES = frozenset({"exact_decile", "within_one_decile", "same_class"})


def format_measure(measure: str, value: float) -> str:
    """A fidelity measure as reports and the terminal print it: shares as percentages, the rest to 3 places."""
    return f"{value:.1%}" if measure in _SHARES else f"{value:.3f}"


@dataclass(frozen=True)
class Fidelity:
    """How closely a surrogate's scores follow the recorded ones."""

    rows: int
    r2: float
    mean_absolute_error: float
    exact_decile: float
    within_one_decile: float
    same_class: float
    rank_correlation: float

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


@dataclass(frozen=True)
class OutcomeBaseline:
    """Lawful facts alone against the outcome, beside the recorded score (same people, AUC)."""

    rows: int
    baseline_auc_cross_validated: float
    recorded_score_auc: float
    terms: tuple[tuple[str, float], ...]  # (term, logistic coefficient) fitted on all rows

    def to_dict(self) -> dict[str, Any]:
        return {"rows": self.rows, "baseline_auc_cross_validated": self.baseline_auc_cross_validated,
                "recorded_score_auc": self.recorded_score_auc,
                "terms": [{"term": t, "coefficient": c} for t, c in self.terms]}  # fmt: skip


def _candidate_terms(instrument: RiskInstrument, frame: pd.DataFrame, *, lawful_only: bool) -> list[PointsTerm]:
    """Every band and category present in the data; a category's first listed value is the reference."""
    terms: list[PointsTerm] = []
    charges = instrument.catalogue.charge_ids
    terms += [PointsTerm("charge", "==", c, 0.0) for c in charges[:-1] if (frame["charge"] == c).any()]
    for spec in instrument.catalogue.factors:
        if lawful_only and spec.legal_role is LegalRole.LEGALLY_IRRELEVANT:
            continue
        column = frame[spec.id]
        if spec.type is FactorType.ENUM:
            terms += [PointsTerm(spec.id, "==", v, 0.0) for v in spec.values[1:] if (column == v).any()]
        else:
            for cut in instrument.bands_of(spec.id, COUNTS_FROM):
                if (column >= cut).any():
                    terms.append(PointsTerm(spec.id, ">=", cut, 0.0))
    return terms


def _least_squares(design: NDArray[np.float64], target: NDArray[np.float64]) -> NDArray[np.float64]:
    solution, *_ = np.linalg.lstsq(design, target, rcond=None)
    return np.asarray(solution, dtype=np.float64)


def _fidelity(instrument: RiskInstrument, recorded: NDArray[np.float64], predicted: NDArray[np.float64]) -> Fidelity:
    scale = instrument.scale
    deciles = np.array([scale.decile(p) for p in predicted])
    classes_pred = [scale.class_of(int(d)).id for d in deciles]
    classes_true = [scale.class_of(int(d)).id for d in recorded]
    residual = recorded - np.clip(predicted, scale.minimum, scale.maximum)
    total = float(((recorded - recorded.mean()) ** 2).sum())
    return Fidelity(
        rows=len(recorded), r2=1.0 - float((residual**2).sum()) / total,
        mean_absolute_error=float(np.abs(residual).mean()), exact_decile=float((deciles == recorded).mean()),
        within_one_decile=float((np.abs(deciles - recorded) <= 1).mean()),
        same_class=float(np.mean([a == b for a, b in zip(classes_pred, classes_true, strict=True)])),
        rank_correlation=float(spearmanr(predicted, recorded).statistic),
    )  # fmt: skip


def _folds(rows: int, seed: int) -> list[tuple[NDArray[np.int64], NDArray[np.int64]]]:
    return [(train, test) for train, test in KFold(FOLDS, shuffle=True, random_state=seed).split(np.zeros(rows))]


def _cross_validated(design: NDArray[np.float64], target: NDArray[np.float64], seed: int) -> NDArray[np.float64]:
    out = np.empty(len(target))
    for train, test in _folds(len(target), seed):
        out[test] = design[test] @ _least_squares(design[train], target[train])
    return out


@dataclass(frozen=True)
class PointsTableFit:
    surrogate: PointsTableModel
    in_sample: Fidelity
    cross_validated: Fidelity
    cross_validated_lawful_only: Fidelity
    baseline: OutcomeBaseline


def instrument_frame(records: pd.DataFrame, instrument: RiskInstrument) -> pd.DataFrame:
    """The instrument's frame for every row of its recorded data (the layout's column names), each row validated."""
    needed = {instrument.records.charge, *instrument.catalogue.factor_ids}
    missing = needed - set(records.columns)
    if missing:
        raise InputError(f"columns {sorted(missing)}", Rule.MISSING_REQUIRED, f"needed to model {instrument.id}")
    cases = [
        risk_case_from_record({k: row[k] for k in needed}, instrument, case_id=f"row-{i}")
        for i, row in enumerate(records[sorted(needed)].to_dict("records"), start=1)
    ]
    return risk_frame(cases, instrument)


def _baseline(lawful: Sequence[PointsTerm], design: NDArray[np.float64], instrument: RiskInstrument,
              outcome: NDArray[np.int64], recorded: NDArray[np.float64], seed: int) -> OutcomeBaseline:  # fmt: skip
    """``design``: the lawful terms' columns (intercept first), the same the lawful-only fidelity used."""
    columns = design[:, 1:]
    probability = np.empty(len(outcome))
    for train, test in _folds(len(outcome), seed):
        model = LogisticRegression(max_iter=2000).fit(columns[train], outcome[train])
        probability[test] = model.predict_proba(columns[test])[:, 1]
    final = LogisticRegression(max_iter=2000).fit(columns, outcome)
    names = [instrument.condition_label(term.factor, term.op, term.value).en for term in lawful]
    return OutcomeBaseline(
        rows=len(outcome), baseline_auc_cross_validated=auc(probability, outcome),
        recorded_score_auc=auc(recorded, outcome),
        terms=(("(intercept)", float(final.intercept_[0])),
               *((n, float(c)) for n, c in zip(names, final.coef_[0], strict=True))),
    )  # fmt: skip


def fit_points_table(
    records: pd.DataFrame, instrument: RiskInstrument, *, data_sha256: str, filter_note: str, seed: int = 20130101
) -> PointsTableFit:
    """Fit the points table to the recorded scores (and the baseline to the recorded outcome) on ``records``."""
    layout = instrument.records
    for column in (layout.score, layout.outcome):
        if column not in records.columns:
            raise InputError(f"column {column!r}", Rule.MISSING_REQUIRED, "needed to fit the surrogate")
    frame = instrument_frame(records, instrument)
    recorded = records[layout.score].to_numpy(dtype=np.float64)
    outcome = records[layout.outcome].to_numpy(dtype=np.int64)
    terms = _candidate_terms(instrument, frame, lawful_only=False)
    design = design_matrix(frame, terms)
    coefficients = _least_squares(design, recorded)
    lawful = _candidate_terms(instrument, frame, lawful_only=True)
    lawful_design = design_matrix(frame, lawful)
    in_sample = _fidelity(instrument, recorded, design @ coefficients)
    cross_validated = _fidelity(instrument, recorded, _cross_validated(design, recorded, seed))
    lawful_cv = _fidelity(instrument, recorded, _cross_validated(lawful_design, recorded, seed))
    baseline = _baseline(lawful, lawful_design, instrument, outcome, recorded, seed)
    document: dict[str, Any] = {
        "schema_version": POINTS_TABLE_SCHEMA_VERSION, "kind": "surrogate", "instrument": instrument.id,
        "fitted_to": f"the tool's recorded {layout.score}", "method": "points table, least squares",
        "intercept": float(coefficients[0]),
        "terms": [{**t.to_dict(), "points": float(p), "people": int(design[:, i].sum())}
                  for i, (t, p) in enumerate(zip(terms, coefficients[1:], strict=True), start=1)],
        "fidelity": {"in_sample": in_sample.to_dict(), "cross_validated": cross_validated.to_dict(),
                     "cross_validated_without_legally_irrelevant": lawful_cv.to_dict(), "folds": FOLDS, "seed": seed},
        "baseline": baseline.to_dict(),
        "data": {"sha256": data_sha256, "rows": len(records), "filter": filter_note},
    }  # fmt: skip
    surrogate = PointsTableModel(instrument, json.loads(canonical_json(document)))
    return PointsTableFit(surrogate, in_sample, cross_validated, lawful_cv, baseline)


def write_points_table(surrogate: PointsTableModel, folder: Path, recorded_data: Path | None = None) -> Path:
    """The surrogate's folder: ``surrogate.json`` (canonical JSON: its file digest is its identity) and, when
    given, the recorded scores it was fitted to in ``training-data/`` (checked against the card's digest).

    Each file is written atomically; returns the path of ``surrogate.json``.
    """
    folder.mkdir(parents=True, exist_ok=True)
    if recorded_data is not None:
        expected = (surrogate.card.get("data") or {}).get("sha256")
        data = recorded_data.read_bytes()
        digest = sha256_bytes(data)
        if expected is not None and digest != expected:
            raise IntegrityError(str(recorded_data), str(expected), digest)
        records = folder / RECORDS_FOLDER
        records.mkdir(exist_ok=True)
        for old in records.glob("*.csv"):
            if old.name != recorded_data.name:
                old.unlink()  # one data file: the surrogate's own
        write_atomically(records / recorded_data.name, data)
    path = folder / POINTS_TABLE_FILE
    write_atomically(path, surrogate.to_json())
    return path
