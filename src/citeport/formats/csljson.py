"""CSL-JSON (reader and writer), valid against the CSL-JSON schema 1.0.2 (`csl-data.json`).

The mapping is derived from the model: each `Reference` field is read from and written under its
CSL variable name (`model.CSL_VARIABLES`), names and dates in CSL's shapes, rich text in CSL's
HTML subset (`markup.csl`).

Reader. Input is a JSON array of items, a single item, or JSON lines (one item a line). Items are
split off the byte stream one at a time and parsed one at a time, so the parsed records of a
large array are never all in memory, and each item's first line is known for diagnostics. An
item of an indented array (what citation-js, pandoc, Zotero and this writer write) ends at the
first line holding its indentation and `}`, and is taken when that text parses (and so are the
items after it, each after a comma and a line break, one after the other); another item
that is whole in the buffer is matched in one call of a compiled pattern (strings skipped
whole, brackets paired, up to 8 levels); one cut off by the end of a read, deeper or unbalanced
is followed bracket by bracket. The splitting is linear in the input, however long a line or a
string; a UTF-16 input is decoded (`CSL111`).

| CSL-JSON                                   | model                                           |
|--------------------------------------------|-------------------------------------------------|
| `id` (string or number)                    | `id`; also `citation_key` when it is a valid key |
| `citation-key`                             | `citation_key`                                  |
| `type` (Crossref's spellings mapped too)   | `type`                                          |
| `title`, `container-title`, `abstract`     | rich text (`markup.csl.parse`)                  |
| `author`, `editor`, ... (model's names)    | `Name` (`literal`, particles, `suffix`)         |
| `issued`, `accessed`, ... (model's dates)  | `Date`: `date-parts`, `raw` (parsed), `literal` |
| `date-parts` months 13-16 and 21-24        | `Date.season` (Spring, Summer, Autumn, Winter)   |
| `DOI` (also a doi.org link, `doi:` prefix) | `doi`, bare (`ids.normalise_doi`; `CSL110`)     |
| `volume`, `issue`, `page`, ... numbers     | strings                                         |
| `keyword` "a, b"                           | `keyword` ("a", "b")                            |
| `journalAbbreviation`, `shortTitle`        | `container_title_short`, `title_short` (aliases) |
| other CSL 1.0.2 variables                  | `extra["csl"]`, written back as variables       |
| variables not in CSL 1.0.2 (reported)      | `extra["csl"]`, written back under `custom`     |
| `custom`                                   | `extra["csl"]["custom"]`, written back as `custom` |

Each value is checked for the shape it is mapped from: a wrong type is reported with its JSON
pointer (`/3/author/0/family`) and the item's id, and the value is converted when that keeps its
meaning (a number where a string belongs) or dropped. Dates are read tolerantly (string parts,
null or empty parts, more than three parts, `raw` strings); a month or day out of range (month 0
or 17, 31 April) is dropped from the date, reported (`CSL109`) and its date-parts kept under
`custom`. An item that is not an object, or JSON that cannot be parsed, is reported and skipped;
reading goes on with the next item. Inside an array each value that is not an object (a number,
a string, stray text between two commas) is one skipped item: `[1, 2, 3]` is three. An id given
to an earlier item is reported (`CSL112`) and both items are kept (the writers give each its
own key); the ids seen are remembered as 64-bit digests in a `keys.DigestSet` (8-9 bytes an
item). For `-j`, `split` cuts an input into chunks of the pieces its splitter finds (with their
line and item numbers), and the main process's `Joiner` finds the ids repeated across chunks.

Writer. `id` is the citation key (what pandoc and Zotero cite by) and `citation-key` repeats it;
the reader's own id, when it differs, goes under `custom` as `source-id`, and so do the fields of
`extra` (except the CSL variables kept in `extra["csl"]`, which are written as variables). The
output is one JSON array written item by item, so it streams; keys come in a fixed order. Each
item's text is made where it is rendered (in a worker with `-j`) with a stand-in for its key, for
the key it most likely gets (`keys.preferred_key`); the key is put in when the items are written
in order, and an item whose key turns out otherwise (a duplicate) is made again.
"""

from __future__ import annotations

import calendar
import io
import re
from array import array as int_array
from collections.abc import Generator, Iterable, Iterator, Mapping
from hashlib import blake2b
from typing import IO, Any

import orjson

from .. import registry
from ..dates import parse_iso
from ..diagnostics import DiagnosticLog, Location
from ..ids import normalise_doi
from ..keys import DigestSet, preferred_key
from ..markup import csl
from ..model import CSL_VARIABLES, ITEM_TYPES, Date, Name, Provenance, Reference
from ..names import parse_name
from ..options import WriteOptions
from ..records import RecordWriter, write_records
from ..registry import FormatInfo
from .encoding import decoded, utf16

NAME = "csljson"
#: The `Reference.extra` namespace of what the reader keeps without a model slot.
EXTRA = "csl"

#: Every item property of CSL-JSON 1.0.2 (csl-data.json), by the kind of value it holds.
NAME_VARIABLES = frozenset(
    """
    author chair collection-editor compiler composer container-author contributor curator
    director editor editorial-director executive-producer guest host interviewer illustrator
    narrator organizer original-author performer producer recipient reviewed-author
    script-writer series-creator translator
    """.split()
)
DATE_VARIABLES = frozenset(
    "accessed available-date event-date issued original-date submitted".split()
)
NUMBER_VARIABLES = frozenset(
    """
    chapter-number citation-number collection-number edition first-reference-note-number
    issue locator number number-of-pages number-of-volumes page page-first part printing
    supplement volume
    """.split()
)
STRING_VARIABLES = frozenset(
    """
    citation-key language journalAbbreviation shortTitle abstract annote archive
    archive_collection archive_location archive-place authority call-number citation-label
    collection-title container-title container-title-short dimensions division DOI event
    event-title event-place genre ISBN ISSN jurisdiction keyword medium note original-publisher
    original-publisher-place original-title part-title PMCID PMID publisher publisher-place
    references reviewed-genre reviewed-title scale section source status title title-short URL
    version volume-title volume-title-short year-suffix
    """.split()
)
VARIABLES = (
    NAME_VARIABLES
    | DATE_VARIABLES
    | NUMBER_VARIABLES
    | STRING_VARIABLES
    | frozenset(("id", "type", "categories", "custom"))
)
#: What makes an object an item: one of these (`custom` alone does not).
_ITEM_VARIABLES = VARIABLES - {"custom"}
#: CSL 1.0.2 item types.
TYPES = ITEM_TYPES
#: Old Zotero spellings CSL 1.0.2 still accepts, read into the model field of the new one.
ALIASES = {"journalAbbreviation": "container-title-short", "shortTitle": "title-short"}

