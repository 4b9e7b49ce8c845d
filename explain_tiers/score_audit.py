"""Auditing a tool's recorded scores without model access: error rates, calibration, AUC, a controlled comparison.

Input: one row per person with the tool's recorded score (a decile 1-10 and its class Low /
Medium / High), the outcome later observed (re-offended within two years) and the person's
group. "Flagged" means the class is not Low (deciles 5-10), as in ProPublica's analysis. For each
group: the base rate, false positive and false negative rates, positive and negative predictive
values, AUC of the decile, and the observed rate per decile (calibration). The controlled
comparison is the published logistic regression: flagged ~ sex + age band + group + priors +
charge degree + outcome, reported as odds ratios against the reference levels.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import rankdata
from sklearn.linear_model import LogisticRegression

from sentencing.errors import InputError, Rule
from sentencing.i18n import Label
from sentencing.risk import RecordsLayout, RiskInstrument

__all__ = [
    "MIN_GROUP",
    "CalibrationBin",
    "ControlledComparison",
    "Disparity",
    "GroupErrorRates",
    "ScoreAudit",
    "auc",
    "audit_recorded_scores",
]

SCHEMA_VERSION = "1.0"
# When a finding is made: groups this small are shown but found nothing on; the ratios that count as disparate.
MIN_GROUP = 100
DISPARATE_FPR_TIMES = 1.25
DISPARATE_ODDS_RATIO = 1.2


@dataclass(frozen=True)
class GroupErrorRates:
    group: str
    people: int
    base_rate: float  # share who re-offended
    flagged_rate: float  # share the tool put above Low
    false_positive_rate: float  # flagged among those who did not re-offend
    false_negative_rate: float  # not flagged among those who did
    positive_predictive_value: float
    negative_predictive_value: float
    auc: float

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


@dataclass(frozen=True)
class CalibrationBin:
    group: str
    decile: int
    people: int
    observed_rate: float


@dataclass(frozen=True)
class ControlledComparison:
    """The published logistic regression: each term's coefficient and odds ratio against the reference level."""

    formula: str
    rows: int
    terms: tuple[tuple[str, float, float], ...]  # (term, coefficient, odds ratio)

    def odds_ratio(self, term: str) -> float:
        for name, _, ratio in self.terms:
            if name == term:
                return ratio
        raise KeyError(term)

    def relative_likelihood(self, term: str) -> float:
        """ProPublica's "x times as likely": the odds ratio turned into a ratio of probabilities at the baseline."""
        baseline = self.odds_ratio("(intercept)")
        control = baseline / (1 + baseline)
        ratio = self.odds_ratio(term)
        return ratio / (1 - control + control * ratio)


@dataclass(frozen=True)
class Disparity:
    """One group (of ``MIN_GROUP`` people or more) against the reference group: what the findings rest on."""

    group: GroupErrorRates
    reference: GroupErrorRates
    false_positive_times: float  # the group's false positive rate over the reference's
    odds_ratio: float | None  # the controlled comparison's, when the model has the group's term
    relative_likelihood: float | None

    @property
    def disparate_false_positives(self) -> bool:
        return self.false_positive_times >= DISPARATE_FPR_TIMES

    @property
    def disparate_odds(self) -> bool:
        return self.odds_ratio is not None and self.odds_ratio >= DISPARATE_ODDS_RATIO


@dataclass(frozen=True)
class ScoreAudit:
    group_column: str
    rows: int
    groups: tuple[GroupErrorRates, ...]
    calibration: tuple[CalibrationBin, ...]
    comparison: ControlledComparison
    findings: tuple[Label, ...]
    disparities: tuple[Disparity, ...]
    flagged_means: str
    layout: RecordsLayout  # the data's column names and value labels (from the instrument)

    def group(self, name: str) -> GroupErrorRates:
        return next(g for g in self.groups if g.group == name)

    def value_label(self, value: str) -> Label:
        """A group or value of the data as a court reads it."""
        return self.layout.value_label(value)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": SCHEMA_VERSION,
            "group_column": self.group_column,
            "rows": self.rows,
            "flagged_means": self.flagged_means,
            "groups": [g.to_dict() for g in self.groups],
            "calibration": [b.__dict__ for b in self.calibration],
            "controlled_comparison": {"formula": self.comparison.formula, "rows": self.comparison.rows,
                                      "terms": [{"term": t, "coefficient": c, "odds_ratio": r,
                                                 "relative_likelihood": self.comparison.relative_likelihood(t)
                                                 if t != "(intercept)" else None}
                                                for t, c, r in self.comparison.terms]},
            "findings": [f.to_mapping() for f in self.findings],
        }  # fmt: skip


