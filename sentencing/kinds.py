"""The kinds of case a court can hear, each one object, and the registry their parts hang on.

A *kind of case* is what the evidence under challenge is about: a sentencing case (months under a
guideline) or a person scored by a risk instrument. Each kind is one :class:`CaseKind`: it reads
its case documents, builds the frame its models read, supplies the cases a model is tried on when
it is loaded, and says which models may answer for its cases. Nothing else in the toolkit asks
which kind it holds::

    KindRegistry
    ├── CaseKind "sentencing"       output months; documents without "kind"; the factor catalogue
    ├── CaseKind "risk_assessment"  output score; "kind": "risk_assessment"; the instrument's JSON
    └── parts attached by the packages above, one of each type per kind
        (explain_tiers: the report and its writer; counterfactuals: which operation answers which
        question; hearing: the citation policy and the bench; cli: the terminal views)

Upper packages attach their part for a kind the way they register operations: an explicit
``register_*`` call on the registry they are given (``OperationRegistry.kinds``). :data:`KINDS`
holds the kernel's kinds with no parts, for code that only parses cases or frames them.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from enum import StrEnum
from importlib import resources
from typing import Any, ClassVar, Protocol, TypeVar

import pandas as pd

from sentencing.case import Case, parse_case
from sentencing.catalogue import FactorValue
from sentencing.errors import CaseValidationError, ConfigurationError, InputError, ModelProbeError, Rule, Violation
from sentencing.excerpts import excerpt
from sentencing.features import feature_columns, feature_frame, frame_of_rows
from sentencing.i18n import Label
from sentencing.risk import RISK_CASE_KIND, RiskCase, RiskInstrument, load_instrument, parse_risk_case, risk_frame

__all__ = [
    "KINDS",
    "CaseKind",
    "HeardCase",
    "KindRegistry",
    "OutputKind",
    "RiskAssessmentKind",
    "SentencingKind",
    "kind_of",
    "parse_case_document",
]

Part = TypeVar("Part")


class OutputKind(StrEnum):
    """What a model answers: months of a term, or a score on an instrument's scale."""

    MONTHS = "months"
    SCORE = "score"


class HeardCase(Protocol):
    """What every kind of case offers: its kind, its id, its facts, the facts the court fixed, its document."""

    kind: ClassVar[str]

    @property
    def case_id(self) -> str: ...

    @property
    def charge(self) -> str: ...

    @property
    def values(self) -> tuple[tuple[str, FactorValue], ...]: ...

    @property
    def description(self) -> Label | None: ...

    @property
    def fixed_by_court(self) -> tuple[str, ...]: ...

    def value(self, factor_id: str) -> FactorValue: ...

    def as_dict(self) -> dict[str, FactorValue]: ...

    def to_document(self) -> dict[str, Any]: ...


class CaseKind(ABC):
    """One kind of case: its name, what its models answer, and how its cases are read and framed."""

    name: ClassVar[str]
    label: ClassVar[Label]
    output: ClassVar[OutputKind]
    document_kind: ClassVar[str | None]  # the document's "kind" field; None: documents without one

    @abstractmethod
    def parse(self, document: Mapping[str, Any], *, source: str | None = None) -> HeardCase:
        """A validated case of this kind (every broken rule at once), or :class:`CaseValidationError`."""

    @abstractmethod
    def model_frame(self, cases: Sequence[Any]) -> pd.DataFrame:
        """The frame a model of this kind reads, one row per case (all cases of this kind)."""

    @abstractmethod
    def columns(self, card: Mapping[str, Any] | None) -> tuple[str, ...]:
        """The columns of the frame a model of this kind reads (its card may say which instrument)."""

    @abstractmethod
    def frame_of_rows(self, rows: Sequence[Mapping[str, Any]], card: Mapping[str, Any] | None) -> pd.DataFrame:
        """The model frame from rows of column values (a vendor server's request), typed as the kind's frames are."""

    @abstractmethod
    def probe_cases(self, card: Mapping[str, Any] | None, source: str) -> tuple[HeardCase, ...]:
        """The cases a model of this kind is tried on when it is loaded (its card may say which instrument)."""

    @abstractmethod
    def check_model_card(self, card: Mapping[str, Any] | None, case: Any, model_name: str) -> None:
        """Refuse (:class:`InputError`) a model of the right output whose card says it models something else."""


class SentencingKind(CaseKind):
    name = Case.kind
    label = Label("量刑案件", "sentencing case")
    output = OutputKind.MONTHS
    document_kind = None

    def parse(self, document: Mapping[str, Any], *, source: str | None = None) -> Case:
        return parse_case(document, source=source)

    def model_frame(self, cases: Sequence[Any]) -> pd.DataFrame:
        return feature_frame(list(cases))

    def columns(self, card: Mapping[str, Any] | None) -> tuple[str, ...]:
        del card
        return feature_columns()

    def frame_of_rows(self, rows: Sequence[Mapping[str, Any]], card: Mapping[str, Any] | None) -> pd.DataFrame:
        del card
        return frame_of_rows(rows)

    def probe_cases(self, card: Mapping[str, Any] | None, source: str) -> tuple[Case, ...]:
        """Two bundled cases of different charges."""
        del card, source
        folder = resources.files("sentencing").joinpath("data/cases")
        names = ("theft-non-local-unemployed.json", "dangerous-driving-accident.json")
        return tuple(
            parse_case(json.loads(folder.joinpath(name).read_text(encoding="utf-8")), source=name) for name in names
        )

    def check_model_card(self, card: Mapping[str, Any] | None, case: Any, model_name: str) -> None:
        del card, case, model_name  # every months model answers for every charge of the catalogue


