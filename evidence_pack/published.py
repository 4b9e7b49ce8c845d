"""What a court publishes so that anyone can verify its packs without it, and reading that back.

A verifier trusts nothing inside a pack: the pack names its sealer and carries a key, but whether
that key is the court's, whose it is and whether it was in force when the pack was timestamped
comes only from what the court publishes (``voirdire publish``), once, to the folder it hands out
with its packs::

    sealers.tsv              every sealing key the court certified: fingerprint, user, role, valid
                             from, valid until ("-" while in force), whether the court CA certified
                             it, its key file (one key per line, tab-separated, after two # lines)
    sealers/<fp>.pub.pem     those keys (named by fingerprint: no user text ever becomes a path)
    court-root.pem           the court CA's root, when the court has a CA
    tsa-root.pem             the timestamp authority's root
    docket.json              every pack the court sealed: case, hearing, version, digest
    verify-pack.sh           the verification script (standard tools only), and
    verify-pack.sh.sha256    its digest (``sha256sum -c``); a pack's own VERIFY.txt is only a copy
    verify-pack.schema-2.sh  the script of each earlier pack schema this toolkit still verifies, with its
                             digest (a pack of schema 2, sealed before ONNX models travelled, carries that one)

A malformed entry of the key list is named and set aside, never allowed to fail the verification
of a genuine pack signed by another, well-formed key.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from evidence_pack.instructions import VERIFY_SCRIPT_NAME, verify_script
from evidence_pack.profile import PACK_SCHEMA_VERSION, PACK_SCHEMA_VERSIONS
from evidence_pack.signing import key_fingerprint, load_public_key
from sentencing.canonical import canonical_json, sha256_bytes
from sentencing.errors import InputError, InputFileError, Rule
from sentencing.excerpts import excerpt, one_line
from sentencing.files import write_atomically
from sentencing.untrusted import parse_json, read_untrusted_file

__all__ = [
    "SEALERS_FILE",
    "SEALERS_HEADER",
    "Docket",
    "DocketEntry",
    "PublishedSealer",
    "TrustAnchors",
    "format_time",
    "write_published",
]

SEALERS_FILE = "sealers.tsv"
SEALERS_HEADER = (
    "# voirdire published sealing keys, version 1\n"
    "# fingerprint\tusername\trole\tvalid_from\tvalid_until\tcertified\tkey_file\n"
)
_FINGERPRINT = re.compile(r"[0-9a-f]{64}")
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_KEY_FILE = re.compile(r"sealers/[0-9a-f]{16,64}\.pub\.pem")
_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
_MAX_KEYS = 10_000
_MAX_PEM_BYTES = 64 << 10
_MAX_DOCKET_BYTES = 64 << 20


def format_time(moment: datetime) -> str:
    """UTC, to the second, as ``2026-12-01T21:30:39Z`` (what GNU ``date -d`` and this module both read)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _parse_time(text: str) -> datetime:
    if not _TIME.fullmatch(text):
        raise ValueError(f"time {excerpt(text)} is not YYYY-MM-DDTHH:MM:SSZ")
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


@dataclass(frozen=True)
class PublishedSealer:
    """One sealing key as the court published it: whose it is, and when it was in force."""

    fingerprint: str
    username: str
    role: str
    valid_from: datetime
    valid_until: datetime | None  # None: in force
    certified: bool
    public_pem: bytes

    def in_force_at(self, moment: datetime) -> bool:
        return self.valid_from <= moment and (self.valid_until is None or moment < self.valid_until)

    def period(self) -> str:
        until = format_time(self.valid_until) if self.valid_until else "now"
        return f"{format_time(self.valid_from)} to {until}"


