"""The small framework every command stands on: exit codes, the error each code answers, the shared options,
the JSON envelope, and the one registry the commands ask questions through.

Every ``VoirdireError`` maps to one exit code and one line on standard error, in the user's language;
nothing prints a traceback. Every ``--json`` prints one envelope::

    {"schema_version": "1.0", "command": "whatif", "kind": "sentencing" | "risk_assessment" | null,
     "operation": {name, version, case_id, case_sha256, parameters, model_sha256, seed, result_sha256} | null,
     "result": ...}

``operation`` is what a hearing's record would hold for the same question (it replays to the same
digest); it is null for commands that are not registered operations (verify, audits, set-up).
"""

from __future__ import annotations

import argparse
import functools
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cli.arguments import sha256_hex
from cli.views.errors import render_error
from sentencing.errors import (
    AccessDeniedError,
    AuthenticationError,
    ConfigurationError,
    ExplanationUnavailableError,
    HearingStateError,
    InputError,
    IntegrityError,
    ModelError,
    Rule,
    SchemaValidationError,
    StorageError,
    UnverifiedPackError,
    VoirdireError,
)
from sentencing.excerpts import one_line
from sentencing.i18n import Language, choose_language
from sentencing.settings import Settings

if TYPE_CHECKING:
    from sentencing.operations import OperationOutcome, OperationRegistry

__all__ = [
    "ENVELOPE_SCHEMA_VERSION",
    "EXIT_CONFIGURATION",
    "EXIT_DEFECT",
    "EXIT_INPUT",
    "EXIT_MODEL",
    "EXIT_NOT_VERIFIED",
    "EXIT_STORAGE",
    "Options",
    "command_registry",
    "emit",
    "envelope",
    "exit_code_of",
    "language_of",
    "parse_formats",
    "run_command",
    "settings",
]

ENVELOPE_SCHEMA_VERSION = "1.0"
EXIT_NOT_VERIFIED = 1  # a pack did not verify, or replay did not reproduce the record
EXIT_INPUT = 2
EXIT_MODEL = 3
EXIT_CONFIGURATION = 4
EXIT_STORAGE = 5
EXIT_DEFECT = 70  # a defect of the toolkit itself (EX_SOFTWARE): said in one line, never a traceback

# (error type, exit code, what the line calls it in zh-CN and English); the first match wins.
_ERRORS: tuple[tuple[type[BaseException], int, str, str], ...] = (
    (InputError, EXIT_INPUT, "错误", "error"),
    (AuthenticationError, EXIT_INPUT, "错误", "error"),
    (AccessDeniedError, EXIT_INPUT, "错误", "error"),
    (HearingStateError, EXIT_INPUT, "错误", "error"),
    (ModelError, EXIT_MODEL, "模型错误", "model error"),
    (IntegrityError, EXIT_MODEL, "模型错误", "model error"),
    (UnverifiedPackError, EXIT_MODEL, "模型错误", "model error"),
    (ExplanationUnavailableError, EXIT_MODEL, "模型错误", "model error"),
    (ConfigurationError, EXIT_CONFIGURATION, "配置错误", "configuration error"),
    (SchemaValidationError, EXIT_CONFIGURATION, "配置错误", "configuration error"),
    (StorageError, EXIT_STORAGE, "存储错误", "storage error"),
    (VoirdireError, EXIT_CONFIGURATION, "错误", "error"),
)


def exit_code_of(error: BaseException) -> int:
    """The exit code the CLI gives ``error`` (every ``VoirdireError`` has one)."""
    for kind, code, _, _ in _ERRORS:
        if isinstance(error, kind):
            return code
    return EXIT_DEFECT


def _say(error: BaseException, language: Language) -> int:
    for kind, code, zh, en in _ERRORS:
        if isinstance(error, kind):
            text = render_error(error, language) if isinstance(error, VoirdireError) else str(error)
            print(f"voirdire: {zh if language == 'zh-CN' else en}: {one_line(text, 1000)}", file=sys.stderr)
            return code
    raise AssertionError("unreachable")  # pragma: no cover


_CURRENT: list[Settings] = []


def settings() -> Settings:
    """The settings of the command being run: read from the environment once, when it starts (``run_command``)."""
    if not _CURRENT:
        from hearing.settings import settings_from_environment

        _CURRENT.append(settings_from_environment())
    return _CURRENT[-1]


def language_of(args: argparse.Namespace) -> Language:
    """``--lang``, else the settings' language."""
    return choose_language(getattr(args, "lang", None), settings().language)


