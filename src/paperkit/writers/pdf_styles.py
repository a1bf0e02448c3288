"""Template -> reportlab ParagraphStyles: the PDF writer's one mapping of the shared look.

Every size, spacing and family comes from the :class:`~paperkit.templates.Template`; styles
inherit from ``body`` through ``parent=`` so a change of the body size moves everything that
is not set on its own in the template.
"""

from __future__ import annotations

import functools
import marshal
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

from ..templates import Template
from .pdf_cache import cache_root, write_atomic
from .pdf_fonts import face_name, register_family

__all__ = ["Styles", "stylesheet", "hyphenator"]

Hyphenator = Callable[[str], tuple[tuple[str, str], ...]]


@functools.cache
def hyphenator(lang: str) -> Hyphenator | None:
    """Return the hyphenation function for language `lang` ("en-US"), or None if unknown.

    The function gives reportlab a word's (head, tail) break pairs, longest head first, from
    pyphen's TeX-derived patterns, keeping at least 2 letters before and 3 after a break as
    TeX's English defaults do. Words are memoised: a paper repeats most of its words.
    """
    try:
        import pyphen
    except ImportError:          # pragma: no cover - a declared dependency
        return None
    found = pyphen.language_fallback(lang.replace("-", "_")) if lang else None
    if not found:
        return None
    _load_patterns(pyphen, pyphen.LANGUAGES[found])
    dictionary = pyphen.Pyphen(lang=found, left=2, right=3)

    @functools.lru_cache(maxsize=1 << 16)
    def pairs(word: str) -> tuple[tuple[str, str], ...]:
        return tuple(dictionary.iterate(word))

    return pairs


def _load_patterns(pyphen: Any, path: Path) -> None:
    """Put the patterns of dictionary `path` into pyphen's own cache from the disk cache, or
    parse them (pyphen takes a tenth of a second) and store them there.

    The cache entry is a marshal of three plain values, checked before use: the patterns (a
    tuple of str), their offsets (bytes) and their values (a tuple of bytes, one a pattern;
    pyphen only iterates and measures them, so bytes stand for its tuples of small ints).
    Rebuilding the dict from them takes ~5 ms, against ~20 ms to check a marshalled dict of
    11,000 tuples item by item. A dictionary with non-standard hyphenation (values that are
    not plain ints) or values over 255 is not cached.
    """
    if path in pyphen.hdcache:
        return
    root = cache_root()
    try:
        stat = path.stat()
    except OSError:
        return
    entry = None if root is None else \
        root / f"hyph2-{path.stem}-{stat.st_size}-{int(stat.st_mtime)}.marshal"
    if entry is not None:
        try:
            stored = marshal.loads(entry.read_bytes())
        except (OSError, EOFError, ValueError, TypeError):
            stored = None
        patterns = _patterns_from(stored)
        if patterns:
            hyph = pyphen.HyphDict.__new__(pyphen.HyphDict)
            hyph.patterns, hyph.cache = patterns, {}
            hyph.maxlen = max(map(len, patterns))
            pyphen.hdcache[path] = hyph
            return
    hyph = pyphen.hdcache[path] = pyphen.HyphDict(path)
    if entry is None:
        return
    try:
        keys = tuple(hyph.patterns)
        starts = bytes(int(start) for start, _ in hyph.patterns.values())
        values = tuple(bytes(v) for _, v in hyph.patterns.values()
                       if all(type(x) is int for x in v))
    except (ValueError, TypeError):  # an offset or value over 255, a non-standard value
        return
    if len(values) == len(keys):
        write_atomic(entry, marshal.dumps((keys, starts, values)))


def _patterns_from(stored: Any) -> dict[str, tuple[int, bytes]] | None:
    """Return the pattern dict of a stored cache entry, or None unless it is well formed: a
    tuple of str, bytes and a tuple of bytes, all of one length (checked in C, set(map(type,
    ...)), not one isinstance a value)."""
    if type(stored) is not tuple or len(stored) != 3:
        return None
    keys, starts, values = stored
    if type(keys) is not tuple or type(starts) is not bytes or type(values) is not tuple \
            or not len(keys) == len(starts) == len(values) or not keys:
        return None
    if set(map(type, keys)) != {str} or set(map(type, values)) != {bytes}:
        return None
    return dict(zip(keys, zip(starts, values)))


