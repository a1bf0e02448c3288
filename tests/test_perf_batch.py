"""A process that builds many papers reuses per-template work by value, never by object.

Papers in different folders that use the same template share one loaded template
(:func:`paperkit.memo.template` keys by the template's folder, not the paper's) and the Word
writer prepares that template's base document (styles defined) once: an equal Template
from any other object reuses it, a changed one (another font size) does not. Reused or not,
the bytes are those of a fresh process. Correctness only, no timing.
"""

from __future__ import annotations

import io
import random
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from paperkit import memo
from paperkit.model import Paper
from paperkit.options import BuildOptions
from paperkit.pipeline import build, resolve
from paperkit.readers import load
from paperkit.templates import Template, load_template
from paperkit.writers import docx as docx_writer
from paperkit.writers.docx import write_docx
from paperkit.writers.docx_parts import write_zip
from paperkit.writers.latex import write_latex

PAPER = """---
title: Batch {n}
template: ../tpl
---

# Intro

Paper number {n}, with a footnote.^[A note.]

## Detail

- one
- two
"""

TEMPLATE = """extends: article
fonts:
  size: {size}
references:
  title: "Works {tag}"
"""


@pytest.fixture
def batch(tmp_path: Path) -> Iterator[Path]:
    """Return a folder holding ``tpl/`` (a template) and papers ``a/`` and ``b/`` using it.

    The template's references title is new to this process (the folder's name), so no
    earlier test left a document prepared for an equal template."""
    (tmp_path / "tpl").mkdir()
    (tmp_path / "tpl" / "template.yaml").write_text(TEMPLATE.format(size=11, tag=tmp_path.name),
                                                     encoding="utf-8")
    for n, name in enumerate("ab", 1):
        (tmp_path / name).mkdir()
        (tmp_path / name / "paper.md").write_text(PAPER.format(n=n), encoding="utf-8")
    memo.clear()
    yield tmp_path
    memo.clear()


@pytest.fixture
def prepared(monkeypatch: pytest.MonkeyPatch) -> list[Template]:
    """Return the list of templates the Word writer prepares a base document for."""
    calls: list[Template] = []
    define = getattr(docx_writer, "define_styles")

    def counting(doc: object, template: Template, *, merge: bool = False) -> None:
        calls.append(template)
        define(doc, template, merge=merge)

    monkeypatch.setattr("paperkit.writers.docx.define_styles", counting)
    return calls


def _resolved(folder: Path) -> tuple[Paper, Template]:
    paper, template, _ = resolve(load(folder), BuildOptions())
    return paper, template


