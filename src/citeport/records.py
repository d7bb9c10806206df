"""How writers write: each reference rendered on its own, then assembled in input order.

A writer is described by a `RecordWriter`:

- `render(ref, log, options)` does the expensive, independent work for one reference (LaTeX
  escaping, CSL item building, citeproc-py) and returns a payload, or None when the reference
  is left out (and reported). It needs nothing from the other references, so it can run in a
  worker process (`citeport.parallel`).
- `finish(payload, key, number)` turns the payload into the record's text once its citation key
  (unique in the output, so it depends on the records before it) and its number are known.
  It is cheap and runs in input order. A writer without one (RIS) renders each record's final
  text: a worker then joins its records into the output's UTF-8 bytes itself
  (`Assembler.add_block`), and the main process only writes them. An `encoded` writer's
  `finish` gives UTF-8 bytes (CSL-JSON: orjson's own), never decoded when the output file
  takes bytes.
- `before`, `separator` and `after` frame the records (a JSON array, an HTML div).

`write_records` is the serial writer; the parallel path calls `render` in workers and
`Assembler` in the main process, so both write exactly the same bytes. Both hand the
`Assembler` references in batches (`Assembler.add_batch`), so the output is written in a few
large pieces rather than two small writes a record.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import IO, Any

from .diagnostics import DiagnosticLog
from .keys import CitationKeys, base_key
from .model import Reference
from .options import WriteOptions


@dataclass(frozen=True, slots=True)
class Rendered:
    """One reference as rendered by a worker: its payload and what its key is made from."""

    payload: Any  # None: left out (a diagnostic says why)
    citation_key: str
    base_key: str


@dataclass(frozen=True, slots=True)
class RecordWriter:
    """A writer as a per-record renderer plus the frame around the records."""

    render: Callable[[Reference, DiagnosticLog, WriteOptions], Any]
    finish: Callable[[Any, str, int], str | bytes] | None = None  # None: the payload is the text
    before: str | Callable[[int], str] = ""
    separator: str = ""
    after: str | Callable[[int], str] = ""
    keyed: bool = False  # records need citation keys (they are made for every reference)
    hold: bool = False  # `before` needs the number of records: keep them until the end
    start: Callable[[DiagnosticLog, WriteOptions], None] | None = None  # once per output
    encoded: bool = False  # `finish` gives the record's UTF-8 bytes (never with `hold`)

    def prepare(self, ref: Reference, log: DiagnosticLog, options: WriteOptions) -> Rendered:
        """Render one reference (the part that can run in a worker)."""
        payload = self.render(ref, log, options)
        if not self.keyed:
            return Rendered(payload, "", "")
        return Rendered(payload, ref.citation_key, base_key(ref))


class Assembler:
    """Writes rendered references in order: keys, numbers, separators and the frame."""

    def __init__(self, spec: RecordWriter, out: IO[str], raw: IO[bytes] | None = None) -> None:
        """`raw`, if given, is the binary stream under `out` where UTF-8 bytes stand for text
        (no other encoding, no line-end translation): bytes are written there."""
        assert not (spec.encoded and spec.hold)
        self.spec = spec
        self._out = out
        self._raw = raw
        self._wrote_text = True  # to `out` since the last write to `raw` (or by the caller)
        self._keys = CitationKeys()
        self._held: list[str] = []
        self.count = 0
        if not spec.hold and isinstance(spec.before, str):
            self._write(spec.before)

    def add(self, rendered: Rendered) -> None:
        """Write one rendered reference."""
        self.add_batch([rendered.payload], [rendered.citation_key], [rendered.base_key])

    def add_batch(
        self,
        payloads: Sequence[Any],
        citation_keys: Sequence[str] = (),
        base_keys: Sequence[str] = (),
    ) -> None:
        """Write rendered references in order, as one write.

        `payloads[i]` is what `render` returned for a reference (None: left out, but its key
        is still taken, as in a serial run); for a keyed writer `citation_keys[i]` and
        `base_keys[i]` are what its key is made from (`RecordWriter.prepare`).
        """
        spec = self.spec
        finish = spec.finish or _as_is
        assign = self._keys.assign_parts if spec.keyed else None
        separator: str | bytes = spec.separator.encode() if spec.encoded else spec.separator
        hold = spec.hold
        parts: list[Any] = self._held if hold else []
        count = self.count
        for i, payload in enumerate(payloads):
            key = assign(citation_keys[i], base_keys[i]) if assign is not None else ""
            if payload is None:
                continue
            count += 1
            if separator and count > 1 and not hold:
                parts.append(separator)
            parts.append(finish(payload, key, count))
        self.count = count
        if parts and not hold:
            self._write(separator[:0].join(parts))

    def add_block(self, block: bytes, count: int) -> None:
        """Write `count` records of a writer without `finish`, already joined by its separator
        and encoded in UTF-8 (by a worker)."""
        spec = self.spec
        assert spec.finish is None and not spec.keyed and not spec.hold
        if not count:
            return
        if spec.separator and self.count:
            block = spec.separator.encode() + block
        self.count += count
        self._write(block)

    def _write(self, data: str | bytes) -> None:
        """Write text to `out`, UTF-8 bytes to `raw` (or decoded to `out` without one)."""
        if isinstance(data, str):
            self._out.write(data)
            self._wrote_text = True
        elif self._raw is None:
            self._out.write(data.decode())
        else:
            if self._wrote_text:  # it comes first
                self._out.flush()
                self._wrote_text = False
            self._raw.write(data)

    def close(self) -> int:
        """Write what is held and the frame's end; returns the number of records written."""
        spec = self.spec
        if spec.hold:
            before = spec.before(self.count) if callable(spec.before) else spec.before
            self._write(before)
            self._write(spec.separator.join(self._held))
        after = spec.after(self.count) if callable(spec.after) else spec.after
        self._write(after)
        return self.count


def _as_is(payload: Any, key: str, number: int) -> Any:
    return payload


#: References rendered before the serial writer hands them to the `Assembler` in one go.
BATCH = 64


def write_records(
    spec: RecordWriter,
    refs: Iterable[Reference],
    out: IO[str],
    log: DiagnosticLog,
    options: WriteOptions,
    raw: IO[bytes] | None = None,
) -> int:
    """Write references one by one in input order; returns the number written. `raw` is
    the binary stream under `out`, if it takes UTF-8 bytes (`Assembler`)."""
    if spec.start is not None:
        spec.start(log, options)
    assembler = Assembler(spec, out, raw)
    render_into(assembler, refs, log, options)
    return assembler.close()


def render_into(
    assembler: Assembler,
    refs: Iterable[Reference],
    log: DiagnosticLog,
    options: WriteOptions,
    on_batch: Callable[[int], None] | None = None,
) -> None:
    """Render `refs` in this process, in order, handing them to `assembler` `BATCH` at a time
    (`on_batch(count)` after each batch)."""
    spec = assembler.spec
    render, keyed = spec.render, spec.keyed
    payloads: list[Any] = []
    given: list[str] = []
    bases: list[str] = []
    for ref in refs:
        payloads.append(render(ref, log, options))
        if keyed:
            given.append(ref.citation_key)
            bases.append(base_key(ref))
        if len(payloads) >= BATCH:
            assembler.add_batch(payloads, given, bases)
            if on_batch is not None:
                on_batch(len(payloads))
            payloads, given, bases = [], [], []
    assembler.add_batch(payloads, given, bases)
    if on_batch is not None and payloads:
        on_batch(len(payloads))
