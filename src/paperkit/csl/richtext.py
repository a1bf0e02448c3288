"""Rich text: what the CSL engine renders to, and what CSL-JSON fields may hold.

A rich text is a list of pieces; a piece is a ``str`` or a :class:`Span` (a kind, its
children, and for links and divs an argument). The kinds are those of CSL-JSON's in-field
markup (``<i>``, ``<b>``, ``<sc>``, ``<sup>``, ``<sub>``, ``<span class="nocase">``, quotes)
plus what styles add: ``normal`` (font-style normal), ``underline``, ``nodecor``,
``baseline``, ``div`` (display) and ``link``, and what the processor marks: ``item`` (one
cite, its argument the work's id) and ``affix`` (a cite's own prefix or suffix). Italics,
bold and small caps "flip-flop": inside an italic span, italic prints as roman; the
printers (:mod:`~paperkit.csl.html`, ``transforms.csl_richtext``) resolve that.

Functions here are small and allocation-light: the engine calls them for every piece of
every entry.
"""

from __future__ import annotations

from typing import Any

from collections.abc import Callable, Iterator

__all__ = ["Span", "Rich", "plain", "first_char", "last_char",
           "drop_start", "drop_end", "map_text", "concat", "fix_punct", "add_delimiters",
           "quotes_inside", "is_empty"]


class Span:
    """A formatted run: `kind` is one of :data:`KINDS`; `arg` is a link target or div class."""

    __slots__ = ("kind", "children", "arg")

    def __init__(self, kind: str, children: list[str | Span], arg: str = "") -> None:
        self.kind = kind
        self.children = children
        self.arg = arg

    def __repr__(self) -> str:
        return f"Span({self.kind!r}, {self.children!r}{', ' + repr(self.arg) if self.arg else ''})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Span) and self.kind == other.kind and \
            self.arg == other.arg and self.children == other.children

    __hash__ = None  # type: ignore[assignment]


#: A rich text: a list of pieces, each a str or a Span.
Rich = list[Any]

KINDS = frozenset({"italic", "normal", "bold", "underline", "nodecor", "smallcaps",
                   "baseline", "sup", "sub", "nocase", "quoted", "div", "link"})


def plain(rich: list[Any]) -> str:
    """Return the text of `rich` without formatting (quotes not added)."""
    if len(rich) == 1 and isinstance(rich[0], str):
        return rich[0]
    out: list[str] = []
    _plain(rich, out)
    return "".join(out)


def _plain(rich: list[Any], out: list[str]) -> None:
    for piece in rich:
        if isinstance(piece, str):
            out.append(piece)
        else:
            _plain(piece.children, out)


def is_empty(rich: list[Any]) -> bool:
    """Return whether `rich` holds no text."""
    for piece in rich:
        if isinstance(piece, str):
            if piece:
                return False
        elif not is_empty(piece.children):
            return False
    return True


def first_char(rich: list[Any]) -> str:
    """Return the first character of `rich`'s text ("" if none)."""
    for piece in rich:
        if isinstance(piece, str):
            if piece:
                return piece[0]
        else:
            found = first_char(piece.children)
            if found:
                return found
    return ""


def last_char(rich: list[Any]) -> str:
    """Return the last character of `rich`'s text ("" if none)."""
    for piece in reversed(rich):
        if isinstance(piece, str):
            if piece:
                return piece[-1]
        else:
            found = last_char(piece.children)
            if found:
                return found
    return ""


def drop_start(rich: Rich, pred: Callable[[str], bool]) -> Rich:
    """Return `rich` without the leading characters `pred` accepts (in its first text)."""
    out = list(rich)
    for index, piece in enumerate(out):
        if isinstance(piece, str):
            if not piece:
                continue
            stripped = _lstrip(piece, pred)
            out[index] = stripped
            if stripped:
                return out
            continue
        inner = drop_start(piece.children, pred)
        out[index] = Span(piece.kind, inner, piece.arg)
        if not is_empty(inner):
            return out
    return out


def drop_end(rich: Rich, pred: Callable[[str], bool]) -> Rich:
    """Return `rich` without the trailing characters `pred` accepts."""
    out = list(rich)
    for index in range(len(out) - 1, -1, -1):
        piece = out[index]
        if isinstance(piece, str):
            if not piece:
                continue
            stripped = _rstrip(piece, pred)
            out[index] = stripped
            if stripped:
                return out
            continue
        inner = drop_end(piece.children, pred)
        out[index] = Span(piece.kind, inner, piece.arg)
        if not is_empty(inner):
            return out
    return out


def _lstrip(text: str, pred: Callable[[str], bool]) -> str:
    index = 0
    while index < len(text) and pred(text[index]):
        index += 1
    return text[index:]


def _rstrip(text: str, pred: Callable[[str], bool]) -> str:
    index = len(text)
    while index > 0 and pred(text[index - 1]):
        index -= 1
    return text[:index]


def map_text(rich: Rich, fn: Callable[[str], str]) -> Rich:
    """Return `rich` with `fn` applied to every text."""
    return [fn(p) if isinstance(p, str) else Span(p.kind, map_text(p.children, fn), p.arg)
            for p in rich]


def concat(parts: list[list[Any]]) -> list[Any]:
    """Return the rich texts `parts` joined (adjacent strings merged)."""
    out: list[Any] = []
    for part in parts:
        for piece in part:
            if isinstance(piece, str):
                if not piece:
                    continue
                if out and isinstance(out[-1], str):
                    out[-1] = out[-1] + piece
                    continue
            out.append(piece)
    return out


