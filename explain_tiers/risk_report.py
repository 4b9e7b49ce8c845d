"""The report on one person's risk score, for counsel who challenge it: computed once, rendered many.

Two tiers, as for a sentencing recommendation. The **standard** report (routine cases) sets the
tool's recorded score beside the model's, with the surrogate's fidelity, the points that make up
the person's score (exact: the model is a points table), the tool's error rates by group from its
recorded scores, and the cautions a court reads before relying on a risk score. The **deep** report
(disputed cases) adds the rest.

The deep report sets side by side what the tool recorded for the person and what a transparent surrogate fitted
to the tool's recorded scores gives (with the surrogate's fidelity, and how far it is from this
person's score); what-if curves on prior offences and age; the fewest changes of disputable facts
that bring the person to the lowest class; each legally irrelevant input changed alone; and the
audit of the tool's recorded scores over everyone in the data (error rates by group, calibration,
the published controlled comparison), with a baseline that predicts the outcome from the same
public facts. Findings are typed and bilingual. Everything the surrogate answers carries its caveat.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from counterfactuals.risk_queries import (
    RiskSearchResult,
    RiskSensitivity,
    RiskWhatIf,
    ask_risk_what_if,
    find_risk_changes,
    probe_risk_irrelevant,
)
from explain_tiers.findings import Finding, FindingBasis, FindingKind, Severity
from explain_tiers.score_audit import MIN_GROUP, ScoreAudit, audit_recorded_scores
from explain_tiers.tiers import Tier
from sentencing.catalogue import LegalRole
from sentencing.errors import ModelLoadError
from sentencing.i18n import Label
from sentencing.models import PointsTerm, SentencingModel
from sentencing.records import FilterStep, filter_records, read_records
from sentencing.risk import CurveSpec, RiskCase, RiskInstrument, load_instrument, risk_frame

__all__ = [
    "RISK_CAUTIONS",
    "RISK_REPORT_SCHEMA_VERSION",
    "PointsRow",
    "RiskPoints",
    "RiskReport",
    "build_risk_report",
    "recorded_scores",
]

RISK_REPORT_SCHEMA_VERSION = "1.1"
# What a court reads before it relies on a risk score, whatever the figures say.
RISK_CAUTIONS: tuple[Label, ...] = (
    Label(
        "风险评分是对具有相似特征群体的统计估计，不是对本人将会再犯的认定。",
        "A risk score is a statistical estimate for a group of people with similar features, not a finding that "
        "this person will reoffend.",
    ),
    Label(
        "风险评分不得作为决定刑罚轻重的决定性依据；法院应说明评分之外的量刑依据（刑法第61条；State v. Loomis, "
        "2016 WI 68）。",
        "A risk score may not be the determinative factor of a sentence; the court states the grounds it relies "
        "on besides the score (Criminal Law art. 61; State v. Loomis, 2016 WI 68).",
    ),
    Label(
        "厂商模型不公开：本报告中关于模型的回答来自替代模型，其忠实度见上表；工具记录的评分才是受质证的证据。",
        "The vendor's model is secret: answers about the model here come from a surrogate whose fidelity is "
        "shown; the score the tool recorded is the evidence under challenge.",
    ),
)
UNEXPLAINED_DECILES = 3  # recorded and surrogate this far apart: the public facts do not explain the score


@dataclass(frozen=True)
class PointsRow:
    """One row of the points table, whether it applies to this person, and the legal role of its fact."""

    term: PointsTerm
    holds: bool
    legal_role: str

    def to_dict(self) -> dict[str, Any]:
        return {**self.term.to_dict(), "holds": self.holds, "legal_role": self.legal_role}


@dataclass(frozen=True)
class RiskPoints:
    """The points table's rows for this person: the intercept and each term, held or not (exact parts)."""

    intercept: float
    terms: tuple[PointsRow, ...]

    @property
    def total(self) -> float:
        return self.intercept + sum(row.term.points for row in self.terms if row.holds)

    def to_dict(self) -> dict[str, Any]:
        return {"intercept": self.intercept, "total": self.total, "terms": [row.to_dict() for row in self.terms]}


