"""A model's filing (备案) and review, as the court records it when the model is registered.

What a court keeps about an algorithm it uses (法发〔2022〕33号 arts. 3 and 6: developed, deployed and run according
to law; explainable, testable, verifiable and accountable): the filing number under which the algorithm was filed
(《互联网信息服务算法推荐管理规定》art. 24, 算法备案), the risk level the assessment gave it, the dates of the
security assessment and of the ethics review (《科技伦理审查办法（试行）》, 2023), the authority it was filed with,
and the sha256 of the model that was filed — so that a hearing can say whether the model answering is that one.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sentencing.errors import InputError, Rule
from sentencing.excerpts import excerpt, one_line
from sentencing.i18n import Label
from sentencing.untrusted import field_text_problem

__all__ = ["FILING_FIELDS", "RISK_LEVEL_LABELS", "ModelFiling", "RiskLevel", "parse_filing"]

FILING_FIELDS = ("number", "authority", "risk_level", "assessed_on", "ethics_reviewed_on", "model_sha256")
_NUMBER = re.compile(r"[0-9A-Za-z\u4e00-\u9fff\-_/.()（）〔〕]{4,64}")
_SHA256 = re.compile(r"[0-9a-f]{64}")


class RiskLevel(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


RISK_LEVEL_LABELS = {RiskLevel.LOW: Label("低风险", "low risk"), RiskLevel.MEDIUM: Label("中风险", "medium risk"),
                     RiskLevel.HIGH: Label("高风险", "high risk")}  # fmt: skip


@dataclass(frozen=True)
class ModelFiling:
    number: str
    authority: str
    risk_level: RiskLevel
    assessed_on: _dt.date
    ethics_reviewed_on: _dt.date
    model_sha256: str

    def to_dict(self) -> dict[str, Any]:
        return {"number": self.number, "authority": self.authority, "risk_level": self.risk_level.value,
                "assessed_on": self.assessed_on.isoformat(), "ethics_reviewed_on": self.ethics_reviewed_on.isoformat(),
                "model_sha256": self.model_sha256}  # fmt: skip


def _date(raw: object, field: str, today: _dt.date) -> _dt.date:
    if not isinstance(raw, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
        raise InputError(field, Rule.WRONG_TYPE, f"expected a date YYYY-MM-DD, found {excerpt(raw)}")
    try:
        value = _dt.date.fromisoformat(raw)
    except ValueError:
        raise InputError(field, Rule.OUT_OF_RANGE, f"{excerpt(raw)} is no calendar date") from None
    if not _dt.date(2000, 1, 1) <= value <= today:
        raise InputError(field, Rule.OUT_OF_RANGE, f"{value} is not between 2000-01-01 and today ({today})")
    return value


def parse_filing(raw: object, *, today: _dt.date | None = None) -> ModelFiling:
    """A filing from its document (``FILING_FIELDS``); the first rule broken is one :class:`InputError` naming the
    field ``filing.…``. Dates lie between 2000 and ``today``; the ethics review may precede or follow the assessment."""
    today = today or _dt.date.today()
    if not isinstance(raw, Mapping):
        raise InputError("filing", Rule.WRONG_TYPE, f"expected an object with {', '.join(FILING_FIELDS)}")
    unknown = sorted(set(raw) - set(FILING_FIELDS))
    if unknown:
        raise InputError(f"filing.{one_line(str(unknown[0]), 40)}", Rule.UNKNOWN_FIELD,
                         f"no such field; expected {', '.join(FILING_FIELDS)}")  # fmt: skip
    missing = [name for name in FILING_FIELDS if raw.get(name) in (None, "")]
    if missing:
        raise InputError(f"filing.{missing[0]}", Rule.MISSING_REQUIRED, "the filing states it")
    number = raw["number"]
    if not isinstance(number, str) or not _NUMBER.fullmatch(number.strip()):
        raise InputError("filing.number", Rule.NOT_ALLOWED_VALUE, f"a filing number (4–64 letters, digits, Chinese "
                         f"characters, - _ / . brackets), found {excerpt(number)}")  # fmt: skip
    authority = raw["authority"]
    problem = field_text_problem(authority, 200) if isinstance(authority, str) else "must be text"
    if problem:
        raise InputError("filing.authority", Rule.INVALID_TEXT, problem)
    if raw["risk_level"] not in {level.value for level in RiskLevel}:
        raise InputError("filing.risk_level", Rule.NOT_ALLOWED_VALUE,
                         f"one of low, medium, high, found {excerpt(raw['risk_level'])}")  # fmt: skip
    digest = raw["model_sha256"]
    if not isinstance(digest, str) or not _SHA256.fullmatch(digest):
        raise InputError("filing.model_sha256", Rule.WRONG_TYPE, f"the filed model's sha256 (64 lowercase hex "
                         f"digits), found {excerpt(digest)}")  # fmt: skip
    return ModelFiling(number.strip(), str(authority).strip(), RiskLevel(raw["risk_level"]),
                       _date(raw["assessed_on"], "filing.assessed_on", today),
                       _date(raw["ethics_reviewed_on"], "filing.ethics_reviewed_on", today), digest)  # fmt: skip
