"""Property-based fuzzing (hypothesis) of the reader, the BibTeX loader and the whole build.

Every target runs derandomized (a fixed seed per test, so CI is repeatable) with a bounded
number of examples; inputs are glued from tests/fuzz/grammar.py's pieces of paper.md and
.bib syntax plus random text. Properties:

- nothing but :class:`~paperkit.errors.PaperkitError` ever escapes, and every error is one
  line with a catalog code and a position in the file it names (exit 2);
- the reader: 2,000 sources (paper.md bytes, decoded as ``load`` does);
- the BibTeX loader: 2,000 .bib texts;
- the pipeline: 2,000 papers with a .bib through ``check`` (numbering, citations in the
  paper's style, word counts), exit status only 0, 1 or 2;
- the build: 200 papers written as docx, pdf and tex (the three writers cost ~0.3 s a
  paper, so 2,000 would take ten minutes on the 2-core CI machine; the pipeline target
  above covers everything before the writers 2,000 times); every docx opens in
  python-docx, every PDF passes ``qpdf --check`` (checked in one batch at the end), every
  .tex ends its document; 20 of them compile with pdflatex (slow-marked).

Measured on the shared 2-core machine: see tests/fuzz/README.md.
"""

from __future__ import annotations

import atexit
import itertools
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from conftest import require_tool
from fuzz.grammar import BIB, BLOCKS, FRONT, GOOD_FRONT, INLINES
from paperkit.bibliography import parse_bibtex
from paperkit.diagnostics import CATALOG, Log
from paperkit.errors import PaperkitError
from paperkit.model import Paper, Reference
from paperkit.readers import decode_source, loads

SETTINGS = dict(derandomize=True, deadline=None, database=None, print_blob=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.filter_too_much])

# control characters are refused by design (PK105): rare here, injected as bytes below
_text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=8)
_text_no_braces = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"),
                                        exclude_characters="{}"), max_size=8)
_any_text = st.text(max_size=8)          # surrogates and controls too: decode must refuse


def _key(line: str) -> str:
    return line.split(":", 1)[0]


@st.composite
def front_matter(draw) -> str:
    """Return no front matter, valid front matter, or valid lines with one odd line."""
    if draw(st.integers(0, 3)) == 0:
        return ""
    lines = draw(st.lists(st.sampled_from(GOOD_FRONT), max_size=6, unique_by=_key))
    if draw(st.integers(0, 2)) == 0:
        lines.insert(draw(st.integers(0, len(lines))), draw(st.sampled_from(FRONT)))
    end = draw(st.sampled_from(["---\n"] * 8 + ["...\n", "---", ""]))
    return "---\n" + "".join(lines) + end


@st.composite
def body(draw, size: int = 40) -> str:
    parts = draw(st.lists(st.one_of(st.sampled_from(INLINES), st.sampled_from(INLINES),
                                    st.sampled_from(BLOCKS), _text), max_size=size))
    return "".join(parts)


@st.composite
def paper_sources(draw) -> bytes:
    text = draw(front_matter()) + draw(body())
    raw = text.encode("utf-8", "surrogatepass")
    match draw(st.integers(0, 20)):
        case 0:
            raw = b"\xef\xbb\xbf" + raw                      # a BOM
        case 1:
            raw = raw.replace(b"\n", b"\r\n")
        case 2:
            at = draw(st.integers(0, len(raw)))
            raw = raw[:at] + draw(st.sampled_from([b"\xff", b"\xc3", b"\x00", b"\x0b",
                                                   b"\xed\xa0\x80"])) + raw[at:]
        case _:
            pass
    return raw


@st.composite
def bib_sources(draw) -> str:
    return "".join(draw(st.lists(st.one_of(st.sampled_from(BIB), st.sampled_from(BIB),
                                           st.sampled_from(BIB), _text), max_size=50)))


@st.composite
def good_bib(draw) -> str:
    """Return a .bib whose entries parse (keys a, b, a2020) with random field values."""
    entries = []
    for key in draw(st.lists(st.sampled_from(["a", "b", "a2020", "c"]), min_size=1,
                             max_size=4, unique=True)):
        kind = draw(st.sampled_from(["article", "book", "incollection", "misc", "online",
                                     "phdthesis", "inproceedings", "report"]))
        fields = []
        for name in draw(st.lists(st.sampled_from(
                ["author", "editor", "title", "journal", "booktitle", "publisher", "year",
                 "date", "pages", "volume", "doi", "url", "note", "edition", "month"]),
                max_size=8, unique=True)):
            value = "".join(draw(st.lists(st.one_of(
                st.sampled_from(["Doe, J.", " and ", "Roe", "{NATO}", "{\\\"o}", "2020",
                                 "1--2", "x", "\\emph{y}", "Ü", "&", "%", "$", "~", "--",
                                 "{", "}", "\\&", "10.1/x", "https://e.org/a_b", "\\verb",
                                 "\\url{https://e.org}", "\\'e", "\\emph", "\\input{x}",
                                 "{\\sc y}", "\\c{c}", "#", "_", "^"]),
                _text_no_braces), max_size=6)))
            # balance braces so the entry parses; odd values reach the decoders
            value = value.replace("{", "(").replace("}", ")") \
                if value.count("{") != value.count("}") else value
            fields.append(f"  {name} = {{{value}}}")
        entries.append(f"@{kind}{{{key},\n" + ",\n".join(fields) + "\n}\n")
    return "\n".join(entries)


