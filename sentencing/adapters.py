"""The model under challenge, behind one typed protocol, whatever form the vendor delivers it in.

Three adapters: an sklearn/joblib file (the fingerprint is checked *before* unpickling, since a
pickle runs code), a Python callable, and a vendor's HTTP JSON endpoint (see ``vendor_server``
for the protocol). Every adapter is probed with a test call when it is created and checks
every answer afterwards: the right number of finite numbers inside the declared output range.
The rest of the toolkit sees only :class:`SentencingModel`.
"""

from __future__ import annotations

import io
import json
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from sentencing.canonical import sha256_bytes
from sentencing.case import Case, parse_case
from sentencing.errors import (
    InputFileError,
    IntegrityError,
    ModelEndpointError,
    ModelLoadError,
    ModelNotFoundError,
    ModelOutputError,
    ModelProbeError,
)
from sentencing.excerpts import excerpt, one_line
from sentencing.features import feature_frame
from sentencing.http_transport import HttpTransportError, check_url, http_request
from sentencing.paths import reference_model_dir
from sentencing.untrusted import parse_json, read_untrusted_file

__all__ = [
    "DEFAULT_MAX_REQUEST_BYTES",
    "ENDPOINT_PROTOCOL_VERSION",
    "CallableModel",
    "HttpEndpointModel",
    "ModelIdentity",
    "OutputKind",
    "SentencingModel",
    "SklearnFileModel",
    "check_predictions",
    "declared_range",
    "load_model",
    "predict_cases",
    "probe_cases",
    "read_model_card",
]

ENDPOINT_PROTOCOL_VERSION = "1.0"
DEFAULT_MAX_REQUEST_BYTES = 4 << 20  # when the server does not say: well under any common server limit
_MONTHS_RANGE = (0.0, 600.0)
_SCORE_RANGE = (-1e6, 1e6)  # a score kind says its own scale (output.range); this only bounds nonsense
_MAX_MODEL_BYTES = 1 << 30
_MAX_CARD_BYTES = 4 << 20


class OutputKind(StrEnum):
    MONTHS = "months"
    SCORE = "score"


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


@runtime_checkable
class SentencingModel(Protocol):
    """A model under challenge: predicts one number per row of features."""

    @property
    def identity(self) -> ModelIdentity: ...

    @property
    def card(self) -> Mapping[str, Any] | None: ...

    def predict_frame(self, frame: pd.DataFrame) -> NDArray[np.float64]: ...


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
    allowed = _MONTHS_RANGE if kind is OutputKind.MONTHS else _SCORE_RANGE
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


def probe_cases() -> tuple[Case, ...]:
    """Two bundled cases of different charges, used for the test call made at load."""
    folder = resources.files("sentencing").joinpath("data/cases")
    out = []
    for name in ("theft-non-local-unemployed.json", "dangerous-driving-accident.json"):
        out.append(parse_case(json.loads(folder.joinpath(name).read_text(encoding="utf-8")), source=name))
    return tuple(out)


def _probe(model: SentencingModel) -> None:
    cases = probe_cases()
    try:
        raw = model.predict_frame(feature_frame(cases))
    except ModelOutputError as exc:
        raise ModelProbeError(exc.source, exc.expected, exc.found) from exc
    check_predictions(raw, len(cases), model.identity.source, model.identity.output_range, ModelProbeError)


def predict_cases(model: SentencingModel, cases: Iterable[Case]) -> NDArray[np.float64]:
    """Predict for validated cases (one batch: a 1,000-row batch costs about as much as two single rows)."""
    return model.predict_frame(feature_frame(list(cases)))


