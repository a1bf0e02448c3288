"""Reading the files a paper refers to (images, bibliographies, .csl styles), confined.

A source may only name files inside its own folder: a paper downloaded from a stranger and
built in CI must not be able to pull ``~/.ssh/id_rsa`` or ``/etc/passwd`` into a PDF. Paths
are resolved with symlinks followed, so a link inside the folder that points outside counts
as outside. Folders the user names with ``--allow-outside PATH``
(:attr:`~paperkit.options.BuildOptions.allow_outside`) are allowed as well. Nothing is ever
downloaded: an image that is a URL is refused with a message saying so.

:func:`check_images` runs while loading, so ``paperkit check`` reports a missing image at
its figure; the writers read images through :func:`read_image`, which checks again.
:func:`check_images` also opens every raster image's header (Pillow), so a file that is no
image, or a "decompression bomb" whose header claims billions of pixels, is refused at load
with one line at its figure, before a writer's library prints a multi-line message.
"""

from __future__ import annotations

import io
import logging
import os
import re
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from .errors import InputError
from .model import (BlockQuote, BulletList, Figure, Note, OrderedList, Paper, Paragraph, Pos,
                    Section, Table)
from .walk import iter_inlines

__all__ = ["confine", "resolve_image", "read_image", "check_images", "check_image_data",
           "iter_figures", "MAX_PIXELS"]

#: The most pixels a raster image may have: Pillow's (and reportlab's) decompression-bomb
#: limit, 2 x ``PIL.Image.MAX_IMAGE_PIXELS``.
MAX_PIXELS = 178_956_970

# svglib logs a refused out-of-folder <image> (and its conversion problems) through
# `logging`; with no handler configured, Python's last-resort handler would print them to
# stderr above paperkit's own summary. The PDF writer keeps the figure and drops the image.
logging.getLogger("svglib").addHandler(logging.NullHandler())

# "https://...", "ftp://...", "data:...", "file:..." (a plain name may hold a colon)
_URL = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*://|(data|file|javascript|mailto):)", re.I)


def confine(name: str, base: str | os.PathLike[str], pos: Pos | None, what: str,
            allow_outside: Sequence[str | os.PathLike[str]] = (), *, missing: str = "") -> Path:
    """Return the real path of file `name` (relative to `base`), which must exist inside it.

    Symlinks are resolved first. A file outside `base` is accepted only inside one of the
    `allow_outside` folders. Raises :class:`InputError` PK104 at `pos` (`what` names the kind
    of file) for a URL, a path outside the allowed folders, or a file that does not exist
    (`missing` is then added to the message).
    """
    if not name.strip():
        raise InputError.make("PK104", pos, what=what, path="(no file name given)",
                              hint=f"; write the {what}'s file name")
    if _URL.match(name):
        raise InputError.make("PK104", pos, what=what, path=name,
                              hint="; paperkit never downloads files: save it in the paper's "
                                   "folder and give its relative path")
    if "\x00" in name:
        raise InputError.make("PK104", pos, what=what, path=name.replace("\x00", "\\0"),
                              hint="")
    try:
        root = Path(base).resolve()
        path = (root / name).resolve()
        roots = [root, *(Path(p).resolve() for p in allow_outside)]
        inside = any(path == r or r in path.parents for r in roots)
        exists = inside and path.is_file()
    except (OSError, RuntimeError) as exc:   # a name too long, a symlink loop
        raise InputError.make("PK104", pos, what=what, path=name,
                              hint=f" ({getattr(exc, 'strerror', None) or exc})") from None
    if not inside:
        raise InputError.make("PK104", pos, what=what, path=name,
                              hint=f" (it is {path}, outside the paper's folder {root}; "
                                   "move it there, or allow its folder with --allow-outside "
                                   "PATH)")
    if not exists:
        raise InputError.make("PK104", pos, what=what, path=name, hint=missing)
    return path


def resolve_image(paper: Paper, src: str, pos: Pos | None = None,
                  allow_outside: Sequence[str | os.PathLike[str]] = ()) -> Path:
    """Return the real path of image `src` of `paper`, which must lie in its folder.

    Raises :class:`InputError` (PK104) for a path that does not exist or leaves the folder
    (and the `allow_outside` folders), and for a URL.
    """
    return confine(src, paper.source_dir, pos, "image", allow_outside,
                   missing="; put the image in the paper's folder or correct its path")


def read_image(paper: Paper, figure: Figure) -> bytes:
    """Return the bytes of `figure`'s image (its `data`, else the file it names)."""
    if figure.data is not None:
        return figure.data
    path = resolve_image(paper, figure.src, figure.pos)
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError.make("PK104", figure.pos, what="readable image", path=figure.src,
                              hint=f" ({exc.strerror})") from None


def iter_figures(paper: Paper) -> Iterator[Figure]:
    """Yield every figure of `paper`: body, abstract, lists, quotes and footnotes."""
    yield from _figures_in(paper.abstract)
    yield from _figures_in(paper.blocks)
    for section in _sections(paper.sections):
        yield from _figures_in(section.blocks)


def _sections(sections: list[Section]) -> Iterator[Section]:
    for section in sections:
        yield section
        yield from _sections(section.subsections)


