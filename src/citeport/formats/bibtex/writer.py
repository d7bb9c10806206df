"""BibTeX and BibLaTeX writers (the mapping tables are in `mapping.py`).

Two dialects share one field list:

| model                     | `bibtex` (bibtex, IEEEtran.bst)        | `biblatex` (biber)          |
|---------------------------|----------------------------------------|-----------------------------|
| `type`                    | `BIBTEX_TYPES` (`misc` otherwise)      | `BIBLATEX_TYPES` (`misc`)   |
| `author`, `editor`, ...   | `Family, Jr., Given and ...`           | same                        |
| `title`                   | case-protected LaTeX                   | same                        |
| `container_title`         | `journal` / `booktitle` / ...          | `journaltitle`, `booktitle` |
| `issued`                  | `year`, `month` (macro `mar`)          | `date = {2026-03}` (EDTF)   |
| `accessed`                | `urldate`                              | `urldate`                   |
| `volume`, `issue`, `page` | `volume`, `number`, `pages` (`10--23`) | same                        |
| `publisher_place`         | `address`                              | `location`                  |
| `doi`, `url`, `abstract`  | `doi`, `url`, `abstract`               | same                        |
| `extra["bibtex"]`         | written back as read                   | same                        |

Names keep particles, suffixes, `{Literal names}` and a final `and others`.

Values are written in braces with every special character escaped, so bibtexparser (and
BibTeX) read back exactly the value the model holds. The classic writer spells non-ASCII text
in LaTeX unless `WriteOptions.unicode` is set; the biblatex writer writes UTF-8. A character
with no LaTeX spelling is kept as UTF-8 and reported (BIB001). `extra` of other origins (the
aggregator's bookkeeping) is never written, and each of its fields is reported (BIB004); fields
the model holds that a dialect has no field for are reported (BIB002). A raw TeX span the reader
kept for a command it did not know (`latex.raw_tex`) is written back as it was read, unless it
could break the document or run commands (BIB005: then it is written as text).

Speed: a library names the same people and journals again and again, so a written name
(`_name`) and a written journal title (`_render_repeated`) are cached; both depend on nothing
but the value and the mode, and what they report (characters kept as UTF-8, unsafe math) is
cached with them and reported for each entry. tests/test_bibtex_writer_speed.py checks that the
corpus is written byte for byte the same, with the same diagnostics, with and without them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import IO, Literal

from ...diagnostics import DiagnosticLog, Location
from ...markup import latex
from ...model import Date, Name, Reference
from ...names import mononym
from ...options import WriteOptions
from ...records import RecordWriter, write_records
from ...richtext import RichText
from .mapping import BIBLATEX_TYPES, BIBTEX_TYPES, CODE_FIELDS, ENTRY_TYPES_IN, MONTHS

Dialect = Literal["bibtex", "biblatex"]

#: CSL type -> classic BibTeX entry type and the field the container title goes to.
ENTRY_TYPES = BIBTEX_TYPES


def write(
    refs: Iterable[Reference], out: IO[str], log: DiagnosticLog, options: WriteOptions
) -> int:
    """Write each reference as one classic BibTeX entry; returns the number written."""
    return write_records(BIBTEX_RECORDS, refs, out, log, options)


def write_biblatex(
    refs: Iterable[Reference], out: IO[str], log: DiagnosticLog, options: WriteOptions
) -> int:
    """Write each reference as one BibLaTeX entry (UTF-8, for biber); returns the number."""
    return write_records(BIBLATEX_RECORDS, refs, out, log, options)


#: Stands for the citation key in a rendered entry until the key is known (`records`).
KEY = "\x00key\x00"


def _render_bibtex(ref: Reference, log: DiagnosticLog, options: WriteOptions) -> str:
    return entry(ref, KEY, log, options, "bibtex")


def _render_biblatex(ref: Reference, log: DiagnosticLog, options: WriteOptions) -> str:
    return entry(ref, KEY, log, options, "biblatex")


def _with_key(payload: str, key: str, number: int) -> str:
    return payload.replace(KEY, key, 1)


BIBTEX_RECORDS = RecordWriter(_render_bibtex, _with_key, separator="\n", keyed=True)
BIBLATEX_RECORDS = RecordWriter(_render_biblatex, _with_key, separator="\n", keyed=True)


def _entry_type(ref: Reference, dialect: Dialect) -> tuple[str, str, str]:
    """(entry type, container-title field, publisher field) for a reference."""
    table = BIBTEX_TYPES if dialect == "bibtex" else BIBLATEX_TYPES
    entry_type, container = table.get(ref.type, ("misc", "howpublished"))
    original = ref.extra.get("bibtex", {}).get("@type")
    if isinstance(original, str) and original:
        entry_type = original
        known = ENTRY_TYPES_IN.get(original)
        if known is not None:
            container = known.container
    if container == "journal" and dialect == "biblatex":
        container = "journaltitle"
    known = ENTRY_TYPES_IN.get(entry_type)
    publisher = known.publisher if known else "publisher"
    if dialect == "biblatex" and publisher == "school":
        publisher = "institution"
    if publisher == container:
        container = "booktitle"
    return entry_type, container, publisher


def entry(
    ref: Reference,
    key: str,
    log: DiagnosticLog,
    options: WriteOptions,
    dialect: Dialect = "bibtex",
) -> str:
    """One BibTeX (or BibLaTeX) entry for `ref` under `key`."""
    ascii_only = dialect == "bibtex" and not options.unicode
    entry_type, container_field, publisher_field = _entry_type(ref, dialect)
    unknown: set[str] = set()
    fields: list[tuple[str, str]] = []
    bare: set[str] = set()  # fields written without braces (month macros)
    kept = ref.extra.get("bibtex", {})
    others = str(kept.get("@others", "")).split()
    where = _where(ref)

    def escape_text(value: str) -> str:
        return latex.escape(value, ascii_only, unknown)

    def note(code: str, message: str, field: str) -> None:
        log.report(code, message, Location(where.source, where.line, where.record, field))

    def text(name: str, value: str) -> None:
        if value:
            fields.append((name, latex.escape(value, ascii_only, unknown)))

    def rich(name: str, value: RichText, protect: bool = False, repeats: bool = False) -> None:
        if value:
            render = _render_repeated if repeats else _render
            rendered, missing, unsafe = render(value, protect, ascii_only)
            if missing:
                unknown.update(missing)
            fields.append((name, rendered))
            for what in unsafe:
                note("BIB005", f"{what} written as text", name)

    def people(name: str, value: tuple[Name, ...]) -> None:
        for person in value:
            if person.dropping_particle and not person.literal:
                note(
                    "BIB003",
                    f"dropping particle {person.dropping_particle!r} is written as part of "
                    "the family name",
                    name,
                )
        if value:
            written = names(value, ascii_only, unknown)
            if name in others:
                written += " and others"
            fields.append((name, written))

    def date(name: str, value: Date | None) -> None:
        if value is not None:
            edtf = _edtf(value)
            if edtf:
                fields.append((name, edtf))
            elif value.literal:
                text(name, value.literal)

    if entry_type == "misc" and ref.type != "document" and "@type" not in kept:
        note("BIB003", f"type {ref.type!r} has no {_DIALECT_NAME[dialect]} entry type; "
             "written as @misc", "type")  # fmt: skip
    people("author", ref.author)
    people("editor", ref.editor)
    people("translator", ref.translator)
    people("bookauthor", ref.container_author)
    rich("title", ref.title, protect=True)
    text("shorttitle", ref.title_short)
    rich(container_field, ref.container_title, repeats=True)  # a library's few journals
    text("shortjournal", ref.container_title_short)
    if container_field != "series":
        text("series", ref.collection_title)
    issued = ref.issued
    for date_field, value in (("issued", issued), ("accessed", ref.accessed),
                              ("event_date", ref.event_date)):  # fmt: skip
        if value is not None and value.season:
            note("BIB002", f"season {value.season!r} has no BibTeX field; dropped", date_field)
    if dialect == "biblatex":
        date("date", issued)
    elif issued is not None:
        if issued.year is not None:
            fields.append(("year", str(issued.year)))
            if len(issued.parts) > 1 or issued.circa:
                kept_date = _edtf(issued)
                if kept_date:
                    fields.append(("date", kept_date))
        elif issued.literal:
            text("year", issued.literal)
        if issued.month is not None and not 1 <= issued.month <= 12:
            note("BIB002", f"month {issued.month} is not a month; dropped", "issued")
        elif issued.month is not None:
            fields.append(("month", MONTHS[issued.month - 1]))
            bare.add("month")
            if (
                len(issued.parts) == 1
                and len(issued.parts[0]) > 2
                and not kept.keys() & {"date", "day"}
            ):
                # No classic field holds a day (IEEEtran.bst and BibTeX's styles know none);
                # biblatex keeps it in `date`; a `day` read from BibTeX is written back as read.
                day = issued.parts[0][2]
                note("BIB002", f"day {day} of the date has no classic BibTeX field; dropped",
                     "issued")  # fmt: skip
    text("volume", ref.volume)
    if ref.issue and (ref.number or not ref.type.startswith("article")):
        text("number", ref.number)  # the reader gives `number` to articles only as the issue
        text("issue", ref.issue)
    else:
        if ref.number and ref.type.startswith("article"):
            note("BIB003", "an article's number without an issue is written as `number`, "
                 "which BibTeX reads as the issue", "number")  # fmt: skip
        text("number", ref.issue or ref.number)
    if ref.page:
        fields.append(("pages", _pages(ref.page, ascii_only, unknown)))
    text("pagetotal", ref.number_of_pages)
    text("chapter", ref.chapter_number)
    text("edition", ref.edition)
    text(publisher_field, ref.publisher)
    text("address" if dialect == "bibtex" else "location", ref.publisher_place)
    text("type", ref.genre)
    if container_field != "howpublished":
        text("howpublished", ref.medium)
    elif ref.medium:
        note("BIB002", f"medium has no field of its own in @{entry_type} (howpublished holds "
             "the container title); dropped", "medium")  # fmt: skip
    text("eventtitle", ref.event_title)
    text("venue", ref.event_place)
    date("eventdate", ref.event_date)
    text("pubstate", ref.status)
    text("issn", ref.issn)
    text("isbn", ref.isbn)
    text("language", ref.language)
    text("pmid", ref.pmid)
    text("pmcid", ref.pmcid)
    # doi and url are verbatim fields (biblatex, hyperref): written as they are, but a brace
    # could unbalance the value, so it is percent-encoded as a URL would be.
    if ref.doi:
        fields.append(("doi", _verbatim(ref.doi)))
    if ref.url:
        fields.append(("url", _verbatim(ref.url)))
    date("urldate", ref.accessed)
    if ref.keyword:
        text("keywords", ", ".join(ref.keyword))
    text("note", ref.note)
    rich("abstract", ref.abstract)
    _kept_fields(ref, fields, ascii_only, unknown, log, dialect)
    for namespace, foreign in ref.extra.items():
        if namespace != "bibtex":
            log.report_fields(
                "BIB004",
                where,
                [
                    (name, f"{namespace} field {name!r} has no BibTeX field; dropped")
                    for name in sorted(map(str, foreign))
                ],
            )
    _dropped(ref, log, where)
    if unknown:
        log.report(
            "BIB001",
            f"no LaTeX spelling for {''.join(sorted(unknown))!r}; kept as UTF-8",
            where,
        )
    body = ",\n".join(
        f"  {name} = {value}" if name in bare else f"  {name} = {{{value}}}"
        for name, value in fields
    )
    return f"@{entry_type}{{{key},\n{body}\n}}\n"


def _render(
    value: RichText, protect: bool, ascii_only: bool
) -> tuple[str, set[str] | frozenset[str], tuple[str, ...]]:
    """`latex.render`: the value, the characters kept as UTF-8, what was written as text."""
    unsafe: list[str] = []
    rendered, missing = latex.render(
        value, protect_case=protect, ascii_only=ascii_only, unsafe=unsafe
    )
    return rendered, missing, tuple(unsafe)


@lru_cache(maxsize=4096)
def _render_repeated(
    value: RichText, protect: bool, ascii_only: bool
) -> tuple[str, frozenset[str], tuple[str, ...]]:
    """`_render`, cached, for values that repeat from entry to entry (journal names).

    `latex.render` depends on nothing but its arguments, so a cached answer is the answer.
    """
    rendered, missing, unsafe = _render(value, protect, ascii_only)
    return rendered, frozenset(missing), unsafe


def _kept_fields(
    ref: Reference,
    fields: list[tuple[str, str]],
    ascii_only: bool,
    unknown: set[str],
    log: DiagnosticLog,
    dialect: Dialect,
) -> None:
    """Write back the fields a BibTeX reader kept in `extra["bibtex"]`, as they were read.

    `day` and `date` are kept by the reader too (the classic writer writes `year` and `month`
    from the model) and written back when the model's date has not been written already. Not
    written, and reported: fields that hold code biblatex runs (`CODE_FIELDS`: `execute`,
    BIB006), and a kept field whose name the model's own value has taken (an `address` beside
    the `location` the model read, a `year` the `date` contradicts; BIB007).
    """
    kept = ref.extra.get("bibtex")
    if not kept:
        return
    written = {name for name, _ in fields}
    for name, value in kept.items():
        if name.startswith("@") or not isinstance(value, str):
            continue
        if name.lower() in CODE_FIELDS:
            _kept_note(ref, log, "BIB006", f"field {name!r} holds TeX code biblatex runs; "
                       "not written", name)  # fmt: skip
            continue
        date_written = name in written or (dialect == "biblatex" and "date" in written)
        if name in _DATE_FIELDS and date_written:
            continue  # the model's own date, written already
        taken = name if name in written else None
        if dialect == "biblatex" and name in _IN_BIBLATEX_DATE and "date" in written:
            taken = "date"
        if taken is not None:
            message = f"field {name!r} kept from the input ({value[:60]!r}) not written: "
            _kept_note(ref, log, "BIB007", message + f"`{taken}` holds the model's value", name)
            continue
        if not _balanced(value):
            value = latex.escape(value, ascii_only, unknown)
        elif ascii_only and not value.isascii():
            value = latex.escape_non_ascii(value, unknown)
        fields.append((name, value))
        written.add(name)


def _kept_note(ref: Reference, log: DiagnosticLog, code: str, message: str, field: str) -> None:
    where = _where(ref)
    log.report(code, message, Location(where.source, where.line, where.record, field))


_HYPHENS = re.compile("-+")
_DIALECT_NAME = {"bibtex": "classic BibTeX", "biblatex": "BibLaTeX"}
_IN_BIBLATEX_DATE = frozenset(("year", "month"))
_DATE_FIELDS = frozenset(("date", "day"))


def _pages(page: str, ascii_only: bool, unknown: set[str]) -> str:
    """A page range with each run of hyphens as the range dash (`10--23`), the rest escaped.

    A `latex.is_plain` value ("10-23", most of them) has no part that escaping would change.
    """
    if latex.is_plain(page, ascii_only):
        return _HYPHENS.sub("--", page)
    return "--".join(latex.escape(part, ascii_only, unknown) for part in _HYPHENS.split(page))


def _balanced(value: str) -> bool:
    depth = 0
    previous = ""
    for char in value:
        if previous != "\\":
            if char == "{":
                depth += 1
            elif char == "}":
                depth -= 1
                if depth < 0:
                    return False
        previous = char if previous != "\\" else ""
    return depth == 0


#: Model fields neither dialect writes (and the reason is the same: no BibTeX field).
_NOT_WRITTEN = ("collection_editor", "collection_number", "section", "available_date")


def _dropped(ref: Reference, log: DiagnosticLog, where: Location) -> None:
    dropped = [(name, f"{name} has no BibTeX field; dropped")
               for name in _NOT_WRITTEN if getattr(ref, name)]  # fmt: skip
    if dropped:
        log.report_fields("BIB002", where, dropped)


def _edtf(date: Date) -> str:
    """A date as biblatex writes it: `2026-03-01`, `2026-03`, ranges `a/b`, circa `~`."""
    if not date.parts:
        return ""
    pieces = ["-".join(f"{p:04d}" if i == 0 else f"{p:02d}" for i, p in enumerate(part))
              for part in date.parts]  # fmt: skip
    return "/".join(pieces) + ("~" if date.circa else "")


def names(people: tuple[Name, ...], ascii_only: bool, unknown: set[str]) -> str:
    """Names in BibTeX's "von Last, Jr, First" form, joined with "and"."""
    written: list[str] = []
    for person in people:
        text, missing = _name(person, ascii_only)
        written.append(text)
        if missing:
            unknown.update(missing)
    return " and ".join(written)


