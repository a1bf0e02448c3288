"""The PDF writer on both example papers, built through the real pipeline and read back.

``paperkit.build`` writes paper.pdf; the checks read it with qpdf, pypdf, pdffonts and
pdftotext and compare it with the resolved model (``paperkit.pipeline.resolve``): the
outline has every heading, every link leads to a named destination on the page of its
target, the metadata is the paper's, every font is embedded, every word of the source text
comes back in order, and every footnote sits on the page of its mark.
"""

from __future__ import annotations

import io
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

import paperkit
from conftest import ROOT, require_tool
from paperkit.model import (Block, BlockQuote, BulletList, Cite, Code, CodeBlock, Emph, Figure,
                            Inline, LineBreak, Link, Math, MathBlock, Note, OrderedList, Paper,
                            Paragraph, Ref, Section, SmallCaps, Strong, Subscript, Superscript,
                            Table, Text, ThematicBreak)
from paperkit.options import BuildOptions
from paperkit.pipeline import resolve
from paperkit.templates import Template
from paperkit.writers import layout
from paperkit.writers.pdf import render_pdf

PAPERS = ("feature-tour", "japan-central-asia")


@dataclass
class Built:
    """One example paper: the resolved model, its template and the PDF read back."""

    paper: Paper
    template: Template
    data: bytes
    path: Path
    reader: PdfReader
    pages: list[str] = field(default_factory=list)


@pytest.fixture(scope="module", params=PAPERS)
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Built:
    out = tmp_path_factory.mktemp(request.param)
    result = paperkit.build(paperkit.load(ROOT / "sources" / request.param),
                            formats=("pdf",), out=out)
    assert result.exit_code == 0, [str(d) for d in result.report.diagnostics]
    assert not [d for d in result.report.diagnostics if d.code == "PK501"]   # every glyph
    path = next(p for p in result.paths if p.name == "paper.pdf")
    paper, template, _ = resolve(paperkit.load(ROOT / "sources" / request.param))
    data = path.read_bytes()
    return Built(paper, template, data, path, PdfReader(io.BytesIO(data)),
                 pdftotext(path))


def pdftotext(path: Path, *extra: str) -> list[str]:
    tool = require_tool("pdftotext")
    out = subprocess.run([tool, "-enc", "UTF-8", *extra, str(path), "-"], check=True,
                         capture_output=True).stdout.decode("utf-8")
    return out.split("\f")[:-1]


# --------------------------------------------------------------------------- the model's words


@dataclass
class Words:
    """The model's text in reading order: the main flow, and each footnote on its own.

    `cells` holds the words of table bodies: a cell that wraps puts its later lines below
    the row's other cells, so their order in extracted text is not the model's.
    """

    flow: list[str] = field(default_factory=list)
    notes: list[list[str]] = field(default_factory=list)
    cells: list[str] = field(default_factory=list)


def tokens(text: str) -> list[str]:
    """Return the words of `text`, hyphens removed (a line-end hyphen joins a word)."""
    text = text.replace("-\n", "").replace("-", "")
    return re.findall(r"\w+", text)


def inline_text(inlines: list[Inline], template: Template, words: Words) -> str:
    parts: list[str] = []
    for node in inlines:
        match node:
            case Text(text=text) | Code(text=text):
                parts.append(text)
            case Emph(content=c) | Strong(content=c) | SmallCaps(content=c) | \
                    Superscript(content=c) | Subscript(content=c) | Link(content=c):
                parts.append(inline_text(c, template, words))
            case Math():
                parts.append(" ")         # typeset glyphs, not words
            case LineBreak():
                parts.append(" ")
            case Cite(rendered=rendered, source=source):
                parts.append(inline_text(rendered, template, words) if rendered is not None
                             else source)
            case Ref() as ref:
                parts.append(layout.ref_text(ref, template))
            case Note(blocks=blocks):
                note = Words()
                blocks_text(blocks, template, note)
                words.notes.append(note.flow)
                parts.append(" ")
            case _:
                raise TypeError(node)
    return "".join(parts)


