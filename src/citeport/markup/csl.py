"""CSL-JSON's rich-text subset: `<i> <b> <sup> <sub>`, small caps and `nocase` spans.

CSL processors read these tags in titles and leave every other character as it is, so text is
written unescaped (an `&` stays `&`, as Zotero and pandoc write it). Math has no CSL markup: it is
kept as its TeX source between `$` delimiters, which pandoc reads back as math.

`render` writes that subset; `parse` reads it back (and only it: any other tag or entity is text),
so `parse(render(rich)) == rich` for every tree `render` can write.

`parse` first tries a fast reader (`_fast`) that takes the common case: the tags exactly as
`render` writes them, properly nested and all closed, any other `<` not starting a tag the
general reader knows. It gives exactly the general reader's tree, or gives up (None) and leaves
the value to the general reader (`_parse_slow`), which also handles other spellings of the
tags, crossed, stray and unclosed tags. `parse(value, fast=False)` or `CITEPORT_CSL_SLOW=1`
turns it off (tests/test_csl_markup_fast.py checks the two agree). Elements around one short
plain text (`<sub>i</sub>`) are shared between trees (`_LEAVES`, bounded): nodes are immutable.

| CSL-JSON                                     | rich text                 |
|----------------------------------------------|---------------------------|
| `<i>`, `<b>`, `<sup>`, `<sub>`               | `Styled` italic/bold/sup/sub |
| `<span style="font-variant:small-caps;">`    | `Styled("smallcaps")`     |
| `<span class="nocase">`                      | `NoCase`                  |
| `$...$` (pandoc's tex_math_dollars rule)     | `Math`                    |
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import cast

from ..richtext import Inline, Math, NoCase, RichText, Style, Styled, Text, concat

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
#: The same rule with the `$` first and the look-behind after it (`$` not after `\` or `$`): the
#: same matches, found many times faster, as the engine can look for the `$` alone. The fast
#: reader uses it; the general reader keeps `_MATH`, so the differential tests compare the two.
_MATH_FAST = re.compile(r"\$(?<![\\$]\$)(?=[^\s$])((?:[^$\\]|\\.)+?)(?<=[^\s\\])\$(?!\d)")


@dataclass(slots=True)
class _Open:
    kind: str  # a style, or "nocase"
    tag: str  # the closing tag name (i, b, sup, sub, span)
    source: str  # the opening tag as written, restored when it is never closed
    children: list[Inline] = field(default_factory=list)


#: `CITEPORT_CSL_SLOW=1` turns the fast reader off (every value goes to the general reader).
FAST_PATH = os.environ.get("CITEPORT_CSL_SLOW", "").strip() in ("", "0")

#: The tags exactly as `render` writes them, split out of a value by the fast reader.
_FAST_TAG = re.compile(
    r'(</?(?:i|b|sup|sub)>|<span class="nocase">|<span style="font-variant:small-caps;">|</span>)'
)
#: Opening tag -> (node kind, the closing tag it needs).
_FAST_OPEN = {
    "<i>": ("italic", "</i>"),
    "<b>": ("bold", "</b>"),
    "<sup>": ("sup", "</sup>"),
    "<sub>": ("sub", "</sub>"),
    '<span class="nocase">': ("nocase", "</span>"),
    '<span style="font-variant:small-caps;">': ("smallcaps", "</span>"),
}


def parse(source: str, *, fast: bool = True) -> RichText:
    """Parse CSL-JSON's HTML subset into rich text; never raises.

    Understood: `<i>`, `<b>`, `<sup>`, `<sub>`, `<span class="nocase">` and
    `<span style="font-variant:small-caps;">`, and TeX between `$` signs (what `render` writes
    for math). Everything else is text as written: other tags, entities, white space. A closing
    tag that closes nothing open, and an opening tag never closed, stay text too (what
    citeproc-js shows for them).

    Args:
        source: The value as written in CSL-JSON.
        fast: Try the fast reader first (same result; False forces the general reader, as
            `CITEPORT_CSL_SLOW=1` does everywhere).
    """
    if "<" not in source and "$" not in source:
        return (Text(source),) if source else ()
    if fast and FAST_PATH:
        rich = _fast(source)
        if rich is not None:
            return rich
    return _parse_slow(source)


#: Elements of one plain text (`<sub>i</sub>`), by (opening tag, text): nodes are immutable, so
#: one can stand in every tree that holds it. Short texts only, and a bounded number of them.
_LEAVES: dict[tuple[str, str], Inline] = {}
_LEAF_TEXT_MAX = 48
_LEAVES_MAX = 4096


def _fast(source: str) -> RichText | None:
    """The common case: `render`'s own tags, nested and closed; None for anything else.

    The general reader finds the same tags at the same places: its tag pattern matches each of
    these tags as a whole, and a match of it never holds a `<` after its first character, so
    any other tag it knows lies inside one text piece, where it is looked for (and the value
    given up). Text pieces are never adjacent, so merging them is only dropping empty ones, and
    math is lifted out of each piece as the general reader lifts it out of merged text.
    """
    parts = _FAST_TAG.split(source)  # text, tag, text, ..., tag, text
    if source.count("<") != len(parts) >> 1 and any(map(_MARKUP.search, parts[::2])):
        return None  # a tag the general reader knows, spelt otherwise than `render` writes it
    math = "$" in source
    text = parts[0]
    out: list[Inline] = (_lift_math(text, _MATH_FAST) if math else [Text(text)]) if text else []
    stack: list[tuple[str, str, list[Inline]]] = []
    closer = ""  # the closing tag the innermost open element needs
    count = len(parts)
    at = 1
    while at < count:
        tag = parts[at]
        text = parts[at + 1]
        opened = _FAST_OPEN.get(tag)
        if opened is not None:
            if (
                at + 2 < count
                and parts[at + 2] == opened[1]
                and len(text) <= _LEAF_TEXT_MAX
                and not (math and "$" in text)
            ):  # an element of one plain text: `<sub>i</sub>`
                out.append(_leaf(tag, opened[0], text))
                text = parts[at + 3]
                at += 4
            else:
                stack.append((opened[0], closer, out))
                closer = opened[1]
                out = []
                at += 2
        elif tag == closer:
            kind, closer, parent = stack.pop()
            children = tuple(out)
            if kind == "nocase":
                parent.append(NoCase(children))
            else:
                parent.append(Styled(cast(Style, kind), children))
            out = parent
            at += 2
        else:
            return None  # closes nothing open, or crosses an inner tag
        if text:
            if math and "$" in text:
                out.extend(_lift_math(text, _MATH_FAST))
            else:
                out.append(Text(text))
    if stack:
        return None  # an opening tag never closed
    return tuple(out)


def _leaf(tag: str, kind: str, text: str) -> Inline:
    """The element `tag` makes around plain `text` (no math), shared while the cache has room."""
    node = _LEAVES.get((tag, text))
    if node is None:
        children = (Text(text),) if text else ()
        node = NoCase(children) if kind == "nocase" else Styled(cast(Style, kind), children)
        if len(_LEAVES) < _LEAVES_MAX:
            _LEAVES[tag, text] = node
    return node


def _parse_slow(source: str) -> RichText:
    """The general reader: every case `parse` documents."""
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
        else:
            out.extend(_lift_math(node.text))
    return tuple(out)


def _lift_math(text: str, math: re.Pattern[str] = _MATH) -> list[Inline]:
    """Text (not empty) with its `$...$` math as `Math` nodes; no empty text."""
    out: list[Inline] = []
    pos = 0
    for match in math.finditer(text):
        if match.start() > pos:
            out.append(Text(text[pos : match.start()]))
        out.append(Math(match.group(1)))
        pos = match.end()
    if pos < len(text):
        out.append(Text(text[pos:]))
    return out
