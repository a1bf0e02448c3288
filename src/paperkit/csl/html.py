"""Rich text as the HTML of the CSL test suite (and of citeproc-js): ``<i>``, ``<b>``,
``<span style="font-variant:small-caps;">``, ``<sup>``, ``<sub>``, localized quotes,
flip-flopping italics and quotes, ``&#38;``-style escapes.
"""

from __future__ import annotations

__all__ = ["to_html"]

_ESCAPES = str.maketrans({"&": "&#38;", "<": "&#60;", ">": "&#62;"})
# Unicode superscript letters print as <sup> (citeproc-js): "1ᵉʳ" → "1<sup>e</sup><sup>r</sup>"
_SUPERSCRIPTS = {"\u00aa": "a", "\u00b2": "2", "\u00b3": "3", "\u00b9": "1", "\u00ba": "o",
                 "\u02b0": "h", "\u02b1": "\u0266", "\u02b2": "j", "\u02b3": "r",
                 "\u02b4": "\u0279", "\u02b5": "\u027b", "\u02b6": "\u0281", "\u02b7": "w",
                 "\u02b8": "y", "\u02e0": "\u0263", "\u02e1": "l", "\u02e2": "s", "\u02e3": "x",
                 "\u02e4": "\u0295", "\u1d2c": "A", "\u1d2d": "\u00c6", "\u1d2e": "B",
                 "\u1d30": "D", "\u1d31": "E", "\u1d33": "G", "\u1d34": "H", "\u1d35": "I",
                 "\u1d36": "J", "\u1d37": "K", "\u1d38": "L", "\u1d39": "M", "\u1d3a": "N",
                 "\u1d3c": "O", "\u1d3e": "P", "\u1d3f": "R", "\u1d40": "T", "\u1d41": "U",
                 "\u1d42": "W", "\u1d43": "a", "\u1d47": "b", "\u1d48": "d", "\u1d49": "e",
                 "\u1d4d": "g", "\u1d4f": "k", "\u1d50": "m", "\u1d52": "o", "\u1d56": "p",
                 "\u1d57": "t", "\u1d58": "u", "\u1d5b": "v", "\u1d9c": "c", "\u1da0": "f",
                 "\u1dbb": "z", "\u2070": "0", "\u2071": "i", "\u2074": "4", "\u2075": "5",
                 "\u2076": "6", "\u2077": "7", "\u2078": "8", "\u2079": "9", "\u207f": "n"}


def _text(text: str) -> str:
    escaped = text.translate(_ESCAPES)
    if any(c in _SUPERSCRIPTS for c in escaped):
        escaped = "".join(f"<sup>{_SUPERSCRIPTS[c]}</sup>" if c in _SUPERSCRIPTS else c
                          for c in escaped)
    return escaped


def to_html(rich: list, quotes: tuple[str, str, str, str] = ("\u201c", "\u201d", "\u2018",
                                                            "\u2019")) -> str:
    """Return `rich` as HTML; `quotes` are the locale's outer and inner quotation marks."""
    out: list[str] = []
    _html(rich, out, quotes, True, True, True, True)
    return "".join(out)


def _html(rich: list, out: list[str], quotes: tuple[str, str, str, str], outer: bool,
          italic: bool, bold: bool, smallcaps: bool) -> None:
    for piece in rich:
        if piece.__class__ is str:
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

