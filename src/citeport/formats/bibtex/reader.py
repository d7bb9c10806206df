"""BibTeX and BibLaTeX reader, on bibtexparser 2.x (the field mapping is in `mapping.py`).

What it handles, and how:

- Encodings: UTF-8 with or without a BOM, UTF-16 with a BOM (or with the NUL-byte pattern of
  UTF-16 text), else Windows-1252 (Latin-1 for its five undefined bytes), with a BIB105 warning.
- Streaming: bibtexparser parses a whole string, so the text is cut into entry-sized chunks at
  lines starting with `@` outside braces (or at a line that starts a new `@type{key,` entry
  inside an unclosed one), and each chunk is parsed on its own. Line numbers are the file's.
  `@string` macros stay in effect for later chunks. The decoded text is held (the encoding
  fallback needs it); the parsed entries are not: each is yielded and forgotten, except the
  entries some `crossref`/`xdata` names (found by a quick scan first) and children waiting for
  a parent that comes later.
- `@string` macros, `#` concatenation, month macros; `@preamble` is reported (BIB109) and not
  kept; `@comment` and text between entries are ignored.
- `crossref` and `xdata` inheritance with biblatex's field rules; a missing parent is BIB106.
- Duplicate keys: the first entry is kept, the later one skipped (BIB102). Duplicate fields:
  the first value is kept (BIB103).
- A broken entry is one BIB101 error with its line; reading goes on with the next entry.
- Values: LaTeX to Unicode rich text (`citeport.markup.latex.parse`); names "First von Last",
  "von Last, First", "von Last, Jr, First"; `{Braced Name}` is a literal name; `and others`
  is kept as the "et al." intent in `extra["bibtex"]["@others"]`.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, Any

from bibtexparser.entrypoint import parse_string
from bibtexparser.middlewares.names import parse_single_name_into_parts
from bibtexparser.model import (
    DuplicateFieldKeyBlock,
    Entry,
    ParsingFailedBlock,
    Preamble,
    String,
)

from ...dates import parse_iso
from ...diagnostics import DiagnosticLog, Location
from ...markup import latex
from ...model import Date, Name, Provenance, Reference
from ...richtext import Inline, RichText, Text, plain
from .mapping import BIBTEX_TYPES, ENTRY_TYPES_IN, MONTHS, EntryType, inherited_name

_MONTH_NAMES = {
    name: index
    for index, names in enumerate(
        (
            "january jan", "february feb", "march mar", "april apr", "may", "june jun",
            "july jul", "august aug", "september sep sept", "october oct", "november nov",
            "december dec",
        ),
        start=1,
    )
    for name in names.split()
}  # fmt: skip
#: The month macros' values, as BibTeX's standard styles define them.
_MONTH_MACROS = {abbr: name.split()[0].capitalize() for abbr, name in zip(MONTHS, (
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december"), strict=True)}  # fmt: skip

_ENTRY_START = re.compile(r"@[ \t]*[A-Za-z]+[ \t]*[{(]")
_STRONG_START = re.compile(r"@[A-Za-z]+[ \t]*\{[ \t]*[^\s,={}\"#%'()]+[ \t]*,")
_PARENT_REF = re.compile(r"\b(?:crossref|xdata)\s*=\s*[{\"]?\s*([^}\"]+)", re.IGNORECASE)
_DOI_PREFIX = re.compile(r"^\s*(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_URL_COMMAND = re.compile(r"^\s*\\url\s*\{([^{}]*)\}\s*$")
_VERBATIM_ESCAPE = re.compile(r"\\([_%&#$~{}])")
#: BibTeX's white space (ASCII only: a no-break space, `~` or U+00A0, is text).
_WHITE = " \t\r\n\f\v"
_SPACE = re.compile(r"[ \t\r\n\f\v]+")
_PAGE_DASH = re.compile(r"\s*(?:--+|[\u2010-\u2015])\s*|\s+-\s+")
_KEYWORD_SPLIT = re.compile(r"\s*[,;]\s*")
_EDTF_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_UNDEFINED_CP1252 = re.compile("[\udc80-\udcff]")
_YEAR = re.compile(r"^\s*(\d{1,4})\s*$")

#: Fields mapped to typed slots (everything else goes to extra["bibtex"]). `day` and `date` go
#: to both: the classic writer writes `year` and `month` only, and gives them back from extra.
_MAPPED = frozenset(
    """
    author editor translator bookauthor title subtitle titleaddon shorttitle journal journaltitle
    journalsubtitle booktitle booksubtitle shortjournal series year month urldate
    eventdate eventtitle venue volume pages number issue pagetotal edition chapter publisher
    school institution organization location address type howpublished doi url isbn issn pmid
    pmcid language langid keywords note addendum abstract pubstate crossref xdata
    """.split()
)
_BIBLATEX_ONLY = frozenset(
    """
    online patent standard dataset software periodical inreference mvbook collection
    mvcollection mvproceedings reference mvreference bookinbook suppbook suppcollection thesis
    report
    """.split()
)

_LOGGER = logging.getLogger("bibtexparser.splitter")


def sniff(head: bytes) -> int:
    """How sure we are (0-100) that `head` is BibTeX: an `@type{` at the start of a line."""
    text = _decode_head(head)
    if text.lstrip("\ufeff \t\r\n").startswith(("{", "[")):
        return 0  # JSON
    for line in text.splitlines()[:200]:
        if _ENTRY_START.match(line.lstrip()):
            return 70
    return 0


def _decode_head(head: bytes) -> str:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_utf16(head):
        return head.decode("utf-16" if head[:2] in (b"\xff\xfe", b"\xfe\xff") else _utf16(head),
                           "replace")  # fmt: skip
    return head.decode("utf-8", "replace")


def _looks_utf16(data: bytes) -> bool:
    sample = data[:200]
    return len(sample) >= 4 and sample.count(0) >= len(sample) // 3


def _utf16(data: bytes) -> str:
    sample = data[:200]
    return "utf-16-le" if sample[1::2].count(0) > sample[0::2].count(0) else "utf-16-be"


def decode(data: bytes, source: str, log: DiagnosticLog) -> str:
    """The text of a BibTeX file: UTF-8 (BOM or not), UTF-16, else Windows-1252 (reported)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace")
    elif _looks_utf16(data):
        return data.decode(_utf16(data), "replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        log.report(
            "BIB105", "input is not valid UTF-8; read as Windows-1252", Location(source, line)
        )
        # Windows-1252 leaves five bytes undefined: those are read as Latin-1 (C1 controls).
        text = data.decode("cp1252", "surrogateescape")
        return _UNDEFINED_CP1252.sub(lambda m: chr(ord(m.group()) - 0xDC00), text)


