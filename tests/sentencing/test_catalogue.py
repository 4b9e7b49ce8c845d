from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest

from sentencing.catalogue import FactorGroup, FactorType, LegalRole, load_catalogue, parse_catalogue
from sentencing.errors import ConfigurationError
from sentencing.jurisdiction import load_jurisdiction

RULES_ROLES = {
    # SENTENCING_RULES.md §2, third column, and §5
    "attempt": LegalRole.LIABILITY,
    "accessory": LegalRole.LIABILITY,
    "vulnerable_victim": LegalRole.LIABILITY,
    "surrender": LegalRole.PREVENTION,
    "confession": LegalRole.PREVENTION,
    "restitution": LegalRole.PREVENTION,
    "compensation": LegalRole.PREVENTION,
    "reconciliation": LegalRole.PREVENTION,
    "plea_agreement": LegalRole.PREVENTION,
    "recidivist": LegalRole.PREVENTION,
    "prior_record": LegalRole.PREVENTION,
    "age_at_offence": LegalRole.LIABILITY,
    "household_registration": LegalRole.LEGALLY_IRRELEVANT,
    "sex": LegalRole.LEGALLY_IRRELEVANT,
    "ethnicity": LegalRole.LEGALLY_IRRELEVANT,
    "occupation": LegalRole.LEGALLY_IRRELEVANT,
    "region": LegalRole.LEGALLY_IRRELEVANT,
}


def _document() -> dict:
    return json.loads(resources.files("sentencing").joinpath("data/factors.json").read_text(encoding="utf-8"))


def test_every_factor_has_both_languages_a_role_and_a_legal_basis() -> None:
    catalogue = load_catalogue()
    assert len(catalogue.factors) >= 30
    for spec in catalogue.factors:
        assert spec.label.zh and spec.label.en and spec.label.zh != spec.label.en, spec.id
        assert spec.legal_basis
        if spec.type in (FactorType.INTEGER, FactorType.NUMBER):
            assert spec.minimum is not None and spec.maximum is not None and spec.minimum <= spec.maximum
            assert spec.unit_label is not None, spec.id
        if spec.type is FactorType.ENUM:
            assert {v for v, _ in spec.value_labels} == set(spec.values)


def test_roles_follow_the_sentencing_rules() -> None:
    catalogue = load_catalogue()
    for factor_id, role in RULES_ROLES.items():
        assert catalogue.factor(factor_id).legal_role is role, factor_id


def test_defendant_attributes_are_not_disputable_and_irrelevant_ones_are_listed() -> None:
    catalogue = load_catalogue()
    irrelevant = {f.id for f in catalogue.with_role(LegalRole.LEGALLY_IRRELEVANT)}
    assert irrelevant == {"sex", "household_registration", "occupation", "region", "ethnicity"}
    assert all(not f.disputable for f in catalogue.factors if f.group is FactorGroup.DEFENDANT)
    assert all(f.disputable for f in catalogue.factors if f.group is FactorGroup.CIRCUMSTANCE)


def test_every_circumstance_value_has_a_ratio_in_the_default_jurisdiction() -> None:
    jurisdiction = load_jurisdiction("default")
    ids = {c.id for c in jurisdiction.circumstances}
    catalogue = load_catalogue()
    for spec in catalogue.factors:
        if spec.group is not FactorGroup.CIRCUMSTANCE:
            continue
        if spec.type is FactorType.BOOLEAN:
            assert spec.id in ids
        elif spec.id == "restitution_yuan":  # an amount: full or partial restitution, by its share of the amount
            assert {"restitution", "restitution_partial"} <= ids
        else:
            prefix = {"confession": "confession_", "meritorious_service": "meritorious_", "compensation": "",
                      "discontinuance": "discontinuance_", "instigator": "instigator_"}[spec.id]  # fmt: skip
            assert {prefix + v for v in spec.values if v != "none"} <= ids


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d["factors"][0].update(legal_role="important"), "legal_role"),
        (lambda d: d["factors"][0].update(charges=["arson"]), "unknown or empty charges"),
        (lambda d: d["factors"][0]["range"].update(min=10, max=1), "min <= max"),
        (lambda d: d["factors"].append(dict(d["factors"][0])), "unique"),
        (lambda d: d["factors"][0]["labels"].pop("zh-CN"), "zh-CN"),
        (lambda d: d.update(schema_version="0.9"), "schema_version"),
        (lambda d: d["factors"][0].update(unit="furlongs"), "unit"),
    ],
)
def test_a_broken_catalogue_is_refused_with_the_reason(mutate, message: str) -> None:
    document = _document()
    mutate(document)
    with pytest.raises(ConfigurationError, match=message):
        parse_catalogue(document, "court-catalogue.json")


def test_a_court_may_move_a_factor_between_roles_by_data(tmp_path: Path) -> None:
    document = _document()
    for raw in document["factors"]:
        if raw["id"] == "prior_record":
            raw["legal_role"] = "liability"
    path = tmp_path / "court.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    assert load_catalogue(str(path)).factor("prior_record").legal_role is LegalRole.LIABILITY
