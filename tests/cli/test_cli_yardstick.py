"""``voirdire evaluate`` and ``voirdire calibrate`` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.cli.runner import envelope_result, run

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "cail2018-sample" / "cases.jsonl"
LABELS = Path(__file__).resolve().parents[1] / "fixtures" / "judgments" / "cail2018-labels.jsonl"


def _judgments(path: Path) -> Path:
    """Twelve decided thefts and drunk-driving cases: facts and the real outcome."""
    rows: list[dict[str, Any]] = []
    for i, (amount, months) in enumerate([(12000, 11), (3000, 7), (2000, 6), (25000, 16), (8000, 9), (40000, 24)]):
        case = {"schema_version": "1.0", "case_id": f"t{i}", "charge": "theft", "facts": {"amount_yuan": amount},
                "circumstances": {"confession": "ordinary"}}  # fmt: skip
        rows.append({"id": f"t{i}", "case": case, "real": {"months": months, "fine_yuan": 3000}})
    for i, (bac, months) in enumerate([(120, 1), (180, 2), (230, 3), (95, 1), (260, 4), (150, 2)]):
        case = {"schema_version": "1.0", "case_id": f"d{i}", "charge": "dangerous_driving",
                "facts": {"blood_alcohol_mg_per_100ml": bac}, "circumstances": {}}  # fmt: skip
        rows.append({"id": f"d{i}", "case": case, "real": {"months": months}})
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_evaluate_prints_the_share_inside_the_band_by_charge(tmp_path: Path, env: dict[str, str]) -> None:
    path = _judgments(tmp_path / "court.jsonl")
    done = run(["evaluate", "--judgments", str(path), "--json"], env)
    assert done.returncode == 0, done.stderr
    body = envelope_result(done, "evaluate")
    summaries = {s["charge"]: s for s in body["summaries"]}
    assert set(summaries) == {"theft", "dangerous_driving", "all"} and summaries["all"]["judgments"] == 12
    assert 0 <= summaries["all"]["inside_band"] <= 1 and summaries["all"]["cail_score"] > 0
    assert len(body["file_sha256"]) == 64 and body["read"] == 12 and body["worst"]
    zh = run(["evaluate", "--judgments", str(path), "--lang", "zh-CN"], env)
    assert zh.returncode == 0 and "在法官±20%幅度内" in zh.stdout and "危险驾驶罪" in zh.stdout


def test_evaluate_with_a_model_reports_the_models_error_too(tmp_path: Path, env: dict[str, str]) -> None:
    done = run(["evaluate", "--judgments", str(_judgments(tmp_path / "c.jsonl")), "--model",
                str(Path(env["VOIRDIRE_HOME"]) / "reference-model"), "--json"], env)  # fmt: skip
    assert done.returncode == 0, done.stderr
    body = envelope_result(done, "evaluate")
    overall = body["summaries"][-1]
    assert body["model"] and overall["model_mean_absolute_error"] is not None and overall["model_cail_score"] >= 0


def test_a_bad_judgments_file_is_one_line_naming_file_and_line(tmp_path: Path, env: dict[str, str]) -> None:
    path = _judgments(tmp_path / "court.jsonl")
    path.write_text(path.read_text() + '{"id": "x", "case": {}, "real": {"months": -3}}\n')
    done = run(["evaluate", "--judgments", str(path)], env)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "court.jsonl:13" in done.stderr and "real.months" in done.stderr
    missing = run(["evaluate", "--judgments", str(tmp_path / "none.jsonl")], env)
    assert missing.returncode == 2 and "no such file" in missing.stderr


def test_calibrate_writes_a_reviewable_table_and_evaluate_refuses_what_it_was_fitted_on(
    tmp_path: Path, env: dict[str, str]
) -> None:
    path = _judgments(tmp_path / "court.jsonl")
    table = tmp_path / "court-table.json"
    done = run(["calibrate", "--judgments", str(path), "--out", str(table), "--json", "--no-progress"], env)
    assert done.returncode == 0, done.stderr
    body = envelope_result(done, "calibrate")
    assert body["judgments"] == 12 and body["fit_after"][-1]["charge"] == "all"
    written = json.loads(table.read_text(encoding="utf-8"))
    provenance = written["provenance"]
    assert provenance["judgments"] == 12 and len(provenance["file_sha256"]) == 64 and provenance["date"]
    assert sorted(provenance["judgment_ids"]) == sorted([f"t{i}" for i in range(6)] + [f"d{i}" for i in range(6)])
    # the calibrated table's own judgments are not held out: evaluate refuses them by id
    refused = run(["evaluate", "--judgments", str(path), "--jurisdiction-file", str(table)], env)
    assert refused.returncode == 2 and "used to calibrate" in refused.stderr and refused.stderr.count("\n") == 1
    # calibrate's held-out file may not overlap either
    overlap = run(["calibrate", "--judgments", str(path), "--out", str(tmp_path / "t2.json"), "--held-out",
                   str(path), "--no-progress"], env)  # fmt: skip
    assert overlap.returncode == 2 and "overlaps" in overlap.stderr
    assert not (tmp_path / "t2.json").exists()


@pytest.mark.skipif(not SHARED.is_file(), reason="the shared CAIL2018 sample is not on this machine")
def test_calibrate_on_part_of_the_real_judgments_and_evaluate_on_the_rest(tmp_path: Path, env: dict[str, str]) -> None:
    table = tmp_path / "cail-table.json"
    common = ["--judgments", str(SHARED), "--facts", str(LABELS), "--no-progress"]
    done = run(["calibrate", *common, "--split", "calibration", "--held-out", str(SHARED), "--out", str(table),
                "--json"], env)  # fmt: skip
    assert done.returncode == 0, done.stderr
    body = envelope_result(done, "calibrate")
    assert body["held_out"] and body["held_out"][-1]["judgments"] > 50
    held = run(["evaluate", *common, "--split", "held-out", "--jurisdiction-file", str(table), "--json"], env)
    assert held.returncode == 0, held.stderr
    result = envelope_result(held, "evaluate")
    assert result["summaries"][-1] == body["held_out"][-1]
    assert result["without_facts"] > 0 and result["outside_split"] > 0
    # the calibration part itself is refused against the table fitted on it
    refused = run(["evaluate", *common, "--split", "calibration", "--jurisdiction-file", str(table)], env)
    assert refused.returncode == 2 and "used to calibrate" in refused.stderr
