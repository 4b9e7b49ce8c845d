"""Challenge findings: typed grounds for cross-examining the algorithm, each with its evidence.

Every finding says how serious it is, what shows it (the figures, and the query that reproduces
them), the legal basis, and a question to put to the vendor's technician (CPL art. 197 ¶2: a party
may have a person with specialised knowledge comment on an expert opinion). Texts are bilingual.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from counterfactuals.sensitivity import SensitivityResult
from counterfactuals.whatif import DIVERGENCE_LABELS, WhatIfResult
from explain_tiers.attribution import method_label
from explain_tiers.attribution_check import AttributionCheck
from explain_tiers.audit import GroupAudit
from explain_tiers.charge_validation import ChargeValidation, ValidationStatus, charge_names
from explain_tiers.population import Coverage
from explain_tiers.stability import StabilityReport
from sentencing.catalogue import load_catalogue
from sentencing.examination import Examination
from sentencing.i18n import Label, legal_basis_text
from sentencing.practice import PracticeComparison

__all__ = [
    "Finding",
    "FindingBasis",
    "FindingKind",
    "FindingPolicy",
    "Severity",
    "findings_from_attribution_checks",
    "findings_from_audit",
    "findings_from_charge_validation",
    "findings_from_coverage",
    "findings_from_disputes",
    "findings_from_examination",
    "findings_from_practice",
    "findings_from_sensitivity",
    "findings_from_stability",
    "legal_basis_text",
]


class Severity(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class FindingKind(StrEnum):
    IRRELEVANT_FACTOR = "legally_irrelevant_factor_moves_recommendation"
    OUTSIDE_JUDICIAL_BAND = "outside_guideline_judicial_band"
    OUTSIDE_STATUTORY_LIMITS = "outside_statutory_limits"
    UNSTABLE_ATTRIBUTIONS = "unstable_attributions"
    OUT_OF_DISTRIBUTION = "case_outside_training_data"
    DISPUTED_FACT_DIVERGENCE = "model_and_guideline_disagree_on_disputed_fact"
    GROUP_DISPARITY = "group_disparity_on_training_data"
    OUTSIDE_PRACTICE = "model_outside_similar_real_cases"
    ATTRIBUTIONS_CONTRADICT_FLIP_TEST = "attributions_disagree_with_flip_test"
    CHARGE_NOT_VALIDATED = "model_not_validated_on_the_charge"
    # the prosecution's sentencing proposal (量刑建议)
    PROPOSAL_OUTSIDE_BAND = "proposal_outside_guideline_band"
    PROPOSAL_OUTSIDE_LIMITS = "proposal_outside_statutory_limits"
    PROPOSAL_PROBATION_EXCLUDED = "proposal_probation_excluded_by_law"
    PROPOSAL_PROBATION_OMITTED = "proposal_omits_probation_the_case_allows"
    PROPOSAL_CIRCUMSTANCES_DIFFER = "proposal_circumstances_differ_from_case"
    PROPOSAL_SAME_MODEL = "proposal_made_by_the_courts_model"
    # risk scores
    DISPARATE_FALSE_POSITIVES = "disparate_false_positive_rates"
    CONTROLLED_DISPARITY = "disparity_with_facts_held_equal"
    IRRELEVANT_INPUT_MOVES_SURROGATE = "legally_irrelevant_input_moves_surrogate"
    SCORE_UNEXPLAINED_BY_PUBLIC_FACTS = "score_unexplained_by_public_facts"
    ONE_DISPUTED_FACT_CHANGES_CLASS = "one_disputed_fact_changes_class"
    SIMPLE_BASELINE_AS_ACCURATE = "simple_baseline_as_accurate"
    # the model's governance (法发〔2022〕33号)
    MODEL_NOT_THE_FILED_ONE = "model_not_the_filed_one"


class FindingBasis(StrEnum):
    """What a finding rests on: the model under challenge asked directly, a tool's recorded outputs, or a surrogate."""

    MODEL = "model"
    TOOL_RECORDS = "tool_records"
    SURROGATE = "surrogate"


