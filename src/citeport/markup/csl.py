"""CSL-JSON's rich-text subset: `<i> <b> <sup> <sub>`, small caps and `nocase` spans.

CSL processors read these tags in titles and leave every other character as it is, so text is
written unescaped (an `&` stays `&`, as Zotero and pandoc write it). Math has no CSL markup: it is
kept as its TeX source between `$` delimiters, which pandoc reads back as math.

`render` writes that subset; `parse` reads it back (and only it: any other tag or entity is text),
so `parse(render(rich)) == rich` for every tree `render` can write.

| CSL-JSON                                     | rich text                 |
|----------------------------------------------|---------------------------|
| `<i>`, `<b>`, `<sup>`, `<sub>`               | `Styled` italic/bold/sup/sub |
| `<span style="font-variant:small-caps;">`    | `Styled("smallcaps")`     |
| `<span class="nocase">`                      | `NoCase`                  |
| `$...$` (pandoc's tex_math_dollars rule)     | `Math`                    |
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..richtext import Inline, Math, NoCase, RichText, Styled, Text, concat

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


# -- parse ---------------------------------------------------------------------------------------

#: Opening tags CSL processors understand (matched exactly, case-insensitively), with the node
#: each one makes: a style, or "nocase".
_OPEN = re.compile(
    r"<(?:(i|b|sup|sub)|span\s+(?:class\s*=\s*\"(nocase)\"|style\s*=\s*\"\s*font-variant\s*:"
    r"\s*(small-caps)\s*;?\s*\"))\s*>",
    re.IGNORECASE,
)
_CLOSE = re.compile(r"</(i|b|sup|sub|span)\s*>", re.IGNORECASE)
_MARKUP = re.compile(_OPEN.pattern + "|" + _CLOSE.pattern, re.IGNORECASE)
_KIND = {"i": "italic", "b": "bold", "sup": "sup", "sub": "sub"}
#: TeX between `$` signs, pandoc's rule: no space inside either delimiter, no digit after the
#: closing one (so "$5 and $10" stays text).
_MATH = re.compile(r"(?<![\\$])\$(?=[^\s$])((?:[^$\\]|\\.)+?)(?<=[^\s\\])\$(?!\d)")


@dataclass(slots=True)
class _Open:
    kind: str  # a style, or "nocase"
    tag: str  # the closing tag name (i, b, sup, sub, span)
    source: str  # the opening tag as written, restored when it is never closed
    children: list[Inline] = field(default_factory=list)


def parse(source: str) -> RichText:
    """Parse CSL-JSON's HTML subset into rich text; never raises.

    Understood: `<i>`, `<b>`, `<sup>`, `<sub>`, `<span class="nocase">` and
    `<span style="font-variant:small-caps;">`, and TeX between `$` signs (what `render` writes
    for math). Everything else is text as written: other tags, entities, white space. A closing
    tag that closes nothing open, and an opening tag never closed, stay text too (what
    citeproc-js shows for them).
    """
    if "<" not in source and "$" not in source:
        return (Text(source),) if source else ()
    root = _Open("root", "", "")
    stack = [root]
    pos = 0
    for match in _MARKUP.finditer(source):
        if match.start() > pos:
            stack[-1].children.append(Text(source[pos : match.start()]))
        pos = match.end()
        style, nocase, closer = match.group(1, 2, 4)
        if closer is None:
            kind = _KIND[style.lower()] if style else ("nocase" if nocase else "smallcaps")
            tag = style.lower() if style else "span"
            stack.append(_Open(kind, tag, match.group(0)))
            continue
        closer = closer.lower()
        depth = next((d for d in range(len(stack) - 1, 0, -1) if stack[d].tag == closer), 0)
        if not depth:
            stack[-1].children.append(Text(match.group(0)))
            continue
        while len(stack) > depth + 1:  # crossed tags: the inner opener was never closed
            _unwrap(stack)
        element = stack.pop()
        children = _texts(element.children)
        if element.kind == "nocase":
            stack[-1].children.append(NoCase(children))
        else:
            stack[-1].children.append(Styled(element.kind, children))  # type: ignore[arg-type]
    if pos < len(source):
        stack[-1].children.append(Text(source[pos:]))
    while len(stack) > 1:
        _unwrap(stack)
    return _texts(root.children)


def _unwrap(stack: list[_Open]) -> None:
    """An opener never closed: its tag is text again, its children go to its parent."""
    element = stack.pop()
    stack[-1].children.append(Text(element.source))
    stack[-1].children.extend(element.children)


def _texts(nodes: list[Inline]) -> RichText:
    """Merge adjacent text and lift `$...$` math out of it."""
    out: list[Inline] = []
    for node in concat(nodes):
        if type(node) is not Text or "$" not in node.text:
            out.append(node)
            continue
        pos = 0
        for match in _MATH.finditer(node.text):
            if match.start() > pos:
                out.append(Text(node.text[pos : match.start()]))
            out.append(Math(match.group(1)))
            pos = match.end()
        if pos < len(node.text):
            out.append(Text(node.text[pos:]))
    return tuple(out)
