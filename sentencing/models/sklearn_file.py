"""A fitted scikit-learn estimator or pipeline saved with joblib: loaded only from the bytes whose digest is known."""

from __future__ import annotations

import io
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from sentencing.errors import ModelLoadError, ModelOutputError
from sentencing.excerpts import excerpt
from sentencing.models.base import (
    ModelArtifact,
    ModelBase,
    ModelIdentity,
    TrainingData,
    check_predictions,
    file_identity,
    probe_model,
    read_artifact,
    training_data_beside,
)

__all__ = ["MODEL_FILE", "SklearnFileModel"]

MODEL_FILE = "model.joblib"
_MAX_MODEL_BYTES = 1 << 30


class SklearnFileModel(ModelBase):
    """A joblib-saved sklearn estimator or pipeline, verified against its fingerprint before loading."""

    def __init__(self, estimator: Any, identity: ModelIdentity, card: Mapping[str, Any] | None) -> None:
        self._estimator = estimator
        self._identity = identity
        self._card = card
        probe_model(self)

    @property
    def estimator(self) -> Any:
        """The loaded estimator, for explainers that need the model's inside (SHAP on trees)."""
        return self._estimator

    @property
    def artifact(self) -> ModelArtifact:
        source = Path(self._identity.source)
        return ModelArtifact(source.parent, source.name)

    @property
    def training_data(self) -> TrainingData | None:
        """``training-data/judgments.csv`` beside the artifact, when the card records its digest."""
        return training_data_beside(self._card, self.artifact.folder)

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
        found = read_artifact(path, MODEL_FILE, expected_sha256, _MAX_MODEL_BYTES)
        file, card, data, digest = found.file, found.card, found.data, found.sha256
        if found.recorded is None:
            raise ModelLoadError(
                str(file), f"a pickle runs code when it is loaded, and no model card names this file's sha256; "
                f"if {digest} is the digest the supplier gave you, give it with --model-sha256 (nothing was loaded)",
            )  # fmt: skip
        try:
            import joblib

            estimator = joblib.load(io.BytesIO(data))
        except Exception as exc:  # unpickling failures take many forms
            raise ModelLoadError(str(file), f"{type(exc).__name__}: {excerpt(str(exc), 120)}") from exc
        if not hasattr(estimator, "predict"):
            raise ModelLoadError(str(file), "the object in the file has no predict()")
        identity = file_identity(found, "sklearn-file", verified=True)
        return cls(estimator, identity, card)
