"""The recorded-score audit on ProPublica's COMPAS data, against a reference computed here independently."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from explain_tiers.score_audit import auc, audit_recorded_scores
from sentencing.compas import load_compas, propublica_filter
from sentencing.risk import load_instrument


@pytest.fixture(scope="module")
def filtered(compas_csv) -> pd.DataFrame:
    frame, _ = propublica_filter(load_compas(compas_csv))
    return frame


@pytest.fixture(scope="module")
def audit(filtered):
    return audit_recorded_scores(filtered, load_instrument())


def test_the_filter_keeps_propublicas_6172_rows_and_counts_each_condition(compas_csv) -> None:
    raw = pd.read_csv(compas_csv)
    reference = raw[(raw.days_b_screening_arrest <= 30) & (raw.days_b_screening_arrest >= -30) & (raw.is_recid != -1)
                    & (raw.c_charge_degree != "O") & (raw.score_text != "N/A")]  # fmt: skip
    kept, steps = propublica_filter(load_compas(compas_csv))
    assert len(raw) == 7214 and len(kept) == len(reference) == 6172
    assert [s.removed for s in steps] == [591, 451, 0, 0, 0] and steps[-1].remaining == 6172
    assert kept["id"].tolist() == reference["id"].tolist()


def test_error_rates_by_group_match_a_plain_pandas_reference(filtered, audit) -> None:
    for race, part in filtered.groupby("race"):
        high, recid = part.score_text.isin(["Medium", "High"]), part.two_year_recid.eq(1)
        table = pd.crosstab(high, recid)
        tp = table.loc[True, True] if (True in table.index and True in table.columns) else 0
        fp = table.loc[True, False] if True in table.index and False in table.columns else 0
        fn = table.loc[False, True] if False in table.index and True in table.columns else 0
        tn = table.loc[False, False] if False in table.index and False in table.columns else 0
        got = audit.group(race)
        assert got.people == len(part)
        assert got.base_rate == recid.mean()
        assert got.false_positive_rate == fp / (fp + tn)
        assert got.false_negative_rate == fn / (fn + tp)
        assert got.positive_predictive_value == tp / (tp + fp)
        assert got.negative_predictive_value == tn / (tn + fn)
    # The published disparity, in the figures the report prints (one decimal of a percent):
    black, white = audit.group("African-American"), audit.group("Caucasian")
    assert (f"{black.false_positive_rate:.1%}", f"{white.false_positive_rate:.1%}") == ("42.3%", "22.0%")
    assert (f"{black.false_negative_rate:.1%}", f"{white.false_negative_rate:.1%}") == ("28.5%", "49.6%")


def test_auc_and_calibration_match_the_reference(filtered, audit) -> None:
    for race, part in filtered.groupby("race"):
        positives = part.loc[part.two_year_recid == 1, "decile_score"].to_numpy()[:, None]
        negatives = part.loc[part.two_year_recid == 0, "decile_score"].to_numpy()[None, :]
        pairs = (positives > negatives).sum() + 0.5 * (positives == negatives).sum()
        reference = pairs / (positives.size * negatives.size)
        assert audit.group(race).auc == pytest.approx(reference, abs=1e-12)
        observed = part.groupby("decile_score")["two_year_recid"].mean()
        mine = {b.decile: b.observed_rate for b in audit.calibration if b.group == race}
        assert mine == pytest.approx(observed.to_dict(), abs=1e-15)
    assert math.isnan(auc([1, 2, 3], [0, 0, 0]))  # undefined without both outcomes


def _newton_logistic(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Unpenalised logistic regression by Newton-Raphson (what R's glm computes), written out here."""
    beta = np.zeros(x.shape[1])
    for _ in range(50):
        p = 1 / (1 + np.exp(-x @ beta))
        step = np.linalg.solve(x.T @ (x * (p * (1 - p))[:, None]), x.T @ (y - p))
        beta += step
        if np.abs(step).max() < 1e-12:
            break
    return beta


