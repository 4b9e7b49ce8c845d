"""The plea negotiation and the court's decision on the proposal, as entries of the hearing's hash-chained record.

These are statements, not queries of the algorithm: the procuratorate's offers and its adjusted proposal, the
defence's counter-offers, acceptance or refusal, the duty lawyer's (值班律师) opinion on the proposal, the digest of
the audio or video recording of the negotiation, the court's leave for a duty lawyer to query in open court, and
the court's decision on the proposal (CPL art. 201). Each is an operation of the registry, so that the record's
chain, the sealed pack, ``verify`` and ``replay`` treat it exactly as every other entry: its parameters are what
the party said (checked here), its result that statement in canonical form, and, for terms offered, where they
stand against the guideline at the plea's stage (``explain_tiers.proposal_review``). Running one again on replay
gives the same result.

The hearing service enters them only through ``HearingService.state`` (and the decision only with the judge's
citation), never as queries: :data:`STATEMENT_SPEAKERS` says which role may say which; ``made_by`` is the role
of the party who entered it, set by the service, and an entry whose ``made_by`` is not a role allowed to make it
is refused here as well, on replay too.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from explain_tiers.proposal_review import ART_201_CHECKLIST, ChecklistItem, review_proposal
from sentencing.case import Case
from sentencing.errors import CaseValidationError, OperationInputError
from sentencing.excerpts import excerpt, one_line
from sentencing.guideline import MonthRange, Penalty
from sentencing.i18n import Label
from sentencing.jurisdiction import load_jurisdiction
from sentencing.operations import Operation, OperationContext, OperationRegistry
from sentencing.proposal import Proposal, parse_proposal, proposal_from_canonical, read_date
from sentencing.untrusted import field_text_problem

__all__ = [
    "DECISION_LABELS",
    "NEGOTIATION_SCHEMA_VERSION",
    "OFFER_KIND_LABELS",
    "OFFER_MAKERS",
    "STATEMENT_OPERATIONS",
    "STATEMENT_SPEAKERS",
    "Decision",
    "OfferKind",
    "Stance",
    "TermsStanding",
    "check_fields",
    "register_negotiation_operations",
    "statement_maker",
    "statement_text",
    "terms_proposal",
]

NEGOTIATION_SCHEMA_VERSION = "1.0"
_TEXT_LIMIT = 2000
_SHA256 = re.compile(r"[0-9a-f]{64}")
_FILE_NAME = re.compile(r"[A-Za-z0-9._\-]{1,120}")
_USERNAME = re.compile(r"[A-Za-z0-9._\-]{1,64}")
_TERMS = {"penalty", "term_months", "fine_yuan", "probation", "probation_months"}
_ART_201 = "刑事诉讼法第201条 CPL art. 201"
_DUTY_LAWYER_BASIS = ("刑事诉讼法第36条、第173条、第174条 CPL arts. 36, 173, 174 "
                      "(值班律师提供法律帮助、对量刑建议提出意见、签署具结书时在场)")  # fmt: skip
_RECORDING_BASIS = ("《人民检察院办理认罪认罚案件听取意见同步录音录像规定》(2021) "
                    "(the negotiation recorded on audio or video)")  # fmt: skip
_NEGOTIATION_BASIS = "刑事诉讼法第173条、第174条 CPL arts. 173–174"


class OfferKind(StrEnum):
    OFFER = "offer"  # the procuratorate's offer of terms in the negotiation (量刑协商)
    COUNTER_OFFER = "counter_offer"  # the defence's (or duty lawyer's) counter-proposal
    ACCEPTANCE = "acceptance"  # the defendant, with counsel, accepts the offer answered
    REFUSAL = "refusal"  # the defendant refuses the offer answered
    ADJUSTED_PROPOSAL = "adjusted_proposal"  # the procuratorate adjusts its proposal after the court asks (art. 201 ¶2)


OFFER_KIND_LABELS: dict[OfferKind, Label] = {
    OfferKind.OFFER: Label("检察机关提出量刑意见", "the procuratorate's offer"),
    OfferKind.COUNTER_OFFER: Label("辩方提出量刑意见（反提议）", "the defence's counter-offer"),
    OfferKind.ACCEPTANCE: Label("被告人同意量刑意见", "the defendant accepts the offer"),
    OfferKind.REFUSAL: Label("被告人不同意量刑意见", "the defendant refuses the offer"),
    OfferKind.ADJUSTED_PROPOSAL: Label("检察机关调整量刑建议", "the procuratorate's adjusted proposal"),
}

# who may make each kind of offer (roles of the hearing's parties)
OFFER_MAKERS: dict[OfferKind, frozenset[str]] = {
    OfferKind.OFFER: frozenset({"prosecution"}),
    OfferKind.ADJUSTED_PROPOSAL: frozenset({"prosecution"}),
    OfferKind.COUNTER_OFFER: frozenset({"defence", "duty_lawyer"}),
    OfferKind.ACCEPTANCE: frozenset({"defence", "duty_lawyer"}),
    OfferKind.REFUSAL: frozenset({"defence", "duty_lawyer"}),
}
_WITH_TERMS = frozenset({OfferKind.OFFER, OfferKind.COUNTER_OFFER, OfferKind.ADJUSTED_PROPOSAL})


class Stance(StrEnum):
    AGREES = "agrees"
    OBJECTS = "objects"


_STANCE_LABELS = {Stance.AGREES: Label("同意量刑建议", "agrees with the proposal"),
                  Stance.OBJECTS: Label("对量刑建议提出异议", "objects to the proposal")}  # fmt: skip


class Decision(StrEnum):
    """The court's decision on the proposal (CPL art. 201)."""

    ADOPTED = "adopted"  # ¶1: the court generally should adopt it
    ADJUSTED = "adjusted"  # ¶2: the court asked, the procuratorate adjusted, the court adopts the adjusted proposal
    REJECTED = "rejected"  # ¶1 (一)–(五), or ¶2 when the procuratorate does not adjust or it stays clearly improper


