"""RIS: the reader of every dialect seen in the wild, and one writer all managers import.

Reader (`read`, a generator: one record in memory at a time). Tags are two characters, then one
or two spaces, `-` and the value; a line that is not a tag continues the tag before it (as a
further value for the list tags `KW SN UR L1-L4 DB AD C1`, EndNote style, else joined with a
space). A record is opened by `TY` and closed by `ER`; a record without `ER` ends at the next
`TY` or at the end of the input and is kept with a warning; exports without `TY` lines open a
record at any tag and are read as generic documents (reported). A BOM, CRLF, blank lines and
text between records ("Record #3 of 18", "6.") are accepted; the text is reported. For `-j`,
`split` cuts an input after `ER` lines into chunks `read` reads from their first line on.

| RIS                         | model                                                        |
|-----------------------------|--------------------------------------------------------------|
| `TY`                        | `type` (see `READ_TYPES`; unknown or absent: `document`)     |
| `AU`, `A1` / `A2`, `ED` / `A3` / `A4` | `author` / `editor` / `collection_editor` / `translator` |
| `TI`, `T1` (`BT` for books) | `title`                                                      |
| `T2`, `JF` (`JO` alone)     | `container_title` (`T2` of a book is its series)             |
| `J2`, `JA`, `J1` (`JO` beside a full name) | `container_title_short`                       |
| `T3`                        | `collection_title`                                           |
| `C3` of a conference paper | `container_title` (its `T2` is then `event_title`; Zotero)   |
| `ST`                        | `title_short`                                                |
| `PY`, `Y1`, `DA`            | `issued`: `YYYY/MM/DD/other`; `DA` refines `PY` of its year  |
| `Y2`                        | `accessed` (a `YYYY/MM/DD/` date; else kept in `extra`)      |
| `SP`, `EP`                  | `page` (`SP` may hold the whole range)                       |
| `VL`, `IS`, `M1`, `ET`      | `volume`, `issue`, `number`, `edition`                       |
| `DO` (else a DOI in `M3`, or a doi.org link) | `doi`                                       |
| `UR` (else `L2`)            | `url` (further links, `L1`-`L4`, stay in `extra`)            |
| `AB`, `N2`                  | `abstract`                                                   |
| `KW`                        | `keyword` (one per tag or line)                              |
| `SN`                        | `isbn` (book types, ISBN-shaped) or `issn`                   |
| `PB`, `CY` (else `PP`)      | `publisher`, `publisher_place`                               |
| `LA`, `M3`, `N1`            | `language`, `genre`, `note`                                  |
| everything else, repeats    | `extra["ris"]` {tag: values} (`ID` also gives `id`)          |

Writer (`write`): the tags that Zotero, EndNote and Mendeley all import the same way.

| model                 | RIS                                                    |
|-----------------------|--------------------------------------------------------|
| `type`                | `TY` (see `TYPES`; `GEN` otherwise)                    |
| `author`, `editor`    | `AU`, `A2`: one per name, "Family, Given[, Suffix]"    |
| `collection_editor`, `translator` | `A3`, `A4`                                 |
| `title`, `title_short` | `TI` (markup flattened to Unicode; math as `$TeX$`), `ST` |
| `container_title`     | `T2` (full journal name; none for a book: its `T2` is its series) |
| `container_title_short` | `J2`                                                 |
| `collection_title`    | `T3`                                                   |
| `issued`              | `PY` (year) and `DA` (`YYYY/MM/DD/season`; see below)  |
| `accessed`            | `Y2`                                                   |
| `volume`, `issue`     | `VL`, `IS`                                             |
| `page`                | `SP`, `EP`                                             |
| `number`, `edition`, `genre` | `M1`, `ET`, `M3`                                |
| `doi`, `url`          | `DO`, `UR`                                             |
| `abstract`, `keyword` | `AB`, `KW` (one per keyword)                           |
| `issn`, `isbn`, `publisher`, `publisher_place` | `SN` (each), `PB`, `CY`       |
| `language`, `note`    | `LA`, `N1`                                             |
| `extra["ris"]`        | the tags it holds, as read                             |

Other populated fields (`container_author`, `pmid`, `event_title`, ...) have no tag all three
managers read; each is reported (`RIS001`), and so is what a RIS date cannot hold (the end of a
range, `circa`, a month out of 1-12, a day out of 1-31, a year out of `YYYY`; years are written
with four digits, `0042`) and a book's `container_title` (a book's `T2` is its series). A name
without a given name or suffix keeps its comma when it has several words ("van Gogh,"), so it
is not read back as "Given Family". Lines end in CRLF, as the RIS specification asks.
A value never contains a line break (it would start a fake tag): line breaks become spaces.

Profiles (`PROFILES`; `record(ref, profile)`): the default above, and one per consumer that
reads some tags its own way, each difference checked in that consumer's import filter. A field
a profile cannot place is left out and reported (`RIS009`).

| profile    | differences from the default (why: `Profile.why`)                        |
|------------|--------------------------------------------------------------------------|
| `endnote`  | web page `TY  - WEB`                                                     |
| `zotero`   | a conference paper's proceedings title in `C3` (`T2`: conference name)  |
| `mendeley` | conference paper `CONF`; `PY` only (Mendeley reads `DA` as accessed)     |
| `jabref`   | `CONF`; editors `ED`, translators `TA`, no `A3` (JabRef makes `A2`-`A4`  |
|            | authors); book and proceedings titles `BT`; one `Y1` date; no `J2`, `Y2` |
| `pandoc`   | web page `TY  - WEB` (pandoc has no `ELEC`); place `PP` (it reads no `CY`) |
"""

