"""The feature tour in a numeric and a note style, read back from all three outputs."""

from __future__ import annotations

import re
import zipfile

import docx
import pytest
from pypdf import PdfReader

import paperkit
from conftest import ROOT

TOUR = ROOT / "sources" / "feature-tour"


def build(tmp_path, style):
    options = paperkit.BuildOptions(csl=style, source_date_epoch=1767225600)
    result = paperkit.build(paperkit.load(TOUR), out=tmp_path, options=options)
    assert result.exit_code == 0, [str(d) for d in result.report.diagnostics]
    return tmp_path / "feature-tour"


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_ieee_numbers_citations_in_order_in_every_format(tmp_path):
    folder = build(tmp_path, "ieee")
    body = flat(" ".join(p.text for p in docx.Document(str(folder / "paper.docx")).paragraphs))
    assert "world politics [1]" in body and "influence [2, Ch. 1]" in body
    assert re.search(r"\[1\] H\. J\. Mackinder, “The geographical pivot of history,”", body)
    pdf = flat(" ".join(p.extract_text() for p in PdfReader(str(folder / "paper.pdf")).pages))
    assert "world politics [1]" in pdf and "[2, Ch. 1]" in pdf
    tex = (folder / "paper.tex").read_text()
    assert "[1]" in tex and "Mackinder" in tex


def test_chicago_notes_become_real_footnotes_in_every_format(tmp_path):
    folder = build(tmp_path, "chicago-notes-bibliography")
    with zipfile.ZipFile(folder / "paper.docx") as package:
        notes = package.read("word/footnotes.xml").decode()
    notes_text = flat(re.sub(r"<[^>]+>", "", notes))
    assert "Mackinder, “The Geographical Pivot of History,”" in notes_text
    reader = PdfReader(str(folder / "paper.pdf"))
    first = flat(reader.pages[0].extract_text())
    assert "Halford J. Mackinder, “The Geographical Pivot of History,”" in first
    tex = (folder / "paper.tex").read_text()
    assert re.search(r"\\footnote\{[^}]*Mackinder", tex)
