"""What the app's pages show and ask for each kind of case: one bench per kind, chosen once per page.

A sentencing case is examined in months beside the guideline; a risk-assessment case on its
instrument's scale, through a surrogate whose caveat every answer carries. The pages (case and
report, what-if, minimal-change search, findings, ruling) are the same for both; they call
:func:`bench_for` and the bench supplies the operation to run, the controls to ask with and the
way to show the answer. UI only: every answer comes from the hearing service.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import streamlit as st

from counterfactuals.operations import QuestionOperations
from explain_tiers.findings import legal_basis_text
from explain_tiers.negotiation import DECISION_LABELS, Decision
from explain_tiers.operations import ReportPart
from explain_tiers.proposal_review import ART_201_CHECKLIST
from explain_tiers.render import SEVERITY
from sentencing.case import Case
from sentencing.catalogue import Catalogue, FactorSpec, LegalRole, load_catalogue
from sentencing.i18n import Label, Language
from sentencing.kinds import HeardCase, KindRegistry
from sentencing.proposal import proposal_from_canonical
from sentencing.risk import RISK_CASE_KIND, RiskCase, RiskInstrument, load_instrument

__all__ = ["Bench", "BenchMaker", "RiskBench", "SentencingBench", "bench_for", "register_benches"]

T: dict[str, Label] = {
    "recommendation": Label("算法建议", "Algorithm"),
    "guideline": Label("指导意见", "Guideline"),
    "months": Label("个月", "months"),
    "below": Label("低于（月）", "Below (months)"),
    "adopted": Label("宣告刑（月）", "Sentence adopted (months)"),
    "proposal": Label("检察机关量刑建议", "The procuratorate's sentencing proposal"),
    "decision": Label("对量刑建议的决定（刑事诉讼法第201条）", "Decision on the proposal (CPL art. 201)"),
    "ground": Label("不采纳或调整的理由类别", "Ground for adjusting or not adopting it"),
    "no_ground": Label("（采纳时不填）", "(none when adopted)"),
    "decision_reasons": Label("对量刑建议决定的理由", "Reasons for the decision on the proposal"),
    "recorded": Label("工具记录的评分", "Score recorded by the tool"),
    "model_score": Label("替代模型的评分", "The surrogate's score"),
    "not_recorded": Label("未记录", "not recorded"),
    "target_class": Label("目标风险等级", "Target class"),
    "adopted_class": Label("法院认定的风险等级", "Risk class the court finds"),
    "fewest": Label("最少改变项数", "Fewest changes"),
    "proven": Label("（在所述网格上已证明最少）", "(proven fewest on the stated grid)"),
    "none": Label("在该网格上无法达到目标。", "No change on this grid reaches the target."),
    "points": Label("评分的组成", "What makes up the score"),
    "applies": Label("适用", "applies"),
    "total": Label("合计", "total"),
    "on_surrogate": Label("（依据替代模型）", "(on the surrogate)"),
    "on_records": Label("（依据工具的记录）", "(on the tool's records)"),
    "exploratory": Label("探索性：改变的是不可争议的事实", "Exploratory: a fact no party may dispute was changed"),
    "factor": Label("因素", "Factor"),
    "value": Label("本案情况", "Value"),
    "role": Label("法律属性", "Legal role"),
    "zone": Label("区域", "Zone"),
    "weight": Label("影响（月）", "Effect (months)"),
    "points_col": Label("分值", "Points"),
    "changes": Label("改变", "Changes"),
    "decile": Label("十分位", "Decile"),
    "class": Label("等级", "Class"),
    "algorithm": Label("算法（月）", "Algorithm (months)"),
    "guideline_col": Label("指导意见（月）", "Guideline (months)"),
    "gap": Label("差距（算法 − 指导意见）", "Gap (algorithm − guideline)"),
    "band": Label("法官裁量区间（指导意见 ±20%）", "The judge's band (guideline ±20%)"),
    "inside_band": Label("在法官裁量区间内", "inside the judge's band"),
    "outside_band": Label("超出法官裁量区间", "OUTSIDE the judge's band"),
    "target_kind": Label("目标", "Target"),
    "target_below": Label("低于", "below"),
    "target_above": Label("不低于", "at least"),
    "target_within": Label("区间内", "within"),
    "target_low": Label("下限（月）", "From (months)"),
    "target_high": Label("上限（月）", "To (months)"),
    "target_months": Label("月数", "Months"),
    "now": Label("当前", "Now"),
    "answers": Label("可行的改变", "Changes that reach the target"),
    "baseline": Label("本案现状", "This case as it stands"),
    "if_changed": Label("若改变", "If changed"),
    "what_changed": Label("改变的事实", "What changed"),
    "diverges": Label("算法与指导意见方向不一致", "The algorithm and the guideline part ways"),
    "suggestion": Label("算法建议", "The algorithm's suggestion"),
    "no_adopted": Label("请填写宣告刑（月）", "Enter the sentence adopted (months)"),
    "field": Label("项目", "Field"),
    "detail": Label("内容", "Detail"),
    "tier_standard": Label("标准报告", "standard report"),
    "tier_deep": Label("深度报告", "deep report"),
    "intercept": Label("截距（基础分）", "intercept (base points)"),
    "disputed_factor": Label("有争议的事实", "The disputed fact"),
    "versions": Label("各方主张的版本", "The versions put forward"),
    "versions_numbers": Label("各方主张的数值（以逗号分隔）", "The values put forward (separated by commas)"),
    "version": Label("版本", "Version"),
    "as_stands": Label("（本案现状）", "(as the case stands)"),
    "too_few_versions": Label("请至少选择两个版本", "Choose at least two versions"),
    "bad_number": Label("不是数字，或超出该事实的法定范围", "is not a number, or lies outside the fact's lawful range"),
    "threshold_months": Label("提示阈值（月）", "Flag at (months)"),
    "threshold_points": Label("提示阈值（评分）", "Flag at (score points)"),
    "sens_change": Label("仅改变", "Changed alone"),
    "sens_model": Label("算法变化", "Algorithm moves by"),
    "sens_guideline": Label("指导意见变化", "Guideline moves by"),
    "sens_flag": Label("超过阈值", "Over the threshold"),
    "sens_none": Label(
        "没有法律上无关的因素使算法建议的变化达到阈值。",
        "No legally irrelevant factor moves the algorithm's answer by the threshold or more.",
    ),
    "sens_found": Label("法律上无关的因素使算法建议发生变化", "Legally irrelevant factors that move the algorithm"),
    "must_not_matter": Label("该因素在法律上不得影响量刑", "the law says this factor must not matter"),
    "yes": Label("是", "yes"),
    "no": Label("否", "no"),
    "class_changes": Label("风险等级改变", "the class changes"),
    "sensitive_defendant_name": Label("被告人姓名", "Defendant's name"),
    "sensitive_id_number": Label("身份证号", "Identity number"),
}

SEARCH_TARGETS = ("below", "above", "within")

GROUPS: dict[str, Label] = {
    "offence": Label("犯罪事实", "The offence"),
    "circumstance": Label("量刑情节", "Sentencing circumstances"),
    "defendant": Label("被告人情况", "The defendant"),
}


def _t(key: str, language: Language) -> str:
    return T[key].text(language)


class Bench(ABC):
    """The part of each page that depends on the kind of case."""

    language: Language = "zh-CN"  # the page's language, set by bench_for

    def __init__(self, case: HeardCase, kinds: KindRegistry) -> None:
        self.case = case
        self.report_operation = kinds.part(case.kind, ReportPart).operation
        questions = kinds.part(case.kind, QuestionOperations)
        self.whatif_operation = questions.whatif
        self.search_operation = questions.search
        self.sensitivity_operation = questions.sensitivity
        self.disputed_operation = questions.disputed  # None: this kind has no disputed-fact operation

    @property
    @abstractmethod
    def catalogue(self) -> Catalogue: ...

    @abstractmethod
    def title(self, language: Language) -> str: ...

    def disputable(self) -> list[FactorSpec]:
        """The facts a party may change on the what-if bench: disputable, applying to the charge, not fixed."""
        return [s for s in self.catalogue.factors_for(self.case.charge)
                if s.disputable and s.id not in self.case.fixed_by_court]  # fmt: skip

    def facts(self, language: Language) -> list[dict[str, str]]:
        return [{_t("factor", language): self.catalogue.factor(f).label.text(language),
                 _t("value", language): self.catalogue.factor(f).value_label(v, language)}
                for f, v in self.case.values]  # fmt: skip

    def disputable_groups(self, language: Language) -> list[tuple[str, list[FactorSpec]]]:
        """The disputable facts grouped as the catalogue groups them (the offence, circumstances, the defendant)."""
        groups: dict[str, list[FactorSpec]] = {}
        for spec in self.disputable():
            groups.setdefault(self.group_label(spec, language), []).append(spec)
        return list(groups.items())

    def group_label(self, spec: FactorSpec, language: Language) -> str:
        return GROUPS.get(str(getattr(spec, "group", "")), Label("其他事实", "Other facts")).text(language)

    @abstractmethod
    def present_value(self, report: Mapping[str, Any]) -> str:
        """The algorithm's present answer in words (from the standard report), in the page's language."""
        ...

    def present_months(self, report: Mapping[str, Any]) -> float | None:
        return None

    @abstractmethod
    def entry_text(self, operation: str, parameters: Mapping[str, Any], result: Any,
                   language: Language) -> tuple[str, str]:  # fmt: skip
        """A record entry's question and answer in words."""
        ...

    def describe(self, factor: str, value: Any, language: Language) -> str:
        """A fact's value as the court names it (是/否, 退赃 …), never the internal True/False or id."""
        return self.catalogue.factor(factor).value_label(value, language)

    def change_text(self, changes: Any, before: Mapping[str, Any], language: Language) -> str:
        """ "退赃、退赔: 是 → 否": each changed fact by its label, from the value it had to the one asked
        (``changes``: ``{factor: value}``, or a result's list of ``{"factor", "before", "after"}``)."""
        if isinstance(changes, list):
            before = {c["factor"]: c["before"] for c in changes}
            changes = {c["factor"]: c["after"] for c in changes}
        return ("；" if language == "zh-CN" else "; ").join(
            f"{self.catalogue.factor(f).label.text(language)}: {self.describe(f, before.get(f), language)} → "
            f"{self.describe(f, v, language)}" for f, v in changes.items()
        )  # fmt: skip

    def show_proposal(self, language: Language) -> None:  # noqa: B027 (a kind without proposals shows nothing)
        """The procuratorate's proposal beside the citation form, when the case carries one."""

    @abstractmethod
    def draft_summary(self, draft: Mapping[str, Any], language: Language) -> str:
        """What the judge is about to record (the citation's ``write_ruling`` keywords), in words."""
        ...

    def sensitive(self, fields: Mapping[str, Any], language: Language) -> list[dict[str, str]]:
        """The sensitive fields (a defendant's identity) as rows a court reads."""
        rows = []
        for key, value in fields.items():
            label = T.get(f"sensitive_{key}")
            rows.append({_t("field", language): label.text(language) if label else str(key),
                         _t("detail", language): str(value)})  # fmt: skip
        return rows

    @abstractmethod
    def show_summary(self, report: Mapping[str, Any], language: Language, compact: bool = False) -> None:
        """The report's headline figures, each labelled (the full report follows, as its PDF shows it)."""
        ...

    def role(self, role: str, language: Language) -> str:
        """A legal role (liability / prevention / legally irrelevant) in the court's language."""
        return self.catalogue.role_label(LegalRole(role)).text(language)

    @abstractmethod
    def show_whatif(self, result: dict[str, Any], language: Language) -> None: ...

    @abstractmethod
    def search_parameters(self, language: Language, now: float | None = None) -> dict[str, Any]: ...

    @abstractmethod
    def show_search(self, result: dict[str, Any], language: Language) -> None: ...

    def disputed_parameters(self, language: Language) -> dict[str, Any] | None:
        """The disputed fact and its versions as the parties put them (``None`` until at least two are given): an
        enum's or a yes/no fact's values are chosen, a number's are typed, each checked against the fact's range."""
        specs = self.disputable()
        labels = {s.id: f"{self.group_label(s, language)} · {s.label.text(language)}" for s in specs}
        factor = st.selectbox(_t("disputed_factor", language), [s.id for s in specs], key="disputed_factor",
                              format_func=labels.__getitem__)  # fmt: skip
        spec = self.catalogue.factor(factor)
        current = self.case.value(factor)
        versions: list[Any]
        if spec.values or isinstance(current, bool):
            options: list[Any] = list(spec.values) if spec.values else [True, False]
            versions = st.multiselect(
                _t("versions", language), options, default=options, key=f"disputed_versions_{factor}",
                format_func=lambda v: self.describe(factor, v, language)
                + (f" {_t('as_stands', language)}" if v == current else ""),
            )  # fmt: skip
        else:
            typed = st.text_input(_t("versions_numbers", language), value=f"{current:g}",
                                  key=f"disputed_numbers_{factor}")  # fmt: skip
            versions = []
            for piece in (p.strip() for p in typed.replace("，", ",").split(",")):
                if not piece:
                    continue
                try:
                    number = float(piece)
                except ValueError:
                    number = float("nan")
                low, high = spec.minimum, spec.maximum
                if number != number or (low is not None and number < low) or (high is not None and number > high):
                    st.error(f"{spec.label.text(language)}: {piece[:40]!r} {_t('bad_number', language)}")
                    return None
                versions.append(int(number) if number.is_integer() else number)
        versions = list(dict.fromkeys(versions))
        if len(versions) < 2:
            st.caption(_t("too_few_versions", language))
            return None
        return {"factor": factor, "versions": versions}

    def show_disputed(self, result: dict[str, Any], language: Language) -> None:  # noqa: B027 (kinds with the op)
        """Every version of a disputed fact beside the others (kinds with a disputed-fact operation)."""

    @abstractmethod
    def sensitivity_parameters(self, language: Language) -> dict[str, Any]: ...

    @abstractmethod
    def show_sensitivity(self, result: dict[str, Any], language: Language) -> None: ...

    @abstractmethod
    def findings(self, report: dict[str, Any], language: Language) -> list[dict[str, str]]:
        """A deep report's findings as severity, title, evidence, basis and question, in ``language``."""
        ...

    @abstractmethod
    def adoption(self, language: Language) -> dict[str, Any]:
        """The ruling form's field for what the court adopts (inside the form): ``write_ruling`` keywords."""
        ...

    @abstractmethod
    def ruling_summary(self, ruling: Any, language: Language) -> str: ...


