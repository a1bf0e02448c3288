"""The Word writer and the template fields of the shared templates (policy-brief, apa-student).

Each test sets one field on the article template (or loads a shipped template), builds the
sample paper and reads the .docx back with python-docx and the raw parts: styles, the body,
headers and footers. The slow test at the end builds the feature tour with each shipped
template through the pipeline and reads LibreOffice's PDF of the .docx.
"""

from __future__ import annotations

from typing import Any

import io
import subprocess
import zipfile
from dataclasses import replace
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_PARAGRAPH_ALIGNMENT
from docx.shared import Pt
from lxml import etree

import paperkit
from conftest import ROOT, require_tool
from paperkit.model import Link, Paper, Text
from paperkit.options import BuildOptions
from paperkit.templates import Template, load_template
from paperkit.writers.docx import write_docx
from sample_paper import sample_paper

NS = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
W = "{%s}" % NS["w"]
TWIPS_PER_MM = 1440 / 25.4


def style_name(item: Any) -> str:
    """Return the name of `item`'s style (a paragraph's or a table's; python-docx types
    the style as optional)."""
    style = item.style
    return "" if style is None else str(style.name)


class Built:
    """A .docx built from the sample paper, read back."""

    def __init__(self, template: Template, paper: Paper | None = None) -> None:
        data = write_docx(paper or sample_paper(), template, BuildOptions())["paper.docx"]
        self.template = template
        self.zip = zipfile.ZipFile(io.BytesIO(data))
        self.doc = docx.Document(io.BytesIO(data))

    def xml(self, name: str) -> etree._Element:
        return etree.fromstring(self.zip.read(name))

    def style(self, style_id: str) -> etree._Element:
        found = self.xml("word/styles.xml").find(f"w:style[@w:styleId='{style_id}']", NS)
        assert found is not None, style_id
        return found

    def style_value(self, style_id: str, path: str, attribute: str = "val") -> str | None:
        element = self.style(style_id).find(path, NS)
        return None if element is None else element.get(W + attribute)

    def story(self, kind: str, which: str) -> etree._Element:
        """Return the header or footer part (`kind`) of type `which` (default, first)."""
        sect_pr = self.doc.sections[0]._sectPr
        ref = sect_pr.find(f"w:{kind}Reference[@w:type='{which}']", NS)
        rel_id = ref.get("{http://schemas.openxmlformats.org/officeDocument/2006/"
                         "relationships}id")
        return etree.fromstring(self.doc.part.related_parts[rel_id].blob)

    def body_paragraphs(self) -> list[Any]:
        return self.doc.paragraphs


def article(**values: Any) -> Template:
    return replace(load_template("article"), **values)


def instructions(element: etree._Element) -> list[str]:
    return [node.text.strip() for node in element.iter(W + "instrText")]


def text_of(element: etree._Element) -> str:
    return "".join(node.text or "" for node in element.iter(W + "t"))


# ---------------------------------------------------------------------- headings


def test_heading_color_colours_headings_title_and_subtitle() -> None:
    built = Built(article(heading_color="#1F4E79"))
    for style_id in ("Heading1", "Heading2", "Heading3", "Heading9", "Title", "Subtitle",
                     "TOCHeading"):
        assert built.style_value(style_id, "w:rPr/w:color") == "1F4E79", style_id
    for style_id in ("Author", "BodyText", "Caption"):
        assert built.style_value(style_id, "w:rPr/w:color") is None, style_id
    # The references heading is a Heading 1 paragraph, so it takes the colour too.
    references = [p for p in built.doc.paragraphs if p.text == "References"]
    assert references and style_name(references[0]) == "Heading 1"


def test_default_black_headings_stay_automatic() -> None:
    built = Built(load_template("article"))
    for style_id in ("Heading1", "Title", "Subtitle"):
        assert built.style_value(style_id, "w:rPr/w:color") is None


def test_heading_align_centres_that_level_only() -> None:
    base = load_template("article")
    headings = dict(base.headings)
    headings[1] = replace(headings[1], align="center")
    built = Built(replace(base, headings=headings))
    assert built.doc.styles["Heading 1"].paragraph_format.alignment == \
        WD_PARAGRAPH_ALIGNMENT.CENTER
    assert built.doc.styles["Heading 2"].paragraph_format.alignment == \
        WD_PARAGRAPH_ALIGNMENT.LEFT
    assert built.doc.styles["TOC Heading"].paragraph_format.alignment == \
        WD_PARAGRAPH_ALIGNMENT.CENTER


