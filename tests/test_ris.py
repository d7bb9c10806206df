"""The RIS reader (dialects, damage, diagnostics), its sniffing, and RIS -> RIS round trips."""

from __future__ import annotations

import io
import json
import subprocess
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from citeport import registry
from citeport.diagnostics import DiagnosticLog
from citeport.formats import csljson, ris
from citeport.model import Date, Name, Provenance, Reference
from citeport.options import WriteOptions
from citeport.richtext import Text, plain

from .conftest import CASES, EXAMPLES
from .test_pandoc import pandoc

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
        "T3  - Lecture Notes\r\nPY  - 2011\r\nDA  - 2011///Spring\r\nSN  - 1234-5678\r\n"
        "SN  - 978-3-16-148410-0\r\nER  - \r\n"
    )
    assert [str(d) for d in log] == ["<input>: info[RIS001] pmid has no RIS tag; dropped"]


# --- profiles ---------------------------------------------------------------------------------

VARIED = CASES / "ris" / "varied.ris"
PROFILED = ("vaswani2017", "eco1983", "ris-spec")  # a conference paper, a book, a web page

PROFILE_OUTPUT: dict[str, str] = {
    "default": (
        "TY  - CPAPER\r\n"
        "AU  - Vaswani, Ashish\r\n"
        "AU  - Shazeer, Noam\r\n"
        "AU  - Parmar, Niki\r\n"
        "A2  - Guyon, Isabelle\r\n"
        "TI  - Attention is all you need\r\n"
        "T2  - Advances in Neural Information Processing Systems 30\r\n"
        "PY  - 2017\r\n"
        "DA  - 2017/12/04/\r\n"
        "VL  - 30\r\n"
        "SP  - 5998\r\n"
        "EP  - 6008\r\n"
        "PB  - Curran Associates\r\n"
        "CY  - Long Beach, CA, USA\r\n"
        "ID  - vaswani2017\r\n"
        "ER  - \r\n"
        "TY  - BOOK\r\n"
        "AU  - Eco, Umberto\r\n"
        "A3  - Calvino, Italo\r\n"
        "A4  - Weaver, William\r\n"
        "TI  - The Name of the Rose\r\n"
        "T3  - Harvest Books\r\n"
        "PY  - 1983\r\n"
        "DA  - 1983///\r\n"
        "ET  - 1\r\n"
        "PB  - Harcourt Brace Jovanovich\r\n"
        "CY  - San Diego\r\n"
        "ID  - eco1983\r\n"
        "ER  - \r\n"
        "TY  - ELEC\r\n"
        "AU  - Systems, Research Information\r\n"
        "TI  - RIS Format Specifications\r\n"
        "T2  - Refman\r\n"
        "PY  - 2011\r\n"
        "DA  - 2011///\r\n"
        "Y2  - 2025/01/02/\r\n"
        "UR  - https://web.archive.org/web/2011/http://refman.com/support/risformat_intro.asp\r\n"
        "ID  - ris-spec\r\n"
        "ER  - \r\n"
    ),
    "endnote": (
        "TY  - CPAPER\r\n"
        "AU  - Vaswani, Ashish\r\n"
        "AU  - Shazeer, Noam\r\n"
        "AU  - Parmar, Niki\r\n"
        "A2  - Guyon, Isabelle\r\n"
        "TI  - Attention is all you need\r\n"
        "T2  - Advances in Neural Information Processing Systems 30\r\n"
        "PY  - 2017\r\n"
        "DA  - 2017/12/04/\r\n"
        "VL  - 30\r\n"
        "SP  - 5998\r\n"
        "EP  - 6008\r\n"
        "PB  - Curran Associates\r\n"
        "CY  - Long Beach, CA, USA\r\n"
        "ID  - vaswani2017\r\n"
        "ER  - \r\n"
        "TY  - BOOK\r\n"
        "AU  - Eco, Umberto\r\n"
        "A3  - Calvino, Italo\r\n"
        "A4  - Weaver, William\r\n"
        "TI  - The Name of the Rose\r\n"
        "T3  - Harvest Books\r\n"
        "PY  - 1983\r\n"
        "DA  - 1983///\r\n"
        "ET  - 1\r\n"
        "PB  - Harcourt Brace Jovanovich\r\n"
        "CY  - San Diego\r\n"
        "ID  - eco1983\r\n"
        "ER  - \r\n"
        "TY  - WEB\r\n"
        "AU  - Systems, Research Information\r\n"
        "TI  - RIS Format Specifications\r\n"
        "T2  - Refman\r\n"
        "PY  - 2011\r\n"
        "DA  - 2011///\r\n"
        "Y2  - 2025/01/02/\r\n"
        "UR  - https://web.archive.org/web/2011/http://refman.com/support/risformat_intro.asp\r\n"
        "ID  - ris-spec\r\n"
        "ER  - \r\n"
    ),
    "zotero": (
        "TY  - CPAPER\r\n"
        "AU  - Vaswani, Ashish\r\n"
        "AU  - Shazeer, Noam\r\n"
        "AU  - Parmar, Niki\r\n"
        "A2  - Guyon, Isabelle\r\n"
        "TI  - Attention is all you need\r\n"
        "C3  - Advances in Neural Information Processing Systems 30\r\n"
        "PY  - 2017\r\n"
        "DA  - 2017/12/04/\r\n"
        "VL  - 30\r\n"
        "SP  - 5998\r\n"
        "EP  - 6008\r\n"
        "PB  - Curran Associates\r\n"
        "CY  - Long Beach, CA, USA\r\n"
        "ID  - vaswani2017\r\n"
        "ER  - \r\n"
        "TY  - BOOK\r\n"
        "AU  - Eco, Umberto\r\n"
        "A3  - Calvino, Italo\r\n"
        "A4  - Weaver, William\r\n"
        "TI  - The Name of the Rose\r\n"
        "T3  - Harvest Books\r\n"
        "PY  - 1983\r\n"
        "DA  - 1983///\r\n"
        "ET  - 1\r\n"
        "PB  - Harcourt Brace Jovanovich\r\n"
        "CY  - San Diego\r\n"
        "ID  - eco1983\r\n"
        "ER  - \r\n"
        "TY  - ELEC\r\n"
        "AU  - Systems, Research Information\r\n"
        "TI  - RIS Format Specifications\r\n"
        "T2  - Refman\r\n"
        "PY  - 2011\r\n"
        "DA  - 2011///\r\n"
        "Y2  - 2025/01/02/\r\n"
        "UR  - https://web.archive.org/web/2011/http://refman.com/support/risformat_intro.asp\r\n"
        "ID  - ris-spec\r\n"
        "ER  - \r\n"
    ),
    "mendeley": (
        "TY  - CONF\r\n"
        "AU  - Vaswani, Ashish\r\n"
        "AU  - Shazeer, Noam\r\n"
        "AU  - Parmar, Niki\r\n"
        "A2  - Guyon, Isabelle\r\n"
        "TI  - Attention is all you need\r\n"
        "T2  - Advances in Neural Information Processing Systems 30\r\n"
        "PY  - 2017\r\n"
        "VL  - 30\r\n"
        "SP  - 5998\r\n"
        "EP  - 6008\r\n"
        "PB  - Curran Associates\r\n"
        "CY  - Long Beach, CA, USA\r\n"
        "ID  - vaswani2017\r\n"
        "ER  - \r\n"
        "TY  - BOOK\r\n"
        "AU  - Eco, Umberto\r\n"
        "A3  - Calvino, Italo\r\n"
        "A4  - Weaver, William\r\n"
        "TI  - The Name of the Rose\r\n"
        "T3  - Harvest Books\r\n"
        "PY  - 1983\r\n"
        "ET  - 1\r\n"
        "PB  - Harcourt Brace Jovanovich\r\n"
        "CY  - San Diego\r\n"
        "ID  - eco1983\r\n"
        "ER  - \r\n"
        "TY  - ELEC\r\n"
        "AU  - Systems, Research Information\r\n"
        "TI  - RIS Format Specifications\r\n"
        "T2  - Refman\r\n"
        "PY  - 2011\r\n"
        "Y2  - 2025/01/02/\r\n"
        "UR  - https://web.archive.org/web/2011/http://refman.com/support/risformat_intro.asp\r\n"
        "ID  - ris-spec\r\n"
        "ER  - \r\n"
    ),
    "jabref": (
        "TY  - CONF\r\n"
        "AU  - Vaswani, Ashish\r\n"
        "AU  - Shazeer, Noam\r\n"
        "AU  - Parmar, Niki\r\n"
        "ED  - Guyon, Isabelle\r\n"
        "TI  - Attention is all you need\r\n"
        "BT  - Advances in Neural Information Processing Systems 30\r\n"
        "Y1  - 2017/12/04/\r\n"
        "VL  - 30\r\n"
        "SP  - 5998\r\n"
        "EP  - 6008\r\n"
        "PB  - Curran Associates\r\n"
        "CY  - Long Beach, CA, USA\r\n"
        "ID  - vaswani2017\r\n"
        "ER  - \r\n"
        "TY  - BOOK\r\n"
        "AU  - Eco, Umberto\r\n"
        "TA  - Weaver, William\r\n"
        "TI  - The Name of the Rose\r\n"
        "T3  - Harvest Books\r\n"
        "Y1  - 1983///\r\n"
        "ET  - 1\r\n"
        "PB  - Harcourt Brace Jovanovich\r\n"
        "CY  - San Diego\r\n"
        "ID  - eco1983\r\n"
        "ER  - \r\n"
        "TY  - ELEC\r\n"
        "AU  - Systems, Research Information\r\n"
        "TI  - RIS Format Specifications\r\n"
        "T2  - Refman\r\n"
        "Y1  - 2011///\r\n"
        "UR  - https://web.archive.org/web/2011/http://refman.com/support/risformat_intro.asp\r\n"
        "ID  - ris-spec\r\n"
        "ER  - \r\n"
    ),
    "pandoc": (
        "TY  - CPAPER\r\n"
        "AU  - Vaswani, Ashish\r\n"
        "AU  - Shazeer, Noam\r\n"
        "AU  - Parmar, Niki\r\n"
        "A2  - Guyon, Isabelle\r\n"
        "TI  - Attention is all you need\r\n"
        "T2  - Advances in Neural Information Processing Systems 30\r\n"
        "PY  - 2017\r\n"
        "DA  - 2017/12/04/\r\n"
        "VL  - 30\r\n"
        "SP  - 5998\r\n"
        "EP  - 6008\r\n"
        "PB  - Curran Associates\r\n"
        "PP  - Long Beach, CA, USA\r\n"
        "ID  - vaswani2017\r\n"
        "ER  - \r\n"
        "TY  - BOOK\r\n"
        "AU  - Eco, Umberto\r\n"
        "A3  - Calvino, Italo\r\n"
        "A4  - Weaver, William\r\n"
        "TI  - The Name of the Rose\r\n"
        "T3  - Harvest Books\r\n"
        "PY  - 1983\r\n"
        "DA  - 1983///\r\n"
        "ET  - 1\r\n"
        "PB  - Harcourt Brace Jovanovich\r\n"
        "PP  - San Diego\r\n"
        "ID  - eco1983\r\n"
        "ER  - \r\n"
        "TY  - WEB\r\n"
        "AU  - Systems, Research Information\r\n"
        "TI  - RIS Format Specifications\r\n"
        "T2  - Refman\r\n"
        "PY  - 2011\r\n"
        "DA  - 2011///\r\n"
        "Y2  - 2025/01/02/\r\n"
        "UR  - https://web.archive.org/web/2011/http://refman.com/support/risformat_intro.asp\r\n"
        "ID  - ris-spec\r\n"
        "ER  - \r\n"
    ),
}


