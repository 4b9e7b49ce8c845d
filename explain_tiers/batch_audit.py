"""A model's batch audit over a large set of cases, streamed in chunks with bounded memory.

For every case (one CSV row of features, optionally with the sentence actually given):

- **group disparities**: per value of each legally irrelevant factor, the mean recommendation,
  the mean actual sentence and the mean gap between them (uncontrolled: groups differ in facts);
- **controlled flip tests**: the same case with one legally irrelevant factor set to its reference
  value (the catalogue's first: male, local, employed, east, han), everything else equal; the mean
  change in months, the typical change in per cent (the geometric mean of the ratios, both terms
  floored at half a month, the scale a bias multiplies on, so that terms near 0 — non-custodial
  outcomes — do not swamp it), and the share of cases it moves by the threshold or more;
- **coverage**: whether the case lies inside the data the model learned from (its charge seen,
  every number inside that charge's training range, every category seen), overall and per charge.

The work is a map over chunks (:func:`audit_chunk`, pure) and an associative merge
(:meth:`AuditPartial.merge`). Locally the chunks run in this process or in a process pool
(``workers``); any ``concurrent.futures.Executor`` can run them instead (a Dask cluster's
``Client(address).get_executor()``), with the same results. At most ``2 × workers`` chunks are
in flight, so memory stays bounded by the chunk size whatever the file's length.
"""

from __future__ import annotations

import math
import sys
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sentencing.catalogue import FactorType, LegalRole, load_catalogue
from sentencing.errors import InputError, InputFileError, Rule
from sentencing.excerpts import excerpt
from sentencing.features import categorical_columns, feature_columns, numeric_columns
from sentencing.i18n import Label
from sentencing.models import SentencingModel, load_model
from sentencing.untrusted import check_regular_file

__all__ = [
    "BATCH_TEXT",
    "AuditContext",
    "AuditPartial",
    "BatchAudit",
    "CoverageLine",
    "FlipLine",
    "GroupLine",
    "audit_chunk",
    "check_chunk",
    "csv_dtypes",
    "finish_audit",
    "open_audit",
    "prepare_context",
    "read_chunks",
    "remember_model",
    "run_batch_audit",
]

# The audit's headings in both court languages (the command line's view and the app's page share them).
BATCH_TEXT: dict[str, Label] = {
    "title": Label("模型批量审查", "Batch audit of the model"),
    "cases": Label("案件数", "cases"),
    "population": Label("对照数据", "compared with"),
    "flips": Label("控制变量翻转测试（其他事实不变，只改一个法律上不应考虑的因素）",
                   "Controlled flip tests (one legally irrelevant factor changed, every other fact unchanged)"),
    "moved": Label("变化达阈值的案件比例", "share moved by the threshold"),
    "groups": Label("各群体平均（未控制其他事实）", "Group means (other facts not held equal)"),
    "recommended": Label("建议(月)", "recommended (mo)"),
    "actual": Label("实判(月)", "actual (mo)"),
    "coverage": Label("覆盖率：案件处于模型训练数据范围内的比例",
                      "Coverage: share of cases inside the model's training data"),
    "outside": Label("超出训练数据范围的字段", "columns outside the training data"),
    "findings": Label("质证理由", "Findings"),
    "none": Label("未发现法律上不应考虑的因素影响建议。", "No legally irrelevant factor moves the recommendation."),
}  # fmt: skip

SCHEMA_VERSION = "1.1"  # 1.1: a flip's percent is the typical relative change (geometric mean), not the mean ratio
_FLOOR_MONTHS = 0.5
ACTUAL = "sentence_months"


@dataclass(frozen=True)
class AuditContext:
    """What every chunk needs, small enough to send to another process or machine."""

    model_location: str
    model_sha256: str | None
    factors: tuple[tuple[str, tuple[str, ...]], ...]  # legally irrelevant factor → its values (first = reference)
    ranges: Mapping[str, Mapping[str, tuple[float, float]]]  # charge → numeric column → (min, max) in training
    levels: Mapping[str, Mapping[str, frozenset[str]]]  # charge → categorical column → levels seen in training
    population: str
    threshold_months: float = 0.5


