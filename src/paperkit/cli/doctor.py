"""``paperkit doctor``: which optional tools are installed, their versions, what each enables.

paperkit itself needs none of them: PDF, Word and LaTeX files are written in Python. The
tools add compiling the LaTeX output, biblatex citations, and the checks of the test suite
(rendering .docx, reading PDF text, validating PDF structure). Always exits 0: a missing
tool is information, not a failure.
"""

from __future__ import annotations

import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

__all__ = ["TOOLS", "Tool", "ToolStatus", "probe", "doctor_text"]


@dataclass(frozen=True, slots=True)
class Tool:
    """An optional program: its command, the flag printing its version, what it enables."""

    command: str
    version_flag: str
    enables: str


TOOLS: tuple[Tool, ...] = (
    Tool("pdflatex", "--version", "build --to tex --compile (the default engine)"),
    Tool("xelatex", "--version", "build --compile --engine xelatex (any Unicode script)"),
    Tool("lualatex", "--version", "build --compile --engine lualatex"),
    Tool("biber", "--version", "latex-citations: biblatex with --compile"),
    Tool("latexmk", "-v", "compiling paper.tex yourself (a latexmkrc is written beside it)"),
    Tool("soffice", "--version", "LibreOffice: .docx to PDF (checking Word output; slow tests)"),
    Tool("pdftotext", "-v", "poppler: reading PDF text back (tests)"),
    Tool("qpdf", "--version", "validating PDF structure (tests)"),
)


@dataclass(frozen=True, slots=True)
class ToolStatus:
    """Whether a tool was found: its path and first version line, or None."""

    tool: Tool
    path: str | None
    version: str


def _version(path: str, flag: str) -> str:
    try:
        ran = subprocess.run([path, flag], capture_output=True, text=True, timeout=30,
                             stdin=subprocess.DEVNULL, errors="replace")
    except (OSError, subprocess.SubprocessError):
        return "(version unknown)"
    for line in (ran.stdout + "\n" + ran.stderr).splitlines():
        if line.strip():
            return line.strip()[:70]
    return "(version unknown)"


def _probe_one(tool: Tool) -> ToolStatus:
    path = shutil.which(tool.command)
    return ToolStatus(tool, path, _version(path, tool.version_flag) if path else "")


def probe(tools: tuple[Tool, ...] = TOOLS) -> list[ToolStatus]:
    """Return the status of each of `tools`, asking the found ones for their version at
    the same time (LibreOffice takes seconds to answer)."""
    with ThreadPoolExecutor(max_workers=len(tools)) as pool:
        return list(pool.map(_probe_one, tools))


def doctor_text(statuses: list[ToolStatus]) -> str:
    """Return the ``paperkit doctor`` report for `statuses`."""
    import platform
    import sys

    from .. import __version__

    lines = [f"paperkit {__version__}, Python {platform.python_version()} "
             f"({sys.executable})",
             "pdf, docx and tex are written without any of these tools; they add:", ""]
    width = max(len(s.tool.command) for s in statuses)
    for status in statuses:
        mark = "found  " if status.path else "missing"
        lines.append(f"  {status.tool.command:<{width}}  {mark}  {status.tool.enables}")
        if status.path:
            lines.append(f"  {'':<{width}}           {status.path}: {status.version}")
    found = sum(1 for s in statuses if s.path)
    lines += ["", f"{found} of {len(statuses)} optional tools found."]
    return "\n".join(lines) + "\n"
