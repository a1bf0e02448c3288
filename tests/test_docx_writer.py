"""The Word writer: build the sample paper, read the .docx back (python-docx, raw parts).

Each test names the Word feature it checks; the slow test converts with LibreOffice and reads
the PDF text back.
"""

from __future__ import annotations

from typing import Any

import io
import re
import subprocess
import zipfile
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

import docx
import pytest
from docx.shared import Mm, Pt
from lxml import etree

from conftest import require_tool
from paperkit.model import (BulletList, Cite, CiteItem, CodeBlock, Figure, Link, Math, Note,
                            OrderedList, Paper, Paragraph, Section, Text)
from paperkit.options import BuildOptions
from paperkit.templates import Template, load_template
from paperkit.writers import layout
from paperkit.writers.docx import write_docx
from paperkit.writers.docx_elements import Bookmarks
from sample_paper import sample_paper

NS = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
      "m": "http://schemas.openxmlformats.org/officeDocument/2006/math",
      "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
      "rel": "http://schemas.openxmlformats.org/package/2006/relationships"}
W = "{%s}" % NS["w"]


def style_name(item: Any) -> str:
    """Return the name of `item`'s style (a paragraph's or a table's; python-docx types
    the style as optional)."""
    style = item.style
    return "" if style is None else str(style.name)


def build(paper: Paper | None = None, template: Template | None = None,
          **options: Any) -> bytes:
    """Return the .docx bytes of `paper` (the sample) in `template` (article)."""
    result = write_docx(paper or sample_paper(), template or load_template("article"),
                        BuildOptions(**options))
    assert list(result) == ["paper.docx"]
    return result["paper.docx"]


