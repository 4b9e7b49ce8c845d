"""The court's review of a sentencing proposal (量刑建议) in a plea case, beside the law and the model.

The proposal is set beside the guideline's derivation with the plea reduction graded for the stage at which the
defendant pleaded (法发〔2021〕21号: 认罪认罚的阶段、程度、价值; the table's ``plea_stages``), beside what the
guideline gives at every stage, and beside the model the court uses, if one is given. Findings, each with its
legal basis: outside the judge's band (CPL art. 201 ¶2: 量刑建议明显不当), outside the statutory limits, probation
proposed where the law excludes it or not proposed where the case allows it (刑法第72–74条), circumstances the
proposal states that the case does not hold (or the reverse), and a proposal produced by the same model the court's
assistant uses. The grounds on which art. 201 lets the court depart are the judge's checklist. Counsel's question
"what is the smallest change of facts that moves this proposal across the band?" is answered by an exact search
over the disputable facts (the same grid as ``counterfactuals.search``), every answer a validated case.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from counterfactuals.edits import Change, apply_changes
from counterfactuals.search import change_combinations, change_distance, search_space
from explain_tiers.findings import Finding, FindingKind, Severity
from sentencing.case import Case
from sentencing.catalogue import Catalogue, load_catalogue
from sentencing.errors import CaseValidationError, InputError, OperationInputError, Rule
from sentencing.guideline import Derivation, MonthRange, Penalty, derive_sentence
from sentencing.i18n import Label
from sentencing.jurisdiction import Jurisdiction, PleaStage, load_jurisdiction
from sentencing.models import predict_cases
from sentencing.operations import Answer, Operation, OperationContext, OperationRegistry, whole_number_parameter
from sentencing.practice import PracticeComparison
from sentencing.proposal import PRESENT_LABELS, PROBATION_TERM_LIMIT, Proposal, proposal_from_canonical

__all__ = [
    "ART_201_CHECKLIST",
    "REVIEW_SCHEMA_VERSION",
    "ChecklistItem",
    "FlipAnswer",
    "FlipSearch",
    "ProposalPractice",
    "ProposalReview",
    "StageGuideline",
    "proposal_in_practice",
    "register_proposal_operations",
    "review_proposal",
    "review_with_search",
    "run_proposal_review",
    "smallest_flip",
]

REVIEW_SCHEMA_VERSION = "1.0"
_ART_201 = "刑事诉讼法第201条 CPL art. 201"
_ART_72 = "刑法第72条 Criminal Law art. 72"
_ART_74 = "刑法第74条 Criminal Law art. 74"
_STAGE_BASIS = ("法发〔2021〕21号 量刑指导意见 三 (认罪认罚的阶段、程度、价值); 高检发〔2019〕13号 两高三部"
                "《关于适用认罪认罚从宽制度的指导意见》第9条")  # fmt: skip
_INDEPENDENCE = "法发〔2022〕33号 art. 5–6 (AI assists and does not replace judgment); " + _ART_201


@dataclass(frozen=True)
class ChecklistItem:
    """One ground on which CPL art. 201 lets the court depart from the proposal: for the judge to tick."""

    id: str
    label: Label
    source: str


ART_201_CHECKLIST: tuple[ChecklistItem, ...] = (
    ChecklistItem("not_a_crime", Label("被告人的行为不构成犯罪或者不应当追究其刑事责任",
                                       "the conduct is no crime, or no criminal liability should be pursued"),
                  f"{_ART_201} ¶1(一)"),
    ChecklistItem("plea_not_voluntary", Label("被告人违背意愿认罪认罚",
                                              "the plea was made against the defendant's will"),
                  f"{_ART_201} ¶1(二)"),
    ChecklistItem("facts_denied", Label("被告人否认指控的犯罪事实", "the defendant denies the facts charged"),
                  f"{_ART_201} ¶1(三)"),
    ChecklistItem("charge_differs", Label("起诉指控的罪名与审理认定的罪名不一致",
                                          "the charge indicted differs from the charge the trial finds"),
                  f"{_ART_201} ¶1(四)"),
    ChecklistItem("fair_trial", Label("其他可能影响公正审判的情形",
                                      "another circumstance that may affect a fair trial"),
                  f"{_ART_201} ¶1(五)"),
    ChecklistItem("clearly_improper", Label("量刑建议明显不当，或者被告人、辩护人对量刑建议提出异议（人民检察院"
                                            "可以调整；不调整或者调整后仍然明显不当的，人民法院应当依法作出判决）",
                                            "the proposal is clearly improper, or the defence objects to it (the "
                                            "procuratorate may adjust it; if it does not, or it is still clearly "
                                            "improper, the court decides by law)"),
                  f"{_ART_201} ¶2"),
)  # fmt: skip


@dataclass(frozen=True)
class StageGuideline:
    """What the guideline gives for these facts with the plea at one stage."""

    stage: PleaStage
    label: Label
    recommended_months: float
    judicial_band: MonthRange
    outcome: Label

    def to_dict(self) -> dict[str, Any]:
        return {"stage": self.stage.value, "label": self.label.to_mapping(),
                "recommended_months": self.recommended_months,
                "judicial_band_months": [self.judicial_band.low, self.judicial_band.high],
                "outcome": self.outcome.to_mapping()}  # fmt: skip


@dataclass(frozen=True)
class FlipAnswer:
    changes: tuple[Change, ...]
    guideline_months: float
    judicial_band: MonthRange
    inside: bool
    distance: float

    def to_dict(self) -> dict[str, Any]:
        return {"changes": [{"factor": c.factor, "before": c.before, "after": c.after} for c in self.changes],
                "guideline_months": self.guideline_months,
                "judicial_band_months": [self.judicial_band.low, self.judicial_band.high],
                "proposal_inside_band": self.inside, "distance": self.distance}  # fmt: skip


@dataclass(frozen=True)
class FlipSearch:
    """The fewest changes of disputable facts that move the proposal across the judge's band (in, or out)."""

    inside_now: bool
    answers: tuple[FlipAnswer, ...]
    minimal_size: int | None
    max_changes: int
    evaluated: int
    searched_factors: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"inside_now": self.inside_now, "answers": [a.to_dict() for a in self.answers],
                "minimal_size": self.minimal_size, "proven_minimal": self.minimal_size is not None,
                "max_changes": self.max_changes, "evaluated": self.evaluated,
                "searched_factors": list(self.searched_factors)}  # fmt: skip


