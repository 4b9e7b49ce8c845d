"""Sealing: from a closed hearing's transcript to a signed, timestamped BagIt pack.

Order (EVIDENCE_PACK.md): the record (already written, entry by entry, during the hearing) → the
report and its PDFs → the bag → the Ed25519 signature over the tag manifest and the signed
statement → the RFC 3161 timestamp over the statement's signature. The caller (the hearing
service) then enters the pack's digest in the court's docket.

The pack is built in a hidden folder beside its destination and renamed into place only when
complete, under a lock on the destination; a failed seal leaves nothing behind, and what a killed
one left is removed by the next (see :func:`seal_pack`). The timestamp reply is checked against the
authority's root before anything is sealed.
"""

from __future__ import annotations

import contextlib
import fcntl
import glob
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from evidence_pack.bag import make_bag
from evidence_pack.chain import entry_line, verify_entries
from evidence_pack.environment import describe_environment, installed_packages
from evidence_pack.instructions import verify_script
from evidence_pack.profile import MODEL_ARTIFACTS, MODEL_FORMATS, PACK_SCHEMA_VERSION, profile_json
from evidence_pack.registry import full_registry
from evidence_pack.signing import envelope_parts, key_fingerprint, sign_envelope
from evidence_pack.timestamp import TimestampAuthority, check_timestamp, timestamp_query
from explain_tiers.guideline_report import (
    GUIDELINE_REPORT_OPERATION,
    build_guideline_report,
    guideline_report_json,
    guideline_report_pdf,
)
from explain_tiers.operations import HeardReport, ReportMemo, ReportPart, build_heard_report
from explain_tiers.tiers import Tier
from sentencing.canonical import canonical_json, sha256_bytes, sha256_file, sha256_json
from sentencing.case import Case
from sentencing.errors import ConfigurationError, InputError, Rule, StorageError
from sentencing.excerpts import one_line
from sentencing.files import write_atomically
from sentencing.kinds import HeardCase, parse_case_document
from sentencing.lifecycle import HearingState, require_state
from sentencing.models import SentencingModel
from sentencing.untrusted import parse_json

__all__ = [
    "NO_MODEL_NAME",
    "PREDICATE_TYPE",
    "REPLAY_TOLERANCE",
    "STATEMENT_TYPE",
    "HearingTranscript",
    "SealRequest",
    "SealedPack",
    "Sealer",
    "pack_folder_name",
    "seal_pack",
]

STATEMENT_TYPE = "https://in-toto.io/Statement/v1"
PREDICATE_TYPE = "urn:voirdire:evidence-pack:v1"
# Replay's stated tolerance: a recomputed number may differ from the recorded one by at most this
# much (absolute, in the result's own unit: months or score points) before it counts as a difference.
REPLAY_TOLERANCE: dict[str, float] = {"absolute": 1e-6, "relative": 1e-9}
NO_MODEL_NAME = "none (guideline alone)"


@dataclass(frozen=True)
class HearingTranscript:
    """Everything the court's store holds about one closed hearing, as plain values."""

    hearing_id: int
    state: str
    case_document: Mapping[str, Any]
    seed: int
    opened_at: str
    closed_at: str
    parties: tuple[Mapping[str, str], ...]
    entries: tuple[Mapping[str, Any], ...]
    ruling: Mapping[str, Any]
    model_location: str


@dataclass(frozen=True)
class Sealer:
    username: str
    role: str
    private_key: Ed25519PrivateKey = field(repr=False)
    public_pem: bytes
    certificate_pem: bytes | None = None


@dataclass(frozen=True)
class SealRequest:
    """What a seal needs. ``model`` None: the hearing was held on the guideline alone, with no model; with
    ``guideline_alone`` (also when the defendant refused the algorithm's assistance) the pack's report is the
    guideline report (``explain_tiers.guideline_report``), not the model's standard report."""

    transcript: HearingTranscript
    model: SentencingModel | None
    sealer: Sealer
    authority: TimestampAuthority
    version: int = 1
    supersedes: str | None = None
    model_travels: bool = True
    sealed_at: datetime | None = None
    # reports the hearing already computed, and their renderings: the standard report of this case, model and seed,
    # and a memo in which the deep report is found by the digest its record entry holds (else each is rebuilt)
    standard: HeardReport | None = None
    memo: ReportMemo | None = None
    progress: Callable[[str], None] | None = field(default=None, compare=False)
    guideline_alone: bool = False


