"""Ed25519 sealing keys, the DSSE envelope of the signed statement, and the court's certificates.

The one adapter over ``cryptography``. Private keys leave this module only encrypted with the
holder's passphrase: the PKCS#8 key sealed with AES-256-GCM under a key derived by scrypt
(N=2^15, r=8, p=1, a fresh salt per key; PKCS#8's own PEM encryption would use PBKDF2 with only
2,048 iterations). A pack holds only the public key (and the certificate the court's CA issued
for it, when there is one).

DSSE (https://github.com/secure-systems-lab/dsse): the signature is over
``PAE = "DSSEv1" SP len(type) SP type SP len(body) SP body``, which a shell can rebuild with
``printf`` and ``wc -c`` and check with ``openssl pkeyutl -verify -rawin``.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from sentencing.canonical import canonical_json
from sentencing.errors import AuthenticationError, InputError, Rule
from sentencing.excerpts import one_line

__all__ = [
    "DSSE_PAYLOAD_TYPE",
    "CourtAuthority",
    "SealingKey",
    "certificate_problems",
    "certificate_subject",
    "create_court_authority",
    "detached_signature_fingerprint",
    "encrypt_private_key",
    "envelope_parts",
    "generate_sealing_key",
    "issue_sealer_certificate",
    "key_fingerprint",
    "load_public_key",
    "open_secret",
    "pae",
    "seal_secret",
    "sign_detached",
    "sign_envelope",
    "signature_holds",
    "unlock_private_key",
]

DSSE_PAYLOAD_TYPE = "application/vnd.in-toto+json"


@dataclass(frozen=True)
class SealingKey:
    """A court user's sealing key as stored: the public half in clear (PEM), the private half encrypted."""

    public_pem: bytes
    encrypted_private_key: bytes
    fingerprint: str


@dataclass(frozen=True)
class CourtAuthority:
    """The court's certificate authority: its root certificate (public) and its key (encrypted)."""

    certificate_pem: bytes
    encrypted_private_key: bytes


def _passphrase(passphrase: str) -> bytes:
    if len(passphrase) < 8:
        raise InputError("passphrase", Rule.OUT_OF_RANGE, "needs at least 8 characters")
    return passphrase.encode("utf-8")


def key_fingerprint(public_key: Ed25519PublicKey) -> str:
    """sha256 of the raw 32-byte public key, hex: what a court publishes so others can pin the key."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return hashlib.sha256(raw).hexdigest()


def _public_pem(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)


_KEY_FORMAT = b"voirdire-encrypted-key-v1"
_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**15, 8, 1


def _derive(passphrase: bytes, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(passphrase, salt=salt, n=n, r=r, p=p, dklen=32, maxmem=256 << 20)


def encrypt_private_key(private: Ed25519PrivateKey, passphrase: str) -> bytes:
    """``voirdire-encrypted-key-v1$scrypt$N$r$p$salt$nonce$ciphertext``: PKCS#8 DER under AES-256-GCM."""
    secret = _passphrase(passphrase)
    der = private.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())  # fmt: skip
    salt, nonce = os.urandom(16), os.urandom(12)
    sealed = AESGCM(_derive(secret, salt, _SCRYPT_N, _SCRYPT_R, _SCRYPT_P)).encrypt(nonce, der, _KEY_FORMAT)
    fields = [b"scrypt", str(_SCRYPT_N).encode(), str(_SCRYPT_R).encode(), str(_SCRYPT_P).encode(),
              *(base64.b64encode(part) for part in (salt, nonce, sealed))]  # fmt: skip
    return b"$".join([_KEY_FORMAT, *fields])


def seal_secret(key: bytes, plaintext: bytes, context: bytes) -> bytes:
    """``nonce || AES-256-GCM(plaintext)`` bound to ``context`` (a ciphertext moved to another context fails)."""
    if len(key) != 32:
        raise ValueError("a field key is 32 bytes")
    nonce = os.urandom(12)
    return nonce + AESGCM(key).encrypt(nonce, plaintext, context)


