"""The IEEE fast path (`formats/ieee/fast.py`) writes exactly what citeproc-py writes.

For each reference and each target (text, HTML, LaTeX ASCII and UTF-8, Markdown) the prepared
item goes through citeproc-py (the CSL path) and through the fast path; when the fast path
takes the reference, the two raw entries must be the same string and citeproc-py must not have
warned (the fast path reports no warnings). Over: the 107 exact-output references of
tests/cases/ieee/references.json, every record of the shared corpus citeport reads (skipped
when the corpus is absent; capped in time), and Hypothesis-generated references
(CITEPORT_FUZZ_EXAMPLES sets how many). Whole writers are compared too, with
CITEPORT_IEEE_FAST=0 and =1.
"""

from __future__ import annotations

import io
import os
import time
from collections.abc import Iterable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citeport import DiagnosticLog, WriteOptions, read
from citeport.formats import ieee
from citeport.formats.ieee import fast, render
from citeport.model import Date, Name, Reference
from citeport.richtext import Math, NoCase, Styled, Text

from .conftest import CORPUS
from .test_ieee_types import load_references

EXAMPLES = int(os.environ.get("CITEPORT_FUZZ_EXAMPLES", "150"))
TARGETS = (render.TEXT, render.HTML, render.LATEX, render.LATEX_UTF8, render.MARKDOWN)
STYLE = render.load_style(str(render.resolve_style("ieee")))
SETTINGS = render.settings_for(STYLE, ieee._abbreviations(WriteOptions())[0])
WRITERS = (ieee.write_text, ieee.write_html, ieee.write_latex, ieee.write_markdown)
#: Corpus: file name endings citeport reads, and the time the corpus check may take.
READABLE = (".bib", ".ris", ".json", ".jsonl", ".nbib", ".txt", ".medline")
CORPUS_SECONDS = 60.0


def differ(ref: Reference) -> tuple[int, int]:
    """Render `ref` both ways in every target; returns (targets taken by the fast path, all)."""
    taken = 0
    for target in TARGETS:
        item = render.prepare(ref, target, SETTINGS)
        quick = fast.renderer(STYLE, target).render(item)
        if quick is None:
            continue
        raw, caught = render.render_item(item, target, STYLE)
        assert quick == raw, (ref.id, target.name)
        assert caught == [], (ref.id, target.name)
        taken += 1
    return taken, len(TARGETS)


def write_both(refs: list[Reference], monkeypatch: pytest.MonkeyPatch) -> None:
    """Every IEEE writer writes the same bytes and diagnostics with the fast path on and off."""
    for writer in WRITERS:
        for options in (WriteOptions(), WriteOptions(unicode=True, full_journal_names=True)):
            outputs = []
            for switch in ("0", "1"):
                monkeypatch.setenv(fast.ENV, switch)
                out, log = io.StringIO(), DiagnosticLog()
                writer(refs, out, log, options)
                outputs.append((out.getvalue(), [str(d) for d in log]))
            assert outputs[0] == outputs[1], writer.__name__


# --- (a) the exact-output references -------------------------------------------------------


def test_fixture_references_render_the_same() -> None:
    refs = load_references()
    taken = [differ(ref)[0] for ref in refs]
    eligible = sum(1 for n in taken if n)
    # Most of the fixture is taken (a test that a broken fast path cannot pass silently).
    assert eligible >= 90, eligible


def test_fixture_writers_write_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    write_both(load_references(), monkeypatch)


def test_switch_turns_the_fast_path_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(fast.ENV, "0")
    assert not fast.enabled()
    assert not ieee._context_for(WriteOptions()).fast
    monkeypatch.setenv(fast.ENV, "1")
    assert fast.enabled()
    assert ieee._context_for(WriteOptions()).fast


def test_the_bundled_style_is_served() -> None:
    check = fast.check_style(STYLE)
    assert check.usable, check.reason
    # The values styles/ieee.csl looks into: they are part of a shape, never placeholders.
    assert {"edition", "status", "chapter-number"} <= check.keyed
    assert check.mark == ". "
    assert check.et_al_min == 7
    assert sorted(check.dates) == ["accessed", "issued"]


def test_a_style_that_cases_a_macro_is_not_served(tmp_path: Path) -> None:
    text = render.resolve_style("ieee").read_text(encoding="utf-8")
    changed = text.replace(
        '<text macro="lead-names"/>', '<text macro="lead-names" text-case="uppercase"/>', 1
    )
    path = tmp_path / "cased.csl"
    path.write_text(changed, encoding="utf-8")
    check = fast.check_style(render.load_style(str(path)))
    assert not check.usable
    assert check.reason == "text-case or strip-periods on cs:text"


def test_seams_send_a_reference_to_the_csl_path() -> None:
    """A DOI ending in "." meets the entry's closing period: citeproc-py drops one."""
    ref = Reference(
        id="x",
        type="article-journal",
        title=(Text("T"),),
        container_title=(Text("Nature"),),
        doi="10.1/x.",
        issued=Date(parts=((2020,),)),
    )
    item = render.prepare(ref, render.TEXT, SETTINGS)
    assert fast.renderer(STYLE, render.TEXT).render(item) is None
    assert render.render_one(ref, render.TEXT, STYLE, SETTINGS)[0].endswith("doi: 10.1/x.")


# --- (b) the corpus ------------------------------------------------------------------------