from __future__ import annotations

import re
from collections.abc import Generator, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from dataclasses import field as _field
from typing import IO, Any

from .. import registry
from ..diagnostics import DiagnosticLog, Location
from ..model import Date, Name, Provenance, Reference
from ..names import mononym, parse_name
from ..options import WriteOptions
from ..records import RecordWriter, write_records
from ..registry import FormatInfo
from ..richtext import plain, text
from .chunks import after_lines
from .encoding import decoded, head_text

NAME = "ris"

#: CSL type -> RIS type.
TYPES: dict[str, str] = {
    "article-journal": "JOUR",
    "article-magazine": "MGZN",
    "article-newspaper": "NEWS",
    "paper-conference": "CPAPER",
    "book": "BOOK",
    "chapter": "CHAP",
    "thesis": "THES",
    "report": "RPRT",
    "webpage": "ELEC",
    "post-weblog": "BLOG",
    "dataset": "DATA",
    "software": "COMP",
    "patent": "PAT",
    "standard": "STAND",
    "manuscript": "UNPB",
    "bill": "BILL",
    "legal_case": "CASE",
    "map": "MAP",
    "motion_picture": "MPCT",
    "entry-dictionary": "DICT",
    "entry-encyclopedia": "ENCYC",
    "figure": "FIGURE",
    "graphic": "ART",
    "hearing": "HEAR",
    "legislation": "LEGAL",
    "musical_score": "MUSIC",
    "pamphlet": "PAMP",
    "personal_communication": "PCOMM",
    "song": "SOUND",
    "speech": "SLIDE",
    "classic": "CLSWK",
}
#: Populated fields with no RIS tag the three managers agree on: reported when dropped.
UNWRITTEN = (
    "container_author", "chapter_number", "number_of_pages", "section", "medium", "status",
    "available_date", "event_title", "event_place", "event_date", "pmid", "pmcid",
)  # fmt: skip
#: Model field -> RIS tag, as the default profile writes it (`issued` and `page` aside).
TAGS: dict[str, str] = {
    "author": "AU", "editor": "A2", "collection_editor": "A3", "translator": "A4",
    "title": "TI", "title_short": "ST", "container_title": "T2", "container_title_short": "J2",
    "collection_title": "T3", "accessed": "Y2", "volume": "VL", "issue": "IS", "number": "M1",
    "genre": "M3", "edition": "ET", "publisher": "PB", "publisher_place": "CY", "issn": "SN",
    "isbn": "SN", "doi": "DO", "url": "UR", "language": "LA", "abstract": "AB", "keyword": "KW",
    "note": "N1",
}  # fmt: skip


@dataclass(frozen=True, slots=True, kw_only=True)
class Profile:
    """What one consumer needs written differently from the default RIS record.

    Attributes:
        target: the program that reads the output (for help texts and diagnostics).
        types: CSL type -> `TY`, over `TYPES`.
        tags: model field -> tag, over `TAGS`; None: every tag the target reads for it would
            land in the wrong field, so it is not written (and reported, `RIS009`).
        container: CSL type -> the tag of `container_title` for that type, instead of `T2`.
        date: `"PY DA"` (the year, then the full `YYYY/MM/DD/other` date), `"PY"` (the year
            only: the target reads `DA` as another date) or `"Y1"` (one full date, the tag
            the target ranks first).
        why: the source of each difference (the target's import filter).
    """

    target: str
    types: Mapping[str, str] = _field(default_factory=dict)
    tags: Mapping[str, str | None] = _field(default_factory=dict)
    container: Mapping[str, str] = _field(default_factory=dict)
    date: str = "PY DA"
    why: str = ""


