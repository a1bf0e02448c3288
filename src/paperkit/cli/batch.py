"""Many papers at once: worker processes, a progress bar, results in a fixed order.

``paperkit build A B C -j N`` runs one :func:`~paperkit.cli.jobs.run_job` per paper in a
pool of N processes (building is CPU-bound Python: threads would share one core). Results
are handed on in the order the papers were named, whichever finishes first, so the output
and the exit status (the worst paper's) do not depend on scheduling. The progress bar is
drawn on stderr only when stderr is a terminal.
"""

from __future__ import annotations

import dataclasses
import os
import signal
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from .console import Console
from .jobs import Flags, Outcome, run_job

if TYPE_CHECKING:
    from concurrent.futures import Future

    from rich.progress import Progress

__all__ = ["default_jobs", "run_many", "summary_table"]


def default_jobs() -> int:
    """Return the number of cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:   # not on Linux
        return max(1, os.cpu_count() or 1)


def run_many(command: str, sources: Sequence[str], flags: Flags, jobs: int,
             console: Console, emit: Callable[[Outcome], None],
             progress: bool = False) -> list[Outcome]:
    """Run `command` on every source with `jobs` processes; return the outcomes in the
    order of `sources`, calling `emit` on each in that order as soon as it can."""
    jobs = max(1, min(jobs, len(sources)))
    bar = _progress(console, len(sources)) if progress else None
    results: dict[int, Outcome] = {}
    ordered: list[Outcome] = []

    def settle(index: int, outcome: Outcome) -> None:
        results[index] = outcome
        while len(ordered) in results:
            ordered.append(results.pop(len(ordered)))
            emit(ordered[-1])
        if bar is not None:
            bar.advance(bar.task_ids[0])

    console.live = bar is not None
    try:
        if bar is not None:
            bar.start()
        if jobs == 1:
            for index, source in enumerate(sources):
                settle(index, run_job(command, source, flags))
        else:
            # imported here: concurrent.futures.process and multiprocessing cost every
            # single-paper build ~40 ms of start-up (issue 9)
            from concurrent.futures import ProcessPoolExecutor, as_completed

            # no `with`: its exit calls shutdown() again, which would undo cancel_futures
            # and let Ctrl-C wait for every paper still queued
            pool = ProcessPoolExecutor(max_workers=jobs, initializer=_ignore_interrupts)
            serial = dataclasses.replace(flags, processes=None)   # workers write serially
            try:
                futures: dict[Future[Outcome], int] = {
                    pool.submit(run_job, command, source, serial): index
                    for index, source in enumerate(sources)}
                for future in as_completed(futures):
                    settle(futures[future], future.result())
            except BaseException:
                # the papers being built finish (their outputs stay whole); the rest never start
                pool.shutdown(wait=True, cancel_futures=True)
                raise
            pool.shutdown(wait=True)
    finally:
        if bar is not None:
            bar.stop()
        console.live = False
    return ordered


def _ignore_interrupts() -> None:
    """Leave Ctrl-C to the main process: it cancels what has not started and says so once,
    instead of every worker printing a traceback."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _progress(console: Console, total: int) -> Progress:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, \
        TimeElapsedColumn

    bar = Progress(TextColumn("building"), BarColumn(), MofNCompleteColumn(),
                   TimeElapsedColumn(), console=console.rich, transient=True)
    bar.add_task("papers", total=total)
    return bar


def _result(outcome: Outcome) -> str:
    if outcome.status == 0:
        return "ok" if outcome.paths is None or outcome.paths else "nothing written"
    word = {1: "fails", 2: "invalid input", 3: "internal error"}.get(outcome.status, "fails")
    if outcome.paths is not None and outcome.paths and outcome.status == 1:
        word = "written, fails"
    return f"{word} ({outcome.status})"


def _limit(outcome: Outcome) -> tuple[str, str]:
    if outcome.limit is None or outcome.words is None:
        return "", ""
    low, high = outcome.limit
    shown = f"{low:,}-{high:,}" if low is not None and high is not None else \
        f"max {high:,}" if high is not None else f"min {low:,}"
    if high is not None and outcome.words > high:
        return shown, f"+{outcome.words - high:,} over"
    if low is not None and outcome.words < low:
        return shown, f"-{low - outcome.words:,} short"
    return shown, "ok"


def summary_table(outcomes: list[Outcome], seconds: float, jobs: int) -> str:
    """Return the table printed after a batch: one row per paper and a totals line."""
    rows = [["paper", "words", "limit", "off", "citations", "warnings", "errors", "time",
             "result"]]
    for o in outcomes:
        limit, off = _limit(o)
        rows.append([
            o.paper, f"{o.words:,}" if o.words is not None else "-", limit, off,
            f"{o.citations} ({o.cited}/{o.references} refs)" if o.words is not None else "-",
            str(o.warnings), str(o.errors) if not o.failure else "-",
            f"{o.seconds:.1f}s", _result(o)])
    right = {1, 5, 6, 7}
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(c.rjust(widths[i]) if i in right else c.ljust(widths[i])
                       for i, c in enumerate(row)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    good = sum(1 for o in outcomes if o.status == 0)
    lines.append(f"{len(outcomes)} papers: {good} ok, {len(outcomes) - good} failing; "
                 f"{seconds:.1f}s with {jobs} job{'s' if jobs != 1 else ''}")
    return "\n".join(lines)
