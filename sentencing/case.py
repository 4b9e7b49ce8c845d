"""The case as heard: charge, offence facts with units, circumstances, defendant attributes.

A case is built only through :func:`parse_case` (from a JSON document) or :meth:`Case.with_changes`
(a what-if), both of which run every rule below; an invalid case cannot exist. Violations are
collected, not stopped at the first, so a clerk sees everything wrong with a file at once.
"""

from __future__ import annotations

import difflib
import json
import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

from sentencing.catalogue import Catalogue, FactorGroup, FactorSpec, FactorType, FactorValue, load_catalogue
from sentencing.drugs import HEROIN_EQUIVALENT, drug_kinds, heroin_equivalent, heroin_shares
from sentencing.errors import CaseValidationError, ConfigurationError, InputFileError, Rule, Violation
from sentencing.excerpts import excerpt, one_line
from sentencing.extraction import canonical_extraction, check_extraction
from sentencing.i18n import Label
from sentencing.jurisdiction import ChargeTable, Condition, Jurisdiction, load_jurisdiction
from sentencing.untrusted import read_json_file, text_problem

__all__ = [
    "CASE_SCHEMA_VERSION",
    "RETURNABLE_SUMS",
    "Case",
    "FactValues",
    "check_case_id",
    "check_factor_value",
    "fact_violations",
    "grouped_values",
    "load_case_file",
    "parse_case",
    "parse_description",
    "parse_fixed_by_court",
    "read_json_object",
    "unknown_field",
]

CASE_SCHEMA_VERSION = "1.0"
#: the sums a return (restitution_yuan) is part of: the amount taken, and a credit card's overdraft left unpaid
RETURNABLE_SUMS = ("amount_yuan", "card_overdraft_yuan")
_CASE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")  # whole string (fullmatch): no trailing newline
_DESCRIPTION_LIMIT = 2000
_GROUP_KEYS = {
    FactorGroup.OFFENCE: "facts",
    FactorGroup.CIRCUMSTANCE: "circumstances",
    FactorGroup.DEFENDANT: "defendant",
}
_TOP_LEVEL = {
    "schema_version",
    "case_id",
    "charge",
    "jurisdiction",
    "description",
    "fixed_by_court",
    *_GROUP_KEYS.values(),
    "extraction",
    "proposal",
}

# Criminal Law art. 17: what a person under 16 answers for. (Only the charges this engine knows.)
_RESPONSIBILITY_AGE_FULL = 16
_RESPONSIBILITY_AGE_GRAVE = 14


class FactValues:
    """Reading a case's facts: shared by both kinds of case, which hold them as ``values`` pairs."""

    values: tuple[tuple[str, FactorValue], ...]

    def value(self, factor_id: str) -> FactorValue:
        for key, value in self.values:
            if key == factor_id:
                return value
        raise KeyError(factor_id)

    def get(self, factor_id: str, default: FactorValue) -> FactorValue:
        for key, value in self.values:
            if key == factor_id:
                return value
        return default

    def as_dict(self) -> dict[str, FactorValue]:
        return dict(self.values)