#: The RIS writer's profiles by name (`--ris-profile NAME`). `default` is what Zotero, EndNote
#: and Mendeley all import alike; the others change only what their target reads differently,
#: each difference checked in the target's import filter (`why`).
PROFILES: dict[str, Profile] = {
    "default": Profile(target="Zotero, EndNote, Mendeley"),
    "endnote": Profile(
        target="EndNote",
        types={"webpage": "WEB"},
        why="EndNote's web page type is WEB (not in the RIS specification; Zotero's RIS import "
        "notes it as EndNote's). EndNote writes and reads IS for the issue (its exports in the "
        "asreview corpus); the M1 issue Zotero still reads is an old EndNote habit.",
    ),
    "zotero": Profile(
        target="Zotero",
        container={"paper-conference": "C3"},
        why="Zotero's RIS import reads T2 of a conference paper as the conference name and C3 "
        "as the proceedings title (its CSL container-title).",
    ),
    "mendeley": Profile(
        target="Mendeley",
        types={"paper-conference": "CONF"},
        date="PY",
        why="Mendeley reads DA as the access date and knows CONF, not CPAPER (its import table "
        "as published by third parties; Mendeley's own exports write PY/Y1 and CONF).",
    ),
    "jabref": Profile(
        target="JabRef",
        types={"paper-conference": "CONF"},
        tags={
            "editor": "ED",
            "translator": "TA",
            "collection_editor": None,
            "container_title_short": None,
            "accessed": None,
        },
        container={"paper-conference": "BT", "chapter": "BT"},
        date="Y1",
        why="JabRef's RisImporter reads CONF (CPAPER becomes misc); folds A2-A4 into the "
        "authors (ED is the editor, TA the translator); takes the booktitle only from BT (T2 "
        "and J2 become the journal); ranks Y1 first and takes the month from that tag only, and "
        "takes the year from Y2 (the access date) when nothing ranks higher.",
    ),
    "pandoc": Profile(
        target="pandoc",
        types={"webpage": "WEB"},
        tags={"publisher_place": "PP"},
        why="pandoc's RIS reader knows WEB but not ELEC (a web page becomes misc) and reads "
        "the place of publication from PP, not CY.",
    ),
}
#: Every character Python's `str.splitlines` (and so many readers) breaks a line at.
_BREAKS = re.compile(r"\s*[\r\n\v\f\x1c-\x1e\x85\u2028\u2029]+\s*")
_PAGE_RANGE = re.compile(r"^([^-–]+?)\s*[-–]+\s*(\S.*)$")
CRLF = "\r\n"


def write(
    refs: Iterable[Reference], out: IO[str], log: DiagnosticLog, options: WriteOptions
) -> int:
    """Write each reference as one RIS record; returns the number written."""
    return write_records(RECORDS, refs, out, log, options)


def _render(ref: Reference, log: DiagnosticLog, options: WriteOptions) -> str | None:
    """One record's text, with a report for each field RIS has no tag for."""
    text = record(ref, options.ris_profile, log)
    where = Location(_source(ref), _line(ref), ref.id)
    log.report_fields(
        "RIS001",
        where,
        [(field, f"{field} has no RIS tag; dropped") for field in UNWRITTEN if getattr(ref, field)],
    )
    for namespace, fields in ref.extra.items():
        if namespace != NAME:
            log.report_fields(
                "RIS011",
                where,
                [
                    (name, f"{namespace} field {name!r} has no RIS tag; dropped")
                    for name in sorted(map(str, fields))
                ],
            )
    if text.count(CRLF) <= 2:  # TY and ER only: a reader would take it for no record at all
        log.report("RIS010", "reference holds nothing RIS can write; left out", where)
        return None
    return text


RECORDS = RecordWriter(render=_render, separator=CRLF)


def _source(ref: Reference) -> str:
    return ref.provenance.source if ref.provenance else ""


def _line(ref: Reference) -> int | None:
    return ref.provenance.line if ref.provenance else None


def record(ref: Reference, profile: str = "default", log: DiagnosticLog | None = None) -> str:
    """One RIS record, from `TY` to `ER`, each line ending in CRLF.

    Args:
        ref: the reference to write.
        profile: a name in `PROFILES`: the tags its target program reads.
        log: where to report the fields the profile leaves out (`RIS009`); the fields RIS
            has no tag for at all (`UNWRITTEN`) are the caller's to report (`RIS001`).

    Raises:
        ValueError: `profile` is not in `PROFILES` (a usage error, not bad input).
    """
    chosen = PROFILES.get(profile)
    if chosen is None:
        raise ValueError(f"unknown RIS profile {profile!r}; one of {', '.join(PROFILES)}")
    tags = {**TAGS, **chosen.tags}
    lines: list[str] = [f"TY  - {chosen.types.get(ref.type) or TYPES.get(ref.type, 'GEN')}"]

    def dropped(name: str, what: str) -> None:
        if log is not None:
            log.report(
                "RIS009",
                f"{name}: {chosen.target} reads {what} (RIS profile {profile!r})",
                Location(_source(ref), _line(ref), ref.id, name),
            )

    def tag(name: str, value: str, field_name: str = "") -> None:
        if not value:
            return
        value = _one_line(value)
        if not value:  # an empty tag would read back as no value (a record of one: no record)
            return
        if field_name:
            mapped = tags[field_name]
            if mapped is None:
                dropped(field_name, "no tag for it; dropped")
                return
            name = mapped
        lines.append(f"{name}  - {value}")

    for key in ("author", "editor", "collection_editor", "translator"):
        for name in getattr(ref, key):
            tag("", _name(name), key)
    tag("", plain(ref.title), "title")
    tag("", ref.title_short, "title_short")
    container = chosen.container.get(ref.type)
    if container:
        tag(container, plain(ref.container_title))
    elif ref.type in _SERIES_T2 and tags["container_title"] == "T2":
        if ref.container_title and log is not None:  # a book's T2 is read as its series
            log.report(
                "RIS001",
                "container_title of a book has no RIS tag (T2 is the series); dropped",
                Location(_source(ref), _line(ref), ref.id, "container_title"),
            )
    else:
        tag("", plain(ref.container_title), "container_title")
    tag("", ref.container_title_short, "container_title_short")
    tag("", ref.collection_title, "collection_title")
    date = _writable(ref.issued, "issued", ref, log)
    if date is not None and date.year is not None:
        if chosen.date == "Y1":
            tag("Y1", _da(date))
        else:
            tag("PY", _year(date.year))
            if chosen.date == "PY DA":
                tag("DA", _da(date))
            elif len(date.parts[0]) > 1 or len(date.parts) > 1 or date.season:
                dropped("issued", f"only the year; {_da(date)!r} written as PY {date.year}")
    elif date is not None and date.literal:
        tag("Y1" if chosen.date == "Y1" else "PY", date.literal)
    accessed = _writable(ref.accessed, "accessed", ref, log)
    if accessed is not None and accessed.year is not None:
        tag("", _da(accessed), "accessed")
    tag("", ref.volume, "volume")
    tag("", ref.issue, "issue")
    page = _one_line(ref.page)  # "\n-0" is the page "-0", not a range from a line break
    if page:
        match = _PAGE_RANGE.match(page)
        if match:
            tag("SP", match.group(1))
            tag("EP", match.group(2))
        else:
            tag("SP", page)
    for key in ("number", "genre", "edition", "publisher", "publisher_place", "issn", "isbn"):
        tag("", getattr(ref, key), key)
    for key in ("doi", "url", "language"):
        tag("", getattr(ref, key), key)
    tag("", plain(ref.abstract), "abstract")
    for keyword in ref.keyword:
        tag("", keyword, "keyword")
    tag("", ref.note, "note")
    kept = ref.extra.get(NAME, {})
    for key, values in kept.items():
        if isinstance(key, str) and _TAG.match(f"{key}  - ") and key not in ("TY", "ER"):
            for value in values if isinstance(values, (list, tuple)) else (values,):
                tag(key, str(value))
    if len(lines) == 1 and ref.id.strip():
        # Nothing else to say: the reference's id keeps the record from reading back as empty.
        lines.append(f"ID  - {_BREAKS.sub(' ', ref.id).strip()}")
    lines.append("ER  - ")
    return CRLF.join(lines) + CRLF


