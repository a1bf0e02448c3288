"""The ``paperkit`` command: build, check, count, new, templates, styles, doctor.

The only place that prints diagnostics and turns findings into exit codes. Bad input ends in
one line naming the file, line and what to fix, and exit status 2 — never a traceback.
Settings come from flags, then a paper's front matter, then the ``paperkit.toml`` above it.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from ..errors import PaperkitError
from ..options import FORMATS
from .batch import default_jobs, run_many, summary_table
from .console import Console, diagnostics_document, is_terminal
from .jobs import EXIT_INTERNAL, Flags, Outcome, summary_line
from .project import ProjectError, find_project

__all__ = ["main", "run"]


class _UsageError(Exception):
    pass


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="paperkit",
        description="Build papers into PDF, Word and LaTeX; check word counts and citations.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    shown = argparse.ArgumentParser(add_help=False)
    shown.add_argument("--color", choices=("auto", "always", "never"), default="auto",
                       help="colour diagnostics: auto (a terminal without NO_COLOR), "
                            "always, never")
    shown.add_argument("--show-source", choices=("auto", "always", "never"), default="auto",
                       help="print the source line and a caret under each diagnostic: "
                            "auto (when stderr is a terminal), always, never")

    def sources(p: argparse.ArgumentParser) -> None:
        p.add_argument("sources", nargs="*", metavar="SOURCE",
                       help="a paper folder (holding paper.md), a .md file, or a folder of "
                            "paper folders; default: every folder under ./sources, else "
                            "every paper under the paperkit.toml above")
        p.add_argument("--allow-outside", action="append", default=[], metavar="PATH",
                       help="also let papers read images, bibliographies and .csl files "
                            "from the folder PATH (repeatable); by default only files inside "
                            "a paper's own folder")
        p.add_argument("--template", metavar="NAME|PATH", help="template name or folder")
        p.add_argument("--csl", metavar="STYLE", help="citation style name or .csl file")
        p.add_argument("--format", choices=("text", "json"), default="text",
                       help="text, or one JSON document on stdout (default: text)")

    def jobs(p: argparse.ArgumentParser) -> None:
        p.add_argument("-j", "--jobs", type=int, metavar="N",
                       help="at most N processes: N papers at once in worker processes, or "
                            "one paper's formats side by side (default: paperkit.toml's "
                            "jobs, else the number of cores)")

    b = sub.add_parser("build", help="build papers into pdf, docx and tex", parents=[shown])
    sources(b)
    jobs(b)
    b.add_argument("--to", metavar="FORMATS",
                   help="comma-separated formats: pdf,docx,tex (default: paperkit.toml's "
                        "formats, else all three)")
    b.add_argument("--out", metavar="DIR",
                   help="output folder; each paper goes to DIR/<paper>/ (default: "
                        "paperkit.toml's out, else build)")
    b.add_argument("--strict", action=argparse.BooleanOptionalAction, default=None,
                   help="treat every finding as failure; write nothing then")
    b.add_argument("--latex-citations", choices=("rendered", "biblatex"),
                   help="tex: the citation style's text (rendered) or \\autocite commands "
                        "with references.bib for biber (biblatex); default: front matter, "
                        "else rendered")
    b.add_argument("--compile", action=argparse.BooleanOptionalAction, default=None,
                   help="tex: also run the TeX engine (and biber) on paper.tex in a "
                        "temporary folder; writes paper-latex.pdf, reports TeX errors at "
                        "their source line")
    b.add_argument("--engine", choices=("pdflatex", "xelatex", "lualatex"),
                   help="the TeX engine for --compile (default: pdflatex)")
    b.add_argument("--watch", action="store_true",
                   help="rebuild whenever the paper, its .bib, images or template change; "
                        "Ctrl-C stops")

    c = sub.add_parser("check", help="run every check; write nothing", parents=[shown])
    sources(c)
    jobs(c)
    c.add_argument("--strict", action=argparse.BooleanOptionalAction, default=None,
                   help="warnings fail too")

    n = sub.add_parser("count", help="print word counts per section and category, with "
                       "limits", parents=[shown])
    sources(n)

    new = sub.add_parser("new", help="make a new paper folder that builds and passes "
                         "check --strict")
    new.add_argument("name", metavar="NAME", help="the folder to make (must not exist)")
    new.add_argument("--template", metavar="NAME|PATH", help="template for its front matter")

    sub.add_parser("templates", help="list the shipped templates")
    styles = sub.add_parser("styles", help="list the citation styles (CSL) csl: can name")
    styles.add_argument("search", nargs="?", metavar="SEARCH",
                        help="only styles whose name or title contains SEARCH (any case)")
    sub.add_parser("doctor", help="show which optional tools (TeX, biber, LibreOffice...) "
                   "are installed and what each enables")
    return parser


def _papers_in(folder: Path) -> list[Path]:
    """Return the paper folders below `folder`, skipping hidden folders, sorted."""
    found = []
    for md in folder.rglob("paper.md"):
        parts = md.relative_to(folder).parts[:-1]
        if not any(p.startswith(".") for p in parts):
            found.append(md.parent)
    return sorted(found)


def _discover(sources: list[str]) -> list[str]:
    if sources:
        found: list[str] = []
        for source in sources:
            path = Path(source)
            if path.is_dir() and not (path / "paper.md").exists():
                inner = _papers_in(path)
                if inner:   # a folder of papers
                    found.extend(str(p) for p in inner)
                    continue
            # "." or "..": name the folder, so the paper is called after it
            found.append(str(path.resolve()) if path.name in ("", "..") else source)
        return found
    root = Path("sources")
    papers = sorted(p.parent for p in root.glob("*/paper.md")) if root.is_dir() else []
    if not papers:
        project = find_project(Path.cwd())
        if project is not None:
            papers = [Path(os.path.relpath(p)) for p in _papers_in(project.root)]
    if not papers:
        raise _UsageError("no SOURCE given and no paper folders under ./sources; "
                          "name a paper folder or a .md file")
    return [str(p) for p in papers]


def _formats(text: str | None) -> tuple[str, ...] | None:
    if text is None:
        return None
    names = tuple(dict.fromkeys(n.strip().lower() for n in text.split(",") if n.strip()))
    aliases = {"latex": "tex", "word": "docx"}
    names = tuple(aliases.get(n, n) for n in names)
    unknown = [n for n in names if n not in FORMATS]
    if unknown or not names:
        raise _UsageError(f"--to: unknown format '{unknown[0] if unknown else text}'; "
                          f"use {','.join(FORMATS)}")
    return names


def _flags(args: argparse.Namespace) -> Flags:
    return Flags(
        command=args.command, formats=_formats(getattr(args, "to", None)),
        out=getattr(args, "out", None), template=args.template, csl=args.csl,
        strict=getattr(args, "strict", None),
        latex_citations=getattr(args, "latex_citations", None),
        compile_tex=getattr(args, "compile", None), engine=getattr(args, "engine", None),
        allow_outside=tuple(args.allow_outside))


def _jobs(args: argparse.Namespace, sources: list[str]) -> int:
    if args.jobs is not None:
        if args.jobs < 1:
            raise _UsageError("-j/--jobs takes a positive number")
        return int(args.jobs)
    project = find_project(Path(sources[0])) if sources else None
    configured = project.get("jobs") if project else None
    return int(configured) if configured else default_jobs()


def _cmd_build_or_check(args: argparse.Namespace, console: Console) -> int:
    flags = _flags(args)
    if args.command == "build" and args.compile and flags.formats and "tex" not in flags.formats:
        raise _UsageError("--compile compiles the LaTeX output; add tex to --to")
    sources = _discover(args.sources)
    if args.command == "build" and args.watch:
        if args.format == "json":
            raise _UsageError("--watch prints status lines; it does not take --format json")
        from .watch import watch

        return watch(sources, flags, console)
    text = args.format == "text"
    batch = len(sources) > 1

    def emit(outcome: Outcome) -> None:
        if not text:
            return
        if outcome.failure:
            console.error(outcome.failure)
        console.diagnostics(outcome.diagnostics)
        if not batch and outcome.words is not None:
            console.print(summary_line(outcome))

    jobs = _jobs(args, sources)
    if args.jobs is not None:
        # `-j N` caps the CPUs used: a paper built in this process forks at most N writers
        # (in a pool of workers each builds serially: the pool already fills the CPUs)
        flags = dataclasses.replace(flags, processes=jobs)
    start = time.perf_counter()
    progress = text and batch and is_terminal(console.err)
    outcomes = run_many(args.command, sources, flags, jobs, console, emit, progress)
    status = max(o.status for o in outcomes)
    if not text:
        diags = [d for o in outcomes for d in o.diagnostics]
        console.print(diagnostics_document([o.to_dict() for o in outcomes], diags, status))
    elif batch:
        console.print(summary_table(outcomes, time.perf_counter() - start,
                                    min(jobs, len(sources))))
    return status


def _cmd_count(args: argparse.Namespace, console: Console) -> int:
    from ..pipeline import resolve
    from ..readers import load
    from .count_table import count_table
    from .jobs import settings_for

    status = 0
    results: dict[str, object] = {}
    flags = _flags(args)
    for source in _discover(args.sources):
        try:
            project = find_project(Path(source))
            paper = load(source, allow_outside=flags.allow_outside + tuple(
                project.get("allow-outside") or () if project else ()))
            options, _ = settings_for(paper, flags, project)
            resolved, _, report = resolve(paper, options)
        except PaperkitError as exc:
            console.diagnostics(list({(d.code, d.pos, d.message): d
                                      for d in exc.diagnostics}.values()))
            status = 2
            continue
        if args.format == "json":
            results[report.paper] = report.counts.to_dict()
        else:
            console.print(count_table(report.paper, report.counts, resolved.limits).rstrip("\n"))
    if args.format == "json":
        console.print(json.dumps(results, indent=2, ensure_ascii=False))
    return status


def _cmd_new(args: argparse.Namespace, console: Console) -> int:
    from .scaffold import ScaffoldError, new_paper

    try:
        files = new_paper(Path(args.name), args.template)
    except ScaffoldError as exc:
        raise _UsageError(str(exc)) from None
    console.print(f"made {args.name}/: {', '.join(p.name for p in files)}")
    console.print(f"next: paperkit check --strict {args.name} && paperkit build {args.name}")
    return 0


def _cmd_templates(args: argparse.Namespace, console: Console) -> int:
    from .listing import templates_text

    console.out.write(templates_text())
    return 0


def _cmd_styles(args: argparse.Namespace, console: Console) -> int:
    from .listing import styles_text

    text, found = styles_text(args.search)
    if not found:
        raise _UsageError(f"no citation style matches '{args.search}'; "
                          "run 'paperkit styles' for the full list")
    console.out.write(text)
    return 0


def _cmd_doctor(args: argparse.Namespace, console: Console) -> int:
    from .doctor import doctor_text, probe

    console.out.write(doctor_text(probe()))
    return 0


_COMMANDS = {"build": _cmd_build_or_check, "check": _cmd_build_or_check, "count": _cmd_count,
             "new": _cmd_new, "templates": _cmd_templates, "styles": _cmd_styles,
             "doctor": _cmd_doctor}


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None,
         err: TextIO | None = None) -> int:
    """Run the command line with `argv`; return the exit status (the console script exits)."""
    out = out or sys.stdout
    err = err or sys.stderr
    args = _parser().parse_args(argv)
    console = Console.make(out, err, getattr(args, "color", "auto"),
                           getattr(args, "show_source", "auto"))
    try:
        status = _COMMANDS[args.command](args, console)
    except _UsageError as exc:
        console.error(f"paperkit: error: {exc}")
        status = 2
    except ProjectError as exc:
        console.error(str(exc))
        status = 2
    except PaperkitError as exc:
        console.error(str(exc))
        status = 2
    except KeyboardInterrupt:
        console.error("paperkit: interrupted")
        status = 130
    except BrokenPipeError:   # `paperkit styles | head`: the reader left; nothing to say
        if out is sys.stdout:   # and Python's flush at exit must not complain either
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        status = 0
    except Exception as exc:  # a bug in paperkit, never bad input: say so in one line
        if os.environ.get("PAPERKIT_DEBUG"):
            raise
        console.error(f"paperkit: internal error: {type(exc).__name__}: {exc} "
                      "(set PAPERKIT_DEBUG=1 for the traceback, and please report it)")
        status = EXIT_INTERNAL
    return status


def run() -> None:
    """Console-script entry point: run :func:`main` and exit with its status."""
    sys.exit(main())

