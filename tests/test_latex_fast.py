"""The fast LaTeX reader (`latex._fast_whole`) against pylatexenc (`latex._parse_whole`).

The fast reader must give exactly pylatexenc's rich text, or give up (None) and leave the value
to pylatexenc. Checked on every value the BibTeX reader parses from the corpus files, from the
repository's own `.bib` files, and on random LaTeX-like values; `parse(value, fast=False)`
and `CITEPORT_LATEX_SLOW=1` force the pylatexenc reader everywhere.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citeport import DiagnosticLog
from citeport.formats import bibtex
from citeport.formats.bibtex import reader
from citeport.markup import latex
from citeport.richtext import Math, NoCase, Styled, Text

from .conftest import CASES, EXAMPLES, corpus_file


def _values(paths: Iterable[Path], monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every distinct value the BibTeX reader hands to `latex.parse` while reading `paths`."""
    seen: dict[str, None] = {}
    parse = latex.parse
    reader._text.cache_clear()  # values read before would not reach `latex.parse` again
    reader._name.cache_clear()

    def record(value: str, *, fast: bool = True) -> tuple:
        seen[value] = None
        return parse(value, fast=fast)

    with monkeypatch.context() as patch:
        patch.setattr(latex, "parse", record)
        for path in paths:
            list(bibtex.read(io.BytesIO(path.read_bytes()), path.name, DiagnosticLog()))
    return list(seen)


def _compare(values: list[str]) -> tuple[int, list[str]]:
    """How many values the fast reader read, and the values where the readers differ."""
    fast_count = 0
    differ: list[str] = []
    for value in values:
        slow = latex._parse_whole(value, fast=False)
        fast = latex._fast_whole(value)
        if fast is not None:
            fast_count += 1
            if fast != slow:
                differ.append(value)
        elif latex._read_value(value, True) != latex._read_value(value, False):
            differ.append(value)  # spans of a long value may still take the fast reader
    return fast_count, differ


def test_corpus_values_read_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    values = _values(sorted(corpus_file("bibtex").rglob("*.bib")), monkeypatch)
    fast_count, differ = _compare(values)
    assert differ == []
    assert len(values) > 60_000  # 64,984 distinct values in 311 files
    assert fast_count / len(values) > 0.97  # 99.1 % take the fast reader


def test_repository_bib_values_read_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    paths = sorted([*EXAMPLES.glob("*.bib"), *CASES.rglob("*.bib")])
    values = _values(paths, monkeypatch)
    fast_count, differ = _compare(values)
    assert differ == []
    assert len(values) > 80  # 87
    assert fast_count > len(values) // 2


#: Pieces random values are made of: text, the subset the fast reader reads, and things it
#: must leave to pylatexenc (unknown commands, display math, `\\\\`, a paragraph break...).
_PIECES = [
    "a", "Word", " ", "  ", "\t", "\n", "\n\n", "ê", "-", "--", "---", "'", "''", "`", "``",
    "!`", "?`", "~", "&", "%", "#", "_", "^", "[", "]", "*", "@", "1", ",", ".",
    "{", "}", "{}", "{DNA}", "$", "$$", "$x^2$", "$\\alpha$", "$\\not$", "$\\sqrt{d}$",
    "\\", "\\\\", "\\ ", "\\,", "\\&", "\\%", "\\$", "\\{", "\\}", "\\_", "\\#", "\\-", "\\/",
    "\\'", "\\\"", "\\^", "\\`", "\\~", "\\=", "\\.", "\\c", "\\v", "\\u", "\\H", "\\d", "\\k",
    "\\r", "\\b", "\\t", "\\i", "\\j", "\\ss", "\\o", "\\O", "\\l", "\\L", "\\ae", "\\aa",
    "\\DJ", "\\dh", "\\TeX", "\\LaTeX", "\\ell", "\\textit", "\\textbf", "\\emph", "\\textsc",
    "\\textsuperscript", "\\textsubscript", "\\mkbibemph", "\\em", "\\bf", "\\it", "\\sc",
    "\\tt", "\\relax", "\\url", "\\href", "\\texttt", "\\mbox", "\\noopsort", "\\aap",
    "\\textminus", "\\(", "\\)", "\\@", "\\lê", "\\ssf",
]  # fmt: skip


@settings(max_examples=3000, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=14).map("".join))
def test_random_values_read_the_same(value: str) -> None:
    fast = latex._fast_whole(value)
    if fast is not None:
        assert fast == latex._parse_whole(value, fast=False)
    assert latex._read_value(value, True) == latex._read_value(value, False)
    assert latex.parse(value) == latex.parse(value, fast=False)


@settings(max_examples=600, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    st.lists(
        st.sampled_from([*_PIECES, " words in between ", " and more text "]),
        min_size=40,
        max_size=90,
    ).map("".join)
)
def test_random_long_values_read_the_same(value: str) -> None:
    """Values over `_SPAN_MIN` characters are read span by span, each span by either reader."""
    assert latex._read_value(value, True) == latex._read_value(value, False)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            "The \\textit{in vivo} {Dynamics} of {Edge Computing}",
            (
                Text("The "),
                Styled("italic", (Text("in vivo"),)),
                Text(" "),
                NoCase((Text("Dynamics"),)),
                Text(" of "),
                NoCase((Text("Edge Computing"),)),
            ),
        ),
        ('Bj{\\"o}rn \\c c \\^\\i t {\\ss} \\ss x', (Text("Björn ç ît ß ßx"),)),
        ("x\\textsubscript{i} \\& y--z~w", (Text("x"), Styled("sub", (Text("i"),)), Text(" & y–z\u00a0w"))),
        ("{\\em a {B}} $\\|x\\|_2$ {$k$}", (Styled("italic", (Text("a B"),)), Text(" "), Math("\\|x\\|_2"), Text(" "), Math("k"))),
        ("<5\\% and 5% of {R\\&D}", (Text("<5% and 5% of "), NoCase((Text("R&D"),)))),
    ],
)  # fmt: skip
def test_fast_reader_reads(value: str, expected: tuple) -> None:
    assert latex._fast_whole(value) == expected
    assert latex._parse_whole(value, fast=False) == expected


@pytest.mark.parametrize(
    "value",
    [
        "\\href{https://example.org}{text}",  # read by `_macro`'s own rules
        "\\noopsort{1973b}",  # unknown: kept raw and reported
        "$$x$$",  # display math
        "So{$\\not$}rensen",  # `\not` takes pylatexenc's parser past the closing `$`
        "\\L\\lêáé",  # pylatexenc reads `\lêáé` as one command name
        "Tr{\\`{\\^{a}}}n",  # nested accents
        "a \\\\ b",
        "{unclosed",
    ],
)
def test_fast_reader_leaves_to_pylatexenc(value: str) -> None:
    assert latex._fast_whole(value) is None
    assert latex.parse(value) == latex.parse(value, fast=False)


def test_environment_switch_turns_the_fast_reader_off() -> None:
    code = "from citeport.markup import latex; print(latex.FAST_PATH)"
    for setting, expected in (("1", "False"), ("0", "True"), ("", "True")):
        env = {**os.environ, "CITEPORT_LATEX_SLOW": setting}
        result = subprocess.run(
            [sys.executable, "-c", code],
            env=env,
            capture_output=True,
            text=True,
            check=True,
            timeout=300,
        )
        assert result.stdout.strip() == expected
