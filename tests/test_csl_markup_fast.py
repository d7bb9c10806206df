"""The fast CSL rich-text reader (`csl._fast`) against the general one (`csl._parse_slow`).

`csl.parse` reads a value with `_fast` first; `_fast` must give exactly the general reader's
tree, or give up (None) and leave the value to it. Checked on every string of every CSL-JSON
file of the corpus (the files the conformance tests read, and the item inputs of the CSL test
suite), on the CSL-JSON citeport writes for the benchmark generator's records, and on random
strings over the tags (every spelling, crossed, stray and unclosed), entities, `<`, `>` and `$`.
`parse(value, fast=False)` and `CITEPORT_CSL_SLOW=1` force the general reader.
"""

from __future__ import annotations

import importlib.util
import io
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citeport import DiagnosticLog
from citeport.formats import aggregator, csljson
from citeport.markup import csl
from citeport.options import WriteOptions
from citeport.richtext import Math, NoCase, Styled, Text

from .conformance.test_csl_corpus import corpus_json
from .conftest import ROOT, corpus_file


def _strings(value: Any) -> Iterator[str]:
    """Every string in a JSON value (object keys left out)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _compare(values: list[str]) -> tuple[int, list[str]]:
    """How many values the fast reader read, and the values where `parse` differs."""
    fast_count = 0
    differ: list[str] = []
    for value in values:
        slow = csl.parse(value, fast=False)
        fast = csl._fast(value)
        if fast is not None:
            fast_count += 1
            if fast != slow:
                differ.append(value)
        if csl.parse(value) != slow:
            differ.append(value)
    return fast_count, differ


def _marked(values: Iterator[str]) -> list[str]:
    """The distinct values that reach a reader (plain text returns before either is tried)."""
    return list(dict.fromkeys(v for v in values if "<" in v or "$" in v))


def test_corpus_csl_json_values_read_the_same() -> None:
    corpus_file("csljson")
    paths = corpus_json()  # the files the conformance tests read as CSL-JSON
    values: list[str] = []
    for path in paths:
        values.extend(_strings(orjson.loads(path.read_bytes())))
    marked = _marked(iter(values))
    fast_count, differ = _compare(marked)
    assert differ == []
    assert len(paths) == 67
    assert len(values) == 10_380
    assert len(marked) == 18  # distinct strings holding `<` or `$`
    assert fast_count == 18


#: The item inputs of the CSL test suite (citeproc-js's fixtures and pandoc's): CSL-JSON whose
#: titles exercise the rich-text subset, including its broken forms.
_INPUT = re.compile(r">>=+ INPUT =+>>(.*?)<<=+ INPUT =+<<", re.DOTALL)


def test_csl_test_suite_values_read_the_same() -> None:
    suite = corpus_file("csl-test-suite")
    values: list[str] = []
    files = 0
    for path in sorted(suite.rglob("*.txt")):
        match = _INPUT.search(path.read_text(encoding="utf-8", errors="replace"))
        if match is None:
            continue
        try:
            values.extend(_strings(json.loads(match.group(1))))
        except json.JSONDecodeError:
            continue
        files += 1
    marked = _marked(iter(values))
    fast_count, differ = _compare(marked)
    assert differ == []
    assert files == 920
    assert len(values) == 10_637
    assert len(marked) == 45
    assert fast_count == 40  # the other 5 cross, stray or spell tags otherwise


def _generated_csl_json(count: int) -> bytes:
    """CSL-JSON for `count` records of the benchmark generator, as citeport writes it."""
    spec = importlib.util.spec_from_file_location(
        "gen_aggregator", ROOT / "benchmarks" / "gen_aggregator.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    try:
        spec.loader.exec_module(module)
        lines = io.StringIO()
        module.generate(count, lines, seed=42)
    finally:
        del sys.modules[spec.name]
    log = DiagnosticLog()
    refs = aggregator.read(io.BytesIO(lines.getvalue().encode("utf-8")), "gen.jsonl", log)
    out = io.StringIO()
    csljson.write(refs, out, log, WriteOptions())
    return out.getvalue().encode("utf-8")


def test_generated_input_values_read_the_same() -> None:
    marked = _marked(_strings(orjson.loads(_generated_csl_json(3000))))
    fast_count, differ = _compare(marked)
    assert differ == []
    assert len(marked) == 2580  # of 65,074 strings
    assert fast_count == len(marked)  # all of citeport's own markup takes the fast reader


#: Pieces random values are made of: the tags as `render` writes them, other spellings the
#: general reader also knows, tags it does not know, entities, and stray `<`, `>`, `$`.
_PIECES = [
    "<i>", "</i>", "<b>", "</b>", "<sup>", "</sup>", "<sub>", "</sub>",
    '<span class="nocase">', '<span style="font-variant:small-caps;">', "</span>",
    "<I>", "</I>", "<B >", "</b >", "<SUP>", "</Sub>", "< i>", "</ i>", "<i/>",
    '<span  class = "nocase" >', '<span style="font-variant: small-caps">',
    '<SPAN STYLE="FONT-VARIANT:SMALL-CAPS;">', "<span class='nocase'>", "<span>", "</SPAN>",
    "<u>", "</u>", "<br/>", "<jats:p>", "</jats:p>", "<sc>", "<p>", "<italic>",
    "&amp;", "&lt;i&gt;", "&#60;", "&", "<", ">", "</", "<<", "<i", "i>", "/",
    "$", "$$", "$x$", "$x^2$", "$5", "$ x$", "\\$", "\\", "a", "x", " ", "  ", "10", "é",
    "\n", "\t", "DNA", "in vivo", "-", "'", '"',
]  # fmt: skip


@settings(max_examples=2000, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=16).map("".join))
def test_random_values_read_the_same(value: str) -> None:
    slow = csl.parse(value, fast=False)
    fast = csl._fast(value)
    if fast is not None:
        assert fast == slow
    assert csl.parse(value) == slow


#: Text pieces and tag pairs for nested values, as `render` writes them (mostly the fast case).
_TEXTS = ["", "a", " ", "x<", "> y", "<5%", "$x$", "$5", "a $x^2$ b", "&amp;", "é", "\\$x$"]
_PAIRS = [
    ("<i>", "</i>"), ("<b>", "</b>"), ("<sup>", "</sup>"), ("<sub>", "</sub>"),
    ('<span class="nocase">', "</span>"), ('<span style="font-variant:small-caps;">', "</span>"),
]  # fmt: skip
_NESTED = st.recursive(
    st.sampled_from(_TEXTS),
    lambda inner: st.one_of(
        st.tuples(st.sampled_from(_PAIRS), inner).map(lambda p: p[0][0] + p[1] + p[0][1]),
        st.lists(inner, min_size=2, max_size=4).map("".join),
    ),
    max_leaves=12,
)


@settings(max_examples=1200, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(_NESTED, st.sampled_from(["", *_PIECES]), st.integers(min_value=0))
def test_random_nested_values_read_the_same(value: str, stray: str, at: int) -> None:
    """Nested, closed tags (the fast case), and the same with one stray piece put in."""
    slow = csl.parse(value, fast=False)
    assert csl.parse(value) == slow
    if "<" in value or "$" in value:
        assert csl._fast(value) == slow  # nested and closed: never given up
    at %= len(value) + 1
    value = value[:at] + stray + value[at:]
    slow = csl.parse(value, fast=False)
    fast = csl._fast(value)
    if fast is not None:
        assert fast == slow
    assert csl.parse(value) == slow


_MATH_PIECES = ["$", "$$", "\\", "\\$", "\\\\", "a", "x^2", " ", "\n", "1", "{", "}", "é", "<i>"]


@settings(max_examples=1500, deadline=None)
@given(st.lists(st.sampled_from(_MATH_PIECES), max_size=14).map("".join))
def test_fast_math_rule_finds_the_same_math(value: str) -> None:
    """`_MATH_FAST` (the `$` first) finds exactly `_MATH`'s matches."""
    assert [(m.span(), m.group(1)) for m in csl._MATH_FAST.finditer(value)] == [
        (m.span(), m.group(1)) for m in csl._MATH.finditer(value)
    ]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            "x<sub>i</sub> & y<sub>i</sub> pairs, signal-to-noise ratio > 20 dB, <5% overhead",
            (
                Text("x"),
                Styled("sub", (Text("i"),)),
                Text(" & y"),
                Styled("sub", (Text("i"),)),
                Text(" pairs, signal-to-noise ratio > 20 dB, <5% overhead"),
            ),
        ),
        (
            '<i>a <b>b</b></i><span class="nocase">DNA</span> $\\ell^1$ for $5'
            '<span style="font-variant:small-caps;"></span>',
            (
                Styled("italic", (Text("a "), Styled("bold", (Text("b"),)))),
                NoCase((Text("DNA"),)),
                Text(" "),
                Math("\\ell^1"),
                Text(" for $5"),
                Styled("smallcaps", ()),
            ),
        ),
        ("<", (Text("<"),)),
        ("a $x$", (Text("a "), Math("x"))),
    ],
)
def test_fast_reader_reads(value: str, expected: tuple) -> None:
    assert csl._fast(value) == expected
    assert csl.parse(value, fast=False) == expected


