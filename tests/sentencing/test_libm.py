"""The C library's exp, log, log1p and expm1, element by element, and the build's use of them (not numpy's loops,
which differ from one CPU to another in the last bit)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from sentencing import libm
from sentencing.features import feature_columns
from sentencing.judgments import GeneratorSpec, generate_judgments
from sentencing.model import LogTermRegressor


@pytest.mark.parametrize("name", ["exp", "log", "log1p", "expm1"])
def test_each_function_is_the_c_librarys_bit_for_bit(name: str) -> None:
    values = np.random.default_rng(3).uniform(0.0, 9.0, 5000)
    values[:3] = [1e-300, 1.0, 700.0]
    ours = getattr(libm, name)(values)
    assert ours.dtype == np.float64 and ours.shape == values.shape
    assert ours.tobytes() == np.array([getattr(math, name)(v) for v in values]).tobytes()
    assert getattr(libm, name)(2.5) == getattr(math, name)(2.5) and isinstance(getattr(libm, name)(2.5), float)


def test_the_judgments_and_the_trees_never_call_numpys_transcendental_loops(monkeypatch) -> None:
    """Drawing judgments (both generators), fitting the trees on log months and answering: none of it goes through
    numpy's exp, log, log1p or expm1, whose AVX-512 loops made another machine build another reference model."""
    judgments = {version: generate_judgments(GeneratorSpec(rows=400, seed=5, version=version))
                 for version in ("2.1", "3.0")}  # fmt: skip
    expected = {version: j.frame.to_csv(index=False) for version, j in judgments.items()}

    def refuse(*args, **kwargs):
        raise AssertionError("numpy's transcendental loop was called")

    for name in ("exp", "log", "log1p", "expm1"):
        monkeypatch.setattr(np, name, refuse)
    for version, text in expected.items():  # the same draws without numpy's loops
        assert generate_judgments(GeneratorSpec(rows=400, seed=5, version=version)).frame.to_csv(index=False) == text
    frame = judgments["3.0"].frame
    numeric = frame[list(feature_columns())].select_dtypes("number")
    trees = LogTermRegressor(n_estimators=5, max_depth=2).fit(numeric, frame["sentence_months"])
    assert trees.predict(numeric).shape == (len(frame),)
