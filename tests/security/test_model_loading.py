"""Item 1 (only the bytes hashed are ever unpickled) and item 12 (every answer checked against the declared range)."""

from __future__ import annotations

import json
import shutil
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from threading import Thread

import numpy as np
import pytest

import evidence_pack.replay as replay_module
import sentencing.models.base as adapters  # where every file adapter reads and hashes its bytes
from evidence_pack import replay_pack
from sentencing.canonical import sha256_file
from sentencing.errors import ModelLoadError, ModelOutputError
from sentencing.models import CallableModel, HttpEndpointModel, SklearnFileModel, load_model, predict_cases
from tests.cli.runner import run


def test_the_loader_unpickles_only_the_bytes_it_hashed(small_model, tmp_path, planted, monkeypatch) -> None:
    """The attacker swaps the file on a shared drive right after the digest is taken: the load must not see it."""
    folder = tmp_path / "model"
    shutil.copytree(small_model.folder, folder)
    payload, marker = planted
    hashed = adapters.sha256_bytes

    def hash_then_swap(data: bytes) -> str:
        digest = hashed(data)
        (folder / "model.joblib").write_bytes(payload)  # in the gap between the check and the load
        return digest

    monkeypatch.setattr(adapters, "sha256_bytes", hash_then_swap)
    model = SklearnFileModel.load(folder)
    assert not marker.exists(), "the planted pickle ran"
    assert model.identity.sha256 == small_model.sha256


def test_replay_runs_only_the_model_it_verified(sealed_court, tmp_path, planted, monkeypatch) -> None:
    """The pack folder is changed after verification (a shared drive): replay works from its private copy."""
    pack = sealed_court.copy(tmp_path)
    payload, marker = planted
    verify = replay_module.verify_folder

    def verify_then_swap(*args, **kwargs):
        verdict = verify(*args, **kwargs)
        (pack / "bag/data/model/model.joblib").write_bytes(payload)
        return verdict

    monkeypatch.setattr(replay_module, "verify_folder", verify_then_swap)
    report = replay_pack(pack, sealed_court.anchors)
    assert not marker.exists(), "the planted pickle ran"
    assert report.ok


def test_a_joblib_without_a_card_is_refused_unless_its_sha256_is_named(small_model, tmp_path, planted, env) -> None:
    payload, marker = planted
    bare = tmp_path / "vendor" / "model.joblib"
    bare.parent.mkdir()
    bare.write_bytes(payload)
    with pytest.raises(ModelLoadError, match="--model-sha256") as refused:
        load_model(bare)
    assert not marker.exists() and sha256_file(str(bare)) in str(refused.value)
    genuine = tmp_path / "genuine.joblib"
    shutil.copyfile(Path(small_model.folder) / "model.joblib", genuine)
    with pytest.raises(ModelLoadError):
        load_model(genuine)
    assert load_model(genuine, expected_sha256=small_model.sha256).identity.sha256 == small_model.sha256
    case = Path(__file__).resolve().parents[2] / "sentencing/data/cases/theft-non-local-unemployed.json"
    cli = run(["predict", str(case), "--model", str(bare)], env)
    assert cli.returncode == 3 and "--model-sha256" in cli.stderr and "Traceback" not in cli.stderr
    assert not marker.exists()
    named = run(["predict", str(case), "--model", str(genuine), "--model-sha256", small_model.sha256], env)
    assert named.returncode == 0, named.stderr


def _probe_sane_then(value: float):
    """A model that answers the load-time probe (two rows) sanely and ``value`` for anything else."""

    def answer(frame):
        return np.full(len(frame), 6.0) if len(frame) == 2 else np.full(len(frame), value)

    return answer


@pytest.mark.parametrize("value", [-50.0, 1e308, 601.0])
def test_every_answer_is_checked_against_the_declared_range(bundled_cases, value) -> None:
    model = CallableModel(_probe_sane_then(value), "tricky vendor")
    with pytest.raises(ModelOutputError, match="declared range"):
        predict_cases(model, bundled_cases[:1])


class _TrickyEndpoint(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:
        return

    def _send(self, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        self._send({"name": "tricky vendor", "output": {"kind": "months"}})

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        count = len(body["instances"])
        self._send({"predictions": [6.0] * count if count == 2 else [-50.0] * count})


def test_an_endpoint_that_answers_the_probe_sanely_and_the_case_absurdly_is_refused(bundled_cases, env) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _TrickyEndpoint)
    Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        model = HttpEndpointModel(url)
        with pytest.raises(ModelOutputError, match=r"declared range \[0, 600\]"):
            predict_cases(model, bundled_cases[:1])
        case = Path(__file__).resolve().parents[2] / "sentencing/data/cases/theft-non-local-unemployed.json"
        cli = run(["predict", str(case), "--model", url], env)
        assert cli.returncode == 3 and "-50" in cli.stderr and "months" not in cli.stdout
    finally:
        server.shutdown()
        server.server_close()
