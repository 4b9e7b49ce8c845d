"""Sealing, verifying and replaying a pack of a 1,000-query hearing, measured side by side in one run.

Run: .venv/bin/python bench/bench_pack.py [--queries 1000] [--repeats 5]

A hearing on the embedded store (SQLite) with the reference model takes ``--queries`` open-court
queries of the kinds counsel ask (what-if, minimal change, sensitivity, recommendation, guideline),
is ruled and closed; then the judge seals it ``--repeats`` times (each a new version), the pack is
verified ``--repeats`` times and replayed once. Targets (issue 6): seal and verify median <= 2 s;
replay of 1,000 queries <= 60 s. The ratios printed are measured / target (below 1 meets it).
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from importlib import resources
from pathlib import Path

from evidence_pack import LocalTimestampAuthority, Match, TrustAnchors, replay_pack, verify_pack
from hearing.service import HearingService
from hearing.settings import settings_from_environment
from hearing.store import make_engine, migrate
from sentencing.model import ensure_reference_model

PASSWORD = "bench-password-1"
PASSPHRASE = "bench sealing passphrase"
CHANGES = ({"surrender": False}, {"restitution": False}, {"plea_agreement": False}, {"acts": 2},
           {"age_at_offence": 19}, {"restitution": False, "plea_agreement": False})  # fmt: skip


def _query_plan(count: int) -> list[tuple[str, dict[str, object]]]:
    plan: list[tuple[str, dict[str, object]]] = []
    for index in range(count):
        slot = index % 20
        if slot < 8:
            plan.append(("whatif", {"changes": CHANGES[index % len(CHANGES)]}))
        elif slot < 12:
            plan.append(("predict", {}))
        elif slot < 15:
            plan.append(("guideline", {}))
        elif slot < 19:
            plan.append(("counterfactual", {"target": {"high": 4.0 + index % 5}, "answers": 1}))
        else:
            plan.append(("sensitivity", {}))
    return plan


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="voirdire-bench-pack-"))
    engine = make_engine(f"sqlite:///{work / 'court.sqlite'}")
    migrate(engine)
    service = HearingService(engine, settings_from_environment())
    service.create_user(None, "clerk", PASSWORD, "clerk")
    tokens = {"clerk": service.login("clerk", PASSWORD)}
    for name, role in (("tech", "technologist"), ("judge", "judge"), ("defence", "defence")):
        service.create_user(tokens["clerk"], name, PASSWORD, role)
        tokens[name] = service.login(name, PASSWORD)
    model_id = service.register_model(
        tokens["tech"], str(ensure_reference_model(settings_from_environment().reference_model_dir))
    )
    document = json.loads(
        resources.files("sentencing").joinpath("data/cases/theft-non-local-unemployed.json").read_text()
    )
    service.create_case(tokens["clerk"], document)
    hearing = service.open_hearing(tokens["clerk"], document["case_id"], model_id, ["judge", "defence"])
    started = time.perf_counter()
    for operation, parameters in _query_plan(args.queries):
        service.query(tokens["defence"], hearing, operation, parameters)
    hearing_seconds = time.perf_counter() - started
    service.write_ruling(tokens["judge"], hearing, weighed_liability="amount", weighed_prevention="surrender",
                         particulars="", adopted_months=6.0, departure_reasons="bench")  # fmt: skip
    service.close_hearing(tokens["judge"], hearing)
    service.create_sealing_key(tokens["judge"], PASSPHRASE)
    service.certify_sealing_key(tokens["tech"], "judge")  # the court approves the judge's key
    tsa = LocalTimestampAuthority.create(work / "tsa", "bench TSA")

    seal_times, packs = [], []
    for _ in range(args.repeats):
        started = time.perf_counter()
        packs.append(service.seal(tokens["judge"], hearing, PASSPHRASE, work / "packs", authority=tsa))
        seal_times.append(time.perf_counter() - started)
    latest = packs[-1]
    published = work / "published"
    service.publish(tokens["judge"], published, tsa_root_pem=tsa.root_pem.read_bytes())
    anchors = TrustAnchors.from_published(published)
    docket = service.docket(tokens["judge"])
    verify_times = []
    for _ in range(args.repeats):
        started = time.perf_counter()
        verdict = verify_pack(latest.path, anchors, docket)
        verify_times.append(time.perf_counter() - started)
        assert verdict.ok, verdict.failed
    started = time.perf_counter()
    replay = replay_pack(latest.path, anchors, docket=docket)
    replay_seconds = time.perf_counter() - started

    size = sum(p.stat().st_size for p in latest.path.rglob("*") if p.is_file())
    seal_median, verify_median = statistics.median(seal_times), statistics.median(verify_times)
    print(f"hearing: {args.queries} open-court queries recorded in {hearing_seconds:.1f} s; pack {size / 1e6:.1f} MB")
    print(f"{'step':<10} {'median s':>9} {'max s':>7} {'target s':>9} {'ratio':>6}")
    print(f"{'seal':<10} {seal_median:>9.2f} {max(seal_times):>7.2f} {2.0:>9.1f} {seal_median / 2.0:>6.2f}")
    print(f"{'verify':<10} {verify_median:>9.2f} {max(verify_times):>7.2f} {2.0:>9.1f} {verify_median / 2.0:>6.2f}")
    print(f"{'replay':<10} {replay_seconds:>9.2f} {replay_seconds:>7.2f} {60.0:>9.1f} {replay_seconds / 60.0:>6.2f}")
    print(f"replay: {replay.count(Match.EXACT)} exact, {replay.count(Match.WITHIN_TOLERANCE)} within tolerance, "
          f"{replay.count(Match.DIFFERS)} differ, {replay.count(Match.FAILED)} failed "
          f"({len(replay.queries)} queries + the report); reproduced: {replay.ok}")  # fmt: skip
    print(f"work folder: {work}")


if __name__ == "__main__":
    main()
