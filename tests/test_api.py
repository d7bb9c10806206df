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


def test_convert_streams_a_bibtex_file_and_counts_each_byte_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The BibTeX reader streams only a seekable input (it scans, then parses, block by
    block): the stream `convert` hands it must seek, and the byte count given to progress
    follows the position, so it ends at the inputs' size, not twice it."""
    from citeport.formats.bibtex import reader

    streamed: list[bool] = []
    real = reader._stream_blocks

    def spy(stream, source, log):  # type: ignore[no-untyped-def]
        found = real(stream, source, log)
        streamed.append(found is not None)
        return found

    monkeypatch.setattr(reader, "_stream_blocks", spy)
    bib = EXAMPLES / "spm-43-2.bib"
    txt = EXAMPLES / "spm-43-2.txt"
    calls: list[tuple[int, int]] = []
    result = citeport.convert(
        [bib], "csljson", io.StringIO(), progress=lambda n, size: calls.append((n, size))
    )
    assert result.read == 7
    assert streamed == [True]
    assert calls[-1] == (7, bib.stat().st_size)
    calls.clear()
    citeport.convert(
        [bib, txt], "csljson", io.StringIO(), progress=lambda n, size: calls.append((n, size))
    )
    assert calls[-1] == (14, bib.stat().st_size + txt.stat().st_size)
