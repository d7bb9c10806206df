"""The BibTeX writer's fast paths and caches against the general path they stand in for.

- `latex._needs_escape` (one character class and two substring tests) must say True for every
  value `_escape_chars` would change, and `latex.is_plain` only for values that `escape` leaves
  as they are, parts included (`protected_text` then writes the pieces without escaping them);
- `render` (and the writer's page ranges) with the `is_plain` shortcut must give what they give
  with the shortcut turned off;
- the cached names (`writer._name`) and journal names (`writer._render_repeated`) must give the
  same entries and the same diagnostics, entry after entry, as the uncached functions.

Checked on every value the writers escape while writing the corpus (CSL-JSON and BibTeX files,
in both dialects, ASCII and UTF-8) and on random values.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citeport import DiagnosticLog, WriteOptions
from citeport.formats import bibtex, csljson
from citeport.formats.bibtex import writer
from citeport.markup import latex
from citeport.model import Name, Reference
from citeport.richtext import Math, Styled, Text

from .conftest import EXAMPLES, corpus_file

#: What `escape` tested before `_needs_escape`: every character `_ESCAPES` changes, and every
#: pair that would form a ligature. `_needs_escape` may say True more often (a lone backquote),
#: never less.
_SPECIAL = re.compile(r"[\\{}&%$#_~^\u2013\u2014\u201c\u201d\u00a0]|--|''|``|[?!]`")
_MODES = [
    ("bibtex", WriteOptions()),
    ("bibtex", WriteOptions(unicode=True)),
    ("biblatex", WriteOptions()),
]


def _corpus_refs() -> list[Reference]:
    refs: list[Reference] = []
    for path in sorted(corpus_file("csljson").rglob("*.json")):
        refs.extend(csljson.read(io.BytesIO(path.read_bytes()), path.name, DiagnosticLog()))
    paths = [*corpus_file("bibtex").rglob("*.bib"), *EXAMPLES.glob("*.bib")]
    for path in sorted(paths):
        refs.extend(bibtex.read(io.BytesIO(path.read_bytes()), path.name, DiagnosticLog()))
    return refs


@pytest.fixture(scope="module")
def corpus_refs() -> list[Reference]:
    refs = _corpus_refs()
    assert len(refs) > 15_000  # 17,215 references
    return refs


def _write(refs: list[Reference], dialect: str, options: WriteOptions) -> tuple[str, list[str]]:
    out = io.StringIO(newline="")
    log = DiagnosticLog()
    write = bibtex.write if dialect == "bibtex" else bibtex.write_biblatex
    write(refs, out, log, options)
    return out.getvalue(), [str(d) for d in log]


def _escaped_values(refs: list[Reference], monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every distinct value the writers hand to `latex.escape` while writing `refs`."""
    seen: dict[str, None] = {}
    escape = latex.escape

    def record(value: str, ascii_only: bool = True, unknown: set[str] | None = None) -> str:
        seen[value] = None
        return escape(value, ascii_only, unknown)

    writer._name.cache_clear()  # names written before would not reach `latex.escape` again
    writer._render_repeated.cache_clear()
    with monkeypatch.context() as patch:
        patch.setattr(latex, "escape", record)
        for dialect, options in _MODES:
            _write(refs, dialect, options)
    writer._name.cache_clear()
    writer._render_repeated.cache_clear()
    return list(seen)


def _general_escape(value: str, ascii_only: bool) -> tuple[str, set[str]]:
    """`escape` without its shortcut: every value goes through `_escape_chars`."""
    unknown: set[str] = set()
    escaped = latex._escape_chars(value, latex._ESCAPES)
    if ascii_only and not escaped.isascii():
        escaped = latex._spell_all(escaped, unknown)
    return escaped, unknown


