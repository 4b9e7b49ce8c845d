"""A hearing of a plea case with the procuratorate's proposal: the review is asked in open court, joins the chained
record, is sealed into the pack, verifies, and replays digest for digest."""

from __future__ import annotations

import json
from importlib import resources

from evidence_pack import LocalTimestampAuthority, Match, TrustAnchors, replay_pack, verify_pack
from hearing.service import HearingService
from hearing.settings import settings_from_environment
from hearing.store import make_engine, migrate
from tests.evidence_pack.conftest import PASSPHRASE, publish
from tests.hearing.store_fixtures import court_users

CASE = json.loads(resources.files("sentencing").joinpath("data/cases/theft-plea-proposal.json").read_text("utf-8"))


def test_the_review_of_a_proposal_is_sealed_and_replays_exactly(tmp_path, small_model) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'court.sqlite'}")
    migrate(engine)
    service = HearingService(engine, settings_from_environment())
    tokens = court_users(service)
    model_id = service.register_model(tokens["tech"], str(small_model.folder))
    service.create_case(tokens["clerk"], CASE, {"defendant_name": "李某", "id_number": "110101199001011234"})
    hearing = service.open_hearing(tokens["clerk"], CASE["case_id"], model_id, ["defence", "prosecution", "judge"])
    outcome, sequence = service.query(tokens["defence"], hearing, "proposal_review",
                                      {"smallest_change": True, "max_changes": 1})  # fmt: skip
    assert sequence is not None  # on the record
    result = outcome.result
    assert result["proposal_inside_band"] is False and result["plea_stage"] == "trial"
    assert result["model"]["sha256"] == outcome.model_sha256
    assert "proposal_outside_guideline_band" in [f["kind"] for f in result["findings"]]
    service.write_ruling(tokens["judge"], hearing, weighed_liability="盗窃数额 amount stolen",
                         weighed_prevention="坦白 confession, 认罪认罚 plea at trial", particulars="none",
                         adopted_months=9.0, departure_reasons="the guideline at the stage of the plea")  # fmt: skip
    service.close_hearing(tokens["judge"], hearing)
    service.create_sealing_key(tokens["judge"], PASSPHRASE)
    service.certify_sealing_key(tokens["tech"], "judge")
    tsa = LocalTimestampAuthority.create(tmp_path / "tsa", "test court TSA")
    sealed = service.seal(tokens["judge"], hearing, PASSPHRASE, tmp_path / "packs", authority=tsa)
    anchors = TrustAnchors.from_published(publish(service, tokens["judge"], tmp_path / "published", tsa))
    docket = service.docket(tokens["judge"])
    assert verify_pack(sealed.path, anchors, docket=docket).ok
    case_in_pack = json.loads(next(sealed.path.rglob("case.json")).read_text(encoding="utf-8"))
    assert case_in_pack["proposal"]["proposal_id"] == "QJ-2026-0417"  # the proposal travels with the case
    replayed = replay_pack(sealed.path, anchors, docket=docket)
    assert replayed.ok
    review = next(q for q in replayed.queries if q.operation == "proposal_review")
    assert review.match is Match.EXACT