def _writable(
    date: Date | None, field: str, ref: Reference, log: DiagnosticLog | None
) -> Date | None:
    """`date` cut to what a RIS date holds, each part cut off reported (`RIS001`).

    RIS has one date, `YYYY/MM/DD/other`: the end of a range, `circa`, a month out of 1-12 and
    a day out of 1-31 (with what follows it) have no place; a year out of 0-9999 is written as
    it is, but reported (it is no `YYYY`).
    """
    if date is None or date.year is None:
        return date
    first = date.parts[0]
    lost: list[str] = []
    if len(date.parts) > 1:
        lost.append(f"the end of the range {'-'.join(map(str, date.parts[1]))}")
    if date.circa:
        lost.append("circa")
    if not 0 <= first[0] <= 9999:
        lost.append(f"the year {first[0]} as a YYYY year")
    kept = first[:1]
    if len(first) > 1 and not 1 <= first[1] <= 12:
        lost.append(f"the month {first[1]}" + (f" and day {first[2]}" if len(first) > 2 else ""))
    elif len(first) > 2 and not 1 <= first[2] <= 31:
        kept = first[:2]
        lost.append(f"the day {first[2]}")
    else:
        kept = first[:3]
    if lost and log is not None:
        log.report(
            "RIS001",
            f"{field}: {', '.join(lost)} not expressible in a RIS date; dropped",
            Location(_source(ref), _line(ref), ref.id, field),
        )
    if date.parts == (kept,) and not date.circa:
        return date  # the common case: nothing to cut
    return replace(date, parts=(kept,), circa=False)


def _year(year: int) -> str:
    """The year as RIS writes it: four digits (`0042`) when it has at most four."""
    return f"{year:04d}" if 0 <= year <= 9999 else str(year)


def _da(date: Date) -> str:
    """`YYYY/MM/DD/other` (the 2011 specification: four parts, any but the year may be empty).

    The first date of a range; the season in the last part.
    """
    first = [f"{p:02d}" if i else _year(p) for i, p in enumerate(date.parts[0][:3])]
    first += [""] * (3 - len(first))
    return "/".join(first) + "/" + date.season


def _name(name: Name) -> str:
    if name.literal:
        return name.literal
    # Parts on one line, single spaces; a part of only spaces is no part ("\n, , Jr." would
    # read back as the family name "Jr.").
    family = " ".join(name.family.split())
    given = " ".join(name.given.split())
    dropping = " ".join(name.dropping_particle.split())
    particle = " ".join(name.non_dropping_particle.split())
    suffix = " ".join(name.suffix.split())
    if not (family or dropping or particle):  # "AU  - Madonna", not "AU  - , Madonna"
        alone = mononym(Name(given=given, suffix=suffix))
        family, given, suffix = alone.family, alone.given, alone.suffix
    parts = [f"{particle} {family}" if particle else family]  # `Name.family_full`
    if given or suffix:
        parts.append(given)
    if suffix:
        parts.append(suffix)
    elif not given and len(parts[0].split()) > 1:
        # "van Gogh,": without the comma a reader takes "van" for the family ("Given Family").
        parts.append("")
    return ", ".join(parts)


