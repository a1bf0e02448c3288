"""Time the citation transform: the seed's 4 references, and 500 references / 2,000 citations.

Run ``python benchmarks/citations.py [style ...]`` (default: apa ieee chicago-author-date
chicago-notes-bibliography). Prints the BibTeX parse time, the first call (which parses the
style) and a second call (style cached), for each style. No assertions: timings depend on
the machine.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

from paperkit.bibliography import load_references, parse_bibtex
from paperkit.diagnostics import Log
from paperkit.model import Cite, CiteItem, Paper, Paragraph, Section, Text
from paperkit.transforms.citations import resolve_citations

ROOT = Path(__file__).resolve().parents[1]


def seed_paper() -> Paper:
    """Return a paper citing the seed's four references eight times, in every form."""
    refs = load_references([ROOT / "sources/japan-central-asia/references.bib"], log=Log())
    keys = [r.key for r in refs]
    cites = [Cite([CiteItem(k)], "") for k in keys]
    cites += [Cite([CiteItem(keys[0], locator="3", label="page"), CiteItem(keys[1])], ""),
              Cite([CiteItem(keys[2], mode="author-in-text")], ""),
              Cite([CiteItem(keys[3], mode="suppress-author")], ""),
              Cite([CiteItem(keys[1], prefix="see", locator="12", label="page")], "")]
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
    paragraphs = []
    for _ in range(citations // 4):
        content: list = []
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


def timed(paper: Paper, style: str) -> float:
    start = time.perf_counter()
    resolve_citations(paper, style=style, log=Log())
    return time.perf_counter() - start


def main(styles: list[str]) -> None:
    seed = seed_paper()
    big, parse = big_paper()
    print(f"BibTeX: 500 entries parsed in {parse:.2f} s")
    for style in styles:
        first, second = timed(seed, style), timed(seed, style)
        print(f"{style:28} seed (4 refs, 8 cites): first {first:.3f} s, again {second:.3f} s")
        print(f"{'':28} 500 refs / 2,000 cites: {timed(big, style):.2f} s")


if __name__ == "__main__":
    main(sys.argv[1:] or ["apa", "ieee", "chicago-author-date", "chicago-notes-bibliography"])
