"""Practice as a yardstick: the nearest decided cases on the legally relevant facts, their outcomes' spread, and the
index file read back as plain, checked arrays."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from sentencing.case import Case, parse_case
from sentencing.errors import InputFileError, Rule
from sentencing.practice import (
    PracticeIndex,
    build_index,
    case_record,
    compare_with_practice,
    feature_layout,
    load_index,
    save_index,
    simhash,
)

DEFENDANT = {"age_at_offence": 30, "sex": "male", "household_registration": "local", "occupation": "employed",
             "region": "east", "ethnicity": "han"}  # fmt: skip


def theft(amount: float, case_id: str = "q", defendant: dict[str, object] | None = None) -> Case:
    return parse_case({"schema_version": "1.0", "case_id": case_id, "charge": "theft",
                       "facts": {"amount_yuan": amount}, "circumstances": {},
                       "defendant": defendant or DEFENDANT})  # fmt: skip


def corpus() -> PracticeIndex:
    decided = [(3000, 4), (6000, 6), (12000, 9), (24000, 14), (48000, 30), (96000, 40), (5000, 5)]
    records = [case_record(f"t{i}", theft(amount), months) for i, (amount, months) in enumerate(decided)]
    records.append(case_record("d1", parse_case({"schema_version": "1.0", "case_id": "d1",
                                                 "charge": "dangerous_driving",
                                                 "facts": {"blood_alcohol_mg_per_100ml": 150},
                                                 "defendant": DEFENDANT}), 2))  # fmt: skip
    return build_index(records, source="test corpus", sha256="0" * 64, synthetic=False)


def test_the_nearest_cases_are_of_the_same_charge_and_nearest_amount() -> None:
    comparison = compare_with_practice(corpus(), theft(11000), k=3, model_months=30, guideline_months=9)
    assert [n.judgment_id for n in comparison.neighbours] == ["t2", "t1", "t3"]  # ¥12,000, ¥6,000, ¥24,000
    assert all(n.judgment_id.startswith("t") for n in comparison.neighbours)
    assert comparison.neighbours[0].differences == ("amount_yuan",)
    assert dict(comparison.quantiles)["median"] == 9
    assert comparison.model_percentile == 100.0 and comparison.guideline_percentile == 50.0
    assert comparison.model_outside is False  # fewer than five neighbours: no finding
    wide = compare_with_practice(corpus(), theft(11000), k=6, model_months=60)
    assert wide.model_outside is True


def test_legally_irrelevant_facts_do_not_move_the_distance() -> None:
    other = {**DEFENDANT, "sex": "female", "household_registration": "non_local", "ethnicity": "minority"}
    a = compare_with_practice(corpus(), theft(11000), k=4)
    b = compare_with_practice(corpus(), theft(11000, defendant=other), k=4)
    assert a.neighbours == b.neighbours
    assert not any(column.startswith(("sex", "household", "ethnicity", "region", "occupation"))
                   for column, _ in feature_layout("theft"))  # fmt: skip


def test_ties_are_broken_by_text_then_by_id() -> None:
    same = [case_record(f"x{i}", theft(5000), 5, text) for i, text in
            enumerate(["被告人在超市盗窃手机一部", "被告人入户盗窃现金", None])]  # fmt: skip
    index = build_index(same, source="ties", sha256="1" * 64, synthetic=False)
    near = compare_with_practice(index, theft(5000), k=3, text="被告人入户盗窃现金五千元")
    assert near.neighbours[0].judgment_id == "x1"
    plain = compare_with_practice(index, theft(5000), k=3)
    assert [n.judgment_id for n in plain.neighbours] == ["x0", "x1", "x2"]
    assert simhash("被告人入户盗窃现金") == simhash("被告人 入户盗窃现金")


def test_an_index_file_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "corpus.npz"
    path.write_bytes(save_index(corpus(), path))
    again = load_index(path)
    assert again.describe() == corpus().describe()
    query = theft(11000)
    assert compare_with_practice(again, query, k=3) == compare_with_practice(corpus(), query, k=3)


Change = Callable[[dict[str, Any]], object]


def _tampered(tmp_path: Path, change: Change) -> Path:
    path = tmp_path / "corpus.npz"
    arrays = dict(np.load(io.BytesIO(save_index(corpus(), path)), allow_pickle=False))
    change(arrays)
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    path.write_bytes(buffer.getvalue())
    return path


@pytest.mark.parametrize(("change", "rule"), [
    (lambda a: a.__setitem__("theft.months", a["theft.months"][:-1]), Rule.PACK_MALFORMED),
    (lambda a: a.__setitem__("theft.matrix", a["theft.matrix"] * np.nan), Rule.PACK_MALFORMED),
    (lambda a: a.pop("theft.ids"), Rule.PACK_MALFORMED),
    (lambda a: a.__setitem__("manifest", np.frombuffer(b'{"schema_version": "9"}', dtype=np.uint8)),
     Rule.UNSUPPORTED_SCHEMA),
    (lambda a: a.__setitem__("theft.ids", np.array([object()] * 7, dtype=object)), Rule.PACK_MALFORMED),
])  # fmt: skip
def test_a_tampered_index_is_refused_naming_the_file(tmp_path: Path, change: Change, rule: Rule) -> None:
    path = _tampered(tmp_path, change)
    with pytest.raises(InputFileError) as refused:
        load_index(path)
    assert refused.value.rule == rule and str(path) in str(refused.value) and "\n" not in str(refused.value)


def test_bytes_that_are_no_index_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "x.npz"
    path.write_bytes(b"PK\x03\x04 not really a zip")
    with pytest.raises(InputFileError) as refused:
        load_index(path)
    assert refused.value.rule == Rule.PACK_MALFORMED