def open_secret(key: bytes, sealed: bytes, context: bytes) -> bytes:
    """The plaintext of :func:`seal_secret`'s output; :class:`AuthenticationError` if the key or context differ."""
    try:
        return AESGCM(key).decrypt(sealed[:12], sealed[12:], context)
    except (InvalidTag, ValueError):
        raise AuthenticationError("the key does not open this sealed field (another key, or a moved field)") from None


def generate_sealing_key(passphrase: str) -> SealingKey:
    private = Ed25519PrivateKey.generate()
    encrypted = encrypt_private_key(private, passphrase)
    return SealingKey(_public_pem(private.public_key()), encrypted, key_fingerprint(private.public_key()))


def unlock_private_key(encrypted: bytes, passphrase: str) -> Ed25519PrivateKey:
    try:
        form, kdf, n, r, p, salt, nonce, sealed = encrypted.strip().split(b"$")
        if form != _KEY_FORMAT or kdf != b"scrypt":
            raise ValueError(form)
        key = _derive(passphrase.encode("utf-8"), base64.b64decode(salt), int(n), int(r), int(p))
        der = AESGCM(key).decrypt(base64.b64decode(nonce), base64.b64decode(sealed), _KEY_FORMAT)
    except InvalidTag:
        raise AuthenticationError("the passphrase does not unlock this sealing key") from None
    except ValueError:
        raise AuthenticationError("the stored key is not in voirdire's encrypted-key format") from None
    private = serialization.load_der_private_key(der, password=None)
    if not isinstance(private, Ed25519PrivateKey):
        raise AuthenticationError("the stored sealing key is not an Ed25519 key")
    return private


def load_public_key(pem: bytes, source: str) -> Ed25519PublicKey:
    """An Ed25519 public key from PEM, or an :class:`InputError` naming ``source``."""
    try:
        key = serialization.load_pem_public_key(pem)
    except (ValueError, TypeError) as exc:
        raise InputError(f"{source}", Rule.PACK_MALFORMED, f"not a PEM public key ({exc})") from None
    if not isinstance(key, Ed25519PublicKey):
        raise InputError(f"{source}", Rule.PACK_MALFORMED, "not an Ed25519 public key")
    return key


def pae(payload_type: str, payload: bytes) -> bytes:
    """DSSE's pre-authentication encoding: what is actually signed."""
    kind = payload_type.encode("utf-8")
    return b"DSSEv1 %d %s %d %s" % (len(kind), kind, len(payload), payload)


def sign_envelope(statement: dict[str, Any], key: Ed25519PrivateKey) -> tuple[bytes, bytes]:
    """(envelope JSON bytes, raw signature): the statement as canonical JSON, signed under DSSE."""
    payload = canonical_json(statement)
    signature = key.sign(pae(DSSE_PAYLOAD_TYPE, payload))
    envelope = {
        "payload": base64.b64encode(payload).decode("ascii"),
        "payloadType": DSSE_PAYLOAD_TYPE,
        "signatures": [{"keyid": key_fingerprint(key.public_key()), "sig": base64.b64encode(signature).decode()}],
    }
    return canonical_json(envelope) + b"\n", signature


def signature_holds(public_key: Ed25519PublicKey, signature: bytes, data: bytes) -> bool:
    try:
        public_key.verify(signature, data)
    except InvalidSignature:
        return False
    return True


def sign_detached(key: Ed25519PrivateKey, data: bytes) -> str:
    """An Ed25519 signature of ``data`` in base64 (a technician's answer: ``explain_tiers.adversarial``)."""
    return base64.b64encode(key.sign(data)).decode("ascii")


def detached_signature_fingerprint(public_pem: str, signature_b64: str, data: bytes) -> str:
    """The fingerprint of ``public_pem`` when ``signature_b64`` is its Ed25519 signature of ``data``; a
    ``ValueError`` saying what failed otherwise (the ``SignatureCheck`` of ``explain_tiers.adversarial``)."""
    try:
        public_key = load_public_key(public_pem.encode("ascii"), "public_key")
    except (InputError, UnicodeEncodeError):
        raise ValueError("the public key is not an Ed25519 public key in PEM") from None
    try:
        signature = base64.b64decode(signature_b64, validate=True)
    except ValueError:
        raise ValueError("the signature is not base64") from None
    if not signature_holds(public_key, signature, data):
        raise ValueError("the signature does not hold")
    return key_fingerprint(public_key)


