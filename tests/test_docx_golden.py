"""Golden files of the Word writer: the WordprocessingML each model element becomes.

For each element a tiny paper holding just that element is written; the body of its
``word/document.xml`` (and, for notes, the notes of ``word/footnotes.xml``) is normalized -
pretty-printed, attributes sorted, revision ids dropped, namespaces declared once - and
compared with ``tests/golden/docx/<element>.xml``. A change to the writer's output shows up
as a readable diff of that file. After an intended change, rewrite them with::

    pytest tests/test_docx_golden.py --update-goldens

and review the diff before committing.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any, Callable

import pytest
from lxml import etree

from paperkit.model import (BibEntry, BlockQuote, BulletList, Cite, CiteItem, Code, CodeBlock,
                            Emph, Figure, LineBreak, Link, Math, MathBlock, Note, OrderedList,
                            Paper, Paragraph, Ref, Section, SmallCaps, Strong, Subscript,
                            Superscript, Table, Text, ThematicBreak)
from paperkit.options import BuildOptions
from paperkit.templates import load_template
from paperkit.writers.docx import write_docx

GOLDEN = Path(__file__).parent / "golden" / "docx"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NSMAP = {"w": W,
         "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
         "m": "http://schemas.openxmlformats.org/officeDocument/2006/math",
         "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
         "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
         "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture"}


def _png(width: int, height: int) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (0, 90, 160)).save(buffer, "PNG")
    return buffer.getvalue()


def _table(**values: Any) -> Table:
    return Table([[Text("Country")], [Text("Trade")]],
                 [[[Text("Kazakhstan")], [Text("1,200")]], [[Emph("Uzbekistan")], [Text("800")]]],
                 align=["left", "right"], **values)


ELEMENTS: dict[str, Callable[[], Paper]] = {
    "paragraph": lambda: Paper(blocks=[Paragraph([
        Text("Plain "), Emph("emphasis"), Text(", "), Strong("strong"), Text(", "),
        Strong([Emph("both")]), Text(", "), Code("code()"), Text(", "),
        Link("a link", "https://example.org/?a=1&b=2"), Text(", "), SmallCaps("caps"),
        Text(", H"), Subscript("2"), Text("O, x"), Superscript("2"), LineBreak(),
        Text("after a break; <&> “quotes”.")])]),
    "heading": lambda: Paper(sections=[
        Section("Introduction", 1, number="1", label="sec:intro",
                blocks=[Paragraph("First paragraph."), Paragraph("Second paragraph.")],
                subsections=[Section([Text("A "), Emph("Background")], 2, number="1.1",
                                     label="sec:background",
                                     subsections=[Section("Detail", 3, number="1.1.1",
                                                          label="sec:detail")])]),
        Section("Acknowledgements", 1, numbered=False, label="sec:ack")]),
    "bullet_list": lambda: Paper(blocks=[BulletList([
        [Paragraph("first item")],
        [Paragraph("second item"), Paragraph("its second paragraph"),
         BulletList([[Paragraph("nested item")]])],
        [Paragraph("third item")]])]),
    "ordered_list": lambda: Paper(blocks=[OrderedList([
        [Paragraph("third")],
        [Paragraph("fourth"), OrderedList([[Paragraph("sub a")], [Paragraph("sub b")]])]],
        start=3)]),
    "quote": lambda: Paper(blocks=[Paragraph("Before."), BlockQuote([
        Paragraph("Quoted text."), BlockQuote([Paragraph("Nested quote.")])])]),
    "code": lambda: Paper(blocks=[CodeBlock('def f(x):\n    return x  # <tag> & "q"\n',
                                            "python")]),
    "table": lambda: Paper(blocks=[_table(caption=[Text("Trade with "), Emph("Japan")],
                                          label="tbl:trade", number=1)]),
    "figure": lambda: Paper(blocks=[Figure("map.png", [Text("A map of the region")],
                                           alt="A map", label="fig:map", number=1,
                                           data=_png(40, 30))]),
    "footnote": lambda: Paper(blocks=[Paragraph([
        Text("Body text"), Note([Paragraph([Text("A note with "), Emph("emphasis"),
                                            Text(".")]),
                                 Paragraph("Its second paragraph.")]),
        Text(" continues.")])]),
    "math": lambda: Paper(blocks=[
        Paragraph([Text("Inline "), Math("E = mc^2"), Text(" and "), Math(r"\alpha_i")]),
        MathBlock(r"\frac{a}{b} = \sum_{i=1}^{n} x_i^2 + \sqrt{y}")]),
    "citation": lambda: Paper(
        blocks=[Paragraph([
            Text("As argued "),
            Cite([CiteItem("buzan2022")], "[@buzan2022]", rendered=[
                Text("("), Link("Buzan, 2022", "#ref-buzan2022"), Text(")")]),
            Text(" and by "),
            Cite([CiteItem("nye1990", "author-in-text")], "@nye1990", rendered=[
                Link("Nye (1990)", "#ref-nye1990")]),
            Text(", not by "), Cite([CiteItem("missing")], "[@missing]"), Text(".")])],
        bibliography=[
            BibEntry("buzan2022", [Text("Buzan, B. (2022). "), Emph("Security"),
                                   Text(". "), Link("https://doi.org/10.1/x",
                                                    "https://doi.org/10.1/x")]),
            BibEntry("nye1990", [Text("Nye, J. S. (1990). Soft Power. "),
                                 Emph("Foreign Policy"), Text(", 80, 153–171.")])]),
    "cross_reference": lambda: Paper(sections=[Section(
        "Method", 1, number="1", label="sec:method", blocks=[
            _table(caption="Data", label="tbl:data", number=1),
            Paragraph([Text("See "), Ref("sec:method", "1"), Text(", "), Ref("tbl:data", "1"),
                       Text(" and "), Ref("fig:none"), Text(".")])])]),
    "thematic_break": lambda: Paper(blocks=[Paragraph("Before."), ThematicBreak(),
                                            Paragraph("After.")]),
}


def normalize(docx: bytes) -> str:
    """Return the body of `docx`'s document (and its footnotes) as normalized, readable XML."""
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        document = etree.fromstring(archive.read("word/document.xml"))
        notes = (etree.fromstring(archive.read("word/footnotes.xml"))
                 if "word/footnotes.xml" in archive.namelist() else None)
    root = etree.Element("golden", nsmap=NSMAP)
    body = etree.SubElement(root, f"{{{W}}}body")
    for child in document.find(f"{{{W}}}body"):
        if child.tag != f"{{{W}}}sectPr":
            body.append(child)
    if notes is not None:
        holder = etree.SubElement(root, f"{{{W}}}footnotes")
        for note in notes:
            if int(note.get(f"{{{W}}}id")) > 0:
                holder.append(note)
    for element in root.iter():
        items = sorted((k, v) for k, v in element.attrib.items() if "rsid" not in k)
        element.attrib.clear()
        for key, value in items:
            element.set(key, value)
    etree.cleanup_namespaces(root, top_nsmap=NSMAP)
    etree.indent(root, space="  ")
    return str(etree.tostring(root, encoding="unicode")) + "\n"