@dataclass(frozen=True)
class SealedPack:
    path: Path
    digest: str  # sha256 of seal/statement.json: the pack's identity in the docket and in appeals
    version: int
    record_head: str
    record_length: int


def pack_folder_name(case_id: str, version: int) -> str:
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in case_id)
    return f"{safe}_pack-v{version}"


def _write_json(path: Path, value: Any) -> bytes:
    data = canonical_json(value)
    write_atomically(path, data)
    return data


def _no_model(target: Path) -> dict[str, Any]:
    """A hearing held with no model: the model folder's record says so in the form every verifier already reads (a
    model that does not travel, whose digest is null), so the court's published script checks it unchanged."""
    target.mkdir(parents=True)
    _write_json(target / "ESCROW.json", {
        "schema_version": "1", "name": NO_MODEL_NAME, "adapter": "none", "sha256": None, "custodian": None,
        "model_used": False,
        "why": "no model was used: the hearing was held on the guideline alone (法发〔2021〕21号), with no algorithm "
               "asked; there is nothing to escrow and nothing to load on replay",
    })  # fmt: skip
    return {"name": NO_MODEL_NAME, "adapter": "none", "sha256": None, "travels": False}


def _copy_model(model: SentencingModel | None, target: Path, travels: bool, location: str) -> dict[str, Any]:
    if model is None:
        return _no_model(target)
    identity = model.identity
    found = model.artifact
    folder, artifact = (found.folder, found.file) if found is not None else (None, None)
    target.mkdir(parents=True)
    if travels and folder is not None and artifact in MODEL_ARTIFACTS and (folder / artifact).is_file():
        # a folder inside that holds a card of its own is another model (the reference model's ONNX export)
        others = {p.parent for p in folder.rglob("model_card.json") if p.parent != folder}
        for source in sorted(folder.rglob("*")):
            relative = source.relative_to(folder)
            if (source.is_file() and not source.is_symlink() and not any(p.startswith(".") for p in relative.parts)
                    and not others.intersection(source.parents)):  # fmt: skip
                (target / relative).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, target / relative)
        if sha256_file(str(target / artifact)) != identity.sha256:
            raise InputError(
                f"model {location}", Rule.PACK_MALFORMED, "the artifact changed on disk since the hearing loaded it"
            )
        return {"name": identity.name, "adapter": identity.adapter, "sha256": identity.sha256, "travels": True,
                "artifact": artifact, "format": MODEL_FORMATS[artifact]}  # fmt: skip
    escrow = {
        "schema_version": "1",
        "name": identity.name,
        "adapter": identity.adapter,
        "sha256": identity.sha256,
        "custodian": location,
        "why": "the model may not travel with the pack; replay needs the custodian's copy with that sha256",
    }
    _write_json(target / "ESCROW.json", escrow)
    return {"name": identity.name, "adapter": identity.adapter, "sha256": identity.sha256, "travels": False}


def _provenance(transcript: HearingTranscript, case_sha256: str, model_sha256: str | None,
                versions: Mapping[str, str], report_sha256: str, seed: int,
                report_operation: str, report_parameters: Mapping[str, Any]) -> dict[str, Any]:  # fmt: skip
    entries = [
        {"seq": e["seq"], "operation": e["operation"], "operation_version": versions.get(e["operation"]),
         "from": {"case": "case/case.json", "case_sha256": case_sha256, "model_sha256": e["model_sha256"],
                  "parameters_sha256": sha256_json(e["parameters"]), "seed": e["seed"]},
         "party": e["party"], "result_sha256": e["result_sha256"], "entry_sha256": e["entry_sha256"]}
        for e in transcript.entries
    ]  # fmt: skip
    return {
        "schema_version": PACK_SCHEMA_VERSION,
        "record": entries,
        "report": {"file": "report/report.json", "sha256": report_sha256, "operation": report_operation,
                   "operation_version": versions.get(report_operation), "parameters": dict(report_parameters),
                   "from": {"case_sha256": case_sha256, "model_sha256": model_sha256, "seed": seed},
                   "renderings": ["report/report.zh-CN.pdf", "report/report.en.pdf"]},
        "ruling": {"file": "hearing/ruling.json", "weighs": "the record up to its head",
                   "record_head_sha256": transcript.ruling.get("record_head_sha256")},
    }  # fmt: skip