@dataclass(frozen=True)
class Styles:
    """The paragraph styles of one document, plus the mono family name.

    The mono family is registered only when code is set (``register_family(styles.mono)``).
    """

    body: ParagraphStyle
    title: ParagraphStyle
    subtitle: ParagraphStyle
    authors: ParagraphStyle
    affiliation: ParagraphStyle
    date: ParagraphStyle
    abstract_label: ParagraphStyle
    abstract: ParagraphStyle
    keywords: ParagraphStyle
    headings: dict[int, ParagraphStyle]
    quote: ParagraphStyle
    code: ParagraphStyle
    math: ParagraphStyle
    caption: ParagraphStyle
    caption_long: ParagraphStyle
    cell: ParagraphStyle
    cell_head: ParagraphStyle
    reference: ParagraphStyle
    note: ParagraphStyle
    header: ParagraphStyle
    mono: str
    #: the abstract's label inside a box (``abstract.style: box``): headings family, bold,
    #: heading colour, flush left
    box_label: ParagraphStyle | None = None

    def heading(self, level: int) -> ParagraphStyle:
        """Return the style of heading `level` (deeper levels reuse the deepest)."""
        return self.headings[min(level, max(self.headings))]


def stylesheet(template: Template, lang: str = "en") -> Styles:
    """Return the paragraph styles for `template`, registering its font families.

    For a Chinese, Japanese or Korean `lang`, lines may break between any two characters
    (reportlab's CJK word wrap); otherwise at spaces and, in running text, inside words at
    the hyphenation points of `lang` (headings, titles and code are never hyphenated).
    Paragraphs never leave a single line at the bottom or top of a page.
    """
    fonts = template.fonts
    body_family = register_family(fonts.body.pdf)
    head_family = register_family(fonts.headings.pdf)
    # registered where code is set (pdf_markup, pdf_story): most papers have none, and
    # reading a family's four TrueType files is a tenth of a small paper's build
    mono = fonts.mono.pdf
    size = fonts.size
    spacing = fonts.line_spacing
    justify = TA_JUSTIFY if template.align == "justify" else TA_LEFT
    title_align = TA_CENTER if template.title_align == "center" else TA_LEFT
    heading_color = _color(template.heading_color)

    body = ParagraphStyle(
        "body", fontName=body_family, fontSize=size, leading=size * spacing,
        alignment=justify, firstLineIndent=template.paragraph_indent * mm,
        spaceAfter=template.paragraph_space_after, textColor=colors.black,
        bulletFontName=body_family, allowWidows=0, allowOrphans=0, splitLongWords=1,
        embeddedHyphenation=1, uriWasteReduce=0.3, hyphenationLang=hyphenator(lang) or "",
        # spaces may shrink by a quarter to fit a word (TeX Gyre Termes lets TeX shrink
        # them by a third; reportlab fills lines first-fit, so a little less): fewer loose
        # lines than reportlab's 5%, and most lines break where LaTeX breaks them
        spaceShrinkage=0.25,
        wordWrap="CJK" if lang.split("-")[0].lower() in ("ja", "zh", "ko") else None)

    def derived(name: str, parent: ParagraphStyle = body, **values: object) -> ParagraphStyle:
        return ParagraphStyle(name, parent=parent, **values)

    unbroken = {"hyphenationLang": "", "embeddedHyphenation": 0}

    def sized(points: float, factor: float = spacing) -> dict[str, float]:
        return {"fontSize": points, "leading": points * factor}

    headings = {}
    for level, look in sorted(template.headings.items()):
        # TeX puts a line's baseline its own baselineskip below the one above; reportlab
        # puts the upper paragraph's (leading - size), then the lower one's size. A heading
        # set at 1.2 among body lines of another spacing (double in APA) would sit `shift`
        # too close to the body line under it and too far from the one above.
        shift = (size * spacing - size) - 0.2 * look.size
        headings[level] = derived(
            f"h{level}", fontName=face_name(head_family, look.bold, look.italic),
            **sized(look.size, 1.2), firstLineIndent=0, textColor=heading_color,
            alignment=TA_CENTER if look.align == "center" else TA_LEFT,
            spaceBefore=max(look.space_before - shift, 0),
            spaceAfter=look.space_after + shift, **unbroken)

    title_block = {"alignment": title_align, "firstLineIndent": 0, **unbroken}
    abstract_indent = template.abstract_indent * mm
    caption_align = TA_LEFT if template.caption_align == "left" else TA_CENTER
    caption = derived("caption", **sized(template.caption_size, 1.2), alignment=caption_align,
                      firstLineIndent=0, spaceAfter=4)
    cell = derived("cell", **sized(template.caption_size, 1.2), alignment=TA_LEFT,
                   firstLineIndent=0, spaceAfter=0)
    note_size = max(size - 2, 6)
    hang = template.references_indent * mm
    # The title block's gaps are LaTeX's (title.tex.j2): a \vspace of 4 pt (10 pt before the
    # authors) plus the next line's baselineskip, from baseline to baseline. reportlab puts
    # (leading - size) of the upper paragraph, the larger of its spaceAfter and the next one's
    # spaceBefore, then the next one's size between two baselines; the values below are
    # those gaps solved for the space (4 TeX pt = 3.985 pt, 10 TeX pt = 9.963 pt).
    return Styles(
        body=body,
        title=derived("title", fontName=face_name(head_family, True, False),
                      textColor=heading_color,
                      **sized(template.title_size, 1.2),
                      spaceAfter=3.985 + 0.2 * template.subtitle_size
                      - 0.2 * template.title_size, **title_block),
        subtitle=derived("subtitle", fontName=head_family, textColor=heading_color,
                         **sized(template.subtitle_size, 1.2),
                         spaceAfter=9.963 + 0.3 * template.author_size
                         - 0.2 * template.subtitle_size, **title_block),
        authors=derived("authors", **sized(template.author_size, 1.3),
                        spaceBefore=9.963 + 0.3 * template.author_size
                        - 0.2 * template.title_size,
                        spaceAfter=3.985 + 0.25 * (template.author_size - 1)
                        - 0.3 * template.author_size, **title_block),
        affiliation=derived("affiliation", fontName=face_name(body_family, False, True),
                            **sized(template.author_size - 1, 1.25), spaceAfter=0,
                            **title_block),
        date=derived("date", **sized(template.author_size - 1, 1.25), spaceBefore=3.985,
                     spaceAfter=2, **title_block),
        abstract_label=derived("abstract-label", fontName=face_name(body_family, True, False),
                               **sized(template.abstract_size, 1.3), alignment=TA_CENTER,
                               firstLineIndent=0, spaceBefore=15.45,
                               # LaTeX: the label's line, then \parskip (6 pt)
                               spaceAfter=template.paragraph_space_after
                               + (spacing - 1.3) * template.abstract_size),
        abstract=derived("abstract", **sized(template.abstract_size), leftIndent=abstract_indent,
                         rightIndent=abstract_indent, firstLineIndent=0, spaceAfter=4),
        keywords=derived("keywords", **sized(template.abstract_size), alignment=TA_LEFT,
                         leftIndent=abstract_indent, rightIndent=abstract_indent,
                         firstLineIndent=0, spaceBefore=template.paragraph_space_after,
                         # with the 2 pt the title block adds: LaTeX's 38.8 pt from the
                         # keywords' baseline to a first heading's
                         spaceAfter=4.3),
        headings=headings,
        quote=derived("quote", **sized(size - 1), firstLineIndent=0),
        code=derived("code", fontName=mono, **sized(size - 2, 1.2), alignment=TA_LEFT,
                     firstLineIndent=0, backColor=colors.HexColor("#f3f3f3"),
                     # LaTeX's snugshade: the grey reaches just over the first line's
                     # letters; 25 pt from the line above to the first code baseline, 33 pt
                     # from the last to the next paragraph's
                     # the text at the margins, the grey 3 pt beyond them (FrameSep)
                     borderPadding=(0, 3, 2.5, 3), leftIndent=0, rightIndent=0,
                     spaceBefore=13.5, spaceAfter=template.paragraph_space_after + 14.25,
                     **unbroken),
        math=derived("math", alignment=TA_CENTER, firstLineIndent=0, spaceBefore=3,
                     spaceAfter=template.paragraph_space_after + 3),
        caption=caption,
        # several lines: justified when captions are centred, ragged right when flush left
        caption_long=derived("caption-long", caption,
                             alignment=justify if caption_align == TA_CENTER else TA_LEFT),
        cell=cell,
        cell_head=derived("cell-head", cell, fontName=face_name(body_family, True, False)),
        reference=derived("reference", **sized(template.references_size), alignment=TA_LEFT,
                          leftIndent=hang, firstLineIndent=-hang, spaceAfter=3),
        # at the body's line spacing, as LaTeX's \setstretch spaces \footnotesize too
        note=derived("note", **sized(note_size), firstLineIndent=0, spaceBefore=0,
                     spaceAfter=0, allowOrphans=0, allowWidows=1),
        header=derived("header", fontName=face_name(body_family, False, True),
                       **sized(max(size - 2, 6), 1.2), alignment=TA_LEFT, firstLineIndent=0,
                       **unbroken),
        mono=mono,
        box_label=derived("box-label", fontName=face_name(head_family, True, False),
                          **sized(template.abstract_size, 1.3), alignment=TA_LEFT,
                          firstLineIndent=0, textColor=heading_color, spaceBefore=0,
                          spaceAfter=3, **unbroken),
    )


def _color(value: str) -> colors.Color:
    """Return the colour of the template's ``"#RRGGBB"`` `value` (black as reportlab's)."""
    # the shared black object keeps the article's output unchanged byte for byte
    return colors.black if value.upper() == "#000000" else colors.HexColor(value)
