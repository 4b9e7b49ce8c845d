"""LIME behind one adapter: a local linear fit around the case, on label-encoded factors.

Only the factors that apply to the case's charge are perturbed, around past cases of the same
charge; the rest stay at the case's values. (Perturbing every column asks the model about thefts
with serious injuries, and LIME then "explains" a theft by injuries.) Seeded and replayable only
with a fresh explainer for every explanation (STACK.md), which is what :meth:`LimeExplainer.explain`
does. Works for any model: it only asks for predictions.

Every input sent to the model is a **lawful case** (``sentencing.features.lawful_rows``): LIME's own neighbourhood
(its discretised sampling, its binary representation, its kernel and ridge, all unchanged) with whole numbers for
whole-number facts, every value inside its legal range, and every row that breaks a rule between facts (two stages of
one crime, an amount below the threshold with nothing else qualifying, …) drawn again. Left as LIME makes them, 70% of
the rows for the bundled theft had no act at all and 99.9% a fractional age: a model could tell them from real cases,
and answer them differently (Slack et al., "Fooling LIME and SHAP", AIES 2020).
"""

from __future__ import annotations

import functools
import warnings
from typing import Any

import numpy as np
import pandas as pd

from explain_tiers.attribution import Attribution, past_cases_of_charge
from sentencing.case import Case
from sentencing.catalogue import FactorType, load_catalogue
from sentencing.features import feature_columns, feature_row, lawful_rows
from sentencing.jurisdiction import load_jurisdiction
from sentencing.models import SentencingModel

__all__ = ["LimeExplainer"]

_DRAWS = 30  # rounds of drawing again the rows that are not lawful cases; what is still unlawful then is refused


@functools.cache  # one class for LIME's explainer (an explainer object is still made fresh for every explanation)
def _lawful_lime(base: type) -> type:
    """LIME's tabular explainer whose neighbourhood holds only lawful cases (its sampling otherwise unchanged).

    ``repair(inverse)`` gives whole numbers and legal ranges; ``lawful(inverse)`` one bool per row. The binary
    representation LIME fits on is recomputed from the repaired rows (a rounded number may leave its bin)."""

    class LawfulLimeTabular(base):  # type: ignore[misc]
        repair: Any
        lawful: Any

        def _rebinned(self, data: Any, inverse: Any, data_row: Any) -> Any:
            if self.discretizer is not None and self.discretizer.to_discretize:
                own = self.discretizer.discretize(data_row)
                bins = self.discretizer.discretize(inverse)
                for column in self.discretizer.to_discretize:
                    data[:, column] = (bins[:, column] == own[column]).astype(float)
            return data

        def _draw(self, data_row: Any, num_samples: int) -> tuple[Any, Any]:
            sample = base.__dict__["_LimeTabularExplainer__data_inverse"]  # LIME's own (name-mangled) sampler
            data, inverse = sample(self, data_row, num_samples)
            inverse = self.repair(inverse)
            return self._rebinned(data, inverse, data_row), inverse

        def _LimeTabularExplainer__data_inverse(self, data_row: Any, num_samples: int) -> Any:  # noqa: N802
            data, inverse = self._draw(data_row, num_samples)
            unlawful = ~self.lawful(inverse)
            unlawful[0] = False  # the case itself
            for _ in range(_DRAWS):
                if not unlawful.any():
                    break
                rows = np.flatnonzero(unlawful)
                more_data, more = self._draw(data_row, len(rows) + 1)
                data[rows], inverse[rows] = more_data[1:], more[1:]
                unlawful[rows] = ~self.lawful(inverse[rows])
            if unlawful.any():
                # a charge the past cases hardly hold (a model asked outside its data: the report says so) leaves
                # draws no court could hear; each is the case itself instead, which tells LIME nothing either way
                rows = np.flatnonzero(unlawful)
                data[rows], inverse[rows] = data[0], inverse[0]
            return data, inverse

    return LawfulLimeTabular