class SklearnFileModel:
    """A joblib-saved sklearn estimator or pipeline, verified against its fingerprint before loading."""

    def __init__(self, estimator: Any, identity: ModelIdentity, card: Mapping[str, Any] | None) -> None:
        self._estimator = estimator
        self._identity = identity
        self._card = card
        _probe(self)

    @property
    def identity(self) -> ModelIdentity:
        return self._identity

    @property
    def card(self) -> Mapping[str, Any] | None:
        return self._card

    @property
    def estimator(self) -> Any:
        """The loaded estimator, for explainers that need the model's inside (SHAP on trees)."""
        return self._estimator

    @property
    def folder(self) -> Path:
        """The folder the artifact came from (its card and, for the reference model, its training data)."""
        return Path(self._identity.source).parent

    @property
    def artifact(self) -> str:
        """The file, inside :attr:`folder`, whose sha256 is the model's identity."""
        return Path(self._identity.source).name

    def predict_frame(self, frame: pd.DataFrame) -> NDArray[np.float64]:
        try:
            raw = self._estimator.predict(frame)
        except Exception as exc:  # the vendor's code: any failure is a model failure
            raise ModelOutputError(self._identity.source, "a prediction", f"{type(exc).__name__}: {exc}") from exc
        return check_predictions(raw, len(frame), self._identity.source, self._identity.output_range)

    @classmethod
    def load(cls, path: str | Path, expected_sha256: str | None = None) -> SklearnFileModel:
        """Load ``model.joblib`` (or a folder holding it and ``model_card.json``).

        A pickle runs code when it is loaded, so only bytes whose sha256 is known are ever unpickled: the
        file is read once, hashed, and loaded from those same bytes (a file swapped on a shared drive
        between the check and the load changes nothing). The digest to trust comes from
        ``expected_sha256`` (what a court recorded: the registry, a sealed statement, or the user's own
        ``--model-sha256``), else from the card beside the file; a file with neither is refused unloaded.
        """
        path = Path(path)
        folder, file = (path, path / "model.joblib") if path.is_dir() else (path.parent, path)
        if not file.is_file():
            raise ModelNotFoundError(str(file), "build the reference model with `voirdire build-model`")
        card: dict[str, Any] | None = None
        card_path = folder / "model_card.json"
        if card_path.is_file():
            card = read_model_card(card_path)
        try:
            data = read_untrusted_file(file, limit=_MAX_MODEL_BYTES)
        except InputFileError as exc:
            raise ModelLoadError(str(file), exc.detail) from None
        digest = sha256_bytes(data)
        card_digest = (card or {}).get("artifact", {}).get("sha256") if isinstance((card or {}).get("artifact"),
                                                                                     dict) else None  # fmt: skip
        recorded = expected_sha256 or card_digest
        if recorded is None:
            raise ModelLoadError(
                str(file), f"a pickle runs code when it is loaded, and no model card names this file's sha256; "
                f"if {digest} is the digest the supplier gave you, give it with --model-sha256 (nothing was loaded)",
            )  # fmt: skip
        if recorded != digest:
            raise IntegrityError(str(file), str(recorded), digest)
        if expected_sha256 is not None and card_digest not in (None, digest):
            raise IntegrityError(f"{card_path} (artifact.sha256)", digest, str(card_digest))
        try:
            import joblib

            estimator = joblib.load(io.BytesIO(data))
        except Exception as exc:  # unpickling failures take many forms
            raise ModelLoadError(str(file), f"{type(exc).__name__}: {excerpt(str(exc), 120)}") from exc
        if not hasattr(estimator, "predict"):
            raise ModelLoadError(str(file), "the object in the file has no predict()")
        output = _output_kind(card, str(card_path))
        identity = ModelIdentity(
            name=_card_name(card, file.stem),
            adapter="sklearn-file",
            source=str(file),
            sha256=digest,
            fingerprint_verified=True,
            output=output,
            output_range=declared_range(card, output, str(card_path)),
        )
        return cls(estimator, identity, card)


