"""The PDF writer reads the template fields added with policy-brief and apa-student.

Each test builds the sample paper with one field changed and reads the PDF back with pypdf:
where a text is drawn (x, y in points from the bottom left), in which fill colour, on which
page, and which rectangles are filled in which colour.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field, replace
from typing import Any

import pytest
from pypdf import PdfReader
from reportlab.lib.units import mm

from paperkit.options import BuildOptions
from paperkit.templates import load_template
from paperkit.writers.pdf import write_pdf
from sample_paper import sample_paper

BLUE = "#1F4E79"
BLUE_RGB = (0x1F / 255, 0x4E / 255, 0x79 / 255)


@dataclass
class Run:
    """One text run drawn on a page."""

    text: str
    x: float
    y: float
    color: tuple[float, ...]
    font: str


@dataclass
class Page:
    """What a page draws: text runs, filled colours, stroked colours, image positions."""

    runs: list[Run] = field(default_factory=list)
    fills: list[tuple[float, ...]] = field(default_factory=list)
    strokes: list[tuple[float, ...]] = field(default_factory=list)
    images: list[float] = field(default_factory=list)     # y of each image's bottom


def build(**changes: Any) -> bytes:
    """Return the sample paper's PDF in the article template with `changes`."""
    template = replace(load_template("article"), **changes)
    return write_pdf(sample_paper(), template, BuildOptions())["paper.pdf"]


def read(data: bytes) -> list[Page]:
    """Return what each page of `data` draws (header/footer forms included)."""
    pages = []
    for pdf_page in PdfReader(io.BytesIO(data)).pages:
        page = Page()
        state: dict[str, tuple[float, ...]] = {"fill": (0.0, 0.0, 0.0),
                                               "stroke": (0.0, 0.0, 0.0)}

        def before(op: bytes, args: list[Any], cm: list[float], tm: list[float],
                   page: Page = page, state: dict[str, tuple[float, ...]] = state) -> None:
            if op == b"rg":
                state["fill"] = tuple(round(float(a), 3) for a in args)
            elif op == b"g":
                state["fill"] = (round(float(args[0]), 3),) * 3
            elif op == b"RG":
                state["stroke"] = tuple(round(float(a), 3) for a in args)
            elif op in (b"f", b"f*", b"B"):
                page.fills.append(state["fill"])
            elif op in (b"S", b"s"):
                page.strokes.append(state["stroke"])
            elif op == b"Do" and "pkpage" not in str(args[0]):
                page.images.append(float(cm[5]))

        def text(value: str, cm: list[float], tm: list[float], font: dict[str, Any] | None,
                 size: float, page: Page = page,
                 state: dict[str, tuple[float, ...]] = state) -> None:
            if value.strip():
                x = cm[0] * tm[4] + cm[2] * tm[5] + cm[4]
                y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
                name = str(font.get("/BaseFont", "")) if font else ""
                page.runs.append(Run(value.strip(), x, y, state["fill"], name))

        pdf_page.extract_text(visitor_operand_before=before, visitor_text=text)
        pages.append(page)
    return pages


def find(pages: list[Page], word: str, exact: bool = False) -> tuple[int, Run]:
    """Return (1-based page, run) of the first run containing (or being) `word`."""
    for number, page in enumerate(pages, 1):
        for run in page.runs:
            if run.text == word if exact else word in run.text:
                return number, run
    raise AssertionError(f"{word!r} is drawn nowhere")


def rgb(color: tuple[float, ...]) -> tuple[float, ...]:
    return tuple(round(c, 3) for c in color)


@pytest.fixture(scope="module")
def article() -> list[Page]:
    return read(build())