_MODELS: dict[tuple[str, str | None], SentencingModel] = {}


def _model(context: AuditContext) -> SentencingModel:
    key = (context.model_location, context.model_sha256)
    if key not in _MODELS:  # once per process: a worker loads the model, checked against its fingerprint
        _MODELS[key] = load_model(context.model_location, expected_sha256=context.model_sha256)
    return _MODELS[key]


@dataclass
class AuditPartial:
    """Sums over some rows; merging two partials gives the partial of their union (in any grouping)."""

    rows: int = 0
    # (factor, value) → [n, sum recommended, n with actual, sum actual, sum gap]
    groups: dict[tuple[str, str], list[float]] = field(default_factory=dict)
    # (factor, value) → [n, Δ, Σ log ratio, moved]
    flips: dict[tuple[str, str], list[float]] = field(default_factory=dict)
    coverage: dict[str, list[float]] = field(default_factory=dict)  # charge → [n, covered]
    outside: dict[str, int] = field(default_factory=dict)  # column → rows outside the training data on it

    def merge(self, other: AuditPartial) -> AuditPartial:
        merged = AuditPartial(self.rows + other.rows)
        for part in (self, other):
            for name in ("groups", "flips", "coverage"):
                for key, values in getattr(part, name).items():
                    _add(getattr(merged, name), key, values)
            for column, count in part.outside.items():
                _count(merged.outside, column, count)
        return merged


def _add(table: dict[Any, list[float]], key: Any, values: list[float]) -> None:
    current = table.get(key)
    table[key] = list(values) if current is None else [x + y for x, y in zip(current, values, strict=True)]


def _count(table: dict[str, int], column: str, rows: int) -> None:
    table[column] = table.get(column, 0) + rows


def remember_model(context: AuditContext, model: SentencingModel) -> None:
    """The model already loaded (and checked) in this process, so that this process's chunks do not load it again."""
    _MODELS[(context.model_location, context.model_sha256)] = model


def audit_chunk(
    chunk: pd.DataFrame, context: AuditContext, predicted: np.ndarray[Any, Any] | None = None
) -> AuditPartial:
    """The partial audit of one chunk of rows (a pure function of the chunk, the context and the model); ``predicted``:
    the model's answers to the chunk when the caller has them already."""
    model = _model(context)
    features = chunk[list(feature_columns())]
    predicted = model.predict_frame(features) if predicted is None else predicted
    partial = AuditPartial(len(chunk))
    actual = chunk[ACTUAL].to_numpy(dtype=float) if ACTUAL in chunk.columns else None
    for factor, values in context.factors:
        column = features[factor].to_numpy(dtype=object)
        for value in values:
            mask = column == value
            n = int(mask.sum())
            if n == 0:
                continue
            if actual is not None:
                _add(partial.groups, (factor, value), [n, float(predicted[mask].sum()), n, float(actual[mask].sum()),
                                                       float((predicted[mask] - actual[mask]).sum())])  # fmt: skip
            else:
                _add(partial.groups, (factor, value), [n, float(predicted[mask].sum()), 0, 0.0, 0.0])
        reference = values[0]
        others = column != reference
        if others.any():
            twin = features[others].copy()
            twin[factor] = reference
            delta = predicted[others] - model.predict_frame(twin)
            base = predicted[others]
            for value in values[1:]:
                mask = column[others] == value
                if mask.any():
                    d = delta[mask]
                    # the typical relative change on the scale a bias multiplies: log ratios, both terms floored
                    # at half a month (as in audit.py), so that non-custodial terms near 0 do not swamp the mean
                    relative = np.log(np.maximum(base[mask], _FLOOR_MONTHS) / np.maximum(base[mask] - d, _FLOOR_MONTHS))
                    moved = float((np.abs(d) >= context.threshold_months).sum())
                    _add(
                        partial.flips,
                        (factor, value),
                        [float(mask.sum()), float(d.sum()), float(relative.sum()), moved],
                    )
    _coverage(features, context, partial)
    return partial


