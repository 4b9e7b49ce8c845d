"""Verifying a pack: no database, no network, every check run and each said in plain words.

The checks (EVIDENCE_PACK.md): the profile (nothing unlisted, no fetch.txt, no path escapes, no
links, no oversized files); the bag (every digest recomputed, never a fast check); the signature
over the tag manifest and over the statement; the signer against a pinned key or the court's CA;
the statement against the tag manifests and the files outside the bag; the RFC 3161 timestamp;
the hearing chain against the statement; the model; and, when the court's docket is given,
whether this is the court's current pack. A pack that breaks a check is reported, never trusted.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from evidence_pack.archive import opened_pack
from evidence_pack.bag import bag_info, validate_bag
from evidence_pack.chain import verify_entries
from evidence_pack.instructions import SEALING_ROLES
from evidence_pack.profile import (
    MAX_FILE_BYTES,
    MAX_PARSED_BYTES,
    MODEL_FORMATS,
    PACK_SCHEMA_VERSION,
    PACK_SCHEMA_VERSIONS,
    check_profile,
    model_artifacts,
)
from evidence_pack.published import Docket, DocketEntry, TrustAnchors, format_time
from evidence_pack.registry import report_operations
from evidence_pack.seal import PREDICATE_TYPE, STATEMENT_TYPE
from evidence_pack.signing import (
    DSSE_PAYLOAD_TYPE,
    certificate_problems,
    detached_signature_fingerprint,
    envelope_parts,
    key_fingerprint,
    load_public_key,
    pae,
    signature_holds,
)
from evidence_pack.timestamp import check_timestamp
from explain_tiers.adversarial import ADVERSARIAL_OPERATIONS, answer_payload, challenge_findings
from explain_tiers.duty import DEMAND_OPERATION
from explain_tiers.governance import FILING_OPERATION
from explain_tiers.negotiation import STATEMENT_OPERATIONS
from sentencing.canonical import canonical_json, sha256_bytes
from sentencing.errors import InputError, InputFileError, Rule
from sentencing.excerpts import excerpt
from sentencing.i18n import Label, Language
from sentencing.untrusted import parse_json

__all__ = [
    "CHECK_MEANINGS",
    "CHECK_NAMES",
    "Check",
    "Docket",
    "DocketEntry",
    "TrustAnchors",
    "Verdict",
    "verify_folder",
    "verify_pack",
]

CHECK_NAMES: dict[str, Label] = {
    "profile": Label("证据包结构", "pack profile"),
    "bag": Label("BagIt 完整性", "BagIt bag"),
    "signature": Label("签名", "signature"),
    "signer": Label("签名人身份", "signer"),
    "statement": Label("签署声明", "signed statement"),
    "timestamp": Label("可信时间戳", "timestamp"),
    "record": Label("庭审记录哈希链", "hearing record chain"),
    "model": Label("模型", "model"),
    "docket": Label("法院案卷登记", "court docket"),
    "recordings": Label("协商录音录像", "negotiation recordings"),
}

# What a check's outcome means for the court, in both languages; the detail after it names the file or entry.
CHECK_MEANINGS: dict[str, tuple[Label, Label]] = {
    "profile": (Label("证据包只含规定的文件", "the pack holds only the files a pack may hold"),
                Label("证据包含有不应有的文件、链接或越界路径，或缺少文件", "the pack holds files, links or paths "
                      "it may not hold, or lacks some")),
    "bag": (Label("每个文件与清单摘要一致，未被改动", "every file matches its recorded digests: nothing changed"),
            Label("有文件在封存后被改动、删除或添加", "a file was changed, deleted or added after sealing")),
    "signature": (Label("签署声明与文件清单均由封存密钥签名", "the statement and the file list are signed by the "
                        "sealing key"),
                  Label("签名不成立：封存后内容被改动或被重新打包", "a signature does not hold: the contents were "
                        "changed or re-packed after sealing")),
    "signer": (Label("签名人是法院公布的封存人", "the signer is a sealer the court published"),
               Label("签名密钥不是法院公布或认证的封存密钥", "the signing key is not one the court published or "
                     "certified")),
    "statement": (Label("签署声明与证据包内容相符", "the signed statement matches the pack"),
                  Label("签署声明与证据包内容不符", "the signed statement does not match the pack")),
    "timestamp": (Label("可信时间戳证明签名在该时间已存在", "a timestamp authority vouches the signature existed "
                        "then"),
                  Label("时间戳不成立或不来自所信任的时间戳机构", "the timestamp does not hold or is not from the "
                        "trusted authority")),
    "record": (Label("庭审记录完整、顺序未变、未被改动；各方陈述由其本人录入；法院对量刑建议的决定即记录所载",
                     "the hearing record is complete, in order and unchanged; each statement was entered by the "
                     "party it names; the court's decision on the proposal is the record's"),
               Label("庭审记录被截断、重排或改动，或与裁判所载不符", "the hearing record was truncated, reordered or "
                     "changed, or does not match the citation")),
    "model": (Label("封存的模型即声明所指模型", "the sealed model is the one the statement names"),
              Label("模型被替换或与声明不符", "the model was swapped or does not match the statement")),
    "recordings": (Label("提交的录音录像与记录所载摘要一致", "the recordings supplied match the digests in the record"),
                   Label("录音录像缺失或与记录所载摘要不一致", "a recording is missing or does not match its digest in "
                         "the record")),
    "docket": (Label("这是法院登记的现行证据包", "this is the court's current pack"),
               Label("这不是法院登记的现行证据包（已被新版本取代或未登记）", "this is not the court's current pack "
                     "(superseded or not in the docket)")),
}  # fmt: skip


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool | None  # None: not checked (said why in detail)
    detail: str

    def to_dict(self) -> dict[str, Any]:
        meaning = {language: self.meaning(language) for language in ("zh-CN", "en")} if self.ok is not None else None
        return {"check": self.name, "ok": self.ok, "meaning": meaning, "detail": self.detail}

    def label(self, language: Language) -> str:
        return CHECK_NAMES[self.name].text(language)

    def meaning(self, language: Language) -> str | None:
        """What the outcome means, in the reader's language (None: not checked)."""
        if self.ok is None:
            return None
        passed, failed = CHECK_MEANINGS[self.name]
        return (passed if self.ok else failed).text(language)


