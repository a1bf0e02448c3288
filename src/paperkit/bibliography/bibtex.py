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
3. ``crossref`` and ``xdata`` children inherit their parents' missing fields, renamed as
   BibLaTeX's manual prescribes (appendix B: a ``@book`` parent's ``title`` is an ``@inbook``
   child's ``booktitle``, an ``@mvbook``'s is a ``@book``'s ``maintitle``); ``@xdata``
   entries only lend fields and are no references themselves;
4. :func:`~paperkit.bibliography.bibtex_to_csl.to_csl` maps types and fields and decodes
   LaTeX to Unicode.

Title fields keep BibTeX's case protection as ``<span class="nocase">…</span>`` (CSL-JSON's
convention), so ``{NATO}`` survives a style's sentence or title case.

bibtexparser reads any block whose type starts with ``comment`` as a comment, which would
lose BibLaTeX's ``@commentary`` entries; such blocks are split again under another name.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

from bibtexparser.exceptions import BlockAbortedException
from bibtexparser.model import (Block, DuplicateBlockKeyBlock, DuplicateFieldKeyBlock, Entry,
                                ExplicitComment, ParsingFailedBlock, String)
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

# Fields a child never takes from its parent (BibLaTeX's manual, appendix B).
_NOT_INHERITED = frozenset({
    "ids", "crossref", "xref", "xdata", "entryset", "entrysubtype", "execute", "label",
    "options", "presort", "related", "relatedoptions", "relatedstring", "relatedtype",
    "shorthand", "shorthandintro", "sortkey",
})
_MAIN_TITLES = {"title": "maintitle", "subtitle": "mainsubtitle",
                "titleaddon": "maintitleaddon"}
_BOOK_TITLES = {"title": "booktitle", "subtitle": "booksubtitle",
                "titleaddon": "booktitleaddon"}
_JOURNAL_TITLES = {"title": "journaltitle", "subtitle": "journalsubtitle"}
_NEVER_RENAMED = ("shorttitle", "sorttitle", "indextitle", "indexsorttitle")
_INBOOKS = ("inbook", "bookinbook", "suppbook")
_INCOLLECTIONS = ("collection", "reference", "incollection", "inreference", "suppcollection")
_COMMENT_LOOKALIKE = re.compile(r"@\s*(comment[a-z]+)", re.IGNORECASE)


def _display(file: str) -> str:
    """Return `file` relative to the working directory when it lies below it."""
    if not os.path.isabs(file):
        return file
    rel = os.path.relpath(file)
    return file if rel.startswith("..") else rel


def read_bibtex(path: Path, *, log: Log, lang: str = "en-US") -> list[Reference]:
    """Return the references in the BibTeX file at `path` (`lang`: the paper's language).

    Raises :class:`InputError` PK104 when the file is missing, PK105 when it is not UTF-8
    (naming the line of the first bad byte) and PK110 on a syntax error.
    """
    file = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise InputError.make("PK104", Pos(file, 0), what="bibliography", path=file,
                              hint=f" ({exc.strerror})" if exc.strerror else "") from None
    return parse_bibtex(_decode(data, file), file=file, log=log, lang=lang)


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


def parse_bibtex(text: str, *, file: str, log: Log, lang: str = "en-US") -> list[Reference]:
    """Return the references in the BibTeX `text`; `file` names it in positions.

    `lang` is the paper's language: English titles are read into sentence case for an
    English paper (see :mod:`~paperkit.bibliography.titles`).

    Every reference gets ``pos = Pos(file, line of its @, 1)``. A duplicate key keeps the
    first entry and logs PK203. Syntax errors are all logged (PK110, at the bad block's
    line); then the first is raised as :class:`InputError`.
    """
    _refuse_control_characters(text, file)
    library = Splitter(bibstr=text).split()
    macros: dict[str, str] = dict(MONTH_MACROS)
    entries: list[tuple[str, str, dict[str, str], int]] = []
    problems: list[Diagnostic] = []
    first_line: dict[str, int] = {}
    for block in _blocks(library.blocks):
        line = (block.start_line or 0) + 1
        if isinstance(block, String):
            macros[block.key.lower()] = _expand(block.value, macros)
            continue
        if isinstance(block, DuplicateBlockKeyBlock):
            kept = block.ignore_error_block
            if not isinstance(kept, Entry):
                continue  # a duplicate @string: the later definition wins, as in BibTeX
            block = kept
        elif isinstance(block, DuplicateFieldKeyBlock):
            if block.ignore_error_block is None:
                continue
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
        bad = next((f for f in block.fields if _bad_part(str(f.value)) is not None), None)
        if bad is not None:
            problems.append(log.add("PK110", Pos(file, (bad.start_line or line - 1) + 1, 1),
                                    detail=_bad_value(block, bad)))
            continue
        for field in block.fields:
            # BibTeX keeps the first of repeated fields
            fields.setdefault(field.key.lower(), _expand(field.value, macros))
        entries.append((block.entry_type.lower(), block.key, fields, line))
    if problems:
        raise InputError(problems[0], problems[1:])
    entries = _inherit_crossrefs(entries)
    references = []
    for entry_type, key, fields, line in entries:
        if entry_type == "xdata":
            continue  # a container of fields for other entries, not a work
        csl_type, csl_fields = to_csl(entry_type, fields, lang=lang)
        references.append(Reference(key, csl_type, csl_fields, pos=Pos(file, line, 1)))
    return references


