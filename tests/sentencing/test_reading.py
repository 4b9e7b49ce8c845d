"""The reader: Chinese judgment and indictment texts into a draft case, every fact pointing at its text.

The texts here are written for these tests (no judgment of CAIL2018 is in the project); the real judgments are
read by ``test_reader_agrees_with_hand_labels`` when ``../shared`` is on the machine.
"""

from __future__ import annotations

import contextlib
import json
import re
from importlib import resources
from pathlib import Path

import pytest

from sentencing.case import parse_case
from sentencing.catalogue import FactorValue
from sentencing.errors import CaseValidationError, InputError, InputFileError, Rule
from sentencing.numerals import MONEY_PATTERN, parse_money, parse_number
from sentencing.reading import (
    MAX_TEXT_CHARS,
    Confirmation,
    decode_text,
    parse_confirmation,
    read_text,
    read_text_file,
    rule_descriptions,
)

TEXTS = resources.files("sentencing").joinpath("data/texts")
THEFT = TEXTS.joinpath("theft-indictment.txt").read_text("utf-8")
DRIVING = TEXTS.joinpath("drunk-driving-judgment.txt").read_text("utf-8")
SHARED = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "cail2018-sample" / "cases.jsonl"
LABELS = Path(__file__).resolve().parents[1] / "fixtures" / "judgments" / "cail2018-labels.jsonl"
DEFENDANT: dict[str, FactorValue] = {"age_at_offence": 30, "sex": "male", "household_registration": "local",
                                     "occupation": "employed", "region": "east", "ethnicity": "han"}  # fmt: skip


def values(text: str, charge: str | None = None) -> dict[str, object]:
    return {f.factor: f.value for f in read_text(text, charge=charge).facts}


@pytest.mark.parametrize(("text", "value"), [
    ("一千二百", 1200), ("两万", 20000), ("三十五点五", 35.5), ("1,200", 1200), ("１２３", 123), ("十", 10),
    ("一万零五百", 10500), ("七十", 70), ("一二", None), ("", None), ("abc", None), ("1.2.3", None),
])  # fmt: skip
def test_numbers_in_arabic_and_chinese_numerals(text: str, value: float | None) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize(("text", "value", "approximate"), [
    ("人民币70余万元", 700000, True), ("现金3千元", 3000, False), ("共计32.35万某", 323500, False),
    ("价值5,100元", 5100, False), ("五千元", 5000, False), ("一千多元", 1000, True),
])  # fmt: skip
def test_sums_of_money_with_wan_qian_and_approximations(text: str, value: float, approximate: bool) -> None:
    match = re.search(MONEY_PATTERN, text)
    assert match is not None
    amount = parse_money(match)
    assert amount is not None and (amount.value, amount.approximate) == (value, approximate)


def test_every_fact_points_at_the_characters_it_read() -> None:
    draft = read_text(THEFT)
    assert draft.facts
    for fact in draft.facts:
        assert fact.sources, fact.factor
        for source in fact.sources:
            read = THEFT[source.start : source.end]
            assert read and read in source.quote, (fact.factor, source)
            assert source.rule in rule_descriptions(), source.rule


def test_an_indictment_of_theft_read_fact_by_fact() -> None:
    draft = read_text(THEFT)
    assert (draft.document_kind, draft.charge, draft.province) == ("indictment", "theft", "浙江")
    assert draft.jurisdiction_hint == "default:zhejiang"
    got = {f.factor: f for f in draft.facts}
    amount = got["amount_yuan"]
    assert amount.value == 10000 and amount.sources[0].rule == "amount.total"
    assert THEFT[amount.sources[0].start : amount.sources[0].end] == "10000元"
    assert got["acts"].value == 2 and got["acts"].how == "counted"  # the two numbered acts
    assert got["burglary"].value is True  # 翻窗进入被害人李某家中
    assert got["surrender"].value is True
    assert "confession" not in got  # the confession after surrendering is part of the surrender (art. 67 ¶1)
    assert got["restitution_yuan"].value == 6000 and "restitution" not in got  # a part returned, not all
    assert got["plea_agreement"].value is True
    assert got["age_at_offence"].value == 32 and got["age_at_offence"].how == "derived"  # 1990-05-12 → 2023-03-05
    assert (got["sex"].value, got["ethnicity"].value, got["occupation"].value) == ("male", "han", "unemployed")
    assert got["household_registration"].value == "non_local"  # 安徽 against a court in 浙江
    missing = {m.factor for m in draft.missing}
    assert "recidivist" in missing and not any(m.required for m in draft.missing)


def test_a_drunk_driving_judgment_takes_the_blood_test_over_the_breath_test() -> None:
    draft = read_text(DRIVING)
    got = {f.factor: f for f in draft.facts}
    assert draft.document_kind == "judgment" and draft.charge == "dangerous_driving"
    assert got["blood_alcohol_mg_per_100ml"].value == 182.6 and got["blood_alcohol_mg_per_100ml"].note is not None
    assert got["caused_accident"].value is True and got["unlicensed"].value is True
    assert got["confession"].value == "ordinary" and got["guilty_plea_in_court"].value is True
    assert {m.factor for m in draft.missing if m.required} == {"age_at_offence", "sex", "household_registration",
                                                               "occupation", "ethnicity"}  # fmt: skip


