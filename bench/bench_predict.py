"""Predict latency through each model adapter, and the guideline engine's throughput, measured side by side.

Run: .venv/bin/python bench/bench_predict.py [--repeat N]
Prints one table; ratios compare adapters within this run, so machine noise cancels out.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from importlib import resources
from pathlib import Path

import joblib
import numpy as np

from hearing.settings import settings_from_environment
from sentencing.case import Case, parse_case
from sentencing.features import feature_frame
from sentencing.guideline import derive_sentence
from sentencing.model import ONNX_FOLDER, ensure_reference_model
from sentencing.models import (
    CallableModel,
    HttpEndpointModel,
    OnnxFileModel,
    SentencingModel,
    SklearnFileModel,
    predict_cases,
)
from sentencing.vendor_server import serve_model


def _cases() -> list[Case]:
    folder = resources.files("sentencing").joinpath("data/cases")
    return [
        parse_case(json.loads(p.read_text(encoding="utf-8")))
        for p in sorted(folder.iterdir(), key=lambda p: p.name)
        if p.name.endswith(".json")
    ]


def _timings(function: Callable[[], object], repeat: int) -> list[float]:
    function()  # warm up
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        out.append(time.perf_counter() - start)
    return out


def _p(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) * 1000.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=200, help="repetitions of the one-row call")
    args = parser.parse_args()
    folder = ensure_reference_model(settings_from_environment().reference_model_dir)
    file_model = SklearnFileModel.load(folder)
    onnx_model = OnnxFileModel.load(Path(folder) / ONNX_FOLDER)
    pipeline = joblib.load(Path(folder) / "model.joblib")
    callable_model = CallableModel(pipeline.predict, "pipeline.predict")
    server = serve_model(file_model)
    http_model = HttpEndpointModel(server.url)
    cases = _cases()
    one = feature_frame(cases[:1])
    thousand = feature_frame((cases * (1000 // len(cases) + 1))[:1000])
    models: list[tuple[str, SentencingModel]] = [
        ("sklearn-file", file_model),
        ("onnx-file", onnx_model),
        ("callable", callable_model),
        ("http-endpoint", http_model),
    ]
    rows = []
    for name, model in models:
        single = _timings(lambda m=model: m.predict_frame(one), args.repeat)
        batch = _timings(lambda m=model: m.predict_frame(thousand), max(10, args.repeat // 10))
        rows.append((name, _p(single, 50), _p(single, 95), _p(batch, 50), _p(batch, 95)))
    one_case, thousand_cases = cases[:1], (cases * (1000 // len(cases) + 1))[:1000]
    single = _timings(lambda: predict_cases(file_model, one_case), args.repeat)
    batch = _timings(lambda: predict_cases(file_model, thousand_cases), max(10, args.repeat // 10))
    rows.append(("file+encoding", _p(single, 50), _p(single, 95), _p(batch, 50), _p(batch, 95)))
    server.close()
    # the two forms of the same model answer the same (the build refuses an export further than 1e-4 months)
    difference = float(abs(onnx_model.predict_frame(thousand) - file_model.predict_frame(thousand)).max())
    base_single, base_batch = rows[0][1], rows[0][3]
    print(f"model {file_model.identity.sha256}; its ONNX export {onnx_model.identity.sha256} "
          f"(largest difference over the 1000 rows: {difference:.2g} months)")  # fmt: skip
    print(
        f"{'adapter':<14} {'1-row p50 ms':>12} {'1-row p95 ms':>12} {'1000-row p50 ms':>15} {'1000-row p95 ms':>15}"
        f" {'x file (1 row)':>14} {'x file (1000)':>13} {'1000-row/1-row':>14}"
    )
    for name, s50, s95, b50, b95 in rows:
        print(
            f"{name:<14} {s50:12.2f} {s95:12.2f} {b50:15.2f} {b95:15.2f} {s50 / base_single:14.2f}"
            f" {b50 / base_batch:13.2f} {b50 / s50:14.2f}"
        )

    # Guideline engine: cases per second over the bundled cases, for about two seconds.
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < 2.0:
        for case in cases:
            derive_sentence(case)
        count += len(cases)
    rate = count / (time.perf_counter() - start)
    per_row_batch = rows[0][3] / 1000.0
    print(
        f"guideline engine: {rate:,.0f} cases/s ({1000.0 / rate:.3f} ms per case); "
        f"model batch cost per row {per_row_batch:.4f} ms -> engine/model-batch per-case time ratio "
        f"{(1000.0 / rate) / per_row_batch:.1f}"
    )
    onnx_row = next(r for r in rows if r[0] == "onnx-file")
    print(
        f"ONNX (onnxruntime, one thread) against the sklearn pipeline: {base_single / onnx_row[1]:.1f}x faster for one "
        f"row, {base_batch / onnx_row[3]:.1f}x for 1000 rows"
    )
    print(
        f"one-row figures over {args.repeat} calls, 1000-row over {max(10, args.repeat // 10)}; "
        "'+ encoding' includes turning validated cases into the feature frame"
    )


if __name__ == "__main__":
    main()
