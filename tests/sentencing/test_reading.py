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
