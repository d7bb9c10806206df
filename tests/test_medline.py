"""The MEDLINE/PubMed (.nbib) reader: tags, continuation lines, dates, pages, detection."""

from __future__ import annotations

import io

import pytest

from citeport import registry
from citeport.diagnostics import DiagnosticLog
from citeport.formats import medline
from citeport.model import Date, Name, Provenance, Reference
from citeport.richtext import Text

from .conftest import CASES

TWO = CASES / "medline" / "two.nbib"


def read(data: bytes) -> tuple[list[Reference], list[str]]:
    log = DiagnosticLog()
    refs = list(medline.read(io.BytesIO(data), "t.nbib", log))
    return refs, [str(d) for d in log]


def test_two_records_exact() -> None:
    refs, notes = read(TWO.read_bytes())
    assert notes == []
    assert refs[0] == Reference(
        id="27169098",
        type="article-journal",
        title=(Text("Serum tumor markers: a study of their use in clinical practice."),),
        author=(
            Name(family="Shruthi", given="Basavaradhya Sahukar"),
            Name(family="Vinodhkumar", given="Palani"),
            Name(literal="Oral Cancer Group"),
        ),
        container_title=(Text("Advanced biomedical research"),),
        container_title_short="Adv Biomed Res",
        volume="5",
        issue="2",
        page="1166-1174",
        issued=Date(parts=((2016, 4, 19),)),
        doi="10.4103/2277-9175.180636",
        issn="2277-9175",
        pmid="27169098",
        language="eng",
        keyword=("neoplasia", "Biomarkers"),
        extra={"medline": {"OWN": ("NLM",), "PT": ("Journal Article",), "LID": ("67 [pii]",)}},
        provenance=Provenance("t.nbib", 1, 22),
    )
    assert refs[1].issued == Date(parts=((2011, 1), (2011, 2)))


def test_initials_only_and_doi_without_kind() -> None:
    refs, notes = read(
        b"OWN - ERIC\nTI  - X\nAU  - Benton MJ\nAID - doi:10.1000/b\nDP  - 2011 Spring\n"
    )
    assert refs[0].author == (Name(family="Benton", given="M. J."),)
    assert refs[0].doi == "10.1000/b"
    assert refs[0].issued == Date(parts=((2011,),), season="Spring")
    assert notes == ["t.nbib:1: warning[MED004] record has no PMID; its id is its line"]


def test_detection_beats_the_ris_extension() -> None:
    head = TWO.read_bytes()
    assert medline.sniff(head) == 95
    for name in ("export.txt", "export.ris", "export.nbib"):
        info = registry.detect(name, head)
        assert info is not None and info.name == "medline"


@pytest.mark.parametrize(
    ("dp", "issued"),
    [
        ("2011 Dec-2012 Jan", Date(parts=((2011, 12), (2012, 1)))),
        ("2016 Apr 19-25", Date(parts=((2016, 4, 19), (2016, 4, 25)))),
        ("2016 Apr 28-May 3", Date(parts=((2016, 4, 28), (2016, 5, 3)))),
        ("2016 Dec 28-2017 Jan 3", Date(parts=((2016, 12, 28), (2017, 1, 3)))),
        ("1998-1999", Date(parts=((1998,), (1999,)))),
        ("2011 Fall-Winter", Date(parts=((2011,),), season="Fall-Winter")),
        ("2011 Winter-2012 Spring", Date(parts=((2011,), (2012,)), season="Winter-Spring")),
        ("2013 06 10", Date(parts=((2013, 6, 10),))),
        ("2012 Feb 29", Date(parts=((2012, 2, 29),))),
    ],
)
def test_date_ranges_are_read_whole(dp: str, issued: Date) -> None:
    refs, notes = read(f"PMID- 1\nTI  - T\nDP  - {dp}\n".encode())
    assert (refs[0].issued, refs[0].extra, notes) == (issued, {}, [])


@pytest.mark.parametrize(
    ("dp", "issued", "shown"),
    [
        ("2016 Apr 25-19", Date(parts=((2016, 4, 25),)), "2016-4-25"),
        ("2011 Feb 29", Date(parts=((2011, 2),)), "2011-2"),
        ("2011 Jan 1st quarter", Date(parts=((2011, 1),)), "2011-1"),
        ("2011 Spring-Jun", Date(parts=((2011,),), season="Spring"), "2011 (Spring)"),
        ("2011 Foo", Date(parts=((2011,),)), "2011"),
    ],
)
def test_dates_only_partly_understood_are_reported_and_kept(
    dp: str, issued: Date, shown: str
) -> None:
    refs, notes = read(f"PMID- 1\nTI  - T\nDP  - {dp}\n".encode())
    assert refs[0].issued == issued
    assert refs[0].extra == {"medline": {"DP": (dp,)}}
    assert notes == [
        f"t.nbib:1: warning[MED007] date {dp!r} only partly understood; read as {shown}, "
        "DP kept in extra"
    ]


def test_a_date_without_a_year_is_a_literal() -> None:
    refs, notes = read(b"PMID- 1\nTI  - T\nDP  - Spring\n")
    assert refs[0].issued == Date(literal="Spring")
    assert notes == ["t.nbib:1: warning[MED003] date 'Spring' has no year; kept as written"]