#: Reported bugs (docs/issue6-bugs.md) the fuzzers keep meeting: (exception type,
#: the paperkit module it escaped from) -> bug number. An example that hits one is counted
#: (an ``event``) instead of failing, so the run goes on looking for new bugs; each has a
#: strict-xfail case below (``FOUND``, ``BIB_FOUND``) that fails once it is fixed: then
#: drop its line here.
KNOWN_BUGS: dict[tuple[str, str], int] = {}


def known_bug(exc: BaseException) -> int | None:
    """Return the number of the reported bug `exc` is, if it is one."""
    import traceback
    frames = [f.filename.replace("\\", "/") for f in traceback.extract_tb(exc.__traceback__)]
    inner = next((f.split("/paperkit/", 1)[1] for f in reversed(frames) if "/paperkit/" in f),
                 "")
    return KNOWN_BUGS.get((type(exc).__name__, inner))


def tolerate_known(exc: BaseException) -> bool:
    """Count `exc` and return True when it is a reported bug; False otherwise."""
    number = known_bug(exc)
    if number is None:
        return False
    event(f"known bug #{number}")
    return True


def assert_one_line_error(exc: PaperkitError, *files: str) -> None:
    """An error the CLI prints: catalog code, known kind, one line, a position in a file."""
    for diag in exc.diagnostics:
        assert diag.code in CATALOG
        assert "\n" not in str(diag), str(diag)
        assert "Traceback" not in str(diag)
    first = exc.diagnostic
    assert first.pos is not None, str(first)
    assert not files or any(first.pos.file.endswith(f) for f in files), str(first)


# ---------------------------------------------------------------------- the reader

# one scratch folder for the whole module, removed when the test process ends
SCRATCH = Path(tempfile.mkdtemp(prefix="paperkit-fuzz-"))
atexit.register(shutil.rmtree, SCRATCH, True)
READER_DIR = SCRATCH / "reader"
READER_DIR.mkdir()


def read(raw: bytes) -> Paper:
    file = str(READER_DIR / "paper.md")
    return loads(decode_source(raw, file), file=file)


@settings(max_examples=2000, **SETTINGS)
@given(paper_sources())
def test_reader_raises_only_paperkit_errors(raw):
    try:
        paper = read(raw)
    except Exception as exc:
        if tolerate_known(exc):
            return
        if not isinstance(exc, PaperkitError):
            raise
        event(f"refused {exc.diagnostic.code}")
        assert_one_line_error(exc, "paper.md", ".bib", ".csl", "template.yaml")
        return
    event("read")
    assert isinstance(paper, Paper)
    for diag in paper.findings:
        assert diag.code in CATALOG and "\n" not in str(diag)
    from paperkit.native import dump
    assert dump(paper).startswith("Paper")


@settings(max_examples=300, **SETTINGS)
@given(_any_text)
def test_reader_on_arbitrary_unicode(text):
    try:
        read(text.encode("utf-8", "surrogatepass"))
    except PaperkitError as exc:
        assert_one_line_error(exc, "paper.md")


# ---------------------------------------------------------------------- BibTeX

@settings(max_examples=2000, **SETTINGS)
@given(st.one_of(bib_sources(), good_bib()))
def test_bibtex_loader_raises_only_paperkit_errors(text):
    log = Log()
    try:
        references = parse_bibtex(text, file="refs.bib", log=log)
    except Exception as exc:
        if tolerate_known(exc):
            return
        if not isinstance(exc, PaperkitError):
            raise
        event(f"refused {exc.diagnostic.code}")
        assert_one_line_error(exc, "refs.bib")
        return
    event(f"{min(len(references), 3)}+ references")
    for ref in references:
        assert isinstance(ref, Reference) and ref.key
        assert ref.pos is not None and ref.pos.file == "refs.bib" and ref.pos.line >= 1
    for diag in log.items:
        assert diag.code in CATALOG and "\n" not in str(diag)


# ---------------------------------------------------------------------- the pipeline