def test_papers_in_different_folders_share_the_template_load(
        batch: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    loads: list[object] = []
    real_load = getattr(memo, "load_template")

    def counting(*args: object, **kwargs: object) -> Template:
        loads.append(args)
        loaded: Template = real_load(*args, **kwargs)
        return loaded

    monkeypatch.setattr("paperkit.memo.load_template", counting)
    _, first = _resolved(batch / "a")
    _, second = _resolved(batch / "b")
    assert len(loads) == 1 and first.references_title == f"Works {batch.name}"
    # each paper gets the template spelled from its own folder, as a fresh load gives it
    assert first.path == batch / "a" / ".." / "tpl"
    assert second == load_template("../tpl", base_dir=batch / "b")
    assert _resolved(batch / "a")[1] is first


def test_an_equal_template_reuses_the_styles_and_gives_a_fresh_process_bytes(
        batch: Path, prepared: list[Template]) -> None:
    paper_a, template = _resolved(batch / "a")
    paper_b, _ = _resolved(batch / "b")
    write_docx(paper_a, template, BuildOptions())
    assert len(prepared) == 1
    # another object, loaded afresh (bypassing the memo) and by another path: reused
    again = load_template(batch / "tpl")
    assert again is not template and again.path != template.path
    data = write_docx(paper_b, again, BuildOptions())["paper.docx"]
    assert len(prepared) == 1
    styles = zipfile.ZipFile(io.BytesIO(data)).read("word/styles.xml")
    assert b'w:styleId="Heading1"' in styles and b'<w:sz w:val="22"/>' in styles
    # the same bytes as a process that builds paper b alone, preparing from scratch
    out = batch / "fresh"
    code = ("import sys; from paperkit.pipeline import build; "
            "sys.exit(build(sys.argv[1], ['docx'], sys.argv[2], processes=1).exit_code)")
    subprocess.run([sys.executable, "-c", code, str(batch / "b"), str(out)], check=True,
                   capture_output=True)
    assert (out / "b" / "paper.docx").read_bytes() == data


def test_a_changed_template_prepares_again(batch: Path, prepared: list[Template]) -> None:
    paper, template = _resolved(batch / "a")
    small = write_docx(paper, template, BuildOptions())["paper.docx"]
    (batch / "tpl2").mkdir()
    (batch / "tpl2" / "template.yaml").write_text(TEMPLATE.format(size=12, tag=batch.name),
                                                  encoding="utf-8")
    bigger = load_template(batch / "tpl2")
    assert bigger.fonts.size == 12.0
    large = write_docx(paper, bigger, BuildOptions())["paper.docx"]
    assert [t.fonts.size for t in prepared] == [11.0, 12.0]
    normal = b'<w:style w:type="paragraph" w:default="1" w:styleId="Normal">'

    def normal_size(data: bytes) -> bytes:
        styles = zipfile.ZipFile(io.BytesIO(data)).read("word/styles.xml")
        style = styles[styles.index(normal):]
        return style[:style.index(b"</w:style>")]

    assert b'<w:sz w:val="22"/>' in normal_size(small)
    assert b'<w:sz w:val="24"/>' in normal_size(large)
    # and back: the first template's document is still the one kept for it
    assert write_docx(paper, template, BuildOptions())["paper.docx"] == small
    assert len(prepared) == 2


def test_a_batch_in_one_process_writes_what_single_builds_write(batch: Path,
                                                                 tmp_path: Path) -> None:
    together = [build(batch / name, ["docx", "tex"], tmp_path / "together", processes=1)
                for name in "ab"]
    assert all(result.written for result in together)
    for name in "ab":
        memo.clear()
        build(batch / name, ["docx", "tex"], tmp_path / name, processes=1)
        for file in ("paper.docx", "paper.tex"):
            assert (tmp_path / name / name / file).read_bytes() == \
                (tmp_path / "together" / name / file).read_bytes()
    paper, template = _resolved(batch / "b")
    tex = write_latex(paper, template, BuildOptions())["paper.tex"].decode()
    assert "Batch 2" in tex and "Paper number 2" in tex


@pytest.mark.parametrize("copy", ["part by part", "deepcopy"])
def test_copies_of_a_reference_docx_base_give_the_first_build_bytes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, copy: str) -> None:
    from dataclasses import replace

    if copy == "deepcopy":       # the fallback for python-docx state the copy does not know
        monkeypatch.setattr("paperkit.writers.docx_reference._bare", lambda source: None)

    from sample_paper import sample_paper
    from test_docx_document import make_reference

    # a reference with a header, a picture in its dropped body (python-docx still numbers
    # new images after it) and a style of its own; its look is new to this process
    reference = make_reference(tmp_path / "reference.docx", first_page=True)
    article = load_template("article")
    template = replace(article, files={"reference.docx": reference},
                       references_title=f"Works {tmp_path.name}")
    paper = sample_paper()
    first = write_docx(paper, template, BuildOptions())["paper.docx"]
    other = write_docx(paper, article, BuildOptions())["paper.docx"]
    again = [write_docx(paper, replace(template), BuildOptions())["paper.docx"]
             for _ in range(2)]
    assert again == [first, first] and other != first
    names = zipfile.ZipFile(io.BytesIO(first)).namelist()
    assert "word/media/image2.png" in names and "word/header1.xml" in names


def _plain_zip(entries: dict[str, bytes], when: datetime) -> bytes:
    """Return the zip write_zip made before it reused deflate streams (zipfile alone)."""
    stamp = max(when.timetuple()[:6], (1980, 1, 1, 0, 0, 0))
    first = [n for n in ("[Content_Types].xml", "_rels/.rels") if n in entries]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in first + sorted(n for n in entries if n not in first):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            target.writestr(info, entries[name], compresslevel=6)
    return out.getvalue()


def test_reused_deflate_streams_give_zipfiles_bytes() -> None:
    rng = random.Random(9)
    when = datetime(2000, 1, 1)
    styles = b'<w:style w:type="paragraph">' * 12000 + rng.randbytes(8)
    for trial in range(6):
        entries = {"[Content_Types].xml": b"<Types/>" * rng.randint(0, 3000),
                   "_rels/.rels": rng.randbytes(rng.randint(0, 9000)),
                   "word/styles.xml": styles if trial % 2 else styles + bytes([trial]),
                   "word/theme/theme1.xml": rng.randbytes(rng.randint(8192, 30000)),
                   "word/empty.xml": b""}
        expected = _plain_zip(entries, when)
        assert write_zip(entries, when) == expected     # deflated here, then kept
        assert write_zip(entries, when) == expected     # every large entry reused
    with zipfile.ZipFile(io.BytesIO(expected)) as archive:
        assert archive.testzip() is None and archive.read("word/styles.xml") == styles
