"""BibTeX (writer).

| model                       | BibTeX                                              |
|-----------------------------|-----------------------------------------------------|
| `type`                      | entry type (see `ENTRY_TYPES`; `misc` otherwise)    |
| `author`, `editor`          | `Family, Given and ...`, particles and Jr. kept     |
| `title`                     | case-protected LaTeX (see `citeport.markup.latex`)  |
| `container_title`           | `journal` / `booktitle` by entry type               |
| `issued`                    | `year`, `month` (month macro `mar`)                 |
| `volume`, `issue`, `page`   | `volume`, `number`, `pages` (`10--23`)              |
| `doi`, `url`, `abstract`    | `doi`, `url`, `abstract`                            |

Values are written in braces with every special character escaped, so bibtexparser (and
BibTeX) read back exactly the value the model holds. Non-ASCII text is spelled in LaTeX unless
`WriteOptions.unicode` is set; a character with no LaTeX spelling is kept as UTF-8 and reported.
Fields the aggregator keeps for its own bookkeeping (`extra`) are not written.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO

from ..diagnostics import DiagnosticLog, Location
from ..keys import CitationKeys
from ..markup import latex
from ..model import Name, Reference
from ..options import WriteOptions
from ..registry import FormatInfo
from ..richtext import RichText

#: CSL type -> BibTeX entry type, and the field the container title goes to.
ENTRY_TYPES: dict[str, tuple[str, str]] = {
    "article-journal": ("article", "journal"),
    "article-magazine": ("article", "journal"),
    "article-newspaper": ("article", "journal"),
    "paper-conference": ("inproceedings", "booktitle"),
    "chapter": ("incollection", "booktitle"),
    "book": ("book", "series"),
    "thesis": ("phdthesis", "school"),
    "report": ("techreport", "institution"),
    "manuscript": ("unpublished", "howpublished"),
}
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def write(
    refs: Iterable[Reference], out: IO[str], log: DiagnosticLog, options: WriteOptions
) -> int:
    """Write each reference as one BibTeX entry; returns the number written."""
    keys = CitationKeys()
    count = 0
    for ref in refs:
        if count:
            out.write("\n")
        out.write(entry(ref, keys.assign(ref), log, options))
        count += 1
    return count


def entry(ref: Reference, key: str, log: DiagnosticLog, options: WriteOptions) -> str:
    """One BibTeX entry for `ref` under `key`."""
    ascii_only = not options.unicode
    entry_type, container_field = ENTRY_TYPES.get(ref.type, ("misc", "howpublished"))
    unknown: set[str] = set()
    fields: list[tuple[str, str]] = []

    def text(name: str, value: str) -> None:
        if value:
            fields.append((name, latex.escape(value, ascii_only, unknown)))

    def rich(name: str, value: RichText, protect: bool = False) -> None:
        if value:
            rendered, missing = latex.render(value, protect_case=protect, ascii_only=ascii_only)
            unknown.update(missing)
            fields.append((name, rendered))

    if ref.author:
        fields.append(("author", names(ref.author, ascii_only, unknown)))
    if ref.editor:
        fields.append(("editor", names(ref.editor, ascii_only, unknown)))
    rich("title", ref.title, protect=True)
    rich(container_field, ref.container_title)
    date = ref.issued
    if date is not None:
        if date.year is not None:
            fields.append(("year", str(date.year)))
        elif date.literal:
            text("year", date.literal)
        if date.month is not None:
            fields.append(("month", MONTHS[date.month - 1]))  # a macro: written without braces
    text("volume", ref.volume)
    text("number", ref.issue or ref.number)
    text("pages", ref.page.replace("-", "--") if "--" not in ref.page else ref.page)
    text("edition", ref.edition)
    text("publisher", ref.publisher)
    text("address", ref.publisher_place)
    text("issn", ref.issn)
    text("isbn", ref.isbn)
    text("language", ref.language)
    # doi and url are verbatim fields (biblatex, hyperref): written as they are, but a brace
    # could unbalance the value, so it is percent-encoded as a URL would be.
    if ref.doi:
        fields.append(("doi", _verbatim(ref.doi)))
    if ref.url:
        fields.append(("url", _verbatim(ref.url)))
    if ref.keyword:
        text("keywords", ", ".join(ref.keyword))
    text("note", ref.note)
    rich("abstract", ref.abstract)
    if unknown:
        log.report(
            "BIB001",
            f"no LaTeX spelling for {''.join(sorted(unknown))!r}; kept as UTF-8",
            _where(ref),
        )
    body = ",\n".join(
        f"  {name} = {value}" if name == "month" else f"  {name} = {{{value}}}"
        for name, value in fields
    )
    return f"@{entry_type}{{{key},\n{body}\n}}\n"


def names(people: tuple[Name, ...], ascii_only: bool, unknown: set[str]) -> str:
    """Names in BibTeX's "von Last, Jr, First" form, joined with "and"."""
    return " and ".join(_name(n, ascii_only, unknown) for n in people)


def _name(name: Name, ascii_only: bool, unknown: set[str]) -> str:
    def part(value: str) -> str:
        escaped = latex.escape(value, ascii_only, unknown)
        # A comma or a lone "and" inside a part would split the name: protect the part.
        if "," in escaped or " and " in f" {escaped} ".lower():
            return f"{{{escaped}}}"
        return escaped

    if name.literal:
        return f"{{{latex.escape(name.literal, ascii_only, unknown)}}}"
    family = part(name.family)
    if name.non_dropping_particle or name.dropping_particle:
        particle = " ".join(p for p in (name.dropping_particle, name.non_dropping_particle) if p)
        family = f"{part(particle)} {family}"
    pieces = [family]
    if name.suffix:
        pieces.append(part(name.suffix))
    if name.given:
        pieces.append(part(name.given))
    elif name.suffix:
        pieces.append("")
    return ", ".join(pieces)


def _verbatim(value: str) -> str:
    return value.replace("{", "%7B").replace("}", "%7D")


def _where(ref: Reference) -> Location:
    prov = ref.provenance
    return Location(prov.source if prov else "", prov.line if prov else None, ref.id)


FORMATS = (
    FormatInfo(
        "bibtex",
        "BibTeX (for bibtex with IEEEtran.bst, and biber)",
        writer=write,
        extensions=(".bib",),
        aliases=("bib",),
    ),
)
