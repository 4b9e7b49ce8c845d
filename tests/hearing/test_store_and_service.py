from __future__ import annotations

import tempfile
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlmodel import SQLModel

from hearing.policy import PERMISSIONS, Action
from hearing.security import hash_password, verify_password
from hearing.store import downgrade, migrate
from sentencing.canonical import canonical_json
from sentencing.errors import AccessDeniedError, AuthenticationError, HearingStateError, InputError
from tests.hearing.store_fixtures import PASSWORD, build_court


def test_the_migrated_schema_is_exactly_the_model(engine) -> None:
    with engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), SQLModel.metadata) == []
    downgrade(engine, "base")
    assert "record_entries" not in inspect(engine).get_table_names()
    migrate(engine)
    assert "record_entries" in inspect(engine).get_table_names()


def test_passwords_are_salted_and_slow() -> None:
    first, second = hash_password(PASSWORD), hash_password(PASSWORD)
    assert first != second and first.startswith("scrypt$16384$")
    assert verify_password(PASSWORD, first) and not verify_password("wrong password", first)
    with pytest.raises(ValueError):
        hash_password("short")


def test_log_in_sessions_expire_and_bootstrap_is_one_time(engine, small_model) -> None:
    now = [datetime(2026, 1, 5, 9, 0)]
    court = build_court(engine, small_model.folder, clock=lambda: now[0])
    service = court.service
    with pytest.raises(AuthenticationError):
        service.login("judge", "not the password")
    with pytest.raises(AuthenticationError):
        service.login("nobody", PASSWORD)
    assert service.principal(court.tokens["judge"]).role == "judge"
    now[0] += timedelta(hours=8, seconds=1)
    with pytest.raises(AuthenticationError, match="expired"):
        service.principal(court.tokens["judge"])
    with pytest.raises(AuthenticationError):
        service.create_user(None, "intruder", PASSWORD, "clerk")  # only the very first user is created so
    token = service.login("judge", PASSWORD)
    service.logout(token)
    with pytest.raises(AuthenticationError):
        service.principal(token)
    with pytest.raises(InputError, match="already taken"):
        service.create_user(service.login("clerk", PASSWORD), "judge", PASSWORD, "judge")


# What each role may do, written out independently of hearing/policy.py (True: allowed).
EXPECTED = {
    #                        clerk  tech   def    pros   judge  appeal duty lawyer  technician
    Action.MANAGE_USERS: (True, False, False, False, False, False, False, False),
    Action.REGISTER_MODEL: (False, True, False, False, False, False, False, False),
    Action.AUDIT_MODEL: (False, True, False, False, False, False, False, False),
    Action.CREATE_CASE: (True, False, False, False, False, False, False, False),
    Action.OPEN_HEARING: (True, False, False, False, False, False, False, False),
    Action.VIEW_HEARING: (True, False, True, True, True, True, True, True),
    Action.QUERY_OPEN_COURT: (False, False, True, True, True, True, False, False),  # duty lawyer: only by leave
    Action.QUERY_WORKSPACE: (False, False, True, True, False, False, True, False),
    Action.ENTER_STATEMENT: (True, False, True, True, True, False, True, False),
    Action.VIEW_SENSITIVE: (True, False, True, True, True, True, True, False),
    Action.ANSWER_FINDING: (False, False, False, False, False, False, False, True),
    Action.WRITE_RULING: (False, False, False, False, True, False, False, False),
    Action.CLOSE_HEARING: (False, False, False, False, True, False, False, False),
    Action.VERIFY_RECORD: (True, True, True, True, True, True, True, True),
    Action.VIEW_DEVIATION: (False, True, False, False, True, True, False, False),
    Action.SEAL_PACK: (False, False, False, False, True, False, False, False),
    Action.MANAGE_SEALING_KEYS: (False, True, False, False, False, False, False, False),
    Action.VIEW_DOCKET: (True, True, True, True, True, True, True, True),
    Action.VIEW_AUDIT: (True, True, False, False, False, False, False, False),
}
USERS = ("clerk", "tech", "defence", "prosecution", "judge", "appeal", "duty", "expert")


def test_the_policy_is_the_expected_matrix() -> None:
    assert set(EXPECTED) == set(Action)
    for action, allowed in EXPECTED.items():
        roles = {
            "clerk": "clerk",
            "tech": "technologist",
            "defence": "defence",
            "prosecution": "prosecution",
            "judge": "judge",
            "appeal": "appellate_judge",
            "duty": "duty_lawyer",
            "expert": "technician",
        }
        assert {roles[u] for u, ok in zip(USERS, allowed, strict=True) if ok} == {r.value for r in PERMISSIONS[action]}


def _sensitive(service, token, hearing) -> None:
    """Seeing the case is one right; seeing its sensitive fields is another: refused as access when withheld."""
    principal = service.principal(token)
    _, sensitive = service.case(token, hearing)
    if sensitive is None:
        raise AccessDeniedError(principal.role, Action.VIEW_SENSITIVE.value)


