"""Every page of the app through Streamlit's AppTest, on a real store and the small reference model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.hearing.store_fixtures import PASSWORD, build_plea_court

APP = str(Path(__file__).resolve().parents[2] / "hearing" / "app.py")


def _app(court, user: str | None, page: str | None = None, language: str = "zh-CN") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["language"] = language
    if user:
        at.session_state["token"] = court.tokens[user]
    at.run()
    if page:
        at.switch_page(page)
        at.run()
    assert not at.exception, at.exception
    return at


def test_login_page(court_url) -> None:
    at = _app(court_url, None)
    at.text_input(key="login_username").input("defence")
    at.text_input(key="login_password").input("wrong password")
    submit = next(b for b in at.button if b.label == "登录")
    submit.click().run()
    assert at.error and "wrong user name or password" in at.error[0].value
    at.text_input(key="login_password").input(PASSWORD)
    next(b for b in at.button if b.label == "登录").click().run()
    assert at.session_state["token"] and not at.exception


def test_case_page_and_standard_report_in_both_languages(court_url) -> None:
    at = _app(court_url, "defence", "app_pages/case.py")
    assert any("盗窃罪" in s.value for s in at.subheader)
    assert at.expander  # a defence lawyer is cleared to see the client's identity
    assert [m.label for m in at.metric] == ["算法建议", "指导意见", "差距（算法 − 指导意见）"]
    gap = at.metric[2].value  # algorithm − guideline, labelled; the band's verdict in words beneath, never cut off
    assert gap.endswith("个月") and gap[0] in "+-"
    assert any(c.value in ("在法官裁量区间内", "超出法官裁量区间") for c in at.caption)
    english = _app(court_url, "prosecution", "app_pages/case.py", language="en")
    assert any("theft" in s.value for s in english.subheader)
    assert english.metric[2].value.endswith("months")
    assert any(c.value in ("inside the judge's band", "OUTSIDE the judge's band") for c in english.caption)
    service, tokens, hearing = court_url.service, court_url.tokens, court_url.hearing_id
    assert service.record(tokens["judge"], hearing) == []  # reading the standard report enters nothing
    at.button(key="escalate").click().run()  # escalating does, once
    assert [(e.operation, e.parameters["tier"]) for e in service.record(tokens["judge"], hearing)] == [
        ("report", "deep")
    ]
    deep = service.report(tokens["defence"], hearing, "deep")
    pdf = service.report_pdf(tokens["defence"], hearing, deep, "en")
    assert pdf.startswith(b"%PDF") and deep.seq == 1


def test_whatif_bench_in_open_court_and_in_private(court_url) -> None:
    at = _app(court_url, "defence", "app_pages/whatif.py")
    assert at.radio(key="whatif_mode").value == "private"  # private preparation unless the party chooses the record
    at.checkbox(key="whatif_restitution").uncheck().run()
    assert any("退赃、退赔: 是 → 否" in m.value for m in at.markdown)  # what changed, in words
    at.button(key="whatif_ask").click().run()
    assert at.table and not at.exception  # the case as it stands beside the changed one
    at.radio(key="whatif_mode").set_value("open").run()
    at.button(key="whatif_ask").click().run()
    service, tokens = court_url.service, court_url.tokens
    assert [e.operation for e in service.record(tokens["judge"], court_url.hearing_id)] == ["whatif"]
    assert [w.operation for w in service.workspace(tokens["defence"], court_url.hearing_id)] == ["whatif"]
    assert service.workspace(tokens["prosecution"], court_url.hearing_id) == []


def test_search_page(court_url) -> None:
    at = _app(court_url, "prosecution", "app_pages/search.py")
    assert at.radio(key="search_kind").options == ["低于", "不低于", "区间内"]
    at.number_input(key="search_below").set_value(4.0).run()
    at.button(key="search_go").click().run()
    assert at.table and not at.exception


def test_findings_page_shows_the_latest_deep_report(court_url) -> None:
    at = _app(court_url, "defence", "app_pages/findings.py")
    assert at.info
    court_url.service.query(court_url.tokens["defence"], court_url.hearing_id, "report", {"tier": "deep"})
    at = _app(court_url, "defence", "app_pages/findings.py", language="en")
    assert any("Criminal Law art. 4" in c.value for c in at.caption) or at.markdown


def test_record_page_verifies(court_url) -> None:
    court_url.service.query(court_url.tokens["defence"], court_url.hearing_id, "predict", {})
    at = _app(court_url, "judge", "app_pages/record.py")
    assert len(at.expander) == 1 and "模型建议刑期" in at.expander[0].label  # the entry in words, not raw JSON
    assert any("算法建议" in m.value and "个月" in m.value for m in at.markdown)
    at.button(key="record_verify").click().run()
    assert at.success and "记录完整" in at.success[0].value


def test_ruling_and_closing_then_deviation(court_url) -> None:
    at = _app(court_url, "judge", "app_pages/ruling.py")
    at.text_area(key="ruling_liability").input("盗窃数额一万二千元")
    at.text_area(key="ruling_prevention").input("自首、退赃、认罪认罚")
    assert at.number_input(key="ruling_adopted").value is None  # no term is filled in for the judge
    next(b for b in at.button if b.label == "核对引用说明").click().run()
    assert at.error and "请填写宣告刑" in at.error[0].value
    at.number_input(key="ruling_adopted").set_value(12.0)
    next(b for b in at.button if b.label == "核对引用说明").click().run()
    assert court_url.service.record(court_url.tokens["judge"], court_url.hearing_id) == []  # reviewing enters nothing
    at.button(key="ruling_confirm").click().run()
    # 12 months departs from the small model's suggestion (6.6 months) by more than 20%: it needs reasons
    assert at.error and at.error[0].value.startswith("偏离算法建议的理由：缺少必要事实")
    at.text_area(key="ruling_reasons").input("被告人系初犯，积极退赔")
    next(b for b in at.button if b.label == "核对引用说明").click().run()
    at.button(key="ruling_confirm").click().run()
    assert not at.exception and not at.error
    assert court_url.service.hearing_state(court_url.tokens["judge"], court_url.hearing_id) == "ruled"
    assert at.button(key="ruling_close").disabled  # closing asks for confirmation first
    # amended before closing: the judge's own words and term, the same checks (departing still needs reasons)
    assert at.text_area(key="amend_liability").value == "盗窃数额一万二千元"
    at.number_input(key="amend_adopted").set_value(11.0)
    at.text_area(key="amend_reasons").input("")
    next(b for b in at.button if b.label == "保存修改").click().run()
    assert at.error and at.error[0].value.startswith("偏离算法建议的理由")
    at.text_area(key="amend_reasons").input("被告人系初犯，积极退赔，酌减一个月")
    next(b for b in at.button if b.label == "保存修改").click().run()
    assert (
        not at.error and court_url.service.ruling(court_url.tokens["judge"], court_url.hearing_id).adopted_months == 11
    )
    assert court_url.service.audit_log(court_url.tokens["clerk"])[0].action == "citation amended"
    at.checkbox(key="ruling_close_sure").check().run()
    at.button(key="ruling_close").click().run()
    assert court_url.service.hearing_state(court_url.tokens["judge"], court_url.hearing_id) == "closed"
    deviation = _app(court_url, "judge", "app_pages/deviation.py")
    rulings = deviation.table[0].value  # the ruling itself: hearing, day, suggestion, sentence, adjustment
    assert rulings["庭审"].tolist() == ["#1"] and rulings["宣告刑（月）"].tolist() == ["11"]  # as amended
    assert deviation.info and "(1)" in deviation.info[0].value  # one ruling: no conclusion drawn, no chart


@pytest.fixture
def plea_court(tmp_path, small_model, monkeypatch):
    from hearing.store import make_engine, migrate

    url = f"sqlite:///{tmp_path / 'plea.sqlite'}"
    monkeypatch.setenv("VOIRDIRE_DATABASE_URL", url)
    engine = make_engine(url)
    migrate(engine)
    return build_plea_court(engine, small_model.folder)


def test_each_party_enters_its_own_negotiation_statements(plea_court) -> None:
    court = plea_court
    prosecution = _app(court, "prosecution", "app_pages/negotiation.py", language="en")
    assert prosecution.selectbox(key="offer_kind").options == ["the procuratorate's offer",
                                                               "the procuratorate's adjusted proposal"]  # fmt: skip
    prosecution.number_input(key="offer_low").set_value(12.0)
    prosecution.number_input(key="offer_high").set_value(14.0)
    prosecution.button[0].click().run()
    assert not prosecution.error and "Entered in the record as entry #1" in prosecution.success[0].value
    duty = _app(court, "duty", "app_pages/negotiation.py")
    duty.radio(key="opinion_stance").set_value("objects")
    duty.text_area(key="opinion_text").input("审判阶段认罪，建议偏重")
    next(b for b in duty.button if b.key is not None and "proposal_opinion" in b.key).click().run()
    assert not duty.error and duty.success
    duty.number_input(key="offer_low").set_value(14.0)  # a range upside down: refused by name
    duty.number_input(key="offer_high").set_value(12.0)
    next(b for b in duty.button if b.key is not None and "negotiation_offer" in b.key).click().run()
    assert duty.error and "terms.term_months" in duty.error[0].value and "upside down" in duty.error[0].value
    record = court.service.record(court.tokens["judge"], court.hearing_id)
    assert [(e.operation, e.party) for e in record] == [("negotiation_offer", "prosecution (prosecution)"),
                                                         ("proposal_opinion", "duty (duty_lawyer)")]  # fmt: skip
    assert record[0].result["standing"]["inside_band"] is False


def test_the_judge_decides_on_the_proposal_of_a_plea_case(plea_court) -> None:
    court = plea_court
    at = _app(court, "judge", "app_pages/ruling.py", language="en")
    assert any("12–14 months" in i.value for i in at.info)  # the proposal beside the form
    at.text_area(key="ruling_liability").input("amount stolen ¥9,000")
    at.text_area(key="ruling_prevention").input("confession; plea at trial")
    at.text_area(key="ruling_reasons").input("the guideline at the stage of the plea")
    at.number_input(key="ruling_adopted").set_value(9.0)
    at.selectbox(key="ruling_decision").set_value("rejected")
    next(b for b in at.button if b.label == "Review the citation").click().run()
    at.button(key="ruling_confirm").click().run()
    assert at.error and "'reasons' is required" in at.error[0].value  # a rejection gives its reasons
    at.text_area(key="ruling_decision_reasons").input("the procuratorate did not adjust a clearly improper proposal")
    next(b for b in at.button if b.label == "Review the citation").click().run()
    at.button(key="ruling_confirm").click().run()
    assert at.error and "'ground' must be one of" in at.error[0].value  # and names its ground (art. 201)
    at.selectbox(key="ruling_ground").set_value("clearly_improper")
    next(b for b in at.button if b.label == "Review the citation").click().run()
    at.button(key="ruling_confirm").click().run()
    assert not at.exception and not at.error
    ruling = court.service.ruling(court.tokens["judge"], court.hearing_id)
    assert ruling.proposal_decision["decision"] == "rejected" and ruling.proposal_decision["ground"]["id"] == (
        "clearly_improper"
    )
    assert any("the proposal is not adopted" in m.value for m in at.markdown)


def test_pages_by_role(court_url) -> None:
    technologist = _app(court_url, "tech", "app_pages/models.py")
    assert technologist.expander and "sha256" in " ".join(m.value for m in technologist.markdown)
    with pytest.raises(ValueError, match="Could not find a navigation page"):  # the technologist hears no case
        technologist.switch_page("app_pages/case.py")
    defence = AppTest.from_file(APP, default_timeout=120)
    defence.session_state["token"] = court_url.tokens["defence"]
    defence.run()
    with pytest.raises(ValueError, match="Could not find a navigation page"):  # not among a defence lawyer's pages
        defence.switch_page("app_pages/ruling.py")


def test_the_judge_seals_a_closed_hearing_from_the_ruling_page(court_url, tmp_path, monkeypatch) -> None:
    from hearing.settings import settings_from_environment
    from tests.evidence_pack.conftest import run_hearing

    # The store's field key stays where the court's store found it; the local TSA and the packs go to a new home.
    monkeypatch.setenv("VOIRDIRE_STORE_KEY_FILE", str(settings_from_environment().store_key_path))
    monkeypatch.setenv("VOIRDIRE_HOME", str(tmp_path / "home"))
    run_hearing(court_url, [("defence", "predict", {})])
    at = _app(court_url, "judge", "app_pages/ruling.py")
    assert any("尚未封存" in m.value for m in at.markdown)
    at.text_input(key="key_passphrase").input("short")
    next(b for b in at.button if b.label == "生成我的签名密钥").click().run()
    assert at.error and "at least 8" in at.error[0].value
    at.text_input(key="key_passphrase").input("法官的签名口令 judge's passphrase")
    next(b for b in at.button if b.label == "生成我的签名密钥").click().run()
    assert not at.error and any("签名密钥指纹" in c.value for c in at.caption)
    assert at.info and "尚待法院技术人员审核批准" in at.info[0].value  # no seal form before the court approves the key
    assert not [b for b in at.button if b.label == "封存证据包"]
    court_url.service.certify_sealing_key(court_url.tokens["tech"], "judge")
    at.run()
    at.text_input(key="seal_passphrase").input("not the passphrase")
    next(b for b in at.button if b.label == "封存证据包").click().run()
    assert at.error and "passphrase" in at.error[0].value
    at.text_input(key="seal_passphrase").input("法官的签名口令 judge's passphrase")
    next(b for b in at.button if b.label == "封存证据包").click().run()
    assert not at.exception and at.success and "已封存：第1版" in at.success[0].value
    assert not any("尚未封存" in m.value for m in at.markdown)  # the docket says what it holds, nothing stale
    assert court_url.service.hearing_state(court_url.tokens["judge"], court_url.hearing_id) == "sealed"
    assert list((tmp_path / "home" / "packs").glob("*_pack-v1.tar"))
    assert any("版本 1 · " in m.value for m in _app(court_url, "judge", "app_pages/ruling.py").markdown)


def test_the_clerk_opens_a_hearing_from_an_uploaded_case_file_and_hostile_files_are_refused(court_url) -> None:
    import json

    from sentencing.case import parse_case

    service, tokens = court_url.service, court_url.tokens
    document = service.case(tokens["clerk"], court_url.hearing_id)[0].to_document()
    fresh = parse_case({**document, "case_id": "uploaded-case"}).to_document()
    before = len(service.hearings(tokens["clerk"]))

    def submit(name: str, content: bytes, parties: str = "defence, judge") -> AppTest:
        at = _app(court_url, "clerk", "app_pages/docket.py")
        at.file_uploader(key="case_upload").set_value((name, content, "application/json"))
        at.text_input(key="open_parties").input(parties)
        next(b for b in at.button if b.label == "立案并开庭").click().run()
        assert not at.exception
        return at

    for name, content, said in [
        ("not-json.json", b"{not json", "not-json.json"),  # the file is named, the rule said
        ("list.json", b"[1, 2]", "list.json"),
        ("bad-case.json", json.dumps({**fresh, "charge": "no_such_charge"}).encode(), "charge"),
        ("huge.json", b" " * ((1 << 20) + 1), "huge.json"),
    ]:
        at = submit(name, content)
        assert len(at.error) == 1 and said in at.error[0].value and "\n" not in at.error[0].value, name
    at = submit("uploaded-case.json", json.dumps(fresh).encode(), parties="defence, nobody")
    assert len(at.error) == 1 and "nobody" in at.error[0].value
    assert len(service.hearings(tokens["clerk"])) == before  # nothing half-written: not even the case
    at = submit("uploaded-case.json", json.dumps(fresh).encode())
    assert not at.error and at.success and "#2" in at.success[0].value
    assert [h.case_id for h in service.hearings(tokens["clerk"])][-1] == "uploaded-case"


def test_disputed_fact_versions_typed_by_a_party_are_checked_before_asking(court_url) -> None:
    at = _app(court_url, "defence", "app_pages/contest.py", language="en")
    at.selectbox(key="disputed_factor").set_value("acts").run()
    assert at.button(key="disputed_ask").disabled  # one version (the case as it stands) is not a dispute
    at.text_input(key="disputed_numbers_acts").input("1, abc").run()
    assert at.error and "'abc' is not a number" in at.error[0].value and at.button(key="disputed_ask").disabled
    at.text_input(key="disputed_numbers_acts").input("1, 100000").run()
    assert at.error and "'100000'" in at.error[0].value  # outside the fact's lawful range
    at.text_input(key="disputed_numbers_acts").input("1，3").run()  # a Chinese comma separates as well
    at.button(key="disputed_ask").click().run()
    assert not at.error and len(at.table[0].value) == 2
    assert court_url.service.record(court_url.tokens["judge"], court_url.hearing_id) == []  # private by default


def test_technologist_registers_a_model_audits_it_and_reads_a_judge_s_deviation(court_url, small_model) -> None:
    at = _app(court_url, "tech", "app_pages/models.py", language="en")
    at.text_input(key="register_location").input(str(small_model.folder / "no-such-model"))
    next(b for b in at.button if b.label == "Register a model").click().run()
    assert at.error and "no-such-model" in at.error[0].value and len(at.expander) == 1  # refused, nothing registered
    at.text_input(key="register_location").input(str(small_model.folder))
    next(b for b in at.button if b.label == "Register a model").click().run()
    assert not at.error and "Model registered: #2" in at.success[0].value and len(at.expander) == 2
    judgments = (small_model.folder / "training-data" / "judgments.csv").read_text(encoding="utf-8").splitlines()
    at.file_uploader(key="audit_upload").set_value(
        ("past.csv", "\n".join([*judgments[:5], "x,y"]).encode(), "text/csv")
    )
    at.button(key="audit_go").click().run()
    assert at.error and at.error[0].value.startswith("past.csv") and "voirdire-upload" not in at.error[0].value
    at.file_uploader(key="audit_upload").set_value(("past.csv", "\n".join(judgments[:401]).encode(), "text/csv"))
    at.button(key="audit_go").click().run()
    # the only errors shown are the audit's findings: the small model learned its judgments' injected bias
    assert not at.exception and all("(a legally irrelevant factor)" in e.value for e in at.error), at.error
    assert at.metric[0].value == "400"  # every row audited
    flips = next(table.value for table in at.table if "Factor" in table.value.columns)
    assert (
        "sex: male → female" in flips["Factor"].tolist()
        and "ethnicity: Han → ethnic minority" in flips["Factor"].tolist()
    )
    log = court_url.service.audit_log(court_url.tokens["tech"])
    assert log[0].action == "batch audit" and log[0].detail.startswith("400 cases")
    deviation = _app(court_url, "tech", "app_pages/deviation.py", language="en")
    assert not deviation.exception and any("judge" in c.value for c in deviation.caption)
    assert deviation.info  # no rulings yet: no conclusion drawn


# An indictment of our own writing (no text of a real judgment is ever committed).
INDICTMENT = ("经审理查明：2023年5月，被告人李某在某商场盗窃手机一部，价值人民币5000元。"
              "案发后，被告人李某主动投案，如实供述犯罪事实。被告人李某系累犯。"
              "公诉机关指控被告人李某犯盗窃罪。")  # fmt: skip


def test_clerk_opens_a_hearing_from_a_text_confirmed_fact_by_fact_and_manages_its_parties(court_url) -> None:
    service, tokens = court_url.service, court_url.tokens
    at = _app(court_url, "clerk", "app_pages/docket.py", language="en")
    at.radio(key="intake_source").set_value("text").run()
    at.text_area(key="intake_text").input(INDICTMENT).run()
    at.button(key="intake_read").click().run()
    assert not at.exception and "3 facts read; 6 required facts to supply" in at.info[0].value
    assert any("主动投案" in c.value for c in at.caption)  # each fact beside the sentence it was read from
    at.radio(key="intake_act_amount_yuan").set_value("correct").run()
    at.number_input(key="intake_value_amount_yuan").set_value(4800.0)
    at.radio(key="intake_act_recidivist").set_value("remove")
    assert at.number_input(key="intake_missing_age_at_offence").value is None  # nothing stated for the clerk
    at.number_input(key="intake_missing_age_at_offence").set_value(41)
    at.text_input(key="intake_parties").input("defence, judge")
    at.text_input(key="intake_case_id").input("read-theft-1").run()
    at.button(key="intake_open").click().run()
    assert at.error and "sex" in at.error[0].value.lower()  # a required fact left empty is refused by name
    assert len(court_url.service.hearings(court_url.tokens["clerk"])) == 1  # and nothing was written
    for factor, value in (("sex", "male"), ("household_registration", "local"), ("occupation", "employed"),
                          ("region", "east"), ("ethnicity", "han")):  # fmt: skip
        at.selectbox(key=f"intake_missing_{factor}").set_value(value)
    at.button(key="intake_open").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert "#2" in at.success[0].value
    case, _ = service.case(tokens["judge"], 2)
    values = dict(case.values)
    assert (values["amount_yuan"], values["surrender"], values["recidivist"], values["age_at_offence"]) == (
        4800,
        True,
        False,
        41,
    )
    confirmation = json.loads(case.extraction)["confirmation"]  # the case carries how it was read and confirmed
    assert confirmation["by"] == "clerk" and confirmation["remove"] == ["recidivist"]
    # parties: add the prosecution, withdraw the defence (a change of counsel); an unknown name is refused by name
    assert at.selectbox(key="parties_hearing").value == 2  # the hearing just opened, without choosing it
    at.text_input(key="parties_name").input("prosecution").run()
    at.button(key="party_add").click().run()
    at.text_input(key="parties_name").input("defence").run()
    at.button(key="party_withdraw").click().run()
    assert [name for name, _ in service.parties(tokens["clerk"], 2)] == ["judge", "prosecution"]
    at.text_input(key="parties_name").input("nobody").run()
    at.button(key="party_add").click().run()
    assert at.error and "nobody" in at.error[0].value and "no such user" in at.error[0].value
    assert [a.action for a in service.audit_log(tokens["clerk"])[:2]] == ["party withdrawn", "party added"]
