"""The standard and the deep report: computed once here, rendered elsewhere (``render.py``).

A report holds no language: every text is a :class:`Label` with both languages, and the renderer
picks one. The JSON form (``to_dict``) is schema-versioned and validated against
``explain_tiers/schemas/report.schema.json``; the same case, model and seed give the same bytes.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from counterfactuals.edits import apply_changes
from counterfactuals.search import SearchResult, Target, find_minimal_changes, search_space
from counterfactuals.sensitivity import SensitivityResult, probe_irrelevant_factors
from counterfactuals.whatif import WhatIfResult, ask_what_if
from explain_tiers.attribution import Attribution, AttributionAgreement, compare_attributions
from explain_tiers.attribution_check import AttributionCheck, hold_against_flip_test
from explain_tiers.audit import GroupAudit, audit_groups
from explain_tiers.charge_validation import ChargeValidation, ValidationStatus, validation_of_charge
from explain_tiers.findings import (
    Finding,
    FindingPolicy,
    findings_from_attribution_checks,
    findings_from_audit,
    findings_from_charge_validation,
    findings_from_coverage,
    findings_from_disputes,
    findings_from_examination,
    findings_from_practice,
    findings_from_sensitivity,
    findings_from_stability,
)
from explain_tiers.lime_adapter import LimeExplainer
from explain_tiers.population import (
    Coverage,
    Population,
    SimilarJudgment,
    assess_coverage,
    find_similar_judgments,
    population_of,
    practice_stand_in,
)
from explain_tiers.shap_adapter import TreeShapExplainer
from explain_tiers.stabilised_attribution import StabilisedAttribution, explain_stabilised
from explain_tiers.stability import StabilityReport, measure_stability
from explain_tiers.tiers import Tier
from explain_tiers.training_quality import TrainingQuality, assess_training_data
from sentencing.case import Case
from sentencing.catalogue import FactorGroup, FactorType, FactorValue, LegalRole, load_catalogue
from sentencing.errors import CaseValidationError, ExplanationUnavailableError, Rule, Violation
from sentencing.examination import Examination, examine_case
from sentencing.excerpts import one_line
from sentencing.guideline import derive_sentence
from sentencing.i18n import Label
from sentencing.models import SentencingModel, predict_cases
from sentencing.practice import PracticeComparison, PracticeIndex, compare_with_practice

__all__ = [
    "REPORT_SCHEMA_VERSION",
    "CurvePoint",
    "FactorLine",
    "Report",
    "Tier",
    "WhatIfCurve",
    "build_deep_report",
    "build_standard_report",
    "default_disputed_factors",
    "prepare_deep_report",
]

REPORT_SCHEMA_VERSION = "1.4"  # 1.4: an attribution of trees on log months gives its months_per_log_unit
MAIN_FACTORS = 8


ZONE_OF_GROUP = {FactorGroup.OFFENCE: "machine", FactorGroup.CIRCUMSTANCE: "shared", FactorGroup.DEFENDANT: "shared"}


@dataclass(frozen=True)
class FactorLine:
    factor: str
    label: Label
    value: Label
    legal_role: LegalRole
    zone: str
    weight: float

    @property
    def direction(self) -> str:
        return "lengthens" if self.weight > 0 else "shortens" if self.weight < 0 else "none"


@dataclass(frozen=True)
class CurvePoint:
    value: FactorValue
    model_months: float
    guideline_months: float
    current: bool


@dataclass(frozen=True)
class WhatIfCurve:
    factor: str
    label: Label
    points: tuple[CurvePoint, ...]


CAUTIONS: tuple[Label, ...] = (
    Label(
        "本建议由算法根据过往判决的群体规律得出，不是对本案被告人的个别评价。",
        "The recommendation is drawn from patterns in groups of past judgments; it is not an assessment of this "
        "defendant as an individual.",
    ),
    Label(
        "算法只辅助审判，量刑由法官依法决定并承担责任（法发〔2022〕33号第5条）。",
        "The algorithm only assists; the judge decides the sentence under law and answers for it "
        "(法发〔2022〕33号 art. 5).",
    ),
    Label(
        "模型的训练数据、权重和已知误差见下文；训练数据可能包含历史偏见，模型会将其当作规律学习。",
        "The model's training data, weights and known error are set out below; training data can carry "
        "historical bias, which a model learns as if it were law.",
    ),
    Label(
        "模型未针对本辖区或本类案件单独验证时，其误差可能高于下文所列（参见 State v. Loomis）。",
        "Where the model was not validated locally or on cases like this, its error may exceed the figures "
        "below (cf. State v. Loomis).",
    ),
)


@dataclass(frozen=True)
class Report:
    tier: Tier
    seed: int
    examination: Examination
    attribution: Attribution
    main_factors: tuple[FactorLine, ...]
    model_card_error: dict[str, Any]
    training_summary: dict[str, Any]
    cautions: tuple[Label, ...]
    charge_validation: ChargeValidation  # was the model validated on the case's charge (its card's word)
    # both tiers: the flip test of the legally irrelevant factors on this case, and each attribution held against it
    sensitivity: SensitivityResult | None = None
    attribution_checks: tuple[AttributionCheck, ...] = ()
    # deep tier only
    shap: Attribution | None = None
    lime: Attribution | None = None
    agreement: AttributionAgreement | None = None
    stability: StabilityReport | None = None
    curves: tuple[WhatIfCurve, ...] = ()
    disputed: tuple[str, ...] = ()
    disputes: tuple[WhatIfResult, ...] = ()
    search: SearchResult | None = None
    similar: tuple[SimilarJudgment, ...] = ()
    practice: PracticeComparison | None = None
    coverage: Coverage | None = None
    audit: GroupAudit | None = None
    training_quality: TrainingQuality | None = None  # when the model's training judgments travel with it
    findings: tuple[Finding, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        def label(value: Label) -> dict[str, str]:
            return value.to_mapping()

        body: dict[str, Any] = {
            "schema_version": REPORT_SCHEMA_VERSION,
            "tier": self.tier.value,
            "seed": self.seed,
            "examination": self.examination.to_dict(),
            "attribution": self.attribution.to_dict(),
            "main_factors": [
                {
                    "factor": f.factor,
                    "label": label(f.label),
                    "value": label(f.value),
                    "legal_role": f.legal_role.value,
                    "zone": f.zone,
                    "weight": f.weight,
                    "direction": f.direction,
                }
                for f in self.main_factors
            ],
            "model_card_error": self.model_card_error,
            "training_summary": self.training_summary,
            "cautions": [label(c) for c in self.cautions],
            "charge_validation": self.charge_validation.to_dict(),
        }
        total, share = self.attribution.accounted(self.examination.recommended_months)
        body["attribution_summary"] = {
            "method": self.attribution.method,
            "base_value": self.attribution.base_value,
            "recommended_months": self.examination.recommended_months,
            "weights_total": total,
            "share_accounted": share,
        }
        assert self.sensitivity is not None
        body["irrelevant_factors"] = [
            {"factor": f.factor, "before": f.before, "after": f.after, "model_delta": f.model_delta, "share": f.share}
            for f in self.sensitivity.findings
        ]
        body["attribution_checks"] = [c.to_dict() for c in self.attribution_checks]
        if self.tier is Tier.DEEP:
            assert self.stability is not None and self.sensitivity is not None and self.coverage is not None
            assert self.audit is not None
            body["deep"] = {
                "shap": self.shap.to_dict() if self.shap else None,
                "lime": self.lime.to_dict() if self.lime else None,
                "agreement": self.agreement.to_dict() if self.agreement else None,
                "stability": self.stability.to_dict(),
                "disputed_factors": list(self.disputed),
                "whatif_curves": [
                    {
                        "factor": c.factor,
                        "label": label(c.label),
                        "points": [
                            {
                                "value": p.value,
                                "model_months": p.model_months,
                                "guideline_months": p.guideline_months,
                                "current": p.current,
                            }
                            for p in c.points
                        ],
                    }
                    for c in self.curves
                ],
                "disputes": [d.to_dict() for d in self.disputes],
                "counterfactuals": self.search.to_dict() if self.search else None,
                "sensitivity": self.sensitivity.to_dict(),
                "similar_judgments": [
                    {
                        "case_id": s.case_id,
                        "distance": s.distance,
                        "sentence_months": s.sentence_months,
                        "guideline_months": s.guideline_months,
                        "facts": [[k, v] for k, v in s.facts],
                    }
                    for s in self.similar
                ],
                "practice": self.practice.to_dict() if self.practice is not None else None,
                "coverage": {
                    "population": self.coverage.source,
                    "charge_rows": self.coverage.charge_rows,
                    "nearest_distance": self.coverage.nearest_distance,
                    "typical_distance_99": self.coverage.typical_distance_99,
                    "outside_ranges": list(self.coverage.outside_ranges),
                    "out_of_distribution": self.coverage.out_of_distribution,
                },
                "group_audit": self.audit.to_dict(),
                "training_quality": self.training_quality.to_dict() if self.training_quality else None,
                "findings": [f.to_dict() for f in self.findings],
            }
        return body


def _main_factors(case: Case, attribution: Attribution) -> tuple[FactorLine, ...]:
    catalogue = load_catalogue()
    lines = []
    for factor in attribution.top(len(attribution.weights)):
        if factor == "charge" or not catalogue.has_factor(factor):
            continue
        spec = catalogue.factor(factor)
        if not spec.applies_to(case.charge):
            continue
        value = case.value(factor)
        zone = "none" if spec.legal_role is LegalRole.LEGALLY_IRRELEVANT else ZONE_OF_GROUP[spec.group]
        lines.append(
            FactorLine(
                factor,
                spec.label,
                spec.value_in_both(value),
                spec.legal_role,
                zone,
                round(dict(attribution.weights)[factor], 4),
            )
        )
        if len(lines) == MAIN_FACTORS:
            break
    return tuple(lines)


def _card_summaries(model: SentencingModel) -> tuple[dict[str, Any], dict[str, Any]]:
    """What the model's card says (and only that: a missing entry stays missing, never a default of ours)."""
    card = dict(model.card or {})
    error: dict[str, Any] = card["held_out_error"] if isinstance(card.get("held_out_error"), dict) else {}
    training: dict[str, Any] = card["training_data"] if isinstance(card.get("training_data"), dict) else {}
    description = training.get("description")
    bias, limits = training.get("injected_bias"), card.get("known_limits")
    return (
        {"overall": error.get("overall"), "by_group": error.get("by_group", {})},
        {
            "rows": training.get("rows") if isinstance(training.get("rows"), int) else None,
            "sha256": training.get("sha256") if isinstance(training.get("sha256"), str) else None,
            "description": one_line(description, 300) if isinstance(description, str) else None,
            # the toolkit's own generator is named in the reference model's card: then the data are ours
            "synthetic": isinstance(training.get("generator"), dict),
            "injected_bias": bias if isinstance(bias, list) else [],
            "known_limits": limits if isinstance(limits, list) else [],
            "model_sha256": model.identity.sha256,
            "model_name": model.identity.name,
        },
    )


