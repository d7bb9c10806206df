"""The CSL-JSON reader's fast paths give what its general paths give.

The splitter takes the items of an indented array by their layout (`_indented`, then the items
that follow it in a row); `_pieces(..., layout=False)` finds every value by the bracket scan,
the reference here. `from_csl` reads plain and rich-text strings without `_Item.variable`; the
reference is `_Item.variable` for every variable. Serial and `-j 2` runs of inputs whose layout
is almost an indented array's (a closing line inside an item, escaped line breaks in strings,
junk between items) give the same bytes and diagnostics.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

from citeport import parallel
from citeport.convert import convert
from citeport.diagnostics import DiagnosticLog, Location
from citeport.formats import csljson

from .test_csljson import _Trickle

_ITEMS: list[dict[str, Any]] = [
    {"id": "a", "type": "book", "title": "Escaped \n  },\n  { in a title", "note": "}\n]"},
    {"id": "b", "issued": {"date-parts": [[2020, 1]]}, "custom": {"x": [[1, [2, {"y": "z"}]]]}},
    {"id": "c", "author": [{"family": "Doe", "given": "J."}], "title": "<i>x</i> $a$"},
    {"id": "d"},
]


def _indented(items: list[dict[str, Any]], newline: bytes = b"\n") -> bytes:
    text = orjson.dumps(items, option=orjson.OPT_INDENT_2) + b"\n"
    return text.replace(b"\n", newline)


#: Arrays laid out as citation-js and this writer lay them out, and ways of almost doing so.
LAYOUTS = {
    "indented": _indented(_ITEMS),
    "crlf": _indented(_ITEMS, b"\r\n"),
    "junk between items": _indented(_ITEMS).replace(b"},\n  {", b'},\n  7, "s\\n  },",\n  {', 1),
    "item on one line": _indented(_ITEMS).replace(
        b'  {\n    "id": "d"\n  }', b'  {"id": "d"},\n  {"id": "e"}'
    ),
    # each after an item laid out as usual, so the run of items meets it
    "closing line inside an item": b'[\n  {\n    "id": "e"\n  },\n  {"id": "f", "x": {\n  },\n'
    b'  "y": 1\n  },\n  {"id": "g"\n  }\n]',
    "nested array at the items' indentation": b'[\n  {\n    "id": "e"\n  },\n  {"id": "h", "x": ['
    b'\n  {\n  },\n  {\n  }]\n  },\n  {"id": "i"\n  }\n]',
    "unclosed string": b'[\n  {\n    "id": "e"\n  },\n  {"id": "j", "title": "open\n  },\n'
    b'  {"id": "k"\n  },\n  {"id": "l"\n  }\n]',
    "broken item": _indented(_ITEMS).replace(b'"id": "b"', b'"id": "b" "x"'),
    "array of arrays": b'[\n  [\n    1\n  ],\n  {\n    "id": "m"\n  }\n]',
    "closing line, no comma": _indented(_ITEMS).replace(b"},\n  {", b"}\n  {", 1),
}


@pytest.mark.parametrize("name", sorted(LAYOUTS))
def test_layout_path_finds_the_pieces_the_bracket_scan_finds(name: str) -> None:
    data = LAYOUTS[name]
    expected = [piece[:3] for piece in csljson._pieces(data, _Trickle(b"", 1), layout=False)]
    assert all(value is None for *_, value in csljson._pieces(data, _Trickle(b"", 1), False))
    for step in (1, 2, 5, 64, 1000, len(data)):
        pieces = list(csljson._pieces(b"", _Trickle(data, step)))
        assert [piece[:3] for piece in pieces] == expected, step
        for _, raw, _, value in pieces:
            if value is not None:  # parsed on the way: exactly what parsing the piece gives
                assert value == orjson.loads(raw)


def test_a_run_of_indented_items_is_parsed_on_the_way() -> None:
    data = LAYOUTS["crlf"]
    pieces = list(csljson._pieces(data, _Trickle(b"", 1)))
    assert [(line, value) for line, _, _, value in pieces] == [
        (2, _ITEMS[0]),
        (8, _ITEMS[1]),
        (32, _ITEMS[2]),
        (42, _ITEMS[3]),
    ]


def test_an_item_longer_than_the_read_ahead_is_scanned() -> None:
    long = {"id": "long", "abstract": "x" * ((csljson._REREADS + 2) * csljson._CHUNK)}
    data = _indented([{"id": "a"}, long, {"id": "b"}])
    pieces = list(csljson._pieces(b"", _Trickle(data, csljson._CHUNK)))
    assert [(line, orjson.loads(raw), junk) for line, raw, junk, _ in pieces] == [
        (2, {"id": "a"}, False),
        (5, long, False),
        (9, {"id": "b"}, False),
    ]
    assert pieces[1][3] is None  # found by the bracket scan, parsed later


#: Values of every kind `from_csl` reads without `_Item.variable`, and some it does not.
_VALUES = [
    {"id": "1", "type": "book", "title": "", "abstract": " Plain ", "volume": "3", "page": ""},
    {"id": "2", "type": "book", "title": "<b>x</b> $y$", "container-title": "<i>J</i>"},
    {"id": "3", "type": "book", "title": 5, "container-title": ["A", "B"], "abstract": None},
    {"id": "4", "type": "book", "journalAbbreviation": "J", "container-title-short": "K"},
    {"id": "5", "type": "book", "DOI": "https://doi.org/10.1/X", "keyword": "a, b", "note": ""},
    {"id": "6", "type": "book", "DOI": "10.1/X", "URL": "10.1/u"},
    {"id": "7", "type": "book", "DOI": "10.1/X ", "author": None, "issued": None},
    {"id": "8", "type": "book", "DOI": "10.", "author": [{"family": " Doe ", "x": 1}, "Roe, R."]},
    {"id": "9", "type": "book", "editor": {"literal": "Org"}, "translator": "Poe, P."},
    {"id": "10", "type": "book", "author": [], "issued": {"date-parts": [[2020, 2, 30]]}},
    {"id": "11", "type": "book", "issued": {"date-parts": [[2020]]}, "accessed": "2020-01-02"},
    {"id": "12", "type": "book", "issued": 1999, "event-date": {}, "original-date": [[1]]},
    {"id": "13", "type": "book", "reviewed-author": [{"family": "R"}], "submitted": "x"},
]


@pytest.mark.parametrize("obj", _VALUES, ids=[v["id"] for v in _VALUES])
def test_strings_read_directly_as_through_the_general_path(obj: dict[str, Any]) -> None:
    where = Location("in.json", 1)
    fast_log, general_log = DiagnosticLog(), DiagnosticLog()
    ref = csljson.from_csl(obj, "/0", where, fast_log)
    item = csljson._Item(obj["id"], obj, "/0", where, general_log)
    values: dict[str, Any] = {}
    for variable, value in obj.items():
        if variable not in ("id", "type"):
            item.variable(variable, value, values)
    for field, value in values.items():
        assert getattr(ref, field) == value, field
    assert ref.extra == ({"csl": item.extra} if item.extra else {})
    assert list(fast_log) == list(general_log)


def test_split_chunks_of_almost_indented_arrays_give_the_serial_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "almost.json"
    layouts = [LAYOUTS[name] for name in sorted(LAYOUTS) if name != "unclosed string"]
    path.write_bytes(b"[\n  " + b",\n  ".join(d.strip()[1:-1].strip() for d in layouts) + b"\n]\n")
    serial = convert([path], "ris", jobs=1)
    assert (serial.read, serial.log.skipped, serial.log.by_code["CSL112"]) == (31, 4, 21)
    for size in (1, 150, 700, 3000):
        monkeypatch.setattr(parallel, "CHUNK_BYTES", size)
        run = convert([path], "ris", jobs=2)
        assert run.text == serial.text, size
        assert list(run.log) == list(serial.log), size
        assert (run.log.counts, run.log.by_code) == (serial.log.counts, serial.log.by_code)
