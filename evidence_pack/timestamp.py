"""RFC 3161 timestamps: asking a timestamp authority, and checking a token. The one adapter over ``openssl ts``.

Two authorities: a court's own TSA over RFC 3161 HTTP (:class:`HttpTimestampAuthority`), or the
toolkit's local, offline TSA for demos and tests (:class:`LocalTimestampAuthority`: ``openssl ts
-reply`` with its own root and a TSA certificate whose extended key usage is ``timeStamping``,
critical). Checking is ``openssl ts -verify``, the same command ``VERIFY.txt`` gives the court.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import subprocess
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Protocol

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from sentencing.errors import ConfigurationError
from sentencing.files import write_atomically
from sentencing.paths import data_home

__all__ = [
    "HttpTimestampAuthority",
    "LocalTimestampAuthority",
    "TimestampAuthority",
    "TimestampCheck",
    "check_timestamp",
    "configured_authority",
    "make_timestamp_server",
    "openssl",
    "timestamp_query",
]

_POLICY = "1.3.6.1.4.1.4146.2.3"
_TIMEOUT = 30


def openssl() -> str:
    found = shutil.which("openssl")
    if found is None:
        raise ConfigurationError("openssl", "the openssl command is not installed (scripts/setup installs it)")
    return found


def _run(arguments: list[str], stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([openssl(), *arguments], input=stdin, capture_output=True, timeout=_TIMEOUT, check=False)


class TimestampAuthority(Protocol):
    @property
    def name(self) -> str: ...

    def stamp(self, query: bytes) -> bytes:
        """The DER timestamp response to a DER timestamp query."""
        ...


def timestamp_query(data_file: Path) -> bytes:
    """A DER RFC 3161 query over the sha256 of ``data_file`` (with a nonce; the TSA's certificate asked for)."""
    done = _run(["ts", "-query", "-data", str(data_file), "-sha256", "-cert"])
    if done.returncode != 0:
        raise ConfigurationError("openssl ts -query", done.stderr.decode(errors="replace").strip())
    return done.stdout


class LocalTimestampAuthority:
    """An offline TSA in a folder: ``tsa-root.pem`` (publish this), ``tsa.cert.pem``, ``tsa.key.pem``, ``tsa.cnf``."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        if not (folder / "tsa.cnf").is_file():
            raise ConfigurationError(str(folder), "not a local timestamp authority (no tsa.cnf); create one first")

    @property
    def name(self) -> str:
        return f"local TSA {self.folder}"

    @property
    def root_pem(self) -> Path:
        return self.folder / "tsa-root.pem"

    @classmethod
    def open_or_create(cls, folder: Path, name: str = "voirdire local TSA (demo)") -> LocalTimestampAuthority:
        if not (folder / "tsa.cnf").is_file():
            cls.create(folder, name)
        return cls(folder)

    @classmethod
    def create(cls, folder: Path, name: str) -> LocalTimestampAuthority:
        folder.mkdir(parents=True, exist_ok=True)
        now = datetime.now(UTC)
        root_key = ec.generate_private_key(ec.SECP256R1())
        root_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, f"{name} root")])
        root = (
            x509.CertificateBuilder().subject_name(root_name).issuer_name(root_name)
            .public_key(root_key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(minutes=5)).not_valid_after(now + timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(root_key.public_key()), critical=False)
            .sign(root_key, hashes.SHA256())
        )  # fmt: skip
        tsa_key = ec.generate_private_key(ec.SECP256R1())
        tsa = (
            x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)]))
            .issuer_name(root_name).public_key(tsa_key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(minutes=5)).not_valid_after(now + timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(root_key.public_key()), critical=False)
            .sign(root_key, hashes.SHA256())
        )  # fmt: skip
        pem = serialization.Encoding.PEM
        write_atomically(folder / "tsa-root.pem", root.public_bytes(pem))
        write_atomically(folder / "tsa.cert.pem", tsa.public_bytes(pem))
        write_atomically(
            folder / "tsa.key.pem",
            tsa_key.private_bytes(pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()),
            mode=0o600,
        )
        # The root's key is not kept: the local TSA never issues another certificate.
        write_atomically(folder / "serial", b"01\n")
        config = f"""# voirdire's local, offline timestamp authority (openssl ts); for demos and tests.
[ tsa ]
default_tsa = tsa_config

[ tsa_config ]
dir = {folder}
serial = $dir/serial
crypto_device = builtin
signer_cert = $dir/tsa.cert.pem
signer_key = $dir/tsa.key.pem
signer_digest = sha256
default_policy = {_POLICY}
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = yes
tsa_name = yes
ess_cert_id_chain = no
ess_cert_id_alg = sha256
"""
        write_atomically(folder / "tsa.cnf", config.encode("utf-8"))
        return cls(folder)

    def stamp(self, query: bytes) -> bytes:
        with tempfile.TemporaryDirectory(prefix="voirdire-tsa-") as work:
            query_file = Path(work) / "query.tsq"
            query_file.write_bytes(query)
            with (self.folder / ".lock").open("w") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)  # the serial file is read and rewritten by each reply
                done = _run(["ts", "-reply", "-config", str(self.folder / "tsa.cnf"), "-queryfile", str(query_file)])
            if done.returncode != 0:
                raise ConfigurationError(self.name, done.stderr.decode(errors="replace").strip())
            return done.stdout


class HttpTimestampAuthority:
    """A court's TSA over RFC 3161 HTTP: POST ``application/timestamp-query``, answer ``timestamp-reply``."""

    def __init__(self, url: str) -> None:
        self.url = url

    @property
    def name(self) -> str:
        return f"TSA {self.url}"

    def stamp(self, query: bytes) -> bytes:
        request = urllib.request.Request(
            self.url, data=query, headers={"Content-Type": "application/timestamp-query"}, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=_TIMEOUT) as response:
                kind = response.headers.get("Content-Type", "")
                body: bytes = response.read()
        except (urllib.error.URLError, OSError) as exc:
            raise ConfigurationError(self.name, f"the timestamp authority did not answer ({exc})") from exc
        if "timestamp-reply" not in kind:
            raise ConfigurationError(self.name, f"answered {kind or 'no content type'}, not a timestamp reply")
        return body


def configured_authority() -> TimestampAuthority:
    """``$VOIRDIRE_TSA_URL`` (the court's RFC 3161 TSA), else the local offline TSA in ``<data home>/tsa``."""
    url = os.environ.get("VOIRDIRE_TSA_URL")
    if url:
        if not url.startswith(("http://", "https://")):
            raise ConfigurationError("VOIRDIRE_TSA_URL", f"{url!r} is not an http(s) URL")
        return HttpTimestampAuthority(url)
    return LocalTimestampAuthority.open_or_create(data_home() / "tsa")


@dataclass(frozen=True)
class TimestampCheck:
    ok: bool
    time: str | None
    detail: str


_PLAIN = {
    "message imprint mismatch": "the timestamp is over other bytes than seal/statement.sig (the signature changed)",
    "unable to get local issuer certificate": "the timestamp was not issued by an authority under the given TSA root",
    "certificate verify error": "the timestamp authority's certificate does not chain to the given TSA root",
    "signature failure": "the timestamp token's own signature does not hold (the token was changed)",
}
_TIME = re.compile(rb"^Time stamp: (.+)$", re.MULTILINE)
_STATUS = re.compile(rb"^Status: (.+)$", re.MULTILINE)


def _reply_text(response_file: Path) -> bytes | None:
    done = _run(["ts", "-reply", "-in", str(response_file), "-text"])
    return done.stdout if done.returncode == 0 else None


def check_timestamp(data_file: Path, response_file: Path, root_file: Path) -> TimestampCheck:
    """Does the token vouch for ``data_file``'s bytes, signed by a TSA under ``root_file``? (``openssl ts -verify``)."""
    text = _reply_text(response_file)
    if text is None:
        return TimestampCheck(False, None, f"{response_file.name} is not a readable RFC 3161 timestamp response")
    status = _STATUS.search(text)
    if status is None or status.group(1).strip() != b"Granted.":
        found = status.group(1).decode(errors="replace") if status else "none"
        return TimestampCheck(False, None, f"the timestamp authority's status is {found!r}, not 'Granted.'")
    when = _TIME.search(text)
    time = when.group(1).decode(errors="replace").strip() if when else None
    done = _run(["ts", "-verify", "-data", str(data_file), "-in", str(response_file), "-CAfile", str(root_file)])
    if done.returncode != 0:
        reason = done.stderr.decode(errors="replace")
        for marker, plain in _PLAIN.items():
            if marker in reason:
                return TimestampCheck(False, time, f"openssl ts -verify: {plain}")
        last = reason.strip().splitlines()[-1] if reason.strip() else "refused"
        return TimestampCheck(False, time, f"openssl ts -verify refused the token: {last}")
    return TimestampCheck(True, time, f"timestamped {time} by an authority under the given root")


class _Handler(BaseHTTPRequestHandler):
    authority: LocalTimestampAuthority

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", "0"))
        if self.headers.get("Content-Type") != "application/timestamp-query" or not 0 < length <= 65536:
            self.send_error(400, "expected an application/timestamp-query body")
            return
        try:
            reply = self.authority.stamp(self.rfile.read(length))
        except ConfigurationError as exc:
            self.send_error(500, str(exc))
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/timestamp-reply")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, format: str, *args: object) -> None:
        return


def make_timestamp_server(authority: LocalTimestampAuthority, host: str, port: int) -> ThreadingHTTPServer:
    """An RFC 3161 HTTP front for the local TSA (``voirdire serve-tsa``): what a court's TSA looks like."""
    handler = type("TimestampHandler", (_Handler,), {"authority": authority})
    return ThreadingHTTPServer((host, port), handler)
