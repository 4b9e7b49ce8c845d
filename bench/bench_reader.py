"""The reader against judgments labelled by hand: the part its rules were written on and a part never looked at.

Run: .venv/bin/python bench/bench_reader.py [--json]
Needs ../shared/data/cail2018-sample/cases.jsonl (real CAIL2018 judgments) and the project's own labels keyed by id
(tests/fixtures/judgments/: cail2018-labels.jsonl, the part the rules were written on; cail2018-labels-unseen.jsonl,
labelled blind, then used to improve the rules; cail2018-labels-blind2.jsonl to -blind7.jsonl, the same;
cail2018-labels-blind8.jsonl, labelled blind after that and never used to write a rule; LABELS.md says how).
No text of a judgment is in the project.

Printed, for each part: the charge read from the text; per field, precision and recall of the facts the labels
state (a field left out of a label is its catalogue default: no, none, one act, one victim); the key fact of each
charge exactly right (amount within 0.5%, blood alcohol within 0.01, the injury's worst harm and its grade where
stated); the circumstances'
micro-averaged F1; the whole case exactly right (charge and every field). Then the targets of the issue on the blind
part: key fact >= 95% exact, circumstances >= 90% F1, whole case >= 80% exact.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "data" / "cail2018-sample" / "cases.jsonl"
LABELS = ROOT / "tests" / "fixtures" / "judgments"
# the part the rules were written on; seven parts labelled blind whose errors later improved the rules; the eighth
# blind part, labelled after that and never used to write a rule (LABELS.md)
PARTS = {"written on": LABELS / "cail2018-labels.jsonl", "unseen, then used": LABELS / "cail2018-labels-unseen.jsonl",
         "blind 2, then used": LABELS / "cail2018-labels-blind2.jsonl",
         "blind 3, then used": LABELS / "cail2018-labels-blind3.jsonl",
         "blind 4, then used": LABELS / "cail2018-labels-blind4.jsonl",
         "blind 5, then used": LABELS / "cail2018-labels-blind5.jsonl",
         "blind 6, then used": LABELS / "cail2018-labels-blind6.jsonl",
         "blind 7, then used": LABELS / "cail2018-labels-blind7.jsonl",
         "blind": LABELS / "cail2018-labels-blind8.jsonl"}  # fmt: skip
KEY = {"theft": "amount_yuan", "fraud": "amount_yuan", "dangerous_driving": "blood_alcohol_mg_per_100ml",
       "intentional_injury": "injury_grade"}  # fmt: skip


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool) or not isinstance(a, int | float) or not isinstance(b, int | float):
        return bool(a == b)
    return abs(a - b) <= max(0.01, 0.005 * abs(b))


def _harm(values: dict[str, Any]) -> tuple[str, str]:
    worst = ("death" if values.get("deaths") else "serious" if values.get("serious_injuries")
             else "minor" if values.get("minor_injuries") else "none")  # fmt: skip
    return worst, str(values.get("injury_grade", "none"))


def measure(labels: list[dict[str, Any]], texts: dict[str, dict[str, Any]]) -> dict[str, Any]:
    from sentencing.catalogue import load_catalogue
    from sentencing.errors import InputError
    from sentencing.reading import read_text

    catalogue = load_catalogue()
    counts: dict[str, dict[str, int]] = {}
    charge_right = key_right = key_total = whole_right = 0
    circumstance = {"tp": 0, "fp": 0, "fn": 0}
    started = time.perf_counter()
    for label in labels:
        text = texts[label["id"]]["fact"]
        try:
            charge_ok = read_text(text).charge == label["charge"]
        except InputError:
            charge_ok = False
        charge_right += charge_ok
        draft = read_text(text, charge=label["charge"])
        got = {f.factor: f.value for f in draft.facts}
        want = {**label.get("facts", {}), **label.get("circumstances", {})}
        whole = charge_ok
        for spec in catalogue.factors_for(label["charge"]):
            if spec.group.value == "defendant":
                continue
            default = spec.default
            w, g = want.get(spec.id, default), got.get(spec.id, default)
            w_pos, g_pos = w != default and w is not None, g != default and g is not None
            c = counts.setdefault(spec.id, {"tp": 0, "fp": 0, "fn": 0})
            right = _same(g, w) if (w_pos or g_pos) else True
            if w_pos and g_pos and right:
                c["tp"] += 1
            else:
                c["fp"] += g_pos
                c["fn"] += w_pos
            whole = whole and right
            if spec.group.value == "circumstance":
                if w_pos and g_pos and right:
                    circumstance["tp"] += 1
                else:
                    circumstance["fp"] += g_pos
                    circumstance["fn"] += w_pos
        if label["charge"] == "intentional_injury":  # the injury: the worst harm, and its grade where stated
            w_key, g_key = _harm(want), _harm(got)
            if w_key[0] != "none":
                key_total += 1
                key_right += w_key == g_key
        elif KEY[label["charge"]] in want:
            key = KEY[label["charge"]]
            key_total += 1
            key_right += key in got and _same(got[key], want[key])
        whole_right += whole
    n = len(labels)
    tp, fp, fn = circumstance["tp"], circumstance["fp"], circumstance["fn"]
    f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0
    fields = {}
    for name, c in sorted(counts.items()):
        if c["tp"] + c["fp"] + c["fn"]:
            fields[name] = {"precision": c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else None,
                            "recall": c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else None,
                            "support": c["tp"] + c["fn"]}  # fmt: skip
    return {"judgments": n, "charge": charge_right / n, "key_fact_exact": key_right / key_total if key_total else None,
            "key_fact_judgments": key_total, "circumstances_f1": f1, "whole_case_exact": whole_right / n,
            "fields": fields, "seconds_per_judgment": (time.perf_counter() - started) / max(n, 1) / 2}  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if not SHARED.is_file():
        print(f"bench_reader: {SHARED} is not on this machine; nothing to measure", file=sys.stderr)
        return 2
    with SHARED.open(encoding="utf-8") as lines:
        texts = {row["id"]: row for row in map(json.loads, lines)}
    results = {}
    for part, path in PARTS.items():
        with path.open(encoding="utf-8") as lines:
            results[part] = measure([json.loads(line) for line in lines if line.strip()], texts)
    blind = results["blind"]
    targets = {"key fact >= 95% exact": (blind["key_fact_exact"] or 0) >= 0.95,
               "circumstances >= 90% F1": blind["circumstances_f1"] >= 0.90,
               "whole case >= 80% exact": blind["whole_case_exact"] >= 0.80}  # fmt: skip
    if args.json:
        print(json.dumps({"results": results, "targets": targets}, indent=1, ensure_ascii=False))
        return 0
    for part, r in results.items():
        key = "–" if r["key_fact_exact"] is None else f"{r['key_fact_exact']:.0%}"
        print(f"{part}: {r['judgments']} judgments; charge read right {r['charge']:.0%}; key fact exact {key} "
              f"(of {r['key_fact_judgments']}); circumstances F1 {r['circumstances_f1']:.0%}; whole case exact "
              f"{r['whole_case_exact']:.0%}; {1000 * r['seconds_per_judgment']:.1f} ms a judgment")  # fmt: skip
        print(f"  {'field':28} {'precision':>9} {'recall':>7} {'support':>7}")
        for name, f in r["fields"].items():
            p = "–" if f["precision"] is None else f"{f['precision']:.0%}"
            rc = "–" if f["recall"] is None else f"{f['recall']:.0%}"
            print(f"  {name:28} {p:>9} {rc:>7} {f['support']:7d}")
        print()
    for target, met in targets.items():
        print(f"target (blind part) {target}: {'met' if met else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
