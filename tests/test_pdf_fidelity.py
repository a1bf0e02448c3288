"""The PDF writer's page layout against the same paper set by LaTeX (issue 8, "reads like
LaTeX"): both example papers are built to .pdf and .tex, the .tex compiled with pdflatex,
and the baselines of both read back from their text matrices.

Line breaks differ (Liberation against TeX Gyre fonts, first-fit against Knuth-Plass), so
positions are compared where they can be: the first page down to the first paragraph that
breaks differently, the page header and footer, the last footnote line, and the gap between
every two consecutive lines that open alike in both PDFs and follow each other in both (on
LaTeX's side set on one tall page, where no space is shrunk to fill a page).

``python tests/test_pdf_fidelity.py [paper folder]`` prints the table of matched lines.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader

sys.path.insert(0, str(Path(__file__).parent))
from conftest import require_tool  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PAPERS = ("feature-tour", "japan-central-asia")

@dataclass(frozen=True)
class Line:
    """One text line: page (from 1), baseline (pt from the page top), left edge, words."""

    page: int
    baseline: float
    x: float
    words: tuple[str, ...]
    size: float            # the largest font size in it

    def key(self) -> str:
        """Return the line's opening (its first words, squeezed) to match it by."""
        return "".join(self.words)[:12]


def lines_of(pdf: Path) -> list[Line]:
    """Return the text lines of `pdf` in reading order.

    Baselines come from the text matrices (pypdf's text visitor): ``pdftotext -bbox`` boxes
    span each font's ascent and descent as poppler reads them, from the font descriptor for
    some faces and a default 0.95/0.35 for others, which moved baselines by up to 0.5 pt.
    Runs whose baselines lie within 1.5 pt are one line; a raised mark (a footnote number)
    set apart in small type is dropped.
    """
    runs: list[tuple[int, float, float, str, float]] = []
    for number, page in enumerate(PdfReader(pdf).pages, 1):
        height = float(page.mediabox.height)

        def visit(text: str, cm: list[float], tm: list[float], font: object, size: float,
                  number: int = number, height: float = height) -> None:
            if text.strip():
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                runs.append((number, round(height - y, 2), x, text, size * abs(tm[3] * cm[3])))

        page.extract_text(visitor_text=visit)
    runs.sort(key=lambda r: (r[0], r[1], r[2]))
    groups: list[list[tuple[int, float, float, str, float]]] = []
    for run in runs:
        if groups and run[0] == groups[-1][0][0] and abs(run[1] - groups[-1][0][1]) < 1.5:
            groups[-1].append(run)
        else:
            groups.append([run])
    out: list[Line] = []
    for group in groups:
        group.sort(key=lambda r: r[2])
        size = max(r[4] for r in group)
        words = tuple(" ".join(r[3] for r in group).split())
        if len(words) == 1 and len(words[0]) <= 2 and size < 9:
            continue
        body = [r for r in group if r[4] >= size - 0.5]
        out.append(Line(group[0][0], round(min(r[1] for r in body), 2), group[0][2], words,
                        round(size, 2)))
    return out


def matched(ours: list[Line], theirs: list[Line]) -> list[tuple[Line, Line]]:
    """Return pairs of lines that open with the same words, in order in both lists (a line
    is looked for among the next few after the last match only: lines broken elsewhere may
    open alike by chance further on)."""
    pairs: list[tuple[Line, Line]] = []
    start = 0
    for line in ours:
        for index in range(start, min(start + 6, len(theirs))):
            if theirs[index].key() == line.key():
                pairs.append((line, theirs[index]))
                start = index + 1
                break
    return pairs


def consecutive_gaps(ours: list[Line], theirs: list[Line]) -> list[tuple[str, float, float]]:
    """Return (opening, our gap, their gap) for each two lines next to each other on one page
    in both PDFs, the gap being from the first's baseline to the second's (not counting
    a page's highest and lowest line: the running header and the footer)."""
    edges = {id(line) for lines in (ours, theirs) for index, line in enumerate(lines)
             if index in (0, len(lines) - 1) or line.page != lines[index - 1].page
             or line.page != lines[index + 1].page}
    position = {id(line): index for index, line in enumerate(ours)}
    where = {id(line): index for index, line in enumerate(theirs)}
    pairs = matched(ours, theirs)
    out = []
    for (a, a2), (b, b2) in zip(pairs, pairs[1:]):
        if position[id(b)] != position[id(a)] + 1 or where[id(b2)] != where[id(a2)] + 1:
            continue
        if a.page != b.page or a2.page != b2.page or edges & {id(a), id(b), id(a2), id(b2)}:
            continue
        out.append((f"{a.key()} -> {b.key()}", round(b.baseline - a.baseline, 2),
                    round(b2.baseline - a2.baseline, 2)))
    return out