# ---------------------------------------------------------------------- title block


def test_cover_puts_the_title_block_in_an_accent_band_as_wide_as_the_text() -> None:
    paper = replace(sample_paper(), subtitle=[Text("See "), Link("the site", "https://x.org")])
    template = article(title_layout="cover", accent_color="#1F4E79",
                       heading_color="#123456")
    built = Built(template, paper)
    body = built.xml("word/document.xml").find("w:body", NS)
    spacer, band = body[0], body[1]
    assert spacer.tag == W + "p" and not text_of(spacer)
    assert spacer.find("w:pPr/w:spacing", NS).get(W + "line") == "20"     # 1 pt, exact
    assert band.tag == W + "tbl" and len(band.findall(".//w:tc", NS)) == 1
    width = str(round(template.page.text_width * TWIPS_PER_MM))
    assert band.find("w:tblPr/w:tblW", NS).get(W + "w") == width
    assert band.find("w:tblPr/w:tblInd", NS).get(W + "w") == "0"
    assert band.find(".//w:tc/w:tcPr/w:shd", NS).get(W + "fill") == "1F4E79"
    margins = band.find("w:tblPr/w:tblCellMar", NS)
    assert {m.get(W + "w") for m in margins} == {str(round(6 * TWIPS_PER_MM))}
    borders = band.find("w:tblPr/w:tblBorders", NS)
    assert {b.get(W + "val") for b in borders} == {"nil"}
    cell = built.doc.tables[0].cell(0, 0)
    styles = [style_name(p) for p in cell.paragraphs]
    assert styles[:3] == ["Title", "Subtitle", "Author"] and styles[-1] == "Date"
    # All the band's text is white, its link too; the title keeps its alignment.
    for style_id in ("Title", "Subtitle", "Author", "Affiliation", "Date"):
        assert built.style_value(style_id, "w:rPr/w:color") == "FFFFFF"
    link_runs = band.findall(".//w:hyperlink/w:r", NS)
    assert link_runs and all(r.find("w:rPr/w:color", NS).get(W + "val") == "FFFFFF"
                             for r in link_runs)
    assert built.doc.styles["Title"].paragraph_format.alignment == \
        WD_PARAGRAPH_ALIGNMENT.CENTER
    # The abstract follows below the band, in the body; no page break anywhere.
    assert body[2].tag == W + "p" and text_of(body[2]) == "Abstract"
    assert not any(p.paragraph_format.page_break_before for p in built.doc.paragraphs)
    # Page 1 keeps its page number (the first-page footer has the PAGE field).
    assert instructions(built.story("footer", "first")) == ["PAGE"]


def test_cover_without_a_title_block_draws_no_band() -> None:
    paper = replace(sample_paper(), title=[], subtitle=[], authors=[], date="")
    built = Built(article(title_layout="cover"), paper)
    body = built.xml("word/document.xml").find("w:body", NS)
    assert text_of(body[0]) == "Abstract"
    assert body.find(".//w:tcPr/w:shd", NS) is None


def test_title_page_starts_three_body_lines_down_then_breaks() -> None:
    template = load_template("apa-student")
    built = Built(template)
    gap = 3 * template.fonts.size * template.fonts.line_spacing
    assert built.doc.styles["Title"].paragraph_format.space_before == Pt(gap)
    assert Built(load_template("article")).doc.styles["Title"].paragraph_format \
        .space_before == Pt(0)


# ---------------------------------------------------------------------- abstract