@dataclass(frozen=True)
class ProposalReview:
    case_id: str
    proposal: Proposal
    derivation: Derivation  # the case with the plea graded for the proposal's stage
    stages: tuple[StageGuideline, ...]
    inside_band: bool
    inside_limits: bool
    model_months: float | None
    model_sha256: str | None
    findings: tuple[Finding, ...]
    checklist: tuple[ChecklistItem, ...]
    notes: tuple[Label, ...]

    def to_dict(self) -> dict[str, Any]:
        d = self.derivation
        return {
            "schema_version": REVIEW_SCHEMA_VERSION,
            "case_id": self.case_id,
            "proposal": self.proposal.to_document(),
            "proposal_label": self.proposal.term_label().to_mapping(),
            "plea_stage": self.proposal.plea_stage.value,
            "guideline": {"recommended_months": d.recommended_months,
                          "judicial_band_months": [d.judicial_band.low, d.judicial_band.high],
                          "sentence_limits_months": [d.sentence_limits.low, d.sentence_limits.high],
                          "outcome": d.outcome.to_dict()},
            "stages": [s.to_dict() for s in self.stages],
            "proposal_inside_band": self.inside_band,
            "proposal_inside_limits": self.inside_limits,
            "model": None if self.model_months is None else {"recommended_months": self.model_months,
                                                             "sha256": self.model_sha256},
            "findings": [f.to_dict() for f in self.findings],
            "art_201_checklist": [{"id": c.id, "label": c.label.to_mapping(), "source": c.source}
                                  for c in self.checklist],
            "notes": [n.to_mapping() for n in self.notes],
            "derivation": d.to_dict(),
        }  # fmt: skip


@dataclass(frozen=True)
class ProposalPractice:
    """The proposal among what similar decided cases received (``sentencing.practice``): the percentiles of its
    ends among their real terms, and whether it lies wholly below their 10th or above their 90th percentile."""

    comparison: PracticeComparison
    low_percentile: float | None
    high_percentile: float | None
    outside: bool

    def to_dict(self) -> dict[str, Any]:
        return {"comparison": self.comparison.to_dict(), "proposal_percentiles": [self.low_percentile,
                                                                                  self.high_percentile],
                "proposal_outside_practice": self.outside}  # fmt: skip


