"""CSL-JSON reader: shapes of input, mapping, diagnostics with JSON pointers, round trips, pandoc."""

from __future__ import annotations

import io
import itertools
import json
import re
import subprocess
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import citeport
import citeport.keys
from citeport import Date, DiagnosticLog, Math, Name, NoCase, Styled, Text, WriteOptions
from citeport.formats import csljson
from citeport.markup import csl
from citeport.registry import detect

from .conftest import CASES, corpus_file
from .test_pandoc import pandoc

VARIED = CASES / "csljson" / "varied.json"


def read(data: bytes) -> tuple[list[Any], list[str]]:
    log = DiagnosticLog()
    refs = list(csljson.read(io.BytesIO(data), "in.json", log))
    return refs, [str(d) for d in log]


def write(refs: list[Any]) -> str:
    out = io.StringIO()
    csljson.write(refs, out, DiagnosticLog(), WriteOptions())
    return out.getvalue()


def test_markup_parse_reads_the_csl_subset_and_nothing_else() -> None:
    assert csl.parse('A <i>b</i> <span class="nocase">DNA</span> x<sup>2</sup>') == (
        Text("A "),
        Styled("italic", (Text("b"),)),
        Text(" "),
        NoCase((Text("DNA"),)),
        Text(" x"),
        Styled("sup", (Text("2"),)),
    )
    assert csl.parse('<span style="font-variant: small-caps">Sc</span>') == (
        Styled("smallcaps", (Text("Sc"),)),
    )
    assert csl.parse("a &amp; <jats:p>b</jats:p> <u>c</u>") == (
        Text("a &amp; <jats:p>b</jats:p> <u>c</u>"),
    )
    assert csl.parse("<i>open and </b> stray") == (Text("<i>open and </b> stray"),)
    assert csl.parse("<i>a<b>b</i>c</b>") == (
        Styled("italic", (Text("a<b>b"),)),
        Text("c</b>"),
    )
    assert csl.parse("$\\ell^1$ costs $5 or $10") == (Math("\\ell^1"), Text(" costs $5 or $10"))
    assert csl.parse("") == ()


@pytest.mark.parametrize(
    "source",
    ["plain", "<i>x</i> and <b><sub>y</sub></b>", '<span class="nocase">A<i>b</i></span>', "$x$"],
)
def test_markup_parse_inverts_render(source: str) -> None:
    assert csl.render(csl.parse(source)) == source


def test_varied_fixture_maps_every_field() -> None:
    refs, notes = read(VARIED.read_bytes())
    first, second, third = refs
    assert first.id == first.citation_key == "lovelace1843notes"
    assert first.title == (
        Text("Notes on the "),
        Styled("italic", (Text("Analytical Engine"),)),
        Text(" of "),
        NoCase((Text("Babbage"),)),
    )
    assert first.author == (
        Name(family="Lovelace", given="Ada"),
        Name(family="Gogh", given="Vincent", non_dropping_particle="van"),
        Name(family="King", given="Martin Luther", suffix="Jr."),
        Name(literal="Analytical Society"),
    )
    assert (first.volume, first.issue, first.page) == ("3", "7", "666-731")
    assert first.issued == Date(parts=((1843, 9),))
    assert first.container_title_short == "Sci. Mem."
    assert first.keyword == ("computing", "history")
    assert first.extra == {"csl": {"custom": {"reviewed": True}}}
    assert second.issued == Date(parts=((2020, 5, 4),))
    assert second.event_date == Date(parts=((2020, 5, 4), (2020, 5, 8)))
    assert second.editor == (Name(family="Beethoven", given="Ludwig", dropping_particle="van"),)
    assert second.extra == {"csl": {"original-date": {"date-parts": [[2019]]}, "version": "2"}}
    assert third.issued == Date(parts=((2001,),), season="Spring", circa=True)
    assert third.edition == "2"
    assert third.abstract == (
        Text("Uses "),
        Math("\\ell^1"),
        Text(" & 50% of "),
        Styled("bold", (Text("bold"),)),
        Text(" claims."),
    )
    assert notes == [
        "in.json:37: info[CSL106] /2/short_url is not a CSL 1.0.2 variable; kept in custom"
    ]


