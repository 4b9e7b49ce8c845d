"""The court's own commands: the hearing app, users, the audit log; and how a command-line user logs in."""

from __future__ import annotations

import argparse
import getpass
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cli.arguments import count, port, secret
from cli.framework import settings
from sentencing.excerpts import excerpt

if TYPE_CHECKING:
    from hearing.service import HearingService

__all__ = ["command_line_source", "court_service", "log_in", "register"]

ROLES = ("clerk", "defence", "prosecution", "duty_lawyer", "judge", "appellate_judge", "technologist", "technician")


def command_line_source() -> str:
    """Where a command-line log-in comes from, for the log-in throttle: this machine's account."""
    try:
        return f"command line ({getpass.getuser()})"
    except (OSError, KeyError):
        return "command line"


def court_service() -> HearingService:
    """The court's service on its store (migrated to the current schema), with this process's settings."""
    from hearing.security import store_field_key
    from hearing.service import HearingService
    from hearing.store import make_engine, migrate

    configured = settings()
    engine = make_engine(configured.store_url)
    migrate(engine, field_key=store_field_key(configured.store_key_path))
    return HearingService(engine, configured)


def log_in(service: HearingService, user: str) -> str:
    """A session for ``user``: the password from $VOIRDIRE_AS_PASSWORD, else asked at the terminal."""
    password = secret("VOIRDIRE_AS_PASSWORD", f"{user}'s password: ")
    return service.login(user, password, source=command_line_source())


def _store_url() -> str:
    url = settings().store_url
    return url.split("@")[-1] if "@" in url else url  # never print a password


def _cmd_hearing(args: argparse.Namespace) -> int:
    if args.seed_demo:
        from hearing.demo import seed_demo
        from sentencing.model import ensure_reference_model
        from sentencing.risk import load_instrument

        configured = settings()
        seed_demo(court_service(), ensure_reference_model(configured.reference_model_dir),
                  configured.surrogate_dir(load_instrument().id))  # fmt: skip
    import hearing

    app = Path(hearing.__file__).resolve().parent / "app.py"
    command = [sys.executable, "-m", "streamlit", "run", str(app), "--server.port", str(args.port),
               "--server.address", args.host, "--browser.gatherUsageStats", "false",
               "--client.toolbarMode", "viewer"]  # fmt: skip
    print(f"voirdire: the hearing app on http://{args.host}:{args.port} (store: {_store_url()})", file=sys.stderr)
    return subprocess.call(command)


def _cmd_user_add(args: argparse.Namespace) -> int:
    service = court_service()
    password = secret(args.password_env, f"password for {excerpt(args.name)}: ")
    token = log_in(service, args.as_user) if args.as_user else None
    user_id = service.create_user(token, args.name, password, args.role)
    print(f"user {args.name} ({args.role}) created, id {user_id}")
    return 0


def _cmd_user_unlock(args: argparse.Namespace) -> int:
    service = court_service()
    service.unlock_user(log_in(service, args.as_user), args.name)
    print(f"{args.name}: failed log-ins reset; the name can log in again")
    return 0


def _cmd_audit_log(args: argparse.Namespace) -> int:
    from cli.framework import emit

    service = court_service()
    entries = service.audit_log(log_in(service, args.as_user), limit=args.limit)
    rows = [e.__dict__ for e in entries]
    emit(args, "audit-log", rows,
         lambda: "\n".join(f"{e.time}\t{e.actor}\t{e.action}\t{e.subject}\t{e.detail}" for e in entries))  # fmt: skip
    return 0


def register(sub: Any) -> None:
    p = sub.add_parser("hearing", help="start the hearing app (Streamlit) on the court's store")
    p.add_argument("--port", type=port, default=8501)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--seed-demo", action="store_true", help="into an empty store: demo users, the model, one hearing")
    p.set_defaults(run=_cmd_hearing)

    p = sub.add_parser("user-add", help="(clerk) create a user; the very first user of a store, a clerk, needs no --as")
    p.add_argument("name")
    p.add_argument("--role", required=True, choices=ROLES)
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
    p.add_argument("--json", action="store_true", help="print the JSON envelope")
    p.set_defaults(run=_cmd_audit_log)
