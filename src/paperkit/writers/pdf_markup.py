"""Model inlines -> reportlab Paragraph markup: the one place PDF text is escaped.

A reportlab ``Paragraph`` parses its text as XML-like markup, so an unescaped ``&`` or ``<``
from a source title breaks it, and text such as ``<font color=red>`` would be obeyed. Every
piece of text that reaches a Paragraph goes through :func:`text_markup` (plain strings) or
:func:`inline_markup` (model inlines), which escape ``&``, ``<``, ``>`` and ``"`` and wrap runs
of characters the body font cannot show in a fallback font (CJK, symbols).

Footnote markers are emitted as a superscript number followed by an invisible
``<onDraw name="pk_note" label="N"/>`` tag. reportlab keeps that tag as a zero-width fragment
through line breaking and splitting, which is how the footnote frame
(:mod:`paperkit.writers.pdf_flowables`) finds which notes a piece of a paragraph carries.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Callable

from ..model import (Cite, Code, Emph, Inline, LineBreak, Link, Math, Note, Paragraph, Pos, Ref,
                     SmallCaps, Strong, Subscript, Superscript, Text)
from ..templates import Template
from . import layout
from .pdf_fonts import (codepoints, cjk_fallback, covers, is_cjk, register_family,
                        symbol_fallback)
from .pdf_math import math_markup
from .pdf_mathtext import inline_math_markup

__all__ = ["MarkupContext", "inline_markup", "text_markup", "attr", "dest_name",
           "NOTE_CALLBACK", "note_marker", "LINK_COLOR"]

#: The onDraw callback name that marks a footnote reference inside a Paragraph.
NOTE_CALLBACK = "pk_note"
#: Colour of clickable links (citations, cross-references, URLs).
LINK_COLOR = "#1a4480"
# the same colour as reportlab parses it fastest (a "#rrggbb" attribute costs ~70 us a link)
_LINK_RGB = "rgb({},{},{})".format(*(int(LINK_COLOR[i:i + 2], 16) for i in (1, 3, 5)))

_UNSAFE_DEST = re.compile(r"[^A-Za-z0-9_.:\-]")


@dataclass
class MarkupContext:
    """What turning inlines into markup needs to know.

    `font` is the registered family whose coverage decides when a fallback font is used;
    `mono` the family of inline code; `anchors` the internal link targets that exist in the
    document (a link to any other ``#id`` is shown as plain text, since a dangling PDF
    destination is an error); `add_note` numbers a footnote and returns its mark, or is
    ``None`` where a footnote cannot stand (inside a footnote: its text is shown in brackets);
    `missing` collects the characters no font can show, with where they were first seen
    (`pos`, the text being set);
    `size` the font size of the text, at which inline math is set. `tall_math` is raised when
    an inline formula taller than a line is emitted (the caller then lets that paragraph's
    lines grow around it).
    """

    font: str
    mono: str
    template: Template
    anchors: frozenset[str] = frozenset()
    add_note: Callable[[Note], str] | None = None
    size: float = 11.0
    tall_math: bool = False
    missing: dict[str, Pos | None] = field(default_factory=dict)
    pos: Pos | None = None
    _cache: dict[str, str] = field(default_factory=dict, repr=False)


def dest_name(anchor: str) -> str:
    """Return the PDF destination name for document anchor `anchor` ("sec:intro")."""
    return _UNSAFE_DEST.sub("_", anchor)


def attr(value: str) -> str:
    """Return `value` escaped for a double-quoted markup attribute."""
    return (value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _fallback_face(char: str, ctx: MarkupContext) -> str | None:
    """Return the font to set `char` in when `ctx.font` lacks it, or None to keep the font.

    A character no font has is recorded in `ctx.missing` (reportlab draws a box for it).
    """
    if char.isspace() or covers(ctx.font, char):
        return None
    if is_cjk(char):
        return cjk_fallback().name
    symbols = symbol_fallback()
    if symbols is not None and covers(symbols.name, char):
        return symbols.name
    if char.isprintable() or unicodedata.category(char) == "Co":
        ctx.missing.setdefault(char, ctx.pos)
    return None


@functools.cache
def _covered(font: str) -> frozenset[str]:
    """Return the characters registered font `font` has glyphs for, and whitespace."""
    return frozenset(chr(code) for code in codepoints(font)) | frozenset(" \t\n\u00a0")


def text_markup(text: str, ctx: MarkupContext) -> str:
    """Return plain `text` as safe Paragraph markup.

    ``&``, ``<`` and ``>`` are escaped; runs of characters `ctx.font` lacks are wrapped in a
    ``<font face=...>`` of a fallback font. Text that is markup-like (``<font>``, ``<a>``)
    therefore shows literally.
    """
    if text.isascii():
        return _escape(text)
    cached = ctx._cache.get(text)
    if cached is not None:
        return cached
    if set(text) <= _covered(ctx.font):      # the usual case: ’ “ é ... all in the font
        result = _escape(text)
        ctx._cache[text] = result
        return result
    out: list[str] = []
    run: list[str] = []
    run_face: str | None = None
    for char in text:
        face = None if char.isascii() else _fallback_face(char, ctx)
        if face != run_face and run:
            out.append(_wrap_face("".join(run), run_face))
            run = []
        run_face = face
        run.append(char)
    if run:
        out.append(_wrap_face("".join(run), run_face))
    result = "".join(out)
    ctx._cache[text] = result
    return result


def _wrap_face(text: str, face: str | None) -> str:
    escaped = _escape(text)
    return escaped if face is None else f'<font face="{face}">{escaped}</font>'


def note_marker(number: str, size: float = 11.0) -> str:
    """Return the markup of footnote mark `number` in running text of `size` points (with
    its tracking tag): as LaTeX with hyperref sets it, in the link colour, at 0.7 of the
    text size, raised 0.36 of it, a link to the note (:func:`note_dest`).
    """
    return (f'<a href="#{note_dest(number)}" color="{_LINK_RGB}"><super '
            f'size="{size * 0.7:.2f}" rise="{size * 0.36:.2f}">{number}</super></a>'
            f'<onDraw name="{NOTE_CALLBACK}" label="{number}"/>')


def note_dest(number: str) -> str:
    """Return the named destination of footnote `number`'s text: hyperref's name for it
    (``Hfootnote.3``), so ``paper.pdf#Hfootnote.3`` opens at the same note in the PDF
    paperkit writes and in the one LaTeX makes of the .tex."""
    return f"Hfootnote.{number}"


def _link(content: str, url: str, ctx: MarkupContext) -> str:
    if url.startswith("#"):
        if url[1:] not in ctx.anchors:
            return content
        href = "#" + dest_name(url[1:])
    else:
        href = url
    return f'<a href="{attr(href)}" color="{_LINK_RGB}">{content}</a>'


def inline_markup(inlines: list[Inline], ctx: MarkupContext) -> str:
    """Return `inlines` as reportlab Paragraph markup.

    Emphasis, strong, small caps, scripts, code (mono), links (internal ``#id`` links only
    when the target exists), citations (their rendering, or their source when unresolved),
    cross-references (``layout.ref_text``, linked to the target), math (typeset, see
    :mod:`~paperkit.writers.pdf_mathtext`),
    line breaks and footnote marks (via `ctx.add_note`).
    """
    parts: list[str] = []
    for node in inlines:
        match node:
            case Text(text=text, pos=pos):
                if pos is not None:
                    ctx.pos = pos
                parts.append(text_markup(text, ctx))
            case Emph(content=content):
                parts.append(f"<i>{inline_markup(content, ctx)}</i>")
            case Strong(content=content):
                parts.append(f"<b>{inline_markup(content, ctx)}</b>")
            case SmallCaps(content=content):
                parts.append(_small_caps(content, ctx))
            case Superscript(content=content):
                parts.append(f"<super>{inline_markup(content, ctx)}</super>")
            case Subscript(content=content):
                parts.append(f"<sub>{inline_markup(content, ctx)}</sub>")
            case Code(text=text):
                register_family(ctx.mono)         # cached: reads the files once
                # Liberation Mono's letters are larger than the serif's at one size:
                # set a little smaller, it matches the text's colour as TeX's mono does
                parts.append(f'<font face="{ctx.mono}" size="{ctx.size * 0.9:g}">'
                             f"{text_markup(text, ctx)}</font>")
            case Link(content=content, url=url):
                parts.append(_link(inline_markup(content, ctx), url, ctx))
            case Math(tex=tex):
                parts.append(_math(tex, ctx))
            case LineBreak():
                parts.append("<br/>")
            case Cite(rendered=rendered, source=source):
                parts.append(text_markup(source, ctx) if rendered is None
                             else inline_markup(rendered, ctx))
            case Ref() as ref:
                shown = text_markup(layout.ref_text(ref, ctx.template), ctx)
                parts.append(_link(shown, "#" + ref.label, ctx) if ref.number is not None
                             else shown)
            case Note() as note:
                parts.append(_note(note, ctx))
            case _:
                raise TypeError(f"not an inline: {node!r}")
    return "".join(parts)


def _math(tex: str, ctx: MarkupContext) -> str:
    """Return inline math: typeset by mathtext, else (unparseable) as readable text."""
    typeset = inline_math_markup(tex, ctx.size)
    if typeset is None:
        return math_markup(tex, lambda s: text_markup(s, ctx))
    markup, box = typeset
    if box.height > ctx.size * 0.95 or box.depth > ctx.size * 0.3:
        ctx.tall_math = True
    return markup


def _note(note: Note, ctx: MarkupContext) -> str:
    if ctx.add_note is not None:
        return note_marker(ctx.add_note(note), ctx.size)
    # A note inside a note (a note-style citation in a footnote): show it in brackets.
    inner = [inline_markup(b.content, ctx) for b in note.blocks if isinstance(b, Paragraph)]
    return " [" + " ".join(inner) + "]"


def _small_caps(content: list[Inline], ctx: MarkupContext) -> str:
    """Return small caps as capitals 2 pt smaller for lower-case letters (reportlab has none)."""
    markup = inline_markup(content, ctx)
    out: list[str] = []
    # Only text between tags is transformed; tags and entities pass through unchanged.
    for piece in re.split(r"(<[^>]*>|&[a-z#0-9]+;)", markup):
        if piece.startswith("<") or (piece.startswith("&") and piece.endswith(";")):
            out.append(piece)
            continue
        for chunk in re.split(r"([a-zà-ÿα-ωа-я]+)", piece):
            if chunk and chunk == chunk.lower() and chunk != chunk.upper():
                out.append(f'<font size="-2">{chunk.upper()}</font>')
            else:
                out.append(chunk)
    return "".join(out)
