"""``paperkit new``, ``count``, ``templates``, ``styles`` and ``doctor`` as a user runs them."""

from __future__ import annotations

from pathlib import Path

import shutil

import pytest

from cli_run import paper, run

ROOT = Path(__file__).resolve().parents[1]

TEMPLATES = sorted(p.name for p in (ROOT / "templates").iterdir()
                   if (p / "template.yaml").is_file())


@pytest.mark.parametrize("template", [None, *TEMPLATES])
def test_new_paper_passes_check_strict_and_builds(tmp_path: Path, template: str | None) -> None:
    args = ["new", "my_new-paper"] + (["--template", template] if template else [])
    made = run(*args, cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    folder = tmp_path / "my_new-paper"
    assert sorted(p.name for p in folder.iterdir()) == ["paper.md", "references.bib"]
    text = (folder / "paper.md").read_text()
    assert text.startswith("---\ntitle: \"My New Paper\"\n")
    assert (f"template: {template}\n" in text) == bool(template)
    check = run("check", "--strict", "my_new-paper", cwd=tmp_path)
    assert check.returncode == 0, check.stderr
    assert check.stderr == ""
    # both references are cited: the summary counts them
    assert "of 2/2 references; 0 errors, 0 warnings" in check.stdout
    build = run("build", "--to", "pdf,docx", "my_new-paper", cwd=tmp_path)
    assert build.returncode == 0, build.stderr
    pdf = tmp_path / "build" / "my_new-paper" / "paper.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    from pypdf import PdfReader

    words = " ".join(" ".join(page.extract_text() for page in PdfReader(pdf).pages).split())
    assert "My New Paper" in words and "Ostrom" in words and "develops the argument" in words


def test_new_refuses_an_existing_path_and_touches_nothing(tmp_path: Path) -> None:
    existing = paper(tmp_path / "taken", "---\ntitle: Mine\n---\nKeep me.\n")
    result = run("new", "taken", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == ("paperkit: error: taken already exists; choose a new name "
                             "(paperkit new never overwrites)\n")
    assert (existing / "paper.md").read_text() == "---\ntitle: Mine\n---\nKeep me.\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken"]   # no staging left
    (tmp_path / "empty").mkdir()
    assert run("new", "empty", cwd=tmp_path).returncode == 2
    assert list((tmp_path / "empty").iterdir()) == []


def test_new_with_an_unknown_template_says_so(tmp_path: Path) -> None:
    result = run("new", "p", "--template", "artcle", cwd=tmp_path)
    assert result.returncode == 2
    assert "unknown template 'artcle' (did you mean 'article'?)" in result.stderr
    assert not (tmp_path / "p").exists()


def test_count_table_is_aligned_with_limits_and_how_far_off(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "sources" / "feature-tour", tmp_path / "tour")
    result = run("count", "tour", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "tour"
    header = lines[1]
    assert header.split() == ["section", "own", "total", "limit", "off"]
    intro = next(line for line in lines if "1 Introduction" in line)
    assert intro.split()[-3:] == ["max", "250", "ok"]
    # right-aligned numbers: each row's "total" ends where the header's does
    end = header.index("total") + len("total")
    rows = lines[2:lines.index("")]
    assert all(row[end - 1].isdigit() and not row[end:end + 1].strip() for row in rows)
    main = next(line for line in lines if line.lstrip().startswith("main text (*"))
    assert main.split()[-2:] == ["250-600", "ok"]
    assert any(line.strip().startswith("abstract") and line.split()[-3:-1] == ["max", "80"]
               for line in lines)


def test_count_shows_how_far_short_a_paper_is(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "sources" / "japan-central-asia", tmp_path / "seed")
    result = run("count", "seed", cwd=tmp_path)
    main = next(line for line in result.stdout.splitlines()
                if line.lstrip().startswith("main text (*"))
    words, limit, short = main.split()[-4], main.split()[-3], main.split()[-2]
    assert limit == "1,350-1,650" and short.startswith("-")
    assert int(short[1:].replace(",", "")) == 1350 - int(words.replace(",", ""))


def test_templates_lists_every_shipped_template_with_its_description(tmp_path: Path) -> None:
    result = run("templates", cwd=tmp_path)
    names = [line.split()[0] for line in result.stdout.splitlines()]
    assert names[0] == "article" and sorted(names) == TEMPLATES
    assert all(len(line.split(None, 1)) == 2 for line in result.stdout.splitlines())


def test_styles_search_filters_by_name_or_title(tmp_path: Path) -> None:
    result = run("styles", "chicago-notes", cwd=tmp_path)
    assert result.returncode == 0
    rows = dict(line.split(None, 1) for line in result.stdout.splitlines())
    assert "chicago-notes-bibliography" in rows
    assert "Chicago" in rows["chicago-notes-bibliography"]
    assert all("chicago-notes" in name or "chicago-notes" in title.lower()
               for name, title in rows.items())
    by_title = run("styles", "mla handbook", cwd=tmp_path).stdout.splitlines()
    assert any(line.startswith("modern-language-association ") for line in by_title)
    assert all("MLA Handbook" in line for line in by_title)
    everything = run("styles", cwd=tmp_path).stdout.splitlines()
    assert len(everything) > 1000 and any(line.startswith("apa ") for line in everything)
    missing = run("styles", "no-such-style-anywhere", cwd=tmp_path)
    assert missing.returncode == 2 and "no citation style matches" in missing.stderr


def test_doctor_names_each_tool_what_it_enables_and_exits_0(tmp_path: Path) -> None:
    result = run("doctor", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    for tool in ("pdflatex", "xelatex", "lualatex", "biber", "latexmk", "soffice",
                 "pdftotext", "qpdf"):
        line = next(line for line in result.stdout.splitlines()
                    if line.split()[:1] == [tool])
        found = shutil.which(tool) is not None
        assert line.split()[1] == ("found" if found else "missing"), line
    assert "build --to tex --compile" in result.stdout
    if shutil.which("qpdf"):
        assert "qpdf version" in result.stdout
