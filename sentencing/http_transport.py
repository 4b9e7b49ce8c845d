"""One bounded HTTP request: the only way the toolkit talks to a peer (a vendor's model, a court's TSA).

A peer may be slow, hostile or broken, so every request is bounded three ways and fails in one
clear sentence, never a traceback:

- **time**: one deadline for the whole exchange (connecting, sending, every header and body
  byte). A socket timeout alone does not bound it: a peer that sends one byte every few seconds
  never trips a per-read timeout, so a watchdog closes the socket when the deadline passes;
- **size**: the answer's body is read to at most ``max_response_bytes`` (a declared
  ``Content-Length`` over it is refused before reading);
- **origin**: a redirect is followed only within the same scheme, host and port (at most three
  times). The answer must come from the server the court registered, not from wherever that
  server points.
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import ssl
import threading
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from sentencing.excerpts import excerpt, one_line

__all__ = ["HttpAnswer", "HttpTransportError", "check_url", "http_request"]

_MAX_REDIRECTS = 3
_READ_BLOCK = 1 << 16


class HttpTransportError(Exception):
    """The exchange did not complete; ``detail`` says why in one line (the caller names the peer)."""

    def __init__(self, url: str, detail: str) -> None:
        self.url = url
        self.detail = detail
        super().__init__(f"{url}: {detail}")


@dataclass(frozen=True)
class HttpAnswer:
    url: str
    status: int
    content_type: str
    body: bytes


def check_url(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, path-and-query) of an http(s) URL, or :class:`HttpTransportError` saying what is wrong."""
    shown = one_line(url, 120)
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise HttpTransportError(shown, f"not a valid URL ({exc})") from None
    if parts.scheme not in ("http", "https"):
        raise HttpTransportError(shown, "not an http(s) URL")
    if not parts.hostname:
        raise HttpTransportError(shown, "the URL names no host")
    if any(not c.isprintable() or c.isspace() for c in url):
        raise HttpTransportError(shown, "the URL holds spaces or control characters")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return parts.scheme, parts.hostname, port or (443 if parts.scheme == "https" else 80), path


def _origin(url: str) -> tuple[str, str, int]:
    scheme, host, port, _ = check_url(url)
    return scheme, host.lower(), port


def http_request(
    url: str,
    method: str,
    body: bytes | None = None,
    *,
    content_type: str = "application/json",
    accept: str = "application/json",
    max_response_bytes: int,
    deadline_seconds: float,
) -> HttpAnswer:
    """Send one request (following same-origin redirects) and return the answer, whatever its status."""
    started = time.monotonic()
    origin = _origin(url)
    current = url
    for _ in range(_MAX_REDIRECTS + 1):
        remaining = deadline_seconds - (time.monotonic() - started)
        if remaining <= 0:
            raise HttpTransportError(one_line(url, 120), f"no complete answer within {deadline_seconds:g} s")
        answer, location = _exchange(current, method, body, content_type, accept, max_response_bytes, remaining,
                                     deadline_seconds)  # fmt: skip
        if location is None:
            return answer
        target = urljoin(current, location)
        try:
            same = _origin(target) == origin
        except HttpTransportError:
            same = False
        if not same:
            raise HttpTransportError(
                one_line(url, 120), f"redirected (HTTP {answer.status}) to another origin, {excerpt(target, 80)}: "
                "refused, the answer must come from the server named",
            )  # fmt: skip
        current = target
    raise HttpTransportError(one_line(url, 120), f"more than {_MAX_REDIRECTS} redirects")


def _exchange(
    url: str,
    method: str,
    body: bytes | None,
    content_type: str,
    accept: str,
    limit: int,
    remaining: float,
    deadline: float,
) -> tuple[HttpAnswer, str | None]:
    scheme, host, port, path = check_url(url)
    shown = one_line(url, 120)
    connection: http.client.HTTPConnection
    per_read = max(0.05, min(remaining, 15.0))
    if scheme == "https":
        connection = http.client.HTTPSConnection(host, port, timeout=per_read, context=ssl.create_default_context())
    else:
        connection = http.client.HTTPConnection(host, port, timeout=per_read)
    expired = threading.Event()

    def expire() -> None:  # the watchdog: whatever the peer is doing, the exchange ends at the deadline
        expired.set()
        sock = connection.sock
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    watchdog = threading.Timer(remaining, expire)
    watchdog.daemon = True
    watchdog.start()
    response: http.client.HTTPResponse | None = None
    try:
        headers = {"Accept": accept, "Connection": "close", "User-Agent": "voirdire"}
        if body is not None:
            headers["Content-Type"] = content_type
        try:
            connection.request(method, path, body=body, headers=headers)
        except (BrokenPipeError, ConnectionResetError):
            # The peer closed while we were sending (often: over its size limit). It may have said why first.
            try:
                response = connection.getresponse()
            except (OSError, http.client.HTTPException):
                raise HttpTransportError(
                    shown, f"the server closed the connection while a {len(body or b'')}-byte request was being "
                    "sent (it may be over the server's size limit)",
                ) from None  # fmt: skip
        else:
            response = connection.getresponse()
        declared = response.getheader("Content-Length")
        if declared is not None and declared.strip().isdigit() and int(declared) > limit:
            raise HttpTransportError(shown, f"the answer declares {int(declared)} bytes, over the limit of {limit}")
        chunks: list[bytes] = []
        size = 0
        while block := response.read(_READ_BLOCK):
            chunks.append(block)
            size += len(block)
            if size > limit:
                raise HttpTransportError(shown, f"the answer is over the limit of {limit} bytes; not read further")
        if expired.is_set():  # the watchdog cut the answer short: what was read is not the answer
            raise HttpTransportError(shown, f"no complete answer within {deadline:g} s")
        answer = HttpAnswer(url, response.status, response.getheader("Content-Type") or "", b"".join(chunks))
        location = response.getheader("Location") if 300 <= response.status < 400 else None
        return answer, location
    except HttpTransportError:
        raise
    except (OSError, http.client.HTTPException, ValueError) as exc:
        if expired.is_set():
            raise HttpTransportError(shown, f"no complete answer within {deadline:g} s") from None
        reason = getattr(exc, "reason", None) or getattr(exc, "strerror", None) or exc
        kind = type(exc).__name__
        detail = f"cannot reach the server or read its answer ({kind}: {excerpt(str(reason), 120)})"
        raise HttpTransportError(shown, detail) from None
    finally:
        watchdog.cancel()
        # An answer refused half-read still holds the socket: with "Connection: close" the connection has handed it
        # to the response, so closing the connection alone would leave it open until the garbage collector ran.
        if response is not None:
            response.close()
        connection.close()