@dataclass(frozen=True)
class Case(FactValues):
    """A validated case. ``values`` holds every factor that applies to the charge, defaults filled in."""

    kind: ClassVar[str] = "sentencing"

    case_id: str
    charge: str
    jurisdiction: str
    values: tuple[tuple[str, FactorValue], ...]
    description: Label | None
    fixed_by_court: tuple[str, ...]
    #: how the case was read from a text (``sentencing.extraction``), as canonical JSON; None for a typed case
    extraction: str | None = None
    #: the procuratorate's sentencing proposal in a plea case (``sentencing.proposal``), as canonical JSON
    proposal: str | None = None

    def flag(self, factor_id: str) -> bool:
        """A boolean factor; False where the factor does not apply to this charge."""
        return bool(self.get(factor_id, False))

    def number(self, factor_id: str) -> float:
        """A numeric factor; 0 where the factor does not apply to this charge."""
        value = self.get(factor_id, 0)
        return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0

    def text(self, factor_id: str) -> str:
        return str(self.get(factor_id, "none"))

    def to_document(self, catalogue: Catalogue | None = None) -> dict[str, Any]:
        """The canonical JSON form; ``parse_case(case.to_document())`` gives back an equal case."""
        catalogue = catalogue or load_catalogue()
        groups = grouped_values(self.values, catalogue)
        document: dict[str, Any] = {
            "schema_version": CASE_SCHEMA_VERSION,
            "case_id": self.case_id,
            "charge": self.charge,
            "jurisdiction": self.jurisdiction,
            **groups,
        }
        if self.description is not None:
            document["description"] = self.description.to_mapping()
        if self.fixed_by_court:
            document["fixed_by_court"] = list(self.fixed_by_court)
        if self.extraction is not None:
            document["extraction"] = json.loads(self.extraction)
        if self.proposal is not None:
            document["proposal"] = json.loads(self.proposal)
        return document

    def with_changes(self, changes: Mapping[str, FactorValue], catalogue: Catalogue | None = None) -> Case:
        """A new case with some factors changed, validated by the same rules as a case file."""
        catalogue = catalogue or load_catalogue()
        document = self.to_document(catalogue)
        document.pop("extraction", None)  # a changed case is no longer what the text said
        # the proposal stays: a what-if asks how the same proposal stands against changed facts
        violations: list[Violation] = []
        for key, value in changes.items():
            if not catalogue.has_factor(key):
                violations.append(unknown_field(key, catalogue.factor_ids))
                continue
            document[_GROUP_KEYS[catalogue.factor(key).group]][key] = value
        if violations:
            raise CaseValidationError(tuple(violations), source=self.case_id)
        return parse_case(document, catalogue=catalogue, source=self.case_id)


def grouped_values(
    values: Iterable[tuple[str, FactorValue]], catalogue: Catalogue
) -> dict[str, dict[str, FactorValue]]:
    """Factor values under the case document's groups (``facts``, ``circumstances``, ``defendant``), each present."""
    groups: dict[str, dict[str, FactorValue]] = {key: {} for key in _GROUP_KEYS.values()}
    for key, value in values:
        groups[_GROUP_KEYS[catalogue.factor(key).group]][key] = value
    return groups


