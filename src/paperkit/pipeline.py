"""The pipeline behind the public API: load -> transforms -> checks -> writers -> output."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
import os
from typing import BinaryIO, Iterable

from .checks import run_checks
from .checks.words import WordCounts, count_paper
from .diagnostics import Diagnostic, Log, exit_code, writes_outputs
from .errors import UsageError
from .model import Cite, Inline, Paper
from .options import FORMATS, BuildOptions
from .output import write_outputs
from .readers import load
from .resources import check_images
from .templates import Template
from . import memo
from .transforms import apply_transforms
from .walk import iter_blocks, block_inlines, iter_inlines
from .writers.processes import EarlyWriters, start_early, write_all

__all__ = ["Report", "BuildResult", "resolve", "check", "count", "build"]


@dataclass(frozen=True, slots=True)
class Report:
    """What the checks found in one paper: diagnostics, word counts, citation figures."""

    paper: str
    diagnostics: list[Diagnostic]
    counts: WordCounts
    citations: int
    references: int
    cited: int

    @property
    def errors(self) -> list[Diagnostic]:
        """Return the diagnostics of severity ``error``."""
        return [d for d in self.diagnostics if d.severity == "error"]

    @property
    def warnings(self) -> list[Diagnostic]:
        """Return the diagnostics of severity ``warning``."""
        return [d for d in self.diagnostics if d.severity == "warning"]

    def exit_code(self, command: str = "check", strict: bool = False) -> int:
        """Return the exit status `command` (``build`` or ``check``) ends with for this report."""
        return exit_code(self.diagnostics, command, strict)

    @property
    def ok(self) -> bool:
        """Return whether ``paperkit check`` would pass (exit 0)."""
        return self.exit_code("check") == 0


@dataclass(frozen=True, slots=True)
class BuildResult:
    """The outcome of a build: the report, the files written (none when refused), the status."""

    report: Report
    paths: list[Path] = field(default_factory=list)
    exit_code: int = 0
    #: bytes written into the binary file object given as ``out`` (0 for a folder)
    bytes_written: int = 0

    @property
    def written(self) -> bool:
        """Return whether the outputs were written (to the folder or the file object)."""
        return bool(self.paths) or self.bytes_written > 0


def _as_paper(source: Paper | str | Path, options: BuildOptions | None = None) -> Paper:
    if isinstance(source, Paper):
        return source
    return load(source, allow_outside=options.allow_outside if options else ())


def _count_cites(paper: Paper) -> tuple[int, set[str]]:
    total, keys = 0, set[str]()
    for inlines in _all_inlines(paper):
        for node in iter_inlines(inlines):
            if isinstance(node, Cite):
                total += 1
                keys.update(item.key for item in node.items)
    return total, keys


def _all_inlines(paper: Paper) -> Iterable[list[Inline]]:
    yield paper.title
    for block in [*paper.abstract, *iter_blocks(paper)]:
        yield from block_inlines(block)


def resolve(paper: Paper, options: BuildOptions | None = None
            ) -> tuple[Paper, Template, Report]:
    """Return `paper` resolved (numbered, citations rendered), its template and its report."""
    options = options or BuildOptions()
    template = memo.template(options.template or paper.template or "article",
                             base_dir=Path(paper.source_dir))
    style = options.csl or paper.csl or template.citation_style
    log = Log()
    resolved = apply_transforms(paper, style=style, log=log)
    diagnostics = run_checks(resolved)
    seen = {(d.code, d.pos, d.message) for d in diagnostics}
    diagnostics = [d for d in log.items if (d.code, d.pos, d.message) not in seen] + diagnostics
    citations, keys = _count_cites(resolved)
    known = {r.key for r in resolved.references}
    report = Report(resolved.name, diagnostics, count_paper(resolved), citations,
                    len(resolved.references), len(keys & known))
    return resolved, template, report


def check(source: Paper | str | Path, options: BuildOptions | None = None) -> Report:
    """Return the report for `source` (a Paper, a paper folder or a .md file); write nothing."""
    return resolve(_as_paper(source, options), options)[2]


def count(source: Paper | str | Path, options: BuildOptions | None = None) -> WordCounts:
    """Return the word counts of `source` (a Paper, a paper folder or a .md file)."""
    return check(source, options).counts


def build(source: Paper | str | Path, formats: Iterable[str] = FORMATS,
          out: str | Path | BinaryIO = "build", *, template: str | None = None,
          strict: bool = False,
          options: BuildOptions | None = None, processes: int | None = None,
          early: EarlyWriters | None = None) -> BuildResult:
    """Build `source` into ``<out>/<paper name>/paper.<fmt>`` for each of `formats`.

    Outputs are written only when the findings allow it (see the README's exit-code table):
    never for invalid input, never under `strict` with any finding. A refused build leaves
    earlier outputs untouched. Returns the report, the paths written and the exit status.

    `out` may instead be a binary file object (``io.BytesIO``, a file opened ``"wb"``) when
    exactly one format is asked: that format's main file (``paper.<fmt>``) is written into
    it and nothing goes to disk; ``bytes_written`` counts it. Anything else a format makes
    beside its main file (``latexmkrc``) is left out.

    The writers run side by side once the paper is resolved, up to `processes` at a time
    (default: one a CPU; 1 writes every format in this process, as a batch worker should).
    `early` are writer processes a caller started before it loaded the paper
    (:func:`~paperkit.writers.processes.start_early`); they are ended either way.
    """
    base = options or BuildOptions.from_env()
    formats = tuple(formats)
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise UsageError.because(f"unknown output format {unknown[0]!r}; use "
                                 f"{', '.join(FORMATS)}")
    stream: BinaryIO | None = None
    if isinstance(out, (str, os.PathLike)):
        folder = Path(out)
    else:
        stream, folder = out, Path()
    if stream is not None:
        if not hasattr(stream, "write"):
            raise UsageError.because(f"out must be a folder or a binary file object, not "
                                     f"{type(out).__name__}")
        if len(formats) != 1:
            raise UsageError.because(f"a file object holds one format; {len(formats)} were "
                                     f"asked ({', '.join(formats) or 'none'})")
        if base.compile_tex:
            raise UsageError.because("--compile writes paper-latex.pdf beside paper.tex: "
                                     "give a folder as out")
    if early is None and stream is None and not isinstance(source, Paper):
        early = start_early(formats, processes, source)
    try:
        return _build(source, formats, folder, stream, template, strict, base, processes, early)
    finally:
        if early is not None:
            early.cancel()


def _build(source: Paper | str | Path, formats: tuple[str, ...], folder: Path,
           stream: BinaryIO | None, template: str | None, strict: bool, base: BuildOptions,
           processes: int | None, early: EarlyWriters | None) -> BuildResult:
    paper = _as_paper(source, base)
    options = BuildOptions(
        formats=formats, template=template or base.template, csl=base.csl,
        strict=strict or base.strict, latex_citations=base.latex_citations,
        source_date_epoch=base.source_date_epoch, allow_outside=base.allow_outside,
        compile_tex=base.compile_tex, engine=base.engine)
    resolved, tmpl, report = resolve(paper, options)
    status = report.exit_code("build", options.strict)
    if not writes_outputs(report.diagnostics, options.strict):
        return BuildResult(report, [], status)
    # a Paper made in code was never loaded: its images are checked (and any allowed
    # outside the folder read) here, all at once, before any writer runs
    resolved = check_images(resolved, options.allow_outside)
    log = Log()
    outputs = write_all(resolved, tmpl, options, log, processes, early)
    if log.items:
        report = Report(report.paper, report.diagnostics + log.items, report.counts,
                        report.citations, report.references, report.cited)
        status = report.exit_code("build", options.strict)
        if not writes_outputs(report.diagnostics, options.strict):
            return BuildResult(report, [], status)
    if stream is not None:
        data = outputs[f"paper.{options.formats[0]}"]
        stream.write(data)
        return BuildResult(report, [], status, len(data))
    paths = write_outputs(folder / resolved.name, outputs)
    if options.compile_tex and "tex" in options.formats:
        found, pdf = _compile_tex(folder / resolved.name, resolved, options)
        paths.extend(pdf)
        if found:
            report = Report(report.paper, report.diagnostics + found, report.counts,
                            report.citations, report.references, report.cited)
            status = report.exit_code("build", options.strict)
    return BuildResult(report, paths, status)


def _compile_tex(folder: Path, paper: Paper, options: BuildOptions
                 ) -> tuple[list[Diagnostic], list[Path]]:
    """Run ``options.engine`` on the written ``paper.tex`` (``--compile``); return the TeX
    problems (PK503, at source lines) and ``[folder/paper-latex.pdf]`` when one came out."""
    from .writers.latex_compile import PDF_NAME, compile_latex

    result = compile_latex(folder, engine=options.engine, source_file=paper.source_file)
    if result.pdf is None:
        return result.diagnostics, []
    return result.diagnostics, write_outputs(folder, {PDF_NAME: result.pdf})