@pytest.mark.parametrize(
    "value",
    [
        "<I>x</I>",  # another spelling: left to the general reader
        '<span style="font-variant: small-caps">x</span>',
        "a <i>b",  # never closed
        "a </i> b",  # closes nothing
        "<i>a<b>b</i>c</b>",  # crossed
        "<b>x</b> <i >y</i>",  # a known tag in a text piece
    ],
)
def test_fast_reader_leaves_to_the_general_reader(value: str) -> None:
    assert csl._fast(value) is None
    assert csl.parse(value) == csl.parse(value, fast=False)


def test_environment_switch_turns_the_fast_reader_off() -> None:
    code = "from citeport.markup import csl; print(csl.FAST_PATH)"
    for setting, expected in (("1", "False"), ("0", "True"), ("", "True")):
        env = {**os.environ, "CITEPORT_CSL_SLOW": setting}
        result = subprocess.run(
            [sys.executable, "-c", code],
            env=env,
            capture_output=True,
            text=True,
            check=True,
            timeout=300,
        )
        assert result.stdout.strip() == expected


def test_slow_switch_gives_the_same_file(tmp_path: Path) -> None:
    """The whole CSL-JSON -> RIS conversion is the same with the fast reader off."""
    source = tmp_path / "in.json"
    source.write_bytes(_generated_csl_json(300))
    outputs = []
    for setting in ("0", "1"):
        target = tmp_path / f"out{setting}.ris"
        env = {**os.environ, "CITEPORT_CSL_SLOW": setting}
        command = [sys.executable, "-m", "citeport", "convert", str(source), "-t", "ris"]
        subprocess.run(
            [*command, "-o", str(target), "-q"],
            env=env,
            capture_output=True,
            check=True,
            timeout=300,
        )
        outputs.append(target.read_bytes())
    assert outputs[0] == outputs[1]
    assert outputs[0].count(b"ER  -") == 300
