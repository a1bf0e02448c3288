"""CSL-JSON items as the engine reads them: typed names, dates, numbers and texts.

:func:`make_reference` turns one CSL-JSON item (a dict) into a :class:`Reference`: name
lists become :class:`Name` tuples (particles split off as citeproc-js does: "van der Berg"
has the non-dropping particle "van der"), dates become :class:`Date` (date parts, season,
circa, literal; "raw" strings parsed), everything else stays a string (which may hold
CSL-JSON in-field markup, parsed when rendered).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Name", "Date", "Reference", "make_reference", "NAME_VARIABLES",
           "DATE_VARIABLES", "NUMBER_VARIABLES", "is_romanesque"]

NAME_VARIABLES = frozenset("""author chair collection-editor compiler composer container-author
contributor curator director editor editorial-director editortranslator executive-producer
guest host illustrator interviewer narrator organizer original-author performer producer
recipient reviewed-author script-writer series-creator translator""".split())
DATE_VARIABLES = frozenset("""accessed available-date event-date issued original-date submitted
container""".split())
NUMBER_VARIABLES = frozenset("""chapter-number citation-number collection-number edition
first-reference-note-number issue locator number number-of-pages number-of-volumes page
page-first part-number printing-number section supplement-number version volume""".split())


@dataclass(frozen=True, slots=True)
class Name:
    """One person or organisation (CSL-JSON's name object)."""

    family: str = ""
    given: str = ""
    dropping_particle: str = ""
    non_dropping_particle: str = ""
    suffix: str = ""
    literal: str = ""
    comma_suffix: bool = False
    static_ordering: bool = False

    @property
    def romanesque(self) -> bool:
        """Return whether the name is written in a "western" script (given name first)."""
        return is_romanesque(self.family + self.given)


@dataclass(frozen=True, slots=True)
class Date:
    """A date or date range: `parts` holds one or two (year, month, day) tuples."""

    parts: tuple[tuple[int | None, int | None, int | None], ...] = ()
    season: int | None = None
    circa: bool = False
    literal: str = ""

    @property
    def year(self) -> int | None:
        """Return the (first) year, or None."""
        return self.parts[0][0] if self.parts else None


@dataclass
class Reference:
    """One work: its id, CSL type and variables (names, dates, strings)."""

    id: str
    type: str
    vars: dict[str, Any] = field(default_factory=dict)

    def get(self, name: str) -> Any:
        """Return variable `name` (None when absent or empty)."""
        return self.vars.get(name)


def make_reference(item: dict[str, Any]) -> Reference:
    """Return the :class:`Reference` of a CSL-JSON `item`."""
    ident = str(item.get("id", ""))
    kind = str(item.get("type", "") or "")  # untyped stays untyped, as pandoc keeps it
    out: dict[str, Any] = {}
    for key, value in item.items():
        if key in ("id", "type") or value is None or value == "":
            continue
        name = key if key == "archive_location" else key.replace("_", "-")
        if name == "shorttitle":
            name = "title-short"
        elif name == "journalabbreviation":
            name = "container-title-short"
        if name in NAME_VARIABLES:
            if isinstance(value, list):
                names = [n for n in (_name(v) for v in value) if n is not None]
                if names:
                    out[name] = names
            continue
        if name in DATE_VARIABLES:
            date = _date(value)
            if date is not None:
                out[name] = date
            continue
        if isinstance(value, bool):
            continue
        if isinstance(value, (int, float)):
            out[name] = str(int(value)) if float(value).is_integer() else str(value)
        elif isinstance(value, str):
            out[name] = value
    # CSL 1.0.1 spells it archive_location, CSL 1.0.2 archive-location
    if "archive_location" in out:
        out.setdefault("archive-location", out["archive_location"])
    elif "archive-location" in out:
        out["archive_location"] = out["archive-location"]
    note = item.get("note")
    if isinstance(note, str) and ":" in note:
        _note_variables(note, kind, out)
        kind = out.pop("\x00type", kind)
    if key_alias := item.get("journalAbbreviation"):
        out.setdefault("container-title-short", str(key_alias))
    if "title-short" not in out and "shortTitle" in item:
        out["title-short"] = str(item["shortTitle"])
    return Reference(ident, kind, out)


_NOTE_LINE = re.compile(r"^\s*\{?:?([A-Za-z][A-Za-z_-]*)\s*:\s*(.+?)\}?\s*$")


def _note_variables(note: str, kind: str, out: dict[str, Any]) -> None:
    """Read Zotero's "variable: value" lines of a note as variables they do not override.

    ``event-date: 2004-10-01/2004-10-14``, ``reviewed-author: Hall || W.C.`` and
    ``genre: Peer commentary`` lines become those variables; ``type: ...`` changes the
    type. Other note text is left alone.
    """
    for line in note.split("\n"):
        match = _NOTE_LINE.match(line)
        if not match:
            continue
        name, value = match.group(1).replace("_", "-"), match.group(2).strip()
        name = _KNOWN_TEXT.get(name.lower(), name.lower())
        if name == "type":
            out["\x00type"] = value
        elif name in out:
            continue
        elif name in NAME_VARIABLES:
            family, _, given = value.partition("||")
            out[name] = [Name(family=family.strip(), given=given.strip())
                         if given else Name(literal=family.strip())]
        elif name in DATE_VARIABLES:
            date = _raw_date(value)
            if date is not None:
                out[name] = date
        elif name in _KNOWN_TEXT.values():
            out[name] = value


_KNOWN_TEXT = {name.lower(): name for name in """abstract annote archive archive-collection archive-location
archive-place authority call-number chapter-number citation-key citation-label
collection-number collection-title collection-title-short container-title
container-title-short dimensions division DOI edition event event-place event-title
genre ISBN ISSN issue jurisdiction language license locator medium number
number-of-pages number-of-volumes original-publisher original-publisher-place
original-title page part-number part-title PMCID PMID printing-number publisher
publisher-place references reviewed-genre reviewed-title scale section source status
supplement-number title title-short URL version volume volume-title year-suffix""".split()}


# ---------------------------------------------------------------------- names

_PARTICLE_WORD = re.compile(r"^(?:[a-z\u00e0-\u00ff'\u2019][\w'\u2019]*|[a-z]+[-'\u2019])$")


def _name(value: Any) -> Name | None:
    if isinstance(value, str):
        return Name(literal=value) if value else None
    if not isinstance(value, dict):
        return None
    fields: dict[str, Any] = value

    def get(key: str) -> str:
        return str(fields.get(key) or "").strip()

    literal = get("literal")
    family, given = get("family"), get("given")
    if literal and not family and not given:
        return Name(literal=literal)
    if not family and not given:
        return None
    dropping, non_dropping, suffix = get("dropping-particle"), \
        get("non-dropping-particle"), get("suffix")
    comma_suffix = bool(value.get("comma-suffix"))
    parse = value.get("parse-names", True) not in (False, "false")
    if parse and family.startswith('"') and family.endswith('"') and len(family) > 1:
        family = family[1:-1]
        parse = False
    if parse:
        if not non_dropping and not dropping:
            non_dropping, family = _family_particles(family)
        if given and not dropping:
            given, dropping = _given_particles(given)
        if given and not suffix and "," in given:
            head, tail = given.split(",", 1)
            tail = tail.strip()
            if tail.startswith("!"):
                tail = tail.lstrip("! ")
                comma_suffix = True
            if tail:
                given, suffix = head.strip(), tail
    return Name(family=family, given=given, dropping_particle=dropping,
                non_dropping_particle=non_dropping, suffix=suffix,
                comma_suffix=comma_suffix,
                static_ordering=bool(value.get("static-ordering")))


def _family_particles(family: str) -> tuple[str, str]:
    """Return (non-dropping particle, family) of a family name ("van der", "Berg").

    Leading lower-case words are particles; so is a short lower-case prefix glued with an
    apostrophe ("d'Aubigné" gives "d'" and "Aubigné").
    """
    words = family.split(" ")
    particles: list[str] = []
    while len(words) > 1 and (words[0][:1].islower() or words[0][:1] in "'\u2019") and \
            _PARTICLE_WORD.match(words[0].lstrip("'\u2019") or "x"):
        particles.append(words.pop(0))
    rest = " ".join(words)
    glued = _GLUED.match(rest)
    if glued:
        particles.append(glued.group(1))
        rest = glued.group(2)
    elif particles and particles[-1][-1:] in "'\u2019":
        # "de' Frinkle": the space after an apostrophe was written, so it stays
        particles[-1] += " "
    return " ".join(particles), rest


_GLUED = re.compile(r"^([a-z]{1,3}['\u2019]|[a-z]{1,3}-(?=[A-Z]))(\w.*)$")


def _given_particles(given: str) -> tuple[str, str]:
    """Return (given, dropping particle) of a given name ("Jean de" → "Jean", "de")."""
    words = given.split(" ")
    particles: list[str] = []
    while len(words) > 1 and words[-1][:1].islower() and _PARTICLE_WORD.match(words[-1]) \
            and not words[-1].endswith("."):
        particles.insert(0, words.pop())
    return " ".join(words), " ".join(particles)


def is_romanesque(text: str) -> bool:
    """Return whether `text` is in a script that puts given names first (Latin, Greek,
    Cyrillic, Hebrew, Arabic, ...), as opposed to CJK names written family first."""
    for ch in text:
        if ch.isalpha() and ord(ch) >= 0x0590:
            code = ord(ch)
            if 0x1100 <= code <= 0x11FF or 0x2E80 <= code <= 0xA4CF or \
                    0xAC00 <= code <= 0xD7AF or 0xF900 <= code <= 0xFAFF or \
                    0x3040 <= code <= 0x30FF or 0x20000 <= code:
                return False
            if 0x0E00 <= code <= 0x0E7F:  # Thai
                return False
    return True


# ---------------------------------------------------------------------- dates

_SEASONS = {"spring": 1, "summer": 2, "autumn": 3, "fall": 3, "winter": 4}
_MONTHS = {m: i + 1 for i, m in enumerate(
    "jan feb mar apr may jun jul aug sep oct nov dec".split())}


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value)
    if isinstance(value, str):
        text = value.strip()
        if re.fullmatch(r"-?\d+", text):
            return int(text)
    return None


