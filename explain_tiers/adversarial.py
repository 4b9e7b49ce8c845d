"""The adversarial hearing of the algorithm (诉讼化听证): parties heard, the technician's signed answers, and the
court's disposition of every challenge finding, as entries of the hearing's hash-chained record.

These are statements, not queries of the algorithm, entered only through ``HearingService.state`` (a party's
objection or submission, the court's disposition of a finding) and ``HearingService.answer_finding`` (the
technician's answer, signed with the technician's own key). Each is an operation of the registry, so that the
record's chain, the sealed pack, ``verify`` and ``replay`` treat it like every other entry; on replay a technician's
answer is checked again against its signature.

A finding is named by a :class:`FindingRef`: the record's entry that holds the report (its ``seq``) and the
finding's number in that report (from 1), with the finding's kind and question as the report states them; the
hearing service builds it from the record, and the operation checks its form.

The technician's signature is Ed25519 over :func:`answer_payload` (canonical JSON naming the case, the model's
digest, the finding and the answer): a signature made for another case, model, finding or answer does not hold.
The signature check is handed in by the registry's assembler (``evidence_pack.signing``), the one adapter of the
cryptography library.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from explain_tiers.findings import FindingKind
from explain_tiers.governance import FILING_OPERATION
from explain_tiers.negotiation import check_fields, statement_maker, statement_text
from sentencing.canonical import canonical_json
from sentencing.errors import OperationInputError
from sentencing.excerpts import excerpt, one_line
from sentencing.i18n import Label
from sentencing.operations import Operation, OperationContext, OperationRegistry
from sentencing.untrusted import field_text_problem

__all__ = [
    "ADVERSARIAL_OPERATIONS",
    "ADVERSARIAL_SCHEMA_VERSION",
    "ANSWER_PAYLOAD_TYPE",
    "DISPOSITION_LABELS",
    "STATEMENT_SPEAKERS",
    "SUBMISSION_LABELS",
    "Disposition",
    "FindingRef",
    "SignatureCheck",
    "Submission",
    "answer_payload",
    "challenge_findings",
    "finding_of_entry",
    "register_adversarial_operations",
    "undisposed_findings",
]

ADVERSARIAL_SCHEMA_VERSION = "1.0"
ANSWER_PAYLOAD_TYPE = "voirdire/technician-answer/v1"
_TEXT_LIMIT = 4000
_USERNAME = re.compile(r"[A-Za-z0-9._\-]{1,64}")
_FINGERPRINT = re.compile(r"[0-9a-f]{64}")
_SIGNATURE = re.compile(r"[A-Za-z0-9+/]{86}==")  # an Ed25519 signature (64 bytes) in base64
_SUBMISSION_BASIS = ("刑事诉讼法第198条 CPL art. 198 (对证据和案件情况发表意见、互相辩论); 法释〔2021〕1号第71条 "
                     "(证据未经当庭出示、辨认、质证等法庭调查程序查证属实，不得作为定案的根据)")  # fmt: skip
_TECHNICIAN_BASIS = "刑事诉讼法第197条第2款 CPL art. 197 ¶2 (有专门知识的人出庭，就鉴定意见提出意见)"
_DISPOSITION_BASIS = "法释〔2021〕1号第71条 (质证的证据经法庭查证属实方可作为定案根据); 刑事诉讼法第55条 CPL art. 55"

# (public key PEM, signature in base64, the signed bytes) -> the key's fingerprint; raises ValueError when it fails
SignatureCheck = Callable[[str, str, bytes], str]


class Submission(StrEnum):
    OBJECTION = "objection"  # 异议: the party challenges a finding, an entry of the record, or the algorithm's use
    SUBMISSION = "submission"  # 意见: the party's submission on the algorithm's evidence


SUBMISSION_LABELS: dict[Submission, Label] = {
    Submission.OBJECTION: Label("异议（质证意见）", "objection"),
    Submission.SUBMISSION: Label("发表意见", "submission"),
}


class Disposition(StrEnum):
    UPHELD = "upheld"  # the challenge stands: the court does not rely on the algorithm as far as the finding goes
    REJECTED = "rejected"  # the challenge fails: the finding does not stop the court weighing the algorithm


DISPOSITION_LABELS: dict[Disposition, Label] = {
    Disposition.UPHELD: Label("质证意见成立，予以采纳", "upheld: the challenge stands"),
    Disposition.REJECTED: Label("质证意见不成立，不予采纳", "rejected: the challenge fails"),
}

# which role may enter which statement
STATEMENT_SPEAKERS: dict[str, frozenset[str]] = {
    "party_submission": frozenset({"defence", "prosecution", "duty_lawyer"}),
    "technician_answer": frozenset({"technician"}),
    "finding_disposition": frozenset({"judge"}),
}
ADVERSARIAL_OPERATIONS = frozenset(STATEMENT_SPEAKERS)


@dataclass(frozen=True)
class FindingRef:
    """A finding of a report the record holds: the report's entry, the finding's number in it (from 1), its kind,
    title and question as the report states them."""

    entry: int
    number: int
    kind: str
    title: Label
    question: Label

    def to_dict(self) -> dict[str, Any]:
        return {"entry": self.entry, "number": self.number, "kind": self.kind, "title": self.title.to_mapping(),
                "question": self.question.to_mapping()}  # fmt: skip

    @classmethod
    def parse(cls, operation: str, raw: object) -> FindingRef:
        where = "'finding'"
        if not isinstance(raw, Mapping) or set(raw) != {"entry", "number", "kind", "title", "question"}:
            raise OperationInputError(operation, f"{where} must be {{entry, number, kind, title, question}} (the "
                                      "hearing service names a finding of the record's report)")  # fmt: skip
        for name, top in (("entry", 10_000_000), ("number", 1000)):
            value = raw[name]
            if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= top:
                raise OperationInputError(operation, f"'finding.{name}' must be a whole number 1–{top}, found "
                                          f"{excerpt(value)}")  # fmt: skip
        if raw["kind"] not in {k.value for k in FindingKind}:
            raise OperationInputError(operation, f"'finding.kind' {excerpt(raw['kind'])}: no such kind of finding")
        labels = []
        for name in ("title", "question"):
            value = raw[name]
            if not isinstance(value, Mapping) or set(value) != {"zh-CN", "en"} or not all(
                isinstance(v, str) and v.strip() and field_text_problem(v, 2000) is None for v in value.values()
            ):  # fmt: skip
                raise OperationInputError(operation, f"'finding.{name}' must be the finding's {name} in zh-CN and "
                                          "en, plain text of at most 2000 characters")  # fmt: skip
            labels.append(Label(value["zh-CN"], value["en"]))
        return cls(int(raw["entry"]), int(raw["number"]), str(raw["kind"]), labels[0], labels[1])


def _report_findings(result: object) -> list[Any]:
    """A report's findings as its JSON holds them (a sentencing report's in its deep part, a risk report's at the
    top)."""
    if not isinstance(result, Mapping):
        return []
    found = result.get("findings") or (result.get("deep") or {}).get("findings") or []
    return list(found) if isinstance(found, list) else []


def finding_of_entry(entry: Mapping[str, Any], number: int, report_operations: frozenset[str]) -> FindingRef | None:
    """Finding ``number`` (from 1) of the report a record's entry holds (``{seq, operation, result}``), or of the
    model's filing entered when the hearing opened; None when there is no such finding."""
    if (
        entry.get("operation") not in report_operations | {FILING_OPERATION}
        or isinstance(number, bool)
        or not isinstance(number, int)
    ):
        return None
    findings = _report_findings(entry.get("result"))
    if not 1 <= number <= len(findings):
        return None
    found = findings[number - 1]
    return FindingRef(int(entry["seq"]), number, str(found["kind"]), Label(found["title"]["zh-CN"],
                      found["title"]["en"]), Label(found["question"]["zh-CN"], found["question"]["en"]))  # fmt: skip


