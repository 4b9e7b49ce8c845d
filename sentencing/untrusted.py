"""Reading what a person or a peer hands us: every file, body and value may be hostile.

Three guards, used wherever outside bytes enter the toolkit (case files, parameters, dockets,
published keys, model cards, a vendor's HTTP answers, the JSON inside a pack):

- :func:`read_untrusted_file` opens without blocking and refuses anything that is not a regular
  file (a FIFO would hang a reader, ``/dev/zero`` never ends, a folder is not a file), and reads
  at most ``limit`` bytes;
- :func:`parse_json` is strict where :func:`json.loads` is lenient: a duplicate key is an error
  (the last one would silently win: a second ``amount_yuan`` turns 12,000 into 999,999), nesting
  is bounded (``json`` recurses and raises ``RecursionError``), integers are bounded in digits
  (CPython refuses over 4,300 with a ``ValueError``) and numbers must be finite (``1e400`` is
  ``inf``; ``NaN`` is not JSON at all), and every string must be encodable text (a lone UTF-16
  surrogate such as ``"\\ud800"`` decodes but can never be written or hashed);
- :func:`excerpt` bounds what an error message echoes of the input.

Every failure is an :class:`~sentencing.errors.InputFileError` naming the source and the rule.
"""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sentencing.errors import InputFileError, Rule
from sentencing.excerpts import excerpt, one_line

__all__ = [
    "MAX_INPUT_BYTES",
    "MAX_INTEGER_DIGITS",
    "MAX_JSON_DEPTH",
    "check_regular_file",
    "field_text_problem",
    "parse_json",
    "read_json_file",
    "read_untrusted_file",
    "text_problem",
    "untrusted_lines",
]

MAX_INPUT_BYTES = 16 << 20  # a case file, a docket, a key list, a card: far larger than any real one
MAX_JSON_DEPTH = 64
MAX_INTEGER_DIGITS = 100

# A token of the JSON text that matters for nesting: a whole string (skipped, it may hold brackets) or a bracket.
_NESTING = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)


