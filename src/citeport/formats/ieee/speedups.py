"""Make citeproc-py's per-item cost small: memoise its look-ups in the parsed style.

citeproc-py answers every term, macro and layout question with an XPath query on the style and
locale trees (`CitationStylesElement.xpath_search`), again for every item: about a third of its
time per reference. Those trees are parsed once (`render.load_style`) and never change while
rendering, so the answer to a query on an element is always the same: it is kept in a dict
keyed by the element and the expression. Keeping the element in the key also keeps lxml's
proxy object for it alive, so the same node is always the same key. The dict is bounded by the
number of distinct (element, query) pairs in the styles in use (a few thousand).

`install()` patches citeproc-py once, when the first reference is rendered, not at import.
The rendered output is unchanged: the exact-output tests of every reference type and the
examples' golden files run with the patch in place, and `tests/test_ieee.py` renders the same
references with and without it. Remove this module when citeproc-py caches these itself.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from citeproc.model import CitationStylesElement

_ORIGINAL = CitationStylesElement.xpath_search


def _cached_xpath_search(self: Any, expression: str, _memo: dict[Any, Any] = {}) -> Any:  # noqa: B006
    key = (self, expression)
    found = _memo.get(key)
    if found is None:
        found = _memo[key] = _ORIGINAL(self, expression)
    return list(found)


@cache
def install() -> None:
    """Patch citeproc-py's XPath look-ups with the memoised ones (once per process)."""
    CitationStylesElement.xpath_search = _cached_xpath_search


def uninstall() -> None:
    """Undo `install` (for the differential test)."""
    CitationStylesElement.xpath_search = _ORIGINAL
    install.cache_clear()
