"""One contract every model adapter must pass, run against each real adapter; then each adapter's refusals."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import joblib
import numpy as np
import pytest

from sentencing.adapters import (
    CallableModel,
    HttpEndpointModel,
    OutputKind,
    SentencingModel,
    SklearnFileModel,
    load_model,
    predict_cases,
)
from sentencing.canonical import sha256_file
from sentencing.errors import IntegrityError, ModelEndpointError, ModelLoadError, ModelNotFoundError, ModelProbeError
from sentencing.features import feature_frame
from sentencing.vendor_server import serve_model


@pytest.fixture(scope="module")
def vendor(small_adapter) -> Iterator[str]:
    server = serve_model(small_adapter)
    yield server.url
    server.close()


@pytest.fixture(params=["sklearn-file", "callable", "http-endpoint"])
def adapter(request, small_model, small_adapter, vendor) -> SentencingModel:
    if request.param == "sklearn-file":
        return SklearnFileModel.load(small_model.folder)
    if request.param == "callable":
        pipeline = joblib.load(small_model.model_path)
        return CallableModel(pipeline.predict, "reference pipeline as a callable", sha256=small_model.sha256)
    return HttpEndpointModel(vendor)


def test_contract_identity(adapter: SentencingModel, small_model) -> None:
    identity = adapter.identity
    assert identity.adapter in ("sklearn-file", "callable", "http-endpoint")
    assert identity.output is OutputKind.MONTHS
    assert identity.sha256 == small_model.sha256
    assert identity.fingerprint_verified == (identity.adapter == "sklearn-file")


def test_contract_predictions_agree_with_the_model(adapter: SentencingModel, small_adapter, bundled_cases) -> None:
    expected = predict_cases(small_adapter, bundled_cases)
    got = predict_cases(adapter, bundled_cases)
    assert got.dtype == np.float64 and got.shape == (len(bundled_cases),)
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-9)
    assert np.all(got >= 0)


def test_contract_deterministic_and_batch_equals_rows(adapter: SentencingModel, bundled_cases) -> None:
    batch = predict_cases(adapter, bundled_cases)
    assert np.array_equal(batch, predict_cases(adapter, bundled_cases))
    one_by_one = np.array([predict_cases(adapter, [c])[0] for c in bundled_cases])
    np.testing.assert_allclose(batch, one_by_one, rtol=0, atol=1e-9)


def test_contract_a_thousand_rows(adapter: SentencingModel, bundled_cases) -> None:
    frame = feature_frame(bundled_cases * 143)[:1000]
    assert adapter.predict_frame(frame).shape == (1000,)


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
