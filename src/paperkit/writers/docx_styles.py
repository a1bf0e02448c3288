"""Word's named styles, heading numbering and page setup, all from the shared Template.

:func:`define_styles` is the one place a template value becomes Word formatting; the writer
(:mod:`.docx`) only names styles. Built-in Word styles keep their built-in names and ids
(``Heading1``, ``Caption``, ``FootnoteText``, ``Bibliography``...), so Word's own features
(navigation pane, table of figures, footnote numbering) recognise them; the others follow
pandoc's ``reference.docx`` names (``First Paragraph``, ``Source Code``, ``Verbatim Char``).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from weakref import WeakKeyDictionary
from typing import Callable, cast

from docx.document import Document as DocxDocument
from docx.oxml.styles import styleId_from_name
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_LINE_SPACING, WD_PARAGRAPH_ALIGNMENT
from docx.shared import Mm, Pt, RGBColor
from docx.styles import BabelFish
from docx.oxml.styles import CT_Style, CT_Styles
from docx.styles.style import BaseStyle, CharacterStyle, ParagraphStyle, StyleFactory
from docx.styles.styles import Styles

from ..model import Paper
from ..templates import Template
from ..walk import iter_sections
from . import layout
from .docx_elements import (define_rule_table, drop_style_numbering, reset_style,
                            set_contextual_spacing, set_outline_level, set_paragraph_border,
                            set_paragraph_frame, set_style_font, set_style_tab)
from .docx_geometry import CELL_MARGIN
from .docx_parts import (ListLevel, Numbering, set_doc_defaults, set_document_settings,
                         set_style_numbering)

__all__ = ["STYLE", "TIGHT", "define_styles", "number_headings",
           "set_language"]


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
    table_caption: str = "Table Caption"
    image_caption: str = "Image Caption"
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
    caption_label: str = "Caption Label"
    heading1: str = "Heading 1"
    toc_heading: str = "TOC Heading"
    header_number: str = "Header Number"
    page_number: str = "page number"


STYLE = _StyleNames()

#: Leading (baseline distance) of the title block, headings, captions, cells and notes as a
#: multiple of their font size: the PDF writer's values, so both formats set lines alike.
TIGHT, _AUTHORS, _AFFILIATION = 1.2, 1.3, 1.25

#: Indents in mm, as the PDF writer's: block quotes on both sides, code text inside its
#: shaded box (4 pt), each level of the table of contents.
_QUOTE_INDENT, _CODE_INDENT, _TOC_STEP = layout.LIST_MARGINS[0] * 25.4 / 72, 4 * 25.4 / 72, 5.0

_P, _C, _T = WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.CHARACTER, WD_STYLE_TYPE.TABLE
_LEFT, _CENTER = WD_PARAGRAPH_ALIGNMENT.LEFT, WD_PARAGRAPH_ALIGNMENT.CENTER
_RIGHT = WD_PARAGRAPH_ALIGNMENT.RIGHT

#: Built-in Word styles the default template lacks: name -> Word's style id.
_BUILTIN_IDS = {"footnote text": "FootnoteText", "footnote reference": "FootnoteReference",
                "Hyperlink": "Hyperlink", "Bibliography": "Bibliography",
                "toc 1": "TOC1", "toc 2": "TOC2", "toc 3": "TOC3",
                "TOC Heading": "TOCHeading", "page number": "PageNumber"}

#: Colour of links (the PDF writer's ``LINK_COLOR``) and of the code background.
_LINK_RGB, _CODE_FILL, _RULE_COLOR = RGBColor(0x1A, 0x44, 0x80), "F3F3F3", "808080"
_WHITE = RGBColor(0xFF, 0xFF, 0xFF)

#: The padding of the abstract box (3.5 mm) in whole points, as Word's border spacing is,
#: and its accent rule's width in eighths of a point (2 pt).
_BOX_PADDING, _BOX_RULE = 10, 16


def _style(doc: DocxDocument, name: str, kind: WD_STYLE_TYPE, base: str | None = None, *,
           merge: bool = False) -> CharacterStyle:
    """Return style `name`, created when missing, its formatting cleared unless `merge`.

    With `merge` (the document started from a template's ``reference.docx``) the
    reference's definition is kept and paperkit's values are set over it, so what the
    template does not say (a heading colour, say) stays as the reference has it; numbering
    is always paperkit's.
    """
    styles = doc.styles
    style: CharacterStyle      # paragraph and table styles are its subclasses
    try:
        style = _find(styles, name)
    except KeyError:
        # styles.add_style(name, kind, builtin) without its check for the name (a walk
        # over every style, just done by the lookup that failed)
        internal = BabelFish.ui2internal(name)
        element = styles.element.add_style_of_type(internal, kind, name in _BUILTIN_IDS)
        _NAMES.setdefault(styles.element, {}).setdefault(internal, element)
        style = cast(CharacterStyle, StyleFactory(element))
        if name in _BUILTIN_IDS:
            style.style_id = _BUILTIN_IDS[name]
    if merge:
        if kind == _P:
            drop_style_numbering(style)
    else:
        reset_style(style)
    if base is not None:
        try:
            style.base_style = _find(styles, base)
        except KeyError:                      # a reference document without "Normal Table"
            style.base_style = None
    style.hidden = False
    style.quick_style = True
    return style


# python-docx finds a style by name with an XPath over every style; define_styles looks up
# ~120 names in a document of ~170 styles, so the first style of each name is indexed once
# per document (define_styles only adds styles after _adopt_reference_names renamed some).
_NAMES: WeakKeyDictionary[CT_Styles, dict[str, CT_Style]] = WeakKeyDictionary()


def _find(styles: Styles, name: str) -> CharacterStyle:
    """Return ``styles[name]`` (KeyError when missing), from a per-document name index."""
    index = _NAMES.get(styles.element)
    if index is None:
        index = {}
        for element in styles.element.style_lst:
            index.setdefault(element.name_val, element)
        _NAMES[styles.element] = index
    element = index.get(BabelFish.ui2internal(name))
    if element is None:
        found: CharacterStyle = styles[name]   # by id (deprecated), or KeyError, as before
        return found
    return cast(CharacterStyle, StyleFactory(element))


def _names() -> list[str]:
    """Return the name of every style paperkit defines or looks up."""
    return [*(getattr(STYLE, f.name) for f in fields(STYLE)),
            *(f"Heading {level}" for level in range(1, 10)),
            *(f"toc {level}" for level in range(1, 4)), "Normal Table"]


def _adopt_reference_names(doc: DocxDocument) -> None:
    """Give a reference document's styles the names python-docx finds paperkit's styles by.

    Word stores built-in names in lower case ("heading 1", "footnote text"); LibreOffice
    capitalises them ("Heading 1", "Footnote Text"), and python-docx would not find them
    (or would add a second style with the same id). A reference style named like one of
    paperkit's but for case, or carrying the id paperkit would give it, takes Word's name.
    """
    element = doc.styles.element
    for name in _names():
        internal = BabelFish.ui2internal(name)
        if element.get_by_name(internal) is not None:
            continue
        wanted = internal.lower()
        match = next((style for style in element.style_lst
                      if (style.name_val or "").lower() == wanted), None)
        if match is None:
            known = _BUILTIN_IDS.get(name) or \
                styleId_from_name(internal)  # type: ignore[no-untyped-call]
            match = element.get_by_id(known)
        if match is not None:
            match.name_val = internal


def define_styles(doc: DocxDocument, template: Template, *, merge: bool = False) -> None:
    """Define every style the writer uses from `template`: fonts, sizes, spacing, indents.

    Lengths follow the template: mm for indents, pt for sizes and vertical space. Each
    paragraph style's line spacing is "at least" its leading in the PDF writer (the body's
    is the template's line spacing), so Word, LibreOffice and the PDF set the same lines
    and a taller formula or superscript still gets room. `merge` keeps what a reference
    document's styles define beyond these values (see :func:`_style`).
    """
    if merge:
        _adopt_reference_names(doc)
    t, fonts = template, template.fonts
    body_font, heading_font, mono = fonts.body.docx, fonts.headings.docx, fonts.mono.docx
    size = fonts.size
    align = WD_PARAGRAPH_ALIGNMENT.JUSTIFY if t.align == "justify" else _LEFT
    title_align = _CENTER if t.title_align == "center" else _LEFT
    small = max(size - 2, 6.0)
    code_size = small

    def para(name: str, base: str | None = STYLE.normal, *, font: str | None = None,
             size: float | None = None, leading: float | None = None,
             bold: bool | None = None, italic: bool | None = None,
             alignment: WD_PARAGRAPH_ALIGNMENT | None = None, before: float | None = None,
             after: float | None = None, left: float | None = None,
             right: float | None = None, first: float | None = None,
             keep_next: bool | None = None) -> ParagraphStyle:
        style = cast(ParagraphStyle, _style(doc, name, _P, base, merge=merge))
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
        if leading is not None:
            p.line_spacing = Pt(leading)
            p.line_spacing_rule = WD_LINE_SPACING.AT_LEAST
        p.keep_with_next = keep_next
        return style

    spacing = fonts.line_spacing
    normal = para(STYLE.normal, None, font=body_font, size=size, leading=size * spacing,
                  before=0, after=0)
    normal.paragraph_format.widow_control = True
    gap = t.paragraph_space_after
    body = para(STYLE.body, alignment=align, after=gap, first=t.paragraph_indent)
    para(STYLE.first, STYLE.body, first=0)
    body.next_paragraph_style = body
    # Items sit tight (contextual spacing), the list ends with a paragraph's space.
    listed = para(STYLE.list, alignment=align, after=gap)
    set_contextual_spacing(listed)

    # A title page starts its title three body lines below the top margin (APA: "three
    # to four lines down"); a title block at the top of page 1 starts at the top.
    title_space = 3 * size * spacing if t.title_layout == "page" else 0
    title = para(STYLE.title, font=heading_font, size=t.title_size,
                 leading=t.title_size * TIGHT, bold=True, alignment=title_align,
                 before=title_space, after=t.title_size * 0.4, keep_next=True)
    subtitle = para(STYLE.subtitle, font=heading_font, size=t.subtitle_size,
                    leading=t.subtitle_size * TIGHT, alignment=title_align, after=10,
                    keep_next=True)
    author = para(STYLE.author, size=t.author_size, leading=t.author_size * _AUTHORS,
                  alignment=title_align, before=4, after=2, keep_next=True)
    minor = max(t.author_size - 1, 6)
    affiliation = para(STYLE.affiliation, size=minor, leading=minor * _AFFILIATION,
                       italic=True, alignment=title_align, after=0, keep_next=True)
    date = para(STYLE.date, size=minor, leading=minor * _AFFILIATION, alignment=title_align,
                before=6, after=2)
    if t.title_layout == "cover":
        # The cover band (a table cell filled with the accent colour) holds the title
        # block in white; the cell's padding replaces the title's and date's outer space.
        for style in (title, subtitle, author, affiliation, date):
            style.font.color.rgb = _WHITE
        date.paragraph_format.space_after = Pt(0)
    else:
        _color(title, t.heading_color)
        _color(subtitle, t.heading_color)
    _abstract_styles(para, t)

    for level in range(1, 10):
        h = t.heading(level)
        style = para(f"Heading {level}", font=heading_font, size=h.size,
                     leading=h.size * TIGHT, bold=h.bold, italic=h.italic,
                     alignment=_CENTER if h.align == "center" else _LEFT,
                     before=h.space_before, after=h.space_after, keep_next=True)
        _color(style, t.heading_color)
        style.paragraph_format.keep_together = True
        style.next_paragraph_style = doc.styles[STYLE.first]
        set_outline_level(style, level - 1)

    para(STYLE.quote, size=size - 1, leading=(size - 1) * spacing, alignment=align,
         after=gap, left=_QUOTE_INDENT, right=_QUOTE_INDENT)
    code = para(STYLE.code, font=mono, size=code_size, leading=code_size * TIGHT,
                alignment=_LEFT, before=6, after=gap + 4, left=_CODE_INDENT,
                right=_CODE_INDENT)
    code.paragraph_format.keep_together = True
    # Shading and same-coloured borders 3-4 pt out: the PDF's grey box with its padding.
    set_paragraph_frame(code, _CODE_FILL, vertical=3, horizontal=4)
    para(STYLE.display_math, alignment=_CENTER, before=3, after=gap + 3)
    # The PDF's break: a grey 0.5 pt rule over the middle 30% of the text width.
    side = t.page.text_width * 0.35
    rule = para(STYLE.rule, size=4, leading=4, alignment=_CENTER, before=2, after=9,
                left=side, right=side)
    set_paragraph_border(rule, "bottom", 4, space=1, color=_RULE_COLOR)
    caption_size = t.caption_size
    para(STYLE.caption, size=caption_size, leading=caption_size * TIGHT,
         alignment=_CENTER if t.caption_align == "center" else _LEFT, before=4, after=4,
         keep_next=True)
    # pandoc's two caption styles: a table's caption stays with its table; a figure's
    # ends the figure with the PDF's 0.8-line gap - below the picture, or above it (APA),
    # then the picture ends the figure.
    para(STYLE.table_caption, STYLE.caption, keep_next=True)
    figure_gap = 4 + 0.8 * size
    if t.figure_caption_position == "above":
        para(STYLE.image_caption, STYLE.caption, keep_next=True)
        para(STYLE.figure, alignment=_CENTER, before=4, after=figure_gap, keep_next=False)
    else:
        para(STYLE.image_caption, STYLE.caption, after=figure_gap, keep_next=False)
        para(STYLE.figure, alignment=_CENTER, before=4, after=0, keep_next=True)
    para(STYLE.table_text, size=caption_size, leading=caption_size * TIGHT,
         alignment=_LEFT, before=0, after=0)
    # The paragraph after a table: with its space, the PDF's one line below tables.
    para(STYLE.after_table, size=2, leading=2, before=0, after=size - 2)
    para(STYLE.footnote, size=small, leading=small * TIGHT, alignment=align, before=2,
         after=0)
    references = t.references_size
    para(STYLE.bibliography, size=references, leading=references * spacing, alignment=_LEFT,
         after=3, left=t.references_indent, first=-t.references_indent)
    header = para(STYLE.header, size=small, leading=small * TIGHT, italic=True,
                  alignment=_LEFT)
    # the rule 0.3 of the PDF leading under the baseline, as the PDF and LaTeX draw it: the
    # descent (~2 pt) plus 1 pt
    set_paragraph_border(header, "bottom", 3, space=1)
    footer_size = max(size - 1.5, 6)
    para(STYLE.footer, size=footer_size, leading=footer_size * TIGHT,
         alignment=_CENTER if t.page_number_position == "bottom-center" else _RIGHT)
    for name in (STYLE.header, STYLE.footer):
        doc.styles[name].paragraph_format.tab_stops.clear_all()
    if t.page_number_position == "top-right" and t.footer != "none":
        # The page number at the right of the header: alone on a line (page 1, or no
        # running title), or after the running title, upright in the footer's size.
        para(STYLE.header_number, size=footer_size, leading=footer_size * TIGHT,
             alignment=_RIGHT).paragraph_format.tab_stops.clear_all()
        number = _style(doc, STYLE.page_number, _C, merge=merge)
        number.font.size, number.font.italic = Pt(footer_size), False

    # The table of contents: Word's own TOC styles, a dotted tab to the page number.
    toc_heading = para(STYLE.toc_heading, keep_next=True, font=heading_font,
                       size=t.heading(1).size, leading=t.heading(1).size * TIGHT, bold=True,
                       alignment=_CENTER if t.heading(1).align == "center" else None,
                       before=t.heading(1).space_before, after=t.heading(1).space_after)
    _color(toc_heading, t.heading_color)
    set_outline_level(doc.styles[STYLE.toc_heading], 9)
    for level in (1, 2, 3):
        toc = para(f"toc {level}", alignment=_LEFT, after=2 if level > 1 else 3,
                   left=_TOC_STEP * (level - 1), bold=level == 1 or None)
        set_style_tab(toc, round(t.page.text_width * 1440 / 25.4) - 10)

    for name in (STYLE.verbatim, STYLE.hyperlink, STYLE.emphasis, STYLE.strong,
                 STYLE.footnote_ref, STYLE.caption_label):
        _style(doc, name, _C, merge=merge)
    set_style_font(doc.styles[STYLE.verbatim], mono)
    doc.styles[STYLE.verbatim].font.size = Pt(size)
    doc.styles[STYLE.hyperlink].font.color.rgb = _LINK_RGB
    doc.styles[STYLE.emphasis].font.italic = True
    doc.styles[STYLE.strong].font.bold = True
    doc.styles[STYLE.caption_label].font.bold = True
    doc.styles[STYLE.footnote_ref].font.superscript = True

    table = cast(ParagraphStyle, _style(doc, STYLE.table, _T, "Normal Table", merge=merge))
    table.paragraph_format.space_before = Pt(0)
    table.paragraph_format.space_after = Pt(0)
    define_rule_table(table, outer=7, inner=4, margin=CELL_MARGIN)


def _color(style: CharacterStyle, color: str) -> None:
    """Colour `style`'s text `color` ("#RRGGBB"); black, the default, stays automatic (or
    what a reference document's style says)."""
    if color.upper() != "#000000":
        style.font.color.rgb = RGBColor.from_string(color[1:].upper())


def _abstract_styles(para: Callable[..., ParagraphStyle], t: Template) -> None:
    """Define the abstract's label, text and keywords styles with `para` (as
    :func:`define_styles`'s): plain (indented both sides, the label centred) or a box.

    The box is paragraph shading in ``colors.box`` with borders in the same colour as its
    padding and a 2 pt rule in ``colors.accent`` on its left; Word and LibreOffice join the
    borders of consecutive paragraphs alike into one box. Indents put the box's outer edges
    on the text block's, so it spans the text width as in the PDF.
    """
    size, spacing, abstract = t.fonts.size, t.fonts.line_spacing, t.abstract_size
    align = WD_PARAGRAPH_ALIGNMENT.JUSTIFY if t.align == "justify" else _LEFT
    if t.abstract_style != "box":
        indent = t.abstract_indent
        para(STYLE.abstract_title, size=abstract, leading=abstract * _AUTHORS, bold=True,
             alignment=_CENTER, before=14, after=3, keep_next=True)
        para(STYLE.abstract, size=abstract, leading=abstract * spacing, alignment=align,
             after=4, left=indent, right=indent)
        # The space after the keywords is the PDF's one-line spacer closing the title block.
        para(STYLE.keywords, size=abstract, leading=abstract * spacing, alignment=_LEFT,
             before=4, after=size, left=indent, right=indent)
        return
    pt = 25.4 / 72
    left, right = (_BOX_PADDING + _BOX_RULE / 8) * pt, (_BOX_PADDING + 0.5) * pt
    label = para(STYLE.abstract_title, font=t.fonts.headings.docx, size=abstract,
                 leading=abstract * _AUTHORS, bold=True, alignment=_LEFT, before=size,
                 after=3, left=left, right=right, keep_next=True)
    _color(label, t.heading_color)
    text = para(STYLE.abstract, size=abstract, leading=abstract * spacing, alignment=align,
                after=4, left=left, right=right)
    keywords = para(STYLE.keywords, size=abstract, leading=abstract * spacing,
                    alignment=_LEFT, before=4, after=size, left=left, right=right)
    for style in (label, text, keywords):
        set_paragraph_frame(style, t.box_color[1:].upper(), vertical=_BOX_PADDING,
                            horizontal=_BOX_PADDING,
                            left=(t.accent_color[1:].upper(), _BOX_RULE))


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
    headings = _heading_styles(doc.styles)
    for index in range(9):
        name = f"Heading {index + 1}"
        style = headings.get(BabelFish.ui2internal(name))
        set_style_numbering(style if style is not None else doc.styles[name], num_id, index)
    return plan


def _heading_styles(styles: Styles) -> dict[str, BaseStyle]:
    """Return the first style of each name starting "heading " (as ``styles[name]`` finds
    it), found by one XPath: python-docx's lookup is an XPath and a proxy per name."""
    found: dict[str, BaseStyle] = {}
    for element in styles.element.xpath('w:style[starts-with(w:name/@w:val, "heading ")]'):
        name = element.name_val
        if name not in found:
            found[name] = StyleFactory(element)
    return found


def _em_width(number: str) -> float:
    """Return the estimated width of heading number `number` in em (bold serif)."""
    widths = {".": 0.25, "I": 0.4}
    return sum(widths.get(c, 0.75 if c.isupper() else 0.5) for c in number)