@dataclass(frozen=True)
class Verdict:
    pack: str
    digest: str | None
    checks: tuple[Check, ...]
    predicate: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return all(c.ok is not False for c in self.checks) and any(c.ok for c in self.checks)

    @property
    def failed(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if c.ok is False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": PACK_SCHEMA_VERSION,
            "pack": self.pack,
            "verified": self.ok,
            "digest": self.digest,
            "case_id": self.predicate.get("case_id"),
            "pack_version": self.predicate.get("pack_version"),
            "checks": [c.to_dict() for c in self.checks],
        }


class _CheckFailedError(Exception):
    """A check found its input unreadable; the message says which file and why."""


def _read(pack: Path, relative: str, limit: int = MAX_PARSED_BYTES) -> bytes:
    path = pack / relative
    if path.is_symlink() or not path.is_file():
        raise _CheckFailedError(f"{relative} is missing")
    if path.stat().st_size > limit:
        raise _CheckFailedError(f"{relative} is {path.stat().st_size} bytes, over the limit of {limit} for a file read")
    return path.read_bytes()


def _json(pack: Path, relative: str) -> Any:
    try:
        return parse_json(_read(pack, relative), relative)
    except InputFileError as exc:
        raise _CheckFailedError(f"{relative} is not acceptable JSON ({exc.detail})") from None


def _object(pack: Path, relative: str) -> dict[str, Any]:
    value = _json(pack, relative)
    if not isinstance(value, dict):
        raise _CheckFailedError(f"{relative} is not a JSON object")
    return value


@dataclass
class _State:
    pack: Path
    anchors: TrustAnchors
    docket: Docket | None
    predicate: dict[str, Any] = field(default_factory=dict)
    statement: dict[str, Any] = field(default_factory=dict)
    envelope_signature: bytes = b""
    public_key: Any = None
    unsafe_paths: bool = False
    schema_version: str | None = None  # the schema whose profile the pack's seal/profile.json is
    stamped_at: datetime | None = None
    entries: list[dict[str, Any]] | None = None  # the record's entries with their results, once the record is read


def _check(name: str, state: _State, run: Callable[[_State], str], *, needs_statement: bool = False) -> Check:
    if needs_statement and not state.statement:
        return Check(name, False, "not checked: the signed statement could not be read or its signature failed")
    try:
        return Check(name, True, run(state))
    except _CheckFailedError as exc:
        return Check(name, False, str(exc))
    except InputError as exc:
        return Check(name, False, str(exc))
    except (OSError, ValueError, KeyError, TypeError, AttributeError, IndexError) as exc:
        return Check(name, False, f"unreadable ({type(exc).__name__}: {exc})")


