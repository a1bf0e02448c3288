"""The Jinja environment that renders ``latex.tex.j2``: sandboxed, strict, escaping by default.

Templates are untrusted (a paper may name any template folder), so they run in Jinja's
:class:`~jinja2.sandbox.SandboxedEnvironment`. The delimiters are TeX-safe, as Sphinx's
LaTeX templates use: ``<%= value %>``, ``<% for x in xs %>``, ``<# comment #>``, so TeX's
braces and ``%`` need no quoting. Every printed value goes through
:func:`~paperkit.writers.latex_escape.escape` (Jinja's ``finalize`` hook) unless it is a
:class:`~paperkit.writers.latex_escape.Latex` fragment the writer rendered already. A
missing variable or a syntax error is a :class:`~paperkit.errors.TemplateError` (PK108)
that names the template file and line.

String operations inside a template (``~``, most filters) return plain ``str``, so a
:class:`Latex` value loses its mark and would be escaped twice: the writer joins fragments in
Python and hands the template finished pieces.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from types import TracebackType
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from ..disk_cache import cache_root
from ..errors import TemplateError
from ..model import Pos
from .latex_escape import Latex, escape

__all__ = ["TEMPLATE_FILE", "make_environment", "render_template", "finalize"]

#: The LaTeX template's file name inside a template folder.
TEMPLATE_FILE = "latex.tex.j2"


def finalize(value: Any) -> str:
    """Return `value` as it is printed into the ``.tex``: escaped unless it is :class:`Latex`.

    ``None`` prints as nothing; numbers and other values print as their escaped ``str``.
    """
    if isinstance(value, Latex):
        return value
    if value is None:
        return ""
    return escape(str(value))


class _ConfinedLoader(jinja2.FileSystemLoader):
    """A file loader that refuses a template whose real path (symlinks followed) leaves its
    search folders: a template from a stranger can hold ``leak.tex -> ~/.ssh/id_rsa``."""

    def get_source(self, environment: jinja2.Environment, template: str
                   ) -> tuple[str, str, Callable[[], bool]]:
        source, filename, uptodate = super().get_source(environment, template)
        real = Path(filename).resolve()
        roots = [Path(folder).resolve() for folder in self.searchpath]
        if not any(real == root or root in real.parents for root in roots):
            raise jinja2.TemplateNotFound(
                f"{template} (it lies outside the template folder, through a link)")
        return source, filename, uptodate


def make_environment(folders: Sequence[Path]) -> SandboxedEnvironment:
    """Return the sandboxed, strict, escaping Jinja environment loading from `folders`.

    `folders` are searched in order, so a template folder without its own ``latex.tex.j2``
    (or partial) uses the one of the template it extends.

    One environment per list of folders and their files is kept for the process: compiling
    ``latex.tex.j2`` costs ~80 ms, more than writing a short paper's .tex. The key holds
    each folder's file names, sizes and times, so a file added, removed or edited gives a
    new environment (a template added to the first folder overrides the next folder's).
    """
    names = tuple(str(f) for f in folders)
    return _environment(names, tuple(_listing(f) for f in names))


def _listing(folder: str) -> tuple[tuple[str, int, int], ...]:
    """Return the (name, size, modification time) of each file in `folder`."""
    try:
        with os.scandir(folder) as entries:
            found = []
            for entry in entries:
                if entry.is_file():
                    info = entry.stat()
                    found.append((entry.name, info.st_size, info.st_mtime_ns))
    except OSError:
        return ()
    return tuple(sorted(found))


class _CompiledTemplates(jinja2.FileSystemBytecodeCache):
    """Jinja's compiled templates kept on disk between runs (Jinja's own bytecode cache:
    compiling ``latex.tex.j2`` is ~40 ms of a cold build, loading it ~1 ms). An entry is
    found by the template's path and used only when the source's checksum and Jinja's and
    Python's versions match; the folder's name carries this module's environment settings
    (delimiters, sandbox), which the code depends on. The folder is private (0700), like
    Python's own ``__pycache__`` these are code; a cache that cannot be written is skipped."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except OSError:          # Jinja lets some through (the folder is a file, ...)
            pass

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            os.makedirs(self.directory, mode=0o700, exist_ok=True)
            super().dump_bytecode(bucket)
        except OSError:
            pass


# Change when the environment's settings below change: compiled code depends on them.
_SETTINGS_VERSION = "jinja-tex-1"


def _bytecode_cache() -> jinja2.BytecodeCache | None:
    root = cache_root()
    return None if root is None else _CompiledTemplates(str(root / _SETTINGS_VERSION))


@lru_cache(maxsize=32)
def _environment(folders: tuple[str, ...], listing: object) -> SandboxedEnvironment:
    """Return a new environment for `folders` (`listing` only keys the cache)."""
    return SandboxedEnvironment(
        loader=_ConfinedLoader(list(folders), encoding="utf-8"),
        bytecode_cache=_bytecode_cache(),
        undefined=jinja2.StrictUndefined,
        finalize=finalize,
        autoescape=False,
        variable_start_string="<%=",
        variable_end_string="%>",
        block_start_string="<%",
        block_end_string="%>",
        comment_start_string="<#",
        comment_end_string="#>",
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=True,
    )


def render_template(env: SandboxedEnvironment, name: str, context: Mapping[str, Any]) -> str:
    """Return template `name` rendered with `context`.

    Raises :class:`TemplateError` (PK108) for a missing template, a syntax error, an
    undefined variable or an operation the sandbox forbids, positioned at the template file
    and line where it happened.
    """
    try:
        template = env.get_template(name)
        return template.render(context)
    except jinja2.TemplateSyntaxError as exc:
        pos = Pos(exc.filename or name, exc.lineno or 0)
        raise TemplateError.make("PK108", pos, detail=f"syntax error: {exc.message}") from None
    except jinja2.TemplateNotFound as exc:
        searched = ", ".join(str(p) for p in getattr(env.loader, "searchpath", []))
        raise TemplateError.make("PK108", None, detail=f"'{exc.name}' not found in "
                                                       f"{searched}") from None
    except (jinja2.UndefinedError, jinja2.exceptions.SecurityError, TypeError,
            AttributeError, ValueError, KeyError, IndexError) as exc:
        pos = _template_position(exc.__traceback__, env) or Pos(name, 0)
        kind = "undefined variable" if isinstance(exc, jinja2.UndefinedError) else \
            "not allowed" if isinstance(exc, jinja2.exceptions.SecurityError) else "error"
        raise TemplateError.make("PK108", pos, detail=f"{kind}: {exc}") from None


def _template_position(tb: TracebackType | None, env: SandboxedEnvironment) -> Pos | None:
    """Return the innermost template file and line in traceback `tb`, if any.

    Jinja rewrites tracebacks so that frames of compiled templates carry the template's
    file name and line number.
    """
    roots = [Path(p).resolve() for p in getattr(env.loader, "searchpath", [])]
    found: Pos | None = None
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        path = Path(filename)
        if path.suffix == ".j2" or any(root in path.resolve().parents for root in roots):
            found = Pos(filename, tb.tb_lineno)
        tb = tb.tb_next
    return found