def add_delimiters(parts: list[list[Any]], delimiter: list[Any]) -> list[list[Any]]:
    """Return `parts` with `delimiter` between them (not before a part that starts with
    ``,``, ``;`` or ``.``)."""
    if len(parts) < 2:
        return parts
    out = [parts[0]]
    for part in parts[1:]:
        if first_char(part) not in (",", ";", "."):
            out.append(delimiter)
        out.append(part)
    return out


# What to do where two pieces meet (citeproc-js's punctuation table): 1 = keep the first
# mark, 2 = keep the second, absent = keep both.
_COLLISIONS: dict[tuple[str, str], int] = {
    ("!", "."): 1, ("!", ":"): 1, ("?", "."): 1, ("?", ":"): 1,
    (":", "!"): 2, (":", "?"): 2, (":", "."): 1,
    (";", "!"): 2, (";", "?"): 2, (";", ":"): 1, (";", "."): 1,
    ("!", "!"): 1, ("?", "?"): 1, (".", "."): 1, (":", ":"): 1, (";", ";"): 1,
    (",", ","): 1, (" ", " "): 2, (" ", ","): 2, (" ", "."): 2,
}
_SECOND_MARKS = frozenset(second for _, second in _COLLISIONS)
_QUOTE_LIKE = frozenset("\"'\u201d\u2019\u00bb\u203a")


def fix_punct(parts: list[list[Any]]) -> list[list[Any]]:
    """Return `parts` with doubled punctuation removed where one part meets the next.

    "Title." followed by ". " keeps one period; "?" followed by "." keeps the question
    mark; a space meeting a space keeps one.
    """
    if len(parts) < 2:
        return parts
    out = list(parts)
    index = 0
    while index < len(out) - 1:
        x, y = out[index], out[index + 1]
        y_start = first_char(y)
        if y_start not in _SECOND_MARKS:
            # no rule has this second mark (most parts start with a letter): skip the
            # search for the first part's last character
            index += 1
            continue
        x_last = last_char(x)
        if not x_last:
            index += 1
            continue
        x_end = x_last
        if y_start == ".":
            before = _terminal_before_quote(plain(x))
            if before:
                x_end = before
        rule = _COLLISIONS.get((x_end, y_start))
        if rule == 1:
            trimmed = drop_start(y, lambda c: c == y_start)
            if _same(trimmed, y):
                index += 1
            else:
                out[index + 1] = trimmed
            continue
        if rule == 2:
            trimmed = drop_end(x, lambda c: c == x_end)
            if _same(trimmed, x):
                index += 1
            else:
                out[index] = trimmed
            continue
        index += 1
    return out


def _same(a: list[Any], b: list[Any]) -> bool:
    return plain(a) == plain(b)


def _terminal_before_quote(text: str) -> str:
    trimmed = text.rstrip()
    if not trimmed or trimmed[-1] not in _QUOTE_LIKE:
        return ""
    inner = trimmed.rstrip("".join(_QUOTE_LIKE) + " ")
    return inner[-1:] if inner else ""


def quotes_inside(rich: list[Any]) -> list[Any]:
    """Return `rich` with a period or comma that follows a quoted run moved inside it.

    American usage (the locale's ``punctuation-in-quote``): “Title,” not “Title”,. The
    mark goes into the innermost quotation that ends there (“This is ‘The One.’”), also
    through formatting around it (*“Book A.”*).
    """
    # a cite's own prefix or suffix ("affix") is the author's text: left as written
    out: list[Any] = [p if isinstance(p, str) or p.kind == "affix" else
                 Span(p.kind, quotes_inside(p.children), p.arg) for p in rich]
    index = 0
    while index < len(out) - 1:
        piece, nxt = out[index], out[index + 1]
        if isinstance(piece, Span) and isinstance(nxt, Span) and nxt.kind == "affix" and \
                nxt.children and isinstance(nxt.children[0], str) and \
                nxt.children[0][:1] in (".", ",") and _ends_in_quote(piece):
            # a cite suffix's leading comma still goes inside the quotes before it
            out[index] = _put_last(piece, nxt.children[0][0])
            out[index + 1] = Span("affix", [nxt.children[0][1:], *nxt.children[1:]])
        elif isinstance(piece, Span) and isinstance(nxt, str) and nxt[:1] in (".", ","):
            if _ends_in_quote(piece):
                out[index] = _put_last(piece, nxt[0])
                out[index + 1] = nxt[1:]
            elif _quote_end(piece) in ("?", "!"):
                out[index + 1] = nxt[1:]  # “Lives?” then a comma: the comma goes
        index += 1
    return [p for p in out if p != ""]


def _ends_in_quote(span: Span) -> bool:
    if span.kind == "quoted":
        # “Lives?” keeps its question mark alone (pandoc drops a comma after it)
        return last_char(span.children) not in (".", ",", "?", "!")
    if span.children and isinstance(span.children[-1], Span):
        return _ends_in_quote(span.children[-1])
    return False


def _quote_end(span: Span) -> str:
    """Return the last character inside the quotation `span` ends with ("" if none)."""
    if span.kind == "quoted":
        return last_char(span.children)
    if span.children and isinstance(span.children[-1], Span):
        return _quote_end(span.children[-1])
    return ""


def _put_last(span: Span, mark: str) -> Span:
    """Return `span` with `mark` added inside its innermost trailing quotation."""
    children = list(span.children)
    last = children[-1] if children else None
    if isinstance(last, Span) and _ends_in_quote(last):
        children[-1] = _put_last(last, mark)
    else:
        children = concat([children, [mark]])
    return Span(span.kind, children, span.arg)


def iter_text(rich: list[Any]) -> Iterator[str]:
    """Yield the texts of `rich` in order."""
    for piece in rich:
        if isinstance(piece, str):
            yield piece
        else:
            yield from iter_text(piece.children)
