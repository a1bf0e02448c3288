"""The command line as a user runs it: real files, a subprocess, exit codes and outputs."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

SEED = ROOT / "sources" / "japan-central-asia"
TOUR = ROOT / "sources" / "feature-tour"


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600"}
    return subprocess.run([sys.executable, "-m", "paperkit", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """Return a folder holding a copy of sources/ (so no test writes into the repo)."""
    shutil.copytree(ROOT / "sources", tmp_path / "sources")
    return tmp_path


def paper_dir(tmp_path: Path, body: str, bib: str | None = None, name: str = "p") -> Path:
    folder = tmp_path / name
    folder.mkdir()
    (folder / "paper.md").write_text(body, encoding="utf-8")
    if bib is not None:
        (folder / "references.bib").write_text(bib, encoding="utf-8")
    return folder


BIB = "@book{a, author={Buzan, B.}, title={T}, publisher={R}, year={2022}}\n"


def test_build_with_no_source_builds_every_paper_under_sources(project: Path) -> None:
    result = run("build", "--to", "tex", cwd=project)
    assert result.returncode == 0, result.stderr
    assert (project / "build" / "japan-central-asia" / "paper.tex").is_file()
    assert (project / "build" / "feature-tour" / "paper.tex").is_file()
    # several papers: a summary table (header, rule, a row per paper in order, totals)
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 5
    assert lines[0].split()[:4] == ["paper", "words", "limit", "off"]
    assert lines[2].startswith("feature-tour ")
    assert lines[3].startswith("japan-central-asia ")
    assert "short" in lines[3] and lines[3].endswith(" ok")
    assert lines[4].startswith("2 papers: 2 ok, 0 failing;")


def test_seed_paper_reports_the_truth(project: Path) -> None:
    result = run("check", "sources/japan-central-asia", cwd=project)
    assert result.returncode == 1  # the word target is missed: check fails
    errors = result.stderr.splitlines()
    assert any("warning PK301: main text has" in line and "words short" in line
               for line in errors)
    uncited = [line for line in errors if "PK202" in line]
    assert len(uncited) == 4
    assert all(line.startswith("sources/japan-central-asia/references.bib:") for line in uncited)
    assert result.stdout.startswith("japan-central-asia: main text ")
    assert "0 citations of 0/4 references" in result.stdout


def test_feature_tour_passes_every_check_even_strict(project: Path) -> None:
    result = run("check", "--strict", "sources/feature-tour", cwd=project)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""


def test_count_json_is_an_object_per_paper(project: Path) -> None:
    result = run("count", "--format", "json", cwd=project)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert set(data) == {"japan-central-asia", "feature-tour"}
    seed = data["japan-central-asia"]
    assert 700 <= seed["main_text"] <= 820
    assert seed["main_text"] == seed["categories"]["headings"] + seed["categories"]["body"]
    assert [s["number"] for s in seed["sections"]][:3] == ["1", "2", "2.1"]
    assert seed["limits"]["main_text"] == {"min": 1350, "max": 1650}


def test_count_text_table(project: Path) -> None:
    result = run("count", "sources/japan-central-asia", cwd=project)
    assert result.returncode == 0
    assert "2.1 Regional Dynamics and Global Power Plays" in result.stdout
    assert "limit main text:" in result.stdout and "words short" in result.stdout


def test_check_json_is_one_document_of_diagnostics_and_papers(project: Path) -> None:
    result = run("check", "--format", "json", "sources/japan-central-asia", cwd=project)
    data = json.loads(result.stdout)
    assert result.stderr == ""
    diags = data["diagnostics"]
    assert isinstance(diags, list) and diags
    assert set(diags[0]) == {"file", "line", "column", "severity", "code", "message"}
    assert {d["code"] for d in diags} == {"PK202", "PK301"}
    assert data["exit_code"] == result.returncode == 1
    [paper] = data["papers"]
    assert paper["paper"] == "japan-central-asia" and paper["status"] == 1
    assert paper["limit"] == {"min": 1350, "max": 1650}
    assert paper["warnings"] == len(diags) and paper["errors"] == 0


def test_unresolved_citation_builds_with_marker_and_exits_1(tmp_path: Path) -> None:
    folder = paper_dir(tmp_path, "---\ntitle: T\n---\nAs argued [@nosuch].\n\nCited [@a].\n",
                       BIB)
    result = run("build", "--to", "tex", str(folder), cwd=tmp_path)
    assert result.returncode == 1
    assert "p/paper.md:4:11: error PK201: citation key 'nosuch' not found" in result.stderr
    tex = (tmp_path / "build" / "p" / "paper.tex").read_text()
    assert "[?nosuch]" in tex


def test_strict_build_writes_nothing_and_keeps_old_outputs(tmp_path: Path) -> None:
    folder = paper_dir(tmp_path, "---\ntitle: T\n---\nText without citations.\n", BIB)
    first = run("build", "--to", "tex", str(folder), cwd=tmp_path)
    assert first.returncode == 0  # the uncited reference is only a warning
    out = tmp_path / "build" / "p" / "paper.tex"
    before = out.read_bytes()
    (folder / "paper.md").write_text("---\ntitle: Changed\n---\nNew text.\n")
    strict = run("build", "--strict", "--to", "tex", str(folder), cwd=tmp_path)
    assert strict.returncode == 1
    assert "nothing written" in strict.stdout
    assert out.read_bytes() == before
    assert sorted(p.name for p in out.parent.iterdir()) == sorted(
        p.name for p in out.parent.iterdir() if not p.name.startswith(".paperkit"))


def test_invalid_input_is_one_line_exit_2_nothing_written(tmp_path: Path) -> None:
    folder = paper_dir(tmp_path, "---\ntitle: T\nwrods: 5\n---\nText.\n")
    result = run("build", str(folder), cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("p/paper.md:3:1: error PK102: unknown front-matter key "
                                    "'wrods'")
    assert result.stderr.count("\n") == 1
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "build").exists()


@pytest.mark.parametrize("files, where, code", [
    ({"paper.md": b"---\ntitle: [\n---\n"}, "p/paper.md:", "PK101"),
    ({"paper.md": b"---\ntitle: T\n---\nBad \xff byte\n"}, "p/paper.md:4:5", "PK105"),
    ({"paper.md": b""}, "p/paper.md:1:1", "PK109"),
    ({"paper.md": b"---\nbibliography: none.bib\n---\nx\n"}, "p/paper.md:2:", "PK104"),
    ({"paper.md": b"---\ntemplate: nosuch\n---\nx\n"}, "", "PK106"),
    ({"paper.md": b"---\ncsl: apaa\n---\nx\n"}, "", "PK107"),
    ({"paper.md": b"x [@a]\n", "references.bib": b"@book{a, title={T}\n\n@book{b, title={U}}\n"},
     "p/references.bib:", "PK110"),
])
def test_bad_inputs_name_file_and_code(tmp_path: Path, files: dict[str, bytes], where: str, code: str) -> None:
    folder = tmp_path / "p"
    folder.mkdir()
    for name, data in files.items():
        (folder / name).write_bytes(data)
    result = run("check", str(folder), cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    line = result.stderr.strip().splitlines()[0]
    assert line.startswith(where) and f"error {code}:" in line, line


def test_missing_source_and_usage_errors(tmp_path: Path) -> None:
    result = run("check", "nowhere", cwd=tmp_path)
    assert result.returncode == 2 and "PK104" in result.stderr
    result = run("build", cwd=tmp_path)
    assert result.returncode == 2 and "no SOURCE given" in result.stderr
    result = run("build", "--to", "html", str(ROOT / "sources" / "feature-tour"), cwd=tmp_path)
    assert result.returncode == 2 and "unknown format 'html'" in result.stderr


def test_build_never_writes_into_the_source_folder(project: Path) -> None:
    before = sorted(p.relative_to(project) for p in (project / "sources").rglob("*"))
    result = run("build", "--to", "tex", cwd=project)
    assert result.returncode == 0
    assert sorted(p.relative_to(project) for p in (project / "sources").rglob("*")) == before


def test_templates_lists_article(tmp_path: Path) -> None:
    result = run("templates", cwd=tmp_path)
    assert result.returncode == 0 and result.stdout.startswith("article ")
