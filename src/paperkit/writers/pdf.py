"""Paper -> PDF with reportlab platypus: ``write_pdf(paper, template, options)``.

The story (flowables) comes from :mod:`~paperkit.writers.pdf_story`, the styles from
:mod:`~paperkit.writers.pdf_styles`, footnote-aware layout from
:mod:`~paperkit.writers.pdf_flowables`. This module sets up the page: size and margins, the
running header and the footer, metadata, and deterministic output (reportlab's invariant mode
is set on this document's canvas only, and dates come from ``options.source_date_epoch``).

The footer "3 of 7" needs the page count before it is known; each page therefore draws its
header and footer through a form XObject (``pk-page-N``) that :class:`_PagedCanvas` fills in
when the document is saved, in one layout pass.

Cross-reference and citation targets (section, figure and table labels, ``ref-<key>``
reference entries) are *named* destinations: the catalog's ``/Names /Dests`` tree lists them
and internal links point at them by name, so ``paper.pdf#sec:intro`` opens at the section.
"""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass
from typing import Any, Callable, Iterator

# first, before any reportlab import below reaches reportlab.platypus (see its docstring)
from .reportlab_import import import_paragraph

import_paragraph()

from reportlab.lib import colors  # noqa: E402 - after import_paragraph()
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfdoc import LinkAnnotation, PDFArray, PDFDictionary, PDFString
from reportlab.pdfbase import ttfonts as rl_ttfonts
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import PageTemplate, Paragraph
from reportlab.platypus import paragraph as rl_paragraph

from ..collector import paused_collector
from ..diagnostics import Log
from ..model import Paper, Pos
from ..options import BuildOptions
from ..templates import Template
from ..walk import plain_text
from . import Output, layout
from .pdf_doc import PaperDoc, anchors_of
from .pdf_flowables import FootnoteFrame, NoteStore
from .pdf_markup import MarkupContext, dest_name, note_dest, text_markup
from .pdf_mathtext import MathBox
from .pdf_story import StoryBuilder
from .pdf_styles import Styles, stylesheet

__all__ = ["write_pdf", "render_pdf", "PdfResult", "warm"]


@dataclass(frozen=True)
class PdfResult:
    """A built PDF: its bytes, page count, where footnote marks and texts were drawn, and
    the characters no font could show (each with where it was first seen)."""

    data: bytes
    pages: int
    notes: NoteStore
    missing: dict[str, Pos | None]


def write_pdf(paper: Paper, template: Template, options: BuildOptions,
              log: Log | None = None) -> Output:
    """Return ``{"paper.pdf": bytes}``: `paper` typeset with `template`.

    Identical input gives identical bytes. A character no font can show is a PK501 warning
    in `log`, naming it and where it is. Raises :class:`~paperkit.errors.InputError` for a
    figure whose image cannot be read.
    """
    result = render_pdf(paper, template, options)
    if log is not None and result.missing:
        chars = sorted(result.missing)
        shown = ", ".join(f"'{c}' (U+{ord(c):04X})" if c.isprintable() else f"U+{ord(c):04X}"
                          for c in chars[:8]) + (", ..." if len(chars) > 8 else "")
        log.add("PK501", result.missing[chars[0]],
                detail=f"no font of the PDF has {shown}; the PDF shows a box in its place")
    return {"paper.pdf": result.data}


def warm(lang: str = "en-US") -> None:
    """Load, before the paper is known, what most papers' PDF needs: the shipped article
    template's body and heading fonts and the hyphenation patterns of `lang` (the default
    language of a paper; ~50 ms, which a writer process started early spends while the
    paper is read). Both stay cached in this process, so a paper that needs something else
    only loads that too."""
    from ..memo import template as cached_template

    stylesheet(cached_template("article"), lang)


def render_pdf(paper: Paper, template: Template, options: BuildOptions) -> PdfResult:
    """Return the PDF of `paper` with its page count and footnote placement record.

    The cyclic garbage collector is paused meanwhile (as while the paper is read): the
    layout makes millions of short-lived fragments, lines and boxes that reference counting
    frees, and the collections they triggered (200 at 100,000 words) found almost nothing
    in ~5% of the writer's time.
    """
    with _fast_same_frag(), _remembered_metrics(), _keep_hard_hyphens(), \
            _astral_to_unicode(), paused_collector():
        return _render(paper, template, options)


