"""The RIS reader (dialects, damage, diagnostics), its sniffing, and RIS -> RIS round trips."""

from __future__ import annotations

import io
from dataclasses import replace

from citeport import registry
from citeport.diagnostics import DiagnosticLog
from citeport.formats import ris
from citeport.model import Date, Name, Provenance, Reference
from citeport.options import WriteOptions
from citeport.richtext import Text

from .conftest import CASES

DIALECTS = CASES / "ris" / "dialects.ris"


def read(data: bytes) -> tuple[list[Reference], list[str]]:
    log = DiagnosticLog()
    refs = list(ris.read(io.BytesIO(data), "t.ris", log))
    return refs, [str(d) for d in log]


def write(refs: list[Reference]) -> str:
    out = io.StringIO()
    ris.write(refs, out, DiagnosticLog(), WriteOptions())
    return out.getvalue()


def test_dialects_file_exact() -> None:
    refs, notes = read(DIALECTS.read_bytes())
    assert [r.id for r in refs] == ["grib26", "line-23", "line-27", "line-31", "line-34"]
    first = refs[0]
    assert first == Reference(
        id="grib26",
        type="article-journal",
        title=(Text("Rapture of the Deep: Highs and lows of sparsity"),),
        author=(Name(family="Gribonval", given="Rémi"), Name(family="Le", given="Q. T.")),
        editor=(Name(family="Adali", given="Tülay"),),
        container_title=(Text("IEEE Signal Processing Magazine"),),
        container_title_short="IEEE Signal Process. Mag.",
        volume="43",
        issue="2",
        page="10-23",
        issued=Date(parts=((2026, 3, 1),)),
        doi="10.1109/MSP.2025.3611564",
        keyword=("sparsity", "deep learning"),
        extra={"ris": {"XX": ("kept",), "ID": ("grib26",)}},
        provenance=Provenance("t.ris", 3, 21),
    )
    assert [r.type for r in refs] == [
        "article-journal", "paper-conference", "book", "document", "document",
    ]  # fmt: skip
    assert refs[1].issued == Date(parts=((2024, 6, 1),), season="Summer")
    assert refs[2].collection_title == "A Series"
    assert refs[2].isbn == "978-3-16-148410-0"
    assert notes == [
        "t.ris:1: info[RIS005] text outside a record ignored ('Record #1 of 3')",
        "t.ris:27: warning[RIS002] record starting at line 27 has no ER; it ends at the next TY"
        " (line 31) and is kept",
        "t.ris:31: warning[RIS004] unknown RIS type 'WHAT'; read as a generic document",
        "t.ris:34: warning[RIS003] record has no TY; read as a generic document",
        "t.ris:38: error[RIS008] record 6 holds no data, skipped",
    ]


def test_last_record_without_er_is_kept() -> None:
    refs, notes = read(b"TY  - JOUR\nTI  - Last\nPY  - 2001///\n")
    assert [(r.title, r.issued) for r in refs] == [((Text("Last"),), Date(parts=((2001,),)))]
    assert notes == [
        "t.ris:1: warning[RIS002] record starting at line 1 has no ER; it ends at the end of the"
        " input and is kept"
    ]


def test_journal_tags_by_dialect() -> None:
    refs, _ = read(
        b"TY  - JOUR\nJO  - Trials\nER  - \n"
        b"TY  - JOUR\nJF  - PLoS ONE\nJA  - PLoS One\nER  - \n"
        b"TY  - JOUR\nJ2  - Phys. Rev.\nER  - \n"
    )
    assert [(r.container_title, r.container_title_short) for r in refs] == [
        ((Text("Trials"),), ""),
        ((Text("PLoS ONE"),), "PLoS One"),
        ((Text("Phys. Rev."),), ""),
    ]


def test_dates_pages_doi_fallbacks() -> None:
    refs, notes = read(
        b"TY  - JOUR\nPY  - 2022\nDA  - SEP 22\nSP  - 5\nEP  - 9\nM3  - 10.1000/xyz\nER  - \n"
        b"TY  - JOUR\nPY  - 2020\nDA  - 2024/06/24/\nUR  - https://doi.org/10.1000/a\nER  - \n"
        b"TY  - JOUR\nPY  - undated\nER  - \n"
    )
    assert refs[0].issued == Date(parts=((2022, 9, 22),))
    assert (refs[0].page, refs[0].doi, refs[0].genre) == ("5-9", "10.1000/xyz", "")
    # A DA of another year is not the publication date: it stays in extra.
    assert refs[1].issued == Date(parts=((2020,),))
    assert refs[1].extra == {"ris": {"DA": ("2024/06/24/",)}}
    assert refs[1].doi == "10.1000/a"
    assert refs[2].issued == Date(literal="undated")
    assert notes == ["t.ris:13: warning[RIS007] date 'undated' has no year; kept as written"]


def test_non_utf8_line_is_read_as_cp1252() -> None:
    refs, notes = read(b"TY  - JOUR\nTI  - Caf\xe9\nER  - \n")
    assert refs[0].title == (Text("Café"),)
    assert notes == ["t.ris:2: warning[RIS006] line is not valid UTF-8; read as Windows-1252"]


def test_names() -> None:
    assert ris.ris_name("Brownstein C D") == Name(family="Brownstein", given="C. D.")
    assert ris.ris_name("Benton MJ") == Name(family="Benton", given="M. J.")
    assert ris.ris_name("King, Martin, Jr.") == Name(family="King", given="Martin", suffix="Jr.")
    assert ris.ris_name("  ") is None


def test_sniff_and_detection() -> None:
    head = DIALECTS.read_bytes()
    assert ris.sniff(head) == 90
    assert ris.sniff(b"PMID- 1\nTI  - x\n") == 10
    assert ris.sniff(b'{"title": "x"}\n') == 0
    info = registry.detect("export.txt", head)
    assert info is not None and info.name == "ris"


def test_round_trip_keeps_every_field() -> None:
    refs, _ = read(DIALECTS.read_bytes())
    text = write(refs)
    again, notes = read(text.encode("utf-8"))
    assert notes == []

    def bare(ref: Reference) -> Reference:
        return replace(ref, id="" if ref.id.startswith("line-") else ref.id, provenance=None)

    assert [bare(r) for r in again] == [bare(r) for r in refs]
    assert write(again) == text


def test_writer_new_fields_and_unwritable_report() -> None:
    ref = Reference(
        id="b",
        type="book",
        title=(Text("T"),),
        title_short="Short",
        collection_editor=(Name(family="Series", given="Ed"),),
        translator=(Name(family="Trans", given="Lator"),),
        collection_title="Lecture Notes",
        issued=Date(parts=((2011,),), season="Spring"),
        issn="1234-5678",
        isbn="978-3-16-148410-0",
        pmid="42",
    )
    log = DiagnosticLog()
    out = io.StringIO()
    ris.write([ref], out, log, WriteOptions())
    assert out.getvalue() == (
        "TY  - BOOK\r\nA3  - Series, Ed\r\nA4  - Trans, Lator\r\nTI  - T\r\nST  - Short\r\n"
        "T3  - Lecture Notes\r\nPY  - 2011\r\nDA  - 2011/Spring\r\nSN  - 1234-5678\r\n"
        "SN  - 978-3-16-148410-0\r\nER  - \r\n"
    )
    assert [str(d) for d in log] == ["<input>: info[RIS001] pmid has no RIS tag; dropped"]