@dataclass(frozen=True)
class RiskReport:
    """Either tier; in a standard one the deep-only parts (curves, search, sensitivity, findings) are empty."""

    tier: Tier
    case: RiskCase
    instrument: RiskInstrument
    model_name: str
    model_sha256: str | None
    caveat: Label | None
    fidelity: dict[str, Any] | None
    baseline: dict[str, Any] | None
    prediction: RiskWhatIf
    points: RiskPoints | None
    audit: ScoreAudit
    filter_steps: tuple[FilterStep, ...]
    priors_curve: RiskWhatIf | None
    age_curve: RiskWhatIf | None
    search: RiskSearchResult | None
    sensitivity: RiskSensitivity | None
    findings: tuple[Finding, ...]

    @property
    def deep(self) -> bool:
        return self.tier is Tier.DEEP

    def to_dict(self) -> dict[str, Any]:
        def optional(part: RiskWhatIf | RiskSearchResult | RiskSensitivity | RiskPoints | None) -> Any:
            return None if part is None else part.to_dict()

        return {
            "schema_version": RISK_REPORT_SCHEMA_VERSION, "kind": "risk_report", "tier": self.tier,
            "instrument": self.instrument.id, "case": self.case.to_document(),
            "model": {"name": self.model_name, "sha256": self.model_sha256},
            "caveat": None if self.caveat is None else self.caveat.to_mapping(),
            "fidelity": self.fidelity, "outcome_baseline": self.baseline,
            "prediction": self.prediction.to_dict(), "points": optional(self.points),
            "cautions": [c.to_mapping() for c in RISK_CAUTIONS],
            "recorded_score_audit": {**self.audit.to_dict(), "filter": [s.__dict__ for s in self.filter_steps]},
            "whatif_priors": optional(self.priors_curve), "whatif_age": optional(self.age_curve),
            "fewest_changes": optional(self.search), "sensitivity": optional(self.sensitivity),
            "findings": [_finding_json(f) for f in self.findings],
        }  # fmt: skip


def _curve(case: RiskCase, model: SentencingModel, instrument: RiskInstrument, curve: CurveSpec) -> RiskWhatIf:
    """What-if over the curve's fact within its span of the person's value, every step, inside the fact's range."""
    factor, step, span = curve.factor, curve.step, curve.span
    spec, current = instrument.factor(factor), int(case.value(factor))
    assert spec.minimum is not None and spec.maximum is not None
    low, high = max(int(spec.minimum), current - span), min(int(spec.maximum), current + span)
    values = sorted(set(range(low, high + 1, step)) - {current})
    return ask_risk_what_if(case, model, [(f"{factor}={v}", {factor: v}) for v in values], instrument)


def _finding_json(finding: Finding) -> dict[str, Any]:
    """A finding as the risk report's schema (1.0) holds it: whether it rests on the surrogate, not the query."""
    return {"kind": finding.kind.value, "severity": finding.severity.value,
            "on_surrogate": finding.basis is FindingBasis.SURROGATE,
            **{k: v.to_mapping() for k, v in
               (("title", finding.title), ("evidence", finding.evidence), ("question", finding.question))}}  # fmt: skip