def _attribution_for_report(model: SentencingModel, case: Case, seed: int) -> tuple[Attribution, Attribution | None]:
    """SHAP where the model's trees are open to us; else the stabilised local surrogate."""
    population = population_of(model)
    try:
        shap = TreeShapExplainer(model, population.frame).explain(case)
    except ExplanationUnavailableError:
        shap = None
    if shap is not None:
        return shap, shap
    return explain_stabilised(model, case, population.frame, scrambles=4, seed=seed).attribution, None


def _base_report(
    tier: Tier,
    case: Case,
    model: SentencingModel,
    seed: int,
    examination: Examination,
    attribution: Attribution,
    sensitivity: SensitivityResult,
    also_checked: Sequence[Attribution] = (),
) -> Report:
    """What every tier holds: the examination, the main factors (and what their method accounts for), the flip test
    of the legally irrelevant factors with each attribution held against it, the model's known error, the cautions."""
    error, training = _card_summaries(model)
    frame = population_of(model).frame
    checks = tuple(hold_against_flip_test(a, sensitivity, frame, case.charge) for a in (attribution, *also_checked))
    return Report(tier, seed, examination, attribution, _main_factors(case, attribution), error, training, CAUTIONS,
                  validation_of_charge(error, case.charge), sensitivity, checks)  # fmt: skip


