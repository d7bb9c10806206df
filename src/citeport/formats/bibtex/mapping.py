"""The BibTeX/BibLaTeX <-> model mapping tables, shared by the reader and both writers.

Entry types (`ENTRY_TYPES_IN`: BibTeX/BibLaTeX entry type -> CSL type; `BIBTEX_TYPES` and
`BIBLATEX_TYPES`: CSL type -> entry type for each writer):

| entry type                                   | CSL type             | publisher field |
|----------------------------------------------|----------------------|-----------------|
| article                                      | article-journal      | publisher       |
| inproceedings, conference                    | paper-conference     | publisher       |
| incollection, inbook, bookinbook, suppbook   | chapter              | publisher       |
| book, mvbook, collection, proceedings, ...   | book                 | publisher       |
| booklet                                      | pamphlet             | publisher       |
| phdthesis, mastersthesis, thesis             | thesis               | school          |
| techreport, report                           | report               | institution     |
| manual                                       | report               | organization    |
| misc                                         | document             | publisher       |
| unpublished                                  | manuscript           | publisher       |
| online, electronic, www                      | webpage              | organization    |
| patent, standard, dataset, software          | same name            | publisher       |
| periodical                                   | periodical           | publisher       |
| inreference                                  | entry-encyclopedia   | publisher       |

The entry type is kept in `extra["bibtex"]["@type"]` when the writer would not give it back
from the CSL type alone (`mastersthesis`, `manual`, `conference`...), so BibTeX round trips
keep it. Keys of `extra["bibtex"]` that start with `@` are bookkeeping, never written as fields:
`@type` and `@others` (the name fields that ended in `and others`, the "et al." intent, written
back as `and others`).

Fields (read by `reader.py`; written by `writer.py` in this order):

| BibTeX / BibLaTeX field                | model                                               |
|----------------------------------------|-----------------------------------------------------|
| `author`, `editor`, `translator`       | `author`, `editor`, `translator`                    |
| `bookauthor`                           | `container_author`                                  |
| `title` (+ `subtitle`, `titleaddon`)   | `title` (rich text; `Title: Subtitle. Addon`)       |
| `shorttitle`                           | `title_short`                                       |
| `journaltitle`/`journal`, `booktitle`  | `container_title` (+ `journalsubtitle`/`booksubtitle`) |
| `shortjournal`                         | `container_title_short`                             |
| `series`                               | `collection_title`                                  |
| `date`, `year` + `month` (+ `day`)     | `issued` (month macros `jan`...; EDTF ranges `/`)   |
| `urldate`, `eventdate`                 | `accessed`, `event_date`                            |
| `eventtitle`, `venue`                  | `event_title`, `event_place`                        |
| `volume`, `pages` (`10--23`)           | `volume`, `page` (`10-23`)                          |
| `number` / `issue`                     | `issue` for articles, else `number`                 |
| `pagetotal`, `edition`, `chapter`      | `number_of_pages`, `edition`, `chapter_number`      |
| `publisher`/`school`/`institution`/`organization` | `publisher` (the type's own field first) |
| `location`/`address`                   | `publisher_place`                                   |
| `type`, `howpublished` (not a URL)     | `genre`, `medium`                                   |
| `doi`, `url` (also `\\url{}` in `howpublished`) | `doi` (no resolver prefix), `url`          |
| `isbn`, `issn`, `pmid`, `pmcid`        | `isbn`, `issn`, `pmid`, `pmcid`                     |
| `language`/`langid`                    | `language`                                          |
| `keywords`                             | `keyword` (split at `,` and `;`)                    |
| `note` (+ `addendum`), `abstract`      | `note`, `abstract` (rich text)                      |
| `pubstate`                             | `status`                                            |
| anything else (`eprint`, `eprinttype`...) | `extra["bibtex"]`, as written (LaTeX kept)       |

Where two fields name the same thing, the first of each pair fills the model and the other is
kept in `extra["bibtex"]` when its value differs (an equal value adds nothing): `journaltitle`
over `journal`, either over `booktitle` (an article's `booktitle` stays a field), `location`
over `address`, `langid` over `language`, `date` over `year`/`month` (kept when they say
something else than the date). A `month` without a `year`, and one that is not a month, is kept
as a field as well. The writers write kept fields back, except `CODE_FIELDS` (`execute`) and a
field whose name the model's own value takes in that dialect (both reported).
"""

from __future__ import annotations

from typing import NamedTuple


class EntryType(NamedTuple):
    """How one entry type maps: its CSL type, container-title field and publisher field."""

    csl: str
    container: str
    publisher: str


