"""A model served the way a vendor serves one: an HTTP JSON endpoint.

Protocol ``1.0`` (what :class:`sentencing.models.HttpEndpointModel` speaks):

- ``GET /v1/card`` → the model card (a JSON object; ``artifact.sha256`` declares the fingerprint,
  ``output.kind`` is ``months`` or ``score`` (a score model's card names its ``instrument``),
  ``serving.max_request_bytes`` the largest request the server takes: a larger one gets HTTP 413 before
  its body is read);
- ``POST /v1/predict`` with ``{"protocol_version": "1.0", "instances": [{feature: value, ...}]}``
  → ``{"predictions": [number, ...], "model_sha256": "..."}``; a malformed request gets HTTP 400
  with ``{"error": "..."}`` naming the instance and the field.

It lets a court technologist put any registered model behind a URL (``voirdire serve-model``)
and lets the tests exercise the HTTP adapter against a real server. It binds to loopback by
default.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from sentencing.errors import InputFileError, ModelError
from sentencing.kinds import KINDS
from sentencing.models import SentencingModel
from sentencing.untrusted import parse_json

__all__ = ["MAX_REQUEST_BYTES", "VendorServer", "serve_model"]

MAX_REQUEST_BYTES = 32 * 1024 * 1024


def _handler(model: SentencingModel, max_body: int) -> type[BaseHTTPRequestHandler]:
    kind = KINDS.for_output(model.identity.output)  # what the model's rows hold: the kind of case it answers for
    columns = kind.columns(model.card)
    identity = model.identity
    card = dict(model.card or {})
    # What a client needs to know the model again: its name, its fingerprint, what it answers in and on what range.
    card.setdefault("name", identity.name)
    if identity.sha256 is not None and not isinstance(card.get("artifact"), dict):
        card["artifact"] = {"sha256": identity.sha256}
    card.setdefault("output", {"kind": identity.output.value, "range": list(identity.output_range)})
    # What a client needs to talk to this server without being refused: it cuts its requests to this size.
    card["serving"] = {"protocol_version": "1.0", "max_request_bytes": max_body}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            return

        def _send(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body, ensure_ascii=False).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            if self.path == "/v1/card":
                self._send(200, card)
            else:
                self._send(404, {"error": f"no such path {self.path}"})

        def do_POST(self) -> None:
            if self.path != "/v1/predict":
                self._send(404, {"error": f"no such path {self.path}"})
                return
            declared = (self.headers.get("Content-Length") or "").strip()
            if not declared.isdigit():
                self.close_connection = True
                self._send(411, {"error": "a Content-Length (a whole number of bytes) is required"})
                return
            length = int(declared)
            if length > max_body:
                # Said before the body is read, and the connection closed: the client learns the limit.
                self.close_connection = True
                self._send(413, {"error": f"a request of {length} bytes is over this server's limit of {max_body}",
                                 "max_request_bytes": max_body})  # fmt: skip
                return
            if length == 0:
                self._send(400, {"error": "the body is empty"})
                return
            try:
                body = parse_json(self.rfile.read(length), "the request body")
            except InputFileError as exc:
                self._send(400, {"error": f"body is not acceptable JSON: {exc.detail}"})
                return
            instances = body.get("instances") if isinstance(body, dict) else None
            if not isinstance(instances, list) or not instances:
                self._send(400, {"error": "'instances' must be a non-empty list"})
                return
            for i, instance in enumerate(instances):
                if not isinstance(instance, dict):
                    self._send(400, {"error": f"instances[{i}] must be an object"})
                    return
                missing = [c for c in columns if c not in instance]
                extra = [k for k in instance if k not in columns]
                if missing or extra:
                    self._send(400, {"error": f"instances[{i}]: missing {missing}, unknown {extra}"})
                    return
            try:
                predictions = model.predict_frame(kind.frame_of_rows(instances, model.card))
            except (ModelError, ValueError, TypeError) as exc:
                self._send(400, {"error": str(exc)})
                return
            self._send(200, {"predictions": [float(p) for p in predictions], "model_sha256": model.identity.sha256})

    return Handler


@dataclass
class VendorServer:
    server: ThreadingHTTPServer
    thread: threading.Thread | None

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        if self.thread is not None:
            self.thread.join(timeout=5)


def serve_model(
    model: SentencingModel,
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    background: bool = True,
    on_ready: Callable[[str], None] | None = None,
    max_request_bytes: int = MAX_REQUEST_BYTES,
) -> VendorServer:
    """Serve ``model``; in the background (returns at once) or in the foreground (until interrupted).

    ``on_ready`` receives the URL once the socket is bound (port 0 picks a free port)."""
    server = ThreadingHTTPServer((host, port), _handler(model, max_request_bytes))
    server.daemon_threads = True
    if not background:
        running = VendorServer(server, None)
        if on_ready is not None:
            on_ready(running.url)
        try:
            server.serve_forever()
        finally:
            server.server_close()
        return running
    thread = threading.Thread(target=server.serve_forever, name="voirdire-vendor-server", daemon=True)
    thread.start()
    return VendorServer(server, thread)