def proposal_in_practice(proposal: Proposal, comparison: PracticeComparison) -> ProposalPractice:
    """Where the proposed term falls among the similar decided cases' real terms (at least five needed to say it
    lies outside them)."""
    term = _proposed_months(proposal)
    quantiles = dict(comparison.quantiles)
    outside = len(comparison.neighbours) >= 5 and (
        term.high < quantiles["p10"] - 1e-9 or term.low > quantiles["p90"] + 1e-9
    )
    return ProposalPractice(comparison, comparison.percentile(term.low), comparison.percentile(term.high), outside)


def _span(term: MonthRange) -> str:
    return f"{term.low:g}" if term.low == term.high else f"{term.low:g}–{term.high:g}"


def _pleaded(case: Case, catalogue: Catalogue) -> tuple[Case, tuple[Label, ...]]:
    """The case as the proposal presents it: a plea case. A case file that does not say so is read with the plea."""
    if case.flag("plea_agreement"):
        return case, ()
    pleaded = case.with_changes({"plea_agreement": True}, catalogue)
    return pleaded, (Label("案件材料未载明认罪认罚；量刑建议以认罪认罚为前提，审查时按认罪认罚计算",
                           "the case file does not record the plea; a proposal rests on one, so the review derives "
                           "the guideline with it"),)  # fmt: skip


def _inside(term: MonthRange, band: MonthRange) -> bool:
    return band.contains(term.low) and band.contains(term.high)


def _within_law(proposal: Proposal, derivation: Derivation) -> bool:
    """Whether the law allows what is proposed for these facts: a term inside the statutory limits, or no custodial
    term (exemption, or a fine alone) where the derivation finds it possible (刑法第37条, the table's rule)."""
    outcome = derivation.outcome
    if proposal.penalty is Penalty.EXEMPTION:
        return outcome.exemption_possible
    if proposal.penalty is Penalty.NON_CUSTODIAL:
        return outcome.non_custodial_possible or outcome.exemption_possible
    return _inside(proposal.term, derivation.sentence_limits)


def _proposed_months(proposal: Proposal) -> MonthRange:
    if proposal.penalty in (Penalty.EXEMPTION, Penalty.NON_CUSTODIAL):
        return MonthRange(0.0, 0.0)
    return proposal.term


def smallest_flip(
    case: Case,
    proposal: Proposal,
    *,
    jurisdiction: Jurisdiction | None = None,
    catalogue: Catalogue | None = None,
    max_changes: int = 2,
    answers: int = 3,
    factors: Sequence[str] | None = None,
    budget: int = 20_000,
) -> FlipSearch:
    """The fewest changes of disputable facts after which the proposal stands on the other side of the judge's
    band at its stage (inside ↔ outside). Exact on the grid of ``counterfactuals.search.search_space``: sizes are
    searched in order and each in full within ``budget`` cases, every answer a case the rules accept."""
    if not 1 <= max_changes <= 3:
        raise InputError(f"max_changes {max_changes}", Rule.OUT_OF_RANGE, "1 to 3 changes can be searched here")
    catalogue = catalogue or load_catalogue()
    base = jurisdiction or load_jurisdiction(case.jurisdiction)
    graded = base.for_plea_stage(proposal.plea_stage)
    case, _ = _pleaded(case, catalogue)
    term = _proposed_months(proposal)
    inside_now = _inside(term, derive_sentence(case, graded).judicial_band)
    space = [o for o in search_space(case, catalogue=catalogue, jurisdiction=base, factors=factors)
             if o.factor != "plea_agreement"]  # fmt: skip
    found: list[FlipAnswer] = []
    evaluated = 0
    minimal = None
    for size in range(1, max_changes + 1):
        combos = change_combinations(space, size)
        if evaluated + len(combos) > budget:
            break
        evaluated += len(combos)
        hits = []
        for combo in combos:
            try:
                changed, changes = apply_changes(case, dict(combo), catalogue)
            except CaseValidationError:
                continue
            derivation = derive_sentence(changed, graded)
            inside = _inside(term, derivation.judicial_band)
            if inside != inside_now:
                distance = change_distance([(c.factor, c.before, c.after) for c in changes], catalogue)
                hits.append(FlipAnswer(changes, derivation.recommended_months, derivation.judicial_band, inside,
                                       distance))  # fmt: skip
        if hits:
            minimal = size
            hits.sort(key=lambda a: (a.distance, [c.factor for c in a.changes]))
            seen: set[tuple[str, ...]] = set()
            for hit in hits:  # different factors first: counsel wants the alternatives, not one factor's grid
                key = tuple(c.factor for c in hit.changes)
                if key not in seen:
                    seen.add(key)
                    found.append(hit)
                if len(found) >= answers:
                    break
            break
    return FlipSearch(inside_now, tuple(found), minimal, max_changes, evaluated, tuple(o.factor for o in space))


