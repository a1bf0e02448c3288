"""Writing outputs all-or-nothing: a staging folder beside the target, then renames.

A build that fails before :func:`write_outputs` writes nothing; one that fails inside it
removes its staging folder, puts back any output it had already replaced, and leaves every
previous output as it was. Each file is written and flushed to disk in the staging folder,
then moved into place with ``os.replace``, which is atomic on one filesystem: a reader (or a
second build of the same paper running at the same time) never sees a torn file, only a
complete output of one build or the other.

A build killed outright (SIGKILL, power loss) cannot remove its staging folder. Its name,
``.paperkit-<host>-<pid>-<random>``, lets the next build of the same folder recognise it as
stale (same host, process gone) and remove it; folders from other hosts are removed once
they are a day old.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path, PurePosixPath

from .errors import WriterError
from .model import Pos

__all__ = ["write_outputs", "remove_stale_staging", "STAGING_PREFIX"]

#: Staging folders start with this; nothing else paperkit writes does.
STAGING_PREFIX = ".paperkit-"

# A staging folder from another host whose process cannot be checked is stale after this.
_FOREIGN_STALE_SECONDS = 24 * 3600


def _host() -> str:
    uname = getattr(os, "uname", None)
    if uname is not None:    # what socket.gethostname() returns, without importing socket
        name = uname().nodename
    else:
        import socket

        name = socket.gethostname()
    return "".join(ch if ch.isalnum() else "_" for ch in name)[:40] or "host"


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:      # someone else's process: alive
        return True
    except OSError:
        return False
    return True


def remove_stale_staging(out_dir: Path) -> list[Path]:
    """Remove staging folders in `out_dir` left by builds that died; return those removed.

    A folder is stale when its process (named in it) no longer runs on this host, or, for a
    folder from another host, when it is older than a day. Live builds' folders are kept.
    """
    removed: list[Path] = []
    try:
        candidates = [p for p in out_dir.iterdir() if p.name.startswith(STAGING_PREFIX)]
    except OSError:
        return removed
    host, me = _host(), os.getpid()
    for folder in candidates:
        parts = folder.name[len(STAGING_PREFIX):].rsplit("-", 2)
        stale = False
        if len(parts) == 3 and parts[1].isdigit():
            folder_host, pid = parts[0], int(parts[1])
            if folder_host == host:
                stale = pid != me and not _alive(pid)
            else:
                stale = _age(folder) > _FOREIGN_STALE_SECONDS
        else:                    # an older naming scheme or a stray folder
            stale = _age(folder) > _FOREIGN_STALE_SECONDS
        if stale:
            shutil.rmtree(folder, ignore_errors=True)
            if not folder.exists():
                removed.append(folder)
    return removed


def _age(path: Path) -> float:
    try:
        return time.time() - path.lstat().st_mtime
    except OSError:
        return 0.0


def _check_name(name: str) -> None:
    """Refuse an output name that is absolute or climbs out of the output folder."""
    pure = PurePosixPath(name)
    if not name or pure.is_absolute() or ".." in pure.parts or "\\" in name or \
            "\x00" in name or pure.parts[0].startswith(STAGING_PREFIX):
        raise ValueError(f"a writer produced the output name {name!r}, which is not a plain "
                         "relative path")


def write_outputs(out_dir: Path, outputs: dict[str, bytes]) -> list[Path]:
    """Write `outputs` (relative path -> bytes) under `out_dir`; return the paths written.

    Raises :class:`WriterError` (with nothing changed) when the folder cannot be written.
    """
    for name in outputs:
        _check_name(name)
    out_dir = Path(out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        remove_stale_staging(out_dir)
        staging = Path(tempfile.mkdtemp(
            prefix=f"{STAGING_PREFIX}{_host()}-{os.getpid()}-", dir=out_dir))
    except OSError as exc:
        raise _unwritable(out_dir, exc) from None
    written: list[Path] = []
    backups: list[tuple[Path, Path | None]] = []   # (target, its previous version or None)
    try:
        try:
            for name, data in sorted(outputs.items()):
                temp = staging / "new" / name
                temp.parent.mkdir(parents=True, exist_ok=True)
                with open(temp, "wb") as handle:
                    handle.write(data)
                    handle.flush()
                    os.fsync(handle.fileno())
            for index, name in enumerate(sorted(outputs)):
                target = out_dir / name
                target.parent.mkdir(parents=True, exist_ok=True)
                backup = _keep_previous(target, staging / "old" / str(index))
                backups.append((target, backup))
                os.replace(staging / "new" / name, target)
                written.append(target)
            _sync_folder(out_dir)
        except OSError as exc:
            _roll_back(backups, written)
            raise _unwritable(out_dir, exc) from None
        except BaseException:
            _roll_back(backups, written)
            raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return written


def _keep_previous(target: Path, backup: Path) -> Path | None:
    """Return a hard link to `target`'s current version at `backup` (None if none)."""
    if not target.is_file():
        return None
    backup.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(target, backup)
    except OSError:              # a filesystem without hard links: copy instead
        shutil.copy2(target, backup)
    return backup


def _roll_back(backups: list[tuple[Path, Path | None]], written: list[Path]) -> None:
    """Put back the previous version of every output already replaced."""
    done = set(written)
    for target, backup in reversed(backups):
        if target not in done:
            continue
        try:
            if backup is not None:
                os.replace(backup, target)
            else:
                target.unlink()
        except OSError:
            pass


def _sync_folder(folder: Path) -> None:
    """Flush the folder's entries to disk, so the renames survive a crash."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _unwritable(out_dir: Path, exc: OSError) -> WriterError:
    return WriterError.make("PK104", Pos(str(out_dir), 0), what="writable output folder",
                            path=str(out_dir), hint=f" ({exc.strerror or exc})")
