"""The model under challenge, behind one typed protocol, whatever form the vendor delivers it in.

Three adapters: an sklearn/joblib file (the fingerprint is checked *before* unpickling, since a
pickle runs code), a Python callable, and a vendor's HTTP JSON endpoint (see ``vendor_server``
for the protocol). Every adapter is probed with a test call when it is created and checks
every answer afterwards: the right number of finite numbers inside the declared output range.
The rest of the toolkit sees only :class:`SentencingModel`.
"""

from __future__ import annotations

import json
import math
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from sentencing.canonical import sha256_file
from sentencing.case import Case, parse_case
from sentencing.errors import (
    IntegrityError,
    ModelEndpointError,
    ModelLoadError,
    ModelNotFoundError,
    ModelOutputError,
    ModelProbeError,
)
from sentencing.features import feature_frame
from sentencing.paths import reference_model_dir

__all__ = [
    "ENDPOINT_PROTOCOL_VERSION",
    "CallableModel",
    "HttpEndpointModel",
    "ModelIdentity",
    "OutputKind",
    "SentencingModel",
    "SklearnFileModel",
    "check_predictions",
    "load_model",
    "predict_cases",
    "probe_cases",
]

ENDPOINT_PROTOCOL_VERSION = "1.0"
_MONTHS_RANGE = (0.0, 600.0)


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
    output_range: tuple[float, float] | None,
    error: type[ModelOutputError] = ModelOutputError,
) -> NDArray[np.float64]:
    """Turn a model's raw answer into a float array, or raise naming what is malformed.

    ``output_range`` is enforced only by the probe (realistic cases must give sane values). On other
    calls an out-of-range value is returned as it is: a model that says -0.7 months for an odd case
    has answered, and that answer is evidence about the model, not a transport failure.
    """
    if isinstance(raw, str | bytes) or not isinstance(raw, Sequence | np.ndarray):
        raise error(source, f"a list of {expected} numbers", type(raw).__name__)
    items = list(np.asarray(raw).ravel()) if isinstance(raw, np.ndarray) else list(raw)
    if len(items) != expected:
        raise error(source, f"{expected} prediction(s)", f"{len(items)}")
    values = np.empty(expected, dtype=np.float64)
    for i, item in enumerate(items):
        if isinstance(item, bool) or not isinstance(item, int | float | np.integer | np.floating):
            raise error(source, "numbers", f"prediction {i} = {item!r}")
        number = float(item)
        if not math.isfinite(number):
            raise error(source, "finite numbers", f"prediction {i} = {number}")
        if output_range is not None and not output_range[0] <= number <= output_range[1]:
            raise error(source, f"values in [{output_range[0]:g}, {output_range[1]:g}]", f"prediction {i} = {number:g}")
        values[i] = number
    return values


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
        return check_predictions(raw, len(frame), self._identity.source, None)

    @classmethod
    def load(cls, path: str | Path, expected_sha256: str | None = None) -> SklearnFileModel:
        """Load ``model.joblib`` (or a folder holding it and ``model_card.json``)."""
        path = Path(path)
        folder, file = (path, path / "model.joblib") if path.is_dir() else (path.parent, path)
        if not file.is_file():
            raise ModelNotFoundError(str(file), "build the reference model with `voirdire build-model`")
        card: dict[str, Any] | None = None
        card_path = folder / "model_card.json"
        if card_path.is_file():
            try:
                card = json.loads(card_path.read_text(encoding="utf-8"))
            except (OSError, json.JSONDecodeError) as exc:
                raise ModelLoadError(str(card_path), f"model card is not valid JSON ({exc})") from exc
        digest = sha256_file(str(file))
        recorded = expected_sha256 or (card or {}).get("artifact", {}).get("sha256")
        if recorded is not None and recorded != digest:
            raise IntegrityError(str(file), recorded, digest)
        try:
            import joblib

            estimator = joblib.load(file)
        except Exception as exc:  # unpickling failures take many forms
            raise ModelLoadError(str(file), f"{type(exc).__name__}: {exc}") from exc
        if not hasattr(estimator, "predict"):
            raise ModelLoadError(str(file), "the object in the file has no predict()")
        identity = ModelIdentity(
            name=str((card or {}).get("name", file.stem)),
            adapter="sklearn-file",
            source=str(file),
            sha256=digest,
            fingerprint_verified=recorded is not None,
            output=OutputKind((card or {}).get("output", {}).get("kind", "months")),
            output_range=_MONTHS_RANGE,
        )
        return cls(estimator, identity, card)


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
        return check_predictions(raw, len(frame), self._identity.source, None)


class HttpEndpointModel:
    """A vendor's HTTP JSON service: ``GET {url}/v1/card`` and ``POST {url}/v1/predict``."""

    def __init__(self, url: str, *, timeout: float = 10.0) -> None:
        self._url = url.rstrip("/")
        self._timeout = timeout
        card = self._request("GET", "/v1/card", None)
        if not isinstance(card, dict):
            raise ModelProbeError(self._url + "/v1/card", "a JSON object (the model card)", type(card).__name__)
        self._card: dict[str, Any] = card
        declared = card.get("artifact", {}).get("sha256") if isinstance(card.get("artifact"), dict) else None
        kind = card.get("output", {}).get("kind", "months") if isinstance(card.get("output"), dict) else "months"
        try:
            output = OutputKind(kind)
        except ValueError as exc:
            raise ModelProbeError(self._url + "/v1/card", "output.kind months or score", repr(kind)) from exc
        self._identity = ModelIdentity(
            name=str(card.get("name", self._url)),
            adapter="http-endpoint",
            source=self._url,
            sha256=declared if isinstance(declared, str) else None,
            fingerprint_verified=False,
            output=output,
            output_range=_MONTHS_RANGE,
        )
        _probe(self)

    @property
    def identity(self) -> ModelIdentity:
        return self._identity

    @property
    def card(self) -> Mapping[str, Any] | None:
        return self._card

    def _request(self, method: str, path: str, body: dict[str, Any] | None) -> Any:
        url = self._url + path
        data = None if body is None else json.dumps(body, allow_nan=False).encode("utf-8")
        request = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=self._timeout) as response:
                payload = response.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace")[:300]
            raise ModelEndpointError(url, f"HTTP {exc.code}: {detail}") from exc
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            raise ModelEndpointError(url, f"cannot reach the endpoint ({getattr(exc, 'reason', exc)})") from exc
        try:
            return json.loads(payload)
        except json.JSONDecodeError as exc:
            raise ModelOutputError(url, "a JSON body", f"{payload[:80]!r}") from exc

    def predict_frame(self, frame: pd.DataFrame) -> NDArray[np.float64]:
        instances = frame.to_dict(orient="records")
        answer = self._request(
            "POST", "/v1/predict", {"protocol_version": ENDPOINT_PROTOCOL_VERSION, "instances": instances}
        )
        if not isinstance(answer, dict) or "predictions" not in answer:
            raise ModelOutputError(self._url + "/v1/predict", "an object with 'predictions'", repr(answer)[:80])
        return check_predictions(answer["predictions"], len(frame), self._url, None)


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
