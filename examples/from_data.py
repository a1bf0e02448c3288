"""Generate a paper from data: a CSV becomes a table and a chart, references come from dicts.

Run it from anywhere::

    python examples/from_data.py                 # writes build/trade-brief/paper.pdf, .docx, .tex
    python examples/from_data.py --out /tmp/x    # somewhere else

Nothing here reads Markdown: the paper is made in code with paperkit's model, the chart is
drawn with matplotlib straight into PNG bytes, and the references are CSL-JSON dicts (what
Zotero exports). The numbers are illustrative, not official statistics.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from pathlib import Path
from typing import Any

import paperkit
from paperkit import (Author, Cite, CiteItem, Figure, Limits, Paper, Paragraph, Ref,
                      Reference, Section, Table, Text, WordLimit)

DATA = Path(__file__).with_name("data") / "trade.csv"
COUNTRIES = {"kazakhstan": "Kazakhstan", "uzbekistan": "Uzbekistan",
             "kyrgyzstan": "Kyrgyzstan"}

REFERENCES: list[dict[str, Any]] = [
    {"id": "jetro2024", "type": "report", "author": [{"literal": "JETRO"}],
     "title": "Trade with Central Asia: 2024 survey", "publisher": "Japan External Trade "
     "Organization", "issued": {"date-parts": [[2024, 3]]}},
    {"id": "dadabaev2019", "type": "book",
     "author": [{"family": "Dadabaev", "given": "Timur"}],
     "title": "Japan in Central Asia: Strategies, initiatives, and neighboring powers",
     "publisher": "Palgrave Macmillan", "issued": 2019},
]


def read_rows(path: Path) -> list[dict[str, float]]:
    """Return the CSV rows of `path` with every value a number."""
    with path.open(newline="", encoding="utf-8") as handle:
        return [{key: float(value) for key, value in row.items()}
                for row in csv.DictReader(handle)]


def chart(rows: list[dict[str, float]]) -> bytes:
    """Return a line chart of exports by year as PNG bytes (matplotlib, no display)."""
    import matplotlib

    matplotlib.use("Agg")                     # no window: render into memory
    from matplotlib import pyplot

    figure, axes = pyplot.subplots(figsize=(6, 3.2), dpi=150)
    years = [int(row["year"]) for row in rows]
    for key, name in COUNTRIES.items():
        axes.plot(years, [row[key] for row in rows], marker="o", label=name)
    axes.set_xlabel("Year")
    axes.set_ylabel("US$ million")
    axes.grid(alpha=0.3)
    axes.legend(frameon=False)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    pyplot.close(figure)
    return buffer.getvalue()


def make_paper(rows: list[dict[str, float]]) -> Paper:
    """Return the brief: a summary paragraph, the table, the chart, two references."""
    first, last = rows[0], rows[-1]
    growth = {name: last[key] / first[key] - 1 for key, name in COUNTRIES.items()}
    leader = max(growth, key=lambda name: growth[name])
    years = f"{int(first['year'])}\u2013{int(last['year'])}"
    table = Table.from_records(
        [{"Year": str(int(row["year"])), **{name: row[key] for key, name in COUNTRIES.items()}}
         for row in rows],
        formats={name: "{:,.1f}" for name in COUNTRIES.values()},
        caption=f"Japan's exports by partner, {years} (US$ million)", label="tbl:exports")
    figure = Figure.from_bytes(chart(rows), f"Exports by partner, {years}",
                               alt="Three rising lines, Kazakhstan highest", label="fig:exports")
    summary = Paragraph([
        Text(f"Exports to all three partners grew between {years}; {leader} grew fastest "
             f"({growth[leader]:.0%}). "), Ref("tbl:exports"), Text(" gives the figures and "),
        Ref("fig:exports"), Text(" draws them. The survey data follow "),
        Cite([CiteItem("jetro2024")]), Text("; on the policy behind them, see "),
        Cite([CiteItem("dadabaev2019", mode="author-in-text", locator="45-47",
                       label="page")]), Text("."),
    ])
    return Paper(
        title="Trade Brief: Japan and Central Asia",
        subtitle="Generated from data with paperkit",
        authors=[Author("Research Desk", "Institute for Eurasian Policy")],
        date="2025",
        sections=[
            Section("Summary", blocks=[summary]),
            Section("Data", blocks=[table, figure]),
        ],
        references=[Reference.from_csl(item) for item in REFERENCES],
        limits=Limits(words=WordLimit(max=300)),
        name="trade-brief",
    )


def main(argv: list[str] | None = None) -> int:
    """Build the brief into ``--out`` in every format; print where, and the word count."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="build", help="output folder (default: build)")
    args = parser.parse_args(argv)
    paper = make_paper(read_rows(DATA))
    result = paperkit.build(paper, ("pdf", "docx", "tex"), args.out)
    for diagnostic in result.report.diagnostics:
        print(diagnostic, file=sys.stderr)
    print(f"{paper.name}: {result.report.counts.main_text} words, "
          f"{result.report.citations} citations, exit {result.exit_code}")
    for path in result.paths:
        print(f"  wrote {path}")
    return result.exit_code


if __name__ == "__main__":
    sys.exit(main())