def _date(value: Any) -> Date | None:
    if isinstance(value, str):
        return _raw_date(value)
    if not isinstance(value, dict):
        return None
    circa = bool(value.get("circa")) and value.get("circa") not in ("false", "0", 0)
    season = _int(value.get("season"))
    if season is None and isinstance(value.get("season"), str):
        season = _SEASONS.get(value["season"].strip().lower())
    literal = str(value.get("literal") or "")
    parts: list[tuple[int | None, int | None, int | None]] = []
    raw_parts = value.get("date-parts")
    if isinstance(raw_parts, list):
        for raw in raw_parts[:2]:
            if not isinstance(raw, list) or not raw:
                continue
            numbers = [_int(v) for v in raw[:3]]
            if numbers[0] is None:
                continue
            while len(numbers) < 3:
                numbers.append(None)
            year, month, day = numbers
            if month is not None and month == 0:
                month = None
            if day is not None and day == 0:
                day = None
            if month is None:
                day = None
            parts.append((year, month, day))
    if not parts and not literal and value.get("raw"):
        raw = _raw_date(str(value["raw"]))
        if raw is not None:
            return Date(raw.parts, raw.season or season, circa or raw.circa, raw.literal)
    if not parts and not literal:
        return None
    if len(parts) == 2 and parts[0] == parts[1]:
        parts = parts[:1]
    return Date(tuple(parts), season, circa, literal)


