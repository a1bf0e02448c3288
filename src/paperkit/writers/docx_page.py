"""The Word page: size, margins, the running header and where the page number goes.

Everything comes from the :class:`~paperkit.templates.Template`: the running title sits at
the left of the header (not on page 1, where the title is); the page number, when
``footer`` asks for one, sits where ``page_number_position`` says - centred or at the right
of the footer, or at the right of the header on the running title's line. A number in the
footer skips a separate title page; a number in the header shows on every page, the title
page included (APA).
"""

from __future__ import annotations

from copy import deepcopy
from typing import Callable

from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml.ns import qn
from docx.shared import Mm
from docx.text.paragraph import Paragraph as DocxParagraph

from ..templates import Template
from .docx_elements import RunSink, set_paragraph_style
from .docx_styles import STYLE, TIGHT

__all__ = ["setup_page", "page_number_in_header"]


def page_number_in_header(template: Template) -> bool:
    """Return whether `template` puts a page number in the header (top right)."""
    return template.footer != "none" and template.page_number_position == "top-right"


def _page_number(paragraph: DocxParagraph, template: Template, style: str | None = None
                 ) -> None:
    """Append the page number ("3" or "3 of 7", as `template`'s footer says) in `style`."""
    sink = RunSink(paragraph)
    sink.add_field("PAGE", "1", style=style)
    if template.footer == "page-of":
        sink.add_run(" of ", style=style)
        sink.add_field("NUMPAGES", "1", style=style)


def setup_page(doc: DocxDocument, template: Template,
               header: Callable[[DocxParagraph], bool], *, reference: bool = False,
               keep_header: bool = False, keep_footer: bool = False) -> None:
    """Set page size and margins from `template`; write the running header and page number.

    `header` writes the running title into a paragraph and returns whether there is one.
    The first page has no running title (the title is there); with a separate title page
    and the number in the footer it has no page number either. With a `reference` document
    its header and footer distances and gutter stay; `keep_header` and `keep_footer` keep
    its headers or footers instead of paperkit's (shown on the first page too, unless the
    reference itself differs there).
    """
    page = template.page
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE if page.width > page.height else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(page.width), Mm(page.height)
    section.top_margin, section.bottom_margin = Mm(page.top), Mm(page.bottom)
    section.left_margin, section.right_margin = Mm(page.left), Mm(page.right)
    if not reference:
        # Where the PDF writer draws them, as LaTeX's article does: the running title's
        # baseline 0.3 of its PDF leading above a rule \headsep (25 TeX pt) above the text
        # block, the page number's baseline \footskip (30 TeX pt) below it. Word places a
        # header by its line's top and a footer by its line's bottom: the baseline sits the
        # line's leading less the font's descent (~0.22 em) below the top, the descent above
        # the bottom.
        pt = 25.4 / 72
        header_size = max(template.fonts.size - 2, 6)
        top = page.top / pt
        header_baseline = top - min(25 * 72 / 72.27, top * 0.45) - 0.3 * header_size * 1.2
        header_top = (header_baseline - (header_size * TIGHT - 0.22 * header_size)) * pt
        footer_size = max(template.fonts.size - 1.5, 6)
        baseline = max(page.bottom - 30 * 72 / 72.27 * pt, 12 * pt)
        section.header_distance = Mm(max(header_top, page.top / 3))
        section.footer_distance = Mm(max(baseline - footer_size * 0.22 * pt, 3))
        section.gutter = Mm(0)
    if keep_header and keep_footer:
        return
    if keep_header or keep_footer:
        if not section.different_first_page_header_footer:
            # The reference shows the same story on every page; so must its first page.
            _share_first_page(section, "header" if keep_header else "footer")
    section.different_first_page_header_footer = True
    on_top = page_number_in_header(template)
    in_footer = template.footer != "none" and not on_top

    def footer(paragraph: DocxParagraph) -> bool:
        if in_footer:
            _page_number(paragraph, template)
        return in_footer

    def top_line(paragraph: DocxParagraph) -> bool:
        """The running title at the left, the page number at the right margin."""
        titled = header(paragraph)
        if not titled:
            set_paragraph_style(paragraph, STYLE.header_number)
        elif on_top:
            paragraph.paragraph_format.tab_stops.add_tab_stop(
                Mm(page.text_width), WD_TAB_ALIGNMENT.RIGHT)
            RunSink(paragraph).add_run("\t")
        if on_top:
            _page_number(paragraph, template, STYLE.page_number if titled else None)
        return titled or on_top

    def number_only(paragraph: DocxParagraph) -> bool:
        set_paragraph_style(paragraph, STYLE.header_number)
        _page_number(paragraph, template)
        return True

    def fill(story: object, style: str, writer: Callable[[DocxParagraph], bool] | None
             ) -> None:
        story.is_linked_to_previous = False  # type: ignore[attr-defined]
        paragraphs = story.paragraphs  # type: ignore[attr-defined]
        paragraph = paragraphs[0] if paragraphs else story.add_paragraph()  # type: ignore
        set_paragraph_style(paragraph, style)
        if not (writer is not None and writer(paragraph)) and style == STYLE.header:
            set_paragraph_style(paragraph, STYLE.normal)   # no running header: no rule

    if not keep_header:
        fill(section.header, STYLE.header, top_line if on_top else header)
        fill(section.first_page_header, STYLE.header, number_only if on_top else None)
    if not keep_footer:
        fill(section.footer, STYLE.footer, footer)
        fill(section.first_page_footer, STYLE.footer,
             footer if template.title_layout != "page" else None)


def _share_first_page(section: object, kind: str) -> None:
    """Point `section`'s first-page `kind` ("header"/"footer") at its default one."""
    sect_pr = section._sectPr  # type: ignore[attr-defined]
    tag = qn(f"w:{kind}Reference")
    references = {ref.get(qn("w:type")): ref for ref in sect_pr.findall(tag)}
    default = references.get("default")
    if default is None or "first" in references:
        return
    first = deepcopy(default)
    first.set(qn("w:type"), "first")
    default.addnext(first)
