"""Full-size models for the audit's validation: the reference model, and a control trained without bias."""

from __future__ import annotations

import pytest

from sentencing.adapters import SklearnFileModel
from sentencing.judgments import GeneratorSpec
from sentencing.model import build_reference_model, is_model_current
from sentencing.paths import reference_model_dir


@pytest.fixture(scope="session")
def reference_adapter(tmp_path_factory) -> SklearnFileModel:
    """The reference model: the set-up's build when it is current, else built here (same spec, same bytes)."""
    folder = reference_model_dir()
    if not is_model_current(folder):
        folder = tmp_path_factory.mktemp("reference") / "model"
        build_reference_model(folder)
    return SklearnFileModel.load(folder)


@pytest.fixture(scope="session")
def bias_free_adapter(tmp_path_factory) -> SklearnFileModel:
    folder = tmp_path_factory.mktemp("bias-free") / "model"
    build_reference_model(folder, GeneratorSpec(bias=()))
    return SklearnFileModel.load(folder)
