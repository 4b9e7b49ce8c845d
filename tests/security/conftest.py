"""The red team's findings (issue 13), each a test that failed on the code it was found in.

The evidence-pack fixtures are shared with ``tests/evidence_pack``: one real hearing sealed once per
session, each test working on a copy.
"""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from tests.evidence_pack.conftest import sealed_court  # noqa: F401 - the shared sealed hearing


class PlantedPickle:
    """What an attacker plants as ``model.joblib``: unpickling it creates ``marker`` (it runs code)."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[object, ...]]:
        return (Path.touch, (self.marker,))


@pytest.fixture
def planted(tmp_path: Path) -> tuple[bytes, Path]:
    """(the planted pickle's bytes, the marker that exists only if it was ever unpickled)."""
    marker = tmp_path / "PLANTED-CODE-RAN"
    return pickle.dumps(PlantedPickle(marker)), marker
