"""A hearing on the guideline alone (issue 19, item 4; 法发〔2022〕33号 art. 5): a sentencing case heard with no model
at all, and a hearing whose defendant refused the algorithm, proceed, rule and seal on the guideline; the pack of
either carries the guideline report (no model asked), verifies with our verifier and the court's published script
unchanged, and replays exactly; the store's migration makes ``hearings.model_id`` optional on SQLite and PostgreSQL.
"""

from __future__ import annotations

import json
import subprocess

import pytest
import sqlalchemy as sa

from evidence_pack import Match, TrustAnchors, replay_pack, verify_pack
from explain_tiers.guideline_report import build_guideline_report, guideline_report_html
from hearing.service import HearingService
from hearing.settings import settings_from_environment
from hearing.store import downgrade, make_engine, migrate
from sentencing.errors import InputError, OperationInputError
from sentencing.kinds import parse_case_document
from tests.evidence_pack.conftest import PASSPHRASE, publish, run_published_script
from tests.hearing.store_fixtures import (
    build_court,
    build_guideline_court,
    bundled_document,
    compas_person,
    court_users,
)
from tests.hearing.test_app import _app

WEIGHED = {"weighed_liability": "盗窃数额", "weighed_prevention": "自首、退赔", "particulars": ""}
PARTIES = ["defence", "prosecution", "duty", "judge", "appeal", "expert"]


def test_a_hearing_with_no_model_proceeds_and_rules_on_the_guideline(engine) -> None:
    court = build_guideline_court(engine)
    s, t, h = court.service, court.tokens, court.hearing_id
    alone = s.guideline_alone(t["defence"], h)
    assert alone is not None and alone.refused_entry is None and "未使用算法模型" in alone.reason.zh
    assert s.record(t["defence"], h) == []  # no model, so no filing opens the record
    assert s.report(t["defence"], h, "standard") is None  # no model report exists to read
    guideline, seq = s.query(t["defence"], h, "guideline", {})
    assert seq == 1 and guideline.model_sha256 is None
    report, _ = s.query(t["judge"], h, "guideline_report", {})
    assert report.result["model"] is None and report.result["derivation"] == guideline.result
    asked = (
        ("defence", "whatif", {"changes": {"restitution": False}}),
        ("judge", "report", {"tier": "deep"}),
        ("defence", "predict", {}),
    )
    for party, operation, parameters in asked:
        with pytest.raises(OperationInputError, match=r"asks the model, and this hearing has none .*guideline_report"):
            s.query(t[party], h, operation, parameters)
    with pytest.raises(InputError, match=r"held on the guideline alone: there is no model"):
        s.demand_deep_tier(t["defence"], h, "争议")
    assert not s.deep_tier(t["defence"], h).owed
    _, objection = s.state(t["defence"], h, "party_submission",
                           {"kind": "objection", "text": "自首应当认定", "on_entry": 1})  # fmt: skip
    assert s.record(t["defence"], h)[objection - 1].model_sha256 is None
    band = guideline.result["judicial_band_months"]
    with pytest.raises(InputError, match=r"beyond the guideline's ±20% band"):
        s.write_ruling(t["judge"], h, **WEIGHED, departure_reasons="", adopted_months=band[1] + 2)
    s.write_ruling(t["judge"], h, **WEIGHED, departure_reasons="", adopted_months=band[0])
    ruling = s.ruling(t["judge"], h)
    assert ruling is not None and ruling.system_suggestion_months is None
    assert ruling.guideline_months == guideline.result["recommended_months"]
    zh, en = s.citation_text(t["judge"], h, "zh-CN") or "", s.citation_text(t["judge"], h, "en") or ""
    assert "本院审理本案未使用算法模型，仅依量刑指导意见计算" in zh and "辅助量刑系统" not in zh
    assert "1. Whether the algorithm was used" in en and "used no algorithm model" in en
    assert s.verify(t["appeal"], h).ok


def test_only_a_sentencing_case_is_heard_without_a_model(engine, compas_records) -> None:
    service = HearingService(engine, settings_from_environment())
    tokens = court_users(service)
    document = compas_person(compas_records)
    with pytest.raises(InputError, match=r"^model: .*a risk-assessment case has no guideline to be heard on alone"):
        service.open_case_hearing(tokens["clerk"], document, None, None, ["defence", "judge"])
    assert service.hearings(tokens["clerk"]) == []  # refused before the case was written