def _one_line(value: str) -> str:
    """The value on one line: a line break inside a value would start a fake tag."""
    return _BREAKS.sub(" ", value).strip() if not value.isprintable() else value.strip()


# ---------------------------------------------------------------------------------------------
# Reader
# ---------------------------------------------------------------------------------------------

#: RIS type -> CSL type (the 2011 specification's codes and the older ones still exported).
READ_TYPES: dict[str, str] = {
    "JOUR": "article-journal",
    "JFULL": "article-journal",
    "EJOUR": "article-journal",
    "ABST": "article-journal",
    "INPR": "article-journal",
    "MGZN": "article-magazine",
    "NEWS": "article-newspaper",
    "CONF": "paper-conference",
    "CPAPER": "paper-conference",
    "BOOK": "book",
    "EBOOK": "book",
    "EDBOOK": "book",
    "CTLG": "book",
    "SER": "book",
    "CHAP": "chapter",
    "ECHAP": "chapter",
    "THES": "thesis",
    "RPRT": "report",
    "GOVDOC": "report",
    "GRANT": "report",
    "ELEC": "webpage",
    "WEB": "webpage",
    "BLOG": "post-weblog",
    "GEN": "document",
    "PAT": "patent",
    "STAND": "standard",
    "DATA": "dataset",
    "DBASE": "dataset",
    "AGGR": "dataset",
    "COMP": "software",
    "UNPB": "manuscript",
    "MANSCPT": "manuscript",
    "BILL": "bill",
    "CASE": "legal_case",
    "LEGAL": "legislation",
    "STAT": "legislation",
    "HEAR": "hearing",
    "MAP": "map",
    "MPCT": "motion_picture",
    "VIDEO": "motion_picture",
    "ADVS": "motion_picture",
    "SOUND": "song",
    "MUSIC": "musical_score",
    "ART": "graphic",
    "CHART": "graphic",
    "FIGURE": "figure",
    "DICT": "entry-dictionary",
    "ENCYC": "entry-encyclopedia",
    "PAMP": "pamphlet",
    "PCOMM": "personal_communication",
    "ICOMM": "personal_communication",
    "SLIDE": "speech",
    "CLSWK": "classic",
    "ANCIENT": "classic",
}
#: Types whose `T2` is a series title rather than a container.
_SERIES_T2 = frozenset(("book",))
#: Tags whose continuation lines are further values (EndNote writes keywords one per line).
LIST_TAGS = frozenset(("KW", "SN", "UR", "L1", "L2", "L3", "L4", "DB", "AD", "C1"))

_TAG = re.compile(r"^([A-Z][A-Z0-9]) {1,2}-(?: ?(.*))?$")
_MEDLINE_TAG = re.compile(r"^(?:[A-Z]{3} |[A-Z]{4})- ")
_DOI = re.compile(r"^\s*(?:(?:https?://)?(?:dx\.)?doi\.org/|doi:\s*)?(10\.\d{4,}/\S+)\s*$", re.I)
_DOI_IN_URL = re.compile(r"^\s*https?://(?:dx\.)?doi\.org/(10\.\d{4,}/\S+)\s*$", re.I)
_ISBN = re.compile(r"^(?:ISBN[:\s]*)?(?:97[89][- ]?)?(?:\d[- ]?){9}[\dXx]$")
_INITIALS = re.compile(r"^[A-Z]{1,3}$")
_RIS_DATE = re.compile(r"^\s*(\d{4})?(?:[/-](\d{1,2})?(?:[/-](\d{1,2})?(?:/(.*))?)?)?\s*$")
_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")
_MONTH_DAY = re.compile(r"^\s*([A-Za-z]{3})[a-z]*\.?(?:[\s-]+(\d{1,2}))?\s*$")
MONTHS = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}
SEASONS = {"spring": 13, "summer": 14, "fall": 15, "autumn": 15, "winter": 16}


def sniff(head: bytes) -> int:
    """How sure we are (0-100) that `head` is RIS: tag lines, and a `TY` among them."""
    text = head_text(head)
    lines = text.splitlines()[:80]
    if any(line.startswith("PMID-") or _MEDLINE_TAG.match(line) for line in lines):
        return 10  # MEDLINE/PubMed (tags of 3-4 letters): its own reader
    tags = [m.group(1) for m in map(_TAG.match, lines) if m]
    if "TY" in tags and len(tags) >= 2:
        return 90
    if "ER" in tags and len(tags) >= 3:
        return 70
    return 40 if len(tags) >= 3 else 0


class _Record:
    """The raw tags of one record while it is being read: [tag, [values], line] rows."""

    __slots__ = ("end", "fields", "start", "ty")

    def __init__(self, start: int) -> None:
        self.start = start
        self.end = start
        self.ty: str | None = None
        self.fields: list[tuple[str, list[str], int]] = []