def test_round_trip_writes_the_same_items_back() -> None:
    refs, _ = read(VARIED.read_bytes())
    items = json.loads(write(refs))
    source = json.loads(VARIED.read_bytes())
    assert [i["id"] for i in items] == [i["id"] for i in source]
    assert items[0]["volume"] == "3" and items[0]["container-title-short"] == "Sci. Mem."
    assert items[0]["issued"] == {"date-parts": [[1843, 9]]}
    assert items[0]["custom"] == {"reviewed": True}
    assert items[1]["version"] == "2" and items[1]["original-date"] == {"date-parts": [[2019]]}
    assert items[1]["issued"] == {"date-parts": [[2020, 5, 4]]}
    assert items[2]["director"] == [{"family": "Hitchcock", "given": "Alfred"}]
    assert items[2]["custom"] == {"short_url": "https://example.org/s"}
    for old, new in zip(source, items, strict=True):
        for key in ("title", "container-title", "abstract", "author", "editor", "page", "DOI"):
            assert new.get(key) == old.get(key), key
    again, notes = read(write(refs).encode())
    assert write(again) == write(refs)
    assert notes == []


def test_our_output_validates_against_the_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(corpus_file("csljson/schema/csl-data.json").read_text(encoding="utf-8"))
    for path in (VARIED, CASES / "csljson" / "broken.json", CASES / "csljson" / "lines.jsonl"):
        refs, _ = read(path.read_bytes())
        jsonschema.validate(json.loads(write(refs)), schema)


def test_broken_items_are_reported_with_json_pointers_and_skipped() -> None:
    refs, notes = read((CASES / "csljson" / "broken.json").read_bytes())
    assert [r.id for r in refs] == ["ok1", "ok2", "item-4"]
    assert refs[0].author == (Name(family="7"), Name(family="Hopper", given="Grace"))
    assert refs[1].type == "article-journal" and refs[1].issued is None
    assert refs[2].title == (Text("First"),)
    assert refs[2].issued == Date(parts=((2018, 10, 21),))
    assert refs[2].extra == {"csl": {"title-others": ["Second"]}}
    assert notes == [
        "in.json:2: warning[CSL105] /0/author/0/family is a number (7), expected a string; read as '7'",
        "in.json:2: warning[CSL105] /0/author/0/given is a list, expected a string; dropped",
        "in.json:2: warning[CSL105] /0/author/1 is a string, expected a name object; read as a name",
        "in.json:3: error[CSL102] item /1 not a CSL-JSON item ('42'), skipped",
        "in.json:4: warning[CSL107] /2/issued/date-parts/0 has no year; dropped",
        "in.json:4: warning[CSL105] /2/volume is null, expected a value; dropped",
        "in.json:4: warning[CSL104] /2/type 'journal-article' is Crossref's type; read as article-journal",
        "in.json:5: warning[CSL103] /3: item has no usable id (None); read as item-4",
        "in.json:5: warning[CSL105] /3/title is a list, expected a string; read as 'First', the others kept in custom",
        "in.json:5: warning[CSL107] /3/issued/date-parts/0 has 4 parts; kept 3",
        "in.json:5: info[CSL108] /3/issued date properties with no place in the model dropped: date-time",
        "in.json:6: error[CSL101] item /4: invalid JSON (unexpected control character in string), skipped",
    ]


def test_json_lines_and_a_single_object() -> None:
    refs, notes = read((CASES / "csljson" / "lines.jsonl").read_bytes())
    assert [(r.id, r.type) for r in refs] == [("a1", "book"), ("a2", "report")]
    assert refs[1].issued == Date(literal="Spring 2020")
    assert notes == [
        "in.json:2: error[CSL102] not a CSL-JSON item ('not json at all'), skipped",
        "in.json:3: warning[CSL107] /issued/raw 'Spring 2020' is not a date; kept as literal",
    ]
    single, notes = read(b'\xef\xbb\xbf{\n "id": 12,\n "type": "webpage",\n "title": "T"\n}\n')
    assert [(r.id, r.citation_key, r.type) for r in single] == [("12", "12", "webpage")]
    assert notes == []