def unknown_field(key: str, known: Iterable[str]) -> Violation:
    close = difflib.get_close_matches(key, list(known), n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return Violation(key, Rule.UNKNOWN_FIELD, f"no such field{hint}")


def _fmt(number: float) -> str:
    if abs(number) > 1e15:  # an absurd value a person typed: shown as typed, bounded (never 4,300 digits)
        return excerpt(number)
    return f"{int(number):,}" if float(number).is_integer() else f"{number:,}"


def check_factor_value(spec: FactorSpec, value: object, field: str) -> Violation | None:
    """Type and range of one value, against the catalogue entry."""
    if spec.type is FactorType.BOOLEAN:
        if not isinstance(value, bool):
            return Violation(field, Rule.WRONG_TYPE, f"expected true or false, found {excerpt(value)}")
        return None
    if spec.type is FactorType.ENUM:
        if value not in spec.values:
            return Violation(
                field, Rule.NOT_ALLOWED_VALUE, f"expected one of {', '.join(spec.values)}, found {excerpt(value)}"
            )
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return Violation(
            field, Rule.WRONG_TYPE, f"expected a number ({spec.unit or 'no unit'}), found {excerpt(value)}"
        )
    if spec.type is FactorType.INTEGER and not isinstance(value, int):
        return Violation(field, Rule.WRONG_TYPE, f"expected a whole number ({spec.unit}), found {excerpt(value)}")
    if isinstance(value, float) and not math.isfinite(value):
        return Violation(field, Rule.WRONG_TYPE, f"expected a finite number, found {excerpt(value)}")
    assert spec.minimum is not None and spec.maximum is not None
    if not spec.minimum <= value <= spec.maximum:
        basis = f" ({spec.range_basis})" if spec.range_basis else ""
        unit = f" {spec.unit}" if spec.unit else ""
        return Violation(
            field,
            Rule.BELOW_AGE_OF_RESPONSIBILITY
            if spec.id == "age_at_offence" and value < spec.minimum
            else Rule.OUT_OF_RANGE,
            f"must be between {_fmt(spec.minimum)} and {_fmt(spec.maximum)}{unit}, found {_fmt(value)}{basis}",
        )
    return None


#: 法释〔2000〕33号 第2条第2款第1–5项: with one serious injury and the full or main responsibility, any of these
#: makes the accident a crime (第6项, fleeing the scene, too)
_TRAFFIC_AGGRAVATING = (
    "drunk_or_drugged_driving",
    "unlicensed",
    "unsafe_or_unregistered_vehicle",
    "seriously_overloaded",
)


def _traffic_accident_convicts(v: Callable[[str], Any]) -> bool:
    """Whether the facts (``v(fact)``) make a traffic accident a crime (法释〔2000〕33号 第2条): one death or three
    serious injuries with the full or main responsibility; three deaths with equal responsibility; ¥300,000 of direct
    loss the defendant cannot pay, with the full or main responsibility; or one serious injury with the full or main
    responsibility and drunk or drugged driving, no licence, an unsafe, unregistered or scrapped vehicle, serious
    overloading, or fleeing the scene to escape the law."""
    responsibility = v("accident_responsibility")
    deaths, serious = v("deaths") or 0, v("serious_injuries") or 0
    if responsibility in ("full", "main"):
        if deaths >= 1 or serious >= 3 or (v("property_loss_unpaid_yuan") or 0) >= 300_000:
            return True
        return serious >= 1 and any(v(f) for f in (*_TRAFFIC_AGGRAVATING, "fled_after_accident"))
    return responsibility == "equal" and deaths >= 3


def _traffic_accident_violations(v: Callable[[str], Any]) -> list[Violation]:
    out = []
    if not _traffic_accident_convicts(v):
        out.append(Violation(
            "accident_responsibility", Rule.BELOW_CRIMINAL_THRESHOLD,
            f"a traffic accident ({excerpt(v('accident_responsibility'), 20)} responsibility, {v('deaths') or 0} "
            f"death(s), {v('serious_injuries') or 0} serious injury(ies)) is a crime only with one death or three "
            "serious injuries and the full or main responsibility, three deaths and equal responsibility, ¥300,000 "
            "of loss the defendant cannot pay with the full or main responsibility, or one serious injury with the "
            "full or main responsibility and drunk or drugged driving, no licence, an unsafe, unregistered or "
            "scrapped vehicle, serious overloading or fleeing the scene (法释〔2000〕33号 第2条)",
        ))  # fmt: skip
    from_fleeing = v("deaths_from_fleeing") or 0
    if from_fleeing > (v("deaths") or 0):
        out.append(Violation("deaths_from_fleeing", Rule.CONTRADICTION,
                             f"{from_fleeing} death(s) caused by fleeing, more than the {v('deaths') or 0} death(s) "
                             "of the accident (deaths counts every death)"))  # fmt: skip
    if from_fleeing and not v("fled_after_accident"):
        out.append(Violation("deaths_from_fleeing", Rule.CONTRADICTION,
                             "a death caused by fleeing needs fled_after_accident (刑法第133条)"))  # fmt: skip
    return out


def _drug_violations(v: Callable[[str], Any], charge: str) -> list[Violation]:
    """A drug crime's own threshold: some drug for trafficking (刑法第347条第1款: 无论数量多少), 数量较大 for possession
    (刑法第348条) — providing a place to take drugs has its grounds in the table (``convicted_when_any``)."""
    first = drug_kinds()[0].factor
    shares = heroin_shares(v)
    total = sum(s.heroin_g for s in shares)
    if charge == "drug_trafficking" and not shares:
        return [Violation(first, Rule.MISSING_REQUIRED, "no drug quantity: give the grams of at least one kind "
                          f"({', '.join(k.factor for k in drug_kinds()[:3])}, …) (刑法第347条)")]  # fmt: skip
    if charge == "drug_possession" and total < 10:
        field = shares[0].kind.factor if shares else first
        return [Violation(field, Rule.BELOW_CRIMINAL_THRESHOLD, f"{total:g} g of heroin or its equivalent is "
                          "below 数量较大 (10 g of heroin or methamphetamine, 200 g of opium, or the like): holding "
                          "less is no crime (刑法第348条; 法释〔2016〕8号 第2条)")]  # fmt: skip
    return []


def _number(value: float) -> str:
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,}"


