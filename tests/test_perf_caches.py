"""What a second build in the same process reuses, and that an edit is never missed.

Correctness only (no timing): a rebuild after editing the .bib, the template or a template
file gives what a fresh process gives; an unchanged rebuild gives the same bytes and
diagnostics as the first build.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from paperkit import memo
from paperkit.pipeline import build, check
from paperkit.writers import processes

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "sources" / "japan-central-asia"

PAPER = """---
title: Cache test
template: ./tpl
nocite: "@*"
---

# Intro

Text citing [@one].
"""

BIB = """@book{one,
  author = {Tanaka, Aiko},
  title = {First Title},
  publisher = {Routledge},
  year = {2001}
}
"""


@pytest.fixture
def paper(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "cachepaper"
    folder.mkdir()
    (folder / "paper.md").write_text(PAPER, encoding="utf-8")
    (folder / "references.bib").write_text(BIB, encoding="utf-8")
    template = folder / "tpl"
    template.mkdir()
    (template / "template.yaml").write_text('extends: article\nreferences:\n  title: "Worksxyz"\n',
                                            encoding="utf-8")
    memo.clear()
    yield folder
    memo.clear()


def _touch_later(path: Path, text: str) -> None:
    """Rewrite `path` so that its modification time surely differs from before."""
    before = path.stat().st_mtime_ns
    path.write_text(text, encoding="utf-8")
    if path.stat().st_mtime_ns == before:
        os.utime(path, ns=(before + 1_000_000, before + 1_000_000))


def _tex(out: Path, folder: Path) -> str:
    """Return the built paper.tex in lower case (APA sets titles in sentence case)."""
    return (out / folder.name / "paper.tex").read_text(encoding="utf-8").lower()


def test_an_edited_bib_is_read_again(paper: Path, tmp_path: Path) -> None:
    first = build(paper, ["tex"], tmp_path / "a")
    assert "first title" in _tex(tmp_path / "a", paper)
    _touch_later(paper / "references.bib", BIB.replace("First Title", "Second Title"))
    build(paper, ["tex"], tmp_path / "b")
    tex = _tex(tmp_path / "b", paper)
    assert "second title" in tex and "first title" not in tex
    assert first.report.references == 1


def test_same_size_same_mtime_edit_is_caught_by_the_hash(paper: Path, tmp_path: Path) -> None:
    bib = paper / "references.bib"
    build(paper, ["tex"], tmp_path / "a")
    stat = bib.stat()
    bib.write_text(BIB.replace("First", "Fifth"), encoding="utf-8")     # same length
    os.utime(bib, ns=(stat.st_atime_ns, stat.st_mtime_ns))              # same mtime
    build(paper, ["tex"], tmp_path / "b")
    assert "fifth title" in _tex(tmp_path / "b", paper)


def test_bib_diagnostics_are_reported_again_on_reuse(paper: Path) -> None:
    (paper / "references.bib").write_text(BIB + BIB, encoding="utf-8")   # duplicate key
    first = check(paper)
    second = check(paper)
    codes = [d.code for d in first.diagnostics]
    assert "PK203" in codes
    assert [(d.code, d.pos, d.message) for d in second.diagnostics] == \
        [(d.code, d.pos, d.message) for d in first.diagnostics]


def test_an_edited_template_is_loaded_again(paper: Path, tmp_path: Path) -> None:
    build(paper, ["tex"], tmp_path / "a")
    assert "worksxyz" in _tex(tmp_path / "a", paper)
    _touch_later(paper / "tpl" / "template.yaml",
                 'extends: article\nreferences:\n  title: "Sourcesxyz"\n')
    build(paper, ["tex"], tmp_path / "b")
    tex = _tex(tmp_path / "b", paper)
    assert "sourcesxyz" in tex and "worksxyz" not in tex


def test_a_file_added_to_the_template_folder_is_used(paper: Path, tmp_path: Path) -> None:
    build(paper, ["tex"], tmp_path / "a")
    shipped = ROOT / "templates" / "article" / "latex.tex.j2"
    own = shipped.read_text(encoding="utf-8").replace("\\begin{document}",
                                                       "% own template file\n\\begin{document}")
    assert own != shipped.read_text(encoding="utf-8")
    (paper / "tpl" / "latex.tex.j2").write_text(own, encoding="utf-8")
    shutil.copy(ROOT / "templates" / "article" / "title.tex.j2", paper / "tpl")
    shutil.copy(ROOT / "templates" / "article" / "bibliography.tex.j2", paper / "tpl")
    build(paper, ["tex"], tmp_path / "b")
    assert "% own template file" in _tex(tmp_path / "b", paper)


def test_an_unchanged_rebuild_gives_the_same_bytes(tmp_path: Path) -> None:
    memo.clear()
    results = []
    for run in range(3):        # cold, warm-up (serial), warm (forked from a warm parent)
        out = tmp_path / str(run)
        result = build(SEED, out=out)
        assert result.written
        files = {p.name: p.read_bytes() for p in sorted((out / SEED.name).iterdir())}
        results.append((files, [(d.code, d.pos, d.message) for d in result.report.diagnostics]))
    assert results[0] == results[1] == results[2]
    assert {"pdf", "docx", "tex"} <= processes._WRITTEN_HERE


def test_the_template_cache_keeps_one_object_while_nothing_changes(paper: Path) -> None:
    first = memo.template("./tpl", base_dir=paper)
    assert memo.template("./tpl", base_dir=paper) is first
    time.sleep(0.01)
    _touch_later(paper / "tpl" / "template.yaml",
                 'extends: article\nreferences:\n  title: "Other"\n')
    again = memo.template("./tpl", base_dir=paper)
    assert again is not first and again.references_title == "Other"
