"""The tiered duty to explain: when the deep tier is owed, who may demand it, and whether the record shows it was
provided.

The court sets the rule (:class:`DeepTierRule`, as data: ``parse_deep_tier_rule``; ``VOIRDIRE_DEEP_TIER_RULE``
names its JSON file). Its grounds, each switched on or off:

- ``disputed``: a party disputes a fact (the record holds a disputed-fact query, or a report asked with disputed
  facts) or objects to a finding (an objection, ``party_submission``);
- ``outside_data``: the case lies outside the model's data (the coverage check of the deep report, asked of the
  case before any report is);
- ``serious_finding``: the standard report already shows what the deep tier would raise as a high finding — a
  legally irrelevant factor that moves the recommendation (the flip test), a recommendation outside the
  statutory limits or the guideline's ±20% band, or a model its card never validated on the case's charge.

``demanders`` are the roles that may demand the deep tier when a ground holds (``deep_tier_demand``, an entry of the
record); with ``automatic`` the deep tier is owed as soon as a ground holds, demanded or not. Owed and not yet in
the record, it stops the citation: the ruling waits until the deep report is entered after the duty arose. The
duty as found when the ruling is written is sealed with it (``ruling.json``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from explain_tiers.charge_validation import charge_label
from explain_tiers.negotiation import check_fields, statement_maker, statement_text
from sentencing.catalogue import load_catalogue
from sentencing.errors import InputError, OperationInputError, Rule
from sentencing.excerpts import excerpt, one_line
from sentencing.i18n import Label
from sentencing.operations import Operation, OperationContext, OperationRegistry

__all__ = [
    "DEFAULT_DEEP_TIER_RULE",
    "DEMAND_OPERATION",
    "DUTY_SCHEMA_VERSION",
    "GROUND_LABELS",
    "STATEMENT_SPEAKERS",
    "DeepTierDuty",
    "DeepTierRule",
    "Ground",
    "deep_tier_duty",
    "parse_deep_tier_rule",
    "register_duty_operations",
]

DUTY_SCHEMA_VERSION = "1.0"
DEMAND_OPERATION = "deep_tier_demand"
GROUNDS = ("disputed", "outside_data", "serious_finding")
_DEMANDERS = frozenset({"defence", "prosecution", "duty_lawyer", "judge"})
STATEMENT_SPEAKERS: dict[str, frozenset[str]] = {DEMAND_OPERATION: _DEMANDERS}
_BASIS = "法发〔2022〕33号 第6条 (透明可信：可解释、可测试、可验证); 法释〔2021〕1号第71条 (质证)"

GROUND_LABELS: dict[str, Label] = {
    "disputed": Label("当事方对事实或质证理由提出争议", "a party disputes a fact or a finding"),
    "outside_data": Label("案件超出模型训练数据的范围", "the case lies outside the model's data"),
    "serious_finding": Label("标准报告已显示严重问题（法律上无关的因素影响建议，建议超出法定刑或±20%幅度，"
                             "或模型从未在本案罪名上验证过）",
                             "the standard report already shows a serious finding (a legally irrelevant factor "
                             "moves the recommendation, it lies outside the statutory limits or the ±20% band, or "
                             "the model was never validated on the case's charge)"),
}  # fmt: skip


@dataclass(frozen=True)
class DeepTierRule:
    """The court's rule: which grounds owe the deep tier, who may demand it, whether it is owed without a demand."""

    grounds: frozenset[str] = frozenset(GROUNDS)
    demanders: frozenset[str] = frozenset({"defence", "duty_lawyer", "judge"})
    automatic: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"grounds": sorted(self.grounds), "demanders": sorted(self.demanders), "automatic": self.automatic}


DEFAULT_DEEP_TIER_RULE = DeepTierRule()


def parse_deep_tier_rule(raw: object, source: str = "deep tier rule") -> DeepTierRule:
    """The rule from its JSON document ``{"grounds": [...], "demanders": [...], "automatic": bool}``; a bad field is
    one :class:`InputError` naming it."""
    if not isinstance(raw, Mapping):
        raise InputError(source, Rule.WRONG_TYPE, "expected an object {grounds, demanders, automatic}")
    unknown = sorted(set(raw) - {"grounds", "demanders", "automatic"})
    if unknown:
        raise InputError(f"{source}: {one_line(str(unknown[0]), 40)}", Rule.UNKNOWN_FIELD,
                         "no such field; expected grounds, demanders, automatic")  # fmt: skip
    values: dict[str, Any] = {}
    for name, allowed in (("grounds", frozenset(GROUNDS)), ("demanders", _DEMANDERS)):
        given = raw.get(name, sorted(getattr(DEFAULT_DEEP_TIER_RULE, name)))
        if not isinstance(given, list) or any(g not in allowed for g in given):
            raise InputError(f"{source}: {name}", Rule.NOT_ALLOWED_VALUE,
                             f"a list drawn from {', '.join(sorted(allowed))}, found {excerpt(given)}")  # fmt: skip
        values[name] = frozenset(given)
    automatic = raw.get("automatic", False)
    if not isinstance(automatic, bool):
        raise InputError(f"{source}: automatic", Rule.WRONG_TYPE, f"true or false, found {excerpt(automatic)}")
    return DeepTierRule(values["grounds"], values["demanders"], automatic)


@dataclass(frozen=True)
class Ground:
    """One ground that holds, with what shows it (an entry of the record, or the standard report)."""

    ground: str
    evidence: Label
    entry: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"ground": self.ground, "label": GROUND_LABELS[self.ground].to_mapping(),
                "evidence": self.evidence.to_mapping(), "entry": self.entry}  # fmt: skip


