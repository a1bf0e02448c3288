"""Math from the source, checked before it goes into the ``.tex`` file as TeX.

Math is TeX already (``E = mc^2``), so the writer passes it through, but it must not be a way
to run TeX the paper's author did not mean to: ``\\input``, ``\\write18``, ``\\catcode``,
``\\def``, ``^^5c`` (TeX's hex notation for a backslash), a stray ``$`` or ``}`` that ends
math mode or the enclosing argument. :func:`check_math` therefore *allows* what it knows
(a list of amsmath/amssymb commands and environments) instead of refusing what it fears, and
returns either safe TeX or the reason it refused; the writer prints refused math literally
and reports it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["MathResult", "check_math", "MATH_COMMANDS", "MATH_ENVIRONMENTS"]

#: Control words math may use (LaTeX, amsmath, amssymb). Anything else is refused.
MATH_COMMANDS: frozenset[str] = frozenset("""
alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa varkappa lambda
mu nu xi pi varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega Gamma Delta
Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega varGamma varDelta varTheta varLambda varXi
varPi varSigma varUpsilon varPhi varPsi varOmega digamma
pm mp times div cdot ast star circ bullet oplus ominus otimes oslash odot cap cup sqcap sqcup
vee wedge setminus smallsetminus wr diamond bigtriangleup bigtriangledown triangleleft
triangleright uplus amalg dagger ddagger ltimes rtimes centerdot dotplus
leq le geq ge neq ne equiv sim simeq approx cong propto prec succ preceq succeq ll gg lll ggg
subset supset subseteq supseteq subsetneq supsetneq sqsubseteq sqsupseteq in ni notin mid
nmid parallel nparallel perp models vdash dashv smile frown asymp doteq bowtie leqslant
geqslant lesssim gtrsim approxeq thicksim thickapprox nleq ngeq lneq gneq triangleq
leftarrow rightarrow Leftarrow Rightarrow leftrightarrow Leftrightarrow longleftarrow
longrightarrow Longleftarrow Longrightarrow longleftrightarrow Longleftrightarrow mapsto
longmapsto uparrow downarrow Uparrow Downarrow updownarrow Updownarrow nearrow searrow
swarrow nwarrow to gets iff implies impliedby hookleftarrow hookrightarrow rightharpoonup
leftharpoonup rightleftharpoons leadsto xrightarrow xleftarrow
infty nabla partial forall exists nexists emptyset varnothing neg lnot top bot angle
triangle backslash prime ell hbar hslash imath jmath Re Im aleph beth wp surd flat natural
sharp clubsuit diamondsuit heartsuit spadesuit dots ldots cdots vdots ddots dotsc dotsb
dotsm therefore because complement square blacksquare checkmark circledast lozenge
sum prod coprod int iint iiint oint bigcup bigcap bigsqcup bigvee bigwedge bigoplus
bigotimes bigodot biguplus
sin cos tan cot sec csc arcsin arccos arctan sinh cosh tanh coth exp log ln lg lim liminf
limsup sup inf max min arg det dim gcd hom ker Pr deg operatorname
frac dfrac tfrac cfrac sqrt binom dbinom tbinom overline underline overbrace underbrace
widehat widetilde overrightarrow overleftarrow overleftrightarrow stackrel overset underset
substack boxed
hat tilde bar vec dot ddot dddot acute grave breve check mathring
mathrm mathbf mathit mathsf mathtt mathcal mathbb mathfrak mathnormal boldsymbol text
textrm textit textbf textsf texttt textup emph
left right middle big Big bigg Bigg bigl bigr Bigl Bigr biggl biggr Biggl Biggr langle
rangle lfloor rfloor lceil rceil lvert rvert lVert rVert vert Vert lbrace rbrace
quad qquad enspace thinspace medspace thickspace negthinspace negmedspace negthickspace
phantom hphantom vphantom displaystyle textstyle scriptstyle scriptscriptstyle limits
nolimits not colon pmod bmod mod pod hline cline
""".split())

#: Environments math may open; the ones whose cells ``&`` and rows ``\\\\`` separate.
MATH_ENVIRONMENTS: frozenset[str] = frozenset(
    "matrix pmatrix bmatrix Bmatrix vmatrix Vmatrix smallmatrix cases aligned gathered "
    "split array alignedat subarray".split())

#: Control symbols math may use: spaces, escaped specials, ``\\|``.
_SYMBOLS = frozenset(",;:!> {}|%#&$_\\")

#: Unicode characters written straight into math, as the commands that set them.
_UNICODE: dict[str, str] = {
    **{c: f"\\{n} " for c, n in zip(
        "αβγδεζηθικλμνξπρστυφχψωϑϕϖϱςΓΔΘΛΞΠΣΥΦΨΩ",
        "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi pi rho "
        "sigma tau upsilon varphi chi psi omega vartheta phi varpi varrho varsigma Gamma "
        "Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega".split())},
    "ο": "o", "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K",
    "Μ": "M", "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T", "Χ": "X",
    "×": "\\times ", "÷": "\\div ", "±": "\\pm ", "∓": "\\mp ", "·": "\\cdot ",
    "⋅": "\\cdot ", "−": "-", "≤": "\\leq ", "≥": "\\geq ", "≠": "\\neq ", "≈": "\\approx ",
    "≡": "\\equiv ", "∼": "\\sim ", "∝": "\\propto ", "∞": "\\infty ", "→": "\\to ",
    "←": "\\leftarrow ", "↔": "\\leftrightarrow ", "⇒": "\\Rightarrow ",
    "⇐": "\\Leftarrow ", "⇔": "\\Leftrightarrow ", "↦": "\\mapsto ", "∈": "\\in ",
    "∉": "\\notin ", "∋": "\\ni ", "⊂": "\\subset ", "⊃": "\\supset ", "⊆": "\\subseteq ",
    "⊇": "\\supseteq ", "∪": "\\cup ", "∩": "\\cap ", "∑": "\\sum ", "∏": "\\prod ",
    "∫": "\\int ", "∮": "\\oint ", "∂": "\\partial ", "∇": "\\nabla ", "√": "\\surd ",
    "∀": "\\forall ", "∃": "\\exists ", "∅": "\\emptyset ", "¬": "\\neg ", "∧": "\\wedge ",
    "∨": "\\vee ", "⊥": "\\perp ", "∥": "\\parallel ", "′": "'", "″": "''",
    "°": "^\\circ ", "…": "\\ldots ", "⋯": "\\cdots ", "ℓ": "\\ell ", "ℏ": "\\hbar ",
    "ℝ": "\\mathbb{R}", "ℕ": "\\mathbb{N}", "ℤ": "\\mathbb{Z}", "ℚ": "\\mathbb{Q}",
    "ℂ": "\\mathbb{C}", "⟨": "\\langle ", "⟩": "\\rangle ", "\u00a0": "~",
}

_ENV_NAME = re.compile(r"\s*\{([A-Za-z]+\*?)\}")


@dataclass(frozen=True, slots=True)
class MathResult:
    """The outcome of :func:`check_math`: safe `tex`, or the `problem` that refused it."""

    tex: str
    problem: str | None = None

    @property
    def ok(self) -> bool:
        """Return whether the math may be printed as TeX."""
        return self.problem is None


_EMPTY_SCRIPT = re.compile(r"(?<!\\)[\^_]\s*(?:$|[}^_&]|\\\\|\\end\b|\\right\b)")


def check_math(tex: str) -> MathResult:
    """Return `tex` made safe to print in math mode, or the reason it cannot be.

    Allowed: the commands of :data:`MATH_COMMANDS`, the control symbols ``\\, \\; \\: \\!
    \\  \\{ \\} \\| \\% \\# \\& \\$ \\_``, balanced braces, the environments of
    :data:`MATH_ENVIRONMENTS` (``&`` and ``\\\\`` only inside them), paired ``\\left`` and
    ``\\right``, and the Unicode symbols of :data:`_UNICODE`. A bare ``%`` becomes ``\\%``
    (a comment would swallow the closing delimiter); line breaks become spaces (a blank line
    is a paragraph end, an error in math).
    """
    if "^^" in tex:
        return MathResult(tex, "'^^' (TeX's character-code notation) is not allowed in math")
    out: list[str] = []
    depth = 0
    envs: list[str] = []
    lefts = 0
    i = 0
    n = len(tex)
    while i < n:
        char = tex[i]
        if char == "\\":
            if i + 1 >= n:
                return MathResult(tex, "math ends with a lone backslash")
            if tex[i + 1].isascii() and tex[i + 1].isalpha():
                j = i + 1
                while j < n and tex[j].isascii() and tex[j].isalpha():
                    j += 1
                name = tex[i + 1:j]
                if name in ("begin", "end"):
                    match = _ENV_NAME.match(tex, j)
                    env = match.group(1) if match else ""
                    if env not in MATH_ENVIRONMENTS:
                        return MathResult(tex, f"math environment '{env or '?'}' is not "
                                               "allowed")
                    if name == "begin":
                        envs.append(env)
                    elif not envs or envs.pop() != env:
                        return MathResult(tex, f"\\end{{{env}}} does not match a \\begin")
                    assert match is not None
                    out.append(f"\\{name}{{{env}}}")
                    i = match.end()
                    continue
                if name not in MATH_COMMANDS:
                    return MathResult(tex, f"the command \\{name} is not allowed in math")
                if name == "left":
                    lefts += 1
                elif name == "right":
                    lefts -= 1
                    if lefts < 0:
                        return MathResult(tex, "\\right without \\left")
                out.append(tex[i:j])
                i = j
                continue
            symbol = tex[i + 1]
            if symbol not in _SYMBOLS:
                return MathResult(tex, f"the control symbol \\{symbol} is not allowed in math")
            if symbol == "\\" and not envs:
                return MathResult(tex, "'\\\\' is allowed only inside an environment such as "
                                       "aligned")
            out.append(tex[i:i + 2])
            i += 2
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth < 0:
                return MathResult(tex, "math has a '}' without its '{'")
        elif char in "$#":
            return MathResult(tex, f"'{char}' is not allowed in math")
        elif char == "&" and not envs:
            return MathResult(tex, "'&' is allowed only inside an environment such as aligned")
        elif char == "%":
            out.append("\\%")
            i += 1
            continue
        elif char in "\t\n\r\f\v":
            char = " "
        elif not char.isascii():
            if char not in _UNICODE:
                return MathResult(tex, f"the character '{char}' (U+{ord(char):04X}) cannot "
                                       "be set in math")
            char = _UNICODE[char]
        elif not char.isprintable():
            return MathResult(tex, f"control character U+{ord(char):04X} in math")
        out.append(char)
        i += 1
    if depth:
        return MathResult(tex, "math has a '{' without its '}'")
    if envs:
        return MathResult(tex, f"\\begin{{{envs[-1]}}} is never ended")
    if lefts:
        return MathResult(tex, "\\left without \\right")
    result = "".join(out).strip()
    if _EMPTY_SCRIPT.search(result):
        # "x^" or "{a_}": TeX stops with "Missing { inserted" (found by the fuzzed compile)
        return MathResult(tex, "'^' or '_' has nothing after it to raise or lower")
    if result.endswith("\\"):
        # "\ " stripped to "\" would escape the closing delimiter.
        result += " "
    return MathResult(result)
