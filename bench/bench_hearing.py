"""The hearing under load, on SQLite and PostgreSQL side by side.

Run: .venv/bin/python bench/bench_hearing.py [--postgres URL] [--queries 1000] [--parties 8] [--entries 100000]

- what-if through the service including the durable append: p50 / p95 (target p95 <= 50 ms);
- 8 parties in 8 processes issuing 1,000 what-if queries in total to one hearing: lost or forked
  entries (must be 0), verification, throughput;
- verification of a 100,000-entry record (target <= 5 s); the chain is built with the same digest
  function the service uses and inserted in bulk, then read back and verified by the service.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from importlib import resources
from pathlib import Path

import numpy as np
import sqlalchemy as sa

from evidence_pack.chain import GENESIS, entry_digest
from hearing.service import HearingService
from hearing.settings import settings_from_environment
from hearing.store import make_engine, migrate
from sentencing.canonical import canonical_json, sha256_bytes
from sentencing.model import ensure_reference_model

PASSWORD = "bench-password-1"
ROOT = Path(__file__).resolve().parents[1]


def _court(url: str, model_folder: Path, parties: int) -> tuple[HearingService, dict[str, str], int]:
    engine = make_engine(url)
    migrate(engine)
    service = HearingService(engine, settings_from_environment())
    service.create_user(None, "clerk", PASSWORD, "clerk")
    tokens = {"clerk": service.login("clerk", PASSWORD)}
    for name, role in [("tech", "technologist"), ("judge", "judge")] + [(f"p{i}", "defence") for i in range(parties)]:
        service.create_user(tokens["clerk"], name, PASSWORD, role)
        tokens[name] = service.login(name, PASSWORD)
    model_id = service.register_model(tokens["tech"], str(model_folder))
    document = json.loads(
        resources.files("sentencing").joinpath("data/cases/theft-non-local-unemployed.json").read_text()
    )
    service.create_case(tokens["clerk"], document)
    names = ["judge"] + [f"p{i}" for i in range(parties)]
    return service, tokens, service.open_hearing(tokens["clerk"], document["case_id"], model_id, names)


def _postgres(admin: str) -> str:
    name = f"voirdire_bench_{uuid.uuid4().hex[:8]}"
    with sa.create_engine(admin, isolation_level="AUTOCOMMIT").connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    return admin.rsplit("/", 1)[0] + f"/{name}"


def _drop(admin: str, url: str) -> None:
    with sa.create_engine(admin, isolation_level="AUTOCOMMIT").connect() as connection:
        connection.exec_driver_sql(f'DROP DATABASE "{url.rsplit("/", 1)[1]}" WITH (FORCE)')


def run(label: str, url: str, model_folder: Path, args: argparse.Namespace) -> dict[str, float]:
    service, tokens, hearing = _court(url, model_folder, args.parties)
    for _ in range(5):
        service.query(tokens["p0"], hearing, "whatif", {"changes": {"restitution": True}})
    times = []
    for i in range(200):
        start = time.perf_counter()
        service.query(tokens["p0"], hearing, "whatif", {"changes": {"acts": 1 + i % 5}})
        times.append(time.perf_counter() - start)
    before = len(service.record(tokens["judge"], hearing))
    each = args.queries // args.parties
    start = time.perf_counter()
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "hearing.load_client", url, f"p{i}", PASSWORD, str(hearing), str(each)],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(args.parties)
    ]
    failures = [w.communicate()[1][-500:] for w in workers if w.wait() != 0]
    elapsed = time.perf_counter() - start
    entries = service.record(tokens["judge"], hearing)
    seqs = [e.seq for e in entries]
    lost = before + each * args.parties - len(entries)
    forked = len(seqs) - len(set(seqs)) + sum(1 for a, b in itertools.pairwise(seqs) if b != a + 1)
    verified = service.verify(tokens["judge"], hearing).ok

    # a 100,000-entry record, built with the service's own digest function, then verified by the service
    big = service.open_hearing(tokens["clerk"], "theft-non-local-unemployed", 1, ["judge"])
    result = canonical_json({"recommended_months": 7.0}).decode()
    result_sha = sha256_bytes(result.encode())
    previous, rows = GENESIS, []
    for seq in range(1, args.entries + 1):
        entry = {
            "seq": seq,
            "time": f"2026-01-01T00:00:{seq % 60:02d}",
            "party": "p0 (defence)",
            "operation": "predict",
            "parameters": {},
            "result_sha256": result_sha,
            "model_sha256": None,
            "seed": 0,
            "prev_sha256": previous,
        }
        digest = entry_digest(big, entry)
        rows.append({**entry, "hearing_id": big, "parameters": "{}", "result": result, "entry_sha256": digest})
        previous = digest
    with make_engine(url).begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO record_entries (hearing_id, seq, time, party, operation, parameters, result,"
                " result_sha256, model_sha256, seed, prev_sha256, entry_sha256) VALUES (:hearing_id, :seq, :time,"
                " :party, :operation, :parameters, :result, :result_sha256, :model_sha256, :seed, :prev_sha256,"
                " :entry_sha256)"
            ),
            rows,
        )
    start = time.perf_counter()
    big_result = service.verify(tokens["judge"], big)
    verify_seconds = time.perf_counter() - start
    return {
        "p50": float(np.percentile(times, 50)) * 1000,
        "p95": float(np.percentile(times, 95)) * 1000,
        "lost": lost,
        "forked": forked,
        "verified": verified and not failures,
        "throughput": each * args.parties / elapsed,
        "verify_s": verify_seconds,
        "verify_ok": big_result.ok and big_result.length == args.entries,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    default_admin = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
    parser.add_argument("--postgres", default=os.environ.get("VOIRDIRE_BENCH_POSTGRES", default_admin))
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--parties", type=int, default=8)
    parser.add_argument("--entries", type=int, default=100_000)
    args = parser.parse_args()
    os.environ.setdefault("TQDM_DISABLE", "1")
    model_folder = ensure_reference_model(settings_from_environment().reference_model_dir)
    rows = {}
    with tempfile.TemporaryDirectory() as folder:
        rows["sqlite"] = run("sqlite", f"sqlite:///{folder}/bench.sqlite", model_folder, args)
    url = _postgres(args.postgres)
    try:
        rows["postgresql"] = run("postgresql", url, model_folder, args)
    finally:
        _drop(args.postgres, url)
    print(
        f"{'store':<11} {'what-if p50':>11} {'p95 ms':>7} {'lost':>5} {'forked':>7} {'verified':>9} {'queries/s':>10}"
        f" {'verify 100k s':>14}"
    )
    for name, r in rows.items():
        print(
            f"{name:<11} {r['p50']:11.1f} {r['p95']:7.1f} {r['lost']:5.0f} {r['forked']:7.0f} {r['verified']!s:>9}"
            f" {r['throughput']:10.1f} {r['verify_s']:14.2f}{'' if r['verify_ok'] else ' (FAILED)'}"
        )
    ratio = rows["postgresql"]["throughput"] / rows["sqlite"]["throughput"]
    print(f"postgresql/sqlite throughput ratio: {ratio:.2f}")
    met = all(
        r["p95"] <= 50 and r["lost"] == 0 and r["forked"] == 0 and r["verified"] and r["verify_s"] <= 5
        for r in rows.values()
    )
    print(f"targets (p95 <= 50 ms, 0 lost, 0 forked, verify 100k <= 5 s): {'met' if met else 'NOT met'}")


if __name__ == "__main__":
    main()
