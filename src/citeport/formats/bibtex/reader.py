"""BibTeX and BibLaTeX reader, on bibtexparser 2.x (the field mapping is in `mapping.py`).

What it handles, and how:

- Encodings: UTF-8 with or without a BOM, UTF-16 with a BOM (or with the NUL-byte pattern of
  UTF-16 text), else Windows-1252 (Latin-1 for its five undefined bytes), with a BIB105 warning.
  Control characters (NUL...) are removed (BIB110); input without any entry is BIB111.
- Streaming: bibtexparser parses a whole string, so the text is cut into entry-sized chunks at
  lines starting with `@` outside braces (or at a line that starts a new `@type{key,` entry
  inside an unclosed one that is plausibly over: see `chunks`), and each chunk is parsed on its
  own. Line numbers are the file's.
  A seekable UTF-8/Windows-1252 file is read twice in blocks of about `BLOCK_BYTES` cut at
  line feeds, never whole: a first pass (`_Scan`) settles the encoding (BIB105, BIB110) and
  keeps only the keys some `crossref`/`xdata` names and the brace-depth floors the cutting
  needs; the second decodes, cuts and parses block by block. A pipe or UTF-16 text is read
  and decoded whole first. `@string` macros stay in effect for later chunks. Parsed entries
  are yielded and forgotten, except the entries some `crossref`/`xdata` names and children
  waiting for a parent that comes later; duplicate keys are found by 64-bit key digests.
- `@string` macros, `#` concatenation, month macros; `@preamble` is reported (BIB109) and not
  kept; `@comment` and text between entries are ignored.
- `crossref` and `xdata` inheritance with biblatex's field rules; a missing parent is BIB106.
- Duplicate keys: the first entry is kept, the later one skipped (BIB102). Duplicate fields:
  the first value is kept (BIB103).
- A broken entry is one BIB101 error with its line; reading goes on with the next entry.
- Every field is mapped, or kept in `extra["bibtex"]` (the writers write it back), or
  reported. A mapped field whose value is only LaTeX commands with no text (a journal macro
  like `\\aap`) is kept as written in extra and reported (BIB112), not read as empty. Of two
  fields for one slot (`journaltitle`/`journal`/`booktitle`, `location`/`address`,
  `langid`/`language`, `date`/`year`+`month`) the first fills the model and the other is kept
  when it differs (see `mapping.py`).
- bibtexparser's own log records about failed blocks are filtered out while this reader parses
  (a `logging.Filter` that looks at a context variable; no logger is switched off).
- Values: LaTeX to Unicode rich text (`citeport.markup.latex.parse`); TeX logos read as their
  names (`\\TeX` as "TeX"). A LaTeX command the parser does not know is kept in the value as
  written (a raw TeX span, which the BibTeX writers write back) and reported per field and
  command (BIB113). Names "First von Last", "von Last, First", "von Last, Jr, First";
  `{Braced Name}` is a literal name; `and others` is kept as the "et al." intent in
  `extra["bibtex"]["@others"]`.
"""

from __future__ import annotations

import io
import logging
import re
import threading
from array import array
from bisect import bisect_left
from collections.abc import Callable, Generator, Iterable, Iterator, Set
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from hashlib import blake2b
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

from ... import registry
from ...dates import parse_iso
from ...diagnostics import Diagnostic, DiagnosticLog, Location
from ...keys import DigestSet
from ...markup import latex
from ...model import Date, Name, Provenance, Reference
from ...richtext import Inline, RichText, Text, concat, plain
from .detect import ENTRY_START, looks_utf16, utf16_codec
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

