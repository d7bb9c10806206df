"""`-j/--jobs`: conversion in worker processes, with the output of a serial run, byte for byte.

The work is cut into tasks in input order: a chunk of lines of a file whose every line is a
record (aggregator JSON lines: `FormatInfo.splittable`), a record-aligned chunk that the
format's `FormatInfo.split` cuts (RIS: after an `ER` line; MEDLINE: after a blank line;
Crossref JSON lines: between lines; BibTeX: between entries, with the `@string` macros in
effect), or a whole file otherwise (what a format does not cut: a small BibTeX file, one with
`crossref` parents that may come from anywhere in it; the last such file is converted in the
main process, which a single worker could only slow down). A worker reads its task and renders
each reference (`RecordWriter.prepare`), collecting its diagnostics in the order a serial run
makes them; the main process takes the results in task order, replays the diagnostics, and
assembles the output (`records.Assembler`: keys, numbers, separators). What a chunk cannot know
alone is settled there by the format's `Joiner`: record numbers, ids repeated across chunks,
and a chunk whose reading depends on the chunks before it (a BibTeX key read earlier), which is
then read again in the main process, as a serial run reads it. Only bytes, rendered payloads
and diagnostics as plain tuples cross between processes, never whole references: pickling a
slotted dataclass goes through Python code for every object, and with several diagnostics a
record (RIS reports each aggregator field it has no tag for) that cost the main process more
than the conversion itself.

Small tasks (the files of a directory of small shards) go to a worker together, in batches of
half a chunk or more; a chunk goes alone. At most `2 x jobs` batches are in flight, so memory
stays flat however large the input (a whole file given to a worker is one task: its rendered
records are held until the file is done).
"""

from __future__ import annotations

import contextlib
import io
import os
import signal
import stat
from collections import deque
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass, field, fields
from operator import attrgetter
from typing import IO, TYPE_CHECKING, Any, cast

from .diagnostics import CODES, Diagnostic, DiagnosticLog, Location, Severity
from .keys import base_key
from .options import WriteOptions
from .records import Assembler, RecordWriter, render_into
from .registry import FormatInfo, Joiner, find

if TYPE_CHECKING:  # multiprocessing and concurrent.futures are imported when a pool starts
    from concurrent.futures import Future, ProcessPoolExecutor

    from .convert import Input
    from .model import Reference

CHUNK_BYTES = 1 << 20  # about a thousand aggregator records


class WorkerDied(RuntimeError):
    """A worker process ended in the middle of the run (killed by a signal: by the system
    when memory ran out, or by a user); the output is incomplete."""


def one_chunk(paths: Sequence[str]) -> bool:
    """Whether the inputs are files that together make at most one chunk: work for a single
    worker, which would only add the start of a pool (about 30 ms, more than converting a
    bibliography of a few hundred entries). The caller then converts them itself."""
    total = 0
    for path in paths:
        if path == "-":
            return False
        try:
            info = os.stat(path)
        except OSError:  # not there: reported the same way by either run
            continue
        if not stat.S_ISREG(info.st_mode):
            return False
        total += info.st_size
    return total <= CHUNK_BYTES


@dataclass(slots=True)
class Task:
    """One unit of work: `data` (a chunk, or all of stdin) or `path` (a whole file) in `fmt`.

    `chunk` is set for a chunk: the reader's keyword arguments that say where it is (its first
    line, ...). `file` numbers the inputs: a split file's chunks are settled by one
    `FormatInfo.joiner`.
    """

    source: str
    fmt: str
    chunk: dict[str, Any] | None = None
    file: int = 0
    data: bytes | None = None
    path: str | None = None
    failure: Diagnostic | None = None  # a problem found while cutting tasks, replayed in order


#: A diagnostic as it crosses from a worker: (skipped, code, severity, message, location),
#: the location as the tuple of its fields. The fields one `report_fields` call dropped cross
#: as one entry, `message` then being the tuple of `(field, message)` pairs and `location` the
#: record's (source, line, record); the main process hands them to its own `report_fields`.
Wire = tuple[bool, str, int, Any, tuple[Any, ...]]

_location_fields = attrgetter(*(f.name for f in fields(Location)))
_SEVERITIES = {int(s): s for s in Severity}


