"""The review of a sentencing proposal, against hand-worked cases; each finding with the article it rests on."""

from __future__ import annotations

import copy
import json
from importlib import resources
from typing import Any

import pytest

from explain_tiers.findings import FindingKind, Severity
from explain_tiers.proposal_review import ART_201_CHECKLIST, review_proposal, smallest_flip
from sentencing.case import parse_case
from sentencing.jurisdiction import PleaStage
from sentencing.proposal import parse_proposal

EXAMPLE = json.loads(resources.files("sentencing").joinpath("data/cases/theft-plea-proposal.json").read_text("utf-8"))


def case_and_proposal(*, case: dict[str, Any] | None = None, **changes: Any):
    document = copy.deepcopy(EXAMPLE)
    for group, values in (case or {}).items():
        document[group].update(values)
    raw = document.pop("proposal")
    raw.update(changes)
    heard = parse_case(document)
    return heard, parse_proposal(raw, charge=heard.charge)


def kinds(review) -> dict[FindingKind, Severity]:
    return {f.kind: f.severity for f in review.findings}


def test_the_guideline_at_every_stage_and_the_proposal_outside_the_band_at_trial() -> None:
    # Hand-worked (default table): ¥9,000 theft → 6 + (9,000 − 1,000) / 2,000 = 10 months; the confession (-10%) is
    # absorbed by the plea, which at trial reduces by at most 10% together with it → 9 months; ±20% band 7.2–10.8,
    # widened to whole months 7–11. The proposal of 12–14 months lies wholly above it: CPL art. 201 ¶2 (明显不当).
    case, proposal = case_and_proposal()
    review = review_proposal(case, proposal)
    assert review.derivation.recommended_months == 9.0
    assert (review.derivation.judicial_band.low, review.derivation.judicial_band.high) == (7.0, 11.0)
    assert [(s.stage, s.recommended_months) for s in review.stages] == [
        (PleaStage.INVESTIGATION, 7.0), (PleaStage.PROSECUTION_REVIEW, 8.0), (PleaStage.TRIAL, 9.0)]  # fmt: skip
    assert not review.inside_band and review.inside_limits
    found = kinds(review)
    assert found[FindingKind.PROPOSAL_OUTSIDE_BAND] is Severity.HIGH
    outside = next(f for f in review.findings if f.kind is FindingKind.PROPOSAL_OUTSIDE_BAND)
    assert "201" in outside.legal_basis and "12–14" in outside.evidence.zh and "7–11" in outside.evidence.en
    # a 12–14 month term may be suspended (art. 72) and the record allows it: the omission is a low finding
    assert found[FindingKind.PROPOSAL_PROBATION_OMITTED] is Severity.LOW
    assert [c.source for c in review.checklist] == [c.source for c in ART_201_CHECKLIST] and len(review.checklist) == 6
    body = review.to_dict()
    assert body["proposal_inside_band"] is False and body["stages"][2]["recommended_months"] == 9.0


def test_a_proposal_inside_the_band_gives_no_band_finding_and_one_partly_outside_a_medium_one() -> None:
    case, proposal = case_and_proposal(term_months=[8, 10])
    assert FindingKind.PROPOSAL_OUTSIDE_BAND not in kinds(review_proposal(case, proposal))
    case, proposal = case_and_proposal(term_months=[10, 12])
    assert kinds(review_proposal(case, proposal))[FindingKind.PROPOSAL_OUTSIDE_BAND] is Severity.MEDIUM


def test_the_stage_moves_the_band_a_proposal_is_judged_against() -> None:
    # 8–10 months: inside the band for a plea at trial (7–11) but above it for a plea in the investigation
    # (7 months, band 5.6–8.4): the earlier plea earns more (两高三部 2019 指导意见第9条)
    plea = {**EXAMPLE["proposal"]["plea"], "stage": "investigation", "date": "2026-02-10",
            "signed_statement": {**EXAMPLE["proposal"]["plea"]["signed_statement"], "date": "2026-02-10"}}  # fmt: skip
    case, proposal = case_and_proposal(term_months=[8, 10], plea=plea)
    review = review_proposal(case, proposal)
    assert review.derivation.recommended_months == 7.0 and not review.inside_band


def test_probation_proposed_for_a_recidivist_is_a_high_finding_of_art_74() -> None:
    case, proposal = case_and_proposal(case={"circumstances": {"recidivist": True}}, term_months=[12, 14],
                                       probation=True, probation_months=24)  # fmt: skip
    finding = next(f for f in review_proposal(case, proposal).findings
                   if f.kind is FindingKind.PROPOSAL_PROBATION_EXCLUDED)  # fmt: skip
    assert finding.severity is Severity.HIGH and "74" in finding.legal_basis