def _figures_in(blocks: Sequence[object]) -> Iterator[Figure]:
    for block in blocks:
        match block:
            case Figure():
                yield block
            case BulletList(items=items) | OrderedList(items=items):
                for item in items:
                    yield from _figures_in(item)
            case BlockQuote(blocks=inner):
                yield from _figures_in(inner)
            case Paragraph(content=content):
                for node in iter_inlines(content):
                    if isinstance(node, Note):
                        yield from _figures_in(node.blocks)
            case Table(header=header, rows=rows, caption=caption):
                for cell in [caption, *header, *(c for row in rows for c in row)]:
                    for node in iter_inlines(cell):
                        if isinstance(node, Note):
                            yield from _figures_in(node.blocks)
            case _:
                pass


def check_images(paper: Paper, allow_outside: Sequence[str | os.PathLike[str]] = ()
                 ) -> Paper:
    """Return `paper` after checking that every figure's image can be read.

    Every missing, outside or URL image is reported (PK104 at its figure); the first is
    raised with the others attached. An image outside the paper's folder that
    `allow_outside` permits is read now into the figure's `data`, so that the writers, which
    only know the paper's folder, can use it.
    """
    problems = []
    embedded: dict[int, bytes] = {}
    for figure in iter_figures(paper):
        try:
            if figure.data is not None:
                check_image_data(figure, figure.data)
                continue
            path = resolve_image(paper, figure.src, figure.pos, allow_outside)
            data = path.read_bytes()
            check_image_data(figure, data)
        except InputError as exc:
            problems.append(exc.diagnostic)
            continue
        except OSError as exc:
            problems.append(InputError.make("PK104", figure.pos, what="readable image",
                                            path=figure.src,
                                            hint=f" ({exc.strerror})").diagnostic)
            continue
        root = Path(paper.source_dir).resolve()
        if root not in path.parents:
            embedded[id(figure)] = data
    if problems:
        raise InputError(problems[0], problems[1:])
    if not embedded:
        return paper
    return _with_data(paper, embedded)


_REPR = re.compile(r"<[^<>]* at 0x[0-9a-fA-F]+>|\[\w+@0x[0-9a-fA-F]+\]")


def _is_svg(src: str, data: bytes) -> bool:
    """Return whether the image `src` with bytes `data` is an SVG file (drawn, not decoded)."""
    if src.lower().endswith((".svg", ".svgz")):
        return True
    head = data[:512].lstrip()
    return head.startswith(b"<svg") or (head.startswith(b"<?xml") and b"<svg" in data[:4096])


def check_image_data(figure: Figure, data: bytes) -> None:
    """Raise :class:`InputError` PK105 at `figure` when `data` is no raster image Pillow can
    open, or one with more than :data:`MAX_PIXELS` pixels. SVG files are left to the writers.

    Only the header is read: a bomb is refused before any pixel is decoded.
    """
    if _is_svg(figure.src, data):
        return
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            # Pillow warns between its limit and twice it; paperkit's limit is the error's
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
    except Image.DecompressionBombError:
        width, height = _claimed_size(data)
    except UnidentifiedImageError:
        raise _unreadable(figure, "it is not an image file paperkit knows (PNG, JPEG, GIF, "
                                  "BMP, TIFF or SVG)") from None
    except Exception as exc:          # Pillow raises many kinds on a damaged header
        raise _unreadable(figure, _one_line(exc)) from None
    if width * height > MAX_PIXELS or width <= 0 or height <= 0:
        raise _unreadable(figure, f"its header claims {width:,} x {height:,} pixels, more "
                                  f"than the {MAX_PIXELS:,} paperkit accepts (a decompression "
                                  "bomb?); scale it down")


def _claimed_size(data: bytes) -> tuple[int, int]:
    """Return the width and height a PNG header claims, or (0, 0) for other formats."""
    if data.startswith(b"\x89PNG") and len(data) >= 24:
        return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    return 0, 0


def _one_line(exc: BaseException) -> str:
    """Return `exc`'s message on one line, without object reprs."""
    text = " ".join(_REPR.sub("", str(exc)).split()) or type(exc).__name__
    return text if len(text) <= 160 else text[:159] + "…"


def _unreadable(figure: Figure, reason: str) -> InputError:
    return InputError.make("PK105", figure.pos,
                           detail=f"image '{figure.src}' cannot be read: {reason}")


def _with_data(paper: Paper, embedded: dict[int, bytes]) -> Paper:
    """Return `paper` with the figures whose id is in `embedded` given those bytes."""

    def blocks(items: list[Any]) -> list[Any]:
        return [block(b) for b in items]

    def inlines(nodes: list[Any]) -> list[Any]:
        out: list[Any] = []
        for node in nodes:
            if isinstance(node, Note):
                node = replace(node, blocks=blocks(node.blocks))
            elif hasattr(node, "content") and isinstance(node.content, list):
                node = replace(node, content=inlines(node.content))
            out.append(node)
        return out

    def block(b: object) -> object:
        match b:
            case Figure():
                data = embedded.get(id(b))
                return replace(b, data=data) if data is not None else b
            case BulletList(items=items) | OrderedList(items=items):
                return replace(b, items=[blocks(item) for item in items])
            case BlockQuote(blocks=inner):
                return replace(b, blocks=blocks(inner))
            case Paragraph(content=content):
                return replace(b, content=inlines(content))
            case Table(header=header, rows=rows, caption=caption):
                return replace(b, caption=inlines(caption), header=[inlines(c) for c in header],
                               rows=[[inlines(c) for c in row] for row in rows])
            case _:
                return b

    def section(s: Section) -> Section:
        return replace(s, blocks=blocks(s.blocks),
                       subsections=[section(x) for x in s.subsections])

    return replace(paper, abstract=blocks(paper.abstract), blocks=blocks(paper.blocks),
                   sections=[section(s) for s in paper.sections])
