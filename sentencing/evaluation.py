"""The law's yardstick measured against real judgments: how often a court's real outcome falls where the guideline
says it may, and how close the guideline (and a model) come.

A *judgment record* is one decided case: its facts as a case document of the catalogue, and the real outcome
(the custodial term in months, 拘役 and fixed-term imprisonment alike; 0 where no custodial term was imposed; the
fine when known). Files are JSON lines ``{"id", "case": {...}, "real": {"months", "fine_yuan"}}`` or a CSV with a
column per case field and ``real_months`` (and ``real_fine_yuan``); every line is checked by the case rules and a
bad one is refused by file, line and field.

For each record: the guideline's recommendation, its judge's ±20% band and its range over the circumstances'
legal ratios; whether the real term lies in each; the absolute error; the CAIL2018 prison-term score
(v = |ln(real+1) − ln(guideline+1)|: 1.0 if v ≤ 0.2 … 0 above 1.0; Xiao et al., arXiv:1807.02478); and, with a
model, the same for the model. Summaries are by charge and overall; the worst cases are listed by v.
"""

from __future__ import annotations

import csv
import hashlib
import heapq
import io
import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sentencing.case import Case, grouped_values, parse_case
from sentencing.catalogue import FactorType, load_catalogue
from sentencing.errors import CaseValidationError, InputError, InputFileError, Rule
from sentencing.excerpts import excerpt
from sentencing.guideline import MonthRange, derive_sentence
from sentencing.jurisdiction import Jurisdiction
from sentencing.untrusted import parse_json, read_untrusted_file, untrusted_lines

__all__ = [
    "EVALUATION_SCHEMA_VERSION",
    "NEUTRAL_DEFENDANT",
    "ChargeSummary",
    "Evaluation",
    "JudgmentComparison",
    "JudgmentFile",
    "JudgmentRecord",
    "RealOutcome",
    "cail_score",
    "compare_judgment",
    "evaluate_judgments",
    "held_out",
    "read_judgments",
    "summarise",
]

EVALUATION_SCHEMA_VERSION = "1.0"
_MAX_FILE_BYTES = 64 << 30
_MAX_CSV_BYTES = 512 << 20
_WORST = 10


def cail_score(real_months: float, predicted_months: float) -> float:
    """The CAIL2018 prison-term score of one prediction (1.0, 0.8, ..., 0 by steps of 0.2 in |ln(t+1) − ln(p+1)|)."""
    v = abs(math.log(real_months + 1.0) - math.log(max(predicted_months, 0.0) + 1.0))
    for limit, score in ((0.2, 1.0), (0.4, 0.8), (0.6, 0.6), (0.8, 0.4), (1.0, 0.2)):
        if v <= limit + 1e-12:
            return score
    return 0.0


@dataclass(frozen=True)
class RealOutcome:
    months: float  # the custodial term (拘役 or fixed-term), 0 when none was imposed
    fine_yuan: float | None = None


@dataclass(frozen=True)
class JudgmentRecord:
    judgment_id: str
    case: Case
    real: RealOutcome
    text: str | None = None  # the judgment's own text (CAIL2018 'fact'), kept only when the file is asked to


@dataclass(frozen=True)
class JudgmentComparison:
    judgment_id: str
    charge: str
    real_months: float
    guideline_months: float
    judicial_band: MonthRange
    circumstance_range: MonthRange
    model_months: float | None

    @property
    def inside_band(self) -> bool:
        return self.judicial_band.contains(self.real_months)

    @property
    def inside_range(self) -> bool:
        return self.circumstance_range.contains(self.real_months)

    @property
    def distance(self) -> float:
        """|ln(real+1) − ln(guideline+1)|: how far apart, as the CAIL score measures it."""
        return abs(math.log(self.real_months + 1.0) - math.log(self.guideline_months + 1.0))

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.judgment_id, "charge": self.charge, "real_months": self.real_months,
            "guideline_months": self.guideline_months,
            "judicial_band": [self.judicial_band.low, self.judicial_band.high],
            "circumstance_range": [self.circumstance_range.low, self.circumstance_range.high],
            "inside_band": self.inside_band, "inside_range": self.inside_range,
            "cail_score": cail_score(self.real_months, self.guideline_months), "model_months": self.model_months,
        }  # fmt: skip


def compare_judgment(record: JudgmentRecord, jurisdiction: Jurisdiction | None = None,
                     model_months: float | None = None) -> JudgmentComparison:  # fmt: skip
    derivation = derive_sentence(record.case, jurisdiction)
    return JudgmentComparison(
        record.judgment_id, record.case.charge, record.real.months, derivation.recommended_months,
        derivation.judicial_band, derivation.circumstance_range, model_months,
    )  # fmt: skip


