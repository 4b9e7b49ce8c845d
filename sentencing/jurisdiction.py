"""Per-jurisdiction sentencing tables: thresholds, statutory bands, starting points, increments, ratios.

The 2021 national text sets starting-point ranges and circumstance ratios; provinces set the
yuan thresholds inside national ranges and the months per unit of amount. Those choices live in
``data/jurisdictions/<id>.json``; one default jurisdiction ships, and a court supplies its own
table by path. A province's own thresholds are data too (``data/regional_thresholds.json``): the id
``TABLE:REGION`` (``default:sichuan``) is TABLE with REGION's thresholds. Every table is checked on load,
the thresholds against the national ranges.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from importlib import resources
from typing import Any

from sentencing.drugs import HEROIN_EQUIVALENT
from sentencing.errors import ConfigurationError
from sentencing.excerpts import excerpt
from sentencing.files import read_data_document
from sentencing.i18n import Label

__all__ = [
    "JURISDICTION_SCHEMA_VERSION",
    "Band",
    "ChargeTable",
    "CircumstanceRule",
    "Condition",
    "Exemption",
    "FineRule",
    "Increment",
    "Jurisdiction",
    "Mitigation",
    "NonCustodialRule",
    "PleaStage",
    "PleaStageRule",
    "Policy",
    "RegionalThresholds",
    "Stage",
    "StartingPoint",
    "Tier",
    "available_jurisdictions",
    "load_jurisdiction",
    "parse_jurisdiction",
    "regional_thresholds",
]

JURISDICTION_SCHEMA_VERSION = "1.1"


class Stage(StrEnum):
    """When a circumstance applies: first-tier ones adjust the base sentence before all others."""

    FIRST = "first"
    SECOND = "second"


class PleaStage(StrEnum):
    """When the defendant admitted guilt and accepted punishment (认罪认罚): the earlier, the larger the reduction
    (高检发〔2019〕13号 两高三部《关于适用认罪认罚从宽制度的指导意见》第9条)."""

    INVESTIGATION = "investigation"  # 侦查阶段
    PROSECUTION_REVIEW = "prosecution_review"  # 审查起诉阶段
    TRIAL = "trial"  # 审判阶段


@dataclass(frozen=True)
class PleaStageRule:
    """The plea's reduction at one stage: its lenient end and default ratio, within the plea's own range."""

    stage: PleaStage
    ratio_min: float
    ratio_default: float
    label: Label


class Mitigation(StrEnum):
    """Whether a circumstance lets the sentence fall below the statutory minimum (Criminal Law art. 63)."""

    MANDATORY = "mandatory"
    DISCRETIONARY = "discretionary"
    NONE = "none"


class Exemption(StrEnum):
    """Whether a circumstance lets the court exempt from punishment (免予刑事处罚, Criminal Law art. 37): always
    (应当免除), at its discretion (可以免除), only for a lighter crime (犯罪较轻的…依法免除处罚), or never."""

    MANDATORY = "mandatory"
    DISCRETIONARY = "discretionary"
    LIGHTER_CRIME = "lighter_crime"
    NONE = "none"


@dataclass(frozen=True)
class Band:
    min_months: float
    max_months: float
    label: Label
    source: str


@dataclass(frozen=True)
class StartingPoint:
    """Where in its range the tier starts; ``by_fact`` lets one fact's value choose (an injury's grade)."""

    min_months: float
    max_months: float
    months: float
    source: str
    unconfirmed: bool
    by_fact: str | None = None
    by_value: tuple[tuple[str, float], ...] = ()

    def months_for(self, value: object) -> float:
        return dict(self.by_value).get(str(value), self.months) if self.by_fact else self.months


@dataclass(frozen=True)
class Increment:
    """Months added to the starting point per ``unit_size`` of ``fact`` above ``above``."""

    id: str
    fact: str
    unit_size: float
    months: float
    above: float
    cap_months: float | None
    label: Label
    source: str
    below_amount: float | None = None  # counts only while the amount is below this (theft: acts below 数额较大)
    # counts only where these facts hold (a traffic accident's deaths: by the responsibility they are written for)
    when: tuple[Condition, ...] = ()

    def applies(self, value: Callable[[str], object]) -> bool:
        return all(c.holds_for(value) for c in self.when)


@dataclass(frozen=True)
class Condition:
    """One fact a tier requires: at least a number (a threshold may be named), true, between two numbers, or (a fact
    of named values) one of some values."""

    fact: str
    at_least: float | None = None
    is_true: bool | None = None
    between: tuple[float, float] | None = None
    one_of: tuple[str, ...] | None = None

    def holds(self, value: object) -> bool:
        """``value``: the fact's value — a number (a yes/no fact as 1 or 0), or a named value's id."""
        if self.one_of is not None:
            return str(value) in self.one_of
        number = float(value)  # type: ignore[arg-type]  # a number: the loader gives a named fact only 'in'

        if self.at_least is not None:
            return number >= self.at_least
        if self.is_true is not None:
            return (number == 1.0) is self.is_true
        assert self.between is not None
        return self.between[0] <= number <= self.between[1]

    def holds_for(self, value: Callable[[str], object]) -> bool:
        return self.holds(value(self.fact))


@dataclass(frozen=True)
class AllOf:
    """Facts that together are one ground of ``when_any`` (a traffic accident's 其他特别恶劣情节: two deaths AND the
    main or full responsibility)."""

    conditions: tuple[Condition, ...]

    def holds_for(self, value: Callable[[str], object]) -> bool:
        return all(c.holds_for(value) for c in self.conditions)


@dataclass(frozen=True)
class Tier:
    """One statutory band of a charge. ``when``: the facts that put a case in it (all must hold); ``when_any``: facts
    of which one suffices (robbery's eight aggravated forms); the first tier has none, and a case falls in the last
    tier whose facts hold."""

    id: str
    label: Label
    statutory_band: Band
    starting_point: StartingPoint
    increments: tuple[Increment, ...]
    when: tuple[Condition, ...] = ()
    when_any: tuple[Condition | AllOf, ...] = ()

    def holds(self, value: Callable[[str], object]) -> bool:
        """Whether a case's facts (``value(fact)``: a number, or a named value's id) put it in this tier: every
        ``when`` and, if any are named, at least one ``when_any`` (a condition, or a group of them all holding)."""
        return all(c.holds_for(value) for c in self.when) and (
            not self.when_any or any(c.holds_for(value) for c in self.when_any)
        )


@dataclass(frozen=True)
class ChargeTable:
    charge: str
    tiers: tuple[Tier, ...]
    thresholds_yuan: tuple[tuple[str, float], ...]
    threshold_source: str
    qualifying_without_amount: tuple[str, ...]
    legal_limit_mg_per_100ml: float | None
    fine: FineRule | None = None
    non_custodial: NonCustodialRule | None = None
    acts_circumstance_from: float | None = None  # acts >= this with the amount at 数额较大: a ratio circumstance
    thresholds_follow: str | None = None  # the charge whose thresholds of the same name this one takes (robbery: theft)
    #: the facts of which one makes the charge a crime (a condition, or a group all holding), stated as data in place of
    #: the single 数额较大 test: several amounts of their own (恶意透支 beside 冒用), persons, profits, …
    convicted_when_any: tuple[Condition | AllOf, ...] = ()
    conviction_source: str = ""

    def convicted(self, value: Callable[[str], object]) -> bool:
        """Whether the facts (``value(fact)``, as a tier reads them) make the charge a crime: always, for a charge
        whose table names no ``convicted_when_any``."""
        return not self.convicted_when_any or any(c.holds_for(value) for c in self.convicted_when_any)

    def conditions(self) -> tuple[Condition, ...]:
        """Every fact-test the table states: of conviction and of each tier (a group's conditions one by one)."""
        out: list[Condition] = []
        for item in (*self.convicted_when_any, *(c for t in self.tiers for c in (*t.when, *t.when_any))):
            out.extend(item.conditions if isinstance(item, AllOf) else (item,))
        return tuple(out)

    def tier(self, tier_id: str) -> Tier:
        for tier in self.tiers:
            if tier.id == tier_id:
                return tier
        raise KeyError(tier_id)

    def threshold(self, name: str) -> float:
        return dict(self.thresholds_yuan)[name]

    def has_threshold(self, name: str) -> bool:
        """Whether the charge has this yuan threshold (``large``: a conviction that needs 数额较大, theft and fraud)."""
        return any(key == name for key, _ in self.thresholds_yuan)


@dataclass(frozen=True)
class FineRule:
    """The fine (罚金) a charge carries: a multiple of the amount between ``min_yuan`` and ``max_multiple`` × the
    amount (theft, fraud), or yuan per month of the custodial term (dangerous driving). ``default`` is this
    jurisdiction's point: the multiple of the amount, or the yuan per month."""

    kind: str  # "amount_multiple" | "per_month"
    min_yuan: float
    max_multiple: float | None
    no_amount_max_yuan: float | None
    per_month_min_yuan: float | None
    per_month_max_yuan: float | None
    default: float
    source: str


@dataclass(frozen=True)
class NonCustodialRule:
    """When the law lets a court of this charge forgo a custodial term (免予刑事处罚, or a fine alone): the offender
    admitted (one of ``admission``), repaired (one of ``repair``) and has one of ``lenient``, none of ``excluded``;
    the table's practice recommends it where the adjusted term is at most ``at_most_months``."""

    admission: tuple[str, ...]
    repair: tuple[str, ...]
    lenient: tuple[str, ...]
    excluded: tuple[str, ...]
    at_most_months: float
    source: str
    below_fact: tuple[tuple[str, float], ...] = ()  # each fact must be below its value (blood alcohol < 150)
    excluded_facts: tuple[str, ...] = ()  # none of these facts may be true (an accident, no licence)


@dataclass(frozen=True)
class CircumstanceRule:
    id: str
    ratio_min: float
    ratio_max: float
    ratio_default: float
    stage: Stage
    below_minimum: Mitigation
    min_months: float | None
    label: Label
    source: str
    exemption: Exemption = Exemption.NONE
    lighter_ratio_min: float | None = None  # 犯罪较轻的: the lenient end reaches this (-1: exemption)
    lighter_source: str = ""
    absorbs: tuple[str, ...] = ()  # circumstances this one counts, not to be counted again

    def ratios(self, lighter: bool) -> tuple[float, float, float]:
        """(lenient end, default, severe end) of the ratio, with the lighter crime's extension when it applies."""
        low = self.lighter_ratio_min if lighter and self.lighter_ratio_min is not None else self.ratio_min
        return low, self.ratio_default, self.ratio_max


@dataclass(frozen=True)
class Policy:
    judicial_adjustment_ratio: float
    judicial_adjustment_source: str
    allow_discretionary_mitigation_below_minimum: bool
    below_minimum_source: str
    fixed_term_cap_months: float
    fixed_term_cap_source: str
    detention_min_months: float
    detention_source: str
    plea_agreement_combined_cap: float
    plea_agreement_cap_with: tuple[str, ...]
    plea_agreement_absorbs: tuple[str, ...]
    plea_agreement_source: str
    lighter_crime_max_months: float = 36.0
    lighter_crime_source: str = ""
    plea_agreement_lighter_crime_cap: float = -1.0
    exemption_source: str = ""
    probation_max_months: float = 36.0
    probation_excluded: tuple[str, ...] = ()
    probation_mandatory: tuple[str, ...] = ()
    probation_source: str = ""
    plea_stages: tuple[PleaStageRule, ...] = ()
    plea_stages_source: str = ""
    plea_stages_status: str = ""


@dataclass(frozen=True)
class Jurisdiction:
    id: str
    label: Label
    policy: Policy
    charges: tuple[ChargeTable, ...]
    circumstances: tuple[CircumstanceRule, ...]
    source: str
    calibration_ids: frozenset[str] = frozenset()  # the judgments a calibrated table was fitted on

    def charge_table(self, charge: str) -> ChargeTable:
        for table in self.charges:
            if table.charge == charge:
                return table
        raise KeyError(charge)

    def circumstance(self, circumstance_id: str) -> CircumstanceRule:
        for rule in self.circumstances:
            if rule.id == circumstance_id:
                return rule
        raise KeyError(circumstance_id)

    def plea_stage(self, stage: PleaStage) -> PleaStageRule:
        for rule in self.policy.plea_stages:
            if rule.stage is stage:
                return rule
        raise ConfigurationError(self.source, f"this table grades no plea at the {stage.value} stage (plea_stages)")

    def for_plea_stage(self, stage: PleaStage) -> Jurisdiction:
        """This table with the plea's reduction (认罪认罚) graded for the stage at which the defendant pleaded."""
        graded = self.plea_stage(stage)
        rules = tuple(
            dataclasses.replace(rule, ratio_min=graded.ratio_min, ratio_default=graded.ratio_default,
                                label=Label(f"{rule.label.zh}（{graded.label.zh}）",
                                            f"{rule.label.en} — {graded.label.en}"),
                                source=f"{rule.source}; {self.policy.plea_stages_source}")
            if rule.id == "plea_agreement" else rule
            for rule in self.circumstances
        )  # fmt: skip
        return dataclasses.replace(self, circumstances=rules)


def _plea_stages(raw: object, where: str) -> tuple[PleaStageRule, ...]:
    """The plea's reduction by stage, in the order of the proceedings (investigation, review, trial)."""
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise ConfigurationError(where, "plea_stages must be a list of {stage, ratio_min, ratio_default, labels}")
    rules = []
    for item in raw:
        if not isinstance(item, dict) or item.get("stage") not in {s.value for s in PleaStage}:
            known = ", ".join(s.value for s in PleaStage)
            raise ConfigurationError(where, f"plea_stages: each needs a stage ({known})")
        rules.append(
            PleaStageRule(
                PleaStage(item["stage"]),
                _num(item, "ratio_min", where),
                _num(item, "ratio_default", where),
                Label.from_mapping(item.get("labels"), where),
            )
        )
    stages = [r.stage for r in rules]
    if stages != sorted(set(stages), key=list(PleaStage).index):
        raise ConfigurationError(where, "plea_stages: each stage once, in the order of the proceedings")
    return tuple(rules)


def _num(raw: dict[str, Any], key: str, where: str) -> float:
    value = raw.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigurationError(where, f"{key!r} must be a number, found {value!r}")
    return float(value)


def _band(raw: dict[str, Any], where: str) -> Band:
    band = Band(
        min_months=_num(raw, "min_months", where),
        max_months=_num(raw, "max_months", where),
        label=Label.from_mapping(raw.get("labels"), where),
        source=str(raw.get("source", "")),
    )
    if not 0 < band.min_months <= band.max_months:
        raise ConfigurationError(where, "statutory band needs 0 < min_months <= max_months")
    return band


def _above(value: object, thresholds: dict[str, float], where: str, key: str = "above") -> float:
    """A number, or ``threshold:<name>`` so that an increment (or a tier's fact) follows the threshold a court sets;
    ``key``: the field it was given in."""
    if isinstance(value, str) and value.startswith("threshold:"):
        name = value.split(":", 1)[1]
        if name not in thresholds:
            what = "increment" if key == "above" else f"'{key}'"
            raise ConfigurationError(where, f"{what} refers to unknown threshold {excerpt(name, 40)}")
        return thresholds[name]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigurationError(where, f"'{key}' must be a number or 'threshold:<name>', found {excerpt(value)}")
    return float(value)


def _tier(raw: dict[str, Any], thresholds: dict[str, float], where: str) -> Tier:
    where = f"{where}: tier {raw.get('id')}"
    band = _band(raw.get("statutory_band") or {}, where + ".statutory_band")
    sp_raw = raw.get("starting_point") or {}
    start = StartingPoint(
        min_months=_num(sp_raw, "min_months", where),
        max_months=_num(sp_raw, "max_months", where),
        months=_num(sp_raw, "months", where),
        source=str(sp_raw.get("source", "")),
        unconfirmed=bool(sp_raw.get("unconfirmed", False)),
    )
    by = sp_raw.get("by")
    if by is not None:
        if not isinstance(by, dict) or not isinstance(by.get("fact"), str) or not isinstance(by.get("months"), dict):
            raise ConfigurationError(where, "starting_point.by must be {'fact': <factor>, 'months': {value: months}}")
        values = tuple((str(k), _num(by["months"], k, where)) for k in by["months"])
        start = dataclasses.replace(start, by_fact=by["fact"], by_value=values)
    if not (band.min_months <= start.min_months <= start.months <= start.max_months <= band.max_months) or any(
        not start.min_months <= months <= start.max_months for _, months in start.by_value
    ):
        raise ConfigurationError(where, "starting point must lie inside its range, and the range inside the band")
    increments = tuple(
        Increment(
            id=str(inc["id"]),
            fact=str(inc["fact"]),
            unit_size=_num(inc, "unit_size", where),
            months=_num(inc, "months", where),
            above=_above(inc.get("above", 0), thresholds, where),
            cap_months=float(inc["cap_months"]) if inc.get("cap_months") is not None else None,
            label=Label.from_mapping(inc.get("labels"), where),
            source=str(inc.get("source", "")),
            below_amount=_above(inc["below_amount"], thresholds, where) if inc.get("below_amount") else None,
            when=_when(inc.get("when"), thresholds, f"{where}: increment {excerpt(inc.get('id'), 40)}"),
        )
        for inc in raw.get("increments") or ()
    )
    if any(inc.unit_size <= 0 or inc.months < 0 for inc in increments):
        raise ConfigurationError(where, "increments need unit_size > 0 and months >= 0")
    return Tier(
        id=str(raw["id"]),
        label=Label.from_mapping(raw.get("labels"), where),
        statutory_band=band,
        starting_point=start,
        increments=increments,
        when=_when(raw.get("when"), thresholds, where),
        when_any=_when(raw.get("when_any"), thresholds, where, "when_any"),
    )


def _when(raw: object, thresholds: dict[str, float], where: str, key: str = "when") -> tuple[Any, ...]:
    """A tier's facts: a list of ``{"fact": …, "at_least": n | "threshold:<name>"}``, ``{"fact": …, "is": true}``,
    ``{"fact": …, "between": [a, b]}`` or ``{"fact": …, "in": [value, …]}`` (a fact of named values), all of which
    must hold (``when``) or one of which must (``when_any``, where ``{"all": [conditions]}`` is one ground of several
    facts together)."""
    if raw is None:
        return ()
    where = f"{where}.{key}"
    if not isinstance(raw, list) or not raw:
        how = "all must hold" if key == "when" else "one suffices"
        what = "make the charge a crime" if key == "convicted_when_any" else "put a case in this tier"
        raise ConfigurationError(where, f"a list of the facts that {what} ({how})")
    out: list[Condition | AllOf] = []
    for item in raw:
        if key.endswith("when_any") and isinstance(item, dict) and set(item) == {"all"}:
            group = item["all"]
            if not isinstance(group, list) or len(group) < 2:
                raise ConfigurationError(where, "'all' lists at least two conditions that together are one ground")
            out.append(AllOf(tuple(_condition(c, thresholds, f"{where}.all") for c in group)))
        else:
            out.append(_condition(item, thresholds, where))
    return tuple(out)


def _condition(item: object, thresholds: dict[str, float], where: str) -> Condition:
    from sentencing.catalogue import FactorType, load_catalogue  # below the catalogue, which checks tables against it

    catalogue = load_catalogue()
    if not isinstance(item, dict) or not isinstance(item.get("fact"), str):
        raise ConfigurationError(where, f"each condition names a 'fact', found {excerpt(item)}")
    fact = excerpt(item["fact"], 40)
    tests = set(item) - {"fact"}
    if len(tests) != 1 or not tests <= {"at_least", "is", "between", "in"}:
        raise ConfigurationError(where, f"{fact}: one of 'at_least', 'is', 'between', 'in'")
    derived = item["fact"] == HEROIN_EQUIVALENT  # a number the engine computes from the drugs' grams
    if not derived and not catalogue.has_factor(item["fact"]):
        raise ConfigurationError(where, f"{fact} is no factor of the catalogue")
    spec = None if derived else catalogue.factor(item["fact"])
    named = spec is not None and spec.type is FactorType.ENUM
    if named != ("in" in item):
        raise ConfigurationError(where, f"{fact}: a fact of named values takes 'in' [values], any other fact "
                                 "'at_least', 'is' or 'between'")  # fmt: skip
    if "in" in item:
        assert spec is not None
        values = item["in"]
        if not isinstance(values, list) or not values or any(v not in spec.values for v in values):
            raise ConfigurationError(where, f"{fact}: 'in' lists values of the fact ({', '.join(spec.values)}), "
                                     f"found {excerpt(values)}")  # fmt: skip
        return Condition(item["fact"], one_of=tuple(values))
    if "at_least" in item:
        return Condition(item["fact"], at_least=_above(item["at_least"], thresholds, where, "at_least"))
    if "is" in item:
        if not isinstance(item["is"], bool):
            raise ConfigurationError(where, f"{fact}: 'is' must be true or false")
        return Condition(item["fact"], is_true=item["is"])
    pair = item["between"]
    if not (
        isinstance(pair, list)
        and len(pair) == 2
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in pair)
        and pair[0] <= pair[1]
    ):
        raise ConfigurationError(where, f"{fact}: 'between' is [low, high]")
    return Condition(item["fact"], between=(float(pair[0]), float(pair[1])))


