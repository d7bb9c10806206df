"""`-j` on one BibTeX file cut into chunks of entries: edge cases of the cut, the `@string`
macros handed to each chunk, the keys settled across chunks (`Joiner.clash`) and `BIB111`
placement among several inputs. Each run is compared with the serial (`-j 1`) run: output
bytes, every diagnostic, counts, skips, records read and written.

Each input is checked to be really cut at the chunk sizes used (`split` gives several chunks),
so a test fails when the cut stops happening.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

import orjson
import pytest

from citeport import parallel
from citeport.convert import Result, convert
from citeport.diagnostics import DiagnosticLog, Severity
from citeport.formats.bibtex import reader as bibtex_reader

from .test_parallel import _same_as_serial, runs_as_serial


def _entry(key: str, extra: str = "") -> str:
    return f"@article{{{key}, title = {{Title {key}}}, year = 2020{extra}}}\n"


#: Six plain entries: what puts the entries that matter into different chunks.
FILLER = "".join(_entry(f"f{n}") for n in range(6))
#: Chunk sizes (characters): one piece a chunk, a few pieces a chunk, about two chunks a file.
SIZES = (1, 150, 400)


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def _chunk_count(path: Path, size: int) -> int:
    split = bibtex_reader.split(io.BufferedReader(io.BytesIO(path.read_bytes())), size)
    return 0 if split is None else len(list(split))


def _titles(text: str) -> dict[str, str]:
    return {item["id"]: item.get("container-title", "") for item in orjson.loads(text)}


def test_macros_made_of_macros_are_expanded_with_the_values_in_effect(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`b` is made of `a` when it is defined; `a` redefined later does not change `b`; a macro
    in an `@comment` defines nothing, one after `%` does (BibTeX has no comment character
    outside entries: bibtexparser and `_MACRO_START` both see it); `@STRING(...)` and
    `@String (` define; a line `@string{...}` inside a quoted value ends the entry (bibtexparser) and
    defines its macro in both runs."""
    path = _write(
        tmp_path,
        "macros.bib",
        "@string{a = {Alpha}}\n"
        + FILLER
        + "@string{b = a # { Beta}}\n"
        + "% @string{c = {Percent}}\n"
        + "@comment{@string{d = {Comment}}}\n"
        + FILLER
        + "@misc{m1, journal = b}\n"
        + "@string{a = {Gamma}}\n"
        + "@STRING(p = {Paren})\n"
        + FILLER
        + "@misc{m2, journal = b # { } # a}\n"
        + '@String ( q = "Quoted" )\n'
        + "@misc{m3, journal = p # { } # q}\n"
        + '@misc{v, title = "x\n@string{inq = {In Quotes}}\ny"}\n'
        + FILLER
        + "@misc{m4, journal = c # d # inq}\n",
    )
    assert _chunk_count(path, 400) > 2
    text, log, read, _ = _same_as_serial(path, "csljson", monkeypatch, SIZES)
    titles = _titles(text)
    assert [titles[k] for k in ("m1", "m2", "m3", "m4")] == [
        "Alpha Beta",
        "Alpha Beta Gamma",
        "Paren Quoted",
        "PercentdIn Quotes",
    ]
    assert [(d.location.line, d.message) for d in log if d.code == "BIB104"] == [
        (38, "@string 'd' is not defined; its name is kept as the value"),
    ]
    assert read == 6 + 4  # the copies of FILLER are skipped: same keys


