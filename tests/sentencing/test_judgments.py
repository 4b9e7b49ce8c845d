from __future__ import annotations

import json

import numpy as np
import pytest

from sentencing.catalogue import load_catalogue
from sentencing.judgments import (
    DOCUMENTED_BIAS,
    DRAWN_CHARGES,
    GeneratorSpec,
    frame_digest,
    generate_judgments,
    write_judgments,
)


@pytest.fixture(scope="module")
def judgments():
    return generate_judgments(GeneratorSpec(rows=4000, seed=5))


def test_same_seed_same_bytes_other_seed_other_bytes(judgments) -> None:
    again = generate_judgments(GeneratorSpec(rows=4000, seed=5))
    assert frame_digest(again.frame) == frame_digest(judgments.frame) == judgments.ground_truth["data_sha256"]
    other = generate_judgments(GeneratorSpec(rows=4000, seed=6))
    assert frame_digest(other.frame) != frame_digest(judgments.frame)


def test_judgments_look_like_sentencing_data(judgments) -> None:
    frame = judgments.frame
    shares = frame["charge"].value_counts(normalize=True)
    assert set(shares.index) == set(DRAWN_CHARGES) and set(DRAWN_CHARGES) <= set(load_catalogue().charge_ids)
    assert 0.3 < shares["theft"] < 0.5
    custodial = frame["guideline_months"] > 0
    assert frame.loc[custodial, "sentence_months"].min() >= 1  # a custodial term is at least a month
    assert (frame.loc[~custodial, "sentence_months"] == 0).all()  # where the guideline gives none, none
    assert 0.005 < (~custodial).mean() < 0.2  # a few lighter cases go without prison, as real ones do
    dd = frame[frame["charge"] == "dangerous_driving"]["sentence_months"]
    assert dd.max() <= 6
    assert frame["judge_id"].nunique() > 50
    # judges' discretion: sentences are not the guideline's point
    assert (frame["sentence_months"] != frame["guideline_months"].round()).mean() > 0.3


def _controlled_ratio(frame, factor: str, value: str) -> float:
    """Mean log(sentence / guideline) with the attribute minus without it; the guideline holds the legal facts."""
    ok = frame["guideline_months"] >= 12  # away from rounding and the 1-month floor
    sub = frame[ok]
    log_ratio = np.log(sub["sentence_months"] / sub["guideline_months"])
    with_value = log_ratio[sub[factor] == value].mean()
    without = log_ratio[sub[factor] != value].mean()
    return float(np.exp(with_value - without))


def test_injected_bias_is_present_and_recorded(judgments) -> None:
    truth = judgments.ground_truth
    assert [(b["factor"], b["value"], b["multiplier"]) for b in truth["injected_bias"]] == [
        (e.factor, e.value, e.multiplier) for e in DOCUMENTED_BIAS
    ]
    for effect in DOCUMENTED_BIAS:
        assert abs(_controlled_ratio(judgments.frame, effect.factor, effect.value) - effect.multiplier) < 0.03
    assert abs(_controlled_ratio(judgments.frame, "sex", "female") - 1.0) < 0.03


def test_a_bias_free_control_shows_no_effect() -> None:
    control = generate_judgments(GeneratorSpec(rows=4000, seed=5, bias=()))
    assert control.ground_truth["injected_bias"] == []
    for effect in DOCUMENTED_BIAS:
        assert abs(_controlled_ratio(control.frame, effect.factor, effect.value) - 1.0) < 0.03


def test_written_beside_the_data_with_its_digest(judgments, tmp_path) -> None:
    csv_path, truth_path = write_judgments(judgments, tmp_path / "data")
    truth = json.loads(truth_path.read_text(encoding="utf-8"))
    import hashlib

    assert hashlib.sha256(csv_path.read_bytes()).hexdigest() == truth["data_sha256"]
    assert not list((tmp_path / "data").glob(".*")), "no temp files left behind"


def test_bad_generator_spec_is_refused() -> None:
    with pytest.raises(ValueError, match="rows"):
        GeneratorSpec(rows=0)
    from sentencing.judgments import BiasEffect

    with pytest.raises(ValueError, match="not a valid attribute"):
        GeneratorSpec(bias=(BiasEffect("sex", "other", 1.1, "x"),))