class Docx:
    """A built .docx read back: python-docx's view plus the raw XML of its parts."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.zip = zipfile.ZipFile(io.BytesIO(data))
        self.document = docx.Document(io.BytesIO(data))

    def xml(self, name: str) -> etree._Element:
        return etree.fromstring(self.zip.read(name))

    @property
    def body(self) -> etree._Element:
        return self.xml("word/document.xml")

    def style_id(self, paragraph: etree._Element) -> str | None:
        found = paragraph.find("w:pPr/w:pStyle", NS)
        return None if found is None else found.get(W + "val")


def text_of(element: etree._Element) -> str:
    """Return the visible text of `element` (runs' text, tabs as spaces)."""
    parts = []
    for node in element.iter(W + "t", W + "tab", "{%s}t" % NS["m"]):
        parts.append(" " if node.tag == W + "tab" else (node.text or ""))
    return "".join(parts)


@pytest.fixture(scope="module")
def sample_docx() -> Docx:
    return Docx(build())


# ---------------------------------------------------------------------- headings


def _formats(root: etree._Element, num_id: str) -> dict[int, tuple[str, str]]:
    """Return {level: (numFmt, lvlText)} of w:num `num_id` in numbering.xml `root`."""
    num = root.find(f"w:num[@w:numId='{num_id}']", NS)
    abstract_id = num.find("w:abstractNumId", NS).get(W + "val")
    abstract = root.find(f"w:abstractNum[@w:abstractNumId='{abstract_id}']", NS)
    return {int(lvl.get(W + "ilvl")): (lvl.find("w:numFmt", NS).get(W + "val"),
                                      lvl.find("w:lvlText", NS).get(W + "val"))
            for lvl in abstract.findall("w:lvl", NS)}


def _format_number(value: int, fmt: str) -> str:
    if fmt == "decimal":
        return str(value)
    if fmt in ("upperLetter", "lowerLetter"):
        letter = chr(ord("A") + value - 1)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt == "upperRoman":
        return ["", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"][value]
    raise AssertionError(fmt)


def displayed_heading_numbers(doc: Docx) -> list[tuple[str, str]]:
    """Return (number Word shows, title) per heading, computed as Word numbers them.

    The heading's numbering comes from its paragraph's numPr, else its style's; numId 0
    means none. Counters restart below the level used, as Word's lvlRestart default does.
    """
    styles = doc.xml("word/styles.xml")
    numbering = doc.xml("word/numbering.xml")
    counters: dict[str, list[int]] = {}
    out = []
    for paragraph in doc.body.iter(W + "p"):
        style_id = doc.style_id(paragraph) or ""
        if not re.fullmatch(r"Heading\d", style_id):
            continue
        style = styles.find(f"w:style[@w:styleId='{style_id}']", NS)
        num_pr = paragraph.find("w:pPr/w:numPr", NS)
        if num_pr is None:
            num_pr = style.find("w:pPr/w:numPr", NS)
        title = text_of(paragraph)
        if num_pr is None or num_pr.find("w:numId", NS).get(W + "val") == "0":
            out.append(("", title))
            continue
        num_id = num_pr.find("w:numId", NS).get(W + "val")
        level = int(num_pr.find("w:ilvl", NS).get(W + "val"))
        formats = _formats(numbering, num_id)
        count = counters.setdefault(num_id, [0] * 9)
        count[level] += 1
        count[level + 1:] = [0] * (8 - level)
        text = formats[level][1]
        for index in range(level + 1):
            text = text.replace(f"%{index + 1}", _format_number(count[index],
                                                               formats[index][0]))
        out.append((text, title))
    return out


def test_headings_use_word_heading_styles_with_numbering_on_the_style(sample_docx: Docx) -> None:
    headings = [(style_name(p), p.text) for p in sample_docx.document.paragraphs
                if style_name(p).startswith("Heading")]
    assert headings[:4] == [("Heading 1", "Introduction"), ("Heading 2", "Background"),
                            ("Heading 3", "Detail"), ("Heading 1", "Method")]
    styles = sample_docx.xml("word/styles.xml")
    numbering = sample_docx.xml("word/numbering.xml")
    num_ids = set()
    for level in (1, 2, 3):
        style = styles.find(f"w:style[@w:styleId='Heading{level}']", NS)
        num_pr = style.find("w:pPr/w:numPr", NS)
        assert num_pr.find("w:ilvl", NS).get(W + "val") == str(level - 1)
        num_ids.add(num_pr.find("w:numId", NS).get(W + "val"))
        assert style.find("w:pPr/w:outlineLvl", NS).get(W + "val") == str(level - 1)
    assert len(num_ids) == 1
    formats = _formats(numbering, num_ids.pop())
    assert [formats[i] for i in range(3)] == [("decimal", "%1"), ("decimal", "%1.%2"),
                                              ("decimal", "%1.%2.%3")]
    # no heading carries a typed number
    assert not any(re.match(r"\d", title) for _, title in headings)


def _expected_numbers(paper: Paper, template: Template) -> list[tuple[str, str]]:
    from paperkit.walk import iter_sections, plain_text

    expected = [(layout.heading_text_number(s, template), plain_text(s.title))
                for s in iter_sections(paper.sections)]
    return expected + [("", template.references_title)]


def test_displayed_heading_numbers_equal_the_layout_numbers(sample_docx: Docx) -> None:
    template = load_template("article")
    shown = displayed_heading_numbers(sample_docx)
    assert shown == _expected_numbers(sample_paper(), template)
    assert shown[:4] == [("1", "Introduction"), ("1.1", "Background"), ("1.1.1", "Detail"),
                         ("2", "Method")]


def test_unnumbered_sections_get_num_id_zero(sample_docx: Docx) -> None:
    for paragraph in sample_docx.body.iter(W + "p"):
        if text_of(paragraph) in ("Acknowledgements", "References"):
            assert paragraph.find("w:pPr/w:numPr/w:numId", NS).get(W + "val") == "0"


def test_roman_letter_numbering_scheme() -> None:
    template = replace(load_template("article"), numbering="I.A")
    doc = Docx(build(template=template))
    shown = displayed_heading_numbers(doc)
    assert shown == _expected_numbers(sample_paper(), template)
    assert [n for n, _ in shown[:4]] == ["I", "I.A", "I.A.1", "II"]


def test_no_numbering_scheme_attaches_no_numbers() -> None:
    template = replace(load_template("article"), numbering="none")
    doc = Docx(build(template=template))
    styles = doc.xml("word/styles.xml")
    assert styles.find("w:style[@w:styleId='Heading1']/w:pPr/w:numPr", NS) is None
    assert all(number == "" for number, _ in displayed_heading_numbers(doc))


def test_heading_numbers_word_cannot_count_are_typed_not_lost() -> None:
    # A level-2 section with no level-1 parent: the model says "1" ... Word would show "0.1".
    paper = Paper(title="T", sections=[
        Section([Text("Orphan")], 2, number="1.1", label="sec:orphan"),
        Section([Text("Next")], 1, number="1", label="sec:next"),
        Section([Text("Sub")], 2, number="1.1", label="sec:sub")])
    doc = Docx(build(paper))
    template = load_template("article")
    shown = displayed_heading_numbers(doc)
    assert shown[0] == ("", "1.1 Orphan")           # typed, with Word numbering off
    assert shown[1:3] == [("1", "Next"), ("1.1", "Sub")]
    assert shown[:3] == [("", "1.1 Orphan"), ("1", "Next"), ("1.1", "Sub")]
    assert layout.heading_text_number(paper.sections[1], template) == "1"


# ---------------------------------------------------------------------- footnotes


def test_footnotes_are_native_word_footnotes(sample_docx: Docx) -> None:
    notes = sample_docx.xml("word/footnotes.xml")
    ids = [n.get(W + "id") for n in notes.findall("w:footnote", NS)]
    assert ids[:2] == ["-1", "0"]
    types = [n.get(W + "type") for n in notes.findall("w:footnote", NS)[:2]]
    assert types == ["separator", "continuationSeparator"]
    note = notes.find("w:footnote[@w:id='1']", NS)
    assert "A footnote with emphasis and a citation (Buzan, 2022)." in text_of(note)
    first = note.find("w:p", NS)
    assert sample_docx.style_id(first) == "FootnoteText"
    mark = first.find("w:r/w:footnoteRef", NS).getparent()
    assert mark.find("w:rPr/w:rStyle", NS).get(W + "val") == "FootnoteReference"
    assert note.find(".//w:rStyle[@w:val='Emphasis']", NS) is not None
    reference = sample_docx.body.find(".//w:footnoteReference", NS)
    assert reference.get(W + "id") == "1"
    assert reference.getparent().find("w:rPr/w:rStyle", NS).get(W + "val") == \
        "FootnoteReference"
    settings = sample_docx.xml("word/settings.xml")
    assert [f.get(W + "id") for f in settings.findall("w:footnotePr/w:footnote", NS)] == \
        ["-1", "0"]
    content_types = sample_docx.zip.read("[Content_Types].xml").decode()
    assert "wordprocessingml.footnotes+xml" in content_types
    styles = {s.style_id: s for s in sample_docx.document.styles}
    assert styles["FootnoteReference"].font.superscript is True
    assert styles["FootnoteText"].font.size == Pt(9)


def test_footnote_with_several_paragraphs_a_list_and_a_link() -> None:
    note = Note([Paragraph("First note paragraph."),
                 Paragraph([Text("Second with a "), Link("link", "https://example.com/n")]),
                 BulletList([[Paragraph("listed in a note")]])])
    paper = Paper(title="T", sections=[Section("S", number="1", label="sec:s", blocks=[
        Paragraph([Text("Body"), note, Text(" and more."), Note([Paragraph("Second note.")])])])])
    doc = Docx(build(paper))
    notes = doc.xml("word/footnotes.xml")
    first = notes.find("w:footnote[@w:id='1']", NS)
    paragraphs = first.findall("w:p", NS)
    assert [text_of(p).strip() for p in paragraphs] == [
        "First note paragraph.", "Second with a link", "listed in a note"]
    assert paragraphs[2].find("w:pPr/w:numPr", NS) is not None
    link = paragraphs[1].find("w:hyperlink", NS)
    rels = etree.fromstring(doc.zip.read("word/_rels/footnotes.xml.rels"))
    rel = rels.find(f"rel:Relationship[@Id='{link.get('{%s}id' % NS['r'])}']", NS)
    assert rel.get("Target") == "https://example.com/n" and rel.get("TargetMode") == "External"
    assert text_of(notes.find("w:footnote[@w:id='2']", NS)).strip() == "Second note."
    refs = [r.get(W + "id") for r in doc.body.iter(W + "footnoteReference")]
    assert refs == ["1", "2"]


def test_paper_without_notes_has_no_footnotes_part() -> None:
    doc = Docx(build(Paper(title="T", blocks=[Paragraph("No notes.")])))
    assert "word/footnotes.xml" not in doc.zip.namelist()


# ---------------------------------------------------------------------- tables, figures


def test_table_style_header_row_alignment_and_caption(sample_docx: Docx) -> None:
    table = sample_docx.document.tables[0]
    assert style_name(table) == "Paper Table"
    assert [c.text for c in table.rows[0].cells] == ["Country", "Trade", "Share"]
    assert [c.text for c in table.rows[2].cells] == ["Uzbekistan", "800", "27%"]
    rows = sample_docx.body.findall(".//w:tbl/w:tr", NS)
    assert rows[0].find("w:trPr/w:tblHeader", NS) is not None
    assert all(r.find("w:trPr/w:tblHeader", NS) is None for r in rows[1:])
    for row in rows:
        aligns = [c.find(".//w:jc", NS).get(W + "val") for c in row.findall("w:tc", NS)]
        assert aligns == ["left", "right", "center"]
    tbl = sample_docx.body.find(".//w:tbl", NS)
    caption = tbl.getprevious()
    assert sample_docx.style_id(caption) == "TableCaption"
    assert text_of(caption) == "Table 1: Trade with Japan"
    instr = "".join(t.text for t in caption.iter(W + "instrText"))
    assert instr.split() == ["SEQ", "Table", "\\*", "ARABIC"]
    assert caption.find("w:bookmarkStart", NS).get(W + "name") == "tbl_trade"


def test_figure_fits_the_text_width_with_caption_below(sample_docx: Docx) -> None:
    shapes = sample_docx.document.inline_shapes
    assert len(shapes) == 1
    template = load_template("article")
    assert abs(shapes[0].width - Mm(template.page.text_width)) < Mm(0.1)
    assert abs(shapes[0].height / shapes[0].width - 3 / 4) < 0.01
    drawing = sample_docx.body.find(".//w:drawing", NS)
    paragraph = next(p for p in drawing.iterancestors(W + "p"))
    assert sample_docx.style_id(paragraph) == "Figure"
    assert drawing.find(".//wp:docPr", NS).get("descr") == "map"
    caption = paragraph.getnext()
    assert sample_docx.style_id(caption) == "ImageCaption"
    assert text_of(caption) == "Figure 1: A map of the region"
    assert "SEQ Figure" in " ".join(t.text for t in caption.iter(W + "instrText"))
    assert caption.find("w:bookmarkStart", NS).get(W + "name") == "fig_map"
    # pandoc's caption styles on Word's Caption: a table's keeps with the table below it
    styles = sample_docx.document.styles
    assert styles["Image Caption"].base_style.name == "Caption"
    assert styles["Table Caption"].base_style.name == "Caption"
    assert styles["Image Caption"].paragraph_format.keep_with_next is False
    assert styles["Table Caption"].paragraph_format.keep_with_next is True
    assert styles["Caption"].paragraph_format.keep_with_next is True
    # "Figure 1:" is bold through a character style, as the PDF's caption label
    labels = [r for r in caption.iter(W + "r")
              if r.find("w:rPr/w:rStyle", NS) is not None and
              r.find("w:rPr/w:rStyle", NS).get(W + "val") == "CaptionLabel"]
    assert "".join(text_of(r) for r in labels) == "Figure 1:"
    assert styles["Caption Label"].font.bold is True
    media = [n for n in sample_docx.zip.namelist() if n.startswith("word/media/")]
    assert len(media) == 1


def _png(width: int, height: int) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (0, 90, 160)).save(buffer, "PNG")
    return buffer.getvalue()


def test_tall_figure_is_capped_and_jpeg_is_kept() -> None:
    from PIL import Image

    jpeg = io.BytesIO()
    Image.new("RGB", (300, 200), (200, 30, 30)).save(jpeg, "JPEG")
    paper = Paper(title="T", blocks=[
        Figure("tall.png", "Tall", number=1, data=_png(10, 100)),
        Figure("photo.jpg", "Photo", number=2, data=jpeg.getvalue())])
    template = load_template("article")
    doc = Docx(build(paper, template))
    tall, photo = doc.document.inline_shapes
    page = template.page
    cap = Mm(page.height * 0.6)
    assert tall.height <= cap + 1 and tall.width < Mm(page.text_width)
    assert abs(tall.height / tall.width - 10) < 0.01
    assert abs(photo.width - Mm(page.text_width)) < Mm(0.1)
    names = doc.zip.namelist()
    assert any(n.endswith(".jpg") or n.endswith(".jpeg") for n in names if "media" in n)


def test_unreadable_image_is_an_input_error() -> None:
    from paperkit.errors import InputError

    paper = Paper(title="T", blocks=[Figure("x.png", "X", number=1, data=b"not an image")])
    with pytest.raises(InputError) as info:
        build(paper)
    assert info.value.diagnostic.code == "PK105"
    assert "x.png" in str(info.value)


# ---------------------------------------------------------------------- links and references


def test_every_internal_link_has_a_bookmark_and_names_are_word_legal(sample_docx: Docx) -> None:
    parts = [sample_docx.body, sample_docx.xml("word/footnotes.xml")]
    anchors = [h.get(W + "anchor") for part in parts for h in part.iter(W + "hyperlink")
               if h.get(W + "anchor")]
    marks = {b.get(W + "name") for b in sample_docx.body.iter(W + "bookmarkStart")}
    assert set(anchors) <= marks
    assert {"sec_method", "fig_map", "tbl_trade", "ref_buzan2022",
            "ref_takahashi2023"} <= set(anchors)
    assert all(re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{0,39}", name) for name in marks)
    ids = [b.get(W + "id") for b in sample_docx.body.iter(W + "bookmarkStart")]
    assert len(ids) == len(set(ids))


def test_cross_references_and_citations_link_with_their_text(sample_docx: Docx) -> None:
    links = {text_of(h): h.get(W + "anchor") for h in sample_docx.body.iter(W + "hyperlink")
             if h.get(W + "anchor")}
    assert links["Section 2"] == "sec_method"
    assert links["Figure 1"] == "fig_map"
    assert links["Table 1"] == "tbl_trade"
    assert links["Buzan, 2022"] == "ref_buzan2022"
    assert links["Takahashi (2023)"] == "ref_takahashi2023"
    # numbers Word can keep current are REF fields inside the links
    fields = {text_of(h): " ".join(" ".join(t.text for t in h.iter(W + "instrText")).split())
              for h in sample_docx.body.iter(W + "hyperlink")}
    # MERGEFORMAT: an updated "Table 1" keeps the body's look, not the bold caption label's
    assert fields["Section 2"] == "REF sec_method \\w \\h \\* MERGEFORMAT"
    assert fields["Table 1"] == "REF tbl_trade \\h \\* MERGEFORMAT"
    assert fields["Figure 1"] == "REF fig_map \\h \\* MERGEFORMAT"
    assert fields["Buzan, 2022"] == ""
    # internal links look like links, as in the PDF: the Hyperlink character style
    for hyperlink in sample_docx.body.iter(W + "hyperlink"):
        styles = {r.get(W + "val") for r in hyperlink.iter(W + "rStyle")}
        assert styles == {"Hyperlink"}, text_of(hyperlink)


def test_external_link_is_a_real_hyperlink(sample_docx: Docx) -> None:
    link = next(h for h in sample_docx.body.iter(W + "hyperlink") if text_of(h) == "link")
    r_id = link.get("{%s}id" % NS["r"])
    assert sample_docx.document.part.rels[r_id].target_ref == "https://example.org/?a=1&b=2"
    assert sample_docx.document.part.rels[r_id].is_external
    assert link.find(".//w:rStyle", NS).get(W + "val") == "Hyperlink"


def test_bibliography_entries_are_bookmarked_with_a_hanging_indent(sample_docx: Docx) -> None:
    entries = [p for p in sample_docx.body.iter(W + "p")
               if sample_docx.style_id(p) == "Bibliography"]
    assert [e.find("w:bookmarkStart", NS).get(W + "name") for e in entries] == \
        ["ref_buzan2022", "ref_takahashi2023"]
    assert text_of(entries[0]).startswith("Buzan, B. (2022). Security")
    assert entries[1].find("w:hyperlink", NS) is not None   # the DOI link
    heading = entries[0].getprevious()
    assert text_of(heading) == "References" and sample_docx.style_id(heading) == "Heading1"
    style = sample_docx.document.styles["Bibliography"].paragraph_format
    assert abs(style.left_indent - Mm(12.7)) < Mm(0.05)
    assert abs(style.first_line_indent + Mm(12.7)) < Mm(0.05)


def test_links_to_missing_anchors_are_plain_text_and_unresolved_cites_are_visible() -> None:
    paper = Paper(title="T", blocks=[Paragraph([
        Link("nowhere", "#no-such-anchor"), Text(" "),
        Cite([CiteItem("ghost")], "[@ghost]", rendered=None)])])
    doc = Docx(build(paper))
    assert doc.body.find(".//w:hyperlink", NS) is None
    assert "nowhere [?ghost]" in text_of(doc.body)


def test_bookmark_names_are_legal_unique_and_stable() -> None:
    marks = Bookmarks()
    names = [marks.name(a) for a in ["ref-a-b", "ref-a_b", "1st", "ref-Müller2020",
                                     "x" * 60, "x" * 61, "sec:日本"]]
    assert names[:4] == ["ref_a_b", "ref_a_b_2", "pk_1st", "ref_Muller2020"]
    assert len(set(names)) == len(names)
    assert all(re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{0,39}", n) for n in names)
    assert marks.name("ref-a_b") == "ref_a_b_2"


# ---------------------------------------------------------------------- lists, blocks, math


def test_lists_use_numbering_definitions_and_ordered_lists_restart() -> None:
    paper = Paper(title="T", blocks=[
        OrderedList([[Paragraph("one")], [Paragraph("two"),
                     BulletList([[Paragraph("deep"), OrderedList([[Paragraph("deeper")]])]])]]),
        Paragraph("between"),
        OrderedList([[Paragraph("three")]], start=3)])
    doc = Docx(build(paper))
    numbering = doc.xml("word/numbering.xml")
    items = {}
    for paragraph in doc.body.iter(W + "p"):
        num_pr = paragraph.find("w:pPr/w:numPr", NS)
        if num_pr is not None:
            items[text_of(paragraph)] = (num_pr.find("w:numId", NS).get(W + "val"),
                                         int(num_pr.find("w:ilvl", NS).get(W + "val")))
    assert items["one"] == (items["two"][0], 0)
    assert items["deep"][1] == 1 and items["deeper"][1] == 2
    assert _formats(numbering, items["deep"][0])[1][0] == "bullet"
    assert _formats(numbering, items["one"][0])[0] == ("decimal", "%1.")
    assert items["three"][0] != items["one"][0]

    def start(num_id: str, level: int) -> str:
        num = numbering.find(f"w:num[@w:numId='{num_id}']", NS)
        return str(num.find(f"w:lvlOverride[@w:ilvl='{level}']/w:startOverride", NS)
                   .get(W + "val"))

    assert start(items["one"][0], 0) == "1"
    assert start(items["three"][0], 0) == "3"
    assert start(items["deeper"][0], 2) == "1"


def test_code_quote_rule_and_math_blocks(sample_docx: Docx) -> None:
    by_style: dict[str | None, list[Any]] = {}
    for paragraph in sample_docx.body.iter(W + "p"):
        by_style.setdefault(sample_docx.style_id(paragraph), []).append(paragraph)
    code = by_style["SourceCode"][0]
    assert len(code.findall(".//w:br", NS)) == 1
    assert "return x & 1  # {braces} \\backslash" in text_of(code)
    assert text_of(by_style["Quote"][0]) == "A quoted paragraph."
    assert by_style["ThematicBreak"]
    rule_style = sample_docx.xml("word/styles.xml").find(
        "w:style[@w:styleId='ThematicBreak']", NS)
    assert rule_style.find("w:pPr/w:pBdr/w:bottom", NS) is not None
    display = by_style["DisplayMath"][0]
    assert display.find("m:oMathPara/m:oMath/m:nary", NS) is not None
    assert display.find(".//m:f", NS) is not None
    inline = sample_docx.body.find(".//w:p/m:oMath", NS)
    assert inline.find("m:sSup", NS) is not None
    assert "E=m" in text_of(inline)


def test_math_that_cannot_be_converted_shows_its_source() -> None:
    paper = Paper(title="T", blocks=[Paragraph([Text("x "), Math(r"\frac{1")])])
    doc = Docx(build(paper))
    assert doc.body.find(".//m:oMath", NS) is None
    assert "\\frac{1" in text_of(doc.body)


def test_characters_xml_cannot_hold_are_dropped_and_unicode_survives() -> None:
    text = "ok\x00\x01\x0b\x1f\ufffe Ünïcödé 日本語 \U0001F600 broken\ud800 end"
    paper = Paper(title="T\x07itle", blocks=[Paragraph(text), CodeBlock("a\x0cb")],
                  keywords=["k\x02w"])
    doc = Docx(build(paper))
    body = text_of(doc.body)
    assert "ok Ünïcödé 日本語 \U0001F600 broken\ufffd end" in body
    assert "Title" in body and "ab" in body
    assert doc.document.core_properties.keywords == "kw"


# ---------------------------------------------------------------------- document level


def test_core_properties_and_language(sample_docx: Docx) -> None:
    props = sample_docx.document.core_properties
    assert props.title == "Japan’s Strategic Expansion in Central Asia: The First Summit"
    assert props.author == "Ada Lovelace, Sei Shōnagon"
    assert props.subject == "A Test Paper"
    assert props.keywords == "Japan, Central Asia, diplomacy"
    assert props.created == datetime(2000, 1, 1, tzinfo=timezone.utc)
    styles = sample_docx.xml("word/styles.xml")
    lang = styles.find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)
    assert lang.get(W + "val") == "en-US"
    german = Docx(build(replace(sample_paper(), lang="de-DE"), source_date_epoch=1700000000))
    lang = german.xml("word/styles.xml").find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)
    assert lang.get(W + "val") == "de-DE"
    assert german.document.core_properties.created == datetime(2023, 11, 14, 22, 13, 20, tzinfo=timezone.utc)


def test_same_input_gives_identical_bytes(sample_docx: Docx) -> None:
    again = build()
    assert again == sample_docx.data
    names = sample_docx.zip.namelist()
    assert names[:2] == ["[Content_Types].xml", "_rels/.rels"]
    assert {info.date_time for info in sample_docx.zip.infolist()} == {(2000, 1, 1, 0, 0, 0)}
    assert "docProps/thumbnail.jpeg" not in names
    assert not any("stylesWithEffects" in n for n in names)


def test_page_setup_follows_the_template() -> None:
    article = load_template("article")
    template = replace(article, page=replace(article.page, width=216, height=279, left=30,
                                             right=20, top=15, bottom=35))
    section = Docx(build(template=template)).document.sections[0]
    for value, mm in ((section.page_width, 216), (section.page_height, 279),
                      (section.left_margin, 30), (section.right_margin, 20),
                      (section.top_margin, 15), (section.bottom_margin, 35)):
        assert value is not None and abs(value - Mm(mm)) < Mm(0.05), (value, mm)
    default = Docx(build()).document.sections[0]
    assert default.left_margin is not None
    assert abs(default.left_margin - Mm(article.page.left)) < Mm(0.05)


def test_styles_come_from_the_template() -> None:
    article = load_template("article")
    template = replace(article, fonts=replace(article.fonts, size=12, headings=article.fonts.sans),
                       headings={**article.headings,
                                 1: replace(article.headings[1], size=17, italic=True)},
                       align="left", caption_size=9, abstract_indent=15)
    styles = Docx(build(template=template)).document.styles
    assert styles["Normal"].font.name == "Times New Roman"
    assert styles["Normal"].font.size == Pt(12)
    assert styles["Heading 1"].font.name == "Arial"
    assert styles["Heading 1"].font.size == Pt(17)
    assert styles["Heading 1"].font.italic is True and styles["Heading 1"].font.bold is True
    assert styles["Heading 1"].paragraph_format.space_before == Pt(16)
    assert styles["Body Text"].paragraph_format.alignment == 0       # LEFT
    assert styles["Caption"].font.size == Pt(9)
    assert abs(styles["Abstract"].paragraph_format.left_indent - Mm(15)) < Mm(0.05)
    default = Docx(build()).document.styles
    assert default["Body Text"].paragraph_format.alignment == 3      # JUSTIFY
    assert default["Body Text"].paragraph_format.space_after == Pt(6)
    assert default["Heading 1"].font.name == "Times New Roman"
    # line spacing: at least 1.25 x 11 pt baselines, the PDF's leading
    assert default["Normal"].paragraph_format.line_spacing == Pt(13.75)
    assert default["Normal"].paragraph_format.line_spacing_rule == 3     # AT_LEAST
    assert default["footnote text"].paragraph_format.line_spacing == Pt(9 * 1.2)


def test_footer_page_field_and_running_header(sample_docx: Docx) -> None:
    section = sample_docx.document.sections[0]
    footer = section.footer.paragraphs[0]._p
    assert "PAGE" in "".join(t.text for t in footer.iter(W + "instrText"))
    assert section.header.paragraphs[0].text == "Japan’s Strategic Expansion in Central Asia"
    assert section.different_first_page_header_footer
    assert section.first_page_header.paragraphs[0].text == ""
    template = replace(load_template("article"), footer="page-of", running_header="none")
    other = Docx(build(template=template)).document.sections[0]
    instr = "".join(t.text for t in other.footer.paragraphs[0]._p.iter(W + "instrText"))
    assert instr.split() == ["PAGE", "NUMPAGES"]
    assert other.header.paragraphs[0].text == ""
    template = replace(load_template("article"), footer="none")
    none = Docx(build(template=template)).document.sections[0]
    assert not list(none.footer.paragraphs[0]._p.iter(W + "instrText"))


def test_title_block_styles(sample_docx: Docx) -> None:
    styled = [(style_name(p), p.text) for p in sample_docx.document.paragraphs[:12]]
    assert styled[0] == ("Title", "Japan’s Strategic Expansion in Central Asia: The First Summit")
    assert styled[1] == ("Subtitle", "A Test Paper")
    assert styled[2] == ("Author", "Ada Lovelace1, Sei Shōnagon2")
    assert ("Affiliation", "1University of London") in styled
    assert ("Date", "2025-12-20") in styled
    assert ("Abstract Title", "Abstract") in styled
    assert ("Abstract", "This abstract has emphasis.") in styled
    assert ("Keywords", "Keywords: Japan, Central Asia, diplomacy") in styled
    page_layout = replace(load_template("article"), title_layout="page")
    doc = Docx(build(template=page_layout))
    paragraphs = doc.document.paragraphs
    keywords = next(i for i, p in enumerate(paragraphs) if style_name(p) == "Keywords")
    # The body starts on the page after the title page; nothing else breaks a page.
    assert paragraphs[keywords + 1].paragraph_format.page_break_before
    assert [p for p in paragraphs if p.paragraph_format.page_break_before] == \
        [paragraphs[keywords + 1]]
    assert doc.body.find(".//w:br[@w:type='page']", NS) is None


# ---------------------------------------------------------------------- LibreOffice


@pytest.mark.slow
def test_libreoffice_renders_text_notes_and_heading_numbers(tmp_path: Path) -> None:
    soffice = require_tool("soffice")
    pdftotext = require_tool("pdftotext")
    source = tmp_path / "paper.docx"
    source.write_bytes(build())
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
                   check=True, capture_output=True, timeout=180)
    text = subprocess.run([pdftotext, "-layout", str(tmp_path / "paper.pdf"), "-"],
                          check=True, capture_output=True, text=True).stdout
    lines = [" ".join(line.split()) for line in text.splitlines()]
    for expected in ["1 Introduction", "1.1 Background", "1.1.1 Detail", "2 Method",
                     "Table 1: Trade with Japan", "Figure 1: A map of the region",
                     "References", "Acknowledgements"]:
        assert expected in lines, expected
    flat = " ".join(lines)
    assert "A footnote with emphasis and a citation (Buzan, 2022)." in flat
    assert "Überprüfung, Ελληνικά, Кириллица, 日本語" in flat
    assert "See Section 2, Figure 1 and Table 1" in flat
    assert "Japan’s Strategic Expansion in Central Asia" in flat     # running header


