"""Files: writing so that nothing is ever half-written (a temporary file beside the target, synced, then
renamed), and reading the law-as-data documents (shipped with the package, or a court's own file)."""

from __future__ import annotations

import json
import os
import tempfile
from importlib import resources
from pathlib import Path
from typing import Any

from sentencing.errors import ConfigurationError

__all__ = ["read_data_document", "write_atomically"]


def read_data_document(shipped: str, path: str | None, what: str) -> tuple[dict[str, Any], str]:
    """A JSON object from ``sentencing/<shipped>``, or from a court's own ``path``, and where it came from.

    ``what`` names the document in errors ("the catalogue"); every failure is a ``ConfigurationError``
    naming the file.
    """
    if path is None:
        source = f"sentencing/{shipped}"
        text = resources.files("sentencing").joinpath(shipped).read_text(encoding="utf-8")
    else:
        source = path
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigurationError(path, f"cannot read {what} ({exc.strerror})") from exc
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigurationError(source, f"not valid JSON (line {exc.lineno}: {exc.msg})") from exc
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
