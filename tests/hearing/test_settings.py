"""The one reader of the environment: every $VOIRDIRE_* variable becomes a field of the settings, nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest

from hearing.settings import settings_from_environment
from sentencing.errors import InputError


def test_each_variable_becomes_its_setting(tmp_path) -> None:
    settings = settings_from_environment({
        "VOIRDIRE_HOME": str(tmp_path), "VOIRDIRE_DATABASE_URL": "postgresql://court@127.0.0.1/test",
        "VOIRDIRE_TSA_URL": "https://tsa.court.example/", "VOIRDIRE_TSA_ROOT": "/etc/court/tsa-root.pem",
        "VOIRDIRE_STORE_KEY_FILE": "/srv/keys/store.key", "VOIRDIRE_LANG": "zh", "VOIRDIRE_COMPUTE_AHEAD": "no",
    })  # fmt: skip
    assert settings.data_home == tmp_path and settings.store_url == "postgresql://court@127.0.0.1/test"
    assert settings.tsa_url == "https://tsa.court.example/" and settings.tsa_root == Path("/etc/court/tsa-root.pem")
    assert settings.store_key_path == Path("/srv/keys/store.key") and settings.language == "zh-CN"
    assert settings.reference_model_dir == tmp_path / "reference-model" and not settings.compute_ahead
    assert settings.surrogate_dir("compas-recidivism") == tmp_path / "risk" / "compas-recidivism-surrogate"


def test_the_defaults_keep_everything_in_the_data_home(tmp_path) -> None:
    settings = settings_from_environment({"VOIRDIRE_HOME": str(tmp_path)})
    assert settings.store_url == f"sqlite:///{tmp_path / 'voirdire.sqlite'}"
    assert settings.store_key_path == tmp_path / "keys" / "store.key" and settings.local_tsa_dir == tmp_path / "tsa"
    assert settings.tsa_url is None and settings.language == "en"
    checkout = settings_from_environment({})  # in a source checkout: its var/ folder
    assert checkout.data_home == Path(__file__).resolve().parents[2] / "var"


def test_a_malformed_language_is_refused_by_name() -> None:
    with pytest.raises(InputError, match="language 'klingon'"):
        settings_from_environment({"VOIRDIRE_LANG": "klingon"})


def test_computing_ahead_is_on_unless_the_court_turns_it_off() -> None:
    from sentencing.errors import ConfigurationError

    assert settings_from_environment({}).compute_ahead
    assert not settings_from_environment({"VOIRDIRE_COMPUTE_AHEAD": "0"}).compute_ahead
    with pytest.raises(ConfigurationError, match=r"VOIRDIRE_COMPUTE_AHEAD.*expected 1 or 0"):
        settings_from_environment({"VOIRDIRE_COMPUTE_AHEAD": "sometimes"})
