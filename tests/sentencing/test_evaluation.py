"""The guideline measured against decided cases: reading judgment files, comparing, summarising, splitting."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from sentencing.errors import InputFileError, Rule
from sentencing.evaluation import (
    JudgmentFile,
    JudgmentRecord,
    cail_score,
    compare_judgment,
    evaluate_judgments,
    held_out,
)

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "cail2018-sample" / "cases.jsonl"
LABELS = Path(__file__).resolve().parents[1] / "fixtures" / "judgments" / "cail2018-labels.jsonl"


def _lines(path: Path, rows: list[Any]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def _theft(amount: float, **circumstances: Any) -> dict[str, Any]:
    return {"schema_version": "1.0", "case_id": "x", "charge": "theft", "facts": {"amount_yuan": amount},
            "circumstances": circumstances}  # fmt: skip


def _cail(identifier: str, months: float, fine: float | None = 2000, **extra: Any) -> dict[str, Any]:
    term = {"imprisonment": months, "death_penalty": False, "life_imprisonment": False}
    meta = {"term_of_imprisonment": term, "punish_of_money": fine, "accusation": ["盗窃"], "relevant_articles": [264],
            "criminals": ["某"]}  # fmt: skip
    return {"id": identifier, "charge": "theft", "meta": meta, **extra}


def test_the_cail2018_score_steps_by_log_distance() -> None:
    assert cail_score(12, 12) == 1.0
    assert cail_score(0, 0) == 1.0
    assert cail_score(10, 13) == 0.8  # |ln 11 - ln 14| = 0.24
    assert cail_score(0, 6) == 0.0  # a custodial term where the court gave none
    assert cail_score(6, 0) == 0.0


def test_a_case_file_line_with_its_real_outcome(tmp_path: Path) -> None:
    path = _lines(tmp_path / "j.jsonl", [{"id": "a", "case": _theft(12000), "real": {"months": 10, "fine_yuan": 5000}}])
    (record,) = list(JudgmentFile(path))
    assert record.case.number("amount_yuan") == 12000 and record.real.months == 10 and record.real.fine_yuan == 5000
    assert record.case.number("age_at_offence") == 35  # a fact section seldom states it: the neutral defendant


def test_cail2018_lines_with_facts_inline_or_in_a_facts_file(tmp_path: Path) -> None:
    inline = _cail("a", 11, facts={"amount_yuan": 12000}, fact="…the text is ignored…")
    path = _lines(tmp_path / "cail.jsonl", [inline, _cail("b", 0), _cail("c", 4)])
    facts = _lines(tmp_path / "facts.jsonl", [{"id": "b", "charge": "theft", "facts": {"amount_yuan": 2000},
                                               "circumstances": {"confession": "ordinary"}}])  # fmt: skip
    with pytest.raises(InputFileError) as caught:
        list(JudgmentFile(path))  # b has no facts and no facts file
    assert caught.value.field.endswith("cail.jsonl:2") and caught.value.rule == Rule.MISSING_REQUIRED
    source = JudgmentFile(path, facts_path=facts)
    records = list(source)
    assert [r.judgment_id for r in records] == ["b"] and records[0].real.months == 0.0
    assert (source.read, source.without_facts) == (1, 2) and len(source.sha256) == 64


@pytest.mark.parametrize(
    ("line", "rule", "words"),
    [
        ("not json", Rule.FILE_NOT_JSON, ""),
        ('{"id": "a", "case": {}, "real": {"months": 700}}', Rule.OUT_OF_RANGE, "real.months"),
        ('{"id": "a", "case": {}, "real": {"months": 5}, "verdict": 1}', Rule.UNKNOWN_FIELD, "'real'"),
        ('{"case": {}, "real": {"months": 5}}', Rule.MISSING_REQUIRED, "'id'"),
        (json.dumps({**_cail("a", 5), "meta": {"term_of_imprisonment": {"imprisonment": 0,
                                                                         "life_imprisonment": True}}}),
         Rule.OUT_OF_RANGE, "life"),
        (json.dumps(_cail("a", 5, facts={"amount_yuan": 500})), Rule.BELOW_CRIMINAL_THRESHOLD, "amount_yuan"),
    ],
)  # fmt: skip
def test_a_bad_line_is_refused_by_file_and_line(tmp_path: Path, line: str, rule: str, words: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps({"id": "ok", "case": _theft(5000), "real": {"months": 5}}) + "\n" + line + "\n")
    with pytest.raises(InputFileError) as caught:
        list(JudgmentFile(path))
    assert caught.value.field.endswith("bad.jsonl:2"), caught.value.field
    assert caught.value.rule == rule and words in str(caught.value) and "\n" not in str(caught.value)


def test_a_judgment_twice_is_refused(tmp_path: Path) -> None:
    row = {"id": "a", "case": _theft(5000), "real": {"months": 5}}
    with pytest.raises(InputFileError, match="appears twice"):
        list(JudgmentFile(_lines(tmp_path / "j.jsonl", [row, row])))


def test_a_csv_of_cases_with_the_real_outcome(tmp_path: Path) -> None:
    path = tmp_path / "j.csv"
    path.write_text("case_id,charge,amount_yuan,surrender,real_months,real_fine_yuan\nk1,theft,12000,true,9,3000\n"
                    "k2,fraud,3766,,0,2000\n", encoding="utf-8")  # fmt: skip
    records = list(JudgmentFile(path))
    assert [(r.judgment_id, r.case.charge, r.case.flag("surrender") if r.case.charge == "theft" else None,
             r.real.months) for r in records] == [("k1", "theft", True, 9.0), ("k2", "fraud", None, 0.0)]  # fmt: skip


def test_the_split_is_by_id_complementary_and_stable(tmp_path: Path) -> None:
    rows = [{"id": f"j{i}", "case": _theft(5000 + i), "real": {"months": 5}} for i in range(200)]
    path = _lines(tmp_path / "j.jsonl", rows)
    held = {r.judgment_id for r in JudgmentFile(path, split=("held_out", 0.3))}
    rest = {r.judgment_id for r in JudgmentFile(path, split=("calibration", 0.3))}
    assert held.isdisjoint(rest) and held | rest == {f"j{i}" for i in range(200)}
    assert 40 <= len(held) <= 80  # about 30%
    assert held == {f"j{i}" for i in range(200) if held_out(f"j{i}", 0.3)}


def test_a_real_term_of_zero_is_compared(document: Any) -> None:
    from sentencing.case import parse_case
    from sentencing.evaluation import RealOutcome

    forgiven = {"confession": "ordinary", "compensation": "compensation_and_forgiveness"}
    case = parse_case(document(facts={"amount_yuan": 2000}, circumstances=forgiven))
    comparison = compare_judgment(JudgmentRecord("z", case, RealOutcome(0.0)))
    assert comparison.guideline_months == 0.0 and comparison.inside_band and comparison.distance == 0.0


def test_summaries_by_charge_and_the_worst_cases(tmp_path: Path) -> None:
    rows = [{"id": "near", "case": _theft(12000), "real": {"months": 11}},
            {"id": "far", "case": _theft(12000), "real": {"months": 60}},
            {"id": "fraud", "case": {**_theft(50000), "charge": "fraud"}, "real": {"months": 36}}]  # fmt: skip
    seen: list[int] = []
    evaluation = evaluate_judgments(JudgmentFile(_lines(tmp_path / "j.jsonl", rows)), source="j", progress=seen.append)
    assert [s.charge for s in evaluation.summaries] == ["fraud", "theft", "all"]
    theft = evaluation.summary("theft")
    assert theft.judgments == 2 and theft.inside_band == 0.5 and theft.mean_absolute_error == pytest.approx(24.5)
    assert evaluation.worst[0].judgment_id == "far" and sum(seen) == 3
    body = evaluation.to_dict()
    assert body["schema_version"] and body["summaries"][-1]["charge"] == "all"


@pytest.mark.skipif(not SHARED.is_file(), reason="the shared CAIL2018 sample is not on this machine")
def test_the_labelled_real_judgments_join_their_outcomes() -> None:
    labels = [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines()]
    assert len(labels) >= 250
    assert all(set(row) <= {"id", "charge", "facts", "circumstances"} for row in labels)  # structured facts, no text
    source = JudgmentFile(SHARED, facts_path=LABELS)
    records = list(source)
    assert source.read == len(labels) and len(records) == len(labels)
    assert {r.case.charge for r in records} == {"theft", "fraud", "intentional_injury", "dangerous_driving"}
    assert sum(r.real.months == 0 for r in records) >= 10  # courts that imposed no custodial term