DECISION_LABELS: dict[Decision, Label] = {
    Decision.ADOPTED: Label("采纳量刑建议", "the proposal is adopted"),
    Decision.ADJUSTED: Label("经建议检察机关调整后采纳调整后的量刑建议（第201条第2款）",
                             "the court asked the procuratorate to adjust it and adopts the adjusted proposal "
                             "(art. 201 ¶2)"),
    Decision.REJECTED: Label("不采纳量刑建议，依法作出判决", "the proposal is not adopted; the court decides by law"),
}  # fmt: skip

# which role may enter which statement (the decision only with the judge's citation)
STATEMENT_SPEAKERS: dict[str, frozenset[str]] = {
    "negotiation_offer": frozenset({"prosecution", "defence", "duty_lawyer"}),
    "proposal_opinion": frozenset({"defence", "duty_lawyer"}),
    "negotiation_recording": frozenset({"prosecution", "defence", "duty_lawyer", "clerk"}),
    "court_leave": frozenset({"judge"}),
    "proposal_decision": frozenset({"judge"}),
}
STATEMENT_OPERATIONS = frozenset(STATEMENT_SPEAKERS)


def check_fields(operation: str, parameters: Mapping[str, Any], allowed: set[str], where: str = "") -> None:
    """A statement's parameters hold no field but ``allowed`` (``where``: the prefix of a nested object's fields)."""
    unknown = sorted(set(parameters) - allowed)
    if unknown:
        raise OperationInputError(operation, f"'{where}{one_line(str(unknown[0]), 40)}': no such field; takes "
                                  f"{', '.join(sorted(allowed))}")  # fmt: skip


def statement_maker(operation: str, parameters: Mapping[str, Any], allowed: frozenset[str]) -> str:
    """The role that made a statement (``made_by``, set by the hearing service), one of ``allowed``."""
    role = parameters.get("made_by")
    if role not in allowed:
        raise OperationInputError(operation, f"'made_by' {excerpt(role)}: only {', '.join(sorted(allowed))} may make "
                                  "this statement")  # fmt: skip
    return str(role)