def _coverage(features: pd.DataFrame, context: AuditContext, partial: AuditPartial) -> None:
    for charge, part in features.groupby("charge", sort=True):
        charge = str(charge)
        inside = np.ones(len(part), dtype=bool)
        if charge not in context.ranges:
            _count(partial.outside, "charge", len(part))
            inside[:] = False
        else:
            for column, (low, high) in context.ranges[charge].items():
                values = part[column].to_numpy(dtype=float)
                out = (values < low) | (values > high)
                if out.any():
                    _count(partial.outside, column, int(out.sum()))
                    inside &= ~out
            for column, seen in context.levels[charge].items():
                out = ~part[column].isin(seen).to_numpy()
                if out.any():
                    _count(partial.outside, column, int(out.sum()))
                    inside &= ~out
        _add(partial.coverage, charge, [float(len(part)), float(inside.sum())])


def prepare_context(model: SentencingModel, model_location: str, threshold_months: float = 0.5) -> AuditContext:
    """The legally irrelevant factors and the training data's ranges, from the model's own population."""
    from explain_tiers.population import population_of

    if not threshold_months > 0:
        raise InputError(f"threshold {threshold_months}", Rule.OUT_OF_RANGE, "must be more than 0 months")
    catalogue = load_catalogue()
    irrelevant = catalogue.with_role(LegalRole.LEGALLY_IRRELEVANT)
    factors = tuple(
        (spec.id, tuple(str(v) for v in spec.values)) for spec in irrelevant if spec.type is FactorType.ENUM
    )
    population = population_of(model)
    frame = population.frame
    ranges: dict[str, dict[str, tuple[float, float]]] = {}
    levels: dict[str, dict[str, frozenset[str]]] = {}
    for charge, part in frame.groupby("charge"):
        ranges[str(charge)] = {c: (float(part[c].min()), float(part[c].max())) for c in numeric_columns()}
        levels[str(charge)] = {c: frozenset(part[c].astype(str)) for c in categorical_columns() if c != "charge"}
    return AuditContext(model_location, model.identity.sha256, factors, ranges, levels, population.source,
                        threshold_months)  # fmt: skip


def open_audit(data: Path, model_location: str, model_sha256: str | None,
               threshold_months: float) -> tuple[AuditContext, SentencingModel]:  # fmt: skip
    """What every engine does before reading a row: the case file is a regular file (a FIFO or a device is refused
    before any worker opens it), the model is loaded against its digest, and the context prepared from it."""
    check_regular_file(data)
    model = load_model(model_location, expected_sha256=model_sha256)
    return prepare_context(model, model_location, threshold_months), model


def csv_dtypes() -> dict[str, Any]:
    """How a case file's columns are read: every named column as text (its values are checked, not guessed)."""
    return dict.fromkeys(categorical_columns(), str)


def check_chunk(chunk: pd.DataFrame, path: str, *, first_line: int | None = None, where: str = "") -> pd.DataFrame:
    """A chunk of a case file checked and typed: every feature column present, every number a number, every named value
    one the catalogue knows. A bad cell is one line naming the file, its line (``first_line``: the file line of the
    chunk's first row) or else its row within ``where`` (a block of the file), the column and the value."""
    catalogue = load_catalogue()
    allowed = {spec.id: {str(v) for v in spec.values} for spec in catalogue.factors if spec.type is FactorType.ENUM}
    allowed["charge"] = {charge.id for charge in catalogue.charges}

    def place(index: int) -> str:
        return f"line {first_line + index}" if first_line is not None else f"{where}, row {index + 1}"

    missing = [c for c in feature_columns() if c not in chunk.columns]
    if missing:
        raise InputFileError(path, Rule.MISSING_REQUIRED, f"columns {missing} are missing")
    for column in numeric_columns() + ((ACTUAL,) if ACTUAL in chunk.columns else ()):
        converted = pd.to_numeric(chunk[column], errors="coerce")
        bad = converted.isna().to_numpy()
        if bad.any():
            index = int(np.argmax(bad))
            found = chunk[column].iloc[index]
            raise InputFileError(path, Rule.WRONG_TYPE,
                                 f"{place(index)}, column {column}: {excerpt(found)} is not a number")  # fmt: skip
        chunk[column] = converted.astype(float)
    for column in categorical_columns():
        if allowed.get(column):
            unknown = ~chunk[column].isin(allowed[column]).to_numpy()
            if unknown.any():
                index = int(np.argmax(unknown))
                found = chunk[column].iloc[index]
                raise InputFileError(path, Rule.NOT_ALLOWED_VALUE, f"{place(index)}, column {column}: "
                                     f"{excerpt(found)} is not one of {sorted(allowed[column])}")  # fmt: skip
    return chunk


