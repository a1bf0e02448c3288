"""The Word writer's document-wide parts, read back from the .docx zip.

Both example papers are built through the real pipeline (``paperkit.build``); the tests unzip
the .docx and check that runs carry styles rather than direct formatting, that
``footnotes.xml`` holds every note of the model, and that every internal link has its
bookmark. Then a template's ``reference.docx``, the table of contents and the app
properties.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import replace
from pathlib import Path

import docx
import pytest
from docx.enum.style import WD_STYLE_TYPE
from docx.shared import Mm, Pt, RGBColor
from lxml import etree

import paperkit
from conftest import ROOT
from paperkit.errors import TemplateError
from paperkit.model import Note, Paper, Paragraph
from paperkit.options import BuildOptions
from paperkit.pipeline import resolve
from paperkit.templates import Template, load_template
from paperkit.walk import block_inlines, iter_sections, plain_text
from paperkit.writers import layout
from paperkit.writers.docx import write_docx
from sample_paper import sample_paper
from test_docx_libreoffice import all_blocks, count_notes

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
NS = {"w": W[1:-1]}
#: a resolved paper and its .docx parts by name
PaperParts = tuple[Paper, dict[str, etree._Element]]
EXAMPLES = ("japan-central-asia", "feature-tour")


def parts(data: bytes) -> dict[str, etree._Element]:
    """Return the .docx's XML parts by name."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {n: etree.fromstring(archive.read(n)) for n in archive.namelist()
                if n.endswith(".xml") or n.endswith(".rels")}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Paper, bytes]]:
    """Return {name: (resolved paper, .docx bytes)} for both examples and the sample paper."""
    out = tmp_path_factory.mktemp("docx-doc")
    result = {}
    for name in EXAMPLES:
        paper = paperkit.load(ROOT / "sources" / name)
        build = paperkit.build(paper, formats=("docx",), out=out)
        assert build.written, build.report.diagnostics
        result[name] = (resolve(paper)[0], (out / paper.name / "paper.docx").read_bytes())
    sample = sample_paper()
    result["sample"] = (sample, write_docx(sample, load_template("article"),
                                           BuildOptions())["paper.docx"])
    return result


@pytest.fixture(params=[*EXAMPLES, "sample"])
def paper_docx(request: pytest.FixtureRequest,
               built: dict[str, tuple[Paper, bytes]]) -> PaperParts:
    paper, data = built[request.param]
    return paper, parts(data)


# ---------------------------------------------------------------------- structure

#: Run properties the writer may set directly: the character style, and toggles that mark a
#: second emphasis inside a styled run, small capitals and super/subscripts. Fonts, sizes,
#: colours and spacing always come from styles.
ALLOWED_RUN_PROPERTIES = {"rStyle", "b", "bCs", "i", "iCs", "smallCaps", "vertAlign"}


def test_runs_carry_styles_not_direct_formatting(paper_docx: PaperParts) -> None:
    paper, xml = paper_docx
    runs = 0
    for name in ("word/document.xml", "word/footnotes.xml"):
        if name not in xml:
            continue
        for run in xml[name].iter(f"{W}r"):
            runs += 1
            rpr = run.find(f"{W}rPr")
            if rpr is None:
                continue
            tags = {etree.QName(child).localname for child in rpr}
            assert tags <= ALLOWED_RUN_PROPERTIES, (name, tags)
            if tags & {"b", "i"}:
                # a bold or italic toggle only adds to a run already styled otherwise
                assert "rStyle" in tags, etree.tostring(run)
        for paragraph in xml[name].iter(f"{W}p"):
            ppr = paragraph.find(f"{W}pPr")
            assert ppr is None or ppr.find(f"{W}rPr") is None      # no paragraph-mark look
            assert paragraph.find(f"{W}pPr/{W}pStyle") is not None or name.endswith(
                "footnotes.xml") and paragraph.getparent().get(f"{W}id") in ("-1", "0")
    assert runs > 30
    for name in ("word/document.xml", "word/footnotes.xml"):
        if name in xml:
            for tag in ("rFonts", "sz", "szCs", "color", "highlight", "u", "spacing",
                        "kern", "w"):
                found = [r for r in xml[name].iter(f"{W}rPr") if r.find(f"{W}{tag}") is not None
                         and r.getparent().tag == f"{W}r"]
                assert not found, (name, tag)


