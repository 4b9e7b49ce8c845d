"""Several crimes of one defendant (数罪并罚): each count's derivation, then the executed term (Criminal Law art. 69).

法发〔2021〕21号 二、2(3): when a defendant commits several crimes, circumstances that apply to each crime (立功,
累犯, …) adjust each crime's base sentence; each crime's sentence is set, and the combined punishment is then decided
by law. So each count here is a whole sentencing case (its charge, its facts, the defendant's circumstances), derived
by :func:`sentencing.guideline.derive_sentence` on its own, and the counts' pronounced terms are combined by art. 69
(as amended by Amendments VIII and IX):

- the executed term lies between the highest count's term and the sum of the counts' terms (限制加重);
- capped at 20 years of fixed-term imprisonment while the sum is under 35 years, 25 years from 35 years; at one year
  of criminal detention (拘役);
- fixed-term imprisonment absorbs criminal detention (数罪中有判处有期徒刑和拘役的，执行有期徒刑);
- fines are added and the sum is executed (art. 69 ¶3; 法释〔2000〕45号 art. 3).

Where the law leaves the executed term to the court within the range (酌情决定), this module gives the range, never a
point. A count without a custodial term (exemption, a fine alone) adds no term. The engine derives no life or death
sentence (outside a numeric engine), so the art. 69 exception for them never arises here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sentencing.case import Case, check_case_id, parse_case, read_json_object
from sentencing.catalogue import FactorGroup, load_catalogue
from sentencing.errors import CaseValidationError, InputError, Rule
from sentencing.excerpts import excerpt
from sentencing.guideline import Derivation, Penalty, derive_sentence
from sentencing.i18n import Label
from sentencing.jurisdiction import Jurisdiction

__all__ = [
    "COMBINED_SCHEMA_VERSION",
    "MAX_COUNTS",
    "CombinedSentence",
    "Counts",
    "combine_sentences",
    "is_counts_document",
    "load_counts_file",
    "parse_counts",
]

COMBINED_SCHEMA_VERSION = "1.0"
MAX_COUNTS = 20  # counts in one document: more is a file to split, not one defendant's indictment
ARTICLE_69 = ("刑法第69条 Criminal Law art. 69 (as amended by Amendment VIII, 2011, and Amendment IX, 2015): 应当在总和"
              "刑期以下、数刑中最高刑期以上，酌情决定执行的刑期")  # fmt: skip
GUIDELINE_SEVERAL = ("法发〔2021〕21号 量刑指导意见 二、2(3) (被告人犯数罪，同时具有适用于各个罪的立功、"
                     "累犯等量刑情节的，先适用该量刑情节调节个罪的基准刑，确定个罪所应当判处的刑罚，"
                     "再依法实行数罪并罚)")  # fmt: skip
FINES = "刑法第69条第3款; 法释〔2000〕45号 第3条 (将所判处的罚金数额相加，执行总和数额)"
PROBATION = "刑法第72条 Criminal Law art. 72 (被判处拘役、三年以下有期徒刑的犯罪分子 … 可以宣告缓刑)"
FIXED_TERM_CAP_MONTHS = 240  # 有期徒刑总和刑期不满三十五年的，最高不能超过二十年
FIXED_TERM_CAP_LONG_MONTHS = 300  # 总和刑期在三十五年以上的，最高不能超过二十五年
LONG_SUM_MONTHS = 420  # 三十五年
DETENTION_CAP_MONTHS = 12  # 拘役最高不能超过一年
_PERSON_LEVEL = ("recidivist", "prior_record")  # facts of the person, the same in every count
_TOP_LEVEL = {"schema_version", "case_id", "counts"}


@dataclass(frozen=True)
class Counts:
    """One defendant's several crimes, each a sentencing case, heard together."""

    case_id: str
    counts: tuple[Case, ...]


