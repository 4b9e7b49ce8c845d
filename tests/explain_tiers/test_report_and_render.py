"""Reports computed once, rendered as schema-checked JSON, HTML and PDF/A-3b, replayable to the byte."""

from __future__ import annotations

import io
import json
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from explain_tiers.operations import register_report_operations
from explain_tiers.render import load_report_json, render_html, render_pdf, report_json, validate_report, write_report
from explain_tiers.report import build_deep_report, build_standard_report
from explain_tiers.tiers import Tier
from sentencing.errors import CaseValidationError, InputFileError, SchemaValidationError
from sentencing.operations import OperationContext, default_registry


@pytest.fixture(scope="module")
def theft(bundled_cases):
    return next(c for c in bundled_cases if c.case_id == "theft-non-local-unemployed")


@pytest.fixture(scope="module")
def deep(theft, small_adapter):
    return build_deep_report(theft, small_adapter, seed=3)


def test_standard_report_contents(theft, small_adapter) -> None:
    report = build_standard_report(theft, small_adapter)
    body = report.to_dict()
    validate_report(body)
    assert body["tier"] == "standard" and "deep" not in body
    assert body["examination"]["guideline"]["recommended_months"] == 5.5
    assert 1 <= len(body["main_factors"]) <= 8
    for line in body["main_factors"]:
        assert line["legal_role"] in ("liability", "prevention", "legally_irrelevant")
        assert (line["zone"] == "none") == (line["legal_role"] == "legally_irrelevant")
    assert body["model_card_error"]["overall"]["mae_months"] > 0
    assert len(body["cautions"]) >= 3 and "Loomis" in json.dumps(body["cautions"])


def test_a_model_without_trees_gets_the_stabilised_attribution(theft, hukou_model) -> None:
    report = build_standard_report(theft, hukou_model)
    assert report.attribution.method == "lime-qmc-stabilised"
    assert report.main_factors[0].factor == "household_registration"
    assert report.to_dict()["training_summary"]["rows"] is None


def test_deep_report_contents(deep) -> None:
    body = deep.to_dict()
    validate_report(body)
    part = body["deep"]
    assert part["shap"] and part["lime"] and part["agreement"]["top_k"] == 5
    assert [s["samples"] for s in part["stability"]["sizes"]] == [1000, 5000]
    assert part["disputed_factors"] == ["surrender", "restitution", "plea_agreement"]
    assert all(any(p["current"] for p in c["points"]) for c in part["whatif_curves"])
    assert part["counterfactuals"]["method"] == "exact-grid"
    assert len(part["similar_judgments"]) == 5 and part["coverage"]["population"] == "training data"
    assert {g["factor"] for g in part["group_audit"]["gaps"]} == {
        "sex",
        "household_registration",
        "occupation",
        "region",
        "ethnicity",
    }
    assert all(f["legal_basis"] for f in part["findings"])


def test_same_case_model_and_seed_give_the_same_bytes(theft, small_adapter, deep) -> None:
    assert report_json(build_deep_report(theft, small_adapter, seed=3)) == report_json(deep)
    assert report_json(build_standard_report(theft, small_adapter, seed=3)) == report_json(
        build_standard_report(theft, small_adapter, seed=3)
    )


def test_the_schema_refuses_a_malformed_report(deep, tmp_path) -> None:
    body = deep.to_dict()
    body["tier"] = "shallow"
    with pytest.raises(SchemaValidationError, match="tier"):
        validate_report(body)
    body = deep.to_dict()
    del body["deep"]["findings"]
    with pytest.raises(SchemaValidationError, match="deep"):
        validate_report(body)
    body = deep.to_dict()
    body["main_factors"][0]["legal_role"] = "important"
    with pytest.raises(SchemaValidationError, match="main_factors/0/legal_role"):
        validate_report(body)
    path = tmp_path / "report.json"
    path.write_text(json.dumps(body), encoding="utf-8")
    with pytest.raises(SchemaValidationError, match=str(path)):
        load_report_json(path)
    path.write_text("{", encoding="utf-8")
    with pytest.raises(InputFileError):
        load_report_json(path)