def chunks(text: str) -> Iterator[tuple[int, str]]:
    """Cut BibTeX text into entry-sized chunks: (0-based line of the chunk start, its text).

    A chunk starts at a line beginning with `@` at brace depth 0, or at a line that clearly
    starts a new entry (`@type{key,`) even inside an unclosed one.
    """
    lines = text.splitlines(keepends=True)
    start = 0
    depth = 0
    for number, line in enumerate(lines):
        stripped = line.lstrip()
        if (
            number > start
            and stripped.startswith("@")
            and ((depth <= 0 and _ENTRY_START.match(stripped)) or _STRONG_START.match(line))
        ):
            yield start, "".join(lines[start:number])
            start = number
            depth = 0
        if "{" in line or "}" in line:
            unescaped = line.replace("\\{", "").replace("\\}", "")
            depth += unescaped.count("{") - unescaped.count("}")
    if start < len(lines):
        yield start, "".join(lines[start:])


@contextmanager
def _quiet() -> Iterator[None]:
    """bibtexparser logs each failed block; the reader reports them itself."""
    disabled = _LOGGER.disabled
    _LOGGER.disabled = True
    try:
        yield
    finally:
        _LOGGER.disabled = disabled


class _State:
    """What one read keeps between chunks."""

    def __init__(self, source: str, log: DiagnosticLog, wanted: set[str]) -> None:
        self.source = source
        self.log = log
        self.macros: dict[str, str] = dict(_MONTH_MACROS)
        self.seen: set[str] = set()
        self.wanted = wanted  # keys some crossref/xdata names: kept once read
        self.parents: dict[str, tuple[str, dict[str, str]]] = {}
        self.waiting: dict[str, list[tuple[str, str, dict[str, str], int, int]]] = {}


