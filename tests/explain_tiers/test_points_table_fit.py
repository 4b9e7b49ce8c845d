"""The surrogate of COMPAS and the risk report, checked against computations written here in plain pandas/numpy."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from pypdf import PdfReader
from sklearn.metrics import roc_auc_score

from explain_tiers.findings import FindingBasis, FindingKind
from explain_tiers.points_table_fit import write_points_table
from explain_tiers.risk_render import render_risk_html, risk_report_json, write_risk_report
from explain_tiers.risk_report import build_risk_report, recorded_scores
from sentencing.canonical import canonical_json, sha256_file
from sentencing.errors import IntegrityError, ModelLoadError
from sentencing.models import load_model
from sentencing.models.points_table import load_points_table
from sentencing.records import risk_case_from_record
from sentencing.risk import load_instrument


def _reference_design(frame: pd.DataFrame, with_protected: bool) -> np.ndarray:
    """The points table's columns, written out independently of the module."""
    columns = [np.ones(len(frame)), (frame["c_charge_degree"] == "F").to_numpy(float)]
    columns += [(frame["age"] >= a).to_numpy(float) for a in (21, 23, 25, 30, 35, 40, 50, 60)]
    columns += [(frame["priors_count"] >= p).to_numpy(float) for p in (1, 2, 3, 4, 5, 7, 10, 15)]
    for juvenile in ("juv_fel_count", "juv_misd_count", "juv_other_count"):
        columns += [(frame[juvenile] >= k).to_numpy(float) for k in (1, 2)]
    if with_protected:
        columns.append((frame["sex"] == "Female").to_numpy(float))
        for race in ("African-American", "Hispanic", "Asian", "Native American", "Other"):
            columns.append((frame["race"] == race).to_numpy(float))
    return np.column_stack(columns)


def _class(deciles: np.ndarray) -> np.ndarray:
    return pd.cut(deciles, [0, 4, 7, 10], labels=["Low", "Medium", "High"]).astype(str)


def test_the_points_table_is_least_squares_on_the_recorded_deciles(compas_fit, compas_records) -> None:
    frame, _ = compas_records
    y = frame["decile_score"].to_numpy(float)
    design = _reference_design(frame, with_protected=True)
    beta = np.linalg.lstsq(design, y, rcond=None)[0]
    table = compas_fit.surrogate.points_table
    assert table.intercept == pytest.approx(beta[0], abs=1e-9)
    assert [t.points for t in table.terms] == pytest.approx(list(beta[1:]), abs=1e-9)
    fitted = design @ beta
    deciles = np.clip(np.floor(fitted + 0.5), 1, 10)
    in_sample = compas_fit.in_sample
    assert in_sample.r2 == pytest.approx(1 - ((y - np.clip(fitted, 1, 10)) ** 2).sum() / ((y - y.mean()) ** 2).sum())
    assert in_sample.exact_decile == pytest.approx((deciles == y).mean())
    assert in_sample.within_one_decile == pytest.approx((np.abs(deciles - y) <= 1).mean())
    assert in_sample.same_class == pytest.approx((_class(deciles) == _class(y)).mean())
    # The figures the report and the closing note give (cross-validated, 5 folds, seed 20130101).
    cv = compas_fit.cross_validated
    assert (round(cv.r2, 3), round(cv.same_class, 3), round(cv.within_one_decile, 3)) == (0.482, 0.621, 0.544)
    assert round(compas_fit.cross_validated_lawful_only.r2, 3) == 0.466
    # A person's predicted score is the table's sum for their row.
    assert compas_fit.surrogate.predict_frame(_frame_of(frame.head(50))) == pytest.approx(np.clip(fitted[:50], 1, 10))


def _frame_of(rows: pd.DataFrame) -> pd.DataFrame:
    instrument = load_instrument()
    from sentencing.risk import risk_frame

    return risk_frame([risk_case_from_record(r, instrument, case_id=f"r{i}") for i, r in
                       enumerate(rows.to_dict("records"))], instrument)  # fmt: skip


def test_the_outcome_baseline_and_the_tool_s_auc(compas_fit, compas_records) -> None:
    frame, _ = compas_records
    baseline = compas_fit.baseline
    assert baseline.recorded_score_auc == pytest.approx(roc_auc_score(frame["two_year_recid"], frame["decile_score"]))
    assert (round(baseline.baseline_auc_cross_validated, 3), round(baseline.recorded_score_auc, 3)) == (0.736, 0.710)