def _stated(condition: Condition) -> str:
    """A condition as a refusal names it (``prostitution_persons >= 2``, ``prostitution_prior_penalty``)."""
    if condition.one_of is not None:
        return f"{condition.fact} in ({', '.join(condition.one_of)})"
    if condition.at_least is not None:
        return f"{condition.fact} >= {_number(condition.at_least)}"
    if condition.is_true is not None:
        return condition.fact if condition.is_true else f"not {condition.fact}"
    assert condition.between is not None
    return f"{condition.fact} {_number(condition.between[0])}–{_number(condition.between[1])}"


def _conviction_violations(
    case: Mapping[str, FactorValue | None], charge: str, table: ChargeTable, catalogue: Catalogue
) -> list[Violation]:
    """A charge whose table states what makes it a crime (``convicted_when_any``): refused, naming every ground and
    the law, when none holds."""

    def value(fact: str) -> object:
        if fact == HEROIN_EQUIVALENT:
            return heroin_equivalent(case)
        found = case.get(fact)
        found = catalogue.factor(fact).default if found is None else found
        if isinstance(found, bool):
            return 1.0 if found else 0.0
        return found if isinstance(found, str) else float(found or 0)

    if table.convicted(value):
        return []
    grounds = [_stated(c) if isinstance(c, Condition) else "(" + " and ".join(_stated(x) for x in c.conditions) + ")"
               for c in table.convicted_when_any]  # fmt: skip
    first = table.convicted_when_any[0]
    field = first.fact if isinstance(first, Condition) else first.conditions[0].fact
    return [Violation(field, Rule.BELOW_CRIMINAL_THRESHOLD, f"{catalogue.charge(charge).label.en} is a crime only "
                      f"with one of: {'; '.join(grounds)} ({table.conviction_source})")]  # fmt: skip


#: facts counting persons among a charge's whole count (of the persons procured: those lured, and the vulnerable; of
#: those given a place to take drugs: those at one time)
_PARTS_OF = {
    "prostitution_procuring": (("prostitution_induced", "prostitution_persons"),
                               ("prostitution_vulnerable", "prostitution_persons")),
    "sheltering_drug_use": (("drug_users_at_once", "drug_users_sheltered"),),
}  # fmt: skip