def test_disputed_factors_must_apply(theft, small_adapter) -> None:
    with pytest.raises(CaseValidationError, match="blood_alcohol"):
        build_deep_report(theft, small_adapter, disputed=["blood_alcohol_mg_per_100ml"])


@pytest.mark.parametrize("language", ["zh-CN", "en"])
def test_html_speaks_the_chosen_language(deep, language) -> None:
    html = render_html(deep, language)
    if language == "zh-CN":
        assert "算法量刑建议报告（深度版）" in html and "质证理由" in html and "户籍" in html
        assert "最少改变" in html and "秩相关" in html and "训练数据" in html
        for english in ("overlap", "candidates evaluated", "inside the data", "disparity threshold", "below 5.5"):
            assert english not in html, english
    else:
        assert "deep report" in html and "Grounds for cross-examination" in html
    assert html.count("data:image/png;base64,") == 3


def test_pdf_is_pdf_a_3b_with_its_json_and_readable_chinese(theft, small_adapter, tmp_path) -> None:
    report = build_standard_report(theft, small_adapter)
    files = write_report(report, tmp_path, "zh-CN")
    assert sorted(p.name for p in files) == ["report.json", "report.zh-CN.html", "report.zh-CN.pdf"]
    pdf = (tmp_path / "report.zh-CN.pdf").read_bytes()
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) <= 2  # the standard report: two pages at most
    metadata = reader.xmp_metadata
    assert metadata is not None
    xmp = metadata.stream.get_data().decode("utf-8")
    assert 'pdfaid:part="3"' in xmp and 'pdfaid:conformance="B"' in xmp  # PDF/A-3b
    attachments = reader.attachments
    assert list(attachments) == ["report.json"]
    assert attachments["report.json"][0] == report_json(report) == (tmp_path / "report.json").read_bytes()
    text = subprocess.run(
        ["pdftotext", str(tmp_path / "report.zh-CN.pdf"), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "算法量刑建议报告" in text and "盗窃罪" in text and "自首" in text and theft.case_id in text
    assert shutil.which("pdfdetach")
    listing = subprocess.run(
        ["pdfdetach", "-list", str(tmp_path / "report.zh-CN.pdf")], capture_output=True, text=True, check=True
    )
    assert "report.json" in listing.stdout
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_english_pdf_text(deep) -> None:
    pdf = render_pdf(deep, "en")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Grounds for cross-examination" in text and "household registration" in text


def test_report_operation_replays(theft, small_adapter) -> None:
    registry = default_registry()
    register_report_operations(registry)
    context = OperationContext(model=small_adapter, seed=1)
    first = registry.run("report", theft, {"tier": "standard"}, context)
    assert first.result_sha256 == registry.run("report", theft, {"tier": "standard"}, context).result_sha256
    assert first.result["tier"] == Tier.STANDARD.value


@pytest.mark.parametrize("language", ["en", "zh-CN"])
def test_deep_pdf_layout_every_word_on_its_page_numbered_and_well_formed(deep, language, tmp_path) -> None:
    """Looked at with pdftoppm, then held here: no table runs off the page (every word inside the right margin),
    every page numbered "n / N", no "-0.0%", "1 acts" or "(hukou))" (a label in brackets inside brackets)."""
    import re

    path = tmp_path / "deep.pdf"
    path.write_bytes(render_pdf(deep, language))
    pages = len(PdfReader(str(path)).pages)
    boxes = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    width = float(re.search(r'<page width="([\d.]+)"', boxes).group(1))
    word = re.compile(r'<word xMin="[\d.]+" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>')
    overflow = [(float(m.group(1)), m.group(2)) for m in word.finditer(boxes) if float(m.group(1)) > width - 20]
    assert not overflow, overflow[:5]  # A4 is 595 pt wide; the right margin is 13 mm (37 pt)
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    numbers = re.findall(rf"\b(\d+) ?/ ?{pages}\n", text)
    assert numbers == [str(n) for n in range(1, pages + 1)]
    assert [line for line in text.splitlines() if "-0.0%" in line or " 1 acts" in line or "(hukou))" in line] == []