def _toolkit_version() -> str:
    try:
        return metadata.version("voirdire")
    except metadata.PackageNotFoundError:
        return "unknown"


SEALABLE = frozenset({HearingState.CLOSED, HearingState.SEALED})  # a sealed hearing is sealed again: a new version


def seal_pack(
    request: SealRequest,
    destination: Path,
    *,
    enter_in_docket: Callable[[SealedPack], None] | None = None,
    is_docketed: Callable[[str], bool] | None = None,
) -> SealedPack:
    """Build the pack for ``request.transcript`` in ``destination/<case>_pack-v<N>`` and return its digest.

    Seals into one folder take turns (a lock on the folder). Under the lock: what an interrupted seal
    left (a hidden ``.<pack>.partial-*`` folder, or a finished pack of this hearing and version that
    never reached the docket, when ``is_docketed`` can tell) is removed; the pack is built in a hidden
    folder and renamed into place; ``enter_in_docket`` records it, and if that fails the pack is
    removed: a pack exists only if the court's docket knows it. A full disk leaves nothing behind.
    """
    transcript = request.transcript
    require_state(transcript.hearing_id, transcript.state, SEALABLE, "only a closed hearing is sealed")
    if (request.version == 1) != (request.supersedes is None):
        raise InputError(
            'supersedes', Rule.CONTRADICTION,
            'version 1 supersedes nothing; every later version names its predecessor',
        )  # fmt: skip
    case = parse_case_document(dict(transcript.case_document), source="the hearing's case")
    entries = [dict(e) for e in transcript.entries]
    chain = verify_entries(transcript.hearing_id, entries, transcript.ruling.get("record_head_sha256"))
    if not chain.ok:
        raise InputError(f"hearing {transcript.hearing_id} record", Rule.PACK_MALFORMED, f"{chain.problems[0]}")
    model_sha256 = None if request.model is None else request.model.identity.sha256
    if any(e["model_sha256"] != model_sha256 for e in entries):
        raise InputError(
            'model', Rule.CONTRADICTION,
            'some recorded queries were answered by another model than the one given',
        )  # fmt: skip
    sealed_at = (request.sealed_at or datetime.now(UTC)).astimezone(UTC).isoformat(timespec="seconds")
    target = destination / pack_folder_name(case.case_id, request.version)
    if destination.exists() and not destination.is_dir():
        raise InputError(f"--out {one_line(str(destination))}", Rule.NOT_ALLOWED_VALUE, "is a file, not a folder")
    try:
        destination.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(str(destination), f"cannot create the folder ({exc.strerror}); nothing was sealed") from None
    with _folder_lock(destination):
        _clear_leftovers(destination, target, transcript.hearing_id, request.version, is_docketed)
        if target.exists():
            raise InputError(f"{target}", Rule.NOT_ALLOWED_VALUE, "already exists; a sealed pack is never overwritten")
        work = Path(tempfile.mkdtemp(prefix=f".{target.name}.partial-", dir=destination))
        try:
            _build(request, case, entries, chain.head, sealed_at, work)
            work.rename(target)
        except OSError as exc:
            shutil.rmtree(work, ignore_errors=True)
            raise StorageError(str(destination), f"writing the pack failed ({exc.strerror or exc}); nothing was "
                               "sealed") from None  # fmt: skip
        except BaseException:
            shutil.rmtree(work, ignore_errors=True)
            raise
        digest = sha256_bytes((target / "seal" / "statement.json").read_bytes())
        sealed = SealedPack(target, digest, request.version, chain.head, chain.length)
        if enter_in_docket is not None:
            try:
                enter_in_docket(sealed)
            except BaseException:
                shutil.rmtree(target, ignore_errors=True)  # not in the docket: not a pack of the court
                raise
    return sealed