def read(stream: IO[bytes], source: str, log: DiagnosticLog) -> Iterator[Reference]:
    """Yield one `Reference` per entry of a BibTeX/BibLaTeX file; report and skip the rest."""
    text = decode(stream.read(), source, log)
    wanted = {
        key.strip().lower()
        for match in _PARENT_REF.finditer(text)
        for key in match.group(1).split(",")
        if key.strip()
    }
    state = _State(source, log, wanted)
    for offset, chunk in chunks(text):
        with _quiet():
            library = parse_string(chunk, parse_stack=[])
        for block in library.blocks:
            line = offset + (block.start_line or 0) + 1
            yield from _block(block, line, offset, state)
    for waiting in state.waiting.values():
        for key, entry_type, fields, line, end in waiting:
            parent = fields.get("crossref") or fields.get("xdata") or ""
            log.report(
                "BIB106",
                f"crossref/xdata parent {parent!r} not found; read without it",
                Location(source, line, key, "crossref"),
            )
            ref = _reference(key, entry_type, fields, line, end, state)
            if ref is not None:
                yield ref


def _block(block: Any, line: int, offset: int, state: _State) -> Iterator[Reference]:
    log, source = state.log, state.source
    if isinstance(block, String):
        state.macros[block.key.lower()] = _expand(block.value, state, line, block.key)
        return
    if isinstance(block, Preamble):
        message = "@preamble is not kept (no place in the model)"
        log.report("BIB109", message, Location(source, line))
        return
    entry = block
    if isinstance(block, DuplicateFieldKeyBlock):
        entry = block.ignore_error_block
        for name in sorted(block.duplicate_keys):
            log.report(
                "BIB103",
                f"field {name!r} given twice; the first value is kept",
                Location(source, line, getattr(entry, "key", None), name),
            )
    elif isinstance(block, ParsingFailedBlock):
        raw = (block.raw or "").strip().splitlines()
        excerpt = raw[0][:60] if raw else ""
        log.skip(
            "BIB101",
            f"entry cannot be parsed ({_error(block)}): {excerpt!r}, skipped",
            Location(source, line),
        )
        return
    if not isinstance(entry, Entry):
        return
    yield from _entry(entry, line, offset, state)


def _error(block: ParsingFailedBlock) -> str:
    message = str(block.error).strip().splitlines()
    return message[0][:80] if message else type(block.error).__name__


def _entry(entry: Entry, line: int, offset: int, state: _State) -> Iterator[Reference]:
    key = entry.key
    entry_type = entry.entry_type.lower()
    end = offset + (entry.start_line or 0) + (entry.raw or "").count("\n") + 1
    if key.lower() in state.seen:
        state.log.skip(
            "BIB102",
            f"duplicate key {key!r}; the first entry is kept, this one skipped",
            Location(state.source, line, key),
        )
        return
    state.seen.add(key.lower())
    fields: dict[str, str] = {}
    for field in entry.fields:
        name = field.key.lower()
        if name in fields:
            continue
        value = _expand(field.value, state, line, key, name)
        if value.strip(_WHITE):
            fields[name] = value
    if key.lower() in state.wanted:
        state.parents[key.lower()] = (entry_type, dict(fields))
    if entry_type == "xdata":
        yield from _release(key, state)
        return
    parents = _parent_keys(fields)
    missing = [p for p in parents if p not in state.parents]
    if missing:
        state.waiting.setdefault(missing[0], []).append((key, entry_type, fields, line, end))
    else:
        ref = _reference(key, entry_type, fields, line, end, state)
        if ref is not None:
            yield ref
    yield from _release(key, state)


def _parent_keys(fields: dict[str, str]) -> list[str]:
    keys = [k.strip().lower() for k in fields.get("xdata", "").split(",") if k.strip()]
    if fields.get("crossref", "").strip():
        keys.append(fields["crossref"].strip().lower())
    return keys


def _release(key: str, state: _State) -> Iterator[Reference]:
    """Children that were waiting for `key`: read them now if nothing else is missing."""
    for child_key, entry_type, fields, line, end in state.waiting.pop(key.lower(), []):
        missing = [p for p in _parent_keys(fields) if p not in state.parents]
        if missing:
            state.waiting.setdefault(missing[0], []).append(
                (child_key, entry_type, fields, line, end)
            )
            continue
        ref = _reference(child_key, entry_type, fields, line, end, state)
        if ref is not None:
            yield ref


