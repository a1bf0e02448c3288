"""Writing outputs all-or-nothing: a temporary folder beside the target, then renames.

A build that fails before :func:`write_outputs` writes nothing; one that fails inside it
removes its temporary folder and leaves every previous output as it was. Each file is moved
into place with ``os.replace``, which is atomic on one filesystem, so a reader never sees a
torn file.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from .errors import WriterError
from .model import Pos

__all__ = ["write_outputs"]


def write_outputs(out_dir: Path, outputs: dict[str, bytes]) -> list[Path]:
    """Write `outputs` (relative path -> bytes) under `out_dir`; return the paths written.

    Raises :class:`WriterError` (with nothing changed) when the folder cannot be written.
    """
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=".paperkit-", dir=out_dir))
    except OSError as exc:
        raise WriterError.make("PK104", Pos(str(out_dir), 0), what="writable output folder",
                               path=str(out_dir), hint=f" ({exc.strerror})") from None
    written: list[Path] = []
    try:
        for name, data in sorted(outputs.items()):
            temp = staging / name
            temp.parent.mkdir(parents=True, exist_ok=True)
            with open(temp, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
        for name in sorted(outputs):
            target = out_dir / name
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / name, target)
            written.append(target)
    except OSError as exc:
        raise WriterError.make("PK104", Pos(str(out_dir), 0), what="writable output folder",
                               path=str(out_dir), hint=f" ({exc.strerror})") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return written
