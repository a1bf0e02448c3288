"""The LaTeX writer's biblatex mode and ``--compile``: references.bib, citation commands,
the style choice, TeX errors mapped to source lines; real biber/engine runs marked slow."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, require_tool
from paperkit.model import Cite, CiteItem, Emph, Paper, Reference, Text
from paperkit.options import BuildOptions
from paperkit.writers.latex import citation_mode, write_latex
from paperkit.writers.latex_biblatex import (bib_entry, bib_file, biblatex_styles,
                                             cite_command, rich_text)
from paperkit.writers.latex_compile import source_line, tex_problems

TOUR = ROOT / "sources" / "feature-tour"


def plain(inlines):
    return "".join(i.text if isinstance(i, Text) else f"\\emph{{{plain(i.content)}}}"
                   for i in inlines)


# --------------------------------------------------------------------------- references.bib


def test_bib_entry_maps_csl_back_to_biblatex():
    ref = Reference("mackinder1904", "article-journal", {
        "author": [{"family": "Mackinder", "given": "Halford J."}],
        "title": "The Geographical Pivot of <span class=\"nocase\">History</span>",
        "container-title": "The Geographical Journal", "volume": "23", "issue": "4",
        "page": "421-437", "issued": {"date-parts": [[1904, 4]]}, "DOI": "10.2307/1775498",
        "bibtex-type": "article"})
    assert bib_entry(ref) == (
        "@article{mackinder1904,\n"
        "  author = {family=Mackinder, given=Halford J.},\n"
        "  date = {1904-04},\n"
        "  doi = {10.2307/1775498},\n"
        "  journaltitle = {{The Geographical Journal}},\n"
        "  number = {4},\n"
        "  pages = {421--437},\n"
        "  title = {{The Geographical Pivot of {History}}},\n"
        "  volume = {23}\n"
        "}\n")


def test_bib_entry_types_names_and_places():
    chapter = Reference("w", "chapter", {
        "author": [{"family": "Wæver", "given": "Ole"}],
        "editor": [{"family": "Lipschutz", "given": "Ronnie D."},
                   {"literal": "Smith and Sons"}],
        "container-title": "On Security", "publisher": "Columbia UP",
        "publisher-place": "New York", "issued": {"date-parts": [[1995], [1996]]}})
    text = bib_entry(chapter)
    assert text.startswith("@incollection{w,")
    assert "editor = {family=Lipschutz, given=Ronnie D. and family={{Smith and Sons}}}" in text
    assert "booktitle = {{On Security}}" in text and "location = {New York}" in text
    assert "date = {1995/1996}" in text
    report = bib_entry(Reference("r", "report", {"publisher": "World Bank",
                                                 "bibtex-type": "techreport"}))
    assert report.startswith("@techreport{r,") and "institution = {World Bank}" in report
    web = bib_entry(Reference("u", "webpage", {"URL": "https://x.org/a%20b#c",
                                               "issued": {"literal": "in press"}}))
    assert web.startswith("@online{u,") and "url = {https://x.org/a\\%20b\\#c}" in web
    assert "pubstate = {in press}" in web
    particle = bib_entry(Reference("v", "book", {"author": [
        {"family": "Gogh", "given": "Vincent", "non-dropping-particle": "van",
         "suffix": "Jr."}]}))
    assert "family=Gogh, given=Vincent, prefix=van, useprefix=true, suffix=Jr." in particle


def test_bib_text_is_escaped_never_tex():
    hostile = Reference("h", "book", {
        "title": "\\input{/etc/passwd} 100% {braces} $x$ #1 ~ _ ^ & <i>it</i>",
        "author": [{"family": "O'Brien}, given={x", "given": "A, B"}],
        "publisher": "\\write18{rm -rf /}", "URL": "https://x.org/{unbalanced"})
    text = bib_entry(hostile)
    assert "\\input{" not in text and "\\write18{" not in text
    assert ("\\textbackslash{}input\\textbraceleft{}/etc/passwd\\textbraceright{} 100\\% "
            "\\textbraceleft{}braces\\textbraceright{} \\$x\\$ \\#1") in text
    assert "\\mkbibemph{it}" in text
    # an "=" in a part: the classic "{Family}, {Given}" form (biber splits "family=" at any =)
    assert ("{O\\textquotesingle{}Brien\\textbraceright{}, given=\\textbraceleft{}x}, {A, B}"
            in text)
    assert "url" not in text          # biber could not read unbalanced braces: left out
    # Every brace in the entry is balanced as BibTeX counts them: a backslash does not
    # escape a brace in a .bib (issue6-bugs.md #9).
    depth = 0
    for char in text:
        depth += {"{": 1, "}": -1}.get(char, 0)
        assert depth >= 0
    assert depth == 0


def test_bib_file_skips_keys_biber_cannot_read():
    refs = [Reference("good-key:1", "book", {"title": "A"}),
            Reference("bad key", "book", {"title": "B"}),
            Reference("a,b", "book", {"title": "C"})]
    text = bib_file(refs)
    assert "@book{good-key:1," in text and "bad key" not in text and "a,b" not in text


def test_rich_text_nocase_and_unbalanced_tags():
    assert rich_text('The <span class="nocase">iPhone</span> & <b>me</b>') == \
        "The {iPhone} \\& \\mkbibbold{me}"
    assert rich_text("a </i> b <i>c") == "a \\textless{}/i\\textgreater{} b \\mkbibemph{c}"


# --------------------------------------------------------------------------- citations


@pytest.mark.parametrize("items, expected", [
    ([CiteItem("a")], "\\autocite{a}"),
    ([CiteItem("a", mode="author-in-text")], "\\textcite{a}"),
    ([CiteItem("a", mode="suppress-author")], "\\autocite*{a}"),
    ([CiteItem("a", locator="33", label="page")], "\\autocite[33]{a}"),
    ([CiteItem("a", locator="45-47", label="page")], "\\autocite[45--47]{a}"),
    ([CiteItem("a", prefix=[Text("see")], locator="3", label="chapter")],
     "\\autocite[see][\\bibstring{chapter}~3]{a}"),
    ([CiteItem("a", prefix=[Text("see ")])], "\\autocite[see][]{a}"),
    ([CiteItem("a", suffix=[Text(", emphasis "), Emph([Text("added")])])],
     "\\autocite[emphasis \\emph{added}]{a}"),
    ([CiteItem("a", locator="12", label="page", suffix=[Text(", fn. 3")])],
     "\\autocite[12, fn. 3]{a}"),
    ([CiteItem("a", prefix=[Text("see")]), CiteItem("b", locator="4", label="page")],
     "\\autocites[see][]{a}[4]{b}"),
    ([CiteItem("a", mode="author-in-text"), CiteItem("b")], "\\textcites{a}{b}"),
    ([CiteItem("a", suffix=[Text("[sic]")])], "\\autocite[{[sic]}]{a}"),
])
def test_cite_commands(items, expected):
    assert cite_command(Cite(items, "src"), plain) == expected


@pytest.mark.parametrize("csl, fmt, first, last", [
    ("apa", None, ("apa.bbx", "biblatex", "style=apa"), "style=authoryear"),
    ("ieee", None, ("ieee.bbx", "biblatex", "style=ieee"), "style=numeric-comp"),
    ("chicago-author-date", None, ("biblatex-chicago.sty", "biblatex-chicago", "authordate"),
     "style=authoryear"),
    ("chicago-notes-bibliography", None,
     ("biblatex-chicago.sty", "biblatex-chicago", "notes"), "style=verbose"),
    ("chicago-note-bibliography", None,
     ("biblatex-chicago.sty", "biblatex-chicago", "notes"), "style=verbose"),
    ("styles/my-house.csl", "numeric", (None, "biblatex", "style=numeric-comp"),
     "style=numeric-comp"),
    ("unknown-style", "note", (None, "biblatex", "style=verbose"), "style=verbose"),
    ("unknown-style", None, (None, "biblatex", "style=authoryear"), "style=authoryear"),
])
def test_biblatex_style_choice(csl, fmt, first, last):
    choices = biblatex_styles(csl, fmt)
    assert choices[0] == first and choices[-1][0] is None and choices[-1][2] == last


REFERENCES = [Reference("buzan2022", "book", {"author": [{"family": "Buzan", "given": "B."}],
                                              "title": "Security", "publisher": "Routledge",
                                              "issued": {"date-parts": [[2022]]}})]


@pytest.fixture
def sample(sample):
    """The sample paper with the Reference record behind its citations."""
    from dataclasses import replace

    return replace(sample, references=REFERENCES)


def biblatex_paper(paper: Paper, **values) -> Paper:
    from dataclasses import replace

    return replace(paper, latex_citations="biblatex", **values)


def test_mode_from_options_then_front_matter(sample):
    assert citation_mode(sample, BuildOptions()) == "rendered"
    assert citation_mode(biblatex_paper(sample), BuildOptions()) == "biblatex"
    assert citation_mode(biblatex_paper(sample),
                         BuildOptions(latex_citations="rendered")) == "rendered"
    assert citation_mode(sample, BuildOptions(latex_citations="biblatex")) == "biblatex"
    from dataclasses import replace

    no_refs = replace(sample, references=[])
    assert citation_mode(no_refs, BuildOptions(latex_citations="biblatex")) == "rendered"
    with pytest.raises(ValueError):
        citation_mode(sample, BuildOptions(latex_citations="natbib"))


def test_biblatex_output(sample, article):
    out = write_latex(sample, article, BuildOptions(latex_citations="biblatex"))
    assert sorted(out) == ["latexmkrc", "paper.tex", "references.bib"] or \
        "figures/fig1.png" in out
    tex = out["paper.tex"].decode()
    bib = out["references.bib"].decode()
    assert "@book{buzan2022," in bib
    assert "\\IfFileExists{apa.bbx}{\\def\\pk@bibpackage{biblatex}\\def\\pk@bibstyle" \
           "{style=apa}}{}" in tex
    assert "\\addbibresource{references.bib}" in tex
    assert "\\printbibliography[heading=none]" in tex and "\\pkbibentry{" not in tex
    assert "\\autocite{buzan2022}" in tex or "\\autocite[" in tex
    # an unknown key keeps its visible marker, never an undefined citation
    assert "[?nosuchkey]" in tex and "{nosuchkey}" not in tex
    rendered = write_latex(sample, article, BuildOptions())
    assert "references.bib" not in rendered and "\\autocite" not in \
        rendered["paper.tex"].decode()


def test_front_matter_key(tmp_path):
    import paperkit

    (tmp_path / "paper.md").write_text("---\ntitle: T\nlatex-citations: biblatex\n---\n\n"
                                       "# A\n\nAs @a says.\n", encoding="utf-8")
    (tmp_path / "references.bib").write_text("@book{a, author={Buzan, B.}, title={T}, "
                                             "publisher={R}, year={2022}}\n")
    paper = paperkit.load(tmp_path)
    assert paper.latex_citations == "biblatex"
    (tmp_path / "paper.md").write_text("---\ntitle: T\nlatex-citations: natbib\n---\nx\n")
    with pytest.raises(paperkit.InputError) as caught:
        paperkit.load(tmp_path)
    assert caught.value.line == 3 and "rendered or biblatex" in str(caught.value)


# --------------------------------------------------------------------------- compile (unit)


TEX = "\\documentclass{article}\n% paper.md:12\n\\section*{A}\n% paper.md:14\nText\nmore\n"


def test_source_line_is_the_nearest_marker_above():
    assert source_line(TEX, 1) is None
    assert source_line(TEX, 3).line == 12
    assert source_line(TEX, 6, "/abs/paper.md").file == "/abs/paper.md"
    assert source_line(TEX, 6, "/abs/other.md").file == "paper.md"
    assert source_line(TEX, 6).line == 14


def test_tex_problems_from_a_log():
    log = ("(./paper.tex\n! Undefined control sequence.\nl.5 Text \\oops\n\n"
           "LaTeX Warning: Reference `sec:x' on page 1 undefined on input line 6.\n"
           "LaTeX Warning: Citation 'k' undefined on input line 3.\n"
           "! Emergency stop.\n<*> paper.tex\n")
    found = tex_problems(log, TEX, "paper.md")
    # "Emergency stop" follows the real error: not reported twice
    assert [(d.code, d.pos.line) for d in found] == [("PK503", 14), ("PK503", 14),
                                                      ("PK503", 12)]
    assert "TeX error: Undefined control sequence. (paper.tex line 5)" in found[0].message
    assert "undefined reference 'sec:x'" in found[1].message
    assert "undefined citation 'k'" in found[2].message
    assert len(tex_problems(log, TEX, final=False)) == 1


# --------------------------------------------------------------------------- real runs


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "paperkit", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=600)


def pdf_text(pdf: Path) -> str:
    text = subprocess.run([require_tool("pdftotext"), "-enc", "UTF-8", str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout
    return " ".join(text.split())


@pytest.mark.slow
@pytest.mark.parametrize("csl, cited, listed", [
    ("apa", "(Mackinder, 1904)", "Mackinder, H. J. (1904). The geographical pivot"),
    ("ieee", "politics [2]", "[2] H. J. Mackinder, “The geographical pivot of history,”"),
    ("chicago-author-date", "(Mackinder 1904)", "Mackinder, Halford J. 1904."),
])
def test_biblatex_compiles_with_biber(tmp_path, csl, cited, listed):
    require_tool("biber")
    require_tool("pdflatex")
    shutil.copytree(TOUR, tmp_path / "feature-tour")
    # The reportlab PDF once (to see that the LaTeX PDF does not replace it).
    formats = "tex,pdf" if csl == "apa" else "tex"
    result = run_cli("build", "feature-tour", "--to", formats, "--latex-citations",
                     "biblatex", "--csl", csl, "--compile", "--out", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "PK503" not in result.stderr
    folder = tmp_path / "out" / "feature-tour"
    pdf = folder / "paper-latex.pdf"
    assert pdf.is_file()
    if csl == "apa":
        from pypdf import PdfReader

        # reportlab's paper.pdf is left alone; the LaTeX PDF sits beside it
        assert "ReportLab" in str(PdfReader(str(folder / "paper.pdf")).metadata.producer)
        assert "TeX" in str(PdfReader(str(pdf)).metadata.producer)
    text = pdf_text(pdf)
    assert cited in text and listed in text, text[:3000]
    assert "References" in text
    # the build folder holds only the outputs: the runs happened in a temporary copy
    assert not list(folder.glob("*.aux")) and not list(folder.glob("*.bbl"))


@pytest.mark.slow
def test_compile_reports_tex_errors_at_the_source_line(tmp_path):
    require_tool("pdflatex")
    paper = tmp_path / "broken"
    paper.mkdir()
    (paper / "paper.md").write_text("---\ntitle: Broken\n---\n\n# Intro\n\nFine text.\n\n"
                                    "A fraction missing its denominator: $\\frac{a}$.\n",
                                    encoding="utf-8")
    result = run_cli("build", "broken", "--to", "tex", "--compile", "--out", "out",
                     cwd=tmp_path)
    assert result.returncode == 1
    line = next(l for l in result.stderr.splitlines() if "PK503" in l)
    assert re.match(r"^broken/paper\.md:9:1: error PK503: TeX error: .*\(paper\.tex line \d+\)$",
                    line), line
    assert not (tmp_path / "out" / "broken" / "paper-latex.pdf").exists()
    assert (tmp_path / "out" / "broken" / "paper.tex").is_file()


@pytest.mark.slow
def test_compile_with_other_engines_and_usage_errors(tmp_path):
    require_tool("xelatex")
    shutil.copytree(ROOT / "sources" / "japan-central-asia", tmp_path / "seed")
    result = run_cli("build", "seed", "--to", "tex", "--compile", "--engine", "xelatex",
                     "--out", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    text = pdf_text(tmp_path / "out" / "seed" / "paper-latex.pdf")
    assert "2.1 Regional Dynamics" in text.replace("  ", " ")
    bad = run_cli("build", "seed", "--to", "pdf", "--compile", cwd=tmp_path)
    assert bad.returncode == 2 and "--compile compiles the LaTeX output" in bad.stderr
