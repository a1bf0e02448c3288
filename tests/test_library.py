"""Using paperkit as a library: a paper made in code builds like one read from files."""

from __future__ import annotations

import docx
from pypdf import PdfReader

import paperkit
from paperkit import (Author, Cite, CiteItem, Limits, Paper, Paragraph, Section, Table, Text,
                      WordLimit)
from paperkit.diagnostics import Log

BIB = """@book{buzan2022, author = {Buzan, B.}, title = {Security and Development in Central Asia},
  publisher = {Routledge}, year = {2022}}"""


def made_in_code() -> Paper:
    refs = paperkit.parse_bibtex(BIB, file="<code>", log=Log())
    return Paper(
        title="A Brief Made in Code",
        authors=[Author("Ada Lovelace", "Analytical Society"), "Charles Babbage"],
        sections=[
            Section("Introduction", blocks=[
                Paragraph([Text("The region matters "),
                           Cite([CiteItem("buzan2022", locator="12", label="page")],
                                "[@buzan2022, p. 12]"), Text(".")]),
            ]),
            Section("Data", blocks=[
                Table(["Country", "Capital"], [["Kazakhstan", "Astana"], ["Uzbekistan",
                                                                        "Tashkent"]],
                      caption="Capitals"),
            ]),
        ],
        references=refs,
        limits=Limits(words=WordLimit(max=100)),
        name="brief",
    )


def test_check_a_paper_made_in_code():
    report = paperkit.check(made_in_code())
    assert report.diagnostics == []
    assert report.counts.main_text == 9  # 2 headings + 7: "The region matters (Buzan, 2022, p. 12)."
    assert [s.number for s in report.counts.sections] == ["1", "2"]


def test_build_a_paper_made_in_code(tmp_path):
    result = paperkit.build(made_in_code(), formats=("pdf", "docx", "tex"), out=tmp_path)
    assert result.exit_code == 0
    assert sorted(p.name for p in result.paths if p.suffix) == ["latexmkrc", "paper.docx",
                                                                "paper.pdf", "paper.tex"] \
        or {"paper.docx", "paper.pdf", "paper.tex"} <= {p.name for p in result.paths}
    folder = tmp_path / "brief"
    pdf_text = " ".join(p.extract_text() for p in PdfReader(str(folder / "paper.pdf")).pages)
    assert "(Buzan, 2022, p. 12)" in pdf_text and "Table 1" in pdf_text
    document = docx.Document(str(folder / "paper.docx"))
    assert any("(Buzan, 2022, p. 12)" in p.text for p in document.paragraphs)
    assert "Buzan, B. (2022)" in (folder / "paper.tex").read_text()


def test_loads_reads_markdown_from_a_string(tmp_path):
    paper = paperkit.loads("---\ntitle: From a string\n---\n# One\n\nText.\n",
                           file=str(tmp_path / "s.md"))
    assert paper.name == "s" and paper.sections[0].title == [Text("One")]
    assert paperkit.count(paper).main_text == 2


def test_errors_carry_file_line_column(tmp_path):
    try:
        paperkit.loads("---\ntitle: T\nbad: 1\n---\n", file="x.md")
    except paperkit.InputError as exc:
        assert (exc.file, exc.line, exc.column) == ("x.md", 3, 1)
        assert exc.diagnostic.code == "PK102"
    else:
        raise AssertionError("no error")
