"""Run the installed ``voirdire`` console script as a user does."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
VOIRDIRE = [str(Path(sys.executable).parent / "voirdire")]  # the installed console script, as a user runs it


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*VOIRDIRE, *args], capture_output=True, text=True, env=env, timeout=180, check=False)


def envelope_result(completed: subprocess.CompletedProcess[str], command: str | None = None) -> Any:
    """The ``result`` of a ``--json`` answer, after checking the one envelope every command prints."""
    body = json.loads(completed.stdout)
    assert set(body) == {"schema_version", "command", "kind", "operation", "result"}, sorted(body)
    assert body["schema_version"] == "1.0"
    if command is not None:
        assert body["command"] == command, body["command"]
    return body["result"]
