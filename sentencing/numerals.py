"""Numbers as Chinese legal texts write them: Arabic (with thousands separators, full-width digits) or Chinese
numerals (一千二百, 两万, 三十五点五), with the multipliers 万 and 千 and the approximations 余 / 多 / 许.

Pure and total: a string that is not a number gives ``None``, never an exception; every value is bounded.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["MONEY_PATTERN", "NUMBER_PATTERN", "Amount", "parse_money", "parse_number"]

_DIGITS = {"零": 0, "〇": 0, "○": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "三": 3, "叁": 3, "四": 4, "肆": 4,
           "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9}  # fmt: skip
_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_BIG = {"万": 10_000, "萬": 10_000, "亿": 100_000_000}
_CHINESE = "".join([*_DIGITS, *_UNITS, *_BIG, "点"])
_FULL_WIDTH = str.maketrans("０１２３４５６７８９．，", "0123456789.,")
_LIMIT = 10**15  # no amount in a judgment is near this; anything above is a misreading

#: a number: Arabic (1,200 / 1200.5 / full width) or Chinese numerals
NUMBER_PATTERN = rf"(?:[0-9０-９][0-9０-９,，]*(?:[.．][0-9０-９]+)?|[{_CHINESE}]+)"
#: a sum of money: a number, 万 or 千, 余 / 多 / 许, then 元 (CAIL's anonymisation sometimes writes 万元 as 万某)
MONEY_PATTERN = (
    rf"(?P<number>{NUMBER_PATTERN})\s*(?P<about1>余|多|许)?\s*(?P<unit>万|千)?\s*(?P<about2>余|多|许)?\s*(?:元|块|万某)"
)


@dataclass(frozen=True)
class Amount:
    """A sum in yuan as written: ``value`` the stated figure, ``approximate`` when the text says 余 / 多 / 许."""

    value: float
    approximate: bool


def _chinese(text: str) -> float | None:
    if "点" in text:
        whole, _, fraction = text.partition("点")
        head = _chinese(whole) if whole else 0.0
        if head is None or not fraction or any(c not in _DIGITS for c in fraction):
            return None
        return head + float("0." + "".join(str(_DIGITS[c]) for c in fraction))
    total, section, digit = 0, 0, None
    for char in text:
        if char in _DIGITS:
            if digit is not None and digit != 0 and _DIGITS[char] != 0:
                return None  # two digits in a row without a unit: not a numeral (一二)
            digit = _DIGITS[char]
        elif char in _UNITS:
            section += (1 if digit is None else digit) * _UNITS[char]
            digit = None
        elif char in _BIG:
            section += digit or 0
            if section == 0:
                return None
            total = (total + section) * _BIG[char]
            section, digit = 0, None
        else:
            return None
    return float(total + section + (digit or 0))


def parse_number(text: str) -> float | None:
    """The value of ``text`` (Arabic or Chinese numerals), or ``None`` when it is not one number."""
    text = text.strip().translate(_FULL_WIDTH)
    if not text:
        return None
    if text[0].isdigit():
        plain = text.replace(",", "").replace("，", "")
        if not re.fullmatch(r"\d+(?:\.\d+)?", plain):
            return None
        value = float(plain)
    else:
        if len(text) > 24:
            return None
        parsed = _chinese(text)
        if parsed is None:
            return None
        value = parsed
    return value if value < _LIMIT else None


def parse_money(match: re.Match[str]) -> Amount | None:
    """The yuan of a ``MONEY_PATTERN`` match: the number times 万 / 千, approximate when 余 / 多 / 许 is written."""
    number = parse_number(match.group("number"))
    if number is None:
        return None
    multiplier = {"万": 10_000, "千": 1_000}.get(match.group("unit") or "", 1)
    if match.group(0).endswith("万某"):
        multiplier = 10_000
    value = round(number * multiplier, 2)
    if value >= _LIMIT:
        return None
    return Amount(value, bool(match.group("about1") or match.group("about2")))
