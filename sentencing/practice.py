"""Practice as a third yardstick: the judgments of a court's own corpus most similar to a case, and where a
recommendation falls among what they really received (类案推送).

Similarity is a distance on the structured facts the law lets matter, weighted by their legal role: the facts of
the offence (liability) count fully, the circumstances (prevention) half, the legally irrelevant facts (sex,
household registration, occupation, region, ethnicity) not at all. Amounts and counts are compared on a log scale
(a doubling is one unit), the sum returned as the share of the amount, blood alcohol per 40 mg/100ml, the age only
where the law draws a line (under 18, 75 and over). Ties are broken by the texts' similarity (a 64-bit simhash of
character bigrams) when both texts are known, then by id: the same query always gives the same answer.

A corpus is indexed once (``build_index``) and written as one ``.npz`` file of plain arrays (``save_index``; read
back with ``allow_pickle=False`` and every array checked, ``load_index``). Pure computation; no I/O but those two.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from sentencing.case import Case
from sentencing.catalogue import FactorType, LegalRole, load_catalogue
from sentencing.errors import InputFileError, Rule
from sentencing.excerpts import excerpt
from sentencing.untrusted import read_untrusted_file

__all__ = [
    "PRACTICE_SCHEMA_VERSION",
    "Neighbour",
    "PracticeComparison",
    "PracticeIndex",
    "build_index",
    "case_record",
    "column_label",
    "compare_with_practice",
    "feature_layout",
    "index_from_judgments",
    "load_index",
    "save_index",
    "simhash",
]

PRACTICE_SCHEMA_VERSION = "1.0"
_WEIGHTS = {LegalRole.LIABILITY: 1.0, LegalRole.PREVENTION: 0.5}
_MAX_INDEX_BYTES = 1 << 30
_MAX_ID = 128


@lru_cache(maxsize=16)
def feature_layout(charge: str) -> tuple[tuple[str, float], ...]:
    """The columns a case of ``charge`` is compared on, each with its weight (the index records it, and a query on
    another layout is refused)."""
    columns: list[tuple[str, float]] = []
    for spec in load_catalogue().factors_for(charge):
        weight = _WEIGHTS.get(spec.legal_role)
        if weight is None:
            continue
        if spec.id == "age_at_offence":
            columns += [("age_at_offence<18", weight), ("age_at_offence>=75", weight)]
        elif spec.type is FactorType.ENUM:
            columns += [(f"{spec.id}={value}", weight / math.sqrt(2)) for value in spec.values if value != "none"]
        else:
            columns.append((spec.id, weight))
    return tuple(columns)


def _scaled(factor: str, value: Any, values: Mapping[str, Any]) -> float:
    number = float(value) if isinstance(value, int | float) else 0.0
    if factor == "amount_yuan":
        return math.log2(1.0 + max(number, 0.0))
    if factor == "restitution_yuan":  # the share returned: all of a small sum weighs as much as all of a large one
        amount = values.get("amount_yuan")
        whole = float(amount) if isinstance(amount, int | float) and amount > 0 else 0.0
        return min(1.0, number / whole) if whole else 0.0
    if factor == "blood_alcohol_mg_per_100ml":
        return number / 40.0
    if factor in ("acts", "fraud_victims", "slight_injuries", "minor_injuries", "serious_injuries", "deaths"):
        return math.log2(1.0 + max(number, 0.0))  # the second victim weighs more than the thirty-fourth
    return number


def column_label(column: str, language: str) -> str:
    """A layout column in a court language: the factor's label, with the value for a choice."""
    catalogue = load_catalogue()
    if column.startswith("age_at_offence"):
        label = catalogue.factor("age_at_offence").label
        limit = column.removeprefix("age_at_offence")
        return f"{label.zh if language == 'zh-CN' else label.en} {limit}"
    factor, _, choice = column.partition("=")
    spec = catalogue.factor(factor)
    name = spec.label.zh if language == "zh-CN" else spec.label.en
    separator = "：" if language == "zh-CN" else ": "
    return f"{name}{separator}{spec.value_label(choice, language)}" if choice else name  # type: ignore[arg-type]


