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

import dataclasses
import io
import os
import subprocess
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from citeproc import CitationStylesStyle
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from citeport import DiagnosticLog, WriteOptions, read, registry
from citeport.formats import ieee
from citeport.formats.ieee import fast, render
from citeport.formats.ieee import writer as ieee_writer
from citeport.model import Date, Name, Reference
from citeport.richtext import Math, NoCase, Styled, Text

from .conftest import CORPUS
from .test_ieee_types import load_references

EXAMPLES = int(os.environ.get("CITEPORT_FUZZ_EXAMPLES", "150"))
TARGETS = (render.TEXT, render.HTML, render.LATEX, render.LATEX_UTF8, render.MARKDOWN)
STYLE = render.load_style(str(render.resolve_style("ieee")))
SETTINGS = render.settings_for(STYLE, ieee_writer._abbreviations(WriteOptions())[0])
WRITERS = (ieee.write_text, ieee.write_html, ieee.write_latex, ieee.write_markdown)
#: Corpus: file name endings citeport reads, and the time the corpus check may take.
READABLE = (".bib", ".ris", ".json", ".jsonl", ".nbib", ".txt", ".medline")
CORPUS_SECONDS = 60.0


def differ(
    ref: Reference, style: CitationStylesStyle = STYLE, renderers: dict[str, Any] | None = None
) -> tuple[int, int]:
    """Render `ref` both ways in every target; returns (targets taken by the fast path, all).

    `renderers` (target name -> `FastRenderer`) stand in for the process's own ones."""
    taken = 0
    for target in TARGETS:
        item = render.prepare(ref, target, SETTINGS)
        quick = (renderers or {}).get(target.name) or fast.renderer(style, target)
        quick = quick.render(item)
        if quick is None:
            continue
        raw, caught = render.render_item(item, target, style)
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
    assert not ieee_writer._context_for(WriteOptions()).fast
    monkeypatch.setenv(fast.ENV, "1")
    assert fast.enabled()
    assert ieee_writer._context_for(WriteOptions()).fast


def test_the_bundled_style_is_served() -> None:
    check = fast.check_style(STYLE)
    assert check.usable, check.reason
    # The values styles/ieee.csl looks into: they are part of a shape, never placeholders.
    assert {"edition", "status", "chapter-number"} <= check.keyed
    assert check.mark == ". "
    assert check.et_al_min == 7
    assert sorted(check.dates) == ["accessed", "issued"]
    # Name lists are taken whole (the count of names is no part of a shape, except for a
    # plural label), and a template's dates are known from the render that made it.
    assert len(check.names) == 3
    assert check.labelled == {"editor", "translator"}
    assert check.dates_only
    for target in TARGETS:
        assert fast.renderer(STYLE, target)._write_list is not None, target.name


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


# --- name lists and dates --------------------------------------------------------------------

PEOPLE = (
    Name(family="Ng", given="Andrew Y."),
    Name(family="Müller-Lüdenscheidt", given="Xiao-ming"),
    Name(family="Beethoven", given="Ludwig", non_dropping_particle="van"),
    Name(family="O'Brien", given="J. R. R.", suffix="Jr."),
    Name(literal="IEEE Standards Association"),
    Name(family="Åström", given="Karl Johan", suffix="III"),
)


def people(count: int, start: int = 0) -> tuple[Name, ...]:
    return tuple(PEOPLE[(start + n) % len(PEOPLE)] for n in range(count))


def test_a_name_met_before_is_written_as_the_first_time() -> None:
    """The names' cache gives `_name_text`'s answer, the second time too: the same text, or
    the same refusal (a nocase span, an empty part, a value that is no string)."""
    check = fast.renderer(STYLE, render.TEXT).check
    names: list[Any] = [
        {"family": "Ng", "given": "Andrew Y."},
        {"given": "Ludwig", "non-dropping-particle": "van", "family": "Beethoven"},
        {"literal": "IEEE"},
        {"family": '<span class="nocase">iRobot</span>'},
        {"family": ""},
        {"family": ["Ng"]},
        "Ng",
    ]
    cache: dict[Any, str | None] = {}
    for _ in range(2):
        for name in names:
            try:
                expected: str | None = fast._name_text(name, check)
            except fast._Ineligible:
                expected = None
            try:
                got: str | None = fast._names_text([name], check, cache)[0]
            except fast._Ineligible:
                got = None
            assert got == expected, name
    assert fast._names_text(names[:3], check, cache) == ["A. Y. Ng", "L. van Beethoven", "IEEE"]
    assert len(cache) == 5  # the list and the string are not kept


