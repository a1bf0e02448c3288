"""Property-based fuzzing (hypothesis) of the reader, the BibTeX loader and the whole build.

Every target runs derandomized (a fixed seed per test, so CI is repeatable) with a bounded
number of examples; inputs are glued from tests/fuzz/grammar.py's pieces of paper.md and
.bib syntax plus random text. Properties:

- nothing but :class:`~paperkit.errors.PaperkitError` ever escapes, and every error is one
  line with a catalog code and a position in the file it names (exit 2);
- the reader: 2,000 sources (paper.md bytes, decoded as ``load`` does);
- the BibTeX loader: 2,000 .bib texts;
- the build: 2,000 papers (with or without a .bib) built in docx, pdf and tex, exit
  status 0, 1 or 2; every docx opens in python-docx, every PDF passes ``qpdf --check``,
  every .tex holds one document, and every .tex compiles with pdflatex (slow-marked: the
  bodies of 250 papers at a time in one document, a failing batch split into its papers);
- the pipeline (``load`` + ``check``) on broken front matter and broken .bib files, which
  the build target's papers do not have: 500.

The build target draws its papers with hypothesis, then two forked worker processes build
and check them (one per core); a failure is reported with its source rather than shrunk.
Why this shape and what it costs: tests/fuzz/README.md.
"""

from __future__ import annotations

import atexit
import itertools
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
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

REQUIRE_TOOLS = os.environ.get("PAPERKIT_REQUIRE_TOOLS") == "1"
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


@settings(max_examples=500, **SETTINGS)
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
#: Whole builds (docx + pdf + tex) the build target runs; see tests/fuzz/README.md.
BUILD_EXAMPLES = 2000
#: Fuzzed .tex bodies compiled together in one pdflatex run (a failing batch is split).
TEX_BATCH = 250
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
              tolerate: bool = True, processes: int | None = None):
    import paperkit
    from paperkit.options import BuildOptions
    # one source folder per process, as an author rebuilds one paper: the template and
    # its Word styles are cached per paper folder (paperkit.memo), outputs go per example
    folder = BUILD_DIR / "src" / f"w{os.getpid()}" / "p"
    write_paper(folder, source, bib)
    try:
        paper = paperkit.load(folder)
        result = paperkit.build(paper, formats, out=BUILD_DIR / "out" / str(index),
                                options=BuildOptions(source_date_epoch=0),
                                processes=processes)
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


@dataclass
class Built:
    """What one fuzzed build came to (made in a worker process, see :func:`check_build`)."""

    index: int
    source: bytes
    bib: str | None
    outcome: str                 # "written", "refused PK...", "known bug #N", "FAILED"
    problem: str = ""            # the assertion or traceback of a failure
    tex: str | None = None       # the .tex kept for the batch compile


def check_build(index: int, source: bytes, bib: str | None, qpdf: str | None) -> Built:
    """Build one paper in all three formats in this process and check every output:
    the docx opens in python-docx, the PDF passes ``qpdf --check``, the .tex has one
    document. Return what happened; never raise (a worker's exception would lose the
    example)."""
    import traceback

    import docx
    try:
        try:
            result = build_one(index, source, bib, tolerate=False, processes=1)
        except Exception as exc:
            number = known_bug(exc)
            if number is None:
                raise
            return Built(index, source, bib, f"known bug #{number}")
        if result is None or not result.written:
            return Built(index, source, bib, "refused")
        names = {p.name: p for p in result.paths}
        assert {"paper.pdf", "paper.docx", "paper.tex"} <= set(names), names
        assert docx.Document(str(names["paper.docx"])).paragraphs
        pdf = names["paper.pdf"].read_bytes()
        assert pdf.startswith(b"%PDF-") and b"%%EOF" in pdf[-1024:]
        if qpdf is not None:
            run = subprocess.run([qpdf, "--check", str(names["paper.pdf"])],
                                 capture_output=True, text=True)
            # exit 3 is "warnings": still a defect in our output
            assert run.returncode == 0, run.stdout[-300:] + run.stderr[-300:]
        tex = names["paper.tex"].read_text(encoding="utf-8")
        assert tex.rstrip().endswith(r"\end{document}") and \
            tex.count(r"\begin{document}") == 1
        names["paper.docx"].unlink()
        names["paper.pdf"].unlink()
        return Built(index, source, bib, "written", tex=str(names["paper.tex"]))
    except Exception:
        return Built(index, source, bib, "FAILED", traceback.format_exc(limit=-6))


_BUILDS: list[Built] = []


