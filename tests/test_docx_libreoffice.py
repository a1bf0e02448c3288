"""The Word writer read back by LibreOffice: both example papers, built by the real pipeline.

Each paper is built with ``paperkit.build(paperkit.load(path), formats=("docx", "pdf"))``;
LibreOffice (headless, its own profile) converts the .docx to PDF and to ODT. The tests read
what LibreOffice made of it: footnotes, numbered headings, tables and pictures in the ODT,
the text, formulas and page count of its PDF, and its word count in the ODT's ``meta.xml``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import re
import subprocess
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from lxml import etree

import paperkit
from conftest import ROOT, require_tool
from paperkit.checks.words import count_words
from paperkit.model import (Block, BlockQuote, BulletList, Cite, Emph, Figure, Link, Math, Note,
                            OrderedList, Paper, Ref, SmallCaps, Strong, Subscript,
                            Superscript, Table)
from paperkit.pipeline import resolve
from paperkit.templates import Template
from paperkit.model import Inline
from paperkit.walk import block_inlines, iter_sections, plain_text
from paperkit.writers import layout

pytestmark = pytest.mark.slow

EXAMPLES = ("japan-central-asia", "feature-tour")
ODF = {"text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
       "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
       "draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
       "meta": "urn:oasis:names:tc:opendocument:xmlns:meta:1.0",
       "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
       "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0"}
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@dataclass
class Converted:
    """One example paper: its resolved model, paperkit's outputs and LibreOffice's."""

    name: str
    paper: Paper                 # as loaded
    resolved: Paper              # numbered, citations rendered (what the writers saw)
    template: Template
    docx: Path
    pdf: Path                    # paperkit's own PDF
    lo_pdf: Path                 # LibreOffice's PDF of the .docx
    odt: Path                    # LibreOffice's ODT of the .docx

    def odt_xml(self, member: str) -> etree._Element:
        with zipfile.ZipFile(self.odt) as odt:
            return etree.fromstring(odt.read(member))


def convert(docx: Path, fmt: str, out: Path, profile: Path) -> Path:
    """Return the file LibreOffice converts `docx` to (`fmt`), in `out`."""
    soffice = require_tool("soffice")
    result = subprocess.run(
        [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless",
         "--convert-to", fmt, "--outdir", str(out), str(docx)],
        capture_output=True, text=True, timeout=240)
    target = out / f"{docx.stem}.{fmt}"
    assert result.returncode == 0 and target.exists(), result.stdout + result.stderr
    return target


def pdf_text(pdf: Path) -> str:
    return subprocess.run([require_tool("pdftotext"), "-layout", str(pdf), "-"],
                          check=True, capture_output=True, text=True).stdout


def pdf_pages(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(str(pdf)).pages)


@pytest.fixture(scope="module")
def examples(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Converted]:
    """Build both example papers and convert each .docx with LibreOffice (once per module)."""
    require_tool("soffice")
    root = tmp_path_factory.mktemp("docx-lo")
    profile = root / "profile"
    converted = {}
    for name in EXAMPLES:
        paper = paperkit.load(ROOT / "sources" / name)
        result = paperkit.build(paper, formats=("docx", "pdf"), out=root / "build")
        assert result.written, result.report.diagnostics
        folder = root / "build" / paper.name
        docx = folder / "paper.docx"
        lo = root / "lo" / name
        resolved, template, _ = resolve(paper)
        converted[name] = Converted(name, paper, resolved, template, docx, folder / "paper.pdf",
                                    convert(docx, "pdf", lo, profile),
                                    convert(docx, "odt", lo, profile))
    return converted


@pytest.fixture(params=EXAMPLES)
def example(request: pytest.FixtureRequest, examples: dict[str, Converted]) -> Converted:
    return examples[request.param]


# ---------------------------------------------------------------------- model walks


def all_blocks(paper: Paper) -> Iterator[Block]:
    """Yield every block of `paper`: abstract, body, sections, lists, quotes and notes."""
    def blocks(items: Iterable[Block]) -> Iterator[Block]:
        for block in items:
            yield block
            match block:
                case BulletList(items=list_items) | OrderedList(items=list_items):
                    for item in list_items:
                        yield from blocks(item)
                case BlockQuote(blocks=inner):
                    yield from blocks(inner)
                case _:
                    pass
            for inlines in block_inlines(block):
                for note in notes(inlines):
                    yield from blocks(note.blocks)

    def notes(inlines: Iterable[Inline]) -> Iterator[Note]:
        for node in inlines:
            match node:
                case Note():
                    yield node
                case Emph(content=c) | Strong(content=c) | SmallCaps(content=c) | \
                        Superscript(content=c) | Subscript(content=c) | Link(content=c):
                    yield from notes(c)
                case Cite(rendered=rendered) if rendered:
                    yield from notes(rendered)
                case _:
                    pass

    yield from blocks(paper.abstract)
    yield from blocks(paper.blocks)
    for section in iter_sections(paper.sections):
        yield from blocks(section.blocks)


def all_inlines(paper: Paper) -> Iterator[Inline]:
    """Yield every inline node paperkit's word count reads (title to notes, not references)."""
    def walk(inlines: Iterable[Inline]) -> Iterator[Inline]:
        for node in inlines:
            yield node
            match node:
                case Emph(content=c) | Strong(content=c) | SmallCaps(content=c) | \
                        Superscript(content=c) | Subscript(content=c) | Link(content=c):
                    yield from walk(c)
                case Cite(rendered=rendered) if rendered:
                    yield from walk(rendered)
                case _:
                    pass

    yield from walk(paper.title)
    yield from walk(paper.subtitle)
    for section in iter_sections(paper.sections):
        yield from walk(section.title)
    for block in all_blocks(paper):
        for inlines in block_inlines(block):
            yield from walk(inlines)


