"""SHAP behind one adapter: exact tree SHAP on the model's own trees, summed back to the original factors.

Interventional tree SHAP against a sample of past cases *of the same charge*: the attribution says
how this case's facts move the recommendation away from a typical case of its own charge. (With
the default path-dependent baseline a drunk-driving term is "explained" by the theft amount it lacks.)

It needs the model's inside: an sklearn pipeline (a ColumnTransformer, then a tree ensemble), with
every encoded column traced to its factor (or the adapter refuses rather than guess). A vendor's
endpoint or an opaque callable cannot be explained this way; the adapter says so
(:class:`ExplanationUnavailableError`) and the reports fall back on the stabilised attribution.

Trees that learn log(1 + months) (``output_transform = "expm1"``, the reference model's
:class:`~sentencing.model.LogTermRegressor`) are explained in their own log months, then turned into months: each
factor's share of the log distance from the base value becomes the same share of the months between the model's answer
at the base value and its recommendation (the average slope of exp over that distance, the same for every factor). So
the weights keep their signs and their ranks, and add up to the months exactly, as SHAP's must.
"""

from __future__ import annotations

import copy
import math
import warnings
from typing import Any

import numpy as np
import pandas as pd

from explain_tiers.attribution import Attribution
from sentencing.case import Case
from sentencing.errors import ExplanationUnavailableError
from sentencing.features import feature_columns, feature_frame
from sentencing.models import SentencingModel

__all__ = ["LOG_MONTHS_METHOD", "METHOD", "TreeShapExplainer", "months_from_log_months"]

METHOD = "shap-tree-interventional"
#: the method of trees on log months, their weights turned into months (``months_from_log_months``)
LOG_MONTHS_METHOD = "shap-tree-interventional-log-months"
_OUTPUT_TRANSFORMS = (None, "expm1")


def months_from_log_months(
    base: float, values: np.ndarray[Any, Any], answers: tuple[float, float] = (0.0, math.inf)
) -> tuple[float, float, float]:
    """(base value, prediction, months per log unit) from SHAP's base value and weights in log(1 + months): the one
    factor every weight is multiplied by so that they add up to the months between the base value and the prediction
    (both kept inside ``answers``, the model's range, as its own answers are)."""
    total = float(values.sum())
    low, high = answers
    raw_base, raw_prediction = float(np.expm1(base)), float(np.expm1(base + total))
    base_months, prediction = min(max(raw_base, low), high), min(max(raw_prediction, low), high)
    if (raw_base, raw_prediction) == (base_months, prediction):  # exp(b)·(exp(S) − 1)/S, exact near S = 0 too
        scale = float(np.exp(base)) * (float(np.expm1(total)) / total if total else 1.0)
    else:  # an answer kept inside the range: the months actually between them
        scale = (prediction - base_months) / total if total else 0.0
    return base_months, prediction, scale


