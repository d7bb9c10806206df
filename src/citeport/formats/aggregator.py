"""The scholarly aggregator's JSON-lines export (reader).

One JSON object per line. The fields this reader maps (everything else is kept, unchanged, in
`Reference.extra["aggregator"]`, which CSL-JSON writes under `custom` and the other writers leave
out):

| aggregator field            | model                                   |
|-----------------------------|-----------------------------------------|
| `title`                     | `title` (inline HTML/JATS parsed)       |
| `authors` "Given Family;…"  | `author` (organisations as literals)    |
| `doi`, `DOIUrl`             | `doi` (bare, without resolver prefix)   |
| `openAccessPdf`, `url`      | `url` (the PDF when there is one)       |
| `abstract`                  | `abstract` (inline HTML/JATS parsed,    |
|                             | a leading "Abstract:" heading removed)  |
| `journal.name`              | `container_title`                       |
| `journal.volume` "43 2"     | `volume` 43, `issue` 2                  |
| `journal.pages` "10-23"     | `page` ("C3-C3" is the single page C3)  |
| `publicationDate`           | `issued`                                |
| `publicationTypes`          | `type` (see `PUBLICATION_TYPES`)        |
| `paperid`                   | `id` (else "line-N")                    |

Authors are parsed by `citeport.names.parse_name` ("Sanne S. De Smet" has the particle "De");
an author that `citeport.names.is_corporate` recognises as an organisation ("ATLAS
Collaboration") is kept whole as a literal name. Scraped abstracts often begin with their own
heading ("Abstract: We show..."); it is removed and reported (AGG007).

Lines that are not JSON objects, and objects without a title, are reported and skipped; every
other line is converted.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Mapping
from functools import lru_cache
from typing import IO, Any, cast

import orjson

from ..dates import parse_iso
from ..diagnostics import DiagnosticLog, Location
from ..ids import normalise_doi
from ..markup import html, mathml
from ..markup.tex import restore_backslashes
from ..model import Date, Name, Provenance, Reference
from ..names import is_corporate, parse_name
from ..registry import FormatInfo
from ..richtext import Inline, Math, NoCase, RichText, Styled, Text, plain

NAME = "aggregator"

#: publicationTypes value (lower case, spaces and underscores removed) -> CSL type.
PUBLICATION_TYPES: dict[str, str] = {
    "journalarticle": "article-journal",
    "article": "article-journal",
    "review": "article-journal",
    "editorial": "article-journal",
    "lettersandcomments": "article-journal",
    "letter": "article-journal",
    "comment": "article-journal",
    "casereport": "article-journal",
    "clinicaltrial": "article-journal",
    "metaanalysis": "article-journal",
    "study": "article-journal",
    "conference": "paper-conference",
    "conferencepaper": "paper-conference",
    "proceedingsarticle": "paper-conference",
    "book": "book",
    "booksection": "chapter",
    "bookchapter": "chapter",
    "dataset": "dataset",
    "news": "article-newspaper",
    "thesis": "thesis",
    "preprint": "article",
    "report": "report",
    "patent": "patent",
    "standard": "standard",
}

#: Fields this reader maps into typed slots; every other field goes to extra.
MAPPED = frozenset(
    ("title", "authors", "doi", "DOIUrl", "url", "openAccessPdf", "abstract", "journal",
     "publicationDate", "publicationTypes", "paperid")
)  # fmt: skip

#: Mapped fields whose value must be text; anything else is kept in extra and reported.
_TEXT_FIELDS = ("doi", "DOIUrl", "url", "openAccessPdf", "abstract")
_VOLUME_PAREN = re.compile(r"^\s*([^\s(]+)\s*\(\s*([^)]+?)\s*\)\s*$")
_PAGE_RANGE = re.compile(r"^\s*([^\s\-–—]+)\s*[-–—]+\s*([^\s\-–—]+)\s*$")


def sniff(head: bytes) -> int:
    """How sure we are (0-100) that `head` is aggregator JSON lines."""
    for raw in head.lstrip(b"\xef\xbb\xbf").splitlines()[:20]:
        line = raw.strip()
        if not line.startswith(b"{"):
            continue
        score = 0
        for marker in (b'"authors"', b'"journal"', b'"DOIUrl"', b'"PeriodicalIF"', b'"paperid"'):
            if marker in line:
                score += 20
        return min(score + (10 if b'"title"' in line else 0), 100)
    return 0


def read(
    stream: IO[bytes], source: str, log: DiagnosticLog, first_line: int = 1
) -> Iterator[Reference]:
    """Yield one `Reference` per good line of `stream`; report and skip the rest.

    `first_line` is the line number of the stream's first line in its file: each line is
    independent, so `-j` reads a file as chunks of lines in several processes.
    """
    for number, raw in enumerate(_lines(stream), start=first_line):
        if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        line = raw.strip()
        if not line:
            continue
        obj = _load(line, source, number, log)
        if obj is None:
            continue
        ref = _reference(obj, source, number, log)
        if ref is not None:
            yield ref


def _lines(stream: IO[bytes]) -> Iterator[bytes]:
    """The input's lines as UTF-8 bytes; a UTF-16 file (with its BOM) is decoded first."""
    buffered: Any = stream if hasattr(stream, "peek") else io.BufferedReader(cast(Any, stream))
    if buffered.peek(2)[:2] in (b"\xff\xfe", b"\xfe\xff"):
        for line in io.TextIOWrapper(buffered, encoding="utf-16", errors="replace"):
            yield line.encode("utf-8")
    else:
        yield from buffered


