"""BibTeX and BibLaTeX dates to CSL dates.

BibLaTeX writes dates in ISO 8601 / EDTF (``2022``, ``2022-05-17``, ``2019/2020``,
``2020-06-09/2020-06-15``, ``2020~`` for circa, ``2020-21`` for spring); BibTeX writes
``year``, ``month`` (``jan`` .. ``dec``, or a number) and ``day`` fields, and BibLaTeX adds
``endyear``/``endmonth``/``endday`` and the same with prefixes (``origyear``,
``eventyear``, ``urlyear``). A year that is not a number ("in press", "forthcoming") is
kept as a literal date, as CSL allows.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["parse_date", "parse_month", "date_from_parts"]

_MONTHS = {name: i + 1 for i, names in enumerate([
    ("jan", "january", "janvier", "januar", "jänner"), ("feb", "february", "février", "februar"),
    ("mar", "march", "mars", "märz"), ("apr", "april", "avril"),
    ("may", "mai"), ("jun", "june", "juin", "juni"), ("jul", "july", "juillet", "juli"),
    ("aug", "august", "août"), ("sep", "sept", "september", "septembre"),
    ("oct", "october", "octobre", "oktober"), ("nov", "november", "novembre"),
    ("dec", "december", "décembre", "dezember"),
]) for name in names}
# one EDTF date: year (maybe negative), month or season (21-24), day, then ~ ? % qualifiers
_EDTF = re.compile(r"^(-?\d{1,4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?(?:T[\d:.Z+-]*)?([~?%]*)$")


def parse_month(text: str) -> int | None:
    """Return the month number of `text` (``5``, ``"05"``, ``"may"``, ``"May."``), or None."""
    value = text.strip().rstrip(".").lower()
    if value.isdigit():
        number = int(value)
        return number if 1 <= number <= 12 else None
    return _MONTHS.get(value)


def _one(text: str) -> dict[str, Any] | None:
    """Return ``{"parts": [...], "circa": bool, "season": n}`` for one EDTF date, or None."""
    match = _EDTF.match(text.strip())
    if not match:
        return None
    year, month, day, qualifiers = match.groups()
    parts = [int(year)]
    season = None
    if month is not None:
        number = int(month)
        if 21 <= number <= 24 and day is None:
            season = number - 20
        elif 1 <= number <= 12:
            parts.append(number)
            if day is not None:
                if not 1 <= int(day) <= 31:
                    return None
                parts.append(int(day))
        else:
            return None
    return {"parts": parts, "circa": "~" in qualifiers or "%" in qualifiers, "season": season}


def parse_date(text: str) -> dict[str, Any]:
    """Return the CSL date for `text`: ``2022``, ``2022-05-17``, ``2020/2022``, ``2020~``.

    ``--`` and en dashes separate a range like ``/``; ``c. 1900`` is a circa date; an
    open end (``2020/..``) is left out. A value that is not a date (``in press``) becomes
    ``{"literal": ...}``.
    """
    value = text.strip().replace("\u00a0", "~").replace("\u2013", "/").replace("--", "/")
    lowered = value.lower()
    for prefix in ("c.", "ca.", "circa"):
        if lowered.startswith(prefix):
            inner = parse_date(value[len(prefix):])
            if "date-parts" in inner:
                return {**inner, "circa": True}
    ends = [part.strip() for part in value.split("/")]
    if 1 <= len(ends) <= 2 and ends[0]:
        dates = [_one(end) for end in ends if end and end != ".."]
        if dates and all(d is not None for d in dates):
            out: dict[str, Any] = {"date-parts": [d["parts"] for d in dates if d]}
            if any(d["circa"] for d in dates if d):
                out["circa"] = True
            seasons = [d["season"] for d in dates if d and d["season"]]
            if seasons:
                out["season"] = seasons[0]
            return out
    return {"literal": text.strip()}


def date_from_parts(year: str | None, month: str | None, day: str | None,
                    endyear: str | None = None, endmonth: str | None = None,
                    endday: str | None = None) -> dict[str, Any] | None:
    """Return the CSL date of BibTeX's separate fields (already decoded), or None.

    A year that is not a number is a literal date ("in press"); a month that is not a
    month is ignored, as are a day without a month and a month without a year.
    """
    if year is None or not year.strip():
        return None
    first = _parts(year, month, day)
    if first is None:
        parsed = parse_date(year)  # "2019/2020" or "in press"
        return parsed
    dates = [first]
    if endyear is not None:
        last = _parts(endyear, endmonth, endday)
        if last is not None:
            dates.append(last)
    return {"date-parts": dates}


def _parts(year: str, month: str | None, day: str | None) -> list[int] | None:
    value = year.strip()
    if value.startswith(("\u2013", "\u2014")):  # a BCE year written with -- or ---
        value = "-" + value[1:]
    if not re.fullmatch(r"-?\d+", value):
        return None
    parts = [int(value)]
    number = parse_month(month.split()[0]) if month and month.split() else None
    if number is not None:
        parts.append(number)
        if day is not None and day.strip().isdigit() and 1 <= int(day) <= 31:
            parts.append(int(day))
    return parts