def test_the_surrogate_is_a_json_file_whose_digest_is_its_identity(compas_fit, compas_records, tmp_path) -> None:
    instrument = load_instrument()
    path = write_points_table(compas_fit.surrogate, tmp_path / "surrogate")
    assert path == tmp_path / "surrogate" / "surrogate.json"
    loaded = load_points_table(path, instrument)
    assert loaded.identity.sha256 == sha256_file(str(path)) == compas_fit.surrogate.identity.sha256
    # The folder loads the same model, through the one model loader too; another digest is refused before use.
    assert load_model(path.parent).identity.sha256 == loaded.identity.sha256
    with pytest.raises(IntegrityError, match="digest mismatch"):
        load_model(path.parent, expected_sha256="0" * 64)
    rows = _frame_of(compas_records[0].head(200))
    assert np.array_equal(loaded.predict_frame(rows), compas_fit.surrogate.predict_frame(rows))
    document = json.loads(path.read_text(encoding="utf-8"))
    document["terms"][0]["factor"] = "income"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(ModelLoadError, match=r"terms\[0\]: expected a known factor"):
        load_points_table(path, instrument)
    # Each part the answers rest on is checked before the surrogate loads: a term's value, and the caveat's source.
    for broken, message in (
        (lambda d: d["terms"][1].update(value="many"), r"terms\[1\]\.value: expected a number"),  # age >= 21
        (lambda d: d["terms"][0].update(value="X"), r"terms\[0\]\.value: expected one of \['F', 'M'\]"),
        (lambda d: d.pop("kind"), "a surrogate must say it is one"),
        (lambda d: d["fidelity"].pop("cross_validated"), "a surrogate must say it is one, with rows, r2"),
    ):
        document = json.loads(canonical_json(compas_fit.surrogate.document))
        broken(document)
        path.write_text(json.dumps(document), encoding="utf-8")
        with pytest.raises(ModelLoadError, match=message):
            load_points_table(path, instrument)
    with pytest.raises(ModelLoadError, match="no such surrogate"):
        load_points_table(tmp_path / "absent.json", instrument)


def test_the_recorded_data_travels_beside_the_surrogate_and_is_checked(compas_fit, compas_csv, tmp_path) -> None:
    bare = load_points_table(write_points_table(compas_fit.surrogate, tmp_path / "bare"))
    assert bare.training_data is None
    with pytest.raises(ModelLoadError, match="recorded scores, and only a surrogate fitted to them carries them"):
        recorded_scores(bare, load_instrument())
    folder = tmp_path / "with-data"
    loaded = load_points_table(write_points_table(compas_fit.surrogate, folder, compas_csv))
    assert loaded.training_data is not None
    assert sha256_file(str(loaded.training_data.path)) == compas_fit.surrogate.card["data"]["sha256"]
    other = tmp_path / "other.csv"
    other.write_bytes(compas_csv.read_bytes() + b"\n")
    with pytest.raises(IntegrityError):  # data that is not what it was fitted to is never written beside it
        write_points_table(compas_fit.surrogate, tmp_path / "wrong", other)
    (folder / "training-data" / compas_csv.name).write_bytes(other.read_bytes())
    with pytest.raises(IntegrityError):  # nor used if it changed afterwards
        recorded_scores(loaded, load_instrument())


