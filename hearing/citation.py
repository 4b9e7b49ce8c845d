"""The judge's algorithm citation for either kind of case: what the system suggested, and what the court adopts.

For a sentencing case the system suggests a term (beside the guideline's) and the court adopts a
term; departing from the suggestion by more than 20% needs reasons (SENTENCING_RULES.md §4), and so
does a term beyond the guideline's own ±20% band, which marks the ruling for the adjudication committee
(审判委员会: 法发〔2021〕21号 Part I ¶4 — where the adjusted result still does not fit the crime, the
committee decides). For a
risk-assessment case the evidence is a score: the citation records the model's score and class
and the class the tool recorded, and the court states the risk class it finds on all the evidence;
finding another class than the tool's needs reasons. Either way the judge must say what was
weighed, so that the score is never the determinative factor (State v. Loomis, 2016 WI 68).

Each kind's policy is attached to its kind (:func:`register_citation_policies`); the service asks the kind. Each
also writes the citation as a judgment can quote it (:meth:`CitationPolicy.section`): what the system suggested,
what the judge weighed, what was adopted and why, in zh-CN or English.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from counterfactuals.risk_queries import ask_risk_what_if
from explain_tiers.population import assess_coverage, population_of
from sentencing.case import Case
from sentencing.errors import InputError, Rule
from sentencing.guideline import derive_sentence
from sentencing.i18n import Label, Language
from sentencing.kinds import KindRegistry
from sentencing.models import SentencingModel, predict_cases
from sentencing.risk import RISK_CASE_KIND, RiskCase, load_instrument

__all__ = [
    "DEPARTURE_SHARE",
    "Adoption",
    "CitationPolicy",
    "RiskCitation",
    "SentencingCitation",
    "Suggestion",
    "offender_group",
    "register_citation_policies",
]

DEPARTURE_SHARE = 0.2  # a term this far from the system's suggestion is a departure that needs reasons


@dataclass(frozen=True)
class Suggestion:
    """What the system put before the court, as the citation records it."""

    case_kind: str
    months: float | None = None
    guideline_months: float | None = None
    score: float | None = None
    risk_class: str | None = None
    recorded_class: str | None = None
    guideline_band: tuple[float, float] | None = None  # the guideline's ±20% band (sentencing)
    offender_group: str | None = None  # hearing.deviation.OFFENDER_GROUPS (sentencing)

    @property
    def tool_class(self) -> str | None:
        """The class under challenge: the one the tool recorded, else the model's."""
        return self.recorded_class or self.risk_class


@dataclass(frozen=True)
class Adoption:
    """What the court adopts: a term (sentencing) or a risk class (risk assessment)."""

    months: float | None
    risk_class: str | None
    departs: bool
    beyond_guideline_band: bool = False  # marked for the adjudication committee


