"""Crossref works JSON reader: envelopes, mapping, JATS and MathML, ORCID in extra, types."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest

from citeport import Date, DiagnosticLog, Math, Name, Styled, Text, WriteOptions
from citeport.formats import crossref, csljson
from citeport.markup.mathml import mathml_to_tex

from .conftest import CASES

MATHML = CASES / "crossref" / "mathml.json"


def read(data: bytes) -> tuple[list[Any], list[str]]:
    log = DiagnosticLog()
    refs = list(crossref.read(io.BytesIO(data), "w.json", log))
    return refs, [str(d) for d in log]


def test_work_in_a_message_maps_every_field() -> None:
    (ref,), notes = read(MATHML.read_bytes())
    assert ref.id == ref.doi == "10.1109/example.2026.0001"
    assert ref.type == "paper-conference"
    assert ref.title == (
        Text("Fast "),
        Math("{\\ell}^{1}"),
        Text(" recovery for "),
        Styled("italic", (Text("E. coli"),)),
        Text(" arrays: A study"),
    )
    assert ref.author == (
        Name(family="Le", given="Quoc-Tung"),
        Name(family="Berg", given="Vincent", non_dropping_particle="van der"),
        Name(literal="Signal Processing Society"),
    )
    assert ref.container_title == (
        Text(
            "ICASSP 2026 - IEEE International Conference on Acoustics, Speech and Signal Processing"
        ),
    )
    assert (ref.page, ref.number, ref.container_title_short) == ("1-5", "1234", "")
    assert ref.issued == Date(parts=((2026, 4),))  # published-print first
    assert ref.event_title == "ICASSP 2026" and ref.event_place == "Barcelona, Spain"
    assert ref.event_date == Date(parts=((2026, 5, 4), (2026, 5, 8)))
    assert (ref.issn, ref.isbn, ref.keyword) == (
        "1520-6149, 2379-190X",
        "979-8-3503-0000-0",
        ("Signal Processing",),
    )
    assert ref.abstract == (
        Text("We bound the "),
        Math("\\frac{a}{b}"),
        Text(" ratio and the "),
        Math("\\nu"),
        Text(" term."),
    )
    assert ref.extra == {
        "crossref": {
            "license": [
                {
                    "URL": "https://ieeexplore.ieee.org/Xplorehelp/downloads/license-information/IEEE.html"
                }
            ],
            "author-details": [
                {
                    "name": "Le, Quoc-Tung",
                    "ORCID": "https://orcid.org/0000-0002-1825-0097",
                    "affiliation": ["Inria, Lyon, France"],
                }
            ],
            "published-online": {"date-parts": [[2026, 3, 20]]},
        }
    }
    assert notes == [
        "w.json: info[XREF005] Crossref bookkeeping 'indexed' dropped",
        "w.json: info[XREF005] Crossref bookkeeping 'reference-count' dropped",
        "w.json: warning[XREF006] abstract: MathML not converted to TeX; kept its alttext",
    ]


def test_bare_work_list_and_json_lines() -> None:
    work = json.loads(MATHML.read_bytes())["message"]
    bare, _ = read(json.dumps(work).encode())
    listed, _ = read(json.dumps({"message": {"items": [work, 7, work]}}).encode())
    assert [r.id for r in bare] == [work["DOI"]]
    assert [r.id for r in listed[:2]] == [work["DOI"]] * 2
    _, notes = read(json.dumps({"message": {"items": [7]}}).encode())
    assert notes == ["w.json: error[XREF002] /message/items/0 is int, not a Crossref work, skipped"]
    lines = (json.dumps(work) + "\nnot json\n" + json.dumps({"message": work}) + "\n").encode()
    refs, notes = read(lines)
    assert len(refs) == 2
    assert "w.json:2: error[XREF001] line is not JSON" in notes[3]  # after 2 XREF005, XREF006


@pytest.mark.parametrize(
    ("data", "note"),
    [
        (b"[]", "w.json:1: error[XREF002] input is a JSON array, not a Crossref response (CSL-JSON?); nothing read"),
        (b"{", "w.json:1: error[XREF001] input is not JSON (unexpected end of data); nothing read"),
        (b'{"status": "failed", "message": "Resource not found."}', "w.json:1: error[XREF002] Crossref answered status 'failed': 'Resource not found.'; nothing read"),
        (b'{"foo": 1}', "w.json:1: error[XREF002] object is not a Crossref work (no DOI, title or type); nothing read"),
    ],
)  # fmt: skip
def test_what_is_not_a_work_is_reported(data: bytes, note: str) -> None:
    assert read(data) == ([], [note])


def test_type_mapping_and_odd_values() -> None:
    work = {
        "DOI": "10.1/x",
        "type": "posted-content",
        "title": "A plain string title",
        "author": [{"given": "Ann"}, {"ORCID": "x"}],
        "volume": 4,
        "journal-issue": {"issue": "2"},
        "issued": {"date-parts": [[None]]},
        "published-online": {"date-parts": [["2020"]]},
    }
    (ref,), notes = read(json.dumps(work).encode())
    assert (ref.type, ref.title, ref.volume, ref.issue) == (
        "article",
        (Text("A plain string title"),),
        "4",
        "2",
    )
    assert ref.author == (Name(literal="Ann"),)
    assert ref.issued is None
    assert notes == [
        "w.json: warning[XREF004] /author/1 has no name; dropped",
        "w.json: warning[XREF004] /published-online is dict, expected date-parts of numbers; kept in extra",
    ]
    (odd,), notes = read(b'{"DOI": "10.1/y", "type": "mystery"}')
    assert odd.type == "document"
    assert notes == ["w.json: warning[XREF003] type 'mystery' is unknown; read as document"]
    assert crossref.TYPES["journal-article"] == "article-journal"
    assert crossref.TYPES["book-chapter"] == "chapter"


@pytest.mark.parametrize(
    ("mathml", "tex"),
    [
        ("<math><msub><mi>x</mi><mn>2</mn></msub></math>", "{x}_{2}"),
        ("<mml:math><mml:msqrt><mml:mi>α</mml:mi></mml:msqrt></mml:math>", "\\sqrt{\\alpha}"),
        ("<math><mover><mi>x</mi><mo>^</mo></mover><mo>≤</mo><mn>1</mn></math>", "\\hat{x}\\leq 1"),
        ("<math><mtext>if</mtext><mi>sin</mi></math>", "\\text{if}\\mathrm{sin}"),
        ("<math><mtable/></math>", None),
        ("<math><mi>x</math>", None),
    ],
)
def test_mathml_to_tex(mathml: str, tex: str | None) -> None:
    assert mathml_to_tex(mathml) == tex


def test_crossref_to_csl_json_keeps_orcid_under_custom() -> None:
    refs, _ = read(MATHML.read_bytes())
    out = io.StringIO()
    csljson.write(refs, out, DiagnosticLog(), WriteOptions())
    (item,) = json.loads(out.getvalue())
    assert item["title"] == "Fast ${\\ell}^{1}$ recovery for <i>E. coli</i> arrays: A study"
    assert item["custom"]["author-details"][0]["ORCID"] == "https://orcid.org/0000-0002-1825-0097"
    assert item["number"] == "1234" and item["page"] == "1-5"


def test_dates_seasons_and_out_of_range_parts() -> None:
    work = {
        "DOI": "10.1/s",
        "type": "journal-article",
        "published-print": {"date-parts": [[2019, 22]]},
        "published-online": {"date-parts": [[2019, 4, 31]]},
    }
    (ref,), notes = read(json.dumps(work).encode())
    assert ref.issued == Date(parts=((2019,),), season="Summer")
    assert ref.extra == {"crossref": {"published-online": {"date-parts": [[2019, 4, 31]]}}}
    work["published-print"] = {"date-parts": [[2019, 0, 5]]}
    (ref,), notes = read(json.dumps(work).encode())
    assert ref.issued == Date(parts=((2019,),))
    assert ref.extra["crossref"]["published-print"] == {"date-parts": [[2019, 0, 5]]}
    assert notes == [
        "w.json: warning[XREF007] /published-print/date-parts/0/1 month 0 is out of range; "
        "dropped, the date kept in extra"
    ]


def test_doi_links_are_read_bare() -> None:
    (ref,), notes = read(b'{"DOI": "https://doi.org/10.1/X", "type": "book", "title": ["T"]}')
    assert (ref.id, ref.doi) == ("10.1/X", "10.1/X")
    assert notes == ["w.json: info[XREF008] /DOI 'https://doi.org/10.1/X' read as the DOI '10.1/X'"]
    out = io.StringIO()
    csljson.write([ref], out, DiagnosticLog(), WriteOptions())
    assert json.loads(out.getvalue())[0]["DOI"] == "10.1/X"


class _NoWholeRead(io.BytesIO):
    """A stream that refuses to be read whole: JSON lines must come a line at a time."""

    def read(self, size: int | None = -1) -> bytes:
        assert size is not None and size >= 0, "read the whole input"
        return super().read(size)

    def readall(self) -> bytes:
        raise AssertionError("read the whole input")


def test_json_lines_are_streamed_and_each_line_may_be_a_response() -> None:
    work = {"DOI": "10.1/a", "type": "book", "title": ["A"]}
    lines = [
        json.dumps(work),
        "",
        json.dumps({"message": {"items": [{**work, "DOI": "10.1/b"}, 5]}}),
        "{cut",
        json.dumps({"type": "book", "title": ["no DOI"]}),
    ] + [json.dumps({**work, "DOI": f"10.1/n{i}"}) for i in range(20_000)]
    data = ("\n".join(lines) + "\n").encode()
    stream = _NoWholeRead(data)
    log = DiagnosticLog()
    refs = crossref.read(stream, "w.jsonl", log)
    assert next(refs).id == "10.1/a"
    assert stream.tell() < len(data) // 2  # the first work came before the input was all read
    rest = list(refs)
    assert [(r.id, r.provenance.line) for r in rest[:3]] == [
        ("10.1/b", 3),
        ("work-5", 5),
        ("10.1/n0", 6),
    ]
    assert len(rest) == 3 + 19_999
    assert [str(d) for d in log] == [
        "w.jsonl:3: error[XREF002] /message/items/1 is int, not a Crossref work, skipped",
        "w.jsonl:4: error[XREF001] line is not JSON (unexpected character, expected a string key), skipped",
    ]
    # one pretty-printed document is read whole, its works without line numbers
    pretty = json.dumps({"message": work}, indent=2).encode()
    (one,), notes = read(pretty)
    assert (one.id, one.provenance, notes) == ("10.1/a", None, [])
