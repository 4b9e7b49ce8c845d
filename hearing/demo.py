"""A demo court on the store: demo users, the reference model, the bundled case in an open hearing, and, when the
COMPAS surrogate has been fitted, a hearing on a risk score. For trying the app, never for real use."""

from __future__ import annotations

import json
import sys
from importlib import resources
from pathlib import Path

from hearing.service import HearingService
from sentencing.case import parse_case

__all__ = ["DEMO_CASE", "DEMO_PASSWORD", "DEMO_USERS", "RISK_DEMO_PERSON", "seed_demo", "seed_risk_demo"]

DEMO_CASE = "theft-non-local-unemployed"
DEMO_PASSWORD = "voirdire-demo"
RISK_DEMO_PERSON = 22  # ProPublica's data id: the tool recorded 10 (High); the public facts give Medium
DEMO_USERS = (("clerk", "clerk"), ("defence", "defence"), ("prosecution", "prosecution"), ("judge", "judge"),
              ("appeal", "appellate_judge"), ("tech", "technologist"))  # fmt: skip


def seed_demo(service: HearingService, reference_model: Path, surrogate_folder: Path) -> None:
    """An empty store gets demo users, the reference model and the bundled case in an open hearing."""
    if not service.store_is_empty():
        print("voirdire: the store already has users; nothing seeded", file=sys.stderr)
        return
    service.create_user(None, "clerk", DEMO_PASSWORD, "clerk")
    clerk = service.login("clerk", DEMO_PASSWORD)
    for name, role in DEMO_USERS[1:]:
        service.create_user(clerk, name, DEMO_PASSWORD, role)
    tech = service.login("tech", DEMO_PASSWORD)
    model_id = service.register_model(tech, str(reference_model))
    text = resources.files("sentencing").joinpath(f"data/cases/{DEMO_CASE}.json").read_text(encoding="utf-8")
    case = parse_case(json.loads(text), source=f"bundled case {DEMO_CASE}")
    service.create_case(clerk, case.to_document(), {"defendant_name": "张某 (demo)"})
    parties = ["defence", "prosecution", "judge", "appeal"]
    service.open_hearing(clerk, case.case_id, model_id, parties)
    names = ", ".join(name for name, _ in DEMO_USERS)
    print(f"demo users {names}; password {DEMO_PASSWORD!r} (a demo only: change them for real use)")
    seed_risk_demo(service, clerk, tech, parties, surrogate_folder)


def seed_risk_demo(service: HearingService, clerk: str, tech: str, parties: list[str], folder: Path) -> None:
    """When the COMPAS surrogate has been fitted (`voirdire risk surrogate`): a second hearing, on a risk score."""
    from explain_tiers.risk_report import recorded_scores
    from sentencing.models import load_model
    from sentencing.records import risk_case_from_record
    from sentencing.risk import load_instrument

    if not (folder / "surrogate.json").is_file():
        print("voirdire: no COMPAS surrogate fitted (`voirdire data compas && voirdire risk surrogate`); "
              "only the sentencing hearing was opened", file=sys.stderr)  # fmt: skip
        return
    model_id = service.register_model(tech, str(folder))
    instrument = load_instrument()
    frame, _ = recorded_scores(load_model(str(folder)), instrument)
    row = frame[frame[instrument.records.person_id] == RISK_DEMO_PERSON].iloc[0].to_dict()
    case = risk_case_from_record(row, instrument, case_id=f"compas-{RISK_DEMO_PERSON}")
    service.create_case(clerk, case.to_document())
    service.open_hearing(clerk, case.case_id, model_id, parties)
    print(f"and a hearing on the COMPAS score of {case.case_id} (recorded 10, High), answered by the surrogate")