def _excerpt(line: bytes) -> str:
    text = line.decode("utf-8", "replace")
    return text if len(text) <= 60 else text[:57] + "..."


def _load(line: bytes, source: str, number: int, log: DiagnosticLog) -> dict[str, Any] | None:
    where = Location(source, number)
    try:
        obj = orjson.loads(line)
    except orjson.JSONDecodeError as exc:
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            return _load_legacy(line, where, log)
        if line.startswith(b"{"):
            log.skip("AGG001", f"{_json_problem(exc, line)}, skipped", where)
        else:
            log.skip("AGG001", f"line is not a JSON object ({_excerpt(line)!r}), skipped", where)
        return None
    if not isinstance(obj, dict):
        kind = "a JSON array" if isinstance(obj, list) else f"a JSON {type(obj).__name__}"
        log.skip("AGG001", f"line is {kind}, not an object, skipped", where)
        return None
    return obj


def _json_problem(exc: orjson.JSONDecodeError, line: bytes) -> str:
    """Say what is wrong with a JSON line in words that do not depend on the JSON library."""
    if "depth" in exc.msg or "recursion" in exc.msg:
        return "JSON nested too deeply"
    if exc.pos >= len(line):
        return "truncated JSON (the line ends inside a value)"
    return f"invalid JSON at column {exc.colno}"


def _load_legacy(line: bytes, where: Location, log: DiagnosticLog) -> dict[str, Any] | None:
    """A line that is not UTF-8: read it as Windows-1252 and say so."""
    text = line.decode("cp1252", "replace")
    try:
        obj = orjson.loads(text)
    except orjson.JSONDecodeError:
        log.skip("AGG001", "line is neither UTF-8 text nor JSON, skipped", where)
        return None
    if not isinstance(obj, dict):
        log.skip("AGG001", "line is not a JSON object, skipped", where)
        return None
    log.report("AGG006", "line is not valid UTF-8; read as Windows-1252", where)
    return obj


def _reference(
    obj: dict[str, Any], source: str, number: int, log: DiagnosticLog
) -> Reference | None:
    paperid = obj.get("paperid")
    rid = str(paperid) if paperid not in (None, "") else f"line-{number}"
    where = Location(source, number, rid)
    title_raw = obj.get("title")
    if not isinstance(title_raw, str) or not title_raw.strip():
        what = (
            "no title"
            if title_raw in (None, "") or isinstance(title_raw, str)
            else (f"a title that is a {type(title_raw).__name__}, not text")
        )
        log.skip("AGG002", f"record has {what}, skipped", where)
        return None
    title = _rich(title_raw, where, "title", log)
    extra = {k: v for k, v in obj.items() if k not in MAPPED and v not in (None, "", [], {})}
    for key in _TEXT_FIELDS:
        value = obj.get(key)
        if value not in (None, "") and not isinstance(value, str):
            _unexpected(log, where, key, value, extra)
    abstract_raw = obj.get("abstract")
    abstract = _rich(abstract_raw, where, "abstract", log) if isinstance(abstract_raw, str) else ()
    if abstract:
        abstract = _strip_heading(abstract, where, log)

    journal = obj.get("journal")
    container: RichText = ()
    volume = issue = page = ""
    if isinstance(journal, Mapping):
        name = journal.get("name")
        if isinstance(name, str) and name.strip():
            container = _rich(name, where, "journal.name", log)
        elif name not in (None, ""):
            _unexpected(log, where, "journal.name", name, extra)
        volume, issue = _volume_issue(journal.get("volume"), where, log, extra)
        page = _pages(journal.get("pages"), where, log, extra)
        for key, value in journal.items():
            if key not in ("name", "volume", "pages") and value not in (None, "", [], {}):
                extra[f"journal.{key}"] = value
    elif journal not in (None, "", {}):
        _unexpected(log, where, "journal", journal, extra, "an object")

    url = _url(obj, extra)
    return Reference(
        id=rid,
        type=_type(obj.get("publicationTypes"), container, where, log),
        title=title,
        author=_authors(obj.get("authors"), where, log, extra),
        container_title=container,
        volume=volume,
        issue=issue,
        page=page,
        issued=_date(obj.get("publicationDate"), where, log),
        doi=_doi(obj, extra),
        url=url,
        abstract=abstract,
        extra={NAME: extra} if extra else {},
        provenance=Provenance(source, number),
    )