def read_model_card(path: Path) -> dict[str, Any]:
    """A model card (strict JSON, one object); a malformed one is the model's fault (:class:`ModelLoadError`)."""
    try:
        card = parse_json(read_untrusted_file(path, limit=_MAX_CARD_BYTES), str(path))
    except InputFileError as exc:
        raise ModelLoadError(str(path), f"the model card is not acceptable JSON ({exc.detail})") from None
    if not isinstance(card, dict):
        raise ModelLoadError(str(path), "the model card is not a JSON object")
    return card


def _card_name(card: Mapping[str, Any] | None, default: str) -> str:
    name = (card or {}).get("name")
    return one_line(name, 200) if isinstance(name, str) and name.strip() else default


def _output_kind(card: Mapping[str, Any] | None, source: str) -> OutputKind:
    output = (card or {}).get("output")
    kind = output.get("kind", "months") if isinstance(output, Mapping) else "months"
    try:
        return OutputKind(kind)
    except (ValueError, TypeError):
        raise ModelProbeError(source, "output.kind months or score", excerpt(kind)) from None


class CallableModel:
    """A Python function from a feature frame to one number per row."""

    def __init__(
        self,
        function: Callable[[pd.DataFrame], Sequence[float] | NDArray[np.float64]],
        name: str,
        *,
        output: OutputKind = OutputKind.MONTHS,
        output_range: tuple[float, float] = _MONTHS_RANGE,
        sha256: str | None = None,
        card: Mapping[str, Any] | None = None,
    ) -> None:
        self._function = function
        self._card = card
        qualname = getattr(function, "__qualname__", type(function).__name__)
        self._identity = ModelIdentity(
            name=name,
            adapter="callable",
            source=f"{getattr(function, '__module__', '?')}.{qualname}",
            sha256=sha256,
            fingerprint_verified=False,
            output=output,
            output_range=output_range,
        )
        _probe(self)

    @property
    def identity(self) -> ModelIdentity:
        return self._identity

    @property
    def card(self) -> Mapping[str, Any] | None:
        return self._card

    def predict_frame(self, frame: pd.DataFrame) -> NDArray[np.float64]:
        try:
            raw = self._function(frame)
        except Exception as exc:  # the vendor's code: any failure is a model failure
            raise ModelOutputError(self._identity.source, "a prediction", f"{type(exc).__name__}: {exc}") from exc
        return check_predictions(raw, len(frame), self._identity.source, self._identity.output_range)


