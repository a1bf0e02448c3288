"""Where one build's time goes: ``python benchmarks/stages.py PAPER_FOLDER OUT_DIR``.

Runs the pipeline's stages one after another in this fresh process and prints one JSON
object: for each stage its wall and CPU seconds (a stage includes importing what it is
the first to need, as in a real ``paperkit build``):

read (paper.md, references.bib, the template), transforms (numbering, cross-references),
citations (the CSL engine), checks (citations, word counts, images), one entry per writer
(run serially here; ``paperkit build`` runs them side by side), write (the atomic output).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

_CLOCKS: dict[str, list[float]] = {}


class stage:
    """Time the block under `name` (wall and CPU)."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __enter__(self) -> None:
        self.wall, self.cpu = time.perf_counter(), time.process_time()

    def __exit__(self, *exc: object) -> None:
        _CLOCKS[self.name] = [time.perf_counter() - self.wall, time.process_time() - self.cpu]


def main(argv: list[str]) -> int:
    source, out = Path(argv[0]), Path(argv[1])
    start_wall, start_cpu = time.perf_counter(), time.process_time()
    with stage("read"):
        from paperkit import memo
        from paperkit.diagnostics import Log
        from paperkit.options import BuildOptions
        from paperkit.readers import load

        paper = load(source)
        options = BuildOptions.from_env()
        template = memo.template(paper.template or "article", base_dir=Path(paper.source_dir))
    log = Log()
    with stage("transforms"):
        from paperkit.transforms.numbering import number_paper

        numbered = number_paper(paper, log=log)
    with stage("citations"):
        from paperkit.transforms.citations import resolve_citations

        resolved = resolve_citations(numbered, style=paper.csl or template.citation_style,
                                     log=log)
    with stage("checks"):
        from paperkit.checks import run_checks
        from paperkit.checks.words import count_paper
        from paperkit.resources import check_images

        run_checks(resolved)
        count_paper(resolved)
        resolved = check_images(resolved, options.allow_outside)
    outputs: dict[str, bytes] = {}
    for fmt in options.formats:
        with stage(fmt):
            from paperkit.writers.processes import write_one

            outputs.update(write_one(fmt, resolved, template, options, Log()))
    with stage("write"):
        from paperkit.output import write_outputs

        write_outputs(out / resolved.name, outputs)
    _CLOCKS["total"] = [time.perf_counter() - start_wall, time.process_time() - start_cpu]
    print(json.dumps({name: [round(v, 4) for v in values] for name, values in _CLOCKS.items()}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