class TreeShapExplainer:
    def __init__(self, model: SentencingModel, background: pd.DataFrame, *, background_rows: int = 200) -> None:
        estimator: Any = model.estimator
        steps = getattr(estimator, "steps", None)
        if not isinstance(steps, list) or len(steps) != 2 or not hasattr(steps[0][1], "transformers_"):
            raise ExplanationUnavailableError(
                "tree SHAP", "needs an sklearn pipeline of a column transformer and a tree model"
            )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # shap's matplotlib deprecation noise
            import shap  # slow to import; only this path needs it

        self._shap = shap
        self._encode = steps[0][1]
        self._trees = _thresholds_as_shap_reads_them(estimator[-1])
        self._transform = getattr(self._trees, "output_transform", None)
        if self._transform not in _OUTPUT_TRANSFORMS:
            raise ExplanationUnavailableError(
                "tree SHAP", f"the trees' output is turned into the answer by {self._transform!r}, which it cannot undo"
            )
        self._answers = model.identity.output_range  # the range the model declares and its answers keep to
        self._background = background
        self._rows = background_rows
        self._explainers: dict[str, Any] = {}
        # the columns the model was trained on: a model sealed before the catalogue grew has fewer than today's
        self._inputs = [str(n) for n in getattr(self._encode, "feature_names_in_", feature_columns())]
        missing = [c for c in self._inputs if c not in background.columns]
        if missing:
            raise ExplanationUnavailableError("tree SHAP", f"the background data lacks the model's columns {missing}")
        self._groups = self._column_groups()
        self._explainer_for(None)  # fail now, not mid-report, if the trees cannot be explained

    def _explainer_for(self, charge: str | None) -> Any:
        key = charge or "*"
        if key not in self._explainers:
            rows = self._background if charge is None else self._background[self._background["charge"] == charge]
            if len(rows) < 20:
                rows = self._background
            rows = rows.sample(min(self._rows, len(rows)), random_state=0) if len(rows) > self._rows else rows
            data = _as_the_trees_read(self._encode.transform(rows[self._inputs]))
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    self._explainers[key] = self._shap.TreeExplainer(
                        self._trees, data=data, feature_perturbation="interventional"
                    )
            except Exception as exc:  # shap raises bare exceptions for unsupported models
                raise ExplanationUnavailableError("tree SHAP", f"{type(self._trees).__name__}: {exc}") from exc
        return self._explainers[key]

    def _column_groups(self) -> list[str]:
        """The factor each encoded column comes from, in the encoder's output order, or refuse.

        Every encoded column must be accounted for: a vendor's encoder may drop a category (``drop="first"``,
        ``"if_binary"``), fold rare ones into one column, keep a remainder, or take the columns in its own
        order. Counting ``categories_`` alone misplaces every column after the first dropped one, and a planted
        bias on household registration is then reported as good conduct in custody.
        """
        encode = self._encode
        frame = self._background[self._inputs].head(1)
        width = int(np.asarray(encode.transform(frame)).shape[1])
        owners: list[str | None] = [None] * width
        names_in = self._inputs
        slices = getattr(encode, "output_indices_", None)
        if not isinstance(slices, dict):
            raise ExplanationUnavailableError("tree SHAP", "the encoder does not say which output columns are whose")
        for name, transformer, columns in encode.transformers_:
            section = slices.get(name)
            if section is None or section.stop == section.start or transformer == "drop":
                continue
            inputs = [names_in[c] if isinstance(c, int | np.integer) else str(c) for c in np.atleast_1d(columns)]
            for offset, owner in enumerate(_owners(transformer, inputs, section.stop - section.start)):
                owners[section.start + offset] = owner
        if any(owner is None for owner in owners) or len(owners) != width:
            raise ExplanationUnavailableError("tree SHAP", "not every encoded column can be traced to its factor")
        return [str(owner) for owner in owners]

    def explain(self, case: Case) -> Attribution:
        frame = feature_frame([case])
        encoded = _as_the_trees_read(self._encode.transform(frame[self._inputs]))
        explainer = self._explainer_for(case.charge)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            values = np.asarray(explainer.shap_values(encoded), dtype=float).reshape(-1)
        base = float(np.ravel(explainer.expected_value)[0])
        if values.shape[0] != len(self._groups):
            raise ExplanationUnavailableError("tree SHAP", "the explainer's columns are not the encoder's")
        method, prediction, scale = METHOD, base + float(values.sum()), None
        if self._transform == "expm1":
            method = LOG_MONTHS_METHOD
            base, prediction, scale = months_from_log_months(base, values, self._answers)
            values = values * scale
        weights: dict[str, float] = {}
        for factor, value in zip(self._groups, values, strict=True):
            weights[factor] = weights.get(factor, 0.0) + float(value)
        ordered = tuple((f, round(weights.get(f, 0.0), 10)) for f in frame.columns)
        return Attribution(
            method, None, None, round(base, 10), round(prediction, 10), ordered,
            None if scale is None else round(scale, 10),
        )  # fmt: skip


