"""TeX math as readable Paragraph markup: symbols as Unicode, scripts raised, letters italic.

reportlab cannot typeset TeX, so the PDF shows math the way a careful plain-text writer would:
``E = mc^2`` becomes *E* = *mc*\\ :sup:`2`, ``\\frac{1}{3}`` becomes 1/3 and ``\\alpha`` becomes α.
Unknown commands show their name. The output is Paragraph markup; every piece of source text
goes through the `escape` function the caller passes (pdf_markup's escaper), so ``<`` and
``&`` in math are safe.
"""

from __future__ import annotations

import re
from typing import Callable

__all__ = ["math_markup"]

SYMBOLS: dict[str, str] = {
    # Greek
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε",
    "zeta": "ζ", "eta": "η", "theta": "θ", "vartheta": "ϑ", "iota": "ι", "kappa": "κ",
    "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ", "pi": "π", "varpi": "ϖ", "rho": "ρ",
    "sigma": "σ", "varsigma": "ς", "tau": "τ", "upsilon": "υ", "phi": "φ", "varphi": "φ",
    "chi": "χ", "psi": "ψ", "omega": "ω", "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ",
    "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π", "Sigma": "Σ", "Upsilon": "Υ", "Phi": "Φ",
    "Psi": "Ψ", "Omega": "Ω",
    # big operators and relations
    "int": "∫", "iint": "∬", "oint": "∮", "sum": "∑", "prod": "∏", "partial": "∂",
    "nabla": "∇", "infty": "∞", "pm": "±", "mp": "∓", "times": "×", "div": "÷", "cdot": "·",
    "cdots": "⋯", "ldots": "…", "dots": "…", "leq": "≤", "le": "≤", "geq": "≥", "ge": "≥",
    "neq": "≠", "ne": "≠", "approx": "≈", "sim": "∼", "simeq": "≃", "equiv": "≡",
    "propto": "∝", "in": "∈", "notin": "∉", "subset": "⊂", "subseteq": "⊆", "supset": "⊃",
    "cup": "∪", "cap": "∩", "emptyset": "∅", "forall": "∀", "exists": "∃", "neg": "¬",
    "land": "∧", "lor": "∨", "to": "→", "rightarrow": "→", "leftarrow": "←",
    "Rightarrow": "⇒", "Leftarrow": "⇐", "leftrightarrow": "↔", "Leftrightarrow": "⇔",
    "mapsto": "↦", "circ": "∘", "degree": "°", "prime": "′", "ell": "ℓ", "hbar": "ℏ",
    "langle": "⟨", "rangle": "⟩", "lbrace": "{", "rbrace": "}", "vert": "|", "mid": "|",
    "sqrt": "√",
}
FUNCTIONS = {"sin", "cos", "tan", "log", "ln", "exp", "lim", "max", "min", "sup", "inf",
             "det", "dim", "arg", "deg", "sinh", "cosh", "tanh", "mod", "gcd", "Pr"}
SPACES = {",": "\u2009", ":": " ", ";": " ", "!": "", "quad": "  ", "qquad": "    ",
          " ": " "}
IGNORED = {"left", "right", "big", "Big", "bigg", "Bigg", "displaystyle", "limits",
           "nolimits", "textstyle"}
UPRIGHT_GROUPS = {"text", "mathrm", "operatorname", "textrm", "mbox", "mathsf", "mathtt"}
BINARY = set("=+<>") | {"≤", "≥", "≠", "≈", "≡", "→", "⇒", "⇔", "±", "×", "∈", "−", "↦"}

_TOKEN = re.compile(r"\\[A-Za-z]+|\\.|[{}^_]|\s+|[A-Za-z]+|.", re.S)

Group = list["Node"]
Node = str | tuple[str, "Group"]


def _parse(tokens: list[str], start: int, closing: bool) -> tuple[Group, int]:
    """Return the nodes from `start` up to the matching ``}`` (when `closing`) and the end."""
    nodes: Group = []
    i = start
    while i < len(tokens):
        token = tokens[i]
        if token == "}":
            if closing:
                return nodes, i + 1
            i += 1                      # a stray brace: drop it
            continue
        if token == "{":
            inner, i = _parse(tokens, i + 1, True)
            nodes.append(("group", inner))
            continue
        nodes.append(token)
        i += 1
    return nodes, i


