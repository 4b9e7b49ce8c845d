"""A model's filing (备案) and review (issue 19, item 5): recorded at registration, entered as the first entry of
every hearing the model answers in, with a finding the court must dispose of when the answering model is not the
filed one; sealed, verified and replayed; bad filings refused in one line naming the field."""

from __future__ import annotations

import datetime as dt

import pytest

from evidence_pack import LocalTimestampAuthority, Match, TrustAnchors, replay_pack, verify_pack
from hearing.store import make_engine, migrate
from sentencing.errors import InputError
from sentencing.filing import parse_filing
from tests.evidence_pack.conftest import PASSPHRASE, publish
from tests.hearing.store_fixtures import build_court, bundled_document
from tests.hearing.test_app import _app

WEIGHED = {"weighed_liability": "数额", "weighed_prevention": "坦白", "particulars": "", "departure_reasons": "综合"}


def _filing(sha256: str, **changes: object) -> dict[str, object]:
    return {"number": "网信算备110108823483901230011", "authority": "国家互联网信息办公室", "risk_level": "high",
            "assessed_on": "2025-03-01", "ethics_reviewed_on": "2025-02-20", "model_sha256": sha256,
            **changes}  # fmt: skip


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"number": "x"}, r"^filing\.number: a filing number"),
        ({"risk_level": "extreme"}, r"^filing\.risk_level: one of low, medium, high"),
        ({"assessed_on": "2025-02-30"}, r"^filing\.assessed_on: .*no calendar date"),
        ({"ethics_reviewed_on": "2999-01-01"}, r"^filing\.ethics_reviewed_on: .*not between 2000-01-01 and today"),
        ({"model_sha256": "ABC"}, r"^filing\.model_sha256: the filed model's sha256"),
        ({"authority": ""}, r"^filing\.authority: the filing states it"),
        ({"extra": 1}, r"^filing\.extra: no such field"),
    ],
)
def test_a_bad_filing_is_refused_naming_the_field(changes, message) -> None:
    with pytest.raises(InputError, match=message) as info:
        parse_filing(_filing("ab" * 32, **changes), today=dt.date(2026, 12, 5))
    assert "\n" not in str(info.value) and len(str(info.value)) < 300


def _register(court, filing) -> int:
    s, t = court.service, court.tokens
    location = s.models(t["tech"])[0].location
    return s.register_model(t["tech"], location, filing=filing)


def _hearing(court, model_id: int, case_id: str) -> int:
    s, t = court.service, court.tokens
    s.create_case(t["clerk"], {**bundled_document(), "case_id": case_id})
    return s.open_hearing(t["clerk"], case_id, model_id, ["judge", "defence", "appeal"])


def test_the_filed_model_answering_opens_the_record_without_a_finding(court) -> None:
    s, t = court.service, court.tokens
    sha256 = s.models(t["tech"])[0].sha256
    model_id = _register(court, _filing(sha256))
    assert s.models(t["tech"])[1].filing["number"] == "网信算备110108823483901230011"
    hearing = _hearing(court, model_id, "filed-model")
    first = s.record(t["defence"], hearing)[0]
    assert (first.operation, first.party) == ("model_filing", "clerk (clerk)")
    assert first.result["matches"] is True and first.result["findings"] == []
    assert first.result["risk_level_label"] == {"zh-CN": "高风险", "en": "high risk"}
    assert s.challenges(t["judge"], hearing) == []
    s.write_ruling(t["judge"], hearing, **WEIGHED, adopted_months=6.0)


def test_another_model_than_the_filed_one_raises_a_finding_the_court_disposes_of(court, tmp_path) -> None:
    s, t = court.service, court.tokens
    model_id = _register(court, _filing("cd" * 32))
    hearing = _hearing(court, model_id, "unfiled-model")
    first = s.record(t["defence"], hearing)[0]
    assert first.result["matches"] is False and first.result["findings"][0]["kind"] == "model_not_the_filed_one"
    assert "cdcdcdcdcdcdcdcd" in first.result["findings"][0]["evidence"]["en"]
    [challenge] = s.challenges(t["defence"], hearing)
    assert (challenge.finding.entry, challenge.finding.kind) == (1, "model_not_the_filed_one")
    with pytest.raises(InputError, match=r"await the court's disposition.*not the filed one"):
        s.write_ruling(t["judge"], hearing, **WEIGHED, adopted_months=6.0)
    s.state(t["judge"], hearing, "finding_disposition", {"finding": {"entry": 1, "number": 1},
                                                         "disposition": "upheld",
                                                         "reasons": "未经重新备案的模型不作为量刑参考"})  # fmt: skip
    s.write_ruling(t["judge"], hearing, **WEIGHED, adopted_months=6.0)
    assert "1 项质证理由中 1 项成立" in (s.citation_text(t["judge"], hearing, "zh-CN") or "")
    s.close_hearing(t["judge"], hearing)
    s.create_sealing_key(t["judge"], PASSPHRASE)
    s.certify_sealing_key(t["tech"], "judge")
    tsa = LocalTimestampAuthority.create(tmp_path / "tsa", "test court TSA")
    sealed = s.seal(t["judge"], hearing, PASSPHRASE, tmp_path / "packs", authority=tsa)
    anchors = TrustAnchors.from_published(publish(s, t["judge"], tmp_path / "published", tsa))
    verdict = verify_pack(sealed.path, anchors, s.docket(t["judge"]))
    assert verdict.ok, [c.detail for c in verdict.failed]
    assert "1 challenge finding(s) each disposed of by the court" in next(
        c.detail for c in verdict.checks if c.name == "record")  # fmt: skip
    replayed = replay_pack(sealed.path, anchors)
    assert replayed.ok and [(q.operation, q.match) for q in replayed.queries] == [
        ("model_filing", Match.EXACT), ("finding_disposition", Match.EXACT)]  # fmt: skip


def test_the_technologist_records_a_filing_from_the_models_page(court_url) -> None:
    at = _app(court_url, "tech", "app_pages/models.py", language="en")
    location = court_url.service.models(court_url.tokens["tech"])[0].location
    at.text_input(key="register_location").input(location)
    filing = _filing("ef" * 32)
    for key, value in (("filing_number", filing["number"]), ("filing_authority", filing["authority"]),
                       ("filing_assessed_on", "2025-03-01"), ("filing_ethics_on", "2025-02-31"),
                       ("filing_sha256", filing["model_sha256"])):  # fmt: skip
        at.text_input(key=key).input(value)
    at.selectbox(key="filing_risk_level").set_value("medium")
    next(b for b in at.button if b.label == "Register a model").click().run()
    assert at.error and at.error[0].value.startswith("filing.ethics_reviewed_on")  # refused, named
    at.text_input(key="filing_ethics_on").input("2025-02-20")
    next(b for b in at.button if b.label == "Register a model").click().run()
    assert not at.exception and "Model registered: #2" in at.success[0].value
    assert any("not the filed one" in e.value for e in at.error)  # the registered model is not the filed one
    assert court_url.service.models(court_url.tokens["tech"])[1].filing["risk_level"] == "medium"


def test_a_court_store_of_another_engine_keeps_the_filing(tmp_path, small_model) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'court.sqlite'}")
    migrate(engine)
    court = build_court(engine, small_model.folder)
    model_id = _register(court, _filing("cd" * 32, risk_level="low"))
    view = next(m for m in court.service.models(court.tokens["clerk"]) if m.model_id == model_id)
    assert view.filing == _filing("cd" * 32, risk_level="low")
