"""A vendor's ONNX model, run by ``onnxruntime``: a graph of standard operators, so loading it runs no vendor code.

A pickle is a program; an ONNX file is data: a graph of operators the runtime implements. What could still reach
outside the graph is refused before the runtime sees the file: a tensor kept in an external file (the runtime would
read whatever path the file names), an operator outside the standard domains (``ai.onnx``, ``ai.onnx.ml``: a custom
operator needs a library the vendor supplies, and none is ever registered), a model of local functions. The file is
read once, hashed, checked with ``onnx.checker`` and handed to the runtime as those bytes.

The graph's inputs are the case frame's columns, each named after one (``[N, 1]`` or ``[N]``): text for a
categorical column (a missing value is the empty text), float32, float64, int64 or bool for a number; columns the
graph does not name are not sent. Its one output (or the one the card names in ``onnx.output``) is the answer, one
number per row. The runtime runs on one thread (a tree ensemble's leaves are then added in one order, whatever the
machine's cores) with the basic graph optimisations only (no rewrite of the graph for this CPU's instructions), so
that an appellate court's replay computes what the hearing's did; replay's stated tolerance covers a last bit.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from sentencing.errors import ModelLoadError, ModelOutputError
from sentencing.excerpts import excerpt
from sentencing.models.base import (
    ModelArtifact,
    ModelBase,
    ModelIdentity,
    TrainingData,
    check_predictions,
    file_identity,
    probe_model,
    read_artifact,
    training_data_beside,
)

__all__ = ["ONNX_DOMAINS", "ONNX_FILE", "OnnxFileModel", "is_onnx_location", "onnxruntime_version"]

ONNX_FILE = "model.onnx"
#: the operator domains a graph may use: the standard operators and the standard machine-learning operators
ONNX_DOMAINS = ("", "ai.onnx", "ai.onnx.ml")
_MAX_MODEL_BYTES = 1 << 30
_TYPES = {
    "tensor(string)": None,
    "tensor(float)": np.float32,
    "tensor(double)": np.float64,
    "tensor(int64)": np.int64,
    "tensor(bool)": np.bool_,
}


def onnxruntime_version() -> str:
    """The installed onnxruntime's version, from its metadata (without importing the runtime)."""
    return metadata.version("onnxruntime")


def is_onnx_location(path: Path) -> bool:
    """An ``.onnx`` file, or a folder holding ``model.onnx`` and no ``model.joblib`` (a folder of both is the pickle's,
    as it always was: name the ``.onnx`` file to load the export)."""
    return path.suffix == ".onnx" or (
        path.is_dir() and (path / ONNX_FILE).is_file() and not (path / "model.joblib").exists()
    )


@dataclass(frozen=True)
class _Input:
    name: str
    dtype: Any  # a numpy dtype, or None for text
    flat: bool  # shape [N] rather than [N, 1]


def _numbers(block: pd.DataFrame) -> NDArray[np.float64]:
    """The columns as one float64 matrix (a column of text that is no number is NaN)."""
    if all(kind in "fiub" for kind in (d.kind for d in block.dtypes)):
        return np.asarray(block.to_numpy(dtype=np.float64))
    return np.column_stack([pd.to_numeric(block[c], errors="coerce").to_numpy(dtype=np.float64) for c in block]
                           ) if len(block.columns) else np.empty((len(block), 0))  # fmt: skip


def _texts(column: NDArray[Any]) -> NDArray[Any]:
    missing = pd.isna(column)
    values = np.where(missing, "", column)
    return values if all(type(v) is str for v in values) else values.astype(str).astype(object)


