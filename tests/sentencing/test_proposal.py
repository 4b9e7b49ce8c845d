"""The prosecution's sentencing proposal (量刑建议) as a validated part of the case, and the plea graded by stage.

Each refusal names the field and the rule it breaks (issue: bad proposals get one-line errors); each rule of law
the checks rest on is named in the test.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from importlib import resources
from typing import Any

import pytest

from sentencing.case import load_case_file, parse_case
from sentencing.errors import CaseValidationError, ConfigurationError, Rule
from sentencing.guideline import Penalty, derive_sentence
from sentencing.jurisdiction import PleaStage, load_jurisdiction, parse_jurisdiction
from sentencing.proposal import Present, parse_proposal, proposal_from_canonical, stage_of_plea

CASES = resources.files("sentencing").joinpath("data/cases")
EXAMPLE = json.loads(CASES.joinpath("theft-plea-proposal.json").read_text("utf-8"))
PROPOSAL: dict[str, Any] = EXAMPLE["proposal"]


def proposal(**changes: Any) -> dict[str, Any]:
    document = copy.deepcopy(PROPOSAL)
    for key, value in changes.items():
        if value is None:
            document.pop(key, None)
        else:
            document[key] = value
    return document


def refused(document: object, **kwargs: Any) -> list[tuple[str, str]]:
    with pytest.raises(CaseValidationError) as caught:
        parse_proposal(document, **kwargs)
    return [(v.field, v.rule) for v in caught.value.violations]


def test_the_bundled_proposal_is_read_with_every_part() -> None:
    p = parse_proposal(PROPOSAL, charge="theft", jurisdiction=load_jurisdiction("default"))
    assert p.penalty is Penalty.FIXED_TERM and (p.term.low, p.term.high) == (12.0, 14.0) and p.is_range
    assert p.fine_yuan == (5000.0, 5000.0) and not p.probation
    assert p.plea_stage is PleaStage.TRIAL and p.plea_date == dt.date(2026, 4, 15)
    assert p.signed_statement.present is Present.DUTY_LAWYER and p.signed_statement.lawyer
    assert p.stated_circumstances == ("confession", "plea_agreement")
    assert p.tool_model_sha256 is not None and len(p.tool_model_sha256) == 64
    assert parse_proposal(p.to_document()) == p  # the canonical form gives back an equal proposal
    assert "12–14" in p.term_label().zh and "12–14 months" in p.term_label().en


def test_a_case_file_carries_its_proposal_and_a_what_if_keeps_it() -> None:
    case = load_case_file(str(CASES.joinpath("theft-plea-proposal.json")))
    assert case.proposal is not None
    assert proposal_from_canonical(case.proposal).proposal_id == "QJ-2026-0417"
    assert parse_case(case.to_document()) == case
    changed = case.with_changes({"amount_yuan": 18000})
    assert changed.proposal == case.proposal  # how the same proposal stands against changed facts


@pytest.mark.parametrize(("changes", "field", "rule"), [
    # a range upside down
    ({"term_months": [14, 12]}, "proposal.term_months", Rule.CONTRADICTION),
    # 拘役 runs from one to six months (刑法第42条), 有期徒刑 from six months (刑法第45条)
    ({"penalty": "detention", "term_months": 8}, "proposal.term_months", Rule.OUT_OF_RANGE),
    ({"term_months": 3}, "proposal.term_months", Rule.OUT_OF_RANGE),
    # probation suspends at most three years' imprisonment (刑法第72条): a five-year term cannot be suspended
    ({"term_months": 60, "probation": True}, "proposal.probation", Rule.CONTRADICTION),
    # the test period is not shorter than the term (刑法第73条)
    ({"term_months": 12, "probation": True, "probation_months": 10}, "proposal.probation_months", Rule.OUT_OF_RANGE),
    ({"term_months": 18, "probation": True, "probation_months": 12}, "proposal.probation_months",
     Rule.CONTRADICTION),
    ({"probation_months": 24}, "proposal.probation_months", Rule.CONTRADICTION),
    # exemption (刑法第37条) carries neither a term nor a fine
    ({"penalty": "exemption"}, "proposal.term_months", Rule.CONTRADICTION),
    ({"penalty": "exemption", "term_months": None}, "proposal.fine_yuan", Rule.CONTRADICTION),
    ({"penalty": "life"}, "proposal.penalty", Rule.NOT_ALLOWED_VALUE),
    ({"fine_yuan": -5}, "proposal.fine_yuan", Rule.OUT_OF_RANGE),
    ({"date": "2026-02-30"}, "proposal.date", Rule.OUT_OF_RANGE),
    ({"date": "17/04/2026"}, "proposal.date", Rule.WRONG_TYPE),
    ({"procuratorate": "某检察院\u0000"}, "proposal.procuratorate", Rule.INVALID_TEXT),
    ({"procuratorate": "x" * 500}, "proposal.procuratorate", Rule.INVALID_TEXT),
    ({"stated_circumstances": ["amount_yuan"]}, "proposal.stated_circumstances[0]", Rule.UNKNOWN_FIELD),
    ({"tool": {"name": "x", "model_sha256": "ABC"}}, "proposal.tool.model_sha256", Rule.WRONG_TYPE),
    ({"secret_terms": True}, "proposal.secret_terms", Rule.UNKNOWN_FIELD),
    ({"schema_version": "2.0"}, "proposal.schema_version", Rule.UNSUPPORTED_SCHEMA),
    ({"basis": []}, "proposal.basis", Rule.WRONG_TYPE),
    ({"plea": None}, "proposal.plea", Rule.MISSING_REQUIRED),
])  # fmt: skip
def test_a_bad_proposal_is_refused_naming_the_field_and_the_rule(changes, field, rule) -> None:
    assert (field, rule) in refused(proposal(**changes))


def test_a_stage_that_contradicts_the_plea_date_is_refused() -> None:
    # pleaded on 2026-04-15, indicted on 2026-04-01: the plea came at trial, not in the investigation
    plea = {**PROPOSAL["plea"], "stage": "investigation"}
    assert ("proposal.plea.stage", Rule.CONTRADICTION) in refused(proposal(plea=plea))
    # the statement is signed with (or after) the plea, and before the proposal (CPL art. 174)
    early = {**PROPOSAL["plea"], "signed_statement": {**PROPOSAL["plea"]["signed_statement"], "date": "2026-04-01"}}
    assert ("proposal.plea.signed_statement.date", Rule.CONTRADICTION) in refused(proposal(plea=early))
    late = {**PROPOSAL["plea"], "signed_statement": {**PROPOSAL["plea"]["signed_statement"], "date": "2026-05-01"}}
    assert ("proposal.plea.signed_statement.date", Rule.CONTRADICTION) in refused(proposal(plea=late))
    nobody = {**PROPOSAL["plea"], "signed_statement": {**PROPOSAL["plea"]["signed_statement"], "present": "police"}}
    assert ("proposal.plea.signed_statement.present", Rule.NOT_ALLOWED_VALUE) in refused(proposal(plea=nobody))
    backwards = {"review_started": "2026-04-10", "indicted": "2026-04-01"}
    assert ("proposal.procedure_dates.indicted", Rule.CONTRADICTION) in refused(proposal(procedure_dates=backwards))


@pytest.mark.parametrize(("plea", "review", "indicted", "stage"), [
    ("2026-01-10", "2026-03-02", "2026-04-01", PleaStage.INVESTIGATION),
    ("2026-03-10", "2026-03-02", "2026-04-01", PleaStage.PROSECUTION_REVIEW),
    ("2026-04-01", "2026-03-02", "2026-04-01", PleaStage.TRIAL),
    ("2026-03-10", None, "2026-04-01", None),  # before the indictment, review date unknown: not decided
])  # fmt: skip
def test_the_procedure_dates_put_a_plea_in_its_stage(plea, review, indicted, stage) -> None:
    def day(text: str | None) -> dt.date | None:
        return dt.date.fromisoformat(text) if text else None

    assert stage_of_plea(dt.date.fromisoformat(plea), day(review), day(indicted)) is stage


def test_a_term_above_every_statutory_band_of_the_charge_is_no_proposal_of_it(document) -> None:
    # drunk driving (危险驾驶) is punished by 拘役 of at most six months (刑法第133条之一): a year is no proposal of it
    doc = document(charge="dangerous_driving", facts={"blood_alcohol_mg_per_100ml": 150},
                   circumstances={"plea_agreement": True})  # fmt: skip
    doc["proposal"] = proposal(penalty="fixed_term", term_months=12, stated_circumstances=["plea_agreement"])
    with pytest.raises(CaseValidationError) as caught:
        parse_case(doc)
    assert ("proposal.term_months", Rule.OUT_OF_RANGE) in [(v.field, v.rule) for v in caught.value.violations]


def test_a_circumstance_that_does_not_apply_to_the_charge_is_refused() -> None:
    stated = {"stated_circumstances": ["refused_breath_test"]}
    assert ("proposal.stated_circumstances[0]", Rule.NOT_APPLICABLE) in refused(proposal(**stated), charge="theft")


# 法发〔2021〕21号 三: 认罪认罚的，综合考虑…认罪认罚的阶段、程度、价值…可以减少基准刑的30%以下; the earlier the
# plea, the larger the reduction (两高三部 2019 指导意见第9条); the default table grades 30% / 20% / 10% at most.
def test_part_iii_the_plea_reduction_is_graded_by_the_stage_of_the_plea() -> None:
    case = load_case_file(str(CASES.joinpath("theft-plea-proposal.json")))
    table = load_jurisdiction("default")
    # base: ¥9,000 theft, 6 months + 1 per ¥2,000 above ¥1,000 = 10 months; the plea absorbs the confession (-10%)
    # and the two reduce together by at most the stage's cap, never less than the confession alone
    points = {stage: derive_sentence(case, table.for_plea_stage(stage)).recommended_months for stage in PleaStage}
    assert points == {PleaStage.INVESTIGATION: 7.0, PleaStage.PROSECUTION_REVIEW: 8.0, PleaStage.TRIAL: 9.0}
    assert derive_sentence(case, table).recommended_months == 7.5  # ungraded: the plea's own -15% default


def test_a_table_whose_later_plea_reduces_more_is_refused() -> None:
    document = json.loads(resources.files("sentencing").joinpath("data/jurisdictions/default.json").read_text("utf-8"))
    stages = document["policy"]["plea_stages"]
    stages[2]["ratio_min"], stages[2]["ratio_default"] = -0.3, -0.25  # a plea at trial worth more than in investigation
    with pytest.raises(ConfigurationError, match="earlier plea"):
        parse_jurisdiction(document, "test")
    stages[2]["ratio_min"] = -0.5  # beyond the plea's own 30%
    with pytest.raises(ConfigurationError, match="lenient end"):
        parse_jurisdiction(document, "test")


@pytest.mark.parametrize("order", [(2, 1, 0), (0, 0, 1)])
def test_plea_stages_come_once_each_in_the_order_of_the_proceedings(order) -> None:
    document = json.loads(resources.files("sentencing").joinpath("data/jurisdictions/default.json").read_text("utf-8"))
    stages = document["policy"]["plea_stages"]
    document["policy"]["plea_stages"] = [copy.deepcopy(stages[i]) for i in order]
    with pytest.raises(ConfigurationError, match="each stage once"):
        parse_jurisdiction(document, "test")
