"""The court's store (SQLModel): users, sessions, cases, registered models, hearings, parties, the
hash-chained record, the private workspaces, rulings, sealing keys and the docket of sealed packs.

SQLite by default (``var/voirdire.sqlite``, WAL, full sync, every transaction ``BEGIN IMMEDIATE``
so that writers queue instead of racing); PostgreSQL by URL (``VOIRDIRE_DATABASE_URL``). The schema
is created and upgraded only by the versioned migrations in ``hearing/migrations`` (Alembic).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import DateTime, Engine, Index, UniqueConstraint, event, false
from sqlmodel import Field, SQLModel, create_engine

from sentencing.lifecycle import HearingState

__all__ = [
    "AuditEntry",
    "CaseRecord",
    "CourtAuthority",
    "Hearing",
    "LoginAttempt",
    "PackRecord",
    "Party",
    "RecordEntry",
    "RegisteredModel",
    "Ruling",
    "SealingKey",
    "SessionToken",
    "User",
    "WorkspaceEntry",
    "downgrade",
    "make_engine",
    "migrate",
    "utcnow",
]


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class User(SQLModel, table=True):
    __tablename__ = "users"
    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(index=True, unique=True, max_length=64)
    role: str = Field(max_length=32)
    password_hash: str = Field(max_length=256)
    created_at: datetime = Field(default_factory=utcnow, sa_type=DateTime)


class SessionToken(SQLModel, table=True):
    __tablename__ = "sessions"
    id: int | None = Field(default=None, primary_key=True)
    token_sha256: str = Field(index=True, unique=True, max_length=64)
    user_id: int = Field(foreign_key="users.id")
    expires_at: datetime = Field(sa_type=DateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=DateTime)


class CaseRecord(SQLModel, table=True):
    __tablename__ = "cases"
    id: int | None = Field(default=None, primary_key=True)
    case_id: str = Field(index=True, unique=True, max_length=64)
    document: str  # the canonical case JSON
    sha256: str = Field(max_length=64)
    sensitive: str = "{}"  # e.g. a minor's identity: shown only to cleared roles
    created_by: int = Field(foreign_key="users.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=DateTime)


class RegisteredModel(SQLModel, table=True):
    __tablename__ = "models"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    kind: str = Field(max_length=16)  # artifact | endpoint
    location: str
    sha256: str | None = Field(default=None, max_length=64)
    card: str = "{}"
    registered_by: int = Field(foreign_key="users.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=DateTime)
    # its filing (备案) and review (法发〔2022〕33号): number, risk level, assessment and ethics-review dates (JSON)
    filing: str | None = None


class Hearing(SQLModel, table=True):
    __tablename__ = "hearings"
    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id")
    model_id: int | None = Field(default=None, foreign_key="models.id")  # None: heard on the guideline alone
    state: str = Field(default=HearingState.OPEN.value, max_length=16)  # sentencing.lifecycle
    seed: int = 0
    created_at: datetime = Field(default_factory=utcnow, sa_type=DateTime)
    closed_at: datetime | None = Field(default=None, sa_type=DateTime)


class Party(SQLModel, table=True):
    __tablename__ = "parties"
    __table_args__ = (UniqueConstraint("hearing_id", "user_id"),)
    id: int | None = Field(default=None, primary_key=True)
    hearing_id: int = Field(foreign_key="hearings.id")
    user_id: int = Field(foreign_key="users.id")


class RecordEntry(SQLModel, table=True):
    """One open-court query. ``(hearing_id, seq)`` is unique, so two appends can never share a place."""

    __tablename__ = "record_entries"
    __table_args__ = (UniqueConstraint("hearing_id", "seq"), UniqueConstraint("hearing_id", "prev_sha256"))
    id: int | None = Field(default=None, primary_key=True)
    hearing_id: int = Field(foreign_key="hearings.id", index=True)
    seq: int
    time: str = Field(max_length=40)
    party: str = Field(max_length=100)
    operation: str = Field(max_length=64)
    parameters: str
    result: str
    result_sha256: str = Field(max_length=64)
    model_sha256: str | None = Field(default=None, max_length=64)
    seed: int
    prev_sha256: str = Field(max_length=64)
    entry_sha256: str = Field(max_length=64)


class WorkspaceEntry(SQLModel, table=True):
    """A query in one side's private preparation workspace: never in the record, never seen by the other side."""

    __tablename__ = "workspace_entries"
    id: int | None = Field(default=None, primary_key=True)
    hearing_id: int = Field(foreign_key="hearings.id", index=True)
    side: str = Field(max_length=32)
    user_id: int = Field(foreign_key="users.id")
    time: str = Field(max_length=40)
    operation: str = Field(max_length=64)
    parameters: str
    result: str


