"""BagIt 1.0 (RFC 8493): making the bag and checking it. The one adapter over the ``bagit`` library.

Both sha256 and sha512 payload manifests and tag manifests are written. Checking always
re-computes every digest (never ``--fast``, which passes a same-size edit); the library's
findings are turned into plain sentences that name the file.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping
from pathlib import Path

import bagit

__all__ = ["BAG_CHECKSUMS", "bag_info", "make_bag", "validate_bag"]

BAG_CHECKSUMS = ("sha256", "sha512")
logging.getLogger("bagit").setLevel(logging.ERROR)  # its findings are reported by us, in full sentences


def make_bag(folder: Path, info: Mapping[str, str]) -> None:
    """Turn ``folder`` into a bag in place: contents move under ``data/``; manifests and tag manifests written."""
    bagit.make_bag(str(folder), bag_info=dict(info), processes=1, checksums=list(BAG_CHECKSUMS))


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
        for algorithm, recorded in digests.items():
            computed = hashlib.new(algorithm)
            with path.open("rb") as handle:
                while block := handle.read(1 << 20):
                    computed.update(block)
            if computed.hexdigest() != recorded.lower():
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
