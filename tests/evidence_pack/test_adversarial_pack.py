"""The adversarial hearing of the algorithm (issue 19, item 1): a party's objection to a finding of the deep report,
the technician's answers signed with the technician's own key, and the court's disposition of every challenge
finding join the chained record; the ruling waits for the dispositions; all of it is sealed, verifies (the
technician's key as the court published it) and replays identically; forged or unsigned answers are refused."""

from __future__ import annotations

import shutil

import pytest

from evidence_pack import LocalTimestampAuthority, Match, TrustAnchors, replay_pack, verify_pack
from evidence_pack.registry import full_registry
from evidence_pack.signing import generate_sealing_key, sign_detached, unlock_private_key
from explain_tiers.adversarial import answer_payload
from hearing.store import make_engine, migrate
from sentencing.errors import AccessDeniedError, AuthenticationError, InputError, OperationInputError
from sentencing.operations import OperationContext
from tests.evidence_pack.conftest import PASSPHRASE, publish
from tests.hearing.store_fixtures import build_court

TECHNICIAN_PASSPHRASE = "the vendor's expert key"


@pytest.fixture(scope="module")
def heard(tmp_path_factory, small_model):
    work = tmp_path_factory.mktemp("adversarial")
    engine = make_engine(f"sqlite:///{work / 'court.sqlite'}")
    migrate(engine)
    court = build_court(engine, small_model.folder)
    s, t, h = court.service, court.tokens, court.hearing_id
    s.query(t["defence"], h, "report", {"tier": "deep"})
    deep = s.report(t["defence"], h, "deep")
    assert deep is not None and deep.seq == 1
    findings = deep.body["deep"]["findings"]
    assert findings, "the deep report of the bundled non-local theft has findings to challenge"
    steps = {"findings": len(findings)}
    # the ruling is refused while a challenge finding awaits the court's disposition
    with pytest.raises(InputError, match=r"challenge finding\(s\) await the court's disposition"):
        s.write_ruling(t["judge"], h, weighed_liability="amount", weighed_prevention="confession", particulars="-",
                       adopted_months=6.0, departure_reasons="the guideline")  # fmt: skip
    _, objection = s.state(
        t["defence"],
        h,
        "party_submission",
        {"kind": "objection", "text": "该因素不应影响量刑", "finding": {"entry": 1, "number": 1}},
    )
    _, submission = s.state(t["prosecution"], h, "party_submission",
                            {"kind": "submission", "text": "模型经过本院备案", "on_entry": 1})  # fmt: skip
    s.create_sealing_key(t["expert"], TECHNICIAN_PASSPHRASE)
    with pytest.raises(AccessDeniedError, match=r"awaits the court's approval"):
        s.answer_finding(t["expert"], h, {"entry": 1, "number": 1}, "answer", TECHNICIAN_PASSPHRASE)
    s.certify_sealing_key(t["tech"], "expert")
    with pytest.raises(AuthenticationError):
        s.answer_finding(t["expert"], h, {"entry": 1, "number": 1}, "answer", "not the passphrase")
    answers = [s.answer_finding(t["expert"], h, {"entry": 1, "number": n}, f"关于第{n}项：训练数据的来源与检验。",
                                TECHNICIAN_PASSPHRASE)[1] for n in range(1, len(findings) + 1)]  # fmt: skip
    dispositions = [s.state(t["judge"], h, "finding_disposition",
                            {"finding": {"entry": 1, "number": n}, "disposition": "upheld" if n == 1 else "rejected",
                             "reasons": f"第{n}项理由"})[1] for n in range(1, len(findings) + 1)]  # fmt: skip
    steps.update(objection=objection, submission=submission, answers=answers, dispositions=dispositions)
    s.write_ruling(t["judge"], h, weighed_liability="amount", weighed_prevention="confession", particulars="-",
                   adopted_months=6.0, departure_reasons="the guideline, not the model")  # fmt: skip
    s.close_hearing(t["judge"], h)
    s.create_sealing_key(t["judge"], PASSPHRASE)
    s.certify_sealing_key(t["tech"], "judge")
    tsa = LocalTimestampAuthority.create(work / "tsa", "test court TSA")
    sealed = s.seal(t["judge"], h, PASSPHRASE, work / "packs", authority=tsa)
    published = publish(s, t["judge"], work / "published", tsa)
    return court, steps, sealed, published, s.docket(t["judge"]), work


def test_objections_answers_and_dispositions_are_entries_of_the_record(heard) -> None:
    court, steps, *_ = heard
    s, t, h = court.service, court.tokens, court.hearing_id
    record = s.record(t["appeal"], h)
    objection = record[steps["objection"] - 1]
    assert objection.party == "defence (defence)" and objection.result["kind"] == "objection"
    assert objection.result["finding"]["entry"] == 1 and objection.result["finding"]["number"] == 1
    assert objection.result["finding"]["question"]["en"]  # the finding's question as the report states it
    assert record[steps["submission"] - 1].result["on_entry"] == 1
    answer = record[steps["answers"][0] - 1]
    assert answer.party == "expert (technician)" and answer.result["technician"] == "expert"
    assert answer.result["key_fingerprint"] == s.sealing_key(t["expert"])
    assert answer.result["signed"]["algorithm"] == "Ed25519"
    challenges = s.challenges(t["defence"], h)
    assert len(challenges) == steps["findings"]
    first = challenges[0]
    assert [entry for entry, *_ in first.submissions] == [steps["objection"]]
    assert first.answers[0][1] == "expert" and first.disposition == (steps["dispositions"][0], "upheld", "第1项理由")
    assert all(c.disposition is not None for c in challenges) and s.verify(t["appeal"], h).ok


