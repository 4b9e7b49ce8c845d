"""Does a factor the law says must not matter move the recommendation?

Every factor the catalogue marks legally irrelevant (sex, household registration, occupation,
region, ethnicity by default) is changed alone to each of its other values, all in one batch;
everything else stays as it is. The guideline engine is asked too: it ignores these factors, so its
change is zero, and the model's change is the model's own doing. A change at or beyond the
threshold is a finding, with its legal basis (Criminal Law art. 4: equality before the law). The threshold is in
months and, beside it, a share of the term the model recommends: a 0.4-month move is 20% of a 2-month term for drunk
driving, which a months threshold alone would pass over.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sentencing.case import Case
from sentencing.catalogue import Catalogue, FactorType, FactorValue, LegalRole, load_catalogue
from sentencing.errors import InputError, Rule
from sentencing.guideline import derive_sentence
from sentencing.i18n import Label, legal_basis_text
from sentencing.jurisdiction import Jurisdiction
from sentencing.models import SentencingModel, predict_cases

__all__ = [
    "DEFAULT_THRESHOLD_SHARE",
    "SENSITIVITY_SCHEMA_VERSION",
    "IrrelevantFactorFinding",
    "Probe",
    "SensitivityResult",
    "probe_irrelevant_factors",
]

SENSITIVITY_SCHEMA_VERSION = "1.1"
DEFAULT_THRESHOLD_SHARE = 0.05


@dataclass(frozen=True)
class Probe:
    factor: str
    before: FactorValue
    after: FactorValue
    model_months: float
    model_delta: float
    guideline_delta: float
    exceeds_threshold: bool


@dataclass(frozen=True)
class IrrelevantFactorFinding:
    """A legally irrelevant factor that moved the recommendation by itself."""

    factor: str
    label: Label
    before: FactorValue
    after: FactorValue
    model_delta: float
    threshold_months: float
    legal_basis: str
    before_label: Label
    after_label: Label
    share: float = 0.0  # the move as a share of the recommended term

    def statement(self) -> Label:
        return Label(
            f"仅改变{self.label.zh}（{self.before_label.zh}→{self.after_label.zh}），算法建议刑期变化 "
            f"{self.model_delta:+.2f} 个月（建议刑期的 {self.share:.0%}）；该因素在法律上不得影响量刑"
            f"（{legal_basis_text(self.legal_basis, 'zh-CN')}）。",
            f"Changing only {self.label.en} ({self.before_label.en} → {self.after_label.en}) moves the "
            f"recommendation by {self.model_delta:+.2f} months ({self.share:.0%} of the recommended term); the law "
            f"says this factor must not matter ({self.legal_basis}).",
        )


@dataclass(frozen=True)
class SensitivityResult:
    case_id: str
    model_sha256: str | None
    baseline_months: float
    threshold_months: float
    probes: tuple[Probe, ...]
    findings: tuple[IrrelevantFactorFinding, ...]
    threshold_share: float = DEFAULT_THRESHOLD_SHARE

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": SENSITIVITY_SCHEMA_VERSION,
            "case_id": self.case_id,
            "model_sha256": self.model_sha256,
            "baseline_months": self.baseline_months,
            "threshold_months": self.threshold_months,
            "threshold_share": self.threshold_share,
            "probes": [
                {
                    "factor": p.factor,
                    "before": p.before,
                    "after": p.after,
                    "model_months": p.model_months,
                    "model_delta": p.model_delta,
                    "guideline_delta": p.guideline_delta,
                    "exceeds_threshold": p.exceeds_threshold,
                }
                for p in self.probes
            ],
            "findings": [
                {
                    "factor": f.factor,
                    "before": f.before,
                    "after": f.after,
                    "model_delta": f.model_delta,
                    "share": f.share,
                    "legal_basis": f.legal_basis,
                    "statement": {"zh-CN": f.statement().zh, "en": f.statement().en},
                }
                for f in self.findings
            ],
        }


def probe_irrelevant_factors(
    case: Case,
    model: SentencingModel,
    *,
    threshold_months: float = 0.5,
    threshold_share: float = DEFAULT_THRESHOLD_SHARE,
    jurisdiction: Jurisdiction | None = None,
    catalogue: Catalogue | None = None,
) -> SensitivityResult:
    """Flip every legally irrelevant factor alone; one finding per factor whose largest move reaches the threshold in
    months, or ``threshold_share`` of the recommended term."""
    if not threshold_months > 0:
        raise InputError(f"threshold {threshold_months}", Rule.OUT_OF_RANGE, "must be more than 0 months")
    if not 0 < threshold_share <= 1:
        raise InputError(f"threshold share {threshold_share}", Rule.OUT_OF_RANGE, "must be more than 0 and at most 1")
    catalogue = catalogue or load_catalogue()
    variants: list[tuple[str, FactorValue, FactorValue, Case]] = []
    for spec in catalogue.with_role(LegalRole.LEGALLY_IRRELEVANT):
        if not spec.applies_to(case.charge):
            continue
        current = case.value(spec.id)
        if spec.type is FactorType.ENUM:
            alternatives: list[FactorValue] = [v for v in spec.values if v != current]
        elif spec.type is FactorType.BOOLEAN:
            alternatives = [not current]
        else:
            continue  # a numeric irrelevant factor needs a grid of its own; none is catalogued today
        for value in alternatives:
            variants.append((spec.id, current, value, case.with_changes({spec.id: value}, catalogue)))
    predictions = predict_cases(model, [case, *(v[3] for v in variants)])
    baseline = float(predictions[0])
    base_guideline = derive_sentence(case, jurisdiction).recommended_months
    probes = []
    # a share of the term: of the recommended term, or of one month where the model recommends less (no division
    # by a term of nothing)
    share_of = max(abs(baseline), 1.0)
    for (factor, before, after, changed), value in zip(variants, predictions[1:], strict=True):
        delta = float(value) - baseline
        probes.append(
            Probe(
                factor, before, after, float(value), delta,
                derive_sentence(changed, jurisdiction).recommended_months - base_guideline,
                abs(delta) >= threshold_months or abs(delta) >= threshold_share * share_of,
            )
        )  # fmt: skip
    findings = []
    for spec in catalogue.with_role(LegalRole.LEGALLY_IRRELEVANT):
        mine = [p for p in probes if p.factor == spec.id and p.exceeds_threshold]
        if mine:
            worst = max(mine, key=lambda p: (abs(p.model_delta), str(p.after)))
            findings.append(
                IrrelevantFactorFinding(
                    factor=spec.id,
                    label=spec.label,
                    before=worst.before,
                    after=worst.after,
                    model_delta=worst.model_delta,
                    threshold_months=threshold_months,
                    legal_basis=spec.legal_basis,
                    before_label=spec.value_in_both(worst.before),
                    after_label=spec.value_in_both(worst.after),
                    share=round(abs(worst.model_delta) / share_of, 4),
                )
            )
    return SensitivityResult(
        case.case_id, model.identity.sha256, baseline, threshold_months, tuple(probes), tuple(findings),
        threshold_share,
    )  # fmt: skip
