"""The fast paths of reading and counting (issue 9) against the plain rules they replace.

Each speed-up keeps a slow, obviously right reference here and checks that both agree on
every code point and on random text, so an optimisation can never change a count or a
diagnostic.
"""

from __future__ import annotations

import re
import sys

from hypothesis import given, settings, strategies as st

from paperkit.checks.words import count_words
from paperkit.errors import InputError
from paperkit.readers import decode_source

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
                  r"\U00020000-\U0002fa1f]")
_WORDLIKE = re.compile(r"[^\W_]")


def reference_count(text: str) -> int:
    """Return the words of `text` run by run, as the README's rules say them."""
    total = 0
    for run in text.split():
        cjk = len(_CJK.findall(run))
        if cjk:
            total += cjk + (1 if _WORDLIKE.search(_CJK.sub("", run)) else 0)
        elif _WORDLIKE.search(run):
            total += 1
    return total


_SPACES = [c for c in map(chr, range(0x3100)) if c.isspace()] + ["\u3000", "\u205f"]
_PIECES = _SPACES + list("ab_\u2014-.,;1\u00e9'\"()[]") + [
    "\u0301", "\u00b2", "\u2460", "\u02b0", "\u0660", "\u3005", "\u4e00", "\u30a2", "\uac00",
    "\U00020001", "\U0001d400"]


_EVERY = [chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c < 0xE000]


def test_count_words_every_code_point() -> None:
    # the planes up to the CJK extensions' end whole, every 7th code point above; in blocks:
    # each alone, between letters, beside a CJK character
    points = [c for c in _EVERY if c < "\U00030000" or ord(c) % 7 == 0]
    for start in range(0, len(points), 2048):
        block = points[start:start + 2048]
        for text in (" ".join(block), " ".join(f"a{c}b" for c in block),
                     " ".join(f"{c}\u4e00" for c in block)):
            assert count_words(text) == reference_count(text), (start, text[:40])


def test_count_words_lone_surrogates() -> None:
    # a Paper built in code may hold them; they are no CJK and no letter
    for text in ("\ud800", "a\udfff b", "\ud83d \u4e00x"):
        assert count_words(text) == reference_count(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=40).map("".join))
def test_count_words_random_text(text: str) -> None:
    assert count_words(text) == reference_count(text)


_FORBIDDEN = {chr(c) for c in range(32) if chr(c) not in "\t\n\r"} | {"\x7f", "\ufffe", "\uffff"}


def reference_bad(text: str) -> int | None:
    """Return the index of the first character no output format can hold."""
    return next((i for i, ch in enumerate(text) if ch in _FORBIDDEN), None)


def test_decode_source_refuses_exactly_the_control_characters() -> None:
    allowed = "".join(c for c in _EVERY if c not in _FORBIDDEN)
    text = decode_source(allowed.encode("utf-8"), "paper.md")
    assert reference_bad(text) is None and len(text) == len(allowed)
    for bad in sorted(_FORBIDDEN):
        source = f"ab\nc{bad}d"
        try:
            decode_source(source.encode("utf-8"), "paper.md")
        except InputError as exc:
            assert exc.diagnostic.code == "PK105"
            assert exc.diagnostic.pos is not None
            assert (exc.diagnostic.pos.line, exc.diagnostic.pos.column) == (2, 2)
        else:
            raise AssertionError(f"{bad!r} was let through")


# --------------------------------------------------------------------------- bibliography

from paperkit.bibliography import latex_text, names, titles  # noqa: E402


def reference_split_top(text: str, separators: str) -> list[str]:
    """Return `text` cut at `separators` outside braces, character by character."""
    parts, current, depth, i = [], [], 0, 0
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            current.append(text[i:i + 2])
            i += 2
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        if ch in separators and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
        i += 1
    parts.append("".join(current))
    return parts


def _kind_of(ch: str) -> str:
    if ch.isalnum():
        return "ascii" if ch.isascii() else "other"
    if ch.isspace():
        return "space"
    return ""


def reference_chunks(text: str) -> list[tuple[int, str]]:
    """Return citeproc's chunks of `text`, character by character."""
    out: list[tuple[int, str]] = []
    start = 0
    for i in range(1, len(text) + 1):
        if i == len(text) or not _kind_of(text[i]) or _kind_of(text[i]) != _kind_of(text[i - 1]):
            out.append((start, text[start:i]))
            start = i
    return [chunk for chunk in out if chunk[1]]


_BIB_PIECES = ["a", "B", "1", " ", "\t", "\n", "~", ",", "{", "}", "\\", "\\'", "$", "-", "_",
               "\u00e9", "\u00c9", "\u0660", "\u00b2", "\u4e00", "\u3000", "\u00a0", ".", ":",
               "\ue020", "\ue021", "\ue022", "\ue023", "\ue024", "van ", "and "]
_bib_text = st.lists(st.sampled_from(_BIB_PIECES), max_size=30).map("".join)


def test_chunks_every_code_point() -> None:
    # each code point's kind, against its neighbours of every kind
    points = [c for c in _EVERY if c < "\U00030000" or ord(c) % 7 == 0]
    for start in range(0, len(points), 4096):
        block = points[start:start + 4096]
        for text in ("".join(block), "a\u00e9 ".join(block)):
            assert titles._chunks(text) == reference_chunks(text), start


@settings(max_examples=300, deadline=None)
@given(_bib_text)
def test_bibliography_fast_paths_random_text(text: str) -> None:
    for separators in (" \t\n~", ","):
        assert names._split_top(text, separators) == reference_split_top(text, separators)
    assert titles._chunks(text) == reference_chunks(text)
    if "{" not in text:
        run = [(text, False)] if text else []
        assert latex_text.split_protected(text) == run
    tags = {latex_text.MARKS["italic"][0]: "<i>", latex_text.MARKS["italic"][1]: "</i>",
            latex_text.MARKS["bold"][0]: "<b>", latex_text.MARKS["bold"][1]: "</b>"}
    assert titles._tags(text) == latex_text.plain("".join(tags.get(c, c) for c in text))


_BRACED_PIECES = ["a", "Z", "9", " ", "  ", "\n", "\n\n", "\t", "{", "}", "{", "}", ".", ",", ";",
                  ":", "!", "?", "(", ")", "/", "-", '"', "+", "*", "=", "@", "[", "]", "<",
                  ">", "|", "'", "\u00e9", "\u4e2d", "\u2019", "\u00a0", "!", "?", "<<", ">>",
                  ",,", "...", "--", "---", "-", "-", "{}", "12", "\u2013"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_BRACED_PIECES), max_size=25).map("".join))
def test_braces_only_values_read_as_pylatexenc_reads_them(text: str) -> None:
    prepared = latex_text._prepare(text)
    if latex_text._SPECIALS.search(prepared) or not latex_text._balanced(prepared):
        return
    assert latex_text.marked_text.__wrapped__(text) == latex_text._decode_nodes(prepared)


def test_braces_only_fast_path_cases() -> None:
    for text, expected in [("{Ministry of Foreign Affairs of Japan}",
                            "Ministry of Foreign Affairs of Japan"),
                           ("a{ b }c", "a b c"), ("{{x}} y", "x y"), ("{a}\n\n{b}", "a\n\nb")]:
        assert latex_text.marked_text.__wrapped__(text) == expected
    assert latex_text.marked_text.__wrapped__("{a} -- b") == "a \u2013 b"
    assert latex_text.marked_text.__wrapped__("-{}- --{-} -----") == "-- \u2013- \u2014\u2013"
    # what pylatexenc changes is left to it
    assert latex_text.marked_text.__wrapped__("{R\\&D}") == "R&D"