def blocks_text(blocks: list[Block], template: Template, words: Words) -> None:
    for block in blocks:
        match block:
            case Paragraph(content=content):
                words.flow += tokens(inline_text(content, template, words))
            case BulletList(items=items) | OrderedList(items=items):
                for item in items:
                    blocks_text(item, template, words)
            case BlockQuote(blocks=inner):
                blocks_text(inner, template, words)
            case CodeBlock(text=text):
                words.flow += tokens(text)
            case Table() as table:
                words.flow += tokens(layout.caption_label("tbl", table.number, template))
                words.flow += tokens(inline_text(table.caption, template, words))
                for cell in table.header:
                    words.flow += tokens(inline_text(cell, template, words))
                for row in table.rows:
                    for cell in row:
                        words.cells += tokens(inline_text(cell, template, words))
            case Figure() as figure:
                words.flow += tokens(layout.caption_label("fig", figure.number, template))
                words.flow += tokens(inline_text(figure.caption, template, words))
            case MathBlock() | ThematicBreak():
                pass
            case _:
                raise TypeError(block)


def model_words(paper: Paper, template: Template) -> Words:
    words = Words()
    words.flow += tokens(inline_text(paper.title, template, words))
    words.flow += tokens(inline_text(paper.subtitle, template, words))
    block = layout.author_block(paper)
    for name, _ in block.names:
        words.flow += tokens(name)
    for _, affiliation in block.affiliations:
        words.flow += tokens(affiliation)
    words.flow += [t for e in block.emails for t in tokens(e)]
    words.flow += tokens(paper.date or "")
    if paper.abstract:
        words.flow += tokens(template.abstract_label)
        blocks_text(paper.abstract, template, words)
    if paper.keywords:
        words.flow += tokens(template.keywords_label) + tokens(" ".join(paper.keywords))

    def section(s: Section) -> None:
        words.flow += tokens(layout.heading_text_number(s, template))
        words.flow += tokens(inline_text(s.title, template, words))
        blocks_text(s.blocks, template, words)
        for sub in s.subsections:
            section(sub)
    blocks_text(paper.blocks, template, words)
    for s in paper.sections:
        section(s)
    if paper.bibliography:
        words.flow += tokens(template.references_title)
        for entry in paper.bibliography:
            words.flow += tokens(inline_text(entry.content, template, words))
    return words


def extracted(pages: list[str]) -> list[str]:
    """Return the words pdftotext found; digits glued to a word (note marks) split off."""
    text = "\n".join(pages)
    text = re.sub(r"(?<=[^\W\d_])(\d+)\b", r" \1", text)
    return tokens(text)


def assert_in_order(expected: list[str], found: list[str], max_gap: int) -> None:
    """Assert `expected` is a subsequence of `found` whose matches skip <= `max_gap` words.

    The first word may be anywhere (every place it occurs is tried). Skipped words are
    those the flow does not hold: running headers, page numbers, note marks, footnote text
    at a page's bottom, the words of a figure's image. A word hyphenated at a page's end
    comes back in two parts with such words between them.
    """
    starts = [i for i, word in enumerate(found) if expected and word == expected[0]]
    failure = f"word 0 {expected[0]!r} missing" if expected else ""
    for start in starts or [-1]:
        failure = _match_from(expected, found, start + 1, max_gap)
        if not failure:
            return
    raise AssertionError(failure)


def _match_from(expected: list[str], found: list[str], position: int, max_gap: int) -> str:
    """Return "" when `expected[1:]` follows from `position`, else what went wrong."""
    for index, word in enumerate(expected[1:], 1):
        window = found[position:position + max_gap + 1]
        exact = position + window.index(word) + 1 if word in window else None
        split = _split_word(word, found, position, max_gap, exact)
        if exact is None and split is None:
            context = " ".join(expected[max(index - 8, 0):index + 3])
            return f"word {index} {word!r} missing or out of order near {context!r}"
        position = min(p for p in (exact, split) if p is not None)
    return ""


