"""Render the README's pictures: the feature tour's first two pages as PDF and as .docx.

    python docs/img/render.py            # rewrites docs/img/feature-tour-{pdf,docx}.png
    python docs/img/render.py --out DIR  # somewhere else

Needs pdftoppm (poppler) and soffice (LibreOffice, which renders the .docx). Each picture
is the two pages side by side at 50 dpi, reduced to 96 colours: about 40 KB.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import paperkit

ROOT = Path(__file__).resolve().parents[2]
TOUR = ROOT / "sources" / "feature-tour"


def pages(pdf: Path, stem: Path) -> list[Path]:
    """Return PNGs of pages 1 and 2 of `pdf` at 50 dpi, named after `stem`."""
    subprocess.run(["pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "2", str(pdf), str(stem)],
                   check=True)
    return sorted(stem.parent.glob(f"{stem.name}-*.png"))


def sheet(images: list[Path], target: Path) -> None:
    """Write `images` side by side on a grey ground to `target`, as a small palette PNG."""
    from PIL import Image

    opened = [Image.open(p).convert("RGB") for p in images]
    gap = 12
    width = sum(i.width for i in opened) + gap * (len(opened) + 1)
    height = max(i.height for i in opened) + 2 * gap
    canvas = Image.new("RGB", (width, height), (225, 228, 232))
    x = gap
    for image in opened:
        canvas.paste(image, (x, gap))
        x += image.width + gap
    small = canvas.quantize(colors=96, method=Image.Quantize.MEDIANCUT,
                            dither=Image.Dither.NONE)
    small.save(target, optimize=True)


def main(argv: list[str] | None = None) -> int:
    """Build the tour, render both outputs, write the two pictures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).parent)
    args = parser.parse_args(argv)
    for tool in ("pdftoppm", "soffice"):
        if shutil.which(tool) is None:
            print(f"render.py needs {tool}", file=sys.stderr)
            return 2
    with tempfile.TemporaryDirectory() as work:
        folder = Path(work)
        options = paperkit.BuildOptions(source_date_epoch=1767225600)
        paperkit.build(TOUR, ("pdf", "docx"), folder, options=options)
        built = folder / TOUR.name
        subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir",
                        str(folder / "docx"), str(built / "paper.docx")], check=True,
                       capture_output=True, timeout=300)
        args.out.mkdir(parents=True, exist_ok=True)
        sheet(pages(built / "paper.pdf", folder / "pdf"), args.out / "feature-tour-pdf.png")
        sheet(pages(folder / "docx" / "paper.pdf", folder / "docx-page"),
              args.out / "feature-tour-docx.png")
    for name in ("feature-tour-pdf.png", "feature-tour-docx.png"):
        print(f"{args.out / name}: {(args.out / name).stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
