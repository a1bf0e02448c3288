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


# --------------------------------------------------------------------------- made in code

import csv
import io
import struct
import zlib
from pathlib import Path

import pytest

from paperkit import Figure, Reference


def tiny_png(width: int = 4, height: int = 3) -> bytes:
    """Return a small valid RGB PNG (no image library needed)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + \
            struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"".join(b"\x00" + b"\xc0\x20\x20" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2,
                                                              0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


CSV = "country,exports,share\nKazakhstan,1234.5,0.41\nUzbekistan,987.25,0.33\nKyrgyzstan,,0.05\n"


def data_paper(figure: Figure) -> Paper:
    records = list(csv.DictReader(io.StringIO(CSV)))
    numbers = [{k: (float(v) if v and k != "country" else (v or None)) for k, v in r.items()}
               for r in records]
    return Paper(
        title="Trade in Numbers", name="numbers",
        sections=[Section("Data", blocks=[
            Paragraph([Text("See "), paperkit.Ref("tbl:trade"), Text(" and "),
                       paperkit.Ref("fig:trend"), Text(", after "),
                       Cite([CiteItem("kim2020")], "[@kim2020]"), Text(".")]),
            Table.from_records(numbers, headers={"exports": "Exports (US$ m)"},
                               formats={"exports": "{:,.1f}", "share": "{:.0%}"},
                               caption="Exports by country", label="tbl:trade"),
            figure,
        ])],
        references=paperkit.references_from_csl([
            {"id": "kim2020", "type": "book", "author": [{"family": "Kim", "given": "Jae"}],
             "title": "Steppe Economies", "publisher": "Brill", "issued": 2020}]),
    )


def test_table_from_rows_and_records():
    table = Table.from_rows([["Country", "Pop."], ["KZ", 19.8], ["UZ", None]])
    assert table.header == [[Text("Country")], [Text("Pop.")]]
    assert table.rows == [[[Text("KZ")], [Text("19.8")]], [[Text("UZ")], []]]
    assert table.align == ["default", "right"]
    ragged = Table.from_rows([["a"], ["b", "c"]], header=["x", "y"])
    assert ragged.rows[0] == [[Text("a")], []]
    records = Table.from_records([{"a": 1, "b": "x"}, {"a": 2, "c": True}], columns=["c", "a"])
    assert [h[0].text for h in records.header] == ["c", "a"]
    assert records.rows == [[[], [Text("1")]], [[Text("True")], [Text("2")]]]
    assert records.align == ["default", "right"]
    with pytest.raises(ValueError):
        Table.from_rows([])


def test_table_from_records_takes_a_pandas_like_frame():
    class Frame:                      # what pandas.DataFrame offers: iterating gives columns
        def __iter__(self):
            return iter(["name", "n"])

        def to_dict(self, orient):
            assert orient == "records"
            return [{"name": "a", "n": 1}, {"name": "b", "n": 2}]

    table = Table.from_records(Frame(), caption="From a frame")
    assert [[c[0].text for c in row] for row in table.rows] == [["a", "1"], ["b", "2"]]
    assert table.caption == [Text("From a frame")]


def test_table_cells_from_database_and_dataframe_values():
    from decimal import Decimal

    table = Table.from_records([{"n": Decimal("1.50"), "x": float("nan"), "ok": True},
                                {"n": 2, "x": 3.25, "ok": False}])
    assert table.align == ["right", "right", "default"]         # NaN is a missing number
    assert table.rows[0] == [[Text("1.50")], [], [Text("True")]]


def test_table_from_a_real_dataframe():
    pandas = pytest.importorskip("pandas")
    frame = pandas.DataFrame({"country": ["KZ", "UZ"], "exports": [1843.2, None],
                              "year": [2024, 2025]})
    table = Table.from_records(frame, formats={"exports": "{:,.1f}"})
    assert [[c[0].text if c else "" for c in row] for row in table.rows] == \
        [["KZ", "1,843.2", "2024"], ["UZ", "", "2025"]]
    assert table.align == ["default", "right", "right"]


def test_blocks_from_markdown_make_prose_for_a_paper_in_code(tmp_path):
    from paperkit.diagnostics import Log

    log = Log()
    blocks = paperkit.blocks_from_markdown(
        "As [@buzan2022, p. 12] argues.[^a]\n\n[^a]: A note.\n\n[^b]: Unused.\n\n"
        "# Not a section\n\n| a | b |\n|---|--:|\n| 1 | 2 |\n\nTable: Small {#tbl:small}\n",
        log=log)
    assert [type(b).__name__ for b in blocks] == ["Paragraph", "Paragraph", "Table"]
    assert [d.code for d in log.items] == ["PK403"]               # [^b] is never used
    assert blocks[1].content == [paperkit.Strong("Not a section")]
    assert blocks[2].label == "tbl:small" and blocks[2].align == ["default", "right"]
    paper = Paper(title="T", sections=[Section("A", blocks=blocks)],
                  references=paperkit.references_from_bibtex(BIB))
    report = paperkit.check(paper)
    assert report.diagnostics == [] and report.cited == 1


def test_figure_from_bytes_and_path(tmp_path):
    png = tiny_png()
    figure = Figure.from_bytes(png, "Trend", label="fig:trend")
    assert figure.src == "figure.png" and figure.data == png and figure.label == "fig:trend"
    assert Figure.from_bytes(b"\xff\xd8\xff\xe0rest").src == "figure.jpg"
    assert Figure.from_bytes(b"<svg xmlns='http://www.w3.org/2000/svg'/>").src == "figure.svg"
    (tmp_path / "chart.png").write_bytes(png)
    from_path = Figure.from_path(tmp_path / "chart.png", "Chart")
    assert from_path.src == "chart.png" and from_path.data == png
    with pytest.raises(paperkit.InputError) as caught:
        Figure.from_path(tmp_path / "missing.png")
    assert caught.value.diagnostic.code == "PK104" and caught.value.file.endswith("missing.png")
    with pytest.raises(TypeError):
        Figure.from_bytes("not bytes")  # type: ignore[arg-type]


def test_references_from_bibtex_and_csl():
    refs = paperkit.references_from_bibtex(BIB)
    assert refs[0].key == "buzan2022" and refs[0].fields["publisher"] == "Routledge"
    assert paperkit.parse_bibtex is paperkit.references_from_bibtex
    ref = Reference.from_csl({"id": "x", "type": "report", "author": "World Bank",
                              "title": "Outlook", "issued": "2024-05"})
    assert ref.fields["author"] == [{"literal": "World Bank"}]
    assert ref.fields["issued"] == {"date-parts": [[2024, 5]]}
    with pytest.raises(paperkit.InputError) as caught:
        paperkit.references_from_bibtex("@book{a,\n title = {x}", file="refs.bib")
    assert (caught.value.file, caught.value.line) == ("refs.bib", 1)
    with pytest.raises(paperkit.InputError):
        Reference.from_csl({"type": "book", "title": "no id"})


def test_loads_with_bib_text_and_csl_dicts():
    text = "---\ntitle: T\n---\n# One\n\nAs [@buzan2022] and [@kim2020] say.\n"
    paper = paperkit.loads(text, bib=BIB, references=[
        {"id": "kim2020", "type": "book", "title": "Steppe", "issued": 2020,
         "author": [{"family": "Kim", "given": "J."}], "publisher": "Brill"},
        {"id": "buzan2022", "type": "book", "title": "A second buzan2022"}])
    assert [r.key for r in paper.references] == ["buzan2022", "kim2020"]
    report = paperkit.check(paper)
    assert [d.code for d in report.diagnostics] == ["PK203"]       # the second buzan2022
    assert report.cited == 2 and report.citations == 2
    with pytest.raises(paperkit.UsageError):
        paperkit.loads(text, references=[42])  # type: ignore[list-item]


def test_build_a_data_paper_with_every_format(tmp_path):
    result = paperkit.build(data_paper(Figure.from_bytes(tiny_png(), "Trend",
                                                         label="fig:trend")), out=tmp_path)
    assert result.exit_code == 0 and result.report.diagnostics == []
    folder = tmp_path / "numbers"
    assert {"paper.pdf", "paper.docx", "paper.tex"} <= {p.name for p in result.paths}
    assert (folder / "figures").is_dir() and any((folder / "figures").iterdir())
    text = " ".join(p.extract_text() for p in PdfReader(str(folder / "paper.pdf")).pages)
    assert "Table 1" in text and "Figure 1" in text and "1,234.5" in text and "41%" in text
    assert "(Kim, 2020)" in text
    document = docx.Document(str(folder / "paper.docx"))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert cells[:3] == ["country", "Exports (US$ m)", "share"] and "987.2" in cells
    assert len(document.inline_shapes) == 1
    tex = (folder / "paper.tex").read_text()
    assert "1,234.5" in tex and "\\includegraphics" in tex


def test_write_to_a_file_object_a_file_and_a_folder(tmp_path):
    paper = made_in_code()
    buffer = io.BytesIO()
    result = paperkit.write(paper, "docx", buffer)
    assert result.written and result.paths == [] and result.exit_code == 0
    assert result.size == len(buffer.getvalue()) > 1000
    assert any("Buzan" in p.text for p in docx.Document(io.BytesIO(buffer.getvalue())).paragraphs)
    with open(tmp_path / "opened.pdf", "wb") as handle:
        paperkit.write(paper, "pdf", handle)
    assert (tmp_path / "opened.pdf").read_bytes().startswith(b"%PDF-")
    named = paperkit.write(paper, "pdf", tmp_path / "brief-v2.pdf")
    assert named.paths == [tmp_path / "brief-v2.pdf"]
    assert "(Buzan, 2022, p. 12)" in PdfReader(str(named.paths[0])).pages[0].extract_text()
    into = paperkit.write(paper, "docx", f"{tmp_path}/new-folder/")   # made, as a folder
    assert into.paths == [tmp_path / "new-folder" / "paper.docx"]
    folder = tmp_path / "tex"
    folder.mkdir()
    tex = paperkit.write(paper, "tex", folder)
    assert tex.paths[0] == folder / "paper.tex" and "\\begin{document}" in tex.paths[0].read_text()


def test_write_refuses_like_build(tmp_path):
    unresolved = paperkit.write(Paper(title="T", sections=[Section("A", blocks=[
        Paragraph([Cite([CiteItem("nobody")], "[@nobody]")])])]), "pdf", tmp_path / "x.pdf")
    assert unresolved.exit_code == 1 and unresolved.written     # with a marker, like build
    assert "[?nobody]" in PdfReader(str(tmp_path / "x.pdf")).pages[0].extract_text()
    uncited = Paper(title="T", sections=[Section("A", blocks=[Paragraph("No citation.")])],
                    references=paperkit.references_from_bibtex(BIB))
    refused = paperkit.write(uncited, "pdf", tmp_path / "y.pdf", strict=True)
    assert refused.exit_code == 1 and not refused.written and refused.paths == []
    assert [d.code for d in refused.report.diagnostics] == ["PK202"]
    assert not (tmp_path / "y.pdf").exists()
    ieee = paperkit.write(made_in_code(), "pdf", tmp_path / "z.pdf",
                          options=paperkit.BuildOptions(csl="ieee"))
    assert "[1]" in PdfReader(str(tmp_path / "z.pdf")).pages[0].extract_text()
    assert ieee.written
    figure = Figure.from_bytes(tiny_png(), "Needs a file", label="fig:trend")
    with pytest.raises(paperkit.UsageError, match="folder"):
        paperkit.write(data_paper(figure), "tex", io.BytesIO())


@pytest.mark.parametrize("call, error, code", [
    (lambda tmp: paperkit.build(made_in_code(), ["odt"], tmp), "UsageError", "PK109"),
    (lambda tmp: paperkit.build(made_in_code(), "pdf", tmp, template="nope"),
     "TemplateError", "PK106"),
    (lambda tmp: paperkit.build(made_in_code(), "pdf", tmp,
                                options=paperkit.BuildOptions(csl="no-such-style")),
     "InputError", "PK107"),
    (lambda tmp: paperkit.build(made_in_code(), "pdf", tmp / "file.txt"), "WriterError",
     "PK104"),
    (lambda tmp: paperkit.load(tmp / "nowhere"), "InputError", "PK104"),
    (lambda tmp: paperkit.check(tmp / "nowhere"), "InputError", "PK104"),
    (lambda tmp: paperkit.load_template("nope"), "TemplateError", "PK106"),
    (lambda tmp: paperkit.loads("x", bib="@book{a, title={x}"), "InputError", "PK110"),
    (lambda tmp: paperkit.build(Paper(title="T", sections=[Section("A", blocks=[
        Figure.from_bytes(b"not an image")])]), "pdf", tmp), "InputError", "PK105"),
    (lambda tmp: paperkit.build(Paper(title="T", sections=[Section("A", blocks=[
        Figure("missing.png")])]), "docx", tmp), "InputError", "PK104"),
    (lambda tmp: paperkit.write(made_in_code(), "pdf", io.StringIO()), "UsageError", "PK109"),
    (lambda tmp: paperkit.write(made_in_code(), "pdf,docx", io.BytesIO()), "UsageError",
     "PK109"),
    (lambda tmp: paperkit.build(made_in_code(), "tex", tmp,
                                options=paperkit.BuildOptions(latex_citations="natbib")),
     "UsageError", "PK109"),
    (lambda tmp: paperkit.write(made_in_code(), "tex", tmp / "x.tex",
                                options=paperkit.BuildOptions(engine="tex")),
     "UsageError", "PK109"),
    (lambda tmp: paperkit.build(Paper(title="T", sections=[Section("A", level=0)]), "pdf",
                                tmp), "UsageError", "PK109"),
    (lambda tmp: Reference.from_csl({"id": "x", "type": "book", "author": 5}), "InputError",
     "PK109"),
], ids=["format", "template", "style", "out-is-a-file", "load", "check", "load_template",
        "bib", "image-bytes", "image-file", "text-stream", "two-formats-one-stream",
        "latex-citations", "engine", "section-level", "csl-shape"])
def test_every_user_error_is_a_paperkit_error(tmp_path, call, error, code):
    (tmp_path / "file.txt").write_text("in the way")
    with pytest.raises(paperkit.PaperkitError) as caught:
        call(tmp_path)
    assert type(caught.value).__name__ == error
    assert caught.value.diagnostic.code == code
    assert str(caught.value).count("\n") == 0 and code in str(caught.value)