def statement_text(
    operation: str, parameters: Mapping[str, Any], name: str, *, required: bool, limit: int = _TEXT_LIMIT
) -> str:
    """A statement's text field: plain text of at most ``limit`` characters (said in words when ``required``),
    stripped."""
    raw = parameters.get(name, "")
    if not isinstance(raw, str):
        raise OperationInputError(operation, f"{name!r} must be text, found {excerpt(raw)}")
    if required and not raw.strip():
        raise OperationInputError(operation, f"{name!r} is required: say it in words")
    problem = field_text_problem(raw, limit)
    if problem:
        raise OperationInputError(operation, f"{name!r} {problem}")
    return raw.strip()


def _date(operation: str, parameters: Mapping[str, Any], name: str) -> str:
    value, broken = read_date(parameters.get(name))
    if broken is not None:
        raise OperationInputError(operation, f"{name!r}: {broken[1]}")
    assert value is not None
    return value.isoformat()


def _entry_number(operation: str, parameters: Mapping[str, Any], name: str) -> int | None:
    raw = parameters.get(name)
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, int) or not 1 <= raw <= 10_000_000:
        raise OperationInputError(operation, f"{name!r} must be the number of an entry of the record, found "
                                  f"{excerpt(raw)}")  # fmt: skip
    return raw


def _case_proposal(operation: str, case: Case) -> dict[str, Any]:
    if case.proposal is None:
        raise OperationInputError(operation, "the case holds no sentencing proposal (its 'proposal'): the negotiation "
                                  "and the decision concern one")  # fmt: skip
    document: dict[str, Any] = json.loads(case.proposal)
    return document


def terms_proposal(case: Case, terms: object, operation: str = "negotiation_offer", tool: object = None) -> Proposal:
    """The case's proposal with other terms (penalty, term, fine, probation) and the tool, if any, that produced
    them: an offer or an adjusted proposal, checked by every rule a proposal is checked by (``sentencing.proposal``),
    the field named ``terms.…`` (``tool.…``)."""
    if not isinstance(terms, dict):
        raise OperationInputError(operation, f"'terms' must be an object with {sorted(_TERMS)}, found "
                                  f"{excerpt(terms)}")  # fmt: skip
    check_fields(operation, terms, _TERMS, "terms.")
    if "penalty" not in terms:
        raise OperationInputError(operation, "'terms.penalty' is required (fixed_term, detention, non_custodial or "
                                  "exemption)")  # fmt: skip
    document = {k: v for k, v in _case_proposal(operation, case).items() if k not in _TERMS | {"tool"}}
    document.update(terms)
    document.setdefault("probation", False)
    if tool is not None:
        document["tool"] = tool
    try:
        return parse_proposal(document, charge=case.charge, jurisdiction=load_jurisdiction(case.jurisdiction))
    except CaseValidationError as error:
        first = error.violations[0]
        field = first.field.replace("proposal.", "" if first.field.startswith("proposal.tool") else "terms.", 1)
        raise OperationInputError(operation, f"{field!r}: {first.message} [{first.rule}]") from None


def _terms_document(proposal: Proposal) -> dict[str, Any]:
    document = proposal.to_document()
    return {k: document[k] for k in sorted(_TERMS) if k in document}


def _tool(proposal: Proposal) -> dict[str, Any] | None:
    return proposal.to_document().get("tool")


@dataclass(frozen=True)
class TermsStanding:
    """Where proposed terms stand against the guideline at the plea's stage."""

    label: Label
    stage: str
    guideline_months: float
    judicial_band: MonthRange
    inside_band: bool
    inside_limits: bool
    findings: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label.to_mapping(), "plea_stage": self.stage, "guideline_months": self.guideline_months,
                "judicial_band_months": [self.judicial_band.low, self.judicial_band.high],
                "inside_band": self.inside_band, "inside_limits": self.inside_limits,
                "findings": list(self.findings)}  # fmt: skip


def _standing(case: Case, proposal: Proposal, court_model_sha256: str | None) -> TermsStanding:
    """With the court's model digest, a proposal produced by that very model is a finding."""
    review = review_proposal(case, proposal, model_sha256=court_model_sha256)
    return TermsStanding(proposal.term_label(), proposal.plea_stage.value, review.derivation.recommended_months,
                         review.derivation.judicial_band, review.inside_band, review.inside_limits,
                         tuple(f.kind.value for f in review.findings))  # fmt: skip


