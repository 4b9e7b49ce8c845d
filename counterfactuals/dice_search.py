"""dice-ml behind one adapter: counterfactuals over continuous spaces, for diversity, and as the baseline.

DiCE needs background data to know the features' distributions. Vendors' models rarely come with
their training data, so the adapter draws a seeded, bias-free sample from the synthetic-judgment
generator and labels it with the model's own predictions: the same for every kind of model.
Yes/no facts are given to DiCE as categories ("0"/"1"), or it proposes fractional values.

Nothing DiCE reports is trusted (STACK.md: its reported outcomes are rounded or, for ``kdtree``,
wrong): every proposal is turned back into a case, checked by the legal rules, and re-predicted
by the model under challenge. Proposals that fail are returned as rejections with the reason.
"""

from __future__ import annotations

import random
import time
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from counterfactuals.edits import apply_changes
from counterfactuals.search import Counterfactual, Rejection, SearchResult, Target, change_distance, search_space
from sentencing.case import Case
from sentencing.catalogue import Catalogue, FactorType, FactorValue, load_catalogue
from sentencing.errors import CaseValidationError, InputError, Rule
from sentencing.features import feature_columns, feature_frame
from sentencing.guideline import derive_sentence
from sentencing.judgments import background_features
from sentencing.jurisdiction import Jurisdiction, load_jurisdiction
from sentencing.models import SentencingModel, predict_cases

__all__ = ["DICE_METHODS", "find_with_dice"]

DICE_METHODS = ("random", "genetic")
_OUTCOME = "recommended_months"


def _boolean_columns(catalogue: Catalogue) -> list[str]:
    return [f.id for f in catalogue.factors if f.type is FactorType.BOOLEAN]


def _to_dice(frame: pd.DataFrame, booleans: Sequence[str]) -> pd.DataFrame:
    out = frame.copy()
    for column in booleans:
        out[column] = np.where(out[column].to_numpy(dtype=float) > 0.5, "1", "0")
    return out


def _from_dice(frame: pd.DataFrame, booleans: Sequence[str], catalogue: Catalogue) -> pd.DataFrame:
    out = frame[list(feature_columns(catalogue))].copy()
    for column in booleans:
        out[column] = (out[column].astype(str) == "1").astype(np.float64)
    for spec in catalogue.factors:
        if spec.type in (FactorType.INTEGER, FactorType.NUMBER):
            out[spec.id] = pd.to_numeric(out[spec.id], errors="coerce").astype(np.float64)
    return out


class _DiceModel:
    """What DiCE calls: ``predict(frame)``, answered by the model under challenge through its adapter."""

    def __init__(self, model: SentencingModel, booleans: Sequence[str], catalogue: Catalogue) -> None:
        self._model, self._booleans, self._catalogue = model, list(booleans), catalogue

    def predict(self, frame: pd.DataFrame) -> NDArray[np.float64]:
        return self._model.predict_frame(_from_dice(frame, self._booleans, self._catalogue))


_LABELLED: dict[tuple[str, int], pd.DataFrame] = {}


def _labelled_background(model: SentencingModel, rows: int) -> pd.DataFrame:
    """The background sample labelled by this model (kept per model fingerprint, or per object without one)."""
    key = (model.identity.sha256 or f"object-{id(model)}", rows)
    if key not in _LABELLED:
        features = background_features(rows)
        _LABELLED[key] = features.assign(**{_OUTCOME: model.predict_frame(features)})
    return _LABELLED[key]


def _value(spec_type: FactorType, raw: Any, integer: bool) -> FactorValue:
    if spec_type is FactorType.BOOLEAN:
        return str(raw) == "1"
    if spec_type is FactorType.ENUM:
        return str(raw)
    number = float(raw)
    return round(number) if integer else round(number, 2)


