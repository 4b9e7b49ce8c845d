"""What a valid pack of each schema version may contain, and the check that it contains nothing else.

The profile is fixed in code (a copy sits in ``seal/profile.json`` for readers, and its digest is
in the signed statement); the verifier never takes a pack's word for what is allowed. A pack is
read by the profile of its own schema version, among those this toolkit verifies
(:data:`PACK_SCHEMA_VERSIONS`): its ``seal/profile.json`` must be that profile byte for byte and its
``VERIFY.txt`` that version's script, so a pack sealed before a new version stays verifiable.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sentencing.canonical import canonical_json

__all__ = [
    "BAG_FILES",
    "MAX_FILE_BYTES",
    "MAX_PARSED_BYTES",
    "MODEL_ARTIFACTS",
    "MODEL_FORMATS",
    "PACK_SCHEMA_VERSION",
    "PACK_SCHEMA_VERSIONS",
    "PAYLOAD_FILES",
    "PAYLOAD_OPTIONAL",
    "PROFILE",
    "ROOT_ENTRIES",
    "SEAL_FILES",
    "SEAL_OPTIONAL",
    "ProfileCheck",
    "check_profile",
    "model_artifacts",
    "pack_schema_version",
    "profile",
    "profile_json",
    "verify_script_bytes",
]

# 2: VERIFY.txt is the court's published script (the same for every pack), no empty folders, and
# sealers are checked against a published key list with validity periods. A version-1 pack is refused.
# 3: an ONNX model may travel (model.onnx), and the statement says which form the travelling model is in.
PACK_SCHEMA_VERSION = "3"
#: every schema version this toolkit verifies (it seals the last)
PACK_SCHEMA_VERSIONS = ("2", "3")
ROOT_ENTRIES = ("VERIFY.txt", "bag", "seal")
SEAL_FILES = ("profile.json", "sealer.pub.pem", "statement.json", "statement.sig", "statement.tsr",
              "statement.tsr.sig", "tagmanifest-sha256.txt.sig")  # fmt: skip
SEAL_OPTIONAL = ("sealer.cert.pem",)
BAG_FILES = ("bag-info.txt", "bagit.txt", "manifest-sha256.txt", "manifest-sha512.txt", "tagmanifest-sha256.txt",
             "tagmanifest-sha512.txt")  # fmt: skip
PAYLOAD_FILES = (
    "data/case/case.json",
    "data/environment/environment.json",
    "data/environment/packages.txt",
    "data/hearing/hearing.json",
    "data/hearing/log.jsonl",
    "data/hearing/results.jsonl",
    "data/hearing/ruling.json",
    "data/provenance/provenance.json",
    "data/replay/replay.json",
    "data/report/report.en.pdf",
    "data/report/report.json",
    "data/report/report.zh-CN.pdf",
)
# Present only when the hearing escalated to the deep report (the last deep report in the record).
PAYLOAD_OPTIONAL = ("data/report/deep/report.json", "data/report/deep/report.en.pdf",
                    "data/report/deep/report.zh-CN.pdf")  # fmt: skip
MODEL_PREFIX = "data/model/"
# The files whose sha256 is a travelling model's identity: a fitted estimator (with its card and
# training data), a risk tool's surrogate points table (with the recorded scores it was fitted to), or an ONNX graph
# (with its card and training data). What each is, as the statement and the verification script say it.
MODEL_FORMATS = {
    "model.joblib": "a joblib pickle: it runs code when it is loaded, so replay loads it only from a verified pack",
    "surrogate.json": "a points table in JSON: loading it runs no code",
    "model.onnx": "an ONNX graph of standard operators run by onnxruntime: loading it runs no code, unpickles nothing",
}
MODEL_ARTIFACTS = tuple(MODEL_FORMATS)
_ARTIFACTS_BEFORE_3 = ("model.joblib", "surrogate.json")
MAX_FILE_BYTES = 2 << 30  # no file in a pack is larger (a model artifact is the largest)
MAX_PARSED_BYTES = 256 << 20  # no file the verifier parses (JSON, manifests, the log) is larger


def model_artifacts(version: str = PACK_SCHEMA_VERSION) -> tuple[str, ...]:
    """The model files a pack of ``version`` may carry as its model's identity."""
    return _ARTIFACTS_BEFORE_3 if version == "2" else MODEL_ARTIFACTS


