"""A vendor's model behind an HTTP JSON endpoint (protocol 1.0, see :mod:`sentencing.vendor_server`).

Every exchange is bounded in time and size and stays on the registered origin
(:mod:`sentencing.http_transport`); requests are cut to the server's stated limit.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from sentencing.errors import InputFileError, ModelEndpointError, ModelOutputError, ModelProbeError
from sentencing.excerpts import excerpt
from sentencing.http_transport import HttpTransportError, check_url, http_request
from sentencing.models.base import (
    ModelBase,
    ModelIdentity,
    card_name,
    check_predictions,
    declared_range,
    output_kind,
    probe_model,
)
from sentencing.untrusted import parse_json

__all__ = ["DEFAULT_MAX_REQUEST_BYTES", "ENDPOINT_PROTOCOL_VERSION", "HttpEndpointModel"]

ENDPOINT_PROTOCOL_VERSION = "1.0"
DEFAULT_MAX_REQUEST_BYTES = 4 << 20  # when the server does not say: well under any common server limit


class HttpEndpointModel(ModelBase):
    """A vendor's HTTP JSON service: ``GET {url}/v1/card`` and ``POST {url}/v1/predict``.

    Every exchange is bounded in time and size and stays on the registered origin
    (:mod:`sentencing.http_transport`). Requests are cut into batches no larger than the server says it
    takes (``serving.max_request_bytes`` in its card; else :data:`DEFAULT_MAX_REQUEST_BYTES`), so a batch
    audit of 50,000 rows is many requests, not one the server must refuse.
    """

    def __init__(self, url: str, *, deadline: float = 60.0, max_response_bytes: int = 64 << 20) -> None:
        try:
            check_url(url)
        except HttpTransportError as exc:
            raise ModelEndpointError(exc.url, exc.detail) from None
        self._url = url.rstrip("/")
        self._deadline = deadline
        self._max_response = max_response_bytes
        card = self._request("GET", "/v1/card", None)
        if not isinstance(card, dict):
            raise ModelProbeError(self._url + "/v1/card", "a JSON object (the model card)", type(card).__name__)
        self._card: dict[str, Any] = card
        declared = card.get("artifact", {}).get("sha256") if isinstance(card.get("artifact"), dict) else None
        output = output_kind(card, self._url + "/v1/card")
        serving = card.get("serving") if isinstance(card.get("serving"), dict) else {}
        limit = serving.get("max_request_bytes") if isinstance(serving, dict) else None
        self._max_request = (
            int(limit) if isinstance(limit, int) and not isinstance(limit, bool) and 1024 <= limit <= 1 << 30
            else DEFAULT_MAX_REQUEST_BYTES
        )  # fmt: skip
        self._identity = ModelIdentity(
            name=card_name(card, self._url),
            adapter="http-endpoint",
            source=self._url,
            sha256=declared if isinstance(declared, str) and len(declared) == 64 else None,
            fingerprint_verified=False,
            output=output,
            output_range=declared_range(card, output, self._url + "/v1/card"),
        )
        probe_model(self)

    @property
    def max_request_bytes(self) -> int:
        return self._max_request

    def _request(self, method: str, path: str, body: bytes | None) -> Any:
        url = self._url + path
        try:
            answer = http_request(url, method, body, max_response_bytes=self._max_response,
                                  deadline_seconds=self._deadline)  # fmt: skip
        except HttpTransportError as exc:
            raise ModelEndpointError(exc.url, exc.detail) from None
        if answer.status == 413:
            raise ModelEndpointError(
                url, f"the endpoint refused a request of {len(body or b'')} bytes as too large (HTTP 413: "
                f"{excerpt(answer.body.decode('utf-8', 'replace'), 120)})",
            )  # fmt: skip
        if answer.status != 200:
            raise ModelEndpointError(
                url, f"HTTP {answer.status}: {excerpt(answer.body.decode('utf-8', 'replace'), 200)}"
            )
        try:
            return parse_json(answer.body, url)
        except InputFileError as exc:
            raise ModelOutputError(url, "a JSON body", exc.detail) from None

    def _batches(self, frame: pd.DataFrame) -> list[tuple[int, bytes]]:
        """(rows, body) requests, each within the server's limit; a single row over it is refused."""
        head = b'{"instances":['
        tail = ('],"protocol_version":"' + ENDPOINT_PROTOCOL_VERSION + '"}').encode()
        rows = [json.dumps(r, allow_nan=False, separators=(",", ":")).encode() for r in frame.to_dict("records")]
        batches: list[tuple[int, bytes]] = []
        current: list[bytes] = []
        size = len(head) + len(tail)
        for row in rows:
            if len(head) + len(tail) + len(row) > self._max_request:
                raise ModelEndpointError(
                    self._url + "/v1/predict", f"one case is {len(row)} bytes, over the endpoint's request limit of "
                    f"{self._max_request} bytes",
                )  # fmt: skip
            if current and size + len(row) + 1 > self._max_request:
                batches.append((len(current), head + b",".join(current) + tail))
                current, size = [], len(head) + len(tail)
            current.append(row)
            size += len(row) + (1 if len(current) > 1 else 0)
        if current:
            batches.append((len(current), head + b",".join(current) + tail))
        return batches

    def predict_frame(self, frame: pd.DataFrame) -> NDArray[np.float64]:
        parts: list[NDArray[np.float64]] = []
        for count, body in self._batches(frame):
            answer = self._request("POST", "/v1/predict", body)
            if not isinstance(answer, dict) or "predictions" not in answer:
                raise ModelOutputError(self._url + "/v1/predict", "an object with 'predictions'", excerpt(answer))
            parts.append(check_predictions(answer["predictions"], count, self._url, self._identity.output_range))
        return np.concatenate(parts) if parts else np.empty(0, dtype=np.float64)
