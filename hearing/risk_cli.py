"""``voirdire risk ...``: challenge a risk score (COMPAS) through a surrogate of the secret tool.

``risk surrogate`` fits the transparent surrogate to the tool's recorded scores (ProPublica's
filtered data) and writes its folder ``<data home>/risk/<instrument>-surrogate/`` (``surrogate.json``
and the recorded data it was fitted to: a model a clerk can register for a hearing); ``risk case``
writes one person of the data as a case file; ``risk whatif`` / ``search`` / ``sensitivity`` ask
the surrogate counsel's questions (the same replayable operations a hearing records); ``risk
report`` writes the challenge report (JSON, HTML, PDF/A-3b).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hearing.arguments import count, positive_number
from sentencing.errors import InputError
from sentencing.excerpts import excerpt
from sentencing.i18n import choose_language

if TYPE_CHECKING:  # the commands import their modules when run, to keep `voirdire --help` fast
    import pandas as pd

    from sentencing.compas import FilterStep
    from sentencing.models.points_table import PointsTableModel
    from sentencing.risk import RiskCase, RiskInstrument

__all__ = ["add_risk_commands", "surrogate_path"]


def surrogate_path(instrument_id: str) -> Path:
    from sentencing.paths import data_home

    return data_home() / "risk" / f"{instrument_id}-surrogate"


def _records(data: str | None) -> tuple[pd.DataFrame, tuple[FilterStep, ...], str, str]:
    """ProPublica's filtered rows of the COMPAS data (given, or the cached one), its steps, path and sha256."""
    from sentencing.canonical import sha256_file
    from sentencing.compas import load_compas, obtain_compas, propublica_filter

    path = Path(data) if data else obtain_compas().path
    frame, steps = propublica_filter(load_compas(path))
    return frame, steps, str(path), sha256_file(str(path))


def _cmd_surrogate(args: argparse.Namespace) -> int:
    from explain_tiers.points_table_fit import fit_points_table, write_points_table
    from hearing.risk_views import render_fidelity
    from sentencing.risk import load_instrument

    instrument = load_instrument()
    frame, steps, data, digest = _records(args.data)
    note = "ProPublica's filter: " + "; ".join(s.condition for s in steps)
    fit = fit_points_table(frame, instrument, data_sha256=digest, filter_note=note)
    path = write_points_table(fit.surrogate, Path(args.out) if args.out else surrogate_path(instrument.id), Path(data))
    if args.json:
        print(json.dumps({"path": str(path), "sha256": fit.surrogate.identity.sha256, **fit.surrogate.card},
                         ensure_ascii=False, indent=2))  # fmt: skip
    else:
        print(render_fidelity(fit.surrogate.card, str(path), choose_language(args.lang)))
    return 0


def _cmd_case(args: argparse.Namespace) -> int:
    from sentencing.files import write_atomically
    from sentencing.records import risk_case_from_record
    from sentencing.risk import load_instrument

    frame, _, path, _ = _records(args.data)
    instrument = load_instrument()
    rows = frame[frame[instrument.records.person_id] == args.id]
    if rows.empty:
        raise InputError(f"id {args.id}: no such person in {path} after ProPublica's filter [unknown_field]")
    case = risk_case_from_record(rows.iloc[0].to_dict(), instrument, case_id=f"compas-{args.id}")
    text = json.dumps(case.to_document(), ensure_ascii=False, indent=2) + "\n"
    if args.out:
        write_atomically(Path(args.out), text.encode("utf-8"))
        print(args.out)
    else:
        print(text, end="")
    return 0


def _model_and_case(args: argparse.Namespace) -> tuple[RiskCase, RiskInstrument, PointsTableModel]:
    from sentencing.models.points_table import load_points_table
    from sentencing.risk import load_instrument, load_risk_case_file

    case = load_risk_case_file(args.case)
    instrument = load_instrument(case.instrument)
    model = load_points_table(args.surrogate or surrogate_path(instrument.id), instrument)
    return case, instrument, model


def _parse_value(text: str) -> Any:
    from sentencing.errors import InputFileError
    from sentencing.untrusted import parse_json

    try:
        return parse_json(text, "a value")
    except InputFileError:
        return text


def _parse_assignment(text: str, option: str) -> tuple[str, str]:
    factor, sep, value = text.partition("=")
    if not sep or not factor:
        raise InputError(f"{option} {excerpt(text)}: expected FACTOR=VALUE [wrong_type]")
    return factor.strip(), value.strip()


