"""What the app's pages show and ask for each kind of case: one bench per kind, chosen once per page.

A sentencing case is examined in months beside the guideline; a risk-assessment case on its
instrument's scale, through a surrogate whose caveat every answer carries. The pages (case and
report, what-if, minimal-change search, findings, ruling) are the same for both; they call
:func:`bench_for` and the bench supplies the operation to run, the controls to ask with and the
way to show the answer. UI only: every answer comes from the hearing service.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import streamlit as st

from counterfactuals.operations import QuestionOperations
from explain_tiers.negotiation import DECISION_LABELS, Decision
from explain_tiers.operations import ReportPart
from explain_tiers.proposal_review import ART_201_CHECKLIST
from explain_tiers.render import ZONES
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
}


def _t(key: str, language: Language) -> str:
    return T[key].text(language)


class Bench(ABC):
    """The part of each page that depends on the kind of case."""

    def __init__(self, case: HeardCase, kinds: KindRegistry) -> None:
        self.case = case
        self.report_operation = kinds.part(case.kind, ReportPart).operation
        questions = kinds.part(case.kind, QuestionOperations)
        self.whatif_operation = questions.whatif
        self.search_operation = questions.search

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

    def role(self, role: str, language: Language) -> str:
        """A legal role (liability / prevention / legally irrelevant) in the court's language."""
        return self.catalogue.role_label(LegalRole(role)).text(language)

    @abstractmethod
    def show_report(self, report: dict[str, Any], language: Language) -> None: ...

    @abstractmethod
    def show_whatif(self, result: dict[str, Any], language: Language) -> None: ...

    @abstractmethod
    def search_parameters(self, language: Language) -> dict[str, Any]: ...

    @abstractmethod
    def show_search(self, result: dict[str, Any], language: Language) -> None: ...

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

    def show_report(self, report: dict[str, Any], language: Language) -> None:
        exam = report["examination"]
        a, b = st.columns(2)
        a.metric(_t("recommendation", language), f"{exam['recommended_months']:.1f} {_t('months', language)}")
        b.metric(_t("guideline", language), f"{exam['guideline']['recommended_months']:.1f} {_t('months', language)}",
                 f"{-exam['gap_months']:+.1f}")  # fmt: skip
        st.table(
            [{_t("factor", language): f["label"][language], _t("value", language): f["value"][language],
              _t("role", language): self.role(f["legal_role"], language),
              _t("zone", language): ZONES[f["zone"]].text(language),
              _t("weight", language): round(f["weight"], 2)} for f in report["main_factors"]]
        )  # fmt: skip
        for caution in report["cautions"]:
            st.caption(caution[language])

    def show_whatif(self, result: dict[str, Any], language: Language) -> None:
        scenario = result["scenarios"][0]
        a, b = st.columns(2)
        a.metric(_t("recommendation", language), f"{scenario['model']['months']:.1f} {_t('months', language)}",
                 f"{scenario['model']['delta']:+.1f}", delta_color="inverse")  # fmt: skip
        b.metric(_t("guideline", language), f"{scenario['guideline']['months']:.1f} {_t('months', language)}",
                 f"{scenario['guideline']['delta']:+.1f}", delta_color="inverse")  # fmt: skip
        if scenario["divergence_label"]:
            st.warning(scenario["divergence_label"][language])

    def search_parameters(self, language: Language) -> dict[str, Any]:
        below = st.number_input(_t("below", language), min_value=1.0, max_value=600.0, value=36.0, key="search_below")
        return {"target": {"low": None, "high": float(below), "high_inclusive": False, "label": f"below {below:g}"}}

    def show_search(self, result: dict[str, Any], language: Language) -> None:
        catalogue = self.catalogue
        st.write(f"{result['minimal_size']} · {'✓' if result['proven_minimal'] else ''}")
        st.table(
            [{_t("changes", language): "; ".join(
                f"{catalogue.factor(c['factor']).label.text(language)}: {c['before']} → {c['after']}"
                for c in a["changes"]),
              _t("algorithm", language): round(a["recommended_months"], 1),
              _t("guideline_col", language): round(a["guideline_months"], 1)}
             for a in result["answers"]]
        )  # fmt: skip

    def findings(self, report: dict[str, Any], language: Language) -> list[dict[str, str]]:
        return [{"severity": f["severity"], "title": f["title"][language], "evidence": f["evidence"][language],
                 "basis": f["legal_basis"], "question": f["question"][language]}
                for f in report["deep"]["findings"]]  # fmt: skip

    def adoption(self, language: Language) -> dict[str, Any]:
        months = st.number_input(_t("adopted", language), min_value=0.5, max_value=600.0, value=6.0,
                                 key="ruling_adopted")  # fmt: skip
        if self.case.proposal is None:
            return {"adopted_months": float(months)}
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
        return {"adopted_months": float(months), "proposal_decision": chosen}

    def ruling_summary(self, ruling: Any, language: Language) -> str:
        summary = (f"{_t('recommendation', language)}: {ruling.system_suggestion_months:.1f} · "
                   f"{_t('adopted', language)}: {ruling.adopted_months:g}")  # fmt: skip
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
        return f"{class_id} · {self.instrument.scale.class_by_id(class_id).label.text(language)}"

    def _term(self, term: dict[str, Any], language: Language) -> str:
        """A row of the points table as a court reads it: "charge degree: felony", "age ≥ 25 years"."""
        return self.instrument.condition_label(term["factor"], term["op"], term["value"]).text(language)

    def _caveat(self, result: dict[str, Any], language: Language) -> None:
        if result.get("caveat"):
            st.warning(result["caveat"][language])

    def show_report(self, report: dict[str, Any], language: Language) -> None:
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
            st.table(
                [{_t("factor", language): self._term(t, language),
                  _t("role", language): self.role(t["legal_role"], language),
                  _t("points_col", language): f"{t['points']:+.2f}"} for t in report["points"]["terms"] if t["holds"]]
            )  # fmt: skip
            st.caption(f"{_t('total', language)}: {report['points']['total']:.2f}")
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

    def search_parameters(self, language: Language) -> dict[str, Any]:
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

    def findings(self, report: dict[str, Any], language: Language) -> list[dict[str, str]]:
        return [{"severity": f["severity"], "title": f["title"][language], "evidence": f["evidence"][language],
                 "basis": _t("on_surrogate" if f["on_surrogate"] else "on_records", language),
                 "question": f["question"][language]} for f in report["findings"]]  # fmt: skip

    def adoption(self, language: Language) -> dict[str, Any]:
        classes = list(self.instrument.scale.class_ids)
        recorded = self.recorded.class_id if self.recorded else None
        chosen = st.selectbox(_t("adopted_class", language), classes,
                              index=classes.index(recorded) if recorded in classes else 0, key="ruling_adopted_class",
                              format_func=lambda c: self._class(c, language))  # fmt: skip
        return {"adopted_class": chosen}

    def ruling_summary(self, ruling: Any, language: Language) -> str:
        tool = ruling.recorded_class or ruling.suggested_class
        return (f"{_t('recorded', language)}: {self._class(tool, language)} · {_t('model_score', language)}: "
                f"{ruling.suggested_score:.2f} · {_t('adopted_class', language)}: "
                f"{self._class(ruling.adopted_class, language)}")  # fmt: skip


@dataclass(frozen=True)
class BenchMaker:
    """The app's part for a kind of case: the bench its pages use."""

    make: Callable[[Any, KindRegistry], Bench]


def register_benches(kinds: KindRegistry) -> None:
    kinds.attach(Case.kind, BenchMaker, BenchMaker(SentencingBench))
    kinds.attach(RISK_CASE_KIND, BenchMaker, BenchMaker(RiskBench))


def bench_for(kinds: KindRegistry, case: HeardCase) -> Bench:
    """The bench of the case's kind (attached by :func:`register_benches`)."""
    return kinds.part(case.kind, BenchMaker).make(case, kinds)