_NAME_FIELDS = (
    ("family", "family"),
    ("given", "given"),
    ("dropping_particle", "dropping-particle"),
    ("non_dropping_particle", "non-dropping-particle"),
    ("suffix", "suffix"),
    ("literal", "literal"),
)


def write(
    refs: Iterable[Reference], out: IO[str], log: DiagnosticLog, options: WriteOptions
) -> int:
    """Write the references as a CSL-JSON array; returns the number written."""
    return write_records(RECORDS, refs, out, log, options)


def to_csl(
    ref: Reference, key: str, render_rich: Any = csl.render, omit: frozenset[str] = frozenset()
) -> dict[str, Any]:
    """The CSL-JSON item for `ref` with id `key`.

    `render_rich` turns rich text into a string (CSL's HTML subset by default; the IEEE writers
    pass their own). The model fields in `omit` are left out (the IEEE writers never print an
    abstract: rendering one only to delete it was a tenth of their time).
    """
    return _item(_parts(ref, render_rich, omit), key)


_Parts = tuple[dict[str, Any], dict[str, Any], str]


def _parts(
    ref: Reference, render_rich: Any = csl.render, omit: frozenset[str] = frozenset()
) -> _Parts:
    """Everything of the item but what depends on its key: (variables, custom, reader's id)."""
    item: dict[str, Any] = {"type": ref.type}
    for field_name, variable in CSL_VARIABLES.items():
        value = getattr(ref, field_name)
        if not value:
            continue
        if field_name == "citation_key" or field_name in omit:
            continue
        if isinstance(value, Date):
            item[variable] = date(value)
        elif isinstance(value, tuple) and value and isinstance(value[0], Name):
            item[variable] = [name(n) for n in value]
        elif field_name in ("title", "container_title", "abstract"):
            item[variable] = render_rich(value)
        elif field_name == "keyword":
            item[variable] = ", ".join(value)
        else:
            item[variable] = value
    custom: dict[str, Any] = {}
    for namespace, fields in ref.extra.items():
        if namespace != EXTRA:
            custom.update(fields)
            continue
        for variable, value in fields.items():
            if variable == "custom" and isinstance(value, Mapping):
                custom.update(value)
            elif variable in VARIABLES and variable not in item:
                item[variable] = value
            else:
                custom[variable] = value
    return item, custom, ref.id


def _item(parts: _Parts, key: str, likely: str | None = None) -> dict[str, Any]:
    """The item with id `key`; `custom.source-id` is there when the reader's id differs from
    `likely` (by default the key itself)."""
    variables, extra_custom, source_id = parts
    item: dict[str, Any] = {"id": key, **variables, "citation-key": key}
    custom = {"source-id": source_id} if source_id != (key if likely is None else likely) else {}
    custom.update(extra_custom)
    if custom:
        item["custom"] = custom
    return item


#: Stands for the citation key in the text `_render` makes (`"\u0000key\u0000"` in JSON); the
#: key is known only in `_dump`, in input order.
KEY = "\x00key\x00"
_KEY_JSON = orjson.dumps(KEY)
#: Members `_item` puts around the variables: with one of them among the variables the text
#: cannot be taken apart again, and the parts go to `_dump` as they are.
_FRAME = frozenset(("id", "citation-key", "custom"))

#: What `_render` hands `_dump`: the item's text (UTF-8) with `KEY` for its key, the key that
#: text was made for (its `custom.source-id` is there when the reader's id differs from it),
#: and the reader's id; or the item's parts, when its text could not be re-keyed.
_Payload = tuple[bytes, str, str] | _Parts


def _render(ref: Reference, log: DiagnosticLog, options: WriteOptions) -> _Payload:
    """The item's JSON text with `KEY` for its key, made for the key the item most likely gets.

    That is its own key when it is valid (`keys.CitationKeys` keeps it unless an earlier item
    took it), else its generated one; `_dump` puts the key in, and renders the item again only
    when the key given out differs (a duplicate) in a way that puts `custom.source-id` in or
    takes it out (the reader's id equals one of the two keys).
    """
    parts = _parts(ref)
    variables, extra_custom, source_id = parts
    if _FRAME.isdisjoint(variables) and "source-id" not in extra_custom:
        likely = preferred_key(ref)
        text = _text(_item(parts, KEY, likely))
        if text.count(_KEY_JSON) == 2:  # the key's two places, and no value that looks like it
            return text, likely, source_id
    return parts


def _dump(payload: _Payload, key: str, number: int) -> bytes:
    text, likely, source_id = payload
    if not isinstance(text, bytes):  # the parts, as `_render` found them
        return _text(_item(payload, key))  # type: ignore[arg-type]
    if key != likely and source_id in (likely, key):
        # `custom.source-id` is there for one key and not the other: make the text again
        variables = orjson.loads(text)
        custom = variables.pop("custom", {})
        del variables["id"], variables["citation-key"]
        if source_id != likely:
            del custom["source-id"]
        return _text(_item((variables, custom, source_id), key))
    return text.replace(_KEY_JSON, orjson.dumps(key))


def _text(item: dict[str, Any]) -> bytes:
    """An item as it stands in the output array, in UTF-8: indented by 2 under the array."""
    text = orjson.dumps(item, option=orjson.OPT_INDENT_2)
    return b"\n  " + text.replace(b"\n", b"\n  ")


RECORDS = RecordWriter(
    _render,
    _dump,
    before="[",
    separator=",",
    after=lambda count: "\n]\n" if count else "]\n",
    keyed=True,
    encoded=True,  # orjson's bytes, never decoded when the output takes bytes
)


