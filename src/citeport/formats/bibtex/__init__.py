"""BibTeX and BibLaTeX: the reader (`reader.py`), the two writers (`writer.py`) and the one
mapping table both directions share (`mapping.py`, whose docstring has the full table).

Formats: `bibtex` (reads BibTeX and BibLaTeX; writes classic BibTeX for bibtex and IEEEtran.bst)
and `biblatex` (writes BibLaTeX for biber: UTF-8, `date`, `journaltitle`, `location`).
"""

from __future__ import annotations

from ...registry import FormatInfo
from .mapping import MONTHS
from .reader import Joiner, read, sniff, split
from .writer import (
    BIBLATEX_RECORDS,
    BIBTEX_RECORDS,
    ENTRY_TYPES,
    entry,
    names,
    write,
    write_biblatex,
)

__all__ = [
    "ENTRY_TYPES",
    "FORMATS",
    "MONTHS",
    "entry",
    "names",
    "read",
    "sniff",
    "write",
    "write_biblatex",
]

FORMATS = (
    FormatInfo(
        "bibtex",
        "BibTeX and BibLaTeX (reads both; writes BibTeX for bibtex with IEEEtran.bst)",
        reader=read,
        writer=write,
        records=BIBTEX_RECORDS,
        sniff=sniff,
        extensions=(".bib", ".bibtex", ".biblatex"),
        aliases=("bib",),
        split=split,
        joiner=Joiner,
    ),
    FormatInfo(
        "biblatex",
        "BibLaTeX (writes UTF-8 BibLaTeX for biber: date, journaltitle, eprint, urldate)",
        writer=write_biblatex,
        records=BIBLATEX_RECORDS,
        aliases=("blx",),
    ),
)
