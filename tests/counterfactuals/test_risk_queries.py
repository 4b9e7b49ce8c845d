"""Counsel's three questions on a risk instrument, against a hand-written points table with known answers."""

from __future__ import annotations

import itertools

import pytest

from counterfactuals.risk_queries import ask_risk_what_if, find_risk_changes, probe_risk_irrelevant
from evidence_pack.registry import full_registry
from sentencing.errors import CaseValidationError, OperationInputError
from sentencing.models.points_table import PointsTableModel
from sentencing.operations import OperationContext
from sentencing.risk import load_instrument, parse_risk_case, risk_frame
from tests.sentencing.test_risk import PERSON

# 3 + 1 (a prior) + 2 (three priors) - 1 (aged 25+) + 0.8 (African-American) + 0.5 (felony) = 6.3 → 6, Medium.
TABLE = {
    "schema_version": "1.0", "kind": "surrogate", "instrument": "compas-recidivism", "intercept": 3.0,
    "fidelity": {"cross_validated": {"rows": 100, "same_class": 0.5, "r2": 0.25}},
    "terms": [
        {"factor": "priors_count", "op": ">=", "value": 1, "points": 1.0},
        {"factor": "priors_count", "op": ">=", "value": 3, "points": 2.0},
        {"factor": "age", "op": ">=", "value": 25, "points": -1.0},
        {"factor": "race", "op": "==", "value": "African-American", "points": 0.8},
        {"factor": "charge", "op": "==", "value": "F", "points": 0.5},
    ],
}  # fmt: skip


@pytest.fixture(scope="module")
def table() -> PointsTableModel:
    return PointsTableModel(load_instrument(), TABLE)


def test_what_if_gives_the_table_s_arithmetic_and_carries_the_surrogate_caveat(table) -> None:
    case = parse_risk_case(PERSON)
    result = ask_risk_what_if(case, table, [("none", {"priors_count": 0}), ("young", {"age": 24, "charge": "M"})])
    assert result.baseline.score == pytest.approx(6.3) and (result.baseline.decile, result.baseline.risk_class) == (
        6,
        "Medium",
    )
    assert [s.point.score for s in result.scenarios] == pytest.approx([3.3, 6.8])
    assert [s.point.risk_class for s in result.scenarios] == ["Low", "Medium"]
    assert result.recorded == (10, "High")
    body = result.to_dict()
    assert (
        "Surrogate model" in body["caveat"]["en"]
        and "替代模型" in body["caveat"]["zh-CN"]
        and "50.0%" in body["caveat"]["en"]
    )
    with pytest.raises(CaseValidationError, match=r"person\.age"):
        ask_risk_what_if(case, table, [("child", {"age": 12})])


def test_the_search_finds_the_fewest_changes_exactly_as_brute_force_does(table) -> None:
    instrument = load_instrument()
    case = parse_risk_case(PERSON)
    result = find_risk_changes(case, table, "Low", instrument=instrument, max_changes=2, answers=20)
    # Brute force, one scenario at a time through the case rules: which single changes reach Low?
    singles = []
    for factor in ("charge", "age", "priors_count", "juv_fel_count", "juv_misd_count", "juv_other_count"):
        values = instrument.catalogue.charge_ids if factor == "charge" else range(
            int(instrument.factor(factor).minimum), int(instrument.factor(factor).maximum) + 1)  # fmt: skip
        for value in values:
            if value == (case.charge if factor == "charge" else case.value(factor)):
                continue
            changed = case.with_changes({factor: value}, instrument)
            decile = instrument.scale.decile(float(table.predict_frame(risk_frame([changed], instrument))[0]))
            if instrument.scale.class_of(decile).id == "Low":
                singles.append((factor, value))
    # Fewer than three priors drops the 2 points: 4.3 (one or two) or 3.3 (none), all Low.
    assert singles == [("priors_count", 0), ("priors_count", 1), ("priors_count", 2)]
    assert result.fewest_changes == 1
    # Closest first: two priors is the smallest change of the count.
    assert [(a.changes[0].factor, a.changes[0].after) for a in result.answers] == singles[::-1]
    assert "race" not in result.searched and "sex" not in result.searched  # not disputable: never a proposed change