@dataclass(frozen=True)
class FindingPolicy:
    disparity_threshold: float = 0.03
    irrelevant_threshold_months: float = 0.5
    irrelevant_threshold_share: float = 0.05
    minimum_top_agreement: float = 0.8


@dataclass(frozen=True)
class Finding:
    """One ground for cross-examining the algorithm, of either kind of case: how serious, what shows it (the
    figures, and the query that reproduces them), what it rests on, its legal basis and the question to put."""

    kind: FindingKind
    severity: Severity
    title: Label
    evidence: Label
    question: Label
    basis: FindingBasis = FindingBasis.MODEL
    legal_basis: str = ""
    figures: tuple[tuple[str, Any], ...] = ()
    query: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind.value,
            "severity": self.severity.value,
            "title": self.title.to_mapping(),
            "evidence": self.evidence.to_mapping(),
            "figures": dict(self.figures),
            "query": dict(self.query),
            "legal_basis": self.legal_basis,
            "question": self.question.to_mapping(),
        }


_ART4 = "刑法第4条 Criminal Law art. 4 (equality before the law)"
_AI_OPINION = "法发〔2022〕33号 art. 6 (AI reasoning must be explainable, testable and verifiable)"
_EXPERT_RULES = "法释〔2021〕1号 arts. 97–100 (review of expert and specialist opinions)"


def findings_from_examination(examination: Examination) -> list[Finding]:
    out = []
    months, derivation = examination.recommended_months, examination.derivation
    figures = (
        ("recommended_months", round(months, 2)),
        ("guideline_months", derivation.recommended_months),
        ("judicial_band_months", [derivation.judicial_band.low, derivation.judicial_band.high]),
        ("sentence_limits_months", [derivation.sentence_limits.low, derivation.sentence_limits.high]),
    )
    if not examination.inside_sentence_limits:
        out.append(
            Finding(
                kind=FindingKind.OUTSIDE_STATUTORY_LIMITS,
                severity=Severity.HIGH,
                title=Label("算法建议超出法定刑幅度", "The recommendation lies outside the statutory limits"),
                evidence=Label(
                    f"算法建议 {months:.1f} 个月，法定刑幅度为 {derivation.sentence_limits.low:g}–"
                    f"{derivation.sentence_limits.high:g} 个月。",
                    f"The algorithm recommends {months:.1f} months; the statutory limits for these facts are "
                    f"{derivation.sentence_limits.low:g}–{derivation.sentence_limits.high:g} months.",
                ),
                figures=figures,
                query={"operation": "examine", "parameters": {}},
                legal_basis="刑法第63条 Criminal Law art. 63; " + derivation.steps[0].source,
                question=Label(
                    "模型如何保证其建议不超出法定刑幅度？本案为何超出？",
                    "How does the model keep its recommendations inside the statutory band, and why not here?",
                ),
            )
        )
    elif not examination.inside_judicial_band:
        out.append(
            Finding(
                kind=FindingKind.OUTSIDE_JUDICIAL_BAND,
                severity=Severity.MEDIUM,
                title=Label(
                    "算法建议超出指导意见的法官调整幅度", "The recommendation lies outside the guideline's ±20% band"
                ),
                evidence=Label(
                    f"算法建议 {months:.1f} 个月，指导意见推导为 {derivation.recommended_months:.1f} 个月，"
                    f"法官可调整幅度为 {derivation.judicial_band.low:.1f}–{derivation.judicial_band.high:.1f} 个月。",
                    f"The algorithm recommends {months:.1f} months; the guideline derives "
                    f"{derivation.recommended_months:.1f}, and a judge may move within "
                    f"{derivation.judicial_band.low:.1f}–{derivation.judicial_band.high:.1f} months.",
                ),
                figures=figures,
                query={"operation": "examine", "parameters": {}},
                legal_basis=(
                    "法发〔2021〕21号 量刑指导意见 二、量刑的基本方法 (beyond ±20% the adjudication committee decides)"
                ),
                question=Label(
                    "模型建议与指导意见推导相差超过20%，其依据是什么？",
                    "The model departs from the guideline by more than 20%: on what basis?",
                ),
            )
        )
    return out


