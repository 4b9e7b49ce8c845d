"""The model under challenge as the toolkit sees it: one protocol, its identity, and the checks on every answer.

Whatever form a vendor delivers a model in (a fitted sklearn file, a Python function, an HTTP
endpoint, a points table), the rest of the toolkit sees only :class:`SentencingModel`: an
identity, a card, and one number per row of the frame its kind of case builds. Each adapter is
probed when it is created with the cases its kind supplies (:func:`probe_model`), and every answer
afterwards is checked (:func:`check_predictions`): the right number of finite numbers inside the
declared range. What an adapter can show of its inside (the file that travels in a pack, a fitted
estimator for SHAP, a points table's exact parts) it says through the protocol, ``None`` otherwise,
so that no caller asks which adapter it holds.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from sentencing.canonical import sha256_bytes
from sentencing.errors import (
    InputError,
    InputFileError,
    IntegrityError,
    ModelLoadError,
    ModelNotFoundError,
    ModelOutputError,
    ModelProbeError,
    Rule,
)
from sentencing.excerpts import excerpt, one_line
from sentencing.kinds import KINDS, HeardCase, OutputKind
from sentencing.untrusted import parse_json, read_untrusted_file

__all__ = [
    "MONTHS_RANGE",
    "ModelArtifact",
    "ModelBase",
    "ModelIdentity",
    "OutputKind",
    "PointsTable",
    "PointsTerm",
    "SentencingModel",
    "TrainingData",
    "VerifiedBytes",
    "card_name",
    "check_model_fits_case",
    "check_predictions",
    "declared_range",
    "design_matrix",
    "file_identity",
    "output_kind",
    "predict_cases",
    "probe_model",
    "read_artifact",
    "read_model_card",
    "training_data_beside",
]

MONTHS_RANGE = (0.0, 600.0)
_SCORE_RANGE = (-1e6, 1e6)  # a score kind says its own scale (output.range); this only bounds nonsense
_MAX_CARD_BYTES = 4 << 20


@dataclass(frozen=True)
class ModelIdentity:
    """What a court records about the model that answered: enough to find the same model again."""

    name: str
    adapter: str
    source: str
    sha256: str | None
    fingerprint_verified: bool
    output: OutputKind
    output_range: tuple[float, float]


@dataclass(frozen=True)
class ModelArtifact:
    """The file whose sha256 is the model's identity, and the folder it travels in (card, training data)."""

    folder: Path
    file: str


@dataclass(frozen=True)
class TrainingData:
    """The data a model was fitted to, beside its artifact, and the sha256 its card records for it."""

    path: Path
    sha256: str | None

    def read(self) -> bytes:
        """The file's bytes, only if they are the ones the card names (else :class:`IntegrityError`)."""
        data = self.path.read_bytes()
        found = sha256_bytes(data)
        if self.sha256 is not None and found != self.sha256:
            raise IntegrityError(str(self.path), self.sha256, found)
        return data


@dataclass(frozen=True)
class PointsTerm:
    """One row of a points table: ``points`` are added when ``factor op value`` holds."""

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

    def to_dict(self) -> dict[str, Any]:
        return {"factor": self.factor, "op": self.op, "value": self.value, "points": self.points}


@dataclass(frozen=True)
class PointsTable:
    """A model whose answer is an intercept plus the points of the terms that hold: its exact parts."""

    intercept: float
    terms: tuple[PointsTerm, ...]

    def total(self, frame: pd.DataFrame) -> NDArray[np.float64]:
        """Each row's intercept plus the points of the terms that hold for it."""
        points = np.array([t.points for t in self.terms], dtype=np.float64)
        return np.asarray(design_matrix(frame, self.terms) @ np.concatenate([[self.intercept], points]),
                          dtype=np.float64)  # fmt: skip

    def parts(self, frame: pd.DataFrame) -> list[tuple[PointsTerm, bool]]:
        """Each term and whether it holds for the (one-row) frame."""
        return [(term, bool(term.holds(frame[term.factor])[0])) for term in self.terms]


def design_matrix(frame: pd.DataFrame, terms: Sequence[PointsTerm]) -> NDArray[np.float64]:
    """A column of ones, then one 0/1 column per term (whether it holds for each row)."""
    columns = [np.ones(len(frame))] + [term.holds(frame[term.factor]) for term in terms]
    return np.column_stack(columns)