def test_the_guideline_report_is_the_case_alone_in_both_languages() -> None:
    case = parse_case_document(bundled_document())
    report = build_guideline_report(case)
    assert report.to_dict()["derivation"]["recommended_months"] == report.derivation.recommended_months
    zh, en = guideline_report_html(report, "zh-CN"), guideline_report_html(report, "en")
    assert "量刑指导意见报告（未使用算法模型）" in zh and "法发〔2022〕33号 第5条" in zh
    assert "Guideline report (no algorithm model used)" in en and "adjudication committee" in en
    for step in report.derivation.steps:
        assert step.label.en in en or step.kind.value == "not_counted"


@pytest.fixture(scope="module")
def sealed_packs(tmp_path_factory, small_model):
    """Two sealed packs on one SQLite store: a hearing with no model, and one whose defendant refused the model."""
    work = tmp_path_factory.mktemp("guideline-alone")
    engine = make_engine(f"sqlite:///{work / 'court.sqlite'}")
    migrate(engine)
    alone = build_guideline_court(engine)
    s, t = alone.service, alone.tokens
    s.query(t["defence"], alone.hearing_id, "guideline", {})
    s.write_ruling(t["judge"], alone.hearing_id, **WEIGHED, departure_reasons="", adopted_months=6.0)
    s.close_hearing(t["judge"], alone.hearing_id)
    model_id = s.register_model(t["tech"], str(small_model.folder))
    document = {**bundled_document(), "case_id": "theft-refused"}
    refused = s.open_case_hearing(t["clerk"], document, None, model_id, PARTIES)
    s.query(t["defence"], refused, "predict", {})  # asked before the notice: the model answered entry 1
    s.state(t["judge"], refused, "ai_notice", {"notified_on": "2026-04-01", "means": "oral", "refused": True})
    s.write_ruling(t["judge"], refused, **WEIGHED, departure_reasons="", adopted_months=6.0)
    s.close_hearing(t["judge"], refused)
    s.create_sealing_key(t["judge"], PASSPHRASE)
    s.certify_sealing_key(t["tech"], "judge")
    tsa = s._authority()  # the court's own authority: the appellate page publishes its root
    packs = {name: s.seal(t["judge"], hearing, PASSPHRASE, work / "packs", authority=tsa)
             for name, hearing in (("alone", alone.hearing_id), ("refused", refused))}  # fmt: skip
    published = publish(s, t["judge"], work / "published", tsa)
    return packs, published, s.docket(t["judge"]), alone


