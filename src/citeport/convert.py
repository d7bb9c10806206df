"""Read -> write, as a library: the functions behind the CLI, usable from Python.

Nothing here prints. Problems are reported to a `DiagnosticLog`, returned in the `Result`:
an unreadable input is an IO001 error and the other inputs are still read. Written to a
stream, their conversion is kept; written to a file (`output` a path), nothing is written,
since a run that failed must not leave an output that looks complete (`Result.withheld`).
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import io
import os
import stat
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, cast

from .diagnostics import Diagnostic, DiagnosticLog, Location
from .model import Reference
from .options import WriteOptions
from .records import write_records
from .registry import FormatInfo, detect, find

HEAD_BYTES = 8192
PROGRESS_EVERY = 256  # records between two progress calls


class _InputFailed(Exception):
    """Raised inside `atomic_output` to discard the output when an input failed."""


#: errno values only a write raises: a full disk or quota, a file grown past its size limit.
_FULL = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})


class OutputFailed(OSError):
    """An output could not be written (a full disk). `filename` names it ("standard output"
    for `sys.stdout`); `kept` says it is a file left as it was (written atomically), else what
    was written so far stays there."""

    def __init__(self, error: OSError, name: str, kept: bool) -> None:
        super().__init__(error.errno, error.strerror, name)
        self.kept = kept


def full_disk(error: OSError, name: str, kept: bool = False) -> OSError:
    """`error` as an `OutputFailed` naming `name` when it is a full disk that no other output
    has claimed (a write error names no file), else `error` itself."""
    if error.errno in _FULL and error.filename is None and not isinstance(error, OutputFailed):
        return OutputFailed(error, name, kept)
    return error


class UsageError(ValueError):
    """A request citeport cannot carry out as asked (unknown format, output = input)."""


@dataclass(slots=True)
class Result:
    """What a conversion did: record counts, its diagnostics, and the output text when no
    output path was given."""

    read: int = 0
    written: int = 0
    log: DiagnosticLog = field(default_factory=DiagnosticLog)
    text: str | None = None
    withheld: str = ""  # the output file left unwritten because an input failed

    @property
    def skipped(self) -> int:
        return self.log.skipped


def reader_for(name: str | None, path: str, head: bytes) -> FormatInfo:
    """The reader format: the one named, else the one detected. Raises UsageError."""
    if name:
        info = find(name)
        if info is None or info.reader is None:
            raise UsageError(f"no reader for format {name!r}")
        return info
    info = detect(path, head)
    if info is None:
        raise UsageError("cannot tell the input format; name it with --from")
    return info


def writer_for(name: str) -> FormatInfo:
    info = find(name)
    if info is None or info.writer is None:
        raise UsageError(f"no writer for format {name!r}")
    return info


def read_stream(
    stream: IO[bytes], source: str, log: DiagnosticLog, fmt: str | None = None
) -> Iterator[Reference]:
    """Yield the references of one binary stream, detecting its format unless `fmt` is given."""
    buffered: Any = stream if hasattr(stream, "peek") else io.BufferedReader(cast(Any, stream))
    head = buffered.peek(HEAD_BYTES)[:HEAD_BYTES]
    if not head.strip():
        log.report("IO003", "input is empty: no records", Location(source))
        return
    info = reader_for(fmt, source, head)
    assert info.reader is not None
    yield from info.reader(buffered, source, log)


def read(
    path: str | os.PathLike[str], fmt: str | None = None, log: DiagnosticLog | None = None
) -> Iterator[Reference]:
    """Yield the references in a file; problems go to `log` (made and dropped if None).

    Raises OSError when the file cannot be opened, UsageError when its format is unknown.
    """
    log = log if log is not None else DiagnosticLog()
    with open(path, "rb") as stream:
        yield from read_stream(stream, str(path), log, fmt)


def write(
    refs: Iterable[Reference],
    out: IO[str],
    to: str,
    log: DiagnosticLog | None = None,
    options: WriteOptions | None = None,
) -> int:
    """Write references to a text stream in format `to`; returns the number written."""
    info = writer_for(to)
    assert info.writer is not None
    return info.writer(
        refs, out, log if log is not None else DiagnosticLog(), options or WriteOptions()
    )


def convert(
    inputs: Sequence[str | os.PathLike[str]],
    to: str,
    output: str | os.PathLike[str] | IO[str] | None = None,
    *,
    from_format: str | None = None,
    options: WriteOptions | None = None,
    log: DiagnosticLog | None = None,
    progress: Callable[[int, int], None] | None = None,
    jobs: int = 1,
) -> Result:
    """Convert input files to one output in format `to`.

    `output` may be a path (written atomically: a failed run leaves no partial file), a text
    stream, or None to get the text back in `Result.text`. `"-"` as an input reads stdin.
    `progress`, if given, is called now and then with (records read, input bytes read).
    `jobs` > 1 converts in that many worker processes (`citeport.parallel`), with the same
    output and diagnostics as a serial run (inputs that make one chunk of work are converted in
    this process: `parallel.one_chunk`); the bytes then count each chunk as it is done, as
    the chunk holds them (the white space between CSL-JSON items, a BOM, or BibTeX's quoted
    `@` in three bytes instead of one make the last figure differ from the file's size by a
    little).
    """
    result = Result(log=log if log is not None else DiagnosticLog())
    info = writer_for(to)
    paths = [os.fspath(p) for p in inputs]
    if isinstance(output, (str, os.PathLike)) and os.fspath(output) != "-":
        _refuse_overwriting_input(os.fspath(output), paths)
    options = options or WriteOptions()

    def serial(out: IO[str], raw: IO[bytes] | None) -> int:
        counter = _ByteCounter()

        def counted() -> Iterator[Reference]:
            for ref in _read_all(paths, from_format, result.log, counter):
                result.read += 1
                if progress is not None and not result.read % PROGRESS_EVERY:
                    progress(result.read, counter.total)
                yield ref
            if progress is not None:
                progress(result.read, counter.total)

        if info.records is not None:  # what `write` calls, told where bytes may go
            return write_records(info.records, counted(), out, result.log, options, raw)
        return write(counted(), out, to, result.log, options)

    def in_parallel(out: IO[str], raw: IO[bytes] | None) -> int:
        seen = [0]

        def done(records: int, size: int) -> None:
            result.read += records
            seen[0] += size
            if progress is not None:
                progress(result.read, seen[0])

        work = parallel.tasks(open_inputs(paths, from_format))
        return parallel.run(work, to, out, result.log, options, jobs, done, raw)

    run = serial
    if jobs > 1 and info.records is not None:
        from . import parallel

        if not parallel.one_chunk(paths):
            run = in_parallel
    if output is None:
        buffer = io.StringIO(newline="")
        result.written = run(buffer, None)
        result.text = buffer.getvalue()
        return result
    path = os.fspath(output) if isinstance(output, (str, os.PathLike)) else None
    atomic = path is not None and not _special(path)
    try:
        if path is not None and not atomic:
            # /dev/null, a named pipe, a terminal: written as the run goes (never replaced)
            with open(path, "w", encoding="utf-8", newline="") as special:
                result.written = run(special, _utf8_bytes_under(special))
        elif path is not None:
            try:
                with atomic_output(path) as out:
                    result.written = run(out, _utf8_bytes_under(out))
                    if result.log.by_code.get("IO001") or result.log.by_code.get("IO002"):
                        raise _InputFailed
            except _InputFailed:  # an input could not be read: the file is left as it was
                result.withheld = path
                result.written = 0
        else:
            stream = cast("IO[str]", output)
            stdout = stream is sys.stdout and os.linesep == "\n"  # no line ends translated
            result.written = run(stream, _utf8_bytes_under(stream) if stdout else None)
            stream.flush()  # a full disk is found here, while it can be named
    except OSError as exc:  # a full disk: say which output
        name = path or ("standard output" if output is sys.stdout else _stream_name(output))
        named = full_disk(exc, name, atomic)
        if named is exc:
            raise
        raise named from exc
    return result


def _stream_name(stream: object) -> str:
    name = getattr(stream, "name", None)
    return name if isinstance(name, str) else "the output stream"


def _special(path: str) -> bool:
    """Whether `path` is there and is not a regular file (nor a link to one): a device, a
    named pipe, a socket. Renaming a new file over it would put a regular file in its place
    (`-o /dev/null` run as root would replace the system's /dev/null)."""
    try:
        return not stat.S_ISREG(os.stat(path).st_mode) and not os.path.isdir(path)
    except OSError:  # not there yet (or not reachable: the atomic write says why)
        return False


def _utf8_bytes_under(out: IO[str]) -> IO[bytes] | None:
    """The binary stream under `out` if it is a UTF-8 text file that leaves line ends as they
    are (the caller knows that), where writing the text's UTF-8 bytes writes the same file."""
    if not isinstance(out, io.TextIOWrapper) or codecs.lookup(out.encoding).name != "utf-8":
        return None
    return cast("IO[bytes]", out.buffer)


class _ByteCounter:
    """Counts the input bytes read so far, for progress reporting."""

    __slots__ = ("total",)

    def __init__(self) -> None:
        self.total = 0


class _CountingStream(io.RawIOBase):
    """A raw binary stream that adds what it reads to a `_ByteCounter`.

    It is seekable when its input is, so a reader that reads a file twice (the BibTeX reader
    scans, then parses, block by block) still streams it; after a seek the count is the
    position in this input (plus the inputs before it), so progress follows the last pass.
    """

    def __init__(self, inner: IO[bytes], counter: _ByteCounter) -> None:
        self._inner = inner
        self._counter = counter
        self._base = counter.total  # bytes of the inputs before this one

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._inner.read(len(buffer))
        size = len(data)
        buffer[:size] = data
        self._counter.total += size
        return size

    def seekable(self) -> bool:
        return self._inner.seekable()

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        position = self._inner.seek(offset, whence)
        self._counter.total = self._base + position
        return position

    def tell(self) -> int:
        return self._inner.tell()


@dataclass(slots=True)
class Input:
    """One input, opened and recognised, or the diagnostic that says why it is not."""

    path: str
    source: str
    stream: Any = None  # an io.BufferedReader over the input
    info: FormatInfo | None = None
    failure: Diagnostic | None = None


def open_inputs(
    paths: list[str],
    fmt: str | None,
    wrap: Callable[[IO[bytes]], Any] | None = None,
) -> Iterator[Input]:
    """Open each input in turn and recognise its format; `-` is stdin.

    A file is closed when the consumer asks for the next one. `wrap` may wrap the raw stream
    (the byte counter of the progress bar).
    """
    for path in paths:
        source = "<stdin>" if path == "-" else path
        try:
            raw = sys.stdin.buffer if path == "-" else open(path, "rb")  # noqa: SIM115
        except OSError as exc:
            message = f"cannot read input: {exc.strerror or exc}"
            yield Input(path, source, failure=Diagnostic.make("IO001", message, Location(path)))
            continue
        try:
            stream: Any = io.BufferedReader(wrap(raw) if wrap else raw, buffer_size=1 << 16)
            head = stream.peek(HEAD_BYTES)[:HEAD_BYTES]
            if not head.strip():
                message = "input is empty: no records"
                yield Input(
                    path, source, failure=Diagnostic.make("IO003", message, Location(source))
                )
                continue
            try:
                info = reader_for(fmt, source, head)
            except UsageError as exc:
                yield Input(
                    path, source, failure=Diagnostic.make("IO002", str(exc), Location(source))
                )
                continue
            yield Input(path, source, stream, info)
        finally:
            if path != "-":
                raw.close()


def _read_all(
    paths: list[str], fmt: str | None, log: DiagnosticLog, counter: _ByteCounter
) -> Iterator[Reference]:
    for item in open_inputs(paths, fmt, lambda raw: _CountingStream(raw, counter)):
        if item.failure is not None:
            log.add(item.failure)
            continue
        assert item.info is not None and item.info.reader is not None and item.stream
        yield from item.info.reader(item.stream, item.source, log)


def _refuse_overwriting_input(output: str, inputs: list[str]) -> None:
    out = Path(output)
    for path in inputs:
        if path != "-" and out.exists() and Path(path).exists() and out.samefile(path):
            raise UsageError(f"output {output} is also an input; refusing to overwrite it")


@contextlib.contextmanager
def atomic_output(path: str) -> Iterator[IO[str]]:
    """A text stream that replaces `path` only when the block finishes without error.

    The text goes to a new file beside `path` (created exclusively, so never someone else's),
    renamed over `path` at the end. It gets the permissions a new file gets (the umask), or
    those of the file it replaces, as writing over that file would keep them. A symbolic link
    stays one: the file it points to is the one replaced.
    """
    target = Path(os.path.realpath(path))
    out: IO[str] | None = None
    for attempt in range(1000):
        tmp = target.with_name(f".{target.name}.{os.getpid()}-{attempt}.tmp")
        try:
            out = open(tmp, "x", encoding="utf-8", newline="")  # noqa: SIM115 - closed below
        except FileExistsError:  # a leftover of another run with this process id
            continue
        break
    if out is None:
        raise FileExistsError(f"no free temporary name beside {path}")
    try:
        with out:
            with contextlib.suppress(FileNotFoundError):
                os.chmod(tmp, os.stat(target).st_mode & 0o7777)
            yield out
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
