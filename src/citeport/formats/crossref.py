"""Crossref REST API works JSON (reader).

Input is what `api.crossref.org/works` answers: a single work, `{"message": work}`, a list
response `{"message": {"items": [work, ...]}}` (or `{"items": [...]}`), or JSON lines of works
(or of responses). The first non-blank line decides: when it is a whole JSON object and another
non-blank line follows, the input is JSON lines, streamed a line at a time (each line reported
with its number); otherwise it is one JSON document, which is read and parsed whole (a response
holds at most 1,000 works, the API's page size). A UTF-16 input is decoded (`XREF009`). For
`-j`, `split` cuts JSON lines into chunks of whole lines.

| Crossref work field                          | model                                          |
|----------------------------------------------|------------------------------------------------|
| `type` (`TYPES`)                             | `type` (`journal-article` -> article-journal)   |
| `title[0]` + `subtitle[0]`                   | `title` ("Title: Subtitle"; JATS, MathML)       |
| `short-title[0]`                             | `title_short`                                  |
| `author`, `editor`, `translator`, `chair`    | names (`name`: literal); ORCID etc. in extra   |
| `container-title[0]`                         | `container_title` (journal, book, proceedings) |
| `short-container-title[0]`                   | `container_title_short`                        |
| `volume`, `issue` (else `journal-issue.issue`) | `volume`, `issue`                            |
| `page`; `article-number`                     | `page`; `number`                               |
| `published-print`, `published-online`, `issued` | `issued` (the first present, in that order) |
| `date-parts` months 13-16, 21-24             | `Date.season` (CSL's seasons; see `csljson`)   |
| `DOI` (a doi.org link made bare)             | `doi` (`ids.normalise_doi`)                    |
| `URL`, `ISSN`, `ISBN`                        | `url`, `issn`, `isbn` (lists: ", ")            |
| `publisher`, `publisher-location`            | `publisher`, `publisher_place`                 |
| `abstract` (JATS)                            | `abstract`                                     |
| `language`, `subject`                        | `language`, `keyword`                          |
| `edition-number`                             | `edition`                                      |
| `event.name`, `event.location`, `event.start`/`end` | `event_title`, `event_place`, `event_date` |

Everything else a work holds is kept in `extra["crossref"]` (CSL-JSON writes it under `custom`),
except Crossref's own bookkeeping (`DROPPED`: index dates, counts, the reference list, links
for text mining), which is dropped with one INFO diagnostic per field dropped.
A month or day out of range is dropped from its date, which is kept in extra (`XREF007`).

Titles and abstracts are JATS: `citeport.markup.html` parses them. MathML (`<mml:math>`) is
turned into TeX first (`mathml_to_tex`), so it becomes a `Math` node rather than loose text.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import IO, Any

import orjson

from ..diagnostics import DiagnosticLog, Location
from ..ids import normalise_doi
from ..markup import html, mathml
from ..model import Date, Name, Provenance, Reference
from ..names import parse_name
from ..registry import FormatInfo
from ..richtext import RichText, Text, concat
from .csljson import check_parts
from .encoding import decoded, utf16

NAME = "crossref"

#: Crossref work type -> CSL item type.
TYPES: dict[str, str] = {
    "journal-article": "article-journal",
    "proceedings-article": "paper-conference",
    "book-chapter": "chapter",
    "book-section": "chapter",
    "book-part": "chapter",
    "book-track": "chapter",
    "book": "book",
    "edited-book": "book",
    "monograph": "book",
    "reference-book": "book",
    "book-set": "book",
    "book-series": "book",
    "proceedings": "book",
    "proceedings-series": "book",
    "reference-entry": "entry",
    "posted-content": "article",
    "dataset": "dataset",
    "database": "dataset",
    "report": "report",
    "report-component": "report",
    "report-series": "report",
    "standard": "standard",
    "standard-series": "standard",
    "dissertation": "thesis",
    "peer-review": "review",
    "journal": "periodical",
    "journal-issue": "periodical",
    "journal-volume": "periodical",
    "component": "document",
    "grant": "document",
    "other": "document",
}

#: Crossref's bookkeeping: dropped, and named in one INFO diagnostic per work.
DROPPED = frozenset(
    """
    indexed deposited created score reference reference-count references-count
    is-referenced-by-count content-domain link member prefix source resource issn-type
    isbn-type published update-policy
    """.split()
)

#: Fields mapped into typed slots (everything else but DROPPED goes to extra).
MAPPED = frozenset(
    """
    type title subtitle short-title author editor translator chair container-title
    short-container-title volume issue page article-number published-print published-online
    issued DOI URL ISSN ISBN publisher publisher-location abstract language subject
    edition-number event journal-issue
    """.split()
)

_MARKS = (
    b'"message-type"',
    b'"indexed"',
    b'"deposited"',
    b'"reference-count"',
    b'"is-referenced-by-count"',
    b'"short-container-title"',
    b'"published-print"',
    b'"published-online"',
    b'"content-domain"',
)
_LIST_TITLE = re.compile(rb'"(?:container-title|title)"\s*:\s*\[')


def sniff(head: bytes) -> int:
    """How sure we are (0-100) that `head` is a Crossref API response or work.

    The `message-type` envelope settles it; otherwise the fields only Crossref writes (`indexed`,
    `deposited`, `reference-count`...) and titles given as lists count. A JSON array is never a
    Crossref response (it is CSL-JSON's shape).
    """
    codec = utf16(head[:64])
    if codec is not None:
        head = head.decode(codec, "replace").encode("utf-8")
    body = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not body.startswith(b"{"):
        return 0
    if b'"message-type"' in body:
        return 95
    score = sum(15 for mark in _MARKS if mark in body)
    if _LIST_TITLE.search(body):
        score += 30
    if b'"items"' in body and score:
        score += 10
    return min(score, 90)


def read(
    stream: IO[bytes], source: str, log: DiagnosticLog, first_line: int | None = None
) -> Iterator[Reference]:
    """Yield one `Reference` per Crossref work in `stream`; report and skip the rest.

    JSON lines are streamed; a single JSON document is read whole (see the module docstring).
    With `first_line`, `stream` is a chunk of JSON lines (`split`) starting at that line.
    """
    if first_line is not None and first_line > 1:
        yield from _read_lines((), iter(stream), first_line - 1, source, log)
        return
    lines = iter(decoded(stream, source, log, "XREF009") if first_line is None else stream)
    first, number = _next_text(lines, 0)
    if first is None:
        return
    first = first.removeprefix(b"\xef\xbb\xbf")
    if first_line is not None:  # the first chunk of JSON lines
        yield from _read_lines(((number, first),), lines, number, source, log)
        return
    if _starts_lines(first):
        second, second_number = _next_text(lines, number)
        if second is not None:
            rows = [(number, first), (second_number, second)]
            yield from _read_lines(rows, lines, second_number, source, log)
            return
        data = first
    else:
        data = first + b"".join(lines)
    try:
        doc = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        log.skip("XREF001", f"input is not JSON ({exc.msg}); nothing read", Location(source, 1))
        return
    works, where = _works(doc)
    if works is None:
        log.skip("XREF002", f"{where}; nothing read", Location(source, 1))
        return
    for index, work in enumerate(works):
        pointer = f"{where}/{index}" if where else ""
        ref = _one(work, pointer, f"work-{index + 1}", source, None, log)
        if ref is not None:
            yield ref


def split(stream: IO[bytes], size: int) -> Iterator[tuple[bytes, dict[str, Any]]] | None:
    """Cut a Crossref input into chunks of about `size` bytes that `read` reads as it reads
    them in the whole input: (bytes, `read`'s keyword arguments) pairs, in order; None
    (nothing read) for a UTF-16 input, which is read whole.

    JSON lines (decided as `read` decides, on the first two lines that are not blank) are cut
    into chunks of whole lines; one JSON document is one chunk, read whole.
    """
    buffered = stream if isinstance(stream, io.BufferedReader) else io.BufferedReader(stream)  # type: ignore[type-var]
    if utf16(buffered.peek(64)[:64]) is not None:
        return None
    return _chunks(buffered, size)


def _chunks(stream: IO[bytes], size: int) -> Iterator[tuple[bytes, dict[str, Any]]]:
    head: list[bytes] = []  # the lines read to decide, as `read` decides
    texts = 0  # of them not blank
    for raw in stream:
        head.append(raw)
        if raw.strip():
            texts += 1
            if texts == 2 or not _starts_lines(raw.removeprefix(b"\xef\xbb\xbf")):
                break
    if texts < 2:  # one document (its first line is not a whole object, or it is alone)
        yield b"".join(head) + stream.read(), {}
        return
    rest = size - sum(map(len, head))
    first_line, lines = 1, head + (stream.readlines(rest) if rest > 0 else [])
    while lines:
        yield b"".join(lines), {"first_line": first_line}
        first_line += len(lines)
        lines = stream.readlines(size)


def _starts_lines(first: bytes) -> bool:
    """Whether the first line that is not blank starts JSON lines (when another follows)."""
    return first.lstrip().startswith(b"{") and _is_object(first)


def _next_text(lines: Iterator[bytes], number: int) -> tuple[bytes | None, int]:
    """The next non-blank line and its number, or (None, number) at the end of the input."""
    for raw in lines:
        number += 1
        if raw.strip():
            return raw, number
    return None, number


def _is_object(line: bytes) -> bool:
    try:
        return isinstance(orjson.loads(line), dict)
    except orjson.JSONDecodeError:
        return False


def _read_lines(
    rows: Iterable[tuple[int, bytes]],
    rest: Iterator[bytes],
    number: int,
    source: str,
    log: DiagnosticLog,
) -> Iterator[Reference]:
    """JSON lines: the numbered `rows` already read, then the lines of `rest`, one at a time.

    A line holds a work or a response (a work in `message`, or a list of them).
    """

    def numbered() -> Iterator[tuple[int, bytes]]:
        yield from rows
        yield from enumerate(rest, start=number + 1)

    for line, raw in numbered():
        if not raw.strip():
            continue
        where = Location(source, line)
        try:
            doc = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            log.skip("XREF001", f"line is not JSON ({exc.msg}), skipped", where)
            continue
        works, prefix = _works(doc)
        if works is None:
            log.skip("XREF002", f"{prefix}, skipped", where)
            continue
        listed = prefix.endswith("/items")
        for index, work in enumerate(works):
            pointer = f"{prefix}/{index}" if listed else prefix
            fallback = f"work-{line}-{index + 1}" if listed else f"work-{line}"
            ref = _one(work, pointer, fallback, source, line, log)
            if ref is not None:
                yield ref


def _works(doc: Any) -> tuple[list[Any] | None, str]:
    """The works of a response and their JSON pointer prefix, or None and why not."""
    if not isinstance(doc, dict):
        kind = "a JSON array" if isinstance(doc, list) else "not a JSON object"
        return None, f"input is {kind}, not a Crossref response (CSL-JSON?)"
    prefix = ""
    if "message" in doc:
        if doc.get("status") not in (None, "ok"):
            return None, f"Crossref answered status {doc.get('status')!r}: {doc.get('message')!r}"
        doc, prefix = doc["message"], "/message"
        if not isinstance(doc, dict):
            return None, "message is not an object"
    if "items" in doc:
        items = doc["items"]
        if not isinstance(items, list):
            return None, f"{prefix}/items is not a list"
        return items, f"{prefix}/items"
    if not any(key in doc for key in ("DOI", "title", "type", "container-title")):
        return None, "object is not a Crossref work (no DOI, title or type)"
    return [doc], prefix


def _one(
    work: Any, pointer: str, fallback: str, source: str, line: int | None, log: DiagnosticLog
) -> Reference | None:
    if not isinstance(work, dict):
        log.skip(
            "XREF002",
            f"{pointer or '/'} is {type(work).__name__}, not a Crossref work, skipped",
            Location(source, line),
        )
        return None
    doi = work.get("DOI")
    rid = normalise_doi(doi) if isinstance(doi, str) else ""
    rid = rid or fallback
    return _Work(work, pointer, Location(source, line, rid), log).reference()


class _Work:
    """Mapping of one Crossref work, with what goes to extra."""

    def __init__(
        self, work: Mapping[str, Any], pointer: str, where: Location, log: DiagnosticLog
    ) -> None:
        self.work = work
        self.pointer = pointer
        self.where = where
        self.log = log
        self.extra: dict[str, Any] = {}

    def at(self, field: str) -> Location:
        return Location(self.where.source, self.where.line, self.where.record, field)

    def unexpected(self, field: str, value: Any, expected: str) -> None:
        self.extra[field] = value
        self.log.report(
            "XREF004",
            f"{self.pointer}/{field} is {type(value).__name__}, expected {expected}; kept in extra",
            self.at(field),
        )

    def reference(self) -> Reference:
        work = self.work
        title = self.rich("title")
        subtitle = self.rich("subtitle")
        if title and subtitle:
            title = _concat(title, (Text(": "),), subtitle)
        for key in sorted(k for k in work if k in DROPPED and work[k] not in (None, "", [], {})):
            self.log.report("XREF005", f"Crossref bookkeeping {key!r} dropped", self.at(key))
        for key, value in work.items():
            if key not in MAPPED and key not in DROPPED and value not in (None, "", [], {}):
                self.extra[key] = value
        raw_type = work.get("type")
        ref_type = TYPES.get(raw_type) if isinstance(raw_type, str) else None
        if ref_type is None:
            ref_type = "document"
            self.log.report(
                "XREF003", f"type {raw_type!r} is unknown; read as document", self.at("type")
            )
        issue = self.string("issue")
        if not issue:
            journal_issue = work.get("journal-issue")
            if isinstance(journal_issue, Mapping) and isinstance(journal_issue.get("issue"), str):
                issue = journal_issue["issue"]
        event_title, event_place, event_date = self.event()
        authors = self.names("author")
        editors = self.names("editor")
        translators = self.names("translator")
        chairs = self.names("chair")
        if chairs:
            self.extra["chair"] = [_name_text(n) for n in chairs]
        return Reference(
            id=self.where.record or "",
            type=ref_type,
            title=title,
            title_short=self.first("short-title"),
            author=authors,
            editor=editors,
            translator=translators,
            container_title=self.rich("container-title"),
            container_title_short=self.first("short-container-title"),
            volume=self.string("volume"),
            issue=issue,
            page=self.string("page"),
            number=self.string("article-number"),
            edition=self.string("edition-number"),
            issued=self.issued(),
            event_title=event_title,
            event_place=event_place,
            event_date=event_date,
            publisher=self.string("publisher"),
            publisher_place=self.string("publisher-location"),
            doi=self.doi(),
            url=self.string("URL"),
            issn=self.joined("ISSN"),
            isbn=self.joined("ISBN"),
            language=self.string("language"),
            abstract=self.rich("abstract"),
            keyword=self.keywords(),
            extra={NAME: self.extra} if self.extra else {},
            provenance=Provenance(self.where.source, self.where.line) if self.where.line else None,
        )

    def string(self, field: str) -> str:
        value = self.work.get(field)
        if value is None or value == "":
            return ""
        if isinstance(value, str):
            return value.strip()
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)
        if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            if len(value) > 1:
                self.extra[field] = value[1:]
            return str(value[0]).strip()
        self.unexpected(field, value, "text")
        return ""

    def doi(self) -> str:
        given = self.string("DOI")
        bare = normalise_doi(given)
        if bare != given:
            self.log.report(
                "XREF008", f"{self.pointer}/DOI {given!r} read as the DOI {bare!r}", self.at("DOI")
            )
        return bare

    def texts(self, field: str) -> list[str]:
        """A Crossref list of strings (a plain string is taken as a list of one)."""
        value = self.work.get(field)
        if value in (None, "", []):
            return []
        if isinstance(value, str):
            return [value]
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return [v for v in value if v.strip()]
        self.unexpected(field, value, "a list of strings")
        return []

    def first(self, field: str) -> str:
        values = self.texts(field)
        if len(values) > 1:
            self.extra[field] = values[1:]
        return " ".join(values[0].split()) if values else ""

    def joined(self, field: str) -> str:
        return ", ".join(self.texts(field))

    def keywords(self) -> tuple[str, ...]:
        return tuple(self.texts("subject"))

    def rich(self, field: str) -> RichText:
        values = self.texts(field)
        if not values:
            return ()
        if len(values) > 1:
            self.extra[field] = values[1:]
        return jats(values[0], self.at(field), field, self.log)

    def names(self, field: str) -> tuple[Name, ...]:
        value = self.work.get(field)
        if value in (None, []):
            return ()
        if not isinstance(value, list):
            self.unexpected(field, value, "a list of names")
            return ()
        out: list[Name] = []
        details: list[dict[str, Any]] = []
        for number, entry in enumerate(value):
            if not isinstance(entry, Mapping):
                self.log.report(
                    "XREF004",
                    f"{self.pointer}/{field}/{number} is {type(entry).__name__}, "
                    "expected a name; dropped",
                    self.at(field),
                )
                continue
            person = _person(entry)
            if person is None:
                self.log.report(
                    "XREF004",
                    f"{self.pointer}/{field}/{number} has no name; dropped",
                    self.at(field),
                )
                continue
            out.append(person)
            detail: dict[str, Any] = {}
            orcid = entry.get("ORCID")
            if isinstance(orcid, str) and orcid:
                detail["ORCID"] = orcid
            affiliations = [
                a["name"]
                for a in entry.get("affiliation") or ()
                if isinstance(a, Mapping) and isinstance(a.get("name"), str)
            ]
            if affiliations:
                detail["affiliation"] = affiliations
            if detail:
                details.append({"name": _name_text(person), **detail})
        if details:
            self.extra[f"{field}-details"] = details
        return tuple(out)

    def issued(self) -> Date | None:
        for field in ("published-print", "published-online", "issued", "published"):
            found = self.date(field)
            if found is not None:
                for other in ("published-print", "published-online"):
                    if other != field and self.work.get(other) not in (None, {}):
                        self.extra[other] = self.work[other]
                return found
        return None

    def date(self, field: str, value: Any = None) -> Date | None:
        value = self.work.get(field) if value is None else value
        if value in (None, {}, ""):
            return None
        parts = value.get("date-parts") if isinstance(value, Mapping) else None
        if not isinstance(parts, list):
            self.unexpected(field, value, "a date")
            return None
        out: list[tuple[int, ...]] = []
        for part in parts[:2]:
            if not isinstance(part, list):
                break
            ints = tuple(p for p in part[:3] if isinstance(p, int) and not isinstance(p, bool))
            if ints and len(ints) == len([p for p in part[:3] if p is not None]):
                out.append(ints)
        if not out:
            if parts not in ([], [[]], [[None]]):
                self.unexpected(field, value, "date-parts of numbers")
            return None
        fit, season, problems = check_parts(tuple(out))
        if problems:
            self.extra[field] = value
        for path, problem in problems:
            self.log.report(
                "XREF007",
                f"{self.pointer}/{field}/date-parts/{path} {problem}; "
                "dropped, the date kept in extra",
                self.at(field),
            )
        return Date(parts=fit, season=season)

    def event(self) -> tuple[str, str, Date | None]:
        event = self.work.get("event")
        if event in (None, {}):
            return "", "", None
        if not isinstance(event, Mapping):
            self.unexpected("event", event, "an object")
            return "", "", None
        name = event.get("name")
        place = event.get("location")
        start = self.date("event.start", event.get("start"))
        end = self.date("event.end", event.get("end"))
        when = None
        if start is not None:
            when = Date(
                parts=start.parts[:1] + (end.parts[:1] if end is not None else ()),
                season=start.season,
            )
        rest = {k: v for k, v in event.items() if k not in ("name", "location", "start", "end")}
        if rest:
            self.extra["event"] = rest
        return (
            name.strip() if isinstance(name, str) else "",
            place.strip() if isinstance(place, str) else "",
            when,
        )


def _concat(*parts: RichText) -> RichText:
    """Rich texts one after the other, adjacent plain text merged."""
    return concat(node for part in parts for node in part)


def _person(entry: Mapping[str, Any]) -> Name | None:
    family = entry.get("family")
    given = entry.get("given")
    literal = entry.get("name")
    family = family.strip() if isinstance(family, str) else ""
    given = given.strip() if isinstance(given, str) else ""
    suffix = entry.get("suffix")
    suffix = suffix.strip() if isinstance(suffix, str) else ""
    if family:
        particle = ""
        parsed = parse_name(f"{family}, x")  # splits a lower-case particle off the family name
        if parsed is not None and parsed.non_dropping_particle:
            particle, family = parsed.non_dropping_particle, parsed.family
        return Name(family=family, given=given, non_dropping_particle=particle, suffix=suffix)
    if isinstance(literal, str) and literal.strip():
        return Name(literal=" ".join(literal.split()))
    if given:
        return Name(literal=given)
    return None


def _name_text(name: Name) -> str:
    if name.literal:
        return name.literal
    return f"{name.family_full()}, {name.given}" if name.given else name.family_full()


def jats(raw: str, at: Location, field: str, log: DiagnosticLog) -> RichText:
    """JATS/HTML rich text with MathML converted to TeX math first."""
    if "<" not in raw and "&" not in raw:
        value = " ".join(raw.split())
        return (Text(value),) if value else ()
    if "math" in raw:
        raw, unconverted = mathml.to_tex_math(raw)
        for how in unconverted:
            log.report("XREF006", f"{field}: MathML not converted to TeX; kept {how}", at)
    parsed = html.parse(raw)
    for code, message in parsed.notes:
        log.report(code, f"{field}: {message}", at)
    return html.finish(parsed.rich)


FORMATS = (
    FormatInfo(
        NAME,
        "Crossref REST API works JSON (a work, a message, or message.items)",
        reader=read,
        sniff=sniff,
        extensions=(".json",),
        aliases=("crossref-json", "xref"),
        split=split,
    ),
)
