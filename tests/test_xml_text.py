"""The Word writer's XML escaping gives exactly what xml.sax.saxutils gives."""

from __future__ import annotations

from xml.sax import saxutils

from hypothesis import given, strategies as st

from paperkit.writers.xml_text import escape, quoteattr

SAMPLES = ["", "plain", "a & b < c > d", 'say "hi"', "it's", "both ' and \"", "tab\there",
           "line\nbreak\r\n", "&amp; already", "Ünïcödé 日本語 🙂", "'\"&<>\t\n\r"]


def test_same_as_saxutils_on_samples() -> None:
    for text in SAMPLES:
        assert escape(text) == saxutils.escape(text)
        assert quoteattr(text) == saxutils.quoteattr(text)


@given(st.text(alphabet=st.sampled_from("ab &<>\"'\t\n\r;#é日"), max_size=30))
def test_same_as_saxutils_on_any_text(text: str) -> None:
    assert escape(text) == saxutils.escape(text)
    assert quoteattr(text) == saxutils.quoteattr(text)
