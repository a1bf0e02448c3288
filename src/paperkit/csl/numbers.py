"""Numbers in CSL: numeric tests, ordinals and roman numerals, page ranges, plurals."""

from __future__ import annotations

import re
from functools import lru_cache

from .locale import Locale

__all__ = ["is_numeric", "split_numbers", "format_number", "page_range", "is_plural",
           "roman"]

_NUMERIC = re.compile(r"^[a-zA-Z]{0,3}\d+[a-zA-Z]{0,3}$")
_SEPARATORS = re.compile(r"\s*(?:[-,&\u2013]|\band\b)\s*")


@lru_cache(maxsize=4096)
def is_numeric(value: str) -> bool:
    """Return whether `value` counts as numeric for ``is-numeric`` ("12", "2-5", "3, 4",
    "2nd", "L2"; not "second" or "12 bis")."""
    text = value.strip()
    if not text:
        return False
    pieces = _SEPARATORS.split(text)
    return all(_NUMERIC.match(p) for p in pieces) and any(c.isdigit() for c in text)


_TOKENS = re.compile(r"(\s*(?:[-,&\u2013]|\band\b)\s*)")


def split_numbers(value: str) -> list[str]:
    """Return `value` cut into numbers and the separators between them."""
    return [t for t in _TOKENS.split(value) if t != ""]


def roman(number: int) -> str:
    """Return `number` in lower-case roman numerals (as digits from 4000 on)."""
    if number <= 0 or number >= 4000:
        return str(number)
    out = []
    for value, letters in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"),
                           (90, "xc"), (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"),
                           (4, "iv"), (1, "i")):
        while number >= value:
            out.append(letters)
            number -= value
    return "".join(out)


def format_number(value: str, form: str, locale: Locale, gender: str = "") -> str:
    """Return a numeric variable `value` rendered in `form` (numeric, ordinal,
    long-ordinal, roman); pieces that are not plain integers stay as written."""
    pieces = split_numbers(value)
    out = []
    for piece in pieces:
        stripped = piece.strip()
        if stripped.isdigit():
            number = int(stripped)
            if form == "ordinal":
                out.append(locale.ordinal(number, gender))
            elif form == "long-ordinal":
                out.append(locale.long_ordinal(number, gender))
            elif form == "roman":
                out.append(roman(number))
            else:
                out.append(str(number))
        elif stripped in ("-", "\u2013"):
            out.append("\u2013" if form == "numeric" else "-")
        elif stripped == "&":
            out.append(" & ")
        elif stripped == ",":
            out.append(", ")
        elif stripped == "and":
            out.append(" and ")
        else:
            out.append(piece)
    return "".join(out)


_ROMAN = re.compile(r"^[ivxlcdm]+$|^[IVXLCDM]+$")
_PIECES = re.compile(r"\s*[,;&\u2013-]\s*|\s+")


@lru_cache(maxsize=4096)
def is_plural(value: str) -> bool:
    """Return whether a number variable's value is several numbers ("3-5", "2, 4", "2 & 3",
    "i-ix", "2, Spring"; not "Michaelson-Morely")."""
    if "\\-" in value:
        return False
    pieces = [p for p in _PIECES.split(value) if p]
    numbers = sum(1 for p in pieces if any(c.isdigit() for c in p) or _ROMAN.match(p))
    # two numbers ("3-5", "2, 4", "213 et 235", "i-ix"), or a number listed with more
    # ("2, Spring", as pandoc counts it); words alone ("Michaelson-Morely") are one name
    return numbers > 1 or (numbers == 1 and len(pieces) > 1 and "," in value)


def page_range(value: str, fmt: str | None, delimiter: str) -> str:
    """Return the page variable `value` with each range in the style's `fmt`
    (expanded, minimal, minimal-two, chicago, chicago-15, chicago-16) and `delimiter`.

    A range whose two ends carry different prefixes ("N110-5", "110-N6") is printed as
    written; "\\-" is a literal hyphen.
    """
    pieces = re.split(r"(\s*[,&]\s*)", value.strip())
    out = []
    for index, piece in enumerate(pieces):
        if index % 2:
            out.append(", " if piece.strip() == "," else " & ")
        else:
            out.append(_one_range(piece.strip(), fmt, delimiter))
    return "".join(out)


def _one_range(text: str, fmt: str | None, delimiter: str) -> str:
    if "\\-" in text:
        return text.replace("\\-", "-")
    parts = [p.strip() for p in re.split(r"\s*[-\u2013]+\s*", text)]
    if len(parts) != 2 or not parts[0] or not parts[1]:
        return text
    first, last = parts
    if not any(c.isdigit() for c in first + last):
        # roman numerals make a range ("xxv–xxviii"); words stay as written
        if _ROMAN.match(first) and _ROMAN.match(last):
            return f"{first}{delimiter}{last}"
        return text
    prefix_first = first.rstrip("0123456789")
    prefix_last = last.rstrip("0123456789")
    if prefix_first != prefix_last:
        return f"{first}-{last}"
    if not fmt:
        return f"{first}{delimiter}{last}"
    x = first[len(prefix_first):]
    y = last[len(prefix_last):]
    if not x or not y:
        return f"{first}-{last}"
    if len(y) < len(x):
        y = x[: len(x) - len(y)] + y
    if fmt == "expanded":
        return f"{prefix_first}{x}{delimiter}{prefix_first}{y}"
    if fmt == "minimal":
        return f"{prefix_first}{x}{delimiter}{_minimal(x, y, 1)}"
    if fmt == "minimal-two":
        return f"{prefix_first}{x}{delimiter}{_minimal(x, y, 2)}"
    if fmt in ("chicago", "chicago-15", "chicago-16"):
        return f"{prefix_first}{x}{delimiter}{_chicago(x, y, fmt)}"
    return f"{first}{delimiter}{last}"


def _minimal(x: str, y: str, keep: int) -> str:
    if len(x) != len(y):
        return y
    index = 0
    while index < len(x) and x[index] == y[index]:
        index += 1
    rest = y[index:]
    if len(rest) < keep and len(y) >= keep:
        return y[-keep:]
    return rest or y[-1:]


def _chicago(x: str, y: str, fmt: str) -> str:
    if len(x) != len(y):
        return y
    number = int(x)
    if number < 100 or number % 100 == 0:
        return y
    if number % 100 < 10:
        return _minimal(x, y, 1)
    if fmt != "chicago-16" and len(x) == 4:
        changed = sum(1 for a, b in zip(x, y) if a != b)
        if changed >= 3:
            return y
    return _minimal(x, y, 2)
