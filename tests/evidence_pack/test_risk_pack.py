"""A risk-assessment hearing sealed, verified with standard tools and with voirdire, replayed, appealed.

The hearing examines a real COMPAS score (ProPublica's person 22: recorded 10, High) through the
registered surrogate; its pack carries the surrogate (JSON, its sha256 the model's identity) with the
recorded data it was fitted to, the standard risk report and the deep one the hearing escalated to.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader

from evidence_pack import AppellateSession, LocalTimestampAuthority, Match, SealedPack, replay_pack, verify_pack
from evidence_pack.published import TrustAnchors
from hearing.store import make_engine, migrate
from sentencing.canonical import sha256_file
from sentencing.errors import UnverifiedPackError
from tests.evidence_pack.conftest import PASSPHRASE, publish, run_published_script
from tests.evidence_pack.test_faults import failed, flip_same_size, rebag
from tests.hearing.store_fixtures import Court, build_risk_court, dispose_of_findings

RISK_QUERIES = (
    ("defence", "risk_predict", {}),
    ("defence", "risk_whatif", {"changes": {"priors_count": 0}}),
    ("defence", "risk_counterfactual", {"target_class": "Low"}),
    ("prosecution", "risk_sensitivity", {}),
    ("judge", "risk_report", {"tier": "deep"}),
)


@dataclass
class SealedRiskCourt:
    court: Court
    sealed: SealedPack
    tsa: LocalTimestampAuthority
    anchors: TrustAnchors
    published: Path


@pytest.fixture(scope="module")
def risk_pack(tmp_path_factory, compas_surrogate, compas_records) -> SealedRiskCourt:
    work = tmp_path_factory.mktemp("risk-court")
    engine = make_engine(f"sqlite:///{work / 'court.sqlite'}")
    migrate(engine)
    court = build_risk_court(engine, compas_surrogate, compas_records)
    service, tokens, hearing = court.service, court.tokens, court.hearing_id
    for party, operation, parameters in RISK_QUERIES:
        service.query(tokens[party], hearing, operation, parameters)
    assert dispose_of_findings(service, tokens["judge"], hearing) == 7  # the deep report's findings
    service.write_ruling(tokens["judge"], hearing, weighed_liability="the felony charged",
                         weighed_prevention="prior offences and age, weighed apart from the score", particulars="",
                         adopted_class="Medium", departure_reasons="the public facts give Medium")  # fmt: skip
    service.close_hearing(tokens["judge"], hearing)
    service.create_sealing_key(tokens["judge"], PASSPHRASE)
    service.certify_sealing_key(tokens["tech"], "judge")
    tsa = LocalTimestampAuthority.create(work / "tsa", "test court TSA")
    sealed = service.seal(tokens["judge"], hearing, PASSPHRASE, work / "packs", authority=tsa)
    published = publish(service, tokens["judge"], work / "published", tsa)
    return SealedRiskCourt(court, sealed, tsa, TrustAnchors.from_published(published), published)


def test_the_risk_pack_holds_the_surrogate_its_data_and_both_reports(risk_pack, compas_surrogate) -> None:
    data = risk_pack.sealed.path / "bag" / "data"
    surrogate = data / "model" / "surrogate.json"
    assert sha256_file(str(surrogate)) == sha256_file(str(compas_surrogate / "surrogate.json"))
    (records,) = (data / "model" / "training-data").glob("*.csv")
    assert sha256_file(str(records)) == json.loads(surrogate.read_text())["data"]["sha256"]
    case = json.loads((data / "case" / "case.json").read_text())
    assert case["kind"] == "risk_assessment" and case["recorded"] == {"decile_score": 10, "score_text": "High"}
    standard = json.loads((data / "report" / "report.json").read_text())
    deep = json.loads((data / "report" / "deep" / "report.json").read_text())
    assert (standard["kind"], standard["tier"], deep["tier"]) == ("risk_report", "standard", "deep")
    assert standard["findings"] == [] and deep["findings"][0]["kind"] == "disparate_false_positive_rates"
    for language in ("zh-CN", "en"):
        reader = PdfReader(data / "report" / f"report.{language}.pdf")
        assert "report.json" in reader.attachments
    assert "替代模型" in PdfReader(data / "report" / "report.zh-CN.pdf").pages[0].extract_text()
    ruling = json.loads((data / "hearing" / "ruling.json").read_text())
    assert (ruling["case_kind"], ruling["recorded_class"], ruling["adopted_class"]) == (
        "risk_assessment", "High", "Medium"
    )  # fmt: skip


def test_the_risk_pack_verifies_both_ways(risk_pack) -> None:
    verdict = verify_pack(risk_pack.sealed.path, risk_pack.anchors)
    assert verdict.ok, [(c.name, c.detail) for c in verdict.failed]
    assert verdict.predicate["model"]["artifact"] == "surrogate.json"
    model_check = next(c for c in verdict.checks if c.name == "model")
    assert "travels with the pack" in model_check.detail
    done = run_published_script(risk_pack.published, risk_pack.sealed.path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "OK: model: bag/data/model/surrogate.json is the sealed model" in done.stdout


def test_the_risk_pack_replays_every_query_and_the_report_exactly(risk_pack) -> None:
    report = replay_pack(risk_pack.sealed.path, risk_pack.anchors)
    assert report.ok, [(q.operation, q.detail) for q in report.queries if q.match is not Match.EXACT]
    assert [q.operation for q in report.queries] == [q[1] for q in RISK_QUERIES] + ["finding_disposition"] * 7
    assert all(q.match is Match.EXACT for q in report.queries)
    assert report.report.operation == "risk_report" and report.report.match is Match.EXACT


def test_an_appellate_court_asks_the_sealed_surrogate_a_new_question(risk_pack, tmp_path) -> None:
    with AppellateSession(risk_pack.sealed.path, risk_pack.anchors, tmp_path / "appeal.jsonl", "appeal") as session:
        outcome, seq = session.query("risk_whatif", {"changes": {"age": 45}})
    assert seq == 1 and outcome.result["scenarios"][0]["delta"] < 0  # older: a lower score
    assert outcome.model_sha256 == sha256_file(str(risk_pack.sealed.path / "bag/data/model/surrogate.json"))


def test_a_swapped_surrogate_is_caught_by_both_verifiers_and_never_replayed(risk_pack, tmp_path) -> None:
    import shutil

    pack = tmp_path / risk_pack.sealed.path.name
    shutil.copytree(risk_pack.sealed.path, pack)
    surrogate = pack / "bag/data/model/surrogate.json"
    document = json.loads(surrogate.read_text())
    race = next(t for t in document["terms"] if t["value"] == "African-American")
    race["points"] = 0.0  # a forger's kinder table, made consistent with fresh manifests
    surrogate.write_text(json.dumps(document, sort_keys=True, separators=(",", ":")))
    rebag(pack)
    assert {"model", "signature"} <= failed(pack, risk_pack.anchors)
    done = run_published_script(risk_pack.published, pack)
    assert done.returncode == 1 and "FAILED" in done.stdout
    with pytest.raises(UnverifiedPackError):
        replay_pack(pack, risk_pack.anchors)
    flip_same_size(pack / "bag/data/model/training-data" / next((pack / "bag/data/model/training-data").iterdir()).name,
                   100)  # fmt: skip
    assert "bag" in failed(pack, risk_pack.anchors)


def test_a_statement_naming_another_model_file_is_refused_not_followed(risk_pack, tmp_path) -> None:
    import shutil

    from tests.evidence_pack.test_faults import resign

    pack = tmp_path / risk_pack.sealed.path.name
    shutil.copytree(risk_pack.sealed.path, pack)
    statement = json.loads(base64.b64decode(json.loads((pack / "seal/statement.json").read_bytes())["payload"]))
    model = {**statement["predicate"]["model"], "artifact": "../case/case.json"}
    resign(pack, risk_pack.tsa, model=model)  # a forger points the model check at another file
    verdict = verify_pack(pack, risk_pack.anchors)
    check = next(c for c in verdict.checks if c.name == "model")
    assert not verdict.ok and check.ok is False
    assert "not one of model.joblib, surrogate.json" in check.detail
