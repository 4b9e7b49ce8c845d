"""The hearing's services: every call takes a session token, checks the caller's role and party, and acts.

The record: an open-court query is computed first (outside any lock), then appended in one short
transaction that locks the hearing (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite's ``BEGIN
IMMEDIATE``), reads the head, and inserts entry ``seq = head + 1`` carrying ``prev_sha256 = head``.
``(hearing, seq)`` and ``(hearing, prev_sha256)`` are unique, so even a bug could not fork the
chain; a killed process leaves the whole entry or none (one transaction, committed durably).
"""

from __future__ import annotations

import contextlib
import json
import tempfile
import threading
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Engine
from sqlalchemy import text as sql
from sqlalchemy.exc import IntegrityError as DatabaseIntegrityError
from sqlmodel import Session, col, delete, func, select
from sqlmodel.sql.expression import SelectOfScalar

from counterfactuals.operations import QuestionOperations
from evidence_pack.archive import opened_pack
from evidence_pack.chain import GENESIS, ChainVerification, next_entry, verify_entries
from evidence_pack.instructions import SEALING_ROLES
from evidence_pack.published import Docket, DocketEntry, PublishedSealer, TrustAnchors, write_published
from evidence_pack.registry import full_registry, report_operations
from evidence_pack.replay import AppellateSession, ReplayReport, replay_pack
from evidence_pack.seal import HearingTranscript, SealedPack, Sealer, SealRequest, seal_pack
from evidence_pack.signing import CourtAuthority as CourtAuthorityKeys
from evidence_pack.signing import (
    create_court_authority,
    generate_sealing_key,
    issue_sealer_certificate,
    sign_detached,
    unlock_private_key,
)
from evidence_pack.timestamp import TimestampAuthority, configured_authority
from evidence_pack.verify import Verdict, verify_pack
from explain_tiers.adversarial import (
    ADVERSARIAL_OPERATIONS,
    FindingRef,
    answer_payload,
    challenge_findings,
    finding_of_entry,
    undisposed_findings,
)
from explain_tiers.adversarial import STATEMENT_SPEAKERS as ADVERSARIAL_SPEAKERS
from explain_tiers.batch_audit import BatchAudit, run_batch_audit
from explain_tiers.duty import (
    DEFAULT_DEEP_TIER_RULE,
    DEMAND_OPERATION,
    GROUND_LABELS,
    DeepTierDuty,
    DeepTierRule,
    deep_tier_duty,
    parse_deep_tier_rule,
)
from explain_tiers.duty import STATEMENT_SPEAKERS as DUTY_SPEAKERS
from explain_tiers.governance import FILING_OPERATION, NOTICE_OPERATION, refusal_entry
from explain_tiers.governance import STATEMENT_SPEAKERS as GOVERNANCE_SPEAKERS
from explain_tiers.guideline_report import GUIDELINE_REPORT_OPERATION, GuidelineReport, build_guideline_report
from explain_tiers.negotiation import STATEMENT_OPERATIONS
from explain_tiers.negotiation import STATEMENT_SPEAKERS as NEGOTIATION_SPEAKERS
from explain_tiers.operations import HeardReport, ReportMemo, ReportPart, build_heard_report
from explain_tiers.tiers import Tier, parse_tier
from hearing.citation import CitationPolicy, register_citation_policies
from hearing.deviation import DeviationPoint, DeviationReport, monitor_deviation
from hearing.policy import Action, Role, authorize, may
from hearing.security import (
    USERNAME_RULE,
    decrypt_field,
    encrypt_field,
    hash_password,
    is_valid_username,
    new_session_token,
    store_field_key,
    token_digest,
    verify_password,
)
from hearing.store import (
    AuditEntry,
    CaseRecord,
    CourtAuthority,
    Hearing,
    LoginAttempt,
    PackRecord,
    Party,
    RecordEntry,
    RegisteredModel,
    Ruling,
    SealingKey,
    SessionToken,
    User,
    WorkspaceEntry,
    utcnow,
)
from hearing.views import (
    AuditView,
    CaseView,
    ChallengeView,
    EntryView,
    GuidelineAlone,
    HearingSummary,
    ModelView,
    PackView,
    Principal,
    ReportView,
    RulingView,
    WorkspaceEntryView,
)
from sentencing.canonical import canonical_json, sha256_json
from sentencing.case import Case
from sentencing.errors import (
    AccessDeniedError,
    AuthenticationError,
    ConfigurationError,
    HearingStateError,
    InputError,
    InputFileError,
    Rule,
    UnverifiedPackError,
)
from sentencing.excerpts import excerpt, one_line
from sentencing.filing import parse_filing
from sentencing.i18n import Label, Language
from sentencing.kinds import HeardCase, KindRegistry, parse_case_document
from sentencing.lifecycle import HearingState, check_transition, require_state
from sentencing.models import SentencingModel, check_model_fits_case, load_model
from sentencing.operations import OperationContext, OperationOutcome, OperationRegistry
from sentencing.reading import Confirmation, Draft, read_text
from sentencing.settings import Settings
from sentencing.untrusted import check_regular_file, field_text_problem, parse_json, read_untrusted_file

__all__ = ["HearingService", "LoginPolicy", "court_registry"]


OPEN_ONLY = frozenset({HearingState.OPEN})


def _ruling_view(row: Ruling) -> RulingView:
    return RulingView(
        row.hearing_id, row.case_kind, row.system_suggestion_months, row.guideline_months, row.suggested_score,
        row.suggested_class, row.recorded_class, row.weighed_liability, row.weighed_prevention, row.particulars,
        row.adopted_months, row.adopted_class, row.departure_reasons, row.record_head_sha256, row.created_at,
        _decision_of(row),
        None if row.guideline_band_low is None or row.guideline_band_high is None
        else (row.guideline_band_low, row.guideline_band_high),
        bool(row.committee_referral), tuple(json.loads(row.anchoring_warnings or "[]")), row.anchoring_reasons,
        row.offender_group,
    )  # fmt: skip


def _decision_of(row: Ruling) -> dict[str, Any] | None:
    """The court's decision on the proposal as the citation records it: the record's entry number and its result."""
    if row.proposal_decision is None:
        return None
    return {"seq": row.proposal_decision_seq, **json.loads(row.proposal_decision)}


def court_registry() -> OperationRegistry:
    """Every replayable operation, and each kind of case with the hearing's parts (the citation policy)."""
    registry = full_registry()
    register_citation_policies(registry.kinds)
    return registry


STATEMENT_SPEAKERS = {**NEGOTIATION_SPEAKERS, **ADVERSARIAL_SPEAKERS, **GOVERNANCE_SPEAKERS, **DUTY_SPEAKERS}
# entered with ``state``: the decision on the proposal comes with the citation, the technician's answer signed
_STATED = (STATEMENT_OPERATIONS | ADVERSARIAL_OPERATIONS | {NOTICE_OPERATION}) - {
    "proposal_decision",
    "technician_answer",
}
# who holds a signing key the court approves: the judges who seal packs, the technicians who sign answers
_KEY_ROLES = (*SEALING_ROLES, Role.TECHNICIAN.value)


def _deep_tier_rule(settings: Settings) -> DeepTierRule:
    """The court's rule for the deep tier (``VOIRDIRE_DEEP_TIER_RULE``), checked when the service starts."""
    if settings.deep_tier_rule is None:
        return DEFAULT_DEEP_TIER_RULE
    source = str(settings.deep_tier_rule)
    try:
        data = read_untrusted_file(settings.deep_tier_rule, limit=64 << 10)
        return parse_deep_tier_rule(parse_json(data, source), source)
    except InputError as error:
        raise ConfigurationError("VOIRDIRE_DEEP_TIER_RULE", str(error)) from None


def _active_keys(user_id: int) -> SelectOfScalar[SealingKey]:
    """A user's sealing keys not yet retired (one at most: a new key retires the old)."""
    return select(SealingKey).where(SealingKey.user_id == user_id, col(SealingKey.retired_at).is_(None))


