"""TeX math typeset for the PDF: matplotlib's mathtext layout, drawn as real text.

Why mathtext: it implements TeX's own math layout rules (Knuth's appendix G: fractions, limits
stacked over and under big operators, radicals, scripts placed from the font's metrics,
sized ``\\left( \\right)`` delimiters, accents) for a large TeX subset, with real glyph
metrics. A home-grown layout would have to guess glyph heights, because reportlab exposes
none. Its cost is matplotlib's import (about half a second), paid once a process and only
by papers that contain math: matplotlib is imported when the first formula is laid out.

The layout comes from mathtext's ``"path"`` backend (glyph positions and rules only;
matplotlib draws nothing). The glyphs are drawn by reportlab as text in the STIX fonts that
matplotlib ships (their Times design matches Liberation Serif), embedded and subset like
every other font, so the math is vector, sharp and searchable. Display math is set in
display style (``\\frac`` becomes ``\\dfrac``) with its big operators enlarged as in TeX.

A formula mathtext cannot parse gives ``None``; the caller then shows it as readable text
(:mod:`paperkit.writers.pdf_math`).

Layouts are kept in the writer's cache on disk (:mod:`~paperkit.writers.pdf_cache`, one
small JSON file a formula), keyed by the formula, its size and style and the installed
matplotlib's layout code: a paper built again, or another paper with the same formulas,
skips matplotlib's import. A cached layout is the same numbers, so the PDF is the same bytes.
The cache names fonts by file name only, found again in matplotlib's own font folder.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable, Paragraph

from .pdf_cache import cache_root, write_atomic
from .pdf_font_cache import load_ttfont

__all__ = ["MathBox", "layout_math", "MathFlowable", "MathParagraph", "inline_math_markup",
           "MATH_CALLBACK"]

#: How inline math reaches the canvas: Paragraph markup carries a zero-width
#: ``<onDraw name="pk_math" label="KEY"/>`` tag, which :class:`MathParagraph` turns into an
#: inline-image fragment of the formula's size whose "image" is the MathBox itself, so
#: reportlab breaks lines around it and aligns it on the baseline; the canvas draws the
#: formula where reportlab draws that image (see the PDF writer's ``drawImage``).
MATH_CALLBACK = "pk_math"
_KEYS: dict[MathBox, str] = {}
_BOXES: dict[str, MathBox] = {}

#: Positions are computed at 100 x 72 dpi so that mathtext's rounding of the box to whole
#: pixels is 0.01 pt.
_SCALE = 100.0
#: TeX's display-style big operators are about 1.4 times the text size.
_DISPLAY_OPERATORS = 1.4
_BIG_OPERATORS = r"sum|prod|coprod|int|iint|iiint|oint|bigcup|bigcap|bigoplus|bigotimes|" \
                 r"bigvee|bigwedge|bigsqcup|biguplus"


#: TeX commands mathtext lacks -> what it has (None: drop the command).
_ALIASES: dict[str, str | None] = {
    "le": r"\leq", "ge": r"\geq", "gets": r"\leftarrow", "iff": r"\Leftrightarrow",
    "implies": r"\Rightarrow", "land": r"\wedge", "lor": r"\vee", "lnot": r"\neg",
    "lVert": r"\Vert", "rVert": r"\Vert", "lvert": r"\vert", "rvert": r"\vert",
    "tfrac": r"\frac", "textbf": r"\mathbf", "textit": r"\mathit", "emph": r"\mathit",
    "textrm": r"\mathrm", "mbox": r"\text", "stackrel": r"\overset", "square": r"\Box",
    "bmod": r"\mathrm{mod}", "mod": r"\;\mathrm{mod}\;", "argmax": r"\operatorname{arg\,max}",
    "argmin": r"\operatorname{arg\,min}", "dots": r"\ldots", "lbrack": "[", "rbrack": "]",
    "displaystyle": None, "textstyle": None, "scriptstyle": None, "limits": None,
    "nolimits": None, "big": None, "Big": None, "bigg": None, "Bigg": None, "bigl": None,
    "bigr": None, "Bigl": None, "Bigr": None, "biggl": None, "biggr": None, "nonumber": None,
    "notag": None,
}
_ALIAS = re.compile(r"\\(" + "|".join(sorted(_ALIASES, key=len, reverse=True)) + r")(?![A-Za-z])")


def _normalise(tex: str) -> str:
    """Return `tex` with commands mathtext lacks replaced by equivalents it has."""
    def replace(match: re.Match[str]) -> str:
        value = _ALIASES[match.group(1)]
        return "" if value is None else value + " "
    return _ALIAS.sub(replace, " ".join(tex.split()))


@dataclass(frozen=True, slots=True)
class MathBox:
    """A typeset formula: its extent around the baseline and what to draw.

    `glyphs` are (font name, size, character, x, y) and `rules` (x, y, width, height), in
    points from the box's left end on the baseline, y upwards.
    """

    width: float
    height: float
    depth: float
    glyphs: tuple[tuple[str, float, str, float, float], ...]
    rules: tuple[tuple[float, float, float, float], ...]

    def draw(self, canvas: Any, x: float, baseline: float) -> None:
        """Draw the formula on `canvas` with its left end at `x` on `baseline`."""
        canvas.saveState()
        canvas.setFillColorRGB(0, 0, 0)
        text = canvas.beginText()
        for font, size, char, gx, gy in self.glyphs:
            text.setFont(font, size)
            text.setTextOrigin(x + gx, baseline + gy)
            text.textOut(char)
        canvas.drawText(text)
        for rx, ry, rw, rh in self.rules:
            canvas.rect(x + rx, baseline + ry, rw, rh, stroke=0, fill=1)
        canvas.restoreState()


@functools.cache
def _parser() -> Any:
    """Return a mathtext parser that enlarges big operators in display math."""
    from matplotlib import _mathtext                  # heavy: only for papers with math

    class DisplayParser(_mathtext.Parser):
        display = False
        base = 0.0
        big = _mathtext.Parser._overunder_symbols | _mathtext.Parser._dropsub_symbols

        def parse(self, s: str, fonts_object: Any, fontsize: float, dpi: float) -> Any:
            self.base = fontsize
            return super().parse(s, fonts_object, fontsize, dpi)

        def symbol(self, s: str, loc: int, toks: Any) -> Any:
            state = self.get_state()
            if not (self.display and toks["sym"] in self.big
                    and state.fontsize >= self.base * 0.999):
                return super().symbol(s, loc, toks)
            state.fontsize = self.base * _DISPLAY_OPERATORS    # not in a script: enlarge
            try:
                return super().symbol(s, loc, toks)
            finally:
                state.fontsize = self.base

        def subsuper(self, s: str, loc: int, toks: Any) -> Any:
            result = super().subsuper(s, loc, toks)
            nucleus = toks.get("nucleus")
            if not (self.display and getattr(nucleus, "c", None) in self.big):
                return result
            # TeX puts a thin space between a big operator and what follows it
            items = result if isinstance(result, list) else [result]
            return [*items, self._make_space(self._space_widths[r"\,"])]

    return DisplayParser()


def _vector_parse(source: str, size: float, display: bool) -> Any:
    """Return mathtext's VectorParse of `source` (raises ValueError when it cannot)."""
    from matplotlib.font_manager import FontProperties

    prop = FontProperties(size=size, math_fontfamily="stix")
    try:
        from matplotlib import _mathtext
        from matplotlib.ft2font import LoadFlags
        parser = _parser()
        fontset = _mathtext.StixFonts(prop, LoadFlags.NO_HINTING)
    except (ImportError, AttributeError, TypeError):    # private API moved: public route
        from matplotlib.mathtext import MathTextParser
        return MathTextParser("path").parse(f"${source}$", dpi=72 * _SCALE, prop=prop)
    parser.display = display
    box = parser.parse(f"${source}$", fontset, size, 72 * _SCALE)
    return _mathtext.ship(box).to_vector()