def test_streams_items_across_read_chunks() -> None:
    items = [{"id": f"k{i}", "type": "book", "title": "x" * 5000 + '"\\]}{['} for i in range(40)]
    data = json.dumps(items, indent=1).encode()
    refs, notes = read(data)
    assert len(data) > 3 * (1 << 16)
    assert [r.id for r in refs] == [f"k{i}" for i in range(40)]
    assert notes == []
    assert refs[39].provenance is not None and refs[39].provenance.line == 1 + 39 * 5 + 1


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", ([], [])),
        (b"[]", ([], [])),
        (
            b"[1, 2]",
            (
                [],
                [
                    "in.json:1: error[CSL102] item /0 not a CSL-JSON item ('1'), skipped",
                    "in.json:1: error[CSL102] item /1 not a CSL-JSON item ('2'), skipped",
                ],
            ),
        ),
        (b'[{"id": "a", "type": "book"}', (["a"], [])),
        (
            b"{",
            (
                [],
                ["in.json:1: error[CSL101] item /: invalid JSON (unexpected end of data), skipped"],
            ),
        ),
        (b'"text"', ([], ["in.json:1: error[CSL102] not a CSL-JSON item ('\"text\"'), skipped"])),
        (
            b"[{}]",
            ([], ["in.json:1: error[CSL102] item /0 holds no CSL variable (nothing), skipped"]),
        ),
    ],
)
def test_odd_inputs_never_raise(data: bytes, expected: tuple[list[str], list[str]]) -> None:
    refs, notes = read(data)
    assert ([r.id for r in refs], notes) == expected


def test_sniff_tells_csl_json_from_crossref_and_aggregator() -> None:
    assert detect("x.json", VARIED.read_bytes()[:8192]).name == "csljson"  # type: ignore[union-attr]
    assert detect("x.jsonl", (CASES / "csljson" / "lines.jsonl").read_bytes()).name == "csljson"  # type: ignore[union-attr]
    crossref = (CASES / "crossref" / "mathml.json").read_bytes()
    assert csljson.sniff(crossref) == 0
    assert detect("x.json", crossref).name == "crossref"  # type: ignore[union-attr]
    assert csljson.sniff(b'{"title": "x", "authors": "A B", "journal": {}}') == 0


PANDOC_FIELDS = ("title", "author", "container-title", "volume", "issue", "page", "DOI", "issued")