def fuzzed_builds() -> list[Built]:
    """Return the results of the build target's examples, built once per test session.

    hypothesis draws the papers here (derandomized); two forked worker processes build and
    check them (the machine's two cores), so a failure is reported with its source instead
    of being shrunk.
    """
    if _BUILDS:
        return _BUILDS
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    qpdf = shutil.which("qpdf") or (require_tool("qpdf") if REQUIRE_TOOLS else None)
    # warm this process first (writers imported, templates compiled): the workers fork
    # from it and start warm
    check_build(next(_COUNTER), b"---\ntitle: W\n---\nWarm *up*.\n", None, None)
    with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("fork")) as pool:
        futures = []

        @settings(max_examples=BUILD_EXAMPLES, **SETTINGS)
        @given(small_papers())
        def draw(paper):             # the workers build while hypothesis draws the next
            futures.append(pool.submit(check_build, next(_COUNTER), *paper, qpdf))

        draw()
        _BUILDS.extend(f.result(timeout=600) for f in futures)
    return _BUILDS


def test_build_writes_only_valid_outputs():
    """2,000 fuzzed papers built in docx, pdf and tex: only PaperkitErrors (one line each),
    exit 0/1/2, and every output valid (python-docx opens the docx, qpdf passes the PDF,
    the .tex holds one document)."""
    builds = fuzzed_builds()
    failed = [b for b in builds if b.outcome == "FAILED"]
    assert not failed, "\n\n".join(f"source={b.source!r}\nbib={b.bib!r}\n{b.problem}"
                                   for b in failed[:3])
    assert len(builds) >= BUILD_EXAMPLES
    written = sum(b.outcome == "written" for b in builds)
    assert written >= BUILD_EXAMPLES // 3, f"only {written} fuzzed builds wrote outputs"
    if not shutil.which("qpdf"):
        require_tool("qpdf")             # the PDFs were not checked: skip (or fail in CI)


_BODY = re.compile(r"\\begin\{document\}(.*)\\end\{document\}", re.DOTALL)
_METADATA = re.compile(r"\\hypersetup\{colorlinks=.*?pdfdisplaydoctitle=true\}", re.DOTALL)


def _pdflatex(folder: Path, name: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([require_tool("pdflatex"), "-no-shell-escape",
                           "-interaction=nonstopmode", "-halt-on-error", name], cwd=folder,
                          capture_output=True, text=True, errors="replace", timeout=600)


@pytest.mark.slow
def test_every_fuzzed_tex_compiles_with_pdflatex():
    """Every .tex the build target wrote compiles with pdflatex, in batches: the bodies of
    TEX_BATCH papers (each with its own PDF metadata) in one document under the template's
    preamble, which only differs between them in that metadata; a batch that fails is
    compiled paper by paper, the papers' own files, to name the one that fails."""
    require_tool("pdflatex")
    written = [b for b in fuzzed_builds() if b.tex]
    assert written
    batches = [written[i:i + TEX_BATCH] for i in range(0, len(written), TEX_BATCH)]
    folder = BUILD_DIR / "batches"
    folder.mkdir(exist_ok=True)
    failures = []
    for number, batch in enumerate(batches):
        texts = [Path(b.tex).read_text(encoding="utf-8") for b in batch]
        preamble = texts[0].split(r"\begin{document}", 1)[0]
        parts = []
        for text in texts:
            metadata = _METADATA.search(text)
            parts.append("\\begingroup\n" + (metadata.group(0) if metadata else "") +
                         _BODY.search(text).group(1) + "\n\\endgroup\\clearpage\n")
        for b in batch:                  # figures and other files beside each .tex
            for extra in Path(b.tex).parent.rglob("*"):
                if extra.is_file() and extra.suffix != ".tex":
                    target = folder / extra.relative_to(Path(b.tex).parent)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    if not target.exists():
                        shutil.copy(extra, target)
        name = f"batch{number}.tex"
        (folder / name).write_text(preamble + "\\begin{document}\n" + "".join(parts) +
                                   "\\end{document}\n", encoding="utf-8")
        if _pdflatex(folder, name).returncode == 0:
            continue
        found = 0
        for b in batch:                  # find the paper(s) that fail on their own
            own = Path(b.tex).parent
            run = _pdflatex(own, "paper.tex")
            if run.returncode != 0:
                failures.append((b.source, b.bib, run.stdout[-1500:]))
                found += 1
                if found == 2:           # enough to report; each compile costs ~0.5 s
                    break
        if not failures:
            failures.append(("batch", number, "the batch fails, every paper alone compiles"))
    assert not failures, failures[:2]


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
