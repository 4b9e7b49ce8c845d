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

from sentencing.errors import InputError
from sentencing.i18n import Label

__all__ = [
    "GROUP_LABELS",
    "MIN_GROUP",
    "REFERENCE_LEVELS",
    "CalibrationBin",
    "ControlledComparison",
    "Disparity",
    "GroupErrorRates",
    "ScoreAudit",
    "auc",
    "audit_recorded_scores",
    "group_label",
]

SCHEMA_VERSION = "1.0"
# The published model's reference levels: its odds ratios compare each level with these.
# When a finding is made: groups this small are shown but found nothing on; the ratios that count as disparate.
MIN_GROUP = 100
DISPARATE_FPR_TIMES = 1.25
DISPARATE_ODDS_RATIO = 1.2
REFERENCE_LEVELS = {"sex": "Male", "age_cat": "25 - 45", "race": "Caucasian", "c_charge_degree": "F"}
# The data's own values, with the Chinese a court reads beside them.
GROUP_LABELS = {
    "African-American": Label("非裔美国人", "African-American"), "Caucasian": Label("白人", "Caucasian"),
    "Hispanic": Label("西班牙裔", "Hispanic"), "Asian": Label("亚裔", "Asian"),
    "Native American": Label("美洲原住民", "Native American"), "Other": Label("其他", "Other"),
    "Male": Label("男性", "Male"), "Female": Label("女性", "Female"),
    "Less than 25": Label("25岁以下", "Less than 25"), "25 - 45": Label("25至45岁", "25 - 45"),
    "Greater than 45": Label("45岁以上", "Greater than 45"),
}  # fmt: skip


def group_label(value: str) -> Label:
    known = GROUP_LABELS.get(value)
    return Label(f"{known.zh}（{value}）", value) if known else Label(value, value)


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
    disparities: tuple[Disparity, ...] = ()

    def group(self, name: str) -> GroupErrorRates:
        return next(g for g in self.groups if g.group == name)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": SCHEMA_VERSION,
            "group_column": self.group_column,
            "rows": self.rows,
            "flagged_means": "score_text is Medium or High (decile 5-10)",
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


def _rates(group: str, frame: pd.DataFrame) -> GroupErrorRates:
    flagged = frame["score_text"] != "Low"
    outcome = frame["two_year_recid"] == 1
    tp, fp = int((flagged & outcome).sum()), int((flagged & ~outcome).sum())
    fn, tn = int((~flagged & outcome).sum()), int((~flagged & ~outcome).sum())

    def ratio(a: int, b: int) -> float:
        return a / b if b else float("nan")

    return GroupErrorRates(
        group=group, people=len(frame), base_rate=ratio(tp + fn, len(frame)), flagged_rate=ratio(tp + fp, len(frame)),
        false_positive_rate=ratio(fp, fp + tn), false_negative_rate=ratio(fn, fn + tp),
        positive_predictive_value=ratio(tp, tp + fp), negative_predictive_value=ratio(tn, tn + fn),
        auc=auc(frame["decile_score"].to_numpy(), outcome.to_numpy()),
    )  # fmt: skip


def _design(frame: pd.DataFrame, group_column: str) -> tuple[pd.DataFrame, np.ndarray]:
    columns: dict[str, Any] = {}
    for column in dict.fromkeys(("sex", "age_cat", group_column, "c_charge_degree")):
        reference = REFERENCE_LEVELS.get(column)
        levels = sorted(frame[column].unique())
        if reference not in levels:
            raise InputError(f"{column}: the reference level {reference!r} is absent [missing_required_fact]")
        for level in levels:
            if level != reference:
                columns[f"{column}={level}"] = (frame[column] == level).astype(float)
    columns["priors_count"] = frame["priors_count"].astype(float)
    columns["two_year_recid"] = frame["two_year_recid"].astype(float)
    return pd.DataFrame(columns), (frame["score_text"] != "Low").to_numpy(dtype=int)


def _controlled(frame: pd.DataFrame, group_column: str) -> ControlledComparison:
    design, flagged = _design(frame, group_column)
    model = LogisticRegression(C=np.inf, solver="newton-cg", tol=1e-12, max_iter=1000)
    model.fit(design.to_numpy(), flagged)
    terms = [("(intercept)", float(model.intercept_[0]), float(np.exp(model.intercept_[0])))]
    terms += [(name, float(c), float(np.exp(c))) for name, c in zip(design.columns, model.coef_[0], strict=True)]
    formula = f"flagged ~ sex + age_cat + {group_column} + priors_count + c_charge_degree + two_year_recid"
    return ControlledComparison(formula, len(frame), tuple(terms))


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


def _findings(disparities: tuple[Disparity, ...]) -> tuple[Label, ...]:
    findings: list[Label] = []
    for d in disparities:
        g, base, name, ref = d.group, d.reference, group_label(d.group.group), group_label(d.reference.group)
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


def audit_recorded_scores(frame: pd.DataFrame, *, group_column: str = "race", min_group: int = 1) -> ScoreAudit:
    """Error rates by group, calibration by decile, and the controlled comparison on recorded scores."""
    needed = {"sex", "age_cat", group_column, "priors_count", "c_charge_degree", "decile_score", "score_text",
              "two_year_recid"}  # fmt: skip
    missing = needed - set(frame.columns)
    if missing:
        raise InputError(f"columns {sorted(missing)}: needed for the audit [missing_required_fact]")
    groups = tuple(
        _rates(str(name), part) for name, part in sorted(frame.groupby(group_column), key=lambda item: str(item[0]))
        if len(part) >= min_group
    )  # fmt: skip
    calibration = tuple(
        CalibrationBin(str(group), int(decile), len(part), float((part["two_year_recid"] == 1).mean()))
        for (group, decile), part in sorted(frame.groupby([group_column, "decile_score"]),
                                            key=lambda item: (str(item[0][0]), item[0][1]))
    )  # fmt: skip
    comparison = _controlled(frame, group_column)
    reference = REFERENCE_LEVELS.get(group_column, groups[0].group if groups else "")
    disparities = _disparities(groups, comparison, group_column, reference)
    return ScoreAudit(group_column, len(frame), groups, calibration, comparison, _findings(disparities),
                      disparities)  # fmt: skip
