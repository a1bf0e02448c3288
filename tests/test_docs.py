"""The documentation is true: its Python examples run, its YAML and TOML are accepted, its
links lead somewhere, the CI files parse and their commands pass on a real project, and
every command the CLI has is documented."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

DOCS = ROOT / "docs"
README = ROOT / "README.md"
GUIDE = ["writing-sources.md", "citations.md", "templates.md", "word-counts.md", "ci.md",
         "api.md", "coming-from-pandoc.md"]


def blocks(path: Path, language: str) -> list[str]:
    """Return the fenced code blocks of `language` in the Markdown file `path`."""
    return re.findall(rf"^```{language}\n(.*?)^```", path.read_text(), re.S | re.M)


def run_python_blocks(path: Path, folder: Path, monkeypatch) -> dict[str, object]:
    """Run every ``python`` block of `path` in order, in one namespace, inside `folder`
    (which sees the repository's ``sources/``); return the namespace."""
    (folder / "sources").symlink_to(ROOT / "sources")
    monkeypatch.chdir(folder)
    namespace: dict[str, object] = {"__name__": "__docs__"}
    for number, code in enumerate(blocks(path, "python"), 1):
        try:
            exec(compile(code, f"{path.name}[block {number}]", "exec"), namespace)
        except Exception as exc:          # name the block, not just the line
            raise AssertionError(f"{path.name} block {number} failed: {exc!r}\n{code}") from exc
    return namespace


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run ``paperkit ARGS`` in `cwd` as a user would."""
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "100"}
    return subprocess.run([sys.executable, "-m", "paperkit", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600)


# --------------------------------------------------------------------------- examples


def test_api_md_examples_run(tmp_path, monkeypatch, capsys):
    namespace = run_python_blocks(DOCS / "api.md", tmp_path, monkeypatch)
    out = capsys.readouterr().out
    assert "UsageError PK109" in out and "TemplateError PK106" in out
    assert "draft.md:3:1: error PK102: unknown front-matter key 'authr'" in out
    assert "['paragraph', 'table of 2 rows', 'table of 2 rows', 'figure figure.png']" in out
    assert (tmp_path / "build" / "brief" / "paper.pdf").is_file()
    assert (tmp_path / "build" / "tour-draft.pdf").read_bytes().startswith(b"%PDF")
    assert namespace["built"].exit_code == 0                       # type: ignore[attr-defined]


def test_coming_from_pandoc_filter_runs(tmp_path, monkeypatch):
    run_python_blocks(DOCS / "coming-from-pandoc.md", tmp_path, monkeypatch)
    assert (tmp_path / "build" / "filtered" / "feature-tour" / "paper.pdf").is_file()


def test_readme_python_runs(tmp_path, monkeypatch, capsys):
    run_python_blocks(README, tmp_path, monkeypatch)
    assert (tmp_path / "build" / "feature-tour" / "paper.docx").is_file()
    assert "PK301" in capsys.readouterr().out


def test_readme_keeps_the_two_set_up_commands():
    text = README.read_text()
    assert "\n    pip install -e . && paperkit build\n" in text
    assert "\n    pip install -e '.[test]' && pytest\n" in text


def test_readme_tour_markdown_is_a_paper(tmp_path):
    import paperkit

    source = blocks(README, "markdown")[0]
    paper = paperkit.loads(source, bib=(ROOT / "sources/feature-tour/references.bib")
                           .read_text(), file=str(tmp_path / "tour.md"))
    report = paperkit.check(paper)
    # the excerpt cites real keys; only the table and figure it mentions live elsewhere
    assert {d.code for d in report.diagnostics} <= {"PK202", "PK401"}
    assert report.cited == 2 and report.citations == 2


# --------------------------------------------------------------------------- YAML, TOML


def test_documented_limits_and_front_matter_are_accepted():
    import paperkit

    for name in ("word-counts.md", "writing-sources.md"):
        for block in blocks(DOCS / name, "yaml"):
            if block.lstrip().startswith("limits:"):
                paper = paperkit.loads(f"---\ntitle: T\n{block}---\n# Introduction\n\nText.\n")
                assert paper.limits.words is not None or paper.limits.sections, name


def test_documented_template_loads(tmp_path):
    import paperkit

    for block in blocks(DOCS / "templates.md", "yaml"):
        first = block.splitlines()[0]
        match = re.match(r"# (\w+)/template.yaml", first)
        if not match:
            continue
        folder = tmp_path / match.group(1)
        folder.mkdir(exist_ok=True)
        (folder / "template.yaml").write_text(block)
        template = paperkit.load_template(folder)
        assert template.name == match.group(1)
    house = paperkit.load_template(tmp_path / "house")
    assert (house.numbering, house.heading_color, house.fonts.size) == ("I.A", "#7A1F1F", 10.5)


def test_documented_project_file_is_accepted(tmp_path):
    """ci.md's paperkit.toml (with templates.md's house template) drives a real build."""
    toml = blocks(DOCS / "ci.md", "toml")[0]
    house = next(b for b in blocks(DOCS / "templates.md", "yaml") if "House style" in b)
    (tmp_path / "house").mkdir()
    (tmp_path / "house" / "template.yaml").write_text(house)
    (tmp_path / "paperkit.toml").write_text(toml)
    (tmp_path / "papers").mkdir()
    assert cli("new", "papers/one", cwd=tmp_path).returncode == 0
    run = cli("build", cwd=tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert {p.name for p in (tmp_path / "build" / "one").iterdir()} == \
        {"paper.pdf", "paper.docx"}                             # formats = ["pdf", "docx"]
    (tmp_path / "paperkit.toml").write_text(toml + "colour = true\n")
    wrong = cli("check", cwd=tmp_path)
    assert wrong.returncode == 2 and "paperkit.toml:" in wrong.stderr


# --------------------------------------------------------------------------- links, images


LINK = re.compile(r"\]\(([^)\s]+)\)")


def anchors(path: Path) -> set[str]:
    """Return the GitHub anchors of the headings of Markdown file `path`."""
    found = set()
    in_code = False
    for line in path.read_text().splitlines():
        if line.startswith("```"):
            in_code = not in_code
        if not in_code and line.startswith("#"):
            title = line.lstrip("#").strip().lower()
            found.add(re.sub(r"[^\w\- ]", "", title).replace(" ", "-"))
    return found


@pytest.mark.parametrize("name", ["README.md", "examples/README.md",
                                  *(f"docs/{n}" for n in GUIDE)])
def test_relative_links_lead_somewhere(name):
    path = ROOT / name
    assert path.is_file(), name
    prose = re.sub(r"^```.*?^```", "", path.read_text(), flags=re.S | re.M)
    prose = re.sub(r"`[^`\n]*`", "", prose)                  # code spans are not links
    for target in LINK.findall(prose):
        if re.match(r"[a-z]+:", target) or target.startswith("#"):
            continue
        file, _, anchor = target.partition("#")
        linked = (path.parent / file).resolve()
        assert linked.exists(), f"{name}: {target}"
        if anchor and linked.suffix == ".md":
            assert anchor in anchors(linked), f"{name}: {target}"


def test_readme_pictures_are_small_pngs():
    pictures = re.findall(r"!\[[^\]]*\]\((docs/img/[^)]+)\)", README.read_text())
    assert len(pictures) == 2
    for picture in pictures:
        data = (ROOT / picture).read_bytes()
        assert data.startswith(b"\x89PNG") and len(data) < 150_000, picture


# --------------------------------------------------------------------------- CI files


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """Return a project folder as a user has it: paperkit.toml and one new paper."""
    folder = tmp_path_factory.mktemp("project")
    (folder / "papers").mkdir()
    made = cli("new", "papers/first", cwd=folder)
    assert made.returncode == 0, made.stderr
    (folder / "paperkit.toml").write_text('out = "build"\n')
    return folder


def test_github_workflow_parses_and_its_commands_pass(project):
    workflow = yaml.safe_load((DOCS / "ci" / "paperkit.yml").read_text())
    triggers = workflow.get("on", workflow.get(True))           # YAML 1.1 reads `on` as True
    assert set(triggers) == {"push", "pull_request"}
    steps = workflow["jobs"]["papers"]["steps"]
    assert steps[0]["uses"].startswith("actions/checkout@")
    commands = [s["run"] for s in steps if "run" in s and s["run"].startswith("paperkit")]
    assert len(commands) == 2
    for command in commands:
        run = cli(*command.split()[1:], cwd=project)
        assert run.returncode == 0, f"{command}\n{run.stdout}\n{run.stderr}"
    assert {p.name for p in (project / "build" / "first").iterdir()} >= \
        {"paper.pdf", "paper.docx", "paper.tex"}
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact"))
    assert upload["with"]["path"] == "build/"


def test_pre_commit_hooks_parse_and_their_entries_pass(project):
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert [h["id"] for h in hooks] == ["paperkit-check", "paperkit-check-changed"]
    for hook in hooks:
        assert {"id", "name", "entry", "language", "files"} <= set(hook)
        assert hook["language"] == "python" and hook["entry"].startswith("paperkit ")
        files = re.compile(hook["files"])
        assert files.search("papers/first/paper.md") and not files.search("README.md")
        args = hook["entry"].split()[1:]
        if hook["pass_filenames"]:
            args.append("papers/first/paper.md")
        run = cli(*args, cwd=project)
        assert run.returncode == 0, run.stdout + run.stderr
    assert re.compile(hooks[0]["files"]).search("refs/shared.bib")
    # a broken paper fails the hook, naming the line
    broken = project / "papers" / "broken"
    broken.mkdir()
    (broken / "paper.md").write_text("---\ntitle: T\n---\n# A\n\nSee [@nobody].\n")
    run = cli(*hooks[1]["entry"].split()[1:], "papers/broken/paper.md", cwd=project)
    assert run.returncode == 1 and "paper.md:6:5" in run.stderr + run.stdout
    (broken / "paper.md").unlink()
    broken.rmdir()


# --------------------------------------------------------------------------- coverage


def test_every_cli_command_is_documented():
    run = cli("--help", cwd=ROOT)
    commands = re.findall(r"^    (\w+)\s", run.stdout, re.M)
    assert {"build", "check", "count", "new", "templates", "styles", "doctor"} <= set(commands)
    readme, ci = README.read_text(), (DOCS / "ci.md").read_text()
    for command in commands:
        assert f"paperkit {command}" in readme, command
        assert f"paperkit {command}" in ci, command
    for flag in ("--watch", "--jobs", "--strict", "--format", "--to", "--out"):
        assert flag in ci, flag


def test_every_public_name_appears_in_api_md():
    import paperkit

    text = (DOCS / "api.md").read_text()
    skip = {"__version__", "parse_bibtex", "Pos", "BibEntry", "Emph", "Strong", "SmallCaps",
            "Superscript", "Subscript", "LineBreak", "Inline", "Text", "Author"}
    missing = [n for n in paperkit.__all__ if n not in skip and n not in text]
    assert missing == []


def test_the_guide_is_linked_from_the_readme():
    readme = README.read_text()
    for name in GUIDE:
        assert f"(docs/{name})" in readme, name


def test_readme_tour_commands_work(tmp_path):
    tour = README.read_text().split("## A two-minute tour", 1)[1].split("```", 1)[0]
    commands = [line.split("#", 1)[0].split() for line in tour.splitlines()
                if line.startswith("    paperkit ")]
    assert [c[1] for c in commands] == ["new", "build", "check", "build"]
    for command in commands:
        if "--watch" in command:
            continue                                   # runs until Ctrl-C
        run = cli(*command[1:], cwd=tmp_path)
        assert run.returncode == 0, f"{command}\n{run.stdout}\n{run.stderr}"
    assert (tmp_path / "build" / "my-paper" / "paper.pdf").is_file()


@pytest.mark.slow
def test_readme_pictures_regenerate(tmp_path):
    from conftest import require_tool
    from PIL import Image

    require_tool("pdftoppm")
    require_tool("soffice")
    run = subprocess.run([sys.executable, str(DOCS / "img" / "render.py"), "--out",
                          str(tmp_path)], capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    for name in ("feature-tour-pdf.png", "feature-tour-docx.png"):
        made, shipped = Image.open(tmp_path / name), Image.open(DOCS / "img" / name)
        assert made.size == shipped.size                  # two A4 pages at 50 dpi, side by side
        assert (tmp_path / name).stat().st_size < 150_000


def test_every_front_matter_key_is_documented():
    from paperkit.readers.frontmatter import KEYS

    table = (DOCS / "writing-sources.md").read_text().split("## Front-matter keys", 1)[1]
    for key in KEYS:
        assert f"`{key}`" in table, key


def test_every_template_key_is_documented():
    from paperkit.templates import SCHEMA

    text = (DOCS / "templates.md").read_text().split("## Keys", 1)[1]

    def keys(schema, prefix=""):
        for name, value in schema.items():
            path = f"{prefix}{name}"
            if isinstance(value, dict) and not prefix.startswith("headings.levels"):
                yield from keys(value, path + ".")
            else:
                yield path

    missing = []
    for key in keys(SCHEMA):
        last = key.rsplit(".", 1)[-1]
        # the table writes some keys as groups: `page.margins.top` / `bottom` ...
        if f"`{key}`" not in text and f"`{last}`" not in text and not key.startswith(
                "headings.levels"):
            missing.append(key)
    assert missing == []


def test_every_project_file_key_is_documented():
    from paperkit.cli.project import KEYS

    text = (DOCS / "ci.md").read_text().split("## `paperkit.toml`", 1)[1]
    assert [key for key in KEYS if f"| `{key}` |" not in text] == []


def test_every_diagnostic_code_is_in_the_readme():
    from paperkit.diagnostics import CATALOG

    table = README.read_text().split("### Diagnostic codes", 1)[1]
    listed = set(re.findall(r"PK\d{3}", table))
    for low, high in re.findall(r"PK(\d{3})-PK(\d{3})", table):
        listed.update(f"PK{n}" for n in range(int(low), int(high) + 1))
    assert sorted(set(CATALOG) - listed) == []
