"""BibLaTeX localisation keys that appear in .bib data, with their English strings.

BibLaTeX replaces a field value that is a localisation key by the string of the document's
language: ``type = {phdthesis}`` prints "PhD thesis", ``pubstate = {inpress}`` "in press",
``type = {techreport}`` "technical report" (biblatex's ``english.lbx``; pandoc does the
same). Keys compare without case. Only English strings are shipped: for another language
the key is printed as written. :func:`language_tag` turns babel's language names
(``langid = {ngerman}``) into the IETF tags CSL uses (``de-DE``).
"""

from __future__ import annotations

__all__ = ["ENGLISH", "LANGUAGES", "resolve_key", "language_tag"]

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


#: babel language names (``langid``) to IETF tags, as pandoc maps them.
LANGUAGES: dict[str, str] = {
    "english": "en-US", "usenglish": "en-US", "american": "en-US", "british": "en-GB",
    "ukenglish": "en-GB", "canadian": "en-US", "australian": "en-GB", "newzealand": "en-GB",
    "afrikaans": "af-ZA", "arabic": "ar", "basque": "eu", "bulgarian": "bg-BG",
    "catalan": "ca-AD", "croatian": "hr-HR", "czech": "cs-CZ", "danish": "da-DK",
    "dutch": "nl-NL", "estonian": "et-EE", "finnish": "fi-FI", "canadien": "fr-CA",
    "acadian": "fr-CA", "french": "fr-FR", "francais": "fr-FR", "austrian": "de-AT",
    "naustrian": "de-AT", "german": "de-DE", "germanb": "de-DE", "ngerman": "de-DE",
    "greek": "el-GR", "polutonikogreek": "el-GR", "hebrew": "he-IL", "hungarian": "hu-HU",
    "icelandic": "is-IS", "italian": "it-IT", "japanese": "ja-JP", "latvian": "lv-LV",
    "lithuanian": "lt-LT", "magyar": "hu-HU", "mongolian": "mn-MN", "norsk": "nb-NO",
    "nynorsk": "nn-NO", "farsi": "fa-IR", "polish": "pl-PL", "brazil": "pt-BR",
    "brazilian": "pt-BR", "portugues": "pt-PT", "portuguese": "pt-PT", "romanian": "ro-RO",
    "russian": "ru-RU", "serbian": "sr-RS", "serbianc": "sr-RS", "slovak": "sk-SK",
    "slovene": "sl-SL", "spanish": "es-ES", "swedish": "sv-SE", "thai": "th-TH",
    "turkish": "tr-TR", "ukrainian": "uk-UA", "vietnamese": "vi-VN", "latin": "la",
}
_ENGLISH_VARIANTS = {"british": "en-GB", "uk": "en-GB", "american": "en-US", "us": "en-US",
                     "usmax": "en-US", "australian": "en-GB", "newzealand": "en-GB"}


def language_tag(fields: dict[str, str]) -> str | None:
    """Return the IETF tag of an entry's ``langid`` (or ``hyphenation``), or None."""
    langid = fields.get("langid", fields.get("hyphenation", "")).strip().lower()
    if not langid:
        return None
    if langid == "english":
        variant = fields.get("langidopts", "").strip().lower()
        if variant.startswith("variant="):
            return _ENGLISH_VARIANTS.get(variant[len("variant="):].strip(), "en-US")
    return LANGUAGES.get(langid, langid)