def _tool_findings(audit: ScoreAudit, person_group: str) -> list[Finding]:
    """Findings on the tool's recorded scores over everyone (no model access): the person's group first."""
    out: list[Finding] = []
    for d in sorted(audit.disparities, key=lambda d: (d.group.group != person_group, d.group.group)):
        if not d.disparate_false_positives:
            continue
        g, base, times = d.group, d.reference, d.false_positive_times
        name, ref = audit.value_label(g.group), audit.value_label(base.group)
        out.append(
            Finding(
                kind=FindingKind.DISPARATE_FALSE_POSITIVES,
                severity=Severity.HIGH,
                title=Label(f"差别假阳性率：{name.zh}", f"Disparate false positive rate: {name.en}"),
                evidence=Label(
                    f"在两年内未再被捕的人中，{name.zh}被评为中高风险的比例为 {g.false_positive_rate:.1%}，"
                    f"{ref.zh}为 {base.false_positive_rate:.1%}（{times:.2f} 倍）；假阴性率分别为 "
                    f"{g.false_negative_rate:.1%} 与 {base.false_negative_rate:.1%}。",
                    f"Among people not re-arrested within two years, {g.false_positive_rate:.1%} of {name.en} "
                    f"defendants were rated Medium or High, against {base.false_positive_rate:.1%} of {ref.en} "
                    f"defendants ({times:.2f} times); false negative rates {g.false_negative_rate:.1%} and "
                    f"{base.false_negative_rate:.1%}.",
                ),
                question=Label(
                    "厂商如何解释该工具对不同种族群体的错误分布不同？法院是否应参考一个对被告所属群体误判更多的评分？",
                    "How does the vendor account for the tool erring differently by race, and should the court rely "
                    "on a score that errs more often against the defendant's group?",
                ),
                basis=FindingBasis.TOOL_RECORDS,
            )
        )
        if d.disparate_odds:
            ratio, likely = d.odds_ratio, d.relative_likelihood
            out.append(
                Finding(
                    kind=FindingKind.CONTROLLED_DISPARITY,
                    severity=Severity.HIGH,
                    title=Label(
                        f"控制其他事实后的差别：{name.zh}", f"Disparity with other facts held equal: {name.en}"
                    ),
                    evidence=Label(
                        f"控制前科、年龄、性别、罪行等级与实际是否再犯后，{name.zh}被评为中高风险的几率是{ref.zh}的 "
                        f"{ratio:.2f} 倍（约 {likely:.2f} 倍可能）。",
                        f"With priors, age, sex, charge degree and actual re-arrest held equal, {name.en} defendants "
                        f"had {ratio:.2f} times the odds of a Medium or High rating of {ref.en} defendants "
                        f"({likely:.2f} times as likely).",
                    ),
                    question=Label(
                        "若种族不是输入，何种输入造成了控制其他事实后仍存在的差别？",
                        "If race is not an input, which input carries the disparity that remains with the other facts "
                        "held equal?",
                    ),
                    basis=FindingBasis.TOOL_RECORDS,
                )
            )
    return out


