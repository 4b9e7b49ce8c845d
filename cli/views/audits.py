"""Terminal views of the audits: a tool's recorded scores, and a model over a large case file."""

from __future__ import annotations

from typing import TYPE_CHECKING

from cli.views.table import pad, width
from sentencing.catalogue import Catalogue, load_catalogue
from sentencing.i18n import Label, Language

if TYPE_CHECKING:
    from explain_tiers.batch_audit import BatchAudit
    from explain_tiers.model_comparison import ApartLine, ModelComparison
    from explain_tiers.score_audit import ScoreAudit
    from sentencing.records import FilterStep

__all__ = ["render_batch_audit", "render_model_comparison", "render_score_audit"]

AUDIT_TEXT: dict[str, Label] = {
    "title": Label("已记录风险评分审查（无需模型）", "Audit of recorded risk scores (no model access)"),
    "filter": Label("ProPublica 公开筛选条件", "ProPublica's published filter"),
    "removed": Label("删除", "removed"),
    "remaining": Label("剩余", "remaining"),
    "flagged": Label(
        "“被标记”指评分等级为中或高（十分位 5–10）", "'flagged' means rated Medium or High (deciles 5-10)"
    ),
    "group": Label("群体", "group"),
    "people": Label("人数", "people"),
    "base": Label("再犯率", "base rate"),
    "fpr": Label("假阳性率", "FPR"),
    "fnr": Label("假阴性率", "FNR"),
    "ppv": Label("阳性预测值", "PPV"),
    "npv": Label("阴性预测值", "NPV"),
    "auc": Label("AUC", "AUC"),
    "calibration": Label(
        "按评分校准（各十分位的实际再犯率）", "Calibration by score (observed re-offending per decile)"
    ),
    "comparison": Label("控制变量比较（逻辑回归，优势比）", "Controlled comparison (logistic regression, odds ratios)"),
    "findings": Label("质证理由", "Findings"),
    "small": Label(
        "* 不足100人：比率不稳定，不据以认定差别", "* fewer than 100 people: rates unstable; no finding rests on them"
    ),
}


def render_score_audit(audit: ScoreAudit, steps: tuple[FilterStep, ...], language: Language) -> str:
    from explain_tiers.score_audit import MIN_GROUP

    def tr(key: str) -> str:
        return AUDIT_TEXT[key].text(language)

    lines = [tr("title"), f"{tr('filter')}:"]
    for step in steps:
        lines.append(f"  {step.condition}: {tr('removed')} {step.removed}, {tr('remaining')} {step.remaining}")
    lines += [tr("flagged"), ""]
    header = ["group", "people", "base", "fpr", "fnr", "ppv", "npv", "auc"]
    rows = [[audit.value_label(g.group).text(language) + (" *" if g.people < MIN_GROUP else ""), str(g.people),
             f"{g.base_rate:.1%}", f"{g.false_positive_rate:.1%}", f"{g.false_negative_rate:.1%}",
             f"{g.positive_predictive_value:.1%}", f"{g.negative_predictive_value:.1%}", f"{g.auc:.3f}"]
            for g in audit.groups]  # fmt: skip
    widths = [max(width(tr(h)), *(width(r[i]) for r in rows)) for i, h in enumerate(header)]
    lines.append("  ".join(pad(tr(h), w) for h, w in zip(header, widths, strict=True)))
    for row in rows:
        lines.append("  ".join(pad(cell, w) for cell, w in zip(row, widths, strict=True)))
    if any(g.people < MIN_GROUP for g in audit.groups):
        lines.append(tr("small"))
    lines += ["", tr("calibration")]
    for group in audit.groups:
        bins = [b for b in audit.calibration if b.group == group.group]
        text = " ".join(f"{b.decile}:{b.observed_rate:.0%}" for b in bins)
        lines.append(f"  {audit.value_label(group.group).text(language)}: {text}")
    lines += ["", f"{tr('comparison')}: {audit.comparison.formula} (n={audit.comparison.rows})"]
    for term, coefficient, ratio in audit.comparison.terms:
        lines.append(f"  {term:<28} {coefficient:>9.5f}  OR {ratio:.3f}")
    if audit.findings:
        lines += ["", tr("findings")]
        lines += [f"  - {finding.text(language)}" for finding in audit.findings]
    return "\n".join(lines)


