"""sentencing: the domain kernel everything else stands on.

Case schema and validation (:mod:`sentencing.case`), the factor catalogue as data
(:mod:`sentencing.catalogue`), the 2021 guideline engine (:mod:`sentencing.guideline`) with
per-jurisdiction tables (:mod:`sentencing.jurisdiction`), synthetic judgments with documented
bias (:mod:`sentencing.judgments`), the reference model under challenge (:mod:`sentencing.model`),
model adapters behind one protocol (:mod:`sentencing.adapters`), the registry of replayable
operations (:mod:`sentencing.operations`) and the one exception tree (:mod:`sentencing.errors`).
"""

from sentencing.adapters import (
    CallableModel,
    HttpEndpointModel,
    ModelIdentity,
    OutputKind,
    SentencingModel,
    SklearnFileModel,
    load_model,
    predict_cases,
)
from sentencing.case import Case, load_case_file, parse_case
from sentencing.catalogue import Catalogue, FactorSpec, LegalRole, load_catalogue
from sentencing.errors import (
    CaseValidationError,
    ConfigurationError,
    InputError,
    InputFileError,
    IntegrityError,
    ModelError,
    ModelProbeError,
    VoirdireError,
)
from sentencing.examination import Examination, examine_case
from sentencing.guideline import Derivation, DerivationStep, MonthRange, Zone, derive_sentence
from sentencing.i18n import Label, Language
from sentencing.judgments import DOCUMENTED_BIAS, BiasEffect, GeneratorSpec, generate_judgments
from sentencing.jurisdiction import Jurisdiction, load_jurisdiction
from sentencing.model import TrainingSpec, build_reference_model, cail_prison_term_score
from sentencing.operations import Operation, OperationContext, OperationOutcome, OperationRegistry, default_registry

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
