"""The batch audit on Spark: the executors read their own partitions of the case file and audit them; the driver only
merges (issue 21). The one adapter of ``pyspark``.

``spark.read.csv`` splits the file into partitions of at most ``partition_bytes`` (every column read as text); each
partition goes through ``mapInPandas`` on an executor, batch by batch: checked as any chunk of a case file is checked
(``batch_audit.check_chunk``), audited by the same pure function as the local run (``batch_audit.audit_chunk``, the
model loaded once per Python worker and checked against its sha256), and the partition's partial returned as one row
(pickled). The driver collects those rows, merges them in partition order and finishes the audit: the local run's
figures (to rounding in sums added in another order). An error in a partition (a bad cell) comes back as that row's
error and is raised on the driver as the same one-line error.
"""

from __future__ import annotations

import os
import pickle
import re
import sys
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from explain_tiers.batch_audit import (
    AuditContext,
    AuditPartial,
    BatchAudit,
    audit_chunk,
    check_chunk,
    finish_audit,
    open_audit,
)
from sentencing.errors import InputError, Rule, VoirdireError
from sentencing.excerpts import excerpt

__all__ = ["SparkRun", "run_batch_audit_spark"]

_MASTER = re.compile(r"local(\[(\d{1,3}|\*)\])?|(spark|k8s|mesos)://[A-Za-z0-9.\-\[\]:/]{1,200}|yarn")
_SCHEMA = "partition long, rows long, partial binary, error binary, worker string"


@dataclass(frozen=True)
class SparkRun:
    """Where the audit ran: the master, how many partitions the file was read in, and the processes that audited
    them (host:pid)."""

    master: str
    partitions: int
    workers: tuple[str, ...]


def _audit_partitions(context: AuditContext, path: str) -> Any:
    """The function ``mapInPandas`` runs on each partition: its batches checked and audited, one row back."""

    def audit(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        import socket

        from pyspark import TaskContext

        task = TaskContext.get()
        partition = task.partitionId() if task is not None else 0
        partial, error = AuditPartial(), b""
        try:
            for batch in batches:
                checked = check_chunk(batch.reset_index(drop=True), path, where=f"partition {partition + 1}")
                partial = partial.merge(audit_chunk(checked, context))
        except VoirdireError as exc:  # sent back whole, raised on the driver as it is
            error = pickle.dumps(exc)
        worker = f"{socket.gethostname()}:{os.getpid()}"
        yield pd.DataFrame({"partition": [partition], "rows": [partial.rows], "partial": [pickle.dumps(partial)],
                            "error": [error], "worker": [worker]})  # fmt: skip

    return audit


def run_batch_audit_spark(
    data: Path,
    model_location: str,
    master: str,
    *,
    partition_bytes: int = 64 * 2**20,
    threshold_months: float = 0.5,
    finding_percent: float = 2.0,
    model_sha256: str | None = None,
) -> tuple[BatchAudit, SparkRun]:
    """The batch audit of ``data`` by Spark at ``master`` (``local[2]``, ``spark://host:7077``, ``yarn``, …). A
    session already running in this process with that master is used and left running; else one is started and
    stopped."""
    if not _MASTER.fullmatch(master):
        example = "a Spark master such as local[2] or spark://10.0.0.5:7077"
        raise InputError("--master", Rule.BAD_PARAMETER, f"{example}, not {excerpt(master, 80)}")
    if partition_bytes < 1024:
        raise InputError(f"partition bytes {partition_bytes}", Rule.OUT_OF_RANGE, "must be at least 1024 bytes")
    context, _ = open_audit(data, model_location, model_sha256, threshold_months)
    from pyspark.sql import SparkSession

    running = SparkSession.getActiveSession()
    own = running is None or running.sparkContext.master != master
    builder = SparkSession.builder.master(master).appName("voirdire batch audit").config("spark.ui.enabled", "false")
    if master.startswith("local"):  # loopback only
        builder = builder.config("spark.driver.bindAddress", "127.0.0.1").config("spark.driver.host", "127.0.0.1")
    spark = builder.getOrCreate() if own else running
    assert spark is not None
    if master.startswith("local"):  # the Python workers run this process's Python (with voirdire and its packages);
        spark.sparkContext.pythonExec = sys.executable  # a cluster's are the court's (PYSPARK_PYTHON, read by Spark)
    try:
        spark.conf.set("spark.sql.files.maxPartitionBytes", str(partition_bytes))
        spark.conf.set("spark.sql.files.openCostInBytes", "0")
        frame = spark.read.csv(str(data), header=True, inferSchema=False, enforceSchema=False)
        with warnings.catch_warnings():
            # PySpark 4.3 warns that it does not yet fully support pandas 3; what the audit uses of it (a partition's
            # batches as frames, one small frame back) is tested to give the local run's figures
            warnings.filterwarnings(
                "ignore", message="PySpark does not yet fully support pandas", category=FutureWarning
            )
            rows = frame.mapInPandas(_audit_partitions(context, str(data)), schema=_SCHEMA).collect()
    finally:
        if own:
            spark.stop()
    rows = sorted(rows, key=lambda row: int(row["partition"]))
    for row in rows:
        if row["error"]:
            raise pickle.loads(bytes(row["error"]))  # our own workers' error, this run's
    partial = AuditPartial()
    for row in rows:  # in partition order: the same figures on every run
        partial = partial.merge(pickle.loads(bytes(row["partial"])))  # our own workers' partials
    # one row per partition: their count is the partitions'
    workers = tuple(sorted({str(row["worker"]) for row in rows}))
    return finish_audit(partial, context, finding_percent), SparkRun(master, len(rows), workers)
