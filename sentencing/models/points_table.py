"""A points table as a model the court can load, register, seal and replay: a risk tool's transparent surrogate.

The table (fitted by :mod:`explain_tiers.points_table_fit` to a secret tool's recorded scores) is an
intercept plus points for each band of the instrument's inputs. It is JSON, never a pickle, so
loading it runs no code. On disk it is a folder::

    surrogate.json                 the table and its card (fidelity, baseline, the data it was fitted to)
    training-data/<file>.csv       the tool's recorded scores it was fitted to (optional; the risk
                                   report's audit of the recorded scores reads them)

``surrogate.json``'s sha256 is the model's identity, as ``model.joblib``'s is a fitted estimator's;
the recorded data is checked against the digest the card names before it is used. The file keeps
the name "surrogate" because that is what it is to a court: a stand-in for the vendor's model.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from sentencing.canonical import canonical_json, sha256_bytes
from sentencing.errors import ConfigurationError, InputFileError, IntegrityError, ModelLoadError, ModelOutputError
from sentencing.models.base import (
    ModelArtifact,
    ModelBase,
    ModelIdentity,
    OutputKind,
    PointsTable,
    PointsTerm,
    TrainingData,
)
from sentencing.risk import RiskInstrument, load_instrument
from sentencing.untrusted import parse_json, read_untrusted_file

__all__ = [
    "POINTS_TABLE_FILE",
    "POINTS_TABLE_SCHEMA_VERSION",
    "RECORDS_FOLDER",
    "PointsTableModel",
    "is_points_table_location",
    "load_points_table",
]

POINTS_TABLE_SCHEMA_VERSION = "1.0"
POINTS_TABLE_FILE = "surrogate.json"
RECORDS_FOLDER = "training-data"


class PointsTableModel(ModelBase):
    """The fitted points table as a model of the instrument (the ``SentencingModel`` protocol).

    ``predict_frame`` reads the instrument's model frame and answers the score on its scale (kept within
    it). Its identity's sha256 is that of its file (of its canonical JSON, before it is written).
    ``folder`` is where it was loaded from, if anywhere.
    """

    def __init__(
        self, instrument: RiskInstrument, document: dict[str, Any], source: str = "", *,
        sha256: str | None = None, folder: Path | None = None,
    ) -> None:  # fmt: skip
        self.instrument = instrument
        self.document = document
        self._table = PointsTable(
            float(document["intercept"]),
            tuple(PointsTerm(t["factor"], t["op"], t["value"], float(t["points"])) for t in document["terms"]),
        )
        self._folder = folder
        self._table_card = {key: value for key, value in document.items() if key not in ("intercept", "terms")}
        self._card = self._table_card
        scale = instrument.scale
        self._identity = ModelIdentity(
            name=f"{instrument.id}-surrogate", adapter="surrogate",  # the name packs record for this adapter
            source=source or f"surrogate of {instrument.id} fitted to recorded scores",
            sha256=sha256 or sha256_bytes(canonical_json(document)), fingerprint_verified=True,
            output=OutputKind.SCORE, output_range=(float(scale.minimum), float(scale.maximum)),
        )  # fmt: skip

    @property
    def card(self) -> dict[str, Any]:
        return self._table_card

    @property
    def points_table(self) -> PointsTable:
        return self._table

    @property
    def artifact(self) -> ModelArtifact | None:
        return None if self._folder is None else ModelArtifact(self._folder, POINTS_TABLE_FILE)

    @property
    def training_data(self) -> TrainingData | None:
        """The tool's recorded scores this table was fitted to (one CSV in ``training-data/``), if beside it."""
        folder = (self._folder / RECORDS_FOLDER) if self._folder else None
        files = sorted(folder.glob("*.csv")) if folder and folder.is_dir() else []
        if len(files) != 1:
            return None
        expected = (self._table_card.get("data") or {}).get("sha256")
        return TrainingData(files[0], expected if isinstance(expected, str) else None)

    def predict_frame(self, frame: pd.DataFrame) -> NDArray[np.float64]:
        missing = {t.factor for t in self._table.terms} - set(frame.columns)
        if missing:
            raise ModelOutputError(self._identity.source, f"columns {sorted(missing)}", f"{list(frame.columns)}")
        raw = self._table.total(frame)
        return np.asarray(np.clip(raw, self.instrument.scale.minimum, self.instrument.scale.maximum), dtype=np.float64)

    def to_json(self) -> bytes:
        return canonical_json(self.document)


