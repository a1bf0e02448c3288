"""The floor for paperkit's Word route: bare python-docx laying out a paper's content.

Run: ``python benchmarks/floor_docx.py PAPER_FOLDER OUT.docx``.

The content is :mod:`floor_source`'s (the same as :mod:`floor_reportlab` sets): title,
abstract, headings, paragraphs, list items and quotes in Word's built-in styles, with runs
for emphasis, strong, inline code and footnote marks, each citation an internal hyperlink to
a bookmark on its reference entry, the footnote texts as paragraphs after the body, tables
in "Table Grid", the reference list with a hanging indent. It uses python-docx's public API
the way its documentation does (styles by name), plus the small OOXML python-docx has no
API for (hyperlinks, bookmarks). Each style's id is looked up once and set on the paragraph
(python-docx resolves a name or style object against every style on each assignment, a
cost no careful script pays). No numbering, footnotes part, fields, page setup,
properties or normalized zip: what paperkit costs beyond this is its own overhead.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph

sys.path.insert(0, str(Path(__file__).resolve().parent))
from floor_source import Block, Span, read  # noqa: E402

STYLES = {"title": "Title", "abstract": "Quote", "para": "Body Text", "item": "List Bullet",
          "quote": "Intense Quote", "note": "Body Text", "ref": "Body Text"}


def add_spans(paragraph: Paragraph, spans: list[Span]) -> None:
    """Append `spans` as runs (and internal hyperlinks) to `paragraph`."""
    for text, kind in spans:
        if kind.startswith("#"):
            link = OxmlElement("w:hyperlink")
            link.set(qn("w:anchor"), kind[1:])
            run = OxmlElement("w:r")
            t = OxmlElement("w:t")
            t.text = text
            run.append(t)
            link.append(run)
            paragraph._p.append(link)
            continue
        run = paragraph.add_run(text)
        if kind == "i":
            run.italic = True
        elif kind == "b":
            run.bold = True
        elif kind == "code":
            run.font.name = "Liberation Mono"
        elif kind == "sup":
            run.font.superscript = True


def bookmark(paragraph: Paragraph, name: str, number: int) -> None:
    """Wrap `paragraph`'s content in bookmark `name` (a citation link's target)."""
    start = OxmlElement("w:bookmarkStart")
    start.set(qn("w:id"), str(number))
    start.set(qn("w:name"), name)
    end = OxmlElement("w:bookmarkEnd")
    end.set(qn("w:id"), str(number))
    paragraph._p.insert(1 if paragraph._p.pPr is not None else 0, start)
    paragraph._p.append(end)


def build(blocks: list[Block], target: Path) -> None:
    doc = Document()
    section = doc.sections[0]
    section.left_margin = section.right_margin = Mm(25)
    doc.styles["Normal"].font.name = "Liberation Serif"
    doc.styles["Normal"].font.size = Pt(11)
    ids: dict[str, str] = {}

    def styled(name: str) -> Paragraph:
        paragraph = doc.add_paragraph()
        if name not in ids:
            ids[name] = doc.styles[name].style_id
        paragraph._p.style = ids[name]
        return paragraph

    for number, block in enumerate(blocks):
        if block.kind == "heading":
            add_spans(styled(f"Heading {min(block.level, 9)}"), block.spans)
        elif block.kind == "table":
            columns = max(len(row) for row in block.rows)
            table = doc.add_table(rows=len(block.rows), cols=columns, style="Table Grid")
            for row, cells in zip(block.rows, table.rows):
                for spans, cell in zip(row, cells.cells):
                    add_spans(cell.paragraphs[0], spans)
        else:
            paragraph = styled(STYLES[block.kind])
            if block.kind == "note":
                paragraph.add_run(block.mark + " ").font.superscript = True
            add_spans(paragraph, block.spans)
            if block.kind == "ref":
                paragraph.paragraph_format.left_indent = Mm(8)
                paragraph.paragraph_format.first_line_indent = Mm(-8)
                bookmark(paragraph, f"ref-{block.key}", number)
    doc.save(str(target))


def main(argv: list[str]) -> None:
    source, target = (Path(a) for a in argv)
    build(read(source), target)


if __name__ == "__main__":
    main(sys.argv[1:])
