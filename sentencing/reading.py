"""Reading a Chinese judgment, indictment or sentencing proposal into a draft case, every fact with its source.

Deterministic rules a witness can explain: each rule has an id, a pattern and a sentence in both languages
saying what it looks for; each fact the reader states points at the characters it read (offsets into the text,
the quoted sentence, the rule). What the text does not state is listed as missing, never defaulted silently;
mentions that disagree are reported as contradictions and left for a party to settle. The draft becomes a case
only when a party confirms or corrects it (``Draft.case_document`` with ``Confirmation``), and the case then
carries the whole record (``sentencing.extraction``) into the hearing and the pack.

Nothing here is downloaded or trained: the rules are the code below, and ``READER_VERSION`` changes whenever an
answer of theirs may change.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sentencing.case import CASE_SCHEMA_VERSION, grouped_values
from sentencing.catalogue import Catalogue, FactorValue, load_catalogue
from sentencing.errors import InputError, InputFileError, Rule
from sentencing.excerpts import excerpt, one_line
from sentencing.extraction import EXTRACTION_SCHEMA_VERSION
from sentencing.i18n import Label
from sentencing.numerals import MONEY_PATTERN, NUMBER_PATTERN, parse_money, parse_number
from sentencing.untrusted import read_untrusted_file

__all__ = [
    "MAX_TEXT_CHARS",
    "READER_RULES",
    "READER_VERSION",
    "Confirmation",
    "Contradiction",
    "Draft",
    "ExtractedFact",
    "MissingFact",
    "Source",
    "check_party_name",
    "decode_text",
    "parse_confirmation",
    "read_text",
    "read_text_file",
    "rule_descriptions",
]

READER_VERSION = "7"  # 2: robbery; 3: snatching; 4: traffic accident; 5: extortion; 6: drug crimes, picking quarrels,
# embezzlement, fund-raising fraud, obstructing official duties, affray, and 无故 / 无端 no longer a negation; 7: false
# imprisonment, rape, credit card fraud, contract fraud, illegal deposits, concealing proceeds, procuring prostitution
# (their counts: hours and persons held, persons raped, depositors, persons procured)
MAX_TEXT_CHARS = 200_000  # a long judgment is some tens of thousands of characters
_QUOTE = 160  # a quoted sentence is cut to this many characters around what was read


# ----------------------------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Source:
    """Where in the text a value was read: ``text[start:end]`` is what matched; ``quote`` its sentence."""

    start: int
    end: int
    quote: str
    rule: str

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "quote": self.quote, "rule": self.rule}


@dataclass(frozen=True)
class _Mention:
    factor: str
    value: FactorValue
    source: Source


@dataclass(frozen=True)
class ExtractedFact:
    """One fact of the draft: its value, how it was reached, and every mention it rests on."""

    factor: str
    value: FactorValue
    how: str  # stated | summed | counted | derived | assumed
    sources: tuple[Source, ...]
    note: Label | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"field": self.factor, "value": self.value, "how": self.how,
                               "sources": [s.to_dict() for s in self.sources]}  # fmt: skip
        if self.note is not None:
            out["note"] = self.note.to_mapping()
        return out


@dataclass(frozen=True)
class MissingFact:
    """A factor of the charge the text does not state: ``required`` ones must be supplied before a case exists;
    the others take the catalogue's default (shown) only when a party confirms the draft."""

    factor: str
    label: Label
    required: bool
    default: FactorValue | None

    def to_dict(self) -> dict[str, Any]:
        return {"field": self.factor, "label": self.label.to_mapping(), "required": self.required,
                "default": self.default}  # fmt: skip


@dataclass(frozen=True)
class Contradiction:
    """Mentions of one factor that disagree; the draft states no value for it until a party settles it."""

    factor: str
    values: tuple[FactorValue, ...]
    sources: tuple[Source, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"field": self.factor, "values": list(self.values), "sources": [s.to_dict() for s in self.sources]}


@dataclass(frozen=True)
class Confirmation:
    """A party's answer to a draft: ``confirm`` the facts it accepts as read (or all), ``set`` values it states
    (a correction, a missing fact, a contradiction settled), ``remove`` facts it rejects; ``by`` who answered."""

    by: str
    confirm_all: bool = False
    confirm: tuple[str, ...] = ()
    set: tuple[tuple[str, FactorValue], ...] = ()
    remove: tuple[str, ...] = ()
    case_id: str | None = None
    jurisdiction: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"by": self.by, "confirm_all": self.confirm_all, "confirm": list(self.confirm),
                "set": dict(self.set), "remove": list(self.remove)}  # fmt: skip


@dataclass(frozen=True)
class Draft:
    """What the reader made of one text. Not a case: ``case_document`` turns it into one with a confirmation."""

    text_sha256: str
    text_length: int
    document_kind: str  # judgment | indictment | proposal | unknown
    charge: str | None
    charge_source: Source | None
    facts: tuple[ExtractedFact, ...]
    missing: tuple[MissingFact, ...]
    contradictions: tuple[Contradiction, ...]
    province: str | None = None
    jurisdiction_hint: str | None = None
    notes: tuple[Label, ...] = field(default=())

    def fact(self, factor: str) -> ExtractedFact | None:
        return next((f for f in self.facts if f.factor == factor), None)

    def grouped(self, catalogue: Catalogue | None = None) -> dict[str, dict[str, FactorValue]]:
        """The facts as read, unconfirmed, by the case document's groups (for measuring the reader, or for
        ``evaluate --read`` over many judgments where no party confirms each one)."""
        return grouped_values(((f.factor, f.value) for f in self.facts), catalogue or load_catalogue())

    def _read(self) -> dict[str, Any]:
        """What both JSON forms say of the reading: the text read, and every fact and contradiction found in it."""
        return {
            "schema_version": EXTRACTION_SCHEMA_VERSION,
            "reader_version": READER_VERSION,
            "text_sha256": self.text_sha256,
            "text_length": self.text_length,
            "document_kind": self.document_kind,
            "facts": [f.to_dict() for f in self.facts],
            "contradictions": [c.to_dict() for c in self.contradictions],
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            **self._read(),
            "charge": {"value": self.charge, "sources": [self.charge_source.to_dict()] if self.charge_source else []},
            "province": self.province,
            "jurisdiction_hint": self.jurisdiction_hint,
            "missing": [m.to_dict() for m in self.missing],
            "notes": [n.to_mapping() for n in self.notes],
        }

    def record(self, confirmation: Confirmation, defaulted: Iterable[str]) -> dict[str, Any]:
        """The extraction record a confirmed case carries (``sentencing.extraction`` checks it)."""
        return {
            **self._read(),
            "charge": self.charge,
            "missing": [m.factor for m in self.missing],
            "confirmation": {**confirmation.to_dict(), "defaulted": sorted(defaulted)},
        }

    def case_document(self, confirmation: Confirmation, catalogue: Catalogue | None = None) -> dict[str, Any]:
        """The case document the confirmed draft gives (validate it with ``parse_case``).

        Refused, naming the field: a fact read but neither confirmed, corrected nor removed; a contradiction not
        settled; a charge the text did not decide and the party did not give."""
        catalogue = catalogue or load_catalogue()
        charge = str((confirmation.set and dict(confirmation.set).get("charge")) or self.charge or "")
        if not charge:
            raise InputError("charge", Rule.MISSING_REQUIRED, "the text does not decide the charge; give it (--charge)")
        if charge not in catalogue.charge_ids:
            raise InputError("charge", Rule.UNKNOWN_CHARGE, f"expected one of {', '.join(catalogue.charge_ids)}")
        stated = dict(confirmation.set)
        stated.pop("charge", None)
        for name in [*stated, *confirmation.remove, *confirmation.confirm]:
            if not catalogue.has_factor(name):
                raise InputError(name, Rule.UNKNOWN_FIELD, "not a factor of the catalogue")
        values: dict[str, FactorValue] = {}
        for fact in self.facts:
            if fact.factor in confirmation.remove or fact.factor in stated:
                continue
            if not (confirmation.confirm_all or fact.factor in confirmation.confirm):
                raise InputError(fact.factor, Rule.MISSING_REQUIRED,
                                 f"read as {excerpt(fact.value)} but not confirmed, corrected or removed")  # fmt: skip
            values[fact.factor] = fact.value
        for contradiction in self.contradictions:
            if contradiction.factor not in stated and contradiction.factor not in confirmation.remove:
                raise InputError(contradiction.factor, Rule.CONTRADICTION,
                                 f"the text says {' and '.join(excerpt(v) for v in contradiction.values)}; "
                                 "settle it with a value")  # fmt: skip
        values.update(stated)
        document: dict[str, Any] = {
            "schema_version": CASE_SCHEMA_VERSION,
            "case_id": confirmation.case_id or f"read-{self.text_sha256[:12]}",
            "charge": charge,
            "jurisdiction": confirmation.jurisdiction or "default",
            **grouped_values(values.items(), catalogue),
        }
        defaulted = [spec.id for spec in catalogue.factors_for(charge)
                     if spec.id not in values and not spec.is_required(charge)]  # fmt: skip
        document["extraction"] = self.record(confirmation, defaulted)
        return document


# ----------------------------------------------------------------------------------------------- the text


