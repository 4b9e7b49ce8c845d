"""scripts/setup installs dice-ml without its declared xgboost/lightgbm; prove dice-ml still works on our model."""

from __future__ import annotations

import importlib.util
import warnings

import joblib
import numpy as np
import pandas as pd

from sentencing.features import feature_columns


def test_dice_ml_runs_on_the_reference_pipeline_without_xgboost(small_model) -> None:
    assert importlib.util.find_spec("xgboost") is None and importlib.util.find_spec("lightgbm") is None
    import dice_ml

    frame = pd.read_csv(small_model.folder / "training-data" / "judgments.csv")
    columns = list(feature_columns())
    data = frame[[*columns, "sentence_months"]].iloc[:1500]
    categorical = [c for c in columns if not pd.api.types.is_numeric_dtype(data[c])]
    continuous = [c for c in columns if c not in categorical]
    pipeline = joblib.load(small_model.model_path)
    # dice-ml adds columns one at a time to frames of the catalogue's hundred-odd columns, and pandas warns that they
    # fragment (as counterfactuals.dice_search silences it); its answers are predicted again below, never trusted
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pd.errors.PerformanceWarning)
        explainer = dice_ml.Dice(
            dice_ml.Data(dataframe=data, continuous_features=continuous, outcome_name="sentence_months"),
            dice_ml.Model(model=pipeline, backend="sklearn", model_type="regressor"),
            method="random",
        )
    levers = ["surrender", "restitution", "plea_agreement"]
    candidates = data[(data["charge"] == "theft") & (data[levers].sum(axis=1) == 0)][columns]
    everything = candidates.assign(**dict.fromkeys(levers, 1.0))
    drop = pipeline.predict(candidates) - pipeline.predict(everything)
    query = candidates.iloc[[int(np.argmax(drop))]]  # a case the levers can really move
    current = float(pipeline.predict(query)[0])
    assert drop.max() > 1.0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pd.errors.PerformanceWarning)
        result = explainer.generate_counterfactuals(
            query,
            total_CFs=2,
            desired_range=[0.0, current - 0.5],
            features_to_vary=levers,
            random_seed=1,
        )
    found = result.cf_examples_list[0].final_cfs_df
    assert found is not None and len(found) >= 1
    repredicted = pipeline.predict(found[columns])  # never trust dice-ml's reported outcome (STACK.md)
    assert np.all(repredicted < current)