def read(
    stream: IO[bytes], source: str, log: DiagnosticLog, first_line: int | None = None
) -> Generator[Reference, None, int]:
    """Yield one `Reference` per RIS record of `stream`; report what is odd or left out.

    One record is held at a time. A record is opened by `TY` (or, in exports without `TY`, by
    any tag) and closed by `ER`, by the next `TY`, or by the end of the input. A line that is
    not a tag continues the tag before it; text outside records is reported and ignored.

    With `first_line`, `stream` is a chunk of a file (`split`) starting at that line of the
    file: line numbers (and the `line-N` ids they make) are the file's, the chunk is read as
    UTF-8 (`split` checked the whole file's encoding), and the record numbers in messages (`RIS008`)
    count from the chunk's start (`Joiner` makes them the file's). The generator returns the
    number of records it counted.
    """
    current: _Record | None = None
    junk: list[int | str] | None = None  # first line, its text, lines in the run
    index = 0
    if first_line is None:
        stream = decoded(stream, source, log, "RIS012")
    for number, line in _text_lines(stream, source, log, first_line or 1):
        match = _TAG.match(line)
        if match is None:
            if not line.strip():
                continue
            if current is not None and current.fields:
                # a further value of a list tag, else a piece of the value: joined by _Tags
                # (appending keeps a value wrapped over many lines linear in time)
                current.fields[-1][1].append(line.strip())
                current.end = number
            elif junk is None:
                junk = [number, line.strip(), 1]
            else:
                junk[2] = int(junk[2]) + 1
            continue
        if junk is not None:
            _report_junk(junk, source, log)
            junk = None
        tag, value = match.group(1), (match.group(2) or "").strip()
        if tag == "TY":
            if current is not None:
                _no_er(current, source, f"at the next TY (line {number})", log)
                index += 1
                yield from _finish(current, source, index, log)
            current = _Record(number)
            current.ty = value
        elif tag == "ER":
            if current is None:
                log.report("RIS005", "ER outside a record ignored", Location(source, number))
                continue
            current.end = number
            index += 1
            yield from _finish(current, source, index, log)
            current = None
        else:
            if current is None:
                current = _Record(number)
            current.fields.append((tag, [value], number))
            current.end = number
    if junk is not None:
        _report_junk(junk, source, log)
    if current is not None:
        _no_er(current, source, "at the end of the input", log)
        index += 1
        yield from _finish(current, source, index, log)
    return index


#: A line `read` takes for an `ER` tag and nothing else (no lone CR that could start a tag).
_ER_LINE = re.compile(rb"ER {1,2}-[^\r\n]*\r?\n")


def split(stream: IO[bytes], size: int) -> Iterator[tuple[bytes, dict[str, Any]]] | None:
    """Cut a RIS input into chunks of about `size` bytes that `read` reads as it reads them in
    the whole input (`chunks.after_lines`; None for a UTF-16 input, which is read whole).

    A chunk ends after an `ER` line, where `read` has closed any record and reported any text
    before it, so nothing of the reader's state but the record count (`Joiner`) carries over.
    An input without such a line is one chunk.
    """
    return after_lines(stream, size, _ER_LINE)


class Joiner(registry.Joiner):
    """Counts the records of a split input's chunks, so a chunk's record numbers (`RIS008`)
    are counted from the input's start."""

    codes = frozenset({"RIS008"})

    def __init__(self) -> None:
        self.before = 0

    def message(self, code: str, message: str, where: Location) -> str | None:
        if code != "RIS008" or not self.before:
            return message
        number, rest = message.removeprefix("record ").split(" ", 1)
        return f"record {int(number) + self.before} {rest}"

    def add(self, result: Any) -> None:
        self.before += result  # the records the chunk's reader counted


def _text_lines(
    stream: IO[bytes], source: str, log: DiagnosticLog, first_line: int = 1
) -> Iterator[tuple[int, str]]:
    """(line number, text) of each line. A lone CR followed by a tag ends a line too (Web of
    Science exports separate some tags with it: `WE  - ...\\rAN  - WOS:...`); the pieces keep
    the line's number."""
    for number, raw in enumerate(stream, start=first_line):
        line = _decode(raw, source, number, log).replace("\ufeff", "").rstrip("\r\n")
        if "\r" not in line:
            yield number, line
            continue
        pieces = line.split("\r")
        current = pieces[0]
        for piece in pieces[1:]:
            if _TAG.match(piece):
                yield number, current
                current = piece
            else:
                current += "\r" + piece
        yield number, current


def _decode(raw: bytes, source: str, number: int, log: DiagnosticLog) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        log.report(
            "RIS006", "line is not valid UTF-8; read as Windows-1252", Location(source, number)
        )
        return raw.decode("cp1252", "replace")


def _report_junk(junk: list[int | str], source: str, log: DiagnosticLog) -> None:
    number, text, count = junk
    excerpt = str(text) if len(str(text)) <= 40 else str(text)[:37] + "..."
    lines = f"{count} lines of text" if count != 1 else "text"
    log.report(
        "RIS005", f"{lines} outside a record ignored ({excerpt!r})", Location(source, int(number))
    )


def _no_er(record: _Record, source: str, where: str, log: DiagnosticLog) -> None:
    rid = next((v[0] for t, v, _ in record.fields if t == "ID" and v and v[0]), "")
    log.report(
        "RIS002",
        f"record starting at line {record.start} has no ER; it ends {where} and is kept",
        Location(source, record.start, rid or f"line-{record.start}"),
    )


