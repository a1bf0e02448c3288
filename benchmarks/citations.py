"""Time the citation transform beside citeproc-py: 500 references and 2,000 citations.

Run ``python benchmarks/citations.py [--citeproc-py-all] [style ...]`` (default styles: apa
ieee chicago-author-date chicago-notes-bibliography). For each style it prints:

- paperkit: :func:`paperkit.transforms.citations.resolve_citations` on a paper citing 500
  BibTeX references 2,000 times (plain, with page locators, two-work and narrative
  citations), the style already compiled (a second run in the process), best of three,
  wall-clock and CPU seconds (CPU time is what a busy machine does not inflate);
- citeproc-py: the same references and citations rendered by citeproc-py 0.11 directly
  (register every citation, cite each in order, then the bibliography), once, in the same
  process: the engine paperkit used before its own (for APA only unless
  ``--citeproc-py-all``: it takes minutes for the Chicago styles);
- the seed paper (4 references, 8 citations): first call (style compiled) and again.

No assertions: timings depend on the machine. Results are recorded in
benchmarks/RESULTS-citations.md.
"""

from __future__ import annotations

import os
import random
import sys
import time
import warnings
from pathlib import Path
from typing import Any

from paperkit.bibliography import load_references, parse_bibtex
from paperkit.diagnostics import Log
from paperkit.model import Block, Cite, CiteItem, Inline, Paper, Paragraph, Section, Text
from paperkit.transforms.cite_traversal import iter_cites
from paperkit.transforms.citations import csl_item, resolve_citations
from paperkit.transforms.csl_styles import resolve_style_path

ROOT = Path(__file__).resolve().parents[1]


def seed_paper() -> Paper:
    """Return a paper citing the seed's four references eight times, in every form."""
    refs = load_references([ROOT / "sources/japan-central-asia/references.bib"], log=Log())
    keys = [r.key for r in refs]
    cites = [Cite([CiteItem(k)], "") for k in keys]
    cites += [Cite([CiteItem(keys[0], locator="3", label="page"), CiteItem(keys[1])], ""),
              Cite([CiteItem(keys[2], mode="author-in-text")], ""),
              Cite([CiteItem(keys[3], mode="suppress-author")], ""),
              Cite([CiteItem(keys[1], prefix=[Text("see")], locator="12", label="page")],
                   "")]
    content = [node for c in cites for node in (Text(" text "), c)]
    return Paper(sections=[Section("S", blocks=[Paragraph(content)])], references=refs)


def big_paper(references: int = 500, citations: int = 2000) -> tuple[Paper, float]:
    """Return a paper with `references` BibTeX entries and `citations` citations."""
    kinds = ["article", "book", "inproceedings", "techreport"]
    bib = "\n".join(
        f"@{kinds[i % 4]}{{k{i},\n  author = {{Author{i}, Anna and B{{\\\"o}}hm, Bert and "
        f"Carl, C.}},\n  title = {{A study of {{NATO}} number {i} -- part {i % 7}}},\n"
        f"  journal = {{Journal {i % 13}}}, booktitle = {{Proc. {i % 11}}},\n"
        f"  institution = {{Inst}}, publisher = {{Pub {i % 5}}}, year = {{{1990 + i % 30}}},\n"
        f"  volume = {{{i % 40}}}, number = {{{i % 4}}}, pages = {{{i}--{i + 9}}},\n"
        f"  doi = {{10.1000/{i}}},\n}}\n" for i in range(references))
    start = time.perf_counter()
    refs = parse_bibtex(bib, file="big.bib", log=Log())
    parse = time.perf_counter() - start
    rng = random.Random(1)
    paragraphs: list[Block] = []
    for _ in range(citations // 4):
        content: list[Inline] = []
        for form in range(4):
            key = f"k{rng.randrange(references)}"
            items = {
                0: [CiteItem(key)],
                1: [CiteItem(key, locator=str(rng.randrange(1, 300)), label="page")],
                2: [CiteItem(key), CiteItem(f"k{rng.randrange(references)}")],
                3: [CiteItem(key, mode="author-in-text")],
            }[form]
            content += [Text(" text "), Cite(items, "")]
        paragraphs.append(Paragraph(content))
    return Paper(sections=[Section("S", blocks=paragraphs)], references=refs), parse


def timed(paper: Paper, style: str) -> tuple[float, float]:
    """Return (wall, CPU) seconds of one citation transform of `paper` in `style`."""
    wall, cpu = time.perf_counter(), time.process_time()
    resolve_citations(paper, style=style, log=Log())
    return time.perf_counter() - wall, time.process_time() - cpu


def citeproc_py_time(paper: Paper, style: str) -> tuple[float, float]:
    """Return (wall, CPU) seconds citeproc-py takes for the paper's citations and list."""
    from citeproc import (Citation, CitationItem, CitationStylesBibliography,
                          CitationStylesStyle, Locator, formatter)
    from citeproc.source.json import CiteProcJSON

    cited = {item.key for cite, _ in iter_cites(paper) for item in cite.items}
    items = []
    for reference in paper.references:
        if reference.key in cited:
            data: dict[str, Any] = csl_item(reference)
            data["id"] = data["id"].lower()
            items.append(data)
    wall, cpu = time.perf_counter(), time.process_time()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        csl = CitationStylesStyle(resolve_style_path(style), validate=False)
        bib = CitationStylesBibliography(csl, CiteProcJSON(items), formatter.plain)
        citations = []
        for cite, _ in iter_cites(paper):
            cites = [CitationItem(i.key.lower(), **({"locator": Locator(i.label or "page",
                                                                      i.locator)}
                                                   if i.locator else {}))
                     for i in cite.items]
            citation = Citation(cites)
            bib.register(citation)
            citations.append(citation)
        bib.sort()
        for citation in citations:
            bib.cite(citation, lambda item: None)
        bib.bibliography()
    return time.perf_counter() - wall, time.process_time() - cpu


def main(argv: list[str]) -> None:
    everywhere = "--citeproc-py-all" in argv
    styles = [a for a in argv if not a.startswith("--")] or \
        ["apa", "ieee", "chicago-author-date", "chicago-notes-bibliography"]
    seed = seed_paper()
    big, parse = big_paper()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"BibTeX: 500 entries parsed in {parse:.2f} s; load average {load:.1f}")
    ours: dict[str, tuple[float, float]] = {}
    for style in styles:
        first, again = timed(seed, style)[0], timed(seed, style)[0]
        print(f"{style:28} seed (4 refs, 8 cites): first {first:.3f} s, again {again:.3f} s")
        timed(big, style)  # warm: the style's per-type layouts are built on first use
        runs = [timed(big, style) for _ in range(3)]
        ours[style] = (min(r[0] for r in runs), min(r[1] for r in runs))
    # citeproc-py last: its objects would slow the garbage collector in later runs
    for style in styles:
        wall, cpu = ours[style]
        line = f"{style:28} 500 refs / 2,000 cites: paperkit {wall:.2f} s (CPU {cpu:.2f} s)"
        if everywhere or style == "apa":
            their_wall, their_cpu = citeproc_py_time(big, style)
            line += f"; citeproc-py {their_wall:.2f} s (CPU {their_cpu:.2f} s), " \
                    f"{their_cpu / cpu:.0f}x"
        print(line)


if __name__ == "__main__":
    main(sys.argv[1:])