def run_command(args: argparse.Namespace) -> int:
    """Run the parsed command; every failure becomes one line and its exit code."""
    _CURRENT.clear()  # each command reads the environment afresh, once
    try:
        language = language_of(args)
    except InputError as exc:
        print(f"voirdire: error: {one_line(render_error(exc, 'en'), 1000)}", file=sys.stderr)
        return EXIT_INPUT
    try:
        code: int = args.run(args)
        return code
    except VoirdireError as exc:
        return _say(exc, language)
    except BrokenPipeError:
        return 0
    except OSError as exc:  # the machine, not the input: a full disk, a folder without permission
        where = one_line(str(exc.filename), 200) if exc.filename else "a file"
        kind = "存储错误" if language == "zh-CN" else "storage error"
        print(f"voirdire: {kind}: {where}: {exc.strerror or exc} [storage]", file=sys.stderr)
        return EXIT_STORAGE
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a defect: said plainly, with what to report, never as a traceback
        print(f"voirdire: internal error: {type(exc).__name__}: {one_line(str(exc), 300)} (a defect of voirdire; "
              "please report the command that caused it)", file=sys.stderr)  # fmt: skip
        return EXIT_DEFECT


def envelope(
    command: str, result: Any, *, kind: str | None = None, outcome: OperationOutcome | None = None
) -> dict[str, Any]:
    """The one JSON form of every command's answer."""
    operation = None
    if outcome is not None:
        operation = {key: value for key, value in outcome.to_dict().items() if key != "result"}
    return {"schema_version": ENVELOPE_SCHEMA_VERSION, "command": command, "kind": kind, "operation": operation,
            "result": result}  # fmt: skip


def emit(
    args: argparse.Namespace, command: str, result: Any, text: Callable[[], str], *, kind: str | None = None,
    outcome: OperationOutcome | None = None,
) -> None:  # fmt: skip
    """Print the envelope (``--json``) or the terminal view."""
    if getattr(args, "json", False):
        print(json.dumps(envelope(command, result, kind=kind, outcome=outcome), ensure_ascii=False, indent=2))
    else:
        print(text())


@dataclass(frozen=True)
class Options:
    """The one option vocabulary: the same name means the same thing in every command."""

    @staticmethod
    def common(p: argparse.ArgumentParser, *, model: bool = True, json_flag: bool = True) -> None:
        p.add_argument("--lang", help="language of the output: zh-CN or en (default: $VOIRDIRE_LANG, else en)")
        if json_flag:
            p.add_argument("--json", action="store_true", help="print the JSON envelope instead of a table")
        if model:
            Options.model(p)

    @staticmethod
    def model(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--model", "--surrogate", dest="model", metavar="PATH_OR_URL",
            help="the model under challenge: a model folder or .joblib file, an .onnx file (run by onnxruntime: "
            "no code runs when it loads), a points table (a risk tool's "
            "surrogate: its folder or surrogate.json), or a vendor's http(s) endpoint (default: the bundled "
            "reference model for a sentencing case, the fitted surrogate for a risk case)",
        )  # fmt: skip
        p.add_argument(
            "--model-sha256", type=sha256_hex, metavar="HEX",
            help="the sha256 you trust for the model file (needed for a .joblib without a model card: a pickle "
            "runs code when loaded)",
        )  # fmt: skip

    @staticmethod
    def tier(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--tier", choices=["standard", "deep"], default="standard",
            help="standard for routine cases (default), deep when the recommendation is disputed",
        )  # fmt: skip

    @staticmethod
    def formats(p: argparse.ArgumentParser) -> None:
        p.add_argument("--format", "--formats", dest="format", default="json,html,pdf",
                       help="comma-separated: json, html, pdf (default all)")  # fmt: skip


def parse_formats(text: str) -> tuple[str, ...]:
    """``--format``: a comma list of json, html, pdf; refused before anything is loaded or computed."""
    formats = tuple(f.strip() for f in text.split(",") if f.strip())
    if not formats or set(formats) - {"json", "html", "pdf"}:
        raise InputError(f"--format {one_line(text, 80)!r}", Rule.NOT_ALLOWED_VALUE, "a comma list of json, html, pdf")
    return formats


@functools.cache
def command_registry() -> OperationRegistry:
    """Every operation, each kind with its parts (the hearing's, and the command line's), built once per process."""
    from cli.kinds import register_command_parts
    from hearing.service import court_registry

    registry = court_registry()
    register_command_parts(registry.kinds)
    return registry