def _tiers_selectable(
    charge: str, tiers: tuple[Tier, ...], thresholds: dict[str, float], where: str
) -> tuple[Tier, ...]:
    """The first tier needs no facts; every later one names its facts (``when``). A table written before tiers said
    so (schema 1.1 without ``when``) takes the shipped default table's facts for a tier of the same charge and id,
    read against its own thresholds."""
    if tiers[0].when or tiers[0].when_any:
        raise ConfigurationError(f"{where}: tier {tiers[0].id}", "the first tier is where a case falls when no later "
                                 "tier's facts hold: it takes no 'when'")  # fmt: skip
    filled = [tiers[0]]
    for tier in tiers[1:]:
        if not tier.when and not tier.when_any:
            known = _shipped_when().get((charge, tier.id))
            if known is None:
                raise ConfigurationError(
                    f"{where}: tier {tier.id}",
                    "needs 'when': the facts that put a case in this "
                    "tier, e.g. [{'fact': 'amount_yuan', 'at_least': 'threshold:huge'}]",
                )
            tier = dataclasses.replace(tier, when=_when(known, thresholds, f"{where}: tier {tier.id}"))
        filled.append(tier)
    return tuple(filled)


@lru_cache(maxsize=1)
def _shipped_charges() -> dict[str, Any]:
    """The shipped default table's charges, as written (read once)."""
    shipped, _ = read_data_document("data/jurisdictions/default.json", None, "the default jurisdiction table")
    return dict(shipped["charges"])


