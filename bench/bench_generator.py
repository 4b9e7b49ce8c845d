"""The synthetic judgment generator's speed: generator 3.0 (by columns) beside 2.1 (row by row), for the four charges
and for all 23 crimes, in one run.

Run: .venv/bin/python bench/bench_generator.py [--rows 200000] [--old-rows 5000] [--million] [--json]
Printed, per charge mix and generator: the whole ``generate_judgments`` (drawing, the guideline's numbers, sentences,
the frame and its CSV digest) in rows per second, the time 1,000,000 judgments take at that rate against the target
(under two minutes on one core: issues 20 and 21) and 3.0's speed-up over 2.1; then where a 3.0 row's time goes
(drawing the feature frame, the guideline's numbers, the CSV digest). ``--million`` also draws 1,000,000 judgments of
all 23 crimes in one call and prints the wall time and the process's peak memory.
"""

from __future__ import annotations

import argparse
import json
import resource
import time
from typing import Any

TARGET_SECONDS_PER_MILLION = 120.0


def _phases(rows: int, shares: tuple[tuple[str, float], ...]) -> dict[str, float]:
    import numpy as np

    from sentencing.draws import draw_feature_frame
    from sentencing.judgments import frame_digest
    from sentencing.jurisdiction import load_jurisdiction
    from sentencing.terms import guideline_terms

    table = load_jurisdiction("default")
    t = time.perf_counter()
    frame = draw_feature_frame(np.random.default_rng(20210701), rows, table, shares)
    drawn = time.perf_counter()
    guideline_terms(frame, table)
    derived = time.perf_counter()
    frame_digest(frame)
    digested = time.perf_counter()
    seconds = {"draw by columns": drawn - t, "guideline_terms": derived - drawn, "csv digest": digested - derived}
    return {phase: 1e6 * s / rows for phase, s in seconds.items()}


def _rate(rows: int, shares: tuple[tuple[str, float], ...], version: str) -> float:
    from sentencing.judgments import GeneratorSpec, generate_judgments

    t = time.perf_counter()
    generate_judgments(GeneratorSpec(rows=rows, charge_shares=shares, version=version))
    return rows / (time.perf_counter() - t)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000, help="rows drawn by generator 3.0 per mix")
    parser.add_argument("--old-rows", type=int, default=5_000, help="rows drawn by generator 2.1 per mix")
    parser.add_argument("--million", action="store_true", help="also draw 1,000,000 judgments in one call")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    from sentencing.judgments import ALL_CRIMES, FOUR_CHARGES, GeneratorSpec, generate_judgments

    for version in ("2.1", "3.0"):  # imports, tables and caches warmed once
        generate_judgments(GeneratorSpec(rows=200, version=version))
    results: dict[str, Any] = {"rows": args.rows, "old_rows": args.old_rows,
                               "target_seconds_per_million": TARGET_SECONDS_PER_MILLION}  # fmt: skip
    for name, shares in (("four charges", FOUR_CHARGES), ("all 23 crimes", ALL_CRIMES)):
        new, old = _rate(args.rows, shares, "3.0"), _rate(args.old_rows, shares, "2.1")
        results[name] = {
            "3.0": {"rows_per_second": new, "seconds_per_million": 1e6 / new},
            "2.1": {"rows_per_second": old, "seconds_per_million": 1e6 / old},
            "speed_up": new / old,
            "microseconds_per_row": _phases(args.rows, shares),
        }
    if args.million:
        t = time.perf_counter()
        judgments = generate_judgments(GeneratorSpec(rows=1_000_000))
        results["million"] = {"seconds": time.perf_counter() - t, "rows": len(judgments.frame),
                              "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}  # fmt: skip
    if args.json:
        print(json.dumps(results, indent=1))
        return 0
    print(f"synthetic judgments, one process: generator 3.0 on {args.rows} rows, 2.1 on {args.old_rows} rows per mix")
    header = ("mix", "generator", "rows/s", "1M rows", "target", "of target", "speed-up")
    print("{:15s} {:>9s} {:>8s} {:>9s} {:>7s} {:>9s} {:>8s}".format(*header))
    for name in ("four charges", "all 23 crimes"):
        r = results[name]
        for version in ("2.1", "3.0"):
            seconds = r[version]["seconds_per_million"]
            speed_up = f"{r['speed_up']:7.1f}x" if version == "3.0" else ""
            rate, share = r[version]["rows_per_second"], seconds / TARGET_SECONDS_PER_MILLION
            print(f"{name:15s} {version:>9s} {rate:8.0f} {seconds:8.0f}s {TARGET_SECONDS_PER_MILLION:6.0f}s "
                  f"{share:8.2f}x {speed_up:>8s}")  # fmt: skip
    print("\nwhere a 3.0 row's time goes (microseconds per row, share; the rest is the sentences and the frame)")
    for name in ("four charges", "all 23 crimes"):
        phases = results[name]["microseconds_per_row"]
        total = sum(phases.values())
        print(f"{name:15s} " + "  ".join(f"{p} {us:5.1f} ({us / total:4.0%})" for p, us in phases.items()))
    if "million" in results:
        m = results["million"]
        print(f"\n1,000,000 judgments of all 23 crimes in one call: {m['seconds']:.1f} s "
              f"(target {TARGET_SECONDS_PER_MILLION:.0f} s), peak memory {m['peak_rss_mb']:.0f} MB")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