def _calls(court, user: str, model_folder: str) -> dict[Action, object]:
    from tests.hearing.store_fixtures import bundled_document

    service, token, hearing = court.service, court.tokens[user], court.hearing_id
    counter = iter(range(1000))
    return {
        Action.MANAGE_USERS: lambda: service.create_user(token, f"new-{user}-{next(counter)}", PASSWORD, "defence"),
        Action.REGISTER_MODEL: lambda: service.register_model(token, model_folder),
        Action.AUDIT_MODEL: lambda: service.batch_audit(
            token, court.model_id, Path(model_folder) / "training-data" / "judgments.csv", limit_rows=200
        ),
        Action.CREATE_CASE: lambda: service.create_case(
            token, {**bundled_document("dangerous-driving-aged"), "case_id": f"case-{user}-{next(counter)}"}
        ),
        Action.OPEN_HEARING: lambda: service.open_hearing(token, court.case_id, court.model_id, ["defence"]),
        Action.VIEW_HEARING: lambda: service.record(token, hearing),
        Action.QUERY_OPEN_COURT: lambda: service.query(token, hearing, "predict", {}),
        Action.QUERY_WORKSPACE: lambda: service.query(token, hearing, "predict", {}, open_court=False),
        # each role its own statement (the judge gives leave; the others enter a recording's digest)
        Action.ENTER_STATEMENT: lambda: (
            service.state(token, hearing, "court_leave", {"username": "duty"})
            if user == "judge"
            else service.state(
                token,
                hearing,
                "negotiation_recording",
                {"sha256": "ab" * 32, "media": "audio", "recorded_on": "2026-04-15", "duration_seconds": 60},
            )
        ),
        Action.VIEW_SENSITIVE: lambda: _sensitive(service, token, hearing),
        # allowed to the technician, refused as input here: the record holds no report yet
        Action.ANSWER_FINDING: lambda: service.answer_finding(token, hearing, {"entry": 1, "number": 1}, "-", "-"),
        Action.WRITE_RULING: lambda: service.write_ruling(
            token,
            hearing,
            weighed_liability="数额",
            weighed_prevention="自首",
            particulars="",
            adopted_months=7.0,
            departure_reasons="理由",
        ),
        Action.CLOSE_HEARING: lambda: service.close_hearing(token, hearing),
        Action.VERIFY_RECORD: lambda: service.verify(token, hearing),
        Action.VIEW_DEVIATION: lambda: service.deviation(token, "judge"),
        Action.SEAL_PACK: lambda: (
            service.create_sealing_key(token, "sealing passphrase"),
            service.certify_sealing_key(court.tokens["tech"], user),  # the court approves the new key
            service.seal(token, hearing, "sealing passphrase", Path(tempfile.mkdtemp())),
        ),
        Action.MANAGE_SEALING_KEYS: lambda: service.create_court_authority(token, "court", "ca passphrase"),
        Action.VIEW_DOCKET: lambda: service.docket(token),
        Action.VIEW_AUDIT: lambda: service.audit_log(token),
    }


@pytest.mark.parametrize("user", USERS)
def test_every_role_and_action(court, small_model, user) -> None:
    for action, call in _calls(court, user, str(small_model.folder)).items():
        allowed = EXPECTED[action][USERS.index(user)]
        if allowed:
            try:
                call()
            except HearingStateError:
                # allowed, but closing needs a ruling and sealing a closed hearing: state rules, not access
                assert action in (Action.CLOSE_HEARING, Action.SEAL_PACK)
            except InputError as error:  # allowed, but there is no finding to answer yet
                assert action is Action.ANSWER_FINDING and "is no finding" in str(error)
        else:
            with pytest.raises((AccessDeniedError, HearingStateError)) as info:
                call()
            assert isinstance(info.value, AccessDeniedError), (user, action)


def test_a_case_is_registered_once(court) -> None:
    from tests.hearing.store_fixtures import bundled_document

    with pytest.raises(InputError, match="already registered"):
        court.service.create_case(court.tokens["clerk"], bundled_document())


def test_only_parties_act_on_a_hearing(court) -> None:
    service = court.service
    service.create_user(court.tokens["clerk"], "outsider", PASSWORD, "defence")
    outsider = service.login("outsider", PASSWORD)
    with pytest.raises(AccessDeniedError, match="not a party"):
        service.query(outsider, court.hearing_id, "predict", {})
    with pytest.raises(AccessDeniedError, match="not a party"):
        service.record(outsider, court.hearing_id)


def test_workspaces_are_private_and_stay_out_of_the_record(court) -> None:
    service, t = court.service, court.tokens
    service.query(t["defence"], court.hearing_id, "whatif", {"changes": {"restitution": False}}, open_court=False)
    service.query(t["prosecution"], court.hearing_id, "sensitivity", {}, open_court=False)
    assert [w.operation for w in service.workspace(t["defence"], court.hearing_id)] == ["whatif"]
    assert [w.operation for w in service.workspace(t["prosecution"], court.hearing_id)] == ["sensitivity"]
    assert service.record(t["judge"], court.hearing_id) == []