@contextlib.contextmanager
def _astral_to_unicode() -> Iterator[None]:
    """Write ToUnicode entries of characters beyond U+FFFF (emoji) as UTF-16 pairs.

    reportlab writes a subset's ToUnicode CMap with each code point in hex, which is
    UTF-16BE only up to U+FFFF: U+1F600 became ``<1F600>`` (odd length, invalid), so text
    extraction, search and copying lost the character. Entries up to U+FFFF are written as
    before (the same bytes). The swap is undone after the build.
    """
    saved = rl_ttfonts.makeToUnicodeCMap

    def cmap(fontname: str, subset: Any) -> str:
        text = saved(fontname, [v if v <= 0xFFFF else 0 for v in subset])
        if all(v <= 0xFFFF for v in subset):
            return str(text)
        for index, value in enumerate(subset):
            if value > 0xFFFF:
                pair = chr(value).encode("utf-16-be").hex().upper()
                text = text.replace(f"<{index:02X}> <0000>", f"<{index:02X}> <{pair}>", 1)
        return str(text)

    rl_ttfonts.makeToUnicodeCMap = cmap
    try:
        yield
    finally:
        rl_ttfonts.makeToUnicodeCMap = saved


@contextlib.contextmanager
def _keep_hard_hyphens() -> Iterator[None]:
    """Stop reportlab dropping the hyphen of "Sino-Russian" when it breaks lines again.

    A paragraph with mixed styles keeps its first line breaking in its fragments; when it
    is broken again (split across pages, or measured after a failed fit), words split at
    a line end are joined back with ``_shyUnsplit``, which strips a trailing "-" also from
    a word split at its own hard hyphen: "Sino-" + "Russian" became "SinoRussian". The
    hyphen reportlab added itself is stripped before that join, so the join strips none.
    The swap is undone after the build.
    """
    saved = rl_paragraph._shyUnsplit

    def unsplit(head: Any, tail: Any = None) -> Any:
        if tail is None or isinstance(head, rl_paragraph._SHYIndexedStr) \
                or hasattr(tail, "_shyIndices"):
            return saved(head, tail)
        return head + tail

    rl_paragraph._shyUnsplit = unsplit
    try:
        yield
    finally:
        rl_paragraph._shyUnsplit = saved


@contextlib.contextmanager
def _fast_same_frag() -> Iterator[None]:
    """Use a Python ``sameFrag`` in reportlab's line breaker while a document is built.

    rl_accel's C ``sameFrag`` (the check whether two runs of text share a style, made
    for every word of a paragraph with mixed styles) is about four times slower than the
    same test on the fragments' ``__dict__`` in Python: with it, it took a fifth of the
    writer's time on a 100,000-word paper. The swap is undone after the build.
    """
    saved = rl_paragraph.sameFrag
    rl_paragraph.sameFrag = _same_frag
    try:
        yield
    finally:
        rl_paragraph.sameFrag = saved


_RL_STRING_WIDTH = rl_paragraph.stringWidth
_RL_ASCENT_DESCENT = rl_paragraph.getAscentDescent


@contextlib.contextmanager
def _remembered_metrics() -> Iterator[None]:
    """Remember word widths and font ascents in reportlab's line breaker while a document
    is built.

    ``breakLines`` measures every word of every paragraph through ``stringWidth`` (three
    Python calls down to rl_accel's C loop) and asks the font's ascent and descent for
    every fragment; a paper repeats most of its words, and one build uses a handful of
    fonts and sizes. A dict lookup answers the repeats with the very float the first call
    gave, so the PDF is byte for byte the same (16% fewer instructions in the writer on a
    10,000-word paper). Both memos live for this build only (a later build may register
    other fonts). Afterwards reportlab's own functions are put back, the ones it had at
    import, never whatever another build running at the same time had installed.
    """
    saved_width, saved_ascent = _RL_STRING_WIDTH, _RL_ASCENT_DESCENT
    widths: dict[tuple[str, str, float, str], float] = {}
    ascents: dict[tuple[str, float | None], tuple[float, float]] = {}

    def width(text: str, font: str, size: float, encoding: str = "utf8") -> float:
        key = (text, font, size, encoding)
        found = widths.get(key)
        if found is None:
            found = widths[key] = saved_width(text, font, size, encoding)
        return found

    def ascent(font: str, size: float | None = None) -> tuple[float, float]:
        key = (font, size)
        found = ascents.get(key)
        if found is None:
            found = ascents[key] = saved_ascent(font, size)
        return found

    rl_paragraph.stringWidth, rl_paragraph.getAscentDescent = width, ascent
    try:
        yield
    finally:
        rl_paragraph.stringWidth, rl_paragraph.getAscentDescent = saved_width, saved_ascent


