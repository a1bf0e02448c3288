"""The paperkit document model: one set of typed dataclasses between readers and writers.

Every reader produces a :class:`Paper`; every transform returns a new one; every writer only
reads it. The model does no I/O and no formatting, and imports nothing else from paperkit
at load time; only two convenience constructors reach further when called:
:meth:`Figure.from_path` reads its file and :meth:`Reference.from_csl` uses the CSL-JSON
reader.

Design notes (after pandoc-types' ``Definition.hs``):

- Nodes are frozen, slotted dataclasses. ``pos`` (where the node came from) is keyword-only and
  excluded from equality, so ``Text("word")`` stays short and structural comparisons ignore it.
- Footnotes are inline :class:`Note` nodes holding their blocks, as pandoc's ``Note [Block]``:
  no writer ever looks a note up by number, and no note can dangle. (The issue names a
  ``NoteRef`` plus ``Paper.notes``; an inline note has the same information without a lookup
  that can fail.)
- A :class:`Cite` keeps its structured items *and* its rendering (filled by the citation
  transform), so the LaTeX writer may emit either ``\\autocite`` or the rendered text.
- For convenience when building papers in code, fields typed ``list[Inline]`` also accept a
  plain ``str``, which becomes ``[Text(str)]``; ``Paragraph("text")`` works.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol, Union, cast

__all__ = [
    "Pos", "Text", "Emph", "Strong", "Code", "Link", "Math", "LineBreak", "SmallCaps",
    "Superscript", "Subscript", "CiteItem", "Cite", "Note", "Ref", "Inline",
    "Paragraph", "BulletList", "OrderedList", "BlockQuote", "Table", "Figure", "CodeBlock",
    "MathBlock", "ThematicBreak", "Block", "Section", "Author", "WordLimit", "Limits",
    "Reference", "BibEntry", "Paper", "Align", "CiteMode", "RefKind", "SupportsToDict",
    "InlineText",
]


@dataclass(frozen=True, slots=True)
class Pos:
    """A place in a source file: 1-based line and column."""

    file: str
    line: int
    column: int = 1

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


def _pos() -> Any:
    return field(default=None, compare=False, kw_only=True, repr=False)


def _inlines(value: Any) -> list[Inline]:
    """Return `value` as a list of inlines; a ``str`` becomes one :class:`Text`."""
    if isinstance(value, str):
        return [Text(value)] if value else []
    return [Text(v) if isinstance(v, str) else v for v in value]


def _cell(value: Any, fmt: str | Callable[[Any], str] | None = None) -> list[Inline]:
    """Return a table cell from a Python value: inlines stay, a missing value is empty
    (``None``, NaN, pandas' ``NA``/``NaT``), anything else is its text."""
    if _is_missing(value):
        return []
    if fmt is not None:
        return [Text(fmt(value) if callable(fmt) else fmt.format(value))]
    if isinstance(value, str):
        return _inlines(value)
    if isinstance(value, list):
        return _inlines(value)
    if isinstance(value, (Text, Emph, Strong, SmallCaps, Superscript, Subscript, Code, Link,
                          Math, LineBreak, Cite, Note, Ref)):
        return [value]
    return [Text(str(value))]


def _is_missing(value: Any) -> bool:
    """Return whether `value` stands for no value: None, a float NaN, pandas' NA or NaT."""
    if value is None:
        return True
    if isinstance(value, float):
        return value != value                  # NaN is the one float unequal to itself
    return type(value).__name__ in ("NAType", "NaTType")


def _is_number(value: Any) -> bool:
    """Return whether `value` is a number (int, float, Decimal, numpy's), not a bool."""
    return isinstance(value, numbers.Number) and not isinstance(value, (bool, complex)) \
        and type(value).__name__ != "bool_"


def _column_align(values: list[Any]) -> Align:
    """Return ``right`` for a column of numbers (empty cells allowed), else ``default``."""
    present = [v for v in values if not _is_missing(v)]
    return "right" if present and all(_is_number(v) for v in present) else "default"


def _coerce(obj: Any, *names: str) -> None:
    for name in names:
        object.__setattr__(obj, name, _inlines(getattr(obj, name)))


class SupportsToDict(Protocol):
    """A pandas-style table: ``to_dict("records")`` returns a list of row dicts."""

    def to_dict(self, orient: Literal["records"]) -> Sequence[Mapping[str, Any]]: ...


_MAGIC = ((b"\x89PNG", ".png"), (b"\xff\xd8", ".jpg"), (b"GIF8", ".gif"), (b"%PDF", ".pdf"))


def _image_suffix(data: bytes) -> str:
    """Return the file suffix for image bytes (``.png`` when nothing else matches)."""
    for magic, suffix in _MAGIC:
        if data.startswith(magic):
            return suffix
    head = data[:512].lstrip()
    if head.startswith(b"<svg") or (head.startswith(b"<?xml") and b"<svg" in data[:4096]):
        return ".svg"
    return ".png"


# --------------------------------------------------------------------------- inlines


@dataclass(frozen=True, slots=True)
class Text:
    """Plain text. Spaces are kept as written (a reader folds soft breaks into one space)."""

    text: str
    pos: Pos | None = _pos()


@dataclass(frozen=True, slots=True)
class Emph:
    """Emphasis (italic): ``Emph("really")`` or ``Emph(["a ", Code("b")])``."""

    content: list[Inline]
    pos: Pos | None = _pos()

    if TYPE_CHECKING:    # __init__ takes a str where inlines go (the module docstring)
        def __init__(self, content: InlineText, *, pos: Pos | None = None) -> None: ...

    def __post_init__(self) -> None:
        _coerce(self, "content")


@dataclass(frozen=True, slots=True)
class Strong:
    """Strong emphasis (bold): ``Strong("note")``."""

    content: list[Inline]
    pos: Pos | None = _pos()

    if TYPE_CHECKING:    # __init__ takes a str where inlines go (the module docstring)
        def __init__(self, content: InlineText, *, pos: Pos | None = None) -> None: ...

    def __post_init__(self) -> None:
        _coerce(self, "content")


@dataclass(frozen=True, slots=True)
class SmallCaps:
    """Small capitals (produced by citation styles)."""

    content: list[Inline]
    pos: Pos | None = _pos()

    if TYPE_CHECKING:    # __init__ takes a str where inlines go (the module docstring)
        def __init__(self, content: InlineText, *, pos: Pos | None = None) -> None: ...

    def __post_init__(self) -> None:
        _coerce(self, "content")


@dataclass(frozen=True, slots=True)
class Superscript:
    """Superscript text (produced by citation styles, or ``^x^``)."""

    content: list[Inline]
    pos: Pos | None = _pos()

    if TYPE_CHECKING:    # __init__ takes a str where inlines go (the module docstring)
        def __init__(self, content: InlineText, *, pos: Pos | None = None) -> None: ...

    def __post_init__(self) -> None:
        _coerce(self, "content")


@dataclass(frozen=True, slots=True)
class Subscript:
    """Subscript text (produced by citation styles, or ``~x~``)."""

    content: list[Inline]
    pos: Pos | None = _pos()

    if TYPE_CHECKING:    # __init__ takes a str where inlines go (the module docstring)
        def __init__(self, content: InlineText, *, pos: Pos | None = None) -> None: ...

    def __post_init__(self) -> None:
        _coerce(self, "content")


@dataclass(frozen=True, slots=True)
class Code:
    """Inline code, set in the monospace font."""

    text: str
    pos: Pos | None = _pos()


@dataclass(frozen=True, slots=True)
class Link:
    """A hyperlink. `url` starting with ``#`` is internal (an anchor id)::

        >>> Link("the CSL project", "https://citationstyles.org").content
        [Text(text='the CSL project')]
    """

    content: list[Inline]
    url: str
    title: str = ""
    pos: Pos | None = _pos()

    if TYPE_CHECKING:    # __init__ takes a str where inlines go (the module docstring)
        def __init__(self, content: InlineText, url: str, title: str = "", *,
                     pos: Pos | None = None) -> None: ...

    def __post_init__(self) -> None:
        _coerce(self, "content")


@dataclass(frozen=True, slots=True)
class Math:
    """Inline TeX math, without the dollar signs."""

    tex: str
    pos: Pos | None = _pos()


@dataclass(frozen=True, slots=True)
class LineBreak:
    """A hard line break."""

    pos: Pos | None = _pos()


CiteMode = Literal["normal", "author-in-text", "suppress-author"]


@dataclass(frozen=True, slots=True)
class CiteItem:
    """One cited work inside a citation: ``see @key, p. 33``.

    `label` is the CSL locator label (``page``, ``chapter``, ...) and `locator` its value
    (``33``, ``3-5``); both are ``None`` without a locator. `mode` is ``author-in-text``
    for ``@key`` and ``suppress-author`` for ``[-@key]``::

        >>> item = CiteItem("buzan2022", prefix="see ", locator="33", label="page")
        >>> item.prefix, item.mode
        ([Text(text='see ')], 'normal')
    """

    key: str
    mode: CiteMode = "normal"
    prefix: list[Inline] = field(default_factory=list)
    locator: str | None = None
    label: str | None = None
    suffix: list[Inline] = field(default_factory=list)
    pos: Pos | None = _pos()

    if TYPE_CHECKING:    # __init__ takes a str where inlines go (the module docstring)
        def __init__(self, key: str, mode: CiteMode = "normal", prefix: InlineText = (),
                     locator: str | None = None, label: str | None = None,
                     suffix: InlineText = (), *, pos: Pos | None = None) -> None: ...

    def __post_init__(self) -> None:
        _coerce(self, "prefix", "suffix")


@dataclass(frozen=True, slots=True)
class Cite:
    """A citation: ``[see @a, p. 3; @b]``, ``@a`` or ``[-@a]``.

    `source` is the literal text, for markers and messages. `rendered` is filled by the
    citation transform; ``None`` means not yet resolved. A key that is not in the references
    renders as the visible marker ``[?key]``. Made in code, `source` may stay empty::

        >>> cite = Cite([CiteItem("buzan2022", locator="12", label="page"), CiteItem("kim2020")],
        ...             "[@buzan2022, p. 12; @kim2020]")
        >>> [item.key for item in cite.items], cite.rendered
        (['buzan2022', 'kim2020'], None)
    """

    items: list[CiteItem]
    source: str = ""
    rendered: list[Inline] | None = None
    pos: Pos | None = _pos()


@dataclass(frozen=True, slots=True)
class Note:
    """A footnote, placed where its marker stands in the text::

        >>> note = Note([Paragraph("Figures are for 2024.")])
        >>> Paragraph(["Trade grew.", note]).content[1] is note
        True
    """

    blocks: list[Block]
    pos: Pos | None = _pos()


RefKind = Literal["sec", "fig", "tbl"]


@dataclass(frozen=True, slots=True)
class Ref:
    """A cross-reference such as ``@sec:intro``, ``@fig:map`` or ``@tbl:trade``.

    `label` is the full label (``sec:intro``); `number` is filled by the numbering transform
    (``"2.1"``, ``"3"``) and stays ``None`` when the label is not defined::

        >>> Ref("fig:map").kind, Ref("tbl:trade").number
        ('fig', None)
    """

    label: str
    number: str | None = None
    pos: Pos | None = _pos()

    @property
    def kind(self) -> RefKind:
        """Return the kind of target, from the label's prefix."""
        prefix = self.label.split(":", 1)[0]
        assert prefix in ("sec", "fig", "tbl"), prefix
        return prefix  # type: ignore[return-value]


Inline = Union[
    Text, Emph, Strong, SmallCaps, Superscript, Subscript, Code, Link, Math, LineBreak,
    Cite, Note, Ref,
]

#: What a constructor takes where the model holds inlines: a ``str`` or a sequence of inlines
#: and strings (``Paragraph("text")``, ``Paragraph(["See ", Ref("fig:map")])``).
InlineText = Union[str, Sequence[Union[Inline, str]]]

# --------------------------------------------------------------------------- blocks


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph of inlines; strings among them become :class:`Text`::

        >>> Paragraph(["See ", Ref("fig:map"), " and ", Emph("this"), "."]).content[3]
        Emph(content=[Text(text='this')])
    """

    content: list[Inline]
    pos: Pos | None = _pos()

    if TYPE_CHECKING:    # __init__ takes a str where inlines go (the module docstring)
        def __init__(self, content: InlineText, *, pos: Pos | None = None) -> None: ...

    def __post_init__(self) -> None:
        _coerce(self, "content")


@dataclass(frozen=True, slots=True)
class BulletList:
    """A bullet list; each item is a list of blocks:
    ``BulletList([[Paragraph("one")], [Paragraph("two")]])``."""

    items: list[list[Block]]
    pos: Pos | None = _pos()


@dataclass(frozen=True, slots=True)
class OrderedList:
    """A numbered list starting at `start`; each item is a list of blocks:
    ``OrderedList([[Paragraph("first")], [Paragraph("second")]], start=3)``."""

    items: list[list[Block]]
    start: int = 1
    pos: Pos | None = _pos()


@dataclass(frozen=True, slots=True)
class BlockQuote:
    """A block quotation."""

    blocks: list[Block]
    pos: Pos | None = _pos()


Align = Literal["left", "center", "right", "default"]


@dataclass(frozen=True, slots=True)
class Table:
    """A table: a header row, body rows, one alignment a column.

    Cells are lists of inlines. `label` (``tbl:trade``) and `number` (filled by the numbering
    transform) make it a cross-reference target; the caption is shown as "Table N: caption".
    Cells, header and caption also take strings; :meth:`from_rows` and :meth:`from_records`
    take Python values::

        >>> table = Table(["Country", "Capital"], [["Kazakhstan", "Astana"]],
        ...               caption="Capitals", label="tbl:capitals")
        >>> table.rows[0][1], table.align
        ([Text(text='Astana')], ['default', 'default'])
    """

    header: list[list[Inline]]
    rows: list[list[list[Inline]]]
    align: list[Align] = field(default_factory=list)
    caption: list[Inline] = field(default_factory=list)
    label: str | None = None
    number: int | None = None
    pos: Pos | None = _pos()

    if TYPE_CHECKING:    # __init__ takes a str where inlines go (the module docstring)
        def __init__(self, header: Sequence[InlineText], rows: Sequence[Sequence[InlineText]],
                     align: Sequence[Align] = (), caption: InlineText = "",
                     label: str | None = None, number: int | None = None, *,
                     pos: Pos | None = None) -> None: ...

    def __post_init__(self) -> None:
        _coerce(self, "caption")
        object.__setattr__(self, "header", [_inlines(c) for c in self.header])
        object.__setattr__(self, "rows", [[_inlines(c) for c in row] for row in self.rows])
        if not self.align:
            object.__setattr__(self, "align", ["default"] * len(self.header))

    @classmethod
    def from_rows(cls, rows: Iterable[Sequence[Any]], header: Sequence[Any] | None = None, *,
                  caption: str | list[Inline] = "", label: str | None = None,
                  align: Sequence[Align] | None = None) -> Table:
        """Return a table of `rows` (sequences of cell values) under `header`.

        Without `header`, the first row is the header. A cell may be a ``str``, a number (shown
        with ``str()``), ``None`` (empty), an inline or a list of inlines. Columns whose
        cells are all numbers are right-aligned unless `align` says otherwise::

            >>> table = Table.from_rows([["Kazakhstan", 19.8], ["Uzbekistan", 36.0]],
            ...                         header=["Country", "Population (m)"], caption="People")
            >>> table.rows[1]
            [[Text(text='Uzbekistan')], [Text(text='36.0')]]
            >>> table.align
            ['default', 'right']
        """
        body = [list(row) for row in rows]
        if header is None:
            if not body:
                raise ValueError("Table.from_rows: no rows and no header")
            header, body = body[0], body[1:]
        width = len(header)
        body = [row + [None] * (width - len(row)) for row in body]
        columns = [[row[i] for row in body] for i in range(width)]
        aligns = list(align) if align is not None else [_column_align(c) for c in columns]
        return cls([_cell(h) for h in header], [[_cell(v) for v in row] for row in body],
                   aligns, _inlines(caption), label)

    @classmethod
    def from_records(cls, records: Iterable[Mapping[str, Any]] | SupportsToDict,
                     columns: Sequence[str] | None = None, *,
                     headers: Mapping[str, str] | None = None,
                     formats: Mapping[str, str | Callable[[Any], str]] | None = None,
                     caption: str | list[Inline] = "", label: str | None = None,
                     align: Sequence[Align] | None = None) -> Table:
        """Return a table with one row per record (a mapping of column name to value).

        `records` is any iterable of dicts (``csv.DictReader``, a list of dicts, a query's
        rows) or an object with a pandas-style ``to_dict("records")`` (a DataFrame).
        `columns` picks and orders the columns (default: every key, in first-seen order);
        `headers` renames them; `formats` formats a column's values with a format string
        (``"{:,.1f}"``) or a function. Number columns are right-aligned::

            >>> rows = [{"country": "Kazakhstan", "trade": 1234.5},
            ...         {"country": "Uzbekistan", "trade": 987.25}]
            >>> table = Table.from_records(rows, headers={"trade": "Trade (US$ m)"},
            ...                            formats={"trade": "{:,.1f}"}, label="tbl:trade")
            >>> [c[0].text for c in table.header], table.rows[0][1]
            (['country', 'Trade (US$ m)'], [Text(text='1,234.5')])
        """
        # a DataFrame iterates over its column names, so ask for its rows first
        rows: Iterable[Mapping[str, Any]]
        if isinstance(records, Iterable) and not callable(getattr(records, "to_dict", None)):
            rows = records
        else:
            rows = cast(SupportsToDict, records).to_dict("records")
        items = [dict(record) for record in rows]
        if columns is None:
            names: dict[str, None] = {}
            for record in items:
                names.update(dict.fromkeys(record))
            columns = list(names)
        headers = headers or {}
        formats = formats or {}
        aligns = list(align) if align is not None else \
            [_column_align([r.get(c) for r in items]) for c in columns]
        return cls([_cell(headers.get(c, c)) for c in columns],
                   [[_cell(r.get(c), formats.get(c)) for c in columns] for r in items],
                   aligns, _inlines(caption), label)


@dataclass(frozen=True, slots=True)
class Figure:
    """An image with a caption. `src` is a path relative to the paper's folder.

    `data`, when given, holds the image bytes (a figure made in code); writers use it instead
    of reading `src`. :meth:`from_bytes` and :meth:`from_path` make one from bytes or a file
    anywhere::

        >>> Figure("map.png", "Central Asia", label="fig:map").caption
        [Text(text='Central Asia')]
    """

    src: str
    caption: list[Inline] = field(default_factory=list)
    alt: str = ""
    label: str | None = None
    number: int | None = None
    data: bytes | None = field(default=None, repr=False)
    pos: Pos | None = _pos()

    if TYPE_CHECKING:    # __init__ takes a str where inlines go (the module docstring)
        def __init__(self, src: str, caption: InlineText = "", alt: str = "",
                     label: str | None = None, number: int | None = None,
                     data: bytes | None = None, *, pos: Pos | None = None) -> None: ...

    def __post_init__(self) -> None:
        _coerce(self, "caption")

    @classmethod
    def from_bytes(cls, data: bytes, caption: str | list[Inline] = "", *,
                   name: str | None = None, alt: str = "", label: str | None = None) -> Figure:
        """Return a figure showing the image `data` (PNG, JPEG, GIF or SVG bytes).

        `name` is the file name the LaTeX output gives the image; by default ``figure`` with
        the extension the bytes' format calls for. A matplotlib figure becomes one with
        ``savefig(buffer, format="png")``::

            >>> png = bytes.fromhex("89504e470d0a1a0a") + bytes(24)   # (a PNG's first bytes)
            >>> Figure.from_bytes(png, "Trade by year", label="fig:trade").src
            'figure.png'
        """
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise TypeError(f"Figure.from_bytes needs bytes, not {type(data).__name__}")
        data = bytes(data)
        return cls(name or f"figure{_image_suffix(data)}", _inlines(caption), alt, label,
                   data=data)

    @classmethod
    def from_path(cls, path: str | Path, caption: str | list[Inline] = "", *,
                  alt: str = "", label: str | None = None) -> Figure:
        """Return a figure showing the image file at `path`, read now.

        Unlike ``Figure(src=...)``, which names a file relative to the paper's folder (and
        must stay inside it), the file is read at once from wherever the code says, so a
        paper made in code needs no folder. A file that cannot be read raises
        :class:`~paperkit.errors.InputError` (PK104)::

            >>> Figure.from_path("no/such.png")
            Traceback (most recent call last):
            ...
            paperkit.errors.InputError: no/such.png: error PK104: image not found: no/such.png ...
        """
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            from .errors import InputError      # the model imports nothing at module level

            raise InputError.make("PK104", Pos(str(path), 0), what="image", path=str(path),
                                  hint=f" ({exc.strerror or exc})") from None
        return cls(Path(path).name, _inlines(caption), alt, label, data=data)


@dataclass(frozen=True, slots=True)
class CodeBlock:
    """A block of code, shown verbatim in the monospace font."""

    text: str
    language: str = ""
    pos: Pos | None = _pos()


@dataclass(frozen=True, slots=True)
class MathBlock:
    """Display math in TeX notation, without the ``$$``."""

    tex: str
    pos: Pos | None = _pos()


@dataclass(frozen=True, slots=True)
class ThematicBreak:
    """A thematic break (horizontal rule)."""

    pos: Pos | None = _pos()


Block = Union[
    Paragraph, BulletList, OrderedList, BlockQuote, Table, Figure, CodeBlock, MathBlock,
    ThematicBreak,
]

# --------------------------------------------------------------------------- structure


@dataclass(frozen=True, slots=True)
class Section:
    """A headed section: its blocks, then its subsections.

    `level` is 1 for a top-level heading. `number` ("2.1") is filled by the numbering
    transform unless `numbered` is false (a heading written ``# Title {-}``). `label` is the
    cross-reference id (``sec:intro``); the numbering transform gives every section one::

        >>> section = Section("Data", blocks=[Paragraph("Sources first.")],
        ...                   subsections=[Section("Sources", level=2)], label="sec:data")
        >>> section.title, section.subsections[0].level
        ([Text(text='Data')], 2)
    """

    title: list[Inline]
    level: int = 1
    blocks: list[Block] = field(default_factory=list)
    subsections: list[Section] = field(default_factory=list)
    number: str | None = None
    label: str | None = None
    numbered: bool = True
    pos: Pos | None = _pos()

    if TYPE_CHECKING:    # __init__ takes a str where inlines go (the module docstring)
        def __init__(self, title: InlineText, level: int = 1, blocks: list[Block] = ...,
                     subsections: list[Section] = ..., number: str | None = None,
                     label: str | None = None, numbered: bool = True, *,
                     pos: Pos | None = None) -> None: ...

    def __post_init__(self) -> None:
        _coerce(self, "title")


@dataclass(frozen=True, slots=True)
class Author:
    """An author with optional affiliation, e-mail and ORCID; a ``Paper`` also takes a name
    alone: ``Paper(authors=["Ada Lovelace", Author("C. Babbage", "Cambridge")])``."""

    name: str
    affiliation: str | None = None
    email: str | None = None
    orcid: str | None = None


@dataclass(frozen=True, slots=True)
class WordLimit:
    """A word limit: a range (`min`, `max`) and/or a `target` with a `tolerance` (a fraction).

    ``WordLimit(target=1500, tolerance=0.1)`` accepts 1,350 to 1,650 words.
    """

    min: int | None = None
    max: int | None = None
    target: int | None = None
    tolerance: float = 0.0
    pos: Pos | None = _pos()

    def bounds(self) -> tuple[int | None, int | None]:
        """Return the (lowest, highest) word counts this limit accepts; ``None`` is open."""
        low, high = self.min, self.max
        if self.target is not None:
            slack = round(self.target * self.tolerance)
            t_low, t_high = self.target - slack, self.target + slack
            low = t_low if low is None else max(low, t_low)
            high = t_high if high is None else min(high, t_high)
        return low, high


@dataclass(frozen=True, slots=True)
class Limits:
    """The word limits of a paper. `count` names the categories the main-text limit covers::

        >>> limits = Limits(words=WordLimit(target=1500, tolerance=0.1),
        ...                 sections={"Introduction": WordLimit(max=300)})
        >>> limits.words.bounds(), limits.count
        ((1350, 1650), ('headings', 'body'))
    """

    words: WordLimit | None = None
    abstract: WordLimit | None = None
    notes: WordLimit | None = None
    sections: dict[str, WordLimit] = field(default_factory=dict)
    count: tuple[str, ...] = ("headings", "body")


@dataclass(frozen=True, slots=True)
class Reference:
    """A bibliography entry as CSL-JSON-shaped data: `type` is a CSL type, `fields` CSL variables.

    Names are lists of ``{"family": .., "given": ..}`` or ``{"literal": ..}``; dates are
    ``{"date-parts": [[2022, 5]]}``; other values are strings. :meth:`from_csl` reads a
    CSL-JSON dict in any of the shapes Zotero exports::

        >>> Reference("buzan2022", "book", {"title": "Security", "issued":
        ...     {"date-parts": [[2022]]}, "author": [{"family": "Buzan", "given": "B."}]}).type
        'book'
    """

    key: str
    type: str
    fields: dict[str, Any] = field(default_factory=dict)
    pos: Pos | None = _pos()

    @classmethod
    def from_csl(cls, item: Mapping[str, Any]) -> Reference:
        """Return the reference described by the CSL-JSON item `item` (a Zotero-style dict).

        The key is ``id`` (or ``citation-key``); names may be dicts or plain strings, dates
        ``{"date-parts": ...}``, ``"2020-05"`` or a year; numbers become strings. An item
        without an id raises :class:`~paperkit.errors.InputError` (PK109)::

            >>> ref = Reference.from_csl({"id": "buzan2003", "type": "book",
            ...     "author": [{"family": "Buzan", "given": "Barry"}],
            ...     "title": "Regions and Powers", "issued": 2003})
            >>> ref.key, ref.fields["issued"]
            ('buzan2003', {'date-parts': [[2003]]})
        """
        from .api import references_from_csl   # lazily: the model imports nothing at load

        return references_from_csl([item])[0]


@dataclass(frozen=True, slots=True)
class BibEntry:
    """One formatted entry of the reference list (filled by the citation transform)."""

    key: str
    content: list[Inline]


@dataclass(frozen=True, slots=True)
class Paper:
    """A whole paper: metadata, front matter, body sections and references.

    `blocks` holds any content before the first heading. `bibliography` is the formatted
    reference list, filled by the citation transform; writers put it at the end under the
    template's references heading. `source_dir` is where relative image paths resolve.
    `findings` holds the diagnostics found while reading the sources (an unused footnote, a
    duplicate BibTeX key), so that checking the paper later still reports them.

    Made in code, a paper needs only what it shows; `name` names its output folder::

        >>> paper = Paper(title="Notes", authors=["Ada Lovelace"], name="notes",
        ...               sections=[Section("Introduction", blocks=[Paragraph("Hi.")])])
        >>> paper.title, paper.authors[0].name, paper.source_file
        ([Text(text='Notes')], 'Ada Lovelace', '<memory>')
    """

    title: list[Inline] = field(default_factory=list)
    subtitle: list[Inline] = field(default_factory=list)
    authors: list[Author] = field(default_factory=list)
    date: str = ""
    abstract: list[Block] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    lang: str = "en-US"
    sections: list[Section] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    csl: str | None = None
    template: str | None = None
    link_citations: bool = True
    number_sections: bool = True
    toc: bool = False
    #: how the LaTeX writer prints citations: "rendered" text or "biblatex" commands (None:
    #: as BuildOptions say, else rendered)
    latex_citations: str | None = None
    nocite: list[str] = field(default_factory=list)
    limits: Limits = field(default_factory=Limits)
    bibliography: list[BibEntry] | None = None
    source_dir: str = "."
    source_file: str = "<memory>"
    name: str = "paper"
    findings: list[Any] = field(default_factory=list, compare=False, repr=False)
    pos: Pos | None = _pos()

    if TYPE_CHECKING:    # __init__ takes a str where inlines go (the module docstring)
        def __init__(self, title: InlineText = "", subtitle: InlineText = "",
                     authors: Sequence[Author | str] = (), date: str = "",
                     abstract: list[Block] = ..., keywords: list[str] = ...,
                     lang: str = "en-US", sections: list[Section] = ...,
                     blocks: list[Block] = ...,
                     references: list[Reference] = ..., csl: str | None = None,
                     template: str | None = None, link_citations: bool = True,
                     number_sections: bool = True, toc: bool = False,
                     latex_citations: str | None = None,
                     nocite: list[str] = ..., limits: Limits = ...,
                     bibliography: list[BibEntry] | None = None,
                     source_dir: str = ".", source_file: str = "<memory>",
                     name: str = "paper", findings: list[Any] = ..., *,
                     pos: Pos | None = None) -> None: ...

    def __post_init__(self) -> None:
        _coerce(self, "title", "subtitle")
        object.__setattr__(
            self, "authors", [Author(a) if isinstance(a, str) else a for a in self.authors]
        )