class RiskAssessmentKind(CaseKind):
    name = RISK_CASE_KIND
    label = Label("风险评估案件", "risk-assessment case")
    output = OutputKind.SCORE
    document_kind = RISK_CASE_KIND

    def parse(self, document: Mapping[str, Any], *, source: str | None = None) -> RiskCase:
        return parse_risk_case(document, source=source)

    def model_frame(self, cases: Sequence[Any]) -> pd.DataFrame:
        instruments = {case.instrument for case in cases}
        if len(instruments) > 1:
            raise InputError(
                'cases', Rule.CONTRADICTION,
                f"one frame holds one instrument's cases, found {sorted(instruments)}",
            )  # fmt: skip
        instrument = load_instrument(next(iter(instruments))) if instruments else load_instrument()
        return risk_frame(cases, instrument)

    def columns(self, card: Mapping[str, Any] | None) -> tuple[str, ...]:
        return ("charge", *self._instrument(card, "the card").catalogue.factor_ids)

    def frame_of_rows(self, rows: Sequence[Mapping[str, Any]], card: Mapping[str, Any] | None) -> pd.DataFrame:
        return frame_of_rows(rows, self._instrument(card, "the card").catalogue)

    def probe_cases(self, card: Mapping[str, Any] | None, source: str) -> tuple[RiskCase, ...]:
        """The instrument's own probe people (its JSON names them); the card says which instrument."""
        return self._instrument(card, source).probe_cases

    @staticmethod
    def _instrument(card: Mapping[str, Any] | None, source: str) -> RiskInstrument:
        named = (card or {}).get("instrument")
        if not isinstance(named, str):
            raise ModelProbeError(source, "a card naming the instrument its scores are on (card.instrument)",
                                  excerpt(named))  # fmt: skip
        try:
            return load_instrument(named)
        except ConfigurationError as exc:
            raise ModelProbeError(source, "a known instrument in card.instrument", exc.detail) from None

    def check_model_card(self, card: Mapping[str, Any] | None, case: Any, model_name: str) -> None:
        instrument = (card or {}).get("instrument")
        if instrument != case.instrument:
            raise InputError(
                f"model {model_name}",
                Rule.CONTRADICTION,
                f"models instrument {instrument!r}, but case {case.case_id!r} was scored by {case.instrument!r}",
            )


class KindRegistry:
    """The kinds of case, and the parts upper packages attach to each (one part of each type per kind)."""

    def __init__(self, kinds: Iterable[CaseKind]) -> None:
        self._kinds: dict[str, CaseKind] = {}
        for kind in kinds:
            if kind.name in self._kinds:
                raise ValueError(f"kind {kind.name!r} is already registered")
            self._kinds[kind.name] = kind
        self._parts: dict[tuple[str, type[Any]], Any] = {}

    def names(self) -> tuple[str, ...]:
        return tuple(self._kinds)

    def named(self, name: str) -> CaseKind:
        try:
            return self._kinds[name]
        except KeyError:
            raise ConfigurationError(name, f"no such kind of case; known: {', '.join(self._kinds)}") from None

    def of(self, case: HeardCase) -> CaseKind:
        return self.named(case.kind)

    def for_document(self, document: Mapping[str, Any], *, source: str | None = None) -> CaseKind:
        """The kind a case document declares ("kind"; a document without one is a sentencing case)."""
        declared = document.get("kind")
        for kind in self._kinds.values():
            if kind.document_kind == declared or (kind.document_kind is None and "kind" not in document):
                return kind
        expected = [repr(k.document_kind) for k in self._kinds.values() if k.document_kind is not None]
        raise CaseValidationError(
            (Violation("kind", Rule.NOT_ALLOWED_VALUE, f"expected {', '.join(expected)}, or no 'kind' for a "
                       f"sentencing case; found {excerpt(declared)}"),),
            source=source,
        )  # fmt: skip

    def for_output(self, output: OutputKind) -> CaseKind:
        """The kind whose models answer in ``output``."""
        for kind in self._kinds.values():
            if kind.output is output:
                return kind
        raise ConfigurationError(output.value, "no kind of case takes models answering in this unit")

    def parse(self, document: Mapping[str, Any], *, source: str | None = None) -> HeardCase:
        """A case document of any kind, validated by its own kind's rules."""
        return self.for_document(document, source=source).parse(document, source=source)

    def attach(self, kind: str, part_type: type[Part], part: Part) -> None:
        """Attach an upper package's part of ``part_type`` for ``kind`` (one of each type per kind)."""
        key = (self.named(kind).name, part_type)
        if key in self._parts:
            raise ValueError(f"a {part_type.__name__} is already attached to {kind!r}")
        self._parts[key] = part

    def part(self, kind: str, part_type: type[Part]) -> Part:
        """The part of ``part_type`` attached for ``kind``."""
        try:
            part: Part = self._parts[(kind, part_type)]
        except KeyError:
            raise ConfigurationError(kind, f"no {part_type.__name__} is attached for {kind} cases") from None
        return part

    def without_parts(self) -> KindRegistry:
        """The same kinds, no parts: what an operation registry starts from."""
        return KindRegistry(self._kinds.values())


KINDS = KindRegistry((SentencingKind(), RiskAssessmentKind()))


def kind_of(case: HeardCase) -> CaseKind:
    """The kernel's object for ``case``'s kind."""
    return KINDS.of(case)


def parse_case_document(document: Mapping[str, Any], *, source: str | None = None) -> HeardCase:
    """A case document of either kind, validated by its own rules (every broken rule at once)."""
    return KINDS.parse(document, source=source)
