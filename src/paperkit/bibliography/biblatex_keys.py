"""BibLaTeX localisation keys that appear in .bib data, with their English strings.

BibLaTeX replaces a field value that is a localisation key by the string of the document's
language: ``type = {phdthesis}`` prints "PhD thesis", ``pubstate = {inpress}`` "in press",
``type = {techreport}`` "technical report" (biblatex's ``english.lbx``; pandoc does the
same). Keys compare without case. Only English strings are shipped: for another language
the key is printed as written.
"""

from __future__ import annotations

__all__ = ["ENGLISH", "resolve_key"]

#: English strings of the keys used in data fields (``type``, ``pubstate``, ``series``...).
ENGLISH: dict[str, str] = {
    # thesis and report types
    "bathesis": "Bachelor\u2019s thesis", "mathesis": "Master\u2019s thesis",
    "phdthesis": "PhD thesis", "candthesis": "Candidate thesis",
    "resreport": "research report", "techreport": "technical report",
    "software": "computer software", "datacd": "CD-ROM", "audiocd": "audio CD",
    # patents
    "patent": "patent", "patentde": "German patent", "patenteu": "European patent",
    "patentfr": "French patent", "patentuk": "British patent", "patentus": "U.S. patent",
    "patreq": "patent request", "patreqde": "German patent request",
    "patreqeu": "European patent request", "patreqfr": "French patent request",
    "patrequk": "British patent request", "patrequs": "U.S. patent request",
    # publication states
    "inpreparation": "in preparation", "submitted": "submitted",
    "forthcoming": "forthcoming", "inpress": "in press", "prepublished": "pre-published",
    # series
    "newseries": "new series", "oldseries": "old series", "jourser": "series",
    # countries (patent locations)
    "countryde": "Germany", "countryeu": "European Union", "countryep": "European Union",
    "countryfr": "France", "countryuk": "United Kingdom",
    "countryus": "United States of America",
    # months and seasons
    "january": "January", "february": "February", "march": "March", "april": "April",
    "may": "May", "june": "June", "july": "July", "august": "August",
    "september": "September", "october": "October", "november": "November",
    "december": "December", "spring": "Spring", "summer": "Summer", "autumn": "Autumn",
    "winter": "Winter",
}


def resolve_key(value: str, *, lang: str = "en-US") -> str:
    """Return the string of `value` when it is a localisation key, else `value` itself."""
    if not lang.lower().startswith("en"):
        return value
    return ENGLISH.get(value.strip().lower(), value)
