"""Similar decided cases on a corpus of 100,000 judgments: the query's latency, and the index beside a per-query
pandas scan (the population's own similar-judgments search), side by side in one run.

Run: .venv/bin/python bench/bench_practice.py [--rows 100000] [--queries 300] [--json]
The corpus is drawn by the synthetic generator (judgments with sentences); the queries are fresh cases drawn by it
with another seed. Printed: the index's build time and size, the query's p50 / p95 / max in milliseconds (target:
p95 <= 200 ms), the same for the scan on a sample of the queries, and the ratio of the two p95s.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from typing import Any


def _ms(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {"p50": 1000 * statistics.median(ordered), "p95": 1000 * ordered[int(0.95 * (len(ordered) - 1))],
            "max": 1000 * ordered[-1]}  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    from explain_tiers.population import Population, find_similar_judgments, index_from_frame
    from sentencing.judgments import GeneratorSpec, draw_cases, generate_judgments
    from sentencing.practice import compare_with_practice, save_index

    started = time.perf_counter()
    frame = generate_judgments(GeneratorSpec(rows=args.rows, seed=20261205, bias=())).frame
    generated = time.perf_counter() - started
    started = time.perf_counter()
    index = index_from_frame(frame, source="synthetic corpus", sha256="")
    built = time.perf_counter() - started
    size = len(save_index(index))
    cases = draw_cases(args.queries, seed=7)
    query: list[float] = []
    for case in cases:
        t = time.perf_counter()
        compare_with_practice(index, case, k=20, model_months=12.0, guideline_months=12.0)
        query.append(time.perf_counter() - t)
    population = Population(frame, "synthetic corpus", None, True)
    scan: list[float] = []
    for case in cases[: max(10, args.queries // 10)]:
        t = time.perf_counter()
        find_similar_judgments(case, population, count=20)
        scan.append(time.perf_counter() - t)
    result: dict[str, Any] = {
        "rows": args.rows, "queries": len(query), "generate_seconds": generated, "build_seconds": built,
        "index_bytes": size, "index_query_ms": _ms(query), "pandas_scan_ms": _ms(scan),
    }  # fmt: skip
    result["scan_over_index_p95"] = result["pandas_scan_ms"]["p95"] / result["index_query_ms"]["p95"]
    result["target_p95_200ms"] = result["index_query_ms"]["p95"] <= 200
    if args.json:
        print(json.dumps(result, indent=1))
        return 0
    q, s = result["index_query_ms"], result["pandas_scan_ms"]
    print(f"corpus: {args.rows} synthetic judgments (generated in {generated:.0f} s); index built in {built:.1f} s, "
          f"{size / 1e6:.1f} MB")  # fmt: skip
    for name, n, t in (("index query (k=20)", len(query), q), ("pandas scan", len(scan), s)):
        print(f"{name:20} {n:4d} cases: p50 {t['p50']:.1f} ms, p95 {t['p95']:.1f} ms, max {t['max']:.1f} ms")
    print(f"scan p95 / index p95: {result['scan_over_index_p95']:.1f}x")
    print(f"target p95 <= 200 ms: {'met' if result['target_p95_200ms'] else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
