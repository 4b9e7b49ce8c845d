"""ONNX models: the reference model's export against its pipeline, and a vendor's ONNX file loaded without trust."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import joblib
import numpy as np
import onnx
import pandas as pd
import pytest
from onnx import TensorProto, helper

from sentencing.canonical import sha256_file
from sentencing.errors import IntegrityError, ModelLoadError, ModelProbeError
from sentencing.features import feature_columns, feature_frame, numeric_columns
from sentencing.model import (
    ONNX_FOLDER,
    ONNX_TOLERANCE_MONTHS,
    TrainingSpec,
    _pipeline,
    build_reference_model,
    held_out_split,
    is_model_current,
)
from sentencing.models import OnnxFileModel, load_model, predict_cases
from sentencing.onnx_export import export_onnx
from tests.conftest import SMALL_GENERATOR


def _held_out_differences(folder: Path, spec: TrainingSpec) -> tuple[np.ndarray, OnnxFileModel]:
    """|ONNX - pipeline| on every held-out judgment of the model in ``folder`` (the split it was measured on)."""
    frame = pd.read_csv(folder / "training-data" / "judgments.csv")
    _, held_out = held_out_split(frame, spec)
    columns = list(feature_columns())
    pipeline = joblib.load(folder / "model.joblib")
    exported = OnnxFileModel.load(folder / ONNX_FOLDER)
    answers = exported.predict_frame(held_out[columns])
    return np.abs(answers - np.asarray(pipeline.predict(held_out[columns]), dtype=float)), exported


def test_the_reference_models_export_answers_as_its_pipeline_on_every_held_out_judgment(reference_adapter) -> None:
    """The bundled reference model (800 trees on log months, 20,000 judgments): its ONNX export against the pickle on
    all 4,000 held-out judgments, read back from the training data the model carries."""
    folder = reference_adapter.artifact.folder
    differences, exported = _held_out_differences(folder, TrainingSpec())
    card = exported.card or {}
    assert len(differences) == card["exported_from"]["rows"] == 4000
    assert differences.max() <= ONNX_TOLERANCE_MONTHS
    assert differences.max() < 1e-9  # doubles all the way: only the order of adding 800 leaves differs
    assert card["exported_from"]["largest_difference_months"] == pytest.approx(float(differences.max()), abs=1e-12)
    assert card["exported_from"]["sha256"] == reference_adapter.identity.sha256
    assert exported.identity.adapter == "onnx-file" and exported.identity.fingerprint_verified
    assert card["held_out_error"]["overall"] == reference_adapter.card["held_out_error"]["overall"]


def test_an_export_of_trees_on_months_and_the_build_keeps_it_current(tmp_path) -> None:
    spec = TrainingSpec(n_estimators=40, max_depth=3, target="months")
    built = build_reference_model(tmp_path / "m", SMALL_GENERATOR, spec)
    differences, _ = _held_out_differences(built.folder, spec)
    assert differences.max() < 1e-9 and len(differences) == 600
    assert is_model_current(built.folder, SMALL_GENERATOR, spec)
    (built.folder / ONNX_FOLDER / "model.onnx").write_bytes(b"\0" + (built.folder / ONNX_FOLDER / "model.onnx")
                                                            .read_bytes())  # fmt: skip
    assert not is_model_current(built.folder, SMALL_GENERATOR, spec)  # a damaged export makes set-up rebuild
    with pytest.raises(IntegrityError):
        OnnxFileModel.load(built.folder / ONNX_FOLDER)


def _fitted(frame: pd.DataFrame, months: np.ndarray, spec: TrainingSpec):
    pipeline = _pipeline(spec)
    pipeline.fit(frame[list(feature_columns())], months)
    return pipeline


def _loaded(data: bytes, folder: Path) -> OnnxFileModel:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "model.onnx").write_bytes(data)
    return OnnxFileModel.load(folder / "model.onnx")


def test_a_split_between_neighbouring_float32_values_goes_the_way_scikit_learn_sends_it(bundled_cases, tmp_path):
    """scikit-learn splits two neighbouring float32 values at their midpoint in float64 and compares a float32 input
    with it; a converter holding thresholds in float32 rounds that midpoint onto the larger value (to even) and sends
    the larger value the other way. The export compares in double."""
    for start in (np.float32(100.0), np.nextafter(np.float32(100.0), np.float32(200.0))):
        small, large = float(start), float(np.nextafter(start, np.float32(200.0)))
        if float(np.float32((small + large) / 2)) == large:  # the midpoint rounds up onto the larger value
            break
    column = numeric_columns()[0]
    frame = feature_frame([bundled_cases[0]] * 20)
    frame[column] = [small, large] * 10
    months = np.array([2.0, 40.0] * 10)
    pipeline = _fitted(frame, months, TrainingSpec(n_estimators=3, max_depth=1, learning_rate=1.0, subsample=1.0))
    threshold = float(pipeline.named_steps["regress"].estimators_[0, 0].tree_.threshold[0])
    assert small < threshold < large and float(np.float32(threshold)) == large  # the case
    expected = pipeline.predict(frame[list(feature_columns())])
    assert expected[0] != expected[1]  # the model tells the two values apart
    exported = _loaded(export_onnx(pipeline), tmp_path / "split")
    assert exported.predict_frame(frame).tolist() == pytest.approx(expected.tolist(), abs=1e-9)


def test_trees_of_a_single_leaf_are_exported(bundled_cases, tmp_path) -> None:
    """A constant term: every tree is a leaf with no split (ONNX's roots are branches: both sides lead to it)."""
    frame = feature_frame(list(bundled_cases) * 2)
    pipeline = _fitted(frame, np.full(len(frame), 6.0), TrainingSpec(n_estimators=3, max_depth=2))
    assert all(t.tree_.node_count == 1 for t in pipeline.named_steps["regress"].estimators_[:, 0])
    exported = _loaded(export_onnx(pipeline), tmp_path / "leaf")
    assert exported.predict_frame(frame).tolist() == pytest.approx([6.0] * len(frame), abs=1e-12)


# A vendor's ONNX file, written with onnx's own helpers: nothing of voirdire's export in it.


def _vendor_graph(*, months_per_act: float = 2.5, domain: str = "", extra_output: bool = False,
                  input_shape: list | None = None, input_name: str = "acts") -> onnx.ModelProto:  # fmt: skip
    """months = 3 + ``months_per_act`` * acts, from one double column of shape [N] (a vendor's linear rule)."""
    nodes = [
        helper.make_node("Mul", [input_name, "rate"], ["scaled"]),
        helper.make_node("Add", ["scaled", "base"], ["months"], domain=domain),
    ]
    outputs = [helper.make_tensor_value_info("months", TensorProto.DOUBLE, ["N"])]
    if extra_output:
        nodes.append(helper.make_node("Identity", ["scaled"], ["scaled_out"]))
        outputs.append(helper.make_tensor_value_info("scaled_out", TensorProto.DOUBLE, ["N"]))
    graph = helper.make_graph(
        nodes, "vendor",
        [helper.make_tensor_value_info(input_name, TensorProto.DOUBLE, input_shape or ["N"])], outputs,
        initializer=[helper.make_tensor("rate", TensorProto.DOUBLE, [], [months_per_act]),
                     helper.make_tensor("base", TensorProto.DOUBLE, [], [3.0])],
    )  # fmt: skip
    imports = [helper.make_opsetid("", 17)] + ([helper.make_opsetid(domain, 1)] if domain else [])
    return helper.make_model(graph, opset_imports=imports, producer_name="a vendor")


def test_a_vendors_onnx_model_loads_reads_its_columns_and_is_run(bundled_cases, tmp_path) -> None:
    path = tmp_path / "vendor" / "rule.onnx"
    path.parent.mkdir()
    path.write_bytes(_vendor_graph().SerializeToString())
    model = load_model(path)  # an .onnx file, no card: loaded (it runs no code), its digest recorded, not verified
    identity = model.identity
    assert identity.adapter == "onnx-file" and identity.sha256 == sha256_file(str(path))
    assert not identity.fingerprint_verified and identity.name == "rule"
    got = predict_cases(model, bundled_cases)
    acts = feature_frame(bundled_cases)["acts"].to_numpy(dtype=float)
    assert got.tolist() == (3.0 + 2.5 * acts).tolist()
    named = load_model(path, expected_sha256=identity.sha256)
    assert named.identity.fingerprint_verified
    with pytest.raises(IntegrityError):
        load_model(path, expected_sha256="0" * 64)


def _card(folder: Path, **fields) -> None:
    (folder / "model_card.json").write_text(json.dumps({"name": "vendor", **fields}), encoding="utf-8")


def test_a_card_beside_an_onnx_file_must_describe_it_and_may_name_its_output(tmp_path) -> None:
    folder = tmp_path / "vendor"
    folder.mkdir()
    (folder / "model.onnx").write_bytes(_vendor_graph(extra_output=True).SerializeToString())
    with pytest.raises(ModelLoadError, match="2 outputs; its card must name"):
        OnnxFileModel.load(folder)
    _card(folder, onnx={"output": "months"})
    assert OnnxFileModel.load(folder).identity.name == "vendor"
    _card(folder, onnx={"output": "sentence"})
    with pytest.raises(ModelLoadError, match="names output 'sentence'"):
        OnnxFileModel.load(folder)
    _card(folder, artifact={"file": "model.joblib"})
    with pytest.raises(ModelLoadError, match=r"describes 'model\.joblib', not model\.onnx"):
        OnnxFileModel.load(folder)
    _card(folder, artifact={"file": "model.onnx", "sha256": "0" * 64}, onnx={"output": "months"})
    with pytest.raises(IntegrityError):
        OnnxFileModel.load(folder)


def _external(tmp_path: Path) -> bytes:
    """A graph whose rate is read from an external file: the runtime would read whatever path it names."""
    model = _vendor_graph()
    rate = model.graph.initializer[0]
    rate.ClearField("double_data")
    rate.data_location = TensorProto.EXTERNAL
    entry = rate.external_data.add()
    entry.key, entry.value = "location", "../../../../etc/hostname"
    return model.SerializeToString()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda tmp: b"not a protobuf at all \xff\xfe", "not an ONNX model"),
        (_external, "kept in an external file"),
        (lambda tmp: _vendor_graph(domain="com.vendor.ops").SerializeToString(), "domain 'com.vendor.ops'"),
        (lambda tmp: _vendor_graph(input_shape=["N", 4]).SerializeToString(), "has shape"),
        (lambda tmp: _vendor_graph(input_name="shoe_size").SerializeToString(), "'shoe_size' is no column"),
        (lambda tmp: _vendor_graph(months_per_act=1e6).SerializeToString(), "declared range"),
    ],
    ids=["garbage", "external-data", "custom-operator", "matrix-input", "unknown-column", "out-of-range"],
)
def test_an_onnx_file_that_could_reach_outside_itself_or_answers_wrongly_is_refused_with_one_line(
    make, message: str, tmp_path
) -> None:
    path = tmp_path / "model.onnx"
    path.write_bytes(make(tmp_path))
    with pytest.raises((ModelLoadError, ModelProbeError), match=message) as refused:
        load_model(path)
    assert "\n" not in str(refused.value) and str(path) in str(refused.value)