def _check_law(
    case: Mapping[str, FactorValue | None], charge: str, jurisdiction: Jurisdiction, catalogue: Catalogue
) -> list[Violation]:
    """Rules between facts: criminal thresholds, age of responsibility, contradictions."""
    out: list[Violation] = []

    def v(key: str) -> Any:
        return case.get(key)

    table = jurisdiction.charge_table(charge)
    if table.convicted_when_any:  # the table states every ground of conviction, amounts included
        out += _conviction_violations(case, charge, table, catalogue)
    elif table.has_threshold("large") and isinstance(v("amount_yuan"), int | float):
        # a charge whose conviction needs 数额较大 (theft, fraud), unless another qualifying fact is present
        large = table.threshold("large")
        qualifying = [q for q in table.qualifying_without_amount if q != "acts>=3" and v(q)]
        if "acts>=3" in table.qualifying_without_amount and isinstance(v("acts"), int) and v("acts") >= 3:
            qualifying.append("acts>=3")
        if v("amount_yuan") < large and not qualifying:
            alternatives = " or ".join(table.qualifying_without_amount) or "none"
            out.append(
                Violation(
                    "amount_yuan",
                    Rule.BELOW_CRIMINAL_THRESHOLD,
                    f"¥{v('amount_yuan'):,} is below this jurisdiction's threshold of ¥{large:,.0f} "
                    f"and no other qualifying fact ({alternatives}) is present ({table.threshold_source})",
                )
            )
    if charge == "traffic_accident":
        out += _traffic_accident_violations(v)
    if charge in ("drug_trafficking", "drug_possession"):
        out += _drug_violations(v, charge)
    for part, whole in _PARTS_OF.get(charge, ()):  # persons of a kind among all the persons
        total = v(whole) or catalogue.factor(whole).default or 0
        if isinstance(total, int | float) and (v(part) or 0) > total:
            out.append(Violation(part, Rule.CONTRADICTION,
                                 f"{v(part)} {part}, more than the {total} of {whole} they are among"))  # fmt: skip
    if charge == "rape" and v("rape_child_under_10") and not v("rape_child_victim"):
        out.append(Violation("rape_child_under_10", Rule.CONTRADICTION, "a girl under 10 is a girl under 14: "
                             "rape_child_under_10 needs rape_child_victim (刑法第236条)"))  # fmt: skip
    if charge == "intentional_injury" and not (v("minor_injuries") or v("serious_injuries") or v("deaths")):
        out.append(
            Violation(
                "minor_injuries",
                Rule.MISSING_REQUIRED,
                "intentional injury needs at least one person with minor (轻伤) or serious (重伤) injury, or a death "
                "(刑法第234条 Criminal Law art. 234)",
            )
        )
    grade = v("injury_grade")
    if charge == "intentional_injury" and isinstance(grade, str) and grade != "none":
        serious_grade = grade.startswith("serious")
        if serious_grade and not v("serious_injuries"):
            out.append(Violation("injury_grade", Rule.CONTRADICTION,
                                 f"{grade}: a serious grade needs serious_injuries of at least 1"))  # fmt: skip
        elif not serious_grade and (v("serious_injuries") or not v("minor_injuries")):
            out.append(Violation("injury_grade", Rule.CONTRADICTION, f"{grade}: the grade of the worst injury; with "
                                 "a serious injury it is serious_1 or serious_2, and a minor grade needs "
                                 "minor_injuries of at least 1"))  # fmt: skip
    stages = [key for key in ("attempt", "preparation") if v(key)]
    if v("discontinuance") not in (None, "none"):
        stages.append("discontinuance")
    if len(stages) > 1:
        out.append(Violation(stages[1], Rule.CONTRADICTION, f"{' and '.join(stages)}: a crime stops at one stage "
                             "(预备、未遂、中止; 刑法第22–24条 Criminal Law arts. 22–24)"))  # fmt: skip
    if v("accessory") and v("coerced_accomplice"):
        out.append(
            Violation(
                "coerced_accomplice",
                Rule.CONTRADICTION,
                "an accessory (从犯) and a coerced accomplice "
                "(胁从犯) are different roles; set one (刑法第27–28条 Criminal Law arts. 27–28)",
            )
        )
    returned = v("restitution_yuan")
    if isinstance(returned, int | float) and returned > 0:  # restitution_yuan applies only where an amount does
        sums = [v(f) for f in RETURNABLE_SUMS if isinstance(v(f), int | float)]
        amount = sum(sums) if sums else None
        if isinstance(amount, int | float) and returned > amount:
            out.append(Violation("restitution_yuan", Rule.OUT_OF_RANGE,
                                 f"¥{returned:,} returned is more than the amount involved (¥{amount:,})"))  # fmt: skip
        elif v("restitution") and isinstance(amount, int | float) and returned < amount:
            out.append(Violation("restitution_yuan", Rule.CONTRADICTION, f"restitution = true means all was "
                                 f"returned, but ¥{returned:,} of ¥{amount:,} is stated; leave restitution false for a "
                                 "partial return"))  # fmt: skip
    if charge == "dangerous_driving":
        limit = table.legal_limit_mg_per_100ml or 80.0
        bac = v("blood_alcohol_mg_per_100ml")
        if isinstance(bac, int | float) and bac < limit:
            out.append(
                Violation(
                    "blood_alcohol_mg_per_100ml",
                    Rule.BELOW_CRIMINAL_THRESHOLD,
                    f"{bac} mg/100ml is below {limit:g} mg/100ml: not drunk driving (GB 19522-2010)",
                )
            )
        for key in ("vulnerable_victim",):
            if v(key) and not v("caused_accident"):
                out.append(Violation(key, Rule.CONTRADICTION, "a victim circumstance needs caused_accident = true"))
        if v("compensation") not in (None, "none") and not v("caused_accident"):
            out.append(
                Violation("compensation", Rule.CONTRADICTION, "compensation needs a victim: caused_accident = true")
            )

    age = v("age_at_offence")
    if isinstance(age, int) and age < _RESPONSIBILITY_AGE_FULL:
        grave_injury = charge == "intentional_injury" and bool(v("serious_injuries") or v("deaths"))
        answerable = grave_injury or catalogue.charge(charge).answerable_from_14  # 刑法第17条第2款's own crimes
        cruel = grave_injury and (
            bool(v("deaths")) or (bool(v("cruel_means")) and 1 <= int(v("disability_grade") or 0) <= 6)
        )
        if age < _RESPONSIBILITY_AGE_GRAVE and not cruel:
            out.append(
                Violation(
                    "age_at_offence",
                    Rule.NO_RESPONSIBILITY_FOR_CHARGE,
                    f"aged {age}: under 14 a person answers only for killing, or for serious injury by especially "
                    "cruel means causing grave disability (刑法第17条第3款 Criminal Law art. 17 ¶3)",
                )
            )
        elif age >= _RESPONSIBILITY_AGE_GRAVE and not answerable:
            out.append(
                Violation(
                    "age_at_offence",
                    Rule.NO_RESPONSIBILITY_FOR_CHARGE,
                    f"aged {age}: between 14 and 16 a person answers for {charge} only where it caused serious "
                    "injury or death (刑法第17条第2款 Criminal Law art. 17 ¶2)",
                )
            )
    if v("surrender") and v("confession") not in (None, "none"):
        out.append(
            Violation(
                "confession",
                Rule.CONTRADICTION,
                "confession (坦白) applies only where surrender (自首) does not; both are set "
                "(刑法第67条 Criminal Law art. 67)",
            )
        )
    if v("recidivist") and isinstance(age, int) and age < 18:
        out.append(
            Violation(
                "recidivist",
                Rule.CONTRADICTION,
                f"aged {age} at the offence: recidivism (累犯) excludes crimes committed under 18 "
                "(刑法第65条 Criminal Law art. 65)",
            )
        )
    return out