def with_names(kind: str, count: int, roles: tuple[str, ...]) -> Reference:
    return Reference(
        id=f"{kind}-{count}-{'-'.join(roles)}",
        type=kind,
        title=(Text("On lists of names"),),
        container_title=(Text("Proceedings of Names"),),
        publisher="IEEE",
        publisher_place="New York, NY, USA",
        volume="3",
        page="10-20",
        issued=Date(parts=((2021, 5),)),
        **{role: people(count, start=n) for n, role in enumerate(roles)},
    )


NAME_CASES = [
    (kind, count, roles)
    for kind in ("article-journal", "book", "chapter", "paper-conference", "report")
    for roles in (("author",), ("editor",), ("author", "editor"), ("translator",),
                  ("author", "editor", "translator"))
    for count in range(1, 13)
]  # fmt: skip


def test_every_count_of_names_renders_the_same() -> None:
    """1 to 12 authors, editors and translators (et-al-min is 7) in five types: all taken by
    the fast path, in every target, each the same as citeproc-py's entry."""
    renderers = {target.name: fast.FastRenderer(STYLE, target) for target in TARGETS}
    for kind, count, roles in NAME_CASES:
        ref = with_names(kind, count, roles)
        assert differ(ref, renderers=renderers) == (len(TARGETS), len(TARGETS)), ref.id
    # One template per shape whatever the number of names: the count only decides whether
    # an editor's or translator's label is plural.
    shapes = {(kind, roles, count > 1) for kind, count, roles in NAME_CASES}
    assert len(renderers["text"]._templates) <= len(shapes) == len(NAME_CASES) // 6


def test_names_written_differently_per_element_keep_a_slot_per_name(tmp_path: Path) -> None:
    """When the style's cs:name elements do not all write a list alike, lists are not taken
    whole (their count is part of the shape again) and the output is still citeproc-py's."""
    text = render.resolve_style("ieee").read_text(encoding="utf-8")
    marker = '<names variable="editor">\n      <name and="text" delimiter=", "'
    assert marker in text
    path = tmp_path / "editors.csl"
    path.write_text(text.replace(marker, marker.replace('", "', '"; "')), encoding="utf-8")
    style = render.load_style(str(path))
    renderers = {target.name: fast.FastRenderer(style, target) for target in TARGETS}
    assert all(r.check.usable and r._write_list is None for r in renderers.values())
    taken = 0
    for kind, count, roles in NAME_CASES:
        taken += differ(with_names(kind, count, roles), style, renderers)[0]
    assert taken > len(NAME_CASES) * len(TARGETS) // 2


def test_dates_are_known_without_a_probe_render() -> None:
    """The recorder names each template's cs:date: no probe render, same output."""
    renderers = {target.name: fast.FastRenderer(STYLE, target) for target in TARGETS}
    taken = sum(differ(ref, renderers=renderers)[0] > 0 for ref in load_references())
    assert taken >= 90
    text = renderers["text"]
    assert any(t is not None and t.dates for t in text._templates.values())
    assert text._date_elements == {}  # the probe never ran


def test_a_date_made_for_one_year_serves_every_year() -> None:
    """A date's text is rendered once per month, day and season (year 7340000) and the year's
    digits put in: the same text as citeproc-py's for that date, in every target."""
    for target in TARGETS:
        renderer = fast.FastRenderer(STYLE, target)
        checked = 0
        for variable, elements in renderer.check.dates.items():
            for element in elements:
                for parts in [(y,) for y in (1000, 2024, 999_999)] + [
                    (y, m, *d) for y in (1000, 1999, 2024) for m in range(1, 13)
                    for d in ((), (1,), (2,), (3,), (11,), (22,), (31,))
                ]:  # fmt: skip
                    for extra in ((), (("season", "1"),), (("circa", True),)):
                        value = fast._Date(variable, (("date-parts", (parts,)), *extra))
                        direct = renderer._render_date(element, value)
                        assert renderer._date_text(element, value) == direct, (parts, extra)
                        checked += direct is not None
        assert checked > 1000, target.name
        general = [v for _, v in renderer._date_texts if v.value[0][1][0][0] == fast._YEAR_BASE]
        assert 0 < len(general) < checked // 2  # the texts were made for year 7340000