def _person_findings(
    case: RiskCase,
    instrument: RiskInstrument,
    prediction: RiskWhatIf,
    sensitivity: RiskSensitivity,
    search: RiskSearchResult | None,
    people: dict[str, int],
    baseline: dict[str, Any] | None,
) -> list[Finding]:
    """Findings on this person; those drawn from the model say so when it is a surrogate (it has a caveat)."""
    out: list[Finding] = []
    # What the model's answers are evidence of: a surrogate's (it carries a caveat), or the model's own.
    model_basis = FindingBasis.SURROGATE if prediction.caveat is not None else FindingBasis.MODEL
    recorded = case.recorded
    point = prediction.baseline
    if recorded is not None and abs(recorded.decile - point.decile) >= UNEXPLAINED_DECILES:
        out.append(
            Finding(
                kind=FindingKind.SCORE_UNEXPLAINED_BY_PUBLIC_FACTS,
                severity=Severity.HIGH,
                title=Label("公开事实无法解释本人的评分", "The public facts do not explain this person's score"),
                evidence=Label(
                    f"工具记录的评分为 {recorded.decile}（{recorded.class_id}），依据公开事实拟合的替代模型给出 "
                    f"{point.decile}（{point.risk_class}），相差 {abs(recorded.decile - point.decile)} 个十分位。",
                    f"The tool recorded {recorded.decile} ({recorded.class_id}); the surrogate fitted on the public "
                    f"facts gives {point.decile} ({point.risk_class}), {abs(recorded.decile - point.decile)} deciles "
                    "apart.",
                ),
                question=Label(
                    "本人评分依据了哪些未公开的问卷答案？请出示这些答案及其权重。",
                    "Which undisclosed questionnaire answers produced this person's score? Produce the answers and "
                    "their weights.",
                ),
                basis=model_basis,
            )
        )
    for probe in sensitivity.flagged:
        change = probe.changes[0]
        behind = people.get(f"{change.factor}={change.after}", 0)
        if behind < MIN_GROUP:
            continue
        spec = instrument.factor(change.factor)
        before, after = instrument.value_label(spec.id, change.before), instrument.value_label(spec.id, change.after)
        out.append(
            Finding(
                kind=FindingKind.IRRELEVANT_INPUT_MOVES_SURROGATE,
                severity=Severity.MEDIUM,
                title=Label(
                    f"法律上无关的因素（{spec.label.zh}）改变评分",
                    f"A legally irrelevant input ({spec.label.en}) moves the score",
                ),
                evidence=Label(
                    f"仅将{spec.label.zh}由“{before.zh}”改为“{after.zh}”，替代模型评分变化 {probe.delta:+.2f}"
                    f"（{prediction.baseline.decile} → {probe.point.decile}，{probe.point.risk_class}）；"
                    f"该类别数据中有 {behind:,} 人。",
                    f"Changing only {spec.label.en} from {before.en} to {after.en} moves the surrogate's score by "
                    f"{probe.delta:+.2f} ({prediction.baseline.decile} → {probe.point.decile}, "
                    f"{probe.point.risk_class}); {behind:,} people in the data are in that category.",
                ),
                question=Label(
                    "厂商记录的评分在其他事实相同的情况下为何随该因素变化？哪些输入与之相关？",
                    "Why do the vendor's recorded scores vary with this input when the other public facts are equal, "
                    "and which inputs stand in for it?",
                ),
                basis=model_basis,
            )
        )
    if search is not None and search.fewest_changes == 1 and search.answers:
        answer = search.answers[0]
        change = answer.changes[0]
        name = instrument.factor_label(change.factor)
        out.append(
            Finding(
                kind=FindingKind.ONE_DISPUTED_FACT_CHANGES_CLASS,
                severity=Severity.MEDIUM,
                title=Label(
                    f"一项可争议事实即可改变风险等级（{name.zh}）", f"One disputable fact changes the class ({name.en})"
                ),
                evidence=Label(
                    f"将{name.zh}由 {change.before} 改为 {change.after}，替代模型给出 {answer.point.decile}"
                    f"（{answer.point.risk_class}）。",
                    f"With {name.en} {change.before} → {change.after}, the surrogate gives {answer.point.decile} "
                    f"({answer.point.risk_class}).",
                ),
                question=Label(
                    "该事实的记录是否准确？请核对原始记录。",
                    "Is the record of this fact correct? Check it against the source record.",
                ),
                basis=model_basis,
            )
        )
    if baseline is not None and baseline["baseline_auc_cross_validated"] >= baseline["recorded_score_auc"] - 0.01:
        b, r = baseline["baseline_auc_cross_validated"], baseline["recorded_score_auc"]
        out.append(
            Finding(
                kind=FindingKind.SIMPLE_BASELINE_AS_ACCURATE,
                severity=Severity.LOW,
                title=Label("简单模型的预测准确度不低于该工具", "A simple model predicts as well as the tool"),
                evidence=Label(
                    f"仅用公开的合法事实（年龄、前科、未成年记录、罪行等级）的逻辑回归，交叉验证 AUC 为 {b:.3f}；"
                    f"工具评分在同一人群上的 AUC 为 {r:.3f}。",
                    f"A logistic regression on the lawful public facts alone (age, priors, juvenile record, charge "
                    f"degree) has a cross-validated AUC of {b:.3f}; the tool's score on the same people {r:.3f}.",
                ),
                question=Label(
                    "不公开的问卷项目为预测增加了什么？",
                    "What do the undisclosed questionnaire items add to the prediction?",
                ),
                basis=FindingBasis.TOOL_RECORDS,
            )
        )
    return out