@functools.cache
def _font_name(path: str) -> str:
    """Return the reportlab name of the TrueType font at `path`, registering it once."""
    name = "PKMath-" + Path(path).stem
    pdfmetrics.registerFont(load_ttfont(name, path))
    return name


def _display_tex(tex: str) -> str:
    """Return `tex` in display style: fractions full size (``\\dfrac``)."""
    return re.sub(r"\\frac(?![A-Za-z])", r"\\dfrac", tex)


@functools.lru_cache(maxsize=4096)
def layout_math(tex: str, size: float, display: bool = False) -> MathBox | None:
    """Return TeX math `tex` typeset at `size` points, or None if mathtext cannot set it.

    `display` sets it in display style (fractions full size, big operators enlarged).
    """
    source = _normalise(tex).strip()
    if not source:
        return None
    if display:
        source = _display_tex(source)
    cache = _cache_file(source, size, display)
    cached = _read_cached(cache)
    if cached is not None:
        return _box_of(cached)
    try:
        parsed = _vector_parse(source, size, display)
    except (ValueError, RuntimeError, KeyError, IndexError):
        _write_cached(cache, {"box": None})
        return None
    depth = float(parsed.depth) / _SCALE
    glyphs = []
    for font, font_size, code, _index, ox, oy in parsed.glyphs:
        glyphs.append([font.fname, float(font_size), chr(code), float(ox) / _SCALE,
                       float(oy) / _SCALE])
    rules = [[float(x) / _SCALE, float(y) / _SCALE, float(w) / _SCALE, float(h) / _SCALE]
             for x, y, w, h in parsed.rects]
    fonts = _fonts_folder()
    data = {"box": [float(parsed.width) / _SCALE, float(parsed.height) / _SCALE - depth,
                    depth, glyphs, rules]}
    box = _box_of(data, local=True)
    if fonts is not None and all(Path(g[0]).parent == fonts for g in glyphs):
        for glyph in glyphs:
            glyph[0] = Path(glyph[0]).name
        _write_cached(cache, data)
    return box