@lru_cache(maxsize=1)
def _shipped_when() -> dict[tuple[str, str], Any]:
    """The shipped default table's ``when`` of each (charge, tier), as written."""
    return {(charge, tier["id"]): tier.get("when")
            for charge, raw in _shipped_charges().items() for tier in raw.get("tiers", [])}  # fmt: skip


@lru_cache(maxsize=1)
def _shipped_conviction() -> dict[str, tuple[Any, str]]:
    """The shipped default table's grounds of conviction of each charge that states them, with their source."""
    return {charge: (raw["convicted_when_any"], str(raw.get("conviction_source", "")))
            for charge, raw in _shipped_charges().items() if raw.get("convicted_when_any")}  # fmt: skip


def _check_followed_thresholds(charges: list[ChargeTable], source: str) -> None:
    """A charge whose thresholds follow another's (robbery's 数额巨大 is the province's theft threshold, 法发〔2005〕8号
    第6条) holds the same values: a table where they differ is refused, naming both."""
    tables = {t.charge: t for t in charges}
    for table in charges:
        if table.thresholds_follow is None:
            continue
        where = f"{source}: charge {table.charge}.thresholds_follow"
        followed = tables.get(table.thresholds_follow)
        if followed is None:
            raise ConfigurationError(where, f"names {excerpt(table.thresholds_follow, 40)}, which this table lacks")
        theirs = dict(followed.thresholds_yuan)
        for name, value in table.thresholds_yuan:
            if theirs.get(name) != value:
                raise ConfigurationError(where, f"thresholds_yuan.{name} ¥{value:,.0f} must equal "
                                         f"{followed.charge}'s ¥{theirs.get(name, 0):,.0f}")  # fmt: skip


