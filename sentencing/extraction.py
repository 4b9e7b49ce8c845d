"""The extraction record: how a case was read from a text, travelling with the case into the hearing and the pack.

A case read by ``sentencing.reading`` carries, in its document's ``extraction`` block, every fact the reader
found with the character offsets, the quoted sentence and the rule that found it, what the text did not state,
the contradictions it reported, and the party's confirmations and corrections. This module holds only the
record's checks (a case document from outside is hostile) and its canonical form; the reader writes it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from sentencing.errors import Rule, Violation
from sentencing.excerpts import excerpt

__all__ = ["EXTRACTION_SCHEMA_VERSION", "MAX_EXTRACTION_CHARS", "canonical_extraction", "check_extraction"]

EXTRACTION_SCHEMA_VERSION = "1.0"
#: the record's canonical JSON is bounded: a judgment of 100,000 characters quotes far less than this
MAX_EXTRACTION_CHARS = 400_000

_KEYS = {"schema_version", "reader_version", "text_sha256", "text_length", "document_kind", "charge", "facts",
         "missing", "contradictions", "confirmation"}  # fmt: skip
_FACT_KEYS = {"field", "value", "how", "sources", "note"}
_SOURCE_KEYS = {"start", "end", "quote", "rule"}


def _source_problem(source: object, where: str, length: int) -> Violation | None:
    if not isinstance(source, dict) or set(source) != _SOURCE_KEYS:
        return Violation(where, Rule.WRONG_TYPE, f"expected an object with {sorted(_SOURCE_KEYS)}")
    start, end = source["start"], source["end"]
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (start, end)) or not 0 <= start <= end <= length:
        return Violation(where, Rule.OUT_OF_RANGE, f"offsets must satisfy 0 <= start <= end <= {length}, "
                                                  f"found {excerpt(start)}..{excerpt(end)}")  # fmt: skip
    if not isinstance(source["quote"], str) or not isinstance(source["rule"], str) or not source["rule"]:
        return Violation(where, Rule.WRONG_TYPE, "quote and rule must be texts")
    return None


def check_extraction(record: object, field: str = "extraction") -> list[Violation]:
    """The structural rules of an extraction record (the values themselves are checked as the case's)."""
    if not isinstance(record, dict):
        return [Violation(field, Rule.WRONG_TYPE, f"expected an object, found {type(record).__name__}")]
    unknown = sorted(set(record) - _KEYS)
    if unknown:
        return [Violation(f"{field}.{unknown[0]}", Rule.UNKNOWN_FIELD, f"expected one of {', '.join(sorted(_KEYS))}")]
    if record.get("schema_version") != EXTRACTION_SCHEMA_VERSION:
        return [
            Violation(
                f"{field}.schema_version",
                Rule.UNSUPPORTED_SCHEMA,
                f"expected {EXTRACTION_SCHEMA_VERSION!r}, found {excerpt(record.get('schema_version'))}",
            )
        ]
    length = record.get("text_length")
    if not isinstance(length, int) or isinstance(length, bool) or length < 0:
        return [Violation(f"{field}.text_length", Rule.WRONG_TYPE, "expected a non-negative integer")]
    digest = record.get("text_sha256")
    if not isinstance(digest, str) or len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
        return [Violation(f"{field}.text_sha256", Rule.WRONG_TYPE, "expected 64 lower-case hex digits")]
    facts = record.get("facts")
    if not isinstance(facts, list):
        return [Violation(f"{field}.facts", Rule.WRONG_TYPE, "expected a list")]
    for i, fact in enumerate(facts):
        where = f"{field}.facts[{i}]"
        if not isinstance(fact, dict) or not {"field", "value", "how", "sources"} <= set(fact) <= _FACT_KEYS:
            return [Violation(where, Rule.WRONG_TYPE, f"expected an object with {sorted(_FACT_KEYS)}")]
        if not isinstance(fact["sources"], list):
            return [Violation(f"{where}.sources", Rule.WRONG_TYPE, "expected a list")]
        for j, source in enumerate(fact["sources"]):
            problem = _source_problem(source, f"{where}.sources[{j}]", length)
            if problem is not None:
                return [problem]
    for key in ("missing", "contradictions"):
        if not isinstance(record.get(key, []), list):
            return [Violation(f"{field}.{key}", Rule.WRONG_TYPE, "expected a list")]
    if not isinstance(record.get("confirmation", {}), dict):
        return [Violation(f"{field}.confirmation", Rule.WRONG_TYPE, "expected an object")]
    if len(canonical_extraction(record)) > MAX_EXTRACTION_CHARS:
        return [Violation(field, Rule.FILE_TOO_LARGE, f"the record is longer than {MAX_EXTRACTION_CHARS} characters")]
    return []


def canonical_extraction(record: Mapping[str, Any]) -> str:
    """The record as canonical JSON text (sorted keys), the form a case holds and a digest covers."""
    return json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
