"""Run the installed ``voirdire`` console script as a user does."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
VOIRDIRE = [str(Path(sys.executable).parent / "voirdire")]  # the installed console script, as a user runs it


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*VOIRDIRE, *args], capture_output=True, text=True, env=env, timeout=180, check=False)
