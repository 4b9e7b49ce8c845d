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

import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from explain_tiers.render import render_html, render_pdf, validate_report, write_report
from explain_tiers.report import Report, build_deep_report, build_standard_report, prepare_deep_report
from explain_tiers.risk_render import RISK_REPORT_SCHEMA, render_risk_html, render_risk_pdf, write_risk_report
from explain_tiers.risk_report import RiskReport, build_risk_report, recorded_scores
from explain_tiers.tiers import Tier, parse_tier
from sentencing.canonical import sha256_json
from sentencing.case import Case
from sentencing.errors import IntegrityError, OperationInputError
from sentencing.i18n import Label, Language
from sentencing.kinds import HeardCase, KindRegistry
from sentencing.models import SentencingModel
from sentencing.operations import Answer, Operation, OperationContext, OperationRegistry
from sentencing.practice import PracticeIndex
from sentencing.risk import RISK_CASE_KIND, RiskCase, load_instrument

__all__ = [
    "HeardReport",
    "ReportMemo",
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
    # the report as the court reads it: HTML (the app shows it, the PDF is printed from it), PDF/A-3b from that HTML
    html: Callable[[Any, Language], str]
    pdf: Callable[[Any, Language, str], bytes]
    # what a deep report needs ready before it is asked (caches of the model's population), so that asking is quick
    prepare: Callable[[Any, SentencingModel], None]


class ReportMemo:
    """Reports computed in this process, and their renderings, by the sha256 of the report's JSON (bounded, LRU).

    A report asked in the hearing is kept as the object it was built as, so that the app shows it and the seal
    writes it without computing it again; a rendering is made once per report and language, by the kind's own
    renderer. Every lookup is by the digest the record holds: an object is found only for the JSON it produced.
    Safe to share between threads (a rendering in progress is waited for, never made twice)."""

    def __init__(self, reports: int = 16, renderings: int = 32) -> None:
        self._reports: OrderedDict[str, HeardReport] = OrderedDict()
        self._renderings: OrderedDict[tuple[str, str, str], Any] = OrderedDict()
        self._limits = (reports, renderings)
        self._lock = threading.Lock()
        self._making: dict[tuple[str, str, str], threading.Lock] = {}

    def keep(self, report: HeardReport) -> str:
        """Keep ``report``; returns the sha256 of its JSON (the digest a record entry of it holds)."""
        digest = sha256_json(report.to_dict())
        with self._lock:
            self._reports[digest] = report
            self._reports.move_to_end(digest)
            while len(self._reports) > self._limits[0]:
                self._reports.popitem(last=False)
        return digest

    def get(self, digest: str) -> HeardReport | None:
        with self._lock:
            report = self._reports.get(digest)
            if report is not None:
                self._reports.move_to_end(digest)
            return report

    def _made(self, key: tuple[str, str, str], make: Callable[[], Any]) -> Any:
        with self._lock:
            if key in self._renderings:
                self._renderings.move_to_end(key)
                return self._renderings[key]
            making = self._making.setdefault(key, threading.Lock())
        with making:  # one maker per rendering; the others wait and find it made
            with self._lock:
                if key in self._renderings:
                    return self._renderings[key]
            value = make()
            with self._lock:
                self._renderings[key] = value
                self._making.pop(key, None)
                while len(self._renderings) > self._limits[1]:
                    self._renderings.popitem(last=False)
            return value

    def recorded(self, part: ReportPart, case: HeardCase, model: SentencingModel, *, seed: int,
                 parameters: Mapping[str, Any], digest: str, subject: str) -> HeardReport:  # fmt: skip
        """The report a record entry holds (``digest``, asked with ``parameters`` and ``seed``): the object kept
        when the hearing computed it, else rebuilt; either way proved to give that very JSON (an
        :class:`IntegrityError` naming ``subject`` when it does not)."""
        tier = parse_tier(parameters.get("tier", "standard"), part.operation)
        with self._lock:
            rebuilding = self._making.setdefault((digest, "", "rebuild"), threading.Lock())
        with rebuilding:  # a seal that comes while the pack is being prepared waits for the one rebuild
            report = self.get(digest)
            if report is None:
                report = part.build(case, model, tier, seed, _disputed(parameters), None, None)
            found = self.keep(report)
        with self._lock:
            self._making.pop((digest, "", "rebuild"), None)
        if found != digest or report.tier is not tier:
            raise IntegrityError(subject, digest, found)
        return report

    def _html(self, part: ReportPart, report: HeardReport, digest: str, language: Language) -> str:
        return str(self._made((digest, language, "html"), lambda: part.html(report, language)))

    def html(self, part: ReportPart, report: HeardReport, language: Language) -> str:
        """The report's HTML in ``language`` (rendered once)."""
        return self._html(part, report, self.keep(report), language)

    def pdf(self, part: ReportPart, report: HeardReport, language: Language) -> bytes:
        """The report's PDF/A-3b in ``language``, printed from the same HTML the app shows (rendered once)."""
        digest = self.keep(report)

        def make() -> bytes:
            return part.pdf(report, language, self._html(part, report, digest, language))

        return bytes(self._made((digest, language, "pdf"), make))


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


def _prepare_sentencing(case: Case, model: SentencingModel) -> None:
    prepare_deep_report(case, model)


def _prepare_risk(case: RiskCase, model: SentencingModel) -> None:
    del case, model  # a risk report reads the tool's records the model carries: nothing to prepare


def _report(case: Case, parameters: Mapping[str, Any], context: OperationContext) -> Answer:
    tier = parse_tier(parameters.get("tier", "standard"), "report")
    report = _build_sentencing(case, context.answering, tier, context.seed, _disputed(parameters))
    body = report.to_dict()
    validate_report(body)
    return Answer(report, body)


def _risk_report(case: RiskCase, parameters: Mapping[str, Any], context: OperationContext) -> Answer:
    tier = parse_tier(parameters.get("tier", "standard"), "risk_report")
    report = _build_risk(case, context.answering, tier, context.seed, None)
    body = report.to_dict()
    validate_report(body, "risk report", RISK_REPORT_SCHEMA)
    return Answer(report, body)


def register_report_operations(registry: OperationRegistry) -> None:
    registry.register(
        Operation(
            "report",
            "6",
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
    registry.kinds.attach(Case.kind, ReportPart, ReportPart("report", _build_sentencing, _write_sentencing,
                                                            render_html, render_pdf, _prepare_sentencing))  # fmt: skip
    registry.kinds.attach(RISK_CASE_KIND, ReportPart, ReportPart("risk_report", _build_risk, _write_risk,
                                                                 render_risk_html, render_risk_pdf,
                                                                 _prepare_risk))  # fmt: skip
