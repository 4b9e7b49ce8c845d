"""A risk tool's transparent surrogate as a model the court can load, register, seal and replay.

The surrogate (fitted by ``explain_tiers.score_surrogate``) is a points table: an intercept plus
points for each band of age, prior offences, juvenile record, charge degree, sex and race. It is
JSON, never a pickle, so loading it runs no code. On disk it is a folder::

    surrogate.json                 the table, its card (fidelity, baseline, the data it was fitted to)
    training-data/<file>.csv       the tool's recorded scores it was fitted to (optional; the risk
                                   report's audit of the recorded scores reads them)

``surrogate.json``'s sha256 is the model's identity, as ``model.joblib``'s is a fitted estimator's;
the recorded data is checked against the digest the card names before it is used.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from sentencing.adapters import ModelIdentity, OutputKind
from sentencing.canonical import canonical_json, sha256_bytes, sha256_file
from sentencing.errors import ConfigurationError, InputFileError, IntegrityError, ModelLoadError, ModelOutputError
from sentencing.i18n import Label
from sentencing.risk import RiskInstrument, load_instrument
from sentencing.untrusted import parse_json, read_untrusted_file

__all__ = [
    "RECORDS_FOLDER",
    "SURROGATE_FILE",
    "SURROGATE_SCHEMA_VERSION",
    "ScoreSurrogate",
    "SurrogateTerm",
    "design_matrix",
    "is_surrogate_location",
    "load_surrogate",
]

SURROGATE_SCHEMA_VERSION = "1.0"
SURROGATE_FILE = "surrogate.json"
RECORDS_FOLDER = "training-data"


@dataclass(frozen=True)
class SurrogateTerm:
    """One row of the points table: ``points`` are added when ``factor op value`` holds."""

    factor: str
    op: str  # ">=" for counts and ages, "==" for a category
    value: float | str
    points: float

    def holds(self, column: pd.Series) -> NDArray[np.float64]:
        if self.op == ">=":
            held = column.to_numpy(dtype=np.float64) >= float(self.value)
        else:
            held = column.to_numpy(dtype=object) == self.value
        return np.asarray(held, dtype=np.float64)

    def label(self, instrument: RiskInstrument) -> Label:
        name, value = instrument.factor_label(self.factor), instrument.value_label(self.factor, self.value)
        if self.op == "==":
            return Label(f"{name.zh}：{value.zh}", f"{name.en}: {value.en}")
        return Label(f"{name.zh} ≥ {value.zh}", f"{name.en} ≥ {value.en}")

    def to_dict(self) -> dict[str, Any]:
        return {"factor": self.factor, "op": self.op, "value": self.value, "points": self.points}


def design_matrix(frame: pd.DataFrame, terms: tuple[SurrogateTerm, ...] | list[SurrogateTerm]) -> NDArray[np.float64]:
    """A column of ones, then one 0/1 column per term (whether it holds for each row)."""
    columns = [np.ones(len(frame))] + [term.holds(frame[term.factor]) for term in terms]
    return np.column_stack(columns)


class ScoreSurrogate:
    """The fitted points table as a model of the instrument (the ``SentencingModel`` protocol).

    ``predict_frame`` reads :func:`sentencing.risk.risk_frame` and answers the score on the
    instrument's scale (kept within it). Its identity's sha256 is that of its file (of its
    canonical JSON, before it is written). ``folder`` is where it was loaded from, if anywhere.
    """

    def __init__(
        self, instrument: RiskInstrument, document: dict[str, Any], source: str = "", *,
        sha256: str | None = None, folder: Path | None = None,
    ) -> None:  # fmt: skip
        self.instrument = instrument
        self.document = document
        self.intercept = float(document["intercept"])
        self.terms = tuple(
            SurrogateTerm(t["factor"], t["op"], t["value"], float(t["points"])) for t in document["terms"]
        )
        self._folder = folder
        scale = instrument.scale
        self._identity = ModelIdentity(
            name=f"{instrument.id}-surrogate", adapter="surrogate",
            source=source or f"surrogate of {instrument.id} fitted to recorded scores",
            sha256=sha256 or sha256_bytes(canonical_json(document)), fingerprint_verified=True,
            output=OutputKind.SCORE, output_range=(float(scale.minimum), float(scale.maximum)),
        )  # fmt: skip

    @property
    def identity(self) -> ModelIdentity:
        return self._identity

    @property
    def card(self) -> dict[str, Any]:
        return {key: value for key, value in self.document.items() if key not in ("intercept", "terms")}

    @property
    def folder(self) -> Path | None:
        """The folder the surrogate was loaded from (its file and its recorded data)."""
        return self._folder

    @property
    def artifact(self) -> str:
        """The file, inside :attr:`folder`, whose sha256 is the model's identity."""
        return SURROGATE_FILE

    def recorded_data(self) -> Path:
        """The tool's recorded scores this surrogate was fitted to, checked against the card's digest."""
        expected = (self.card.get("data") or {}).get("sha256")
        folder = (self._folder / RECORDS_FOLDER) if self._folder else None
        files = sorted(folder.glob("*.csv")) if folder and folder.is_dir() else []
        if len(files) != 1:
            where = str(folder) if folder else self._identity.source
            raise ModelLoadError(
                where, "the recorded scores the surrogate was fitted to are not beside it "
                f"(expected one CSV in {RECORDS_FOLDER}/); refit with `voirdire risk surrogate`",
            )  # fmt: skip
        digest = sha256_file(str(files[0]))
        if expected is not None and digest != expected:
            raise IntegrityError(str(files[0]), str(expected), digest)
        return files[0]

    def points_for(self, frame: pd.DataFrame) -> list[tuple[SurrogateTerm, bool]]:
        """Each term of the table and whether it holds for the (one-row) frame: the score's exact parts."""
        return [(term, bool(term.holds(frame[term.factor])[0])) for term in self.terms]

    def predict_frame(self, frame: pd.DataFrame) -> NDArray[np.float64]:
        missing = {t.factor for t in self.terms} - set(frame.columns)
        if missing:
            raise ModelOutputError(self._identity.source, f"columns {sorted(missing)}", f"{list(frame.columns)}")
        points = np.array([t.points for t in self.terms], dtype=np.float64)
        raw = design_matrix(frame, self.terms) @ np.concatenate([[self.intercept], points])
        return np.asarray(np.clip(raw, self.instrument.scale.minimum, self.instrument.scale.maximum), dtype=np.float64)

    def to_json(self) -> bytes:
        return canonical_json(self.document)


def is_surrogate_location(path: Path) -> bool:
    """A surrogate's folder (it holds ``surrogate.json``) or a ``.json`` file."""
    return (path.is_dir() and (path / SURROGATE_FILE).is_file()) or path.suffix == ".json"


def load_surrogate(
    path: str | Path, instrument: RiskInstrument | None = None, *, expected_sha256: str | None = None
) -> ScoreSurrogate:
    """Read a surrogate (its folder, or its JSON file) and check it; every failure names the file.

    ``instrument`` defaults to the one the file names. ``expected_sha256``: the digest a court
    recorded for it (registration, a sealed pack); a different file is refused before it is used.
    """
    location = Path(path)
    file = location / SURROGATE_FILE if location.is_dir() else location
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
    if not isinstance(document, dict) or document.get("schema_version") != SURROGATE_SCHEMA_VERSION:
        raise ModelLoadError(name, f"expected a surrogate with schema_version {SURROGATE_SCHEMA_VERSION!r}")
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
    return ScoreSurrogate(instrument, document, source=name, sha256=digest, folder=file.parent)


def _categories(instrument: RiskInstrument, factor: str) -> tuple[str, ...]:
    return instrument.catalogue.charge_ids if factor == "charge" else instrument.factor(factor).values


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
