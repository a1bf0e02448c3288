"""The writers run in forked processes: same bytes, same diagnostics, same errors as serial."""

from __future__ import annotations

import os
import sys
import types
from pathlib import Path

import pytest

import paperkit
from paperkit.diagnostics import Diagnostic, Log
from paperkit.model import Paper
from paperkit.templates import Template
from paperkit.errors import WriterError
from paperkit.model import Pos
from paperkit.options import BuildOptions
from paperkit.pipeline import build
from paperkit.writers import WRITERS
from paperkit.writers.processes import write_all

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "sources" / "japan-central-asia"

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def test_forked_writers_give_the_bytes_of_a_serial_build(tmp_path: Path) -> None:
    serial = build(SEED, out=tmp_path / "serial", processes=1)
    forked = build(SEED, out=tmp_path / "forked", processes=3)
    assert serial.written and forked.written
    a, b = _files(tmp_path / "serial" / SEED.name), _files(tmp_path / "forked" / SEED.name)
    assert set(a) >= {"paper.pdf", "paper.docx", "paper.tex"}
    assert a == b
    assert [d.code for d in serial.report.diagnostics] == \
        [d.code for d in forked.report.diagnostics]


@pytest.fixture
def fake_writers(monkeypatch: pytest.MonkeyPatch) -> types.ModuleType:
    """Register a fake module with writers that log, fail, or die, in child and parent."""
    module = types.ModuleType("paperkit_fake_writers")
    parent = os.getpid()

    def logs(paper: Paper, template: Template, options: BuildOptions, *,
             log: Log) -> dict[str, bytes]:
        log.items.append(_diag(f"from {options.formats.index('logs')}"))
        return {"logs.txt": b"logs"}

    def fails(paper: Paper, template: Template, options: BuildOptions) -> dict[str, bytes]:
        raise WriterError.make("PK104", Pos("out", 0), what="fake", path="out", hint="")

    def dies_in_child(paper: Paper, template: Template,
                      options: BuildOptions) -> dict[str, bytes]:
        if os.getpid() != parent:
            os._exit(9)          # a crash: the parent writes this format itself
        return {"survivor.txt": b"parent"}

    for function in (logs, fails, dies_in_child):
        setattr(module, function.__name__, function)
    monkeypatch.setitem(sys.modules, "paperkit_fake_writers", module)
    for name in ("logs", "fails", "dies_in_child"):
        monkeypatch.setitem(WRITERS, name, f"paperkit_fake_writers:{name}")
    return module


def _diag(text: str) -> Diagnostic:
    return Diagnostic.make("PK109", Pos("x.md", 1, 1), detail=text)


def test_child_diagnostics_merge_in_format_order(fake_writers: types.ModuleType,
                                                 sample: Paper) -> None:
    template = paperkit.load_template("article")
    options = BuildOptions(formats=("tex", "logs", "dies_in_child"))
    log = Log()
    outputs = write_all(sample, template, options, log, processes=3)
    assert outputs["logs.txt"] == b"logs"
    assert outputs["survivor.txt"] == b"parent"
    assert outputs["paper.tex"].startswith(b"%") or b"\\documentclass" in outputs["paper.tex"]
    assert [d.message for d in log.items if d.code == "PK109"] == [
        m for m in (d.message for d in log.items) if "from 1" in m]


def test_an_error_in_a_child_is_raised_as_in_a_serial_run(fake_writers: types.ModuleType,
                                                          sample: Paper) -> None:
    template = paperkit.load_template("article")
    options = BuildOptions(formats=("tex", "fails"))
    with pytest.raises(WriterError) as forked:
        write_all(sample, template, options, Log(), processes=2)
    with pytest.raises(WriterError) as serial:
        write_all(sample, template, options, Log(), processes=1)
    assert str(forked.value) == str(serial.value)


def test_build_into_a_binary_file_object(tmp_path: Path) -> None:
    import io

    from paperkit.errors import UsageError

    folder = build(SEED, ["docx"], tmp_path / "folder")
    buffer = io.BytesIO()
    streamed = build(SEED, ["docx"], buffer)
    assert streamed.written and streamed.paths == []
    assert streamed.bytes_written == len(buffer.getvalue()) > 0
    assert buffer.getvalue() == (tmp_path / "folder" / SEED.name / "paper.docx").read_bytes()
    assert folder.exit_code == streamed.exit_code
    with open(tmp_path / "x.pdf", "wb") as handle:
        build(SEED, ["pdf"], handle)
    assert (tmp_path / "x.pdf").read_bytes().startswith(b"%PDF")
    with pytest.raises(UsageError):
        build(SEED, ["pdf", "docx"], io.BytesIO())
    with pytest.raises(UsageError):
        build(SEED, ["pdf"], 42)  # type: ignore[arg-type]
    assert not list(Path.cwd().glob(".paperkit-*"))


