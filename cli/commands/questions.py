"""Counsel's questions, for a case of either kind, through the registry of replayable operations.

``predict`` (the model's answer beside what the court sets against it), ``whatif``, ``counterfactual``
(alias ``search``) and ``sensitivity``. Each reads a case document of any kind, loads the model that
answers for it (``--model``, else the kind's default) and refuses one that cannot, runs the kind's
operation for the question (the same one a hearing records, so ``--json`` carries the digest a hearing
would), and shows the answer with the kind's view.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from cli.arguments import count, months, positive_number, seed
from cli.framework import Options, command_registry, emit, language_of, settings
from cli.kinds import commands_for
from sentencing.case import read_json_object
from sentencing.errors import InputError, Rule
from sentencing.excerpts import excerpt
from sentencing.kinds import HeardCase
from sentencing.models import SentencingModel

__all__ = ["RUN", "add_question_options", "ask", "load_heard_case", "model_for", "register"]


def load_heard_case(path: str) -> HeardCase:
    """A case file of any kind, validated by its kind's rules; every failure names the file."""
    return command_registry().kinds.parse(read_json_object(path), source=path)


def model_for(args: argparse.Namespace, *cases: HeardCase, build_if_missing: bool = False) -> SentencingModel:
    """The model the user named (else the kind's default); refused by name if it cannot answer for ``cases``."""
    from sentencing.model import MODEL_FILE, ensure_reference_model
    from sentencing.models import check_model_fits_case, load_model

    location = args.model
    if location is None and cases:
        location = commands_for(command_registry().kinds, cases[0]).default_model(cases[0])
    reference = settings().reference_model_dir
    # Only a missing reference model is built here; rebuilding a stale one is set-up's job (scripts/setup).
    if build_if_missing and location is None and not (reference / MODEL_FILE).is_file():
        print(f"voirdire: building the reference model in {reference} (first run, about 20 s)...", file=sys.stderr)
        ensure_reference_model(reference)
    model = load_model(location or reference, expected_sha256=getattr(args, "model_sha256", None))
    for case in cases:
        check_model_fits_case(model, case)
    return model


def ask(args: argparse.Namespace, command: str, question: str, case: HeardCase, model: SentencingModel,
        parameters: dict[str, Any], operation: str, *, seed_value: int = 0) -> int:  # fmt: skip
    """Run ``operation`` for ``case`` through the registry and print its answer (view or envelope)."""
    from sentencing.operations import OperationContext

    registry = command_registry()
    outcome = registry.run(operation, case, parameters, OperationContext(model, seed=seed_value))
    view = commands_for(registry.kinds, case)
    emit(args, command, outcome.result, lambda: view.render(question, outcome, case, language_of(args)),
         kind=case.kind, outcome=outcome)  # fmt: skip
    return 0


def _questions(case: HeardCase) -> Any:
    from counterfactuals.operations import QuestionOperations

    return command_registry().kinds.part(case.kind, QuestionOperations)


def _cmd_predict(args: argparse.Namespace) -> int:
    case = load_heard_case(args.case)
    return ask(args, "predict", "examine", case, model_for(args, case), {}, _questions(case).examine)


def _cmd_whatif(args: argparse.Namespace) -> int:
    case = load_heard_case(args.case)
    commands = commands_for(command_registry().kinds, case)
    if args.set and args.dispute:
        raise InputError("--set and --dispute", Rule.CONTRADICTION, "give one or the other")
    if not args.set and not args.dispute:
        raise InputError(
            'whatif', Rule.MISSING_REQUIRED,
            'give --set FACTOR=VALUE (one or more) or --dispute FACTOR=V1,V2',
        )  # fmt: skip
    questions = _questions(case)
    if args.dispute:  # the arguments are checked before the model is loaded
        factor, sep, versions = args.dispute.partition("=")
        if not sep or "," not in versions or not factor.strip():
            raise InputError(f"--dispute {excerpt(args.dispute)}", Rule.WRONG_TYPE, "expected FACTOR=VERSION1,VERSION2")
        values = commands.versions(case, factor.strip(), versions.split(","))
        if questions.disputed is None:
            return _curve(args, case, factor.strip(), values)
        parameters = {"factor": factor.strip(), "versions": values}
        return ask(args, "whatif", "disputed", case, model_for(args, case), parameters, questions.disputed)
    changes = commands.changes(case, args.set)
    return ask(args, "whatif", "whatif", case, model_for(args, case), {"changes": changes}, questions.whatif)


