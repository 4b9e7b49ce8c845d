"""Two versions of a model over the same cases: where they disagree, by how much, and on which facts.

For a vendor's update, or a suspected poisoning of a model's training data (数据污染): both models answer every case
of a case file (streamed in chunks, as the batch audit is), and the comparison reports

- **how far apart** they are: the mean difference (B − A), the mean absolute difference, the largest, and the share
  of cases they put the threshold or more apart — overall and per charge;
- **on which facts**: for every value of every categorical fact (legally relevant or not; a yes/no fact as yes and
  no), the mean absolute difference among the cases with that value, so that a disagreement concentrated on (say)
  defendants without local household registration, or on accessories, shows as such;
- **the flip tests side by side**: each legally irrelevant factor set to its reference value, every other fact
  unchanged, in A and in B (the batch audit of each), and the change between them in percentage points — a bias
  that appeared, grew or went away.

Findings, in both languages: a flip test that moved by ``finding_points`` percentage points or more between the
versions; facts on whose cases the two disagree at least twice as much as overall (30 cases at least).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from explain_tiers.batch_audit import (
    AuditPartial,
    BatchAudit,
    audit_chunk,
    finish_audit,
    prepare_context,
    read_chunks,
    remember_model,
)
from sentencing.catalogue import FactorType, load_catalogue
from sentencing.errors import InputError, Rule
from sentencing.features import feature_columns
from sentencing.i18n import Label
from sentencing.models import load_model
from sentencing.untrusted import check_regular_file

__all__ = ["COMPARISON_SCHEMA_VERSION", "ApartLine", "FlipChange", "ModelComparison", "compare_models"]

COMPARISON_SCHEMA_VERSION = "1.0"
_MIN_ROWS = 30


@dataclass(frozen=True)
class ApartLine:
    """How far apart the two versions are on some cases (all, a charge's, or those with one value of a fact)."""

    factor: str  # "" for all cases, "charge" for a charge, else the fact
    value: str
    rows: int
    mean_difference: float  # B − A, months
    mean_absolute: float
    largest: float
    share_apart: float  # the threshold or more apart

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class FlipChange:
    factor: str
    value: str
    reference: str
    a_percent: float
    b_percent: float
    a_months: float
    b_months: float

    @property
    def points(self) -> float:
        return self.b_percent - self.a_percent

    def to_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "points": round(self.points, 4)}


@dataclass(frozen=True)
class ModelComparison:
    rows: int
    a_sha256: str | None
    b_sha256: str | None
    threshold_months: float
    overall: ApartLine
    by_charge: tuple[ApartLine, ...]
    by_fact: tuple[ApartLine, ...]  # most apart first
    flips: tuple[FlipChange, ...]
    audits: tuple[BatchAudit, BatchAudit]
    findings: tuple[Label, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"schema_version": COMPARISON_SCHEMA_VERSION, "rows": self.rows, "a_sha256": self.a_sha256,
                "b_sha256": self.b_sha256, "threshold_months": self.threshold_months,
                "overall": self.overall.to_dict(), "by_charge": [c.to_dict() for c in self.by_charge],
                "by_fact": [f.to_dict() for f in self.by_fact], "flips": [f.to_dict() for f in self.flips],
                "audits": {"a": self.audits[0].to_dict(), "b": self.audits[1].to_dict()},
                "findings": [f.to_mapping() for f in self.findings]}  # fmt: skip


@dataclass
class _Apart:
    """Sums over some rows, per key: [n, Σ(B − A), Σ|B − A|, max |B − A|, n apart]; merged by adding (max by max)."""

    table: dict[tuple[str, str], list[float]] = field(default_factory=dict)

    def add(self, key: tuple[str, str], difference: np.ndarray[Any, Any], threshold: float) -> None:
        if not len(difference):
            return
        size = np.abs(difference)
        values = [float(len(difference)), float(difference.sum()), float(size.sum()), float(size.max()),
                  float((size >= threshold).sum())]  # fmt: skip
        current = self.table.get(key)
        if current is None:
            self.table[key] = values
        else:
            self.table[key] = [*(x + y for x, y in zip(current[:3], values[:3], strict=True)),
                               max(current[3], values[3]), current[4] + values[4]]  # fmt: skip

    def line(self, key: tuple[str, str]) -> ApartLine:
        n, total, absolute, largest, apart = self.table[key]
        return ApartLine(key[0], key[1], int(n), total / n, absolute / n, largest, apart / n)


def _fact_values(frame: pd.DataFrame) -> list[tuple[str, np.ndarray[Any, Any]]]:
    """Every categorical fact's column as strings ("yes" / "no" for a yes/no fact)."""
    catalogue = load_catalogue()
    out = []
    for column in feature_columns():
        if column == "charge" or not catalogue.has_factor(column):
            continue
        spec = catalogue.factor(column)
        if spec.type is FactorType.ENUM:
            out.append((column, frame[column].astype(str).to_numpy(dtype=object)))
        elif spec.type is FactorType.BOOLEAN:
            out.append((column, np.where(frame[column].to_numpy(dtype=float) > 0.5, "yes", "no").astype(object)))
    return out


