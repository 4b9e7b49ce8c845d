"""Models for tests: transparent rule models with known behaviour (so a test can say exactly what the
right answer is), and the full-size reference model and bias-free control for the audit's validation."""

from __future__ import annotations

import fcntl
import os
from collections.abc import Callable

import numpy as np
import pandas as pd
import pytest

from hearing.settings import settings_from_environment
from sentencing.judgments import GeneratorSpec
from sentencing.model import build_reference_model, is_model_current
from sentencing.models import CallableModel, SklearnFileModel


def rule_model(rule: Callable[[pd.DataFrame], np.ndarray], name: str = "rule model", **kwargs) -> CallableModel:
    return CallableModel(lambda frame: np.asarray(rule(frame), dtype=float), name, **kwargs)


@pytest.fixture
def leniency_model() -> CallableModel:
    """40 months, less 10 for each of surrender, restitution, plea agreement; 25 off for a confession (never
    below 0: a term is not negative, and a model answering below its declared range is refused)."""

    def rule(frame: pd.DataFrame) -> np.ndarray:
        confession = (frame["confession"].astype(str) != "none").to_numpy(dtype=float)
        return np.maximum(
            40.0
            - 10.0 * frame["surrender"].to_numpy()
            - 10.0 * frame["restitution"].to_numpy()
            - 10.0 * frame["plea_agreement"].to_numpy()
            - 25.0 * confession,
            0.0,
        )

    return rule_model(rule, "leniency rule")


@pytest.fixture
def hukou_model() -> CallableModel:
    """The guideline's own answer would be fairer; this one adds 3 months for non-local registration."""

    def rule(frame: pd.DataFrame) -> np.ndarray:
        return 10.0 + 3.0 * (frame["household_registration"].astype(str) == "non_local").to_numpy(dtype=float)

    return rule_model(rule, "hukou rule")


@pytest.fixture(scope="session")
def reference_adapter(tmp_path_factory) -> SklearnFileModel:
    """The reference model: the set-up's build when it is current, else built here (same spec, same bytes)."""
    folder = settings_from_environment().reference_model_dir
    if not is_model_current(folder):
        folder = tmp_path_factory.mktemp("reference") / "model"
        build_reference_model(folder)
    return SklearnFileModel.load(folder)


@pytest.fixture(scope="session")
def bias_free_adapter(tmp_path_factory) -> SklearnFileModel:
    """The reference model's spec trained on judgments without the injected bias: the audit's control. Built once for
    the whole run (the first worker that needs it builds it under a lock; the others load it), read only."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the run's folder, shared by its workers
    folder = root / "shared-bias-free-model"
    with (root / "shared-bias-free-model.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, also if this worker dies
        if not folder.exists():  # the build renames a finished folder into place: present means complete
            build_reference_model(folder, GeneratorSpec(bias=()))
    return SklearnFileModel.load(folder)