def _curve(args: argparse.Namespace, case: Any, factor: str, values: list[Any]) -> int:
    """Every version of one fact for a kind without a disputed-fact operation (a risk score's curve): asked in one
    batch, shown as one answer; not an operation of the registry, so the envelope names none."""
    from cli.views.risk import render_risk_answer
    from counterfactuals.risk_queries import ask_risk_what_if
    from sentencing.risk import load_instrument

    instrument = load_instrument(case.instrument)
    result = ask_risk_what_if(case, model_for(args, case), [(f"{factor}={v}", {factor: v}) for v in values],
                              instrument).to_dict()  # fmt: skip
    emit(args, "whatif", result, lambda: render_risk_answer(result, instrument, language_of(args)), kind=case.kind)
    return 0


def _cmd_counterfactual(args: argparse.Namespace) -> int:
    case = load_heard_case(args.case)
    commands = commands_for(command_registry().kinds, case)
    loaded: list[SentencingModel] = []

    def model() -> SentencingModel:
        if not loaded:
            loaded.append(model_for(args, case))
        return loaded[0]

    # The options are checked first; the model is loaded only when they hold (or when a --band needs its card).
    parameters = commands.search_parameters(args, model)
    return ask(args, "counterfactual", "search", case, model(), parameters, _questions(case).search,
               seed_value=args.seed)  # fmt: skip


def _cmd_sensitivity(args: argparse.Namespace) -> int:
    case = load_heard_case(args.case)
    parameters = commands_for(command_registry().kinds, case).sensitivity_parameters(args)
    return ask(args, "sensitivity", "sensitivity", case, model_for(args, case), parameters,
               _questions(case).sensitivity)  # fmt: skip


def _range_end(text: str) -> float:
    """One end of a --range: a finite number of months from 0 to 600."""
    return positive_number(600)(text) if text.strip() not in ("0", "0.0") else 0.0


def add_question_options(name: str, p: argparse.ArgumentParser) -> None:
    """The options of one question (shared by the command and its ``risk`` alias)."""
    p.add_argument("case", metavar="CASE.json", help="a case file of either kind")
    if name == "whatif":
        p.add_argument("--set", action="append", metavar="FACTOR=VALUE", help="a changed fact (repeatable)")
        p.add_argument("--dispute", "--vary", dest="dispute", metavar="FACTOR=V1,V2",
                       help="every version of one disputed fact (a risk case: a curve)")  # fmt: skip
    elif name == "counterfactual":
        p.add_argument("--below", type=months, metavar="MONTHS", help="sentencing: recommendation strictly below")
        p.add_argument("--range", type=_range_end, nargs=2, metavar=("LOW", "HIGH"), help="sentencing: within")
        p.add_argument("--band", metavar="NAME", help="sentencing: a band the model's card declares")
        p.add_argument("--target", metavar="CLASS", help="risk: the class to reach (default Low)")
        p.add_argument("--answers", type=count(1, 20), default=3, help="how many answers (default 3)")
        p.add_argument("--max-changes", type=count(1, 5), default=None,
                       help="most facts changed at once (sentencing 1-5, default 3; risk 1-3, default 2)")  # fmt: skip
        p.add_argument("--method", choices=["exact", "dice-random", "dice-genetic"], default="exact",
                       help="sentencing: exact search (default), or dice-ml")  # fmt: skip
        p.add_argument("--seed", type=seed, default=0, help="seed (used by dice-ml; recorded for replay)")
    elif name == "sensitivity":
        p.add_argument("--threshold", type=positive_number(1000), default=0.5, metavar="AMOUNT",
                       help="what a change must move to be a finding: months (sentencing) or score points (risk); "
                       "default 0.5")  # fmt: skip
        p.add_argument("--threshold-share", type=positive_number(1), default=None, metavar="SHARE",
                       help="sentencing: or this share of the recommended term (default 0.05: a short term's "
                       "effect counts in proportion)")  # fmt: skip
    Options.common(p)


RUN = {"predict": _cmd_predict, "whatif": _cmd_whatif, "counterfactual": _cmd_counterfactual,
       "sensitivity": _cmd_sensitivity}  # fmt: skip


def register(sub: Any) -> None:
    helps = {
        "predict": "the model's answer for a case: a sentencing model's beside the guideline's derivation, a risk "
        "score beside the tool's recorded one",
        "whatif": "what if facts were different: the model's new answer (beside the guideline's, for sentencing)",
        "counterfactual": "the fewest changes of disputable facts that reach a target (a term below a line, or a "
        "risk class), proven fewest on a stated grid",
        "sensitivity": "does a legally irrelevant factor (household registration, sex, ethnicity, race, ...) move "
        "the answer?",
    }
    for name in ("predict", "whatif", "counterfactual", "sensitivity"):
        p = sub.add_parser(name, help=helps[name])
        add_question_options(name, p)
        p.set_defaults(run=RUN[name])