_FRAG_KEYS = ("fontName", "fontSize", "textColor", "rise", "us_lines", "link", "backColor",
              "nobr")


def _same_frag(f: Any, g: Any) -> bool:
    """Return whether fragments `f` and `g` have one style (reportlab's sameFrag rules)."""
    fd, gd = f.__dict__, g.__dict__
    if "cbDefn" in fd or "lineBreak" in fd or "cbDefn" in gd or "lineBreak" in gd:
        return False
    # tuple equality tries identity first: the shared style colours skip Color.__eq__
    return tuple(map(fd.get, _FRAG_KEYS)) == tuple(map(gd.get, _FRAG_KEYS))


def _render(paper: Paper, template: Template, options: BuildOptions) -> PdfResult:
    styles = stylesheet(template, paper.lang)
    store = NoteStore()
    builder = StoryBuilder(paper, template, styles, store)
    story = builder.story()
    buffer = io.BytesIO()
    page = template.page
    authors = [a.name for a in paper.authors]
    doc = PaperDoc(
        buffer, store, options.source_date_epoch,
        pagesize=(page.width * mm, page.height * mm),
        leftMargin=page.left * mm, rightMargin=page.right * mm,
        topMargin=page.top * mm, bottomMargin=page.bottom * mm,
        title=plain_text(paper.title), author=", ".join(authors),
        subject=plain_text(paper.subtitle), keywords=", ".join(paper.keywords),
        creator="paperkit", producer="paperkit (ReportLab)", lang=paper.lang or None,
        invariant=1, pageCompression=1, displayDocTitle=1,
        initialFontName=styles.body.fontName, initialFontSize=styles.body.fontSize,
    )
    doc.addPageTemplates(_page_templates(paper, template, store))
    decorate = _decorator(paper, template, styles)
    named = frozenset(dest_name(anchor) for anchor in anchors_of(paper)) | \
        frozenset(note_dest(label) for label in store.notes)
    doc.build(story, canvasmaker=lambda *a, **k: _PagedCanvas(*a, decorate=decorate,
                                                              named=named, **k))
    return PdfResult(buffer.getvalue(), doc.page, store, dict(builder.ctx.missing))


def _page_templates(paper: Paper, template: Template, store: NoteStore) -> list[PageTemplate]:
    """Return the one page template: a footnote-aware frame inside the margins."""
    page = template.page
    # TeX's text block ends at the last line's baseline (descenders hang below it); a
    # reportlab frame must hold the whole line, whose baseline sits (leading - size) above
    # the line's bottom: the frame reaches that much lower so pages hold as many lines
    fonts = template.fonts
    hang = fonts.size * fonts.line_spacing - fonts.size
    frame = FootnoteFrame(
        store, page.left * mm, page.bottom * mm - hang, page.text_width * mm,
        (page.height - page.top - page.bottom) * mm + hang,
        leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body",
        rule_space=template.fonts.size * 0.55)
    return [PageTemplate("page", [frame], onPage=_stamp_page,
                         pagesize=(page.width * mm, page.height * mm))]


def _stamp_page(canv: Canvas, doc: Any) -> None:
    """Place the page's header-and-footer form (drawn when the page count is known)."""
    canv.doForm(_PagedCanvas.form_name(canv.getPageNumber()))


Decorate = Callable[[Canvas, int, int], None]

#: LaTeX's article class: \headsep 25 pt and \footskip 30 pt (TeX points, in PDF points).
_HEADSEP = 25 * 72 / 72.27
_FOOTSKIP = 30 * 72 / 72.27


