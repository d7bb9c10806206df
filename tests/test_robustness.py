"""Bad input never crashes the aggregator reader and nothing vanishes without a report.

Property tests (Hypothesis) over arbitrary bytes and arbitrary JSON records, and a bad-input
suite with the exact diagnostics each case gives.
"""

from __future__ import annotations

import io
import tempfile
import time
from pathlib import Path

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from citeport import DiagnosticLog, convert
from citeport.formats import aggregator

JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**64 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)
KEYS = st.sampled_from(
    [
        "title",
        "authors",
        "doi",
        "DOIUrl",
        "url",
        "abstract",
        "journal",
        "publicationDate",
        "publicationTypes",
        "paperid",
        "openAccessPdf",
        "PeriodicalIF",
        "RegionNum",
        "other",
    ]
)
RECORDS = st.dictionaries(KEYS, JSON | st.text(), max_size=10)


def read(raw: bytes) -> tuple[list[aggregator.Reference], DiagnosticLog]:
    log = DiagnosticLog()
    return list(aggregator.read(io.BytesIO(raw), "p.jsonl", log)), log


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_never_raise_and_every_line_is_accounted(raw: bytes) -> None:
    refs, log = read(raw)
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return  # decoded as UTF-16: its lines are not the byte lines counted below
    lines = [line for line in raw.removeprefix(b"\xef\xbb\xbf").split(b"\n") if line.strip()]
    assert len(refs) + log.skipped == len(lines)
    assert read(raw)[0] == refs  # deterministic


@settings(max_examples=300, deadline=None)
@given(st.lists(RECORDS, max_size=6))
def test_arbitrary_records_are_converted_or_reported(records: list[dict[str, object]]) -> None:
    raw = b"".join(orjson.dumps(r) + b"\n" for r in records)
    refs, log = read(raw)
    assert len(refs) + log.skipped == len(records)
    by_line = {ref.provenance.line: ref for ref in refs if ref.provenance}
    for number, record in enumerate(records, start=1):
        ref = by_line.get(number)
        if ref is None:
            continue
        extra = ref.extra.get("aggregator", {})
        for key, value in record.items():
            if value in (None, "", [], {}):
                continue
            if key not in aggregator.MAPPED:
                assert extra[key] == value  # unmapped fields are kept as they are
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "records.jsonl"
        path.write_bytes(raw)
        for fmt in ("bibtex", "ris", "csljson", "ieee", "ieee-html"):
            result = convert([path], fmt, from_format="aggregator")
            assert result.written == len(refs)


GOOD = b'{"title": "Good", "paperid": "g"}\n'


@pytest.mark.parametrize(
    ("name", "raw", "notes"),
    [
        ("empty file", b"", []),
        ("only whitespace", b"  \n\t\n\r\n", []),
        (
            "NUL bytes",
            b"\x00\x00\x00\n" + GOOD,
            ["p.jsonl:1: warning[AGG001] line is not a JSON object ('\\x00\\x00\\x00'), skipped"],
        ),
        (
            "binary garbage",
            b"\x89PNG\r\n\x1a\n" + GOOD,
            [
                "p.jsonl:1: warning[AGG001] line is neither UTF-8 text nor JSON, skipped",
                "p.jsonl:2: warning[AGG001] line is not a JSON object ('\\x1a'), skipped",
            ],
        ),
        (
            "cut in the middle of a record",
            GOOD + b'{"title": "Cut", "auth',
            ["p.jsonl:2: warning[AGG001] truncated JSON (the line ends inside a value), skipped"],
        ),
        (
            "100,000 nested braces",
            b'{"a":' * 100_000 + b"\n" + GOOD,
            ["p.jsonl:1: warning[AGG001] JSON nested too deeply, skipped"],
        ),
        (
            "a stray character",
            b'{"title": "x"} y\n' + GOOD,
            ["p.jsonl:1: warning[AGG001] invalid JSON at column 16, skipped"],
        ),
        (
            "unbalanced quotes",
            b'{"title": "x}\n' + GOOD,
            ["p.jsonl:1: warning[AGG001] truncated JSON (the line ends inside a value), skipped"],
        ),
    ],
)
def test_bad_input_suite(name: str, raw: bytes, notes: list[str]) -> None:
    refs, log = read(raw)
    assert [str(d) for d in log] == notes, name
    assert [r.id for r in refs] == (["g"] if GOOD in raw else [])


def test_utf16_with_bom_is_decoded() -> None:
    refs, log = read('{"title": "Café"}\n'.encode("utf-16"))
    assert [r.title[0].text for r in refs] == ["Café"]  # type: ignore[union-attr]
    assert list(log) == []


def test_huge_inputs_finish_in_bounded_time() -> None:
    ten_mb_line = orjson.dumps({"title": "Long", "abstract": "word " * 2_000_000}) + b"\n"
    many_authors = (
        orjson.dumps(
            {"title": "Big team", "authors": ";".join(f"Given{i} Family{i}" for i in range(10_000))}
        )
        + b"\n"
    )
    start = time.perf_counter()
    refs, log = read(ten_mb_line + many_authors)
    elapsed = time.perf_counter() - start
    assert [len(r.author) for r in refs] == [0, 10_000]
    assert list(log) == []
    assert elapsed < 30  # generous: a guard against quadratic behaviour, not a benchmark
