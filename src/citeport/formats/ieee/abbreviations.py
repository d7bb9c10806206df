"""Journal-name abbreviations the IEEE way: ISO 4 word abbreviations from the LTWA.

IEEE abbreviates periodical names with ISO 4 ("IEEE Signal Processing Magazine" ->
"IEEE Signal Process. Mag."); pyiso4 carries the ISSN centre's List of Title Word
Abbreviations and applies the ISO 4 rules (stop words dropped, one-word titles kept). Loading
the list takes a moment, so it is loaded on first use and each title is abbreviated once.
"""

from __future__ import annotations

from functools import cache, lru_cache
from typing import Any


@cache
def _abbreviator() -> Any:
    from pyiso4.ltwa import Abbreviate

    return Abbreviate.create()


@lru_cache(maxsize=16384)
def abbreviate(title: str) -> str:
    """The ISO 4 abbreviation of a periodical title (the title itself when nothing applies)."""
    title = " ".join(title.split())
    if not title or " " not in title:
        return title
    try:
        short = _abbreviator()(title, remove_part=True)
    except Exception:  # pyiso4 on unusual input: keep the full name rather than fail
        return title
    return str(short) or title