def _findings(case: Case, proposal: Proposal, derivation: Derivation, stage_label: Label,
              court_model_sha256: str | None, catalogue: Catalogue) -> list[Finding]:  # fmt: skip
    out: list[Finding] = []
    term = _proposed_months(proposal)
    band, limits = derivation.judicial_band, derivation.sentence_limits
    figures = (("proposal_months", [term.low, term.high]), ("guideline_months", derivation.recommended_months),
               ("judicial_band_months", [band.low, band.high]), ("plea_stage", proposal.plea_stage.value))  # fmt: skip
    query = {"operation": "proposal_review", "parameters": {"stage": proposal.plea_stage.value}}
    if not _inside(term, band):
        entirely = term.high < band.low or term.low > band.high
        side = ("重于", "heavier than") if term.low > band.high or term.high > band.high else ("轻于", "lighter than")
        out.append(Finding(
            kind=FindingKind.PROPOSAL_OUTSIDE_BAND,
            severity=Severity.HIGH if entirely else Severity.MEDIUM,
            title=Label(f"量刑建议{'超出' if entirely else '部分超出'}指导意见的法官调节幅度（{stage_label.zh}）",
                        f"The proposal lies {'outside' if entirely else 'partly outside'} the guideline's judicial "
                        f"band — {stage_label.en}"),
            evidence=Label(f"建议{_span(term)}个月；按{stage_label.zh}计算，指导意见为{derivation.recommended_months:g}个月，"
                           f"法官±20%调节幅度{band.low:g}–{band.high:g}个月，建议{side[0]}该幅度。",
                           f"The proposal is {_span(term)} months; with the plea at this stage the guideline gives "
                           f"{derivation.recommended_months:g} months, the judge's ±20% band "
                           f"{band.low:g}–{band.high:g} months: the proposal is {side[1]} it."),
            question=Label("检察机关依据什么确定该建议？是否按认罪认罚的阶段计算了从宽幅度？",
                           "On what did the procuratorate base this figure, and did it grade the plea reduction by the "
                           "stage of the plea?"),
            legal_basis=f"{_ART_201} ¶2 (量刑建议明显不当); {_STAGE_BASIS}",
            figures=figures, query=query,
        ))  # fmt: skip
    if not _within_law(proposal, derivation):
        out.append(Finding(
            kind=FindingKind.PROPOSAL_OUTSIDE_LIMITS, severity=Severity.HIGH,
            title=Label("量刑建议超出本案事实的法定刑幅度",
                        "The proposal lies outside the statutory limits for these facts"),
            evidence=Label(f"建议{_span(term)}个月；本案事实的法定刑（含依法减轻）为{limits.low:g}–{limits.high:g}个月。",
                           f"The proposal is {_span(term)} months; the statutory limits for these facts (mitigation "
                           f"included) are {limits.low:g}–{limits.high:g} months."),
            question=Label("超出法定刑幅度的依据是什么（减轻处罚情节或者最高人民法院核准）？",
                           "What allows a term outside the statutory limits (a mitigating circumstance, or the Supreme "
                           "People's Court's approval, art. 63 ¶2)?"),
            legal_basis="刑法第63条 Criminal Law art. 63; " + derivation.steps[0].source,
            figures=figures, query=query,
        ))  # fmt: skip
    probation = derivation.outcome.probation
    if proposal.probation and not (probation.eligible and term.high <= PROBATION_TERM_LIMIT):
        why = "；".join(r.zh for r in probation.reasons), "; ".join(r.en for r in probation.reasons)
        out.append(Finding(
            kind=FindingKind.PROPOSAL_PROBATION_EXCLUDED, severity=Severity.HIGH,
            title=Label("建议适用缓刑，但本案依法不得适用",
                        "The proposal suspends the term where the law excludes probation"),
            evidence=Label(f"建议{proposal.term_label().zh}；缓刑：{why[0]}。",
                           f"The proposal: {proposal.term_label().en}; probation: {why[1]}."),
            question=Label("建议缓刑的法律依据是什么？", "On what legal basis is probation proposed?"),
            legal_basis=f"{_ART_72}; {_ART_74} (对于累犯和犯罪集团的首要分子，不适用缓刑)",
            figures=figures, query=query,
        ))  # fmt: skip
    elif not proposal.probation and probation.eligible and 0 < term.high <= PROBATION_TERM_LIMIT:
        out.append(Finding(
            kind=FindingKind.PROPOSAL_PROBATION_OMITTED,
            severity=Severity.MEDIUM if probation.mandatory else Severity.LOW,
            title=Label("本案可以（或者应当）考虑缓刑，建议未提出" if not probation.mandatory else
                        "本案符合条件的应当宣告缓刑，建议未提出",
                        "The case allows probation and the proposal does not consider it" if not probation.mandatory
                        else "Probation must be granted if its conditions hold, and the proposal omits it"),
            evidence=Label(f"建议{proposal.term_label().zh}，未建议缓刑；刑期与前科情况不排除缓刑。",
                           f"The proposal: {proposal.term_label().en}, without probation; the term and the record "
                           "do not exclude it."),
            question=Label("检察机关是否评估了缓刑的四项条件（犯罪情节较轻、有悔罪表现、没有再犯罪的危险、宣告缓刑对所居住社区没有重大不良影响）？",
                           "Did the procuratorate assess the four conditions of art. 72 (lighter circumstances, "
                           "repentance, no risk of reoffending, no major harm to the community)?"),
            legal_basis=_ART_72, figures=figures, query=query,
        ))  # fmt: skip
    values = case.as_dict()
    held = {
        spec.id
        for spec in catalogue.factors_for(case.charge)
        if spec.group.value == "circumstance" and values.get(spec.id, spec.default) not in (spec.default, 0)
    }
    stated = set(proposal.stated_circumstances)
    extra = sorted(stated - held - {"plea_agreement"})
    missing = sorted(held - stated - {"plea_agreement"})
    if extra or missing:

        def names(ids: list[str]) -> tuple[str, str]:
            labels = [catalogue.factor(i).label for i in ids]
            return "、".join(x.zh for x in labels) or "无", ", ".join(x.en for x in labels) or "none"

        e, m = names(extra), names(missing)
        out.append(Finding(
            kind=FindingKind.PROPOSAL_CIRCUMSTANCES_DIFFER, severity=Severity.MEDIUM,
            title=Label("量刑建议所述情节与案件事实不一致",
                        "The circumstances the proposal states differ from the case"),
            evidence=Label(f"建议载明而案件未认定：{e[0]}；案件认定而建议未载明：{m[0]}。",
                           f"Stated by the proposal but not held by the case: {e[1]}; held by the case but not stated "
                           f"by the proposal: {m[1]}."),
            question=Label("建议依据的情节以什么证据为基础？未载明的情节是否已经评价？",
                           "What evidence supports the circumstances the proposal relies on, and were those it leaves "
                           "out weighed?"),
            legal_basis=f"{_ART_201} ¶1; 法发〔2021〕21号 量刑指导意见 三",
            figures=(("stated_not_in_case", extra), ("in_case_not_stated", missing)), query=query,
        ))  # fmt: skip
    if proposal.tool_model_sha256 and court_model_sha256 and proposal.tool_model_sha256 == court_model_sha256:
        out.append(Finding(
            kind=FindingKind.PROPOSAL_SAME_MODEL, severity=Severity.MEDIUM,
            title=Label("量刑建议由法院所用的同一算法模型生成",
                        "The proposal was produced by the model the court uses"),
            evidence=Label(f"建议所用工具（{proposal.tool_name}）的模型摘要与法院辅助系统的模型相同（sha256 "
                           f"{court_model_sha256[:12]}…）：控方与法院采用同一算法的意见，二者不是相互独立的判断。",
                           f"The tool behind the proposal ({proposal.tool_name}) runs the same model as the court's "
                           f"assistant (sha256 {court_model_sha256[:12]}…): the prosecution and the court share one "
                           "algorithm's view; the two are not independent."),
            question=Label("法院如何对建议作出独立审查，而不是以同一模型的输出印证同一模型？",
                           "How does the court review the proposal independently, rather than confirm one model's "
                           "output with the same model?"),
            legal_basis=_INDEPENDENCE,
            figures=(("model_sha256", court_model_sha256),), query=query,
        ))  # fmt: skip
    return out