def fact_violations(
    values: Mapping[str, FactorValue | None],
    charge: str,
    jurisdiction: Jurisdiction,
    specs: Iterable[FactorSpec],
    *,
    values_checked: bool = False,
) -> list[Violation]:
    """What makes a case's facts (``specs``: the charge's factors; every one typed as a case holds them) unlawful: a
    value's type or range, or a rule between facts; empty for a lawful case. The check a case file gets, without the
    document. ``values_checked``: the caller has already found every value of its type and in its range (a frame
    checked column by column), so only the rules between facts remain."""  # fmt: skip
    out = [] if values_checked else [
        v for spec in specs if (v := check_factor_value(spec, values.get(spec.id), spec.id)) is not None
    ]  # fmt: skip
    return out or _check_law(values, charge, jurisdiction, load_catalogue())


def parse_case(
    document: Mapping[str, Any],
    *,
    catalogue: Catalogue | None = None,
    jurisdiction: Jurisdiction | None = None,
    source: str | None = None,
) -> Case:
    """Validate a case document (see ``sentencing/data/cases/`` for examples) and build the case."""
    if "counts" in document:  # several crimes in one file: a case is one count (sentencing.combined reads them)
        raise CaseValidationError((Violation(
            "counts", Rule.NOT_ALLOWED_VALUE,
            "this file holds several counts (数罪并罚), not one case: give one count's case here; `voirdire "
            "guideline FILE` derives the counts together and the term executed under Criminal Law art. 69"),),
            source=source)  # fmt: skip
    catalogue = catalogue or load_catalogue()
    violations: list[Violation] = []
    for key in document:
        if key not in _TOP_LEVEL:
            violations.append(unknown_field(key, _TOP_LEVEL))
    version = document.get("schema_version")
    if version != CASE_SCHEMA_VERSION:
        violations.append(
            Violation(
                "schema_version", Rule.UNSUPPORTED_SCHEMA, f"expected {CASE_SCHEMA_VERSION!r}, found {excerpt(version)}"
            )
        )
    case_id = document.get("case_id")
    violations.extend(check_case_id(case_id))
    charge = document.get("charge")
    if charge not in catalogue.charge_ids:
        violations.append(
            Violation(
                "charge",
                Rule.UNKNOWN_CHARGE,
                f"expected one of {', '.join(catalogue.charge_ids)}, found {excerpt(charge)}",
            )
        )
    jurisdiction_id = document.get("jurisdiction", "default")
    if jurisdiction is None:
        try:
            jurisdiction = load_jurisdiction(str(jurisdiction_id))
        except ConfigurationError as exc:
            violations.append(Violation("jurisdiction", Rule.UNKNOWN_JURISDICTION, exc.detail))
    description = parse_description(document, violations)

    given: dict[str, FactorValue] = {}
    for group, key in _GROUP_KEYS.items():
        block = document.get(key, {})
        if not isinstance(block, dict):
            violations.append(
                Violation(key, Rule.WRONG_TYPE, f"expected an object of factors, found {type(block).__name__}")
            )
            continue
        for factor_id, value in block.items():
            field = f"{key}.{factor_id}"
            if not catalogue.has_factor(factor_id):
                violations.append(unknown_field(field, (f"{key}.{f}" for f in catalogue.factor_ids)))
                continue
            spec = catalogue.factor(factor_id)
            if spec.group is not group:
                violations.append(
                    Violation(
                        field, Rule.UNKNOWN_FIELD, f"belongs under {_GROUP_KEYS[spec.group]!r}, not {excerpt(key)}"
                    )
                )
                continue
            problem = check_factor_value(spec, value, factor_id)
            if problem is not None:
                violations.append(problem)
            else:
                given[factor_id] = value

    values: dict[str, FactorValue] = {}
    if isinstance(charge, str) and charge in catalogue.charge_ids:
        for factor_id, value in given.items():
            spec = catalogue.factor(factor_id)
            if not spec.applies_to(charge) and value != spec.default:
                violations.append(
                    Violation(
                        factor_id,
                        Rule.NOT_APPLICABLE,
                        f"does not apply to {charge} (applies to {', '.join(spec.charges)})",
                    )
                )
        for spec in catalogue.factors_for(charge):
            if spec.id in given:
                values[spec.id] = given[spec.id]
            elif spec.is_required(charge):
                if not any(v.field == spec.id for v in violations):
                    violations.append(
                        Violation(spec.id, Rule.MISSING_REQUIRED, f"required for {charge} ({spec.label.both()})")
                    )
            else:
                assert spec.default is not None
                values[spec.id] = spec.default
        if jurisdiction is not None and not violations:
            try:
                jurisdiction.charge_table(charge)
            except KeyError:
                violations.append(
                    Violation(
                        "charge", Rule.UNKNOWN_CHARGE, f"jurisdiction {jurisdiction.id!r} has no table for {charge}"
                    )
                )
            else:
                violations.extend(_check_law(values, charge, jurisdiction, catalogue))

    fixed = parse_fixed_by_court(document, catalogue, violations)
    extraction = None
    if "extraction" in document:
        problems = check_extraction(document["extraction"])
        violations.extend(problems)
        if not problems:
            extraction = canonical_extraction(document["extraction"])
    proposal = None
    if "proposal" in document:
        from sentencing.proposal import parse_proposal  # the proposal's module reads the guideline, which reads cases

        try:
            proposal = parse_proposal(
                document["proposal"],
                charge=charge if isinstance(charge, str) and charge in catalogue.charge_ids else None,
                jurisdiction=jurisdiction,
                catalogue=catalogue,
            ).canonical()
        except CaseValidationError as exc:
            violations.extend(exc.violations)

    if violations:
        raise CaseValidationError(tuple(violations), source=source)
    assert isinstance(case_id, str) and isinstance(charge, str) and jurisdiction is not None
    order = {fid: i for i, fid in enumerate(catalogue.factor_ids)}
    return Case(
        case_id=case_id,
        charge=charge,
        jurisdiction=jurisdiction.id,
        values=tuple(sorted(values.items(), key=lambda kv: order[kv[0]])),
        description=description,
        fixed_by_court=tuple(sorted(set(fixed), key=lambda f: order[f])),
        extraction=extraction,
        proposal=proposal,
    )


