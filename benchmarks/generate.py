"""Generate a realistic paper folder (paper.md + references.bib + images) of any size.

Run: ``python benchmarks/generate.py --words 100000 --refs 500 --out /tmp/big``.

The prose is a word-level Markov chain over the two example papers' text, so words, sentence
lengths and punctuation look like the field's writing without repeating whole sentences
(which would flatter any cache). Around it: numbered sections and subsections with labels,
about 2,000 citations of every Pandoc form (by default, scaled to the length), footnotes
(some citing), pipe tables (one long enough to run over pages), PNG figures (and one SVG),
cross-references, block quotes, lists and a few equations. The bibliography mixes BibTeX
types (article, book, incollection, inproceedings, techreport, phdthesis, online/misc) with
accented and non-Latin names written both as Unicode and as TeX accents.

The output is deterministic for a given ``--seed``. Used by the PDF benchmark and reusable
by any other (``from generate import generate``).
"""

from __future__ import annotations

import argparse
import random
import re
import struct
import zlib
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

FORMS = ("[@{k}]", "[see @{k}, p. {n}]", "@{k} [chap. {c}]", "[@{k}; @{j}, pp. {n}-{m}]",
         "@{k}", "[-@{k}]", "[@{k}, {n}-{m}]", "[e.g., @{k}; @{j}]")
SURNAMES = ("Müller", "Šimůnek", "Øvergaard", "Łukasiewicz", "Nakamura", "Tanaka", "Seitkali",
            "Ibraimova", "Karimov", "Nazarbayeva", "O'Connor", "García Márquez", "Dubois",
            "Ahmadi", "Kuznetsova", "Smith", "Brown", "Zhang", "Kim", "Rahimov", "Erkin",
            "Van der Berg", "Lefèvre", "Schröder", "Björklund", "Núñez", "Çelik", "Yılmaz")
TEX_SURNAMES = (r"M{\"u}ller", r"Lef{\`e}vre", r"Schr{\"o}der", r"N{\'u}{\~n}ez",
                r"Bj{\"o}rklund", r"{\v{S}}im{\r{u}}nek", r"{\O}vergaard")
GIVEN = ("Aiko", "Daniyar", "Élodie", "Jürgen", "Saule", "Timur", "Maria", "John", "Li",
         "Hana", "Bakhyt", "Zoë", "Ana", "Piotr", "Gulnara", "Kenji", "Rustam", "Ingrid")
TOPICS = ("connectivity", "energy security", "regional integration", "soft power",
          "critical minerals", "transport corridors", "water governance", "aid policy",
          "great-power rivalry", "multilateral diplomacy", "border disputes", "migration")
JOURNALS = ("Central Asian Survey", "Europe-Asia Studies", "Asian Survey",
            "International Affairs", "Journal of Eurasian Studies", "Pacific Review")
PUBLISHERS = ("Routledge", "Oxford University Press", "Cambridge University Press",
              "Springer", "Palgrave Macmillan", "Lynne Rienner")


# --------------------------------------------------------------------------- prose


def _corpus() -> list[str]:
    """Return the example papers' prose as a list of words (headings and markup removed)."""
    words: list[str] = []
    for name in ("japan-central-asia", "feature-tour"):
        text = (ROOT / "sources" / name / "paper.md").read_text(encoding="utf-8")
        body = text.split("\n---\n", 1)[1]
        fenced = False
        for line in body.splitlines():
            if line.startswith(("```", "$$")):
                fenced = not fenced
                continue
            if fenced or line.startswith(("#", "|", "!", "[^", "Table:", ">")):
                continue
            line = re.sub(r"\[\^[^\]]*\]|\[[^\]]*@[^\]]*\]|@\w+(:\w[\w-]*)?|\{#[^}]*\}",
                          "", line)
            line = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", line)     # links: their text
            line = re.sub(r"\$[^$]*\$|[*`_$\\\[\]]", "", line)
            words += line.split()
    return words


