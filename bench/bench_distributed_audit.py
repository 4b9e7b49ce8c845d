"""The batch audit's rows per second by engine and workers, side by side in one run, and a model of its scaling.

Run: .venv/bin/python bench/bench_distributed_audit.py [--rows 40000] [--json]

One file of synthetic judgments (generator 3.0, the reference model's spec) is audited by the reference model: in this
process (1 worker), by a local process pool of 2, by a Dask cluster on loopback with 1 and with 2 worker processes, and
by Spark in local mode with 1 and 2 executor threads — the workers of this 2-core machine. Each run's figures are
checked equal to the in-process run's (1e-9). Printed: one table of seconds and rows per second, and the scaling model
for 16–64 workers of a cluster: T(W) = start + ceil(P / W) × partition + P × merge, with P partitions of the file,
``partition`` the measured seconds one worker spends on one partition (from the 1-worker Dask run), ``merge`` the
measured seconds the client spends merging one partition's partial, and ``start`` the engine's measured fixed cost
(the 1-worker run's time less its partitions' work). The model assumes the file's blocks are read from storage as
fast as on this machine and the workers are as fast as this machine's cores.
"""

from __future__ import annotations

import argparse
import json
import math
import time
from pathlib import Path
from typing import Any

BLOCKS = 8  # partitions of the file for the cluster runs


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
    return bool(a == b)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=40_000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    import tempfile

    from explain_tiers.batch_audit import AuditPartial, run_batch_audit
    from explain_tiers.dask_audit import run_batch_audit_dask
    from explain_tiers.spark_audit import run_batch_audit_spark
    from hearing.settings import settings_from_environment
    from sentencing.judgments import GeneratorSpec, generate_judgments, write_judgments
    from sentencing.model import ensure_reference_model

    model = str(ensure_reference_model(settings_from_environment().reference_model_dir))
    folder = Path(tempfile.mkdtemp(prefix="voirdire-bench-"))
    data, _ = write_judgments(generate_judgments(GeneratorSpec(rows=args.rows, seed=77)), folder)
    blocksize = data.stat().st_size // BLOCKS + 1
    runs: dict[str, dict[str, Any]] = {}

    def timed(name: str, workers: int, run: Any) -> Any:
        start = time.perf_counter()
        audit = run()
        seconds = time.perf_counter() - start
        runs[name] = {"workers": workers, "seconds": seconds, "rows_per_second": args.rows / seconds}
        return audit

    local = timed("in-process", 1, lambda: run_batch_audit(data, model, chunk_rows=args.rows // BLOCKS + 1,
                                                              progress=False))  # fmt: skip
    pooled = timed("local pool", 2, lambda: run_batch_audit(data, model, chunk_rows=args.rows // BLOCKS + 1,
                                                              workers=2, progress=False))  # fmt: skip
    from distributed import LocalCluster

    partitions = BLOCKS
    for workers in (1, 2):
        with LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address=None,
            silence_logs=50,
        ) as cluster:
            address = str(cluster.scheduler_address)
            audit, ran = timed(f"dask ×{workers}", workers,
                               lambda a=address: run_batch_audit_dask(data, model, a, blocksize=blocksize))  # fmt: skip
            partitions = ran.partitions
            runs[f"dask ×{workers}"]["same_figures"] = _same(audit.to_dict(), local.to_dict())
    for workers in (1, 2):

        def on_spark(w: int = workers) -> Any:
            return run_batch_audit_spark(data, model, f"local[{w}]", partition_bytes=blocksize)

        audit, _ = timed(f"spark local[{workers}]", workers, on_spark)
        runs[f"spark local[{workers}]"]["same_figures"] = _same(audit.to_dict(), local.to_dict())
    runs["local pool"]["same_figures"] = _same(pooled.to_dict(), local.to_dict())

    # one partition's work on one worker, and the client's merge of one partition's partial
    partial = AuditPartial()
    from explain_tiers.batch_audit import audit_chunk, prepare_context, read_chunks
    from sentencing.models import load_model

    loaded = load_model(model)
    context = prepare_context(loaded, model)
    chunk = next(read_chunks(data, args.rows // BLOCKS + 1))
    start = time.perf_counter()
    one = audit_chunk(chunk, context)
    partition_seconds = time.perf_counter() - start
    start = time.perf_counter()
    for _ in range(200):
        partial = partial.merge(one)
    merge_seconds = (time.perf_counter() - start) / 200
    dask_start = runs["dask ×1"]["seconds"] - partitions * partition_seconds
    spark_start = runs["spark local[1]"]["seconds"] - partitions * partition_seconds
    model_rows = []
    for workers in (16, 32, 64):
        # a court's file: 1,000,000 judgments in partitions of this bench's size
        p = math.ceil(1_000_000 / (args.rows / partitions))
        for engine, fixed in (("dask", dask_start), ("spark", spark_start)):
            seconds = max(fixed, 0.0) + math.ceil(p / workers) * partition_seconds + p * merge_seconds
            model_rows.append({"engine": engine, "workers": workers, "partitions": p, "seconds": seconds,
                               "rows_per_second": 1_000_000 / seconds})  # fmt: skip
    result = {"rows": args.rows, "partitions": partitions, "runs": runs, "partition_seconds": partition_seconds,
              "merge_seconds": merge_seconds, "dask_start_seconds": dask_start, "spark_start_seconds": spark_start,
              "model_1m": model_rows}  # fmt: skip
    if args.json:
        print(json.dumps(result, indent=1))
        return 0
    print(f"batch audit of {args.rows} judgments by the reference model, {partitions} partitions; 2 cores here")
    print(f"{'engine':16s} {'workers':>7s} {'seconds':>8s} {'rows/s':>8s} {'vs in-process':>13s} {'same figures':>12s}")
    base = runs["in-process"]["rows_per_second"]
    for name, r in runs.items():
        same = "" if name == "in-process" else ("yes" if r.get("same_figures") else "NO")
        print(f"{name:16s} {r['workers']:7d} {r['seconds']:8.1f} {r['rows_per_second']:8.0f} "
              f"{r['rows_per_second'] / base:12.2f}x {same:>12s}")  # fmt: skip
    print(
        f"\nper partition of {args.rows // partitions} rows: {partition_seconds:.2f} s of a worker; merge "
        f"{merge_seconds * 1e3:.3f} ms of the client; fixed cost: dask {dask_start:.1f} s, spark {spark_start:.1f} s"
    )
    print("model, 1,000,000 judgments: T(W) = start + ceil(P/W) x partition + P x merge")
    for row in model_rows:
        print(f"  {row['engine']:5s} {row['workers']:3d} workers, {row['partitions']} partitions: "
              f"{row['seconds']:7.1f} s, {row['rows_per_second']:8.0f} rows/s")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