def test_abstract_box_shades_label_text_and_keywords_with_an_accent_rule() -> None:
    template = article(abstract_style="box", box_color="#E8EEF5", accent_color="#1F4E79",
                       heading_color="#1F4E79", abstract_indent=10)
    built = Built(template)
    for style_id in ("AbstractTitle", "Abstract", "Keywords"):
        style = built.style(style_id)
        assert style.find("w:pPr/w:shd", NS).get(W + "fill") == "E8EEF5"
        borders = {b.tag[len(W):]: b for b in style.find("w:pPr/w:pBdr", NS)}
        assert borders["left"].get(W + "color") == "1F4E79"
        assert borders["left"].get(W + "sz") == "16"                       # 2 pt
        assert {borders[s].get(W + "color") for s in ("top", "bottom", "right")} == \
            {"E8EEF5"}
        assert {b.get(W + "space") for b in borders.values()} == {"10"}    # 3.5 mm
    # Same indents on all three, so Word and LibreOffice join them into one box whose
    # outer edges are the text block's (the template's abstract indent is ignored).
    indents = {(built.doc.styles[name].paragraph_format.left_indent,
                built.doc.styles[name].paragraph_format.right_indent)
               for name in ("Abstract Title", "Abstract", "Keywords")}
    assert len(indents) == 1
    left, right = indents.pop()
    assert abs(left.pt - 12) < 0.1 and abs(right.pt - 10.5) < 0.1
    label = built.doc.styles["Abstract Title"]
    assert label.font.bold and label.font.color.rgb == docx.shared.RGBColor(0x1F, 0x4E, 0x79)
    assert label.font.name == template.fonts.headings.docx
    assert label.paragraph_format.alignment == WD_PARAGRAPH_ALIGNMENT.LEFT
    assert label.font.size == Pt(template.abstract_size)


def test_plain_abstract_has_no_box() -> None:
    built = Built(load_template("article"))
    assert built.style("Abstract").find("w:pPr/w:shd", NS) is None
    assert abs(built.doc.styles["Abstract"].paragraph_format.left_indent.mm - 10) < 0.01


def test_abstract_page_breaks_before_the_abstract_and_before_the_body() -> None:
    built = Built(article(abstract_style="page"))
    paragraphs = built.doc.paragraphs
    breaking = [(style_name(p), p.text) for p in paragraphs
                if p.paragraph_format.page_break_before]
    # Title block on page 1, the abstract and keywords on page 2, the body from page 3.
    assert breaking == [("Abstract Title", "Abstract"), ("Heading 1", "Introduction")]
    label = [p.text for p in paragraphs].index("Abstract")
    assert [style_name(p) for p in paragraphs[label:label + 4]] == \
        ["Abstract Title", "Abstract", "Keywords", "Heading 1"]
    assert built.doc.styles["Abstract Title"].paragraph_format.alignment == \
        WD_PARAGRAPH_ALIGNMENT.CENTER


def test_apa_gives_title_page_abstract_page_then_body() -> None:
    built = Built(load_template("apa-student"))
    paragraphs = built.doc.paragraphs
    breaking = [(style_name(p), p.text) for p in paragraphs
                if p.paragraph_format.page_break_before]
    assert breaking[:2] == [("Abstract Title", "Abstract"), ("Heading 1", "Introduction")]
    # The references start on a page of their own too.
    assert breaking[2:] == [("Heading 1", "References")]


def test_keywords_alone_on_the_abstract_page() -> None:
    built = Built(article(abstract_style="page"), replace(sample_paper(), abstract=[]))
    keywords = next(p for p in built.doc.paragraphs if style_name(p) == "Keywords")
    assert keywords.paragraph_format.page_break_before


# ---------------------------------------------------------------------- page numbers


def test_page_number_bottom_right_is_right_aligned_in_the_footer() -> None:
    built = Built(article(page_number_position="bottom-right"))
    assert built.doc.styles["Footer"].paragraph_format.alignment == \
        WD_PARAGRAPH_ALIGNMENT.RIGHT
    assert instructions(built.story("footer", "default")) == ["PAGE"]
    assert instructions(built.story("header", "default")) == []
    assert Built(load_template("article")).doc.styles["Footer"].paragraph_format \
        .alignment == WD_PARAGRAPH_ALIGNMENT.CENTER


def test_page_number_top_right_sits_at_the_right_of_the_running_title() -> None:
    template = article(page_number_position="top-right", footer="page-of")
    built = Built(template)
    header = built.story("header", "default")
    paragraph = header.find("w:p", NS)
    assert paragraph.find("w:pPr/w:pStyle", NS).get(W + "val") == "Header"
    tab = paragraph.find("w:pPr/w:tabs/w:tab", NS)
    assert tab.get(W + "val") == "right"
    assert tab.get(W + "pos") == str(round(template.page.text_width * TWIPS_PER_MM))
    assert text_of(paragraph).startswith("Japan’s Strategic Expansion")
    assert paragraph.find("w:r/w:tab", NS) is not None
    assert instructions(paragraph) == ["PAGE", "NUMPAGES"]
    number_runs = [r for r in paragraph.findall("w:r", NS)
                   if r.find("w:instrText", NS) is not None]
    assert {r.find("w:rPr/w:rStyle", NS).get(W + "val") for r in number_runs} == \
        {"PageNumber"}
    assert built.style_value("PageNumber", "w:rPr/w:i") == "0"             # upright
    # Page 1 has no running title but its number; no footer shows a number.
    first = built.story("header", "first").find("w:p", NS)
    assert first.find("w:pPr/w:pStyle", NS).get(W + "val") == "HeaderNumber"
    assert instructions(first) == ["PAGE", "NUMPAGES"]
    assert built.doc.styles["Header Number"].paragraph_format.alignment == \
        WD_PARAGRAPH_ALIGNMENT.RIGHT
    for which in ("default", "first"):
        assert instructions(built.story("footer", which)) == []