class Prose:
    """A first-order word Markov chain that writes sentences like the example papers'."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        words = _corpus()
        self.next: dict[str, list[str]] = defaultdict(list)
        for a, b in zip(words, words[1:]):
            self.next[a].append(b)
        self.starts = [b for a, b in zip(words, words[1:]) if a.endswith(".") and b[:1].isupper()]

    def sentence(self, low: int = 12, high: int = 32) -> list[str]:
        """Return the words of one sentence, ending with a full stop."""
        length = self.rng.randint(low, high)
        word = self.rng.choice(self.starts)
        out = [word]
        while len(out) < length or not out[-1].endswith("."):
            choices = self.next.get(out[-1]) or self.starts
            word = self.rng.choice(choices)
            if word.endswith(".") and len(out) < low:
                word = word.rstrip(".")
            out.append(word)
            if len(out) > high + 15:
                out[-1] = out[-1].rstrip(".,;:") + "."
                break
        return out


# --------------------------------------------------------------------------- references


def _bib_name(rng: random.Random) -> str:
    if rng.random() < 0.2:
        surname = rng.choice(TEX_SURNAMES)
    else:
        surname = rng.choice(SURNAMES)
    return f"{{{surname}}}, {rng.choice(GIVEN)}" if " " in surname else \
        f"{surname}, {rng.choice(GIVEN)}"


def references(count: int, rng: random.Random) -> tuple[list[str], str]:
    """Return `count` citation keys and the BibTeX text defining them (mixed types)."""
    keys: list[str] = []
    entries: list[str] = []
    kinds = ("article", "book", "incollection", "inproceedings", "techreport", "phdthesis",
             "online", "misc")
    for index in range(count):
        kind = kinds[index % len(kinds)]
        authors = " and ".join(_bib_name(rng) for _ in range(rng.choice((1, 1, 2, 3, 4))))
        year = rng.randint(1950, 2025)
        key = f"{re.sub(r'[^a-z]', '', authors.split(',')[0].lower())[:10] or 'anon'}{year}{index}"
        topic = rng.choice(TOPICS)
        title = f"{topic.capitalize()} in {{Central Asia}}: evidence from {rng.choice(GIVEN)}'s archive"
        fields = {"author": authors, "title": title, "year": str(year)}
        if kind == "article":
            fields |= {"journal": rng.choice(JOURNALS), "volume": str(rng.randint(1, 60)),
                       "number": str(rng.randint(1, 4)),
                       "pages": f"{(p := rng.randint(1, 400))}--{p + rng.randint(5, 30)}",
                       "doi": f"10.{rng.randint(1000, 9999)}/pk.{index}"}
        elif kind == "book":
            fields |= {"publisher": rng.choice(PUBLISHERS), "address": "London"}
        elif kind == "incollection":
            fields |= {"booktitle": f"The Handbook of {topic.title()}",
                       "editor": _bib_name(rng), "publisher": rng.choice(PUBLISHERS),
                       "pages": f"{(p := rng.randint(1, 400))}--{p + 20}"}
        elif kind == "inproceedings":
            fields |= {"booktitle": f"Proceedings of the {rng.randint(1, 30)}th Eurasia Forum",
                       "pages": f"{(p := rng.randint(1, 200))}--{p + 12}"}
        elif kind == "techreport":
            fields |= {"institution": "{Asian Development Bank}", "number": f"WP-{index}"}
        elif kind == "phdthesis":
            fields |= {"school": "Nazarbayev University"}
        elif kind == "online":
            fields |= {"url": f"https://example.org/reports/{index}", "urldate": "2025-01-15"}
        else:
            fields |= {"howpublished": "Policy brief", "note": "In Russian: «Анализ»"}
        body = ",\n".join(f"  {name:<12} = {{{value}}}" for name, value in fields.items())
        keys.append(key)
        entries.append(f"@{kind}{{{key},\n{body},\n}}\n")
    return keys, "\n".join(entries)


# --------------------------------------------------------------------------- images


def png(width: int, height: int, seed: int) -> bytes:
    """Return a small deterministic bar-chart-like RGB PNG."""
    rng = random.Random(seed)
    bars = [rng.randint(height // 5, height - 4) for _ in range(8)]
    rows = []
    for y in range(height):
        row = bytearray([0])
        for x in range(width):
            bar = x * len(bars) // width
            inside = (height - y) < bars[bar] and x % (width // len(bars)) > 3
            row += bytes((40, 90, 160) if inside else (255, 255, 255))
        rows.append(bytes(row))
    raw = zlib.compress(b"".join(rows), 9)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + \
            struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + \
        chunk(b"IEND", b"")


SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="400" height="160" viewBox="0 0 400 160">
<rect x="0" y="0" width="400" height="160" fill="#ffffff"/>
<line x1="20" y1="130" x2="380" y2="130" stroke="#222" stroke-width="2"/>
<circle cx="60" cy="130" r="7" fill="#1f77b4"/><circle cx="340" cy="130" r="7" fill="#d62728"/>
<text x="40" y="110" font-family="Helvetica" font-size="14">2004</text>
<text x="320" y="110" font-family="Helvetica" font-size="14">2025</text>
</svg>
"""


