from __future__ import annotations

import numpy as np
import pytest

from counterfactuals.edits import FIXED_BY_COURT, apply_changes, parse_assignments, parse_value
from counterfactuals.whatif import (
    Divergence,
    DivergencePolicy,
    Movement,
    ask_disputed_fact,
    ask_what_if,
    compare_movements,
)
from sentencing.case import parse_case
from sentencing.errors import CaseValidationError, InputError, Rule
from sentencing.guideline import derive_sentence
from sentencing.models import predict_cases
from tests.model_fixtures import rule_model


def test_values_are_parsed_by_the_catalogue() -> None:
    assert parse_assignments(["restitution=yes", "amount_yuan=9,000", "confession=ordinary", "acts=2"]) == {
        "restitution": True, "amount_yuan": 9000, "confession": "ordinary", "acts": 2,
    }  # fmt: skip
    assert parse_value("surrender", "否") is False and parse_value("blood_alcohol_mg_per_100ml", "95.5") == 95.5
    with pytest.raises(CaseValidationError, match="true or false"):
        parse_value("surrender", "maybe")
    with pytest.raises(CaseValidationError, match="whole number"):
        parse_value("acts", "2.5")
    with pytest.raises(CaseValidationError, match="no such factor"):
        parse_value("verdict", "guilty")
    with pytest.raises(InputError, match="FACTOR=VALUE"):
        parse_assignments(["restitution"])


def test_what_if_answers_beside_the_guideline(bundled_cases, small_adapter) -> None:
    case = next(c for c in bundled_cases if c.case_id == "theft-burglary-recidivist")
    result = ask_what_if(case, small_adapter, {"restitution": True, "amount_yuan": 30000})
    scenario = result.scenarios[0]
    changed = case.with_changes({"restitution": True, "amount_yuan": 30000})
    assert scenario.model.after == pytest.approx(float(predict_cases(small_adapter, [changed])[0]), abs=1e-9)
    assert scenario.model.before == pytest.approx(float(predict_cases(small_adapter, [case])[0]), abs=1e-9)
    assert scenario.guideline.after == derive_sentence(changed).recommended_months
    assert scenario.guideline.before == derive_sentence(case).recommended_months == 46.8
    assert [(c.factor, c.before, c.after) for c in scenario.changes] == [
        ("amount_yuan", 68000, 30000), ("restitution", False, True),
    ]  # fmt: skip
    body = result.to_dict()
    assert body["schema_version"] == "1.0" and body["scenarios"][0]["guideline"]["judicial_band"]


def test_a_disputed_fact_is_shown_in_every_version(bundled_cases, small_adapter) -> None:
    case = next(c for c in bundled_cases if c.case_id == "theft-non-local-unemployed")
    result = ask_disputed_fact(case, small_adapter, "restitution", [True, False])
    made, not_made = result.scenarios
    assert made.changes == () and made.model.delta == 0 and made.guideline.delta == 0
    assert [c.factor for c in not_made.changes] == ["restitution"]
    assert not_made.guideline.delta > 0  # losing restitution can only lengthen the guideline term
    with pytest.raises(InputError, match="two or more"):
        ask_disputed_fact(case, small_adapter, "restitution", [True])


@pytest.mark.parametrize(
    ("changes", "rule"),
    [
        ({"amount_yuan": 60000}, FIXED_BY_COURT),  # the bundled case has the amount fixed by the court
        ({"acts": 0}, Rule.OUT_OF_RANGE),
        ({"confession": "ordinary"}, Rule.CONTRADICTION),  # the defendant surrendered
        ({"blood_alcohol_mg_per_100ml": 150}, Rule.NOT_APPLICABLE),
        ({"restitutoin": True}, Rule.UNKNOWN_FIELD),
    ],
)
def test_invalid_edits_are_refused_with_field_and_rule(bundled_cases, small_adapter, changes, rule) -> None:
    case = next(c for c in bundled_cases if c.case_id == "theft-non-local-unemployed")
    with pytest.raises(CaseValidationError) as info:
        ask_what_if(case, small_adapter, changes)
    assert info.value.rule == rule and info.value.field == next(iter(changes))


def test_changing_a_defendant_attribute_is_marked_exploratory(bundled_cases, small_adapter) -> None:
    case = next(c for c in bundled_cases if c.case_id == "dangerous-driving-accident")  # no surrender, no confession
    result = ask_what_if(case, small_adapter, {"household_registration": "non_local"})
    assert result.scenarios[0].exploratory
    assert not ask_what_if(case, small_adapter, {"surrender": True}).scenarios[0].exploratory


@pytest.mark.parametrize(
    ("model_delta", "guideline_delta", "expected"),
    [
        (+2.0, -1.5, Divergence.OPPOSITE_DIRECTIONS),
        (+2.0, 0.0, Divergence.ONLY_MODEL_MOVES),
        (0.0, -2.0, Divergence.ONLY_GUIDELINE_MOVES),
        (-6.0, -1.5, Divergence.DIFFERENT_AMOUNTS),
        (-1.6, -1.5, None),
        (+0.1, -0.1, None),  # neither really moves
        (-3.0, -2.0, None),  # same direction, within a factor of two
    ],
)
def test_divergence_rules(model_delta, guideline_delta, expected) -> None:
    policy = DivergencePolicy()
    assert compare_movements(Movement(10, 10 + model_delta), Movement(10, 10 + guideline_delta), policy) is expected


def test_a_model_that_moves_against_the_law_is_flagged(bundled_cases) -> None:
    perverse = rule_model(lambda f: 10.0 + 5.0 * f["restitution"].to_numpy(), "rewards keeping the proceeds")
    case = next(c for c in bundled_cases if c.case_id == "theft-burglary-recidivist")
    scenario = ask_what_if(case, perverse, {"restitution": True}).scenarios[0]
    assert scenario.model.delta == 5.0 and scenario.guideline.delta < 0
    assert scenario.divergence is Divergence.OPPOSITE_DIRECTIONS
    assert ask_what_if(case, perverse, {"restitution": True}).to_dict()["scenarios"][0]["divergence_label"]["zh-CN"]


def test_apply_changes_reports_only_real_changes(bundled_cases) -> None:
    case = bundled_cases[0]
    changed, changes = apply_changes(case, {"surrender": case.value("surrender")})
    assert changed == case and changes == ()


def test_what_if_needs_a_change(bundled_cases, small_adapter) -> None:
    with pytest.raises(InputError):
        ask_what_if(bundled_cases[0], small_adapter, {})


def test_predictions_come_in_one_batch(bundled_cases, small_adapter) -> None:
    calls: list[int] = []
    pipeline_predict = small_adapter.predict_frame

    def counting(frame):
        calls.append(len(frame))
        return pipeline_predict(frame)

    model = rule_model(lambda f: counting(f), "counting")
    calls.clear()
    ask_disputed_fact(bundled_cases[1], model, "good_conduct_in_custody", [True, False])
    assert calls == [3] and np.all(np.array(calls) > 0)
    assert parse_case(bundled_cases[1].to_document()) == bundled_cases[1]
