"""One door for both kinds of case, and the rule that a model must fit the case it answers for."""

from __future__ import annotations

import copy

import pytest

from sentencing.adapters import CallableModel, OutputKind
from sentencing.case import Case
from sentencing.errors import CaseValidationError, InputError
from sentencing.heard_case import check_model_fits_case, parse_heard_case
from sentencing.risk import RiskCase
from sentencing.surrogate_model import ScoreSurrogate
from tests.counterfactuals.test_risk_queries import TABLE
from tests.hearing.store_fixtures import bundled_document
from tests.sentencing.test_risk import PERSON


def test_either_kind_of_document_is_read_by_its_own_rules() -> None:
    assert isinstance(parse_heard_case(bundled_document()), Case)
    assert isinstance(parse_heard_case(PERSON), RiskCase)
    with pytest.raises(CaseValidationError) as raised:
        parse_heard_case({**bundled_document(), "kind": "sentencing"})  # a sentencing document names no kind
    assert raised.value.violations[0].field == "kind"
    with pytest.raises(CaseValidationError, match="found 'parole'"):
        parse_heard_case({**PERSON, "kind": "parole"})
    broken = copy.deepcopy(PERSON)
    broken["person"]["priors_count"] = -3
    with pytest.raises(CaseValidationError, match=r"person\.priors_count"):
        parse_heard_case(broken, source="case.json")


def test_a_model_answers_only_for_the_cases_it_can(small_adapter) -> None:
    from sentencing.risk import load_instrument

    surrogate = ScoreSurrogate(load_instrument(), TABLE)
    sentencing, risk = parse_heard_case(bundled_document()), parse_heard_case(PERSON)
    check_model_fits_case(small_adapter, sentencing)
    check_model_fits_case(surrogate, risk)
    with pytest.raises(InputError, match=r"answers in months, but case 'compas-22' is a risk_assessment case"):
        check_model_fits_case(small_adapter, risk)
    with pytest.raises(InputError, match=r"answers in score, but case .* is a sentencing case"):
        check_model_fits_case(surrogate, sentencing)
    other = CallableModel(lambda frame: [5.0] * len(frame), "lsi-r", output=OutputKind.SCORE,
                          card={"instrument": "lsi-r"})  # fmt: skip
    with pytest.raises(InputError, match=r"models instrument 'lsi-r', but case .* was scored by 'compas-recidivism'"):
        check_model_fits_case(other, risk)