# --------------------------------------------------------------------------- the paper


def generate(out: Path, words: int = 10_000, refs: int = 100, cites: int | None = None,
             seed: int = 1, equations: int = 3, svg: bool = True) -> dict[str, int]:
    """Write a paper folder of about `words` words to `out`; return what it holds.

    `cites` defaults to 2,000 for 100,000 words, scaled linearly (at least 20). With `svg`,
    the second figure is an SVG file (pandoc's LaTeX route cannot include one without
    rsvg-convert).
    """
    rng = random.Random(seed)
    prose = Prose(rng)
    cites = cites if cites is not None else max(20, words * 2000 // 100_000)
    keys, bib = references(refs, rng)
    out.mkdir(parents=True, exist_ok=True)
    (out / "references.bib").write_text(bib, encoding="utf-8")

    per_cite = max(words // max(cites, 1), 1)
    tables = max(1, words // 8000)
    figures = max(1, words // 10_000)
    notes = max(2, words // 1500)
    counts = {"words": 0, "citations": 0, "notes": 0, "tables": 0, "figures": 0,
              "sections": 0, "equations": 0}
    body: list[str] = []
    note_defs: list[str] = []
    section_words = 1800
    next_table = words // (tables + 1)
    next_figure = words // (figures + 1) + 400
    next_note = words // (notes + 1)
    next_equation = words // (equations + 1) if equations else words + 1
    labels: list[str] = []

    def cite() -> str:
        form = rng.choice(FORMS)
        n = rng.randint(1, 300)
        counts["citations"] += 2 if "{j}" in form else 1
        return form.format(k=rng.choice(keys), j=rng.choice(keys), n=n, m=n + rng.randint(1, 9),
                           c=rng.randint(1, 12))

    while counts["words"] < words:
        if counts["words"] >= counts["sections"] * section_words:
            counts["sections"] += 1
            level = "#" if counts["sections"] % 3 == 1 else "##"
            label = f"sec:s{counts['sections']}"
            labels.append(label)
            title = " ".join(prose.sentence(3, 7)).rstrip(".,;:")
            body.append(f"{level} {title} {{#{label}}}")
        paragraph: list[str] = []
        for _ in range(rng.randint(3, 7)):
            sentence = prose.sentence()
            counts["words"] += len(sentence)
            text = " ".join(sentence)
            if counts["words"] // per_cite > counts["citations"]:
                text = text[:-1] + " " + cite() + "."
            if counts["words"] >= next_note:
                next_note += words // (notes + 1)
                counts["notes"] += 1
                name = f"n{counts['notes']}"
                extra = " ".join(prose.sentence(20, 60 if counts["notes"] % 7 else 180))
                note_defs.append(f"[^{name}]: {extra[:-1]} {cite()}.")
                text += f"[^{name}]"
            paragraph.append(text)
        if labels and rng.random() < 0.05:
            paragraph.append(f"As argued in @{rng.choice(labels)}, this holds.")
        body.append("\n".join(paragraph))
        if rng.random() < 0.03:
            body.append("> " + " ".join(prose.sentence(20, 40)))
        if rng.random() < 0.03:
            body.append("\n".join(f"- {' '.join(prose.sentence(5, 12))}" for _ in range(3)))
        if counts["words"] >= next_table:
            next_table += words // (tables + 1)
            counts["tables"] += 1
            rows = 60 if counts["tables"] == 2 else rng.randint(4, 9)
            label = f"tbl:t{counts['tables']}"
            lines = [f"Table: {' '.join(prose.sentence(5, 10))[:-1]} {{#{label}}}", "",
                     "| Country | Partner | Indicator | Value |", "|:--|:--|:--|--:|"]
            for row in range(rows):
                lines.append(f"| {rng.choice(('Kazakhstan', 'Uzbekistan', 'Kyrgyzstan'))} | "
                             f"{rng.choice(('Japan', 'China', 'EU', 'Russia'))} | "
                             f"{' '.join(prose.sentence(2, 5))[:-1]} | {rng.randint(1, 9999):,} |")
            body.append("\n".join(lines))
            body.append(f"The figures are in @{label}.")
        if counts["words"] >= next_figure:
            next_figure += words // (figures + 1)
            counts["figures"] += 1
            number = counts["figures"]
            name = f"figure{number}.svg" if number == 2 and svg else f"figure{number}.png"
            if name.endswith(".svg"):
                (out / name).write_text(SVG, encoding="utf-8")
            else:
                (out / name).write_bytes(png(480, 200, seed + number))
            body.append(f"![{' '.join(prose.sentence(6, 14))}]({name}){{#fig:f{number}}}")
            body.append(f"See @fig:f{number}.")
        if counts["words"] >= next_equation:
            next_equation += words // (equations + 1)
            counts["equations"] += 1
            body.append(r"Let $s_i$ be the share of partner $i$; then" "\n\n"
                        r"$$ H = \sum_{i=1}^{n} s_i^2, \qquad \bar{s} = \frac{1}{n} "
                        r"\sum_{i=1}^{n} s_i . $$")

    front = "\n".join([
        "---",
        'title: "Corridors, Partners and Rivals: A Generated Study of Eurasian Connectivity"',
        "subtitle: A benchmark paper",
        "author:",
        "  - name: Aiko Tanaka",
        "    affiliation: Institute for Eurasian Policy, Tokyo",
        "  - name: Daniyar Seitkali",
        "    affiliation: Centre for Regional Studies, Astana",
        "date: 2025-12-20",
        "abstract: |",
        "  " + " ".join(prose.sentence(25, 40)) + " " + " ".join(prose.sentence(25, 40)),
        "keywords: [Central Asia, Japan, connectivity]",
        "lang: en-US",
        "bibliography: references.bib",
        "csl: apa",
        'nocite: ["*"]',
        "---",
        ""])
    text = front + "\n\n".join(body) + "\n\n" + "\n\n".join(note_defs) + "\n"
    (out / "paper.md").write_text(text, encoding="utf-8")
    counts["references"] = refs
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--words", type=int, default=10_000, help="body words (default 10000)")
    parser.add_argument("--refs", type=int, default=100, help="references (default 100)")
    parser.add_argument("--cites", type=int, default=None,
                        help="citation keys (default 2000 per 100k words)")
    parser.add_argument("--equations", type=int, default=3, help="display equations")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-svg", action="store_true", help="PNG figures only")
    parser.add_argument("--out", type=Path, required=True, help="paper folder to write")
    args = parser.parse_args(argv)
    counts = generate(args.out, args.words, args.refs, args.cites, args.seed, args.equations,
                      not args.no_svg)
    print(" ".join(f"{name}={value}" for name, value in counts.items()), f"-> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
