"""Run the CSL processor test suite with paperkit's engine and, beside it, with citeproc-py.

``python benchmarks/csl_suite.py [--citeproc-py]`` prints the pass rate per category for
paperkit's engine (:mod:`paperkit.csl`) and, with ``--citeproc-py``, for citeproc-py 0.11
run on the same fixtures through the same runner (its HTML formatter made to print what
citeproc-js prints: ``&#38;`` escapes, small caps spans). Fixtures are read from
``../shared/csl-test-suite`` (or env PAPERKIT_CSL_SUITE); see ``tests/csl_suite.py``.
"""

from __future__ import annotations

import io
import json
import sys
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from tests import csl_suite  # noqa: E402  (this script is called csl_suite.py too)


def _citeproc_py_formatter() -> Any:
    from citeproc.formatter import html

    def escape(text: object) -> str:
        return str(text).replace("&", "&#38;").replace("<", "&#60;").replace(">", "&#62;")

    names = {name: getattr(html, name) for name in dir(html) if not name.startswith("_")}
    names["preformat"] = escape
    return SimpleNamespace(**names)


def run_citeproc_py(fixture: csl_suite.Fixture) -> str:
    """Return citeproc-py's output for `fixture` in the suite's format."""
    from citeproc import (Citation, CitationItem, CitationStylesBibliography,
                          CitationStylesStyle, Locator)
    from citeproc.source.json import CiteProcJSON

    style = CitationStylesStyle(io.BytesIO(fixture.csl.encode("utf-8")), validate=False)
    source = CiteProcJSON(json.loads(json.dumps(fixture.input)))
    bib = CitationStylesBibliography(style, source, _citeproc_py_formatter())
    raw = fixture.citation_items
    if fixture.citations is not None:
        raw = [[i for i in entry[0]["citationItems"]] for entry in fixture.citations]
    if raw is None:
        raw = [[{"id": i["id"]} for i in fixture.input]] if fixture.mode == "citation" \
            else [[{"id": i["id"]}] for i in fixture.input]
    citations = []
    for items in raw:
        cites = []
        for item in items:
            kwargs: dict[str, Any] = {}
            if item.get("locator"):
                kwargs["locator"] = Locator(item.get("label") or "page", str(item["locator"]))
            if item.get("prefix"):
                kwargs["prefix"] = item["prefix"]
            if item.get("suffix"):
                kwargs["suffix"] = item["suffix"]
            cites.append(CitationItem(str(item["id"]).lower(), **kwargs))
        citation = Citation(cites)
        bib.register(citation)
        citations.append(citation)
    if fixture.mode == "bibliography":
        bib.sort()
        lines = ['<div class="csl-bib-body">']
        lines += [f'  <div class="csl-entry">{"".join(str(e) for e in entry)}</div>'
                  for entry in bib.bibliography()]
        lines.append("</div>")
        return "\n".join(lines)
    return "\n".join(str(bib.cite(c, lambda item: None)) for c in citations)


def main(argv: list[str]) -> int:
    root = csl_suite.suite_dir()
    if root is None:
        print("CSL test suite not found (set PAPERKIT_CSL_SUITE)")
        return 2
    fixtures = csl_suite.load_fixtures(root)
    start = time.perf_counter()
    ours = csl_suite.rates(csl_suite.run_suite(fixtures))
    ours_time = time.perf_counter() - start
    theirs: dict[str, tuple[int, int]] = {}
    theirs_time = 0.0
    if "--citeproc-py" in argv:
        start = time.perf_counter()
        theirs = csl_suite.rates(csl_suite.run_suite(fixtures, run_citeproc_py))
        theirs_time = time.perf_counter() - start
    print(f"{'category':15} {'paperkit':>14} {'citeproc-py':>14}")
    for cat, (ok, n) in ours.items():
        other = theirs.get(cat)
        extra = f"{other[0]:4}/{other[1]:<4} {100 * other[0] / other[1]:3.0f}%" if other else ""
        print(f"{cat:15} {ok:4}/{n:<4} {100 * ok / n:3.0f}%  {extra}")
    print(f"time: paperkit {ours_time:.1f} s" +
          (f", citeproc-py {theirs_time:.1f} s" if theirs else ""))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
