"""Make citeproc-py's per-item cost small: memoise its look-ups in the parsed style.

citeproc-py answers every term, macro and layout question with an XPath query on the style and
locale trees (`CitationStylesElement.xpath_search`), again for every item: about a third of its
time per reference. Those trees are parsed once (`render.load_style`) and never change while
rendering, so the answer to a query on an element is always the same: it is kept in a dict
keyed by the element and the expression. Keeping the element in the key also keeps lxml's
proxy object for it alive, so the same node is always the same key. The dict is bounded by the
number of distinct (element, query) pairs in the styles in use (a few thousand).

`install()` patches citeproc-py's element class once per process, when citeport first loads a
style, not at import. The patch is process-wide: another user of citeproc-py in the same
process gets the same (identical) answers, faster, as long as it does not edit a parsed style
tree after rendering from it.
The rendered output is unchanged: the exact-output tests of every reference type and the
examples' golden files run with the patch in place, and `tests/test_ieee.py` renders the same
references with and without it. Remove this module when citeproc-py caches these itself.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from citeproc.model import CitationStylesElement

_ORIGINAL = CitationStylesElement.xpath_search


#: (element, expression) -> the query's result, for the trees of the styles in use.
_MEMO: dict[tuple[Any, str], list[Any]] = {}


def _cached_xpath_search(self: Any, expression: str) -> Any:
    key = (self, expression)
    found = _MEMO.get(key)
    if found is None:
        found = _MEMO[key] = _ORIGINAL(self, expression)
    return list(found)  # a copy: callers may change the list they get


@cache
def install() -> None:
    """Patch citeproc-py's XPath look-ups with the memoised ones (once per process)."""
    CitationStylesElement.xpath_search = _cached_xpath_search


def uninstall() -> None:
    """Undo `install` (for the differential test)."""
    CitationStylesElement.xpath_search = _ORIGINAL
    _MEMO.clear()
    install.cache_clear()
