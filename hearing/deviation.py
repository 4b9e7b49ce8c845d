"""The deviation monitor: across a judge's rulings, how far and which way the judge moves from the algorithm.

For each ruling, the adjustment is adopted − suggested (months) and its relative size. Over the most
recent ``window`` rulings, and over the rulings of the last ``period_days`` days, the monitor warns of
anchoring when the adjustments have shrunk toward zero (mean |relative| below ``zero_threshold``) or keep
to one direction (at least ``one_way_share`` of them on the same side); 法发〔2022〕33号 asks for such
sentencing-deviation warnings. Recidivists (累犯), offenders with a prior record (前科, habitual offenders
among them) and first offenders are summarised apart: a judge who follows the algorithm for one group only
is visible. After a warning, the judge's next citation needs a written reason (原因说明, the hearing service).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import numpy as np

from sentencing.i18n import Label, Language

__all__ = ["OFFENDER_GROUPS", "DeviationPoint", "DeviationReport", "GroupDeviation", "deviation_chart",
           "monitor_deviation"]  # fmt: skip

OFFENDER_GROUPS: dict[str, Label] = {
    "recidivist": Label("累犯", "recidivists"),
    "prior_record": Label("有前科者（含惯犯）", "offenders with a prior record (habitual offenders among them)"),
    "first_offender": Label("初犯", "first offenders"),
}


@dataclass(frozen=True)
class DeviationPoint:
    hearing_id: int
    when: str
    suggestion_months: float
    adopted_months: float
    group: str = "first_offender"  # OFFENDER_GROUPS

    @property
    def adjustment_months(self) -> float:
        return self.adopted_months - self.suggestion_months

    @property
    def relative(self) -> float:
        return self.adjustment_months / self.suggestion_months if self.suggestion_months else 0.0


@dataclass(frozen=True)
class GroupDeviation:
    """One group of offenders' rulings: how many, the mean adjustment and its mean size (relative)."""

    group: str
    count: int
    mean_relative: float
    mean_abs_relative: float

    def to_dict(self) -> dict[str, Any]:
        return {"group": self.group, "label": OFFENDER_GROUPS[self.group].to_mapping(), "count": self.count,
                "mean_relative": self.mean_relative, "mean_abs_relative": self.mean_abs_relative}  # fmt: skip


@dataclass(frozen=True)
class DeviationReport:
    judge: str
    points: tuple[DeviationPoint, ...]
    window: int
    mean_abs_relative: float
    mean_relative: float
    recent_mean_abs_relative: float
    recent_same_direction_share: float
    warnings: tuple[Label, ...]
    period_days: int = 90
    period_count: int = 0
    period_mean_abs_relative: float = 0.0
    period_same_direction_share: float = 0.0
    groups: tuple[GroupDeviation, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "judge": self.judge,
            "window": self.window,
            "period_days": self.period_days,
            "period_count": self.period_count,
            "period_mean_abs_relative": self.period_mean_abs_relative,
            "period_same_direction_share": self.period_same_direction_share,
            "groups": [g.to_dict() for g in self.groups],
            "mean_abs_relative": self.mean_abs_relative,
            "mean_relative": self.mean_relative,
            "recent_mean_abs_relative": self.recent_mean_abs_relative,
            "recent_same_direction_share": self.recent_same_direction_share,
            "points": [
                {
                    "hearing_id": p.hearing_id,
                    "when": p.when,
                    "suggestion_months": p.suggestion_months,
                    "adopted_months": p.adopted_months,
                    "relative": round(p.relative, 6),
                    "group": p.group,
                }
                for p in self.points
            ],
            "warnings": [w.to_mapping() for w in self.warnings],
        }