def compare_models(
    data: Path,
    a_location: str,
    b_location: str,
    *,
    chunk_rows: int = 50_000,
    threshold_months: float = 0.5,
    finding_points: float = 2.0,
    a_sha256: str | None = None,
    b_sha256: str | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> ModelComparison:
    """Stream ``data`` through both models once; ``on_progress(rows)`` after each chunk."""
    if not threshold_months > 0:
        raise InputError(f"threshold {threshold_months}", Rule.OUT_OF_RANGE, "must be more than 0 months")
    check_regular_file(data)
    models = (load_model(a_location, expected_sha256=a_sha256), load_model(b_location, expected_sha256=b_sha256))
    contexts = tuple(prepare_context(m, location, threshold_months)
                     for m, location in zip(models, (a_location, b_location), strict=True))  # fmt: skip
    for model, context in zip(models, contexts, strict=True):
        remember_model(context, model)
    partials = [AuditPartial(), AuditPartial()]
    apart = _Apart()
    rows = 0
    for chunk in read_chunks(data, chunk_rows):
        features = chunk[list(feature_columns())]
        answers = [np.asarray(model.predict_frame(features), dtype=float) for model in models]
        difference = answers[1] - answers[0]
        apart.add(("", ""), difference, threshold_months)
        charges = features["charge"].astype(str).to_numpy(dtype=object)
        for charge in sorted(set(charges)):
            apart.add(("charge", str(charge)), difference[charges == charge], threshold_months)
        for column, values in _fact_values(features):
            for value in sorted(set(values)):
                apart.add((column, str(value)), difference[values == value], threshold_months)
        for index, context in enumerate(contexts):  # each audit takes the answers just given, not asked again
            partials[index] = partials[index].merge(audit_chunk(chunk, context, answers[index]))
        rows += len(chunk)
        if on_progress is not None:
            on_progress(rows)
    if rows == 0:
        raise InputError(str(data), Rule.MISSING_REQUIRED, "the case file has no cases")
    audits = (finish_audit(partials[0], contexts[0]), finish_audit(partials[1], contexts[1]))
    overall = apart.line(("", ""))
    by_charge = tuple(apart.line(k) for k in sorted(apart.table) if k[0] == "charge")
    by_fact = tuple(sorted((apart.line(k) for k in apart.table if k[0] not in ("", "charge")),
                           key=lambda line: (-line.mean_absolute, line.factor, line.value)))  # fmt: skip
    flips = tuple(
        FlipChange(a.factor, a.value, a.reference, a.mean_change_percent, b.mean_change_percent,
                   a.mean_change_months, b.mean_change_months)
        for a in audits[0].flips
        for b in audits[1].flips
        if (a.factor, a.value) == (b.factor, b.value)
    )  # fmt: skip
    return ModelComparison(rows, contexts[0].model_sha256, contexts[1].model_sha256, threshold_months, overall,
                           by_charge, by_fact, flips, audits,
                           _findings(overall, by_fact, flips, finding_points, threshold_months))  # fmt: skip


def _findings(overall: ApartLine, by_fact: tuple[ApartLine, ...], flips: tuple[FlipChange, ...],
              finding_points: float, threshold: float) -> tuple[Label, ...]:  # fmt: skip
    catalogue = load_catalogue()
    out = []
    for flip in flips:
        if abs(flip.points) < finding_points or math.isnan(flip.points):
            continue
        spec = catalogue.factor(flip.factor)
        value, reference = spec.value_in_both(flip.value), spec.value_in_both(flip.reference)
        out.append(Label(
            f"{spec.label.zh}（法律上不应考虑的因素）：其他事实不变，{value.zh}者相对于{reference.zh}的建议刑期变化，"
            f"A 为 {flip.a_percent:+.1f}%，B 为 {flip.b_percent:+.1f}%（变化 {flip.points:+.1f} 个百分点）。"
            "新版本中出现或加重的此类差异，可能源于训练数据被污染或新的历史偏见（《刑法》第四条）。",
            f"{spec.label.en} (a legally irrelevant factor): with every other fact unchanged, the recommendation for "
            f"{value.en} against {reference.en} defendants changes by {flip.a_percent:+.1f}% in A and "
            f"{flip.b_percent:+.1f}% in B ({flip.points:+.1f} points). Such a difference appearing or growing in a "
            "new version may come from poisoned training data or new historical bias (Criminal Law art. 4).",
        ))  # fmt: skip
    concentrated = [
        line
        for line in by_fact
        if line.rows >= _MIN_ROWS and line.mean_absolute >= max(2 * overall.mean_absolute, threshold / 5)
    ]
    for line in concentrated[:5]:
        spec = catalogue.factor(line.factor)
        value = spec.value_in_both(line.value)
        out.append(Label(
            f"两个版本的分歧集中在{spec.label.zh}为{value.zh}的案件：平均相差 {line.mean_absolute:.2f} 个月"
            f"（全部案件平均 {overall.mean_absolute:.2f} 个月；{line.rows} 件，{line.share_apart:.0%} 相差 "
            f"{threshold:g} 个月以上）。",
            f"The versions disagree most on cases where {spec.label.en} is {value.en}: {line.mean_absolute:.2f} "
            f"months apart on average (all cases: {overall.mean_absolute:.2f}; {line.rows} cases, "
            f"{line.share_apart:.0%} {threshold:g} months or more apart).",
        ))  # fmt: skip
    return tuple(out)
