"""The law's yardstick against a court's own judgments: ``evaluate`` (how often real outcomes fall where the
guideline, and a model, put them) and ``calibrate`` (fit the numbers the law leaves to the province, inside the
law's bounds)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from cli.arguments import positive_number
from cli.framework import Options, emit, language_of
from sentencing.errors import InputError, Rule

__all__ = ["register"]


def _table(args: argparse.Namespace) -> Any:
    from sentencing.jurisdiction import load_jurisdiction

    return load_jurisdiction(path=args.jurisdiction_file) if args.jurisdiction_file else None


def _judgments(args: argparse.Namespace, jurisdiction: Any) -> Any:
    from sentencing.evaluation import JudgmentFile

    split = None if args.split is None else (args.split.replace("-", "_"), args.held_out_share)
    return JudgmentFile(Path(args.judgments), jurisdiction, Path(args.facts) if args.facts else None, split,
                        read_texts=bool(getattr(args, "read", False)))  # fmt: skip


class _Progress:
    """Judgments read so far, on standard error (a terminal only, unless asked)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self.done = 0

    def __call__(self, count: int) -> None:
        self.done += count
        if self.enabled:
            print(f"\rvoirdire: {self.done} judgments compared", end="", file=sys.stderr, flush=True)

    def close(self) -> None:
        if self.enabled and self.done:
            print(file=sys.stderr)


def _refuse_overlap(records: Any, jurisdiction: Any, what: str) -> Any:
    """Judgments a calibrated table was fitted on are not held out: refuse them by id."""
    fitted = jurisdiction.calibration_ids if jurisdiction is not None else frozenset()
    for record in records:
        if record.judgment_id in fitted:
            raise InputError(f"judgment {record.judgment_id}", Rule.BAD_PARAMETER,
                             f"it was used to calibrate {jurisdiction.source}; {what} needs judgments held out from "
                             "the calibration (see --split held-out)")  # fmt: skip
        yield record


def _cmd_evaluate(args: argparse.Namespace) -> int:
    from cli.views.yardstick import render_evaluation
    from sentencing.evaluation import evaluate_judgments

    jurisdiction = _table(args)
    source = _judgments(args, jurisdiction)
    predict, model_name = None, None
    if args.model is not None:
        from cli.commands.questions import model_for
        from sentencing.models.base import predict_cases

        model = model_for(args)
        model_name = f"{model.identity.name} (sha256 {(model.identity.sha256 or 'not stated')[:12]})"

        def predict(cases: list[Any]) -> Any:
            return predict_cases(model, cases)

    progress = _Progress(not args.no_progress)
    try:
        evaluation = evaluate_judgments(_refuse_overlap(source, jurisdiction, "evaluate"), source=args.judgments,
                                        jurisdiction=jurisdiction, predict=predict, model_name=model_name,
                                        progress=progress)  # fmt: skip
    finally:
        progress.close()
    body = {**evaluation.to_dict(), "file_sha256": source.sha256, "read": source.read,
            "read_by_reader": source.read_by_reader,
            "without_facts": source.without_facts, "outside_split": source.outside_split}  # fmt: skip
    emit(args, "evaluate", body, lambda: render_evaluation(evaluation, source, language_of(args)), kind="sentencing")
    return 0