@dataclass
class _Totals:
    n: int = 0
    inside_band: int = 0
    inside_range: int = 0
    abs_error: float = 0.0
    cail: float = 0.0
    model_n: int = 0
    model_abs_error: float = 0.0
    model_cail: float = 0.0

    def add(self, c: JudgmentComparison) -> None:
        self.n += 1
        self.inside_band += c.inside_band
        self.inside_range += c.inside_range
        self.abs_error += abs(c.real_months - c.guideline_months)
        self.cail += cail_score(c.real_months, c.guideline_months)
        if c.model_months is not None:
            self.model_n += 1
            self.model_abs_error += abs(c.real_months - c.model_months)
            self.model_cail += cail_score(c.real_months, c.model_months)

    def summary(self, charge: str) -> ChargeSummary:
        def share(count: float, n: int) -> float:
            return count / n if n else float("nan")

        return ChargeSummary(
            charge, self.n, share(self.inside_band, self.n), share(self.inside_range, self.n),
            share(self.abs_error, self.n), share(self.cail, self.n),
            share(self.model_abs_error, self.model_n) if self.model_n else None,
            share(self.model_cail, self.model_n) if self.model_n else None,
        )  # fmt: skip


@dataclass(frozen=True)
class ChargeSummary:
    charge: str  # "all" for every charge together
    judgments: int
    inside_band: float
    inside_range: float
    mean_absolute_error: float
    cail_score: float
    model_mean_absolute_error: float | None
    model_cail_score: float | None

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


@dataclass(frozen=True)
class Evaluation:
    source: str
    jurisdiction: str
    model: str | None
    summaries: tuple[ChargeSummary, ...]  # by charge, then "all"
    worst: tuple[JudgmentComparison, ...]
    comparisons: tuple[JudgmentComparison, ...] = field(repr=False)  # only when asked to keep them

    def summary(self, charge: str = "all") -> ChargeSummary:
        return next(s for s in self.summaries if s.charge == charge)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": EVALUATION_SCHEMA_VERSION, "source": self.source, "jurisdiction": self.jurisdiction,
            "model": self.model, "summaries": [s.to_dict() for s in self.summaries],
            "worst": [c.to_dict() for c in self.worst],
        }  # fmt: skip


def summarise(comparisons: Iterable[JudgmentComparison]) -> tuple[ChargeSummary, ...]:
    """Summaries by charge (sorted), then ``all``."""
    totals: dict[str, _Totals] = {}
    overall = _Totals()
    for c in comparisons:
        totals.setdefault(c.charge, _Totals()).add(c)
        overall.add(c)
    return (*(totals[charge].summary(charge) for charge in sorted(totals)), overall.summary("all"))


def evaluate_judgments(
    records: Iterable[JudgmentRecord],
    *,
    source: str,
    jurisdiction: Jurisdiction | None = None,
    predict: Any | None = None,
    model_name: str | None = None,
    chunk: int = 1000,
    progress: Any | None = None,
    keep_comparisons: bool = False,
) -> Evaluation:
    """Compare each judgment with the guideline (and ``predict``: cases → months, in batches of ``chunk``).

    Memory is bounded: running totals by charge and the worst cases are kept, not every comparison (unless
    ``keep_comparisons``)."""
    totals: dict[str, _Totals] = {}
    overall = _Totals()
    worst: list[tuple[float, tuple[int, ...], int, JudgmentComparison]] = []  # a min-heap of the furthest
    kept: list[JudgmentComparison] = []
    batch: list[JudgmentRecord] = []
    counter = 0

    def add(comparison: JudgmentComparison) -> None:
        nonlocal counter
        totals.setdefault(comparison.charge, _Totals()).add(comparison)
        overall.add(comparison)
        counter += 1
        # ties go to the smaller id: the heap keeps the largest (distance, -id) pairs
        key = (comparison.distance, _reverse(comparison.judgment_id), counter, comparison)
        if len(worst) < _WORST:
            heapq.heappush(worst, key)
        elif key[:2] > worst[0][:2]:
            heapq.heapreplace(worst, key)
        if keep_comparisons:
            kept.append(comparison)

    def flush() -> None:
        months: Sequence[float | None] = list(predict([r.case for r in batch])) if predict else [None] * len(batch)
        for record, value in zip(batch, months, strict=True):
            add(compare_judgment(record, jurisdiction, None if value is None else float(value)))
        if progress is not None:
            progress(len(batch))
        batch.clear()

    for record in records:
        batch.append(record)
        if len(batch) >= chunk:
            flush()
    if batch:
        flush()
    if not overall.n:
        raise InputError(source, Rule.MISSING_REQUIRED, "no judgments in the file")
    summaries = (*(totals[charge].summary(charge) for charge in sorted(totals)), overall.summary("all"))
    furthest = tuple(entry[3] for entry in sorted(worst, key=lambda e: (-e[0], e[3].judgment_id)))
    return Evaluation(source, jurisdiction.id if jurisdiction else "default", model_name, summaries, furthest,
                      tuple(kept))  # fmt: skip


