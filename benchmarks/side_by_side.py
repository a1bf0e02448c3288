"""Render paperkit's PDF and the LaTeX PDF of a paper side by side, one PNG per template.

    python benchmarks/side_by_side.py [PAPER] [--out DIR] [--pages N] [--engine pdflatex]

For each shipped template (or those named with --template) the paper is built to pdf and
tex, the tex compiled with ``paperkit build --compile``, and both PDFs rendered with
``pdftoppm -r 70``; each row of ``DIR/<template>.png`` is one page: reportlab on the left,
LaTeX on the right. Used to check that the two look like the same design (issue 5).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
DPI = 70


def render(pdf: Path, pages: int, work: Path, stem: str) -> list[Image.Image]:
    """Return the first `pages` pages of `pdf` as `DPI` dpi RGB images."""
    subprocess.run(["pdftoppm", "-r", str(DPI), "-png", "-l", str(pages), str(pdf),
                    str(work / stem)], check=True)
    return [Image.open(p).convert("RGB") for p in sorted(work.glob(f"{stem}-*.png"))]


def side_by_side(left: list[Image.Image], right: list[Image.Image]) -> Image.Image:
    """Return one image: a row a page, `left` and `right` next to each other on grey."""
    width = max(i.width for i in left + right)
    height = max(i.height for i in left + right)
    rows = max(len(left), len(right))
    sheet = Image.new("RGB", (2 * width + 30, rows * (height + 10)), "#888888")
    for row in range(rows):
        if row < len(left):
            sheet.paste(left[row], (0, row * (height + 10)))
        if row < len(right):
            sheet.paste(right[row], (width + 30, row * (height + 10)))
    return sheet


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("paper", nargs="?", default=str(ROOT / "sources" / "feature-tour"))
    parser.add_argument("--out", default="looks")
    parser.add_argument("--pages", type=int, default=4)
    parser.add_argument("--engine", default="pdflatex")
    parser.add_argument("--template", action="append")
    args = parser.parse_args()
    from paperkit.templates import template_names

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for template in args.template or template_names():
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            run = subprocess.run([sys.executable, "-m", "paperkit", "build", args.paper,
                                  "--to", "pdf,tex", "--template", template, "--compile",
                                  "--engine", args.engine, "--out", str(work)],
                                 capture_output=True, text=True)
            folder = next((p for p in work.iterdir() if p.is_dir()), None)
            if folder is None or not (folder / "paper-latex.pdf").is_file():
                print(f"{template}: build failed\n{run.stderr}", file=sys.stderr)
                return 1
            sheet = side_by_side(render(folder / "paper.pdf", args.pages, work, "rl"),
                                 render(folder / "paper-latex.pdf", args.pages, work, "tex"))
            target = out / f"{template}.png"
            sheet.save(target)
            shutil.copy(folder / "paper-latex.pdf", out / f"{template}-latex.pdf")
            print(target, sheet.size)
    return 0


if __name__ == "__main__":
    sys.exit(main())
