"""Every way an input can be wrong: one line with file:line:column, what to do, the exit code.

Each case is a paper folder written from bytes, run through the command line in-process
(:func:`paperkit.cli.main`) as ``check`` and as ``build``. The test asserts the exact first
line of stderr, the documented exit status of both commands (README, "Exit codes"), that no
traceback or internal error is printed, and that a build refused for invalid input writes
nothing at all.
"""

from __future__ import annotations

import io
import struct
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from paperkit import cli

BIB = b"@book{a, author={Buzan, Barry}, title={T}, publisher={R}, year={2022}}\n"
HEAD = b"---\ntitle: A paper\n---\n"


def png() -> bytes:
    """Return a valid 2x2 PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))
    raw = b"".join(b"\x00" + b"\x10\x20\x30" * 2 for _ in range(2))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


@dataclass
class Case:
    """A paper folder (file name -> bytes), the first stderr line, the exit statuses."""

    id: str
    files: dict[str, bytes]
    first_line: str
    check: int = 2
    build: int = 2
    args: list[str] = field(default_factory=list)


CASES = [
    Case("broken-yaml", {"paper.md": b"---\ntitle: [a\n---\nText.\n"},
         "p/paper.md:2:10: error PK101: front matter is not valid YAML: expected ',' or ']', "
         "but got '<stream end>'"),
    Case("unclosed-front-matter", {"paper.md": b"---\ntitle: A\n"},
         "p/paper.md:1:1: error PK101: front matter is not valid YAML: the front matter "
         "opened by '---' is never closed; add a '---' line after it"),
    Case("duplicate-yaml-key", {"paper.md": b"---\ntitle: A\ntitle: B\n---\nText.\n"},
         "p/paper.md:3:1: error PK101: front matter is not valid YAML: duplicate key 'title' "
         "(first at line 2); remove one of them"),
    Case("unknown-key", {"paper.md": b"---\ntitel: A\n---\nText.\n"},
         "p/paper.md:2:1: error PK102: unknown front-matter key 'titel' "
         "(did you mean 'title'?)"),
    Case("unknown-nested-key",
         {"paper.md": b"---\ntitle: A\nauthor:\n  - name: X\n    affilation: Y\n---\nText.\n"},
         "p/paper.md:5:5: error PK102: unknown front-matter key 'author.affilation' "
         "(did you mean 'affiliation'?)"),
    Case("wrong-type-flag", {"paper.md": b"---\ntitle: A\ntoc: maybe\n---\nText.\n"},
         "p/paper.md:3:1: error PK103: 'toc' must be true or false"),
    Case("wrong-type-title", {"paper.md": b"---\ntitle: [a, b]\n---\nText.\n"},
         "p/paper.md:2:1: error PK103: 'title' must be text"),
    Case("wrong-type-limit",
         {"paper.md": b"---\ntitle: A\nlimits:\n  words: lots\n---\nText.\n"},
         "p/paper.md:4:3: error PK103: 'limits.words' must be a whole number of words"),
    Case("not-utf8", {"paper.md": HEAD + b"Caf\xe9 au lait.\n"},
         "p/paper.md:4:4: error PK105: byte 0xe9 is not UTF-8; save the file as UTF-8"),
    Case("not-utf8-in-front-matter", {"paper.md": b"---\ntitle: \xff\n---\nText.\n"},
         "p/paper.md:2:8: error PK105: byte 0xff is not UTF-8; save the file as UTF-8"),
    Case("control-character", {"paper.md": HEAD + b"Text \x0b here.\n"},
         "p/paper.md:4:6: error PK105: control character U+000B cannot appear in a paper; "
         "delete it"),
    Case("nul-character", {"paper.md": HEAD + b"a\n\nb\x00c\n"},
         "p/paper.md:6:2: error PK105: control character U+0000 cannot appear in a paper; "
         "delete it"),
    Case("escape-in-front-matter", {"paper.md": b"---\ntitle: \"A\x1bB\"\n---\nText.\n"},
         "p/paper.md:2:10: error PK105: control character U+001B cannot appear in a paper; "
         "delete it"),
    Case("bibtex-unbalanced-braces",
         {"paper.md": HEAD + b"Text [@a].\n",
          "references.bib": b"@article{a,\n title = {Unbalanced {brace},\n year = 2020}\n\n"
                            b"@book{b, title={x}}\n"},
         "p/references.bib:1:1: error PK110: BibTeX syntax error: the @article entry 'a' "
         "starting here does not parse (Unexpected block start: `@book`. Was still looking "
         "for field-value closing `,` or `}`); check that its braces and quotes are balanced"),
    Case("bibtex-unterminated",
         {"paper.md": HEAD + b"Text [@a].\n",
          "references.bib": BIB + b"\n@article{b,\n title = {T},\n year = 2020\n"},
         "p/references.bib:3:1: error PK110: BibTeX syntax error: the @article entry 'b' "
         "starting here does not parse (Unexpectedly reached end of file); check that its "
         "braces and quotes are balanced"),
    Case("bibtex-not-utf8",
         {"paper.md": HEAD + b"Text [@a].\n",
          "references.bib": b"@book{a, title={Caf\xe9}, year=2020}\n"},
         "p/references.bib:1:20: error PK105: byte 0xe9 is not UTF-8; save the bibliography "
         "as UTF-8 (or write the character as LaTeX, e.g. {\\\"o})"),
    Case("empty-paper", {"paper.md": b""},
         "p/paper.md:1:1: error PK109: the paper is empty; write a title and some text"),
    Case("blank-paper", {"paper.md": b"  \n\n\t\n"},
         "p/paper.md:1:1: error PK109: the paper is empty; write a title and some text"),
    Case("missing-paper", {"notes.txt": b"x"},
         "p: error PK104: paper.md not found: p/paper.md; a paper folder must hold a paper.md"),
    Case("missing-bibliography", {"paper.md": b"---\nbibliography: refs.bib\n---\nText.\n"},
         "p/paper.md:2:1: error PK104: bibliography not found: refs.bib (looked in p)"),
    Case("missing-image", {"paper.md": HEAD + b"Text.\n\n![A map](map.png){#fig:map}\n"},
         "p/paper.md:6:1: error PK104: image not found: map.png; put the image in the "
         "paper's folder or correct its path"),
    Case("missing-image-in-list",
         {"paper.md": HEAD + b"- item\n\n  ![A map](maps/map.png)\n"},
         "p/paper.md:6:3: error PK104: image not found: maps/map.png; put the image in the "
         "paper's folder or correct its path"),
    Case("empty-image-path", {"paper.md": HEAD + b"Text.\n\n![A map]()\n"},
         "p/paper.md:6:1: error PK104: image not found: (no file name given); write the "
         "image's file name"),
    Case("image-url", {"paper.md": HEAD + b"![Remote](https://example.org/a.png)\n"},
         "p/paper.md:4:1: error PK104: image not found: https://example.org/a.png; paperkit "
         "never downloads files: save it in the paper's folder and give its relative path"),
    Case("unknown-template", {"paper.md": b"---\ntitle: A\ntemplate: artcle\n---\nText.\n"},
         "p/paper.md:3:1: error PK106: unknown template 'artcle' (did you mean 'article'?)"),
    Case("missing-template-folder",
         {"paper.md": b"---\ntitle: A\ntemplate: ./mytemplate\n---\nText.\n"},
         "p/paper.md:3:1: error PK106: unknown template './mytemplate': no template.yaml in "
         "that folder"),
    Case("unknown-template-option", {"paper.md": HEAD + b"Text.\n"},
         "paperkit: error PK106: unknown template 'nosuch'; available: apa-student, article, "
         "policy-brief", args=["--template", "nosuch"]),
    Case("unknown-csl", {"paper.md": b"---\ntitle: A\ncsl: apaa\n---\nText.\n"},
         "p/paper.md:3:1: error PK107: unknown citation style 'apaa' (did you mean 'apa'?)"),
    Case("missing-csl-file", {"paper.md": b"---\ntitle: A\ncsl: styles/mine.csl\n---\nText.\n"},
         "p/paper.md:3:1: error PK104: citation style not found: styles/mine.csl; put the "
         ".csl file in the paper's folder or give a style name such as 'apa'"),
    Case("label-defined-twice",
         {"paper.md": HEAD + b"# One {#sec:x}\n\nText.\n\n# Two {#sec:x}\n\nMore.\n"},
         "p/paper.md:8:1: error PK402: label 'sec:x' is defined twice "
         "(first at p/paper.md:4:1)", check=1, build=1),
    Case("cross-reference-to-nothing",
         {"paper.md": HEAD + b"# Intro {#sec:intro}\n\nSee @sec:intr and @fig:none.\n"},
         "p/paper.md:6:5: error PK401: cross-reference '@sec:intr' points at no section, "
         "figure or table (did you mean 'sec:intro'?)", check=1, build=1),
    Case("citation-key-not-found",
         {"paper.md": HEAD + b"As argued [@buzan].\n", "references.bib": BIB},
         "p/paper.md:4:11: error PK201: citation key 'buzan' not found in references",
         check=1, build=1),
]


def run(args: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = cli.main(args, out=out, err=err)
    return status, out.getvalue(), err.getvalue()


@pytest.fixture
def folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    (tmp_path / "p").mkdir()
    return tmp_path / "p"


def write(folder: Path, files: dict[str, bytes]) -> None:
    for name, data in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_input_is_one_line_with_position_and_exit_code(folder, case):
    write(folder, case.files)
    status, out, err = run(["check", "p", *case.args])
    lines = err.splitlines()
    assert lines and lines[0] == case.first_line, err
    assert status == case.check
    assert "Traceback" not in err and "internal error" not in err
    if case.check == 2:
        assert len(lines) == 1, err          # invalid input: exactly one line
    status, out, err = run(["build", "p", "--out", "out", *case.args])
    assert err.splitlines()[0] == case.first_line
    assert status == case.build
    built = Path("out") / "p"
    if case.build == 2:
        assert not Path("out").exists() or not any(Path("out").rglob("*")), \
            "an invalid input wrote something"
    else:                                    # unresolved: written with markers
        assert {p.name for p in built.iterdir()} >= {"paper.pdf", "paper.docx", "paper.tex"}


def test_a_byte_order_mark_is_not_an_error(folder):
    """A BOM (Notepad's UTF-8) is dropped silently, in paper.md and in the .bib."""
    write(folder, {"paper.md": b"\xef\xbb\xbf---\ntitle: A\n---\nText [@a].\n",
                   "references.bib": b"\xef\xbb\xbf" + BIB})
    status, out, err = run(["check", "p"])
    assert status == 0, err
    assert err == ""
    assert out.startswith("p: main text 3 words; 1 citations of 1/1 references; 0 errors")


def test_every_missing_image_is_reported_once(folder):
    write(folder, {"paper.md": HEAD + b"![One](a.png)\n\n![Two](b.png)\n\n![Three](c.png)\n",
                   "c.png": png()})
    status, out, err = run(["check", "p"])
    assert status == 2
    assert err.splitlines() == [
        "p/paper.md:4:1: error PK104: image not found: a.png; put the image in the paper's "
        "folder or correct its path",
        "p/paper.md:6:1: error PK104: image not found: b.png; put the image in the paper's "
        "folder or correct its path",
    ]


def test_an_image_in_a_footnote_is_checked(folder):
    write(folder, {"paper.md": HEAD + b"Text.[^n]\n\n[^n]: ![Gone](gone.png)\n"})
    status, out, err = run(["check", "p"])
    assert status == 2
    assert err.splitlines()[0].startswith("p/paper.md:6:7: error PK104: image not found: "
                                          "gone.png")


def test_odd_but_valid_citation_keys_resolve(folder):
    """Keys with Pandoc's internal punctuation (:.#$%&-+?<>~/) and non-ASCII letters work;
    a key with other characters is cited with braces, ``[@{q^z}]``."""
    keys = ["müller:2020/a.b", "a&b_c", "key#1", "key%2", "a~b", "x$y", "tag.x-y+z", "q^z"]
    bib = "".join(f"@book{{{k}, title={{T{i}}}, author={{A{i}, B}}, year={2000 + i}, "
                  f"publisher={{P}}}}\n" for i, k in enumerate(keys))
    cites = ", ".join(f"[@{k}]" for k in keys[:-1]) + ", [@{q^z}]"
    write(folder, {"paper.md": HEAD + f"Cite {cites}.\n".encode(),
                   "references.bib": bib.encode()})
    status, out, err = run(["build", "p", "--out", "out"])
    assert status == 0, err
    assert err == ""
    assert "8 citations of 8/8 references" in out
    import docx
    text = "\n".join(p.text for p in docx.Document("out/p/paper.docx").paragraphs)
    for i in range(len(keys)):
        assert f"(A{i}, {2000 + i})" in text


def test_nothing_written_when_a_later_paper_is_invalid(folder, tmp_path):
    """Two papers: the good one is written, the bad one is not, exit 2."""
    write(folder, {"paper.md": HEAD + b"Fine.\n"})
    bad = tmp_path / "q"
    bad.mkdir()
    (bad / "paper.md").write_bytes(b"---\ntitle: [\n---\n")
    status, out, err = run(["build", "p", "q", "--out", "out", "--to", "tex"])
    assert status == 2
    assert Path("out/p/paper.tex").is_file()
    assert not Path("out/q").exists()
    assert err == ("q/paper.md:2:9: error PK101: front matter is not valid YAML: expected "
                   "the node content, but found '<stream end>'\n")


def test_an_image_name_with_a_colon_is_a_file(folder):
    write(folder, {"paper.md": HEAD + b"![Fig](a:b.png)\n", "a:b.png": png()})
    status, out, err = run(["build", "p", "--out", "out", "--to", "docx"])
    assert status == 0, err
    import docx
    assert len(docx.Document("out/p/paper.docx").inline_shapes) == 1


@pytest.mark.parametrize("latex, text", [
    ("T \\verb", "T"), ("\\url", ""), ("x \\emph", "x"), ("\\textbf", ""),
    ("\\href{u}{t}", "t"), ("\\frac{1}{2}", "1/2"), ("a \\& b \\verb", "a & b"),
])
def test_a_bib_macro_without_its_argument_is_text(latex, text):
    """issue6-bugs.md #16: a macro at the very end of a .bib value has an empty argument
    (pylatexenc raised IndexError/KeyError: an internal error)."""
    from paperkit.bibliography.latex_text import decode_latex
    assert decode_latex(latex) == text


@pytest.mark.parametrize("text, message", [
    ("@book{a, title={T}, ye\nar 2020}\n",
     "refs.bib:1:1: error PK110: BibTeX syntax error: the @book entry 'a' starting here does "
     "not parse (Expected a `=` after entry key `ye ar 2020`"),
    ("@book{a\x01, title={T}, year=2020}\n",
     "refs.bib:1:8: error PK105: control character U+0001 cannot appear in a bibliography; "
     "delete it"),
    ("@book{a,\n  author = {Doe, J.}\n  title = {T},\n  year = 2020}\n",
     "refs.bib:2:1: error PK110: BibTeX syntax error: the @book entry 'a' has a value for "
     "'author' that does not parse; is a comma missing before 'title = {T}'?"),
    ("@book{a, title = {X}\nea\ntitle = {Y}}\n",
     "is a comma missing before 'title = {Y}'?"),
])
def test_bibtex_errors_are_one_line_and_name_the_next_field(text, message):
    """issue6-bugs.md #15: a PK110 message quoted a field name across its line break, control
    characters were kept in keys, and a missing comma was 'missing before '''."""
    from paperkit.bibliography import parse_bibtex
    from paperkit.diagnostics import Log
    from paperkit.errors import InputError
    with pytest.raises(InputError) as caught:
        parse_bibtex(text, file="refs.bib", log=Log())
    shown = str(caught.value.diagnostic)
    assert message in shown and "\n" not in shown and "\x01" not in shown