@dataclass(frozen=True)
class DeepTierDuty:
    rule: DeepTierRule
    grounds: tuple[Ground, ...]
    demanded: int | None  # the entry of the first demand
    owed: bool
    provided: int | None  # the entry of the deep report that discharges the duty

    @property
    def outstanding(self) -> bool:
        return self.owed and self.provided is None

    def to_dict(self) -> dict[str, Any]:
        return {"schema_version": DUTY_SCHEMA_VERSION, "rule": self.rule.to_dict(),
                "grounds": [g.to_dict() for g in self.grounds], "demanded_entry": self.demanded, "owed": self.owed,
                "provided_entry": self.provided}  # fmt: skip


def _factor_label(factor: str) -> Label:
    """A factor by the catalogue's name in each language; one the catalogue does not know, as written (one line, at
    most 40 characters: a stored report is read back here)."""
    catalogue = load_catalogue()
    if catalogue.has_factor(factor):
        return catalogue.factor(factor).label
    shown = one_line(factor, 40)
    return Label(shown, shown)


def deep_tier_duty(
    rule: DeepTierRule, entries: Sequence[Mapping[str, Any]], standard: Mapping[str, Any] | None,
    outside_data: bool | None, report_operations: frozenset[str], disputed_operations: frozenset[str],
) -> DeepTierDuty:  # fmt: skip
    """The duty as the record and the standard report show it. ``outside_data``: the case's coverage check (None where
    the kind of case has none); ``disputed_operations``: the queries that put a fact in dispute."""
    grounds: list[Ground] = []
    if "disputed" in rule.grounds:
        for entry in entries:
            operation, parameters = entry.get("operation"), entry.get("parameters") or {}
            result = entry.get("result") or {}
            if operation in disputed_operations or (operation in report_operations and parameters.get("disputed")):
                grounds.append(Ground("disputed", Label(f"第 {entry['seq']} 条：当事方提出争议事实",
                                                        f"entry {entry['seq']}: a party puts a fact in dispute"),
                                      int(entry["seq"])))  # fmt: skip
            elif operation == "party_submission" and result.get("kind") == "objection":
                grounds.append(Ground("disputed", Label(f"第 {entry['seq']} 条：当事方提出异议",
                                                        f"entry {entry['seq']}: a party objects"),
                                      int(entry["seq"])))  # fmt: skip
    if "outside_data" in rule.grounds and outside_data:
        grounds.append(
            Ground(
                "outside_data",
                Label("覆盖检验：案件超出模型训练数据的范围", "coverage check: the case lies outside the model's data"),
            )
        )
    if "serious_finding" in rule.grounds and standard is not None:
        moved = [f.get("factor") for f in standard.get("irrelevant_factors") or []]
        if moved:
            labels = [_factor_label(str(factor)) for factor in moved]
            names = Label("、".join(x.zh for x in labels), ", ".join(x.en for x in labels))
            grounds.append(Ground("serious_finding", Label(f"标准报告：法律上无关的因素影响建议（{names.zh}）",
                                                           f"standard report: a legally irrelevant factor moves the "
                                                           f"recommendation ({names.en})")))  # fmt: skip
        examination = standard.get("examination") or {}
        if examination.get("inside_sentence_limits") is False or examination.get("inside_judicial_band") is False:
            grounds.append(
                Ground(
                    "serious_finding",
                    Label(
                        "标准报告：建议超出法定刑或指导意见±20%幅度",
                        "standard report: the recommendation lies outside the "
                        "statutory limits or the guideline's ±20% band",
                    ),
                )
            )
        validation = standard.get("charge_validation") or {}
        if validation.get("status") == "not_validated":
            charge = charge_label(str(validation.get("charge")))
            grounds.append(Ground("serious_finding", Label(f"标准报告：模型从未在{charge.zh}案件上验证过",
                                                           f"standard report: the model was never validated on "
                                                           f"{charge.both()} cases")))  # fmt: skip
    demands = [e for e in entries if e.get("operation") == DEMAND_OPERATION]
    demanded = int(demands[0]["seq"]) if demands else None
    owed = demanded is not None or (rule.automatic and bool(grounds))
    since = demanded if demanded is not None else min((g.entry for g in grounds if g.entry), default=0)
    deep = [int(e["seq"]) for e in entries if e.get("operation") in report_operations
            and (e.get("parameters") or {}).get("tier") == "deep" and int(e["seq"]) > since]  # fmt: skip
    return DeepTierDuty(rule, tuple(grounds), demanded, owed, deep[0] if owed and deep else None)


def _run_demand(case: Any, parameters: Mapping[str, Any], context: OperationContext) -> dict[str, Any]:
    del case, context
    op = DEMAND_OPERATION
    check_fields(op, parameters, {"made_by", "reasons", "grounds"})
    statement_maker(op, parameters, _DEMANDERS)
    grounds = parameters.get("grounds")
    if not isinstance(grounds, list) or not grounds or any(g not in GROUNDS for g in grounds):
        raise OperationInputError(op, f"'grounds' must name the grounds that hold ({', '.join(GROUNDS)}), found "
                                  f"{excerpt(grounds)}")  # fmt: skip
    reasons = statement_text(op, parameters, "reasons", required=False)
    return {"schema_version": DUTY_SCHEMA_VERSION, "made_by": parameters["made_by"], "grounds": sorted(set(grounds)),
            "grounds_label": [GROUND_LABELS[g].to_mapping() for g in sorted(set(grounds))],
            "reasons": reasons, "basis": _BASIS}  # fmt: skip


def register_duty_operations(registry: OperationRegistry) -> None:
    registry.register(Operation(DEMAND_OPERATION, "1", _run_demand,
                                Label("要求提供深度解释报告", "a demand for the deep tier of explanation"),
                                frozenset({"made_by", "reasons", "grounds"}), frozenset(registry.kinds.names()),
                                statement=True))  # fmt: skip