def _split_word(word: str, found: list[str], position: int, max_gap: int,
                before: int | None) -> int | None:
    """Return the position after `word` found as head ... tail starting before `before`."""
    end = min(position + max_gap + 1, len(found), before or len(found))
    for at in range(position, end):
        head = found[at]
        if len(head) >= 2 and word.startswith(head) and word != head:
            tail = word[len(head):]
            rest = found[at + 1:at + 1 + max_gap]
            if tail in rest:
                return at + 1 + rest.index(tail) + 1
    return None


# --------------------------------------------------------------------------- the tests


def test_qpdf_check_passes(built: Built) -> None:
    run = subprocess.run([require_tool("qpdf"), "--check", str(built.path)],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "No syntax or stream encoding errors" in run.stdout


def test_every_word_of_the_source_comes_back_in_order(built: Built) -> None:
    words = model_words(built.paper, built.template)
    found = extracted(pdftotext(built.path, "-layout"))     # tables read row by row
    assert len(words.flow) > 400
    assert_in_order(words.flow, found, max_gap=60)
    for note in words.notes:
        assert_in_order(note, found, max_gap=3)
    assert_all_present(words.cells, found)


def assert_all_present(expected: list[str], found: list[str]) -> None:
    """Assert every word of `expected` is in `found` at least as often."""
    from collections import Counter
    missing = Counter(expected) - Counter(found)
    assert not missing, missing


@pytest.mark.parametrize("built", ["feature-tour"], indirect=True)  # the paper that has them
def test_cyrillic_and_japanese_strings_are_extracted(built: Built) -> None:
    text = " ".join(built.pages)
    for word in ("Қазақстан", "Oʻzbekiston", "Кыргызстан", "Тоҷикистон", "Türkmenistan",
                 "中央アジア"):
        assert word in text, word


def outline(reader: PdfReader) -> list[tuple[int, str, int]]:
    found: list[tuple[int, str, int]] = []

    def walk(items: list[Any], depth: int) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item, depth + 1)
            else:
                page = reader.get_destination_page_number(item)
                assert page is not None
                found.append((depth, item.title, page))
    walk(reader.outline, 0)
    return found


def test_outline_has_every_heading_on_its_page(built: Built) -> None:
    expected = []

    def collect(s: Section) -> None:
        number = layout.heading_text_number(s, built.template)
        title = " ".join(inline_text(s.title, built.template, Words()).split())
        expected.append((s.level - 1, f"{number} {title}".strip()))
        for sub in s.subsections:
            collect(sub)
    for s in built.paper.sections:
        collect(s)
    if built.paper.bibliography:
        expected.append((0, built.template.references_title))
    entries = outline(built.reader)
    assert [(depth, title) for depth, title, _ in entries] == expected
    for _, title, page in entries:
        assert " ".join(title.split()[-2:]) in " ".join(built.pages[page].split()), title


def test_every_link_reaches_its_target(built: Built) -> None:
    named = built.reader.named_destinations
    internal = external = 0
    for number, page in enumerate(built.reader.pages):
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/Subtype") != "/Link":
                continue
            if "/Dest" in annot:
                name = str(annot["/Dest"])
                assert name in named, name
                target = built.reader.get_destination_page_number(named[name])
                assert target is not None and 0 <= target < len(built.reader.pages)
                internal += 1
            else:
                assert annot["/A"]["/URI"].startswith(("http", "mailto:"))
                external += 1
    keys = {entry.key for entry in built.paper.bibliography or []}
    assert {f"ref-{key}" for key in keys} <= set(named)
    assert internal >= len([n for n in named if n.startswith("ref-")]) - 1
    # each reference entry's destination is on the page that prints the entry
    for entry in built.paper.bibliography or []:
        entry_page = built.reader.get_destination_page_number(named[f"ref-{entry.key}"])
        assert entry_page is not None
        first = tokens(inline_text(entry.content, built.template, Words()))[:2]
        assert " ".join(first) in " ".join(tokens(built.pages[entry_page])), entry.key
    wanted = internal_targets(built.paper)
    assert internal >= len(wanted)          # a link broken over two lines is two annotations
    assert {name for name in wanted} <= set(named)


