"""The ``env`` fixture: a VOIRDIRE_HOME whose reference model is the small test model."""

from __future__ import annotations

import os
import shutil

import pytest


@pytest.fixture(scope="session")
def env(small_model, tmp_path_factory) -> dict[str, str]:
    """So that no CLI test trains the full reference model."""
    home = tmp_path_factory.mktemp("home")
    shutil.copytree(small_model.folder, home / "reference-model")
    return {**os.environ, "VOIRDIRE_HOME": str(home), "VOIRDIRE_LANG": "", "TQDM_DISABLE": "1"}