def profile(version: str = PACK_SCHEMA_VERSION) -> dict[str, Any]:
    forms = ["model.joblib with its card", "surrogate.json with its recorded data"]
    forms += [] if version == "2" else ["model.onnx with its card"]
    return {
        "schema_version": version,
        "root": list(ROOT_ENTRIES),
        "seal": {"required": list(SEAL_FILES), "optional": list(SEAL_OPTIONAL)},
        "bag": {"tag_files": list(BAG_FILES), "fetch_txt": "forbidden", "payload": list(PAYLOAD_FILES),
                "payload_optional": list(PAYLOAD_OPTIONAL),
                "model_folder": MODEL_PREFIX,
                "model_forms": [*forms, "ESCROW.json"]},
        "limits": {"max_file_bytes": MAX_FILE_BYTES, "max_parsed_bytes": MAX_PARSED_BYTES},
        "links": "forbidden",
        "empty_folders": "forbidden",
        "verify_txt": "a copy of the court's published verification script, byte for byte",
    }  # fmt: skip


PROFILE: dict[str, Any] = profile()


def profile_json(version: str = PACK_SCHEMA_VERSION) -> bytes:
    return canonical_json(profile(version)) + b"\n"


def verify_script_bytes(version: str = PACK_SCHEMA_VERSION) -> bytes:
    from evidence_pack.instructions import verify_script  # it reads this module's lists

    return verify_script(version).encode("utf-8")


def pack_schema_version(pack: Path) -> str | None:
    """The schema version whose profile the pack's ``seal/profile.json`` is, byte for byte (None: none of them)."""
    written = pack / "seal" / "profile.json"
    if not written.is_file() or written.is_symlink() or written.stat().st_size > MAX_PARSED_BYTES:
        return None
    data = written.read_bytes()
    return next((v for v in PACK_SCHEMA_VERSIONS if data == profile_json(v)), None)


def _listing(folder: Path) -> set[str]:
    return {entry.name for entry in folder.iterdir()} if folder.is_dir() else set()


def _manifest_path_problems(manifest: Path) -> list[str]:
    problems: list[str] = []
    if not manifest.is_file() or manifest.stat().st_size > MAX_PARSED_BYTES:
        return problems
    for number, raw in enumerate(manifest.read_bytes().splitlines(), start=1):
        parts = raw.split(maxsplit=1)
        if len(parts) != 2:
            continue
        name = parts[1].decode("utf-8", errors="replace").strip()
        pieces = name.replace("\\", "/").split("/")
        if name.startswith(("/", "~")) or ".." in pieces or (len(name) > 1 and name[1] == ":"):
            problems.append(f"bag/{manifest.name} line {number}: path {name!r} leaves the bag (path traversal)")
    return problems


@dataclass(frozen=True)
class ProfileCheck:
    """What a pack holds that a version-1 pack may not; ``unsafe``: links, special or oversized files, or
    manifest paths leaving the bag, so that nothing in the pack may be read by the other checks."""

    problems: tuple[str, ...]
    unsafe: bool
    version: str | None = None  # the schema version whose profile ``seal/profile.json`` is (None: none of them)


