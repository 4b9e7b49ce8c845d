"""Transparent models with known behaviour, so that tests can say exactly what the right answer is."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest

from sentencing.adapters import CallableModel


def rule_model(rule: Callable[[pd.DataFrame], np.ndarray], name: str = "rule model", **kwargs) -> CallableModel:
    return CallableModel(lambda frame: np.asarray(rule(frame), dtype=float), name, **kwargs)


@pytest.fixture
def leniency_model() -> CallableModel:
    """40 months, less 10 for each of surrender, restitution, plea agreement; 25 off for a confession."""

    def rule(frame: pd.DataFrame) -> np.ndarray:
        confession = (frame["confession"].astype(str) != "none").to_numpy(dtype=float)
        return (
            40.0
            - 10.0 * frame["surrender"].to_numpy()
            - 10.0 * frame["restitution"].to_numpy()
            - 10.0 * frame["plea_agreement"].to_numpy()
            - 25.0 * confession
        )

    return rule_model(rule, "leniency rule")


@pytest.fixture
def hukou_model() -> CallableModel:
    """The guideline's own answer would be fairer; this one adds 3 months for non-local registration."""

    def rule(frame: pd.DataFrame) -> np.ndarray:
        return 10.0 + 3.0 * (frame["household_registration"].astype(str) == "non_local").to_numpy(dtype=float)

    return rule_model(rule, "hukou rule")
