"""Per-jurisdiction sentencing tables: thresholds, statutory bands, starting points, increments, ratios.

The 2021 national text sets starting-point ranges and circumstance ratios; provinces set the
yuan thresholds inside national ranges and the months per unit of amount. Those choices live in
``data/jurisdictions/<id>.json``; one default jurisdiction ships, and a court supplies its own
table by path. Every table is checked on load.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from importlib import resources
from typing import Any

from sentencing.errors import ConfigurationError
from sentencing.files import read_data_document
from sentencing.i18n import Label

__all__ = [
    "Band",
    "ChargeTable",
    "CircumstanceRule",
    "Increment",
    "Jurisdiction",
    "Mitigation",
    "Policy",
    "Stage",
    "StartingPoint",
    "Tier",
    "available_jurisdictions",
    "load_jurisdiction",
]

JURISDICTION_SCHEMA_VERSION = "1.0"


class Stage(StrEnum):
    """When a circumstance applies: first-tier ones adjust the base sentence before all others."""

    FIRST = "first"
    SECOND = "second"


class Mitigation(StrEnum):
    """Whether a circumstance lets the sentence fall below the statutory minimum (Criminal Law art. 63)."""

    MANDATORY = "mandatory"
    DISCRETIONARY = "discretionary"
    NONE = "none"


@dataclass(frozen=True)
class Band:
    min_months: float
    max_months: float
    label: Label
    source: str


@dataclass(frozen=True)
class StartingPoint:
    min_months: float
    max_months: float
    months: float
    source: str
    unconfirmed: bool


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


@dataclass(frozen=True)
class Tier:
    id: str
    label: Label
    statutory_band: Band
    starting_point: StartingPoint
    increments: tuple[Increment, ...]


@dataclass(frozen=True)
class ChargeTable:
    charge: str
    tiers: tuple[Tier, ...]
    thresholds_yuan: tuple[tuple[str, float], ...]
    threshold_source: str
    qualifying_without_amount: tuple[str, ...]
    legal_limit_mg_per_100ml: float | None

    def tier(self, tier_id: str) -> Tier:
        for tier in self.tiers:
            if tier.id == tier_id:
                return tier
        raise KeyError(tier_id)

    def threshold(self, name: str) -> float:
        return dict(self.thresholds_yuan)[name]


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


@dataclass(frozen=True)
class Jurisdiction:
    id: str
    label: Label
    policy: Policy
    charges: tuple[ChargeTable, ...]
    circumstances: tuple[CircumstanceRule, ...]
    source: str

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


def _above(value: object, thresholds: dict[str, float], where: str) -> float:
    """A number, or ``threshold:<name>`` so that an increment follows the threshold a court sets."""
    if isinstance(value, str) and value.startswith("threshold:"):
        name = value.split(":", 1)[1]
        if name not in thresholds:
            raise ConfigurationError(where, f"increment refers to unknown threshold {name!r}")
        return thresholds[name]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigurationError(where, f"'above' must be a number or 'threshold:<name>', found {value!r}")
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
    if not (band.min_months <= start.min_months <= start.months <= start.max_months <= band.max_months):
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
    )


def _circumstance(raw: dict[str, Any], where: str) -> CircumstanceRule:
    where = f"{where}: circumstance {raw.get('id')}"
    try:
        stage = Stage(raw["stage"])
        mitigation = Mitigation(raw.get("below_minimum", "none"))
    except (KeyError, ValueError) as exc:
        raise ConfigurationError(where, f"bad stage or below_minimum ({exc})") from exc
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
    )
    if not -1.0 < rule.ratio_min <= rule.ratio_default <= rule.ratio_max <= 1.0:
        raise ConfigurationError(where, "ratios need -1 < ratio_min <= ratio_default <= ratio_max <= 1")
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
    )
    if not 0 <= policy.judicial_adjustment_ratio < 1:
        raise ConfigurationError(source, "judicial_adjustment_ratio must be in [0, 1)")
    charges = []
    for charge_id, raw in (document.get("charges") or {}).items():
        where = f"{source}: charge {charge_id}"
        thresholds = tuple((k, float(v)) for k, v in (raw.get("thresholds_yuan") or {}).items())
        tiers = tuple(_tier(t, dict(thresholds), where) for t in raw.get("tiers") or ())
        if not tiers:
            raise ConfigurationError(where, "a charge needs at least one tier")
        values = [v for _, v in thresholds]
        if values != sorted(values) or any(v <= 0 for v in values):
            raise ConfigurationError(where, "thresholds_yuan must be positive and increasing")
        limit = raw.get("legal_limit_mg_per_100ml")
        charges.append(
            ChargeTable(
                charge=charge_id,
                tiers=tiers,
                thresholds_yuan=thresholds,
                threshold_source=str(raw.get("threshold_source", "")),
                qualifying_without_amount=tuple(raw.get("qualifying_without_amount") or ()),
                legal_limit_mg_per_100ml=float(limit) if limit is not None else None,
            )
        )
    circumstances = tuple(_circumstance(c, source) for c in document.get("circumstances") or ())
    ids = [c.id for c in circumstances]
    if len(ids) != len(set(ids)):
        raise ConfigurationError(source, "circumstance ids must be unique")
    unknown = set(policy.plea_agreement_cap_with + policy.plea_agreement_absorbs) - set(ids)
    if unknown:
        raise ConfigurationError(source, f"plea-agreement policy names unknown circumstances {sorted(unknown)}")
    return Jurisdiction(
        id=str(document.get("id")),
        label=Label.from_mapping(document.get("labels"), source),
        policy=policy,
        charges=tuple(charges),
        circumstances=circumstances,
        source=source,
    )


def available_jurisdictions() -> tuple[str, ...]:
    """Ids of the jurisdiction tables shipped with the toolkit."""
    folder = resources.files("sentencing").joinpath("data/jurisdictions")
    return tuple(sorted(p.name[: -len(".json")] for p in folder.iterdir() if p.name.endswith(".json")))


@lru_cache(maxsize=16)
def load_jurisdiction(jurisdiction: str = "default", path: str | None = None) -> Jurisdiction:
    """Load a shipped table by id, or a court's own table from ``path``."""
    if path is None and jurisdiction not in available_jurisdictions():
        raise ConfigurationError(
            f"jurisdiction {jurisdiction!r}", f"no such table; shipped: {', '.join(available_jurisdictions())}"
        )
    document, source = read_data_document(f"data/jurisdictions/{jurisdiction}.json", path, "the jurisdiction table")
    return parse_jurisdiction(document, source)