def internal_targets(node: object) -> list[str]:
    """Return the targets of the model's internal links and numbered cross-references."""
    found: list[str] = []
    if isinstance(node, Link) and node.url.startswith("#"):
        found.append(node.url[1:])
    elif isinstance(node, Ref) and node.number is not None:
        found.append(node.label)
    if isinstance(node, list):
        for item in node:
            found += internal_targets(item)
    elif hasattr(node, "__dataclass_fields__") and not isinstance(node, (Text, Code)):
        for name in node.__dataclass_fields__:
            if name not in ("pos", "references"):
                found += internal_targets(getattr(node, name))
    return found


def test_metadata_is_the_papers(built: Built) -> None:
    meta: Any = built.reader.metadata
    assert meta is not None
    paper = built.paper
    assert meta.title == " ".join(inline_text(paper.title, built.template, Words()).split())
    assert meta.author == ", ".join(a.name for a in paper.authors)
    assert meta.subject == " ".join(inline_text(paper.subtitle, built.template, Words()).split())
    assert meta["/Keywords"] == ", ".join(paper.keywords)
    assert meta.creator == "paperkit"
    root: Any = built.reader.trailer["/Root"]
    assert root["/Lang"] == paper.lang
    assert built.reader.page_labels == [str(n) for n in range(1, len(built.reader.pages) + 1)]


def test_every_font_is_embedded(built: Built) -> None:
    lines = subprocess.run([require_tool("pdffonts"), str(built.path)], check=True,
                           capture_output=True, text=True).stdout.splitlines()[2:]
    assert lines
    for line in lines:
        assert line.split()[-5] == "yes", line


def test_footnotes_sit_on_the_page_of_their_mark(built: Built) -> None:
    result = render_pdf(built.paper, built.template, BuildOptions())
    assert result.data == built.data                     # the same bytes as the build wrote
    assert result.notes.marker_pages == result.notes.note_pages
    words = model_words(built.paper, built.template)
    assert len(result.notes.notes) == len(words.notes)
    for label, note in zip(sorted(result.notes.notes, key=int), words.notes):
        page = result.notes.marker_pages[label]
        assert " ".join(note[:4]) in " ".join(tokens(built.pages[page - 1])), label


def test_a_generated_long_paper_builds_with_every_word_and_note_in_place(
        tmp_path: Path) -> None:
    """A 15,000-word generated paper: long tables, long notes, figures (PNG and SVG)."""
    import sys
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from generate import generate  # type: ignore[import-not-found,unused-ignore]  # benchmarks/
    counts = generate(tmp_path / "long", words=15_000, refs=60, seed=3)
    assert counts["tables"] >= 1 and counts["notes"] >= 8 and counts["figures"] >= 1
    result = paperkit.build(paperkit.load(tmp_path / "long"), formats=("pdf",),
                            out=tmp_path / "out")
    assert result.exit_code == 0, [str(d) for d in result.report.errors]
    path = next(p for p in result.paths if p.name == "paper.pdf")
    paper, template, _ = resolve(paperkit.load(tmp_path / "long"))
    rendered = render_pdf(paper, template, BuildOptions())
    assert rendered.data == path.read_bytes()
    assert rendered.pages >= 25
    assert rendered.notes.marker_pages == rendered.notes.note_pages
    words = model_words(paper, template)
    found = extracted(pdftotext(path, "-layout"))
    assert_in_order(words.flow, found, max_gap=1500)       # a 60-row table lies between
    for note in words.notes:
        assert_in_order(note, found, max_gap=700)
    assert_all_present(words.cells, found)