def _check_thresholds(charge: str, thresholds: dict[str, float], where: str) -> None:
    """Yuan thresholds are positive and increasing, and a province chooses them inside the national ranges (the
    catalogue holds them); a table or a regional entry outside them is refused."""
    from sentencing.catalogue import load_catalogue

    values = list(thresholds.values())
    if values != sorted(values) or any(v <= 0 for v in values):
        raise ConfigurationError(where, "thresholds_yuan must be positive and increasing")

    national = load_catalogue().national_thresholds(charge)
    for name, (low, high) in national.items():
        if name not in thresholds:
            raise ConfigurationError(where, f"thresholds_yuan needs {name!r} (national range ¥{low:,.0f}–¥{high:,.0f})")
        if not low <= thresholds[name] <= high:
            raise ConfigurationError(
                where, f"thresholds_yuan.{name} ¥{thresholds[name]:,.0f} is outside the national range "
                f"¥{low:,.0f}–¥{high:,.0f}",
            )  # fmt: skip


def _fine(raw: object, where: str) -> FineRule:
    where = f"{where}.fine"
    if not isinstance(raw, dict) or raw.get("kind") not in ("amount_multiple", "per_month"):
        raise ConfigurationError(where, "a fine is {'kind': 'amount_multiple' | 'per_month', ...}")

    def optional(key: str) -> float | None:
        return _num(raw, key, where) if raw.get(key) is not None else None

    rule = FineRule(
        kind=raw["kind"], min_yuan=_num(raw, "min_yuan", where), max_multiple=optional("max_multiple"),
        no_amount_max_yuan=optional("no_amount_max_yuan"), per_month_min_yuan=optional("per_month_min_yuan"),
        per_month_max_yuan=optional("per_month_max_yuan"), default=_num(raw, "default", where),
        source=str(raw.get("source", "")),
    )  # fmt: skip
    if rule.kind == "amount_multiple" and not (rule.max_multiple and 0 < rule.default <= rule.max_multiple):
        raise ConfigurationError(where, "an amount multiple needs 0 < default <= max_multiple")
    if rule.kind == "per_month" and not (
        rule.per_month_min_yuan is not None and rule.per_month_max_yuan is not None
        and 0 <= rule.per_month_min_yuan <= rule.default <= rule.per_month_max_yuan
    ):  # fmt: skip
        raise ConfigurationError(where, "yuan per month need per_month_min_yuan <= default <= per_month_max_yuan")
    return rule