class HttpEndpointModel:
    """A vendor's HTTP JSON service: ``GET {url}/v1/card`` and ``POST {url}/v1/predict``.

    Every exchange is bounded in time and size and stays on the registered origin
    (:mod:`sentencing.http_transport`). Requests are cut into batches no larger than the server says it
    takes (``serving.max_request_bytes`` in its card; else :data:`DEFAULT_MAX_REQUEST_BYTES`), so a batch
    audit of 50,000 rows is many requests, not one the server must refuse.
    """

    def __init__(self, url: str, *, deadline: float = 60.0, max_response_bytes: int = 64 << 20) -> None:
        try:
            check_url(url)
        except HttpTransportError as exc:
            raise ModelEndpointError(exc.url, exc.detail) from None
        self._url = url.rstrip("/")
        self._deadline = deadline
        self._max_response = max_response_bytes
        card = self._request("GET", "/v1/card", None)
        if not isinstance(card, dict):
            raise ModelProbeError(self._url + "/v1/card", "a JSON object (the model card)", type(card).__name__)
        self._card: dict[str, Any] = card
        declared = card.get("artifact", {}).get("sha256") if isinstance(card.get("artifact"), dict) else None
        output = _output_kind(card, self._url + "/v1/card")
        serving = card.get("serving") if isinstance(card.get("serving"), dict) else {}
        limit = serving.get("max_request_bytes") if isinstance(serving, dict) else None
        self._max_request = (
            int(limit) if isinstance(limit, int) and not isinstance(limit, bool) and 1024 <= limit <= 1 << 30
            else DEFAULT_MAX_REQUEST_BYTES
        )  # fmt: skip
        self._identity = ModelIdentity(
            name=_card_name(card, self._url),
            adapter="http-endpoint",
            source=self._url,
            sha256=declared if isinstance(declared, str) and len(declared) == 64 else None,
            fingerprint_verified=False,
            output=output,
            output_range=declared_range(card, output, self._url + "/v1/card"),
        )
        _probe(self)

    @property
    def identity(self) -> ModelIdentity:
        return self._identity

    @property
    def card(self) -> Mapping[str, Any] | None:
        return self._card

    @property
    def max_request_bytes(self) -> int:
        return self._max_request

    def _request(self, method: str, path: str, body: bytes | None) -> Any:
        url = self._url + path
        try:
            answer = http_request(url, method, body, max_response_bytes=self._max_response,
                                  deadline_seconds=self._deadline)  # fmt: skip
        except HttpTransportError as exc:
            raise ModelEndpointError(exc.url, exc.detail) from None
        if answer.status == 413:
            raise ModelEndpointError(
                url, f"the endpoint refused a request of {len(body or b'')} bytes as too large (HTTP 413: "
                f"{excerpt(answer.body.decode('utf-8', 'replace'), 120)})",
            )  # fmt: skip
        if answer.status != 200:
            raise ModelEndpointError(
                url, f"HTTP {answer.status}: {excerpt(answer.body.decode('utf-8', 'replace'), 200)}"
            )
        try:
            return parse_json(answer.body, url)
        except InputFileError as exc:
            raise ModelOutputError(url, "a JSON body", exc.detail) from None

    def _batches(self, frame: pd.DataFrame) -> list[tuple[int, bytes]]:
        """(rows, body) requests, each within the server's limit; a single row over it is refused."""
        head = b'{"instances":['
        tail = ('],"protocol_version":"' + ENDPOINT_PROTOCOL_VERSION + '"}').encode()
        rows = [json.dumps(r, allow_nan=False, separators=(",", ":")).encode() for r in frame.to_dict("records")]
        batches: list[tuple[int, bytes]] = []
        current: list[bytes] = []
        size = len(head) + len(tail)
        for row in rows:
            if len(head) + len(tail) + len(row) > self._max_request:
                raise ModelEndpointError(
                    self._url + "/v1/predict", f"one case is {len(row)} bytes, over the endpoint's request limit of "
                    f"{self._max_request} bytes",
                )  # fmt: skip
            if current and size + len(row) + 1 > self._max_request:
                batches.append((len(current), head + b",".join(current) + tail))
                current, size = [], len(head) + len(tail)
            current.append(row)
            size += len(row) + (1 if len(current) > 1 else 0)
        if current:
            batches.append((len(current), head + b",".join(current) + tail))
        return batches

    def predict_frame(self, frame: pd.DataFrame) -> NDArray[np.float64]:
        parts: list[NDArray[np.float64]] = []
        for count, body in self._batches(frame):
            answer = self._request("POST", "/v1/predict", body)
            if not isinstance(answer, dict) or "predictions" not in answer:
                raise ModelOutputError(self._url + "/v1/predict", "an object with 'predictions'", excerpt(answer))
            parts.append(check_predictions(answer["predictions"], count, self._url, self._identity.output_range))
        return np.concatenate(parts) if parts else np.empty(0, dtype=np.float64)


def load_model(reference: str | Path | None = None, *, expected_sha256: str | None = None) -> SentencingModel:
    """The model a user names: a folder or .joblib file, a risk tool's surrogate (its folder or .json file),
    an http(s) URL, or (None) the reference model."""
    if reference is None:
        return SklearnFileModel.load(reference_model_dir(), expected_sha256)
    text = str(reference)
    if text.startswith(("http://", "https://")):
        return HttpEndpointModel(text)
    from sentencing.surrogate_model import is_surrogate_location, load_surrogate  # it imports this module

    if is_surrogate_location(Path(text)):
        return load_surrogate(text, expected_sha256=expected_sha256)
    return SklearnFileModel.load(text, expected_sha256)
