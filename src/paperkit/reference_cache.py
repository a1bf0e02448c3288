"""Parsed bibliography files, kept on disk between runs.

Reading a .bib is the largest fixed cost of a build with a long reference list: 500 entries
take ~0.17 s to parse and convert to CSL, and a Zotero export of a few thousand, most never
cited, several times that, on every build, although authors edit paper.md far more often
than their bibliography. What a successful read returned (the references and the warnings
it logged) is kept in the disk cache (:mod:`paperkit.disk_cache`) and read back by the next
process.

A file has one entry, named for the path the paper gives it by (positions carry it), the
working directory (messages name files relative to it), the paper's language, the reader,
and the code that reads: paperkit's bibliography modules, the model and the diagnostics
catalog (their names, sizes and times), the installed bibtexparser, pylatexenc and PyYAML
(their files' times) and Python's version. The entry holds a hash of the bytes it was read
from and is used only for those bytes; an edited file's next read replaces it, so the cache
does not grow with each edit; and the folder keeps the :data:`KEEP` entries used last
(papers built from ever new temporary folders would otherwise add one each). A stale entry
is never used. Entries are marshal of plain data, checked field by field on reading (a
malformed or tampered one is read from the file again), never code. A file that fails to
read is never cached: its error is reported as before.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import marshal
import sys
from pathlib import Path
from typing import Any

from .diagnostics import CATALOG, Diagnostic
from .disk_cache import cache_root, file_stamp, plain_data, write_atomic
from .model import Pos, Reference

__all__ = ["load", "store", "KEEP"]

# Change when what an entry holds changes.
_FORMAT = "refs-1"

#: How many entries the folder keeps (the least recently used go first).
KEEP = 64

_Read = tuple[list[Reference], list[Diagnostic]]


@functools.cache
def _code_stamp() -> str:
    """Return what identifies the code that turns a bibliography file into references."""
    here = Path(__file__).parent
    files = sorted([*(here / "bibliography").glob("*.py"), here / "model.py",
                    here / "diagnostics.py"])
    parts = [_FORMAT, sys.version]
    for name in ("bibtexparser", "pylatexenc", "yaml"):
        spec = importlib.util.find_spec(name)        # finds it without importing it
        origin = spec.origin if spec is not None else None
        parts.append(f"{name}:{origin}:{file_stamp(Path(origin)) if origin else '-'}")
    parts.extend(f"{f.name}:{file_stamp(f)}" for f in files)
    return "\0".join(parts)


def _entry(key: tuple[object, ...]) -> Path | None:
    root = cache_root()
    if root is None:
        return None
    digest = hashlib.blake2b(repr((_code_stamp(), key)).encode("utf-8", "surrogatepass"),
                             digest_size=20)
    return root / "references" / f"{digest.hexdigest()}.marshal"


def load(key: tuple[object, ...], digest: bytes) -> _Read | None:
    """Return the references and diagnostics kept for `key` if they were read from bytes
    with the hash `digest`, else None (none kept, kept for other bytes, or an entry that is
    unreadable or not what this module writes)."""
    path = _entry(key)
    if path is None:
        return None
    try:
        kept, rows, diag_rows = marshal.loads(path.read_bytes())
        if kept != digest:
            return None
        references = [Reference(ref_key, kind, fields, pos=_pos(pos))
                      for ref_key, kind, fields, pos in rows
                      if _text(ref_key, kind) and type(fields) is dict
                      and plain_data(fields)]
        diagnostics = [Diagnostic(code, message, _pos(pos), severity)
                       for code, message, pos, severity in diag_rows
                       if _text(code, message) and code in CATALOG
                       and severity in ("error", "warning")]
        if len(references) != len(rows) or len(diagnostics) != len(diag_rows):
            return None
    except (OSError, EOFError, ValueError, TypeError):
        return None
    try:
        path.touch()                     # used now: the last to go when the folder is pruned
    except OSError:
        pass
    return references, diagnostics


def store(key: tuple[object, ...], digest: bytes, read: _Read) -> None:
    """Keep `read`, read from bytes with the hash `digest`, for `key` when it is plain data
    (it always is for paperkit's readers)."""
    path = _entry(key)
    if path is None:
        return
    references, diagnostics = read
    if not all(plain_data(r.fields) for r in references):
        return
    rows = [(r.key, r.type, r.fields, _row(r.pos)) for r in references]
    diag_rows = [(d.code, d.message, _row(d.pos), d.severity) for d in diagnostics]
    try:
        data = marshal.dumps((digest, rows, diag_rows))
    except ValueError:
        return
    write_atomic(path, data)
    _prune(path.parent)


def _prune(folder: Path) -> None:
    """Remove all but the :data:`KEEP` entries of `folder` used last."""
    try:
        entries = [(entry.stat().st_mtime_ns, entry) for entry in folder.glob("*.marshal")]
        if len(entries) <= KEEP:
            return
        entries.sort(key=lambda e: e[0], reverse=True)
        for _, entry in entries[KEEP:]:
            entry.unlink(missing_ok=True)
    except OSError:                      # another process pruned first, or a read-only folder
        pass


def _text(*values: Any) -> bool:
    return all(type(v) is str for v in values)


def _row(pos: Pos | None) -> tuple[str, int, int] | None:
    return None if pos is None else (pos.file, pos.line, pos.column)


def _pos(row: Any) -> Pos | None:
    """Return the position in `row` (file, line, column); raise ValueError for anything
    else but None."""
    if row is None:
        return None
    file, line, column = row
    if type(file) is not str or type(line) is not int or type(column) is not int:
        raise ValueError("not a position")
    return Pos(file, line, column)
