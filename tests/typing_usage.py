"""The public API used as a user would: this file must pass ``mypy --strict``.

``tests/test_typing.py`` runs mypy on it; it is also run as a script by that test, so the
types it claims are the types paperkit returns.
"""

from __future__ import annotations

import io
import struct
import sys
import tempfile
import zlib
from pathlib import Path

import paperkit
from paperkit import (BuildResult, Figure, Paper, Paragraph, Reference, Report, Section, Table,
                      Text, WordCounts, WriteResult)


def png(width: int = 4, height: int = 3) -> bytes:
    """Return a small valid RGB PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)
    raw = b"".join(b"\x00" + b"\x20\x60\xc0" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) \
        + chunk(b"IEND", b"")


def make_paper(rows: list[dict[str, object]], png: bytes) -> Paper:
    """Return a paper from data: a table of `rows`, a figure of `png`, one reference."""
    references: list[Reference] = paperkit.references_from_csl([
        {"id": "kim2020", "type": "book", "title": "Steppe Economies", "issued": 2020,
         "author": [{"family": "Kim", "given": "Jae"}], "publisher": "Brill"}])
    references += paperkit.references_from_bibtex(
        "@book{buzan2003, author={Buzan, Barry}, title={Regions and Powers}, "
        "publisher={CUP}, year=2003}")
    table: Table = Table.from_records(rows, formats={"value": "{:,.1f}"}, label="tbl:data")
    figure: Figure = Figure.from_bytes(png, "A chart", label="fig:chart")
    intro = Section("Introduction", blocks=[
        Paragraph(["See ", paperkit.Ref("tbl:data"), " and ", paperkit.Ref("fig:chart"),
                   Text(", after "),
                   paperkit.Cite([paperkit.CiteItem("kim2020", locator="4", label="page")],
                                 "[@kim2020, p. 4]"),
                   Text(" and "), paperkit.Cite([paperkit.CiteItem("buzan2003")]), Text(".")]),
        *paperkit.blocks_from_markdown("More in *Markdown*, after [@kim2020, p. 5]."),
        table, figure,
        Table(["x", "y"], [["1", [paperkit.Emph("2")]]], caption="Literal")])
    return Paper(title="Typed", authors=["Ada Lovelace", paperkit.Author("C. Babbage")],
                 sections=[intro], references=references,
                 limits=paperkit.Limits(words=paperkit.WordLimit(max=500)))


def main() -> int:
    """Check and build a paper made in code; return a process exit status."""
    paper = make_paper([{"name": "a", "value": 1234.5}, {"name": "b", "value": 2.25}], png())
    report: Report = paperkit.check(paper)
    counts: WordCounts = paperkit.count(paper)
    codes: list[str] = [d.code for d in report.diagnostics]
    main_text: int = counts.main_text
    with tempfile.TemporaryDirectory() as out:
        result: BuildResult = paperkit.build(paper, ("pdf", "docx"), Path(out))
        paths: list[Path] = result.paths
        buffer = io.BytesIO()
        written: WriteResult = paperkit.write(paper, "pdf", buffer)
        try:
            paperkit.build(paper, ["odt"], out)
        except paperkit.PaperkitError as error:
            where: tuple[str | None, int | None, int | None] = (error.file, error.line,
                                                              error.column)
            message = f"{error.diagnostic.code} at {where}"
        else:
            return 1
        loaded: Paper = paperkit.loads("---\ntitle: T\n---\n# A\n\nText.\n")
    print(codes, main_text, [p.name for p in paths], written.size > 0, message,
          len(loaded.sections))
    return 0 if result.exit_code == 0 and written.written and not codes else 1


if __name__ == "__main__":
    sys.exit(main())
