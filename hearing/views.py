"""What the hearing service hands the app and the command line: frozen values, never ORM rows or dicts.

The UI and the CLI only format these (compute once, render many); none of them holds a database session.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from sentencing.i18n import Label
from sentencing.kinds import HeardCase
from sentencing.lifecycle import HearingState

__all__ = [
    "AuditView",
    "CaseView",
    "ChallengeView",
    "EntryView",
    "GuidelineAlone",
    "HearingSummary",
    "ModelView",
    "PackView",
    "Principal",
    "ReportView",
    "RulingView",
    "WorkspaceEntryView",
]


@dataclass(frozen=True)
class GuidelineAlone:
    """A hearing that rests on the guideline alone, and why: it has no model (``refused_entry`` None), or the
    defendant refused the algorithm's assistance at that entry (法发〔2022〕33号 art. 5)."""

    refused_entry: int | None

    @property
    def reason(self) -> Label:
        if self.refused_entry is None:
            return Label("本案未使用算法模型：仅依量刑指导意见（法发〔2021〕21号）审理，不询问任何算法。",
                         "No algorithm model is used in this case: it is heard on the guideline (法发〔2021〕21号) "
                         "alone, and no algorithm is asked.")  # fmt: skip
        return Label(f"被告人已拒绝使用人工智能辅助（第 {self.refused_entry} 条记录）："
                     "本案仅依量刑指导意见审理，不询问算法。",
                     f"The defendant refused the assistance of AI (entry {self.refused_entry}): the case proceeds "
                     "on the guideline alone and the algorithm is not asked.")  # fmt: skip


@dataclass(frozen=True)
class Principal:
    user_id: int
    username: str
    role: str

    @property
    def party(self) -> str:
        """How the record names this user as a party: ``name (role)``."""
        return f"{self.username} ({self.role})"


@dataclass(frozen=True)
class AuditView:
    time: str
    actor: str
    action: str
    subject: str
    detail: str


class CaseView(NamedTuple):
    """A hearing's case, and its sensitive identity when the caller's role may see it (else None)."""

    case: HeardCase
    sensitive: Mapping[str, Any] | None


@dataclass(frozen=True)
class HearingSummary:
    hearing_id: int
    case_id: str
    state: HearingState


@dataclass(frozen=True)
class ChallengeView:
    """A challenge finding as the record holds it: the finding (``explain_tiers.adversarial.FindingRef``), the
    parties' objections and submissions on it (entry, party, kind, text), the technician's signed answers (entry,
    technician, answer, key fingerprint) and the court's disposition (entry, upheld | rejected, reasons) or None."""

    finding: Any
    submissions: tuple[tuple[int, str, str, str], ...]
    answers: tuple[tuple[int, str, str, str], ...]
    disposition: tuple[int, str, str] | None


@dataclass(frozen=True)
class WorkspaceEntryView:
    """One query a party asked in its own private workspace (never on the record)."""

    time: str
    operation: str
    parameters: Mapping[str, Any]
    result: Any


@dataclass(frozen=True)
class EntryView:
    seq: int
    time: str
    party: str
    operation: str
    parameters: dict[str, Any]
    result: Any
    result_sha256: str
    model_sha256: str | None
    seed: int
    prev_sha256: str
    entry_sha256: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "time": self.time,
            "party": self.party,
            "operation": self.operation,
            "parameters": self.parameters,
            "result": self.result,
            "result_sha256": self.result_sha256,
            "model_sha256": self.model_sha256,
            "seed": self.seed,
            "prev_sha256": self.prev_sha256,
            "entry_sha256": self.entry_sha256,
        }


@dataclass(frozen=True)
class RulingView:
    """The judge's algorithm citation: months for a sentencing case, a class for a risk one."""

    hearing_id: int
    case_kind: str
    system_suggestion_months: float | None
    guideline_months: float | None
    suggested_score: float | None
    suggested_class: str | None
    recorded_class: str | None
    weighed_liability: str
    weighed_prevention: str
    particulars: str
    adopted_months: float | None
    adopted_class: str | None
    departure_reasons: str
    record_head_sha256: str
    created_at: datetime
    proposal_decision: Mapping[str, Any] | None = None  # the court's decision on the proposal: {"seq", ...result}
    guideline_band: tuple[float, float] | None = None  # the guideline's ±20% band (sentencing)
    committee_referral: bool = False  # the term lies beyond that band: the adjudication committee decides
    anchoring_warnings: tuple[Mapping[str, str], ...] = ()  # the deviation monitor's warnings when it was written
    anchoring_reasons: str | None = None  # the judge's written reason answering them (原因说明)
    offender_group: str | None = None  # recidivist, prior_record, first_offender (sentencing)


@dataclass(frozen=True)
class PackView:
    """One sealed pack in the court's docket."""

    hearing_id: int
    case_id: str
    version: int
    digest: str
    supersedes: str | None
    record_head_sha256: str
    record_length: int
    key_fingerprint: str
    location: str
    created_at: datetime


@dataclass(frozen=True)
class ReportView:
    """A hearing's report for reading: the typed report (the renderers' input), its JSON and where it comes from.

    ``seq`` is the record entry that holds it (a deep report the hearing escalated to), or None for the standard
    report of the hearing's case, model and seed, which is read without entering the record (the pack holds it).
    """

    kind: str
    tier: str
    seq: int | None
    digest: str
    body: Mapping[str, Any]
    report: Any


@dataclass(frozen=True)
class ModelView:
    """A registered model: where it is, its digest (checked at every load), its card and its filing (备案), if
    recorded."""

    model_id: int
    name: str
    kind: str
    location: str
    sha256: str | None
    card: Mapping[str, Any]
    filing: Mapping[str, Any] | None = None