def _run_offer(case: Case, parameters: Mapping[str, Any], context: OperationContext) -> dict[str, Any]:
    op = "negotiation_offer"
    check_fields(op, parameters, {"made_by", "kind", "made_on", "terms", "responds_to", "note", "tool"})
    if parameters.get("kind") not in {k.value for k in OfferKind}:
        raise OperationInputError(op, f"'kind' must be one of {', '.join(k.value for k in OfferKind)}, found "
                                  f"{excerpt(parameters.get('kind'))}")  # fmt: skip
    kind = OfferKind(parameters["kind"])
    made_by = statement_maker(op, parameters, OFFER_MAKERS[kind])
    made_on = _date(op, parameters, "made_on")
    responds_to = _entry_number(op, parameters, "responds_to")
    if kind in (OfferKind.ACCEPTANCE, OfferKind.REFUSAL) and responds_to is None:
        raise OperationInputError(op, f"'responds_to' is required: the entry of the offer the {kind.value} answers")
    note = statement_text(op, parameters, "note", required=False)
    standing = terms = tool = None
    if kind in _WITH_TERMS:
        if "terms" not in parameters:
            raise OperationInputError(op, f"'terms' is required for {kind.value}")
        if "tool" in parameters and made_by != "prosecution":
            raise OperationInputError(op, "'tool' names the procuratorate's sentencing assistant: given with its "
                                      "offers only")  # fmt: skip
        proposal = terms_proposal(case, parameters["terms"], op, parameters.get("tool"))
        terms, tool = _terms_document(proposal), _tool(proposal)
        standing = _standing(case, proposal, None if context.model is None else context.model.identity.sha256)
    elif "terms" in parameters or "tool" in parameters:
        raise OperationInputError(op, f"'terms' and 'tool' are not given with {kind.value} (it answers the offer in "
                                  "'responds_to')")  # fmt: skip
    else:
        _case_proposal(op, case)
    return {
        "schema_version": NEGOTIATION_SCHEMA_VERSION,
        "kind": kind.value,
        "kind_label": OFFER_KIND_LABELS[kind].to_mapping(),
        "made_by": made_by,
        "made_on": made_on,
        "responds_to": responds_to,
        "note": note,
        "terms": terms,
        "tool": tool,
        "standing": None if standing is None else standing.to_dict(),
        "basis": _ART_201 if kind is OfferKind.ADJUSTED_PROPOSAL else _NEGOTIATION_BASIS,
    }


def _run_opinion(case: Case, parameters: Mapping[str, Any], context: OperationContext) -> dict[str, Any]:
    del context
    op = "proposal_opinion"
    check_fields(op, parameters, {"made_by", "stance", "text", "on_entry"})
    made_by = statement_maker(op, parameters, STATEMENT_SPEAKERS[op])
    if parameters.get("stance") not in {s.value for s in Stance}:
        raise OperationInputError(op, f"'stance' must be one of {', '.join(s.value for s in Stance)}, found "
                                  f"{excerpt(parameters.get('stance'))}")  # fmt: skip
    stance = Stance(parameters["stance"])
    text = statement_text(op, parameters, "text", required=True)
    on_entry = _entry_number(op, parameters, "on_entry")
    _case_proposal(op, case)
    return {"schema_version": NEGOTIATION_SCHEMA_VERSION, "made_by": made_by, "stance": stance.value,
            "stance_label": _STANCE_LABELS[stance].to_mapping(), "text": text, "on_entry": on_entry,
            "basis": _DUTY_LAWYER_BASIS}  # fmt: skip