def varied() -> list[Reference]:
    refs, notes = read(VARIED.read_bytes())
    assert notes == []
    return refs


@pytest.mark.parametrize("profile", list(ris.PROFILES))
def test_each_profile_writes_exactly_what_its_target_reads(profile: str) -> None:
    refs = {r.id: r for r in varied()}
    assert "".join(ris.record(refs[i], profile) for i in PROFILED) == PROFILE_OUTPUT[profile]
    assert set(PROFILE_OUTPUT) == set(ris.PROFILES)


def test_the_default_profile_is_the_writer_and_profiles_report_what_they_leave_out() -> None:
    refs = varied()
    assert write(refs) == "\r\n".join(ris.record(r) for r in refs)
    log = DiagnosticLog()
    for profile in ris.PROFILES:
        for ref in refs:
            ris.record(ref, profile, log)
    assert [str(d) for d in log] == [
        "t.ris:1: info[RIS009] issued: Mendeley reads only the year; '1948/07//' written as"
        " PY 1948 (RIS profile 'mendeley')",
        "t.ris:19: info[RIS009] issued: Mendeley reads only the year; '2017/12/04/' written as"
        " PY 2017 (RIS profile 'mendeley')",
        "t.ris:72: info[RIS009] issued: Mendeley reads only the year; '2023/06/30/' written as"
        " PY 2023 (RIS profile 'mendeley')",
        "t.ris:1: info[RIS009] container_title_short: JabRef reads no tag for it; dropped"
        " (RIS profile 'jabref')",
        "t.ris:49: info[RIS009] collection_editor: JabRef reads no tag for it; dropped"
        " (RIS profile 'jabref')",
        "t.ris:62: info[RIS009] accessed: JabRef reads no tag for it; dropped"
        " (RIS profile 'jabref')",
    ]
    with pytest.raises(ValueError, match="unknown RIS profile 'refworks'; one of default, "):
        ris.record(refs[0], "refworks")


