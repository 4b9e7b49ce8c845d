"""Files: writing so that nothing is ever half-written (a temporary file beside the target, synced, then
renamed), and reading the law-as-data documents (shipped with the package, or a court's own file)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

from sentencing.errors import ConfigurationError, InputFileError, Rule
from sentencing.excerpts import one_line
from sentencing.untrusted import parse_json, read_untrusted_file

__all__ = ["read_data_document", "write_all_or_none", "write_atomically"]


def read_data_document(shipped: str, path: str | None, what: str) -> tuple[dict[str, Any], str]:
    """A JSON object from ``sentencing/<shipped>``, or from a court's own ``path``, and where it came from.

    ``what`` names the document in errors ("the catalogue"); every failure is a ``ConfigurationError``
    naming the file.
    """
    if path is None:
        source = f"sentencing/{shipped}"
        data: bytes = resources.files("sentencing").joinpath(shipped).read_bytes()
    else:
        source = one_line(path)
        try:
            data = read_untrusted_file(path)
        except InputFileError as exc:
            raise ConfigurationError(source, f"cannot read {what} ({exc.detail})") from None
    try:
        document = parse_json(data, source)
    except InputFileError as exc:
        raise ConfigurationError(source, f"not acceptable JSON: {exc.detail}") from None
    if not isinstance(document, dict):
        raise ConfigurationError(source, f"expected a JSON object, found {type(document).__name__}")
    return document, source


def write_atomically(path: Path, data: bytes, mode: int = 0o644) -> None:
    """After a crash the target holds the old bytes or the new ones, never part of either."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        Path(temporary).chmod(mode)
        Path(temporary).replace(path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_all_or_none(files: Mapping[Path, bytes], mode: int = 0o644) -> None:
    """Write every file or none: all are first written beside their targets under temporary names (so a full
    disk fails before anything is replaced), then renamed into place; if a rename fails, the files already
    replaced get their old bytes back and the new ones are removed."""
    staged: list[tuple[Path, Path]] = []
    try:
        for path, data in files.items():
            if path.exists() and not path.is_file():
                raise InputFileError(one_line(str(path)), Rule.NOT_REGULAR_FILE, "is a folder, not a file")
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, name = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
            staged.append((Path(name), path))
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            Path(name).chmod(mode)
    except BaseException:
        for staged_file, _ in staged:
            staged_file.unlink(missing_ok=True)
        raise
    done: list[tuple[Path, bytes | None]] = []
    try:
        for staged_file, path in staged:
            old = path.read_bytes() if path.is_file() else None
            staged_file.replace(path)
            done.append((path, old))
    except BaseException:
        for path, old in reversed(done):
            if old is None:
                path.unlink(missing_ok=True)
            else:
                write_atomically(path, old, mode)
        for staged_file, _ in staged:
            staged_file.unlink(missing_ok=True)
        raise
