"""Practice as a yardstick: ``similar`` (the decided cases most like this one, and where the model and the guideline
fall among what they received) and ``similar-index`` (index a court's corpus once)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from cli.arguments import count
from cli.framework import Options, emit, language_of
from sentencing.errors import InputError, Rule

__all__ = ["corpus_from_judgments", "corpus_options", "register"]


def corpus_from_judgments(args: argparse.Namespace) -> Any:
    """The practice index of the court's decided cases named by ``--judgments`` (``--facts``, ``--read``)."""
    from sentencing.evaluation import JudgmentFile
    from sentencing.practice import index_from_judgments

    source = JudgmentFile(Path(args.judgments), None, Path(args.facts) if args.facts else None, None,
                          read_texts=bool(args.read), keep_texts=True)  # fmt: skip
    records = list(source)
    if not records:
        raise InputError(args.judgments, Rule.MISSING_REQUIRED, "no judgments with facts to index")
    return index_from_judgments(records, source=args.judgments, sha256=source.sha256)


def _cmd_similar(args: argparse.Namespace) -> int:
    from cli.commands.questions import model_for
    from cli.views.practice import render_practice
    from explain_tiers.population import population_of, practice_stand_in
    from sentencing.case import load_case_file
    from sentencing.guideline import derive_sentence
    from sentencing.models import predict_cases
    from sentencing.practice import PracticeIndex, compare_with_practice, load_index
    from sentencing.reading import read_text_file

    if args.index and args.judgments:
        raise InputError("--index and --judgments", Rule.CONTRADICTION, "give one corpus, not both")
    case = load_case_file(args.case)  # practice is compared for sentencing cases: a risk case is refused by its fields
    index: PracticeIndex | None = None  # the corpus is read, and refused, before the model is loaded
    if args.index:
        index = load_index(args.index)
    elif args.judgments:
        index = corpus_from_judgments(args)
    model = model_for(args, case)
    if index is None:
        index = practice_stand_in(population_of(model))
        if index is None:
            raise InputError("--index", Rule.MISSING_REQUIRED, "this model has no training judgments to stand in; "
                             "give a court's corpus (--index or --judgments)")  # fmt: skip
    text = read_text_file(args.text_file) if args.text_file else None
    model_months = float(predict_cases(model, [case])[0])
    guideline = derive_sentence(case)
    comparison = compare_with_practice(
        index, case, k=args.k, text=text, model_months=model_months, guideline_months=guideline.recommended_months
    )
    emit(
        args, "similar", comparison.to_dict(), lambda: render_practice(comparison, language_of(args)), kind="sentencing"
    )
    return 0


def _cmd_similar_index(args: argparse.Namespace) -> int:
    from sentencing.files import write_atomically
    from sentencing.practice import save_index

    index = corpus_from_judgments(args)
    write_atomically(Path(args.out), save_index(index, Path(args.out)))
    body = {**index.describe(), "out": args.out}
    counts = ", ".join(f"{charge} {n}" for charge, n in body["by_charge"].items())
    emit(
        args,
        "similar-index",
        body,
        lambda: f"{index.size} judgments indexed ({counts}) -> {args.out}",
    )
    return 0


def corpus_options(p: argparse.ArgumentParser) -> None:
    """The options that name a court's corpus of decided cases."""
    p.add_argument("--judgments", metavar="FILE", help="a court's decided cases (as evaluate reads them)")
    p.add_argument("--facts", metavar="FILE", help="structured facts keyed by judgment id, for judgments without them")
    p.add_argument("--read", action="store_true", help="read CAIL2018 texts with the reader where no facts are given")


def register(sub: Any) -> None:
    p = sub.add_parser(
        "similar",
        help="the decided cases most similar to this one (on the legally relevant facts), "
        "their real outcomes, and where the model and the guideline fall among them (类案推送)",
    )
    p.add_argument("case", metavar="CASE.json")
    p.add_argument("--index", metavar="INDEX.npz", help="a corpus indexed by similar-index")
    corpus_options(p)
    p.add_argument("-k", type=count(1, 1000), default=20, help="how many similar cases (default 20)")
    p.add_argument("--text-file", metavar="FILE.txt", help="the case's own text, to break ties by text similarity")
    Options.common(p)
    p.set_defaults(run=_cmd_similar)

    p = sub.add_parser("similar-index", help="index a court's corpus of decided cases once, for similar")
    corpus_options(p)
    p.add_argument("--out", required=True, metavar="INDEX.npz")
    Options.common(p, model=False)
    p.set_defaults(run=_cmd_similar_index)