@runtime_checkable
class SentencingModel(Protocol):
    """A model under challenge (of either kind of case): one number per row of the frame its kind builds."""

    @property
    def identity(self) -> ModelIdentity: ...

    @property
    def card(self) -> Mapping[str, Any] | None: ...

    @property
    def artifact(self) -> ModelArtifact | None:
        """The file that travels in a pack (None: a function or an endpoint, which cannot travel)."""

    @property
    def estimator(self) -> Any | None:
        """The fitted object inside, for explainers that read it (SHAP on trees); None when hidden."""

    @property
    def points_table(self) -> PointsTable | None:
        """The exact parts of every answer, when the model is a points table."""

    @property
    def training_data(self) -> TrainingData | None:
        """The data the model was fitted to, when it travels beside the model."""

    def predict_frame(self, frame: pd.DataFrame) -> NDArray[np.float64]: ...


class ModelBase:
    """What every adapter shares: identity and card, and nothing of its inside unless it says so."""

    _identity: ModelIdentity
    _card: Mapping[str, Any] | None

    @property
    def identity(self) -> ModelIdentity:
        return self._identity

    @property
    def card(self) -> Mapping[str, Any] | None:
        return self._card

    @property
    def artifact(self) -> ModelArtifact | None:
        return None

    @property
    def estimator(self) -> Any | None:
        return None

    @property
    def points_table(self) -> PointsTable | None:
        return None

    @property
    def training_data(self) -> TrainingData | None:
        return None


def check_predictions(
    raw: object,
    expected: int,
    source: str,
    output_range: tuple[float, float],
    error: type[ModelOutputError] = ModelOutputError,
) -> NDArray[np.float64]:
    """Turn a model's raw answer into a float array, or raise naming what is malformed.

    Every answer, not only the probe's, must be ``expected`` finite numbers inside the model's declared
    ``output_range``: a model that answers the probe sanely and -50 or 1e308 months for the real case
    must not reach a report as "Algorithm's recommendation: -50.0 months".
    """
    if isinstance(raw, str | bytes) or not isinstance(raw, Sequence | np.ndarray):
        raise error(source, f"a list of {expected} numbers", type(raw).__name__)
    items = list(np.asarray(raw).ravel()) if isinstance(raw, np.ndarray) else list(raw)
    if len(items) != expected:
        raise error(source, f"{expected} prediction(s)", f"{len(items)}")
    values = np.empty(expected, dtype=np.float64)
    low, high = output_range
    for i, item in enumerate(items):
        if isinstance(item, bool) or not isinstance(item, int | float | np.integer | np.floating):
            raise error(source, "numbers", f"prediction {i} = {excerpt(item)}")
        try:
            number = float(item)
        except OverflowError:
            raise error(source, "finite numbers", f"prediction {i} = {excerpt(item)}") from None
        if not math.isfinite(number):
            raise error(source, "finite numbers", f"prediction {i} = {number}")
        if not low <= number <= high:
            raise error(source, f"values in the declared range [{low:g}, {high:g}]", f"prediction {i} = {number:g}")
        values[i] = number
    return values


def declared_range(card: Mapping[str, Any] | None, kind: OutputKind, source: str) -> tuple[float, float]:
    """The output range a card declares (``output.range``: [low, high]), inside what the kind allows; else the
    kind's own (months: 0 to 600, the fixed-term maximum of 25 years for several crimes and then some)."""
    allowed = MONTHS_RANGE if kind is OutputKind.MONTHS else _SCORE_RANGE
    output = (card or {}).get("output")
    declared = output.get("range") if isinstance(output, Mapping) else None
    if declared is None:
        return allowed
    if (
        not isinstance(declared, list)
        or len(declared) != 2
        or not all(isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) for v in declared)
        or not allowed[0] <= declared[0] < declared[1] <= allowed[1]
    ):
        raise ModelProbeError(
            source, f"output.range as [low, high] within [{allowed[0]:g}, {allowed[1]:g}]", excerpt(declared)
        )
    return float(declared[0]), float(declared[1])


def read_model_card(path: Path) -> dict[str, Any]:
    """A model card (strict JSON, one object); a malformed one is the model's fault (:class:`ModelLoadError`)."""
    try:
        card = parse_json(read_untrusted_file(path, limit=_MAX_CARD_BYTES), str(path))
    except InputFileError as exc:
        raise ModelLoadError(str(path), f"the model card is not acceptable JSON ({exc.detail})") from None
    if not isinstance(card, dict):
        raise ModelLoadError(str(path), "the model card is not a JSON object")
    return card


@dataclass(frozen=True)
class VerifiedBytes:
    """A model file read once, with the card beside it and the digest a court or that card recorded for it."""

    file: Path
    card_path: Path
    card: dict[str, Any] | None
    data: bytes
    sha256: str
    recorded: str | None  # equal to ``sha256`` when not None: ``expected_sha256``, else the card's artifact.sha256


