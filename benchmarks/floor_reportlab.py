"""The floor for paperkit's PDF route: bare reportlab laying out a paper's content.

Run: ``python benchmarks/floor_reportlab.py [--plain] PAPER_FOLDER OUT.pdf``.

It reads paper.md and references.bib with regular expressions (no model, no citation
engine, no checks) and sets, with platypus, in the same fonts (the bundled Liberation TTFs,
embedded and subset), page size, margins, sizes, justification and widow/orphan control as
paperkit's article template:

- the title, the abstract, every heading, paragraph, list item and block quote, with their
  inline markup: emphasis and strong (``<i>``, ``<b>``), inline code in the mono font, each
  citation as a coloured internal link of about the length of its rendering
  ("(Key, 1999, p. 3)") to its reference entry, footnote marks as superscripts;
- the footnote texts (as smaller paragraphs after the body: the same text to lay out,
  without the bottom-of-page placement that is paperkit's work);
- pipe tables as reportlab Tables of Paragraph cells with a repeated header row;
- one reference entry per .bib entry ("Author (year). Title. Container."), with a hanging
  indent and a named destination for the links;
- with hyphenation in the paper's language (reportlab's own pyphen support), since the
  issue asks for hyphenated justified text.

Math, figures, the outline, metadata, page headers and footers are left out. What paperkit
costs beyond this is its own overhead. ``--tuned`` adds the reportlab speed-ups paperkit
uses that any script could copy (a Python ``sameFrag``, faster than rl_accel's, a memoised
pyphen hyphenator, and memoised word widths and font ascents), so that what remains is
paperkit's own work. ``--plain`` sets the paragraphs as plain text (markup, citations,
footnote marks and tables dropped, no hyphenation): the floor of the first benchmark, kept
for comparison; it is a lower bound no route that shows the paper's italics, links and notes
can reach.
"""

from __future__ import annotations

import functools
import re
import sys
from pathlib import Path

import floor_source  # the same benchmarks/ folder, on sys.path as this script's own

from reportlab.lib.enums import TA_JUSTIFY, TA_LEFT
from reportlab.lib.fonts import addMapping
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable, SimpleDocTemplate, Table, TableStyle
from reportlab.platypus import Paragraph as RLParagraph

FONTS = Path(__file__).resolve().parents[1] / "src" / "paperkit" / "fonts"
LINK = "rgb(26,68,128)"
SKIP = ("```", "$$", "![", ":::")
CITE = re.compile(r"\[([^\]\[]*@[^\]\[]*)\]|(?<![\w\[])@([A-Za-z][\w:.-]*\w)")
KEY = re.compile(r"@\{?([A-Za-z][\w:.-]*\w)")


def register() -> None:
    """Register the serif family (four faces) and the regular mono face."""
    faces = {"Serif": "Regular", "Serif-Bold": "Bold", "Serif-Italic": "Italic",
             "Serif-BoldItalic": "BoldItalic"}
    for name, face in faces.items():
        pdfmetrics.registerFont(TTFont(name, str(FONTS / f"LiberationSerif-{face}.ttf")))
    for bold, italic, name in ((0, 0, "Serif"), (1, 0, "Serif-Bold"), (0, 1, "Serif-Italic"),
                               (1, 1, "Serif-BoldItalic")):
        addMapping("Serif", bold, italic, name)


@functools.cache
def register_mono() -> None:
    """Register the mono face, once, when code is set."""
    pdfmetrics.registerFont(TTFont("Mono", str(FONTS / "LiberationMono-Regular.ttf")))


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class Paragraph(RLParagraph):  # type: ignore[misc]  # reportlab is untyped
    """A Paragraph whose split retries a line shorter when its first piece comes out too
    tall (a hyphenated word re-flows): without it platypus stops with a splitting error on
    hyphenated text, so any reportlab script that hyphenates needs it (paperkit has it)."""

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        for _ in range(4):
            pieces = super().split(availWidth, availHeight)
            if len(pieces) < 2 or pieces[0].wrap(availWidth, availHeight)[1] <= availHeight:
                return list(pieces)
            availHeight -= self.style.leading
        return []


KEYS: set[str] = set()