def _run_recording(case: Case, parameters: Mapping[str, Any], context: OperationContext) -> dict[str, Any]:
    del case, context
    op = "negotiation_recording"
    check_fields(op, parameters, {"made_by", "sha256", "media", "recorded_on", "duration_seconds", "file_name",
                           "description"})  # fmt: skip
    made_by = statement_maker(op, parameters, STATEMENT_SPEAKERS[op])
    digest = parameters.get("sha256")
    if not isinstance(digest, str) or not _SHA256.fullmatch(digest):
        raise OperationInputError(op, f"'sha256' must be 64 lowercase hex digits (sha256sum of the recording), found "
                                  f"{excerpt(digest)}")  # fmt: skip
    media = parameters.get("media")
    if media not in ("audio", "video"):
        raise OperationInputError(op, f"'media' must be audio or video, found {excerpt(media)}")
    duration = parameters.get("duration_seconds")
    if isinstance(duration, bool) or not isinstance(duration, int | float) or not math.isfinite(duration) \
            or not 0 < duration <= 86_400:  # fmt: skip
        raise OperationInputError(op, f"'duration_seconds' must be a number above 0 and at most 86400, found "
                                  f"{excerpt(duration)}")  # fmt: skip
    name = parameters.get("file_name")
    if name is not None and (not isinstance(name, str) or not _FILE_NAME.fullmatch(name) or name in (".", "..")):
        raise OperationInputError(op, f"'file_name' must be a plain file name (letters, digits, . _ -; at most 120), "
                                  f"found {excerpt(name)}")  # fmt: skip
    return {"schema_version": NEGOTIATION_SCHEMA_VERSION, "made_by": made_by, "sha256": digest, "media": media,
            "recorded_on": _date(op, parameters, "recorded_on"), "duration_seconds": float(duration),
            "file_name": name, "description": statement_text(op, parameters, "description", required=False),
            "basis": _RECORDING_BASIS}  # fmt: skip


def _run_leave(case: Case, parameters: Mapping[str, Any], context: OperationContext) -> dict[str, Any]:
    del case, context
    op = "court_leave"
    check_fields(op, parameters, {"made_by", "username", "reasons"})
    made_by = statement_maker(op, parameters, STATEMENT_SPEAKERS[op])
    username = parameters.get("username")
    if not isinstance(username, str) or not _USERNAME.fullmatch(username):
        raise OperationInputError(op, f"'username' must be the duty lawyer's user name, found {excerpt(username)}")
    return {"schema_version": NEGOTIATION_SCHEMA_VERSION, "made_by": made_by, "username": username,
            "scope": "open_court_queries", "reasons": statement_text(op, parameters, "reasons", required=False),
            "label": Label(f"法庭准许值班律师 {username} 当庭向算法提问",
                           f"the court gives duty lawyer {username} leave to query the algorithm in open "
                           "court").to_mapping()}  # fmt: skip


def _ground(op: str, raw: object) -> ChecklistItem:
    grounds = {item.id: item for item in ART_201_CHECKLIST}
    if raw not in grounds:
        raise OperationInputError(op, f"'ground' must be one of {', '.join(grounds)} (CPL art. 201), found "
                                  f"{excerpt(raw)}")  # fmt: skip
    return grounds[str(raw)]


def _within(months: float, proposal: Proposal) -> bool:
    if proposal.penalty not in (Penalty.DETENTION, Penalty.FIXED_TERM):
        return False
    return proposal.term.low - 1e-9 <= months <= proposal.term.high + 1e-9


