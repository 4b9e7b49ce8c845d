"""A risk score examined in a hearing: the COMPAS surrogate registered, a person's case heard, the citation written.

Every test runs on SQLite and on PostgreSQL (the ``engine`` fixture), with the real ProPublica data.
"""

from __future__ import annotations

import pytest
from alembic.migration import MigrationContext
from sqlmodel import Session, select

from hearing.security import store_field_key
from hearing.settings import settings_from_environment
from hearing.store import Ruling, downgrade, migrate
from sentencing.errors import HearingStateError, InputError, OperationInputError
from sentencing.kinds import KINDS
from tests.hearing.store_fixtures import build_risk_court, compas_person


@pytest.fixture
def risk_court(engine, compas_surrogate, compas_records):
    return build_risk_court(engine, compas_surrogate, compas_records)


def test_the_surrogate_is_registered_and_only_fits_risk_cases(risk_court, small_model, compas_records) -> None:
    service, tokens = risk_court.service, risk_court.tokens
    case, _ = service.case(tokens["defence"], risk_court.hearing_id)
    assert case.kind == "risk_assessment" and case.recorded is not None and case.recorded.decile == 10
    # A months model cannot answer for a risk score, nor the surrogate for a sentencing case.
    months_model = service.register_model(tokens["tech"], str(small_model.folder))
    with pytest.raises(InputError, match="answers in months, but case 'compas-22' is a risk_assessment case"):
        service.open_hearing(tokens["clerk"], "compas-22", months_model, ["defence"])
    from tests.hearing.store_fixtures import bundled_document

    service.create_case(tokens["clerk"], bundled_document())
    with pytest.raises(InputError, match="answers in score, but case 'theft-non-local-unemployed' is a sentencing"):
        service.open_hearing(tokens["clerk"], "theft-non-local-unemployed", risk_court.model_id, ["defence"])
    with pytest.raises(InputError, match="already registered"):
        service.create_case(tokens["clerk"], compas_person(compas_records, 22))


def test_open_court_queries_on_a_risk_case_join_the_record(risk_court) -> None:
    service, tokens, hearing = risk_court.service, risk_court.tokens, risk_court.hearing_id
    whatif, seq = service.query(tokens["defence"], hearing, "risk_whatif", {"changes": {"priors_count": 0}})
    assert seq == 1 and whatif.result["scenarios"][0]["class"] == "Low"
    assert "Surrogate model" in whatif.result["caveat"]["en"] and "替代模型" in whatif.result["caveat"]["zh-CN"]
    search, _ = service.query(tokens["defence"], hearing, "risk_counterfactual", {"target_class": "Low"})
    assert search.result["fewest_changes"] == 1
    service.query(tokens["prosecution"], hearing, "risk_sensitivity", {})
    report, _ = service.query(tokens["judge"], hearing, "risk_report", {"tier": "deep"})
    kinds = [f["kind"] for f in report.result["findings"]]
    assert report.result["tier"] == "deep" and kinds[0] == "disparate_false_positive_rates"
    # Sentencing operations are refused by name for this case, with the ones that do answer for it.
    with pytest.raises(InputError, match="for this risk_assessment case one of risk_counterfactual, risk_predict"):
        service.query(tokens["defence"], hearing, "whatif", {"changes": {"age": 30}})
    with pytest.raises(OperationInputError, match="target 'Lowest'"):
        service.query(tokens["defence"], hearing, "risk_counterfactual", {"target_class": "Lowest"})
    record = service.record(tokens["judge"], hearing)
    assert [e.operation for e in record] == ["risk_whatif", "risk_counterfactual", "risk_sensitivity", "risk_report"]
    assert service.verify(tokens["judge"], hearing).ok