def _vector(charge: str, values: Mapping[str, Any]) -> np.ndarray[Any, Any]:
    out = []
    for column, weight in feature_layout(charge):
        if column == "age_at_offence<18":
            x = float(float(values.get("age_at_offence") or 35) < 18)
        elif column == "age_at_offence>=75":
            x = float(float(values.get("age_at_offence") or 35) >= 75)
        elif "=" in column:
            factor, _, choice = column.partition("=")
            x = float(str(values.get(factor, "none")) == choice)
        else:
            x = _scaled(column, values.get(column, 0), values)
        out.append(x * weight)
    return np.asarray(out, dtype=np.float64)


def simhash(text: str) -> int:
    """A 64-bit simhash of the text's character bigrams (whitespace ignored): near texts, near hashes."""
    chars = "".join(text.split())
    if len(chars) < 2:
        return 0
    hashes = np.fromiter(
        (
            int.from_bytes(hashlib.blake2b(chars[i : i + 2].encode("utf-8"), digest_size=8).digest(), "big")
            for i in range(len(chars) - 1)
        ),
        dtype=np.uint64,
    )
    bits = (hashes[:, None] >> np.arange(64, dtype=np.uint64)) & np.uint64(1)
    weights = (2 * bits.astype(np.int64) - 1).sum(axis=0)
    return int(sum(1 << i for i in range(64) if weights[i] > 0))


@dataclass(frozen=True)
class _ChargeIndex:
    ids: np.ndarray[Any, Any]  # unicode
    matrix: np.ndarray[Any, Any]  # float64, rows × layout
    months: np.ndarray[Any, Any]  # float64
    hashes: np.ndarray[Any, Any]  # uint64, 0 where no text was known


@dataclass(frozen=True)
class PracticeIndex:
    """A corpus of decided cases, by charge, ready to be queried. ``synthetic`` when it is a stand-in."""

    source: str
    sha256: str
    synthetic: bool
    charges: Mapping[str, _ChargeIndex]

    @property
    def size(self) -> int:
        return sum(len(c.ids) for c in self.charges.values())

    def describe(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "sha256": self.sha256,
            "synthetic": self.synthetic,
            "judgments": self.size,
            "by_charge": {charge: len(c.ids) for charge, c in sorted(self.charges.items())},
        }


def build_index(
    records: Iterable[tuple[str, str, Mapping[str, Any], float, str | None]],
    *,
    source: str,
    sha256: str,
    synthetic: bool,
) -> PracticeIndex:
    """An index of ``(id, charge, factor values, real months, text or None)`` records."""
    rows: dict[str, tuple[list[str], list[np.ndarray[Any, Any]], list[float], list[int]]] = {}
    for identifier, charge, values, months, text in records:
        ids, vectors, terms, hashes = rows.setdefault(charge, ([], [], [], []))
        ids.append(identifier)
        vectors.append(_vector(charge, values))
        terms.append(float(months))
        hashes.append(simhash(text) if text else 0)
    charges = {
        charge: _ChargeIndex(
            np.asarray(ids, dtype=f"<U{_MAX_ID}"),
            np.vstack(vectors),
            np.asarray(terms, dtype=np.float64),
            np.asarray(hashes, dtype=np.uint64),
        )
        for charge, (ids, vectors, terms, hashes) in rows.items()
    }
    return PracticeIndex(source, sha256, synthetic, charges)


def case_record(
    identifier: str, case: Case, months: float, text: str | None = None
) -> tuple[str, str, Mapping[str, Any], float, str | None]:
    """One decided case as a record for ``build_index``."""
    return identifier, case.charge, case.as_dict(), months, text


# ----------------------------------------------------------------------------------------------- the file


def save_index(index: PracticeIndex, path: Path | None = None) -> bytes:
    """The index as ``.npz`` bytes of plain arrays (no pickles); written to ``path`` by the caller, atomically."""
    arrays: dict[str, np.ndarray[Any, Any]] = {}
    manifest = {
        "schema_version": PRACTICE_SCHEMA_VERSION,
        "source": index.source,
        "sha256": index.sha256,
        "synthetic": index.synthetic,
        "layouts": {c: [list(col) for col in feature_layout(c)] for c in index.charges},
    }
    arrays["manifest"] = np.frombuffer(json.dumps(manifest, ensure_ascii=False).encode("utf-8"), dtype=np.uint8)
    for charge, c in index.charges.items():
        arrays[f"{charge}.ids"], arrays[f"{charge}.matrix"] = c.ids, c.matrix
        arrays[f"{charge}.months"], arrays[f"{charge}.hashes"] = c.months, c.hashes
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)  # type: ignore[arg-type]
    del path
    return buffer.getvalue()


