"""The model's filing (备案) and review entered in the hearing's record, with a finding when the model answering is
not the one filed.

When a hearing opens before a registered model whose filing the court recorded (``sentencing.filing``), the clerk's
entry ``model_filing`` states the filing — number, authority, risk level, assessment and ethics-review dates, the
filed model's sha256 — beside the sha256 of the model that answers in this hearing. When they differ, the entry
carries a finding (high severity) that the court must dispose of before its ruling, like a report's findings
(``explain_tiers.adversarial.challenge_findings``). The entry is an operation of the registry: sealed, verified and
run again on replay against the sealed model, which gives the same result.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from explain_tiers.findings import Finding, FindingBasis, FindingKind, Severity
from explain_tiers.negotiation import check_fields, statement_maker, statement_text
from sentencing.errors import InputError, OperationInputError
from sentencing.excerpts import excerpt
from sentencing.filing import RISK_LEVEL_LABELS, parse_filing
from sentencing.i18n import Label
from sentencing.operations import Operation, OperationContext, OperationRegistry
from sentencing.proposal import read_date

__all__ = [
    "FILING_OPERATION",
    "GOVERNANCE_SCHEMA_VERSION",
    "NOTICE_OPERATION",
    "STATEMENT_SPEAKERS",
    "refusal_entry",
    "register_governance_operations",
]

GOVERNANCE_SCHEMA_VERSION = "1.0"
FILING_OPERATION = "model_filing"
NOTICE_OPERATION = "ai_notice"
STATEMENT_SPEAKERS: dict[str, frozenset[str]] = {FILING_OPERATION: frozenset({"clerk"}),
                                                 NOTICE_OPERATION: frozenset({"clerk", "judge"})}  # fmt: skip
_NOTICE_BASIS = ("法发〔2022〕33号 第5条 (辅助审判原则：各类用户有权选择是否利用司法人工智能提供的辅助，"
                 "有权随时退出与人工智能产品和服务的交互)")  # fmt: skip
_MEANS = {"written": Label("书面告知", "in writing"), "oral": Label("口头告知并记录在案", "orally, on the record")}
_BASIS = ("法发〔2022〕33号 第3条、第6条 (依法研发、部署和运行；可解释、可测试、可验证、可问责); "
          "《互联网信息服务算法推荐管理规定》第24条 (算法备案)")  # fmt: skip


def _not_filed(filed: str, answering: str, number: str) -> Finding:
    return Finding(
        FindingKind.MODEL_NOT_THE_FILED_ONE, Severity.HIGH,
        Label("作出回答的模型不是备案的模型", "The model that answers is not the filed one"),
        Label(f"备案号 {number} 所备案模型的 sha256 为 {filed[:16]}…，本庭审中作出回答的模型为 {answering[:16]}…。",
              f"Filing {number} names the model with sha256 {filed[:16]}…; the model answering in this hearing is "
              f"{answering[:16]}…."),
        Label("模型在备案之后是否被修改或替换？修改后的模型是否重新评估、备案和伦理审查？",
              "Was the model changed or replaced after it was filed? Was the changed model assessed, filed and "
              "reviewed again?"),
        FindingBasis.MODEL, _BASIS, (("filed_sha256", filed), ("answering_sha256", answering)),
    )  # fmt: skip


def _run_filing(case: Any, parameters: Mapping[str, Any], context: OperationContext) -> dict[str, Any]:
    del case
    op = FILING_OPERATION
    check_fields(op, parameters, {"made_by", "filing"})
    statement_maker(op, parameters, STATEMENT_SPEAKERS[op])
    try:
        filing = parse_filing(parameters.get("filing"))
    except InputError as error:
        raise OperationInputError(op, str(error)) from None
    answering = context.answering.identity.sha256 or ""
    matches = answering == filing.model_sha256
    findings = [] if matches else [_not_filed(filing.model_sha256, answering, filing.number).to_dict()]
    return {"schema_version": GOVERNANCE_SCHEMA_VERSION, "made_by": "clerk", "filing": filing.to_dict(),
            "risk_level_label": RISK_LEVEL_LABELS[filing.risk_level].to_mapping(), "answering_sha256": answering,
            "matches": matches, "findings": findings, "basis": _BASIS}  # fmt: skip


def _run_notice(case: Any, parameters: Mapping[str, Any], context: OperationContext) -> dict[str, Any]:
    del case, context
    op = NOTICE_OPERATION
    check_fields(op, parameters, {"made_by", "notified_on", "means", "refused", "note"})
    statement_maker(op, parameters, STATEMENT_SPEAKERS[op])
    notified, broken = read_date(parameters.get("notified_on"))
    if broken is not None:
        raise OperationInputError(op, f"'notified_on': {broken[1]}")
    if parameters.get("means") not in _MEANS:
        raise OperationInputError(op, f"'means' must be written or oral, found {excerpt(parameters.get('means'))}")
    refused = parameters.get("refused")
    if not isinstance(refused, bool):
        raise OperationInputError(op, f"'refused' must be true or false, found {excerpt(refused)}")
    note = statement_text(op, parameters, "note", required=False)
    assert notified is not None
    said = (Label("被告人经告知本案使用人工智能辅助量刑后，拒绝使用；本案仅依量刑指导意见审理。",
                  "Told that artificial intelligence assists sentencing in this case, the defendant refused it; the "
                  "case proceeds on the guideline alone.") if refused else
            Label("已告知被告人本案使用人工智能辅助量刑，被告人未拒绝。",
                  "The defendant was told that artificial intelligence assists sentencing in this case and did not "
                  "refuse it."))  # fmt: skip
    return {"schema_version": GOVERNANCE_SCHEMA_VERSION, "made_by": parameters["made_by"],
            "notified_on": notified.isoformat(), "means": parameters["means"],
            "means_label": _MEANS[parameters["means"]].to_mapping(), "refused": refused, "note": note,
            "statement": said.to_mapping(), "basis": _NOTICE_BASIS}  # fmt: skip


def refusal_entry(entries: Sequence[Mapping[str, Any]]) -> int | None:
    """The entry of the record where the defendant refused the algorithm's assistance (the latest notice decides:
    a defendant who refused and then accepted, or the reverse, is held to the last word); None when not refused."""
    notices = [e for e in entries if e.get("operation") == NOTICE_OPERATION]
    if not notices or not (notices[-1].get("result") or {}).get("refused"):
        return None
    return int(notices[-1]["seq"])


def register_governance_operations(registry: OperationRegistry) -> None:
    registry.register(Operation(FILING_OPERATION, "1", _run_filing,
                                Label("模型的备案与审查", "the model's filing and review"),
                                frozenset({"made_by", "filing"}), frozenset(registry.kinds.names()),
                                statement=True))  # fmt: skip
    registry.register(Operation(NOTICE_OPERATION, "1", _run_notice,
                                Label("告知被告人使用人工智能及其是否拒绝",
                                      "notice to the defendant that AI is used, and whether they refused it"),
                                frozenset({"made_by", "notified_on", "means", "refused", "note"}),
                                frozenset(registry.kinds.names()), statement=True, model_free=True))  # fmt: skip