def test_the_citation_of_a_risk_score_records_the_class_the_court_finds(risk_court, engine) -> None:
    service, tokens, hearing = risk_court.service, risk_court.tokens, risk_court.hearing_id
    service.query(tokens["defence"], hearing, "risk_predict", {})
    weighed = {"weighed_liability": "the offence charged (felony)", "particulars": "none",
               "weighed_prevention": "prior offences, age; the score not relied on alone"}  # fmt: skip
    with pytest.raises(InputError, match="adopted_months: a risk-assessment hearing rules on the risk class"):
        service.write_ruling(tokens["judge"], hearing, **weighed, departure_reasons="", adopted_months=12.0)
    with pytest.raises(InputError, match="adopted_class 'Severe': one of Low, Medium, High"):
        service.write_ruling(tokens["judge"], hearing, **weighed, departure_reasons="", adopted_class="Severe")
    with pytest.raises(InputError, match="the court finds Medium, the tool gave High; give the reasons"):
        service.write_ruling(tokens["judge"], hearing, **weighed, departure_reasons=" ", adopted_class="Medium")
    reasons = "the public facts give Medium; the tool's questionnaire was not produced"
    service.write_ruling(tokens["judge"], hearing, **weighed, adopted_class="Medium", departure_reasons=reasons)
    with pytest.raises(HearingStateError):
        service.query(tokens["defence"], hearing, "risk_predict", {})
    ruling = service.ruling(tokens["judge"], hearing)
    assert ruling is not None and ruling.case_kind == "risk_assessment"
    assert (ruling.recorded_class, ruling.suggested_class, ruling.adopted_class) == ("High", "Medium", "Medium")
    assert ruling.suggested_score == pytest.approx(5.37, abs=0.01)
    assert ruling.system_suggestion_months is None and ruling.adopted_months is None
    service.close_hearing(tokens["judge"], hearing)
    # The deviation monitor measures terms: a risk citation has none and is left out, not counted as zero.
    assert service.deviation(tokens["judge"], "judge").points == ()
    assert service.verify(tokens["judge"], hearing).ok


def test_migration_0003_keeps_sentencing_citations_and_refuses_to_lose_risk_ones(risk_court, engine) -> None:
    service, tokens, hearing = risk_court.service, risk_court.tokens, risk_court.hearing_id
    service.write_ruling(tokens["judge"], hearing, weighed_liability="charge", weighed_prevention="priors",
                         particulars="", adopted_class="High", departure_reasons="")  # fmt: skip
    key = store_field_key(settings_from_environment().store_key_path)  # the key the court's service uses
    with pytest.raises(RuntimeError, match="1 risk-assessment citation"):
        downgrade(engine, "0002", field_key=key)
    with engine.connect() as connection:
        assert (
            MigrationContext.configure(connection).get_current_revision() == "0007"
        )  # the downgrade was refused whole: still at the head
    with Session(engine) as session:
        assert session.exec(select(Ruling)).one().adopted_class == "High"
    migrate(engine, field_key=key)


def test_the_demo_opens_a_risk_hearing_once_the_surrogate_is_fitted(court, compas_surrogate, tmp_path, capsys) -> None:
    import shutil

    from hearing.demo import seed_risk_demo

    folder = tmp_path / "home" / "risk" / "compas-recidivism-surrogate"
    service, tokens = court.service, court.tokens
    parties = ["defence", "prosecution", "judge", "appeal"]
    seed_risk_demo(service, tokens["clerk"], tokens["tech"], parties, folder)
    assert "no COMPAS surrogate fitted" in capsys.readouterr().err
    assert [h.case_id for h in service.hearings(tokens["clerk"])] == [court.case_id]
    shutil.copytree(compas_surrogate, folder)
    seed_risk_demo(service, tokens["clerk"], tokens["tech"], parties, folder)
    assert "compas-22" in capsys.readouterr().out
    hearings = {h.case_id: h.hearing_id for h in service.hearings(tokens["defence"])}
    case, _ = service.case(tokens["defence"], hearings["compas-22"])
    assert case.kind == "risk_assessment" and case.recorded is not None and case.recorded.class_id == "High"


def test_a_vendors_http_endpoint_answering_risk_scores_is_registered_and_heard(engine, compas_surrogate,
                                                                               compas_records) -> None:  # fmt: skip
    """The probe comes from the kind (the instrument's probe people), so a score endpoint loads like any model."""
    from sentencing.models import load_points_table
    from sentencing.vendor_server import serve_model

    table = load_points_table(compas_surrogate)
    server = serve_model(table)
    try:
        court = build_risk_court(engine, server.url, compas_records)
        outcome, seq = court.service.query(court.tokens["defence"], court.hearing_id, "risk_predict", {})
        assert seq == 1 and outcome.model_sha256 == table.identity.sha256  # the fingerprint the card declares
        case, _ = court.service.case(court.tokens["defence"], court.hearing_id)
        expected = float(table.predict_frame(KINDS.of(case).model_frame([case]))[0])
        assert outcome.result["baseline"]["score"] == pytest.approx(round(expected, 6))
        assert outcome.result["caveat"]["en"].startswith("Surrogate model")  # the card travels over HTTP
    finally:
        server.close()