def _check_escape(value: str) -> None:
    assert latex._needs_escape(value) or _SPECIAL.search(value) is None
    assert latex._needs_escape(value) or latex._escape_chars(value, latex._ESCAPES) == value
    for ascii_only in (True, False):
        unknown: set[str] = set()
        assert (latex.escape(value, ascii_only, unknown), unknown) == _general_escape(
            value, ascii_only
        )
        if latex.is_plain(value, ascii_only):
            assert latex.escape(value, ascii_only) == value
            for piece in latex._WORD.split(value):  # the pieces `protected_text` writes
                assert latex.escape(piece, ascii_only) == piece


def _general_render(rich: tuple, ascii_only: bool, monkeypatch: pytest.MonkeyPatch) -> tuple:
    with monkeypatch.context() as patch:
        patch.setattr(latex, "is_plain", lambda value, ascii_only: False)
        return latex.render(rich, protect_case=True, ascii_only=ascii_only)


def test_corpus_values_escape_the_same(
    corpus_refs: list[Reference], monkeypatch: pytest.MonkeyPatch
) -> None:
    values = _escaped_values(corpus_refs, monkeypatch)
    assert len(values) > 45_000  # 48,463 distinct values
    plain = 0
    for value in values:
        _check_escape(value)
        plain += latex.is_plain(value, True)
    assert plain / len(values) > 0.9  # 92 % need no escaping: the shortcut is taken


def test_corpus_titles_render_the_same(
    corpus_refs: list[Reference], monkeypatch: pytest.MonkeyPatch
) -> None:
    titles = {ref.title for ref in corpus_refs if ref.title}
    assert len(titles) > 14_000  # 14,927
    for ascii_only in (True, False):
        for title in titles:
            expected = _general_render(title, ascii_only, monkeypatch)
            assert latex.render(title, protect_case=True, ascii_only=ascii_only) == expected


#: Pieces random values are made of: words needing protection or not, every special character
#: and pair, non-ASCII letters (spelled, and not: 工), typography.
_PIECES = [
    "a", "the", "Word", "DNA", "McDonald", "iPhone", " ", "  ", "\n", "-", "--", "---", "'",
    "''", "`", "``", "?", "!", "?`", "!`", "\\", "{", "}", "&", "%", "$", "#", "_", "~", "^",
    "é", "Ärger", "ß", "工", "İ", "Σ", "ǅ", "\u2013", "\u2014", "\u201c", "\u201d", "\u00a0",
    "\u2019", ".", ",", ":", "1", "x2",
]  # fmt: skip


@settings(max_examples=3000, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=16).map("".join))
def test_random_values_escape_and_render_the_same(value: str) -> None:
    _check_escape(value)
    with pytest.MonkeyPatch.context() as monkeypatch:
        for ascii_only in (True, False):
            rich = (Text(value), Styled("italic", (Text(value),)), Text(value))
            expected = _general_render(rich, ascii_only, monkeypatch)
            assert latex.render(rich, protect_case=True, ascii_only=ascii_only) == expected


def _check_pages(page: str) -> None:
    for ascii_only in (True, False):
        unknown: set[str] = set()
        fast = writer._pages(page, ascii_only, unknown), unknown
        with pytest.MonkeyPatch.context() as monkeypatch:
            monkeypatch.setattr(latex, "is_plain", lambda value, ascii_only: False)
            unknown = set()
            assert fast == (writer._pages(page, ascii_only, unknown), unknown)


def test_corpus_pages_the_same(corpus_refs: list[Reference]) -> None:
    pages = {ref.page for ref in corpus_refs if ref.page}
    assert len(pages) > 10_000  # 10,480
    for page in pages:
        _check_pages(page)
    assert writer._pages("10-23", True, set()) == "10--23"
    assert writer._pages("C3--C3 – x_1", True, set()) == "C3--C3 -- x\\_1"


@settings(max_examples=1000, deadline=None)
@given(
    st.lists(st.sampled_from(["1", "23", "C", "-", "--", " ", "\u2013", "_", "é", "工"])).map(
        "".join
    )
)
def test_random_pages_the_same(page: str) -> None:
    _check_pages(page)


