"""The reference model under challenge: a gradient-boosted regressor trained on the synthetic judgments.

It plays the part of a vendor's sentencing algorithm. It is trained deterministically (fixed
seeds, one thread), saved with joblib, fingerprinted by the sha256 of that file, and described
by a model card: training-data fingerprint and injected bias, features with their legal roles,
hyperparameters, library versions, and held-out error overall and by group (MAE in months and
the CAIL2018 prison-term score, SENTENCING_RULES.md §6).
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import pandas as pd
import sklearn
from numpy.typing import NDArray
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import GradientBoostingRegressor
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder

from sentencing import libm
from sentencing.canonical import sha256_bytes, sha256_file
from sentencing.catalogue import load_catalogue
from sentencing.errors import ConfigurationError
from sentencing.features import categorical_columns, feature_columns, numeric_columns
from sentencing.judgments import GeneratorSpec, JudgmentSet, generate_judgments, write_judgments

__all__ = [
    "CARD_FILE",
    "GROUP_COLUMNS",
    "MODEL_CARD_SCHEMA_VERSION",
    "MODEL_FILE",
    "ONNX_FOLDER",
    "ONNX_TOLERANCE_MONTHS",
    "OUTPUT_RANGE",
    "BuiltModel",
    "LogTermRegressor",
    "TermRegressor",
    "TrainingSpec",
    "build_reference_model",
    "cail_prison_term_score",
    "held_out_split",
    "train_model",
]

MODEL_CARD_SCHEMA_VERSION = "1.0"
#: the answers the reference model declares on its card and keeps to (months)
OUTPUT_RANGE = (0.0, 600.0)
MODEL_FILE = "model.joblib"
CARD_FILE = "model_card.json"
#: the folder inside the reference model's that holds its ONNX export, a model of its own (file, card, data)
ONNX_FOLDER = "onnx"
#: how far the ONNX export may answer from the pipeline on any held-out judgment before the build refuses it
ONNX_TOLERANCE_MONTHS = 1e-4
GROUP_COLUMNS = ("charge", "household_registration", "sex", "ethnicity", "occupation", "region")


@dataclass(frozen=True)
class TrainingSpec:  # the reference model's: deep enough to learn a 10% effect across 23 crimes of very unequal terms
    n_estimators: int = 800
    max_depth: int = 5
    learning_rate: float = 0.1
    subsample: float = 0.8
    test_fraction: float = 0.2
    seed: int = 7
    #: what the trees learn: ``log_months`` (log(1 + months), answers turned back into months) or ``months``
    target: str = "log_months"

    def __post_init__(self) -> None:
        if self.target not in TARGETS:
            raise ValueError(f"target: one of {', '.join(TARGETS)}")


@dataclass(frozen=True)
class BuiltModel:
    folder: Path
    model_path: Path
    card_path: Path
    sha256: str
    card: dict[str, Any]
    onnx_card: dict[str, Any]  # the ONNX export's (``folder/onnx``): its artifact, and how far it is from the pickle


def cail_prison_term_score(true_months: NDArray[np.float64], predicted_months: NDArray[np.float64]) -> float:
    """CAIL2018 prison-term score: v = |ln(t+1) - ln(p+1)| scored 1.0/0.8/.../0 by steps of 0.2, averaged."""
    true = np.asarray(true_months, dtype=float)
    pred = np.clip(np.asarray(predicted_months, dtype=float), 0.0, None)
    if true.shape != pred.shape or true.size == 0:
        raise ValueError("need two non-empty arrays of the same shape")
    v = np.abs(np.log(true + 1.0) - np.log(pred + 1.0))
    score = np.select([v <= 0.2, v <= 0.4, v <= 0.6, v <= 0.8, v <= 1.0], [1.0, 0.8, 0.6, 0.4, 0.2], default=0.0)
    return float(score.mean())


class TermRegressor(GradientBoostingRegressor):  # type: ignore[misc]  # scikit-learn is untyped
    """Gradient boosting whose answers are terms: never below 0 months. (Boosted trees add up leaf values and
    can undershoot a short term by a fraction of a month; the toolkit refuses any answer outside a model's
    declared range, so the reference model keeps its own declaration, as a vendor's model must.)"""

    def predict(self, X: Any) -> NDArray[np.float64]:  # noqa: N803 - scikit-learn's name
        return np.asarray(np.clip(super().predict(X), 0.0, None), dtype=np.float64)


class LogTermRegressor(GradientBoostingRegressor):  # type: ignore[misc]  # scikit-learn is untyped
    """Gradient boosting on log(1 + months), answering in months (never below 0).

    Terms of the 23 crimes run from a month's detention to fifteen years, and the law's and the judges' effects are
    proportional (a ratio of the term); trees adding up months learn a 10% effect on a 3-month term and on a 10-year
    term as different things, trees on the logarithm as one. The trees' own output is log months:
    ``output_transform`` tells an explainer reading the trees (``explain_tiers.shap_adapter``) how to turn it into
    months.
    """

    output_transform = "expm1"
    #: its answers are kept inside the range its card declares: trees on the logarithm multiply what they learned, and
    #: a draw no court would see (a home robbery with a gun, of a bank, on a bus, posing as police) would otherwise
    #: compound to centuries, and the toolkit rightly refuse the answer
    output_range = OUTPUT_RANGE

    def fit(self, X: Any, y: Any, sample_weight: Any = None) -> LogTermRegressor:  # noqa: N803 - scikit-learn's name
        months = np.asarray(y, dtype=float)
        if months.size and float(months.min()) < 0:
            raise ValueError("y: terms in months, none below 0")
        super().fit(X, libm.log1p(months), sample_weight=sample_weight)  # the C library's: the same on every CPU
        return self

    def predict(self, X: Any) -> NDArray[np.float64]:  # noqa: N803 - scikit-learn's name
        low, high = self.output_range
        return np.asarray(np.clip(libm.expm1(super().predict(X)), low, high), dtype=np.float64)


#: what the reference model's trees may learn (``TrainingSpec.target``) and the regressor that learns it
TARGETS = {"log_months": LogTermRegressor, "months": TermRegressor}


def _pipeline(spec: TrainingSpec) -> Pipeline:
    catalogue = load_catalogue()
    encode = ColumnTransformer(
        [
            (
                "categorical",
                OneHotEncoder(handle_unknown="ignore", sparse_output=False),
                list(categorical_columns(catalogue)),
            ),
            ("numeric", "passthrough", list(numeric_columns(catalogue))),
        ],
        verbose_feature_names_out=False,
    )
    regressor = TARGETS[spec.target](
        n_estimators=spec.n_estimators,
        max_depth=spec.max_depth,
        learning_rate=spec.learning_rate,
        subsample=spec.subsample,
        random_state=spec.seed,
    )
    return Pipeline([("encode", encode), ("regress", regressor)])


def _errors(true: NDArray[np.float64], pred: NDArray[np.float64]) -> dict[str, float]:
    return {
        "n": int(true.size),
        "mae_months": round(float(np.mean(np.abs(true - pred))), 4),
        "cail2018_score": round(cail_prison_term_score(true, pred), 4),
        "mean_sentence_months": round(float(np.mean(true)), 4),
        "mean_prediction_months": round(float(np.mean(pred)), 4),
    }


def held_out_split(frame: pd.DataFrame, spec: TrainingSpec) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(train, held out): the split a model of ``spec`` was trained and measured on (stratified by charge)."""
    train, test = train_test_split(
        frame, test_size=spec.test_fraction, random_state=spec.seed, stratify=frame["charge"]
    )
    return train, test


def _held_out_error(test: pd.DataFrame, predicted: NDArray[np.float64]) -> dict[str, Any]:
    true = test["sentence_months"].to_numpy(dtype=float)
    by_group: dict[str, dict[str, dict[str, float]]] = {}
    for column in GROUP_COLUMNS:
        by_group[column] = {}
        for value in sorted(test[column].unique()):
            mask = (test[column] == value).to_numpy()
            by_group[column][str(value)] = _errors(true[mask], predicted[mask])
    return {"overall": _errors(true, predicted), "by_group": by_group}


def train_model(judgments: JudgmentSet, spec: TrainingSpec | None = None) -> tuple[Pipeline, dict[str, Any]]:
    """Fit the pipeline on a train split and measure it on the held-out split; returns (pipeline, card body)."""
    spec = spec or TrainingSpec()
    frame = judgments.frame
    columns = list(feature_columns())
    train, test = held_out_split(frame, spec)
    pipeline = _pipeline(spec)
    pipeline.fit(train[columns], train["sentence_months"].to_numpy(dtype=float))
    predicted = np.asarray(pipeline.predict(test[columns]), dtype=float)
    catalogue = load_catalogue()
    card: dict[str, Any] = {
        "schema_version": MODEL_CARD_SCHEMA_VERSION,
        "name": "voirdire reference sentencing model",
        "purpose": (
            "A stand-in for a vendor's sentencing algorithm, so that the toolkit can be exercised end to end. "
            "It learned from synthetic judgments with deliberately injected historical bias; it must never be "
            "used to sentence anyone."
        ),
        "output": {
            "kind": "months",
            "unit": "months of imprisonment or criminal detention",
            "range": [int(OUTPUT_RANGE[0]), int(OUTPUT_RANGE[1])],
        },
        "estimator": {
            "pipeline": "ColumnTransformer(one-hot categorical, passthrough numeric) -> GradientBoostingRegressor "
            + (
                "on log(1 + months), answers exp(trees) - 1 months, kept inside the declared range"
                if spec.target == "log_months"
                else "on months (answers clipped at 0 months)"
            ),
            "hyperparameters": asdict(spec),
        },
        "features": [
            {"id": "charge", "legal_role": "liability", "type": "enum"},
            *[{"id": f.id, "legal_role": f.legal_role.value, "type": f.type.value} for f in catalogue.factors],
        ],
        "training_data": {
            "sha256": judgments.ground_truth["data_sha256"],
            "rows": len(frame),
            "train_rows": len(train),
            "held_out_rows": len(test),
            "generator": judgments.ground_truth["spec"],
            "injected_bias": judgments.ground_truth["injected_bias"],
        },
        "held_out_error": _held_out_error(test, predicted),
        "versions": {
            "python": platform.python_version(),
            "scikit-learn": sklearn.__version__,
            "numpy": np.__version__,
            "pandas": pd.__version__,
            "joblib": joblib.__version__,
        },
        "known_limits": [
            "trained on synthetic judgments of one example jurisdiction, of the charges "
            + ", ".join(sorted(frame["charge"].unique())),
            "reflects patterns of groups of past cases, not this defendant",
            "has learned the injected bias (non-local registration, unemployment) as if it were law",
        ],
    }
    return pipeline, card


def _export_onnx(pipeline: Pipeline, card: dict[str, Any], held_out: pd.DataFrame, folder: Path) -> dict[str, Any]:
    """Write the pipeline's ONNX export into ``folder`` (``model.onnx``, its card, the training data beside it) and
    check it answers as the pipeline does on every held-out judgment; returns its card.

    The export is a model of its own: its card is the pipeline's with its own artifact, held-out error (measured
    with the export's answers) and versions, and ``exported_from`` the pickle's digest and the largest difference
    seen. An export further than :data:`ONNX_TOLERANCE_MONTHS` from the pipeline on any held-out judgment is refused.
    """
    import onnx

    from sentencing.models.onnx_file import ONNX_FILE, OnnxFileModel, onnxruntime_version
    from sentencing.onnx_export import ONNX_OPSETS, export_onnx, skl2onnx_version

    folder.mkdir()
    data = export_onnx(pipeline)
    (folder / ONNX_FILE).write_bytes(data)
    digest = sha256_bytes(data)
    source = (folder.parent / "training-data").resolve()
    (folder / "training-data").mkdir()
    for path in sorted(source.iterdir()):
        try:  # the same bytes, twice on disk only where the file system cannot link
            os.link(path, folder / "training-data" / path.name)
        except OSError:
            shutil.copyfile(path, folder / "training-data" / path.name)
    exported: dict[str, Any] = json.loads(json.dumps(card))
    exported["name"] = f"{card['name']} (ONNX export)"
    exported["artifact"] = {
        "file": ONNX_FILE,
        "sha256": digest,
        "format": f"ONNX (ai.onnx {ONNX_OPSETS['']}, ai.onnx.ml {ONNX_OPSETS['ai.onnx.ml']}): a graph of standard "
        "operators run by onnxruntime; loading it runs no code",
    }
    exported["versions"] = {**card["versions"], "onnx": onnx.__version__, "skl2onnx": skl2onnx_version(),
                            "onnxruntime": onnxruntime_version()}  # fmt: skip
    card_path = folder / CARD_FILE
    card_path.write_text(json.dumps(exported, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    model = OnnxFileModel.load(folder / ONNX_FILE, digest)
    columns = list(feature_columns())
    answers = model.predict_frame(held_out[columns])
    differences = np.abs(answers - np.asarray(pipeline.predict(held_out[columns]), dtype=float))
    largest = float(differences.max())
    if largest > ONNX_TOLERANCE_MONTHS:
        raise ConfigurationError(
            f"{folder / ONNX_FILE}", f"the ONNX export answers {largest:.3g} months away from the pipeline on held-out "
            f"judgment {int(differences.argmax())} (at most {ONNX_TOLERANCE_MONTHS:g} is accepted); not written",
        )  # fmt: skip
    exported["held_out_error"] = _held_out_error(held_out, answers)
    exported["exported_from"] = {
        "artifact": f"../{MODEL_FILE}",
        "sha256": card["artifact"]["sha256"],
        "converter": f"skl2onnx {skl2onnx_version()}, with voirdire's converter of its regressors "
        "(sentencing.onnx_export: one TreeEnsemble in double)",
        "checked_on": "every held-out judgment",
        "rows": len(held_out),
        "largest_difference_months": largest,
        "tolerance_months": ONNX_TOLERANCE_MONTHS,
    }
    card_path.write_text(json.dumps(exported, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return exported


def build_inputs_digest(generator: GeneratorSpec | None = None, training: TrainingSpec | None = None) -> str:
    """sha256 over everything a build depends on: the kernel's code and data, the specs, library versions.

    Recorded in the card, so that set-up can tell a current model from one built by older code.
    """
    digest = hashlib.sha256()
    root = Path(__file__).resolve().parent
    for path in sorted([*root.glob("*.py"), *root.glob("data/**/*.json")]):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    specs = {"generator": asdict(generator or GeneratorSpec()), "training": asdict(training or TrainingSpec())}
    digest.update(json.dumps(specs, sort_keys=True, default=str).encode())
    digest.update(f"{sklearn.__version__} {np.__version__} {pd.__version__} {joblib.__version__}".encode())
    from sentencing.models.onnx_file import onnxruntime_version
    from sentencing.onnx_export import skl2onnx_version

    digest.update(f" onnx: {skl2onnx_version()} {onnxruntime_version()}".encode())
    return digest.hexdigest()


def is_model_current(
    folder: Path, generator: GeneratorSpec | None = None, training: TrainingSpec | None = None
) -> bool:
    """True when ``folder`` holds a model whose card records today's build inputs and whose file matches its digest,
    and its ONNX export (``onnx/``), whose card names that model's digest and whose file matches its own."""
    folder = Path(folder)
    card_path, model_path = folder / CARD_FILE, folder / MODEL_FILE
    onnx_card_path, onnx_path = folder / ONNX_FOLDER / CARD_FILE, folder / ONNX_FOLDER / "model.onnx"
    if not all(p.is_file() for p in (card_path, model_path, onnx_card_path, onnx_path)):
        return False
    try:
        card = json.loads(card_path.read_text(encoding="utf-8"))
        onnx_card = json.loads(onnx_card_path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return False
    digest = card.get("artifact", {}).get("sha256")
    return bool(
        card.get("build", {}).get("inputs_sha256") == build_inputs_digest(generator, training)
        and digest == sha256_file(str(model_path))
        and onnx_card.get("exported_from", {}).get("sha256") == digest
        and onnx_card.get("artifact", {}).get("sha256") == sha256_file(str(onnx_path))
    )


def build_reference_model(
    folder: Path,
    generator: GeneratorSpec | None = None,
    training: TrainingSpec | None = None,
) -> BuiltModel:
    """Generate judgments, train, and write model, card, data and the ONNX export into ``folder`` atomically.

    The folder is assembled beside the target and renamed into place, so a crash leaves either
    the old model or the new one, never half of one.
    """
    judgments = generate_judgments(generator)
    pipeline, card = train_model(judgments, training)
    card["build"] = {"inputs_sha256": build_inputs_digest(generator, training)}
    folder = Path(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
    staging.chmod(0o755)
    try:
        write_judgments(judgments, staging / "training-data")
        model_path = staging / MODEL_FILE
        joblib.dump(pipeline, model_path, compress=3)
        digest = sha256_file(str(model_path))
        card["artifact"] = {
            "file": MODEL_FILE,
            "sha256": digest,
            "format": "joblib (pickle); load only after the sha256 matches",
        }
        (staging / CARD_FILE).write_text(json.dumps(card, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        _, held_out = held_out_split(judgments.frame, training or TrainingSpec())
        onnx_card = _export_onnx(pipeline, card, held_out, staging / ONNX_FOLDER)
        if folder.exists():
            retired = Path(tempfile.mkdtemp(prefix=f".{folder.name}.old.", dir=folder.parent))
            folder.replace(retired / folder.name)
            staging.replace(folder)
            shutil.rmtree(retired, ignore_errors=True)
        else:
            staging.replace(folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return BuiltModel(folder, folder / MODEL_FILE, folder / CARD_FILE, digest, card, onnx_card)


def ensure_reference_model(folder: Path) -> Path:
    """The reference model's folder (``Settings.reference_model_dir``), built first if it is missing or was built by
    older code or data."""
    folder = Path(folder)
    if not is_model_current(folder):
        build_reference_model(folder)
    return folder
