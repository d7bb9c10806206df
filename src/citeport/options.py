"""Options that writers understand. One frozen object, so writers share one signature."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True, kw_only=True)
class WriteOptions:
    """How to write.

    Attributes:
        unicode: BibTeX only: write UTF-8 instead of ASCII LaTeX spellings of accents.
        full_journal_names: IEEE only: keep journal names as given instead of abbreviating.
    """

    unicode: bool = False
    full_journal_names: bool = False