def findings_from_sensitivity(result: SensitivityResult) -> list[Finding]:
    out = []
    for finding in result.findings:
        statement = finding.statement()
        out.append(
            Finding(
                kind=FindingKind.IRRELEVANT_FACTOR,
                severity=Severity.HIGH,
                title=Label(
                    f"法律上无关的因素（{finding.label.zh}）影响算法建议",
                    f"A legally irrelevant factor moves the recommendation: {finding.label.en}",
                ),
                evidence=statement,
                figures=(
                    ("factor", finding.factor),
                    ("from", finding.before),
                    ("to", finding.after),
                    ("model_delta_months", round(finding.model_delta, 3)),
                    ("share_of_term", finding.share),
                    ("threshold_months", finding.threshold_months),
                    ("threshold_share", result.threshold_share),
                ),
                query={
                    "operation": "sensitivity",
                    "parameters": {
                        "threshold_months": result.threshold_months,
                        "threshold_share": result.threshold_share,
                    },
                },
                legal_basis=finding.legal_basis,
                question=Label(
                    f"模型是否使用了{finding.label.zh}或与之相关的变量？为何仅改变该因素就会改变建议？",
                    f"Does the model use {finding.label.en} or a proxy for it? Why does changing it alone change "
                    "the recommendation?",
                ),
            )
        )
    return out


def findings_from_stability(stability: StabilityReport, policy: FindingPolicy) -> list[Finding]:
    raw = stability.sizes[-1]
    if raw.set_agreement >= policy.minimum_top_agreement:
        return []
    return [
        Finding(
            kind=FindingKind.UNSTABLE_ATTRIBUTIONS,
            severity=Severity.MEDIUM,
            title=Label("解释结果不稳定", "The explanation of the recommendation is unstable"),
            evidence=Label(
                f"LIME（{raw.samples} 个样本）在 {raw.seeds} 个随机种子下，前 {stability.top_k} 个因素集合仅有 "
                f"{raw.set_agreement:.0%} 相同，排序仅有 {raw.order_agreement:.0%} 相同。",
                f"With LIME at {raw.samples} samples, the top-{stability.top_k} factors were the same set in only "
                f"{raw.set_agreement:.0%} of {raw.seeds} seeds, in the same order in {raw.order_agreement:.0%}.",
            ),
            figures=(
                ("samples", raw.samples),
                ("seeds", raw.seeds),
                ("set_agreement", raw.set_agreement),
                ("order_agreement", raw.order_agreement),
                ("stabilised_top", list(stability.stabilised.top)),
            ),
            query={"operation": "report", "parameters": {"tier": "deep"}},
            legal_basis=_AI_OPINION + "; " + _EXPERT_RULES,
            question=Label(
                "供应商提供的解释在不同随机种子下是否一致？法庭应依据哪一个？",
                "Do the vendor's explanations hold from one random seed to the next? Which should the court rely on?",
            ),
        )
    ]