def _thresholds_as_shap_reads_them(trees: Any) -> Any:
    """A copy of a scikit-learn tree ensemble whose every threshold is the largest float32 not above it.

    scikit-learn compares an input (a float32) with a float64 threshold; interventional tree SHAP holds thresholds in
    float32 (shap's ``Node.thres``). A threshold rounded up onto a value sends that value the other way: a past case of
    2.0 g of methamphetamine in the background went right of a split at 1.99999994 g in the model and left in SHAP, so
    the base value (the model's own average answer over the background) and SHAP's weights no longer added up to the
    answer (0.02 months off for the bundled mixed-drugs case). For a float32 input, ``x <= t`` holds exactly when
    ``x <=`` the largest float32 not above ``t``, so with these thresholds SHAP walks every path the model walks.
    Anything not such an ensemble is returned as it is."""
    estimators = getattr(trees, "estimators_", None)
    if estimators is None or not all(hasattr(e, "tree_") for e in np.ravel(np.asarray(estimators, dtype=object))):
        return trees
    copied = copy.deepcopy(trees)
    for estimator in np.ravel(np.asarray(copied.estimators_, dtype=object)):
        state = estimator.tree_.__getstate__()
        nodes = state["nodes"].copy()
        thresholds = nodes["threshold"]
        rounded = thresholds.astype(np.float32)
        above = rounded.astype(np.float64) > thresholds
        rounded[above] = np.nextafter(rounded[above], np.float32(-np.inf))
        nodes["threshold"] = np.where(estimator.tree_.children_left == -1, thresholds, rounded.astype(np.float64))
        state["nodes"] = nodes
        estimator.tree_.__setstate__(state)
    return copied


def _as_the_trees_read(encoded: Any) -> np.ndarray[Any, Any]:
    """The encoded columns as scikit-learn's trees compare them with their thresholds: in float32. (SHAP walks the
    trees in float64; a quantity whose float32 falls on the other side of a split, 0.1 g of a drug, would otherwise
    be explained down another path than the one the model took, and the weights not add up to its answer.)"""
    return np.asarray(encoded, dtype=np.float32).astype(np.float64)


def _owners(transformer: Any, inputs: list[str], width: int) -> list[str]:
    """The input column behind each of ``width`` output columns of one transformer, or refuse."""
    unavailable = ExplanationUnavailableError("tree SHAP", f"cannot trace the columns of {type(transformer).__name__}")
    if transformer == "passthrough":
        if width != len(inputs):
            raise unavailable
        return list(inputs)
    categories = getattr(transformer, "categories_", None)
    if categories is not None:  # a one-hot encoder: count each input's columns exactly, then check their names
        if len(categories) != len(inputs):
            raise unavailable
        dropped = getattr(transformer, "drop_idx_", None)
        infrequent = getattr(transformer, "infrequent_categories_", None) or [None] * len(inputs)
        owners: list[str] = []
        for index, (column, values) in enumerate(zip(inputs, categories, strict=True)):
            count = len(values)
            if infrequent[index] is not None and len(infrequent[index]):
                count = count - len(infrequent[index]) + 1  # the rare categories share one column
            if dropped is not None and dropped[index] is not None:
                count -= 1
            owners += [column] * count
        if len(owners) != width:
            raise unavailable
        try:
            names = [str(n) for n in transformer.get_feature_names_out(inputs)]
        except Exception as exc:  # the vendor's transformer: any failure means the columns cannot be traced
            raise unavailable from exc
        if len(names) != width or not all(n.startswith(f"{o}_") for n, o in zip(names, owners, strict=True)):
            raise unavailable
        return owners
    try:
        names = [str(n) for n in transformer.get_feature_names_out(inputs)]
    except Exception as exc:  # a transformer that cannot name its outputs cannot be explained per factor
        raise unavailable from exc
    if names != inputs or width != len(inputs):  # one output per input, same names (a scaler, an imputer)
        raise unavailable
    return list(inputs)
