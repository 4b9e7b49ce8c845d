"""Items 15-17: every sentence the report says about a model is true: from its card, or said to be unknown; the
toolkit's own cases named as ours; bias never laundered into legal factors by a mis-mapped encoder; every
comparison labelled with the methods compared."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import GradientBoostingRegressor
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder

from explain_tiers.render import render_html
from explain_tiers.report import build_deep_report, build_standard_report
from explain_tiers.shap_adapter import TreeShapExplainer
from sentencing.errors import ExplanationUnavailableError
from sentencing.features import categorical_columns, feature_columns, feature_frame, numeric_columns
from sentencing.judgments import background_features
from sentencing.models import CallableModel, SklearnFileModel


def _text(html: str) -> str:
    """The report as a reader sees it: entities decoded, the charts (base64 images) left out."""
    import html as markup
    import re

    return markup.unescape(re.sub(r'src="data:[^"]*"', 'src=""', html))


def _mix(x: np.ndarray) -> np.ndarray:
    """A vendor's transformer that folds three facts into one column: whose column is it?"""
    return np.asarray(x, dtype=float)[:, :3].sum(axis=1, keepdims=True)


def _vendor(name: str = "vendor model", card: dict | None = None) -> CallableModel:
    """A vendor's opaque model with a card that says almost nothing: 8 months, plus 3 for non-local registration."""

    def answer(frame: pd.DataFrame) -> np.ndarray:
        return 8.0 + 3.0 * (frame["household_registration"].astype(str) == "non_local").to_numpy(dtype=float)

    return CallableModel(answer, name, card=card if card is not None else {"name": name})


def test_a_minimal_card_gives_no_invented_sentence(bundled_cases) -> None:
    case = bundled_cases[0]
    for language in ("en", "zh-CN"):
        html = _text(render_html(build_standard_report(case, _vendor()), language))
        assert "nan" not in html.lower()
        assert "synthetic judgments" not in html and "合成判决" not in html
    english = _text(render_html(build_standard_report(case, _vendor()), "en"))
    assert "The model card states no held-out error: unknown." in english
    assert "The model card says nothing of its training data." in english


def test_what_a_card_says_is_what_the_report_says(bundled_cases) -> None:
    card = {"name": "v", "held_out_error": {"overall": {"n": 812, "mae_months": 2.345}},
            "training_data": {"rows": 40000, "description": "judgments of one province, 2015-2019"}}  # fmt: skip
    html = _text(render_html(build_standard_report(bundled_cases[0], _vendor(card=card)), "en"))
    assert "Per the model card, the error on 812 held-out cases: MAE 2.35 months." in html
    assert "Per the model card, the training data: 40000 rows" in html and "one province, 2015-2019" in html
    assert "synthetic" not in html


def test_the_reference_models_card_is_reported_as_its_own(bundled_cases, small_adapter) -> None:
    html = _text(render_html(build_standard_report(bundled_cases[0], small_adapter), "en"))
    assert "(These are the toolkit's own synthetic judgments.)" in html and "deliberately injected bias" in html


def test_the_toolkits_reference_cases_are_never_called_the_models_training_data(bundled_cases) -> None:
    from explain_tiers.findings import FindingKind

    report = build_deep_report(bundled_cases[0], _vendor(), seed=0)
    assert report.coverage is not None and report.coverage.source == "synthetic background (bias-free)"
    html = _text(render_html(report, "en"))
    assert "the toolkit's own synthetic reference cases (bias-free; not this model's training data" in html
    assert "on its training data" not in html and "OUTSIDE the data the model learned from" not in html
    for finding in report.findings:
        if finding.kind is FindingKind.OUT_OF_DISTRIBUTION:
            assert finding.severity.value == "medium" and "toolkit's own reference cases" in finding.title.en
    # and the agreement names what it compared: there is no SHAP for an opaque model
    assert report.agreement is not None and report.agreement.methods == ("lime-qmc-stabilised", "lime")
    assert "Agreement of SHAP and LIME" not in html
    assert "the stabilised attribution and LIME: top-5 overlap" in html and "SHAP was not compared" in html
    body = report.to_dict()
    assert body["deep"]["agreement"]["methods"] == ["lime-qmc-stabilised", "lime"]