def _box_of(data: dict[str, Any], local: bool = False) -> MathBox | None:
    """Return the MathBox of cache record `data` (font paths, or file names when not
    `local`, found in matplotlib's font folder)."""
    if data["box"] is None:
        return None
    width, height, depth, glyphs, rules = data["box"]
    fonts = None if local else _fonts_folder()
    shown = []
    for font, font_size, char, x, y in glyphs:
        path = font if local else str(fonts / font) if fonts is not None else ""
        shown.append((_font_name(path), font_size, char, x, y))
    return MathBox(width, height, depth, tuple(shown), tuple(tuple(r) for r in rules))


@functools.cache
def _fonts_folder() -> Path | None:
    """Return matplotlib's TrueType font folder (found without importing matplotlib)."""
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0]) / "mpl-data" / "fonts" / "ttf"


@functools.cache
def _cache_folder() -> Path | None:
    """Return the folder of cached layouts for the installed matplotlib, or None (off)."""
    root = cache_root()
    fonts = _fonts_folder()
    if root is None or fonts is None:
        return None
    try:
        # the layout code's size and time stamp stand for matplotlib's version (asking
        # importlib.metadata for it costs more than the cache saves on a small paper)
        code = (fonts.parents[2] / "_mathtext.py").stat()
    except OSError:
        return None
    return root / f"math-{code.st_size}-{int(code.st_mtime)}"


def _cache_file(source: str, size: float, display: bool) -> Path | None:
    folder = _cache_folder()
    if folder is None:
        return None
    key = hashlib.sha256(f"{source}\0{size!r}\0{display}".encode()).hexdigest()
    return folder / f"{key}.json"


_GLYPH_FILE = re.compile(r"[\w.-]+\.ttf")