def auc(scores: Sequence[float] | np.ndarray, outcomes: Sequence[int] | np.ndarray) -> float:
    """Probability that a random re-offender scored above a random non-re-offender (ties count half)."""
    values, labels = np.asarray(scores, dtype=float), np.asarray(outcomes, dtype=bool)
    positives, negatives = int(labels.sum()), int((~labels).sum())
    if positives == 0 or negatives == 0:
        return float("nan")
    ranks = rankdata(values)  # midranks for ties
    return float((ranks[labels].sum() - positives * (positives + 1) / 2) / (positives * negatives))


def _rates(group: str, frame: pd.DataFrame, layout: RecordsLayout, lowest: str) -> GroupErrorRates:
    flagged = frame[layout.score_class] != lowest
    outcome = frame[layout.outcome] == 1
    tp, fp = int((flagged & outcome).sum()), int((flagged & ~outcome).sum())
    fn, tn = int((~flagged & outcome).sum()), int((~flagged & ~outcome).sum())

    def ratio(a: int, b: int) -> float:
        return a / b if b else float("nan")

    return GroupErrorRates(
        group=group, people=len(frame), base_rate=ratio(tp + fn, len(frame)), flagged_rate=ratio(tp + fp, len(frame)),
        false_positive_rate=ratio(fp, fp + tn), false_negative_rate=ratio(fn, fn + tp),
        positive_predictive_value=ratio(tp, tp + fp), negative_predictive_value=ratio(tn, tn + fn),
        auc=auc(frame[layout.score].to_numpy(), outcome.to_numpy()),
    )  # fmt: skip


def _design(
    frame: pd.DataFrame, layout: RecordsLayout, group_column: str, lowest: str
) -> tuple[pd.DataFrame, np.ndarray]:
    columns: dict[str, Any] = {}
    categories, numbers = layout.comparison_columns(group_column)
    for column in categories:
        reference = layout.reference_level(column)
        levels = sorted(frame[column].unique())
        if reference not in levels:
            raise InputError(f"{column}", Rule.MISSING_REQUIRED, f"the reference level {reference!r} is absent")
        for level in levels:
            if level != reference:
                columns[f"{column}={level}"] = (frame[column] == level).astype(float)
    for column in numbers:
        columns[column] = frame[column].astype(float)
    return pd.DataFrame(columns), (frame[layout.score_class] != lowest).to_numpy(dtype=int)


def _controlled(frame: pd.DataFrame, layout: RecordsLayout, group_column: str, lowest: str) -> ControlledComparison:
    design, flagged = _design(frame, layout, group_column, lowest)
    model = LogisticRegression(C=np.inf, solver="newton-cg", tol=1e-12, max_iter=1000)
    model.fit(design.to_numpy(), flagged)
    terms = [("(intercept)", float(model.intercept_[0]), float(np.exp(model.intercept_[0])))]
    terms += [(name, float(c), float(np.exp(c))) for name, c in zip(design.columns, model.coef_[0], strict=True)]
    return ControlledComparison(layout.formula.replace("{group}", group_column), len(frame), tuple(terms))