def text_problem(value: str) -> str | None:
    """Why ``value`` is not storable text (a lone surrogate), or None."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        return f"holds a character that is not text ({exc.reason} at position {exc.start})"
    return None


def field_text_problem(value: str, limit: int) -> str | None:
    """Why ``value`` is not storable as one field's text: not text, longer than ``limit`` characters, or holding
    control characters (newlines and tabs are allowed); None when it is."""
    problem = text_problem(value) or (f"{len(value)} characters, at most {limit}" if len(value) > limit else None)
    if problem is None and any(not c.isprintable() and c not in "\n\t" for c in value):
        problem = "holds control characters"
    return problem


def check_regular_file(path: str | Path) -> None:
    """Refuse, before a library opens it by name, anything that is not a regular file (a FIFO blocks the reader,
    ``/dev/zero`` never ends, a folder is not a file)."""
    name = one_line(str(path))
    try:
        status = Path(path).stat()
    except FileNotFoundError:
        raise InputFileError(name, Rule.FILE_UNREADABLE, "no such file") from None
    except (OSError, ValueError) as exc:
        raise InputFileError(name, Rule.FILE_UNREADABLE, f"cannot be read ({getattr(exc, 'strerror', exc)})") from None
    if stat.S_ISDIR(status.st_mode):
        raise InputFileError(name, Rule.NOT_REGULAR_FILE, "is a folder, not a file")
    if not stat.S_ISREG(status.st_mode):
        raise InputFileError(name, Rule.NOT_REGULAR_FILE, "is not a regular file (a pipe, socket or device)")


def _open_regular(path: str | Path, limit: int) -> tuple[str, int]:
    """The file's one-line name and a descriptor on it, opened without following it into a FIFO or device, or
    refused: not there, unreadable, not a regular file, or over ``limit`` bytes. The caller closes it."""
    name = one_line(str(path))
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_NOCTTY | os.O_CLOEXEC)
    except FileNotFoundError:
        raise InputFileError(name, Rule.FILE_UNREADABLE, "no such file") from None
    except (OSError, ValueError) as exc:
        raise InputFileError(
            name, Rule.FILE_UNREADABLE, f"cannot be opened ({getattr(exc, 'strerror', exc)})"
        ) from None
    try:
        status = os.fstat(descriptor)
        if stat.S_ISDIR(status.st_mode):
            raise InputFileError(name, Rule.NOT_REGULAR_FILE, "is a folder, not a file")
        if not stat.S_ISREG(status.st_mode):
            raise InputFileError(name, Rule.NOT_REGULAR_FILE, "is not a regular file (a pipe, socket or device)")
        if status.st_size > limit:
            raise InputFileError(name, Rule.FILE_TOO_LARGE, f"{status.st_size} bytes, over the limit of {limit}")
    except OSError as exc:
        os.close(descriptor)
        raise InputFileError(name, Rule.FILE_UNREADABLE, f"cannot be read ({exc.strerror or exc})") from None
    except BaseException:
        os.close(descriptor)
        raise
    return name, descriptor


def read_untrusted_file(path: str | Path, *, limit: int = MAX_INPUT_BYTES) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes, opened without following it into a FIFO or device."""
    name, descriptor = _open_regular(path, limit)
    try:
        chunks: list[bytes] = []
        size = 0
        while chunk := os.read(descriptor, min(1 << 20, limit + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise InputFileError(name, Rule.FILE_TOO_LARGE, f"grew past the limit of {limit} bytes while read")
        return b"".join(chunks)
    except OSError as exc:
        raise InputFileError(name, Rule.FILE_UNREADABLE, f"cannot be read ({exc.strerror or exc})") from None
    finally:
        os.close(descriptor)


def untrusted_lines(
    path: str | Path, *, limit: int, line_limit: int = 1 << 20, digest: Any | None = None
) -> Iterator[tuple[int, bytes]]:
    """The lines of a regular file, numbered from 1, read a chunk at a time (a file of any size in bounded
    memory): opened as :func:`read_untrusted_file` opens, refused past ``limit`` bytes in all or a line longer than
    ``line_limit``. ``digest`` (a hashlib object), when given, is fed every byte read."""
    name, descriptor = _open_regular(path, limit)
    try:
        pending = b""
        number = 0
        size = 0
        while True:
            try:
                chunk = os.read(descriptor, 1 << 20)
            except OSError as exc:
                raise InputFileError(name, Rule.FILE_UNREADABLE, f"cannot be read ({exc.strerror or exc})") from None
            size += len(chunk)
            if size > limit:
                raise InputFileError(name, Rule.FILE_TOO_LARGE, f"grew past the limit of {limit} bytes while read")
            if digest is not None:
                digest.update(chunk)
            pending += chunk
            *lines, pending = pending.split(b"\n") if chunk else (*pending.split(b"\n"), b"")
            for line in lines:
                number += 1
                if len(line) > line_limit:
                    raise InputFileError(f"{name}:{number}", Rule.FILE_TOO_LARGE,
                                         f"a line of {len(line)} bytes (at most {line_limit})")  # fmt: skip
                yield number, line
            if len(pending) > line_limit:
                raise InputFileError(f"{name}:{number + 1}", Rule.FILE_TOO_LARGE,
                                     f"a line of more than {line_limit} bytes")  # fmt: skip
            if not chunk:
                return
    finally:
        os.close(descriptor)


class _RefusedError(Exception):
    def __init__(self, rule: str, detail: str) -> None:
        super().__init__(detail)
        self.rule = rule
        self.detail = detail


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _RefusedError(Rule.DUPLICATE_KEY, f"key {excerpt(key)} appears twice in one object")
        result[key] = value
    return result


def _integer(text: str) -> int:
    digits = len(text.lstrip("-"))
    if digits > MAX_INTEGER_DIGITS:
        raise _RefusedError(Rule.NUMBER_OUT_OF_RANGE, f"an integer of {digits} digits (at most {MAX_INTEGER_DIGITS})")
    return int(text)


def _float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise _RefusedError(Rule.NUMBER_OUT_OF_RANGE, f"the number {excerpt(text)} is too large to be a finite number")
    return value


def _constant(text: str) -> Any:
    raise _RefusedError(Rule.FILE_NOT_JSON, f"{text} is not a JSON number")


def _depth_of(text: str) -> int:
    depth = deepest = 0
    for token in _NESTING.finditer(text):
        symbol = token.group()
        if symbol in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > MAX_JSON_DEPTH:
                    return deepest
        elif symbol in "]}":
            depth -= 1
    return deepest


def _texts(value: Any, path: str) -> str | None:
    """The path of the first string (key or value) that is not text, and why."""
    stack: list[tuple[Any, str]] = [(value, path)]
    while stack:
        item, where = stack.pop()
        if isinstance(item, str):
            problem = text_problem(item)
            if problem:
                return f"{where}: {problem}"
        elif isinstance(item, dict):
            for key, inner in item.items():
                problem = text_problem(key)
                if problem:
                    return f"{where}: a key {problem}"
                stack.append((inner, f"{where}.{key}"))
        elif isinstance(item, list):
            stack.extend((inner, f"{where}[{index}]") for index, inner in enumerate(item))
    return None


def parse_json(data: bytes | str, source: str) -> Any:
    """Strict JSON (see the module's docstring); every failure an :class:`InputFileError` naming ``source``."""
    name = one_line(source)
    if isinstance(data, bytes):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputFileError(name, Rule.FILE_UNREADABLE, f"not UTF-8 text (byte {exc.start})") from None
    else:
        text = data
    text = text.removeprefix("\ufeff")
    if _depth_of(text) > MAX_JSON_DEPTH:
        raise InputFileError(name, Rule.NESTED_TOO_DEEP, f"nested more than {MAX_JSON_DEPTH} levels deep")
    try:
        value = json.loads(
            text, object_pairs_hook=_object, parse_int=_integer, parse_float=_float, parse_constant=_constant
        )
    except _RefusedError as exc:
        raise InputFileError(name, exc.rule, exc.detail) from None
    except json.JSONDecodeError as exc:
        raise InputFileError(
            name, Rule.FILE_NOT_JSON, f"not valid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from None
    except (ValueError, RecursionError) as exc:  # any limit of the decoder itself, said in one line
        raise InputFileError(name, Rule.FILE_NOT_JSON, f"not acceptable JSON ({excerpt(str(exc), 120)})") from None
    problem = _texts(value, "$")
    if problem:
        raise InputFileError(name, Rule.INVALID_TEXT, problem)
    return value


def read_json_file(path: str | Path, *, limit: int = MAX_INPUT_BYTES) -> Any:
    """:func:`read_untrusted_file` then :func:`parse_json`."""
    return parse_json(read_untrusted_file(path, limit=limit), str(path))