_BLOCK_HEAD = re.compile(r"@\s*(\w+)\s*[{(]\s*([^,\s]*)")
# Characters no output can hold (as in paper.md): C0 controls but tab and line breaks, DEL.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
_QUOTE_LIMIT = 60


def _refuse_control_characters(text: str, file: str) -> None:
    """Raise PK105 at the first control character in the .bib `text`, if it has one."""
    match = _CONTROL.search(text)
    if match is None:
        return
    at = match.start()
    line = text.count("\n", 0, at) + 1
    column = at - (text.rfind("\n", 0, at) + 1) + 1
    raise InputError.make("PK105", Pos(file, line, column),
                          detail=f"control character U+{ord(match.group()):04X} cannot appear "
                                 "in a bibliography; delete it")


def _quoted(text: str, limit: int = _QUOTE_LIMIT) -> str:
    """Return `text` fit to quote in a one-line message: white space folded, control
    characters as U+XXXX, cut after a few dozen characters."""
    text = _CONTROL.sub(lambda m: f"U+{ord(m.group()):04X}", " ".join(text.split()))
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _failure(block: ParsingFailedBlock) -> str:
    """Return what is wrong with a block bibtexparser could not parse, for PK110."""
    head = _BLOCK_HEAD.match(block.raw or "")
    what = f"the @{head.group(1)} entry '{_quoted(head.group(2))}'" if head and head.group(2) \
        else "the entry"
    error = block.error
    reason = error.abort_reason if isinstance(error, BlockAbortedException) else str(error)
    reason = _quoted(reason.strip().rstrip("."), limit=2 * _QUOTE_LIMIT)
    if "closing" in reason or "end of file" in reason:
        hint = "; check that its braces and quotes are balanced"
    else:
        hint = ""
    return f"{what} starting here does not parse ({reason}){hint}"


_MACRO_NAME = re.compile(r"[^\s\"#%'(),={}]+")


def _bad_part(raw: str) -> str | None:
    """Return the first piece of the field value `raw` that is no BibTeX value, or None.

    A value is pieces joined by ``#``: ``{...}``, ``"..."``, a number or a macro name.
    bibtexparser takes ``title = {A}`` followed by ``year = 2020`` without a comma for one
    value; BibTeX (and pandoc) refuse it.
    """
    for part in _split_concatenation(raw.strip()):
        if len(part) >= 2 and (part[0], part[-1]) in (("{", "}"), ('"', '"')):
            inner = part[1:-1]
            if part[0] == "{" and inner.count("{") == inner.count("}") and \
                    _group_closes_at_end(part):
                continue
            if part[0] == '"' and _quoted_ok(inner):
                continue
        elif _MACRO_NAME.fullmatch(part):
            continue
        return part
    return None


def _quoted_ok(inner: str) -> bool:
    """Return whether `inner` (a quoted value without its quotes) has balanced braces and
    no quote outside them."""
    depth = 0
    for ch in inner:
        depth += {"{": 1, "}": -1}.get(ch, 0)
        if depth < 0 or (ch == '"' and depth == 0):
            return False
    return depth == 0


_BRACES = re.compile(r"(?<!\\)[{}]")


def _group_closes_at_end(part: str) -> bool:
    """Return whether the brace group `part` starts with closes at its last character."""
    depth = 0
    for match in _BRACES.finditer(part):
        depth += 1 if match.group() == "{" else -1
        if depth == 0:
            return match.end() == len(part)
    return False


def _bad_value(block: Entry, field: object) -> str:
    """Return what is wrong with a field value :func:`_bad_part` refused, for PK110."""
    name = getattr(field, "key", "?")
    bad = _bad_part(str(getattr(field, "value", ""))) or ""
    after = _next_field(bad)
    hint = f"; is a comma missing before '{_quoted(after)}'?" if after else \
        "; put the value in braces"
    return (f"the @{block.entry_type} entry '{_quoted(block.key)}' has a value for "
            f"'{_quoted(str(name))}' that does not parse{hint}")


