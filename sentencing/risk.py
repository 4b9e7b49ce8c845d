"""The second kind of model under challenge: a risk-assessment instrument that scores a person.

Where the sentencing kind recommends months under a guideline, a risk instrument gives a score on
a fixed scale (COMPAS: deciles 1-10) and a class (Low 1-4, Medium 5-7, High 8-10). The instrument
is data (``data/instruments/*.json``): its factors are written in the factor catalogue's own format
(type, range, legal role, whether a party may dispute it, zh-CN/en labels) and checked by the same
code, plus the score scale. A :class:`RiskCase` is one assessed person: the charge's degree, the
instrument's inputs, and the score the tool recorded (when known). As with :class:`~sentencing.case.Case`,
a risk case is built only through :func:`parse_risk_case` or :meth:`RiskCase.with_changes`, which
report every broken rule at once.

Models of this kind read :func:`risk_frame` (column ``charge`` then the instrument's factors) and
answer one score per row through the same :class:`~sentencing.models.SentencingModel` protocol.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, ClassVar

import pandas as pd

from sentencing.case import (
    FactValues,
    check_case_id,
    check_factor_value,
    parse_description,
    parse_fixed_by_court,
    read_json_object,
    unknown_field,
)
from sentencing.catalogue import Catalogue, FactorSpec, FactorValue, parse_catalogue
from sentencing.errors import CaseValidationError, ConfigurationError, Rule, Violation
from sentencing.excerpts import excerpt
from sentencing.features import frame_of_rows
from sentencing.files import read_data_document
from sentencing.i18n import Label, Language

__all__ = [
    "CHARGE_DEGREE",
    "RISK_CASE_KIND",
    "RISK_CASE_SCHEMA_VERSION",
    "CurveSpec",
    "FilterCondition",
    "RecordedScore",
    "RecordsLayout",
    "RiskCase",
    "RiskClass",
    "RiskInstrument",
    "RiskScale",
    "load_instrument",
    "load_risk_case_file",
    "model_caveat",
    "parse_risk_case",
    "risk_frame",
]

RISK_CASE_SCHEMA_VERSION = "1.0"
RISK_CASE_KIND = "risk_assessment"
CHARGE_DEGREE = Label("罪行等级", "charge degree")
_TOP_LEVEL = frozenset(
    {"schema_version", "kind", "instrument", "case_id", "charge", "person", "recorded", "description", "fixed_by_court"}
)


@dataclass(frozen=True)
class RiskClass:
    id: str
    label: Label
    low: int
    high: int

    def contains(self, decile: int) -> bool:
        return self.low <= decile <= self.high


@dataclass(frozen=True)
class RiskScale:
    """The instrument's scale: whole scores from ``minimum`` to ``maximum``, cut into ordered classes."""

    minimum: int
    maximum: int
    unit: Label
    classes: tuple[RiskClass, ...]
    basis: str

    def decile(self, score: float) -> int:
        """A model's continuous score as the whole score a tool would print: rounded half up, kept on the scale."""
        return int(min(self.maximum, max(self.minimum, math.floor(score + 0.5))))

    def class_of(self, decile: int) -> RiskClass:
        for risk_class in self.classes:
            if risk_class.contains(decile):
                return risk_class
        raise ValueError(f"{decile} is outside the scale {self.minimum}-{self.maximum}")

    def class_by_id(self, class_id: str) -> RiskClass:
        for risk_class in self.classes:
            if risk_class.id == class_id:
                return risk_class
        raise KeyError(class_id)

    @property
    def class_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.classes)


_FILTER_OPS = {"<=", ">=", "==", "!="}


@dataclass(frozen=True)
class FilterCondition:
    """One condition of a published row filter: rows where ``column op value`` holds are kept."""

    column: str
    op: str
    value: int | float | str

    @property
    def text(self) -> str:
        shown = f'"{self.value}"' if isinstance(self.value, str) else f"{self.value}"
        return f"{self.column} {self.op} {shown}"

    def keep(self, frame: pd.DataFrame) -> pd.Series:
        column = frame[self.column]
        if self.op == "<=":
            return column <= self.value
        if self.op == ">=":
            return column >= self.value
        if self.op == "==":
            return column == self.value
        return column != self.value