def test_plain_and_needs_escape_exact() -> None:
    assert latex.is_plain(
        "On the Control of Soil Microbiomes via Self-Supervised Optimization", True
    )
    assert not latex.is_plain("Ünïcode", True) and latex.is_plain("Ünïcode", False)
    assert not latex.is_plain("a\u2013b", False)  # an en dash is written `--` in both modes
    for special in ("\\", "{", "}", "&", "%", "$", "#", "_", "~", "^", "--", "''", "``", "?`"):
        assert latex._needs_escape(f"x{special}y")
    assert latex.escape("a -{}- b") == "a -\\{\\}- b"
    assert latex.escape("R&D 5% $x$ a_b #1 ~ ^ {x} \\") == (
        "R\\&D 5\\% \\$x\\$ a\\_b \\#1 \\textasciitilde{} \\textasciicircum{} "
        "\\{x\\} \\textbackslash{}"
    )  # the one-character spellings (`_forms_no_ligature`)
    assert latex.escape("a&b\u2013\u2014c") == "a\\&b--{}---c"  # dashes: kept apart
    assert latex.escape("?` !`` x--y ''& -\u2013") == "?{}` !{}`{}` x-{}-y '{}'\\& -{}--"
    assert latex.escape("a - - b ' ` ?") == "a - - b ' ` ?"  # lone ones form no ligature


def _entries_uncached(
    refs: list[Reference], dialect: str, options: WriteOptions, monkeypatch: pytest.MonkeyPatch
) -> tuple[str, list[str]]:
    def name(person: Name, ascii_only: bool) -> tuple[str, frozenset[str]]:
        unknown: set[str] = set()
        return writer._name_text(person, ascii_only, unknown), frozenset(unknown)

    def render(value: tuple, protect: bool, ascii_only: bool) -> tuple:
        rendered, missing, unsafe = writer._render(value, protect, ascii_only)
        return rendered, frozenset(missing), unsafe

    with monkeypatch.context() as patch:
        patch.setattr(writer, "_name", name)
        patch.setattr(writer, "_render_repeated", render)
        return _write(refs, dialect, options)


@pytest.mark.parametrize(("dialect", "options"), _MODES)
def test_corpus_entries_same_with_and_without_caches(
    corpus_refs: list[Reference],
    dialect: str,
    options: WriteOptions,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    writer._name.cache_clear()
    writer._render_repeated.cache_clear()
    expected = _entries_uncached(corpus_refs, dialect, options, monkeypatch)
    assert _write(corpus_refs, dialect, options) == expected  # the caches filling up
    assert _write(corpus_refs, dialect, options) == expected  # every answer from the caches
    assert writer._name.cache_info().hits > 10_000


def test_cached_names_and_journals_report_each_entry() -> None:
    """A cache hit still reports what the value needed: BIB001 and BIB005 for each entry."""
    refs = [
        Reference(
            id=key,
            type="article-journal",
            title=(Text("T"),),
            author=(Name(given="Zhang", family="工"),),
            container_title=(Text("J. of "), Math("\\input{x}")),
            citation_key=key,
        )
        for key in ("a", "b")
    ]
    text, notes = _write(refs, "bibtex", WriteOptions())
    assert text == "\n".join(
        f"@article{{{key},\n"
        "  author = {工, Zhang},\n"
        "  title = {T},\n"
        "  journal = {J. of \\$\\textbackslash{}input\\{x\\}\\$}\n"
        "}\n"
        for key in ("a", "b")
    )
    one_entry = [
        "<input>: warning[BIB005] math with the command \\input written as text",
        "<input>: warning[BIB001] no LaTeX spelling for '工'; kept as UTF-8",
    ]
    assert notes == one_entry * 2


def _names(refs: list[Reference]) -> Iterator[Name]:
    for ref in refs:
        yield from (*ref.author, *ref.editor, *ref.translator, *ref.container_author)


def test_cached_name_is_the_name(corpus_refs: list[Reference]) -> None:
    people = set(_names(corpus_refs))
    assert len(people) > 30_000  # 33,688
    for person in people:
        for ascii_only in (True, False):
            unknown: set[str] = set()
            text = writer._name_text(person, ascii_only, unknown)
            assert writer._name(person, ascii_only) == (text, frozenset(unknown))
