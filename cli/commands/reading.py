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

__all__ = ["register"]


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
    if args.confirmation is not None:
        if args.out is None:
            raise InputError("--out", Rule.MISSING_REQUIRED, "where to write the confirmed case (--out CASE.json)")
        confirmation = parse_confirmation(read_json_file(args.confirmation), args.confirmation)
        document = draft.case_document(confirmation)
        case = parse_case(document, source=args.confirmation)  # every rule of a case file, before anything is written
        canonical = case.to_document()
        write_atomically(Path(args.out), (json.dumps(canonical, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
        written = args.out
    elif args.out is not None:
        raise InputError("--out", Rule.BAD_PARAMETER, "a case is written only from a confirmed draft: give "
                         "--confirmation FILE (the party's confirmations and corrections)")  # fmt: skip
    body: dict[str, Any] = {"source": source, "draft": draft.to_dict(), "case_written": written}
    emit(args, "read", body, lambda: render_draft(draft, source, written, language), kind="sentencing")
    return 0


def register(sub: Any) -> None:
    p = sub.add_parser("read", help="read a Chinese judgment, indictment or sentencing proposal into a draft case: "
                       "every fact with its offsets, quote and rule; missing facts and contradictions listed; with "
                       "--confirmation, write the confirmed case")  # fmt: skip
    p.add_argument("file", nargs="?", metavar="FILE.txt", help="the text (UTF-8 or GB18030)")
    p.add_argument("--text", metavar="TEXT", help="the text itself instead of a file; - reads standard input")
    p.add_argument("--charge", choices=["theft", "fraud", "intentional_injury", "dangerous_driving"],
                   help="read as this charge (default: the charge the text names or shows)")  # fmt: skip
    p.add_argument("--confirmation", metavar="FILE.json", help="a party's answer to the draft: {schema_version: "
                   "'1.0', by, confirm: 'all' | [factor], set: {factor: value}, remove: [factor], case_id, "
                   "jurisdiction}")  # fmt: skip
    p.add_argument("--out", metavar="CASE.json", help="where to write the confirmed case (with --confirmation)")
    p.add_argument("--rules", action="store_true", help="list every rule the reader applies, in words")
    Options.common(p, model=False)
    p.set_defaults(run=_cmd_read)
