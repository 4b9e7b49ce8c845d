"""Steps for features/judge_and_defence_read_reports.feature, over the report services."""

from __future__ import annotations

import io
import json
import subprocess
from importlib import resources
from typing import Any

import pytest
from pypdf import PdfReader
from pytest_bdd import given, parsers, scenarios, then, when

from explain_tiers.findings import FindingKind
from explain_tiers.render import render_pdf, report_json
from explain_tiers.report import build_deep_report, build_standard_report
from sentencing.case import parse_case

scenarios("judge_and_defence_read_reports.feature")


@pytest.fixture
def court() -> dict[str, Any]:
    return {}


@given(parsers.parse('the bundled case "{name}" comes before the judge'))
def before_judge(court: dict[str, Any], name: str) -> None:
    text = resources.files("sentencing").joinpath(f"data/cases/{name}.json").read_text(encoding="utf-8")
    court["case"] = parse_case(json.loads(text))


@when(parsers.parse('the judge asks for the standard report in "{language}"'))
def standard(court: dict[str, Any], reference_adapter, language: str, tmp_path) -> None:
    court["report"] = build_standard_report(court["case"], reference_adapter)
    court["pdf"] = render_pdf(court["report"], language)  # type: ignore[arg-type]
    court["pdf_path"] = tmp_path / "report.pdf"
    court["pdf_path"].write_bytes(court["pdf"])


@then(parsers.parse("the report shows the algorithm's recommendation beside the guideline's {months:g} months"))
def beside(court: dict[str, Any], months: float) -> None:
    body = court["report"].to_dict()
    assert body["examination"]["guideline"]["recommended_months"] == months
    assert body["examination"]["recommended_months"] > 0


@then("every main factor is tagged liability, prevention or legally irrelevant, with its zone")
def tagged(court: dict[str, Any]) -> None:
    for line in court["report"].to_dict()["main_factors"]:
        assert line["legal_role"] in ("liability", "prevention", "legally_irrelevant")
        assert line["zone"] in ("machine", "shared", "human", "none")


@then("the report states the model's held-out error and cautions in the spirit of State v. Loomis")
def error_and_cautions(court: dict[str, Any]) -> None:
    body = court["report"].to_dict()
    assert body["model_card_error"]["overall"]["mae_months"] > 0
    assert any("Loomis" in c["en"] for c in body["cautions"])


@then("the PDF is at most two pages, carries its JSON, and its Chinese text can be read back")
def pdf(court: dict[str, Any]) -> None:
    reader = PdfReader(io.BytesIO(court["pdf"]))
    assert len(reader.pages) <= 2
    assert reader.attachments["report.json"][0] == report_json(court["report"])
    text = subprocess.run(["pdftotext", str(court["pdf_path"]), "-"], capture_output=True, text=True, check=True).stdout
    assert "算法量刑建议报告" in text and "量刑起点" in text


@when("the defence disputes the recommendation and the deep report is produced")
def deep(court: dict[str, Any], reference_adapter) -> None:
    court["deep"] = build_deep_report(court["case"], reference_adapter, seed=7)
    court["model"] = reference_adapter


@when("the defence disputes the recommendation of a model of four charges and the deep report is produced")
def deep_of_four(court: dict[str, Any], four_charge_adapter) -> None:
    court["deep"] = build_deep_report(court["case"], four_charge_adapter, seed=7)
    court["model"] = four_charge_adapter


@then("the findings include that household registration moves the recommendation")
def hukou(court: dict[str, Any]) -> None:
    found = [f for f in court["deep"].findings if f.kind is FindingKind.IRRELEVANT_FACTOR]
    assert "household_registration" in {dict(f.figures)["factor"] for f in found}


@then("the findings include that the recommendation lies outside the guideline's band")
def outside(court: dict[str, Any]) -> None:
    assert FindingKind.OUTSIDE_JUDICIAL_BAND in {f.kind for f in court["deep"].findings}


@then("the findings include that the model was never validated on the case's charge")
def unvalidated(court: dict[str, Any]) -> None:
    (finding,) = [f for f in court["deep"].findings if f.kind is FindingKind.CHARGE_NOT_VALIDATED]
    assert finding.severity.value == "high" and dict(finding.figures)["charge"] == court["case"].charge


@then("every finding gives its evidence, its legal basis and a question for the vendor's technician")
def complete(court: dict[str, Any]) -> None:
    assert court["deep"].findings
    for finding in court["deep"].findings:
        assert finding.evidence.zh and finding.evidence.en and finding.legal_basis and finding.question.en


@then("the same request with the same seed gives the same report, byte for byte")
def replay(court: dict[str, Any]) -> None:
    again = build_deep_report(court["case"], court["model"], seed=7)
    assert report_json(again) == report_json(court["deep"])
