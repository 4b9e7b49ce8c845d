"""The procuratorate's sentencing proposal (量刑建议) in a plea case (认罪认罚), as a validated part of the case.

In plea cases the number at stake is the proposal: the court "generally should" adopt it (刑事诉讼法第201条 CPL
art. 201). A proposal states the principal penalty and its term (a point or a range), the fine, probation, the
stage at which the defendant pleaded (the 2021 opinion grades the reduction by 阶段、程度、价值), the signed plea
statement (认罪认罚具结书: its date and whether the defender or a duty lawyer was present, CPL art. 174), the
circumstances and basis the procuratorate states, and the tool, if any, that produced it (its model digest).

:func:`parse_proposal` checks a proposal document and builds a :class:`Proposal`; every broken rule is a
:class:`~sentencing.errors.Violation` naming the field (``proposal.term_months`` …) and the rule, collected
rather than stopped at the first. With the case's charge it also checks the term against every statutory band of
the charge (a term no band of the charge holds is no proposal of this charge). Whether the proposal is *right*
for the facts is not checked here: that is the review (``explain_tiers.proposal_review``).
"""

from __future__ import annotations

import datetime as _dt
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sentencing.canonical import canonical_json
from sentencing.catalogue import Catalogue, load_catalogue
from sentencing.errors import CaseValidationError, Rule, Violation
from sentencing.excerpts import excerpt
from sentencing.guideline import PENALTY_LABELS, MonthRange, Penalty
from sentencing.i18n import Label
from sentencing.jurisdiction import Jurisdiction, PleaStage
from sentencing.untrusted import field_text_problem

__all__ = [
    "PRESENT_LABELS",
    "PROBATION_TERM_LIMIT",
    "PROPOSAL_SCHEMA_VERSION",
    "Present",
    "Proposal",
    "SignedStatement",
    "parse_proposal",
    "proposal_from_canonical",
    "read_date",
    "stage_of_plea",
]

PROPOSAL_SCHEMA_VERSION = "1.0"
_TEXT_LIMIT = 2000
_NAME_LIMIT = 120
_SHA256 = re.compile(r"[0-9a-f]{64}")
_DETENTION = (1.0, 6.0)  # 拘役: one to six months (刑法第42条 Criminal Law art. 42)
_FIXED_TERM = (6.0, 180.0)  # 有期徒刑: six months to fifteen years for one crime (刑法第45条 art. 45)
PROBATION_TERM_LIMIT = 36.0  # 缓刑: detention, or fixed-term imprisonment of at most three years (刑法第72条 art. 72)
_PROBATION_TEST = {  # 缓刑考验期 (刑法第73条 art. 73): not shorter than the term, within these limits
    Penalty.DETENTION: (2.0, 12.0),
    Penalty.FIXED_TERM: (12.0, 60.0),
}
_TOP = {"schema_version", "proposal_id", "procuratorate", "date", "penalty", "term_months", "fine_yuan", "probation",
        "probation_months", "plea", "procedure_dates", "stated_circumstances", "basis", "tool"}  # fmt: skip
_PLEA = {"stage", "date", "signed_statement"}
_STATEMENT = {"date", "present", "lawyer"}
_PROCEDURE = {"review_started", "indicted"}
_TOOL = {"name", "model_sha256"}


class Present(StrEnum):
    """Who was present when the defendant signed the plea statement (CPL art. 174)."""

    DEFENDER = "defender"  # 辩护人
    DUTY_LAWYER = "duty_lawyer"  # 值班律师


PRESENT_LABELS: dict[Present, Label] = {
    Present.DEFENDER: Label("辩护人", "the defender (辩护人)"),
    Present.DUTY_LAWYER: Label("值班律师", "a duty lawyer (值班律师)"),
}


@dataclass(frozen=True)
class SignedStatement:
    """The plea statement (认罪认罚具结书): when it was signed and who was present."""

    date: _dt.date
    present: Present
    lawyer: str