@pytest.mark.parametrize("element", sorted(ELEMENTS))
def test_docx_golden(element: str, request: pytest.FixtureRequest) -> None:
    output = normalize(write_docx(ELEMENTS[element](), load_template("article"),
                                  BuildOptions())["paper.docx"])
    path = GOLDEN / f"{element}.xml"
    if request.config.getoption("--update-goldens"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(output, encoding="utf-8")
    assert path.exists(), f"no golden file {path}; run with --update-goldens"
    assert output == path.read_text(encoding="utf-8")


def test_every_element_of_the_model_has_a_golden() -> None:
    """The golden set covers every block and inline kind the writer handles."""
    from typing import get_args

    from paperkit.model import Block, Inline

    seen: set[str] = set()

    def visit(node: object) -> None:
        seen.add(type(node).__name__)
        for name in getattr(node, "__slots__", ()):
            value = getattr(node, name, None)
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, list):
                    for inner in item:
                        visit(inner)
                elif hasattr(item, "__slots__") and not isinstance(item, (str, bytes)):
                    visit(item)

    for make in ELEMENTS.values():
        paper = make()
        for part in (paper.blocks, paper.sections, paper.bibliography or []):
            for node in part:
                visit(node)
    kinds = {t.__name__ for t in (*get_args(Block), *get_args(Inline))}
    assert kinds <= seen, kinds - seen
