from __future__ import annotations

import json

import numpy as np
import pytest

from sentencing.canonical import sha256_file
from sentencing.model import GROUP_COLUMNS, build_reference_model, cail_prison_term_score
from tests.conftest import SMALL_GENERATOR, SMALL_TRAINING


def test_cail_score_steps() -> None:
    true = np.array([10.0, 10.0, 10.0, 10.0, 10.0, 10.0, 10.0])
    # v = |ln 11 - ln(p + 1)|: p = 10 -> 0 (1.0); 7 -> 0.318 (0.8); 5 -> 0.606 (0.4); 3 -> 1.01 (0); ...
    pred = np.array([10.0, 7.0, 6.0, 5.0, 4.0, 3.0, 0.0])
    v = np.abs(np.log(true + 1) - np.log(pred + 1))
    expected = np.select([v <= 0.2, v <= 0.4, v <= 0.6, v <= 0.8, v <= 1.0], [1, 0.8, 0.6, 0.4, 0.2], 0).mean()
    assert cail_prison_term_score(true, pred) == pytest.approx(expected)
    assert cail_prison_term_score(np.array([5.0]), np.array([5.0])) == 1.0
    assert cail_prison_term_score(np.array([0.0]), np.array([100.0])) == 0.0
    with pytest.raises(ValueError):
        cail_prison_term_score(np.array([]), np.array([]))


def test_model_is_deterministic_and_fingerprinted(small_model, tmp_path) -> None:
    again = build_reference_model(tmp_path / "again", SMALL_GENERATOR, SMALL_TRAINING)
    assert again.sha256 == small_model.sha256 == sha256_file(str(small_model.model_path))
    assert again.card == small_model.card


def test_model_card_says_what_a_court_needs(small_model) -> None:
    card = json.loads(small_model.card_path.read_text(encoding="utf-8"))
    assert card["schema_version"] == "1.0"
    assert card["artifact"]["sha256"] == small_model.sha256
    data = card["training_data"]
    truth = json.loads((small_model.folder / "training-data" / "ground_truth.json").read_text(encoding="utf-8"))
    assert data["sha256"] == truth["data_sha256"]
    assert {b["factor"] for b in data["injected_bias"]} == {"household_registration", "occupation"}
    held_out = card["held_out_error"]
    assert held_out["overall"]["n"] == data["held_out_rows"] == 600
    assert 0 < held_out["overall"]["mae_months"] < 6
    assert 0.5 < held_out["overall"]["cail2018_score"] <= 1
    assert set(held_out["by_group"]) == set(GROUP_COLUMNS)
    assert set(held_out["by_group"]["household_registration"]) == {"local", "non_local"}
    roles = {f["id"]: f["legal_role"] for f in card["features"]}
    assert roles["household_registration"] == "legally_irrelevant" and roles["surrender"] == "prevention"


def test_rebuilding_replaces_the_folder_whole(small_model, tmp_path) -> None:
    target = tmp_path / "model"
    build_reference_model(target, SMALL_GENERATOR, SMALL_TRAINING)
    first = sorted(p.name for p in target.iterdir())
    build_reference_model(target, SMALL_GENERATOR, SMALL_TRAINING)
    assert sorted(p.name for p in target.iterdir()) == first
    assert [p.name for p in tmp_path.iterdir()] == ["model"], "no staging folders left behind"


def test_staleness_is_detected(small_model, tmp_path) -> None:
    from sentencing.model import is_model_current

    assert is_model_current(small_model.folder, SMALL_GENERATOR, SMALL_TRAINING)
    assert not is_model_current(small_model.folder)  # other specs: a different build
    assert not is_model_current(tmp_path)
    copy = tmp_path / "copy"
    import shutil

    shutil.copytree(small_model.folder, copy)
    card = json.loads((copy / "model_card.json").read_text(encoding="utf-8"))
    card["build"]["inputs_sha256"] = "0" * 64
    (copy / "model_card.json").write_text(json.dumps(card), encoding="utf-8")
    assert not is_model_current(copy, SMALL_GENERATOR, SMALL_TRAINING)


def test_the_reference_model_learns_log_months_and_keeps_to_its_declared_range(small_model) -> None:
    """Trees on log(1 + months) answer in months, never outside the range the card declares (a draw no court would
    see can compound to centuries on the logarithm); a negative term or an unknown target is refused."""
    import joblib
    import numpy as np

    from sentencing.model import OUTPUT_RANGE, LogTermRegressor, TrainingSpec

    pipeline = joblib.load(small_model.model_path)
    trees = pipeline.steps[-1][1]
    assert isinstance(trees, LogTermRegressor) and trees.output_transform == "expm1"
    card = json.loads(small_model.card_path.read_text(encoding="utf-8"))
    assert tuple(card["output"]["range"]) == OUTPUT_RANGE == trees.output_range
    assert card["estimator"]["hyperparameters"]["target"] == "log_months"

    x = np.arange(200, dtype=float).reshape(-1, 1)
    months = np.expm1(x[:, 0] / 30.0)  # 0 to 750 months: proportional steps
    fitted = LogTermRegressor(n_estimators=200, max_depth=2, random_state=0).fit(x, months)
    raw = np.expm1(super(LogTermRegressor, fitted).predict(x))
    assert raw.max() > OUTPUT_RANGE[1]  # the trees alone go beyond the range ...
    answers = fitted.predict(x)
    assert answers.max() == OUTPUT_RANGE[1] and answers.min() >= 0  # ... the model's answers never do
    inside = months < 500
    assert np.allclose(answers[inside], months[inside], rtol=0.1, atol=0.5)  # and in months, as learned
    with pytest.raises(ValueError, match="y: terms in months"):
        LogTermRegressor().fit(x[:3], [1.0, -2.0, 3.0])
    with pytest.raises(ValueError, match="target"):
        TrainingSpec(target="years")