def _sealer_line(line: str, folder: Path) -> PublishedSealer:
    fields = line.split("\t")
    if len(fields) != 7:
        raise ValueError(f"{len(fields)} fields, not 7")
    fingerprint, username, role, valid_from, valid_until, certified, key_file = fields
    if not _FINGERPRINT.fullmatch(fingerprint):
        raise ValueError(f"fingerprint {excerpt(fingerprint)} is not 64 hex digits")
    if not _NAME.fullmatch(username) or not _NAME.fullmatch(role):
        raise ValueError(f"user {excerpt(username)} or role {excerpt(role)} is not a name")
    if certified not in ("yes", "no"):
        raise ValueError(f"certified {excerpt(certified)} is not yes or no")
    if not _KEY_FILE.fullmatch(key_file):
        raise ValueError(f"key file {excerpt(key_file)} is not sealers/<hex>.pub.pem")
    start = _parse_time(valid_from)
    end = None if valid_until == "-" else _parse_time(valid_until)
    if end is not None and end < start:
        raise ValueError("valid until is before valid from")
    pem = read_untrusted_file(folder / key_file, limit=_MAX_PEM_BYTES)
    key = load_public_key(pem, key_file)
    if key_fingerprint(key) != fingerprint:
        raise ValueError(f"{key_file} holds another key than fingerprint {fingerprint[:16]}…")
    return PublishedSealer(fingerprint, username, role, start, end, certified == "yes", pem)


@dataclass(frozen=True)
class TrustAnchors:
    """What the verifier trusts, obtained from the court and never from the pack."""

    sealers: tuple[PublishedSealer, ...] = ()
    court_root: bytes | None = None  # PEM root certificate of the court's CA
    tsa_root: Path | None = None  # PEM root certificate of the timestamp authority
    set_aside: tuple[str, ...] = ()  # entries of the published key list that could not be read, and why

    def sealer(self, fingerprint: str) -> PublishedSealer | None:
        return next((s for s in self.sealers if s.fingerprint == fingerprint), None)

    @classmethod
    def read_sealers(cls, path: Path) -> tuple[tuple[PublishedSealer, ...], tuple[str, ...]]:
        """The published key list (``sealers.tsv``): its readable entries, and each unreadable one named."""
        data = read_untrusted_file(path, limit=_MAX_KEYS * 1024)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            raise InputFileError(one_line(str(path)), Rule.FILE_UNREADABLE, "not UTF-8 text") from None
        if not text.startswith(SEALERS_HEADER.splitlines()[0] + "\n"):
            raise InputFileError(one_line(str(path)), Rule.PACK_MALFORMED, "not a key list written by voirdire publish")
        sealers: list[PublishedSealer] = []
        set_aside: list[str] = []
        for number, line in enumerate(text.splitlines(), start=1):
            if not line or line.startswith("#"):
                continue
            try:
                sealers.append(_sealer_line(line, path.parent))
            except (ValueError, InputError) as exc:
                set_aside.append(f"{path.name} line {number}: {one_line(str(exc), 160)}")
        return tuple(sealers), tuple(set_aside)

    @classmethod
    def from_files(cls, sealers: Path | None, court_root: Path | None, tsa_root: Path | None) -> TrustAnchors:
        listed, set_aside = cls.read_sealers(sealers) if sealers is not None else ((), ())
        root = read_untrusted_file(court_root, limit=_MAX_PEM_BYTES) if court_root is not None else None
        if tsa_root is not None:
            read_untrusted_file(tsa_root, limit=_MAX_PEM_BYTES)  # openssl reads it later: say now if it cannot be read
        return cls(listed, root, tsa_root, set_aside)

    @classmethod
    def from_published(cls, folder: Path) -> TrustAnchors:
        """Everything ``voirdire publish`` wrote to ``folder``."""
        if not folder.is_dir():
            raise InputFileError(one_line(str(folder)), Rule.FILE_UNREADABLE, "not a folder voirdire publish wrote")
        court_root, tsa_root = folder / "court-root.pem", folder / "tsa-root.pem"
        return cls.from_files(folder / SEALERS_FILE, court_root if court_root.is_file() else None,
                              tsa_root if tsa_root.is_file() else None)  # fmt: skip


@dataclass(frozen=True)
class DocketEntry:
    case_id: str
    hearing_id: int
    version: int
    digest: str

    def to_dict(self) -> dict[str, Any]:
        return {"case_id": self.case_id, "digest": self.digest, "hearing_id": self.hearing_id, "version": self.version}


