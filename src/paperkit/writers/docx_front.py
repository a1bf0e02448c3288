"""Document-wide pieces of the Word writer: anchors, the table of contents, properties.

The table of contents is Word's own: a ``TOC \\o "1-3" \\h \\z \\u`` field in a content control
marked as the document's table of contents (``docPartGallery`` "Table of Contents"), the
form Word's References > Table of Contents inserts, with ``w:updateFields`` set so Word
offers to refresh it on opening. LibreOffice does not refresh fields when it opens or
converts a file, so the field's result is filled in already: one entry per heading of
levels 1-3, its number and title linked to the heading's bookmark. Page numbers need a
layout and are left to the first update (Word's "Update Field", LibreOffice's "Update
Index"); until then the entries carry none.
"""

from __future__ import annotations

from typing import Iterable, Iterator

from docx.document import Document as DocxDocument
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.text.paragraph import Paragraph as DocxParagraph

from ..model import Block, BlockQuote, BulletList, Figure, OrderedList, Paper, Table
from ..templates import Template
from ..walk import iter_sections, plain_text
from . import layout
from .docx_elements import Bookmarks, RunSink, set_paragraph_style, w_element, xml_safe
from .docx_parts import app_properties_xml, set_app_properties, set_update_fields
from .docx_styles import STYLE

__all__ = ["collect_anchors", "add_toc", "set_properties", "set_statistics",
           "REFERENCES_ANCHOR", "TOC_TITLE", "TOC_LEVELS"]

#: The anchor of the reference list's heading (the PDF writer's name for it).
REFERENCES_ANCHOR = "pk-references"
#: The heading of the table of contents. (The template has no key for it yet.)
TOC_TITLE = "Contents"
#: The heading levels the table of contents lists.
TOC_LEVELS = 3


def collect_anchors(paper: Paper, template: Template, typed: dict[int, str]
                    ) -> dict[str, str]:
    """Return every anchor the document will hold, in document order, with what a ``REF``
    field to it can show: "caption" (numbered table or figure), "heading" (a heading Word
    numbers; `typed` lists those it does not), or "" (nothing: link text only)."""
    anchors: dict[str, str] = {}

    def add(anchor: str, kind: str) -> None:
        anchors.setdefault(anchor, kind)

    def blocks(items: list[Block]) -> None:
        for block in items:
            match block:
                case Table(label=label, number=number) | Figure(label=label, number=number) \
                        if label:
                    add(label, "caption" if number is not None else "")
                case BlockQuote(blocks=inner):
                    blocks(inner)
                case BulletList(items=list_items) | OrderedList(items=list_items):
                    for item in list_items:
                        blocks(item)
                case _:
                    pass

    blocks(paper.blocks)
    for section in iter_sections(paper.sections):
        if section.label:
            numbered = layout.heading_text_number(section, template) and id(section) not in typed
            add(section.label, "heading" if numbered else "")
        blocks(section.blocks)
    if paper.bibliography:
        add(REFERENCES_ANCHOR, "")
    for entry in paper.bibliography or []:
        add(layout.entry_anchor(entry.key), "")
    return anchors


def _toc_entries(paper: Paper, template: Template) -> Iterator[tuple[int, str, str | None]]:
    """Yield (level, text, anchor) for each heading the table of contents lists."""
    for section in iter_sections(paper.sections):
        if section.level > TOC_LEVELS:
            continue
        number = layout.heading_text_number(section, template)
        title = plain_text(section.title)
        yield section.level, f"{number} {title}" if number else title, section.label
    if paper.bibliography:
        yield 1, template.references_title, REFERENCES_ANCHOR


def add_toc(doc: DocxDocument, paper: Paper, template: Template, marks: Bookmarks) -> None:
    """Append the table of contents (see the module docstring) to the body of `doc`."""
    sdt = OxmlElement("w:sdt")
    sdt_pr = OxmlElement("w:sdtPr")
    part_obj = OxmlElement("w:docPartObj")
    part_obj.append(w_element("w:docPartGallery", val="Table of Contents"))
    part_obj.append(OxmlElement("w:docPartUnique"))
    sdt_pr.append(part_obj)
    content = OxmlElement("w:sdtContent")
    sdt.append(sdt_pr)
    sdt.append(content)
    doc.element.body.insert_element_before(sdt, "w:sectPr")

    def paragraph(style: str) -> tuple[DocxParagraph, RunSink]:
        element = OxmlElement("w:p")
        content.append(element)
        para = DocxParagraph(element, doc._body)
        set_paragraph_style(para, style)
        return para, RunSink(para)

    _, title = paragraph(STYLE.toc_heading)
    title.add_run(xml_safe(TOC_TITLE))
    entries = list(_toc_entries(paper, template))
    sink: RunSink | None = None
    for index, (level, text, anchor) in enumerate(entries):
        _, sink = paragraph(f"toc {level}")
        if index == 0:
            _field_char(sink, "begin")
            _instruction(sink, f' TOC \\o "1-{TOC_LEVELS}" \\h \\z \\u ')
            _field_char(sink, "separate")
        target = sink.hyperlink(anchor=marks.name(anchor)) \
            if anchor and anchor in marks.targets() else sink
        target.add_run(xml_safe(text))
    if sink is None:
        # No headings: an empty result that the first update fills.
        _, sink = paragraph("toc 1")
        _field_char(sink, "begin")
        _instruction(sink, f' TOC \\o "1-{TOC_LEVELS}" \\h \\z \\u ')
        _field_char(sink, "separate")
    _field_char(sink, "end")
    set_update_fields(doc)


def _field_char(sink: RunSink, kind: str) -> None:
    sink.add_run()._r.append(w_element("w:fldChar", fldCharType=kind))


def _instruction(sink: RunSink, text: str) -> None:
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = text
    sink.add_run()._r.append(instr)


def set_properties(doc: DocxDocument, paper: Paper) -> None:
    """Set the core properties: title, subject (the subtitle), authors, keywords, language."""
    props = doc.core_properties
    props.title = xml_safe(plain_text(paper.title))
    props.subject = xml_safe(plain_text(paper.subtitle))
    props.author = xml_safe(", ".join(a.name for a in paper.authors))
    props.last_modified_by = props.author
    props.keywords = xml_safe(", ".join(paper.keywords))
    props.language = xml_safe(paper.lang)
    props.comments = ""
    props.category = ""
    props.revision = 1


def set_statistics(doc: DocxDocument) -> None:
    """Write the app properties with the main text's counts, as Word counts them: words
    are whitespace-separated runs of the body's text (title to reference list; notes,
    headers and field codes not included), paragraphs those holding text."""
    paragraphs = [text for text in _paragraph_texts(doc.element.body) if text.strip()]
    text = "\n".join(paragraphs)
    parts = text.split()       # str.split() splits at exactly the str.isspace() characters
    words = len(parts)
    with_spaces = sum(len(p) for p in paragraphs)
    characters = sum(map(len, parts))
    set_app_properties(doc, app_properties_xml(words, characters, with_spaces,
                                               len(paragraphs)))


def _paragraph_texts(body: BaseOxmlElement) -> Iterable[str]:
    """Yield the visible text of each paragraph under `body` (tabs and breaks as spaces)."""
    text_tag = qn("w:t")
    for paragraph in body.iter(qn("w:p")):
        yield "".join((node.text or "") if node.tag == text_tag else " "
                      for node in paragraph.iter(text_tag, qn("w:tab"), qn("w:br")))
