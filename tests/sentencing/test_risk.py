"""The risk-score kind: the instrument as data, the person as a validated case, and the registry's kinds."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from evidence_pack.registry import full_registry
from sentencing.catalogue import load_catalogue
from sentencing.errors import CaseValidationError, ConfigurationError, InputFileError, OperationInputError, Rule
from sentencing.jurisdiction import load_jurisdiction
from sentencing.operations import OperationContext
from sentencing.risk import RISK_CASE_KIND, load_instrument, load_risk_case_file, parse_risk_case

PERSON: dict[str, Any] = {
    "schema_version": "1.0", "kind": "risk_assessment", "instrument": "compas-recidivism", "case_id": "compas-22",
    "charge": "F",
    "person": {"age": 25, "priors_count": 3, "juv_fel_count": 0, "juv_misd_count": 0, "juv_other_count": 0,
               "sex": "Male", "race": "African-American"},
    "recorded": {"decile_score": 10, "score_text": "High"},
}  # fmt: skip


def test_the_instrument_is_data_checked_on_load() -> None:
    instrument = load_instrument()
    scale = instrument.scale
    assert [(c.id, c.low, c.high) for c in scale.classes] == [("Low", 1, 4), ("Medium", 5, 7), ("High", 8, 10)]
    assert scale.class_of(4).label.zh == "低风险" and scale.class_of(5).id == "Medium"
    # What a tool prints: rounded half up, kept on the scale.
    assert [scale.decile(x) for x in (0.2, 4.49, 4.5, 9.7, 12.0)] == [1, 4, 5, 10, 10]
    roles = {f.id: f.legal_role.value for f in instrument.catalogue.factors}
    assert roles["race"] == roles["sex"] == "legally_irrelevant" and roles["priors_count"] == "prevention"


def test_an_instrument_whose_classes_leave_a_gap_is_refused(tmp_path) -> None:
    document = json.loads(Path(_instrument_path()).read_text(encoding="utf-8"))
    document["instrument"]["scale"]["classes"][1]["from"] = 6
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(ConfigurationError, match="cover 1-10 once each"):
        load_instrument(path=str(path))
    with pytest.raises(ConfigurationError, match="no such instrument"):
        load_instrument("lsi-r")
    # One reader for every law-as-data document: a JSON array is refused, naming the file.
    path.write_text("[1, 2]", encoding="utf-8")
    for loader in (lambda p: load_instrument(path=p), lambda p: load_catalogue(p), lambda p: load_jurisdiction(path=p)):
        with pytest.raises(ConfigurationError, match=r"broken\.json: .*expected a JSON object, found list"):
            loader(str(path))


def _instrument_path() -> str:
    from importlib import resources

    return str(resources.files("sentencing").joinpath("data/instruments/compas-recidivism.json"))


def test_a_person_round_trips_and_every_broken_rule_is_reported_at_once(tmp_path) -> None:
    case = parse_risk_case(PERSON)
    assert case.kind == RISK_CASE_KIND and case.value("priors_count") == 3 and case.recorded.decile == 10
    assert parse_risk_case(case.to_document()) == case
    bad = copy.deepcopy(PERSON)
    bad["person"].update({"age": 17, "race": "Martian", "prior_count": 2})
    del bad["person"]["sex"]
    bad["recorded"] = {"decile_score": 8, "score_text": "Low"}
    bad["charge"] = "O"
    with pytest.raises(CaseValidationError) as caught:
        parse_risk_case(bad)
    found = {(v.field, v.rule) for v in caught.value.violations}
    assert found == {
        ("person.age", Rule.OUT_OF_RANGE), ("person.race", Rule.NOT_ALLOWED_VALUE),
        ("person.prior_count", Rule.UNKNOWN_FIELD), ("person.sex", Rule.MISSING_REQUIRED),
        ("recorded.score_text", Rule.CONTRADICTION), ("charge", Rule.UNKNOWN_CHARGE),
    }  # fmt: skip
    assert "did you mean 'person.priors_count'" in str(caught.value)
    path = tmp_path / "case.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(InputFileError, match=r"case\.json"):
        load_risk_case_file(path)


def test_a_changed_person_is_checked_by_the_same_rules_and_loses_the_recorded_score() -> None:
    case = parse_risk_case(PERSON)
    changed = case.with_changes({"priors_count": 0, "charge": "M"}, load_instrument())
    assert changed.value("priors_count") == 0 and changed.charge == "M" and changed.recorded is None
    with pytest.raises(CaseValidationError, match=r"person\.priors_count"):
        case.with_changes({"priors_count": -1}, load_instrument())


def test_each_operation_answers_only_for_its_kind_of_case(bundled_cases) -> None:
    registry = full_registry()
    assert set(registry.names_for(RISK_CASE_KIND)) == {
        "risk_predict", "risk_whatif", "risk_counterfactual", "risk_sensitivity", "risk_report",
        # the statements of the hearing of the algorithm and the model's filing, for every kind
        "party_submission", "technician_answer", "finding_disposition", "model_filing", "ai_notice",
        "deep_tier_demand",
    }  # fmt: skip
    assert "whatif" in registry.names_for("sentencing") and "risk_whatif" not in registry.names_for("sentencing")
    context = OperationContext(model=None)  # type: ignore[arg-type]  # refused before the model is touched
    with pytest.raises(OperationInputError, match="answers for sentencing cases, not risk_assessment"):
        registry.run("whatif", parse_risk_case(PERSON), {"changes": {"age": 30}}, context)
    with pytest.raises(OperationInputError, match="answers for risk_assessment cases, not sentencing"):
        registry.run("risk_whatif", bundled_cases[0], {"changes": {"age": 30}}, context)