def _non_custodial(raw: object, where: str) -> NonCustodialRule:
    where = f"{where}.non_custodial"
    if not isinstance(raw, dict):
        raise ConfigurationError(where, "must be an object")

    def ids(key: str) -> tuple[str, ...]:
        value = raw.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigurationError(where, f"{key} must be a list of circumstance ids")
        return tuple(value)

    below = raw.get("below_fact") or {}
    if not isinstance(below, dict):
        raise ConfigurationError(where, "below_fact must be {fact: value}")
    return NonCustodialRule(ids("admission"), ids("repair"), ids("lenient"), ids("excluded"),
                            _num(raw, "at_most_months", where), str(raw.get("source", "")),
                            tuple((str(k), _num(below, k, where)) for k in below), ids("excluded_facts"))  # fmt: skip


def _circumstance(raw: dict[str, Any], where: str) -> CircumstanceRule:
    where = f"{where}: circumstance {raw.get('id')}"
    try:
        stage = Stage(raw["stage"])
        mitigation = Mitigation(raw.get("below_minimum", "none"))
        exemption = Exemption(raw.get("exemption", "none"))
    except (KeyError, ValueError) as exc:
        raise ConfigurationError(where, f"bad stage, below_minimum or exemption ({exc})") from exc
    lighter = raw.get("lighter_crime") or {}
    rule = CircumstanceRule(
        id=str(raw["id"]),
        ratio_min=_num(raw, "ratio_min", where),
        ratio_max=_num(raw, "ratio_max", where),
        ratio_default=_num(raw, "ratio_default", where),
        stage=stage,
        below_minimum=mitigation,
        min_months=float(raw["min_months"]) if raw.get("min_months") is not None else None,
        label=Label.from_mapping(raw.get("labels"), where),
        source=str(raw.get("source", "")),
        exemption=exemption,
        lighter_ratio_min=_num(lighter, "ratio_min", where) if lighter else None,
        lighter_source=str(lighter.get("source", "")),
        absorbs=tuple(str(a) for a in raw.get("absorbs") or ()),
    )
    if not -1.0 < rule.ratio_min <= rule.ratio_default <= rule.ratio_max <= 1.0:
        raise ConfigurationError(where, "ratios need -1 < ratio_min <= ratio_default <= ratio_max <= 1")
    if rule.lighter_ratio_min is not None and not -1.0 <= rule.lighter_ratio_min <= rule.ratio_min:
        raise ConfigurationError(where, "lighter_crime.ratio_min must lie in [-1, ratio_min]")
    if rule.ratio_min < 0 < rule.ratio_max:
        raise ConfigurationError(where, "a circumstance either reduces or increases, not both")
    return rule