def test_the_probe_finds_the_dates_without_the_recorder() -> None:
    """With the recorder off (a style naming a date outside cs:date), the probe render finds
    the same cs:date elements: same output."""
    renderers = {}
    for target in TARGETS:
        renderer = fast.FastRenderer(STYLE, target)
        renderer.check = dataclasses.replace(renderer.check, dates_only=False)
        renderers[target.name] = renderer
    taken = sum(differ(ref, renderers=renderers)[0] > 0 for ref in load_references())
    assert taken >= 90
    assert renderers["text"]._date_elements != {}


# --- start-up: a conversion imports only the formats it uses ------------------------------

#: Modules a CSL-JSON -> IEEE text conversion does not need (BibTeX, RIS, LaTeX, plug-ins, -j).
NOT_NEEDED = (
    "bibtexparser", "pylatexenc", "multiprocessing", "importlib.metadata",
    "citeport.formats.ris",
)  # fmt: skip


def _convert_in_a_fresh_python(source: Path, out: Path, flags: list[str], probe: str) -> str:
    """`citeport convert SOURCE --to ieee` in a new interpreter: "<exit status> <probe>", the
    probe (a Python expression) evaluated after the conversion."""
    code = (
        "import sys\nfrom citeport.cli import main\n"
        f"status = main(['convert', {str(source)!r}, '--from', 'csljson', '-j', '1', "
        f"'--to', 'ieee', '-o', {str(out)!r}, *{flags!r}])\n"
        f"print(status, {probe})"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout.split("\n")[0]


def test_a_conversion_to_ieee_imports_only_what_it_needs(tmp_path: Path) -> None:
    """Start-up is most of a small conversion's time: the CLI finds its two formats without
    importing every format module (and plug-ins' metadata), the text target no LaTeX."""
    source = tmp_path / "in.json"
    source.write_text('[{"id": "a", "type": "book", "title": "T", "issued": {"date-parts": '
                      '[[2020]]}}]', encoding="utf-8")  # fmt: skip
    probe = f"sorted(m for m in {NOT_NEEDED!r} if m in sys.modules)"
    assert _convert_in_a_fresh_python(source, tmp_path / "out.txt", [], probe) == "0 []"
    assert (tmp_path / "out.txt").read_text(encoding="utf-8") == "[1] T. 2020.\n"


def test_full_journal_names_load_no_abbreviation_tables(tmp_path: Path) -> None:
    """The journal and conference tables are imported only when names are abbreviated."""
    source = tmp_path / "in.json"
    source.write_text('[{"id": "a", "type": "article-journal", "title": "T", '
                      '"container-title": "Journal of Tests"}]', encoding="utf-8")  # fmt: skip
    tables = "citeport.formats.ieee.abbreviations"
    for flags, imported in (["--full-journal-names"], False), ([], True):
        probe = f"{tables!r} in sys.modules"
        shown = _convert_in_a_fresh_python(source, tmp_path / "out.txt", flags, probe)
        assert shown == f"0 {imported}"
    assert (tmp_path / "out.txt").read_text(encoding="utf-8") == "[1] “T,” J. Tests.\n"


def test_builtin_formats_are_found_as_in_the_whole_table() -> None:
    table = registry.formats()
    names = {name for info in table for name in (info.name, *info.aliases)}
    for name in sorted(names | {n.upper() for n in names} | {"ieee-x", "csl", "x"}):
        first = next(
            (i for i in table if i.name == name.lower() or name.lower() in i.aliases), None
        )
        assert registry.find(name) is first, name
        for role, listed in (("reader", registry.readers()), ("writer", registry.writers())):
            assert (name in registry.FormatNames(role)) == (name in listed), (name, role)
    assert list(registry.FormatNames("writer")) == registry.writers()


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
    translator=st.one_of(st.just(()), st.just(()), NAMES),
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
    taken, _ = differ(ref)
    event(f"targets taken by the fast path: {taken}")
    names = max(len(ref.author), len(ref.editor), len(ref.translator))
    event(f"longest name list: {'7+' if names >= 7 else names}")
