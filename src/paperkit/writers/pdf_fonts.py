"""Font registration for the PDF writer: the bundled Liberation families and fallbacks.

reportlab keeps registered fonts in a process-wide table, so registering is done once a
process (cached) and later builds only look names up. Every font is a TrueType font, which
reportlab embeds as a subset; no base-14 font is ever used, so ``pdffonts`` shows every font
embedded.

Characters the body families lack (Japanese, Chinese, Korean; rare symbols) are set in a
fallback font found on the system: a TrueType CJK font with ``glyf`` outlines (reportlab cannot
embed the CFF outlines of Noto CJK's ``.ttc``), else reportlab's built-in CID font
``HeiseiMin-W3`` (not embedded, and text extraction needs poppler's language pack).
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFError

from .pdf_font_cache import load_ttfont

__all__ = ["FONT_DIR", "FACES", "register_family", "Fallback", "cjk_fallback",
           "symbol_fallback", "covers", "codepoints", "is_cjk"]

#: Where the bundled Liberation TTFs live.
FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"

#: Face suffixes of a family's four files, in (bold, italic) order.
FACES: dict[tuple[bool, bool], str] = {
    (False, False): "Regular", (True, False): "Bold",
    (False, True): "Italic", (True, True): "BoldItalic",
}

#: TrueType (glyf-outline) CJK fonts tried in order; the first that loads is used.
CJK_CANDIDATES: tuple[tuple[str, int], ...] = (
    ("/usr/share/fonts/opentype/ipaexfont-mincho/ipaexm.ttf", 0),
    ("/usr/share/fonts/opentype/ipafont-mincho/ipam.ttf", 0),
    ("/usr/share/fonts/truetype/fonts-japanese-mincho.ttf", 0),
    ("/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf", 0),
    ("/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf", 0),
    ("/usr/share/fonts/truetype/fonts-japanese-gothic.ttf", 0),
    ("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0),
    ("C:/Windows/Fonts/msmincho.ttc", 0),
    ("/Library/Fonts/Arial Unicode.ttf", 0),
)

#: TrueType fonts with wide symbol coverage, for characters Liberation lacks.
SYMBOL_CANDIDATES: tuple[str, ...] = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
)

CID_FALLBACK = "HeiseiMin-W3"


@functools.cache
def register_family(family: str) -> str:
    """Return `family` ("LiberationSerif") after registering its four faces with reportlab.

    Faces are named ``<family>``, ``<family>-Bold``, ``-Italic`` and ``-BoldItalic`` and mapped
    as a family, so ``<b>`` and ``<i>`` in Paragraph markup pick the right face. Cached: each
    family is read once a process.
    """
    for (bold, italic), suffix in FACES.items():
        name = face_name(family, bold, italic)
        # parsed faces come from the disk cache when they are there (~20 ms a face)
        pdfmetrics.registerFont(load_ttfont(name, str(FONT_DIR / f"{family}-{suffix}.ttf")))
        addMapping(family, int(bold), int(italic), name)
    return family


def face_name(family: str, bold: bool, italic: bool) -> str:
    """Return the registered name of `family`'s face with `bold` and `italic`."""
    suffix = FACES[(bold, italic)]
    return family if suffix == "Regular" else f"{family}-{suffix}"


@dataclass(frozen=True, slots=True)
class Fallback:
    """A fallback font: its registered name and whether it is embedded (a TrueType font)."""

    name: str
    embedded: bool


def _register_single(name: str, path: str, index: int = 0) -> bool:
    """Register the TrueType font at `path` as a one-face family `name`; False if unusable."""
    if not os.path.isfile(path):
        return False
    try:
        font = load_ttfont(name, path, index)
    except (TTFError, OSError, ValueError, KeyError, AssertionError):
        return False
    pdfmetrics.registerFont(font)
    for bold in (0, 1):
        for italic in (0, 1):
            addMapping(name, bold, italic, name)
    return True


@functools.cache
def cjk_fallback() -> Fallback:
    """Return the font that sets CJK characters, registering it on first use.

    A system TrueType CJK font (see :data:`CJK_CANDIDATES`) is preferred because it is
    embedded and extractable; without one, reportlab's CID font ``HeiseiMin-W3`` still shows
    the characters in viewers that have a Japanese font.
    """
    for path, index in CJK_CANDIDATES:
        if _register_single("PaperkitCJK", path, index):
            return Fallback("PaperkitCJK", True)
    pdfmetrics.registerFont(UnicodeCIDFont(CID_FALLBACK))
    for bold in (0, 1):
        for italic in (0, 1):
            addMapping(CID_FALLBACK, bold, italic, CID_FALLBACK)
    return Fallback(CID_FALLBACK, False)


@functools.cache
def symbol_fallback() -> Fallback | None:
    """Return a wide-coverage TrueType font for symbols Liberation lacks, or ``None``."""
    for path in SYMBOL_CANDIDATES:
        if _register_single("PaperkitSymbols", path):
            return Fallback("PaperkitSymbols", True)
    return None


@functools.cache
def codepoints(name: str) -> frozenset[int]:
    """Return the code points registered TrueType font `name` has glyphs for (cached)."""
    font = pdfmetrics.getFont(name)
    face = getattr(font, "face", None)
    if face is None:          # a CID font: no character table to ask; assume it covers CJK
        return frozenset()
    return frozenset(face.charToGlyph)


def covers(name: str, char: str) -> bool:
    """Return whether registered TrueType font `name` has a glyph for `char`."""
    return ord(char) in codepoints(name)


def is_cjk(char: str) -> bool:
    """Return whether `char` is a CJK ideograph, kana, hangul or CJK punctuation."""
    code = ord(char)
    return (0x2E80 <= code <= 0x9FFF or 0xAC00 <= code <= 0xD7AF or 0xF900 <= code <= 0xFAFF
            or 0xFE30 <= code <= 0xFE4F or 0xFF00 <= code <= 0xFFEF
            or 0x20000 <= code <= 0x2FA1F)
