"""Issue 5's proof: change one value in a template.yaml and see it in all three outputs.

A user template folder (``extends: article``) changes the body size (11 -> 12 pt), the left
margin (25 -> 35 mm) or the numbering scheme (1.1 -> I.A); the seed paper is built with it
to .docx, .pdf and .tex, and each output is read back: Word's style sizes and section
margins (python-docx), the PDF's text sizes and positions (pypdf), the LaTeX geometry and
font size (the .tex, and slow: the PDF pdflatex makes of it).
"""

from __future__ import annotations

import io
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Mm, Pt
from pypdf import PdfReader

import paperkit
from conftest import ROOT, require_tool

SEED = ROOT / "sources" / "japan-central-asia"
MM = 72 / 25.4

CHANGES = {
    "size": "fonts:\n  size: 12\n",
    "margins": "page:\n  margins: {left: 35}\n",
    "numbering": "headings:\n  numbering: I.A\n",
}


def text_runs(pdf: bytes | Path) -> list[tuple[str, float, float]]:
    """Return every text run of a PDF as (text, size in pt, x in mm)."""
    reader = PdfReader(io.BytesIO(pdf) if isinstance(pdf, bytes) else str(pdf))
    runs: list[tuple[str, float, float]] = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            scale = (tm[2] ** 2 + tm[3] ** 2) ** 0.5 * (cm[2] ** 2 + cm[3] ** 2) ** 0.5
            x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
            runs.append((text, round(size * scale, 2), x / MM))

    for page in reader.pages:
        page.extract_text(visitor_text=visit)
    return runs


def body_size(runs: list[tuple[str, float, float]]) -> float:
    """Return the size most characters are set in."""
    counts: Counter[float] = Counter()
    for text, size, _ in runs:
        counts[size] += len(text.strip())
    return counts.most_common(1)[0][0]


def left_edge(runs: list[tuple[str, float, float]], size: float) -> float:
    """Return the leftmost start (mm) of body-size text: the left margin."""
    return min(x for text, s, x in runs if s == size and len(text.strip()) > 20)


@pytest.fixture(scope="module")
def builds(tmp_path_factory):
    """Build the seed paper with article and with each changed template: {name: folder}."""
    root = tmp_path_factory.mktemp("proof")
    folders = {}
    for name, change in {"article": None, **CHANGES}.items():
        template = "article"
        if change is not None:
            folder = root / "templates" / name
            folder.mkdir(parents=True)
            (folder / "template.yaml").write_text("extends: article\n" + change,
                                                  encoding="utf-8")
            template = str(folder)
        result = paperkit.build(paperkit.load(SEED), out=root / name, template=template,
                                options=paperkit.BuildOptions(source_date_epoch=1767225600))
        assert result.written, result.report.diagnostics
        folders[name] = root / name / "japan-central-asia"
    return folders


def tex(builds, name: str) -> str:
    return (builds[name] / "paper.tex").read_text(encoding="utf-8")


def test_body_size_11_to_12_in_all_three(builds):
    base = Document(str(builds["article"] / "paper.docx")).styles
    bigger = Document(str(builds["size"] / "paper.docx")).styles
    assert base["Normal"].font.size == Pt(11) and bigger["Normal"].font.size == Pt(12)
    assert body_size(text_runs(builds["article"] / "paper.pdf")) == 11.0
    assert body_size(text_runs(builds["size"] / "paper.pdf")) == 12.0
    assert "\\documentclass[11pt]{article}" in tex(builds, "article")
    # 12 PostScript points in TeX points (72.27/72), as the PDF and Word set it
    assert "\\documentclass[12pt]{article}" in tex(builds, "size")
    assert "\\renewcommand\\normalsize{\\fontsize{12.045}{14.454}\\selectfont" in \
        tex(builds, "size")
    # Headings and everything else keep their own sizes.
    assert bigger["Heading 1"].font.size == base["Heading 1"].font.size


def test_left_margin_25_to_35_in_all_three(builds):
    for name, mm in (("article", 25), ("margins", 35)):
        section = Document(str(builds[name] / "paper.docx")).sections[0]
        assert abs(section.left_margin - Mm(mm)) < Mm(0.05)
        assert abs(section.right_margin - Mm(25)) < Mm(0.05)
        runs = text_runs(builds[name] / "paper.pdf")
        assert abs(left_edge(runs, body_size(runs)) - mm) < 0.3
        assert f"left={mm}mm, right=25mm" in tex(builds, name).replace("\n  ", " ")


def heading_number_formats(docx: Path) -> list[tuple[str, str]]:
    """Return (numFmt, lvlText) of the numbering the Heading 1 and 2 styles point at.

    Word numbers headings through the styles' numbering (``w:numPr``), not in the text:
    level 2's ``%1.%2`` shows level 1 in level 1's format (II.A).
    """
    document = Document(str(docx))
    ns = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}
    w = "{%s}" % ns["w"]
    style = document.styles["Heading 1"].element
    num_id = style.find("w:pPr/w:numPr/w:numId", ns).get(w + "val")
    numbering = document.part.numbering_part.element
    abstract = numbering.find(f"w:num[@w:numId='{num_id}']/w:abstractNumId", ns).get(w + "val")
    levels = numbering.find(f"w:abstractNum[@w:abstractNumId='{abstract}']", ns)
    return [(lvl.find("w:numFmt", ns).get(w + "val"), lvl.find("w:lvlText", ns).get(w + "val"))
            for lvl in levels.findall("w:lvl", ns)[:2]]


def test_numbering_scheme_in_all_three(builds):
    assert heading_number_formats(builds["article"] / "paper.docx") == \
        [("decimal", "%1"), ("decimal", "%1.%2")]
    assert heading_number_formats(builds["numbering"] / "paper.docx") == \
        [("upperRoman", "%1"), ("upperLetter", "%1.%2")]
    text = " ".join(t for t, _, _ in text_runs(builds["numbering"] / "paper.pdf"))
    assert "II.A" in text and "III.C" in text
    latex = tex(builds, "numbering")
    assert "\\subsection*{II.A\\quad Regional Dynamics and Global Power Plays}" in latex
    assert "\\section*{VI\\quad Conclusion}" in latex


@pytest.mark.slow
@pytest.mark.parametrize("name", ["article", "size", "margins", "numbering"])
def test_compiled_latex_shows_the_change(builds, name, tmp_path):
    pdflatex = require_tool("pdflatex")
    for path in builds[name].rglob("*"):
        if path.is_file() and path.suffix not in (".pdf", ".docx"):
            target = tmp_path / path.relative_to(builds[name])
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
    for _ in range(2):
        run = subprocess.run([pdflatex, "-interaction=nonstopmode", "-halt-on-error",
                              "-no-shell-escape", "paper.tex"], cwd=tmp_path,
                             capture_output=True, text=True, errors="replace", timeout=300)
        assert run.returncode == 0, run.stdout[-2000:]
    runs = text_runs(tmp_path / "paper.pdf")
    size = body_size(runs)
    assert size == (12.0 if name == "size" else 11.0)
    # microtype lets some glyphs protrude into the margin by a fraction of a millimetre
    assert abs(left_edge(runs, size) - (35 if name == "margins" else 25)) < 0.6
    reportlab = text_runs(builds[name] / "paper.pdf")
    assert body_size(reportlab) == size
    text = " ".join(" ".join(t for t, _, _ in runs).split())
    if name == "numbering":
        assert "II.A Regional Dynamics" in text and "VI Conclusion" in text
    else:
        assert "2.1 Regional Dynamics" in text
