"""Many papers in one ``paperkit build``: -j worker processes, fixed order, one exit status."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from cli_run import paper, run, run_tty

ROOT = Path(__file__).resolve().parents[1]

BIB = "@book{a, author={Buzan, B.}, title={T}, publisher={R}, year={2022}}\n"
TIME = re.compile(r"\d+\.\ds")


@pytest.fixture
def shelf(tmp_path: Path) -> Path:
    """Return a folder of five papers: fine, unresolved citation, invalid, two seed copies."""
    root = tmp_path / "shelf"
    paper(root / "a-fine", "---\ntitle: A\n---\nCited [@a].\n", BIB)
    paper(root / "b-unresolved", "---\ntitle: B\n---\nCited [@nosuch] and [@a].\n", BIB)
    paper(root / "c-invalid", "---\ntitle: C\nwrods: 3\n---\nText.\n")
    for name in ("d-seed", "e-seed"):
        shutil.copytree(ROOT / "sources" / "japan-central-asia", root / name)
    return root


def test_folder_of_papers_builds_in_order_with_worst_status(shelf: Path, tmp_path: Path) -> None:
    result = run("build", "--to", "tex", "-j", "2", "shelf", cwd=tmp_path)
    assert result.returncode == 2          # the invalid paper wins over the unresolved one
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["paper", "words", "limit", "off", "citations", "warnings",
                                "errors", "time", "result"]
    assert set(lines[1]) <= {"-", " "}
    rows = lines[2:-1]
    assert [row.split()[0] for row in rows] == ["a-fine", "b-unresolved", "c-invalid", "d-seed", "e-seed"]
    assert rows[0].endswith(" ok") and rows[1].endswith("written, fails (1)")
    assert rows[2].endswith("invalid input (2)")
    assert rows[3].split()[1:5] == ["762", "1,350-1,650", "-588", "short"]
    assert lines[-1].startswith("5 papers: 3 ok, 2 failing;") and "with 2 jobs" in lines[-1]
    # diagnostics come paper by paper, in the order of the table
    files = [line.split(":")[0] for line in result.stderr.splitlines()]
    order = [f.split("/")[1] for f in files]
    assert order == sorted(order)
    assert order[0] == "b-unresolved" and "c-invalid" in order
    for name in ("a-fine", "b-unresolved", "d-seed", "e-seed"):
        assert (tmp_path / "build" / name / "paper.tex").is_file()
    assert not (tmp_path / "build" / "c-invalid").exists()


def test_one_job_and_two_jobs_print_the_same(shelf: Path, tmp_path: Path) -> None:
    one = run("build", "--to", "tex", "-j", "1", "--out", "o1", "shelf", cwd=tmp_path)
    two = run("build", "--to", "tex", "-j", "2", "--out", "o2", "shelf", cwd=tmp_path)
    assert one.returncode == two.returncode == 2
    assert one.stderr == two.stderr

    def table(text: str) -> list[str]:
        return [TIME.sub("", line).split("; ")[0] for line in text.splitlines()]

    assert table(one.stdout)[:-1] == table(two.stdout)[:-1]
    for name in ("a-fine", "d-seed"):
        assert (tmp_path / "o1" / name / "paper.tex").read_bytes() == \
            (tmp_path / "o2" / name / "paper.tex").read_bytes()


def test_several_folders_and_check(shelf: Path, tmp_path: Path) -> None:
    result = run("check", "-j", "2", "shelf/e-seed", "shelf/a-fine", cwd=tmp_path)
    assert result.returncode == 1           # the seed misses its word target
    rows = result.stdout.splitlines()[2:-1]
    assert [row.split()[0] for row in rows] == ["e-seed", "a-fine"]   # as named
    assert rows[0].endswith("fails (1)") and rows[1].endswith(" ok")
    assert not (tmp_path / "build").exists()


def test_progress_bar_only_on_a_terminal(shelf: Path, tmp_path: Path) -> None:
    status, text = run_tty("build", "--to", "tex", "-j", "2", "shelf", cwd=tmp_path,
                           columns=120)
    assert status == 2
    assert "building" in text               # rich's bar, drawn then cleared
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", text)
    assert "5 papers: 3 ok, 2 failing;" in plain
    piped = run("build", "--to", "tex", "-j", "2", "shelf", cwd=tmp_path)
    assert "building" not in piped.stdout + piped.stderr
    assert "\x1b" not in piped.stdout + piped.stderr


def test_bad_jobs_is_a_usage_error(shelf: Path, tmp_path: Path) -> None:
    result = run("build", "-j", "0", "shelf", cwd=tmp_path)
    assert result.returncode == 2 and "-j/--jobs takes a positive number" in result.stderr


def test_ctrl_c_during_a_batch_stops_cleanly(tmp_path: Path) -> None:
    import os
    import pty
    import select
    import signal
    import subprocess
    import sys
    import time

    from cli_run import env, interruptible

    for index in range(40):
        shutil.copytree(ROOT / "sources" / "japan-central-asia", tmp_path / "many" / f"s{index}")
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "paperkit", "build", "-j", "2", "many"],
                            cwd=tmp_path, env=env(COLUMNS="100"), stdin=slave, stdout=slave,
                            stderr=slave, start_new_session=True,
                            preexec_fn=interruptible)
    os.close(slave)
    seen = b""
    deadline = time.monotonic() + 120
    while b"building" not in seen and time.monotonic() < deadline:
        if select.select([master], [], [], 0.5)[0]:
            seen += os.read(master, 65536)
    time.sleep(1.0)
    os.killpg(proc.pid, signal.SIGINT)      # what the terminal does on Ctrl-C
    while True:
        if select.select([master], [], [], 0.5)[0]:
            try:
                data = os.read(master, 65536)
            except OSError:
                break
            if not data:
                break
            seen += data
        elif proc.poll() is not None:
            break
    status = proc.wait(timeout=60)
    os.close(master)
    text = seen.decode("utf-8", "replace")
    assert status == 130
    assert "paperkit: interrupted" in text
    assert "Traceback" not in text and "KeyboardInterrupt" not in text
    built = list((tmp_path / "build").glob("*/paper.pdf"))
    assert 0 < len(built) < 40