def findings_from_coverage(coverage: Coverage) -> list[Finding]:
    """Outside the model's own training data (high); outside the toolkit's reference cases, when the model came
    without its training data (medium: it says the case is unusual, not what the model learned from)."""
    if not coverage.out_of_distribution:
        return []
    catalogue = load_catalogue()
    outside = ", ".join(catalogue.factor(f).label.en for f in coverage.outside_ranges) or "none"
    outside_zh = "、".join(catalogue.factor(f).label.zh for f in coverage.outside_ranges) or "无"
    own = coverage.source == "training data"
    cases = Label("训练数据", "training") if own else Label("本工具合成参照案件", "the toolkit's reference")
    return [
        Finding(
            kind=FindingKind.OUT_OF_DISTRIBUTION,
            severity=Severity.HIGH if own else Severity.MEDIUM,
            title=Label("本案不在模型学习过的数据范围内", "The case lies outside the data the model learned from")
            if own
            else Label(
                "本案不在本工具合成参照案件的范围内（模型未附训练数据，其训练数据范围未知）",
                "The case lies outside the toolkit's own reference cases (the model came without its training "
                "data, so what it learned from is unknown)",
            ),
            evidence=Label(
                f"与最相近的 5 个同罪名案件的距离为 {coverage.nearest_distance}，而{cases.zh}中 99% 的案件不超过 "
                f"{coverage.typical_distance_99}；超出其取值范围的事实：{outside_zh}。",
                f"The distance to the 5th most similar case of the same charge is {coverage.nearest_distance}, "
                f"where 99% of the {cases.en} cases lie within {coverage.typical_distance_99}; facts outside their "
                f"range: {outside}.",
            )
            if coverage.nearest_distance is not None
            else Label(
                f"{cases.zh}中同罪名案件只有 {coverage.charge_rows} 件，不足以衡量本案与其相近程度（至少需要 6 件）；"
                f"超出其取值范围的事实：{outside_zh}。",
                f"The {cases.en} cases hold only {coverage.charge_rows} case(s) of this charge, too few to measure "
                f"how near this case lies (at least 6 are needed); facts outside their range: {outside}.",
            ),
            figures=(
                ("nearest_distance", coverage.nearest_distance),
                ("typical_distance_99", coverage.typical_distance_99),
                ("outside_ranges", list(coverage.outside_ranges)),
                ("population", coverage.source),
            ),
            query={"operation": "report", "parameters": {"tier": "deep"}},
            legal_basis=_EXPERT_RULES + "; State v. Loomis (no local validation)",
            question=Label(
                "模型是否在与本案相似的案件上验证过？其误差是多少？",
                "Was the model ever validated on cases like this one, and with what error?",
            ),
        )
    ]


def findings_from_charge_validation(validation: ChargeValidation, examination: Examination) -> list[Finding]:
    """The model never validated on the case's charge (high: its answer is an extrapolation), or its card silent on
    which charges it was validated on (medium); nothing when the card reports held-out error on this charge."""
    if validation.status is ValidationStatus.VALIDATED:
        return []
    charge = charge_names([validation.charge])
    answer = Label(
        f"模型对本案的回答为 {examination.recommended_months:.1f} 个月，指导意见推导为 "
        f"{examination.derivation.recommended_months:.1f} 个月。",
        f"The model answers {examination.recommended_months:.1f} months for this case; the guideline derives "
        f"{examination.derivation.recommended_months:.1f}.",
    )
    figures: tuple[tuple[str, Any], ...] = (("charge", validation.charge), ("status", validation.status.value),
                                            ("validated_charges", list(validation.validated_charges)))  # fmt: skip
    question = Label(
        f"模型是否用{charge.zh}案件训练并验证过？误差多少？若没有，法庭为何应采信其对本案的回答？",
        f"Was the model trained and validated on {charge.en} cases, and with what error? If not, why should the "
        "court rely on its answer for this case?",
    )
    if validation.status is ValidationStatus.UNKNOWN:
        severity, basis = Severity.MEDIUM, _AI_OPINION + "; " + _EXPERT_RULES
        title = Label(
            f"模型卡未说明模型是否在{charge.zh}案件上验证过",
            f"The model card does not say whether the model was validated on {charge.en} cases",
        )
        evidence = Label(
            f"模型卡未按罪名列出留出误差，无从知道模型在{charge.zh}案件上的误差。",
            f"The model card gives no held-out error by charge, so its error on {charge.en} cases is unknown. ",
        )
    else:
        tested = charge_names(validation.validated_charges)
        severity, basis = Severity.HIGH, _AI_OPINION + "; " + _EXPERT_RULES + "; State v. Loomis (no local validation)"
        title = Label(
            f"模型从未在{charge.zh}案件上验证过：其对本案的回答是外推",
            f"The model was never validated on {charge.en} cases: its answer here is an extrapolation",
        )
        evidence = Label(
            f"据模型卡，留出数据上的误差只涉及：{tested.zh}；没有{charge.zh}案件。",
            f"Per the model card, its held-out error covers {tested.en} only; no {charge.en} cases. ",
        )
    return [Finding(kind=FindingKind.CHARGE_NOT_VALIDATED, severity=severity, title=title,
                    evidence=Label(evidence.zh + answer.zh, evidence.en + answer.en), figures=figures,
                    query={"operation": "report", "parameters": {"tier": "standard"}}, legal_basis=basis,
                    question=question)]  # fmt: skip


