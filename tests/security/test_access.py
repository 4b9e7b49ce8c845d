"""Items 5-10: no role reaches beyond its rights; log-in resists guessing; names are names; each party's
workspace is its own; the store keeps its secrets from a copy of the database."""

from __future__ import annotations

import hashlib
import json
import stat
import threading
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from hearing.service import HearingService, LoginPolicy
from hearing.settings import settings_from_environment
from hearing.store import make_engine, migrate
from sentencing.errors import AccessDeniedError, AuthenticationError, ConfigurationError, InputError
from tests.evidence_pack.conftest import PASSPHRASE, closed_court
from tests.hearing.store_fixtures import PASSWORD


# --- 5. the clerk alone creates users; a new sealer key needs the court's approval -------------------
@pytest.mark.parametrize("role", ["clerk", "judge", "defence"])
def test_a_technologist_creates_no_user(court, role) -> None:
    with pytest.raises(AccessDeniedError, match="manage users"):
        court.service.create_user(court.tokens["tech"], f"made-by-tech-{role}", PASSWORD, role)


def test_a_judges_new_key_is_neither_published_nor_usable_until_the_court_approves_it(court) -> None:
    service, tokens = court.service, court.tokens
    service.create_sealing_key(tokens["judge"], PASSPHRASE)
    assert service.published_sealers(tokens["appeal"]) == [] and not service.sealing_key_approved(tokens["judge"])
    for who in ("judge", "clerk", "defence"):
        with pytest.raises(AccessDeniedError):
            service.certify_sealing_key(tokens[who], "judge")
    service.certify_sealing_key(tokens["tech"], "judge")
    (published,) = service.published_sealers(tokens["appeal"])
    assert published.username == "judge" and published.valid_until is None
    assert any(e.action == "sealing key approved" for e in service.audit_log(tokens["clerk"]))


# --- 6. log-in throttled per name and per source; unknown names answered the same, in the same time ------
def _service(engine, **policy) -> HearingService:
    service = HearingService(
        engine, settings_from_environment(), login_policy=LoginPolicy(**policy) if policy else None
    )
    service.create_user(None, "clerk", PASSWORD, "clerk")
    clerk = service.login("clerk", PASSWORD)
    service.create_user(clerk, "judge", PASSWORD, "judge")
    return service


def test_a_name_is_locked_after_five_failures_with_an_audit_entry_and_the_clerk_can_unlock(engine) -> None:
    service = _service(engine)
    for _ in range(5):
        with pytest.raises(AuthenticationError, match="wrong user name or password"):
            service.login("judge", "a guess of the password", source="attacker")
    with pytest.raises(AuthenticationError, match="too many failed log-ins"):
        service.login("judge", PASSWORD, source="the judge's own desk")  # even the right password: locked
    clerk = service.login("clerk", PASSWORD)
    locked = [e for e in service.audit_log(clerk) if e.action == "log-in locked"]
    assert [e.subject for e in locked] == ["judge"] and "5 failures" in locked[0].detail
    service.unlock_user(clerk, "judge")
    assert service.login("judge", PASSWORD)


def test_the_lock_expires(engine) -> None:
    now = [datetime(2026, 12, 1, 9, 0)]
    service = HearingService(engine, settings_from_environment(), clock=lambda: now[0])
    service.create_user(None, "clerk", PASSWORD, "clerk")
    for _ in range(5):
        with pytest.raises(AuthenticationError):
            service.login("clerk", "wrong password", source="desk")
    with pytest.raises(AuthenticationError, match="too many"):
        service.login("clerk", PASSWORD, source="desk")
    now[0] += timedelta(minutes=16)
    assert service.login("clerk", PASSWORD, source="desk")


