"""Inline rich text: the one tree every title and abstract is held in.

Readers parse their markup dialect (HTML/JATS, LaTeX, CSL's HTML subset) into this tree; writers
render it their own way (`citeport.markup`). The tree is deliberately small: plain text, styled
spans, case-protected spans, and math that keeps its TeX source.

A `RichText` is a tuple of inline nodes. Nodes are frozen and slotted, so a tree can be shared
between references and hashed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, TypeAlias

Style = Literal["italic", "bold", "sup", "sub", "smallcaps"]
STYLES: frozenset[str] = frozenset(("italic", "bold", "sup", "sub", "smallcaps"))


@dataclass(frozen=True, slots=True)
class Text:
    """A run of plain Unicode text."""

    text: str


@dataclass(frozen=True, slots=True)
class Styled:
    """Children shown in a style: italic, bold, superscript, subscript or small caps."""

    style: Style
    children: RichText


@dataclass(frozen=True, slots=True)
class NoCase:
    """Children whose case a case-changing style must not touch (BibTeX `{DNA}`)."""

    children: RichText


@dataclass(frozen=True, slots=True)
class Math:
    """Inline math, kept as its TeX source without the `$` delimiters."""

    tex: str


Inline: TypeAlias = Text | Styled | NoCase | Math
RichText: TypeAlias = tuple[Inline, ...]


def text(value: str) -> RichText:
    """Wrap a plain string as rich text (empty string -> empty tree)."""
    return (Text(value),) if value else ()


def plain(rich: RichText, math: Literal["tex", "dollar"] = "dollar") -> str:
    """Flatten rich text to a Unicode string.

    Styles and case protection are dropped; math is kept as its TeX source, between `$`
    delimiters by default, so the flattened text stays lossless for readers of the math.
    """
    if len(rich) == 1 and type(rich[0]) is Text:  # the common case: one run of plain text
        return rich[0].text
    parts: list[str] = []
    _flatten(rich, parts, math)
    return "".join(parts)


def _flatten(rich: RichText, out: list[str], math: str) -> None:
    for node in rich:
        if type(node) is Text:
            out.append(node.text)
        elif type(node) is Math:
            out.append(f"${node.tex}$" if math == "dollar" else node.tex)
        else:
            _flatten(node.children, out, math)  # type: ignore[union-attr]


def concat(nodes: Iterable[Inline]) -> RichText:
    """Inline nodes as rich text: adjacent plain text merged, empty text dropped."""
    out: list[Inline] = []
    for node in nodes:
        if type(node) is Text:
            if not node.text:
                continue
            last = out[-1] if out else None
            if type(last) is Text:
                out[-1] = Text(last.text + node.text)
                continue
        out.append(node)
    return tuple(out)


def is_plain(rich: RichText) -> bool:
    """True when the tree holds only plain text (the common, fast case)."""
    return all(type(node) is Text for node in rich)