class _Tags:
    """The values of one record by tag; `take` consumes them, the rest goes to `extra`.

    Each row holds a tag's value and its continuation lines: further values of a list tag
    (`LIST_TAGS`), else pieces of one value, joined with a space.
    """

    def __init__(self, fields: list[tuple[str, list[str], int]]) -> None:
        self.values: dict[str, list[str]] = {}
        for tag, values, _ in fields:
            if tag in LIST_TAGS:
                kept = [v for v in values if v]
            else:
                joined = " ".join(v for v in values if v)
                kept = [joined] if joined else []
            if kept:
                self.values.setdefault(tag, []).extend(kept)

    def first(self, *tags: str) -> str:
        """Take and return the first value of the first of `tags` that has one."""
        for tag in tags:
            values = self.values.get(tag)
            if values:
                value = values.pop(0)
                if not values:
                    del self.values[tag]
                return value
        return ""

    def peek(self, tag: str) -> str:
        values = self.values.get(tag)
        return values[0] if values else ""

    def all(self, *tags: str) -> list[str]:
        """Take every value of `tags`, in tag order."""
        out: list[str] = []
        for tag in tags:
            out.extend(self.values.pop(tag, ()))
        return out


def _finish(record: _Record, source: str, index: int, log: DiagnosticLog) -> Iterator[Reference]:
    """Turn one raw record into a Reference (or report why not)."""
    tags = _Tags(record.fields)
    rid = tags.peek("ID") or f"line-{record.start}"
    where = Location(source, record.start, rid)
    if not tags.values:
        log.skip("RIS008", f"record {index} holds no data, skipped", where)
        return
    ty = (record.ty or "").strip().upper()
    if record.ty is None:
        kind = "document"
        log.report("RIS003", "record has no TY; read as a generic document", where)
    elif ty in READ_TYPES:
        kind = READ_TYPES[ty]
    else:
        kind = "document"
        log.report("RIS004", f"unknown RIS type {ty!r}; read as a generic document", where)
    yield _reference(tags, kind, rid, where, Provenance(source, record.start, record.end), log)


def _reference(
    tags: _Tags, kind: str, rid: str, where: Location, provenance: Provenance, log: DiagnosticLog
) -> Reference:
    title = tags.first("TI", "T1")
    if not title and kind == "book":
        title = tags.first("BT")
    series = ""
    if kind in _SERIES_T2:
        series = tags.first("T2")
    container, short = _journal(tags, kind)
    event = ""
    if kind == "paper-conference" and tags.peek("C3"):
        # Zotero: C3 is the proceedings title, T2 then the conference name.
        event, container = container, tags.first("C3")
    if not container and kind != "book":
        container = tags.first("BT")
    issued = _issued(tags, where, log)
    accessed = _accessed(tags)
    doi = _doi(tags)
    url = tags.first("UR") or tags.first("L2")
    sn = tags.first("SN")
    issn = isbn = ""
    if sn:
        if _ISBN.match(sn.replace("-", "").replace(" ", "")) or kind in ("book", "chapter"):
            isbn = sn
        else:
            issn = sn
    abstract = tags.first("AB", "N2")
    return Reference(
        id=rid,
        type=kind,
        title=text(" ".join(title.split())),
        title_short=tags.first("ST"),
        author=_names(tags.all("AU", "A1")),
        editor=_names(tags.all("A2", "ED")),
        collection_editor=_names(tags.all("A3")),
        translator=_names(tags.all("A4")),
        container_title=text(" ".join(container.split())),
        container_title_short=short,
        event_title=event,
        collection_title=series or tags.first("T3"),
        volume=tags.first("VL"),
        issue=tags.first("IS"),
        page=_page(tags),
        number=tags.first("M1"),
        edition=tags.first("ET"),
        genre=tags.first("M3"),
        issued=issued,
        accessed=accessed,
        publisher=tags.first("PB"),
        publisher_place=tags.first("CY", "PP"),
        doi=doi,
        url=url,
        issn=issn,
        isbn=isbn,
        language=tags.first("LA"),
        abstract=text(abstract),
        keyword=tuple(tags.all("KW")),
        note=tags.first("N1"),
        extra={NAME: {tag: tuple(values) for tag, values in tags.values.items()}}
        if tags.values
        else {},
        provenance=provenance,
    )


def _journal(tags: _Tags, kind: str) -> tuple[str, str]:
    """Full journal name and abbreviation, by the dialect the record shows.

    `JF` and `T2` are full names; `J2`, `JA` and `J1` abbreviations; `JO` is an abbreviation
    when a full name is also given (Zotero, CINAHL, Embase) and the full name otherwise
    (Google Scholar, Covidence, JabRef).
    """
    full = tags.first("JF") if kind in _SERIES_T2 else tags.first("T2", "JF")
    short = tags.first("J2", "JA", "J1", "JO") if full else ""
    if not full:
        full = tags.first("JO", "JA", "J1", "J2")
        short = tags.first("J2", "JA", "J1")
    if short == full:
        short = ""
    return full, short


