from __future__ import annotations

import json
from pathlib import Path

import pytest

from sentencing.case import load_case_file, parse_case
from sentencing.errors import CaseValidationError, InputFileError, Rule


def _violation(document: dict) -> CaseValidationError:
    with pytest.raises(CaseValidationError) as info:
        parse_case(document)
    return info.value


def test_bundled_cases_cover_every_charge_of_the_catalogue_in_both_languages(bundled_cases) -> None:
    from sentencing.catalogue import load_catalogue

    assert len(bundled_cases) >= 6
    assert {c.charge for c in bundled_cases} == set(load_catalogue().charge_ids)
    for case in bundled_cases:
        assert case.description is not None
        assert any("\u4e00" <= ch <= "\u9fff" for ch in case.description.zh)
        assert case.description.en.isascii() or "¥" in case.description.en


def test_round_trip_through_the_canonical_document(bundled_cases) -> None:
    for case in bundled_cases:
        assert parse_case(case.to_document()) == case


def test_listing_order_of_facts_does_not_matter(document) -> None:
    doc = document(circumstances={"surrender": True, "restitution": True, "plea_agreement": True})
    reordered = dict(doc)
    reordered["circumstances"] = dict(reversed(list(doc["circumstances"].items())))
    reordered["defendant"] = dict(reversed(list(doc["defendant"].items())))
    assert parse_case(doc) == parse_case(reordered)


@pytest.mark.parametrize(
    ("changes", "field", "rule"),
    [
        ({"charge": "arson"}, "charge", Rule.UNKNOWN_CHARGE),
        ({"facts": {"amount_yuan": -5}}, "amount_yuan", Rule.OUT_OF_RANGE),
        ({"defendant": {"age_at_offence": 9}}, "age_at_offence", Rule.BELOW_AGE_OF_RESPONSIBILITY),
        ({"circumstances": {"surrender": True, "confession": "ordinary"}}, "confession", Rule.CONTRADICTION),
        ({"facts": {}}, "amount_yuan", Rule.MISSING_REQUIRED),
        ({"facts": {"amount_yuan": 500}}, "amount_yuan", Rule.BELOW_CRIMINAL_THRESHOLD),
        ({"facts": {"amount_yuan": "lots"}}, "amount_yuan", Rule.WRONG_TYPE),
        ({"facts": {"amount_yuan": 12000, "acts": 1.5}}, "acts", Rule.WRONG_TYPE),
        ({"circumstances": {"surrender": "yes"}}, "surrender", Rule.WRONG_TYPE),
        ({"circumstances": {"confession": "partial"}}, "confession", Rule.NOT_ALLOWED_VALUE),
        ({"circumstances": {"surender": True}}, "circumstances.surender", Rule.UNKNOWN_FIELD),
        (
            {"facts": {"amount_yuan": 12000, "blood_alcohol_mg_per_100ml": 120}},
            "blood_alcohol_mg_per_100ml",
            Rule.NOT_APPLICABLE,
        ),
        ({"defendant": {"age_at_offence": 15}}, "age_at_offence", Rule.NO_RESPONSIBILITY_FOR_CHARGE),
        (
            {"defendant": {"age_at_offence": 17}, "circumstances": {"recidivist": True}},
            "recidivist",
            Rule.CONTRADICTION,
        ),
        ({"defendant": {"sex": None}}, "sex", Rule.NOT_ALLOWED_VALUE),
        ({"schema_version": "2.0"}, "schema_version", Rule.UNSUPPORTED_SCHEMA),
        ({"case_id": "../etc/passwd"}, "case_id", Rule.WRONG_TYPE),
        ({"verdict": "guilty"}, "verdict", Rule.UNKNOWN_FIELD),
        ({"jurisdiction": "atlantis"}, "jurisdiction", Rule.UNKNOWN_JURISDICTION),
    ],
)
def test_invalid_input_names_the_field_and_the_rule(document, changes, field, rule) -> None:
    error = _violation(document(**changes))
    assert (error.field, error.rule) == (field, rule), str(error)
    assert field.split(".")[-1] in str(error) and rule in str(error)
    assert "\n" not in str(error)