def _reverse(text: str) -> tuple[int, ...]:
    """An order in which a smaller id ranks higher (for the heap of the furthest cases)."""
    return (*(-ord(ch) for ch in text), 1)


def _real(raw: object, where: str) -> RealOutcome:
    if not isinstance(raw, dict):
        raise InputFileError(where, Rule.WRONG_TYPE, "'real' must be an object {'months', 'fine_yuan'}")
    months, fine = raw.get("months"), raw.get("fine_yuan")
    if isinstance(months, bool) or not isinstance(months, int | float) or not 0 <= months <= 600:
        raise InputFileError(where, Rule.OUT_OF_RANGE, f"real.months: 0 to 600, found {excerpt(months)}")
    if fine is not None and (isinstance(fine, bool) or not isinstance(fine, int | float) or not 0 <= fine <= 1e10):
        raise InputFileError(where, Rule.OUT_OF_RANGE, f"real.fine_yuan: a number of yuan, found {excerpt(fine)}")
    return RealOutcome(float(months), None if fine is None else float(fine))


def _cail_real(meta: object, where: str) -> RealOutcome:
    """The outcome a CAIL2018 ``meta`` records: ``term_of_imprisonment.imprisonment`` months, ``punish_of_money``."""
    if not isinstance(meta, dict) or not isinstance(meta.get("term_of_imprisonment"), dict):
        raise InputFileError(where, Rule.WRONG_TYPE, "meta.term_of_imprisonment: an object, as CAIL2018 writes it")
    term = meta["term_of_imprisonment"]
    if term.get("death_penalty") or term.get("life_imprisonment"):
        raise InputFileError(where, Rule.OUT_OF_RANGE, "meta.term_of_imprisonment: a death or life sentence has no "
                             "term in months to compare; leave it out of the file")  # fmt: skip
    return _real({"months": term.get("imprisonment"), "fine_yuan": meta.get("punish_of_money")}, where)


# A judgment's fact section seldom states the defendant's personal facts. The guideline weighs only the age (a
# minor, or 75 and over), and a judgment states that when it matters; the rest are legally irrelevant. Facts the
# record leaves out are filled with these.
NEUTRAL_DEFENDANT: dict[str, Any] = {"age_at_offence": 35, "sex": "male", "household_registration": "local",
                                     "occupation": "employed", "region": "east", "ethnicity": "han"}  # fmt: skip


def _case(document: object, where: str, jurisdiction: Jurisdiction | None) -> Case:
    if not isinstance(document, dict):
        raise InputFileError(where, Rule.WRONG_TYPE, "'case' must be a case document (an object)")
    given = document.get("defendant")
    if given is None or isinstance(given, dict):
        document = {**document, "defendant": {**NEUTRAL_DEFENDANT, **(given or {})}}
    try:
        return parse_case(document, jurisdiction=jurisdiction, source=where)
    except CaseValidationError as exc:
        raise InputFileError(where, exc.rule, f"{exc.field}: {exc.detail}") from None


def _csv_document(row: dict[str, str], where: str) -> tuple[dict[str, Any], RealOutcome]:
    """A CSV row as a case document: ``case_id``, ``charge``, ``jurisdiction``, one column per factor."""
    catalogue = load_catalogue()
    values: dict[str, Any] = {}
    for spec in catalogue.factors:
        text = (row.get(spec.id) or "").strip()
        if not text or row.get("charge") not in spec.charges:
            continue
        value: Any
        try:
            if spec.type is FactorType.BOOLEAN:
                value = text.lower() in ("1", "true", "yes", "1.0")
            elif spec.type is FactorType.INTEGER:
                value = int(float(text))
            elif spec.type is FactorType.NUMBER:
                value = float(text)
            else:
                value = text
        except ValueError:
            raise InputFileError(where, Rule.WRONG_TYPE, f"{spec.id}: {excerpt(text)} is not a number") from None
        values[spec.id] = value
    identifier = row.get("case_id") or row.get("id") or where
    document = {"schema_version": "1.0", "case_id": identifier, "charge": row.get("charge"),
                "jurisdiction": row.get("jurisdiction") or "default",
                **grouped_values(values.items(), catalogue)}  # fmt: skip
    if not (row.get("real_months") or "").strip():
        raise InputFileError(where, Rule.MISSING_REQUIRED, "real_months: the real term is needed")
    try:
        real = {"months": float(row["real_months"]),
                "fine_yuan": float(row["real_fine_yuan"]) if row.get("real_fine_yuan") else None}  # fmt: skip
    except ValueError:
        raise InputFileError(where, Rule.WRONG_TYPE, "real_months / real_fine_yuan: numbers") from None
    return document, _real(real, where)


