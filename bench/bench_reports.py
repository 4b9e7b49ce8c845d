"""Report timings on the reference model, and raw LIME's stability beside the stabilised attribution.

Run: .venv/bin/python bench/bench_reports.py [--runs N]

- standard report, JSON + PDF (zh-CN): median over runs; target <= 2 s;
- deep report, JSON + PDF: median over runs; target <= 20 s;
- top-5 agreement over 10 seeds, for each bundled case: raw LIME (5,000 samples, one run per seed)
  against the stabilised attribution (8 scrambles of 8,192 Sobol points per seed base); target: the
  stabilised top-5 set agrees in at least 9 of 10 seeds.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from collections import Counter
from importlib import resources

from explain_tiers.lime_adapter import LimeExplainer
from explain_tiers.population import population_of
from explain_tiers.render import render_pdf, report_json
from explain_tiers.report import build_deep_report, build_standard_report
from explain_tiers.stabilised_attribution import explain_stabilised
from hearing.settings import settings_from_environment
from sentencing.case import parse_case
from sentencing.model import ensure_reference_model
from sentencing.models import SklearnFileModel


def _agreement(tops: list[tuple[str, ...]]) -> int:
    return Counter(frozenset(t) for t in tops).most_common(1)[0][1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="runs of each report for the median")
    args = parser.parse_args()
    os.environ.setdefault("TQDM_DISABLE", "1")
    folder = ensure_reference_model(settings_from_environment().reference_model_dir)
    model = SklearnFileModel.load(folder)
    print(f"model {model.identity.sha256}")
    directory = resources.files("sentencing").joinpath("data/cases")
    files = sorted((p for p in directory.iterdir() if p.name.endswith(".json")), key=lambda p: p.name)
    cases = [parse_case(json.loads(p.read_text(encoding="utf-8"))) for p in files]
    case = next(c for c in cases if c.case_id == "theft-non-local-unemployed")
    build_standard_report(case, model)  # first use loads SHAP, fonts and the training data

    def standard() -> None:
        report = build_standard_report(case, model)
        report_json(report)
        render_pdf(report, "zh-CN")

    def deep() -> None:
        report = build_deep_report(case, model)
        report_json(report)
        render_pdf(report, "zh-CN")

    rows = []
    for name, job, target in (("standard JSON+PDF", standard, 2.0), ("deep JSON+PDF", deep, 20.0)):
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            job()
            times.append(time.perf_counter() - start)
        rows.append((name, statistics.median(times), max(times), target))
    print(f"{'report':<20} {'median s':>9} {'max s':>7} {'target s':>9}  met")
    for name, median, worst, target in rows:
        print(f"{name:<20} {median:9.2f} {worst:7.2f} {target:9.1f}  {'yes' if median <= target else 'NO'}")
    print(f"deep/standard median ratio: {rows[1][1] / rows[0][1]:.1f}x")

    frame = population_of(model).frame
    print("\ntop-5 agreement across 10 seeds (modal top-5 set)")
    print(f"{'case':<34} {'raw LIME 5000':>14} {'stabilised':>11} {'raw s/run':>10} {'stab s/run':>11}")
    all_met = True
    for item in cases:
        start = time.perf_counter()
        raw = [LimeExplainer(model, frame, samples=5000, seed=seed).explain(item).top(5) for seed in range(10)]
        raw_time = (time.perf_counter() - start) / 10
        start = time.perf_counter()
        stable = [explain_stabilised(model, item, frame, seed=1000 * base).top for base in range(10)]
        stable_time = (time.perf_counter() - start) / 10
        agreement = _agreement(stable)
        all_met &= agreement >= 9
        print(f"{item.case_id:<34} {_agreement(raw):>11}/10 {agreement:>8}/10 {raw_time:10.2f} {stable_time:11.2f}")
    print(f"stabilised top-5 agrees in >= 9 of 10 seeds for every case: {'met' if all_met else 'NOT met'}")


if __name__ == "__main__":
    main()
