"""Every registered reader, fed arbitrary bytes and near-valid text, never raises.

This is the fuzz target of each reader (Hypothesis drives it; CITEPORT_FUZZ_EXAMPLES raises the
number of cases for a longer run in CI). Each case also checks that reading is deterministic,
and for RIS and MEDLINE that nothing vanishes: every non-blank line lies inside a reference's
lines or in a run of lines a diagnostic names. (The aggregator's own property is in
test_robustness.py; BibTeX and the JSON formats are accounted over the corpus in
conformance/test_accounting.py.)
"""

from __future__ import annotations

import io
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citeport import DiagnosticLog, registry

EXAMPLES = int(os.environ.get("CITEPORT_FUZZ_EXAMPLES", "150"))
READERS = [info for info in registry.formats() if info.reader is not None]

# Fragments of every input syntax, so generated text gets past the first line of each parser.
FRAGMENTS = st.sampled_from(
    [
        "TY  - JOUR\n", "AU  - Le, Quoc-Tung\n", "ER  - \n", "PY  - 2026///\n", "SP  - 10\n",
        "PMID- 123\n", "TI  - A title\n", "FAU - Le, Q\n", "      continued\n", "DP  - 2011 Jan-Feb\n",
        "@article{key,\n", "title = {A {B} \\'e $x$},\n", "author = {A and B},\n", "}\n",
        "@string{x = \"y\"}\n", "month = jan # \"~1\",\n", "crossref = {key}\n", "@comment{",
        '{"title": "T", "authors": "A B;C D", "journal": {"volume": "43 2"}}\n',
        '[{"id": "a", "type": "article-journal", "title": "<i>x</i>", "issued": {"date-parts": [["2020"]]}}]',
        '{"message": {"DOI": "10.1/x", "title": ["<jats:italic>x</jats:italic>"], "author": [{"family": "F"}]}}',
        "\r\n", "\ufeff", "\x00", "{", "}", "\"", "\\", "%", "<i>", "</b>", "&amp;",
    ]
)  # fmt: skip
TEXT = st.lists(FRAGMENTS | st.text(max_size=20), max_size=25).map("".join)


def read_all(info: registry.FormatInfo, raw: bytes) -> tuple[list[object], list[str]]:
    log = DiagnosticLog()
    assert info.reader is not None
    refs = list(info.reader(io.BufferedReader(io.BytesIO(raw)), "fuzz", log))  # type: ignore[arg-type]
    return refs, [str(d) for d in log]


@pytest.mark.parametrize("info", READERS, ids=[i.name for i in READERS])
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.one_of(st.binary(max_size=600), TEXT.map(lambda t: t.encode("utf-8"))))
def test_reader_never_raises_and_is_deterministic(info: registry.FormatInfo, data: bytes) -> None:
    first = read_all(info, data)
    assert read_all(info, data) == first


#: Line-based formats whose references carry their first and last line and whose readers report
#: any text outside a record (in BibTeX, text between entries is a comment by definition).
SPANNED = [info for info in READERS if info.name in ("ris", "medline")]


def unaccounted_runs(raw: bytes, refs: list[object], log: DiagnosticLog) -> list[list[int]]:
    """Runs of non-blank lines that lie in no reference and hold no diagnostic's line."""
    covered: set[int] = set()
    for ref in refs:
        prov = ref.provenance  # type: ignore[attr-defined]
        covered.update(range(prov.line, (prov.end_line or prov.line) + 1))
    named = {d.location.line for d in log if d.location.line is not None}
    runs: list[list[int]] = []
    run: list[int] = []
    for number, line in enumerate(raw.split(b"\n"), start=1):
        if number in covered:
            if run:
                runs.append(run)
            run = []
        elif line.decode("utf-8", "replace").replace("\ufeff", "").strip():
            run.append(number)
    if run:
        runs.append(run)
    return [r for r in runs if not named.intersection(r)]


@pytest.mark.parametrize("info", SPANNED, ids=[i.name for i in SPANNED])
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=TEXT.map(lambda t: t.encode("utf-8")))
def test_every_line_is_in_a_record_or_a_diagnostic(info: registry.FormatInfo, data: bytes) -> None:
    log = DiagnosticLog()
    assert info.reader is not None
    refs = list(info.reader(io.BufferedReader(io.BytesIO(data)), "fuzz", log))  # type: ignore[arg-type]
    assert unaccounted_runs(data, refs, log) == []
