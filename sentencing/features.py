"""How a case becomes the row of features the model under challenge reads.

Every factor in the catalogue is a column, for every charge; a factor that does not apply to
the case's charge takes its neutral value (false, 0, or its default), so one model can serve all
charges. Column order is the catalogue's, so a frame is the same whatever order facts were given.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from sentencing.case import Case, fact_violations
from sentencing.catalogue import Catalogue, FactorSpec, FactorType, FactorValue, load_catalogue
from sentencing.jurisdiction import Jurisdiction

__all__ = [
    "case_values",
    "categorical_columns",
    "feature_columns",
    "feature_frame",
    "feature_row",
    "frame_of_rows",
    "lawful_rows",
    "numeric_columns",
    "row_violations",
]


def feature_columns(catalogue: Catalogue | None = None) -> tuple[str, ...]:
    catalogue = catalogue or load_catalogue()
    return ("charge", *catalogue.factor_ids)


def categorical_columns(catalogue: Catalogue | None = None) -> tuple[str, ...]:
    catalogue = catalogue or load_catalogue()
    return ("charge", *(f.id for f in catalogue.factors if f.type is FactorType.ENUM))


def numeric_columns(catalogue: Catalogue | None = None) -> tuple[str, ...]:
    catalogue = catalogue or load_catalogue()
    return tuple(f.id for f in catalogue.factors if f.type is not FactorType.ENUM)


def feature_row(case: Case, catalogue: Catalogue | None = None) -> dict[str, Any]:
    """One case as a JSON-ready feature mapping (booleans as 0/1, numbers as float)."""
    catalogue = catalogue or load_catalogue()
    given = case.as_dict()
    row: dict[str, Any] = {"charge": case.charge}
    for spec in catalogue.factors:
        value = given.get(spec.id, spec.default)
        if spec.type is FactorType.ENUM:
            row[spec.id] = str(value)
        elif spec.type is FactorType.BOOLEAN:
            row[spec.id] = 1.0 if value else 0.0
        else:
            row[spec.id] = float(value) if isinstance(value, int | float) else 0.0
    return row


def feature_frame(cases: Iterable[Case], catalogue: Catalogue | None = None) -> pd.DataFrame:
    """A frame with the catalogue's columns and dtypes, one row per case."""
    catalogue = catalogue or load_catalogue()
    return frame_of_rows([feature_row(case, catalogue) for case in cases], catalogue)


def frame_of_rows(rows: Sequence[Mapping[str, Any]], catalogue: Catalogue | None = None) -> pd.DataFrame:
    """A frame with the catalogue's columns and dtypes, from feature mappings (a request's rows, a data file's)."""
    catalogue = catalogue or load_catalogue()
    categorical = set(categorical_columns(catalogue))
    data: dict[str, np.ndarray[Any, Any]] = {}
    for column in feature_columns(catalogue):
        values = [row[column] for row in rows]
        # Build each column with its dtype at once: per-column astype costs milliseconds per call.
        data[column] = np.array(values, dtype=object) if column in categorical else np.array(values, dtype=np.float64)
    # copied into one block per dtype: a block per column (copy=False) is "highly fragmented" past a hundred columns,
    # and pandas warns at the next column a caller (an explainer, dice-ml) adds
    return pd.DataFrame(data)


def case_values(column: pd.Series, spec: FactorSpec) -> list[FactorValue | None]:
    """A feature column's cells as a case holds the factor's values: a yes/no fact as a boolean (above 0.5 is yes), a
    whole number as an int, another number as a float, a choice as its text; an empty cell None (the case rules then
    apply the factor's default or refuse it), and a cell that is not a number kept as its text, so that the case
    rules refuse it by field."""
    if spec.type is FactorType.ENUM:
        return [None if v is None or v == "" else str(v) for v in column.to_numpy(dtype=object)]
    numbers = pd.to_numeric(column, errors="coerce").to_numpy(dtype=float)
    if np.isfinite(numbers).all():  # every cell a number (an explainer's frame): no cell to look at one by one
        if spec.type is FactorType.BOOLEAN:
            return list((numbers > 0.5).tolist())
        return [int(n) if n.is_integer() else n for n in numbers.tolist()]
    raw = column.to_numpy(dtype=object)
    out: list[FactorValue | None] = []
    for cell, number in zip(raw, numbers, strict=True):
        if not math.isfinite(number):
            out.append(None if cell is None or cell == "" or cell != cell else str(cell))
        elif spec.type is FactorType.BOOLEAN:
            out.append(bool(number > 0.5))
        else:
            out.append(int(number) if number.is_integer() else float(number))
    return out


def row_violations(frame: pd.DataFrame, charge: str, jurisdiction: Jurisdiction,
                   catalogue: Catalogue | None = None) -> list[tuple[str, ...]]:  # fmt: skip
    """For each row of a feature frame of ``charge``, the facts that make it an unlawful case (a value of the wrong
    type or outside its legal range, or a fact breaking a rule between facts); empty for a lawful case. An
    explainer's made-up inputs are checked with this, so that the model is asked about cases the law allows, as in
    court."""
    catalogue = catalogue or load_catalogue()
    specs = catalogue.factors_for(charge)
    columns = [(spec.id, case_values(frame[spec.id], spec)) for spec in specs]
    valid = np.ones(len(frame), dtype=bool)  # rows whose every value is surely of its type and in its range
    for spec, (_, column) in zip(specs, columns, strict=True):
        valid &= _surely_valid(spec, column)
    out = []
    for index in range(len(frame)):
        values = {name: column[index] for name, column in columns}
        found = fact_violations(values, charge, jurisdiction, specs, values_checked=bool(valid[index]))
        out.append(tuple(v.field for v in found))
    return out


def _surely_valid(spec: FactorSpec, column: list[FactorValue | None]) -> np.ndarray[Any, np.dtype[np.bool_]]:
    """Per cell, whether the value is certainly of the factor's type and within its legal range (a value this cannot
    vouch for is checked by ``check_factor_value`` itself, so the answer never differs from the case file's)."""
    if spec.type is FactorType.BOOLEAN:
        return np.array([type(v) is bool for v in column], dtype=bool)
    if spec.type is FactorType.ENUM:
        allowed = set(spec.values)
        return np.array([type(v) is str and v in allowed for v in column], dtype=bool)
    if spec.minimum is None or spec.maximum is None:
        return np.zeros(len(column), dtype=bool)
    kinds = (int,) if spec.type is FactorType.INTEGER else (int, float)
    typed = np.array([type(v) in kinds for v in column], dtype=bool)
    numbers = np.array([float(v) if ok else np.nan for v, ok in zip(column, typed, strict=True)])  # type: ignore[arg-type]
    with np.errstate(invalid="ignore"):
        inside = np.isfinite(numbers) & (numbers >= spec.minimum) & (numbers <= spec.maximum)
    return np.asarray(typed & inside, dtype=bool)


def lawful_rows(frame: pd.DataFrame, charge: str, jurisdiction: Jurisdiction,
                catalogue: Catalogue | None = None) -> np.ndarray[Any, np.dtype[np.bool_]]:  # fmt: skip
    """One bool per row of a feature frame of ``charge``: would it be a lawful case (:func:`row_violations`)?"""
    return np.array([not fields for fields in row_violations(frame, charge, jurisdiction, catalogue)], dtype=bool)
