"""The recommendation beside the law's yardstick: one model prediction and one guideline derivation."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sentencing.case import Case
from sentencing.guideline import Derivation, derive_sentence
from sentencing.jurisdiction import Jurisdiction
from sentencing.models import ModelIdentity, SentencingModel, predict_cases

__all__ = ["EXAMINATION_SCHEMA_VERSION", "Examination", "examine_case"]

EXAMINATION_SCHEMA_VERSION = "1.0"


@dataclass(frozen=True)
class Examination:
    """What a clerk sees first: the model's recommendation and where it falls against the guideline."""

    case: Case
    model: ModelIdentity
    recommended_months: float
    derivation: Derivation

    @property
    def gap_months(self) -> float:
        """Model minus guideline point recommendation."""
        return self.recommended_months - self.derivation.recommended_months

    @property
    def inside_judicial_band(self) -> bool:
        return self.derivation.judicial_band.contains(self.recommended_months)

    @property
    def inside_sentence_limits(self) -> bool:
        return self.derivation.sentence_limits.contains(self.recommended_months)

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema_version": EXAMINATION_SCHEMA_VERSION,
            "case_id": self.case.case_id,
            # No file path or URL here: the result must digest the same on an appellate court's machine.
            "model": {
                "name": self.model.name,
                "adapter": self.model.adapter,
                "sha256": self.model.sha256,
                "fingerprint_verified": self.model.fingerprint_verified,
                "output": self.model.output.value,
            },
            "recommended_months": self.recommended_months,
            "gap_months": self.gap_months,
            "inside_judicial_band": self.inside_judicial_band,
            "inside_sentence_limits": self.inside_sentence_limits,
            "guideline": self.derivation.to_dict(),
        }


def examine_case(case: Case, model: SentencingModel, jurisdiction: Jurisdiction | None = None) -> Examination:
    prediction = float(predict_cases(model, [case])[0])
    return Examination(case, model.identity, prediction, derive_sentence(case, jurisdiction))
