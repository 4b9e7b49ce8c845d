"""Log-in and secrets at rest: salted scrypt password hashes, session tokens that expire (only their sha256 is
stored), valid user names, and the field key that encrypts a case's sensitive fields in the store.

The field key lives outside the store (a file only its owner can read: ``$VOIRDIRE_STORE_KEY_FILE``, else
``<data home>/keys/store.key``), so that a copy of the database alone (a backup, a PostgreSQL dump, a
stolen SQLite file) does not reveal a minor's identity. On a court's PostgreSQL server the key file stays on
the application server's disk, never in the database; losing it loses the sensitive fields.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import re
import secrets
from pathlib import Path

from evidence_pack.signing import open_secret, seal_secret
from sentencing.errors import ConfigurationError

__all__ = [
    "USERNAME_RULE",
    "decrypt_field",
    "encrypt_field",
    "hash_password",
    "is_valid_username",
    "new_session_token",
    "store_field_key",
    "token_digest",
    "verify_password",
]

# scrypt cost: about 50 ms on this machine's kind; a court sets more in production by re-hashing on log-in.
_N, _R, _P = 2**14, 8, 1
_USERNAME = re.compile(r"[A-Za-z][A-Za-z0-9._-]{0,63}")
USERNAME_RULE = "1-64 letters, digits, '.', '_' or '-', starting with a letter"
_FIELD_FORMAT = "v1"


def is_valid_username(name: object) -> bool:
    """A user name becomes file names (published keys) and record text: it must be a plain word."""
    return isinstance(name, str) and _USERNAME.fullmatch(name) is not None


def hash_password(password: str) -> str:
    if len(password) < 8:
        raise ValueError("a password needs at least 8 characters")
    if len(password) > 1024:
        raise ValueError("a password has at most 1,024 characters")
    salt = secrets.token_bytes(16)
    key = hashlib.scrypt(password.encode("utf-8", "surrogatepass"), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return f"scrypt${_N}${_R}${_P}${base64.b64encode(salt).decode()}${base64.b64encode(key).decode()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, key = stored.split("$")
        if scheme != "scrypt" or len(password) > 1024:
            return False
        candidate = hashlib.scrypt(password.encode("utf-8", "surrogatepass"), salt=base64.b64decode(salt),
                                   n=int(n), r=int(r), p=int(p), dklen=32)  # fmt: skip
        return hmac.compare_digest(candidate, base64.b64decode(key))
    except (ValueError, binascii.Error):
        return False


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def store_field_key(location: Path) -> bytes:
    """The store's field key (32 bytes) at ``location`` (``Settings.store_key_path``), created on first use with mode
    0600 in a folder of mode 0700."""
    if not location.exists():
        location.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            descriptor = os.open(location, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process created it first: read theirs
        else:
            with os.fdopen(descriptor, "wb") as handle:
                handle.write(base64.b64encode(secrets.token_bytes(32)) + b"\n")
                handle.flush()
                os.fsync(handle.fileno())
    try:
        key = base64.b64decode(location.read_bytes().strip(), validate=True)
    except (OSError, binascii.Error) as exc:
        raise ConfigurationError(str(location), f"the store's field key cannot be read ({exc})") from None
    if len(key) != 32:
        raise ConfigurationError(str(location), "the store's field key is not 32 bytes (base64)")
    if location.stat().st_mode & 0o077:
        raise ConfigurationError(str(location), "the store's field key is readable by others: chmod 600 it")
    return key


def encrypt_field(key: bytes, plaintext: str, context: str) -> str:
    """``v1$<base64>``: ``plaintext`` under AES-256-GCM, bound to ``context`` (the table, column and row)."""
    sealed = seal_secret(key, plaintext.encode("utf-8"), context.encode("utf-8"))
    return f"{_FIELD_FORMAT}${base64.b64encode(sealed).decode('ascii')}"


def decrypt_field(key: bytes, stored: str, context: str) -> str:
    form, _, body = stored.partition("$")
    if form != _FIELD_FORMAT:
        raise ConfigurationError(context, "the stored field is not in the encrypted form")
    return open_secret(key, base64.b64decode(body), context.encode("utf-8")).decode("utf-8")