def test_keys_repeated_in_case_and_non_ascii_across_and_within_chunks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Three copies of a key (in other cases), a chunk that repeats a key of an earlier chunk
    and also repeats one of its own (read again in the main process: both are skipped), and
    non-ASCII keys that differ only in case."""
    path = _write(
        tmp_path,
        "keys.bib",
        _entry("k")
        + _entry("j")
        + FILLER
        + _entry("K")
        + _entry("n")
        + _entry("n")
        + FILLER
        + _entry("k")
        + _entry("J")
        + _entry("Müller2020")
        + FILLER
        + _entry("MÜLLER2020")
        + _entry("straße")
        + _entry("STRASSE"),  # lowercases to "strasse", not "straße": another key
    )
    assert _chunk_count(path, 400) > 2
    for to in ("csljson", "bibtex"):
        _, log, read, written = _same_as_serial(path, to, monkeypatch, SIZES)
        assert (read, written) == (12, 12)
    skipped = [(d.location.line, d.location.record) for d in log if d.code == "BIB102"]
    assert skipped == [
        (9, "K"),
        (11, "n"),  # at size 150, a repeat within the chunk read again for "K"
        *((12 + n, f"f{n}") for n in range(6)),
        (18, "k"),
        (19, "J"),
        *((21 + n, f"f{n}") for n in range(6)),
        (27, "MÜLLER2020"),
    ]
    assert log.skipped == len(skipped)


def test_broken_long_and_unclosed_entries_at_chunk_edges(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An entry longer than a chunk, an entry that never closes (the next strong `@type{key,`
    line starts a piece), one without a comma after the key, a quoted `@` line in braces
    (`QUOTED_AT`), a preamble, entries sharing a line with a macro."""
    path = _write(
        tmp_path,
        "broken.bib",
        FILLER
        + "@misc{big, abstract = {"
        + "word " * 200
        + "}}\n"
        + "@article{lost, title = {never closed,\n"
        + FILLER
        + "@article{nokey title = x}\n"
        + "@misc{q, abstract = {one\n  {@article{inner, title = {x},\n}} two}}\n"
        + '@preamble{"p"}\n'
        + "@misc{s1, title = {a}} @string{j = {Same Line}} @misc{s2, journal = j}\n"
        + FILLER
        + _entry("inner")
        + "@misc{s3, journal = j}\n",
    )
    assert _chunk_count(path, 400) > 2
    text, log, _, _ = _same_as_serial(path, "csljson", monkeypatch, SIZES)
    assert _titles(text)["s3"] == "Same Line"
    assert [(d.code, d.location.line) for d in log if d.code != "BIB102"] == [
        ("BIB101", 8),
        ("BIB101", 15),
        ("BIB109", 19),
    ]


