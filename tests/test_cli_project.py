"""``paperkit.toml``: defaults for every paper below it; front matter and flags override."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_run import paper, run

BIB = "@book{a, author={Buzan, B.}, title={T}, publisher={R}, year={2022}}\n"


def project(root: Path, toml: str, front: str = "") -> Path:
    (root / "paperkit.toml").write_text(toml, encoding="utf-8")
    paper(root / "papers" / "one", f"---\ntitle: One\n{front}---\nAs argued [@a].\n", BIB)
    return root / "papers" / "one"


def test_project_sets_out_formats_and_csl_for_a_paper_below_it(tmp_path: Path) -> None:
    project(tmp_path, 'out = "site"\nformats = ["tex"]\ncsl = "ieee"\n')
    # run from inside the paper folder: the file is found by walking up
    result = run("build", ".", cwd=tmp_path / "papers" / "one")
    assert result.returncode == 0, result.stderr
    out = tmp_path / "site" / "one"
    assert sorted(p.name for p in out.iterdir()) == ["latexmkrc", "paper.tex"]
    assert "As argued \\hyperref[ref-a]{[1]}." in (out / "paper.tex").read_text()  # IEEE


def test_front_matter_overrides_the_project_and_flags_override_both(tmp_path: Path) -> None:
    folder = project(tmp_path, 'formats = "tex"\ncsl = "ieee"\n', front="csl: apa\n")
    run("build", str(folder), cwd=tmp_path)
    tex = (tmp_path / "build" / "one" / "paper.tex").read_text()
    argued = next(line for line in tex.splitlines() if line.startswith("As argued"))
    assert argued == "As argued (\\hyperref[ref-a]{Buzan, 2022})."
    run("build", "--csl", "ieee", "--to", "docx", "--out", "o2", str(folder), cwd=tmp_path)
    assert sorted(p.name for p in (tmp_path / "o2" / "one").iterdir()) == ["paper.docx"]


def test_strict_from_the_project_and_no_strict_flag(tmp_path: Path) -> None:
    folder = project(tmp_path, "strict = true\n")
    (folder / "references.bib").write_text(BIB + "@book{b, author={X, Y.}, title={U}, "
                                                 "publisher={R}, year={2020}}\n")
    strict = run("check", str(folder), cwd=tmp_path)
    assert strict.returncode == 1 and "PK202" in strict.stderr
    relaxed = run("check", "--no-strict", str(folder), cwd=tmp_path)
    assert relaxed.returncode == 0


def test_project_template_path_is_relative_to_the_project(tmp_path: Path) -> None:
    mine = tmp_path / "looks" / "mine"
    mine.mkdir(parents=True)
    (mine / "template.yaml").write_text("description: mine\n"
                                        "references: {title: Works Cited Here}\n")
    folder = project(tmp_path, 'template = "looks/mine"\nformats = ["tex"]\n')
    result = run("build", ".", cwd=folder)
    assert result.returncode == 0, result.stderr
    assert "Works Cited Here" in (folder / "build" / "one" / "paper.tex").read_text()


def test_unknown_key_is_one_line_with_file_line_and_did_you_mean(tmp_path: Path) -> None:
    folder = project(tmp_path, 'out = "site"\n\ntemplte = "article"\n')
    result = run("build", str(folder), cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr == ("paperkit.toml:3: error: unknown key 'templte' in paperkit.toml "
                             "(did you mean 'template'?)\n")
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize("toml, expected", [
    ("strict = 1\n", "paperkit.toml:1: error: 'strict' must be true or false"),
    ('formats = ["pdf", "html"]\n', "paperkit.toml:1: error: 'formats' must be a list of"),
    ('engine = "pdftex"\n', "paperkit.toml:1: error: 'engine' must be pdflatex or xelatex"),
    ('out = "a"\nout = "b"\n', "paperkit.toml:2:"),
    ('latex_citations = "biblatex"\n',
     "paperkit.toml:1: error: unknown key 'latex_citations' in paperkit.toml (did you mean "
     "'latex-citations'?)"),
])
def test_bad_values_say_where_and_what(tmp_path: Path, toml: str, expected: str) -> None:
    folder = project(tmp_path, toml)
    result = run("check", str(folder), cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith(expected), result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_no_source_builds_every_paper_of_the_project(tmp_path: Path) -> None:
    project(tmp_path, 'formats = ["tex"]\nout = "site"\njobs = 1\n')
    paper(tmp_path / "papers" / "two", "---\ntitle: Two\n---\nText [@a].\n", BIB)
    result = run("build", cwd=tmp_path / "papers")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "site" / "one" / "paper.tex").is_file()
    assert (tmp_path / "site" / "two" / "paper.tex").is_file()
    assert "with 1 job" in result.stdout