def test_page_number_top_right_shows_on_the_title_page_apa() -> None:
    built = Built(load_template("apa-student"))
    for which in ("default", "first"):
        header = built.story("header", which).find("w:p", NS)
        assert header.find("w:pPr/w:pStyle", NS).get(W + "val") == "HeaderNumber"
        assert instructions(header) == ["PAGE"]
        assert not text_of(header).strip("1")                # no running title


def test_footer_number_still_skips_a_separate_title_page() -> None:
    built = Built(article(title_layout="page", page_number_position="bottom-right"))
    assert instructions(built.story("footer", "first")) == []
    assert instructions(built.story("footer", "default")) == ["PAGE"]


# ---------------------------------------------------------------------- captions


def _caption(built: Built, style: str) -> Any:
    return next(p for p in built.doc.paragraphs if style_name(p) == style)


def test_stacked_caption_bold_label_line_then_italic_text() -> None:
    built = Built(article(caption_layout="stacked"))
    for style, label in (("Table Caption", "Table 1"), ("Image Caption", "Figure 1")):
        paragraph = _caption(built, style)._p
        runs = paragraph.findall("w:r", NS)
        texts = [text_of(r) for r in runs]
        assert "".join(texts).startswith(label) and ":" not in "".join(texts)
        brk = next(i for i, r in enumerate(runs) if r.find("w:br", NS) is not None)
        before = [r for r in runs[:brk] if text_of(r)]
        after = [r for r in runs[brk + 1:] if text_of(r)]
        assert "".join(text_of(r) for r in before) == label
        assert all(r.find("w:rPr/w:rStyle", NS).get(W + "val") == "CaptionLabel"
                   for r in before)                                           # bold
        assert all(r.find("w:rPr/w:rStyle", NS).get(W + "val") == "Emphasis"
                   for r in after)                                            # italic
        assert "".join(text_of(r) for r in after) in ("Trade with Japan",
                                                       "A map of the region")


def test_inline_caption_keeps_label_colon_text() -> None:
    built = Built(load_template("article"))
    assert _caption(built, "Table Caption").text == "Table 1: Trade with Japan"


def test_caption_align_left() -> None:
    built = Built(article(caption_align="left"))
    assert built.doc.styles["Caption"].paragraph_format.alignment == \
        WD_PARAGRAPH_ALIGNMENT.LEFT
    # The table and the picture stay centred.
    assert built.doc.styles["Figure"].paragraph_format.alignment == \
        WD_PARAGRAPH_ALIGNMENT.CENTER
    assert built.doc.tables[0].alignment == 1                           # CENTER


def test_figure_caption_above_its_picture() -> None:
    built = Built(article(figure_caption_position="above"))
    names = [style_name(p) for p in built.doc.paragraphs]
    caption = names.index("Image Caption")
    assert names[caption + 1] == "Figure"
    assert built.doc.paragraphs[caption + 1]._p.find(".//w:drawing", NS) is not None
    styles = built.doc.styles
    assert styles["Image Caption"].paragraph_format.keep_with_next
    assert not styles["Figure"].paragraph_format.keep_with_next
    assert styles["Figure"].paragraph_format.space_after > Pt(4)
    below = Built(load_template("article"))
    names = [style_name(p) for p in below.doc.paragraphs]
    assert names[names.index("Figure") + 1] == "Image Caption"


# ---------------------------------------------------------------------- references


def test_references_on_a_new_page() -> None:
    built = Built(article(references_new_page=True))
    heading = next(p for p in built.doc.paragraphs if p.text == "References")
    assert heading.paragraph_format.page_break_before
    plain = Built(load_template("article"))
    heading = next(p for p in plain.doc.paragraphs if p.text == "References")
    assert not heading.paragraph_format.page_break_before


