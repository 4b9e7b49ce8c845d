"""The batch audit on a Dask cluster: the workers read their own blocks of the case file and audit them; this process
only merges (issue 21). The one adapter of ``dask`` and ``distributed``.

``dask.dataframe.read_csv`` cuts the file into blocks of ``blocksize`` bytes at line ends; each block becomes a task
that a worker runs: it reads the block from the file (a path every worker can reach: the same machine, or a shared file
system), checks it as any chunk of a case file is checked (``batch_audit.check_chunk``: every feature column present,
typed, with known values) and computes the same pure partial as the local run (``batch_audit.audit_chunk``, the model
loaded once per worker and checked against its sha256). The client prepares the context (the model's population and
factors, as locally), gathers the small partials and merges them in the file's order: the figures are the local run's
(to rounding in the last digits of sums added in another order). The client reads the file's first bytes only (the
header, for the columns).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

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
from sentencing.errors import InputError, InputFileError, Rule
from sentencing.excerpts import excerpt

__all__ = ["DaskRun", "run_batch_audit_dask"]

_ADDRESS = re.compile(r"(tcp|tls|inproc|ws|wss)://[A-Za-z0-9.\-\[\]:]{1,200}")


@dataclass(frozen=True)
class DaskRun:
    """Where the audit ran: the scheduler, how many blocks the file was cut into, and the workers that audited them."""

    scheduler: str
    partitions: int
    workers: tuple[str, ...]


def _audit_block(block: pd.DataFrame, context: AuditContext, index: int, path: str) -> tuple[AuditPartial, str]:
    """One block, on a worker: checked, audited; returned with the worker's address."""
    from distributed import get_worker

    checked = check_chunk(block.reset_index(drop=True), path, where=f"block {index + 1}")
    return audit_chunk(checked, context), str(get_worker().address)


def run_batch_audit_dask(
    data: Path,
    model_location: str,
    scheduler: str,
    *,
    blocksize: int = 64 * 2**20,
    threshold_months: float = 0.5,
    finding_percent: float = 2.0,
    model_sha256: str | None = None,
    timeout_seconds: float = 30.0,
) -> tuple[BatchAudit, DaskRun]:
    """The batch audit of ``data`` by the cluster whose scheduler is at ``scheduler`` (``tcp://host:port``)."""
    if not _ADDRESS.fullmatch(scheduler):
        raise InputError("--scheduler", Rule.BAD_PARAMETER,
                         f"a scheduler address such as tcp://10.0.0.5:8786, not {excerpt(scheduler, 80)}")  # fmt: skip
    if blocksize < 1024:
        raise InputError(f"blocksize {blocksize}", Rule.OUT_OF_RANGE, "must be at least 1024 bytes")
    import dask.dataframe as dd
    from dask.delayed import delayed
    from distributed import Client

    context, _ = open_audit(data, model_location, model_sha256, threshold_months)
    try:
        # every column as text, each block's numbers typed by check_chunk on its worker (as a local chunk's are): dask
        # would otherwise guess a column's type from the file's first bytes and fail on a later block
        frame = dd.read_csv(str(data), blocksize=blocksize, dtype=str, keep_default_na=False)
    except FileNotFoundError:
        raise InputFileError(str(data), Rule.FILE_UNREADABLE, "no such file") from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError, ValueError) as exc:
        raise InputFileError(
            str(data), Rule.FILE_UNREADABLE, f"not a readable CSV ({excerpt(str(exc), 120)})"
        ) from None
    blocks = frame.to_delayed()
    tasks = [delayed(_audit_block)(block, context, i, str(data)) for i, block in enumerate(blocks)]
    try:
        client = Client(scheduler, timeout=timeout_seconds, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise InputError("--scheduler", Rule.BAD_PARAMETER,
                         f"no Dask scheduler answered at {scheduler} within {timeout_seconds:g} s "
                         f"({excerpt(str(exc), 120)})") from None  # fmt: skip
    try:
        results: list[tuple[AuditPartial, str]] = client.gather(client.compute(tasks))
    finally:
        client.close()
    partial = AuditPartial()
    for result, _ in results:  # in the file's order: the same figures on every run
        partial = partial.merge(result)
    workers = tuple(sorted({worker for _, worker in results}))
    return finish_audit(partial, context, finding_percent), DaskRun(scheduler, len(tasks), workers)