def _decorator(paper: Paper, template: Template, styles: Styles) -> Decorate:
    """Return the function drawing page `n` of `total`'s running header and footer."""
    page = template.page
    left, right = page.left * mm, (page.width - page.right) * mm
    header_style = styles.header
    ctx = MarkupContext(styles.body.fontName, styles.mono, template)
    header = _one_line(layout.running_title(paper, template), header_style, ctx,
                       (page.width - page.left - page.right) * mm)
    footer_font, footer_size = styles.body.fontName, max(template.fonts.size - 1.5, 6)
    title_page = template.title_layout == "page"
    position = template.page_number_position
    # As LaTeX's article class places them (the .tex keeps its defaults): the header's
    # rule \headsep above the text block, the running title on a line whose strut depth
    # (0.3 of its leading) sits on the rule; the page number's baseline \footskip below the
    # text block's last baseline. A small margin moves them in so they stay on the page.
    header_base = (page.height - page.top) * mm + min(_HEADSEP, page.top * mm * 0.45)
    header_baseline = header_base + 0.3 * header_style.leading
    footer_baseline = max(page.bottom * mm - _FOOTSKIP, 12)

    def number_text(number: int, total: int) -> str:
        return str(number) if template.footer == "page" else f"{number} of {total}"

    def decorate(canv: Canvas, number: int, total: int) -> None:
        if header is not None and number > 1:
            header.wrap(right - left, page.top * mm)
            # a one-line paragraph's baseline is its leading minus its size above its foot
            header.drawOn(canv, left,
                          header_baseline - (header_style.leading - header_style.fontSize))
            canv.setStrokeColor(colors.black)
            canv.setLineWidth(0.4)
            canv.line(left, header_base, right, header_base)
        if template.footer == "none":
            return
        if position == "top-right":
            # in the header, on the running title's baseline, on every page (APA)
            text = number_text(number, total)
            canv.setFont(footer_font, footer_size)
            canv.setFillColor(colors.black)
            canv.drawRightString(right, header_baseline, text)
            return
        if title_page and number == 1:
            return
        text = number_text(number, total)
        canv.setFont(footer_font, footer_size)
        canv.setFillColor(colors.black)
        y = footer_baseline
        if position == "bottom-right":
            canv.drawRightString(right, y, text)
            return
        middle = (left + right) / 2
        canv.drawString(middle - stringWidth(text, footer_font, footer_size) / 2, y, text)

    return decorate


def _one_line(text: str, style: Any, ctx: MarkupContext, width: float) -> Paragraph | None:
    """Return `text` as a one-line Paragraph, shortened with "…" when it is too long."""
    if not text:
        return None
    words = text.split()
    shown = text
    while True:
        paragraph = Paragraph(text_markup(shown, ctx), style)
        _, height = paragraph.wrap(width, 1e6)
        if height <= style.leading * 1.01 or len(words) <= 1:
            return paragraph
        words.pop()
        shown = " ".join(words) + " …"


class _PagedCanvas(Canvas):  # type: ignore[misc]  # reportlab is untyped
    """A canvas that fills each page's header/footer form once the page count is known.

    It also publishes the destinations in `named` as named destinations and labels the
    pages 1, 2, 3 ... (``/PageLabels``).
    """

    def __init__(self, *args: Any, decorate: Decorate, named: frozenset[str] = frozenset(),
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._decorate = decorate
        self._named = named

    def linkRect(self, contents: str, destinationname: str, Rect: Any = None,
                 addtopage: int = 1, name: str | None = None, relative: int = 1,
                 thickness: float = 0, color: Any = None, dashArray: Any = None,
                 **kw: Any) -> None:
        """Add a link to `destinationname`: by name when it is a published target."""
        if destinationname not in self._named:
            super().linkRect(contents, destinationname, Rect, addtopage, name, relative,
                             thickness, color, dashArray, **kw)
            return None
        self._bookmarkReference(destinationname)       # must be bound before saving
        annotation = LinkAnnotation(self._absRect(Rect, relative), contents,
                                    PDFString(destinationname), Border="[0 0 0]")
        self._addAnnotation(annotation, name, addtopage)
        return None

    def drawImage(self, image: Any, x: float, y: float, width: float | None = None,
                  height: float | None = None, *args: Any, **kwargs: Any) -> Any:
        """Draw `image`; an inline-math placeholder draws its formula instead."""
        if not isinstance(image, MathBox):
            return super().drawImage(image, x, y, width, height, *args, **kwargs)
        image.draw(self, x, y + image.depth)
        return (image.width, image.height + image.depth)

    def _publish_names(self) -> None:
        """Write the ``/Dests`` name tree (one sorted leaf) of the bound named targets."""
        pairs: list[Any] = []
        for key in sorted(self._named, key=lambda k: k.encode("utf-8")):
            destination = self._destinations.get(key)
            if destination is not None and destination.page is not None:
                pairs += [PDFString(key), destination]
        if pairs:
            self._doc.Catalog.Names = PDFDictionary(
                {"Dests": PDFDictionary({"Names": PDFArray(pairs)})})

    @staticmethod
    def form_name(number: int) -> str:
        """Return the name of the form that holds page `number`'s header and footer."""
        return f"pkpage{number}"

    def save(self) -> None:
        pages = self._pageNumber - (0 if self._code else 1)
        for number in range(1, pages + 1):
            self.beginForm(self.form_name(number))
            self._decorate(self, number, pages)
            self.endForm()
        self._publish_names()
        self.addPageLabel(0, "ARABIC", 1)
        super().save()
