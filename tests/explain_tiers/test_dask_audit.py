"""The batch audit on a real Dask cluster on loopback (a scheduler and two worker processes): the workers read and
audit their own blocks of the file, the client merges, and the figures are the local run's."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from explain_tiers.batch_audit import run_batch_audit
from explain_tiers.dask_audit import run_batch_audit_dask
from sentencing.errors import InputError, InputFileError
from tests.cli.runner import envelope_result, run


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    from distributed import LocalCluster

    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                           dashboard_address=None, silence_logs=50)  # fmt: skip
    try:
        yield str(cluster.scheduler_address)
    finally:
        cluster.close()


def _judgments(adapter: Any) -> Path:
    return Path(adapter.artifact.folder) / "training-data" / "judgments.csv"


def _close(a: Any, b: Any, path: str = "") -> None:
    """Two audits' JSON equal: texts and counts exactly, figures to 1e-9 (sums added in another order)."""
    if isinstance(a, dict):
        assert a.keys() == b.keys(), path
        for key in a:
            _close(a[key], b[key], f"{path}.{key}")
    elif isinstance(a, list):
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            _close(x, y, f"{path}[{i}]")
    elif isinstance(a, float) and isinstance(b, float):
        assert a == pytest.approx(b, rel=1e-9, abs=1e-12), path
    else:
        assert a == b, path


def test_the_cluster_audits_its_blocks_and_gives_the_local_figures(scheduler: str, small_adapter: Any) -> None:
    data = _judgments(small_adapter)
    folder = str(small_adapter.artifact.folder)
    local = run_batch_audit(data, folder, chunk_rows=700, progress=False)
    audit, ran = run_batch_audit_dask(data, folder, scheduler, blocksize=data.stat().st_size // 6)
    assert ran.partitions >= 6 and len(ran.workers) == 2  # both workers read and audited blocks of their own
    assert audit.rows == local.rows == 3000
    _close(audit.to_dict(), local.to_dict())


def test_a_bad_cell_read_by_a_worker_is_one_line_naming_the_file_block_row_and_column(
    scheduler: str, small_adapter: Any, tmp_path: Path
) -> None:
    lines = _judgments(small_adapter).read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[2500].split(",")
    cells[header.index("amount_yuan")] = "lots"
    lines[2500] = ",".join(cells)
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputFileError) as raised:
        run_batch_audit_dask(bad, str(small_adapter.artifact.folder), scheduler, blocksize=bad.stat().st_size // 4)
    message = str(raised.value)
    assert "\n" not in message and str(bad) in message and "column amount_yuan: 'lots' is not a number" in message
    assert "block 4, row" in message  # the last of four blocks


def test_a_bad_or_silent_scheduler_is_one_line(small_adapter: Any) -> None:
    data, folder = _judgments(small_adapter), str(small_adapter.artifact.folder)
    with pytest.raises(InputError, match=r"^--scheduler: a scheduler address such as tcp://"):
        run_batch_audit_dask(data, folder, "10.0.0.5:8786; rm -rf /")
    with pytest.raises(
        InputError, match=r"^--scheduler: no Dask scheduler answered at tcp://127\.0\.0\.1:9 within 2 s"
    ):
        run_batch_audit_dask(data, folder, "tcp://127.0.0.1:9", timeout_seconds=2)


def test_the_court_changes_only_the_engine_on_the_command_line(
    scheduler: str, small_adapter: Any, env: dict[str, str]
) -> None:
    data = str(_judgments(small_adapter))
    local = run(["audit", "--data", data, "--json", "--no-progress"], env)
    on_cluster = run(["audit", "--data", data, "--engine", "dask", "--scheduler", scheduler, "--blocksize", "200000",
                      "--json"], env)  # fmt: skip
    assert local.returncode == 0 and on_cluster.returncode == 0, on_cluster.stderr
    assert "blocks of the file audited by 2 workers" in on_cluster.stderr
    _close(envelope_result(on_cluster, "audit"), envelope_result(local, "audit"))
    refused = run(["audit", "--data", data, "--engine", "dask"], env)
    assert refused.returncode == 2 and "--scheduler" in refused.stderr and len(refused.stderr.strip().splitlines()) == 1
    assert json.loads(local.stdout)["result"]["rows"] == 3000