def write_paper(folder: Path, source: bytes, bib: str | None) -> None:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    (folder / "paper.md").write_bytes(source)
    (folder / "fig.png").write_bytes(Path(__file__).parent.joinpath(
        "data", "hostile", "tex-input", "fig.png").read_bytes())
    if bib is not None:
        (folder / "refs.bib").write_text(bib, encoding="utf-8")
        (folder / "references.bib").write_text(bib, encoding="utf-8")


PIPE_DIR = SCRATCH / "pipeline"


@settings(max_examples=2000, **SETTINGS)
@given(paper_sources(), st.one_of(st.none(), good_bib(), bib_sources()))
def test_check_raises_only_paperkit_errors(source, bib):
    from paperkit import check, load
    folder = PIPE_DIR / "p"
    write_paper(folder, source, bib)
    try:
        report = check(load(folder))
    except Exception as exc:
        if tolerate_known(exc):
            return
        if not isinstance(exc, PaperkitError):
            raise
        event(f"refused {exc.diagnostic.code}")
        assert_one_line_error(exc)
        return
    event(f"checked, exit {report.exit_code('check')}, {min(report.citations, 2)}+ cites")
    assert report.exit_code("check") in (0, 1, 2)
    assert report.exit_code("build") in (0, 1, 2)
    for diag in report.diagnostics:
        assert diag.code in CATALOG and "\n" not in str(diag), str(diag)


# ---------------------------------------------------------------------- the build

BUILD_DIR = SCRATCH / "build"
BUILT_PDFS: list[Path] = []
_COUNTER = itertools.count()


@st.composite
def small_papers(draw) -> tuple[bytes, str | None]:
    head = "---\ntitle: Fuzz\n" + "".join(draw(st.lists(st.sampled_from(
        [f for f in GOOD_FRONT if f.startswith(("author", "abstract", "keywords", "date",
                                            "subtitle", "nocite", "toc", "number-", "csl: ",
                                            "lang: en", "lang: de"))]), max_size=3,
        unique=True))) + "---\n"
    text = head + draw(body(30)) + "\n"
    return text.encode("utf-8"), draw(st.one_of(st.none(), good_bib()))


def build_one(index: int, source: bytes, bib: str | None, formats=("pdf", "docx", "tex"),
              tolerate: bool = True):
    import paperkit
    from paperkit.options import BuildOptions
    folder = BUILD_DIR / "src" / "p"
    write_paper(folder, source, bib)
    try:
        paper = paperkit.load(folder)
        result = paperkit.build(paper, formats, out=BUILD_DIR / "out" / str(index),
                                options=BuildOptions(source_date_epoch=0))
    except Exception as exc:
        if tolerate and tolerate_known(exc):
            return None
        if not isinstance(exc, PaperkitError):
            raise
        assert_one_line_error(exc)
        return None
    assert result.exit_code in (0, 1, 2)
    assert result.written == (result.exit_code != 2)
    return result


@settings(max_examples=200, **SETTINGS)
@given(small_papers())
def test_build_writes_only_valid_outputs(paper):
    import docx
    result = build_one(next(_COUNTER), *paper)
    if result is None or not result.written:
        event("refused")
        return
    event("written")
    names = {p.name: p for p in result.paths}
    assert {"paper.pdf", "paper.docx", "paper.tex"} <= set(names)
    document = docx.Document(names["paper.docx"])
    assert document.paragraphs
    pdf = names["paper.pdf"]
    assert pdf.read_bytes().startswith(b"%PDF-") and b"%%EOF" in pdf.read_bytes()[-1024:]
    kept = BUILD_DIR / "pdfs" / f"{len(BUILT_PDFS)}.pdf"
    kept.parent.mkdir(exist_ok=True)
    shutil.copy(pdf, kept)
    BUILT_PDFS.append(kept)
    tex = names["paper.tex"].read_text(encoding="utf-8")
    assert tex.rstrip().endswith(r"\end{document}") and tex.count(r"\begin{document}") == 1
    shutil.rmtree(result.paths[0].parent, ignore_errors=True)


def test_every_fuzzed_pdf_passes_qpdf():
    """Runs after the build fuzzer (same module, file order): qpdf --check on each PDF."""
    if not BUILT_PDFS:
        pytest.skip("the build fuzzer did not run in this session")
    qpdf = require_tool("qpdf")
    bad = []
    for pdf in BUILT_PDFS:
        result = subprocess.run([qpdf, "--check", str(pdf)], capture_output=True, text=True)
        if result.returncode != 0:        # 3 is "warnings": still a defect in our output
            bad.append((pdf.name, result.stdout[-300:] + result.stderr[-300:]))
    assert not bad, bad[:3]
    assert len(BUILT_PDFS) >= 80, f"only {len(BUILT_PDFS)} fuzzed builds wrote outputs"


COMPILED: list[str] = []