def _inherit(
    entry_type: str, fields: dict[str, str], state: _State, chain: frozenset[str] = frozenset()
) -> dict[str, str]:
    """The entry's fields with those of its xdata and crossref parents filled in.

    `chain` holds the parents already on the way, so a cycle ends instead of recursing.
    """
    merged = dict(fields)
    for parent_key in _parent_keys(fields):
        parent = state.parents.get(parent_key)
        if parent is None or parent_key in chain:
            continue
        parent_type, parent_fields = parent
        inherited = _inherit(parent_type, parent_fields, state, chain | {parent_key})
        for name, value in inherited.items():
            target = inherited_name(parent_type, entry_type, name)
            if target and target not in merged:
                merged[target] = value
    return merged


# --- values ------------------------------------------------------------------------------------


def _expand(raw: str, state: _State, line: int, key: str, field: str | None = None) -> str:
    """A raw value with `@string` macros expanded and `#` parts joined, outer delimiters off."""
    parts: list[str] = []
    index, size = 0, len(raw)
    while index < size:
        char = raw[index]
        if char.isspace() or char == "#":
            index += 1
        elif char == "{":
            end = _closing(raw, index, "{")
            parts.append(raw[index + 1 : end])
            index = end + 1
        elif char == '"':
            end = _closing(raw, index, '"')
            parts.append(raw[index + 1 : end])
            index = end + 1
        else:
            end = index
            while end < size and not raw[end].isspace() and raw[end] != "#":
                end += 1
            word = raw[index:end]
            index = end
            if word.isdigit():
                parts.append(word)
            elif word.lower() in state.macros:
                parts.append(state.macros[word.lower()])
            else:
                state.log.report(
                    "BIB104",
                    f"@string {word!r} is not defined; its name is kept as the value",
                    Location(state.source, line, key, field),
                )
                parts.append(word)
    return "".join(parts)


def _closing(raw: str, start: int, kind: str) -> int:
    depth = 0
    for index in range(start + 1, len(raw)):
        char = raw[index]
        if char == "\\":
            continue
        if char == "{" and raw[index - 1] != "\\":
            depth += 1
        elif char == "}" and raw[index - 1] != "\\":
            if depth == 0 and kind == "{":
                return index
            depth -= 1
        elif char == '"' and kind == '"' and depth <= 0:
            return index
    return len(raw)


def _squash(value: str) -> str:
    return _SPACE.sub(" ", value).strip(_WHITE)


def _rich(value: str) -> RichText:
    parsed = latex.parse(_squash(value))
    return _strip_rich(parsed)


def _strip_rich(rich: RichText) -> RichText:
    """Collapse whitespace (BibTeX values are whitespace-insensitive)."""
    out: list[Inline] = []
    for node in rich:
        if type(node) is Text:
            node = Text(_SPACE.sub(" ", node.text))
        out.append(node)
    return tuple(out)


def _text(value: str) -> str:
    return _squash(plain(latex.parse(_squash(value))))


def _verbatim(value: str) -> str:
    match = _URL_COMMAND.match(value)
    if match:
        value = match.group(1)
    return (
        _VERBATIM_ESCAPE.sub(r"\1", value.strip())
        .replace("%7B", "{")
        .replace("%7D", "}")
        .replace("%5C", "\\")
    )


def _join(base: RichText, sep: str, more: str | None) -> RichText:
    if not more:
        return base
    joined: list[Inline] = []
    for node in (*base, Text(sep), *_rich(more)):
        if type(node) is Text and joined and type(joined[-1]) is Text:
            joined[-1] = Text(joined[-1].text + node.text)
        else:
            joined.append(node)
    return tuple(joined)


def names(value: str, role: str, others: list[str]) -> tuple[Name, ...]:
    """Parse a BibTeX name list; a final `and others` is noted in `others` as `role`."""
    people: list[Name] = []
    parts = _split_names(_squash(value))
    if parts and parts[-1].lower() == "others":
        parts.pop()
        others.append(role)
    for part in parts:
        name = _name(part)
        if name is not None:
            people.append(name)
    return tuple(people)


