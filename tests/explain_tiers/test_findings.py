"""Each kind of challenge finding, raised by a situation built to show it, and not raised without it."""

from __future__ import annotations

from counterfactuals.sensitivity import probe_irrelevant_factors
from counterfactuals.whatif import ask_what_if
from explain_tiers.audit import audit_groups
from explain_tiers.findings import (
    FindingKind,
    FindingPolicy,
    findings_from_audit,
    findings_from_coverage,
    findings_from_disputes,
    findings_from_examination,
    findings_from_sensitivity,
    findings_from_stability,
)
from explain_tiers.population import Coverage, population_of
from explain_tiers.stabilised_attribution import explain_stabilised
from explain_tiers.stability import SizeStability, StabilityReport
from sentencing.case import parse_case
from sentencing.examination import examine_case
from tests.model_fixtures import rule_model


def _complete(finding) -> None:
    body = finding.to_dict()
    assert body["legal_basis"] and body["query"]["operation"]
    for key in ("title", "evidence", "question"):
        assert body[key]["zh-CN"] and body[key]["en"]


def test_outside_the_band_and_outside_the_limits(document) -> None:
    case = parse_case(document())  # guideline: 11 months, band 8.8-13.2, limits 1-36
    near = findings_from_examination(examine_case(case, rule_model(lambda f: 12.0 + 0 * f["acts"].to_numpy(), "near")))
    assert near == []
    far = findings_from_examination(examine_case(case, rule_model(lambda f: 20.0 + 0 * f["acts"].to_numpy(), "far")))
    assert [f.kind for f in far] == [FindingKind.OUTSIDE_JUDICIAL_BAND]
    wild = findings_from_examination(examine_case(case, rule_model(lambda f: 80.0 + 0 * f["acts"].to_numpy(), "wild")))
    assert [f.kind for f in wild] == [FindingKind.OUTSIDE_STATUTORY_LIMITS]
    _complete(far[0])
    _complete(wild[0])


def test_irrelevant_factor(document, hukou_model, leniency_model) -> None:
    case = parse_case(document(defendant={"household_registration": "non_local"}))
    found = findings_from_sensitivity(probe_irrelevant_factors(case, hukou_model))
    assert [f.kind for f in found] == [FindingKind.IRRELEVANT_FACTOR]
    assert "Criminal Law art. 4" in found[0].legal_basis
    _complete(found[0])
    assert findings_from_sensitivity(probe_irrelevant_factors(case, leniency_model)) == []


def test_unstable_attributions(document, leniency_model) -> None:
    stabilised = explain_stabilised(leniency_model, parse_case(document()), population_of(leniency_model).frame,
                                    samples=256, scrambles=2)  # fmt: skip

    def report(agreement: float) -> StabilityReport:
        return StabilityReport(5, (SizeStability(5000, 10, ("a",), agreement, agreement),), stabilised)

    assert findings_from_stability(report(0.9), FindingPolicy()) == []
    found = findings_from_stability(report(0.3), FindingPolicy())
    assert [f.kind for f in found] == [FindingKind.UNSTABLE_ATTRIBUTIONS]
    _complete(found[0])


def test_outside_the_training_data() -> None:
    inside = Coverage(5000, 1.2, 2.0, (), False, "training data")
    outside = Coverage(5000, 9.5, 2.0, ("amount_yuan",), True, "training data")
    assert findings_from_coverage(inside) == []
    found = findings_from_coverage(outside)
    assert [f.kind for f in found] == [FindingKind.OUT_OF_DISTRIBUTION] and "amount involved" in found[0].evidence.en
    _complete(found[0])


def test_model_and_guideline_disagree_on_a_disputed_fact(bundled_cases, small_adapter) -> None:
    case = next(c for c in bundled_cases if c.case_id == "theft-burglary-recidivist")
    perverse = rule_model(lambda f: 40.0 + 6.0 * f["restitution"].to_numpy(), "rewards keeping the proceeds")
    found = findings_from_disputes([ask_what_if(case, perverse, {"restitution": True})])
    assert [f.kind for f in found] == [FindingKind.DISPUTED_FACT_DIVERGENCE]
    assert found[0].query == {"operation": "whatif", "parameters": {"changes": {"restitution": True}}}
    _complete(found[0])
    assert findings_from_disputes([ask_what_if(case, small_adapter, {"acts": 3})]) == []


def test_group_disparity(small_adapter, hukou_model) -> None:
    found = findings_from_audit(audit_groups(hukou_model, population_of(hukou_model)))
    assert [(f.kind, dict(f.figures)["factor"]) for f in found] == [
        (FindingKind.GROUP_DISPARITY, "household_registration")
    ]
    _complete(found[0])
