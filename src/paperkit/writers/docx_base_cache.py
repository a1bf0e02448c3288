"""The Word writer's prepared base documents, kept on disk between runs.

Preparing a base document for a template (python-docx's default document, or the template's
reference.docx cleared, then every style defined: :func:`~.docx_reference.open_prepared`)
takes ~45 ms, two thirds of a short paper's first .docx in a process. The prepared document,
saved, is kept in the disk cache (:mod:`paperkit.disk_cache`) and opened from there by the
next process (~10 ms). An entry is keyed by everything the prepared document comes from: the
template's look, its reference.docx (real path, time, size, inode), the preparing function,
the files of paperkit's Word writer (name, size, time) and python-docx's version; a stale
entry is never used. Entries are data (a saved .docx checked by python-docx on opening),
never code; one that cannot be read is prepared again.
"""

from __future__ import annotations

import functools
import hashlib
import io
import marshal
from pathlib import Path
from typing import Any, Callable

from ..disk_cache import cache_root, file_stamp, write_atomic
from ..templates import Template

__all__ = ["load_prepared", "store_prepared"]

# Change when what an entry holds changes.
_FORMAT = "docx-base-1"


@functools.cache
def _code_stamp() -> str:
    """Return what identifies the code that prepares a document: the Word writer's modules
    and python-docx's version and default document."""
    import docx

    here = Path(__file__).parent
    files = sorted([*here.glob("docx*.py"), here / "layout.py"])
    default = Path(docx.__file__).parent / "templates" / "default.docx"
    parts = [_FORMAT, str(getattr(docx, "__version__", "")), file_stamp(default)]
    parts.extend(f"{f.name}:{file_stamp(f)}" for f in files)
    return "\0".join(parts)


def _entry(look: Template, reference: object, prepare: Callable[..., Any]) -> Path | None:
    root = cache_root()
    if root is None:
        return None
    key = repr((look, reference, f"{prepare.__module__}.{prepare.__qualname__}",
                _code_stamp()))
    digest = hashlib.blake2b(key.encode("utf-8", "surrogatepass"), digest_size=20)
    return root / "docx" / f"{digest.hexdigest()}.marshal"


def load_prepared(look: Template, reference: object, prepare: Callable[..., Any]
                  ) -> tuple[Any, bool, bool, bool] | None:
    """Return (document, merge, header, footer) of the base prepared before for the same
    inputs, or None when there is none (or it cannot be read)."""
    path = _entry(look, reference, prepare)
    if path is None:
        return None
    try:
        stored = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if not (type(stored) is tuple and len(stored) == 4 and type(stored[3]) is bytes
            and all(type(flag) is bool for flag in stored[:3])):
        return None
    from docx import Document

    try:
        doc = Document(io.BytesIO(stored[3]))
    except Exception:  # noqa: BLE001 - a damaged entry: prepared again
        return None
    return doc, stored[0], stored[1], stored[2]


def store_prepared(look: Template, reference: object, prepare: Callable[..., Any],
                   doc: Any, merge: bool, header: bool, footer: bool) -> None:
    """Keep the prepared, still unwritten `doc` for the next process."""
    path = _entry(look, reference, prepare)
    if path is None:
        return
    data = io.BytesIO()
    doc.save(data)
    write_atomic(path, marshal.dumps((merge, header, footer, data.getvalue())))
