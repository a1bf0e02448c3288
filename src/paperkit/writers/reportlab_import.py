"""reportlab's paragraph module, imported without its slowest line.

``reportlab.platypus.paragraph`` compiles, when it is imported, a URI pattern (``uri_pat``,
used by its hyphenation to split long URLs) whose character classes span ``\\xa1-\\uffff``
under ``re.IGNORECASE``: Python's regex compiler case-folds all 65,000 characters of each of
the five classes, ~50 ms, a quarter of reportlab's import and a tenth of a small paper's
whole PDF build. :func:`import_paragraph` imports the module while ``re.compile`` hands
back, for that one pattern text, an equivalent pattern written without the flag: each wide
class as the negation of its small complement (which compiles in under a millisecond) and
the ASCII-only parts (the scheme, an IPv6 host, ``xn--``, ``localhost``) under a scoped
``(?i:...)``. The two patterns match the same strings; ``tests/test_reportlab_import.py``
checks each class against every code point and the whole pattern on generated URLs.

Any other pattern, or another reportlab version whose pattern text differs, compiles as
usual: nothing changes but the time.
"""

from __future__ import annotations

import re
import sys
import threading
from types import ModuleType
from typing import Any

__all__ = ["import_paragraph", "URI_PATTERN", "FAST_URI_PATTERN"]

# The classes of the original, under IGNORECASE, and their equivalents without it.
_WORD = "[a-z\xa1-\uffff0-9]"          # a letter, digit or any non-ASCII BMP character
_WORD_DASH = "[a-z\xa1-\uffff0-9-]"
_TLD = "[a-z\xa1-\uffff-]"
_NOT_WORD = "[^\\x00-/:-@\\[-`{-\\xa0\U00010000-\U0010ffff]"
_NOT_WORD_DASH = "[^\\x00-,./:-@\\[-`{-\\xa0\U00010000-\U0010ffff]"
_NOT_TLD = "[^\\x00-,./0-@\\[-`{-\\xa0\U00010000-\U0010ffff]"

#: ``reportlab.platypus.paragraph.uri_pat``'s text (reportlab 4 and 5), compiled with re.I.
URI_PATTERN = (
    "(^(?:[a-z0-9\\.\\-\\+]*)://)(?:\\S+(?::\\S*)?@)?(?:(?:25[0-5]|2[0-4]\\d|[0-1]?\\d?\\d)"
    "(?:\\.(?:25[0-5]|2[0-4]\\d|[0-1]?\\d?\\d)){3}|\\[[0-9a-f:\\.]+\\]|"
    f"({_WORD}(?:{_WORD_DASH}{{0,61}}{_WORD})?(?:\\.(?!-){_WORD_DASH}{{1,63}}(?<!-))*"
    f"\\.(?!-)(?:{_TLD}{{2,63}}|xn--[a-z0-9]{{1,59}})(?<!-)\\.?|localhost))"
    "(?::\\d{2,5})?(?:[/?#][^\\s]*)?\\Z"
)

#: The same pattern without re.I (see the module docstring).
FAST_URI_PATTERN = (
    URI_PATTERN
    .replace("(?:[a-z0-9\\.\\-\\+]*)", "(?i:[a-z0-9\\.\\-\\+]*)")
    .replace("\\[[0-9a-f:\\.]+\\]", "\\[(?i:[0-9a-f:\\.]+)\\]")
    .replace("xn--[a-z0-9]{1,59}", "(?i:xn--[a-z0-9]{1,59})")
    .replace("|localhost)", "|(?i:localhost))")
    .replace(_WORD_DASH, _NOT_WORD_DASH)
    .replace(_WORD, _NOT_WORD)
    .replace(_TLD, _NOT_TLD)
)

_LOCK = threading.Lock()


def import_paragraph() -> ModuleType:
    """Return ``reportlab.platypus.paragraph``, imported now if it is not yet (see the
    module docstring)."""
    found = sys.modules.get("reportlab.platypus.paragraph")
    if found is not None:
        return found
    real = re.compile

    def compile_fast(pattern: Any, flags: Any = 0) -> Any:
        if pattern == URI_PATTERN and flags == re.IGNORECASE:
            return real(FAST_URI_PATTERN)
        return real(pattern, flags)

    with _LOCK:
        re.compile = compile_fast
        try:
            import reportlab.platypus.paragraph
        finally:
            re.compile = real
    return sys.modules["reportlab.platypus.paragraph"]