def render_batch_audit(audit: BatchAudit, language: Language, catalogue: Catalogue | None = None) -> str:
    from explain_tiers.batch_audit import BATCH_TEXT  # (the audit's module is loaded only when an audit is shown)

    catalogue = catalogue or load_catalogue()

    def tr(key: str) -> str:
        return BATCH_TEXT[key].text(language)

    def value(factor: str, raw: str) -> str:
        return catalogue.factor(factor).value_label(raw, language)

    lines = [f"{tr('title')}: {tr('cases')} {audit.rows}; {tr('population')}: {audit.population}", "", tr("flips")]
    for line in audit.flips:
        label = catalogue.factor(line.factor).label.text(language)
        lines.append(f"  {label}: {value(line.factor, line.reference)} → {value(line.factor, line.value)}  "
                     f"{line.mean_change_months:+.2f} mo ({line.mean_change_percent:+.1f}%), n={line.rows}, "
                     f"{tr('moved')} {line.share_moved:.0%}")  # fmt: skip
    lines += ["", tr("groups")]
    for group in audit.groups:
        label = catalogue.factor(group.factor).label.text(language)
        actual = f", {tr('actual')} {group.mean_actual:.2f}" if group.mean_actual is not None else ""
        lines.append(f"  {label} = {value(group.factor, group.value)}: n={group.rows}, "
                     f"{tr('recommended')} {group.mean_recommended:.2f}{actual}")  # fmt: skip
    lines += ["", f"{tr('coverage')}: {audit.covered:.1%}"]
    known = {charge.id for charge in catalogue.charges}
    lines += [f"  {catalogue.charge(c.charge).label.text(language) if c.charge in known else c.charge}: "
              f"{c.covered:.1%} (n={c.rows})" for c in audit.coverage]  # fmt: skip
    if audit.outside_by_column:
        lines.append(f"  {tr('outside')}: " + ", ".join(f"{c} {n}" for c, n in audit.outside_by_column))
    lines += ["", tr("findings")]
    lines += [f"  - {f.text(language)}" for f in audit.findings] or [f"  {tr('none')}"]
    return "\n".join(lines)


_COMPARE = {
    "title": Label("两个模型版本的比较", "Two versions of a model compared"),
    "cases": Label("案件数", "cases"),
    "apart": Label("相差（B − A，单位：月）", "How far apart (B − A, months)"),
    "mean": Label("平均", "mean"),
    "absolute": Label("平均绝对差", "mean absolute"),
    "largest": Label("最大", "largest"),
    "share": Label("相差达阈值的案件比例", "share apart by the threshold"),
    "by_charge": Label("按罪名", "By charge"),
    "by_fact": Label("分歧最大的事实（平均绝对差；至少 30 件）",
                     "Facts on which they disagree most (mean absolute difference; 30 cases at least)"),
    "flips": Label("控制变量翻转测试（A 与 B 对照）", "Controlled flip tests, A beside B"),
    "findings": Label("质证理由", "Findings"),
    "none": Label("两个版本在法律上无关的因素上没有超过阈值的变化。",
                  "No change between the versions on a legally irrelevant factor reaches the threshold."),
}  # fmt: skip


def render_model_comparison(comparison: ModelComparison, language: Language, catalogue: Catalogue | None = None) -> str:
    catalogue = catalogue or load_catalogue()

    def tr(key: str) -> str:
        return _COMPARE[key].text(language)

    def fact(factor: str, value: str) -> str:
        if factor == "charge":
            return catalogue.charge(value).label.text(language)  # (the case file's charges are checked on reading)
        spec = catalogue.factor(factor)
        shown = spec.value_label(value == "yes" if value in ("yes", "no") else value, language)
        return f"{spec.label.text(language)} = {shown}"

    def apart(line: ApartLine) -> str:
        return (f"{tr('mean')} {line.mean_difference:+.2f}, {tr('absolute')} {line.mean_absolute:.2f}, "
                f"{tr('largest')} {line.largest:.2f}, {tr('share')} {line.share_apart:.0%}, n={line.rows}")  # fmt: skip

    lines = [f"{tr('title')}: {tr('cases')} {comparison.rows}",
             f"  A sha256 {comparison.a_sha256 or '-'}", f"  B sha256 {comparison.b_sha256 or '-'}", "",
             f"{tr('apart')}: {apart(comparison.overall)}", "", tr("by_charge")]  # fmt: skip
    lines += [f"  {fact('charge', c.value)}: {apart(c)}" for c in comparison.by_charge]
    lines += ["", tr("by_fact")]
    lines += [f"  {fact(f.factor, f.value)}: {apart(f)}" for f in [f for f in comparison.by_fact if f.rows >= 30][:10]]
    lines += ["", tr("flips")]
    for flip in comparison.flips:
        spec = catalogue.factor(flip.factor)
        lines.append(f"  {spec.label.text(language)}: {spec.value_label(flip.reference, language)} → "
                     f"{spec.value_label(flip.value, language)}  A {flip.a_percent:+.1f}%  B {flip.b_percent:+.1f}%  "
                     f"({flip.points:+.1f})")  # fmt: skip
    lines += ["", tr("findings")]
    lines += [f"  - {f.text(language)}" for f in comparison.findings] or [f"  {tr('none')}"]
    return "\n".join(lines)
