"""Numbering and cross-references: sections "2.1", tables and figures 1, 2, ...; @sec: links.

Headings are numbered by the model, never by the author: the first level-1 section is "1",
its first subsection "1.1". Sections written unnumbered (``{-}``) and every section when the
paper sets ``number-sections: false`` get no number and do not advance the count. Tables and
figures are numbered in document order, each kind on its own.

Every section gets a label: its own (``{#sec:intro}``) or one made from its title
(``sec:introduction``, Pandoc's identifier rule), unique within the paper. Explicit labels
defined twice are PK402; a cross-reference to no label is PK401.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace

from ..diagnostics import Log
from ..model import Block, BlockQuote, BulletList, Figure, Inline, OrderedList, Paper, Pos, Ref, \
    Section, Table
from ..walk import map_inlines, plain_text
from ..yaml_source import did_you_mean

__all__ = ["number_paper", "slug"]


def slug(text: str) -> str:
    """Return Pandoc's auto identifier for heading `text`: lower case, letters, digits, - _ ."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = re.sub(r"[^\w\s.-]", "", text)
    text = re.sub(r"\s+", "-", text.strip())
    text = text.lstrip("0123456789.-_")
    return text or "section"


class _Numberer:
    def __init__(self, paper: Paper, log: Log) -> None:
        self.paper = paper
        self.log = log
        self.counts = [0] * 10
        self.tables = 0
        self.figures = 0
        self.targets: dict[str, str] = {}          # label -> number text
        self.defined_at: dict[str, Pos | None] = {}

    def define(self, label: str | None, number: str, pos: Pos | None) -> None:
        if label is None:
            return
        if label in self.defined_at:
            first = self.defined_at[label]
            self.log.add("PK402", pos, label=label, first=str(first) if first else "?")
            return
        self.defined_at[label] = pos
        self.targets[label] = number

    def section(self, section: Section, used: set[str]) -> Section:
        number: str | None = None
        if section.numbered and self.paper.number_sections:
            depth = max(1, section.level)
            self.counts[depth - 1] += 1
            for deeper in range(depth, len(self.counts)):
                self.counts[deeper] = 0
            number = ".".join(str(max(c, 1)) for c in self.counts[:depth])
        label = section.label
        if label is None:
            base = "sec:" + slug(plain_text(section.title))
            label, suffix = base, 1
            while label in used:
                label, suffix = f"{base}-{suffix}", suffix + 1
        used.add(label)
        self.define(label, number if number is not None else plain_text(section.title),
                    section.pos)
        return replace(section, number=number, label=label,
                       blocks=self.blocks(section.blocks),
                       subsections=[self.section(s, used) for s in section.subsections])

    def blocks(self, blocks: list[Block]) -> list[Block]:
        out: list[Block] = []
        for block in blocks:
            match block:
                case Table():
                    self.tables += 1
                    self.define(block.label, str(self.tables), block.pos)
                    block = replace(block, number=self.tables)
                case Figure():
                    self.figures += 1
                    self.define(block.label, str(self.figures), block.pos)
                    block = replace(block, number=self.figures)
                case BlockQuote(blocks=inner):
                    block = replace(block, blocks=self.blocks(inner))
                case BulletList(items=items) | OrderedList(items=items):
                    block = replace(block, items=[self.blocks(item) for item in items])
                case _:
                    pass
            out.append(block)
        return out

    def explicit_labels(self, sections: list[Section]) -> set[str]:
        labels: set[str] = set()
        for section in sections:
            if section.label is not None:
                labels.add(section.label)
            labels |= self.explicit_labels(section.subsections)
        return labels


def number_paper(paper: Paper, *, log: Log) -> Paper:
    """Return `paper` with sections, tables and figures numbered and cross-references resolved."""
    numberer = _Numberer(paper, log)
    used = numberer.explicit_labels(paper.sections)
    blocks = numberer.blocks(paper.blocks)
    sections = [numberer.section(s, used) for s in paper.sections]
    numbered = replace(paper, blocks=blocks, sections=sections)
    targets = numberer.targets

    def resolve(node: Inline) -> Inline:
        if isinstance(node, Ref):
            number = targets.get(node.label)
            if number is None:
                log.add("PK401", node.pos, label=node.label,
                        hint=did_you_mean(node.label, list(targets)))
            return replace(node, number=number)
        return node

    return map_inlines(numbered, resolve)
