"""Report requests as replayable operations: ``report`` with ``{"tier": "standard" | "deep", "disputed": [...]}``.

The result is the report's JSON (language-free, schema-validated); the seed comes from the context.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from explain_tiers.render import validate_report
from explain_tiers.report import build_deep_report, build_standard_report
from sentencing.case import Case
from sentencing.errors import OperationInputError
from sentencing.i18n import Label
from sentencing.operations import Operation, OperationContext, OperationRegistry

__all__ = ["register_report_operations"]


def _report(case: Case, parameters: Mapping[str, Any], context: OperationContext) -> Any:
    tier = parameters.get("tier", "standard")
    if tier == "standard":
        report = build_standard_report(case, context.model, seed=context.seed)
    elif tier == "deep":
        disputed = parameters.get("disputed")
        if disputed is not None and not (isinstance(disputed, list) and all(isinstance(d, str) for d in disputed)):
            raise OperationInputError("report", "'disputed' must be a list of factor ids")
        report = build_deep_report(case, context.model, seed=context.seed, disputed=disputed)
    else:
        raise OperationInputError("report", f"tier {tier!r}: standard or deep")
    body = report.to_dict()
    validate_report(body)
    return body


def register_report_operations(registry: OperationRegistry) -> None:
    registry.register(
        Operation("report", "1", _report, Label("解释报告", "explanation report"), frozenset({"tier", "disputed"}))
    )