class Ruling(SQLModel, table=True):
    """The judge's algorithm citation (SENTENCING_RULES.md §4): months for a sentencing case, a class for a risk one."""

    __tablename__ = "rulings"
    id: int | None = Field(default=None, primary_key=True)
    hearing_id: int = Field(foreign_key="hearings.id", unique=True)
    judge_id: int = Field(foreign_key="users.id")
    case_kind: str = Field(default="sentencing", max_length=32, sa_column_kwargs={"server_default": "sentencing"})
    system_suggestion_months: float | None = None
    guideline_months: float | None = None
    suggested_score: float | None = None
    suggested_class: str | None = Field(default=None, max_length=32)
    recorded_class: str | None = Field(default=None, max_length=32)
    weighed_liability: str
    weighed_prevention: str
    particulars: str
    adopted_months: float | None = None
    adopted_class: str | None = Field(default=None, max_length=32)
    departure_reasons: str
    record_head_sha256: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=utcnow, sa_type=DateTime)
    # the court's decision on the procuratorate's proposal (CPL art. 201): the record's entry and its result (JSON)
    proposal_decision: str | None = None
    proposal_decision_seq: int | None = None
    # the judge's accountability: the guideline's ±20% band and whether the term lies beyond it (the adjudication
    # committee decides); the deviation monitor's warnings in force when it was written and the judge's written
    # reason (原因说明) answering them; the case's group (recidivist, prior record, first offender)
    guideline_band_low: float | None = None
    guideline_band_high: float | None = None
    committee_referral: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    anchoring_warnings: str | None = None
    anchoring_reasons: str | None = None
    offender_group: str | None = Field(default=None, max_length=32)


class SealingKey(SQLModel, table=True):
    """A court user's Ed25519 sealing key: the private half only ever stored encrypted with their passphrase."""

    __tablename__ = "sealing_keys"
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    fingerprint: str = Field(max_length=64, unique=True, index=True)
    public_pem: str
    encrypted_private_key: str
    certificate_pem: str | None = None  # issued by the court's CA, when it has one
    created_at: datetime = Field(default_factory=utcnow, sa_type=DateTime)
    retired_at: datetime | None = Field(default=None, sa_type=DateTime)
    approved_at: datetime | None = Field(default=None, sa_type=DateTime)  # the court's approval: a sealer key
    approved_by: int | None = None


class LoginAttempt(SQLModel, table=True):
    """One log-in attempt (the name as typed, where from): what the throttle and the lock-out count."""

    __tablename__ = "login_attempts"
    __table_args__ = (Index("ix_login_attempts_username_time", "username", "time"),
                      Index("ix_login_attempts_source_time", "source", "time"))  # fmt: skip
    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=64)
    source: str = Field(max_length=100)
    time: datetime = Field(sa_type=DateTime)
    outcome: str = Field(max_length=16)  # pending | failed | succeeded | refused | reset


class AuditEntry(SQLModel, table=True):
    """What the court must be able to read back: lock-outs, unlocks, users created, keys approved."""

    __tablename__ = "audit_entries"
    id: int | None = Field(default=None, primary_key=True)
    time: datetime = Field(sa_type=DateTime)
    actor: str = Field(max_length=64)
    action: str = Field(max_length=64)
    subject: str = Field(max_length=200)
    detail: str


class CourtAuthority(SQLModel, table=True):
    """The court's certificate authority (optional): its root certificate and its encrypted key."""

    __tablename__ = "court_authorities"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    certificate_pem: str
    encrypted_private_key: str
    created_by: int = Field(foreign_key="users.id")
    created_at: datetime = Field(default_factory=utcnow, sa_type=DateTime)


class PackRecord(SQLModel, table=True):
    """The docket: every sealed pack's digest (sha256 of its signed statement) and version."""

    __tablename__ = "packs"
    __table_args__ = (UniqueConstraint("hearing_id", "version"),)
    id: int | None = Field(default=None, primary_key=True)
    hearing_id: int = Field(foreign_key="hearings.id", index=True)
    case_id: str = Field(max_length=64)
    version: int
    digest: str = Field(max_length=64, unique=True, index=True)
    supersedes: str | None = Field(default=None, max_length=64)
    record_head_sha256: str = Field(max_length=64)
    record_length: int
    sealed_by: int = Field(foreign_key="users.id")
    key_fingerprint: str = Field(max_length=64)
    location: str
    created_at: datetime = Field(default_factory=utcnow, sa_type=DateTime)


def make_engine(url: str) -> Engine:
    """An engine on the court's store (``Settings.store_url``): SQLite in WAL mode, or PostgreSQL."""
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            _private_file(Path(path))
        engine = create_engine(url, connect_args={"timeout": 60, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _connect(dbapi_connection: Any, _: Any) -> None:
            dbapi_connection.isolation_level = None  # we issue BEGIN ourselves, below
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=FULL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _begin(connection: Any) -> None:
            connection.exec_driver_sql("BEGIN IMMEDIATE")  # writers queue; no lost update, no fork

        return engine
    return create_engine(url, pool_pre_ping=True)


def _private_file(path: Path) -> None:
    """The SQLite file (and so its -wal and -shm files, which SQLite creates with the same mode) readable by its
    owner only: it holds password hashes and, encrypted, a minor's identity."""
    try:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        return  # SQLite will say, in its own words, why it cannot open the store
    os.close(descriptor)
    for companion in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        if companion.is_file() and companion.stat().st_mode & 0o077:
            companion.chmod(0o600)


def _alembic(engine: Engine, step: Callable[[Config], None], field_key: bytes | None) -> None:
    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    config.attributes["field_key"] = field_key
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        step(config)


def migrate(engine: Engine, revision: str = "head", *, field_key: bytes | None = None) -> None:
    """Bring the schema up to ``revision`` with the versioned migrations (never ``create_all``); ``field_key``
    (the settings' key) encrypts sensitive fields an older store held in plain text, and is required then."""
    _alembic(engine, lambda config: command.upgrade(config, revision), field_key)


def downgrade(engine: Engine, revision: str, *, field_key: bytes | None = None) -> None:
    """Take the schema back down to ``revision`` (``base``: no tables)."""
    _alembic(engine, lambda config: command.downgrade(config, revision), field_key)