def _profile(state: _State) -> str:
    profile = check_profile(state.pack)
    state.unsafe_paths = profile.unsafe
    state.schema_version = profile.version
    if profile.problems:
        raise _CheckFailedError("; ".join(profile.problems))
    return (f"only the files a pack of schema {profile.version} lists; no fetch.txt, no links, no path leaving the "
            "bag")  # fmt: skip


def _bag(state: _State) -> str:
    if state.unsafe_paths:
        raise _CheckFailedError(
            "not checked: the pack holds links, paths leaving the bag or oversized files, which are never read"
        )
    problems = validate_bag(state.pack / "bag")
    if problems:
        raise _CheckFailedError("; ".join(problems))
    return "every payload and tag file matches its sha256 and sha512 digests (all recomputed)"


def _signature(state: _State) -> str:
    envelope_bytes = _read(state.pack, "seal/statement.json")
    payload, payload_type, keyid, signature = envelope_parts(envelope_bytes, "seal/statement.json")
    try:
        envelope = parse_json(envelope_bytes, "seal/statement.json")
        statement = parse_json(payload, "the statement")
    except InputFileError as exc:
        raise _CheckFailedError(f"seal/statement.json: not acceptable JSON ({exc.detail})") from None
    if not isinstance(statement, dict) or not isinstance(statement.get("predicate"), dict):
        raise _CheckFailedError("seal/statement.json: the statement is not an object with a predicate")
    if canonical_json(envelope) + b"\n" != envelope_bytes or canonical_json(statement) != payload:
        raise _CheckFailedError("seal/statement.json is not in canonical form (it was edited after signing)")
    public_key = load_public_key(_read(state.pack, "seal/sealer.pub.pem"), "seal/sealer.pub.pem")
    if keyid != key_fingerprint(public_key):
        raise _CheckFailedError("seal/statement.json names another key than seal/sealer.pub.pem")
    if payload_type != DSSE_PAYLOAD_TYPE:
        raise _CheckFailedError(f"seal/statement.json: payload type {payload_type!r}, not {DSSE_PAYLOAD_TYPE!r}")
    if not signature_holds(public_key, signature, pae(payload_type, payload)):
        raise _CheckFailedError(
            "the statement's signature does not hold for seal/sealer.pub.pem (statement or key changed)"
        )
    # The statement is authentic from here on: the other checks may rely on what it says.
    state.statement, state.envelope_signature, state.public_key = statement, signature, public_key
    state.predicate = statement["predicate"]
    if _read(state.pack, "seal/statement.sig") != signature:
        raise _CheckFailedError("seal/statement.sig is not the signature inside seal/statement.json")
    tag_signature = _read(state.pack, "seal/tagmanifest-sha256.txt.sig")
    if not (state.pack / "bag" / "tagmanifest-sha256.txt").is_file():
        raise _CheckFailedError("bag/tagmanifest-sha256.txt, the signed file, is missing")
    if not signature_holds(public_key, tag_signature, _read(state.pack, "bag/tagmanifest-sha256.txt")):
        raise _CheckFailedError(
            "the signature over bag/tagmanifest-sha256.txt does not hold (the bag was re-made or edited)"
        )
    sealer = state.predicate.get("sealer") or {}
    return (
        f"the statement and bag/tagmanifest-sha256.txt are signed by key {keyid[:16]}… "
        f"(it names {excerpt(sealer.get('username'), 64)} as the sealer)"
    )