@pytest.mark.parametrize(("text", "factor", "value"), [
    ("经鉴定，被告人血液中乙醇含量为2.13mg/ml，属醉酒驾驶。", "blood_alcohol_mg_per_100ml", 213.0),
    ("被告人血液中乙醇含量为每百毫升141毫克。醉酒驾驶。", "blood_alcohol_mg_per_100ml", 141.0),
    ("被告人醉酒驾驶，血液乙醇含量为137.22mg/lOOml。", "blood_alcohol_mg_per_100ml", 137.22),
    ("被告人窃得被害人现金人民币五千元。", "amount_yuan", 5000.0),
    ("被告人窃得被害人现金2OOO元。", "amount_yuan", 2000.0),
    ("被告人盗窃3次，窃得现金共计人民币4500元。", "acts", 3),
    ("被告人多次盗窃他人财物，价值共计人民币4500元。", "acts", 3),
    ("经鉴定，被害人李某的损伤程度为轻伤一级。", "injury_grade", "minor_1"),
    ("经鉴定，被害人李某所受损伤构成重伤二级，十级伤残。", "disability_grade", 10),
    ("被告人窃得现金1000元后，主动到派出所投案。", "surrender", True),
    ("被告人系累犯。被告人窃得现金1000元，到案后如实供述。", "recidivist", True),
    ("被告人与被害人相互厮打，致被害人轻伤二级。", "mutual_fight", True),
    ("被告人醉酒驾驶，血液中乙醇含量为129.31㎎／100ml。", "blood_alcohol_mg_per_100ml", 129.31),
    ("被告人无证、醉酒驾驶二轮摩托车，血液乙醇含量为124mg/100ml。", "unlicensed", True),
    ("被告人醉酒驾驶摩托车侧滑摔倒，血液乙醇含量为124mg/100ml。", "caused_accident", True),
    ("被告人骗取张某人民币5万元后逃匿。", "fled", True),
    ("被告人将李某打成轻伤二级，接到公安机关电话通知后前往派出所接受讯问。", "surrender", True),
    ("被告人窃得现金人民币36万元，到案后退出赃款人民币36万元。", "restitution", True),
    ("被告人以假名骗取王某现金人民币2000元、骗取李某现金人民币3000元。", "fraud_victims", 2),
    ("被告人醉酒驾驶，被交警拦下，经检测血液乙醇含量为150mg/100ml，因被害人先动手", "victim_fault", None),
])  # fmt: skip
def test_one_rule_at_a_time(text: str, factor: str, value: object) -> None:
    assert values(text).get(factor) == value  # None: not read (the rule does not apply to this charge)


def test_the_legal_threshold_quoted_is_not_the_defendants_alcohol() -> None:
    got = values("被告人醉酒驾驶，血液中乙醇含量达0.82mg／ml（82mg／100ml），高于醉酒驾驶0.8mg／ml的标准。")
    assert got["blood_alcohol_mg_per_100ml"] == 82.0


def test_a_negated_circumstance_is_read_as_absent() -> None:
    got = values("被告人窃得现金人民币3000元。被告人未能取得被害人谅解。被告人不构成自首。")
    assert got["surrender"] is False and got["compensation"] == "none"


def test_an_ungraded_injury_is_not_given_a_grade_and_that_is_said() -> None:
    draft = read_text("经鉴定，被害人王某的损伤程度为轻伤。")
    assert draft.fact("injury_grade") is None and "injury_grade" in {m.factor for m in draft.missing}
    injured = draft.fact("minor_injuries")
    assert injured is not None and injured.value == 1
    assert any("does not grade" in note.en for note in draft.notes)


def test_contradictory_mentions_are_reported_and_must_be_settled() -> None:
    text = "公诉机关认为，被告人窃得现金人民币3000元，系自首。本院认为，被告人不构成自首。"
    draft = read_text(text)
    (contradiction,) = draft.contradictions
    assert contradiction.factor == "surrender" and set(contradiction.values) == {True, False}
    assert len(contradiction.sources) == 2 and draft.fact("surrender") is None
    with pytest.raises(InputError) as refused:
        draft.case_document(Confirmation(by="defence", confirm_all=True))
    assert refused.value.field == "surrender" and refused.value.rule == Rule.CONTRADICTION
    settled = draft.case_document(Confirmation(by="judge", confirm_all=True,
                                               set=(("surrender", False), *DEFENDANT.items())))  # fmt: skip
    assert parse_case(settled).flag("surrender") is False


