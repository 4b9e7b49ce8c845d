"""The prosecution's sentencing proposal (量刑建议) under review: ``proposal review``."""

from __future__ import annotations

import argparse
from typing import Any

from cli.arguments import count
from cli.framework import Options, emit, language_of
from sentencing.errors import InputError, Rule

__all__ = ["register"]


def _cmd_review(args: argparse.Namespace) -> int:
    from cli.framework import command_registry
    from cli.views.proposal import render_review
    from explain_tiers.proposal_review import review_with_search
    from sentencing.case import load_case_file, parse_case, read_json_object
    from sentencing.operations import OperationContext
    from sentencing.proposal import proposal_from_canonical

    case = load_case_file(args.case)
    if args.proposal and case.proposal is not None:
        raise InputError("--proposal", Rule.CONTRADICTION, f"{args.case} holds a proposal already; give it once")
    if args.proposal:  # the proposal beside the case becomes part of it, checked with the case's charge and table
        document = case.to_document()
        document["proposal"] = read_json_object(args.proposal)
        case = parse_case(document, source=args.proposal)
    if case.proposal is None:
        raise InputError("proposal", Rule.MISSING_REQUIRED, f"{args.case} holds no proposal; give --proposal P.json")
    parameters = {"smallest_change": bool(args.smallest_change), "max_changes": args.max_changes}
    if args.no_model:  # the guideline alone: no operation to record, nothing for the model to answer
        answer = review_with_search(case, proposal_from_canonical(case.proposal), smallest_change=args.smallest_change,
                                    max_changes=args.max_changes)  # fmt: skip
        review, flip = answer.value
        emit(args, "proposal review", answer.body, lambda: render_review(review, flip, language_of(args)),
             kind=case.kind)  # fmt: skip
        return 0
    from cli.commands.questions import model_for

    model = model_for(args, case)  # the proposal was read, and refused, before the model is loaded
    outcome = command_registry().run("proposal_review", case, parameters, OperationContext(model))
    review, flip = outcome.answer
    emit(args, "proposal review", outcome.result, lambda: render_review(review, flip, language_of(args)),
         kind=case.kind, outcome=outcome)  # fmt: skip
    return 0


def register(sub: Any) -> None:
    p = sub.add_parser("proposal", help="the procuratorate's sentencing proposal (量刑建议) in a plea case")
    commands = p.add_subparsers(dest="proposal_command", required=True, metavar="PROPOSAL_COMMAND")
    r = commands.add_parser(
        "review",
        help="the proposal beside the guideline at the stage of the plea (and at every stage), beside the model, "
        "with findings and the CPL art. 201 checklist",
    )
    r.add_argument("case", metavar="CASE.json", help="the case (a case file may hold its proposal under 'proposal')")
    r.add_argument("--proposal", metavar="P.json", help="the proposal, when the case file does not hold it")
    r.add_argument("--no-model", action="store_true", help="review against the guideline alone, without a model")
    r.add_argument("--smallest-change", action="store_true",
                   help="also search the fewest changes of disputable facts that move the proposal across the "
                   "judge's band (into it, or out of it)")  # fmt: skip
    r.add_argument("--max-changes", type=count(1, 3), default=2, help="for --smallest-change: 1 to 3 (default 2)")
    Options.common(r)
    r.set_defaults(run=_cmd_review)