def _signer(state: _State) -> str:
    """The key is the court's published key of the sealer the statement names, in force when timestamped."""
    if state.public_key is None:
        raise _CheckFailedError("not checked: no valid signature to attribute")
    anchors = state.anchors
    aside = f" ({len(anchors.set_aside)} unreadable entr{'y' if len(anchors.set_aside) == 1 else 'ies'} of the " \
        f"key list set aside: {anchors.set_aside[0]})" if anchors.set_aside else ""  # fmt: skip
    if not anchors.sealers:
        raise _CheckFailedError("no published key list was given (--published, or --sealers sealers.tsv): "
                                "whose key signed cannot be told" + aside)  # fmt: skip
    fingerprint = key_fingerprint(state.public_key)
    published = anchors.sealer(fingerprint)
    if published is None:
        raise _CheckFailedError(f"the signing key {fingerprint[:16]}… is not one the court published" + aside)
    sealer = state.predicate.get("sealer") or {}
    named = (sealer.get("username"), sealer.get("role"))
    if named != (published.username, published.role):
        raise _CheckFailedError(
            f"the signing key is {published.username}'s ({published.role}), but the statement names "
            f"{excerpt(named[0], 64)} ({excerpt(named[1], 32)}) as the sealer"
        )
    if published.role not in SEALING_ROLES:
        raise _CheckFailedError(f"{published.username}'s role {published.role} does not seal packs")
    if state.stamped_at is None:
        raise _CheckFailedError("not checked: without a trusted timestamp, whether the key was in force then is "
                                "unknown")  # fmt: skip
    if not published.in_force_at(state.stamped_at):
        when = format_time(state.stamped_at)
        if published.valid_until is not None and state.stamped_at >= published.valid_until:
            raise _CheckFailedError(f"{published.username}'s key was retired at {format_time(published.valid_until)}, "
                                    f"before the pack was timestamped at {when}")  # fmt: skip
        raise _CheckFailedError(f"{published.username}'s key was not yet in force at {when} (from "
                                f"{format_time(published.valid_from)})")  # fmt: skip
    detail = f"{published.username} ({published.role}); key {fingerprint[:16]}… in force {published.period()}"
    if published.certified and anchors.court_root is not None:
        certificate = state.pack / "seal" / "sealer.cert.pem"
        if not certificate.is_file():
            raise _CheckFailedError("the court certified this key, but the pack holds no certificate")
        problems = certificate_problems(_read(state.pack, "seal/sealer.cert.pem"), anchors.court_root,
                                        state.public_key, at=state.stamped_at, subject=published.username)  # fmt: skip
        if problems:
            raise _CheckFailedError("; ".join(problems))
        detail += "; certified by the court's CA"
    return detail + aside


def _statement(state: _State) -> str:
    statement, predicate, pack = state.statement, state.predicate, state.pack
    if statement.get("_type") != STATEMENT_TYPE or statement.get("predicateType") != PREDICATE_TYPE:
        raise _CheckFailedError("the statement is not a voirdire evidence-pack statement")
    schema = predicate.get("schema_version")
    if schema not in PACK_SCHEMA_VERSIONS:
        raise _CheckFailedError(f"pack schema {schema!r}; this verifier reads {', '.join(PACK_SCHEMA_VERSIONS)}")
    if state.schema_version is not None and schema != state.schema_version:
        raise _CheckFailedError(f"the statement says pack schema {schema}, its seal/profile.json is schema "
                                f"{state.schema_version}'s")  # fmt: skip
    subjects = {s["name"]: s["digest"] for s in statement.get("subject", [])}
    for name, algorithm in (("bag/tagmanifest-sha256.txt", "sha256"), ("bag/tagmanifest-sha512.txt", "sha512")):
        recorded = (subjects.get(name) or {}).get(algorithm)
        actual = hashlib.new(algorithm, _read(pack, name)).hexdigest()
        if recorded != actual:
            raise _CheckFailedError(f"{name} is not the one the statement signs (the bag was re-made after sealing)")
    for name, recorded in (predicate.get("files") or {}).items():
        if sha256_bytes(_read(pack, name)) != recorded:
            raise _CheckFailedError(f"{name} was changed after sealing")
    for required in ("VERIFY.txt", "seal/profile.json", "seal/sealer.pub.pem"):
        if required not in (predicate.get("files") or {}):
            raise _CheckFailedError(f"the statement does not cover {required}")
    if (pack / "seal" / "sealer.cert.pem").is_file() and "seal/sealer.cert.pem" not in predicate["files"]:
        raise _CheckFailedError("seal/sealer.cert.pem is not covered by the statement")
    info = bag_info(pack / "bag")
    version, supersedes = int(predicate["pack_version"]), predicate.get("supersedes")
    if info.get("Pack-Version") != str(version) or info.get("Supersedes") != (supersedes or "none"):
        raise _CheckFailedError("bag-info.txt's Pack-Version or Supersedes differ from the statement")
    if (version == 1) != (supersedes is None):
        raise _CheckFailedError(
            f"version {version} with supersedes {supersedes!r}: every later version names its predecessor"
        )
    if sha256_bytes(_read(pack, "bag/data/case/case.json")) != predicate.get("case_sha256"):
        raise _CheckFailedError("bag/data/case/case.json is not the case the statement names")
    return f"case {predicate['case_id']}, pack version {version}" + (
        f" (supersedes {supersedes[:16]}…)" if supersedes else "") + ", tag manifests and files as signed"  # fmt: skip


