"""Shared fixtures: bundled cases, a valid case document to mutate, and small trained models."""

from __future__ import annotations

import copy
import json
import os
import shutil
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from sentencing.case import Case, parse_case
from sentencing.judgments import FOUR_CHARGES, GeneratorSpec
from sentencing.model import BuiltModel, TrainingSpec, build_reference_model
from sentencing.models import SklearnFileModel

pytest_plugins = ["tests.model_fixtures", "tests.hearing.store_fixtures", "tests.compas_fixtures"]

# The app's background computation of deep reports (every case page a test opens would start one, on a fresh store
# each time, and slow the whole suite): off in tests, on where it is measured (test_reports_ahead, the browser).
os.environ.setdefault("VOIRDIRE_COMPUTE_AHEAD", "0")

SMALL_GENERATOR = GeneratorSpec(rows=3000, seed=11)
SMALL_TRAINING = TrainingSpec(n_estimators=300, max_depth=4)  # 23 crimes from 2,400 judgments: MAE 5.5 months

BASE_DOCUMENT: dict[str, Any] = {
    "schema_version": "1.0",
    "case_id": "test-theft",
    "charge": "theft",
    "facts": {"amount_yuan": 12000},
    "circumstances": {},
    "defendant": {
        "age_at_offence": 34,
        "sex": "male",
        "household_registration": "local",
        "occupation": "employed",
        "region": "east",
        "ethnicity": "han",
    },
}


@pytest.fixture(autouse=True)
def _the_working_directory_is_left_alone() -> Any:
    """Nothing the toolkit does may change the process's working directory: it is shared by every thread of a
    server (one Streamlit session each), so a change made by one seal misdirects another's relative paths and
    can leave the whole process in a deleted folder. Checked around every test, so the test that did it is named.
    """
    before = Path.cwd()
    yield
    try:
        after = Path.cwd()
    except FileNotFoundError:
        os.chdir(before)
        pytest.fail("the working directory was changed to a folder that was then deleted")
    if after != before:
        os.chdir(before)
        pytest.fail(f"the working directory was changed from {before} to {after}")


def bundled_case_paths() -> list[Path]:
    folder = resources.files("sentencing").joinpath("data/cases")
    return sorted(Path(str(p)) for p in folder.iterdir() if p.name.endswith(".json"))


@pytest.fixture
def document() -> Callable[..., dict[str, Any]]:
    """A valid theft case document; keyword groups update it (facts=..., circumstances=..., defendant=...)."""

    def make(**changes: Any) -> dict[str, Any]:
        doc = copy.deepcopy(BASE_DOCUMENT)
        for key, value in changes.items():
            if isinstance(value, dict) and value and isinstance(doc.get(key), dict):
                doc[key].update(value)
            else:
                doc[key] = value
        return doc

    return make


@pytest.fixture(scope="session")
def bundled_cases() -> list[Case]:
    return [parse_case(json.loads(p.read_text(encoding="utf-8")), source=p.name) for p in bundled_case_paths()]


@pytest.fixture(scope="session")
def small_model(tmp_path_factory: pytest.TempPathFactory) -> BuiltModel:
    """A small reference model (3,000 judgments): the same code path as the real one, built in seconds."""
    return build_reference_model(tmp_path_factory.mktemp("model") / "small", SMALL_GENERATOR, SMALL_TRAINING)


@pytest.fixture(scope="session")
def small_adapter(small_model: BuiltModel) -> SklearnFileModel:
    return SklearnFileModel.load(small_model.folder)


@pytest.fixture(scope="session")
def four_charge_model(tmp_path_factory: pytest.TempPathFactory) -> BuiltModel:
    """A small model of the first generator's four charges only: a vendor's model that never saw a robbery."""
    spec = GeneratorSpec(rows=SMALL_GENERATOR.rows, seed=SMALL_GENERATOR.seed, charge_shares=FOUR_CHARGES)
    return build_reference_model(tmp_path_factory.mktemp("four") / "m", spec, SMALL_TRAINING)


@pytest.fixture(scope="session")
def four_charge_adapter(four_charge_model: BuiltModel) -> SklearnFileModel:
    return SklearnFileModel.load(four_charge_model.folder)


@pytest.fixture(scope="session")
def env(small_model: BuiltModel, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A VOIRDIRE_HOME whose reference model is the small test model, so that no CLI test trains the full one."""
    home = tmp_path_factory.mktemp("home")
    shutil.copytree(small_model.folder, home / "reference-model")
    return {**os.environ, "VOIRDIRE_HOME": str(home), "VOIRDIRE_LANG": "", "TQDM_DISABLE": "1"}