@dataclass(frozen=True)
class _Text:
    text: str  # as read (digits a scan mangled restored; the same length as the original)
    sentences: tuple[tuple[int, int], ...]
    original: str

    def sentence_of(self, position: int) -> tuple[int, int]:
        for start, end in self.sentences:
            if start <= position < end:
                return start, end
        return 0, len(self.text)

    @functools.cached_property
    def evidence(self) -> tuple[tuple[int, int], ...]:
        """See :func:`_evidence_spans`."""
        spans = []
        for match in _EVIDENCE_START.finditer(self.text):
            end = _EVIDENCE_END.search(self.text, match.end())
            spans.append((match.end(), end.start() if end else len(self.text)))
        return tuple(spans)

    def clause_before(self, position: int, limit: int = 40) -> str:
        """The text before ``position`` back to the last clause break (，。；), at most ``limit`` characters."""
        begin = max(0, position - limit)
        window = self.text[begin:position]
        cut = max(window.rfind(c) for c in "，,。；;：:\n")
        return window[cut + 1 :]

    def source(self, match: re.Match[str], rule: str) -> Source:
        start, end = match.start(), match.end()
        s, e = self.sentence_of(start)
        if e - s > _QUOTE:
            s = max(s, start - _QUOTE // 2)
            e = min(e, s + _QUOTE)
        return Source(start, end, self.original[s:e].strip(), rule)


_OCR = {"O": "0", "o": "0", "〇": "0", "l": "1", "I": "1"}


def _normalise(text: str) -> str:
    """The text with the letters a scan puts for digits inside numbers (2OOO, l00) read as digits; the same length,
    so every offset into it is an offset into the text as given."""
    chars = list(text)
    for i, c in enumerate(chars):
        if c in _OCR and ((i > 0 and chars[i - 1].isdigit()) or (i + 1 < len(chars) and text[i + 1].isdigit())):
            chars[i] = _OCR[c]
    for i in range(len(chars) - 1, -1, -1):  # a run written backwards: l before OO (lOO)
        if chars[i] in _OCR and i + 1 < len(chars) and chars[i + 1].isdigit():
            chars[i] = _OCR[chars[i]]
    joined = "".join(chars)  # "per lOO ml": the hundred of a blood alcohol figure, scanned as letters
    return re.sub(r"(?<=[/／])[l1I][O0o][O0o](?=\s*(?:ml|mL|ML|毫升|m1))", "100", joined)


def _split(original: str) -> _Text:
    text = _normalise(original)
    bounds, start = [], 0
    for m in re.finditer(r"[。；;！？!?\n]", text):
        bounds.append((start, m.end()))
        start = m.end()
    if start < len(text):
        bounds.append((start, len(text)))
    return _Text(text, tuple(bounds), original)


_NEGATION = re.compile(
    r"(?:未|没有|没|不|拒|无(?!故|端)|否认|尚未|不能认定|不构成|不属于?|不予|不具有|均未)[^，。；]{0,6}$"
)


def _negated(t: _Text, position: int) -> bool:
    return bool(_NEGATION.search(t.clause_before(position, 12)))


# ----------------------------------------------------------------------------------------------- rules


@dataclass(frozen=True)
class ReaderRule:
    """One rule: the factor it reads, what it looks for (in words and as a pattern), and the value it gives."""

    id: str
    factor: str
    pattern: re.Pattern[str]
    value: FactorValue | Callable[[re.Match[str]], FactorValue | None]
    negated_value: FactorValue | None
    description: Label
    charges: tuple[str, ...] = ()


#: the charges whose facts may include a discontinued crime or an accomplice's role (not the negligent traffic accident,
#: nor dangerous driving)
_INTENTIONAL_CHARGES = ("theft", "fraud", "intentional_injury", "robbery", "snatching", "extortion", "drug_trafficking",
                        "drug_possession", "sheltering_drug_use", "picking_quarrels", "employee_embezzlement",
                        "fundraising_fraud", "obstructing_official_duties", "affray", "illegal_detention", "rape",
                        "credit_card_fraud", "contract_fraud", "illegal_deposits", "concealing_proceeds",
                        "prostitution_procuring")  # fmt: skip


def _r(rule_id: str, factor: str, pattern: str, value: Any, zh: str, en: str, negated: Any = None,
       charges: tuple[str, ...] = ()) -> ReaderRule:  # fmt: skip
    return ReaderRule(rule_id, factor, re.compile(pattern), value, negated, Label(zh, en), charges)


def _bac(match: re.Match[str]) -> FactorValue | None:
    if match.group("v2"):
        value = parse_number(match.group("v2"))  # 每百毫升X毫克
    else:
        value = parse_number(match.group("v"))
        grams = match.group("mass").lower() == "g"
        if value is not None and grams and value < 5:
            value = round(value * 1000, 4)  # g/100ml (0.12g/100ml is 120 mg/100ml)
        elif (value is not None and not grams and match.group("per") != "100"
              and match.group("unit").lower() != "dl" and value < 10):  # fmt: skip
            value = round(value * 100, 4)  # mg/ml: per 100 ml is a hundred times as much
        # "231.1mg/ml" cannot be per millilitre (no one lives at 23,110 mg/100ml): the usual slip for mg/100ml, read
        # as written per 100 ml; likewise "128.93g/100ml"
    if re.match(r"[）)]?[^，。；]{0,3}(?:的)?(?:醉酒)?标准", match.string[match.end() : match.end() + 8]):
        return None  # the legal threshold quoted (0.8mg/ml的标准), not the defendant's
    return value if value is not None and 0 < value < 2000 else None


def _clause(text: str, start: int, end: int | None = None) -> tuple[int, int]:
    """The clause (between ，。；) holding ``text[start:end]`` (one position when ``end`` is not given)."""
    first = max(text.rfind(c, 0, start) for c in "，。；") + 1
    ends = [i for i in (text.find(c, start if end is None else end) for c in "，。；") if i >= 0]
    return first, min(ends, default=len(text))


def _fought(match: re.Match[str]) -> FactorValue | None:
    """A fight the defendant was in: walking back over the clauses of its sentence, the first that names who
    fought says 被告人, 双方 or the defendant's name; a clause naming only others (继而董某与袁某相互撕打) is their
    fight. A clause of cause (因…) or one that goes on from the subject (与马某某发生吵打) is passed over."""
    text = match.string
    names = _accused(text)
    start = max(text.rfind(c, 0, match.start()) for c in "。；\n") + 1
    sentence = re.sub(r"[（(][^）)]{0,40}[）)]", "", text[start : match.end()])  # 谢×（男，40岁，湖北省人）
    for clause in reversed(re.split(r"[，,]", sentence)):
        if re.search(r"被告人|双方|两人|二人|一方|彼此", clause) or any(n in clause for n in names):
            return True
        goes_on = re.match(r"\s*(?:并|又|后|继而|随即|即|遂)?(?:与|和|同|跟)|\s*(?:因|由于|在)", clause) or re.search(
            r"(?:与|和|同|跟)被害人", clause)  # fmt: skip
        if _PERSON.search(clause) and not goes_on:
            return None
    return True


def _returned(match: re.Match[str]) -> FactorValue | None:
    """Proceeds returned by the defendant (or for them): not property the police recovered and handed back, and
    not a part whose amount the text does not state (the catalogue's restitution is all of it)."""
    text = match.string
    start, end = _clause(text, match.start(), match.end())
    clause = text[start:end]
    if re.search(r"追回|追缴|缴获|查获|扣押|起获", clause) and not re.search(r"退赃|退赔|主动", clause):
        return None
    if re.search(r"部分", text[match.start() : end]) or re.search(r"部分$", text[start : match.start()]):
        return None
    if re.search(r"用于|用来|拿去", text[start:end]):
        return None  # 赃款均用于归还个人债务: spent on the defendant's own debts, not returned
    return True


_RESPONSIBILITY = {"全部": "full", "主要": "main", "同等": "equal", "次要": "secondary"}


def _responsibility(match: re.Match[str]) -> FactorValue | None:
    """The defendant's share of responsibility for the accident; a share the text gives another party (被害人负次要责任)
    is not the defendant's."""
    clause_start = max(match.string.rfind(c, 0, match.start()) for c in "，。；") + 1
    if re.search(r"被害人|对方|行人|另一方|其他车辆|[甲乙丙丁]车", match.string[clause_start : match.start()]):
        return None
    return _RESPONSIBILITY[match.group("r")]


def _discontinuance(match: re.Match[str]) -> FactorValue | None:
    if re.search(r"诉讼|审理|合同|协议|中止履行", match.string[max(0, match.start() - 6) : match.end() + 4]):
        return None  # a suspended proceeding or contract, not a discontinued crime
    start = max(match.string.rfind(c, 0, match.start()) for c in "。；") + 1
    end = min((i for i in (match.string.find(c, match.end()) for c in "。；") if i >= 0), default=len(match.string))
    harmed = re.search(r"(?<!未)(?<!没有)(?<!没)造成[^，。；]{0,10}(?:损害|损失|伤|后果)", match.string[start:end])
    return "with_harm" if harmed else "without_harm"


def _grade(match: re.Match[str]) -> FactorValue | None:
    value = parse_number(match.group("g"))
    return int(value) if value is not None and 1 <= value <= 10 else None


_INJURY_GRADES = {"轻伤二级": "minor_2", "轻伤一级": "minor_1", "重伤二级": "serious_2", "重伤一级": "serious_1"}

#: the rules for flags and grades; amounts, counts and the defendant's facts are read by the functions below
READER_RULES: tuple[ReaderRule, ...] = (
    _r(
        "surrender.stated",
        "surrender",
        r"自首|投案|主动(?:到案|归案)|(?:电话)?通知后[^，。；]{0,12}(?:前往|到|至)[^，。；]{0,20}(?:派出所|公安)|"
        r"明知[^，。；]{0,8}报警[^，。；]{0,6}(?:在现场|现场)等[候待]|在现场等[候待][^。；]{0,20}如实供述|"
        r"被告人[^，。；]{1,6}(?:随即|主动|即|立即)?(?:打|拨打)(?:110)?(?:电话)?报警|"
        r"(?:电话)?通知后[^。；]{0,6}主动(?:前往|到案|投案|到公安)",
        True,
        "“自首”“投案”“主动到案”“主动归案”“经电话通知后前往公安机关”“明知他人报警而在现场等候”“被告人随即打电话报警”"
        "（视为自动投案）",
        "'自首' (surrender), 'came forward to the police' (投案, 主动到案)",
        negated=False,
    ),
    _r(
        "confession.stated",
        "confession",
        r"如实供述|如实(?:地)?交代|坦白|(?<!当庭)(?<!庭审中)(?<!庭审时)供认不讳",
        "ordinary",
        "“如实供述”“坦白”“供认不讳”（当庭供认不讳是当庭认罪，不是坦白）",
        "'truthfully confessed' (如实供述, 坦白, 供认不讳; 当庭供认不讳 is a plea in court, not this)",
        negated="none",
    ),
    _r(
        "plea_in_court.stated",
        "guilty_plea_in_court",
        r"当庭(?:自愿)?认罪|庭审(?:中|时)(?:自愿)?认罪|(?:当庭|庭审中|庭审时)[^，。；]{0,8}供认不讳|"
        r"(?:开庭|庭审|审理)[^。；]{0,16}(?:并|且|亦)自愿认罪|对[^。；]{0,20}指控[^。；]{0,12}表示(?:承认|认罪)|"
        r"对[^。；]{0,12}(?:起诉书|公诉机关)[^。；]{0,12}指控[^。；]{0,12}(?:予以承认|供认)|(?:庭审中|当庭)[^。；]{0,20}表示自愿认罪",
        True,
        "“当庭认罪”“当庭供认不讳”“庭审中…自愿认罪”“对指控…表示承认”",
        "'pleaded guilty in court' (当庭认罪, 当庭供认不讳, admitted the charge at trial)",
        negated=False,
    ),
    _r(
        "plea_agreement.stated",
        "plea_agreement",
        r"认罪认罚|具结书|自愿认罪[，,]?(?:愿意)?接受(?:刑罚)?处罚",
        True,
        "“认罪认罚”“具结书”“自愿认罪，接受刑罚处罚”",
        "'admits guilt and accepts punishment' (认罪认罚) or a signed plea statement (具结书)",
        negated=False,
    ),
    _r(
        "restitution.stated",
        "restitution",
        r"退赃|退赔|退缴|退还[^，。；]{0,20}(?:赃|款|被害|受害|损失)|赃[物款][^，。；]{0,8}(?:返还|发还|退还|归还)|"
        r"退出赃款|赃款已?退清|(?:返还|退还|归还|退回|退出)了?(?:全部|所有)(?:赃款|赃物|违法所得|非法所得|所得|钱款|款项)",
        _returned,
        "“退赃”“退赔”“退还赃款”“返还了全部赃款”“赃物已返还”（公安机关追回、扣押后发还的不计；只退回部分而未写数额的不计为全部退赃）",
        "'returned the proceeds' (退赃, 退赔, 返还了全部赃款, 赃物已返还) — not what the police recovered (追回, 追缴) "
        "and handed back, nor an unstated part (退回部分)",
        negated=False,
        charges=("theft", "fraud", "robbery", "snatching", "extortion", "employee_embezzlement", "fundraising_fraud"),
    ),
    _r(
        "reconciliation.stated",
        "reconciliation",
        r"刑事和解|达成和解|和解协议",
        True,
        "“刑事和解”“达成和解”（证据目录中的和解协议不计）",
        "'criminal reconciliation' (刑事和解, 达成和解)",
        negated=False,
        charges=("theft", "fraud", "snatching", "extortion", "intentional_injury", "employee_embezzlement"),
    ),
    _r("recidivist.stated", "recidivist", r"累犯", True, "“累犯”", "'recidivist' (累犯)", negated=False),
    _r(
        "prior_record.stated",
        "prior_record",
        r"前科(?!证明|材料|情况)|曾(?:因|于)[^。；]{0,30}?(?:被判处|判处|被处以|处以|被行政拘留|劳动教养)|刑满释放",
        True,
        "“前科”“曾因…被判处”“刑满释放”",
        "'prior record' (前科, 曾因…被判处, 刑满释放)",
        negated=False,
    ),
    _r(
        "attempt.stated",
        "attempt",
        r"未遂|未得逞",
        True,
        "“未遂”“未得逞”",
        "'attempt' (未遂, 未得逞)",
        charges=("theft", "fraud", "robbery", "snatching", "extortion", "drug_trafficking", "employee_embezzlement"),
    ),
    _r(
        "discontinuance.stated",
        "discontinuance",
        r"(?:犯罪)?中止",
        _discontinuance,
        "“犯罪中止”（同句写明造成损害的，为造成损害的中止）",
        "'discontinued the crime' (犯罪中止; with harm where the same sentence says harm was caused)",
        charges=_INTENTIONAL_CHARGES,
    ),
    _r(
        "accessory.stated",
        "accessory",
        r"从犯|次要作用|辅助作用",
        True,
        "“从犯”“起次要/辅助作用”",
        "'accessory' (从犯, a secondary or auxiliary role)",
        negated=False,
        charges=_INTENTIONAL_CHARGES,
    ),
    _r(
        "coerced.stated",
        "coerced_accomplice",
        r"胁从犯?",
        True,
        "“胁从”",
        "'coerced accomplice' (胁从犯)",
        charges=_INTENTIONAL_CHARGES,
    ),
    _r(
        "limited_capacity.stated",
        "limited_capacity",
        r"限制(?:刑事)?责任能力|限定(?:刑事)?责任能力|部分(?:刑事)?责任能力",
        True,
        "“限制（刑事）责任能力”“限定刑事责任能力”“部分刑事责任能力”",
        "'limited criminal capacity' (限制刑事责任能力)",
        negated=False,
    ),
    _r(
        "meritorious.major",
        "meritorious_service",
        r"重大立功",
        "major",
        "“重大立功”",
        "'major meritorious service' (重大立功)",
    ),
    _r(
        "meritorious.ordinary",
        "meritorious_service",
        r"(?<!重大)立功|检举揭发[^。；]{0,30}(?:经|已)?查证属实",
        "ordinary",
        "“立功”“检举揭发他人犯罪，经查证属实”",
        "'meritorious service' (立功)",
        negated="none",
    ),
    _r(
        "during_probation.stated",
        "during_probation",
        r"缓刑(?:考验)?期(?:间|内|限内)[^。；]{0,12}?(?:又|再)",
        True,
        "“缓刑考验期内又犯”",
        "'committed during probation' (缓刑考验期内又犯)",
    ),
    _r(
        "fled.stated",
        "fled",
        r"弃车逃|逃逸|潜逃|逃往|逃匿|外逃|藏匿|更换[^，。；]{0,8}(?:联系方式|住所|居所)|逃离(?!现场)[\u4e00-\u9fff]{2,4}(?:市|县|省)?",
        True,
        "“逃逸”“潜逃”“逃匿”“外逃”“弃车逃离”“逃往外地”",
        "'fled' (逃逸, 潜逃, 弃车逃离, 逃往 elsewhere)",
    ),
    _r(
        "fled.scene",
        "fled",
        r"逃离(?:事故)?现场|(?<!停车)逃跑",
        True,
        "醉驾、伤害案件中“逃离现场”“逃跑”（盗窃、诈骗得手后离开不计）",
        "'left the scene, ran away' (逃离现场, 逃跑) after an accident or an injury (not a thief leaving with the "
        "goods)",
        charges=("dangerous_driving", "intentional_injury"),
    ),
    _r(
        "deaf_mute.stated",
        "deaf_mute_or_blind",
        r"聋哑|又聋又哑|盲人",
        True,
        "“聋哑”“盲人”",
        "'deaf-mute or blind' (聋哑, 盲人)",
    ),
    _r(
        "burglary.stated",
        "burglary",
        r"入户|(?:进入|潜入|窜至|翻[窗墙]进入|撬[^，。；]{0,6}进入)[^，。；]{0,12}?"
        r"(?:家中|住宅|住处|宿舍|房间|室内|屋内)",
        True,
        "“入户”或进入他人家中、住宅、宿舍、房间",
        "'entered a home' (入户; entering a home, dwelling, dormitory or room)",
        charges=("theft",),
    ),
    _r(
        "pickpocket.stated",
        "pickpocketing",
        r"扒窃|(?:衣|裤|包)[^，。；]{0,4}(?:口袋|兜|包)内?[^，。；]{0,6}(?:窃|盗|掏)",
        True,
        "“扒窃”或从他人口袋、包内窃取",
        "'pickpocketing' (扒窃, taking from a pocket or bag)",
        charges=("theft",),
    ),
    _r("armed.stated", "armed", r"携带凶器", True, "“携带凶器”", "'carrying a weapon' (携带凶器)", charges=("theft",)),
    _r(
        "robbery_in_home.stated",
        "robbery_in_home",
        r"入户抢劫|入室抢劫|(?:进入|闯入|窜入|潜入|冲入|破门而入)[^，。；]{0,12}(?:家中|住处|住宅|家里|卧室|居室)[^。；]{0,30}(?:抢|劫)",
        True,
        "“入户抢劫”“闯入…家中…抢”",
        "'robbery entering a home' (入户抢劫, 闯入…家中…抢)",
        negated=False,
        charges=("robbery",),
    ),
    _r(
        "robbery_on_public_transport.stated",
        "robbery_on_public_transport",
        r"(?:公共交通工具|公交车|公共汽车|长途客车|客运(?:汽)?车|地铁|列车|火车|客船)上[^。；]{0,30}(?:抢|劫)",
        True,
        "“在公共交通工具（公交车、长途客车、列车）上抢劫”",
        "'robbery on public transport' (公交车, 长途客车上抢劫)",
        negated=False,
        charges=("robbery",),
    ),
    _r(
        "robbery_of_financial_institution.stated",
        "robbery_of_financial_institution",
        r"抢劫[^，。；]{0,6}(?:银行|金融机构|信用社|储蓄所|运钞车)",
        True,
        "“抢劫银行或者其他金融机构”",
        "'robbery of a bank or financial institution' (抢劫银行, 金融机构)",
        negated=False,
        charges=("robbery",),
    ),
    _r(
        "robbery_impersonating_police.stated",
        "robbery_impersonating_police",
        r"冒充(?:军警|警察|民警|公安|军人|解放军|武警|联防)[^。；]{0,40}(?:抢|劫)",
        True,
        "“冒充军警人员抢劫”（冒充警察、民警、军人）",
        "'robbery impersonating the military or police' (冒充警察…抢劫)",
        negated=False,
        charges=("robbery",),
    ),
    _r(
        "robbery_with_firearm.stated",
        "robbery_with_firearm",
        r"持枪抢劫|持(?:手|猎|自制)?枪[^，。；]{0,12}(?:抢|劫)",
        True,
        "“持枪抢劫”（仿真枪、玩具枪不是枪支，不计）",
        "'robbery with a firearm' (持枪抢劫; an imitation or toy gun is no firearm and is not counted)",
        negated=False,
        charges=("robbery",),
    ),
    _r(
        "robbery_of_special_supplies.stated",
        "robbery_of_special_supplies",
        r"抢劫[^，。；]{0,8}(?:军用物资|抢险物资|救灾物资|救济物资)",
        True,
        "“抢劫军用物资或者抢险、救灾、救济物资”",
        "'robbery of military, rescue or relief supplies'",
        negated=False,
        charges=("robbery",),
    ),
    _r(
        "snatching_by_vehicle.stated",
        "snatching_by_vehicle",
        r"(?:飞车|驾车|骑车|开车)抢夺|(?:驾驶|骑|骑乘|驾|开)(?:着|乘)?[^，。；]{0,10}"
        r"(?:摩托车|电动车|电瓶车|电动自行车|助力车|自行车|汽车|轿车|面包车|机动车|非机动车|车辆)[^。；]{0,30}(?:抢夺|夺)",
        True,
        "“飞车抢夺”“驾驶摩托车…抢夺/夺走”",
        "'snatching from a vehicle' (飞车抢夺, 驾驶摩托车…夺走)",
        charges=("snatching",),
    ),
    _r(
        "extortion_threatening_grave_crime.stated",
        "extortion_threatening_grave_crime",
        r"以(?:将要|要|将)?(?:实施)?(?:放火|爆炸|投毒|杀害|杀死|绑架|杀人)[^。；]{0,20}(?:相)?(?:威胁|要挟)|扬言[^，。；]{0,10}(?:放火|爆炸|杀)",
        True,
        "“以放火、爆炸、杀人、绑架相威胁”“扬言要杀…”",
        "'threatened a grave crime' (以放火、爆炸、杀人、绑架相威胁, 扬言要杀)",
        charges=("extortion",),
    ),
    _r(
        "extortion_posing_as_gang_or_official.stated",
        "extortion_posing_as_gang_or_official",
        r"以黑(?:恶|社会)势力(?:的)?名义|冒充(?:国家机关工作人员|警察|民警|公安|纪委|军人|记者|新闻工作者|检察官|法官|税务)|"
        r"(?:利用|以)(?:其)?(?:记者|新闻工作者)身份",
        True,
        "“以黑恶势力名义”“冒充警察/纪委/记者”",
        "'in the name of a gang, or posing as an official or journalist' (以黑恶势力名义, 冒充警察, 冒充记者)",
        charges=("extortion",),
    ),
    _r(
        "drug_reoffender.stated",
        "drug_reoffender",
        r"毒品再犯",
        True,
        "“毒品再犯”",
        "'drug reoffender' (毒品再犯)",
        negated=False,
    ),
    _r(
        "drug_minors.stated",
        "drug_minors",
        r"(?:利用|教唆|组织)[^。；]{0,6}未成年人[^。；]{0,12}(?:贩卖|运输|走私|制造)|向(?:未成年人|未满十八周岁的)[^。；]{0,8}(?:出售|贩卖)",
        True,
        "“利用、教唆未成年人贩卖毒品”“向未成年人出售毒品”",
        "'used or incited minors to sell drugs, or sold drugs to a minor' (利用、教唆未成年人…, 向未成年人出售)",
        charges=("drug_trafficking",),
    ),
    _r(
        "drug_hired_carrier.stated",
        "drug_hired_carrier",
        r"受(?:人)?(?:雇佣|雇用|雇)[^。；]{0,20}运输|受雇运输",
        True,
        "“受雇运输毒品”“受他人雇佣…运输”",
        "'transported drugs as a hired carrier' (受雇运输毒品)",
        charges=("drug_trafficking",),
    ),
    _r(
        "drug_low_purity.stated",
        "drug_low_purity",
        r"(?:含量|纯度)[^。；]{0,6}(?:明显偏低|极低|较低)",
        True,
        "“毒品含量明显偏低”",
        "'markedly low purity' (含量明显偏低)",
        charges=("drug_trafficking",),
    ),
    _r(
        "drug_inducement.stated",
        "drug_quantity_inducement",
        r"数量引诱|特情引诱",
        True,
        "“数量引诱”“特情引诱”",
        "'quantity induced by an informant' (数量引诱, 特情引诱)",
        charges=("drug_trafficking",),
    ),
    _r(
        "drug_in_facility.stated",
        "drug_in_rehab_or_custody",
        r"(?:戒毒所|戒毒场所|戒毒中心|看守所|拘留所|监管场所|监狱)(?:内|中|里)[^。；]{0,16}(?:贩卖|出售|持有|藏匿)",
        True,
        "“在戒毒所、看守所内贩卖/持有毒品”",
        "'sold or held drugs inside a rehabilitation or custody facility' (在戒毒所内贩卖…)",
        charges=("drug_trafficking", "drug_possession"),
    ),
    _r(
        "drug_to_students.stated",
        "drug_to_students",
        r"向[^。；]{0,6}(?:在校)?(?:学生|中学生|大学生|高中生|初中生)[^。；]{0,6}(?:贩卖|出售)",
        True,
        "“向在校学生贩卖毒品”",
        "'sold drugs to school students' (向在校学生贩卖)",
        charges=("drug_trafficking",),
    ),
    _r(
        "drug_ringleader.stated",
        "drug_group_ringleader",
        r"毒品犯罪集团的?首要分子|贩毒集团的?首要分子",
        True,
        "“毒品犯罪集团的首要分子”",
        "'ringleader of a drug gang'",
        negated=False,
        charges=("drug_trafficking",),
    ),
    _r(
        "drug_armed.stated",
        "drug_armed_escort",
        r"武装掩护",
        True,
        "“武装掩护”",
        "'armed escort' (武装掩护)",
        negated=False,
        charges=("drug_trafficking",),
    ),
    _r(
        "drug_violence.stated",
        "drug_violent_resistance",
        r"(?:以)?暴力抗拒(?:检查|拘留|逮捕)",
        True,
        "“以暴力抗拒检查、拘留、逮捕”",
        "'violent resistance to inspection or arrest' (暴力抗拒检查)",
        negated=False,
        charges=("drug_trafficking",),
    ),
    _r(
        "drug_international.stated",
        "drug_international_organised",
        r"有组织的国际贩毒|国际贩毒(?:集团|组织|活动)",
        True,
        "“参与有组织的国际贩毒活动”",
        "'organised international drug trafficking'",
        negated=False,
        charges=("drug_trafficking",),
    ),
    _r(
        "sheltering_penalty.stated",
        "sheltering_prior_penalty",
        r"(?:曾|二年内|两年内)[^。；]{0,8}因容留他人吸(?:毒|食)[^。；]{0,20}(?:行政拘留|行政处罚|治安处罚|罚款)",
        True,
        "“曾因容留他人吸毒被行政拘留”",
        "'an administrative penalty for giving a place to take drugs'",
        negated=False,
        charges=("sheltering_drug_use",),
    ),
    _r(
        "sheltered_minor.stated",
        "sheltered_minor",
        r"容留[^。；]{0,12}(?:未成年人|未满十八周岁)",
        True,
        "“容留未成年人吸毒”",
        "'gave a minor a place to take drugs'",
        negated=False,
        charges=("sheltering_drug_use",),
    ),
    _r(
        "sheltering_profit.stated",
        "sheltering_for_profit",
        r"以牟利为目的|(?:收取|收)[^。；]{0,10}(?:场地费|房费|费用)[^。；]{0,10}容留",
        True,
        "“以牟利为目的容留”",
        "'for profit' (以牟利为目的)",
        negated=False,
        charges=("sheltering_drug_use",),
    ),
    _r(
        "quarrel_armed.stated",
        "quarrel_armed",
        r"持(?:刀|砍刀|菜刀|水果刀|匕首|棍|木棍|铁棍|钢管|棒球棍|凶器|啤酒瓶|酒瓶)|手持[^，。；]{0,4}(?:刀|棍|钢管|凶器)",
        True,
        "“持刀、持棍、持钢管”“手持凶器”",
        "'with a knife, club or pipe' (持刀, 持棍, 持凶器)",
        charges=("picking_quarrels",),
    ),
    _r(
        "quarrel_grave.stated",
        "quarrel_grave_consequence",
        r"精神失常|(?:导致|致使|引起|造成)[^。；]{0,10}自杀",
        True,
        "“引起精神失常”“致使…自杀”",
        "'mental derangement or suicide caused'",
        negated=False,
        charges=("picking_quarrels",),
    ),
    _r(
        "quarrel_vulnerable.stated",
        "quarrel_vulnerable_targets",
        r"(?:殴打|恐吓|辱骂|追逐|拦截)[^。；]{0,10}(?:精神病人|残疾人|流浪乞讨人员|老年人|孕妇)",
        True,
        "“殴打/恐吓精神病人、残疾人、流浪乞讨人员、老年人、孕妇”",
        "'beat or threatened the mentally ill, disabled, homeless, aged or pregnant'",
        negated=False,
        charges=("picking_quarrels",),
    ),
    _r(
        "quarrel_disorder.stated",
        "quarrel_public_disorder",
        r"(?:公共场所)?秩序严重混乱",
        True,
        "“造成公共场所秩序严重混乱”",
        "'serious disorder in a public place'",
        negated=False,
        charges=("picking_quarrels",),
    ),
    _r(
        "quarrel_disrupted.stated",
        "quarrel_disrupted_life",
        r"严重影响[^。；]{0,6}(?:工作|生活|生产|经营)",
        True,
        "“严重影响他人的工作、生活、生产、经营”",
        "'seriously disrupted work or life'",
        negated=False,
        charges=("picking_quarrels",),
    ),
    _r(
        "quarrel_gang.stated",
        "quarrel_gang_leader",
        r"纠集",
        True,
        "“纠集他人”",
        "'gathered others' (纠集)",
        negated=False,
        charges=("picking_quarrels",),
    ),
    _r(
        "quarrel_minors.stated",
        "quarrel_gathered_minors",
        r"纠集[^。；]{0,12}(?:未成年人|未满十八周岁)",
        True,
        "“纠集未成年人”",
        "'gathered minors'",
        negated=False,
        charges=("picking_quarrels",),
    ),
    _r(
        "fundraising_effect.stated",
        "fundraising_grave_effect",
        r"(?:造成|引起|导致)[^。；]{0,10}(?:恶劣社会影响|严重后果|群体性事件)",
        True,
        "“造成恶劣社会影响或者其他严重后果”",
        "'a grave public effect or other grave consequence'",
        negated=False,
        charges=("fundraising_fraud",),
    ),
    _r(
        "obstruction_police.stated",
        "obstruction_police_attacked",
        r"(?:殴打|踢打|踢踹|咬伤|撕咬|抓伤|撕扯|推搡|袭击|打伤|挥拳击打)[^。；]{0,12}(?<!辅)(?:民警|人民警察|警察)",
        True,
        "“殴打、踢打、撕扯、推搡民警”（辅警不计）",
        "'hit, kicked, bit or pushed a police officer' (an auxiliary is no officer)",
        negated=False,
        charges=("obstructing_official_duties",),
    ),
    _r(
        "obstruction_irregular.stated",
        "obstruction_irregular_enforcement",
        r"(?:执法|执行公务)(?:行为)?(?:存在)?不规范",
        True,
        "“执行公务行为不规范”",
        "'irregular conduct of the officials'",
        negated=False,
        charges=("obstructing_official_duties",),
    ),
    _r(
        "affray_armed.stated",
        "affray_armed",
        r"持械|持(?:刀|砍刀|棍|木棍|铁棍|钢管|棒球棍|匕首)|手持[^，。；]{0,4}(?:刀|棍|钢管)",
        True,
        "“持械”“持刀、持棍、持钢管”",
        "'armed' (持械, 持刀, 持棍)",
        negated=False,
        charges=("affray",),
    ),
    _r(
        "affray_disorder.stated",
        "affray_public_disorder",
        r"(?:社会|公共场所|交通)?秩序严重混乱|交通(?:严重)?堵塞",
        True,
        "“造成社会秩序严重混乱”",
        "'serious disorder in a public place or on a road'",
        negated=False,
        charges=("affray",),
    ),
    _r(
        "affray_scale.stated",
        "affray_large_scale",
        r"人数多[，,]?规模大|规模(?:较)?大[^。；]{0,6}社会影响恶劣",
        True,
        "“人数多，规模大，社会影响恶劣”",
        "'many people, on a large scale'",
        negated=False,
        charges=("affray",),
    ),
    _r(
        "affray_minors.stated",
        "affray_gathered_minors",
        r"纠集[^。；]{0,12}(?:未成年人|未满十八周岁)",
        True,
        "“纠集未成年人”",
        "'gathered minors'",
        negated=False,
        charges=("affray",),
    ),
    _r(
        "detention_beating.stated",
        "detention_beating_or_insult",
        r"殴打|拳打脚踢|踢打|扇[^。；]{0,4}耳光|打了[^。；]{0,6}(?:耳光|几拳|几下)|侮辱|辱骂",
        True,
        "“殴打”“扇耳光”“侮辱”",
        "'beat', 'slapped', 'humiliated'",
        negated=False,
        charges=("illegal_detention",),
    ),
    _r(
        "detention_official.stated",
        "detention_by_official",
        r"国家机关工作人员[^。；]{0,12}利用职权|利用[^。；]{0,6}职权[^。；]{0,20}(?:拘禁|扣押|关押)",
        True,
        "“国家机关工作人员利用职权”",
        "'a state official abusing power'",
        negated=False,
        charges=("illegal_detention",),
    ),
    _r(
        "detention_debt.stated",
        "detention_for_debt",
        r"(?:索要|讨要|追讨|索取|催讨|讨还)[^。；]{0,6}(?:欠款|债务|货款|工程款|工资|借款)",
        True,
        "“索要欠款”“追讨债务”（赌债、高利贷不计）",
        "'to collect a debt owed' (a gambling debt or usury is no lawful debt)",
        negated=False,
        charges=("illegal_detention",),
    ),
    _r(
        "rape_child.stated",
        "rape_child_victim",
        r"幼女|(?:不满|未满)(?:十四|14)周岁",
        True,
        "“幼女”“不满十四周岁”",
        "'a girl under 14'",
        negated=False,
        charges=("rape",),
    ),
    _r(
        "rape_under_10.stated",
        "rape_child_under_10",
        r"(?:不满|未满)(?:十|10)周岁",
        True,
        "“不满十周岁”",
        "'under 10'",
        negated=False,
        charges=("rape",),
    ),
    _r(
        "rape_gang.stated",
        "rape_gang",
        r"轮奸|轮流[^。；]{0,6}(?:强奸|奸淫|发生性关系)",
        True,
        "“轮奸”",
        "'gang rape'",
        negated=False,
        charges=("rape",),
    ),
    _r(
        "rape_public.stated",
        "rape_in_public",
        r"(?:公共场所|公众场所)[^。；]{0,6}当众",
        True,
        "“在公共场所当众”",
        "'in a public place, in front of others'",
        negated=False,
        charges=("rape",),
    ),
    _r(
        "prostitution_prior.stated",
        "prostitution_prior_penalty",
        r"(?:曾|一年内)[^。；]{0,12}因[^。；]{0,12}(?:容留|介绍|引诱)[^。；]{0,8}卖淫[^。；]{0,16}(?:行政拘留|行政处罚|罚款|拘留)",
        True,
        "“曾因容留卖淫被行政拘留”",
        "'an earlier administrative penalty for it'",
        negated=False,
        charges=("prostitution_procuring",),
    ),
    _r(
        "accident_responsibility.stated",
        "accident_responsibility",
        r"负(?:[^，。；]{0,10}?(?:事故|此事故|该事故)的?)?(?P<r>全部|主要|同等|次要)责任",
        _responsibility,
        "“负事故全部/主要/同等/次要责任”（写明由被害人或对方负担的责任不计）",
        "'bears the full / main / equal / secondary responsibility for the accident' (负事故全部责任 …; a share the "
        "text gives the victim or the other party is not the defendant's)",
        charges=("traffic_accident",),
    ),
    _r(
        "fled_after_accident.stated",
        "fled_after_accident",
        r"肇事后逃逸|交通肇事逃逸|逃逸|逃离(?:事故)?现场|弃车逃|驾车逃离",
        True,
        "“肇事后逃逸”“逃离事故现场”“弃车逃离”",
        "'fled after the accident' (肇事后逃逸, 逃离事故现场, 弃车逃离)",
        charges=("traffic_accident",),
    ),
    _r(
        "deaths_from_fleeing.stated",
        "deaths_from_fleeing",
        r"因逃逸致[^，。；]{0,6}死亡|逃逸[^。；]{0,24}(?:得不到|未得到|未能得到|未能)(?:及时)?(?:救助|救治|抢救)[^，。；]{0,4}死亡",
        1,
        "“因逃逸致人死亡”“因被告人逃逸，被害人得不到救助而死亡”（一人）",
        "'a death caused by fleeing' (因逃逸致人死亡; one person)",
        charges=("traffic_accident",),
    ),
    _r(
        "drunk_or_drugged_driving.stated",
        "drunk_or_drugged_driving",
        r"(?:酒后|醉酒后?|饮酒后|吸食毒品后|吸毒后)驾(?:驶|车)",
        True,
        "“酒后驾驶”“醉酒驾驶”“吸食毒品后驾驶”",
        "'driving after drinking or drug-taking' (酒后驾驶, 醉酒驾驶, 吸毒后驾驶)",
        charges=("traffic_accident",),
    ),
    _r(
        "unsafe_or_unregistered_vehicle.stated",
        "unsafe_or_unregistered_vehicle",
        r"安全装置不全|安全机件失灵|制动(?:系统|性能)?(?:失效|不合格)|未悬挂(?:机动车)?号牌|无号牌|无牌(?:照)?(?:的)?(?:机动车|车辆|货车|摩托车|轿车)|"
        r"(?:已|达到)?报废(?:标准)?的?(?:机动车|车辆|货车)|报废车",
        True,
        "“安全装置不全”“制动失效”“无号牌”“报废车辆”（是否明知，由当事方确认）",
        "'an unsafe, unregistered or scrapped vehicle' (安全装置不全, 制动失效, 无号牌, 报废车辆; whether the "
        "defendant knew is for the parties to confirm)",
        charges=("traffic_accident",),
    ),
    _r(
        "seriously_overloaded.stated",
        "seriously_overloaded",
        r"严重超载|超(?:载|员)[百0-9.]{1,6}%",
        True,
        "“严重超载”“超载X%”",
        "'seriously overloaded' (严重超载, 超载X%)",
        charges=("traffic_accident",),
    ),
    _r(
        "mutual_fight.stated",
        "mutual_fight",
        r"互殴|相互殴打|互相殴打|相互厮打|厮打|扭打|撕打|打架|打斗|殴斗|相互撕扯|互相撕扯|(?:相互|互相)推搡|吵打|"
        r"(?:两人|二人|双方)发生殴打|(?:两人|二人|双方|几人|数人|多人)(?:发生|产生)(?:肢体)?冲突|肢体冲突",
        _fought,
        "“互殴”“厮打”“扭打”“相互推搡”，且是被告人一方参与的（他人之间的厮打不计）",
        "'mutual fight' (互殴, 厮打, 扭打, 相互推搡) with the defendant's side in it — not a fight between others",
        charges=("intentional_injury",),
    ),
    _r(
        "victim_fault.stated",
        "victim_fault",
        r"(?:被害人|自诉人)(?:(?!被被告人|被告人[^，。；]{0,4}[将把])[^，。；]){0,30}?"
        r"(?:(?<!不存在)(?<!没有)(?<!无)过错|挑衅|先动手|先行动手|首先动手|先行殴打|先打|踢了|打了|捣了|扇了|泼到|泼在|"
        r"掀翻|砸烂|砸坏|辱骂)",
        True,
        "“被害人有过错”“被害人先动手”",
        "'the victim was at fault or struck first' (被害人过错, 先动手)",
        negated=False,
        charges=("intentional_injury",),
    ),
    _r(
        "excessive_defence.stated",
        "excessive_defence",
        r"防卫过当",
        True,
        "“防卫过当”",
        "'excessive self-defence' (防卫过当)",
        charges=("intentional_injury",),
    ),
    _r(
        "cruel_means.stated",
        "cruel_means",
        r"手段(?:特别)?残忍",
        True,
        "“手段残忍”",
        "'cruel means' (手段残忍)",
        negated=False,
        charges=("intentional_injury",),
    ),
    _r(
        "injury_grade.graded",
        "injury_grade",
        r"(?P<kind>轻伤|重伤)[（(]?(?P<grade>[一二]级)[）)]?",
        lambda m: _INJURY_GRADES.get(m.group("kind") + m.group("grade")),
        "“轻伤一级/二级”“重伤一级/二级”",
        "the injury's stated grade (轻伤一级/二级, 重伤一级/二级)",
        charges=("intentional_injury",),
    ),
    _r(
        "disability.grade",
        "disability_grade",
        r"(?:[IVX]{1,4}[（(])?(?P<g>[一二三四五六七八九十]|10|[1-9])[）)]?级(?:伤)?残|伤残(?:等级)?(?:程度)?(?:为|评定为|属|构成|系)?"
        r"(?P<g2>[一二三四五六七八九十]|10|[1-9])级",
        lambda m: _grade_either(m),
        "“X级伤残”“伤残X级”",
        "the stated disability grade (X级伤残)",
        charges=("intentional_injury", "robbery"),
    ),
    _r(
        "bac.stated",
        "blood_alcohol_mg_per_100ml",
        r"(?P<v>\d+(?:\.\d+)?)\s*[（(]?(?P<mass>mg|ｍｇ|毫克|MG|㎎|g)(?:[（(]乙醇[)）])?\s*[/／每]\s*(?P<per>100|)\s*"
        r"(?P<unit>ml|ｍｌ|mL|毫升|ML|m1|dL|dl)(?:[（(]血液?[)）])?|每百毫升(?:血液中?)?(?:含)?(?P<v2>\d+(?:\.\d+)?)毫克",
        _bac,
        "血液乙醇含量“X mg/100ml”（“X mg/ml”乘以100，“X g/100ml”乘以1000；每毫升10毫克以上不可能，按笔误即每百毫升计）",
        "the blood alcohol stated as X mg/100ml (X mg/ml times 100, X g/100ml times 1000; 10 mg or more per ml is "
        "impossible and read as the usual slip for per 100 ml)",
        charges=("dangerous_driving",),
    ),
    _r(
        "accident.stated",
        "caused_accident",
        r"发生[^，。；]{0,8}?(?:事故|碰撞|相撞|刮擦)|(?:撞|碰)[到上击倒伤]|相撞|碰撞|追尾|刮擦|剐蹭|刮撞|侧滑|侧翻|翻车|摔倒",
        True,
        "“发生交通事故”“相撞”“碰撞”“追尾”",
        "'caused an accident' (发生事故, 相撞, 碰撞, 追尾)",
        negated=False,
        charges=("dangerous_driving",),
    ),
    _r(
        "unlicensed.stated",
        "unlicensed",
        r"无证驾驶|无(?:机动车)?驾驶证|未取得(?:机动车|准驾车型)?驾驶(?:证|资格)|驾驶证[^，。；]{0,6}(?:吊销|注销|暂扣)|"
        r"无有效驾驶证|无驾驶资格|准驾车型[^，。；]{0,10}不符|准驾不符|无证[、，]?(?:醉酒|酒后|饮酒|驾驶)|"
        r"无[^，。；]{0,4}驾驶证",
        True,
        "“无证驾驶”“未取得驾驶证”“驾驶证被吊销”",
        "'driving without a licence' (无证驾驶, 未取得驾驶证, 吊销)",
        charges=("dangerous_driving", "traffic_accident"),
    ),
    _r(
        "passengers.stated",
        "carrying_passengers",
        r"载有?乘客|搭载|载客|超员",
        True,
        "“载客”“搭载”“超员”",
        "'carrying passengers' (载客, 搭载, 超员)",
        charges=("dangerous_driving",),
    ),
    _r(
        "breath_test.refused",
        "refused_breath_test",
        r"拒(?:绝|不)(?:接受|配合)?[^，。；]{0,6}(?:呼气|酒精检测|抽血|血液检测)|"
        r"(?:呼出气体|呼气|酒精)[^。；]{0,16}(?:测试|检测)[^。；]{0,4}[，,][^，。；]{0,4}(?:但|而)?[^，。；]{0,6}拒(?:绝|不)配合",
        True,
        "“拒绝呼气检测/抽血”“对其进行呼气测试，但其拒绝配合”",
        "'refused the breath or blood test' (拒绝呼气检测, 拒绝抽血)",
        charges=("dangerous_driving",),
    ),
)


def _grade_either(match: re.Match[str]) -> FactorValue | None:
    raw = match.group("g") or match.group("g2")
    value = parse_number(raw) if raw else None
    return int(value) if value is not None and 1 <= value <= 10 else None


# ----------------------------------------------------------------------------------------------- the charge


_CHARGE_NAMES = {
    "盗窃罪": "theft",
    "诈骗罪": "fraud",
    "抢劫罪": "robbery",
    "抢夺罪": "snatching",
    "敲诈勒索罪": "extortion",
    "交通肇事罪": "traffic_accident",
    "故意伤害罪": "intentional_injury",
    "危险驾驶罪": "dangerous_driving",
    "非法持有毒品罪": "drug_possession",
    "寻衅滋事罪": "picking_quarrels",
    "职务侵占罪": "employee_embezzlement",
    "集资诈骗罪": "fundraising_fraud",
    "妨害公务罪": "obstructing_official_duties",
    "聚众斗殴罪": "affray",
    "容留他人吸毒罪": "sheltering_drug_use",
    "非法拘禁罪": "illegal_detention",
    "强奸罪": "rape",
    "信用卡诈骗罪": "credit_card_fraud",
    "合同诈骗罪": "contract_fraud",
    "非法吸收公众存款罪": "illegal_deposits",
    "掩饰、隐瞒犯罪所得、犯罪所得收益罪": "concealing_proceeds",
    "掩饰、隐瞒犯罪所得罪": "concealing_proceeds",
    "掩饰、隐瞒犯罪所得收益罪": "concealing_proceeds",
    # 引诱、容留、介绍卖淫罪 is one charge named by the acts done (容留、介绍卖淫罪, 容留卖淫罪 …)
    **{
        "、".join(acts) + "卖淫罪": "prostitution_procuring"
        for n in (3, 2, 1)
        for acts in itertools.combinations(("引诱", "容留", "介绍"), n)
    },
    # 走私、贩卖、运输、制造毒品罪 is one charge named by the acts done, in the article's order (贩卖、运输毒品罪 …)
    **{
        "、".join(acts) + "毒品罪": "drug_trafficking"
        for n in (4, 3, 2, 1)
        for acts in itertools.combinations(("走私", "贩卖", "运输", "制造"), n)
    },
}
_CHARGE_SIGNS = (
    (
        "prostitution_procuring",
        r"(?:容留|介绍|引诱)[^。；]{0,16}卖淫|卖淫嫖娼|提供[^。；]{0,8}(?:色情|性)服务",
        "容留…卖淫 / 介绍…卖淫",
        "harbouring or procuring prostitution",
    ),
    ("rape", r"强奸|奸淫|强行与[^。；]{0,10}发生(?:了)?性关系", "强奸 / 奸淫 / 强行发生性关系", "rape"),
    (
        "illegal_detention",
        r"非法拘禁|(?:拘禁|关押|看管)[^。；]{0,20}(?:小时|天)|(?:限制|剥夺)[^。；]{0,10}人身自由",
        "非法拘禁 / 关押…小时 / 限制人身自由",
        "holding a person",
    ),
    (
        "credit_card_fraud",
        r"信用卡诈骗|恶意透支|透支[^。；]{0,30}(?:催收|未归还|不归还|拒不归还)|冒用[^。；]{0,12}信用卡|伪造的信用卡",
        "恶意透支 / 冒用他人信用卡",
        "credit card fraud",
    ),
    (
        "contract_fraud",
        r"合同诈骗|(?:签订|订立|履行)[^。；]{0,30}合同[^。；]{0,60}(?:骗取|逃匿|据为己有|非法占有)",
        "合同诈骗 / 签订…合同…骗取",
        "fraud through a contract",
    ),
    (
        "illegal_deposits",
        r"非法吸收公众存款|变相吸收公众存款|(?:向|吸收)[^。；]{0,20}(?:社会公众|不特定)[^。；]{0,30}(?:吸收|资金|存款)",
        "非法吸收公众存款 / 向社会不特定公众吸收资金",
        "taking deposits from the public",
    ),
    (
        "concealing_proceeds",
        r"掩饰、?隐瞒|明知[^。；]{0,20}(?:犯罪所得|赃物|赃款|赃车|违法所得|诈骗所得|盗窃所得|诈骗资金)",
        "掩饰、隐瞒 / 明知是犯罪所得",
        "concealing proceeds of crime",
    ),
    (
        "sheltering_drug_use",
        r"容留[^，。；]{0,12}吸(?:食|毒)|容留[^，。；]{0,12}注射毒品",
        "容留…吸食 / 吸毒",
        "a place given to take drugs",
    ),
    (
        "drug_possession",
        r"非法持有毒品|非法持有[^，。；]{0,8}(?:甲基苯丙胺|海洛因|冰毒|氯胺酮|鸦片|可卡因|毒品)",
        "非法持有毒品",
        "illegal possession of drugs",
    ),
    (
        "drug_trafficking",
        r"贩卖毒品|贩毒|运输毒品|走私毒品|制造毒品|(?:贩卖|出售|运输|走私|制造)[^，。；]{0,10}"
        r"(?:甲基苯丙胺|海洛因|冰毒|氯胺酮|K粉|摇头丸|鸦片|可卡因|麻古)",
        "贩卖毒品 / 运输毒品 / 出售冰毒",
        "drug trafficking",
    ),
    (
        "affray",
        r"聚众斗殴|互相斗殴|双方[^。；]{0,10}(?:持械|持刀|持棍)?[^。；]{0,6}(?:互殴|斗殴)",
        "聚众斗殴 / 双方…斗殴",
        "affray",
    ),
    (
        "obstructing_official_duties",
        r"妨害公务|阻碍[^。；]{0,20}(?:依法执行职务|执行公务|执法|执行职务)",
        "妨害公务 / 阻碍…依法执行职务",
        "obstructing official duties",
    ),
    (
        "employee_embezzlement",
        r"职务侵占|利用[^。；]{0,20}?(?:职务|工作)(?:上)?的?便利[^。；]{0,40}(?:侵占|占为己有|截留|侵吞|私吞|据为己有)",
        "职务侵占 / 利用职务便利…占为己有",
        "embezzlement by an employee",
    ),
    (
        "fundraising_fraud",
        r"集资诈骗|非法集资[^。；]{0,30}(?:骗|占有|挥霍)|以高(?:额)?(?:息|回报|利息)为诱饵",
        "集资诈骗 / 非法集资…骗 / 以高息为诱饵",
        "fraudulent fund-raising",
    ),
    (
        "picking_quarrels",
        r"寻衅滋事|随意殴打|强拿硬要|起哄闹事|任意损毁",
        "寻衅滋事 / 随意殴打 / 强拿硬要",
        "picking quarrels",
    ),
    ("dangerous_driving", r"醉酒|酒驾|饮酒|酒后驾驶|乙醇|酒精含量", "醉酒 / 饮酒 / 乙醇", "drunk driving"),
    ("robbery", r"抢劫|劫取|劫得|劫走", "抢劫 / 劫取 / 劫得", "robbing"),
    ("snatching", r"抢夺|夺取|夺走|夺得|飞车抢", "抢夺 / 夺取 / 夺走", "snatching"),
    ("extortion", r"敲诈|勒索|要挟", "敲诈 / 勒索 / 要挟", "extortion"),
    (
        "traffic_accident",
        r"交通肇事|肇事后逃逸|负事故(?:全部|主要|同等)责任",
        "交通肇事 / 负事故…责任",
        "a traffic accident",
    ),
    (
        "intentional_injury",
        r"轻伤|重伤|轻微伤|[打砍刺捅踢划扎戳砸]伤|殴打|伤害|致[^，。；]{0,6}死亡",
        "轻伤 / 重伤 / 打伤 / 殴打",
        "an injury",
    ),
    ("fraud", r"骗|虚构|隐瞒[^，。；]{0,8}真相|谎称|冒充|冒名|偷逃", "骗取 / 虚构事实 / 谎称 / 冒充", "deception"),
    (
        "theft",
        r"盗窃|窃取|偷窃|扒窃|盗|窃|偷(?!逃)|扒|趁[^，。；]{0,10}(?:不备|之机|不注意|无人|熟睡)|秘密|失主|推走|取走|拿走|"
        r"××(?:其|被害人|他人)?[^，。；]{0,8}(?:挎包|钱包|背包|手机|银行卡|信用卡|电动车|自行车|摩托车|香烟|现金)",
        "盗窃 / 窃取 / 趁…不备 / 秘密",
        "stealing",
    ),
)
#: weaker signs, counted only where the text shows none of the signs above (CAIL2018 masks the verbs: 以有事用车为由
#: 将车借走 … 抵押): a pretext, or a borrowed or rented thing pledged to another, is deception
_WEAK_CHARGE_SIGNS = (
    ("fraud", r"信以为真|以[^，。；]{1,12}为(?:由|名)|(?:租赁|租用|借用|借走)[^。；]{0,30}(?:抵押|质押)给",
     "以…为由 / 信以为真 / 租借之物抵押", "a pretext"),
)  # fmt: skip


def _charge(t: _Text) -> tuple[str | None, Source | None, list[Label]]:
    named = [(m, _CHARGE_NAMES[m.group(0)]) for m in re.finditer("|".join(_CHARGE_NAMES), t.text)]
    if named:
        charges = {c for _, c in named}
        if len(charges) == 1:
            return named[0][1], t.source(named[0][0], "charge.named"), []
        return (
            None,
            None,
            [
                Label(
                    "文书提及多个罪名：" + "、".join(sorted(charges)),
                    "the text names several charges (" + ", ".join(sorted(charges)) + ")",
                )
            ],
        )
    # the signs of each charge counted; the most wins (a tie goes to the charge listed first)
    best: tuple[int, str, re.Match[str]] | None = None
    for signs, rule in ((_CHARGE_SIGNS, "charge.sign"), (_WEAK_CHARGE_SIGNS, "charge.weak_sign")):
        for charge, pattern, _zh, _en in signs:
            matches = list(re.finditer(pattern, t.text))
            if matches and (best is None or len(matches) > best[0]):
                best = (len(matches), charge, matches[0])
        if best is not None:
            return best[1], t.source(best[2], f"{rule}.{best[1]}"), []
    return None, None, [Label("未能从文书确定罪名", "the text does not decide the charge")]


def _document_kind(text: str) -> str:
    heading = text[:300]
    # the document's own title comes first: a judgment's opening also names the indictment it answers (…起诉书指控)
    titled = [(heading.find(word), kind) for word, kind in (("量刑建议书", "proposal"), ("起诉书", "indictment"),
                                                            ("判决书", "judgment")) if word in heading]  # fmt: skip
    if titled:
        return min(titled)[1]
    if re.search(r"本院认为|经审理查明|判决如下|本院查明|判决书", text):
        return "judgment"
    if "量刑建议" in text and "判决" not in text:
        return "proposal"
    if re.search(r"起诉书|提起公诉|检察院指控|公诉机关指控", text):
        return "indictment"
    return "unknown"


# ----------------------------------------------------------------------------------------------- amounts


_MONEY = re.compile(MONEY_PATTERN)
_ACT_MARK = re.compile(
    r"(?:^|[。；;\n\s：:])\s*(?:[（(]?[0-9０-９]{1,2}[)）]?(?:[、．]|\.(?![0-9]{1,3}(?![0-9]{1,}年)))|"
    r"[（(]?[一二三四五六七八九十]{1,3}[)）]?、|"
    r"[（(][0-9一二三四五六七八九十]{1,3}[)）])"
)
_NOT_THE_AMOUNT = re.compile(
    r"退赃|退赔|退缴|退还|归还|返还|发还|赔偿|赔付|罚金|抵押|卖|销赃|变卖|典当|质押|工资|押金|补偿|谅解|悬赏|奖励|保证金|"
    r"以$|以[^，。；]{0,3}$|价格$|售价|收购|手续费|好处费|报酬|花费|挥霍|购买|租金|利息|还款|借款(?!为名|为由)|欠款|充值|"
    r"取保|罚款|已还|偿还|追回|扣押|缴获|查获|退回|未还$|尚欠|余额|分得|分赃|从中|获利|获款|冻结|其中|贷款金额|合同|借据|"
    r"借条|欠条|收条|票面|面额|面值|以[^，。；]{0,4}价格|要求[^，。；]{0,14}$|需要?[^，。；骗窃盗]{0,12}$"
)
#: a charge's sums that are not its amount, by the clause they stand in
_NOT_THE_AMOUNT_OF = {"illegal_deposits": re.compile(r"兑付|损失|未归还|未偿还")}
_RESTITUTION = re.compile(r"退赃|退赔|退缴|退还|归还|返还|发还|退回|偿还|已还|退清|还清|退出")
_TOTAL = re.compile(
    r"共计|合计|总计|累计|总价值|总额|总金额|共[^，。；]{0,6}$|计$|计人民币$|合款$|达$|达人民币$|"
    r"实际[^，。；]{0,8}(?:骗取|骗得|窃得|取得|获得)[^，。；]{0,6}$"
)
_ACT_VERBS = {
    "theft": r"窃|盗|偷|扒|取走|拿走|提取|取现|拿",
    "fraud": r"骗|诈|转账|汇款|交付|支付|给付|转给|付款|收取|贷款|借款|交给|交纳|缴纳|转交",
    "robbery": r"抢|劫|索要|拿走|取走",
    "snatching": r"夺|抢|拽|拿走|取走",
    "extortion": r"勒索|敲诈|索要|索取|要挟|转账|交付|支付|给付|汇款",
    "employee_embezzlement": r"侵占|占为己有|据为己有|截留|侵吞|私吞|收取|提取|转入|挪用|收款|货款",
    "fundraising_fraud": r"集资|吸收|骗|诈|投资|转账|汇款|交付|支付",
    "credit_card_fraud": r"冒用|盗刷|骗|诈|套取",
    "contract_fraud": r"骗|诈|货款|预付款|定金|收取|交付|支付",
    "illegal_deposits": r"吸收|集资|存款|投资|募集",
    "concealing_proceeds": r"转移|取现|收购|销售|窝藏|转账|接收|掩饰|隐瞒",
}
#: the verbs of what was taken
_TAKEN = (
    "骗取|骗得|骗领|冒领|窃取|窃得|盗取|盗走|抢得|抢走|劫得|劫取|劫走|夺得|夺走|夺取|勒索|索得|索取|侵占|侵吞|截留|"
    "非法集资|集资"
)
_CORE_VERBS = {
    "theft": r"窃|盗|偷|扒",
    "fraud": r"骗|诈",
    "robbery": r"抢|劫",
    "snatching": r"夺",
    "extortion": r"勒索|敲诈|索",
    "employee_embezzlement": r"侵占|占为己有|据为己有|截留|侵吞|私吞",
    "fundraising_fraud": r"集资|骗|诈",
    "credit_card_fraud": r"冒用|盗刷|骗|诈",
    "contract_fraud": r"骗|诈",
    "illegal_deposits": r"吸收|集资|存款",
    "concealing_proceeds": r"转移|收购|窝藏|掩饰|隐瞒|取现|代为销售",
}
_QUALIFIED = re.compile(r"数额(?:较大|巨大|特别巨大)")
_SUMMARY = re.compile(
    r"(?:^|[，。；：:])\s*(?:上述|以上|综上)|共作案|共计盗窃|共计诈骗|共盗窃|共诈骗|累计盗窃|累计诈骗"
)


@dataclass
class _Money:
    value: float
    approximate: bool
    source: Source
    total: bool
    summary: bool  # said in the text's summary or legal qualification (上述…共计, 数额较大), or before the acts
    loan: bool = False  # a loan obtained by a pretext (以做生意为由…向周某借款30万元)
    acted: bool = False  # said with the act itself (骗取…X元)


_EVIDENCE_START = re.compile(
    r"(?:提供|出示|宣读|移送|提交|列举|举示)[^。；]{0,20}(?:下列|如下|以下|相关)?证据[^。；]{0,6}[：:]|"
    r"证据(?:如下|有)[：:]"
)
_EVIDENCE_END = re.compile(r"公诉机关认为|本院认为|据此认为|上述事实|综上")


def _evidence_spans(t: _Text) -> tuple[tuple[int, int], ...]:
    """The stretches of text that list and describe the evidence (证据如下：1. … 证明 …), up to where the text
    speaks for itself again (公诉机关认为, 本院认为); found once per text (``_Text.evidence``)."""
    return t.evidence


_HEADING = re.compile(
    r"(?m)^[ \t\u3000]*[一二三四五六七八九十]{1,3}、[ \t\u3000]*(?P<name>[^\n，。；：:]{2,16}?)"
    r"[ \t\u3000]*[：:]?[ \t\u3000]*$"
)
_CHARGE_WORD = {"theft": "盗窃", "fraud": "诈骗", "robbery": "抢劫", "snatching": "抢夺", "extortion": "敲诈勒索",
                "employee_embezzlement": "职务侵占", "fundraising_fraud": "集资诈骗",
                "credit_card_fraud": "信用卡诈骗", "contract_fraud": "合同诈骗", "illegal_deposits": "吸收公众存款",
                "concealing_proceeds": "掩饰",
                "intentional_injury": "故意伤害", "traffic_accident": "交通肇事",
                "dangerous_driving": "危险驾驶"}  # fmt: skip


def _charge_section(t: _Text, charge: str) -> tuple[int, int]:
    """Where a text that sets out several crimes under headings of their own (一、诈骗 … 二、抽逃出资) states this
    charge's facts; the whole text when it has no such headings or none names the charge."""
    heads = list(_HEADING.finditer(t.text))
    if len(heads) >= 2:
        for i, head in enumerate(heads):
            if _CHARGE_WORD[charge] in head.group("name"):
                return head.end(), heads[i + 1].start() if i + 1 < len(heads) else len(t.text)
    return 0, len(t.text)


def _money(t: _Text, charge: str, section: tuple[int, int]) -> tuple[list[_Money], list[_Mention]]:
    """The sums that are the amount (stolen, defrauded) and the sums returned (restitution), by their clause."""
    amounts: list[_Money] = []
    returned: list[_Mention] = []
    verbs = re.compile(_ACT_VERBS[charge])
    last_returned_end = -1
    evidence = _evidence_spans(t)
    for match in _MONEY.finditer(t.text, *section):
        if any(start <= match.start() < end for start, end in evidence):
            continue  # what a witness or a document in the list of evidence says, not the fact stated
        parsed = parse_money(match)
        if parsed is None or parsed.value <= 0:
            continue
        before = t.clause_before(match.start(), 40)
        s, _e = t.sentence_of(match.start())
        sentence_before = t.text[s : match.start()]
        listed = last_returned_end >= 0 and re.fullmatch(r"[^，。；]{0,14}", t.text[last_returned_end : match.start()])
        promised = re.search(r"约定|承诺|答应|同意|保证|表示愿意", before)
        if promised and _RESTITUTION.search(before):
            continue  # a return agreed or promised (约定由被告人返还50000元), not a sum returned
        if (_RESTITUTION.search(before) and not re.search(r"为由|为名|借口|谎称", before)) or listed:
            # a sum returned, or the next in a list of sums returned (退还给甲13万、乙16万、丙19.5万)
            returned.append(_Mention("restitution_yuan", parsed.value, t.source(match, "restitution.amount")))
            last_returned_end = match.end()
            continue
        last_returned_end = -1
        if re.search(r"(?:剩余|其余|余款|余下)[^，。；]{0,4}$", before) or re.search(
            r"(?:从|在)[^，。；]{0,12}中(?:抽出|拿出|取出|拿|抽)[^，。；]{0,4}$", before
        ):
            continue  # the rest of a sum already counted (剩余57000元被用于赌博)
        disposed = re.search(r"(?:抵押|质押|典当|变卖|卖)[^。；]{0,16}[，,][^，。；]{0,8}$", sentence_before)
        if disposed and not verbs.search(before) and not re.search(r"价值|鉴定|价格认证|估价", before):
            continue  # what a thing obtained was pledged or sold for (将该车抵押至李某处，得赃款20000元)
        if charge == "fraud" and (
            re.search(r"柜员机[^，。；]{0,4}取|(?<![骗窃盗])取(?:款|现)|购物消费|消费$", before)
            or (re.search(r"转账[^，。；]{0,4}$", before) and re.search(r"取款|取现", sentence_before))
        ):
            continue  # a withdrawal or a purchase made with what the victims paid, not another sum obtained
        gained = re.search(r"(?:共|共计|累计)非法获利[^，。；]{0,3}$", before)
        loan = bool(
            charge == "fraud"
            and re.search(r"借款[^，。；]{0,4}$|借[^，。；]{0,3}$", before)
            and re.search(r"以[^。；]{1,20}为(?:由|名)|谎称|虚构|伪造|冒充|冒用|编造", sentence_before)
        )  # a loan obtained by a pretext: the amount defrauded where the text states no other (see below)
        taken = (gained or loan) or (
            not re.search(r"其中的?[^，。；]{0,4}$", before)
            and re.search(rf"(?:{_TAKEN})[^，。；卖售购还以价退赔]{{0,10}}$", before)
        )
        if (_NOT_THE_AMOUNT.search(before) and not taken) or re.search(
            r"(?:每人|每次|每个|每月|每年|每吨|美元|港币|欧元|日元)$", before
        ):
            continue  # a rate, a fee per head, or a foreign-currency figure (the yuan paid is stated beside it)
        if charge in _NOT_THE_AMOUNT_OF and _NOT_THE_AMOUNT_OF[charge].search(
            t.text[slice(*_clause(t.text, match.start(), match.end()))]
        ):
            continue  # a sum of the charge's own kind that is not its amount (the deposits left unpaid are the loss)
        after = t.text[match.end() : match.end() + 8]
        opened = max(t.text.rfind("（", 0, match.start()), t.text.rfind("(", 0, match.start()))
        closed = max(t.text.rfind("）", 0, match.start()), t.text.rfind(")", 0, match.start()))
        if opened > closed and re.match(r"[（(]\s*其中", t.text[opened : opened + 4]):
            continue  # the breakdown of a sum just stated (（其中15万元转账，5万元现金）)
        if re.match(r"[^。；]{0,3}(?:属|系|为)(?:犯罪)?未遂", after):
            continue  # the part attempted (其中的16000元，属犯罪未遂): taken off the total, see _attempted_sum
        if re.match(
            r"[^，。；]{0,4}(?:罚金|保证金|工资|押金|赔偿|报酬|好处费|退赔|借据|借条|欠条|收条)|[^，。；]{0,8}(?:冻结|扣押|追缴|查获)",
            after,
        ):
            continue
        is_total = bool(_TOTAL.search(before))
        if re.match(r"[，。；]?\s*其中[^，。；]{0,3}被告人", t.text[match.end() : match.end() + 12]):
            continue  # the whole group's total, the defendant's own part stated after it (共骗取42840元，其中被告人…)
        value_words = re.search(r"价值|人民币|现金|共计|合计|价款|款|数额|金额", before) or verbs.search(
            sentence_before
        )
        if not (value_words or is_total):
            continue
        summary = bool(_SUMMARY.search(sentence_before) or _QUALIFIED.search(t.text[s:_e]))
        if summary and not is_total and re.search(r"共|合计|累计|总计", sentence_before):
            is_total = True  # 以上被告人共骗取23名被害人钱款321.5万元: the summary's total, however worded
        if is_total and re.match(r"[^。；]{0,4}其中", t.text[match.end() : match.end() + 8]):
            summary = True  # a total the text then breaks down (共计2458元。其中：…)
        rule = "amount.total" if is_total else "amount.value"
        acted = bool(re.search(r"骗|诈|窃|盗|抢|劫", before))
        amounts.append(_Money(parsed.value, parsed.approximate, t.source(match, rule), is_total, summary, loan, acted))
    if any(a.loan for a in amounts) and any(a.acted and not a.loan for a in amounts):
        amounts = [a for a in amounts if not a.loan]  # the text states what was defrauded otherwise (骗取马某17万元)
    return amounts, returned


def _acts_segments(t: _Text) -> list[tuple[int, int]]:
    evidence = _evidence_spans(t)  # the numbered items of a list of evidence (1、书证 2、证人证言) are no acts
    marks = [m.end() for m in _ACT_MARK.finditer(t.text) if not any(s <= m.start() < e for s, e in evidence)]
    if len(marks) < 2:
        return [(0, len(t.text))]
    return [(marks[i], marks[i + 1] if i + 1 < len(marks) else len(t.text)) for i in range(len(marks))]


_TIMES = re.compile(r"(?:先后|分|前后|共|连续|分别)?(?P<n>[0-9一二三四五六七八九十两]+)次")
# one theft's withdrawals, or the sale of what was taken
_NOT_ACTS = re.compile(r"[^，。；]{0,10}(?:取款|取现|提取|支取|提现|消费|刷卡|转出|套现|销赃|卖给|出售)")


def _times(t: _Text, start: int, end: int) -> tuple[int | None, Source | None]:
    """How many times the text says an act was done between ``start`` and ``end`` (先后五次骗取, 盗窃3次); the
    withdrawals of one stolen card (分六次取现) are not acts."""
    best: tuple[int | None, Source | None] = (None, None)
    for match in _TIMES.finditer(t.text, start, end):
        near = t.text[max(0, match.start() - 6) : match.end() + 10]
        if not re.search(r"骗|窃|盗|偷|扒|作案|给|支付|转账|汇|交|借|××", near) or _NOT_ACTS.match(t.text, match.end()):
            continue
        n = parse_number(match.group("n"))
        if n is not None and 2 <= n <= 1000 and (best[0] is None or n > best[0]):
            best = (int(n), t.source(match, "acts.times"))
    return best


_DAY = r"(?:(?:19|20)\d{2}年)?\d{1,2}月\d{1,2}日"
_DATES_LISTED = re.compile(rf"{_DAY}(?:、{_DAY})+")


def _occasions(t: _Text, singles: list[_Money]) -> list[_Money]:
    """The first sum of each date the text gives (a sum's date: the last date before it in its sentence, or the
    sentence before); several sums of one date are one occasion (one theft of two things, one mule's withdrawals)."""
    seen: dict[str, _Money] = {}
    for a in singles:
        start, end = t.sentence_of(a.source.start)
        listed = _DATES_LISTED.search(t.text, start, a.source.start)
        if listed:  # 于2015年12月25日、12月26日骗取张某人民币20000元、6000元: the sums go with the dates, in order
            dates = re.findall(_DAY, listed.group(0))
            here = [b for b in singles if start <= b.source.start < end]
            if len(here) == len(dates):
                seen.setdefault(dates[here.index(a)], a)
                continue
        window = t.text[max(0, start - 200) : a.source.start]
        dates = re.findall(r"(?:(?:19|20)\d{2}年)?\d{1,2}月(?:\d{1,2}日)?|同年\d{1,2}月|次日|当日|当天", window)
        if not dates:
            return []
        seen.setdefault(dates[-1], a)
    return list(seen.values())


def _dated(t: _Text, position: int) -> bool:
    """Whether the sentence holding ``position`` gives a date before it (a sum of its own occasion)."""
    start, _ = t.sentence_of(position)
    return bool(re.search(r"(?:19|20)\d{2}年|\d{1,2}月\d{1,2}日|次日|同年", t.text[start:position]))


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= max(1.0, 0.01 * max(a, b))


def _amount(t: _Text, charge: str, notes: list[Label]) -> tuple[list[ExtractedFact], list[_Mention]]:
    """The amount, and the number of acts where the sums show it.

    In this order: a total the text states in its summary or legal qualification (上述…共计, 数额较大); a total that
    the single sums before it add up to; the numbered acts (1、2、…), each its own total or sum; the largest total;
    the single sums added up. A valuation restated (经鉴定, 价值) is not counted twice."""
    section = _charge_section(t, charge)
    amounts, returned = _money(t, charge, section)
    out: list[ExtractedFact] = []
    if not amounts:
        return out, returned
    segments = _acts_segments(t)
    if len(segments) > 1:  # a total before the first numbered act is the text's own summary of them
        for a in amounts:
            if a.total and a.source.start < segments[0][0]:
                a.summary = True
    singles: list[_Money] = []
    for a in amounts:
        if a.total:
            continue
        sentence = t.text[slice(*t.sentence_of(a.source.start))]
        listed = re.search(r"、[^、，。；]{0,12}$", t.clause_before(a.source.start, 20))  # 骗取谷某900元、刘某900元
        restated = not listed and any(_close(b.value, a.value) for b in singles)
        said_again = len(segments) < 2 and not _dated(t, a.source.start)  # not a numbered act, no date of its own
        if restated and (a.summary or said_again or re.search(r"鉴定|认定|估价|价格|借", sentence)):
            continue  # the same sum said again (经鉴定…价值, 公诉机关认为…数额较大, 卡内会有200万元)
        here = t.sentence_of(a.source.start)
        if (
            restated
            and not re.search(_ACT_VERBS[charge], t.clause_before(a.source.start, 30))
            and len(segments) < 2
            and all(t.sentence_of(b.source.start) != here for b in singles if _close(b.value, a.value))
        ):
            continue  # the same sum said again in a later sentence outside any act (其余的22000元张某自愿放弃)
        if any(b.total and b.source.start < a.source.start and _close(b.value, a.value) for b in amounts):
            continue  # a total already stated, said again (共计96247元 … 诈骗金额96247元，系数额较大)
        if (said_again or a.summary) and len(singles) >= 2 and _close(sum(b.value for b in singles), a.value):
            continue  # the sums before it, added up by the text without 共计 (骗取5万元、1.4万元 … 将骗取的6.4万元挥霍)
        singles.append(a)
    totals = [a for a in amounts if a.total]
    summaries = [a for a in totals if a.summary]
    per_segment: list[tuple[float, list[_Money]]] = []
    if len(segments) > 1:
        for start, end in segments:
            inside_totals = [a for a in totals if start <= a.source.start < end and not a.summary]
            inside = [a for a in singles if start <= a.source.start < end]
            if inside_totals:
                best = max(inside_totals, key=lambda a: a.value)
                per_segment.append((best.value, [best]))
            elif inside:
                per_segment.append((sum(a.value for a in inside), inside))
    # the occasions: each total of an act, and each single sum not in a sentence that states such a total
    act_totals = [a for a in totals if not a.summary]
    total_sentences = {t.sentence_of(a.source.start) for a in act_totals}
    items = sorted([*act_totals, *(a for a in singles if t.sentence_of(a.source.start) not in total_sentences)],
                   key=lambda a: a.source.start)  # fmt: skip
    single_sum = round(sum(a.value for a in singles), 2)
    approximate = any(a.approximate for a in amounts)
    acts: tuple[int, tuple[Source, ...], Label] | None = None
    if len(per_segment) > 1:  # each numbered act once, or as many times as it says (先后五次骗取)
        first = tuple(dataclasses.replace(group[0].source, rule="acts.numbered") for _, group in per_segment)
        times = [_times(t, start, end) for start, end in segments if any(start <= g[0].source.start < end
                                                                         for _, g in per_segment)]  # fmt: skip
        acts = (sum(n or 1 for n, _ in times), first + tuple(src for _, src in times if src is not None),
                Label("按文书所列各笔（编号）计数，写明次数的按次数", "counted from the acts the text numbers, each as "
                      "many times as it says"))  # fmt: skip
    else:
        occasions = _occasions(t, singles)
        n, where = _times(t, *section)
        if n is not None and n > len(occasions):
            acts = (n, (where,) if where else (), Label("按文书写明的次数计数", "counted as the text counts the times"))
        elif len(occasions) > 1:
            each = tuple(dataclasses.replace(a.source, rule="acts.each_sum") for a in occasions)
            acts = (
                len(occasions),
                each,
                Label("按文书逐笔列明、日期不同的数额计数", "counted from the sums the text lists on different dates"),
            )
    if len(per_segment) <= 1 and len(segments) > 1:
        # acts the text numbers without a sum each (1、…骗取不锈钢管材314.3斤 2、…): each numbered act that says the
        # charge's act, inside the charge's own section
        low, high = section
        core = re.compile(_CORE_VERBS[charge])
        numbered = [(start, end) for start, end in segments
                    if low <= start < high and core.search(t.text, start, min(end, high))]  # fmt: skip
        if len(numbered) >= 2 and len(numbered) > (acts[0] if acts else 1):
            acts = (len(numbered),
                    tuple(Source(start, start, t.original[start : min(end, start + _QUOTE)].strip(), "acts.numbered")
                          for start, end in numbered),
                    Label("按文书所列各笔（编号）计数", "counted from the acts the text numbers"))  # fmt: skip
    matching = [a for a in totals if len(singles) > 1 and _close(a.value, single_sum)]
    if summaries:
        chosen = max(summaries, key=lambda a: a.value)
        summed = round(sum(v for v, _ in per_segment), 2)
        if len(per_segment) > 1 and not _close(summed, chosen.value):
            notes.append(Label(f"各笔数额之和{summed:g}元与文书所述总额{chosen.value:g}元不一致；取所述总额",
                               f"the acts sum to ¥{summed:g} but the text states a total of ¥{chosen.value:g}; "
                               "the stated total is taken"))  # fmt: skip
        if acts is not None and acts[1][0].rule == "acts.each_sum" and not _close(single_sum, chosen.value):
            acts = None  # the sums listed are not the acts that make the total
        out.append(ExtractedFact("amount_yuan", chosen.value, "stated", (chosen.source,), _approx(chosen.approximate)))
    elif matching:
        chosen = max(matching, key=lambda a: a.value)
        out.append(ExtractedFact("amount_yuan", chosen.value, "stated", (chosen.source,), _approx(chosen.approximate)))
    elif len(per_segment) > 1:
        used = tuple(a.source for _, group in per_segment for a in group)
        summed = round(sum(v for v, _ in per_segment), 2)
        out.append(ExtractedFact("amount_yuan", summed, "summed", used, _approx(approximate)))
    else:
        how = "summed" if len(items) > 1 else "stated"
        summed = round(sum(a.value for a in items), 2)
        if acts is not None and acts[1][0].rule == "acts.each_sum" and not _close(single_sum, summed):
            acts = None
        out.append(ExtractedFact("amount_yuan", summed, how, tuple(a.source for a in items), _approx(approximate)))
    attempted = _attempted_sum(t, section)
    total = out[0] if out and out[0].factor == "amount_yuan" else None
    if attempted is not None and total is not None and isinstance(total.value, float | int):
        value, source = attempted
        if total.value > value and not _close(total.value, value):
            # 共计220651元，××既遂178651元，××未遂42000元: the amount obtained; the attempt is its own circumstance
            obtained = round(float(total.value) - value, 2)
            out[0] = ExtractedFact("amount_yuan", obtained, "derived", (*total.sources, source),
                                   Label(f"总额{total.value:g}元中{value:g}元未遂：取既遂数额{obtained:g}元",
                                         f"¥{value:g} of the ¥{total.value:g} was attempted, not obtained: the amount "
                                         f"obtained is ¥{obtained:g}"))  # fmt: skip
    if acts is not None:
        out.append(ExtractedFact("acts", acts[0], "counted", acts[1], acts[2]))
    return out, returned


def _attempted_sum(t: _Text, section: tuple[int, int]) -> tuple[float, Source] | None:
    """A part of the total that the text says was attempted and not obtained (××未遂42000元; 其中的16000元属犯罪
    未遂), inside the charge's section."""
    low, high = section
    for mark in re.finditer(r"未遂", t.text[low:high]):
        at = low + mark.start()
        lead = re.match(r"(?:部分|数额|金额)?(?:为|计|达)?(?:人民币)?", t.text[at + 2 :])
        after = _MONEY.match(t.text, at + 2 + (lead.end() if lead else 0))
        before = None
        if re.search(r"(?:属|系|为|是)(?:犯罪)?$", t.text[max(0, at - 4) : at]):  # 其中的16000元，属犯罪未遂
            window_start = max(low, at - 40)
            found = [m for m in _MONEY.finditer(t.text, window_start, at)
                     if re.fullmatch(r"[^。；]{0,8}", t.text[m.end() : at])]  # fmt: skip
            before = found[-1] if found else None
        money = after or before
        parsed = parse_money(money) if money else None
        if parsed is not None and parsed.value > 0:
            return parsed.value, Source(at, at + 2, t.original[slice(*t.sentence_of(at))].strip()[:_QUOTE],
                                        "amount.attempted")  # fmt: skip
    return None


def _approx(approximate: bool) -> Label | None:
    if not approximate:
        return None
    return Label(
        "文书写作“余/多/许”：取所写数额（下限）", "the text says 余/多/许 (more than): the stated figure, a lower bound"
    )


_COUNT_ACTS = re.compile(
    r"(?:先后|分别|共|共计|累计)?(?:盗窃|窃取|诈骗|骗取|抢劫|抢夺|敲诈勒索|勒索|作案|扒窃|××|××犯罪|实施犯罪|"
    r"贩卖毒品|贩卖|贩毒|容留他人吸毒|容留)(?P<n>[0-9一二三四五六七八九十两]+)(?:次|起)|"
    r"(?:先后|共|共计|累计)(?P<m>[0-9一二三四五六七八九十两]+)(?:次|起)"
    r"(?:盗窃|窃取|诈骗|骗取|抢劫|抢夺|敲诈勒索|勒索|作案|入户|贩卖|贩毒|容留|侵占|将)"
)


_SEVERAL = re.compile(r"多次(?:盗窃|窃取|骗取|诈骗|抢劫|抢夺|敲诈勒索|勒索|扒窃|作案|入户|以|贩卖|贩毒|容留)")


def _acts_counted(t: _Text) -> tuple[list[_Mention], list[ExtractedFact]]:
    out = []
    for match in _COUNT_ACTS.finditer(t.text):
        n = parse_number(match.group("n") or match.group("m"))
        if n is not None and 1 <= n <= 1000:
            out.append(_Mention("acts", int(n), t.source(match, "acts.counted")))
    several = _SEVERAL.search(t.text)
    if out or several is None:
        return out, []
    note = Label(
        "文书写作“多次”（法律上为三次以上）：取最少的3次，请确认",
        "the text says 多次 (several times: three or more in law): the least, 3, is taken; confirm it",
    )
    return [], [ExtractedFact("acts", 3, "assumed", (t.source(several, "acts.several"),), note)]


_NAME = (
    r"[\u4e00-\u9fff]{1,2}?某(?:某|[甲乙丙丁戊])?(?:[0-9](?![0-9万千元.，,]))?|"
    r"[\u4e00-\u9fff]{1,3}[甲乙丙丁戊](?:[0-9](?![0-9万千元.，,]))?|[\u4e00-\u9fff]{1,2}[×ＸX]{1,3}|[\u4e00-\u9fff][0-9]某"
)
_VICTIM = re.compile(
    rf"(?:被害(?:人|单位)[:：]?\s*|(?:骗取|骗得|骗走|××)(?:了)?(?:被害人)?|"
    rf"(?:骗取|骗得|骗走)[^，。；、]{{0,14}}?(?:村民|居民|市人|县人|省人|区人|镇人))"
    rf"(?P<name>{_NAME})(?P<more>(?:[、和及](?:{_NAME}))*)"
)
_VICTIM_OF_PLACE = re.compile(rf"(?:村民|居民|市人|县人|省人|区人|镇人)(?P<name>{_NAME})")
_VICTIMS_COUNTED = re.compile(
    r"(?P<n>[0-9一二三四五六七八九十两]+)(?P<about>余)?(?:名|位|户)(?:被害人|业主|受害人|群众|村民|学生|客户|员工|老人)|"
    r"等(?P<m>[0-9一二三四五六七八九十两]+)(?P<about2>余)?(?:名|位)?(?:人|户)|"
    r"(?:被害人|受害人)(?P<k>[0-9一二三四五六七八九十两]+)(?P<about3>余)?(?:名|人)|"
    r"(?<![0-9一二三四五六七八九十两])(?P<j>[二三四五六七八九十两]|[1-9][0-9]*)(?:被害人|受害人)"
)


def _victims(t: _Text) -> list[_Mention]:
    """Distinct victims: as many as the text counts (十余名被害人 → 10, the lower bound), else the distinct names
    after 被害人 or 骗取 (a list 李某、武某 counts each)."""
    counted: list[_Mention] = []
    for match in _VICTIMS_COUNTED.finditer(t.text):
        n = parse_number(match.group("n") or match.group("m") or match.group("k") or match.group("j"))
        if n is not None and 2 <= n <= 10000:
            counted.append(_Mention("fraud_victims", int(n), t.source(match, "victims.counted")))
    # a count said where the deception is said (骗取罗某某、张某某等41人) is the text's own count, whatever other
    # names it gives (intermediaries, relatives, witnesses)
    in_the_act = [m for m in counted if re.search(r"骗|××|被害|受害", t.text[slice(*_clause(t.text, m.source.start))])]
    if in_the_act:
        return [max(in_the_act, key=lambda m: m.value if isinstance(m.value, int) else 0)]
    names: dict[str, Source] = {}
    for match in _VICTIM.finditer(t.text):
        listed = [match.group("name"), *re.findall(_NAME, match.group("more") or "")]
        for name in listed:  # 孙某某 and 孙某 are one person written two ways by the anonymisation
            names.setdefault(re.sub(r"(?<=某)某+", "", name), t.source(match, "victims.named"))
    for match in _VICTIM_OF_PLACE.finditer(t.text):  # 骗得辽宁省朝阳市人高某…、浙江省金华市人黄某…
        if re.search(r"骗|××", t.text[slice(*t.sentence_of(match.start()))]):
            names.setdefault(re.sub(r"(?<=某)某+", "", match.group("name")), t.source(match, "victims.named"))
    if counted:
        best = max(counted, key=lambda m: m.value if isinstance(m.value, int) else 0)
        if isinstance(best.value, int) and best.value >= len(names):
            return [best]
    if len(names) < 2:
        return []
    return [_Mention("fraud_victims", len(names), source) for source in names.values()]


# ----------------------------------------------------------------------------------------------- injuries


_HARM = re.compile(r"(?P<kind>轻微伤|轻伤|重伤)(?:[（(]?(?P<grade>[一二]级)[）)]?)?")
_PERSON = re.compile(
    r"[\u4e00-\u9fff]某(?:某|[甲乙丙丁戊])?[0-9]?|[\u4e00-\u9fff][0-9]某|[\u4e00-\u9fff][甲乙丙丁戊]|"
    r"(?:(?<=害人)|(?<=告人)|(?<=、)|(?<=和))[\u4e00-\u9fff][×Ｘ][0-9]?"
)
_DEATH = re.compile(
    r"(?:致|导致|造成)[^，。；]{0,10}?死亡|(?:经)?抢救无效[^，。；]{0,4}死亡|当场死亡|(?:因|系)[^。；]{0,60}?死亡|"
    r"休克死亡|于当[晚日天][^，。；]{0,6}死亡"
)


_COUNTED_DEATHS = re.compile(r"(?:致|导致|造成)(?P<n>[一二两三四五六七八九十0-9]+)(?:人|名[^，。；]{0,4})(?:当场)?死亡")
_COUNTED_PERSONS = re.compile(r"(?:致|造成)(?P<n>[一二两三四五六七八九十0-9]+)(?:人|名[^，。；]{0,3})$")


def _injured(t: _Text, position: int) -> list[str]:
    """Who an injury mention is about: every person named in its clause but the defendant (被告人X), or as many as
    the text counts (致二人轻伤), or one unnamed person ("?")."""
    s, _ = t.sentence_of(position)
    before = t.text[s:position]
    counted = _COUNTED_PERSONS.search(before)
    if counted:
        n = parse_number(counted.group("n"))
        if n is not None and 1 <= n <= 50:
            return [f"?{i}" for i in range(int(n))]
    clause = t.clause_before(position, 60)
    everyone = list(_PERSON.finditer(clause))
    accused = _accused(t.text)
    kept = [m for m in everyone if not clause[: m.start()].endswith(("被告人", "被告")) and m.group(0) not in accused]
    if everyone and not kept:
        return []  # the defendant's own injury
    if kept:  # the person nearest the injury, with those listed with them (王某、李某的伤情均构成轻伤)
        group = [kept[-1]]
        for m in reversed(kept[:-1]):
            if re.fullmatch(r"[、和及与]", clause[m.end() : group[0].start()]):
                group.insert(0, m)
            else:
                break
        kept = group
    names = [m.group(0) for m in kept]
    if not names:  # the clause names no one: the last person named earlier in the sentence, if not the defendant;
        # a sentence that goes on after a semicolon (…构成重伤二级；颅骨骨折…为轻伤二级) goes on about the same person
        while s > 0 and t.text[s - 1] in "；;" and not _PERSON.search(before):
            s = t.sentence_of(s - 1)[0]
            before = t.text[s:position]
        earlier = [m for m in _PERSON.finditer(before)
                   if not before[: m.start()].endswith(("被告人", "被告")) and m.group(0) not in accused]  # fmt: skip
        names = [earlier[-1].group(0)] if earlier else []
    return list(dict.fromkeys(names)) or ["?"]


@functools.lru_cache(maxsize=16)
def _accused(text: str) -> frozenset[str]:
    """The names the text gives the defendant (被告人王某甲 … 王某甲的伤情属轻微伤: the defendant's own injury), read
    once per text however many mentions ask."""
    return frozenset(m.group("n") for m in re.finditer(r"被告人(?P<n>" + _PERSON.pattern + ")", text))


_RESPECTIVELY = re.compile(r"分别(?:为|是|构成|属于?|鉴定为|评定为)")


def _respective_injuries(t: _Text) -> dict[int, str]:
    """甲、乙、丙的伤势分别为重伤、轻伤、轻微伤: each injury of the list belongs to the person in the same place."""
    out: dict[int, str] = {}
    for match in _RESPECTIVELY.finditer(t.text):
        clause = t.clause_before(match.start(), 60)
        names = [m.group(0) for m in _PERSON.finditer(clause)]
        harms = []
        position = match.end()
        while harm := _HARM.match(t.text, position):
            harms.append(harm)
            position = harm.end()
            if position < len(t.text) and t.text[position] in "、和及":
                position += 1
        if len(names) >= 2 and len(harms) == len(names[-len(harms) :]) and len(harms) >= 2:
            for name, harm in zip(names[-len(harms) :], harms, strict=True):
                out[harm.start()] = name
    return out


def _injuries(t: _Text, notes: list[Label]) -> tuple[list[ExtractedFact], list[_Mention]]:
    facts: list[ExtractedFact] = []
    mentions: list[_Mention] = []
    by_kind: dict[str, dict[str, Source]] = {"轻微伤": {}, "轻伤": {}, "重伤": {}}
    ungraded: dict[str, Source] = {}
    graded_any = False
    respective = _respective_injuries(t)
    for match in _HARM.finditer(t.text):
        if _negated(t, match.start()) or re.match(r"以上|以下|标准", t.text[match.end() : match.end() + 2]):
            continue
        kind = match.group("kind")
        source = t.source(match, f"injury.{'graded' if match.group('grade') else 'stated'}")
        whom = [respective[match.start()]] if match.start() in respective else _injured(t, match.start())
        for who in whom:
            by_kind[kind].setdefault(who, source)
        if kind != "轻微伤" and not match.group("grade"):
            ungraded.setdefault(kind, t.source(match, "injury.ungraded"))
        if match.group("grade"):
            graded_any = True
    worse = {"轻微伤": ("轻伤", "重伤"), "轻伤": ("重伤",), "重伤": ()}
    for kind, factor in (("轻微伤", "slight_injuries"), ("轻伤", "minor_injuries"), ("重伤", "serious_injuries")):
        # a person counts once, at the worst injury the text gives them
        injured = {who: src for who, src in by_kind[kind].items()
                   if who.startswith("?") or not any(who in by_kind[w] for w in worse[kind])}  # fmt: skip
        named = {k: v for k, v in injured.items() if not k.startswith("?")}
        counted = {k: v for k, v in injured.items() if k.startswith("?") and k != "?"}
        count_from = named if len(named) >= len(counted) else counted
        count_from = count_from or injured
        if count_from:
            facts.append(
                ExtractedFact(
                    factor,
                    len(count_from),
                    "counted",
                    tuple(count_from.values()),
                    Label("按受伤的不同被害人计数", "counted by the distinct persons injured"),
                )
            )
    if not graded_any:
        for kind in ("重伤", "轻伤"):
            if kind in ungraded:  # not guessed: the guideline has a starting point for an ungraded injury
                notes.append(Label(f"文书未写明{kind}的等级（一级或二级）：按未分级的{kind}测算；鉴定意见写明等级的，请更正",
                                   f"the text does not grade the {kind} (一级 or 二级): it is weighed as an ungraded "
                                   f"{kind}; correct it where the forensic opinion states the grade"))  # fmt: skip
                break
    counted_deaths = _COUNTED_DEATHS.search(t.text)
    if counted_deaths is not None and not _negated(t, counted_deaths.start()):
        number = parse_number(counted_deaths.group("n"))
        if number is not None and 1 <= number <= 50:
            mentions.append(_Mention("deaths", int(number), t.source(counted_deaths, "death.counted")))
            return facts, mentions
    for match in _DEATH.finditer(t.text):
        if not _negated(t, match.start()):
            mentions.append(_Mention("deaths", 1, t.source(match, "death.stated")))
            break
    return facts, mentions


# ----------------------------------------------------------------------------------------------- the defendant


_PROVINCES = {
    "east": "北京 天津 河北 上海 江苏 浙江 福建 山东 广东 海南",
    "central": "山西 安徽 江西 河南 湖北 湖南",
    "west": "内蒙古 广西 重庆 四川 贵州 云南 西藏 陕西 甘肃 青海 宁夏 新疆",
    "northeast": "辽宁 吉林 黑龙江",
}
_REGION_OF = {p: region for region, names in _PROVINCES.items() for p in names.split()}
_PINYIN = {"四川": "sichuan", "浙江": "zhejiang", "重庆": "chongqing", "广东": "guangdong"}
_PROVINCE = re.compile(
    "(" + "|".join(sorted(_REGION_OF, key=len, reverse=True)) + ")(?:省|市|自治区|壮族自治区|回族自治区|维吾尔自治区)?"
)
_HEADER = re.compile(r"被告人[\u4e00-\u9fff0-9×Ｘ*]{1,6}[，,](?P<sex>男|女)[，,]")
_BIRTH = re.compile(r"(?P<y>(?:19|20)\d{2})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日(?:出生|生)")
_DATE = re.compile(r"(?P<y>(?:19|20)\d{2})年(?P<m>\d{1,2})月(?:(?P<d>\d{1,2})日)?")
_OCCUPATIONS = (("unemployed", r"无业|无固定职业"), ("farmer", r"农民|务农"), ("student", r"学生|在校"),
                ("retired", r"退休"), ("self_employed", r"个体|经商|自由职业"),
                ("employed", r"职工|工人|员工|干部|教师|司机|公司职员|务工"))  # fmt: skip


def _defendant(t: _Text, offence_year: tuple[int, int, int] | None, court: tuple[str, Source] | None
               ) -> tuple[list[_Mention], list[ExtractedFact]]:  # fmt: skip
    mentions: list[_Mention] = []
    facts: list[ExtractedFact] = []
    for header in _HEADER.finditer(t.text):
        mentions.append(_Mention("sex", "male" if header.group("sex") == "男" else "female",
                                 t.source(header, "defendant.sex")))  # fmt: skip
        s, e = t.sentence_of(header.start())
        line = t.text[header.start() : e]
        ethnic = re.search(r"[，,]([\u4e00-\u9fff]{1,5})族[，,]", line)
        if ethnic:
            m = re.search(re.escape(ethnic.group(0)), t.text[header.start() :])
            assert m is not None
            where = Source(
                header.start() + m.start(), header.start() + m.end(), t.text[s:e][:_QUOTE], "defendant.ethnicity"
            )
            mentions.append(_Mention("ethnicity", "han" if ethnic.group(1) == "汉" else "minority", where))
        for occupation, pattern in _OCCUPATIONS:
            om = re.search(rf"[，,](?:[^，,。；]{{0,8}})?(?:{pattern})[^，,。；]{{0,4}}[，,。；]", line)
            if om:
                where = Source(header.start() + om.start(), header.start() + om.end(), t.text[s:e][:_QUOTE],
                               "defendant.occupation")  # fmt: skip
                mentions.append(_Mention("occupation", occupation, where))
                break
        birth = _BIRTH.search(line)
        if birth and offence_year:
            born = (int(birth.group("y")), int(birth.group("m")), int(birth.group("d")))
            try:
                date(*born)
            except ValueError:
                continue
            age = offence_year[0] - born[0] - ((offence_year[1], offence_year[2]) < (born[1], born[2]))
            if 0 <= age <= 120:
                where = Source(header.start() + birth.start(), header.start() + birth.end(), t.text[s:e][:_QUOTE],
                               "defendant.age_from_birth_date")  # fmt: skip
                facts.append(ExtractedFact("age_at_offence", age, "derived", (where,),
                                           Label(f"由出生日期与犯罪日期（{offence_year[0]}年{offence_year[1]}月"
                                                 f"{offence_year[2]}日）推算", "from the birth date and the date of "
                                                 f"the offence ({offence_year[0]}-{offence_year[1]:02d}-"
                                                 f"{offence_year[2]:02d})")))  # fmt: skip
        registered = re.search(r"户籍(?:所在)?地?[:：为在系]?\s*(?P<p>" + _PROVINCE.pattern + ")", line)
        if registered and court is not None:
            province = registered.group(2)
            where = Source(header.start() + registered.start(), header.start() + registered.end(),
                           t.text[s:e][:_QUOTE], "defendant.household_registration")  # fmt: skip
            facts.append(ExtractedFact("household_registration", "local" if province == court[0] else "non_local",
                                       "derived", (where, court[1]),
                                       Label("以户籍所在省与审理地所在省比较", "the province of registration against "
                                             "the province of the court")))  # fmt: skip
        break  # the first defendant's header only: one defendant per case
    return mentions, facts


def _court_province(t: _Text) -> tuple[str, Source] | None:
    opening = t.text[:120]
    for match in _PROVINCE.finditer(opening):
        if re.search(r"人民(?:法院|检察院)|检察院|法院|公安", t.text[match.end() : match.end() + 30]):
            return match.group(1), t.source(match, "court.province")
    return None


_PROCEDURE_DATE = re.compile(
    r"[^，。；]{0,24}?(?:刑事拘留|拘留|逮捕|取保候审|监视居住|羁押|提起公诉|公诉|起诉|判处|判决|裁定|释放|刑满|减刑|假释|"
    r"立案|受理|开庭|移送|决定)"
)


def _offence_date(t: _Text, birth_positions: set[int]) -> tuple[int, int, int] | None:
    for match in _DATE.finditer(t.text):
        if match.start() in birth_positions or re.match(r"[^，。；]{0,2}(?:出生|生)", t.text[match.end() :]):
            continue
        if _PROCEDURE_DATE.match(t.text, match.end()):
            continue  # a date of the proceedings or of an earlier sentence (被刑事拘留, 提起公诉, 被判处, 刑满释放)
        y, m, d = int(match.group("y")), int(match.group("m")), int(match.group("d") or 1)
        try:
            date(y, m, d)
        except ValueError:
            continue
        return y, m, d
    return None


# ----------------------------------------------------------------------------------------------- reading


def _claimed(t: _Text, position: int) -> bool:
    """Whether ``position`` lies in what the defence argues (辩护人提出, 辩护意见, 辩称 …) in its sentence."""
    start, _ = t.sentence_of(position)
    return bool(_CLAIM.search(t.text, start, position))


_CLAIM = re.compile(r"辩护人(?:提出|认为|称|辩称)|辩护意见|辩护理由|辩称|辩解称|上诉理由")


def _rule_mentions(t: _Text, charge: str) -> Iterator[_Mention]:
    for rule in READER_RULES:
        if rule.charges and charge not in rule.charges:
            continue
        for match in rule.pattern.finditer(t.text):
            if _claimed(t, match.start()):
                continue  # what counsel or the defendant argues (辩护人提出…系自首，且有立功表现), not a fact found
            if _negated(t, match.start()):
                if rule.negated_value is None:
                    continue
                value: FactorValue | None = rule.negated_value
            else:
                value = rule.value(match) if callable(rule.value) else rule.value
            if value is not None:
                rule_id = rule.id
                if rule.factor == "blood_alcohol_mg_per_100ml":  # which test: the words just before the figure
                    before = t.text[max(0, match.start() - 40) : match.start()]
                    breath = max(before.rfind(w) for w in ("呼气", "酒精检测", "酒精测试", "测试仪", "检测仪"))
                    blood = max(before.rfind(w) for w in ("血", "乙醇"))
                    if re.search(r"呼气|呼吸", t.clause_before(match.start(), 40)):
                        blood = -1  # 呼气式酒精检测仪检测出…乙醇含量为90.9mg/100ml: a breath test, whatever follows
                    rule_id = "bac.blood" if blood > breath else "bac.breath" if breath >= 0 else rule.id
                yield _Mention(rule.factor, value, t.source(match, rule_id))


def _in_evidence_list(t: _Text, match: re.Match[str]) -> bool:
    """A mention that names a document in the list of evidence (谅解书, 赔偿协议书, 收条 … 等证据证实): what the court
    examined, not a fact the text states."""
    if not re.match(r"书|协议书|收条|申请书", t.text[match.end() : match.end() + 3]):
        return False
    if any(s <= match.start() < e for s, e in _evidence_spans(t)):
        return True  # 公诉机关提交了下列证据予以证明：…；赔偿谅解协议书；…
    start, end = t.sentence_of(match.start())
    return bool(re.search(r"证据|证实|笔录|证言|鉴定意见", t.text[start:end]))


#: facts a document in the list of evidence also names (和解协议, 刑事判决书 …): read only where the text states them
_DOCUMENTED = {"reconciliation", "prior_record"}


def _listed_as_evidence(t: _Text, position: int) -> bool:
    """Whether ``position`` lies in a short item of a list of documents that the sentence closes as evidence
    (…；和解协议；证人证言…等证据证实): the item names a document, it does not state a fact."""
    if any(s <= position < e for s, e in _evidence_spans(t)):
        return True
    starts = [t.text.rfind(c, 0, position) for c in "；、，：:"]
    ends = [i for i in (t.text.find(c, position) for c in "；、，。") if i >= 0]
    item = t.text[max(starts) + 1 : min(ends, default=len(t.text))]
    if len(item) > 16 or re.search(r"被告人|被害人|达成|已|与", item):
        return False
    end = t.text.find("。", position)
    return bool(re.search(r"证据|证实", t.text[position : end if end >= 0 else len(t.text)]))


def _compensation(t: _Text) -> list[_Mention]:
    """赔偿 and 谅解 read separately, then joined into the catalogue's one value."""
    paid = forgiven = None
    paid_src: list[Source] = []
    forgiven_src: list[Source] = []
    for match in re.finditer(r"赔偿|赔付|补偿|达成(?:民事)?调解协议|调解协议并履行|达成赔偿协议|"
                             r"民事部分已(?:经)?(?:和解|调解|处理完毕)", t.text):  # fmt: skip
        start, _ = t.sentence_of(match.start())
        sentence_before = t.text[start : match.start()]
        after = t.text[match.end() : match.end() + 4]
        if match.group(0) == "补偿" and re.search(r"拆迁|征收|动迁|医疗|医保|保险|安置|补助", t.clause_before(
                match.start(), 20) + after):  # fmt: skip
            continue  # a resettlement or insurance payment (拆迁补偿款, 合作医疗补偿), not the defendant's
        claim = re.search(r"附带民事|要求|请求|诉请|提出|判令", sentence_before)
        if claim or re.match(r"部分|金|的?请求|协议书|收条", after) or _in_evidence_list(t, match):
            continue  # a claim, the civil part not yet settled, or a document in the list of evidence
        negated = _negated(t, match.start())
        paid = (paid or False) or not negated
        paid_src.append(t.source(match, "compensation.paid" if not negated else "compensation.not_paid"))
    for match in re.finditer(r"谅解", t.text):
        if _in_evidence_list(t, match):
            continue
        negated = _negated(t, match.start())
        forgiven = (forgiven or False) or not negated
        forgiven_src.append(t.source(match, "forgiveness.stated" if not negated else "forgiveness.not_given"))
    if paid is None and forgiven is None:
        return []
    value = {(True, True): "compensation_and_forgiveness", (True, False): "compensation_only",
             (False, True): "forgiveness_only", (False, False): "none"}[(bool(paid), bool(forgiven))]  # fmt: skip
    return [_Mention("compensation", value, s) for s in (*paid_src, *forgiven_src)]


def _settle(mentions: list[_Mention]) -> tuple[list[ExtractedFact], list[Contradiction]]:
    by_factor: dict[str, list[_Mention]] = {}
    for m in mentions:
        by_factor.setdefault(m.factor, []).append(m)
    facts, contradictions = [], []
    for factor, group in by_factor.items():
        values = list(dict.fromkeys(m.value for m in group))
        sources = tuple(m.source for m in group)
        if factor == "meritorious_service" and "major" in values:
            values = ["major"]
        if factor in ("injury_grade", "disability_grade") and len(values) > 1:  # several victims: the worst injury
            order = ["minor_2", "minor_1", "serious_2", "serious_1"]
            worst = (max(values, key=lambda v: order.index(str(v)) if v in order else -1) if factor == "injury_grade"
                     else min(v for v in values if isinstance(v, int)))  # fmt: skip
            note = Label("文书写明多个伤情：取最重者", "the text states several: the worst is taken")
            facts.append(ExtractedFact(factor, worst, "stated", sources, note))
            continue
        if factor == "blood_alcohol_mg_per_100ml" and len(values) > 1:
            blood = [m for m in group if m.source.rule == "bac.blood"]
            if len({m.value for m in blood}) == 1:
                note = Label(
                    "另有不同数值（如呼气检测）：取血液检测值",
                    "other figures (a breath test) are stated too: the blood test's value is taken",
                )
                facts.append(ExtractedFact(factor, blood[0].value, "stated", tuple(m.source for m in blood), note))
                continue
        if len(values) == 1:
            facts.append(ExtractedFact(factor, values[0], "stated", sources))
        else:
            contradictions.append(Contradiction(factor, tuple(values), sources))
    return facts, contradictions


# ----------------------------------------------------------------------------------------------- drugs


#: each kind's names in a judgment (麻古 / 麻果: methamphetamine tablets, weighed as methamphetamine; 大麻油 and 大麻脂
#: are kinds the catalogue does not hold)
_DRUG_NAMES = {
    "drug_heroin_g": r"海洛因",
    "drug_methamphetamine_g": r"甲基苯丙胺|冰毒|麻古|麻果",
    "drug_opium_g": r"鸦片",
    "drug_cocaine_g": r"可卡因",
    "drug_mdma_g": r"MDMA|摇头丸|亚甲二氧基甲基苯丙胺|(?<!甲基)苯丙胺(?!类毒品（甲基)",
    "drug_morphine_g": r"吗啡",
    "drug_fentanyl_g": r"芬太尼",
    "drug_ketamine_g": r"氯胺酮|[Kk]粉",
    "drug_methadone_g": r"美沙酮",
    "drug_cannabis_g": r"大麻(?:叶|烟)?(?!油|脂)",
}
_GRAMS = rf"(?P<n>{NUMBER_PATTERN})\s*(?P<unit>千克|公斤|毫克|克|kg|KG|mg|g|ｇ)(?![/／]|每|[0-9])"
_GRAM_SCALE = {"千克": 1000.0, "公斤": 1000.0, "kg": 1000.0, "KG": 1000.0, "毫克": 0.001, "mg": 0.001}
#: a weight that is not the drug's: a price per gram, a sample taken, a purity, the defendant's own use
_NOT_THE_DRUG = re.compile(r"每$|单价|价格$|取样|检材|含量|纯度|吸食了?$|自吸|自己吸食")
_DRUG_TOTAL = re.compile(r"共计|合计|总计|累计|总重|共$|共[^，。；]{0,6}$")
#: a weight after the kind's name (甲基苯丙胺（冰毒）12.5克, 检出甲基苯丙胺成分，净重28克 reads only within a clause) or
#: before it (5.5克冰毒)
_DRUG_MENTION = {
    factor: (
        re.compile(rf"(?:{names})[^，。；、]{{0,16}}?{_GRAMS}"),
        re.compile(rf"{_GRAMS}[^，。；、0-9]{{0,3}}?(?:{names})"),
    )
    for factor, names in _DRUG_NAMES.items()
}


def _drug_quantities(t: _Text, notes: list[Label]) -> list[ExtractedFact]:
    """The grams of each kind of drug: a stated total (共计…克) where there is one, else one weight stated (however
    often), else the different weights added up (each sale or each packet) for the parties to confirm."""
    out = []
    for factor, patterns in _DRUG_MENTION.items():
        weights: list[tuple[float, bool, re.Match[str]]] = []
        spans: set[tuple[int, int]] = set()
        for match in (m for pattern in patterns for m in pattern.finditer(t.text)):
            n = parse_number(match.group("n") or "")
            span = match.span("n")
            if n is None or n <= 0 or span in spans or _in_evidence_list(t, match):
                continue
            before = t.clause_before(span[0], 16)
            if _NOT_THE_DRUG.search(t.text[max(0, span[0] - 6) : span[0]]) or re.match(
                r"[^，。；]{0,3}(?:含量|纯度)", t.text[span[1] : span[1] + 8]
            ):
                continue
            spans.add(span)
            grams = n * _GRAM_SCALE.get(match.group("unit"), 1.0)
            weights.append((round(grams, 4), bool(_DRUG_TOTAL.search(before)), match))
        if not weights:
            continue
        totals = [w for w in weights if w[1]]
        if totals:
            best = max(totals, key=lambda w: w[0])
            out.append(ExtractedFact(factor, best[0], "stated", (t.source(best[2], "drug.total"),)))
            continue
        distinct = list(dict.fromkeys(w[0] for w in weights))
        sources = tuple(t.source(w[2], "drug.weight") for w in weights)
        if len(distinct) == 1:
            out.append(ExtractedFact(factor, distinct[0], "stated", sources))
            continue
        total = round(sum(distinct), 4)
        out.append(ExtractedFact(factor, total, "summed", sources, Label(
            "文书写明多个重量且无总数：按每笔（每包）相加，同一重量只计一次；请核对是否重复或漏计",
            "several weights and no total: each sale (or packet) added up, a weight repeated counted once; check "
            "for double counting or omissions")))  # fmt: skip
    if any(re.search(p, t.text) for p in (r"麻古|麻果|摇头丸")) and not out:
        notes.append(Label("文书以粒数记载毒品片剂而无重量：请补充克数",
                           "tablets are counted without a weight: give the grams"))  # fmt: skip
    return out


_PERSONS = rf"(?P<n>{NUMBER_PATTERN})\s*(?:人|名)"
_SHELTERED_AT_ONCE = re.compile(
    rf"(?:一次|同时)?容留[^，。；]{{0,20}}?{_PERSONS}[^，。；]{{0,6}}吸(?:食|毒)|"
    rf"容留(?P<names>(?:{_NAME})(?:[、和及](?:{_NAME}))+)(?:等人)?[^，。；]{{0,6}}吸(?:食|毒)"
)
_SHELTERED_TOTAL = re.compile(rf"(?:共计|累计|先后|共)容留[^，。；]{{0,12}}?{_PERSONS}")


def _sheltered(t: _Text) -> list[_Mention]:
    """The persons given a place at one time (容留A、B、C吸食… / 容留3人吸食), and in all where the text counts them."""
    out: list[_Mention] = []
    most = 0
    best: re.Match[str] | None = None
    for match in _SHELTERED_AT_ONCE.finditer(t.text):
        if match.group("n"):
            n = parse_number(match.group("n"))
            count = int(n) if n is not None and 1 <= n <= 1000 else 0
        else:
            count = len(re.findall(rf"(?:{_NAME})", match.group("names")))
        if count > most:
            most, best = count, match
    if best is not None:
        out.append(_Mention("drug_users_at_once", most, t.source(best, "sheltered.at_once")))
    total = _SHELTERED_TOTAL.search(t.text)
    if total is not None:
        n = parse_number(total.group("n"))
        if n is not None and 1 <= n <= 1000:
            out.append(_Mention("drug_users_sheltered", int(n), t.source(total, "sheltered.total")))
    elif best is not None:
        out.append(_Mention("drug_users_sheltered", most, t.source(best, "sheltered.at_once")))
    return out


_DAMAGE_VALUES = (
    (
        "obstruction_damage_yuan",
        re.compile(
            rf"(?:砸坏|砸毁|损毁|毁坏|踢坏|撞坏)[^。；]{{0,24}}?(?:价值|损失|维修费用?)[^。；]{{0,6}}?(?P<m>{MONEY_PATTERN})"
        ),
    ),
)
_QUARREL_VALUES = (
    (
        "quarrel_taken_yuan",
        re.compile(rf"(?:强拿硬要|强行索要|强行拿走|强行索取)[^。；]{{0,24}}?(?P<m>{MONEY_PATTERN})"),
    ),
    (
        "quarrel_damaged_yuan",
        re.compile(
            rf"(?:任意损毁|损毁|砸坏|砸毁|毁坏|占用)[^。；]{{0,24}}?(?:价值|损失)[^。；]{{0,6}}?(?P<m>{MONEY_PATTERN})"
        ),
    ),
)
_OVERDRAFT_VALUES = (
    (
        "card_overdraft_yuan",
        re.compile(
            rf"(?:(?:尚欠|拖欠|未归还|未还|欠)[^。；]{{0,12}}?透支本金|透支本金|恶意透支(?:本金|款项)?)"
            rf"(?:共计|合计|计|达)?[^。；0-9０-９]{{0,6}}?(?P<m>{MONEY_PATTERN})"
        ),
    ),
)
_DEPOSIT_VALUES = (
    (
        "deposit_loss_yuan",
        re.compile(
            rf"(?:(?:直接)?经济损失|未(?:能)?兑付(?:的)?(?:本金|本息|资金)?|无法归还(?:的)?(?:本金|资金)?)"
            rf"(?:共计|合计|计|达)?[^。；0-9０-９]{{0,6}}?(?P<m>{MONEY_PATTERN})"
        ),
    ),
)
_PROFIT_VALUES = (
    (
        "prostitution_profit_yuan",
        re.compile(
            rf"(?:非法获利|获利|违法所得|抽成|抽取[^。；]{{0,8}}(?:费用|提成))(?:共计|合计|计|达)?[^。；0-9０-９]{{0,6}}?"
            rf"(?P<m>{MONEY_PATTERN})"
        ),
    ),
)
#: the values a charge's judgment states, read by :func:`_stated_values`
_VALUES_STATED = {"picking_quarrels": _QUARREL_VALUES, "obstructing_official_duties": _DAMAGE_VALUES,
                  "credit_card_fraud": _OVERDRAFT_VALUES, "illegal_deposits": _DEPOSIT_VALUES,
                  "prostitution_procuring": _PROFIT_VALUES}  # fmt: skip
_COUNT = rf"(?<![0-9０-９年月])(?P<n>{NUMBER_PATTERN})\s*(?:余|多)?\s*"
#: the counts a charge's judgment states, read by :func:`_stated_counts`: (factor, pattern, multiplier of each unit)
_COUNTS_STATED: dict[str, tuple[tuple[str, re.Pattern[str], dict[str, float]], ...]] = {
    "illegal_detention": (
        ("detention_victims",
         re.compile(rf"(?:将|把)[^。；]{{0,20}}?{_COUNT}(?P<u>人|名)[^。；]{{0,24}}?(?:拘禁|关押|看管|扣押|控制)"),
         {"人": 1.0, "名": 1.0}),
        ("detention_hours",
         re.compile(rf"(?:拘禁|关押|看管|扣押|控制|人身自由)[^。；]{{0,30}}?(?:长达|共计|达|约)?{_COUNT}个?(?P<u>小时|天)"),
         {"小时": 1.0, "天": 24.0}),
    ),
    "illegal_deposits": (
        ("depositors",
         re.compile(rf"(?:存款人|集资参与人|投资人|投资者|群众|社会公众|储户|不特定(?:公众|人员|对象))[^。；0-9０-９]{{0,6}}?"
                    rf"(?:共计|共|计|达)?{_COUNT}(?P<u>人|名|户)"),
         {"人": 1.0, "名": 1.0, "户": 1.0}),
    ),
    "rape": (
        ("rape_victims",
         re.compile(rf"(?:强奸|奸淫)(?:了)?[^。；，]{{0,6}}?{_COUNT}(?P<u>名|人)"),
         {"名": 1.0, "人": 1.0}),
    ),
    "prostitution_procuring": (
        ("prostitution_persons",
         re.compile(rf"(?:容留|介绍|引诱)[^。；]{{0,16}}?{_COUNT}(?P<u>名|个|人)[^。；]{{0,10}}?卖淫"),
         {"名": 1.0, "个": 1.0, "人": 1.0}),
    ),
}  # fmt: skip
#: the harm :func:`_injuries` reads: a charge with any of these facts has its persons injured and deaths read
_HARM_FACTS = ("slight_injuries", "minor_injuries", "serious_injuries", "deaths")


def _stated_counts(t: _Text, patterns: tuple[tuple[str, re.Pattern[str], dict[str, float]], ...]) -> list[_Mention]:
    """Each pattern's factor at the largest count it finds, in the factor's unit (拘禁…50个小时, 2天 = 48 hours;
    涉及存款人180人; 容留4名女子…卖淫)."""
    out = []
    for factor, pattern, units in patterns:
        best: tuple[float, re.Match[str]] | None = None
        for match in pattern.finditer(t.text):
            n = parse_number(match.group("n"))
            if n is None or not 0 < n <= 1_000_000:
                continue
            value = n * units[match.group("u")]
            if best is None or value > best[0]:
                best = (value, match)
        if best is not None:
            value = int(best[0]) if float(best[0]).is_integer() else best[0]
            out.append(_Mention(factor, value, t.source(best[1], f"{factor}.stated")))
    return out


def _stated_values(t: _Text, patterns: tuple[tuple[str, re.Pattern[str]], ...]) -> list[_Mention]:
    """Each pattern's factor at the largest sum it finds: the value taken by force (强拿硬要…价值X元), the value damaged
    or occupied (砸坏…价值X元)."""
    out = []
    for factor, pattern in patterns:
        best: tuple[float, re.Match[str]] | None = None
        for match in pattern.finditer(t.text):
            money = _MONEY.match(t.text, match.start("m"))
            amount = parse_money(money) if money is not None else None
            if amount is not None and amount.value > 0 and (best is None or amount.value > best[0]):
                best = (amount.value, match)
        if best is not None:
            out.append(_Mention(factor, best[0], t.source(best[1], f"{factor}.stated")))
    return out


def read_text(text: str, *, charge: str | None = None, catalogue: Catalogue | None = None) -> Draft:
    """Read one Chinese judgment, indictment or proposal into a draft (``charge`` overrides the text's)."""
    catalogue = catalogue or load_catalogue()
    if not isinstance(text, str):
        raise InputError("text", Rule.WRONG_TYPE, "expected a text")
    if len(text) > MAX_TEXT_CHARS:
        raise InputError("text", Rule.FILE_TOO_LARGE, f"{len(text)} characters; at most {MAX_TEXT_CHARS}")
    if "\x00" in text:
        raise InputError("text", Rule.INVALID_TEXT, "contains a NUL character")
    if not text.strip():
        raise InputError("text", Rule.MISSING_REQUIRED, "the text is empty")
    if not re.search(r"[\u4e00-\u9fff]", text):
        raise InputError("text", Rule.INVALID_TEXT, "no Chinese text to read")
    if charge is not None and charge not in catalogue.charge_ids:
        raise InputError("charge", Rule.UNKNOWN_CHARGE, f"expected one of {', '.join(catalogue.charge_ids)}, "
                                                         f"found {excerpt(charge)}")  # fmt: skip
    t = _split(text)
    notes: list[Label] = []
    found, charge_source, charge_notes = _charge(t)
    if charge is None:
        charge, notes = found, charge_notes
    elif found is not None and found != charge:
        notes.append(Label(f"文书显示的罪名为{found}，按指定罪名{charge}读取",
                           f"the text points to {found}; read as {charge}, as given"))  # fmt: skip
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    if charge is None:  # no charge named or shown, or two named: the reader does not choose
        raise InputError("charge", Rule.MISSING_REQUIRED, one_line(notes[0].en if notes else "no charge", 200)
                         + f"; give it (--charge {' | '.join(catalogue.charge_ids)})")  # fmt: skip
    mentions = list(_rule_mentions(t, charge))
    if charge == "contract_fraud":  # absconding with the goods or money is a way of the crime (刑法第224条第4项)
        mentions = [
            m for m in mentions if not (m.factor == "fled" and re.search(r"后逃匿|后逃跑|后隐匿", m.source.quote))
        ]
    mentions += _compensation(t)
    derived: list[ExtractedFact] = []
    if charge in _CORE_VERBS:  # a crime of an amount taken: theft, fraud, robbery, snatching, extortion
        amount_facts, returned = _amount(t, charge, notes)
        derived += amount_facts
        if returned:
            total = round(sum(m.value for m in returned if isinstance(m.value, int | float)), 2)
            derived.append(ExtractedFact("restitution_yuan", total, "summed" if len(returned) > 1 else "stated",
                                         tuple(m.source for m in returned)))  # fmt: skip
        counted, assumed = _acts_counted(t)
        if counted:  # the text's own count of the acts (作案8起, 盗窃3次) over a count of the sums
            derived = [f for f in derived if f.factor != "acts"]
            mentions += counted
        elif not any(f.factor == "acts" for f in derived):
            derived += assumed
        if charge == "fraud":
            mentions += _victims(t)
    if charge in ("drug_trafficking", "drug_possession"):  # the grams of each kind
        derived += _drug_quantities(t, notes)
    if charge == "sheltering_drug_use":  # the persons given a place
        mentions += _sheltered(t)
    if charge not in _CORE_VERBS and catalogue.factor("acts").applies_to(charge):  # no sums to count: as the text does
        counted, assumed = _acts_counted(t)
        mentions += counted
        derived += assumed
    mentions += _stated_values(t, _VALUES_STATED.get(charge, ()))  # the values taken, damaged or occupied
    mentions += _stated_counts(t, _COUNTS_STATED.get(charge, ()))  # the hours held, the depositors, the persons
    if any(catalogue.factor(f).applies_to(charge) for f in _HARM_FACTS):  # the persons injured, and deaths
        injury_facts, death = _injuries(t, notes)
        derived += [f for f in injury_facts if not any(m.factor == f.factor for m in mentions)]
        mentions += death
    birth_positions = {m.start() for m in _BIRTH.finditer(text)}
    offence = _offence_date(t, birth_positions)
    court = _court_province(t)
    person, person_facts = _defendant(t, offence, court)
    mentions += person
    derived += person_facts
    province = court[0] if court else None
    if court is not None:
        derived.append(ExtractedFact("region", _REGION_OF[court[0]], "derived", (court[1],),
                                     Label(f"审理地{court[0]}所属地区", f"the region of the court's province "
                                           f"({court[0]})")))  # fmt: skip
    mentions = [m for m in mentions if not (m.factor in _DOCUMENTED and _listed_as_evidence(t, m.source.start))]
    stated, contradictions = _settle([m for m in mentions if catalogue.factor(m.factor).applies_to(charge)])
    recidivist = next((f for f in stated if f.factor == "recidivist" and f.value is True), None)
    prior = next((f for f in stated if f.factor == "prior_record" and f.value is True), None)
    if recidivist is not None and prior is not None:  # the recidivist's prior sentence is weighed once
        stated.remove(prior)
        notes.append(Label("累犯已评价其前罪，不另计前科（禁止重复评价）；另有其他前科的，请补充",
                           "recidivism already weighs the earlier sentence, so it is not counted again as a prior "
                           "record (禁止重复评价); add any other prior record by hand"))  # fmt: skip
    reoffender = next((f for f in stated if f.factor == "drug_reoffender" and f.value is True), None)
    prior = next((f for f in stated if f.factor == "prior_record" and f.value is True), None)
    if reoffender is not None and prior is not None:  # the same earlier drug sentence, weighed once
        stated.remove(prior)
        notes.append(Label("毒品再犯已评价其前罪，不另计前科（禁止重复评价）；另有其他前科的，请补充",
                           "the drug reoffence already weighs the earlier sentence, so it is not counted again as a "
                           "prior record (禁止重复评价); add any other prior record by hand"))  # fmt: skip
    plea = next((f for f in stated if f.factor == "plea_agreement" and f.value is True), None)
    if plea is not None:  # the stage matters to the discount (法发〔2021〕21号); the catalogue does not hold it yet
        for source in plea.sources:
            stage = re.search(r"侦查阶段|审查起诉阶段|审判阶段|庭审中|一审|二审", source.quote)
            if stage:
                notes.append(Label(f"认罪认罚的阶段：{stage.group(0)}（见第{source.start}字起的原文）",
                                   f"the plea's stage: {stage.group(0)} (in the text from character "
                                   f"{source.start})"))  # fmt: skip
                break
    reconciled = next((f for f in stated if f.factor == "reconciliation" and f.value is True), None)
    compensated = next((f for f in stated if f.factor == "compensation" and f.value != "none"), None)
    if reconciled is not None and compensated is not None:  # the opinion weighs the reconciliation's compensation
        stated.remove(compensated)
        notes.append(Label("达成刑事和解的，赔偿与谅解已在刑事和解中评价（法发〔2021〕21号），不另计赔偿谅解",
                           "with a criminal reconciliation, its compensation and forgiveness are weighed in it "
                           "(法发〔2021〕21号), not again as compensation"))  # fmt: skip
    surrendered = next((f for f in stated if f.factor == "surrender" and f.value is True), None)
    confession = next((f for f in stated if f.factor == "confession" and f.value == "ordinary"), None)
    if surrendered is not None and confession is not None:  # art. 67 ¶1: the confession is part of the surrender
        stated.remove(confession)
        notes.append(Label("投案后如实供述属于自首的要件（刑法第67条第1款），不另计坦白",
                           "the truthful confession after surrendering is part of the surrender (Criminal Law "
                           "art. 67 ¶1), not a separate confession"))  # fmt: skip
    derived_ids = {f.factor for f in derived}
    facts = [f for f in derived if catalogue.factor(f.factor).applies_to(charge)]
    facts += [f for f in stated if f.factor not in derived_ids]
    contradictions = [c for c in contradictions if c.factor not in derived_ids]
    stolen = next((f.value for f in facts if f.factor == "amount_yuan"), None)
    given_back = next((f.value for f in facts if f.factor == "restitution_yuan"), None)
    if isinstance(stolen, int | float) and isinstance(given_back, int | float) and given_back >= stolen * 0.99:
        # all of it returned: that is restitution (退赃退赔), not a part's amount
        back = next(f for f in facts if f.factor == "restitution_yuan")
        facts = [f for f in facts if f.factor not in ("restitution", "restitution_yuan")]
        facts.append(ExtractedFact("restitution", True, "derived", back.sources,
                                   Label(f"退还{given_back:,.10g}元，不少于涉案数额{stolen:,.10g}元：全部退赃",
                                         f"¥{given_back:,.10g} returned of ¥{stolen:,.10g}: all of it")))  # fmt: skip
    elif isinstance(stolen, int | float) and isinstance(given_back, int | float) and given_back < stolen:
        # the catalogue's restitution means everything was returned; a part returned is its amount alone
        facts = [f for f in facts if not (f.factor == "restitution" and f.value is True)]
        notes.append(Label(f"退赔{given_back:,.10g}元，少于涉案数额{stolen:,.10g}元：按部分退赔记录数额，不认定全部退赃",
                           f"¥{given_back:,.10g} returned of ¥{stolen:,.10g}: a partial return, recorded as its "
                           "amount, not as full restitution"))  # fmt: skip
    order = {fid: i for i, fid in enumerate(catalogue.factor_ids)}
    facts.sort(key=lambda f: order[f.factor])
    known = {f.factor for f in facts} | {c.factor for c in contradictions}
    missing = tuple(MissingFact(spec.id, spec.label, spec.is_required(charge), spec.default)
                    for spec in catalogue.factors_for(charge) if spec.id not in known)  # fmt: skip
    hint = None
    if province in _PINYIN and _PINYIN[province] != "guangdong":
        from sentencing.jurisdiction import available_jurisdictions

        candidate = f"default:{_PINYIN[province]}"
        if candidate in available_jurisdictions():
            hint = candidate
    elif province == "广东":
        notes.append(Label("广东省按地区分一类、二类数额标准：请选择 default:guangdong-1 或 default:guangdong-2",
                           "Guangdong sets thresholds by class of area: choose default:guangdong-1 or "
                           "default:guangdong-2"))  # fmt: skip
    return Draft(digest, len(text), _document_kind(text), charge, charge_source, tuple(facts), missing,
                 tuple(contradictions), province, hint, tuple(notes))  # fmt: skip


# ----------------------------------------------------------------------------------------------- confirmation


_CONFIRMATION_KEYS = {"schema_version", "by", "confirm", "set", "remove", "case_id", "jurisdiction"}


def check_party_name(by: object, field: str) -> str:
    """Who confirms a draft: a name of 1-64 letters, digits, '_', '.', '-' or Chinese characters."""
    if not isinstance(by, str) or not re.fullmatch(r"[A-Za-z0-9_.\-\u4e00-\u9fff]{1,64}", by):
        raise InputError(field, Rule.NOT_ALLOWED_VALUE, "who confirms: a name of 1-64 letters or digits")
    return by


def parse_confirmation(document: object, source: str) -> Confirmation:
    """A party's confirmation file: ``{"schema_version": "1.0", "by": "defence", "confirm": "all" | [factor, ...],
    "set": {factor: value}, "remove": [factor], "case_id": ..., "jurisdiction": ...}``."""
    if not isinstance(document, Mapping):
        raise InputError(source, Rule.FILE_NOT_OBJECT, "a confirmation is a JSON object")
    for key in document:
        if key not in _CONFIRMATION_KEYS:
            raise InputError(f"{source}: {excerpt(key)}", Rule.UNKNOWN_FIELD,
                             f"expected one of {', '.join(sorted(_CONFIRMATION_KEYS))}")  # fmt: skip
    if document.get("schema_version") != "1.0":
        raise InputError(f"{source}: schema_version", Rule.UNSUPPORTED_SCHEMA,
                         f"expected '1.0', found {excerpt(document.get('schema_version'))}")  # fmt: skip
    by = check_party_name(document.get("by"), f"{source}: by")
    confirm = document.get("confirm", [])
    confirm_all = confirm == "all"
    if not confirm_all and not (isinstance(confirm, list) and all(isinstance(x, str) for x in confirm)):
        raise InputError(f"{source}: confirm", Rule.WRONG_TYPE, 'expected "all" or a list of factor ids')
    changes = document.get("set", {})
    if not isinstance(changes, Mapping) or not all(isinstance(k, str) for k in changes):
        raise InputError(f"{source}: set", Rule.WRONG_TYPE, "expected an object of factor: value")
    for key, value in changes.items():
        if not isinstance(value, str | int | float | bool) or (isinstance(value, float) and value != value):
            raise InputError(f"{source}: set.{excerpt(key)}", Rule.WRONG_TYPE, "expected a text, number or boolean")
    remove = document.get("remove", [])
    if not (isinstance(remove, list) and all(isinstance(x, str) for x in remove)):
        raise InputError(f"{source}: remove", Rule.WRONG_TYPE, "expected a list of factor ids")
    for key in ("case_id", "jurisdiction"):
        if key in document and not isinstance(document[key], str):
            raise InputError(f"{source}: {key}", Rule.WRONG_TYPE, "expected a text")
    return Confirmation(by, confirm_all, () if confirm_all else tuple(confirm), tuple(changes.items()),
                        tuple(remove), document.get("case_id"), document.get("jurisdiction"))  # fmt: skip


# ----------------------------------------------------------------------------------------------- the file


def decode_text(data: bytes, source: str) -> str:
    """A text file's characters: UTF-8 (with or without a byte-order mark), else GB18030 (the encoding of many
    Chinese court systems); anything else is refused, naming the file."""
    if len(data) > 4 * MAX_TEXT_CHARS:
        raise InputFileError(source, Rule.FILE_TOO_LARGE, f"{len(data)} bytes; at most {4 * MAX_TEXT_CHARS}")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break
        return text.replace("\r\n", "\n")
    raise InputFileError(source, Rule.INVALID_TEXT, "not a text in UTF-8 or GB18030")


def read_text_file(path: str) -> str:
    """The text of a judgment, indictment or proposal file (a regular file, bounded)."""
    return decode_text(read_untrusted_file(path, limit=4 * MAX_TEXT_CHARS), str(path))


#: what each rule id a source may carry means, beside the pattern rules' own descriptions
_DERIVED_RULES: dict[str, Label] = {
    "charge.named": Label("文书写明的罪名（盗窃罪、诈骗罪、故意伤害罪、危险驾驶罪）", "the charge the text names"),
    "charge.sign.dangerous_driving": Label(
        "文书未写罪名：醉酒、饮酒、乙醇等字样最多",
        "no charge named: the signs of drunk driving (醉酒, 饮酒, 乙醇) are the most",
    ),
    "charge.sign.intentional_injury": Label(
        "文书未写罪名：轻伤、重伤、殴打等字样最多",
        "no charge named: the signs of an injury (轻伤, 重伤, 殴打) are the most",
    ),
    "charge.sign.fraud": Label(
        "文书未写罪名：骗、虚构、谎称、冒充等字样最多",
        "no charge named: the signs of deception (骗, 虚构, 谎称, 冒充) are the most",
    ),
    "charge.sign.theft": Label(
        "文书未写罪名：盗、窃、趁…不备、秘密等字样最多",
        "no charge named: the signs of stealing (盗, 窃, 趁…不备, 秘密) are the most",
    ),
    "charge.weak_sign.fraud": Label(
        "文书未写罪名，也无上述任何字样：以…为由、信以为真、租借之物抵押给他人",
        "no charge named and none of the signs above: a pretext (以…为由), 信以为真, or a rented or borrowed thing "
        "pledged to another",
    ),
    "amount.value": Label(
        "盗窃或诈骗所得的一笔数额（排除退赔、赔偿、销赃价、罚金等）",
        "one sum stolen or obtained (not a sum returned, paid, sold for, or a fine)",
    ),
    "amount.total": Label(
        "文书所写的合计数额（共计、合计、累计、达）", "a total the text states (共计, 合计, 累计, 达)"
    ),
    "restitution.amount": Label("退赃、退赔、归还的数额", "a sum returned (退赃, 退赔, 归还)"),
    "amount.attempted": Label(
        "文书写明未遂的数额（从总额中减去，取既遂数额）",
        "a sum the text says was attempted (taken off the total: the amount obtained)",
    ),
    "acts.numbered": Label(
        "文书逐笔编号列出的作案（1、2、…），每笔一次", "the acts the text numbers (1、2、…), one each"
    ),
    "acts.each_sum": Label("文书逐笔列明的数额，每笔一次", "the sums the text lists one by one, one act each"),
    "acts.times": Label(
        "写明的作案次数（先后五次骗取；分次取现不计）",
        "the times an act was done, as stated (先后五次骗取; the withdrawals of one stolen card are not acts)",
    ),
    "acts.counted": Label("“盗窃N次”“作案N起”", "'stole N times' (盗窃N次, 作案N起)"),
    "acts.several": Label("“多次盗窃/骗取”", "'several times' (多次)"),
    "drug.total": Label("毒品种类后（或前）写明的总重量（共计…克）", "a kind of drug with its total weight (共计…克)"),
    "drug.weight": Label(
        "毒品种类后（或前）写明的重量（克、千克、毫克；每克单价、取样、含量不计）",
        "a kind of drug with a weight (g, kg, mg; not a price per gram, a sample or a purity)",
    ),
    "sheltered.at_once": Label(
        "“容留A、B、C吸食”“容留3人吸食”：一次容留的人数",
        "the persons given a place at one time (容留A、B、C吸食, 容留3人吸食)",
    ),
    "sheltered.total": Label("“共计容留N人”", "the persons given a place in all (共计容留N人)"),
    "quarrel_taken_yuan.stated": Label("“强拿硬要…价值X元”（取最大者）", "'took by force … worth ¥X' (the largest)"),
    "quarrel_damaged_yuan.stated": Label("“砸坏/损毁…价值X元”（取最大者）", "'damaged … worth ¥X' (the largest)"),
    "obstruction_damage_yuan.stated": Label("“砸坏警车…损失价值X元”（取最大者）", "'damaged … worth ¥X' (the largest)"),
    "card_overdraft_yuan.stated": Label(
        "“尚欠透支本金X元”“恶意透支X元”（取最大者）", "'overdraft principal unpaid ¥X' (the largest)"
    ),
    "deposit_loss_yuan.stated": Label(
        "“造成直接经济损失X元”“X元未兑付”（取最大者）", "'direct loss of ¥X', '¥X not repaid' (the largest)"
    ),
    "prostitution_profit_yuan.stated": Label("“非法获利X元”（取最大者）", "'illegal profit of ¥X' (the largest)"),
    "detention_hours.stated": Label(
        "“拘禁/看管/限制人身自由…N小时（N天）”（天按24小时，取最长者）",
        "'held … N hours (N days)' (a day as 24 hours; the longest)",
    ),
    "depositors.stated": Label("“涉及存款人N人”（取最大者）", "'N depositors' (the largest)"),
    "detention_victims.stated": Label("“将…N人…拘禁/看管”（取最大者）", "'held N persons' (将…N人…看管; the largest)"),
    "rape_victims.stated": Label("“先后强奸N名妇女”（取最大者）", "'raped N women' (the largest)"),
    "prostitution_persons.stated": Label(
        "“容留、介绍N名女子…卖淫”（取最大者）", "'harboured or procured N persons … to sell sex' (the largest)"
    ),
    "victims.counted": Label(
        "文书写明的被害人人数（十余名取10）", "the number of victims the text states (十余名 → 10)"
    ),
    "victims.named": Label("文书点名的不同被害人", "the distinct victims the text names"),
    "injury.graded": Label("写明等级的伤情", "an injury with its grade"),
    "injury.stated": Label("写明的伤情（轻微伤、轻伤、重伤）", "an injury stated (轻微伤, 轻伤, 重伤)"),
    "injury.ungraded": Label(
        "未写明等级的轻伤或重伤（只作说明，不推定等级）", "轻伤 or 重伤 without its grade (said, not guessed)"
    ),
    "death.stated": Label("“致…死亡”", "'caused the death' (致…死亡)"),
    "death.counted": Label("“致X人死亡”", "'caused the deaths of X persons' (致X人死亡)"),
    "bac.blood": Label("血液检测的乙醇含量", "the blood test's alcohol figure"),
    "bac.breath": Label("呼气检测的酒精含量", "the breath test's alcohol figure"),
    "compensation.paid": Label(
        "“赔偿”或“达成（民事）调解协议”", "'compensated' (赔偿) or a civil settlement (调解协议)"
    ),
    "compensation.not_paid": Label("“未赔偿”", "'did not compensate' (未赔偿)"),
    "forgiveness.stated": Label("“谅解”", "'forgave' (谅解)"),
    "forgiveness.not_given": Label("“未取得谅解”", "'did not forgive' (未谅解)"),
    "defendant.sex": Label("被告人身份段落中的性别", "the sex in the defendant's particulars"),
    "defendant.ethnicity": Label("被告人身份段落中的民族", "the ethnicity in the defendant's particulars"),
    "defendant.occupation": Label("被告人身份段落中的职业", "the occupation in the defendant's particulars"),
    "defendant.age_from_birth_date": Label("出生日期至犯罪日期的周岁", "full years from the birth date to the offence"),
    "defendant.household_registration": Label(
        "户籍所在省与审理地所在省是否相同", "whether the province of registration is the court's"
    ),
    "court.province": Label("文书开头的法院或检察院所在省", "the province of the court or procuratorate named first"),
}


def rule_descriptions() -> dict[str, Label]:
    """Every rule id a source may name, with what it looks for: the list a witness reads from."""
    out = {rule.id: rule.description for rule in READER_RULES}
    out.update(_DERIVED_RULES)
    return out