def _timestamp(state: _State) -> str:
    if state.anchors.tsa_root is None:
        raise _CheckFailedError(
            "no timestamp authority root was given (--tsa-root): the time of sealing cannot be vouched for"
        )
    token = _read(state.pack, "seal/statement.tsr")
    if not signature_holds(state.public_key, _read(state.pack, "seal/statement.tsr.sig"), token):
        raise _CheckFailedError("seal/statement.tsr is not the token the sealer countersigned (the token was changed)")
    if _read(state.pack, "seal/statement.sig") != state.envelope_signature:
        raise _CheckFailedError("seal/statement.sig is not the statement's signature")
    result = check_timestamp(state.pack / "seal" / "statement.sig", state.pack / "seal" / "statement.tsr",
                             state.anchors.tsa_root)  # fmt: skip
    if not result.ok:
        raise _CheckFailedError(result.detail)
    state.stamped_at = result.when
    return result.detail


def _lines(pack: Path, relative: str) -> list[bytes]:
    data = _read(pack, relative)
    if data and not data.endswith(b"\n"):
        raise _CheckFailedError(f"{relative} does not end with a complete line (truncated)")
    return data.splitlines()


def _record(state: _State) -> str:
    predicate, pack = state.predicate, state.pack
    log = _lines(pack, "bag/data/hearing/log.jsonl")
    results = _lines(pack, "bag/data/hearing/results.jsonl")
    if len(log) != len(results):
        raise _CheckFailedError(
            f"bag/data/hearing/log.jsonl has {len(log)} entries but results.jsonl has {len(results)}"
        )
    entries = []
    for number, (line, result) in enumerate(zip(log, results, strict=True), start=1):
        try:
            entry, value = parse_json(line, "an entry"), parse_json(result, "a result")
        except InputFileError:
            raise _CheckFailedError(f"hearing record entry {number} is not acceptable JSON") from None
        if not isinstance(entry, dict) or entry.get("hearing_id") != predicate.get("hearing_id"):
            raise _CheckFailedError(f"hearing record entry {number} belongs to another hearing")
        entries.append({**entry, "result": value, "entry_sha256": sha256_bytes(line)})
    state.entries = entries
    for line_number, entry in enumerate(entries, start=1):
        if entry.get("seq") != line_number:
            found = entry.get("seq")
            raise _CheckFailedError(f"entry {line_number}: line {line_number} of the log holds entry {found} "
                                    "(entries reordered or removed)")  # fmt: skip
    recorded = predicate.get("hearing_record") or {}
    chain = verify_entries(predicate["hearing_id"], entries, recorded.get("head"))
    if not chain.ok:
        raise _CheckFailedError(chain.problems[0])
    if chain.length != recorded.get("length"):
        raise _CheckFailedError(f"the record has {chain.length} entries; the statement says {recorded.get('length')}")
    model = (predicate.get("model") or {}).get("sha256")
    for entry in entries:
        if entry["model_sha256"] != model:
            raise _CheckFailedError(f"entry {entry['seq']} was answered by model {str(entry['model_sha256'])[:12]}…, "
                          f"not the sealed model {str(model)[:12]}…")  # fmt: skip
    ruling = _object(pack, "bag/data/hearing/ruling.json")
    if ruling.get("record_head_sha256") != chain.head:
        raise _CheckFailedError("the judge's ruling weighed a different record than the one sealed")
    decided = _negotiation(pack, entries, ruling)
    heard = _adversarial(state, entries, ruling)
    return f"{chain.length} entries in order, none changed; head {chain.head[:16]}… as signed{decided}{heard}"