def test_a_fact_fixed_by_the_court_is_never_changed_and_an_unreachable_class_is_said(table) -> None:
    fixed = parse_risk_case({**PERSON, "fixed_by_court": ["priors_count"]})
    result = find_risk_changes(fixed, table, "Low", max_changes=2)
    assert "priors_count" not in result.searched
    assert result.fewest_changes is None and result.answers == ()
    assert "no combination of up to 2 disputable facts reaches Low" in result.notes[0]
    # Without the priors, the most the table can take off is the felony's 0.5 (6.3 → 5.8): even three changes
    # fail, and since the grid is whole, that is a proof on it.
    assert find_risk_changes(fixed, table, "Low", max_changes=3).fewest_changes is None
    with pytest.raises(OperationInputError, match="target 'Lowest'"):
        find_risk_changes(fixed, table, "Lowest")


def test_a_search_that_outgrows_its_bound_says_so_and_claims_nothing(table, monkeypatch) -> None:
    import counterfactuals.risk_queries as risk_queries

    monkeypatch.setattr(risk_queries, "MAX_GRID_ROWS", 100)  # charge (1) and age (82) fit; the priors (60) do not
    result = find_risk_changes(parse_risk_case(PERSON), table, "Low", max_changes=2)
    assert result.combinations_tried == 83 and result.fewest_changes is None and result.answers == ()
    assert len(result.notes) == 1 and result.notes[0].startswith("stopped before ('priors_count',)")


def test_two_changes_are_found_when_one_is_not_enough() -> None:
    instrument = load_instrument()
    # 3.6 + 1 (a prior) + 1 (felony) = 5.6 → 6 under 25; each single change leaves 4.6 → 5; any two give 3.6 → 4.
    table = PointsTableModel(instrument, {**TABLE, "intercept": 3.6, "terms": [
        {"factor": "priors_count", "op": ">=", "value": 1, "points": 1.0},
        {"factor": "age", "op": ">=", "value": 25, "points": -1.0},
        {"factor": "charge", "op": "==", "value": "F", "points": 1.0},
    ]})  # fmt: skip
    case = parse_risk_case({**PERSON, "person": {**PERSON["person"], "age": 24, "priors_count": 1}})
    result = find_risk_changes(case, table, "Low", instrument=instrument, max_changes=2, answers=20)
    assert result.fewest_changes == 2
    # Independently: every pair of single changes through the case rules, scored one by one.
    expected = set()
    singles = [("priors_count", v) for v in range(0, 61) if v != 1] + [("age", v) for v in range(18, 101) if v != 24]
    for (f1, v1), (f2, v2) in itertools.combinations([*singles, ("charge", "M")], 2):
        if f1 == f2:
            continue
        changed = case.with_changes({f1: v1, f2: v2}, instrument)
        decile = instrument.scale.decile(float(table.predict_frame(risk_frame([changed], instrument))[0]))
        if decile <= 4:
            expected.add(frozenset({(f1, v1), (f2, v2)}))
    assert len(expected) == 1 + 76 + 76  # priors 0 & charge M; priors 0 & age 25-100; age 25-100 & charge M
    found = {frozenset((c.factor, c.after) for c in a.changes) for a in result.answers}
    assert found <= expected and len(found) == 20
    distances = [a.distance for a in result.answers]
    assert distances == sorted(distances)
    # The nearest: one prior fewer (1/60) and one year older (1/82).
    assert found >= {frozenset({("priors_count", 0), ("age", 25)})}


def test_legally_irrelevant_inputs_are_probed_alone_and_flagged_by_movement(table) -> None:
    result = probe_risk_irrelevant(parse_risk_case(PERSON), table, threshold=0.5)
    moves = {p.label: round(p.delta, 6) for p in result.probes}
    assert moves["race=Caucasian"] == -0.8 and moves["sex=Female"] == 0.0 and len(moves) == 6
    assert {p.label for p in result.flagged} == {
        f"race={r}" for r in ("Caucasian", "Hispanic", "Asian", "Native American", "Other")
    }
    assert all(p.exploratory for p in result.probes)


def test_the_operations_replay_to_the_same_digest(table) -> None:
    registry, case = full_registry(), parse_risk_case(PERSON)
    context = OperationContext(model=table)
    for name, parameters in (("risk_predict", {}), ("risk_whatif", {"changes": {"priors_count": 0}}),
                             ("risk_counterfactual", {"target_class": "Low"}), ("risk_sensitivity", {})):  # fmt: skip
        first, second = (registry.run(name, case, parameters, context) for _ in range(2))
        assert first.result_sha256 == second.result_sha256 and first.model_sha256 == table.identity.sha256
    with pytest.raises(OperationInputError, match="non-empty"):
        registry.run("risk_whatif", case, {"changes": {}}, context)