def findings_from_disputes(results: Iterable[WhatIfResult]) -> list[Finding]:
    out = []
    catalogue = load_catalogue()
    for result in results:
        for scenario in result.scenarios:
            if scenario.divergence is None or not scenario.changes:
                continue
            change = scenario.changes[0]
            spec = catalogue.factor(change.factor)
            label = spec.label
            before = spec.value_in_both(change.before)
            after = spec.value_in_both(change.after)
            kind = DIVERGENCE_LABELS[scenario.divergence]
            out.append(
                Finding(
                    kind=FindingKind.DISPUTED_FACT_DIVERGENCE,
                    severity=Severity.MEDIUM,
                    title=Label(
                        f"争议事实（{label.zh}）上模型与指导意见不一致",
                        f"Model and guideline disagree on a disputed fact ({label.en})",
                    ),
                    evidence=Label(
                        f"将{label.zh}由{before.zh}改为{after.zh}：算法 {scenario.model.delta:+.1f} 个月，"
                        f"指导意见 {scenario.guideline.delta:+.1f} 个月（{kind.zh}）。",
                        f"Changing {label.en} from {before.en} to {after.en}: algorithm "
                        f"{scenario.model.delta:+.1f} months, guideline {scenario.guideline.delta:+.1f} months "
                        f"({kind.en}).",
                    ),
                    figures=(
                        ("factor", change.factor),
                        ("from", change.before),
                        ("to", change.after),
                        ("model_delta_months", round(scenario.model.delta, 3)),
                        ("guideline_delta_months", round(scenario.guideline.delta, 3)),
                        ("divergence", scenario.divergence.value),
                    ),
                    query={"operation": "whatif", "parameters": {"changes": {change.factor: change.after}}},
                    legal_basis="刑事诉讼法第197条第2款 CPL art. 197 ¶2; 法发〔2021〕21号 量刑指导意见",
                    question=Label(
                        f"模型对{label.zh}的处理为何与量刑指导意见不同？",
                        f"Why does the model weigh {label.en} differently from the Guiding Opinions?",
                    ),
                )
            )
    return out


def findings_from_audit(audit: GroupAudit) -> list[Finding]:
    out = []
    catalogue = load_catalogue()
    for gap in audit.disparities:
        spec = catalogue.factor(gap.factor)
        value, reference = spec.value_in_both(gap.value), spec.value_in_both(gap.reference)
        out.append(
            Finding(
                kind=FindingKind.GROUP_DISPARITY,
                severity=Severity.HIGH,
                title=Label(
                    f"模型对不同{spec.label.zh}群体存在系统性差异",
                    f"The model treats groups differently by {spec.label.en}",
                ),
                evidence=Label(
                    f"在 {audit.rows} 个案件中保持其他事实不变，仅将{spec.label.zh}由{reference.zh}改为{value.zh}，"
                    f"建议刑期平均变化 {gap.mean_gap_months:+.2f} 个月（典型相对变化 {gap.relative_gap:+.1%}）。",
                    f"Across {audit.rows} cases, with every other fact held fixed, changing {spec.label.en} from "
                    f"{reference.en} to {value.en} moves the recommendation by {gap.mean_gap_months:+.2f} months "
                    f"on average (typical relative change {gap.relative_gap:+.1%}).",
                ),
                figures=(
                    ("factor", gap.factor),
                    ("value", gap.value),
                    ("reference", gap.reference),
                    ("mean_gap_months", gap.mean_gap_months),
                    ("relative_gap", gap.relative_gap),
                    ("threshold", audit.threshold),
                    ("population", audit.population),
                ),
                query={"operation": "report", "parameters": {"tier": "deep"}},
                legal_basis=_ART4 + "; " + _AI_OPINION,
                question=Label(
                    f"训练数据中的{spec.label.zh}差异是否源于历史偏见？供应商采取了哪些纠偏措施？",
                    f"Does the training data carry historical bias by {spec.label.en}, and what did the vendor do "
                    "about it?",
                ),
            )
        )
    return out