def _unexpected(
    log: DiagnosticLog,
    where: Location,
    field: str,
    value: Any,
    extra: dict[str, Any],
    expected: str = "text",
) -> None:
    extra[field] = value
    log.report(
        "AGG004",
        f"{field} is a {type(value).__name__}, expected {expected}; kept in extra",
        Location(where.source, where.line, where.record, field),
    )


def _rich(raw: str, where: Location, field: str, log: DiagnosticLog) -> RichText:
    if "<" not in raw and "&" not in raw:
        value = " ".join(raw.split())
        return (Text(value),) if value else ()
    at = Location(where.source, where.line, where.record, field)
    if "math" in raw:
        raw, unconverted = mathml.to_tex_math(raw)
        for how in unconverted:
            log.report("MRK005", f"{field}: MathML not converted to TeX; kept {how}", at)
    parsed = html.parse(raw)
    for code, message in parsed.notes:
        log.report(code, f"{field}: {message}", at)
    rich = html.finish(parsed.rich)
    return _repair_math(rich, at, field, log) if "tex-math" in raw else rich


def _repair_math(rich: RichText, at: Location, field: str, log: DiagnosticLog) -> RichText:
    """Restore TeX backslashes lost upstream, in every math node of the tree."""
    if not any(type(n) is not Text for n in rich):
        return rich
    out: list[Inline] = []
    for node in rich:
        if type(node) is Math:
            tex, restored = restore_backslashes(node.tex)
            if restored:
                log.report(
                    "MRK003",
                    f"{field}: restored TeX backslashes in ${node.tex}$ -> ${tex}$",
                    at,
                )
                node = Math(tex)
        elif type(node) is Styled:
            node = Styled(node.style, _repair_math(node.children, at, field, log))
        elif type(node) is NoCase:
            node = NoCase(_repair_math(node.children, at, field, log))
        out.append(node)
    return tuple(out)


def _authors(
    value: Any, where: Location, log: DiagnosticLog, extra: dict[str, Any]
) -> tuple[Name, ...]:
    if value is None or value == "":
        return ()
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        parts = value
    elif isinstance(value, str):
        parts = value.split(";")
    else:
        _unexpected(log, where, "authors", value, extra)
        return ()
    names = (_author(p) for p in parts)
    return tuple(n for n in names if n is not None)


@lru_cache(maxsize=4096)  # one lookup a name, not one in each of is_corporate and parse_name
def _author(raw: str) -> Name | None:
    """One author: an organisation is kept whole as a literal, a person is parsed."""
    value = " ".join(raw.split())
    if is_corporate(value):
        return Name(literal=value)
    return parse_name(value)


#: A heading at the start of an abstract: "Abstract", "ABSTRACT", "Abstract:", "Abstract." ...
_HEADING = re.compile(r"(?:Abstract|ABSTRACT)(?:\s*[:.\u2013\u2014]|\s+-)?\s*")


