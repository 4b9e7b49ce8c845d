"""Terminal views of a pack's verification and replay."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sentencing.i18n import Label, Language

if TYPE_CHECKING:  # the pack stack loads the model stack; these views only read its results
    from evidence_pack.replay import ReplayReport
    from evidence_pack.verify import Verdict

__all__ = ["render_replay", "render_verdict"]

PACK_TEXT: dict[str, Label] = {
    "verified": Label("证据包核验通过", "PACK VERIFIED"),
    "not_verified": Label("证据包核验未通过", "PACK NOT VERIFIED"),
    "failed_at": Label("未通过的检查", "failed check"),
    "not_checked": Label("未检查", "not checked"),
    "reproduced": Label("重放结果一致", "REPLAY REPRODUCED THE RECORD"),
    "not_reproduced": Label("重放结果与记录不一致", "REPLAY DID NOT REPRODUCE THE RECORD"),
    "exact": Label("摘要完全一致", "exact digest"),
    "within tolerance": Label("在声明容差内", "within the stated tolerance"),
    "differs": Label("超出容差或内容不同", "differs"),
    "failed": Label("无法重新运行", "could not be run"),
    "tolerance": Label("数值容差", "numeric tolerance"),
    "largest": Label("最大差异", "largest difference"),
    "versions": Label("运算版本不同", "operation versions differ"),
    "environment": Label("运行环境不同", "environment differs"),
    "report": Label("解释报告", "report"),
}


def render_verdict(verdict: Verdict, language: Language) -> str:
    """Every check with its outcome; the first line says the verdict, a failed check is named."""
    head = PACK_TEXT["verified" if verdict.ok else "not_verified"].text(language)
    lines = [f"{head}: {verdict.pack}"]
    if verdict.digest:
        lines.append(f"  sha256(seal/statement.json) = {verdict.digest}")
    for check in verdict.checks:
        mark = {True: "OK  ", False: "FAIL", None: "--  "}[check.ok]
        meaning = check.meaning(language)
        if meaning is None:
            reason = check.detail.removeprefix("not checked: ")
            lines.append(f"  [{mark}] {check.label(language)}: {PACK_TEXT['not_checked'].text(language)} — {reason}")
        else:
            lines.append(f"  [{mark}] {check.label(language)}: {meaning} — {check.detail}")
    if verdict.failed:
        names = ", ".join(c.label(language) for c in verdict.failed)
        lines.append(f"{PACK_TEXT['failed_at'].text(language)}: {names}")
    return "\n".join(lines)


def render_replay(report: ReplayReport, language: Language) -> str:
    head = PACK_TEXT["reproduced" if report.ok else "not_reproduced"].text(language)
    from evidence_pack.replay import Match

    counts = ", ".join(f"{PACK_TEXT[m.value].text(language)} {report.count(m)}" for m in Match)
    tolerance = report.tolerance
    lines = [
        f"{head}: {report.pack}",
        f"  {counts}",
        f"  {PACK_TEXT['tolerance'].text(language)}: absolute {tolerance['absolute']:g}, "
        f"relative {tolerance['relative']:g}; {PACK_TEXT['largest'].text(language)} {report.largest_difference:.3g}",
    ]
    for query in (*report.queries, report.report):
        if query.match != Match.EXACT:
            name = PACK_TEXT["report"].text(language) if query.seq == 0 else f"#{query.seq}"
            lines.append(f"  {name} {query.operation}: {PACK_TEXT[query.match.value].text(language)} — {query.detail}")
    for moved in report.operation_versions:
        lines.append(f"  {PACK_TEXT['versions'].text(language)}: {moved}")
    for difference in report.environment:
        lines.append(f"  {PACK_TEXT['environment'].text(language)}: {difference}")
    return "\n".join(lines)
