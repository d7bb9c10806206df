"""The format registry: names, aliases and extensions to readers and writers, and detection.

Built-in formats are one explicit tuple (`BUILTIN`); third-party formats plug in through the
`citeport.formats` entry-point group, each entry point naming a `FormatInfo`. Nothing registers
itself on import and there is no global mutable state: `formats()` builds the table on demand.

Detection tries the file extension first, then each reader's cheap `sniff(head) -> score`
(0-100) on the first bytes, so a `.txt` file is recognised by its content.

A `FormatInfo` may name what its format runs with `deferred("module", "name")`: the module
(and what it imports: bibtexparser, pylatexenc, citeproc-py) is imported only when a
conversion uses the format. Listing and detecting formats need only names, extensions and
`sniff`; every `FormatInfo` this module returns has its deferred fields loaded.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, fields, replace
from functools import cache
from importlib import import_module
from typing import IO, Any, Protocol

from .diagnostics import DiagnosticLog, Location
from .model import Reference
from .options import WriteOptions
from .records import RecordWriter


class Reader(Protocol):
    """Yields references from a binary stream, reporting problems to the log."""

    def __call__(
        self, stream: IO[bytes], source: str, log: DiagnosticLog
    ) -> Iterator[Reference]: ...


class Joiner:
    """Settles one split input's chunks in the main process, in input order: what a chunk's
    reader cannot know alone (record numbers, ids repeated across chunks). Formats subclass it.

    `codes` names the codes `message` settles: a worker then only counts the chunk's other
    diagnostics that the main log would not make (`parallel`). None: every diagnostic of the
    chunk crosses to the main process.
    """

    codes: frozenset[str] | None = frozenset()

    def message(self, code: str, message: str, where: Location) -> str | None:
        """The message a serial read gives for this chunk diagnostic (None: it gives none)."""
        return message

    def clash(self, result: Any) -> dict[str, Any] | None:
        """None when the chunk, whose reader returned `result`, reads as it does in the whole
        input; else the reader's extra keyword arguments to read it again in the main process,
        with what the joiner knows (its worker's records and diagnostics are then dropped)."""
        return None

    def add(self, result: Any) -> None:
        """The chunk is settled: `result` is what its reader returned."""

    def finish(self, log: DiagnosticLog, source: str) -> None:
        """The input's last chunk is settled: report what only the whole input shows."""


class Writer(Protocol):
    """Writes references to a text stream; returns how many it wrote."""

    def __call__(
        self, refs: Iterable[Reference], out: IO[str], log: DiagnosticLog, options: WriteOptions
    ) -> int: ...


@dataclass(frozen=True, slots=True)
class FormatInfo:
    """What citeport knows about one format. Any field but the name, description, extensions,
    aliases and `sniff` may be `deferred` (`sniff` is called to detect every input)."""

    name: str
    description: str
    reader: Reader | None = None
    writer: Writer | None = None
    sniff: Callable[[bytes], int] | None = None
    extensions: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    #: The writer as a per-record renderer (`citeport.records`): what `-j` runs in workers.
    records: RecordWriter | None = None
    #: Every line is a record on its own: the reader takes `first_line=` and `-j` may read a
    #: file as chunks of lines in several processes.
    splittable: bool = False
    #: Cuts an input into record-aligned chunks: `split(stream, size)` gives, for chunks of
    #: about `size` bytes, (bytes, keyword arguments) that the reader reads as it reads them
    #: in the whole input (the arguments say where the chunk is: its first line, ...), or None
    #: when the input is to be read whole; `-j` reads the chunks in several processes. What a
    #: chunk's reader returns goes to the `joiner`.
    split: Callable[[IO[bytes], int], Iterator[tuple[bytes, dict[str, Any]]] | None] | None = None
    #: Makes, for each split input, what settles in the main process, chunk after chunk, what
    #: a chunk's reader cannot know alone (record numbers, ids or keys repeated across chunks).
    joiner: type[Joiner] | None = None


class _Deferred:
    __slots__ = ("module", "name")

    def __init__(self, module: str, name: str) -> None:
        self.module, self.name = module, name

    def __repr__(self) -> str:
        return f"deferred({self.module!r}, {self.name!r})"


def deferred(module: str, name: str) -> Any:
    """`name` of `module` (absolute) as the value of a `FormatInfo` field, imported when the
    format is used (`loaded`) rather than when it is listed or detected."""
    return _Deferred(module, name)


def loaded(info: FormatInfo) -> FormatInfo:
    """`info` with each `deferred` field replaced by what it names (imported now); `info`
    itself when nothing in it is deferred."""
    if any(isinstance(getattr(info, f.name), _Deferred) for f in fields(info)):
        return _load(info)
    return info


@cache
def _load(info: FormatInfo) -> FormatInfo:  # the same object for each call: `find() is`
    changes = {
        f.name: getattr(import_module(value.module), value.name)
        for f in fields(info)
        if isinstance(value := getattr(info, f.name), _Deferred)
    }
    return replace(info, **changes)


#: The modules of the built-in formats, in the order `citeport formats` lists them. Each
#: defines `FORMATS`, a tuple of the `FormatInfo` it provides.
BUILTIN_MODULES = ("aggregator", "bibtex", "ris", "medline", "csljson", "crossref", "ieee")


def _builtin() -> tuple[FormatInfo, ...]:
    found: list[FormatInfo] = []
    for name in BUILTIN_MODULES:
        found.extend(import_module(f"citeport.formats.{name}").FORMATS)
    return tuple(found)


@cache
def _table() -> tuple[FormatInfo, ...]:
    """The built-in formats, then those of installed plug-ins, as their modules give them."""
    from importlib.metadata import entry_points  # costly: only for the whole table

    found = list(_builtin())
    for point in entry_points(group="citeport.formats"):
        info = point.load()
        if isinstance(info, FormatInfo):
            found.append(info)
    return tuple(found)


def formats(load: bool = True) -> tuple[FormatInfo, ...]:
    """The built-in formats, then those of installed plug-ins, each `loaded` (every format's
    modules imported); with `load=False` as their modules give them, for a listing (a field
    may then be `deferred`: only whether it is None tells)."""
    table = _table()
    return tuple(loaded(info) for info in table) if load else table


def find(name: str) -> FormatInfo | None:
    """The format called `name` (or one of its aliases), if any.

    A built-in format is first looked for in the one module its name starts with ("ieee-html":
    `citeport.formats.ieee`), so a conversion imports only the formats it uses. Built-in names
    and aliases are unique, and built-ins come first in `formats()`: the answer is the same.
    """
    wanted = name.lower()
    stem = wanted.split("-")[0]
    if stem in BUILTIN_MODULES:
        own: tuple[FormatInfo, ...] = import_module(f"citeport.formats.{stem}").FORMATS
        for info in own:
            if info.name == wanted or wanted in info.aliases:
                return loaded(info)
    for info in _table():
        if info.name == wanted or wanted in info.aliases:
            return loaded(info)
    return None


def readers() -> list[str]:
    return [f.name for f in _table() if f.reader]


def writers() -> list[str]:
    return [f.name for f in _table() if f.writer]


class FormatNames:
    """`readers()` or `writers()` as argparse `choices`, looked up only when asked: `in` a
    built-in format's own name imports only its module (`find`); listing them (for help or
    an error message) and any other name build the whole table, as `readers()` does."""

    def __init__(self, role: str) -> None:
        self.role = role  # "reader" or "writer"

    def _names(self) -> list[str]:
        return readers() if self.role == "reader" else writers()

    def __contains__(self, name: object) -> bool:
        info = find(name) if isinstance(name, str) else None
        if info is not None and info.name == name and getattr(info, self.role) is not None:
            return True
        return name in self._names()

    def __iter__(self) -> Iterator[str]:
        return iter(self._names())


def detect(path: str, head: bytes) -> FormatInfo | None:
    """The reader format for an input: each reader's content score, plus a bonus when the
    extension is one of its own. Content wins over a misleading extension."""
    lower = path.lower()
    best: tuple[int, FormatInfo | None] = (0, None)
    for info in _table():
        if info.reader is None:
            continue
        score = info.sniff(head) if info.sniff else 0
        if any(lower.endswith(ext) for ext in info.extensions):
            score += 40
        if score > best[0]:
            best = (score, info)
    return loaded(best[1]) if best[1] is not None and best[0] >= 30 else None