def _split_names(value: str) -> list[str]:
    """Split at ` and ` outside braces (case-insensitive, as BibTeX does)."""
    out: list[str] = []
    depth = 0
    start = 0
    index = 0
    lower = value.lower()
    while index < len(value):
        char = value[index]
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif depth == 0 and lower.startswith(" and ", index):
            out.append(value[start:index].strip())
            index += 5
            start = index
            continue
        index += 1
    out.append(value[start:].strip())
    return [p for p in out if p]


def _name(raw: str) -> Name | None:
    raw = raw.strip()
    # "von Last," and "von Last, Jr," (no First): BibTeX reads every word before the comma as the
    # family; bibtexparser drops a final comma and reads "First Last", so First is made explicit.
    last_only = raw.endswith(",") and _top_level_commas(raw) in (1, 2)
    raw = raw.strip(",").strip()
    if not raw:
        return None
    if last_only:
        raw += ", {}"
    if raw.startswith("{") and _closing(raw, 0, "{") == len(raw) - 1:
        inner = raw[1:-1]
        if not inner.startswith("\\"):
            return Name(literal=_text(inner))
    try:
        parts = parse_single_name_into_parts(raw, strict=False)
    except Exception:  # bibtexparser raises on a few odd names even when not strict
        return Name(literal=_text(raw))
    family = _text(" ".join(parts.last))
    given = _text(" ".join(parts.first))
    if not family and given:
        family, given = given, ""
    return Name(
        family=family,
        given=given,
        non_dropping_particle=_text(" ".join(parts.von)),
        suffix=_text(" ".join(parts.jr)),
    )


def _top_level_commas(value: str) -> int:
    depth = count = 0
    for char in value:
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif char == "," and depth == 0:
            count += 1
    return count


def _date(value: str) -> Date | None:
    """A biblatex date (EDTF level 0/1 subset): `2026`, `2026-03-01`, ranges with `/`."""
    value = value.strip()
    circa = value.endswith(("~", "?", "%"))
    core = value.rstrip("~?%")
    pieces = core.split("/")
    parts: list[tuple[int, ...]] = []
    for piece in pieces[:2]:
        if not piece.strip() or piece.strip() == "..":
            continue
        parsed = parse_iso(piece)
        if parsed is None or not _iso_like(piece):
            return None
        parts.extend(parsed.parts)
    if not parts:
        return None
    return Date(parts=tuple(parts), circa=circa)


def _iso_like(piece: str) -> bool:
    return bool(re.fullmatch(r"\s*\d{4}(-\d{2}(-\d{2})?)?\s*", piece))


def _month(value: str) -> int | None:
    cleaned = _squash(value).strip(".").lower()
    if cleaned.isdigit() and 1 <= int(cleaned) <= 12:
        return int(cleaned)
    return _MONTH_NAMES.get(cleaned)


def _issued(fields: dict[str, str], where: Location, log: DiagnosticLog) -> Date | None:
    if "date" in fields:
        date = _date(_text(fields["date"]))
        if date is not None:
            return date
        log.report("BIB108", f"date {fields['date']!r} is not a date; kept as text",
                   Location(where.source, where.line, where.record, "date"))  # fmt: skip
        return Date(literal=_text(fields["date"]))
    year = _text(fields.get("year", ""))
    if not year:
        return None
    match = _YEAR.match(year)
    if not match:
        return Date(literal=year)
    parts = [int(match.group(1))]
    if "month" in fields:
        month = _month(_text(fields["month"]))
        if month is None:
            log.report("BIB108", f"month {fields['month']!r} is not a month; dropped",
                       Location(where.source, where.line, where.record, "month"))  # fmt: skip
        else:
            parts.append(month)
            day = _text(fields.get("day", ""))
            if day.isdigit() and 1 <= int(day) <= 31:
                parts.append(int(day))
    return Date(parts=(tuple(parts),))


def _simple_date(value: str | None) -> Date | None:
    if not value:
        return None
    return _date(_text(value)) or Date(literal=_text(value))