# ---------------------------------------------------------------------- shipped templates


def test_policy_brief_reads_every_field() -> None:
    template = load_template("policy-brief")
    built = Built(template)
    assert style_name(built.doc.tables[0].cell(0, 0).paragraphs[0]) == "Title"
    assert built.style_value("Heading1", "w:rPr/w:color") == "1F4E79"
    assert built.style("Abstract").find("w:pPr/w:shd", NS).get(W + "fill") == "E8EEF5"
    assert built.doc.paragraphs[1].text == "Key findings"
    assert built.doc.styles["Footer"].paragraph_format.alignment == \
        WD_PARAGRAPH_ALIGNMENT.RIGHT
    assert built.doc.styles["Caption"].paragraph_format.alignment == \
        WD_PARAGRAPH_ALIGNMENT.LEFT


# ---------------------------------------------------------------------- LibreOffice


def _words(pdf: Path, page: int) -> list[tuple[str, float, float, float, float]]:
    """Return (word, xMin, yMin, xMax, yMax) in points of `page` (1-based) of `pdf`."""
    out = subprocess.run([require_tool("pdftotext"), "-bbox", "-f", str(page), "-l",
                          str(page), str(pdf), "-"], check=True, capture_output=True,
                         text=True).stdout
    root = etree.fromstring(out.encode(), etree.XMLParser(recover=True))
    return [(w.text or "", float(w.get("xMin")), float(w.get("yMin")), float(w.get("xMax")),
             float(w.get("yMax"))) for w in root.iter("{*}word")]


def _images(pdf: Path, page: int) -> list[tuple[float, float]]:
    """Return the (top, bottom) edges, in points from the page top, of the pictures on
    `page`."""
    from pypdf import PdfReader

    reader = PdfReader(str(pdf))
    pdf_page = reader.pages[page - 1]
    height = float(pdf_page.mediabox.height)
    resources: Any = pdf_page["/Resources"]
    xobjects = resources.get("/XObject", {})
    images = {name for name, ref in xobjects.items()
              if ref.get_object().get("/Subtype") == "/Image"}
    tops, stack, ctm = [], [], [1.0, 0.0, 0.0, 1.0, 0.0, 0.0]
    from pypdf.generic import ContentStream

    for operands, operator in ContentStream(pdf_page.get_contents(), reader).operations:
        if operator == b"q":
            stack.append(list(ctm))
        elif operator == b"Q":
            ctm = stack.pop()
        elif operator == b"cm":
            a, b, c, d, e, f = (float(v) for v in operands)
            A, B, C, D, E, F = ctm
            ctm = [a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D,
                   e * A + f * C + E, e * B + f * D + F]
        elif operator == b"Do" and operands[0] in images:
            top, bottom = ctm[5] + max(ctm[3], 0), ctm[5] + min(ctm[3], 0)
            tops.append((height - top, height - bottom))
    return tops


