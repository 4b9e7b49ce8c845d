"""Steps for features/hearing_parties_and_judge.feature, over the hearing service and a real store."""

from __future__ import annotations

from typing import Any

import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from hearing.store import make_engine, migrate
from sentencing.errors import AccessDeniedError, HearingStateError
from tests.hearing.store_fixtures import build_court

scenarios("hearing_parties_and_judge.feature")


@pytest.fixture
def court_state() -> dict[str, Any]:
    return {}


@given(parsers.parse('a hearing of the bundled case "{name}" with defence, prosecution and a judge'))
def hearing(court_state: dict[str, Any], tmp_path, small_model, name: str) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'court.sqlite'}")
    migrate(engine)
    court_state["court"] = build_court(engine, small_model.folder)


def _court(state: dict[str, Any]):
    return state["court"]


@given("the defence has asked in open court what if restitution had not been made")
@when("the defence asks in open court what if restitution had not been made")
def defence_asks(court_state: dict[str, Any]) -> None:
    court = _court(court_state)
    court.service.query(court.tokens["defence"], court.hearing_id, "whatif", {"changes": {"restitution": False}})


@when("the prosecution asks in open court whether legally irrelevant factors move the recommendation")
def prosecution_asks(court_state: dict[str, Any]) -> None:
    court = _court(court_state)
    court.service.query(court.tokens["prosecution"], court.hearing_id, "sensitivity", {})


@then(parsers.parse("the defence and the prosecution both see the same record of {count:d} entries"))
def same_record(court_state: dict[str, Any], count: int) -> None:
    court = _court(court_state)
    seen_by_defence = court.service.record(court.tokens["defence"], court.hearing_id)
    seen_by_prosecution = court.service.record(court.tokens["prosecution"], court.hearing_id)
    assert seen_by_defence == seen_by_prosecution and len(seen_by_defence) == count
    assert [e.party for e in seen_by_defence] == ["defence (defence)", "prosecution (prosecution)"]


@then("the record verifies as complete and unaltered")
def verifies(court_state: dict[str, Any]) -> None:
    court = _court(court_state)
    assert court.service.verify(court.tokens["judge"], court.hearing_id).ok


@when("the judge tries to close the hearing without a citation")
def close_too_early(court_state: dict[str, Any]) -> None:
    court = _court(court_state)
    try:
        court.service.close_hearing(court.tokens["judge"], court.hearing_id)
    except HearingStateError as error:
        court_state["error"] = error


@then("the hearing stays open and the judge is told to write the citation first")
def still_open(court_state: dict[str, Any]) -> None:
    court = _court(court_state)
    assert "citation" in str(court_state["error"])
    assert court.service.hearing_state(court.tokens["judge"], court.hearing_id) == "open"


@when(parsers.parse("the judge writes the citation adopting {months:d} months"))
def citation(court_state: dict[str, Any], months: int) -> None:
    court = _court(court_state)
    court.service.write_ruling(
        court.tokens["judge"], court.hearing_id, weighed_liability="盗窃数额一万二千元",
        weighed_prevention="自首、退赃、认罪认罚", particulars="初犯", adopted_months=float(months),
        departure_reasons="综合全案情节",
    )  # fmt: skip


@when("the judge closes the hearing")
def close(court_state: dict[str, Any]) -> None:
    court = _court(court_state)
    court.service.close_hearing(court.tokens["judge"], court.hearing_id)


@then("the hearing is closed and no party can add to its record")
def closed(court_state: dict[str, Any]) -> None:
    court = _court(court_state)
    assert court.service.hearing_state(court.tokens["judge"], court.hearing_id) == "closed"
    with pytest.raises(HearingStateError):
        court.service.query(court.tokens["defence"], court.hearing_id, "predict", {})
    ruling = court.service.ruling(court.tokens["appeal"], court.hearing_id)
    assert ruling is not None and ruling.adopted_months == 7.0 and ruling.system_suggestion_months > 0


@when("the prosecution tries to write the judge's citation")
def prosecution_writes(court_state: dict[str, Any]) -> None:
    court = _court(court_state)
    court_state["before"] = court.service.record(court.tokens["judge"], court.hearing_id)
    try:
        court.service.write_ruling(
            court.tokens["prosecution"], court.hearing_id, weighed_liability="x", weighed_prevention="y",
            particulars="", adopted_months=30.0, departure_reasons="",
        )  # fmt: skip
    except AccessDeniedError as error:
        court_state["error"] = error


@then("the prosecution is refused because its role may not write the algorithm citation")
def refused(court_state: dict[str, Any]) -> None:
    error = court_state["error"]
    assert isinstance(error, AccessDeniedError) and error.role == "prosecution"
    assert "write the algorithm citation" in str(error)


@then("the record is unchanged")
def unchanged(court_state: dict[str, Any]) -> None:
    court = _court(court_state)
    assert court.service.record(court.tokens["judge"], court.hearing_id) == court_state["before"]
    assert court.service.ruling(court.tokens["judge"], court.hearing_id) is None
