"""Running the writers of one build side by side, one process a format.

Once the paper is resolved the writers share nothing: each reads the same frozen
:class:`~paperkit.model.Paper` and returns bytes. On a machine with two or more CPUs the
first format is written in this process while the others are written in forked children
(one a format, or fewer when the caller caps the processes), which inherit the resolved
paper (copy-on-write, nothing pickled on the way in) and send back only their
:data:`~paperkit.writers.Output` and the diagnostics they logged. A child imports its own
library (python-docx, Jinja2) in parallel with the parent's reportlab.

A cold single build (``paperkit build paper``) can start sooner still: :func:`start_early`
forks the writers' processes (the PDF's alone, the others shared out when the processes
are capped) before the paper is even read, and each imports its writers' libraries while
this process reads and resolves the paper; the resolved paper then goes to them pickled
(cheap for a paper of a few thousand words, which is when start-up matters).

A process that builds more than once (library use, ``--watch``) keeps what its writers
load (fonts, styles, templates) only if they ran in it: so from its second build on, a
format this process has not written itself yet is written here, serially, once; later
builds fork from the warm parent, whose children then start with every cache filled.

The result does not depend on how it was produced: outputs and diagnostics are merged in
format order, exactly as a serial run would. A child that fails for any reason (an exception,
a crash, a signal) sends nothing usable; its format is then written again in this process,
so the error raised (with its traceback) is the one a serial run raises.
"""

from __future__ import annotations

import inspect
import os
import pickle
import sys
from dataclasses import dataclass
from typing import NoReturn

from ..diagnostics import Diagnostic, Log
from ..model import Paper
from ..options import BuildOptions
from ..templates import Template
from . import Output, get_writer

__all__ = ["write_all", "available_processes", "start_early", "EarlyWriters"]


