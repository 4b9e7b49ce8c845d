"""The record under real concurrency and a real kill: separate processes, each its own connection."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import text

from tests.hearing.store_fixtures import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
PARTIES = 8
EACH = 12


def _worker(url: str, user: str, hearing: int, count: int) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "hearing.load_client", url, user, PASSWORD, str(hearing), str(count)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "TQDM_DISABLE": "1"},
    )  # fmt: skip


def test_concurrent_parties_never_fork_or_lose_an_entry(court, database_url) -> None:
    service, clerk = court.service, court.tokens["clerk"]
    users = []
    for i in range(PARTIES):
        name = f"counsel{i}"
        service.create_user(clerk, name, PASSWORD, "defence" if i % 2 else "prosecution")
        users.append(name)
    hearing = service.open_hearing(clerk, court.case_id, court.model_id, [*users, "judge"])
    workers = [_worker(database_url, user, hearing, EACH) for user in users]
    for worker in workers:
        _out, err = worker.communicate(timeout=300)
        assert worker.returncode == 0, err[-2000:]
    entries = service.record(court.tokens["judge"], hearing)
    assert [e.seq for e in entries] == list(range(1, PARTIES * EACH + 1))
    assert {e.party.split(" ")[0] for e in entries} == set(users)
    assert all(sum(e.party.startswith(u + " ") for e in entries) == EACH for u in users)
    assert service.verify(court.tokens["judge"], hearing).ok


def test_a_killed_party_leaves_the_whole_entry_or_none(court, database_url, engine) -> None:
    service = court.service
    for round_ in range(3):
        worker = _worker(database_url, "defence", court.hearing_id, -1)
        deadline = time.monotonic() + 60
        started = len(service.record(court.tokens["judge"], court.hearing_id))
        while len(service.record(court.tokens["judge"], court.hearing_id)) < started + 3 + round_:
            assert time.monotonic() < deadline and worker.poll() is None, worker.stderr.read() if worker.stderr else ""
            time.sleep(0.02)
        worker.send_signal(signal.SIGKILL)
        worker.communicate(timeout=30)
        assert worker.returncode == -signal.SIGKILL
    result = service.verify(court.tokens["judge"], court.hearing_id)
    assert result.ok, result.problems
    with engine.connect() as connection:
        incomplete = connection.execute(
            text("SELECT count(*) FROM record_entries WHERE result = '' OR entry_sha256 = '' OR result_sha256 = ''")
        ).scalar_one()
    assert incomplete == 0
    # the chain continues after the kills
    service.query(court.tokens["prosecution"], court.hearing_id, "predict", {})
    assert service.verify(court.tokens["judge"], court.hearing_id).ok
