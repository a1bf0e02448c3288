"""Read BibTeX/BibLaTeX files into :class:`~paperkit.model.Reference` records (CSL-shaped).

bibtexparser 2.x only splits the file into blocks here (every block keeps its line and raw
text; a block that does not parse stays in the library as a ``ParsingFailedBlock`` instead
of raising). paperkit does the rest itself, because each step needs the .bib line for its
diagnostics and bibtexparser's middlewares leave gaps (literal ``#`` concatenation, BibTeX's
predefined month macros, crossref):

1. ``@string`` macros and ``#`` concatenation are expanded (keys case-insensitive; ``jan`` ..
   ``dec`` predefined as BibTeX does);
2. duplicate keys keep the first entry and log PK203; syntax errors log PK110 for every bad
   block, then raise the first (the file cannot be trusted);
3. ``crossref`` children inherit their parent's missing fields (the parent's ``title``
   becomes the child's ``booktitle``, as biber does);
4. :func:`~paperkit.bibliography.bibtex_to_csl.to_csl` maps types and fields and decodes
   LaTeX to Unicode.

Title fields keep BibTeX's case protection as ``<span class="nocase">…</span>`` (CSL-JSON's
convention), so ``{NATO}`` survives a style's sentence or title case.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

from bibtexparser.exceptions import BlockAbortedException
from bibtexparser.model import (DuplicateBlockKeyBlock, DuplicateFieldKeyBlock, Entry,
                                ParsingFailedBlock, String)
from bibtexparser.splitter import Splitter

from ..diagnostics import Diagnostic, Log
from ..errors import InputError
from ..model import Pos, Reference
from .bibtex_to_csl import to_csl

__all__ = ["parse_bibtex", "read_bibtex", "MONTH_MACROS"]

# bibtexparser reports aborted blocks through `logging`; paperkit reports them as PK110.
logging.getLogger("bibtexparser").addHandler(logging.NullHandler())
logging.getLogger("bibtexparser").propagate = False

#: BibTeX's predefined macros (plain.bst): ``month = jan`` means January.
MONTH_MACROS: dict[str, str] = {
    "jan": "January", "feb": "February", "mar": "March", "apr": "April", "may": "May",
    "jun": "June", "jul": "July", "aug": "August", "sep": "September", "oct": "October",
    "nov": "November", "dec": "December",
}

# Fields a crossref child never takes from its parent (biber's defaults).
_NOT_INHERITED = frozenset({
    "crossref", "xref", "ids", "entryset", "entrysubtype", "execute", "label", "options",
    "presort", "related", "relatedoptions", "relatedstring", "relatedtype", "shorthand",
    "shorthandintro", "sortkey", "shorttitle", "sorttitle",
})
# A parent's title fields become the child's container fields.
_PERIODICAL_TITLES = {"title": "journaltitle", "subtitle": "journalsubtitle"}
_BOOK_TITLES = {"title": "booktitle", "subtitle": "booksubtitle",
                "titleaddon": "booktitleaddon"}
_PERIODICALS = {"periodical", "journal"}


def _display(file: str) -> str:
    """Return `file` relative to the working directory when it lies below it."""
    if not os.path.isabs(file):
        return file
    rel = os.path.relpath(file)
    return file if rel.startswith("..") else rel


def read_bibtex(path: Path, *, log: Log) -> list[Reference]:
    """Return the references in the BibTeX file at `path`.

    Raises :class:`InputError` PK104 when the file is missing, PK105 when it is not UTF-8
    (naming the line of the first bad byte) and PK110 on a syntax error.
    """
    file = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputError.make("PK104", Pos(file, 0), what="bibliography", path=file,
                              hint=f" ({exc.strerror})" if exc.strerror else "") from None
    return parse_bibtex(_decode(data, file), file=file, log=log)


def _decode(data: bytes, file: str) -> str:
    """Return `data` as text; PK105 at the line and column of the first non-UTF-8 byte."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InputError.make(
            "PK105", Pos(file, line, column),
            detail=f"byte 0x{data[exc.start]:02x} is not UTF-8; save the bibliography as "
                   "UTF-8 (or write the character as LaTeX, e.g. {\\\"o})") from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_bibtex(text: str, *, file: str, log: Log) -> list[Reference]:
    """Return the references in the BibTeX `text`; `file` names it in positions.

    Every reference gets ``pos = Pos(file, line of its @, 1)``. A duplicate key keeps the
    first entry and logs PK203. Syntax errors are all logged (PK110, at the bad block's
    line); then the first is raised as :class:`InputError`.
    """
    library = Splitter(bibstr=text).split()
    macros: dict[str, str] = dict(MONTH_MACROS)
    entries: list[tuple[str, str, dict[str, str], int]] = []
    problems: list[Diagnostic] = []
    first_line: dict[str, int] = {}
    for block in library.blocks:
        line = (block.start_line or 0) + 1
        if isinstance(block, String):
            macros[block.key.lower()] = _expand(block.value, macros)
            continue
        if isinstance(block, DuplicateBlockKeyBlock):
            block = block.ignore_error_block
            if not isinstance(block, Entry):
                continue  # a duplicate @string: the later definition wins, as in BibTeX
        elif isinstance(block, DuplicateFieldKeyBlock):
            block = block.ignore_error_block
        elif isinstance(block, ParsingFailedBlock):
            problems.append(log.add("PK110", Pos(file, line, 1), detail=_failure(block)))
            continue
        if not isinstance(block, Entry):
            continue  # comments, @preamble
        if not block.key.strip():
            problems.append(log.add("PK110", Pos(file, line, 1),
                                    detail=f"the @{block.entry_type} entry has no key; "
                                           "write one after the opening brace"))
            continue
        if block.key in first_line:
            log.add("PK203", Pos(file, line, 1), key=block.key,
                    first=f"{_display(file)}:{first_line[block.key]}:1")
            continue
        first_line[block.key] = line
        fields: dict[str, str] = {}
        for field in block.fields:
            # BibTeX keeps the first of repeated fields
            fields.setdefault(field.key.lower(), _expand(field.value, macros))
        entries.append((block.entry_type.lower(), block.key, fields, line))
    if problems:
        raise InputError(problems[0], problems[1:])
    entries = _inherit_crossrefs(entries)
    references = []
    for entry_type, key, fields, line in entries:
        csl_type, csl_fields = to_csl(entry_type, fields)
        references.append(Reference(key, csl_type, csl_fields, pos=Pos(file, line, 1)))
    return references