def review_proposal(
    case: Case,
    proposal: Proposal,
    *,
    jurisdiction: Jurisdiction | None = None,
    catalogue: Catalogue | None = None,
    model_months: float | None = None,
    model_sha256: str | None = None,
) -> ProposalReview:
    """The proposal beside the guideline at the stage of the plea (and at every stage), and beside the court's
    model when its recommendation and digest are given; the findings and the art. 201 checklist."""
    catalogue = catalogue or load_catalogue()
    base = jurisdiction or load_jurisdiction(case.jurisdiction)
    pleaded, notes = _pleaded(case, catalogue)
    at_stage = base.plea_stage(proposal.plea_stage)  # refused by name when the table grades no such stage
    derived = {
        rule.stage: derive_sentence(pleaded, base.for_plea_stage(rule.stage)) for rule in base.policy.plea_stages
    }
    stages = tuple(StageGuideline(rule.stage, rule.label, derived[rule.stage].recommended_months,
                                  derived[rule.stage].judicial_band, derived[rule.stage].outcome.label())
                   for rule in base.policy.plea_stages)  # fmt: skip
    derivation = derived[proposal.plea_stage]
    term = _proposed_months(proposal)
    findings = _findings(pleaded, proposal, derivation, at_stage.label, model_sha256, catalogue)
    extra = list(notes)
    statement = proposal.signed_statement
    extra.append(Label(f"具结书于{statement.date}签署，在场：{PRESENT_LABELS[statement.present].zh}（{statement.lawyer}）",
                       f"the plea statement was signed on {statement.date} with "
                       f"{PRESENT_LABELS[statement.present].en} present ({statement.lawyer})"))  # fmt: skip
    if base.policy.plea_stages_status == "unconfirmed":
        extra.append(Label("各阶段的从宽比例为本辖区表格的取值（未经原文核实），法律只规定早认罪优于晚认罪",
                           "the reduction per stage is this table's figure (unconfirmed against a published text); "
                           "the law only orders it: an earlier plea weighs more"))  # fmt: skip
    return ProposalReview(
        case_id=case.case_id, proposal=proposal, derivation=derivation, stages=stages,
        inside_band=_inside(term, derivation.judicial_band), inside_limits=_within_law(proposal, derivation),
        model_months=model_months, model_sha256=model_sha256, findings=tuple(findings),
        checklist=ART_201_CHECKLIST, notes=tuple(extra),
    )  # fmt: skip


