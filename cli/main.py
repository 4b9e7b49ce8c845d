"""``voirdire``: the parser over every command group, and ``main``."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import Any

from cli.arguments import OneLineParser
from cli.commands import cases, court, data, packs, practice, proposal, questions, reading, reports, yardstick
from cli.framework import run_command

__all__ = ["build_parser", "main"]


def _register_risk_alias(sub: Any) -> None:
    """``voirdire risk ...``: the commands of the first release for risk scores, kept as aliases for one release.
    ``risk whatif``, ``search``, ``sensitivity`` and ``report`` are ``whatif``, ``counterfactual``,
    ``sensitivity`` and ``report`` (which take a case of either kind); ``--surrogate`` is ``--model``."""
    risk = sub.add_parser("risk", help="challenge a risk score (COMPAS): the surrogate, a person of the data, and "
                          "aliases of whatif / counterfactual / sensitivity / report")  # fmt: skip
    commands = risk.add_subparsers(dest="risk_command", required=True, metavar="RISK_COMMAND")
    data.register_risk_data(commands)
    for alias, name in (("whatif", "whatif"), ("search", "counterfactual"), ("sensitivity", "sensitivity")):
        p = commands.add_parser(alias, help=f"the same as `voirdire {name}`")
        questions.add_question_options(name, p)
        p.set_defaults(run=questions.RUN[name])
    p = commands.add_parser("report", help="the same as `voirdire report`")
    reports.add_report_options(p)
    p.set_defaults(run=reports.run_report)


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="voirdire",
        description=(
            "Examine an algorithmic sentencing recommendation or risk score as expert evidence. Commands that read "
            "a case take a case file (JSON) of either kind; see `voirdire cases --show NAME` for the format."
        ),
        epilog="Exit codes: 0 done; 1 a pack did not verify or replay differed; 2 bad input; 3 the model could not be "
        "used, or a pack did not verify before replay; 4 inconsistent configuration; 5 the machine could not write; "
        "70 a defect of voirdire.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    cases.register(sub)
    questions.register(sub)
    reports.register(sub)
    court.register(sub)
    data.register(sub)
    packs.register(sub)
    yardstick.register(sub)
    reading.register(sub)
    practice.register(sub)
    proposal.register(sub)
    _register_risk_alias(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    return run_command(build_parser().parse_args(argv))
