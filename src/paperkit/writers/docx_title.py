"""The title block of the Word writer: title, subtitle, authors, date, abstract, keywords.

The template's ``title.layout`` places it: atop page 1 (``header``), on a title page of its
own (``page``: the title three body lines below the top margin, then a page break), or atop
page 1 in a band filled with ``colors.accent``, all its text white (``cover``: a one-cell
table whose cell is shaded and padded 6 mm, as wide as the text block). ``abstract.style``
sets the abstract plain, in a box (the styles draw it; see
:func:`.docx_styles.define_styles`), or on a page of its own after the title block.
"""

from __future__ import annotations

from typing import Callable, Protocol

from docx.document import Document as DocxDocument
from docx.enum.text import WD_LINE_SPACING
from docx.shared import Pt, RGBColor
from docx.table import _Cell
from docx.text.hyperlink import Hyperlink
from docx.text.paragraph import Paragraph as DocxParagraph

from ..model import Block, Inline, Paper
from ..templates import Template
from . import layout
from .docx_elements import RunSink, add_styled_paragraph, make_band, set_paragraph_style, \
    xml_safe
from .docx_styles import STYLE

__all__ = ["Blocks", "write_title_block", "COVER_PADDING"]

#: The cover band's padding on every side, in twips (6 mm).
COVER_PADDING = round(6 * 1440 / 25.4)


class Blocks(Protocol):
    """Anything python-docx can append paragraphs to: the body, a note, a table cell."""

    def add_paragraph(self, text: str = "", style: str | None = None) -> DocxParagraph: ...


class _Band:
    """The cover band's cell as a place to add paragraphs: the first one fills the empty
    paragraph Word requires in every cell."""

    def __init__(self, cell: _Cell) -> None:
        self.cell = cell
        self._fresh = True

    def add_paragraph(self, text: str = "", style: str | None = None) -> DocxParagraph:
        paragraph: DocxParagraph
        if not self._fresh:
            paragraph = self.cell.add_paragraph(text)
        else:
            self._fresh = False
            paragraph = self.cell.paragraphs[0]
            if style is None:
                paragraph.style = None
            if text:
                paragraph.add_run(text)
        if style is not None:
            set_paragraph_style(paragraph, style)     # python-docx's, ~3 ms sooner
        return paragraph

    def whiten_links(self) -> None:
        """Set the band's links in white, as all its text (the link style is blue)."""
        for paragraph in self.cell.paragraphs:
            for item in paragraph.iter_inner_content():
                if isinstance(item, Hyperlink):
                    for run in item.runs:
                        run.font.color.rgb = RGBColor(0xFF, 0xFF, 0xFF)


def write_title_block(doc: DocxDocument, paper: Paper, template: Template,
                      inlines: Callable[[RunSink, list[Inline]], None],
                      abstract: Callable[[Blocks, list[Block]], None]) -> bool:
    """Write `paper`'s title block into `doc` as `template` lays it out.

    `inlines` writes inline content into a run sink; `abstract` writes the abstract's
    blocks. Return whether the body must start on a new page (after a title page or an
    abstract page); the caller starts it there.
    """
    authors = layout.author_block(paper)
    has_title = bool(paper.title or paper.subtitle or authors.names or authors.affiliations
                     or authors.emails or paper.date)
    band: _Band | None = None
    out: Blocks = doc
    if template.title_layout == "cover" and has_title:
        width = round(template.page.text_width * 1440 / 25.4)
        # LibreOffice sets an empty line above a table that opens a document whose first
        # page holds a footnote; a paragraph 1 pt high before the band keeps it at the top.
        spacer = doc.add_paragraph().paragraph_format
        spacer.line_spacing, spacer.line_spacing_rule = Pt(1), WD_LINE_SPACING.EXACTLY
        spacer.space_before = spacer.space_after = Pt(0)
        table = doc.add_table(1, 1)
        make_band(table, template.accent_color[1:].upper(), width=width,
                  padding=COVER_PADDING)
        band = _Band(table.cell(0, 0))
        out = band
    if paper.title:
        inlines(RunSink(add_styled_paragraph(out, STYLE.title)), paper.title)
    if paper.subtitle:
        inlines(RunSink(add_styled_paragraph(out, STYLE.subtitle)), paper.subtitle)
    if authors.names:
        sink = RunSink(add_styled_paragraph(out, STYLE.author))
        for index, (name, mark) in enumerate(authors.names):
            if index:
                sink.add_run(", ")
            sink.add_run(xml_safe(name))
            if mark:
                sink.add_run(mark).font.superscript = True
    for mark, affiliation in authors.affiliations:
        sink = RunSink(add_styled_paragraph(out, STYLE.affiliation))
        if mark:
            sink.add_run(mark).font.superscript = True
        sink.add_run(xml_safe(affiliation))
    if authors.emails:
        _styled(out, STYLE.affiliation, xml_safe(", ".join(authors.emails)))
    if paper.date:
        _styled(out, STYLE.date, xml_safe(paper.date))
    if band is not None:
        band.whiten_links()
    own_page = template.abstract_style == "page" and bool(paper.abstract or paper.keywords)
    first: DocxParagraph | None = None
    if paper.abstract:
        first = _styled(doc, STYLE.abstract_title, xml_safe(template.abstract_label))
        abstract(doc, paper.abstract)
    if paper.keywords:
        keywords = add_styled_paragraph(doc, STYLE.keywords)
        first = first or keywords
        sink = RunSink(keywords)
        sink.add_run(xml_safe(template.keywords_label) + ": ", style=STYLE.strong)
        sink.add_run(xml_safe(", ".join(paper.keywords)))
    if own_page and has_title and first is not None:
        first.paragraph_format.page_break_before = True
    return bool(doc.paragraphs) and (template.title_layout == "page" or own_page)


def _styled(out: Blocks, style: str, text: str) -> DocxParagraph:
    """Return ``out.add_paragraph(text, style)``, the style id looked up once a paper."""
    paragraph = add_styled_paragraph(out, style)
    if text:
        paragraph.add_run(text)
    return paragraph