@dataclass(frozen=True)
class RecordsLayout:
    """Where a data set of the tool's recorded outputs keeps each thing, and how the published analysis read it.

    Every column name the toolkit reads in such data comes from here (the instrument's JSON), never from code.
    """

    person_id: str
    charge: str
    score: str
    score_class: str
    outcome: str
    identifying_columns: tuple[str, ...]
    filter_source: str
    filter: tuple[FilterCondition, ...]
    groups: tuple[str, ...]  # the columns an audit may compare groups by; the first is the default
    formula: str  # the published comparison, "{group}" standing for the compared column
    categories: tuple[str, ...]
    numbers: tuple[str, ...]
    reference_levels: tuple[tuple[str, str], ...]
    value_labels: tuple[tuple[str, Label], ...]

    def reference_level(self, column: str) -> str | None:
        return dict(self.reference_levels).get(column)

    def value_label(self, value: str) -> Label:
        """A value of the data as a court reads it: the Chinese beside the data's own word."""
        known = dict(self.value_labels).get(value)
        return Label(f"{known.zh}（{value}）", value) if known else Label(value, value)

    def comparison_columns(self, group: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """(categories, numbers) of the controlled comparison with ``group`` compared."""
        categories = tuple(dict.fromkeys(group if c == "{group}" else c for c in self.categories))
        return categories, self.numbers

    def needed_for_audit(self, group: str) -> set[str]:
        categories, numbers = self.comparison_columns(group)
        return {*categories, *numbers, self.score, self.score_class, self.outcome}


@dataclass(frozen=True)
class CurveSpec:
    """A what-if curve of the risk report: the fact it moves, the step between points, how far either side."""

    factor: str
    step: int
    span: int


@dataclass(frozen=True)
class RiskInstrument:
    """A risk tool under challenge: its inputs (a factor catalogue) and its scale."""

    id: str
    label: Label
    vendor: str
    outcome: Label
    scale: RiskScale
    catalogue: Catalogue
    source: str
    records: RecordsLayout
    curves: tuple[tuple[str, CurveSpec], ...]  # (the report's slot, e.g. "whatif_priors", the curve)
    bands: tuple[tuple[str, tuple[int, ...]], ...]  # where a fitted points table cuts each counted input
    probe_cases: tuple[RiskCase, ...] = ()  # the invented people a model of the instrument is tried on at load

    def curve(self, slot: str) -> CurveSpec:
        return dict(self.curves)[slot]

    def bands_of(self, factor: str, default: tuple[int, ...]) -> tuple[int, ...]:
        return dict(self.bands).get(factor, default)

    def factor(self, factor_id: str) -> FactorSpec:
        return self.catalogue.factor(factor_id)

    def factor_label(self, factor_id: str) -> Label:
        """A fact's name; ``charge`` is the charge's degree."""
        return CHARGE_DEGREE if factor_id == "charge" else self.factor(factor_id).label

    def value_label(self, factor_id: str, value: FactorValue) -> Label:
        """A fact's value in both court languages (a charge by its label)."""
        if factor_id == "charge":
            return self.catalogue.charge(str(value)).label
        return self.factor(factor_id).value_in_both(value)

    def condition_label(self, factor_id: str, op: str, value: FactorValue) -> Label:
        """A points-table condition as a court reads it: "age ≥ 25", "race: African-American"."""
        name, shown = self.factor_label(factor_id), self.value_label(factor_id, value)
        if op == "==":
            return Label(f"{name.zh}：{shown.zh}", f"{name.en}: {shown.en}")
        return Label(f"{name.zh} ≥ {shown.zh}", f"{name.en} ≥ {shown.en}")

    def describe_changes(self, changes: Iterable[Mapping[str, Any]], language: Language) -> str:
        """Changed facts (``{"factor", "before", "after"}``) as "name: before → after; ..."."""

        def one(change: Mapping[str, Any]) -> str:
            factor = change["factor"]
            before, after = self.value_label(factor, change["before"]), self.value_label(factor, change["after"])
            return f"{self.factor_label(factor).text(language)}: {before.text(language)} → {after.text(language)}"

        return "; ".join(one(change) for change in changes)


def _parse_scale(raw: object, where: str) -> RiskScale:
    if not isinstance(raw, dict):
        raise ConfigurationError(where, "'scale' must be an object")
    minimum, maximum = raw.get("minimum"), raw.get("maximum")
    if not (isinstance(minimum, int) and isinstance(maximum, int) and minimum < maximum):
        raise ConfigurationError(where, "the scale needs whole 'minimum' < 'maximum'")
    classes = []
    for item in raw.get("classes") or ():
        if not isinstance(item, dict) or not isinstance(item.get("id"), str):
            raise ConfigurationError(where, "every class needs an 'id'")
        low, high = item.get("from"), item.get("to")
        if not (isinstance(low, int) and isinstance(high, int) and low <= high):
            raise ConfigurationError(f"{where}: class {item['id']}", "needs whole 'from' <= 'to'")
        classes.append(
            RiskClass(item["id"], Label.from_mapping(item.get("labels"), f"{where}: {item['id']}"), low, high)
        )
    covered = [d for c in classes for d in range(c.low, c.high + 1)]
    if covered != list(range(minimum, maximum + 1)):
        raise ConfigurationError(where, f"the classes must cover {minimum}-{maximum} once each, in order")
    basis = raw.get("basis")
    if not isinstance(basis, str) or not basis:
        raise ConfigurationError(where, "the scale needs a 'basis' (where the cut points come from)")
    return RiskScale(minimum, maximum, Label.from_mapping(raw.get("unit"), f"{where}: unit"), tuple(classes), basis)


def parse_instrument(document: dict[str, Any], source: str) -> RiskInstrument:
    """Check an instrument document: its factors as a catalogue, its scale and its labels."""
    head = document.get("instrument")
    if not isinstance(head, dict) or not isinstance(head.get("id"), str) or not head["id"]:
        raise ConfigurationError(source, "needs an 'instrument' object with an 'id'")
    catalogue = parse_catalogue({k: v for k, v in document.items() if k != "instrument"}, source)
    if not catalogue.factors:
        raise ConfigurationError(source, "an instrument needs at least one factor")
    vendor = head.get("vendor")
    if not isinstance(vendor, str) or not vendor:
        raise ConfigurationError(source, "the instrument needs a 'vendor'")
    instrument = RiskInstrument(
        id=head["id"], label=Label.from_mapping(head.get("labels"), f"{source}: instrument"), vendor=vendor,
        outcome=Label.from_mapping(head.get("outcome"), f"{source}: outcome"),
        scale=_parse_scale(head.get("scale"), f"{source}: scale"), catalogue=catalogue, source=source,
        records=_parse_records(document.get("records"), catalogue, f"{source}: records"),
        curves=_parse_curves(document.get("report"), catalogue, f"{source}: report"),
        bands=_parse_bands(document.get("points_table"), catalogue, f"{source}: points_table"),
    )  # fmt: skip
    return replace(instrument, probe_cases=_parse_probe_people(head.get("probe_people"), instrument, source))


def _text(raw: Mapping[str, Any], key: str, where: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value:
        raise ConfigurationError(where, f"{key!r} must be a non-empty string")
    return value


def _texts(raw: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = raw.get(key)
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ConfigurationError(where, f"{key!r} must be a list of names")
    return tuple(value)


def _parse_records(raw: object, catalogue: Catalogue, where: str) -> RecordsLayout:
    """The recorded-data layout: named columns, the published filter and comparison, the data's value labels."""
    if not isinstance(raw, dict):
        raise ConfigurationError(where, "the instrument needs 'records': how its recorded outputs are laid out")
    filter_raw = raw.get("filter")
    if not isinstance(filter_raw, dict) or not isinstance(filter_raw.get("conditions"), list):
        raise ConfigurationError(where, "'filter' needs 'source' and a list of 'conditions'")
    conditions = []
    for i, item in enumerate(filter_raw["conditions"]):
        value = item.get("value") if isinstance(item, dict) else None
        if (
            not isinstance(item, dict)
            or item.get("op") not in _FILTER_OPS
            or not isinstance(item.get("column"), str)
            or isinstance(value, bool)
            or not isinstance(value, int | float | str)
        ):
            raise ConfigurationError(f"{where}: filter.conditions[{i}]",
                                     f"expected column, op ({' '.join(sorted(_FILTER_OPS))}) and a value")  # fmt: skip
        conditions.append(FilterCondition(item["column"], item["op"], value))
    comparison = raw.get("comparison")
    if not isinstance(comparison, dict) or not isinstance(comparison.get("reference_levels"), dict):
        raise ConfigurationError(where, "'comparison' needs formula, categories, numbers and reference_levels")
    groups = _texts(raw, "groups", where)
    if not groups:
        raise ConfigurationError(where, "'groups' names at least one column")
    labels = raw.get("value_labels") or {}
    if not isinstance(labels, dict):
        raise ConfigurationError(where, "'value_labels' must map values to {zh-CN, en}")
    return RecordsLayout(
        person_id=_text(raw, "person_id", where), charge=_text(raw, "charge", where), score=_text(raw, "score", where),
        score_class=_text(raw, "class", where), outcome=_text(raw, "outcome", where),
        identifying_columns=_texts(raw, "identifying_columns", where),
        filter_source=_text(filter_raw, "source", f"{where}: filter"), filter=tuple(conditions), groups=groups,
        formula=_text(comparison, "formula", f"{where}: comparison"),
        categories=_texts(comparison, "categories", f"{where}: comparison"),
        numbers=_texts(comparison, "numbers", f"{where}: comparison"),
        reference_levels=tuple((str(k), str(v)) for k, v in comparison["reference_levels"].items()),
        value_labels=tuple((str(k), Label.from_mapping(v, f"{where}: value_labels.{k}")) for k, v in labels.items()),
    )  # fmt: skip


def _parse_curves(raw: object, catalogue: Catalogue, where: str) -> tuple[tuple[str, CurveSpec], ...]:
    curves = raw.get("curves") if isinstance(raw, dict) else None
    if not isinstance(curves, dict) or set(curves) != {"whatif_priors", "whatif_age"}:
        raise ConfigurationError(where, "'curves' must give the report's two curves: whatif_priors and whatif_age")
    out = []
    for slot, spec in curves.items():
        if (
            not isinstance(spec, dict)
            or not catalogue.has_factor(spec.get("factor", ""))
            or not all(
                isinstance(spec.get(k), int) and not isinstance(spec.get(k), bool) and spec[k] > 0
                for k in ("step", "span")
            )
        ):
            raise ConfigurationError(
                f"{where}: curves.{slot}", "expected a factor of the instrument, step and span > 0"
            )
        out.append((slot, CurveSpec(spec["factor"], spec["step"], spec["span"])))
    return tuple(sorted(out))


def _parse_bands(raw: object, catalogue: Catalogue, where: str) -> tuple[tuple[str, tuple[int, ...]], ...]:
    bands = raw.get("bands") if isinstance(raw, dict) else None
    if not isinstance(bands, dict):
        raise ConfigurationError(where, "'bands' must map counted inputs to their cut points")
    out = []
    for factor, cuts in bands.items():
        if (
            not catalogue.has_factor(factor)
            or not isinstance(cuts, list)
            or not cuts
            or not all(isinstance(c, int) and not isinstance(c, bool) for c in cuts)
            or cuts != sorted(set(cuts))
        ):
            raise ConfigurationError(f"{where}: bands.{factor}", "expected a factor and increasing whole numbers")
        out.append((factor, tuple(cuts)))
    return tuple(out)


def _parse_probe_people(raw: object, instrument: RiskInstrument, source: str) -> tuple[RiskCase, ...]:
    """The instrument's probe people, each a valid case of it; at least one, so every model can be tried."""
    people = raw.get("people") if isinstance(raw, dict) else None
    if not isinstance(people, list) or not people:
        raise ConfigurationError(source, "the instrument needs 'probe_people': {'people': [...]}, at least one")
    cases = []
    for i, person in enumerate(people):
        if not isinstance(person, dict):
            raise ConfigurationError(f"{source}: probe_people[{i}]", "expected an object")
        document = {"schema_version": RISK_CASE_SCHEMA_VERSION, "kind": RISK_CASE_KIND, "instrument": instrument.id,
                    **person}  # fmt: skip
        try:
            cases.append(parse_risk_case(document, instrument=instrument, source=f"probe_people[{i}]"))
        except CaseValidationError as exc:
            raise ConfigurationError(f"{source}: probe_people[{i}]", str(exc)) from None
    return tuple(cases)


@lru_cache(maxsize=8)
def load_instrument(instrument_id: str = "compas-recidivism", path: str | None = None) -> RiskInstrument:
    """A shipped instrument by id (``data/instruments/<id>.json``), or one from ``path``."""
    if path is None:
        if not re.fullmatch(r"[a-z0-9_-]+", instrument_id):
            raise ConfigurationError(instrument_id, "an instrument id is lower-case letters, digits, '-' or '_'")
        if not resources.files("sentencing").joinpath(f"data/instruments/{instrument_id}.json").is_file():
            raise ConfigurationError(f"sentencing/data/instruments/{instrument_id}.json", "no such instrument")
    document, source = read_data_document(f"data/instruments/{instrument_id}.json", path, "the instrument")
    return parse_instrument(document, source)


@dataclass(frozen=True)
class RecordedScore:
    """What the tool printed for this person (the evidence under challenge)."""

    decile: int
    class_id: str


@dataclass(frozen=True)
class RiskCase(FactValues):
    """One assessed person: the charge's degree, the instrument's inputs, and the tool's recorded score."""

    kind: ClassVar[str] = RISK_CASE_KIND

    case_id: str
    instrument: str
    charge: str
    values: tuple[tuple[str, FactorValue], ...]
    recorded: RecordedScore | None
    description: Label | None
    fixed_by_court: tuple[str, ...]

    def to_document(self) -> dict[str, Any]:
        """The canonical JSON form; ``parse_risk_case(case.to_document())`` gives back an equal case."""
        document: dict[str, Any] = {
            "schema_version": RISK_CASE_SCHEMA_VERSION, "kind": RISK_CASE_KIND, "instrument": self.instrument,
            "case_id": self.case_id, "charge": self.charge, "person": dict(self.values),
        }  # fmt: skip
        if self.recorded is not None:
            document["recorded"] = {"decile_score": self.recorded.decile, "score_text": self.recorded.class_id}
        if self.description is not None:
            document["description"] = self.description.to_mapping()
        if self.fixed_by_court:
            document["fixed_by_court"] = list(self.fixed_by_court)
        return document

    def with_changes(self, changes: Mapping[str, FactorValue], instrument: RiskInstrument) -> RiskCase:
        """The same person with some facts changed (``charge`` included), checked by the same rules.

        The recorded score is dropped: it was recorded for the facts as they were.
        """
        document = self.to_document()
        document.pop("recorded", None)
        for key, value in changes.items():
            if key == "charge":
                document["charge"] = value
            else:
                document["person"][key] = value
        return parse_risk_case(document, instrument=instrument, source=self.case_id)


def _check_recorded(raw: object, scale: RiskScale) -> tuple[RecordedScore | None, list[Violation]]:
    if not isinstance(raw, dict) or set(raw) - {"decile_score", "score_text"}:
        return None, [
            Violation("recorded", Rule.WRONG_TYPE, "expected {'decile_score': whole number, 'score_text': class}")
        ]
    decile, text = raw.get("decile_score"), raw.get("score_text")
    out = []
    if isinstance(decile, bool) or not isinstance(decile, int) or not scale.minimum <= decile <= scale.maximum:
        out.append(
            Violation(
                "recorded.decile_score",
                Rule.OUT_OF_RANGE,
                f"must be a whole number {scale.minimum}-{scale.maximum}, found {excerpt(decile)}",
            )
        )
    if text not in scale.class_ids:
        out.append(
            Violation(
                "recorded.score_text",
                Rule.NOT_ALLOWED_VALUE,
                f"expected one of {', '.join(scale.class_ids)}, found {excerpt(text)}",
            )
        )
    if out:
        return None, out
    assert isinstance(decile, int) and isinstance(text, str)
    expected = scale.class_of(decile)
    if expected.id != text:
        return None, [
            Violation(
                "recorded.score_text",
                Rule.CONTRADICTION,
                f"decile {decile} is {expected.id} on this scale ({scale.basis}), found {excerpt(text)}",
            )
        ]
    return RecordedScore(decile, text), []


def parse_risk_case(
    document: Mapping[str, Any], *, instrument: RiskInstrument | None = None, source: str | None = None
) -> RiskCase:
    """Validate a risk-assessment case document (``voirdire risk case ID`` writes one from the data)."""
    violations: list[Violation] = [unknown_field(key, _TOP_LEVEL) for key in document if key not in _TOP_LEVEL]
    if document.get("schema_version") != RISK_CASE_SCHEMA_VERSION:
        violations.append(
            Violation(
                "schema_version",
                Rule.UNSUPPORTED_SCHEMA,
                f"expected {RISK_CASE_SCHEMA_VERSION!r}, found {excerpt(document.get('schema_version'))}",
            )
        )
    if document.get("kind") != RISK_CASE_KIND:
        violations.append(
            Violation(
                "kind", Rule.NOT_ALLOWED_VALUE, f"expected {RISK_CASE_KIND!r}, found {excerpt(document.get('kind'))}"
            )
        )
    if instrument is None:
        named = document.get("instrument")
        try:
            instrument = load_instrument(named if isinstance(named, str) else "")
        except ConfigurationError as exc:
            raise CaseValidationError(
                (Violation("instrument", Rule.NOT_ALLOWED_VALUE, exc.detail),), source=source
            ) from exc
    if document.get("instrument") != instrument.id:
        violations.append(
            Violation(
                "instrument",
                Rule.NOT_ALLOWED_VALUE,
                f"this check is for {instrument.id!r}, found {excerpt(document.get('instrument'))}",
            )
        )
    case_id = document.get("case_id")
    violations.extend(check_case_id(case_id))
    catalogue = instrument.catalogue
    charge = document.get("charge")
    if charge not in catalogue.charge_ids:
        violations.append(
            Violation(
                "charge",
                Rule.UNKNOWN_CHARGE,
                f"expected one of {', '.join(catalogue.charge_ids)}, found {excerpt(charge)}",
            )
        )
    person = document.get("person")
    values: dict[str, FactorValue] = {}
    if not isinstance(person, dict):
        violations.append(
            Violation("person", Rule.WRONG_TYPE, f"expected an object of facts, found {type(person).__name__}")
        )
        person = {}
    for key, value in person.items():
        if not catalogue.has_factor(key):
            violations.append(unknown_field(f"person.{key}", (f"person.{f}" for f in catalogue.factor_ids)))
            continue
        problem = check_factor_value(catalogue.factor(key), value, f"person.{key}")
        if problem is not None:
            violations.append(problem)
        else:
            values[key] = value
    for spec in catalogue.factors:
        if spec.id in values or spec.id in person:
            continue
        if spec.required:
            violations.append(Violation(f"person.{spec.id}", Rule.MISSING_REQUIRED, f"required ({spec.label.both()})"))
        else:
            assert spec.default is not None
            values[spec.id] = spec.default
    recorded = None
    if "recorded" in document:
        recorded, problems = _check_recorded(document["recorded"], instrument.scale)
        violations.extend(problems)
    description = parse_description(document, violations)
    fixed = parse_fixed_by_court(document, catalogue, violations)
    if violations:
        raise CaseValidationError(tuple(violations), source=source)
    assert isinstance(case_id, str) and isinstance(charge, str)
    order = {fid: i for i, fid in enumerate(catalogue.factor_ids)}
    return RiskCase(
        case_id=case_id, instrument=instrument.id, charge=charge,
        values=tuple(sorted(values.items(), key=lambda kv: order[kv[0]])), recorded=recorded,
        description=description, fixed_by_court=tuple(sorted(set(fixed), key=lambda f: order[f])),
    )  # fmt: skip


def load_risk_case_file(path: str | Path, *, instrument: RiskInstrument | None = None) -> RiskCase:
    """Read and validate a risk-assessment case file; every failure names the file."""
    return parse_risk_case(read_json_object(path), instrument=instrument, source=str(path))


def risk_frame(cases: Iterable[RiskCase], instrument: RiskInstrument) -> pd.DataFrame:
    """The frame a model of this instrument reads: ``charge``, then each factor (the feature frame's rules)."""
    return frame_of_rows([{"charge": c.charge, **c.as_dict()} for c in cases], instrument.catalogue)


def model_caveat(card: Mapping[str, Any] | None) -> Label | None:
    """The label every answer of a surrogate carries: what it is, and how faithful it was found to be."""
    if not card or card.get("kind") != "surrogate":
        return None
    fidelity = card["fidelity"]["cross_validated"]
    same, r2, rows = fidelity["same_class"], fidelity["r2"], fidelity["rows"]
    return Label(
        f"替代模型（surrogate）：厂商模型不公开，本模型以公开事实拟合厂商记录的评分。交叉验证中，对 {rows:,} 人"
        f"给出与记录相同风险等级的比例为 {same:.1%}，R² {r2:.2f}。其回答是关于替代模型的证据，不是厂商模型本身的回答。",
        f"Surrogate model: the vendor's model is secret, so this one was fitted to the scores the vendor recorded, "
        f"from the public facts. Cross-validated on {rows:,} people it gives the recorded class for {same:.1%} "
        f"(R² {r2:.2f}). Its answers are evidence about the surrogate, not answers of the vendor's model.",
    )
