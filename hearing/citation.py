"""The judge's algorithm citation for either kind of case: what the system suggested, and what the court adopts.

For a sentencing case the system suggests a term (beside the guideline's) and the court adopts a
term; departing from the suggestion by more than 20% needs reasons (SENTENCING_RULES.md §4). For a
risk-assessment case the evidence is a score: the citation records the model's score and class
and the class the tool recorded, and the court states the risk class it finds on all the evidence;
finding another class than the tool's needs reasons. Either way the judge must say what was
weighed, so that the score is never the determinative factor (State v. Loomis, 2016 WI 68).

Each kind's policy is attached to its kind (:func:`register_citation_policies`); the service asks the kind.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any

from counterfactuals.risk_queries import ask_risk_what_if
from sentencing.case import Case
from sentencing.errors import InputError, Rule
from sentencing.guideline import derive_sentence
from sentencing.kinds import KindRegistry
from sentencing.models import SentencingModel, predict_cases
from sentencing.risk import RISK_CASE_KIND, RiskCase, load_instrument

__all__ = [
    "DEPARTURE_SHARE",
    "Adoption",
    "CitationPolicy",
    "RiskCitation",
    "SentencingCitation",
    "Suggestion",
    "register_citation_policies",
]

DEPARTURE_SHARE = 0.2  # a term this far from the system's suggestion is a departure that needs reasons


@dataclass(frozen=True)
class Suggestion:
    """What the system put before the court, as the citation records it."""

    case_kind: str
    months: float | None = None
    guideline_months: float | None = None
    score: float | None = None
    risk_class: str | None = None
    recorded_class: str | None = None

    @property
    def tool_class(self) -> str | None:
        """The class under challenge: the one the tool recorded, else the model's."""
        return self.recorded_class or self.risk_class


@dataclass(frozen=True)
class Adoption:
    """What the court adopts: a term (sentencing) or a risk class (risk assessment)."""

    months: float | None
    risk_class: str | None
    departs: bool


class CitationPolicy(ABC):
    """What the system suggests for one kind of case, and how the court's adoption is checked against it."""

    @abstractmethod
    def suggest(self, case: Any, model: SentencingModel) -> Suggestion: ...

    @abstractmethod
    def check_adoption(
        self, case: Any, suggestion: Suggestion, adopted_months: float | None, adopted_class: str | None, reasons: str
    ) -> Adoption:
        """The court's adoption checked for this kind of case; a departure without reasons is refused."""


class SentencingCitation(CitationPolicy):
    """A term suggested beside the guideline's; a term adopted; more than 20% away needs reasons."""

    def suggest(self, case: Case, model: SentencingModel) -> Suggestion:
        months = float(predict_cases(model, [case])[0])
        return Suggestion(case.kind, months=months, guideline_months=derive_sentence(case).recommended_months)

    def check_adoption(
        self, case: Case, suggestion: Suggestion, adopted_months: float | None, adopted_class: str | None, reasons: str
    ) -> Adoption:
        if adopted_class is not None:
            raise InputError("adopted_class", Rule.NOT_ALLOWED_VALUE, "a sentencing hearing adopts a term in months")
        if adopted_months is None or not 0 < adopted_months <= 600:
            raise InputError(f"adopted_months {adopted_months}", Rule.OUT_OF_RANGE, "must be between 0 and 600")
        assert suggestion.months is not None
        departs = abs(adopted_months - suggestion.months) > DEPARTURE_SHARE * suggestion.months
        if departs and not reasons.strip():
            raise InputError(
                "departure_reasons",
                Rule.MISSING_REQUIRED,
                "the sentence departs from the system's suggestion by more than 20%; give the reasons",
            )
        return Adoption(adopted_months, None, departs)


class RiskCitation(CitationPolicy):
    """The model's score and class beside the tool's recorded class; the court states the class it finds."""

    def suggest(self, case: RiskCase, model: SentencingModel) -> Suggestion:
        point = ask_risk_what_if(case, model, []).baseline
        recorded = case.recorded.class_id if case.recorded else None
        return Suggestion(case.kind, score=point.score, risk_class=point.risk_class, recorded_class=recorded)

    def check_adoption(
        self, case: RiskCase, suggestion: Suggestion, adopted_months: float | None, adopted_class: str | None,
        reasons: str,
    ) -> Adoption:  # fmt: skip
        classes = load_instrument(case.instrument).scale.class_ids
        if adopted_months is not None:
            raise InputError(
                'adopted_months', Rule.NOT_ALLOWED_VALUE,
                'a risk-assessment hearing rules on the risk class the court finds, not a term; give adopted_class',
            )  # fmt: skip
        if adopted_class not in classes:
            raise InputError(f"adopted_class {adopted_class!r}", Rule.NOT_ALLOWED_VALUE, f"one of {', '.join(classes)}")
        departs = adopted_class != suggestion.tool_class
        if departs and not reasons.strip():
            raise InputError(
                'departure_reasons', Rule.MISSING_REQUIRED,
                f'the court finds {adopted_class}, the tool gave {suggestion.tool_class}; give the reasons',
            )  # fmt: skip
        return Adoption(None, adopted_class, departs)


def register_citation_policies(kinds: KindRegistry) -> None:
    """The hearing's part for each kind of case: what the judge's citation records and checks."""
    kinds.attach(Case.kind, CitationPolicy, SentencingCitation())
    kinds.attach(RISK_CASE_KIND, CitationPolicy, RiskCitation())