def _cmd_calibrate(args: argparse.Namespace) -> int:
    from cli.views.yardstick import render_calibration
    from sentencing.calibration import calibrate
    from sentencing.evaluation import compare_judgment, summarise
    from sentencing.files import read_data_document, write_atomically
    from sentencing.jurisdiction import parse_jurisdiction

    base, base_source = read_data_document("data/jurisdictions/default.json", args.jurisdiction_file,
                                           "the jurisdiction table")  # fmt: skip
    jurisdiction = parse_jurisdiction(base, base_source)
    source = _judgments(args, jurisdiction)
    records = list(source)
    if not records:
        raise InputError(args.judgments, Rule.MISSING_REQUIRED, "no judgments with facts to calibrate on")
    result = calibrate(records, base, source=args.judgments, file_sha256=source.sha256,
                       progress=None if args.no_progress else lambda line: print(f"voirdire: {line}",
                                                                                 file=sys.stderr))  # fmt: skip
    held_out = None
    if args.held_out:
        table = parse_jurisdiction(result.document, args.out)
        fitted = {r.judgment_id for r in records}
        # with --split calibration, the held-out file's held-out part (the other part of the same split)
        held_split = "held-out" if args.split == "calibration" else None
        held = _judgments(argparse.Namespace(**{**vars(args), "judgments": args.held_out, "split": held_split}), table)
        comparisons = []
        for record in held:
            if record.judgment_id in fitted:
                raise InputError(f"{args.held_out}: judgment {record.judgment_id}", Rule.BAD_PARAMETER,
                                 f"the held-out file overlaps the calibration file {args.judgments}")  # fmt: skip
            comparisons.append(compare_judgment(record, table))
        if comparisons:
            held_out = summarise(comparisons)
            result.document["provenance"]["fit_held_out"] = {
                "file": args.held_out,
                "judgments": len(comparisons),
                "summaries": [s.to_dict() for s in held_out],
            }
    text = json.dumps(result.document, ensure_ascii=False, indent=1) + "\n"
    write_atomically(Path(args.out), text.encode("utf-8"))
    body = {**result.to_dict(), "out": args.out,
            "held_out": None if held_out is None else [s.to_dict() for s in held_out]}  # fmt: skip
    emit(args, "calibrate", body, lambda: render_calibration(result, held_out, args.out, language_of(args)),
         kind="sentencing")  # fmt: skip
    return 0


def _judgment_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--judgments", required=True, metavar="FILE",
                   help="decided cases: JSON lines ({id, case, real}, or CAIL2018-style {id, charge, meta, ...}) or "
                   "a CSV of cases with real_months")  # fmt: skip
    p.add_argument("--facts", metavar="FILE", help="structured facts keyed by judgment id (JSON lines {id, charge, "
                   "facts, circumstances}), for judgments given without them")  # fmt: skip
    p.add_argument("--jurisdiction-file", metavar="TABLE.json", help="a jurisdiction table (default: the shipped "
                   "default table)")  # fmt: skip
    p.add_argument("--split", choices=["calibration", "held-out"],
                   help="keep one part of a split decided by each judgment's id")  # fmt: skip
    p.add_argument("--held-out-share", type=positive_number(0.99), default=0.3,
                   help="the held-out part's share in the split (default 0.3)")  # fmt: skip
    p.add_argument("--read", action="store_true", help="read each CAIL2018 line's text ('fact') with the reader "
                   "(voirdire read) where no structured facts are given; a text that does not state a fact the case "
                   "needs is counted, not compared")  # fmt: skip
    p.add_argument("--no-progress", action="store_true", help="nothing on standard error while reading")


def register(sub: Any) -> None:
    p = sub.add_parser("evaluate", help="how often a court's real outcomes fall inside the guideline's band and "
                       "range; MAE and the CAIL2018 score, by charge, with the worst cases (and a model's, with "
                       "--model)")  # fmt: skip
    _judgment_options(p)
    Options.common(p)
    p.set_defaults(run=_cmd_evaluate)

    p = sub.add_parser("calibrate", help="fit a jurisdiction table's starting points, increments and default ratios "
                       "to a court's judgments, inside the law's bounds; writes a reviewable table")  # fmt: skip
    _judgment_options(p)
    p.add_argument("--out", required=True, metavar="TABLE.json", help="where to write the calibrated table")
    p.add_argument("--held-out", metavar="FILE", help="judgments held out from the calibration, to report the fit "
                   "on (refused if they overlap); with --split calibration, that file's held-out part")  # fmt: skip
    Options.common(p, model=False)
    p.set_defaults(run=_cmd_calibrate)