def read_artifact(path: str | Path, default_file: str, expected_sha256: str | None, limit: int) -> VerifiedBytes:
    """Read a model file (``path``, or ``default_file`` in the folder ``path``) and the ``model_card.json`` beside it.

    The bytes are read once and hashed; whatever is loaded is loaded from them (a file swapped on a shared drive
    between the check and the load changes nothing). A digest the user named (``expected_sha256``: the registry, a
    sealed statement, ``--model-sha256``) or the card names must be the file's; where both are named, they must agree.
    """
    path = Path(path)
    folder, file = (path, path / default_file) if path.is_dir() else (path.parent, path)
    if not file.is_file():
        raise ModelNotFoundError(str(file), "build the reference model with `voirdire build-model`")
    card_path = folder / "model_card.json"
    card = read_model_card(card_path) if card_path.is_file() else None
    try:
        data = read_untrusted_file(file, limit=limit)
    except InputFileError as exc:
        raise ModelLoadError(str(file), exc.detail) from None
    digest = sha256_bytes(data)
    artifact = (card or {}).get("artifact")
    card_digest = artifact.get("sha256") if isinstance(artifact, dict) else None
    recorded = expected_sha256 or card_digest
    if recorded is not None and recorded != digest:
        raise IntegrityError(str(file), str(recorded), digest)
    if expected_sha256 is not None and card_digest not in (None, digest):
        raise IntegrityError(f"{card_path} (artifact.sha256)", digest, str(card_digest))
    return VerifiedBytes(file, card_path, card, data, digest, recorded)


def file_identity(found: VerifiedBytes, adapter: str, verified: bool) -> ModelIdentity:
    """The identity of a model read from a file: named, answering and bounded as the card beside it says."""
    output = output_kind(found.card, str(found.card_path))
    return ModelIdentity(
        name=card_name(found.card, found.file.stem),
        adapter=adapter,
        source=str(found.file),
        sha256=found.sha256,
        fingerprint_verified=verified,
        output=output,
        output_range=declared_range(found.card, output, str(found.card_path)),
    )


def training_data_beside(card: Mapping[str, Any] | None, folder: Path) -> TrainingData | None:
    """``training-data/judgments.csv`` beside a model's file, when its card records the data's digest."""
    recorded = ((card or {}).get("training_data") or {}).get("sha256")
    path = folder / "training-data" / "judgments.csv"
    return TrainingData(path, recorded) if isinstance(recorded, str) and path.is_file() else None


def card_name(card: Mapping[str, Any] | None, default: str) -> str:
    name = (card or {}).get("name")
    return one_line(name, 200) if isinstance(name, str) and name.strip() else default


def output_kind(card: Mapping[str, Any] | None, source: str) -> OutputKind:
    """What the card says the model answers in (``output.kind``; months when it says nothing)."""
    output = (card or {}).get("output")
    kind = output.get("kind", "months") if isinstance(output, Mapping) else "months"
    try:
        return OutputKind(kind)
    except (ValueError, TypeError):
        raise ModelProbeError(source, "output.kind months or score", excerpt(kind)) from None


def probe_model(model: SentencingModel) -> None:
    """The test call made when a model is loaded, on the cases its kind of case supplies."""
    identity = model.identity
    kind = KINDS.for_output(identity.output)
    cases = kind.probe_cases(model.card, identity.source)
    try:
        raw = model.predict_frame(kind.model_frame(cases))
    except ModelOutputError as exc:
        raise ModelProbeError(exc.source, exc.expected, exc.found) from exc
    check_predictions(raw, len(cases), identity.source, identity.output_range, ModelProbeError)


def predict_cases(model: SentencingModel, cases: Iterable[HeardCase]) -> NDArray[np.float64]:
    """Predict for validated cases of one kind (one batch: a 1,000-row batch costs about as much as two rows)."""
    listed = list(cases)
    if not listed:
        return np.empty(0, dtype=np.float64)
    return model.predict_frame(KINDS.of(listed[0]).model_frame(listed))


def check_model_fits_case(model: SentencingModel, case: HeardCase) -> None:
    """Refuse a model that cannot answer for this case: months for a risk score, or another instrument's score."""
    identity = model.identity
    kind = KINDS.of(case)
    if identity.output is not kind.output:
        raise InputError(
            f"model {identity.name}",
            Rule.CONTRADICTION,
            f"answers in {identity.output.value}, but case {case.case_id!r} is a {kind.name} case, which needs a "
            f"model answering in {kind.output.value}",
        )
    kind.check_model_card(model.card, case, identity.name)