_STRONG_START = re.compile(r"@[A-Za-z]+[ \t]*\{[ \t]*[^\s,={}\"#%'()]+[ \t]*,")
_PARENT_REF = re.compile(r"\b(?:crossref|xdata)\s*=\s*[{\"]?\s*([^}\"]+)", re.IGNORECASE)
#: A `crossref`/`xdata` value that the end of the text read so far may cut short.
_PARENT_TAIL = re.compile(r"\b(?:crossref|xdata)\s*(?:=\s*[{\"]?\s*[^}\"]*)?\Z", re.IGNORECASE)
#: Where `_PARENT_REF` or `_PARENT_TAIL` can match at all (no other character folds to `c` or
#: `x`): text without it is skipped, as the two patterns are slow over a whole block.
_PARENT_WORD = re.compile(r"[cCxX](?i:rossref|data)")
#: The reader reads its input in blocks of about this many bytes (cut at a line end).
BLOCK_BYTES = 1 << 20
_UTF8_BOM = b"\xef\xbb\xbf"
_DOI_PREFIX = re.compile(r"^\s*(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_URL_COMMAND = re.compile(r"^\s*\\url\s*\{([^{}]*)\}\s*$")
_VERBATIM_ESCAPE = re.compile(r"\\([_%&#$~{}])")
#: BibTeX's white space (ASCII only: a no-break space, `~` or U+00A0, is text).
_WHITE = " \t\r\n\f\v"
#: A run of white space that is not one plain space: each becomes one space (most values, whose
#: words are one space apart, have no match at all).
_SPACE_RUN = re.compile(r"[\t\r\n\f\v][ \t\r\n\f\v]*| [ \t\r\n\f\v]+")
_PAGE_DASH = re.compile(r"\s*(?:--+|[\u2010-\u2015])\s*|\s+-\s+")
_KEYWORD_SPLIT = re.compile(r"\s*[,;]\s*")
_AND = re.compile(" and ", re.IGNORECASE)
_EDTF_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_UNDEFINED_CP1252 = re.compile("[\udc80-\udcff]")
#: Stands for an `@` that starts a line inside a field value while bibtexparser parses a chunk
#: (a Unicode noncharacter; not used when the text holds it already).
QUOTED_AT = "\ufdd0"
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f]")
_YEAR = re.compile(r"^\s*(\d{1,4})\s*$")
_COMMAND = re.compile(r"\\(?:[A-Za-z@]+|.)")
_WORDS_OUTSIDE_COMMANDS = re.compile(r"\w")
_BARE_COMMAND = re.compile(r"\\[A-Za-z@]+\s*")
#: Mapped fields that are not LaTeX text: verbatim (url, doi) or entry keys (crossref, xdata).
_NOT_LATEX = frozenset(("url", "doi", "crossref", "xdata"))

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
#: The blocks that are (or were meant to be) entries, macros or a preamble: not comments.
_READ_BLOCKS = (Entry, String, Preamble, ParsingFailedBlock, DuplicateFieldKeyBlock)


def decode(data: bytes, source: str, log: DiagnosticLog) -> str:
    """The text of a BibTeX file: UTF-8 (BOM or not), UTF-16, else Windows-1252 (reported).

    Control characters (NUL and the other C0 codes but tab, line feed, carriage return, form
    feed and vertical tab; DEL) have no place in BibTeX and would reach every output: they are
    removed (BIB110).
    """
    text = _decode(data, source, log)
    found = _CONTROL.search(text)
    if found is None:
        return text
    line = text.count("\n", 0, found.start()) + 1
    message = f"control characters (such as U+{ord(found.group()):04X}) removed from the input"
    log.report("BIB110", message, Location(source, line))
    return _CONTROL.sub("", text)


def _decode(data: bytes, source: str, log: DiagnosticLog) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace")
    elif looks_utf16(data):
        return data.decode(utf16_codec(data), "replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        log.report(
            "BIB105", "input is not valid UTF-8; read as Windows-1252", Location(source, line)
        )
        return _cp1252(data)


def _cp1252(data: bytes) -> str:
    # Windows-1252 leaves five bytes undefined: those are read as Latin-1 (C1 controls).
    text = data.decode("cp1252", "surrogateescape")
    return _UNDEFINED_CP1252.sub(lambda m: chr(ord(m.group()) - 0xDC00), text)


def chunks(text: str) -> Iterator[tuple[int, str]]:
    """Cut BibTeX text into entry-sized chunks: (0-based line of the chunk start, its text).

    A chunk starts at a line beginning with `@` at brace depth 0. A line that clearly starts a
    new entry (`@type{key,` at the start of the line) inside an unclosed one also starts a
    chunk, when the unclosed entry is plausibly over: only its own brace is open and the last
    non-blank line ends a field (`}` or `},`), or its braces never balance again before the
    end of the text. So `@article{key,` quoted on a line of a `note` or `abstract` stays in
    its field, and an entry that lost its closing brace does not swallow the next ones. An `@`
    that starts a line inside a braced value is given as `QUOTED_AT` (bibtexparser would end
    the entry there); `read` turns it back into `@`.
    """
    scan = _Scan()
    scan.add(text)
    scan.finish()
    return _cut([text], scan)


