"""How much of a real term do the facts we hold determine? A ceiling for issue 15's targets, measured side by side.

Run: .venv/bin/python bench/bench_ceiling.py [--folds 10] [--json]
Needs ../shared/data/cail2018-sample/cases.jsonl (real CAIL2018 judgments) and the project's hand labels
(tests/fixtures/judgments/cail2018-labels*.jsonl, facts keyed by id; no text of a judgment is in the project).

The guideline engine is scored by the share of real terms inside the judge's ±20% band around its point. Whatever
point a yardstick states, it can only use the facts a judgment gives; where courts gave different terms to the same
facts, no point can hold both. Three figures, on every labelled judgment, by charge:

1. **engine** — the shipped default table (no fitting at all);
2. **learner, cross-validated** — a gradient-boosted regressor on log(term + 1) over the same facts *and* the engine's
   own point, fitted in k folds and scored on the fold it did not see: what a flexible fit to 500 real judgments
   reaches beyond the engine;
3. **twins' ceiling** — judgments of the same charge whose facts agree (the same circumstances and amounts, blood
   alcohol, counts within the same 10% step) form a group; the best single point for the group, chosen *after*
   seeing its real terms, puts at most this share of the group inside its band. No function of these facts can do
   better on these judgments (it must give twins nearly one point); only groups of two or more count.

Each point's band is the engine's: ±20%, each end reaching the nearest whole month, a point of 0 a band of [0, 0].
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data" / "cail2018-sample" / "cases.jsonl"
LABEL_DIR = ROOT / "tests" / "fixtures" / "judgments"


def inside(real: float, point: float) -> bool:
    from sentencing.guideline import judicial_band_around

    return judicial_band_around(point, 0.2).contains(real)


def best_point_share(terms: list[float]) -> float:
    """The largest share of `terms` that one point's band can hold (the point chosen after seeing them)."""
    candidates = {0.0}
    for t in terms:
        # a band's ends move with the point: every term is at an end of some best band, so try points around each
        candidates.update({t, t / 0.8, t / 1.2, max(t - 0.5, 0.0) / 0.8, (t + 0.5) / 1.2, t + 0.5, max(t - 0.5, 0.0)})
    return max(sum(inside(t, p) for t in terms) for p in candidates) / len(terms)


def best_point(terms: list[float]) -> float:
    """The point whose band holds most of `terms` (ties: the one nearest their median)."""
    candidates = {0.0}
    for t in terms:
        candidates.update({t, t / 0.8, t / 1.2, max(t - 0.5, 0.0) / 0.8, (t + 0.5) / 1.2, t + 0.5, max(t - 0.5, 0.0)})
    middle = float(np.median(terms))
    return max(sorted(candidates), key=lambda p: (sum(inside(t, p) for t in terms), -abs(p - middle)))