def test_pandoc_reads_our_csl_json_back_to_the_same_fields(tmp_path: Any) -> None:
    refs, _ = read(VARIED.read_bytes())
    ours = json.loads(write(refs))
    path = tmp_path / "ours.json"
    path.write_text(json.dumps(ours), encoding="utf-8")
    done = subprocess.run(
        [pandoc(), "-f", "csljson", "-t", "csljson", str(path)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
        timeout=300,
    )
    theirs = {item["id"]: item for item in json.loads(done.stdout)}
    for item in ours:
        want = {k: item.get(k) for k in PANDOC_FIELDS}
        got = {k: theirs[item["id"]].get(k) for k in PANDOC_FIELDS}
        # pandoc writes no nocase spans (it applies them when rendering) and drops `season`
        want["title"] = re.sub(r'<span class="nocase">(.*?)</span>', r"\1", want["title"])
        if want["issued"]:
            want["issued"] = {k: v for k, v in want["issued"].items() if k != "season"}
        assert got == want


def test_each_value_of_an_array_that_is_not_an_object_is_one_skipped_item() -> None:
    log = DiagnosticLog()
    data = b'[1, {"id": "a", "type": "book"},\n "x, y", null, [2], 3]'
    refs = list(csljson.read(io.BytesIO(data), "in.json", log))
    assert [r.id for r in refs] == ["a"]
    assert log.skipped == 5
    assert [str(d) for d in log] == [
        "in.json:1: error[CSL102] item /0 not a CSL-JSON item ('1'), skipped",
        "in.json:2: error[CSL102] item /2 not a CSL-JSON item ('\"x, y\"'), skipped",
        "in.json:2: error[CSL102] item /3 not a CSL-JSON item ('null'), skipped",
        "in.json:2: error[CSL102] item /4 is a JSON list, not an object, skipped",
        "in.json:2: error[CSL102] item /5 not a CSL-JSON item ('3'), skipped",
    ]


def test_season_months_become_seasons_and_bad_months_and_days_are_reported() -> None:
    items = [
        {"id": "spring", "type": "book", "issued": {"date-parts": [[2020, 13]]}},
        {"id": "range", "type": "book", "issued": {"date-parts": [[2020, 21], [2020, 22]]}},
        {"id": "years", "type": "book", "issued": {"date-parts": [[2011, 16], [2012, 13]]}},
        {"id": "given", "type": "book", "issued": {"date-parts": [[2020, 24]], "season": "Hiver"}},
        {"id": "m17", "type": "book", "issued": {"date-parts": [[2020, 17, 3]]}},
        {"id": "m0", "type": "book", "accessed": {"date-parts": [["2020", "0"]]}},
        {"id": "feb30", "type": "book", "issued": {"date-parts": [[2021, 2, 30]]}},
    ]
    refs, notes = read(json.dumps(items).encode())
    dates = {r.id: r.issued or r.accessed for r in refs}
    assert dates == {
        "spring": Date(parts=((2020,),), season="Spring"),
        "range": Date(parts=((2020,),), season="Spring-Summer"),
        "years": Date(parts=((2011,), (2012,)), season="Winter-Spring"),
        "given": Date(parts=((2020,),), season="Hiver"),
        "m17": Date(parts=((2020,),)),
        "m0": Date(parts=((2020,),)),
        "feb30": Date(parts=((2021, 2),)),
    }
    assert refs[4].extra == {"csl": {"issued-date-parts": [[2020, 17, 3]]}}
    assert refs[5].extra == {"csl": {"accessed-date-parts": [["2020", "0"]]}}
    assert notes == [
        "in.json:1: warning[CSL109] /4/issued/date-parts/0/1 month 17 is out of range; "
        "dropped, the date-parts kept in custom",
        "in.json:1: warning[CSL109] /5/accessed/date-parts/0/1 month 0 is out of range; "
        "dropped, the date-parts kept in custom",
        "in.json:1: warning[CSL109] /6/issued/date-parts/0/2 day 30 is out of range for month 2; "
        "dropped, the date-parts kept in custom",
    ]
    # what BibTeX and IEEE then get: a season, never a month 13
    item = json.loads(write(refs[:1]))[0]
    assert item["issued"] == {"date-parts": [[2020]], "season": "Spring"}


@pytest.mark.parametrize(
    ("given", "note"),
    [
        ("https://doi.org/10.1/X", "'https://doi.org/10.1/X' read as the DOI '10.1/X'"),
        ("http://dx.doi.org/10.1/X", "'http://dx.doi.org/10.1/X' read as the DOI '10.1/X'"),
        ("doi:10.1/X", "'doi:10.1/X' read as the DOI '10.1/X'"),
        (" 10.1/X ", None),
    ],
)
def test_dois_are_read_bare(given: str, note: str | None) -> None:
    refs, notes = read(json.dumps([{"id": "a", "type": "book", "DOI": given}]).encode())
    assert refs[0].doi == "10.1/X"
    assert notes == ([f"in.json:1: info[CSL110] /0/DOI {note}"] if note else [])
    out = io.StringIO()
    citeport.write(refs, out, "bibtex")
    assert "doi = {10.1/X}" in out.getvalue() and "doi.org" not in out.getvalue()


class _Trickle(io.RawIOBase):
    """A stream that hands out `step` bytes a read, so items are cut at every offset."""

    def __init__(self, data: bytes, step: int) -> None:
        self._data, self._pos, self._step = data, 0, step

    def read(self, size: int = -1) -> bytes:
        out = self._data[self._pos : self._pos + self._step]
        self._pos += len(out)
        return out


def test_items_are_split_the_same_whole_or_cut_at_any_offset() -> None:
    deep = b'{"id": "deep", "x": ' + b"[" * 12 + b'"]}"' + b"]" * 12 + b"}"  # past the C matcher
    data = (
        b'[\n{"id": "a", "title": "q\\"]}{[\\\\", "issued": {"date-parts": [[2020, 1]]}},\n'
        + deep
        + b',\n 7, "s]", \n{"id": "c\\\\"}\n]'
    )
    expected = [
        (2, b'{"id": "a", "title": "q\\"]}{[\\\\", "issued": {"date-parts": [[2020, 1]]}}', False),
        (3, deep, False),
        (4, b"7", True),
        (4, b'"s]"', True),
        (5, b'{"id": "c\\\\"}', False),
    ]
    assert [piece[:3] for piece in csljson._pieces(data, _Trickle(b"", 1))] == expected
    for step in (1, 2, 3, 7, 50):
        pieces = csljson._pieces(b"", _Trickle(data, step))
        assert [piece[:3] for piece in pieces] == expected, step


def test_items_of_an_indented_array_are_split_and_parsed_as_by_the_bracket_scan() -> None:
    items = [
        {"id": "a", "title": "Curly } and\\n  } in a value", "note": "{\n}"},
        {"id": "b", "issued": {"date-parts": [[2020, 1]]}, "custom": {"x": {"y": [1]}}},
        {"id": "c"},
    ]
    data = orjson.dumps(items, option=orjson.OPT_INDENT_2) + b"\n"
    expected = [
        (2, orjson.dumps(item, option=orjson.OPT_INDENT_2).replace(b"\n", b"\n  "), False, item)
        for item in items
    ]
    expected[1] = (7, *expected[1][1:])
    expected[2] = (25, *expected[2][1:])
    assert list(csljson._pieces(data, _Trickle(b"", 1))) == expected  # found by `_indented`
    for step in (1, 5, 64, 200):  # items cut off by a read: found by the bracket scan
        pieces = csljson._pieces(b"", _Trickle(data, step))
        assert [(line, raw, junk, orjson.loads(raw)) for line, raw, junk, _ in pieces] == expected
    # Laid out otherwise (a closing line at the item's indentation inside it): scanned
    odd = b'[\n  {"id": "d", "x": {\n  }, "y": 1\n  }\n]'
    assert list(csljson._pieces(odd, _Trickle(b"", 1))) == [
        (2, b'{"id": "d", "x": {\n  }, "y": 1\n  }', False, None)
    ]


def _expected_output(refs: list[Any]) -> str:
    """The writer's output made the plain way: each item built with its key, then dumped."""
    keys = citeport.keys.CitationKeys()
    texts = []
    for ref in refs:
        text = orjson.dumps(csljson.to_csl(ref, keys.assign(ref)), option=orjson.OPT_INDENT_2)
        texts.append("\n  " + text.decode().replace("\n", "\n  "))
    return "[" + ",".join(texts) + ("\n]\n" if texts else "]\n")


def test_items_rendered_before_their_key_is_known_come_out_as_if_rendered_with_it() -> None:
    same = {"type": "book", "title": "Same", "author": [{"family": "Doe"}], "issued": 2001}
    data = [
        {"id": "doe2001same", **same},  # its own key
        {"id": "doe2001same", **same},  # a duplicate: doe2001samea, source-id added
        {"id": "has space", **same},  # no valid key of its own: doe2001same is taken too
        {"id": "ref", "citation-key": "doe2001same", "type": "book"},  # gets its id: no source-id
        {"id": "k1", "citation-key": "doe2001samea", "type": "book"},  # its key is taken
        {"id": "k2", "type": "book", "custom": {"source-id": "old", "n": 1}},
        {"id": "k2", "type": "book", "custom": {"source-id": "old", "n": 1}},
        {"id": "k3", "type": "book", "title": "\u0000key\u0000", "note": "\u0000key\u0000"},
        {"id": "k3", "type": "book", "note": "x", "custom": {"f": 1.5, "deep": [[None, True]]}},
        # its key is taken and the one it gets is its id: no source-id, unlike in its text
        {"id": "doe2001samec", "citation-key": "doe2001same", **same},
    ]
    refs, _ = read(json.dumps(data).encode())
    out = write(refs)
    assert out == _expected_output(refs)
    items = json.loads(out)
    assert [i["id"] for i in items] == [
        "doe2001same",
        "doe2001samea",
        "doe2001sameb",
        "ref",
        "refa",
        "k2",
        "refb",
        "k3",
        "refc",
        "doe2001samec",
    ]
    assert [i.get("custom") for i in items] == [
        None,
        {"source-id": "doe2001same"},
        {"source-id": "has space"},
        None,
        {"source-id": "k1"},
        {"source-id": "old", "n": 1},
        {"source-id": "old", "n": 1},  # the input's own source-id wins, as before
        None,
        {"source-id": "k3", "f": 1.5, "deep": [[None, True]]},
        None,
    ]
    assert items[7]["title"] == items[7]["note"] == "\u0000key\u0000"


_DATE_PIECE = st.one_of(
    st.integers(-2, 10001),
    st.sampled_from((0, 1, 12, 13, 21, 28, 29, 31, 1999, 9999)),
    st.sampled_from(("2020", "5", "", None, True, 2020.0, 3.5)),
)


@settings(max_examples=600, deadline=None)
@given(parts=st.one_of(st.lists(st.lists(_DATE_PIECE, max_size=4), max_size=3), _DATE_PIECE))
def test_simple_date_shortcut_reads_as_the_full_path(parts: Any) -> None:
    """A date of plain date-parts takes `_simple_date`; with a no-op `circa: null` member the
    same date goes through every check: both must give the same date and diagnostics."""
    assert _read_issued({"date-parts": parts}) == _read_issued({"date-parts": parts, "circa": None})


def test_simple_date_shortcut_on_every_edge() -> None:
    """Every year, month and day edge, exhaustively (the random shapes above rarely hit them)."""
    years, months = (-1, 0, 1, 1900, 2000, 2023, 9999, 10000), (-1, 0, 1, 2, 4, 12, 13, 21, 25)
    for y, m, d in itertools.product(years, months, (-1, 0, 1, 28, 29, 30, 31, 32)):
        for parts in ([[y]], [[y, m]], [[y, m, d]]):
            plain = _read_issued({"date-parts": parts})
            assert plain == _read_issued({"date-parts": parts, "circa": None}), parts


def _read_issued(issued: dict[str, Any]) -> tuple[Any, list[tuple[str, str, str]]]:
    log = DiagnosticLog()
    item = {"id": "a", "type": "book", "title": "T", "issued": issued}
    refs = list(csljson.read(io.BytesIO(orjson.dumps([item])), "in.json", log))
    found = [(d.code, d.message, d.location.field) for d in log]
    return (refs[0].issued if refs else "skipped"), found


def test_simple_date_shortcut_is_taken_only_for_checked_values() -> None:
    assert csljson._simple_date([[2020, 2, 28]]) == Date(parts=((2020, 2, 28),))
    assert csljson._simple_date([[2020]]) == Date(parts=((2020,),))
    for parts in (
        [[2020, 2, 29]],
        [[2020, 13]],
        [[0]],
        [["2020"]],
        [[2020, True]],
        [[2020], [2021]],
        [[]],
        [2020],
    ):
        assert csljson._simple_date(parts) is None
