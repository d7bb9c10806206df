"""`-j/--jobs`: conversion in worker processes, with the output of a serial run, byte for byte.

The work is cut into tasks in input order: a chunk of lines of a file whose every line is a
record (aggregator JSON lines: `FormatInfo.splittable`), or a whole file otherwise. A worker
reads its task and renders each reference (`RecordWriter.prepare`), collecting its diagnostics
in the order a serial run makes them; the main process takes the results in task order, replays
the diagnostics, and assembles the output (`records.Assembler`: keys, numbers, separators).
Only bytes and rendered strings cross between processes, never whole references.

At most `2 x jobs` tasks are in flight, so memory stays flat however large the input.
"""

from __future__ import annotations

import io
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from multiprocessing.pool import AsyncResult, Pool
from typing import IO, TYPE_CHECKING, Any

from .diagnostics import Diagnostic, DiagnosticLog, Location, Severity
from .options import WriteOptions
from .records import Assembler, RecordWriter, Rendered
from .registry import find

if TYPE_CHECKING:
    from .convert import Input

CHUNK_BYTES = 1 << 20  # about a thousand aggregator records


@dataclass(slots=True)
class Task:
    """One unit of work: `data` (a chunk of lines) or `path` (a whole file) in `fmt`."""

    source: str
    fmt: str
    first_line: int = 1
    data: bytes | None = None
    path: str | None = None
    failure: Diagnostic | None = None  # a problem found while cutting tasks, replayed in order


@dataclass(slots=True)
class Done:
    """What a worker made of a task."""

    rendered: list[Rendered] = field(default_factory=list)
    diagnostics: list[tuple[Diagnostic, bool]] = field(default_factory=list)  # (diag, skipped)
    read: int = 0
    size: int = 0


class _RecordingLog(DiagnosticLog):
    """A log that keeps each diagnostic with whether it skipped a record, for the replay."""

    def __init__(self) -> None:
        super().__init__()
        self.recorded: list[tuple[Diagnostic, bool]] = []

    def report(
        self, code: str, message: str, location: Location, severity: Severity | None = None
    ) -> Diagnostic:
        diag = super().report(code, message, location, severity)
        self.recorded.append((diag, False))
        return diag

    def skip(self, code: str, message: str, location: Location) -> Diagnostic:
        diag = super().skip(code, message, location)
        self.recorded[-1] = (diag, True)
        return diag


_WORKER: dict[str, Any] = {}


def _init_worker(to: str, options: WriteOptions) -> None:
    info = find(to)
    assert info is not None and info.records is not None
    _WORKER["spec"] = info.records
    _WORKER["options"] = options


def _work(task: Task) -> Done:
    spec: RecordWriter = _WORKER["spec"]
    options: WriteOptions = _WORKER["options"]
    info = find(task.fmt)
    assert info is not None and info.reader is not None
    log = _RecordingLog()
    done = Done(size=len(task.data) if task.data is not None else 0)
    if task.data is not None:
        stream: IO[bytes] = io.BufferedReader(io.BytesIO(task.data))
        refs = info.reader(stream, task.source, log, first_line=task.first_line)  # type: ignore[call-arg]
    else:
        assert task.path is not None
        stream = open(task.path, "rb")  # noqa: SIM115 - closed below
        done.size = os.fstat(stream.fileno()).st_size
        refs = info.reader(stream, task.source, log)
    try:
        for ref in refs:
            done.read += 1
            done.rendered.append(spec.prepare(ref, log, options))
    finally:
        stream.close()
    done.diagnostics = log.recorded
    return done


def tasks(inputs: Iterator[Input]) -> Iterator[Task]:
    """Cut the inputs into tasks, in input order (lazily: chunks are read as they are needed)."""
    for item in inputs:
        if item.failure is not None:
            yield Task(item.source, "", failure=item.failure)
            continue
        assert item.info is not None and item.stream is not None
        utf16 = item.stream.peek(2)[:2] in (b"\xff\xfe", b"\xfe\xff")
        if item.info.splittable and not utf16:
            yield from _chunks(item.stream, item.source, item.info.name)
        elif item.path == "-":
            yield Task(item.source, item.info.name, data=item.stream.read())
        else:
            yield Task(item.source, item.info.name, path=item.path)


def _chunks(stream: IO[bytes], source: str, fmt: str) -> Iterator[Task]:
    first_line = 1
    while True:
        lines = stream.readlines(CHUNK_BYTES)
        if not lines:
            return
        yield Task(source, fmt, first_line=first_line, data=b"".join(lines))
        first_line += len(lines)


def run(
    work: Iterator[Task],
    to: str,
    out: IO[str],
    log: DiagnosticLog,
    options: WriteOptions,
    jobs: int,
    on_done: Callable[[int, int], None],
) -> int:
    """Render the tasks in `jobs` worker processes and write the output in order.

    `on_done(records, bytes)` is called after each task. Returns the number written.
    """
    info = find(to)
    assert info is not None and info.records is not None
    spec = info.records
    if spec.start is not None:
        spec.start(log, options)
    assembler = Assembler(spec, out)
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    pending: deque[tuple[Task, AsyncResult[Done] | None]] = deque()
    with context.Pool(jobs, initializer=_init_worker, initargs=(to, options)) as pool:
        for task in work:
            pending.append((task, None if task.failure else _submit(pool, task)))
            while len(pending) > 2 * jobs:
                _collect(pending.popleft(), assembler, log, on_done)
        while pending:
            _collect(pending.popleft(), assembler, log, on_done)
    return assembler.close()


def _submit(pool: Pool, task: Task) -> AsyncResult[Done]:
    return pool.apply_async(_work, (task,))


def _collect(
    item: tuple[Task, AsyncResult[Done] | None],
    assembler: Assembler,
    log: DiagnosticLog,
    on_done: Callable[[int, int], None],
) -> None:
    task, handle = item
    if handle is None:
        assert task.failure is not None
        log.add(task.failure)
        return
    done = handle.get()
    for diag, skipped in done.diagnostics:
        log.add(diag, skipped)
    for rendered in done.rendered:
        assembler.add(rendered)
    on_done(done.read, done.size)