@dataclass(frozen=True)
class CombinedSentence:
    """Each count's derivation and the term executed under art. 69 (a range the court decides within)."""

    case_id: str
    counts: tuple[Derivation, ...]
    penalty: Penalty | None  # None: no count carries a custodial term
    highest_months: float
    sum_months: float
    cap_months: float | None
    low_months: float
    high_months: float
    absorbed: tuple[str, ...]  # counts whose criminal detention the fixed term absorbs
    fine_yuan: tuple[float, float, float] | None  # (low, point, high), summed
    probation_term_allows: bool

    @property
    def capped(self) -> bool:
        return self.cap_months is not None and self.sum_months > self.cap_months

    def rule(self) -> Label:
        """The rule applied, in words, with the figures of this case."""
        if self.penalty is None:
            return Label(
                "各罪均未判处监禁刑：不决定执行的刑期；罚金相加执行。",
                "No count carries a custodial term: there is no term to execute; the fines are added.",
            )
        kind = Label("有期徒刑", "Fixed-term imprisonment") if self.penalty is Penalty.FIXED_TERM else Label(
            "拘役", "Criminal detention")  # fmt: skip
        cap_zh = f"，但不能超过 {self.cap_months:g} 个月" if self.capped else ""
        cap_en = f", but not above {self.cap_months:g} months" if self.capped else ""
        absorbed = (
            Label(
                f"；{'、'.join(self.absorbed)} 所判拘役由有期徒刑吸收",
                f"; the fixed term absorbs the criminal detention of {', '.join(self.absorbed)}",
            )
            if self.absorbed
            else Label("", "")
        )
        return Label(
            f"{kind.zh}：在数刑中最高刑期 {self.highest_months:g} 个月以上、总和刑期 {self.sum_months:g} 个月以下"
            f"酌情决定执行的刑期{cap_zh}{absorbed.zh}。",
            f"{kind.en}: the court sets the executed term at or above the highest count's {self.highest_months:g} "
            f"months and at or below the sum, {self.sum_months:g} months{cap_en}{absorbed.en}.",
        )  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        fine = self.fine_yuan
        return {
            "schema_version": COMBINED_SCHEMA_VERSION,
            "case_id": self.case_id,
            "counts": [d.to_dict() for d in self.counts],
            "combined": {
                "penalty": None if self.penalty is None else self.penalty.value,
                "highest_months": self.highest_months, "sum_months": self.sum_months, "cap_months": self.cap_months,
                "executed_range_months": [self.low_months, self.high_months], "absorbed": list(self.absorbed),
                "fine_yuan": None if fine is None else {"low": fine[0], "point": fine[1], "high": fine[2],
                                                       "source": FINES},
                "probation_term_allows": self.probation_term_allows, "probation_source": PROBATION,
                "rule": self.rule().to_mapping(), "sources": [ARTICLE_69, GUIDELINE_SEVERAL],
                "decided_by": "the court, within the range (酌情决定): the engine gives no point",
            },
        }  # fmt: skip


def is_counts_document(document: Mapping[str, Any]) -> bool:
    """Whether a JSON document is several counts (``{"counts": [...]}``) rather than one case."""
    return "counts" in document


def parse_counts(
    document: Mapping[str, Any], *, jurisdiction: Jurisdiction | None = None, source: str | None = None
) -> Counts:
    """``{"schema_version": "1.0", "case_id": …, "counts": [case, case, …]}``: at least two sentencing cases of one
    defendant, in one jurisdiction, whose person-level facts agree (the defendant's attributes but the age at each
    offence, the record, recidivism). Every problem is named with its count (``counts[1].charge``)."""
    where = source or "the counts"
    unknown = sorted(set(document) - _TOP_LEVEL)
    if unknown:
        raise InputError(f"{where}: {excerpt(unknown[0], 40)}", Rule.UNKNOWN_FIELD,
                         "no such field; expected schema_version, case_id, counts")  # fmt: skip
    if document.get("schema_version") != COMBINED_SCHEMA_VERSION:
        raise InputError(
            f"{where}: schema_version",
            Rule.UNSUPPORTED_SCHEMA,
            f"expected {COMBINED_SCHEMA_VERSION!r}, found {excerpt(document.get('schema_version'))}",
        )
    raw = document.get("counts")
    if not isinstance(raw, list) or not 2 <= len(raw) <= MAX_COUNTS:
        found = f"{len(raw)} count(s)" if isinstance(raw, list) else excerpt(raw)
        raise InputError(f"{where}: counts", Rule.WRONG_TYPE,
                         f"a list of 2 to {MAX_COUNTS} sentencing cases (one per crime), found {found}")  # fmt: skip
    case_id = document.get("case_id")
    problems = check_case_id(case_id)
    if problems:
        raise CaseValidationError(tuple(problems), source=where)
    assert isinstance(case_id, str)
    counts: list[Case] = []
    for index, count in enumerate(raw):
        if not isinstance(count, dict):
            raise InputError(f"{where}: counts[{index}]", Rule.WRONG_TYPE, "a sentencing case (a JSON object)")
        named = count.get("jurisdiction", "default")
        if jurisdiction is not None and named != jurisdiction.id:
            raise InputError(f"{where}: counts[{index}].jurisdiction", Rule.UNKNOWN_JURISDICTION,
                             f"the count names {excerpt(named)} but the table given is {jurisdiction.id!r} "
                             f"({jurisdiction.source})")  # fmt: skip
        counts.append(parse_case(count, jurisdiction=jurisdiction, source=f"{where}: counts[{index}]"))
    _check_one_defendant(counts, where)
    return Counts(case_id, tuple(counts))


