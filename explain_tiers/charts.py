"""Charts where people would rather look than read: attribution bars, the guideline waterfall, what-if curves.

Each function formats an already computed result; nothing is recomputed. PNG at 150 dpi, embedded
as data URIs so that the HTML and the PDF carry their own pictures.
"""

from __future__ import annotations

import base64
import contextlib
import io
import textwrap
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from sentencing.catalogue import LegalRole
from sentencing.guideline import Derivation, StepKind
from sentencing.i18n import Language

__all__ = ["attribution_chart", "chart_context", "waterfall_chart", "whatif_chart"]

_FONTS = ["Noto Sans CJK SC", "Noto Sans CJK JP", "DejaVu Sans"]
ROLE_COLOURS = {
    LegalRole.LIABILITY: "#1f5a99",
    LegalRole.PREVENTION: "#2e8b57",
    LegalRole.LEGALLY_IRRELEVANT: "#c0392b",
}


_LOCK = threading.RLock()


@contextlib.contextmanager
def chart_context() -> Iterator[None]:
    """Chinese-capable fonts for one chart, one chart at a time.

    matplotlib's settings are process-wide and pyplot is not thread-safe: the app serves several
    users from threads, and two charts drawn at once would restore each other's fonts mid-drawing
    (Chinese labels then render as boxes). The lock makes each chart's settings its own.
    """
    with _LOCK, plt.rc_context({"font.sans-serif": _FONTS, "font.family": "sans-serif", "axes.unicode_minus": False}):
        yield


def _png(figure: Figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=150, bbox_inches="tight", metadata={"Software": None})
    plt.close(figure)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def attribution_chart(lines: Sequence[Any], language: Language, months: str) -> str:
    """Horizontal bars: each main factor's push on the term, coloured by legal role."""
    with chart_context():
        figure, axes = plt.subplots(figsize=(6.4, 0.32 * max(len(lines), 3) + 0.6))
        labels = [line.label.text(language) for line in lines][::-1]
        weights = [line.weight for line in lines][::-1]
        colours = [ROLE_COLOURS[line.legal_role] for line in lines][::-1]
        axes.barh(labels, weights, color=colours)
        axes.axvline(0, color="#333", linewidth=0.8)
        axes.set_xlabel(months)
        axes.tick_params(labelsize=8)
        figure.tight_layout()
        return _png(figure)


def _wrapped(text: str, width: int, lines: int = 3) -> str:
    """``text`` on at most ``lines`` lines of about ``width`` characters (Chinese by characters, else by words); only
    a label longer than that ends in "…" (the table beside the chart gives every label whole)."""
    spaced = " " in text
    parts = textwrap.wrap(text, width) if spaced else [text[i : i + width] for i in range(0, len(text), width)]
    if len(parts) > lines:
        parts = [*parts[: lines - 1], parts[lines - 1][: width - 1] + "…"]
    return "\n".join(parts)


def waterfall_chart(derivation: Derivation, recommended: float, language: Language, labels: dict[str, str]) -> str:
    """Starting point → increments → each circumstance → limits: bars from the running term; the model beside it."""
    with chart_context():
        steps = [
            s
            for s in derivation.steps
            if s.kind not in (StepKind.BASE_SENTENCE, StepKind.JUDICIAL_BAND, StepKind.NOT_COUNTED)
        ]
        figure, axes = plt.subplots(figsize=(6.4, 3.1))
        names, bottoms, heights, colours = [], [], [], []
        for step in steps:  # each label whole, wrapped on two or three lines (a cut label says nothing)
            names.append(_wrapped(step.label.text(language), 8 if language == "zh-CN" else 15))
            if step.kind is StepKind.RESULT:
                bottoms.append(0.0)
                heights.append(step.months_after)
                colours.append("#555")
            elif step.kind is StepKind.STARTING_POINT:
                bottoms.append(0.0)
                heights.append(step.months_after)
                colours.append("#1f5a99")
            else:
                start = step.months_after - step.months_delta
                bottoms.append(min(start, step.months_after))
                heights.append(abs(step.months_delta))
                colours.append("#c0392b" if step.months_delta > 0 else "#2e8b57")
        positions = range(len(names))
        axes.bar(positions, heights, bottom=bottoms, color=colours)
        band = derivation.judicial_band
        axes.axhspan(band.low, band.high, color="#999", alpha=0.15, label=labels["band"])
        axes.axhline(recommended, color="#8e44ad", linestyle="--", linewidth=1.2, label=labels["model"])
        axes.set_xticks(list(positions), names, fontsize=6.2)
        axes.set_ylabel(labels["months"])
        axes.legend(fontsize=7, loc="upper right")
        figure.tight_layout()
        return _png(figure)


def whatif_chart(
    curves: Sequence[Any], language: Language, labels: dict[str, str], value_text: Callable[[str, Any], str]
) -> str:
    """One small panel per disputed factor: the model and the guideline over that factor's values."""
    with chart_context():
        count = max(len(curves), 1)
        columns = min(3, count)
        rows = (count + columns - 1) // columns
        figure, grid = plt.subplots(rows, columns, figsize=(2.3 * columns, 1.9 * rows), squeeze=False)
        for panel, curve in zip(grid.flat, curves, strict=False):
            xs = [
                value_text(curve.factor, p.value)
                if not isinstance(p.value, int | float) or isinstance(p.value, bool)
                else p.value
                for p in curve.points
            ]
            numeric = all(isinstance(x, int | float) for x in xs)
            positions = xs if numeric else list(range(len(xs)))
            panel.plot(
                positions, [p.model_months for p in curve.points], marker="o", color="#8e44ad", label=labels["model"]
            )
            panel.plot(
                positions,
                [p.guideline_months for p in curve.points],
                marker="s",
                color="#1f5a99",
                label=labels["guideline"],
            )
            current = [i for i, p in enumerate(curve.points) if p.current]
            for i in current:
                panel.axvline(positions[i], color="#999", linestyle=":", linewidth=1)
            if not numeric:
                panel.set_xticks(positions, [str(x)[:8] for x in xs], fontsize=6, rotation=20)
            else:
                panel.tick_params(labelsize=6)
            panel.set_title(curve.label.text(language), fontsize=8)
        for panel in list(grid.flat)[len(curves) :]:
            panel.axis("off")
        grid.flat[0].legend(fontsize=6)
        figure.tight_layout()
        return _png(figure)