@pytest.mark.slow
@pytest.mark.parametrize("name", ["policy-brief", "apa-student", "article"])
def test_libreoffice_pdf_shows_each_template_design(name: str, tmp_path: Path) -> None:
    """Build the feature tour in `name` (docx and pdf), let LibreOffice convert the .docx,
    and find the template's design in its PDF: band, box, page numbers, page breaks,
    caption places."""
    soffice = require_tool("soffice")
    pdftoppm = require_tool("pdftoppm")
    result = paperkit.build(paperkit.load(ROOT / "sources" / "feature-tour"),
                            formats=("docx", "pdf"), out=tmp_path / "out", template=name)
    docx_path = next(p for p in result.paths if p.suffix == ".docx")
    assert any(p.suffix == ".pdf" for p in result.paths)
    profile = tmp_path / "profile"
    run = subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless",
                          "--convert-to", "pdf", "--outdir", str(tmp_path / "lo"),
                          str(docx_path)], capture_output=True, text=True, timeout=240)
    pdf = tmp_path / "lo" / (docx_path.stem + ".pdf")
    assert run.returncode == 0 and pdf.exists(), run.stdout + run.stderr
    template = load_template(name)
    mm = 72 / 25.4
    width = template.page.width * mm
    height = template.page.height * mm
    right_margin = width - template.page.right * mm
    from pypdf import PdfReader

    pages = len(PdfReader(str(pdf)).pages)

    def first_words(page: int) -> str:
        return " ".join(w[0] for w in _words(pdf, page)[:3])

    def number_word(page: int, top: bool = False) -> tuple[str, float, float, float, float]:
        """The page number: the lowest (or highest) word that reads `page`."""
        found = [w for w in _words(pdf, page) if w[0] == str(page)]
        return min(found, key=lambda w: w[2]) if top else max(found, key=lambda w: w[2])

    if name == "policy-brief":
        from PIL import Image

        subprocess.run([pdftoppm, "-r", "72", "-png", "-f", "1", "-l", "1", "-singlefile",
                        str(pdf), str(tmp_path / "p1")], check=True)
        image = Image.open(tmp_path / "p1.png").convert("RGB")
        accent = (0x1F, 0x4E, 0x79)
        box = (0xE8, 0xEE, 0xF5)

        def close(pixel: Any, colour: tuple[int, int, int]) -> bool:
            return all(abs(p - c) < 12 for p, c in zip(pixel, colour))

        left, top = round(template.page.left * mm), round(template.page.top * mm)
        # The band fills the text width from the top margin: its corners are accent.
        assert close(image.getpixel((left + 2, top + 2)), accent)
        assert close(image.getpixel((round(right_margin) - 3, top + 2)), accent)
        assert not close(image.getpixel((left - 4, top + 2)), accent)
        title = next(w for w in _words(pdf, 1) if w[0] == "Corridors")
        assert abs(title[1] - (template.page.left + 6) * mm) < 3        # 6 mm padding
        # The title's pixels are white on the band.
        column = [image.getpixel((x, round((title[2] + title[4]) / 2)))
                  for x in range(round(title[1]), round(title[3]))]
        assert any(close(p, (255, 255, 255)) for p in column)
        assert any(close(p, accent) for p in column)
        # Below the band: the key-findings box with its accent rule on the left.
        label = next(w for w in _words(pdf, 1) if w[0] == "Key")
        y = round((label[2] + label[4]) / 2)
        assert close(image.getpixel((round(label[1]) - 6, y)), box)
        assert any(close(image.getpixel((x, y)), accent) for x in range(left - 1, left + 4))
        # Page numbers at the bottom right.
        for page in range(1, pages + 1):
            word = number_word(page)
            assert abs(word[3] - right_margin) < 2 and word[2] > height - template.page.bottom * mm
    elif name == "apa-student":
        assert pages >= 5
        # Title page: the title three double-spaced lines below the top margin.
        title = next(w for w in _words(pdf, 1) if w[0] == "Corridors")
        gap = 3 * template.fonts.size * template.fonts.line_spacing
        assert abs(title[2] - (template.page.top * mm + gap)) < 10
        assert "Introduction" not in [w[0] for w in _words(pdf, 1)]
        assert first_words(2).startswith("2 Abstract")
        assert first_words(3).startswith("3 Introduction")
        # Every page, the title page too, has its number at the top right.
        for page in range(1, pages + 1):
            word = number_word(page, top=True)
            assert abs(word[3] - right_margin) < 2 and word[4] < template.page.top * mm
        # The references begin a page; the figure's caption stands above its picture.
        starts = [p for p in range(1, pages + 1)
                  if [w[0] for w in _words(pdf, p)][1:2] == ["References"]]
        assert len(starts) == 1 and starts[0] > 3
        words, picture = _figure(pdf, pages)
        caption = next(i for i, w in enumerate(words)
                       if w[0] == "Figure" and words[i + 1][0] == "1")
        assert words[caption][4] < picture[0]                       # above the picture
        # Stacked: the italic caption text on the next line, no colon after the label.
        assert words[caption + 1][0] == "1"
        assert words[caption + 2][2] > words[caption][2] + 6
    else:
        # The article: numbers centred in the footer, the figure's caption below it.
        for page in range(2, pages + 1):
            word = number_word(page)
            assert abs((word[1] + word[3]) / 2 - width / 2) < 3
        words, picture = _figure(pdf, pages)
        below = next(w for w in words if w[0] == "Figure" and w[2] > picture[1] - 1)
        assert below[2] - picture[1] < 30


def _figure(pdf: Path, pages: int) -> tuple[list[tuple[str, float, float, float, float]],
                                             tuple[float, float]]:
    """Return the words and the picture's (top, bottom) of the first page with a picture."""
    for page in range(1, pages + 1):
        pictures = _images(pdf, page)
        if pictures:
            return _words(pdf, page), pictures[0]
    pytest.fail("no picture in the PDF")