def held_out(judgment_id: str, share: float) -> bool:
    """Whether a judgment falls in the held-out part of a split: decided by its id alone (the first 8 bytes of the
    sha256 of the id, as a fraction, below ``share``), so that every tool splits a file the same way."""
    fraction = int.from_bytes(hashlib.sha256(judgment_id.encode("utf-8")).digest()[:8], "big") / 2**64
    return fraction < share


_FACT_KEYS = {"id", "charge", "jurisdiction", "facts", "circumstances", "defendant"}
_CAIL_KEYS = _FACT_KEYS | {"fact", "meta", "source", "source_also"}


def _fact_document(body: dict[str, Any], identifier: str, where: str) -> dict[str, Any]:
    """A structured-facts line ({'id', 'charge', 'facts', 'circumstances', 'defendant'}) as a case document."""
    return {"schema_version": "1.0", "case_id": identifier, "charge": body.get("charge"),
            "jurisdiction": body.get("jurisdiction") or "default", "facts": body.get("facts") or {},
            "circumstances": body.get("circumstances") or {}, "defendant": body.get("defendant")}  # fmt: skip


def _identifier(body: dict[str, Any], where: str) -> str:
    identifier = body.get("id")
    if not isinstance(identifier, str) or not identifier or len(identifier) > 128:
        raise InputFileError(where, Rule.MISSING_REQUIRED, "'id': the judgment's identifier (1 to 128 characters)")
    return identifier