def _take(nodes: Group, i: int) -> tuple[Group, int]:
    """Return the argument starting at `i` (a group or one token, spaces skipped)."""
    while i < len(nodes):
        skipped = nodes[i]
        if not (isinstance(skipped, str) and skipped.isspace()):
            break
        i += 1
    if i >= len(nodes):
        return [], i
    node = nodes[i]
    if isinstance(node, tuple):
        return node[1], i + 1
    if node.isalpha() and len(node) > 1:   # TeX's ^ab raises only the "a"
        nodes[i:i + 1] = [node[0], node[1:]]
        return [node[0]], i + 1
    return [node], i + 1


def _render(nodes: Group, esc: Callable[[str], str], upright: bool = False,
            script: bool = False) -> str:
    """Return markup for `nodes`; `script` (inside ^ or _) sets operators without spaces."""
    out: list[str] = []
    i = 0
    while i < len(nodes):
        node = nodes[i]
        i += 1
        if isinstance(node, tuple):
            out.append(_render(node[1], esc, upright, script))
            continue
        if node.isspace():
            if upright:                 # \text{if } keeps its spaces
                out.append(" ")
            continue
        if node in ("^", "_"):
            arg, i = _take(nodes, i)
            tag = "super" if node == "^" else "sub"
            out.append(f"<{tag}>{_render(arg, esc, upright, True)}</{tag}>")
            continue
        if node.startswith("\\"):
            name = node[1:]
            if name in SPACES:
                out.append(SPACES[name])
            elif name in IGNORED:
                pass
            elif name == "frac" or name == "dfrac" or name == "tfrac":
                top, i = _take(nodes, i)
                bottom, i = _take(nodes, i)
                out.append(f"{_fraction_part(top, esc, upright, script)}/"
                           f"{_fraction_part(bottom, esc, upright, script)}")
            elif name == "sqrt":
                arg, i = _take(nodes, i)
                inner = _render(arg, esc, upright, script)
                out.append("√" + (f"({inner})" if len(arg) > 1 else inner))
            elif name in UPRIGHT_GROUPS:
                arg, i = _take(nodes, i)
                out.append(_render(arg, esc, True, script))
            elif name in ("mathbf", "boldsymbol", "textbf"):
                arg, i = _take(nodes, i)
                out.append(f"<b>{_render(arg, esc, upright, script)}</b>")
            elif name in ("mathit", "textit", "emph"):
                arg, i = _take(nodes, i)
                out.append(f"<i>{_render(arg, esc, True, script)}</i>")
            elif name in SYMBOLS:
                out.append(_operator(SYMBOLS[name], esc, script))
            elif name in FUNCTIONS:
                out.append(esc(name) + "\u2009")
            elif len(name) == 1:                   # \{ \} \% \& \_ \\ ...
                out.append(esc(name) if name != "\\" else " ")
            else:
                out.append(esc(name))
            continue
        if node.isalpha():
            out.append(esc(node) if upright else f"<i>{esc(node)}</i>")
        elif node == "-":
            out.append(_operator("−", esc, script))
        else:
            out.append(_operator(node, esc, script))
    return "".join(out)


def _operator(symbol: str, esc: Callable[[str], str], script: bool = False) -> str:
    return f" {esc(symbol)} " if symbol in BINARY and not script else esc(symbol)


def _fraction_part(nodes: Group, esc: Callable[[str], str], upright: bool,
                   script: bool) -> str:
    text = _render(nodes, esc, upright, script)
    simple = len([n for n in nodes if not (isinstance(n, str) and n.isspace())]) <= 1
    return text if simple else f"({text})"


def math_markup(tex: str, escape: Callable[[str], str]) -> str:
    """Return Paragraph markup showing TeX math `tex` as readable text.

    `escape` turns source text into safe markup (it must escape ``&``, ``<`` and ``>``).
    Never raises: unbalanced braces and unknown commands degrade to their text.
    """
    tokens = _TOKEN.findall(tex)
    nodes, _ = _parse(tokens, 0, False)
    text = _render(nodes, escape)
    return re.sub(r" {2,}", " ", text).strip()
