"""BibTeX and BibLaTeX: the reader (`reader.py`), the two writers (`writer.py`) and the one
mapping table both directions share (`mapping.py`, whose docstring has the full table);
`detect.py` recognises BibTeX without importing the reader.

Formats: `bibtex` (reads BibTeX and BibLaTeX; writes classic BibTeX for bibtex and IEEEtran.bst)
and `biblatex` (writes BibLaTeX for biber: UTF-8, `date`, `journaltitle`, `location`).

The reader and writers are imported when a conversion uses them, not when this package is
(bibtexparser and pylatexenc take a tenth of a small conversion); so are the names below.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from ...registry import FormatInfo, deferred
from .detect import sniff
from .mapping import MONTHS

if TYPE_CHECKING:
    from .reader import read, split
    from .writer import ENTRY_TYPES, entry, names, write, write_biblatex

__all__ = [
    "ENTRY_TYPES",
    "FORMATS",
    "MONTHS",
    "entry",
    "names",
    "read",
    "sniff",
    "split",
    "write",
    "write_biblatex",
]

_READER = f"{__name__}.reader"
_WRITER = f"{__name__}.writer"
_LAZY = {"read": _READER, "split": _READER} | dict.fromkeys(
    ("ENTRY_TYPES", "entry", "names", "write", "write_biblatex"), _WRITER
)


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


FORMATS = (
    FormatInfo(
        "bibtex",
        "BibTeX and BibLaTeX (reads both; writes BibTeX for bibtex with IEEEtran.bst)",
        reader=deferred(_READER, "read"),
        writer=deferred(_WRITER, "write"),
        records=deferred(_WRITER, "BIBTEX_RECORDS"),
        sniff=sniff,
        extensions=(".bib", ".bibtex", ".biblatex"),
        aliases=("bib",),
        split=deferred(_READER, "split"),
        joiner=deferred(_READER, "Joiner"),
    ),
    FormatInfo(
        "biblatex",
        "BibLaTeX (writes UTF-8 BibLaTeX for biber: date, journaltitle, eprint, urldate)",
        writer=deferred(_WRITER, "write_biblatex"),
        records=deferred(_WRITER, "BIBLATEX_RECORDS"),
        aliases=("blx",),
    ),
)