class _Scan:
    """What cutting and reading need to know about the whole text before the first entry.

    Fed the text block by block (each ending at a line end), it keeps only: whether the text
    holds `QUOTED_AT`, the keys some `crossref`/`xdata` names, and the lowest brace depth the
    text reaches after each line onwards, as the steps of that (rising) function: the lines
    whose depth no later line goes down to, and their depths.
    """

    def __init__(self) -> None:
        self.quoted_at = False
        self.parent_word = False  # "crossref" or "xdata" appears somewhere
        self.wanted: set[str] = set()
        self.lines = 0
        self.depth = 0
        self.positions = array("q")  # line numbers, rising
        self.depths = array("q")  # the depth after each of those lines, rising
        self._tail = ""  # a crossref/xdata value that may go on in the next block

    def add(self, text: str) -> None:
        """Scan the next block of text."""
        self.quoted_at = self.quoted_at or QUOTED_AT in text
        self._parents(self._tail + text, final=False)
        positions, depths = self.positions, self.depths
        number, depth = self.lines, self.depth
        for line in _lines(text):
            if depths and "{" not in line and "}" not in line:
                # The depth does not change: the last step moves on to this line.
                positions[-1] = number
                number += 1
                continue
            depth += _brace_change(line)
            while depths and depths[-1] >= depth:
                depths.pop()
                positions.pop()
            positions.append(number)
            depths.append(depth)
            number += 1
        self.lines, self.depth = number, depth

    def finish(self) -> None:
        """The text is over: a value left open ends with it."""
        self._parents(self._tail, final=True)
        self._tail = ""

    def _parents(self, text: str, final: bool) -> None:
        if _PARENT_WORD.search(text) is None:
            self._tail = ""
            return
        self.parent_word = True
        size = len(text)
        for match in _PARENT_REF.finditer(text):
            if match.end() == size and not final:
                break  # may go on in the next block: scanned again with it (`_tail`)
            self.wanted.update(
                key.strip().lower() for key in match.group(1).split(",") if key.strip()
            )
        tail = None if final else _PARENT_TAIL.search(text)
        self._tail = text[tail.start() :] if tail else ""

    def floor(self, number: int) -> int:
        """The lowest depth the text reaches after line `number` or any later line."""
        return self.depths[bisect_left(self.positions, number)]


def _cut(blocks: Iterable[str], scan: _Scan) -> Iterator[tuple[int, str]]:
    """`chunks` over the text given block by block (each ending at a line end)."""
    protect = not scan.quoted_at
    current: list[str] = []
    start = 0
    number = 0
    depth = 0  # within the current chunk
    running = 0  # from the start of the text
    last = ""  # the last non-blank line of the current chunk
    for block in blocks:
        for line in _lines(block):
            change = _brace_change(line)
            stripped = line.lstrip()
            kept = line
            if (
                number > start
                and stripped.startswith("@")
                and (
                    (depth <= 0 and ENTRY_START.match(stripped))
                    or (
                        _STRONG_START.match(line)
                        and (
                            (depth == 1 and last.endswith(("}", "},")))
                            or scan.floor(number) > running - depth
                        )
                    )
                )
            ):
                yield start, "".join(current)
                current = []
                start = number
                depth = 0
            elif depth >= 2 and stripped.startswith("@") and protect:
                # Inside a braced value: bibtexparser would end the entry at any `@` that
                # starts a line; the reader gives the `@` back (`_expand`).
                kept = line.replace("@", QUOTED_AT, 1)
            current.append(kept)
            depth += change
            running += change
            if stripped.strip(_WHITE):
                last = line.rstrip(_WHITE)
            number += 1
    if current:
        yield start, "".join(current)


#: Where `str.splitlines` ends a line besides LF, CR LF and CR (U+2028, U+0085, a form feed...):
#: characters that may stand inside a value, and that neither bibtexparser nor an editor counts
#: as line ends.
_OTHER_LINE_ENDS = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