@dataclass(frozen=True)
class Proposal:
    """A validated sentencing proposal. ``term`` is a point when ``low == high``; months throughout."""

    proposal_id: str
    procuratorate: str
    date: _dt.date
    penalty: Penalty
    term: MonthRange
    fine_yuan: tuple[float, float] | None
    probation: bool
    probation_months: float | None
    plea_stage: PleaStage
    plea_date: _dt.date
    signed_statement: SignedStatement
    review_started: _dt.date | None
    indicted: _dt.date | None
    stated_circumstances: tuple[str, ...]
    basis: str
    tool_name: str | None
    tool_model_sha256: str | None

    @property
    def is_range(self) -> bool:
        return self.term.low != self.term.high

    def term_label(self) -> Label:
        """The proposed outcome in one line, in both languages."""
        name = PENALTY_LABELS[self.penalty]
        zh, en = name.zh, name.en
        if self.penalty in (Penalty.DETENTION, Penalty.FIXED_TERM):
            span = f"{self.term.low:g}" if not self.is_range else f"{self.term.low:g}–{self.term.high:g}"
            zh, en = f"{zh}{span}个月", f"{en}, {span} months"
        if self.fine_yuan is not None:
            low, high = self.fine_yuan
            money = f"{low:,.0f}" if low == high else f"{low:,.0f}–{high:,.0f}"
            zh, en = f"{zh}，并处罚金{money}元", f"{en}, and a fine of ¥{money}"
        if self.probation:
            test = f"{self.probation_months:g}" if self.probation_months is not None else ""
            zh += f"，缓刑{test}个月" if test else "，适用缓刑"
            en += f", suspended with {test} months' probation" if test else ", suspended (probation)"
        return Label(zh, en)

    def to_document(self) -> dict[str, Any]:
        """The canonical JSON form; ``parse_proposal(p.to_document())`` gives back an equal proposal."""
        document: dict[str, Any] = {
            "schema_version": PROPOSAL_SCHEMA_VERSION,
            "proposal_id": self.proposal_id,
            "procuratorate": self.procuratorate,
            "date": self.date.isoformat(),
            "penalty": self.penalty.value,
            "term_months": self.term.low if not self.is_range else [self.term.low, self.term.high],
            "probation": self.probation,
            "plea": {"stage": self.plea_stage.value, "date": self.plea_date.isoformat(),
                     "signed_statement": {"date": self.signed_statement.date.isoformat(),
                                          "present": self.signed_statement.present.value,
                                          "lawyer": self.signed_statement.lawyer}},
            "stated_circumstances": list(self.stated_circumstances),
            "basis": self.basis,
        }  # fmt: skip
        if self.fine_yuan is not None:
            low, high = self.fine_yuan
            document["fine_yuan"] = low if low == high else [low, high]
        if self.probation_months is not None:
            document["probation_months"] = self.probation_months
        dates = {k: v.isoformat() for k, v in (("review_started", self.review_started), ("indicted", self.indicted))
                 if v is not None}  # fmt: skip
        if dates:
            document["procedure_dates"] = dates
        if self.tool_name is not None:
            document["tool"] = {"name": self.tool_name, **({"model_sha256": self.tool_model_sha256}
                                                           if self.tool_model_sha256 else {})}  # fmt: skip
        return document

    def canonical(self) -> str:
        return canonical_json(self.to_document()).decode("utf-8")


def stage_of_plea(plea_date: _dt.date, review_started: _dt.date | None, indicted: _dt.date | None) -> PleaStage | None:
    """The stage the dates put a plea in (before review: investigation; before the indictment: review; after:
    trial), or None when the dates given do not decide it."""
    if review_started is not None and plea_date < review_started:
        return PleaStage.INVESTIGATION
    if indicted is not None and plea_date >= indicted:
        return PleaStage.TRIAL
    if review_started is not None:
        return PleaStage.PROSECUTION_REVIEW  # after review began and (where known) before the indictment
    return None  # before an indictment whose review date is not given: investigation or review, undecided