def parse_jurisdiction(document: dict[str, Any], source: str) -> Jurisdiction:
    """Check a jurisdiction document and build the typed tables."""
    if document.get("schema_version") != JURISDICTION_SCHEMA_VERSION:
        raise ConfigurationError(
            source, f"schema_version must be {JURISDICTION_SCHEMA_VERSION!r}, found {document.get('schema_version')!r}"
        )
    p = document.get("policy") or {}
    policy = Policy(
        judicial_adjustment_ratio=_num(p, "judicial_adjustment_ratio", source),
        judicial_adjustment_source=str(p.get("judicial_adjustment_source", "")),
        allow_discretionary_mitigation_below_minimum=bool(p.get("allow_discretionary_mitigation_below_minimum")),
        below_minimum_source=str(p.get("below_minimum_source", "")),
        fixed_term_cap_months=_num(p, "fixed_term_cap_months", source),
        fixed_term_cap_source=str(p.get("fixed_term_cap_source", "")),
        detention_min_months=_num(p, "detention_min_months", source),
        detention_source=str(p.get("detention_source", "")),
        plea_agreement_combined_cap=_num(p, "plea_agreement_combined_cap", source),
        plea_agreement_cap_with=tuple(p.get("plea_agreement_cap_with") or ()),
        plea_agreement_absorbs=tuple(p.get("plea_agreement_absorbs") or ()),
        plea_agreement_source=str(p.get("plea_agreement_source", "")),
        lighter_crime_max_months=_num(p, "lighter_crime_max_months", source),
        lighter_crime_source=str(p.get("lighter_crime_source", "")),
        plea_agreement_lighter_crime_cap=_num(p, "plea_agreement_lighter_crime_cap", source),
        exemption_source=str(p.get("exemption_source", "")),
        probation_max_months=_num(p, "probation_max_months", source),
        probation_excluded=tuple(p.get("probation_excluded") or ()),
        probation_mandatory=tuple(p.get("probation_mandatory") or ()),
        probation_source=str(p.get("probation_source", "")),
        plea_stages=_plea_stages(p.get("plea_stages"), source),
        plea_stages_source=str(p.get("plea_stages_source", "")),
        plea_stages_status=str(p.get("plea_stages_status", "")),
    )
    if not -1.0 <= policy.plea_agreement_lighter_crime_cap <= policy.plea_agreement_combined_cap < 0:
        raise ConfigurationError(source, "plea-agreement caps need -1 <= lighter-crime cap <= combined cap < 0")
    if not 0 <= policy.judicial_adjustment_ratio < 1:
        raise ConfigurationError(source, "judicial_adjustment_ratio must be in [0, 1)")
    charges = []
    for charge_id, raw in (document.get("charges") or {}).items():
        where = f"{source}: charge {charge_id}"
        thresholds = tuple((k, float(v)) for k, v in (raw.get("thresholds_yuan") or {}).items())
        tiers = tuple(_tier(t, dict(thresholds), where) for t in raw.get("tiers") or ())
        if not tiers:
            raise ConfigurationError(where, "a charge needs at least one tier")
        tiers = _tiers_selectable(charge_id, tiers, dict(thresholds), where)
        _check_thresholds(charge_id, dict(thresholds), where)
        if "convicted_when_any" in raw:
            convicted, conviction_source = raw["convicted_when_any"], str(raw.get("conviction_source") or "")
            if not conviction_source:
                raise ConfigurationError(where, "convicted_when_any needs its conviction_source (the law that says so)")
        else:  # a table written before grounds were data takes the law's grounds as the shipped table states them
            convicted, conviction_source = _shipped_conviction().get(charge_id, (None, ""))
        limit = raw.get("legal_limit_mg_per_100ml")
        acts_from = raw.get("acts_circumstance_from")
        charges.append(
            ChargeTable(
                charge=charge_id,
                tiers=tiers,
                thresholds_yuan=thresholds,
                threshold_source=str(raw.get("threshold_source", "")),
                qualifying_without_amount=tuple(raw.get("qualifying_without_amount") or ()),
                legal_limit_mg_per_100ml=float(limit) if limit is not None else None,
                fine=_fine(raw.get("fine"), where) if raw.get("fine") is not None else None,
                non_custodial=_non_custodial(raw["non_custodial"], where) if raw.get("non_custodial") else None,
                acts_circumstance_from=float(acts_from) if acts_from is not None else None,
                thresholds_follow=str(raw["thresholds_follow"]) if raw.get("thresholds_follow") else None,
                convicted_when_any=_when(convicted, dict(thresholds), where, "convicted_when_any"),
                conviction_source=conviction_source,
            )
        )
    _check_followed_thresholds(charges, source)
    circumstances = tuple(_circumstance(c, source) for c in document.get("circumstances") or ())
    ids = [c.id for c in circumstances]
    if len(ids) != len(set(ids)):
        raise ConfigurationError(source, "circumstance ids must be unique")
    named = set(policy.plea_agreement_cap_with + policy.plea_agreement_absorbs + policy.probation_excluded
                + policy.probation_mandatory)  # fmt: skip
    for rule in circumstances:
        named |= set(rule.absorbs)
    for table in charges:
        if table.non_custodial is not None:
            rule_ids = table.non_custodial
            named |= set(rule_ids.admission + rule_ids.repair + rule_ids.lenient + rule_ids.excluded)
    unknown = named - set(ids)
    if unknown:
        raise ConfigurationError(source, f"the policy names unknown circumstances {sorted(unknown)}")
    if policy.plea_stages:
        plea = next((c for c in circumstances if c.id == "plea_agreement"), None)
        if plea is None:
            raise ConfigurationError(source, "plea_stages grade a plea_agreement circumstance the table lacks")
        for graded in policy.plea_stages:
            if not plea.ratio_min <= graded.ratio_min <= graded.ratio_default <= 0:
                raise ConfigurationError(source, f"plea_stages.{graded.stage.value}: needs the plea's lenient end "
                                         f"({plea.ratio_min:g}) <= ratio_min <= ratio_default <= 0")  # fmt: skip
        ends = [graded.ratio_min for graded in policy.plea_stages]
        if ends != sorted(ends):
            raise ConfigurationError(source, "plea_stages: an earlier plea reduces at least as much as a later one "
                                     "(早认罪优于晚认罪, 两高三部 2019 指导意见第9条)")  # fmt: skip
    provenance = document.get("provenance") or {}
    fitted_on = provenance.get("judgment_ids") if isinstance(provenance, dict) else None
    if fitted_on is not None and (not isinstance(fitted_on, list) or not all(isinstance(i, str) for i in fitted_on)):
        raise ConfigurationError(source, "provenance.judgment_ids must be a list of judgment ids")
    return Jurisdiction(
        id=str(document.get("id")),
        label=Label.from_mapping(document.get("labels"), source),
        policy=policy,
        charges=tuple(charges),
        circumstances=circumstances,
        source=source,
        calibration_ids=frozenset(fitted_on or ()),
    )


