"""The running header, its rule and the page number sit at the same place in the PDF and in
Word (as LibreOffice lays the .docx out): where LaTeX's article class puts them."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import ROOT, require_tool

SEED = ROOT / "sources" / "japan-central-asia"

pytestmark = pytest.mark.slow


def _page_two_lines(pdf: Path) -> list[tuple[float, str]]:
    """Return (baseline from the page's top, text) of page 2's lines, top to bottom."""
    page = PdfReader(pdf).pages[1]
    height = float(page.mediabox.height)
    found: list[tuple[float, str]] = []

    def visit(text: str, cm: list[float], tm: list[float], *_: object) -> None:
        if text.strip():
            found.append((height - (tm[5] * cm[3] + cm[5]), text.strip()))

    page.extract_text(visitor_text=visit)
    return sorted(found)


@pytest.mark.parametrize("template", ["article", "policy-brief", "apa-student"])
def test_word_and_pdf_put_header_and_footer_at_the_same_height(tmp_path: Path,
                                                               template: str) -> None:
    import paperkit

    soffice = require_tool("soffice")
    result = paperkit.build(SEED, ["pdf", "docx"], tmp_path, template=template)
    folder = tmp_path / SEED.name
    assert result.exit_code == 0
    subprocess.run([soffice, "--headless", "--convert-to", "pdf", "--outdir",
                    str(tmp_path / "lo"), str(folder / "paper.docx")],
                   check=True, capture_output=True, timeout=180)
    ours = _page_two_lines(folder / "paper.pdf")
    word = _page_two_lines(tmp_path / "lo" / "paper.pdf")
    # the highest line is the running title (or APA's page number), the lowest the number
    assert abs(ours[0][0] - word[0][0]) <= 1.0, (ours[0], word[0])
    if template != "apa-student":          # APA's number is in the header
        assert ours[-1][1] == word[-1][1] == "2"
        assert abs(ours[-1][0] - word[-1][0]) <= 1.0, (ours[-1], word[-1])
    if template == "article":              # LaTeX's \headsep and \footskip (A4, 25 mm)
        top = 25 * 72 / 25.4
        assert abs(ours[-1][0] - (841.89 - top + 30 * 72 / 72.27)) <= 0.5
