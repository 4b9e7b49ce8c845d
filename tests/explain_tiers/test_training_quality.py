"""Training judgments held against the law (issue 19, item 7): outside the statute, beyond the ±20% band, unreadable."""

from __future__ import annotations

import pandas as pd
import pytest

from explain_tiers.population import population_of
from explain_tiers.render import render_html
from explain_tiers.report import build_deep_report
from explain_tiers.training_quality import assess_training_data
from sentencing.case import parse_case
from sentencing.guideline import derive_sentence
from tests.explain_tiers.test_attribution_check import _as_document
from tests.hearing.store_fixtures import bundled_document


@pytest.fixture(scope="module")
def judgments(small_adapter) -> pd.DataFrame:
    frame = population_of(small_adapter).frame
    assert "sentence_months" in frame.columns
    return frame.iloc[:300].reset_index(drop=True)


def _place(months: float, derivation) -> str:
    limits, band = derivation.sentence_limits, derivation.judicial_band
    if not limits.low <= months <= limits.high:
        return "outside"
    return "lenient" if months < band.low else "severe" if months > band.high else "inside"


def test_planted_judgments_outside_the_law_are_counted(judgments) -> None:
    clean = assess_training_data(judgments)
    assert clean is not None and clean.rows == clean.sampled == 300 and clean.unreadable == 0
    assert clean.outside_statutory == 0  # the synthetic judgments keep the statute
    planted = judgments.astype({"charge": object, "sentence_months": float})
    base = parse_case(bundled_document())
    theft = [(i, derive_sentence(parse_case(_as_document(base, planted.loc[i]))))
             for i in planted.index[planted["charge"] == "theft"]]  # fmt: skip
    severe_rows = [i for i, _ in theft[:3]]
    lenient_rows = [(i, d) for i, d in theft[3:] if d.judicial_band.low - d.sentence_limits.low >= 0.5][:3]
    before = [_place(planted.loc[i, "sentence_months"], d) for i, d in lenient_rows]
    planted.loc[severe_rows, "sentence_months"] = 500.0  # far above any theft range of these facts
    for i, d in lenient_rows:  # below the band, inside the statute: grossly lenient
        planted.loc[i, "sentence_months"] = (d.judicial_band.low + d.sentence_limits.low) / 2
    taken = set(severe_rows) | {i for i, _ in lenient_rows}
    unreadable = next(i for i, _ in reversed(theft) if i not in taken)  # a theft whose charge is then garbled
    planted.loc[unreadable, "charge"] = "no_such_charge"
    last_place = _place(
        judgments.loc[unreadable, "sentence_months"],
        derive_sentence(parse_case(_as_document(base, judgments.loc[unreadable]))),
    )
    found = assess_training_data(planted)
    assert found is not None
    assert found.outside_statutory == 3
    assert found.lenient == clean.lenient + 3 - before.count("lenient") - (last_place == "lenient")
    assert found.unreadable == 1 and found.checked == 299
    assert set(planted.loc[severe_rows, "case_id"]) <= set(found.examples)  # the first ones named
    assert "3 outside the statutory limits" in found.summary().en and "畸轻" in found.summary().zh


def test_a_large_file_is_checked_evenly_and_says_so(judgments) -> None:
    quality = assess_training_data(judgments, limit=100)
    assert quality is not None and quality.sampled == 100 and quality.rows == 300
    assert "(one in every 3, 100 checked)" in quality.summary().en
    assert "抽查其中 100 件" in quality.summary().zh


def test_the_deep_report_states_the_training_judgments_quality(small_adapter, hukou_model) -> None:
    case = parse_case(bundled_document())
    report = build_deep_report(case, small_adapter)
    body = report.to_dict()["deep"]["training_quality"]
    assert body is not None and body["rows"] == 3000 and body["checked"] + body["unreadable"] == body["sampled"]
    assert "Training judgments, 3000" in render_html(report, "en") and "训练判决 3000 件" in render_html(
        report, "zh-CN"
    )
    # a model that came without its training data: nothing to count, and nothing said
    assert build_deep_report(case, hukou_model).to_dict()["deep"]["training_quality"] is None