def is_points_table_location(path: Path) -> bool:
    """A points table's folder (it holds ``surrogate.json``) or a ``.json`` file."""
    return (path.is_dir() and (path / POINTS_TABLE_FILE).is_file()) or path.suffix == ".json"


def load_points_table(
    path: str | Path, instrument: RiskInstrument | None = None, *, expected_sha256: str | None = None
) -> PointsTableModel:
    """Read a points table (its folder, or its JSON file) and check it; every failure names the file.

    ``instrument`` defaults to the one the file names. ``expected_sha256``: the digest a court
    recorded for it (registration, a sealed pack); a different file is refused before it is used.
    """
    location = Path(path)
    file = location / POINTS_TABLE_FILE if location.is_dir() else location
    name = str(file)
    if not file.exists():
        raise ModelLoadError(name, "no such surrogate; fit one with `voirdire risk surrogate`")
    try:
        data = read_untrusted_file(file)
        document = parse_json(data, name)
    except InputFileError as exc:
        raise ModelLoadError(name, f"not a readable JSON surrogate ({exc.detail})") from None
    digest = sha256_bytes(data)
    if expected_sha256 is not None and digest != expected_sha256:
        raise IntegrityError(name, expected_sha256, digest)
    if not isinstance(document, dict) or document.get("schema_version") != POINTS_TABLE_SCHEMA_VERSION:
        raise ModelLoadError(name, f"expected a surrogate with schema_version {POINTS_TABLE_SCHEMA_VERSION!r}")
    if instrument is None:
        named = document.get("instrument")
        try:
            instrument = load_instrument(named if isinstance(named, str) else "")
        except ConfigurationError as exc:
            raise ModelLoadError(name, f"instrument {named!r}: {exc.detail}") from exc
    if document.get("instrument") != instrument.id:
        raise ModelLoadError(name, f"fitted for {document.get('instrument')!r}, not {instrument.id!r}")
    known = {"charge", *instrument.catalogue.factor_ids}
    terms = document.get("terms")
    if not isinstance(terms, list):
        raise ModelLoadError(name, "terms: expected a list")
    for i, term in enumerate(terms):
        if not isinstance(term, dict) or term.get("factor") not in known or term.get("op") not in (">=", "=="):
            raise ModelLoadError(name, f"terms[{i}]: expected a known factor with op '>=' or '=='")
        if term["op"] == ">=" and not _number(term.get("value")):
            raise ModelLoadError(name, f"terms[{i}].value: expected a number")
        if term["op"] == "==" and term.get("value") not in _categories(instrument, term["factor"]):
            raise ModelLoadError(
                name, f"terms[{i}].value: expected one of {list(_categories(instrument, term['factor']))}"
            )
        if not _number(term.get("points")):
            raise ModelLoadError(name, f"terms[{i}].points: expected a number")
    if not _number(document.get("intercept")):
        raise ModelLoadError(name, "intercept: expected a number")
    # The caveat every answer carries is read from here: a surrogate without it must not load.
    fidelity = document.get("fidelity")
    fidelity = fidelity.get("cross_validated") if isinstance(fidelity, dict) else None
    if document.get("kind") != "surrogate" or not (
        isinstance(fidelity, dict) and all(_number(fidelity.get(k)) for k in ("rows", "r2", "same_class"))
    ):
        raise ModelLoadError(
            name, "kind and fidelity.cross_validated: a surrogate must say it is one, with rows, r2 and same_class"
        )
    return PointsTableModel(instrument, document, source=name, sha256=digest, folder=file.parent)


def _categories(instrument: RiskInstrument, factor: str) -> tuple[str, ...]:
    return instrument.catalogue.charge_ids if factor == "charge" else instrument.factor(factor).values


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
