"""The factor catalogue: every fact the law and the model read, kept as data (``data/factors.json``).

A court may supply its own catalogue (for instance to move a factor between the liability and
prevention roles); it is checked on load so that a typo cannot silently change the law.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property, lru_cache
from typing import Any

from sentencing.errors import ConfigurationError
from sentencing.files import read_data_document
from sentencing.i18n import Label, Language

__all__ = [
    "Catalogue",
    "Charge",
    "FactorGroup",
    "FactorSpec",
    "FactorType",
    "LegalRole",
    "load_catalogue",
]

CATALOGUE_SCHEMA_VERSION = "1.0"


class FactorType(StrEnum):
    BOOLEAN = "boolean"
    INTEGER = "integer"
    NUMBER = "number"
    ENUM = "enum"


class LegalRole(StrEnum):
    """SENTENCING_RULES.md §5: what a factor may lawfully act on."""

    LIABILITY = "liability"
    PREVENTION = "prevention"
    LEGALLY_IRRELEVANT = "legally_irrelevant"


class FactorGroup(StrEnum):
    OFFENCE = "offence"
    CIRCUMSTANCE = "circumstance"
    DEFENDANT = "defendant"


@dataclass(frozen=True)
class Charge:
    id: str
    label: Label
    article: str
    # the national ranges a province chooses its yuan thresholds in: name -> (lowest, highest), with the source
    national_thresholds_yuan: tuple[tuple[str, float, float], ...] = ()
    national_thresholds_source: str = ""
    # 刑法第17条第2款: a person of 14 or 15 answers for this crime itself (robbery, rape, drug selling …), not only
    # where it caused serious injury or death
    answerable_from_14: bool = False
    answerable_from_14_source: str = ""


FactorValue = bool | int | float | str


@dataclass(frozen=True)
class FactorSpec:
    """One factor: its type, unit, legal role, whether a party may dispute it, and valid values."""

    id: str
    type: FactorType
    group: FactorGroup
    legal_role: LegalRole
    disputable: bool
    label: Label
    unit: str | None
    charges: tuple[str, ...]
    default: FactorValue | None
    required: bool  # required for every charge it applies to
    legal_basis: str
    minimum: float | None = None
    maximum: float | None = None
    range_basis: str | None = None
    values: tuple[str, ...] = ()
    value_labels: tuple[tuple[str, Label], ...] = ()
    unit_label: Label | None = None
    required_charges: tuple[str, ...] = ()  # or: required only for these charges (an amount: theft and fraud)

    def applies_to(self, charge: str) -> bool:
        return charge in self.charges

    def is_required(self, charge: str) -> bool:
        """Whether a case of ``charge`` must state this fact (no default stands in for it)."""
        return self.required or charge in self.required_charges

    def value_in_both(self, value: FactorValue) -> Label:
        """The value's text in both court languages."""
        return Label(self.value_label(value, "zh-CN"), self.value_label(value, "en"))

    def value_label(self, value: FactorValue, language: Language) -> str:
        """The court-language text for a value of this factor (with its unit)."""
        if self.type is FactorType.ENUM:
            for key, label in self.value_labels:
                if key == value:
                    return label.text(language)
            return str(value)
        if self.type is FactorType.BOOLEAN:
            if language == "zh-CN":
                return "是" if value else "否"
            return "yes" if value else "no"
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = f"{value:,}" if isinstance(value, int | float) else str(value)
        if self.unit_label is None:
            return text
        unit = self.unit_label.text(language)
        if language == "en" and value == 1 and unit.endswith("s") and unit.isalpha():
            unit = unit[:-1]  # "1 act", "1 year", never "1 acts"
        return f"{text}{unit}" if language == "zh-CN" and unit not in ("mg/100ml",) else f"{text} {unit}"


@dataclass(frozen=True)
class Catalogue:
    """All factors and charges, in the order of the data file."""

    factors: tuple[FactorSpec, ...]
    charges: tuple[Charge, ...]
    legal_role_labels: tuple[tuple[LegalRole, Label], ...]
    source: str

    @cached_property
    def _by_id(self) -> dict[str, FactorSpec]:
        return {spec.id: spec for spec in self.factors}

    def factor(self, factor_id: str) -> FactorSpec:
        return self._by_id[factor_id]  # KeyError for an unknown id, as callers expect

    def has_factor(self, factor_id: str) -> bool:
        return factor_id in self._by_id

    def charge(self, charge_id: str) -> Charge:
        for charge in self.charges:
            if charge.id == charge_id:
                return charge
        raise KeyError(charge_id)

    @property
    def factor_ids(self) -> tuple[str, ...]:
        return tuple(spec.id for spec in self.factors)

    def national_thresholds(self, charge_id: str) -> dict[str, tuple[float, float]]:
        """The national ranges of the charge's yuan thresholds (empty for a charge without amounts)."""
        return {name: (low, high) for name, low, high in self.charge(charge_id).national_thresholds_yuan}

    @property
    def charge_ids(self) -> tuple[str, ...]:
        return tuple(charge.id for charge in self.charges)

    def factors_for(self, charge: str) -> tuple[FactorSpec, ...]:
        return tuple(spec for spec in self.factors if spec.applies_to(charge))

    def with_role(self, role: LegalRole) -> tuple[FactorSpec, ...]:
        return tuple(spec for spec in self.factors if spec.legal_role is role)

    def role_label(self, role: LegalRole) -> Label:
        return dict(self.legal_role_labels)[role]


def _require(condition: bool, source: str, detail: str) -> None:
    if not condition:
        raise ConfigurationError(source, detail)


