"""How a case becomes the row of features the model under challenge reads.

Every factor in the catalogue is a column, for every charge; a factor that does not apply to
the case's charge takes its neutral value (false, 0, or its default), so one model can serve all
charges. Column order is the catalogue's, so a frame is the same whatever order facts were given.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from sentencing.case import Case, fact_violations
from sentencing.catalogue import Catalogue, FactorType, load_catalogue
from sentencing.jurisdiction import Jurisdiction

__all__ = [
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
    return pd.DataFrame(data, copy=False)


def row_violations(frame: pd.DataFrame, charge: str, jurisdiction: Jurisdiction,
                   catalogue: Catalogue | None = None) -> list[tuple[str, ...]]:  # fmt: skip
    """For each row of a feature frame of ``charge``, the facts that make it an unlawful case (a value of the wrong
    type or outside its legal range, or a fact breaking a rule between facts); empty for a lawful case. An
    explainer's made-up inputs are checked with this, so that the model is asked about cases the law allows, as in
    court."""
    catalogue = catalogue or load_catalogue()
    specs = catalogue.factors_for(charge)
    columns: list[tuple[str, list[Any]]] = []
    for spec in specs:
        raw = frame[spec.id].to_numpy()
        if spec.type is FactorType.BOOLEAN:
            columns.append((spec.id, [bool(v > 0.5) for v in raw.astype(float)]))
        elif spec.type in (FactorType.INTEGER, FactorType.NUMBER):
            columns.append((spec.id, [int(v) if v == int(v) else float(v) for v in raw.astype(float)]))
        else:
            columns.append((spec.id, [str(v) for v in raw]))
    out = []
    for index in range(len(frame)):
        values = {name: column[index] for name, column in columns}
        out.append(tuple(v.field for v in fact_violations(values, charge, jurisdiction, specs)))
    return out


def lawful_rows(frame: pd.DataFrame, charge: str, jurisdiction: Jurisdiction,
                catalogue: Catalogue | None = None) -> np.ndarray[Any, np.dtype[np.bool_]]:  # fmt: skip
    """One bool per row of a feature frame of ``charge``: would it be a lawful case (:func:`row_violations`)?"""
    return np.array([not fields for fields in row_violations(frame, charge, jurisdiction, catalogue)], dtype=bool)
