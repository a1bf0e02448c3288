"""paperkit's CSL engine: citations and bibliographies from CSL styles and CSL-JSON items.

>>> style = Style(xml, "en-US")
>>> result = Processor(style, items).process([CitationInput([CiteInput("smith2000")])])

:class:`Style` compiles a style for a language; :class:`Processor` renders a document's
citations and bibliography (positions, sorting, disambiguation, collapsing) to rich text
(:mod:`~paperkit.csl.richtext`); :func:`~paperkit.csl.html.to_html` prints rich text as
the HTML of the CSL test suite.
"""

from __future__ import annotations

from typing import Any

from .html import to_html
from .processor import CitationInput, CitationResult, CiteInput, Processor, Result
from .style import Style, StyleError

__all__ = ["Style", "StyleError", "Processor", "CiteInput", "CitationInput",
           "CitationResult", "Result", "to_html", "render_citations_html",
           "render_bibliography_html"]


def render_citations_html(style_xml: str, items: list[dict[str, Any]],
                          citations: list[CitationInput], lang: str | None = None) -> list[str]:
    """Return each citation of `citations` rendered by the style, as HTML."""
    style = Style(style_xml, lang)
    result = Processor(style, items).process(citations, bibliography=False)
    quotes = style.locale.quotes
    out = []
    for citation in result.citations:
        rich = citation.rich
        if citation.author is not None:
            rich = citation.author + ([" "] if rich else []) + rich
        out.append(to_html(rich, quotes))
    return out


def render_bibliography_html(style_xml: str, items: list[dict[str, Any]],
                             citations: list[CitationInput] | None = None,
                             lang: str | None = None) -> list[str]:
    """Return the bibliography entries (HTML) for the works `citations` cite (all `items`,
    in their order, when None)."""
    style = Style(style_xml, lang)
    if citations is None:
        citations = [CitationInput([CiteInput(str(i.get("id")))]) for i in items]
    result = Processor(style, items).process(citations)
    quotes = style.locale.quotes
    return [to_html(rich, quotes) for _, rich in result.bibliography]