def test_a_folder_of_both_forms_is_the_pickles_and_the_export_is_named_by_its_file(small_model, tmp_path) -> None:
    both = tmp_path / "both"
    shutil.copytree(small_model.folder, both)
    shutil.copyfile(both / ONNX_FOLDER / "model.onnx", both / "model.onnx")
    assert load_model(both).identity.adapter == "sklearn-file"
    assert load_model(small_model.folder / ONNX_FOLDER).identity.adapter == "onnx-file"


def test_the_export_is_the_same_bytes_in_every_process(small_model) -> None:
    """Its digest is its identity: skl2onnx lists the opsets in a set's order, which string hashing changes between
    processes (two builds of one pickle gave two digests); the export lists them in a fixed order."""
    script = ("import hashlib, joblib, sys; from sentencing.onnx_export import export_onnx; "
              "print(hashlib.sha256(export_onnx(joblib.load(sys.argv[1]))).hexdigest())")  # fmt: skip
    digests = set()
    for seed in ("1", "2", "3"):
        environment = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-c", script, str(small_model.model_path)], capture_output=True,
                              text=True, timeout=300, check=True, env=environment)  # fmt: skip
        digests.add(done.stdout.strip())
    assert digests == {sha256_file(str(small_model.folder / ONNX_FOLDER / "model.onnx"))}
