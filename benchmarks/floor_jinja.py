"""The floor for paperkit's LaTeX route: a bare Jinja2 string template over a paper's content.

Run: ``python benchmarks/floor_jinja.py PAPER_FOLDER OUT.tex``.

The content is :mod:`floor_source`'s (the same as the other floors lay out): each span
escaped for TeX's ten special characters with one ``str.translate``, emphasis, strong,
``\\texttt``, ``\\hyperlink`` citations to ``\\hypertarget`` reference entries, footnote
marks, ``tabular`` tables, the reference list; one Jinja2 template (TeX-safe delimiters)
renders the document. No Unicode-to-TeX mapping, no script detection, no template files:
what paperkit costs beyond this is its own overhead.
"""

from __future__ import annotations

import sys
from pathlib import Path

import jinja2

sys.path.insert(0, str(Path(__file__).resolve().parent))
from floor_source import Block, Span, read  # noqa: E402

ESCAPE = str.maketrans({"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$",
                        "&": r"\&", "#": r"\#", "%": r"\%", "_": r"\_",
                        "^": r"\textasciicircum{}", "~": r"\textasciitilde{}"})
WRAP = {"": "{}", "i": r"\emph{{{}}}", "b": r"\textbf{{{}}}", "code": r"\texttt{{{}}}",
        "sup": r"\textsuperscript{{{}}}"}
HEADINGS = ("section", "subsection", "subsubsection", "paragraph", "subparagraph")

TEMPLATE = r"""\documentclass[11pt,a4paper]{article}
\usepackage[T1]{fontenc}
\usepackage[utf8]{inputenc}
\usepackage[margin=25mm]{geometry}
\usepackage{hyperref}
\begin{document}
((* for block in blocks *))
((*- if block.kind == "title" *))\title{(( block.text ))}\maketitle
((* elif block.kind == "abstract" *))\begin{abstract}(( block.text ))\end{abstract}
((* elif block.kind == "heading" *))\(( block.command )){(( block.text ))}
((* elif block.kind == "item" *))\begin{itemize}\item (( block.text ))\end{itemize}
((* elif block.kind == "quote" *))\begin{quote}(( block.text ))\end{quote}
((* elif block.kind == "table" *))\begin{tabular}{(( block.columns ))}
((* for row in block.rows *))(( row | join(" & ") )) \\
((* endfor *))\end{tabular}
((* elif block.kind == "ref" *))\noindent\hangindent=8mm\hypertarget{(( block.key ))}{}(( block.text ))
((* else *))(( block.text ))
((* endif *))
((* endfor *))
\end{document}
"""


def tex(spans: list[Span]) -> str:
    """Return `spans` as escaped LaTeX."""
    out = []
    for text, kind in spans:
        text = text.translate(ESCAPE)
        if kind.startswith("#"):
            out.append(rf"\hyperlink{{{kind[1:]}}}{{{text}}}")
        else:
            out.append(WRAP[kind].format(text))
    return "".join(out)


def view(block: Block) -> dict[str, object]:
    """Return what the template needs of `block`."""
    return {"kind": block.kind, "text": tex(block.spans), "key": block.key,
            "command": HEADINGS[min(block.level, 5) - 1],
            "columns": "l" * max((len(r) for r in block.rows), default=1),
            "rows": [[tex(cell) for cell in row] for row in block.rows]}


def main(argv: list[str]) -> None:
    source, target = (Path(a) for a in argv)
    env = jinja2.Environment(block_start_string="((*", block_end_string="*))",
                             variable_start_string="((", variable_end_string="))",
                             autoescape=False, keep_trailing_newline=True)
    text = env.from_string(TEMPLATE).render(blocks=[view(b) for b in read(source)])
    target.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
