"""A fresh store per test on each backend: SQLite in a temporary folder, PostgreSQL on 127.0.0.1:5432."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources

import pytest
import sqlalchemy as sa

from hearing.service import HearingService
from hearing.settings import settings_from_environment
from hearing.store import make_engine, migrate

POSTGRES_ADMIN = os.environ.get("VOIRDIRE_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
PASSWORD = "correct horse battery"
ROLES = {"clerk": "clerk", "tech": "technologist", "defence": "defence", "prosecution": "prosecution",
         "judge": "judge", "appeal": "appellate_judge", "duty": "duty_lawyer", "expert": "technician"}  # fmt: skip


def _postgres_url() -> Iterator[str]:
    name = f"voirdire_test_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(POSTGRES_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield POSTGRES_ADMIN.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE "{name}" WITH (FORCE)')
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'court.sqlite'}"
    else:
        yield from _postgres_url()


@pytest.fixture
def engine(database_url):
    engine = make_engine(database_url)
    migrate(engine)
    yield engine
    engine.dispose()


@dataclass
class Court:
    service: HearingService
    tokens: dict[str, str]
    hearing_id: int
    model_id: int
    case_id: str


def bundled_document(name: str = "theft-non-local-unemployed") -> dict:
    return json.loads(resources.files("sentencing").joinpath(f"data/cases/{name}.json").read_text(encoding="utf-8"))


def court_users(service: HearingService) -> dict[str, str]:
    """One user of each role (the clerk first, on an empty store), each logged in: their session tokens."""
    service.create_user(None, "clerk", PASSWORD, "clerk")
    tokens = {"clerk": service.login("clerk", PASSWORD)}
    for name, role in ROLES.items():
        if name != "clerk":
            service.create_user(tokens["clerk"], name, PASSWORD, role)
            tokens[name] = service.login(name, PASSWORD)
    return tokens


def build_court(engine, model_folder, *, clock=None, case: str = "theft-non-local-unemployed") -> Court:
    """A court with every role, the model registered and a hearing open on the bundled ``case``."""
    service = HearingService(engine, settings_from_environment(), **({"clock": clock} if clock else {}))
    tokens = court_users(service)
    model_id = service.register_model(tokens["tech"], str(model_folder))
    document = bundled_document(case)
    service.create_case(tokens["clerk"], document, {"defendant_name": "张某", "id_number": "110101199001011234"})
    hearing_id = service.open_hearing(tokens["clerk"], document["case_id"], model_id,
                                      ["defence", "prosecution", "duty", "judge", "appeal", "expert"])  # fmt: skip
    return Court(service, tokens, hearing_id, model_id, document["case_id"])


def build_guideline_court(engine) -> Court:
    """The bundled non-local theft opened with no model (heard on the guideline alone): ``model_id`` 0 stands for
    none."""
    service = HearingService(engine, settings_from_environment())
    tokens = court_users(service)
    document = bundled_document()
    service.create_case(tokens["clerk"], document, {"defendant_name": "张某"})
    hearing_id = service.open_hearing(tokens["clerk"], document["case_id"], None,
                                      ["defence", "prosecution", "duty", "judge", "appeal", "expert"])  # fmt: skip
    return Court(service, tokens, hearing_id, 0, document["case_id"])


@pytest.fixture
def court(engine, small_model) -> Court:
    return build_court(engine, small_model.folder)


@pytest.fixture
def court_url(tmp_path, small_model, monkeypatch) -> Court:
    """A court on a SQLite store that the app (``hearing.app``) opens through ``VOIRDIRE_DATABASE_URL``."""
    url = f"sqlite:///{tmp_path / 'app.sqlite'}"
    monkeypatch.setenv("VOIRDIRE_DATABASE_URL", url)
    engine = make_engine(url)
    migrate(engine)
    return build_court(engine, small_model.folder)


def compas_person(records, person_id: int = 22) -> dict:
    """One person of ProPublica's data as a risk-assessment case document (id 22: the tool recorded 10, High)."""
    from sentencing.records import risk_case_from_record
    from sentencing.risk import load_instrument

    frame, _ = records
    row = frame[frame["id"] == person_id].iloc[0].to_dict()
    return risk_case_from_record(row, load_instrument(), case_id=f"compas-{person_id}").to_document()


def build_risk_court(engine, surrogate_folder, records, *, person_id: int = 22) -> Court:
    """A court whose technologist registered the COMPAS surrogate and whose clerk opened a hearing on one person."""
    service = HearingService(engine, settings_from_environment())
    tokens = court_users(service)
    model_id = service.register_model(tokens["tech"], str(surrogate_folder))
    document = compas_person(records, person_id)
    service.create_case(tokens["clerk"], document)
    hearing_id = service.open_hearing(tokens["clerk"], document["case_id"], model_id,
                                      ["defence", "prosecution", "judge", "appeal", "expert"])  # fmt: skip
    return Court(service, tokens, hearing_id, model_id, document["case_id"])


def build_plea_court(engine, model_folder, *, clock=None) -> Court:
    """A plea case (the bundled ``theft-plea-proposal``: the procuratorate's proposal 12–14 months, the plea at
    trial) heard with defence, prosecution, a duty lawyer (``duty``), the judge and the appellate judge."""
    service = HearingService(engine, settings_from_environment(), **({"clock": clock} if clock else {}))
    tokens = court_users(service)
    model_id = service.register_model(tokens["tech"], str(model_folder))
    document = bundled_document("theft-plea-proposal")
    service.create_case(tokens["clerk"], document)
    hearing_id = service.open_hearing(tokens["clerk"], document["case_id"], model_id,
                                      ["defence", "prosecution", "duty", "judge", "appeal"])  # fmt: skip
    return Court(service, tokens, hearing_id, model_id, document["case_id"])


def dispose_of_findings(service: HearingService, judge_token: str, hearing_id: int, reasons: str = "经质证") -> int:
    """The judge disposes of every challenge finding the record holds (rejected, with reasons), as the ruling needs."""
    waiting = [c.finding for c in service.challenges(judge_token, hearing_id) if c.disposition is None]
    for ref in waiting:
        service.state(judge_token, hearing_id, "finding_disposition",
                      {"finding": {"entry": ref.entry, "number": ref.number}, "disposition": "rejected",
                       "reasons": reasons})  # fmt: skip
    return len(waiting)