@dataclass(slots=True)
class Done:
    """What a worker made of a task, in plain lists and tuples (cheap to pickle).

    `payloads[i]` is what the writer's `render` made of the i-th reference; for a keyed writer
    `citation_keys[i]` and `base_keys[i]` are what its key is made from. For a writer without
    `finish` (RIS), the records come instead as `block`: their text joined by the separator in
    UTF-8 (`written` records), which the main process writes without decoding it (unpickling
    and encoding the text there took a quarter of its CPU for RIS). `diagnostics` are
    the task's diagnostics in the order a serial run makes them (`_RecordingLog`).
    """

    payloads: list[Any] = field(default_factory=list)
    citation_keys: list[str] = field(default_factory=list)
    base_keys: list[str] = field(default_factory=list)
    diagnostics: list[Wire] = field(default_factory=list)
    read: int = 0
    size: int = 0
    result: Any = None  # what a chunk's reader returned, for the file's `Joiner`
    #: Diagnostics only counted (below the main log's `counted_below`), by severity and code.
    quiet_counts: dict[int, int] = field(default_factory=dict)
    quiet_codes: dict[str, int] = field(default_factory=dict)
    block: bytes | None = None
    written: int = 0

    def __reduce__(self) -> tuple[Any, ...]:
        # A tuple of lists: pickled in C, where a slotted dataclass would go through Python.
        return (
            Done,
            (
                self.payloads,
                self.citation_keys,
                self.base_keys,
                self.diagnostics,
                self.read,
                self.size,
                self.result,
                self.quiet_counts,
                self.quiet_codes,
                self.block,
                self.written,
            ),
        )


class _RecordingLog(DiagnosticLog):
    """A log that turns each diagnostic into a `Wire` tuple as it is made, for the replay.

    Equal messages (the same for every record) and equal locations (several diagnostics about
    one record) are shared, so the pickle that carries them to the main process stores each
    once, and the main process makes each `Location` once. The fields a writer drops together
    (`report_fields`: ten a record for aggregator input) cross as one entry, which the main
    log expands only when it keeps them or its sink wants them.

    When the main log only counts the diagnostics below a severity (`counted_below`: the CLI
    without `--verbose` or a ledger), this log only counts those too (in `counts` and
    `by_code`, which then hold nothing else), and they cross as two small tallies: the main
    process would count them and drop them. Skips and the codes a `Joiner` settles always
    cross whole.
    """

    def __init__(
        self, counted_below: Severity | None = None, settled: frozenset[str] = frozenset()
    ) -> None:
        super().__init__(sink=self._record)
        self.recorded: list[Wire] = []
        self._strings: dict[Any, Any] = {}
        self._below = counted_below
        self._settled = settled

    def _record(self, diag: Diagnostic, skipped: bool = False) -> None:
        strings = self._strings
        where = _location_fields(diag.location)
        self.recorded.append(
            (
                skipped,
                diag.code,
                int(diag.severity),
                strings.setdefault(diag.message, diag.message),
                strings.setdefault(where, where),
            )
        )

    def _only_counted(self, code: str, level: Severity) -> bool:
        below = self._below
        return below is not None and level < below and code not in self._settled

    def report(
        self,
        code: str,
        message: str,
        location: Location,
        severity: Severity | None = None,
    ) -> Diagnostic:
        level = severity or CODES[code].severity
        diag = Diagnostic(code, level, message, location)
        if self._only_counted(code, level):
            self.count(code, level)
        else:
            self._record(diag)
        return diag

    def skip(self, code: str, message: str, location: Location) -> Diagnostic:
        diag = Diagnostic.make(code, message, location)
        self._record(diag, skipped=True)
        return diag

    def report_fields(
        self,
        code: str,
        where: Location,
        fields: Sequence[tuple[str, str]],
        severity: Severity | None = None,
    ) -> None:
        if not fields:
            return
        level = severity or CODES[code].severity
        if self._only_counted(code, level):
            self.count(code, level, len(fields))
            return
        strings = self._strings
        record = (where.source, where.line, where.record)
        pairs = tuple(fields)  # the same for most records of one input: stored once
        pairs = strings.setdefault(pairs, pairs)
        self.recorded.append((False, code, int(level), pairs, strings.setdefault(record, record)))


def _replay(wires: list[Wire], log: DiagnosticLog, joiner: Joiner | None = None) -> None:
    """Report the worker's diagnostics to the main log, as the serial run reports them.

    The `joiner` of a split file settles what a chunk's reader could not know alone.
    """
    severities = _SEVERITIES
    last: tuple[Any, ...] = ()
    location = Location()
    for skipped, code, severity, message, where in wires:
        if where is not last:  # a record's diagnostics share one location tuple
            location, last = Location(*where), where
        if isinstance(message, tuple):  # the fields of one `report_fields` call
            log.report_fields(code, location, message, severities[severity])
            continue
        if joiner is not None:
            message = joiner.message(code, message, location)
            if message is None:
                continue
        if skipped:
            log.skip(code, message, location)
        else:
            log.report(code, message, location, severities[severity])