class CitationPolicy(ABC):
    """What the system suggests for one kind of case, and how the court's adoption is checked against it."""

    @abstractmethod
    def suggest(self, case: Any, model: SentencingModel) -> Suggestion: ...

    @abstractmethod
    def check_adoption(
        self, case: Any, suggestion: Suggestion, adopted_months: float | None, adopted_class: str | None, reasons: str
    ) -> Adoption:
        """The court's adoption checked for this kind of case; a departure without reasons is refused."""

    @abstractmethod
    def guideline_only(self, case: Any) -> Suggestion:
        """What the court sets beside its decision when the defendant refused the algorithm's assistance (法发〔2022〕
        33号 art. 5): the law's own yardstick, with no model asked."""

    def outside_data(self, case: Any, model: SentencingModel) -> bool | None:
        """Whether the case lies outside the model's data (a ground of the deep tier's duty); None: not known for
        this kind of case."""
        del case, model
        return None

    @abstractmethod
    def adopted_text(self, facts: Mapping[str, Any], language: Language) -> tuple[str, str]:
        """(what the system suggested, what the court adopts) as sentences of the judgment, from the ruling's
        sealed facts (``ruling.json``)."""

    def section(self, facts: Mapping[str, Any], language: Language) -> str:
        """The judgment-ready algorithm citation: the system's suggestion, what the judge weighed, what was adopted
        and why (the departure, the committee's referral, the reason written after an anchoring warning)."""
        zh = language == "zh-CN"
        suggested, adopted = self.adopted_text(facts, language)
        model = facts.get("model") or {}
        system = (f"本院使用的辅助量刑系统（{model.get('name', '')}，模型摘要 sha256 {str(model.get('sha256'))[:16]}…）"
                  if zh else f"The sentencing-assistance system the court used ({model.get('name', '')}, model "
                  f"sha256 {str(model.get('sha256'))[:16]}…)")  # fmt: skip
        notice = facts.get("ai_notice")
        no_model = model.get("sha256") is None and model.get("name") is None and "model" in facts
        if no_model:
            system = ("本院审理本案未使用算法模型，仅依量刑指导意见计算。" if zh else
                      "The court used no algorithm model in this case: the guideline alone was applied. ")  # fmt: skip
            if notice and notice.get("refused"):
                system += (f"被告人经告知（{notice['notified_on']}，第 {notice['entry']} 条记录）拒绝使用人工智能辅助。"
                           if zh else f"Told on {notice['notified_on']} (entry {notice['entry']}), the defendant "
                           "refused the assistance of artificial intelligence. ")  # fmt: skip
        elif notice and notice.get("refused"):
            system = (f"被告人经告知（{notice['notified_on']}，第 {notice['entry']} 条记录）拒绝使用人工智能辅助，"
                      "本院未询问算法。" if zh else
                      f"Told on {notice['notified_on']} (entry {notice['entry']}), the defendant refused the "
                      "assistance of artificial intelligence; the court did not ask the algorithm. ")  # fmt: skip
        elif notice:
            system = (f"已于 {notice['notified_on']} 告知被告人本案使用人工智能辅助（第 {notice['entry']} 条记录），"
                      f"被告人未拒绝。{system}" if zh else
                      f"The defendant was told on {notice['notified_on']} that artificial intelligence assists in "
                      f"this case (entry {notice['entry']}) and did not refuse it. {system}")  # fmt: skip
        lines = [Label("【算法辅助说明】", "Algorithm citation").text(language),
                 (Label("一、算法辅助的使用", "1. Whether the algorithm was used")
                  if no_model or (notice and notice.get("refused"))
                  else Label("一、系统建议", "1. What the system suggested")).text(language), f"{system}{suggested}",
                 Label("二、法官考量", "2. What the judge weighed").text(language),
                 (f"责任刑：{facts.get('weighed_liability')}；预防刑：{facts.get('weighed_prevention')}"
                  if zh else f"Liability: {facts.get('weighed_liability')}; prevention: "
                  f"{facts.get('weighed_prevention')}")]  # fmt: skip
        if facts.get("particulars"):
            lines.append(f"{Label('案件具体情况：', 'Particulars: ').text(language)}{facts['particulars']}")
        challenged = facts.get("challenge_findings") or []
        if challenged:
            upheld = sum(1 for c in challenged if c.get("disposition") == "upheld")
            lines.append(f"经庭审质证，对算法的 {len(challenged)} 项质证理由中 {upheld} 项成立、"
                         f"{len(challenged) - upheld} 项不成立（见庭审记录）。" if zh else
                         f"Of the challenge findings heard against the algorithm ({len(challenged)}), the court "
                         f"upheld {upheld} and rejected {len(challenged) - upheld} (see the record).")  # fmt: skip
        duty = facts.get("deep_tier") or {}
        if duty.get("owed"):
            demanded = duty.get("demanded_entry")
            lines.append(
                (f"依本院规则应当提供深度解释报告{f'（第 {demanded} 条记录提出要求）' if demanded else ''}，"
                 f"已于第 {duty.get('provided_entry')} 条记录提供。") if zh else
                (f"Under the court's rule the deep tier of explanation was owed"
                 f"{f' (demanded at entry {demanded})' if demanded else ''}; it was provided at entry "
                 f"{duty.get('provided_entry')}."))  # fmt: skip
        lines += [Label("三、采纳情况及理由", "3. What was adopted and why").text(language), adopted]
        if facts.get("departure_reasons"):
            lines.append(f"{Label('理由：', 'Reasons: ').text(language)}{facts['departure_reasons']}")
        if facts.get("committee_referral"):
            lines.append(Label("该刑期超出量刑指导意见±20%的调整幅度，依法提交审判委员会讨论决定。",
                               "The term lies beyond the guideline's ±20% band: under the guiding opinion the "
                               "adjudication committee (审判委员会) decides.").text(language))  # fmt: skip
        warnings = facts.get("anchoring_warnings") or []
        if warnings:
            lines.append(Label("偏离监测提示：", "The deviation monitor warned: ").text(language)
                         + " ".join(str(w.get(language, "")) for w in warnings))  # fmt: skip
            reason = Label("法官原因说明：", "The judge's written reason: ").text(language)
            lines.append(f"{reason}{facts.get('anchoring_reasons')}")
        lines.append(Label("所依据的庭审记录（最后一条的 sha256）：", "The record weighed (sha256 of its last entry): ")
                     .text(language) + str(facts.get("record_head_sha256")))  # fmt: skip
        return "\n".join(lines) + "\n"


