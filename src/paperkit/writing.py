"""``paperkit.write``: one format of one paper to a path or to a binary file object.

:func:`paperkit.build` writes every format into ``<out>/<paper>/``; :func:`write` is for a
program that wants one file where it says (a web response, an in-memory buffer, an upload)::

    buffer = io.BytesIO()
    paperkit.write(paper, "docx", buffer)

It resolves and checks the paper as ``build`` does and refuses the same way (nothing written
for invalid input, nor under `strict` with any finding).
"""

from __future__ import annotations

import io
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from .errors import UsageError, WriterError
from .model import Paper
from .options import BuildOptions

if TYPE_CHECKING:        # the pipeline loads the citation engine: imported when first called
    from .pipeline import Report

__all__ = ["write", "WriteResult"]

#: Companion files a LaTeX output may leave out when written to a file object: latexmk's
#: settings only matter for a folder.
_OPTIONAL = frozenset({"latexmkrc"})


@dataclass(frozen=True, slots=True)
class WriteResult:
    """The outcome of :func:`write`: the report, the files written, the status.

    `paths` lists the files written when the target is a path (the main file first, then
    any companions such as LaTeX figures); it is empty for a file object. `written` says
    whether anything was written at all; `size` is the main file's size in bytes::

        >>> import io, paperkit
        >>> result = paperkit.write(paperkit.Paper(title="T", sections=[
        ...     paperkit.Section("A", blocks=[paperkit.Paragraph("Text.")])]), "docx", io.BytesIO())
        >>> result.format, result.written, result.paths, result.exit_code
        ('docx', True, [], 0)
    """

    report: Report
    format: str
    paths: list[Path] = field(default_factory=list)
    exit_code: int = 0
    written: bool = False
    size: int = 0


def write(source: Paper | str | Path, fmt: str, target: str | Path | IO[bytes], *,
          template: str | None = None, strict: bool = False,
          options: BuildOptions | None = None) -> WriteResult:
    """Write `source` (a Paper, a paper folder or a ``.md`` file) as `fmt` to `target`.

    `fmt` is ``"pdf"``, ``"docx"`` or ``"tex"``. `target` is:

    - a binary file object (``io.BytesIO``, ``open(..., "wb")``, a web response): the
      file's bytes are written to it. A LaTeX output whose figures or ``references.bib``
      need files of their own cannot go to one object: write it to a folder instead;
    - an existing folder: the output is written into it as ``paper.<fmt>`` (with its
      companion files);
    - any other path: the file to write; a LaTeX output's companions go beside it.

    Writing to a path is all-or-nothing, as for ``build``. Returns a :class:`WriteResult`::

        >>> import io, paperkit
        >>> paper = paperkit.Paper(title="Tiny", sections=[
        ...     paperkit.Section("Intro", blocks=[paperkit.Paragraph("Hi.")])])
        >>> buffer = io.BytesIO()
        >>> result = paperkit.write(paper, "pdf", buffer)
        >>> result.written, buffer.getvalue()[:5], result.size == len(buffer.getvalue())
        (True, b'%PDF-', True)

    Raises :class:`~paperkit.errors.InputError` for unreadable input, ``TemplateError`` for
    an unknown template, ``WriterError`` when the target cannot be written and
    ``UsageError`` for an unknown format or a text-mode file object.
    """
    from .api import check_arguments, check_formats

    fmt = check_formats([fmt])[0]
    check_arguments(source if isinstance(source, Paper) else None, options)
    if not isinstance(target, (str, Path)):
        _check_binary(target)
    report, outputs = _produce(source, fmt, template, strict, options)
    status = report.exit_code("build", strict or bool(options and options.strict))
    if outputs is None:
        return WriteResult(report, fmt, [], status)
    main_name = f"paper.{fmt}"
    main = outputs.pop(main_name)
    if not isinstance(target, (str, Path)):
        extra = sorted(name for name in outputs if name not in _OPTIONAL)
        if extra:
            raise UsageError.because(
                f"the {fmt} output has {len(extra)} more file(s) ({', '.join(extra[:3])}); "
                "write it to a folder instead of a file object")
        try:
            target.write(main)
            target.flush()
        except (OSError, ValueError) as exc:     # closed, read-only or broken streams
            raise WriterError.make("PK104", None, what="writable file object",
                                   path=repr(target), hint=f" ({exc})") from None
        return WriteResult(report, fmt, [], status, True, len(main))
    from .output import write_outputs

    path = Path(target)
    # "out/" names a folder even before it exists
    as_folder = path.is_dir() or str(target).endswith(("/", os.sep))
    folder, name = (path, main_name) if as_folder else (path.parent, path.name)
    if not name:
        raise UsageError.because(f"cannot write to {str(target)!r}: name a file or a folder")
    written = write_outputs(folder, {name: main, **outputs})
    first = folder / name
    paths = sorted(written, key=lambda p: p != first)
    return WriteResult(report, fmt, paths, status, True, len(main))


def _check_binary(stream: Any) -> None:
    """Refuse a text-mode or read-only file object before any work is done."""
    if not callable(getattr(stream, "write", None)):
        raise UsageError.because(f"the target must be a path or a binary file object, not "
                                 f"{type(stream).__name__}")
    if isinstance(stream, io.TextIOBase) or "b" not in getattr(stream, "mode", "b"):
        raise UsageError.because("the file object is in text mode; open it with 'wb' "
                                 "(or use io.BytesIO)")


def _produce(source: Paper | str | Path, fmt: str, template: str | None, strict: bool,
             options: BuildOptions | None) -> tuple[Report, dict[str, bytes] | None]:
    """Return the report and the output of `fmt` (None when the findings refuse it), by the
    steps :func:`paperkit.build` takes, without its output folder."""
    from .diagnostics import Log, writes_outputs
    from .pipeline import Report, resolve
    from .readers import load
    from .resources import check_images
    from .writers.processes import write_one

    base = options or BuildOptions.from_env()
    chosen = BuildOptions(
        formats=(fmt,), template=template or base.template, csl=base.csl,
        strict=strict or base.strict, latex_citations=base.latex_citations,
        source_date_epoch=base.source_date_epoch, allow_outside=base.allow_outside)
    paper = source if isinstance(source, Paper) else \
        load(source, allow_outside=chosen.allow_outside)
    resolved, tmpl, report = resolve(paper, chosen)
    if not writes_outputs(report.diagnostics, chosen.strict):
        return report, None
    resolved = check_images(resolved, chosen.allow_outside)
    log = Log()
    produced = write_one(fmt, resolved, tmpl, chosen, log)
    if log.items:
        report = Report(report.paper, report.diagnostics + log.items, report.counts,
                        report.citations, report.references, report.cited)
        if not writes_outputs(report.diagnostics, chosen.strict):
            return report, None
    return report, dict(produced)
