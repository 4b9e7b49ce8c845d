"""Calibration: the numbers the law leaves to the province, fitted to judgments, never outside the law's bounds."""

from __future__ import annotations

import copy
import datetime as dt
import json
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from sentencing.calibration import calibrate, judgment_ids_digest
from sentencing.evaluation import JudgmentFile, JudgmentRecord, RealOutcome, compare_judgment, summarise
from sentencing.guideline import derive_sentence
from sentencing.judgments import draw_cases
from sentencing.jurisdiction import parse_jurisdiction

SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "cail2018-sample" / "cases.jsonl"
LABELS = Path(__file__).resolve().parents[1] / "fixtures" / "judgments" / "cail2018-labels.jsonl"


def _default() -> dict[str, Any]:
    text = resources.files("sentencing").joinpath("data/jurisdictions/default.json").read_text("utf-8")
    document: dict[str, Any] = json.loads(text)
    return document


def _court(document: dict[str, Any]) -> dict[str, Any]:
    """A court whose practice differs from the default table inside the law's bounds."""
    court = copy.deepcopy(document)
    for tier in court["charges"]["dangerous_driving"]["tiers"]:
        for inc in tier["increments"]:
            if inc["id"] == "alcohol":
                inc["months"] = 1.0
    court["charges"]["theft"]["tiers"][0]["starting_point"]["months"] = 9
    for rule in court["circumstances"]:
        if rule["id"] == "surrender":
            rule["ratio_default"] = -0.35
    return court


def _judged_by(document: dict[str, Any], count: int, seed: int) -> list[JudgmentRecord]:
    """Cases drawn by the generator, 'decided' by a court that follows ``document`` exactly."""
    table = parse_jurisdiction(document, "court")
    out = []
    for i, case in enumerate(draw_cases(count, seed)):
        if case.charge not in ("theft", "dangerous_driving"):
            continue
        months = derive_sentence(case, table).recommended_months
        out.append(JudgmentRecord(f"j{seed}-{i}", case, RealOutcome(months)))
    return out


def test_calibration_recovers_a_courts_practice_inside_the_law() -> None:
    base = _default()
    records = _judged_by(_court(base), 600, 7)
    result = calibrate(records, base, source="court.jsonl", file_sha256="0" * 64, today=dt.date(2026, 12, 5))
    fitted = {v.parameter: v for v in result.values}
    # each value moves toward the court's (a starting point trades off against the increments a little)
    assert fitted["dangerous_driving.drunk_driving.increment.alcohol"].after == pytest.approx(1.0, abs=0.1)
    assert 7.0 <= fitted["theft.large.starting_point"].after <= 10.0
    assert fitted["circumstance.surrender.ratio_default"].after == pytest.approx(-0.35, abs=0.05)
    # and the table now decides as the court does
    assert result.before[-1].inside_band < 0.6 and result.after[-1].inside_band > 0.95
    assert result.after[-1].cail_score > 0.98
    # every value stays inside what the law (or the table) allows, and the table still loads
    for value in result.values:
        assert value.low - 1e-9 <= value.after <= value.high + 1e-9, value
    table = parse_jurisdiction(result.document, "calibrated")
    assert table.calibration_ids == frozenset(r.judgment_id for r in records)


def test_the_table_says_where_it_came_from() -> None:
    base = _default()
    records = _judged_by(_court(base), 200, 11)
    result = calibrate(records, base, source="court.jsonl", file_sha256="ab" * 32, today=dt.date(2026, 12, 5))
    provenance = result.document["provenance"]
    assert provenance["judgments"] == len(records) and provenance["file_sha256"] == "ab" * 32
    assert provenance["date"] == "2026-12-05" and provenance["base_table"] == "default"
    assert provenance["judgment_ids_sha256"] == judgment_ids_digest([r.judgment_id for r in records])
    assert provenance["fit_before"][-1]["charge"] == provenance["fit_after"][-1]["charge"] == "all"
    assert all(c["before"] != c["after"] for c in provenance["changed"])
    body = result.to_dict()
    assert body["schema_version"] and body["judgments"] == len(records)


def test_the_ratios_never_leave_their_legal_range() -> None:
    base = _default()
    # a court far harsher than the law allows for surrender: the fit stops at the range's end
    harsh = copy.deepcopy(base)
    records = []
    for i, case in enumerate(draw_cases(400, 3)):
        if case.charge != "theft":
            continue
        d = derive_sentence(case, parse_jurisdiction(harsh, "x"))
        real = d.recommended_months * (1.6 if case.flag("surrender") else 1.0)
        records.append(JudgmentRecord(f"h{i}", case, RealOutcome(float(np.round(real)))))
    result = calibrate(records, base, source="harsh", file_sha256="0" * 64)
    surrender = next(v for v in result.values if v.parameter == "circumstance.surrender.ratio_default")
    assert surrender.after <= 0.0 and surrender.high == 0.0  # surrender never increases a term


@pytest.mark.skipif(not SHARED.is_file(), reason="the shared CAIL2018 sample is not on this machine")
def test_calibrated_on_one_part_of_the_real_judgments_the_other_part_falls_in_the_band_more_often() -> None:
    base = _default()
    calibration = list(JudgmentFile(SHARED, facts_path=LABELS, split=("calibration", 0.3)))
    held = list(JudgmentFile(SHARED, facts_path=LABELS, split=("held_out", 0.3)))
    assert calibration and held and not {r.judgment_id for r in calibration} & {r.judgment_id for r in held}
    result = calibrate(calibration, base, source="cail", file_sha256="0" * 64)
    table = parse_jurisdiction(result.document, "calibrated")
    assert result.after[-1].cail_score > result.before[-1].cail_score  # on the judgments it was fitted to
    before = summarise(compare_judgment(r, parse_jurisdiction(base, "default")) for r in held)[-1]
    after = summarise(compare_judgment(r, table) for r in held)[-1]
    assert after.inside_band > before.inside_band  # and on the ones held out from it
