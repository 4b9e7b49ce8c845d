"""The prosecution's sentencing proposal (量刑建议) under review: ``proposal review``."""

from __future__ import annotations

import argparse
from typing import Any

from cli.arguments import count
from cli.commands.practice import corpus_options
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
    proposal = proposal_from_canonical(case.proposal)
    practice = _practice(args, case, proposal)  # the corpus is read, and refused, before the model is loaded
    parameters = {"smallest_change": bool(args.smallest_change), "max_changes": args.max_changes}
    if args.no_model:  # the guideline alone: no operation to record, nothing for the model to answer
        answer = review_with_search(case, proposal, smallest_change=args.smallest_change,
                                    max_changes=args.max_changes)  # fmt: skip
        review, flip = answer.value
        body = {**answer.body, "practice": None if practice is None else practice.to_dict()}
        emit(args, "proposal review", body, lambda: render_review(review, flip, language_of(args), practice),
             kind=case.kind)  # fmt: skip
        return 0
    from cli.commands.questions import model_for

    model = model_for(args, case)  # the proposal was read, and refused, before the model is loaded
    outcome = command_registry().run("proposal_review", case, parameters, OperationContext(model))
    review, flip = outcome.answer
    # the operation's result is what a hearing records; the comparison with the court's corpus is shown beside it
    body = {**outcome.result, "practice": None if practice is None else practice.to_dict()}
    emit(args, "proposal review", body, lambda: render_review(review, flip, language_of(args), practice),
         kind=case.kind, outcome=outcome)  # fmt: skip
    return 0


def _practice(args: argparse.Namespace, case: Any, proposal: Any) -> Any:
    """The proposal among the similar decided cases of a court's corpus (``--index`` or ``--judgments``), if named."""
    if not (args.index or args.judgments):
        return None
    if args.index and args.judgments:
        raise InputError("--index and --judgments", Rule.CONTRADICTION, "give one corpus, not both")
    from cli.commands.practice import corpus_from_judgments
    from explain_tiers.proposal_review import proposal_in_practice
    from sentencing.guideline import derive_sentence
    from sentencing.jurisdiction import load_jurisdiction
    from sentencing.practice import compare_with_practice, load_index

    index = load_index(args.index) if args.index else corpus_from_judgments(args)
    at_stage = load_jurisdiction(case.jurisdiction).for_plea_stage(proposal.plea_stage)
    guideline = derive_sentence(case, at_stage).recommended_months  # the guideline at the plea's stage
    comparison = compare_with_practice(index, case, k=args.k, guideline_months=guideline)
    return proposal_in_practice(proposal, comparison)


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
    r.add_argument("--index", metavar="INDEX.npz", help="a court's corpus indexed by similar-index: the proposal "
                   "beside what similar decided cases received")  # fmt: skip
    corpus_options(r)
    r.add_argument("-k", type=count(1, 1000), default=20, help="how many similar cases (default 20)")
    Options.common(r)
    r.set_defaults(run=_cmd_review)