def count_notes(paper: Paper) -> int:
    return sum(1 for block in all_blocks(paper) for inlines in block_inlines(block)
               for node in inlines if isinstance(node, Note)) + \
        sum(1 for s in iter_sections(paper.sections) for n in s.title if isinstance(n, Note))


# ---------------------------------------------------------------------- structure


def test_libreoffice_converts_within_a_page_of_paperkits_pdf(example: Converted) -> None:
    lo_pages, own_pages = pdf_pages(example.lo_pdf), pdf_pages(example.pdf)
    assert abs(lo_pages - own_pages) <= 1, (lo_pages, own_pages)
    text = " ".join(pdf_text(example.lo_pdf).split())
    assert " ".join(plain_text(example.resolved.title).split()) in text


def test_libreoffice_sees_every_footnote(example: Converted) -> None:
    content = example.odt_xml("content.xml")
    notes = content.findall(".//text:note", ODF)
    assert len(notes) == count_notes(example.resolved)
    assert all(n.get(f"{{{ODF['text']}}}note-class") == "footnote" for n in notes)
    with zipfile.ZipFile(example.docx) as docx:
        word = etree.fromstring(docx.read("word/footnotes.xml")) if count_notes(
            example.resolved) else None
    for index, note in enumerate(notes, start=1):
        body = " ".join("".join(note.find("text:note-body", ODF).itertext()).split())
        assert word is not None
        source = word.find(f"{W}footnote[@{W}id='{index}']")
        assert source is not None
        assert body and body in " ".join("".join(source.itertext()).split())


def test_libreoffice_sees_numbered_headings(example: Converted) -> None:
    content = example.odt_xml("content.xml")
    headings = [(int(h.get(f"{{{ODF['text']}}}outline-level")),
                 " ".join("".join(h.itertext()).split()))
                for h in content.iter(f"{{{ODF['text']}}}h")]
    sections = list(iter_sections(example.resolved.sections))
    expected = [(s.level, " ".join(plain_text(s.title).split())) for s in sections]
    if example.resolved.bibliography:
        expected.append((1, example.template.references_title))
    assert headings == expected
    # The numbers come from the outline (heading) numbering LibreOffice made of Word's
    # heading-style numbering: "1", "1.1", "1.1.1".
    styles = example.odt_xml("styles.xml")
    outline = styles.find(".//text:outline-style", ODF)
    formats = {int(level.get(f"{{{ODF['text']}}}level")):
               (level.get(f"{{{ODF['style']}}}num-format"),
                level.get(f"{{{ODF['text']}}}display-levels", "1"))
               for level in outline.findall("text:outline-level-style", ODF)}
    assert [formats[i] for i in (1, 2, 3)] == [("1", "1"), ("1", "2"), ("1", "3")]
    # ... and they are printed: every numbered heading starts its line in the PDF.
    lines = [" ".join(line.split()) for line in pdf_text(example.lo_pdf).splitlines()]
    for section in sections:
        number = layout.heading_text_number(section, example.template)
        words = plain_text(section.title).split()
        first = f"{number} {words[0]}" if number else words[0]
        assert any(line.startswith(first) for line in lines), first
    if example.resolved.bibliography:
        assert example.template.references_title in lines        # unnumbered