_CASE_SEARCH = (
    "最高人民法院关于统一法律适用加强类案检索的指导意见（试行）(2020) Guiding Opinions on similar-case search"
)


def findings_from_practice(practice: PracticeComparison | None) -> list[Finding]:
    """The model's recommendation below the 10th or above the 90th percentile of what the most similar decided cases
    received (medium on a court's corpus; low when the synthetic judgments stand in, and it says so)."""
    if practice is None or not practice.model_outside or practice.model_months is None:
        return []
    q = dict(practice.quantiles)
    synthetic = bool(practice.corpus.get("synthetic"))
    corpus = (
        Label("合成判决（未配置法院案例库，仅作替代）", "synthetic judgments (no court corpus configured; a stand-in)")
        if synthetic
        else Label(f"案例库 {practice.corpus.get('source')}", f"the corpus {practice.corpus.get('source')}")
    )
    n = len(practice.neighbours)
    return [
        Finding(
            kind=FindingKind.OUTSIDE_PRACTICE,
            severity=Severity.LOW if synthetic else Severity.MEDIUM,
            title=Label(
                "模型建议超出相似已决案件的实际刑期范围",
                "The model's recommendation lies outside what similar decided cases received",
            ),
            evidence=Label(
                f"{corpus.zh}中与本案最相似的 {n} 件同罪名案件，实际刑期 10%–90% 区间为 "
                f"{q['p10']:g}–{q['p90']:g} 个月（中位数 {q['median']:g}）；模型建议 {practice.model_months:.1f} "
                f"个月，位于第 {practice.model_percentile} 百分位。",
                f"The {n} decided cases of this charge most similar to this one in {corpus.en} received "
                f"{q['p10']:g}–{q['p90']:g} months between their 10th and 90th percentiles (median {q['median']:g}); "
                f"the model recommends {practice.model_months:.1f} months, at the {practice.model_percentile}th "
                "percentile.",
            ),
            figures=(
                ("p10", q["p10"]),
                ("median", q["median"]),
                ("p90", q["p90"]),
                ("model_months", practice.model_months),
                ("model_percentile", practice.model_percentile),
                ("neighbours", n),
                ("corpus", dict(practice.corpus)),
            ),
            query={"operation": "report", "parameters": {"tier": "deep"}},
            legal_basis=_CASE_SEARCH + "; 刑事诉讼法第55条 (evidence must be verified)",
            question=Label(
                "模型为何与相似案件的司法实践不一致？哪些事实使本案不同？",
                "Why does the model depart from what courts gave in similar cases, and which facts make "
                "this case different?",
            ),
        )
    ]


