"""A risk tool's recorded outputs as data: read by the instrument's layout, filtered as the published analysis did.

The layout (``records`` in the instrument's JSON, :class:`sentencing.risk.RecordsLayout`) names
every column: the person's id, the charge, the recorded score and class, the outcome, the groups,
the identifying columns that must be gone, and the published row filter. Nothing here knows a
column's name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sentencing.errors import InputFileError, Rule
from sentencing.excerpts import one_line
from sentencing.risk import (
    RISK_CASE_KIND,
    RISK_CASE_SCHEMA_VERSION,
    RecordsLayout,
    RiskCase,
    RiskInstrument,
    parse_risk_case,
)

__all__ = ["FilterStep", "filter_records", "read_records", "risk_case_from_record"]


@dataclass(frozen=True)
class FilterStep:
    condition: str
    removed: int
    remaining: int


def read_records(path: Path, layout: RecordsLayout, *, required: set[str] | None = None) -> pd.DataFrame:
    """A CSV of recorded outputs as a frame; refused by name if a needed column is missing or a person is named."""
    if not path.is_file():
        raise InputFileError(str(path), Rule.FILE_UNREADABLE, "no recorded data here")
    try:
        frame = pd.read_csv(path)
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        detail = f"not a readable CSV ({one_line(str(exc), 120)})"
        raise InputFileError(str(path), Rule.FILE_UNREADABLE, detail) from None
    needed = required if required is not None else layout.needed_for_audit(layout.groups[0])
    needed = needed | {c.column for c in layout.filter}
    missing = needed - set(frame.columns)
    if missing:
        raise InputFileError(str(path), Rule.MISSING_REQUIRED, f"columns {sorted(missing)} are missing")
    leaked = set(layout.identifying_columns) & set(frame.columns)
    if leaked:
        raise InputFileError(str(path), Rule.NOT_ALLOWED_VALUE, f"identifying columns {sorted(leaked)} present")
    return frame


def filter_records(frame: pd.DataFrame, layout: RecordsLayout) -> tuple[pd.DataFrame, tuple[FilterStep, ...]]:
    """The published row filter, condition by condition, with the rows each removed."""
    steps: list[FilterStep] = []
    kept = frame
    for condition in layout.filter:
        before = len(kept)
        kept = kept[condition.keep(kept)]
        steps.append(FilterStep(condition.text, before - len(kept), len(kept)))
    return kept.reset_index(drop=True), tuple(steps)


def risk_case_from_record(record: Mapping[str, Any], instrument: RiskInstrument, *, case_id: str) -> RiskCase:
    """A person from one row of recorded data (the layout's column names), validated like a case file."""
    layout = instrument.records
    document: dict[str, Any] = {
        "schema_version": RISK_CASE_SCHEMA_VERSION, "kind": RISK_CASE_KIND, "instrument": instrument.id,
        "case_id": case_id, "charge": record.get(layout.charge),
        "person": {f.id: _plain(record.get(f.id)) for f in instrument.catalogue.factors},
    }  # fmt: skip
    if layout.score in record and layout.score_class in record:
        # the case schema's own field names for what the tool printed
        document["recorded"] = {"decile_score": _plain(record[layout.score]), "score_text": record[layout.score_class]}
    return parse_risk_case(document, instrument=instrument, source=f"row {case_id}")


def _plain(value: object) -> object:
    """numpy scalars from a data frame as the JSON values a case file would hold."""
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return int(value) if float(value).is_integer() else float(value)
    return value
