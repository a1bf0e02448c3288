"""Word's named styles, heading numbering and page setup, all from the shared Template.

:func:`define_styles` is the one place a template value becomes Word formatting; the writer
(:mod:`.docx`) only names styles. Built-in Word styles keep their built-in names and ids
(``Heading1``, ``Caption``, ``FootnoteText``, ``Bibliography``...), so Word's own features
(navigation pane, table of figures, footnote numbering) recognise them; the others follow
pandoc's ``reference.docx`` names (``First Paragraph``, ``Source Code``, ``Verbatim Char``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_PARAGRAPH_ALIGNMENT
from docx.shared import Mm, Pt, RGBColor
from docx.styles.style import BaseStyle
from docx.text.paragraph import Paragraph as DocxParagraph

from ..model import Paper
from ..templates import Template
from ..walk import iter_sections
from . import layout
from .docx_elements import (define_rule_table, reset_style, set_contextual_spacing,
                            set_outline_level, set_paragraph_border, set_style_font)
from .docx_geometry import CELL_MARGIN
from .docx_parts import (ListLevel, Numbering, set_doc_defaults, set_document_settings,
                         set_style_numbering)

__all__ = ["STYLE", "define_styles", "number_headings", "set_language",
           "setup_page"]


@dataclass(frozen=True, slots=True)
class _StyleNames:
    """The names the writer gives python-docx for each role (python-docx finds styles by
    name; Word's built-in styles have lower-case internal names such as "footnote text")."""

    normal: str = "Normal"
    body: str = "Body Text"
    first: str = "First Paragraph"
    list: str = "List Paragraph"
    title: str = "Title"
    subtitle: str = "Subtitle"
    author: str = "Author"
    affiliation: str = "Affiliation"
    date: str = "Date"
    abstract_title: str = "Abstract Title"
    abstract: str = "Abstract"
    keywords: str = "Keywords"
    quote: str = "Quote"
    code: str = "Source Code"
    display_math: str = "Display Math"
    rule: str = "Thematic Break"
    caption: str = "Caption"
    figure: str = "Figure"
    table: str = "Paper Table"
    table_text: str = "Table Text"
    after_table: str = "Table Spacer"
    footnote: str = "footnote text"
    footnote_ref: str = "footnote reference"
    bibliography: str = "Bibliography"
    header: str = "Header"
    footer: str = "Footer"
    verbatim: str = "Verbatim Char"
    hyperlink: str = "Hyperlink"
    emphasis: str = "Emphasis"
    strong: str = "Strong"


STYLE = _StyleNames()

#: Word's single line height of each family as a multiple of the font size (the fonts'
#: Windows ascent + descent; the Liberation fonts share these metrics). Dividing the
#: template's baseline distance by it gives Word's "multiple" line spacing.
_LINE_HEIGHT = {"Times New Roman": 1.107, "Arial": 1.117, "Courier New": 1.133}

_P, _C, _T = WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.CHARACTER, WD_STYLE_TYPE.TABLE
_LEFT, _CENTER = WD_PARAGRAPH_ALIGNMENT.LEFT, WD_PARAGRAPH_ALIGNMENT.CENTER

#: Built-in Word styles the default template lacks: name -> Word's style id.
_BUILTIN_IDS = {"footnote text": "FootnoteText", "footnote reference": "FootnoteReference",
                "Hyperlink": "Hyperlink", "Bibliography": "Bibliography"}


def _style(doc: DocxDocument, name: str, kind: WD_STYLE_TYPE, base: str | None = None
           ) -> BaseStyle:
    """Return style `name` with its formatting cleared, creating it when missing."""
    styles = doc.styles
    try:
        style = styles[name]
    except KeyError:
        style = styles.add_style(name, kind, builtin=name in _BUILTIN_IDS)
        if name in _BUILTIN_IDS:
            style.style_id = _BUILTIN_IDS[name]
    reset_style(style)
    if base is not None:
        style.base_style = styles[base]
    style.hidden = False
    style.quick_style = True
    return style


def define_styles(doc: DocxDocument, template: Template) -> None:
    """Define every style the writer uses from `template`: fonts, sizes, spacing, indents.

    Lengths follow the template: mm for indents, pt for sizes and vertical space. Line
    spacing is the template's baseline distance expressed as Word's "multiple".
    """
    t, fonts = template, template.fonts
    body_font, heading_font, mono = fonts.body.docx, fonts.headings.docx, fonts.mono.docx
    line = fonts.line_spacing / _LINE_HEIGHT.get(body_font, 1.15)
    single = 1.0 / _LINE_HEIGHT.get(body_font, 1.15) * 1.1
    align = WD_PARAGRAPH_ALIGNMENT.JUSTIFY if t.align == "justify" else _LEFT
    title_align = _CENTER if t.title_align == "center" else _LEFT
    small = max(fonts.size - 2, 6.0)
    code_size = round(fonts.size * 0.9 * 2) / 2

    def para(name: str, base: str | None = STYLE.normal, *, font: str | None = None,
             size: float | None = None, bold: bool | None = None, italic: bool | None = None,
             alignment: WD_PARAGRAPH_ALIGNMENT | None = None, before: float | None = None,
             after: float | None = None, left: float | None = None,
             right: float | None = None, first: float | None = None,
             spacing: float | None = None, keep_next: bool | None = None) -> BaseStyle:
        style = _style(doc, name, _P, base)
        if font:
            set_style_font(style, font)
        f, p = style.font, style.paragraph_format
        if size is not None:
            f.size = Pt(size)
        f.bold, f.italic = bold, italic
        p.alignment = alignment
        if before is not None:
            p.space_before = Pt(before)
        if after is not None:
            p.space_after = Pt(after)
        if left is not None:
            p.left_indent = Mm(left)
        if right is not None:
            p.right_indent = Mm(right)
        if first is not None:
            p.first_line_indent = Mm(first)
        if spacing is not None:
            p.line_spacing = spacing
        p.keep_with_next = keep_next
        return style

    normal = para(STYLE.normal, None, font=body_font, size=fonts.size, before=0, after=0,
                  spacing=line)
    normal.paragraph_format.widow_control = True
    gap = t.paragraph_space_after
    body = para(STYLE.body, alignment=align, after=gap, first=t.paragraph_indent)
    para(STYLE.first, STYLE.body, first=0)
    body.next_paragraph_style = body
    listed = para(STYLE.list, alignment=align, after=gap)
    set_contextual_spacing(listed)

    # A title page starts its title a third of the way down; a title block starts at the top.
    title_space = (t.page.height - t.page.top - t.page.bottom) * 72 / 25.4 / 4 \
        if t.title_layout == "page" else 0
    para(STYLE.title, font=heading_font, size=t.title_size, bold=True, alignment=title_align,
         before=title_space, after=6, spacing=single, keep_next=True)
    para(STYLE.subtitle, font=heading_font, size=t.subtitle_size, alignment=title_align,
         after=6, spacing=single, keep_next=True)
    para(STYLE.author, size=t.author_size, alignment=title_align, before=6, after=2,
         keep_next=True)
    para(STYLE.affiliation, size=max(t.author_size - 1, 6), italic=True,
         alignment=title_align, after=0, keep_next=True)
    para(STYLE.date, size=t.author_size, alignment=title_align, before=6, after=6)
    indent = t.abstract_indent
    para(STYLE.abstract_title, size=t.abstract_size, bold=True, alignment=title_align,
         before=12, after=3, left=indent, right=indent, keep_next=True)
    para(STYLE.abstract, size=t.abstract_size, alignment=align, after=4, left=indent,
         right=indent)
    para(STYLE.keywords, size=t.abstract_size, alignment=align, before=4, after=18,
         left=indent, right=indent)

    for level in range(1, 10):
        h = t.heading(level)
        style = para(f"Heading {level}", font=heading_font, size=h.size, bold=h.bold,
                     italic=h.italic, alignment=_LEFT, before=h.space_before,
                     after=h.space_after, spacing=single, keep_next=True)
        style.paragraph_format.keep_together = True
        style.next_paragraph_style = doc.styles[STYLE.first]
        set_outline_level(style, level - 1)

    para(STYLE.quote, alignment=align, after=gap, left=10, right=10)
    para(STYLE.code, font=mono, size=code_size, alignment=_LEFT, before=3, after=gap + 3,
         left=5, spacing=1.0).paragraph_format.keep_together = True
    para(STYLE.display_math, alignment=_CENTER, before=3, after=gap + 3)
    rule = para(STYLE.rule, alignment=_CENTER, before=6, after=gap + 6, spacing=1.0)
    set_paragraph_border(rule, "bottom", 6)
    para(STYLE.caption, size=t.caption_size, alignment=_CENTER, before=6, after=6,
         spacing=single, keep_next=True)
    para(STYLE.figure, alignment=_CENTER, before=6, after=0, spacing=1.0, keep_next=True)
    para(STYLE.table_text, alignment=_LEFT, before=0, after=0, spacing=single)
    para(STYLE.after_table, size=6, before=0, after=gap, spacing=1.0)
    para(STYLE.footnote, size=small, alignment=align, after=2)
    para(STYLE.bibliography, size=t.references_size, alignment=_LEFT, after=gap,
         left=t.references_indent, first=-t.references_indent)
    for name in (STYLE.header, STYLE.footer):
        style = para(name, size=t.caption_size, alignment=_CENTER, spacing=1.0)
        style.paragraph_format.tab_stops.clear_all()
    doc.styles[STYLE.header].font.italic = True

    for name, base in ((STYLE.verbatim, None), (STYLE.hyperlink, None),
                       (STYLE.emphasis, None), (STYLE.strong, None),
                       (STYLE.footnote_ref, None)):
        _style(doc, name, _C, base)
    set_style_font(doc.styles[STYLE.verbatim], mono)
    doc.styles[STYLE.verbatim].font.size = Pt(code_size)
    doc.styles[STYLE.hyperlink].font.color.rgb = RGBColor(0x1F, 0x3A, 0x93)
    doc.styles[STYLE.emphasis].font.italic = True
    doc.styles[STYLE.strong].font.bold = True
    doc.styles[STYLE.footnote_ref].font.superscript = True

    table = _style(doc, STYLE.table, _T, "Normal Table")
    table.paragraph_format.space_before = Pt(0)
    table.paragraph_format.space_after = Pt(0)
    define_rule_table(table, outer=8, inner=4, margin=CELL_MARGIN)


def set_language(doc: DocxDocument, template: Template, lang: str) -> None:
    """Set the document defaults (body font, size, language `lang`) and document settings."""
    set_doc_defaults(doc, template.fonts.body.docx, template.fonts.size, lang)
    set_document_settings(doc, lang)


def number_headings(doc: DocxDocument, numbering: Numbering, paper: Paper,
                    template: Template) -> dict[int, str]:
    """Attach Word's multilevel numbering to the Heading styles; return the exceptions.

    Word numbers every heading paragraph from its style. The result maps ``id(section)`` to
    ``""`` for a section Word must not number (``numId 0``), or to the number text to type
    for the rare section whose model number Word's counting would not reproduce (a level
    skipped, say). Sections not in the map are numbered by Word and show exactly
    :func:`layout.heading_text_number`. With numbering ``none`` nothing is attached.
    """
    if template.numbering == "none":
        return {}
    sections = list(iter_sections(paper.sections))
    plan: dict[int, str] = {}
    counters = [0] * 9
    widest = [""] * 9
    for section in sections:
        level = min(max(section.level, 1), 9)
        shown = layout.heading_text_number(section, template)
        if not shown:
            plan[id(section)] = ""
            continue
        trial = counters[:level - 1] + [counters[level - 1] + 1] + [0] * (9 - level)
        expected = layout.display_number(".".join(map(str, trial[:level])), template.numbering)
        if all(trial[:level]) and expected == shown:
            counters = trial
            widest[level - 1] = max(widest[level - 1], shown, key=_em_width)
        else:
            plan[id(section)] = shown
    if template.numbering == "I.A":
        formats = ["upperRoman", "upperLetter", "decimal"] + ["lowerLetter"] * 6
    else:
        formats = ["decimal"] * 9
    levels = []
    for index in range(9):
        size = template.heading(index + 1).size
        sample = widest[index] or ".".join(["8"] * (index + 1))
        # The number's box: its estimated width plus a 1 em gap, as LaTeX's \quad. A number
        # wider than the box would jump to the next default tab stop, hence the estimate
        # errs wide (bold digits are 0.5 em, capitals up to 0.75 em).
        hanging = round(size * (_em_width(sample) + 1.0) * 20)
        text = ".".join(f"%{i + 1}" for i in range(index + 1))
        levels.append(ListLevel(formats[index], text, hanging, hanging,
                                style=f"Heading{index + 1}"))
    abstract = numbering.add_abstract("paperkit headings", levels, kind="multilevel")
    num_id = numbering.add_num(abstract)
    for index in range(9):
        set_style_numbering(doc.styles[f"Heading {index + 1}"], num_id, index)
    return plan


def _em_width(number: str) -> float:
    """Return the estimated width of heading number `number` in em (bold serif)."""
    widths = {".": 0.25, "I": 0.4}
    return sum(widths.get(c, 0.75 if c.isupper() else 0.5) for c in number)


def setup_page(doc: DocxDocument, template: Template,
               header: Callable[[DocxParagraph], bool],
               footer: Callable[[DocxParagraph], bool]) -> None:
    """Set page size and margins from `template` and write the running header and footer.

    `header` and `footer` fill a paragraph and return whether they wrote anything. The first
    page has no running header (the title is there); with a separate title page it has no
    page number either.
    """
    page = template.page
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE if page.width > page.height else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(page.width), Mm(page.height)
    section.top_margin, section.bottom_margin = Mm(page.top), Mm(page.bottom)
    section.left_margin, section.right_margin = Mm(page.left), Mm(page.right)
    section.header_distance = Mm(min(12.5, page.top / 2))
    section.footer_distance = Mm(min(12.5, page.bottom / 2))
    section.gutter = Mm(0)
    section.different_first_page_header_footer = True

    def fill(story: object, style: str, writer: Callable[[DocxParagraph], bool] | None
             ) -> None:
        story.is_linked_to_previous = False  # type: ignore[attr-defined]
        paragraph = story.paragraphs[0]  # type: ignore[attr-defined]
        paragraph.style = style
        if writer is not None:
            writer(paragraph)

    fill(section.header, STYLE.header, header)
    fill(section.first_page_header, STYLE.header, None)
    fill(section.footer, STYLE.footer, footer)
    fill(section.first_page_footer, STYLE.footer,
         footer if template.title_layout == "header" else None)
