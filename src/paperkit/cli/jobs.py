"""One paper's check or build as a job: settings in, a picklable outcome out.

The same function runs in the main process (one paper, ``--watch``) and in worker
processes (``-j N``), so a paper builds identically either way. Settings are merged here,
nearest wins: command-line flags, then the paper's front matter, then ``paperkit.toml``.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..diagnostics import Diagnostic
from ..errors import PaperkitError
from ..options import FORMATS, BuildOptions
from .project import Project, ProjectError, find_project

if TYPE_CHECKING:
    from ..model import Paper
    from ..pipeline import Report

__all__ = ["Flags", "Outcome", "run_job", "settings_for", "summary_line"]

EXIT_INTERNAL = 3


@dataclass(frozen=True, slots=True)
class Flags:
    """What the command line said; None means "not given" (the project file may set it)."""

    command: str = "build"
    formats: tuple[str, ...] | None = None
    out: str | None = None
    template: str | None = None
    csl: str | None = None
    strict: bool | None = None
    latex_citations: str | None = None
    compile_tex: bool | None = None
    engine: str | None = None
    allow_outside: tuple[str, ...] = ()
    #: at most this many processes for one paper built in this process (``-j N``: the
    #: writers of its formats run side by side up to N); None: as many as there are CPUs
    processes: int | None = None


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one job did: the paper's figures, diagnostics, files written and exit status."""

    source: str
    paper: str
    status: int
    diagnostics: tuple[Diagnostic, ...] = ()
    words: int | None = None
    limit: tuple[int | None, int | None] | None = None
    limit_note: str = ""
    citations: int = 0
    references: int = 0
    cited: int = 0
    #: the files written (build), None for a check
    paths: tuple[str, ...] | None = None
    formats: tuple[str, ...] = ()
    seconds: float = 0.0
    #: a one-line message for a failure that is no diagnostic (project file, internal error)
    failure: str = ""

    @property
    def errors(self) -> int:
        """Return how many diagnostics are errors."""
        return sum(1 for d in self.diagnostics if d.severity == "error")

    @property
    def warnings(self) -> int:
        """Return how many diagnostics are warnings."""
        return sum(1 for d in self.diagnostics if d.severity == "warning")

    def to_dict(self) -> dict[str, object]:
        """Return the per-paper summary of ``--format json``."""
        low, high = self.limit or (None, None)
        return {"paper": self.paper, "source": self.source, "status": self.status,
                "words": self.words,
                "limit": None if self.limit is None else {"min": low, "max": high},
                "citations": self.citations, "references": self.references,
                "cited": self.cited, "errors": self.errors, "warnings": self.warnings,
                "written": list(self.paths) if self.paths is not None else None,
                "seconds": round(self.seconds, 3), "failure": self.failure or None}


def _unique(diags: list[Diagnostic]) -> tuple[Diagnostic, ...]:
    """Return `diags` without repeats (an error may also sit in the log that raised it)."""
    return tuple({(d.code, d.pos, d.message): d for d in diags}.values())


def settings_for(paper: Paper, flags: Flags, project: Project | None
                 ) -> tuple[BuildOptions, Path]:
    """Return the build options and output folder for `paper`: flags, then front matter,
    then the project file."""
    def pick(flag: object, front: object, key: str) -> object:
        if flag is not None:
            return flag
        if front is not None or project is None:
            return None   # front matter (read by the pipeline) or the built-in default
        return project.get(key)

    def setting(key: str) -> Any:
        return project.get(key) if project else None

    formats = flags.formats or setting("formats") or FORMATS
    strict = flags.strict if flags.strict is not None else bool(setting("strict"))
    compile_tex = flags.compile_tex if flags.compile_tex is not None else \
        bool(setting("compile"))
    options = BuildOptions.from_env(
        formats=tuple(formats),
        template=pick(flags.template, paper.template, "template"),
        csl=pick(flags.csl, paper.csl, "csl"),
        strict=strict,
        latex_citations=pick(flags.latex_citations, paper.latex_citations, "latex-citations"),
        compile_tex=compile_tex,
        engine=flags.engine or setting("engine") or "pdflatex",
        allow_outside=flags.allow_outside + tuple(setting("allow-outside") or ()))
    out = Path(flags.out or setting("out") or "build")
    return options, out


