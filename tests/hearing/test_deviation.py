from __future__ import annotations

import pytest

from hearing.deviation import DeviationPoint, deviation_chart, monitor_deviation
from sentencing.errors import AccessDeniedError


def _points(adopted: list[float], suggestion: float = 10.0) -> list[DeviationPoint]:
    return [DeviationPoint(i, f"2026-01-{i + 1:02d}", suggestion, a) for i, a in enumerate(adopted)]


def test_adjustments_that_shrink_to_zero_warn_of_anchoring() -> None:
    report = monitor_deviation("judge", _points([13, 7, 12, 10.1, 9.95, 10.0, 10.05, 9.9]))
    assert report.recent_mean_abs_relative < 0.02
    assert any("anchoring" in w.en for w in report.warnings) and all(w.zh for w in report.warnings)


def test_adjustments_that_keep_to_one_direction_warn() -> None:
    report = monitor_deviation("judge", _points([9, 8.5, 9.2, 8.8, 9.1, 8.0]))
    assert report.recent_same_direction_share == 1.0
    assert any("downward" in w.en for w in report.warnings)


def test_varied_adjustments_raise_nothing() -> None:
    report = monitor_deviation("judge", _points([12, 8.5, 11.5, 9, 12.5, 8]))
    assert report.warnings == () and report.mean_relative == pytest.approx((2 - 1.5 + 1.5 - 1 + 2.5 - 2) / 60)
    assert report.to_dict()["points"][0]["relative"] == pytest.approx(0.2)


def test_too_few_rulings_raise_nothing_and_the_chart_is_a_png() -> None:
    report = monitor_deviation("judge", _points([10, 10]))
    assert report.warnings == ()
    assert deviation_chart(report, "zh-CN").startswith(b"\x89PNG")
    assert deviation_chart(monitor_deviation("judge", []), "en").startswith(b"\x89PNG")


def test_a_judge_sees_only_their_own_monitor(court) -> None:
    service, t = court.service, court.tokens
    service.create_user(t["clerk"], "judge2", "correct horse battery", "judge")
    with pytest.raises(AccessDeniedError, match="only their own"):
        service.deviation(service.login("judge2", "correct horse battery"), "judge")
    service.write_ruling(t["judge"], court.hearing_id, weighed_liability="数额", weighed_prevention="自首",
                         particulars="", adopted_months=9.0, departure_reasons="综合考量")  # fmt: skip
    report = service.deviation(t["appeal"], "judge")
    assert len(report.points) == 1 and report.points[0].adopted_months == 9.0


def test_a_period_window_warns_where_the_last_rulings_alone_do_not() -> None:
    """Ten rulings in the last 90 days, eight of them downward; the last five split 3–2: only the period warns."""
    adopted = [9, 9, 9, 9, 9, 9.5, 11, 9, 11, 9]  # relative to 10 months: the last five are -, +, -, +, -
    points = [DeviationPoint(i, f"2026-03-{i + 1:02d}T10:00:00", 10.0, a) for i, a in enumerate(adopted)]
    older = [DeviationPoint(100 + i, f"2025-06-{i + 1:02d}T10:00:00", 10.0, 12.0) for i in range(5)]  # outside
    report = monitor_deviation("judge", older + points, window=5, period_days=90)
    assert report.recent_same_direction_share == pytest.approx(0.6) and report.period_count == 10
    assert report.period_same_direction_share == pytest.approx(0.8)
    assert [w.en for w in report.warnings] == ["Over the 10 cases of the last 90 days 80% of the adjustments went "
                                               "downward."]  # fmt: skip
    assert "最近 90 天内的 10 个案件中" in report.warnings[0].zh and report.to_dict()["period_count"] == 10


def test_recidivists_and_prior_records_are_summarised_apart() -> None:
    points = [DeviationPoint(1, "2026-01-01", 10.0, 10.0, "recidivist"),
              DeviationPoint(2, "2026-01-02", 10.0, 10.0, "recidivist"),
              DeviationPoint(3, "2026-01-03", 10.0, 8.0, "first_offender"),
              DeviationPoint(4, "2026-01-04", 10.0, 12.0, "prior_record")]  # fmt: skip
    groups = {g.group: g for g in monitor_deviation("judge", points).groups}
    assert (groups["recidivist"].count, groups["recidivist"].mean_abs_relative) == (2, 0.0)
    assert groups["first_offender"].mean_relative == pytest.approx(-0.2)
    assert groups["prior_record"].mean_relative == pytest.approx(0.2)
    assert monitor_deviation("judge", points).to_dict()["groups"][0]["label"]["zh-CN"] == "累犯"