def check_case_id(case_id: object) -> list[Violation]:
    """The rule every case file's ``case_id`` keeps, whatever the kind of case."""
    if isinstance(case_id, str) and _CASE_ID.fullmatch(case_id):
        return []
    return [
        Violation(
            "case_id", Rule.WRONG_TYPE, f"expected 1-64 letters, digits, '.', '_' or '-', found {excerpt(case_id)}"
        )
    ]


def parse_description(document: Mapping[str, Any], violations: list[Violation]) -> Label | None:
    """The optional bilingual ``description`` of a case document; a malformed one is a violation."""
    if "description" not in document:
        return None
    raw = document["description"]
    if isinstance(raw, dict) and all(isinstance(raw.get(k), str) and raw.get(k) for k in ("zh-CN", "en")):
        for language in ("zh-CN", "en"):
            problem = text_problem(raw[language]) or (
                f"{len(raw[language])} characters, at most {_DESCRIPTION_LIMIT}"
                if len(raw[language]) > _DESCRIPTION_LIMIT
                else None
            )
            if problem:
                violations.append(Violation(f"description.{language}", Rule.INVALID_TEXT, problem))
                return None
        return Label(zh=raw["zh-CN"], en=raw["en"])
    violations.append(Violation("description", Rule.WRONG_TYPE, "expected {'zh-CN': text, 'en': text}"))
    return None