def _lines(text: str) -> list[str]:
    """The lines of `text`, each with its end: at a line feed, a CR LF or a lone CR only.

    Without any other line end in the text, `str.splitlines` finds the same lines (and holds
    a quarter of the memory `io.StringIO` takes: it stores four bytes a character).
    """
    if not any(end in text for end in _OTHER_LINE_ENDS):  # eight scans in C: 0.1 ms a MiB
        return text.splitlines(keepends=True)
    return io.StringIO(text, newline="").readlines()


def _stream_blocks(
    stream: IO[bytes], source: str, log: DiagnosticLog
) -> tuple[_Scan, Iterator[str]] | None:
    """The scan of a seekable UTF-8 or Windows-1252 stream, and its decoded text block by block.

    The diagnostics are `decode`'s, with the same lines: the first block that is not UTF-8
    makes the whole stream Windows-1252 (BIB105; it is scanned again), and the first control
    character is reported once (BIB110) before any entry is read. None, with the stream where
    it was, for a stream that cannot seek or that holds UTF-16 text.
    """
    seekable = getattr(stream, "seekable", None)
    if seekable is None or not seekable():
        return None
    origin = stream.tell()
    head = b""
    while len(head) < 200:
        more = stream.read(200 - len(head))
        if not more:
            break
        head += more
    stream.seek(origin)
    if head.startswith(_UTF8_BOM):
        origin += len(_UTF8_BOM)
    elif head.startswith((b"\xff\xfe", b"\xfe\xff")) or looks_utf16(head):
        return None
    encoding = "utf-8"
    while True:
        scan = _Scan()
        control: tuple[int, str] | None = None
        lines = 0  # line feeds before the block
        try:
            for data in _byte_blocks(stream, origin):
                text = data.decode("utf-8") if encoding == "utf-8" else _cp1252(data)
                found = _CONTROL.search(text)
                if found is not None:
                    if control is None:
                        control = lines + text.count("\n", 0, found.start()) + 1, found.group()
                    text = _CONTROL.sub("", text)
                scan.add(text)
                lines += data.count(b"\n")
        except UnicodeDecodeError as exc:
            line = lines + exc.object.count(b"\n", 0, exc.start) + 1
            log.report(
                "BIB105", "input is not valid UTF-8; read as Windows-1252", Location(source, line)
            )
            encoding = "cp1252"
            continue
        break
    scan.finish()
    if control is not None:
        line, char = control
        message = f"control characters (such as U+{ord(char):04X}) removed from the input"
        log.report("BIB110", message, Location(source, line))
    return scan, _text_blocks(stream, origin, encoding)


def _text_blocks(stream: IO[bytes], origin: int, encoding: str) -> Iterator[str]:
    """The stream's text from `origin`, block by block, control characters removed."""
    for data in _byte_blocks(stream, origin):
        text = data.decode("utf-8") if encoding == "utf-8" else _cp1252(data)
        yield _CONTROL.sub("", text) if _CONTROL.search(text) else text


def _byte_blocks(stream: IO[bytes], origin: int) -> Iterator[bytes]:
    """The stream's bytes from `origin` in blocks of about `BLOCK_BYTES`, cut after a line feed.

    A line feed byte is a line end in UTF-8 and Windows-1252 alike (never part of another
    character), so each block decodes on its own and starts a line.
    """
    stream.seek(origin)
    pending: list[bytes] = []
    while True:
        data = stream.read(BLOCK_BYTES)
        if not data:
            break
        end = data.rfind(b"\n") + 1
        if not end:
            pending.append(data)
            continue
        pending.append(data[:end])
        yield b"".join(pending)
        pending = [data[end:]] if end < len(data) else []
    if pending:
        yield b"".join(pending)


def _brace_change(line: str) -> int:
    """How much a line changes the brace depth (escaped braces `\\{` `\\}` do not count)."""
    if "{" not in line and "}" not in line:
        return 0
    unescaped = line.replace("\\{", "").replace("\\}", "")
    return unescaped.count("{") - unescaped.count("}")


