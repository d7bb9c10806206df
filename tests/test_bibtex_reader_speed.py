"""The BibTeX reader's faster helpers give what the loops they replaced gave.

`_closing` (regex jumps instead of a loop over every character), `_squash` (only white space
that changes is matched), `_split_names` (a regex split for ASCII values without braces) and
`_Scan._parents` (skips text where no `crossref`/`xdata` can be) are each compared with the
earlier code on random values: kept here as the reference, or for `_split_names` the reader's
own character loop (`_split_names_braced`), which it still uses for braced values.
"""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citeport.formats.bibtex import reader

_SETTINGS = settings(max_examples=1500, suppress_health_check=[HealthCheck.too_slow], deadline=None)


def _closing_loop(raw: str, start: int, kind: str) -> int:
    depth = 0
    for index in range(start + 1, len(raw)):
        char = raw[index]
        if char == "\\":
            continue
        if char == "{" and raw[index - 1] != "\\":
            depth += 1
        elif char == "}" and raw[index - 1] != "\\":
            if depth == 0 and kind == "{":
                return index
            depth -= 1
        elif char == '"' and kind == '"' and depth <= 0:
            return index
    return len(raw)


def _squash_loop(value: str) -> str:
    return re.sub(r"[ \t\r\n\f\v]+", " ", value).strip(" \t\r\n\f\v")


@_SETTINGS
@given(
    raw=st.text(alphabet='{}\\"a ,', max_size=40),
    kind=st.sampled_from('{"'),
    start=st.integers(0, 5),
)
def test_closing_is_the_loop(raw: str, kind: str, start: int) -> None:
    assert reader._closing(raw, start, kind) == _closing_loop(raw, start, kind)


def test_closing_examples() -> None:
    assert reader._closing("{a {b} \\} c} d", 0, "{") == 11
    assert reader._closing('"a {"} b" c', 0, '"') == 8
    assert reader._closing("{never", 0, "{") == 6


@_SETTINGS
@given(st.text(alphabet=" \t\r\n\f\va\u00a0", max_size=30))
def test_squash_is_the_substitution(value: str) -> None:
    assert reader._squash(value) == _squash_loop(value)


@_SETTINGS
@given(
    st.lists(
        st.sampled_from(["Doe", "John", " and ", " AND ", " And", "and ", " ", "{", "}", "İ", "x"]),
        max_size=12,
    ).map("".join)
)
def test_split_names_is_the_loop(value: str) -> None:
    assert reader._split_names(value) == reader._split_names_braced(value)


def test_split_names_examples() -> None:
    assert reader._split_names("Doe, J. and Roe, R. AND others") == ["Doe, J.", "Roe, R.", "others"]
    assert reader._split_names("{Barnes and Noble} and Poe") == ["{Barnes and Noble}", "Poe"]


def _wanted_without_prefilter(blocks: list[str]) -> set[str]:
    wanted: set[str] = set()
    tail = ""
    for block in [*blocks, None]:
        final = block is None
        text = tail if final else tail + block
        for match in reader._PARENT_REF.finditer(text):
            if match.end() == len(text) and not final:
                break
            wanted.update(k.strip().lower() for k in match.group(1).split(",") if k.strip())
        found = None if final else reader._PARENT_TAIL.search(text)
        tail = text[found.start() :] if found else ""
    return wanted


@_SETTINGS
@given(
    st.lists(
        st.lists(
            st.sampled_from(
                [
                    "crossref",
                    "CrossRef",
                    "xdata",
                    "XDATA",
                    "crosſref",
                    " = ",
                    "{",
                    "}",
                    '"',
                    "Parent",
                    "b,c",
                    "\n",
                    "text ",
                    "@book{p,",
                ]
            ),
            max_size=10,
        ).map("".join),
        max_size=4,
    )
)
def test_scan_finds_the_same_parents(blocks: list[str]) -> None:
    scan = reader._Scan()
    for block in blocks:
        scan.add(block)
    scan.finish()
    assert scan.wanted == _wanted_without_prefilter(blocks)


def test_scan_parents_examples() -> None:
    scan = reader._Scan()
    for block in ("@book{c, crosſref = {Pa", "rent}}\n", "@book{d, XDATA = {x1, x2}}\n"):
        scan.add(block)
    scan.finish()
    assert scan.wanted == {"parent", "x1", "x2"}


def _floors_loop(blocks: list[str]) -> tuple[list[int], list[int]]:
    positions: list[int] = []
    depths: list[int] = []
    number = depth = 0
    for block in blocks:
        for line in block.splitlines(keepends=True):
            depth += reader._brace_change(line)
            while depths and depths[-1] >= depth:
                depths.pop()
                positions.pop()
            positions.append(number)
            depths.append(depth)
            number += 1
    return positions, depths


@_SETTINGS
@given(
    st.lists(
        st.lists(st.sampled_from(["{", "}", "\\{", "a", "\n", "\n\n", "x}\n", "{y\n"]), max_size=12)
        .map("".join)
        .map(lambda block: block if block.endswith("\n") else block + "\n"),
        max_size=4,
    )
)
def test_scan_keeps_the_same_depth_floors(blocks: list[str]) -> None:
    scan = reader._Scan()
    for block in blocks:
        scan.add(block)
    assert (list(scan.positions), list(scan.depths)) == _floors_loop(blocks)