def twin_key(record: Any) -> tuple[Any, ...]:
    parts: list[Any] = [record.case.charge]
    for name, value in sorted(record.case.as_dict().items()):
        if name in {"case_id", "charge"}:
            continue
        if isinstance(value, bool) or not isinstance(value, int | float):
            parts.append((name, value))
        elif value <= 0:
            parts.append((name, 0))
        else:
            parts.append((name, round(math.log(value) / math.log(1.1))))  # the same 10% step
    return tuple(parts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folds", type=int, default=10)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not SHARED.is_file():
        print(f"bench_ceiling: {SHARED} is not on this machine; nothing to measure", file=sys.stderr)
        return 2

    from sklearn.ensemble import HistGradientBoostingRegressor
    from sklearn.model_selection import KFold

    from sentencing.case import parse_case
    from sentencing.errors import CaseValidationError
    from sentencing.evaluation import NEUTRAL_DEFENDANT, JudgmentFile, cail_score
    from sentencing.features import categorical_columns, feature_frame
    from sentencing.guideline import derive_sentence

    # a label whose text did not state a fact the charge needs (an injury without its grade or count) is no case
    usable, unusable = [], 0
    for path in sorted(LABEL_DIR.glob("cail2018-labels*.jsonl")):
        for line in path.read_text("utf-8").splitlines():
            body = json.loads(line)
            try:
                parse_case({"schema_version": "1.0", "case_id": body["id"], "charge": body["charge"],
                            "facts": body.get("facts") or {}, "circumstances": body.get("circumstances") or {},
                            "defendant": {**NEUTRAL_DEFENDANT, **(body.get("defendant") or {})}})  # fmt: skip
            except CaseValidationError:
                unusable += 1
                continue
            usable.append(line + "\n")
    with tempfile.TemporaryDirectory() as folder:
        combined = Path(folder) / "labels.jsonl"
        combined.write_text("".join(usable), "utf-8")
        records = list(JudgmentFile(SHARED, facts_path=combined))
    real = np.array([r.real.months for r in records])
    engine = np.array([derive_sentence(r.case).recommended_months for r in records])
    frame = feature_frame([r.case for r in records])
    for column in categorical_columns():
        frame[column] = frame[column].astype("category").cat.codes
    frame["engine_log"] = np.log1p(engine)
    x = frame.to_numpy(dtype=float)
    categorical = [frame.columns.get_loc(c) for c in categorical_columns()]
    learner = np.zeros(len(records))
    for train, test in KFold(args.folds, shuffle=True, random_state=0).split(x):
        fit = HistGradientBoostingRegressor(max_iter=200, learning_rate=0.05, min_samples_leaf=8,
                                            categorical_features=categorical, random_state=0)  # fmt: skip
        fit.fit(x[train], np.log1p(real[train]))
        learner[test] = np.maximum(np.expm1(fit.predict(x[test])), 0.0)

    groups: dict[tuple[Any, ...], list[int]] = defaultdict(list)
    for i, r in enumerate(records):
        groups[twin_key(r)].append(i)
    twins = [g for g in groups.values() if len(g) >= 2]

    charges = [*sorted({r.case.charge for r in records}), "all"]
    results: dict[str, dict[str, Any]] = {}
    for charge in charges:
        idx = [i for i, r in enumerate(records) if charge in ("all", r.case.charge)]
        row: dict[str, Any] = {"n": len(idx)}
        for name, points in (("engine", engine), ("learner_cv", learner)):
            row[name] = {
                "band": sum(inside(real[i], points[i]) for i in idx) / len(idx),
                "mae": float(np.mean([abs(real[i] - points[i]) for i in idx])),
                "cail": float(np.mean([cail_score(real[i], points[i]) for i in idx])),
            }
        mine = [g for g in twins if charge == "all" or records[g[0]].case.charge == charge]
        members = sum(len(g) for g in mine)
        held = sum(best_point_share([real[i] for i in g]) * len(g) for g in mine)
        engine_on_twins = sum(inside(real[i], engine[i]) for g in mine for i in g)
        # each twin predicted from its twins alone: the best point for the others' terms, scored on this one
        from_twins = sum(inside(real[i], best_point([real[j] for j in g if j != i])) for g in mine for i in g)
        row["twins"] = {"groups": len(mine), "judgments": members,
                        "ceiling_band": held / members if members else math.nan,
                        "from_twins_band": from_twins / members if members else math.nan,
                        "engine_band": engine_on_twins / members if members else math.nan}  # fmt: skip
        results[charge] = row
    if args.json:
        body = {"judgments": len(records), "unusable_labels": unusable, "folds": args.folds, "results": results}
        print(json.dumps(body, indent=1))
        return 0
    print(f"{len(records)} labelled real judgments ({unusable} labels state too little for a case); "
          f"learner cross-validated in {args.folds} folds")  # fmt: skip
    header = (f"{'charge':18} {'n':>4} | {'engine band':>11} {'CAIL':>6} {'MAE':>5} | {'learner band':>12} "
              f"{'CAIL':>6} {'MAE':>5} | {'twins':>5} {'ceiling':>7} {'others':>6} {'engine':>6}")  # fmt: skip
    print(header)
    print("-" * len(header))
    for charge, row in results.items():
        e, lr, t = row["engine"], row["learner_cv"], row["twins"]
        print(f"{charge:18} {row['n']:4d} | {e['band']:11.0%} {e['cail']:6.3f} {e['mae']:5.2f} | {lr['band']:12.0%} "
              f"{lr['cail']:6.3f} {lr['mae']:5.2f} | {t['judgments']:5d} {t['ceiling_band']:7.0%} "
              f"{t['from_twins_band']:6.0%} {t['engine_band']:6.0%}")  # fmt: skip
    print()
    print("twins: judgments whose facts agree with another's; ceiling: the best share of them one point per group")
    print("can hold inside its band, the point chosen after seeing the real terms; others: each twin inside the band")
    print("of the best point for its twins' terms (practice predicting it); engine: the engine's share on the same")
    print("judgments")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
