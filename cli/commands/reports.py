"""The explanation report of a case of either kind: standard for routine cases, deep when it is disputed."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from cli.arguments import seed
from cli.commands.questions import load_heard_case, model_for
from cli.framework import Options, command_registry, language_of, parse_formats
from sentencing.errors import InputError, Rule

__all__ = ["add_report_options", "register", "run_report"]


def run_report(args: argparse.Namespace) -> int:
    from explain_tiers.operations import ReportPart, write_heard_report
    from explain_tiers.tiers import Tier

    formats = parse_formats(args.format)  # said before the case, the model and the report are loaded and computed
    case = load_heard_case(args.case)
    disputed = [d.strip() for d in args.dispute.split(",") if d.strip()] if args.dispute else None
    kinds = command_registry().kinds
    kinds.part(case.kind, ReportPart)  # a kind without a report is refused before the model is loaded
    practice = None
    if getattr(args, "practice", None):
        from sentencing.practice import load_index

        if args.tier != "deep":
            raise InputError("--practice", Rule.BAD_PARAMETER,
                             "the comparison with decided cases is in the deep report (--tier deep)")  # fmt: skip
        practice = load_index(args.practice)
    model = model_for(args, case)
    report = _build(kinds, case, model, Tier(args.tier), args.seed, disputed, practice)
    for path in write_heard_report(kinds, case, report, Path(args.out), language_of(args), formats):
        print(path)
    return 0


def _build(kinds: Any, case: Any, model: Any, tier: Any, seed_value: int, disputed: list[str] | None,
           practice: Any = None) -> Any:  # fmt: skip
    """The report of the case's kind; a deep one with a progress bar on standard error (it takes seconds)."""
    from tqdm import tqdm

    from explain_tiers.operations import build_heard_report
    from explain_tiers.tiers import Tier

    if tier is Tier.STANDARD:
        return build_heard_report(kinds, case, model, tier=tier, seed=seed_value, disputed=disputed)
    with tqdm(total=9, desc="deep report", unit="step", file=sys.stderr) as bar:
        started: list[str] = []

        def advance(step: str) -> None:
            # called as each step starts: the bar counts the steps finished
            if started:
                bar.update(1)
            started.append(step)
            bar.set_postfix_str(step)

        report = build_heard_report(kinds, case, model, tier=tier, seed=seed_value, disputed=disputed,
                                    progress=advance, practice=practice)  # fmt: skip
        bar.update(bar.total - bar.n)
    return report


def add_report_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("case", metavar="CASE.json", help="a case file of either kind")
    Options.tier(p)
    p.add_argument("--out", metavar="DIR", required=True, help="folder for the report files")
    Options.formats(p)
    p.add_argument("--dispute", metavar="F1,F2", help="deep tier: the disputed facts (default: those the case asserts)")
    p.add_argument("--seed", type=seed, default=0, help="seed of the explainers (recorded; same seed, same report)")
    p.add_argument("--practice", metavar="INDEX.npz",
                   help="deep tier: a court's corpus of decided cases (voirdire similar-index) to compare with; "
                   "default: the model's synthetic judgments stand in, and say so")  # fmt: skip
    Options.common(p, json_flag=False)


def register(sub: Any) -> None:
    p = sub.add_parser(
        "report",
        help="the explanation report: standard for routine cases, deep when the recommendation is disputed",
        description="Writes report.json (language-free, schema-checked), report.LANG.html and report.LANG.pdf "
        "(PDF/A-3b with the JSON attached) into --out, for a case of either kind.",
    )
    add_report_options(p)
    p.set_defaults(run=run_report)