def _adversarial(state: _State, entries: list[dict[str, Any]], ruling: Mapping[str, Any]) -> str:
    """Each technician's answer signed by the key the court published for that technician, in force when it was
    entered, over the case, the sealed model, the finding and the answer; the ruling's list of challenge findings is
    the record's, each disposed of by the court's entry it names. Returns what it found, for the check's detail."""
    case_id = str(state.predicate.get("case_id") or _object(state.pack, "bag/data/case/case.json").get("case_id"))
    model = str((state.predicate.get("model") or {}).get("sha256") or "")
    answers = [e for e in entries if e.get("operation") == "technician_answer"]
    for entry in answers:
        result, parameters = entry["result"], entry.get("parameters") or {}
        payload = answer_payload(case_id, model, result.get("finding") or {}, str(result.get("answer")),
                                 str(result.get("technician")))  # fmt: skip
        try:
            fingerprint = detached_signature_fingerprint(
                str(parameters.get("public_key")), str((result.get("signed") or {}).get("signature")), payload
            )
        except ValueError as error:
            raise _CheckFailedError(f"entry {entry['seq']}: the technician's signature: {error}") from None
        published = state.anchors.sealer(fingerprint)
        if fingerprint != result.get("key_fingerprint") or published is None:
            raise _CheckFailedError(f"entry {entry['seq']}: the technician's key {fingerprint[:16]}… is not one the "
                                    "court published")  # fmt: skip
        if (published.role, published.username) != ("technician", result.get("technician")):
            raise _CheckFailedError(
                f"entry {entry['seq']}: the key that signed is {published.username}'s "
                f"({published.role}), not technician {excerpt(result.get('technician'), 64)}'s"
            )
        moment = datetime.fromisoformat(str(entry.get("time")))
        if not published.in_force_at(moment if moment.tzinfo else moment.replace(tzinfo=UTC)):
            raise _CheckFailedError(f"entry {entry['seq']}: {published.username}'s key was not in force at "
                                    f"{excerpt(entry.get('time'), 40)} ({published.period()})")  # fmt: skip
    listed = ruling.get("challenge_findings")
    if listed is None:
        return f"; {len(answers)} signed answer(s)" if answers else ""
    dispositions = {e["seq"]: e for e in entries if e.get("operation") == "finding_disposition"}
    expected = challenge_findings(entries, report_operations())
    if [(i.get("entry"), i.get("number")) for i in listed if isinstance(i, dict)] != [
        (ref.entry, ref.number) for ref in expected
    ]:
        raise _CheckFailedError("the ruling's challenge findings are not the record's (every finding of its last deep "
                                "report and every finding objected to)")  # fmt: skip
    for item, ref in zip(listed, expected, strict=True):
        disposed = dispositions.get(item.get("disposition_entry"))
        finding = (disposed or {}).get("result", {}).get("finding") or {}
        if disposed is None or (finding.get("entry"), finding.get("number")) != (ref.entry, ref.number) \
                or disposed["result"].get("disposition") != item.get("disposition"):  # fmt: skip
            raise _CheckFailedError(f"finding {ref.number} of entry {ref.entry} ({ref.title.en}) was not disposed of "
                                    "by the court before its ruling")  # fmt: skip
    return (
        f"; {len(expected)} challenge finding(s) each disposed of by the court, {len(answers)} signed "
        "technician's answer(s)"
    )


_STATEMENTS = STATEMENT_OPERATIONS | ADVERSARIAL_OPERATIONS | {FILING_OPERATION, DEMAND_OPERATION}


def _role_of(party: object) -> str:
    """The role in a record's party (``"name (role)"``)."""
    text = str(party)
    return text[text.rfind("(") + 1 : -1] if text.endswith(")") and "(" in text else ""


def _negotiation(pack: Path, entries: list[dict[str, Any]], ruling: Mapping[str, Any]) -> str:
    """Each statement of the plea negotiation entered by the role it says made it; the citation's decision on the
    proposal is the record's last entry, its adjusted proposal the prosecution's entry; a case with a proposal has a
    decision. Returns what it found, for the check's detail."""
    for entry in entries:
        if entry.get("operation") in _STATEMENTS:
            made_by = (entry.get("parameters") or {}).get("made_by")
            if made_by != _role_of(entry.get("party")):
                raise _CheckFailedError(f"entry {entry['seq']}: a statement made by {str(made_by)[:20]!r} was entered "
                                        f"by {str(entry.get('party'))[:80]!r}")  # fmt: skip
    decision = ruling.get("proposal_decision")
    if decision is None:
        case = _object(pack, "bag/data/case/case.json")
        if case.get("proposal") is not None and ruling.get("case_kind", "sentencing") == "sentencing":
            raise _CheckFailedError("the case carries the procuratorate's proposal; the citation records no decision "
                                    "on it (CPL art. 201)")  # fmt: skip
        return ""
    if not isinstance(decision, dict) or not entries:
        raise _CheckFailedError("the citation's decision on the proposal is not an entry of the record")
    last = entries[-1]
    if decision.get("seq") != last["seq"] or last.get("operation") != "proposal_decision":
        raise _CheckFailedError(f"the citation's decision on the proposal is not the record's last entry "
                                f"({str(decision.get('seq'))[:12]} of {last['seq']})")  # fmt: skip
    if {k: v for k, v in decision.items() if k != "seq"} != last["result"]:
        raise _CheckFailedError(f"the citation's decision on the proposal differs from entry {last['seq']} of the "
                                "record")  # fmt: skip
    adjusted = last["result"].get("adjusted")
    if adjusted:
        source = next((e for e in entries if e["seq"] == adjusted.get("entry")), None)
        if (source is None or source.get("operation") != "negotiation_offer"
                or source["result"].get("kind") != "adjusted_proposal"
                or _role_of(source.get("party")) != "prosecution"
                or source["result"].get("terms") != adjusted.get("terms")):  # fmt: skip
            raise _CheckFailedError(f"the adjusted proposal the court adopted is not the procuratorate's entry "
                                    f"{str(adjusted.get('entry'))[:12]} of the record")  # fmt: skip
    return f"; the court's decision on the proposal ({str(last['result'].get('decision'))[:20]}) is entry {last['seq']}"


