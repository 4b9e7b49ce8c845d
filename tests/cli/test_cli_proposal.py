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
