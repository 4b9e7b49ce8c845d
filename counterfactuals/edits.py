"""Edits a party asks for: ``restitution=true``, ``amount_yuan=9000``; parsed by the catalogue, checked against the law.

Every refused edit names the factor and the rule: unknown factor, a value the factor cannot take,
a fact the court has fixed, or a changed case that breaks a rule of the law (a contradiction).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sentencing.case import Case
from sentencing.catalogue import Catalogue, FactorType, FactorValue, load_catalogue
from sentencing.errors import CaseValidationError, InputError, Rule, Violation
from sentencing.excerpts import excerpt

__all__ = ["FIXED_BY_COURT", "Change", "apply_changes", "parse_assignments", "parse_value"]

FIXED_BY_COURT = "fixed_by_court"
_TRUE = {"true", "yes", "y", "1", "是", "有"}
_FALSE = {"false", "no", "n", "0", "否", "无"}


@dataclass(frozen=True)
class Change:
    """One factor changed from ``before`` to ``after``."""

    factor: str
    before: FactorValue
    after: FactorValue
    disputable: bool


def parse_value(factor: str, text: str, catalogue: Catalogue | None = None) -> FactorValue:
    """The typed value a person meant by ``text`` for ``factor``."""
    catalogue = catalogue or load_catalogue()
    if not catalogue.has_factor(factor):
        raise CaseValidationError((Violation(factor, "unknown_field", "no such factor"),))
    spec = catalogue.factor(factor)
    raw = text.strip()
    if spec.type is FactorType.BOOLEAN:
        if raw.lower() in _TRUE:
            return True
        if raw.lower() in _FALSE:
            return False
        raise CaseValidationError((Violation(factor, "wrong_type", f"expected true or false, found {excerpt(text)}"),))
    if spec.type is FactorType.ENUM:
        return raw
    try:
        number = float(raw.replace(",", "").replace("_", ""))
    except ValueError:
        raise CaseValidationError(
            (Violation(factor, "wrong_type", f"expected a number ({spec.unit}), found {excerpt(text)}"),)
        ) from None
    if not math.isfinite(number):
        raise CaseValidationError(
            (Violation(factor, "wrong_type", f"expected a finite number ({spec.unit}), found {excerpt(text)}"),)
        )
    if spec.type is FactorType.INTEGER:
        if not number.is_integer():
            raise CaseValidationError(
                (Violation(factor, "wrong_type", f"expected a whole number, found {excerpt(text)}"),)
            )
        return int(number)
    return int(number) if number.is_integer() else number


def parse_assignments(assignments: Iterable[str], catalogue: Catalogue | None = None) -> dict[str, FactorValue]:
    """``["restitution=true", "amount_yuan=9000"]`` → typed changes; each malformed item is named."""
    catalogue = catalogue or load_catalogue()
    out: dict[str, FactorValue] = {}
    for item in assignments:
        factor, sep, value = item.partition("=")
        if not sep or not factor.strip():
            raise InputError(f"--set {excerpt(item)}", Rule.WRONG_TYPE, "expected FACTOR=VALUE, e.g. restitution=true")
        out[factor.strip()] = parse_value(factor.strip(), value, catalogue)
    return out


def apply_changes(
    case: Case, changes: Mapping[str, FactorValue], catalogue: Catalogue | None = None
) -> tuple[Case, tuple[Change, ...]]:
    """The changed case (validated by the same rules as any case file) and what changed.

    A fact the court has fixed may not be changed; a factor that does not apply to the charge,
    a value out of range or a contradiction is refused by the case rules.
    """
    catalogue = catalogue or load_catalogue()
    fixed = [
        Violation(f, FIXED_BY_COURT, "the court has fixed this fact; it cannot be changed in a what-if")
        for f in changes
        if f in case.fixed_by_court
    ]
    if fixed:
        raise CaseValidationError(tuple(fixed), source=case.case_id)
    changed = case.with_changes(changes, catalogue)
    before, after = case.as_dict(), changed.as_dict()
    out = tuple(
        Change(factor, before[factor], after[factor], catalogue.factor(factor).disputable)
        for factor in catalogue.factor_ids
        if factor in changes and before.get(factor) != after.get(factor)
    )
    return changed, out
