"""SVG figures in the Word output: the SVG part, Word's svgBlip extension, a PNG fallback."""

from __future__ import annotations

import io
import re
import struct
import zipfile
from pathlib import Path

import pytest

from paperkit.model import Figure
from paperkit.pipeline import build
from paperkit.writers import docx_svg

SVG = (b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="400" '
       b'height="160" viewBox="0 0 400 160"><rect width="400" height="160" fill="#fff"/>'
       b'<circle cx="60" cy="130" r="7" fill="#1f77b4"/></svg>\n')


def _paper(tmp_path: Path) -> Path:
    folder = tmp_path / "svgpaper"
    folder.mkdir()
    (folder / "chart.svg").write_bytes(SVG)
    (folder / "paper.md").write_text(
        "---\ntitle: Vector\n---\n\n# One\n\nSee @fig:chart.\n\n"
        "![A timeline](chart.svg){#fig:chart}\n", encoding="utf-8")
    return folder


def _png_size(data: bytes) -> tuple[int, int]:
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_an_svg_figure_is_stored_as_word_stores_one(tmp_path: Path) -> None:
    folder = _paper(tmp_path)
    result = build(folder, ["docx"], tmp_path / "out")
    assert result.exit_code == 0 and result.written
    docx = zipfile.ZipFile(tmp_path / "out" / folder.name / "paper.docx")
    names = docx.namelist()
    svgs = [n for n in names if n.endswith(".svg")]
    pngs = [n for n in names if n.startswith("word/media/") and n.endswith(".png")]
    assert len(svgs) == 1 and docx.read(svgs[0]) == SVG
    assert len(pngs) == 1
    width, height = _png_size(docx.read(pngs[0]))
    assert abs(width / height - 400 / 160) < 0.05           # the SVG's proportions
    types = docx.read("[Content_Types].xml").decode()
    assert f'PartName="/{svgs[0]}" ContentType="image/svg+xml"' in types
    body = docx.read("word/document.xml").decode()
    rels = docx.read("word/_rels/document.xml.rels").decode()
    blip = re.search(r'<a:blip r:embed="(rId\d+)"><a:extLst><a:ext uri="\{96DAC541-7B7A-43D3-'
                     r'8B79-37D633B846F1\}"><asvg:svgBlip [^>]*r:embed="(rId\d+)"', body)
    assert blip is not None
    png_rel, svg_rel = blip.groups()
    assert re.search(rf'Id="{svg_rel}"[^>]*Target="{svgs[0][5:]}"', rels)
    assert re.search(rf'Id="{png_rel}"[^>]*Target="{pngs[0][5:]}"', rels)
    again = build(folder, ["docx"], tmp_path / "again")
    assert again.written
    assert (tmp_path / "again" / folder.name / "paper.docx").read_bytes() == \
        (tmp_path / "out" / folder.name / "paper.docx").read_bytes()


def test_without_pdftoppm_the_fallback_is_blank_and_proportional(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("paperkit.writers.docx_svg.shutil.which", lambda name: None)
    figure = Figure(src="chart.svg")
    png = docx_svg.fallback_png(SVG, figure)
    assert _png_size(png) == (400, 160)
    from PIL import Image

    with Image.open(io.BytesIO(png)) as picture:
        assert picture.mode == "RGBA"
        assert picture.getchannel("A").getextrema() == (0, 0)            # transparent


def test_svg_sizes_from_width_height_or_viewbox() -> None:
    figure = Figure(src="x.svg")
    assert docx_svg.svg_size(b'<svg width="2in" height="1in">', figure) == (192.0, 96.0)
    assert docx_svg.svg_size(b'<svg viewBox="0 0 640 480">', figure) == (640.0, 480.0)
    assert docx_svg.svg_size(b'<svg width="320" viewBox="0,0,640,480">', figure) == \
        (320.0, 240.0)
    assert docx_svg.svg_size(b"<svg>", figure) == (300.0, 150.0)
    with pytest.raises(Exception, match="PK105"):
        docx_svg.svg_size(b"<html></html>", figure)
