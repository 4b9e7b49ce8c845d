"""The hash chain over a hearing's record: each entry carries the sha256 of the one before it.

An entry's digest is the sha256 of one line of canonical JSON (:func:`entry_line`): everything the
entry says except its own digest, with the result present as its sha256. In a pack, ``log.jsonl``
holds exactly those lines, so the chain can be re-computed with ``sha256sum`` alone; the results
sit line for line in ``results.jsonl``.

A hearing's chain starts at :data:`GENESIS`; an appellate session's chain starts at the digest of
the pack it examines, so its record is tied to that pack.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sentencing.canonical import canonical_json, sha256_bytes
from sentencing.operations import OperationOutcome

__all__ = ["ENTRY_FIELDS", "GENESIS", "ChainVerification", "entry_digest", "entry_line", "next_entry", "verify_entries"]

GENESIS = "0" * 64
ENTRY_FIELDS = ("seq", "time", "party", "operation", "parameters", "result_sha256", "model_sha256", "seed",
                "prev_sha256")  # fmt: skip


@dataclass(frozen=True)
class ChainVerification:
    ok: bool
    length: int
    head: str
    problems: tuple[str, ...]


def entry_line(chain_id: int | str, entry: Mapping[str, Any]) -> bytes:
    """The canonical line whose sha256 is the entry's digest (``chain_id``: the hearing, or the appeal)."""
    body: dict[str, Any] = {"hearing_id": chain_id}
    for field in ENTRY_FIELDS:
        body[field] = entry[field]
    return canonical_json(body)


def next_entry(chain_id: int | str, seq: int, time: str, party: str, outcome: OperationOutcome,
               prev_sha256: str) -> dict[str, Any]:  # fmt: skip
    """The record entry for one answered query, with its digest (``entry_sha256``); the result stays apart."""
    entry: dict[str, Any] = {
        "seq": seq,
        "time": time,
        "party": party,
        "operation": outcome.operation,
        "parameters": dict(outcome.parameters),
        "result_sha256": outcome.result_sha256,
        "model_sha256": outcome.model_sha256,
        "seed": outcome.seed,
        "prev_sha256": prev_sha256,
    }
    entry["entry_sha256"] = entry_digest(chain_id, entry)
    return entry


def entry_digest(chain_id: int | str, entry: Mapping[str, Any]) -> str:
    """sha256 over everything an entry says except its own digest (and the result, present as its digest)."""
    return sha256_bytes(entry_line(chain_id, entry))


def verify_entries(
    chain_id: int | str,
    entries: Iterable[Mapping[str, Any]],
    expected_head: str | None = None,
    *,
    genesis: str = GENESIS,
    check_results: bool = True,
) -> ChainVerification:
    """Check order, completeness and content of a record; names the first entry where it breaks.

    Each entry needs the fields of :data:`ENTRY_FIELDS`, ``entry_sha256`` and (with ``check_results``)
    ``result``. ``expected_head`` is the head recorded elsewhere (the ruling, a signed statement).
    """
    problems: list[str] = []
    previous = genesis
    ordered = sorted(entries, key=lambda e: int(e["seq"]))
    for position, entry in enumerate(ordered, start=1):
        if entry["seq"] != position:
            problems.append(f"entry {position}: sequence number {entry['seq']} (an entry is missing or out of place)")
            break
        if entry["prev_sha256"] != previous:
            problems.append(
                f"entry {position}: does not follow entry {position - 1} "
                f"(entry {position - 1} was edited, or entries were removed or reordered)"
            )
            break
        if check_results and sha256_bytes(canonical_json(entry["result"])) != entry["result_sha256"]:
            problems.append(f"entry {position}: the result was changed after it was recorded")
            break
        if entry_digest(chain_id, entry) != entry["entry_sha256"]:
            problems.append(f"entry {position}: its contents were changed after it was recorded")
            break
        previous = entry["entry_sha256"]
    if not problems and expected_head is not None and previous != expected_head:
        problems.append(
            f"the record ends at {previous[:12]}…, not at the recorded head {expected_head[:12]}… (entries removed)"
        )
    return ChainVerification(not problems, len(ordered), previous, tuple(problems))