def name(value: Name) -> dict[str, str]:
    """A CSL name object."""
    return {key: getattr(value, attr) for attr, key in _NAME_FIELDS if getattr(value, attr)}


def date(value: Date) -> dict[str, Any]:
    """A CSL date object: date-parts, or literal when the date could not be parsed."""
    out: dict[str, Any] = {}
    if value.parts:
        out["date-parts"] = [list(p) for p in value.parts]
    if value.season:
        out["season"] = value.season
    if value.circa:
        out["circa"] = True
    if value.literal:
        out["literal"] = value.literal
    return out


# -- reader --------------------------------------------------------------------------------------

#: Model field of each CSL variable the model has a slot for (with the aliases).
FIELDS: dict[str, str] = {variable: field for field, variable in CSL_VARIABLES.items()}
FIELDS.update({alias: FIELDS[target] for alias, target in ALIASES.items()})
_RICH = frozenset(("title", "container-title", "abstract"))
#: Variables whose string value is the model's value as it is (not a name, date, rich text,
#: DOI or keyword list, nor an alias): the reader's fast path for the common case.
_PLAIN = {
    variable: field
    for variable, field in FIELDS.items()
    if variable not in NAME_VARIABLES
    and variable not in DATE_VARIABLES
    and variable not in _RICH
    and variable not in ALIASES
    and variable not in ("DOI", "keyword")
}
#: The rich-text variables' model fields.
_RICH_FIELDS = {variable: FIELDS[variable] for variable in _RICH}
#: The model fields of the name and date variables that have one.
_NAME_SLOTS = {v: field for v, field in FIELDS.items() if v in NAME_VARIABLES}
_DATE_SLOTS = {v: field for v, field in FIELDS.items() if v in DATE_VARIABLES}
_NAME_PARTS = {variable: attr for attr, variable in _NAME_FIELDS}
#: Name properties CSL 1.0.2 allows that the model has no slot for (dropped, reported).
_NAME_FLAGS = frozenset(("comma-suffix", "static-ordering", "parse-names"))
#: Characters a citation key cannot hold (BibTeX's), the test `keys.CitationKeys` applies too.
_KEY_LIKE = re.compile(r"^[^\s\"#%'(),={}~\\]+$")
_TYPE_VALUE = re.compile(rb'"type"\s*:\s*"([A-Za-z_-]+)"')
_INT = re.compile(r"^\s*-?\d+\s*$")
_STRUCT = re.compile(rb'["\[\]{}]')
#: A value between commas inside an array (strings taken whole, commas and all).
_SEGMENT = re.compile(rb'(?:"(?:[^"\\]|\\.)*+"?|[^,"])++', re.DOTALL)
_CHUNK = 1 << 16
#: How many reads an item of an indented array waits for its closing line: then it is scanned
#: bracket by bracket, so no text is searched for it more than a few times, however small the
#: reads.
_REREADS = 4


def _nested(depth: int) -> re.Pattern[bytes]:
    """A JSON object or array nested at most `depth` deep, matched whole in C.

    Brackets pair as the splitter pairs them (any opener with any closer) and strings are
    skipped whole, as `_pieces` skips them; quantifiers are possessive, so a value deeper than
    `depth`, cut off, or unbalanced fails after one pass (the splitter then reads it itself).
    """
    other = rb'[^"\[\]{}]*+'
    string = rb'"[^"\\]*+(?:\\.[^"\\]*+)*+"'
    value = rb"[\[{]" + other + rb"(?:" + string + other + rb")*+[\]}]"
    for _ in range(depth - 1):
        inner = rb"(?:" + string + rb"|" + value + rb")"
        value = rb"[\[{]" + other + rb"(?:" + inner + other + rb")*+[\]}]"
    return re.compile(value, re.DOTALL)


#: An item of a few levels (CSL's deepest is date-parts: item, date, date-parts, one date).
_VALUE = _nested(8)
#: CSL's seasons written as months: 13-16 and 21-24 are spring, summer, autumn, winter.
SEASON_MONTHS = {
    13: "Spring",
    14: "Summer",
    15: "Autumn",
    16: "Winter",
    21: "Spring",
    22: "Summer",
    23: "Autumn",
    24: "Winter",
}


def sniff(head: bytes) -> int:
    """How sure we are (0-100) that `head` is CSL-JSON (an array, an item, or JSON lines).

    A JSON array of objects is CSL-JSON's own shape. A single object counts when a `type` holds
    a CSL item type and the object has none of the marks of a Crossref API response (see
    `crossref.sniff`), which shares the `.json` extension.
    """
    body = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if body.startswith(b"["):
        rest = body[1:].lstrip()
        if rest.startswith(b"]"):
            return 50
        return 80 if rest.startswith(b"{") else 0
    if not body.startswith(b"{"):
        return 0
    from .crossref import sniff as crossref_sniff

    if crossref_sniff(head) >= 50:
        return 0
    types = {m.decode() for m in _TYPE_VALUE.findall(body)}
    if not types & TYPES:
        return 0
    return 70 if b'"id"' in body else 60


def read(
    stream: IO[bytes],
    source: str,
    log: DiagnosticLog,
    pieces: list[tuple[int, int, bool]] | None = None,
    array: bool = False,
    first_index: int = 0,
    seen: DigestSet | None = None,
) -> Generator[Reference, None, int_array[int] | None]:
    """Yield one `Reference` per CSL-JSON item of `stream`; report and skip the rest.

    With `pieces`, `stream` is a chunk cut by `split`: the pieces its splitter found in the
    whole input, as (first line, length, is junk), one after the other; `array` says they are
    items of an array, the first of them item `first_index`. A chunk finds the ids repeated
    within it (`CSL112`), or within `seen` and it, and returns the digests of its ids, for
    `Joiner` to find those an earlier chunk holds.
    """
    if pieces is not None:
        data = stream.read()
        offsets = _offsets(pieces)
        ids: int_array[int] = int_array("Q")
        yield from _items(
            ((line, data[start:end], junk, None) for (line, _, junk), start, end in offsets),
            array,
            source,
            log,
            first_index,
            DigestSet() if seen is None else seen,
            ids,
        )
        return ids
    stream = decoded(stream, source, log, "CSL111")
    found = _split(stream)
    if found is not None:
        yield from _items(found[0], found[1], source, log, 0, DigestSet())
    return None


