"""The population a model is judged against: its own training data where we have it, else a stated stand-in.

For the reference model the training judgments sit beside the artifact, with their digest in the
model card; they are used only when the digest matches. For any other model (a vendor's endpoint,
a callable) the bias-free synthetic background stands in, and every result that uses it says so:
it has no actual sentences, so similar past judgments cannot be shown from it.

Also here: similar past judgments (nearest cases of the same charge on the legally relevant
facts) and coverage (is this case inside the data the model learned from?).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from sentencing.case import Case
from sentencing.catalogue import FactorType, LegalRole, load_catalogue
from sentencing.errors import IntegrityError
from sentencing.features import feature_row
from sentencing.judgments import background_features
from sentencing.models import SentencingModel
from sentencing.practice import PracticeIndex, build_index

__all__ = [
    "Coverage",
    "Population",
    "SimilarJudgment",
    "assess_coverage",
    "find_similar_judgments",
    "index_from_frame",
    "population_of",
    "practice_stand_in",
]


@dataclass(frozen=True)
class Population:
    """Rows of features (and actual sentences when known) and where they came from."""

    frame: pd.DataFrame
    source: str
    sha256: str | None
    has_sentences: bool


_CACHE: dict[str, Population] = {}


def population_of(model: SentencingModel, background_rows: int = 4000) -> Population:
    """The model's own training data when it is beside the artifact and matches the card; else the background."""
    data = model.training_data
    if data is not None:
        key = f"{data.path}:{data.sha256}"
        if key not in _CACHE:
            try:
                raw = data.read()
            except IntegrityError:
                raw = None  # not the data the card names: the stated background instead
            if raw is not None:
                # parsed from the bytes just hashed, never read again by name
                frame = _with_every_fact(pd.read_csv(io.BytesIO(raw), keep_default_na=False))
                _CACHE[key] = Population(frame, "training data", data.sha256, True)
        if key in _CACHE:
            return _CACHE[key]
    key = f"background:{background_rows}"
    if key not in _CACHE:
        _CACHE[key] = Population(_with_every_fact(background_features(background_rows)),
                                 "synthetic background (bias-free)", None, False)  # fmt: skip
    return _CACHE[key]


def _with_every_fact(frame: pd.DataFrame) -> pd.DataFrame:
    """Past cases recorded before the catalogue knew a fact (a crime added since: 驾驶车辆抢夺, 事故责任) hold it at its
    default — the value every case of another charge has — so that every explainer can read every column."""
    catalogue = load_catalogue()
    missing = {spec.id: spec.default for spec in catalogue.factors
               if spec.id not in frame.columns and spec.default is not None}  # fmt: skip
    if not missing:
        return frame
    # joined at once: dozens of columns assigned one by one fragment the frame (pandas warns)
    filled = pd.DataFrame({column: [value] * len(frame) for column, value in missing.items()}, index=frame.index)
    return pd.concat([frame, filled], axis=1)


def _relevant_columns(frame: pd.DataFrame, charge: str) -> tuple[list[str], list[str]]:
    """Legally relevant factors of this charge, split into numeric and categorical columns."""
    catalogue = load_catalogue()
    numeric: list[str] = []
    categorical: list[str] = []
    for spec in catalogue.factors_for(charge):
        if spec.legal_role is LegalRole.LEGALLY_IRRELEVANT or spec.id not in frame.columns:
            continue
        (categorical if spec.type is FactorType.ENUM else numeric).append(spec.id)
    return numeric, categorical


def _scaled_distances(frame: pd.DataFrame, row: dict[str, Any], charge: str) -> np.ndarray[Any, Any]:
    """Distance on legally relevant facts: numbers scaled by their spread (log for amounts), choices 0/1."""
    numeric, categorical = _relevant_columns(frame, charge)
    total = np.zeros(len(frame))
    for column in numeric:
        values = frame[column].to_numpy(dtype=float)
        target = float(row[column])
        if column == "amount_yuan":
            values, target = np.log1p(values), float(np.log1p(target))
        spread = float(np.std(values)) or 1.0
        total += ((values - target) / spread) ** 2
    for column in categorical:
        total += (frame[column].astype(str).to_numpy() != str(row[column])).astype(float)
    return np.sqrt(total)


def _typed(factor: str, raw: Any) -> Any:
    """A population cell as the case schema types it (yes/no facts as booleans, counts as integers)."""
    spec = load_catalogue().factor(factor)
    if spec.type is FactorType.BOOLEAN:
        return bool(float(raw))
    if spec.type is FactorType.INTEGER:
        return int(float(raw))
    if spec.type is FactorType.NUMBER:
        return float(raw)
    return str(raw)


