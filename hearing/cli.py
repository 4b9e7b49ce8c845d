"""The one command-line entry point, ``voirdire``. It parses arguments and calls services, nothing more.

Exit codes: 0 success; 1 a pack did not verify, or its replay differed from the record; 2 bad
input (a case file, a field, an argument, a malformed pack or archive); 3 the model could not be
used (missing, unloadable, unreachable, malformed answers, fingerprint mismatch), or replay was
asked of a pack that does not verify; 4 the toolkit's own configuration is inconsistent.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from hearing.arguments import OneLineParser, count, months, port, positive_number, secret, seed, sha256_hex
from hearing.audit_cli import add_audit_commands
from hearing.pack_cli import add_pack_commands
from hearing.risk_cli import add_risk_commands
from hearing.text_views import (
    render_derivation,
    render_error,
    render_examination,
    render_search,
    render_sensitivity,
    render_what_if,
)
from sentencing.case import Case, load_case_file, parse_case
from sentencing.errors import (
    AccessDeniedError,
    AuthenticationError,
    ConfigurationError,
    HearingStateError,
    InputError,
    IntegrityError,
    ModelError,
    StorageError,
    UnverifiedPackError,
    VoirdireError,
)
from sentencing.excerpts import excerpt, one_line
from sentencing.guideline import derive_sentence
from sentencing.i18n import Language, choose_language
from sentencing.jurisdiction import load_jurisdiction
from sentencing.paths import reference_model_dir

if TYPE_CHECKING:
    from hearing.service import HearingService
    from sentencing.models import SentencingModel

# Commands import the model stack (numpy, pandas, scikit-learn) only when they use it, so that
# `voirdire guideline` and `voirdire cases` start in a fraction of a second.

__all__ = ["main"]

DEMO_CASE = "theft-non-local-unemployed"

EXIT_INPUT = 2
EXIT_MODEL = 3
EXIT_CONFIGURATION = 4
EXIT_STORAGE = 5


def _bundled_case(name: str) -> Case:
    text = resources.files("sentencing").joinpath(f"data/cases/{name}.json").read_text(encoding="utf-8")
    return parse_case(json.loads(text), source=f"bundled case {name}")


def _bundled_case_names() -> list[str]:
    folder = resources.files("sentencing").joinpath("data/cases")
    return sorted(p.name[:-5] for p in folder.iterdir() if p.name.endswith(".json"))


def _range_end(text: str) -> float:
    """One end of a --range: a finite number of months from 0 to 600."""
    value = positive_number(600)(text) if text.strip() not in ("0", "0.0") else 0.0
    return value


def _language(args: argparse.Namespace) -> Language:
    return choose_language(getattr(args, "lang", None))


def _model(args: argparse.Namespace, *cases: Case, build_if_missing: bool = False) -> SentencingModel:
    """The model the user named; refused by name if it cannot answer for ``cases`` (a risk tool's surrogate)."""
    from sentencing.model import MODEL_FILE, ensure_reference_model
    from sentencing.models import check_model_fits_case, load_model

    # Only a missing model is built here; rebuilding a stale one is set-up's job (scripts/setup).
    if build_if_missing and args.model is None and not (reference_model_dir() / MODEL_FILE).is_file():
        print(
            f"voirdire: building the reference model in {reference_model_dir()} (first run, about 20 s)...",
            file=sys.stderr,
        )
        ensure_reference_model()
    model = load_model(args.model, expected_sha256=getattr(args, "model_sha256", None))
    for case in cases:
        check_model_fits_case(model, case)
    return model


def _cmd_demo(args: argparse.Namespace) -> int:
    from sentencing.examination import examine_case

    case = _bundled_case(DEMO_CASE)
    examination = examine_case(case, _model(args, case, build_if_missing=True))
    if args.json:
        print(json.dumps(examination.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(render_examination(examination, _language(args)))
    return 0


def _cmd_predict(args: argparse.Namespace) -> int:
    from sentencing.examination import examine_case

    case = load_case_file(args.case)
    examination = examine_case(case, _model(args, case), load_jurisdiction(case.jurisdiction))
    if args.json:
        print(json.dumps(examination.to_dict(), ensure_ascii=False, indent=2))
    else:
        print(render_examination(examination, _language(args)))
    return 0


def _cmd_guideline(args: argparse.Namespace) -> int:
    jurisdiction = load_jurisdiction(path=args.jurisdiction_file) if args.jurisdiction_file else None
    case = load_case_file(args.case, jurisdiction=jurisdiction)
    derivation = derive_sentence(case, jurisdiction)
    if args.json:
        print(json.dumps(derivation.to_dict(), ensure_ascii=False, indent=2))
    else:
        print("\n".join(render_derivation(derivation, _language(args))))
    return 0


def _cmd_cases(args: argparse.Namespace) -> int:
    language = _language(args)
    folder = resources.files("sentencing").joinpath("data/cases")
    if args.show:
        if args.show not in _bundled_case_names():
            raise InputError(f"case {args.show!r}: no bundled case of that name; see `voirdire cases`")
        print(folder.joinpath(f"{args.show}.json").read_text(encoding="utf-8"), end="")
        return 0
    for name in _bundled_case_names():
        case = _bundled_case(name)
        description = case.description.text(language) if case.description else ""
        print(f"{name}\n    {description}")
    return 0


def _cmd_build_model(args: argparse.Namespace) -> int:
    from sentencing.judgments import GeneratorSpec
    from sentencing.model import build_reference_model, is_model_current

    defaults = GeneratorSpec()
    args.rows = defaults.rows if args.rows is None else args.rows
    args.seed = defaults.seed if args.seed is None else args.seed
    if args.rows < 200:
        raise InputError(f"--rows {args.rows}: at least 200 judgments are needed to train and hold out [out_of_range]")
    generator = GeneratorSpec(rows=args.rows, seed=args.seed, bias=() if args.bias_free else defaults.bias)
    out = Path(args.out) if args.out else reference_model_dir()
    if args.if_stale and is_model_current(out, generator):
        print(f"model: {out / 'model.joblib'} is current (built from today's code and data)")
        return 0
    built = build_reference_model(out, generator)
    overall = built.card["held_out_error"]["overall"]
    print(f"model: {built.model_path}")
    print(f"sha256: {built.sha256}")
    print(
        f"held-out: MAE {overall['mae_months']:.2f} months, CAIL2018 prison-term score "
        f"{overall['cail2018_score']:.3f} on {overall['n']} judgments"
    )
    return 0


def _cmd_serve_model(args: argparse.Namespace) -> int:
    from sentencing.vendor_server import serve_model

    model = _model(args)

    def announce(url: str) -> None:
        print(f"serving {model.identity.name} (sha256 {model.identity.sha256}) on {url}/v1/", flush=True)

    try:
        serve_model(model, args.host, args.port, background=False, on_ready=announce)
    except KeyboardInterrupt:
        return 0
    return 0


def _cmd_batch_predict(args: argparse.Namespace) -> int:
    from sentencing.models import predict_cases

    cases = [load_case_file(path) for path in args.cases]
    predictions = predict_cases(_model(args, *cases), cases)
    for case, value in zip(cases, predictions, strict=True):
        print(f"{case.case_id}\t{value:.2f}")
    return 0


def _print(args: argparse.Namespace, body: dict[str, object], text: str) -> None:
    print(json.dumps(body, ensure_ascii=False, indent=2) if args.json else text)


def _cmd_whatif(args: argparse.Namespace) -> int:
    from counterfactuals.edits import parse_assignments, parse_value
    from counterfactuals.whatif import ask_disputed_fact, ask_what_if

    case = load_case_file(args.case)
    if bool(args.set) == bool(args.dispute):
        raise InputError(
            "whatif: give --set FACTOR=VALUE (one or more) or --dispute FACTOR=V1,V2 [missing_required_fact]"
        )
    if args.dispute:  # the arguments are checked before the model is loaded
        factor, sep, versions = args.dispute.partition("=")
        if not sep or "," not in versions:
            raise InputError(f"--dispute {excerpt(args.dispute)}: expected FACTOR=VERSION1,VERSION2 [wrong_type]")
        values = [parse_value(factor.strip(), v) for v in versions.split(",")]
        result = ask_disputed_fact(case, _model(args, case), factor.strip(), values)
    else:
        changes = parse_assignments(args.set)
        result = ask_what_if(case, _model(args, case), changes)
    _print(args, result.to_dict(), render_what_if(result, _language(args)))
    return 0


def _cmd_counterfactual(args: argparse.Namespace) -> int:
    from counterfactuals.search import Target, find_minimal_changes

    case = load_case_file(args.case)
    if args.below is not None:  # a target that needs no model is checked before the model is loaded
        target = Target.below(args.below)
    elif args.range is not None:
        target = Target.within(*args.range)
    model = _model(args, case)
    if args.band is not None:
        target = Target.band(model, args.band)
    if args.method == "exact":
        result = find_minimal_changes(
            case, model, target, answers=args.answers, max_changes=args.max_changes, seed=args.seed
        )
    else:
        from counterfactuals.dice_search import find_with_dice

        result = find_with_dice(
            case, model, target, method=args.method.removeprefix("dice-"), answers=args.answers, seed=args.seed
        )
    _print(args, result.to_dict(), render_search(result, _language(args)))
    return 0


def _cmd_sensitivity(args: argparse.Namespace) -> int:
    from counterfactuals.sensitivity import probe_irrelevant_factors

    case = load_case_file(args.case)
    result = probe_irrelevant_factors(case, _model(args, case), threshold_months=args.threshold)
    _print(args, result.to_dict(), render_sensitivity(result, _language(args)))
    return 0


def _cmd_report(args: argparse.Namespace) -> int:
    import os

    from tqdm import tqdm

    from explain_tiers.render import write_report
    from explain_tiers.report import build_deep_report, build_standard_report

    case = load_case_file(args.case)
    language = _language(args)
    formats = tuple(f.strip() for f in args.format.split(","))
    unknown = set(formats) - {"json", "html", "pdf"}
    if unknown:
        raise InputError(f"--format {args.format!r}: choose from json, html, pdf [not_allowed_value]")
    model = _model(args, case)
    if args.tier == "deep":
        disputed = [d.strip() for d in args.dispute.split(",")] if args.dispute else None
        disable = os.environ.get("TQDM_DISABLE") == "1"
        with tqdm(total=8, desc="deep report", unit="step", file=sys.stderr, disable=disable) as bar:
            started: list[str] = []

            def advance(step: str) -> None:
                # called as each step starts: the bar counts the steps finished
                if started:
                    bar.update(1)
                started.append(step)
                bar.set_postfix_str(step)

            report = build_deep_report(case, model, seed=args.seed, disputed=disputed, progress=advance)
            bar.update(1)
    else:
        report = build_standard_report(case, model, seed=args.seed)
    for path in write_report(report, Path(args.out), language, formats):
        print(path)
    return 0


DEMO_PASSWORD = "voirdire-demo"
RISK_DEMO_PERSON = 22  # ProPublica's data id: the tool recorded 10 (High); the public facts give Medium
DEMO_USERS = (("clerk", "clerk"), ("defence", "defence"), ("prosecution", "prosecution"), ("judge", "judge"),
              ("appeal", "appellate_judge"), ("tech", "technologist"))  # fmt: skip


def _seed_demo() -> None:
    """An empty store gets demo users, the reference model and the bundled case in an open hearing."""
    from sqlmodel import Session, func, select

    from hearing.service import HearingService
    from hearing.store import User, make_engine, migrate
    from sentencing.model import ensure_reference_model

    engine = make_engine()
    migrate(engine)
    with Session(engine) as session:
        if session.exec(select(func.count()).select_from(User)).one():
            print("voirdire: the store already has users; nothing seeded", file=sys.stderr)
            return
    service = HearingService(engine)
    service.create_user(None, "clerk", DEMO_PASSWORD, "clerk")
    clerk = service.login("clerk", DEMO_PASSWORD)
    for name, role in DEMO_USERS[1:]:
        service.create_user(clerk, name, DEMO_PASSWORD, role)
    tech = service.login("tech", DEMO_PASSWORD)
    model_id = service.register_model(tech, str(ensure_reference_model()))
    case = _bundled_case(DEMO_CASE)
    service.create_case(clerk, case.to_document(), {"defendant_name": "张某 (demo)"})
    parties = ["defence", "prosecution", "judge", "appeal"]
    service.open_hearing(clerk, case.case_id, model_id, parties)
    names = ", ".join(name for name, _ in DEMO_USERS)
    print(f"demo users {names}; password {DEMO_PASSWORD!r} (a demo only: change them for real use)")
    _seed_risk_demo(service, clerk, tech, parties)


def _seed_risk_demo(service: HearingService, clerk: str, tech: str, parties: list[str]) -> None:
    """When the COMPAS surrogate has been fitted (`voirdire risk surrogate`): a second hearing, on a risk score."""
    from explain_tiers.risk_report import recorded_scores
    from hearing.risk_cli import surrogate_path
    from sentencing.models import load_model
    from sentencing.records import risk_case_from_record
    from sentencing.risk import load_instrument

    folder = surrogate_path(load_instrument().id)
    if not (folder / "surrogate.json").is_file():
        print("voirdire: no COMPAS surrogate fitted (`voirdire data compas && voirdire risk surrogate`); "
              "only the sentencing hearing was opened", file=sys.stderr)  # fmt: skip
        return
    model_id = service.register_model(tech, str(folder))
    instrument = load_instrument()
    frame, _ = recorded_scores(load_model(str(folder)), instrument)
    row = frame[frame[instrument.records.person_id] == RISK_DEMO_PERSON].iloc[0].to_dict()
    case = risk_case_from_record(row, instrument, case_id=f"compas-{RISK_DEMO_PERSON}")
    service.create_case(clerk, case.to_document())
    service.open_hearing(clerk, case.case_id, model_id, parties)
    print(f"and a hearing on the COMPAS score of {case.case_id} (recorded 10, High), answered by the surrogate")


def _cmd_hearing(args: argparse.Namespace) -> int:
    import subprocess

    if args.seed_demo:
        _seed_demo()
    app = Path(__file__).resolve().parent / "app.py"
    command = [sys.executable, "-m", "streamlit", "run", str(app), "--server.port", str(args.port),
               "--server.address", args.host, "--browser.gatherUsageStats", "false",
               "--client.toolbarMode", "viewer"]  # fmt: skip
    print(f"voirdire: the hearing app on http://{args.host}:{args.port} (store: {_store_url()})", file=sys.stderr)
    return subprocess.call(command)


def _store_url() -> str:
    from hearing.store import database_url

    url = database_url()
    return url.split("@")[-1] if "@" in url else url  # never print a password


def _service() -> HearingService:
    from hearing.service import HearingService
    from hearing.store import make_engine, migrate

    engine = make_engine()
    migrate(engine)
    return HearingService(engine)


def _login(service: HearingService, user: str) -> str:
    from hearing.pack_cli import command_line_source

    password = secret("VOIRDIRE_AS_PASSWORD", f"{user}'s password: ")
    return service.login(user, password, source=command_line_source())


def _cmd_user_add(args: argparse.Namespace) -> int:
    service = _service()
    password = secret(args.password_env, f"password for {excerpt(args.name)}: ")
    token = _login(service, args.as_user) if args.as_user else None
    user_id = service.create_user(token, args.name, password, args.role)
    print(f"user {args.name} ({args.role}) created, id {user_id}")
    return 0


def _cmd_user_unlock(args: argparse.Namespace) -> int:
    service = _service()
    service.unlock_user(_login(service, args.as_user), args.name)
    print(f"{args.name}: failed log-ins reset; the name can log in again")
    return 0


def _cmd_audit_log(args: argparse.Namespace) -> int:
    service = _service()
    entries = service.audit_log(_login(service, args.as_user), limit=args.limit)
    if args.json:
        print(json.dumps([e.__dict__ for e in entries], ensure_ascii=False, indent=2))
        return 0
    for e in entries:
        print(f"{e.time}\t{e.actor}\t{e.action}\t{e.subject}\t{e.detail}")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(
        prog="voirdire",
        description=(
            "Examine an algorithmic sentencing recommendation as expert evidence. Every command reads a case "
            "file (JSON; see `voirdire cases --show NAME` for the format) and prints what a court can check."
        ),
        epilog="Exit codes: 0 done; 1 a pack did not verify or replay differed; 2 bad input; 3 the model could not be "
        "used, or a pack did not verify before replay; 4 inconsistent configuration; 5 the machine could not write.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def common(p: argparse.ArgumentParser, *, model: bool = True, json_flag: bool = True) -> None:
        p.add_argument("--lang", help="language of the output: zh-CN or en (default: $VOIRDIRE_LANG, else en)")
        if json_flag:
            p.add_argument("--json", action="store_true", help="print machine-readable JSON instead of a table")
        if model:
            p.add_argument(
                "--model",
                metavar="PATH_OR_URL",
                help="the model under challenge: a model folder or .joblib file, or a vendor's http(s) endpoint "
                "(default: the bundled reference model)",
            )
            p.add_argument(
                "--model-sha256",
                type=sha256_hex,
                metavar="HEX",
                help="the sha256 you trust for the model file (needed for a .joblib without a model card: a pickle "
                "runs code when loaded)",
            )

    p = sub.add_parser("demo", help="show the bundled example case: the recommendation beside the guideline")
    common(p)
    p.set_defaults(run=_cmd_demo)

    p = sub.add_parser("predict", help="the model's recommendation for a case, beside the guideline's derivation")
    p.add_argument("case", metavar="CASE.json", help="the case file")
    common(p)
    p.set_defaults(run=_cmd_predict)

    p = sub.add_parser("guideline", help="the guideline's step-by-step derivation for a case (no model involved)")
    p.add_argument("case", metavar="CASE.json", help="the case file")
    p.add_argument("--jurisdiction-file", metavar="PATH", help="a court's own jurisdiction table (JSON)")
    common(p, model=False)
    p.set_defaults(run=_cmd_guideline)

    p = sub.add_parser(
        "whatif",
        help="what if facts were different: the model's new recommendation beside the guideline's",
        description="Change one or more facts (--set), or give every version of a disputed fact (--dispute). "
        "Facts the court has fixed cannot be changed; every changed case is checked by the same rules as a case file.",
    )
    p.add_argument("case", metavar="CASE.json")
    p.add_argument("--set", action="append", metavar="FACTOR=VALUE", help="e.g. --set restitution=true (repeatable)")
    p.add_argument("--dispute", metavar="FACTOR=V1,V2", help="e.g. --dispute restitution=true,false")
    common(p)
    p.set_defaults(run=_cmd_whatif)

    p = sub.add_parser(
        "counterfactual",
        help="the smallest change of disputable facts that brings the recommendation below a line",
        description="Exact search (default): every combination of 1, 2, ... changes of disputable facts on a "
        "stated grid, so the answer has provably the fewest changes. --method dice-random or dice-genetic asks "
        "dice-ml instead.",
    )
    p.add_argument("case", metavar="CASE.json")
    target = p.add_mutually_exclusive_group(required=True)
    target.add_argument("--below", type=months, metavar="MONTHS", help="recommendation strictly below this")
    target.add_argument("--range", type=_range_end, nargs=2, metavar=("LOW", "HIGH"), help="recommendation within this")
    target.add_argument("--band", metavar="NAME", help="a risk band the model's card declares")
    p.add_argument("--answers", type=count(1, 20), default=3, help="how many answers (default 3)")
    p.add_argument("--max-changes", type=count(1, 5), default=3, help="most facts changed at once (default 3)")
    p.add_argument("--method", choices=["exact", "dice-random", "dice-genetic"], default="exact")
    p.add_argument("--seed", type=seed, default=0, help="seed (used by dice-ml; recorded for replay)")
    common(p)
    p.set_defaults(run=_cmd_counterfactual)

    p = sub.add_parser(
        "sensitivity",
        help="does a legally irrelevant factor (household registration, sex, ethnicity, ...) move the recommendation?",
    )
    p.add_argument("case", metavar="CASE.json")
    p.add_argument(
        "--threshold", type=positive_number(600), default=0.5, metavar="MONTHS", help="finding threshold (default 0.5)"
    )
    common(p)
    p.set_defaults(run=_cmd_sensitivity)

    p = sub.add_parser(
        "report",
        help="the explanation report: standard for routine cases, deep when the recommendation is disputed",
        description="Writes report.json (language-free, schema-checked), report.LANG.html and report.LANG.pdf "
        "(PDF/A-3b with the JSON attached) into --out.",
    )
    p.add_argument("case", metavar="CASE.json")
    p.add_argument("--tier", choices=["standard", "deep"], default="standard")
    p.add_argument("--out", metavar="DIR", required=True, help="folder for the report files")
    p.add_argument("--format", default="json,html,pdf", help="comma-separated: json, html, pdf (default all)")
    p.add_argument("--dispute", metavar="F1,F2", help="deep tier: the disputed facts (default: those the case asserts)")
    p.add_argument("--seed", type=seed, default=0, help="seed of the explainers (recorded; same seed, same report)")
    common(p, json_flag=False)
    p.set_defaults(run=_cmd_report)

    p = sub.add_parser("hearing", help="start the hearing app (Streamlit) on the court's store")
    p.add_argument("--port", type=port, default=8501)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--seed-demo", action="store_true", help="into an empty store: demo users, the model, one hearing")
    p.set_defaults(run=_cmd_hearing)

    p = sub.add_parser("user-add", help="(clerk) create a user; the very first user of a store, a clerk, needs no --as")
    p.add_argument("name")
    p.add_argument("--role", required=True, choices=[r for _, r in DEMO_USERS])
    p.add_argument("--as", dest="as_user", metavar="USER", help="the clerk creating the user")
    p.add_argument("--password-env", metavar="VAR", help="read the new password from this environment variable")
    p.set_defaults(run=_cmd_user_add)

    p = sub.add_parser("user-unlock", help="(clerk) lift a log-in lock-out after repeated failed log-ins")
    p.add_argument("name")
    p.add_argument("--as", dest="as_user", metavar="CLERK", required=True)
    p.set_defaults(run=_cmd_user_unlock)

    p = sub.add_parser("audit-log", help="(clerk, technologist) the audit log: lock-outs, users created, keys approved")
    p.add_argument("--as", dest="as_user", metavar="USER", required=True)
    p.add_argument("--limit", type=count(1, 10_000), default=200, help="newest entries shown (default 200)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=_cmd_audit_log)

    p = sub.add_parser("cases", help="list the bundled example cases, or print one (--show NAME) to copy")
    p.add_argument("--show", metavar="NAME", help="print this bundled case file")
    common(p, model=False, json_flag=False)
    p.set_defaults(run=_cmd_cases)

    p = sub.add_parser("batch-predict", help="the model's recommendation for several case files, one line each")
    p.add_argument("cases", metavar="CASE.json", nargs="+")
    common(p, json_flag=False)
    p.set_defaults(run=_cmd_batch_predict)

    p = sub.add_parser(
        "build-model", help="(technologist) generate the synthetic judgments and train the reference model"
    )
    p.add_argument("--out", metavar="DIR", help="where to write the model (default: the reference model folder)")
    p.add_argument("--rows", type=count(200, 5_000_000), help="number of synthetic judgments (default 20,000)")
    p.add_argument("--seed", type=seed, help="seed of the judgment generator (default 20210701)")
    p.add_argument("--bias-free", action="store_true", help="inject no historical bias (a control model)")
    p.add_argument(
        "--if-stale", action="store_true", help="build only if the model is missing or was built by older code"
    )
    p.set_defaults(run=_cmd_build_model)

    p = sub.add_parser("serve-model", help="(technologist) serve a model as a vendor-style HTTP JSON endpoint")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=port, default=8765)
    p.add_argument("--model", metavar="PATH", help="model folder or .joblib file (default: the reference model)")
    p.add_argument("--model-sha256", type=sha256_hex, metavar="HEX", help="the sha256 you trust for the model file")
    p.set_defaults(run=_cmd_serve_model)
    add_pack_commands(sub, common)
    add_audit_commands(sub, common)
    add_risk_commands(sub, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        language = _language(args)
    except InputError as exc:
        print(f"voirdire: error: {one_line(render_error(exc, 'en'), 1000)}", file=sys.stderr)
        return EXIT_INPUT
    prefix = {
        "zh-CN": ("错误", "模型错误", "配置错误", "存储错误"),
        "en": ("error", "model error", "configuration error", "storage error"),
    }[language]

    def say(kind: int, error: Exception) -> None:
        text = render_error(error, language) if isinstance(error, VoirdireError) else str(error)
        print(f"voirdire: {prefix[kind]}: {one_line(text, 1000)}", file=sys.stderr)

    try:
        code: int = args.run(args)
        return code
    except (InputError, AuthenticationError, AccessDeniedError, HearingStateError) as exc:
        say(0, exc)
        return EXIT_INPUT
    except (ModelError, IntegrityError, UnverifiedPackError) as exc:
        say(1, exc)
        return EXIT_MODEL
    except ConfigurationError as exc:
        say(2, exc)
        return EXIT_CONFIGURATION
    except StorageError as exc:
        say(3, exc)
        return EXIT_STORAGE
    except BrokenPipeError:
        return 0
    except OSError as exc:  # the machine, not the input: a full disk, a folder without permission
        where = one_line(str(exc.filename), 200) if exc.filename else "a file"
        print(f"voirdire: {prefix[3]}: {where}: {exc.strerror or exc} [storage]", file=sys.stderr)
        return EXIT_STORAGE
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
