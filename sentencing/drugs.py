"""Drug quantities: each kind's 数量大 and 数量较大, and the conversion of several kinds to heroin.

Drug crimes (刑法第347条、第348条) are banded by quantity. The statute names heroin, methamphetamine and opium;
法释〔2016〕8号 names the others. Where a case holds two or more kinds, each is converted to heroin by the ratio of its
thresholds to heroin's and the grams are added (法〔2015〕129号); the sum, :data:`HEROIN_EQUIVALENT`, is what a
jurisdiction table's drug tiers and increments read (``"fact": "heroin_equivalent_g"``). The kinds and thresholds are
data (``sentencing/data/drugs.json``); this module reads, checks and applies them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from sentencing.errors import ConfigurationError
from sentencing.files import read_data_document
from sentencing.i18n import Label

__all__ = ["HEROIN_EQUIVALENT", "DrugKind", "DrugShare", "DrugTable", "conversion_note", "drug_kinds",
           "heroin_equivalent", "heroin_ratios", "heroin_shares", "kind_of_factor", "parse_drug_table"]  # fmt: skip

#: the derived fact a jurisdiction table reads: the grams of heroin all the case's drugs amount to
HEROIN_EQUIVALENT = "heroin_equivalent_g"


@dataclass(frozen=True)
class DrugKind:
    """One kind of drug: the catalogue fact holding its grams and the grams the law calls 数量大 and 数量较大."""

    id: str
    factor: str
    large_g: float
    relatively_large_g: float
    source: str


@dataclass(frozen=True)
class DrugShare:
    """One kind's grams in a case and the grams of heroin they count as."""

    kind: DrugKind
    grams: float
    ratio: float  # grams of heroin per gram of this kind
    heroin_g: float


@dataclass(frozen=True)
class DrugTable:
    """The kinds of drug, the one the others are converted to (heroin), and the rule of conversion's source."""

    kinds: tuple[DrugKind, ...]
    reference: DrugKind
    conversion_source: str


def _positive(raw: dict[str, object], key: str, where: str) -> float:
    value = raw.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float) or not value > 0:
        raise ConfigurationError(where, f"'{key}' must be a positive number of grams")
    return float(value)


@lru_cache(maxsize=1)
def _table() -> DrugTable:
    document, source = read_data_document("data/drugs.json", None, "the drug table")
    return parse_drug_table(document, source)


def parse_drug_table(document: Mapping[str, object], source: str) -> DrugTable:
    """The drug table from its JSON form, checked: each kind a number fact of the catalogue, 数量较大 below 数量大, the
    reference kind (heroin) among them, and each kind's two thresholds in one proportion to heroin's."""
    from sentencing.catalogue import FactorType, load_catalogue

    raw_kinds = document.get("kinds")
    if not isinstance(raw_kinds, list) or not raw_kinds:
        raise ConfigurationError(source, "'kinds' must list the kinds of drug")
    catalogue = load_catalogue()
    kinds: list[DrugKind] = []
    for i, raw in enumerate(raw_kinds):
        where = f"{source}: kinds[{i}]"
        if not isinstance(raw, dict) or not isinstance(raw.get("id"), str) or not isinstance(raw.get("factor"), str):
            raise ConfigurationError(where, "each kind is {'id', 'factor', 'large_g', 'relatively_large_g', 'source'}")
        factor = raw["factor"]
        spec = catalogue.factor(factor) if catalogue.has_factor(factor) else None
        if spec is None or spec.type is not FactorType.NUMBER or spec.unit != "g":
            raise ConfigurationError(where, f"'factor' must be a number fact of the catalogue in grams, found "
                                     f"{factor[:40]}")  # fmt: skip
        kind = DrugKind(raw["id"], factor, _positive(raw, "large_g", where),
                        _positive(raw, "relatively_large_g", where), str(raw.get("source", "")))  # fmt: skip
        if not kind.relatively_large_g < kind.large_g:
            raise ConfigurationError(where, "'relatively_large_g' (数量较大) must be below 'large_g' (数量大)")
        kinds.append(kind)
    if len({k.id for k in kinds}) != len(kinds) or len({k.factor for k in kinds}) != len(kinds):
        raise ConfigurationError(source, "each kind and each fact is listed once")
    reference = next((k for k in kinds if k.id == document.get("reference_kind")), None)
    if reference is None:
        raise ConfigurationError(source, "'reference_kind' must name one of the kinds (heroin)")
    for kind in kinds:  # one ratio per kind: its two thresholds stand to heroin's in the same proportion
        by_large = reference.large_g / kind.large_g
        by_relatively_large = reference.relatively_large_g / kind.relatively_large_g
        if abs(by_large - by_relatively_large) > 1e-9 * by_large:
            raise ConfigurationError(f"{source}: kind {kind.id}", "its 数量大 and 数量较大 stand to heroin's in "
                                     "different proportions: the conversion would depend on the band")  # fmt: skip
    return DrugTable(tuple(kinds), reference, str(document.get("conversion_source", "")))


def drug_kinds() -> tuple[DrugKind, ...]:
    return _table().kinds


def kind_of_factor(factor: str) -> DrugKind | None:
    """The kind of drug whose grams a catalogue fact holds, if it is one."""
    return next((k for k in _table().kinds if k.factor == factor), None)


def heroin_ratios() -> tuple[tuple[DrugKind, float], ...]:
    """Each kind, in the table's order, with the grams of heroin one gram of it counts as."""
    table = _table()
    return tuple((kind, table.reference.large_g / kind.large_g) for kind in table.kinds)


def heroin_shares(value: Callable[[str], object]) -> tuple[DrugShare, ...]:
    """Each kind the case holds (``value(fact)``: its grams, or None where the charge has no such fact), converted."""
    shares = []
    for kind, ratio in heroin_ratios():
        grams = value(kind.factor)
        if isinstance(grams, int | float) and not isinstance(grams, bool) and grams > 0:
            shares.append(DrugShare(kind, float(grams), ratio, float(grams) * ratio))
    return tuple(shares)


def heroin_equivalent(values: Mapping[str, object]) -> float:
    """The grams of heroin all the drugs in ``values`` (fact → grams) amount to."""
    return sum(s.heroin_g for s in heroin_shares(values.get))


def conversion_note(shares: tuple[DrugShare, ...], labels: Mapping[str, Label]) -> Label | None:
    """How the quantity was reached, for the derivation: one kind as it is, several converted and added up
    (``labels``: each fact's label). None without drugs."""
    if not shares:
        return None
    total = sum(s.heroin_g for s in shares)
    if len(shares) == 1 and shares[0].ratio == 1.0:
        s = shares[0]
        return Label(f"{labels[s.kind.factor].zh} {s.grams:g} 克", f"{labels[s.kind.factor].en}: {s.grams:g}")
    zh = " + ".join(f"{labels[s.kind.factor].zh} {s.grams:g} 克×{s.ratio:g}" for s in shares)
    en = " + ".join(f"{s.grams:g} g {s.kind.id} × {s.ratio:g}" for s in shares)
    source = _table().conversion_source.split(" (")[0]
    return Label(f"折算为海洛因：{zh} = {total:g} 克（{source}）",
                 f"converted to heroin: {en} = {total:g} g ({source})")  # fmt: skip