class SentencingBench(Bench):
    case: Case

    @property
    def catalogue(self) -> Catalogue:
        return load_catalogue()

    def title(self, language: Language) -> str:
        return f"{self.case.case_id} · {self.catalogue.charge(self.case.charge).label.text(language)}"

    def _months(self, value: float, language: Language) -> str:
        return f"{value:.1f} {_t('months', language)}"

    def present_value(self, report: Mapping[str, Any]) -> str:
        language = self.language
        exam = report["examination"]
        model, guideline = exam["recommended_months"], exam["guideline"]["recommended_months"]
        return (f"{_t('recommendation', language)} {self._months(model, language)} · "
                f"{_t('guideline', language)} {self._months(guideline, language)}")  # fmt: skip

    def present_months(self, report: Mapping[str, Any]) -> float | None:
        return float(report["examination"]["recommended_months"])

    def entry_text(self, operation: str, parameters: Mapping[str, Any], result: Any,
                   language: Language) -> tuple[str, str]:  # fmt: skip
        months = _t("months", language)
        before = dict(self.case.values)
        if operation == "predict":
            return "", f"{_t('recommendation', language)} {result['recommended_months']:.1f} {months}"
        if operation == "report":
            tier = T["tier_" + result["tier"]].text(language)
            return tier, self.present_value(result)
        if operation == "whatif":
            scenario = result["scenarios"][0]
            return (self.change_text(parameters["changes"], before, language),
                    f"{_t('algorithm', language)} {scenario['model']['months']:.1f} "
                    f"({scenario['model']['delta']:+.1f}) · {_t('guideline_col', language)} "
                    f"{scenario['guideline']['months']:.1f} ({scenario['guideline']['delta']:+.1f})")  # fmt: skip
        if operation == "disputed_fact":
            factor = parameters["factor"]
            asked = (f"{self.catalogue.factor(factor).label.text(language)}: "
                     + " / ".join(self.describe(factor, v, language) for v in parameters["versions"]))  # fmt: skip
            return asked, " · ".join(
                f"{self.describe(factor, s['requested'][0][1], language)} → {s['model']['months']:.1f} / "
                f"{s['guideline']['months']:.1f} {months}" for s in result["scenarios"]
            )  # fmt: skip
        if operation == "sensitivity":
            flagged = [p for p in result["probes"] if p["exceeds_threshold"]]
            return (f"{_t('threshold_months', language)} {parameters.get('threshold_months', 0.5):g}",
                    self._probe_names(flagged, language) or _t("sens_none", language))  # fmt: skip
        if operation == "counterfactual":
            target = parameters["target"]
            asked = " ".join(str(target.get("label", "")).split())
            if not result["answers"]:
                return asked, _t("none", language)
            changed = self.change_text(result["answers"][0]["changes"], {}, language)
            return asked, f"{_t('fewest', language)} {result['minimal_size']}: {changed}"
        if operation == "negotiation_offer":
            terms = result.get("standing") or {}
            text = result["kind_label"][language]
            return text, (terms.get("label", {}).get(language, "") + (f" · {result['note']}" if result.get("note")
                                                                      else ""))  # fmt: skip
        if operation == "proposal_opinion":
            return result["stance_label"][language], result["text"]
        if operation == "negotiation_recording":
            return result["media"], f"sha256 {result['sha256']}"
        if operation == "court_leave":
            return result["username"], result.get("reasons", "")
        if operation == "proposal_decision":
            return result["decision_label"][language], f"{result['adopted_months']:g} {months} · {result['reasons']}"
        raise KeyError(operation)

    def gap_text(self, model: float, guideline: float, band: tuple[float, float], language: Language) -> str:
        """ "+1.9 months · OUTSIDE the judge's band": the sign is algorithm − guideline, as the reports print it."""
        inside = band[0] <= model <= band[1]
        return (f"{model - guideline:+.1f} {_t('months', language)} · "
                f"{_t('inside_band' if inside else 'outside_band', language)}")  # fmt: skip

    def show_summary(self, report: Mapping[str, Any], language: Language, compact: bool = False) -> None:
        exam = report["examination"]
        guideline = exam["guideline"]
        low, high = guideline["judicial_band_months"]
        if compact:  # a narrow column (beside the citation form): lines, never truncated figures
            gap = self.gap_text(exam["recommended_months"], guideline["recommended_months"], (low, high), language)
            st.write(f"{_t('recommendation', language)}: **{self._months(exam['recommended_months'], language)}**")
            st.write(f"{_t('guideline', language)}: **{self._months(guideline['recommended_months'], language)}**")
            st.write(f"{_t('band', language)}: **{low:.1f}–{high:.1f} {_t('months', language)}**")
            st.write(f"{_t('gap', language)}: **{gap}**")
            return
        a, b, c = st.columns(3)
        a.metric(_t("recommendation", language), self._months(exam["recommended_months"], language))
        b.metric(_t("guideline", language), self._months(guideline["recommended_months"], language),
                 help=f"{_t('band', language)}: {low:.1f}–{high:.1f} {_t('months', language)}")  # fmt: skip
        model = exam["recommended_months"]
        c.metric(_t("gap", language), f"{model - guideline['recommended_months']:+.1f} {_t('months', language)}")
        c.caption(_t("inside_band" if low <= model <= high else "outside_band", language))  # never truncated
        st.caption(f"{_t('band', language)}: {low:.1f}–{high:.1f} {_t('months', language)}")

    def show_whatif(self, result: dict[str, Any], language: Language) -> None:
        scenario = result["scenarios"][0]
        st.write(f"**{_t('what_changed', language)}:** {self.change_text(scenario['changes'], {}, language)}")
        model, guideline = scenario["model"], scenario["guideline"]
        st.table([
            {"": _t("baseline", language),
             _t("algorithm", language): f"{model['months'] - model['delta']:.1f}",
             _t("guideline_col", language): f"{guideline['months'] - guideline['delta']:.1f}"},
            {"": _t("if_changed", language),
             _t("algorithm", language): f"{model['months']:.1f} ({model['delta']:+.1f})",
             _t("guideline_col", language): f"{guideline['months']:.1f} ({guideline['delta']:+.1f})"},
        ])  # fmt: skip
        if scenario["divergence_label"]:
            st.warning(f"{_t('diverges', language)}: {scenario['divergence_label'][language]}")

    def search_parameters(self, language: Language, now: float | None = None) -> dict[str, Any]:
        """Below, at least, or within: the default is a real question for this case (below 80% of the algorithm's
        present answer), never a target it already meets."""
        start = round(0.8 * now, 1) if now else 6.0
        kind = st.radio(_t("target_kind", language), list(SEARCH_TARGETS), horizontal=True, key="search_kind",
                        format_func=lambda k: T[f"target_{k}"].text(language))  # fmt: skip
        if kind == "within":
            left, right = st.columns(2)
            low = left.number_input(_t("target_low", language), min_value=0.0, max_value=600.0,
                                    value=max(0.0, start - 1.0), step=0.5, key="search_low")  # fmt: skip
            high = right.number_input(_t("target_high", language), min_value=0.0, max_value=600.0, value=start,
                                      step=0.5, key="search_high")  # fmt: skip
            return {"target": {"low": float(low), "high": float(high), "high_inclusive": True,
                               "label": f"within {low:g}-{high:g}"}}  # fmt: skip
        months = st.number_input(_t("target_months", language), min_value=0.5, max_value=600.0,
                                 value=start if kind == "below" else round(1.2 * (now or 6.0), 1), step=0.5,
                                 key="search_below" if kind == "below" else "search_above")  # fmt: skip
        if kind == "below":
            return {"target": {"low": None, "high": float(months), "high_inclusive": False,
                               "label": f"below {months:g}"}}  # fmt: skip
        return {"target": {"low": float(months), "high": None, "high_inclusive": False,
                           "label": f"at least {months:g}"}}  # fmt: skip

    def show_search(self, result: dict[str, Any], language: Language) -> None:
        if not result["answers"]:
            st.info(_t("none", language))
            return
        proven = _t("proven", language) if result["proven_minimal"] else ""
        st.write(f"**{_t('fewest', language)}: {result['minimal_size']}** {proven}")
        st.table(
            [{_t("changes", language): self.change_text(a["changes"], {}, language),
              _t("algorithm", language): f"{a['recommended_months']:.1f}",
              _t("guideline_col", language): f"{a['guideline_months']:.1f}"}
             for a in result["answers"]]
        )  # fmt: skip

    def show_disputed(self, result: dict[str, Any], language: Language) -> None:
        factor = result["scenarios"][0]["requested"][0][0]
        rows = []
        for scenario in result["scenarios"]:
            value = scenario["requested"][0][1]
            model, guideline = scenario["model"], scenario["guideline"]
            low, high = guideline["judicial_band"]
            rows.append({
                _t("version", language): self.describe(factor, value, language)
                + (f" {_t('as_stands', language)}" if not scenario["changes"] else ""),
                _t("algorithm", language): f"{model['months']:.1f} ({model['delta']:+.1f})",
                _t("guideline_col", language): f"{guideline['months']:.1f} ({guideline['delta']:+.1f})",
                _t("band", language): f"{low:.1f}–{high:.1f}",
                _t("gap", language): self.gap_text(model["months"], guideline["months"], (low, high), language),
            })  # fmt: skip
        st.table(rows)
        for scenario in result["scenarios"]:
            if scenario["divergence_label"]:
                value = self.describe(factor, scenario["requested"][0][1], language)
                st.warning(f"{value}: {_t('diverges', language)} — {scenario['divergence_label'][language]}")

    def sensitivity_parameters(self, language: Language) -> dict[str, Any]:
        threshold = st.number_input(_t("threshold_months", language), min_value=0.01, max_value=600.0, value=0.5,
                                    step=0.1, key="sensitivity_threshold")  # fmt: skip
        return {"threshold_months": float(threshold)}

    def _probe_names(self, probes: list[dict[str, Any]], language: Language) -> str:
        return ("；" if language == "zh-CN" else "; ").join(
            f"{self.change_text({p['factor']: p['after']}, {p['factor']: p['before']}, language)} "
            f"({p['model_delta']:+.1f} {_t('months', language)})" for p in probes
        )  # fmt: skip

    def show_sensitivity(self, result: dict[str, Any], language: Language) -> None:
        base = result["baseline_months"]
        st.table([{
            _t("sens_change", language): self.change_text({p["factor"]: p["after"]}, {p["factor"]: p["before"]},
                                                          language),
            _t("sens_model", language): f"{p['model_delta']:+.1f} {_t('months', language)}"
            + (f" ({p['model_delta'] / base:+.0%})" if base else ""),
            _t("sens_guideline", language): f"{p['guideline_delta']:+.1f} {_t('months', language)}",
            _t("sens_flag", language): _t("yes" if p["exceeds_threshold"] else "no", language),
        } for p in result["probes"]])  # fmt: skip
        if result["findings"]:
            st.error(f"**{_t('sens_found', language)}**")
            for f in result["findings"]:  # the legal basis as the reader's language gives it, no English gloss
                change = self.change_text({f["factor"]: f["after"]}, {f["factor"]: f["before"]}, language)
                st.write(
                    f"- {change}: {f['model_delta']:+.1f} {_t('months', language)} — "
                    f"{_t('must_not_matter', language)} ({legal_basis_text(f['legal_basis'], language)})"
                )
        else:
            st.success(_t("sens_none", language))

    def findings(self, report: dict[str, Any], language: Language) -> list[dict[str, str]]:
        return [{"severity": SEVERITY[f["severity"]].text(language), "severity_key": f["severity"],
                 "title": f["title"][language], "evidence": f["evidence"][language],
                 "basis": legal_basis_text(f["legal_basis"], language), "question": f["question"][language]}
                for f in report["deep"]["findings"]]  # fmt: skip

    def adoption(self, language: Language) -> dict[str, Any]:
        # no term is put in the judge's mouth: the field starts empty, and an empty one is refused by the page
        months = st.number_input(_t("adopted", language), min_value=0.5, max_value=600.0, value=None, step=0.5,
                                 key="ruling_adopted", placeholder=_t("no_adopted", language))  # fmt: skip
        adopted = None if months is None else float(months)
        if self.case.proposal is None:
            return {"adopted_months": adopted}
        # a plea case: the court decides on the procuratorate's proposal (the service checks it by art. 201)
        proposal = proposal_from_canonical(self.case.proposal)
        st.caption(f"{_t('proposal', language)}: {proposal.term_label().text(language)}")
        decision = st.selectbox(_t("decision", language), [d.value for d in Decision], key="ruling_decision",
                                format_func=lambda d: DECISION_LABELS[Decision(d)].text(language))  # fmt: skip
        grounds = [None, *(item.id for item in ART_201_CHECKLIST)]
        labels = {item.id: f"{item.label.text(language)} ({item.source})" for item in ART_201_CHECKLIST}
        ground = st.selectbox(_t("ground", language), grounds, key="ruling_ground",
                              format_func=lambda g: labels[g] if g else _t("no_ground", language))  # fmt: skip
        reasons = st.text_area(_t("decision_reasons", language), key="ruling_decision_reasons")
        chosen: dict[str, Any] = {"decision": decision, "reasons": reasons}
        if ground is not None:
            chosen["ground"] = ground
        return {"adopted_months": adopted, "proposal_decision": chosen}

    def show_proposal(self, language: Language) -> None:
        if self.case.proposal is not None:
            proposal = proposal_from_canonical(self.case.proposal)
            st.info(f"{_t('proposal', language)}: {proposal.term_label().text(language)}")

    def draft_summary(self, draft: Mapping[str, Any], language: Language) -> str:
        text = f"{_t('adopted', language)}: {draft['adopted_months']:g} {_t('months', language)}"
        decision = draft.get("proposal_decision")
        if decision:
            text += f" · {DECISION_LABELS[Decision(decision['decision'])].text(language)}"
        return text

    def ruling_summary(self, ruling: Any, language: Language) -> str:
        months = _t("months", language)
        guideline = (f" · {_t('guideline', language)}: {ruling.guideline_months:.1f} {months}"
                     if ruling.guideline_months is not None else "")  # fmt: skip
        suggested = (
            ""
            if ruling.system_suggestion_months is None  # on the guideline alone: no model suggested
            else f"{_t('recommendation', language)}: {ruling.system_suggestion_months:.1f} {months}"
        )
        summary = " · ".join(part for part in (suggested, guideline.removeprefix(" · "),
                                               f"{_t('adopted', language)}: {ruling.adopted_months:g} {months}")
                             if part)  # fmt: skip
        decision = ruling.proposal_decision
        if decision:
            summary += f" · {decision['decision_label'][language]}"
            if decision.get("ground"):
                summary += f" — {decision['ground']['label'][language]} ({decision['ground']['source']})"
        return summary