@contextlib.contextmanager
def _folder_lock(folder: Path) -> Iterator[None]:
    """An exclusive lock on the destination folder itself (no lock file is left behind)."""
    descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)  # closing releases the lock


def _clear_leftovers(destination: Path, target: Path, hearing_id: int, version: int,
                     is_docketed: Callable[[str], bool] | None) -> None:  # fmt: skip
    """What an interrupted seal of ``target`` left (called under the folder's lock, so none is in progress)."""
    for partial in destination.glob(f".{glob.escape(target.name)}.partial-*"):
        if partial.is_dir() and not partial.is_symlink():
            shutil.rmtree(partial, ignore_errors=True)
    if is_docketed is None or not target.is_dir() or target.is_symlink():
        return
    statement = target / "seal" / "statement.json"
    try:
        data = statement.read_bytes()
        payload, _, _, _ = envelope_parts(data, str(statement))
        predicate = parse_json(payload, "the statement")["predicate"]
        ours = predicate["hearing_id"] == hearing_id and predicate["pack_version"] == version
    except (OSError, InputError, KeyError, TypeError, ValueError):
        return  # not a pack this seal can recognise as its own: left alone (and the seal refuses to overwrite it)
    if ours and not is_docketed(sha256_bytes(data)):
        shutil.rmtree(target, ignore_errors=True)  # sealed, but killed before the docket knew it


