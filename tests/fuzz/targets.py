"""What the atheris fuzzers run: bytes in, a paperkit call, and the property checked.

Each target turns the fuzzer's bytes into input one of two ways, chosen by the first byte:
the bytes themselves (after the first), or a sequence of :mod:`grammar` pieces picked by
the following bytes (each byte picks one piece or, above the table, adds itself). Any
exception other than :class:`~paperkit.errors.PaperkitError`, or an error that is not one
line with a catalog code, is a finding: the target raises and atheris saves the input.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path

from grammar import BIB, BLOCKS, FRONT, INLINES

WORK = Path(tempfile.mkdtemp(prefix="paperkit-atheris-"))
atexit.register(shutil.rmtree, WORK, True)
PAPER_PIECES = [*FRONT, *BLOCKS, *INLINES, "---\n", "---\n", "\n"]
BIB_PIECES = BIB


def glue(data: bytes, pieces: list[str]) -> bytes:
    """Return `data` as bytes, or as pieces picked by its bytes (first byte odd)."""
    if not data:
        return b""
    if data[0] % 2 == 0:
        return data[1:]
    out = []
    for byte in data[1:]:
        out.append(pieces[byte].encode("utf-8") if byte < len(pieces) else bytes([byte]))
    return b"".join(out)


def check_error(exc: Exception) -> None:
    """Raise AssertionError unless `exc` is a well-formed PaperkitError."""
    from paperkit.diagnostics import CATALOG
    from paperkit.errors import PaperkitError

    if not isinstance(exc, PaperkitError):
        raise exc
    for diag in exc.diagnostics:
        if diag.code not in CATALOG or "\n" in str(diag):
            raise AssertionError(f"malformed diagnostic: {diag!r}")
    if exc.diagnostic.pos is None:
        raise AssertionError(f"error without a position: {exc.diagnostic}")


def reader(data: bytes) -> None:
    """The reader: paper.md bytes -> decode_source -> loads -> native dump."""
    from paperkit.errors import PaperkitError
    from paperkit.native import dump
    from paperkit.readers import decode_source, loads

    file = str(WORK / "paper.md")
    source = glue(data, PAPER_PIECES)
    try:
        paper = loads(decode_source(source, file), file=file)
    except PaperkitError as exc:
        check_error(exc)
        return
    dump(paper)


def bibtex(data: bytes) -> None:
    """The BibTeX loader: .bib text (UTF-8, errors replaced) -> parse_bibtex."""
    from paperkit.bibliography import parse_bibtex
    from paperkit.diagnostics import Log
    from paperkit.errors import PaperkitError

    text = glue(data, BIB_PIECES).decode("utf-8", "replace")
    try:
        parse_bibtex(text, file="refs.bib", log=Log())
    except PaperkitError as exc:
        check_error(exc)


def build(data: bytes) -> None:
    """The whole build: the first half a paper, the second a .bib; docx, pdf and tex."""
    import paperkit
    from paperkit.errors import PaperkitError
    from paperkit.options import BuildOptions

    half = len(data) // 2
    folder = WORK / "p"
    shutil.rmtree(WORK / "out", ignore_errors=True)
    folder.mkdir(exist_ok=True)
    (folder / "paper.md").write_bytes(b"---\ntitle: F\n---\n" + glue(data[:half], PAPER_PIECES))
    (folder / "references.bib").write_bytes(glue(data[half:], BIB_PIECES))
    try:
        result = paperkit.build(paperkit.load(folder), out=WORK / "out",
                                options=BuildOptions(source_date_epoch=0))
    except PaperkitError as exc:
        check_error(exc)
        return
    if result.exit_code not in (0, 1, 2):
        raise AssertionError(f"exit {result.exit_code}")


TARGETS = {"reader": reader, "bibtex": bibtex, "build": build}
