"""The engine's intermediate output: formatted groups, literals and tags, and their rendering.

Evaluating a style element gives an output node (or None for nothing):

- :class:`Lit`: rich text (a variable's value, a term);
- :class:`Fmt`: children with a :class:`Formatting` (affixes, delimiter, fonts, case,
  quotes, display);
- :class:`Tag`: a child marked for the citation-level passes (a name list, a date, a
  year suffix, a citation number, an item).

:func:`render` turns a node into rich text: delimiters go between non-empty children,
punctuation is de-duplicated where pieces meet (citeproc-js's table, see
:func:`~paperkit.csl.richtext.fix_punct`), then the formatting applies (text case before
fonts, affixes outside quotes).
"""

from __future__ import annotations

from typing import Any

from .markup import parse_markup
from .richtext import (Span, add_delimiters, concat, drop_start, fix_punct, is_empty,
                       map_text, plain)
from .textcase import apply_case

__all__ = ["Formatting", "EMPTY", "Lit", "Fmt", "Tag", "render", "formatted", "text_of",
           "affixes"]


class Formatting:
    """The formatting attributes of one style element (all optional)."""

    __slots__ = ("prefix", "suffix", "delimiter", "font_style", "font_variant",
                 "font_weight", "text_decoration", "vertical_align", "text_case", "display",
                 "quotes", "strip_periods", "affixes_inside", "is_empty", "prefix_text",
                 "suffix_text", "styled")

    def __init__(self, prefix: str = "", suffix: str = "", delimiter: str | None = None,
                 font_style: str = "", font_variant: str = "", font_weight: str = "",
                 text_decoration: str = "", vertical_align: str = "", text_case: str = "",
                 display: str = "", quotes: bool = False, strip_periods: bool = False,
                 affixes_inside: bool = False) -> None:
        self.prefix = parse_markup(prefix) if prefix else []
        self.suffix = parse_markup(suffix) if suffix else []
        self.prefix_text = prefix
        self.suffix_text = suffix
        self.delimiter = (parse_markup(delimiter) if delimiter else [""]) \
            if delimiter is not None else None
        self.font_style = font_style
        self.font_variant = font_variant
        self.font_weight = font_weight
        self.text_decoration = text_decoration
        self.vertical_align = vertical_align
        self.text_case = text_case
        self.display = display
        self.quotes = quotes
        self.strip_periods = strip_periods
        self.affixes_inside = affixes_inside
        self.is_empty = not (prefix or suffix or delimiter or font_style or font_variant or
                             font_weight or text_decoration or vertical_align or text_case
                             or display or quotes or strip_periods)
        self.styled = _styled(self)

    @classmethod
    def from_attrs(cls, attrs: dict[str, str], *, delimiter: bool = False) -> Formatting:
        """Return the formatting given by an element's attributes."""
        get = attrs.get
        return cls(prefix=get("prefix", ""), suffix=get("suffix", ""),
                   delimiter=get("delimiter") if delimiter else None,
                   font_style=get("font-style", ""), font_variant=get("font-variant", ""),
                   font_weight=get("font-weight", ""),
                   text_decoration=get("text-decoration", ""),
                   vertical_align=get("vertical-align", ""), text_case=get("text-case", ""),
                   display=get("display", ""), quotes=get("quotes") == "true",
                   strip_periods=get("strip-periods") == "true")

    def replace(self, **changes: object) -> Formatting:
        """Return a copy with `changes` (prefix/suffix/delimiter given as text)."""
        new = Formatting.__new__(Formatting)
        for slot in Formatting.__slots__:
            setattr(new, slot, getattr(self, slot))
        for key, value in changes.items():
            if key in ("prefix", "suffix"):
                text = str(value or "")
                setattr(new, key, parse_markup(text) if text else [])
                setattr(new, key + "_text", text)
            elif key == "delimiter":
                new.delimiter = None if value is None else (parse_markup(str(value)) or [""])
            else:
                setattr(new, key, value)
        new.is_empty = not (new.prefix or new.suffix or new.delimiter or new.font_style or
                            new.font_variant or new.font_weight or new.text_decoration or
                            new.vertical_align or new.text_case or new.display or
                            new.quotes or new.strip_periods)
        new.styled = _styled(new)
        return new

    def __repr__(self) -> str:
        fields = {s: getattr(self, s) for s in self.__slots__
                  if getattr(self, s) and s not in ("is_empty", "prefix", "suffix")}
        return f"Formatting({fields})"


def _styled(f: Formatting) -> bool:
    """Return whether `f` does more to its text than add affixes (see add_formatting)."""
    return bool(f.strip_periods or f.affixes_inside or f.font_style or f.text_case or
                f.font_variant or f.font_weight or f.text_decoration or f.vertical_align or
                f.quotes or f.display)


EMPTY = Formatting()


class Lit:
    """Rich text as output."""

    __slots__ = ("rich",)

    def __init__(self, rich: list[Any]) -> None:
        self.rich = rich

    def __repr__(self) -> str:
        return f"Lit({self.rich!r})"


