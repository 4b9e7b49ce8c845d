"""A pack as one archive file (POSIX tar) with its own digest, and the careful way back out of it.

Export writes ``<pack>.tar`` (entries sorted, owners and times fixed, so the same pack always gives
the same bytes) and ``<pack>.tar.sha256`` in ``sha256sum -c`` form. Import refuses, before
writing anything, an archive with absolute paths, ``..``, links, devices, a second top folder,
oversized members, or too many of them; it extracts only into a fresh temporary folder.
"""

from __future__ import annotations

import contextlib
import io
import shutil
import tarfile
import tempfile
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from evidence_pack.profile import MAX_FILE_BYTES
from sentencing.canonical import sha256_file
from sentencing.errors import InputFileError, Rule
from sentencing.files import write_atomically

__all__ = ["MAX_ARCHIVE_BYTES", "MAX_MEMBERS", "export_archive", "extract_archive", "opened_pack"]

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


def extract_archive(archive: Path, into: Path) -> Path:
    """Check every member, then extract into ``into`` (an empty folder); returns the pack's folder."""
    where = str(archive)
    if archive.stat().st_size > MAX_ARCHIVE_BYTES:
        raise InputFileError(where, Rule.FILE_TOO_LARGE, f"over the limit of {MAX_ARCHIVE_BYTES} bytes")
    try:
        with tarfile.open(archive, mode="r:*") as tar:
            members = []
            for member in tar:
                members.append(member)
                if len(members) > MAX_MEMBERS:
                    raise InputFileError(where, Rule.ARCHIVE_UNSAFE, f"more than {MAX_MEMBERS} members")
            tops = {PurePosixPath(m.name).parts[0] for m in members if PurePosixPath(m.name).parts}
            for member in members:
                reason = _unsafe(member)
                if reason:
                    raise InputFileError(
                        where, Rule.ARCHIVE_UNSAFE, f"member {member.name!r}: {reason}; nothing extracted"
                    )
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
                    raise InputFileError(where, Rule.PACK_MALFORMED, f"member {member.name!r} cannot be read")
                with source, target.open("xb") as sink:
                    shutil.copyfileobj(source, sink)
    except (tarfile.TarError, EOFError) as exc:
        raise InputFileError(where, Rule.PACK_MALFORMED, f"not a complete tar archive ({exc})") from None
    except FileExistsError as exc:
        raise InputFileError(where, Rule.ARCHIVE_UNSAFE, f"member {exc.filename!r} appears twice") from None
    (top,) = tops
    return into / top


@contextlib.contextmanager
def opened_pack(path: Path) -> Iterator[Path]:
    """A pack's folder: ``path`` itself, or an archive extracted into a temporary folder removed afterwards."""
    if not path.exists():
        raise InputFileError(str(path), Rule.FILE_UNREADABLE, "no such file or folder")
    if path.is_dir():
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="voirdire-pack-") as temporary:
        yield extract_archive(path, Path(temporary))