def check_profile(pack: Path) -> ProfileCheck:
    """Everything in ``pack`` a pack of its schema version may not hold: unlisted files, links, fetch.txt, escaping
    paths, sizes; a ``seal/profile.json`` or ``VERIFY.txt`` that is not that version's."""
    found = pack_schema_version(pack)
    version = found or PACK_SCHEMA_VERSION
    unsafe: list[str] = []
    problems: list[str] = []
    for dirpath, dirnames, filenames in os.walk(pack, followlinks=False):
        dirnames.sort()
        for name in sorted(dirnames + filenames):
            path = Path(dirpath) / name
            relative = path.relative_to(pack).as_posix()
            status = path.lstat()
            if not (name.isascii() and name.isprintable()) or "\\" in name:
                shown = relative.encode("unicode_escape").decode("ascii")
                unsafe.append(f"{shown}: a name that is not printable ASCII (a pack's names all are)")
            elif stat.S_ISLNK(status.st_mode):
                unsafe.append(f"{relative}: a link (packs hold no links)")
            elif not (stat.S_ISDIR(status.st_mode) or stat.S_ISREG(status.st_mode)):
                unsafe.append(f"{relative}: not a regular file")
            elif stat.S_ISREG(status.st_mode) and status.st_size > MAX_FILE_BYTES:
                unsafe.append(f"{relative}: {status.st_size} bytes, over the limit of {MAX_FILE_BYTES} (too large)")
            elif stat.S_ISDIR(status.st_mode) and not any(path.iterdir()):
                problems.append(f"{relative}: an empty folder (not part of a pack)")
            elif stat.S_ISREG(status.st_mode) and relative.startswith("bag/data/"):
                payload = relative.removeprefix("bag/")
                if payload not in PAYLOAD_FILES + PAYLOAD_OPTIONAL and not payload.startswith(MODEL_PREFIX):
                    problems.append(f"{relative}: not part of a pack (unlisted payload file)")
    extra_root = _listing(pack) - set(ROOT_ENTRIES)
    problems += [f"{name}: not part of a pack (unlisted file at the top)" for name in sorted(extra_root)]
    missing_root = set(ROOT_ENTRIES) - _listing(pack)
    problems += [f"{name}: missing" for name in sorted(missing_root)]
    seal = _listing(pack / "seal")
    problems += [f"seal/{name}: not part of a pack (unlisted file in seal/)"
                 for name in sorted(seal - set(SEAL_FILES) - set(SEAL_OPTIONAL))]  # fmt: skip
    problems += [f"seal/{name}: missing" for name in sorted(set(SEAL_FILES) - seal) if (pack / "seal").is_dir()]
    bag = pack / "bag"
    if bag.is_dir():
        listing = _listing(bag)
        if "fetch.txt" in listing:
            problems.append("bag/fetch.txt: a holey bag (files to fetch from elsewhere) is not accepted as evidence")
        problems += [f"bag/{name}: not part of a pack (unlisted file in the bag)"
                     for name in sorted(listing - set(BAG_FILES) - {"data", "fetch.txt"})]  # fmt: skip
        problems += [f"bag/{name}: missing" for name in sorted(set(BAG_FILES) - listing)]
        for name in BAG_FILES:
            if name.startswith(("manifest", "tagmanifest")):
                unsafe += _manifest_path_problems(bag / name)
        if (bag / "data").is_dir():
            problems += [f"bag/{name}: missing" for name in PAYLOAD_FILES if not (bag / name).is_file()]
            model = bag / MODEL_PREFIX
            if not any((model / name).is_file() for name in (*model_artifacts(version), "ESCROW.json")):
                problems.append("bag/data/model: neither the model artifact nor its escrow record")
        else:
            problems.append("bag/data: missing")
    verify_txt = pack / "VERIFY.txt"
    if (
        verify_txt.is_file()
        and not verify_txt.is_symlink()
        and (verify_txt.stat().st_size > MAX_PARSED_BYTES or verify_txt.read_bytes() != verify_script_bytes(version))
    ):
        problems.append("VERIFY.txt: not the court's published verification script (it was replaced or edited)")
    if (pack / "seal" / "profile.json").is_file() and found is None:
        problems.append("seal/profile.json: not the profile of a pack schema this toolkit verifies "
                        f"({', '.join(PACK_SCHEMA_VERSIONS)})")  # fmt: skip
    return ProfileCheck(tuple(unsafe + problems), bool(unsafe), found)
