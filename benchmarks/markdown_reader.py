"""Time the Markdown body reader on a 100,000-word paper with 2,000 citations.

Run: ``python benchmarks/markdown_reader.py``. The paper is the seed paper's prose
(sources/japan-central-asia) repeated, with citations of every form at sentence ends, a
footnote, a list and a table now and then. Prints words, citations and the best of five
timings, split into markdown-it's parse and the conversion to the model.
"""

from __future__ import annotations

import random
import re
import time
from pathlib import Path

from paperkit.diagnostics import Log
from paperkit.readers.markdown import _Reader, _parser, read_body
from paperkit.readers.markdown_structure import build_sections
from paperkit.walk import iter_inlines, iter_sections

ROOT = Path(__file__).resolve().parents[1]
FORMS = ("[@{k}]", "[see @{k}, p. {n}]", "@{k} [chap. {n}]", "[@{k}; @{j}, pp. {n}-{m}]",
         "@{k}", "[-@{k}]")


def build_paper(words: int = 100_000, cites: int = 2_000, seed: int = 7) -> str:
    """Return Markdown of about `words` words with exactly `cites` citation keys."""
    rng = random.Random(seed)
    source = (ROOT / "sources" / "japan-central-asia" / "paper.md").read_text(encoding="utf-8")
    body = source.split("\n---\n", 1)[1]
    sentences = [s for p in body.split("\n\n") if p and not p.startswith("#")
                 for s in re.split(r"(?<=\.) ", p.strip())]
    per_cite = max(1, words // cites)
    out: list[str] = []
    paragraph: list[str] = []
    count = cited = index = 0
    while count < words:
        sentence = sentences[index % len(sentences)]
        index += 1
        count += len(sentence.split())
        if cited < cites and count >= (cited + 1) * per_cite:
            form = FORMS[cited % len(FORMS)]
            keys = 2 if "{j}" in form else 1
            if cited + keys > cites:
                form, keys = "[@{k}]", 1
            n = rng.randint(1, 300)
            cite = form.format(k=f"key{rng.randint(1, 400)}", j=f"key{rng.randint(1, 400)}",
                               n=n, m=n + 4)
            sentence = sentence[:-1] + " " + cite + "." if sentence.endswith(".") else \
                sentence + " " + cite
            cited += keys
        paragraph.append(sentence)
        if len(paragraph) == 5:
            out.append("\n".join(paragraph))
            paragraph = []
            if len(out) % 15 == 0:
                out.append(f"{'#' * (1 + len(out) % 3)} Section {len(out)}")
            if len(out) % 40 == 0:
                out.append("- first point\n- second point, with *emphasis*\n  - nested")
            if len(out) % 60 == 0:
                out.append("| State | Capital |\n|:--|--:|\n| Kazakhstan | Astana |\n\n"
                           f"Table: States {{#tbl:t{len(out)}}}")
    out.append("\n".join(paragraph))
    return "\n\n".join(out)


def best(run, times: int = 5) -> float:
    """Return the fastest of `times` runs of `run`, in seconds."""
    timings = []
    for _ in range(times):
        start = time.perf_counter()
        run()
        timings.append(time.perf_counter() - start)
    return min(timings)


def main() -> None:
    text = build_paper()
    blocks, sections = read_body(text, file="bench.md", first_line=1, log=Log())
    every = list(blocks) + [b for s in iter_sections(sections) for b in s.blocks]
    from paperkit.model import Cite
    from paperkit.walk import block_inlines

    cites = [n for b in every for inl in block_inlines(b) for n in iter_inlines(inl)
             if isinstance(n, Cite)]
    keys = sum(len(c.items) for c in cites)
    md = _parser()
    parse = best(lambda: md.parse(text, {}))

    def convert() -> None:
        env: dict = {}
        tokens = md.parse(text, env)
        start = time.perf_counter()
        reader = _Reader(text, "bench.md", 1, Log(), tokens=tokens, env=env)
        build_sections(reader.top_items(), Log())
        timings.append(time.perf_counter() - start)

    timings: list[float] = []
    for _ in range(5):
        convert()
    total = best(lambda: read_body(text, file="bench.md", first_line=1, log=Log()))
    print(f"{len(text.split()):,} words, {len(text):,} characters, {len(cites):,} citations "
          f"({keys:,} keys)")
    print(f"read_body: {total:.3f} s (markdown-it parse {parse:.3f} s, "
          f"model conversion {min(timings):.3f} s), best of 5")


if __name__ == "__main__":
    main()
