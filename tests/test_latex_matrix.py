"""CI's LaTeX matrix: every shipped template x both example papers x pdflatex, xelatex and
lualatex compile with no error and no undefined reference (slow: 18 x 2 engine runs).

The .tex files are written once (module fixture); each case compiles a copy with each engine
twice, as a user would, and reads the PDF back for the template's visible marks.
"""

from __future__ import annotations

import os
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

import paperkit
from conftest import ROOT, require_tool
from paperkit.templates import template_names

PAPERS = ("japan-central-asia", "feature-tour")
ENGINES = ("pdflatex", "xelatex", "lualatex")

#: What each template shows in its PDF text, whatever the engine (the seed paper cites
#: nothing, so only the feature tour has a reference list).
MARKS = {
    "article": ["Abstract", "1 Introduction"],
    "policy-brief": ["Key findings", "Introduction"],
    "apa-student": ["Abstract", "Introduction"],
}


@pytest.fixture(scope="module")
def tex_folders(tmp_path_factory):
    """Return {(template, paper): folder} with paper.tex, figures/ and latexmkrc."""
    root = tmp_path_factory.mktemp("matrix")
    folders = {}
    for template in template_names():
        for name in PAPERS:
            result = paperkit.build(paperkit.load(ROOT / "sources" / name), formats=("tex",),
                                    out=root / template, template=template,
                                    options=paperkit.BuildOptions(
                                        source_date_epoch=1767225600))
            assert result.written, result.report.diagnostics
            folders[template, name] = root / template / name
    return folders


def compile_copy(source: Path, work: Path, engine: str) -> str:
    """Compile a copy of `source` in `work` with `engine` twice; return the problems found
    ("" when none) after reading the PDF back for the template's marks."""
    exe = require_tool(engine)
    for path in source.rglob("*"):
        if path.is_file():
            target = work / path.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
    for _ in range(2):
        run = subprocess.run([exe, "-interaction=nonstopmode", "-halt-on-error",
                              "-no-shell-escape", "paper.tex"], cwd=work,
                             capture_output=True, text=True, errors="replace", timeout=600)
    log = (work / "paper.log").read_text(errors="replace")
    if run.returncode != 0 or "\n! " in log:
        return f"{engine}: TeX error\n{log[-2500:]}"
    undefined = re.search(r"undefined references|Reference `[^']*' on page \d+ undefined|"
                          r"Citation `[^']*' .*undefined|There were undefined|"
                          r"Label\(s\) may have changed", log)
    if undefined:
        return f"{engine}: {undefined.group(0)}"
    if _overfull_points(log) >= 20:           # nothing sticks visibly into the margin
        return f"{engine}: a line {_overfull_points(log)}pt into the margin"
    text = subprocess.run([require_tool("pdftotext"), "-enc", "UTF-8", "paper.pdf", "-"],
                          cwd=work, capture_output=True, text=True, check=True).stdout
    return " ".join(text.split())


@pytest.mark.slow
@pytest.mark.parametrize("paper", PAPERS)
@pytest.mark.parametrize("template", ["article", "policy-brief", "apa-student"])
def test_template_compiles(tex_folders, template, paper, tmp_path):
    # The three engines run side by side (CI has at least two cores): lualatex alone takes
    # about as long as the other two together.
    assert set(template_names()) == set(MARKS)          # a new template needs its marks
    for engine in ENGINES:
        require_tool(engine)
    with ThreadPoolExecutor(max_workers=min(3, os.cpu_count() or 1)) as pool:
        results = dict(zip(ENGINES, pool.map(
            lambda engine: compile_copy(tex_folders[template, paper], tmp_path / engine,
                                        engine), ENGINES)))
    marks = MARKS[template] + (["References", "Mackinder"] if paper == "feature-tour" else [])
    for engine, text in results.items():
        assert not text.startswith(f"{engine}:"), text
        for mark in marks:
            assert mark in text, (engine, mark, text[:1500])


def _overfull_points(log: str) -> float:
    """Return the widest overfull box in the log, in pt (0 when none)."""
    widths = [float(w) for w in re.findall(r"Overfull \\hbox \((\d+(?:\.\d+)?)pt too wide",
                                           log)]
    return max(widths, default=0.0)