def test_footnotes_part_holds_every_note_of_the_model(paper_docx: PaperParts) -> None:
    paper, xml = paper_docx
    expected = count_notes(paper)
    if not expected:
        assert "word/footnotes.xml" not in xml
        return
    notes = [n for n in xml["word/footnotes.xml"].findall("w:footnote", NS)
             if int(n.get(f"{W}id")) > 0]
    assert [int(n.get(f"{W}id")) for n in notes] == list(range(1, expected + 1))
    references = [int(r.get(f"{W}id")) for r in xml["word/document.xml"].iter(
        f"{W}footnoteReference")]
    assert sorted(references) == list(range(1, expected + 1))
    texts = [" ".join("".join(n.itertext()).split()) for n in notes]
    model = [" ".join(" ".join(plain_text(i) for b in note.blocks for i in block_inlines(b))
                      .split())
             for block in all_blocks(paper) for inlines in block_inlines(block)
             for note in inlines if isinstance(note, Note)]
    for text in model:
        assert any(text in t for t in texts), text


def test_every_internal_hyperlink_and_ref_field_has_its_bookmark(paper_docx: PaperParts) -> None:
    paper, xml = paper_docx
    bookmarks = [b.get(f"{W}name") for part in xml.values()
                 for b in part.iter(f"{W}bookmarkStart")]
    assert len(bookmarks) == len(set(bookmarks))
    starts = {b.get(f"{W}id") for part in xml.values() for b in part.iter(f"{W}bookmarkStart")}
    ends = {b.get(f"{W}id") for part in xml.values() for b in part.iter(f"{W}bookmarkEnd")}
    assert starts == ends
    anchors = [h.get(f"{W}anchor") for part in xml.values() for h in part.iter(f"{W}hyperlink")
               if h.get(f"{W}anchor")]
    missing = set(anchors) - set(bookmarks)
    assert not missing
    fields = [t.text.split()[1] for part in xml.values() for t in part.iter(f"{W}instrText")
              if t.text.split()[:1] == ["REF"]]
    assert set(fields) <= set(bookmarks)
    if paper.bibliography:
        assert anchors and {f"ref_{e.key}" for e in paper.bibliography} <= set(bookmarks)


# ---------------------------------------------------------------------- reference.docx


def make_reference(path: Path, *, first_page: bool = False) -> Path:
    """Write a reference document as a Word user's house template might be."""
    ref = docx.Document()
    sidebar = ref.styles.add_style("Sidebar Note", WD_STYLE_TYPE.PARAGRAPH)
    sidebar.font.color.rgb = RGBColor(0x80, 0x00, 0x00)
    sidebar.font.size = Pt(9)
    normal = ref.styles["Normal"]
    normal.font.name, normal.font.size = "Arial", Pt(14)
    ref.styles["Heading 1"].font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
    section = ref.sections[0]
    section.left_margin, section.header_distance = Mm(10), Mm(7)
    section.header.paragraphs[0].text = "Confidential draft"
    if first_page:
        section.different_first_page_header_footer = True
        section.first_page_header.paragraphs[0].text = "Cover page"
    ref.add_paragraph("Reference body text that must not reach the paper.")
    ref.add_picture(io.BytesIO(_png()), width=Mm(20))
    ref.save(str(path))
    return path


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 200, 10)).save(buffer, "PNG")
    return buffer.getvalue()


def with_reference(path: Path) -> Template:
    return replace(load_template("article"), files={"reference.docx": path})


def test_reference_docx_gives_styles_header_and_page_setup_the_yaml_wins(tmp_path: Path) -> None:
    template = with_reference(make_reference(tmp_path / "reference.docx"))
    data = write_docx(sample_paper(), template, BuildOptions())["paper.docx"]
    document = docx.Document(io.BytesIO(data))
    styles = document.styles
    # a style only the reference defines is there, as the reference defines it
    assert styles["Sidebar Note"].font.color.rgb == RGBColor(0x80, 0x00, 0x00)
    assert styles["Sidebar Note"].font.size == Pt(9)
    # styles both define: the template's values win, the reference keeps the rest
    assert styles["Normal"].font.name == "Times New Roman"
    assert styles["Normal"].font.size == Pt(11)
    assert styles["Heading 1"].font.size == Pt(14)
    assert styles["Heading 1"].font.color.rgb == RGBColor(0xC0, 0x00, 0x00)
    # page setup: margins from the template, header distance from the reference
    section = document.sections[0]
    assert section.left_margin is not None and section.header_distance is not None
    assert abs(section.left_margin - Mm(25)) < Mm(0.1)
    assert abs(section.header_distance - Mm(7)) < Mm(0.1)
    # its header on every page (the first too, as the reference has no first-page header);
    # paperkit's page number in the footer
    assert section.header.paragraphs[0].text == "Confidential draft"
    assert section.first_page_header.paragraphs[0].text == "Confidential draft"
    instr = "".join(t.text for t in section.footer.paragraphs[0]._p.iter(f"{W}instrText"))
    assert instr.split() == ["PAGE"]
    # the reference's content and its picture are gone; the paper's own content is there
    text = "\n".join(p.text for p in document.paragraphs)
    assert "must not reach" not in text and "Introduction" in text
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        media = [n for n in archive.namelist() if n.startswith("word/media/")]
        rels = archive.read("word/_rels/document.xml.rels").decode()
    assert len(media) == 1                           # the sample's figure only
    assert rels.count("relationships/footnotes\"") == 1
    # the same sources give the same bytes
    assert write_docx(sample_paper(), template, BuildOptions())["paper.docx"] == data


