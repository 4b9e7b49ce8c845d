"""Terminal views of a draft read from a text and of the reader's rules; they format, never compute."""

from __future__ import annotations

from cli.views.table import table
from sentencing.catalogue import FactorValue, load_catalogue
from sentencing.excerpts import one_line
from sentencing.i18n import Label, Language
from sentencing.reading import Draft

__all__ = ["render_draft", "render_rules"]

_TEXT: dict[str, Label] = {
    "title": Label(
        "从文书读取的案件草稿（须经当事方逐项确认或更正）",
        "Draft case read from the text (a party confirms or corrects each fact)",
    ),
    "source": Label("文书", "text"),
    "kind": Label("文书类型", "document"),
    "charge": Label("罪名", "charge"),
    "undecided": Label("未确定", "not decided"),
    "province": Label("审理地", "court's province"),
    "hint": Label("可适用的地方数额标准", "regional thresholds that may apply"),
    "facts": Label("读取的事实", "Facts read"),
    "field": Label("事实", "fact"),
    "value": Label("取值", "value"),
    "how": Label("得出方式", "how"),
    "rule": Label("规则", "rule"),
    "where": Label("位置", "characters"),
    "quote": Label("原文", "quoted"),
    "contradictions": Label("相互矛盾的表述（确认时须择一）", "Contradictions (settle each when confirming)"),
    "missing_required": Label("文书未载明、必须补充的事实", "Not stated, and required before a case exists"),
    "missing_default": Label("文书未载明的事实（确认时取默认值）", "Not stated (the default applies on confirmation)"),
    "notes": Label("说明", "Notes"),
    "written": Label("已确认的案件已写入", "Confirmed case written to"),
    "none": Label("无", "none"),
    "rules": Label("读取规则（每个来源所引用的规则编号）", "The reader's rules (the rule id each source names)"),
}
_KINDS = {
    "judgment": Label("判决书", "judgment"),
    "indictment": Label("起诉书", "indictment"),
    "proposal": Label("量刑建议", "sentencing proposal"),
    "unknown": Label("未能识别", "not recognised"),
}
_HOW = {"stated": Label("明确记载", "stated"), "summed": Label("逐笔相加", "summed"),
        "counted": Label("计数", "counted"), "derived": Label("推算", "derived"),
        "assumed": Label("推定（请确认）", "assumed (confirm)")}  # fmt: skip


def _value(factor: str, value: FactorValue | None, language: Language) -> str:
    catalogue = load_catalogue()
    if not catalogue.has_factor(factor) or value is None:
        return str(value)
    return catalogue.factor(factor).value_label(value, language)


def _quote(text: str) -> str:
    text = one_line(text, 200)
    return text if len(text) <= 36 else text[:35] + "…"


def _label(factor: str, language: Language) -> str:
    catalogue = load_catalogue()
    if not catalogue.has_factor(factor):
        return factor
    label = catalogue.factor(factor).label
    return label.zh if language == "zh-CN" else label.both()


def render_draft(draft: Draft, source: str, written: str | None, language: Language) -> str:
    t = {key: label.text(language) for key, label in _TEXT.items()}
    charge = _label_charge(draft.charge, language) if draft.charge else t["undecided"]
    lines = [
        t["title"],
        f"  {t['source']}: {one_line(source, 120)} (sha256 {draft.text_sha256[:16]}…, {draft.text_length})",
        f"  {t['kind']}: {_KINDS[draft.document_kind].text(language)}",
        f"  {t['charge']}: {charge}"
        + (f"  [{draft.charge_source.rule} @{draft.charge_source.start}]" if draft.charge_source else ""),
    ]
    if draft.province:
        lines.append(f"  {t['province']}: {draft.province}")
    if draft.jurisdiction_hint:
        lines.append(f"  {t['hint']}: {draft.jurisdiction_hint}")
    lines += ["", t["facts"]]
    if draft.facts:
        rows = [[t["field"], t["value"], t["how"], t["rule"], t["where"], t["quote"]]]
        for fact in draft.facts:
            first = fact.sources[0] if fact.sources else None
            rows.append([_label(fact.factor, language), _value(fact.factor, fact.value, language),
                         _HOW[fact.how].text(language), first.rule if first else "",
                         f"{first.start}–{first.end}" + (f" (+{len(fact.sources) - 1})" if len(fact.sources) > 1
                                                         else "") if first else "",
                         _quote(first.quote) if first else ""])  # fmt: skip
        lines += ["  " + row for row in table(rows)]
        for fact in draft.facts:
            if fact.note is not None:
                lines.append(f"  * {_label(fact.factor, language)}: {fact.note.text(language)}")
    else:
        lines.append("  " + t["none"])
    if draft.contradictions:
        lines += ["", t["contradictions"]]
        for c in draft.contradictions:
            values = " / ".join(_value(c.factor, v, language) for v in c.values)
            where = ", ".join(f"{s.start}–{s.end} «{_quote(s.quote)}»" for s in c.sources[:4])
            lines.append(f"  {_label(c.factor, language)}: {values}  ({where})")
    required = [m for m in draft.missing if m.required]
    optional = [m for m in draft.missing if not m.required]
    if required:
        lines += ["", t["missing_required"], "  " + ", ".join(m.label.text(language) for m in required)]
    if optional:
        lines += ["", t["missing_default"],
                  "  " + ", ".join(f"{m.label.text(language)}={_value(m.factor, m.default, language)}"
                                   for m in optional)]  # fmt: skip
    if draft.notes:
        lines += ["", t["notes"], *(f"  - {n.text(language)}" for n in draft.notes)]
    if written:
        lines += ["", f"{t['written']} {written}"]
    return "\n".join(lines)


def _label_charge(charge: str, language: Language) -> str:
    label = load_catalogue().charge(charge).label
    return label.zh if language == "zh-CN" else label.both()


def render_rules(rules: dict[str, Label], language: Language) -> str:
    lines = [_TEXT["rules"].text(language)]
    lines += [f"  {rule}: {label.text(language)}" for rule, label in sorted(rules.items())]
    return "\n".join(lines)