def test_circumstances_the_proposal_states_that_the_case_does_not_hold_are_a_finding() -> None:
    case, proposal = case_and_proposal(stated_circumstances=["surrender", "plea_agreement"])
    finding = next(f for f in review_proposal(case, proposal).findings
                   if f.kind is FindingKind.PROPOSAL_CIRCUMSTANCES_DIFFER)  # fmt: skip
    assert dict(finding.figures) == {"stated_not_in_case": ["surrender"], "in_case_not_stated": ["confession"]}


def test_a_proposal_made_by_the_courts_own_model_is_a_finding() -> None:
    case, proposal = case_and_proposal()
    digest = proposal.tool_model_sha256
    assert digest is not None
    same = review_proposal(case, proposal, model_months=7.3, model_sha256=digest)
    assert FindingKind.PROPOSAL_SAME_MODEL in kinds(same)
    other = review_proposal(case, proposal, model_months=7.3, model_sha256="0" * 64)
    assert FindingKind.PROPOSAL_SAME_MODEL not in kinds(other)


def test_a_case_file_without_the_plea_is_reviewed_with_it_and_says_so() -> None:
    case, proposal = case_and_proposal(case={"circumstances": {"plea_agreement": False}})
    review = review_proposal(case, proposal)
    assert review.derivation.recommended_months == 9.0 and any("plea" in n.en for n in review.notes)


def test_the_smallest_change_that_moves_the_proposal_across_the_band() -> None:
    case, proposal = case_and_proposal()  # 12–14 months, outside 7–11
    flip = smallest_flip(case, proposal, max_changes=1)
    assert not flip.inside_now and flip.minimal_size == 1 and flip.answers
    for answer in flip.answers:  # every answer a validated case whose band now holds the proposal
        assert answer.inside and answer.judicial_band.low <= 12 and answer.judicial_band.high >= 14
    assert {c.factor for a in flip.answers for c in a.changes} >= {"amount_yuan"}
    case, proposal = case_and_proposal(term_months=[8, 10])  # inside: what takes it out?
    flip = smallest_flip(case, proposal, max_changes=1)
    assert flip.inside_now and flip.minimal_size == 1 and all(not a.inside for a in flip.answers)


def test_the_search_is_bounded() -> None:
    case, proposal = case_and_proposal()
    with pytest.raises(Exception, match="1 to 3"):
        smallest_flip(case, proposal, max_changes=4)


def test_the_review_is_a_replayable_operation_and_needs_a_proposal(small_adapter) -> None:
    from evidence_pack import full_registry
    from sentencing.errors import OperationInputError
    from sentencing.operations import OperationContext

    registry = full_registry()
    assert "proposal_review" in registry.names_for("sentencing")
    case = parse_case(EXAMPLE)
    context = OperationContext(small_adapter)
    first = registry.run("proposal_review", case, {}, context)
    assert first.result_sha256 == registry.run("proposal_review", case, {}, context).result_sha256
    assert first.result["model"]["sha256"] == small_adapter.identity.sha256
    without = {key: value for key, value in EXAMPLE.items() if key != "proposal"}
    with pytest.raises(OperationInputError, match="no sentencing proposal"):
        registry.run("proposal_review", parse_case(without), {}, context)
    with pytest.raises(OperationInputError, match="max_changes"):
        registry.run("proposal_review", case, {"smallest_change": True, "max_changes": 9}, context)


def test_no_custodial_term_is_within_the_law_only_where_the_derivation_allows_it() -> None:
    # exemption (刑法第37条) is possible for a surrender with restitution and a plea on a lighter crime, not here
    case, proposal = case_and_proposal(penalty="exemption", term_months=None, fine_yuan=None)
    review = review_proposal(case, proposal)
    assert not review.derivation.outcome.exemption_possible
    assert not review.inside_limits and FindingKind.PROPOSAL_OUTSIDE_LIMITS in kinds(review)
    case, proposal = case_and_proposal(case={"circumstances": {"surrender": True, "restitution": True,
                                                                "confession": "none"}},
                                       penalty="exemption", term_months=None, fine_yuan=None,
                                       stated_circumstances=["surrender", "restitution", "plea_agreement"])  # fmt: skip
    review = review_proposal(case, proposal)
    assert review.derivation.outcome.exemption_possible
    assert review.inside_limits and FindingKind.PROPOSAL_OUTSIDE_LIMITS not in kinds(review)