def test_missing_defendant_attribute_is_named(document) -> None:
    doc = document()
    del doc["defendant"]["household_registration"]
    error = _violation(doc)
    assert (error.field, error.rule) == ("household_registration", Rule.MISSING_REQUIRED)


def test_all_violations_are_reported_at_once(document) -> None:
    error = _violation(
        document(charge="theft", facts={"amount_yuan": -1}, defendant={"age_at_offence": 200, "sex": "x"})
    )
    fields = {v.field for v in error.violations}
    assert {"amount_yuan", "age_at_offence", "sex"} <= fields


def test_theft_below_threshold_is_a_crime_when_burglary(document) -> None:
    case = parse_case(document(facts={"amount_yuan": 500, "burglary": True}))
    assert case.flag("burglary")
    parse_case(document(facts={"amount_yuan": 500, "acts": 3}))


def test_injury_needs_an_injury_and_minors_answer_only_for_grave_harm(document) -> None:
    injury = {"charge": "intentional_injury", "facts": {"amount_yuan": None}}
    base = document(**injury)
    base["facts"] = {}
    assert _violation(base).rule == Rule.MISSING_REQUIRED
    base["facts"] = {"serious_injuries": 1}
    base["defendant"]["age_at_offence"] = 15
    assert parse_case(base).value("age_at_offence") == 15
    base["defendant"]["age_at_offence"] = 13
    assert _violation(base).rule == Rule.NO_RESPONSIBILITY_FOR_CHARGE
    base["facts"] = {"serious_injuries": 1, "cruel_means": True, "disability_grade": 4}
    assert parse_case(base).value("age_at_offence") == 13


def test_dangerous_driving_rules(document) -> None:
    doc = document(charge="dangerous_driving")
    doc["facts"] = {"blood_alcohol_mg_per_100ml": 60}
    assert _violation(doc).rule == Rule.BELOW_CRIMINAL_THRESHOLD
    doc["facts"] = {"blood_alcohol_mg_per_100ml": 120}
    doc["circumstances"] = {"compensation": "compensation_only"}
    assert _violation(doc).field == "compensation"
    doc["facts"]["caused_accident"] = True
    assert parse_case(doc).text("compensation") == "compensation_only"


def test_with_changes_revalidates(bundled_cases) -> None:
    case = next(c for c in bundled_cases if c.charge == "theft")
    changed = case.with_changes({"restitution": False})
    assert changed.flag("restitution") is False and changed.case_id == case.case_id
    with pytest.raises(CaseValidationError) as info:
        case.with_changes({"confession": "ordinary", "surrender": True})
    assert info.value.rule == Rule.CONTRADICTION
    with pytest.raises(CaseValidationError) as info:
        case.with_changes({"restitutoin": True})
    assert "did you mean 'restitution'" in str(info.value)


def test_case_files_fail_with_the_file_named(tmp_path: Path) -> None:
    missing = tmp_path / "nope.json"
    with pytest.raises(InputFileError) as info:
        load_case_file(missing)
    assert info.value.rule == Rule.FILE_UNREADABLE and str(missing) in str(info.value)
    broken = tmp_path / "broken.json"
    broken.write_text('{"case_id": ', encoding="utf-8")
    with pytest.raises(InputFileError) as info:
        load_case_file(broken)
    assert info.value.rule == Rule.FILE_NOT_JSON and "line 1" in str(info.value)
    listed = tmp_path / "list.json"
    listed.write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(InputFileError) as info:
        load_case_file(listed)
    assert info.value.rule == Rule.FILE_NOT_OBJECT
    binary = tmp_path / "binary.json"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(InputFileError):
        load_case_file(binary)
    invalid = tmp_path / "invalid.json"
    invalid.write_text(json.dumps({"schema_version": "1.0", "case_id": "x", "charge": "arson"}), encoding="utf-8")
    with pytest.raises(CaseValidationError) as error:
        load_case_file(invalid)
    assert str(invalid) in str(error.value)
