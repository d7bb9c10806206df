"""HTML and JATS inline markup: parse it into `RichText`, render `RichText` as escaped HTML.

The parser is made for what aggregators and Crossref really send: `<i>`, `<italic>`, `<b>`,
`<bold>`, `<sub>`, `<sup>`, `<sc>`, namespaced JATS (`<jats:italic>`), `<inline-formula>` with
`<tex-math>` (a body mixing formulas and text, `$\\epsilon$-approximate`, is split into `Math` and
`Text`), paragraphs, and tags that do not match (`<italic>...</i>`). It never raises:
mismatched closers are repaired, unknown tags are dropped with their text kept, unclosed tags are
closed at the end, and each repair is returned as a note for the caller to report.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from ..richtext import Inline, Math, NoCase, RichText, Styled, Text, concat

#: Tag name (lower case, namespace prefix removed) -> style.
_STYLE_TAGS = {
    "i": "italic", "em": "italic", "italic": "italic", "it": "italic",
    "b": "bold", "strong": "bold", "bold": "bold",
    "sub": "sub", "inf": "sub",
    "sup": "sup",
    "sc": "smallcaps", "small-caps": "smallcaps",
}  # fmt: skip
#: Tags whose element is transparent: their children are kept, the tag itself is not.
_TRANSPARENT = frozenset(
    ("inline-formula", "disp-formula", "span", "title", "abstract", "sec", "mml:math", "math",
     "u", "underline", "a", "ext-link", "font", "alternatives", "named-content", "label",
     "list", "list-item", "div")
)  # fmt: skip
_PARAGRAPH = frozenset(("p", "br", "break", "para"))
_TEX = frozenset(("tex-math",))

_TAG = re.compile(r"<(/?)([A-Za-z][\w:.-]*)((?:\s[^<>]*)?)>")
_SPACE = re.compile(r"\s+")
_PARAGRAPH_BREAK = re.compile(r" *\n\s*")


@dataclass(slots=True)
class ParseResult:
    """The parsed tree and the repairs made on the way (code, message) for the caller."""

    rich: RichText
    notes: list[tuple[str, str]] = field(default_factory=list)


@dataclass(slots=True)
class _Open:
    name: str
    kind: str  # a style, "nocase", "tex", "transparent"
    children: list[Inline] = field(default_factory=list)


def parse(source: str) -> ParseResult:
    """Parse inline HTML/JATS into rich text; entities are decoded, whitespace is folded."""
    if "<" not in source:
        plain = _fold(html.unescape(source) if "&" in source else source).strip()
        return ParseResult((Text(plain),) if plain else ())
    notes: list[tuple[str, str]] = []
    root = _Open("", "root")
    stack = [root]
    pos = 0
    for match in _TAG.finditer(source):
        start = match.start()
        if start > pos:
            _add_text(stack[-1], source[pos:start])
        pos = match.end()
        closing, name, attrs = match.groups()
        name = name.lower()
        local = name.partition(":")[2] if ":" in name and name[:4] != "mml:" else name
        if attrs.endswith("/"):  # `<br/>`: a tag name cannot hold the `/`
            if local in _PARAGRAPH:
                _add_text(stack[-1], "\n")
            continue
        if closing:
            top = stack[-1]
            if top.name == local and len(stack) > 1:  # the common case: the open element
                _pop(stack)
            else:
                _close(stack, local, notes)
        else:
            _open(stack, local, attrs, notes)
    if pos < len(source):
        _add_text(stack[-1], source[pos:])
    while len(stack) > 1:
        notes.append(("MRK004", f"unclosed <{stack[-1].name}> closed at the end"))
        _pop(stack)
    return ParseResult(concat(root.children), notes)


def _kind(local: str, attrs: str) -> str:
    if local in _STYLE_TAGS:
        return _STYLE_TAGS[local]
    if local in _TEX:
        return "tex"
    if local == "span":
        squashed = attrs.replace(" ", "").lower()
        if "nocase" in squashed:
            return "nocase"
        if "small-caps" in squashed:
            return "smallcaps"
    if local in _PARAGRAPH:
        return "paragraph"
    if local in _TRANSPARENT or local.startswith("mml:"):
        return "transparent"
    return "unknown"


def _open(stack: list[_Open], local: str, attrs: str, notes: list[tuple[str, str]]) -> None:
    kind = _kind(local, attrs)
    if kind == "paragraph":
        _add_text(stack[-1], "\n")
        kind = "transparent"
    elif kind == "unknown":
        notes.append(("MRK002", f"unknown tag <{local}> dropped, its text kept"))
        kind = "transparent"
    stack.append(_Open(local, kind))


def _close(stack: list[_Open], local: str, notes: list[tuple[str, str]]) -> None:
    top = stack[-1]
    if len(stack) > 1 and top.name == local:
        _pop(stack)
        return
    kind = _kind(local, "")
    if kind == "paragraph":
        kind = "transparent"
    # A closer of the same style as the open element (<italic>...</i>): the element it closes.
    if len(stack) > 1 and top.kind == kind and kind not in ("transparent", "unknown"):
        notes.append(("MRK001", f"<{top.name}> closed by </{local}>"))
        _pop(stack)
        return
    for depth in range(len(stack) - 1, 0, -1):
        if stack[depth].name == local:
            while len(stack) > depth:
                if len(stack) - 1 != depth:
                    notes.append(("MRK004", f"unclosed <{stack[-1].name}> closed at </{local}>"))
                _pop(stack)
            return
    if kind != "paragraph" and local not in _PARAGRAPH:
        notes.append(("MRK001", f"stray </{local}> dropped"))


def _pop(stack: list[_Open]) -> None:
    element = stack.pop()
    parent = stack[-1].children
    children = concat(element.children)
    if element.kind == "tex":
        tex = "".join(c.text for c in children if type(c) is Text).strip()
        parent.extend(tex_nodes(tex))
    elif element.kind == "nocase":
        if children:
            parent.append(NoCase(children))
    elif element.kind == "transparent":
        parent.extend(children)
    elif children:
        parent.append(Styled(element.kind, children))  # type: ignore[arg-type]


#: An unescaped `$` (TeX's `\\$` is a dollar sign, not a delimiter).
_DOLLAR = re.compile(r"(?<!\\)\$")
#: One inline formula between single dollars (an escaped dollar inside is part of it).
_FORMULA = re.compile(r"(?<!\\)\$((?:[^$\\]|\\.)+?)\$")


def tex_nodes(tex: str) -> list[Inline]:
    """The nodes of a `<tex-math>` body: its formulas as `Math`, any text between as `Text`.

    A body that is one formula (`$x$`, `$$x$$`, `\\(x\\)`, or TeX without delimiters) is one
    `Math`. A body that mixes formulas and text, as aggregators send it (`$\\epsilon$-approximate`,
    `$a$ and $b$`), is split: the text is not math and must not be written between dollars.
    A body whose dollars do not pair up is kept whole as math, as written.
    """
    dollars = len(_DOLLAR.findall(tex))
    if dollars == 0:
        if tex.startswith("\\(") and tex.endswith("\\)"):
            tex = tex[2:-2]
        return [Math(tex)] if tex else []
    if dollars == 4 and tex.startswith("$$") and tex.endswith("$$"):
        return [Math(tex[2:-2])] if tex[2:-2].strip() else []
    if dollars == 2 and tex[0] == "$" and tex[-1] == "$":
        return [Math(tex[1:-1])] if tex[1:-1].strip() else []
    if dollars % 2:
        return [Math(tex)]
    nodes: list[Inline] = []
    pos = 0
    for match in _FORMULA.finditer(tex):
        if match.start() > pos:
            nodes.append(Text(tex[pos : match.start()]))
        nodes.append(Math(match.group(1)))
        pos = match.end()
    if pos < len(tex):
        nodes.append(Text(tex[pos:]))
    return nodes


def _add_text(element: _Open, raw: str) -> None:
    if element.kind == "tex":
        element.children.append(Text(html.unescape(raw)))  # TeX keeps its spacing
    else:
        element.children.append(Text(_fold(html.unescape(raw) if "&" in raw else raw)))


#: White space other than a plain space (a tab, a line break, a no-break space, ...).
_OTHER_SPACE = re.compile(r"[^\S ]")


def _fold(value: str) -> str:
    """Fold runs of white space (other than paragraph breaks) to one space."""
    if "  " not in value and (value.isprintable() or not _OTHER_SPACE.search(value)):
        # The common case, single spaces only: two white-space characters in a row are two
        # spaces or include another white-space character; and the space is the only
        # white-space character `isprintable` accepts (a test checks all of Unicode), so a
        # printable value needs no search.
        return value
    if "\n" in value:
        return "\n".join(_SPACE.sub(" ", part) for part in value.split("\n"))
    return _SPACE.sub(" ", value)


def finish(rich: RichText) -> RichText:
    """Clean a top-level tree: paragraph breaks become single newlines, the ends are stripped."""
    if not rich:
        return rich
    nodes: list[Inline] = []
    for node in rich:
        if type(node) is Text and "\n" in node.text:
            nodes.append(Text(_PARAGRAPH_BREAK.sub("\n", node.text)))
        else:
            nodes.append(node)
    first, last = nodes[0], nodes[-1]
    if type(first) is Text:
        nodes[0] = Text(first.text.lstrip())
    if type(last) is Text:
        nodes[-1] = Text(nodes[-1].text.rstrip())  # type: ignore[union-attr]
    return tuple(n for n in nodes if type(n) is not Text or n.text)


_HTML_TAGS = {"italic": "i", "bold": "b", "sup": "sup", "sub": "sub"}


def render(rich: RichText) -> str:
    """Render rich text as HTML with every data character escaped (for web pages)."""
    out: list[str] = []
    _render(rich, out)
    return "".join(out)


def _render(rich: RichText, out: list[str]) -> None:
    for node in rich:
        if type(node) is Text:
            out.append(html.escape(node.text, quote=False))
        elif type(node) is Math:
            out.append(html.escape(f"${node.tex}$", quote=False))
        elif type(node) is NoCase:
            _render(node.children, out)
        elif type(node) is Styled:
            if node.style == "smallcaps":
                out.append('<span style="font-variant:small-caps">')
                _render(node.children, out)
                out.append("</span>")
            else:
                tag = _HTML_TAGS[node.style]
                out.append(f"<{tag}>")
                _render(node.children, out)
                out.append(f"</{tag}>")