class SentencingCitation(CitationPolicy):
    """A term suggested beside the guideline's; a term adopted; more than 20% away needs reasons."""

    def suggest(self, case: Case, model: SentencingModel) -> Suggestion:
        months = float(predict_cases(model, [case])[0])
        derivation = derive_sentence(case)
        band = (derivation.judicial_band.low, derivation.judicial_band.high)
        return Suggestion(case.kind, months=months, guideline_months=derivation.recommended_months,
                          guideline_band=band, offender_group=offender_group(case))  # fmt: skip

    def check_adoption(
        self, case: Case, suggestion: Suggestion, adopted_months: float | None, adopted_class: str | None, reasons: str
    ) -> Adoption:
        if adopted_class is not None:
            raise InputError("adopted_class", Rule.NOT_ALLOWED_VALUE, "a sentencing hearing adopts a term in months")
        if adopted_months is None or not 0 < adopted_months <= 600:
            raise InputError(f"adopted_months {adopted_months}", Rule.OUT_OF_RANGE, "must be between 0 and 600")
        departs = suggestion.months is not None and (
            abs(adopted_months - suggestion.months) > DEPARTURE_SHARE * suggestion.months
        )
        band = suggestion.guideline_band
        beyond = band is not None and not band[0] - 1e-9 <= adopted_months <= band[1] + 1e-9
        if (departs or beyond) and not reasons.strip():
            why = ["departs from the system's suggestion by more than 20%"] if departs else []
            if band is not None and beyond:
                why.append(f"lies beyond the guideline's ±20% band ({band[0]:g}–{band[1]:g} months), which marks the "
                           "ruling for the adjudication committee (审判委员会)")  # fmt: skip
            raise InputError("departure_reasons", Rule.MISSING_REQUIRED,
                             f"the sentence {' and '.join(why)}; give the reasons")  # fmt: skip
        return Adoption(adopted_months, None, departs, beyond)

    def outside_data(self, case: Case, model: SentencingModel) -> bool | None:
        return assess_coverage(case, population_of(model)).out_of_distribution

    def guideline_only(self, case: Case) -> Suggestion:
        derivation = derive_sentence(case)
        band = (derivation.judicial_band.low, derivation.judicial_band.high)
        return Suggestion(case.kind, guideline_months=derivation.recommended_months, guideline_band=band,
                          offender_group=offender_group(case))  # fmt: skip

    def adopted_text(self, facts: Mapping[str, Any], language: Language) -> tuple[str, str]:
        guideline, adopted = float(facts["guideline_months"]), float(facts["adopted_months"])
        band = facts.get("guideline_band_months")  # absent from citations written before it was kept
        if facts.get("system_suggestion_months") is None:  # the defendant refused the algorithm: the guideline alone
            if language == "zh-CN":
                within = f"（±20%调整幅度 {band[0]:g}–{band[1]:g} 个月）" if band else ""
                return (f"依《关于常见犯罪的量刑指导意见（试行）》（法发〔2021〕21号）计算为 "
                        f"{guideline:.1f} 个月{within}。",
                        f"本院决定刑期 {adopted:g} 个月。")  # fmt: skip
            within = f" (its ±20% band {band[0]:g}–{band[1]:g} months)" if band else ""
            return (f"The guiding opinion's method (法发〔2021〕21号) gives {guideline:.1f} months{within}.",
                    f"The court imposes {adopted:g} months.")  # fmt: skip
        suggestion = float(facts["system_suggestion_months"])
        if language == "zh-CN":
            within = f"（±20%调整幅度 {band[0]:g}–{band[1]:g} 个月）" if band else ""
            return (f"建议刑期 {suggestion:.1f} 个月；依《关于常见犯罪的量刑指导意见（试行）》"
                    f"（法发〔2021〕21号）计算为 {guideline:.1f} 个月{within}。",
                    f"本院决定刑期 {adopted:g} 个月，较系统建议{_change(adopted, suggestion, 'zh-CN')}。")  # fmt: skip
        within = f" (its ±20% band {band[0]:g}–{band[1]:g} months)" if band else ""
        return (f" suggested {suggestion:.1f} months; the guiding opinion's method (法发〔2021〕21号) gives "
                f"{guideline:.1f} months{within}.",
                f"The court imposes {adopted:g} months, {_change(adopted, suggestion, 'en')} the system's "
                "suggestion.")  # fmt: skip