#: BibTeX/BibLaTeX entry type (lower case) -> how it maps to the model.
ENTRY_TYPES_IN: dict[str, EntryType] = {
    "article": EntryType("article-journal", "journal", "publisher"),
    "inproceedings": EntryType("paper-conference", "booktitle", "publisher"),
    "conference": EntryType("paper-conference", "booktitle", "publisher"),
    "incollection": EntryType("chapter", "booktitle", "publisher"),
    "inbook": EntryType("chapter", "booktitle", "publisher"),
    "bookinbook": EntryType("chapter", "booktitle", "publisher"),
    "suppbook": EntryType("chapter", "booktitle", "publisher"),
    "suppcollection": EntryType("chapter", "booktitle", "publisher"),
    "book": EntryType("book", "booktitle", "publisher"),
    "mvbook": EntryType("book", "booktitle", "publisher"),
    "collection": EntryType("book", "booktitle", "publisher"),
    "mvcollection": EntryType("book", "booktitle", "publisher"),
    "proceedings": EntryType("book", "booktitle", "publisher"),
    "mvproceedings": EntryType("book", "booktitle", "publisher"),
    "reference": EntryType("book", "booktitle", "publisher"),
    "mvreference": EntryType("book", "booktitle", "publisher"),
    "booklet": EntryType("pamphlet", "howpublished", "publisher"),
    "phdthesis": EntryType("thesis", "booktitle", "school"),
    "mastersthesis": EntryType("thesis", "booktitle", "school"),
    "thesis": EntryType("thesis", "booktitle", "institution"),
    "techreport": EntryType("report", "booktitle", "institution"),
    "report": EntryType("report", "booktitle", "institution"),
    "manual": EntryType("report", "booktitle", "organization"),
    "misc": EntryType("document", "howpublished", "publisher"),
    "unpublished": EntryType("manuscript", "howpublished", "publisher"),
    "online": EntryType("webpage", "booktitle", "organization"),
    "electronic": EntryType("webpage", "booktitle", "organization"),
    "www": EntryType("webpage", "booktitle", "organization"),
    "patent": EntryType("patent", "booktitle", "publisher"),
    "standard": EntryType("standard", "booktitle", "publisher"),
    "dataset": EntryType("dataset", "booktitle", "publisher"),
    "software": EntryType("software", "booktitle", "publisher"),
    "periodical": EntryType("periodical", "booktitle", "publisher"),
    "inreference": EntryType("entry-encyclopedia", "booktitle", "publisher"),
}

#: CSL type -> classic BibTeX entry type and the field its container title goes to.
#: Types not listed are written as `misc` with the container in `howpublished`.
BIBTEX_TYPES: dict[str, tuple[str, str]] = {
    "article-journal": ("article", "journal"),
    "article-magazine": ("article", "journal"),
    "article-newspaper": ("article", "journal"),
    "paper-conference": ("inproceedings", "booktitle"),
    "chapter": ("incollection", "booktitle"),
    "book": ("book", "booktitle"),
    "thesis": ("phdthesis", "school"),
    "report": ("techreport", "institution"),
    "manuscript": ("unpublished", "howpublished"),
    "pamphlet": ("booklet", "howpublished"),
    "entry-encyclopedia": ("incollection", "booktitle"),
}

#: CSL type -> BibLaTeX entry type and the field its container title goes to.
BIBLATEX_TYPES: dict[str, tuple[str, str]] = {
    "article-journal": ("article", "journaltitle"),
    "article-magazine": ("article", "journaltitle"),
    "article-newspaper": ("article", "journaltitle"),
    "paper-conference": ("inproceedings", "booktitle"),
    "chapter": ("incollection", "booktitle"),
    "book": ("book", "booktitle"),
    "thesis": ("thesis", "institution"),
    "report": ("report", "institution"),
    "manuscript": ("unpublished", "howpublished"),
    "pamphlet": ("booklet", "howpublished"),
    "webpage": ("online", "organization"),
    "post-weblog": ("online", "organization"),
    "patent": ("patent", "howpublished"),
    "standard": ("standard", "howpublished"),
    "dataset": ("dataset", "howpublished"),
    "software": ("software", "howpublished"),
    "periodical": ("periodical", "howpublished"),
    "entry-encyclopedia": ("inreference", "booktitle"),
}

#: The three-letter month macros every BibTeX style defines.
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")

#: Fields whose value is TeX code biblatex runs when it reads the entry (biblatex's manual,
#: "Special Fields": `execute`). The reader keeps them in extra like any other field; the
#: writers never write them (BIB006): a converted file must not carry code into a document.
CODE_FIELDS = frozenset(("execute",))

#: Fields a crossref/xdata child never inherits (biblatex's rules).
NOT_INHERITED = frozenset(
    """
    ids crossref xref xdata entryset entrysubtype execute label options presort related
    relatedoptions relatedstring relatedtype shorthand shorthandintro sortkey
    """.split()
)
#: Parent type group -> child type group: parent field -> child field (biblatex's rules).
_BOOKS = frozenset("book mvbook collection mvcollection proceedings mvproceedings reference "
                   "mvreference".split())  # fmt: skip
_IN_BOOKS = frozenset("inbook bookinbook suppbook incollection suppcollection inproceedings "
                      "inreference".split())  # fmt: skip
_TITLE_TO_BOOK = {"title": "booktitle", "subtitle": "booksubtitle", "titleaddon": "booktitleaddon"}


def inherited_name(parent_type: str, child_type: str, field: str) -> str | None:
    """The child field a parent's field fills in (None: not inherited)."""
    if field in NOT_INHERITED:
        return None
    if parent_type in _BOOKS and child_type in _IN_BOOKS:
        if field in _TITLE_TO_BOOK:
            return _TITLE_TO_BOOK[field]
        if field in ("shorttitle", "sorttitle", "indextitle", "indexsorttitle"):
            return None
        if field == "author" and child_type in ("inbook", "bookinbook", "suppbook"):
            return "bookauthor"
    if parent_type == "periodical" and child_type == "article":
        return {"title": "journaltitle", "subtitle": "journalsubtitle"}.get(field, field)
    return field
