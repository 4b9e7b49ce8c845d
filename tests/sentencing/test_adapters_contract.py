"""One contract every model adapter must pass, run against each real adapter; then each adapter's refusals."""

from __future__ import annotations

import itertools
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import joblib
import numpy as np
import pytest

from sentencing.canonical import sha256_file
from sentencing.errors import IntegrityError, ModelEndpointError, ModelLoadError, ModelNotFoundError, ModelProbeError
from sentencing.features import feature_frame
from sentencing.kinds import KINDS
from sentencing.models import (
    CallableModel,
    HttpEndpointModel,
    OnnxFileModel,
    OutputKind,
    PointsTableModel,
    SentencingModel,
    SklearnFileModel,
    load_model,
    predict_cases,
)
from sentencing.risk import RiskCase, load_instrument, parse_risk_case
from sentencing.vendor_server import serve_model
from tests.counterfactuals.test_risk_queries import TABLE
from tests.sentencing.test_risk import PERSON


@pytest.fixture(scope="module")
def vendor(small_adapter) -> Iterator[str]:
    server = serve_model(small_adapter)
    yield server.url
    server.close()


@pytest.fixture(scope="module")
def points_table() -> PointsTableModel:
    return PointsTableModel(load_instrument(), TABLE)


@pytest.fixture(scope="module")
def score_vendor(points_table) -> Iterator[str]:
    server = serve_model(points_table)
    yield server.url
    server.close()


@dataclass
class Contract:
    """A model under test, cases of its kind, and what an independent oracle says each case should get."""

    model: SentencingModel
    cases: list[Any]
    expected: np.ndarray
    sha256: str | None
    verified: bool


def _people() -> list[RiskCase]:
    """Risk cases across the table's terms: the probe people and variations of one person."""
    instrument = load_instrument()
    base = parse_risk_case(PERSON)
    people = [*instrument.probe_cases, base]
    for priors, age, race, charge in itertools.product((0, 1, 3, 9), (19, 25, 60), ("Caucasian", "African-American"),
                                                       ("F", "M")):  # fmt: skip
        people.append(base.with_changes({"priors_count": priors, "age": age, "race": race, "charge": charge},
                                        instrument))  # fmt: skip
    return people


def _table_by_hand(cases: list[RiskCase]) -> np.ndarray:
    """TABLE's arithmetic in plain Python: the intercept plus each term that holds, kept on the 1-10 scale."""
    out = []
    for case in cases:
        facts = {"charge": case.charge, **case.as_dict()}
        total = TABLE["intercept"] + sum(
            t["points"] for t in TABLE["terms"]
            if (facts[t["factor"]] >= t["value"] if t["op"] == ">=" else facts[t["factor"]] == t["value"])
        )  # fmt: skip
        out.append(min(10.0, max(1.0, total)))
    return np.array(out)


ADAPTERS = ["sklearn-file", "onnx-file", "callable", "http-endpoint", "points-table", "points-table-callable",
            "points-table-http-endpoint"]  # fmt: skip


@pytest.fixture(params=ADAPTERS)
def contract(request, small_model, small_adapter, vendor, points_table, score_vendor, bundled_cases) -> Contract:
    kind = request.param
    if not kind.startswith("points-table"):
        pipeline = joblib.load(small_model.model_path)
        expected = np.asarray(pipeline.predict(feature_frame(bundled_cases)), dtype=np.float64)
        model: SentencingModel
        if kind == "sklearn-file":
            model = SklearnFileModel.load(small_model.folder)
        elif kind == "onnx-file":  # the export answers within 1e-11 months of the pipeline (the oracle's 1e-9 holds)
            model = OnnxFileModel.load(small_model.folder / "onnx")
            onnx_file = small_model.folder / "onnx" / "model.onnx"
            return Contract(model, list(bundled_cases), expected, sha256_file(str(onnx_file)), True)
        elif kind == "callable":
            model = CallableModel(pipeline.predict, "reference pipeline as a callable", sha256=small_model.sha256)
        else:
            model = HttpEndpointModel(vendor)
        return Contract(model, list(bundled_cases), expected, small_model.sha256, kind == "sklearn-file")
    people = _people()
    table_sha256 = points_table.identity.sha256
    if kind == "points-table":
        model = points_table
    elif kind == "points-table-callable":
        model = CallableModel(points_table.predict_frame, "a points table as a callable", output=OutputKind.SCORE,
                              output_range=(1, 10), sha256=table_sha256, card=points_table.card)  # fmt: skip
    else:
        model = HttpEndpointModel(score_vendor)
    return Contract(model, people, _table_by_hand(people), table_sha256, kind == "points-table")


def test_contract_identity(contract: Contract) -> None:
    identity = contract.model.identity
    assert identity.adapter in ("sklearn-file", "onnx-file", "callable", "http-endpoint", "surrogate")
    assert identity.output is KINDS.of(contract.cases[0]).output
    assert identity.sha256 == contract.sha256
    assert identity.fingerprint_verified == contract.verified


def test_contract_predictions_agree_with_an_independent_oracle(contract: Contract) -> None:
    got = predict_cases(contract.model, contract.cases)
    assert got.dtype == np.float64 and got.shape == (len(contract.cases),)
    np.testing.assert_allclose(got, contract.expected, rtol=0, atol=1e-9)
    low, high = contract.model.identity.output_range
    assert np.all((got >= low) & (got <= high))


