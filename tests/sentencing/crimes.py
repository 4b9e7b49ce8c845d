"""Helpers the per-crime tests share: a bundled case with other facts, and a judgment read, its rules checked and
confirmed into a case."""

from __future__ import annotations

import copy
from importlib import resources
from typing import Any

from sentencing.case import Case, parse_case
from sentencing.guideline import Derivation, derive_sentence
from sentencing.reading import Confirmation, Draft, read_text, rule_descriptions
from tests.hearing.store_fixtures import bundled_document

__all__ = ["bundled_with", "derive_bundled", "judgment_text", "read_and_confirm"]


def bundled_with(name: str, circumstances: dict[str, Any] | None = None, **facts: Any) -> dict[str, Any]:
    """The bundled case ``name``'s document with these facts and circumstances instead of its own."""
    document = copy.deepcopy(bundled_document(name))
    document["facts"] = facts
    document["circumstances"] = circumstances or {}
    return document


def derive_bundled(name: str, circumstances: dict[str, Any] | None = None, **facts: Any) -> Derivation:
    return derive_sentence(parse_case(bundled_with(name, circumstances, **facts)))


def read_and_confirm(text: str, person: tuple[tuple[str, Any], ...]) -> tuple[Draft, Case]:
    """The draft read from ``text`` (every source naming a rule a witness can look up) and the case a party makes of it,
    confirming every fact and setting ``person``."""
    draft = read_text(text)
    for fact in draft.facts:
        for source in fact.sources:
            assert source.rule in rule_descriptions(), source.rule
    return draft, parse_case(draft.case_document(Confirmation(by="defence", confirm_all=True, set=person)))


def judgment_text(name: str) -> str:
    """A judgment written for the tests (``sentencing/data/texts/NAME-judgment.txt``)."""
    return resources.files("sentencing").joinpath(f"data/texts/{name}-judgment.txt").read_text("utf-8")
