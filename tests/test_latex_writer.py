"""The LaTeX writer: escape(), math checks, the Jinja environment, the body, real compiles.

Fast tests read the generated .tex; tests marked ``slow`` compile it with pdflatex, xelatex
and lualatex (``-no-shell-escape -halt-on-error``) and read the PDF back with pdftotext.
"""

from __future__ import annotations

import re
import struct
import subprocess
import unicodedata
import zlib
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import require_tool
from paperkit.diagnostics import Log
from paperkit.errors import TemplateError
from paperkit.model import (Author, BibEntry, BlockQuote, BulletList, Cite, CiteItem, Code,
                            CodeBlock, Figure, LineBreak, Link, Math, MathBlock, Note,
                            OrderedList, Paper, Paragraph, Ref, Section, Table, Text)
from paperkit.options import BuildOptions
from paperkit.writers import latex_escape
from paperkit.writers.latex import render_body, write_latex
from paperkit.writers.latex_env import finalize, make_environment, render_template
from paperkit.writers.latex_escape import Latex, anchor, escape, unsupported_chars, url_argument
from paperkit.writers.latex_math import MATH_COMMANDS, check_math


def make_png(width: int = 40, height: int = 30) -> bytes:
    """Return a valid RGB PNG (a red-to-blue gradient)."""
    raw = b"".join(b"\x00" + b"".join(bytes((255 * x // width, 0, 255 * y // height))
                                      for x in range(width)) for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))

    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def with_valid_figure(paper: Paper) -> Paper:
    """Return `paper` (the sample) with its figure holding a valid PNG."""
    method = paper.sections[1]
    blocks = [replace(b, data=make_png()) if isinstance(b, Figure) else b
              for b in method.blocks]
    return replace(paper, sections=[paper.sections[0], replace(method, blocks=blocks),
                                    *paper.sections[2:]])


@pytest.fixture
def no_script_packages(monkeypatch):
    """Pretend the TeX installation has no Greek, Cyrillic or CJK packages."""
    monkeypatch.setattr(latex_escape, "installed_scripts", lambda: frozenset())


# --------------------------------------------------------------------------- escape()


@pytest.mark.parametrize("text, expected", [
    ("R&D 100% {x}", r"R\&D 100\% \{x\}"),
    ("# $ _", r"\# \$ \_"),
    ("a~b^c", r"a\textasciitilde{}b\textasciicircum{}c"),
    ("\\", r"\textbackslash{}"),
    ("<a|b>", r"\textless{}a\textbar{}b\textgreater{}"),
    ("\"it's\" `x`", r"\textquotedbl{}it\textquotesingle{}s\textquotedbl{} "
                     r"\textasciigrave{}x\textasciigrave{}"),
    ("a--b---c", "a-{}-b-{}-{}-c"),
    (",,x", ",{},x"),
    ("’’ ‘‘ –- !‘ ?‘", "’{}’ ‘{}‘ –{}- !{}‘ ?{}‘"),
    ("Überprüfung – “ok” …", "Überprüfung – “ok” …"),
    ("a\u00a0b\u00adc", r"a~b\-c"),
    ("line\nbreak\ttab\r\n", "line break tab  "),
    ("bell\x07nul\x00", "bellnul"),
    ("x \u2264 y", r"x \ensuremath{\leq} y"),
])
def test_escape_table(text, expected):
    assert escape(text) == expected


def test_escape_marks_its_result_as_latex():
    assert isinstance(escape("a"), Latex)


def test_escape_spells_out_commands_from_the_text():
    out = escape(r"\input{/etc/passwd} \write18{x} ^^5c \catcode`\@=11")
    assert out == (r"\textbackslash{}input\{/etc/passwd\} \textbackslash{}write18\{x\} "
                   r"\textasciicircum{}\textasciicircum{}5c \textbackslash{}catcode"
                   r"\textasciigrave{}\textbackslash{}@=11")


def test_escape_normalises_to_nfc():
    assert escape("e\u0301") == "é"


def test_escape_wraps_scripts_and_unknown_characters():
    assert escape("Ελληνικά, Кириллица, 日本語") == \
        r"\pkgreek{Ελληνικά}, \pkcyrillic{Кириллица}, \pkcjk{日本語}"
    assert escape("smile 😀!") == r"smile \pkchar{😀}{1F600}!"


def test_unsupported_chars():
    none: frozenset[str] = frozenset()
    assert unsupported_chars("Plain Überprüfung ’quotes’ – ½ €", installed=none) == set()
    assert unsupported_chars("# $ % & ~ _ ^ \\ { } < > | \" '", installed=none) == set()
    mixed = "\u0395\u03bb \u041a\u044b \u65e5\u672c \U0001f600"   # "Ελ Кы 日本 😀"
    assert unsupported_chars(mixed, installed=none) == set(mixed) - {" "}
    assert unsupported_chars(mixed, installed=frozenset({"greek"})) == \
        set(mixed) - set("\u0395\u03bb ")
    assert unsupported_chars("a\x07b") == {"\x07"}


# Everything escape() may emit that contains a TeX special, as one token.
_TOKEN = re.compile(
    r"\\text(?:backslash|asciitilde|asciicircum|less|greater|bar|quotedbl|quotesingle"
    r"|asciigrave|minus)\{\}|\\(?:quad|enspace)\{\}|\\[{}#$%&_,\-]"
    r"|\\ensuremath\{(?:\\[A-Za-z]+|')\}|\\hspace\{0pt\}|[-–’‘,!?]\{\}"
    r"|\\pk(?:greek|cyrillic|cjk)\{[^\x00-\x7f{}\\]+\}|\\pkchar\{[^{}\\]\}\{[0-9A-F]{4,6}\}")


def _unescaped_specials(latex: str) -> str:
    return "".join(c for c in _TOKEN.sub("", latex) if c in "\\{}$&#^_%")


@given(st.text())
@settings(max_examples=400)
def test_escape_never_emits_an_unescaped_special(text):
    out = escape(text)
    assert _unescaped_specials(out) == ""
    assert out.count("~") == unicodedata.normalize("NFC", text).count("\u00a0")
    depth = 0
    for token in re.split(r"(\\[{}]|[{}])", out):
        depth += {"{": 1, "}": -1}.get(token, 0)
        assert depth >= 0
    assert depth == 0


# --------------------------------------------------------------------------- math


@pytest.mark.parametrize("tex", [
    "E = mc^2", r"\int_0^1 x^2 \, dx = \frac{1}{3}", r"\left( \frac{a}{b} \right)",
    r"\begin{pmatrix} a & b \\ c & d \end{pmatrix}", r"\mathbb{R}^n \to \mathcal{L}",
    r"\text{if } x > 0", r"\{ x \mid x \in A \}",
])
def test_math_allowed(tex):
    result = check_math(tex)
    assert result.ok, result.problem
    assert result.tex == tex


@pytest.mark.parametrize("tex, problem", [
    (r"\input{/etc/passwd}", r"\input"),
    (r"\write18{touch /tmp/x}", r"\write"),
    (r"\immediate\write18{x}", r"\immediate"),
    (r"\catcode`\@=11", r"\catcode"),
    (r"\def\x{y}", r"\def"),
    (r"\csname input\endcsname", r"\csname"),
    (r"x^^5cinput{a}", "^^"),
    ("a}{b", "'}'"),
    ("a{b", "'{'"),
    ("a$b", "'$'"),
    ("#1", "'#'"),
    (r"\end{document}", "document"),
    (r"\begin{aligned} a \end{cases}", "does not match"),
    (r"\left( x", r"\left without"),
    ("a & b", "'&'"),
    (r"a \\ b", r"'\\'"),
    ("x \\", "lone backslash"),
    (r"\@x", r"\@"),
    ("ж", "U+0436"),
])
def test_math_refused(tex, problem):
    result = check_math(tex)
    assert not result.ok
    assert problem in (result.problem or "")


def test_math_neutralises_comments_and_blank_lines():
    assert check_math("50% of x").tex == r"50\% of x"
    assert check_math("a\n\nb").tex == "a  b"
    assert check_math("α ≤ β").tex == r"\alpha  \leq  \beta"


@given(st.lists(st.sampled_from(list("ab{}$#&%^_\\ \n") + ["\\input", "\\frac",
                                                              "\\begin{cases}",
                                                              "\\end{cases}"])).map("".join))
@settings(max_examples=300)
def test_accepted_math_is_closed_and_whitelisted(tex):
    result = check_math(tex)
    if not result.ok:
        return
    out = result.tex
    assert "^^" not in out and "$" not in out.replace("\\$", "")
    assert "#" not in out.replace("\\#", "")
    assert all(name in MATH_COMMANDS or name in ("begin", "end")
               for name in re.findall(r"\\([A-Za-z]+)", out))
    depth = 0
    for token in re.split(r"(\\[{}\\]|[{}])", out):
        depth += {"{": 1, "}": -1}.get(token, 0)
        assert depth >= 0
    assert depth == 0


# --------------------------------------------------------------------------- anchors, URLs


def test_anchor_keeps_plain_labels_and_encodes_the_rest():
    assert anchor("sec:intro") == "sec:intro"
    assert anchor("ref-smith_2020") == "ref-smith+00005F2020"
    assert anchor("a#b%c{d}") == "a+000023b+000025c+00007Bd+00007D"
    assert anchor("x+00005F") != anchor("x_")
    assert anchor("\U0001F600") != anchor("\u1F60" + "0")


def test_url_argument():
    assert url_argument("https://e.org/?a=1&b=2#frag") == r"https://e.org/?a=1\&b=2\#frag"
    assert url_argument("https://e.org/a b{c}\\") == r"https://e.org/a\%20b\%7Bc\%7D\%5C"
    assert url_argument("https://e.org/~u/$x_y") == r"https://e.org/~u/$x\_y"
    assert url_argument("https://e.org/é") == r"https://e.org/\%C3\%A9"


# --------------------------------------------------------------------------- Jinja env


def test_finalize_escapes_unless_latex():
    assert finalize("R&D 100% {x}") == r"R\&D 100\% \{x\}"
    assert finalize(Latex(r"\emph{hi}")) == r"\emph{hi}"
    assert finalize(None) == ""
    assert finalize(12.5) == "12.5"


def _render(tmp_path: Path, source: str, **context) -> str:
    (tmp_path / "t.tex.j2").write_text(source, encoding="utf-8")
    return render_template(make_environment([tmp_path]), "t.tex.j2", context)


def test_template_escapes_by_default_and_uses_tex_delimiters(tmp_path):
    out = _render(tmp_path, "<# comment #>\n<% for x in xs %>\\item <%= x %>\n<% endfor %>"
                            "{<%= raw %>}\n", xs=["a_b", "50%"], raw=Latex(r"\emph{ok}"))
    assert out == "\\item a\\_b\n\\item 50\\%\n{\\emph{ok}}\n"


def test_template_missing_variable_names_file_and_line(tmp_path):
    with pytest.raises(TemplateError) as caught:
        _render(tmp_path, "line 1\nline 2\n<%= nosuch %>\n")
    error = caught.value
    assert error.diagnostic.code == "PK108"
    assert error.file is not None and error.file.endswith("t.tex.j2")
    assert error.line == 3
    assert "nosuch" in str(error)


def test_template_syntax_error_names_file_and_line(tmp_path):
    with pytest.raises(TemplateError) as caught:
        _render(tmp_path, "ok\n<% if x %>\nno end\n", x=True)
    assert caught.value.file is not None and caught.value.file.endswith("t.tex.j2")
    assert caught.value.line == 4 or caught.value.line == 3
    assert "syntax error" in str(caught.value)


def test_template_sandbox_refuses_python_internals(tmp_path):
    with pytest.raises(TemplateError) as caught:
        _render(tmp_path, "<%= x.__class__.__mro__ %>\n", x="s")
    assert caught.value.line == 1


def test_broken_template_folder_is_a_template_error(sample, article, tmp_path):
    (tmp_path / "latex.tex.j2").write_text("\\documentclass{article}\n<%= body %>\n"
                                           "<%= missing_value %>\n", encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        write_latex(sample, replace(article, path=tmp_path), BuildOptions())
    assert caught.value.file.endswith("latex.tex.j2") and caught.value.line == 3


# --------------------------------------------------------------------------- the sample paper


@pytest.fixture
def sample_tex(sample, article) -> str:
    return write_latex(with_valid_figure(sample), article, BuildOptions())["paper.tex"] \
        .decode("utf-8")


def test_outputs(sample, article):
    paper = with_valid_figure(sample)
    out = write_latex(paper, article, BuildOptions())
    assert sorted(out) == ["figures/fig1.png", "latexmkrc", "paper.tex"]
    assert out["figures/fig1.png"] == paper.sections[1].blocks[1].data
    assert b"-no-shell-escape" in out["latexmkrc"]
    assert out == write_latex(paper, article, BuildOptions())     # deterministic


def test_preamble_follows_the_template(sample_tex):
    assert sample_tex.count("\\documentclass[11pt]{article}") == 1
    assert ("paperwidth=210mm, paperheight=297mm,\n  top=25mm, bottom=25mm, left=25mm,\n"
            "  right=25mm") in sample_tex
    # Template points are PostScript points (bp): 11 bp = 11.0412 TeX pt, baseline 1.2 x that,
    # stretched by 1.25 / 1.2 to the template's line spacing.
    assert "\\renewcommand\\normalsize{\\fontsize{11.0412}{13.2495}\\selectfont" in sample_tex
    assert "\\setstretch{1.0417}" in sample_tex
    assert "\\setlength\\parskip{6bp}" in sample_tex
    assert "\\usepackage{tgtermes}" in sample_tex and "\\setmainfont{TeX Gyre Termes}" in \
        sample_tex
    # Headings keep the PDF writer's 1.2 leading: 14 bp * 1.2 / 1.0417 stretch.
    assert "\\fontsize{14.0525}{16.1885}\\selectfont \\color{pkheading}\\bfseries" in sample_tex
    assert "pdftitle={Japan’s Strategic Expansion in Central Asia: The First Summit}" in \
        sample_tex
    assert "pdflang={en-US}" in sample_tex
    assert "\\fancyhead[L]{" in sample_tex and "Japan’s Strategic Expansion in Central Asia}" \
        in sample_tex


def test_font_expansion_only_for_scalable_encodings(sample_tex):
    # Without cm-super, pdflatex sets Cyrillic (T2A) from bitmap fonts, and microtype's
    # expansion stops pdfTeX there ("auto expansion is only possible with scalable fonts").
    assert "\\UseMicrotypeSet[expansion]{pkscalable}" in sample_tex
    assert "\\IfFileExists{type1ec.sty}{\\def\\pk@expand{T1,TS1,OT1,T2A}}" \
        "{\\def\\pk@expand{T1,TS1,OT1}}" in sample_tex


def test_title_block(sample_tex):
    assert "\\bfseries \\color{pkheading}Japan’s Strategic Expansion in Central Asia: The First " \
        "Summit\\par}" \
        in sample_tex
    assert "Ada Lovelace\\textsuperscript{1}, Sei Shōnagon\\textsuperscript{2}" in sample_tex
    assert "\\textsuperscript{2}Kyoto University\\par" in sample_tex
    assert "\\href{mailto:ada@example.org}{ada@example.org}" in sample_tex
    assert "{\\centering\\fontsize{10.0375}{12.5268}\\selectfont \\bfseries Abstract\\par}\n" \
        "This abstract has \\emph{emphasis}." in \
        sample_tex
    assert "\\textbf{Keywords:} Japan, Central Asia, diplomacy" in sample_tex


def test_body_structure(sample_tex):
    body = sample_tex[sample_tex.index("\\section*{1\\quad Introduction}"):]
    expected_in_order = [
        "\\section*{1\\quad Introduction}", "\\label{sec:intro}",
        "Plain, \\emph{emphasis}, \\textbf{strong}, \\texttt{code \\& \\textless{}tags"
        "\\textgreater{}}, a \\href{https://example.org/?a=1\\&b=2}{link}",
        "special characters: \\# \\$ \\% \\& \\textasciitilde{} \\_ \\textasciicircum{} "
        "\\textbackslash{} \\{ \\} \\textless{} \\textgreater{} \\textquotedbl{} "
        "\\textquotesingle{}.",
        "\\pkgreek{Ελληνικά}, \\pkcyrillic{Кириллица}, \\pkcjk{日本語}",
        "(\\hyperref[ref-buzan2022]{Buzan, 2022})",
        "\\hyperref[ref-takahashi2023]{Takahashi (2023)}", "[?nosuchkey].",
        "\\footnote{A footnote with \\emph{emphasis} and a citation",
        "See \\hyperref[sec:method]{Section 2}, \\hyperref[fig:map]{Figure 1} and "
        "\\hyperref[tbl:trade]{Table 1}",
        "$E = mc^2$", "H\\textsubscript{2}O, x\\textsuperscript{2}, \\textsc{Small Caps}"
        "\\pkbreak{}after a line break.",
        "\\begin{itemize}[label=\\textbullet]\n\\item{} First bullet",
        "\\begin{itemize}[label=\\textendash]\n\\item{} Nested bullet",
        "\\begin{enumerate}[label=\\arabic*.]\n\\item{} First step", "\\begin{quote}",
        "\\subsection*{1.1\\quad Background}", "\\label{sec:background}",
        "\\subsubsection*{1.1.1\\quad Detail}",
        "\\Needspace", "\\section*{2\\quad Method}", "\\label{sec:method}",
        "\\pkanchor{tbl:trade}", "\\begin{longtable}{lrc}",
        "\\caption*{\\pkcaption{Table 1}{Trade with Japan}}",
        "\\textbf{Country} & \\textbf{Trade} & \\textbf{Share} \\\\", "\\endhead",
        "Kazakhstan & 1,200 & 40\\% \\\\",
        "\\pkanchor{fig:map}", "\\pkgraphic{figures/fig1.png}",
        "\\pkfigurecaption{\\pkcaption{Figure 1}{A map of the region}}",
        "\\pkcodeline{\\ \\ \\ \\ return\\ x\\ \\&\\ 1\\ \\ \\#\\ \\{braces\\}\\ "
        "\\textbackslash{}backslash}",
        "\\[ \\int_0^1 x^2 \\, dx = \\frac{1}{3} \\]", "\\pkrule", "After the break.",
        "\\section*{Acknowledgements}", "\\section*{References}",
        "\\pkbibentry{ref-buzan2022}{Buzan, B. (2022). \\emph{Security and development in "
        "Central Asia}. Routledge.}",
        "\\href{https://doi.org/10.1000/xyz}{\\mbox{https}://\\mbox{doi}.\\hspace{0pt plus 2pt}"
        "\\mbox{org}/\\hspace{0pt plus 2pt}\\mbox{10}.\\hspace{0pt plus 2pt}\\mbox{1000}/"
        "\\hspace{0pt plus 2pt}\\mbox{xyz}}",
        "\\end{document}",
    ]
    position = 0
    for piece in expected_in_order:
        found = body.find(piece, position)
        assert found >= 0, f"missing (in order): {piece!r}"
        position = found + len(piece)


def test_numbering_scheme_and_unnumbered_sections(sample, article):
    tex = write_latex(sample, replace(article, numbering="I.A"), BuildOptions())["paper.tex"]
    text = tex.decode()
    assert "\\section*{I\\quad Introduction}" in text
    assert "\\subsection*{I.A\\quad Background}" in text
    assert "\\hyperref[sec:method]{Section II}" in text
    none = write_latex(sample, replace(article, numbering="none"), BuildOptions())
    assert "\\section*{Introduction}" in none["paper.tex"].decode()


def test_other_sizes_and_families(sample, article):
    fonts = replace(article.fonts, size=9.5, body=article.fonts.sans)
    text = write_latex(sample, replace(article, fonts=fonts, align="left", footer="page-of"),
                       BuildOptions())["paper.tex"].decode()
    assert "\\documentclass[10pt]{article}" in text
    assert "\\renewcommand\\normalsize{\\fontsize{9.5356}{11.4427}\\selectfont" in text
    assert "\\setstretch{1.0417}" in text                # 1.25 / 1.2
    assert "\\renewcommand\\familydefault{\\sfdefault}" in text
    assert "\\RaggedRight" in text
    assert "\\thepage\\ of \\pageref*{LastPage}" in text


def test_render_body_alone(sample):
    body = render_body(sample)
    assert body.startswith("\\section*{1\\quad Introduction}")
    assert "\\documentclass" not in body


def test_diagnostics(sample, article, no_script_packages):
    good = make_png()
    damaged = good[:40] + bytes([good[40] ^ 0xFF]) + good[41:]     # a CRC no longer matches
    method = sample.sections[1]
    blocks = [replace(b, data=damaged) if isinstance(b, Figure) else b for b in method.blocks]
    paper = replace(sample, sections=[sample.sections[0], replace(method, blocks=blocks),
                                      *sample.sections[2:]])
    log = Log()
    out = write_latex(paper, article, BuildOptions(), log=log)
    messages = [(d.code, d.message) for d in log.items]
    # pdfTeX stops on a damaged PNG: the writer reports it and leaves a placeholder.
    assert any(code == "PK501" and "map.png" in m and "damaged PNG" in m
               for code, m in messages)
    assert "\\pkmissingfigure{map}" in out["paper.tex"].decode()
    assert "figures/fig1.png" not in out
    scripts = {m.split(" characters")[0].rsplit(" ", 1)[-1] for code, m in messages
               if "pdflatex cannot set the" in m}
    assert scripts == {"Greek", "Cyrillic", "CJK"}


def test_refused_math_is_printed_literally_and_reported(article):
    paper = Paper(title="T", sections=[Section("S", number="1", blocks=[
        Paragraph([Math(r"\input{/etc/passwd}")]), MathBlock(r"x \write18{y}")])])
    log = Log()
    tex = write_latex(paper, article, BuildOptions(), log=log)["paper.tex"].decode()
    assert "\\texttt{\\textbackslash{}input\\{/etc/passwd\\}}" in tex
    assert "\\texttt{x \\textbackslash{}write18\\{y\\}}" in tex
    assert [d.code for d in log.items] == ["PK502", "PK502"]


def test_notes_in_captions_and_headings_are_deferred(article):
    paper = Paper(title="T", sections=[Section(
        [Text("Head"), Note([Paragraph("head note")])], number="1", blocks=[
            Table([[Text("A")]], [[[Text("x"), Note([Paragraph("cell note")])]]],
                  caption=[Text("Cap"), Note([Paragraph("cap note")])], number=1),
            Paragraph([Text("p"), Note([Paragraph("one"), Paragraph("two")])])])])
    tex = write_latex(paper, article, BuildOptions())["paper.tex"].decode()
    assert "\\section*{1\\quad Head\\footnotemark{}}" in tex
    assert ("\\addtocounter{footnote}{-2}\\stepcounter{footnote}\\footnotetext{cap note}"
            "\\stepcounter{footnote}\\footnotetext{cell note}") in tex
    assert "\\footnote{one\n\\par\ntwo}" in tex


def test_long_tables_wrap_in_sized_columns(article):
    long = "word " * 40
    paper = Paper(sections=[Section("S", number="1", blocks=[Table(
        [[Text("Key")], [Text("Description")]], [[[Text("a")], [Text(long)]]],
        ["right", "default"], number=1)])])
    tex = write_latex(paper, article, BuildOptions())["paper.tex"].decode()
    spec = re.search(r"\\begin\{longtable\}\{(.*)\}\n", tex).group(1)
    assert spec.startswith(">{\\raggedleft\\arraybackslash}p{\\dimexpr 0.")
    widths = [float(w) for w in re.findall(r"\\dimexpr ([0-9.]+)\\linewidth", spec)]
    assert len(widths) == 2 and abs(sum(widths) - 1) < 0.001 and widths[0] < 0.1


# --------------------------------------------------------------------------- hostile text

HOSTILE = [r"\input{/etc/passwd}", r"\write18{touch PWNED}", "^^5cinput", "}{",
           r"\catcode`\@=11", r"\end{document}", "%comment", "$x$", "#1", "~&_"]


def hostile_paper(pwned: Path) -> Paper:
    """Return a paper with hostile text in every place text can go."""
    h = " ".join(HOSTILE).replace("PWNED", str(pwned))
    return Paper(
        title=[Text("Title " + h)], subtitle=[Text("Sub " + h)],
        authors=[Author("Name " + h, "Aff " + h, "a%b#c@x.org")],
        date=h, keywords=[h, "k2"], lang="en,pdfauthor={evil}",
        abstract=[Paragraph([Text("Abstract " + h)])],
        sections=[Section([Text("Head " + h)], 1, number="1", label="sec:a_b#c%d}", blocks=[
            Paragraph([Text("Body " + h), Note([Paragraph("Note " + h), Paragraph("p2")]),
                       Code(h), Link([Text("link " + h)], "https://x.org/" + h),
                       Math(r"\input{/etc/passwd}"), Math(r"\write18{touch " + str(pwned) + "}"),
                       Math("x^^5c"), Math("a}{b"), LineBreak(), Text("[after break] *"),
                       Ref("sec:a_b#c%d}", "1"),
                       Cite([CiteItem("k_1%#}")], "[@k_1%#}]",
                            rendered=[Link([Text("Cite " + h)], "#ref-k_1%#}")])]),
            BulletList([[Paragraph("[item] " + h)]]),
            Table([[Text("Head " + h)], [Text("H2")]], [[[Text("cell " + h)], [Text("x")]]],
                  caption=[Text("Cap " + h)], label="tbl:t", number=1),
            Figure("x.png", [Text("Fig " + h)], alt=h, label="fig:f", number=1,
                   data=make_png()),
            CodeBlock(h + "\n\\end{verbatim}\n  indented"),
            MathBlock(r"\write18{touch " + str(pwned) + "}"),
            BlockQuote([Paragraph("quote " + h)]),
        ])],
        bibliography=[BibEntry("k_1%#}", [Text("Entry " + h),
                                          Link([Text("u")], "http://e.org/" + h)])],
    )


def test_hostile_text_never_becomes_tex(article, tmp_path):
    tex = write_latex(hostile_paper(tmp_path / "pwned"), article,
                      BuildOptions())["paper.tex"].decode()
    for danger in [r"\input{", r"\write18", "^^5c", r"\catcode", "pdfauthor={evil",
                   r"\end{verbatim}"]:
        assert danger not in tex, danger
    assert not re.search(r"(?<!\\)%comment", tex)
    assert tex.count(r"\end{document}") == 1
    assert "pdflang={enpdfauthorevil}" in tex


# --------------------------------------------------------------------------- compiling


def compile_tex(files: dict[str, bytes], folder: Path, engine: str) -> str:
    """Write `files` into `folder`, run `engine` twice there; return the log text."""
    exe = require_tool(engine)
    for name, data in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    for _ in range(2):
        run = subprocess.run([exe, "-interaction=nonstopmode", "-halt-on-error",
                              "-no-shell-escape", "paper.tex"], cwd=folder,
                             capture_output=True, text=True, errors="replace", timeout=600)
    log = (folder / "paper.log").read_text(errors="replace")
    assert run.returncode == 0, log[-3000:]
    assert "\n! " not in log
    assert not re.search(r"undefined references|Reference `[^']*' on page \d+ undefined"
                         r"|There were undefined", log), log[-2000:]
    assert "Label(s) may have changed" not in log
    return log


def pdf_text(pdf: Path) -> str:
    exe = require_tool("pdftotext")
    return subprocess.run([exe, "-enc", "UTF-8", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout


SAMPLE_WORDS = ["Japan’s Strategic Expansion", "Ada Lovelace", "University of London",
                "Abstract", "Keywords:", "1 Introduction", "1.1 Background", "1.1.1 Detail",
                "2 Method", "Acknowledgements", "References", "Table 1: Trade with Japan",
                "Figure 1: A map of the region", "Kazakhstan", "A footnote with emphasis",
                "special characters: # $ % & ~ _ ^ \\ { } < > \" '", "Überprüfung",
                "[?nosuchkey]", "Section 2", "def f(x):", "# {braces} \\backslash",
                "after a line break", "Buzan, B. (2022)", "https://doi.org/10.1000/xyz"]


@pytest.mark.slow
def test_sample_compiles_with_pdflatex(sample, article, tmp_path):
    files = write_latex(with_valid_figure(sample), article, BuildOptions())
    log = compile_tex(files, tmp_path, "pdflatex")
    text = " ".join(pdf_text(tmp_path / "paper.pdf").split())
    for words in SAMPLE_WORDS:
        assert words in text, words
    # Scripts: set when the TeX language packages are installed, else a visible placeholder.
    installed = latex_escape.installed_scripts()
    assert ("Ελληνικά" in text) == ("greek" in installed) != ("[Greek]" in text)
    assert ("日本語" in text) == ("cjk" in installed) != ("[CJK]" in text)
    if "cyrillic" in installed:
        # Without cm-super the T2A fonts are bitmaps pdftotext cannot read back.
        assert "[Cyrillic]" not in text and "T2A/" in log
    else:
        assert "[Cyrillic]" in text


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["xelatex", "lualatex"])
def test_sample_compiles_with_unicode_engines(sample, article, tmp_path, engine):
    files = write_latex(with_valid_figure(sample), article, BuildOptions())
    log = compile_tex(files, tmp_path, engine)
    text = " ".join(pdf_text(tmp_path / "paper.pdf").split())
    for words in SAMPLE_WORDS + ["Ελληνικά", "Кириллица", "日本語"]:
        assert words in text, words
    assert "Missing character" not in log


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["pdflatex", "xelatex", "lualatex"])
def test_hostile_text_prints_literally(article, tmp_path, engine):
    # A relative file: \write18 would create it in the build folder. (No hyphens in the
    # text: pdftotext drops a hyphen where a line breaks after it.)
    compile_tex(write_latex(hostile_paper(Path("pwned")), article, BuildOptions()), tmp_path,
                engine)
    assert not (tmp_path / "pwned").exists()
    text = " ".join(pdf_text(tmp_path / "paper.pdf").split())
    literal = " ".join(HOSTILE).replace("PWNED", "pwned")
    for where in ["Title", "Sub", "Name", "Aff", "Abstract", "Head", "Body", "Note", "link",
                  "[item]", "Cap", "cell", "Fig", "quote", "Entry"]:
        assert f"{where} {literal}" in text, where
    assert "\\input{/etc/passwd}" in text and "\\end{verbatim}" in text


# ("…" is left out: LaTeX sets it as spaced full stops, which pdftotext reads as ". . .")
_PRINTABLE = st.lists(st.characters(
    codec="latin-1", categories=("L", "N", "P", "S", "Zs"), exclude_characters="\u00ad"
) | st.sampled_from(list("–—‘’“”€") + ["--", ",,", "``", "''", "<<", "!`", "?`", "!‘", "–-"]),
    min_size=1, max_size=20).map("".join)


@pytest.mark.slow
@given(st.lists(_PRINTABLE, min_size=25, max_size=25))
@settings(max_examples=3, deadline=None)
def test_escaped_text_prints_literally(tmp_path_factory, texts):
    folder = tmp_path_factory.mktemp("escape")
    body = "\n".join(f"\\noindent[[{escape(t)}]]\\par" for t in texts)
    tex = ("\\documentclass{article}\n\\usepackage[T1]{fontenc}\n\\usepackage{textcomp}\n"
           "\\usepackage{tgtermes}\n\\pagestyle{empty}\\frenchspacing\\raggedright"
           "\\hyphenpenalty=10000 \\exhyphenpenalty=10000\n\\begin{document}\n" + body
           + "\n\\end{document}\n")
    compile_tex({"paper.tex": tex.encode()}, folder, "pdflatex")
    shown = unicodedata.normalize("NFKC", " ".join(pdf_text(folder / "paper.pdf").split()))
    expected = " ".join(f"[[{' '.join(t.split())}]]" for t in texts)
    expected = unicodedata.normalize("NFKC", expected).replace("[[ ", "[[").replace(" ]]", "]]")
    assert shown.replace("[[ ", "[[").replace(" ]]", "]]") == expected


def stress_paper() -> Paper:
    """Return a paper with the awkward combinations: breaks in captions and headings,
    deep lists, tables in notes, a long table, notes in notes, dangling references."""
    nested: list = [Paragraph("deepest")]
    for depth in range(7):
        nested = [BulletList([[Paragraph(f"level {depth}"), *nested]])] if depth % 2 else \
            [OrderedList([[Paragraph(f"level {depth}"), *nested]], start=3)]
    inner_table = Table([[Text("a")], [Text("b")]], [[[Text("1")], [Text("2")]]],
                        caption="in a note", number=2)
    rows = [[[Text(f"row {i}")], [Text("text " * (i % 7))]] for i in range(90)]
    return Paper(
        sections=[Section([Text("Broken"), LineBreak(), Text("heading")], number="1",
                          label="sec:x", blocks=[
            Paragraph([LineBreak(), Text("starts with a break"),
                       Note([Paragraph([Text("outer"), Note([Paragraph("inner")])]),
                             CodeBlock("code in a note\n  {x}"), inner_table]),
                       Ref("sec:nowhere"), Link([Text("dangling")], "#nowhere"),
                       Link([Text("a url with spaces")], "https://e.org/a b?q=1&r=2#top")]),
            *nested,
            BlockQuote([BulletList([[Paragraph("list in a quote")]])]),
            Table([[Text("A")], [Text("B")]], rows, ["center", "right"],
                  caption=[Text("Long"), LineBreak(), Text("caption")], number=1),
            Table([], [[[Text("no")], [Text("header"), LineBreak(), Text("break")]]]),
            Figure("x.gif", [Text("gif")], alt="a GIF", number=1, data=b"GIF89a...."),
            BulletList([[Figure("y.png", [Text("figure in a list")], number=2,
                                data=make_png(300, 20))]]),
            CodeBlock("\n".join(f"line {i}:  {{x}} % \\ ~" for i in range(80))),
        ])])


def test_stress_paper_renders(article):
    log = Log()
    out = write_latex(stress_paper(), article, BuildOptions(), log=log)
    tex = out["paper.tex"].decode()
    assert "\\begin{enumerate}[label=\\arabic*., start=3]" in tex
    assert " (outer (inner))" not in tex and "outer (inner)" in tex
    assert "\\begin{tabular}" in tex and tex.count("\\begin{longtable}") == 2
    assert "\\href{https://e.org/a\\%20b?q=1\\&r=2\\#top}{a url with spaces}" in tex
    assert "[?sec:nowhere]" in tex and "dangling" in tex and "\\hyperref[nowhere]" not in tex
    assert "\\pkmissingfigure{a GIF}" in tex and sorted(out) == [
        "figures/fig1.png", "latexmkrc", "paper.tex"]
    assert any("GIF images cannot be included" in d.message for d in log.items)


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["pdflatex", "xelatex", "lualatex"])
def test_stress_paper_compiles(article, tmp_path, engine):
    compile_tex(write_latex(stress_paper(), article, BuildOptions()), tmp_path, engine)
    text = " ".join(pdf_text(tmp_path / "paper.pdf").split())
    for words in ["1 Broken heading", "starts with a break", "outer (inner)", "code in a note",
                  "Table 1: Long caption", "row 89", "deepest", "list in a quote",
                  "Figure 2: figure in a list", "a GIF", "[?sec:nowhere]",
                  "line 0: {x} % \\ ~", "line 79: {x} % \\ ~"]:
        assert words in text, words
    lines = pdf_text(tmp_path / "paper.pdf").splitlines()
    assert lines.count("A") >= 2 and lines.count("B") >= 2   # header repeated on page 2
    assert "Table: no header" not in text and "Table no header" in text   # no empty caption


# ------------------------------------------------------------ long URLs (issue6-bugs.md #14)

LONG_URL = ("https://example.org/\\input{secret.tex}\\input{/etc/passwd}\\include{secret}"
            "\\InputIfFileExists{secret.tex}{}{}?query=" + "abcdefghij" * 8)


def test_a_printed_url_gets_break_points():
    from paperkit.writers.latex_body import breakable_url
    latex = breakable_url(LONG_URL)
    brk = "\\hspace{0pt plus 2pt}"
    assert latex.startswith(f"\\mbox{{https}}://\\mbox{{example}}.{brk}\\mbox{{org}}/{brk}")
    assert f"\\textbackslash{{}}{brk}\\mbox{{input}}\\{{{brk}" in latex
    assert f"\\mbox{{abcdefgh}}{brk}\\mbox{{ijabcdef}}" in latex   # a long run: every 8
    # the same text, letters boxed (no hyphen is ever added to a URL)
    assert re.sub(r"\\mbox\{(\w+)\}", r"\1", latex.replace(brk, "")) == escape(LONG_URL)


@pytest.mark.slow
def test_a_long_url_stays_inside_the_margins(tmp_path):
    """An autolink and a link whose text is its URL (percent-encoded target) break at
    their punctuation; before, one ran 173 pt into the margin."""
    import paperkit
    source = tmp_path / "p"
    source.mkdir()
    (source / "paper.md").write_text(
        f"---\ntitle: URLs\n---\nSee <{LONG_URL}> and [{LONG_URL}]({LONG_URL.replace('{', '%7B')}"
        f") and <https://doi.org/10.1000/{'x' * 120}>.\n", encoding="utf-8")
    result = paperkit.build(paperkit.load(source), ("tex",), out=tmp_path / "out",
                            options=BuildOptions())
    folder = result.paths[0].parent
    log = compile_tex({}, folder, "pdflatex")
    widths = [float(w) for w in re.findall(r"Overfull \\hbox \(([\d.]+)pt too wide\)", log)]
    assert not [w for w in widths if w > 2], widths
    text = "".join(pdf_text(folder / "paper.pdf").split())
    assert text.count("secret.tex}\\input{/etc/passwd}") >= 2


@pytest.mark.slow
def test_a_list_item_that_starts_with_code_compiles(tmp_path):
    """Found by the fuzzed batch compile: framed's box right after \\item (a list item or
    a quote) stopped pdflatex ("Something's wrong--perhaps a missing \\item"); so did
    "x^" in math and a CJK Extension A character (no font metrics)."""
    import paperkit
    source = tmp_path / "p"
    source.mkdir()
    (source / "paper.md").write_text(
        "---\ntitle: T\n---\n- ```\n  codeone\n  ```\n\n- text\n\n  ```\n  codetwo\n  ```\n\n"
        "- ```\n  ```\n\n1. - ```\n     codethree\n     ```\n\n> ```\n> codefour\n> ```\n\n"
        "Ext A \u3400 and $$x^$$ and $y_$.\n", encoding="utf-8")
    result = paperkit.build(paperkit.load(source), ("tex",), out=tmp_path / "out",
                            options=BuildOptions())
    folder = result.paths[0].parent
    compile_tex({}, folder, "pdflatex")
    text = pdf_text(folder / "paper.pdf")
    assert all(word in text for word in ("codeone", "codetwo", "codethree", "codefour"))
    assert "x^" in text and "y_" in text       # math TeX cannot set: printed as written