def _offsets(
    pieces: list[tuple[int, int, bool]],
) -> Iterator[tuple[tuple[int, int, bool], int, int]]:
    start = 0
    for piece in pieces:
        yield piece, start, start + piece[1]
        start += piece[1]


def _split(stream: IO[bytes]) -> tuple[Iterator[_Piece], bool] | None:
    """The pieces of a (UTF-8) input and whether they are the items of one array; None when
    the input is empty."""
    first = stream.read(_CHUNK)
    if first.startswith(b"\xef\xbb\xbf"):
        first = first[3:]
    body = first.lstrip()
    while not body and first:  # a long run of white space before the JSON
        first = stream.read(_CHUNK)
        body = first.lstrip()
    lines = False
    if body.startswith(b"{"):
        grown = bytearray(first)  # the first line, however long, read in linear time
        line_end = grown.find(b"\n")
        while line_end < 0:
            more = stream.read(_CHUNK)
            if not more:
                break
            line_end = len(grown) + more.find(b"\n") if b"\n" in more else -1
            grown += more
        first = bytes(grown)
        head_line = first[: line_end if line_end >= 0 else len(first)]
        lines = line_end >= 0 and _parses(head_line)
    if not body:
        return None
    if body.startswith(b"{") and lines:
        return _lines(first, stream), False
    return _pieces(first, stream), body.startswith(b"[")


def split(stream: IO[bytes], size: int) -> Iterator[tuple[bytes, dict[str, Any]]] | None:
    """Cut a CSL-JSON input into chunks of pieces of about `size` bytes that `read` reads as it
    reads them in the whole input: (bytes, `read`'s keyword arguments) pairs, in order; None
    (nothing read) for a UTF-16 input, which is read whole.

    The splitter `read` uses finds the pieces (items, and the junk between them), with their
    line numbers and item numbers, here; the chunks map them. (The splitter parses most items
    of an indented array to check where they end: the chunks parse them again, since handing
    parsed items to another process costs more. Cutting where an item most likely ends,
    unparsed, would leave a wrong cut to the worker, which cannot tell: where an item ends
    depends on all the text before it, an unclosed string in an earlier chunk included.)
    """
    buffered = stream if isinstance(stream, io.BufferedReader) else io.BufferedReader(stream)  # type: ignore[type-var]
    if utf16(buffered.peek(64)[:64]) is not None:
        return None
    return _chunks(buffered, size)


def _chunks(stream: IO[bytes], size: int) -> Iterator[tuple[bytes, dict[str, Any]]]:
    found = _split(stream)
    if found is None:
        return
    pieces, array = found
    index = 0  # the item number of the next piece, counted as `_items` counts
    data: list[bytes] = []
    where: list[tuple[int, int, bool]] = []
    held = first_index = 0
    for line, piece, junk, _ in pieces:
        data.append(piece)
        where.append((line, len(piece), junk))
        held += len(piece)
        if array or not junk:
            index += 1
        if held >= size:
            yield b"".join(data), {"pieces": where, "array": array, "first_index": first_index}
            data, where, held, first_index = [], [], 0, index
    if where:
        yield b"".join(data), {"pieces": where, "array": array, "first_index": first_index}


class Joiner(registry.Joiner):
    """Keeps the ids of a split input's items (64-bit digests). A chunk that holds an id an
    earlier chunk holds is read again here with every id before it, so its repeats are
    reported (`CSL112`) where a serial read reports them; a chunk of new ids (the rule) only
    adds its digests."""

    def __init__(self) -> None:
        self.seen = DigestSet()

    def clash(self, result: Any) -> dict[str, Any] | None:
        seen = self.seen
        return {"seen": seen} if any(digest in seen for digest in result) else None

    def add(self, result: Any) -> None:
        add = self.seen.add
        for digest in result:
            add(digest)  # a chunk read again added its ids already


def _digest(rid: str) -> int:
    digest = blake2b(rid.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "little")


def _parses(data: bytes) -> bool:
    try:
        return isinstance(orjson.loads(data), dict)
    except orjson.JSONDecodeError:
        return False


#: What the splitters yield: (first line, bytes, is junk, the value when already parsed).
_Piece = tuple[int, bytes, bool, Any]


def _items(
    pieces: Iterator[_Piece],
    array: bool,
    source: str,
    log: DiagnosticLog,
    index: int,
    seen: DigestSet,
    ids: int_array[int] | None = None,
) -> Iterator[Reference]:
    """Parse each piece and map it; `array` says the pieces are the items of one array, the
    first of them item `index`. `seen` holds 64-bit digests of the ids read so far; `ids`,
    if given, gets the digest of each id read."""
    for line, data, junk, parsed in pieces:
        where = Location(source, line)
        if junk:
            text = data[:200].decode("utf-8", "replace").strip(" \t\r\n,")
            excerpt = text if len(text) <= 60 and len(data) <= 200 else text[:57] + "..."
            at = ""
            if array:  # each value between the objects is an array item of its own
                at = f"item /{index} "
                index += 1
            log.skip("CSL102", f"{at}not a CSL-JSON item ({excerpt!r}), skipped", where)
            continue
        pointer = f"/{index}" if array else ""
        index += 1
        try:
            obj = parsed if parsed is not None else orjson.loads(data)
        except orjson.JSONDecodeError as exc:
            log.skip("CSL101", f"item {pointer or '/'}: invalid JSON ({exc.msg}), skipped", where)
            continue
        if not isinstance(obj, dict):
            kind = type(obj).__name__ if obj is not None else "null"
            log.skip(
                "CSL102", f"item {pointer or '/'} is a JSON {kind}, not an object, skipped", where
            )
            continue
        if _ITEM_VARIABLES.isdisjoint(obj):
            names = ", ".join(list(obj)[:5]) or "nothing"
            log.skip(
                "CSL102",
                f"item {pointer or '/'} holds no CSL variable ({names}), skipped",
                where,
            )
            continue
        ref = from_csl(obj, pointer, where, log, index)
        digest = _digest(ref.id)
        if ids is not None:
            ids.append(digest)
        if not seen.add(digest):
            log.report(
                "CSL112",
                f"{pointer or '/'}: id {ref.id!r} is used by an earlier item; both kept",
                Location(source, line, ref.id, "id"),
            )
        yield ref