_WORKER: dict[str, Any] = {}


def _init_worker(to: str, options: WriteOptions, counted_below: Severity | None) -> None:
    # Ctrl-C reaches the whole process group: the main process stops the run, and a worker
    # stopped with a traceback in the middle of a task would only print it
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    info = find(to)
    assert info is not None and info.records is not None
    _WORKER["spec"] = info.records
    _WORKER["options"] = options
    _WORKER["counted_below"] = counted_below


def _log_for(task: Task, info: FormatInfo) -> _RecordingLog:
    """The worker's log for `task`: it only counts what the main log only counts, except the
    codes the file's `Joiner` settles (all of a chunk's, when the joiner does not name them)."""
    below: Severity | None = _WORKER.get("counted_below")
    settled: frozenset[str] = frozenset()
    if task.chunk is not None and info.joiner is not None:
        codes = info.joiner.codes
        if codes is None:
            below = None
        else:
            settled = codes
    return _RecordingLog(below, settled)


def _work(task: Task) -> Done:
    spec: RecordWriter = _WORKER["spec"]
    options: WriteOptions = _WORKER["options"]
    info = find(task.fmt)
    assert info is not None and info.reader is not None
    log = _log_for(task, info)
    stream, size = _open(task)
    done = Done(size=size)
    refs = info.reader(stream, task.source, log, **(task.chunk or {}))
    render, keyed = spec.render, spec.keyed
    payloads, given, bases = done.payloads, done.citation_keys, done.base_keys
    returned: list[Any] = []
    try:
        for ref in _returning(refs, returned):
            payloads.append(render(ref, log, options))
            if keyed:
                given.append(ref.citation_key)
                bases.append(base_key(ref))
    finally:
        stream.close()
    done.result = returned[0] if returned else None
    done.read = len(payloads)
    if spec.finish is None:
        _join(done, spec.separator)
    done.diagnostics = log.recorded
    done.quiet_counts = {int(level): n for level, n in log.counts.items() if n}
    done.quiet_codes = log.by_code
    return done


def _join(done: Done, separator: str) -> None:
    """Turn the payloads of a writer without `finish` into `done.block` (kept as they are when
    the text cannot be encoded: the main process's stream then reports it as a serial run does)."""
    texts = [payload for payload in done.payloads if payload is not None]
    try:
        done.block = separator.join(texts).encode()
    except UnicodeEncodeError:
        return
    done.payloads, done.written = [], len(texts)


def _returning(refs: Iterator[Reference], returned: list[Any]) -> Iterator[Reference]:
    """The references of a reader, then what its generator returned (a chunk's result, for
    the `Joiner`) appended to `returned`."""
    returned.append((yield from cast("Generator[Reference, None, Any]", refs)))


def tasks(inputs: Iterator[Input]) -> Iterator[Task]:
    """Cut the inputs into tasks, in input order (lazily: chunks are read as they are needed)."""
    for file, item in enumerate(inputs):
        if item.failure is not None:
            yield Task(item.source, "", file=file, failure=item.failure)
            continue
        assert item.info is not None and item.stream is not None
        info, source = item.info, item.source
        utf16 = item.stream.peek(2)[:2] in (b"\xff\xfe", b"\xfe\xff")
        chunks = None if info.split is None else info.split(item.stream, CHUNK_BYTES)
        if info.splittable and not utf16:
            yield from _chunks(item.stream, source, info.name, file)
        elif chunks is not None:
            for data, chunk in chunks:
                yield Task(source, info.name, chunk=chunk, file=file, data=data)
        elif item.path == "-":
            yield Task(source, info.name, file=file, data=item.stream.read())
        else:
            yield Task(source, info.name, file=file, path=item.path)