@lru_cache(maxsize=4096)
def _name(name: Name, ascii_only: bool) -> tuple[str, frozenset[str]]:
    """One name as BibTeX writes it, and the characters it had to keep as UTF-8.

    Cached: a library names the same people again and again, and spelling a name (escaping,
    LaTeX accents) costs far more than looking it up. The result depends on nothing but the
    name and the mode, so a cached answer is the answer.
    """
    unknown: set[str] = set()
    return _name_text(name, ascii_only, unknown), frozenset(unknown)


def _name_text(name: Name, ascii_only: bool, unknown: set[str]) -> str:
    def part(value: str) -> str:
        escaped = latex.escape(value, ascii_only, unknown)
        # A comma or a lone "and" inside a part would split the name: protect the part.
        if "," in escaped or " and " in f" {escaped} ".lower():
            return f"{{{escaped}}}"
        return escaped

    if name.literal:
        return f"{{{latex.escape(name.literal, ascii_only, unknown)}}}"
    name = mononym(name)  # "Madonna", not ", Madonna": a one-word name is a family name
    family = part(name.family)
    words = family.split()
    if len(words) > 1 and any(w[:1].islower() or w.startswith("{\\") for w in words):
        # Else BibTeX reads a lower-case word as a particle (and bibtexparser a word starting
        # with a special character such as {\O}).
        family = f"{{{family}}}"
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
    elif " " in name.family or name.non_dropping_particle or name.dropping_particle:
        return family + ","  # "von Last,": every word is the family name, none a given name
    return ", ".join(pieces)


def _verbatim(value: str) -> str:
    """A verbatim field (url, doi): braces and backslashes, which would unbalance or escape the
    value's closing brace, are percent-encoded as a URL would have them."""
    return value.replace("\\", "%5C").replace("{", "%7B").replace("}", "%7D")


def _where(ref: Reference) -> Location:
    prov = ref.provenance
    return Location(prov.source if prov else "", prov.line if prov else None, ref.id)
