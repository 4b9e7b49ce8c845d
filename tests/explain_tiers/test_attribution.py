from __future__ import annotations

import numpy as np
import pytest

from explain_tiers.attribution import Attribution, compare_attributions
from explain_tiers.lime_adapter import LimeExplainer
from explain_tiers.population import population_of
from explain_tiers.shap_adapter import TreeShapExplainer
from explain_tiers.stabilised_attribution import explain_stabilised
from sentencing.catalogue import load_catalogue
from sentencing.errors import ExplanationUnavailableError
from sentencing.models import SklearnFileModel, predict_cases
from tests.model_fixtures import rule_model


def _case(bundled_cases, name):
    return next(c for c in bundled_cases if c.case_id == name)


def test_shap_adds_up_to_the_prediction(bundled_cases, small_adapter) -> None:
    explainer = TreeShapExplainer(small_adapter, population_of(small_adapter).frame)
    for case in bundled_cases:
        attribution = explainer.explain(case)
        total = attribution.base_value + sum(w for _, w in attribution.weights)
        assert total == pytest.approx(attribution.prediction, abs=1e-6)
        # to a millionth: SHAP's sum of log months carries float rounding, which exp turns into months
        assert attribution.prediction == pytest.approx(float(predict_cases(small_adapter, [case])[0]), rel=1e-6)


def test_shap_compares_with_cases_of_the_same_charge(bundled_cases, small_adapter) -> None:
    explainer = TreeShapExplainer(small_adapter, population_of(small_adapter).frame)
    drunk = explainer.explain(_case(bundled_cases, "dangerous-driving-accident"))
    catalogue = load_catalogue()
    for factor, weight in drunk.weights:
        if factor != "charge" and not catalogue.factor(factor).applies_to("dangerous_driving"):
            assert weight == 0.0, factor  # a drunk-driving term is never "explained" by a theft amount
    assert drunk.weight("charge") == 0.0


def test_shap_needs_the_model_inside(hukou_model) -> None:
    with pytest.raises(ExplanationUnavailableError, match="tree SHAP"):
        TreeShapExplainer(hukou_model, population_of(hukou_model).frame)


def test_lime_is_bit_identical_for_a_seed_and_covers_only_applicable_factors(bundled_cases, small_adapter) -> None:
    case = _case(bundled_cases, "theft-burglary-recidivist")
    frame = population_of(small_adapter).frame

    def explain(seed: int) -> Attribution:
        return LimeExplainer(small_adapter, frame, samples=1000, seed=seed).explain(case)

    assert explain(4) == explain(4)
    assert explain(4) != explain(5)
    factors = {f for f, _ in explain(4).weights}
    assert factors == {spec.id for spec in load_catalogue().factors_for("theft")}


def test_stabilised_attribution_is_replayable_and_reports_spread(bundled_cases, small_adapter) -> None:
    case = _case(bundled_cases, "theft-burglary-recidivist")
    frame = population_of(small_adapter).frame
    first = explain_stabilised(small_adapter, case, frame, samples=1024, scrambles=4, seed=2)
    assert first == explain_stabilised(small_adapter, case, frame, samples=1024, scrambles=4, seed=2)
    assert len(first.top) == 5 and all(error >= 0 for _, error in first.standard_errors)
    assert first.to_dict()["attribution"]["method"] == "lime-qmc-stabilised"
    with pytest.raises(ValueError, match="power of two"):
        explain_stabilised(small_adapter, case, frame, samples=1000)


def test_equal_effects_are_reported_as_tied(document) -> None:
    from sentencing.case import parse_case

    # two facts no rule between facts binds (a fact that one binds, e.g. surrender beside confession, is perturbed
    # less once every perturbation is a lawful case, and the ridge shrinks it more)
    twins = rule_model(lambda f: 10 + 2 * f["reconciliation"].to_numpy() + 2 * f["good_conduct_in_custody"].to_numpy(),
                       "twins")  # fmt: skip
    case = parse_case(document())
    result = explain_stabilised(twins, case, population_of(twins).frame, samples=1024, scrambles=4, k=1)
    assert set(result.tied_at_boundary) == {"reconciliation", "good_conduct_in_custody"}
    assert result.attribution.weight("reconciliation") == pytest.approx(
        result.attribution.weight("good_conduct_in_custody"), abs=0.05)  # fmt: skip


def test_agreement() -> None:
    a = Attribution("a", None, None, 0, 0, (("x", 5.0), ("y", -3.0), ("z", 1.0), ("w", 0.1)))
    b = Attribution("b", None, None, 0, 0, (("x", 4.0), ("y", 2.0), ("z", -0.5), ("v", 9.0)))
    agreement = compare_attributions(a, b, k=2)
    assert agreement.overlap == 2 and agreement.same_sign_share == 0.5 and agreement.rank_correlation == 1.0