def test_table_columns_fit_their_text_and_long_tables_fill_the_width() -> None:
    from paperkit.model import Table

    long_text = "A long description that needs several lines because it is far longer " * 3
    paper = Paper(title="T", blocks=[
        Table([[Text("Id")], [Text("Description")], [Text("Value")]],
              [[[Text("1")], [Text(long_text)], [Text("3.14")]]], number=1),
        Table([[Text("Country")], [Text("Trade")]],
              [[[Text("Kazakhstan")], [Text("1,200")]]], number=2)])
    template = load_template("article")
    doc = Docx(build(paper, template))
    wide, narrow = doc.document.tables
    widths = [c.width for c in wide.columns]
    assert abs(sum(widths) - Mm(template.page.text_width)) < Mm(0.5)
    assert widths[1] > 5 * widths[0] and widths[1] > 5 * widths[2]
    assert widths[0] > Pt(10) and widths[2] > Pt(20)        # "3.14" stays on one line
    narrow_widths = [c.width for c in narrow.columns]
    assert sum(narrow_widths) < Mm(template.page.text_width) / 2
    assert narrow_widths[0] > Pt(45)                          # "Kazakhstan" at 10 pt
    # short tables stay on one page: every row but the last keeps with the next
    keeps = [row.cells[0].paragraphs[0].paragraph_format.keep_with_next
             for row in narrow.rows]
    assert keeps == [True, None]


