"""Bad input for the RIS, MEDLINE, CSL-JSON and Crossref readers (issue 7).

Each case gives its exact diagnostics (code, line, message) and the ids of the references that
survive, and finishes in bounded time (a guard against quadratic behaviour and recursion, not a
benchmark). Each case also goes through the command line, to RIS and to CSL-JSON: the exit
status is 1 exactly when the reader reported an error, and nothing escapes as an internal error.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from citeport import DiagnosticLog, Reference, registry
from citeport.cli import main

from .conftest import ROOT

BIG = "word " * 2_000_000  # 10 MB


def ris_rec(rid: bytes, title: bytes, extra: bytes = b"") -> bytes:
    return b"TY  - JOUR\nID  - " + rid + b"\nTI  - " + title + b"\n" + extra + b"ER  - \n"


def med_rec(pmid: bytes, title: bytes, extra: bytes = b"") -> bytes:
    return b"PMID- " + pmid + b"\nTI  - " + title + b"\n" + extra + b"\n"


def dumps(value: object) -> bytes:
    return json.dumps(value).encode()


GOOD_RIS = ris_rec(b"good", b"Good")
GOOD_MED = med_rec(b"1", b"Good")
GOOD_CSL = {"id": "good", "type": "book", "title": "Good"}
GOOD_XREF = {"DOI": "10.1/good", "type": "book", "title": ["Good"]}
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\xff\xd8\n"


def cases() -> Iterator[tuple[str, str, bytes]]:
    """(format, case, input bytes), built on demand (some are 10 MB)."""
    yield "ris", "empty file", b""
    yield "ris", "only whitespace", b"  \n\t\r\n\n"
    yield "ris", "binary garbage", PNG + GOOD_RIS
    yield "ris", "NUL bytes", b"\x00\x00\x00\n" + ris_rec(b"nul", b"Nul\x00inside")
    yield "ris", "invalid UTF-8", ris_rec(b"cafe", b"Caf\xe9 \xff")
    yield (
        "ris",
        "UTF-16 without BOM",
        "TY  - JOUR\r\nID  - u16\r\nTI  - Café\r\nER  - \r\n".encode("utf-16-le"),
    )
    yield "ris", "10 MB single line", ris_rec(b"long", b"Long", b"AB  - " + BIG.encode() + b"\n")
    yield "ris", "10 MB without a line break", b"x" * 10_000_000
    yield (
        "ris",
        "unbalanced quotes and brackets",
        ris_rec(b"q", b'"Open [quote ({', b'N1  - }])"\n'),
    )
    authors = b"".join(b"AU  - Family%d, Given\n" % i for i in range(10_000))
    yield "ris", "10,000 authors", ris_rec(b"team", b"Team", authors)
    yield "ris", "duplicate ids", ris_rec(b"same", b"First") + ris_rec(b"same", b"Second")
    yield (
        "ris",
        "cut in the middle of a record",
        GOOD_RIS + b"TY  - JOUR\nID  - cut\nTI  - Cut\nAU  - Smi",
    )
    wrapped = b"AB  - a\n" + b"word\n" * 200_000
    yield "ris", "a value wrapped over 200,000 lines", ris_rec(b"wrap", b"Wrap", wrapped)

    yield "medline", "empty file", b""
    yield "medline", "only whitespace", b"  \n\t\r\n\n"
    yield "medline", "binary garbage", PNG + b"\n" + GOOD_MED
    yield "medline", "NUL bytes", b"\x00\x00\x00\n\n" + med_rec(b"2", b"Nul\x00inside")
    yield "medline", "invalid UTF-8", med_rec(b"3", b"Caf\xe9 \xff")
    yield "medline", "UTF-16 without BOM", "PMID- 4\r\nTI  - Café\r\n".encode("utf-16-le")
    yield "medline", "10 MB single line", med_rec(b"5", b"Long", b"AB  - " + BIG.encode() + b"\n")
    yield "medline", "10 MB without a line break", b"x" * 10_000_000
    yield "medline", "unbalanced quotes and brackets", med_rec(b"6", b'"Open [quote ({')
    authors = b"".join(b"FAU - Family%d, Given\n" % i for i in range(10_000))
    yield "medline", "10,000 authors", med_rec(b"7", b"Team", authors)
    yield "medline", "duplicate ids", med_rec(b"8", b"First") + med_rec(b"8", b"Second")
    yield "medline", "cut in the middle of a record", GOOD_MED + b"PMID- 9\nTI  - Cut\nFAU - Smi"
    wrapped = b"AB  - a\n" + b"      word\n" * 200_000
    yield "medline", "a value wrapped over 200,000 lines", med_rec(b"10", b"Wrap", wrapped)

    yield "csljson", "empty file", b""
    yield "csljson", "only whitespace", b"  \n\t\r\n\n"
    yield "csljson", "binary garbage", PNG + dumps([GOOD_CSL])
    nul = {"id": "nul", "type": "book", "title": "Nul\x00inside"}
    yield "csljson", "NUL bytes", b"\x00\x00\x00\n" + dumps([GOOD_CSL, nul])
    yield (
        "csljson",
        "invalid UTF-8",
        b'[{"id": "cafe", "type": "book", "title": "Caf\xe9"}, ' + dumps(GOOD_CSL) + b"]",
    )
    u16 = [{"id": "u16", "type": "book", "title": "Café"}]
    yield "csljson", "UTF-16 without BOM", json.dumps(u16).encode("utf-16-le")
    long = {"id": "long", "type": "book", "abstract": BIG}
    yield "csljson", "10 MB single line", dumps([long, GOOD_CSL])
    yield "csljson", "10 MB string cut off", b'[{"id": "cut", "abstract": "' + BIG.encode()
    yield "csljson", "100,000 nested arrays", b"[" * 100_000 + b"]" * 100_000
    deep = b'{"a": ' * 100_000 + b"1" + b"}" * 100_000
    yield (
        "csljson",
        "100,000 nested objects in an item",
        b'[{"id": "deep", "type": "book", "x": ' + deep + b"}, " + dumps(GOOD_CSL) + b"]",
    )
    yield "csljson", "unbalanced quotes", b'[{"id": "q", "type": "book", "title": "open}]'
    yield (
        "csljson",
        "unbalanced brackets",
        b'[{"id": "b", "type": "book"}}, ' + dumps(GOOD_CSL) + b"]",
    )
    team = [{"family": f"Family{i}", "given": "Given"} for i in range(10_000)]
    yield "csljson", "10,000 authors", dumps([{"id": "team", "type": "book", "author": team}])
    same = [{"id": "same", "type": "book", "title": t} for t in ("First", "Second")]
    yield "csljson", "duplicate ids", dumps(same)
    yield (
        "csljson",
        "cut in the middle of a record",
        b"[" + dumps(GOOD_CSL) + b',\n{"id": "cut", "type": "bo',
    )

    other = dumps({**GOOD_XREF, "DOI": "10.1/b"})
    yield "crossref", "empty file", b""
    yield "crossref", "only whitespace", b"  \n\t\r\n\n"
    yield "crossref", "binary garbage", PNG
    yield "crossref", "NUL bytes", b"\x00\x00\x00\n" + dumps(GOOD_XREF)
    yield "crossref", "NUL bytes in JSON lines", dumps(GOOD_XREF) + b"\n\x00\x00\n" + other + b"\n"
    yield (
        "crossref",
        "invalid UTF-8",
        b'{"DOI": "10.1/cafe", "type": "book", "title": ["Caf\xe9"]}',
    )
    u16_work = {"message": {**GOOD_XREF, "title": ["Café"]}}
    yield "crossref", "UTF-16 without BOM", json.dumps(u16_work).encode("utf-16-le")
    yield (
        "crossref",
        "10 MB single line",
        dumps({**GOOD_XREF, "abstract": BIG}) + b"\n" + other + b"\n",
    )
    yield "crossref", "100,000 nested arrays", b"[" * 100_000 + b"]" * 100_000
    yield "crossref", "100,000 nested objects in a line", dumps(GOOD_XREF) + b"\n" + deep + b"\n"
    yield "crossref", "unbalanced quotes", b'{"message": {"DOI": "10.1/q", "title": ["open}}'
    yield "crossref", "unbalanced brackets", dumps(GOOD_XREF) + b'\n{"DOI": "10.1/b"}}\n'
    yield "crossref", "10,000 authors", dumps({**GOOD_XREF, "author": team})
    yield "crossref", "duplicate ids", dumps({"message": {"items": [GOOD_XREF, GOOD_XREF]}})
    yield (
        "crossref",
        "cut in the middle of a record",
        dumps(GOOD_XREF) + b'\n{"DOI": "10.1/cut", "ti',
    )


#: (format, case) -> (ids of the references read, diagnostics), source name "in".
EXPECTED: dict[tuple[str, str], tuple[list[str], list[str]]] = {
    ('ris', 'empty file'): ([], []),
    ('ris', 'only whitespace'): ([], []),
    ('ris', 'binary garbage'): (['good'], ['in:1: warning[RIS006] line is not valid UTF-8; read as Windows-1252', 'in:3: warning[RIS006] line is not valid UTF-8; read as Windows-1252', "in:1: info[RIS005] 3 lines of text outside a record ignored ('‰PNG')"]),
    ('ris', 'NUL bytes'): (['nul'], ["in:1: info[RIS005] text outside a record ignored ('\\x00\\x00\\x00')"]),
    ('ris', 'invalid UTF-8'): (['cafe'], ['in:3: warning[RIS006] line is not valid UTF-8; read as Windows-1252']),
    ('ris', 'UTF-16 without BOM'): (['u16'], ['in:1: warning[RIS012] input is UTF-16 without a byte order mark (utf-16-le); decoded']),
    ('ris', '10 MB single line'): (['long'], []),
    ('ris', '10 MB without a line break'): ([], ["in:1: info[RIS005] text outside a record ignored ('xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...')"]),
    ('ris', 'unbalanced quotes and brackets'): (['q'], []),
    ('ris', '10,000 authors'): (['team'], []),
    ('ris', 'duplicate ids'): (['same', 'same'], []),
    ('ris', 'cut in the middle of a record'): (['good', 'cut'], ['in:5: warning[RIS002] record starting at line 5 has no ER; it ends at the end of the input and is kept']),
    ('ris', 'a value wrapped over 200,000 lines'): (['wrap'], []),
    ('medline', 'empty file'): ([], []),
    ('medline', 'only whitespace'): ([], []),
    ('medline', 'binary garbage'): (['1'], ['in:1: warning[MED002] line is not valid UTF-8; read as Windows-1252', "in:1: info[MED001] text outside a record ignored ('‰PNG')", "in:2: info[MED001] text outside a record ignored ('\\x1a')", 'in:3: warning[MED002] line is not valid UTF-8; read as Windows-1252', "in:3: info[MED001] text outside a record ignored ('\\x00\\x00\\x00\\rIHDRÿØ')"]),
    ('medline', 'NUL bytes'): (['2'], ["in:1: info[MED001] text outside a record ignored ('\\x00\\x00\\x00')"]),
    ('medline', 'invalid UTF-8'): (['3'], ['in:2: warning[MED002] line is not valid UTF-8; read as Windows-1252']),
    ('medline', 'UTF-16 without BOM'): (['4'], ['in:1: warning[MED006] input is UTF-16 without a byte order mark (utf-16-le); decoded']),
    ('medline', '10 MB single line'): (['5'], []),
    ('medline', '10 MB without a line break'): ([], ["in:1: info[MED001] text outside a record ignored ('xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx')"]),
    ('medline', 'unbalanced quotes and brackets'): (['6'], []),
    ('medline', '10,000 authors'): (['7'], []),
    ('medline', 'duplicate ids'): (['8', '8'], []),
    ('medline', 'cut in the middle of a record'): (['1', '9'], []),
    ('medline', 'a value wrapped over 200,000 lines'): (['10'], []),
    ('csljson', 'empty file'): ([], []),
    ('csljson', 'only whitespace'): ([], []),
    ('csljson', 'binary garbage'): (['good'], ["in:1: error[CSL102] not a CSL-JSON item ('�PNG\\r\\n\\x1a\\n\\x00\\x00\\x00\\rIHDR��'), skipped"]),
    ('csljson', 'NUL bytes'): (['good', 'nul'], ["in:1: error[CSL102] not a CSL-JSON item ('\\x00\\x00\\x00'), skipped"]),
    ('csljson', 'invalid UTF-8'): (['good'], ['in:1: error[CSL101] item /0: invalid JSON (str is not valid UTF-8: surrogates not allowed), skipped']),
    ('csljson', 'UTF-16 without BOM'): (['u16'], ['in:1: warning[CSL111] input is UTF-16 without a byte order mark (utf-16-le); decoded']),
    ('csljson', '10 MB single line'): (['long', 'good'], []),
    ('csljson', '10 MB string cut off'): ([], ['in:1: error[CSL101] item /0: invalid JSON (unexpected end of data), skipped']),
    ('csljson', '100,000 nested arrays'): ([], ['in:1: error[CSL101] item /0: invalid JSON (depth limit exceeded), skipped']),
    ('csljson', '100,000 nested objects in an item'): (['good'], ['in:1: error[CSL101] item /0: invalid JSON (depth limit exceeded), skipped']),
    ('csljson', 'unbalanced quotes'): ([], ['in:1: error[CSL101] item /0: invalid JSON (unexpected end of data), skipped']),
    ('csljson', 'unbalanced brackets'): (['b', 'good'], ["in:1: error[CSL102] item /1 not a CSL-JSON item ('}'), skipped"]),
    ('csljson', '10,000 authors'): (['team'], []),
    ('csljson', 'duplicate ids'): (['same', 'same'], ["in:1: warning[CSL112] /1: id 'same' is used by an earlier item; both kept"]),
    ('csljson', 'cut in the middle of a record'): (['good'], ['in:2: error[CSL101] item /1: invalid JSON (unexpected end of data), skipped']),
    ('crossref', 'empty file'): ([], []),
    ('crossref', 'only whitespace'): ([], []),
    ('crossref', 'binary garbage'): ([], ['in:1: error[XREF001] input is not JSON (str is not valid UTF-8: surrogates not allowed); nothing read']),
    ('crossref', 'NUL bytes'): ([], ['in:1: error[XREF001] input is not JSON (unexpected character, expected a JSON value); nothing read']),
    ('crossref', 'NUL bytes in JSON lines'): (['10.1/good', '10.1/b'], ['in:2: error[XREF001] line is not JSON (unexpected character, expected a JSON value), skipped']),
    ('crossref', 'invalid UTF-8'): ([], ['in:1: error[XREF001] input is not JSON (str is not valid UTF-8: surrogates not allowed); nothing read']),
    ('crossref', 'UTF-16 without BOM'): (['10.1/good'], ['in:1: warning[XREF009] input is UTF-16 without a byte order mark (utf-16-le); decoded']),
    ('crossref', '10 MB single line'): (['10.1/good', '10.1/b'], []),
    ('crossref', '100,000 nested arrays'): ([], ['in:1: error[XREF001] input is not JSON (depth limit exceeded); nothing read']),
    ('crossref', '100,000 nested objects in a line'): (['10.1/good'], ['in:2: error[XREF001] line is not JSON (depth limit exceeded), skipped']),
    ('crossref', 'unbalanced quotes'): ([], ['in:1: error[XREF001] input is not JSON (unexpected end of data); nothing read']),
    ('crossref', 'unbalanced brackets'): (['10.1/good'], ['in:2: error[XREF001] line is not JSON (unexpected content after document), skipped']),
    ('crossref', '10,000 authors'): (['10.1/good'], []),
    ('crossref', 'duplicate ids'): (['10.1/good', '10.1/good'], []),
    ('crossref', 'cut in the middle of a record'): (['10.1/good'], ['in:2: error[XREF001] line is not JSON (unexpected end of data), skipped']),}  # fmt: skip

CASES = list(cases())
IDS = [f"{fmt}-{name}" for fmt, name, _ in CASES]


def read(fmt: str, data: bytes) -> tuple[list[Reference], DiagnosticLog, float]:
    info = registry.find(fmt)
    assert info is not None and info.reader is not None
    log = DiagnosticLog()
    start = time.perf_counter()
    refs = list(info.reader(io.BufferedReader(io.BytesIO(data)), "in", log))  # type: ignore[arg-type]
    return refs, log, time.perf_counter() - start


def test_every_case_has_its_expectation() -> None:
    assert sorted(EXPECTED) == sorted((fmt, name) for fmt, name, _ in CASES)


@pytest.mark.parametrize(("fmt", "name", "data"), CASES, ids=IDS)
def test_bad_input(fmt: str, name: str, data: bytes) -> None:
    refs, log, elapsed = read(fmt, data)
    ids, notes = EXPECTED[fmt, name]
    assert ([r.id for r in refs], [str(d) for d in log]) == (ids, notes)
    assert log.skipped == sum(1 for d in log if d.code in SKIPS)
    assert elapsed < 10  # seconds: generous, it is a guard against quadratic time
    if "authors" in name:
        assert [len(r.author) for r in refs] == [10_000]
        assert refs[0].author[9_999].family == "Family9999"
    if "UTF-16" in name or (name == "invalid UTF-8" and fmt in ("ris", "medline")):
        assert any("Café" in str(r.title) for r in refs)  # decoded, not lost
    if "10 MB single line" in name:
        assert len(str(refs[0].abstract)) > 10_000_000


#: The codes a reader reports with `log.skip` (a record or item left out).
SKIPS = frozenset(("RIS008", "MED005", "CSL101", "CSL102", "XREF001", "XREF002"))


@pytest.mark.parametrize(("fmt", "name", "data"), CASES, ids=IDS)
def test_bad_input_through_the_cli(
    fmt: str, name: str, data: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "in"
    path.write_bytes(data)
    ids, notes = EXPECTED[fmt, name]
    errors = any("error[" in note for note in notes)
    for target in ("ris", "csljson"):
        out = tmp_path / f"out.{target}"
        status = main(
            ["convert", str(path), "--from", fmt, "--to", target, "-o", str(out), "-j", "1"]
        )
        stderr = capsys.readouterr().err
        assert "internal error" not in stderr and "Traceback" not in stderr
        assert status == (1 if errors else 0), stderr
        if target == "csljson":
            assert len(json.loads(out.read_text(encoding="utf-8"))) == len(ids)
        assert f"read {len(ids)}, wrote {len(ids)}" in stderr.splitlines()[-1]


def test_the_installed_command_on_every_case_of_a_format(tmp_path: Path) -> None:
    """The console script itself, each format's cases in one run (one process per format)."""
    command = Path(sys.executable).with_name("citeport")
    for fmt in ("ris", "medline", "csljson", "crossref"):
        paths = []
        for number, (case_fmt, _, data) in enumerate(CASES):
            if case_fmt == fmt:
                paths.append(tmp_path / f"{fmt}-{number}")
                paths[-1].write_bytes(data)
        total = sum(len(EXPECTED[f, n][0]) for f, n, _ in CASES if f == fmt)
        errors = any(
            "error[" in note for f, n, _ in CASES if f == fmt for note in EXPECTED[f, n][1]
        )
        for target in ("ris", "csljson"):
            done = subprocess.run(
                [str(command), "convert", *map(str, paths), "--from", fmt, "--to", target,
                 "-o", os.devnull],
                capture_output=True, text=True, encoding="utf-8", cwd=ROOT, timeout=120,
            )  # fmt: skip
            assert "internal error" not in done.stderr and "Traceback" not in done.stderr
            assert done.returncode == (1 if errors else 0), done.stderr[-500:]
            assert f"read {total}, wrote {total}" in done.stderr.splitlines()[-1]