def test_an_unknown_name_is_answered_like_a_known_one(engine, monkeypatch) -> None:
    service = _service(engine)
    calls: list[str] = []
    scrypt = hashlib.scrypt

    def counted(*args, **kwargs):
        calls.append("scrypt")
        return scrypt(*args, **kwargs)

    monkeypatch.setattr(hashlib, "scrypt", counted)
    answers = {}
    for name in ("judge", "nobody-by-this-name"):
        calls.clear()
        with pytest.raises(AuthenticationError) as refused:
            service.login(name, "a wrong password", source=f"probe {name}")
        answers[name] = (str(refused.value), len(calls))
    # The same words and the same work (one full scrypt each), so that neither text nor time tells them apart.
    assert answers["judge"] == answers["nobody-by-this-name"] == ("wrong user name or password", 1)
    for _ in range(4):
        with pytest.raises(AuthenticationError, match="wrong"):
            service.login("nobody-by-this-name", "x" * 9, source="probe")
    with pytest.raises(AuthenticationError, match="too many"):  # unknown names lock too
        service.login("nobody-by-this-name", "x" * 9, source="probe")


def test_one_source_guessing_many_names_is_throttled(engine) -> None:
    service = _service(engine, failures_per_source=6)
    for number in range(6):
        with pytest.raises(AuthenticationError, match="wrong"):
            service.login(f"user{number}", "a guess", source="10.0.0.66")
    with pytest.raises(AuthenticationError, match="too many"):
        service.login("judge", PASSWORD, source="10.0.0.66")
    assert service.login("judge", PASSWORD, source="10.0.0.7")  # another place is not throttled