def test_libreoffice_sees_tables_and_pictures(example: Converted) -> None:
    content = example.odt_xml("content.xml")
    tables = [b for b in all_blocks(example.resolved) if isinstance(b, Table)]
    odt_tables = content.findall(".//table:table", ODF)
    assert len(odt_tables) == len(tables)
    for table, odt_table in zip(tables, odt_tables):
        rows = odt_table.findall(".//table:table-row", ODF)
        assert len(rows) == len(table.rows) + (1 if table.header else 0)
        header = odt_table.find("table:table-header-rows", ODF)
        assert (header is not None) == bool(table.header)    # repeated on each page
        cells = [" ".join("".join(c.itertext()).split())
                 for c in rows[-1].findall("table:table-cell", ODF)]
        assert cells == [" ".join(plain_text(c).split()) for c in table.rows[-1]]
    figures = [b for b in all_blocks(example.resolved) if isinstance(b, Figure)]
    pictures = [f for f in content.iter(f"{{{ODF['draw']}}}frame")
                if f.find("draw:image", ODF) is not None and
                f.find("draw:object", ODF) is None]
    assert len(pictures) == len(figures)
    text = " ".join(pdf_text(example.lo_pdf).split())
    for kind, items in (("tbl", tables), ("fig", figures)):
        for item in items:
            if item.number is not None:
                label = layout.caption_label(kind, item.number, example.template)
                assert f"{label}: {' '.join(plain_text(item.caption).split())}" in text


def test_libreoffice_renders_math_as_formulas(examples: dict[str, Converted],
                                             tmp_path: Path) -> None:
    """Office Math becomes LibreOffice formula objects that print (libreoffice-math)."""
    example = examples["feature-tour"]
    content = example.odt_xml("content.xml")
    objects = [f for f in content.iter(f"{{{ODF['draw']}}}frame")
               if f.find("draw:object", ODF) is not None]
    maths = [n for n in all_inlines(example.resolved) if isinstance(n, Math)]
    assert len(objects) >= len(maths) + 1               # inline formulas and the display one
    lines = [" ".join(line.split()) for line in pdf_text(example.lo_pdf).splitlines()]
    assert any(re.search(r"H ?= ?∑", line) for line in lines), "display formula not printed"
    # the sample paper's inline E = mc^2
    from paperkit.options import BuildOptions
    from paperkit.templates import load_template
    from paperkit.writers.docx import write_docx
    from sample_paper import sample_paper

    source = tmp_path / "sample.docx"
    source.write_bytes(write_docx(sample_paper(), load_template("article"),
                                  BuildOptions())["paper.docx"])
    text = pdf_text(convert(source, "pdf", tmp_path, tmp_path / "profile"))
    assert re.search(r"E ?= ?mc", " ".join(text.split()))     # the superscript 2 moves


def test_table_of_contents_lists_the_headings(examples: dict[str, Converted],
                                             tmp_path: Path) -> None:
    """With ``toc: true`` LibreOffice shows a table of contents after the abstract."""
    from paperkit.options import BuildOptions
    from paperkit.writers.docx import write_docx

    example = examples["feature-tour"]
    paper = replace(example.resolved, toc=True)
    source = tmp_path / "toc.docx"
    source.write_bytes(write_docx(paper, example.template, BuildOptions())["paper.docx"])
    odt = convert(source, "odt", tmp_path, tmp_path / "profile")
    with zipfile.ZipFile(odt) as archive:
        content = etree.fromstring(archive.read("content.xml"))
    index = content.find(".//text:table-of-content", ODF)
    assert index is not None                       # a real index, which "Update" refreshes
    entries = [" ".join("".join(p.itertext()).split())
               for p in index.find("text:index-body", ODF).findall("text:p", ODF)]
    expected = [f"{layout.heading_text_number(s, example.template)} "
                f"{plain_text(s.title)}".strip()
                for s in iter_sections(paper.sections) if s.level <= 3]
    assert entries == expected + [example.template.references_title]
    lines = [" ".join(line.split()) for line in
             pdf_text(convert(source, "pdf", tmp_path, tmp_path / "profile")).splitlines()]
    start = lines.index("Contents")
    assert lines[start + 1:start + 1 + len(expected)] == expected


# ---------------------------------------------------------------------- word count


_CJK = "[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]"


def libreoffice_words(text: str) -> int:
    """Return LibreOffice's word count of `text`, as measured (LibreOffice 7.4).

    LibreOffice breaks words at spaces and also at en and em dashes, and counts every piece,
    punctuation too ("&", "*", "<=") but not a dash standing alone. Each CJK character is a
    word, as in paperkit, and so is each stretch of other characters between them (the "."
    of "中央アジア." is a sixth word; paperkit counts five).
    """
    total = 0
    for piece in re.split(r"[\s\u2013\u2014]+", text):
        total += len(re.findall(_CJK, piece)) + len([p for p in re.split(_CJK, piece) if p])
    return total


