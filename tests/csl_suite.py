"""The CSL processor test suite: fixture parser, runner and report (usable from a script).

The fixtures (``processor-tests/humans/*.txt`` of github.com/citation-style-language/
test-suite) live outside the repository, in ``../shared/csl-test-suite`` beside it, or
where env ``PAPERKIT_CSL_SUITE`` points. Each fixture holds sections delimited by
``>>===== NAME =====>>`` / ``<<===== NAME =====<<``: MODE (citation or bibliography),
RESULT (HTML-ish), CSL, INPUT (CSL-JSON items) and optionally CITATION-ITEMS (a list of
citations, each a list of cites) or CITATIONS (citeproc-js's interactive calls:
[citation, citations before, citations after]).

How a fixture is run through paperkit's engine (:mod:`paperkit.csl`):

- citation mode: CITATIONS are replayed in their final document order (a later call with
  the same citationID replaces the earlier citation) and every citation is printed, one
  a line; the ``..[0]`` / ``>>[1]`` markers of the expected result (which citations an
  interactive processor re-rendered on the last call) are removed before comparing.
  CITATION-ITEMS are citations in order (note i+1); without either, all INPUT items form
  one citation;
- bibliography mode: the works cited (all INPUT items, each alone, when there are no
  citations) are listed as citeproc-js prints them (``<div class="csl-bib-body">``).

Results are compared exactly, after removing trailing white space.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["suite_dir", "Fixture", "parse_fixture", "load_fixtures", "run_fixture",
           "expected_output", "Outcome", "run_suite", "rates", "report_markdown"]

SUITE_ENV = "PAPERKIT_CSL_SUITE"
_SECTION = re.compile(r">>=+ ([A-Z0-9-]+) =+>>\n(.*?)\n?<<=+ \1 =+<<", re.S)
_MARKER = re.compile(r"^(?:\.\.|>>)\[\d+\] ", re.M)


def suite_dir() -> Path | None:
    """Return the test suite's folder (env PAPERKIT_CSL_SUITE, else ../shared beside the
    repository), or None when it is not there."""
    env = os.environ.get(SUITE_ENV)
    candidates = [Path(env)] if env else []
    candidates.append(Path(__file__).resolve().parents[1].parent / "shared" / "csl-test-suite")
    for candidate in candidates:
        if (candidate / "processor-tests" / "humans").is_dir():
            return candidate
    return None


@dataclass
class Fixture:
    """One test of the suite."""

    name: str
    category: str
    mode: str
    result: str
    csl: str
    input: list[dict[str, Any]]
    citation_items: list[list[dict[str, Any]]] | None = None
    citations: list[Any] | None = None


def parse_fixture(path: Path) -> Fixture:
    """Return the fixture in `path`."""
    text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    sections = {name: body for name, body in _SECTION.findall(text)}
    name = path.stem
    items = json.loads(sections["CITATION-ITEMS"]) if "CITATION-ITEMS" in sections else None
    citations = json.loads(sections["CITATIONS"]) if "CITATIONS" in sections else None
    return Fixture(name=name, category=name.split("_", 1)[0],
                   mode=sections.get("MODE", "").strip(), result=sections.get("RESULT", ""),
                   csl=sections.get("CSL", ""), input=_with_ids(json.loads(sections.get("INPUT", "[]"))),
                   citation_items=items, citations=citations)


def _with_ids(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return `items` with an id each (citeproc-js's runner numbers items without one)."""
    return [item if "id" in item else {**item, "id": f"ITEM-{index}"}
            for index, item in enumerate(items, 1)]


def load_fixtures(root: Path) -> list[Fixture]:
    """Return every fixture of the suite at `root`, by name."""
    folder = root / "processor-tests" / "humans"
    return [parse_fixture(p) for p in sorted(folder.glob("*.txt"))]


def expected_output(fixture: Fixture) -> str:
    """Return the result the fixture expects, normalised as actual output is."""
    expected = fixture.result
    if fixture.citations is not None:
        expected = _MARKER.sub("", expected)
    return _normalise(expected)


def _normalise(text: str) -> str:
    text = "\n".join(line.rstrip() for line in text.strip("\n").split("\n")).rstrip()
    if text.startswith('<div class="csl-bib-body">'):
        # the line breaks and indentation between a bibliography's divs are layout (a few
        # fixtures indent a closing tag by three spaces, or put blank lines between blocks)
        text = _BETWEEN_TAGS.sub(">\n<", text)
    return text


_BETWEEN_TAGS = re.compile(r">[ \t]*\n\s*<")


def _cite(data: dict[str, Any]) -> Any:
    from paperkit.csl import CiteInput

    mode = "normal"
    if data.get("suppress-author"):
        mode = "suppress-author"
    elif data.get("author-only"):
        mode = "author-only"
    position = data.get("position")
    return CiteInput(str(data["id"]), locator=_str(data.get("locator")),
                     label=data.get("label") if data.get("locator") not in (None, "")
                     else None, prefix=data.get("prefix") or "",
                     suffix=data.get("suffix") or "", mode=mode,
                     position=None if position is None else str(position))


def _str(value: Any) -> str | None:
    if value is None or value == "":
        return None
    return str(value)