def build_standard_report(case: Case, model: SentencingModel, *, seed: int = 0) -> Report:
    attribution, _ = _attribution_for_report(model, case, seed)
    sensitivity = probe_irrelevant_factors(case, model)
    return _base_report(Tier.STANDARD, case, model, seed, examine_case(case, model), attribution, sensitivity)


def default_disputed_factors(case: Case, limit: int = 6) -> tuple[str, ...]:
    """The disputable facts the case actually asserts (true, not 'none', non-zero), the court's fixed ones aside."""
    catalogue = load_catalogue()
    out = []
    for spec in catalogue.factors_for(case.charge):
        if not spec.disputable or spec.id in case.fixed_by_court:
            continue
        if spec.default is not None and case.value(spec.id) == spec.default:
            continue  # not asserted: false, 'none', or the ordinary count
        out.append(spec.id)
    return tuple(out[:limit])


def _curve(case: Case, model: SentencingModel, factor: str) -> WhatIfCurve:
    catalogue = load_catalogue()
    spec = catalogue.factor(factor)
    options = next((o for o in search_space(case, factors=[factor]) if o.factor == factor), None)
    values: list[FactorValue] = [case.value(factor), *(options.values if options else ())]
    if spec.type in (FactorType.INTEGER, FactorType.NUMBER):
        values = sorted(set(values), key=float)
    cases: list[tuple[FactorValue, Case]] = []
    for value in values:
        try:
            changed = case if value == case.value(factor) else apply_changes(case, {factor: value})[0]
        except CaseValidationError:
            continue  # a value that would make the case unlawful is not a point on the curve
        cases.append((value, changed))
    predictions = predict_cases(model, [c for _, c in cases])
    points = tuple(
        CurvePoint(value, round(float(p), 4), derive_sentence(c).recommended_months, value == case.value(factor))
        for (value, c), p in zip(cases, predictions, strict=True)
    )
    return WhatIfCurve(factor, spec.label, points)


