"""A Python function from a model frame to one number per row (a vendor's code run in this process, or a test's)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from sentencing.errors import ModelOutputError
from sentencing.models.base import MONTHS_RANGE, ModelBase, ModelIdentity, OutputKind, check_predictions, probe_model

__all__ = ["CallableModel"]


class CallableModel(ModelBase):
    """A Python function from a feature frame to one number per row."""

    def __init__(
        self,
        function: Callable[[pd.DataFrame], Sequence[float] | NDArray[np.float64]],
        name: str,
        *,
        output: OutputKind = OutputKind.MONTHS,
        output_range: tuple[float, float] = MONTHS_RANGE,
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
        probe_model(self)

    def predict_frame(self, frame: pd.DataFrame) -> NDArray[np.float64]:
        try:
            raw = self._function(frame)
        except Exception as exc:  # the vendor's code: any failure is a model failure
            raise ModelOutputError(self._identity.source, "a prediction", f"{type(exc).__name__}: {exc}") from exc
        return check_predictions(raw, len(frame), self._identity.source, self._identity.output_range)