def test_shap_of_trees_on_log_months_is_turned_into_months_by_one_positive_factor(bundled_cases, small_adapter) -> None:
    """The reference model's trees learn log(1 + months): SHAP is computed on them, then every weight multiplied by
    the one factor that makes the weights add up to the months (so no weight changes sign or rank)."""
    import warnings

    import numpy as np
    import shap

    from explain_tiers.shap_adapter import LOG_MONTHS_METHOD
    from sentencing.features import feature_frame

    explainer = TreeShapExplainer(small_adapter, population_of(small_adapter).frame)
    case = _case(bundled_cases, "theft-burglary-recidivist")
    attribution = explainer.explain(case)
    assert attribution.method == LOG_MONTHS_METHOD and attribution.months_per_log_unit > 0
    assert attribution.to_dict()["months_per_log_unit"] == attribution.months_per_log_unit
    pipeline = small_adapter.estimator
    encode, trees = pipeline.steps[0][1], pipeline.steps[-1][1]
    rows = population_of(small_adapter).frame
    rows = rows[rows["charge"] == "theft"].sample(200, random_state=0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        raw = shap.TreeExplainer(trees, data=encode.transform(rows[explainer._inputs]),
                                 feature_perturbation="interventional")  # fmt: skip
        log_values = np.asarray(raw.shap_values(encode.transform(feature_frame([case])[explainer._inputs]))).ravel()
    by_factor: dict[str, float] = {}
    for factor, value in zip(explainer._groups, log_values, strict=True):
        by_factor[factor] = by_factor.get(factor, 0.0) + float(value)
    for factor, weight in attribution.weights:
        assert weight == pytest.approx(by_factor.get(factor, 0.0) * attribution.months_per_log_unit, abs=1e-6)
    base_log = float(np.ravel(raw.expected_value)[0])
    assert attribution.base_value == pytest.approx(np.expm1(base_log), abs=1e-6)  # the answer at the base, in months


def test_months_from_log_months_adds_up_even_at_the_edges() -> None:
    import numpy as np

    from explain_tiers.shap_adapter import months_from_log_months

    for base, values in (
        (2.5, np.array([0.3, -0.1, 0.05])),  # the usual case
        (2.5, np.array([1e-13, -1e-13 + 1e-16])),  # weights cancelling: the slope at the base, no division by ~0
        (2.5, np.array([0.0, 0.0])),
        (0.2, np.array([-0.5, 0.1])),  # the answer below 0 months: 0, as the model's
        (5.0, np.array([2.0, 1.0])),  # beyond the declared 600 months: 600, as the model's
    ):
        base_months, prediction, scale = months_from_log_months(base, values, (0.0, 600.0))
        assert base_months == pytest.approx(min(max(np.expm1(base), 0.0), 600.0))
        assert prediction == pytest.approx(min(max(np.expm1(base + values.sum()), 0.0), 600.0))
        assert base_months + float((values * scale).sum()) == pytest.approx(prediction, abs=1e-9)
        assert np.isfinite(scale) and scale >= 0
    assert months_from_log_months(2.5, np.array([1e-13]))[2] == pytest.approx(np.exp(2.5))


def test_trees_whose_answer_is_turned_by_an_unknown_function_are_not_explained(small_adapter) -> None:
    import copy

    pipeline = copy.deepcopy(small_adapter.estimator)
    pipeline.steps[-1][1].output_transform = "sigmoid"
    model = SklearnFileModel(pipeline, small_adapter.identity, small_adapter.card)
    with pytest.raises(ExplanationUnavailableError, match="cannot undo"):
        TreeShapExplainer(model, population_of(small_adapter).frame)


def test_shap_reads_the_thresholds_as_the_model_compares_them() -> None:
    """A split between two neighbouring float32 values lies at a float64 threshold that float32 rounds up onto the
    larger one; SHAP (float32 thresholds) would send that value the other way. The copy SHAP is given has thresholds
    that decide every float32 input as the model does, and answers as the model does."""
    from sklearn.ensemble import GradientBoostingRegressor

    from explain_tiers.shap_adapter import _thresholds_as_shap_reads_them

    below = float(np.nextafter(np.float32(2.0), np.float32(0.0)))
    x = np.array([[below], [2.0], [1.0], [3.0]] * 5)
    y = np.array([1.0, 5.0, 0.0, 6.0] * 5)
    model = GradientBoostingRegressor(n_estimators=5, max_depth=2).fit(x, y)
    thresholds = np.concatenate([e.tree_.threshold[e.tree_.children_left != -1] for e in model.estimators_[:, 0]])
    assert (np.float32(thresholds).astype(float) > thresholds).any()  # the case: float32 rounds a threshold up
    copied = _thresholds_as_shap_reads_them(model)
    for original, adjusted in zip(model.estimators_[:, 0], copied.estimators_[:, 0], strict=True):
        split = original.tree_.children_left != -1
        old, new = original.tree_.threshold[split], adjusted.tree_.threshold[split]
        assert (np.float32(new).astype(float) == new).all() and (new <= old).all()
        for value in np.float32([below, 2.0, 1.0, 3.0]).astype(float):
            assert ((value <= old) == (value <= np.float32(new))).all()
    assert copied.predict(x).tolist() == model.predict(x).tolist()
    assert model.estimators_[0, 0].tree_.threshold.tolist() != copied.estimators_[0, 0].tree_.threshold.tolist()
