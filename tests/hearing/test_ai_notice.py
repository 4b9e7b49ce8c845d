"""Notice and opt-out (issue 19, item 4; 法发〔2022〕33号 art. 5): the record says the defendant was told AI is used
and whether they refused it; after a refusal the model is not asked, and the hearing and the citation proceed on the
guideline alone."""

from __future__ import annotations

import pytest

from sentencing.errors import AccessDeniedError, InputError
from tests.hearing.test_app import _app

WEIGHED = {"weighed_liability": "数额", "weighed_prevention": "坦白", "particulars": "", "departure_reasons": ""}


def test_the_notice_is_an_entry_and_the_citation_says_so(court) -> None:
    s, t, h = court.service, court.tokens, court.hearing_id
    _, seq = s.state(t["clerk"], h, "ai_notice", {"notified_on": "2026-04-01", "means": "written", "refused": False})
    entry = s.record(t["defence"], h)[seq - 1]
    assert (entry.operation, entry.party, entry.result["refused"]) == ("ai_notice", "clerk (clerk)", False)
    assert entry.result["statement"]["en"].startswith("The defendant was told")
    assert s.declined(t["defence"], h) is None
    s.query(t["defence"], h, "whatif", {"changes": {"restitution": False}})  # the model answers as before
    s.write_ruling(t["judge"], h, **{**WEIGHED, "departure_reasons": "综合"}, adopted_months=6.0)
    zh = s.citation_text(t["judge"], h, "zh-CN") or ""
    assert f"已于 2026-04-01 告知被告人本案使用人工智能辅助（第 {seq} 条记录），被告人未拒绝" in zh


def test_after_a_refusal_the_hearing_and_the_citation_proceed_on_the_guideline_alone(court) -> None:
    s, t, h = court.service, court.tokens, court.hearing_id
    with pytest.raises(AccessDeniedError, match=r"enter ai_notice: only clerk, judge"):
        s.state(t["defence"], h, "ai_notice", {"notified_on": "2026-04-01", "means": "oral", "refused": True})
    _, seq = s.state(t["judge"], h, "ai_notice", {"notified_on": "2026-04-01", "means": "oral", "refused": True,
                                                  "note": "被告人当庭表示不同意使用"})  # fmt: skip
    assert s.declined(t["defence"], h) == seq
    with pytest.raises(InputError, match=r"refused the algorithm's assistance \(entry 1; 法发〔2022〕33号 art\. 5\)"):
        s.query(t["defence"], h, "whatif", {"changes": {"restitution": False}})
    with pytest.raises(InputError, match=r"refused the algorithm's assistance"):
        s.query(t["judge"], h, "report", {"tier": "deep"})
    guideline, _ = s.query(t["defence"], h, "guideline", {})  # the law's yardstick never asks the model
    band = guideline.result["judicial_band_months"]
    with pytest.raises(InputError, match=r"beyond the guideline's ±20% band"):
        s.write_ruling(t["judge"], h, **WEIGHED, adopted_months=band[1] + 3)
    s.write_ruling(t["judge"], h, **WEIGHED, adopted_months=band[0])  # no model to depart from: no reasons needed
    ruling = s.ruling(t["judge"], h)
    assert ruling is not None and ruling.system_suggestion_months is None and not ruling.committee_referral
    assert s.deviation(t["judge"], "judge").points == ()  # nothing to measure against the algorithm
    zh, en = s.citation_text(t["judge"], h, "zh-CN") or "", s.citation_text(t["judge"], h, "en") or ""
    assert "拒绝使用人工智能辅助，本院未询问算法" in zh and "辅助量刑系统" not in zh
    assert "1. Whether the algorithm was used" in en and "What the system suggested" not in en
    assert "the defendant refused the assistance of artificial intelligence" in en


@pytest.mark.parametrize(
    ("parameters", "message"),
    [
        ({"notified_on": "2026-02-30", "means": "oral", "refused": True}, r"'notified_on': .*no calendar date"),
        ({"notified_on": "2026-02-01", "means": "email", "refused": True}, r"'means' must be written or oral"),
        ({"notified_on": "2026-02-01", "means": "oral", "refused": "yes"}, r"'refused' must be true or false"),
    ],
)
def test_a_bad_notice_is_refused_naming_the_field(court, parameters, message) -> None:
    with pytest.raises(InputError, match=message):
        court.service.state(court.tokens["clerk"], court.hearing_id, "ai_notice", parameters)
    assert court.service.record(court.tokens["clerk"], court.hearing_id) == []


def test_the_judge_records_a_refusal_from_the_case_page(court_url) -> None:
    at = _app(court_url, "judge", "app_pages/case.py", language="en")
    at.radio(key="notice_means").set_value("oral")
    at.checkbox(key="notice_refused").check()
    at.button(key="FormSubmitter:ai_notice-Enter in the record").click().run()
    assert not at.exception and not at.error
    assert any("refused the assistance of AI (entry 1)" in i.value for i in at.info)
    assert court_url.service.declined(court_url.tokens["defence"], court_url.hearing_id) == 1
