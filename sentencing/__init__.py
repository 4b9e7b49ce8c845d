"""sentencing: the domain kernel everything else stands on.

Case schema and validation (:mod:`sentencing.case`), the factor catalogue as data
(:mod:`sentencing.catalogue`), the 2021 guideline engine (:mod:`sentencing.guideline`) with
per-jurisdiction tables (:mod:`sentencing.jurisdiction`), synthetic judgments with documented
bias (:mod:`sentencing.judgments`), the reference model under challenge (:mod:`sentencing.model`),
model adapters behind one protocol (:mod:`sentencing.models`), the registry of replayable
operations (:mod:`sentencing.operations`) and the one exception tree (:mod:`sentencing.errors`).
"""

from __future__ import annotations

import importlib
from typing import Any

# Public names and the module that defines each. They load on first use (PEP 562), so that a command
# that only validates a case does not pay for importing scikit-learn.
_EXPORTS: dict[str, str] = {
    "BiasEffect": "sentencing.judgments",
    "CallableModel": "sentencing.models",
    "Case": "sentencing.case",
    "CaseValidationError": "sentencing.errors",
    "Catalogue": "sentencing.catalogue",
    "ConfigurationError": "sentencing.errors",
    "DOCUMENTED_BIAS": "sentencing.judgments",
    "Derivation": "sentencing.guideline",
    "DerivationStep": "sentencing.guideline",
    "Examination": "sentencing.examination",
    "FactorSpec": "sentencing.catalogue",
    "GeneratorSpec": "sentencing.judgments",
    "HttpEndpointModel": "sentencing.models",
    "InputError": "sentencing.errors",
    "InputFileError": "sentencing.errors",
    "IntegrityError": "sentencing.errors",
    "Jurisdiction": "sentencing.jurisdiction",
    "Label": "sentencing.i18n",
    "Language": "sentencing.i18n",
    "LegalRole": "sentencing.catalogue",
    "ModelError": "sentencing.errors",
    "ModelIdentity": "sentencing.models",
    "ModelProbeError": "sentencing.errors",
    "MonthRange": "sentencing.guideline",
    "Operation": "sentencing.operations",
    "OperationContext": "sentencing.operations",
    "OperationOutcome": "sentencing.operations",
    "OperationRegistry": "sentencing.operations",
    "OutputKind": "sentencing.models",
    "SentencingModel": "sentencing.models",
    "SklearnFileModel": "sentencing.models",
    "TrainingSpec": "sentencing.model",
    "VoirdireError": "sentencing.errors",
    "Zone": "sentencing.guideline",
    "build_reference_model": "sentencing.model",
    "cail_prison_term_score": "sentencing.model",
    "default_registry": "sentencing.operations",
    "derive_sentence": "sentencing.guideline",
    "examine_case": "sentencing.examination",
    "generate_judgments": "sentencing.judgments",
    "load_case_file": "sentencing.case",
    "load_catalogue": "sentencing.catalogue",
    "load_jurisdiction": "sentencing.jurisdiction",
    "load_model": "sentencing.models",
    "parse_case": "sentencing.case",
    "predict_cases": "sentencing.models",
}

__all__ = [
    "DOCUMENTED_BIAS",
    "BiasEffect",
    "CallableModel",
    "Case",
    "CaseValidationError",
    "Catalogue",
    "ConfigurationError",
    "Derivation",
    "DerivationStep",
    "Examination",
    "FactorSpec",
    "GeneratorSpec",
    "HttpEndpointModel",
    "InputError",
    "InputFileError",
    "IntegrityError",
    "Jurisdiction",
    "Label",
    "Language",
    "LegalRole",
    "ModelError",
    "ModelIdentity",
    "ModelProbeError",
    "MonthRange",
    "Operation",
    "OperationContext",
    "OperationOutcome",
    "OperationRegistry",
    "OutputKind",
    "SentencingModel",
    "SklearnFileModel",
    "TrainingSpec",
    "VoirdireError",
    "Zone",
    "build_reference_model",
    "cail_prison_term_score",
    "default_registry",
    "derive_sentence",
    "examine_case",
    "generate_judgments",
    "load_case_file",
    "load_catalogue",
    "load_jurisdiction",
    "load_model",
    "parse_case",
    "predict_cases",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'sentencing' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
