"""``paperkit build --to tex --compile``: run a TeX engine on the written LaTeX folder.

:func:`compile_latex` copies the folder (``paper.tex``, ``references.bib``, ``figures/``) to
a temporary directory, runs the engine (and biber in biblatex mode) there until the
cross-references settle, and returns the PDF with the problems it found. TeX errors become
PK503 diagnostics positioned at the *source* line: the body writer puts a
``% paper.md:LINE`` comment before each heading and top-level block
(:func:`~paperkit.writers.latex_body.source_marker`), and the error's ``.tex`` line maps to
the nearest marker above it. Undefined references and citations left after the last run
are reported too.

The engine runs with ``-no-shell-escape`` and with kpathsea's paranoid file access
(``openout_any=p``, ``openin_any=p``: no absolute paths, no parent directories), as the
``.tex`` comes from templates that may be untrusted. The caller writes the PDF as
``paper-latex.pdf`` beside reportlab's ``paper.pdf``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..diagnostics import Diagnostic
from ..model import Pos

__all__ = ["ENGINES", "CompileResult", "compile_latex", "source_line", "tex_problems",
           "PDF_NAME"]

#: The engines ``--engine`` accepts.
ENGINES: tuple[str, ...] = ("pdflatex", "xelatex", "lualatex")

#: The name of the compiled PDF in the output folder.
PDF_NAME = "paper-latex.pdf"

# PK503 is not in the lead's catalog yet (diagnostics.py); registered here until it is.

_MARKER = re.compile(r"^% (?P<file>[^\n:]+):(?P<line>\d+)$")
_ERROR = re.compile(r"^! (?P<message>.*)$")
_LINE = re.compile(r"^l\.(?P<line>\d+) ?(?P<context>.*)$")
_UNDEFINED = re.compile(r"(?:LaTeX|Package natbib|Package biblatex) Warning: "
                        r"(?P<kind>Reference|Citation) [`'](?P<name>[^']*)' "
                        r"(?:on page \d+ )?undefined(?: on input line (?P<line>\d+))?")
_RERUN = re.compile(r"Rerun to get|Label\(s\) may have changed|Please \(re\)run Biber|"
                    r"Please rerun LaTeX")


@dataclass
class CompileResult:
    """What a compile produced: the PDF (None when the engine failed) and its problems."""

    pdf: bytes | None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    runs: list[str] = field(default_factory=list)
    log: str = ""

    @property
    def ok(self) -> bool:
        """Return whether a PDF came out."""
        return self.pdf is not None


def source_line(tex: str, tex_line: int, source_file: str | None = None) -> Pos | None:
    """Return the source position of ``.tex`` line `tex_line` (1-based), or None.

    That is the nearest ``% paper.md:LINE`` marker at or above the line. `source_file`, when
    its name matches the marker's, gives the full path the diagnostic should name.
    """
    lines = tex.split("\n")
    for index in range(min(tex_line, len(lines)) - 1, -1, -1):
        found = _MARKER.match(lines[index])
        if found:
            name = found.group("file")
            file = source_file if source_file and Path(source_file).name == name else name
            return Pos(file, int(found.group("line")))
    return None


def tex_problems(log: str, tex: str, source_file: str | None = None, *,
                 final: bool = True) -> list[Diagnostic]:
    """Return the problems in TeX `log`: each error (``! ...`` with its ``l.N`` line) and,
    when `final`, each undefined reference or citation, at the source line when known."""
    found: list[Diagnostic] = []
    lines = log.split("\n")
    for index, text in enumerate(lines):
        error = _ERROR.match(text)
        if not error or error.group("message").startswith((" ==> Fatal error",
                                                             "Emergency stop")):
            continue
        message = error.group("message").strip()
        tex_line = None
        for following in lines[index + 1:index + 30]:
            where = _LINE.match(following)
            if where:
                tex_line = int(where.group("line"))
                break
        found.append(_diagnostic(f"TeX error: {message}", tex_line, tex, source_file))
    if final:
        seen: set[str] = set()
        for match in _UNDEFINED.finditer(log):
            name = match.group("name")
            if name in seen:
                continue
            seen.add(name)
            line = int(match.group("line")) if match.group("line") else None
            kind = match.group("kind").lower()
            found.append(_diagnostic(f"the compiled PDF has an undefined {kind} '{name}'",
                                     line, tex, source_file))
    return found


def _diagnostic(detail: str, tex_line: int | None, tex: str,
                source_file: str | None) -> Diagnostic:
    pos = source_line(tex, tex_line, source_file) if tex_line else None
    if tex_line:
        detail += f" (paper.tex line {tex_line})"
    return Diagnostic.make("PK503", pos or Pos("paper.tex", tex_line or 0), detail=detail)


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env.update({"openout_any": "p", "openin_any": "p", "shell_escape": "f",
                "max_print_line": "10000"})
    return env


def _run(command: list[str], work: Path, timeout: float) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=work, capture_output=True, text=True, errors="replace",
                          timeout=timeout, env=_environment(), stdin=subprocess.DEVNULL)


def compile_latex(folder: Path, *, engine: str = "pdflatex", source_file: str | None = None,
                  timeout: float = 300) -> CompileResult:
    """Return the PDF of ``folder/paper.tex`` made with `engine`, and the problems found.

    `folder` holds what :func:`~paperkit.writers.latex.write_latex` wrote; it is left
    untouched (the runs happen in a temporary copy). With a ``references.bib`` biber runs
    after the first pass. Errors are PK503 diagnostics at the source line when known.
    """
    if engine not in ENGINES:
        raise ValueError(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}")
    exe = shutil.which(engine)
    if exe is None:
        return CompileResult(None, [Diagnostic.make(
            "PK503", None, detail=f"{engine} is not installed; install TeX Live (for "
                                  f"example apt-get install texlive-latex-extra) or build "
                                  f"without --compile")])
    tex = (folder / "paper.tex").read_text(encoding="utf-8")
    biblatex = (folder / "references.bib").is_file()
    result = CompileResult(None)
    with tempfile.TemporaryDirectory(prefix="paperkit-tex-") as tmp:
        work = Path(tmp)
        for path in sorted(folder.rglob("*")):
            relative = path.relative_to(folder)
            # Not the other outputs (paper.pdf, paper.docx) nor an earlier latexmk build.
            if not path.is_file() or relative.parts[0] == "latex-build" or \
                    (len(relative.parts) == 1 and path.suffix in (".pdf", ".docx")):
                continue
            target = work / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
        command = [exe, "-interaction=nonstopmode", "-halt-on-error", "-no-shell-escape",
                   "paper.tex"]
        log = ""
        for attempt in range(5):
            try:
                run = _run(command, work, timeout)
            except subprocess.TimeoutExpired:
                result.diagnostics.append(Diagnostic.make(
                    "PK503", None, detail=f"{engine} took longer than {timeout:.0f} s"))
                return result
            result.runs.append(engine)
            log = _read(work / "paper.log") or run.stdout
            if run.returncode != 0 or not (work / "paper.pdf").is_file():
                result.log = log
                result.diagnostics.extend(tex_problems(log, tex, source_file, final=False)
                                          or [Diagnostic.make("PK503", None, detail=(
                                              f"{engine} failed: "
                                              f"{_last_lines(log)}"))])
                return result
            if attempt == 0 and biblatex:
                biber = shutil.which("biber")
                if biber is None:
                    result.diagnostics.append(Diagnostic.make(
                        "PK503", None, detail="biber is not installed; the biblatex "
                                              "reference list stays empty"))
                else:
                    ran = _run([biber, "paper"], work, timeout)
                    result.runs.append("biber")
                    if ran.returncode != 0:
                        result.diagnostics.append(Diagnostic.make(
                            "PK503", None, detail=f"biber failed: {_last_lines(ran.stdout)}"))
                continue
            if not _RERUN.search(log) and attempt >= 1:
                break
        result.log = log
        result.diagnostics.extend(tex_problems(log, tex, source_file, final=True))
        result.pdf = (work / "paper.pdf").read_bytes()
    return result


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def _last_lines(text: str, count: int = 3) -> str:
    lines = [line for line in text.strip().split("\n") if line.strip()]
    return " / ".join(lines[-count:])[:400]