def fixture_citations(fixture: Fixture) -> list[Any] | None:
    """Return the fixture's citations as engine input (None when it has none)."""
    from paperkit.csl import CitationInput

    if fixture.citations is not None:
        order: list[str] = []
        by_id: dict[str, Any] = {}
        for entry in fixture.citations:
            citation, before, after = entry[0], entry[1], entry[2]
            cid = citation.get("citationID") or f"anon-{len(by_id)}"
            note = (citation.get("properties") or {}).get("noteIndex")
            by_id[cid] = CitationInput([_cite(i) for i in citation["citationItems"]],
                                       note=note)
            # the calls also renumber the notes of the citations around this one
            for other, other_note in list(before) + list(after):
                if other in by_id:
                    by_id[other].note = other_note
            order = [b[0] for b in before] + [cid] + [a[0] for a in after]
            order = [o for o in order if o in by_id]
        return [by_id[cid] for cid in order]
    if fixture.citation_items is not None:
        return [CitationInput([_cite(i) for i in items], note=None)
                for items in fixture.citation_items]
    return None


def run_fixture(fixture: Fixture) -> str:
    """Return what paperkit's engine prints for `fixture` (normalised)."""
    from paperkit.csl import (CitationInput, CiteInput, render_bibliography_html,
                              render_citations_html)

    citations = fixture_citations(fixture)
    if fixture.mode == "bibliography":
        entries = render_bibliography_html(fixture.csl, fixture.input, citations)
        lines = ['<div class="csl-bib-body">']
        for entry in entries:
            if entry.startswith("<div"):
                lines.append(f'  <div class="csl-entry">\n    {entry}\n  </div>')
            elif entry.endswith("</div>"):
                lines.append(f'  <div class="csl-entry">{entry}\n  </div>')
            else:
                lines.append(f'  <div class="csl-entry">{entry}</div>')
        lines.append("</div>")
        return _normalise("\n".join(lines))
    if citations is None:
        ids = list(dict.fromkeys(str(i["id"]) for i in fixture.input))
        citations = [CitationInput([CiteInput(i) for i in ids])]
    return _normalise("\n".join(render_citations_html(fixture.csl, fixture.input,
                                                       citations)))


@dataclass
class Outcome:
    """How one fixture went."""

    name: str
    category: str
    passed: bool
    expected: str
    actual: str
    error: str = ""


def run_suite(fixtures: Iterable[Fixture],
              runner: Callable[[Fixture], str] = run_fixture) -> list[Outcome]:
    """Run every fixture; an exception counts as a failure (its message kept)."""
    outcomes = []
    for fixture in fixtures:
        expected = expected_output(fixture)
        try:
            actual = runner(fixture)
            error = ""
        except Exception as exc:  # noqa: BLE001 - a crash is a failed fixture, reported
            actual, error = "", f"{type(exc).__name__}: {exc}"
        outcomes.append(Outcome(fixture.name, fixture.category, actual == expected,
                                expected, actual, error))
    return outcomes


def rates(outcomes: list[Outcome]) -> dict[str, tuple[int, int]]:
    """Return (passed, total) per category, and for "(all)"."""
    total: Counter[str] = Counter()
    passed: Counter[str] = Counter()
    for outcome in outcomes:
        total[outcome.category] += 1
        passed[outcome.category] += outcome.passed
    out = {cat: (passed[cat], total[cat]) for cat in sorted(total)}
    out["(all)"] = (sum(passed.values()), sum(total.values()))
    return out


def report_markdown(outcomes: list[Outcome], *, seconds: float,
                    baseline: dict[str, tuple[int, int]] | None = None) -> str:
    """Return the pass-rate report (benchmarks/CSL-SUITE.md)."""
    table = rates(outcomes)
    lines = ["# CSL processor test suite: paperkit's engine", "",
             f"{table['(all)'][0]} of {table['(all)'][1]} fixtures pass "
             f"({100 * table['(all)'][0] / max(1, table['(all)'][1]):.1f}%), "
             f"run in {seconds:.1f} s. Written by tests/test_csl_suite.py "
             "(fixtures: ../shared/csl-test-suite, processor-tests/humans). Output and "
             "expected result are compared exactly, except trailing spaces at line ends and, "
             "in bibliographies, the line breaks and indentation between the divs.", "",
             "| category | passed | total | rate |" +
             (" citeproc-py |" if baseline else ""),
             "|---|---:|---:|---:|" + ("---:|" if baseline else "")]
    for cat, (ok, n) in table.items():
        row = f"| {cat} | {ok} | {n} | {100 * ok / n:.0f}% |"
        if baseline:
            b_ok, b_n = baseline.get(cat, (0, n))
            row += f" {100 * b_ok / max(1, b_n):.0f}% |"
        lines.append(row)
    failed = [o.name for o in outcomes if not o.passed]
    lines += ["", f"## Failing fixtures ({len(failed)})", ""]
    lines += [", ".join(failed)] if failed else ["none"]
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    """Run the suite (or the fixtures whose names contain an argument) and print failures."""
    root = suite_dir()
    if root is None:
        print("CSL test suite not found (set PAPERKIT_CSL_SUITE)")
        return 2
    fixtures = [f for f in load_fixtures(root)
                if not argv or any(a.lower() in f.name.lower() for a in argv)]
    start = time.perf_counter()
    outcomes = run_suite(fixtures)
    seconds = time.perf_counter() - start
    verbose = bool(argv) and len(fixtures) <= 30
    for outcome in outcomes:
        if not outcome.passed:
            print(f"FAIL {outcome.name} {outcome.error}")
            if verbose:
                print("  expected:\n    " + outcome.expected.replace("\n", "\n    "))
                print("  actual:\n    " + outcome.actual.replace("\n", "\n    "))
    for cat, (ok, n) in rates(outcomes).items():
        print(f"{cat:15} {ok:4}/{n:<4} {100 * ok / n:5.1f}%")
    print(f"{seconds:.1f} s")
    return 0


if __name__ == "__main__":
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    raise SystemExit(main(sys.argv[1:]))
