"""Steps for features/the_algorithm_governed_and_the_judge_accountable.feature, over the hearing service, a real
SQLite store, a real seal (a local RFC 3161 authority) and the appellate court's verify and replay."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pytest_bdd import given, parsers, scenarios, then, when

from evidence_pack import LocalTimestampAuthority, Match, TrustAnchors, replay_pack, verify_pack
from hearing.service import HearingService
from hearing.settings import settings_from_environment
from hearing.store import make_engine, migrate
from sentencing.case import parse_case
from sentencing.errors import InputError, OperationInputError
from sentencing.guideline import derive_sentence
from sentencing.models import predict_cases
from tests.evidence_pack.conftest import PASSPHRASE, publish, run_published_script
from tests.hearing.store_fixtures import bundled_document, court_users, dispose_of_findings

scenarios("the_algorithm_governed_and_the_judge_accountable.feature")

WEIGHED = {"weighed_liability": "盗窃数额 amount stolen", "weighed_prevention": "自首 surrender", "particulars": ""}
PARTIES = ["defence", "prosecution", "judge", "appeal"]


@pytest.fixture
def world() -> dict[str, Any]:
    return {}


@given(parsers.parse('a court with a registered reference model and the bundled case "{name}"'))
def court(world: dict[str, Any], tmp_path, small_model, name: str) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'court.sqlite'}")
    migrate(engine)
    service = HearingService(engine, settings_from_environment())
    world.update(service=service, tokens=court_users(service), document=bundled_document(name), work=tmp_path,
                 model_folder=str(small_model.folder), filing=None)  # fmt: skip


def _s(world: dict[str, Any]) -> tuple[HearingService, dict[str, str]]:
    return world["service"], world["tokens"]


def _open(world: dict[str, Any], model: bool, case_id: str | None = None) -> int:
    s, t = _s(world)
    if model and "model_id" not in world:
        world["model_id"] = s.register_model(t["tech"], world["model_folder"], filing=world["filing"])
    document = {**world["document"], "case_id": case_id or world["document"]["case_id"]}
    hearing = s.open_case_hearing(t["clerk"], document, None, world["model_id"] if model else None, PARTIES)
    world["hearing"] = hearing
    return hearing


@given("a hearing of the case before the model")
def before_the_model(world: dict[str, Any]) -> None:
    _open(world, True)


@given("a hearing of the case with no model")
def with_no_model(world: dict[str, Any]) -> None:
    _open(world, False)


@when("the judge records that the defendant, told orally, refused the assistance of AI")
def refused(world: dict[str, Any]) -> None:
    s, t = _s(world)
    _, world["notice"] = s.state(t["judge"], world["hearing"], "ai_notice",
                                 {"notified_on": "2026-04-01", "means": "oral", "refused": True})  # fmt: skip


@then("a what-if question to the model is refused, naming the refusal's entry")
def whatif_refused(world: dict[str, Any]) -> None:
    s, t = _s(world)
    with pytest.raises(InputError, match=rf"refused the algorithm's assistance \(entry {world['notice']};"):
        s.query(t["defence"], world["hearing"], "whatif", {"changes": {"restitution": False}})


@then("the guideline's derivation is still given")
def guideline_given(world: dict[str, Any]) -> None:
    s, t = _s(world)
    outcome, _ = s.query(t["defence"], world["hearing"], "guideline", {})
    world["band"] = outcome.result["judicial_band_months"]
    assert outcome.result["steps"] and outcome.result["recommended_months"] > 0
    world["guideline_sha256"] = outcome.model_sha256


@then("every question that would ask a model is refused, and the guideline report is shown")
def no_model_questions(world: dict[str, Any]) -> None:
    s, t = _s(world)
    for operation, parameters in (("whatif", {"changes": {"restitution": False}}), ("report", {"tier": "deep"}),
                                  ("sensitivity", {})):  # fmt: skip
        with pytest.raises(OperationInputError, match=r"asks the model, and this hearing has none"):
            s.query(t["defence"], world["hearing"], operation, parameters)
    report = s.guideline_report(t["defence"], world["hearing"])
    assert report is not None and report.to_dict()["model"] is None
    assert s.report(t["defence"], world["hearing"], "standard") is None
    guideline_given(world)
    assert world["guideline_sha256"] is None  # no model stands behind the entry


@when("the judge adopts the guideline's lower bound and closes the hearing")
def adopt_lower_bound(world: dict[str, Any]) -> None:
    s, t = _s(world)
    s.write_ruling(t["judge"], world["hearing"], **WEIGHED, departure_reasons="", adopted_months=world["band"][0])
    s.close_hearing(t["judge"], world["hearing"])


@then("the judgment-ready citation says the defendant refused and the court did not ask the algorithm")
def citation_refused(world: dict[str, Any]) -> None:
    s, t = _s(world)
    assert "拒绝使用人工智能辅助，本院未询问算法" in (s.citation_text(t["judge"], world["hearing"], "zh-CN") or "")
    assert "the court did not ask the algorithm" in (s.citation_text(t["judge"], world["hearing"], "en") or "")


@then("the judgment-ready citation says the court used no algorithm model")
def citation_no_model(world: dict[str, Any]) -> None:
    s, t = _s(world)
    assert "本院审理本案未使用算法模型" in (s.citation_text(t["judge"], world["hearing"], "zh-CN") or "")
    assert "The court used no algorithm model in this case" in (s.citation_text(t["judge"], world["hearing"], "en")
                                                                  or "")  # fmt: skip


@when("the judge seals the hearing")
def seal(world: dict[str, Any]) -> None:
    s, t = _s(world)
    s.create_sealing_key(t["judge"], PASSPHRASE)
    s.certify_sealing_key(t["tech"], "judge")
    tsa = LocalTimestampAuthority.create(world["work"] / "tsa", "test court TSA")
    world["pack"] = s.seal(t["judge"], world["hearing"], PASSPHRASE, world["work"] / "packs", authority=tsa).path
    world["published"] = publish(s, t["judge"], world["work"] / "published", tsa)
    world["docket"] = s.docket(t["judge"])


def _verified_and_replayed(world: dict[str, Any]) -> tuple[Any, Any]:
    anchors = TrustAnchors.from_published(world["published"])
    verdict = verify_pack(world["pack"], anchors, docket=world["docket"])
    assert verdict.ok, [(c.name, c.detail) for c in verdict.failed]
    replayed = replay_pack(world["pack"], anchors, docket=world["docket"])
    assert replayed.ok and replayed.report.match is Match.EXACT
    assert run_published_script(world["published"], world["pack"]).returncode == 0
    return verdict, replayed


@then("the pack holds the guideline report, not the model's report, and verifies and replays exactly")
def refused_pack(world: dict[str, Any]) -> None:
    report = json.loads((world["pack"] / "bag" / "data" / "report" / "report.json").read_text(encoding="utf-8"))
    assert report["report"] == "guideline" and report["model"] is None
    _, replayed = _verified_and_replayed(world)
    assert replayed.report.operation == "guideline_report"


@then("the appellate court verifies the pack, which says no model was used, and replays it with no model")
def no_model_pack(world: dict[str, Any]) -> None:
    verdict, replayed = _verified_and_replayed(world)
    model = next(c for c in verdict.checks if c.name == "model")
    assert "no model was used" in model.detail
    assert all(q.match is Match.EXACT for q in replayed.queries) and replayed.report.operation == "guideline_report"


@given("the model was registered with a filing that names another model's digest")
def filed_other(world: dict[str, Any]) -> None:
    world["filing"] = {"number": "网信算备110108823483901230011", "authority": "国家互联网信息办公室",
                       "risk_level": "high", "assessed_on": "2025-03-01", "ethics_reviewed_on": "2025-02-20",
                       "model_sha256": "cd" * 32}  # fmt: skip


@then("the record opens with the clerk's filing entry and a high finding that the model is not the filed one")
def filing_entry(world: dict[str, Any]) -> None:
    s, t = _s(world)
    first = s.record(t["defence"], world["hearing"])[0]
    assert (first.operation, first.party) == ("model_filing", "clerk (clerk)")
    [finding] = first.result["findings"]
    assert (finding["kind"], finding["severity"]) == ("model_not_the_filed_one", "high")


@then("the judge cannot write the citation until the finding is disposed of")
def waits_for_disposition(world: dict[str, Any]) -> None:
    s, t = _s(world)
    with pytest.raises(InputError, match=r"challenge finding\(s\) await the court's disposition"):
        s.write_ruling(t["judge"], world["hearing"], **WEIGHED, departure_reasons="综合", adopted_months=6.0)
    assert dispose_of_findings(s, t["judge"], world["hearing"], "经技术人员说明，模型已重新备案") == 1
    s.write_ruling(t["judge"], world["hearing"], **WEIGHED, departure_reasons="综合", adopted_months=6.0)


def _suggestion(world: dict[str, Any]) -> float:
    s = world["service"]
    return float(predict_cases(s._model(world["model_id"]), [parse_case(world["document"])])[0])


@given(parsers.parse("the judge has adopted the model's term exactly in {count:d} earlier hearings"))
def anchored(world: dict[str, Any], count: int) -> None:
    s, t = _s(world)
    for number in range(count):
        hearing = _open(world, True, f"anchored-{number}")
        s.write_ruling(t["judge"], hearing, **WEIGHED, departure_reasons="综合", adopted_months=_suggestion(world))


@then("the deviation monitor warns the judge of anchoring")
def warned(world: dict[str, Any]) -> None:
    s, t = _s(world)
    assert any("anchoring" in w.en for w in s.deviation(t["judge"], "judge").warnings)


@then("a citation adopting the model's term without a written reason is refused, asking for 原因说明")
def needs_reason(world: dict[str, Any]) -> None:
    s, t = _s(world)
    with pytest.raises(InputError, match=r"^anchoring_reasons: .*原因说明"):
        s.write_ruling(t["judge"], world["hearing"], **WEIGHED, departure_reasons="综合",
                       adopted_months=_suggestion(world))  # fmt: skip


@when(parsers.parse("the judge adopts {extra:d} months more than the guideline's upper bound, with reasons and a "
                    "written reason"))  # fmt: skip
def beyond_band(world: dict[str, Any], extra: int) -> None:
    s, t = _s(world)
    high = derive_sentence(parse_case(world["document"])).judicial_band.high
    s.write_ruling(t["judge"], world["hearing"], **WEIGHED, departure_reasons="犯罪情节特别恶劣",
                   adopted_months=high + extra, anchoring_reasons="本案经独立计算，未依赖系统建议")  # fmt: skip


@then("the ruling is marked for the adjudication committee and the citation says so in Chinese and English")
def committee(world: dict[str, Any]) -> None:
    s, t = _s(world)
    ruling = s.ruling(t["judge"], world["hearing"])
    assert ruling is not None and ruling.committee_referral
    zh = s.citation_text(t["judge"], world["hearing"], "zh-CN") or ""
    en = s.citation_text(t["judge"], world["hearing"], "en") or ""
    assert "提交审判委员会讨论决定" in zh and "法官原因说明：本案经独立计算" in zh
    assert "adjudication committee" in en and "3. What was adopted and why" in en


@when("the defence objects to a fact and demands the deep tier of explanation")
def demands(world: dict[str, Any]) -> None:
    s, t = _s(world)
    s.query(t["defence"], world["hearing"], "disputed_fact", {"factor": "acts", "versions": [1, 3]})
    world["demand"], world["deep"] = s.demand_deep_tier(t["defence"], world["hearing"], "盗窃次数存在争议")


@then("the demand and the deep report are the record's last two entries")
def last_two(world: dict[str, Any]) -> None:
    s, t = _s(world)
    record = s.record(t["appeal"], world["hearing"])
    assert [(e.operation, e.party) for e in record[-2:]] == [("deep_tier_demand", "defence (defence)"),
                                                             ("report", "defence (defence)")]  # fmt: skip
    assert record[-1].parameters["tier"] == "deep" and record[-2].result["reasons"] == "盗窃次数存在争议"


@then("the deep tier's duty names the demand and the entry that provided it")
def duty(world: dict[str, Any]) -> None:
    s, t = _s(world)
    found = s.deep_tier(t["judge"], world["hearing"])
    assert (found.demanded, found.owed, found.provided) == (world["demand"], True, world["deep"])