def _chunks(stream: IO[bytes], source: str, fmt: str, file: int) -> Iterator[Task]:
    """Whole lines of about `CHUNK_BYTES`, each chunk cut after its last newline (found in C,
    never split into line objects here: the worker does that)."""
    first_line = 1
    held = bytearray()  # the start of a line the last read cut
    while True:
        block = stream.read(CHUNK_BYTES)
        if not block:
            if held:
                yield Task(source, fmt, {"first_line": first_line}, file, data=bytes(held))
            return
        cut = block.rfind(b"\n") + 1
        if not cut:  # still inside one line longer than a chunk
            held += block
            continue
        data = bytes(held) + block[:cut] if held else block[:cut]
        held = bytearray(block[cut:])
        yield Task(source, fmt, {"first_line": first_line}, file, data=data)
        first_line += data.count(b"\n")


def run(
    work: Iterator[Task],
    to: str,
    out: IO[str],
    log: DiagnosticLog,
    options: WriteOptions,
    jobs: int,
    on_done: Callable[[int, int], None],
    raw: IO[bytes] | None = None,
) -> int:
    """Render the tasks in `jobs` worker processes and write the output in order.

    `raw`, if given, is the binary stream under `out` (`Assembler`): records a worker joined
    into bytes are written there.

    A whole file that is the last task (one BibTeX file: the common case for an input that
    cannot be cut) is converted in this process instead, as a serial run does: one worker would
    only add the cost of carrying every record across, and would hold them all until the file
    is done. The pool is started at the first task that needs it.

    `on_done(records, bytes)` is called after each task. Returns the number written.
    """
    info = find(to)
    assert info is not None and info.records is not None
    spec = info.records
    if spec.start is not None:
        spec.start(log, options)
    assembler = Assembler(spec, out, raw)
    joining = _Joining(log)
    pending: deque[tuple[list[Task], Future[list[Done]] | None]] = deque()
    # Small tasks (the files of a directory of shards) go to a worker together, up to half a
    # chunk: a chunk, cut at the last line end of CHUNK_BYTES, goes alone, and at once.
    batch: list[Task] = []
    held = 0
    with contextlib.ExitStack() as stack:
        pool: ProcessPoolExecutor | None = None
        task = next(work, None)
        while task is not None:
            following = next(work, None)  # read ahead: is this the last task?
            here = following is None and task.chunk is None and task.failure is None
            if batch and (here or task.failure is not None):
                assert pool is not None
                pending.append((batch, _submit(pool, batch)))
                batch, held = [], 0
            if here:
                while pending:
                    _collect(pending.popleft(), assembler, log, options, on_done, joining)
                joining.of(task)
                _convert_here(task, options, assembler, log, on_done)
                break
            if task.failure is not None:
                pending.append(([task], None))
            else:
                if pool is None:
                    pool = stack.enter_context(_pool(to, options, log, jobs))
                batch.append(task)
                held += _size(task)
                if held >= CHUNK_BYTES // 2 or following is None:  # a chunk goes alone
                    pending.append((batch, _submit(pool, batch)))
                    batch, held = [], 0
            while len(pending) > 2 * jobs:
                _collect(pending.popleft(), assembler, log, options, on_done, joining)
            task = following
        while pending:
            _collect(pending.popleft(), assembler, log, options, on_done, joining)
    joining.close()
    return assembler.close()


def _size(task: Task) -> int:
    """The bytes of `task` (a whole file of unknown size counts as a chunk: sent alone)."""
    if task.data is not None:
        return len(task.data)
    try:
        return os.stat(cast("str", task.path)).st_size
    except OSError:
        return CHUNK_BYTES


class _Joining:
    """The `Joiner` of the split input whose chunks are being collected; it is finished when
    a task of another input comes (inputs are collected one after the other) or at the end."""

    def __init__(self, log: DiagnosticLog) -> None:
        self.log = log
        self.file = -1
        self.joiner: Joiner | None = None
        self.source = ""

    def of(self, task: Task) -> Joiner | None:
        """The joiner of `task`'s input, None when `task` is not a chunk of a split input."""
        if task.file != self.file:
            self.close()
            self.file = task.file
        info = find(task.fmt) if task.chunk is not None else None
        if info is None or info.joiner is None:
            return None
        if self.joiner is None:
            self.joiner, self.source = info.joiner(), task.source
        return self.joiner

    def close(self) -> None:
        if self.joiner is not None:
            self.joiner.finish(self.log, self.source)
            self.joiner = None