class RiskBench(Bench):
    case: RiskCase

    def __init__(self, case: RiskCase, kinds: KindRegistry) -> None:
        super().__init__(case, kinds)
        self.recorded = case.recorded
        self.instrument: RiskInstrument = load_instrument(case.instrument)

    @property
    def catalogue(self) -> Catalogue:
        return self.instrument.catalogue

    def title(self, language: Language) -> str:
        charge = self.instrument.value_label("charge", self.case.charge).text(language)
        return f"{self.case.case_id} · {self.instrument.label.text(language)} · {charge}"

    def _class(self, class_id: str, language: Language) -> str:
        return self.instrument.scale.class_by_id(class_id).label.text(language)

    def _term(self, term: dict[str, Any], language: Language) -> str:
        """A row of the points table as a court reads it: "charge degree: felony", "age ≥ 25 years"."""
        return self.instrument.condition_label(term["factor"], term["op"], term["value"]).text(language)

    def _caveat(self, result: Mapping[str, Any], language: Language) -> None:
        if result.get("caveat"):
            st.warning(result["caveat"][language])

    def present_value(self, report: Mapping[str, Any]) -> str:
        point = report["prediction"]["baseline"]
        return f"{_t('model_score', self.language)} {point['decile']} · {self._class(point['class'], self.language)}"

    def entry_text(self, operation: str, parameters: Mapping[str, Any], result: Any,
                   language: Language) -> tuple[str, str]:  # fmt: skip
        if operation == "risk_report":
            return T["tier_" + result["tier"]].text(language), self.present_value(result)
        if operation == "risk_sensitivity":
            flagged = [p for p in result["probes"] if p["label"] in result["flagged"]]
            return (f"{_t('threshold_points', language)} {result['threshold']:g}",
                    "; ".join(self.instrument.describe_changes(p["changes"], language) for p in flagged)
                    or _t("sens_none", language))  # fmt: skip
        if "scenarios" in result:
            scenario = result["scenarios"][0]
            return (self.instrument.describe_changes(scenario["changes"], language),
                    f"{scenario['decile']} · {self._class(scenario['class'], language)}")  # fmt: skip
        raise KeyError(operation)

    def show_summary(self, report: Mapping[str, Any], language: Language, compact: bool = False) -> None:
        del compact  # two short figures fit any column
        prediction = report["prediction"]
        self._caveat(report, language)
        recorded, point = prediction["recorded"], prediction["baseline"]
        a, b = st.columns(2)
        a.metric(_t("recorded", language),
                 f"{recorded['decile']} · {self._class(recorded['class'], language)}" if recorded
                 else _t("not_recorded", language))  # fmt: skip
        b.metric(_t("model_score", language),
                 f"{point['decile']} · {self._class(point['class'], language)} ({point['score']:.2f})")  # fmt: skip
        if report.get("points"):
            st.write(f"**{_t('points', language)}**")
            points = report["points"]
            st.table(
                [{_t("factor", language): _t("intercept", language), _t("role", language): "",
                  _t("points_col", language): f"{points['intercept']:+.2f}"}]
                + [{_t("factor", language): self._term(t, language),
                    _t("role", language): self.role(t["legal_role"], language),
                    _t("points_col", language): f"{t['points']:+.2f}"} for t in points["terms"] if t["holds"]]
            )  # fmt: skip
            st.caption(f"{_t('total', language)} ({_t('intercept', language)} + {_t('applies', language)}): "
                       f"{points['total']:.2f}")  # fmt: skip
        for caution in report["cautions"]:
            st.caption(caution[language])

    def show_whatif(self, result: dict[str, Any], language: Language) -> None:
        self._caveat(result, language)
        scenario, base = result["scenarios"][0], result["baseline"]
        a, b = st.columns(2)
        a.metric(_t("model_score", language), f"{base['decile']} · {self._class(base['class'], language)}")
        b.metric(self.instrument.describe_changes(scenario["changes"], language),
                 f"{scenario['decile']} · {self._class(scenario['class'], language)}", f"{scenario['delta']:+.2f}",
                 delta_color="inverse")  # fmt: skip
        if scenario["exploratory"]:
            st.info(_t("exploratory", language))

    def search_parameters(self, language: Language, now: float | None = None) -> dict[str, Any]:
        del now  # a class is the target, not a number of months
        classes = list(self.instrument.scale.class_ids)
        target = st.selectbox(_t("target_class", language), classes, index=0, key="search_target",
                              format_func=lambda c: self._class(c, language))  # fmt: skip
        return {"target_class": target, "max_changes": 2}

    def show_search(self, result: dict[str, Any], language: Language) -> None:
        self._caveat(result, language)
        if result["fewest_changes"] is None:
            st.write(_t("none", language))
            return
        st.write(f"{_t('fewest', language)}: {result['fewest_changes']} {_t('proven', language)}")
        st.table(
            [{_t("changes", language): self.instrument.describe_changes(a["changes"], language),
              _t("decile", language): a["decile"], _t("class", language): self._class(a["class"], language)}
             for a in result["answers"]]
        )  # fmt: skip

    def sensitivity_parameters(self, language: Language) -> dict[str, Any]:
        threshold = st.number_input(_t("threshold_points", language), min_value=0.01, max_value=1000.0, value=0.5,
                                    step=0.1, key="sensitivity_threshold")  # fmt: skip
        return {"threshold": float(threshold)}

    def show_sensitivity(self, result: dict[str, Any], language: Language) -> None:
        self._caveat(result, language)
        base = result["baseline"]
        st.table([{
            _t("sens_change", language): self.instrument.describe_changes(p["changes"], language),
            _t("model_score", language): f"{p['decile']} · {self._class(p['class'], language)} ({p['delta']:+.2f})",
            _t("sens_flag", language): _t("yes" if p["label"] in result["flagged"] else "no", language)
            + (f" · {_t('class_changes', language)}" if p["class"] != base["class"] else ""),
        } for p in result["probes"]])  # fmt: skip
        if result["flagged"]:
            st.error(f"**{_t('sens_found', language)}**")
        else:
            st.success(_t("sens_none", language))

    def findings(self, report: dict[str, Any], language: Language) -> list[dict[str, str]]:
        return [{"severity": SEVERITY[f["severity"]].text(language), "severity_key": f["severity"],
                 "title": f["title"][language], "evidence": f["evidence"][language],
                 "basis": _t("on_surrogate" if f["on_surrogate"] else "on_records", language),
                 "question": f["question"][language]} for f in report["findings"]]  # fmt: skip

    def adoption(self, language: Language) -> dict[str, Any]:
        classes = list(self.instrument.scale.class_ids)
        recorded = self.recorded.class_id if self.recorded else None
        chosen = st.selectbox(_t("adopted_class", language), classes,
                              index=classes.index(recorded) if recorded in classes else 0, key="ruling_adopted_class",
                              format_func=lambda c: self._class(c, language))  # fmt: skip
        return {"adopted_class": chosen}

    def draft_summary(self, draft: Mapping[str, Any], language: Language) -> str:
        return f"{_t('adopted_class', language)}: {self._class(draft['adopted_class'], language)}"

    def ruling_summary(self, ruling: Any, language: Language) -> str:
        tool = ruling.recorded_class or ruling.suggested_class
        score = (
            ""
            if ruling.suggested_score is None  # the person refused the algorithm: the model was not asked
            else f" · {_t('model_score', language)}: {ruling.suggested_score:.2f}"
        )
        return (f"{_t('recorded', language)}: {self._class(tool, language)}{score} · {_t('adopted_class', language)}: "
                f"{self._class(ruling.adopted_class, language)}")  # fmt: skip


@dataclass(frozen=True)
class BenchMaker:
    """The app's part for a kind of case: the bench its pages use."""

    make: Callable[[Any, KindRegistry], Bench]


def register_benches(kinds: KindRegistry) -> None:
    kinds.attach(Case.kind, BenchMaker, BenchMaker(SentencingBench))
    kinds.attach(RISK_CASE_KIND, BenchMaker, BenchMaker(RiskBench))


def bench_for(kinds: KindRegistry, case: HeardCase, language: Language | None = None) -> Bench:
    """The bench of the case's kind (attached by :func:`register_benches`), speaking ``language`` (else the
    session's)."""
    bench = kinds.part(case.kind, BenchMaker).make(case, kinds)
    bench.language = language or ("en" if st.session_state.get("language") == "en" else "zh-CN")
    return bench
