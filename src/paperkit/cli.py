"""The ``paperkit`` command: build, check, count, templates.

The only place that prints diagnostics and turns findings into exit codes. Bad input ends in
one line naming the file, line and what to fix, and exit status 2 — never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Sequence, TextIO

from .checks.words import WordCounts, describe_limit, find_section
from .model import Limits
from .diagnostics import Diagnostic, render_json, render_text
from .errors import PaperkitError
from .options import FORMATS, BuildOptions
from .pipeline import Report, build, check
from .readers import load
from .templates import load_template, template_names

__all__ = ["main"]

EXIT_INTERNAL = 3


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="paperkit",
        description="Build papers into PDF, Word and LaTeX; check word counts and citations.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def sources(p: argparse.ArgumentParser) -> None:
        p.add_argument("sources", nargs="*", metavar="SOURCE",
                       help="a paper folder (holding paper.md) or a .md file; "
                            "default: every folder under ./sources")
        p.add_argument("--allow-outside", action="append", default=[], metavar="PATH",
                       help="also let papers read images, bibliographies and .csl files "
                            "from the folder PATH (repeatable); by default only files inside "
                            "a paper's own folder")

    b = sub.add_parser("build", help="build papers into pdf, docx and tex")
    sources(b)
    b.add_argument("--to", default=",".join(FORMATS), metavar="FORMATS",
                   help="comma-separated formats: pdf,docx,tex (default: all three)")
    b.add_argument("--out", default="build", metavar="DIR",
                   help="output folder; each paper goes to DIR/<paper>/ (default: build)")
    b.add_argument("--template", metavar="NAME|PATH", help="template name or folder")
    b.add_argument("--csl", metavar="STYLE", help="citation style name or .csl file")
    b.add_argument("--strict", action="store_true",
                   help="treat every finding as failure; write nothing then")
    b.add_argument("--latex-citations", choices=("rendered", "biblatex"),
                   help="tex: the citation style's text (rendered) or \\autocite commands "
                        "with references.bib for biber (biblatex); default: front matter, "
                        "else rendered")
    b.add_argument("--compile", action="store_true",
                   help="tex: also run the TeX engine (and biber) on paper.tex in a "
                        "temporary folder; writes paper-latex.pdf, reports TeX errors at "
                        "their source line")
    b.add_argument("--engine", choices=("pdflatex", "xelatex", "lualatex"),
                   default="pdflatex", help="the TeX engine for --compile (default: pdflatex)")
    b.add_argument("--format", choices=("text", "json"), default="text",
                   help="how to print diagnostics (default: text)")

    c = sub.add_parser("check", help="run every check; write nothing")
    sources(c)
    c.add_argument("--strict", action="store_true", help="warnings fail too")
    c.add_argument("--template", metavar="NAME|PATH", help="template name or folder")
    c.add_argument("--csl", metavar="STYLE", help="citation style name or .csl file")
    c.add_argument("--format", choices=("text", "json"), default="text")

    n = sub.add_parser("count", help="print word counts per section and category")
    sources(n)
    n.add_argument("--format", choices=("text", "json"), default="text")

    sub.add_parser("templates", help="list the shipped templates")
    return parser


def _discover(sources: list[str]) -> list[Path]:
    if sources:
        return [Path(s) for s in sources]
    root = Path("sources")
    found = sorted(p.parent for p in root.glob("*/paper.md")) if root.is_dir() else []
    if not found:
        raise _UsageError("no SOURCE given and no paper folders under ./sources; "
                          "name a paper folder or a .md file")
    return found


class _UsageError(Exception):
    pass


def _formats(text: str) -> tuple[str, ...]:
    names = tuple(dict.fromkeys(n.strip().lower() for n in text.split(",") if n.strip()))
    aliases = {"latex": "tex", "word": "docx"}
    names = tuple(aliases.get(n, n) for n in names)
    unknown = [n for n in names if n not in FORMATS]
    if unknown or not names:
        raise _UsageError(f"--to: unknown format '{unknown[0] if unknown else text}'; "
                          f"use {','.join(FORMATS)}")
    return names


def _limit_note(counts: WordCounts, report: Report) -> str:
    for diag in report.diagnostics:
        if diag.code == "PK301":
            return diag.message.split("; ", 1)[1]
    return "within its limit" if "main_text" in counts.limits else ""


def _summary(report: Report, paths: list[Path] | None) -> str:
    counts = report.counts
    words = f"main text {counts.main_text:,} words"
    note = _limit_note(counts, report)
    if note:
        words += f" ({note})"
    errors, warnings = len(report.errors), len(report.warnings)
    parts = [
        f"{report.paper}: {words}",
        f"{report.citations} citations of {report.cited}/{report.references} references",
        f"{errors} error{'s' if errors != 1 else ''}, "
        f"{warnings} warning{'s' if warnings != 1 else ''}",
    ]
    line = "; ".join(parts)
    if paths is not None:
        shown = ", ".join(os.path.relpath(p) if not str(p).startswith("..") else str(p)
                          for p in paths if p.name.startswith("paper"))
        line += f" -> {shown}" if paths else " -> nothing written"
    return line


def _unique(diags: list[Diagnostic]) -> list[Diagnostic]:
    """Return `diags` without repeats (an error may also sit in the log that raised it)."""
    return list({(d.code, d.pos, d.message): d for d in diags}.values())


def _print_diagnostics(diags: list[Diagnostic], fmt: str, err: TextIO) -> None:
    if fmt == "text" and diags:
        err.write(render_text(diags))


def _cmd_build(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    formats = _formats(args.to)
    options = BuildOptions.from_env(formats=formats, template=args.template, csl=args.csl,
                                    strict=args.strict,
                                    allow_outside=tuple(args.allow_outside),
                                    latex_citations=args.latex_citations,
                                    compile_tex=args.compile, engine=args.engine)
    if args.compile and "tex" not in formats:
        raise _UsageError("--compile compiles the LaTeX output; add tex to --to")
    status = 0
    all_diags: list[Diagnostic] = []
    for source in _discover(args.sources):
        try:
            result = build(load(source, allow_outside=args.allow_outside), formats, args.out,
                           strict=args.strict, options=options)
        except PaperkitError as exc:
            all_diags.extend(_unique(exc.diagnostics))
            _print_diagnostics(_unique(exc.diagnostics), args.format, err)
            status = max(status, 2)
            continue
        all_diags.extend(result.report.diagnostics)
        _print_diagnostics(result.report.diagnostics, args.format, err)
        out.write(_summary(result.report, result.paths) + "\n")
        status = max(status, result.exit_code)
    if args.format == "json":
        out.write(render_json(all_diags) + "\n")
    return status


def _cmd_check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    options = BuildOptions.from_env(template=args.template, csl=args.csl, strict=args.strict,
                                    allow_outside=tuple(args.allow_outside))
    status = 0
    all_diags: list[Diagnostic] = []
    for source in _discover(args.sources):
        try:
            report = check(load(source, allow_outside=args.allow_outside), options)
        except PaperkitError as exc:
            all_diags.extend(_unique(exc.diagnostics))
            _print_diagnostics(_unique(exc.diagnostics), args.format, err)
            status = max(status, 2)
            continue
        all_diags.extend(report.diagnostics)
        _print_diagnostics(report.diagnostics, args.format, err)
        if args.format == "text":
            out.write(_summary(report, None) + "\n")
        status = max(status, report.exit_code("check", args.strict))
    if args.format == "json":
        out.write(render_json(all_diags) + "\n")
    return status


def _count_table(name: str, counts: WordCounts, limits: Limits) -> str:
    rows = [f"{name}", f"  {'section':<58} {'own':>6} {'total':>6}"]
    for s in counts.sections:
        title = f"{'  ' * (s.level - 1)}{s.number + ' ' if s.number else ''}{s.title}"
        if len(title) > 58:
            title = title[:55] + "..."
        rows.append(f"  {title:<58} {s.own:>6,} {s.total:>6,}")
    rows.append(f"  {'category':<58} {'words':>6}")
    for category, words in counts.categories.items():
        mark = "*" if category in counts.counted else " "
        rows.append(f"  {category + mark:<58} {words:>6,}")
    rows.append(f"  main text (* = {' + '.join(counts.counted)}): {counts.main_text:,} words")
    rows.extend(f"  {line}" for line in _limit_lines(limits, counts))
    return "\n".join(rows) + "\n"


def _limit_lines(limits: Limits, counts: WordCounts) -> list[str]:
    """Return one line per word limit: the count, the limit, and by how much it misses."""
    lines = []
    named = [("main text", limits.words, counts.main_text),
             ("abstract", limits.abstract, counts.categories["abstract"]),
             ("notes", limits.notes, counts.categories["notes"])]
    for label, limit, value in named:
        if limit is not None:
            ok, detail = describe_limit(limit, value)
            lines.append(f"limit {label}: {value:,} words; {detail}{' (met)' if ok else ''}")
    for section, limit in limits.sections.items():
        row = find_section(counts.sections, section)
        if row is None:
            lines.append(f"limit section '{section}': no such section")
            continue
        ok, detail = describe_limit(limit, row.total)
        lines.append(f"limit section '{section}': {row.total:,} words; "
                     f"{detail}{' (met)' if ok else ''}")
    return lines


def _cmd_count(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    status = 0
    results: dict[str, object] = {}
    for source in _discover(args.sources):
        try:
            paper = load(source, allow_outside=args.allow_outside)
            report = check(paper)
        except PaperkitError as exc:
            _print_diagnostics(_unique(exc.diagnostics), "text", err)
            status = 2
            continue
        if args.format == "json":
            results[report.paper] = report.counts.to_dict()
        else:
            out.write(_count_table(report.paper, report.counts, paper.limits))
    if args.format == "json":
        out.write(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    return status


def _cmd_templates(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    for name in template_names():
        out.write(f"{name:<16} {load_template(name).description}\n")
    return 0


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None,
         err: TextIO | None = None) -> int:
    """Run the command line with `argv`; return the exit status (the console script exits)."""
    out = out or sys.stdout
    err = err or sys.stderr
    args = _parser().parse_args(argv)
    commands = {"build": _cmd_build, "check": _cmd_check, "count": _cmd_count,
                "templates": _cmd_templates}
    try:
        status = commands[args.command](args, out, err)
    except _UsageError as exc:
        err.write(f"paperkit: error: {exc}\n")
        status = 2
    except PaperkitError as exc:
        err.write(f"{exc}\n")
        status = 2
    except KeyboardInterrupt:
        err.write("paperkit: interrupted\n")
        status = 130
    except Exception as exc:  # a bug in paperkit, never bad input: say so in one line
        if os.environ.get("PAPERKIT_DEBUG"):
            raise
        err.write(f"paperkit: internal error: {type(exc).__name__}: {exc} "
                  "(set PAPERKIT_DEBUG=1 for the traceback, and please report it)\n")
        status = EXIT_INTERNAL
    return status


def run() -> None:
    """Console-script entry point: run :func:`main` and exit with its status."""
    sys.exit(main())
