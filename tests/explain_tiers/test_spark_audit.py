"""The batch audit on Spark in local mode (``local[2]``: two executor threads, Python workers, Java from Debian): the
executors read and audit their own partitions, the driver merges, and the figures are the local run's. Spark starts in
about 13 s here, so one session serves the module, and the command line's own run is the only other start."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from explain_tiers.batch_audit import run_batch_audit
from explain_tiers.spark_audit import run_batch_audit_spark
from sentencing.errors import InputError, InputFileError
from tests.cli.runner import envelope_result, run
from tests.explain_tiers.test_dask_audit import _close, _judgments

MASTER = "local[2]"


@pytest.fixture(scope="module")
def session() -> Iterator[Any]:
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.master(MASTER).appName("voirdire tests").config("spark.ui.enabled", "false")
    spark = (
        builder.config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1").getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    try:
        yield spark
    finally:
        spark.stop()


def test_the_executors_audit_their_partitions_and_give_the_local_figures(session: Any, small_adapter: Any) -> None:
    data = _judgments(small_adapter)
    folder = str(small_adapter.artifact.folder)
    local = run_batch_audit(data, folder, chunk_rows=700, progress=False)
    audit, ran = run_batch_audit_spark(data, folder, MASTER, partition_bytes=data.stat().st_size // 5)
    assert ran.partitions >= 5 and len(ran.workers) >= 1 and ran.master == MASTER
    assert audit.rows == local.rows == 3000
    _close(audit.to_dict(), local.to_dict())
    assert session.sparkContext.master == MASTER  # the running session was used, and left running


def test_a_bad_cell_in_a_partition_is_one_line_naming_the_file_partition_row_and_column(
    session: Any, small_adapter: Any, tmp_path: Path
) -> None:
    lines = _judgments(small_adapter).read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[10].split(",")
    cells[header.index("charge")] = "arson"
    lines[10] = ",".join(cells)
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputFileError) as raised:
        run_batch_audit_spark(bad, str(small_adapter.artifact.folder), MASTER, partition_bytes=bad.stat().st_size // 3)
    message = str(raised.value)
    assert "\n" not in message and str(bad) in message and "partition 1, row 10, column charge: 'arson'" in message


def test_a_bad_master_or_file_is_one_line(small_adapter: Any, tmp_path: Path) -> None:
    folder = str(small_adapter.artifact.folder)
    with pytest.raises(InputError, match=r"^--master: a Spark master such as local\[2\]"):
        run_batch_audit_spark(_judgments(small_adapter), folder, "local[2]; curl evil")
    with pytest.raises(InputFileError, match=r"no such file"):
        run_batch_audit_spark(tmp_path / "none.csv", folder, MASTER)


def test_the_court_changes_only_the_engine_on_the_command_line(small_adapter: Any, env: dict[str, str]) -> None:
    data = str(_judgments(small_adapter))
    local = run(["audit", "--data", data, "--json", "--no-progress"], env)
    on_spark = run(["audit", "--data", data, "--engine", "spark", "--master", MASTER, "--blocksize", "300000",
                    "--json"], env)  # fmt: skip
    assert local.returncode == 0 and on_spark.returncode == 0, on_spark.stderr[-2000:]
    assert "partitions of the file audited by" in on_spark.stderr
    _close(envelope_result(on_spark, "audit"), envelope_result(local, "audit"))
    refused = run(["audit", "--data", data, "--engine", "spark"], env)
    assert refused.returncode == 2 and "--master" in refused.stderr and len(refused.stderr.strip().splitlines()) == 1
