"""The quality of a model's training judgments, when they travel with the model: sentences the law forbids, or that
the guideline would not reach.

A model learns whatever its training judgments hold, including terms outside what the statute allows for their facts
and terms so far from the 2021 Guiding Opinions' method that the opinion sends them to the adjudication committee
(beyond the judge's ±20% band: grossly lenient or severe, 畸轻畸重). Each judgment's facts are read as a case by the
case file's own rules and derived by the guideline engine; its real term is then placed

- **outside the statutory limits** for its facts (a term the law does not allow);
- **beyond the ±20% band**, below (lenient) or above (severe);
- **not readable as a case** (its facts break a rule of the catalogue, or it has no sentence).

At most ``limit`` judgments are checked (every k-th, evenly over the file; the report states how many of how many):
reading and deriving a judgment costs about half a millisecond, and the deep report is computed while a party waits.
Counted once per training file (by its sha256).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from sentencing.case import parse_case
from sentencing.catalogue import FactorGroup, load_catalogue
from sentencing.errors import CaseValidationError
from sentencing.features import case_values
from sentencing.guideline import derive_sentence
from sentencing.i18n import Label

__all__ = ["SENTENCE_COLUMN", "TRAINING_QUALITY_SCHEMA_VERSION", "TrainingQuality", "assess_training_data"]

TRAINING_QUALITY_SCHEMA_VERSION = "1.0"
SENTENCE_COLUMN = "sentence_months"
CHECKED_AT_MOST = 2000
_GROUPS = {FactorGroup.OFFENCE: "facts", FactorGroup.CIRCUMSTANCE: "circumstances", FactorGroup.DEFENDANT: "defendant"}
_EXAMPLES = 5
_CACHE: dict[str, TrainingQuality] = {}


@dataclass(frozen=True)
class TrainingQuality:
    rows: int  # judgments in the training file
    checked: int  # read as cases, derived and placed
    sampled: int  # looked at (every k-th row; all when the file is small)
    unreadable: int
    outside_statutory: int
    lenient: int  # below the ±20% band (inside the statute)
    severe: int  # above it
    examples: tuple[str, ...]  # ids of the first judgments outside the statute or beyond the band

    @property
    def beyond_band(self) -> int:
        return self.lenient + self.severe

    def summary(self) -> Label:
        share = self.beyond_band / self.checked if self.checked else 0.0
        scope = Label(f"（抽查其中 {self.sampled} 件，均匀抽取）" if self.sampled < self.rows else "",
                      f" (one in every {math.ceil(self.rows / self.sampled)}, {self.sampled} checked)"
                      if self.sampled < self.rows else "")  # fmt: skip
        return Label(
            f"训练判决 {self.rows} 件{scope.zh}：超出法定刑幅度 {self.outside_statutory} 件；"
            f"超出指导意见 ±20% 调整幅度 {self.beyond_band} 件（{share:.1%}；畸轻 {self.lenient} 件、畸重 "
            f"{self.severe} 件）；无法按案件规则读取 {self.unreadable} 件。模型会将这些判决当作规律学习。",
            f"Training judgments, {self.rows}{scope.en}: {self.outside_statutory} outside the statutory limits for "
            f"their facts; {self.beyond_band} beyond the guideline's ±20% band ({share:.1%}: {self.lenient} grossly "
            f"lenient, {self.severe} grossly severe, 畸轻畸重); {self.unreadable} not readable as cases. The model "
            "learns them as if they were law.",
        )

    def to_dict(self) -> dict[str, Any]:
        return {"schema_version": TRAINING_QUALITY_SCHEMA_VERSION, "rows": self.rows, "sampled": self.sampled,
                "checked": self.checked, "unreadable": self.unreadable, "outside_statutory": self.outside_statutory,
                "lenient": self.lenient, "severe": self.severe, "examples": list(self.examples)}  # fmt: skip


def _document(charge: str, typed: dict[str, list[Any]], position: int) -> dict[str, Any]:
    """One training row's facts as a case document: the factors of its charge, typed as a case holds them
    (``typed``: each factor column through ``case_values``); an empty cell is left to the case rules."""
    catalogue = load_catalogue()
    document: dict[str, Any] = {"schema_version": "1.0", "case_id": f"row-{position}", "charge": charge,
                                "facts": {}, "circumstances": {}, "defendant": {}}  # fmt: skip
    if charge not in catalogue.charge_ids:
        return document  # refused by the case rules: counted as unreadable
    for spec in catalogue.factors_for(charge):
        value = typed[spec.id][position] if spec.id in typed else None
        if value is not None:
            document[_GROUPS[spec.group]][spec.id] = value
    return document


def assess_training_data(frame: pd.DataFrame, sha256: str | None = None, *,
                         limit: int = CHECKED_AT_MOST) -> TrainingQuality | None:  # fmt: skip
    """The counts over a model's training frame, or None when it holds no sentences (nothing to check)."""
    if SENTENCE_COLUMN not in frame.columns or "charge" not in frame.columns or not len(frame):
        return None
    key = f"{sha256}:{limit}" if sha256 else None
    if key is not None and key in _CACHE:
        return _CACHE[key]
    step = max(1, math.ceil(len(frame) / limit))
    sample = frame.iloc[::step]
    sentences = pd.to_numeric(sample[SENTENCE_COLUMN], errors="coerce").to_numpy(dtype=float)
    ids = sample["case_id"].astype(str).tolist() if "case_id" in sample.columns else [str(i) for i in sample.index]
    catalogue = load_catalogue()
    typed = {spec.id: case_values(sample[spec.id], spec) for spec in catalogue.factors if spec.id in sample.columns}
    charges = sample["charge"].astype(str).tolist()
    unreadable = outside = lenient = severe = checked = 0
    examples: list[str] = []
    for position, charge in enumerate(charges):
        months = float(sentences[position])
        try:
            derivation = derive_sentence(parse_case(_document(charge, typed, position)))
        except CaseValidationError:
            unreadable += 1
            continue
        if not math.isfinite(months) or months < 0:
            unreadable += 1
            continue
        checked += 1
        limits, band = derivation.sentence_limits, derivation.judicial_band
        if not limits.low - 1e-9 <= months <= limits.high + 1e-9:
            outside += 1
        elif months < band.low - 1e-9:
            lenient += 1
        elif months > band.high + 1e-9:
            severe += 1
        else:
            continue
        if len(examples) < _EXAMPLES:
            examples.append(ids[position])
    quality = TrainingQuality(len(frame), checked, len(sample), unreadable, outside, lenient, severe, tuple(examples))
    if key is not None:
        _CACHE[key] = quality
    return quality