def test_unusual_structures_build_and_read_back() -> None:
    from paperkit.model import Block, BlockQuote, MathBlock, Table, ThematicBreak

    deep: list[Block] = [Paragraph("level 12")]
    for level in range(11, -1, -1):
        deep = [Paragraph(f"level {level}"), BulletList([deep])]
    inner_note = Note([Paragraph("inner")])
    cite_with_note = Cite([CiteItem("k")], "[@k]", rendered=[inner_note])
    note = Note([Paragraph([Text("outer "), cite_with_note]),
                 Table([[Text("a")], [Text("b")]], [[[Text("1")], [Text("2")]]], number=None),
                 Figure("n.png", "", data=_png(20, 10)),
                 BlockQuote([Paragraph("quoted in a note")])])
    paper = Paper(blocks=[
        BulletList([deep]), BlockQuote([BlockQuote([Paragraph("nested quote")])]),
        Paragraph([Text("note: "), note]), OrderedList([[]], start=0), BulletList([]),
        Table([], [], number=None), MathBlock(""), ThematicBreak(), CodeBlock(""),
        Paragraph([]), Figure("f.png", "", number=None, data=_png(5, 5))],
        sections=[Section([], 1, number="1"), Section("Deep", 7, number="1.0.0.0.0.0.1")])
    doc = Docx(build(paper))
    levels = [int(p.find("w:pPr/w:numPr/w:ilvl", NS).get(W + "val"))
              for p in doc.body.iter(W + "p") if p.find("w:pPr/w:numPr/w:ilvl", NS) is not None]
    assert max(levels) == 8                                # Word's deepest list level
    notes = doc.xml("word/footnotes.xml")
    note_text = text_of(notes.find("w:footnote[@w:id='1']", NS))
    assert "outer inner" in note_text and "quoted in a note" in note_text
    assert notes.find(".//w:tbl", NS) is not None and notes.find(".//w:drawing", NS) is not None
    assert len(list(notes.iter(W + "footnote"))) == 3      # separators + one note
    assert doc.document.paragraphs[0].text == "level 0"
    assert style_name(doc.document.paragraphs[0]) == "List Paragraph"


def test_arbitrary_text_never_breaks_the_build() -> None:
    from hypothesis import given, settings
    from hypothesis import strategies as st

    # Every code point, surrogates and control characters included.
    anything = st.text(st.characters(exclude_categories=()), max_size=40)

    @settings(max_examples=15, deadline=None, derandomize=True, database=None)
    @given(anything, anything)
    def check(text: str, tex: str) -> None:
        paper = Paper(title=text, keywords=[text], authors=[text or "A"], blocks=[
            Paragraph([Text(text), Math(tex), Link(text, text or "#"),
                       Note([Paragraph(text)])]),
            CodeBlock(text), Paragraph(text)],
            sections=[Section([Text(text)], 1, number="1", label="sec:" + text)],
            lang="en-US")
        Docx(build(paper)).document.paragraphs  # the package opens and parses

    check()