def find_with_dice(
    case: Case,
    model: SentencingModel,
    target: Target,
    *,
    method: str = "random",
    answers: int = 3,
    seed: int = 0,
    background_rows: int = 2000,
    jurisdiction: Jurisdiction | None = None,
    catalogue: Catalogue | None = None,
) -> SearchResult:
    """Ask dice-ml for ``answers`` counterfactuals among the same factors and legal ranges as the exact search."""
    if method not in DICE_METHODS:
        raise InputError(
            f"method {method!r}",
            Rule.NOT_ALLOWED_VALUE,
            f"dice-ml methods here are {', '.join(DICE_METHODS)}",
        )
    import dice_ml  # imported here: it is slow to import and only this path needs it
    from raiutils.exceptions import UserConfigValidationException

    catalogue = catalogue or load_catalogue()
    jurisdiction = jurisdiction or load_jurisdiction(case.jurisdiction)
    space = search_space(case, catalogue=catalogue, jurisdiction=jurisdiction)
    vary = [o.factor for o in space]
    booleans = _boolean_columns(catalogue)
    background = _to_dice(_labelled_background(model, background_rows), booleans)
    numeric = [f.id for f in catalogue.factors if f.type in (FactorType.INTEGER, FactorType.NUMBER)]
    permitted: dict[str, list[Any]] = {}
    for factor in vary:
        spec = catalogue.factor(factor)
        if spec.type in (FactorType.INTEGER, FactorType.NUMBER):
            permitted[factor] = [spec.minimum, spec.maximum]
    baseline = float(predict_cases(model, [case])[0])
    low = target.low if target.low is not None else min(0.0, float(background[_OUTCOME].min()))
    high = target.high if target.high is not None else float(background[_OUTCOME].max())
    if target.high is not None and not target.high_inclusive:
        high = float(np.nextafter(high, -np.inf))
    query = _to_dice(feature_frame([case], catalogue), booleans)

    notes: list[str] = []
    found: list[Counterfactual] = []
    rejections: list[Rejection] = []
    started = time.perf_counter()
    python_state, numpy_state = random.getstate(), np.random.get_state()
    try:
        # dice-ml's genetic method draws from the global generators; seed them, then put them back.
        random.seed(seed)
        np.random.seed(seed)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # dice-ml's pandas deprecation noise (STACK.md)
            explainer = dice_ml.Dice(
                dice_ml.Data(dataframe=background, continuous_features=numeric, outcome_name=_OUTCOME),
                dice_ml.Model(model=_DiceModel(model, booleans, catalogue), backend="sklearn", model_type="regressor"),
                method=method,
            )
            options: dict[str, Any] = {"random_seed": seed} if method == "random" else {}
            produced = explainer.generate_counterfactuals(
                query,
                total_CFs=answers,
                desired_range=[low, high],
                features_to_vary=vary,
                permitted_range=permitted,
                **options,
            )
        proposals = produced.cf_examples_list[0].final_cfs_df
    except UserConfigValidationException as exc:
        proposals = None
        notes.append(f"dice-ml found no counterfactual: {exc}")
    finally:
        random.setstate(python_state)
        np.random.set_state(numpy_state)
    notes.append(f"dice-ml {method} ran {time.perf_counter() - started:.3f} s")

    seen: set[tuple[tuple[str, FactorValue], ...]] = set()
    for _, row in (proposals if proposals is not None else pd.DataFrame()).iterrows():
        changes: dict[str, FactorValue] = {}
        for factor in vary:
            spec = catalogue.factor(factor)
            value = _value(
                spec.type, row[factor], spec.type is FactorType.INTEGER or isinstance(case.value(factor), int)
            )
            if value != case.value(factor):
                changes[factor] = value
        key = tuple(sorted(changes.items(), key=lambda kv: kv[0]))
        if key in seen:
            continue
        seen.add(key)
        if not changes:
            rejections.append(Rejection(key, "proposes no change"))
            continue
        try:
            changed, change_list = apply_changes(case, changes, catalogue)
        except CaseValidationError as exc:
            rejections.append(Rejection(key, f"not a lawful case: {exc.violations[0]}"))
            continue
        value = float(predict_cases(model, [changed])[0])
        if not target.reached(np.array([value]))[0]:
            rejections.append(Rejection(key, f"re-predicted {value:.3f}: misses the target"))
            continue
        distance = change_distance([(c.factor, c.before, c.after) for c in change_list], catalogue)
        guideline = derive_sentence(changed, jurisdiction).recommended_months
        found.append(Counterfactual(change_list, changed, value, guideline, distance))
    sizes = [a.size for a in found]
    return SearchResult(
        case_id=case.case_id,
        method=f"dice-{method}",
        target=target,
        baseline_months=baseline,
        answers=tuple(found),
        minimal_size=min(sizes) if sizes else None,
        proven_minimal=False,
        max_changes=len(vary),
        candidates_evaluated=0 if proposals is None else len(proposals),
        searched_factors=tuple(vary),
        model_sha256=model.identity.sha256,
        seed=seed,
        rejections=tuple(rejections),
        notes=tuple(notes),
    )