def test_profiles_that_drop_nothing_read_back_to_the_same_references() -> None:
    refs = varied()
    assert refs[4].accessed == Date(parts=((2025, 1, 2),))
    assert [r.type for r in refs] == [
        "article-journal", "paper-conference", "chapter", "book", "webpage", "article-journal",
    ]  # fmt: skip
    for profile in ("default", "endnote", "zotero", "pandoc"):
        again, notes = read("\r\n".join(ris.record(r, profile) for r in refs).encode())
        assert notes == []
        assert [replace(r, provenance=None) for r in again] == [
            replace(r, provenance=None) for r in refs
        ]


# --- pandoc reads what we write ---------------------------------------------------------------

PANDOC_FIELDS = ("title", "author", "container-title", "volume", "issue", "page", "year", "DOI")


def pandoc_fields(item: dict[str, Any]) -> dict[str, Any]:
    out = {k: item.get(k) for k in PANDOC_FIELDS if k != "year"}
    parts = (item.get("issued") or {}).get("date-parts") or [[None]]
    out["year"] = parts[0][0]
    return out


def our_fields(ref: Reference) -> dict[str, Any]:
    item = csljson.to_csl(ref, ref.id)
    item["title"] = plain(ref.title) or None
    item["container-title"] = plain(ref.container_title) or None
    return pandoc_fields(item)


