from __future__ import annotations

import pytest

from explain_tiers.audit import audit_groups
from explain_tiers.population import assess_coverage, find_similar_judgments, population_of
from sentencing.case import parse_case

TOLERANCE = 0.02  # percentage points of relative change: the audit's stated precision


def test_the_audit_recovers_the_injected_bias(reference_adapter) -> None:
    audit = audit_groups(reference_adapter, population_of(reference_adapter))
    injected = {
        (b["factor"], b["value"]): b["multiplier"] - 1 for b in reference_adapter.card["training_data"]["injected_bias"]
    }
    assert injected == {
        ("household_registration", "non_local"): pytest.approx(0.10),
        ("occupation", "unemployed"): pytest.approx(0.08),
    }
    found = {(g.factor, g.value): g for g in audit.gaps}
    for key, effect in injected.items():
        assert abs(found[key].relative_gap - effect) <= TOLERANCE, (key, found[key].relative_gap)
        assert found[key].disparity
    assert {(g.factor, g.value) for g in audit.disparities} == set(injected)
    assert (
        audit.population == "training data"
        and audit.population_sha256 == reference_adapter.card["training_data"]["sha256"]
    )


def test_no_disparity_on_a_model_trained_without_bias(bias_free_adapter) -> None:
    audit = audit_groups(bias_free_adapter, population_of(bias_free_adapter))
    assert audit.disparities == ()  # nothing at the audit's 3%
    # the trees' noise in a small group: measured 2.09% (retired, beside employed) on generator 3.0's 20,000 judgments,
    # 1.04% on 40,000; under 1% on generator 2.1's draw
    assert max(abs(g.relative_gap) for g in audit.gaps) < 0.025


def test_similar_judgments_are_of_the_same_charge_and_nearest_first(bundled_cases, small_adapter) -> None:
    population = population_of(small_adapter)
    assert population.has_sentences and population.source == "training data"
    case = next(c for c in bundled_cases if c.case_id == "theft-burglary-recidivist")
    similar = find_similar_judgments(case, population, count=5)
    assert len(similar) == 5
    frame = population.frame.set_index("case_id")
    assert all(frame.loc[s.case_id, "charge"] == "theft" for s in similar)
    assert [s.distance for s in similar] == sorted(s.distance for s in similar)
    assert all(s.sentence_months == frame.loc[s.case_id, "sentence_months"] for s in similar)


def test_coverage_flags_a_case_unlike_the_training_data(bundled_cases, small_adapter, document) -> None:
    population = population_of(small_adapter)
    usual = assess_coverage(next(c for c in bundled_cases if c.case_id == "theft-non-local-unemployed"), population)
    assert not usual.out_of_distribution
    odd = parse_case(document(facts={"amount_yuan": 90_000_000, "acts": 60}))
    coverage = assess_coverage(odd, population)
    assert coverage.out_of_distribution and "amount_yuan" in coverage.outside_ranges


def test_a_model_without_training_data_uses_the_stated_stand_in(hukou_model, bundled_cases) -> None:
    population = population_of(hukou_model)
    assert population.source.startswith("synthetic background") and not population.has_sentences
    assert find_similar_judgments(bundled_cases[0], population) == ()