def test_a_fact_read_but_not_confirmed_is_refused_by_name() -> None:
    draft = read_text(THEFT)
    with pytest.raises(InputError) as refused:
        draft.case_document(Confirmation(by="defence", confirm=("amount_yuan",)))
    assert refused.value.field == "acts" and "not confirmed" in str(refused.value)


def test_a_missing_required_fact_stops_the_case_naming_it() -> None:
    document = read_text(DRIVING).case_document(Confirmation(by="defence", confirm_all=True))
    with pytest.raises(CaseValidationError) as refused:
        parse_case(document)
    assert {v.field for v in refused.value.violations} >= {"age_at_offence", "sex"}


def test_the_confirmed_case_carries_its_extraction_record() -> None:
    draft = read_text(DRIVING)
    confirmation = Confirmation(by="defence", confirm_all=True, set=tuple(DEFENDANT.items()), case_id="chen-dd")
    case = parse_case(draft.case_document(confirmation))
    record = case.to_document()["extraction"]
    assert record["text_sha256"] == draft.text_sha256 and record["confirmation"]["by"] == "defence"
    assert {f["field"] for f in record["facts"]} >= {"blood_alcohol_mg_per_100ml", "caused_accident"}
    assert "recidivist" in record["confirmation"]["defaulted"]  # said, not silent
    assert parse_case(case.to_document()) == case  # the record survives the canonical form
    assert "extraction" not in case.with_changes({"caused_accident": False}).to_document()  # a what-if is not the text


def test_a_tampered_extraction_record_is_refused_naming_the_field() -> None:
    draft = read_text(DRIVING)
    document = draft.case_document(Confirmation(by="defence", confirm_all=True, set=tuple(DEFENDANT.items())))
    document["extraction"]["facts"][0]["sources"][0]["end"] = 10**9
    with pytest.raises(CaseValidationError) as refused:
        parse_case(document)
    assert refused.value.violations[0].field.startswith("extraction.facts[0].sources[0]")
    document["extraction"] = {"schema_version": "9"}
    with pytest.raises(CaseValidationError):
        parse_case(document)


@pytest.mark.parametrize(("text", "rule"), [
    ("x" * (MAX_TEXT_CHARS + 1), Rule.FILE_TOO_LARGE), ("盗窃\x00", Rule.INVALID_TEXT),
    ("no Chinese here", Rule.INVALID_TEXT),
])  # fmt: skip
def test_hostile_text_is_refused_in_one_line(text: str, rule: Rule) -> None:
    with pytest.raises(InputError) as refused:
        read_text(text)
    assert refused.value.rule == rule and "\n" not in str(refused.value) and len(str(refused.value)) < 300


@pytest.mark.parametrize(("text", "says"), [
    ("   ", "empty"), ("被告人于2020年1月1日到本院。", "does not decide the charge"),
    ("被告人犯盗窃罪，又犯诈骗罪。", "several charges"),
])  # fmt: skip
def test_a_text_without_one_charge_is_refused_saying_what_is_missing(text: str, says: str) -> None:
    with pytest.raises(InputError) as refused:
        read_text(text)
    assert says in str(refused.value) and "\n" not in str(refused.value)
    if "charge" in says:
        assert refused.value.field == "charge" and read_text(text, charge="theft").charge == "theft"


def test_a_text_file_in_gb18030_is_read_and_bytes_that_are_no_text_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "judgment.txt"
    path.write_bytes(THEFT.encode("gb18030"))
    assert read_text_file(str(path)) == THEFT
    with pytest.raises(InputFileError) as refused:
        decode_text(b"\xff\xfe\x00\x00\x81", "bad.txt")
    assert refused.value.rule == Rule.INVALID_TEXT


@pytest.mark.parametrize(("document", "field"), [
    ({"schema_version": "1.0", "by": "defence", "surprise": 1}, "surprise"),
    ({"schema_version": "1.0", "by": "a b\n"}, "by"),
    ({"schema_version": "2.0", "by": "defence"}, "schema_version"),
    ({"schema_version": "1.0", "by": "defence", "set": {"amount_yuan": [1]}}, "set.'amount_yuan'"),
    ({"schema_version": "1.0", "by": "defence", "confirm": "some"}, "confirm"),
])  # fmt: skip
def test_a_bad_confirmation_file_is_refused_naming_the_field(document: dict[str, object], field: str) -> None:
    with pytest.raises(InputError) as refused:
        parse_confirmation(document, "c.json")
    assert field in refused.value.field


def test_unknown_factor_in_a_confirmation_is_refused() -> None:
    confirmation = parse_confirmation({"schema_version": "1.0", "by": "defence", "confirm": "all",
                                       "set": {"amount": 1}}, "c.json")  # fmt: skip
    with pytest.raises(InputError) as refused:
        read_text(THEFT).case_document(confirmation)
    assert refused.value.field == "amount" and refused.value.rule == Rule.UNKNOWN_FIELD


