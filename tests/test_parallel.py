"""`-j`: worker processes give the serial run's output and diagnostics, through the Python API.

The input is cut into many small chunks (a tiny `parallel.CHUNK_BYTES`) so every record
boundary case is crossed: diagnostics of several records in one chunk, a skipped line at a
chunk's start, duplicate citation keys in different chunks.
"""

from __future__ import annotations

import io
import pickle
from pathlib import Path
from typing import Any

import orjson
import pytest

from citeport import parallel
from citeport.convert import Result, convert, open_inputs
from citeport.diagnostics import CODES, Diagnostic, DiagnosticLog, Location, Severity
from citeport.formats import crossref, csljson, medline, ris
from citeport.formats.bibtex import reader as bibtex_reader
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
    # a few records a chunk; a record longer than a chunk; a chunk ending just after a newline
    for size in (2000, 700, 333):
        monkeypatch.setattr(parallel, "CHUNK_BYTES", size)
        parallel_run = convert([source], fmt, jobs=2)
        assert parallel_run.text == serial.text
        assert list(parallel_run.log) == list(serial.log)
        assert parallel_run.log.skipped == serial.log.skipped == 5
        assert parallel_run.log.by_code == serial.log.by_code
        assert (parallel_run.read, parallel_run.written) == (serial.read, serial.written)
    assert (serial.read, serial.written) == (21, 21)


def test_line_chunks_are_whole_lines_with_their_first_line_numbers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    data = b"a\nbb\n\nccccccc\nd"  # a line longer than a chunk; no newline at the end
    for size in (1, 2, 3, 4, 100):
        monkeypatch.setattr(parallel, "CHUNK_BYTES", size)
        tasks = list(parallel._chunks(io.BytesIO(data), "s", "aggregator", 0))
        assert b"".join(t.data or b"" for t in tasks) == data, size
        start = 0
        for task in tasks:
            assert task.data is not None and task.chunk is not None
            assert start == 0 or data[start - 1 : start] == b"\n"  # starts a line
            assert task.chunk["first_line"] == data.count(b"\n", 0, start) + 1
            start += len(task.data)


def _same_as_serial(
    path: Path, to: str, monkeypatch: pytest.MonkeyPatch, sizes: tuple[int, ...]
) -> tuple[str, DiagnosticLog, int, int]:
    """Convert `path` serially, then with two workers at each chunk size: every run gives the
    serial text, diagnostics (every field of each location), counts and skips."""
    serial = runs_as_serial([path], to, monkeypatch, sizes)
    assert serial.text is not None
    return serial.text, serial.log, serial.read, serial.written


def runs_as_serial(
    paths: list[Path], to: str, monkeypatch: pytest.MonkeyPatch, sizes: tuple[int, ...]
) -> Result:
    """`_same_as_serial` for several inputs in one call; the serial run's result."""
    serial = convert(paths, to, jobs=1)
    for size in sizes:
        monkeypatch.setattr(parallel, "CHUNK_BYTES", size)
        run = convert(paths, to, jobs=2)
        assert run.text == serial.text, size
        assert list(run.log) == list(serial.log), size
        assert run.log.skipped == serial.log.skipped
        assert run.log.by_code == serial.log.by_code
        assert run.log.counts == serial.log.counts
        assert (run.read, run.written) == (serial.read, serial.written)
    return serial


#: RIS records with what a chunk edge could break: a BOM, CRLF, stray text, a record closed by
#: the next TY, an ER outside a record, a line that is not UTF-8, an empty record (its number
#: is in its message), a record without TY, a Web of Science lone CR, ids from lines.
RIS_RECORDS = [
    b"TY  - JOUR\r\nAU  - Smith, Jane\r\nTI  - A first title\r\nPY  - 2020\r\nER  - \r\n",
    b"Record #2 of 9\r\n",
    b"TY  - BOOK\r\nID  - book-1\r\nTI  - A book\r\n   wrapped on two lines\r\nPY  - 1999\r\n",
    b"TY  - JOUR\nTI  - Closes the book without ER\nKW  - one\ntwo\nER  -\n",
    b"ER  - \n",
    b"TY  - CHAP\nTI  - Caf\xe9 au lait\nER  - \n",
    b"TY  - JOUR\nER  - \n",
    b"\n\n6.\n",
    b"AU  - Doe, John\nTI  - No type at all\nER  - \n",
    b"TY  - XXXX\nTI  - Unknown type\rAN  - WOS:0001\nER  - \n",
]


