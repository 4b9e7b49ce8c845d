"""``voirdire read``: a Chinese judgment, indictment or sentencing proposal in, a draft case out, every fact with
its source; with a party's confirmation file, the case (carrying its extraction record) written for a hearing."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from cli.framework import Options, emit, language_of
from sentencing.errors import InputError, Rule
from sentencing.i18n import Language

__all__ = ["confirm_interactively", "register"]

_ASK = {
    "fact": (
        "{label}：读取为 {value}（原文：{quote}）。回车确认，n 删除，或输入正确的值：",
        "{label}: read as {value} (from: {quote}). Enter to confirm, n to remove, or type the right value: ",
    ),
    "contradiction": (
        "{label}：文书表述相互矛盾（{values}）。请输入正确的值，或 n 不认定：",
        "{label}: the text contradicts itself ({values}). Type the right value, or n for none: ",
    ),
    "missing": (
        "{label}：文书未载明，且为必需事实。请输入其值：",
        "{label}: not stated in the text, and required. Type its value: ",
    ),
}


def confirm_interactively(draft: Any, ask: Any, by: str, language: Language) -> Any:
    """A party's answers to a draft, asked fact by fact (``ask`` shows a prompt and returns the line typed): each fact
    read is confirmed, removed or corrected; each contradiction settled; each missing required fact supplied."""
    from counterfactuals.edits import parse_value
    from sentencing.catalogue import load_catalogue
    from sentencing.excerpts import one_line
    from sentencing.reading import Confirmation

    catalogue = load_catalogue()
    zh = language == "zh-CN"

    def label(factor: str) -> str:
        spec = catalogue.factor(factor)
        return spec.label.zh if zh else spec.label.both()

    def prompt(kind: str, **fields: str) -> str:
        return _ASK[kind][0 if zh else 1].format(**fields)

    confirm: list[str] = []
    changes: dict[str, Any] = {}
    remove: list[str] = []
    for fact in draft.facts:
        spec = catalogue.factor(fact.factor)
        quote = one_line(fact.sources[0].quote, 40) if fact.sources else ""
        answer = ask(prompt("fact", label=label(fact.factor), value=spec.value_label(fact.value, language),
                            quote=quote)).strip()  # fmt: skip
        if not answer or answer.lower() in ("y", "yes", "是"):
            confirm.append(fact.factor)
        elif answer.lower() in ("n", "no", "否"):
            remove.append(fact.factor)
        else:
            changes[fact.factor] = parse_value(fact.factor, answer)
    for contradiction in draft.contradictions:
        values = " / ".join(catalogue.factor(contradiction.factor).value_label(v, language)
                            for v in contradiction.values)  # fmt: skip
        answer = ask(prompt("contradiction", label=label(contradiction.factor), values=values)).strip()
        if answer.lower() in ("", "n", "no", "否"):
            remove.append(contradiction.factor)
        else:
            changes[contradiction.factor] = parse_value(contradiction.factor, answer)
    for missing in draft.missing:
        if missing.required:
            changes[missing.factor] = parse_value(missing.factor, ask(prompt("missing", label=label(missing.factor))))
    return Confirmation(by=by, confirm=tuple(confirm), set=tuple(changes.items()), remove=tuple(remove))


def _text(args: argparse.Namespace) -> tuple[str, str]:
    from sentencing.reading import MAX_TEXT_CHARS, decode_text, read_text_file

    if args.file is not None and args.text is not None:
        raise InputError("--text", Rule.BAD_PARAMETER, "give a file or --text, not both")
    if args.text == "-":
        data = sys.stdin.buffer.read(4 * MAX_TEXT_CHARS + 1)
        return decode_text(data, "standard input"), "standard input"
    if args.text is not None:
        return args.text, "--text"
    if args.file is None:
        raise InputError("FILE", Rule.MISSING_REQUIRED, "give the text's file, or --text TEXT (--text - reads "
                         "standard input), or --rules")  # fmt: skip
    return read_text_file(args.file), args.file


def _cmd_read(args: argparse.Namespace) -> int:
    from cli.views.reading import render_draft, render_rules
    from sentencing.case import parse_case
    from sentencing.files import write_atomically
    from sentencing.reading import parse_confirmation, read_text, rule_descriptions
    from sentencing.untrusted import read_json_file

    language = language_of(args)
    if args.rules:
        rules = {rule: label.to_mapping() for rule, label in rule_descriptions().items()}
        emit(args, "read", {"rules": rules}, lambda: render_rules(rule_descriptions(), language))
        return 0
    text, source = _text(args)
    draft = read_text(text, charge=args.charge)
    written = None
    if args.confirmation is not None and args.confirm:
        raise InputError("--confirm", Rule.CONTRADICTION, "give --confirmation FILE or --confirm, not both")
    if args.confirmation is not None or args.confirm:
        if args.out is None:
            raise InputError("--out", Rule.MISSING_REQUIRED, "where to write the confirmed case (--out CASE.json)")
        if args.confirm:
            if not sys.stdin.isatty() or args.text == "-":
                raise InputError("--confirm", Rule.BAD_PARAMETER, "asks fact by fact on a terminal; in a script give "
                                 "--confirmation FILE")  # fmt: skip
            from sentencing.reading import check_party_name

            confirmation = confirm_interactively(draft, input, check_party_name(args.by, "--by"), language)
            where = "--confirm"
        else:
            confirmation = parse_confirmation(read_json_file(args.confirmation), args.confirmation)
            where = args.confirmation
        document = draft.case_document(confirmation)
        case = parse_case(document, source=where)  # every rule of a case file, before anything is written
        canonical = case.to_document()
        write_atomically(Path(args.out), (json.dumps(canonical, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
        written = args.out
    elif args.out is not None:
        raise InputError("--out", Rule.BAD_PARAMETER, "a case is written only from a confirmed draft: give "
                         "--confirmation FILE or --confirm (the party's confirmations and corrections)")  # fmt: skip
    body: dict[str, Any] = {"source": source, "draft": draft.to_dict(), "case_written": written}
    emit(args, "read", body, lambda: render_draft(draft, source, written, language), kind="sentencing")
    return 0


def register(sub: Any) -> None:
    from sentencing.catalogue import load_catalogue

    p = sub.add_parser("read", help="read a Chinese judgment, indictment or sentencing proposal into a draft case: "
                       "every fact with its offsets, quote and rule; missing facts and contradictions listed; with "
                       "--confirmation, write the confirmed case")  # fmt: skip
    p.add_argument("file", nargs="?", metavar="FILE.txt", help="the text (UTF-8 or GB18030)")
    p.add_argument("--text", metavar="TEXT", help="the text itself instead of a file; - reads standard input")
    p.add_argument("--charge", choices=list(load_catalogue().charge_ids),
                   help="read as this charge (default: the charge the text names or shows)")  # fmt: skip
    p.add_argument("--confirmation", metavar="FILE.json", help="a party's answer to the draft: {schema_version: "
                   "'1.0', by, confirm: 'all' | [factor], set: {factor: value}, remove: [factor], case_id, "
                   "jurisdiction}")  # fmt: skip
    p.add_argument("--confirm", action="store_true", help="confirm or correct the draft fact by fact on the terminal")
    p.add_argument("--by", metavar="NAME", help="with --confirm: who confirms (recorded in the extraction record)")
    p.add_argument("--out", metavar="CASE.json", help="where to write the confirmed case (with --confirmation or "
                   "--confirm)")  # fmt: skip
    p.add_argument("--rules", action="store_true", help="list every rule the reader applies, in words")
    Options.common(p, model=False)
    p.set_defaults(run=_cmd_read)
