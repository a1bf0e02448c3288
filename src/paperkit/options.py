"""BuildOptions: every choice a build makes, in one frozen value passed explicitly."""

from __future__ import annotations

import os
from dataclasses import dataclass

__all__ = ["BuildOptions", "FORMATS"]

#: The output formats, in the order they are written and reported.
FORMATS: tuple[str, ...] = ("pdf", "docx", "tex")


@dataclass(frozen=True, slots=True)
class BuildOptions:
    """What to build and how; no module-level switches exist anywhere else.

    `template`, `csl` and `latex_citations` (``rendered`` | ``biblatex``) override the paper's
    front matter when set. `compile_tex` also runs `engine` (``pdflatex`` | ``xelatex`` |
    ``lualatex``) on the written ``paper.tex`` (``paperkit build --to tex --compile``).
    `source_date_epoch`
    (seconds) fixes every date written into outputs; by default it comes from the
    ``SOURCE_DATE_EPOCH`` environment variable, else a fixed date, so builds are repeatable.
    """

    formats: tuple[str, ...] = FORMATS
    template: str | None = None
    csl: str | None = None
    strict: bool = False
    latex_citations: str | None = None
    compile_tex: bool = False
    engine: str = "pdflatex"
    source_date_epoch: int = 0
    #: folders outside the paper's own from which its images, bibliographies and .csl
    #: styles may be read (``--allow-outside PATH``); by default a source can only name
    #: files inside its folder
    allow_outside: tuple[str, ...] = ()

    @classmethod
    def from_env(cls, **values: object) -> BuildOptions:
        """Return options from `values`, with `source_date_epoch` from the environment."""
        if "source_date_epoch" not in values:
            raw = os.environ.get("SOURCE_DATE_EPOCH", "")
            values["source_date_epoch"] = int(raw) if raw.isdigit() else 0
        return cls(**values)  # type: ignore[arg-type]