def _run_decision(case: Case, parameters: Mapping[str, Any], context: OperationContext) -> dict[str, Any]:
    op = "proposal_decision"
    court_model = None if context.model is None else context.model.identity.sha256
    check_fields(op, parameters, {"made_by", "decision", "ground", "reasons", "adopted_months", "adjusted"})
    made_by = statement_maker(op, parameters, STATEMENT_SPEAKERS[op])
    if parameters.get("decision") not in {d.value for d in Decision}:
        raise OperationInputError(op, f"'decision' must be one of {', '.join(d.value for d in Decision)}, found "
                                  f"{excerpt(parameters.get('decision'))}")  # fmt: skip
    decision = Decision(parameters["decision"])
    months = parameters.get("adopted_months")
    if isinstance(months, bool) or not isinstance(months, int | float) or not 0 < months <= 600:
        raise OperationInputError(op, f"'adopted_months' must be the term the court adopts (0–600 months), found "
                                  f"{excerpt(months)}")  # fmt: skip
    reasons = statement_text(op, parameters, "reasons", required=decision is not Decision.ADOPTED)
    _case_proposal(op, case)
    original = proposal_from_canonical(str(case.proposal))
    standing = _standing(case, original, court_model)
    adjusted = parameters.get("adjusted")
    adjusted_standing = None
    adjusted_entry = None
    if decision is Decision.ADJUSTED:
        if not isinstance(adjusted, dict) or set(adjusted) != {"entry", "terms"}:
            raise OperationInputError(op, "'adjusted' must name the record's entry of the procuratorate's adjusted "
                                      "proposal and its terms: {entry, terms}")  # fmt: skip
        adjusted_entry = _entry_number(op, adjusted, "entry")
        adopted = terms_proposal(case, adjusted["terms"], op)
        adjusted_standing = _standing(case, adopted, court_model)
    elif adjusted is not None:
        raise OperationInputError(op, f"'adjusted' is given only when the decision is adjusted, not {decision.value}")
    else:
        adopted = original
    ground = None
    if decision is Decision.REJECTED:
        ground = _ground(op, parameters.get("ground"))
    elif decision is Decision.ADJUSTED:
        ground = _ground(op, parameters.get("ground", "clearly_improper"))
        if ground.id != "clearly_improper":
            raise OperationInputError(op, "an adjustment rests on art. 201 ¶2 (the proposal clearly improper, or the "
                                      "defence objects): 'ground' clearly_improper")  # fmt: skip
    elif parameters.get("ground") is not None:
        raise OperationInputError(op, "'ground' is given only when the proposal is adjusted or rejected")
    if decision is not Decision.REJECTED and not _within(float(months), adopted):
        which = "adjusted proposal" if decision is Decision.ADJUSTED else "proposal"
        raise OperationInputError(op, f"the court adopts the {which}: the term adopted ({float(months):g} months) "
                                  f"must lie within its {adopted.term.low:g}–{adopted.term.high:g} months")  # fmt: skip
    if decision is Decision.REJECTED and _within(float(months), original):
        raise OperationInputError(op, f"a term within the proposal's {original.term.low:g}–{original.term.high:g} "
                                  "months adopts it: the decision is adopted")  # fmt: skip
    chosen = adjusted_standing or standing
    if decision is not Decision.REJECTED and not chosen.inside_band and not reasons:
        raise OperationInputError(op, "'reasons' is required: the proposal the court adopts lies outside the "
                                  "guideline's judicial band for the plea's stage; say why it is not clearly "
                                  "improper")  # fmt: skip
    return {"schema_version": NEGOTIATION_SCHEMA_VERSION, "made_by": made_by, "decision": decision.value,
            "decision_label": DECISION_LABELS[decision].to_mapping(),
            "ground": None if ground is None else {"id": ground.id, "label": ground.label.to_mapping(),
                                                   "source": ground.source},
            "reasons": reasons, "adopted_months": float(months),
            "proposal": {"terms": _terms_document(original), "standing": standing.to_dict()},
            "adjusted": None if adjusted_standing is None else {
                "entry": adjusted_entry, "terms": _terms_document(adopted), "standing": adjusted_standing.to_dict()},
            "basis": _ART_201}  # fmt: skip


def register_negotiation_operations(registry: OperationRegistry) -> None:
    sentencing = frozenset({Case.kind})
    for name, function, label, parameters in (
        ("negotiation_offer", _run_offer, Label("量刑协商：提议、反提议、同意、不同意、调整",
                                                "plea negotiation: offer, counter-offer, acceptance, refusal, "
                                                "adjustment"),
         {"made_by", "kind", "made_on", "terms", "responds_to", "note", "tool"}),
        ("proposal_opinion", _run_opinion, Label("对量刑建议的意见", "opinion on the sentencing proposal"),
         {"made_by", "stance", "text", "on_entry"}),
        ("negotiation_recording", _run_recording, Label("协商过程同步录音录像的摘要", "digest of the negotiation's "
         "audio or video recording"),
         {"made_by", "sha256", "media", "recorded_on", "duration_seconds", "file_name", "description"}),
        ("court_leave", _run_leave, Label("法庭准许值班律师当庭提问", "the court's leave for a duty lawyer to query"),
         {"made_by", "username", "reasons"}),
        ("proposal_decision", _run_decision, Label("法院对量刑建议的决定", "the court's decision on the proposal"),
         {"made_by", "decision", "ground", "reasons", "adopted_months", "adjusted"}),
    ):  # fmt: skip
        registry.register(
            Operation(name, "1", function, label, frozenset(parameters), sentencing, statement=True, model_free=True)
        )  # the proposal is weighed against the guideline