def read_date(raw: object) -> tuple[_dt.date | None, tuple[Rule, str] | None]:
    """A date ``YYYY-MM-DD`` from 1979-07-01 (the first Criminal Procedure Law) to 2100-01-01, or the rule it
    breaks and why (the caller names the field)."""
    if not isinstance(raw, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
        return None, (Rule.WRONG_TYPE, f"expected a date YYYY-MM-DD, found {excerpt(raw)}")
    try:
        value = _dt.date.fromisoformat(raw)
    except ValueError:
        return None, (Rule.OUT_OF_RANGE, f"{excerpt(raw)} is no calendar date")
    if not _dt.date(1979, 7, 1) <= value <= _dt.date(2100, 1, 1):
        return None, (Rule.OUT_OF_RANGE, f"{value} is outside 1979-07-01 … 2100-01-01")
    return value, None


class _Checker:
    def __init__(self) -> None:
        self.violations: list[Violation] = []

    def add(self, field: str, rule: Rule, message: str) -> None:
        self.violations.append(Violation(f"proposal.{field}", rule, message))

    def keys(self, raw: Mapping[str, Any], allowed: set[str], where: str) -> None:
        for key in raw:
            if key not in allowed:
                expected = ", ".join(sorted(allowed))
                self.add(f"{where}{key}", Rule.UNKNOWN_FIELD, f"no such field; expected one of {expected}")

    def text(self, raw: object, field: str, limit: int, required: bool = True) -> str | None:
        if raw is None and not required:
            return None
        if not isinstance(raw, str) or not raw.strip():
            self.add(field, Rule.WRONG_TYPE if raw is not None else Rule.MISSING_REQUIRED,
                     f"expected text, found {excerpt(raw)}")  # fmt: skip
            return None
        problem = field_text_problem(raw, limit)
        if problem:
            self.add(field, Rule.INVALID_TEXT, problem)
            return None
        return raw

    def date(self, raw: object, field: str, required: bool = True) -> _dt.date | None:
        if raw is None and not required:
            return None
        value, broken = read_date(raw)
        if broken is not None:
            rule, message = broken
            self.add(field, Rule.MISSING_REQUIRED if raw is None else rule, message)
        return value

    def number(self, raw: object, field: str, low: float, high: float, unit: str) -> float | None:
        if isinstance(raw, bool) or not isinstance(raw, int | float) or not math.isfinite(raw):
            self.add(field, Rule.WRONG_TYPE, f"expected a number of {unit}, found {excerpt(raw)}")
            return None
        if not low <= raw <= high:
            self.add(field, Rule.OUT_OF_RANGE, f"must be between {low:g} and {high:g} {unit}, found {raw:g}")
            return None
        return float(raw)

    def span(self, raw: object, field: str, low: float, high: float, unit: str) -> tuple[float, float] | None:
        """A point or a range [low, high]; a range upside down is refused."""
        if isinstance(raw, list):
            if len(raw) != 2:
                self.add(field, Rule.WRONG_TYPE, f"expected a number or [low, high], found a list of {len(raw)}")
                return None
            a = self.number(raw[0], f"{field}[0]", low, high, unit)
            b = self.number(raw[1], f"{field}[1]", low, high, unit)
            if a is None or b is None:
                return None
            if a > b:
                self.add(field, Rule.CONTRADICTION, f"the range [{a:g}, {b:g}] is upside down (its low end is above "
                         "its high end)")  # fmt: skip
                return None
            return a, b
        value = self.number(raw, field, low, high, unit)
        return None if value is None else (value, value)


def _band_of_charge(jurisdiction: Jurisdiction, charge: str) -> tuple[float, float]:
    tiers = jurisdiction.charge_table(charge).tiers
    return min(t.statutory_band.min_months for t in tiers), max(t.statutory_band.max_months for t in tiers)


def parse_proposal(
    document: object,
    *,
    charge: str | None = None,
    jurisdiction: Jurisdiction | None = None,
    catalogue: Catalogue | None = None,
    source: str | None = None,
) -> Proposal:
    """Check a proposal document and build the proposal; with ``charge`` (and its ``jurisdiction``) also the
    circumstances it states and its term against every statutory band of the charge. Raises
    :class:`~sentencing.errors.CaseValidationError` listing every broken rule."""
    c = _Checker()
    if not isinstance(document, dict):
        c.add("", Rule.WRONG_TYPE, f"expected a proposal (a JSON object), found {type(document).__name__}")
        raise CaseValidationError(tuple(c.violations), source=source)
    c.keys(document, _TOP, "")
    if document.get("schema_version") != PROPOSAL_SCHEMA_VERSION:
        c.add("schema_version", Rule.UNSUPPORTED_SCHEMA,
              f"expected {PROPOSAL_SCHEMA_VERSION!r}, found {excerpt(document.get('schema_version'))}")  # fmt: skip
    proposal_id = c.text(document.get("proposal_id"), "proposal_id", _NAME_LIMIT)
    procuratorate = c.text(document.get("procuratorate"), "procuratorate", _NAME_LIMIT)
    date = c.date(document.get("date"), "date")
    penalty: Penalty | None = None
    raw_penalty = document.get("penalty")
    if raw_penalty not in {p.value for p in Penalty}:
        c.add("penalty", Rule.NOT_ALLOWED_VALUE,
              f"expected one of {', '.join(p.value for p in Penalty)}, found {excerpt(raw_penalty)}")  # fmt: skip
    else:
        penalty = Penalty(raw_penalty)
    term: tuple[float, float] | None = None
    if penalty in (Penalty.DETENTION, Penalty.FIXED_TERM):
        limits = _DETENTION if penalty is Penalty.DETENTION else _FIXED_TERM
        article = "刑法第42条 Criminal Law art. 42" if penalty is Penalty.DETENTION else "刑法第45条 art. 45"
        term = c.span(document.get("term_months"), "term_months", 0, 1000, "months")
        if term is not None and not (limits[0] <= term[0] and term[1] <= limits[1]):
            c.add("term_months", Rule.OUT_OF_RANGE, f"{penalty.value} runs from {limits[0]:g} to {limits[1]:g} months "
                  f"({article}), proposed {term[0]:g}–{term[1]:g}")  # fmt: skip
            term = None
    elif penalty is not None:
        if document.get("term_months") not in (None, 0, [0, 0]):
            c.add("term_months", Rule.CONTRADICTION, f"{penalty.value} carries no custodial term, found "
                  f"{excerpt(document.get('term_months'))}")  # fmt: skip
        term = (0.0, 0.0)
    fine = None
    if document.get("fine_yuan") is not None:
        fine = c.span(document.get("fine_yuan"), "fine_yuan", 0, 1e10, "yuan")
        if penalty is Penalty.EXEMPTION and fine is not None and fine[1] > 0:
            c.add("fine_yuan", Rule.CONTRADICTION, "exemption (免予刑事处罚, 刑法第37条) carries no fine")
    probation = document.get("probation", False)
    if not isinstance(probation, bool):
        c.add("probation", Rule.WRONG_TYPE, f"expected true or false, found {excerpt(probation)}")
        probation = False
    probation_months = None
    if probation:
        if penalty not in (Penalty.DETENTION, Penalty.FIXED_TERM):
            c.add("probation", Rule.CONTRADICTION, "probation (缓刑) suspends detention or fixed-term imprisonment "
                  "(刑法第72条 Criminal Law art. 72); the proposal has no custodial term")  # fmt: skip
        elif term is not None and term[1] > PROBATION_TERM_LIMIT:
            c.add("probation", Rule.CONTRADICTION, f"probation (缓刑) is for detention or a fixed term of at most "
                  f"{PROBATION_TERM_LIMIT:g} months (三年以下有期徒刑, 刑法第72条 Criminal Law art. 72); proposed "
                  f"{term[1]:g} months")  # fmt: skip
        if document.get("probation_months") is not None and penalty in _PROBATION_TEST:
            low, high = _PROBATION_TEST[penalty]
            probation_months = c.number(document.get("probation_months"), "probation_months", low, high, "months")
            if probation_months is not None and term is not None and probation_months < term[1]:
                c.add("probation_months", Rule.CONTRADICTION, f"the probation test period ({probation_months:g} "
                      f"months) may not be shorter than the term ({term[1]:g} months; 刑法第73条 Criminal Law art. "
                      "73)")  # fmt: skip
                probation_months = None
    elif document.get("probation_months") is not None:
        c.add("probation_months", Rule.CONTRADICTION, "a probation test period without probation = true")

    plea = document.get("plea")
    stage = plea_date = statement = None
    if not isinstance(plea, dict):
        c.add("plea", Rule.MISSING_REQUIRED if plea is None else Rule.WRONG_TYPE,
              "expected {stage, date, signed_statement}: a proposal is made on a plea (认罪认罚)")  # fmt: skip
    else:
        c.keys(plea, _PLEA, "plea.")
        if plea.get("stage") not in {s.value for s in PleaStage}:
            c.add(
                "plea.stage",
                Rule.NOT_ALLOWED_VALUE,
                f"expected one of {', '.join(s.value for s in PleaStage)}, found {excerpt(plea.get('stage'))}",
            )
        else:
            stage = PleaStage(plea["stage"])
        plea_date = c.date(plea.get("date"), "plea.date")
        signed = plea.get("signed_statement")
        if not isinstance(signed, dict):
            c.add("plea.signed_statement", Rule.MISSING_REQUIRED if signed is None else Rule.WRONG_TYPE,
                  "expected {date, present, lawyer}: the plea statement (认罪认罚具结书, CPL art. 174)")  # fmt: skip
        else:
            c.keys(signed, _STATEMENT, "plea.signed_statement.")
            signed_date = c.date(signed.get("date"), "plea.signed_statement.date")
            present = signed.get("present")
            if present not in {p.value for p in Present}:
                c.add("plea.signed_statement.present", Rule.NOT_ALLOWED_VALUE, "the statement is signed with the "
                      f"defender or a duty lawyer present (CPL art. 174): expected one of "
                      f"{', '.join(p.value for p in Present)}, found {excerpt(present)}")  # fmt: skip
            lawyer = c.text(signed.get("lawyer"), "plea.signed_statement.lawyer", _NAME_LIMIT)
            if signed_date is not None and present in {p.value for p in Present} and lawyer is not None:
                statement = SignedStatement(signed_date, Present(present), lawyer)
    procedure = document.get("procedure_dates") or {}
    review_started = indicted = None
    if not isinstance(procedure, dict):
        c.add("procedure_dates", Rule.WRONG_TYPE, "expected {review_started, indicted}")
    else:
        c.keys(procedure, _PROCEDURE, "procedure_dates.")
        review_started = c.date(procedure.get("review_started"), "procedure_dates.review_started", required=False)
        indicted = c.date(procedure.get("indicted"), "procedure_dates.indicted", required=False)
        if review_started and indicted and review_started > indicted:
            c.add(
                "procedure_dates.indicted",
                Rule.CONTRADICTION,
                f"indicted on {indicted}, before the case went to prosecution review on {review_started}",
            )
    if stage is not None and plea_date is not None:
        by_dates = stage_of_plea(plea_date, review_started, indicted)
        if by_dates is not None and by_dates is not stage:
            c.add("plea.stage", Rule.CONTRADICTION, f"{stage.value}, but the plea of {plea_date} falls in the "
                  f"{by_dates.value} stage by the procedure dates (review from {review_started or '—'}, indicted "
                  f"{indicted or '—'})")  # fmt: skip
    if statement is not None and plea_date is not None and statement.date < plea_date:
        c.add(
            "plea.signed_statement.date",
            Rule.CONTRADICTION,
            f"signed on {statement.date}, before the plea of {plea_date}",
        )
    if statement is not None and date is not None and statement.date > date:
        c.add(
            "plea.signed_statement.date",
            Rule.CONTRADICTION,
            f"signed on {statement.date}, after the proposal of {date}",
        )
    if stage is PleaStage.INVESTIGATION and date is not None and plea_date is not None and plea_date > date:
        c.add("plea.date", Rule.CONTRADICTION, f"a plea of {plea_date} comes after the proposal of {date}")

    catalogue = catalogue or load_catalogue()
    stated = document.get("stated_circumstances", [])
    circumstances: list[str] = []
    if not isinstance(stated, list) or not all(isinstance(s, str) for s in stated):
        c.add("stated_circumstances", Rule.WRONG_TYPE, "expected a list of circumstance ids")
    else:
        for i, item in enumerate(stated):
            if not catalogue.has_factor(item) or catalogue.factor(item).group.value != "circumstance":
                c.add(f"stated_circumstances[{i}]", Rule.UNKNOWN_FIELD, f"{excerpt(item)} is no circumstance of the "
                      "catalogue")  # fmt: skip
            elif charge is not None and not catalogue.factor(item).applies_to(charge):
                c.add(f"stated_circumstances[{i}]", Rule.NOT_APPLICABLE, f"{item} does not apply to {charge}")
            elif item not in circumstances:
                circumstances.append(item)
    raw_basis = document.get("basis", "")
    basis = c.text(raw_basis, "basis", _TEXT_LIMIT) if raw_basis != "" else ""
    tool = document.get("tool")
    tool_name = tool_sha = None
    if tool is not None:
        if not isinstance(tool, dict):
            c.add("tool", Rule.WRONG_TYPE, "expected {name, model_sha256}")
        else:
            c.keys(tool, _TOOL, "tool.")
            tool_name = c.text(tool.get("name"), "tool.name", _NAME_LIMIT)
            sha = tool.get("model_sha256")
            if sha is not None and (not isinstance(sha, str) or not _SHA256.fullmatch(sha)):
                c.add("tool.model_sha256", Rule.WRONG_TYPE, f"expected 64 lowercase hex digits, found {excerpt(sha)}")
            else:
                tool_sha = sha
    if (
        charge is not None
        and jurisdiction is not None
        and term is not None
        and penalty in (Penalty.DETENTION, Penalty.FIXED_TERM)
    ):
        low, high = _band_of_charge(jurisdiction, charge)
        if term[1] > high:
            c.add("term_months", Rule.OUT_OF_RANGE, f"{term[1]:g} months is above every statutory band of {charge} "
                  f"(at most {high:g} months in {jurisdiction.id})")  # fmt: skip
    if c.violations:
        raise CaseValidationError(tuple(c.violations), source=source)
    assert proposal_id and procuratorate and date and penalty and term and stage and plea_date and statement
    return Proposal(
        proposal_id=proposal_id, procuratorate=procuratorate, date=date, penalty=penalty,
        term=MonthRange(term[0], term[1]), fine_yuan=fine, probation=bool(probation),
        probation_months=probation_months, plea_stage=stage, plea_date=plea_date, signed_statement=statement,
        review_started=review_started, indicted=indicted, stated_circumstances=tuple(circumstances),
        basis=basis or "", tool_name=tool_name, tool_model_sha256=tool_sha,
    )  # fmt: skip


def proposal_from_canonical(text: str) -> Proposal:
    """A proposal a case carries (its canonical JSON, checked when the case was parsed)."""
    return parse_proposal(json.loads(text))
