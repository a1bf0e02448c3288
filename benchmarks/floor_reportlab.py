"""The floor for paperkit's PDF route: bare reportlab laying out a paper's paragraphs.

Run: ``python benchmarks/floor_reportlab.py PAPER_FOLDER OUT.pdf``.

It reads paper.md, takes every paragraph, heading and list item as plain text (Markdown marks
and citations stripped by regular expressions, footnote definitions as paragraphs) and sets
them with platypus in the same fonts (the bundled Liberation TTFs, embedded and subset), page
size, margins, sizes and justification as paperkit's article template, with nothing else: no
model, no citations, no footnote layout, no outline, no hyphenation. What paperkit's PDF build
costs beyond this is its own overhead.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from reportlab.lib.enums import TA_JUSTIFY
from reportlab.lib.fonts import addMapping
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate

FONTS = Path(__file__).resolve().parents[1] / "src" / "paperkit" / "fonts"


def paragraphs(markdown: str) -> list[tuple[str, str]]:
    """Return (kind, text) for each heading ("h") and paragraph ("p") of `markdown`."""
    body = markdown.split("\n---\n", 1)[1] if markdown.startswith("---") else markdown
    out: list[tuple[str, str]] = []
    for block in re.split(r"\n\s*\n", body):
        block = block.strip()
        if not block or block.startswith(("|", "```", "$$", "Table:", "![")):
            continue
        text = re.sub(r"\{#[^}]*\}|\[\^[^\]]*\]:?|[*_`>#]|^\s*[-\d.]+\s", "", block, flags=re.M)
        text = " ".join(text.split()).replace("&", "&amp;").replace("<", "&lt;")
        out.append(("h" if block.startswith("#") else "p", text))
    return out


def main(source: Path, target: Path) -> None:
    for name, file in (("Serif", "LiberationSerif-Regular.ttf"),
                       ("Serif-Bold", "LiberationSerif-Bold.ttf")):
        pdfmetrics.registerFont(TTFont(name, str(FONTS / file)))
    addMapping("Serif", 0, 0, "Serif")
    addMapping("Serif", 1, 0, "Serif-Bold")
    body = ParagraphStyle("body", fontName="Serif", fontSize=11, leading=13.75,
                          alignment=TA_JUSTIFY, spaceAfter=6)
    heading = ParagraphStyle("h", parent=body, fontName="Serif-Bold", fontSize=14,
                             leading=16.8, spaceBefore=16, keepWithNext=1)
    text = (source / "paper.md").read_text(encoding="utf-8")
    story = [Paragraph(t, heading if kind == "h" else body) for kind, t in paragraphs(text)]
    doc = SimpleDocTemplate(str(target), pagesize=A4, leftMargin=25 * mm, rightMargin=25 * mm,
                            topMargin=25 * mm, bottomMargin=25 * mm, invariant=1)
    doc.build(story)


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