@dataclass
class JudgmentFile:
    """A file of decided cases, read as a stream (one line at a time: a file of any size in bounded memory).

    Lines are ``{"id", "case", "real"}``, or CAIL2018-style ``{"id", "charge", "meta", ...}`` with the structured
    facts inline (``facts``, ``circumstances``, ``defendant``) or in a separate ``facts_path`` keyed by id (then a
    judgment without facts there is counted, not compared), or a CSV. ``split`` keeps one part of a split by id:
    ``("held_out", share)`` or ``("calibration", share)``. The counters and the sha256 of the file's bytes are
    filled as it is read."""

    path: Path
    jurisdiction: Jurisdiction | None = None
    facts_path: Path | None = None
    split: tuple[str, float] | None = None
    read_texts: bool = False  # a CAIL2018 line without structured facts is read by the reader (sentencing.reading)
    keep_texts: bool = False  # each record keeps its line's text (for ties broken by text in sentencing.practice)
    read: int = 0
    read_by_reader: int = 0
    without_facts: int = 0
    outside_split: int = 0
    sha256: str = ""

    def __iter__(self) -> Iterator[JudgmentRecord]:
        self.read = self.without_facts = self.outside_split = self.read_by_reader = 0
        facts = _read_facts(self.facts_path) if self.facts_path is not None else None
        seen: set[str] = set()
        digest = hashlib.sha256()
        for record in self._records(facts, digest):
            if record is None:
                continue
            if record.judgment_id in seen:
                raise InputFileError(str(self.path), Rule.DUPLICATE_KEY,
                                     f"judgment {excerpt(record.judgment_id)} appears twice")  # fmt: skip
            seen.add(record.judgment_id)
            self.read += 1
            if self.split is not None and held_out(record.judgment_id, self.split[1]) != (self.split[0] == "held_out"):
                self.outside_split += 1
                continue
            yield record
        self.sha256 = digest.hexdigest()

    def _records(self, facts: dict[str, dict[str, Any]] | None, digest: Any) -> Iterator[JudgmentRecord | None]:
        name = str(self.path)
        if self.path.suffix.lower() == ".csv":
            data = read_untrusted_file(self.path, limit=_MAX_CSV_BYTES)
            digest.update(data)
            try:
                rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"))))
            except (UnicodeDecodeError, csv.Error) as exc:
                raise InputFileError(name, Rule.FILE_UNREADABLE, f"not a readable UTF-8 CSV ({exc})") from None
            for number, row in enumerate(rows, start=2):
                where = f"{name}:{number}"
                document, real = _csv_document(row, where)
                yield JudgmentRecord(str(document["case_id"]), _case(document, where, self.jurisdiction), real)
            return
        for number, line in untrusted_lines(self.path, limit=_MAX_FILE_BYTES, digest=digest):
            if not line.strip():
                continue
            where = f"{name}:{number}"
            body = parse_json(line, where)
            if not isinstance(body, dict):
                raise InputFileError(where, Rule.WRONG_TYPE, "each line is a JSON object")
            identifier = _identifier(body, where)
            if "meta" in body:
                extra = set(body) - _CAIL_KEYS
                if extra:
                    raise InputFileError(where, Rule.UNKNOWN_FIELD, f"{excerpt(sorted(extra)[0])}: not a field of a "
                                         "CAIL2018-style line")  # fmt: skip
                real = _cail_real(body["meta"], where)
                text = body.get("fact") if self.keep_texts and isinstance(body.get("fact"), str) else None
                if facts is not None and identifier in facts:
                    body = facts[identifier]
                elif "facts" not in body and self.read_texts:
                    record = self._read_text(body, identifier, real, where, text)
                    if record is None:
                        self.without_facts += 1
                    else:
                        self.read_by_reader += 1
                    yield record
                    continue
                elif facts is not None:
                    self.without_facts += 1
                    yield None
                    continue
                elif "facts" not in body:
                    raise InputFileError(where, Rule.MISSING_REQUIRED, "facts: a CAIL2018 line needs its structured "
                                         "facts, inline or in a --facts file")  # fmt: skip
                case_document: object = _fact_document(body, identifier, where)
            else:
                text = None
                if set(body) - {"id", "case", "real", "source"}:
                    raise InputFileError(where, Rule.UNKNOWN_FIELD, "each line is {'id', 'case', 'real'} or a "
                                         "CAIL2018-style line with 'meta'")  # fmt: skip
                case_document, real = body.get("case"), _real(body.get("real"), where)
            yield JudgmentRecord(identifier, _case(case_document, where, self.jurisdiction), real, text)

    def _read_text(self, body: dict[str, Any], identifier: str, real: RealOutcome, where: str, kept: str | None
                   ) -> JudgmentRecord | None:  # fmt: skip
        """A judgment's text read by the reader, its facts taken as read; None when the text does not state a fact
        the case needs (no amount, no blood alcohol, no injury): such a judgment is counted, not compared."""
        from sentencing.reading import read_text

        text = body.get("fact")
        if not isinstance(text, str):
            raise InputFileError(where, Rule.MISSING_REQUIRED, "fact: the judgment's text, to read")
        try:
            draft = read_text(text, charge=body.get("charge"))
        except InputError:
            return None
        groups = draft.grouped()
        document: dict[str, Any] = {"schema_version": "1.0", "case_id": identifier, "charge": draft.charge,
                                    "jurisdiction": "default", "facts": groups["facts"],
                                    "circumstances": groups["circumstances"],
                                    "defendant": {**NEUTRAL_DEFENDANT, **groups["defendant"]}}  # fmt: skip
        try:
            case = parse_case(document, jurisdiction=self.jurisdiction, source=where)
            return JudgmentRecord(identifier, case, real, kept)
        except CaseValidationError:
            return None


def _read_facts(path: Path) -> dict[str, dict[str, Any]]:
    """Structured facts keyed by judgment id: JSON lines ``{"id", "charge", "facts", "circumstances"}``."""
    out: dict[str, dict[str, Any]] = {}
    name = str(path)
    for number, line in untrusted_lines(path, limit=_MAX_FILE_BYTES):
        if not line.strip():
            continue
        where = f"{name}:{number}"
        body = parse_json(line, where)
        if not isinstance(body, dict):
            raise InputFileError(where, Rule.WRONG_TYPE, "each line is a JSON object")
        extra = set(body) - _FACT_KEYS
        if extra:
            raise InputFileError(where, Rule.UNKNOWN_FIELD, f"{excerpt(sorted(extra)[0])}: a facts line holds "
                                 "{'id', 'charge', 'jurisdiction', 'facts', 'circumstances', 'defendant'}")  # fmt: skip
        identifier = _identifier(body, where)
        if identifier in out:
            raise InputFileError(where, Rule.DUPLICATE_KEY, f"facts for {excerpt(identifier)} appear twice")
        out[identifier] = body
    return out


def read_judgments(path: Path, jurisdiction: Jurisdiction | None = None) -> Iterator[JudgmentRecord]:
    """Judgment records from JSON lines or CSV (see :class:`JudgmentFile`); each refused line names file and line."""
    return iter(JudgmentFile(path, jurisdiction))