def _check_one_defendant(counts: Sequence[Case], where: str) -> None:
    first = counts[0]
    catalogue = load_catalogue()
    person = [f.id for f in catalogue.factors_for(first.charge) if f.group is FactorGroup.DEFENDANT
              and f.id != "age_at_offence"] + list(_PERSON_LEVEL)  # fmt: skip
    ids = [c.case_id for c in counts]
    if len(set(ids)) != len(ids):
        twice = next(i for i in ids if ids.count(i) > 1)
        raise InputError(f"{where}: counts case_id {twice!r}", Rule.CONTRADICTION, "each count has its own case id")
    theirs_all = first.as_dict()
    for index, count in enumerate(counts[1:], start=1):
        mine_all = count.as_dict()
        if count.jurisdiction != first.jurisdiction:
            raise InputError(f"{where}: counts[{index}].jurisdiction", Rule.CONTRADICTION,
                             f"{count.jurisdiction!r}, where counts[0] is heard under {first.jurisdiction!r}: "
                             "one court combines the counts")  # fmt: skip
        for fact in person:
            mine, theirs = mine_all.get(fact), theirs_all.get(fact)
            if mine != theirs:
                raise InputError(f"{where}: counts[{index}].{fact}", Rule.CONTRADICTION,
                                 f"{excerpt(mine)}, where counts[0] says {excerpt(theirs)}: the same defendant's "
                                 "own facts are the same in every count")  # fmt: skip


def load_counts_file(path: str | Path, *, jurisdiction: Jurisdiction | None = None) -> Counts:
    """Read and check a counts file; every failure names the file."""
    return parse_counts(read_json_object(path), jurisdiction=jurisdiction, source=str(path))


def combine_sentences(counts: Counts, jurisdiction: Jurisdiction | None = None) -> CombinedSentence:
    """Each count derived on its own, then combined under art. 69."""
    derivations = tuple(derive_sentence(case, jurisdiction) for case in counts.counts)
    terms = {p: [d for d in derivations if d.outcome.penalty is p] for p in (Penalty.FIXED_TERM, Penalty.DETENTION)}
    penalty: Penalty | None
    if terms[Penalty.FIXED_TERM]:
        penalty, custodial = Penalty.FIXED_TERM, terms[Penalty.FIXED_TERM]
        absorbed = tuple(d.case_id for d in terms[Penalty.DETENTION])
    elif terms[Penalty.DETENTION]:
        penalty, custodial, absorbed = Penalty.DETENTION, terms[Penalty.DETENTION], ()
    else:
        penalty, custodial, absorbed = None, [], ()
    months = [d.outcome.months for d in custodial]
    highest, total = (max(months), sum(months)) if months else (0.0, 0.0)
    cap: float | None = None
    if penalty is Penalty.FIXED_TERM:
        cap = FIXED_TERM_CAP_LONG_MONTHS if total >= LONG_SUM_MONTHS else FIXED_TERM_CAP_MONTHS
    elif penalty is Penalty.DETENTION:
        cap = DETENTION_CAP_MONTHS
    high = total if cap is None else min(total, cap)
    fines = [d.outcome.fine for d in derivations if d.outcome.fine is not None]
    fine = (
        (sum(f.low_yuan for f in fines), sum(f.point_yuan for f in fines), sum(f.high_yuan for f in fines))
        if fines
        else None
    )
    probation = penalty is Penalty.DETENTION or (penalty is Penalty.FIXED_TERM and highest <= 36)
    return CombinedSentence(
        case_id=counts.case_id, counts=derivations, penalty=penalty, highest_months=round(highest, 2),
        sum_months=round(total, 2), cap_months=cap, low_months=round(highest, 2), high_months=round(high, 2),
        absorbed=absorbed, fine_yuan=fine, probation_term_allows=probation,
    )  # fmt: skip
