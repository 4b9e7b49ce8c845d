"""Steps for features/defence_challenges_a_compas_score.feature, through the installed ``voirdire``, as counsel."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from pytest_bdd import given, parsers, scenarios, then, when

from tests.hearing.cli_runner import run

scenarios("defence_challenges_a_compas_score.feature")


@pytest.fixture
def counsel(compas_csv: Path, tmp_path: Path) -> dict[str, Any]:
    env = {**os.environ, "VOIRDIRE_HOME": str(tmp_path / "home"), "VOIRDIRE_LANG": ""}
    return {"env": env, "data": str(compas_csv), "tmp": tmp_path}


def _ok(counsel: dict[str, Any], args: list[str]) -> str:
    done = run(args, counsel["env"])
    assert done.returncode == 0, done.stderr
    return done.stdout


@given("the ProPublica COMPAS data is on counsel's machine")
def data(counsel: dict[str, Any]) -> None:
    assert "compas" in _ok(counsel, ["data", "compas", "--from", counsel["data"]]).lower()


@given("counsel has fitted the surrogate to the tool's recorded scores")
def surrogate(counsel: dict[str, Any]) -> None:
    body = json.loads(_ok(counsel, ["risk", "surrogate", "--json"]))
    assert body["kind"] == "surrogate" and body["data"]["rows"] == 6172
    counsel["fidelity"] = body["fidelity"]["cross_validated"]["same_class"]


@when("counsel audits the recorded scores by race")
def audit(counsel: dict[str, Any]) -> None:
    counsel["audit"] = json.loads(_ok(counsel, ["audit-scores", "--json"]))


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
    counsel["answer"] = json.loads(_ok(counsel, ["risk", "whatif", counsel["case"], "--vary",
                                                 f"priors_count={numbers}", "--json"]))  # fmt: skip


@when(parsers.parse("counsel asks the surrogate for ages {values}"))
def ages(counsel: dict[str, Any], values: str) -> None:
    numbers = values.replace(" and ", ", ").replace(" ", "")
    counsel["answer"] = json.loads(
        _ok(counsel, ["risk", "whatif", counsel["case"], "--vary", f"age={numbers}", "--json"])
    )


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


@when(parsers.parse('counsel writes the risk report in "{language}"'))
def report(counsel: dict[str, Any], language: str) -> None:
    folder = counsel["tmp"] / "report"
    _ok(counsel, ["risk", "report", counsel["case"], "--out", str(folder), "--lang", language])
    counsel["report"] = json.loads((folder / "risk-report.json").read_text(encoding="utf-8"))
    counsel["pdf"] = folder / f"risk-report.{language}.pdf"


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
