"""The faster import of reportlab's paragraph module changes its time, never its matches."""

from __future__ import annotations

import random
import re
import subprocess
import sys

import pytest

from paperkit.writers import reportlab_import as ri

CLASSES = [(ri._WORD, ri._NOT_WORD), (ri._WORD_DASH, ri._NOT_WORD_DASH),
           (ri._TLD, ri._NOT_TLD)]


@pytest.mark.parametrize("original, fast", CLASSES)
def test_each_wide_class_matches_the_same_code_points(original: str, fast: str) -> None:
    slow_class = re.compile(original + "+", re.IGNORECASE)
    fast_class = re.compile(fast + "+")
    # every code point, as one string per block of 4,096 so the check takes ~1 s: a class
    # run over a block matches it whole only if both agree on every character in it
    for start in range(0, 0x110000, 4096):
        chars = [chr(c) for c in range(start, start + 4096) if not 0xD800 <= c < 0xE000]
        expected = [slow_class.fullmatch(ch) is not None for ch in chars]
        got = [fast_class.fullmatch(ch) is not None for ch in chars]
        if expected != got:
            wrong = next(ch for ch, a, b in zip(chars, expected, got) if a != b)
            pytest.fail(f"{fast} and {original} (re.I) differ on U+{ord(wrong):04X}")


def test_the_pattern_is_reportlabs_and_the_fast_one_is_in_use() -> None:
    # in a fresh process, so this test does not depend on what imported reportlab before
    code = ("from paperkit.writers import pdf\n"
            "from reportlab.platypus import paragraph as p\n"
            "from paperkit.writers.reportlab_import import FAST_URI_PATTERN\n"
            "print(p.uri_pat.pattern == FAST_URI_PATTERN, p.uri_pat.flags & 2)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    assert out == ["True", "0"], "reportlab's uri_pat text changed: update URI_PATTERN"
    # and the text it stands for is reportlab's own
    import reportlab
    with open(reportlab.__path__[0] + "/platypus/paragraph.py", encoding="utf-8") as file:
        source = file.read()
    line = next(row for row in source.splitlines() if row.startswith("uri_pat = re.compile("))
    assert eval(line[len("uri_pat = re.compile("):line.rindex(", re.I)")]) == ri.URI_PATTERN


def test_the_whole_pattern_matches_as_reportlabs() -> None:
    slow = re.compile(ri.URI_PATTERN, re.IGNORECASE)
    fast = re.compile(ri.FAST_URI_PATTERN)
    pieces = ["http://", "HTTPS://", "ftp+x://", "user:pw@", "www.", "example", "EXAMPLE",
              ".com", ".ORG", ".", "-", "xn--", "XN--p1ai", "localhost", "LocalHost",
              "192.168.0.1", "256.1.1.1", "[::1]", "[FE80::1]", ":8080", ":80800", "/path",
              "?q=1", "#frag", "é", "中文", "Ωμέγα", "\u017f", "\u212a", "\u0130", "\u0131",
              "\U0001f600", "a", "Z", "9", "_", " ", "\\", "%20", "@", "~"]
    rng = random.Random(8)
    matched = 0
    for _ in range(40_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 8)))
        if rng.random() < 0.5:      # shaped like a URL, each part possibly wrong
            host = ".".join(rng.choice(pieces[4:]) for _ in range(rng.randint(1, 4)))
            text = rng.choice(pieces[:5]) + host + rng.choice(["", ":8080", "/a", "?b", text])
        a, b = slow.match(text), fast.match(text)
        assert (a and (a.span(), a.groups())) == (b and (b.span(), b.groups())), text
        matched += a is not None
    assert matched > 500          # the strings exercise the matching paths, not only misses
