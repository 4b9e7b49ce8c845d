"""The command line's part for each kind of case: how counsel's options become an operation's parameters, which
model answers when none is named, and how each answer is shown. Attached to each kind like every upper part.
"""

from __future__ import annotations

import argparse
from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Any

from cli.views.risk import render_risk_answer
from cli.views.sentencing import render_examination, render_search, render_sensitivity, render_what_if
from sentencing.case import Case
from sentencing.errors import InputError, InputFileError, ModelLoadError, Rule
from sentencing.excerpts import excerpt
from sentencing.i18n import Language
from sentencing.kinds import HeardCase, KindRegistry
from sentencing.models import SentencingModel
from sentencing.operations import OperationOutcome
from sentencing.risk import RISK_CASE_KIND, RiskCase, load_instrument
from sentencing.untrusted import parse_json

__all__ = [
    "KindCommands",
    "RiskCommands",
    "SentencingCommands",
    "commands_for",
    "register_command_parts",
    "split_assignment",
]


def split_assignment(text: str, option: str) -> tuple[str, str]:
    factor, sep, value = text.partition("=")
    if not sep or not factor.strip():
        raise InputError(f"{option} {excerpt(text)}", Rule.WRONG_TYPE, "expected FACTOR=VALUE")
    return factor.strip(), value.strip()


class KindCommands(ABC):
    """What the commands need to know about one kind of case."""

    @abstractmethod
    def default_model(self, case: Any) -> str | None:
        """The model that answers when the user names none (None: the bundled reference model)."""

    @abstractmethod
    def changes(self, case: Any, assignments: list[str]) -> dict[str, Any]:
        """``--set FACTOR=VALUE`` items as typed changes."""

    @abstractmethod
    def versions(self, case: Any, factor: str, texts: list[str]) -> list[Any]:
        """``--dispute FACTOR=V1,V2`` values, typed."""

    @abstractmethod
    def search_parameters(self, args: argparse.Namespace, model: Callable[[], SentencingModel]) -> dict[str, Any]:
        """The search operation's parameters from the options that apply to this kind (others are refused);
        ``model`` loads the model, asked only when an option needs it (a band its card declares)."""

    @abstractmethod
    def sensitivity_parameters(self, args: argparse.Namespace) -> dict[str, Any]: ...

    @abstractmethod
    def render(self, question: str, outcome: OperationOutcome, case: Any, language: Language) -> str:
        """An answer on the terminal (``question``: examine, whatif, disputed, search, sensitivity)."""


class SentencingCommands(KindCommands):
    def default_model(self, case: Case) -> str | None:
        return None

    def changes(self, case: Case, assignments: list[str]) -> dict[str, Any]:
        from counterfactuals.edits import parse_assignments

        return dict(parse_assignments(assignments))

    def versions(self, case: Case, factor: str, texts: list[str]) -> list[Any]:
        from counterfactuals.edits import parse_value

        return [parse_value(factor, text) for text in texts]

    def search_parameters(self, args: argparse.Namespace, model: Callable[[], SentencingModel]) -> dict[str, Any]:
        from counterfactuals.search import Target

        if args.target is not None:
            raise InputError(
                '--target', Rule.NOT_ALLOWED_VALUE,
                "a sentencing case's search takes --below, --range or --band, not a risk class",
            )  # fmt: skip
        if args.below is not None:
            target = Target.below(args.below)
        elif args.range is not None:
            target = Target.within(*args.range)
        elif args.band is not None:
            target = Target.band(model(), args.band)
        else:
            raise InputError(
                'counterfactual', Rule.MISSING_REQUIRED,
                'give --below MONTHS, --range LOW HIGH or --band NAME',
            )  # fmt: skip
        return {"target": target.to_dict(), "answers": args.answers, "max_changes": args.max_changes or 3,
                "method": args.method}  # fmt: skip

    def sensitivity_parameters(self, args: argparse.Namespace) -> dict[str, Any]:
        share = getattr(args, "threshold_share", None)
        return {"threshold_months": args.threshold, **({"threshold_share": share} if share is not None else {})}

    def render(self, question: str, outcome: OperationOutcome, case: Case, language: Language) -> str:
        answer = outcome.answer
        if question == "examine":
            return render_examination(answer, language)
        if question in ("whatif", "disputed"):
            return render_what_if(answer, language)
        if question == "search":
            return render_search(answer, language)
        return render_sensitivity(answer, language)


class RiskCommands(KindCommands):
    def default_model(self, case: RiskCase) -> str | None:
        from cli.framework import settings

        folder = settings().surrogate_dir(case.instrument)
        if not folder.is_dir():
            raise ModelLoadError(str(folder), "no such surrogate; fit one with `voirdire risk surrogate`, or name a "
                                 "model of the instrument with --model")  # fmt: skip
        return str(folder)

    def changes(self, case: RiskCase, assignments: list[str]) -> dict[str, Any]:
        return {factor: _json_value(value) for factor, value in (split_assignment(a, "--set") for a in assignments)}

    def versions(self, case: RiskCase, factor: str, texts: list[str]) -> list[Any]:
        return [_json_value(text) for text in texts]

    def search_parameters(self, args: argparse.Namespace, model: Callable[[], SentencingModel]) -> dict[str, Any]:
        for option, value in (("--below", args.below), ("--range", args.range), ("--band", args.band)):
            if value is not None:
                raise InputError(
                    f'{option}', Rule.NOT_ALLOWED_VALUE,
                    "a risk case's search reaches a class: give --target CLASS",
                )  # fmt: skip
        if args.method != "exact":
            raise InputError(f"--method {args.method}", Rule.NOT_ALLOWED_VALUE, "a risk case is searched exactly")
        return {"target_class": args.target or "Low", "max_changes": args.max_changes or 2, "answers": args.answers}

    def sensitivity_parameters(self, args: argparse.Namespace) -> dict[str, Any]:
        if getattr(args, "threshold_share", None) is not None:
            detail = "a sentencing option; a risk case's threshold is in score points (--threshold)"
            raise InputError("--threshold-share", Rule.NOT_ALLOWED_VALUE, detail)
        return {"threshold": args.threshold}

    def render(self, question: str, outcome: OperationOutcome, case: RiskCase, language: Language) -> str:
        return render_risk_answer(outcome.result, load_instrument(case.instrument), language)


def _json_value(text: str) -> Any:
    """A value as JSON when it is JSON (numbers, true/false), else the text itself (a category)."""
    try:
        return parse_json(text, "a value")
    except InputFileError:
        return text


def register_command_parts(kinds: KindRegistry) -> None:
    kinds.attach(Case.kind, KindCommands, SentencingCommands())
    kinds.attach(RISK_CASE_KIND, KindCommands, RiskCommands())


def commands_for(kinds: KindRegistry, case: HeardCase) -> KindCommands:
    return kinds.part(case.kind, KindCommands)