def recorded_scores(model: SentencingModel, instrument: RiskInstrument) -> tuple[pd.DataFrame, tuple[FilterStep, ...]]:
    """The tool's recorded scores the model carries (a surrogate's ``training-data/``), after the published filter."""
    data = model.training_data
    if data is None:
        raise ModelLoadError(model.identity.source, "the risk report audits the tool's recorded scores, and only a "
                             "surrogate fitted to them carries them (expected one CSV in training-data/ beside it; "
                             "refit with `voirdire risk surrogate`)")  # fmt: skip
    data.read()  # the bytes the card names, or IntegrityError
    return filter_records(read_records(data.path, instrument.records), instrument.records)


def _points(case: RiskCase, model: SentencingModel, instrument: RiskInstrument) -> RiskPoints | None:
    table = model.points_table
    if table is None:
        return None  # only a points table has exact parts; another model's score is shown whole
    roles = {spec.id: spec.legal_role.value for spec in instrument.catalogue.factors}
    held = table.parts(risk_frame([case], instrument))
    return RiskPoints(table.intercept, tuple(
        PointsRow(t, holds, roles.get(t.factor, LegalRole.LIABILITY.value))
        for t, holds in held
    ))  # fmt: skip


def build_risk_report(
    case: RiskCase,
    model: SentencingModel,
    records: pd.DataFrame,
    filter_steps: Sequence[FilterStep] = (),
    *,
    instrument: RiskInstrument | None = None,
    tier: Tier = Tier.DEEP,
) -> RiskReport:
    """Everything the risk report of ``tier`` shows, computed once.

    ``records``: the tool's recorded scores and outcomes for everyone (already filtered, e.g. by
    ``sentencing.compas.propublica_filter``); they give the audit and how many people stand behind
    each category a finding names.
    """
    if tier not in tuple(Tier):
        raise ValueError(f"tier {tier!r}: one of {', '.join(Tier)}")
    tier = Tier(tier)
    instrument = instrument or load_instrument(case.instrument)
    prediction = ask_risk_what_if(case, model, [], instrument)
    audit = audit_recorded_scores(records, instrument)
    card = model.card or {}
    standard = RiskReport(
        tier=Tier.STANDARD, case=case, instrument=instrument, model_name=model.identity.name,
        model_sha256=model.identity.sha256, caveat=prediction.caveat, fidelity=card.get("fidelity"),
        baseline=card.get("baseline"), prediction=prediction, points=_points(case, model, instrument), audit=audit,
        filter_steps=tuple(filter_steps), priors_curve=None, age_curve=None, search=None, sensitivity=None,
        findings=(),
    )  # fmt: skip
    if tier is Tier.STANDARD:
        return standard
    priors_curve = _curve(case, model, instrument, instrument.curve("whatif_priors"))
    age_curve = _curve(case, model, instrument, instrument.curve("whatif_age"))
    lowest = instrument.scale.classes[0].id
    search = None
    if prediction.baseline.risk_class != lowest:
        search = find_risk_changes(case, model, lowest, instrument=instrument, max_changes=2, answers=3)
    sensitivity = probe_risk_irrelevant(case, model, instrument=instrument)
    people = {f"{spec.id}={value}": int(count) for spec in instrument.catalogue.with_role(LegalRole.LEGALLY_IRRELEVANT)
              for value, count in records[spec.id].value_counts().items()}  # fmt: skip
    findings = _tool_findings(audit, str(case.value(audit.group_column))) + _person_findings(
        case, instrument, prediction, sensitivity, search, people, card.get("baseline")
    )
    return replace(standard, tier=Tier.DEEP, priors_curve=priors_curve, age_curve=age_curve, search=search,
                   sensitivity=sensitivity, findings=tuple(findings))  # fmt: skip
