"""MathML to TeX: presentation MathML in JATS titles and abstracts becomes `Math` source.

Crossref and some aggregators send formulas as MathML (`<mml:math>`). Rich text keeps math as
TeX, so simple presentation MathML is converted here; what this converter does not know keeps
the element's `alttext` (or its text) and is reported by the caller. The XML is parsed with
the standard library's expat parser, which fetches nothing from the network.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html import escape, unescape

_MATH = re.compile(r"<(mml:)?math\b[^>]*>.*?</\1math\s*>", re.DOTALL | re.IGNORECASE)
_ALTTEXT = re.compile(r'\balttext\s*=\s*"([^"]*)"')
_PREFIX = re.compile(r"<(/?)[A-Za-z][\w.-]*:")
_XMLNS = re.compile(r'\s+xmlns(?::[\w.-]+)?\s*=\s*"[^"]*"')


def to_tex_math(raw: str) -> tuple[str, list[str]]:
    """Replace each MathML element of `raw` by a `<tex-math>` element holding its TeX.

    MathML that `mathml_to_tex` cannot convert keeps its `alttext`, else its text; for each
    such element the returned list says which ("its alttext", "its text") for the caller to
    report.
    """
    unconverted: list[str] = []

    def replace(match: re.Match[str]) -> str:
        source = match.group(0)
        tex = mathml_to_tex(source)
        if tex is None:
            alt = _ALTTEXT.search(source)
            tex = unescape(alt.group(1)).strip() if alt else ""
            unconverted.append("its alttext" if tex else "its text")
            if not tex:
                tex = " ".join(re.sub(r"<[^>]+>", " ", source).split())
        return f"<tex-math>{escape(tex, quote=False)}</tex-math>" if tex else ""

    return _MATH.sub(replace, raw), unconverted


_OPERATORS = {
    "×": r"\times ", "·": r"\cdot ", "±": r"\pm ", "≤": r"\leq ", "≥": r"\geq ", "≠": r"\neq ",
    "−": "-", "→": r"\to ", "∞": r"\infty ", "∑": r"\sum ", "∏": r"\prod ", "∫": r"\int ",
    "≈": r"\approx ", "ℓ": r"\ell ", "∈": r"\in ", "∂": r"\partial ", "∇": r"\nabla ", "′": "'",
}  # fmt: skip
_GREEK = {
    chr(0x3B1 + i): "\\" + name + " "
    for i, name in enumerate(
        "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho "
        "varsigma sigma tau upsilon phi chi psi omega".split()
    )
    if name not in ("omicron", "varsigma")
}
_GREEK.update(
    {"Γ": r"\Gamma ", "Δ": r"\Delta ", "Θ": r"\Theta ", "Λ": r"\Lambda ", "Π": r"\Pi ",
     "Σ": r"\Sigma ", "Φ": r"\Phi ", "Ψ": r"\Psi ", "Ω": r"\Omega "}
)  # fmt: skip
_SYMBOLS = {**_OPERATORS, **_GREEK}


def mathml_to_tex(source: str) -> str | None:
    """TeX for simple presentation MathML (`mi mn mo mtext mrow msub msup msubsup mfrac msqrt
    mroot mover munder mfenced`), or None when the MathML holds anything else or is not XML."""
    cleaned = _XMLNS.sub("", _PREFIX.sub(r"<\1", source))
    try:
        root = ET.fromstring(cleaned)
    except ET.ParseError:
        return None
    try:
        tex = _tex(root)
    except _Unsupported:
        return None
    return _TIDY.sub("", " ".join(tex.split()))


#: A space left by a command ("\\alpha ") before something that ends the command anyway.
_TIDY = re.compile(r"(?<=[A-Za-z]) +(?=[}_^),\]]|$)")


class _Unsupported(Exception):
    """A MathML element `mathml_to_tex` does not convert."""


def _tex(node: ET.Element) -> str:
    tag = node.tag
    kids = list(node)
    if tag in ("mi", "mn", "mo", "mtext"):
        text = (node.text or "").strip()
        out = "".join(_SYMBOLS.get(c, c) for c in text)
        if tag == "mtext":
            return rf"\text{{{text}}}"
        if tag == "mi" and len(text) > 1 and text.isalpha():
            return rf"\mathrm{{{text}}}"
        return out
    if tag in ("math", "mrow", "mstyle", "semantics", "mpadded"):
        if tag == "semantics" and kids:
            kids = kids[:1]  # the presentation form; annotations follow it
        return "".join(_tex(k) for k in kids)
    if tag == "mspace":
        return " "
    if tag == "mfenced":
        opener, closer = node.get("open", "("), node.get("close", ")")
        return opener + ",".join(_tex(k) for k in kids) + closer
    parts = [_group(k) for k in kids]
    if tag == "msub" and len(parts) == 2:
        return f"{parts[0]}_{parts[1]}"
    if tag == "msup" and len(parts) == 2:
        return f"{parts[0]}^{parts[1]}"
    if tag == "msubsup" and len(parts) == 3:
        return f"{parts[0]}_{parts[1]}^{parts[2]}"
    if tag == "mfrac" and len(parts) == 2:
        return rf"\frac{parts[0]}{parts[1]}"
    if tag == "msqrt":
        return rf"\sqrt{{{''.join(_tex(k) for k in kids)}}}"
    if tag == "mroot" and len(parts) == 2:
        return rf"\sqrt[{_tex(kids[1])}]{parts[0]}"
    if tag in ("mover", "munder") and len(parts) == 2:
        accent = (kids[1].text or "").strip()
        if tag == "mover" and accent in ("^", "ˆ", "\u0302"):
            return rf"\hat{parts[0]}"
        if tag == "mover" and accent in ("¯", "‾", "\u0304", "_"):
            return rf"\bar{parts[0]}"
        if tag == "mover" and accent in ("~", "˜", "\u0303"):
            return rf"\tilde{parts[0]}"
        if tag == "mover" and accent in ("→", "⃗"):
            return rf"\vec{parts[0]}"
        return f"{parts[0]}{'^' if tag == 'mover' else '_'}{parts[1]}"
    raise _Unsupported(tag)


def _group(node: ET.Element) -> str:
    tex = _tex(node).strip()
    return f"{{{tex}}}"