def _utc(moment: datetime) -> datetime:
    """The store keeps naive UTC times; the published key list says UTC explicitly."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _view(row: RecordEntry) -> EntryView:
    return EntryView(
        row.seq, row.time, row.party, row.operation, json.loads(row.parameters), json.loads(row.result),
        row.result_sha256, row.model_sha256, row.seed, row.prev_sha256, row.entry_sha256,
    )  # fmt: skip


@dataclass(frozen=True)
class LoginPolicy:
    """How many failed log-ins are tolerated: per user name (then the name is locked) and per source (then the
    source is throttled), within a sliding window. Unknown names are counted like known ones, so that the
    answers (and their time) never tell which names exist."""

    failures_per_user: int = 5
    failures_per_source: int = 20
    window: timedelta = timedelta(minutes=15)
    lock_for: timedelta = timedelta(minutes=15)


_AUDIT_SYSTEM = "(system)"


class HearingService:
    def __init__(
        self,
        engine: Engine,
        settings: Settings,
        *,
        session_hours: float = 8.0,
        clock: Callable[[], datetime] = utcnow,
        registry: OperationRegistry | None = None,
        field_key: bytes | None = None,
        login_policy: LoginPolicy | None = None,
    ) -> None:
        """The court's service on ``engine``, with the settings built at the edge (the store's field key, the
        timestamp authority); ``field_key`` overrides the settings' key file (tests, key rotation)."""
        self._engine = engine
        self._settings = settings
        self._session_length = timedelta(hours=session_hours)
        self._clock = clock
        self._registry = registry or court_registry()
        self._models: dict[int, SentencingModel] = {}
        # reports computed in this process and their renderings (the app shows them, the seal writes them)
        self._reports = ReportMemo()
        # deep reports computed ahead while a party reads (prepare_reports), by what determines them; taken once
        self._ahead: dict[tuple[str, str, int], Future[OperationOutcome]] = {}
        self._ahead_lock = threading.Lock()
        self._standard: dict[tuple[str, int, int], str] = {}
        self._field_key = field_key or store_field_key(settings.store_key_path)
        self._login_policy = login_policy or LoginPolicy()
        # A real scrypt hash checked when the name is unknown, so that both answers take the same time.
        self._decoy_hash = hash_password(new_session_token())
        self._deep_rule = _deep_tier_rule(settings)
        self._coverage: dict[tuple[str, int], bool | None] = {}  # (case sha256, model): outside the model's data?

    def _authority(self) -> TimestampAuthority:
        settings = self._settings
        return configured_authority(settings.tsa_url, settings.tsa_root, settings.local_tsa_dir)

    @property
    def settings(self) -> Settings:
        return self._settings

    @property
    def kinds(self) -> KindRegistry:
        """The kinds of case this court hears, with the parts each package attached (the app adds its benches)."""
        return self._registry.kinds

    # --- users and log-in -----------------------------------------------------------------------
    def store_is_empty(self) -> bool:
        """No user yet: the store awaits its first clerk (or the demo court)."""
        with Session(self._engine) as session:
            return bool(session.exec(select(func.count()).select_from(User)).one() == 0)

    def create_user(self, token: str | None, username: str, password: str, role: str) -> int:
        """The clerk creates users; the very first user of an empty store (a clerk) is created without a token,
        once, under a lock (two concurrent first users: one wins, the other is refused)."""
        if not is_valid_username(username):
            raise InputError(f"username {excerpt(username)}", Rule.NOT_ALLOWED_VALUE, f"{USERNAME_RULE}")
        if role not in {r.value for r in Role}:
            raise InputError(
                f"role {excerpt(role)}",
                Rule.NOT_ALLOWED_VALUE,
                f"one of {', '.join(r.value for r in Role)}",
            )
        creator = None
        if token is not None:
            creator = self.principal(token)
            authorize(creator.role, Action.MANAGE_USERS)
        elif role != Role.CLERK:
            raise AuthenticationError("log in first: only the first user of an empty store, a clerk, is created so")
        try:
            digest = hash_password(password)
        except ValueError as exc:
            raise InputError("password", Rule.OUT_OF_RANGE, f"{exc}") from exc
        with Session(self._engine) as session:
            if token is None:
                self._lock_users(session)
                if session.exec(select(func.count()).select_from(User)).one() != 0:
                    raise AuthenticationError("log in first: the store already has users; a clerk creates the others")
            user = User(username=username, role=role, password_hash=digest)
            session.add(user)
            try:
                session.flush()
            except DatabaseIntegrityError:
                raise InputError(f"username {username!r}", Rule.NOT_ALLOWED_VALUE, "already taken") from None
            self._audit(session, creator.username if creator else _AUDIT_SYSTEM, "user created", username,
                        f"role {role}" + ("" if creator else " (the store's first user)"))  # fmt: skip
            session.commit()
            assert user.id is not None
            return user.id

    def _lock_users(self, session: Session) -> None:
        """Serialise first-user creation: SQLite's BEGIN IMMEDIATE already does; PostgreSQL needs a table lock."""
        if session.get_bind().dialect.name == "postgresql":
            session.connection().execute(sql("LOCK TABLE users IN SHARE ROW EXCLUSIVE MODE"))

    def _audit(self, session: Session, actor: str, action: str, subject: str, detail: str) -> None:
        session.add(AuditEntry(time=self._clock(), actor=actor[:64], action=action[:64], subject=one_line(subject, 190),
                               detail=one_line(detail, 1000)))  # fmt: skip

    def _insert_unique(self, row: CaseRecord | SealingKey, taken: InputError) -> int:
        """Insert a row whose natural key must be new; a clash is the user's error, ``taken``."""
        with Session(self._engine) as session:
            session.add(row)
            try:
                session.commit()
            except DatabaseIntegrityError:
                raise taken from None
            assert row.id is not None
            return row.id

    def login(self, username: str, password: str, *, source: str = "local") -> str:
        """A session token, or one :class:`AuthenticationError` for every failure (wrong name or password, a
        locked name, a throttled source), in the same time whether or not the name exists."""
        now = self._clock()
        name = username if is_valid_username(username) else "(not a user name)"
        where = one_line(source, 90) or "unknown"
        with Session(self._engine) as session:
            session.exec(delete(SessionToken).where(col(SessionToken.expires_at) <= now))
            self._serialise_attempts(session, name, where)
            locked_until = self._locked_until(session, name, where, now)
            attempt = LoginAttempt(username=name, source=where, time=now,
                                   outcome="refused" if locked_until else "pending")  # fmt: skip
            session.add(attempt)
            session.commit()
            attempt_id = attempt.id
            user = session.exec(select(User).where(User.username == name)).first()
            user_id = user.id if user else None
            stored = user.password_hash if user else self._decoy_hash
        matches = verify_password(password, stored)  # always a full scrypt, known name or not
        if locked_until is not None:
            raise AuthenticationError(
                f"too many failed log-ins for this name or from this place; try again after "
                f"{locked_until:%Y-%m-%d %H:%M} UTC, or ask the clerk"
            )
        ok = matches and user_id is not None
        with Session(self._engine) as session:
            row = session.get(LoginAttempt, attempt_id)
            assert row is not None
            row.outcome = "succeeded" if ok else "failed"
            session.add(row)
            if not ok:
                self._audit_lockout(session, name, where, now)
                session.commit()
                raise AuthenticationError("wrong user name or password")
            token = new_session_token()
            assert user_id is not None
            session.add(SessionToken(token_sha256=token_digest(token), user_id=user_id,
                                     expires_at=now + self._session_length))  # fmt: skip
            session.commit()
            return token

    def _serialise_attempts(self, session: Session, name: str, source: str) -> None:
        """Attempts on one name (and from one source) take turns, so that a burst counts its own attempts in
        flight: SQLite's BEGIN IMMEDIATE already serialises writers; PostgreSQL takes transaction locks."""
        if session.get_bind().dialect.name == "postgresql":
            for subject in sorted({f"login name {name}", f"login source {source}"}):  # one order: no deadlock
                session.connection().execute(sql("SELECT pg_advisory_xact_lock(hashtext(:subject))"),
                                             {"subject": subject})  # fmt: skip

    def _failures(self, session: Session, column: Any, value: str, now: datetime) -> list[datetime]:
        """Times of failed (or still pending) attempts for ``value`` within the window, since its last success."""
        since = now - self._login_policy.window
        rows = session.exec(
            select(LoginAttempt).where(column == value, col(LoginAttempt.time) > since).order_by(col(LoginAttempt.id))
        ).all()
        failures: list[datetime] = []
        for row in rows:
            if row.outcome in ("succeeded", "reset") and column is LoginAttempt.username:
                failures = []
            elif row.outcome in ("failed", "pending"):
                failures.append(row.time)
        return failures

    def _locked_until(self, session: Session, name: str, source: str, now: datetime) -> datetime | None:
        policy = self._login_policy
        for column, limit in ((LoginAttempt.username, policy.failures_per_user),
                              (LoginAttempt.source, policy.failures_per_source)):  # fmt: skip
            failures = self._failures(session, column, name if column is LoginAttempt.username else source, now)
            if len(failures) >= limit:
                until = failures[-1] + policy.lock_for
                if until > now:
                    return until
        return None

    def _audit_lockout(self, session: Session, name: str, source: str, now: datetime) -> None:
        """The failure that reaches a limit is written in the audit log (once per lock-out)."""
        session.flush()
        policy = self._login_policy
        if len(self._failures(session, LoginAttempt.username, name, now)) == policy.failures_per_user:
            self._audit(session, _AUDIT_SYSTEM, "log-in locked", name,
                        f"{policy.failures_per_user} failures within {policy.window}; last from {source}")  # fmt: skip
        if len(self._failures(session, LoginAttempt.source, source, now)) == policy.failures_per_source:
            self._audit(session, _AUDIT_SYSTEM, "source throttled", source,
                        f"{policy.failures_per_source} failed log-ins within {policy.window}")  # fmt: skip

    def unlock_user(self, token: str, username: str) -> None:
        """(clerk) Lift a lock-out now: the name's earlier failures stop counting."""
        principal = self._act(token, Action.MANAGE_USERS)
        if not is_valid_username(username):
            raise InputError(f"username {excerpt(username)}", Rule.NOT_ALLOWED_VALUE, f"{USERNAME_RULE}")
        with Session(self._engine) as session:
            session.add(LoginAttempt(username=username, source=f"unlocked by {principal.username}",
                                     time=self._clock(), outcome="reset"))  # fmt: skip
            self._audit(session, principal.username, "log-in unlocked", username, "failed log-ins reset")
            session.commit()

    def audit_log(self, token: str, limit: int = 200) -> list[AuditView]:
        """(clerk, technologist) The newest audit entries first."""
        self._act(token, Action.VIEW_AUDIT)
        with Session(self._engine) as session:
            rows = session.exec(select(AuditEntry).order_by(col(AuditEntry.id).desc()).limit(limit)).all()
            return [AuditView(r.time.isoformat(timespec="seconds"), r.actor, r.action, r.subject, r.detail)
                    for r in rows]  # fmt: skip

    def logout(self, token: str) -> None:
        with Session(self._engine) as session:
            row = session.exec(select(SessionToken).where(SessionToken.token_sha256 == token_digest(token))).first()
            if row is not None:
                session.delete(row)
                session.commit()

    def principal(self, token: str) -> Principal:
        with Session(self._engine) as session:
            row = session.exec(select(SessionToken).where(SessionToken.token_sha256 == token_digest(token))).first()
            if row is None or row.expires_at <= self._clock():
                raise AuthenticationError("the session has expired or does not exist; log in again")
            user = session.get(User, row.user_id)
            assert user is not None and user.id is not None
            return Principal(user.id, user.username, user.role)

    def _act(self, token: str, action: Action, hearing_id: int | None = None) -> Principal:
        return self._authorized(self.principal(token), action, hearing_id)

    def _authorized(self, principal: Principal, action: Action, hearing_id: int | None = None) -> Principal:
        """``principal`` may do ``action`` (on ``hearing_id``, as one of its parties unless clerk or technologist)."""
        authorize(principal.role, action)
        if hearing_id is not None and principal.role not in (Role.CLERK, Role.TECHNOLOGIST):
            with Session(self._engine) as session:
                party = session.exec(
                    select(Party).where(Party.hearing_id == hearing_id, Party.user_id == principal.user_id)
                ).first()
            if party is None:
                raise AccessDeniedError(principal.role, action.value, f"not a party to hearing {hearing_id}")
        return principal

    # --- registration -------------------------------------------------------------------------
    def register_model(
        self, token: str, location: str, *, expected_sha256: str | None = None, filing: Mapping[str, Any] | None = None
    ) -> int:
        """Register a model by location; ``expected_sha256``: the digest the court was given for a file that has no
        card naming one (a pickle is never loaded unchecked). The digest is kept and checked at every later load.
        ``filing``: its filing (备案) and review (``sentencing.filing``), entered in the record of every hearing the
        model answers in, with a finding when the filed model is not this one."""
        principal = self._act(token, Action.REGISTER_MODEL)
        filed = None if filing is None else parse_filing(filing)
        model = load_model(location, expected_sha256=expected_sha256)  # probed at load: malformed models never enter
        kind = "endpoint" if location.startswith(("http://", "https://")) else "artifact"
        with Session(self._engine) as session:
            row = RegisteredModel(name=model.identity.name, kind=kind, location=location, sha256=model.identity.sha256,
                                  card=json.dumps(dict(model.card or {}), ensure_ascii=False),
                                  registered_by=principal.user_id,
                                  filing=None if filed is None
                                  else canonical_json(filed.to_dict()).decode())  # fmt: skip
            session.add(row)
            session.commit()
            assert row.id is not None
            self._models[row.id] = model
            return row.id

    def create_case(self, token: str, document: Mapping[str, Any], sensitive: Mapping[str, Any] | None = None) -> int:
        """Register a case of either kind (a sentencing case, or a person scored by a risk instrument)."""
        principal = self._act(token, Action.CREATE_CASE)
        case = parse_case_document(document)
        canonical = case.to_document()
        row = CaseRecord(
            case_id=case.case_id,
            document=json.dumps(canonical, ensure_ascii=False, sort_keys=True),
            sha256=sha256_json(canonical),
            sensitive=encrypt_field(
                self._field_key,
                json.dumps(dict(sensitive or {}), ensure_ascii=False),
                f"cases.sensitive:{case.case_id}",
            ),
            created_by=principal.user_id,
        )
        return self._insert_unique(
            row, InputError(f"case {case.case_id!r}", Rule.NOT_ALLOWED_VALUE, "already registered")
        )

    def _hearing_parties(self, case: HeardCase, model_id: int | None, parties: list[str]) -> list[int]:
        """The parties' user ids, once the model is registered and fits the case (or, with no model, the case has a
        guideline to be heard on alone) and every party is a user."""
        if model_id is None:
            if GUIDELINE_REPORT_OPERATION not in self._registry.names_for(case.kind):
                kind = case.kind.replace("_", "-")
                raise InputError("model", Rule.MISSING_REQUIRED, f"a {kind} case has no guideline to be heard on "
                                 "alone: name the model whose answer is examined")  # fmt: skip
        else:
            with Session(self._engine) as session:
                if session.get(RegisteredModel, model_id) is None:
                    raise InputError(f"model {model_id}", Rule.UNKNOWN_FIELD, "not registered")
            # Outside the transaction: loading the model may itself read the store.
            check_model_fits_case(self._model(model_id), case)
        with Session(self._engine) as session:
            users = session.exec(select(User).where(col(User.username).in_(parties))).all()
        missing = set(parties) - {u.username for u in users}
        if missing:
            raise InputError(f"parties {sorted(missing)}", Rule.UNKNOWN_FIELD, "no such users")
        return [u.id for u in users if u.id is not None]

    def open_case_hearing(self, token: str, document: Mapping[str, Any], sensitive: Mapping[str, Any] | None,
                          model_id: int | None, parties: list[str], seed: int = 0) -> int:  # fmt: skip
        """(clerk) Register a case and open its hearing: the model, its fit and the parties are checked before the
        case is written, so that a refusal leaves no case without its hearing (``model_id`` None: on the guideline
        alone)."""
        self._act(token, Action.OPEN_HEARING)
        case = parse_case_document(document)
        self._hearing_parties(case, model_id, parties)
        self.create_case(token, document, sensitive)
        return self.open_hearing(token, case.case_id, model_id, parties, seed)

    def open_hearing(self, token: str, case_id: str, model_id: int | None, parties: list[str], seed: int = 0) -> int:
        """Open a hearing of a registered case before a registered model that can answer for it; a model whose
        filing the court recorded has it entered as the record's first entry. ``model_id`` None: a sentencing case
        heard on the guideline alone (法发〔2022〕33号 art. 5: no algorithm is used), where only the operations that
        never ask a model run and the citation and the pack rest on the guideline report."""
        principal = self._act(token, Action.OPEN_HEARING)
        with Session(self._engine) as session:
            case = session.exec(select(CaseRecord).where(CaseRecord.case_id == case_id)).first()
            if case is None:
                raise InputError(f"case {case_id!r}", Rule.UNKNOWN_FIELD, "not registered")
            document, case_row = json.loads(case.document), case.id
        heard = parse_case_document(document)
        user_ids = self._hearing_parties(heard, model_id, parties)
        filing = self._filing_outcome(heard, model_id, seed)
        with Session(self._engine) as session:
            assert case_row is not None
            hearing = Hearing(case_id=case_row, model_id=model_id, seed=seed)
            session.add(hearing)
            session.flush()
            assert hearing.id is not None
            for user_id in user_ids:
                session.add(Party(hearing_id=hearing.id, user_id=user_id))
            if filing is not None:  # the model's filing opens the record (a finding if it is not the filed model)
                self._append_in(session, hearing, principal.party, filing)
            session.commit()
            return hearing.id

    def _filing_outcome(self, case: HeardCase, model_id: int | None, seed: int) -> OperationOutcome | None:
        if model_id is None:
            return None
        with Session(self._engine) as session:
            row = session.get(RegisteredModel, model_id)
            filing = None if row is None or row.filing is None else json.loads(row.filing)
        if filing is None:
            return None
        return self._registry.run(FILING_OPERATION, case, {"made_by": Role.CLERK.value, "filing": filing},
                                  OperationContext(model=self._model(model_id), seed=seed))  # fmt: skip

    def parties(self, token: str, hearing_id: int) -> list[tuple[str, str]]:
        """The hearing's parties as (user name, role), by name."""
        self._act(token, Action.VIEW_HEARING, hearing_id)
        with Session(self._engine) as session:
            users = session.exec(select(User).join(Party, col(Party.user_id) == col(User.id))
                                 .where(Party.hearing_id == hearing_id).order_by(col(User.username))).all()  # fmt: skip
            return [(u.username, u.role) for u in users]

    def set_party(self, token: str, hearing_id: int, username: str, *, present: bool) -> None:
        """(clerk) Add a party to an open hearing, or withdraw one (a change of counsel): the record keeps what the
        withdrawn party entered; both are written in the audit log."""
        principal = self._act(token, Action.OPEN_HEARING)
        with Session(self._engine) as session:
            hearing = self._hearing(session, hearing_id)
            require_state(hearing_id, hearing.state, OPEN_ONLY, "parties change only while the hearing is open")
            user = session.exec(select(User).where(User.username == username)).first()
            if user is None or user.id is None:
                raise InputError(f"party {excerpt(username)}", Rule.UNKNOWN_FIELD, "no such user")
            if user.role == Role.TECHNOLOGIST:
                raise InputError(f"party {excerpt(username)}", Rule.NOT_ALLOWED_VALUE,
                                 "a technologist is not a party to a hearing")  # fmt: skip
            row = session.exec(select(Party).where(Party.hearing_id == hearing_id, Party.user_id == user.id)).first()
            if present and row is None:
                session.add(Party(hearing_id=hearing_id, user_id=user.id))
            elif not present and row is not None:
                session.delete(row)
            else:
                return  # already as asked: nothing to write
            self._audit(session, principal.username, "party added" if present else "party withdrawn",
                        f"hearing {hearing_id}", username)  # fmt: skip
            session.commit()

    def read_document(self, token: str, text: str, charge: str | None = None) -> Draft:
        """(clerk) A judgment's, indictment's or proposal's text read into a draft case, every fact with its source;
        nothing is written until a party confirms it (:meth:`open_read_hearing`)."""
        self._act(token, Action.CREATE_CASE)
        return read_text(text, charge=charge)

    def open_read_hearing(self, token: str, draft: Draft, confirmation: Confirmation,
                          sensitive: Mapping[str, Any] | None, model_id: int | None,
                          parties: list[str]) -> int:  # fmt: skip
        """(clerk) The confirmed draft as a case (carrying its extraction record) and its hearing, in one step."""
        principal = self._act(token, Action.OPEN_HEARING)
        if confirmation.by != principal.username:
            raise InputError("confirmation.by", Rule.NOT_ALLOWED_VALUE, "the user who confirms is the one signed in")
        return self.open_case_hearing(token, draft.case_document(confirmation), sensitive, model_id, parties)

    # --- the case and the model of a hearing --------------------------------------------------
    def _hearing(self, session: Session, hearing_id: int) -> Hearing:
        hearing = session.get(Hearing, hearing_id)
        if hearing is None:
            raise InputError(f"hearing {hearing_id}", Rule.UNKNOWN_FIELD, "no such hearing")
        return hearing

    def _case_of(self, session: Session, hearing: Hearing) -> tuple[HeardCase, CaseRecord]:
        row = session.get(CaseRecord, hearing.case_id)
        assert row is not None
        return parse_case_document(json.loads(row.document)), row

    def _model(self, model_id: int) -> SentencingModel:
        if model_id not in self._models:
            with Session(self._engine) as session:
                row = session.get(RegisteredModel, model_id)
                assert row is not None
                self._models[model_id] = load_model(row.location, expected_sha256=row.sha256)
        return self._models[model_id]

    def _model_or_none(self, model_id: int | None) -> SentencingModel | None:
        """The hearing's model; None when it is heard on the guideline alone."""
        return None if model_id is None else self._model(model_id)

    def _alone(self, hearing_id: int, model_id: int | None) -> GuidelineAlone | None:
        """Why the hearing rests on the guideline alone: it has no model, or the defendant refused the algorithm."""
        if model_id is None:
            return GuidelineAlone(None)
        refused = self._declined(hearing_id)
        return None if refused is None else GuidelineAlone(refused)

    def guideline_alone(self, token: str, hearing_id: int) -> GuidelineAlone | None:
        """Whether the hearing rests on the guideline alone (no model, or the defendant refused), and why."""
        self._act(token, Action.VIEW_HEARING, hearing_id)
        with Session(self._engine) as session:
            model_id = self._hearing(session, hearing_id).model_id
        return self._alone(hearing_id, model_id)

    def guideline_report(self, token: str, hearing_id: int) -> GuidelineReport | None:
        """The guideline report of a sentencing case (no model asked): the report a hearing on the guideline alone
        shows and seals; None for a kind of case with no guideline."""
        case, _ = self.case(token, hearing_id)
        return build_guideline_report(case) if isinstance(case, Case) else None

    def case(self, token: str, hearing_id: int) -> CaseView:
        """The case as heard; its sensitive fields only for roles cleared to see them (else None)."""
        principal = self._act(token, Action.VIEW_HEARING, hearing_id)
        with Session(self._engine) as session:
            case, row = self._case_of(session, self._hearing(session, hearing_id))
            cleared = may(principal.role, Action.VIEW_SENSITIVE)
            return CaseView(case, self._sensitive(row) if cleared else None)

    def _sensitive(self, row: CaseRecord) -> dict[str, Any]:
        try:
            value: dict[str, Any] = json.loads(decrypt_field(self._field_key, row.sensitive,
                                                             f"cases.sensitive:{row.case_id}"))  # fmt: skip
        except AuthenticationError:
            raise ConfigurationError("the store's field key", "it does not open this store's sensitive fields "
                                     "(the key file is another store's, or was replaced)") from None  # fmt: skip
        return value

    # --- queries ------------------------------------------------------------------------------
    def query(
        self, token: str, hearing_id: int, operation: str, parameters: Mapping[str, Any], *, open_court: bool = True
    ) -> tuple[OperationOutcome, int | None]:
        """Run a query; in open court it joins the record (returns its sequence number), else the caller's workspace."""
        action = Action.QUERY_OPEN_COURT if open_court else Action.QUERY_WORKSPACE
        # a duty lawyer may not query in open court, save by the court's leave recorded in this hearing's record
        principal = self.principal(token)
        by_leave = open_court and principal.role == Role.DUTY_LAWYER
        self._authorized(principal, Action.VIEW_HEARING if by_leave else action, hearing_id)
        if by_leave and not self._has_leave(hearing_id, principal.username):
            raise AccessDeniedError(principal.role, action.value, "a duty lawyer queries in open court only with the "
                                    "court's leave (the judge's court_leave entry in the record)")  # fmt: skip
        with Session(self._engine) as session:
            hearing = self._hearing(session, hearing_id)
            require_state(hearing_id, hearing.state, OPEN_ONLY, "queries are taken only while the hearing is open")
            case, _ = self._case_of(session, hearing)
            model_id, seed = hearing.model_id, hearing.seed
        allowed = self._registry.queries_for(case.kind)
        if operation not in allowed:
            statement = " (a statement of the plea negotiation is entered with `state`)" * (
                operation in STATEMENT_OPERATIONS
            )
            raise InputError(
                f'operation {excerpt(operation)}', Rule.NOT_ALLOWED_VALUE,
                f"for this {case.kind} case one of {', '.join(allowed)}{statement}",
            )  # fmt: skip
        self._refuse_if_declined(hearing_id, operation)
        outcome = self._taken_ahead(case, model_id, seed, operation, parameters) or self._registry.run(
            operation, case, parameters, OperationContext(model=self._model_or_none(model_id), seed=seed)
        )
        if operation == self.kinds.part(case.kind, ReportPart).operation and outcome.answer is not None:
            self._reports.keep(outcome.answer)  # shown and sealed as computed, found by the entry's digest
        if not open_court:
            with Session(self._engine) as session:
                session.add(WorkspaceEntry(hearing_id=hearing_id, side=principal.role, user_id=principal.user_id,
                                           time=self._clock().isoformat(), operation=operation,
                                           parameters=canonical_json(outcome.parameters).decode(),
                                           result=canonical_json(outcome.result).decode()))  # fmt: skip
                session.commit()
            return outcome, None
        return outcome, self._append(hearing_id, principal.party, outcome)

    def _declined(self, hearing_id: int) -> int | None:
        """The record's entry where the defendant refused the algorithm's assistance (法发〔2022〕33号 art. 5)."""
        with Session(self._engine) as session:
            notices = session.exec(select(RecordEntry).where(RecordEntry.hearing_id == hearing_id,
                                                             RecordEntry.operation == NOTICE_OPERATION)
                                   .order_by(col(RecordEntry.seq))).all()  # fmt: skip
            return refusal_entry([_view(r).to_dict() for r in notices])

    def declined(self, token: str, hearing_id: int) -> int | None:
        """The record's entry where the defendant refused the algorithm's assistance, if they did."""
        self._act(token, Action.VIEW_HEARING, hearing_id)
        return self._declined(hearing_id)

    def _refuse_if_declined(self, hearing_id: int, operation: str) -> None:
        if operation in self._registry.names() and self._registry.get(operation).model_free:
            return
        refused = self._declined(hearing_id)
        if refused is not None:
            raise InputError(f"operation {excerpt(operation)}", Rule.NOT_ALLOWED_VALUE,
                             f"the defendant refused the algorithm's assistance (entry {refused}; 法发〔2022〕33号 "
                             "art. 5): the hearing proceeds on the guideline alone, and the model is not "
                             "asked")  # fmt: skip

    def _append(self, hearing_id: int, party: str, outcome: OperationOutcome) -> int:
        for _ in range(50):
            try:
                with Session(self._engine) as session:
                    hearing = session.exec(select(Hearing).where(Hearing.id == hearing_id).with_for_update()).one()
                    entry = self._append_in(session, hearing, party, outcome)
                    session.commit()
                    return int(entry["seq"])
            except DatabaseIntegrityError:
                continue  # another writer took this place first (only without a row lock); read the head again
        raise HearingStateError(hearing_id, "busy", "could not append after 50 attempts")

    def _append_in(self, session: Session, hearing: Hearing, party: str, outcome: OperationOutcome) -> dict[str, Any]:
        """Add the next entry of the (locked) hearing's record in ``session``'s transaction; the caller commits."""
        assert hearing.id is not None
        hearing_id = hearing.id
        require_state(hearing_id, hearing.state, OPEN_ONLY, "the record is closed")
        last = session.exec(
            select(RecordEntry).where(RecordEntry.hearing_id == hearing_id)
            .order_by(col(RecordEntry.seq).desc()).limit(1)
        ).first()  # fmt: skip
        entry = next_entry(hearing_id, (last.seq + 1) if last else 1, self._clock().isoformat(), party,
                           outcome, last.entry_sha256 if last else GENESIS)  # fmt: skip
        session.add(RecordEntry(hearing_id=hearing_id, seq=entry["seq"], time=entry["time"],
                                party=party, operation=outcome.operation,
                                parameters=canonical_json(entry["parameters"]).decode(),
                                result=canonical_json(outcome.result).decode(),
                                result_sha256=outcome.result_sha256, model_sha256=outcome.model_sha256,
                                seed=outcome.seed, prev_sha256=entry["prev_sha256"],
                                entry_sha256=entry["entry_sha256"]))  # fmt: skip
        return entry

    # --- reports for reading ------------------------------------------------------------------
    def report(self, token: str, hearing_id: int, tier: str = "standard") -> ReportView | None:
        """The hearing's report of ``tier`` for reading, in any state (after sealing too), entering nothing in the
        record: the standard report of its case, model and seed (the one its pack holds); the deep report the
        record last holds (None while the hearing has not escalated to it), proved identical to that entry."""
        self._act(token, Action.VIEW_HEARING, hearing_id)
        chosen = parse_tier(tier, "tier")
        with Session(self._engine) as session:
            hearing = self._hearing(session, hearing_id)
            case, row = self._case_of(session, hearing)
            model_id, seed = hearing.model_id, hearing.seed
            operation = self.kinds.part(case.kind, ReportPart).operation
            entry = None
            if chosen is Tier.DEEP:
                rows = session.exec(
                    select(RecordEntry).where(RecordEntry.hearing_id == hearing_id, RecordEntry.operation == operation)
                    .order_by(col(RecordEntry.seq).desc())
                ).all()  # fmt: skip
                deep = [r for r in rows if json.loads(r.parameters).get("tier") == "deep"]
                entry = _view(deep[0]) if deep else None
                if entry is None:
                    return None
        if entry is None:
            if model_id is None or self._declined(hearing_id) is not None:
                return None  # on the guideline alone the model is not asked: its report is guideline_report()
            found, digest = self._standard_report(case, row.sha256, model_id, seed)
            return ReportView(case.kind, Tier.STANDARD.value, None, digest, found.to_dict(), found)
        assert model_id is not None  # a deep report in the record was answered by the hearing's model
        found = self._reports.recorded(self.kinds.part(case.kind, ReportPart), case, self._model(model_id),
                                       seed=entry.seed, parameters=entry.parameters, digest=entry.result_sha256,
                                       subject=f"the deep report recorded at entry {entry.seq}")  # fmt: skip
        return ReportView(case.kind, Tier.DEEP.value, entry.seq, entry.result_sha256, entry.result, found)

    def _standard_report(self, case: HeardCase, case_sha256: str, model_id: int, seed: int) -> tuple[HeardReport, str]:
        """The standard report of this case, model and seed (the one its pack holds) and its digest, computed once."""
        key = (case_sha256, model_id, seed)
        found = self._reports.get(self._standard.get(key, ""))
        if found is None:
            found = build_heard_report(self.kinds, case, self._model(model_id), tier=Tier.STANDARD, seed=seed)
            self._standard[key] = self._reports.keep(found)
        return found, self._standard[key]

    def report_html(self, token: str, hearing_id: int, view: ReportView, language: Language) -> str:
        """``view``'s report as HTML in ``language``: the very page its PDF is printed from."""
        self._act(token, Action.VIEW_HEARING, hearing_id)
        return self._reports.html(self._report_part(view), view.report, language)

    def report_pdf(self, token: str, hearing_id: int, view: ReportView, language: Language) -> bytes:
        """``view``'s report as PDF/A-3b in ``language`` (the JSON attached), printed once and kept."""
        self._act(token, Action.VIEW_HEARING, hearing_id)
        return self._reports.pdf(self._report_part(view), view.report, language)

    def _report_part(self, view: ReportView) -> ReportPart:
        return self.kinds.part(view.kind, ReportPart)

    def prepare_reports(self, token: str, hearing_id: int) -> None:
        """Compute ahead the deep report this open hearing would give if a party escalated (the same operation, case,
        model and seed: the same answer, which the record's digest and every replay check), so that escalating
        takes it instead of waiting for it; nothing enters the record until a party asks. Meant to run in the
        background while a party reads; a hearing's report is computed ahead once."""
        principal = self._act(token, Action.VIEW_HEARING, hearing_id)
        with Session(self._engine) as session:
            hearing = self._hearing(session, hearing_id)
            case, _ = self._case_of(session, hearing)
            model_id, seed, state = hearing.model_id, hearing.seed, hearing.state
            part = self.kinds.part(case.kind, ReportPart)
            entries = select(RecordEntry.parameters).where(RecordEntry.hearing_id == hearing_id,
                                                           RecordEntry.operation == part.operation)  # fmt: skip
            asked = session.exec(entries).all()
        if model_id is None or self._declined(hearing_id) is not None:
            return  # no model, or the defendant refused the algorithm's assistance: the model is not asked, even ahead
        model = self._model(model_id)
        part.prepare(case, model)
        escalates = may(principal.role, Action.QUERY_OPEN_COURT) or principal.role == Role.DUTY_LAWYER
        if (not self._settings.compute_ahead or state != HearingState.OPEN or not escalates
                or any(json.loads(p).get("tier") == "deep" for p in asked)):  # fmt: skip
            return  # not on this server, no one here escalates, or the record already holds a deep report
        key = self._ahead_key(case, model_id, seed, part.operation, {"tier": "deep"})
        with self._ahead_lock:
            if key in self._ahead:
                return
            future: Future[OperationOutcome] = Future()
            self._ahead[key] = future
            while len(self._ahead) > 8:  # bounded: the oldest computed-ahead report is dropped
                self._ahead.pop(next(iter(self._ahead)))
        try:
            future.set_result(self._registry.run(part.operation, case, {"tier": "deep"},
                                                 OperationContext(model=model, seed=seed)))  # fmt: skip
        except BaseException as error:  # the party's own query will meet it and say it
            future.set_exception(error)

    @staticmethod
    def _ahead_key(case: HeardCase, model_id: int | None, seed: int, operation: str,
                   parameters: Mapping[str, Any]) -> tuple[str, str, int]:  # fmt: skip
        return (sha256_json(case.to_document()), f"{model_id}:{operation}:{canonical_json(parameters).decode()}", seed)

    def _taken_ahead(self, case: HeardCase, model_id: int | None, seed: int, operation: str,
                     parameters: Mapping[str, Any]) -> OperationOutcome | None:  # fmt: skip
        """The answer :meth:`prepare_reports` computed (or is computing: waited for) for exactly this question."""
        with self._ahead_lock:
            future = self._ahead.get(self._ahead_key(case, model_id, seed, operation, parameters))
        if future is None:
            return None
        try:
            return future.result()
        except Exception:  # computed ahead in vain: the query runs it again and reports its own error
            return None

    def prepare_pack(self, token: str, hearing_id: int, progress: Callable[[str], None] | None = None) -> None:
        """Print ahead the reports a seal of this closed hearing writes (standard and deep, zh-CN and English), so
        that sealing only bags, signs and timestamps. Changes nothing in the store."""
        self._act(token, Action.SEAL_PACK, hearing_id)
        step = progress or (lambda _: None)
        views = [v for v in (self.report(token, hearing_id, "standard"), self.report(token, hearing_id, "deep"))
                 if v is not None]  # fmt: skip
        for view in views:
            for language in ("zh-CN", "en"):
                step(f"{view.tier} report PDF ({language})")
                self.report_pdf(token, hearing_id, view, language)

    # --- statements entered in the record: the plea negotiation, the adversarial hearing ----------
    def state(
        self, token: str, hearing_id: int, operation: str, parameters: Mapping[str, Any]
    ) -> tuple[OperationOutcome, int]:
        """Enter a statement in the record: an offer, counter-offer, acceptance, refusal or adjusted proposal
        (``negotiation_offer``); an opinion on the proposal (``proposal_opinion``); the digest of the negotiation's
        recording (``negotiation_recording``); the court's leave for a duty lawyer to query in open court
        (``court_leave``); a party's objection or submission (``party_submission``, on a finding
        ``{"entry", "number"}`` of a report in the record or on an entry ``on_entry``); the court's disposition of a
        finding (``finding_disposition``). Who may say which: ``STATEMENT_SPEAKERS``; ``made_by`` is the caller's
        role. The decision on the proposal is given with the citation (``write_ruling``), the technician's answer
        with the technician's key (``answer_finding``)."""
        principal = self._act(token, Action.ENTER_STATEMENT, hearing_id)
        statements = sorted(_STATED)
        if operation not in statements:
            raise InputError(f"statement {excerpt(operation)}", Rule.NOT_ALLOWED_VALUE,
                             f"one of {', '.join(statements)} (the decision on the proposal is given with the "
                             "citation, the technician's answer with answer_finding)")  # fmt: skip
        if principal.role not in STATEMENT_SPEAKERS[operation]:
            raise AccessDeniedError(principal.role, f"enter {operation}",
                                    f"only {', '.join(sorted(STATEMENT_SPEAKERS[operation]))}")  # fmt: skip
        if parameters.get("made_by", principal.role) != principal.role:
            raise InputError(
                "made_by",
                Rule.NOT_ALLOWED_VALUE,
                f"a party enters its own statements: "
                f"{excerpt(parameters.get('made_by'))} is not the caller's role {principal.role}",
            )
        with Session(self._engine) as session:
            hearing = self._hearing(session, hearing_id)
            require_state(hearing_id, hearing.state, OPEN_ONLY, "statements are entered only while the hearing is open")
            case, _ = self._case_of(session, hearing)
            model_id, seed = hearing.model_id, hearing.seed
            if operation in ADVERSARIAL_OPERATIONS:
                parameters = self._adversarial_references(session, hearing_id, operation, parameters)
            else:
                self._check_references(session, hearing_id, operation, parameters)
        outcome = self._registry.run(operation, case, {**parameters, "made_by": principal.role},
                                     OperationContext(model=self._model_or_none(model_id), seed=seed))  # fmt: skip
        return outcome, self._append(hearing_id, principal.party, outcome)

    def _report_operations(self) -> frozenset[str]:
        return report_operations(self._registry)

    @staticmethod
    def _entry_dicts(session: Session, hearing_id: int) -> list[dict[str, Any]]:
        rows = session.exec(select(RecordEntry).where(RecordEntry.hearing_id == hearing_id)
                            .order_by(col(RecordEntry.seq))).all()  # fmt: skip
        return [_view(r).to_dict() for r in rows]

    def _finding(self, entries: list[dict[str, Any]], raw: object) -> FindingRef:
        """``{"entry": N, "number": K}``: finding K of the report entry N of this record."""
        if not isinstance(raw, Mapping) or set(raw) != {"entry", "number"}:
            raise InputError("finding", Rule.WRONG_TYPE, "expected {entry, number}: a report's entry in the record "
                             "and the finding's number in it (from 1)")  # fmt: skip
        entry = next((e for e in entries if e["seq"] == raw["entry"]), None)
        found = None if entry is None else finding_of_entry(entry, raw["number"], self._report_operations())
        if found is None:
            raise InputError(f"finding {excerpt(raw['entry'])}.{excerpt(raw['number'])}", Rule.UNKNOWN_FIELD,
                             "is no finding of a report in this record")  # fmt: skip
        return found

    def _adversarial_references(
        self, session: Session, hearing_id: int, operation: str, parameters: Mapping[str, Any]
    ) -> dict[str, Any]:
        """The finding named ``{entry, number}`` as the record's report states it; an entry commented on exists; a
        finding is disposed of once."""
        entries = self._entry_dicts(session, hearing_id)
        resolved = dict(parameters)
        if parameters.get("finding") is not None or operation == "finding_disposition":
            ref = self._finding(entries, parameters.get("finding"))
            resolved["finding"] = ref.to_dict()
            if operation == "finding_disposition":
                earlier = next((e for e in entries if e["operation"] == "finding_disposition"
                                and e["result"]["finding"]["entry"] == ref.entry
                                and e["result"]["finding"]["number"] == ref.number), None)  # fmt: skip
                if earlier is not None:
                    raise InputError(f"finding {ref.entry}.{ref.number}", Rule.NOT_ALLOWED_VALUE,
                                     f"the court disposed of it at entry {earlier['seq']}")  # fmt: skip
        seq = parameters.get("on_entry")
        if isinstance(seq, int) and not isinstance(seq, bool) and not any(e["seq"] == seq for e in entries):
            raise InputError(f"on_entry {seq}", Rule.UNKNOWN_FIELD, "is no entry of this record")
        return resolved

    def answer_finding(
        self, token: str, hearing_id: int, finding: Mapping[str, Any], answer: str, passphrase: str
    ) -> tuple[OperationOutcome, int]:
        """(the technician, a party) Answer the question of finding ``{entry, number}`` of a report in the record,
        signed with the technician's own key (approved by the court): the signature covers the case, the model's
        digest, the finding and the answer, and is checked again on replay and by ``verify``."""
        principal = self._act(token, Action.ANSWER_FINDING, hearing_id)
        with Session(self._engine) as session:
            hearing = self._hearing(session, hearing_id)
            require_state(hearing_id, hearing.state, OPEN_ONLY, "answers are entered only while the hearing is open")
            case, _ = self._case_of(session, hearing)
            model_id, seed = hearing.model_id, hearing.seed
            ref = self._finding(self._entry_dicts(session, hearing_id), finding)
            _, key = self._current_key(session, principal.username)
            if key.approved_at is None:
                raise AccessDeniedError(principal.role, Action.ANSWER_FINDING.value,
                                        "your signing key awaits the court's approval (`voirdire key-certify` by "
                                        "the court's technologist)")  # fmt: skip
            encrypted, public_pem = key.encrypted_private_key.encode(), key.public_pem
        if model_id is None:  # no report, so no finding, can be in the record: said plainly all the same
            raise InputError("finding", Rule.NOT_ALLOWED_VALUE, "this hearing has no model: no technician answers")
        model = self._model(model_id)
        text = answer.strip()
        payload = answer_payload(case.case_id, model.identity.sha256 or "", ref.to_dict(), text, principal.username)
        signature = sign_detached(unlock_private_key(encrypted, passphrase), payload)
        parameters = {"made_by": principal.role, "technician": principal.username, "finding": ref.to_dict(),
                      "answer": text, "public_key": public_pem, "signature": signature}  # fmt: skip
        outcome = self._registry.run("technician_answer", case, parameters, OperationContext(model=model, seed=seed))
        return outcome, self._append(hearing_id, principal.party, outcome)

    # --- the tiered duty to explain -------------------------------------------------------------
    def _duty(
        self, case: HeardCase, model_id: int | None, seed: int, entries: list[dict[str, Any]], *, full: bool = True
    ) -> DeepTierDuty:
        """The deep tier's duty in this record under the court's rule. Not ``full``: when nothing can make it owed
        (no demand, a rule that waits for one) the grounds are not computed (the standard report, the coverage).
        On the guideline alone (no model, or the defendant refused it) there is no model to explain: never owed."""
        demanded = any(e["operation"] == DEMAND_OPERATION for e in entries)
        waits = not full and not demanded and not self._deep_rule.automatic  # nothing can make it owed yet
        if model_id is None or refusal_entry(entries) is not None or waits:  # on the guideline alone: never owed
            return deep_tier_duty(self._deep_rule, [], None, None, self._report_operations(), frozenset())
        questions = self.kinds.part(case.kind, QuestionOperations)
        disputed = frozenset(name for name in (questions.disputed,) if name is not None)
        rule = self._deep_rule
        standard = None
        if "serious_finding" in rule.grounds:
            standard = self._standard_report(case, sha256_json(case.to_document()), model_id, seed)[0].to_dict()
        outside = None
        if "outside_data" in rule.grounds:
            cover = (sha256_json(case.to_document()), model_id)
            if cover not in self._coverage:
                policy = self._registry.kinds.part(case.kind, CitationPolicy)
                self._coverage[cover] = policy.outside_data(case, self._model(model_id))
            outside = self._coverage[cover]
        return deep_tier_duty(rule, entries, standard, outside, self._report_operations(), disputed)

    def deep_tier(self, token: str, hearing_id: int) -> DeepTierDuty:
        """Whether the deep tier of explanation is owed in this hearing under the court's rule, on which grounds,
        whether it was demanded, and the record's entry that provided it."""
        self._act(token, Action.VIEW_HEARING, hearing_id)
        return self._hearing_duty(hearing_id)

    def demand_deep_tier(self, token: str, hearing_id: int, reasons: str = "") -> tuple[int, int]:
        """(a role the court's rule names) Demand the deep tier where a ground of the rule holds: the demand is
        entered in the record and the deep report is provided at once, as the next entry. Returns both entries."""
        principal = self._act(token, Action.VIEW_HEARING, hearing_id)
        if principal.role not in self._deep_rule.demanders:
            raise AccessDeniedError(
                principal.role,
                "demand the deep tier",
                f"the court's rule lets {', '.join(sorted(self._deep_rule.demanders))} demand it",
            )
        self._refuse_if_declined(hearing_id, DEMAND_OPERATION)
        with Session(self._engine) as session:
            if self._hearing(session, hearing_id).model_id is None:
                raise InputError("deep tier", Rule.NOT_ALLOWED_VALUE, "this hearing is held on the guideline alone: "
                                 "there is no model whose answer the deep report would explain")  # fmt: skip
        duty = self.deep_tier(token, hearing_id)
        if not duty.grounds:
            raise InputError("deep tier", Rule.NOT_ALLOWED_VALUE,
                             "no ground of the court's rule holds ("
                             + "; ".join(GROUND_LABELS[g].en for g in sorted(self._deep_rule.grounds))
                             + "): a party may still ask for the deep report in open court")  # fmt: skip
        with Session(self._engine) as session:
            hearing = self._hearing(session, hearing_id)
            require_state(hearing_id, hearing.state, OPEN_ONLY, "the deep tier is demanded while the hearing is open")
            case, _ = self._case_of(session, hearing)
            model_id, seed = hearing.model_id, hearing.seed
        context = OperationContext(model=self._model_or_none(model_id), seed=seed)
        demand = self._registry.run(DEMAND_OPERATION, case, {"made_by": principal.role, "reasons": reasons,
                                                             "grounds": sorted({g.ground for g in duty.grounds})},
                                    context)  # fmt: skip
        demand_seq = self._append(hearing_id, principal.party, demand)
        operation = self.kinds.part(case.kind, ReportPart).operation
        parameters = {"tier": Tier.DEEP.value}
        report = self._taken_ahead(case, model_id, seed, operation, parameters) or self._registry.run(
            operation, case, parameters, context
        )
        if report.answer is not None:
            self._reports.keep(report.answer)
        return demand_seq, self._append(hearing_id, principal.party, report)

    def challenges(self, token: str, hearing_id: int) -> list[ChallengeView]:
        """The challenge findings of the record (every finding of its last deep report, every finding a party
        objected to), each with the objections and submissions on it, the technician's answers and the court's
        disposition, if any."""
        self._act(token, Action.VIEW_HEARING, hearing_id)
        with Session(self._engine) as session:
            entries = self._entry_dicts(session, hearing_id)
        views = []
        for ref in challenge_findings(entries, self._report_operations()):
            on = [e for e in entries if ((e["result"] or {}).get("finding") or {}).get("entry") == ref.entry
                  and e["result"]["finding"].get("number") == ref.number]  # fmt: skip
            disposition = next((e for e in on if e["operation"] == "finding_disposition"), None)
            views.append(ChallengeView(
                ref,
                tuple((e["seq"], e["party"], e["result"]["kind"], e["result"]["text"]) for e in on
                      if e["operation"] == "party_submission"),
                tuple((e["seq"], e["result"]["technician"], e["result"]["answer"], e["result"]["key_fingerprint"])
                      for e in on if e["operation"] == "technician_answer"),
                None if disposition is None else (disposition["seq"], disposition["result"]["disposition"],
                                                  disposition["result"]["reasons"]),
            ))  # fmt: skip
        return views

    def _check_references(
        self, session: Session, hearing_id: int, operation: str, parameters: Mapping[str, Any]
    ) -> None:
        """What a negotiation statement refers to is in this hearing: the offer answered or commented on, the duty
        lawyer given leave."""
        for name in ("responds_to", "on_entry"):
            seq = parameters.get(name)
            if seq is None or isinstance(seq, bool) or not isinstance(seq, int):
                continue  # absent, or refused with its rule by the operation itself
            row = session.exec(select(RecordEntry).where(RecordEntry.hearing_id == hearing_id,
                                                         RecordEntry.seq == seq)).first()  # fmt: skip
            if row is None or row.operation != "negotiation_offer" or json.loads(row.result).get("terms") is None:
                raise InputError(f"{name} {seq}", Rule.UNKNOWN_FIELD, "is no entry of this record offering terms")
        if operation == "court_leave":
            username = parameters.get("username")
            party = session.exec(
                select(User).join(Party, col(Party.user_id) == col(User.id))
                .where(Party.hearing_id == hearing_id, User.username == username)
            ).first()  # fmt: skip
            if party is None or party.role != Role.DUTY_LAWYER:
                raise InputError(f"username {excerpt(username)}", Rule.NOT_ALLOWED_VALUE,
                                 "leave is given to a duty lawyer who is a party to this hearing")  # fmt: skip

    def has_leave(self, token: str, hearing_id: int) -> bool:
        """Whether the court's leave for the caller (a duty lawyer) to query in open court is in the record."""
        principal = self._act(token, Action.VIEW_HEARING, hearing_id)
        return self._has_leave(hearing_id, principal.username)

    def operation_label(self, name: str) -> Label:
        """An operation's name as a court reads it (zh-CN / English)."""
        return self._registry.get(name).description

    def models(self, token: str) -> list[ModelView]:
        """(technologist, clerk) The registered models with their cards."""
        principal = self.principal(token)
        if principal.role not in (Role.TECHNOLOGIST, Role.CLERK):
            raise AccessDeniedError(principal.role, "see the registered models", "the technologist and the clerk")
        with Session(self._engine) as session:
            rows = session.exec(select(RegisteredModel).order_by(col(RegisteredModel.id))).all()
            return [ModelView(r.id or 0, r.name, r.kind, r.location, r.sha256, json.loads(r.card or "{}"),
                              json.loads(r.filing) if r.filing else None) for r in rows]  # fmt: skip

    def batch_audit(
        self, token: str, model_id: int, data: Path, *, threshold_months: float = 0.5, limit_rows: int | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> BatchAudit:  # fmt: skip
        """(technologist) A registered model's batch audit over a file of past cases (group means, controlled flip
        tests of the legally irrelevant factors, coverage), the model checked against its registered digest;
        ``progress(done, total)`` after each chunk. ``limit_rows``: audit only the file's first rows (a trial run)."""
        principal = self._act(token, Action.AUDIT_MODEL)
        with Session(self._engine) as session:
            row = session.get(RegisteredModel, model_id)
            if row is None:
                raise InputError(f"model {model_id}", Rule.UNKNOWN_FIELD, "no such registered model")
        if row.kind != "artifact":
            raise InputError(f"model {model_id}", Rule.NOT_ALLOWED_VALUE,
                             "a batch audit runs a model file the court holds, not an endpoint")  # fmt: skip
        source = data
        with tempfile.TemporaryDirectory(prefix="voirdire-audit-") as folder:
            if limit_rows is not None:
                source = Path(folder) / "cases.csv"
                check_regular_file(data)
                try:
                    pd.read_csv(data, nrows=limit_rows).to_csv(source, index=False)
                except (ValueError, UnicodeDecodeError) as error:  # pandas' parser errors are ValueErrors
                    raise InputFileError(str(data), Rule.FILE_UNREADABLE, one_line(str(error), 200)) from None
            audit = run_batch_audit(source, row.location, threshold_months=threshold_months, progress=False,
                                    model_sha256=row.sha256, on_progress=progress)  # fmt: skip
        with Session(self._engine) as session:
            self._audit(session, principal.username, "batch audit", f"model {model_id}",
                        f"{audit.rows} cases; {len(audit.findings)} findings")  # fmt: skip
            session.commit()
        return audit

    def judges(self, token: str) -> list[str]:
        """(appellate judge, technologist) The judges whose deviation may be read; a judge reads only their own."""
        principal = self._act(token, Action.VIEW_DEVIATION)
        if principal.role == Role.JUDGE:
            return [principal.username]
        with Session(self._engine) as session:
            rows = session.exec(select(User).where(User.role == Role.JUDGE.value).order_by(col(User.username))).all()
            return [u.username for u in rows]

    def _has_leave(self, hearing_id: int, username: str) -> bool:
        with Session(self._engine) as session:
            rows = session.exec(select(RecordEntry).where(RecordEntry.hearing_id == hearing_id,
                                                          RecordEntry.operation == "court_leave")).all()  # fmt: skip
        return any(json.loads(r.parameters).get("username") == username for r in rows)

    def _decision_outcome(
        self, case: HeardCase, hearing_id: int, decision: Mapping[str, Any] | None, adopted_months: float | None,
        context: OperationContext,
    ) -> OperationOutcome | None:  # fmt: skip
        """The court's decision on the proposal the case carries, checked (``proposal_decision``); None without one."""
        if getattr(case, "proposal", None) is None:
            if decision is not None:
                raise InputError("proposal_decision", Rule.NOT_ALLOWED_VALUE, "the case holds no sentencing proposal")
            return None
        if decision is None:
            raise InputError("proposal_decision", Rule.MISSING_REQUIRED,
                             "the case carries the procuratorate's sentencing proposal: say whether the court adopts "
                             "it, adopts it adjusted (art. 201 ¶2) or rejects it")  # fmt: skip
        if not isinstance(decision, Mapping):
            raise InputError("proposal_decision", Rule.WRONG_TYPE, "expected {decision, ground, reasons}")
        unknown = sorted(set(decision) - {"decision", "ground", "reasons", "adjusted_entry"})
        if unknown:
            raise InputError(f"proposal_decision.{one_line(str(unknown[0]), 40)}", Rule.UNKNOWN_FIELD,
                             "no such field; expected decision, ground, reasons, adjusted_entry")  # fmt: skip
        parameters: dict[str, Any] = {
            "made_by": Role.JUDGE.value,
            "adopted_months": adopted_months,
            **{k: decision[k] for k in ("decision", "ground", "reasons") if k in decision},
        }
        if decision.get("decision") == "adjusted":
            parameters["adjusted"] = self._adjusted_proposal(hearing_id, decision.get("adjusted_entry"))
        elif "adjusted_entry" in decision:
            raise InputError("proposal_decision.adjusted_entry", Rule.NOT_ALLOWED_VALUE,
                             "names the adjusted proposal only when the decision is adjusted")  # fmt: skip
        return self._registry.run("proposal_decision", case, parameters, context)

    def _adjusted_proposal(self, hearing_id: int, seq: object) -> dict[str, Any]:
        """The procuratorate's adjusted proposal in the record (the latest, or entry ``seq``): {entry, terms}."""
        with Session(self._engine) as session:
            rows = session.exec(select(RecordEntry).where(RecordEntry.hearing_id == hearing_id,
                                                          RecordEntry.operation == "negotiation_offer")
                                .order_by(col(RecordEntry.seq))).all()  # fmt: skip
        adjusted = [r for r in rows if json.loads(r.result).get("kind") == "adjusted_proposal"
                    and (seq is None or r.seq == seq)]  # fmt: skip
        if not adjusted:
            which = "is" if seq is None else f"is not entry {excerpt(seq)}:"
            raise InputError("proposal_decision.adjusted_entry", Rule.MISSING_REQUIRED,
                             f"the procuratorate's adjusted proposal {which} in the record; the court asks it to "
                             "adjust (art. 201 ¶2) and the prosecution enters the adjusted proposal "
                             "(negotiation_offer, kind adjusted_proposal)")  # fmt: skip
        return {"entry": adjusted[-1].seq, "terms": json.loads(adjusted[-1].result)["terms"]}

    def record(self, token: str, hearing_id: int) -> list[EntryView]:
        self._act(token, Action.VIEW_HEARING, hearing_id)
        with Session(self._engine) as session:
            rows = session.exec(
                select(RecordEntry).where(RecordEntry.hearing_id == hearing_id).order_by(col(RecordEntry.seq))
            ).all()
            return [_view(r) for r in rows]

    def workspace(self, token: str, hearing_id: int) -> list[WorkspaceEntryView]:
        """The caller's own private preparation: never another party's (a co-defendant's counsel is another party,
        though of the same side)."""
        principal = self._act(token, Action.QUERY_WORKSPACE, hearing_id)
        with Session(self._engine) as session:
            rows = session.exec(
                select(WorkspaceEntry).where(WorkspaceEntry.hearing_id == hearing_id,
                                             WorkspaceEntry.user_id == principal.user_id)
                .order_by(col(WorkspaceEntry.id))
            ).all()  # fmt: skip
            return [WorkspaceEntryView(r.time, r.operation, json.loads(r.parameters), json.loads(r.result))
                    for r in rows]  # fmt: skip

    def verify(self, token: str, hearing_id: int) -> ChainVerification:
        self._act(token, Action.VERIFY_RECORD, hearing_id)
        with Session(self._engine) as session:
            rows = session.exec(select(RecordEntry).where(RecordEntry.hearing_id == hearing_id)).all()
            ruling = session.exec(select(Ruling).where(Ruling.hearing_id == hearing_id)).first()
            entries = [_view(r).to_dict() for r in rows]
        return verify_entries(hearing_id, entries, ruling.record_head_sha256 if ruling else None)

    # --- the judge ----------------------------------------------------------------------------
    def write_ruling(
        self,
        token: str,
        hearing_id: int,
        *,
        weighed_liability: str,
        weighed_prevention: str,
        particulars: str,
        departure_reasons: str,
        adopted_months: float | None = None,
        adopted_class: str | None = None,
        proposal_decision: Mapping[str, Any] | None = None,
        anchoring_reasons: str = "",
    ) -> int:
        """The judge's algorithm citation: a term adopted (sentencing case) or the risk class found (risk case).

        Where the case carries the procuratorate's proposal, ``proposal_decision`` says what the court decided on it
        (``{"decision": "adopted" | "adjusted" | "rejected", "ground": …, "reasons": …}``, CPL art. 201); the
        decision is checked, entered as the record's last entry and weighed by the citation, in one transaction.

        Every challenge finding of the record must have the court's disposition first. A term beyond the guideline's
        ±20% band needs reasons and marks the ruling for the adjudication committee. While the deviation monitor
        warns of anchoring on this judge's earlier rulings, ``anchoring_reasons`` (原因说明) is required; the
        warnings and the reason are kept with the citation and sealed."""
        principal, case, model_id, seed, suggestion, adoption = self._checked_citation(
            token, hearing_id, weighed_liability, weighed_prevention, departure_reasons, adopted_months, adopted_class
        )
        warnings = self._deviation_report(principal.username).warnings if suggestion.months is not None else ()
        if warnings and not anchoring_reasons.strip():
            raise InputError("anchoring_reasons", Rule.MISSING_REQUIRED,
                             f"the deviation monitor warns: {warnings[0].en} Write the reason for this ruling "
                             "(原因说明)")  # fmt: skip
        problem = field_text_problem(anchoring_reasons, 4000)
        if problem:
            raise InputError("anchoring_reasons", Rule.NOT_ALLOWED_VALUE, problem)
        decision = self._decision_outcome(case, hearing_id, proposal_decision, adoption.months,
                                          OperationContext(model=self._model_or_none(model_id), seed=seed))  # fmt: skip
        with Session(self._engine) as session:  # the duty's reports and coverage computed (and kept) before the lock
            before = self._entry_dicts(session, hearing_id)
        self._duty(case, model_id, seed, before, full=False)
        with Session(self._engine) as session:
            hearing = session.exec(select(Hearing).where(Hearing.id == hearing_id).with_for_update()).one()
            ruled = check_transition(hearing_id, hearing.state, HearingState.RULED)  # before the decision joins
            entries = self._entry_dicts(session, hearing_id)
            duty = self._duty(case, model_id, seed, entries, full=False)
            if duty.outstanding:
                why = "; ".join(g.evidence.en for g in duty.grounds) or "demanded"
                raise InputError("deep report", Rule.MISSING_REQUIRED,
                                 f"the deep tier of explanation is owed ({why}"
                                 f"{f'; demanded at entry {duty.demanded}' if duty.demanded else ''}) and the record "
                                 "does not hold it yet: escalate to the deep report before the citation")  # fmt: skip
            waiting = undisposed_findings(entries, self._report_operations())
            if waiting:
                first = waiting[0]
                raise InputError(f"finding {first.entry}.{first.number}", Rule.MISSING_REQUIRED,
                                 f"{len(waiting)} challenge finding(s) await the court's disposition (upheld "
                                 f"or rejected, with reasons), first '{first.title.en}' of entry "
                                 f"{first.entry}")  # fmt: skip
            decision_seq = None
            if decision is not None:
                entry = self._append_in(session, hearing, principal.party, decision)
                head, decision_seq = entry["entry_sha256"], int(entry["seq"])
            else:
                rows = session.exec(select(RecordEntry).where(RecordEntry.hearing_id == hearing_id)).all()
                head = max(rows, key=lambda r: r.seq).entry_sha256 if rows else GENESIS
            hearing.state = ruled
            ruling = Ruling(hearing_id=hearing_id, judge_id=principal.user_id, case_kind=suggestion.case_kind,
                            system_suggestion_months=suggestion.months, guideline_months=suggestion.guideline_months,
                            suggested_score=suggestion.score, suggested_class=suggestion.risk_class,
                            recorded_class=suggestion.recorded_class, weighed_liability=weighed_liability,
                            weighed_prevention=weighed_prevention, particulars=particulars,
                            adopted_months=adoption.months, adopted_class=adoption.risk_class,
                            departure_reasons=departure_reasons, record_head_sha256=head,
                            proposal_decision=None if decision is None else canonical_json(decision.result).decode(),
                            proposal_decision_seq=decision_seq,
                            guideline_band_low=suggestion.guideline_band[0] if suggestion.guideline_band else None,
                            guideline_band_high=suggestion.guideline_band[1] if suggestion.guideline_band else None,
                            committee_referral=adoption.beyond_guideline_band,
                            anchoring_warnings=json.dumps([w.to_mapping() for w in warnings], ensure_ascii=False)
                            if warnings else None,
                            anchoring_reasons=anchoring_reasons.strip() or None,
                            offender_group=suggestion.offender_group)  # fmt: skip
            session.add(ruling)
            session.add(hearing)
            try:
                session.commit()
            except DatabaseIntegrityError:
                raise HearingStateError(hearing_id, HearingState.RULED, "a ruling was already written") from None
            assert ruling.id is not None
            return ruling.id

    def _checked_citation(
        self, token: str, hearing_id: int, weighed_liability: str, weighed_prevention: str, departure_reasons: str,
        adopted_months: float | None, adopted_class: str | None,
    ) -> tuple[Principal, HeardCase, int | None, int, Any, Any]:  # fmt: skip
        """What writing and amending a citation both check first: the judge's right, what was weighed, and the
        adoption against the suggestion (departing needs reasons); the model is consulted before any write
        transaction opens (loading it may itself read the store)."""
        principal = self._act(token, Action.WRITE_RULING, hearing_id)
        for field, text in (("weighed_liability", weighed_liability), ("weighed_prevention", weighed_prevention)):
            if not text.strip():
                raise InputError(f"{field}", Rule.MISSING_REQUIRED, "the citation must say what the judge weighed")
        case, _ = self.case(token, hearing_id)
        with Session(self._engine) as session:
            hearing = self._hearing(session, hearing_id)
            model_id, seed = hearing.model_id, hearing.seed
        policy = self._registry.kinds.part(case.kind, CitationPolicy)
        model = None if self._alone(hearing_id, model_id) else self._model_or_none(model_id)
        suggestion = policy.guideline_only(case) if model is None else policy.suggest(case, model)
        adoption = policy.check_adoption(case, suggestion, adopted_months, adopted_class, departure_reasons)
        return principal, case, model_id, seed, suggestion, adoption

    def amend_ruling(
        self, token: str, hearing_id: int, *, weighed_liability: str, weighed_prevention: str, particulars: str,
        departure_reasons: str, adopted_months: float | None = None, adopted_class: str | None = None,
    ) -> None:  # fmt: skip
        """(the judge who wrote it) Amend the citation after it is written and before the hearing is closed: the same
        checks as writing it (departing needs reasons); the record weighed is unchanged, and so is a decision on the
        proposal already entered in it (a plea case's sentence stays as decided). Written in the audit log."""
        principal, _, _, _, _, adoption = self._checked_citation(
            token, hearing_id, weighed_liability, weighed_prevention, departure_reasons, adopted_months, adopted_class
        )
        with Session(self._engine) as session:
            hearing = session.exec(select(Hearing).where(Hearing.id == hearing_id).with_for_update()).one()
            require_state(hearing_id, hearing.state, frozenset({HearingState.RULED}),
                          "a citation is amended after it is written and before the hearing is closed")  # fmt: skip
            ruling = session.exec(select(Ruling).where(Ruling.hearing_id == hearing_id)).one()
            if ruling.judge_id != principal.user_id:
                raise AccessDeniedError(principal.role, "amend the citation", "only the judge who wrote it")
            if ruling.proposal_decision is not None and adoption.months != ruling.adopted_months:
                raise InputError("adopted_months", Rule.NOT_ALLOWED_VALUE,
                                 f"the court's decision on the proposal, entered in the record, holds "
                                 f"{ruling.adopted_months:g} months; the sentence stays as decided")  # fmt: skip
            before = ruling.adopted_months if ruling.adopted_months is not None else ruling.adopted_class
            ruling.weighed_liability, ruling.weighed_prevention = weighed_liability, weighed_prevention
            ruling.particulars, ruling.departure_reasons = particulars, departure_reasons
            ruling.adopted_months, ruling.adopted_class = adoption.months, adoption.risk_class
            ruling.committee_referral = adoption.beyond_guideline_band
            after = adoption.months if adoption.months is not None else adoption.risk_class
            session.add(ruling)
            self._audit(session, principal.username, "citation amended", f"hearing {hearing_id}",
                        f"adopted {before} → {after}")  # fmt: skip
            session.commit()

    def close_hearing(self, token: str, hearing_id: int) -> None:
        self._act(token, Action.CLOSE_HEARING, hearing_id)
        with Session(self._engine) as session:
            hearing = self._hearing(session, hearing_id)
            ruling = session.exec(select(Ruling).where(Ruling.hearing_id == hearing_id)).first()
            if ruling is None:
                raise HearingStateError(hearing_id, hearing.state, "write the algorithm citation before closing")
            hearing.state = check_transition(hearing_id, hearing.state, HearingState.CLOSED)
            hearing.closed_at = self._clock()
            session.add(hearing)
            session.commit()

    def ruling(self, token: str, hearing_id: int) -> RulingView | None:
        self._act(token, Action.VIEW_HEARING, hearing_id)
        with Session(self._engine) as session:
            row = session.exec(select(Ruling).where(Ruling.hearing_id == hearing_id)).first()
            return _ruling_view(row) if row is not None else None

    def hearing_state(self, token: str, hearing_id: int) -> HearingState:
        self._act(token, Action.VIEW_HEARING, hearing_id)
        with Session(self._engine) as session:
            return HearingState(self._hearing(session, hearing_id).state)

    def hearings(self, token: str) -> list[HearingSummary]:
        """The hearings the caller may see (all, for the clerk)."""
        principal = self.principal(token)
        with Session(self._engine) as session:
            query = select(Hearing, CaseRecord).where(Hearing.case_id == CaseRecord.id)
            if principal.role not in (Role.CLERK, Role.TECHNOLOGIST):
                query = query.join(Party, col(Party.hearing_id) == col(Hearing.id)).where(
                    Party.user_id == principal.user_id
                )
            return [
                HearingSummary(int(h.id or 0), c.case_id, HearingState(h.state)) for h, c in session.exec(query).all()
            ]

    def deviation(self, token: str, judge_username: str) -> DeviationReport:
        """The judge's adjustments to the algorithm's terms over their hearings, with anchoring warnings (by count
        and by period), recidivists and offenders with a prior record shown apart.

        Only sentencing citations have a term to adjust; a risk citation's class is not a distance in months.
        """
        self.judge_rulings(token, judge_username)  # the caller's right to see this judge's rulings
        return self._deviation_report(judge_username)

    def _deviation_report(self, judge_username: str) -> DeviationReport:
        points = [
            DeviationPoint(r.hearing_id, r.created_at.isoformat(), r.system_suggestion_months, r.adopted_months,
                           r.offender_group or "first_offender")
            for r in self._rulings_of(judge_username)
            if r.system_suggestion_months is not None and r.adopted_months is not None
        ]  # fmt: skip
        return monitor_deviation(judge_username, points, window=self.settings.deviation_window,
                                 period_days=self.settings.deviation_period_days)  # fmt: skip

    def judge_rulings(self, token: str, judge_username: str) -> list[RulingView]:
        principal = self._act(token, Action.VIEW_DEVIATION)
        if principal.role == Role.JUDGE and principal.username != judge_username:
            raise AccessDeniedError(principal.role, Action.VIEW_DEVIATION.value, "a judge sees only their own")
        return self._rulings_of(judge_username)

    def _rulings_of(self, judge_username: str) -> list[RulingView]:
        with Session(self._engine) as session:
            judge = session.exec(select(User).where(User.username == judge_username)).first()
            if judge is None:
                raise InputError(f"judge {judge_username!r}", Rule.UNKNOWN_FIELD, "no such user")
            rows = session.exec(
                select(Ruling).where(Ruling.judge_id == judge.id).order_by(col(Ruling.created_at))
            ).all()
            return [_ruling_view(row) for row in rows]

    def citation_text(self, token: str, hearing_id: int, language: Language) -> str | None:
        """The judgment-ready algorithm citation of the hearing's ruling (None before it is written), from the facts
        the pack seals."""
        self._act(token, Action.VIEW_HEARING, hearing_id)
        duty = self._hearing_duty(hearing_id).to_dict()  # before the session below: it may load the model
        with Session(self._engine) as session:
            hearing = self._hearing(session, hearing_id)
            if session.exec(select(Ruling).where(Ruling.hearing_id == hearing_id)).first() is None:
                return None
            case, _ = self._case_of(session, hearing)
            facts = self._ruling_facts(session, hearing, duty)
        return self._registry.kinds.part(case.kind, CitationPolicy).section(facts, language)

    # --- sealing keys, the court's CA, sealing and the docket -------------------------------------
    def create_sealing_key(self, token: str, passphrase: str) -> str:
        """A new Ed25519 key for the caller (a judge's sealing key, a technician's key for signing answers),
        encrypted with their passphrase; any earlier key is retired."""
        principal = self.principal(token)
        self._authorized(principal, Action.ANSWER_FINDING if principal.role == Role.TECHNICIAN else Action.SEAL_PACK)
        key = generate_sealing_key(passphrase)
        with Session(self._engine) as session:
            for old in session.exec(_active_keys(principal.user_id)).all():
                old.retired_at = self._clock()
                session.add(old)
            session.add(SealingKey(user_id=principal.user_id, fingerprint=key.fingerprint,
                                   public_pem=key.public_pem.decode("ascii"),
                                   encrypted_private_key=key.encrypted_private_key.decode("ascii"),
                                   created_at=self._clock()))  # fmt: skip
            session.commit()
        return key.fingerprint

    def create_court_authority(self, token: str, name: str, passphrase: str) -> str:
        """(technologist) The court's root certificate, once; returns it (PEM) for the court to publish."""
        principal = self._act(token, Action.MANAGE_SEALING_KEYS)
        if not name.strip():
            raise InputError("name", Rule.MISSING_REQUIRED, "the court's name is needed for its certificate")
        with Session(self._engine) as session:
            if session.exec(select(CourtAuthority)).first() is not None:
                raise InputError("court authority", Rule.NOT_ALLOWED_VALUE, "the court already has one")
            keys = create_court_authority(name, passphrase)
            session.add(CourtAuthority(name=name, certificate_pem=keys.certificate_pem.decode("ascii"),
                                       encrypted_private_key=keys.encrypted_private_key.decode("ascii"),
                                       created_by=principal.user_id))  # fmt: skip
            session.commit()
            return keys.certificate_pem.decode("ascii")

    def certify_sealing_key(self, token: str, username: str, ca_passphrase: str | None = None) -> str:
        """(technologist) The court's approval of ``username``'s current sealing key: only then is it a sealer's key
        (published, and accepted by ``seal``). Where the court has a CA, its certificate for the key is issued too
        (the CA's passphrase is then needed). Returns the key's fingerprint."""
        principal = self._act(token, Action.MANAGE_SEALING_KEYS)
        with Session(self._engine) as session:
            user, key = self._current_key(session, username)
            if user.role not in _KEY_ROLES:
                raise InputError(f"user {username!r}", Rule.NOT_ALLOWED_VALUE, f"a {user.role} neither seals packs "
                                 "nor signs answers")  # fmt: skip
            if user.id == principal.user_id:
                raise AccessDeniedError(principal.role, Action.MANAGE_SEALING_KEYS.value, "not one's own key")
            authority = session.exec(select(CourtAuthority)).first()
            if authority is not None:
                if not ca_passphrase:
                    raise InputError(
                        'the court has a certificate authority', Rule.MISSING_REQUIRED,
                        'its passphrase is needed to certify',
                    )  # fmt: skip
                certificate = issue_sealer_certificate(
                    CourtAuthorityKeys(authority.certificate_pem.encode(), authority.encrypted_private_key.encode()),
                    ca_passphrase, key.public_pem.encode(), user.username, user.role,
                )  # fmt: skip
                key.certificate_pem = certificate.decode("ascii")
            if key.approved_at is None:  # certifying an approved key later (a new CA) keeps its period
                key.approved_at = self._clock()
                key.approved_by = principal.user_id
            session.add(key)
            certified = " with the court CA's certificate" if authority else ""
            self._audit(session, principal.username, "sealing key approved", username,
                        f"key {key.fingerprint[:16]}…{certified}")  # fmt: skip
            session.commit()
            return key.fingerprint

    def _current_key(self, session: Session, username: str) -> tuple[User, SealingKey]:
        user = session.exec(select(User).where(User.username == username)).first()
        if user is None:
            raise InputError(f"user {excerpt(username)}", Rule.UNKNOWN_FIELD, "no such user")
        assert user.id is not None
        key = session.exec(_active_keys(user.id)).first()
        if key is None:
            raise InputError(f"user {username!r}", Rule.MISSING_REQUIRED, "has no sealing key; create one first")
        return user, key

    def sealing_key(self, token: str) -> str | None:
        """The fingerprint of the caller's current sealing key, if they have one."""
        principal = self.principal(token)
        with Session(self._engine) as session:
            key = session.exec(_active_keys(principal.user_id)).first()
            return key.fingerprint if key else None

    def sealing_key_approved(self, token: str) -> bool:
        """Whether the court has approved the caller's current sealing key (only then can they seal)."""
        principal = self.principal(token)
        with Session(self._engine) as session:
            key = session.exec(_active_keys(principal.user_id)).first()
            return key is not None and key.approved_at is not None

    def published_sealers(self, token: str) -> list[PublishedSealer]:
        """Every sealing key the court approved, with the period it was in force (approval to retirement)."""
        self._act(token, Action.VIEW_DOCKET)
        with Session(self._engine) as session:
            approved = col(SealingKey.approved_at).is_not(None)
            rows = session.exec(select(SealingKey, User).where(SealingKey.user_id == User.id, approved)).all()
            sealers = []
            for key, user in rows:
                assert key.approved_at is not None
                if key.retired_at is not None and key.retired_at <= key.approved_at:
                    continue  # retired before it was ever in force
                # Published to the second (the TSA's own accuracy): in force from the second of approval to the
                # second after retirement, so that a pack stamped in the second of a retirement still verifies.
                retired = _utc(key.retired_at).replace(microsecond=0) + timedelta(seconds=1) if key.retired_at else None
                sealers.append(
                    PublishedSealer(
                        key.fingerprint,
                        user.username,
                        user.role,
                        _utc(key.approved_at),
                        retired,
                        key.certificate_pem is not None,
                        key.public_pem.encode("ascii"),
                    )
                )
            return sealers

    def court_root(self, token: str) -> str | None:
        """The court CA's root certificate (PEM), when it has one."""
        self._act(token, Action.VIEW_DOCKET)
        with Session(self._engine) as session:
            authority = session.exec(select(CourtAuthority)).first()
            return authority.certificate_pem if authority else None

    def publish(self, token: str, folder: Path, *, tsa_root_pem: bytes | None) -> list[Path]:
        """Write what verifiers need (``evidence_pack.published``): approved keys, roots, docket, the script."""
        return write_published(folder, self.published_sealers(token), self.docket(token),
                               court_root_pem=(root.encode("ascii") if (root := self.court_root(token)) else None),
                               tsa_root_pem=tsa_root_pem)  # fmt: skip

    def seal(
        self,
        token: str,
        hearing_id: int,
        passphrase: str,
        destination: Path,
        *,
        authority: TimestampAuthority | None = None,
        model_travels: bool = True,
        progress: Callable[[str], None] | None = None,
    ) -> SealedPack:
        """Seal a closed hearing (a sealed one again: a new version superseding the last); enter it in the docket.

        The docket row is written while the folder is still locked: if it cannot be written the pack is removed,
        and a pack of this hearing that a killed seal left outside the docket is removed by the next seal.
        """
        principal = self._act(token, Action.SEAL_PACK, hearing_id)
        duty = self._hearing_duty(hearing_id).to_dict()  # before the session below: it may load the model
        with Session(self._engine) as session:
            hearing = self._hearing(session, hearing_id)
            check_transition(hearing_id, hearing.state, HearingState.SEALED)
            user, key = self._current_key(session, principal.username)
            if key.approved_at is None:
                raise AccessDeniedError(principal.role, Action.SEAL_PACK.value, "your sealing key awaits the court's "
                                        "approval (`voirdire key-certify` by the court's technologist)")  # fmt: skip
            transcript = self._transcript(session, hearing, duty)
            previous = session.exec(
                select(PackRecord).where(PackRecord.hearing_id == hearing_id).order_by(col(PackRecord.version).desc())
            ).first()
            model_id = hearing.model_id
            fingerprint = key.fingerprint
            private_pem, public_pem = key.encrypted_private_key.encode(), key.public_pem.encode()
            certificate = key.certificate_pem.encode() if key.certificate_pem else None
        sealer = Sealer(user.username, user.role, unlock_private_key(private_pem, passphrase), public_pem, certificate)
        alone = self._alone(hearing_id, model_id) is not None
        version = previous.version + 1 if previous else 1
        standard = self.report(token, hearing_id, "standard")
        request = SealRequest(transcript, self._model_or_none(model_id), sealer, authority or self._authority(),
                              version=version, supersedes=previous.digest if previous else None,
                              model_travels=model_travels, sealed_at=self._clock(),
                              standard=standard.report if standard else None, memo=self._reports,
                              progress=progress, guideline_alone=alone)  # fmt: skip

        def enter(sealed: SealedPack) -> None:
            try:
                with Session(self._engine) as session:
                    hearing = self._hearing(session, hearing_id)
                    session.add(PackRecord(hearing_id=hearing_id, case_id=transcript.case_document["case_id"],
                                           version=version, digest=sealed.digest,
                                           supersedes=previous.digest if previous else None,
                                           record_head_sha256=sealed.record_head, record_length=sealed.record_length,
                                           sealed_by=principal.user_id, key_fingerprint=fingerprint,
                                           location=str(sealed.path), created_at=self._clock()))  # fmt: skip
                    hearing.state = check_transition(hearing_id, hearing.state, HearingState.SEALED)
                    session.add(hearing)
                    session.commit()
            except DatabaseIntegrityError:
                raise HearingStateError(
                    hearing_id, HearingState.SEALED, f"version {version} was sealed by someone else meanwhile"
                ) from None

        def docketed(digest: str) -> bool:
            with Session(self._engine) as session:
                return session.exec(select(PackRecord).where(PackRecord.digest == digest)).first() is not None

        return seal_pack(request, destination, enter_in_docket=enter, is_docketed=docketed)

    def _transcript(self, session: Session, hearing: Hearing, duty: dict[str, Any]) -> HearingTranscript:
        assert hearing.id is not None
        case_row = session.get(CaseRecord, hearing.case_id)
        model_row = None if hearing.model_id is None else session.get(RegisteredModel, hearing.model_id)
        ruling = session.exec(select(Ruling).where(Ruling.hearing_id == hearing.id)).first()
        assert case_row is not None and ruling is not None
        rows = session.exec(
            select(RecordEntry).where(RecordEntry.hearing_id == hearing.id).order_by(col(RecordEntry.seq))
        ).all()
        parties = session.exec(
            select(User).join(Party, col(Party.user_id) == col(User.id)).where(Party.hearing_id == hearing.id)
        ).all()
        ruling_facts = self._ruling_facts(session, hearing, duty)
        case = parse_case_document(json.loads(case_row.document))
        ruling_facts["citation_section"] = {
            language: self._registry.kinds.part(case.kind, CitationPolicy).section(ruling_facts, language)
            for language in ("zh-CN", "en")
        }
        return HearingTranscript(
            hearing_id=hearing.id, state=hearing.state, case_document=json.loads(case_row.document),
            seed=hearing.seed, opened_at=hearing.created_at.isoformat(),
            closed_at=hearing.closed_at.isoformat() if hearing.closed_at else "",
            parties=tuple({"username": u.username, "role": u.role} for u in sorted(parties, key=lambda u: u.username)),
            entries=tuple(_view(r).to_dict() for r in rows), ruling=ruling_facts,
            model_location=model_row.location if model_row else "",
        )  # fmt: skip

    def _hearing_duty(self, hearing_id: int) -> DeepTierDuty:
        """The deep tier's duty in this hearing's record, computed outside any open session: it may build the
        standard report and load the model, which reads the store (on SQLite every session takes the write lock)."""
        with Session(self._engine) as session:
            hearing = self._hearing(session, hearing_id)
            case, _ = self._case_of(session, hearing)
            model_id, seed = hearing.model_id, hearing.seed
            entries = self._entry_dicts(session, hearing_id)
        return self._duty(case, model_id, seed, entries)

    def _ruling_facts(self, session: Session, hearing: Hearing, duty: dict[str, Any]) -> dict[str, Any]:
        """The citation as the pack seals it (``ruling.json``): the suggestion, what was weighed and adopted, the
        decision on a proposal, the dispositions of the challenge findings, the guideline's band and the committee's
        referral, the deviation monitor's warnings and the judge's written reason, the model that answered."""
        ruling = session.exec(select(Ruling).where(Ruling.hearing_id == hearing.id)).one()
        model_row = None if hearing.model_id is None else session.get(RegisteredModel, hearing.model_id)
        rows = session.exec(select(RecordEntry).where(RecordEntry.hearing_id == hearing.id)
                            .order_by(col(RecordEntry.seq))).all()  # fmt: skip
        judge = session.get(User, ruling.judge_id)
        band = None if ruling.guideline_band_low is None else [ruling.guideline_band_low, ruling.guideline_band_high]
        return {
            "judge": judge.username if judge else None, "case_kind": ruling.case_kind,
            "system_suggestion_months": ruling.system_suggestion_months, "guideline_months": ruling.guideline_months,
            "suggested_score": ruling.suggested_score, "suggested_class": ruling.suggested_class,
            "recorded_class": ruling.recorded_class, "weighed_liability": ruling.weighed_liability,
            "weighed_prevention": ruling.weighed_prevention, "particulars": ruling.particulars,
            "adopted_months": ruling.adopted_months, "adopted_class": ruling.adopted_class,
            "departure_reasons": ruling.departure_reasons,
            "record_head_sha256": ruling.record_head_sha256, "written_at": ruling.created_at.isoformat(),
            "proposal_decision": _decision_of(ruling),
            "challenge_findings": self._dispositions(rows),
            "ai_notice": self._notice(rows),
            "deep_tier": duty,
            "guideline_band_months": band, "committee_referral": ruling.committee_referral,
            "anchoring_warnings": json.loads(ruling.anchoring_warnings) if ruling.anchoring_warnings else [],
            "anchoring_reasons": ruling.anchoring_reasons, "offender_group": ruling.offender_group,
            "model": {"name": model_row.name if model_row else None, "sha256": model_row.sha256 if model_row else None},
        }  # fmt: skip

    @staticmethod
    def _notice(rows: Any) -> dict[str, Any] | None:
        """The record's last notice to the defendant that AI is used, and whether they refused it."""
        notices = [r for r in rows if r.operation == NOTICE_OPERATION]
        if not notices:
            return None
        result = json.loads(notices[-1].result)
        return {"entry": notices[-1].seq, "notified_on": result["notified_on"], "refused": result["refused"]}

    def _dispositions(self, rows: Any) -> list[dict[str, Any]]:
        """The challenge findings the ruling rests on, each with the entry of its disposition."""
        entries = [_view(r).to_dict() for r in rows]
        disposed = {(e["result"]["finding"]["entry"], e["result"]["finding"]["number"]): e for e in entries
                    if e["operation"] == "finding_disposition"}  # fmt: skip
        listed = []
        for ref in challenge_findings(entries, self._report_operations()):
            entry = disposed.get((ref.entry, ref.number))  # none only for a ruling written before dispositions
            listed.append({"entry": ref.entry, "number": ref.number, "kind": ref.kind,
                           "disposition_entry": None if entry is None else entry["seq"],
                           "disposition": None if entry is None else entry["result"]["disposition"]})  # fmt: skip
        return listed

    # --- the appeal: the sealed pack examined as the appellate court would, from the app -------------------
    def _latest_pack(self, token: str, hearing_id: int) -> Path:
        packs = self.packs(token, hearing_id)
        if not packs:
            raise HearingStateError(hearing_id, self.hearing_state(token, hearing_id), "no pack has been sealed yet")
        return Path(packs[-1].location)

    def _anchors(self, token: str, folder: Path) -> TrustAnchors:
        """What the court publishes (approved keys, roots, docket), written to ``folder`` and read back as anchors."""
        self.publish(token, folder, tsa_root_pem=self._authority().root_pem.read_bytes())
        return TrustAnchors.from_published(folder)

    def appeal_check(self, token: str, hearing_id: int, *, replay: bool = True) -> tuple[Verdict, ReplayReport | None]:
        """The hearing's latest sealed pack verified against what the court publishes and (``replay``) every recorded
        query run again and compared; what ``voirdire verify`` and ``voirdire replay`` say, for the browser."""
        self._act(token, Action.VIEW_HEARING, hearing_id)
        pack = self._latest_pack(token, hearing_id)
        with tempfile.TemporaryDirectory(prefix="voirdire-published-") as scratch:
            anchors = self._anchors(token, Path(scratch))
            docket = self.docket(token)
            if replay:  # replay verifies the pack first: its verdict is the one shown (the pack is checked once)
                try:
                    replayed = replay_pack(pack, anchors, docket=docket, registry=self._registry)
                except UnverifiedPackError:
                    pass  # a pack that fails a check is not replayed: the checks are shown one by one below
                else:
                    assert replayed.verdict is not None
                    return replayed.verdict, replayed
            return verify_pack(pack, anchors, docket), None

    def appeal_query(
        self, token: str, hearing_id: int, operation: str, parameters: Mapping[str, Any]
    ) -> tuple[OperationOutcome, int]:
        """(appellate judge) A new query against the sealed pack's model, chained to the pack's digest in the
        appellate record (``<home>/appeals/hearing-N.jsonl``), never in the closed hearing's record."""
        principal = self._act(token, Action.QUERY_OPEN_COURT, hearing_id)
        if principal.role != Role.APPELLATE_JUDGE:
            raise AccessDeniedError(principal.role, "query a sealed pack", "the appellate court puts appellate queries")
        with self._appellate_session(token, hearing_id, principal.party) as session:
            return session.query(operation, parameters)

    def appeal_record(self, token: str, hearing_id: int) -> list[dict[str, Any]]:
        """The appellate record of the hearing's pack (each entry with its result), checked as a chain."""
        self._act(token, Action.VIEW_HEARING, hearing_id)
        if not self._appeal_record_file(hearing_id).is_file():
            return []
        with self._appellate_session(token, hearing_id, "reader") as session:
            return session.entries()

    def _appeal_record_file(self, hearing_id: int) -> Path:
        return self._settings.data_home / "appeals" / f"hearing-{hearing_id}.jsonl"

    @contextlib.contextmanager
    def _appellate_session(self, token: str, hearing_id: int, party: str) -> Iterator[AppellateSession]:
        """An appellate session on the hearing's latest pack, opened against what the court publishes."""
        pack = self._latest_pack(token, hearing_id)
        with tempfile.TemporaryDirectory(prefix="voirdire-appeal-") as scratch:
            anchors = self._anchors(token, Path(scratch) / "published")
            with opened_pack(pack) as folder, AppellateSession(folder, anchors, self._appeal_record_file(hearing_id),
                                                               party, registry=self._registry) as session:  # fmt: skip
                yield session

    def docket(self, token: str) -> Docket:
        """Every sealed pack the court holds (the basis for telling a current pack from a superseded one)."""
        self._act(token, Action.VIEW_DOCKET)
        with Session(self._engine) as session:
            rows = session.exec(select(PackRecord).order_by(col(PackRecord.hearing_id), col(PackRecord.version))).all()
            return Docket(tuple(DocketEntry(r.case_id, r.hearing_id, r.version, r.digest) for r in rows))

    def packs(self, token: str, hearing_id: int) -> list[PackView]:
        self._act(token, Action.VIEW_HEARING, hearing_id)
        with Session(self._engine) as session:
            rows = session.exec(
                select(PackRecord).where(PackRecord.hearing_id == hearing_id).order_by(col(PackRecord.version))
            ).all()
            return [PackView(r.hearing_id, r.case_id, r.version, r.digest, r.supersedes, r.record_head_sha256,
                             r.record_length, r.key_fingerprint, r.location, r.created_at) for r in rows]  # fmt: skip