def _limit(report: Report) -> tuple[tuple[int | None, int | None] | None, str]:
    bounds = report.counts.limits.get("main_text")
    for diag in report.diagnostics:
        if diag.code == "PK301":
            return bounds, diag.message.split("; ", 1)[1]
    return bounds, "within its limit" if bounds else ""


def run_job(command: str, source: str, flags: Flags) -> Outcome:
    """Return the outcome of ``paperkit <command>`` (build or check) on `source`.

    Never raises for bad input: a paper that cannot be read is an outcome with status 2
    and its diagnostics; a bug is status 3 with a one-line `failure`.
    """
    start = time.perf_counter()
    name = Path(source).stem if Path(source).suffix == ".md" else Path(source).name
    # imported here, not at the top: `paperkit --help` (and any command that reads no
    # paper) then skips the reader, the citation engine and the checks, and a build's
    # early writer processes fork before this process loads them (issue 9)
    from ..writers.processes import start_early
    try:
        project = find_project(Path(source))
        allow = flags.allow_outside + tuple(project.get("allow-outside") or ()
                                            if project else ())
        # the writers' processes import their libraries while the paper is read (issue 9;
        # None in a batch worker or when they would not pay)
        formats = flags.formats or (project.get("formats") if project else None) or FORMATS
        early = start_early(formats, flags.processes, source=source) \
            if command == "build" else None
        from ..pipeline import build, check
        from ..readers import load

        paper = load(source, allow_outside=allow)
        name = paper.name
        options, out = settings_for(paper, flags, project)
        if command == "build":
            result = build(paper, options.formats, out, strict=options.strict, options=options,
                           processes=flags.processes,
                           early=early)
            report, status = result.report, result.exit_code
            paths: tuple[str, ...] | None = tuple(str(p) for p in result.paths)
        else:
            report = check(paper, options)
            status, paths = report.exit_code("check", options.strict), None
    except PaperkitError as exc:
        return Outcome(source, name, 2, _unique(exc.diagnostics),
                       seconds=time.perf_counter() - start)
    except ProjectError as exc:
        return Outcome(source, name, 2, failure=str(exc), seconds=time.perf_counter() - start)
    except Exception as exc:  # a bug in paperkit, never bad input: say so in one line
        if os.environ.get("PAPERKIT_DEBUG"):
            raise
        return Outcome(source, name, EXIT_INTERNAL,
                       failure=f"paperkit: internal error on {source}: "
                               f"{type(exc).__name__}: {exc} (set PAPERKIT_DEBUG=1 for "
                               "the traceback, and please report it)",
                       seconds=time.perf_counter() - start)
    limit, note = _limit(report)
    return Outcome(source, report.paper, status, tuple(report.diagnostics),
                   report.counts.main_text, limit, note, report.citations, report.references,
                   report.cited, paths, options.formats, time.perf_counter() - start)


def _shown(path: str) -> str:
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


def summary_line(outcome: Outcome) -> str:
    """Return the one-line summary of `outcome` (the line ``check`` and ``build`` print)."""
    words = f"main text {outcome.words:,} words"
    if outcome.limit_note:
        words += f" ({outcome.limit_note})"
    errors, warnings = outcome.errors, outcome.warnings
    line = "; ".join([
        f"{outcome.paper}: {words}",
        f"{outcome.citations} citations of {outcome.cited}/{outcome.references} references",
        f"{errors} error{'s' if errors != 1 else ''}, "
        f"{warnings} warning{'s' if warnings != 1 else ''}"])
    if outcome.paths is not None:
        shown = ", ".join(_shown(p) for p in outcome.paths if Path(p).name.startswith("paper"))
        line += f" -> {shown}" if outcome.paths else " -> nothing written"
    return line
