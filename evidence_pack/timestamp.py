"""RFC 3161 timestamps: asking a timestamp authority, and checking a token. The one adapter over ``openssl ts``.

Two authorities: a court's own TSA over RFC 3161 HTTP (:class:`HttpTimestampAuthority`), or the
toolkit's local, offline TSA for demos and tests (:class:`LocalTimestampAuthority`: ``openssl ts
-reply`` with its own root and a TSA certificate whose extended key usage is ``timeStamping``,
critical). Checking is ``openssl ts -verify``, the same command ``VERIFY.txt`` gives the court.
"""

from __future__ import annotations

import fcntl
import re
import shutil
import subprocess
import tempfile
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
from sentencing.excerpts import one_line
from sentencing.files import write_atomically
from sentencing.http_transport import HttpTransportError, check_url, http_request

__all__ = [
    "HttpTimestampAuthority",
    "LocalTimestampAuthority",
    "TimestampAuthority",
    "TimestampCheck",
    "check_timestamp",
    "configured_authority",
    "make_timestamp_server",
    "openssl",
    "parse_openssl_time",
    "timestamp_query",
]

_POLICY = "1.3.6.1.4.1.4146.2.3"
_TIMEOUT = 30
_MAX_REPLY_BYTES = 1 << 20


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

    @property
    def root_pem(self) -> Path:
        """The authority's root certificate: every reply is checked against it before it is sealed."""
        ...

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
    """A court's TSA over RFC 3161 HTTP: POST ``application/timestamp-query``, answer ``timestamp-reply``.

    ``root``: the TSA's root certificate, which every reply is checked against before it is sealed.
    """

    def __init__(self, url: str, root: Path) -> None:
        try:
            check_url(url)
        except HttpTransportError as exc:
            raise ConfigurationError("VOIRDIRE_TSA_URL", exc.detail) from None
        self.url = url
        self._root = root

    @property
    def name(self) -> str:
        return f"TSA {one_line(self.url, 120)}"

    @property
    def root_pem(self) -> Path:
        return self._root

    def stamp(self, query: bytes) -> bytes:
        try:
            answer = http_request(self.url, "POST", query, content_type="application/timestamp-query",
                                  accept="application/timestamp-reply", max_response_bytes=_MAX_REPLY_BYTES,
                                  deadline_seconds=_TIMEOUT)  # fmt: skip
        except HttpTransportError as exc:
            raise ConfigurationError(self.name, f"the timestamp authority did not answer ({exc.detail})") from None
        if answer.status != 200:
            raise ConfigurationError(self.name, f"the timestamp authority answered HTTP {answer.status}")
        if "timestamp-reply" not in answer.content_type:
            kind = one_line(answer.content_type, 80) or "no content type"
            raise ConfigurationError(self.name, f"answered {kind}, not a timestamp reply")
        return answer.body


def configured_authority(tsa_url: str | None, tsa_root: Path | None, local_folder: Path) -> TimestampAuthority:
    """The court's RFC 3161 TSA at ``tsa_url`` (whose root is ``tsa_root``), else the local offline TSA in
    ``local_folder`` (the settings' ``tsa_url``, ``tsa_root`` and ``local_tsa_dir``)."""
    if tsa_url:
        if tsa_root is None or not tsa_root.is_file():
            raise ConfigurationError(
                "VOIRDIRE_TSA_ROOT", "name the court TSA's root certificate (PEM): every timestamp is checked "
                "against it before a pack is sealed",
            )  # fmt: skip
        return HttpTimestampAuthority(tsa_url, tsa_root)
    return LocalTimestampAuthority.open_or_create(local_folder)


@dataclass(frozen=True)
class TimestampCheck:
    ok: bool
    time: str | None
    detail: str
    when: datetime | None = None  # the authority's time (genTime), in UTC


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_GEN_TIME = re.compile(r"^([A-Z][a-z]{2}) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2})(?:\.\d+)? (\d{4}) GMT$")


def parse_openssl_time(text: str) -> datetime | None:
    """``Dec  1 21:21:16 2026 GMT`` (what ``openssl ts -reply -text`` prints) as a UTC datetime, or None."""
    match = _GEN_TIME.match(text.strip())
    if match is None or match.group(1) not in _MONTHS:
        return None
    month, day, hour, minute, second, year = match.groups()
    try:
        return datetime(int(year), _MONTHS.index(month) + 1, int(day), int(hour), int(minute), int(second), tzinfo=UTC)
    except ValueError:
        return None


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


def check_timestamp(data_file: Path, response_file: Path, root_file: Path, *, query_file: Path | None = None
                    ) -> TimestampCheck:  # fmt: skip
    """Does the token vouch for ``data_file``'s bytes, signed by a TSA under ``root_file``? (``openssl ts -verify``).

    With ``query_file`` (at sealing: the query just sent) the reply must also answer that very query (its nonce).
    """
    text = _reply_text(response_file)
    if text is None:
        return TimestampCheck(False, None, f"{response_file.name} is not a readable RFC 3161 timestamp response")
    status = _STATUS.search(text)
    if status is None or status.group(1).strip() != b"Granted.":
        found = one_line(status.group(1).decode(errors="replace"), 80) if status else "none"
        return TimestampCheck(False, None, f"the timestamp authority's status is {found!r}, not 'Granted.'")
    found_time = _TIME.search(text)
    time = one_line(found_time.group(1).decode(errors="replace").strip(), 60) if found_time else None
    when = parse_openssl_time(time) if time else None
    source = ["-queryfile", str(query_file)] if query_file is not None else ["-data", str(data_file)]
    done = _run(["ts", "-verify", *source, "-in", str(response_file), "-CAfile", str(root_file)])
    if done.returncode != 0:
        reason = done.stderr.decode(errors="replace")
        for marker, plain in _PLAIN.items():
            if marker in reason:
                return TimestampCheck(False, time, f"openssl ts -verify: {plain}", when)
        last = one_line(reason.strip().splitlines()[-1], 200) if reason.strip() else "refused"
        return TimestampCheck(False, time, f"openssl ts -verify refused the token: {last}", when)
    if when is None:
        return TimestampCheck(False, time, f"the token's time {time!r} cannot be read", None)
    return TimestampCheck(True, time, f"timestamped {time} by an authority under the given root", when)


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