@pytest.mark.skipif(not SHARED.is_file(), reason="the shared CAIL2018 judgments are not on this machine")
def test_reader_agrees_with_hand_labels_on_real_judgments() -> None:
    """Floors under the agreement measured on the 273 hand-labelled CAIL2018 judgments (bench/bench_reader.py)."""
    with SHARED.open(encoding="utf-8") as lines:
        texts = {row["id"]: row for row in map(json.loads, lines)}
    with LABELS.open(encoding="utf-8") as lines:
        labels = [json.loads(line) for line in lines]
    agree: dict[str, list[bool]] = {}
    charge_right = 0
    for label in labels:
        judgment = texts[label["id"]]
        with contextlib.suppress(InputError):  # no charge the reader can decide: counted as wrong
            charge_right += read_text(judgment["fact"]).charge == label["charge"]
        got = values(judgment["fact"], label["charge"])
        for factor, want in {**label.get("facts", {}), **label.get("circumstances", {})}.items():
            value = got.get(factor)
            numeric = isinstance(want, float | int) and not isinstance(want, bool) and isinstance(value, float | int)
            same = value == want or (numeric and abs(value - want) <= 0.01 * max(want, 1))
            agree.setdefault(factor, []).append(same)

    def share(factor: str) -> float:
        return sum(agree[factor]) / len(agree[factor])

    assert charge_right / len(labels) >= 0.85
    assert share("blood_alcohol_mg_per_100ml") >= 0.9 and share("amount_yuan") >= 0.7
    assert share("surrender") >= 0.8 and share("minor_injuries") >= 0.8 and share("recidivist") >= 0.9


def test_confirming_on_the_terminal_fact_by_fact() -> None:
    from cli.commands.reading import confirm_interactively

    draft = read_text("公诉机关认为，被告人醉酒驾驶，血液中乙醇含量为150mg/100ml，系自首。本院认为，被告人不构成自首。")
    prompts: list[str] = []
    answers = iter(["", "否", "30", "male", "local", "employed", "east", "han"])

    def ask(prompt: str) -> str:
        prompts.append(prompt)
        return next(answers)

    confirmation = confirm_interactively(draft, ask, "defence", "zh-CN")
    assert confirmation.confirm == ("blood_alcohol_mg_per_100ml",)
    assert "surrender" in confirmation.remove  # the contradiction settled: not found
    assert dict(confirmation.set)["age_at_offence"] == 30
    assert "读取为" in prompts[0] and "相互矛盾" in prompts[1] and "必需" in prompts[2]
    case = parse_case(draft.case_document(confirmation))
    assert case.flag("surrender") is False and case.number("blood_alcohol_mg_per_100ml") == 150


@pytest.mark.parametrize(("text", "value"), [
    ("被告人入户窃得现金1000元后，因害怕而自动放弃，系犯罪中止，未造成损失。", "without_harm"),
    ("被告人持刀将被害人李某砍成轻伤后主动停止，系犯罪中止，造成被害人受伤。", "with_harm"),
])  # fmt: skip
def test_discontinuance_with_or_without_harm(text: str, value: str) -> None:
    assert values(text)["discontinuance"] == value


def test_the_plea_stage_is_said_beside_the_plea() -> None:
    draft = read_text("被告人窃得现金3000元。被告人在审查起诉阶段自愿认罪认罚，签署具结书。")
    assert draft.fact("plea_agreement") is not None
    assert any("审查起诉阶段" in note.zh for note in draft.notes)


def test_injuries_listed_respectively_belong_to_each_person() -> None:
    got = values("经鉴定，被害人徐某戊、李某丁、徐某己的伤势分别为重伤、轻伤、轻微伤。")
    assert (got["serious_injuries"], got["minor_injuries"], got["slight_injuries"]) == (1, 1, 1)


@pytest.mark.parametrize(("text", "factor", "value"), [
    ("被告人以借款为名从许某、卢某二人处分别骗得人民币15,000元、6,000元。", "amount_yuan", 21000.0),
    ("被告人骗取郑某人民币12000元。公诉机关出示了下列证据：1.被害人陈述，证明我给了她人民币12000元。公诉机关认为，"
     "被告人构成诈骗罪。", "amount_yuan", 12000.0),
    ("被告人骗取张某人民币11万元，后向张某打了欠条11万元。", "amount_yuan", 110000.0),
    ("被告人醉驾与他人车辆相撞，乙醇含量为174mg/100ml，明知他人报警而在现场等候，到案后如实供述。", "surrender", True),
    ("经鉴定，被害人孙某的损伤为轻伤二级。被害人孙某对案件引发不存在过错。", "victim_fault", None),
    ("被害人王某先用拳头打了被告人一拳，被告人将王某打成轻伤二级。", "victim_fault", True),
])  # fmt: skip
def test_rules_learned_from_the_blind_parts(text: str, factor: str, value: object) -> None:
    assert values(text).get(factor) == value