def _build(request: SealRequest, case: HeardCase, entries: list[dict[str, Any]], head: str, sealed_at: str,
           work: Path) -> None:  # fmt: skip
    transcript, sealer = request.transcript, request.sealer
    payload = work / "bag"
    # --- payload ------------------------------------------------------------------------------
    case_bytes = _write_json(payload / "case" / "case.json", case.to_document())
    case_sha256 = sha256_bytes(case_bytes)
    model_summary = _copy_model(request.model, payload / "model", request.model_travels, transcript.model_location)
    registry = full_registry()
    kinds = registry.kinds
    part = kinds.part(case.kind, ReportPart)
    report_operation = part.operation
    memo = request.memo or ReportMemo()
    step = request.progress or (lambda _: None)
    step("report")
    report_parameters: dict[str, Any] = {"tier": Tier.STANDARD.value}
    # on the guideline alone, a sentencing case's pack holds the guideline report; a risk case has no guideline, so
    # a refused risk hearing's pack keeps its model's report (computed here, never shown at the hearing)
    if request.model is None or (request.guideline_alone and isinstance(case, Case)):
        if not isinstance(case, Case):
            raise InputError("model", Rule.MISSING_REQUIRED, f"a {case.kind.replace('_', '-')} case has no guideline "
                             "to be heard on alone: its pack carries the model's report")  # fmt: skip
        report_bytes = _write_guideline_report(case, payload / "report", step)
        report_operation, report_parameters = GUIDELINE_REPORT_OPERATION, {}
    else:
        standard = request.standard or build_heard_report(kinds, case, request.model, tier=Tier.STANDARD,
                                                          seed=transcript.seed)  # fmt: skip
        if standard.tier is not Tier.STANDARD:
            raise InputError("standard report", Rule.NOT_ALLOWED_VALUE, f"is a {standard.tier.value} report")
        report_bytes = _write_report(part, standard, payload / "report", memo, step)
    deep = None if request.model is None else _deep_report(part, case, request.model, entries,
                                                           payload / "report" / "deep", memo, step)  # fmt: skip
    step("bag")
    log = b"".join(entry_line(transcript.hearing_id, e) + b"\n" for e in entries)
    results = b"".join(canonical_json(e["result"]) + b"\n" for e in entries)
    write_atomically(payload / "hearing" / "log.jsonl", log)
    write_atomically(payload / "hearing" / "results.jsonl", results)
    _write_json(payload / "hearing" / "hearing.json", {
        "schema_version": PACK_SCHEMA_VERSION, "hearing_id": transcript.hearing_id, "case_id": case.case_id,
        "seed": transcript.seed, "opened_at": transcript.opened_at, "closed_at": transcript.closed_at,
        "parties": [dict(p) for p in transcript.parties], "record": {"head": head, "length": len(entries)},
        "chain": "log.jsonl line i is the canonical JSON whose sha256 is entry i's digest; results.jsonl line i "
                 "is entry i's result, whose sha256 is the entry's result_sha256",
    })  # fmt: skip
    _write_json(payload / "hearing" / "ruling.json", {"schema_version": PACK_SCHEMA_VERSION, **transcript.ruling})
    versions = {name: registry.get(name).version for name in registry.names()}
    report_sha256 = sha256_bytes(report_bytes)
    provenance = _provenance(transcript, case_sha256, model_summary["sha256"], versions, report_sha256,
                             transcript.seed, report_operation, report_parameters)  # fmt: skip
    if deep is not None:
        provenance["deep_report"] = {
            **deep,
            "from": f"record entry {deep['seq']}: the report whose JSON has that entry's sha256 (kept as the hearing "
            "computed it, or rebuilt at sealing with its seed and parameters), proved identical before rendering",
            "renderings": ["report/deep/report.zh-CN.pdf", "report/deep/report.en.pdf"],
        }
    _write_json(payload / "provenance" / "provenance.json", provenance)
    _write_json(payload / "replay" / "replay.json", {
        "schema_version": PACK_SCHEMA_VERSION, "operations": versions, "tolerance": REPLAY_TOLERANCE,
        "comparison": "exact sha256 of the canonical result first; else every number within the tolerance "
                      "(absolute or relative, whichever is larger) and everything else equal",
        "expected": [{"seq": e["seq"], "operation": e["operation"], "result_sha256": e["result_sha256"]}
                     for e in entries],
        "report": {"operation": report_operation, "tier": "standard", "seed": transcript.seed,
                   "parameters": report_parameters, "result_sha256": sha256_json(json.loads(report_bytes))},
        "deep_report": deep,
    })  # fmt: skip
    _write_json(payload / "environment" / "environment.json", describe_environment())
    packages = "".join(f"{name}=={version}\n" for name, version in installed_packages().items())
    write_atomically(payload / "environment" / "packages.txt", packages.encode("utf-8"))
    # --- the bag ------------------------------------------------------------------------------
    fingerprint = key_fingerprint(sealer.private_key.public_key())
    make_bag(payload, {
        "External-Identifier": f"{case.case_id}/hearing-{transcript.hearing_id}/pack-v{request.version}",
        "Pack-Version": str(request.version),
        "Supersedes": request.supersedes or "none",
        "Contact-Name": f"{sealer.username} ({sealer.role})",
        "External-Description": "voirdire evidence pack: an algorithm's answer (a term, a score) examined in court",
        "Bagging-Date": sealed_at[:10],
        "Bag-Software-Agent": f"voirdire {_toolkit_version()}",
    })  # fmt: skip
    # --- the seal -----------------------------------------------------------------------------
    seal = work / "seal"
    seal.mkdir()
    verify_text = verify_script().encode("utf-8")  # a copy of the court's published script, never run from here
    write_atomically(work / "VERIFY.txt", verify_text)
    write_atomically(seal / "profile.json", profile_json())
    write_atomically(seal / "sealer.pub.pem", sealer.public_pem)
    files = {"VERIFY.txt": sha256_bytes(verify_text), "seal/profile.json": sha256_bytes(profile_json()),
             "seal/sealer.pub.pem": sha256_bytes(sealer.public_pem)}  # fmt: skip
    if sealer.certificate_pem is not None:
        write_atomically(seal / "sealer.cert.pem", sealer.certificate_pem)
        files["seal/sealer.cert.pem"] = sha256_bytes(sealer.certificate_pem)
    tagmanifest = (payload / "tagmanifest-sha256.txt").read_bytes()
    write_atomically(seal / "tagmanifest-sha256.txt.sig", sealer.private_key.sign(tagmanifest))
    statement = {
        "_type": STATEMENT_TYPE,
        "subject": [
            {"name": "bag/tagmanifest-sha256.txt", "digest": {"sha256": sha256_bytes(tagmanifest)}},
            {"name": "bag/tagmanifest-sha512.txt",
             "digest": {"sha512": hashlib.sha512((payload / "tagmanifest-sha512.txt").read_bytes()).hexdigest()}},
        ],
        "predicateType": PREDICATE_TYPE,
        "predicate": {
            "schema_version": PACK_SCHEMA_VERSION,
            "case_id": case.case_id,
            "case_sha256": case_sha256,
            "hearing_id": transcript.hearing_id,
            "pack_version": request.version,
            "supersedes": request.supersedes,
            "hearing_record": {"head": head, "length": len(entries)},
            "model": model_summary,
            "seeds": {"hearing": transcript.seed, "report": transcript.seed},
            "toolkit": {"name": "voirdire", "version": _toolkit_version()},
            "sealer": {"username": sealer.username, "role": sealer.role, "key_fingerprint": fingerprint,
                       "certified": sealer.certificate_pem is not None},
            "sealed_at": sealed_at,
            "timestamp_authority": request.authority.name,
            "files": files,
        },
    }  # fmt: skip
    step("signature and timestamp")
    envelope, signature = sign_envelope(statement, sealer.private_key)
    write_atomically(seal / "statement.json", envelope)
    write_atomically(seal / "statement.sig", signature)
    query = timestamp_query(seal / "statement.sig")
    reply = request.authority.stamp(query)
    write_atomically(seal / "statement.tsr", reply)
    # A reply is checked before it is sealed: a garbage or foreign token must never become a docketed pack.
    with tempfile.TemporaryDirectory(prefix="voirdire-tsq-") as scratch:
        query_file = Path(scratch) / "query.tsq"
        query_file.write_bytes(query)
        check = check_timestamp(seal / "statement.sig", seal / "statement.tsr", request.authority.root_pem,
                                query_file=query_file)  # fmt: skip
    if not check.ok:
        raise ConfigurationError(request.authority.name, f"its timestamp reply was refused ({check.detail}); "
                                 "nothing was sealed")  # fmt: skip
    # The sealer countersigns the token, so that no byte of it (certificates included) can change unnoticed.
    write_atomically(seal / "statement.tsr.sig", sealer.private_key.sign(reply))