class LimeExplainer:
    def __init__(
        self,
        model: SentencingModel,
        background: pd.DataFrame,
        *,
        samples: int = 5000,
        seed: int = 0,
    ) -> None:
        self._model = model
        self._background = background
        self._samples = samples
        self._seed = seed
        self._catalogue = load_catalogue()
        self._all_columns = list(feature_columns(self._catalogue))

    def _choices(self, column: str) -> list[str] | None:
        spec = self._catalogue.factor(column)
        if spec.type is FactorType.ENUM:
            return list(spec.values)
        if spec.type is FactorType.BOOLEAN:
            return ["no", "yes"]
        return None

    def _encode(
        self, frame: pd.DataFrame, columns: list[str], fill: dict[str, Any] | None = None
    ) -> np.ndarray[Any, Any]:
        """``fill``: the case's own values, for a fact the past cases do not record (a model's data older than the
        catalogue): held at the case's value, it is never perturbed."""
        held = {c: fill[c] for c in columns if c not in frame.columns} if fill is not None else {}
        out = np.empty((len(frame), len(columns)), dtype=float)
        for index, column in enumerate(columns):
            if column in held:  # a constant column, never added to the frame (dozens of them would fragment it)
                out[:, index] = self._encode_column(column, pd.Series([held[column]]))[0]
            else:
                out[:, index] = self._encode_column(column, frame[column])
        return out

    def _encode_column(self, column: str, values: pd.Series) -> np.ndarray[Any, Any]:
        choices = self._choices(column)
        if choices is None:
            return np.asarray(values.to_numpy(dtype=float), dtype=float)
        if choices == ["no", "yes"]:
            return np.asarray(values.to_numpy(dtype=float) > 0.5, dtype=float)
        codes = pd.Index(choices).get_indexer(values.astype(str).to_numpy(dtype=object))
        if (codes < 0).any():
            unknown = values.astype(str).to_numpy(dtype=object)[codes < 0][0]
            raise KeyError(f"{column}: {unknown!r} is none of {choices}")
        return np.asarray(codes, dtype=float)

    def _reference(self, charge: str, columns: list[str], fill: dict[str, Any]) -> np.ndarray[Any, Any]:
        """The encoded past cases LIME samples around: of the charge when there are enough."""
        return self._encode(past_cases_of_charge(self._background, charge), columns, fill)

    def _decode(self, array: np.ndarray[Any, Any], columns: list[str], fixed: dict[str, Any]) -> pd.DataFrame:
        n = len(array)
        data: dict[str, np.ndarray[Any, Any]] = {}
        for column in self._all_columns:
            if column not in columns:
                value = fixed[column]
                data[column] = np.full(n, value, dtype=object if isinstance(value, str) else np.float64)
                continue
            index = columns.index(column)
            choices = self._choices(column)
            if choices is None or choices == ["no", "yes"]:
                data[column] = array[:, index].astype(np.float64)
            else:
                codes = np.clip(np.rint(array[:, index]).astype(int), 0, len(choices) - 1)
                data[column] = np.array(choices, dtype=object)[codes]
        return pd.DataFrame(data, copy=False)

    def _repair(self, array: np.ndarray[Any, Any], columns: list[str]) -> np.ndarray[Any, Any]:
        """Whole numbers for whole-number facts, every number inside its legal range (LIME draws numbers from a
        normal distribution inside each quartile bin: fractional ages, no act at all)."""
        out = array.copy()
        for index, column in enumerate(columns):
            spec = self._catalogue.factor(column)
            if spec.type in (FactorType.INTEGER, FactorType.NUMBER):
                values = np.rint(out[:, index]) if spec.type is FactorType.INTEGER else out[:, index]
                assert spec.minimum is not None and spec.maximum is not None
                out[:, index] = np.clip(values, spec.minimum, spec.maximum)
        return out

    def explain(self, case: Case) -> Attribution:
        from lime.lime_tabular import LimeTabularExplainer  # slow to import; only this path needs it

        columns = [spec.id for spec in self._catalogue.factors_for(case.charge)]
        row_values = feature_row(case, self._catalogue)
        row = self._encode(pd.DataFrame([row_values]), columns)[0]
        categorical = [i for i, c in enumerate(columns) if self._choices(c) is not None]
        jurisdiction = load_jurisdiction(case.jurisdiction)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            explainer = _lawful_lime(LimeTabularExplainer)(  # fresh for every explanation: bit-identical only so
                self._reference(case.charge, columns, row_values),
                feature_names=columns,
                categorical_features=categorical,
                categorical_names={i: self._choices(columns[i]) for i in categorical},
                mode="regression",
                random_state=self._seed,
            )
            explainer.repair = lambda array: self._repair(array, columns)
            explainer.lawful = lambda array: lawful_rows(self._decode(array, columns, row_values), case.charge,
                                                         jurisdiction, self._catalogue)  # fmt: skip
            explanation = explainer.explain_instance(
                row,
                lambda array: self._model.predict_frame(self._decode(array, columns, row_values)),
                num_features=len(columns),
                num_samples=self._samples,
            )
        weights = {columns[int(i)]: float(w) for i, w in explanation.local_exp[1]}
        ordered = tuple((c, round(weights.get(c, 0.0), 10)) for c in columns)
        return Attribution(
            "lime",
            self._seed,
            self._samples,
            round(float(explanation.intercept[1]), 10),
            round(float(explanation.predicted_value), 10),
            ordered,
        )