def _strip_heading(rich: RichText, where: Location, log: DiagnosticLog) -> RichText:
    """Remove an "Abstract" heading word that starts the abstract, and report it.

    The heading is the word "Abstract" (or "ABSTRACT") followed by a colon, period or dash, or
    by a space or line break before a word that does not start in lower case ("Abstract We
    show", but not "Abstract algebra is"), or a bold or italic "Abstract" before the text.
    """
    first = rich[0]
    rest: RichText = rich[1:]
    if type(first) is Styled:
        if not _HEADING.fullmatch(plain(first.children)) or not rest:
            return rich
        if type(rest[0]) is Text:
            stripped = rest[0].text.lstrip(" :.\u2013\u2014-\n")
            rest = ((Text(stripped),) if stripped else ()) + rest[1:]
    elif type(first) is Text:
        match = _HEADING.match(first.text)
        if match is None or match.end() == len("Abstract"):
            return rich  # no separator: "Abstracts of ...", "Abstract" alone
        after = first.text[match.end() :]
        if after[:1].islower() and not first.text[len("Abstract") : match.end()].strip():
            return rich  # "Abstract algebra is ...": a word of the text, not a heading
        if not after and not rest:
            return rich
        rest = ((Text(after),) if after else ()) + rest
    else:
        return rich
    log.report(
        "AGG007",
        "abstract: leading 'Abstract' heading removed",
        Location(where.source, where.line, where.record, "abstract"),
    )
    return rest


def _volume_issue(
    value: Any, where: Location, log: DiagnosticLog, extra: dict[str, Any]
) -> tuple[str, str]:
    if value is None or value == "":
        return "", ""
    if isinstance(value, int):
        return str(value), ""
    if not isinstance(value, str):
        _unexpected(log, where, "journal.volume", value, extra)
        return "", ""
    match = _VOLUME_PAREN.match(value)
    if match:
        return match.group(1), match.group(2)
    volume, _, issue = value.strip().partition(" ")
    return volume, issue.strip()


def _pages(value: Any, where: Location, log: DiagnosticLog, extra: dict[str, Any]) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, int):
        return str(value)
    if not isinstance(value, str):
        _unexpected(log, where, "journal.pages", value, extra)
        return ""
    match = _PAGE_RANGE.match(value)
    if match:
        first, last = match.groups()
        return first if first == last else f"{first}-{last}"
    return value.strip()


def _date(value: Any, where: Location, log: DiagnosticLog) -> Date | None:
    if value is None or value == "":
        return None
    if isinstance(value, int) and 1000 <= value <= 9999:
        return Date(parts=((value,),))
    text = str(value)
    date = parse_iso(text)
    if date is None:
        log.report(
            "AGG005",
            f"publicationDate {text!r} is not a date; kept as written",
            Location(where.source, where.line, where.record, "publicationDate"),
        )
        return Date(literal=text)
    return date


def _type(value: Any, container: RichText, where: Location, log: DiagnosticLog) -> str:
    default = "article-journal" if container else "article"
    if value in (None, "", []):
        return default
    candidates = value if isinstance(value, list) else str(value).split(",")
    for candidate in candidates:
        key = str(candidate).lower().replace(" ", "").replace("_", "").replace("-", "")
        if key in PUBLICATION_TYPES:
            return PUBLICATION_TYPES[key]
    log.report(
        "AGG003",
        f"publication type {value!r} is unknown; read as {default}",
        Location(where.source, where.line, where.record, "publicationTypes"),
    )
    return default


def _doi(obj: dict[str, Any], extra: dict[str, Any]) -> str:
    """The bare DOI from `doi`, else from `DOIUrl`; a `DOIUrl` naming another DOI is kept."""
    doi, url = obj.get("doi"), obj.get("DOIUrl")
    bare = normalise_doi(doi) if isinstance(doi, str) else ""
    from_url = normalise_doi(url) if isinstance(url, str) else ""
    if bare and from_url and from_url.lower() != bare.lower():
        extra["DOIUrl"] = url
    return bare or from_url


def _url(obj: dict[str, Any], extra: dict[str, Any]) -> str:
    pdf = obj.get("openAccessPdf")
    url = obj.get("url")
    pdf = pdf.strip() if isinstance(pdf, str) else ""
    url = url.strip() if isinstance(url, str) else ""
    if pdf and url and pdf != url:
        extra["url"] = url
    return pdf or url


FORMATS = (
    FormatInfo(
        NAME,
        "scholarly aggregator JSON lines (authors 'Given Family;...', journal.volume '43 2')",
        reader=read,
        sniff=sniff,
        splittable=True,
        extensions=(".jsonl", ".ndjson"),
        aliases=("jsonl", "agg"),
    ),
)
