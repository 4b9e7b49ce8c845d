"""Steps for features/defence_challenges_a_compas_score.feature, through the installed ``voirdire``, as counsel."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from pytest_bdd import given, parsers, scenarios, then, when

from tests.cli.runner import envelope_result, run
from tests.hearing.store_fixtures import dispose_of_findings

scenarios("defence_challenges_a_compas_score.feature")


@pytest.fixture
def counsel(compas_csv: Path, tmp_path: Path) -> dict[str, Any]:
    env = {**os.environ, "VOIRDIRE_HOME": str(tmp_path / "home"), "VOIRDIRE_LANG": ""}
    return {"env": env, "data": str(compas_csv), "tmp": tmp_path}


def _ok(counsel: dict[str, Any], args: list[str]) -> str:
    done = run(args, counsel["env"])
    assert done.returncode == 0, done.stderr
    return done.stdout


def _answer(counsel: dict[str, Any], args: list[str]) -> Any:
    """The result of a ``--json`` command (its envelope checked)."""
    done = run([*args, "--json"], counsel["env"])
    assert done.returncode == 0, done.stderr
    return envelope_result(done)


@given("the ProPublica COMPAS data is on counsel's machine")
def data(counsel: dict[str, Any]) -> None:
    assert "compas" in _ok(counsel, ["data", "compas", "--from", counsel["data"]]).lower()


@given("counsel has fitted the surrogate to the tool's recorded scores")
def surrogate(counsel: dict[str, Any]) -> None:
    body = _answer(counsel, ["risk", "surrogate"])
    assert body["kind"] == "surrogate" and body["data"]["rows"] == 6172
    counsel["fidelity"] = body["fidelity"]["cross_validated"]["same_class"]


@when("counsel audits the recorded scores by race")
def audit(counsel: dict[str, Any]) -> None:
    counsel["audit"] = _answer(counsel, ["audit-scores"])


@then(
    parsers.parse("the false positive rate is {aa} for African-American defendants and {cauc} for Caucasian defendants")
)
def rates(counsel: dict[str, Any], aa: str, cauc: str) -> None:
    groups = {g["group"]: g for g in counsel["audit"]["groups"]}
    assert f"{groups['African-American']['false_positive_rate']:.1%}" == aa
    assert f"{groups['Caucasian']['false_positive_rate']:.1%}" == cauc


@then(
    parsers.parse(
        "the findings say African-American defendants who did not re-offend were flagged {times} times as often"
    )
)
def disparate(counsel: dict[str, Any], times: str) -> None:
    assert any("Disparate false positives" in f["en"] and f"({times} times)" in f["en"]
               for f in counsel["audit"]["findings"])  # fmt: skip


@given(parsers.parse("the person with data id {person:d}, whom the tool rated {decile:d} ({risk_class})"))
def person(counsel: dict[str, Any], person: int, decile: int, risk_class: str) -> None:
    path = counsel["tmp"] / f"compas-{person}.json"
    _ok(counsel, ["risk", "case", str(person), "--out", str(path)])
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["recorded"] == {"decile_score": decile, "score_text": risk_class}
    assert not {"name", "first", "last", "dob"} & set(document["person"])
    counsel["case"] = str(path)


@when(parsers.parse("counsel asks the surrogate for prior offences {values}"))
def priors(counsel: dict[str, Any], values: str) -> None:
    numbers = values.replace(" and ", ", ").replace(" ", "")
    counsel["answer"] = _answer(counsel, ["risk", "whatif", counsel["case"], "--vary", f"priors_count={numbers}"])


@when(parsers.parse("counsel asks the surrogate for ages {values}"))
def ages(counsel: dict[str, Any], values: str) -> None:
    numbers = values.replace(" and ", ", ").replace(" ", "")
    counsel["answer"] = _answer(counsel, ["risk", "whatif", counsel["case"], "--vary", f"age={numbers}"])


@then(parsers.parse("every answer is labelled as the surrogate's, with its cross-validated fidelity of {share}"))
def labelled(counsel: dict[str, Any], share: str) -> None:
    assert f"{counsel['fidelity']:.1%}" == share
    caveat = counsel["answer"]["caveat"]
    assert caveat["en"].startswith("Surrogate model") and share in caveat["en"] and share in caveat["zh-CN"]
    text = _ok(counsel, ["risk", "whatif", counsel["case"], "--set", "priors_count=0", "--lang", "zh-CN"])
    assert "替代模型" in text and share in text


@then(parsers.parse("with no prior offences the surrogate gives the class {risk_class}"))
def no_priors(counsel: dict[str, Any], risk_class: str) -> None:
    answer = next(s for s in counsel["answer"]["scenarios"] if s["label"] == "priors_count=0")
    assert answer["class"] == risk_class


@then("the surrogate's score falls as the age rises")
def falls(counsel: dict[str, Any]) -> None:
    scores = [s["score"] for s in counsel["answer"]["scenarios"]]
    assert scores == sorted(scores, reverse=True) and scores[0] > scores[-1]


@when(parsers.parse('counsel writes the deep risk report in "{language}"'))
def report(counsel: dict[str, Any], language: str) -> None:
    folder = counsel["tmp"] / "report"
    _ok(counsel, ["risk", "report", counsel["case"], "--tier", "deep", "--out", str(folder), "--lang", language])
    counsel["report"] = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    counsel["pdf"] = folder / f"report.{language}.pdf"


@then(parsers.parse("the report's first finding is the disparate false positive rate of {group}"))
def first_finding(counsel: dict[str, Any], group: str) -> None:
    finding = counsel["report"]["findings"][0]
    assert finding["kind"] == "disparate_false_positive_rates" and group in finding["title"]["zh-CN"]
    assert "42.3%" in finding["evidence"]["zh-CN"] and finding["on_surrogate"] is False


@then("the report finds that the public facts do not explain the person's score")
def unexplained(counsel: dict[str, Any]) -> None:
    kinds = {f["kind"]: f for f in counsel["report"]["findings"]}
    assert kinds["score_unexplained_by_public_facts"]["on_surrogate"] is True


@then("the PDF carries the report's JSON")
def carries(counsel: dict[str, Any]) -> None:
    attached = PdfReader(str(counsel["pdf"])).attachments["report.json"][0]
    assert json.loads(attached) == counsel["report"]


@given(parsers.parse("the clerk has registered the surrogate and opened a hearing on the person with data id {pid:d}"))
def hearing(counsel: dict[str, Any], pid: int) -> None:
    from hearing.store import make_engine, migrate
    from sentencing.canonical import sha256_file
    from sentencing.compas import load_compas, propublica_filter
    from tests.hearing.store_fixtures import build_risk_court

    engine = make_engine(f"sqlite:///{counsel['tmp'] / 'court.sqlite'}")
    migrate(engine)
    surrogate = Path(counsel["env"]["VOIRDIRE_HOME"]) / "risk" / "compas-recidivism-surrogate"
    assert (surrogate / "surrogate.json").is_file() and list((surrogate / "training-data").glob("*.csv"))
    records = propublica_filter(load_compas(Path(counsel["data"])))
    counsel["court"] = build_risk_court(engine, surrogate, records, person_id=pid)
    counsel["surrogate_sha256"] = sha256_file(str(surrogate / "surrogate.json"))


@when("counsel asks in open court what if the person had no prior offences")
def open_court_whatif(counsel: dict[str, Any]) -> None:
    court = counsel["court"]
    outcome, _ = court.service.query(court.tokens["defence"], court.hearing_id, "risk_whatif",
                                     {"changes": {"priors_count": 0}})  # fmt: skip
    assert outcome.result["scenarios"][0]["class"] == "Low" and outcome.result["caveat"]


@when("the judge escalates to the deep report")
def escalate(counsel: dict[str, Any]) -> None:
    court = counsel["court"]
    outcome, _ = court.service.query(court.tokens["judge"], court.hearing_id, "risk_report", {"tier": "deep"})
    assert outcome.result["findings"][0]["kind"] == "disparate_false_positive_rates"


@when("the defence objects to the first finding and the technician answers it under the technician's own key")
def object_and_answer(counsel: dict[str, Any]) -> None:
    court = counsel["court"]
    service, t, h = court.service, court.tokens, court.hearing_id
    first = {"entry": 2, "number": 1}
    service.state(t["defence"], h, "party_submission", {"kind": "objection", "finding": first,
                                                        "text": "假阳性率差异说明评分对非裔被告不公"})  # fmt: skip
    service.create_sealing_key(t["expert"], "the expert's passphrase")
    service.certify_sealing_key(t["tech"], "expert")
    service.answer_finding(
        t["expert"], h, first, "工具在本地数据上未重新校准；差异源于基础比率", "the expert's passphrase"
    )


@when("the judge disposes of every challenge finding, upholding the first, with reasons")
def dispose(counsel: dict[str, Any]) -> None:
    court = counsel["court"]
    service, judge, h = court.service, court.tokens["judge"], court.hearing_id
    service.state(judge, h, "finding_disposition", {"finding": {"entry": 2, "number": 1}, "disposition": "upheld",
                                                    "reasons": "评分不作为判断风险的依据"})  # fmt: skip
    assert dispose_of_findings(service, judge, h) == 6


@then("each challenge finding shows the objection, the signed answer and the court's disposition")
def challenges_shown(counsel: dict[str, Any]) -> None:
    court = counsel["court"]
    challenges = court.service.challenges(court.tokens["appeal"], court.hearing_id)
    assert len(challenges) == 7 and all(c.disposition is not None for c in challenges)
    first = challenges[0]
    assert [kind for _, _, kind, _ in first.submissions] == ["objection"] and first.answers[0][1] == "expert"
    assert first.disposition is not None and first.disposition[1] == "upheld"


@then(parsers.parse("the hearing record holds {count:d} queries, each answered by the registered surrogate"))
def recorded(counsel: dict[str, Any], count: int) -> None:
    court = counsel["court"]
    record = court.service.record(court.tokens["judge"], court.hearing_id)
    assert len(record) == count and {e.model_sha256 for e in record} == {counsel["surrogate_sha256"]}
    assert court.service.verify(court.tokens["judge"], court.hearing_id).ok


CITE = "the judge finds the class {found} against the tool's {tool}, gives reasons, and closes the hearing"


@when(parsers.parse(CITE))
def cite(counsel: dict[str, Any], found: str, tool: str) -> None:
    court = counsel["court"]
    service, judge = court.service, court.tokens["judge"]
    service.write_ruling(judge, court.hearing_id, weighed_liability="所控重罪 the felony charged",
                         weighed_prevention="前科与年龄 priors and age; the score is not determinative",
                         particulars="", adopted_class=found,
                         departure_reasons="公开事实只支持中风险 the public facts support Medium only")  # fmt: skip
    ruling = service.ruling(judge, court.hearing_id)
    assert ruling is not None and (ruling.recorded_class, ruling.adopted_class) == (tool, found)
    service.close_hearing(judge, court.hearing_id)


@when("the judge seals the hearing")
def seal(counsel: dict[str, Any]) -> None:
    from evidence_pack import LocalTimestampAuthority, TrustAnchors
    from tests.evidence_pack.conftest import publish

    court = counsel["court"]
    service, judge = court.service, court.tokens["judge"]
    service.create_sealing_key(judge, "the judge's sealing passphrase")
    service.certify_sealing_key(court.tokens["tech"], "judge")
    tsa = LocalTimestampAuthority.create(counsel["tmp"] / "tsa", "court TSA")
    counsel["sealed"] = service.seal(judge, court.hearing_id, "the judge's sealing passphrase",
                                     counsel["tmp"] / "packs", authority=tsa)  # fmt: skip
    counsel["published"] = publish(service, judge, counsel["tmp"] / "published", tsa)
    counsel["anchors"] = TrustAnchors.from_published(counsel["published"])


@then("the appellate court verifies the pack, and the court's published script agrees")
def verified(counsel: dict[str, Any]) -> None:
    from evidence_pack import verify_pack
    from tests.evidence_pack.conftest import run_published_script

    pack = counsel["sealed"].path
    verdict = verify_pack(pack, counsel["anchors"])
    assert verdict.ok and verdict.predicate["model"]["artifact"] == "surrogate.json"
    done = run_published_script(counsel["published"], pack)
    assert done.returncode == 0 and done.stdout.rstrip().endswith("VERIFIED")


@then("replaying the pack gives every query and the report with the same digests as recorded")
def replayed(counsel: dict[str, Any]) -> None:
    from evidence_pack import Match, replay_pack

    report = replay_pack(counsel["sealed"].path, counsel["anchors"])
    assert report.ok and [q.operation for q in report.queries] == [
        "risk_whatif",
        "risk_report",
        "party_submission",
        "technician_answer",
        *["finding_disposition"] * 7,
    ]
    assert all(q.match is Match.EXACT for q in (*report.queries, report.report))
