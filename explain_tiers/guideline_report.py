"""The guideline report: the law's own yardstick for a case, with no model asked.

A hearing held on the guideline alone — the court uses no algorithm, or the defendant refused its assistance
(法发〔2022〕33号 art. 5) — still gives the parties and the appellate court a report: the four-step derivation of
法发〔2021〕21号 with each step's source, the judge's ±20% band, the statutory band and the outcome (fine, probation,
exemption). It is computed from the case alone (``sentencing.guideline.derive_sentence``), so replay recomputes it
exactly without any model; the pack carries it where a model's standard report would be, and its JSON says
``"model": null``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from explain_tiers.render import T, derivation_steps, pdf_with_json, render_template
from sentencing.canonical import canonical_json
from sentencing.case import Case
from sentencing.catalogue import load_catalogue
from sentencing.guideline import Derivation, derive_sentence
from sentencing.i18n import Label, Language
from sentencing.operations import Answer, Operation, OperationContext, OperationRegistry

__all__ = [
    "GUIDELINE_REPORT_OPERATION",
    "GUIDELINE_REPORT_SCHEMA_VERSION",
    "GuidelineReport",
    "build_guideline_report",
    "guideline_report_html",
    "guideline_report_json",
    "guideline_report_pdf",
    "register_guideline_report_operation",
]

GUIDELINE_REPORT_SCHEMA_VERSION = "1.0"
GUIDELINE_REPORT_OPERATION = "guideline_report"

_TEXT: dict[str, Label] = {
    "title": Label("量刑指导意见报告（未使用算法模型）", "Guideline report (no algorithm model used)"),
    "jurisdiction": Label("适用地区", "Jurisdiction"),
    "no_model": Label(
        "本报告仅依《关于常见犯罪的量刑指导意见（试行）》（法发〔2021〕21号）的方法计算，"
        "未询问任何算法模型：本案未使用算法辅助量刑，或被告人经告知后拒绝使用人工智能辅助（法发〔2022〕33号 第5条）。",
        "This report applies the method of the guiding opinion on sentencing for common crimes "
        "(法发〔2021〕21号) alone; no algorithm model was asked: the court used none in this case, or the "
        "defendant, once told, refused the assistance of artificial intelligence (法发〔2022〕33号 art. 5).",
    ),
    "yardstick": Label("指导意见的计算结果", "What the guideline gives"),
    "circumstance_range": Label("情节调节后的幅度", "Range after the circumstances"),
    "judge_head": Label("法官的裁量", "The judge's discretion"),
    "judge_text": Label(
        "指导意见的计算结果是量刑的起点而非结论：法官在±20%的幅度内综合全案情况确定宣告刑，超出该幅度的应当说明理由并提交"
        "审判委员会讨论决定（法发〔2021〕21号 四、（二））。",
        "The guideline's figure is where sentencing starts, not where it ends: the judge sets the sentence within "
        "the ±20% band on all the circumstances of the case; a sentence beyond the band needs reasons and goes to "
        "the adjudication committee (审判委员会) (法发〔2021〕21号 part 4(2)).",
    ),
}


@dataclass(frozen=True)
class GuidelineReport:
    """The guideline's derivation for one case, as a report (no model, no seed: nothing is drawn at random)."""

    case: Case
    derivation: Derivation

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": GUIDELINE_REPORT_SCHEMA_VERSION,
            "report": "guideline",
            "case_id": self.case.case_id,
            "charge": self.case.charge,
            "jurisdiction": self.derivation.jurisdiction,
            "model": None,
            "derivation": self.derivation.to_dict(),
        }


def build_guideline_report(case: Case) -> GuidelineReport:
    return GuidelineReport(case, derive_sentence(case))


def guideline_report_json(report: GuidelineReport) -> bytes:
    return canonical_json(report.to_dict())


def _view(report: GuidelineReport, language: Language) -> dict[str, Any]:
    der, case = report.derivation, report.case
    steps, sources = derivation_steps(der, language)
    below = ""
    if der.below_minimum_allowed:
        steps_named = {step.key.removeprefix("circumstance."): step.label.text(language) for step in der.steps}
        named = [steps_named.get(b, b) for b in der.below_minimum_basis]
        basis = "、".join(named) if language == "zh-CN" else ", ".join(named)
        below = (f"依法可以在法定刑以下判处（{basis}）" if language == "zh-CN" else
                 f"A sentence below the statutory minimum is allowed ({basis}).")  # fmt: skip
    return {
        "case_id": case.case_id,
        "charge": load_catalogue().charge(case.charge).label.both(),
        "jurisdiction": der.jurisdiction,
        "description": case.description.text(language) if case.description else "",
        "schema_version": GUIDELINE_REPORT_SCHEMA_VERSION,
        "guideline_months": f"{der.recommended_months:.1f}",
        "band": f"{der.judicial_band.low:.1f}–{der.judicial_band.high:.1f}",
        "circumstance_range": f"{der.circumstance_range.low:.1f}–{der.circumstance_range.high:.1f}",
        "statutory": f"{der.sentence_limits.low:g}–{der.sentence_limits.high:g}",
        "outcome": der.outcome.label().text(language),
        "outcome_details": [line.text(language) for line in der.outcome.details()],
        "below_minimum": below,
        "steps": steps,
        "sources": sources,
    }


def guideline_report_html(report: GuidelineReport, language: Language) -> str:
    return render_template(
        "guideline_report.html.j2", r=_view(report, language), lang=language,
        t={key: label.text(language) for key, label in T.items()},
        g={key: label.text(language) for key, label in _TEXT.items()},
    )  # fmt: skip


def guideline_report_pdf(report: GuidelineReport, language: Language) -> bytes:
    """PDF/A-3b with the report's JSON embedded as ``report.json``."""
    return pdf_with_json(
        guideline_report_html(report, language),
        guideline_report_json(report),
        f"machine-readable guideline report (voirdire schema {GUIDELINE_REPORT_SCHEMA_VERSION})",
    )


def _run(case: Case, parameters: Mapping[str, Any], context: OperationContext) -> Answer:
    del parameters, context  # the case alone: no model, no seed
    report = build_guideline_report(case)
    return Answer(report, report.to_dict())


def register_guideline_report_operation(registry: OperationRegistry) -> None:
    registry.register(Operation(GUIDELINE_REPORT_OPERATION, "2", _run,
                                Label("量刑指导意见报告（不询问模型）", "guideline report (no model asked)"),
                                frozenset(), frozenset({Case.kind}), model_free=True))  # fmt: skip
