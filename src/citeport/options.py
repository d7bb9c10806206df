"""Options that writers understand. One frozen object, so writers share one signature."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True, kw_only=True)
class WriteOptions:
    """How to write.

    Attributes:
        unicode: BibTeX only: write UTF-8 instead of ASCII LaTeX spellings of accents.
        full_journal_names: IEEE only: keep journal names as given instead of abbreviating.
        abbreviations: IEEE only: a JSON or CSV table of journal abbreviations that overrides
            IEEE's list and ISO 4.
        style: IEEE writers: another CSL style (a path, or a name from styles/) rendered
            through the same citeproc-py path.
        ris_profile: RIS only: the consumer the tags are chosen for (`ris.PROFILES`).
    """

    unicode: bool = False
    full_journal_names: bool = False
    abbreviations: str | None = None
    style: str | None = None
    ris_profile: str = "default"