def run_proposal_review(case: Case, parameters: Any, context: OperationContext) -> Answer:
    """The ``proposal_review`` operation: the review of the proposal the case carries, beside the context's model;
    ``{"smallest_change": true, "max_changes": 1-3}`` adds the search. The same function answers at the hearing
    and on replay."""
    if case.proposal is None:
        raise OperationInputError("proposal_review", "the case holds no sentencing proposal (its 'proposal')")
    flag = parameters.get("smallest_change", False)
    if not isinstance(flag, bool):
        raise OperationInputError("proposal_review", "'smallest_change' must be true or false")
    max_changes = whole_number_parameter("proposal_review", parameters, "max_changes", 2, 1, 3)
    months = float(predict_cases(context.answering, [case])[0])
    return review_with_search(case, proposal_from_canonical(case.proposal), jurisdiction=context.jurisdiction,
                              model_months=months, model_sha256=context.answering.identity.sha256,
                              smallest_change=flag, max_changes=max_changes)  # fmt: skip


def review_with_search(
    case: Case,
    proposal: Proposal,
    *,
    jurisdiction: Jurisdiction | None = None,
    model_months: float | None = None,
    model_sha256: str | None = None,
    smallest_change: bool = False,
    max_changes: int = 2,
) -> Answer:
    """The review, and the search when asked: the typed pair ``(review, flip)`` beside their one JSON form (the
    operation's result, and the command line's answer without a model)."""
    jurisdiction = jurisdiction or load_jurisdiction(case.jurisdiction)
    review = review_proposal(case, proposal, jurisdiction=jurisdiction, model_months=model_months,
                             model_sha256=model_sha256)  # fmt: skip
    flip = (
        smallest_flip(case, proposal, jurisdiction=jurisdiction, max_changes=max_changes) if smallest_change else None
    )
    return Answer((review, flip), {**review.to_dict(), "smallest_change": None if flip is None else flip.to_dict()})


def register_proposal_operations(registry: OperationRegistry) -> None:
    registry.register(
        Operation(
            "proposal_review",
            "1",
            run_proposal_review,
            Label("量刑建议审查", "review of the sentencing proposal"),
            frozenset({"smallest_change", "max_changes"}),
            frozenset({Case.kind}),
        )
    )
