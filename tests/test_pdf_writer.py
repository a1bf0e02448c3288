"""The PDF writer: build papers, read the PDF back (pypdf, pdftotext, pdffonts, qpdf).

Every test reads the output back; none checks that a build merely did not crash.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings, strategies as st
from pypdf import PdfReader
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph as RLParagraph

from conftest import require_tool
from paperkit.errors import InputError
from paperkit.model import (Block, Cite, CiteItem, Figure, Inline, Link, Math, Note, Paper,
                            Paragraph, Ref, Section, Table, Text)
from paperkit.options import BuildOptions
from paperkit.templates import Template, load_template
from paperkit.writers.pdf import render_pdf, write_pdf
from paperkit.writers.pdf_fonts import cjk_fallback, register_family
from paperkit.writers.pdf_markup import MarkupContext, inline_markup, text_markup
from sample_paper import sample_paper

WORDS = ("alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi "
         "rho sigma tau upsilon phi chi psi omega").split()


def filler(count: int, seed: int = 0) -> str:
    """Return `count` deterministic words."""
    return " ".join(WORDS[(i * 7 + seed) % len(WORDS)] for i in range(count))


def build(paper: Paper | None = None, template: Template | None = None, **options: Any
          ) -> bytes:
    """Return the PDF bytes of `paper` (default: the sample) in `template` (article)."""
    result = write_pdf(paper or sample_paper(), template or load_template("article"),
                       BuildOptions(**options))
    assert list(result) == ["paper.pdf"]
    assert result["paper.pdf"].startswith(b"%PDF-")
    return result["paper.pdf"]


def pages_text(data: bytes, layout: bool = True) -> list[str]:
    """Return the text of each page as pdftotext gives it."""
    tool = require_tool("pdftotext")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "paper.pdf"
        path.write_bytes(data)
        args = [tool, "-enc", "UTF-8"] + (["-layout"] if layout else []) + [str(path), "-"]
        out = subprocess.run(args, check=True, capture_output=True).stdout.decode("utf-8")
    return out.split("\f")[:-1]


def page_of(texts: list[str], word: str) -> int:
    """Return the 1-based page whose text contains `word` (the first one)."""
    for number, text in enumerate(texts, 1):
        if word in text or word in squash(text):
            return number
    raise AssertionError(f"{word!r} is on no page")


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def sample_pdf() -> bytes:
    return build()


@pytest.fixture(scope="module")
def reader(sample_pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(sample_pdf))


# --------------------------------------------------------------------------- metadata, outline


def meta_of(reader: PdfReader) -> Any:
    """Return the document information of `reader` (pypdf types its values loosely)."""
    meta = reader.metadata
    assert meta is not None
    return meta


def root_of(reader: PdfReader) -> Any:
    """Return the document catalog of `reader`."""
    return reader.trailer["/Root"]


def page_number(reader: PdfReader, destination: Any) -> int:
    """Return the 1-based page of `destination` (an outline item or named target)."""
    number = reader.get_destination_page_number(destination)
    assert number is not None
    return number + 1


def test_metadata_title_author_subject_keywords_creator_lang(reader: PdfReader) -> None:
    meta = meta_of(reader)
    assert meta.title == "Japan’s Strategic Expansion in Central Asia: The First Summit"
    assert meta.author == "Ada Lovelace, Sei Shōnagon"
    assert meta.subject == "A Test Paper"
    assert meta["/Keywords"] == "Japan, Central Asia, diplomacy"
    assert meta.creator == "paperkit"
    assert root_of(reader)["/Lang"] == "en-US"


def test_dates_come_from_source_date_epoch() -> None:
    meta = meta_of(PdfReader(io.BytesIO(build(source_date_epoch=1_700_000_000))))
    assert meta["/CreationDate"].startswith("D:20231114221320")
    assert meta["/ModDate"].startswith("D:20231114221320")


def outline_titles(reader: PdfReader) -> list[tuple[int, str, int]]:
    """Return (depth, title, 1-based page) for every outline entry in order."""
    found: list[tuple[int, str, int]] = []

    def walk(items: list[Any], depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                found.append((depth, item.title, page_number(reader, item)))
    walk(reader.outline, 0)
    return found


def test_outline_has_every_heading_nested_by_level(reader: PdfReader) -> None:
    entries = outline_titles(reader)
    assert [(depth, title) for depth, title, _ in entries] == [
        (0, "1 Introduction"), (1, "1.1 Background"), (2, "1.1.1 Detail"), (0, "2 Method"),
        (0, "Acknowledgements"), (0, "References")]
    texts = pages_text(reader_bytes(reader))
    for _, title, page in entries:
        assert title.split(" ", 1)[-1] in texts[page - 1], title


def reader_bytes(reader: PdfReader) -> bytes:
    out = io.BytesIO()
    reader.stream.seek(0)
    out.write(reader.stream.read())
    return out.getvalue()


def test_outline_follows_the_numbering_scheme() -> None:
    template = replace(load_template("article"), numbering="I.A")
    entries = outline_titles(PdfReader(io.BytesIO(build(template=template))))
    assert [title for _, title, _ in entries][:3] == ["I Introduction", "I.A Background",
                                                      "I.A.1 Detail"]


# --------------------------------------------------------------------------- links


def links(reader: PdfReader) -> list[tuple[int, Any]]:
    found: list[tuple[int, Any]] = []
    for number, page in enumerate(reader.pages, 1):
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/Subtype") == "/Link":
                found.append((number, annot))
    return found


def test_external_links_are_uri_actions(reader: PdfReader) -> None:
    uris = [a["/A"]["/URI"] for _, a in links(reader) if "/A" in a]
    assert "https://example.org/?a=1&b=2" in uris
    assert "https://doi.org/10.1000/xyz" in uris
    assert "mailto:ada@example.org" in uris


def test_internal_links_resolve_to_their_targets(reader: PdfReader, sample_pdf: bytes) -> None:
    texts = pages_text(sample_pdf)
    named = reader.named_destinations
    targets = []
    for _, annot in links(reader):
        if "/Dest" in annot:
            name = str(annot["/Dest"])                  # links use named destinations
            assert name in named, name
            targets.append((name, page_number(reader, named[name])))
    # the footnote mark, buzan (text and footnote), takahashi, Section 2, Figure 1, Table 1;
    # a link broken over two lines has one annotation a line: count runs of one target once
    runs = [t for i, t in enumerate(targets) if i == 0 or targets[i - 1][0] != t[0]]
    assert sorted(name for name, _ in runs) == [
        "Hfootnote.1", "fig:map", "ref-buzan2022", "ref-buzan2022", "ref-takahashi2023",
        "sec:method", "tbl:trade"]
    pages = dict(targets)
    assert pages["ref-buzan2022"] == page_of(texts, "Buzan, B. (2022)")
    assert pages["sec:method"] == page_of(texts, "2 Method")
    # the mark links to its note, at the foot of the mark's own page (hyperref's name)
    mark_page = next(page for page, annot in links(reader)
                     if str(annot.get("/Dest")) == "Hfootnote.1")
    assert pages["Hfootnote.1"] == mark_page


def test_targets_are_named_destinations_and_pages_are_labelled(reader: PdfReader) -> None:
    assert sorted(reader.named_destinations) == [
        "Hfootnote.1", "fig:map", "ref-buzan2022", "ref-takahashi2023", "sec:ack",
        "sec:background", "sec:detail", "sec:intro", "sec:method", "tbl:trade"]
    assert "/PageLabels" in root_of(reader)
    assert reader.page_labels == [str(n) for n in range(1, len(reader.pages) + 1)]


def test_link_to_a_missing_anchor_is_plain_text() -> None:
    paper = Paper(title=[Text("T")], sections=[Section(
        [Text("S")], number="1", label="sec:s",
        blocks=[Paragraph([Link([Text("nowhere link")], "#no-such-anchor"),
                           Text(" and "), Ref("sec:missing")])])])
    data = build(paper)
    reader = PdfReader(io.BytesIO(data))
    assert not [a for _, a in links(reader) if "/Dest" in a]
    assert "nowhere link and [?sec:missing]" in squash(pages_text(data)[0])


# --------------------------------------------------------------------------- text


def test_text_comes_back_in_order_with_scripts(sample_pdf: bytes) -> None:
    # words hyphenated at a line end are joined back ("Uni- code")
    text = re.sub(r"(?<=[a-z])- (?=[a-z])", "", squash(" ".join(pages_text(sample_pdf))))
    assert "Plain, emphasis, strong, code & <tags>, a link and special characters: " \
        "# $ % & ~ _ ^ \\ { } < > \" '." in text
    assert "Unicode: Überprüfung, Ελληνικά, Кириллица," in text
    assert "A citation (Buzan, 2022), a narrative one by Takahashi (2023), an unresolved " \
        "one [?nosuchkey]." in text
    assert "See Section 2, Figure 1 and Table 1." in text
    assert "Table 1: Trade with Japan" in text and "Figure 1: A map of the region" in text
    assert "def f(x):" in text and "return x & 1 # {braces} \\backslash" in text
    assert text.index("1 Introduction") < text.index("1.1 Background") < \
        text.index("2 Method") < text.index("Acknowledgements") < text.index("References")


def test_japanese_text_is_embedded_and_extractable(sample_pdf: bytes) -> None:
    if not cjk_fallback().embedded:
        message = "no TrueType CJK font (apt-get install fonts-ipaexfont-mincho)"
        if os.environ.get("PAPERKIT_REQUIRE_TOOLS") == "1":
            pytest.fail(message)
        pytest.skip(message)
    assert "日本語" in pages_text(sample_pdf)[0]


def test_markup_like_source_text_shows_literally() -> None:
    tricky = ('<font color="red">red</font> <a href="http://x">x</a> &amp; &lt; <b>b</b> '
              '<br/> <super>up</super> "quoted" & < >')
    paper = Paper(title=[Text("A & B <i>not italic</i>")],
                  sections=[Section([Text("<h1> & co")], number="1", label="sec:a",
                                    blocks=[Paragraph([Text(tricky)])])])
    data = build(paper)
    text = squash(" ".join(pages_text(data)))
    assert squash(tricky) in text
    assert "A & B <i>not italic</i>" in text
    assert meta_of(PdfReader(io.BytesIO(data))).title == "A & B <i>not italic</i>"
    assert not [a for _, a in links(PdfReader(io.BytesIO(data)))]


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab &<>\"';/=#x\u00e9\u03b1\u0436\u65e5"
                                              "\u2603\U0001F600")), max_size=40))
def test_text_markup_round_trips_through_the_paragraph_parser(text: str) -> None:
    family = register_family("LiberationSerif")
    ctx = MarkupContext(family, register_family("LiberationMono"), load_template("article"))
    style = ParagraphStyle("t", fontName=family)
    parsed = RLParagraph(text_markup(text, ctx), style).getPlainText()
    assert squash(parsed).strip() == squash(text).strip()


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(list("x2 ^_{}\\<>&=-+a") + [r"\frac", r"\alpha",
                                                            r"\text", r"\sqrt"]),
                max_size=30).map("".join))
def test_any_math_gives_parseable_markup(tex: str) -> None:
    from paperkit.writers.pdf_math import math_markup
    family = register_family("LiberationSerif")
    ctx = MarkupContext(family, register_family("LiberationMono"), load_template("article"))
    markup = math_markup(tex, lambda s: text_markup(s, ctx))
    RLParagraph(markup, ParagraphStyle("m", fontName=family)).wrap(200, 1000)


def test_math_is_typeset_not_shown_as_tex(sample_pdf: bytes) -> None:
    text = squash(" ".join(pages_text(sample_pdf)))
    assert "Inline math E = mc 2 ," in text            # glyphs, the 2 raised
    assert "∫" in text and "dx" in text and "3" in text
    assert "\\frac" not in text and "\\int" not in text and "^" not in text.split("Überprüfung")[1]
    assert {"STIXGeneral-Italic", "STIXGeneral-Regular"} <= base_fonts(sample_pdf)


@settings(max_examples=120, deadline=None)
@given(st.lists(st.sampled_from(list("x2 ^_{}\\<>&=-+a()") + [r"\frac", r"\alpha", r"\sum",
                                                             r"\text", r"\sqrt", r"\le"]),
                max_size=25).map("".join))
def test_any_inline_math_sets_or_falls_back(tex: str) -> None:
    from paperkit.writers.pdf_mathtext import MathParagraph
    family = register_family("LiberationSerif")
    ctx = MarkupContext(family, register_family("LiberationMono"), load_template("article"))
    markup = inline_markup([Text("a "), Math(tex), Text(" b")], ctx)
    paragraph = MathParagraph(markup, ParagraphStyle("m", fontName=family))
    paragraph.wrap(200, 1000)
    assert paragraph.getPlainText().startswith("a ")


def test_display_math_stacks_limits_and_fractions() -> None:
    from paperkit.writers.pdf_mathtext import layout_math
    box = layout_math(r"\sum_{i=1}^{n} \frac{a_i}{b}", 11, display=True)
    assert box is not None
    glyphs = {char: (size, x, y) for _, size, char, x, y in box.glyphs}
    assert glyphs["∑"][0] == pytest.approx(11 * 1.4)      # display-size operator
    assert glyphs["n"][2] > 5 and glyphs["="][2] < -5      # limits above and below it
    assert glyphs["a"][2] > 2 and glyphs["b"][2] < -2      # numerator over denominator
    assert len(box.rules) == 1                             # the fraction bar
    inline = layout_math(r"\sum_{i=1}^{n} \frac{a_i}{b}", 11)
    assert inline is not None
    assert inline.height < box.height
    assert layout_math(r"\unknowncommand{x}", 11) is None


def test_inline_math_that_mathtext_cannot_set_is_readable_text() -> None:
    paper = Paper(sections=[Section([Text("S")], number="1", label="sec:s", blocks=[
        Paragraph([Text("Before "), Math(r"\unknowncommand{x} \alpha"), Text(" after.")])])])
    assert "Before unknowncommandxα after." in squash(pages_text(build(paper))[0])


def test_a_very_long_title_is_cut_in_the_running_header() -> None:
    title = "A Title " + filler(60)
    paper = Paper(title=[Text(title)], sections=[Section(
        [Text("S")], number="1", label="sec:s", blocks=[Paragraph(filler(900))])])
    template = replace(load_template("article"), running_header="title")
    second = pages_text(build(paper, template))[1].splitlines()
    assert second[0].strip().startswith("A Title alpha") and second[0].strip().endswith("…")


def test_unresolved_citation_shows_its_source() -> None:
    cite = Cite([CiteItem("smith2020")], "[@smith2020, p. 3]")
    paper = Paper(sections=[Section([Text("S")], number="1", label="sec:s",
                                    blocks=[Paragraph([Text("As shown "), cite, Text(".")])])])
    assert "As shown [@smith2020, p. 3]." in squash(pages_text(build(paper))[0])


def test_a_character_no_font_has_is_a_warning_naming_it_and_its_line() -> None:
    from paperkit.diagnostics import Log
    from paperkit.model import Pos
    text = Text("private \ue000 use and \U0001D11E clef", pos=Pos("paper.md", 7, 3))
    paper = Paper(sections=[Section([Text("S")], number="1", label="sec:s",
                                    blocks=[Paragraph([Text("Fine text. "), text])])])
    log = Log()
    data = write_pdf(paper, load_template("article"), BuildOptions(), log=log)["paper.pdf"]
    assert "private" in pages_text(data)[0]
    [warning] = log.items
    assert (warning.code, warning.severity, warning.location()) == ("PK501", "warning",
                                                                     "paper.md:7:3")
    assert "U+E000" in warning.message and "U+1D11E" in warning.message
    log = Log()
    write_pdf(sample_paper(), load_template("article"), BuildOptions(), log=log)
    assert not log.items             # Greek, Cyrillic, Japanese, symbols: all have a font


# --------------------------------------------------------------------------- footnotes


def notes_paper(notes: list[tuple[int, str]], paragraphs: int = 40) -> Paper:
    """Return a paper of filler paragraphs; paragraph i gets a note when listed in `notes`."""
    by_index = dict(notes)
    blocks: list[Block] = []
    for i in range(paragraphs):
        content: list[Inline] = [Text(f"P{i}START " + filler(70, i) + f" MARK{i}")]
        if i in by_index:
            content.append(Note([Paragraph([Text(by_index[i])])]))
        content.append(Text(" " + filler(20, i + 1) + "."))
        blocks.append(Paragraph(content))
    return Paper(title=[Text("Notes")], sections=[Section([Text("Body")], number="1",
                                                           label="sec:b", blocks=blocks)])


def test_footnotes_sit_at_the_bottom_of_their_marks_page() -> None:
    notes = [(i, f"NOTE{i}TEXT " + filler(15 + 10 * (i % 4), i)) for i in range(0, 40, 3)]
    paper = notes_paper(notes)
    result = render_pdf(paper, load_template("article"), BuildOptions())
    assert result.pages >= 4
    texts = pages_text(result.data)
    for number, (index, _) in enumerate(notes, 1):
        mark_page = page_of(texts, f"MARK{index}")
        assert page_of(texts, f"NOTE{index}TEXT") == mark_page, index
        # the note is below all body text of its page, after the mark, numbered in order
        page = texts[mark_page - 1]
        assert page.index(f"NOTE{index}TEXT") > page.index(f"MARK{index}")
        assert re.search(rf"MARK{index}{number}\b", page), (index, number)
        assert re.search(rf"^\s*{number}\s+NOTE{index}TEXT", page, re.M), (index, number)
    assert result.notes.marker_pages == result.notes.note_pages


def test_footnote_text_keeps_formatting_and_citations(reader: PdfReader) -> None:
    page = reader.pages[0].extract_text()
    assert "A footnote with emphasis and a citation (Buzan, 2022)." in squash(page)


def test_a_long_footnote_near_a_page_end_continues_on_the_next_page() -> None:
    long_note = "NOTESTART " + filler(900, 3) + " NOTEEND"
    paper = notes_paper([(5, long_note)], paragraphs=30)
    result = render_pdf(paper, load_template("article"), BuildOptions())
    texts = pages_text(result.data)
    start, end = page_of(texts, "NOTESTART"), page_of(texts, "NOTEEND")
    assert start == page_of(texts, "MARK5") == 1
    assert end > start
    # the continuation sits under body text on the next page, not in place of it
    following = texts[start]
    body_words = [m.start() for m in re.finditer(r"P\d+START", following)]
    assert body_words and body_words[0] < following.index(" ".join(filler(900, 3).split()[-5:]))
    assert result.notes.marker_pages == {"1": 1}


def test_a_footnote_continues_even_at_the_end_of_the_document() -> None:
    paper = notes_paper([(1, "LASTSTART " + filler(1500, 2) + " LASTEND")], paragraphs=2)
    texts = pages_text(build(paper))
    assert page_of(texts, "LASTSTART") == 1
    assert page_of(texts, "LASTEND") >= 2


# --------------------------------------------------------------------------- tables, figures


def test_a_long_table_repeats_its_header_on_every_page() -> None:
    rows = [[[Text(f"Row{i}")], [Text(filler(4 + i % 9, i))], [Text(str(i * 7))]]
            for i in range(120)]
    table = Table([[Text("Country")], [Text("Notes")], [Text("Value")]], rows,
                  ["left", "left", "right"], [Text("Long")], label="tbl:long", number=1)
    paper = Paper(sections=[Section([Text("S")], number="1", label="sec:s",
                                    blocks=[Paragraph("Before."), table])])
    texts = pages_text(build(paper))
    first, last = page_of(texts, "Row0 "), page_of(texts, "Row119")
    assert first == 1 and last >= 2
    for page in texts[first - 1:last]:
        assert re.search(r"Country\s+Notes\s+Value", page)
    assert "Table 1: Long" in texts[0]
    assert texts[0].count("Table 1: Long") == 1 and "Table 1" not in texts[1]


def test_table_columns_align_as_declared(reader: PdfReader) -> None:
    from reportlab.pdfbase.pdfmetrics import stringWidth
    spans: dict[str, tuple[float, float]] = {}

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        word = text.strip()
        if word in ("Kazakhstan", "Uzbekistan", "1,200", "800", "40%", "27%"):
            x = tm[4] + cm[4]
            spans[word] = (x, x + stringWidth(word, "LiberationSerif", 10))
    for page in reader.pages:          # the table's page depends on the spacing above it
        page.extract_text(visitor_text=visit)
    assert spans["Kazakhstan"][0] == pytest.approx(spans["Uzbekistan"][0])        # left
    assert spans["1,200"][1] == pytest.approx(spans["800"][1])                     # right
    assert sum(spans["40%"]) / 2 == pytest.approx(sum(spans["27%"]) / 2)          # center
    assert spans["Kazakhstan"][1] < spans["1,200"][0] < spans["40%"][0]


def jpeg_bytes() -> bytes:
    from PIL import Image
    out = io.BytesIO()
    Image.new("RGB", (40, 20), (0, 90, 200)).save(out, "JPEG")
    return out.getvalue()


def test_figures_png_and_jpeg_are_embedded_at_text_width(reader: PdfReader) -> None:
    paper = Paper(sections=[Section([Text("S")], number="1", label="sec:s", blocks=[
        Figure("a.jpg", [Text("Blue")], label="fig:b", number=1, data=jpeg_bytes())])])
    jpeg = PdfReader(io.BytesIO(build(paper)))
    filters = set()
    for source in (reader, jpeg):
        for page in source.pages:
            resources: Any = page["/Resources"]
            for obj in (resources.get("/XObject") or {}).values():
                obj = obj.get_object()
                if obj.get("/Subtype") == "/Image":
                    filters.add(str(obj.get("/Filter")))
    assert any("DCTDecode" in f for f in filters)
    assert any("FlateDecode" in f for f in filters)
    assert "Figure 1: Blue" in jpeg.pages[0].extract_text()


def test_an_unreadable_image_is_an_input_error() -> None:
    paper = Paper(sections=[Section([Text("S")], number="1", label="sec:s", blocks=[
        Figure("x.png", [Text("Broken")], number=1, data=b"not an image")])])
    with pytest.raises(InputError) as info:
        build(paper)
    assert info.value.diagnostic.code == "PK105"


# --------------------------------------------------------------------------- page setup


def test_page_size_margins_and_footer_follow_the_template(sample_pdf: bytes) -> None:
    reader = PdfReader(io.BytesIO(sample_pdf))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)   # A4
    texts = pages_text(sample_pdf)
    assert texts[0].rstrip().endswith("1") and texts[1].rstrip().endswith("2")
    assert "Japan’s Strategic Expansion in Central Asia" in texts[1].splitlines()[0]
    assert "The First Summit" not in texts[1].splitlines()[0]      # short title


def test_page_of_footer_knows_the_total() -> None:
    template = load_template("article")
    page_of_total = replace(template, footer="page-of",
                            page=replace(template.page, width=215.9, height=279.4))
    data = build(template=page_of_total)
    texts = pages_text(data)
    assert [t.rstrip().splitlines()[-1].strip() for t in texts] == \
        [f"{n} of {len(texts)}" for n in range(1, len(texts) + 1)]
    box = PdfReader(io.BytesIO(data)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)   # letter
    none = pages_text(build(template=replace(template, footer="none")))
    assert not none[0].rstrip().splitlines()[-1].strip().isdigit()


def test_title_page_layout_puts_the_body_on_page_two() -> None:
    texts = pages_text(build(template=replace(load_template("article"), title_layout="page")))
    assert "Abstract" in texts[0] and "1 Introduction" not in squash(texts[0])
    assert "1 Introduction" in squash(texts[1])


def font_sizes_of(data: bytes, word: str) -> set[float]:
    sizes: set[float] = set()

    def visit(text: str, cm: list[float], tm: list[float], font: Any, size: float) -> None:
        if word in text:
            sizes.add(round(size * tm[0], 2))
    PdfReader(io.BytesIO(data)).pages[0].extract_text(visitor_text=visit)
    return sizes


def test_body_size_follows_the_template() -> None:
    template = load_template("article")
    bigger = replace(template, fonts=replace(template.fonts, size=14))
    assert font_sizes_of(build(), "Plain") == {11.0}
    assert font_sizes_of(build(template=bigger), "Plain") == {14.0}


def base_fonts(data: bytes) -> set[str]:
    names = set()
    for page in PdfReader(io.BytesIO(data)).pages:
        resources: Any = page["/Resources"]
        for font in (resources.get("/Font") or {}).values():
            names.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    return names


def test_font_families_follow_the_template() -> None:
    template = load_template("article")
    sans = replace(template, fonts=replace(template.fonts, body=template.fonts.sans,
                                           headings=template.fonts.sans))
    serif_fonts, sans_fonts = base_fonts(build()), base_fonts(build(template=sans))
    assert {"LiberationSerif", "LiberationSerif-Bold", "LiberationSerif-Italic",
            "LiberationMono"} <= serif_fonts
    assert {"LiberationSans", "LiberationSans-Bold", "LiberationSans-Italic",
            "LiberationMono"} <= sans_fonts
    assert not any(name.startswith("LiberationSerif") for name in sans_fonts)


# --------------------------------------------------------------------------- real clients


def test_qpdf_check_passes(sample_pdf: bytes, tmp_path: Path) -> None:
    qpdf = require_tool("qpdf")
    path = tmp_path / "paper.pdf"
    path.write_bytes(sample_pdf)
    run = subprocess.run([qpdf, "--check", str(path)], capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "No syntax or stream encoding errors" in run.stdout


def test_every_font_is_embedded(sample_pdf: bytes, tmp_path: Path) -> None:
    pdffonts = require_tool("pdffonts")
    path = tmp_path / "paper.pdf"
    path.write_bytes(sample_pdf)
    lines = subprocess.run([pdffonts, str(path)], check=True, capture_output=True,
                           text=True).stdout.splitlines()[2:]
    assert lines
    for line in lines:
        name, emb = line.split()[0], line.split()[-5]
        if not cjk_fallback().embedded and name == "HeiseiMin-W3":
            continue              # no TrueType CJK font on this machine: the CID fallback
        assert emb == "yes", line
    assert any("LiberationSerif" in line for line in lines)
    assert any("LiberationMono" in line for line in lines)


def test_two_builds_are_byte_identical() -> None:
    assert build() == build()
    assert build(source_date_epoch=5) != build(source_date_epoch=6)


def test_a_heading_before_a_long_paragraph_does_not_leave_the_page_half_empty() -> None:
    before: list[Block] = [*(Paragraph(f"P{i} " + filler(60, i)) for i in range(5)),
                           Paragraph(filler(40) + " ENDPREV")]
    long = Paragraph("LONGSTART " + filler(1000, 4) + " LONGEND")
    paper = Paper(sections=[
        Section([Text("First")], number="1", label="sec:a", blocks=before),
        Section([Text("Second")], number="2", label="sec:b", blocks=[long])])
    texts = pages_text(build(paper))
    assert page_of(texts, "ENDPREV") == page_of(texts, "2 Second") == page_of(texts, "LONGSTART")


def test_a_heading_never_ends_a_page() -> None:
    ends = set()
    for extra in range(250, 420, 12):  # move the heading down past the first page's end
        blocks: list[Block] = [*(Paragraph(f"P{i} " + filler(55, i)) for i in range(8)),
                               Paragraph(filler(20 + extra, 5))]
        paper = Paper(sections=[
            Section([Text("First")], number="1", label="sec:a", blocks=blocks),
            Section([Text("Second")], number="2", label="sec:b",
                    blocks=[Paragraph("NEXTSTART " + filler(200, 2))])])
        texts = pages_text(build(paper))
        assert page_of(texts, "2 Second") == page_of(texts, "NEXTSTART"), extra
        ends.add(page_of(texts, "2 Second"))
    assert ends == {1, 2}                # the sweep did cross the page end



def _line_texts(paragraph: RLParagraph) -> list[str]:
    """Return the text of each line of a wrapped mixed-style paragraph."""
    return ["".join(getattr(word, "text", "") for word in line.words)
            for line in paragraph.blPara.lines]


def test_hard_hyphens_survive_a_paragraph_broken_again() -> None:
    """A mixed-style paragraph is broken into lines again when it is split across pages
    or measured twice; reportlab's re-join of a word split at its own hyphen dropped the
    hyphen ("Sino-" + "Russian" -> "SinoRussian"). The lines stay the same."""
    from paperkit.writers import pdf
    from paperkit.writers.pdf_mathtext import MathParagraph
    from paperkit.writers.pdf_styles import stylesheet
    style = stylesheet(load_template("article"), "en-US").body
    text = " ".join(f'{filler(7, i)} Sino-Russian ties <a href="https://x.org" '
                    f'color="rgb(26,68,128)">R. Doe, 1989</a>' for i in range(60))
    checked = 0
    with pdf._fast_same_frag(), pdf._keep_hard_hyphens():
        for width in range(300, 460, 3):
            first = MathParagraph(text, style)
            RLParagraph.wrap(first, width, 1e6)
            before = _line_texts(first)
            if not any(line.endswith("Sino-") for line in before):
                continue
            checked += 1
            RLParagraph.wrap(first, width, 1e6)
            assert _line_texts(first) == before, width
            assert not any("SinoRussian" in line for line in _line_texts(first))
    assert checked > 3


def test_math_layouts_come_back_from_the_disk_cache_unchanged(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cached layout is the same box (so the same PDF bytes); a tampered cache file is
    ignored, never trusted; the value "off" writes nothing."""
    from paperkit.writers import pdf_cache, pdf_mathtext as mt

    def fresh(folder: str) -> None:
        monkeypatch.setenv("PAPERKIT_CACHE_DIR", folder)
        pdf_cache.cache_root.cache_clear()
        mt._cache_folder.cache_clear()
        mt.layout_math.cache_clear()

    fresh("off")
    direct = mt.layout_math(r"\sum_{i=1}^{n} \frac{x_i}{2}", 11.0, True)
    assert direct is not None and not list(tmp_path.rglob("*.json"))
    fresh(str(tmp_path))
    assert mt.layout_math(r"\sum_{i=1}^{n} \frac{x_i}{2}", 11.0, True) == direct
    files = list(tmp_path.rglob("*.json"))
    assert len(files) == 1 and '"STIX' in files[0].read_text()
    fresh(str(tmp_path))
    assert mt.layout_math(r"\sum_{i=1}^{n} \frac{x_i}{2}", 11.0, True) == direct  # from disk
    files[0].write_text(files[0].read_text().replace('"STIX', '"../../etc/STIX'))
    fresh(str(tmp_path))
    assert mt.layout_math(r"\sum_{i=1}^{n} \frac{x_i}{2}", 11.0, True) == direct  # re-laid
    assert mt.layout_math(r"\frac{", 11.0) is None
    fresh(str(tmp_path))
    assert mt.layout_math(r"\frac{", 11.0) is None                  # a cached failure
    monkeypatch.undo()
    fresh(os.environ.get("PAPERKIT_CACHE_DIR", ""))
    monkeypatch.undo()