def test_a_pack_with_no_model_verifies_says_so_and_replays_exactly(sealed_packs) -> None:
    packs, published, docket, _ = sealed_packs
    pack = packs["alone"].path
    data = pack / "bag" / "data"
    report = json.loads((data / "report" / "report.json").read_text())
    assert report["report"] == "guideline" and report["model"] is None
    escrow = json.loads((data / "model" / "ESCROW.json").read_text())
    assert escrow["model_used"] is False and escrow["sha256"] is None
    assert json.loads((data / "replay" / "replay.json").read_text())["report"]["operation"] == "guideline_report"
    ruling = json.loads((data / "hearing" / "ruling.json").read_text())
    assert ruling["model"] == {"name": None, "sha256": None} and ruling["system_suggestion_months"] is None
    assert "未使用算法模型" in ruling["citation_section"]["zh-CN"]
    anchors = TrustAnchors.from_published(published)
    verdict = verify_pack(pack, anchors, docket=docket)
    assert verdict.ok, [(c.name, c.detail) for c in verdict.failed]
    model = next(c for c in verdict.checks if c.name == "model")
    assert "no model was used: the hearing was held on the guideline alone" in model.detail
    replayed = replay_pack(pack, anchors, docket=docket)
    assert replayed.ok and replayed.report.match is Match.EXACT and replayed.report.operation == "guideline_report"
    assert [q.match for q in replayed.queries] == [Match.EXACT]
    script = run_published_script(published, pack)
    assert script.returncode == 0, script.stdout + script.stderr
    text = subprocess.run(["pdftotext", str(data / "report" / "report.en.pdf"), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    assert "Guideline report (no algorithm model used)" in text
    with pytest.raises(InputError, match=r"^--model: .*used no model"):
        replay_pack(pack, anchors, docket=docket, model=str(pack))


def test_a_refused_hearings_pack_carries_the_guideline_report_not_the_models(sealed_packs) -> None:
    packs, published, docket, _ = sealed_packs
    pack = packs["refused"].path
    data = pack / "bag" / "data"
    report = json.loads((data / "report" / "report.json").read_text())
    assert report["report"] == "guideline" and report["model"] is None  # the model's report was never computed
    assert (data / "model" / "model.joblib").is_file()  # it answered entry 1 before the refusal: it travels
    anchors = TrustAnchors.from_published(published)
    verdict = verify_pack(pack, anchors, docket=docket)
    assert verdict.ok, [(c.name, c.detail) for c in verdict.failed]
    replayed = replay_pack(pack, anchors, docket=docket)
    assert replayed.ok and replayed.report.operation == "guideline_report"
    assert [q.operation for q in replayed.queries] == ["predict", "ai_notice"]
    assert run_published_script(published, pack).returncode == 0


def test_the_migration_makes_the_model_optional_and_refuses_to_lose_a_hearing_without_one(engine) -> None:
    build_guideline_court(engine)
    with pytest.raises(RuntimeError, match=r"1 hearing\(s\) held on the guideline alone have no model"):
        downgrade(engine, "0006")
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT COUNT(*) FROM hearings WHERE model_id IS NULL")).scalar_one() == 1


def test_the_case_page_shows_the_guideline_report_when_no_model_is_used(tmp_path, monkeypatch) -> None:
    url = f"sqlite:///{tmp_path / 'app.sqlite'}"
    monkeypatch.setenv("VOIRDIRE_DATABASE_URL", url)
    engine = make_engine(url)
    migrate(engine)
    court = build_guideline_court(engine)
    at = _app(court, "defence", "app_pages/case.py", language="en")
    assert not at.exception and not at.error
    assert any("No algorithm model is used in this case" in i.value for i in at.info)
    assert any("Guideline report" in s.value for s in at.subheader)
    at = _app(court, "defence", "app_pages/whatif.py", language="zh-CN")
    assert any("本案未使用算法模型" in i.value for i in at.info)  # nothing there asks a model


def test_a_built_court_still_opens_before_its_model(engine, small_model) -> None:
    court = build_court(engine, small_model.folder)
    assert court.service.guideline_alone(court.tokens["defence"], court.hearing_id) is None


def test_the_guideline_report_names_the_grounds_for_going_below_the_minimum_in_words() -> None:
    report = build_guideline_report(parse_case_document(bundled_document("injury-serious-minor-defendant")))
    assert report.derivation.below_minimum_allowed
    en, zh = guideline_report_html(report, "en"), guideline_report_html(report, "zh-CN")
    assert "allowed (minor offender aged 16 to 18, surrender)" in en and "minor_16_18" not in en
    assert "法定刑以下判处（未成年人犯罪" in zh and "minor_16_18" not in zh


def test_on_appeal_a_pack_with_no_model_answers_the_guideline_and_refuses_the_rest(sealed_packs, tmp_path) -> None:
    from evidence_pack import AppellateSession

    packs, published, _, _ = sealed_packs
    anchors = TrustAnchors.from_published(published)
    with AppellateSession(packs["alone"].path, anchors, tmp_path / "appeal.jsonl", "appeal (appellate_judge)") as court:
        outcome, seq = court.query("guideline", {})
        assert seq == 1 and outcome.model_sha256 is None
        with pytest.raises(OperationInputError, match=r"asks the model, and this hearing has none"):
            court.query("whatif", {"changes": {"restitution": False}})
        assert [e["operation"] for e in court.entries()] == ["guideline"]


def test_the_appellate_page_checks_the_pack_once_and_replays_it(sealed_packs, monkeypatch) -> None:
    import evidence_pack.replay
    import hearing.service

    *_, alone = sealed_packs
    calls: list[str] = []
    for module, name in ((evidence_pack.replay, "verify_folder"), (hearing.service, "verify_pack")):
        original = getattr(module, name)
        monkeypatch.setattr(module, name, lambda *a, _f=original, _n=name, **k: calls.append(_n) or _f(*a, **k))
    verdict, replayed = alone.service.appeal_check(alone.tokens["appeal"], alone.hearing_id)
    assert verdict.ok, [(c.name, c.detail) for c in verdict.failed]
    assert replayed is not None and replayed.ok and replayed.verdict is verdict
    assert calls == ["verify_folder"]  # verified once, by the replay that needs it
