"""Command-line arguments checked at the door: one bounded line for every bad argument, never a usage dump.

argparse echoes a bad value whole ("invalid int value: '<10 MB>'") and prints the usage above the
error; here each type says the rule in words, quotes at most a short excerpt, and the parser
prints one line and exits with status 2 (bad input), as every other bad input does.
"""

from __future__ import annotations

import argparse
import getpass
import math
import os
import re
import sys
from collections.abc import Callable
from typing import NoReturn

from sentencing.errors import InputError, Rule
from sentencing.excerpts import excerpt, one_line

__all__ = [
    "MAX_SEED",
    "OneLineParser",
    "count",
    "months",
    "port",
    "positive_number",
    "secret",
    "seed",
    "sha256_hex",
]

MAX_SEED = 2**32 - 1  # what numpy's and LIME's seeds take
_MAX_MONTHS = 600.0


class OneLineParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        print(f"voirdire: error: {self.prog}: {one_line(message, 300)}", file=sys.stderr)
        raise SystemExit(2)


def _integer(text: str) -> int:
    cleaned = text.strip()
    if not re.fullmatch(r"[+-]?\d{1,20}", cleaned):
        raise argparse.ArgumentTypeError(f"expected a whole number, found {excerpt(text, 30)}")
    return int(cleaned)


def _number(text: str) -> float:
    try:
        value = float(text.strip()) if len(text) <= 40 else math.nan
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"expected a finite number, found {excerpt(text, 30)}")
    return value


def seed(text: str) -> int:
    value = _integer(text)
    if not 0 <= value <= MAX_SEED:
        raise argparse.ArgumentTypeError(f"a seed is a whole number from 0 to {MAX_SEED}, found {value}")
    return value


def count(low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        value = _integer(text)
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"expected a whole number from {low} to {high:,}, found {value}")
        return value

    parse.__name__ = "count"
    return parse


def port(text: str) -> int:
    return count(0, 65535)(text)


def months(text: str) -> float:
    """A term in months: finite, above 0, at most the engine's 600."""
    value = _number(text)
    if not 0 < value <= _MAX_MONTHS:
        raise argparse.ArgumentTypeError(f"months must be above 0 and at most {_MAX_MONTHS:g}, found {value:g}")
    return value


def positive_number(high: float) -> Callable[[str], float]:
    def parse(text: str) -> float:
        value = _number(text)
        if not 0 < value <= high:
            raise argparse.ArgumentTypeError(f"expected a number above 0 and at most {high:g}, found {value:g}")
        return value

    parse.__name__ = "positive_number"
    return parse


def sha256_hex(text: str) -> str:
    cleaned = text.strip().lower()
    if not re.fullmatch(r"[0-9a-f]{64}", cleaned):
        raise argparse.ArgumentTypeError(f"expected a sha256 digest (64 hex digits), found {excerpt(text, 30)}")
    return cleaned


def secret(variable: str | None, prompt: str) -> str:
    """A password or passphrase: from ``variable`` when it is set, else asked at the terminal, never echoed.

    With no terminal to ask (a script, a pipe, a service) getpass would echo a warning and die with
    EOFError; the user is told instead which variable to set.
    """
    value = os.environ.get(variable) if variable else None
    if not value:
        if not sys.stdin.isatty():
            hint = f"set {variable}" if variable else "give it by --password-env"
            raise InputError(prompt.rstrip(": "), Rule.MISSING_REQUIRED, f"no terminal to ask it at; {hint}")
        try:
            value = getpass.getpass(prompt)
        except EOFError:
            value = ""
    if not value:
        raise InputError(prompt.rstrip(": "), Rule.MISSING_REQUIRED, "empty")
    return value
