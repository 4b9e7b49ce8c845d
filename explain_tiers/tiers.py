"""The two tiers of every report, whatever the kind of case: standard for routine cases, deep for disputed ones."""

from __future__ import annotations

from enum import StrEnum

from sentencing.errors import OperationInputError
from sentencing.excerpts import excerpt

__all__ = ["Tier", "parse_tier"]


class Tier(StrEnum):
    STANDARD = "standard"
    DEEP = "deep"


def parse_tier(value: object, operation: str) -> Tier:
    """A tier named in an operation's parameters, or an error naming the operation."""
    try:
        return Tier(str(value))
    except ValueError:
        raise OperationInputError(operation, f"tier {excerpt(value)}: standard or deep") from None