def _lines(first: bytes, stream: IO[bytes]) -> Iterator[_Piece]:
    """JSON lines: each non-blank line is one piece (a long line is gathered in linear time)."""
    number = 0
    parts: list[bytes] = []  # the pieces of the line being read
    chunk = first
    while chunk:
        begin = 0
        while (end := chunk.find(b"\n", begin)) >= 0:
            parts.append(chunk[begin:end])
            raw = b"".join(parts)
            parts = []
            number += 1
            begin = end + 1
            if raw.strip():
                yield number, raw, not raw.lstrip().startswith(b"{"), None
        if begin < len(chunk):
            parts.append(chunk[begin:])
        chunk = stream.read(_CHUNK)
    raw = b"".join(parts)
    if raw.strip():
        yield number + 1, raw, not raw.lstrip().startswith(b"{"), None


def _pieces(first: bytes, stream: IO[bytes], layout: bool = True) -> Iterator[_Piece]:
    """Split a JSON array (or a run of objects) into its top-level values, as bytes.

    Yields (first line, bytes, is_junk, value): an object or array is one piece; anything else
    between them other than white space and commas (a number, a string, stray text) is junk, one
    piece per value between commas inside the outer array. Each byte is scanned once: a string cut
    off by the end of a read is resumed where its scan stopped, and the buffer only grows at its
    end, so a 10 MB string or line costs linear time. An object of an indented array is
    usually found, and parsed, by `_indented`: then `value` is the parsed object; else None.
    After such an object, the objects that follow it each after a comma and a line break (the
    array's own layout) are taken one after the other without the search for the next bracket:
    that search would find the `{` after the line break and no junk before it, and `_indented`
    the same end. `layout=False` turns both off (every value found by the bracket scan: the
    reference the tests compare with).
    """
    buf = bytearray(first)
    line, mark = 1, 0  # `line` is the line number at offset `mark`
    pos = cur = 0  # start of unconsumed text; where the next search starts
    start = -1  # start of the value being read, when inside one
    string = scan = -1  # text start of a string the buffer ends in; where its scan resumes
    depth = 0
    outer = 0  # 1 inside the outer array, 2 after it
    eof = False
    indented = layout  # items so far were found by `_indented`: try it on the next one

    def line_at(offset: int) -> int:
        nonlocal line, mark
        line += buf.count(b"\n", mark, offset)
        mark = offset
        return line

    def refill() -> bool:
        """Read on into the buffer (dropping what was consumed); False at the end."""
        nonlocal mark, pos, cur, start, string, scan
        chunk = stream.read(_CHUNK)
        if not chunk:
            return False
        keep = start if start >= 0 else pos
        line_at(keep)
        del buf[:keep]
        buf.extend(chunk)
        mark, pos, cur = 0, pos - keep, cur - keep
        if start >= 0:
            start -= keep
        if string >= 0:
            string, scan = string - keep, scan - keep
        return True

    def junk(end: int) -> Iterator[_Piece]:
        text = bytes(buf[pos:end])
        if not text.replace(b",", b"").strip():
            return
        if outer != 1:
            offset = pos + len(text) - len(text.lstrip(b" \t\r\n,"))
            yield line_at(offset), text, True, None
            return
        for value in _SEGMENT.finditer(text):
            piece = value.group()
            if piece.strip():
                offset = pos + value.start() + len(piece) - len(piece.lstrip())
                yield line_at(offset), piece.strip(), True, None

    while True:
        found = None
        if string >= 0:
            close = _string_end(buf, string, scan)
            if close >= 0:
                cur, string = close, -1
                continue
            scan = len(buf)
        else:
            found = _STRUCT.search(buf, cur)
            if found is not None and found.group() == b'"':
                string = scan = found.end()
                continue
        if found is None:
            if not eof:
                if refill():
                    continue
                eof = True
            if start >= 0:  # a value cut off by the end of the input
                yield line_at(start), bytes(buf[start:]), False, None
            else:
                yield from junk(len(buf))
            return
        at = found.start()
        char = found.group()
        cur = at + 1
        if depth:
            if char in b"[{":
                depth += 1
            else:
                depth -= 1
                if not depth:
                    yield line_at(start), bytes(buf[start:cur]), False, None
                    start, pos = -1, cur
            continue
        if char == b"[" and outer == 0:  # the outer array (stray text before it is junk)
            yield from junk(at)
            outer, pos = 1, cur
        elif char in b"[{":
            yield from junk(at)
            pos = at  # the junk before it is read: a read may drop it
            if indented and char == b"{":
                end, piece, value = _indented(buf, at)
                rereads = 0
                while end == 0 and rereads < _REREADS and not eof:  # cut off by a read
                    eof, rereads = not refill(), rereads + 1
                    at = cur - 1
                    end, piece, value = _indented(buf, at)
                if end > 0:  # the common case of an indented array: found and parsed
                    cur = pos = end
                    yield line_at(at), piece, False, value
                    # The items after it, each right after the comma and line break: what the
                    # search for the next `{`, its empty junk and `_indented` would find.
                    indent = piece[piece.rfind(b"\n") + 1 : -1]
                    closer = b"\n" + indent + b"}"
                    follows = (b",\n" + indent + b"{", b",\r\n" + indent + b"{")
                    rereads = 0
                    while True:
                        if not buf.startswith(follows, cur):
                            if eof or rereads == _REREADS or len(buf) - cur >= len(follows[1]):
                                break
                            eof, rereads = not refill(), rereads + 1
                            continue
                        at = buf.index(b"{", cur)
                        close = buf.find(closer, at)
                        if close < 0:
                            if eof or rereads == _REREADS:
                                break  # the general loop takes it
                            eof, rereads = not refill(), rereads + 1
                            continue
                        piece = bytes(buf[at : close + len(closer)])
                        try:
                            value = orjson.loads(piece)
                        except orjson.JSONDecodeError:
                            break  # the general loop takes it
                        cur = pos = close + len(closer)
                        rereads = 0
                        yield line_at(at), piece, False, value
                    continue
                indented = end == 0  # no closing line within reach: try the next one
            whole = _VALUE.match(buf, at)
            if whole is not None:  # the common case: the item is in the buffer, found in C
                cur = pos = whole.end()
                yield line_at(at), bytes(buf[at:cur]), False, None
            else:  # cut off by the end of the buffer, deeper, or unbalanced: bracket by bracket
                start, depth = at, 1
        elif char == b"]" and outer == 1:
            yield from junk(at)
            outer, pos = 2, cur
        # a stray closer stays in the junk run