def test_concurrent_guessing_is_bounded_by_the_limit(engine) -> None:
    """Attempts in flight count as failures, so 16 threads at once do not get 16 guesses."""
    service = _service(engine)
    refused: list[str] = []

    def guess() -> None:
        try:
            service.login("judge", "a guess", source="botnet")
        except AuthenticationError as error:
            refused.append(str(error))

    threads = [threading.Thread(target=guess) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(refused) == 16
    assert sum("wrong user name" in r for r in refused) == 5  # five guesses, then the name is locked


# --- 7. the first user is created once ------------------------------------------------------------------
def test_concurrent_first_users_make_exactly_one_clerk(engine) -> None:
    service = HearingService(engine, settings_from_environment())
    outcomes: list[object] = []

    def first(number: int) -> None:
        try:
            outcomes.append(service.create_user(None, f"clerk{number}", PASSWORD, "clerk"))
        except AuthenticationError as error:
            outcomes.append(error)

    threads = [threading.Thread(target=first, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    created = [o for o in outcomes if isinstance(o, int)]
    assert len(created) == 1 and len(outcomes) == 8
    with engine.connect() as connection:
        assert connection.execute(text("SELECT COUNT(*) FROM users")).scalar_one() == 1
    with pytest.raises(AuthenticationError):
        service.create_user(None, "technologist", PASSWORD, "technologist")  # nor a first technologist


# --- 8. user names are names, and publish never writes outside --out -------------------------------------
@pytest.mark.parametrize("name", ["/etc/judge", "../../judge", "judge\n", "ju dge", "", "a" * 65, "法官", "-judge"])
def test_user_names_are_validated(court, name) -> None:
    with pytest.raises(InputError, match="username"):
        court.service.create_user(court.tokens["clerk"], name, PASSWORD, "judge")


def test_publish_never_writes_outside_its_folder_whatever_the_store_holds(engine, small_model, tmp_path) -> None:
    closed = closed_court(engine, small_model.folder, tmp_path)
    with engine.begin() as connection:  # a name written into the store before names were checked
        connection.execute(text("UPDATE users SET username = '../../escaped' WHERE username = 'judge'"))
    with pytest.raises(InputError, match="not a valid user name"):
        closed.service.publish(closed.court.tokens["appeal"], tmp_path / "published", tsa_root_pem=None)
    assert not (tmp_path.parent / "escaped").exists() and not list(tmp_path.glob("**/escaped*"))


# --- 9. a workspace is its party's own ---------------------------------------------------------------------
def test_a_co_defendants_counsel_cannot_read_the_first_counsels_workspace(court) -> None:
    service, tokens = court.service, court.tokens
    service.create_user(tokens["clerk"], "defence2", PASSWORD, "defence")
    other = service.login("defence2", PASSWORD)
    with pytest.raises(AccessDeniedError, match="not a party"):
        service.workspace(other, court.hearing_id)
    from sqlmodel import Session

    from hearing.store import Party, User

    with Session(service._engine) as session:  # the clerk makes defence2 a party too (a co-defendant's counsel)
        from sqlmodel import select

        user = session.exec(select(User).where(User.username == "defence2")).one()
        session.add(Party(hearing_id=court.hearing_id, user_id=user.id))
        session.commit()
    service.query(tokens["defence"], court.hearing_id, "whatif", {"changes": {"restitution": False}}, open_court=False)
    assert [w.operation for w in service.workspace(tokens["defence"], court.hearing_id)] == ["whatif"]
    assert service.workspace(other, court.hearing_id) == []


# --- 10. the SQLite file is private, sensitive fields encrypted with a key outside it, sessions purged --------
def test_the_sqlite_store_is_private_and_its_sensitive_fields_are_encrypted(tmp_path, small_model) -> None:
    from tests.hearing.store_fixtures import build_court

    path = tmp_path / "court.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    court = build_court(engine, small_model.folder)
    for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        assert stat.S_IMODE(file.stat().st_mode) == 0o600, file
    raw = path.read_bytes() + path.with_name(path.name + "-wal").read_bytes()
    assert "张某".encode() not in raw and b"110101199001011234" not in raw
    with engine.connect() as connection:
        stored = connection.execute(text("SELECT sensitive FROM cases")).scalar_one()
    assert stored.startswith("v1$") and "张某" not in stored
    _, sensitive = court.service.case(court.tokens["judge"], court.hearing_id)
    assert sensitive == {"defendant_name": "张某", "id_number": "110101199001011234"}
    stranger = HearingService(
        engine, settings_from_environment(), field_key=b"k" * 32
    )  # a copy of the database alone does not open them
    with pytest.raises(Exception, match="does not open"):
        stranger.case(court.tokens["judge"], court.hearing_id)


def test_a_plaintext_store_of_an_older_version_is_encrypted_by_the_migration(tmp_path) -> None:
    from hearing.store import downgrade

    key = b"m" * 32
    engine = make_engine(f"sqlite:///{tmp_path / 'old.sqlite'}")
    migrate(engine, "0003")
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO users (id, username, role, password_hash, created_at) VALUES "
                                "(1, 'clerk', 'clerk', 'x', '2026-01-01')"))  # fmt: skip
        connection.execute(text("INSERT INTO cases (case_id, document, sha256, sensitive, created_by, created_at) "
                                "VALUES ('c1', '{}', 'x', :s, 1, '2026-01-01')"),
                           {"s": json.dumps({"defendant_name": "李某"})})  # fmt: skip
    with pytest.raises(ConfigurationError, match="migrate it with the store's field key"):
        migrate(engine)  # never a key guessed from the environment: the one the court's settings name
    migrate(engine, field_key=key)
    with engine.connect() as connection:
        stored = connection.execute(text("SELECT sensitive FROM cases")).scalar_one()
    assert stored.startswith("v1$") and "李某" not in stored
    downgrade(engine, "0003", field_key=key)
    with engine.connect() as connection:
        assert json.loads(connection.execute(text("SELECT sensitive FROM cases")).scalar_one()) == {
            "defendant_name": "李某"
        }


def test_expired_sessions_are_purged(engine) -> None:
    now = [datetime(2026, 12, 1, 9, 0)]
    service = HearingService(engine, settings_from_environment(), clock=lambda: now[0], session_hours=1)
    service.create_user(None, "clerk", PASSWORD, "clerk")
    service.login("clerk", PASSWORD)
    service.login("clerk", PASSWORD)
    now[0] += timedelta(hours=2)
    service.login("clerk", PASSWORD)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT COUNT(*) FROM sessions")).scalar_one() == 1


def test_the_field_key_file_is_private(tmp_path, monkeypatch) -> None:
    from hearing.security import store_field_key
    from sentencing.errors import ConfigurationError

    key_file = tmp_path / "keys" / "store.key"
    assert len(store_field_key(key_file)) == 32
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert store_field_key(key_file) == store_field_key(key_file)  # created once, read after
    key_file.chmod(0o644)
    with pytest.raises(ConfigurationError, match="readable by others"):
        store_field_key(key_file)
    assert Path(key_file).parent.stat().st_mode & 0o077 == 0