def corpus_files() -> Iterable[Path]:
    for path in sorted(CORPUS.rglob("*")):
        if path.is_file() and path.suffix.lower() in READABLE:
            yield path


def test_corpus_records_render_the_same() -> None:
    if not CORPUS.exists():
        pytest.skip("the shared corpus is not here (it is optional)")
    started = time.monotonic()
    records = eligible = files = 0
    for path in corpus_files():
        if time.monotonic() - started > CORPUS_SECONDS:
            break
        try:
            refs = list(read(path, log=DiagnosticLog()))
        except Exception:  # a file no reader takes (usage error): not a citeport input
            continue
        files += 1
        for ref in refs:
            records += 1
            taken, _ = differ(ref)
            eligible += taken > 0
    assert files > 0 and records > 0
    assert eligible > records // 4, (eligible, records)


# --- (c) generated references --------------------------------------------------------------

SPECIAL = st.sampled_from(
    [*"&<>{}%#_\\$~^'\".,;:!? -–", "and", "é", "工", "Ø", "ß", " ", "..", ", ", "\u00a0"]
)
WORD = st.text(alphabet=st.characters(categories=("L",)), min_size=1, max_size=8)
TEXT = st.lists(SPECIAL | WORD, min_size=1, max_size=6).map("".join)
PLAIN = st.one_of(WORD, TEXT)
GIVEN = st.one_of(
    WORD,
    st.sampled_from(["Xiao-ming", "Jean-Baptiste", "J. R. R.", "Ana María", "Ø.", "de", ""]),
    TEXT,
)
PERSON = st.builds(
    Name,
    family=st.one_of(WORD, st.sampled_from(["Müller-Lüdenscheidt", "O'Brien", "Ng"]), TEXT),
    given=GIVEN,
    non_dropping_particle=st.sampled_from(["", "", "van", "de la", "von"]),
    dropping_particle=st.sampled_from(["", "", "", "d'"]),
    suffix=st.sampled_from(["", "", "Jr.", "III", "Sr."]),
)
CORPORATE = st.builds(Name, literal=st.one_of(st.just("IEEE Standards Association"), TEXT))
NAMES = st.lists(st.one_of(PERSON, PERSON, CORPORATE), min_size=0, max_size=12).map(tuple)
INLINE = st.one_of(
    PLAIN.map(Text),
    PLAIN.map(Text),
    st.builds(
        Styled, st.sampled_from(["italic", "bold", "sup", "sub"]), PLAIN.map(lambda s: (Text(s),))
    ),
    PLAIN.map(lambda s: NoCase((Text(s),))),
    st.sampled_from(["x^2", "\\alpha < \\beta", "a_{i}", "\\$5"]).map(Math),
)
RICH = st.lists(INLINE, min_size=1, max_size=4).map(tuple)
YEAR = st.integers(1000, 2100)
ONE_DATE = st.one_of(
    YEAR.map(lambda y: (y,)),
    st.tuples(YEAR, st.integers(1, 12)),
    st.tuples(YEAR, st.integers(1, 12), st.integers(1, 28)),
)
DATES = st.one_of(
    st.none(),
    st.builds(Date, parts=ONE_DATE.map(lambda p: (p,))),
    st.builds(Date, parts=st.tuples(ONE_DATE, ONE_DATE)),
    st.builds(Date, parts=ONE_DATE.map(lambda p: (p,)), season=st.sampled_from(["1", "3"])),
)
PAGES = st.one_of(
    st.just(""),
    st.integers(1, 99999).map(str),
    st.tuples(st.integers(1, 9999), st.integers(1, 9999)).map(lambda t: f"{t[0]}-{t[1]}"),
    st.tuples(st.integers(1, 999), st.integers(1, 99)).map(lambda t: f"{t[0]}–{t[1]}"),
    st.sampled_from(["e1234", "C3", "iv-x", "12, 14", "S1-S9", "1-2-3", " 7 - 9 "]),
    PLAIN,
)
NUMBERS = st.one_of(st.just(""), st.integers(1, 999).map(str), PLAIN)
TYPES = st.sampled_from(
    ["article-journal", "article-journal", "paper-conference", "paper-conference",
     "article-magazine", "book", "chapter", "report", "thesis", "webpage", "article"]
)  # fmt: skip
REFERENCES = st.builds(
    Reference,
    id=st.just("gen"),
    type=TYPES,
    title=st.one_of(st.just(()), RICH),
    author=NAMES,
    editor=st.one_of(st.just(()), NAMES),
    container_title=st.one_of(
        st.just(()), RICH, st.just((Text("IEEE Transactions on Information Theory"),))
    ),
    container_title_short=st.one_of(st.just(""), PLAIN),
    volume=NUMBERS,
    issue=NUMBERS,
    page=PAGES,
    number=NUMBERS,
    edition=st.sampled_from(["", "2", "second", "Rev. ed."]),
    status=st.sampled_from(["", "", "early access"]),
    issued=DATES,
    accessed=DATES,
    event_title=st.one_of(st.just(""), PLAIN),
    publisher_place=st.one_of(st.just(""), PLAIN),
    publisher=st.one_of(st.just(""), PLAIN),
    doi=st.one_of(st.just(""), st.just("10.1109/5.771073"), PLAIN),
    url=st.one_of(st.just(""), st.just("https://example.org/a_b?c=1&d=%20"), PLAIN),
)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(REFERENCES)
def test_generated_references_render_the_same(ref: Reference) -> None:
    differ(ref)