def test_ris_chunks_give_the_serial_bytes_and_diagnostics(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "many.ris"
    path.write_bytes(b"\xef\xbb\xbf" + b"".join(RIS_RECORDS * 3) + b"TY  - JOUR\nTI  - Last\n")
    for to in ("csljson", "bibtex"):
        _, log, read, written = _same_as_serial(path, to, monkeypatch, (1, 60, 200, 2000))
        assert (read, written, log.skipped) == (19, 19, 3)
    # what depends on earlier chunks: record numbers, line numbers, ids made of lines
    assert [str(d) for d in log if d.code == "RIS008"] == [
        f"{path}:{line}: error[RIS008] record {number} holds no data, skipped"
        for line, number in ((21, 5), (52, 12), (83, 19))
    ]
    assert [(d.location, d.message) for d in log if d.code == "RIS002"][-2:] == [
        (
            Location(str(path), 69, "book-1"),
            "record starting at line 69 has no ER; it ends at the next TY (line 74) and is kept",
        ),
        (
            Location(str(path), 94, "line-94"),
            "record starting at line 94 has no ER; it ends at the end of the input and is kept",
        ),
    ]
    assert [d.location.line for d in log if d.code in ("RIS005", "RIS006")][-4:] == [68, 79, 81, 87]


def test_each_input_counts_its_own_records_and_ids(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ris_path, csl_path = tmp_path / "a.ris", tmp_path / "b.json"
    ris_path.write_bytes(b"".join(RIS_RECORDS * 2))
    csl_path.write_bytes(_csl_array(True))
    inputs = [ris_path, csl_path, ris_path, csl_path]
    serial = convert(inputs, "ris", jobs=1)
    monkeypatch.setattr(parallel, "CHUNK_BYTES", 100)
    run = convert(inputs, "ris", jobs=2)
    assert run.text == serial.text
    assert list(run.log) == list(serial.log)
    assert [d.message for d in run.log if d.code == "RIS008"] == [
        f"record {n} holds no data, skipped" for n in (5, 12, 5, 12)
    ]
    assert run.log.by_code["CSL112"] == 14  # ids repeat within each file only


def test_ris_splits_after_er_lines_only() -> None:
    data = b"TY  - JOUR\nER  - \rTY  - JOUR\nTI  - x\nER  -\r\nTY  - BOOK\nER  - \n"
    split = ris.split(io.BufferedReader(io.BytesIO(data)), 1)
    assert split is not None
    chunks = list(split)
    assert chunks == [
        (b"TY  - JOUR\nER  - \rTY  - JOUR\nTI  - x\nER  -\r\n", {"first_line": 1}),
        (b"TY  - BOOK\nER  - \n", {"first_line": 5}),
    ]
    utf16 = "TY  - JOUR\nER  - \nTY  - JOUR\nER  - \n".encode("utf-16")
    assert ris.split(io.BufferedReader(io.BytesIO(utf16)), 1) is None  # read whole


#: MEDLINE records with what a chunk edge could break: stray text, CRLF, a record without
#: PMID (its id is its line), a line that is not UTF-8, wrapped values, two records without a
#: blank line between them, a blank line of spaces, a continuation line after a blank line.
MEDLINE_RECORDS = [
    b"Search results\n\n",
    b"PMID- 101\r\nTI  - A first title wrapped\r\n      over two lines\r\nDP  - 2016 Apr 19\r\n\r\n",
    b"TI  - No PMID at all\nFAU - Smith, Jane\nDP  - 2011 Spring\n   \n",
    b"PMID- 102\nTI  - Caf\xe9 au lait\nPMID- 103\nTI  - Right after it\n\n",
    b"      a continuation with no record\n\n",
    b"PMID- 104\nTI  - Pages\nPG  - 1166-74\nLID - 10.1000/x [doi]\n\n",
]


def test_medline_chunks_give_the_serial_bytes_and_diagnostics(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "many.nbib"
    path.write_bytes(b"\xef\xbb\xbf" + b"".join(MEDLINE_RECORDS * 3) + b"PMID- 105\nTI  - Last")
    monkeypatch.setattr(parallel, "CHUNK_BYTES", 200)
    tasks = list(parallel.tasks(open_inputs([str(path)], None)))
    assert len(tasks) == 5 and all(task.chunk for task in tasks)  # cut, not read whole
    for to in ("csljson", "ris"):
        _, log, read, written = _same_as_serial(path, to, monkeypatch, (1, 60, 200, 2000))
        assert (read, written) == (16, 16)
    # what depends on where a chunk starts: line numbers, and ids made of them
    assert [(d.code, d.location.line) for d in log if d.code in ("MED001", "MED002")] == [
        ("MED001", 1), ("MED002", 13), ("MED001", 17),
        ("MED001", 24), ("MED002", 36), ("MED001", 40),
        ("MED001", 47), ("MED002", 59), ("MED001", 63),
    ]  # fmt: skip
    assert [d.location.record for d in log if d.code == "MED004"] == [
        "line-8", "line-31", "line-54"
    ]  # fmt: skip


def test_medline_splits_after_blank_lines_only() -> None:
    data = b"PMID- 1\nTI  - x\n \t\r\nPMID- 2\n\xc2\xa0\nPMID- 3\n\nPMID- 4\n"
    split = medline.split(io.BufferedReader(io.BytesIO(data)), 1)
    assert split is not None
    assert list(split) == [
        (b"PMID- 1\nTI  - x\n \t\r\n", {"first_line": 1}),
        (b"PMID- 2\n\xc2\xa0\nPMID- 3\n\n", {"first_line": 4}),  # no-break space: not cut
        (b"PMID- 4\n", {"first_line": 8}),
    ]
    wide = "PMID- 1\n\nPMID- 2\n".encode("utf-16")
    assert medline.split(io.BufferedReader(io.BytesIO(wide)), 1) is None  # read whole


def _crossref_lines() -> bytes:
    """Crossref JSON lines: works, a response with a work, a list response, and lines that
    are not works (not JSON, an array, an object without a work's fields), blank lines."""
    work = orjson.loads((ROOT / "tests" / "cases" / "crossref" / "mathml.json").read_bytes())
    one = orjson.dumps(work["message"])
    rows = [
        one,
        orjson.dumps(work),
        b"",
        orjson.dumps({"message": {"items": [work["message"], {"title": ["Second"]}]}}),
        b"{not json",
        b"[1, 2]",
        b'{"note": "no work here"}',
        b"   ",
        orjson.dumps({"DOI": "10.1000/xyz", "type": "book", "title": ["A <i>book</i>"]}),
    ]
    return b"\n".join(rows * 3) + b"\n"


def test_crossref_json_lines_chunks_give_the_serial_bytes_and_diagnostics(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "works.json"
    path.write_bytes(b"\xef\xbb\xbf" + _crossref_lines())
    monkeypatch.setattr(parallel, "CHUNK_BYTES", 2000)
    tasks = list(parallel.tasks(open_inputs([str(path)], "crossref")))
    assert len(tasks) > 3 and all(task.chunk for task in tasks)  # cut, not read whole
    for to in ("csljson", "ris"):
        _, log, read, written = _same_as_serial(path, to, monkeypatch, (1, 700, 2000, 1 << 20))
        assert (read, written, log.skipped) == (15, 15, 9)
    assert [d.location.line for d in log if d.code == "XREF001"] == [5, 14, 23]


def test_crossref_splits_json_lines_into_lines_and_a_document_not(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """JSON lines are cut into chunks of whole lines; a response (or a single work) is one
    JSON document, one chunk read whole, even on one line."""
    work = ROOT / "tests" / "cases" / "crossref" / "mathml.json"
    for document in (work.read_bytes(), b'{"DOI": "10.1000/1", "title": ["T"]}\n\n  \n'):
        whole = crossref.split(io.BufferedReader(io.BytesIO(document)), 10)
        assert whole is not None and list(whole) == [(document, {})]
    lines = _crossref_lines()
    split = crossref.split(io.BufferedReader(io.BytesIO(lines)), 1)
    assert split is not None
    chunks = list(split)
    assert b"".join(data for data, _ in chunks) == lines and len(chunks) > 10
    before = 0
    for data, where in chunks:  # whole lines, numbered from the start of the input
        assert where == {"first_line": before + 1} and data.endswith(b"\n")
        before += data.count(b"\n")
    wide = lines.decode().encode("utf-16")
    assert crossref.split(io.BufferedReader(io.BytesIO(wide)), 1) is None  # read whole
    _same_as_serial(work, "csljson", monkeypatch, (10,))


def test_ris_utf16_input_is_read_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "wide.ris"
    path.write_bytes(b"".join(RIS_RECORDS).decode("cp1252").encode("utf-16-le"))
    _, log, read, _ = _same_as_serial(path, "csljson", monkeypatch, (1,))
    assert read == 6 and log.by_code["RIS012"] == 1


#: CSL-JSON items: ids repeated across chunks, items without ids (numbered by position), junk
#: between items (numbered too, in an array), an item that is not JSON, CRLF and a BOM.
CSL_ITEMS = [
    b'{"id": "a", "type": "book", "title": "First"}',
    b'{"type": "article-journal", "title": "No id", "author": [{"family": "Doe"}]}',
    b"42",
    b'{"id": "a", "type": "book", "title": "Same id again", "issued": {"date-parts": [[2020]]}}',
    b'{"id": "b", "title": "broken", }',
    b'{"nothing": "of CSL"}',
    b'{"id": "c", "type": "chapter", "title": "Has [brackets] and \\"quotes\\" {too}"}',
]


def _csl_array(indent: bool) -> bytes:
    if not indent:
        return b"\xef\xbb\xbf[" + b",".join(CSL_ITEMS * 3) + b"]\r\n"
    items = [b"  " + item.replace(b", ", b",\r\n    ") for item in CSL_ITEMS * 3]
    return b"\xef\xbb\xbf[\r\n" + b",\r\n".join(items) + b"\r\n]\r\ntrailing text\r\n"


@pytest.mark.parametrize("layout", ["indented", "one line", "lines"])
def test_csljson_chunks_give_the_serial_bytes_and_diagnostics(
    layout: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "items.json"
    if layout == "lines":
        path.write_bytes(b"\r\n".join([*CSL_ITEMS * 3, b"", b"not json"]) + b"\r\n")
    else:
        path.write_bytes(_csl_array(layout == "indented"))
    for to in ("ris", "bibtex"):
        _, log, read, written = _same_as_serial(path, to, monkeypatch, (1, 100, 400, 4000))
        assert (read, written) == (12, 12)
    # what depends on earlier chunks: ids seen before, item numbers, ids made of them
    repeats = [(d.location.line, d.location.record) for d in log if d.code == "CSL112"]
    made = [d.location.record for d in log if d.code == "CSL103"]
    if layout == "indented":
        assert repeats == [
            (9, "a"),
            (20, "a"),
            (27, "a"),
            (35, "c"),
            (38, "a"),
            (45, "a"),
            (53, "c"),
        ]
    if layout == "lines":
        assert repeats == [
            (4, "a"),
            (8, "a"),
            (11, "a"),
            (14, "c"),
            (15, "a"),
            (18, "a"),
            (21, "c"),
        ]
        assert made == ["item-2", "item-8", "item-14"]  # junk lines are not counted
    else:
        assert made == ["item-2", "item-9", "item-16"]  # junk items are counted
        assert [d.message for d in log if d.code == "CSL112"][-1] == (
            "/20: id 'c' is used by an earlier item; both kept"
        )


@pytest.mark.parametrize("threshold", [Severity.WARNING, Severity.ERROR])
@pytest.mark.parametrize(
    ("name", "to"), [("many.jsonl", "ris"), ("many.ris", "bibtex"), ("items.json", "ris")]
)
def test_a_log_that_only_counts_low_severities_gets_the_serial_counts(
    name: str, to: str, threshold: Severity, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The CLI's log (a sink, and `sink_threshold` when nothing shows notes): workers only
    count what it only counts; it shows the serial run's diagnostics and has its counts."""
    if name == "many.jsonl":
        path = _input(tmp_path)
    else:
        path = tmp_path / name
        extra = b'{"id": "d", "DOI": "https://doi.org/10.1/x", "shelf": "B2"}'  # two notes
        items = b"\n".join([*CSL_ITEMS, extra] * 3)
        path.write_bytes(b"".join(RIS_RECORDS * 3) if name == "many.ris" else items)

    def run(jobs: int) -> tuple[list[Diagnostic], DiagnosticLog, str | None]:
        shown: list[Diagnostic] = []
        log = DiagnosticLog(sink=shown.append, sink_threshold=threshold)
        return shown, log, convert([path], to, log=log, jobs=jobs).text

    shown, serial, text = run(1)
    assert any(
        serial.by_code.get(code) for code, _ in CODES.items() if CODES[code].severity < threshold
    )
    for size in (1, 300, 4000):
        monkeypatch.setattr(parallel, "CHUNK_BYTES", size)
        shown_now, log, text_now = run(2)
        assert text_now == text, size
        assert shown_now == shown, size
        assert (log.counts, log.by_code, log.skipped) == (
            serial.counts,
            serial.by_code,
            serial.skipped,
        )


BIB_CASES = ROOT / "tests" / "cases" / "bibtex"


def test_one_whole_file_is_converted_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """A BibTeX file smaller than two chunks is not cut: with -j 2 it is read here, as a serial
    run reads it (a worker would only carry every record across), and no pool is started."""
    source = BIB_CASES / "features.bib"
    serial = convert([source], "csljson", jobs=1)

    def no_pool(*args: object) -> None:
        raise AssertionError("a pool was started for one whole file")

    monkeypatch.setattr(parallel, "_pool", no_pool)
    run = convert([source], "csljson", jobs=2)
    assert run.text == serial.text and serial.written > 0
    assert list(run.log) == list(serial.log)
    assert (run.read, run.written) == (serial.read, serial.written)


def _count_pools(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """A list that gets a 1 for each pool the runs start from now on."""
    started: list[int] = []
    real_pool = parallel._pool

    def counted_pool(*args: Any) -> Any:
        started.append(1)
        return real_pool(*args)

    monkeypatch.setattr(parallel, "_pool", counted_pool)
    return started


def test_inputs_of_one_chunk_are_converted_in_this_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bibliography of a few hundred entries is less work than starting a pool: inputs that
    make at most one chunk in all are converted as a serial run converts them. Standard input,
    of unknown size, and a larger total still start one."""
    source = _input(tmp_path)  # 23 KB
    started = _count_pools(monkeypatch)
    serial = convert([source, source], "ris", jobs=1)
    run = convert([source, source], "ris", jobs=2)
    assert started == []
    assert run.text == serial.text and list(run.log) == list(serial.log)
    monkeypatch.setattr(parallel, "CHUNK_BYTES", source.stat().st_size * 2 - 1)
    run = convert([source, source], "ris", jobs=2)
    assert started == [1]
    assert run.text == serial.text and list(run.log) == list(serial.log)
    assert parallel.one_chunk([str(source), str(tmp_path / "missing.jsonl")])
    assert not parallel.one_chunk([str(source), "-"])
    assert not parallel.one_chunk([str(source), str(tmp_path)])  # a directory: not a file


def test_whole_files_before_the_last_still_go_to_workers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sources = [BIB_CASES / "features.bib", BIB_CASES / "latin1.bib", BIB_CASES / "bom.bib"]
    serial = convert(sources, "bibtex", jobs=1)
    started = _count_pools(monkeypatch)
    # more than one chunk in all (so not converted here whole), and no file cut into chunks
    largest = max(path.stat().st_size for path in sources)
    monkeypatch.setattr(parallel, "CHUNK_BYTES", largest // 2 + 1)
    run = convert(sources, "bibtex", jobs=2)
    assert started == [1]
    assert run.text == serial.text
    assert list(run.log) == list(serial.log)
    assert (run.read, run.written, run.log.skipped) == (
        serial.read,
        serial.written,
        serial.log.skipped,
    )


def test_small_files_go_to_a_worker_together(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A directory of small shards: the files go to a worker in batches of half a chunk (a
    task each made -j 2 slower than -j 1 on 2,000 shards of five records), with the serial
    run's output and diagnostics; an input that cannot be read keeps its place between them."""
    shards = []
    for number in range(6):
        shard = tmp_path / f"shard{number}.jsonl"
        shard.write_bytes(EXAMPLE.read_bytes())
        shards.append(shard)
    paths = [*shards[:2], tmp_path / "missing.jsonl", *shards[2:]]
    serial = convert(paths, "bibtex", jobs=1)
    batches: list[int] = []
    real_submit = parallel._submit

    def counted_submit(pool: Any, batch: list[parallel.Task]) -> Any:
        batches.append(len(batch))
        return real_submit(pool, batch)

    monkeypatch.setattr(parallel, "_submit", counted_submit)
    monkeypatch.setattr(parallel, "CHUNK_BYTES", 4 * EXAMPLE.stat().st_size)  # two files a batch
    run = convert(paths, "bibtex", jobs=2)
    assert batches == [2, 2, 2]
    assert run.text == serial.text and serial.written == 6 * 7
    assert list(run.log) == list(serial.log) and serial.log.by_code["IO001"] == 1
    assert (run.read, run.written, run.log.skipped) == (serial.read, serial.written, 6)


def test_csljson_utf16_input_is_read_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "wide.json"
    path.write_bytes(_csl_array(True).decode("utf-8-sig").encode("utf-16"))
    _, log, read, _ = _same_as_serial(path, "ris", monkeypatch, (1,))
    assert read == 12 and log.by_code["CSL111"] == 1 and log.by_code["CSL112"] == 7


def test_csljson_splits_into_pieces_with_their_lines_and_numbers() -> None:
    data = b'[\n {"id": "x"},\n 7,\n {"id": "y",\n "title": "t"}\n]\n'
    split = csljson.split(io.BufferedReader(io.BytesIO(data)), 1)
    assert split is not None
    chunks = list(split)
    assert chunks == [
        (b'{"id": "x"}', {"pieces": [(2, 11, False)], "array": True, "first_index": 0}),
        (b"7", {"pieces": [(3, 1, True)], "array": True, "first_index": 1}),
        (
            b'{"id": "y",\n "title": "t"}',
            {"pieces": [(4, 26, False)], "array": True, "first_index": 2},
        ),
    ]


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


@pytest.mark.parametrize("to", ["ris", "csljson"])
def test_bytes_and_text_reach_a_file_and_stdout_in_serial_order(
    to: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """RIS workers hand over UTF-8 blocks, CSL-JSON items are UTF-8 from orjson: they go to
    the binary stream under the output's text stream, with text between them (the frame, a
    BibTeX chunk read again, the last whole file). An output file and the standard output get
    the bytes of a serial run into a string, at -j 1 and -j 2."""
    bib = tmp_path / "many.bib"
    bib.write_bytes(_bib(4))
    sources = [_input(tmp_path), bib, EXAMPLE, BIB_CASES / "latin1.bib"]
    serial = convert(sources, to, jobs=1)
    assert serial.text is not None and "ü" in serial.text  # bytes and characters differ
    raw_writes: list[int] = []
    write = Assembler._write

    def counted(self: Assembler, data: str | bytes) -> None:
        if isinstance(data, bytes) and self._raw is not None:
            raw_writes.append(len(data))
        write(self, data)

    monkeypatch.setattr(Assembler, "_write", counted)
    monkeypatch.setattr(parallel, "CHUNK_BYTES", 400)
    for jobs in (1, 2):
        run = convert(sources, to, tmp_path / "out", jobs=jobs)
        assert (tmp_path / "out").read_bytes() == serial.text.encode()
        assert list(run.log) == list(serial.log)
        stdout = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", write_through=False)
        monkeypatch.setattr("sys.stdout", stdout)
        stdout.write("printed before: ")  # still in the text stream's buffer
        convert(sources, to, stdout, jobs=jobs)
        stdout.flush()
        written = stdout.buffer.getvalue()  # type: ignore[attr-defined]
        assert written == b"printed before: " + serial.text.encode()
    assert any(d.code == "BIB102" for d in run.log)  # a chunk was read again here
    assert len(raw_writes) > 20


def test_ris_text_that_cannot_be_encoded_crosses_as_text() -> None:
    """A lone surrogate has no UTF-8 bytes: the chunk's records stay text, so the output stream
    deals with it as it does in a serial run."""
    done = parallel.Done(["TY  - JOUR\r\nTI  - \udc80\r\nER  - \r\n", None], read=2)
    parallel._join(done, "\r\n")
    assert done.block is None and done.payloads[1] is None
    done = parallel.Done(["TY  - A\r\n", None, "TY  - B\r\n"], read=3)
    parallel._join(done, "\r\n")
    assert (done.block, done.written, done.payloads) == (b"TY  - A\r\n\r\nTY  - B\r\n", 2, [])


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


#: BibTeX entries with what a chunk edge could break: macros defined in one chunk and used in
#: later ones (and redefined), a macro used before it is defined, a key read in an earlier
#: chunk (the later entry is skipped), a key repeated within one copy, an `@` starting a line
#: inside a braced value, a preamble, a broken entry, comments. `{n}` numbers the copies.
BIB_ENTRIES = [
    "% exported for the -j tests\n",
    "@string{jn = {Journal of Tests}}\n",
    '@article{a{n}, author = {Doe, Jane and M\\"uller, J.}, title = {First {n}},\n'
    "  journal = jn, year = 2020}\n",
    "@article{same, title = {The same key in every copy}, year = 2001}\n",
    "@article{b{n}, title = {Uses a macro defined later}, journal = later, year = 2021}\n",
    "@string{later = {Later Journal}}\n",
    "@book{c{n}, title = {An {@} sign, and\n@ at a line start inside braces}, year = 1999}\n",
    '@preamble{"\\newcommand{\\x}{y}"}\n',
    "@article{a{n}, title = {The key of this copy's first entry}}\n",
    "@article{broken{n}, title = {unclosed\n\n",
    "@misc{d{n}, title = {Last}, note = jn # { and more}}\n",
    "@STRING{jn = {Journal Renamed}}\n",
    "@misc{e{n}, journal = jn, month = mar, year = 2000}\n",
]


def _bib(copies: int) -> bytes:
    return "".join(e.replace("{n}", str(n)) for n in range(copies) for e in BIB_ENTRIES).encode()


def test_bibtex_chunks_give_the_serial_bytes_and_diagnostics(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "many.bib"
    path.write_bytes(_bib(4))
    split = bibtex_reader.split(io.BufferedReader(io.BytesIO(path.read_bytes())), 400)
    assert split is not None and len(list(split)) > 4  # really cut
    for to in ("csljson", "ris"):
        _, log, read, written = _same_as_serial(path, to, monkeypatch, (1, 200, 400, 100_000))
        assert (read, written) == (4 * 5 + 1, 4 * 5 + 1)
    # what depends on earlier chunks: keys read before, macros defined (or not yet) before
    skipped = [(d.location.line, d.location.record) for d in log if d.code == "BIB102"]
    assert skipped == [
        (11, "a0"),
        (21, "same"),
        (27, "a1"),
        (37, "same"),
        (43, "a2"),
        (53, "same"),
        (59, "a3"),
    ]
    assert log.by_code["BIB101"] == 4 and log.by_code["BIB109"] == 4
    assert [str(d) for d in log if d.code == "BIB104"] == [
        f"{path}:6: warning[BIB104] @string 'later' is not defined; its name is kept as the value"
    ]


def test_bibtex_without_any_entry_is_reported_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "comments.bib"
    path.write_bytes(b"".join(b"@comment{note %d}\nsome text\n" % n for n in range(40)))
    _, log, read, _ = _same_as_serial(path, "csljson", monkeypatch, (1, 100))
    assert read == 0 and [d.code for d in log] == ["BIB111"]


@pytest.mark.parametrize(
    "data",
    [
        _bib(4).replace(b"year = 1999", b"crossref = {a0}"),  # a child may wait for a parent
        _bib(4).replace(b"note = jn", b"xdata = {x}, note = jn"),
        _bib(4).replace(b"Last", b"L\xe4st"),  # not UTF-8: BIB105 comes before any entry
        _bib(4).replace(b"Last", b"L\x01st"),  # a control character: BIB110 likewise
        "\n".join(["@misc{k, title = {small}}"] * 3).encode(),  # smaller than two chunks
    ],
)
def test_bibtex_inputs_read_whole(
    data: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert bibtex_reader.split(io.BufferedReader(io.BytesIO(data)), 400) is None
    path = tmp_path / "whole.bib"
    path.write_bytes(data)
    _same_as_serial(path, "csljson", monkeypatch, (1, 400))