class Fmt:
    """Children under one formatting."""

    __slots__ = ("f", "items")

    def __init__(self, f: Formatting, items: list[Any]) -> None:
        self.f = f
        self.items = items

    def __repr__(self) -> str:
        return f"Fmt({self.f!r}, {self.items!r})"


class Tag:
    """A child marked with `kind` and `value` for the citation-level passes.

    Kinds: ``names`` (value: (variable, names)), ``name`` (a Name), ``date`` (a Date),
    ``year-suffix`` (int), ``citation-number`` (int), ``term``, ``item`` (value:
    (mode, id)), ``title``, ``locator``.
    """

    __slots__ = ("kind", "value", "child")

    def __init__(self, kind: str, value: Any, child: object) -> None:
        self.kind = kind
        self.value = value
        self.child = child

    def __repr__(self) -> str:
        return f"Tag({self.kind!r}, {self.value!r}, {self.child!r})"


def formatted(f: Formatting, items: list[Any]) -> object:
    """Return `items` under `f`: None when empty, the item itself when `f` adds nothing."""
    if None in items:  # the callers' lists seldom hold None: copy only when one does
        items = [i for i in items if i is not None]
    if not items:
        return None
    if len(items) == 1 and f.is_empty:
        return items[0]
    return Fmt(f, items)


def text_of(node: object) -> str:
    """Return the plain text `node` renders to."""
    return plain(render(node))


def render(node: object, marks: bool = False) -> list[Any]:
    """Return the rich text of output `node`.

    With `marks`, each cite's text is wrapped in a ``Span("item", ..., id)`` (for links
    from citations to their entries).
    """
    # exact type tests first: this runs once per output node (~90,000 times for 2,000
    # citations and 500 entries), and isinstance chains cost more than the work here
    if type(node) is Lit:
        return node.rich
    if isinstance(node, Fmt):
        f: Formatting = node.f
        parts = []
        for item in node.items:
            if item is not None:
                rich = item.rich if type(item) is Lit else render(item, marks)
                if rich:
                    parts.append(rich)
        if not parts:
            return []
        if len(parts) == 1:
            rich = parts[0]
        else:
            if f.delimiter is not None:
                parts = add_delimiters(parts, f.delimiter)
            rich = concat(fix_punct(parts))
        return rich if f.is_empty else add_formatting(f, rich)
    if isinstance(node, Tag):
        if marks and node.kind == "item":
            inner = render(node.child, marks)
            return [Span("item", inner, node.value[1])] if inner else []
        return render(node.child, marks)
    if node is None:
        return []
    if isinstance(node, list):
        return render(Fmt(EMPTY, node), marks)
    if isinstance(node, Lit):
        return node.rich
    raise TypeError(f"not an output node: {node!r}")


_AFFIXES: dict[tuple[str, str], Formatting] = {}


def affixes(prefix: str = "", suffix: str = "") -> Formatting:
    """Return a (shared) formatting with just these affixes."""
    key = (prefix, suffix)
    found = _AFFIXES.get(key)
    if found is None:
        found = _AFFIXES[key] = Formatting(prefix=prefix, suffix=suffix)
    return found


def add_formatting(f: Formatting, rich: list[Any]) -> list[Any]:
    """Return `rich` with the formatting `f` applied (nothing for empty text)."""
    if is_empty(rich):
        return []
    if not f.styled:  # most formattings only add affixes: skip the tests below
        return _affix(f, rich)
    if f.strip_periods:
        rich = map_text(rich, lambda t: t.replace(".", ""))
    if f.affixes_inside:
        rich = _affix(f, rich)
    if f.font_style in ("italic", "oblique"):
        rich = [Span("italic", rich)]
    elif f.font_style == "normal":
        rich = [Span("normal", rich)]
    if f.text_case:
        rich = apply_case(rich, f.text_case)
    if f.font_variant == "small-caps":
        rich = [Span("smallcaps", rich)]
    if f.font_weight == "bold":
        rich = [Span("bold", rich)]
    if f.text_decoration == "underline":
        rich = [Span("underline", rich)]
    elif f.text_decoration == "none":
        rich = [Span("nodecor", rich)]
    if f.vertical_align == "sup":
        rich = [Span("sup", rich)]
    elif f.vertical_align == "sub":
        rich = [Span("sub", rich)]
    elif f.vertical_align == "baseline":
        rich = [Span("baseline", rich)]
    if f.quotes:
        rich = [Span("quoted", rich)]
    if not f.affixes_inside:
        rich = _affix(f, rich)
    if f.display:
        rich = [Span("div", rich, f.display)]
    return rich


def _affix(f: Formatting, rich: list[Any]) -> list[Any]:
    if f.prefix:
        rich = concat(fix_punct([f.prefix, rich]))
    if f.suffix:
        rich = concat(fix_punct([rich, f.suffix]))
    return rich


def in_note(rich: list[Any]) -> list[Any]:
    """Return `rich` as a footnote's text starts: no leading punctuation or space."""
    return drop_start(drop_start(rich, lambda c: c in ",;.:"), str.isspace)
