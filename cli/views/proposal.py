"""Terminal view of the review of a sentencing proposal; it formats, never computes."""

from __future__ import annotations

from cli.views.practice import render_practice
from cli.views.sentencing import change_text
from cli.views.table import table
from explain_tiers.proposal_review import FlipSearch, ProposalPractice, ProposalReview
from sentencing.catalogue import load_catalogue
from sentencing.i18n import Label, Language

__all__ = ["render_review"]

_SEVERITY = {"high": Label("严重", "high"), "medium": Label("中等", "medium"), "low": Label("轻微", "low")}
_TEXT: dict[str, Label] = {
    "title": Label("量刑建议审查（认罪认罚案件）", "Review of the sentencing proposal (plea case, 量刑建议)"),
    "by": Label("提出", "made by"),
    "tool": Label("生成工具", "produced by"),
    "proposal": Label("量刑建议", "Proposal"),
    "stage": Label("认罪认罚阶段", "plea stage"),
    "guideline": Label("指导意见（按该阶段计算）", "Guideline (with the plea at this stage)"),
    "band": Label("法官±20%调节幅度", "judge's ±20% band"),
    "limits": Label("法定刑幅度", "statutory limits"),
    "inside": Label("建议在调节幅度之内", "the proposal lies inside the judge's band"),
    "outside": Label("建议超出调节幅度", "the proposal lies OUTSIDE the judge's band"),
    "model": Label("法院所用模型的建议", "The court's model recommends"),
    "stages": Label("指导意见在各认罪认罚阶段的结果", "What the guideline gives at each plea stage"),
    "stage_col": Label("阶段", "stage"),
    "point": Label("建议(月)", "point (mo)"),
    "band_col": Label("调节幅度(月)", "band (mo)"),
    "outcome": Label("刑罚", "outcome"),
    "findings": Label("审查发现", "Findings"),
    "no_findings": Label("未发现问题", "none"),
    "basis": Label("依据", "basis"),
    "question": Label("质询", "question"),
    "checklist": Label("法官审查清单（刑事诉讼法第201条）", "The judge's checklist (CPL art. 201)"),
    "flip": Label(
        "使建议越过调节幅度的最少事实变化", "The fewest changes of facts that move the proposal across the band"
    ),
    "flip_in": Label("（当前在幅度之内：以下变化使其超出）", "(inside now: these changes put it outside)"),
    "flip_out": Label("（当前超出幅度：以下变化使其回到幅度之内）", "(outside now: these changes bring it inside)"),
    "flip_none": Label("在所搜索的变化范围内没有找到", "none within the changes searched"),
    "evaluated": Label("已穷尽检验", "evaluated exhaustively"),
    "notes": Label("说明", "Notes"),
    "months": Label("个月", "months"),
    "practice": Label(
        "量刑建议在类案实际刑期中的位置（百分位）", "The proposal among the similar cases' real terms (percentile)"
    ),
    "practice_outside": Label(
        "建议超出类案实际刑期的第10–90百分位",
        "the proposal lies outside the 10th–90th percentile of what similar cases received",
    ),
    "practice_inside": Label(
        "建议在类案实际刑期的第10–90百分位之内",
        "the proposal lies within the 10th–90th percentile of what similar cases received",
    ),
}


def render_review(
    review: ProposalReview, flip: FlipSearch | None, language: Language, practice: ProposalPractice | None = None
) -> str:
    t = {key: label.text(language) for key, label in _TEXT.items()}
    p, d = review.proposal, review.derivation
    stage = next((s.label.text(language) for s in review.stages if s.stage is p.plea_stage), p.plea_stage.value)
    lines = [t["title"], f"  {t['proposal']}: {p.term_label().text(language)}",
             f"  {t['by']}: {p.procuratorate} ({p.proposal_id}, {p.date})  {t['stage']}: {stage}"]  # fmt: skip
    if p.tool_name:
        lines.append(f"  {t['tool']}: {p.tool_name}" + (f" (sha256 {p.tool_model_sha256[:16]}…)"
                                                         if p.tool_model_sha256 else ""))  # fmt: skip
    lines += [
        "",
        f"{t['guideline']}: {d.recommended_months:g} {t['months']} — {d.outcome.label().text(language)}",
        f"  {t['band']}: {d.judicial_band.low:g}–{d.judicial_band.high:g}  {t['limits']}: "
        f"{d.sentence_limits.low:g}–{d.sentence_limits.high:g}",
        "  " + (t["inside"] if review.inside_band else t["outside"]),
    ]
    if review.model_months is not None:
        lines.append(f"{t['model']}: {review.model_months:.1f} {t['months']} (sha256 {str(review.model_sha256)[:16]}…)")
    rows = [[t["stage_col"], t["point"], t["band_col"], t["outcome"]]]
    for s in review.stages:
        mark = " ◀" if s.stage is p.plea_stage else ""
        rows.append([s.label.text(language) + mark, f"{s.recommended_months:g}",
                     f"{s.judicial_band.low:g}–{s.judicial_band.high:g}", s.outcome.text(language)])  # fmt: skip
    lines += ["", t["stages"], *("  " + row for row in table(rows))]
    lines += ["", t["findings"]]
    if not review.findings:
        lines.append("  " + t["no_findings"])
    for f in review.findings:
        lines += [f"  [{_SEVERITY[f.severity.value].text(language)}] {f.title.text(language)}",
                  f"    {f.evidence.text(language)}", f"    {t['basis']}: {f.legal_basis}",
                  f"    {t['question']}: {f.question.text(language)}"]  # fmt: skip
    lines += ["", t["checklist"]]
    lines += [f"  [ ] {item.label.text(language)} ({item.source})" for item in review.checklist]
    if flip is not None:
        catalogue = load_catalogue()
        lines += ["", t["flip"] + " " + (t["flip_in"] if flip.inside_now else t["flip_out"])]
        if not flip.answers:
            lines.append("  " + t["flip_none"])
        for a in flip.answers:
            changes = "; ".join(change_text(c.factor, c.before, c.after, language, catalogue) for c in a.changes)
            lines.append(f"  {changes}  ⇒ {a.guideline_months:g} ({a.judicial_band.low:g}–{a.judicial_band.high:g})")
        lines.append(f"  ({t['evaluated']}: {flip.evaluated})")
    if practice is not None:
        low, high = practice.low_percentile, practice.high_percentile
        lines += ["", render_practice(practice.comparison, language)]
        if low is not None:
            lines += [f"{t['practice']}: {low:g}" + (f"–{high:g}" if high != low else ""),
                      "  " + (t["practice_outside"] if practice.outside else t["practice_inside"])]  # fmt: skip
    if review.notes:
        lines += ["", t["notes"], *(f"  - {n.text(language)}" for n in review.notes)]
    return "\n".join(lines)
