"""CSL-JSON's rich-text subset: `<i> <b> <sup> <sub>`, small caps and `nocase` spans.

CSL processors read these tags in titles and leave every other character as it is, so text is
written unescaped (an `&` stays `&`, as Zotero and pandoc write it). Math has no CSL markup: it is
kept as its TeX source between `$` delimiters, which pandoc reads back as math.
"""

from __future__ import annotations

from ..richtext import Math, NoCase, RichText, Styled, Text

_TAGS = {
    "italic": ("<i>", "</i>"),
    "bold": ("<b>", "</b>"),
    "sup": ("<sup>", "</sup>"),
    "sub": ("<sub>", "</sub>"),
    "smallcaps": ('<span style="font-variant:small-caps;">', "</span>"),
}


def render(rich: RichText) -> str:
    """Render rich text in CSL-JSON's HTML subset."""
    if len(rich) == 1 and type(rich[0]) is Text:
        return rich[0].text
    out: list[str] = []
    _render(rich, out)
    return "".join(out)


def _render(rich: RichText, out: list[str]) -> None:
    for node in rich:
        if type(node) is Text:
            out.append(node.text)
        elif type(node) is Math:
            out.append(f"${node.tex}$")
        elif type(node) is NoCase:
            out.append('<span class="nocase">')
            _render(node.children, out)
            out.append("</span>")
        elif type(node) is Styled:
            start, end = _TAGS[node.style]
            out.append(start)
            _render(node.children, out)
            out.append(end)