def test_heading_colour_and_centred_level_one(article: list[Page]) -> None:
    template = load_template("article")
    levels = dict(template.headings)
    levels[1] = replace(levels[1], align="center")
    pages = read(build(heading_color=BLUE, headings=levels))
    _, method = find(pages, "Method")
    _, background = find(pages, "Background")
    _, body = find(pages, "After the break")
    assert method.color == rgb(BLUE_RGB) and background.color == rgb(BLUE_RGB)
    assert body.color == (0.0, 0.0, 0.0)
    _, title = find(pages, "Japan’s Strategic")
    assert title.color == rgb(BLUE_RGB)
    _, references = find(pages, "References")
    assert references.color == rgb(BLUE_RGB)
    # level 1 moved right (centred), level 2 stayed at the left margin
    _, plain_method = find(article, "Method")
    _, plain_background = find(article, "Background")
    assert method.x > plain_method.x + 50
    assert background.x == pytest.approx(plain_background.x, abs=0.5)


def test_cover_band_holds_the_title_block_in_white() -> None:
    pages = read(build(title_layout="cover", accent_color=BLUE))
    number, title = find(pages, "Japan’s Strategic")
    assert number == 1 and title.color == (1.0, 1.0, 1.0)
    _, author = find(pages, "Ada Lovelace")
    assert author.color == (1.0, 1.0, 1.0)
    # the e-mail too: a link, but not in the link colour on the band
    assert find(pages, "ada@example.org")[1].color == (1.0, 1.0, 1.0)
    assert find(read(build()), "ada@example.org")[1].color != (1.0, 1.0, 1.0)
    assert rgb(BLUE_RGB) in pages[0].fills
    # the band's padding: the title starts 6 mm right of the left margin
    template = load_template("article")
    assert title.x == pytest.approx((template.page.left + 6) * mm, abs=1)
    # the abstract follows below the band in black, on page 1
    number, abstract = find(pages, "This abstract has")
    assert number == 1 and abstract.color == (0.0, 0.0, 0.0) and abstract.y < title.y


def test_abstract_box_fills_with_an_accent_rule_and_a_heading_label() -> None:
    pages = read(build(abstract_style="box", accent_color=BLUE, box_color="#E8EEF5",
                       heading_color=BLUE, abstract_label="Key findings"))
    box = rgb((0xE8 / 255, 0xEE / 255, 0xF5 / 255))
    assert box in pages[0].fills
    assert rgb(BLUE_RGB) in pages[0].strokes
    _, label = find(pages, "Key findings")
    _, abstract = find(pages, "This abstract has")
    left = load_template("article").page.left * mm + 3.5 * mm
    assert label.color == rgb(BLUE_RGB)
    assert label.x == pytest.approx(left, abs=1)          # flush left, not centred
    assert abstract.x == pytest.approx(left, abs=1)       # abstract_indent ignored
    # the label is set in the headings family (the article's headings are sans)
    _, heading = find(pages, "Method")
    assert label.font.split("+")[-1].split("-")[0] == heading.font.split("+")[-1].split("-")[0]


def _number_run(page: Page, number: int) -> Run:
    """Return the page number's run: of the runs showing `number`, the one furthest right
    (footnote marks and table cells also show digits)."""
    runs = [run for run in page.runs if run.text == str(number)]
    assert runs, f"page number {number} is not drawn"
    return max(runs, key=lambda run: run.x)


def test_page_number_bottom_right() -> None:
    template = load_template("article")
    pages = read(build(page_number_position="bottom-right"))
    run = _number_run(pages[1], 2)
    right = (template.page.width - template.page.right) * mm
    assert run.y < template.page.bottom * mm
    assert right - 12 < run.x < right


def test_page_number_top_right_on_every_page_title_page_too() -> None:
    template = load_template("article")
    pages = read(build(page_number_position="top-right", title_layout="page"))
    top = (template.page.height - template.page.top) * mm
    right = (template.page.width - template.page.right) * mm
    for number, page in enumerate(pages, 1):
        run = _number_run(page, number)
        assert run.y > top and right - 12 < run.x < right
    # on the header's baseline: the running title (page 2) sits on the same line
    header = [run for run in pages[1].runs if run.y > top and run.text != "2"]
    assert header and header[0].y == pytest.approx(_number_run(pages[1], 2).y, abs=0.5)