_BLOCK_HEAD = re.compile(r"@\s*(\w+)\s*[{(]\s*([^,\s]*)")


def _failure(block: ParsingFailedBlock) -> str:
    """Return what is wrong with a block bibtexparser could not parse, for PK110."""
    head = _BLOCK_HEAD.match(block.raw or "")
    what = f"the @{head.group(1)} entry '{head.group(2)}'" if head and head.group(2) \
        else "the entry"
    error = block.error
    reason = error.abort_reason if isinstance(error, BlockAbortedException) else str(error)
    reason = reason.strip().rstrip(".")
    if "closing" in reason or "end of file" in reason:
        hint = "; check that its braces and quotes are balanced"
    else:
        hint = ""
    return f"{what} starting here does not parse ({reason}){hint}"


def _split_concatenation(raw: str) -> list[str]:
    """Return the parts of the BibTeX value `raw` joined by ``#`` outside braces and quotes."""
    parts, current, depth, quoted = [], [], 0, False
    for ch in raw:
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif ch == '"' and depth == 0:
            quoted = not quoted
        elif ch == "#" and depth == 0 and not quoted:
            parts.append("".join(current))
            current = []
            continue
        current.append(ch)
    parts.append("".join(current))
    return [p.strip() for p in parts]


def _expand(raw: object, macros: dict[str, str]) -> str:
    """Return the value of the raw field `raw`: delimiters removed, macros expanded."""
    text = str(raw).strip()
    out = []
    for part in _split_concatenation(text):
        if len(part) >= 2 and (part[0], part[-1]) in (("{", "}"), ('"', '"')):
            out.append(part[1:-1])
        elif part.isdigit():
            out.append(part)
        else:
            # an undefined macro is kept as written, as BibTeX prints it after a warning
            out.append(macros.get(part.lower(), part))
    return "".join(out)


def _inherit_crossrefs(entries: list[tuple[str, str, dict[str, str], int]]
                       ) -> list[tuple[str, str, dict[str, str], int]]:
    """Return `entries` with each crossref child given its parent's missing fields."""
    by_key = {key.lower(): (entry_type, fields) for entry_type, key, fields, _ in entries}
    out = []
    for entry_type, key, fields, line in entries:
        parent_key = fields.get("crossref", "").strip().lower()
        if parent_key and parent_key in by_key:
            parent_type, parent_fields = by_key[parent_key]
            titles = _PERIODICAL_TITLES if parent_type in _PERIODICALS else _BOOK_TITLES
            merged = dict(fields)
            for name, value in parent_fields.items():
                if name in _NOT_INHERITED:
                    continue
                target = titles.get(name, name if name not in _BOOK_TITLES else None)
                if target is not None:
                    merged.setdefault(target, value)
            fields = merged
        out.append((entry_type, key, fields, line))
    return out