@dataclass(frozen=True)
class SimilarJudgment:
    case_id: str
    distance: float
    sentence_months: float
    guideline_months: float
    facts: tuple[tuple[str, Any], ...]


def find_similar_judgments(case: Case, population: Population, count: int = 5) -> tuple[SimilarJudgment, ...]:
    """The nearest past judgments of the same charge, on the legally relevant facts only."""
    if not population.has_sentences:
        return ()
    same = population.frame[population.frame["charge"] == case.charge]
    if same.empty:
        return ()
    row = feature_row(case)
    distances = _scaled_distances(same, row, case.charge)
    order = np.lexsort((same["case_id"].to_numpy(), distances))[:count]
    numeric, categorical = _relevant_columns(same, case.charge)
    shown = [c for c in numeric + categorical if c in row]
    out = []
    for index in order:
        record = same.iloc[int(index)]
        facts = tuple((c, _typed(c, record[c])) for c in shown if record[c] not in (0, 0.0, "none"))
        out.append(
            SimilarJudgment(
                case_id=str(record["case_id"]),
                distance=round(float(distances[index]), 4),
                sentence_months=float(record["sentence_months"]),
                guideline_months=float(record["guideline_months"]),
                facts=facts,
            )
        )
    return tuple(out)


@dataclass(frozen=True)
class Coverage:
    """Whether the case lies inside the population: nearest-neighbour distance against its own distribution."""

    charge_rows: int
    nearest_distance: float | None
    typical_distance_99: float | None
    outside_ranges: tuple[str, ...]
    out_of_distribution: bool
    source: str


_TYPICAL: dict[tuple[Any, ...], float] = {}


def assess_coverage(case: Case, population: Population, neighbours: int = 5, sample: int = 400) -> Coverage:
    """Out of distribution when the case's k-th nearest distance exceeds the 99th percentile of the
    same distance among the population's own cases, or when a fact lies outside the population's range."""
    same = population.frame[population.frame["charge"] == case.charge].reset_index(drop=True)
    row = feature_row(case)
    numeric, _ = _relevant_columns(same, case.charge)
    outside = tuple(c for c in numeric if not same.empty and not same[c].min() <= float(row[c]) <= same[c].max())
    if len(same) <= neighbours:
        return Coverage(len(same), None, None, outside, True, population.source)  # too few to judge
    kth = float(np.sort(_scaled_distances(same, row, case.charge))[neighbours - 1])
    key = (population.source, population.sha256, len(population.frame), case.charge, neighbours, sample)
    if key not in _TYPICAL:
        rng = np.random.default_rng(0)
        picks = rng.choice(len(same), size=min(sample, len(same)), replace=False)
        own = []
        for index in picks:
            other = same.iloc[int(index)].to_dict()
            distances = np.sort(_scaled_distances(same, other, case.charge))
            own.append(float(distances[neighbours]))  # skip the case itself (distance 0)
        _TYPICAL[key] = float(np.percentile(own, 99))
    typical = _TYPICAL[key]
    return Coverage(
        len(same), round(kth, 4), round(typical, 4), outside, kth > typical or bool(outside), population.source
    )


def practice_stand_in(population: Population) -> PracticeIndex | None:
    """The synthetic judgments as the stand-in corpus of practice when no court's corpus is configured (they have
    sentences only when the population is the model's training data); every result built on it says so."""
    if not population.has_sentences:
        return None
    key = (population.source, population.sha256, len(population.frame))
    if key not in _STAND_INS:
        _STAND_INS[key] = _stand_in(population)
    return _STAND_INS[key]


_STAND_INS: dict[tuple[Any, ...], PracticeIndex] = {}


def _stand_in(population: Population) -> PracticeIndex:
    source = f"synthetic judgments ({population.source}), standing in: no court corpus configured"
    return index_from_frame(population.frame, source=source, sha256=population.sha256 or "")


def index_from_frame(frame: pd.DataFrame, *, source: str, sha256: str) -> PracticeIndex:
    """A practice index of synthetic judgments: a frame of the generator's columns with ``sentence_months``."""
    columns = [c for c in frame.columns if c not in ("case_id", "charge", "sentence_months", "guideline_months")]
    records = ((str(row["case_id"]), str(row["charge"]), {c: row[c] for c in columns}, float(row["sentence_months"]),
                None) for row in frame.to_dict("records"))  # fmt: skip
    return build_index(records, source=source, sha256=sha256, synthetic=True)
