"""``paperkit build --watch``: rebuild a paper whenever one of its inputs changes.

The inputs are the paper's folder (``paper.md``, its ``.bib`` files, its images), the
folders of its template and of the templates that template extends, the folders it may
read from (``--allow-outside``) and the ``paperkit.toml`` above it. After each rebuild the
set is worked out again, so naming another template in the front matter starts watching
that one; the set only grows, so a paper that stops loading keeps its watch (restarting
the notifier could miss the edit that fixes it). Changes inside the output folder and
paperkit's own staging folders are ignored, so an output folder inside the paper's folder
does not rebuild forever.

Each rebuild prints its diagnostics and one status line; Ctrl-C stops with status 0.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

import watchfiles

from ..errors import PaperkitError
from ..output import STAGING_PREFIX
from ..readers import load
from ..templates import load_template
from .console import Console
from .jobs import Flags, Outcome, run_job, settings_for
from .project import PROJECT_FILE, ProjectError, find_project

__all__ = ["watch_inputs", "status_line", "watch"]


def watch_inputs(source: str, flags: Flags) -> tuple[set[Path], Path]:
    """Return the files and folders whose changes rebuild `source`, and its output folder."""
    folder = Path(source).resolve()
    if folder.suffix == ".md":
        folder = folder.parent
    inputs = {folder}
    out = Path(flags.out or "build").resolve()
    try:
        project = find_project(folder)
        if project is not None:
            inputs.add(project.file)
        paper = load(source, allow_outside=flags.allow_outside)
        options, out_dir = settings_for(paper, flags, project)
        out = out_dir.resolve()
        inputs.update(Path(p).resolve() for p in options.allow_outside)
        template = load_template(options.template or paper.template or "article",
                                 base_dir=Path(paper.source_dir))
        inputs.update(p.resolve() for p in template.search_path)
    except (PaperkitError, ProjectError):
        # an input that does not load yet: watch its folder until it does
        for parent in (folder, *folder.parents):
            if (parent / PROJECT_FILE).is_file():
                inputs.add((parent / PROJECT_FILE).resolve())
                break
    return {p for p in inputs if p.exists()}, out


def status_line(outcome: Outcome, clock: str) -> str:
    """Return the one line printed after a rebuild: when, what, how long, the findings."""
    errors, warnings = outcome.errors, outcome.warnings
    findings = (f"{errors} error{'s' if errors != 1 else ''}, "
                f"{warnings} warning{'s' if warnings != 1 else ''}")
    if outcome.failure:
        return f"[{clock}] {outcome.paper}: failed: {outcome.failure}"
    if outcome.paths:
        done = f"built {','.join(outcome.formats)} in {outcome.seconds:.2f}s"
    else:
        done = f"not written (exit {outcome.status}) after {outcome.seconds:.2f}s"
    words = ""
    if outcome.words is not None:
        words = f"; {outcome.words:,} words"
        if outcome.limit_note:
            words += f" ({outcome.limit_note})"
    return f"[{clock}] {outcome.paper}: {done}{words}; {findings}"


def _under(path: Path, roots: set[Path]) -> bool:
    return any(path == root or root in path.parents for root in roots)


class _Filter(watchfiles.DefaultFilter):
    """The default filter (editor swap files, .git ...) plus the output folders and
    paperkit's staging folders."""

    def __init__(self, outs: set[Path]) -> None:
        super().__init__()
        self.outs = outs

    def __call__(self, change: watchfiles.Change, path: str) -> bool:
        resolved = Path(path).resolve()
        if _under(resolved, self.outs) or any(part.startswith(STAGING_PREFIX)
                                              for part in resolved.parts):
            return False
        return bool(super().__call__(change, path))


def watch(sources: Sequence[str], flags: Flags, console: Console) -> int:
    """Build every source, then rebuild each one whose inputs change, until Ctrl-C."""
    def rebuild(source: str) -> None:
        outcome = run_job("build", source, flags)
        if outcome.failure and not outcome.diagnostics:
            console.error(outcome.failure)
        console.diagnostics(outcome.diagnostics)
        console.print(status_line(outcome, time.strftime("%H:%M:%S")))

    try:
        for source in sources:
            rebuild(source)
        while True:
            watched = {s: watch_inputs(s, flags) for s in sources}
            roots = set().union(*(inputs for inputs, _ in watched.values()))
            outs = {out for _, out in watched.values()}
            console.note(f"paperkit: watching {len(roots)} path{'s' if len(roots) != 1 else ''}"
                          " for changes; press Ctrl-C to stop")
            for changes in watchfiles.watch(*sorted(roots), watch_filter=_Filter(outs),
                                            debounce=300, step=50, raise_interrupt=True):
                changed = {Path(path).resolve() for _, path in changes}
                for source in sources:
                    if any(_under(path, watched[source][0]) for path in changed):
                        rebuild(source)
                now = {s: watch_inputs(s, flags) for s in sources}
                wider = set().union(*(inputs for inputs, _ in now.values())) - roots
                if wider or {out for _, out in now.values()} != outs:
                    break   # a new template, folder or output folder: watch the new set
                # a set that only shrank (a paper that stopped loading) keeps the watcher:
                # restarting it could miss the edit that fixes the paper
                watched = {s: (watched[s][0] | inputs, out) for s, (inputs, out) in now.items()}
    except KeyboardInterrupt:
        console.note("paperkit: stopped watching")
    return 0