def test_hyphenation_patterns_come_back_from_the_disk_cache(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The parsed patterns are stored once and give the same breaks when read back; a
    damaged entry is parsed again, not trusted."""
    import pyphen

    from paperkit.writers import pdf_cache, pdf_styles
    monkeypatch.setenv("PAPERKIT_CACHE_DIR", str(tmp_path))
    path = pyphen.LANGUAGES[pyphen.language_fallback("en_US")]
    saved = pyphen.hdcache.pop(path, None)
    try:
        for damage in (False, False, True):
            pdf_cache.cache_root.cache_clear()
            pyphen.hdcache.pop(path, None)
            entries = list(tmp_path.glob("hyph2-*.marshal"))
            if damage:
                entries[0].write_bytes(b"\x00garbage")
            pdf_styles._load_patterns(pyphen, path)
            word = pyphen.Pyphen(lang="en_US", left=2, right=3)
            assert list(word.iterate("international"))[0] == ("interna", "tional")
            assert len(list(tmp_path.glob("hyph2-*.marshal"))) == 1
            # every break of a long word list is the one pyphen's own parse gives
            own = pyphen.HyphDict(path)
            for text in WORDS_TO_HYPHENATE:
                assert pyphen.hdcache[path].positions(text) == own.positions(text), text
    finally:
        pyphen.hdcache.pop(path, None)
        if saved is not None:
            pyphen.hdcache[path] = saved
        monkeypatch.undo()
        pdf_cache.cache_root.cache_clear()


WORDS_TO_HYPHENATE = (
    "international cooperation infrastructure connectivity uncharacteristically "
    "hyphenation representatives multilateralism Kazakhstan Turkmenistan diplomatic "
    "transportation extraordinary responsibilities institutionalization a an the").split()


def test_characters_beyond_the_bmp_extract_back() -> None:
    """An emoji's ToUnicode entry is a UTF-16 pair, so pypdf (strict) and pdftotext give the
    character back; reportlab wrote the bare code point (odd-length hex)."""
    paper = Paper(title=[Text("E")], sections=[Section(
        [Text("S")], number="1", blocks=[Paragraph([Text("Smile 😀 here and 𝔸 too.")])])])
    data = build(paper)
    strict = PdfReader(io.BytesIO(data), strict=True)
    assert "Smile 😀 here and 𝔸 too." in strict.pages[0].extract_text()
    assert "Smile 😀 here and 𝔸 too." in squash(pages_text(data)[0])


def test_fallback_and_math_fonts_come_back_from_the_disk_cache(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The CJK fallback (a system font, ~40 ms to parse) and the math fonts go through the
    same disk cache as the bundled faces: read back, each is the face reportlab parses, with
    the same subset bytes for Japanese text."""
    from reportlab.pdfbase.ttfonts import TTFont

    from paperkit.writers import pdf_cache, pdf_font_cache as fc
    from paperkit.writers.pdf_fonts import CJK_CANDIDATES
    found = [(path, index) for path, index in CJK_CANDIDATES if Path(path).is_file()]
    if not found:
        message = "no TrueType CJK font installed (apt-get install fonts-ipaexfont-mincho)"
        if os.environ.get("PAPERKIT_REQUIRE_TOOLS") == "1":
            pytest.fail(message)
        pytest.skip(message)
    path, index = found[0]
    monkeypatch.setenv("PAPERKIT_CACHE_DIR", str(tmp_path))
    try:
        pdf_cache.cache_root.cache_clear()
        for _ in range(2):          # parsed and stored, then read back
            font = fc.load_ttfont("PKTestCJK", path, index)
            parsed = TTFont("PKTestCJK", path, subfontIndex=index)
            assert fc._same_face(font.face, parsed.face) and fc._same_font(font, parsed)
            japanese = [ord(c) for c in "高橋中央アジア"]
            assert font.face.makeSubset(japanese) == parsed.face.makeSubset(japanese)
        assert len(list(tmp_path.glob("ttf-*.marshal"))) == 1
    finally:
        monkeypatch.undo()
        pdf_cache.cache_root.cache_clear()


def test_parsed_fonts_come_back_from_the_disk_cache(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A face read back from the cache holds what reportlab's own parse gives (so the same
    PDF bytes); a damaged or tampered entry is parsed again, not trusted."""
    import marshal

    from reportlab.pdfbase.ttfonts import TTFont

    from paperkit.writers import pdf_cache, pdf_font_cache as fc
    from paperkit.writers.pdf_fonts import FONT_DIR
    path = str(FONT_DIR / "LiberationSerif-Italic.ttf")
    parsed = TTFont("PKTestItalic", path)
    monkeypatch.setenv("PAPERKIT_CACHE_DIR", str(tmp_path))
    try:
        for damage in (None, None, "garbage", "type"):
            pdf_cache.cache_root.cache_clear()
            entries = list(tmp_path.glob("ttf-*.marshal"))
            if damage == "garbage":
                entries[0].write_bytes(b"\x00garbage")
            elif damage == "type":
                state = marshal.loads(entries[0].read_bytes())
                state["charWidths"] = {32: compile("1", "x", "eval")}
                entries[0].write_bytes(marshal.dumps(state))
            font = fc.load_ttfont("PKTestItalic", path)
            parsed = TTFont("PKTestItalic", path)   # fresh: subsetting moves its read position
            assert fc._same_face(font.face, parsed.face) and fc._same_font(font, parsed)
            assert font.face.name.ustr == "LiberationSerif-Italic"
            assert font.stringWidth("Central Asia", 11) == parsed.stringWidth("Central Asia", 11)
            assert font.face.makeSubset(list(range(32, 127))) == \
                parsed.face.makeSubset(list(range(32, 127)))
            assert len(list(tmp_path.glob("ttf-*.marshal"))) == 1
        monkeypatch.setenv("PAPERKIT_CACHE_DIR", "off")
        pdf_cache.cache_root.cache_clear()
        assert fc._same_face(fc.load_ttfont("PKTestItalic", path).face,
                             TTFont("PKTestItalic", path).face)
    finally:
        monkeypatch.undo()
        pdf_cache.cache_root.cache_clear()


def test_remembered_metrics_give_the_same_pdf_and_are_undone(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The word-width and ascent memos of the line breaker (issue 9) answer with the floats
    reportlab computes: the sample paper in every shipped template is byte for byte the
    PDF built without them, and reportlab's functions are back after each build."""
    import contextlib

    from reportlab.platypus import paragraph as rl_paragraph

    from paperkit.writers import pdf
    originals = (rl_paragraph.stringWidth, rl_paragraph.getAscentDescent)
    remembered = {name: build(sample_paper(), load_template(name))
                  for name in ("article", "policy-brief", "apa-student")}
    assert (rl_paragraph.stringWidth, rl_paragraph.getAscentDescent) == originals
    monkeypatch.setattr(pdf, "_remembered_metrics", contextlib.nullcontext)
    for name, data in remembered.items():
        assert build(sample_paper(), load_template(name)) == data, name


def test_overlapping_builds_put_reportlabs_own_metrics_back() -> None:
    """Two builds in threads may overlap; whichever ends last, reportlab is left with its
    own functions, never with another build's memo."""
    from reportlab.platypus import paragraph as rl_paragraph

    from paperkit.writers import pdf
    originals = (rl_paragraph.stringWidth, rl_paragraph.getAscentDescent)
    first, second = pdf._remembered_metrics(), pdf._remembered_metrics()
    first.__enter__()
    second.__enter__()
    assert rl_paragraph.stringWidth("word", "Times-Roman", 10) == \
        originals[0]("word", "Times-Roman", 10)
    first.__exit__(None, None, None)
    second.__exit__(None, None, None)
    assert (rl_paragraph.stringWidth, rl_paragraph.getAscentDescent) == originals