def test_title_page_starts_three_lines_down_and_abstract_page() -> None:
    template = load_template("article")
    fonts = template.fonts
    pages = read(build(title_layout="page", abstract_style="page"))
    number, title = find(pages, "Japan’s Strategic")
    top = (template.page.height - template.page.top) * mm
    gap = 3 * fonts.size * fonts.line_spacing
    # the first baseline sits where LaTeX puts it: \topskip (the body size), the gap, the
    # centre environment's \topsep and \partopsep (size - 2 and 3 pt), then the title's
    # baselineskip below the top margin (the APA template's title page: 0.4 pt off LaTeX's)
    assert number == 1
    expected = top - (fonts.size + gap + fonts.size + 1 + template.title_size * 1.2)
    assert title.y == pytest.approx(expected, abs=0.5)
    assert find(pages, "This abstract has")[0] == 2
    assert find(pages, "Keywords")[0] == 2
    assert find(pages, "Introduction")[0] == 3


def test_abstract_page_after_a_header_title_block() -> None:
    pages = read(build(abstract_style="page"))
    assert find(pages, "Japan’s Strategic")[0] == 1
    assert find(pages, "This abstract has")[0] == 2
    assert find(pages, "Introduction")[0] == 3


def test_stacked_left_captions_and_figure_caption_above(article: list[Page]) -> None:
    template = load_template("article")
    pages = read(build(caption_layout="stacked", caption_align="left",
                       figure_caption_position="above"))
    left = template.page.left * mm
    # "Figure 1" with no colon, on a line of its own
    page, label = find(pages, "Figure 1", exact=True)
    _, text = find(pages, "A map of the region")
    assert text.y < label.y - 5
    assert label.x == pytest.approx(left, abs=0.5) and text.x == pytest.approx(left, abs=0.5)
    assert "Italic" in text.font or "Oblique" in text.font
    image = min(pages[page - 1].images)
    assert image < text.y                        # the image hangs below its caption
    _, table = find(pages, "Table 1", exact=True)
    assert table.x == pytest.approx(left, abs=0.5)
    # the article: "Figure 1: A map ..." on one centred line below the image
    page, inline = find(article, "Figure 1:")
    assert inline.x > left + 50
    assert min(article[page - 1].images) > inline.y


def test_references_on_a_new_page() -> None:
    pages = read(build(references_new_page=True))
    number, heading = find(pages, "References")
    assert find(pages, "Thanks.")[0] == number - 1
    # the heading is the first text of its page below the header
    page = load_template("article").page
    top, bottom = (page.height - page.top) * mm, page.bottom * mm
    below_header = [run for run in pages[number - 1].runs if bottom < run.y < top]
    assert below_header[0].text.startswith("References")
    # without the option the list follows on the same page when it fits there (the
    # sample's last page is full in A4: a taller page leaves room)
    tall = replace(page, height=page.height + 40)
    pages = read(build(page=tall))
    assert find(pages, "References")[0] == find(pages, "Thanks.")[0]


def test_trailer_id_ignores_source_date_epoch_environment(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    plain = build()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "123456789")
    assert build() == plain
    # the options, not the environment, set the dates and so the /ID
    other = write_pdf(sample_paper(), load_template("article"),
                      BuildOptions(source_date_epoch=123456789))["paper.pdf"]
    assert other != plain


@pytest.mark.parametrize("name", ["policy-brief", "apa-student"])
def test_shipped_templates_build_with_their_look(name: str) -> None:
    template = load_template(name)
    data = write_pdf(sample_paper(), template, BuildOptions())["paper.pdf"]
    pages = read(data)
    if name == "policy-brief":
        assert rgb(BLUE_RGB) in pages[0].fills                    # cover band
        assert find(pages, "Japan’s Strategic")[1].color == (1.0, 1.0, 1.0)
        assert find(pages, "Method")[1].color == rgb(BLUE_RGB)
    else:
        assert find(pages, "Japan’s Strategic")[0] == 1
        assert find(pages, "This abstract has")[0] == 2
        assert find(pages, "Introduction")[0] == 3
        top = (template.page.height - template.page.top) * mm
        assert _number_run(pages[0], 1).y > top