def challenge_findings(entries: Sequence[Mapping[str, Any]], report_operations: frozenset[str]) -> list[FindingRef]:
    """The findings the court must dispose of before its ruling: every finding of the last deep report the record
    holds (the report a party escalated to, for a disputed case), of the model's filing (the model answering is
    not the filed one), and every finding a party's objection names."""
    deep = [e for e in entries if e.get("operation") in report_operations
            and (e.get("parameters") or {}).get("tier") == "deep"]  # fmt: skip
    found: dict[tuple[int, int], FindingRef] = {}
    if deep:
        last = deep[-1]
        for number in range(1, len(_report_findings(last.get("result"))) + 1):
            ref = finding_of_entry(last, number, report_operations)
            if ref is not None:
                found[(ref.entry, ref.number)] = ref
    for entry in entries:
        if entry.get("operation") == FILING_OPERATION:
            for number in range(1, len(_report_findings(entry.get("result"))) + 1):
                ref = finding_of_entry(entry, number, report_operations)
                if ref is not None:
                    found[(ref.entry, ref.number)] = ref
        named = (entry.get("result") or {}).get("finding") if entry.get("operation") == "party_submission" else None
        if named and (entry.get("result") or {}).get("kind") == Submission.OBJECTION.value:
            ref = FindingRef.parse("party_submission", named)
            found.setdefault((ref.entry, ref.number), ref)
    return [found[key] for key in sorted(found)]


