"""Calibration: practice tunes the numbers the law leaves to the province; the law bounds them.

The 2021 opinion fixes the starting-point ranges, the circumstances' ratio ranges and (with the judicial
interpretations) the national ranges of the yuan thresholds; inside those, a province chooses where its starting
points sit, how many months a unit of amount adds, each circumstance's usual ratio and when a lighter case goes
without a custodial term. :func:`calibrate` fits those choices to a court's own judgments by coordinate descent
over a grid, never outside what the law allows, and returns a reviewable table: every value before and after, with
its legal bounds, and the table's provenance (how many judgments, the digest of the file and of the judgments' ids,
the fit before and after, the date). The ids travel with the table so that an evaluation of the table refuses the
judgments it was fitted on (a held-out file must not overlap the calibration file).

The loss per judgment is the CAIL2018 distance |ln(real+1) − ln(guideline+1)| plus a quarter for a real term
outside the judge's ±20% band: the first rewards being close in proportion, the second being where a judge would
put it.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from sentencing.errors import InputError, Rule
from sentencing.evaluation import ChargeSummary, JudgmentRecord, compare_judgment, summarise
from sentencing.features import feature_frame
from sentencing.guideline import active_circumstances, select_tier
from sentencing.jurisdiction import Jurisdiction, parse_jurisdiction
from sentencing.terms import guideline_terms

__all__ = [
    "CALIBRATION_SCHEMA_VERSION",
    "Calibration",
    "FittedValue",
    "calibrate",
    "judgment_ids_digest",
]

CALIBRATION_SCHEMA_VERSION = "1.0"
_BAND_WEIGHT = 0.25
_GRID = 9
_MIN_SUPPORT = 10
_SHRINK = 4.0  # per judgment of support, times the squared share of the legal range moved from the base value

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class FittedValue:
    """One number of the table: where it was, where the fit put it, and the bounds the law (or the table) sets."""

    parameter: str
    before: float
    after: float
    low: float
    high: float
    basis: str
    support: int  # judgments that bear on it

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


@dataclass(frozen=True)
class Calibration:
    document: dict[str, Any]
    values: tuple[FittedValue, ...]
    before: tuple[ChargeSummary, ...]
    after: tuple[ChargeSummary, ...]
    judgments: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": CALIBRATION_SCHEMA_VERSION, "judgments": self.judgments,
            "fit_before": [s.to_dict() for s in self.before], "fit_after": [s.to_dict() for s in self.after],
            "values": [v.to_dict() for v in self.values if v.before != v.after],
            "unchanged": len([v for v in self.values if v.before == v.after]),
            "provenance": self.document.get("provenance"),
        }  # fmt: skip


@dataclass(frozen=True)
class _Parameter:
    path: Path_
    name: str
    low: float
    high: float
    basis: str
    scope: tuple[str, str]  # ("charge", id) or ("circumstance", id)
    integer: bool = False
    tier: str | None = None  # a tier's own number: only the judgments in that tier bear on it


def judgment_ids_digest(ids: Sequence[str]) -> str:
    """The sha256 of the sorted ids, one per line: names the set of judgments without their text."""
    return hashlib.sha256("\n".join(sorted(ids)).encode("utf-8")).hexdigest()


def _get(document: Any, path: Path_) -> Any:
    for key in path:
        document = document[key]
    return document


def _set(document: Any, path: Path_, value: float) -> None:
    for key in path[:-1]:
        document = document[key]
    document[path[-1]] = value


def _parameters(document: dict[str, Any], charges: set[str], catalogue_ranges: Callable[[str], dict[str, Any]]
                ) -> list[_Parameter]:  # fmt: skip
    """Every number of the table the law leaves to the province, with its legal bounds."""
    out: list[_Parameter] = []
    opinion = "法发〔2021〕21号: the starting point lies in the opinion's range"
    for charge, table in document["charges"].items():
        if charge not in charges:
            continue
        scope = ("charge", charge)
        for name, (low, high) in catalogue_ranges(charge).items():
            if name != "large" and low < high:  # 数额较大 stays at its national minimum: no conviction is refused
                path: Path_ = ("charges", charge, "thresholds_yuan", name)
                basis = "the national range (judicial interpretation)"
                out.append(_Parameter(path, f"{charge}.threshold.{name}", low, high, basis, scope, True))
        for t, tier in enumerate(table["tiers"]):
            start = tier["starting_point"]
            base: Path_ = ("charges", charge, "tiers", t, "starting_point")
            name = f"{charge}.{tier['id']}"
            out.append(_Parameter((*base, "months"), f"{name}.starting_point", start["min_months"],
                                  start["max_months"], opinion, scope, tier=tier["id"]))  # fmt: skip
            for value in (start.get("by") or {}).get("months", {}):
                out.append(_Parameter((*base, "by", "months", value), f"{name}.starting_point.{value}",
                                      start["min_months"], start["max_months"], opinion, scope,
                                      tier=tier["id"]))  # fmt: skip
            for i, inc in enumerate(tier.get("increments") or ()):
                current = float(inc["months"])
                out.append(_Parameter(("charges", charge, "tiers", t, "increments", i, "months"),
                                      f"{name}.increment.{inc['id']}", 0.0, max(3.0 * current, 1.0),
                                      "this jurisdiction's choice (the opinion sets no per-unit figure); up to three "
                                      "times the table's value", scope, tier=tier["id"]))  # fmt: skip
        if table.get("non_custodial"):
            practice = "this jurisdiction's practice, within criminal detention's six months"
            out.append(_Parameter(("charges", charge, "non_custodial", "at_most_months"),
                                  f"{charge}.non_custodial.at_most_months", 0.0, 6.0, practice, scope))  # fmt: skip
    for i, rule in enumerate(document["circumstances"]):
        out.append(_Parameter(("circumstances", i, "ratio_default"), f"circumstance.{rule['id']}.ratio_default",
                              rule["ratio_min"], rule["ratio_max"], "the circumstance's legal ratio range",
                              ("circumstance", rule["id"])))  # fmt: skip
    return out


@dataclass
class _Scorer:
    """How far a table's recommendations are from the judgments: each judgment's log distance, plus a weight where the
    real term is outside the judge's band. The guideline's numbers come by columns (sentencing.terms, equal to the
    engine's), each set of judgments' features built once."""

    records: Sequence[JudgmentRecord]
    _frames: dict[tuple[int, ...], pd.DataFrame] = field(default_factory=dict)

    def loss(self, jurisdiction: Jurisdiction, indices: Sequence[int]) -> float:
        key = tuple(indices)
        if key not in self._frames:
            self._frames[key] = feature_frame(self.records[i].case for i in key)
        terms = guideline_terms(self._frames[key], jurisdiction)
        total = 0.0
        bands = zip(terms.recommended_months.tolist(), terms.judicial_low.tolist(), terms.judicial_high.tolist(),
                    strict=True)  # fmt: skip
        for i, (guide, low, high) in zip(key, bands, strict=True):
            real = self.records[i].real.months
            total += abs(math.log(real + 1.0) - math.log(guide + 1.0))
            if not low - 1e-9 <= real <= high + 1e-9:  # MonthRange.contains
                total += _BAND_WEIGHT
        return total


def _grid(parameter: _Parameter, current: float, fine: bool = False) -> list[float]:
    """The coarse grid over the whole legal range, or (``fine``) eight steps either side of ``current``."""
    step = (parameter.high - parameter.low) / (_GRID - 1)
    if fine:
        values = {min(max(current + step * k / 8, parameter.low), parameter.high) for k in range(-8, 9)}
    else:
        values = {parameter.low + step * k for k in range(_GRID)}
    values.add(current)
    if parameter.integer:
        values = {float(round(v)) for v in values}
    return sorted(round(v, 4) for v in values)


def calibrate(
    records: Sequence[JudgmentRecord],
    base: dict[str, Any],
    *,
    source: str,
    file_sha256: str,
    sweeps: int = 3,
    min_support: int = _MIN_SUPPORT,
    today: dt.date | None = None,
    progress: Callable[[str], None] | None = None,
) -> Calibration:
    """Fit ``base`` (a jurisdiction document) to ``records``; the result's document is a complete table."""
    from sentencing.catalogue import load_catalogue

    if not records:
        raise InputError(source, Rule.MISSING_REQUIRED, "no judgments to calibrate on")
    catalogue = load_catalogue()
    document = copy.deepcopy(base)
    document.pop("provenance", None)
    jurisdiction = parse_jurisdiction(document, source)
    scorer = _Scorer(records)
    charges = {r.case.charge for r in records}
    by_charge: dict[str, list[int]] = {}
    by_circumstance: dict[str, list[int]] = {}
    tiers: dict[tuple[str, str], int] = {}
    for i, record in enumerate(records):
        by_charge.setdefault(record.case.charge, []).append(i)
        table = jurisdiction.charge_table(record.case.charge)
        key = (record.case.charge, select_tier(record.case, table).id)
        tiers[key] = tiers.get(key, 0) + 1
        for cid in active_circumstances(record.case, table):
            by_circumstance.setdefault(cid, []).append(i)
    parameters = []
    for p in _parameters(document, charges, catalogue.national_thresholds):
        indices = by_charge.get(p.scope[1], []) if p.scope[0] == "charge" else by_circumstance.get(p.scope[1], [])
        support = tiers.get((p.scope[1], p.tier), 0) if p.tier is not None else len(indices)
        if support >= min_support:
            parameters.append((p, indices, support))
    before = summarise([compare_judgment(r, jurisdiction) for r in records])
    starting = {p.name: float(_get(document, p.path)) for p, _, _ in parameters}

    def sweep(fine: bool) -> bool:
        nonlocal jurisdiction
        changed = False
        for parameter, indices, _ in parameters:
            current = float(_get(document, parameter.path))
            width = max(parameter.high - parameter.low, 1e-9)

            def shrink(value: float, p: _Parameter = parameter, n: int = len(indices), w: float = width) -> float:
                # a move away from the base table costs in proportion to how far it goes: a few judgments do
                # not overturn the table's choice
                return _SHRINK * math.sqrt(n) * ((value - starting[p.name]) / w) ** 2

            best_value, best_loss = current, scorer.loss(jurisdiction, indices) + shrink(current)
            for value in _grid(parameter, current, fine):
                if value == current:
                    continue
                _set(document, parameter.path, value)
                try:
                    trial = parse_jurisdiction(document, source)
                except Exception:  # a value the table's own checks refuse (a starting point outside its range)
                    continue
                loss = scorer.loss(trial, indices) + shrink(value)
                if loss < best_loss - 1e-9:
                    best_value, best_loss = value, loss
            _set(document, parameter.path, best_value)
            if best_value != current:
                changed = True
                jurisdiction = parse_jurisdiction(document, source)
        return changed

    # coarse sweeps over each value's whole legal range until nothing moves, then one fine sweep around each
    for number in range(sweeps):
        changed = sweep(fine=False)
        if progress is not None:
            progress(f"sweep {number + 1}: {'changed' if changed else 'no change'}")
        if not changed:
            break
    sweep(fine=True)
    _keep_starting_points_consistent(document)
    jurisdiction = parse_jurisdiction(document, source)
    after = summarise([compare_judgment(r, jurisdiction) for r in records])
    values = tuple(
        FittedValue(p.name, starting[p.name], float(_get(document, p.path)), p.low, p.high, p.basis, support)
        for p, _, support in parameters
    )
    ids = [r.judgment_id for r in records]
    document["provenance"] = {
        "tool": "voirdire calibrate", "date": (today or dt.date.today()).isoformat(),
        "base_table": base.get("id"), "judgments": len(records), "file": source, "file_sha256": file_sha256,
        "judgment_ids_sha256": judgment_ids_digest(ids), "judgment_ids": sorted(ids),
        "fit_before": [s.to_dict() for s in before], "fit_after": [s.to_dict() for s in after],
        "bounds": "starting points inside the opinion's ranges; ratios inside each circumstance's legal range; "
                  "thresholds inside the national ranges (数额较大 kept at the national minimum); per-unit months "
                  "at most three times the base table's",
        "changed": [v.to_dict() for v in values if v.before != v.after],
    }  # fmt: skip
    document["about"] = (f"Calibrated from {base.get('id')} on {len(records)} judgments of {source} "
                         f"(sha256 {file_sha256[:12]}…); see provenance. " + str(base.get("about", "")))  # fmt: skip
    return Calibration(document, values, before, after, len(records))


def _keep_starting_points_consistent(document: dict[str, Any]) -> None:
    """A tier's plain starting point stays inside its range after its by-value entries moved (already checked)."""
    for table in document["charges"].values():
        for tier in table["tiers"]:
            start = tier["starting_point"]
            start["months"] = min(max(start["months"], start["min_months"]), start["max_months"])
