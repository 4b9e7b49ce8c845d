"""The judge's accountability loop (issue 19, item 3), through the service a court uses, on SQLite and PostgreSQL:
after the deviation monitor warns of anchoring, the next citation needs a written reason (原因说明), kept and sealed;
a term beyond the guideline's ±20% band needs reasons and marks the ruling for the adjudication committee; each
ruling knows its offender group; the judgment-ready citation says what the system suggested, what was weighed and
what was adopted and why, in zh-CN and English."""

from __future__ import annotations

import pytest

from sentencing.case import parse_case
from sentencing.errors import InputError
from sentencing.guideline import derive_sentence
from sentencing.models import predict_cases
from tests.hearing.store_fixtures import bundled_document

WEIGHED = {"weighed_liability": "盗窃数额 amount stolen", "weighed_prevention": "坦白 confession", "particulars": ""}


def _hearing(court, name: str, case_id: str) -> tuple[int, float, tuple[float, float]]:
    """A new hearing of a bundled case under another id: (hearing, the model's suggestion, the guideline's band)."""
    s, t = court.service, court.tokens
    document = {**bundled_document(name), "case_id": case_id}
    s.create_case(t["clerk"], document)
    hearing = s.open_hearing(t["clerk"], case_id, court.model_id, ["judge", "defence"])
    case = parse_case(document)
    band = derive_sentence(case).judicial_band
    return hearing, float(predict_cases(s._model(court.model_id), [case])[0]), (band.low, band.high)


def test_after_an_anchoring_warning_the_next_ruling_needs_a_written_reason(court) -> None:
    s, t = court.service, court.tokens
    for number in range(5):  # five rulings that adopt the algorithm's term exactly: the monitor warns
        hearing, suggestion, _ = _hearing(court, "theft-non-local-unemployed", f"anchored-{number}")
        s.write_ruling(t["judge"], hearing, **WEIGHED, adopted_months=suggestion, departure_reasons="综合考量")
    warned = s.deviation(t["judge"], "judge").warnings
    assert any("anchoring" in w.en for w in warned)
    hearing, suggestion, _ = _hearing(court, "theft-non-local-unemployed", "after-warning")
    with pytest.raises(InputError, match=r"anchoring_reasons.*the deviation monitor warns.*原因说明"):
        s.write_ruling(t["judge"], hearing, **WEIGHED, adopted_months=suggestion, departure_reasons="综合考量")
    s.write_ruling(t["judge"], hearing, **WEIGHED, adopted_months=suggestion, departure_reasons="综合考量",
                   anchoring_reasons="本案事实与系统训练数据中的同类案件一致，经独立计算后结论相同")  # fmt: skip
    ruling = s.ruling(t["judge"], hearing)
    assert ruling is not None and ruling.anchoring_reasons.startswith("本案事实")
    assert [w["en"] for w in ruling.anchoring_warnings] == [w.en for w in warned]
    zh, en = s.citation_text(t["judge"], hearing, "zh-CN"), s.citation_text(t["judge"], hearing, "en")
    assert "偏离监测提示" in zh and "法官原因说明：本案事实" in zh
    assert "The deviation monitor warned" in en and "The judge's written reason: 本案事实" in en


def test_a_term_beyond_the_guideline_band_needs_reasons_and_goes_to_the_committee(court) -> None:
    s, t = court.service, court.tokens
    hearing, _, (low, high) = _hearing(court, "theft-non-local-unemployed", "beyond-band")
    beyond = high + 2.0  # beyond the guideline's band, whatever the model suggests
    with pytest.raises(InputError, match=r"departure_reasons.*beyond the guideline's ±20% band.*审判委员会"):
        s.write_ruling(t["judge"], hearing, **WEIGHED, adopted_months=beyond, departure_reasons="")
    s.write_ruling(t["judge"], hearing, **WEIGHED, adopted_months=beyond, departure_reasons="犯罪情节特别恶劣")
    ruling = s.ruling(t["judge"], hearing)
    assert ruling is not None and ruling.committee_referral and ruling.guideline_band == (low, high)
    zh, en = s.citation_text(t["judge"], hearing, "zh-CN"), s.citation_text(t["judge"], hearing, "en")
    for heading in (
        "一、系统建议",
        "二、法官考量",
        "三、采纳情况及理由",
        "提交审判委员会讨论决定",
        "理由：犯罪情节特别恶劣",
    ):
        assert heading in zh
    for heading in ("1. What the system suggested", "2. What the judge weighed", "3. What was adopted and why",
                    "adjudication committee", f"its ±20% band {low:g}–{high:g} months"):  # fmt: skip
        assert heading in en
    inside, _, (low2, high2) = _hearing(court, "theft-non-local-unemployed", "inside-band")
    s.write_ruling(t["judge"], inside, **WEIGHED, adopted_months=(low2 + high2) / 2, departure_reasons="指导意见")
    assert s.ruling(t["judge"], inside).committee_referral is False  # type: ignore[union-attr]
    assert "审判委员会" not in (s.citation_text(t["judge"], inside, "zh-CN") or "")


def test_recidivists_are_shown_apart_in_the_monitor(court) -> None:
    s, t = court.service, court.tokens
    hearing, suggestion, _ = _hearing(court, "theft-burglary-recidivist", "recidivist-1")
    s.write_ruling(t["judge"], hearing, **WEIGHED, adopted_months=suggestion, departure_reasons="综合考量")
    first, suggestion2, _ = _hearing(court, "theft-non-local-unemployed", "first-1")
    s.write_ruling(t["judge"], first, **WEIGHED, adopted_months=suggestion2, departure_reasons="综合考量")
    report = s.deviation(t["appeal"], "judge")
    assert {p.hearing_id: p.group for p in report.points} == {hearing: "recidivist", first: "first_offender"}
    assert {g.group: g.count for g in report.groups} == {"recidivist": 1, "first_offender": 1}
    assert s.ruling(t["judge"], hearing).offender_group == "recidivist"  # type: ignore[union-attr]