def _read_cached(path: Path | None) -> dict[str, Any] | None:
    """Return the cached layout record at `path`, or None when there is none or it is not
    one this module wrote (a malformed file is ignored, never trusted)."""
    if path is None:
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    try:
        box = data["box"]
        if box is None:
            return {"box": None}
        width, height, depth, glyphs, rules = box
        numbers = [width, height, depth] + [v for r in rules for v in r] + \
            [v for g in glyphs for v in (g[1], g[3], g[4])]
        if not all(type(v) in (int, float) for v in numbers) or \
                not all(len(r) == 4 for r in rules) or \
                not all(len(g) == 5 and isinstance(g[0], str) and
                        _GLYPH_FILE.fullmatch(g[0]) and isinstance(g[2], str) and
                        len(g[2]) == 1 for g in glyphs):
            return None
        fonts = _fonts_folder()
        if fonts is None or not all((fonts / g[0]).is_file() for g in glyphs):
            return None
    except (TypeError, ValueError, KeyError, IndexError):
        return None
    return {"box": box}


def _write_cached(path: Path | None, data: dict[str, Any]) -> None:
    """Store `data` at `path` atomically; a cache that cannot be written is skipped."""
    if path is not None:
        write_atomic(path, json.dumps(data).encode("utf-8"))


def inline_math_markup(tex: str, size: float) -> tuple[str, MathBox] | None:
    """Return the Paragraph markup that sets `tex` inline at `size` points, and its box.

    None when mathtext cannot set the formula. The markup only works in a
    :class:`MathParagraph`.
    """
    box = layout_math(tex, size)
    if box is None:
        return None
    key = _KEYS.get(box)
    if key is None:
        key = _KEYS[box] = str(len(_KEYS))
        _BOXES[key] = box
    return f'<onDraw name="{MATH_CALLBACK}" label="{key}"/>', box


class MathParagraph(Paragraph):  # type: ignore[misc]  # reportlab is untyped
    """A Paragraph whose inline-math tags take the room of their formulas.

    It also remembers its last line breaking: platypus and the footnote frame ask a
    paragraph for its height several times at one width (to plan notes, to add it, after
    a failed add before splitting), and breaking lines is most of the writer's time.
    """

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        memo = self.__dict__.get("_pk_wrap")
        if memo is not None and memo[0] == availWidth and memo[1] is self.frags:
            _, _, self.blPara, self.width, self.height, self._wrapWidths = memo
            return self.width, self.height
        width, height = super().wrap(availWidth, availHeight)
        if getattr(self, "blPara", None) is not None:
            self.__dict__["_pk_wrap"] = (availWidth, self.frags, self.blPara, self.width,
                                         self.height, self._wrapWidths)
        return width, height

    def _setup(self, text: Any, style: Any, *args: Any, **kwargs: Any) -> None:
        super()._setup(text, style, *args, **kwargs)
        if isinstance(text, str) and MATH_CALLBACK not in text:
            return
        for frag in self.frags:
            defn = getattr(frag, "cbDefn", None)
            if defn is None or getattr(defn, "name", None) != MATH_CALLBACK \
                    or defn.kind == "img":
                continue
            box = _BOXES[str(defn.label)]
            defn.kind = "img"
            defn.image = box
            defn.width = box.width
            defn.height = box.height + box.depth
            defn.valign = -box.depth


class MathFlowable(Flowable):  # type: ignore[misc]  # reportlab is untyped
    """Display math: `box` centred between the indents, with space above and below."""

    def __init__(self, box: MathBox, space_before: float, space_after: float,
                 left: float = 0.0, right: float = 0.0) -> None:
        super().__init__()
        self.box = box
        self.spaceBefore = space_before
        self.spaceAfter = space_after
        self.left, self.right = left, right
        self._width = 0.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self._width = availWidth
        room = max(availWidth - self.left - self.right, 1.0)
        scale = min(1.0, room / self.box.width) if self.box.width else 1.0
        return availWidth, (self.box.height + self.box.depth) * scale

    def draw(self) -> None:
        box = self.box
        room = max(self._width - self.left - self.right, 1.0)
        if box.width <= room:
            box.draw(self.canv, self.left + (room - box.width) / 2, box.depth)
            return
        # wider than the text: shrink it to fit rather than run into the margin
        scale = room / box.width
        self.canv.saveState()
        self.canv.translate(self.left, 0)
        self.canv.scale(scale, scale)
        box.draw(self.canv, 0, box.depth)
        self.canv.restoreState()
