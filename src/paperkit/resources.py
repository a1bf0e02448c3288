"""Reading the files a paper refers to (images), confined to the paper's folder."""

from __future__ import annotations

from pathlib import Path

from .errors import InputError
from .model import Figure, Paper, Pos

__all__ = ["resolve_image", "read_image"]


def resolve_image(paper: Paper, src: str, pos: Pos | None = None) -> Path:
    """Return the absolute path of image `src` of `paper`, which must lie in its folder.

    Raises :class:`InputError` (PK104) for a path that does not exist or leaves the folder.
    """
    base = Path(paper.source_dir).resolve()
    path = (base / src).resolve()
    if base != path and base not in path.parents:
        raise InputError.make("PK104", pos, what="image", path=src,
                              hint=" (images must lie inside the paper's folder)")
    if not path.is_file():
        raise InputError.make("PK104", pos, what="image", path=src, hint="")
    return path


def read_image(paper: Paper, figure: Figure) -> bytes:
    """Return the bytes of `figure`'s image (its `data`, else the file it names)."""
    if figure.data is not None:
        return figure.data
    return resolve_image(paper, figure.src, figure.pos).read_bytes()