def _write_report(part: ReportPart, report: HeardReport, folder: Path, memo: ReportMemo,
                  step: Callable[[str], None]) -> bytes:  # fmt: skip
    """``report.json`` and the PDF/A-3b in both court languages (from the memo when already printed); returns the
    JSON's bytes."""
    part.write(report, folder, "zh-CN", ("json",))
    for language in ("zh-CN", "en"):
        step(f"{report.tier.value} report PDF ({language})")
        write_atomically(folder / f"report.{language}.pdf", memo.pdf(part, report, language))
    return (folder / "report.json").read_bytes()


def _write_guideline_report(case: Case, folder: Path, step: Callable[[str], None]) -> bytes:
    """The guideline report (no model asked) as ``report.json`` and PDF/A-3b in both court languages."""
    report = build_guideline_report(case)
    body = guideline_report_json(report)
    write_atomically(folder / "report.json", body)
    for language in ("zh-CN", "en"):
        step(f"guideline report PDF ({language})")
        write_atomically(folder / f"report.{language}.pdf", guideline_report_pdf(report, language))
    return body


def _deep_report(
    part: ReportPart, case: HeardCase, model: SentencingModel, entries: list[dict[str, Any]], folder: Path,
    memo: ReportMemo, step: Callable[[str], None],
) -> dict[str, Any] | None:  # fmt: skip
    """The last deep report asked for in the record, proved identical to it (the object the hearing computed, found
    by the entry's digest, or rebuilt), as JSON and PDFs."""
    asked = [e for e in entries if e["operation"] == part.operation and e["parameters"].get("tier") == "deep"]
    if not asked:
        return None
    entry = asked[-1]
    step("deep report")
    report = memo.recorded(part, case, model, seed=int(entry["seed"]), parameters=entry["parameters"],
                           digest=entry["result_sha256"],
                           subject=f"the deep report recorded at entry {entry['seq']}")  # fmt: skip
    _write_report(part, report, folder, memo, step)
    return {"seq": entry["seq"], "file": "report/deep/report.json", "result_sha256": entry["result_sha256"]}