def cite_text(found: re.Match[str]) -> str:
    """Return a citation as a link of about its rendered length ("(Key, 1999, p. 3)")."""
    inner = found.group(1) or "@" + found.group(2)
    parts = []
    for piece in inner.split(";"):
        key = KEY.search(piece)
        if key is None:
            continue
        if key.group(1).split(":")[0] in ("sec", "fig", "tbl", "eq"):
            parts.append("Table 1")     # a cross-reference: its text, unlinked
            continue
        name = re.sub(r"\d+$", "", key.group(1)).capitalize()
        found_year = re.search(r"\d{4}", key.group(1))
        year = found_year.group(0) if found_year else "n.d."
        locator = piece[key.end():].strip(" ,}")
        shown = f"{name}, {year}" + (f", {locator}" if locator else "")
        parts.append(f'<a href="#ref-{key.group(1)}" color="{LINK}">{escape(shown)}</a>'
                     if key.group(1) in KEYS else escape(shown))
    return "(" + "; ".join(parts) + ")" if parts else ""


def inline(text: str) -> str:
    """Return Markdown `text` as reportlab markup: emphasis, code, citations, note marks."""
    text = re.sub(r"\{#[^}]*\}", "", text)
    text = re.sub(r"\[\^([^\]]+)\]", "\x01\\1\x02", text)
    cites: list[str] = []

    def keep(found: re.Match[str]) -> str:
        cites.append(cite_text(found))
        return f"\x03{len(cites) - 1}\x04"

    text = escape(CITE.sub(keep, text))
    if "`" in text:
        register_mono()
    text = re.sub(r"`([^`]*)`", r'<font face="Mono">\1</font>', text)
    text = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", text)
    text = re.sub(r"(?<![\w*])[*_](?!\s)(.+?)(?<!\s)[*_](?![\w*])", r"<i>\1</i>", text)
    text = re.sub("\x01([^\x02]*)\x02", r"<super>\1</super>", text)
    return re.sub("\x03(\\d+)\x04", lambda m: cites[int(m.group(1))], text)


def plain(text: str) -> str:
    """Return `text` with the Markdown marks stripped (the --plain floor)."""
    text = re.sub(r"\{#[^}]*\}|\[\^[^\]]*\]:?|[*_`>#]|^\s*[-\d.]+\s", "", text, flags=re.M)
    return escape(" ".join(text.split()))


def references(folder: Path) -> list[tuple[str, str]]:
    """Return (key, "Author. year. Title. Container.") for each entry of references.bib,
    escaped for reportlab's markup (read as :mod:`floor_source` reads them for every floor)."""
    out = [(key, escape(shown)) for key, shown in floor_source.references(folder)]
    KEYS.update(key for key, _ in out)
    return out


def story(folder: Path, plain_only: bool) -> list[Flowable]:
    """Return the flowables of the paper in `folder`."""
    body = ParagraphStyle("body", fontName="Serif", fontSize=11, leading=13.75,
                          alignment=TA_JUSTIFY, spaceAfter=6, allowWidows=0, allowOrphans=0,
                          embeddedHyphenation=1, spaceShrinkage=0.15,
                          hyphenationLang="" if plain_only else
                          (HYPHENATE[0] if HYPHENATE else "en_US"))
    heading = ParagraphStyle("h", parent=body, fontName="Serif-Bold", fontSize=14,
                             leading=16.8, spaceBefore=16, keepWithNext=1, hyphenationLang="")
    item = ParagraphStyle("item", parent=body, leftIndent=6 * mm, bulletIndent=1.5 * mm,
                          spaceAfter=2)
    note = ParagraphStyle("note", parent=body, fontSize=9, leading=10.8, spaceAfter=0)
    cell = ParagraphStyle("cell", parent=body, fontSize=9, leading=10.8, alignment=TA_LEFT,
                          spaceAfter=0)
    reference = ParagraphStyle("ref", parent=body, alignment=TA_LEFT, leftIndent=8 * mm,
                               firstLineIndent=-8 * mm, spaceAfter=3)
    text = (folder / "paper.md").read_text(encoding="utf-8")
    front, body_text = ("", text)
    if text.startswith("---"):
        front, body_text = text[3:].split("\n---\n", 1)
    convert = plain if plain_only else inline
    entries = [] if plain_only else references(folder)
    out: list[Flowable] = []
    title = re.search(r"^title:\s*\"?(.*?)\"?\s*$", front, flags=re.M)
    if title:
        out.append(Paragraph(escape(title.group(1)), heading))
    abstract = re.search(r"^abstract:\s*\|?\n((?:  .*\n?)+)", front, flags=re.M)
    if abstract:
        out.append(Paragraph(convert(" ".join(abstract.group(1).split())), body))
    notes: list[Flowable] = []
    for block in re.split(r"\n\s*\n", body_text):
        block = block.strip()
        if not block or block.startswith(SKIP):
            continue
        if block.startswith("|"):
            if not plain_only:
                out.append(table(block, cell))
            continue
        if block.startswith("Table:"):
            block = block[6:]
        if block.startswith("[^") and not plain_only:
            notes.extend(Paragraph(convert(m.group(2)), note, bulletText=m.group(1))
                         for m in re.finditer(r"^\[\^([^\]]+)\]:\s*(.*)$", block, re.M))
            continue
        if block.startswith("#"):
            out.append(Paragraph(convert(block.lstrip("#").strip()), heading))
        elif re.match(r"([-*+]|\d+\.)\s", block) and not plain_only:
            for entry in re.split(r"\n(?=\s*(?:[-*+]|\d+\.)\s)", block):
                mark = entry.split(None, 1)
                out.append(Paragraph(convert(mark[1] if len(mark) > 1 else ""), item,
                                     bulletText="•" if mark[0] in "-*+" else mark[0]))
        else:
            out.append(Paragraph(convert(" ".join(block.lstrip("> ").split())), body))
    out.extend(notes)
    if entries:
        out.append(Paragraph("References", heading))
    out.extend(Paragraph(f'<a name="ref-{key}"/>{shown}', reference) for key, shown in entries)
    return out


