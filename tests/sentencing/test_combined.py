"""Several crimes of one defendant (issue 20, item 3; Criminal Law art. 69): each count derived on its own, the executed
term between the highest count and the sum, capped by the article, criminal detention absorbed by a fixed term, fines
added; a bad counts file refused in one line naming the count and the field."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cli.commands.cases import bundled_counts
from sentencing.combined import (
    DETENTION_CAP_MONTHS,
    FIXED_TERM_CAP_LONG_MONTHS,
    FIXED_TERM_CAP_MONTHS,
    combine_sentences,
    parse_counts,
)
from sentencing.errors import InputError
from sentencing.guideline import Penalty, derive_sentence
from tests.hearing.store_fixtures import bundled_document

PERSON = {"age_at_offence": 35, "sex": "male", "household_registration": "local", "occupation": "employed",
          "region": "central", "ethnicity": "han"}  # fmt: skip


def count(name: str, number: int, **facts: Any) -> dict[str, Any]:
    """A bundled case as count ``number`` of one defendant (the same person in every count; no record)."""
    document = copy.deepcopy(bundled_document(name))
    document["case_id"] = f"several.{number}"
    document["defendant"] = dict(PERSON)
    for fact in ("recidivist", "prior_record"):
        document["circumstances"].pop(fact, None)
    document["facts"].update(facts)
    return document


def counts_document(*counts: dict[str, Any]) -> dict[str, Any]:
    return {"schema_version": "1.0", "case_id": "several", "counts": list(counts)}


def test_the_bundled_example_derives_each_count_and_the_executed_range() -> None:
    counts = bundled_counts("theft-and-injury")
    combined = combine_sentences(counts)
    alone = [derive_sentence(case) for case in counts.counts]
    assert combined.counts == tuple(alone)  # each count exactly as if heard alone
    terms = [d.outcome.months for d in alone]
    assert combined.penalty is Penalty.FIXED_TERM
    assert (combined.low_months, combined.high_months) == (pytest.approx(max(terms)), pytest.approx(sum(terms)))
    fines = [d.outcome.fine for d in alone if d.outcome.fine is not None]
    assert combined.fine_yuan == (sum(f.low_yuan for f in fines), sum(f.point_yuan for f in fines),
                                  sum(f.high_yuan for f in fines))  # fmt: skip
    body = combined.to_dict()
    assert body["combined"]["executed_range_months"] == [combined.low_months, combined.high_months]
    assert "刑法第69条" in body["combined"]["sources"][0] and "二、2(3)" in body["combined"]["sources"][1]
    assert "酌情决定执行的刑期" in body["combined"]["rule"]["zh-CN"]


def test_a_fixed_term_absorbs_criminal_detention() -> None:
    combined = combine_sentences(parse_counts(counts_document(
        count("theft-burglary-recidivist", 1), count("dangerous-driving-accident", 2))))  # fmt: skip
    theft, driving = combined.counts
    assert driving.outcome.penalty is Penalty.DETENTION and theft.outcome.penalty is Penalty.FIXED_TERM
    assert combined.absorbed == ("several.2",)
    assert combined.low_months == combined.high_months == theft.outcome.months  # the detention adds nothing
    assert (
        "由有期徒刑吸收" in combined.rule().zh and "absorbs the criminal detention of several.2" in combined.rule().en
    )
    assert combined.fine_yuan is not None and combined.fine_yuan[1] == pytest.approx(
        theft.outcome.fine.point_yuan + driving.outcome.fine.point_yuan  # type: ignore[union-attr]
    )


def test_criminal_detention_alone_is_capped_at_one_year() -> None:
    drunk = [count("dangerous-driving-accident", n, blood_alcohol_mg_per_100ml=300) for n in range(1, 6)]
    for document in drunk:
        document["circumstances"] = {}
    combined = combine_sentences(parse_counts(counts_document(*drunk)))
    assert combined.penalty is Penalty.DETENTION and combined.sum_months > DETENTION_CAP_MONTHS
    assert combined.high_months == DETENTION_CAP_MONTHS and combined.capped
    assert combined.probation_term_allows


def test_fixed_terms_are_capped_at_20_years_and_at_25_from_a_sum_of_35() -> None:
    huge = count("theft-burglary-recidivist", 1, amount_yuan=3_000_000)
    two = combine_sentences(parse_counts(counts_document(huge, {**copy.deepcopy(huge), "case_id": "several.2"})))
    assert all(d.outcome.penalty is Penalty.FIXED_TERM for d in two.counts)
    assert 2 * FIXED_TERM_CAP_MONTHS / 2 < two.sum_months < 420
    assert (two.cap_months, two.high_months) == (FIXED_TERM_CAP_MONTHS, FIXED_TERM_CAP_MONTHS)
    three = combine_sentences(parse_counts(counts_document(
        *({**copy.deepcopy(huge), "case_id": f"several.{n}"} for n in range(1, 4)))))  # fmt: skip
    assert three.sum_months >= 420 and three.high_months == FIXED_TERM_CAP_LONG_MONTHS
    assert not three.probation_term_allows and "not above 300 months" in three.rule().en


NAMES = ["theft-burglary-recidivist", "theft-non-local-unemployed", "fraud-telecom-accessory",
         "injury-minor-reconciliation", "injury-serious-minor-defendant", "dangerous-driving-accident",
         "dangerous-driving-aged"]  # fmt: skip


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(NAMES), min_size=2, max_size=5))
def test_the_executed_range_keeps_the_article_for_any_counts(names: list[str]) -> None:
    documents = [count(name, number) for number, name in enumerate(names, start=1)]
    combined = combine_sentences(parse_counts(counts_document(*documents)))
    custodial = [d.outcome.months for d in combined.counts if d.outcome.penalty is combined.penalty]
    if combined.penalty is None:
        assert combined.high_months == combined.low_months == 0
        return
    assert combined.low_months == pytest.approx(max(custodial))
    assert combined.low_months <= combined.high_months + 1e-9
    assert combined.high_months <= min(sum(custodial), combined.cap_months or float("inf")) + 1e-9
    if combined.penalty is Penalty.DETENTION:
        assert all(d.outcome.penalty is not Penalty.FIXED_TERM for d in combined.counts)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(counts=d["counts"][:1]), r"^several: counts: a list of 2 to 20 .*found 1 count"),
        (lambda d: d.update(extra=1), r"^several: 'extra': no such field"),
        (lambda d: d.update(schema_version="2"), r"^several: schema_version: expected '1.0'"),
        (
            lambda d: d["counts"][1]["circumstances"].update(recidivist=True),
            r"^several: counts\[1\]\.recidivist: True, where counts\[0\] says False: the same defendant's own facts",
        ),
        (lambda d: d["counts"][1]["defendant"].update(sex="female"), r"^several: counts\[1\]\.sex: 'female'"),
        (lambda d: d["counts"][1].update(charge="arson"), r"^several: counts\[1\]: charge"),
        (lambda d: d["counts"][1].update(case_id="several.1"), r"counts case_id 'several\.1'.*its own case id"),
        (lambda d: d["counts"].__setitem__(1, [1]), r"^several: counts\[1\]: a sentencing case"),
    ],
)
def test_a_bad_counts_document_is_refused_in_one_line(change, message) -> None:
    document = counts_document(count("theft-non-local-unemployed", 1), count("injury-minor-reconciliation", 2))
    change(document)
    with pytest.raises(InputError, match=message) as refused:
        parse_counts(document, source="several")
    assert "\n" not in str(refused.value) and len(str(refused.value)) < 600


def test_the_age_at_each_offence_may_differ() -> None:
    later = count("injury-minor-reconciliation", 2)
    later["defendant"]["age_at_offence"] = 36
    assert len(parse_counts(counts_document(count("theft-non-local-unemployed", 1), later)).counts) == 2


def test_the_command_line_derives_several_crimes(tmp_path, capsys) -> None:
    from cli.main import main

    assert main(["guideline", "--lang", "en", "sentencing/data/counts/theft-and-injury.json"]) == 0
    text = capsys.readouterr().out
    assert "== Count 1: theft-and-injury.1 ==" in text and "== Count 2: theft-and-injury.2 ==" in text
    assert "Several crimes combined (数罪并罚, Criminal Law art. 69)" in text and "22.5–33.3 months" in text
    assert main(["guideline", "--json", "sentencing/data/counts/theft-and-injury.json"]) == 0
    body = json.loads(capsys.readouterr().out)
    assert body["result"]["combined"]["executed_range_months"] == [22.5, 33.3]
    assert main(["cases", "--lang", "zh-CN"]) == 0
    assert "theft-and-injury\n    数罪并罚: 盗窃罪 + 故意伤害罪" in capsys.readouterr().out
    assert main(["cases", "--show", "theft-and-injury"]) == 0
    assert json.loads(capsys.readouterr().out)["case_id"] == "theft-and-injury"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(counts_document(count("theft-non-local-unemployed", 1))), encoding="utf-8")
    assert main(["guideline", str(bad)]) != 0
    assert "counts: a list of 2 to 20" in capsys.readouterr().err


def test_a_count_heard_under_another_table_than_the_one_given_is_refused(tmp_path) -> None:
    from sentencing.jurisdiction import load_jurisdiction

    table = load_jurisdiction("default")
    document = counts_document(count("theft-non-local-unemployed", 1), count("injury-minor-reconciliation", 2))
    document["counts"][1]["jurisdiction"] = "default:sichuan"
    with pytest.raises(InputError, match=r"^several: counts\[1\]\.jurisdiction: the count names 'default:sichuan'"):
        parse_counts(document, jurisdiction=table, source="several")


def test_a_counts_file_given_where_one_case_is_expected_says_so_in_one_line(tmp_path, capsys) -> None:
    from cli.main import main
    from sentencing.kinds import parse_case_document

    document = counts_document(count("theft-non-local-unemployed", 1), count("injury-minor-reconciliation", 2))
    with pytest.raises(InputError, match=r"^counts: this file holds several counts \(数罪并罚\), not one case"):
        parse_case_document(document)
    path = tmp_path / "several.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    assert main(["whatif", str(path), "--set", "restitution=no"]) != 0
    error = capsys.readouterr().err
    assert "holds several counts (数罪并罚)" in error and "voirdire guideline FILE" in error and error.count("\n") == 1