REGION_SEPARATOR = ":"
REGIONAL_SCHEMA_VERSION = "1.0"


@dataclass(frozen=True)
class RegionalThresholds:
    """One province's (or area's) yuan thresholds for one charge, with the notice that set them."""

    region: str
    label: Label
    charge: str
    thresholds_yuan: tuple[tuple[str, float], ...]
    document: str
    source: str
    confirmed: bool

    def source_line(self) -> str:
        state = "" if self.confirmed else "; unconfirmed: found only in a secondary copy"
        return f"{self.document} ({self.source}{state})"


@lru_cache(maxsize=1)
def regional_thresholds() -> tuple[RegionalThresholds, ...]:
    """Every province's thresholds shipped as data, each checked against the national range."""
    document, source = read_data_document("data/regional_thresholds.json", None, "the regional thresholds")
    if document.get("schema_version") != REGIONAL_SCHEMA_VERSION:
        raise ConfigurationError(source, f"schema_version must be {REGIONAL_SCHEMA_VERSION!r}")
    found: list[RegionalThresholds] = []
    for raw in document.get("regions") or ():
        region = str(raw.get("id", ""))
        where = f"{source}: region {region}"
        if not region or not region.replace("-", "").isalnum() or not region.isascii():
            raise ConfigurationError(where, "a region id is lower-case letters, digits and '-'")
        label = Label.from_mapping(raw.get("labels"), where)
        for charge, entry in (raw.get("charges") or {}).items():
            values = {str(k): _num(entry["thresholds_yuan"], str(k), where) for k in entry.get("thresholds_yuan") or {}}
            _check_thresholds(charge, values, f"{where}: {charge}")
            found.append(
                RegionalThresholds(
                    region=region,
                    label=label,
                    charge=str(charge),
                    thresholds_yuan=tuple(values.items()),
                    document=str(entry.get("document", "")),
                    source=str(entry.get("source", "")),
                    confirmed=entry.get("confirmed") is True,
                )
            )
    return tuple(found)


