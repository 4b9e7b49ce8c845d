"""Where built artifacts live: ``$VOIRDIRE_HOME``, else ``var/`` in a source checkout, else the user's data folder."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["data_home", "reference_model_dir"]


def data_home() -> Path:
    configured = os.environ.get("VOIRDIRE_HOME")
    if configured:
        return Path(configured)
    checkout = Path(__file__).resolve().parent.parent
    if (checkout / "pyproject.toml").is_file():
        return checkout / "var"
    xdg = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(xdg) / "voirdire"


def reference_model_dir() -> Path:
    return data_home() / "reference-model"
