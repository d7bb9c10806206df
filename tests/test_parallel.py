"""`-j`: worker processes give the serial run's output and diagnostics, through the Python API.

The input is cut into many small chunks (a tiny `parallel.CHUNK_BYTES`) so every record
boundary case is crossed: diagnostics of several records in one chunk, a skipped line at a
chunk's start, duplicate citation keys in different chunks.
"""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from citeport import parallel
from citeport.convert import convert
from citeport.diagnostics import Diagnostic, DiagnosticLog, Location, Severity
from citeport.records import Assembler, RecordWriter

from .conftest import ROOT

EXAMPLE = ROOT / "examples" / "spm-43-2.txt"


def _input(tmp_path: Path) -> Path:
    """The example records three times (same keys: the later ones get suffixes), with stray
    lines between them."""
    lines = EXAMPLE.read_bytes().splitlines(keepends=True)
    data = b"".join([*lines, b"not json at all\n", *lines, b"{broken\n", *lines])
    path = tmp_path / "many.jsonl"
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("fmt", ["bibtex", "ris", "csljson", "ieee", "ieee-html"])
def test_small_chunks_give_the_serial_bytes_and_diagnostics(
    fmt: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = _input(tmp_path)
    serial = convert([source], fmt, jobs=1)
    monkeypatch.setattr(parallel, "CHUNK_BYTES", 2000)  # a few records a chunk
    parallel_run = convert([source], fmt, jobs=2)
    assert parallel_run.text == serial.text
    assert list(parallel_run.log) == list(serial.log)
    assert parallel_run.log.skipped == serial.log.skipped == 5
    assert parallel_run.log.by_code == serial.log.by_code
    assert (parallel_run.read, parallel_run.written) == (serial.read, serial.written) == (21, 21)


def test_replayed_diagnostics_keep_skips_severities_and_locations() -> None:
    recording = parallel._RecordingLog()
    where = Location("in.jsonl", 7, "rec-1", "title")
    recording.report("MRK001", "a message", where)
    recording.report("MRK001", "a message", where, Severity.ERROR)
    recording.skip("AGG001", "line is not a JSON object, skipped", Location("in.jsonl", 8))
    wires = pickle.loads(pickle.dumps(recording.recorded))
    log = DiagnosticLog()
    parallel._replay(wires, log)
    assert list(log) == [
        Diagnostic("MRK001", Severity.INFO, "a message", where),
        Diagnostic("MRK001", Severity.ERROR, "a message", where),
        Diagnostic(
            "AGG001",
            Severity.WARNING,
            "line is not a JSON object, skipped",
            Location("in.jsonl", 8),
        ),
    ]
    assert log.skipped == 1


def test_fields_dropped_together_cross_as_one_entry_and_replay_one_by_one() -> None:
    recording = parallel._RecordingLog()
    record = Location("in.jsonl", 3, "rec-1")
    drops = [("Total", "aggregator field 'Total' has no RIS tag; dropped"), ("platform", "p")]
    recording.report_fields("RIS011", record, drops)
    recording.report_fields("RIS011", Location("in.jsonl", 4, "rec-2"), drops)
    recording.report_fields("RIS011", record, [])  # nothing dropped: nothing recorded
    assert len(recording.recorded) == 2
    assert recording.recorded[0][3] is recording.recorded[1][3]  # equal drops stored once
    wires = pickle.loads(pickle.dumps(recording.recorded))
    log = DiagnosticLog()
    parallel._replay(wires, log)
    assert list(log) == [
        Diagnostic("RIS011", Severity.INFO, message, Location("in.jsonl", line, rec, field))
        for line, rec in ((3, "rec-1"), (4, "rec-2"))
        for field, message in drops
    ]
    assert log.by_code == {"RIS011": 4} and log.counts[Severity.INFO] == 4


def test_done_pickles_as_plain_lists() -> None:
    done = parallel.Done(["a", None], ["k", "k"], ["b", "b"], [], read=2, size=10)
    again = pickle.loads(pickle.dumps(done))
    assert (again.payloads, again.citation_keys, again.base_keys) == (
        ["a", None],
        ["k"] * 2,
        ["b"] * 2,
    )
    assert (again.read, again.size) == (2, 10)


def test_assembler_batches_number_key_and_separate_like_single_adds() -> None:
    spec = RecordWriter(
        render=lambda ref, log, options: ref,
        finish=lambda payload, key, number: f"{number}:{key}:{payload}",
        before="[",
        separator=",",
        after="]",
        keyed=True,
    )

    class Out:
        def __init__(self) -> None:
            self.text = ""

        def write(self, text: str) -> int:
            self.text += text
            return len(text)

    out = Out()
    assembler = Assembler(spec, out)  # type: ignore[arg-type]
    assembler.add_batch(["x", None, "y"], ["smith2020", "smith2020", "smith2020"], ["b", "b", "b"])
    assembler.add_batch(["z"], [""], ["smith2020"])
    assert assembler.close() == 3
    assert out.text == "[1:smith2020:x,2:ba:y,3:smith2020a:z]"
