"""The Pandoc oracle: paperkit's citations and reference lists against ``pandoc --citeproc``.

The corpus (tests/data/bib/corpus.bib, 167 entries of every BibTeX/BibLaTeX type) is cited
in every form in one Markdown file; both programs format it with the same .csl file and
every reference-list entry and citation is compared as plain text (see tests/oracle.py).
The floors below are the rates reached when this test was written: a change that makes
paperkit agree with pandoc less often fails here. ``python benchmarks/oracle.py`` writes
benchmarks/ORACLE.md with every remaining difference and its cause.

Needs pandoc (the pypandoc-binary test extra); skipped without it, failed without it under
``PAPERKIT_REQUIRE_TOOLS=1``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import oracle

# style: (share of identical reference-list entries, share of identical citations)
FLOORS: dict[str, tuple[float, float]] = {
    "apa": (0.957, 0.982),
    "chicago-author-date": (0.945, 0.992),
    "chicago-note-bibliography": (0.944, 0.961),
    "ieee": (0.964, 0.99),
    "harvard-cite-them-right": (0.97, 1.0),
    "modern-language-association": (0.951, 0.994),
    "vancouver": (0.964, 0.99),
}


@pytest.fixture(scope="module")
def pandoc() -> str:
    """Return pandoc's path (pypandoc-binary's); skip, or fail under REQUIRE_TOOLS."""
    path = oracle.pandoc_path()
    if path is None:
        message = "pandoc is not installed (pip install pypandoc-binary, the test extra)"
        if os.environ.get("PAPERKIT_REQUIRE_TOOLS") == "1":
            pytest.fail(f"PAPERKIT_REQUIRE_TOOLS=1 but {message}")
        pytest.skip(message)
    return path


def test_floors_cover_the_issue_styles() -> None:
    assert set(FLOORS) == set(oracle.STYLES)


@pytest.mark.parametrize("style", list(oracle.STYLES))
def test_paperkit_matches_pandoc(style: str, pandoc: str, tmp_path: Path) -> None:
    result = oracle.compare_style(style, pandoc=pandoc, workdir=tmp_path)
    # the corpus really is compared: every key has an entry (a note style may omit a few),
    # every citation was found by both programs in the same order
    assert result.entries >= 160
    assert result.cites == len(oracle.corpus_markdown(
        oracle.corpus_keys(oracle.CORPUS.read_text(encoding="utf-8")), "x").split("\n\n")) - 1
    entry_floor, cite_floor = FLOORS[style]
    worst = "\n".join(f"{d.kind} {d.ident}:\n  pandoc:   {d.pandoc}\n  paperkit: {d.paperkit}"
                      for d in result.differences[:5])
    assert result.entry_rate >= entry_floor, \
        f"{style}: {result.entries_same}/{result.entries} entries as pandoc\n{worst}"
    assert result.cite_rate >= cite_floor, \
        f"{style}: {result.cites_same}/{result.cites} citations as pandoc\n{worst}"


def test_paperkit_reads_the_bib_as_pandoc_does(pandoc: str) -> None:
    """Every CSL variable paperkit reads from the corpus equals pandoc's reading, except the
    documented decisions ("reading" entries of tests/data/bib/oracle-known.json)."""
    entries, differences = oracle.compare_readings(oracle.CORPUS, pandoc=pandoc)
    assert entries == 167
    documented = {(e["key"]) for e in oracle.known_differences() if e.get("reading")}
    undocumented = [f"{d.key} {d.variable}: pandoc {d.pandoc!r}, paperkit {d.paperkit!r}"
                    for d in differences if d.key not in documented]
    assert not undocumented, "\n".join(undocumented)
    # and each documented decision still is one (no stale documentation)
    assert {d.key for d in differences} == documented


def test_known_differences_are_documented() -> None:
    known = oracle.known_differences()
    assert known
    for entry in known:
        assert entry["id"] and entry["side"] in ("engine", "input", "pandoc") and entry["why"]


def test_fragments_locate_the_difference() -> None:
    assert oracle.fragments("Weber (Eds.).", "Weber (eds.).") == [("Eds", "eds")]
    assert oracle.fragments("2020 May 17", "2020May17") == [(" ", ""), (" ", "")]
    assert oracle.fragments("same", "same") == []


def test_marked_formatting_counts_once_per_run() -> None:
    # nested and adjacent runs of one kind print alike; a space at a run's edge is outside
    assert oracle.marked("<i>Review of <i>The Hell</i></i>") == "<i>Review of The Hell</i>"
    assert oracle.marked("<i>a </i><i>b</i> c") == "<i>a b</i> c"
    assert oracle.marked("<i>a </i>b") == oracle.marked("<i>a</i> b")
    # but italics are not roman
    assert oracle.marked("<i>Title</i>") != oracle.marked("Title")
    assert oracle.unmarked("<i>A</i>, <sc>b</sc>") == "A, b"


def test_normalise_folds_spaces_and_composes() -> None:
    assert oracle.normalise(" p.\u00a033\u2009x \n y ") == "p. 33 x y"
    assert oracle.normalise("Garc\u0131\u0301a") == "García"
