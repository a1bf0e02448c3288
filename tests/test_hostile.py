"""Hostile input: a source, a .bib or a template can only typeset (tests/data/hostile/).

One corpus case a test (or a parameter):

- ``tex-*``: one TeX attack in every text place of paper.md, the front matter and every
  field of seven cited BibTeX entries (tests/data/hostile/regenerate.py writes them). The
  outputs show the text literally; the .tex holds no live command; compiled with pdflatex
  (``-no-shell-escape`` and ``-shell-escape``, with ``-recorder``) no file is read or
  written but the document's own, nothing runs, and neither ``secret.tex`` (planted beside
  paper.tex) nor /etc/passwd reaches the PDF. ``tex-bib-all`` sends every attack through
  biblatex mode and biber.
- paths: ``../``, absolute and symlinked images, a bibliography and a .csl style outside
  the folder are refused at their line (PK104) unless ``--allow-outside`` names the folder.
- XML: an SVG and a .csl with external entities (XXE) and out-of-folder image references;
  reportlab/HTML/WordprocessingML markup in the text.
- YAML: Python tags; an alias bomb. Templates: the Jinja sandbox, includes outside the
  template folder, a symlinked include. A decompression-bomb PNG. A language tag that
  tries to reach the preamble. No network: builds with socket connections forbidden.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import socket
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import require_tool
from paperkit import cli

CORPUS = Path(__file__).parent / "data" / "hostile"
TEX_CASES = sorted(p.name for p in CORPUS.glob("tex-*") if p.name != "tex-bib-all")
SECRET = "SECRET-TOKEN-7f3a9c"
PASSWD = "root:x:0:0"

#: per TeX case: strings that must show literally, at least PLACES times, in every output
SHOWS = {
    "tex-input": [r"\input{secret.tex}", r"\input{/etc/passwd}",
                  r"\InputIfFileExists{secret.tex}{}{}"],
    "tex-write18": [r"\write18{touch pwned-write18.txt}",
                    r"\immediate\write18{touch pwned-immediate.txt}"],
    "tex-openout": [r"\immediate\openout5=pwned-openout.txt", r"\immediate\write5{x}",
                    r"\openout\pw=pwned-newwrite.txt"],
    "tex-catcode": [r"\catcode 92=12", r"\catcode 123=1", r"\makeatletter\input{secret.tex}"],
    "tex-caret": [r"^^5cinput{secret.tex}", "^^7b", "^^M"],
    "tex-def": [r"\def\x{\input{secret.tex}}\x", r"\let\y\input", r"\csname input"],
    "tex-braces": ["}}}}{", r"\end{document}", r"\iffalse{", "% comment", r"\verb+x+",
                   r"\begin{verbatim}"],
}
# title, subtitle, author, affiliation, email, date, abstract, keyword, heading, body,
# emphasis, strong, code, link, footnote, item, quote, code block, two cells, two
# captions, citation prefix and suffix: 24 places (some outputs repeat the title)
PLACES = 22
# raw (unescaped) forms that must never appear in the .tex
RAW = [r"\input{secret", r"\input{/etc", r"\write18{", r"\openout5", r"\openout\pw",
       r"\catcode 92", r"\catcode`", "^^5cinput", r"\def\x", r"\let\y", r"\csname input",
       r"\newcommand{\w}", r"\InputIfFileExists", r"\iffalse", r"\verb+", r"\include{"]

def tex_cases():
    return list(TEX_CASES)


def flat(text: str) -> str:
    """Return `text` without white space (outputs break lines anywhere)."""
    return re.sub(r"\s+", "", text)


def copy_case(name: str, root: Path) -> Path:
    target = root / "papers" / name
    shutil.copytree(CORPUS / name, target, symlinks=True)
    return target


def run(args: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = cli.main(args, out=out, err=err)
    return status, out.getvalue(), err.getvalue()


@pytest.fixture
def work(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    return tmp_path


def docx_text(path: Path) -> str:
    """Return every w:t of the document, footnotes and headers included."""
    with zipfile.ZipFile(path) as archive:
        parts = [n for n in archive.namelist() if n.startswith("word/") and n.endswith(".xml")]
        xml = "".join(archive.read(n).decode("utf-8") for n in parts)
    import html
    return "\n".join(html.unescape(t) for t in re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))


def pdf_text(path: Path) -> str:
    import pypdf
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(path).pages)


def pdf_images(path: Path) -> int:
    import pypdf
    count = 0
    for page in pypdf.PdfReader(path).pages:
        resources = page.get("/Resources") or {}
        objects = resources.get("/XObject") or {}
        count += sum(1 for o in objects.values() if o.get_object().get("/Subtype") == "/Image")
    return count


def no_marker_files(root: Path) -> None:
    found = [p for p in root.rglob("pwned*")]
    assert not found, f"an attack wrote {found}"


# ---------------------------------------------------------------------- TeX injection

@pytest.mark.parametrize("case", tex_cases())
def test_tex_attack_prints_literally_in_every_output(work, case):
    source = copy_case(case, work)
    status, out, err = run(["build", str(source), "--out", "out"])
    assert status == 0, err
    built = work / "out" / case
    tex = (built / "paper.tex").read_text(encoding="utf-8")
    for raw in RAW:
        assert raw not in tex, f"{raw!r} is live TeX in paper.tex"
    assert tex.count(r"\end{document}") == 1 and tex.rstrip().endswith(r"\end{document}")
    texts = {"docx": docx_text(built / "paper.docx"), "pdf": pdf_text(built / "paper.pdf")}
    for fmt, text in texts.items():
        for shown in SHOWS[case]:
            assert flat(text).count(flat(shown)) >= PLACES, (fmt, shown)
        assert SECRET not in text and PASSWD not in text
    # every .bib field reached the reference list (as decoded text, never as commands)
    for field in ("author", "title", "journal", "publisher", "booktitle", "school",
                  "institution", "howpublished", "volume", "pages", "edition"):
        assert f"Field-{field}" in texts["docx"], field
    no_marker_files(work)


def pdflatex(folder: Path, *, shell_escape: bool) -> subprocess.CompletedProcess[str]:
    tool = require_tool("pdflatex")
    flag = "-shell-escape" if shell_escape else "-no-shell-escape"
    return subprocess.run([tool, flag, "-recorder", "-interaction=nonstopmode",
                           "-halt-on-error", "paper.tex"], cwd=folder, capture_output=True,
                          text=True, timeout=300, env={**os.environ, "openout_any": "a"})


def files_touched(folder: Path) -> tuple[set[str], set[str]]:
    """Return the (inputs, outputs) of the compile that are not TeX's own files, as paths
    relative to `folder` (absolute when outside it)."""
    inputs, outputs = set(), set()
    system = ("/usr/", "/etc/texmf", "/var/lib/texmf", "/opt/", str(Path.home() / ".texlive"))
    for line in (folder / "paper.fls").read_text(encoding="utf-8").splitlines():
        kind, _, name = line.partition(" ")
        if kind not in ("INPUT", "OUTPUT") or name.startswith(system) or "texmf" in name:
            continue
        path = os.path.normpath(os.path.join(folder, name))
        rel = os.path.relpath(path, folder)
        (inputs if kind == "INPUT" else outputs).add(path if rel.startswith("..") else rel)
    return inputs, outputs


OWN = {"paper.tex", "paper.aux", "paper.out", "paper.toc", "paper.log", "paper.pdf",
       "paper.bbl", "paper.bcf", "paper.run.xml", "paper.lof", "paper.lot"}


def check_compile(folder: Path, case: str, shell_escape: bool) -> str:
    """Compile paper.tex in `folder` twice; check that it read only paperkit's outputs and
    its own auxiliary files, wrote only the latter, ran nothing and leaked nothing."""
    written = {str(p.relative_to(folder)) for p in folder.rglob("*")
               if p.is_file() and p.name != "secret.tex"}
    for _ in range(2):                   # twice: the .aux, .out and .toc are read back
        result = pdflatex(folder, shell_escape=shell_escape)
        assert result.returncode == 0, result.stdout[-3000:]
    inputs, outputs = files_touched(folder)
    assert inputs <= OWN | written, f"the compile read {inputs - OWN - written}"
    assert outputs <= OWN, f"the compile wrote {outputs - OWN}"
    log = (folder / "paper.log").read_text(encoding="latin-1")
    assert "(./secret.tex" not in log and "(/etc/passwd" not in log
    assert "runsystem" not in log, "shell escape ran something"
    tool = require_tool("pdftotext")
    text = subprocess.run([tool, "-enc", "UTF-8", "paper.pdf", "-"], cwd=folder,
                          capture_output=True, text=True, check=True).stdout
    assert SECRET not in text and PASSWD not in text
    return text


@pytest.mark.slow
@pytest.mark.parametrize("shell_escape", [False, True], ids=["no-shell-escape", "shell-escape"])
@pytest.mark.parametrize("case", tex_cases())
def test_tex_attack_compiles_to_literal_text(work, case, shell_escape):
    source = copy_case(case, work)
    status, out, err = run(["build", str(source), "--out", "out", "--to", "tex"])
    assert status == 0, err
    folder = work / "out" / case
    (folder / "secret.tex").write_text(SECRET + "\n", encoding="utf-8")
    text = check_compile(folder, case, shell_escape)
    for shown in SHOWS[case]:
        assert flat(text).count(flat(shown)) >= PLACES, shown
    no_marker_files(work)


@pytest.mark.slow
@pytest.mark.parametrize("shell_escape", [False, True], ids=["no-shell-escape", "shell-escape"])
def test_every_attack_in_every_bib_field_through_biber(work, shell_escape):
    """Biblatex mode: every field goes to biber and biblatex; nothing runs or leaks and
    every entry is printed (issue6-bugs.md #9: a '}' made the .bib unbalanced, an '=' in a
    name part and a \\pkchar in an author made biber drop the name or die)."""
    source = copy_case("tex-bib-all", work)
    status, out, err = run(["build", str(source), "--out", "out", "--to", "tex",
                            "--latex-citations", "biblatex"])
    assert status == 0, err
    folder = work / "out" / "tex-bib-all"
    (folder / "secret.tex").write_text(SECRET + "\n", encoding="utf-8")
    assert pdflatex(folder, shell_escape=shell_escape).returncode == 0
    biber = subprocess.run([require_tool("biber"), "paper"], cwd=folder, capture_output=True,
                           text=True, timeout=300)
    assert biber.returncode == 0, biber.stdout[-3000:]
    text = check_compile(folder, "tex-bib-all", shell_escape)
    no_marker_files(work)
    assert biber.returncode == 0 and "ERROR" not in biber.stdout, biber.stdout[-3000:]
    assert "Invalid namepart" not in biber.stdout, biber.stdout[-3000:]
    # pdftotext joins a word hyphenated at a line end ("Field-" "title"): either form
    assert len(re.findall(r"Field-?\s*title", text)) >= 49


def test_a_language_tag_cannot_reach_the_preamble(work):
    source = copy_case("lang-injection", work)
    status, out, err = run(["build", str(source), "--out", "out"])
    assert status == 0, err
    tex = (work / "out" / "lang-injection" / "paper.tex").read_text(encoding="utf-8")
    assert r"\input{/etc" not in tex and r"\usepackage[x" not in tex
    with zipfile.ZipFile(work / "out" / "lang-injection" / "paper.docx") as archive:
        styles = archive.read("word/styles.xml").decode("utf-8")
    assert "<w:lang" in styles            # the value is XML-escaped data, never markup
    import docx
    docx.Document(work / "out" / "lang-injection" / "paper.docx")


# ---------------------------------------------------------------------- markup

def test_markup_in_text_is_text_in_pdf_and_word(work):
    """reportlab's paragraph tags (<img src>, <font>, <a>), HTML and WordprocessingML in the
    source print as characters; no image is embedded, no file read."""
    source = copy_case("markup-injection", work)
    (source / "secret.png").write_bytes((CORPUS / "tex-input" / "fig.png").read_bytes())
    status, out, err = run(["build", str(source), "--out", "out"])
    assert status == 0, err
    built = work / "out" / "markup-injection"
    assert pdf_images(built / "paper.pdf") == 0
    with zipfile.ZipFile(built / "paper.docx") as archive:
        assert not [n for n in archive.namelist() if n.startswith("word/media/")]
    shown = ['<img src="secret.png" width="80" height="80"/>', "<b>bold</b>",
             '<a href="file:///etc/passwd">anchor</a>', '<unichar code="0x41"/>',
             "<w:p><w:r><w:t>word xml</w:t></w:r></w:p>", "<script>alert(1)</script>",
             '<font size="80">big</font>', "<para>p</para>"]
    for fmt, text in [("docx", docx_text(built / "paper.docx")),
                      ("pdf", pdf_text(built / "paper.pdf"))]:
        for item in shown:
            assert flat(item) in flat(text), (fmt, item)
        assert PASSWD not in text
    import docx
    docx.Document(built / "paper.docx")


# ---------------------------------------------------------------------- paths

def outside_png(work: Path) -> Path:
    path = work / "papers" / "outside.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes((CORPUS / "tex-input" / "fig.png").read_bytes())
    return path


@pytest.mark.parametrize("case, first", [
    ("path-dotdot", "papers/path-dotdot/paper.md:6:1: error PK104: image not found: "
                    "../outside.png (it is {work}/papers/outside.png, outside the paper's "
                    "folder {work}/papers/path-dotdot; move it there, or allow its folder "
                    "with --allow-outside PATH)"),
    ("path-absolute", "papers/path-absolute/paper.md:6:1: error PK104: image not found: "
                      "/etc/passwd (it is /etc/passwd, outside the paper's folder "
                      "{work}/papers/path-absolute; move it there, or allow its folder with "
                      "--allow-outside PATH)"),
    ("path-symlink", "papers/path-symlink/paper.md:6:1: error PK104: image not found: "
                     "link.png (it is {work}/papers/outside.png, outside the paper's folder "
                     "{work}/papers/path-symlink; move it there, or allow its folder with "
                     "--allow-outside PATH)"),
    ("bib-outside", "papers/bib-outside/paper.md:3:1: error PK104: bibliography not found: "
                    "../shared.bib (it is {work}/papers/shared.bib, outside the paper's "
                    "folder {work}/papers/bib-outside; move it there, or allow its folder "
                    "with --allow-outside PATH)"),
    ("csl-outside", "papers/csl-outside/paper.md:3:1: error PK104: citation style not "
                    "found: ../styles/evil.csl (it is {work}/papers/styles/evil.csl, "
                    "outside the paper's folder {work}/papers/csl-outside; move it there, "
                    "or allow its folder with --allow-outside PATH)"),
])
def test_files_outside_the_paper_folder_are_refused(work, case, first):
    source = copy_case(case, work)
    outside_png(work)
    (work / "papers" / "shared.bib").write_text(
        "@book{a, author={Buzan, Barry}, title={T}, publisher={P}, year={2020}}\n")
    (work / "papers" / "styles").mkdir()
    shutil.copy(CORPUS / "csl-xxe" / "evil.csl", work / "papers" / "styles" / "evil.csl")
    if case == "path-symlink":
        (source / "link.png").symlink_to("../outside.png")
    for command in (["check", str(source.relative_to(work))],
                    ["build", str(source.relative_to(work)), "--out", "out"]):
        status, out, err = run(command)
        assert status == 2
        real = str(work.resolve())
        assert err.splitlines() == [first.format(work=real)]
    assert not (work / "out").exists()
    # named with --allow-outside, the same file is read (the .csl: refused for its XXE)
    status, out, err = run(["build", str(source.relative_to(work)), "--out", "out",
                            "--allow-outside", "papers"])
    if case == "path-absolute":
        assert status == 2 and "/etc/passwd" in err          # still outside papers/
    elif case == "csl-outside":
        assert status == 2 and "PK109" in err and "not valid CSL" in err
    else:
        assert status == 0, err
        assert (work / "out" / case / "paper.pdf").is_file()


def test_allow_outside_image_reaches_every_writer(work):
    source = copy_case("path-dotdot", work)
    outside_png(work)
    status, out, err = run(["build", str(source), "--out", "out", "--allow-outside",
                            str(work / "papers")])
    assert status == 0, err
    built = work / "out" / "path-dotdot"
    assert pdf_images(built / "paper.pdf") == 1
    with zipfile.ZipFile(built / "paper.docx") as archive:
        media = [n for n in archive.namelist() if n.startswith("word/media/")]
    assert len(media) == 1
    assert (built / "figures").is_dir() and len(list((built / "figures").iterdir())) == 1


def test_library_build_of_a_paper_with_an_outside_image(work):
    """paperkit.build(folder, options=BuildOptions(allow_outside=...)) works as the CLI."""
    import paperkit
    from paperkit.options import BuildOptions
    source = copy_case("path-dotdot", work)
    outside_png(work)
    with pytest.raises(paperkit.InputError) as info:
        paperkit.build(source, out=work / "out")
    assert info.value.line == 6
    result = paperkit.build(source, out=work / "out",
                            options=BuildOptions(allow_outside=(str(work / "papers"),)))
    assert result.exit_code == 0 and len(result.paths) >= 3


# ---------------------------------------------------------------------- XML

def test_svg_external_entities_and_outside_images_are_not_read(work):
    source = copy_case("svg-xxe", work)
    outside_png(work)
    status, out, err = run(["build", str(source), "--out", "out", "--to", "pdf"])
    assert status == 0, err
    # svglib's "Refusing out-of-root reference" went to stderr (issue6-bugs.md #10)
    assert "Refusing" not in err and "outside.png" not in err, err
    pdf = work / "out" / "svg-xxe" / "paper.pdf"
    assert pdf_images(pdf) == 0          # neither ../outside.png nor file:// nor http://
    text = pdf_text(pdf)
    assert "before" in text and PASSWD not in text
    raw = pdf.read_bytes()
    assert b"root:x" not in raw


def test_csl_external_entities_are_refused(work):
    source = copy_case("csl-xxe", work)
    status, out, err = run(["check", str(source)])
    assert status == 2
    assert err.startswith("papers/csl-xxe/evil.csl: error PK109: citation style evil.csl is "
                          "not valid CSL (not well-formed XML: undefined entity &xxe;")
    assert PASSWD not in err and err.count("\n") == 1


# ---------------------------------------------------------------------- YAML

def test_yaml_python_tags_do_not_run(work):
    source = copy_case("yaml-python-tag", work)
    status, out, err = run(["check", str(source)])
    assert status == 2
    assert err == "papers/yaml-python-tag/paper.md:2:1: error PK103: 'title' must be text\n"
    no_marker_files(work)


def test_yaml_alias_bomb_is_refused(work):
    """In a child limited to 1 GB of address space and 20 s: refused with a clear line."""
    source = copy_case("yaml-bomb", work)
    limit = ("import resource, sys; resource.setrlimit(resource.RLIMIT_AS, (2**30, 2**30)); "
             "from paperkit.cli import main; sys.exit(main(sys.argv[1:]))")
    try:
        result = subprocess.run([sys.executable, "-c", limit, "check", str(source)],
                                capture_output=True, text=True, timeout=20, cwd=work)
    except subprocess.TimeoutExpired:
        pytest.fail("the alias bomb ran for 20 s")
    assert result.returncode == 2, result.stderr[-500:]
    assert result.stderr.startswith("papers/yaml-bomb/paper.md:")
    assert result.stderr.count("\n") == 1


# ---------------------------------------------------------------------- templates

@pytest.mark.parametrize("case, first", [
    ("template-sandbox", "papers/template-sandbox/tpl/title.tex.j2:2:1: error PK108: "
                         "template: not allowed: access to attribute '__class__' of 'str' "
                         "object is unsafe."),
    ("template-globals", "papers/template-globals/tpl/title.tex.j2:2:1: error PK108: "
                         "template: not allowed: access to attribute '__init__' of 'type' "
                         "object is unsafe."),
])
def test_a_template_cannot_reach_python(work, case, first):
    source = copy_case(case, work)
    status, out, err = run(["build", str(source), "--out", "out", "--template",
                            str(source / "tpl")])
    assert status == 2
    assert err.splitlines()[0] == first
    assert not (work / "out").exists()
    no_marker_files(work)


def test_a_template_cannot_include_a_file_by_path(work):
    source = copy_case("template-include", work)
    status, out, err = run(["build", str(source), "--out", "out", "--to", "tex",
                            "--template", str(source / "tpl")])
    assert status == 2
    assert "PK108" in err and "'../../../../../../../etc/passwd' not found" in err
    assert PASSWD not in err and not (work / "out").exists()


def test_template_symlink_include_is_refused(work):
    source = copy_case("template-symlink", work)
    secret = work / "secret.txt"
    secret.write_text(SECRET)
    (source / "tpl" / "leak.tex").symlink_to(secret)
    status, out, err = run(["build", str(source), "--out", "out", "--to", "tex",
                            "--template", str(source / "tpl")])
    tex = work / "out" / "template-symlink" / "paper.tex"
    assert not (tex.is_file() and SECRET in tex.read_text(encoding="utf-8")), \
        "a symlinked include leaked a file from outside the template folder into the .tex"
    assert status == 2 and "PK108" in err


# ---------------------------------------------------------------------- images

def test_a_decompression_bomb_is_refused(work):
    source = copy_case("image-bomb", work)
    status, out, err = run(["build", str(source), "--out", "out"])
    assert status == 2
    assert err.startswith("papers/image-bomb/paper.md:6:1: error PK105: image 'bomb.png' ")
    assert "exceeds limit" in err or "decompression bomb" in err
    assert not (work / "out").exists()
    # one line, no object reprs (issue6-bugs.md #10); refused at load: `check` says it too
    assert err.count("\n") == 1 and "0x" not in err and "100,000 x 100,000 pixels" in err
    status, out, err = run(["check", str(source)])
    assert status == 2 and "PK105" in err and "decompression bomb" in err


def test_a_file_that_is_no_image_is_refused_in_one_line(work):
    source = work / "papers" / "not-an-image"
    source.mkdir(parents=True)
    (source / "paper.md").write_text("---\ntitle: T\n---\nText.\n\n![Cap](fig.png)\n")
    (source / "fig.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 40)   # a broken header
    (source / "notes.png").write_text("plain text")
    status, out, err = run(["build", str(source), "--out", "out"])
    assert status == 2 and err.count("\n") == 1 and "0x" not in err, err
    assert err.startswith("papers/not-an-image/paper.md:6:1: error PK105: image 'fig.png' "
                          "cannot be read: "), err
    (source / "paper.md").write_text("---\ntitle: T\n---\nText.\n\n![Cap](notes.png)\n")
    status, out, err = run(["check", str(source)])
    assert status == 2 and err.count("\n") == 1, err
    assert "image 'notes.png' cannot be read: it is not an image file" in err, err


# ---------------------------------------------------------------------- network

@pytest.fixture
def no_network(monkeypatch):
    """Forbid every connection and name lookup; record the attempts."""
    attempts: list[object] = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network access is forbidden in this test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    return attempts


def test_urls_are_links_and_never_fetched(work, no_network):
    source = copy_case("network", work)
    status, out, err = run(["build", str(source), "--out", "out"])
    assert status == 2                    # the remote image: refused, not downloaded
    assert err == ("papers/network/paper.md:9:1: error PK104: image not found: "
                   "https://example.org/remote.png; paperkit never downloads files: save it "
                   "in the paper's folder and give its relative path\n")
    status, out, err = run(["build", str(source / "paper-no-image.md"), "--out", "out"])
    assert status == 0, err
    built = work / "out" / "paper-no-image"
    text = docx_text(built / "paper.docx")
    assert "to a site" in text and "https://example.org/online" in text
    assert "https://example.org/page" in (built / "paper.tex").read_text(encoding="utf-8")
    assert b"https://example.org/page" in (built / "paper.pdf").read_bytes()
    assert no_network == [], f"paperkit tried to connect: {no_network}"


def build_or_one_line(work: Path, body: str) -> Path | None:
    """Build a paper with `body`: return its output folder, or None when it was refused
    with one clear line; an internal error fails the test."""
    folder = work / "long"
    folder.mkdir(exist_ok=True)
    (folder / "paper.md").write_text(f"---\ntitle: Long\n---\n{body}", encoding="utf-8")
    status, out, err = run(["build", "long", "--out", "out"])
    assert "internal error" not in err, err[:600]
    if status == 2:
        assert err.startswith("long/paper.md:") and err.count("\n") == 1, err
        return None
    assert status == 0, err
    return work / "out" / "long"


def test_long_words_and_urls_build_or_fail_cleanly(work):
    """A 100,000-character word, a 20,000-character URL, a 3,000-character heading, a
    20,000-character code span: built (and there in full), or one clear line."""
    word = "x" * 100_000
    url = "https://example.org/" + "a" * 20_000
    built = build_or_one_line(work, f"# H{'y' * 3000}\n\n{word}\n\n<{url}>\n\n"
                                    f"`{'z' * 20_000}`\n")
    if built is not None:
        text = flat(docx_text(built / "paper.docx"))
        assert word in text and url in text and "z" * 20_000 in text
        assert word in (built / "paper.tex").read_text(encoding="utf-8")


def test_a_table_cell_taller_than_a_page_builds_or_fails_cleanly(work):
    built = build_or_one_line(work, "| " + " ".join(["word"] * 1500) + " |\n|---|\n| y |\n")
    if built is not None:
        assert flat(pdf_text(built / "paper.pdf")).count("word") == 1500
