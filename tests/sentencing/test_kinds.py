"""The kinds of case: one door for every kind of document, the probe each kind supplies, which model fits which case,
and the parts upper packages attach."""

from __future__ import annotations

import copy

import pytest

from sentencing.case import Case
from sentencing.errors import CaseValidationError, ConfigurationError, InputError, ModelProbeError
from sentencing.kinds import KINDS, KindRegistry, RiskAssessmentKind, SentencingKind, parse_case_document
from sentencing.models import CallableModel, OutputKind, check_model_fits_case
from sentencing.models.points_table import PointsTableModel
from sentencing.risk import RiskCase
from tests.counterfactuals.test_risk_queries import TABLE
from tests.hearing.store_fixtures import bundled_document
from tests.sentencing.test_risk import PERSON


def test_either_kind_of_document_is_read_by_its_own_rules() -> None:
    assert isinstance(parse_case_document(bundled_document()), Case)
    assert isinstance(parse_case_document(PERSON), RiskCase)
    with pytest.raises(CaseValidationError) as raised:
        parse_case_document({**bundled_document(), "kind": "sentencing"})  # a sentencing document names no kind
    assert raised.value.violations[0].field == "kind"
    with pytest.raises(CaseValidationError, match="found 'parole'"):
        parse_case_document({**PERSON, "kind": "parole"})
    broken = copy.deepcopy(PERSON)
    broken["person"]["priors_count"] = -3
    with pytest.raises(CaseValidationError, match=r"person\.priors_count"):
        parse_case_document(broken, source="case.json")


def test_a_model_answers_only_for_the_cases_it_can(small_adapter) -> None:
    from sentencing.risk import load_instrument

    surrogate = PointsTableModel(load_instrument(), TABLE)
    sentencing, risk = parse_case_document(bundled_document()), parse_case_document(PERSON)
    check_model_fits_case(small_adapter, sentencing)
    check_model_fits_case(surrogate, risk)
    with pytest.raises(InputError, match=r"answers in months, but case 'compas-22' is a risk_assessment case"):
        check_model_fits_case(small_adapter, risk)
    with pytest.raises(InputError, match=r"answers in score, but case .* is a sentencing case"):
        check_model_fits_case(surrogate, sentencing)
    with pytest.raises(InputError, match=r"models instrument 'lsi-r', but case .* was scored by 'compas-recidivism'"):
        RiskAssessmentKind().check_model_card({"instrument": "lsi-r"}, risk, "lsi-r")


def test_a_score_model_is_probed_with_its_instruments_people_and_must_name_the_instrument() -> None:
    seen = []

    def score(frame):
        seen.append(frame)
        return [5.0] * len(frame)

    CallableModel(score, "compas-like", output=OutputKind.SCORE, output_range=(1, 10),
                  card={"instrument": "compas-recidivism"})  # fmt: skip
    assert list(seen[0].columns) == ["charge", "age", "priors_count", "juv_fel_count", "juv_misd_count",
                                     "juv_other_count", "sex", "race"]  # fmt: skip
    assert len(seen[0]) == 2
    with pytest.raises(ModelProbeError, match=r"card naming the instrument"):
        CallableModel(score, "no instrument", output=OutputKind.SCORE, card={})
    with pytest.raises(ModelProbeError, match=r"known instrument"):
        CallableModel(score, "lsi-r", output=OutputKind.SCORE, card={"instrument": "lsi-r"})


def test_a_months_model_is_probed_with_sentencing_cases() -> None:
    seen = []
    CallableModel(lambda frame: seen.append(frame) or [6.0] * len(frame), "months")
    assert "amount_yuan" in seen[0].columns and set(seen[0]["charge"]) == {"theft", "dangerous_driving"}


def test_parts_are_attached_once_per_kind_and_type_and_found_by_type() -> None:
    kinds = KINDS.without_parts()
    kinds.attach("sentencing", str, "the sentencing part")
    with pytest.raises(ValueError, match="already attached"):
        kinds.attach("sentencing", str, "again")
    assert kinds.part("sentencing", str) == "the sentencing part"
    with pytest.raises(ConfigurationError, match="no str is attached for risk_assessment cases"):
        kinds.part("risk_assessment", str)
    with pytest.raises(ConfigurationError, match="no such kind of case"):
        kinds.attach("parole", str, "x")
    assert KINDS.without_parts().names() == ("sentencing", "risk_assessment")


def test_a_kind_named_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="already registered"):
        KindRegistry((SentencingKind(), SentencingKind()))