def _issued(tags: _Tags, where: Location, log: DiagnosticLog) -> Date | None:
    """`PY` (or `Y1`) gives the year; a `DA` of the same year adds month and day.

    A `DA` of another year is not the publication date (Mendeley writes the access date there)
    and stays in `extra`; a `DA` without a year (Web of Science's `SEP 22`) takes `PY`'s.
    """
    py_value = next(
        (v for t in ("PY", "Y1") for v in tags.values.get(t, ()) if _ris_date(v).parts),
        "",
    )
    if py_value:
        tag = "PY" if py_value in tags.values.get("PY", ()) else "Y1"
        tags.values[tag].remove(py_value)
        if not tags.values[tag]:
            del tags.values[tag]
    else:
        py_value = tags.first("PY", "Y1")
    py = _ris_date(py_value) if py_value else None
    da_value = tags.peek("DA")
    if da_value:
        da = _ris_date(da_value)
        if not da.parts and py is not None and py.year is not None:
            da = _month_day(da_value, py.year)
        if da.parts and (py is None or not py.parts or da.year == py.year):
            tags.first("DA")
            if py is None or not py.parts or len(da.parts[0]) >= len(py.parts[0]):
                return da
    if py is None:
        return None
    if not py.parts:
        log.report(
            "RIS007",
            f"date {py_value!r} has no year; kept as written",
            Location(where.source, where.line, where.record, "PY"),
        )
        return Date(literal=py_value)
    return py


def _accessed(tags: _Tags) -> Date | None:
    """`Y2`, the access date (Zotero, EndNote), when it is a date; else it stays in `extra`."""
    value = tags.peek("Y2")
    date = _ris_date(value) if value else Date()
    if not date.parts:
        return None
    tags.first("Y2")
    return date


def _ris_date(value: str) -> Date:
    """`YYYY/MM/DD/other` (any part may be empty), `YYYY-MM-DD`, or text holding a year."""
    match = _RIS_DATE.match(value)
    if match and match.group(1):
        year, month, day, other = match.groups()
        parts = [int(year)]
        if month and 1 <= int(month) <= 12:
            parts.append(int(month))
            if day and 1 <= int(day) <= 31:
                parts.append(int(day))
        season = (other or "").strip()
        return Date(parts=(tuple(parts),), season=season)
    found = _YEAR.search(value)
    if found is None:
        return Date()
    month_day = _month_day(value.replace(found.group(1), " ").strip(" ,/"), int(found.group(1)))
    return month_day if month_day.parts else Date(parts=((int(found.group(1)),),))


def _month_day(value: str, year: int) -> Date:
    """A Web of Science style `SEP 22` / `DEC` with the year from `PY`."""
    match = _MONTH_DAY.match(value)
    if not match:
        season = SEASONS.get(value.strip().lower())
        return Date(parts=((year,),), season=value.strip()) if season else Date()
    month = MONTHS.get(match.group(1).lower())
    if month is None:
        return Date()
    day = match.group(2)
    if day and 1 <= int(day) <= 31:
        return Date(parts=((year, month, int(day)),))
    return Date(parts=((year, month),))


def _page(tags: _Tags) -> str:
    start = tags.first("SP")
    end = tags.first("EP")
    if start and end:
        if _PAGE_RANGE.match(start):
            tags.values.setdefault("EP", []).append(end)
            return start
        return start if start == end else f"{start}-{end}"
    return start or end


def _doi(tags: _Tags) -> str:
    """`DO`; else an `M3` that is a DOI (Zotero, JabRef); else a doi.org link."""
    value = tags.first("DO")
    if value:
        match = _DOI.match(value)
        return match.group(1) if match else value
    m3 = tags.peek("M3")
    if m3 and _DOI.match(m3):
        return _DOI.match(tags.first("M3")).group(1)  # type: ignore[union-attr]
    for tag in ("UR", "L2", "L3"):
        for link in tags.values.get(tag, ()):
            match = _DOI_IN_URL.match(link)
            if match:
                return match.group(1)
    return ""


def _names(values: list[str]) -> tuple[Name, ...]:
    names = (ris_name(v) for v in values)
    return tuple(n for n in names if n is not None)


def ris_name(raw: str) -> Name | None:
    """One RIS/MEDLINE name: "Family, Given[, Suffix]", "Family GM" (PubMed) or "Given Family"."""
    value = " ".join(raw.split())
    if not value:
        return None
    if "," not in value:
        tokens = value.split(" ")
        cut = len(tokens)
        while cut > 1 and _INITIALS.match(tokens[cut - 1]):
            cut -= 1
        if cut < len(tokens):
            letters = "".join(tokens[cut:])
            return Name(family=" ".join(tokens[:cut]), given=" ".join(f"{c}." for c in letters))
    parts = [p.strip() for p in value.split(",")]
    if len(parts) == 3 and parts[2]:
        # RIS order is "Family, Given, Suffix" (BibTeX's is "Family, Suffix, Given").
        name = parse_name(f"{parts[0]}, {parts[1]}")
        return replace(name, suffix=parts[2]) if name is not None else None
    return parse_name(value)


FORMATS = (
    FormatInfo(
        NAME,
        "RIS (Zotero, EndNote, Mendeley, databases)",
        reader=read,
        writer=write,
        records=RECORDS,
        sniff=sniff,
        extensions=(".ris",),
        split=split,
        joiner=Joiner,
    ),
)