@pytest.mark.parametrize(
    ("name", "wrap"),
    [
        ("bom.bib", lambda text: "\ufeff" + text),
        ("crlf.bib", lambda text: text.replace("\n", "\r\n")),
        ("cr.bib", lambda text: text.replace("\n", "\r")),
    ],
)
def test_bom_and_line_ends(
    name: str, wrap: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = (
        FILLER
        + "@string{j = {J}}\n"
        + FILLER
        + "@misc{m, journal = j, title = {a\n@ b}, note = undefinedmacro}\n"
        + _entry("f1")
        + FILLER
    )
    assert callable(wrap)
    path = _write(tmp_path, name, wrap(body))
    assert _chunk_count(path, 400) > 2
    _, log, read, _ = _same_as_serial(path, "csljson", monkeypatch, SIZES)
    assert read == 7
    assert [(d.code, d.location.line) for d in log if d.code != "BIB102"] == [("BIB104", 14)]


def test_no_entry_is_reported_where_each_bibtex_input_ends(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """BIB111 of a cut file of comments comes before the next input's diagnostics, whatever
    that input is: RIS chunks, a missing file (a failure task), a file of only a preamble
    (no BIB111), the last small BibTeX file (converted in the main process)."""
    comments = _write(
        tmp_path, "comments.bib", "".join(f"@comment{{note {n}}}\ntext\n" for n in range(30))
    )
    ris = _write(
        tmp_path, "r.ris", "TY  - JOUR\nTI  - x\nER  - \nTY  - XXXX\nTI  - y\nER  - \n" * 3
    )
    preamble = _write(tmp_path, "preamble.bib", "% c\n" * 60 + '@preamble{"x"}\n' + "% c\n" * 60)
    small = _write(tmp_path, "small.bib", "@misc{a, journal = nomacro}\n")
    missing = tmp_path / "missing.bib"
    assert _chunk_count(comments, 150) > 2 and _chunk_count(preamble, 150) == 2
    serial = runs_as_serial(
        [comments, ris, comments, missing, preamble, comments, small],
        "csljson",
        monkeypatch,
        (1, 150),
    )
    assert [(d.code, Path(d.location.source).name) for d in serial.log] == [
        ("BIB111", "comments.bib"),
        *[("RIS004", "r.ris")] * 3,  # the XXXX records
        ("BIB111", "comments.bib"),
        ("IO001", "missing.bib"),
        ("BIB109", "preamble.bib"),
        ("BIB111", "comments.bib"),
        ("BIB104", "small.bib"),
    ]


def test_a_cut_file_between_other_inputs_keeps_its_own_keys_and_macros(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keys and macros are per input: a second copy of the file reads its keys again."""
    big = _write(
        tmp_path,
        "big.bib",
        FILLER + "@string{j = {J}}\n" + FILLER + "@misc{m, journal = j}\n" + FILLER,
    )
    other = _write(tmp_path, "other.bib", "@misc{m, journal = j}\n")  # j undefined here
    assert _chunk_count(big, 150) > 2
    serial = runs_as_serial([big, other, big], "csljson", monkeypatch, (1, 150))
    assert (serial.read, serial.log.skipped) == (15, 24)
    assert [d.code for d in serial.log if d.code != "BIB102"] == ["BIB104"]


def test_counted_below_log_gets_the_serial_diagnostics_and_counts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With a sink that only wants errors (the CLI without --verbose), workers only count the
    warnings; a chunk read again in the main process is counted once, not twice."""
    path = _write(
        tmp_path,
        "sink.bib",
        FILLER + "@misc{u, journal = nomacro}\n" + FILLER + "@misc{u, journal = again}\n" + FILLER,
    )
    assert _chunk_count(path, 150) > 2
    runs = []
    for jobs, size in ((1, 1 << 20), (2, 1), (2, 150)):
        monkeypatch.setattr(parallel, "CHUNK_BYTES", size)
        got: list[object] = []
        log = DiagnosticLog(sink=got.append, sink_threshold=Severity.ERROR)
        run = convert([path], "csljson", jobs=jobs, log=log)
        runs.append((run.text, got, log.counts, log.by_code, log.skipped, run.read))
    assert runs[1] == runs[0] and runs[2] == runs[0]
    assert runs[0][3] == {"BIB104": 1, "BIB102": 13}


def _stdin_run(path: Path, jobs: int, monkeypatch: pytest.MonkeyPatch) -> Result:
    """Convert `-` with stdin redirected from `path` (a seekable stdin, as `< file` gives)."""
    with open(path, "rb") as stream:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(stream))
        return convert(["-"], "csljson", jobs=jobs)


@pytest.mark.parametrize(
    "text",
    [
        "@misc{a, title = {A}}\n@misc{b, title = {B}}\n",  # under two chunks
        FILLER + "@misc{c, crossref = {f1}}\n" + FILLER,  # crossref: read whole
    ],
)
def test_bibtex_read_whole_from_a_seekable_stdin(
    text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = _write(tmp_path, "stdin.bib", text)
    monkeypatch.setattr(parallel, "CHUNK_BYTES", 150)
    serial = _stdin_run(path, 1, monkeypatch)
    run = _stdin_run(path, 2, monkeypatch)
    assert serial.read > 0
    assert (run.text, list(run.log), run.read) == (serial.text, list(serial.log), serial.read)


def test_bibtex_cut_from_a_seekable_stdin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = _write(tmp_path, "stdin.bib", FILLER + _entry("f2") + FILLER)
    monkeypatch.setattr(parallel, "CHUNK_BYTES", 150)
    serial = _stdin_run(path, 1, monkeypatch)
    run = _stdin_run(path, 2, monkeypatch)
    assert (serial.read, serial.log.skipped) == (6, 7)
    assert (run.text, list(run.log), run.read) == (serial.text, list(serial.log), serial.read)