def _parse_factor(raw: dict[str, Any], charges: tuple[str, ...], units: dict[str, Label], source: str) -> FactorSpec:
    fid = raw.get("id")
    if not isinstance(fid, str) or not fid.isidentifier():
        raise ConfigurationError(source, f"factor id {fid!r} is not an identifier")
    where = f"{source}: factor {fid}"
    try:
        ftype = FactorType(raw["type"])
        group = FactorGroup(raw["group"])
        role = LegalRole(raw["legal_role"])
    except (KeyError, ValueError) as exc:
        raise ConfigurationError(where, f"bad type, group or legal_role ({exc})") from exc
    factor_charges = tuple(raw.get("charges") or ())
    unknown = [c for c in factor_charges if c not in charges]
    _require(bool(factor_charges) and not unknown, where, f"unknown or empty charges {unknown}")
    _require(isinstance(raw.get("disputable"), bool), where, "'disputable' must be true or false")
    minimum = maximum = None
    values: tuple[str, ...] = ()
    value_labels: tuple[tuple[str, Label], ...] = ()
    if ftype in (FactorType.INTEGER, FactorType.NUMBER):
        bounds = raw.get("range") or {}
        minimum, maximum = bounds.get("min"), bounds.get("max")
        _require(
            isinstance(minimum, int | float) and isinstance(maximum, int | float) and minimum <= maximum,
            where,
            "a numeric factor needs a range with min <= max",
        )
    if ftype is FactorType.ENUM:
        values = tuple(raw.get("values") or ())
        _require(len(values) >= 2 and len(set(values)) == len(values), where, "an enum needs 2+ distinct values")
        labels = raw.get("value_labels") or {}
        _require(set(labels) == set(values), where, "every enum value needs a zh-CN/en label")
        value_labels = tuple((v, Label.from_mapping(labels[v], f"{where}.{v}")) for v in values)
    default = raw.get("default")
    raw_required = raw.get("required")
    required_charges: tuple[str, ...] = ()
    if isinstance(raw_required, list):  # required for some of its charges only
        required_charges = tuple(str(c) for c in raw_required)
        strangers = sorted(set(required_charges) - set(factor_charges))
        _require(bool(required_charges) and not strangers, where,
                 f"'required' lists charges the factor does not apply to: {strangers}")  # fmt: skip
        required = False
    else:
        _require(raw_required is None or isinstance(raw_required, bool), where,
                 "'required' must be true, false or a list of the charges it is required for")  # fmt: skip
        required = bool(raw_required)
    _require(required or default is not None, where,
             "a factor not required for every charge needs a default")  # fmt: skip
    if default is not None and ftype is FactorType.ENUM:
        _require(default in values, where, f"default {default!r} is not one of {values}")
    unit = raw.get("unit")
    _require(unit is None or unit in units, where, f"unit {unit!r} has no zh-CN/en label under 'units'")
    basis = raw.get("legal_basis")
    if not isinstance(basis, str) or not basis:
        raise ConfigurationError(where, "every factor needs a legal_basis")
    return FactorSpec(
        id=fid,
        type=ftype,
        group=group,
        legal_role=role,
        disputable=raw["disputable"],
        label=Label.from_mapping(raw.get("labels"), where),
        unit=unit,
        unit_label=units[unit] if unit is not None else None,
        charges=factor_charges,
        default=default,
        required=required,
        required_charges=required_charges,
        legal_basis=basis,
        minimum=minimum,
        maximum=maximum,
        range_basis=raw.get("range_basis"),
        values=values,
        value_labels=value_labels,
    )


def parse_catalogue(document: dict[str, Any], source: str) -> Catalogue:
    """Check a catalogue document and build the typed catalogue."""
    _require(
        document.get("schema_version") == CATALOGUE_SCHEMA_VERSION,
        source,
        f"schema_version must be {CATALOGUE_SCHEMA_VERSION!r}, found {document.get('schema_version')!r}",
    )
    raw_charges = document.get("charges") or {}
    charges = tuple(
        Charge(
            id=cid,
            label=Label.from_mapping(c.get("labels"), f"{source}: charge {cid}"),
            article=c["article"],
            national_thresholds_yuan=tuple(
                (str(name), float(bounds[0]), float(bounds[1]))
                for name, bounds in (c.get("national_thresholds_yuan") or {}).items()
            ),
            national_thresholds_source=str(c.get("national_thresholds_source", "")),
            answerable_from_14=c.get("answerable_from_14") is True,
            answerable_from_14_source=str(c.get("answerable_from_14_source", "")),
        )
        for cid, c in raw_charges.items()
    )
    charge_ids = tuple(c.id for c in charges)
    units = {k: Label.from_mapping(v, f"{source}: unit {k}") for k, v in (document.get("units") or {}).items()}
    factors = tuple(_parse_factor(raw, charge_ids, units, source) for raw in document.get("factors") or ())
    ids = [f.id for f in factors]
    _require(len(ids) == len(set(ids)), source, "factor ids must be unique")
    roles = document.get("legal_roles") or {}
    role_labels = tuple((role, Label.from_mapping(roles.get(role.value), f"{source}: role")) for role in LegalRole)
    return Catalogue(factors=factors, charges=charges, legal_role_labels=role_labels, source=source)


@lru_cache(maxsize=8)
def load_catalogue(path: str | None = None) -> Catalogue:
    """Load the shipped catalogue, or a court's own from ``path``."""
    return parse_catalogue(*read_data_document("data/factors.json", path, "the catalogue"))
