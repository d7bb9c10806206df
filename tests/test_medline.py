"""The MEDLINE/PubMed (.nbib) reader: tags, continuation lines, dates, pages, detection."""

from __future__ import annotations

import io

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