_RAW = re.compile(r"^\s*(-?\d{1,4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?\s*$")


def _raw_date(text: str) -> Date | None:
    text = text.strip()
    if not text:
        return None
    pieces = [p for p in re.split(r"\s*/\s*", text) if p] if "/" in text else [text]
    parts: list[tuple[int | None, int | None, int | None]] = []
    for piece in pieces[:2]:
        match = _RAW.match(piece)
        if not match:
            words = piece.replace(",", " ").split()
            season = next((_SEASONS[w.lower()] for w in words if w.lower() in _SEASONS), None)
            year = next((int(w) for w in words if re.fullmatch(r"\d{3,4}", w)), None)
            month = next((_MONTHS[w[:3].lower()] for w in words
                          if w[:3].lower() in _MONTHS and w.isalpha()), None)
            day = next((int(w) for w in words if re.fullmatch(r"\d{1,2}", w)), None)
            if year is None:
                return Date(literal=text)
            if season is not None and month is None:
                return Date(((year, None, None),), season=season)
            parts.append((year, month, day if month else None))
            continue
        year, month, day = (int(g) if g else None for g in match.groups())
        parts.append((year, month, day if month else None))
    return Date(tuple(parts)) if parts else Date(literal=text)


def strip_accents(text: str) -> str:
    """Return `text` without combining accents."""
    return "".join(c for c in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(c))
