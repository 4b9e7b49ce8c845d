"""Report requests as replayable operations, and each kind of case's report as a part attached to its kind.

- ``report`` (sentencing cases): ``{"tier": "standard" | "deep", "disputed": [...]}``; the result is
  the report's JSON (language-free, schema-validated); the seed comes from the context.
- ``risk_report`` (risk-assessment cases): ``{"tier": "standard" | "deep"}``; the result is the risk
  report's JSON. Its audit reads the tool's recorded scores the model carries (a surrogate's
  ``training-data/``), so the same model gives the same report on appeal.

:func:`register_report_operations` also attaches a :class:`ReportPart` to each kind: which operation
builds its report, how it is built and how it is written. :func:`build_heard_report` and
:func:`write_heard_report` go through it, so that sealing never asks which kind it holds.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from explain_tiers.render import validate_report, write_report
from explain_tiers.report import Report, build_deep_report, build_standard_report
from explain_tiers.risk_render import RISK_REPORT_SCHEMA, write_risk_report
from explain_tiers.risk_report import RiskReport, build_risk_report, recorded_scores
from explain_tiers.tiers import Tier, parse_tier
from sentencing.case import Case
from sentencing.errors import OperationInputError
from sentencing.i18n import Label, Language
from sentencing.kinds import HeardCase, KindRegistry
from sentencing.models import SentencingModel
from sentencing.operations import Operation, OperationContext, OperationRegistry
from sentencing.practice import PracticeIndex
from sentencing.risk import RISK_CASE_KIND, RiskCase, load_instrument

__all__ = [
    "HeardReport",
    "ReportPart",
    "build_heard_report",
    "register_report_operations",
    "write_heard_report",
]


Progress = Callable[[str], None]


class HeardReport(Protocol):
    """What every kind's report offers: its tier and its language-free JSON."""

    @property
    def tier(self) -> Tier: ...

    def to_dict(self) -> dict[str, Any]: ...


@dataclass(frozen=True)
class ReportPart:
    """A kind of case's report: the operation that records it, how it is built, how it is written."""

    operation: str
    # (case, model, tier, seed, disputed facts, progress: called with each step's name as it starts, a corpus of
    # decided cases for the practice comparison or None)
    build: Callable[[Any, SentencingModel, Tier, int, Sequence[str] | None, Progress | None, Any], HeardReport]
    write: Callable[[Any, Path, Language, tuple[str, ...]], list[Path]]


def _disputed(parameters: Mapping[str, Any]) -> list[str] | None:
    disputed = parameters.get("disputed")
    if disputed is not None and not (isinstance(disputed, list) and all(isinstance(d, str) for d in disputed)):
        raise OperationInputError("report", "'disputed' must be a list of factor ids")
    return disputed


def build_heard_report(
    kinds: KindRegistry, case: HeardCase, model: SentencingModel, *, tier: Tier, seed: int = 0,
    disputed: Sequence[str] | None = None, progress: Progress | None = None, practice: Any = None,
) -> HeardReport:  # fmt: skip
    """The report of ``tier`` that a case of this kind gets, computed once (``practice``: a court's corpus of decided
    cases, ``sentencing.practice.PracticeIndex``, for the deep report's comparison with practice)."""
    return kinds.part(case.kind, ReportPart).build(case, model, tier, seed, disputed, progress, practice)


def write_heard_report(
    kinds: KindRegistry, case: HeardCase, report: HeardReport, folder: Path, language: Language,
    formats: tuple[str, ...] = ("json", "html", "pdf"),
) -> list[Path]:  # fmt: skip
    """``report.json``, ``report.<lang>.html`` and ``report.<lang>.pdf`` of the case's kind of report."""
    return kinds.part(case.kind, ReportPart).write(report, folder, language, formats)


def _build_sentencing(
    case: Case, model: SentencingModel, tier: Tier, seed: int, disputed: Sequence[str] | None,
    progress: Progress | None = None, practice: PracticeIndex | None = None,
) -> Report:  # fmt: skip
    if tier is Tier.STANDARD:
        return build_standard_report(case, model, seed=seed)
    return build_deep_report(case, model, seed=seed, disputed=disputed, progress=progress, practice_index=practice)


def _build_risk(
    case: RiskCase, model: SentencingModel, tier: Tier, seed: int, disputed: Sequence[str] | None,
    progress: Progress | None = None, practice: Any = None,
) -> RiskReport:  # fmt: skip
    if practice is not None:
        raise OperationInputError("report", "a comparison with decided cases is made for sentencing cases only")
    del seed, disputed, progress  # draws nothing at random, examines every disputable fact, in one step
    instrument = load_instrument(case.instrument)
    records, steps = recorded_scores(model, instrument)
    return build_risk_report(case, model, records, steps, instrument=instrument, tier=tier)


def _write_sentencing(report: Report, folder: Path, language: Language, formats: tuple[str, ...]) -> list[Path]:
    return write_report(report, folder, language, formats)


def _write_risk(report: RiskReport, folder: Path, language: Language, formats: tuple[str, ...]) -> list[Path]:
    return write_risk_report(report, folder, language, formats)


def _report(case: Case, parameters: Mapping[str, Any], context: OperationContext) -> Any:
    tier = parse_tier(parameters.get("tier", "standard"), "report")
    body = _build_sentencing(case, context.model, tier, context.seed, _disputed(parameters)).to_dict()
    validate_report(body)
    return body


def _risk_report(case: RiskCase, parameters: Mapping[str, Any], context: OperationContext) -> Any:
    tier = parse_tier(parameters.get("tier", "standard"), "risk_report")
    body = _build_risk(case, context.model, tier, context.seed, None).to_dict()
    validate_report(body, "risk report", RISK_REPORT_SCHEMA)
    return body


def register_report_operations(registry: OperationRegistry) -> None:
    registry.register(
        Operation(
            "report",
            "3",
            _report,
            Label("解释报告", "explanation report"),
            frozenset({"tier", "disputed"}),
            frozenset({Case.kind}),
        )
    )
    registry.register(
        Operation(
            "risk_report",
            "1",
            _risk_report,
            Label("风险评分质证报告", "risk score challenge report"),
            frozenset({"tier"}),
            frozenset({RISK_CASE_KIND}),
        )
    )
    registry.kinds.attach(Case.kind, ReportPart, ReportPart("report", _build_sentencing, _write_sentencing))
    registry.kinds.attach(RISK_CASE_KIND, ReportPart, ReportPart("risk_report", _build_risk, _write_risk))