class RiskCitation(CitationPolicy):
    """The model's score and class beside the tool's recorded class; the court states the class it finds."""

    def suggest(self, case: RiskCase, model: SentencingModel) -> Suggestion:
        point = ask_risk_what_if(case, model, []).baseline
        recorded = case.recorded.class_id if case.recorded else None
        return Suggestion(case.kind, score=point.score, risk_class=point.risk_class, recorded_class=recorded)

    def check_adoption(
        self, case: RiskCase, suggestion: Suggestion, adopted_months: float | None, adopted_class: str | None,
        reasons: str,
    ) -> Adoption:  # fmt: skip
        classes = load_instrument(case.instrument).scale.class_ids
        if adopted_months is not None:
            raise InputError(
                'adopted_months', Rule.NOT_ALLOWED_VALUE,
                'a risk-assessment hearing rules on the risk class the court finds, not a term; give adopted_class',
            )  # fmt: skip
        if adopted_class not in classes:
            raise InputError(f"adopted_class {adopted_class!r}", Rule.NOT_ALLOWED_VALUE, f"one of {', '.join(classes)}")
        departs = adopted_class != suggestion.tool_class
        if departs and not reasons.strip():
            raise InputError(
                'departure_reasons', Rule.MISSING_REQUIRED,
                f'the court finds {adopted_class}, the tool gave {suggestion.tool_class}; give the reasons',
            )  # fmt: skip
        return Adoption(None, adopted_class, departs)

    def guideline_only(self, case: RiskCase) -> Suggestion:
        recorded = case.recorded.class_id if case.recorded else None
        return Suggestion(case.kind, recorded_class=recorded)

    def adopted_text(self, facts: Mapping[str, Any], language: Language) -> tuple[str, str]:
        score, model_class, tool = facts.get("suggested_score"), facts.get("suggested_class"), facts.get(
            "recorded_class")  # fmt: skip
        found = facts.get("adopted_class")
        if score is None:  # the person refused the algorithm: the tool's recorded class alone is before the court
            if language == "zh-CN":
                return (f"评估工具记录的等级为 {tool or '—'}。", f"本院综合全案证据认定其风险等级为 {found}。")
            return (f"The tool recorded {tool or '—'}.", f"On all the evidence the court finds the risk {found}.")
        if language == "zh-CN":
            return (f"对被评估人的评分为 {score:g}（{model_class}），评估工具记录的等级为 {tool or '—'}；评分不作为"
                    "决定性依据。", f"本院综合全案证据认定其风险等级为 {found}。")  # fmt: skip
        return (f" scored the person {score:g} ({model_class}); the tool recorded {tool or '—'}; the score is not "
                "determinative.", f"On all the evidence the court finds the risk {found}.")  # fmt: skip


def offender_group(case: Case) -> str:
    """Recidivist (累犯), prior record (前科, habitual offenders among them) or first offender, from the facts."""
    facts = case.as_dict()
    if facts.get("recidivist"):
        return "recidivist"
    return "prior_record" if facts.get("prior_record") else "first_offender"


def _change(adopted: float, suggested: float, language: Language) -> str:
    if abs(adopted - suggested) < 0.05:
        return "一致" if language == "zh-CN" else "the same as"
    share = (adopted - suggested) / suggested if suggested else 0.0
    if language == "zh-CN":
        return f"{'增加' if share > 0 else '减少'} {abs(share):.0%}"
    return f"{abs(share):.0%} {'above' if share > 0 else 'below'}"


def register_citation_policies(kinds: KindRegistry) -> None:
    """The hearing's part for each kind of case: what the judge's citation records and checks."""
    kinds.attach(Case.kind, CitationPolicy, SentencingCitation())
    kinds.attach(RISK_CASE_KIND, CitationPolicy, RiskCitation())