def _training_quality(population: Population) -> TrainingQuality | None:
    """The training judgments' quality, when they are the model's own (not the toolkit's stand-in)."""
    return assess_training_data(population.frame, population.sha256) if population.source == "training data" else None


def prepare_deep_report(case: Case, model: SentencingModel) -> None:
    """Make ready what every deep report of this model's cases computes once: the model's population, the stand-in
    corpus of practice, the typical distance the coverage check compares with, the attribution libraries. Changes
    no result (each is the same cache the report fills on its first run); makes the first deep report quick."""
    population = population_of(model)
    assess_coverage(case, population)
    practice_stand_in(population)
    _training_quality(population)
    import lime.lime_tabular  # noqa: F401  (slow to import: imported here, not while a party waits)


def build_deep_report(
    case: Case,
    model: SentencingModel,
    *,
    seed: int = 0,
    disputed: Sequence[str] | None = None,
    below: float | None = None,
    policy: FindingPolicy | None = None,
    progress: Callable[[str], None] | None = None,
    practice_index: PracticeIndex | None = None,
) -> Report:
    """Everything in the standard report, and the examination a disputed case deserves. Practice is compared on
    ``practice_index`` (a court's corpus), else on the model's synthetic judgments standing in, and says which."""
    policy = policy or FindingPolicy()
    step = progress or (lambda _: None)
    catalogue = load_catalogue()
    disputed = tuple(disputed) if disputed is not None else default_disputed_factors(case)
    for factor in disputed:
        if not catalogue.has_factor(factor) or not catalogue.factor(factor).applies_to(case.charge):
            violation = Violation(factor, Rule.NOT_APPLICABLE, f"cannot be disputed in a {case.charge} case")
            raise CaseValidationError((violation,), source=case.case_id)
    population = population_of(model)
    step("examination")
    examination = examine_case(case, model)
    step("attributions (SHAP, LIME)")
    try:
        shap: Attribution | None = TreeShapExplainer(model, population.frame).explain(case)
    except ExplanationUnavailableError:
        shap = None
    lime = LimeExplainer(model, population.frame, samples=5000, seed=seed).explain(case)
    step("stability across seeds and sample sizes")
    stabilised: StabilisedAttribution = explain_stabilised(model, case, population.frame, scrambles=8, seed=seed)
    stability = measure_stability(
        lambda s, n: LimeExplainer(model, population.frame, samples=n, seed=s).explain(case),
        stabilised,
        base_seed=seed,
    )
    attribution = shap or stabilised.attribution
    agreement = (
        compare_attributions(shap, lime) if shap is not None else compare_attributions(stabilised.attribution, lime)
    )
    step("what-if curves and disputed facts")
    curves = tuple(_curve(case, model, f) for f in disputed)
    disputes = []
    for factor in disputed:
        spec = catalogue.factor(factor)
        if spec.type is FactorType.BOOLEAN:
            alternatives: list[FactorValue] = [not case.value(factor)]
        elif spec.type is FactorType.ENUM:
            alternatives = [v for v in spec.values if v != case.value(factor)]
        else:
            continue  # numeric disputes are shown as curves
        for value in alternatives:
            try:
                disputes.append(ask_what_if(case, model, {factor: value}))
            except CaseValidationError:
                continue
    step("minimal-change counterfactuals")
    guideline = examination.derivation.recommended_months
    line = below if below is not None else (guideline if examination.recommended_months > guideline else
                                             round(0.8 * examination.recommended_months, 2))  # fmt: skip
    search = find_minimal_changes(case, model, Target.below(line), seed=seed)
    step("legally irrelevant factors")
    sensitivity = probe_irrelevant_factors(case, model, threshold_months=policy.irrelevant_threshold_months,
                                           threshold_share=policy.irrelevant_threshold_share)  # fmt: skip
    step("similar judgments and coverage")
    similar = find_similar_judgments(case, population)
    coverage = assess_coverage(case, population)
    step("similar decided cases (practice)")
    corpus = practice_index if practice_index is not None else practice_stand_in(population)
    practice = None
    if corpus is not None:
        practice = compare_with_practice(corpus, case, k=20, model_months=examination.recommended_months,
                                         guideline_months=examination.derivation.recommended_months)  # fmt: skip
    step("group audit")
    audit = audit_groups(model, population, threshold=policy.disparity_threshold, seed=seed)
    step("training judgments against the law")
    training_quality = _training_quality(population)
    base = _base_report(Tier.DEEP, case, model, seed, examination, attribution, sensitivity,
                        [a for a in (lime,) if a is not attribution])  # fmt: skip
    charge_findings = findings_from_charge_validation(base.charge_validation, examination)
    # a charge the card never validated, with no case of it in the training data: one finding, not two
    unseen = base.charge_validation.status is ValidationStatus.NOT_VALIDATED and coverage.charge_rows == 0
    findings = (
        findings_from_examination(examination)
        + findings_from_attribution_checks(base.attribution_checks)
        + findings_from_sensitivity(sensitivity)
        + findings_from_stability(stability, policy)
        + charge_findings
        + ([] if unseen else findings_from_coverage(coverage))
        + findings_from_practice(practice)
        + findings_from_disputes(disputes)
        + findings_from_audit(audit)
    )
    severity_order = {"high": 0, "medium": 1, "low": 2}
    findings.sort(key=lambda f: (severity_order[f.severity.value], f.kind.value))
    return dataclasses.replace(
        base,
        shap=shap,
        lime=lime,
        agreement=agreement,
        stability=stability,
        curves=curves,
        disputed=disputed,
        disputes=tuple(disputes),
        search=search,
        similar=similar,
        practice=practice,
        coverage=coverage,
        audit=audit,
        training_quality=training_quality,
        findings=tuple(findings),
    )
