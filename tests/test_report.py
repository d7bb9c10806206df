"""`--report json`: the loss-accounting ledger, line by line, and the summary that counts it.

Each case is a small bad input of one format, converted by the command line; the test asserts
every JSON line the user gets (one per record with something to report, then the summary).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from citeport.cli import main
from citeport.diagnostics import (
    CODES,
    Action,
    Diagnostic,
    DiagnosticLog,
    Ledger,
    Location,
    Severity,
)

from .test_examples import EXAMPLE, run_cli

AGG_NOTE = "aggregator field {!r} has no RIS tag; dropped"
EXTRA = ["PeriodicalIF", "PeriodicalId", "RegionCategory", "RegionNum", "Total", "isOpenAccess",
         "platform"]  # fmt: skip


def _dropped(names: list[str]) -> list[dict[str, Any]]:
    return [
        {"field": n, "action": "dropped", "code": "RIS011", "severity": "info",
         "message": AGG_NOTE.format(n)}
        for n in names
    ]  # fmt: skip


def _line(
    number: int, record: str | None, fields: list[dict[str, Any]], status: str = "converted"
) -> dict[str, Any]:
    return {"source": "examples/spm-43-2.txt", "line": number, "record": record, "status": status,
            "fields": fields}  # fmt: skip


MRK001 = {"field": "abstract", "action": "repaired", "code": "MRK001", "severity": "info",
          "message": "abstract: <italic> closed by </i>"}  # fmt: skip
MRK003 = {"field": "abstract", "action": "repaired", "code": "MRK003", "severity": "warning",
          "message": "abstract: restored TeX backslashes in ${mathit{ell}}^{1}$ -> "
          "${\\mathit{\\ell}}^{1}$"}  # fmt: skip
AGG001 = {"field": None, "action": "skipped", "code": "AGG001", "severity": "warning",
          "message": "line is not a JSON object ('Martina Pastorino;Gabriele Moser;Sebastiano "
          "B. Serpico;Jo...'), skipped"}  # fmt: skip

#: The bundled example to RIS: every record's ledger line, then the summary.
EXAMPLE_LEDGER = [
    _line(1, "147665344", [MRK001, MRK003, *_dropped(EXTRA)]),
    _line(2, "147665475", _dropped(["PMCID", *EXTRA])),
    _line(3, None, [AGG001], "skipped"),
    _line(4, "147665289", [MRK001, *_dropped(EXTRA)]),
    _line(5, "147665337", _dropped(["PMCID", *EXTRA])),
    _line(6, "147665476", _dropped(EXTRA)),
    _line(7, "147665512", _dropped(EXTRA)),
    _line(8, "147696206", _dropped(EXTRA)),
    {"summary": {
        "records": {"read": 7, "written": 7, "skipped": 1},
        "actions": {"skipped": 1, "dropped": 51, "changed": 0, "repaired": 3, "ignored": 0,
                    "failed": 0},
        "severities": {"error": 0, "warning": 2, "info": 53},
    }},
]  # fmt: skip


def test_the_example_ledger_line_by_line() -> None:
    done = run_cli("convert", str(EXAMPLE.relative_to(EXAMPLE.parents[1])), "--to", "ris",
                   "--report", "json", "-o", os.devnull, "-j", "1")  # fmt: skip
    assert [json.loads(line) for line in done.stderr.splitlines()] == EXAMPLE_LEDGER
    assert done.returncode == 0


def test_the_ledger_is_the_same_with_two_jobs() -> None:
    # standard input, of unknown size: -j 2 starts workers however small the input is
    args = ("convert", "-", "--to", "bibtex", "--report", "json", "-o", os.devnull)
    data = EXAMPLE.read_bytes()
    serial, parallel = run_cli(*args, "-j", "1", stdin=data), run_cli(*args, "-j", "2", stdin=data)
    assert parallel.stderr == serial.stderr
    records = [json.loads(line).get("record") for line in serial.stderr.splitlines()]
    # one line per record: the reader's and the writer's diagnostics of a record are together
    named = [r for r in records if r is not None]
    assert len(named) == len(set(named)) == 7


def test_report_file_keeps_the_text_on_stderr(tmp_path: Path) -> None:
    ledger = tmp_path / "ledger.jsonl"
    done = run_cli("convert", "examples/spm-43-2.txt", "--to", "ris", "-o", os.devnull,
                   "--report-file", str(ledger), "-j", "1")  # fmt: skip
    assert [json.loads(line) for line in ledger.read_text("utf-8").splitlines()] == EXAMPLE_LEDGER
    assert done.stderr.splitlines() == [
        "examples/spm-43-2.txt:1: warning[MRK003] abstract: restored TeX backslashes in "
        "${mathit{ell}}^{1}$ -> ${\\mathit{\\ell}}^{1}$",
        "examples/spm-43-2.txt:3: warning[AGG001] line is not a JSON object ('Martina "
        "Pastorino;Gabriele Moser;Sebastiano B. Serpico;Jo...'), skipped",
        "citeport: read 7, wrote 7, skipped 1 (2 warnings, 53 notes); "
        "fields: 51 dropped, 3 repaired",
    ]


def test_report_file_never_replaces_an_input(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_bytes(EXAMPLE.read_bytes())
    done = run_cli("convert", str(source), "--to", "ris", "--report-file", str(source))
    assert done.returncode == 2
    assert done.stderr == (
        f"citeport: error: report file {source} is also an input; refusing to overwrite it\n"
    )
    assert source.read_bytes() == EXAMPLE.read_bytes()


# --- crafted bad inputs, one per format -------------------------------------------------------


def _f(field: str | None, action: str, code: str, severity: str, message: str) -> dict[str, Any]:
    return {"field": field, "action": action, "code": code, "severity": severity,
            "message": message}  # fmt: skip


def _at(
    source: str, line: int | None, record: str | None, status: str, *fields: dict[str, Any]
) -> dict[str, Any]:
    return {"source": source, "line": line, "record": record, "status": status,
            "fields": list(fields)}  # fmt: skip


def _summary(read: int, written: int, skipped: int, actions: dict[str, int],
             severities: tuple[int, int, int]) -> dict[str, Any]:  # fmt: skip
    counts = {str(a): actions.get(str(a), 0) for a in Action}
    error, warning, info = severities
    return {"summary": {"records": {"read": read, "written": written, "skipped": skipped},
                        "actions": counts,
                        "severities": {"error": error, "warning": warning, "info": info}}}  # fmt: skip


CASES: dict[str, tuple[str, bytes, list[dict[str, Any]]]] = {
    "bibtex": ("bad.bib", (
        b"@article{a,\n  title = {One},\n  month = {Smarch},\n  year = 2020,\n}\n"
        b"@article{a,\n  title = {Again},\n}\n"
        b"@article{b,\n  title = {Broken\n\n"
        b"@book{c,\n  title = {Three}, crossref = {nope},\n}\n"
    ), [
        _at("bad.bib", 1, "a", "converted",
            _f("month", "changed", "BIB108", "warning", "month 'Smarch' is not a month; kept as "
               "a field"),
            _f("month", "dropped", "RIS011", "info", "bibtex field 'month' has no RIS tag; "
               "dropped")),
        _at("bad.bib", 6, "a", "skipped",
            _f(None, "skipped", "BIB102", "error", "duplicate key 'a'; the first entry is kept, "
               "this one skipped")),
        _at("bad.bib", 9, None, "skipped",
            _f(None, "skipped", "BIB101", "error", "entry cannot be parsed "
               "(BlockAbortedException): '@article{b,', skipped")),
        _at("bad.bib", 12, "c", "converted",
            _f("crossref", "dropped", "BIB106", "warning", "crossref parent 'nope' not found; "
               "read without it")),
        _summary(2, 2, 2, {"skipped": 2, "dropped": 2, "changed": 1}, (2, 2, 1)),
    ]),
    "ris": ("bad.ris", (
        b"Record #1\nTY  - JOUR\nTI  - First\nPY  - spring\nER  - \n"
        b"TY  - XXXX\nTI  - Second\nTY  - JOUR\nER  - \n"
    ), [
        _at("bad.ris", 1, None, "input",
            _f(None, "ignored", "RIS005", "info", "text outside a record ignored ('Record #1')")),
        _at("bad.ris", 2, "line-2", "converted",
            _f("PY", "changed", "RIS007", "warning", "date 'spring' has no year; kept as "
               "written")),
        _at("bad.ris", 6, "line-6", "converted",
            _f(None, "repaired", "RIS002", "warning", "record starting at line 6 has no ER; it "
               "ends at the next TY (line 8) and is kept"),
            _f(None, "changed", "RIS004", "warning", "unknown RIS type 'XXXX'; read as a generic "
               "document")),
        _at("bad.ris", 8, "line-8", "skipped",
            _f(None, "skipped", "RIS008", "error", "record 3 holds no data, skipped")),
        _summary(2, 2, 1, {"skipped": 1, "changed": 2, "repaired": 1, "ignored": 1}, (1, 3, 1)),
    ]),
    "aggregator": ("bad.jsonl", (
        b'{"title": "A", "paperid": "p1", "publicationDate": "someday", '
        b'"publicationTypes": "Gizmo"}\nnot json\n{"paperid": "p3"}\n'
    ), [
        _at("bad.jsonl", 1, "p1", "converted",
            _f("publicationTypes", "changed", "AGG003", "warning", "publication type 'Gizmo' is "
               "unknown; read as article"),
            _f("publicationDate", "changed", "AGG005", "warning", "publicationDate 'someday' is "
               "not a date; kept as written")),
        _at("bad.jsonl", 2, None, "skipped",
            _f(None, "skipped", "AGG001", "warning", "line is not a JSON object ('not json'), "
               "skipped")),
        _at("bad.jsonl", 3, "p3", "skipped",
            _f(None, "skipped", "AGG002", "warning", "record has no title, skipped")),
        _summary(1, 1, 2, {"skipped": 2, "changed": 2}, (0, 4, 0)),
    ]),
    "csljson": ("bad.json", (
        b'[{"id": "x", "type": "gizmo", "title": "T", "volume": null}, 7,\n'
        b' {"id": "x", "type": "book", "title": "U"}]\n'
    ), [
        _at("bad.json", 1, "x", "converted",
            _f("volume", "changed", "CSL105", "warning", "/0/volume is null, expected a value; "
               "dropped"),
            _f("type", "changed", "CSL104", "warning", "/0/type 'gizmo' is not a CSL item type; "
               "read as document")),
        _at("bad.json", 1, None, "skipped",
            _f(None, "skipped", "CSL102", "error", "item /1 not a CSL-JSON item ('7'), skipped")),
        _at("bad.json", 2, "x", "converted",
            _f("id", "changed", "CSL112", "warning", "/2: id 'x' is used by an earlier item; both "
               "kept")),
        _summary(2, 2, 1, {"skipped": 1, "changed": 3}, (1, 3, 0)),
    ]),
    "medline": ("bad.nbib", (
        b"stray line\n\nTI  - No id here\nDP  - someday\n\n"
        b"PMID- 123\nTI  - Good\nDP  - 2020 Spring-Summer 5\n"
    ), [
        _at("bad.nbib", 1, None, "input",
            _f(None, "ignored", "MED001", "info", "text outside a record ignored ('stray line')")),
        _at("bad.nbib", 3, "line-3", "converted",
            _f(None, "repaired", "MED004", "warning", "record has no PMID; its id is its line"),
            _f("DP", "changed", "MED003", "warning", "date 'someday' has no year; kept as "
               "written")),
        _at("bad.nbib", 6, "123", "converted",
            _f("DP", "changed", "MED007", "warning", "date '2020 Spring-Summer 5' only partly "
               "understood; read as 2020 (Spring), DP kept in extra"),
            _f("pmid", "dropped", "RIS001", "info", "pmid has no RIS tag; dropped"),
            _f("DP", "dropped", "RIS011", "info", "medline field 'DP' has no RIS tag; dropped")),
        _summary(2, 2, 0, {"changed": 2, "repaired": 1, "ignored": 1, "dropped": 2}, (0, 3, 3)),
    ]),
    "crossref": ("work.json", (
        b'{"message": {"DOI": "https://doi.org/10.1/X", "type": "gizmo", "title": ["T"], '
        b'"indexed": {"x": 1}, "reference-count": 3, "author": [{"sequence": "first"}]}}'
    ), [
        _at("work.json", None, "10.1/X", "converted",
            _f("indexed", "dropped", "XREF005", "info", "Crossref bookkeeping 'indexed' dropped"),
            _f("reference-count", "dropped", "XREF005", "info", "Crossref bookkeeping "
               "'reference-count' dropped"),
            _f("type", "changed", "XREF003", "warning", "type 'gizmo' is unknown; read as "
               "document"),
            _f("author", "changed", "XREF004", "warning", "/message/0/author/0 has no name; "
               "dropped"),
            _f("DOI", "repaired", "XREF008", "info", "/message/0/DOI 'https://doi.org/10.1/X' "
               "read as the DOI '10.1/X'")),
        _summary(1, 1, 0, {"dropped": 2, "changed": 2, "repaired": 1}, (0, 2, 3)),
    ]),
}  # fmt: skip


@pytest.mark.parametrize("fmt", list(CASES))
def test_ledger_of_a_bad_input(
    fmt: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    name, data, expected = CASES[fmt]
    monkeypatch.chdir(tmp_path)
    Path(name).write_bytes(data)
    status = main(["convert", name, "--from", fmt, "--to", "ris", "-o", "out.ris",
                   "--report", "json", "-j", "1"])  # fmt: skip
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines()]
    assert lines == expected
    errors = expected[-1]["summary"]["severities"]["error"]
    assert status == (1 if errors else 0)


def test_summary_line_counts_actions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    name, data, _ = CASES["ris"]
    monkeypatch.chdir(tmp_path)
    Path(name).write_bytes(data)
    main(["convert", name, "--to", "csljson", "-o", "out.json", "-j", "1"])
    assert capsys.readouterr().err.splitlines()[-1] == (
        "citeport: read 2, wrote 2, skipped 1 (1 error, 3 warnings, 1 note); "
        "fields: 2 changed, 1 repaired; 1 ignored (not a record)"
    )


# --- the ledger on its own ----------------------------------------------------------------------


def test_a_writer_note_without_provenance_joins_its_record() -> None:
    lines: list[str] = []
    ledger = Ledger(lines.append)
    ledger.add(Diagnostic.make("XREF003", "t", Location("w.json", None, "10.1/x", "type")))
    ledger.add(Diagnostic.make("RIS001", "p", Location("", None, "10.1/x", "pmid")))
    ledger.add(Diagnostic.make("RIS001", "p", Location("", None, "10.1/y", "pmid")))
    ledger.close(DiagnosticLog(), 2, 2)
    got = [json.loads(line) for line in lines]
    assert [(g.get("source"), g.get("record"), len(g.get("fields", ()))) for g in got] == [
        ("w.json", "10.1/x", 2),
        ("", "10.1/y", 1),
        (None, None, 0),
    ]


def test_report_fields_makes_what_report_makes_for_each_field() -> None:
    where = Location("a.jsonl", 2, "r1", "ignored")
    drops = [("platform", "p dropped"), ("Total", "t dropped")]
    one_by_one, together = DiagnosticLog(), DiagnosticLog()
    for field, message in drops:
        one_by_one.report("RIS011", message, Location("a.jsonl", 2, "r1", field))
    together.report_fields("RIS011", where, drops)
    assert list(together) == list(one_by_one)
    assert together.by_code == one_by_one.by_code == {"RIS011": 2}
    assert together.counts == one_by_one.counts


def test_a_sink_threshold_counts_what_it_does_not_hand_over() -> None:
    seen: list[Diagnostic] = []
    log = DiagnosticLog(seen.append, sink_threshold=Severity.WARNING)
    where = Location("a.jsonl", 2, "r1")
    log.report_fields("RIS011", where, [("platform", "p"), ("Total", "t")])
    log.report("MRK001", "closed", Location("a.jsonl", 2, "r1", "abstract"))
    log.report("AGG005", "bad date", Location("a.jsonl", 2, "r1", "issued"))
    log.skip("AGG001", "not JSON", Location("a.jsonl", 3))
    assert [(d.code, d.location.line) for d in seen] == [("AGG005", 2), ("AGG001", 3)]
    assert log.by_code == {"RIS011": 2, "MRK001": 1, "AGG005": 1, "AGG001": 1}
    assert (log.counts[Severity.INFO], log.warnings, log.skipped) == (3, 2, 1)
    assert log.by_action[Action.DROPPED] == 2


def test_every_code_has_an_action() -> None:
    assert all(isinstance(code.action, Action) for code in CODES.values())
    # the codes a reader reports with `log.skip` are the reader's skipped actions
    skips = {c for c, code in CODES.items() if code.action is Action.SKIPPED}
    assert skips == {"AGG001", "AGG002", "BIB101", "BIB102", "RIS008", "MED005", "CSL101",
                     "CSL102", "XREF001", "XREF002", "RIS010", "IEEE001"}  # fmt: skip


# --- the reader fixes the corpus accounting found -----------------------------------------------


def test_a_tag_after_a_lone_carriage_return_is_read() -> None:
    import io

    from citeport.formats import ris

    log = DiagnosticLog()
    data = b"TY  - JOUR\nTI  - T\nWE  - SSCI\rAN  - WOS:1\nER  - \n"
    (ref,) = ris.read(io.BytesIO(data), "w.ris", log)
    assert ref.extra == {"ris": {"WE": ("SSCI",), "AN": ("WOS:1",)}}
    assert list(log) == []


def test_a_field_of_unknown_commands_only_is_kept_and_reported() -> None:
    import io

    from citeport.formats import bibtex

    log = DiagnosticLog()
    (ref,) = bibtex.read(io.BytesIO(rb"@article{k, title={T}, journal={\aap}}"), "a.bib", log)
    assert (ref.container_title, ref.extra) == ((), {"bibtex": {"journal": "\\aap"}})
    assert [str(d) for d in log] == [
        "a.bib:1: warning[BIB112] journal '\\\\aap' is only LaTeX commands with no text; "
        "kept as written"
    ]