# --- 16. SHAP: every encoded column traced to its factor, whatever the vendor's encoder does -----------------
def _biased_pipeline(encoder: OneHotEncoder, order: list[str]) -> Pipeline:
    """A vendor's model of planted bias only: +10 months for non-local registration, +6 for an ethnic minority."""
    frame = background_features(3000)
    target = (6.0 + 10.0 * (frame["household_registration"] == "non_local").to_numpy(dtype=float)
              + 6.0 * (frame["ethnicity"] != "han").to_numpy(dtype=float))  # fmt: skip
    categorical = [c for c in order if c in categorical_columns()]
    numeric = [c for c in order if c in numeric_columns()]
    encode = ColumnTransformer([("numbers", "passthrough", numeric), ("choices", encoder, categorical)])
    pipeline = Pipeline([("encode", encode), ("trees", GradientBoostingRegressor(n_estimators=60, max_depth=3,
                                                                                   random_state=0))])  # fmt: skip
    pipeline.fit(frame[list(feature_columns())], target)
    return pipeline


ENCODERS = {
    "drop if_binary": OneHotEncoder(drop="if_binary", sparse_output=False, handle_unknown="ignore"),
    "drop first": OneHotEncoder(drop="first", sparse_output=False, handle_unknown="ignore"),
    "rare categories folded": OneHotEncoder(
        min_frequency=0.2, handle_unknown="infrequent_if_exist", sparse_output=False
    ),
    "plain": OneHotEncoder(sparse_output=False, handle_unknown="ignore"),
}


@pytest.mark.parametrize("encoder", sorted(ENCODERS))
@pytest.mark.parametrize("order", ["the toolkit's order", "reversed"])
def test_a_planted_bias_is_attributed_to_its_own_factors(tmp_path, bundled_cases, document, encoder, order) -> None:
    import joblib

    from sentencing.canonical import sha256_file
    from sentencing.case import parse_case

    columns = list(feature_columns())
    pipeline = _biased_pipeline(ENCODERS[encoder], columns if order == "the toolkit's order" else columns[::-1])
    path = tmp_path / "model.joblib"
    joblib.dump(pipeline, path)
    model = SklearnFileModel.load(path, sha256_file(str(path)))
    case = parse_case(document(defendant={"household_registration": "non_local", "ethnicity": "minority"}))
    attribution = TreeShapExplainer(model, background_features(2000)).explain(case)
    weights = dict(attribution.weights)
    planted = abs(weights["household_registration"]) + abs(weights["ethnicity"])
    others = sum(abs(w) for f, w in weights.items() if f not in ("household_registration", "ethnicity"))
    assert weights["household_registration"] > 4 and weights["ethnicity"] > 2, weights
    assert others < 0.1 * planted, {f: w for f, w in weights.items() if abs(w) > 0.05}
    # additivity: the factors' shares add up to the model's own answer
    prediction = float(model.predict_frame(feature_frame([case]))[0])
    assert attribution.base_value + sum(weights.values()) == pytest.approx(prediction, abs=1e-6)


def test_an_encoder_whose_columns_cannot_be_traced_is_refused(tmp_path, bundled_cases) -> None:
    import joblib
    from sklearn.preprocessing import FunctionTransformer

    from sentencing.canonical import sha256_file

    frame = background_features(500)
    mixer = FunctionTransformer(_mix)
    encode = ColumnTransformer([("mix", mixer, list(numeric_columns())[:3])])
    pipeline = Pipeline([("prepare", encode), ("trees", GradientBoostingRegressor(n_estimators=5))])
    pipeline.fit(frame[list(feature_columns())], np.arange(len(frame), dtype=float) % 30)
    path = tmp_path / "model.joblib"
    joblib.dump(pipeline, path)
    model = SklearnFileModel.load(path, sha256_file(str(path)))
    with pytest.raises(ExplanationUnavailableError, match="cannot trace"):
        TreeShapExplainer(model, background_features(500))
    report = build_standard_report(bundled_cases[0], model)  # the report falls back; it never guesses
    assert report.attribution.method == "lime-qmc-stabilised"
    assert json.dumps(report.to_dict())  # and stays a valid report