def table(block: str, cell: ParagraphStyle) -> Table:
    """Return a pipe table as a Table of Paragraphs with a repeated header row."""
    rows = [line.strip().strip("|").split("|") for line in block.splitlines()
            if line.strip().startswith("|") and not re.match(r"^\|[\s:|-]+\|?$", line.strip())]
    data = [[Paragraph(inline(c.strip()), cell) for c in row] for row in rows]
    width = (A4[0] - 50 * mm) / max(len(r) for r in rows)
    flowable = Table(data, colWidths=[width] * max(len(r) for r in rows), repeatRows=1)
    flowable.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), "Serif", 9),
                                  ("LINEABOVE", (0, 0), (-1, 0), 0.9, "black"),
                                  ("LINEBELOW", (0, 0), (-1, 0), 0.5, "black"),
                                  ("LINEBELOW", (0, -1), (-1, -1), 0.9, "black")]))
    return flowable


def tune() -> None:
    """Swap in a Python sameFrag (rl_accel's C one is slower), memoise hyphenation and
    the line breaker's word widths and font ascents."""
    import pyphen
    from reportlab.platypus import paragraph

    keys = ("fontName", "fontSize", "textColor", "rise", "us_lines", "link", "backColor",
            "nobr")

    def same_frag(f: object, g: object) -> bool:
        fd, gd = f.__dict__, g.__dict__
        if "cbDefn" in fd or "lineBreak" in fd or "cbDefn" in gd or "lineBreak" in gd:
            return False
        return tuple(map(fd.get, keys)) == tuple(map(gd.get, keys))

    paragraph.sameFrag = same_frag
    paragraph.stringWidth = functools.lru_cache(maxsize=None)(paragraph.stringWidth)
    paragraph.getAscentDescent = functools.lru_cache(maxsize=None)(paragraph.getAscentDescent)
    METRICS[:] = [paragraph.stringWidth, paragraph.getAscentDescent]
    dictionary = pyphen.Pyphen(lang="en_US", left=2, right=3)
    HYPHENATE.append(functools.lru_cache(maxsize=1 << 16)(
        lambda word: tuple(dictionary.iterate(word))))


def forget_metrics() -> None:
    """Empty the tuned width and ascent memos (paperkit keeps them for one build only)."""
    for memo in METRICS:
        memo.cache_clear()  # type: ignore[attr-defined]


HYPHENATE: list[object] = []
METRICS: list[object] = []


def main(argv: list[str]) -> None:
    plain_only = "--plain" in argv
    if "--tuned" in argv:
        tune()
    source, target = (Path(a) for a in argv if not a.startswith("--"))
    register()
    flowables = story(source, plain_only)
    doc = SimpleDocTemplate(str(target), pagesize=A4, leftMargin=25 * mm, rightMargin=25 * mm,
                            topMargin=25 * mm, bottomMargin=25 * mm, invariant=1)
    doc.build(flowables)


if __name__ == "__main__":
    main(sys.argv[1:])