@pytest.mark.parametrize(("text", "charge", "factor", "value"), [
    # a total already stated, said again in the legal qualification, is not counted twice
    ("被告人先后多次骗取王某钱款，共计金额为96247元。公诉机关认为，被告人诈骗金额96247元，系数额较大。",
     "fraud", "amount_yuan", 96247.0),
    # the acts' sums added up by the text without 共计
    ("被告人分别于2015年11月11日、2016年1月8日骗取被害人人民币5万元、1.4万元。被告人将骗取的6.4万元挥霍。",
     "fraud", "amount_yuan", 64000.0),
    # the group's total, then the defendant's own part
    ("被告人单独或者伙同他人共骗取他人人民币7370元。另查明，该团伙在此期间共骗取被害人人民币42840元，其中被告人杨某共"
     "骗取他人人民币1530元。", "fraud", "amount_yuan", 8900.0),
    # the object of the act, whatever it is called (补偿款 is otherwise no amount)
    ("被告人利用伪造的批复签订协议，骗取动迁补偿款人民币214120.2元。", "fraud", "amount_yuan", 214120.2),
    # a sum the pretext asked for is not a sum taken
    ("被告人谎称需疏通关系的费用人民币7万元。被害人分三次给被告人人民币共69500元。", "fraud", "amount_yuan", 69500.0),
    # the sum on a loan note signed for the same loan
    ("被告人从丁某手中骗取借款人民币40000元，他人各签订了一份人民币40000元的借据。", "fraud", "amount_yuan", 40000.0),
    # the numbered items of a list of evidence are not acts; the legal qualification restates the sum of the acts
    ("被告人盗窃价值1300元的香烟。同月，被告人盗窃香烟，价值1030元。公诉机关当庭出示了下列证据：1、书证。2、证人证言。"
     "公诉机关认为，被告人多次盗窃财物，价值2330元，数额较大。", "theft", "amount_yuan", 2330.0),
])  # fmt: skip
def test_amounts_learned_from_the_fourth_blind_part(text: str, charge: str, factor: str, value: object) -> None:
    assert values(text, charge).get(factor) == value


def test_a_text_with_several_crimes_reads_the_amount_in_the_charges_own_section() -> None:
    text = ("公诉机关指控，\n一、诈骗\n1、2012年10月，被告人骗取董某的银行承兑汇票两张共计人民币200万元。\n"
            "2、2014年1月，被告人将陈某交给其出售的越野车（价值305607元）占为己有。\n二、抽逃出资\n"
            "被告人申请将公司注册资本变更为1000万元，同日将转入的人民币899.95万元予以抽逃。\n")  # fmt: skip
    got = values(text, "fraud")
    assert got["amount_yuan"] == 2305607.0 and got["acts"] == 2


@pytest.mark.parametrize(("text", "value"), [
    ("经鉴定，被告人血液中酒精含量为231.1mg／ml，属醉酒驾驶。", 231.1),      # no one lives at 23,110 mg/100ml
    ("经鉴定，被告人血液酒精含量为128.93g／100ml，属醉酒驾驶。", 128.93),    # g for mg
    ("经鉴定，被告人血液中乙醇含量为0.12g/100ml，属醉酒驾驶。", 120.0),      # a real g/100ml
    ("经鉴定，被告人血液中乙醇含量为1.5mg/ml，属醉酒驾驶。", 150.0),         # a real mg/ml
    # the breath test names itself; the blood sample taken afterwards does not make it a blood test
    ("现场呼气式酒精检测仪检测出被告人体内乙醇含量为90.9mg／100ml，遂被带至医院抽取血样。经检验，被告人血液中乙醇浓度"
     "为107mg／100mL。", 107.0),
])  # fmt: skip
def test_blood_alcohol_as_the_texts_write_it(text: str, value: float) -> None:
    assert values(text, "dangerous_driving")["blood_alcohol_mg_per_100ml"] == value


@pytest.mark.parametrize(("text", "factor", "value"), [
    ("被告人将范某打致轻伤（二级）。", "injury_grade", "minor_2"),
    ("经鉴定，被害人的损伤程度为重伤(一级)。", "injury_grade", "serious_1"),
    # a fight: the defendant's side in it, or only others
    ("被告人赵某因琐事与被害人刘某发生口角，继而相互推搡，后被告人持刀将刘某砍伤，经鉴定属轻伤二级。", "mutual_fight",
     True),
    ("被害人董某到陈某甲家门前与陈某甲及其妻子袁某发生争吵，继而董某与袁某相互撕打。期间，被告人陈某甲从袁某身后向董某"
     "左眼打一拳，经鉴定构成重伤二级。", "mutual_fight", None),
    ("被告人韩某在门口找到范某，两人发生厮打，韩某将范某打致轻伤二级。", "mutual_fight", True),
    # compensation: a resettlement payment, documents listed as evidence, a civil part settled
    ("被告人为多得拆迁补偿款伪造批复，经鉴定被害人损伤为轻伤二级。", "compensation", None),
    ("被告人将被害人打致轻伤一级。案发后，被告人家属与被害人达成赔偿协议，并支付赔偿款人民币35500元。公诉机关提交了下列"
     "证据予以证明：抓获经过；收条；赔偿谅解协议书；户籍证明。", "compensation", "compensation_only"),
    ("被告人将被害人打致轻伤二级。民事部分已和解。", "compensation", "compensation_only"),
])  # fmt: skip
def test_injury_rules_learned_from_the_fourth_blind_part(text: str, factor: str, value: object) -> None:
    assert values(text, "intentional_injury").get(factor) == value


