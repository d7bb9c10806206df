"""Make citeproc-py's per-item cost small: memoise its look-ups in the parsed style.

citeproc-py answers every term, macro and layout question with an XPath query on the style and
locale trees (`CitationStylesElement.xpath_search`), again for every item: about a third of its
time per reference. It also finds an element's child by name (`cs:terms`, `cs:layout`, ...:
`SomewhatObjectifiedElement.__getattr__`), a locale's options (`Locale.get_option`, which
finds `cs:style-options` each time) and an element's root (`get_root`, some 300 times per
item) anew. Those trees are parsed once (`render.load_style`) and never change while
rendering, so each answer for an element is always the same: it is kept in a dict keyed by the
element (and the expression or child name). Keeping the element in the key also keeps lxml's
proxy object for it alive, so the same node is always the same key. The dicts are bounded by
the number of distinct (element, query) pairs in the styles in use (a few thousand).

| citeproc-py look-up | memoised by | answer kept |
|---|---|---|
| `CitationStylesElement.xpath_search` | element, expression | the nodes (handed out as a copy) |
| `SomewhatObjectifiedElement.__getattr__` | element, child name | the first such child, or None |
| `CitationStylesElement.get_root` | element | the root of its tree |
| `Locale.get_option` | through `__getattr__` | (its `cs:style-options` child) |

`install()` patches citeproc-py's element classes once per process, when citeport first loads a
style, not at import. The patch is process-wide: another user of citeproc-py in the same
process gets the same (identical) answers, faster, as long as it does not edit a parsed style
tree after rendering from it.
The rendered output is unchanged: the exact-output tests of every reference type and the
examples' golden files run with the patch in place, and `tests/test_ieee.py` renders the same
references through citeproc-py with and without it. Remove this module when citeproc-py caches
these itself.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from citeproc.model import CitationStylesElement, Locale, SomewhatObjectifiedElement

_ORIGINAL = CitationStylesElement.xpath_search
_ORIGINAL_CHILD = SomewhatObjectifiedElement.__getattr__
_ORIGINAL_ROOT = CitationStylesElement.get_root
_ORIGINAL_LOCALE_OPTION = Locale.get_option


#: (element, expression) -> the query's result, for the trees of the styles in use.
_MEMO: dict[tuple[Any, str], list[Any]] = {}
#: (element, child name) -> the child `__getattr__` finds (or None).
_CHILDREN: dict[tuple[Any, str], Any] = {}
#: element -> the root of its tree.
_ROOTS: dict[Any, Any] = {}


def _cached_xpath_search(self: Any, expression: str) -> Any:
    key = (self, expression)
    found = _MEMO.get(key)
    if found is None:
        found = _MEMO[key] = _ORIGINAL(self, expression)
    return list(found)  # a copy: callers may change the list they get


def _cached_child(self: Any, name: str) -> Any:
    key = (self, name)
    try:
        return _CHILDREN[key]
    except KeyError:
        found = _CHILDREN[key] = _ORIGINAL_CHILD(self, name)
        return found


def _cached_root(self: Any) -> Any:
    try:
        return _ROOTS[self]
    except KeyError:
        found = _ROOTS[self] = _ORIGINAL_ROOT(self)
        return found


def _locale_option(self: Any, name: str) -> Any:
    """`Locale.get_option` with its `cs:style-options` child found through the memo."""
    options = _cached_child(self, "style-options")
    if options is None:
        raise IndexError
    return options.get(name, self._default_options[name])


@cache
def install() -> None:
    """Patch citeproc-py's look-ups with the memoised ones (once per process)."""
    CitationStylesElement.xpath_search = _cached_xpath_search
    SomewhatObjectifiedElement.__getattr__ = _cached_child
    CitationStylesElement.get_root = _cached_root
    Locale.get_option = _locale_option


def uninstall() -> None:
    """Undo `install` (for the differential test)."""
    CitationStylesElement.xpath_search = _ORIGINAL
    SomewhatObjectifiedElement.__getattr__ = _ORIGINAL_CHILD
    CitationStylesElement.get_root = _ORIGINAL_ROOT
    Locale.get_option = _ORIGINAL_LOCALE_OPTION
    _MEMO.clear()
    _CHILDREN.clear()
    _ROOTS.clear()
    install.cache_clear()
