"""Bounded, one-line excerpts of outside text, for error messages: an error never echoes more than a
few dozen characters of what it refuses, and never breaks its line."""

from __future__ import annotations

__all__ = ["excerpt", "one_line"]

_EXCERPT = 60


def one_line(text: str, limit: int = 200) -> str:
    """``text`` on one line (characters that are not printable escaped), cut to ``limit`` characters."""
    safe = "".join(c if c.isprintable() else repr(c)[1:-1] for c in text[: limit + 1])
    if len(text) <= limit and len(safe) <= 4 * limit:
        return safe
    return f"{safe[:limit]}… (+{max(len(text) - limit, 1)} more)"


def excerpt(value: object, limit: int = _EXCERPT) -> str:
    """``repr`` of ``value`` on one line, cut to about ``limit`` characters, saying how much was left out."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 3 * limit:
        return f"an integer of about {int(value.bit_length() * 0.30103) + 1} digits"
    if isinstance(value, str):
        text, left = repr(value[: limit + 1]), len(value) - limit
    else:
        text = repr(value)
        left = len(text) - limit
    text = "".join(c if c.isprintable() else repr(c)[1:-1] for c in text[: limit + 2])
    return text if left <= 0 else f"{text[:limit]}… (+{left} more)"