def test_each_finding_is_disposed_of_once_and_only_by_the_judge(heard, engine, small_model) -> None:
    court = build_court(engine, small_model.folder)
    s, t, h = court.service, court.tokens, court.hearing_id
    s.query(t["defence"], h, "report", {"tier": "deep"})
    ref = {"entry": 1, "number": 1}
    with pytest.raises(AccessDeniedError, match=r"only judge"):
        s.state(t["defence"], h, "finding_disposition", {"finding": ref, "disposition": "upheld", "reasons": "x"})
    with pytest.raises(InputError, match=r"'reasons' is required"):
        s.state(t["judge"], h, "finding_disposition", {"finding": ref, "disposition": "upheld", "reasons": " "})
    with pytest.raises(InputError, match=r"finding 1\.99: is no finding of a report in this record"):
        s.state(t["judge"], h, "finding_disposition", {"finding": {"entry": 1, "number": 99},
                                                       "disposition": "upheld", "reasons": "x"})  # fmt: skip
    with pytest.raises(InputError, match=r"on_entry 7: is no entry of this record"):
        s.state(t["defence"], h, "party_submission", {"kind": "submission", "text": "x", "on_entry": 7})
    _, seq = s.state(t["judge"], h, "finding_disposition", {"finding": ref, "disposition": "rejected",
                                                            "reasons": "经技术人员说明"})  # fmt: skip
    with pytest.raises(InputError, match=rf"disposed of it at entry {seq}"):
        s.state(t["judge"], h, "finding_disposition", {"finding": ref, "disposition": "upheld", "reasons": "x"})
    with pytest.raises(AccessDeniedError):
        s.answer_finding(t["defence"], h, ref, "answer", "x")


def test_an_answer_signed_for_another_finding_or_text_is_refused(heard, small_adapter, bundled_cases) -> None:
    """The operation (run again on replay) checks the signature over case, model, finding and answer."""
    registry = full_registry()
    case = next(c for c in bundled_cases if c.case_id.startswith("theft"))
    key = generate_sealing_key("a key passphrase")
    private = unlock_private_key(key.encrypted_private_key, "a key passphrase")
    finding = {"entry": 1, "number": 1, "kind": "legally_irrelevant_factor_moves_recommendation",
               "title": {"zh-CN": "标题", "en": "t"},
               "question": {"zh-CN": "问题", "en": "q"}}  # fmt: skip
    payload = answer_payload(case.case_id, small_adapter.identity.sha256 or "", finding, "回答", "expert")
    parameters = {"made_by": "technician", "technician": "expert", "finding": finding, "answer": "回答",
                  "public_key": key.public_pem.decode(), "signature": sign_detached(private, payload)}  # fmt: skip
    context = OperationContext(model=small_adapter, seed=0)
    assert registry.run("technician_answer", case, parameters, context).result["key_fingerprint"] == key.fingerprint
    for changed in ({"answer": "另一个回答"}, {"finding": {**finding, "number": 2}}, {"technician": "someone"}):
        with pytest.raises(OperationInputError, match=r"'signature': the signature does not hold"):
            registry.run("technician_answer", case, {**parameters, **changed}, context)
    with pytest.raises(OperationInputError, match=r"only technician may make this statement"):
        registry.run("technician_answer", case, {**parameters, "made_by": "defence"}, context)


def test_the_hearing_of_the_algorithm_is_sealed_verified_and_replayed(heard) -> None:
    _, steps, sealed, published, docket, _ = heard
    anchors = TrustAnchors.from_published(published)
    verdict = verify_pack(sealed.path, anchors, docket)
    assert verdict.ok, [c.detail for c in verdict.failed]
    record = next(c for c in verdict.checks if c.name == "record").detail
    assert f"{steps['findings']} challenge finding(s) each disposed of by the court" in record
    assert f"{steps['findings']} signed technician's answer(s)" in record
    replayed = replay_pack(sealed.path, anchors, docket=docket)
    assert replayed.ok and not [q for q in replayed.queries if q.match is not Match.EXACT]
    operations = [q.operation for q in replayed.queries]
    assert operations.count("technician_answer") == steps["findings"]
    assert operations.count("finding_disposition") == steps["findings"]


def test_an_answer_whose_key_the_court_did_not_publish_does_not_verify(heard, tmp_path) -> None:
    """The key list without the technician's key: the pack's own signature still holds, the answers do not."""
    _, _, sealed, published, docket, _ = heard
    copy = tmp_path / "published"
    shutil.copytree(published, copy)
    sealers = copy / "sealers.tsv"
    sealers.write_text("".join(line for line in sealers.read_text(encoding="utf-8").splitlines(keepends=True)
                               if "\ttechnician\t" not in line), encoding="utf-8")  # fmt: skip
    verdict = verify_pack(sealed.path, TrustAnchors.from_published(copy), docket)
    failed = {c.name: c.detail for c in verdict.failed}
    assert list(failed) == ["record"] and "the technician's key" in failed["record"]
    assert "is not one the court published" in failed["record"]
