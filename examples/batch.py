"""Build several papers at once and print a summary table, as a script would in CI.

    python examples/batch.py                         # every paper under sources/, plus the
                                                     # data brief of from_data.py
    python examples/batch.py sources/feature-tour --out /tmp/x --jobs 2 --template policy-brief

Each paper is built in its own process (``--jobs`` at a time); one paper's failure (an
InputError for a broken source) is reported in its row and does not stop the others. The
exit status is the worst paper's, like ``paperkit build``'s.
"""

from __future__ import annotations

import argparse
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import paperkit

HERE = Path(__file__).resolve().parent
SOURCES = HERE.parent / "sources"
GENERATED = "<from_data.py>"


@dataclass(frozen=True)
class Row:
    """One paper's line of the summary."""

    paper: str
    words: str
    citations: str
    warnings: int
    errors: int
    seconds: float
    status: int
    note: str = ""


def limit_text(words: int, bounds: tuple[int | None, int | None] | None) -> str:
    """Return ``"780 / 1,350-1,650"``: the main-text count against its limit, if any."""
    if bounds is None:
        return f"{words:,}"
    low, high = bounds
    if low is not None and high is not None:
        return f"{words:,} / {low:,}-{high:,}"
    return f"{words:,} / " + (f"max {high:,}" if high is not None else f"min {low:,}")


def build_one(source: str, out: str, template: str | None) -> Row:
    """Build `source` (a paper folder, or GENERATED) into `out`; return its summary row."""
    started = time.perf_counter()
    try:
        if source == GENERATED:
            sys.path.insert(0, str(HERE))
            from from_data import DATA, make_paper, read_rows

            paper = make_paper(read_rows(DATA))
        else:
            paper = paperkit.load(source)
        # one process a paper already: the writers of each paper run one after another
        result = paperkit.build(paper, out=out, template=template, processes=1)
    except paperkit.PaperkitError as error:
        return Row(Path(source).name, "-", "-", 0, 1, time.perf_counter() - started, 2,
                   str(error))
    report = result.report
    return Row(report.paper, limit_text(report.counts.main_text,
                                        report.counts.limits.get("main_text")),
               f"{report.citations} ({report.cited}/{report.references})",
               len(report.warnings), len(report.errors), time.perf_counter() - started,
               result.exit_code)


def table(rows: list[Row]) -> str:
    """Return `rows` as a plain-text table with a header line."""
    header = ("paper", "words / limit", "citations (cited/refs)", "warnings", "errors", "time",
              "exit")
    cells = [header] + [(r.paper, r.words, r.citations, str(r.warnings), str(r.errors),
                         f"{r.seconds:.1f}s", str(r.status)) for r in rows]
    widths = [max(len(line[i]) for line in cells) for i in range(len(header))]
    lines = ["  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                       for i, (c, w) in enumerate(zip(line, widths))) for line in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    notes = [f"{r.paper}: {r.note}" for r in rows if r.note]
    return "\n".join(lines + notes)


def main(argv: list[str] | None = None) -> int:
    """Build every paper named (default: all under sources/ and the data brief)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sources", nargs="*", help="paper folders or .md files")
    parser.add_argument("--out", default="build", help="output folder (default: build)")
    parser.add_argument("--jobs", "-j", type=int, default=2, help="papers at a time")
    parser.add_argument("--template", help="a template for every paper")
    args = parser.parse_args(argv)
    sources = args.sources or [str(p.parent) for p in sorted(SOURCES.glob("*/paper.md"))] \
        + [GENERATED]
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        rows = list(pool.map(build_one, sources, [args.out] * len(sources),
                             [args.template] * len(sources)))
    print(table(rows))
    print(f"{len(rows)} papers in {time.perf_counter() - started:.1f}s -> {args.out}")
    return max((r.status for r in rows), default=0)


if __name__ == "__main__":
    sys.exit(main())