def _disparities(groups: tuple[GroupErrorRates, ...], comparison: ControlledComparison, group_column: str,
                 reference: str) -> tuple[Disparity, ...]:  # fmt: skip
    base = next((g for g in groups if g.group == reference), None)
    if base is None:
        return ()
    out = []
    for g in groups:
        if g.group == reference or g.people < MIN_GROUP:
            continue
        times = g.false_positive_rate / base.false_positive_rate if base.false_positive_rate else float("inf")
        term = f"{group_column}={g.group}"
        has_term = any(t[0] == term for t in comparison.terms)
        out.append(Disparity(
            g, base, times, comparison.odds_ratio(term) if has_term else None,
            comparison.relative_likelihood(term) if has_term else None,
        ))  # fmt: skip
    return tuple(out)


def _findings(disparities: tuple[Disparity, ...], layout: RecordsLayout) -> tuple[Label, ...]:
    findings: list[Label] = []
    for d in disparities:
        g, base = d.group, d.reference
        name, ref = layout.value_label(g.group), layout.value_label(base.group)
        if d.disparate_false_positives:
            findings.append(Label(
                f"差别误判：{name.zh}中未再犯者被评为中高风险的比例（假阳性率）为 {g.false_positive_rate:.1%}，"
                f"{ref.zh}为 {base.false_positive_rate:.1%}（{d.false_positive_times:.2f} 倍）。",
                f"Disparate false positives: among {name.en} defendants who did not re-offend, "
                f"{g.false_positive_rate:.1%} were rated medium or high risk, against {base.false_positive_rate:.1%} "
                f"of {ref.en} defendants ({d.false_positive_times:.2f} times).",
            ))  # fmt: skip
        if d.disparate_odds:
            findings.append(Label(
                f"控制前科、年龄、性别、罪行等级与实际是否再犯后，{name.zh}被评为中高风险的几率（odds）是{ref.zh}的 "
                f"{d.odds_ratio:.2f} 倍（换算为可能性约 {d.relative_likelihood:.2f} 倍）。",
                f"With priors, age, sex, charge degree and actual re-offending held equal, {name.en} defendants had "
                f"{d.odds_ratio:.2f} times the odds of a medium or high rating of {ref.en} defendants "
                f"({d.relative_likelihood:.2f} times as likely).",
            ))  # fmt: skip
    return tuple(findings)


def audit_recorded_scores(
    frame: pd.DataFrame, instrument: RiskInstrument, *, group_column: str | None = None, min_group: int = 1
) -> ScoreAudit:
    """Error rates by group, calibration by score, and the controlled comparison on recorded scores.

    Every column comes from the instrument's records layout; ``group_column`` defaults to its first group.
    """
    layout = instrument.records
    group_column = group_column or layout.groups[0]
    if group_column not in layout.groups:
        raise InputError(f"group {group_column!r}", Rule.NOT_ALLOWED_VALUE, f"one of {', '.join(layout.groups)}")
    missing = layout.needed_for_audit(group_column) - set(frame.columns)
    if missing:
        raise InputError(f"columns {sorted(missing)}", Rule.MISSING_REQUIRED, "needed for the audit")
    scale = instrument.scale
    lowest = scale.classes[0].id
    groups = tuple(
        _rates(str(name), part, layout, lowest)
        for name, part in sorted(frame.groupby(group_column), key=lambda item: str(item[0]))
        if len(part) >= min_group
    )  # fmt: skip
    calibration = tuple(
        CalibrationBin(str(group), int(decile), len(part), float((part[layout.outcome] == 1).mean()))
        for (group, decile), part in sorted(frame.groupby([group_column, layout.score]),
                                            key=lambda item: (str(item[0][0]), item[0][1]))
    )  # fmt: skip
    comparison = _controlled(frame, layout, group_column, lowest)
    reference = layout.reference_level(group_column) or (groups[0].group if groups else "")
    disparities = _disparities(groups, comparison, group_column, reference)
    flagged = scale.classes[1:]
    flagged_means = (f"{layout.score_class} is {' or '.join(c.id for c in flagged)} "
                     f"({scale.unit.en} {flagged[0].low}-{scale.maximum})")  # fmt: skip
    return ScoreAudit(group_column, len(frame), groups, calibration, comparison, _findings(disparities, layout),
                      disparities, flagged_means, layout)  # fmt: skip
