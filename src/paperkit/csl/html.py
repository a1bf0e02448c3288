"""Rich text as the HTML of the CSL test suite (and of citeproc-js): ``<i>``, ``<b>``,
``<span style="font-variant:small-caps;">``, ``<sup>``, ``<sub>``, localized quotes,
flip-flopping italics and quotes, ``&#38;``-style escapes.
"""

from __future__ import annotations

from typing import Any

import functools
import unicodedata

__all__ = ["to_html"]

_ESCAPES = str.maketrans({"&": "&#38;", "<": "&#60;", ">": "&#62;"})
# Unicode superscript characters print as <sup> (citeproc-js): "1ᵉʳ" → "1<sup>e</sup><sup>r</sup>".
# Built on first use: scanning the BMP at import cost every paperkit command ~15 ms.
@functools.cache
def _superscripts() -> dict[str, str]:
    table = {chr(code): "".join(chr(int(h, 16)) for h in
                                unicodedata.decomposition(chr(code)).split()[1:])
             for code in range(0xA0, 0x10000)
             if unicodedata.decomposition(chr(code)).startswith("<super>")}
    table.update({"\u02c0": "\u0294", "\u02c1": "\u0295", "\u06e5": "\u0648",
                  "\u06e6": "\u064a"})  # modifier letters Unicode does not decompose
    return table


def _text(text: str) -> str:
    escaped = text.translate(_ESCAPES)
    if escaped.isascii():
        return escaped
    sups = _superscripts()
    if any(c in sups for c in escaped):
        escaped = "".join(f"<sup>{sups[c]}</sup>" if c in sups else c
                          for c in escaped)
    return escaped


def to_html(rich: list[Any], quotes: tuple[str, str, str, str] = ("\u201c", "\u201d", "\u2018",
                                                            "\u2019")) -> str:
    """Return `rich` as HTML; `quotes` are the locale's outer and inner quotation marks."""
    out: list[str] = []
    _html(rich, out, quotes, True, True, True, True)
    return "".join(out)


def _html(rich: list[Any], out: list[str], quotes: tuple[str, str, str, str], outer: bool,
          italic: bool, bold: bool, smallcaps: bool) -> None:
    for piece in rich:
        if isinstance(piece, str):
            out.append(_text(piece))
            continue
        kind = piece.kind
        children = piece.children
        if kind == "italic":
            if italic:
                out.append("<i>")
                _html(children, out, quotes, outer, False, bold, smallcaps)
                out.append("</i>")
            else:
                out.append('<span style="font-style:normal;">')
                _html(children, out, quotes, outer, True, bold, smallcaps)
                out.append("</span>")
        elif kind == "normal":
            if italic:
                _html(children, out, quotes, outer, italic, bold, smallcaps)
            else:
                out.append('<span style="font-style:normal;">')
                _html(children, out, quotes, outer, True, bold, smallcaps)
                out.append("</span>")
        elif kind == "bold":
            if bold:
                out.append("<b>")
                _html(children, out, quotes, outer, italic, False, smallcaps)
                out.append("</b>")
            else:
                out.append('<span style="font-weight:normal;">')
                _html(children, out, quotes, outer, italic, True, smallcaps)
                out.append("</span>")
        elif kind == "smallcaps":
            if smallcaps:
                out.append('<span style="font-variant:small-caps;">')
                _html(children, out, quotes, outer, italic, bold, False)
            else:
                out.append('<span style="font-variant:normal;">')
                _html(children, out, quotes, outer, italic, bold, True)
            out.append("</span>")
        elif kind == "quoted":
            out.append(quotes[0] if outer else quotes[2])
            _html(children, out, quotes, not outer, italic, bold, smallcaps)
            out.append(quotes[1] if outer else quotes[3])
        elif kind == "underline":
            out.append('<span style="text-decoration:underline;">')
            _html(children, out, quotes, outer, italic, bold, smallcaps)
            out.append("</span>")
        elif kind == "nodecor":
            style = ("" if smallcaps else "font-variant:normal;") + \
                ("" if bold else "font-weight:normal;") + \
                ("" if italic else "font-style:normal;")
            out.append(f'<span style="{style}">' if style else "<span>")
            _html(children, out, quotes, outer, True, True, True)
            out.append("</span>")
        elif kind in ("sup", "sub"):
            out.append(f"<{kind}>")
            _html(children, out, quotes, outer, italic, bold, smallcaps)
            out.append(f"</{kind}>")
        elif kind == "baseline":
            out.append('<span style="baseline">')
            _html(children, out, quotes, outer, italic, bold, smallcaps)
            out.append("</span>")
        elif kind == "div":
            out.append(f'<div class="csl-{piece.arg}">')
            _html(children, out, quotes, outer, italic, bold, smallcaps)
            out.append("</div>")
        elif kind == "link":
            out.append(f'<a href="{piece.arg}">')
            _html(children, out, quotes, outer, italic, bold, smallcaps)
            out.append("</a>")
        else:  # nocase, item: no markup of their own
            _html(children, out, quotes, outer, italic, bold, smallcaps)

