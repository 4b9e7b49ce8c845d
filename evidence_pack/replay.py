"""Replay: run every recorded query again, in order, against the sealed model, and compare.

Each result is compared first by the exact sha256 of its canonical JSON; where that differs, by
the pack's stated numeric tolerance (every number within it, everything else equal). The report
says which of the two held for each query and the largest difference seen, and names what differs
between the sealing machine and this one. Nothing is replayed from a pack that did not verify:
loading a model artifact runs code from the pack.

An appellate session (:class:`AppellateSession`) runs new queries against the sealed model; its
record is a hash chain of its own whose first link is the pack's digest.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import math
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from evidence_pack.archive import opened_pack
from evidence_pack.chain import next_entry, verify_entries
from evidence_pack.environment import describe_environment, environment_differences
from evidence_pack.profile import MAX_PARSED_BYTES
from evidence_pack.published import Docket, TrustAnchors
from evidence_pack.registry import full_registry
from evidence_pack.verify import Verdict, verify_folder
from sentencing.canonical import canonical_json
from sentencing.errors import InputError, InputFileError, IntegrityError, Rule, UnverifiedPackError
from sentencing.excerpts import excerpt
from sentencing.kinds import HeardCase, parse_case_document
from sentencing.models import SentencingModel, load_model
from sentencing.operations import OperationContext, OperationOutcome, OperationRegistry
from sentencing.untrusted import parse_json, read_untrusted_file

__all__ = [
    "AppellateSession",
    "Match",
    "QueryReplay",
    "ReplayReport",
    "compare_results",
    "replay_pack",
]


class Match(StrEnum):
    EXACT = "exact"  # the same sha256
    WITHIN_TOLERANCE = "within tolerance"  # numbers moved, by no more than the stated tolerance
    DIFFERS = "differs"  # a number moved beyond the tolerance, or anything else changed
    FAILED = "failed"  # the query could not be run again


@dataclass(frozen=True)
class QueryReplay:
    seq: int
    operation: str
    match: Match
    largest_difference: float
    detail: str

    def to_dict(self) -> dict[str, Any]:
        return {"seq": self.seq, "operation": self.operation, "match": self.match.value,
                "largest_difference": self.largest_difference, "detail": self.detail}  # fmt: skip


@dataclass(frozen=True)
class ReplayReport:
    pack: str
    digest: str
    tolerance: Mapping[str, float]
    queries: tuple[QueryReplay, ...]
    report: QueryReplay
    operation_versions: tuple[str, ...]  # operations whose version differs from the sealed one
    environment: tuple[str, ...]  # what differs between the sealing machine and this one
    verdict: Verdict | None = dataclasses.field(default=None, compare=False, repr=False)  # the checks run first

    @property
    def ok(self) -> bool:
        everything = (*self.queries, self.report)
        return all(q.match in (Match.EXACT, Match.WITHIN_TOLERANCE) for q in everything)

    def count(self, match: Match) -> int:
        return sum(1 for q in (*self.queries, self.report) if q.match == match)

    @property
    def largest_difference(self) -> float:
        return max((q.largest_difference for q in (*self.queries, self.report)), default=0.0)

    def to_dict(self) -> dict[str, Any]:
        return {"schema_version": "1", "pack": self.pack, "digest": self.digest, "reproduced": self.ok,
                "tolerance": dict(self.tolerance), "counts": {m.value: self.count(m) for m in Match},
                "largest_difference": self.largest_difference, "queries": [q.to_dict() for q in self.queries],
                "report": self.report.to_dict(), "operation_versions": list(self.operation_versions),
                "environment_differences": list(self.environment)}  # fmt: skip


def _walk(recorded: Any, replayed: Any, path: str, tolerance: Mapping[str, float]) -> tuple[float, str | None]:
    """(largest numeric difference, first difference that is not numeric drift within tolerance)."""
    if isinstance(recorded, bool) or isinstance(replayed, bool):
        same = type(recorded) is type(replayed) and recorded == replayed
        return 0.0, None if same else f"{path}: {recorded!r} became {replayed!r}"
    if isinstance(recorded, int | float) and isinstance(replayed, int | float):
        difference = abs(float(recorded) - float(replayed))
        allowed = max(tolerance["absolute"], tolerance["relative"] * max(abs(recorded), abs(replayed)))
        if not math.isfinite(difference) or difference > allowed:
            return difference, f"{path}: {recorded!r} became {replayed!r} (difference {difference:.3g} > {allowed:.3g})"
        return difference, None
    if isinstance(recorded, dict) and isinstance(replayed, dict):
        if set(recorded) != set(replayed):
            return 0.0, f"{path}: keys {sorted(set(recorded) ^ set(replayed))} differ"
        largest, first = 0.0, None
        for key in sorted(recorded):
            difference, problem = _walk(recorded[key], replayed[key], f"{path}.{key}", tolerance)
            largest, first = max(largest, difference), first or problem
        return largest, first
    if isinstance(recorded, list) and isinstance(replayed, list):
        if len(recorded) != len(replayed):
            return 0.0, f"{path}: {len(recorded)} items became {len(replayed)}"
        largest, first = 0.0, None
        for index, (a, b) in enumerate(zip(recorded, replayed, strict=True)):
            difference, problem = _walk(a, b, f"{path}[{index}]", tolerance)
            largest, first = max(largest, difference), first or problem
        return largest, first
    return 0.0, None if recorded == replayed else f"{path}: {recorded!r} became {replayed!r}"


def compare_results(recorded: Any, recorded_sha256: str, outcome: OperationOutcome,
                    tolerance: Mapping[str, float]) -> tuple[Match, float, str]:  # fmt: skip
    if outcome.result_sha256 == recorded_sha256:
        return Match.EXACT, 0.0, "same sha256"
    largest, problem = _walk(recorded, outcome.result, "$", tolerance)
    if problem is None:
        return Match.WITHIN_TOLERANCE, largest, f"sha256 differs; every number within tolerance (largest {largest:.3g})"
    return Match.DIFFERS, largest, problem


@dataclass(frozen=True)
class _Opened:
    folder: Path
    verdict: Verdict
    case: HeardCase
    model: SentencingModel | None  # None: a hearing on the guideline alone (its operations never ask a model)


def _read_json(folder: Path, relative: str) -> Any:
    try:
        return parse_json(read_untrusted_file(folder / relative, limit=MAX_PARSED_BYTES), relative)
    except InputFileError as exc:
        raise InputFileError(relative, Rule.PACK_MALFORMED, exc.detail) from None


def _open(folder: Path, label: str, anchors: TrustAnchors, docket: Docket | None,
          model_override: str | None, model_override_sha256: str | None = None) -> _Opened:  # fmt: skip
    """Verify the (private) pack folder, then load its case and model from the bytes just verified."""
    verdict = verify_folder(folder, label, anchors, docket)
    if not verdict.ok:
        raise UnverifiedPackError(label, tuple(f"{c.name}: {c.detail}" for c in verdict.failed))
    model_facts = verdict.predicate["model"]
    if model_facts.get("travels"):
        if model_override is not None:
            raise InputError(
                "--model",
                Rule.NOT_ALLOWED_VALUE,
                "the sealed model travels with this pack; replay uses it",
            )
        # the file the statement names (verified above): an ONNX pack's model is run, never unpickled
        artifact = model_facts.get("artifact", "model.joblib")  # packs sealed before surrogates travelled name none
        model = load_model(folder / "bag" / "data" / "model" / artifact, expected_sha256=model_facts["sha256"])
    elif model_facts.get("sha256") is None:  # verified: no model was used (the hearing was on the guideline alone)
        if model_override is not None:
            raise InputError("--model", Rule.NOT_ALLOWED_VALUE, "this pack's hearing used no model; replay needs none")
        model = None
    else:
        if model_override is None:
            escrow = _read_json(folder, "bag/data/model/ESCROW.json")
            custodian = excerpt(escrow.get("custodian") if isinstance(escrow, dict) else None, 120)
            raise InputError(
                '--model', Rule.MISSING_REQUIRED,
                f"the model is in escrow with {custodian}; give its copy (sha256 {model_facts.get('sha256')})",
            )  # fmt: skip
        expected = model_facts.get("sha256") or model_override_sha256
        model = load_model(model_override, expected_sha256=expected)
        if model_facts.get("sha256") is not None and model.identity.sha256 != model_facts["sha256"]:
            raise IntegrityError(f"model {model_override}", str(model_facts["sha256"]), str(model.identity.sha256))
    document = _read_json(folder, "bag/data/case/case.json")
    if not isinstance(document, dict):
        raise InputFileError("bag/data/case/case.json", Rule.PACK_MALFORMED, "not a JSON object")
    return _Opened(folder, verdict, parse_case_document(document, source="the sealed case"), model)


@contextlib.contextmanager
def _private_pack(path: Path, anchors: TrustAnchors, docket: Docket | None) -> Iterator[Path]:
    """The pack as a private copy (replay runs code from it only after verifying those very bytes)."""
    with contextlib.ExitStack() as stack:
        try:
            folder = stack.enter_context(opened_pack(path, private=True))
        except InputFileError as refused:
            if refused.rule != Rule.ARCHIVE_UNSAFE or not path.is_dir():
                raise
            # A folder that cannot be copied (a link, a pipe in it) never verifies; say which checks fail.
            verdict = verify_folder(path, str(path), anchors, docket)
            failed = tuple(f"{c.name}: {c.detail}" for c in verdict.failed) or (str(refused),)
            raise UnverifiedPackError(str(path), failed) from None
        yield folder


def replay_pack(
    path: Path,
    anchors: TrustAnchors,
    *,
    docket: Docket | None = None,
    model: str | None = None,
    registry: OperationRegistry | None = None,
) -> ReplayReport:
    """Verify the pack, then run each recorded query again in order and compare it with the record."""
    registry = registry or full_registry()
    with _private_pack(path, anchors, docket) as folder:
        opened = _open(folder, str(path), anchors, docket, model)
        data = folder / "bag" / "data"
        replay = _read_json(folder, "bag/data/replay/replay.json")
        tolerance = {"absolute": float(replay["tolerance"]["absolute"]),
                     "relative": float(replay["tolerance"]["relative"])}  # fmt: skip
        log = (data / "hearing" / "log.jsonl").read_bytes().splitlines()
        results = (data / "hearing" / "results.jsonl").read_bytes().splitlines()
        queries: list[QueryReplay] = []
        for line, result in zip(log, results, strict=True):
            entry, recorded = parse_json(line, "a record entry"), parse_json(result, "a recorded result")
            queries.append(_replay_one(registry, opened, entry["seq"], entry["operation"], entry["parameters"],
                                       entry["seed"], recorded, entry["result_sha256"], tolerance))  # fmt: skip
        report_facts = replay["report"]
        recorded_report = _read_json(folder, "bag/data/report/report.json")
        operation = str(report_facts.get("operation", "report"))  # packs of sentencing hearings before risk ones
        parameters = report_facts.get("parameters", {"tier": report_facts["tier"]})  # packs before the guideline
        report = _replay_one(registry, opened, 0, operation, parameters, int(report_facts["seed"]),  # report: tier
                             recorded_report, str(report_facts["result_sha256"]), tolerance)  # fmt: skip
        sealed_versions: dict[str, str] = replay["operations"]
        here = {name: registry.get(name).version for name in registry.names()}
        moved = tuple(
            f"{name}: sealed version {version}, here {here.get(name, 'absent')}"
            for name, version in sorted(sealed_versions.items())
            if here.get(name) != version
        )
        # a result that differs where its operation's version moved is explained by that, on its own line
        queries = [_explain_version(q, sealed_versions, here) for q in queries]
        report = _explain_version(report, sealed_versions, here)
        sealed_environment = _read_json(folder, "bag/data/environment/environment.json")
        differences = tuple(environment_differences(sealed_environment, describe_environment()))
        return ReplayReport(
            str(path),
            str(opened.verdict.digest),
            tolerance,
            tuple(queries),
            report,
            moved,
            differences,
            opened.verdict,
        )


def _explain_version(query: QueryReplay, sealed: Mapping[str, str], here: Mapping[str, str]) -> QueryReplay:
    version = sealed.get(query.operation)
    current = here.get(query.operation, "absent")
    if query.match in (Match.EXACT, Match.WITHIN_TOLERANCE) or version is None or current == version:
        return query
    moved = f"the operation changed since sealing (sealed version {version}, here {current})"
    return dataclasses.replace(query, detail=f"{query.detail}; {moved}")


def _replay_one(
    registry: OperationRegistry,
    opened: _Opened,
    seq: int,
    operation: str,
    parameters: Mapping[str, Any],
    seed: int,
    recorded: Any,
    recorded_sha256: str,
    tolerance: Mapping[str, float],
) -> QueryReplay:
    try:
        outcome = registry.run(operation, opened.case, parameters, OperationContext(model=opened.model, seed=seed))
    except Exception as exc:  # any failure to run again is itself the finding, reported per query
        return QueryReplay(seq, operation, Match.FAILED, math.inf, f"{type(exc).__name__}: {exc}")
    match, largest, detail = compare_results(recorded, recorded_sha256, outcome, tolerance)
    return QueryReplay(seq, operation, match, largest, detail)


class AppellateSession:
    """New queries against a sealed pack's model, recorded in a chain that starts at the pack's digest.

    The record is a JSON-lines file (one entry per line, with its result); each append is flushed
    and synced under an exclusive lock, after the existing chain has been checked.
    """

    def __init__(self, pack: Path, anchors: TrustAnchors, record: Path, party: str, *,
                 model: str | None = None, registry: OperationRegistry | None = None) -> None:  # fmt: skip
        if not pack.is_dir():
            raise InputFileError(str(pack), Rule.PACK_MALFORMED, "an appellate session opens an unpacked pack folder")
        if not party.strip() or len(party) > 100 or not party.isprintable():
            raise InputError(
                f"--party {excerpt(party)}",
                Rule.NOT_ALLOWED_VALUE,
                "a name of 1-100 printable characters",
            )
        self._copy = contextlib.ExitStack()
        try:
            folder = self._copy.enter_context(_private_pack(pack, anchors, None))
            self._opened = _open(folder, str(pack), anchors, None, model)
        except BaseException:
            self._copy.close()
            raise
        self.digest = str(self._opened.verdict.digest)
        self.chain_id = f"appeal of {self.digest}"
        self.record = record
        self.party = party
        self._registry = registry or full_registry()

    def close(self) -> None:
        """Remove the session's private copy of the pack."""
        self._copy.close()

    def __enter__(self) -> AppellateSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def entries(self) -> list[dict[str, Any]]:
        if not self.record.is_file():
            return []
        entries = []
        for number, line in enumerate(read_untrusted_file(self.record, limit=MAX_PARSED_BYTES).splitlines(), start=1):
            try:
                entries.append(parse_json(line, f"line {number}"))
            except InputFileError:
                raise InputFileError(str(self.record), Rule.FILE_NOT_JSON, f"line {number} is not JSON") from None
        verification = verify_entries(self.chain_id, entries, genesis=self.digest)
        if not verification.ok:
            raise InputFileError(str(self.record), Rule.PACK_MALFORMED,
                                 f"the appellate record is broken: {verification.problems[0]}")  # fmt: skip
        return entries

    def query(
        self, operation: str, parameters: Mapping[str, Any], seed: int | None = None
    ) -> tuple[OperationOutcome, int]:
        sealed_seed = int(self._opened.verdict.predicate["seeds"]["hearing"])
        if operation not in self._registry.queries_for(self._opened.case.kind):
            raise InputError(
                f"operation {excerpt(operation)}",
                Rule.NOT_ALLOWED_VALUE,
                "an appellate session puts "
                f"queries: one of {', '.join(self._registry.queries_for(self._opened.case.kind))}",
            )
        outcome = self._registry.run(operation, self._opened.case, parameters,
                                     OperationContext(model=self._opened.model,
                                                      seed=sealed_seed if seed is None else seed))  # fmt: skip
        self.record.parent.mkdir(parents=True, exist_ok=True)
        with self.record.open("ab") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            entries = self.entries()
            previous = entries[-1]["entry_sha256"] if entries else self.digest
            now = datetime.now(UTC).isoformat(timespec="seconds")
            entry = next_entry(self.chain_id, len(entries) + 1, now, self.party, outcome, previous)
            entry["result"] = outcome.result
            handle.write(canonical_json(entry) + b"\n")
            handle.flush()
            os.fsync(handle.fileno())
        return outcome, int(entry["seq"])
