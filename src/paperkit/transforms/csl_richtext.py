"""citeproc-py output to model inlines: the one place citation markup is interpreted.

citeproc-py renders through a *formatter*. Its HTML formatter escapes only some text (the
``&`` it inserts becomes ``&amp;`` while a title's ``R&D <x>`` passes raw), so its output
cannot be parsed back reliably. paperkit gives citeproc-py :data:`MARKUP` instead: a
formatter that leaves text untouched and wraps formatted runs in private-use characters
(U+E000..U+E00F), which no bibliography text carries (:func:`clean_text` strips them from
the input). :func:`to_inlines` turns the result into Emph, Strong, SmallCaps, Superscript,
Subscript and Text. Writers never see markup.
"""

from __future__ import annotations

import re
from types import SimpleNamespace

from ..model import Emph, Inline, Link, SmallCaps, Strong, Subscript, Superscript, Text

__all__ = ["MARKUP", "OTHERS_MARK", "clean_text", "to_inlines", "link_urls",
           "replace_others", "tidy_seams", "first_text_char", "last_text_char", "strip_markup"]

_ITALIC, _BOLD, _SUP, _SUB, _SMALLCAPS, _PLAIN = "\ue000", "\ue001", "\ue002", "\ue003", \
    "\ue004", "\ue005"
_CLOSE = "\ue00f"
#: Stands for BibTeX's ``and others`` in a name list (see :func:`replace_others`).
OTHERS_MARK = "\ue010"
_MARKS = re.compile("[\ue000-\ue010]")
_OPEN_ANY = "[\ue000-\ue005]"


def _wrapper(mark: str) -> type:
    """Return a ``str`` subclass that wraps its text in `mark` .. close mark."""

    class Wrapped(str):
        def __new__(cls, text: object) -> Wrapped:
            return super().__new__(cls, f"{mark}{text}{_CLOSE}")

    return Wrapped


#: The citeproc-py formatter paperkit renders with (the interface of ``citeproc.formatter.html``).
MARKUP = SimpleNamespace(
    preformat=lambda text: str(text),
    Italic=_wrapper(_ITALIC), Oblique=_wrapper(_ITALIC), Bold=_wrapper(_BOLD),
    # Light and underline have no model node: their text stays plain
    Light=_wrapper(_PLAIN), Underline=_wrapper(_PLAIN),
    Superscript=_wrapper(_SUP), Subscript=_wrapper(_SUB), SmallCaps=_wrapper(_SMALLCAPS),
)

_NODES = {_ITALIC: Emph, _BOLD: Strong, _SUP: Superscript, _SUB: Subscript,
          _SMALLCAPS: SmallCaps}


def clean_text(text: str) -> str:
    """Return `text` without the private-use characters :data:`MARKUP` uses as marks."""
    return _MARKS.sub("", text)


def strip_markup(marked: str) -> str:
    """Return the plain text of the formatter output `marked`."""
    return _MARKS.sub("", marked)


def first_text_char(marked: str) -> str:
    """Return the first character of `marked` that is text, not a mark ("" if none)."""
    plain = strip_markup(marked)
    return plain[:1]


def last_text_char(marked: str) -> str:
    """Return the last character of `marked` that is text, not a mark ("" if none)."""
    plain = strip_markup(marked)
    return plain[-1:]


def to_inlines(marked: str) -> list[Inline]:
    """Return the model inlines of the formatter output `marked`.

    Adjacent text is merged; an unbalanced mark (never produced by citeproc-py) is ignored.
    """
    stack: list[tuple[str, list[Inline]]] = [("", [])]
    buffer: list[str] = []

    def flush() -> None:
        if buffer:
            _append_text(stack[-1][1], "".join(buffer))
            buffer.clear()

    for ch in marked:
        if ch in _NODES or ch == _PLAIN:
            flush()
            stack.append((ch, []))
        elif ch == _CLOSE:
            flush()
            if len(stack) == 1:
                continue
            mark, content = stack.pop()
            target = stack[-1][1]
            if mark == _PLAIN:
                for node in content:
                    _append(target, node)
            elif content:
                _append(target, _NODES[mark](content))
        elif ch == OTHERS_MARK:
            continue
        else:
            buffer.append(ch)
    flush()
    while len(stack) > 1:  # unclosed marks: keep their text
        _, content = stack.pop()
        for node in content:
            _append(stack[-1][1], node)
    return stack[0][1]


def _append_text(target: list[Inline], text: str) -> None:
    if target and isinstance(target[-1], Text):
        target[-1] = Text(target[-1].text + text)
    else:
        target.append(Text(text))


def _append(target: list[Inline], node: Inline) -> None:
    if isinstance(node, Text):
        _append_text(target, node.text)
    else:
        target.append(node)


def replace_others(marked: str, et_al: str, and_terms: tuple[str, ...]) -> str:
    """Return `marked` with the ``and others`` name printed as the style's `et_al` term.

    citeproc-py has no notion of ``and others``; the name list carries :data:`OTHERS_MARK`
    as a last literal name, which the style joins like any name ("Buzan, B., & ⟨mark⟩").
    The mark, the "and"/"&" before it and its delimiter become ", et al." (after two or
    more names, or when the style put a comma) or " et al.".
    """
    if OTHERS_MARK not in marked:
        return marked
    ands = "|".join(re.escape(t) for t in and_terms if t)
    pattern = re.compile(rf"(,?)\s*(?:(?:{ands})\s*)?{OTHERS_MARK}" if ands
                         else rf"(,?)\s*{OTHERS_MARK}")

    def sub(match: re.Match[str]) -> str:
        return f"{match.group(1)} {et_al}" if match.start() else et_al

    result = pattern.sub(sub, marked)
    # "et al.." when the style ends the names with a period of its own
    return result.replace(f"{et_al}.", et_al) if et_al.endswith(".") else result


_DOUBLED = re.compile(f"([.,;:])((?:{_CLOSE}|{_OPEN_ANY})+)\\1")


def tidy_seams(marked: str) -> str:
    """Return `marked` without a punctuation mark doubled across a formatting mark.

    citeproc-py drops the second of two periods where strings meet, but not when the
    first ends a formatted run ("A, A. *et al.*." in Nature's list); HTML output has the
    same flaw.
    """
    return _DOUBLED.sub(r"\1\2", marked)


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