def available_processes() -> int:
    """Return the number of CPUs this process may run on (at least 1)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):   # not Linux
        return max(1, os.cpu_count() or 1)


def _forking_is_safe() -> bool:
    """Return whether this process may fork writers: it can, and no other thread runs (a
    thread holding a lock at the fork, logging's or stdout's, would hang the child; the
    watcher and the progress bar run threads)."""
    if not hasattr(os, "fork"):
        return False
    threading = sys.modules.get("threading")
    return threading is None or threading.active_count() <= 1


def _in_worker_pool() -> bool:
    """Return whether this process is a multiprocessing worker (``paperkit build -j N``)."""
    multiprocessing = sys.modules.get("multiprocessing")   # never imported just to ask
    return multiprocessing is not None and multiprocessing.parent_process() is not None


def write_one(fmt: str, paper: Paper, template: Template, options: BuildOptions,
              log: Log) -> Output:
    """Return the output of the `fmt` writer, logging its diagnostics into `log`."""
    writer = get_writer(fmt)
    if "log" in inspect.signature(writer).parameters:
        return writer(paper, template, options, log=log)  # type: ignore[call-arg]
    return writer(paper, template, options)


# Per process: the formats written in this process (not in a child), and whether a build
# ran before; they decide when to warm up (module docstring). Never part of a result.
_WRITTEN_HERE: set[str] = set()
_BUILDS = [0]


@dataclass(slots=True)
class _Child:
    formats: tuple[str, ...]           # written one after the other, in this order
    pid: int
    fd: int


_Result = tuple[Output, list[Diagnostic]]


def _split(formats: list[str], count: int) -> list[tuple[str, ...]]:
    """Return `formats` in `count` groups, in order: the first format (the PDF, the longest
    writer) alone, the others spread evenly over the other groups."""
    if count <= 1:
        return [tuple(formats)]
    rest = formats[1:]
    groups: list[tuple[str, ...]] = [(formats[0],)]
    size, extra = divmod(len(rest), count - 1)
    start = 0
    for index in range(count - 1):
        end = start + size + (1 if index < extra else 0)
        groups.append(tuple(rest[start:end]))
        start = end
    return [group for group in groups if group]


def _write_group(formats: tuple[str, ...], paper: Paper, template: Template,
                 options: BuildOptions) -> bytes:
    """Return the pickled {format: (output, diagnostics)} of writing `formats` (in a child)."""
    results: dict[str, _Result] = {}
    for fmt in formats:
        log = Log()
        results[fmt] = (write_one(fmt, paper, template, options, log), log.items)
    return pickle.dumps(results, protocol=pickle.HIGHEST_PROTOCOL)


@dataclass(slots=True)
class EarlyWriters:
    """Writer processes started before the paper was read (:func:`start_early`)."""

    formats: tuple[str, ...]
    children: list[_Child]
    jobs: list[int]                # the write end of each child's job pipe

    def __del__(self) -> None:
        # a caller that failed before the build (an unreadable paper) still ends them
        try:
            self.cancel()
        except Exception:  # noqa: BLE001 - at interpreter exit os may be half gone
            pass

    def cancel(self) -> None:
        """End the children without work (they see their job pipe close) and reap them."""
        for fd in self.jobs:
            _close(fd)
        self.jobs = []
        for child in self.children:
            _close(child.fd)
            os.waitpid(child.pid, 0)
        self.children = []

    def run(self, paper: Paper, template: Template, options: BuildOptions
            ) -> dict[str, _Result | None]:
        """Send the resolved paper to every child; return what each sent back (None when
        it failed)."""
        data = pickle.dumps((paper, template, options), protocol=pickle.HIGHEST_PROTOCOL)
        for fd in self.jobs:
            try:
                with os.fdopen(fd, "wb") as pipe:
                    pipe.write(data)
            except OSError:          # the child is gone: its format is written here
                pass
        self.jobs = []
        received: dict[str, _Result | None] = {}
        for child in self.children:
            received.update(_collect(child))
        self.children = []
        return received


def _close(fd: int) -> None:
    try:
        os.close(fd)
    except OSError:
        pass


#: A paper.md up to this size is read while its writers start; a longer one costs more to
#: send them (pickled) than their imports take, so its writers are forked once it is
#: resolved.
EARLY_LIMIT = 96 * 1024


def start_early(formats: tuple[str, ...], processes: int | None = None,
                source: str | os.PathLike[str] | None = None) -> EarlyWriters | None:
    """Return writer processes for `formats`, forked now, each importing its writer (and
    warming it up, see :func:`_early_child`) while this process reads the paper `source`;
    None when they would not pay (one CPU, a batch worker, a process that has built before,
    a paper.md over :data:`EARLY_LIMIT`). A single format gets its process too: its library
    then loads on the other CPU while this one reads. Pass them to ``build(early=...)``;
    unused, they end when dropped.
    """
    limit = available_processes() if processes is None else max(1, processes)
    if not formats or limit < 2 or _BUILDS[0] > 0 or _in_worker_pool() \
            or not _forking_is_safe():
        return None
    if source is not None:
        # the paper's file as readers.paper_file finds it, without importing the readers
        # (Markdown, BibTeX, the citation engine): forked now, the children skip them
        path = os.fspath(source)
        try:
            if os.path.isdir(path):
                path = os.path.join(path, "paper.md")
            if os.stat(path).st_size > EARLY_LIMIT:
                return None
        except OSError:
            return None                      # load() reports it, at its line
    early = EarlyWriters(tuple(formats), [], [])
    for group in _split(list(formats), min(limit, len(formats))):
        job_read, job_write = os.pipe()
        result_read, result_write = os.pipe()
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            # a sibling's pipe ends held here would keep its job pipe from ever closing
            for fd in [*early.jobs, *(c.fd for c in early.children), job_write, result_read]:
                _close(fd)
            _early_child(group, job_read, result_write)
        _close(job_read)
        _close(result_write)
        early.children.append(_Child(group, pid, result_read))
        early.jobs.append(job_write)
    return early


def _early_child(formats: tuple[str, ...], job_read: int, result_write: int) -> NoReturn:
    """Import the writers of `formats` and call each writer module's ``warm()`` if it has
    one (what most papers need, loaded before the paper is known: the PDF's fonts and
    hyphenation patterns), then write the paper that comes down `job_read`."""
    status = 1
    try:
        for fmt in formats:
            writer = get_writer(fmt)         # import the writer and its library now
            warm = getattr(sys.modules[writer.__module__], "warm", None)
            try:
                if warm is not None:
                    warm()
            except Exception:  # noqa: BLE001 - the write itself reports what is wrong
                pass
        with os.fdopen(job_read, "rb") as pipe:
            job = pipe.read()
        if not job:                          # cancelled: the build stopped before writing
            status = 0
        else:
            paper, template, options = pickle.loads(job)
            data = _write_group(formats, paper, template, options)
            with os.fdopen(result_write, "wb") as out:
                out.write(data)
            status = 0
    except BaseException:        # reported by the parent's own run of this writer
        status = 1
    finally:
        os._exit(status)


def write_all(paper: Paper, template: Template, options: BuildOptions, log: Log,
              processes: int | None = None, early: EarlyWriters | None = None) -> Output:
    """Return the merged outputs of every format in ``options.formats``.

    `processes` caps the processes used, this one included (default: the CPUs available;
    never more than one a format; 1 writes everything in this process). `early` are writer
    processes started before the paper was read, for the same formats. Diagnostics go to
    `log` in format order.
    """
    formats = list(options.formats)
    if early is not None and early.formats == tuple(formats):
        _BUILDS[0] += 1
        sent_back = early.run(paper, template, options)
        return _merge(formats, sent_back, paper, template, options, log)
    limit = available_processes() if processes is None else max(1, processes)
    _BUILDS[0] += 1
    if processes is None and _BUILDS[0] > 1 and not _WRITTEN_HERE.issuperset(formats):
        limit = 1                  # a repeat build: warm this process up once
    if processes is None and _in_worker_pool():
        limit = 1                  # a batch (-j N) already keeps every CPU busy
    if len(formats) < 2 or limit < 2 or not _forking_is_safe():
        outputs: Output = {}
        for fmt in formats:
            outputs.update(write_one(fmt, paper, template, options, log))
            _WRITTEN_HERE.add(fmt)
        return outputs
    # the first format here, the others in at most `limit` - 1 children
    groups = _split(formats, min(limit, len(formats)))
    children = [_fork(group, paper, template, options) for group in groups[1:]]
    received: dict[str, _Result | None] = {}
    try:
        own = Log()
        received[formats[0]] = (write_one(formats[0], paper, template, options, own),
                                own.items)
        _WRITTEN_HERE.add(formats[0])
    finally:
        for child in children:
            received.update(_collect(child))
    return _merge(formats, received, paper, template, options, log)


def _merge(formats: list[str], received: dict[str, _Result | None],
           paper: Paper, template: Template, options: BuildOptions, log: Log) -> Output:
    """Return the outputs of `formats` in order, logging their diagnostics in order; a
    format whose process failed (None) is written here, so its error is raised here."""
    outputs: Output = {}
    for fmt in formats:
        got = received.get(fmt)
        if got is None:
            again = Log()
            got = (write_one(fmt, paper, template, options, again), again.items)
            _WRITTEN_HERE.add(fmt)
        produced, diagnostics = got
        outputs.update(produced)
        log.extend(diagnostics)
    return outputs


def _fork(formats: tuple[str, ...], paper: Paper, template: Template,
          options: BuildOptions) -> _Child:
    read_end, write_end = os.pipe()
    # flush now, so the child cannot print a copy of text still buffered in the parent
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:                                          # the child
        status = 1
        try:
            os.close(read_end)
            data = _write_group(formats, paper, template, options)
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(data)
            status = 0
        except BaseException:        # reported by the parent's own run of this writer
            status = 1
        finally:
            os._exit(status)     # no atexit handlers, no flushing of the parent's buffers
    os.close(write_end)
    return _Child(formats, pid, read_end)


def _collect(child: _Child) -> dict[str, _Result | None]:
    """Return what `child` sent for each of its formats (all None when it failed); reap it
    either way."""
    chunks = []
    try:
        with os.fdopen(child.fd, "rb") as pipe:
            while chunk := pipe.read(1 << 20):
                chunks.append(chunk)
    finally:
        _, status = os.waitpid(child.pid, 0)
    if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0 or not chunks:
        return dict.fromkeys(child.formats)
    sent: dict[str, _Result] = pickle.loads(b"".join(chunks))
    return {fmt: sent.get(fmt) for fmt in child.formats}