@pytest.mark.slow
@settings(max_examples=20, **SETTINGS)
@given(small_papers())
def test_fuzzed_tex_compiles_with_pdflatex(paper):
    pdflatex = require_tool("pdflatex")
    result = build_one(next(_COUNTER), *paper, formats=("tex",))
    if result is None or not result.written:
        event("refused")
        return
    event("compiled")
    folder = result.paths[0].parent
    for _ in range(2):
        run = subprocess.run([pdflatex, "-no-shell-escape", "-interaction=nonstopmode",
                              "-halt-on-error", "paper.tex"], cwd=folder, capture_output=True,
                             text=True, timeout=300)
        assert run.returncode == 0, (paper, run.stdout[-2500:])
    assert (folder / "paper.pdf").stat().st_size > 1000
    COMPILED.append(folder.name)
    shutil.rmtree(folder, ignore_errors=True)


# ---------------------------------------------------------------------- found inputs

def _xfail(bug: int, what: str):
    return pytest.mark.xfail(strict=True, reason=f"issue6-bugs.md #{bug}: {what}")


FOUND = [
    pytest.param(b"---\ntitle: F\n---\nText.[^1]\n\n[^1]: ![cap](fig.png)\n", None,
                 id="figure-in-footnote"),
    pytest.param(("---\ntitle: F\n---\n" + "".join(f"w{i}[^{i}] " for i in range(500))
                  + "\n\n" + "".join(f"[^{i}]: n{i}\n" for i in range(500))).encode(), None,
                 id="500-notes-in-a-paragraph"),
    pytest.param(b"---\ntitle: F\nnocite: '@*'\n---\nx\n",
                 "@book{a, author={Doe \\let\\y\\input, Ann}, title={x\\input}, year=2020}\n",
                 id="input-at-end-of-bib-value"),
    pytest.param(b"---\ntitle: F\n---\n| " + b"word " * 1500 + b"|\n|---|\n| y |\n", None,
                 id="tall-table-cell"),
    # fixed or never broken: kept so they stay that way
    pytest.param(b"---\ntitle: F\n---\n- ![cap](fig.png){#fig:a}\n\nSee @fig:a.\n", None,
                 id="figure-in-list"),
    pytest.param(b"---\ntitle: F\n---\n| ![x](fig.png) |\n|---|\n| y |\n", None,
                 id="figure-in-table-cell"),
    pytest.param(b"---\ntitle: F\n---\n# [^1]\n\n[^1]: note\n", None, id="heading-is-a-note"),
    pytest.param(b"---\ntitle: F\n---\n" + b"*" * 30 + b"x" + b"*" * 30 + b"\n", None,
                 id="deep-emphasis"),
    pytest.param(b"---\ntitle: F\n---\n" + b"[" + b"; ".join([b"@a"] * 300) + b"]\n",
                 "@book{a, author={Doe, J.}, title={T}, publisher={P}, year=2020}\n",
                 id="300-citations-in-one"),
]


@pytest.mark.parametrize("source, bib", FOUND)
def test_found_inputs(source, bib):
    """Inputs the exploration runs turned up: built in all three formats, or refused with
    one line; never an internal error."""
    result = build_one(next(_COUNTER), source, bib, tolerate=False)
    if result is not None and result.written:
        import docx
        names = {p.name: p for p in result.paths}
        docx.Document(names["paper.docx"])
        assert names["paper.pdf"].read_bytes().startswith(b"%PDF-")


BIB_FOUND = [
    pytest.param("@book{a, title={T}, ye\nar 2020}\n", id="line-break-in-field-name"),
    pytest.param("@book{a\x01, title={T}, year=2020}\n", id="control-character-in-key"),
    pytest.param("@book{a, title={x\\input}, year=2020}\n",
                 id="input-at-end-of-value"),
    pytest.param("@book{a, title={T \\verb}, year=2020}\n", id="verb-at-end-of-value"),
    pytest.param("@book{a, title={T \\emph}, author={Doe, A \\url}, year=2020}\n",
                 id="macro-at-end-of-value"),
    pytest.param("@book{a,\n  author = {Doe, J.}\n  title = {T},\n  year = 2020}\n",
                 id="missing-comma"),
]


@pytest.mark.parametrize("text", BIB_FOUND)
def test_found_bibtex_inputs(text):
    """.bib inputs the atheris target turned up: parsed, or refused with one line; a
    control character is refused (PK105), never kept in a key."""
    try:
        references = parse_bibtex(text, file="refs.bib", log=Log())
    except PaperkitError as exc:
        assert_one_line_error(exc, "refs.bib")
        assert not any(ch < " " and ch != "\t" for d in exc.diagnostics for ch in str(d))
        return
    assert all(ch >= " " for ref in references for ch in ref.key)