def docx_paragraph_texts(docx: Path) -> dict[str, list[tuple[str, str]]]:
    """Return each part's paragraphs as (style id, text) from the .docx's XML."""
    out = {}
    with zipfile.ZipFile(docx) as archive:
        for name in archive.namelist():
            if re.fullmatch(r"word/(document|footnotes|header\d+|footer\d+)\.xml", name):
                root = etree.fromstring(archive.read(name))
                paragraphs = []
                for p in root.iter(f"{W}p"):
                    style = p.find(f"{W}pPr/{W}pStyle")
                    text = "".join((n.text or "") if n.tag == f"{W}t" else " "
                                   for n in p.iter(f"{W}t", f"{W}tab", f"{W}br"))
                    paragraphs.append((style.get(f"{W}val") if style is not None else "",
                                       text))
                out[name] = paragraphs
    return out


def test_libreoffice_word_count_matches_paperkit_count(example: Converted) -> None:
    """LibreOffice's word count (ODT ``meta:word-count``) equals ``paperkit.count`` once the
    two are made to count the same text by the same rules.

    What LibreOffice counts (measured with one-element documents): every word of the
    document - title block, abstract, headings, body, footnotes, captions, table cells,
    code, the reference list - plus the headers and footers (each once, with their PAGE
    field's "1"), every heading number and list label ("1.1", "2.", "•": one word each), a
    caption's "Table 1:" (two words). Formulas count nothing. A piece of text counts as
    :func:`libreoffice_words` says, paperkit's as ``count_words`` (README, "Word counts").

    So the identity checked is::

        LibreOffice = sum of paperkit's categories (title, abstract, headings, body, notes,
                      captions, tables, references)
                    + the words paperkit's categories leave out but the page shows
                      (authors, affiliations, e-mails, date, "Abstract", the keywords line,
                      "References", code blocks, headers and footers)
                    + heading numbers, list labels and caption labels
                    - the TeX of inline math (paperkit counts it, LibreOffice shows a formula)
                    + cross-references' words beyond what paperkit counts for them
                      (paperkit counts the number only; "Section 2" is printed)
                    + the dash rule and its kin: for every paragraph of the .docx, its
                      LibreOffice count minus its paperkit count ("nations—Kazakhstan": 2 vs
                      1, the README's rule; "pp. 45–47": 3 vs 2, the same at an en dash; a
                      lone "&" or "*": 1 vs 0; "中央アジア.": 6 vs 5)

    Each term is computed from the model or read from the .docx; the equation must hold
    exactly, so a word the .docx lost, doubled or added shows up as a difference.
    """
    paper, template = example.resolved, example.template
    with zipfile.ZipFile(example.odt) as odt:
        meta = etree.fromstring(odt.read("meta.xml"))
    stats = meta.find(".//meta:document-statistic", ODF)
    libreoffice = int(stats.get(f"{{{ODF['meta']}}}word-count"))

    counts = paperkit.count(example.paper)
    terms = {"paperkit categories": sum(counts.categories.values())}

    parts = docx_paragraph_texts(example.docx)
    shown_only = {"Author", "Affiliation", "Date", "AbstractTitle", "Keywords", "SourceCode"}
    terms["title block, code"] = sum(count_words(text) for style, text in
                                     parts["word/document.xml"] if style in shown_only)
    terms["references heading"] = count_words(template.references_title) \
        if paper.bibliography else 0
    terms["headers, footers"] = sum(count_words(text) for name, paragraphs in parts.items()
                                    if "/header" in name or "/footer" in name
                                    for _, text in paragraphs)

    blocks = list(all_blocks(paper))
    terms["heading numbers"] = sum(
        count_words(layout.heading_text_number(s, template))
        for s in iter_sections(paper.sections))
    terms["list labels"] = sum(len(b.items) for b in blocks
                               if isinstance(b, (BulletList, OrderedList)))
    terms["caption labels"] = sum(
        count_words(layout.caption_label(kind, b.number, template) + ":")
        for b in blocks for kind in [("tbl" if isinstance(b, Table) else "fig")]
        if isinstance(b, (Table, Figure)) and b.number is not None)

    inlines = list(all_inlines(paper))
    terms["inline math"] = -sum(count_words(n.tex) for n in inlines if isinstance(n, Math))
    terms["cross-references"] = sum(
        count_words(layout.ref_text(n, template)) - count_words(plain_text([n]))
        for n in inlines if isinstance(n, Ref))
    terms["dash rule"] = sum(libreoffice_words(text) - count_words(text)
                             for paragraphs in parts.values() for _, text in paragraphs)

    assert libreoffice == sum(terms.values()), (libreoffice, terms)
    # The categories are not all empty: the comparison covers real text.
    assert counts.categories["body"] > 250 and terms["dash rule"] > 0
