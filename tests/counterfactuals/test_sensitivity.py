from __future__ import annotations

import pytest

from counterfactuals.sensitivity import probe_irrelevant_factors
from sentencing.case import parse_case
from sentencing.errors import InputError
from tests.model_fixtures import rule_model


def test_a_model_that_weighs_household_registration_is_caught(document, hukou_model) -> None:
    case = parse_case(document(defendant={"household_registration": "non_local"}))
    result = probe_irrelevant_factors(case, hukou_model)
    assert result.baseline_months == 13.0
    assert [f.factor for f in result.findings] == ["household_registration"]
    finding = result.findings[0]
    assert (finding.before, finding.after, finding.model_delta) == ("non_local", "local", -3.0)
    assert "Criminal Law art. 4" in finding.legal_basis
    assert "外地户籍→本地户籍" in finding.statement().zh and "-3.00 months" in finding.statement().en
    # every legally irrelevant factor was tried, alone, to every other value; the guideline never moved
    tried = {(p.factor, p.after) for p in result.probes}
    assert ("sex", "female") in tried and ("region", "west") in tried and ("ethnicity", "minority") in tried
    assert len([p for p in result.probes if p.factor == "occupation"]) == 5
    assert all(p.guideline_delta == 0 for p in result.probes)


def test_a_model_that_ignores_them_raises_no_finding(document, leniency_model) -> None:
    result = probe_irrelevant_factors(parse_case(document()), leniency_model)
    assert result.findings == () and all(p.model_delta == 0 for p in result.probes)


def test_the_threshold_decides(document, hukou_model) -> None:
    case = parse_case(document(defendant={"household_registration": "non_local"}))
    # 3 months of a 13-month term: 23% — below 3.5 months, and below a 25% share, is no finding; either reached is
    assert probe_irrelevant_factors(case, hukou_model, threshold_months=3.5, threshold_share=0.25).findings == ()
    assert probe_irrelevant_factors(case, hukou_model, threshold_months=3.0, threshold_share=0.25).findings
    assert probe_irrelevant_factors(case, hukou_model, threshold_months=3.5, threshold_share=0.23).findings
    with pytest.raises(InputError):
        probe_irrelevant_factors(case, hukou_model, threshold_months=0)
    with pytest.raises(InputError):
        probe_irrelevant_factors(case, hukou_model, threshold_share=0)


def test_the_reference_model_learned_the_injected_bias(bundled_cases, small_adapter) -> None:
    case = next(c for c in bundled_cases if c.case_id == "fraud-telecom-accessory")
    result = probe_irrelevant_factors(case, small_adapter)
    hukou = next(p for p in result.probes if p.factor == "household_registration")
    assert hukou.model_delta < -0.5  # non-local was lengthened by 10% in the judgments it learned from
    assert "household_registration" in {f.factor for f in result.findings}
    assert result.to_dict()["findings"][0]["statement"]["zh-CN"]


def test_the_order_of_probes_is_the_catalogue_order(document) -> None:
    model = rule_model(lambda f: 10.0 + 0 * f["surrender"].to_numpy(), "flat")
    factors = [p.factor for p in probe_irrelevant_factors(parse_case(document()), model).probes]
    assert factors == sorted(factors, key=["sex", "household_registration", "occupation", "region", "ethnicity"].index)