def read_chunks(path: Path, chunk_rows: int) -> Iterator[pd.DataFrame]:
    """The CSV in chunks of ``chunk_rows``, each checked: every feature column present, typed, with known values."""
    if chunk_rows < 1:
        raise InputError(f"chunk_rows {chunk_rows}", Rule.OUT_OF_RANGE, "must be at least 1")
    try:
        with pd.read_csv(path, chunksize=chunk_rows, dtype=csv_dtypes(), keep_default_na=False) as reader:
            first = 0
            for chunk in reader:
                yield check_chunk(chunk, str(path), first_line=first + 2)
                first += len(chunk)
    except FileNotFoundError:
        raise InputFileError(str(path), Rule.FILE_UNREADABLE, "no such file") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError, ValueError) as exc:
        raise InputFileError(
            str(path), Rule.FILE_UNREADABLE, f"not a readable CSV ({excerpt(str(exc), 120)})"
        ) from None


def _bounded_map(executor: Executor, function: Callable[..., AuditPartial], chunks: Iterator[pd.DataFrame],
                 context: AuditContext, in_flight: int) -> Iterator[AuditPartial]:  # fmt: skip
    """Like ``executor.map``, but never more than ``in_flight`` chunks submitted and unfinished."""
    pending: deque[Future[AuditPartial]] = deque()
    for chunk in chunks:
        pending.append(executor.submit(function, chunk, context))
        if len(pending) >= in_flight:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


@dataclass(frozen=True)
class GroupLine:
    factor: str
    value: str
    rows: int
    mean_recommended: float
    mean_actual: float | None
    mean_gap: float | None


@dataclass(frozen=True)
class FlipLine:
    factor: str
    value: str
    reference: str
    rows: int
    mean_change_months: float
    mean_change_percent: float
    share_moved: float


@dataclass(frozen=True)
class CoverageLine:
    charge: str
    rows: int
    covered: float


@dataclass(frozen=True)
class BatchAudit:
    rows: int
    model_sha256: str | None
    population: str
    threshold_months: float
    groups: tuple[GroupLine, ...]
    flips: tuple[FlipLine, ...]
    coverage: tuple[CoverageLine, ...]
    outside_by_column: tuple[tuple[str, int], ...]
    findings: tuple[Label, ...]

    @property
    def covered(self) -> float:
        total = sum(c.rows for c in self.coverage)
        return sum(c.rows * c.covered for c in self.coverage) / total if total else float("nan")

    def flip(self, factor: str, value: str) -> FlipLine:
        return next(f for f in self.flips if f.factor == factor and f.value == value)

    def to_dict(self) -> dict[str, Any]:
        return {"schema_version": SCHEMA_VERSION, "rows": self.rows, "model_sha256": self.model_sha256,
                "population": self.population, "threshold_months": self.threshold_months,
                "groups": [g.__dict__ for g in self.groups], "flips": [f.__dict__ for f in self.flips],
                "coverage": {"covered": self.covered, "by_charge": [c.__dict__ for c in self.coverage],
                             "outside_by_column": dict(self.outside_by_column)},
                "findings": [f.to_mapping() for f in self.findings]}  # fmt: skip


