"""The law's yardstick against real judgments, held out from calibration, side by side in one run.

Run: .venv/bin/python bench/bench_yardstick.py [--held-out-share 0.3] [--json]
Needs ../shared/data/cail2018-sample/cases.jsonl (real CAIL2018 judgments) and the project's own structured facts
for some of them (tests/fixtures/judgments/cail2018-labels.jsonl, labelled by hand from the fact texts, keyed by id;
no text of a judgment is in the project). The judgments are split by id: the default table is calibrated on one
part and every yardstick is measured on the other, so no figure is measured on what it was fitted to.

Printed, by charge: the share of real outcomes inside the judge's band (as the engine states it: ±20%, each end
reaching the nearest whole month) and inside the strict ±20% band, inside the legal range, the MAE in months and
the CAIL2018 prison-term score, for the shipped default table, the calibrated table and the reference model; then
the targets of the issue (≥ 70% inside the band; CAIL2018 ≥ 0.80; theft MAE ≤ 3.2 months) against the calibrated
table.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from importlib import resources
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data" / "cail2018-sample" / "cases.jsonl"
LABELS = ROOT / "tests" / "fixtures" / "judgments" / "cail2018-labels.jsonl"


def _rows(records: list[Any], months: list[float], bands: list[Any], ranges: list[Any]) -> dict[str, dict[str, float]]:
    from sentencing.evaluation import cail_score

    out: dict[str, dict[str, float]] = {}
    for charge in [*sorted({r.case.charge for r in records}), "all"]:
        idx = [i for i, r in enumerate(records) if charge in ("all", r.case.charge)]
        n = len(idx)
        real = [records[i].real.months for i in idx]
        pred = [months[i] for i in idx]
        out[charge] = {
            "n": n,
            "band": sum(bands[i].contains(records[i].real.months) for i in idx) / n if bands else math.nan,
            "strict": sum(abs(r - p) <= 0.2 * p + 1e-9 for r, p in zip(real, pred, strict=True)) / n,
            "range": sum(ranges[i].contains(records[i].real.months) for i in idx) / n if ranges else math.nan,
            "mae": sum(abs(r - p) for r, p in zip(real, pred, strict=True)) / n,
            "cail": sum(cail_score(r, p) for r, p in zip(real, pred, strict=True)) / n,
        }
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--held-out-share", type=float, default=0.3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not SHARED.is_file():
        print(f"bench_yardstick: {SHARED} is not on this machine; nothing to measure", file=sys.stderr)
        return 2

    from sentencing.calibration import calibrate
    from sentencing.evaluation import JudgmentFile
    from sentencing.guideline import derive_sentence
    from sentencing.jurisdiction import parse_jurisdiction
    from sentencing.model import ensure_reference_model
    from sentencing.models import load_model, predict_cases

    share = args.held_out_share
    fit_part = JudgmentFile(SHARED, facts_path=LABELS, split=("calibration", share))
    calibration = list(fit_part)
    held = list(JudgmentFile(SHARED, facts_path=LABELS, split=("held_out", share)))
    base = json.loads(resources.files("sentencing").joinpath("data/jurisdictions/default.json").read_text("utf-8"))
    started = time.perf_counter()
    fitted = calibrate(calibration, base, source=str(SHARED), file_sha256=fit_part.sha256)
    seconds = time.perf_counter() - started
    tables = {"default table": parse_jurisdiction(base, "default"),
              "calibrated table": parse_jurisdiction(fitted.document, "calibrated")}  # fmt: skip
    results: dict[str, dict[str, dict[str, float]]] = {}
    for name, table in tables.items():
        derivations = [derive_sentence(r.case, table) for r in held]
        results[name] = _rows(held, [d.recommended_months for d in derivations], [d.judicial_band for d in derivations],
                              [d.circumstance_range for d in derivations])  # fmt: skip
    from hearing.settings import settings_from_environment

    folder = settings_from_environment().reference_model_dir
    ensure_reference_model(folder)
    model = load_model(folder)
    predicted = [float(m) for m in predict_cases(model, [r.case for r in held])]
    # a model states no band or range of its own: it is scored by the strict ±20% share, MAE and CAIL
    results["reference model"] = _rows(held, predicted, [], [])
    calibrated = results["calibrated table"]
    targets = {
        "inside the judge's band >= 70%": calibrated["all"]["band"] >= 0.70,
        "CAIL2018 score >= 0.80": calibrated["all"]["cail"] >= 0.80,
        "theft MAE <= 3.2 months": calibrated.get("theft", {}).get("mae", math.inf) <= 3.2,
    }
    if args.json:
        body = {"calibration_judgments": len(calibration), "held_out_judgments": len(held),
                "calibration_seconds": seconds, "results": results, "targets": targets}  # fmt: skip
        print(json.dumps(body, indent=1))
        return 0
    print(f"calibrated on {len(calibration)} judgments in {seconds:.1f} s; measured on {len(held)} held out "
          f"(split by id, held-out share {share:g})")  # fmt: skip
    header = f"{'yardstick':18} {'charge':18} {'n':>4} {'band':>6} {'±20%':>6} {'range':>6} {'MAE':>6} {'CAIL':>6}"
    print(header)
    print("-" * len(header))
    for name, rows in results.items():
        for charge, row in rows.items():

            def pct(v: float) -> str:
                return "   –" if math.isnan(v) else f"{v:6.0%}"

            print(f"{name:18} {charge:18} {row['n']:4.0f} {pct(row['band'])} {pct(row['strict'])} "
                  f"{pct(row['range'])} {row['mae']:6.2f} {row['cail']:6.3f}")  # fmt: skip
    print()
    for target, met in targets.items():
        print(f"target {target}: {'met' if met else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