@dataclass(frozen=True)
class Docket:
    """The court's list of sealed packs: which version of each hearing's pack is current."""

    entries: tuple[DocketEntry, ...]

    @classmethod
    def load(cls, path: Path) -> Docket:
        body = parse_json(read_untrusted_file(path, limit=_MAX_DOCKET_BYTES), str(path))
        try:
            entries = []
            for item in body["packs"]:
                if not isinstance(item, dict):
                    raise TypeError("a docket entry is not an object")
                case_id, hearing, version, digest = item["case_id"], item["hearing_id"], item["version"], item["digest"]
                if not (
                    isinstance(case_id, str)
                    and _NAME.fullmatch(case_id)
                    and isinstance(hearing, int)
                    and isinstance(version, int)
                    and isinstance(digest, str)
                    and _FINGERPRINT.fullmatch(digest)
                ):
                    raise ValueError(f"entry {excerpt(item)}")  # fmt: skip
                entries.append(DocketEntry(case_id, hearing, version, digest))
        except (KeyError, TypeError, ValueError) as exc:
            raise InputFileError(one_line(str(path)), Rule.PACK_MALFORMED,
                                 f"not a voirdire docket ({one_line(str(exc), 120)})") from None  # fmt: skip
        return cls(tuple(entries))

    def to_bytes(self) -> bytes:
        """One pack per line (canonical JSON), so that the published script can read it with grep."""
        lines = [canonical_json(e.to_dict()).decode("utf-8") for e in self.entries]
        return ('{"packs":[\n' + ",\n".join(lines) + ("\n" if lines else "") + '],"schema_version":"1"}\n').encode()

    def to_dict(self) -> dict[str, Any]:
        return {"schema_version": "1", "packs": [e.to_dict() for e in self.entries]}


def write_published(
    folder: Path,
    sealers: list[PublishedSealer],
    docket: Docket,
    *,
    court_root_pem: bytes | None,
    tsa_root_pem: bytes | None,
) -> list[Path]:
    """Write the published folder (see the module's docstring); returns the files written."""
    written: list[Path] = []

    def put(relative: str, data: bytes) -> None:
        target = folder / relative
        if folder.resolve() not in target.resolve().parents:  # never a path outside the folder
            raise InputError("--out", Rule.NOT_ALLOWED_VALUE, f"{excerpt(relative)} would leave {folder}")
        write_atomically(target, data)
        written.append(target)

    lines = [SEALERS_HEADER]
    for sealer in sorted(sealers, key=lambda s: (s.username, s.valid_from, s.fingerprint)):
        if not (_NAME.fullmatch(sealer.username) and _NAME.fullmatch(sealer.role)):
            raise InputError(
                f'user {excerpt(sealer.username)}', Rule.NOT_ALLOWED_VALUE,
                'not a valid user name; it is not published',
            )  # fmt: skip
        key_file = f"sealers/{sealer.fingerprint[:32]}.pub.pem"
        put(key_file, sealer.public_pem)
        until = format_time(sealer.valid_until) if sealer.valid_until else "-"
        lines.append("\t".join([sealer.fingerprint, sealer.username, sealer.role, format_time(sealer.valid_from),
                                until, "yes" if sealer.certified else "no", key_file]) + "\n")  # fmt: skip
    put(SEALERS_FILE, "".join(lines).encode("utf-8"))
    if court_root_pem is not None:
        put("court-root.pem", court_root_pem)
    if tsa_root_pem is not None:
        put("tsa-root.pem", tsa_root_pem)
    put("docket.json", docket.to_bytes())
    for version in PACK_SCHEMA_VERSIONS:
        name = VERIFY_SCRIPT_NAME if version == PACK_SCHEMA_VERSION else f"verify-pack.schema-{version}.sh"
        script = verify_script(version).encode("utf-8")
        put(name, script)
        put(f"{name}.sha256", f"{sha256_bytes(script)}  {name}\n".encode())
    return written
