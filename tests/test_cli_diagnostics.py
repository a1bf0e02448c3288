"""Diagnostics as a compiler prints them: piped, on a terminal, in colour or not, as JSON."""

from __future__ import annotations

from pathlib import Path

import json
import re

import pytest

from cli_run import paper, run, run_tty

BIB = "@book{a, author={Buzan, B.}, title={T}, publisher={R}, year={2022}}\n"
BODY = "---\ntitle: T\n---\nAs argued [@nosuch].\n\nCited [@a].\n"
ESC = re.compile(r"\x1b\[[0-9;]*m")
FIRST = "p/paper.md:4:11: error PK201: citation key 'nosuch' not found in references"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return paper(tmp_path / "p", BODY, BIB)


def test_piped_stderr_is_one_plain_line_per_finding(folder: Path, tmp_path: Path) -> None:
    result = run("check", "p", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr == FIRST + "\n"
    assert "\x1b" not in result.stderr + result.stdout


def test_show_source_always_prints_the_line_and_a_caret_under_the_column(folder: Path, tmp_path: Path) -> None:
    result = run("check", "--show-source", "always", "p", cwd=tmp_path)
    lines = result.stderr.splitlines()
    assert lines[0] == FIRST
    assert lines[1] == "    4 | As argued [@nosuch]."
    assert lines[2] == "      |           ^"
    # the caret sits under the column the location names
    assert lines[2].index("^") == lines[1].index("[@nosuch")


def test_caret_counts_wide_characters_and_tabs(tmp_path: Path) -> None:
    paper(tmp_path / "p", "---\ntitle: T\n---\n日本語\tで [@nosuch] と。\n")
    result = run("check", "--show-source", "always", "p", cwd=tmp_path)
    first, source, caret = result.stderr.splitlines()[:3]
    assert first.startswith("p/paper.md:4:7: error PK201:")
    assert source == "    4 | 日本語\tで [@nosuch] と。"
    # 日本語 is six cells wide, the tab stays a tab, で is two cells, then a blank
    assert caret == "      | " + " " * 6 + "\t" + "   " + "^"


def test_terminal_gets_colour_and_source_lines(folder: Path, tmp_path: Path) -> None:
    status, text = run_tty("check", "p", cwd=tmp_path, columns=100)
    assert status == 1
    assert ESC.search(text), text
    plain = ESC.sub("", text).splitlines()
    at = plain.index(FIRST)
    assert plain[at + 1] == "    4 | As argued [@nosuch]."
    assert plain[at + 2].rstrip() == "      |           ^"
    # an error is red (31) and bold, so it stands out
    assert re.search(r"\x1b\[[0-9;]*31[0-9;]*merror", text)


def test_narrow_terminal_does_not_break_the_location_line(folder: Path, tmp_path: Path) -> None:
    status, text = run_tty("check", "p", cwd=tmp_path, columns=40)
    assert FIRST in ESC.sub("", text).splitlines()


@pytest.mark.parametrize("args, no_color", [([], "1"), (["--color=never"], "")])
def test_no_color_and_color_never_keep_a_terminal_plain(folder: Path, tmp_path: Path,
                                                        args: list[str], no_color: str) -> None:
    status, text = run_tty("check", *args, "p", cwd=tmp_path, NO_COLOR=no_color)
    assert status == 1
    assert "\x1b[" not in text
    assert FIRST in text.splitlines()
    assert "      |           ^" in text.splitlines()


def test_color_always_colours_a_pipe_and_wins_over_no_color(folder: Path, tmp_path: Path) -> None:
    result = run("check", "--color=always", "p", cwd=tmp_path, NO_COLOR="1")
    assert ESC.search(result.stderr)
    assert ESC.sub("", result.stderr) == FIRST + "\n"


def test_build_json_is_one_document_with_paper_summaries(folder: Path, tmp_path: Path) -> None:
    result = run("build", "--to", "tex", "--format", "json", "p", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr == ""
    data = json.loads(result.stdout)
    assert data["exit_code"] == 1
    assert data["diagnostics"] == [{
        "file": "p/paper.md", "line": 4, "column": 11, "severity": "error",
        "code": "PK201", "message": "citation key 'nosuch' not found in references"}]
    [summary] = data["papers"]
    assert summary["paper"] == "p" and summary["status"] == 1
    assert summary["citations"] == 2 and summary["cited"] == 1 and summary["references"] == 1
    assert summary["errors"] == 1 and summary["warnings"] == 0
    assert "build/p/paper.tex" in summary["written"]
    assert (tmp_path / "build" / "p" / "paper.tex").is_file()


def test_json_for_invalid_input_names_the_paper_and_status_2(tmp_path: Path) -> None:
    paper(tmp_path / "p", "---\ntitle: T\nwrods: 5\n---\nText.\n")
    result = run("check", "--format", "json", "p", cwd=tmp_path)
    assert result.returncode == 2 and result.stderr == ""
    data = json.loads(result.stdout)
    assert data["papers"][0]["status"] == 2 and data["papers"][0]["words"] is None
    [diag] = data["diagnostics"]
    assert (diag["file"], diag["line"], diag["code"]) == ("p/paper.md", 3, "PK102")


def test_piped_plain_output_does_not_import_rich(folder: Path, tmp_path: Path) -> None:
    # rich costs ~35 ms of every build's start-up: only colour or a progress bar needs it
    import subprocess
    import sys

    from cli_run import env
    code = ("import sys\nfrom paperkit.cli import main\nstatus = main(['check', 'p'])\n"
            "print(sorted(m for m in sys.modules if m == 'rich' or m.startswith('rich.')))\n"
            "sys.exit(status)\n")
    plain = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env(),
                           capture_output=True, text=True, timeout=600)
    assert plain.stderr == FIRST + "\n"
    assert plain.stdout.splitlines()[-1] == "[]"
    coloured = subprocess.run([sys.executable, "-c", code.replace("'check', 'p'",
                                                                "'check', '--color', 'always', 'p'")],
                              cwd=tmp_path, env=env(), capture_output=True, text=True, timeout=600)
    assert "\x1b[" in coloured.stderr and ESC.sub("", coloured.stderr) == FIRST + "\n"
    assert "'rich.console'" in coloured.stdout