def _reference(
    key: str,
    entry_type: str,
    own: dict[str, str],
    line: int,
    end: int,
    state: _State,
) -> Reference | None:
    log, source = state.log, state.source
    fields = _inherit(entry_type, own, state)
    where = Location(source, line, key)
    kind = ENTRY_TYPES_IN.get(entry_type)
    extra: dict[str, Any] = {}
    if kind is None:
        log.report("BIB107", f"unknown entry type @{entry_type}; read as a document", where)
        kind = EntryType("document", "howpublished", "publisher")
        extra["@type"] = entry_type
    elif BIBTEX_TYPES.get(kind.csl, ("misc",))[0] != entry_type:
        extra["@type"] = entry_type
    get = fields.get
    others: list[str] = []

    title = _rich(get("title", ""))
    if get("subtitle"):
        title = _join(title, ": ", get("subtitle"))
    if get("titleaddon"):
        title = _join(title, ". ", get("titleaddon"))
    container_field = "journaltitle" if "journaltitle" in fields else "journal"
    container_sub = "journalsubtitle"
    if container_field not in fields:
        container_field, container_sub = "booktitle", "booksubtitle"
    container = _join(_rich(get(container_field, "")), ": ", get(container_sub))

    number, issue = _text(get("number", "")), _text(get("issue", ""))
    if kind.csl.startswith("article") and number and not issue:
        number, issue = "", number
    publisher_fields = (kind.publisher, "publisher", "school", "institution", "organization")
    publisher_name = next((f for f in publisher_fields if get(f)), None)
    url = _verbatim(get("url", ""))
    medium = ""
    howpublished = get("howpublished")
    used = set(_MAPPED)
    if howpublished and _URL_COMMAND.match(howpublished) and not url:
        url = _verbatim(howpublished)
    elif howpublished and not container and kind.container == "howpublished":
        container = _rich(howpublished)  # misc, unpublished: where it appeared
    elif howpublished:
        medium = _text(howpublished)
    if publisher_name:
        for name in publisher_fields:
            if name != publisher_name and get(name):
                used.discard(name)  # a second publisher-like field stays in extra
    for name, value in fields.items():
        if name not in used:
            extra[name] = value
    if get("addendum") and get("note"):
        note = f"{_text(get('note', ''))}. {_text(get('addendum', ''))}"
    else:
        note = _text(get("note") or get("addendum") or "")

    ref_author = names(get("author", ""), "author", others)
    ref_editor = names(get("editor", ""), "editor", others)
    ref_translator = names(get("translator", ""), "translator", others)
    container_author = names(get("bookauthor", ""), "bookauthor", others)
    if others:
        extra["@others"] = " ".join(others)
    keywords = tuple(k for k in _KEYWORD_SPLIT.split(_text(get("keywords", ""))) if k)
    try:
        return Reference(
            id=key,
            type=kind.csl,
            title=title,
            title_short=_text(get("shorttitle", "")),
            author=ref_author,
            editor=ref_editor,
            translator=ref_translator,
            container_author=container_author,
            container_title=container,
            container_title_short=_text(get("shortjournal", "")),
            collection_title=_text(get("series", "")),
            volume=_text(get("volume", "")),
            issue=issue,
            page=_PAGE_DASH.sub("-", _text(get("pages", ""))),
            number=number,
            chapter_number=_text(get("chapter", "")),
            number_of_pages=_text(get("pagetotal", "")),
            edition=_text(get("edition", "")),
            genre=_text(get("type", "")),
            medium=medium,
            status=_text(get("pubstate", "")),
            issued=_issued(fields, where, log),
            accessed=_simple_date(get("urldate")),
            event_title=_text(get("eventtitle", "")),
            event_place=_text(get("venue", "")),
            event_date=_simple_date(get("eventdate")),
            publisher=_text(get(publisher_name, "")) if publisher_name else "",
            publisher_place=_text(get("location") or get("address") or ""),
            doi=_DOI_PREFIX.sub("", _verbatim(get("doi", ""))),
            url=url,
            issn=_text(get("issn", "")),
            isbn=_text(get("isbn", "")),
            pmid=_text(get("pmid", "")),
            pmcid=_text(get("pmcid", "")),
            language=_text(get("langid") or get("language") or ""),
            abstract=_rich(get("abstract", "")),
            keyword=keywords,
            note=note,
            citation_key=key,
            extra={"bibtex": extra} if extra else {},
            provenance=Provenance(source, line, end),
        )
    except Exception as exc:  # a bug, not bad input: still one record, not the whole file
        log.skip("BIB101", f"entry cannot be converted ({exc}), skipped", where)
        return None
