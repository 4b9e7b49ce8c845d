from __future__ import annotations

import itertools

import numpy as np
import pytest

from counterfactuals.search import Target, change_distance, find_minimal_changes, search_space, select_diverse
from sentencing.case import parse_case
from sentencing.catalogue import load_catalogue
from sentencing.errors import CaseValidationError, InputError
from sentencing.models import predict_cases
from tests.model_fixtures import rule_model


def _case(document, **changes):
    return parse_case(document(**changes))


def _brute_force_minimum(case, model, target, options, limit):
    """Independent check: try every combination with the public case API, one prediction at a time."""
    for size in range(1, limit + 1):
        for group in itertools.combinations(options, size):
            for values in itertools.product(*(o.values for o in group)):
                try:
                    changed = case.with_changes(dict(zip((o.factor for o in group), values, strict=True)))
                except CaseValidationError:
                    continue
                if target.reached(predict_cases(model, [changed]))[0]:
                    return size
    return None


def test_search_space_respects_the_law_and_the_court(document) -> None:
    case = _case(document, fixed_by_court=["amount_yuan"], circumstances={"surrender": True})
    options = {o.factor: o for o in search_space(case)}
    assert "amount_yuan" not in options  # fixed by the court
    assert not {"sex", "household_registration", "age_at_offence", "ethnicity"} & set(options)  # not disputable
    assert "blood_alcohol_mg_per_100ml" not in options  # not this charge
    assert options["surrender"].values == (False,)
    assert set(options["confession"].values) == {"ordinary", "heavier_same_type", "averted_serious_harm"}
    for option in options.values():
        spec = load_catalogue().factor(option.factor)
        if spec.minimum is not None:
            assert all(spec.minimum <= v <= spec.maximum for v in option.values)
    free = {o.factor: o for o in search_space(_case(document))}
    assert {1000, 999, 50000, 49999} <= set(free["amount_yuan"].values)  # the legal breakpoints


def test_the_minimum_matches_brute_force(document, leniency_model) -> None:
    case = _case(document)
    options = search_space(case, factors=["surrender", "restitution", "plea_agreement", "good_conduct_in_custody"])
    for threshold in (35, 25, 15, 5):
        target = Target.below(threshold)
        result = find_minimal_changes(
            case, leniency_model, target, factors=[o.factor for o in options], max_changes=4, answers=2
        )
        expected = _brute_force_minimum(case, leniency_model, target, options, 4)
        assert result.minimal_size == expected, threshold
        assert result.proven_minimal is (expected is not None)
        for answer in result.answers:
            assert answer.size >= expected and target.reached(np.array([answer.recommended_months]))[0]


def test_an_unlawful_combination_is_never_an_answer(document, leniency_model) -> None:
    # The model rewards a confession, but the defendant surrendered: confession alone would be a
    # contradiction (Criminal Law art. 67), so the lawful minimum is two changes.
    case = _case(document, circumstances={"surrender": True})
    result = find_minimal_changes(case, leniency_model, Target.below(20), factors=["surrender", "confession", "acts"])
    assert result.minimal_size == 2
    first = {c.factor: c.after for c in result.answers[0].changes}
    assert first["surrender"] is False and first["confession"] != "none"
    for answer in result.answers:
        parse_case(answer.case.to_document())  # every answer is a lawful case


def test_answers_are_re_predicted_not_taken_from_the_batch(document) -> None:
    # A model that says one thing in a batch and another for a single row: never trust the batch.
    def two_faced(frame):
        honest = 40.0 - 10.0 * frame["restitution"].to_numpy()
        return honest * 0.25 if len(frame) > 5 else honest  # the search's batch has 6 rows, re-prediction 3

    case = _case(document)
    model = rule_model(two_faced, "two-faced")
    result = find_minimal_changes(case, model, Target.below(20), factors=["restitution", "acts"], max_changes=1)
    assert result.answers == ()
    assert any("re-predicted" in note for note in result.notes)