@pytest.mark.parametrize(("text", "value"), [
    ("被告人骗取被害人人民币6.4万元。被告人归案后，其家属代其返还了全部赃款。", True),
    ("被告人骗取被害人人民币6.4万元。案发后，公安机关在被告人处追回赃款2800元并发还给被害人。", None),
    ("被告人伙同他人骗取被害人人民币48万元。现同案犯已退回部分赃款。", None),
])  # fmt: skip
def test_restitution_is_what_the_defendant_returned_and_all_of_it(text: str, value: object) -> None:
    assert values(text, "fraud").get("restitution") == value


def test_a_pretext_decides_the_charge_only_where_no_stronger_sign_is_shown() -> None:
    masked = "被告人以有事用车为由将曹某的轿车借走，次日将车抵押给他人，得款20000元。"
    draft = read_text(masked)
    assert draft.charge == "fraud" and draft.charge_source is not None
    assert draft.charge_source.rule == "charge.weak_sign.fraud" and draft.charge_source.rule in rule_descriptions()
    # theft by a trick: the pretext is there, and so is the taking
    assert read_text("被告人以帮助操作为由接近被害人，趁其不备将银行卡盗走，取出现金2000元。").charge == "theft"


@pytest.mark.parametrize(("text", "factor", "value"), [
    # the sums go with the dates listed before them, in order: two occasions
    ("被告人于2015年12月25日、12月26日骗取张某人民币20000元、6000元。", "acts", 2),
    ("被告人于2015年12月25日、12月26日骗取张某人民币20000元、6000元。", "amount_yuan", 26000.0),
    # the victims as the text counts them where the deception is said, over the names it gives
    ("被告人通过中介人孙某、钱某骗取罗某某、张某某等41人共计819300元。", "fraud_victims", 41),
    ("被告人以开网店为由××受害人33人，××金额90000余元。", "fraud_victims", 33),
    ("被告人编造做工程需要开支等事由，共骗取四被害人现金33万余元。", "fraud_victims", 4),
])  # fmt: skip
def test_acts_and_victims_as_the_text_counts_them(text: str, factor: str, value: object) -> None:
    assert values(text, "fraud").get(factor) == value


GIVEN_UP = (
    "被告人先后以各种理由骗取张某人民币22000元及张某从他人处借的人民币50000元。2013年春，双方约定由被告人"
    "返还张某所借的钱款50000元，其余的22000元张某自愿放弃。2015年2月11日，被告人返还张某钱款2000元。"
)


@pytest.mark.parametrize(("text", "charge", "factor", "value"), [
    # acts the text numbers without a sum each; selling the goods is no act
    ("被告人以公司名义骗取不锈钢共计2000公斤，后分三次销赃，总价值38928元。具体如下：1、2012年11月4日，被告人在项某店"
     "骗取管材314斤。2、2012年11月25日，被告人在项某店骗取管材371斤。3、2012年11月27日，被告人在徐某店骗取管材183斤。",
     "fraud", "acts", 3),
    # a sum said again later outside any act, and a return only agreed
    (GIVEN_UP, "fraud", "amount_yuan", 72000.0),
    (GIVEN_UP, "fraud", "restitution_yuan", 2000.0),
    # a list of equal sums is each its own
    ("被告人以办理低保为由，骗取谷某900元、孟某1000元、刘某900元。", "fraud", "amount_yuan", 2800.0),
    # the face value of an invoice obtained is no sum of money
    ("被告人骗得陈某砂板73张（鉴证价格人民币7884元）；又骗得李某的增值税专用发票1张，票面额为人民币35000元。", "fraud",
     "amount_yuan", 7884.0),
])  # fmt: skip
def test_amounts_and_acts_learned_from_the_fifth_blind_part(text: str, charge: str, factor: str, value: object) -> None:
    assert values(text, charge).get(factor) == value