class _OwnBlocks(logging.Filter):
    """Drops bibtexparser's log records about failed blocks while *this* context is reading.

    The reader reports failed blocks itself. The filter is added to bibtexparser's logger once
    and only looks at a context variable, so other threads and the host application's own use
    of bibtexparser keep their log records, and no logger's state is switched back and forth.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        return not _READING.get()


_READING: ContextVar[bool] = ContextVar("citeport_bibtex_reading", default=False)
_FILTER = _OwnBlocks()
_FILTER_LOCK = threading.Lock()


@contextmanager
def _quiet() -> Iterator[None]:
    """bibtexparser logs each failed block; the reader reports them itself."""
    if _FILTER not in _LOGGER.filters:
        with _FILTER_LOCK:
            _LOGGER.addFilter(_FILTER)  # adds it once: addFilter ignores a filter it has
    token = _READING.set(True)
    try:
        yield
    finally:
        _READING.reset(token)


class _State:
    """What one read keeps between chunks."""

    def __init__(self, source: str, log: DiagnosticLog, wanted: set[str]) -> None:
        self.source = source
        self.log = log
        self.macros: dict[str, str] = dict(_MONTH_MACROS)
        self.seen = DigestSet()  # 64-bit digests of the keys read (lowercased)
        self.wanted = wanted  # keys some crossref/xdata names: kept once read
        self.parents: dict[str, tuple[str, dict[str, str]]] = {}
        self.waiting: dict[str, list[tuple[str, str, dict[str, str], int, int]]] = {}
        self.found = False  # an entry, macro or preamble was read (else BIB111)
        self.blank = True  # nothing but white space so far
        self.keys: list[int] | None = None  # for a chunk: the digests of the keys it reads


def read(
    stream: IO[bytes],
    source: str,
    log: DiagnosticLog,
    pieces: list[tuple[int, int]] | None = None,
    macros: dict[str, str] | None = None,
    seen: DigestSet | None = None,
) -> Generator[Reference, None, Chunk | None]:
    """Yield one `Reference` per entry of a BibTeX/BibLaTeX file; report and skip the rest.

    A seekable UTF-8 or Windows-1252 stream is read twice, block by block: once to settle the
    encoding and learn what cutting needs (`_Scan`), then to parse it entry by entry. Other
    streams (a pipe, UTF-16 text) are read whole and decoded first.

    With `pieces`, `stream` is a chunk of entries that `split` cut, in UTF-8: the pieces `_cut`
    made of the whole input, as (0-based line of the piece, its length in characters), one
    after the other; `macros` are the `@string` macros in effect where the chunk starts, and
    `seen` (when the main process reads a chunk again: `Joiner.clash`) the key digests read
    before it. The generator then returns the chunk's `Chunk`.
    """
    if pieces is not None:
        text = stream.read().decode("utf-8")
        state = _State(source, log, set())
        state.macros = dict(macros if macros is not None else _MONTH_MACROS)
        state.seen = seen if seen is not None else DigestSet()
        state.keys = []
        start = 0
        for offset, length in pieces:
            yield from _chunk(offset, text[start : start + length], state)
            start += length
        return Chunk(state.found, state.blank, state.keys)
    streamed = _stream_blocks(stream, source, log)
    blocks: Iterable[str]
    if streamed is None:
        text = decode(stream.read(), source, log)
        scan = _Scan()
        scan.add(text)
        scan.finish()
        blocks = (text,)
    else:
        scan, blocks = streamed
    state = _State(source, log, scan.wanted)
    for offset, chunk in _cut(blocks, scan):
        yield from _chunk(offset, chunk, state)
    if not state.found and not state.blank:
        _nothing_read(log, source)
    for missing, waiting in state.waiting.items():
        for key, entry_type, fields, line, end in waiting:
            field = "crossref" if fields.get("crossref", "").strip().lower() == missing else "xdata"
            log.report(
                "BIB106",
                f"{field} parent {missing!r} not found; read without it",
                Location(source, line, key, field),
            )
            ref = _reference(key, entry_type, fields, line, end, state)
            if ref is not None:
                yield ref
    return None


def _chunk(offset: int, chunk: str, state: _State) -> Iterator[Reference]:
    """Parse one piece `_cut` made (starting at 0-based line `offset`) and read its blocks."""
    if state.blank and chunk.strip(_WHITE):
        state.blank = False
    with _quiet():
        library = parse_string(chunk, parse_stack=[])
    for block in library.blocks:
        state.found = state.found or isinstance(block, _READ_BLOCKS)
        line = offset + (block.start_line or 0) + 1
        yield from _block(block, line, offset, state)


def _nothing_read(log: DiagnosticLog, source: str) -> None:
    message = "no BibTeX entry in the input (text outside entries is a comment); nothing read"
    log.report("BIB111", message, Location(source, 1))


# --- -j: entries read in several processes ----------------------------------------------------


@dataclass(frozen=True, slots=True)
class Chunk:
    """What reading a chunk of a split input found, for `Joiner`: whether it held an entry (or
    a macro, a preamble) and only white space, and the digests of the keys it read, in order."""

    found: bool
    blank: bool
    keys: list[int]


#: Where an `@string` macro may be defined: bibtexparser takes a block whose start (`@` and
#: word characters) lowercases to one starting with "@string" for one, and no other character
#: lowercases to these ASCII letters. (A case-blind search for "string" costs ten times more.)
_MACRO_START = re.compile("@[Ss][Tt][Rr][Ii][Nn][Gg]")


def split(stream: IO[bytes], size: int) -> Iterator[tuple[bytes, dict[str, Any]]] | None:
    """Cut a BibTeX input into chunks of whole entries of about `size` characters, which `read`
    reads as it reads them in the whole input: (UTF-8 bytes, `read`'s keyword arguments) pairs,
    in order. None (the input is read whole, in order) for an input smaller than two chunks,
    one `read` cannot stream (a pipe, UTF-16), one with something to report before its first
    entry (not UTF-8, control characters), and one where "crossref" or "xdata" appears at all:
    a child entry may wait for its parent anywhere after it. (`read` then scans the input
    again: a large input with crossrefs costs one more scan at `-j 2` and up.)

    The input is scanned once here (`_Scan`) and cut with `_cut`, as `read` does; the pieces
    are gathered into chunks. What a chunk cannot know alone comes from this process: the
    `@string` macros in effect where it starts (each piece that may define one is parsed here
    too, quietly: the chunk's reader reports on it), and, through `Joiner`, the keys read in
    earlier chunks: a chunk that repeats one is read again in the main process (`clash`).
    """
    seekable = getattr(stream, "seekable", None)
    if seekable is None or not seekable():
        return None
    origin = stream.tell()
    end = stream.seek(0, io.SEEK_END)
    stream.seek(origin)
    if end - origin < 2 * size:
        return None
    checked = DiagnosticLog()
    streamed = _stream_blocks(stream, "", checked)
    if streamed is None:
        return None
    scan, blocks = streamed
    if any(True for _ in checked) or scan.parent_word:
        stream.seek(origin)  # read whole from where it was (stdin redirected from a file)
        return None
    return _split(blocks, scan, size)


def _split(blocks: Iterator[str], scan: _Scan, size: int) -> Iterator[tuple[bytes, dict[str, Any]]]:
    known = _State("", DiagnosticLog(sink=_dropped), set())  # the macros so far
    macros = dict(known.macros)  # those in effect where the chunk being gathered starts
    texts: list[str] = []
    pieces: list[tuple[int, int]] = []
    held = 0
    for offset, piece in _cut(blocks, scan):
        texts.append(piece)
        pieces.append((offset, len(piece)))
        held += len(piece)
        if _MACRO_START.search(piece) is not None:
            with _quiet():
                library = parse_string(piece, parse_stack=[])
            for block in library.blocks:
                if isinstance(block, String):
                    line = offset + (block.start_line or 0) + 1
                    known.macros[block.key.lower()] = _expand(block.value, known, line, block.key)
        if held >= size:
            yield "".join(texts).encode("utf-8"), {"pieces": pieces, "macros": macros}
            texts, pieces, held = [], [], 0
            macros = dict(known.macros)
    if pieces:
        yield "".join(texts).encode("utf-8"), {"pieces": pieces, "macros": macros}


def _dropped(diagnostic: Diagnostic) -> None:
    """The sink of `_split`'s macro reading: the chunk's own reader reports what it finds."""


class Joiner(registry.Joiner):
    """Settles a split BibTeX input: keys repeated across chunks (a chunk that reads a key an
    earlier chunk read is read again with all the keys before it, so the later entry is
    skipped as `BIB102`, as in a serial read), and `BIB111` for an input without any entry."""

    def __init__(self) -> None:
        self.seen = DigestSet()
        self.found = False
        self.blank = True

    def clash(self, result: Any) -> dict[str, Any] | None:
        seen = self.seen
        return {"seen": seen} if any(key in seen for key in result.keys) else None

    def add(self, result: Any) -> None:
        for key in result.keys:
            self.seen.add(key)  # a chunk read again added its keys already
        self.found = self.found or result.found
        self.blank = self.blank and result.blank

    def finish(self, log: DiagnosticLog, source: str) -> None:
        if not self.found and not self.blank:
            _nothing_read(log, source)


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
        raw = (block.raw or "").replace(QUOTED_AT, "@").strip().splitlines()
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
    digest = _digest(key)
    if not state.seen.add(digest):
        state.log.skip(
            "BIB102",
            f"duplicate key {key!r}; the first entry is kept, this one skipped",
            Location(state.source, line, key),
        )
        return
    if state.keys is not None:
        state.keys.append(digest)
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


def _digest(key: str) -> int:
    """A 64-bit digest of the lowercased key (`seen` holds digests, not the keys)."""
    data = key.lower().encode("utf-8", "surrogatepass")
    return int.from_bytes(blake2b(data, digest_size=8).digest(), "little")


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
    value = "".join(parts)
    return value.replace(QUOTED_AT, "@") if QUOTED_AT in value else value


_BRACES = re.compile(r"[{}]")
_BRACES_QUOTES = re.compile(r'[{}"]')


def _closing(raw: str, start: int, kind: str) -> int:
    """Where the value opened at `start` by `kind` (`{` or `"`) closes (`len(raw)` if never).

    A brace after a backslash does not count; a quote closes at brace depth 0 or below.
    """
    depth = 0
    for match in (_BRACES if kind == "{" else _BRACES_QUOTES).finditer(raw, start + 1):
        index = match.start()
        char = raw[index]
        if char == '"':
            if depth <= 0:
                return index
        elif raw[index - 1] == "\\":
            continue
        elif char == "{":
            depth += 1
        else:
            if depth == 0 and kind == "{":
                return index
            depth -= 1
    return len(raw)


def _collapse(text: str) -> str:
    """Each run of white space as one space (the `in` tests skip the regex for most values)."""
    if "  " in text or "\n" in text or "\t" in text or "\r" in text or "\f" in text or "\v" in text:
        return _SPACE_RUN.sub(" ", text)
    return text


def _squash(value: str) -> str:
    return _collapse(value).strip(_WHITE)


def _rich(value: str) -> RichText:
    parsed = latex.parse(_squash(value))
    return _strip_rich(parsed)


def _strip_rich(rich: RichText) -> RichText:
    """Collapse whitespace (BibTeX values are whitespace-insensitive)."""
    out: list[Inline] = []
    for node in rich:
        if type(node) is Text:
            node = Text(_collapse(node.text))
        out.append(node)
    return tuple(out)


@lru_cache(maxsize=4096)
def _text(value: str) -> str:
    """A value as plain text, white space collapsed (cached: years, months, journals,
    publishers and the names' parts repeat across a library)."""
    if not value:
        return ""
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
    return concat((*base, Text(sep), *_rich(more)))


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
    if "{" not in value and "}" not in value and value.isascii():
        return [p for p in (part.strip() for part in _AND.split(value)) if p]
    return _split_names_braced(value)


def _split_names_braced(value: str) -> list[str]:
    """`_split_names` for any value: braces counted, character by character."""
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


@lru_cache(maxsize=4096)
def _name(raw: str) -> Name | None:
    """One name of a name list (cached: authors recur across a library; `Name` is frozen)."""
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


def _issued(
    fields: dict[str, str], where: Location, log: DiagnosticLog
) -> tuple[Date | None, set[str]]:
    """The issued date, and the date fields it does not hold (they stay in extra).

    `date` wins over `year` and `month`; those are kept as fields when they say something the
    date does not (another year, a month the date lacks). A `month` without a usable `year`
    (no date can hold it) and a `month` that is not a month are kept as fields too.
    """
    if "date" in fields:
        date = _date(_text(fields["date"]))
        if date is None:
            log.report("BIB108", f"date {fields['date']!r} is not a date; kept as text",
                       Location(where.source, where.line, where.record, "date"))  # fmt: skip
            date = Date(literal=_text(fields["date"]))
        return date, {name for name in ("year", "month") if name in fields
                      and not _agrees(name, fields[name], date)}  # fmt: skip
    year = _text(fields.get("year", ""))
    kept = {"month"} if "month" in fields else set()
    if not year:
        if kept:
            message = f"month {fields['month']!r} without a year is no date; kept as a field"
            log.report("BIB108", message, Location(where.source, where.line, where.record, "month"))
        return None, kept
    match = _YEAR.match(year)
    if not match:
        return Date(literal=year), kept
    parts = [int(match.group(1))]
    if "month" in fields:
        month = _month(_text(fields["month"]))
        if month is None:
            log.report("BIB108", f"month {fields['month']!r} is not a month; kept as a field",
                       Location(where.source, where.line, where.record, "month"))  # fmt: skip
        else:
            kept = set()
            parts.append(month)
            day = _text(fields.get("day", ""))
            if day.isdigit() and 1 <= int(day) <= 31:
                parts.append(int(day))
    return Date(parts=(tuple(parts),)), kept


def _agrees(name: str, value: str, date: Date) -> bool:
    """Whether a `year` or `month` field says what `date` already holds."""
    text = _text(value)
    if date.literal:
        # A date kept as text: a year it shows adds nothing (the classic writer writes the text
        # as `year`, and the kept `date` beside it).
        return name == "year" and text in date.literal
    if name == "year":
        match = _YEAR.match(text)
        return date.year is not None and match is not None and int(match.group(1)) == date.year
    return date.month is not None and _month(text) == date.month


def _alternatives(fields: dict[str, str], container: str, container_sub: str) -> set[str]:
    """Fields that name what another field already gave the model, but differently.

    `journaltitle` wins over `journal`, and either over `booktitle` (an article's booktitle
    stays a field); `location` wins over `address`, `langid` over `language`. The loser is
    kept in extra (and written back) when its value differs; an equal value says nothing new.
    """
    unused: set[str] = set()

    def compare(winner: str, loser: str, same: Callable[[str, str], bool]) -> None:
        if (
            loser in fields
            and winner in fields
            and winner != loser
            and not same(fields[winner], fields[loser])
        ):
            unused.add(loser)

    for name in ("journaltitle", "journal", "booktitle"):
        compare(container, name, _same_text)
    for name in ("journalsubtitle", "booksubtitle"):
        if name in fields and name != container_sub:
            unused.add(name)
    compare("location", "address", _same_text)
    compare("langid", "language", lambda a, b: _text(a).casefold() == _text(b).casefold())
    return unused


def _same_text(one: str, other: str) -> bool:
    return _text(one) == _text(other)


def _unreadable(fields: dict[str, str], used: Set[str]) -> list[str]:
    """Mapped fields whose value is only commands with no text and no argument (`\\aap`,
    `{\\MTeX}`, a journal macro): the model would get only a raw command (or nothing), so
    they are kept as written in extra instead. An unknown command with an argument
    (`\\bibcyr{...}`) stays in the value as raw TeX (BIB113)."""
    return [name for name, value in fields.items()
            if "\\" in value and name in used and name not in ("url", "doi")
            and not _WORDS_OUTSIDE_COMMANDS.search(_COMMAND.sub("", value))
            and _no_text(latex.parse(_squash(value)))]  # fmt: skip


def _no_text(rich: RichText) -> bool:
    return not _squash(plain(latex.without_raw(rich))) and all(
        _BARE_COMMAND.fullmatch(tex) for tex in latex.raw_spans(rich)
    )


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
    # Fields of only commands with no text stay as written in extra (BIB112), not in the model.
    unreadable = _unreadable(fields, _MAPPED)
    get = {k: v for k, v in fields.items() if k not in unreadable}.get if unreadable else fields.get
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
    issued, undated = _issued(fields, where, log)
    used = set(_MAPPED) - undated - _alternatives(fields, container_field, container_sub)
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
    for name in (name for name in unreadable if name in used):
        used.discard(name)
        message = f"{name} {fields[name]!r} is only LaTeX commands with no text; kept as written"
        log.report("BIB112", message, Location(source, line, key, name))
    for name, value in fields.items():
        if "\\" in value and name in used and name not in _NOT_LATEX:
            for command in latex.unknown_commands(_squash(value)):
                message = f"unknown LaTeX command \\{command} in {name}; kept as written"
                log.report("BIB113", message, Location(source, line, key, name))
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
            issued=issued,
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
