"""MEDLINE/PubMed tagged format (`.nbib`, PubMed's "Save as PubMed"): the reader.

Each line is a tag of up to four letters, padded to four columns, `- `, then the value
(`PMID- 27169098`, `AU  - Shruthi BS`); a line starting with spaces continues the value before
it (PubMed wraps at 88 columns with 6 spaces). Records are separated by blank lines and start
with `PMID-`. The reader is a generator: one record in memory at a time. A UTF-16 input is
decoded (`MED006`); a line that is not UTF-8 is read as Windows-1252 (`MED002`). For `-j`,
`split` cuts an input at blank lines, where the reader starts afresh.

| MEDLINE                     | model                                                        |
|-----------------------------|--------------------------------------------------------------|
| `PMID`                      | `pmid`, `id`                                                 |
| `TI` (`BTI` for books)      | `title`                                                      |
| `FAU` (else `AU`), `CN`     | `author` (`CN`, a collective, as a literal name)             |
| `FED` (else `ED`)           | `editor`                                                     |
| `JT` / `TA`                 | `container_title` / `container_title_short`                  |
| `DP`                        | `issued` ("2016 Apr 19", "2011 Spring"; ranges: see `dp`)    |
| `VI`, `IP`, `PG`            | `volume`, `issue`, `page` ("1166-74" -> "1166-1174")         |
| `LID`/`AID` `... [doi]`     | `doi`                                                        |
| `IS` (first)                | `issn` (without "(Linking)")                                 |
| `AB`, `OT`, `MH`            | `abstract`, `keyword`                                        |
| `PT`                        | `type` (see `PUBLICATION_TYPES`; else `article-journal`)     |
| `LA`, `PMC`, `PB`, `PL`     | `language`, `pmcid`, `publisher`, `publisher_place`          |
| `EN`, `CTI`                 | `edition`, `collection_title`                                |
| everything else, repeats    | `extra["medline"]` {tag: values}                             |
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from typing import IO, Any

from ..diagnostics import DiagnosticLog, Location
from ..model import Date, Name, Provenance, Reference
from ..registry import FormatInfo
from ..richtext import text
from .chunks import after_lines
from .encoding import decoded, head_text
from .ris import MONTHS, SEASONS, ris_name

NAME = "medline"

#: Publication type (`PT`, lower case) -> CSL type; the first known one wins.
PUBLICATION_TYPES: dict[str, str] = {
    "journal article": "article-journal",
    "review": "article-journal",
    "preprint": "article",
    "congress": "paper-conference",
    "book": "book",
    "book chapter": "chapter",
    "dataset": "dataset",
    "newspaper article": "article-newspaper",
    "technical report": "report",
    "dissertation": "thesis",
    "academic dissertation": "thesis",
}

_TAG = re.compile(r"^([A-Z][A-Z0-9]{0,3}) {0,3}- ?(.*)$")
#: A whole `DP`: a date, then optionally "-" and the end of a range (a year with month and day,
#: a month with a day, or a day).
_DP = re.compile(
    r"^\s*(\d{4})(?:\s+([A-Za-z]+|\d{1,2})(?:\s+(\d{1,2}))?)?"
    r"(?:\s*-\s*(?:(\d{4})(?:\s+([A-Za-z]+)(?:\s+(\d{1,2}))?)?|([A-Za-z]+)(?:\s+(\d{1,2}))?"
    r"|(\d{1,2})))?\s*$"
)
#: The start of a `DP` that is not all understood: year, then perhaps month and day.
_DP_START = re.compile(r"^\s*(\d{4})(?:\s+([A-Za-z]+|\d{1,2})(?:\s+(\d{1,2}))?)?(?!\w)")
_LONG_TAG = re.compile(r"^(?:[A-Z]{3} |[A-Z]{4})- ")
_DOI = re.compile(r"^\s*(?:(?:https?://)?(?:dx\.)?doi\.org/|doi:\s*)?(10\.\d{4,}/\S+)\s*$", re.I)
_ID_KIND = re.compile(r"^(.*?)\s*\[([a-z-]+)\]\s*$")
_PAGES = re.compile(r"^(\d+)-(\d+)$")


def sniff(head: bytes) -> int:
    """How sure we are (0-100) that `head` is MEDLINE: `PMID-`, or tags of 3-4 letters padded
    to four columns (`OWN - `, `FAU - `), which RIS (two-letter tags) never has."""
    lines = head_text(head).splitlines()[:80]
    if any(line.startswith("PMID-") for line in lines):
        return 95
    return 80 if any(_LONG_TAG.match(line) for line in lines) else 0


def read(
    stream: IO[bytes], source: str, log: DiagnosticLog, first_line: int | None = None
) -> Iterator[Reference]:
    """Yield one `Reference` per MEDLINE record of `stream`; report what is odd or left out.

    With `first_line`, `stream` is a chunk of a file (`split`) starting at that line, in
    UTF-8 (`split` leaves a UTF-16 file whole)."""
    fields: list[tuple[str, list[str]]] = []
    start = end = 0
    has_pmid = False
    if first_line is None:
        stream = decoded(stream, source, log, "MED006")
    for number, raw in enumerate(stream, start=first_line or 1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError:
            log.report(
                "MED002", "line is not valid UTF-8; read as Windows-1252", Location(source, number)
            )
            line = raw.decode("cp1252", "replace")
        line = line.replace("\ufeff", "").rstrip("\r\n")
        if not line.strip():
            if fields:
                yield from _finish(fields, source, start, end, log)
                fields, has_pmid = [], False
            continue
        match = None if line[:1].isspace() else _TAG.match(line)
        if match is None:
            if fields:
                # a piece of the value before, joined in _finish (linear in the line count)
                fields[-1][1].append(line.strip())
                end = number
            else:
                excerpt = line.strip()[:40]
                where = Location(source, number)
                log.report("MED001", f"text outside a record ignored ({excerpt!r})", where)
            continue
        tag, value = match.group(1), match.group(2).strip()
        if tag == "PMID" and has_pmid:
            yield from _finish(fields, source, start, end, log)
            fields, has_pmid = [], False
        if not fields:
            start = number
        has_pmid = has_pmid or tag == "PMID"
        fields.append((tag, [value]))
        end = number
    if fields:
        yield from _finish(fields, source, start, end, log)


#: A line `read` takes for blank, where it has finished any record: nothing carries over.
_BLANK_LINE = re.compile(rb"[ \t]*\r?\n")


def split(stream: IO[bytes], size: int) -> Iterator[tuple[bytes, dict[str, Any]]] | None:
    """Cut a MEDLINE input into chunks of about `size` bytes that `read` reads as it reads them
    in the whole input (`chunks.after_lines`; None for a UTF-16 input, which is read whole).

    A chunk ends after a blank line, where `read` has finished any record and starts afresh
    (PubMed puts one between records). An input without one is one chunk.
    """
    return after_lines(stream, size, _BLANK_LINE)


def _finish(
    fields: list[tuple[str, list[str]]], source: str, start: int, end: int, log: DiagnosticLog
) -> Iterator[Reference]:
    values: dict[str, list[str]] = {}
    for tag, pieces in fields:
        value = " ".join(piece for piece in pieces if piece)
        if value:
            values.setdefault(tag, []).append(value)

    def first(*tags: str) -> str:
        for tag in tags:
            got = values.get(tag)
            if got:
                value = got.pop(0)
                if not got:
                    del values[tag]
                return value
        return ""

    def take(*tags: str) -> list[str]:
        out: list[str] = []
        for tag in tags:
            out.extend(values.pop(tag, ()))
        return out

    pmid = first("PMID")
    rid = pmid or f"line-{start}"
    where = Location(source, start, rid)
    if not values and not pmid:
        log.skip("MED005", "record holds no data, skipped", where)
        return
    if not pmid:
        log.report("MED004", "record has no PMID; its id is its line", where)
    kind = _type(values.get("PT", ()), bool(values.get("BTI")) and not values.get("TI"))
    title = " ".join(take("TI")) or first("BTI")
    # FAU holds the full names, AU the same names with initials: one of the two is read.
    authors = _names(take("FAU") or take("AU"))
    values.pop("AU", None)
    authors += tuple(Name(literal=c) for c in take("CN"))
    editors = _names(take("FED") or take("ED"))
    values.pop("ED", None)
    container = first("JT")
    short = first("TA")
    if not container:
        container, short = short, ""
    doi = _doi(values)
    issn = first("IS")
    abstract = " ".join(take("AB"))
    yield Reference(
        id=rid,
        type=kind,
        title=text(title),
        author=authors,
        editor=editors,
        container_title=text(container),
        container_title_short=short,
        collection_title=first("CTI"),
        volume=first("VI"),
        issue=first("IP"),
        page=_page(first("PG")),
        edition=first("EN"),
        issued=_date(first("DP"), where, values, log),
        publisher=first("PB"),
        publisher_place=first("PL"),
        doi=doi,
        issn=re.sub(r"\s*\([^)]*\)\s*$", "", issn),
        pmid=pmid,
        pmcid=first("PMC"),
        language=first("LA"),
        abstract=text(abstract),
        keyword=tuple(take("OT", "MH")),
        extra={NAME: {tag: tuple(v) for tag, v in values.items()}} if values else {},
        provenance=Provenance(source, start, end),
    )


def _names(values: list[str]) -> tuple[Name, ...]:
    names = (ris_name(v) for v in values)
    return tuple(n for n in names if n is not None)


def _type(types: list[str] | tuple[str, ...], book: bool) -> str:
    for value in types:
        kind = PUBLICATION_TYPES.get(value.strip().lower())
        if kind:
            return kind
    return "book" if book else "article-journal"


def _doi(values: dict[str, list[str]]) -> str:
    """The first `... [doi]` among `LID` then `AID`, else the first that is a DOI or a doi.org
    link (ERIC writes those); the others stay in extra."""
    for pick in ("kind", "shape"):
        for tag in ("LID", "AID"):
            for i, value in enumerate(values.get(tag, ())):
                match = _ID_KIND.match(value)
                if pick == "kind" and match and match.group(2) == "doi":
                    found = match.group(1)
                elif pick == "shape" and not match and _DOI.match(value):
                    found = _DOI.match(value).group(1)  # type: ignore[union-attr]
                else:
                    continue
                del values[tag][i]
                if not values[tag]:
                    del values[tag]
                return found
    return ""


def _page(value: str) -> str:
    """MEDLINE abbreviates the last page ("1166-74"); write it out ("1166-1174")."""
    match = _PAGES.match(value.strip())
    if match:
        first, last = match.groups()
        if len(last) < len(first):
            last = first[: len(first) - len(last)] + last
        return first if first == last else f"{first}-{last}"
    return value.strip()


def _date(
    value: str, where: Location, values: dict[str, list[str]], log: DiagnosticLog
) -> Date | None:
    """`DP` as a `Date` (see `dp`); what is not understood is reported and `DP` kept in extra."""
    if not value:
        return None
    at = Location(where.source, where.line, where.record, "DP")
    found = dp(value)
    if found is not None:
        return found
    start = _DP_START.match(value)
    if start is None:
        log.report("MED003", f"date {value!r} has no year; kept as written", at)
        return Date(literal=value)
    year, month, day = start.groups()
    partial = _point(year, month, day) or _point(year, month, None) or _point(year, None, None)
    assert partial is not None  # a year alone is always a date
    values.setdefault("DP", []).append(value)
    log.report(
        "MED007",
        f"date {value!r} only partly understood; read as {_show(partial)}, DP kept in extra",
        at,
    )
    return partial


def dp(value: str) -> Date | None:
    """A whole MEDLINE `DP`, or None when some of it is not understood.

    "2016", "2016 Apr", "2016 Apr 19", "2013 06 10", "2011 Spring"; ranges "2011 Jan-Feb",
    "2016 Apr 19-25", "2016 Apr 28-May 3", "2011 Dec-2012 Jan", "1998-1999" (two date-parts) and
    "2011 Fall-Winter" (one year, the season "Fall-Winter").
    """
    match = _DP.match(value)
    if match is None:
        return None
    year, month, day, year2, month2, day2, month3, day3, day4 = match.groups()
    first = _point(year, month, day)
    if first is None:
        return None
    if year2 is not None:
        last = _point(year2, month2, day2)
    elif month3 is not None:
        last = _point(year, month3, day3)
    elif day4 is not None:
        last = _point(year, month, day4) if day is not None else None
    else:
        return first
    if last is None or bool(first.season) != bool(last.season):
        return None
    if first.season:
        season = first.season if first.season == last.season else f"{first.season}-{last.season}"
        parts = first.parts if first.parts == last.parts else first.parts + last.parts
        return Date(parts=parts, season=season)
    if len(first.parts[0]) != len(last.parts[0]) or last.parts[0] <= first.parts[0]:
        return None
    return Date(parts=first.parts + last.parts)


def _point(year: str, month: str | None, day: str | None) -> Date | None:
    """One date of a `DP`: year, month (a name, a season or a number), day; None if invalid."""
    if month is None:
        return Date(parts=((int(year),),))
    if month.isdigit():
        number: int | None = int(month)
    else:
        number = MONTHS.get(month[:3].lower()) if len(month) >= 3 else None
    if number is None:
        if month.lower() in SEASONS and day is None:
            return Date(parts=((int(year),),), season=month.capitalize())
        return None
    if not 1 <= number <= 12:
        return None
    if day is None:
        return Date(parts=((int(year), number),))
    if not 1 <= int(day) <= calendar.monthrange(int(year), number)[1]:
        return None
    return Date(parts=((int(year), number, int(day)),))


def _show(value: Date) -> str:
    shown = "-".join(str(p) for p in value.parts[0])
    return f"{shown} ({value.season})" if value.season else shown


FORMATS = (
    FormatInfo(
        NAME,
        "MEDLINE/PubMed tagged records (.nbib)",
        reader=read,
        sniff=sniff,
        extensions=(".nbib", ".medline"),
        aliases=("nbib", "pubmed"),
        split=split,
    ),
)