def load_index(path: str | Path) -> PracticeIndex:
    """An index written by ``save_index``; anything else is refused, naming the file and the rule broken."""
    name = str(path)
    data = read_untrusted_file(path, limit=_MAX_INDEX_BYTES)
    try:
        archive = np.load(io.BytesIO(data), allow_pickle=False)
        arrays = {key: archive[key] for key in archive.files}
    except Exception as exc:  # numpy raises many kinds on bytes that are not its own
        raise InputFileError(name, Rule.PACK_MALFORMED, f"not a practice index ({type(exc).__name__})") from None
    try:
        manifest = json.loads(bytes(arrays.pop("manifest").astype(np.uint8)).decode("utf-8"))
    except (KeyError, ValueError, UnicodeDecodeError):
        raise InputFileError(name, Rule.PACK_MALFORMED, "no readable manifest") from None
    if not isinstance(manifest, dict) or manifest.get("schema_version") != PRACTICE_SCHEMA_VERSION:
        raise InputFileError(name, Rule.UNSUPPORTED_SCHEMA, f"expected a practice index {PRACTICE_SCHEMA_VERSION!r}")
    layouts = manifest.get("layouts")
    if not isinstance(layouts, dict):
        raise InputFileError(name, Rule.PACK_MALFORMED, "manifest.layouts: expected an object")
    catalogue = load_catalogue()
    charges: dict[str, _ChargeIndex] = {}
    for charge, layout in layouts.items():
        if charge not in catalogue.charge_ids:
            raise InputFileError(name, Rule.UNKNOWN_CHARGE, f"manifest.layouts: {excerpt(charge)}")
        if layout != [list(col) for col in feature_layout(charge)]:
            raise InputFileError(
                name,
                Rule.UNSUPPORTED_SCHEMA,
                f"{charge}: built on another layout of the facts; build the index again with this version",
            )
        try:
            ids, matrix = arrays[f"{charge}.ids"], arrays[f"{charge}.matrix"]
            months, hashes = arrays[f"{charge}.months"], arrays[f"{charge}.hashes"]
        except KeyError as exc:
            raise InputFileError(name, Rule.PACK_MALFORMED, f"missing array {exc.args[0]}") from None
        n = len(ids)
        if (
            ids.dtype.kind != "U"
            or matrix.dtype != np.float64
            or matrix.shape != (n, len(layout))
            or months.dtype != np.float64
            or months.shape != (n,)
            or hashes.dtype != np.uint64
            or hashes.shape != (n,)
            or not np.isfinite(matrix).all()
            or not np.isfinite(months).all()
            or (months < 0).any()
        ):
            raise InputFileError(name, Rule.PACK_MALFORMED, f"{charge}: arrays of the wrong type, shape or value")
        charges[charge] = _ChargeIndex(ids, matrix, months, hashes)
    source, sha256, synthetic = manifest.get("source"), manifest.get("sha256"), manifest.get("synthetic")
    if not isinstance(source, str) or not isinstance(sha256, str) or not isinstance(synthetic, bool):
        raise InputFileError(name, Rule.PACK_MALFORMED, "manifest: source, sha256 and synthetic are required")
    return PracticeIndex(source[:300], sha256[:64], synthetic, charges)


# ----------------------------------------------------------------------------------------------- the query


@dataclass(frozen=True)
class Neighbour:
    judgment_id: str
    distance: float
    real_months: float
    differences: tuple[str, ...]  # the columns on which it differs from the case

    def to_dict(self) -> dict[str, Any]:
        return {
            "judgment_id": self.judgment_id,
            "distance": self.distance,
            "real_months": self.real_months,
            "differences": list(self.differences),
        }


