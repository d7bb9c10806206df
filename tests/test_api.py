"""The Python API as the README shows it: read, write, convert; diagnostics returned."""

from __future__ import annotations

import io

import pytest

import citeport

from .conftest import EXAMPLES

EXAMPLE = EXAMPLES / "spm-43-2.txt"


def test_convert_returns_text_counts_and_diagnostics(capsys: pytest.CaptureFixture[str]) -> None:
    result = citeport.convert([EXAMPLE], "bibtex")
    assert result.text == (EXAMPLES / "spm-43-2.bib").read_text(encoding="utf-8")
    assert (result.read, result.written, result.skipped) == (7, 7, 1)
    assert [
        (d.code, d.location.line) for d in result.log if d.severity >= citeport.Severity.WARNING
    ] == [
        ("MRK003", 1),
        ("AGG001", 3),
    ]
    assert capsys.readouterr() == ("", "")  # the library never prints


def test_read_streams_references_and_write_takes_any_iterable() -> None:
    log = citeport.DiagnosticLog()
    refs = citeport.read(EXAMPLE, log=log)
    first = next(refs)
    assert (first.id, citeport.plain(first.title)) == (
        "147665344",
        "Rapture of the Deep: Highs and lows of sparsity in a world of depths",
    )
    out = io.StringIO(newline="")
    assert citeport.write(refs, out, "ris", log) == 6
    assert out.getvalue().startswith("TY  - JOUR\r\nTI  - SPS Advance Your Career\r\n")
    assert log.skipped == 1


def test_unknown_formats_are_usage_errors() -> None:
    with pytest.raises(citeport.UsageError, match="no writer for format 'docx'"):
        citeport.convert([EXAMPLE], "docx")