def _indented(buf: bytearray, at: int) -> tuple[int, bytes, Any]:
    """The object of an indented array that starts at `at`, found without scanning it.

    Returns (end, bytes, value); end 0 when the buffer holds no candidate end (the item may be
    cut off), -1 when the item is not laid out that way or the candidate is not its end. In
    an array written with indentation (citation-js, pandoc, Zotero, this writer) an object that
    starts its line closes at the first later line holding its indentation and `}`; a newline
    cannot stand inside a JSON string, so no value can fake it. The candidate is the item only
    when it parses, and then it is exactly the piece the bracket scan finds (a JSON text ends
    where its brackets pair), parsed once.
    """
    line_start = buf.rfind(b"\n", 0, at) + 1
    indent = bytes(buf[line_start:at])
    if indent.strip(b" \t"):
        return -1, b"", None
    close = buf.find(b"\n" + indent + b"}", at)
    if close < 0:
        return 0, b"", None
    piece = bytes(buf[at : close + len(indent) + 2])
    try:
        return len(piece) + at, piece, orjson.loads(piece)
    except orjson.JSONDecodeError:
        return -1, b"", None


def _string_end(buf: bytearray, begin: int, scan: int) -> int:
    """The offset after the closing quote of the string whose text starts at `begin`, looking
    from `scan` on; -1 when the buffer ends first."""
    while True:
        quote = buf.find(b'"', scan)
        if quote < 0:
            return -1
        slash = quote
        while slash > begin and buf[slash - 1] == 0x5C:  # backslashes escaping the quote?
            slash -= 1
        if (quote - slash) % 2 == 0:
            return quote + 1
        scan = quote + 1


def from_csl(
    obj: Mapping[str, Any],
    pointer: str,
    where: Location,
    log: DiagnosticLog,
    index: int = 1,
) -> Reference:
    """The `Reference` for one CSL-JSON item (an object), reporting what does not fit.

    `pointer` is the item's JSON pointer in its file ("/3", or "" for a file of one item),
    `index` its 1-based position (for the id of an item without one).
    """
    rid = _id(obj.get("id"))
    if rid is None:
        rid = f"item-{index}"
        log.report(
            "CSL103",
            f"{pointer or '/'}: item has no usable id ({obj.get('id')!r}); read as {rid}",
            Location(where.source, where.line, rid, "id"),
        )
    item = _Item(rid, obj, pointer, where, log)
    values: dict[str, Any] = {}
    for variable, value in obj.items():
        if type(value) is str:  # what `_Item.variable` makes of a string, without its checks
            field = _PLAIN.get(variable)
            if field is not None:  # most values: kept as they are
                if value:
                    values[field] = value
                continue
            field = _RICH_FIELDS.get(variable)
            if field is not None:  # a title: rich text
                if value:
                    values[field] = csl.parse(value)
                continue
            if variable == "DOI" and value.startswith("10.") and value == value.strip():
                values["doi"] = value  # bare: `normalise_doi` leaves it as it is
                continue
        elif value is not None:  # what `_Item.variable` does for names and dates
            field = _NAME_SLOTS.get(variable)
            if field is not None:
                values[field] = item.names(variable, value)
                continue
            field = _DATE_SLOTS.get(variable)
            if field is not None:
                found = item.date(variable, value)
                if found is not None:
                    values[field] = found
                continue
        if variable not in ("id", "type"):
            item.variable(variable, value, values)
    key = values.get("citation_key") or (rid if _KEY_LIKE.match(rid) else "")
    values["citation_key"] = key
    extra = {EXTRA: item.extra} if item.extra else {}
    return Reference(
        id=rid,
        type=item.type(obj.get("type")),
        extra=extra,
        provenance=Provenance(where.source, where.line) if where.line else None,
        **values,
    )


