"""The CSL engine's rich text as model inlines, and web addresses made into links.

:func:`rich_to_inlines` is the one place engine output is interpreted: italics, bold,
small caps, superscripts and subscripts become Emph, Strong, SmallCaps, Superscript and
Subscript ("flip-flopping": italics inside italics print upright, so they are unwrapped);
quoted runs get the locale's quotation marks (inner ones inside outer ones); each cite's
run becomes a link to its reference-list entry through the `link` callback. Writers never
see markup.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import re
from collections.abc import Callable

from ..model import Emph, Inline, Link, SmallCaps, Strong, Subscript, Superscript, Text

__all__ = ["rich_to_inlines", "link_urls"]

if TYPE_CHECKING:
    from ..csl.richtext import Span

LinkFn = Callable[[str, list[Inline]], list[Inline]]


def rich_to_inlines(rich: list[Any], quotes: tuple[str, str, str, str] = (
        "\u201c", "\u201d", "\u2018", "\u2019"), link: LinkFn | None = None) -> list[Inline]:
    """Return the model inlines of engine rich text `rich`."""
    # imported here: the CSL engine's package loads only when a citation is rendered
    from ..csl.richtext import Span
    out: list[Inline] = []
    _Converter(Span, quotes, link).convert(rich, out, True, False, False, False)
    return out


class _Converter:
    """One conversion: the engine's span class, the quotation marks and the link callback."""

    __slots__ = ("span", "quotes", "link")

    def __init__(self, span: type[Span], quotes: tuple[str, str, str, str],
                 link: LinkFn | None) -> None:
        self.span, self.quotes, self.link = span, quotes, link

    def convert(self, rich: list[Any], out: list[Inline], outer: bool, italic: bool,
                bold: bool, caps: bool) -> None:
        """Append the inlines of `rich` to `out`, inside the given quoting and formatting."""
        for piece in rich:
            if isinstance(piece, str):
                _append(out, Text(piece))
                continue
            assert isinstance(piece, self.span)
            kind = piece.kind
            inner: list[Inline] = []
            # the flags inside: each kind flips or clears its own
            self.convert(piece.children, inner, not outer if kind == "quoted" else outer,
                         not italic if kind == "italic" else False if kind == "normal"
                         else italic,
                         not bold if kind == "bold" else bold,
                         not caps if kind == "smallcaps" else caps)
            if kind == "italic" and not italic:
                _append(out, Emph(inner)) if inner else None
            elif kind == "bold" and not bold:
                _append(out, Strong(inner)) if inner else None
            elif kind == "smallcaps" and not caps:
                _append(out, SmallCaps(inner)) if inner else None
            elif kind == "sup":
                _append(out, Superscript(inner)) if inner else None
            elif kind == "sub":
                _append(out, Subscript(inner)) if inner else None
            elif kind == "quoted":
                quotes = self.quotes
                _append(out, Text(quotes[0] if outer else quotes[2]))
                for node in inner:
                    _append(out, node)
                _append(out, Text(quotes[1] if outer else quotes[3]))
            elif kind == "link":
                _append(out, Link(inner, piece.arg))
            elif kind == "item" and self.link is not None:
                for node in self.link(piece.arg, inner):
                    _append(out, node)
            elif kind == "div" and piece.arg == "left-margin":
                for node in inner:
                    _append(out, node)
                if inner and not _ends_with_space(inner):
                    _append(out, Text(" "))
            else:  # nocase, nodecor, underline, baseline, flip-flopped runs, other divs
                for node in inner:
                    _append(out, node)


def _ends_with_space(inlines: list[Inline]) -> bool:
    last = inlines[-1]
    return isinstance(last, Text) and last.text[-1:].isspace()


def _append(target: list[Inline], node: Inline) -> None:
    if isinstance(node, Text):
        if not node.text:
            return
        if target and isinstance(target[-1], Text):
            target[-1] = Text(target[-1].text + node.text)
            return
    target.append(node)


_URL = re.compile(r"https?://[^\s<>\"\u00a0]+")
_TRAILING = ".,;:)]}'\u201d"


def link_urls(inlines: list[Inline], *, doi: str | None = None,
              url: str | None = None) -> list[Inline]:
    """Return `inlines` with web addresses in their text made into :class:`Link` nodes.

    A printed URL links to itself (trailing punctuation left outside unless `url`, the
    reference's own address, includes it); a bare `doi` (IEEE prints "doi: 10.1000/x")
    links to ``https://doi.org/<doi>``. Emphasised text is searched too.
    """
    out: list[Inline] = []
    for node in inlines:
        match node:
            case Text(text=text):
                for piece in _link_text(text, doi, url):
                    _append(out, piece)
            case Emph(content=c):
                out.append(Emph(link_urls(c, doi=doi, url=url)))
            case Strong(content=c):
                out.append(Strong(link_urls(c, doi=doi, url=url)))
            case SmallCaps(content=c):
                out.append(SmallCaps(link_urls(c, doi=doi, url=url)))
            case _:
                out.append(node)
    return out


def _link_text(text: str, doi: str | None, url: str | None) -> list[Inline]:
    spans: list[tuple[int, int, str]] = []
    for match in _URL.finditer(text):
        start, end = match.span()
        found = match.group(0)
        if url and text.startswith(url, start) and len(url) >= len(found.rstrip(_TRAILING)):
            end = start + len(url)
        else:
            while end > start and text[end - 1] in _TRAILING:
                end -= 1
        spans.append((start, end, text[start:end]))
    if doi:
        at = text.find(doi)
        while at >= 0:
            if not any(s <= at < e for s, e, _ in spans):
                spans.append((at, at + len(doi), f"https://doi.org/{doi}"))
            at = text.find(doi, at + len(doi))
    if not spans:
        return [Text(text)]
    spans.sort()
    pieces: list[Inline] = []
    position = 0
    for start, end, target in spans:
        if start < position:
            continue
        if start > position:
            pieces.append(Text(text[position:start]))
        pieces.append(Link([Text(text[start:end])], target))
        position = end
    if position < len(text):
        pieces.append(Text(text[position:]))
    return pieces