def finish_audit(partial: AuditPartial, context: AuditContext, finding_percent: float = 2.0) -> BatchAudit:
    """The audit of every row the merged ``partial`` holds: means, flip tests, coverage and findings."""
    catalogue = load_catalogue()
    groups = tuple(
        GroupLine(factor, value, int(s[0]), s[1] / s[0], s[3] / s[2] if s[2] else None, s[4] / s[2] if s[2] else None)
        for (factor, value), s in sorted(partial.groups.items())
    )
    references = {factor: values[0] for factor, values in context.factors}
    flips = tuple(
        FlipLine(factor, value, references[factor], int(s[0]), s[1] / s[0], 100 * math.expm1(s[2] / s[0]), s[3] / s[0])
        for (factor, value), s in sorted(partial.flips.items())
    )
    coverage = tuple(CoverageLine(charge, int(s[0]), s[1] / s[0]) for charge, s in sorted(partial.coverage.items()))
    findings = []
    for line in flips:
        if abs(line.mean_change_percent) >= finding_percent and line.rows >= 30:
            spec = catalogue.factor(line.factor)
            label, value, reference = spec.label, spec.value_in_both(line.value), spec.value_in_both(line.reference)
            direction = Label("加重", "longer") if line.mean_change_percent > 0 else Label("减轻", "shorter")
            findings.append(Label(
                f"{label.zh}（法律上不应考虑的因素）：其他事实不变，{value.zh}者的建议刑期比{reference.zh}时"
                f"平均{direction.zh} {abs(line.mean_change_percent):.1f}%（{line.rows} 件，"
                f"{line.share_moved:.0%} 的案件变化达 {context.threshold_months:g} 个月以上）。"
                "违反《刑法》第四条法律面前人人平等。",
                f"{label.en} (a legally irrelevant factor): with every other fact unchanged, the recommendation for "
                f"{value.en} defendants is on average {abs(line.mean_change_percent):.1f}% {direction.en} than if "
                f"they were {reference.en} ({line.rows} cases; {line.share_moved:.0%} move by "
                f"{context.threshold_months:g} months or more). Criminal Law art. 4: equality before the law.",
            ))  # fmt: skip
    outside = tuple(sorted(partial.outside.items(), key=lambda item: (-item[1], item[0])))
    return BatchAudit(partial.rows, context.model_sha256, context.population, context.threshold_months, groups, flips,
                      coverage, outside, tuple(findings))  # fmt: skip


def run_batch_audit(
    data: Path,
    model_location: str,
    *,
    chunk_rows: int = 50_000,
    workers: int = 1,
    executor: Executor | None = None,
    threshold_months: float = 0.5,
    finding_percent: float = 2.0,
    progress: bool = True,
    model_sha256: str | None = None,
    on_progress: Callable[[int, int], None] | None = None,
) -> BatchAudit:
    """Stream ``data`` through the audit; ``workers`` > 1 uses a local process pool, ``executor`` any other.
    ``on_progress(done, total)`` is told the rows merged so far after each chunk (the app's progress bar)."""
    if workers < 1:
        raise InputError(f"workers {workers}", Rule.OUT_OF_RANGE, "must be at least 1")
    context, model = open_audit(data, model_location, model_sha256, threshold_months)
    remember_model(context, model)
    total_rows = _count_rows(data)
    chunks = read_chunks(data, chunk_rows)
    from tqdm import tqdm

    bar = tqdm(total=total_rows, unit=" cases", disable=not progress, file=sys.stderr, desc="audit")
    partial = AuditPartial()

    def merged(result: AuditPartial) -> None:
        bar.update(result.rows)
        if on_progress is not None:
            on_progress(partial.rows, total_rows)

    try:
        if executor is None and workers == 1:
            results: Iterator[AuditPartial] = (audit_chunk(chunk, context) for chunk in chunks)
            for result in results:
                partial = partial.merge(result)
                merged(result)
        else:
            own = executor is None
            pool = executor or ProcessPoolExecutor(max_workers=workers)
            try:
                for result in _bounded_map(pool, audit_chunk, chunks, context, in_flight=2 * max(workers, 1)):
                    partial = partial.merge(result)
                    merged(result)
            finally:
                if own:
                    pool.shutdown(cancel_futures=True)
    finally:
        bar.close()
    return finish_audit(partial, context, finding_percent)


def _count_rows(path: Path) -> int:
    try:
        with path.open("rb") as handle:
            return max(sum(block.count(b"\n") for block in iter(lambda: handle.read(1 << 20), b"")) - 1, 0)
    except OSError as exc:
        raise InputFileError(str(path), Rule.FILE_UNREADABLE, str(exc.strerror or exc)) from None
