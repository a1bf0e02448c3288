"""The writers: one module a format, each ``write_<fmt>(paper, template, options) -> Output``.

Writers only consume a resolved :class:`~paperkit.model.Paper` (numbered, citations rendered);
they never read sources or call the citation engine. Each is imported only when it runs, so
``paperkit check`` never loads reportlab or python-docx.
"""

from __future__ import annotations

import importlib
from typing import Callable

from ..model import Paper
from ..options import BuildOptions
from ..templates import Template

__all__ = ["Output", "Writer", "WRITERS", "get_writer"]

#: A writer's result: relative output path -> bytes (``{"paper.pdf": b"%PDF..."}``).
Output = dict[str, bytes]
Writer = Callable[[Paper, Template, BuildOptions], Output]

#: Format name -> "module:function", imported lazily by :func:`get_writer`.
WRITERS: dict[str, str] = {
    "pdf": "paperkit.writers.pdf:write_pdf",
    "docx": "paperkit.writers.docx:write_docx",
    "tex": "paperkit.writers.latex:write_latex",
}


def get_writer(fmt: str) -> Writer:
    """Return the writer function for format `fmt` (a key of :data:`WRITERS`)."""
    module_name, function = WRITERS[fmt].split(":")
    writer: Writer = getattr(importlib.import_module(module_name), function)
    return writer
