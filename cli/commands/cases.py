"""The bundled cases, the guideline's derivation, the demo, and many cases at once."""

from __future__ import annotations

import argparse
import json
from importlib import resources
from typing import Any

from cli.commands.questions import ask, model_for
from cli.framework import Options, emit, language_of
from cli.views.sentencing import render_combined, render_derivation
from sentencing.case import Case, load_case_file, parse_case, read_json_object
from sentencing.catalogue import load_catalogue
from sentencing.combined import Counts, combine_sentences, is_counts_document, load_counts_file, parse_counts
from sentencing.errors import InputError, Rule
from sentencing.excerpts import excerpt
from sentencing.guideline import derive_sentence
from sentencing.jurisdiction import load_jurisdiction

__all__ = ["DEMO_CASE", "bundled_case", "bundled_counts", "register"]

DEMO_CASE = "theft-non-local-unemployed"


def bundled_case(name: str) -> Case:
    text = resources.files("sentencing").joinpath(f"data/cases/{name}.json").read_text(encoding="utf-8")
    return parse_case(json.loads(text), source=f"bundled case {name}")


def _bundled_names(folder: str = "data/cases") -> list[str]:
    """The bundled examples in ``folder``: cases, or (``data/counts``) several crimes of one defendant (数罪并罚)."""
    found = resources.files("sentencing").joinpath(folder)
    return sorted(p.name[:-5] for p in found.iterdir() if p.name.endswith(".json"))


def bundled_counts(name: str) -> Counts:
    text = resources.files("sentencing").joinpath(f"data/counts/{name}.json").read_text(encoding="utf-8")
    return parse_counts(json.loads(text), source=f"bundled counts {name}")


def _cmd_demo(args: argparse.Namespace) -> int:
    case = bundled_case(DEMO_CASE)
    return ask(args, "demo", "examine", case, model_for(args, case, build_if_missing=True), {}, "examine")


def _cmd_guideline(args: argparse.Namespace) -> int:
    jurisdiction = load_jurisdiction(path=args.jurisdiction_file) if args.jurisdiction_file else None
    if is_counts_document(read_json_object(args.case)):  # several crimes of one defendant: 数罪并罚
        combined = combine_sentences(load_counts_file(args.case, jurisdiction=jurisdiction), jurisdiction)
        emit(args, "guideline", combined.to_dict(), lambda: "\n".join(render_combined(combined, language_of(args))),
             kind=Case.kind)  # fmt: skip
        return 0
    case = load_case_file(args.case, jurisdiction=jurisdiction)
    derivation = derive_sentence(case, jurisdiction)
    emit(args, "guideline", derivation.to_dict(), lambda: "\n".join(render_derivation(derivation, language_of(args))),
         kind=case.kind)  # fmt: skip
    return 0


def _cmd_cases(args: argparse.Namespace) -> int:
    language = language_of(args)
    folder = resources.files("sentencing").joinpath("data/cases")
    if args.show:
        if args.show in _bundled_names("data/counts"):
            folder = resources.files("sentencing").joinpath("data/counts")
        elif args.show not in _bundled_names():
            raise InputError(
                f'case {excerpt(args.show, 80)}', Rule.NOT_ALLOWED_VALUE,
                'no bundled case of that name; see `voirdire cases`',
            )  # fmt: skip
        print(folder.joinpath(f"{args.show}.json").read_text(encoding="utf-8"), end="")
        return 0
    for name in _bundled_names():
        case = bundled_case(name)
        description = case.description.text(language) if case.description else ""
        print(f"{name}\n    {description}")
    several = "数罪并罚" if language == "zh-CN" else "several crimes (数罪并罚)"
    for name in _bundled_names("data/counts"):
        counts = bundled_counts(name)
        charges = " + ".join(load_catalogue().charge(c.charge).label.text(language) for c in counts.counts)
        print(f"{name}\n    {several}: {charges}")
    return 0


def _cmd_batch_predict(args: argparse.Namespace) -> int:
    from sentencing.models import predict_cases

    cases = [load_case_file(path) for path in args.cases]
    predictions = predict_cases(model_for(args, *cases), cases)
    rows = [{"case_id": c.case_id, "recommended_months": float(v)} for c, v in zip(cases, predictions, strict=True)]
    emit(args, "batch-predict", rows,
         lambda: "\n".join(f"{r['case_id']}\t{r['recommended_months']:.2f}" for r in rows), kind=Case.kind)  # fmt: skip
    return 0


def register(sub: Any) -> None:
    p = sub.add_parser("demo", help="show the bundled example case: the recommendation beside the guideline")
    Options.common(p)
    p.set_defaults(run=_cmd_demo)

    p = sub.add_parser(
        "guideline",
        help="the guideline's step-by-step derivation for a case, or for several "
        "crimes of one defendant with the term executed under art. 69 (no model involved)",
    )
    p.add_argument("case", metavar="CASE.json", help="the case file")
    p.add_argument("--jurisdiction-file", metavar="PATH", help="a court's own jurisdiction table (JSON)")
    Options.common(p, model=False)
    p.set_defaults(run=_cmd_guideline)

    p = sub.add_parser("cases", help="list the bundled example cases, or print one (--show NAME) to copy")
    p.add_argument("--show", metavar="NAME", help="print this bundled case file")
    Options.common(p, model=False, json_flag=False)
    p.set_defaults(run=_cmd_cases)

    p = sub.add_parser("batch-predict", help="the model's recommendation for several case files, one line each")
    p.add_argument("cases", metavar="CASE.json", nargs="+")
    Options.common(p)
    p.set_defaults(run=_cmd_batch_predict)
