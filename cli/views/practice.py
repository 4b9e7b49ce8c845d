"""Terminal view of a comparison with similar decided cases; it formats, never computes."""

from __future__ import annotations

from cli.views.table import table
from sentencing.i18n import Label, Language
from sentencing.practice import PracticeComparison, column_label

__all__ = ["render_practice"]

_TEXT: dict[str, Label] = {
    "title": Label(
        "类案比对：相似的已决案件及其实际刑期", "Practice: the most similar decided cases and what they received"
    ),
    "corpus": Label("案例库", "corpus"),
    "synthetic": Label(
        "（合成判决，仅作替代：未配置法院案例库）", "(synthetic judgments standing in: no court corpus)"
    ),
    "none": Label("案例库中没有同罪名的案件", "the corpus holds no case of this charge"),
    "id": Label("判决", "judgment"),
    "distance": Label("距离", "distance"),
    "real": Label("实际刑期(月)", "real (months)"),
    "differs": Label("不同之处", "differs in"),
    "spread": Label("相似案件实际刑期分布", "Real terms of the similar cases"),
    "model": Label("模型建议", "model's recommendation"),
    "guideline": Label("指导意见测算", "guideline's result"),
    "percentile": Label("百分位", "percentile"),
    "outside": Label(
        "模型建议落在相似案件实际刑期的10%–90%区间之外",
        "The model's recommendation lies outside the 10th–90th percentile of what similar cases received",
    ),
    "inside": Label(
        "模型建议在相似案件实际刑期的10%–90%区间之内",
        "The model's recommendation lies within the 10th–90th percentile of what similar cases received",
    ),
}


def render_practice(comparison: PracticeComparison, language: Language) -> str:
    t = {key: label.text(language) for key, label in _TEXT.items()}
    corpus = comparison.corpus
    lines = [t["title"], f"  {t['corpus']}: {corpus['source']} ({corpus['judgments']}, sha256 "
             f"{str(corpus['sha256'])[:16]}…)" + (f" {t['synthetic']}" if corpus["synthetic"] else "")]  # fmt: skip
    if not comparison.neighbours:
        return "\n".join([*lines, "  " + t["none"]])
    rows = [[t["id"], t["distance"], t["real"], t["differs"]]]
    for n in comparison.neighbours:
        rows.append(
            [
                n.judgment_id,
                f"{n.distance:.3f}",
                f"{n.real_months:g}",
                ", ".join(column_label(c, language) for c in n.differences[:4])
                + (" …" if len(n.differences) > 4 else ""),
            ]
        )
    lines += ["", *("  " + row for row in table(rows)), "", t["spread"]]
    lines.append("  " + "  ".join(f"{name} {value:g}" for name, value in comparison.quantiles))
    if comparison.model_months is not None:
        lines.append(f"  {t['model']}: {comparison.model_months:.1f} ({t['percentile']} {comparison.model_percentile})")
    if comparison.guideline_months is not None:
        lines.append(f"  {t['guideline']}: {comparison.guideline_months:.1f} ({t['percentile']} "
                     f"{comparison.guideline_percentile})")  # fmt: skip
    lines += ["", t["outside"] if comparison.model_outside else t["inside"]]
    return "\n".join(lines)