def test_fixed_facts_and_reports(document, small_adapter) -> None:
    case = _case(document, facts={"amount_yuan": 120000}, fixed_by_court=["amount_yuan"])
    result = find_minimal_changes(case, small_adapter, Target.below(result_target(case, small_adapter)))
    assert result.minimal_size is not None and result.proven_minimal
    for answer in result.answers:
        assert "amount_yuan" not in {c.factor for c in answer.changes}
        assert answer.recommended_months == pytest.approx(float(predict_cases(small_adapter, [answer.case])[0]))
    body = result.to_dict()
    assert body["schema_version"] == "1.0" and body["method"] == "exact-grid"


def result_target(case, model) -> float:
    return float(predict_cases(model, [case])[0]) * 0.8


def test_same_query_same_answers(document, small_adapter) -> None:
    case = _case(document, facts={"amount_yuan": 68000})
    first = find_minimal_changes(case, small_adapter, Target.below(30), answers=3)
    second = find_minimal_changes(case, small_adapter, Target.below(30), answers=3)
    assert first.to_dict() == second.to_dict()


def test_targets(document, leniency_model) -> None:
    case = _case(document)
    assert find_minimal_changes(case, leniency_model, Target.below(50)).minimal_size == 0
    unreachable = find_minimal_changes(case, leniency_model, Target.below(-5), max_changes=2)
    assert unreachable.minimal_size is None and unreachable.answers == () and not unreachable.proven_minimal
    window = find_minimal_changes(case, leniency_model, Target.within(18, 22), factors=["surrender", "restitution"])
    assert window.minimal_size == 2 and window.answers[0].recommended_months == 20.0
    with pytest.raises(InputError):
        Target.within(10, 5)
    with pytest.raises(InputError):
        Target.below(float("nan"))


def test_risk_bands_come_from_the_model_card(document) -> None:
    scored = rule_model(
        lambda f: 8.0 - 3.0 * f["surrender"].to_numpy(), "risk score",
        card={"output": {"kind": "score", "bands": {"Low": [1, 4], "Medium": [5, 7], "High": [8, 10]}}},
    )  # fmt: skip
    target = Target.band(scored, "Low")
    assert (target.low, target.high) == (1.0, 4.0)
    result = find_minimal_changes(_case(document), scored, target, factors=["surrender", "restitution"])
    assert (result.minimal_size == 1 and result.answers[0].recommended_months == 5.0) or result.minimal_size is None
    with pytest.raises(InputError, match="declares no such band"):
        Target.band(scored, "Very high")


def test_diversity_prefers_other_factors() -> None:
    from counterfactuals.edits import Change
    from counterfactuals.search import Counterfactual

    def answer(factors, distance):
        return Counterfactual(tuple(Change(f, False, True, True) for f in factors), None, 1.0, 1.0, distance)  # type: ignore[arg-type]

    pool = [answer(["a"], 1.0), answer(["a", "b"], 1.1), answer(["c"], 1.2), answer(["a"], 1.3)]
    chosen = select_diverse(pool, 3)
    assert [tuple(c.factor for c in a.changes) for a in chosen] == [("a",), ("c",), ("a", "b")]


def test_distance() -> None:
    catalogue = load_catalogue()
    assert change_distance([("surrender", False, True)], catalogue) == 1.0
    assert change_distance([("amount_yuan", 10000, 7500)], catalogue) == 0.25
    assert change_distance([("amount_yuan", 10000, 100000)], catalogue) == 1.0


def test_bad_search_parameters(document, leniency_model) -> None:
    case = _case(document)
    with pytest.raises(InputError):
        find_minimal_changes(case, leniency_model, Target.below(5), answers=0)
    with pytest.raises(InputError):
        find_minimal_changes(case, leniency_model, Target.below(5), max_changes=9)
    with pytest.raises(InputError, match="not disputable"):
        find_minimal_changes(case, leniency_model, Target.below(5), factors=["household_registration"])