def test_writers_started_before_the_paper_is_read_give_the_same_bytes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from paperkit.writers import processes as procs

    serial = build(SEED, out=tmp_path / "serial", processes=1)
    monkeypatch.setattr(procs, "_BUILDS", [0])          # a cold process, as the CLI is
    early = procs.start_early(("pdf", "docx", "tex"), 3, source=SEED)
    assert early is not None and len(early.children) == 3
    result = build(SEED, out=tmp_path / "early", early=early)
    assert early.children == [] and early.jobs == []    # all reaped
    assert _files(tmp_path / "serial" / SEED.name) == _files(tmp_path / "early" / SEED.name)
    assert [d.message for d in serial.report.diagnostics] == \
        [d.message for d in result.report.diagnostics]


@pytest.mark.parametrize("fmt", ["pdf", "docx", "tex"])
def test_a_single_format_is_written_early_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              fmt: str) -> None:
    from paperkit.writers import processes as procs

    serial = build(SEED, [fmt], out=tmp_path / "serial", processes=1)
    monkeypatch.setattr(procs, "_BUILDS", [0])
    early = procs.start_early((fmt,), source=SEED)
    assert early is not None and [c.formats for c in early.children] == [(fmt,)]
    pid = early.children[0].pid
    monkeypatch.setattr(procs, "write_one", _refuse)    # this process must not write it
    result = build(SEED, [fmt], out=tmp_path / "early", early=early)
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)                      # the child wrote it and was reaped
    assert _files(tmp_path / "serial" / SEED.name) == _files(tmp_path / "early" / SEED.name)
    assert [d.message for d in serial.report.diagnostics] == \
        [d.message for d in result.report.diagnostics]


def _refuse(*args: object, **kwargs: object) -> None:
    raise AssertionError("written in the parent, not by the early child")


def test_the_pdf_writer_warms_up_in_its_early_process() -> None:
    from paperkit import memo
    from paperkit.writers import pdf, pdf_fonts, pdf_styles

    pdf.warm()
    fonts = memo.template("article").fonts
    for family in (fonts.body.pdf, fonts.headings.pdf):     # a later build finds them loaded
        hits = pdf_fonts.register_family.cache_info().hits
        pdf_fonts.register_family(family)
        assert pdf_fonts.register_family.cache_info().hits == hits + 1
    hits = pdf_styles.hyphenator.cache_info().hits
    assert pdf_styles.hyphenator(Paper(title=[], sections=[]).lang) is not None
    assert pdf_styles.hyphenator.cache_info().hits == hits + 1


def test_the_word_writer_warms_up_in_its_early_process(tmp_path: Path) -> None:
    from paperkit.writers import docx, docx_reference

    docx_reference._PREPARED.clear()
    docx.warm()
    assert len(docx_reference._PREPARED) == 1
    prepared = docx_reference._PREPARED[0].package
    build(SEED, ["docx"], tmp_path, processes=1)       # the paper's write copies it
    assert len(docx_reference._PREPARED) == 1 and docx_reference._PREPARED[0].package is prepared


def test_early_writers_end_when_the_build_never_comes(monkeypatch: pytest.MonkeyPatch) -> None:
    from paperkit.writers import processes as procs

    monkeypatch.setattr(procs, "_BUILDS", [0])
    early = procs.start_early(("pdf", "docx"), source=SEED)
    assert early is not None
    pids = [child.pid for child in early.children]
    early.cancel()
    for pid in pids:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)                  # already reaped
    monkeypatch.setattr(procs, "_BUILDS", [1])
    assert procs.start_early(("pdf", "docx"), source=SEED) is None   # warm: fork later


def test_no_fork_while_another_thread_runs(tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    from paperkit.writers import processes as procs

    def no_fork(*args: object) -> None:
        raise AssertionError("forked with another thread running")

    monkeypatch.setattr(procs, "_fork", no_fork)
    stop = threading.Event()
    worker = threading.Thread(target=stop.wait)
    worker.start()
    try:
        assert not procs._forking_is_safe()
        assert procs.start_early(("pdf", "docx"), source=SEED) is None
        assert build(SEED, ["docx", "tex"], tmp_path / "threaded", processes=2).written
    finally:
        stop.set()
        worker.join()
    assert procs._forking_is_safe()


def test_processes_cap_the_children(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from paperkit.writers import processes as procs

    forked: list[tuple[str, ...]] = []
    real_fork = procs._fork

    def counting_fork(formats: tuple[str, ...], *args: object) -> object:
        forked.append(formats)
        return real_fork(formats, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(procs, "_fork", counting_fork)
    serial = build(SEED, out=tmp_path / "serial", processes=1)
    assert forked == []
    capped = build(SEED, out=tmp_path / "capped", processes=2)
    assert forked == [("docx", "tex")]                   # this process writes the PDF
    assert _files(tmp_path / "serial" / SEED.name) == _files(tmp_path / "capped" / SEED.name)
    assert [d.message for d in serial.report.diagnostics] == \
        [d.message for d in capped.report.diagnostics]
    monkeypatch.setattr(procs, "_BUILDS", [0])
    early = procs.start_early(("pdf", "docx", "tex"), 2, source=SEED)
    assert early is not None and [c.formats for c in early.children] == \
        [("pdf",), ("docx", "tex")]
    early.cancel()