def test_reference_docx_first_page_header_and_paperkit_output_as_reference(tmp_path: Path) -> None:
    template = with_reference(make_reference(tmp_path / "ref.docx", first_page=True))
    data = write_docx(sample_paper(), template, BuildOptions())["paper.docx"]
    section = docx.Document(io.BytesIO(data)).sections[0]
    assert section.first_page_header.paragraphs[0].text == "Cover page"
    assert section.header.paragraphs[0].text == "Confidential draft"
    # A paperkit .docx restyled in Word is the usual reference: it builds cleanly again.
    (tmp_path / "own.docx").write_bytes(data)
    again = write_docx(sample_paper(), with_reference(tmp_path / "own.docx"),
                       BuildOptions())["paper.docx"]
    xml = parts(again)
    notes = [n for n in xml["word/footnotes.xml"].findall("w:footnote", NS)]
    assert [n.get(f"{W}id") for n in notes] == ["-1", "0", "1"]
    headings = [p for p in xml["word/document.xml"].iter(f"{W}p")
                if (p.find("w:pPr/w:pStyle", NS) is not None and
                    p.find("w:pPr/w:pStyle", NS).get(f"{W}val") == "Heading1")]
    assert "".join(headings[0].itertext()) == "Introduction"


def test_reference_that_is_not_a_word_document_is_a_template_error(tmp_path: Path) -> None:
    bad = tmp_path / "reference.docx"
    bad.write_text("not a zip")
    with pytest.raises(TemplateError) as caught:
        write_docx(sample_paper(), with_reference(bad), BuildOptions())
    assert caught.value.diagnostic.code == "PK108"
    assert "reference.docx" in str(caught.value)


# ---------------------------------------------------------------------- contents, properties


def test_toc_is_a_word_toc_field_prefilled_with_the_headings() -> None:
    paper = replace(sample_paper(), toc=True)
    template = load_template("article")
    xml = parts(write_docx(paper, template, BuildOptions())["paper.docx"])
    body = xml["word/document.xml"].find("w:body", NS)
    sdt = body.find("w:sdt", NS)
    gallery = sdt.find("w:sdtPr/w:docPartObj/w:docPartGallery", NS)
    assert gallery.get(f"{W}val") == "Table of Contents"
    instr = "".join(t.text for t in sdt.iter(f"{W}instrText"))
    assert instr.strip() == 'TOC \\o "1-3" \\h \\z \\u'
    kinds = [c.get(f"{W}fldCharType") for c in sdt.iter(f"{W}fldChar")]
    assert kinds == ["begin", "separate", "end"]
    # after the abstract and keywords, before the first heading
    children = list(body)
    previous = children[children.index(sdt) - 1]
    assert previous.find("w:pPr/w:pStyle", NS).get(f"{W}val") == "Keywords"
    paragraphs = sdt.findall("w:sdtContent/w:p", NS)
    styles = [p.find("w:pPr/w:pStyle", NS).get(f"{W}val") for p in paragraphs]
    texts = ["".join(p.itertext()).replace(instr, "").strip() for p in paragraphs]
    assert styles[0] == "TOCHeading" and texts[0] == "Contents"
    expected = [(f"TOC{s.level}", f"{layout.heading_text_number(s, template)} "
                 f"{plain_text(s.title)}".strip())
                for s in iter_sections(paper.sections) if s.level <= 3]
    expected.append(("TOC1", template.references_title))
    assert list(zip(styles[1:], texts[1:])) == expected
    bookmarks = {b.get(f"{W}name") for b in body.iter(f"{W}bookmarkStart")}
    links = [p.find("w:hyperlink", NS).get(f"{W}anchor") for p in paragraphs[1:]]
    assert set(links) <= bookmarks
    settings = xml["word/settings.xml"]
    assert settings.find("w:updateFields", NS).get(f"{W}val") == "true"
    toc1 = xml["word/styles.xml"].find("w:style[@w:styleId='TOC1']", NS)
    tab = toc1.find("w:pPr/w:tabs/w:tab", NS)
    assert (tab.get(f"{W}val"), tab.get(f"{W}leader")) == ("right", "dot")
    heading = xml["word/styles.xml"].find("w:style[@w:styleId='TOCHeading']", NS)
    assert heading.find("w:pPr/w:numPr", NS) is None      # "Contents" gets no number
    # without toc: none of it
    plain = parts(write_docx(sample_paper(), template, BuildOptions())["paper.docx"])
    assert plain["word/document.xml"].find(".//w:sdt", NS) is None
    assert plain["word/settings.xml"].find("w:updateFields", NS) is None