@dataclass(frozen=True)
class PracticeComparison:
    """The nearest decided cases of the same charge and where a recommendation falls among their outcomes."""

    corpus: Mapping[str, Any]
    charge: str
    neighbours: tuple[Neighbour, ...]
    quantiles: tuple[tuple[str, float], ...]  # p10, p25, median, p75, p90 of the neighbours' real terms
    model_months: float | None
    model_percentile: float | None
    guideline_months: float | None
    guideline_percentile: float | None

    def percentile(self, months: float) -> float | None:
        """Where ``months`` falls among the neighbours' real terms (mid-rank, 0–100); None without neighbours."""
        if not self.neighbours:
            return None
        return _percentile(np.array([n.real_months for n in self.neighbours]), months)

    @property
    def model_outside(self) -> bool:
        """The model's recommendation below the 10th or above the 90th percentile of what similar cases received."""
        if self.model_months is None or len(self.neighbours) < 5:
            return False
        q = dict(self.quantiles)
        return bool(self.model_months < q["p10"] - 1e-9 or self.model_months > q["p90"] + 1e-9)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": PRACTICE_SCHEMA_VERSION,
            "corpus": dict(self.corpus),
            "charge": self.charge,
            "neighbours": [n.to_dict() for n in self.neighbours],
            "quantiles": dict(self.quantiles),
            "model_months": self.model_months,
            "model_percentile": self.model_percentile,
            "guideline_months": self.guideline_months,
            "guideline_percentile": self.guideline_percentile,
            "model_outside": self.model_outside,
        }


def _percentile(values: np.ndarray[Any, Any], x: float) -> float:
    """The share of values below ``x``, ties counted half (the mid-rank percentile, 0–100)."""
    below = float((values < x - 1e-9).sum())
    equal = float((np.abs(values - x) <= 1e-9).sum())
    return round(100.0 * (below + equal / 2) / len(values), 1)


def compare_with_practice(
    index: PracticeIndex,
    case: Case,
    *,
    k: int = 20,
    text: str | None = None,
    model_months: float | None = None,
    guideline_months: float | None = None,
) -> PracticeComparison:
    """The ``k`` nearest decided cases of the case's charge, their outcomes' spread, and the percentiles of the
    model's recommendation and the guideline's result among them."""
    if not 1 <= k <= 1000:
        raise InputFileError("k", Rule.OUT_OF_RANGE, f"between 1 and 1000, found {excerpt(k)}")
    layout = feature_layout(case.charge)
    found = index.charges.get(case.charge)
    if found is None or not len(found.ids):
        return PracticeComparison(index.describe(), case.charge, (), (), model_months, None, guideline_months, None)
    target = _vector(case.charge, case.as_dict())
    distances = np.sqrt(((found.matrix - target) ** 2).sum(axis=1))
    count = min(k, len(distances))
    # every row as near as the k-th is a candidate, so ties at the edge are broken by the rule, not by position
    edge = np.partition(distances, count - 1)[count - 1]
    candidates = np.flatnonzero(distances <= edge + 1e-12)
    query_hash = simhash(text) if text else 0
    hamming = np.zeros(len(candidates), dtype=np.int64)
    if query_hash:
        known = found.hashes[candidates]
        xor = np.bitwise_xor(known, np.uint64(query_hash))
        hamming = np.array([bin(int(v)).count("1") for v in xor], dtype=np.int64)
        hamming[known == 0] = 65  # no text known: after every text
    order = np.lexsort((found.ids[candidates], hamming, np.round(distances[candidates], 9)))[:count]
    chosen = candidates[order]
    neighbours = []
    for i in chosen:
        differs = tuple(
            col for (col, _), a, b in zip(layout, found.matrix[i], target, strict=True) if abs(a - b) > 1e-9
        )
        neighbours.append(Neighbour(str(found.ids[i]), round(float(distances[i]), 4), float(found.months[i]), differs))
    months = found.months[chosen]
    quantiles = tuple(
        (name, round(float(np.quantile(months, q)), 2))
        for name, q in (("p10", 0.1), ("p25", 0.25), ("median", 0.5), ("p75", 0.75), ("p90", 0.9))
    )
    return PracticeComparison(
        index.describe(),
        case.charge,
        tuple(neighbours),
        quantiles,
        model_months,
        None if model_months is None else _percentile(months, model_months),
        guideline_months,
        None if guideline_months is None else _percentile(months, guideline_months),
    )


def index_from_judgments(records: Sequence[Any], *, source: str, sha256: str) -> PracticeIndex:
    """An index of ``sentencing.evaluation.JudgmentRecord``s (real judgments), with their texts where they kept them."""
    return build_index(
        (case_record(r.judgment_id, r.case, r.real.months, r.text) for r in records),
        source=source,
        sha256=sha256,
        synthetic=False,
    )