def undisposed_findings(entries: Sequence[Mapping[str, Any]], report_operations: frozenset[str]) -> list[FindingRef]:
    """The challenge findings the record holds no disposition of (``finding_disposition``) yet."""
    disposed: dict[object, set[object]] = {}
    for entry in entries:
        if entry.get("operation") == "finding_disposition":
            finding = (entry.get("result") or {}).get("finding") or {}
            disposed.setdefault(finding.get("entry", 0), set()).add(finding.get("number"))
    return [ref for ref in challenge_findings(entries, report_operations)
            if ref.number not in disposed.get(ref.entry, set())]  # fmt: skip


def answer_payload(case_id: str, model_sha256: str, finding: Mapping[str, Any], answer: str, technician: str) -> bytes:
    """The bytes the technician signs: what was asked (the case, the model, the finding) and what was answered."""
    return canonical_json({"type": ANSWER_PAYLOAD_TYPE, "case_id": case_id, "model_sha256": model_sha256,
                           "finding": dict(finding), "answer": answer, "technician": technician})  # fmt: skip


def _run_submission(case: Any, parameters: Mapping[str, Any], context: OperationContext) -> dict[str, Any]:
    del case, context
    op = "party_submission"
    check_fields(op, parameters, {"made_by", "kind", "text", "on_entry", "finding"})
    made_by = statement_maker(op, parameters, STATEMENT_SPEAKERS[op])
    if parameters.get("kind") not in {k.value for k in Submission}:
        raise OperationInputError(op, f"'kind' must be one of {', '.join(k.value for k in Submission)}, found "
                                  f"{excerpt(parameters.get('kind'))}")  # fmt: skip
    kind = Submission(parameters["kind"])
    on_entry = parameters.get("on_entry")
    if on_entry is not None and (isinstance(on_entry, bool) or not isinstance(on_entry, int)
                                 or not 1 <= on_entry <= 10_000_000):  # fmt: skip
        raise OperationInputError(op, f"'on_entry' must be the number of an entry of the record, found "
                                  f"{excerpt(on_entry)}")  # fmt: skip
    finding = None if parameters.get("finding") is None else FindingRef.parse(op, parameters["finding"])
    text = statement_text(op, parameters, "text", required=True, limit=_TEXT_LIMIT)
    return {"schema_version": ADVERSARIAL_SCHEMA_VERSION, "made_by": made_by, "kind": kind.value,
            "kind_label": SUBMISSION_LABELS[kind].to_mapping(), "text": text,
            "on_entry": on_entry, "finding": None if finding is None else finding.to_dict(),
            "basis": _SUBMISSION_BASIS}  # fmt: skip


