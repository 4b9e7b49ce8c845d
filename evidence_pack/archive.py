"""A pack as one archive file (POSIX tar) with its own digest, and the careful way back out of it.

Export writes ``<pack>.tar`` (entries sorted, owners and times fixed, so the same pack always gives
the same bytes) and ``<pack>.tar.sha256`` in ``sha256sum -c`` form. Import refuses, before
writing anything, an archive with absolute paths, ``..``, links, devices, a second top folder,
oversized members, or too many of them; it extracts only into a fresh temporary folder.
"""

from __future__ import annotations

import bz2
import contextlib
import gzip
import io
import lzma
import os
import shutil
import stat
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from evidence_pack.profile import MAX_FILE_BYTES
from sentencing.canonical import sha256_file
from sentencing.errors import InputFileError, Rule
from sentencing.excerpts import one_line
from sentencing.files import write_atomically

__all__ = ["MAX_ARCHIVE_BYTES", "MAX_MEMBERS", "copy_pack", "export_archive", "extract_archive", "opened_pack"]

MAX_ARCHIVE_BYTES = 8 << 30
MAX_MEMBERS = 10_000


def export_archive(pack: Path, archive: Path | None = None) -> tuple[Path, str]:
    """Write ``pack`` as one tar file beside it (or at ``archive``); returns the path and its sha256."""
    archive = archive or pack.with_name(pack.name + ".tar")
    if archive.exists():
        raise InputFileError(str(archive), Rule.NOT_ALLOWED_VALUE, "already exists; an archive is never overwritten")
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for path in [pack, *sorted(pack.rglob("*"))]:
            if path.is_symlink():
                raise InputFileError(str(path), Rule.ARCHIVE_UNSAFE, "a pack holds no links")
            info = tar.gettarinfo(str(path), arcname=(PurePosixPath(pack.name) / path.relative_to(pack)).as_posix())
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            info.mtime = 0
            info.mode = 0o755 if info.isdir() else 0o644
            if info.isdir():
                tar.addfile(info)
            else:
                with path.open("rb") as handle:
                    tar.addfile(info, handle)
    data = buffer.getvalue()
    write_atomically(archive, data)
    digest = sha256_file(str(archive))
    write_atomically(archive.with_name(archive.name + ".sha256"), f"{digest}  {archive.name}\n".encode())
    return archive, digest


def _unsafe(member: tarfile.TarInfo) -> str | None:
    name = member.name
    pieces = PurePosixPath(name).parts
    if name.startswith("/") or "\\" in name or "\x00" in name:
        return "an absolute or malformed path"
    if ".." in pieces:
        return "a path leaving the pack (..)"
    if member.issym() or member.islnk():
        return "a link"
    if not (member.isfile() or member.isdir()):
        return "a device, pipe or other special file"
    if member.size > MAX_FILE_BYTES:
        return f"{member.size} bytes, over the limit of {MAX_FILE_BYTES}"
    return None


_COMPRESSED = {b"\x1f\x8b": ("gzip", gzip.GzipFile), b"BZh": ("bzip2", bz2.BZ2File),
               b"\xfd7zXZ\x00": ("xz", lzma.LZMAFile)}  # fmt: skip


def _plain_tar(archive: Path, scratch: Path) -> Path:
    """The archive as a plain tar. A compressed one is decompressed to its very end first, so that a corrupt
    or truncated stream (its checksum, its end marker) is refused rather than read as a shorter pack."""
    where = one_line(str(archive))
    with archive.open("rb") as handle:
        magic = handle.read(6)
    for prefix, (kind, opener) in _COMPRESSED.items():
        if not magic.startswith(prefix):
            continue
        plain = scratch / "archive.tar"
        size = 0
        try:
            with opener(archive, "rb") as stream, plain.open("xb") as sink:
                while block := stream.read(1 << 20):
                    size += len(block)
                    if size > MAX_ARCHIVE_BYTES:
                        raise InputFileError(where, Rule.FILE_TOO_LARGE, f"unpacks to over {MAX_ARCHIVE_BYTES} bytes")
                    sink.write(block)
        except (OSError, EOFError, lzma.LZMAError, zlib.error) as exc:
            raise InputFileError(where, Rule.PACK_MALFORMED,
                                 f"a corrupt or truncated {kind} stream ({one_line(str(exc), 100)}); nothing extracted"
                                 ) from None  # fmt: skip
        return plain
    return archive


def _conflicts(members: list[tarfile.TarInfo]) -> str | None:
    """A path given twice, or both as a file and as a folder (or under a file), names the first such member."""
    kinds: dict[tuple[str, ...], bool] = {}  # path -> is a folder
    for member in members:
        parts = tuple(p for p in PurePosixPath(member.name).parts if p != ".")
        if parts in kinds:
            return f"member {one_line(member.name, 100)!r} appears twice"
        for length in range(1, len(parts)):
            if kinds.get(parts[:length]) is False:
                return f"member {one_line(member.name, 100)!r} lies under a file of the same archive"
        kinds[parts] = member.isdir()
    for parts, is_folder in kinds.items():
        if not is_folder and any(other[: len(parts)] == parts and len(other) > len(parts) for other in kinds):
            return f"{'/'.join(parts)!r} is both a file and a folder"
    return None