def test_the_controlled_comparison_matches_newton_raphson_and_the_published_model(filtered, audit) -> None:
    columns = {"(intercept)": np.ones(len(filtered))}
    for column, reference in (("sex", "Male"), ("age_cat", "25 - 45"), ("race", "Caucasian"), ("c_charge_degree", "F")):
        for level in sorted(set(filtered[column]) - {reference}):
            columns[f"{column}={level}"] = (filtered[column] == level).astype(float).to_numpy()
    columns["priors_count"] = filtered["priors_count"].astype(float).to_numpy()
    columns["two_year_recid"] = filtered["two_year_recid"].astype(float).to_numpy()
    x = np.column_stack(list(columns.values()))
    beta = _newton_logistic(x, (filtered.score_text != "Low").to_numpy(dtype=float))
    reported = {term: coefficient for term, coefficient, _ in audit.comparison.terms}
    assert list(reported) == list(columns)
    for term, expected in zip(columns, beta, strict=True):
        assert f"{reported[term]:.5f}" == f"{expected:.5f}", term  # the five decimals the report prints
        assert f"{audit.comparison.odds_ratio(term):.3f}" == f"{np.exp(expected):.3f}", term
    # ProPublica's published model: race coefficient 0.47721, "45 percent more likely".
    assert f"{reported['race=African-American']:.5f}" == "0.47721"
    assert f"{audit.comparison.relative_likelihood('race=African-American'):.2f}" == "1.45"


def test_the_findings_name_the_disparate_false_positive_rate_in_both_languages(audit) -> None:
    texts = [(f.zh, f.en) for f in audit.findings]
    assert any("假阳性率" in zh and "42.3%" in zh and "非裔美国人" in zh and "Disparate false positives" in en
               and "1.92 times" in en for zh, en in texts)  # fmt: skip
    assert any("1.61 times the odds" in en and "1.45 times as likely" in en for _, en in texts)
    assert not any("Hispanic" in en for _, en in texts)  # no disparity against white defendants is claimed for them


def test_every_column_the_audit_reads_comes_from_the_instruments_json(filtered, audit, tmp_path) -> None:
    """Rename every recorded-data column in the instrument's JSON and in the data: the same audit, figure for figure."""
    from sentencing.files import read_data_document
    from sentencing.records import filter_records, read_records
    from sentencing.risk import parse_instrument

    document, _ = read_data_document("data/instruments/compas-recidivism.json", None, "the instrument")
    renamed = {"race": "ethnic_group", "sex": "gender", "age_cat": "age_band", "priors_count": "prior_offences",
               "c_charge_degree": "charge_class", "decile_score": "recorded_decile", "score_text": "recorded_band",
               "two_year_recid": "rearrested", "id": "person", "days_b_screening_arrest": "days_to_screening",
               "is_recid": "recidivism_known"}  # fmt: skip
    text = json.dumps(document["records"])
    for old, new in renamed.items():
        text = text.replace(f'"{old}"', f'"{new}"').replace(f"{{{old}}}", f"{{{new}}}").replace(f" {old} ", f" {new} ")
    document["records"] = json.loads(text)
    instrument = parse_instrument(document, "a renamed instrument")
    assert instrument.records.score == "recorded_decile" and instrument.records.groups[0] == "ethnic_group"
    data = tmp_path / "renamed.csv"
    filtered.rename(columns=renamed).to_csv(data, index=False)
    again, steps = filter_records(read_records(data, instrument.records), instrument.records)
    assert len(again) == len(filtered) and [s.removed for s in steps] == [0] * len(steps)
    other = audit_recorded_scores(again, instrument)
    assert other.group_column == "ethnic_group" and other.rows == audit.rows
    assert [g.to_dict() for g in other.groups] == [g.to_dict() for g in audit.groups]
    np.testing.assert_allclose([t[1:] for t in other.comparison.terms], [t[1:] for t in audit.comparison.terms])
    assert other.flagged_means == "recorded_band is Medium or High (decile 5-10)"