def test_sensitive_fields_only_for_cleared_roles(court) -> None:
    _, sensitive = court.service.case(court.tokens["judge"], court.hearing_id)
    assert sensitive == {"defendant_name": "张某", "id_number": "110101199001011234"}
    court.service.create_user(court.tokens["clerk"], "tech2", PASSWORD, "technologist")
    with pytest.raises(AccessDeniedError):
        court.service.case(court.service.login("tech2", PASSWORD), court.hearing_id)


def test_the_record_chain_and_what_verify_catches(court, engine) -> None:
    service, t, hid = court.service, court.tokens, court.hearing_id
    for changes in ({"restitution": False}, {"surrender": False}, {"plea_agreement": False}):
        service.query(t["defence"], hid, "whatif", {"changes": changes})
    service.query(t["prosecution"], hid, "sensitivity", {})
    entries = service.record(t["judge"], hid)
    assert [e.seq for e in entries] == [1, 2, 3, 4]
    assert entries[0].prev_sha256 == "0" * 64 and entries[1].prev_sha256 == entries[0].entry_sha256
    assert entries[3].party == "prosecution (prosecution)" and entries[0].model_sha256
    assert service.verify(t["judge"], hid).ok

    def tamper(sql: str, **values: str) -> str:
        with engine.begin() as connection:
            connection.execute(text(sql), {"h": hid, **values})
        result = service.verify(t["judge"], hid)
        assert not result.ok
        return result.problems[0]

    original = entries[1]
    assert "result was changed" in tamper(
        "UPDATE record_entries SET result = replace(result, :old, :new) WHERE hearing_id = :h AND seq = 2",
        old='"guideline_months":',
        new='"guideline_months":1',
    )
    with engine.begin() as connection:
        restored = canonical_json(original.result).decode()
        connection.execute(
            text("UPDATE record_entries SET result = :r WHERE hearing_id = :h AND seq = 2"), {"r": restored, "h": hid}
        )
    assert service.verify(t["judge"], hid).ok
    assert "entry 2" in tamper("UPDATE record_entries SET party = 'judge (judge)' WHERE hearing_id = :h AND seq = 2")


def test_removing_or_reordering_entries_is_caught(court, engine) -> None:
    service, t, hid = court.service, court.tokens, court.hearing_id
    for _ in range(4):
        service.query(t["defence"], hid, "predict", {})
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE record_entries SET seq = seq + 100 WHERE hearing_id = :h AND seq IN (2, 3)"), {"h": hid}
        )
        connection.execute(text("UPDATE record_entries SET seq = 3 WHERE hearing_id = :h AND seq = 102"), {"h": hid})
        connection.execute(text("UPDATE record_entries SET seq = 2 WHERE hearing_id = :h AND seq = 103"), {"h": hid})
    swapped = service.verify(t["judge"], hid)
    assert not swapped.ok and "entry 2" in swapped.problems[0]
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM record_entries WHERE hearing_id = :h AND seq = 3"), {"h": hid})
    assert not service.verify(t["judge"], hid).ok


def test_the_ruling_is_required_before_closing_and_truncation_after_it_is_caught(court, engine) -> None:
    service, t, hid = court.service, court.tokens, court.hearing_id
    service.query(t["defence"], hid, "predict", {})
    service.query(t["prosecution"], hid, "predict", {})
    with pytest.raises(HearingStateError, match="citation"):
        service.close_hearing(t["judge"], hid)
    with pytest.raises(InputError, match="departure_reasons"):
        service.write_ruling(
            t["judge"],
            hid,
            weighed_liability="数额",
            weighed_prevention="自首",
            particulars="",
            adopted_months=30.0,
            departure_reasons="",
        )
    with pytest.raises(InputError, match="weighed_liability"):
        service.write_ruling(
            t["judge"],
            hid,
            weighed_liability=" ",
            weighed_prevention="自首",
            particulars="",
            adopted_months=7.0,
            departure_reasons="",
        )
    service.write_ruling(
        t["judge"],
        hid,
        weighed_liability="数额一万二千元",
        weighed_prevention="自首、退赔",
        particulars="初犯",
        adopted_months=30.0,
        departure_reasons="被告人系初犯且家庭困难",
    )
    with pytest.raises(HearingStateError):
        service.query(t["defence"], hid, "predict", {})
    service.close_hearing(t["judge"], hid)
    assert service.hearing_state(t["judge"], hid) == "closed"
    assert service.verify(t["appeal"], hid).ok
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM record_entries WHERE hearing_id = :h AND seq = 2"), {"h": hid})
    result = service.verify(t["appeal"], hid)
    assert not result.ok and "not at the recorded head" in result.problems[0]