def test_contract_deterministic_and_batch_equals_rows(contract: Contract) -> None:
    batch = predict_cases(contract.model, contract.cases)
    assert np.array_equal(batch, predict_cases(contract.model, contract.cases))
    one_by_one = np.array([predict_cases(contract.model, [c])[0] for c in contract.cases])
    np.testing.assert_allclose(batch, one_by_one, rtol=0, atol=1e-9)


def test_contract_a_thousand_rows(contract: Contract) -> None:
    many = (contract.cases * (1000 // len(contract.cases) + 1))[:1000]
    assert contract.model.predict_frame(KINDS.of(many[0]).model_frame(many)).shape == (1000,)


def test_contract_what_the_model_shows_of_its_inside(contract: Contract) -> None:
    """Only a file that travels names its artifact; only a points table shows exact parts; only sklearn an estimator
    (an ONNX graph's trees are not handed to an explainer as Python objects)."""
    model, adapter = contract.model, contract.model.identity.adapter
    assert (model.artifact is not None) == (adapter in ("sklearn-file", "onnx-file"))  # the table was never on disk
    assert (model.points_table is not None) == (adapter == "surrogate")
    assert (model.estimator is not None) == (adapter == "sklearn-file")


@pytest.mark.parametrize(
    ("function", "found"),
    [
        (lambda frame: [1.0] * (len(frame) - 1), "1"),
        (lambda frame: [float("nan")] * len(frame), "nan"),
        (lambda frame: ["seven"] * len(frame), "'seven'"),
        (lambda frame: [-3.0] * len(frame), "-3"),
        (lambda frame: "12 months", "str"),
        (lambda frame: 1 / 0, "ZeroDivisionError"),
    ],
)
def test_a_malformed_callable_fails_the_probe_with_the_reason(function, found: str) -> None:
    with pytest.raises(ModelProbeError) as info:
        CallableModel(function, "broken vendor")
    assert found in str(info.value)


class _BadVendor(BaseHTTPRequestHandler):
    """A real HTTP server whose answers are wrong in the ways vendors' services go wrong."""

    mode = "ok"

    def log_message(self, *args: object) -> None:
        return

    def _send(self, status: int, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        self._send(200, json.dumps({"name": "bad vendor", "output": {"kind": "months"}}).encode())

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        instances = json.loads(self.rfile.read(length))["instances"]
        mode = type(self).mode
        if mode == "not-json":
            self._send(200, b"<html>gateway timeout</html>")
        elif mode == "no-key":
            self._send(200, json.dumps({"scores": [1.0] * len(instances)}).encode())
        elif mode == "short":
            self._send(200, json.dumps({"predictions": [1.0]}).encode())
        elif mode == "http-500":
            self._send(500, b'{"error": "internal"}')


@pytest.mark.parametrize(
    ("mode", "error", "text"),
    [
        ("not-json", ModelProbeError, "JSON body"),
        ("no-key", ModelProbeError, "'predictions'"),
        ("short", ModelProbeError, "2 prediction(s)"),
        ("http-500", ModelEndpointError, "HTTP 500"),
    ],
)
def test_a_malformed_endpoint_fails_at_load(mode: str, error: type[Exception], text: str) -> None:
    handler = type("Handler", (_BadVendor,), {"mode": mode})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with pytest.raises(error) as info:
            HttpEndpointModel(f"http://127.0.0.1:{server.server_address[1]}", deadline=5)
        assert text in str(info.value)
    finally:
        server.shutdown()
        server.server_close()


def test_an_unreachable_endpoint_is_named() -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _BadVendor)
    port = server.server_address[1]
    server.server_close()
    with pytest.raises(ModelEndpointError) as info:
        HttpEndpointModel(f"http://127.0.0.1:{port}", deadline=2)
    assert f"127.0.0.1:{port}" in str(info.value)


def test_the_vendor_server_rejects_malformed_requests(vendor) -> None:
    import urllib.error
    import urllib.request

    request = urllib.request.Request(
        vendor + "/v1/predict", data=json.dumps({"instances": [{"charge": "theft"}]}).encode(), method="POST"
    )
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(request, timeout=5)
    assert info.value.code == 400 and "missing" in info.value.read().decode()


def test_sklearn_file_refuses_a_tampered_artifact_before_unpickling(small_model, tmp_path) -> None:
    folder = tmp_path / "model"
    folder.mkdir()
    (folder / "model.joblib").write_bytes(small_model.model_path.read_bytes() + b"\0")
    (folder / "model_card.json").write_bytes(small_model.card_path.read_bytes())
    with pytest.raises(IntegrityError) as info:
        SklearnFileModel.load(folder)
    assert small_model.sha256 in str(info.value)


def test_sklearn_file_errors_name_the_file(tmp_path) -> None:
    with pytest.raises(ModelNotFoundError, match="build-model"):
        load_model(tmp_path / "absent")
    garbage = tmp_path / "garbage.joblib"
    garbage.write_bytes(b"not a pickle")
    with pytest.raises(ModelLoadError) as info:
        SklearnFileModel.load(garbage, sha256_file(str(garbage)))
    assert "garbage.joblib" in str(info.value)
    joblib.dump({"weights": [1, 2]}, tmp_path / "dict.joblib")
    with pytest.raises(ModelLoadError, match="predict"):
        SklearnFileModel.load(tmp_path / "dict.joblib", sha256_file(str(tmp_path / "dict.joblib")))