def _recordings_check(state: _State, folder: Path | None) -> Check | None:
    """The negotiation's recordings (kept by the court) against the digests the record holds: checked when supplied;
    absent from the verdict when the record names none and none are supplied."""
    if not state.statement:
        return None
    if state.entries is None:  # the record check said why
        return Check("recordings", False, "the record's entries cannot be read")
    named = [(e.get("seq"), dict(e.get("parameters") or {})) for e in state.entries
             if e.get("operation") == "negotiation_recording"]  # fmt: skip
    if not named:
        return None if folder is None else Check("recordings", None, "not checked: the record names no recording")
    which = ", ".join(str(seq) for seq, _ in named)
    if folder is None:
        return Check("recordings", None, f"not checked: the record holds the digests of {len(named)} recording(s) "
                                         f"(entries {which}); the recordings stay with the court: give them with "
                                         "--recordings FOLDER")  # fmt: skip
    digests: dict[str, str] = {}
    for path in sorted(folder.iterdir()):
        if path.is_file() and not path.is_symlink():
            digest = hashlib.sha256()
            with path.open("rb") as handle:
                for chunk in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(chunk)
            digests[path.name] = digest.hexdigest()
    problems = []
    for seq, parameters in named:
        wanted, name = parameters.get("sha256"), parameters.get("file_name")
        if wanted in digests.values():
            continue
        if isinstance(name, str) and name in digests:
            problems.append(f"entry {seq}: {name} has sha256 {digests[name][:16]}…, the record says "
                            f"{str(wanted)[:16]}… (changed)")  # fmt: skip
        else:
            problems.append(f"entry {seq}: no file supplied has sha256 {str(wanted)[:16]}…"
                            + (f" ({name})" if isinstance(name, str) else ""))  # fmt: skip
    if problems:
        return Check("recordings", False, "; ".join(problems))
    return Check("recordings", True, f"{len(named)} of {len(named)} recording(s) match their digests (entries {which})")


def _model(state: _State) -> str:
    model = state.predicate.get("model") or {}
    folder = state.pack / "bag" / "data" / "model"
    if model.get("travels"):
        artifact = model.get("artifact", "model.joblib")  # packs sealed before surrogates travelled name none
        allowed = model_artifacts(str(state.predicate.get("schema_version")))
        if artifact not in allowed:
            raise _CheckFailedError(f"the statement names model artifact {str(artifact)[:40]!r}, not one of "
                                    f"{', '.join(allowed)}")  # fmt: skip
        path = folder / artifact
        if not path.is_file():
            raise _CheckFailedError(f"bag/data/model/{artifact} is missing")
        digest = sha256_bytes(_read(state.pack, f"bag/data/model/{artifact}", limit=MAX_FILE_BYTES))
        if digest != model.get("sha256"):
            raise _CheckFailedError(f"bag/data/model/{artifact} has sha256 {digest[:16]}…, not the sealed model's "
                          f"{str(model.get('sha256'))[:16]}… (the model was swapped)")  # fmt: skip
        card = folder / "model_card.json"
        if card.is_file():
            recorded = _object(state.pack, "bag/data/model/model_card.json").get("artifact") or {}
            if not isinstance(recorded, dict) or recorded.get("sha256") not in (None, digest):
                raise _CheckFailedError("bag/data/model/model_card.json names another artifact")
        what = MODEL_FORMATS[artifact]
        return f"the sealed model {model.get('name')} ({digest[:16]}…) travels with the pack: {artifact}, {what}"
    escrow = _object(state.pack, "bag/data/model/ESCROW.json")
    if escrow.get("sha256") != model.get("sha256"):
        raise _CheckFailedError("bag/data/model/ESCROW.json names another model than the statement")
    if model.get("sha256") is None or escrow.get("model_used") is False:
        if escrow.get("model_used") is not False or model.get("sha256") is not None:
            raise _CheckFailedError("bag/data/model/ESCROW.json and the statement disagree on whether a model was used")
        return "no model was used: the hearing was held on the guideline alone (bag/data/model/ESCROW.json)"
    return f"the model is held in escrow by {escrow.get('custodian')} (sha256 {str(model.get('sha256'))[:16]}…)"