@pytest.mark.parametrize(("text", "factor", "value"), [
    ("被告人将李某砍伤，经鉴定属轻伤二级。经司法鉴定，被告人患精神分裂症，对本案有限定刑事责任能力。",
     "limited_capacity", True),
    ("被告人将李某砍伤，经鉴定属轻伤二级。被告人对公诉机关指控的上述事实表示认罪。", "guilty_plea_in_court", True),
    ("被告人与邓某相互厮打，致邓某轻伤二级。被告人邓某甲随即打110电话报警，民警将其带至公安局询问，被告人如实供述了全部"
     "犯罪事实。", "surrender", True),
    ("几人约定在饭店门前见面，见面后几人发生冲突，被告人持菜刀将魏某胳膊砍伤，经鉴定为轻伤二级。", "mutual_fight",
     True),
    # a settlement document named in the list of evidence states no reconciliation
    ("被告人将刘某摔倒致轻伤二级。上述事实，有抓捕经过；鉴定意见书；和解协议；证人证言等证据证实。", "reconciliation",
     None),
    ("被告人与被害人达成和解协议，赔偿被害人3万元。", "reconciliation", True),
    # the recidivist's earlier sentence is weighed once
    ("被告人持刀致寇某轻伤一级。被告人系刑满释放后五年内重新犯罪，系累犯。", "prior_record", None),
    ("被告人持刀致寇某轻伤一级。被告人系刑满释放后五年内重新犯罪，系累犯。", "recidivist", True),
])  # fmt: skip
def test_circumstances_learned_from_the_fifth_blind_part(text: str, factor: str, value: object) -> None:
    assert values(text, "intentional_injury").get(factor) == value


def test_the_truthful_account_may_be_called_jiaodai() -> None:
    text = (
        "被告人饮酒后驾驶二轮摩托车被查获，血样中检出乙醇含量为200.63mg/100ml。归案后，被告人如实交代了自己的犯罪事实。"
    )
    assert values(text, "dangerous_driving")["confession"] == "ordinary"


@pytest.mark.parametrize(("text", "factor", "value"), [
    # one person's several injuries, the later ones after a semicolon, count once at the worst
    ("被告人持刀砍伤王某某。经鉴定，被害人王某某左腕关节离断伤为重伤二级；颅骨骨折为轻伤二级；右拇指肌腱断裂为轻微伤。",
     "minor_injuries", None),
    ("被告人持刀砍伤王某某。经鉴定，被害人王某某左腕关节离断伤为重伤二级；颅骨骨折为轻伤二级；右拇指肌腱断裂为轻微伤。",
     "slight_injuries", None),
    # the defendant's own injury, named without 被告人
    ("被告人王某甲与翟某甲撕打在一起。经鉴定，王某甲的伤情属轻微伤，翟某甲的伤情属轻伤。", "slight_injuries", None),
    ("被告人持刀将邢某砍伤。经鉴定，邢某之损伤构成重伤二级，达到X（十）级伤残。", "disability_grade", 10),
    ("被告人将周某打致轻伤二级。2017年9月5日，被告人接公安机关电话通知后，主动前往接受调查，并如实供述了犯罪事实。",
     "surrender", True),
])  # fmt: skip
def test_injury_rules_learned_from_the_sixth_blind_part(text: str, factor: str, value: object) -> None:
    assert values(text, "intentional_injury").get(factor) == value


@pytest.mark.parametrize(("text", "charge", "factor", "value"), [
    ("被告人以借款名义从蔡某处骗取人民币13万元。尔后，被告人逃离舟山，将骗得的赃款均用于归还个人债务及挥霍。", "fraud",
     "restitution", None),
    ("被告人以借款名义从蔡某处骗取人民币13万元。尔后，被告人逃离舟山，将骗得的赃款均用于归还个人债务及挥霍。", "fraud",
     "fled", True),
    ("被告人酒后驾驶小型普通客车被民警查获，民警随即对其进行呼出气体酒精含量测试，但被告人拒绝配合，经鉴定其血样中乙醇"
     "含量为257.8mg/100ml。", "dangerous_driving", "refused_breath_test", True),
])  # fmt: skip
def test_circumstances_learned_from_the_sixth_blind_part(text: str, charge: str, factor: str, value: object) -> None:
    assert values(text, charge).get(factor) == value


@pytest.mark.parametrize(("text", "value"), [
    ("被告人参与作案六起，骗取财物共计价值人民币220651元，既遂178651元，未遂42000元。", 178651.0),
    ("被告人先后骗取被害人白某65000元、王某30000元，共计95000元。被告人骗取王某其中的16000元，属犯罪未遂。", 79000.0),
    ("被告人先后骗取被害人白某65000元、王某30000元，共计95000元。", 95000.0),
])  # fmt: skip
def test_the_amount_is_what_was_obtained_when_a_part_was_only_attempted(text: str, value: float) -> None:
    draft = read_text(text, charge="fraud")
    amount = draft.fact("amount_yuan")
    assert amount is not None and amount.value == value
    assert (amount.how == "derived") == (value != 95000.0)


