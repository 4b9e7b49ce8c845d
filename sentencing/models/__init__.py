"""The model under challenge, in whatever form a vendor delivers it, behind one protocol.

::

    base            SentencingModel (the protocol), ModelIdentity, ModelArtifact, PointsTable;
                    the probe at load, the check of every answer, which model fits which case
    sklearn_file    a joblib file: read once, hashed, unpickled from those bytes only if the digest is known
    callable_model  a Python function
    http_endpoint   a vendor's HTTP JSON endpoint (bounded, same-origin)
    points_table    a risk tool's surrogate: a points table in JSON (no code runs when it loads)
    onnx_file       an ONNX graph run by onnxruntime (standard operators only: no code runs when it loads)

:func:`load_model` picks the adapter from what the user names.
"""

from __future__ import annotations

from pathlib import Path

from sentencing.models.base import (
    MONTHS_RANGE,
    ModelArtifact,
    ModelBase,
    ModelIdentity,
    OutputKind,
    PointsTable,
    PointsTerm,
    SentencingModel,
    TrainingData,
    check_model_fits_case,
    check_predictions,
    declared_range,
    predict_cases,
    probe_model,
    read_model_card,
)
from sentencing.models.callable_model import CallableModel
from sentencing.models.http_endpoint import DEFAULT_MAX_REQUEST_BYTES, ENDPOINT_PROTOCOL_VERSION, HttpEndpointModel
from sentencing.models.onnx_file import ONNX_FILE, OnnxFileModel, is_onnx_location
from sentencing.models.points_table import (
    POINTS_TABLE_FILE,
    RECORDS_FOLDER,
    PointsTableModel,
    is_points_table_location,
    load_points_table,
)
from sentencing.models.sklearn_file import MODEL_FILE, SklearnFileModel

__all__ = [
    "DEFAULT_MAX_REQUEST_BYTES",
    "ENDPOINT_PROTOCOL_VERSION",
    "MODEL_FILE",
    "MONTHS_RANGE",
    "ONNX_FILE",
    "POINTS_TABLE_FILE",
    "RECORDS_FOLDER",
    "CallableModel",
    "HttpEndpointModel",
    "ModelArtifact",
    "ModelBase",
    "ModelIdentity",
    "OnnxFileModel",
    "OutputKind",
    "PointsTable",
    "PointsTableModel",
    "PointsTerm",
    "SentencingModel",
    "SklearnFileModel",
    "TrainingData",
    "check_model_fits_case",
    "check_predictions",
    "declared_range",
    "load_model",
    "load_points_table",
    "predict_cases",
    "probe_model",
    "read_model_card",
]


def load_model(reference: str | Path, *, expected_sha256: str | None = None) -> SentencingModel:
    """The model a user names: a folder or .joblib file, an .onnx file (or a folder of model.onnx alone), a points
    table (its folder or .json file), or an http(s) URL."""
    text = str(reference)
    if text.startswith(("http://", "https://")):
        return HttpEndpointModel(text)
    if is_points_table_location(Path(text)):
        return load_points_table(text, expected_sha256=expected_sha256)
    if is_onnx_location(Path(text)):
        return OnnxFileModel.load(text, expected_sha256)
    return SklearnFileModel.load(text, expected_sha256)