def findings_from_attribution_checks(checks: Iterable[AttributionCheck]) -> list[Finding]:
    """Where an attribution and the flip test disagree about legally irrelevant factors: one finding for the factors
    whose effect on the real case the attribution hides or turns round (high: what a model that recognises an
    explainer's inputs produces, and what an unreliable explainer produces; either way the explanation shown to the
    court misdescribes the model), one for those it overstates (medium: it names an effect the real case does not
    show)."""
    catalogue = load_catalogue()
    grouped: dict[str, dict[str, list[tuple[str, Any]]]] = {"hides": {}, "overstates": {}}
    for check in checks:
        for line in check.disagreements:
            grouped[line.way].setdefault(line.factor, []).append((check.method, line))
    out = []
    for way, by_factor in grouped.items():
        if not by_factor:
            continue
        names = Label("、".join(catalogue.factor(f).label.zh for f in by_factor),
                      ", ".join(catalogue.factor(f).label.en for f in by_factor))  # fmt: skip
        lines_zh, lines_en = [], []
        for factor, lines in by_factor.items():
            label, flip = catalogue.factor(factor).label, lines[0][1]
            said_zh = "，".join(f"{method_label(m).zh}给出 {line.attributed_weight:+.2f} 个月" for m, line in lines)
            said_en = ", ".join(f"{method_label(m).en} gives {line.attributed_weight:+.2f} months" for m, line in lines)
            lines_zh.append(
                f"{label.zh}：在本案上仅改变该因素，建议变化 {flip.flip_months:+.2f} 个月（刑期的 "
                f"{flip.flip_share:.0%}，按此解释方法应约为 {flip.expected_weight:+.2f}）；{said_zh}"
            )
            lines_en.append(f"{label.en}: changing it alone in this case moves the recommendation by "
                            f"{flip.flip_months:+.2f} months ({flip.flip_share:.0%} of the term; the explainer should "
                            f"show about {flip.expected_weight:+.2f}); {said_en}")  # fmt: skip
        hides = way == "hides"
        out.append(
            Finding(
                kind=FindingKind.ATTRIBUTIONS_CONTRADICT_FLIP_TEST,
                severity=Severity.HIGH if hides else Severity.MEDIUM,
                title=Label(
                    f"解释结果掩盖了法律上无关因素在本案中的影响（{names.zh}）"
                    if hides
                    else f"解释结果夸大了法律上无关因素的影响，本案翻转检验并未显示（{names.zh}）",
                    f"The attributions hide what the flip test shows about legally irrelevant factors ({names.en})"
                    if hides
                    else f"The attributions show effects of legally irrelevant factors that the flip test does not "
                    f"({names.en})",
                ),
                evidence=Label(
                    "；".join(lines_zh)
                    + "。解释方法询问的是其自行构造的输入，翻转检验询问的是本案本身。"
                    + (
                        "三种原因都会如此：该因素的影响随其他事实而变（解释方法将其分摊给其他因素）；解释方法不稳定；"
                        "或模型能够识别解释器的输入，对其无偏、对真实案件有偏。无论何者，解释结果低估了该因素在本案中的"
                        "影响，应以翻转检验为准。"
                        if hides
                        else "应以翻转检验为准，不应据此解释认定该因素影响了本案。"
                    ),
                    "; ".join(lines_en) + ". An explainer asks the model about inputs it made up; the flip test asks "
                    "about this case. "
                    + (
                        "Three causes look like this: the factor's effect depends on other facts (the explainer shares "
                        "it out among them); the explainer is unstable; or the model recognises an explainer's inputs "
                        "and answers them innocently and real cases with bias. Whichever it is, the explanation "
                        "understates what the factor does in this case; the flip test is what the court should rely "
                        "on."
                        if hides
                        else "The flip test is what the court should rely on: the explanation does not show that "
                        "the factor moved this recommendation."
                    ),
                ),
                figures=(
                    ("factors", list(by_factor)),
                    ("way", way),
                    ("flip_months", [lines[0][1].flip_months for lines in by_factor.values()]),
                    ("methods", sorted({m for lines in by_factor.values() for m, _ in lines})),
                ),
                query={"operation": "sensitivity", "parameters": {}},
                legal_basis=_ART4 + "; " + _AI_OPINION,
                question=Label(
                    f"模型是否区别对待解释工具构造的输入与真实案件？为何本案中{names.zh}的实际影响与解释结果不同？",
                    f"Does the model treat an explainer's inputs differently from real cases? Why does what "
                    f"{names.en} does in this case differ from what the explanation says?",
                ),
            )
        )
    return out