def build(paper: str, out: Path) -> tuple[Path, Path, Path]:
    """Return (paperkit's PDF, LaTeX's PDF, LaTeX's on one tall page) of example `paper`.

    On a full page TeX shrinks the glue between paragraphs, lists and displays a little to
    make the page hold its lines (the .tex says \\raggedbottom, so it never stretches it);
    the same .tex set on a page 10 times as tall shows every space at its natural size.
    """
    pdflatex = require_tool("pdflatex")
    subprocess.run([sys.executable, "-m", "paperkit", "build", str(ROOT / "sources" / paper),
                    "--to", "pdf,tex", "--compile", "--engine", "pdflatex", "--out", str(out)],
                   capture_output=True, text=True, check=True)
    folder = out / paper
    tex = (folder / "paper.tex").read_text(encoding="utf-8")
    assert "paperheight=297mm" in tex
    (folder / "tall.tex").write_text(tex.replace("paperheight=297mm", "paperheight=2970mm"),
                                     encoding="utf-8")
    for _ in range(2):
        subprocess.run([pdflatex, "-interaction=nonstopmode", "tall.tex"], cwd=folder,
                       capture_output=True, check=False, timeout=120)
    return folder / "paper.pdf", folder / "paper-latex.pdf", folder / "tall.pdf"


# --------------------------------------------------------------------------- tests


@dataclass(frozen=True)
class Built:
    """The lines of one example paper: paperkit's PDF, LaTeX's, LaTeX's on a tall page."""

    ours: list[Line]
    theirs: list[Line]
    tall: list[Line]


@pytest.fixture(scope="module", params=PAPERS)
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Built:
    ours, theirs, tall = build(request.param, tmp_path_factory.mktemp(request.param))
    return Built(lines_of(ours), lines_of(theirs), lines_of(tall))


@pytest.mark.slow
def test_title_block_and_abstract_sit_where_latex_puts_them(built: Built) -> None:
    pairs = matched(built.ours, built.theirs)
    first_heading = next(index for index, (a, _) in enumerate(pairs) if a.words[0] == "1")
    assert first_heading >= 3
    for a, b in pairs[:first_heading + 2]:        # then the first heading and its first line
        assert abs(a.baseline - b.baseline) <= 1.0, (a, b)


@pytest.mark.slow
def test_gaps_between_lines_agree_with_latex(built: Built) -> None:
    gaps = consecutive_gaps(built.ours, built.tall)
    assert len(gaps) >= 8
    off = [(key, a, b) for key, a, b in gaps if abs(a - b) > 1.0]
    assert not off, off


@pytest.mark.slow
def test_last_footnote_line_sits_where_latex_puts_it(built: Built) -> None:
    ours, theirs = built.ours, built.theirs
    for page in (1, 2, 3):
        mine = [line for line in ours if line.page == page]
        latex = [line for line in theirs if line.page == page]
        # the line above the footer: a note's when both pages end with the same note
        if len(mine) > 1 and len(latex) > 1 and mine[-2].size < 10 \
                and mine[-2].key()[1:] == latex[-2].key()[:11]:
            assert abs(mine[-2].baseline - latex[-2].baseline) <= 1.0, (mine[-2], latex[-2])


@pytest.mark.slow
def test_running_header_and_footer_sit_where_latex_puts_them(built: Built) -> None:
    ours, theirs = built.ours, built.theirs
    for page in (1, 2):
        mine = [line for line in ours if line.page == page]
        latex = [line for line in theirs if line.page == page]
        # the footer (the page number) is the lowest line of the page
        assert abs(mine[-1].baseline - latex[-1].baseline) <= 1.0, (mine[-1], latex[-1])
        if page > 1:          # the running header is the highest
            assert abs(mine[0].baseline - latex[0].baseline) <= 1.0, (mine[0], latex[0])


def main() -> None:
    """Print the matched lines of an example paper and the gaps that differ."""
    import tempfile

    paper = sys.argv[1] if len(sys.argv) > 1 else "feature-tour"
    with tempfile.TemporaryDirectory() as tmp:
        ours, theirs, tall = (lines_of(p) for p in build(paper, Path(tmp)))
    for a, b in matched(ours, theirs):
        print(f"p{a.page}/{b.page} {a.baseline:7.2f} {b.baseline:7.2f} "
              f"{a.baseline - b.baseline:+6.2f}  x {a.x:6.2f}/{b.x:6.2f}  {a.key()}")
    print("gaps against LaTeX's on a tall page (natural spaces):")
    for key, a, b in consecutive_gaps(ours, tall):
        flag = "  <--" if abs(a - b) > 1.0 else ""
        print(f"  {a:6.2f} {b:6.2f} {a - b:+6.2f}  {key}{flag}")


if __name__ == "__main__":
    main()
