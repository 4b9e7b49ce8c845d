"""The batch audit, streamed in chunks: validated against the bias injected into the reference model's data."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd
import pytest

from explain_tiers.batch_audit import AuditPartial, _bounded_map, run_batch_audit
from sentencing.errors import InputFileError


def _judgments(adapter) -> Path:
    return adapter.artifact.folder / "training-data" / "judgments.csv"


@pytest.fixture(scope="module")
def reference_audit(reference_adapter):
    return run_batch_audit(_judgments(reference_adapter), str(reference_adapter.artifact.folder), chunk_rows=3000,
                           progress=False)  # fmt: skip


def test_flip_tests_recover_the_injected_bias_and_nothing_else(reference_adapter, reference_audit) -> None:
    import json

    truth = json.loads((reference_adapter.artifact.folder / "training-data" / "ground_truth.json").read_text())
    injected = {(e["factor"], e["value"]): e["percent"] for e in truth["injected_bias"]}
    assert injected == {("household_registration", "non_local"): 10.0, ("occupation", "unemployed"): 8.0}
    for (factor, value), percent in injected.items():
        assert reference_audit.flip(factor, value).mean_change_percent == pytest.approx(percent, abs=2.0)
    for line in reference_audit.flips:  # the trees fit some noise in small groups, well under the 3% of a finding:
        if (line.factor, line.value) not in injected:  # measured at most 1.52% (self-employed), generator 3.0's data
            assert abs(line.mean_change_percent) < 2.0, line
    flagged = {text.en.split(" (")[0] for text in reference_audit.findings}
    assert flagged == {"household registration", "occupation"}
    assert any("外地户籍" in f.zh and "《刑法》第四条" in f.zh for f in reference_audit.findings)
    assert reference_audit.rows == 20_000 and reference_audit.covered == 1.0
    assert reference_audit.population == "training data"


def test_a_bias_free_model_raises_no_finding(bias_free_adapter) -> None:
    audit = run_batch_audit(_judgments(bias_free_adapter), str(bias_free_adapter.artifact.folder), chunk_rows=5000,
                            progress=False)  # fmt: skip
    # no finding (3%); 800 trees of depth 5 fit some noise: the largest move of a small group, measured, 1.63% on
    # generator 3.0's 20,000 judgments (1.27% on 2.1's; 40,000 judgments halve it, at twice the build)
    assert audit.findings == () and max(abs(f.mean_change_percent) for f in audit.flips) < 2.0


def test_chunk_size_and_workers_do_not_change_the_result(reference_adapter, reference_audit) -> None:
    whole = run_batch_audit(_judgments(reference_adapter), str(reference_adapter.artifact.folder), chunk_rows=50_000,
                            progress=False)  # fmt: skip
    pooled = run_batch_audit(_judgments(reference_adapter), str(reference_adapter.artifact.folder), chunk_rows=1777,
                             workers=2, progress=False)  # fmt: skip
    for other in (whole, pooled):
        assert other.rows == reference_audit.rows
        for a, b in zip(reference_audit.flips, other.flips, strict=True):
            assert (a.factor, a.value, a.rows) == (b.factor, b.value, b.rows)
            assert a.mean_change_percent == pytest.approx(b.mean_change_percent, rel=1e-9, abs=1e-12)
        for a, b in zip(reference_audit.groups, other.groups, strict=True):
            assert a.rows == b.rows and a.mean_recommended == pytest.approx(b.mean_recommended, rel=1e-12)


def test_group_means_match_a_direct_computation(reference_adapter, reference_audit) -> None:
    frame = pd.read_csv(_judgments(reference_adapter))
    predicted = reference_adapter.predict_frame(frame[list(frame.columns[1:-3])])
    frame["predicted"] = predicted
    for line in reference_audit.groups:
        part = frame[frame[line.factor] == line.value]
        assert line.rows == len(part)
        assert line.mean_recommended == pytest.approx(part["predicted"].mean(), rel=1e-9)
        assert line.mean_actual == pytest.approx(part["sentence_months"].mean(), rel=1e-12)


def test_coverage_names_the_columns_outside_the_training_data(reference_adapter, tmp_path) -> None:
    frame = pd.read_csv(_judgments(reference_adapter)).head(200)
    frame.loc[frame["charge"] == "theft", "amount_yuan"] = 1e9
    data = tmp_path / "cases.csv"
    frame.to_csv(data, index=False)
    audit = run_batch_audit(data, str(reference_adapter.artifact.folder), chunk_rows=64, progress=False)
    thefts = (frame["charge"] == "theft").sum()
    assert dict(audit.outside_by_column) == {"amount_yuan": thefts}
    assert audit.covered == pytest.approx(1 - thefts / 200)
    assert next(c for c in audit.coverage if c.charge == "theft").covered == 0.0


def _replace(frame: pd.DataFrame, column: str, row: int, value: str) -> pd.DataFrame:
    values = frame[column].astype(object).tolist()
    values[row] = value
    return frame.assign(**{column: values})


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda f: f.drop(columns=["sex"]), "columns ['sex'] are missing"),
        (lambda f: _replace(f, "age_at_offence", 0, "thirty"), "line 2, column age_at_offence"),
        (lambda f: _replace(f, "household_registration", 4, "martian"), "line 6, column household_registration"),
    ],
)  # fmt: skip
def test_bad_case_files_are_refused_with_line_and_column(reference_adapter, tmp_path, change, message) -> None:
    frame = change(pd.read_csv(_judgments(reference_adapter)).head(50))
    data = tmp_path / "cases.csv"
    frame.to_csv(data, index=False)
    with pytest.raises(InputFileError) as error:
        run_batch_audit(data, str(reference_adapter.artifact.folder), chunk_rows=20, progress=False)
    assert message in str(error.value)


def test_no_more_chunks_are_in_flight_than_allowed() -> None:
    """Memory stays bounded: the reader is never more than ``in_flight`` chunks ahead of the results."""
    lock, state = threading.Lock(), {"now": 0, "most": 0}

    def work(chunk, context):
        with lock:
            state["most"] = max(state["most"], state["now"])
        with lock:
            state["now"] -= 1
        return AuditPartial(len(chunk))

    def chunks():
        for _ in range(40):
            with lock:
                state["now"] += 1
            yield pd.DataFrame({"x": range(10)})

    with ThreadPoolExecutor(4) as pool:
        total = sum(p.rows for p in _bounded_map(pool, work, chunks(), None, in_flight=3))
    assert total == 400 and state["most"] <= 3


def test_partials_merge_in_any_grouping() -> None:
    a = AuditPartial(2, {("sex", "male"): [2, 10.0, 2, 9.0, 1.0]}, {}, {"theft": [2, 2]}, {"x": 1})
    b = AuditPartial(1, {("sex", "male"): [1, 4.0, 1, 5.0, -1.0]}, {}, {"fraud": [1, 0]}, {"x": 2})
    c = AuditPartial(3, {("sex", "female"): [3, 9.0, 0, 0.0, 0.0]}, {("sex", "female"): [3, 1.0, 0.1, 1]}, {}, {})
    left, right = a.merge(b).merge(c), a.merge(b.merge(c))
    assert left == right and left.rows == 6 and left.outside == {"x": 3}
    assert left.groups[("sex", "male")] == [3, 14.0, 3, 14.0, 0.0]
