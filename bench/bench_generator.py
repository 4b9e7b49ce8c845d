"""The synthetic judgment generator's speed, phase by phase, for the four charges and for all 23 crimes, in one run.

Run: .venv/bin/python bench/bench_generator.py [--rows 5000] [--json]
Printed, per charge mix: the whole ``generate_judgments`` in rows per second and the time 1,000,000 judgments would
take at that rate against the target (under two minutes on one core: issues 20 and 21), then where a row's time goes —
drawing its document, validating it (``parse_case``), deriving its guideline term (``derive_sentence``), building the
feature frame, and the CSV digest — each measured on the same rows, in microseconds per row and as a share.
"""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

TARGET_SECONDS_PER_MILLION = 120.0


def _phases(rows: int, shares: tuple[tuple[str, float], ...]) -> dict[str, float]:
    import numpy as np

    from sentencing.case import parse_case
    from sentencing.features import feature_frame
    from sentencing.guideline import derive_sentence
    from sentencing.judgments import _draw_document, frame_digest
    from sentencing.jurisdiction import load_jurisdiction

    table = load_jurisdiction("default")
    rng = np.random.default_rng(20210701)
    t = time.perf_counter()
    documents = [_draw_document(rng, i, "default", shares) for i in range(rows)]
    drawn = time.perf_counter()
    cases = [parse_case(d, jurisdiction=table) for d in documents]
    parsed = time.perf_counter()
    for case in cases:
        derive_sentence(case, table)
    derived = time.perf_counter()
    frame = feature_frame(cases)
    framed = time.perf_counter()
    frame_digest(frame)
    digested = time.perf_counter()
    seconds = {"draw": drawn - t, "parse_case": parsed - drawn, "derive_sentence": derived - parsed,
               "feature_frame": framed - derived, "csv_digest": digested - framed}  # fmt: skip
    return {phase: 1e6 * s / rows for phase, s in seconds.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    from sentencing.judgments import ALL_CRIMES, FOUR_CHARGES, GeneratorSpec, generate_judgments

    generate_judgments(GeneratorSpec(rows=200))  # imports, tables and caches warmed once
    results: dict[str, Any] = {"rows": args.rows, "target_seconds_per_million": TARGET_SECONDS_PER_MILLION}
    for name, shares in (("four charges", FOUR_CHARGES), ("all 23 crimes", ALL_CRIMES)):
        t = time.perf_counter()
        generate_judgments(GeneratorSpec(rows=args.rows, charge_shares=shares))
        whole = time.perf_counter() - t
        results[name] = {"rows_per_second": args.rows / whole, "seconds_per_million": 1e6 * whole / args.rows,
                         "microseconds_per_row": _phases(args.rows, shares)}  # fmt: skip
    if args.json:
        print(json.dumps(results, indent=1))
        return 0
    print(f"synthetic judgments, {args.rows} rows per mix, one process")
    print(f"{'mix':15s} {'rows/s':>8s} {'1M rows':>9s} {'target':>7s} {'ratio':>6s}")
    for name in ("four charges", "all 23 crimes"):
        r = results[name]
        ratio = r["seconds_per_million"] / TARGET_SECONDS_PER_MILLION
        print(f"{name:15s} {r['rows_per_second']:8.0f} {r['seconds_per_million']:8.0f}s "
              f"{TARGET_SECONDS_PER_MILLION:6.0f}s {ratio:5.1f}x")  # fmt: skip
    print("\nwhere a row's time goes (microseconds per row, share)")
    for name in ("four charges", "all 23 crimes"):
        phases = results[name]["microseconds_per_row"]
        total = sum(phases.values())
        print(f"{name:15s} " + "  ".join(f"{p} {us:5.0f} ({us / total:4.0%})" for p, us in phases.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