def _feeds(inputs: tuple[_Input, ...], frame: pd.DataFrame, source: str) -> dict[str, NDArray[Any]]:
    """Each graph input's column of the frame, in the input's type and shape (columns taken in two blocks: the
    texts and the numbers, so that a one-row call does not pay for a hundred column look-ups)."""
    absent = next((i.name for i in inputs if i.name not in frame.columns), None)
    if absent is not None:
        raise ModelOutputError(source, "graph inputs named after the case's columns",
                               f"input {absent!r} is no column of the case")  # fmt: skip
    texts = [i for i in inputs if i.dtype is None]
    numeric = [i for i in inputs if i.dtype is not None]
    feeds: dict[str, NDArray[Any]] = {}
    if texts:
        block = frame[[i.name for i in texts]].to_numpy(dtype=object)
        for j, entry in enumerate(texts):
            feeds[entry.name] = _texts(block[:, j])
    if numeric:
        matrix = _numbers(frame[[i.name for i in numeric]])
        for j, entry in enumerate(numeric):
            numbers = matrix[:, j]
            if entry.dtype is not np.float32 and entry.dtype is not np.float64 and np.isnan(numbers).any():
                raise ModelOutputError(source, f"a number in every row of column {entry.name!r}", "an empty value")
            if entry.dtype is np.int64 and not np.array_equal(numbers, np.round(numbers)):
                raise ModelOutputError(source, f"whole numbers in column {entry.name!r} (the graph reads int64)",
                                       "a fraction")  # fmt: skip
            feeds[entry.name] = np.ascontiguousarray(numbers.astype(entry.dtype))
    return {i.name: feeds[i.name] if i.flat else feeds[i.name].reshape(-1, 1) for i in inputs}


def _graphs(graph: Any) -> Iterator[Any]:
    """A graph and every graph inside its nodes' attributes (the branches of If, the bodies of Loop and Scan)."""
    yield graph
    for node in graph.node:
        for attribute in node.attribute:
            for inner in [attribute.g] if attribute.HasField("g") else list(attribute.graphs):
                yield from _graphs(inner)


def _tensors(graph: Any) -> Iterator[Any]:
    yield from graph.initializer
    for sparse in graph.sparse_initializer:
        yield sparse.values
        yield sparse.indices
    for node in graph.node:
        for attribute in node.attribute:
            if attribute.HasField("t"):
                yield attribute.t
            yield from attribute.tensors
            if attribute.HasField("sparse_tensor"):
                yield attribute.sparse_tensor.values
                yield attribute.sparse_tensor.indices


def _check_graph(data: bytes, source: str) -> None:
    """Refuse what could make the runtime reach outside the file or run code the vendor supplies."""
    import onnx

    try:
        model = onnx.load_model_from_string(data)
    except Exception as exc:  # a protobuf parse failure takes several forms
        raise ModelLoadError(source, f"not an ONNX model ({type(exc).__name__}: {excerpt(str(exc), 120)})") from None
    if model.functions:
        raise ModelLoadError(source, f"the model defines {len(model.functions)} local function(s); only graphs of "
                                     "standard operators are run")  # fmt: skip
    domains = {o.domain for o in model.opset_import} | {n.domain for g in _graphs(model.graph) for n in g.node}
    foreign = sorted(d for d in domains if d not in ONNX_DOMAINS)
    if foreign:
        raise ModelLoadError(
            source,
            f"the graph uses operators of domain {excerpt(foreign[0], 60)}; only the "
            "standard domains ai.onnx and ai.onnx.ml are run (no custom operator is loaded)",
        )
    for graph in _graphs(model.graph):
        for tensor in _tensors(graph):
            if tensor.data_location == onnx.TensorProto.EXTERNAL or len(tensor.external_data):
                raise ModelLoadError(source, f"tensor {excerpt(tensor.name, 60)} is kept in an external file; "
                                             "an ONNX model is accepted as one self-contained file")  # fmt: skip
    try:
        onnx.checker.check_model(model)
    except Exception as exc:  # onnx.checker.ValidationError, or a failure inside the checker
        raise ModelLoadError(source, f"not a valid ONNX model ({excerpt(str(exc), 160)})") from None


def _session(data: bytes, source: str) -> Any:
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_BASIC
    options.log_severity_level = 3  # errors only: they come back as exceptions
    try:
        return onnxruntime.InferenceSession(data, options, providers=["CPUExecutionProvider"])
    except Exception as exc:  # the runtime's own failures
        raise ModelLoadError(source, f"onnxruntime cannot run it ({excerpt(str(exc), 160)})") from None


