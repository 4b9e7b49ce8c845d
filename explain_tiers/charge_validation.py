"""Was the model ever validated on the case's charge? What its card says of its held-out error by charge.

A model answers every charge its input accepts, including charges it never learned from: the toolkit's reference model
answers a home robbery with 3.4 months where the guideline derives 54.6. The card's held-out error by charge
(``held_out_error.by_group.charge``) is the vendor's own statement of the charges it was tested on; a charge missing
there (or tested on no case) means the answer for this case is an extrapolation, and the report says so in both tiers.
A card that gives no error by charge leaves it unknown, which is itself said. Nothing here asks the model.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sentencing.catalogue import load_catalogue
from sentencing.excerpts import one_line
from sentencing.i18n import Label

__all__ = ["ChargeValidation", "ValidationStatus", "charge_label", "charge_names", "validation_of_charge"]

#: at most this many charges named in a report's sentence (a card may list any number)
NAMED_CHARGES = 10


class ValidationStatus(StrEnum):
    VALIDATED = "validated"  # the card reports held-out error on cases of this charge
    NOT_VALIDATED = "not_validated"  # the card reports error by charge, and none (or no case) for this one
    UNKNOWN = "unknown"  # the card gives no held-out error by charge


@dataclass(frozen=True)
class ChargeValidation:
    charge: str
    status: ValidationStatus
    validated_charges: tuple[str, ...] = ()  # the charges the card reports held-out error on (sorted)
    held_out_cases: int | None = None  # the card's count of held-out cases of this charge, where it states one
    mae_months: float | None = None  # the card's mean absolute error on them, where it states one

    def to_dict(self) -> dict[str, Any]:
        return {"charge": self.charge, "status": self.status.value, "validated_charges": list(self.validated_charges),
                "held_out_cases": self.held_out_cases, "mae_months": self.mae_months}  # fmt: skip


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _months(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
        return None
    return float(value)


def validation_of_charge(card_error: Mapping[str, Any], charge: str) -> ChargeValidation:
    """From a card's ``held_out_error`` section (as the report keeps it: ``{"overall": …, "by_group": …}``). Only
    what the card says counts: a charge listed with a count of nought is not validated; a listed charge without a
    count is taken at the card's word (validated, count unknown); anything malformed in the card is not a figure."""
    by_group = card_error.get("by_group") if isinstance(card_error, Mapping) else None
    by_charge = by_group.get("charge") if isinstance(by_group, Mapping) else None
    if not isinstance(by_charge, Mapping) or not by_charge:
        return ChargeValidation(charge, ValidationStatus.UNKNOWN)
    tested = {}
    for name, figures in by_charge.items():
        n = _count(figures.get("n")) if isinstance(figures, Mapping) else None
        if isinstance(name, str) and n != 0:
            tested[name] = figures if isinstance(figures, Mapping) else {}
    validated = tuple(sorted(tested))
    if charge not in tested:
        return ChargeValidation(charge, ValidationStatus.NOT_VALIDATED, validated)
    own = tested[charge]
    return ChargeValidation(charge, ValidationStatus.VALIDATED, validated, _count(own.get("n")),
                            _months(own.get("mae_months")))  # fmt: skip


def charge_label(charge: str) -> Label:
    """The catalogue's name of a charge; a charge a vendor's card names that the catalogue does not know, as written
    (on one line, cut to 40 characters: the card is the vendor's, not ours)."""
    catalogue = load_catalogue()
    if charge in catalogue.charge_ids:
        return catalogue.charge(charge).label
    shown = one_line(charge, 40)
    return Label(shown, shown)


def charge_names(charges: tuple[str, ...] | list[str]) -> Label:
    """Charges named in a sentence of a report: the Chinese names alone in zh-CN, the Chinese beside the English in
    English; at most :data:`NAMED_CHARGES`, then how many more."""
    labels = [charge_label(c) for c in charges[:NAMED_CHARGES]]
    more = len(charges) - len(labels)
    zh = "、".join(label.zh for label in labels) + (f"等 {len(charges)} 个罪名" if more else "")
    en = ", ".join(label.both() for label in labels) + (f" and {more} more" if more else "")
    return Label(zh or "无", en or "none")