def _shipped_tables() -> tuple[str, ...]:
    folder = resources.files("sentencing").joinpath("data/jurisdictions")
    return tuple(sorted(p.name[: -len(".json")] for p in folder.iterdir() if p.name.endswith(".json")))


def available_jurisdictions() -> tuple[str, ...]:
    """Ids of the jurisdiction tables shipped with the toolkit, and of each with a province's thresholds."""
    regions = sorted({r.region for r in regional_thresholds()})
    tables = _shipped_tables()
    return tables + tuple(f"{t}{REGION_SEPARATOR}{r}" for t in tables for r in regions)


def _with_region(document: dict[str, Any], table: str, region: str) -> dict[str, Any]:
    """The table's document with a province's thresholds in place of its own, for the charges the province set."""
    entries = [r for r in regional_thresholds() if r.region == region]
    document = dict(document)
    charges = dict(document.get("charges") or {})
    for entry in entries:
        if entry.charge not in charges:
            where = f"jurisdiction {table}{REGION_SEPARATOR}{region}"
            raise ConfigurationError(where, f"the table has no {entry.charge}")
        charges[entry.charge] = {
            **charges[entry.charge],
            "thresholds_yuan": dict(entry.thresholds_yuan),
            "threshold_source": entry.source_line(),
        }
    for raw in list(charges.values()):  # a charge that follows another's thresholds takes the province's too
        followed = charges.get(str(raw.get("thresholds_follow")))
        if followed is not None and followed.get("thresholds_yuan") is not None:
            own = raw.get("thresholds_yuan") or {}
            names = [n for n in own if n in followed["thresholds_yuan"]]
            if names:
                charge_id = next(k for k, v in charges.items() if v is raw)
                charges[charge_id] = {
                    **raw,
                    "thresholds_yuan": {**own, **{n: followed["thresholds_yuan"][n] for n in names}},
                    "threshold_source": f"{followed.get('threshold_source', '')}; {raw.get('threshold_source', '')}",
                }
    document["charges"] = charges
    document["id"] = f"{table}{REGION_SEPARATOR}{region}"
    base = Label.from_mapping(document.get("labels"), f"jurisdiction {table}")
    area = entries[0].label
    document["labels"] = {"zh-CN": f"{base.zh} · {area.zh}", "en": f"{base.en} · {area.en}"}
    return document


@lru_cache(maxsize=16)
def load_jurisdiction(jurisdiction: str = "default", path: str | None = None) -> Jurisdiction:
    """Load a shipped table by id (``TABLE`` or ``TABLE:REGION``), or a court's own table from ``path``."""
    if path is None and jurisdiction not in available_jurisdictions():
        raise ConfigurationError(
            f"jurisdiction {jurisdiction!r}", f"no such table; shipped: {', '.join(available_jurisdictions())}"
        )
    table, _, region = jurisdiction.partition(REGION_SEPARATOR) if path is None else (jurisdiction, "", "")
    document, source = read_data_document(f"data/jurisdictions/{table}.json", path, "the jurisdiction table")
    if region:
        document = _with_region(document, table, region)
        source = f"{source} with data/regional_thresholds.json: {region}"
    return parse_jurisdiction(document, source)
