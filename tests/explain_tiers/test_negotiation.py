"""The plea negotiation's statements and the court's decision on the proposal, as operations: hand-worked standings
against the guideline at the plea's stage, each rule of CPL art. 201 the decision rests on, and bad input refused in
one line naming the field and the rule."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import pytest

from evidence_pack.registry import full_registry
from explain_tiers.negotiation import STATEMENT_OPERATIONS, terms_proposal
from sentencing.case import parse_case
from sentencing.errors import OperationInputError
from sentencing.operations import OperationContext

EXAMPLE = json.loads(resources.files("sentencing").joinpath("data/cases/theft-plea-proposal.json").read_text("utf-8"))
CASE = parse_case(EXAMPLE)


@pytest.fixture(scope="module")
def run(small_adapter):
    registry = full_registry()

    def call(operation: str, parameters: dict[str, Any], case=CASE) -> dict[str, Any]:
        return registry.run(operation, case, parameters, OperationContext(model=small_adapter)).result

    return call


def test_statements_are_operations_but_not_queries() -> None:
    registry = full_registry()
    queries = registry.queries_for("sentencing")
    assert set(registry.names_for("sentencing")) >= STATEMENT_OPERATIONS
    assert not STATEMENT_OPERATIONS & set(queries) and "proposal_review" in queries


def test_an_offer_stands_against_the_band_of_the_plea_stage(run) -> None:
    # Hand-worked (tests/explain_tiers/test_proposal_review.py): plea at trial → 9 months, band 7–11.
    offer = run("negotiation_offer", {"made_by": "prosecution", "kind": "offer", "made_on": "2026-04-10",
                                      "terms": {"penalty": "fixed_term", "term_months": [12, 14]}})  # fmt: skip
    assert offer["standing"]["inside_band"] is False and offer["standing"]["guideline_months"] == 9.0
    assert offer["standing"]["label"]["en"] == "fixed-term imprisonment (有期徒刑), 12–14 months"
    counter = run("negotiation_offer", {"made_by": "defence", "kind": "counter_offer", "made_on": "2026-04-11",
                                        "terms": {"penalty": "fixed_term", "term_months": 11, "probation": True,
                                                  "probation_months": 12}, "responds_to": 1})  # fmt: skip
    assert counter["standing"]["inside_band"] is True and counter["standing"]["findings"] == []
    accepted = run("negotiation_offer", {"made_by": "duty_lawyer", "kind": "acceptance", "made_on": "2026-04-12",
                                         "responds_to": 2})  # fmt: skip
    assert accepted["terms"] is None and accepted["kind_label"]["zh-CN"] == "被告人同意量刑意见"


@pytest.mark.parametrize(
    ("operation", "parameters", "message"),
    [
        ("negotiation_offer", {"made_by": "defence", "kind": "offer", "made_on": "2026-04-10",
                               "terms": {"penalty": "fixed_term", "term_months": 9}},
         "'made_by' 'defence': only prosecution may make this statement"),
        ("negotiation_offer", {"made_by": "prosecution", "kind": "offer", "made_on": "2026-04-10",
                               "terms": {"penalty": "fixed_term", "term_months": [14, 12]}},
         "'terms.term_months': the range [14, 12] is upside down"),
        ("negotiation_offer", {"made_by": "prosecution", "kind": "offer", "made_on": "2026-04-10",
                               "terms": {"penalty": "fixed_term", "term_months": 60, "probation": True}},
         "'terms.probation'"),
        ("negotiation_offer", {"made_by": "prosecution", "kind": "offer", "made_on": "2026-04-10",
                               "terms": {"penalty": "fixed_term", "term_months": 200}},
         "'terms.term_months'"),
        ("negotiation_offer", {"made_by": "prosecution", "kind": "offer", "made_on": "2026-02-30",
                               "terms": {"penalty": "fixed_term", "term_months": 9}},
         "'made_on': '2026-02-30' is no calendar date"),
        ("negotiation_offer", {"made_by": "defence", "kind": "acceptance", "made_on": "2026-04-10"},
         "'responds_to' is required"),
        ("negotiation_offer", {"made_by": "defence", "kind": "refusal", "made_on": "2026-04-10", "responds_to": 1,
                               "terms": {"penalty": "fixed_term", "term_months": 9}},
         "'terms' and 'tool' are not given with refusal"),
        ("negotiation_offer", {"made_by": "prosecution", "kind": "offer", "made_on": "2026-04-10",
                               "terms": {"penalty": "fixed_term", "term_months": 9, "sentence": 3}},
         "'terms.sentence': no such field"),
        ("proposal_opinion", {"made_by": "duty_lawyer", "stance": "objects", "text": "  "}, "'text' is required"),
        ("proposal_opinion", {"made_by": "duty_lawyer", "stance": "maybe", "text": "x"}, "'stance' must be one of"),
        ("proposal_opinion", {"made_by": "duty_lawyer", "stance": "agrees", "text": "a\x00b"},
         "'text' holds control characters"),
        ("negotiation_recording", {"made_by": "clerk", "sha256": "AB" * 32, "media": "video",
                                   "recorded_on": "2026-04-15", "duration_seconds": 60},
         "'sha256' must be 64 lowercase hex digits"),
        ("negotiation_recording", {"made_by": "clerk", "sha256": "ab" * 32, "media": "video",
                                   "recorded_on": "2026-04-15", "duration_seconds": 60, "file_name": "../x.mp4"},
         "'file_name' must be a plain file name"),
        ("negotiation_recording", {"made_by": "clerk", "sha256": "ab" * 32, "media": "film",
                                   "recorded_on": "2026-04-15", "duration_seconds": 60},
         "'media' must be audio or video"),
        ("court_leave", {"made_by": "defence", "username": "duty"}, "only judge may make this statement"),
    ],
)  # fmt: skip
def test_bad_statements_are_refused_in_one_line_naming_the_field(run, operation, parameters, message) -> None:
    with pytest.raises(OperationInputError) as caught:
        run(operation, parameters)
    assert message in str(caught.value) and "\n" not in str(caught.value)


def test_an_offer_produced_by_the_courts_own_model_says_so(run, small_adapter) -> None:
    tool = {"name": "检察院量刑辅助系统", "model_sha256": small_adapter.identity.sha256}
    offer = run("negotiation_offer", {"made_by": "prosecution", "kind": "offer", "made_on": "2026-04-10", "tool": tool,
                                      "terms": {"penalty": "fixed_term", "term_months": 10}})  # fmt: skip
    assert offer["tool"] == tool and "proposal_made_by_the_courts_model" in offer["standing"]["findings"]
    assert offer["standing"]["inside_band"] and "proposal_outside_guideline_band" not in offer["standing"]["findings"]
    with pytest.raises(OperationInputError, match="'tool' names the procuratorate's sentencing assistant"):
        run("negotiation_offer", {"made_by": "defence", "kind": "counter_offer", "made_on": "2026-04-10", "tool": tool,
                                  "terms": {"penalty": "fixed_term", "term_months": 9}})  # fmt: skip
    with pytest.raises(OperationInputError, match=r"'tool\.model_sha256': expected 64 lowercase hex digits"):
        run("negotiation_offer", {"made_by": "prosecution", "kind": "offer", "made_on": "2026-04-10",
                                  "tool": {"name": "x", "model_sha256": "123"},
                                  "terms": {"penalty": "fixed_term", "term_months": 9}})  # fmt: skip


def _decide(run, **parameters):
    return run("proposal_decision", {"made_by": "judge", **parameters})


def test_the_decision_by_art_201(run) -> None:
    # Adopting 12–14 months (outside the trial band 7–11) needs reasons; 13 months adopts it.
    adopted = _decide(run, decision="adopted", adopted_months=13, reasons="被告人系累犯以外的多次盗窃")
    assert adopted["ground"] is None and adopted["proposal"]["standing"]["inside_band"] is False
    assert adopted["decision_label"]["en"] == "the proposal is adopted"
    # rejected on art. 201 ¶1 (二): the plea was not voluntary
    rejected = _decide(run, decision="rejected", ground="plea_not_voluntary", adopted_months=16,
                       reasons="被告人当庭称系受胁迫签署具结书")  # fmt: skip
    assert rejected["ground"]["source"] == "刑事诉讼法第201条 CPL art. 201 ¶1(二)"
    adjusted = _decide(run, decision="adjusted", adopted_months=10, reasons="明显不当",
                       adjusted={"entry": 4, "terms": {"penalty": "fixed_term", "term_months": [9, 10]}})  # fmt: skip
    assert adjusted["ground"]["id"] == "clearly_improper" and adjusted["adjusted"]["standing"]["inside_band"]
    assert adjusted["adjusted"]["terms"] == {"penalty": "fixed_term", "probation": False, "term_months": [9.0, 10.0]}


@pytest.mark.parametrize(
    ("parameters", "message"),
    [
        ({"decision": "adopted", "adopted_months": 13}, "'reasons' is required: the proposal the court adopts"),
        ({"decision": "adopted", "adopted_months": 10, "reasons": "x"}, "must lie within its 12–14 months"),
        ({"decision": "adopted", "adopted_months": 13, "reasons": "x", "ground": "fair_trial"},
         "'ground' is given only when"),
        ({"decision": "rejected", "adopted_months": 9, "reasons": "x", "ground": "tired"}, "'ground' must be one of"),
        ({"decision": "rejected", "adopted_months": 9, "ground": "fair_trial"}, "'reasons' is required"),
        ({"decision": "adjusted", "adopted_months": 9, "reasons": "x"}, "'adjusted' must name the record's entry"),
        ({"decision": "adjusted", "adopted_months": 12, "reasons": "x",
          "adjusted": {"entry": 4, "terms": {"penalty": "fixed_term", "term_months": [9, 10]}}},
         "the term adopted (12 months) must lie within its 9–10 months"),
        ({"decision": "adjusted", "adopted_months": 9, "reasons": "x", "ground": "fair_trial",
          "adjusted": {"entry": 4, "terms": {"penalty": "fixed_term", "term_months": 9}}},
         "an adjustment rests on art. 201 ¶2"),
        ({"decision": "pardoned", "adopted_months": 9}, "'decision' must be one of adopted, adjusted, rejected"),
        ({"decision": "adopted", "adopted_months": -1}, "'adopted_months' must be the term the court adopts"),
    ],
)  # fmt: skip
def test_a_decision_against_art_201_is_refused(run, parameters, message) -> None:
    with pytest.raises(OperationInputError, match=None) as caught:
        _decide(run, **parameters)
    assert message in str(caught.value)


def test_terms_are_checked_as_a_proposal_of_the_case_is() -> None:
    proposal = terms_proposal(CASE, {"penalty": "detention", "term_months": 5})
    assert proposal.term.low == 5 and proposal.plea_stage.value == "trial" and proposal.proposal_id == "QJ-2026-0417"
    with pytest.raises(OperationInputError, match=r"'terms.term_months': detention runs from 1 to 6 months"):
        terms_proposal(CASE, {"penalty": "detention", "term_months": 8})
