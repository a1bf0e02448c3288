"""``paperkit build --watch``: a real watcher process, real file edits, then Ctrl-C."""

from __future__ import annotations

import queue
from collections.abc import Callable, Iterator
import signal
import struct
import subprocess
import sys
import threading
import time
import zlib
from pathlib import Path
from typing import IO

import pytest

from cli_run import env, interruptible, paper

BIB = "@book{a, author={Buzan, B.}, title={T}, publisher={R}, year={2022}}\n"


def png(shade: int) -> bytes:
    """Return a valid 2x2 grey PNG of `shade`."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data +
                struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    rows = b"".join(b"\x00" + bytes([shade, shade]) for _ in range(2))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 2, 2, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


PNG = png(200)


class Watcher:
    """A ``paperkit build --watch`` process whose output lines are read as they come."""

    def __init__(self, *args: str, cwd: Path) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "paperkit", "build", "--watch", *args], cwd=cwd,
            env=env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            preexec_fn=interruptible)
        self.out: queue.Queue[str] = queue.Queue()
        self.err: list[str] = []
        assert self.proc.stdout is not None and self.proc.stderr is not None
        threading.Thread(target=self._pump, args=(self.proc.stdout, self.out.put),
                         daemon=True).start()
        threading.Thread(target=self._pump, args=(self.proc.stderr, self.err.append),
                         daemon=True).start()

    @staticmethod
    def _pump(stream: IO[str], put: Callable[[str], None]) -> None:
        for line in stream:
            put(line.rstrip("\n"))

    def status(self, timeout: float = 60) -> str:
        """Return the next status line (stdout)."""
        return self.out.get(timeout=timeout)

    def watching(self, count: int, timeout: float = 60) -> None:
        """Wait until the watcher has said `count` times that it is watching."""
        deadline = time.monotonic() + timeout
        while sum("watching" in line for line in self.err) < count:
            assert time.monotonic() < deadline, self.err
            assert self.proc.poll() is None, self.err
            time.sleep(0.05)
        time.sleep(0.4)   # the notifier starts right after the message

    def edit_and_wait(self, file: Path, text: str | bytes) -> str:
        """Change `file` and return the status line of the rebuild it causes."""
        for _ in range(3):
            if isinstance(text, bytes):
                file.write_bytes(text)
            else:
                file.write_text(text, encoding="utf-8")
            try:
                return self.status(timeout=20)
            except queue.Empty:      # an edit the notifier missed while starting: again
                continue
        raise AssertionError(f"no rebuild after editing {file}: {self.err}")

    def said(self, text: str, timeout: float = 20) -> bool:
        """Return whether a stderr line holds `text`, waiting for it: stderr is read by its
        own thread, so it may lag behind the status line on stdout."""
        deadline = time.monotonic() + timeout
        while not any(text in line for line in self.err):
            if time.monotonic() > deadline:
                return False
            time.sleep(0.05)
        return True

    def stop(self) -> tuple[int, str]:
        self.proc.send_signal(signal.SIGINT)
        status = self.proc.wait(timeout=30)
        time.sleep(0.1)
        return status, "\n".join(self.err)


@pytest.fixture
def watcher(tmp_path: Path) -> Iterator[Callable[..., Watcher]]:
    made: list[Watcher] = []

    def start(*args: str) -> Watcher:
        made.append(Watcher(*args, cwd=tmp_path))
        return made[-1]

    yield start
    for w in made:
        if w.proc.poll() is None:
            w.proc.kill()
            w.proc.wait()


def test_watch_rebuilds_on_paper_bib_image_and_template_changes(tmp_path: Path, watcher: Callable[..., Watcher]) -> None:
    folder = paper(tmp_path / "p", "---\ntitle: T\n---\nFirst [@a].\n\n![A dot](dot.png)\n",
                   BIB)
    (folder / "dot.png").write_bytes(PNG)
    template = tmp_path / "look"
    template.mkdir()
    (template / "template.yaml").write_text("description: mine\n")
    w = watcher("--to", "tex", "--template", str(template), "p")
    first = w.status()
    assert first.startswith("[") and "] p: built tex in " in first
    assert first.endswith("; 3 words; 0 errors, 0 warnings"), first
    w.watching(1)
    tex = tmp_path / "build" / "p" / "paper.tex"
    assert "First" in tex.read_text()
    assert sorted(p.name for p in tex.parent.iterdir()) == ["figures", "latexmkrc", "paper.tex"]

    line = w.edit_and_wait(folder / "paper.md",
                           "---\ntitle: T\n---\nSecond version [@a; @nosuch].\n\n"
                           "![A dot](dot.png)\n")
    assert "p: built tex" in line and "1 error, 0 warnings" in line
    assert "Second version" in tex.read_text()
    assert w.said("error PK201: citation key 'nosuch'"), w.err

    line = w.edit_and_wait(folder / "references.bib",
                           BIB + "@book{nosuch, author={N, O.}, title={U}, publisher={R}, "
                                 "year={2021}}\n")
    assert "0 errors, 0 warnings" in line

    line = w.edit_and_wait(folder / "dot.png", png(30))
    assert "p: built tex" in line
    [figure] = (tex.parent / "figures").iterdir()
    assert figure.read_bytes() == png(30)

    line = w.edit_and_wait(template / "template.yaml",
                           "description: mine\nreferences: {title: Sources Consulted}\n")
    assert "p: built tex" in line
    assert "Sources Consulted" in tex.read_text()
    assert not (tmp_path / "build" / "p" / "paper.pdf").exists()   # only the formats asked

    status, err = w.stop()
    assert status == 0
    assert "Traceback" not in err and "KeyboardInterrupt" not in err
    assert err.rstrip().endswith("paperkit: stopped watching")


def test_watch_survives_invalid_input_and_ignores_its_own_output(tmp_path: Path, watcher: Callable[..., Watcher]) -> None:
    folder = paper(tmp_path / "p", "---\ntitle: T\n---\nText.\n")
    # the output folder inside the watched folder must not trigger rebuilds
    w = watcher("--to", "tex", "--out", "p/out", "p")
    assert "p: built tex" in w.status()
    w.watching(1)
    line = w.edit_and_wait(folder / "paper.md", "---\ntitle: T\nwrods: 1\n---\nText.\n")
    assert "not written (exit 2)" in line
    assert w.said("error PK102: unknown front-matter key 'wrods'"), w.err
    line = w.edit_and_wait(folder / "paper.md", "---\ntitle: T\n---\nFixed text.\n")
    assert "p: built tex" in line
    time.sleep(1.5)
    assert w.out.empty(), "the build's own output caused a rebuild"
    assert "Fixed text." in (folder / "out" / "p" / "paper.tex").read_text()
    status, err = w.stop()
    assert status == 0 and "Traceback" not in err


def test_watch_follows_the_project_file(tmp_path: Path,
                                        watcher: Callable[..., Watcher]) -> None:
    (tmp_path / "paperkit.toml").write_text('formats = ["tex"]\n')
    paper(tmp_path / "p", "---\ntitle: T\n---\nText [@a].\n", BIB)
    w = watcher("p")
    assert "p: built tex in " in w.status()
    w.watching(1)
    line = w.edit_and_wait(tmp_path / "paperkit.toml", 'formats = ["tex", "docx"]\n')
    assert "p: built tex,docx in " in line
    assert (tmp_path / "build" / "p" / "paper.docx").is_file()
    assert not (tmp_path / "build" / "p" / "paper.pdf").exists()
    line = w.edit_and_wait(tmp_path / "paperkit.toml", 'formats = ["tex"]\nfromats = 1\n')
    assert "failed: paperkit.toml:2: error: unknown key 'fromats'" in line
    status, err = w.stop()
    assert status == 0 and "Traceback" not in err
