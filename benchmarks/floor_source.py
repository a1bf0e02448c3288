"""The content the floor scripts lay out, read from paper.md/references.bib by regex.

Shared by :mod:`floor_docx` (bare python-docx) and :mod:`floor_jinja` (a bare Jinja2 string
template): no paperkit, no model, no citation engine, no checks. It reads the same content
:mod:`floor_reportlab` sets (the PDF engineer's floor): the title, the abstract, every
heading, paragraph, list item and block quote with its inline marks (emphasis, strong,
inline code, each citation as an internal link of about its rendered length to its
reference entry, footnote marks), the footnote texts (as paragraphs after the body), pipe
tables, and one entry per .bib entry. Math and figures are left out, as there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

SKIP = ("```", "$$", "![", ":::")
CITE = re.compile(r"\[([^\]\[]*@[^\]\[]*)\]|(?<![\w\[])@([A-Za-z][\w:.-]*\w)")
KEY = re.compile(r"@\{?([A-Za-z][\w:.-]*\w)")
# one inline mark: code, strong, emphasis, a citation placeholder, a footnote mark
_MARKS = re.compile(r"`(?P<code>[^`]*)`|\*\*(?P<strong>.+?)\*\*"
                    r"|(?<![\w*])[*_](?!\s)(?P<emph>.+?)(?<!\s)[*_](?![\w*])"
                    r"|\x03(?P<cite>\d+)\x04|\[\^(?P<note>[^\]]+)\]")

#: (text, kind): kind is "", "i", "b", "code", "sup" or "#ref-KEY" (an internal link)
Span = tuple[str, str]


@dataclass
class Block:
    """One block: kind is title, abstract, heading, para, item, quote, note, table, ref."""

    kind: str
    spans: list[Span] = field(default_factory=list)
    level: int = 1
    mark: str = ""                   # a list item's bullet or number, a note's label
    rows: list[list[list[Span]]] = field(default_factory=list)
    key: str = ""                    # a reference entry's key


def _cite(inner: str, keys: set[str]) -> list[Span]:
    parts: list[Span] = []
    for piece in inner.split(";"):
        key = KEY.search(piece)
        if key is None:
            continue
        if key.group(1).split(":")[0] in ("sec", "fig", "tbl", "eq"):
            parts.append(("Table 1", ""))
            continue
        name = re.sub(r"\d+$", "", key.group(1)).capitalize()
        found_year = re.search(r"\d{4}", key.group(1))
        year = found_year.group(0) if found_year else "n.d."
        locator = piece[key.end():].strip(" ,}")
        shown = f"{name}, {year}" + (f", {locator}" if locator else "")
        if parts:
            parts.append(("; ", ""))
        parts.append((shown, f"#ref-{key.group(1)}" if key.group(1) in keys else ""))
    return [("(", ""), *parts, (")", "")] if parts else []


def spans(text: str, keys: set[str]) -> list[Span]:
    """Return Markdown `text` as spans."""
    text = re.sub(r"\{#[^}]*\}", "", text)
    cites: list[str] = []

    def keep(found: re.Match[str]) -> str:
        cites.append(found.group(1) or "@" + found.group(2))
        return f"\x03{len(cites) - 1}\x04"

    text = CITE.sub(keep, text)
    out: list[Span] = []
    last = 0
    for found in _MARKS.finditer(text):
        if found.start() > last:
            out.append((text[last:found.start()], ""))
        last = found.end()
        if found.group("code") is not None:
            out.append((found.group("code"), "code"))
        elif found.group("strong") is not None:
            out.append((found.group("strong"), "b"))
        elif found.group("emph") is not None:
            out.append((found.group("emph"), "i"))
        elif found.group("cite") is not None:
            out.extend(_cite(cites[int(found.group("cite"))], keys))
        else:
            out.append((found.group("note"), "sup"))
    if last < len(text):
        out.append((text[last:], ""))
    return out


def references(folder: Path) -> list[tuple[str, str]]:
    """Return (key, "Author. year. Title. Container.") for each entry of references.bib."""
    bib = folder / "references.bib"
    if not bib.is_file():
        return []
    out = []
    for entry in re.split(r"\n(?=@)", bib.read_text(encoding="utf-8")):
        key = re.match(r"@\w+\{([^,]+),", entry.strip())
        if key is None:
            continue
        fields = dict(re.findall(r"(\w+)\s*=\s*\{(.*)\},?\s*$", entry, flags=re.M))
        shown = " ".join(f"{fields.get(n, '')}".replace("{", "").replace("}", "") + "."
                         for n in ("author", "year", "title", "journal", "publisher")
                         if n in fields)
        out.append((key.group(1), shown))
    return out


def read(folder: Path) -> list[Block]:
    """Return the blocks of the paper in `folder`, in reading order."""
    entries = references(folder)
    keys = {key for key, _ in entries}
    text = (folder / "paper.md").read_text(encoding="utf-8")
    front, body = ("", text)
    if text.startswith("---"):
        front, body = text[3:].split("\n---\n", 1)
    out: list[Block] = []
    title = re.search(r"^title:\s*\"?(.*?)\"?\s*$", front, flags=re.M)
    if title:
        out.append(Block("title", [(title.group(1), "")]))
    abstract = re.search(r"^abstract:\s*\|?\n((?:  .*\n?)+)", front, flags=re.M)
    if abstract:
        out.append(Block("abstract", spans(" ".join(abstract.group(1).split()), keys)))
    notes: list[Block] = []
    for block in re.split(r"\n\s*\n", body):
        block = block.strip()
        if not block or block.startswith(SKIP):
            continue
        if block.startswith("|"):
            rows = [line.strip().strip("|").split("|") for line in block.splitlines()
                    if line.strip().startswith("|")
                    and not re.match(r"^\|[\s:|-]+\|?$", line.strip())]
            out.append(Block("table", rows=[[spans(c.strip(), keys) for c in row]
                                            for row in rows]))
            continue
        if block.startswith("Table:"):
            block = block[6:]
        if block.startswith("[^"):
            notes.extend(Block("note", spans(m.group(2), keys), mark=m.group(1))
                         for m in re.finditer(r"^\[\^([^\]]+)\]:\s*(.*)$", block, re.M))
            continue
        if block.startswith("#"):
            level = len(block) - len(block.lstrip("#"))
            out.append(Block("heading", spans(block.lstrip("#").strip(), keys), level=level))
        elif re.match(r"([-*+]|\d+\.)\s", block):
            for entry in re.split(r"\n(?=\s*(?:[-*+]|\d+\.)\s)", block):
                mark = entry.split(None, 1)
                out.append(Block("item", spans(mark[1] if len(mark) > 1 else "", keys),
                                 mark="•" if mark[0] in "-*+" else mark[0]))
        elif block.startswith(">"):
            out.append(Block("quote", spans(" ".join(block.lstrip("> ").split()), keys)))
        else:
            out.append(Block("para", spans(" ".join(block.split()), keys)))
    out.extend(notes)
    if entries:
        out.append(Block("heading", [("References", "")]))
    out.extend(Block("ref", [(shown, "")], key=key) for key, shown in entries)
    return out
