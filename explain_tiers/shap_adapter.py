"""SHAP behind one adapter: exact tree SHAP on the model's own trees, summed back to the original factors.

Interventional tree SHAP against a sample of past cases *of the same charge*: the attribution says
how this case's facts move the recommendation away from a typical case of its own charge. (With
the default path-dependent baseline a drunk-driving term is "explained" by the theft amount it lacks.)

It needs the model's inside: an sklearn pipeline (ColumnTransformer named ``encode``, then a tree
ensemble). A vendor's endpoint or an opaque callable cannot be explained this way; the adapter says
so (:class:`ExplanationUnavailableError`) and the reports fall back on LIME alone.
"""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import pandas as pd

from explain_tiers.attribution import Attribution
from sentencing.adapters import SentencingModel
from sentencing.case import Case
from sentencing.errors import ExplanationUnavailableError
from sentencing.features import feature_columns, feature_frame

__all__ = ["TreeShapExplainer"]


class TreeShapExplainer:
    def __init__(self, model: SentencingModel, background: pd.DataFrame, *, background_rows: int = 200) -> None:
        estimator: Any = getattr(model, "estimator", None)
        steps = getattr(estimator, "named_steps", None)
        if steps is None or "encode" not in steps or len(steps) != 2:
            raise ExplanationUnavailableError("tree SHAP", "needs an sklearn pipeline of an encoder and a tree model")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # shap's matplotlib deprecation noise
            import shap  # slow to import; only this path needs it

        self._shap = shap
        self._encode = steps["encode"]
        self._trees = estimator[-1]
        self._background = background
        self._rows = background_rows
        self._explainers: dict[str, Any] = {}
        self._groups = self._column_groups()
        self._explainer_for(None)  # fail now, not mid-report, if the trees cannot be explained

    def _explainer_for(self, charge: str | None) -> Any:
        key = charge or "*"
        if key not in self._explainers:
            rows = self._background if charge is None else self._background[self._background["charge"] == charge]
            if len(rows) < 20:
                rows = self._background
            rows = rows.sample(min(self._rows, len(rows)), random_state=0) if len(rows) > self._rows else rows
            data = self._encode.transform(rows[list(feature_columns())])
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    self._explainers[key] = self._shap.TreeExplainer(
                        self._trees, data=data, feature_perturbation="interventional"
                    )
            except Exception as exc:  # shap raises bare exceptions for unsupported models
                raise ExplanationUnavailableError("tree SHAP", f"{type(self._trees).__name__}: {exc}") from exc
        return self._explainers[key]

    def _column_groups(self) -> list[tuple[str, int]]:
        """Each encoded column's source factor, in the encoder's output order."""
        groups: list[tuple[str, int]] = []
        for name, transformer, columns in self._encode.transformers_:
            if name == "remainder":
                continue
            if hasattr(transformer, "categories_"):
                for column, categories in zip(columns, transformer.categories_, strict=True):
                    groups.append((column, len(categories)))
            else:
                groups.extend((column, 1) for column in columns)
        return groups

    def explain(self, case: Case) -> Attribution:
        frame = feature_frame([case])
        encoded = self._encode.transform(frame)
        explainer = self._explainer_for(case.charge)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            values = np.asarray(explainer.shap_values(encoded), dtype=float).reshape(-1)
        base = float(np.ravel(explainer.expected_value)[0])
        weights: dict[str, float] = {}
        position = 0
        for factor, width in self._groups:
            weights[factor] = weights.get(factor, 0.0) + float(values[position : position + width].sum())
            position += width
        ordered = tuple((f, round(weights[f], 10)) for f in frame.columns)
        return Attribution(
            "shap-tree-interventional", None, None, round(base, 10), round(base + float(values.sum()), 10), ordered
        )
