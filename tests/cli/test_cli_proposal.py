"""``voirdire proposal review`` as a user runs it: the proposal in the case file or beside it, with and without the
court's model, in both languages."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from tests.cli.runner import envelope_result, run

CASE = str(resources.files("sentencing").joinpath("data/cases/theft-plea-proposal.json"))


def test_review_of_the_bundled_proposal_with_the_courts_model(env: dict[str, str]) -> None:
    done = run(["proposal", "review", CASE, "--smallest-change", "--max-changes", "1", "--json"], env)
    assert done.returncode == 0, done.stderr
    result = envelope_result(done, "proposal review")
    assert result["plea_stage"] == "trial" and result["guideline"]["recommended_months"] == 9.0
    assert result["proposal_inside_band"] is False
    assert "proposal_outside_guideline_band" in [f["kind"] for f in result["findings"]]
    assert result["model"]["recommended_months"] > 0 and len(result["model"]["sha256"]) == 64
    assert result["smallest_change"]["minimal_size"] == 1 and result["smallest_change"]["proven_minimal"]
    assert len(result["art_201_checklist"]) == 6


def test_review_of_a_proposal_beside_the_case_in_chinese(env: dict[str, str], tmp_path: Path) -> None:
    document = json.loads(Path(CASE).read_text(encoding="utf-8"))
    proposal = document.pop("proposal")
    proposal["term_months"] = [8, 10]
    (tmp_path / "case.json").write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "p.json").write_text(json.dumps(proposal, ensure_ascii=False), encoding="utf-8")
    done = run(["proposal", "review", str(tmp_path / "case.json"), "--proposal", str(tmp_path / "p.json"),
                "--no-model", "--lang", "zh-CN"], env)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "量刑建议审查" in done.stdout and "建议在调节幅度之内" in done.stdout and "刑事诉讼法第201条" in done.stdout
    assert "True" not in done.stdout and "False" not in done.stdout


def test_a_bad_proposal_is_one_line_naming_the_field(env: dict[str, str], tmp_path: Path) -> None:
    document = json.loads(Path(CASE).read_text(encoding="utf-8"))
    document["proposal"]["term_months"] = 60
    document["proposal"]["probation"] = True
    (tmp_path / "case.json").write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    done = run(["proposal", "review", str(tmp_path / "case.json"), "--no-model"], env)
    assert done.returncode == 2 and done.stdout == ""
    line = done.stderr.strip()
    assert "\n" not in line and "proposal.probation" in line and "[contradiction]" in line


# texts written for this test in the style of a judgment's fact section (no CAIL2018 text is in the project)
_THEFTS = [
    (f"t{i}", f"被告人{name}于2021年{i}月3日在某商场窃得手机二部，经鉴定价值人民币{amount}元。到案后如实供述。", months)
    for i, (name, amount, months) in enumerate(
        [("甲", 8500, 7), ("乙", 9000, 8), ("丙", 9500, 8), ("丁", 8800, 9), ("戊", 9200, 9), ("己", 9800, 10)], 1
    )
]


def test_the_proposal_beside_what_similar_decided_cases_received(env: dict[str, str], tmp_path: Path) -> None:
    """Six similar thefts received 7–10 months; the proposal of 12–14 lies above all of them (percentile 100)."""
    rows = [{"id": i, "charge": "theft", "fact": text, "meta": {"term_of_imprisonment": {"imprisonment": months},
             "punish_of_money": 5000}} for i, text, months in _THEFTS]  # fmt: skip
    judgments = tmp_path / "court.jsonl"
    judgments.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    done = run(["proposal", "review", CASE, "--no-model", "--judgments", str(judgments), "--read", "-k", "6",
                "--json"], env)  # fmt: skip
    assert done.returncode == 0, done.stderr
    practice = envelope_result(done, "proposal review")["practice"]
    assert sorted(n["real_months"] for n in practice["comparison"]["neighbours"]) == [7, 8, 8, 9, 9, 10]
    assert practice["proposal_percentiles"] == [100.0, 100.0] and practice["proposal_outside_practice"] is True
    assert practice["comparison"]["guideline_months"] == 9.0  # the guideline with the plea at trial
    shown = run(["proposal", "review", CASE, "--no-model", "--judgments", str(judgments), "--read", "-k", "6",
                 "--lang", "zh-CN"], env)  # fmt: skip
    assert shown.returncode == 0 and "建议超出类案实际刑期的第10–90百分位" in shown.stdout
    both = run(["proposal", "review", CASE, "--no-model", "--judgments", str(judgments), "--index", "x.npz"], env)
    assert both.returncode == 2 and both.stderr.count("\n") == 1 and "give one corpus" in both.stderr