def parse_fixed_by_court(document: Mapping[str, Any], catalogue: Catalogue, violations: list[Violation]) -> list[str]:
    """The facts the court has fixed (no party's change may touch them): factor ids of ``catalogue``."""
    fixed = document.get("fixed_by_court", [])
    if not isinstance(fixed, list) or not all(isinstance(f, str) and catalogue.has_factor(f) for f in fixed):
        violations.append(Violation("fixed_by_court", Rule.UNKNOWN_FIELD, "expected a list of factor ids"))
        return []
    return fixed


def read_json_object(path: str | Path) -> dict[str, Any]:
    """A UTF-8 JSON file holding one object (strictly read: see :mod:`sentencing.untrusted`); every failure
    names the file and the rule."""
    document = read_json_file(path)
    if not isinstance(document, dict):
        raise InputFileError(
            one_line(str(path)), Rule.FILE_NOT_OBJECT, f"expected a JSON object, found {type(document).__name__}"
        )
    return document


def load_case_file(
    path: str | Path, *, catalogue: Catalogue | None = None, jurisdiction: Jurisdiction | None = None
) -> Case:
    """Read and validate a case file (against ``jurisdiction`` when given); every failure names the file."""
    name = str(path)
    document = read_json_object(path)
    if jurisdiction is not None and document.get("jurisdiction", "default") != jurisdiction.id:
        raise CaseValidationError(
            (
                Violation(
                    "jurisdiction",
                    Rule.UNKNOWN_JURISDICTION,
                    f"the case names {document.get('jurisdiction', 'default')!r} but the table given is "
                    f"{jurisdiction.id!r} ({jurisdiction.source})",
                ),
            ),
            source=name,
        )
    return parse_case(document, catalogue=catalogue, jurisdiction=jurisdiction, source=name)