def test_the_risk_report_for_a_person_the_tool_rated_high(compas_fit, compas_records, tmp_path) -> None:
    frame, steps = compas_records
    instrument = load_instrument()
    row = frame[frame["id"] == 22].iloc[0].to_dict()
    case = risk_case_from_record(row, instrument, case_id="compas-22")
    report = build_risk_report(case, compas_fit.surrogate, frame, steps)
    kinds = [f.kind for f in report.findings]
    assert kinds[0] is FindingKind.DISPARATE_FALSE_POSITIVES  # the person's own group first
    assert FindingKind.SCORE_UNEXPLAINED_BY_PUBLIC_FACTS in kinds  # recorded 10, surrogate 5
    # The disparate false-positive figures, recomputed with a plain crosstab.
    not_reoffended = frame[frame["two_year_recid"] == 0]
    fpr = not_reoffended.groupby("race")["score_text"].apply(lambda s: (s != "Low").mean())
    evidence = report.findings[0].evidence
    assert f"{fpr['African-American']:.1%}" in evidence.en and f"{fpr['Caucasian']:.1%}" in evidence.zh
    assert "42.3%" in evidence.en and "22.0%" in evidence.en
    # Every finding drawn from the surrogate says so.
    assert {f.kind for f in report.findings if f.basis is FindingBasis.SURROGATE} >= {
        FindingKind.SCORE_UNEXPLAINED_BY_PUBLIC_FACTS
    }
    assert report.search is not None and report.search.fewest_changes == 1
    for language, words in (("en", ("Surrogate model", "What if: prior offences", "False")),
                            ("zh-CN", ("替代模型", "假设：前科次数", "假阳性率"))):  # fmt: skip
        html = render_risk_html(report, language)
        assert all(w in html for w in words[:2]) and ("FPR" in html or words[2] in html)
    written = write_risk_report(report, tmp_path, "zh-CN")
    pdf = PdfReader(str(tmp_path / "report.zh-CN.pdf"))
    assert pdf.attachments["report.json"][0] == risk_report_json(report) == written[0].read_bytes()
    assert "风险评分质证报告" in pdf.pages[0].extract_text()


def test_the_standard_risk_report_shows_the_score_s_parts_and_the_deep_adds_the_rest(
    compas_fit, compas_records
) -> None:
    frame, steps = compas_records
    instrument = load_instrument()
    row = frame[frame["id"] == 22].iloc[0]
    case = risk_case_from_record(row.to_dict(), instrument, case_id="compas-22")
    standard = build_risk_report(case, compas_fit.surrogate, frame, steps, tier="standard")
    body = standard.to_dict()
    assert body["tier"] == "standard" and body["findings"] == [] and body["fewest_changes"] is None
    assert body["whatif_priors"] is None and body["whatif_age"] is None and body["sensitivity"] is None
    # The parts, recomputed from the data row and the table's JSON: the intercept plus each term that holds.
    document = compas_fit.surrogate.document
    column = {"charge": "c_charge_degree"}
    held = [
        t
        for t in document["terms"]
        if (
            row[column.get(t["factor"], t["factor"])] >= t["value"]
            if t["op"] == ">="
            else row[column.get(t["factor"], t["factor"])] == t["value"]
        )
    ]
    total = document["intercept"] + sum(t["points"] for t in held)
    assert body["points"]["total"] == pytest.approx(total, abs=1e-9)
    assert body["points"]["total"] == pytest.approx(body["prediction"]["baseline"]["score"], abs=1e-6)
    assert sum(t["holds"] for t in body["points"]["terms"]) == len(held)
    html = render_risk_html(standard, "zh-CN")
    assert "标准报告" in html and "本人评分的组成" in html and "State v. Loomis" in html and "质证理由" not in html
    deep = build_risk_report(case, compas_fit.surrogate, frame, steps, tier="deep")
    assert deep.findings and deep.search is not None and "深度报告" in render_risk_html(deep, "zh-CN")
    assert deep.to_dict()["recorded_score_audit"] == body["recorded_score_audit"]
    with pytest.raises(ValueError, match="tier"):
        build_risk_report(case, compas_fit.surrogate, frame, steps, tier="summary")


def test_the_risk_report_json_is_checked_against_its_schema(compas_fit, compas_records) -> None:
    from explain_tiers.render import validate_report
    from sentencing.errors import SchemaValidationError

    frame, steps = compas_records
    case = risk_case_from_record(frame[frame["id"] == 22].iloc[0].to_dict(), load_instrument(), case_id="compas-22")
    standard = build_risk_report(case, compas_fit.surrogate, frame, steps, tier="standard").to_dict()
    deep = build_risk_report(case, compas_fit.surrogate, frame, steps, tier="deep").to_dict()
    for body in (standard, deep):
        validate_report(body, schema="risk_report")
    broken = (
        ({**standard, "findings": deep["findings"]}, "findings"),  # a standard report makes no findings
        ({**deep, "whatif_priors": None}, "whatif_priors"),  # a deep one has every part
        ({k: v for k, v in standard.items() if k != "tier"}, "(root)"),
        ({**standard, "points": {**standard["points"], "total": "6"}}, "points"),
    )
    for body, path in broken:
        with pytest.raises(SchemaValidationError) as raised:
            validate_report(body, "risk report", "risk_report")
        assert path in str(raised.value), str(raised.value)
