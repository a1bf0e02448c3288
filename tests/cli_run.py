"""Running ``paperkit`` as a user does: a subprocess, piped or on a pseudo-terminal."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

ENV_DROP = ("NO_COLOR", "FORCE_COLOR", "PAPERKIT_DEBUG", "COLUMNS", "LINES")


def env(**extra: str) -> dict[str, str]:
    """Return the environment for a run: fixed dates, no colour overrides unless given."""
    base = {k: v for k, v in os.environ.items() if k not in ENV_DROP}
    base.update({"SOURCE_DATE_EPOCH": "1767225600", "TERM": "xterm-256color"})
    base.update(extra)
    return base


def interruptible() -> None:
    """Give a child the terminal's Ctrl-C back (``preexec_fn``): a shell that starts a
    background job without job control ignores SIGINT for it, the children inherit that,
    and Python then installs no KeyboardInterrupt handler, so a test's SIGINT would do
    nothing when the suite itself runs in the background."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def run(*args: str, cwd: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    """Run ``python -m paperkit ARGS`` in `cwd` with pipes; return the finished process."""
    return subprocess.run([sys.executable, "-m", "paperkit", *args], cwd=cwd, env=env(**extra),
                          capture_output=True, text=True, timeout=600)


def run_tty(*args: str, cwd: Path, columns: int = 80, **extra: str) -> tuple[int, str]:
    """Run ``python -m paperkit ARGS`` with stdout and stderr on a pseudo-terminal of
    `columns` columns; return the exit status and everything it wrote (escapes kept)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    proc = subprocess.Popen([sys.executable, "-m", "paperkit", *args], cwd=cwd,
                            env=env(COLUMNS=str(columns), **extra), stdin=subprocess.DEVNULL,
                            stdout=slave, stderr=slave, close_fds=True)
    os.close(slave)
    chunks = []
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 1.0)
        if ready:
            try:
                data = os.read(master, 65536)
            except OSError:   # EIO: the child closed the terminal
                break
            if not data:
                break
            chunks.append(data)
        elif proc.poll() is not None:
            break
    status = proc.wait(timeout=60)
    os.close(master)
    return status, b"".join(chunks).decode("utf-8", "replace").replace("\r\n", "\n")


def paper(folder: Path, body: str, bib: str | None = None) -> Path:
    """Write a paper folder with `body` as paper.md (and `bib` as references.bib)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "paper.md").write_text(body, encoding="utf-8")
    if bib is not None:
        (folder / "references.bib").write_text(bib, encoding="utf-8")
    return folder