def _id(value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return None


class _Item:
    """Reading state of one item: where it is, and what goes to extra."""

    __slots__ = ("extra", "given", "log", "pointer", "rid", "where")

    def __init__(
        self, rid: str, given: Mapping[str, Any], pointer: str, where: Location, log: DiagnosticLog
    ) -> None:
        self.rid = rid
        self.given = given
        self.pointer = pointer
        self.where = where
        self.log = log
        self.extra: dict[str, Any] = {}

    def report(self, code: str, field: str, path: str, message: str) -> None:
        self.log.report(
            code,
            f"{self.pointer}/{path} {message}",
            Location(self.where.source, self.where.line, self.rid, field),
        )

    def wrong(self, field: str, path: str, value: Any, expected: str, outcome: str) -> None:
        self.report("CSL105", field, path, f"is {_kind(value)}, expected {expected}; {outcome}")

    def type(self, value: Any) -> str:
        if isinstance(value, str) and value in TYPES:
            return value
        from .crossref import TYPES as CROSSREF_TYPES

        if isinstance(value, str) and value in CROSSREF_TYPES:
            mapped = CROSSREF_TYPES[value]
            self.report("CSL104", "type", "type", f"{value!r} is Crossref's type; read as {mapped}")
            return mapped
        if value is not None:
            self.extra["source-type"] = value
        self.report("CSL104", "type", "type", f"{value!r} is not a CSL item type; read as document")
        return "document"

    def variable(self, variable: str, value: Any, values: dict[str, Any]) -> None:
        if value is None:
            self.wrong(variable, variable, value, "a value", "dropped")
            return
        field = FIELDS.get(variable)
        if variable in ALIASES and ALIASES[variable] in self.given:
            field = None  # both spellings given: the old one is kept as it is
        if field is None:
            self.keep(variable, value)
            return
        converted = self.convert(variable, field, value)
        if converted is not None:
            values[field] = converted

    def keep(self, variable: str, value: Any) -> None:
        """A variable without a model slot: kept in extra, in a shape the writer can use."""
        if variable == "custom":
            if isinstance(value, dict):
                self.extra["custom"] = value
            else:
                self.extra["custom-value"] = value
                self.wrong(variable, variable, value, "an object", "kept in custom")
            return
        if variable not in VARIABLES:
            self.extra[variable] = value
            self.report("CSL106", variable, variable, "is not a CSL 1.0.2 variable; kept in custom")
            return
        if variable in NAME_VARIABLES:
            names = self.names(variable, value)
            if names:
                self.extra[variable] = [name(n) for n in names]
        elif variable in DATE_VARIABLES:
            parsed = self.date(variable, value)
            if parsed is not None:
                self.extra[variable] = date(parsed)
        elif variable == "categories":
            if isinstance(value, list) and all(isinstance(v, str) for v in value):
                self.extra[variable] = value
            else:
                self.extra[f"{variable}-value"] = value
                self.wrong(variable, variable, value, "a list of strings", "kept in custom")
        else:
            text = self.string(variable, value, variable in NUMBER_VARIABLES)
            if text:
                self.extra[variable] = text

    def convert(self, variable: str, field: str, value: Any) -> Any:
        if variable in NAME_VARIABLES:
            return self.names(variable, value)
        if variable in DATE_VARIABLES:
            return self.date(variable, value)
        text = self.string(variable, value, variable in NUMBER_VARIABLES)
        if not text:
            return None
        if variable == "DOI":
            bare = normalise_doi(text)
            if bare != text.strip():
                self.report("CSL110", variable, variable, f"{text!r} read as the DOI {bare!r}")
            return bare or None
        if variable in _RICH:
            return csl.parse(text)
        if variable == "keyword":
            return tuple(k for k in (k.strip() for k in text.split(",")) if k)
        return text

    def string(self, variable: str, value: Any, number: bool) -> str:
        if isinstance(value, str):
            return value
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            text = (
                str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)
            )
            if not number:
                self.wrong(variable, variable, value, "a string", f"read as {text!r}")
            return text
        if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            outcome = f"read as {value[0]!r}"
            if len(value) > 1:
                self.extra[f"{variable}-others"] = value[1:]
                outcome += ", the others kept in custom"
            self.wrong(variable, variable, value, "a string", outcome)
            return str(value[0])
        if value in ([], {}, ""):
            return ""
        self.extra[f"{variable}-value"] = value
        self.wrong(variable, variable, value, "a string", "kept in custom")
        return ""

    def names(self, variable: str, value: Any) -> tuple[Name, ...]:
        if isinstance(value, dict):
            self.wrong(variable, variable, value, "a list of names", "read as a list of one")
            value = [value]
        elif isinstance(value, str):
            self.wrong(variable, variable, value, "a list of names", "read as one name")
            value = [value]
        elif not isinstance(value, list):
            self.wrong(variable, variable, value, "a list of names", "dropped")
            return ()
        out: list[Name] = []
        dropped: set[str] = set()
        for number, entry in enumerate(value):
            if not isinstance(entry, dict):
                path = f"{variable}/{number}"
                if isinstance(entry, str):
                    parsed = parse_name(entry)
                    self.wrong(variable, path, entry, "a name object", "read as a name")
                    if parsed is not None:
                        out.append(parsed)
                else:
                    self.wrong(variable, path, entry, "a name object", "dropped")
                continue
            parts: dict[str, str] = {}
            for key, part in entry.items():
                attr = _NAME_PARTS.get(key)
                if attr is not None and type(part) is str:  # the common case
                    text = part.strip()
                    if text:
                        parts[attr] = text
                    continue
                if attr is None:
                    if part not in (None, "", [], False):
                        dropped.add(key)
                    continue
                if isinstance(part, str):
                    text = part.strip()
                elif isinstance(part, (int, float)) and not isinstance(part, bool):
                    text = str(part)
                    self.wrong(
                        variable,
                        f"{variable}/{number}/{key}",
                        part,
                        "a string",
                        f"read as {text!r}",
                    )
                else:
                    if part is not None:
                        self.wrong(
                            variable, f"{variable}/{number}/{key}", part, "a string", "dropped"
                        )
                    continue
                if text:
                    parts[attr] = text
            if parts:
                out.append(Name(**parts))
            elif entry:
                self.report("CSL105", variable, f"{variable}/{number}", "has no name part; dropped")
        if dropped:
            self.report(
                "CSL108",
                variable,
                variable,
                f"name properties with no place in the model dropped: {', '.join(sorted(dropped))}",
            )
        return tuple(out)

    def date(self, variable: str, value: Any) -> Date | None:
        if type(value) is dict and len(value) == 1:  # the common case: nothing to report
            simple = _simple_date(value.get("date-parts"))
            if simple is not None:
                return simple
        if isinstance(value, str):
            self.wrong(variable, variable, value, "a date object", "read as a raw date")
            value = {"raw": value}
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            self.wrong(variable, variable, value, "a date object", "read as a year")
            value = {"date-parts": [[value]]}
        elif not isinstance(value, dict):
            self.wrong(variable, variable, value, "a date object", "dropped")
            return None
        parts, month_season, bad = check_parts(self.date_parts(variable, value.get("date-parts")))
        if bad:
            self.extra[f"{variable}-date-parts"] = value.get("date-parts")
            for path, problem in bad:
                self.report(
                    "CSL109",
                    variable,
                    f"{variable}/date-parts/{path}",
                    f"{problem}; dropped, the date-parts kept in custom",
                )
        raw = value.get("raw")
        literal = value.get("literal")
        season = value.get("season")
        circa = value.get("circa")
        dropped = sorted(
            k
            for k, v in value.items()
            if k not in ("date-parts", "raw", "literal", "season", "circa") and v not in (None, "")
        )
        if raw not in (None, "") and not isinstance(raw, str):
            self.wrong(variable, f"{variable}/raw", raw, "a string", "dropped")
            raw = None
        if literal not in (None, "") and not isinstance(literal, str):
            self.wrong(variable, f"{variable}/literal", literal, "a string", "dropped")
            literal = None
        if isinstance(raw, str) and raw.strip():
            if parts:
                dropped.append("raw")
            else:
                parts = _parse_raw(raw)
                if not parts and not literal:
                    literal = raw.strip()
                    self.report(
                        "CSL107",
                        variable,
                        f"{variable}/raw",
                        f"{raw!r} is not a date; kept as literal",
                    )
                elif not parts:
                    dropped.append("raw")
        if dropped:
            self.report(
                "CSL108",
                variable,
                variable,
                f"date properties with no place in the model dropped: {', '.join(dropped)}",
            )
        season_text = ""
        if isinstance(season, (str, int)) and not isinstance(season, bool) and season != "":
            season_text = str(season)
        elif season not in (None, ""):
            self.wrong(variable, f"{variable}/season", season, "a string", "dropped")
        season_text = season_text or month_season
        found = Date(
            parts=parts,
            season=season_text,
            circa=bool(circa) and circa not in ("0", "false"),
            literal=literal or "",
        )
        return found if found != Date() else None

    def date_parts(self, variable: str, value: Any) -> tuple[tuple[int, ...], ...]:
        if value is None:
            return ()
        path = f"{variable}/date-parts"
        if not isinstance(value, list):
            self.wrong(variable, path, value, "a list of lists", "dropped")
            return ()
        out: list[tuple[int, ...]] = []
        for number, part in enumerate(value[:2]):
            if not isinstance(part, list):
                self.wrong(variable, f"{path}/{number}", part, "a list", "dropped")
                return ()
            ints: list[int] = []
            for position, piece in enumerate(part[:3]):
                converted = _date_int(piece)
                if converted is None:
                    if piece is not None and piece != "":
                        self.wrong(
                            variable, f"{path}/{number}/{position}", piece, "a number", "dropped"
                        )
                    break
                ints.append(converted)
            if len(part) > 3:
                self.report(
                    "CSL107", variable, f"{path}/{number}", f"has {len(part)} parts; kept 3"
                )
            if not ints:
                if part:
                    self.report("CSL107", variable, f"{path}/{number}", "has no year; dropped")
                continue
            out.append(tuple(ints))
        if len(value) > 2:
            self.report("CSL107", variable, path, f"has {len(value)} dates; kept 2")
        if not out and all(isinstance(p, list) and not p for p in value):
            self.report("CSL107", variable, path, "is empty; no date")
        return tuple(out)