def _docket_check(state: _State, digest: str | None) -> Check:
    if state.docket is None:
        return Check("docket", None, "not checked: no docket was given (--docket): cannot tell whether a newer "
                                     "pack supersedes this one")  # fmt: skip
    if not state.predicate:
        return Check("docket", False, "not checked: the statement could not be read")
    case_id, hearing_id = state.predicate.get("case_id"), state.predicate.get("hearing_id")
    mine = [e for e in state.docket.entries if e.case_id == case_id and e.hearing_id == hearing_id]
    if not mine:
        return Check("docket", False, f"case {case_id}, hearing {hearing_id} has no pack in the court's docket")
    latest = max(mine, key=lambda e: e.version)
    listed = next((e for e in mine if e.digest == digest), None)
    if listed is None:
        return Check("docket", False, "this pack's digest is not in the court's docket (not a pack the court sealed)")
    if listed.version != state.predicate.get("pack_version"):
        return Check("docket", False, f"the docket lists this digest as version {listed.version}, the pack says "
                                      f"{state.predicate.get('pack_version')}")  # fmt: skip
    if latest.digest != digest:
        return Check("docket", False, f"an older pack: version {listed.version} is superseded by version "
                                      f"{latest.version} ({latest.digest[:16]}…)")  # fmt: skip
    return Check("docket", True, f"the court's current pack for this hearing (version {latest.version})")


def verify_folder(
    pack: Path, label: str, anchors: TrustAnchors, docket: Docket | None, *, recordings: Path | None = None
) -> Verdict:
    """Every check on an unpacked pack; ``recordings``: the folder of the negotiation's recordings, when supplied."""
    if recordings is not None and (not recordings.is_dir() or recordings.is_symlink()):
        raise InputFileError(str(recordings), Rule.FILE_UNREADABLE, "the recordings must be a folder (--recordings)")
    state = _State(pack, anchors, docket)
    checks = [_check("profile", state, _profile), _check("bag", state, _bag), _check("signature", state, _signature)]
    checks.append(_check("statement", state, _statement, needs_statement=True))
    # The timestamp before the signer: whether the key was in force is judged at the timestamp's time.
    checks.append(_check("timestamp", state, _timestamp, needs_statement=True))
    checks.append(_check("signer", state, _signer, needs_statement=True))
    checks.append(_check("record", state, _record, needs_statement=True))
    checks.append(_check("model", state, _model, needs_statement=True))
    recorded = _recordings_check(state, recordings)
    if recorded is not None:
        checks.append(recorded)
    statement_file = pack / "seal" / "statement.json"
    digest = None
    if (
        statement_file.is_file()
        and not statement_file.is_symlink()
        and statement_file.stat().st_size <= MAX_PARSED_BYTES
    ):
        digest = sha256_bytes(statement_file.read_bytes())
    checks.append(_docket_check(state, digest))
    return Verdict(label, digest, tuple(checks), state.predicate)


def verify_pack(
    path: Path, anchors: TrustAnchors, docket: Docket | None = None, *, recordings: Path | None = None
) -> Verdict:
    """Every check on the pack at ``path`` (a folder, or a tar archive unpacked into a temporary folder); with
    ``recordings``, the negotiation's recordings against the digests in the record."""
    with opened_pack(path) as folder:
        if not folder.is_dir():
            raise InputFileError(str(path), Rule.PACK_MALFORMED, "not a pack folder")
        return verify_folder(folder, str(path), anchors, docket, recordings=recordings)