def _signals(
    relative: np.ndarray, scope: Label, minimum: int, zero_threshold: float, one_way_share: float
) -> tuple[float, float, list[Label]]:
    """Mean size, one-way share and the anchoring warnings of ``relative`` (the adjustments of one window)."""
    size = float(np.abs(relative).mean()) if relative.size else 0.0
    moved = relative[np.abs(relative) > 1e-9]
    same_share = float(max((moved > 0).mean(), (moved < 0).mean())) if moved.size else 0.0
    warnings: list[Label] = []
    if relative.size >= minimum and size < zero_threshold:
        warnings.append(Label(f"{scope.zh}，法官对算法建议的平均调整仅为 {size:.1%}：可能存在锚定效应。",
                              f"{scope.en} the judge's adjustments to the algorithm averaged only {size:.1%}: the "
                              "judge may be anchoring on it."))  # fmt: skip
    if relative.size >= minimum and moved.size >= minimum // 2 + 1 and same_share >= one_way_share:
        direction = Label("加重", "upward") if (moved > 0).mean() >= one_way_share else Label("减轻", "downward")
        warnings.append(Label(f"{scope.zh}，{same_share:.0%} 的调整方向均为{direction.zh}。",
                              f"{scope.en} {same_share:.0%} of the adjustments went {direction.en}."))  # fmt: skip
    return size, same_share, warnings


def monitor_deviation(
    judge: str,
    points: Sequence[DeviationPoint],
    *,
    window: int = 5,
    period_days: int = 90,
    zero_threshold: float = 0.02,
    one_way_share: float = 0.8,
) -> DeviationReport:
    """The monitor over ``points`` in the order the rulings were written (``when``: ISO time)."""
    relative = np.array([p.relative for p in points], dtype=float)
    mean_abs = float(np.abs(relative).mean()) if relative.size else 0.0
    mean = float(relative.mean()) if relative.size else 0.0
    recent_abs, same_share, warnings = _signals(
        relative[-window:], Label(f"最近 {window} 个案件中", f"Over the last {window} cases"), window, zero_threshold,
        one_way_share)  # fmt: skip
    period = np.array([], dtype=float)
    if points:
        last = datetime.fromisoformat(points[-1].when)
        since = last - timedelta(days=period_days)
        period = np.array([p.relative for p in points if datetime.fromisoformat(p.when) > since], dtype=float)
    period_abs, period_share, period_warnings = _signals(
        period, Label(f"最近 {period_days} 天内的 {period.size} 个案件中",
                      f"Over the {period.size} cases of the last {period_days} days"),
        window, zero_threshold, one_way_share)  # fmt: skip
    if period.size > window:  # the same rulings as the count window would only repeat its warnings
        warnings.extend(period_warnings)
    groups = []
    for group in OFFENDER_GROUPS:
        values = np.array([p.relative for p in points if p.group == group], dtype=float)
        if values.size:
            groups.append(GroupDeviation(group, int(values.size), round(float(values.mean()), 6),
                                         round(float(np.abs(values).mean()), 6)))  # fmt: skip
    return DeviationReport(
        judge, tuple(points), window, round(mean_abs, 6), round(mean, 6), round(recent_abs, 6), round(same_share, 6),
        tuple(warnings), period_days, int(period.size), round(period_abs, 6), round(period_share, 6), tuple(groups),
    )  # fmt: skip


def deviation_chart(report: DeviationReport, language: Language) -> bytes:
    """PNG: each ruling's relative adjustment over time, with the rolling mean of its size."""
    import io

    import matplotlib.pyplot as plt

    from explain_tiers.charts import chart_context  # sets the Agg backend; loaded only when a chart is drawn

    with chart_context():
        figure, axes = plt.subplots(figsize=(6, 2.6))
        values = [p.relative * 100 for p in report.points]
        axes.bar(range(1, len(values) + 1), values, color=["#c0392b" if v > 0 else "#2e8b57" for v in values])
        if values:
            rolling = [
                float(np.mean(np.abs(values[max(0, i - report.window + 1) : i + 1]))) for i in range(len(values))
            ]
            axes.plot(
                range(1, len(values) + 1),
                rolling,
                color="#333",
                label=Label("调整幅度滚动平均", "rolling mean size").text(language),
            )
            axes.legend(fontsize=7)
        axes.axhline(0, color="#333", linewidth=0.8)
        if len(values) <= 24:  # each bar names its hearing and day; more would be unreadable (the table has them)
            axes.set_xticks(range(1, len(values) + 1),
                            [f"#{p.hearing_id}\n{p.when[5:10]}" for p in report.points], fontsize=6)  # fmt: skip
        axes.set_xlabel(Label("庭审与裁判日期（月-日）", "hearing and day of the ruling (month-day)").text(language))
        axes.set_ylabel(Label("相对算法的调整 (%)", "adjustment vs algorithm (%)").text(language))
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=120, metadata={"Software": None})
        plt.close(figure)
        return buffer.getvalue()
