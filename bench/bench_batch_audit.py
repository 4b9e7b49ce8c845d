"""The batch audit over 1,000,000 synthetic judgments: time and peak memory, streamed, side by side in one run.

Run: .venv/bin/python bench/bench_batch_audit.py [--rows 1000000]

The judgments are generated once (20,000 at a time, each block with its own seed and the
reference model's documented bias) into ``<data home>/bench/``. Each configuration then runs in
its own process, which reports its own peak resident memory (and its workers'); beside them, the
peak memory of merely loading the whole file into pandas, which a non-streaming audit would need
before doing any work.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import subprocess
import sys
import time
from pathlib import Path

from hearing.settings import settings_from_environment
from sentencing.judgments import GeneratorSpec, frame_to_csv_bytes, generate_judgments
from sentencing.model import ensure_reference_model

BLOCK = 20_000

RUN = """
import json, resource, sys, time
from pathlib import Path
from explain_tiers.batch_audit import run_batch_audit
start = time.perf_counter()
audit = run_batch_audit(Path(sys.argv[1]), sys.argv[2], chunk_rows=int(sys.argv[3]), workers=int(sys.argv[4]),
                        progress=False)
seconds = time.perf_counter() - start
flip = audit.flip("household_registration", "non_local")
print(json.dumps({"seconds": seconds, "rows": audit.rows, "self_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                  "children_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
                  "non_local": flip.mean_change_percent, "covered": audit.covered, "findings": len(audit.findings)}))
"""

LOAD = """
import json, resource, sys
import pandas as pd
frame = pd.read_csv(sys.argv[1])
print(json.dumps({"rows": len(frame), "self_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


def _data(rows: int) -> Path:
    path = settings_from_environment().data_home / "bench" / f"judgments-{rows}.csv"
    if path.is_file():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    started = time.perf_counter()
    with partial.open("wb") as handle:
        for block in range((rows + BLOCK - 1) // BLOCK):
            size = min(BLOCK, rows - block * BLOCK)
            spec = dataclasses.replace(GeneratorSpec(), rows=size, seed=GeneratorSpec().seed + 1 + block)
            data = frame_to_csv_bytes(generate_judgments(spec).frame)
            handle.write(data if block == 0 else data.split(b"\n", 1)[1])
            print(f"\rgenerating judgments: {(block + 1) * BLOCK:>9,} / {rows:,}", end="", file=sys.stderr)
    partial.replace(path)
    print(f"\ngenerated in {time.perf_counter() - started:.0f} s: {path}", file=sys.stderr)
    return path


def _run(code: str, *args: str) -> dict[str, float]:
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True)
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    model = str(ensure_reference_model(settings_from_environment().reference_model_dir))
    data = _data(args.rows)
    size_mb = data.stat().st_size / 1e6
    load = _run(LOAD, str(data))
    print(f"data: {args.rows:,} judgments, {size_mb:.0f} MB CSV; loading it whole into pandas: "
          f"{load['self_kb'] / 1024:.0f} MB peak")  # fmt: skip
    print(f"{'chunk rows':>10} {'workers':>7} {'seconds':>8} {'rows/s':>8} {'peak MB':>8} {'worker MB':>9} "
          f"{'vs whole load':>13} {'non-local %':>11} {'covered':>8}")  # fmt: skip
    for chunk, workers in ((10_000, 1), (100_000, 1), (50_000, 2)):
        result = _run(RUN, str(data), model, str(chunk), str(workers))
        peak = result["self_kb"] / 1024
        worker = result["children_kb"] / 1024 if workers > 1 else 0.0
        print(f"{chunk:>10,} {workers:>7} {result['seconds']:>8.1f} {result['rows'] / result['seconds']:>8,.0f} "
              f"{peak:>8.0f} {worker:>9.0f} {max(peak, worker) / (load['self_kb'] / 1024):>13.2f} "
              f"{result['non_local']:>11.2f} {result['covered']:>8.3f}")  # fmt: skip


if __name__ == "__main__":
    main()
