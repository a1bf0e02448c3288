"""TeX math as Office Math (OMML), so Word shows real, editable equations.

A small converter for the TeX a paper uses inline and in display math: letters, digits and
operators; ``^`` and ``_`` scripts; ``\\frac``, ``\\sqrt``, big operators (``\\sum``,
``\\int``, ... with limits), accents (``\\hat``, ``\\bar``, ``\\vec``, ...), ``\\text``
and font commands, Greek letters and the common symbols, spacing commands and function
names (``\\sin``, ``\\log``). ``\\left``/``\\right`` and sizing commands are dropped, their
delimiters kept. An unknown command shows its name upright; environments' ``&`` and ``\\\\``
become spaces.

:func:`tex_to_omml` returns ``None`` when it cannot convert (unbalanced input, runaway
nesting); the caller then shows the TeX source as text, so math never stops a build.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.oxml.xmlchemy import BaseOxmlElement

from .xml_text import escape
from .docx_elements import xml_safe

__all__ = ["tex_to_omml"]

SYMBOLS: dict[str, str] = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ϵ", "varepsilon": "ε",
    "zeta": "ζ", "eta": "η", "theta": "θ", "vartheta": "ϑ", "iota": "ι", "kappa": "κ",
    "lambda": "λ", "mu": "μ", "nu": "ν", "xi": "ξ", "pi": "π", "varpi": "ϖ", "rho": "ρ",
    "varrho": "ϱ", "sigma": "σ", "varsigma": "ς", "tau": "τ", "upsilon": "υ", "phi": "ϕ",
    "varphi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω", "Gamma": "Γ", "Delta": "Δ",
    "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π", "Sigma": "Σ", "Upsilon": "Υ",
    "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
    "partial": "∂", "nabla": "∇", "infty": "∞", "pm": "±", "mp": "∓", "times": "×",
    "div": "÷", "cdot": "⋅", "cdots": "⋯", "ldots": "…", "dots": "…", "vdots": "⋮",
    "ddots": "⋱", "leq": "≤", "le": "≤", "geq": "≥", "ge": "≥", "neq": "≠", "ne": "≠",
    "approx": "≈", "sim": "∼", "simeq": "≃", "cong": "≅", "equiv": "≡", "propto": "∝",
    "ll": "≪", "gg": "≫", "in": "∈", "notin": "∉", "ni": "∋", "subset": "⊂",
    "subseteq": "⊆", "supset": "⊃", "supseteq": "⊇", "cup": "∪", "cap": "∩",
    "setminus": "∖", "emptyset": "∅", "varnothing": "∅", "forall": "∀", "exists": "∃",
    "neg": "¬", "lnot": "¬", "land": "∧", "wedge": "∧", "lor": "∨", "vee": "∨",
    "to": "→", "rightarrow": "→", "leftarrow": "←", "gets": "←", "Rightarrow": "⇒",
    "Leftarrow": "⇐", "leftrightarrow": "↔", "Leftrightarrow": "⇔", "implies": "⇒",
    "iff": "⇔", "mapsto": "↦", "uparrow": "↑", "downarrow": "↓", "circ": "∘",
    "bullet": "∙", "star": "⋆", "ast": "∗", "oplus": "⊕", "otimes": "⊗", "perp": "⊥",
    "parallel": "∥", "angle": "∠", "degree": "°", "prime": "′", "ell": "ℓ", "hbar": "ℏ",
    "Re": "ℜ", "Im": "ℑ", "aleph": "ℵ", "langle": "⟨", "rangle": "⟩", "lbrace": "{",
    "rbrace": "}", "lceil": "⌈", "rceil": "⌉", "lfloor": "⌊", "rfloor": "⌋", "vert": "|",
    "Vert": "‖", "mid": "∣", "colon": ":", "backslash": "∖", "%": "%", "$": "$", "#": "#",
    "&": "&", "_": "_", "{": "{", "}": "}", "|": "‖",
}
#: Big operators: TeX name -> (character, limits under/over rather than at the side).
NARY: dict[str, tuple[str, bool]] = {
    "sum": ("∑", True), "prod": ("∏", True), "coprod": ("∐", True), "bigcup": ("⋃", True),
    "bigcap": ("⋂", True), "bigoplus": ("⨁", True), "bigotimes": ("⨂", True),
    "int": ("∫", False), "iint": ("∬", False), "iiint": ("∭", False), "oint": ("∮", False),
}
FUNCTIONS = {"sin", "cos", "tan", "cot", "sec", "csc", "arcsin", "arccos", "arctan", "sinh",
             "cosh", "tanh", "log", "ln", "lg", "exp", "lim", "liminf", "limsup", "max", "min",
             "sup", "inf", "det", "dim", "arg", "deg", "ker", "mod", "gcd", "Pr", "hom"}
ACCENTS = {"hat": "\u0302", "widehat": "\u0302", "bar": "\u0305", "vec": "\u20d7",
           "dot": "\u0307", "ddot": "\u0308", "tilde": "\u0303", "widetilde": "\u0303",
           "check": "\u030c", "breve": "\u0306", "acute": "\u0301", "grave": "\u0300"}
SPACES = {",": "\u2009", ":": "\u2005", ";": "\u2004", "!": "", " ": " ", "quad": "\u2003",
          "qquad": "\u2003\u2003", "enspace": "\u2002", "thinspace": "\u2009"}
IGNORED = {"left", "right", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr",
           "biggl", "biggr", "displaystyle", "textstyle", "scriptstyle", "limits",
           "nolimits", "middle", "nonumber", "notag"}
TEXT_COMMANDS = {"text", "textrm", "textnormal", "mbox", "textup", "textit", "textbf"}
STYLE_COMMANDS = {"mathrm": "p", "operatorname": "p", "mathbf": "b", "boldsymbol": "bi",
                  "mathit": "i", "mathsf": "p", "mathtt": "p", "mathbb": "p", "mathcal": "p",
                  "mathfrak": "p"}
DOUBLE_STRUCK = {"R": "ℝ", "N": "ℕ", "Z": "ℤ", "Q": "ℚ", "C": "ℂ", "P": "ℙ", "E": "𝔼"}
RELATIONS = set("=<>") | {"≤", "≥", "≠", "≈", "≡", "∼", "≃", "≅", "∝", "→", "⇒", "⇔", "←",
                          "∈", "⊂", "⊆", "↦"}
CHARACTERS = {"-": "−", "'": "′", "*": "∗"}

_TOKEN = re.compile(r"\\[A-Za-z]+|\\.|[{}^_&\[\]]|\s+|[0-9]+(?:\.[0-9]+)?|.", re.S)
_MAX_DEPTH = 60


class TexError(ValueError):
    """The TeX could not be converted."""


@dataclass
class Atom:
    """One piece of math: text, or a structure (`kind`) with parts."""

    kind: str                                   # text|group|frac|sqrt|scripts|nary|acc|bar
    text: str = ""
    style: str = ""                             # "" (Word's default), p (plain), b, bi, i
    parts: list[list[Atom]] = field(default_factory=list)
    limits: bool = True


class _Parser:
    def __init__(self, tex: str) -> None:
        self.tokens: list[str] = _TOKEN.findall(tex)
        self.i = 0

    def peek(self) -> str | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> str:
        token = self.tokens[self.i]
        self.i += 1
        return token

    def skip_space(self) -> None:
        while self.peek() is not None and self.peek().isspace():  # type: ignore[union-attr]
            self.i += 1

    def sequence(self, depth: int, until: str | None = None) -> list[Atom]:
        """Return the atoms up to the closing `until` token (consumed) or the end."""
        if depth > _MAX_DEPTH:
            raise TexError("nesting too deep")
        atoms: list[Atom] = []
        while (token := self.peek()) is not None:
            if token == until:
                self.take()
                return _bind_operators(atoms)
            if token == "}":
                raise TexError("unbalanced }")
            self.take()
            if token in "^_" and len(token) == 1:
                self.script(atoms, token, depth)
            else:
                atoms.extend(self.atom(token, depth))
        if until is not None and until != "]":
            raise TexError(f"missing {until}")
        return _bind_operators(atoms)

    def argument(self, depth: int) -> list[Atom]:
        """Return the next argument: a braced group or a single token."""
        self.skip_space()
        token = self.peek()
        if token is None:
            return []
        self.take()
        if token == "{":
            return self.sequence(depth + 1, "}")
        return self.atom(token, depth)

    def raw_group(self) -> str:
        """Return the source text of the next braced group (for ``\\text{...}``)."""
        self.skip_space()
        if self.peek() != "{":
            return self.take() if self.peek() is not None else ""
        self.take()
        level, out = 1, list[str]()
        while (token := self.peek()) is not None:
            self.take()
            if token == "{":
                level += 1
            elif token == "}":
                level -= 1
                if level == 0:
                    return "".join(out)
            out.append(token[1:] if token.startswith("\\") and len(token) == 2 else token)
        raise TexError("missing }")

    def script(self, atoms: list[Atom], mark: str, depth: int) -> None:
        # A nary keeps its limits in parts[0:2]; a scripts atom has its base first.
        slot = 0 if mark == "_" else 1
        target = atoms[-1] if atoms else None
        index = slot if target is not None and target.kind == "nary" else slot + 1
        if target is None or target.kind not in ("scripts", "nary") or target.parts[index]:
            base = [atoms.pop()] if atoms else []
            target = Atom("scripts", parts=[base, [], []])
            atoms.append(target)
            index = slot + 1
        target.parts[index] = self.argument(depth + 1)

    def atom(self, token: str, depth: int) -> list[Atom]:
        if token.isspace():
            return []
        if token == "{":
            return [Atom("group", parts=[self.sequence(depth + 1, "}")])]
        if token in ("&", "[", "]"):
            return [Atom("text", " ")] if token == "&" else [Atom("text", token)]
        if not token.startswith("\\"):
            return [Atom("text", CHARACTERS.get(token, token))]
        name = token[1:]
        if name == "\\":
            return [Atom("text", "\u2003")]
        if name in SPACES:
            return [Atom("text", SPACES[name], "p")] if SPACES[name] else []
        if name in ("frac", "dfrac", "tfrac", "cfrac"):
            num = self.argument(depth + 1)
            return [Atom("frac", parts=[num, self.argument(depth + 1)])]
        if name == "binom":
            top, bottom = self.argument(depth + 1), self.argument(depth + 1)
            return [Atom("text", "("), Atom("frac", text="noBar", parts=[top, bottom]),
                    Atom("text", ")")]
        if name == "sqrt":
            self.skip_space()
            degree: list[Atom] = []
            if self.peek() == "[":
                self.take()
                degree = self.sequence(depth + 1, "]")
            return [Atom("sqrt", parts=[degree, self.argument(depth + 1)])]
        if name in NARY:
            char, limits = NARY[name]
            return [Atom("nary", char, parts=[[], [], []], limits=limits)]
        if name in ACCENTS:
            return [Atom("acc", ACCENTS[name], parts=[self.argument(depth + 1)])]
        if name in ("overline", "underline"):
            return [Atom("bar", "top" if name == "overline" else "bot",
                         parts=[self.argument(depth + 1)])]
        if name in TEXT_COMMANDS:
            return [Atom("text", self.raw_group(), "p")]
        if name in STYLE_COMMANDS:
            inner = self.argument(depth + 1)
            return _restyle(inner, STYLE_COMMANDS[name], double=name == "mathbb")
        if name in ("begin", "end"):
            self.raw_group()
            return []
        if name in IGNORED:
            self.skip_space()
            if self.peek() == ".":
                self.take()
            return []
        if name in FUNCTIONS:
            return [Atom("text", name, "p"), Atom("text", "\u2009", "p")]
        if name in SYMBOLS:
            return [Atom("text", SYMBOLS[name])]
        return [Atom("text", name, "p")]


def _restyle(atoms: list[Atom], style: str, *, double: bool) -> list[Atom]:
    for atom in atoms:
        if atom.kind == "text":
            atom.style = style
            if double:
                atom.text = "".join(DOUBLE_STRUCK.get(c, c) for c in atom.text)
        for part in atom.parts:
            _restyle(part, style, double=double)
    return atoms


def _bind_operators(atoms: list[Atom]) -> list[Atom]:
    """Give each big operator (sum, integral) the atoms after it, up to a relation, as body."""
    out: list[Atom] = []
    i = 0
    while i < len(atoms):
        atom = atoms[i]
        out.append(atom)
        i += 1
        if atom.kind == "nary" and not atom.parts[2]:
            body: list[Atom] = []
            while i < len(atoms) and not (atoms[i].kind == "text"
                                          and atoms[i].text.strip() in RELATIONS):
                body.append(atoms[i])
                i += 1
            atom.parts[2] = _bind_operators(body)
    return out


def _xml(atoms: list[Atom]) -> str:
    """Return the OMML of `atoms`; neighbouring text of one style shares a run."""
    out: list[str] = []
    pending: list[str] = []
    style = ""
    for atom in atoms:
        if atom.kind == "text" and (not pending or atom.style == style):
            pending.append(atom.text)
            style = atom.style
            continue
        if pending:
            out.append(_run("".join(pending), style))
            pending = []
        if atom.kind == "text":
            pending, style = [atom.text], atom.style
        else:
            out.append(_atom_xml(atom))
    if pending:
        out.append(_run("".join(pending), style))
    return "".join(out)


def _run(text: str, style: str) -> str:
    sty = f'<m:rPr><m:sty m:val="{style}"/></m:rPr>' if style else ""
    return (f'<m:r>{sty}<w:rPr><w:rFonts w:ascii="Cambria Math" w:hAnsi="Cambria Math"/>'
            f'</w:rPr><m:t xml:space="preserve">{escape(xml_safe(text))}</m:t></m:r>')


def _atom_xml(atom: Atom) -> str:
    p = atom.parts
    match atom.kind:
        case "text":
            return _run(atom.text, atom.style) if atom.text else ""
        case "group":
            return _xml(p[0])
        case "frac":
            pr = '<m:fPr><m:type m:val="noBar"/></m:fPr>' if atom.text == "noBar" else ""
            return f"<m:f>{pr}<m:num>{_xml(p[0])}</m:num><m:den>{_xml(p[1])}</m:den></m:f>"
        case "sqrt":
            if not p[0]:
                return ('<m:rad><m:radPr><m:degHide m:val="1"/></m:radPr><m:deg/>'
                        f"<m:e>{_xml(p[1])}</m:e></m:rad>")
            return f"<m:rad><m:deg>{_xml(p[0])}</m:deg><m:e>{_xml(p[1])}</m:e></m:rad>"
        case "scripts":
            base, sub, sup = (f"<m:e>{_xml(p[0])}</m:e>", f"<m:sub>{_xml(p[1])}</m:sub>",
                              f"<m:sup>{_xml(p[2])}</m:sup>")
            if p[1] and p[2]:
                return f"<m:sSubSup>{base}{sub}{sup}</m:sSubSup>"
            if p[1]:
                return f"<m:sSub>{base}{sub}</m:sSub>"
            return f"<m:sSup>{base}{sup}</m:sSup>"
        case "nary":
            location = "undOvr" if atom.limits else "subSup"
            hide = ('<m:subHide m:val="1"/>' if not p[0] else "") + \
                   ('<m:supHide m:val="1"/>' if not p[1] else "")
            return (f'<m:nary><m:naryPr><m:chr m:val="{atom.text}"/>'
                    f'<m:limLoc m:val="{location}"/>{hide}</m:naryPr>'
                    f"<m:sub>{_xml(p[0])}</m:sub><m:sup>{_xml(p[1])}</m:sup>"
                    f"<m:e>{_xml(p[2])}</m:e></m:nary>")
        case "acc":
            return (f'<m:acc><m:accPr><m:chr m:val="{atom.text}"/></m:accPr>'
                    f"<m:e>{_xml(p[0])}</m:e></m:acc>")
        case "bar":
            return (f'<m:bar><m:barPr><m:pos m:val="{atom.text}"/></m:barPr>'
                    f"<m:e>{_xml(p[0])}</m:e></m:bar>")
        case _:
            raise TexError(f"unknown atom {atom.kind}")


def tex_to_omml(tex: str, *, display: bool = False) -> BaseOxmlElement | None:
    """Return `tex` as an ``m:oMath`` element (``m:oMathPara`` when `display`), or ``None``.

    ``None`` means the TeX could not be converted; show the source instead.
    """
    try:
        atoms = _Parser(tex).sequence(0)
        body = _xml(atoms)
    except (TexError, RecursionError, IndexError):
        return None
    if not body:
        return None
    math = f"<m:oMath>{body}</m:oMath>"
    if display:
        math = (f'<m:oMathPara><m:oMathParaPr><m:jc m:val="center"/></m:oMathParaPr>'
                f"{math}</m:oMathPara>")
    root = parse_xml(f'<w:root {nsdecls("w", "m")}>{math}</w:root>')
    element: BaseOxmlElement = root[0]
    return element