@contextlib.contextmanager
def _pool(
    to: str, options: WriteOptions, log: DiagnosticLog, jobs: int
) -> Iterator[ProcessPoolExecutor]:
    """`jobs` worker processes; when the run stops early (an error, Ctrl-C), the tasks not yet
    started are dropped and the pool waits only for the ones running.

    `concurrent.futures` rather than `multiprocessing.Pool`, measured: Pool's worker-handler
    thread also waits on the results pipe, so while a large result is being read it wakes
    again and again (0.3-0.5 s of the main process's CPU per 100,000 aggregator records, and
    the thread reading the results halved in speed by sharing the GIL with it); and a Pool
    whose workers a Ctrl-C stopped can hang in `terminate`. A worker that dies raises
    `BrokenProcessPool` instead of a hang, and the run stops with `WorkerDied`.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    initargs = (to, options, log.counted_below)
    pool = ProcessPoolExecutor(jobs, context, _init_worker, initargs)
    finished = False
    try:
        yield pool
        finished = True
    except BrokenProcessPool as exc:  # a worker was killed, not a task that raised
        raise WorkerDied(str(exc)) from exc
    finally:
        pool.shutdown(wait=True, cancel_futures=not finished)


def _convert_here(
    task: Task,
    options: WriteOptions,
    assembler: Assembler,
    log: DiagnosticLog,
    on_done: Callable[[int, int], None],
) -> None:
    """Read and render a whole-file task in this process, in batches, as a serial run does."""
    info = find(task.fmt)
    assert info is not None and info.reader is not None
    stream, size = _open(task)
    with stream:
        refs = info.reader(stream, task.source, log)
        render_into(assembler, refs, log, options, lambda count: on_done(count, 0))
    on_done(0, size)


def _open(task: Task) -> tuple[IO[bytes], int]:
    """The task's bytes as a stream (the caller closes it), and their size."""
    if task.data is not None:
        return io.BufferedReader(io.BytesIO(task.data)), len(task.data)
    assert task.path is not None
    stream = open(task.path, "rb")  # noqa: SIM115 - the caller closes it
    return stream, os.fstat(stream.fileno()).st_size


def _submit(pool: ProcessPoolExecutor, batch: list[Task]) -> Future[list[Done]]:
    return pool.submit(_work_all, batch)


def _work_all(batch: list[Task]) -> list[Done]:
    return [_work(task) for task in batch]


def _collect(
    item: tuple[list[Task], Future[list[Done]] | None],
    assembler: Assembler,
    log: DiagnosticLog,
    options: WriteOptions,
    on_done: Callable[[int, int], None],
    joining: _Joining,
) -> None:
    batch, handle = item
    if handle is None:  # a problem found while cutting the tasks
        for task in batch:
            joining.of(task)
            assert task.failure is not None
            log.add(task.failure)
        return
    for task, done in zip(batch, handle.result(), strict=True):
        _take(task, done, assembler, log, options, on_done, joining)


def _take(
    task: Task,
    done: Done,
    assembler: Assembler,
    log: DiagnosticLog,
    options: WriteOptions,
    on_done: Callable[[int, int], None],
    joining: _Joining,
) -> None:
    """Replay and assemble what a worker made of `task`."""
    joiner = joining.of(task)  # tasks are collected in order: earlier chunks are settled
    if joiner is None:
        _replay(done.diagnostics, log)
    else:
        again = joiner.clash(done.result)
        if again is not None:
            _reread(task, again, joiner, options, assembler, log, on_done)
            return
        _replay(done.diagnostics, log, joiner)
        joiner.add(done.result)
    if done.quiet_codes:
        severities = _SEVERITIES
        log.add_counts(
            {severities[level]: n for level, n in done.quiet_counts.items()}, done.quiet_codes
        )
    if done.block is not None:
        assembler.add_block(done.block, done.written)
    else:
        assembler.add_batch(done.payloads, done.citation_keys, done.base_keys)
    on_done(done.read, done.size)


def _reread(
    task: Task,
    again: dict[str, Any],
    joiner: Joiner,
    options: WriteOptions,
    assembler: Assembler,
    log: DiagnosticLog,
    on_done: Callable[[int, int], None],
) -> None:
    """Read a chunk again in this process, as a serial run reads it, with what the joiner knows
    (`again`: the reader's extra arguments); the worker's records and diagnostics are dropped."""
    info = find(task.fmt)
    assert info is not None and info.reader is not None and task.chunk is not None
    stream, size = _open(task)
    refs = info.reader(stream, task.source, log, **task.chunk, **again)
    returned: list[Any] = []
    with stream:
        refs = _returning(refs, returned)
        render_into(assembler, refs, log, options, lambda count: on_done(count, 0))
    joiner.add(returned[0] if returned else None)
    on_done(0, size)
