"""The internal citation model every reader maps to and every writer maps from.

The model is close to CSL-JSON, because CSL-JSON is what citation-js, pandoc and citeproc speak:
field names are CSL variable names in snake_case (`container_title` is `container-title`, `doi` is
`DOI`), so the CSL-JSON mapping is derived from the field list rather than written by hand
(see `csl_variable`). Numbers that are not always numbers (volume, issue, page) stay strings.

Titles and abstracts are `RichText` (see `citeport.richtext`); names and dates are structured.
Anything a reader finds that has no typed slot goes to `extra`, so nothing is lost on the way
through, and a writer that cannot express a populated field says so in a diagnostic.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from types import MappingProxyType
from typing import Any

from .richtext import RichText

#: CSL 1.0.2 item types (csl-data.json), the vocabulary of `Reference.type`.
ITEM_TYPES: frozenset[str] = frozenset(
    """
    article article-journal article-magazine article-newspaper bill book broadcast
    chapter classic collection dataset document entry entry-dictionary entry-encyclopedia
    event figure graphic hearing interview legal_case legislation
    manuscript map motion_picture musical_score pamphlet paper-conference patent
    performance periodical personal_communication post post-weblog regulation report
    review review-book software song speech standard thesis treaty webpage
    """.split()
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Name:
    """A personal or corporate name, split the CSL way.

    `literal` holds a name that must not be split (an institution); the other parts are then
    empty. `non_dropping_particle` is the "van" of "van Gogh" that stays with the family name.
    """

    family: str = ""
    given: str = ""
    dropping_particle: str = ""
    non_dropping_particle: str = ""
    suffix: str = ""
    literal: str = ""

    def family_full(self) -> str:
        """The family name with its non-dropping particle ("van Gogh"), or the literal."""
        if self.literal:
            return self.literal
        if self.non_dropping_particle:
            return f"{self.non_dropping_particle} {self.family}"
        return self.family


@dataclass(frozen=True, slots=True, kw_only=True)
class Date:
    """A date, a partial date or a range, as CSL date-parts.

    `parts` holds one (year[, month[, day]]) tuple, or two for a range. When the source date
    cannot be parsed, `literal` keeps it as written.
    """

    parts: tuple[tuple[int, ...], ...] = ()
    season: str = ""
    circa: bool = False
    literal: str = ""

    @property
    def year(self) -> int | None:
        return self.parts[0][0] if self.parts and self.parts[0] else None

    @property
    def month(self) -> int | None:
        first = self.parts[0] if self.parts else ()
        return first[1] if len(first) > 1 else None


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where a reference came from: the source name and its first and last line (1-based)."""

    source: str
    line: int
    end_line: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Reference:
    """One bibliographic record (a CSL "reference", not an in-text citation).

    Only `id` and `type` are required. Empty strings, empty tuples and `None` mean "absent".
    """

    id: str
    type: str
    title: RichText = ()
    title_short: str = ""
    author: tuple[Name, ...] = ()
    editor: tuple[Name, ...] = ()
    translator: tuple[Name, ...] = ()
    container_author: tuple[Name, ...] = ()
    collection_editor: tuple[Name, ...] = ()
    container_title: RichText = ()
    container_title_short: str = ""
    collection_title: str = ""
    collection_number: str = ""
    volume: str = ""
    issue: str = ""
    page: str = ""
    number: str = ""
    chapter_number: str = ""
    number_of_pages: str = ""
    edition: str = ""
    section: str = ""
    genre: str = ""
    medium: str = ""
    status: str = ""
    issued: Date | None = None
    accessed: Date | None = None
    available_date: Date | None = None
    event_title: str = ""
    event_place: str = ""
    event_date: Date | None = None
    publisher: str = ""
    publisher_place: str = ""
    doi: str = ""
    url: str = ""
    issn: str = ""
    isbn: str = ""
    pmid: str = ""
    pmcid: str = ""
    language: str = ""
    abstract: RichText = ()
    keyword: tuple[str, ...] = ()
    note: str = ""
    citation_key: str = ""
    extra: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    provenance: Provenance | None = None


#: CSL variables spelled in capitals (everything else is the field name with "-" for "_").
_UPPER = frozenset(("doi", "url", "issn", "isbn", "pmid", "pmcid"))
_NOT_CSL = frozenset(("id", "type", "extra", "provenance"))


def csl_variable(field_name: str) -> str:
    """The CSL variable name of a `Reference` field (`container_title` -> `container-title`)."""
    if field_name in _UPPER:
        return field_name.upper()
    return field_name.replace("_", "-")


#: Reference field name -> CSL variable name, for every field with a CSL variable.
CSL_VARIABLES: Mapping[str, str] = MappingProxyType(
    {f.name: csl_variable(f.name) for f in fields(Reference) if f.name not in _NOT_CSL}
)