def _inputs(session: Any, source: str) -> tuple[_Input, ...]:
    found = []
    for entry in session.get_inputs():
        if entry.type not in _TYPES:
            raise ModelLoadError(source, f"input {excerpt(entry.name, 60)} is a {excerpt(entry.type, 40)}; an input "
                                         f"is one column: {', '.join(_TYPES)}")  # fmt: skip
        shape = list(entry.shape)
        if len(shape) not in (1, 2) or (len(shape) == 2 and shape[1] not in (1, None, "None")):
            raise ModelLoadError(
                source,
                f"input {excerpt(entry.name, 60)} has shape {excerpt(shape, 40)}; each "
                "input is one column of the case, [N, 1] or [N], named after it",
            )
        found.append(_Input(entry.name, _TYPES[entry.type], len(shape) == 1))
    return tuple(found)


def _output(session: Any, card: Mapping[str, Any] | None, source: str) -> str:
    names = [o.name for o in session.get_outputs()]
    section = (card or {}).get("onnx")
    wanted = section.get("output") if isinstance(section, Mapping) else None
    if isinstance(wanted, str):
        if wanted not in names:
            raise ModelLoadError(source, f"the card names output {excerpt(wanted, 60)}, which the graph has not")
        return wanted
    if len(names) != 1:
        raise ModelLoadError(source, f"the graph has {len(names)} outputs; its card must name the answer's "
                                     "(onnx.output)")  # fmt: skip
    return str(names[0])


class OnnxFileModel(ModelBase):
    """An ONNX graph run by onnxruntime (the ``SentencingModel`` protocol); nothing it holds runs as Python."""

    def __init__(self, session: Any, inputs: tuple[_Input, ...], output: str, identity: ModelIdentity,
                 card: Mapping[str, Any] | None) -> None:  # fmt: skip
        self._session = session
        self._inputs = inputs
        self._output = output
        self._identity = identity
        self._card = card
        probe_model(self)

    @property
    def artifact(self) -> ModelArtifact:
        source = Path(self._identity.source)
        return ModelArtifact(source.parent, source.name)

    @property
    def training_data(self) -> TrainingData | None:
        return training_data_beside(self._card, self.artifact.folder)

    @property
    def input_names(self) -> tuple[str, ...]:
        return tuple(i.name for i in self._inputs)

    def predict_frame(self, frame: pd.DataFrame) -> NDArray[np.float64]:
        source = self._identity.source
        feeds = _feeds(self._inputs, frame, source)
        try:
            (raw,) = self._session.run([self._output], feeds)
        except Exception as exc:  # the runtime's failure on these inputs is the model's failure
            raise ModelOutputError(source, "an answer", f"{type(exc).__name__}: {excerpt(str(exc), 160)}") from None
        answer = np.asarray(raw)
        if answer.dtype.kind not in "fiu" or answer.size != len(frame):
            raise ModelOutputError(source, f"{len(frame)} number(s)", f"{answer.dtype} of shape {answer.shape}")
        return check_predictions(answer.astype(np.float64).ravel(), len(frame), source, self._identity.output_range)

    @classmethod
    def load(cls, path: str | Path, expected_sha256: str | None = None) -> OnnxFileModel:
        """Load ``model.onnx`` (or a folder holding it and ``model_card.json``).

        No digest is needed to load it safely (it runs no code), but a digest the user names, or the card's, must be
        the file's; the identity says whether one was checked. A card beside the file must describe that file.
        """
        found = read_artifact(path, ONNX_FILE, expected_sha256, _MAX_MODEL_BYTES)
        file, card = found.file, found.card
        artifact = (card or {}).get("artifact")
        described = artifact.get("file") if isinstance(artifact, Mapping) else None
        if isinstance(described, str) and described != file.name:
            raise ModelLoadError(str(file), f"the model card beside it describes {excerpt(described, 60)}, not "
                                            f"{file.name}")  # fmt: skip
        _check_graph(found.data, str(file))
        session = _session(found.data, str(file))
        identity = file_identity(found, "onnx-file", verified=found.recorded is not None)
        return cls(session, _inputs(session, str(file)), _output(session, card, str(file)), identity, card)
