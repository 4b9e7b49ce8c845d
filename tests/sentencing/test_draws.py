"""Generator 3.0 draws by columns (sentencing.draws): every row a lawful case, the same distributions as the row-by-row
draws of 2.x, the same bytes for a seed; and 2.1 still reproduces, byte for byte, the data sets drawn before."""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from explain_tiers.training_quality import _document
from sentencing.case import parse_case
from sentencing.catalogue import load_catalogue
from sentencing.draws import draw_feature_frame
from sentencing.features import case_values, feature_frame
from sentencing.judgments import (
    ALL_CRIMES,
    FOUR_CHARGES,
    GeneratorSpec,
    draw_cases,
    frame_digest,
    frame_to_csv_bytes,
    generate_judgments,
)
from sentencing.jurisdiction import load_jurisdiction

ROWS = 30_000


@pytest.fixture(scope="module")
def columns() -> pd.DataFrame:
    return draw_feature_frame(np.random.default_rng(2), ROWS, load_jurisdiction("default"), ALL_CRIMES)


@pytest.fixture(scope="module")
def row_by_row() -> pd.DataFrame:
    return feature_frame(draw_cases(ROWS, 3, shares=ALL_CRIMES))


def test_every_row_is_a_lawful_case_whose_features_come_back(columns: pd.DataFrame) -> None:
    """Each row, written as a case file, passes the case rules of any file, and the case gives back its features."""
    table, catalogue = load_jurisdiction("default"), load_catalogue()
    sample = columns.iloc[:8000].reset_index(drop=True)
    typed = {spec.id: case_values(sample[spec.id], spec) for spec in catalogue.factors}
    cases = [parse_case(_document(charge, typed, i), jurisdiction=table) for i, charge in enumerate(sample["charge"])]
    back = feature_frame(cases)
    assert list(back.columns) == list(sample.columns) and (back.dtypes == sample.dtypes).all()
    for column in sample.columns:
        assert (back[column].astype(str).to_numpy() == sample[column].astype(str).to_numpy()).all(), column


def test_the_same_distributions_as_the_row_by_row_draws(columns: pd.DataFrame, row_by_row: pd.DataFrame) -> None:
    """Every crime's share; within each crime, every named value's and yes/no fact's frequency (two-proportion z) and
    every number's distribution (two-sample Kolmogorov–Smirnov) — ~3,000 comparisons, none beyond chance."""
    assert set(columns["charge"]) == set(row_by_row["charge"]) == {charge for charge, _ in ALL_CRIMES}
    for charge, share in ALL_CRIMES:
        n = (columns["charge"] == charge).sum()
        assert abs(n / ROWS - share) < 5 * np.sqrt(share * (1 - share) / ROWS), charge
    worst_z, worst_ks = (0.0, ""), (1.0, "")
    for charge, _ in ALL_CRIMES:
        old, new = row_by_row[row_by_row["charge"] == charge], columns[columns["charge"] == charge]
        for column in columns.columns[1:]:
            a, b = old[column], new[column]
            if pd.api.types.is_numeric_dtype(a) and max(a.nunique(), b.nunique()) > 2:
                p = stats.ks_2samp(a.to_numpy(), b.to_numpy()).pvalue
                worst_ks = min(worst_ks, (float(p), f"{charge}.{column}"))
                continue
            for value in set(a) | set(b):
                p1, p2 = float((a == value).mean()), float((b == value).mean())
                pooled = (p1 * len(a) + p2 * len(b)) / (len(a) + len(b))
                se = np.sqrt(pooled * (1 - pooled) * (1 / len(a) + 1 / len(b)))
                if se > 0:
                    worst_z = max(worst_z, (abs(p1 - p2) / se, f"{charge}.{column}={value}"))
                else:
                    assert p1 == p2, (charge, column, value)
    # a systematic difference of a few points shows as z > 10 at these sizes; chance alone rarely passes 5
    assert worst_z[0] < 5.0, worst_z
    assert worst_ks[0] > 1e-6, worst_ks


def test_a_seed_gives_the_same_bytes_and_another_seed_others() -> None:
    first = generate_judgments(GeneratorSpec(rows=3000, seed=11))
    assert (
        generate_judgments(GeneratorSpec(rows=3000, seed=11)).ground_truth["data_sha256"]
        == (first.ground_truth["data_sha256"])
    )
    assert (
        generate_judgments(GeneratorSpec(rows=3000, seed=12)).ground_truth["data_sha256"]
        != (first.ground_truth["data_sha256"])
    )
    assert first.ground_truth["generator_version"] == "3.0"
    # pinned: a change of the draws (their order, a probability) shows here, and needs a new version
    assert first.ground_truth["data_sha256"] == PINNED_3_0


PINNED_3_0 = "d81d05e48ca4d67ba986794929f0976bf709729b15917434dc9a633f73637aca"


def test_version_2_1_draws_the_data_sets_of_before_byte_for_byte() -> None:
    """The digests of the frames generator 2.1 drew before the columns came (commit 5556c72), for all crimes and for the
    first generator's four."""
    all_crimes = generate_judgments(GeneratorSpec(rows=2000, seed=11, version="2.1"))
    four = generate_judgments(GeneratorSpec(rows=2000, seed=11, charge_shares=FOUR_CHARGES, version="2.1"))
    assert all_crimes.ground_truth["data_sha256"] == "725a78bd8298840ebc0273b589bb4ea7e025332ab076077eff68b5fbae0240bd"
    assert four.ground_truth["data_sha256"] == "0cc70a8c5fa683d2cb676ea15c510f5ac16485d3c7d988ab1ca2770e72de3744"
    assert all_crimes.ground_truth["generator_version"] == "2.1"


def test_an_unknown_version_is_refused() -> None:
    with pytest.raises(ValueError, match=r"version: one of 2\.1, 3\.0"):
        GeneratorSpec(version="4")


def test_the_csv_is_pandas_own_byte_for_byte() -> None:
    """The judgments' CSV is written by columns; it is the bytes pandas writes, for a judgments frame and for the odd
    numbers and texts a frame may hold (which go to pandas itself)."""
    import io

    def by_pandas(frame: pd.DataFrame) -> bytes:
        buffer = io.StringIO()
        frame.to_csv(buffer, index=False, lineterminator="\n", float_format="%.6g")
        return buffer.getvalue().encode("utf-8")

    frame = generate_judgments(GeneratorSpec(rows=3000, seed=4)).frame
    assert frame_to_csv_bytes(frame) == by_pandas(frame)
    assert frame_digest(frame) == hashlib.sha256(by_pandas(frame)).hexdigest()
    odd = pd.DataFrame({
        "x": [1e6, 1234567.0, 0.1, -0.0, 1e-7, 123456.5, 2.5e20, -3.25], "y": list("abcdefgh"),
        "z": np.arange(8), "w": [True, False] * 4, "b": [0.0, 1.0] * 4,
    })  # fmt: skip
    for variant in (odd, odd.assign(y=["a,b", *"bcdefgh"]), odd.assign(y=['say "x"', *"bcdefgh"]),
                    odd.assign(x=[np.nan, 1, 2, 3, 4, 5, 6, np.inf]), odd.assign(y=["", *"bcdefgh"]), odd.iloc[:0],
                    odd.assign(b=[-0.0, 1.0] * 4)):  # fmt: skip
        assert frame_to_csv_bytes(variant) == by_pandas(variant)