def extract_archive(archive: Path, into: Path) -> Path:
    """Check every member, then extract into ``into`` (an empty folder); returns the pack's folder."""
    where = one_line(str(archive))
    if not archive.is_file():
        raise InputFileError(where, Rule.NOT_REGULAR_FILE, "is not a regular file (a pack is a folder or a .tar)")
    if archive.stat().st_size > MAX_ARCHIVE_BYTES:
        raise InputFileError(where, Rule.FILE_TOO_LARGE, f"over the limit of {MAX_ARCHIVE_BYTES} bytes")
    scratch = Path(tempfile.mkdtemp(prefix="voirdire-archive-"))
    try:
        plain = _plain_tar(archive, scratch)
        with tarfile.open(plain, mode="r:") as tar:
            members = []
            for member in tar:
                members.append(member)
                if len(members) > MAX_MEMBERS:
                    raise InputFileError(where, Rule.ARCHIVE_UNSAFE, f"more than {MAX_MEMBERS} members")
            end = tar.offset
            with plain.open("rb") as handle:
                handle.seek(end)
                if handle.read(1024) != bytes(1024):  # tar ends with two zero blocks; without them it was cut short
                    raise InputFileError(where, Rule.PACK_MALFORMED, "the archive is truncated (no end-of-archive "
                                         "marker after its last member); nothing extracted")  # fmt: skip
            if not members:
                raise InputFileError(where, Rule.PACK_MALFORMED, "an empty archive")
            tops = {PurePosixPath(m.name).parts[0] for m in members if PurePosixPath(m.name).parts}
            for member in members:
                reason = _unsafe(member)
                if reason:
                    raise InputFileError(
                        where,
                        Rule.ARCHIVE_UNSAFE,
                        f"member {one_line(member.name, 100)!r}: {reason}; nothing extracted",
                    )
            conflict = _conflicts(members)
            if conflict:
                raise InputFileError(where, Rule.ARCHIVE_UNSAFE, f"{conflict}; nothing extracted")
            if len(tops) != 1:
                raise InputFileError(where, Rule.PACK_MALFORMED, f"holds {len(tops)} top folders, not one pack")
            total = sum(m.size for m in members)
            if total > MAX_ARCHIVE_BYTES:
                raise InputFileError(where, Rule.FILE_TOO_LARGE, f"unpacks to {total} bytes, over the limit")
            for member in members:
                target = into.joinpath(*PurePosixPath(member.name).parts)
                if member.isdir():
                    target.mkdir(parents=True, exist_ok=True)
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                source = tar.extractfile(member)
                if source is None:
                    raise InputFileError(
                        where, Rule.PACK_MALFORMED, f"member {one_line(member.name, 100)!r} cannot be read"
                    )
                with source, target.open("xb") as sink:
                    shutil.copyfileobj(source, sink)
    except (tarfile.TarError, EOFError, zlib.error, lzma.LZMAError) as exc:
        raise InputFileError(
            where, Rule.PACK_MALFORMED, f"not a complete tar archive ({one_line(str(exc), 100)})"
        ) from None
    except (FileExistsError, NotADirectoryError, IsADirectoryError) as exc:
        raise InputFileError(where, Rule.ARCHIVE_UNSAFE, f"member {one_line(str(exc.filename), 100)!r} clashes with "
                             "another") from None  # fmt: skip
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    (top,) = tops
    if top == ".":
        raise InputFileError(where, Rule.PACK_MALFORMED, "the archive's top folder has no name")
    return into / top


def copy_pack(source: Path, into: Path) -> Path:
    """A private copy of the pack folder ``source`` inside ``into`` (a fresh folder only we can write).

    Replay loads a model from the pack, so it must read the very bytes it verified: a pack on a shared
    drive can be changed between the check and the load. The copy holds only regular files and folders
    (a link, pipe or device refuses it: no genuine pack holds one) within the archive's limits.
    """
    where = str(source)
    target = into / (source.name or "pack")
    count = total = 0
    for directory, folders, files in os.walk(source, followlinks=False):
        relative = Path(directory).relative_to(source)
        (target / relative).mkdir(parents=True, exist_ok=True)
        for name in sorted(folders + files):
            path = Path(directory) / name
            status = path.lstat()
            count += 1
            if count > MAX_MEMBERS:
                raise InputFileError(where, Rule.ARCHIVE_UNSAFE, f"more than {MAX_MEMBERS} files and folders")
            if stat.S_ISDIR(status.st_mode):
                continue
            if not stat.S_ISREG(status.st_mode):
                raise InputFileError(where, Rule.ARCHIVE_UNSAFE,
                                     f"{one_line(str(relative / name))}: not a regular file or folder")  # fmt: skip
            total += status.st_size
            if status.st_size > MAX_FILE_BYTES or total > MAX_ARCHIVE_BYTES:
                raise InputFileError(where, Rule.FILE_TOO_LARGE, f"{one_line(str(relative / name))}: over the limit")
            descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
            with os.fdopen(descriptor, "rb") as handle, (target / relative / name).open("xb") as sink:
                if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                    raise InputFileError(where, Rule.ARCHIVE_UNSAFE, f"{one_line(name)}: changed while copied")
                shutil.copyfileobj(handle, sink)
    return target


@contextlib.contextmanager
def opened_pack(path: Path, *, private: bool = False) -> Iterator[Path]:
    """A pack's folder: ``path`` itself (or, with ``private``, a copy of it only this process can write), or an
    archive extracted into a temporary folder; temporary folders are removed afterwards."""
    if not path.exists():
        raise InputFileError(one_line(str(path)), Rule.FILE_UNREADABLE, "no such file or folder")
    if path.is_dir() and not private:
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="voirdire-pack-") as temporary:
        if path.is_dir():
            yield copy_pack(path, Path(temporary))
        else:
            yield extract_archive(path, Path(temporary))
