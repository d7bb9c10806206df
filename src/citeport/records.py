"""How writers write: each reference rendered on its own, then assembled in input order.

A writer is described by a `RecordWriter`:

- `render(ref, log, options)` does the expensive, independent work for one reference (LaTeX
  escaping, CSL item building, citeproc-py) and returns a payload, or None when the reference
  is left out (and reported). It needs nothing from the other references, so it can run in a
  worker process (`citeport.parallel`).
- `finish(payload, key, number)` turns the payload into the record's text once its citation key
  (unique in the output, so it depends on the records before it) and its number are known.
  It is cheap and runs in input order.
- `before`, `separator` and `after` frame the records (a JSON array, an HTML div).

`write_records` is the serial writer; the parallel path calls `render` in workers and
`Assembler` in the main process, so both write exactly the same bytes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
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
    finish: Callable[[Any, str, int], str]
    before: str | Callable[[int], str] = ""
    separator: str = ""
    after: str | Callable[[int], str] = ""
    keyed: bool = False  # records need citation keys (they are made for every reference)
    hold: bool = False  # `before` needs the number of records: keep them until the end
    start: Callable[[DiagnosticLog, WriteOptions], None] | None = None  # once per output

    def prepare(self, ref: Reference, log: DiagnosticLog, options: WriteOptions) -> Rendered:
        """Render one reference (the part that can run in a worker)."""
        payload = self.render(ref, log, options)
        if not self.keyed:
            return Rendered(payload, "", "")
        return Rendered(payload, ref.citation_key, base_key(ref))


class Assembler:
    """Writes rendered references in order: keys, numbers, separators and the frame."""

    def __init__(self, spec: RecordWriter, out: IO[str]) -> None:
        self._spec = spec
        self._out = out
        self._keys = CitationKeys()
        self._held: list[str] = []
        self.count = 0
        if not spec.hold and isinstance(spec.before, str):
            out.write(spec.before)

    def add(self, rendered: Rendered) -> None:
        spec = self._spec
        keys = self._keys
        key = keys.assign_parts(rendered.citation_key, rendered.base_key) if spec.keyed else ""
        if rendered.payload is None:
            return
        self.count += 1
        text = spec.finish(rendered.payload, key, self.count)
        if spec.hold:
            self._held.append(text)
            return
        if self.count > 1:
            self._out.write(spec.separator)
        self._out.write(text)

    def close(self) -> int:
        spec = self._spec
        if spec.hold:
            before = spec.before(self.count) if callable(spec.before) else spec.before
            self._out.write(before)
            self._out.write(spec.separator.join(self._held))
        after = spec.after(self.count) if callable(spec.after) else spec.after
        self._out.write(after)
        return self.count


def write_records(
    spec: RecordWriter,
    refs: Iterable[Reference],
    out: IO[str],
    log: DiagnosticLog,
    options: WriteOptions,
) -> int:
    """Write references one by one in input order; returns the number written."""
    if spec.start is not None:
        spec.start(log, options)
    assembler = Assembler(spec, out)
    for ref in refs:
        assembler.add(spec.prepare(ref, log, options))
    return assembler.close()