def _name(common_name: str, unit: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, unit),
        ]
    )


def create_court_authority(court_name: str, passphrase: str, *, years: int = 10) -> CourtAuthority:
    """A self-signed Ed25519 root for the court, whose key signs sealers' certificates."""
    key = Ed25519PrivateKey.generate()
    now = datetime.now(UTC)
    name = _name(court_name, "court certificate authority")
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, None)
    )
    encrypted = encrypt_private_key(key, passphrase)
    return CourtAuthority(certificate.public_bytes(serialization.Encoding.PEM), encrypted)


def issue_sealer_certificate(
    authority: CourtAuthority, passphrase: str, public_pem: bytes, username: str, role: str, *, years: int = 3
) -> bytes:
    """The court's certificate for one user's sealing key: subject CN = user, OU = role."""
    ca_key = unlock_private_key(authority.encrypted_private_key, passphrase)
    ca_certificate = x509.load_pem_x509_certificate(authority.certificate_pem)
    subject_key = load_public_key(public_pem, f"sealing key of {username}")
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(_name(username, role))
        .issuer_name(ca_certificate.subject)
        .public_key(subject_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=365 * years))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(True, True, False, False, False, False, False, False, False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CODE_SIGNING]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, None)
    )
    return certificate.public_bytes(serialization.Encoding.PEM)


def certificate_problems(
    certificate_pem: bytes,
    root_pem: bytes,
    public_key: Ed25519PublicKey,
    *,
    at: datetime | None = None,
    subject: str | None = None,
) -> list[str]:
    """Why ``certificate_pem`` does not tie ``public_key`` (of user ``subject``) to the court whose root is
    ``root_pem`` at time ``at`` (default: now); empty: it does."""
    try:
        certificate = x509.load_pem_x509_certificate(certificate_pem)
        root = x509.load_pem_x509_certificate(root_pem)
    except ValueError as exc:
        return [f"a certificate cannot be read ({one_line(str(exc), 120)})"]
    problems: list[str] = []
    root_key = root.public_key()
    if not isinstance(root_key, Ed25519PublicKey):
        return ["the court's root certificate does not hold an Ed25519 key"]
    if certificate.issuer != root.subject:
        problems.append(f"the sealer's certificate was issued by {one_line(certificate.issuer.rfc4514_string(), 120)}, "
                        "not the court")  # fmt: skip
    elif not signature_holds(root_key, certificate.signature, certificate.tbs_certificate_bytes):
        problems.append("the sealer's certificate is not signed by the court's root")
    moment = at or datetime.now(UTC)
    if not certificate.not_valid_before_utc <= moment <= certificate.not_valid_after_utc:
        problems.append("the sealer's certificate was outside its validity period at the time of sealing")
    if certificate.public_key() != public_key:
        problems.append("the sealer's certificate is for a different key than the one that signed")
    if subject is not None:
        names = [a.value for a in certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)]
        if names != [subject]:
            problems.append(f"the certificate is {one_line(str(names), 80)}'s, not {subject}'s")
    return problems


def certificate_subject(certificate_pem: bytes) -> dict[str, str]:
    certificate = x509.load_pem_x509_certificate(certificate_pem)
    return {attribute.oid._name: str(attribute.value) for attribute in certificate.subject}


def envelope_parts(envelope_bytes: bytes, source: str) -> tuple[bytes, str, str, bytes]:
    """(payload, payloadType, keyid, signature) of a DSSE envelope, or an InputError naming ``source``."""
    try:
        envelope = json.loads(envelope_bytes)
        payload = base64.b64decode(envelope["payload"], validate=True)
        payload_type = str(envelope["payloadType"])
        (signature_entry,) = envelope["signatures"]
        keyid = str(signature_entry["keyid"])
        signature = base64.b64decode(signature_entry["sig"], validate=True)
    except (ValueError, KeyError, TypeError) as exc:
        raise InputError(f"{source}", Rule.PACK_MALFORMED, f"not a DSSE envelope with one signature ({exc})") from None
    return payload, payload_type, keyid, signature