def check_parts(
    parts: tuple[tuple[int, ...], ...],
) -> tuple[tuple[tuple[int, ...], ...], str, list[tuple[str, str]]]:
    """CSL date-parts made fit for the model: (parts, season, problems).

    A season written as a month (13-16 or 21-24) becomes the season ("Spring", or
    "Spring-Summer" for a range of two) and leaves the year alone; a month out of 1-12 or a day
    that month does not have is dropped (with what follows it) and named in `problems`, as
    (path below date-parts, message).
    """
    out: list[tuple[int, ...]] = []
    seasons: list[str] = []
    problems: list[tuple[str, str]] = []
    for number, part in enumerate(parts):
        kept: tuple[int, ...] = part[:1]
        month = part[1] if len(part) > 1 else None
        day = part[2] if len(part) > 2 else None
        if month is None:
            pass
        elif month in SEASON_MONTHS:
            seasons.append(SEASON_MONTHS[month])
            if day is not None:
                problems.append((f"{number}/2", f"day {day} given with a season"))
        elif not 1 <= month <= 12:
            problems.append((f"{number}/1", f"month {month} is out of range"))
        elif day is not None and not 1 <= day <= calendar.monthrange(part[0], month)[1]:
            kept = part[:2]
            problems.append((f"{number}/2", f"day {day} is out of range for month {month}"))
        else:
            kept = part
        out.append(kept)
    if seasons and len(out) == 2 and out[0] == out[1]:
        out = out[:1]  # [[2020, 13], [2020, 14]]: one year, the season "Spring-Summer"
    return tuple(out), "-".join(dict.fromkeys(seasons)), problems


def _simple_date(parts: Any) -> Date | None:
    """`[[year]]`, `[[year, month]]` or `[[year, month, day]]` of plain ints that every check
    passes (month 1-12, day 1-28), as a `Date`; None for anything else (`_Item.date` reads it).
    """
    if type(parts) is not list or len(parts) != 1:
        return None
    ymd = parts[0]
    if type(ymd) is not list or not 1 <= len(ymd) <= 3:
        return None
    for index, piece in enumerate(ymd):
        if (
            type(piece) is not int
            or not _SIMPLE_RANGES[index][0] <= piece <= _SIMPLE_RANGES[index][1]
        ):
            return None
    return Date(parts=(tuple(ymd),))


#: Year, month and day that need no check (a day up to 28 exists in every month).
_SIMPLE_RANGES = ((1, 9999), (1, 12), (1, 28))


def _date_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and _INT.match(value):
        return int(value)
    return None


def _parse_raw(raw: str) -> tuple[tuple[int, ...], ...]:
    """Date-parts of a `raw` date: an ISO date, or an EDTF range "2019-05-14/2019-05-16"."""
    sides = raw.strip().split("/") if raw.count("/") == 1 and "-" in raw else [raw]
    parts: list[tuple[int, ...]] = []
    for side in sides:
        parsed = parse_iso(side)
        if parsed is None or not parsed.parts:
            return ()
        parts.append(parsed.parts[0])
    return tuple(parts)


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return f"a number ({value!r})"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


FORMATS = (
    FormatInfo(
        NAME,
        "CSL-JSON (Zotero, pandoc, citation-js)",
        reader=read,
        writer=write,
        records=RECORDS,
        sniff=sniff,
        extensions=(".json",),
        aliases=("csl-json", "csl"),
        split=split,
        joiner=Joiner,
    ),
)