def _answer_runner(check: SignatureCheck) -> Callable[[Any, Mapping[str, Any], OperationContext], dict[str, Any]]:
    def run(case: Any, parameters: Mapping[str, Any], context: OperationContext) -> dict[str, Any]:
        op = "technician_answer"
        check_fields(op, parameters, {"made_by", "technician", "finding", "answer", "public_key", "signature"})
        made_by = statement_maker(op, parameters, STATEMENT_SPEAKERS[op])
        technician = parameters.get("technician")
        if not isinstance(technician, str) or not _USERNAME.fullmatch(technician):
            raise OperationInputError(op, f"'technician' must be the technician's user name, found "
                                      f"{excerpt(technician)}")  # fmt: skip
        finding = FindingRef.parse(op, parameters.get("finding"))
        answer = statement_text(op, parameters, "answer", required=True, limit=_TEXT_LIMIT)
        public_key, signature = parameters.get("public_key"), parameters.get("signature")
        if not isinstance(public_key, str) or len(public_key) > 1000 or "PUBLIC KEY" not in public_key:
            raise OperationInputError(op, "'public_key' must be the technician's public key (PEM)")
        if not isinstance(signature, str) or not _SIGNATURE.fullmatch(signature):
            raise OperationInputError(op, f"'signature' must be an Ed25519 signature in base64, found "
                                      f"{excerpt(signature)}")  # fmt: skip
        payload = answer_payload(
            case.case_id, context.answering.identity.sha256 or "", finding.to_dict(), answer, technician
        )
        try:
            fingerprint = check(public_key, signature, payload)
        except ValueError as error:
            raise OperationInputError(op, f"'signature': {one_line(str(error), 160)} (the answer, the finding, the "
                                      "case or the model is not the one signed)") from None  # fmt: skip
        return {"schema_version": ADVERSARIAL_SCHEMA_VERSION, "made_by": made_by, "technician": technician,
                "finding": finding.to_dict(), "answer": answer, "key_fingerprint": fingerprint,
                "signed": {"type": ANSWER_PAYLOAD_TYPE, "algorithm": "Ed25519", "signature": signature},
                "basis": _TECHNICIAN_BASIS}  # fmt: skip

    return run


def _run_disposition(case: Any, parameters: Mapping[str, Any], context: OperationContext) -> dict[str, Any]:
    del case, context
    op = "finding_disposition"
    check_fields(op, parameters, {"made_by", "finding", "disposition", "reasons"})
    made_by = statement_maker(op, parameters, STATEMENT_SPEAKERS[op])
    finding = FindingRef.parse(op, parameters.get("finding"))
    if parameters.get("disposition") not in {d.value for d in Disposition}:
        raise OperationInputError(op, f"'disposition' must be one of {', '.join(d.value for d in Disposition)}, "
                                  f"found {excerpt(parameters.get('disposition'))}")  # fmt: skip
    disposition = Disposition(parameters["disposition"])
    reasons = statement_text(op, parameters, "reasons", required=True, limit=_TEXT_LIMIT)
    return {"schema_version": ADVERSARIAL_SCHEMA_VERSION, "made_by": made_by, "finding": finding.to_dict(),
            "disposition": disposition.value, "disposition_label": DISPOSITION_LABELS[disposition].to_mapping(),
            "reasons": reasons, "basis": _DISPOSITION_BASIS}  # fmt: skip


def register_adversarial_operations(registry: OperationRegistry, signature_check: SignatureCheck) -> None:
    """The three statements, for every kind of case (a risk report's findings are challenged the same way)."""
    kinds = frozenset(registry.kinds.names())
    for name, function, label, parameters in (
        ("party_submission", _run_submission, Label("当事方的异议或意见", "a party's objection or submission"),
         {"made_by", "kind", "text", "on_entry", "finding"}),
        ("technician_answer", _answer_runner(signature_check),
         Label("技术人员对质证理由所提问题的回答（签名）", "the technician's signed answer to a finding's question"),
         {"made_by", "technician", "finding", "answer", "public_key", "signature"}),
        ("finding_disposition", _run_disposition, Label("法庭对质证理由的认定", "the court's disposition of a finding"),
         {"made_by", "finding", "disposition", "reasons"}),
    ):  # fmt: skip
        registry.register(
            Operation(
                name,
                "1",
                function,
                label,
                frozenset(parameters),
                kinds,
                statement=True,
                model_free=name != "technician_answer",
            )
        )  # an answer is signed over the model