def test_core_and_app_properties(built: dict[str, tuple[Paper, bytes]]) -> None:
    paper, data = built["feature-tour"]
    document = docx.Document(io.BytesIO(data))
    core = document.core_properties
    assert core.title == plain_text(paper.title)
    assert core.subject == plain_text(paper.subtitle)
    assert core.author == "Aiko Tanaka, Daniyar Seitkali, Élodie Marchand"
    assert core.keywords == "Central Asia, Japan, connectivity, paperkit"
    assert core.language == "en-US"
    xml = parts(data)
    app = xml["docProps/app.xml"]
    values = {etree.QName(c).localname: c.text for c in app}
    assert values["Application"] == "paperkit"
    body = xml["word/document.xml"].find("w:body", NS)
    texts = ["".join((n.text or "") if n.tag == f"{W}t" else " "
                     for n in p.iter(f"{W}t", f"{W}tab", f"{W}br")) for p in body.iter(f"{W}p")]
    assert int(values["Words"]) == len(" ".join(texts).split()) > 400
    assert int(values["Paragraphs"]) == sum(1 for t in texts if t.strip())
    assert int(values["CharactersWithSpaces"]) >= int(values["Characters"]) > 2000
    assert "Pages" not in values                     # unknown without a layout
    # the language reaches the document defaults (spell-checking, hyphenation)
    lang = xml["word/styles.xml"].find("w:docDefaults/w:rPrDefault/w:rPr/w:lang", NS)
    assert lang.get(f"{W}val") == "en-US"


def test_toc_in_a_paper_without_headings_is_an_empty_field() -> None:
    paper = Paper(title="T", toc=True, blocks=[Paragraph("Only text.")])
    xml = parts(write_docx(paper, load_template("article"), BuildOptions())["paper.docx"])
    sdt = xml["word/document.xml"].find(".//w:sdt", NS)
    kinds = [c.get(f"{W}fldCharType") for c in sdt.iter(f"{W}fldChar")]
    assert kinds == ["begin", "separate", "end"]
    assert not re.sub(r"\s", "", "".join(t.text for t in sdt.iter(f"{W}t")).replace(
        "Contents", ""))


def test_reference_with_libreoffice_style_names_merges_without_duplicates(tmp_path: Path) -> None:
    """LibreOffice writes built-in style names capitalised ("Heading 1", "Footnote Text");
    they are the same styles as Word's "heading 1" and "footnote text"."""
    import warnings

    path = make_reference(tmp_path / "lo.docx")
    with zipfile.ZipFile(path) as archive:
        files = {n: archive.read(n) for n in archive.namelist()}
    styles = files["word/styles.xml"].decode()
    styles = styles.replace('w:val="heading 1"', 'w:val="Heading 1"').replace(
        'w:val="caption"', 'w:val="Caption"')
    footnote = ('<w:style w:type="paragraph" w:styleId="FootnoteText"><w:name w:val="Footnote '
                'Text"/><w:rPr><w:color w:val="00AA00"/></w:rPr></w:style></w:styles>')
    files["word/styles.xml"] = styles.replace("</w:styles>", footnote).encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    with warnings.catch_warnings():
        warnings.simplefilter("error")              # no python-docx lookup by id fallbacks
        data = write_docx(sample_paper(), with_reference(path), BuildOptions())["paper.docx"]
    root = parts(data)["word/styles.xml"]
    ids = [s.get(f"{W}styleId") for s in root.findall("w:style", NS)]
    assert len(ids) == len(set(ids))
    document = docx.Document(io.BytesIO(data))
    footnote_style = document.styles["footnote text"]
    assert footnote_style.font.size == Pt(9)                          # the template's
    assert footnote_style.font.color.rgb == RGBColor(0x00, 0xAA, 0x00)  # the reference's
    assert document.styles["Heading 1"].font.color.rgb == RGBColor(0xC0, 0x00, 0x00)
