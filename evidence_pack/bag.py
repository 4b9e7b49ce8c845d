"""BagIt 1.0 (RFC 8493): making the bag and checking it. The one adapter over the ``bagit`` library.

Both sha256 and sha512 payload manifests and tag manifests are written. Checking always
re-computes every digest (never ``--fast``, which passes a same-size edit); the library's
findings are turned into plain sentences that name the file.

The bag is written here, not by ``bagit.make_bag``: that function changes the process's working
directory while it works (``os.chdir`` into the bag and back), which is process-wide. Two seals at
once in one server (two Streamlit sessions are two threads) then write each other's manifests and
can leave the process in a deleted folder. This writer uses absolute paths only and writes what
RFC 8493 asks (``bagit.txt`` 1.0, payload manifests, ``bag-info.txt`` with Payload-Oxum, tag
manifests); ``bagit`` still does every check, so a bag it could not read would fail the tests.
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path

import bagit

__all__ = ["BAG_CHECKSUMS", "bag_info", "make_bag", "validate_bag"]

BAG_CHECKSUMS = ("sha256", "sha512")
logging.getLogger("bagit").setLevel(logging.ERROR)  # its findings are reported by us, in full sentences


BAGIT_TXT = b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
_BLOCK = 1 << 20


def _manifest_path(relative: str) -> str:
    """A path as RFC 8493 section 2.1.3 writes it in a manifest: '/' separators; %, CR and LF percent-encoded."""
    return relative.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _digests(path: Path, algorithms: tuple[str, ...] = BAG_CHECKSUMS) -> dict[str, str]:
    """The file's hex digest under each algorithm, read once."""
    hashers = {algorithm: hashlib.new(algorithm) for algorithm in algorithms}
    with path.open("rb") as handle:
        while block := handle.read(_BLOCK):
            for hasher in hashers.values():
                hasher.update(block)
    return {algorithm: hasher.hexdigest() for algorithm, hasher in hashers.items()}


def _files_under(root: Path) -> Iterator[Path]:
    """Every regular file under ``root``, in a fixed (sorted) order; symlinks and other kinds are refused."""
    for entry in sorted(root.iterdir(), key=lambda p: p.name):
        if entry.is_symlink() or not (entry.is_dir() or entry.is_file()):
            raise ValueError(f"{entry}: not a regular file or folder; a bag holds only those")
        if entry.is_dir():
            yield from _files_under(entry)
        else:
            yield entry


def _write_manifests(folder: Path, files: list[Path], prefix: str) -> list[Path]:
    """``<prefix>-<algorithm>.txt`` for each algorithm, listing ``files``; returns the manifests written."""
    lines: dict[str, list[str]] = {algorithm: [] for algorithm in BAG_CHECKSUMS}
    for path in files:
        name = _manifest_path(path.relative_to(folder).as_posix())
        for algorithm, digest in _digests(path).items():
            lines[algorithm].append(f"{digest} {name}\n")
    written = [folder / f"{prefix}-{algorithm}.txt" for algorithm in BAG_CHECKSUMS]
    for algorithm, manifest in zip(BAG_CHECKSUMS, written, strict=True):
        manifest.write_text("".join(lines[algorithm]), encoding="utf-8")
    return written


def _tag_line(label: str, value: str) -> str:
    if not label or any(c in label for c in ":\r\n") or label != label.strip():
        raise ValueError(f"bag-info.txt: label {label!r} is not a BagIt label (no colon, no line break, no padding)")
    if "\r" in value or "\n" in value:
        raise ValueError(f"bag-info.txt: {label}: a value is one line (it holds a line break)")
    return f"{label}: {value}\n"


def make_bag(folder: Path, info: Mapping[str, str]) -> None:
    """Turn ``folder`` into a bag in place: contents move under ``data/``; manifests and tag manifests written.

    Never changes the working directory and never reads a relative path, so bags may be made in several
    threads at once. ``Payload-Oxum`` is computed here; ``info`` gives every other bag-info.txt label.
    """
    folder = folder.resolve()
    if "Payload-Oxum" in info:
        raise ValueError("bag-info.txt: Payload-Oxum is computed from the payload, never given")
    entries = sorted(folder.iterdir(), key=lambda p: p.name)
    staging = Path(tempfile.mkdtemp(prefix=".payload-", dir=folder))
    for entry in entries:
        entry.rename(staging / entry.name)
    data = folder / "data"
    staging.rename(data)
    data.chmod(0o755)  # mkdtemp makes it 0700; the payload folder reads like any other
    payload = list(_files_under(data))
    manifests = _write_manifests(folder, payload, "manifest")
    (folder / "bagit.txt").write_bytes(BAGIT_TXT)
    oxum = f"{sum(p.stat().st_size for p in payload)}.{len(payload)}"
    labels = {**info, "Payload-Oxum": oxum}
    text = "".join(_tag_line(label, labels[label]) for label in sorted(labels))
    (folder / "bag-info.txt").write_text(text, encoding="utf-8")
    # Everything else moved under data/: the tag files are exactly the ones written just now.
    _write_manifests(folder, [folder / "bag-info.txt", folder / "bagit.txt", *manifests], "tagmanifest")


def bag_info(folder: Path) -> dict[str, str]:
    """bag-info.txt as a mapping (first value of a repeated label)."""
    try:
        info = bagit.Bag(str(folder)).info
    except bagit.BagError as exc:
        raise ValueError(f"bag/bag-info.txt cannot be read: {exc}") from None
    return {key: (value[0] if isinstance(value, list) else str(value)) for key, value in info.items()}


def _describe(detail: object) -> str:
    if isinstance(detail, bagit.ChecksumMismatch):
        return f"{detail.path}: its {detail.algorithm} digest differs from the manifest (the file was changed)"
    if isinstance(detail, bagit.FileMissing):
        return f"{detail.path}: listed in the manifest but missing (a file was deleted)"
    if isinstance(detail, bagit.UnexpectedFile):
        return f"{detail.path}: present but not in the manifest (a file was added)"
    return str(detail)


def _changed_files(folder: Path, bag: bagit.Bag) -> list[str]:
    """When bagit stops at the first summary failure (Payload-Oxum), name the files whose digests differ."""
    changed: list[str] = []
    for relative, digests in sorted(bag.entries.items()):
        path = folder / relative
        if not path.is_file() or path.is_symlink():
            changed.append(f"{relative}: listed in the manifest but missing (a file was deleted)")
            continue
        computed = _digests(path, tuple(digests))
        for algorithm, recorded in digests.items():
            if computed[algorithm] != recorded.lower():
                changed.append(f"{relative}: its {algorithm} digest differs from the manifest (the file was changed)")
                break
    return changed


def validate_bag(folder: Path) -> list[str]:
    """Every problem ``bagit.py --validate`` would find, each as one sentence (empty: the bag is valid)."""
    try:
        bag = bagit.Bag(str(folder))
    except bagit.BagError as exc:
        return [f"the bag cannot be opened: {exc}"]
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        return [f"the bag cannot be read: {exc}"]
    try:
        bag.validate(processes=1, fast=False)
    except bagit.BagValidationError as exc:
        if exc.details:
            return [_describe(detail) for detail in exc.details]
        return [f"the bag is invalid: {exc.message}", *_changed_files(folder, bag)]
    except bagit.BagError as exc:
        return [f"the bag is invalid: {exc}"]
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        return [f"the bag cannot be read: {exc}"]
    return []