def pandoc_read(data: str, tmp_path: Path) -> list[dict[str, Any]]:
    path = tmp_path / "ours.ris"
    path.write_bytes(data.encode("utf-8"))
    done = subprocess.run(
        [pandoc(), "-f", "ris", "-t", "csljson", str(path)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
        timeout=300,
    )
    assert done.stderr == ""
    return json.loads(done.stdout)  # type: ignore[no-any-return]


@pytest.mark.parametrize("profile", ["default", "pandoc"])
def test_pandoc_reads_our_ris_back_to_the_same_fields(profile: str, tmp_path: Path) -> None:
    example, _ = read((EXAMPLES / "spm-43-2.ris").read_bytes())
    for refs in (example, varied()):
        items = pandoc_read("\r\n".join(ris.record(r, profile) for r in refs), tmp_path)
        assert len(items) == len(refs)
        for ref, item in zip(refs, items, strict=True):
            assert pandoc_fields(item) == our_fields(ref), ref.id
    items = pandoc_read("".join(ris.record(r, profile) for r in varied()), tmp_path)
    web, book = items[4], items[3]
    if profile == "pandoc":
        assert (web["type"], book["publisher-place"]) == ("webpage", "San Diego")
    else:  # what the pandoc profile is for: ELEC is not a pandoc type, CY not its place tag
        assert (web["type"], book.get("publisher-place")) == ("misc", None)


def test_zotero_conference_c3_and_pandoc_place_pp_are_read() -> None:
    refs, notes = read(
        b"TY  - CONF\r\nTI  - Paper\r\nT2  - ICASSP 2024\r\nC3  - Proc. ICASSP\r\n"
        b"CY  - Seoul\r\nER  - \r\n"
        b"TY  - BOOK\r\nTI  - Model Theory\r\nPP  - Amsterdam\r\nER  - \r\n"
        b"TY  - JOUR\r\nT2  - Trials\r\nC3  - PUBMED 21314913\r\nER  - \r\n"
    )
    assert notes == []
    assert (plain(refs[0].container_title), refs[0].event_title) == ("Proc. ICASSP", "ICASSP 2024")
    assert refs[0].publisher_place == "Seoul"
    assert refs[1].publisher_place == "Amsterdam"
    assert plain(refs[2].container_title) == "Trials"
    assert refs[2].extra == {"ris": {"C3": ("PUBMED 21314913",)}}


def test_no_line_break_of_any_kind_starts_a_fake_tag() -> None:
    ref = Reference(id="x", type="book", title=(Text("A\x85ER  - \x0bTY  - JOUR\u2028\x1cend"),))
    text = ris.record(ref)
    assert text.splitlines() == ["TY  - BOOK", "TI  - A ER  - TY  - JOUR end", "ER  - "]


def test_a_reference_with_nothing_ris_can_hold_keeps_its_id() -> None:
    ref = Reference(id="only-id", type="book")
    log = DiagnosticLog()
    out = io.StringIO(newline="")
    ris.write([ref], out, log, WriteOptions())
    back = list(ris.read(io.BytesIO(out.getvalue().encode()), "back.ris", DiagnosticLog()))
    assert out.getvalue() == "TY  - BOOK\r\nID  - only-id\r\nER  - \r\n"
    assert [r.id for r in back] == ["only-id"]


@pytest.mark.parametrize(
    ("codec", "note"),
    [
        ("utf-16", "t.ris:1: info[RIS012] input is UTF-16 with a byte order mark; decoded"),
        (
            "utf-16-be",
            "t.ris:1: warning[RIS012] input is UTF-16 without a byte order mark (utf-16-be); "
            "decoded",
        ),
    ],
)
def test_utf16_input_is_decoded_and_detected(codec: str, note: str) -> None:
    data = "TY  - JOUR\r\nTI  - Café\r\nKW  - a\r\nb\r\nER  - \r\n".encode(codec)
    refs, notes = read(data)
    assert [(r.title, r.keyword) for r in refs] == [((Text("Café"),), ("a", "b"))]
    assert notes == [note]
    assert registry.detect("export.txt", data).name == "ris"  # type: ignore[union-attr]


def test_continuation_lines_join_a_value_or_add_list_values() -> None:
    refs, notes = read(
        b"TY  - JOUR\nTI  - A long\n  title\nKW  - x\ny\nAB  - \nthe abstract\nER  - \n"
    )
    assert (refs[0].title, refs[0].keyword) == ((Text("A long title"),), ("x", "y"))
    assert refs[0].abstract == (Text("the abstract"),)
    assert notes == []


# --- found by the round-trip properties (tests/test_roundtrip_csljson_ris.py) -----------------


def _write_logged(ref: Reference) -> tuple[str, list[str]]:
    log = DiagnosticLog()
    out = io.StringIO(newline="")
    ris.write([ref], out, log, WriteOptions())
    return out.getvalue(), [str(d) for d in log]


def test_round_trip_regressions_names_pages_blank_values() -> None:
    ref = Reference(
        id="k",
        type="report",
        title=(Text("T"),),
        author=(
            Name(family="Gogh", non_dropping_particle="van"),  # was "van Gogh": family "van"
            Name(family="\n", suffix="Jr."),  # was ", , Jr.": family "Jr."
        ),
        page="12 -",  # was split into SP 12 and an empty EP: "12"
        publisher="\n",  # was an empty "PB  - " tag
    )
    text, notes = _write_logged(ref)
    assert (
        text == "TY  - RPRT\r\nAU  - van Gogh,\r\nAU  - Jr.\r\nTI  - T\r\nSP  - 12 -\r\nER  - \r\n"
    )
    assert notes == []
    (back,), _ = read(text.encode())
    assert (back.author, back.page, back.publisher) == (
        (Name(family="Gogh", non_dropping_particle="van"), Name(family="Jr.")),
        "12 -",
        "",
    )


def test_a_blank_value_alone_leaves_no_empty_record() -> None:
    text, _ = _write_logged(Reference(id="only-id", type="book", publisher=" \n "))
    assert text == "TY  - BOOK\r\nID  - only-id\r\nER  - \r\n"


def test_round_trip_regressions_dates_and_book_container() -> None:
    ref = Reference(
        id="k",
        type="book",
        title=(Text("T"),),
        container_title=(Text("Collected Works"),),  # was T2: read back as the series
        issued=Date(parts=((42, 13, 2), (43,)), circa=True),  # was "PY  - 42", "DA  - 42/13/02/"
        accessed=Date(parts=((2020, 2, 40),)),  # was "Y2  - 2020/02/40/": no date back
    )
    text, notes = _write_logged(ref)
    assert text == (
        "TY  - BOOK\r\nTI  - T\r\nPY  - 0042\r\nDA  - 0042///\r\nY2  - 2020/02//\r\nER  - \r\n"
    )
    assert notes == [
        "<input>: info[RIS001] container_title of a book has no RIS tag (T2 is the series); "
        "dropped",
        "<input>: info[RIS001] issued: the end of the range 43, circa, the month 13 and day 2 not "
        "expressible in a RIS date; dropped",
        "<input>: info[RIS001] accessed: the day 40 not expressible in a RIS date; dropped",
    ]
    (back,), _ = read(text.encode())
    assert (back.issued, back.accessed, back.container_title, back.collection_title) == (
        Date(parts=((42,),)),
        Date(parts=((2020, 2),)),
        (),
        "",
    )


def test_a_line_break_in_a_page_is_not_a_range() -> None:
    # "\n-0" is the page "-0" on one line; cut at the dash it lost its start page.
    assert ris.record(Reference(id="p", type="article", page="\n-0")) == (
        "TY  - GEN\r\nSP  - -0\r\nER  - \r\n"
    )
    assert ris.record(Reference(id="p", type="article", page=" 12 -\n15 ")) == (
        "TY  - GEN\r\nSP  - 12\r\nEP  - 15\r\nER  - \r\n"
    )