def _next_field(bad: str) -> str | None:
    """Return the field that `bad` (a value bibtexparser ran on into the next field,
    ``{X}\\n  title = {Y}``) runs into, from its name to the end of its line, or None when
    no ``=`` follows outside braces and quotes."""
    depth, quoted = 0, False
    for at, ch in enumerate(bad):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif ch == '"' and depth == 0:
            quoted = not quoted
        elif ch == "=" and depth == 0 and not quoted:
            words = list(re.finditer(r"[^\s{}\"#,=]+", bad[:at]))
            if not words:
                return None
            # the field as written, up to the end of its line: "year = 2020"
            return bad[words[-1].start():].split("\n", 1)[0].strip()
    return None


def _split_concatenation(raw: str) -> list[str]:
    """Return the parts of the BibTeX value `raw` joined by ``#`` outside braces and quotes."""
    if "#" not in raw:
        return [raw.strip()]
    parts: list[str] = []
    current: list[str] = []
    depth, quoted = 0, False
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


def _blocks(blocks: list[Block]) -> list[Block]:
    """Return `blocks` with each ``@commentary``-like entry bibtexparser took for a comment
    parsed again as the entry it is."""
    out: list[Block] = []
    for block in blocks:
        match = _COMMENT_LOOKALIKE.match(block.raw or "") if isinstance(block, ExplicitComment) \
            else None
        if match is None:
            out.append(block)
            continue
        kind = match.group(1)
        # padded with the lines before it, so that the entry keeps its line in the file
        renamed = "\n" * (block.start_line or 0) + "@x" + (block.raw or "")[match.start(1):]
        for inner in Splitter(bibstr=renamed).split().blocks:
            if isinstance(inner, Entry):
                inner.entry_type = kind
            out.append(inner)
    return out


def transform_key(parent_type: str, child_type: str, field: str) -> list[str]:
    """Return the names the field `field` of a `parent_type` parent takes in a child.

    BibLaTeX's manual, appendix B (as pandoc applies it): titles become ``booktitle``
    (a ``@book`` or ``@collection`` parent), ``maintitle`` (a multi-volume parent) or
    ``journaltitle`` (a ``@periodical``); a ``@book``'s author is also the ``bookauthor``
    of an ``@inbook``; other fields keep their names.
    """
    if field in _NOT_INHERITED:
        return []
    if field == "author" and ((parent_type in ("mvbook", "book") and child_type in _INBOOKS)
                              or (parent_type == "mvbook" and child_type == "book")):
        return ["bookauthor", "author"]
    renames: dict[str, str] | None = None
    if parent_type == "mvbook" and child_type in ("book", *_INBOOKS):
        renames = _MAIN_TITLES
    elif parent_type in ("mvcollection", "mvreference") and child_type in _INCOLLECTIONS:
        renames = _MAIN_TITLES
    elif parent_type == "mvproceedings" and child_type in ("proceedings", "inproceedings"):
        renames = _MAIN_TITLES
    elif parent_type == "book" and child_type in _INBOOKS:
        renames = _BOOK_TITLES
    elif parent_type in ("collection", "reference") and child_type in (
            "incollection", "inreference", "suppcollection"):
        renames = _BOOK_TITLES
    elif parent_type == "proceedings" and child_type == "inproceedings":
        renames = _BOOK_TITLES
    elif parent_type == "periodical" and child_type in ("article", "suppperiodical"):
        renames = _JOURNAL_TITLES
    if renames is None:
        return [field]
    if field in _NEVER_RENAMED:
        return []
    return [renames.get(field, field)]


def _split_keys(value: str) -> list[str]:
    return [key for key in re.split(r"[\s,]+", value) if key]


def _inherit_crossrefs(entries: list[tuple[str, str, dict[str, str], int]]
                       ) -> list[tuple[str, str, dict[str, str], int]]:
    """Return `entries` with each ``crossref``/``xdata`` child given its parents' fields.

    A child's own fields win; a parent's own ``crossref``/``xdata`` parents lend theirs
    too (once: a cycle stops).
    """
    by_key = {key.lower(): (entry_type, fields) for entry_type, key, fields, _ in entries}

    def lent(child_type: str, child: dict[str, str], keys: str,
             seen: frozenset[str]) -> list[tuple[str, str]]:
        pairs: list[tuple[str, str]] = []
        for key in _split_keys(keys):
            parent = by_key.get(key.lower())
            if parent is None or key.lower() in seen:
                continue
            parent_type, parent_fields = parent
            for name, value in parent_fields.items():
                if name in ("crossref", "xdata"):
                    pairs += [(n, v) for n, v in lent(child_type, child, value,
                                                      seen | {key.lower()})
                              if n not in parent_fields]
                    continue
                pairs += [(target, value) for target in
                          transform_key(parent_type, child_type, name) if target not in child]
        return pairs

    out = []
    for entry_type, key, fields, line in entries:
        merged = dict(fields)
        for link in ("xdata", "crossref"):
            if fields.get(link, "").strip():
                inherited = dict(lent(entry_type, fields, fields[link], frozenset({key.lower()})))
                merged = {**inherited, **merged}
        out.append((entry_type, key, merged, line))
    return out