@pytest.mark.parametrize(("text", "charge", "factor", "value"), [
    ("被告人醉酒后驾驶小型汽车被民警查获。经鉴定，被告人血中乙醇浓度为143.4(mg/100ml)，属于醉酒驾驶。",
     "dangerous_driving", "blood_alcohol_mg_per_100ml", 143.4),
    ("被告人饮酒后驾驶摩托车行驶至十字路口时，将骑自行车的周某撞伤。经抽血检验，被告人血液中的酒精含量为141.3毫克/100毫升。",
     "dangerous_driving", "caused_accident", True),
    ("被告人与农某追打黄某，黄某受伤后送医院抢救无效死亡。", "intentional_injury", "deaths", 1),
    # what the defence argues is not a fact found
    ("被告人将贾某打致重伤。辩护人提出的主要辩护意见是被告人系自首，且有立功表现，建议从轻处罚。", "intentional_injury",
     "surrender", None),
    ("被告人将贾某打致重伤。辩护人提出的主要辩护意见是被告人系自首，且有立功表现，建议从轻处罚。", "intentional_injury",
     "meritorious_service", None),
    ("被告人骗得安置房面积，价值人民币135815元。到案后，被告人向公安机关检举揭发了钟某的犯罪事实，经查证属实。案发后，"
     "赃款已退清。", "fraud", "meritorious_service", "ordinary"),
    ("被告人骗得安置房面积，价值人民币135815元。到案后，被告人向公安机关检举揭发了钟某的犯罪事实，经查证属实。案发后，"
     "赃款已退清。", "fraud", "restitution", True),
    ("被告人王某以网恋为由骗取孙某人民币57100元。被告人王某对起诉书的指控予以承认。", "fraud", "guilty_plea_in_court",
     True),
    ("被告人共实施××犯罪三起，××人民币249900元。", "fraud", "acts", 3),
])  # fmt: skip
def test_rules_learned_from_the_seventh_blind_part(text: str, charge: str, factor: str, value: object) -> None:
    assert values(text, charge).get(factor) == value


@pytest.mark.parametrize(("text", "value"), [
    # a loan obtained by a pretext is the amount, where the text states no other
    ("1、2011年12月11日，被告人以买房需预付款为由，以伪造的担保书做担保，向周某借款现金30万元整。2、2012年3月19日，"
     "被告人以做生意为由，用伪造的房屋所有权证抵押，向周某借款现金10万元整。", 400000.0),
    ("被告人谎称收购点的烘干塔为自己的财产，以此为抵押向马某借款人民币22万元。后被告人还款5万元，被告人骗取马某人民币17万"
     "元。", 170000.0),
    # the rest of a sum, and what a thing obtained was pledged for
    ("被告人三次骗得被害人李某现金73000元，将其中15000元用于偿还债务，剩余57000元被用于网络赌博挥霍。", 73000.0),
    ("被告人以送女友需用车为由，从被害人徐某处骗得轿车一辆，随即将该车抵押至李某处，得赃款人民币20000元。经鉴定，被骗车辆"
     "价值人民币150000元。", 150000.0),
    # a mule's withdrawals and purchases with what the victim paid
    ("被害人钟某先后两次共给付人民币七万元到被告人的银行账户中。得手后，被告人在柜员机取款20000元，又持银行卡购物消费共"
     "24900元。", 70000.0),
    ("被告人以需要先交纳定金为由，骗取被害人吴某等人将款项汇入其账户，截止到被查获时，共非法获利105,488.52元。",
     105488.52),
])  # fmt: skip
def test_fraud_amounts_learned_from_the_seventh_blind_part(text: str, value: float) -> None:
    assert values(text, "fraud").get("amount_yuan") == value


def test_victims_named_after_where_they_live() -> None:
    text = (
        "被告人以帮人代办信用卡为名，先后骗得辽宁省朝阳市人高某人民币1100元、浙江省金华市人黄某人民币1200元、"
        "云南省昆明市人李某人民币6800元。"
    )
    assert values(text, "fraud").get("fraud_victims") == 3


@pytest.mark.parametrize(("text", "value"), [
    # the valuation of the thing obtained, whatever it was sold for
    ("被告人以借电话为由，将马某的三星手机骗走，到火车站附近将手机卖掉，获利2200元，经鉴定，该手机价值人民币3766元。",
     3766.0),
    # the mule moves on what the victim paid
    ("被害人钟某先后两次共给付人民币七万元到户名为朱某的银行账户中。得手后，被告人在柜员机取款20000元，转账人民币5000元"
     "到户名为黄某的银行账号中。", 70000.0),
    # a part handed back out of the sum obtained
    ("被告人以急需向领导送礼为由骗取了被害人罗某10000元人民币。后为了顺利逃离，被告人从骗取到的10000元中抽出500元给被害"
     "人。", 10000.0),
    # the breakdown of a loan in brackets, and the same loan said again
    ("被告人以做生意为由，以伪造的房屋所有权证抵押，向刘某借款20万元整（其中15万元转账，5万元现金）。", 200000.0),
    ("被告人谎称办理信用卡需要资金做担保，特向被害人姬某借款200万元。2009年9月28日，被害人姬某以转账的方式将200万元借给"
     "被告人。", 2000000.0),
])  # fmt: skip
def test_fraud_amounts_from_the_used_parts(text: str, value: float) -> None:
    assert values(text, "fraud").get("amount_yuan") == value
