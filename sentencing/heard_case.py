"""The two kinds of case a court can hear, read through one door, and the rule that a model must fit its case.

A sentencing case document (``sentencing.case``) has no ``kind`` field; a risk-assessment case
document (``sentencing.risk``) says ``"kind": "risk_assessment"``. :func:`parse_heard_case` reads
either, so that the store, the sealed pack and replay never ask which kind they hold.
:func:`check_model_fits_case` is the one place that says which models may answer for which cases:
a model that recommends months answers for sentencing cases; a model that gives a score answers
for the risk cases of the instrument its card names.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sentencing.adapters import OutputKind, SentencingModel
from sentencing.case import Case, parse_case
from sentencing.errors import CaseValidationError, InputError, Rule, Violation
from sentencing.excerpts import excerpt
from sentencing.risk import RISK_CASE_KIND, RiskCase, parse_risk_case

__all__ = ["HeardCase", "check_model_fits_case", "parse_heard_case"]

# The kinds of case a hearing can examine: a sentencing case (months under a guideline) or a person
# scored by a risk instrument.
HeardCase = Case | RiskCase
_OUTPUT_FOR_KIND = {Case.kind: OutputKind.MONTHS, RISK_CASE_KIND: OutputKind.SCORE}


def parse_heard_case(document: Mapping[str, Any], *, source: str | None = None) -> HeardCase:
    """A case document of either kind, validated by its own rules (every broken rule at once)."""
    kind = document.get("kind", Case.kind)
    if kind == RISK_CASE_KIND:
        return parse_risk_case(document, source=source)
    if kind == Case.kind and "kind" not in document:
        return parse_case(document, source=source)
    raise CaseValidationError(
        (Violation("kind", Rule.NOT_ALLOWED_VALUE,
                   f"expected {RISK_CASE_KIND!r}, or no 'kind' for a sentencing case; found {excerpt(kind)}"),),
        source=source,
    )  # fmt: skip


def check_model_fits_case(model: SentencingModel, case: HeardCase) -> None:
    """Refuse a model that cannot answer for this case: months for a risk score, or another instrument's score."""
    identity = model.identity
    wanted = _OUTPUT_FOR_KIND[case.kind]
    if identity.output is not wanted:
        raise InputError(
            f"model {identity.name}: answers in {identity.output.value}, but case {case.case_id!r} is a {case.kind} "
            f"case, which needs a model answering in {wanted.value} [{Rule.CONTRADICTION}]"
        )
    if isinstance(case, RiskCase):
        instrument = (model.card or {}).get("instrument")
        if instrument != case.instrument:
            raise InputError(
                f"model {identity.name}: models instrument {instrument!r}, but case {case.case_id!r} was scored by "
                f"{case.instrument!r} [{Rule.CONTRADICTION}]"
            )