def _answer(args: argparse.Namespace, operation: str, parameters: dict[str, Any]) -> int:
    from evidence_pack.registry import full_registry
    from hearing.risk_views import render_risk_answer
    from sentencing.operations import OperationContext

    case, instrument, model = _model_and_case(args)
    outcome = full_registry().run(operation, case, parameters, OperationContext(model))
    if args.json:
        print(json.dumps(outcome.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(render_risk_answer(outcome.result, instrument, choose_language(args.lang)))
    return 0


def _cmd_whatif(args: argparse.Namespace) -> int:
    if args.vary:
        factor, values = _parse_assignment(args.vary, "--vary")
        if args.set:
            raise InputError("--vary and --set: give one or the other [contradiction]")
        return _curve(args, factor, [_parse_value(v) for v in values.split(",") if v.strip()])
    if not args.set:
        raise InputError(
            "whatif: give --set FACTOR=VALUE (one or more) or --vary FACTOR=V1,V2,... [missing_required_fact]"
        )
    changes = dict(_parse_assignment(item, "--set") for item in args.set)
    return _answer(args, "risk_whatif", {"changes": {k: _parse_value(v) for k, v in changes.items()}})


def _curve(args: argparse.Namespace, factor: str, values: list[Any]) -> int:
    from counterfactuals.risk_queries import ask_risk_what_if
    from hearing.risk_views import render_risk_answer

    case, instrument, model = _model_and_case(args)
    result = ask_risk_what_if(case, model, [(f"{factor}={v}", {factor: v}) for v in values], instrument).to_dict()
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print(render_risk_answer(result, instrument, choose_language(args.lang)))
    return 0


def _cmd_search(args: argparse.Namespace) -> int:
    parameters = {"target_class": args.target, "max_changes": args.max_changes, "answers": args.answers}
    return _answer(args, "risk_counterfactual", parameters)


def _cmd_sensitivity(args: argparse.Namespace) -> int:
    return _answer(args, "risk_sensitivity", {"threshold": args.threshold})


def _cmd_report(args: argparse.Namespace) -> int:
    from explain_tiers.risk_render import write_risk_report
    from explain_tiers.risk_report import build_risk_report

    formats = tuple(f.strip() for f in args.formats.split(",") if f.strip())
    unknown = set(formats) - {"json", "html", "pdf"}
    if unknown or not formats:  # said before the surrogate, the data and the report are loaded and computed
        raise InputError(f"--formats {args.formats!r}: a comma list of json, html, pdf [not_allowed_value]")
    case, instrument, model = _model_and_case(args)
    frame, steps, _, _ = _records(args.data)
    report = build_risk_report(case, model, frame, steps, instrument=instrument, tier=args.tier)
    for path in write_risk_report(report, Path(args.out), choose_language(args.lang), formats):
        print(path)
    return 0


def add_risk_commands(sub: Any, common: Callable[..., None]) -> None:
    risk = sub.add_parser("risk", help="challenge a risk score (COMPAS) through a surrogate of the secret tool")
    commands = risk.add_subparsers(dest="risk_command", required=True, metavar="RISK_COMMAND")

    def data_option(p: argparse.ArgumentParser) -> None:
        p.add_argument("--data", metavar="CSV", help="the COMPAS CSV (default: the cached one, `voirdire data compas`)")

    def case_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("case", metavar="CASE.json", help="a risk-assessment case file (`voirdire risk case ID`)")
        p.add_argument(
            "--surrogate",
            metavar="PATH",
            help="the surrogate's folder or file (default: the one `risk surrogate` wrote)",
        )
        common(p, model=False)

    p = commands.add_parser("surrogate", help="fit the transparent surrogate to the tool's recorded scores")
    data_option(p)
    p.add_argument(
        "--out", metavar="DIR", help="the surrogate's folder (default: <data home>/risk/<instrument>-surrogate)"
    )
    common(p, model=False)
    p.set_defaults(run=_cmd_surrogate)

    p = commands.add_parser("case", help="write one person of the COMPAS data (by its id) as a case file")
    p.add_argument("id", type=count(0, 2**31 - 1), help="the data's id column")
    p.add_argument("--out", metavar="CASE.json", help="write here instead of printing")
    data_option(p)
    p.set_defaults(run=_cmd_case)

    p = commands.add_parser("whatif", help="the surrogate's score if facts were different")
    p.add_argument("--set", action="append", metavar="FACTOR=VALUE", help="a changed fact (repeat for several)")
    p.add_argument("--vary", metavar="FACTOR=V1,V2,...", help="one fact through several values (a curve)")
    case_options(p)
    p.set_defaults(run=_cmd_whatif)

    p = commands.add_parser("search", help="the fewest changes of disputable facts that reach a class")
    p.add_argument("--target", default="Low", help="the class to reach (default: Low)")
    p.add_argument("--max-changes", type=count(1, 3), default=2, help="facts changed at most (1-3)")
    p.add_argument("--answers", type=count(1, 20), default=3, help="answers to list (1-20)")
    case_options(p)
    p.set_defaults(run=_cmd_search)

    p = commands.add_parser("sensitivity", help="each legally irrelevant input (race, sex) changed alone")
    p.add_argument(
        "--threshold", type=positive_number(1000), default=0.5, help="score points a change must move to be flagged"
    )
    case_options(p)
    p.set_defaults(run=_cmd_sensitivity)

    p = commands.add_parser("report", help="the risk score challenge report: JSON, HTML and PDF/A-3b")
    p.add_argument("--out", required=True, metavar="DIR", help="folder for risk-report.json / .<lang>.html / .pdf")
    p.add_argument("--formats", default="json,html,pdf", help="comma list of json, html, pdf")
    p.add_argument(
        "--tier",
        choices=["standard", "deep"],
        default="deep",
        help="standard (routine cases) or deep (disputed: what-if, fewest changes, findings); default deep",
    )
    data_option(p)
    case_options(p)
    p.set_defaults(run=_cmd_report)
