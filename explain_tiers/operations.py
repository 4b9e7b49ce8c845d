"""Report requests as replayable operations, and the one place that says which report a kind of case gets.

- ``report`` (sentencing cases): ``{"tier": "standard" | "deep", "disputed": [...]}``; the result is
  the report's JSON (language-free, schema-validated); the seed comes from the context.
- ``risk_report`` (risk-assessment cases): ``{"tier": "standard" | "deep"}``; the result is the risk
  report's JSON. Its audit reads the tool's recorded scores the model carries (a surrogate's
  ``training-data/``), so the same model gives the same report on appeal.

:func:`build_heard_report` and :func:`write_heard_report` build and render whichever report the
case's kind gets, so that sealing never asks which kind it holds.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from explain_tiers.render import validate_report, write_report
from explain_tiers.report import Report, build_deep_report, build_standard_report
from explain_tiers.risk_render import RISK_REPORT_SCHEMA, write_risk_report
from explain_tiers.risk_report import RISK_REPORT_TIERS, RiskReport, build_risk_report, recorded_scores
from sentencing.adapters import SentencingModel
from sentencing.case import Case
from sentencing.errors import OperationInputError
from sentencing.heard_case import HeardCase
from sentencing.i18n import Label, Language
from sentencing.operations import Operation, OperationContext, OperationRegistry
from sentencing.risk import RISK_CASE_KIND, RiskCase

__all__ = [
    "REPORT_OPERATIONS",
    "HeardReport",
    "build_heard_report",
    "register_report_operations",
    "write_heard_report",
]

# The report operation of each kind of case (the record names it; sealing and replay look it up here).
REPORT_OPERATIONS: dict[str, str] = {Case.kind: "report", RISK_CASE_KIND: "risk_report"}
HeardReport = Report | RiskReport


def _disputed(parameters: Mapping[str, Any]) -> list[str] | None:
    disputed = parameters.get("disputed")
    if disputed is not None and not (isinstance(disputed, list) and all(isinstance(d, str) for d in disputed)):
        raise OperationInputError("report", "'disputed' must be a list of factor ids")
    return disputed


def build_heard_report(
    case: HeardCase, model: SentencingModel, *, tier: str, seed: int = 0, disputed: list[str] | None = None
) -> HeardReport:
    """The report of ``tier`` that a case of this kind gets, computed once."""
    if isinstance(case, RiskCase):
        if tier not in RISK_REPORT_TIERS:
            raise OperationInputError("risk_report", f"tier {tier!r}: standard or deep")
        records, steps = recorded_scores(model)
        return build_risk_report(case, model, records, steps, tier=tier)
    if tier == "standard":
        return build_standard_report(case, model, seed=seed)
    if tier == "deep":
        return build_deep_report(case, model, seed=seed, disputed=disputed)
    raise OperationInputError("report", f"tier {tier!r}: standard or deep")


def write_heard_report(
    report: HeardReport, folder: Path, language: Language, formats: tuple[str, ...] = ("json", "html", "pdf")
) -> list[Path]:
    """``report.json``, ``report.<lang>.html`` and ``report.<lang>.pdf`` of either kind of report."""
    if isinstance(report, RiskReport):
        return write_risk_report(report, folder, language, formats, stem="report")
    return write_report(report, folder, language, formats)


def _report(case: Case, parameters: Mapping[str, Any], context: OperationContext) -> Any:
    tier = parameters.get("tier", "standard")
    report = build_heard_report(case, context.model, tier=str(tier), seed=context.seed, disputed=_disputed(parameters))
    body = report.to_dict()
    validate_report(body)
    return body


def _risk_report(case: RiskCase, parameters: Mapping[str, Any], context: OperationContext) -> Any:
    body = build_heard_report(case, context.model, tier=str(parameters.get("tier", "standard"))).to_dict()
    validate_report(body, "risk report", RISK_REPORT_SCHEMA)
    return body


def register_report_operations(registry: OperationRegistry) -> None:
    registry.register(
        Operation("report", "1", _report, Label("解释报告", "explanation report"), frozenset({"tier", "disputed"}))
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
