"""Plain-text tables for the terminal, measured in display columns (a Chinese character takes two)."""

from __future__ import annotations

import unicodedata

from sentencing.i18n import Label, Language

__all__ = ["TEXT", "months", "pad", "signed", "table", "term", "width"]

TEXT: dict[str, Label] = {
    "case": Label("案件", "Case"),
    "charge": Label("罪名", "Charge"),
    "jurisdiction": Label("辖区", "Jurisdiction"),
    "facts": Label("事实与情节", "Facts and circumstances"),
    "model": Label("受质证的算法模型", "Model under challenge"),
    "fingerprint": Label("指纹", "fingerprint"),
    "verified": Label("已核验", "verified"),
    "unverified": Label("未核验(供应商声明)", "not verified (declared by the vendor)"),
    "recommendation": Label("算法建议刑期", "Algorithm's recommendation"),
    "guideline": Label(
        "量刑指导意见(法发〔2021〕21号)四步法推导", "Guideline derivation (法发〔2021〕21号, four-step method)"
    ),
    "step": Label("步骤", "step"),
    "zone": Label("区域", "zone"),
    "change": Label("变化(月)", "change (mo)"),
    "running": Label("累计(月)", "running (mo)"),
    "range": Label("幅度(月)", "range (mo)"),
    "source": Label("依据", "source"),
    "guideline_point": Label("指导意见建议刑期", "Guideline recommendation"),
    "circumstance_range": Label("情节幅度", "range over the circumstances' legal ratios"),
    "judicial_band": Label("法官±20%调整幅度", "judge's ±20% band"),
    "statutory_band": Label("法定刑幅度", "statutory band"),
    "outcome": Label("刑罚结果", "Outcome"),
    "gap": Label("算法与指导意见之差", "Algorithm minus guideline"),
    "inside_band": Label("在法官调整幅度之内", "inside the judge's band"),
    "outside_band": Label("超出法官调整幅度", "OUTSIDE the judge's band"),
    "outside_limits": Label("超出法定刑幅度", "OUTSIDE the statutory limits"),
    "below_minimum": Label(
        "具有减轻处罚情节，可低于法定最低刑", "a mitigation circumstance allows a term below the statutory minimum"
    ),
    "months": Label("个月", "months"),
    "count": Label("第 {n} 罪", "Count {n}"),
    "combined": Label("数罪并罚(刑法第69条)", "Several crimes combined (数罪并罚, Criminal Law art. 69)"),
    "executed_range": Label("决定执行的刑期幅度(由法院酌情决定)", "executed term (the court decides within)"),
    "fines_summed": Label("罚金相加执行", "fines added"),
    "probation_term": Label(
        "执行刑期可在三年以下：可以考虑缓刑", "the executed term can be 3 years or less: probation may be considered"
    ),
    "machine": Label("机器区", "machine"),
    "shared": Label("共享区", "shared"),
    "human": Label("人工区", "human"),
    "not_counted": Label("不重复评价", "not counted"),
    "step_notes": Label("步骤说明", "notes on the steps"),
    "caution": Label(
        "提示：算法建议是证据，不是判决；它反映的是过往案件的群体规律，而非本案被告人。",
        "Caution: the recommendation is evidence, not a verdict; it reflects patterns in groups of past cases, "
        "not this defendant.",
    ),
}


def term(key: str, language: Language) -> str:
    return TEXT[key].text(language)


def width(text: str) -> int:
    """Display columns: a wide (Chinese) character takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def pad(text: str, columns: int) -> str:
    return text + " " * max(0, columns - width(text))


def table(rows: list[list[str]]) -> list[str]:
    widths = [max(width(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = []
    for index, row in enumerate(rows):
        lines.append("  ".join(pad(cell, widths[i]) for i, cell in enumerate(row)).rstrip())
        if index == 0:
            lines.append("  ".join("-" * w for w in widths))
    return lines


def months(value: float) -> str:
    return f"{value:.1f}"


def signed(value: float) -> str:
    return f"{value:+.1f}"
