"""BibTeX reader, LaTeX parsing and classic BibTeX round trips: exact values a user gets."""

from __future__ import annotations

import io
import json

import pytest

from citeport import Date, DiagnosticLog, Math, Name, NoCase, Styled, Text, WriteOptions, plain
from citeport.formats import bibtex, csljson
from citeport.formats.bibtex.reader import QUOTED_AT, chunks
from citeport.markup import latex
from citeport.registry import detect, find

from .conftest import CASES

BIB = CASES / "bibtex"


def read(name: str) -> tuple[list, list[str], DiagnosticLog]:  # type: ignore[type-arg]
    log = DiagnosticLog()
    with (BIB / name).open("rb") as stream:
        refs = list(bibtex.read(stream, name, log))
    return refs, [str(d) for d in log], log


def read_text(text: str) -> tuple[list, list[str]]:  # type: ignore[type-arg]
    log = DiagnosticLog()
    refs = list(bibtex.read(io.BytesIO(text.encode()), "t.bib", log))
    return refs, [str(d) for d in log]


def write(refs, unicode: bool = False) -> str:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    bibtex.write(refs, out, DiagnosticLog(), WriteOptions(unicode=unicode))
    return out.getvalue()


def test_latex_accents_in_every_spelling() -> None:
    value = r"{\"u}ber \"{u} \"u {\ss} \ss{} \o\ \& a--b---c~d ``q''"
    assert latex.parse(value) == (Text("über ü ü ß ß ø & a–b—c\u00a0d “q”"),)


def test_latex_braces_styles_and_math() -> None:
    assert latex.parse(r"The {DNA} of \emph{E. coli} and $\ell^1$ {$x$} \textsuperscript{2}") == (
        Text("The "),
        NoCase((Text("DNA"),)),
        Text(" of "),
        Styled("italic", (Text("E. coli"),)),
        Text(" and "),
        Math(r"\ell^1"),
        Text(" "),
        Math("x"),
        Text(" "),
        Styled("sup", (Text("2"),)),
    )
    assert latex.parse(r"{\em a} \textbf{b} \textsc{c} \textsubscript{d}") == (
        Styled("italic", (Text("a"),)),
        Text(" "),
        Styled("bold", (Text("b"),)),
        Text(" "),
        Styled("smallcaps", (Text("c"),)),
        Text(" "),
        Styled("sub", (Text("d"),)),
    )


def test_latex_percent_is_literal_and_broken_input_does_not_raise() -> None:
    assert latex.parse("50% of") == (Text("50% of"),)
    assert latex.parse(r"\href{x}") != ()
    assert latex.parse("{unclosed") == (NoCase((Text("unclosed"),)),)


def test_features_file_values() -> None:
    refs, notes, log = read("features.bib")
    assert [r.id for r in refs] == ["gribonval2026", "proc", "child", "web"]
    first = refs[0]
    assert first.title == (
        Text("Rapture of the "),
        NoCase((Text("Deep"),)),
        Text(": "),
        NoCase((Text("DNA"),)),
        Text(" in "),
        Styled("italic", (Text("E.\u00a0coli"),)),
        Text(" and "),
        Math(r"\ell^1"),
        Text(" — über Ü ö ß ø 50% & more"),
    )
    assert first.author == (
        Name(family="Gribonval", given="Rémi"),
        Name(family="Berg", given="Vincent", non_dropping_particle="van der"),
        Name(family="King", given="Martin", suffix="Jr."),
        Name(literal="IEEE Signal Processing Society"),
    )
    assert first.container_title == (Text("IEEE Signal Processing Magazine"),)  # @string + #
    assert first.issued == Date(parts=((2026, 3),))
    assert (first.volume, first.issue, first.page) == ("43", "2", "10-23")
    assert first.doi == "10.1109/MSP.2025.3611564"
    assert first.keyword == ("sparsity", "deep learning")
    assert first.extra == {
        "bibtex": {"eprint": "2601.00001", "eprinttype": "arxiv", "@others": "author"}
    }
    child = refs[2]  # crossref to a parent that comes later
    assert child.type == "paper-conference"
    assert child.container_title == (Text("Proceedings of the Analytical Engine Workshop"),)
    assert (child.publisher, child.publisher_place, child.issued) == (
        "Taylor",
        "London",
        Date(parts=((1843,),)),
    )
    web = refs[3]
    assert web.type == "webpage" and web.extra == {
        "bibtex": {"@type": "online", "date": "2024-05-06"}
    }
    assert web.accessed == Date(parts=((2025, 1, 2),))
    assert web.url == "https://example.org/a_b"
    assert web.title == (Text("A Page"),)  # the duplicate field: the first value is kept
    assert notes == [
        "features.bib:3: info[BIB109] @preamble is not kept (no place in the model)",
        "features.bib:35: error[BIB101] entry cannot be parsed (BlockAbortedException): "
        "'@article{broken,', skipped",
        "features.bib:39: error[BIB102] duplicate key 'gribonval2026'; the first entry is kept, "
        "this one skipped",
        "features.bib:43: warning[BIB103] field 'title' given twice; the first value is kept",
    ]
    assert log.skipped == 2
    assert [r.provenance.line for r in refs] == [6, 28, 21, 43]


def test_encodings() -> None:
    refs, notes, _ = read("latin1.bib")
    assert refs[0].title == (Text("Café €"),)
    assert refs[0].author == (Name(family="Müller", given="Jürgen"),)
    assert notes == ["latin1.bib:2: warning[BIB105] input is not valid UTF-8; read as Windows-1252"]
    for name in ("utf16.bib", "bom.bib"):
        refs, notes, _ = read(name)
        assert refs[0].title == (Text("Über"),) and notes == []


def test_undefined_macro_month_names_and_dates() -> None:
    refs, notes = read_text(
        "@article{a, title = nosuch, year = {1999}, month = {August}}\n"
        "@article{b, title = {T}, date = {2020-01-02/2020-02-03}}\n"
        "@article{c, title = {T}, date = {Spring 2020}}\n"
    )
    assert refs[0].title == (Text("nosuch"),)
    assert refs[0].issued == Date(parts=((1999, 8),))
    assert refs[1].issued == Date(parts=((2020, 1, 2), (2020, 2, 3)))
    assert refs[2].issued == Date(literal="Spring 2020")
    assert notes == [
        "t.bib:1: warning[BIB104] @string 'nosuch' is not defined; its name is kept as the value",
        "t.bib:3: warning[BIB108] date 'Spring 2020' is not a date; kept as text",
    ]


def test_xdata_and_name_forms() -> None:
    refs, notes = read_text(
        "@xdata{pub, publisher = {Springer}, location = {Berlin}}\n"
        "@book{k, author = {Ludwig van Beethoven and de la Fontaine, Jean and {Barnes and Noble}},"
        " title = {B}, xdata = {pub}, year = 1800}\n"
    )
    assert notes == []
    assert [r.id for r in refs] == ["k"]
    assert (refs[0].publisher, refs[0].publisher_place) == ("Springer", "Berlin")
    assert refs[0].author == (
        Name(family="Beethoven", given="Ludwig", non_dropping_particle="van"),
        Name(family="Fontaine", given="Jean", non_dropping_particle="de la"),
        Name(literal="Barnes and Noble"),
    )


def test_chunks_keep_line_numbers_and_split_unclosed_entries() -> None:
    text = "@string{a = {x}}\n@article{k1,\n  title = {open\n@article{k2, title={t}}\n"
    assert list(chunks(text)) == [
        (0, "@string{a = {x}}\n"),
        (1, "@article{k1,\n  title = {open\n"),
        (3, "@article{k2, title={t}}\n"),
    ]
    # an `@` starting a line inside a value is hidden from bibtexparser, and given back
    assert list(chunks("@article{k, abstract = {a\n@ b}}\n")) == [
        (0, f"@article{{k, abstract = {{a\n{QUOTED_AT} b}}}}\n")
    ]
    assert read_text("@article{k, abstract = {a\n@b{c}}}\n")[0][0].abstract == (
        Text("a @b"),
        NoCase((Text("c"),)),
    )


@pytest.mark.parametrize("inside", ["\u2028", "\u2029", "\x85", "\x0b", "\x0c"])
def test_only_line_feeds_and_carriage_returns_end_lines(inside: str) -> None:
    """Line numbers count what bibtexparser and editors count: LF, CR LF, a lone CR; a line
    separator or form feed inside a value is no line end (`str.splitlines` takes it for one)."""
    text = f"@misc{{a, title = {{x{inside}y}}}}\n@misc{{b, journal = nosuch}}\r\n"
    refs, notes = read_text(text + "@misc{c, journal = other}\r@misc{d, journal = third}")
    assert [ref.id for ref in refs] == ["a", "b", "c", "d"]
    assert [note.split(": ")[0] for note in notes] == ["t.bib:2", "t.bib:3", "t.bib:4"]


def test_round_trip_keeps_every_field() -> None:
    refs, _, _ = read("features.bib")
    for unicode in (False, True):
        again, notes = read_text(write(refs, unicode))
        assert notes == []
        assert [r.provenance is not None for r in again] == [True] * 4
        assert [_comparable(r) for r in again] == [_comparable(r) for r in refs]


def _comparable(ref) -> dict:  # type: ignore[no-untyped-def, type-arg]
    """Every field; titles as text (the writer adds case protection to capitals on purpose)."""
    fields = _fields(ref)
    fields["title"] = plain(ref.title)
    fields["provenance"] = None
    return fields


def _fields(ref) -> dict:  # type: ignore[no-untyped-def, type-arg]
    return {name: getattr(ref, name) for name in ref.__slots__ if not name.startswith("_")}


def test_writer_keeps_kept_fields_but_not_other_extra() -> None:
    refs, _, _ = read("features.bib")
    ref = refs[0]
    other = ref.__class__(**{**_fields(ref), "extra": {**ref.extra, "aggregator": {"JCR": "Q1"}}})
    text = write([other])
    assert "eprint = {2601.00001},\n  eprinttype = {arxiv}\n}" in text
    assert "JCR" not in text
    assert "{IEEE Signal Processing Society} and others}," in text


def test_registry_and_detection() -> None:
    info = find("bibtex")
    assert info is not None and info.reader is bibtex.read
    assert detect("refs.txt", b"% comment\n@article{k, title={t}}\n") is info
    assert detect("refs.biblatex", b"") is info
    assert bibtex.sniff(b'{"title": "@article{"}') == 0


# --- review fixes: nothing vanishes, quoted entries, code fields, logging -----------------------

_ALTERNATIVES = (
    "@article{a, title={T}, journal={J}, journaltitle={JT}, booktitle={B}, address={A},\n"
    "  location={L}, language={German}, langid={ngerman}, year={2019}, month={feb},\n"
    "  date={2020-03}}\n"
    "@article{same, title={T}, journal={J}, journaltitle={J}, address={L}, location={L},\n"
    "  language={English}, langid={english}, year=2020, month=mar, date={2020-03}}\n"
    "@article{nodate, title={T}, month=apr}\n"
)


def test_alternative_fields_are_kept_when_they_differ() -> None:
    refs, notes = read_text(_ALTERNATIVES)
    first, same, nodate = refs
    assert first.container_title == (Text("JT"),)
    assert (first.publisher_place, first.language) == ("L", "ngerman")
    assert first.issued == Date(parts=((2020, 3),))
    assert first.extra == {
        "bibtex": {
            "journal": "J",
            "booktitle": "B",
            "address": "A",
            "language": "German",
            "year": "2019",
            "month": "feb",
            "date": "2020-03",
        }
    }
    # equal values say nothing new: mapped, not kept
    assert same.extra == {"bibtex": {"date": "2020-03"}}
    # a month without a year (JabRef's articleWithMonths.bib): no date, the month kept
    assert nodate.issued is None and nodate.extra == {"bibtex": {"month": "April"}}
    assert notes == [
        "t.bib:6: warning[BIB108] month 'April' without a year is no date; kept as a field"
    ]


def test_writers_give_kept_alternatives_back_or_report_them() -> None:
    refs, _ = read_text(_ALTERNATIVES)
    out, log = io.StringIO(), DiagnosticLog()
    bibtex.write_biblatex(refs[:1], out, log, WriteOptions())
    assert out.getvalue() == (
        "@article{a,\n  title = {T},\n  journaltitle = {JT},\n  date = {2020-03},\n"
        "  location = {L},\n  language = {ngerman},\n  journal = {J},\n  booktitle = {B},\n"
        "  address = {A}\n}\n"
    )
    assert [str(d) for d in log] == [
        "t.bib:1: warning[BIB007] field 'language' kept from the input ('German') not written: "
        "`language` holds the model's value",
        "t.bib:1: warning[BIB007] field 'year' kept from the input ('2019') not written: "
        "`date` holds the model's value",
        "t.bib:1: warning[BIB007] field 'month' kept from the input ('feb') not written: "
        "`date` holds the model's value",
    ]
    out, log = io.StringIO(), DiagnosticLog()
    bibtex.write(refs, out, log, WriteOptions())
    assert "  booktitle = {B},\n  date = {2020-03}\n}" in out.getvalue()
    assert "@article{nodate,\n  title = {T},\n  month = {April}\n}\n" in out.getvalue()
    assert [(d.code, d.location.field) for d in log] == [
        ("BIB007", "journal"),
        ("BIB007", "address"),
        ("BIB007", "language"),
        ("BIB007", "year"),
        ("BIB007", "month"),
    ]


def test_an_entry_quoted_in_a_field_stays_in_its_field() -> None:
    text = (
        "@misc{q,\n  title = {Quoting},\n  note = {Cite it as\n@article{key,\n  title = {T},\n}\n"
        "in your file.},\n}\n@book{b, title = {B}}\n"
    )
    refs, notes = read_text(text)
    assert [r.id for r in refs] == ["q", "b"] and notes == []
    assert refs[0].note == "Cite it as @articlekey, title = T, in your file."  # LaTeX braces
    # an entry that lost its closing brace after a complete field still ends there: it is
    # reported, and the next entry is read
    refs, notes = read_text("@article{k1,\n  title = {T},\n@article{k2,\n  title = {U},\n}\n")
    assert [r.id for r in refs] == ["k2"]
    assert notes == [
        "t.bib:1: error[BIB101] entry cannot be parsed (BlockAbortedException): '@article{k1,', "
        "skipped"
    ]


def test_execute_is_kept_but_never_written() -> None:
    refs, notes = read_text(r"@article{k, title={T}, execute={\immediate\write18{rm -rf ~}}}")
    assert notes == []
    assert refs[0].extra == {"bibtex": {"execute": r"\immediate\write18{rm -rf ~}"}}
    for writer in (bibtex.write, bibtex.write_biblatex):
        out, log = io.StringIO(), DiagnosticLog()
        writer(refs, out, log, WriteOptions())
        assert out.getvalue() == "@article{k,\n  title = {T}\n}\n"
        assert [str(d) for d in log] == [
            "t.bib:1: warning[BIB006] field 'execute' holds TeX code biblatex runs; not written"
        ]


def test_bibtexparser_logging_is_filtered_not_switched_off() -> None:
    import logging

    import bibtexparser

    from citeport.formats.bibtex.reader import _OwnBlocks

    logger = logging.getLogger("bibtexparser.splitter")
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    handler = Keep()
    logger.addHandler(handler)
    try:
        broken = "@article{broken,\n@article{ok, title={t}}\n"
        for _ in range(2):
            refs, notes = read_text(broken)
            assert [r.id for r in refs] == ["ok"] and len(notes) == 1
        assert records == []  # the reader reports the broken entry itself (BIB101)
        assert logger.disabled is False
        assert sum(isinstance(f, _OwnBlocks) for f in logger.filters) == 1  # added once
        bibtexparser.parse_string(broken)  # the host application's own use still logs
        assert records != []
    finally:
        logger.removeHandler(handler)


def test_long_values_parsed_span_by_span_equal_the_whole_parse() -> None:
    from citeport.markup import latex

    filler = "plain words that need no parser at all, " * 5
    values = [
        filler
        + r"The ${\mathit{\ell}}^{1}$ penalty -- R{\'e}mi \& \ss c, \textit{Kronecker sparsity} {DNA}.",
        filler
        + r"M\"{u}ller's \emph{in vivo} H\textsubscript{2}O ``quoted'' 50\% and {\'E}cole~Normale",
        filler + r"unbalanced { brace and a stray } and $x_{1}$--$x_{2}$ and \LaTeX\ here",
    ]
    for value in values:
        assert len(value) > latex._SPAN_MIN
        assert latex.parse(value) == latex._parse_whole(value)


def test_tex_logos_read_as_their_names() -> None:
    value = r"\TeX, \LaTeX{}, \LaTeXe, \BibTeX, \XeTeX, \LuaTeX, \AmS, \METAFONT, \MF\ and \MP"
    assert latex.parse(value) == (
        Text("TeX, LaTeX, LaTeX2e, BibTeX, XeTeX, LuaTeX, AMS, METAFONT, METAFONT and METAPOST"),
    )
    assert latex.unknown_commands(value) == ()
    refs, notes = read_text("@book{k, title = {The {\\TeX}book}, publisher = {\\AmS}}")
    assert (refs[0].title, refs[0].publisher, notes) == ((Text("The TeXbook"),), "AMS", [])


def test_font_commands_keep_their_text() -> None:
    # pylatexenc knows \texttt and \mbox take an argument but has no text for them: it dropped
    # the argument with the command.
    assert latex.parse(r"\texttt{grep} in a \mbox{box}, {\tt tt}\relax\/ and \vphantom{x}.") == (
        Text("grep in a box, tt and ."),
    )


def test_unknown_commands_are_kept_as_written_and_reported() -> None:
    refs, notes = read_text(
        "@article{k,\n"
        "  title = {The \\foo{bar} of \\Dash\\ and \\noopsort{a}Z},\n"
        "  journal = {\\aap},\n"
        "  booktitle = {\\bibcyr{Влияние}},\n"
        "  note = {see \\citeauthor{x} and \\foo},\n"
        "  url = {http://x.org/\\y},\n"
        "}\n"
    )
    ref = refs[0]
    assert ref.title == (
        Text("The "),
        NoCase((Text("\\foo{bar}"),)),
        Text(" of "),
        NoCase((Text("\\Dash"),)),
        Text(" and "),
        NoCase((Text("\\noopsort{a}"),)),
        Text("Z"),
    )
    assert ref.note == "see \\citeauthor{x} and \\foo"
    # a field of only a command with no text stays a journal macro, in extra (BIB112); the
    # booktitle of an article stays a field as it was
    assert ref.container_title == ()
    assert ref.extra == {"bibtex": {"journal": "\\aap", "booktitle": "\\bibcyr{Влияние}"}}
    assert notes == [
        "t.bib:1: warning[BIB112] journal '\\\\aap' is only LaTeX commands with no text; "
        "kept as written",
        "t.bib:1: warning[BIB113] unknown LaTeX command \\foo in title; kept as written",
        "t.bib:1: warning[BIB113] unknown LaTeX command \\Dash in title; kept as written",
        "t.bib:1: warning[BIB113] unknown LaTeX command \\noopsort in title; kept as written",
        "t.bib:1: warning[BIB113] unknown LaTeX command \\citeauthor in note; kept as written",
        "t.bib:1: warning[BIB113] unknown LaTeX command \\foo in note; kept as written",
    ]
    log = DiagnosticLog()
    list(bibtex.read(io.BytesIO(b"@misc{m, title={\\foo}}"), "m.bib", log))
    assert [(d.code, d.location.record, d.location.field) for d in log] == [
        ("BIB112", "m", "title")
    ]


def test_an_unknown_command_with_an_argument_is_kept_in_the_model() -> None:
    refs, notes = read_text("@book{k, title = {\\bibcyr{Влияние}}}")
    assert refs[0].title == (NoCase((Text("\\bibcyr{Влияние}"),)),)
    assert notes == [
        "t.bib:1: warning[BIB113] unknown LaTeX command \\bibcyr in title; kept as written"
    ]


def test_unknown_commands_in_rich_text_round_trip_as_written() -> None:
    source = "@article{k, title = {The \\foo{bar} of \\Dash\\ and {\\aap}}, journal = {J}}"
    refs, _ = read_text(source)
    text = write(refs)
    assert "  title = {The {\\foo{bar}} of {\\Dash} and {\\aap}},\n" in text
    again, notes = read_text(text)
    assert again[0].title == refs[0].title
    assert len(notes) == 3 and all("BIB113" in note for note in notes)


class _Pipe(io.RawIOBase):
    """A stream that cannot seek (as a pipe): the reader reads it whole."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        chunk = self._data.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)


_STREAMED = (
    b'@string{jr = "Journal of Tests"}\n'
    b"@book{parent1, title = {Parent One}, publisher = {P}, year = 2001}\n"
    b"@inbook{child1, crossref = {parent1}, title = {Child One}}\n"
    b"@inbook{child2, crossref =\n   {parent2}, title = {Child Two}, journal = jr}\n"
    b"@article{open, title = {Open\n"
    b"@article{late, title = {Caf\xe9}, note = {x\x01y}}\n"
    b"@book{parent2, title = {Parent Two}, year = 2002}\n"
    b"@article{child1, title = {Again}}\n"
    b"@misc{orphan, crossref = {nowhere}}\n"
)


def _diagnostics(log: DiagnosticLog) -> list[tuple[str, int | None, str | None, str]]:
    return [(d.code, d.location.line, d.location.record, d.message) for d in log]


def test_blocks_of_any_size_read_as_the_whole_text(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from citeport.formats.bibtex import reader

    whole = DiagnosticLog()
    expected = [_fields(r) for r in bibtex.read(_Pipe(_STREAMED), "s.bib", whole)]
    assert [(d.code, d.location.line, d.location.record) for d in whole] == [
        ("BIB105", 7, None),
        ("BIB110", 7, None),
        ("BIB101", 6, None),
        ("BIB102", 9, "child1"),
        ("BIB106", 10, "orphan"),
    ]
    assert [r["id"] for r in expected] == ["parent1", "child1", "late", "parent2", "child2",
                                           "orphan"]  # fmt: skip
    late = next(r for r in expected if r["id"] == "late")
    assert plain(late["title"]) == "Café" and late["note"] == "xy"
    child2 = next(r for r in expected if r["id"] == "child2")
    assert child2["issued"] == Date(parts=((2002,),))
    assert plain(child2["container_title"]) == "Journal of Tests"
    for size in (1, 7, 40, 1 << 20):
        monkeypatch.setattr(reader, "BLOCK_BYTES", size)
        log = DiagnosticLog()
        refs = [_fields(r) for r in bibtex.read(io.BytesIO(_STREAMED), "s.bib", log)]
        assert refs == expected, size
        assert _diagnostics(log) == _diagnostics(whole), size


def test_scan_finds_parent_keys_cut_across_blocks() -> None:
    from citeport.formats.bibtex.reader import _Scan

    scan = _Scan()
    for block in ("@a{x, crossref =\n", "  {par\n", "ent}, xdata = {p2, p3}}\n", "@b{y, Xdata\n"):
        scan.add(block)
    scan.add("=\n")
    scan.add('"last"}\n')
    scan.add("@c{z, title = {open\n")
    scan.finish()
    assert scan.wanted == {"par\nent", "p2", "p3", "last"}
    assert scan.lines == 7
    # the depth after each line: 1 2 0 1 1 0 2; the lowest from a line on
    assert [scan.floor(n) for n in range(7)] == [0, 0, 0, 0, 0, 0, 2]


def test_csljson_day_and_custom_are_dropped_where_bibtex_has_no_field() -> None:
    """What a CSL-JSON export loses in BibTeX, and only that (issue #6's audit of the ledger).

    Classic BibTeX has no day field: the day is dropped and reported (Better BibTeX's BibTeX
    exporter also writes `year` and `month` only), BibLaTeX keeps it in `date`. `custom` holds
    an aggregator's bookkeeping (its record id, impact factor, open-access flag): neither dialect
    has a field for it, and it is reported once per entry.
    """
    item = {
        "id": "vivo1992dynamics",
        "type": "article-journal",
        "title": "The <i>in vivo</i> Dynamics of Edge Computing",
        "container-title": "IEEE Transactions on Signal Processing",
        "volume": "40",
        "issue": "23",
        "page": "10835-10845",
        "issued": {"date-parts": [[1992, 1, 7]]},
        "DOI": "10.1109/TSP.1992.2458591",
        "custom": {"source-id": "147000001", "PeriodicalIF": 5.4, "isOpenAccess": True},
    }
    refs = list(csljson.read(io.BytesIO(json.dumps([item]).encode()), "in.json", DiagnosticLog()))
    fields = (
        "  title = {The \\textit{in vivo} {Dynamics} of {Edge Computing}},\n"
        "  {journal} = {IEEE Transactions on Signal Processing},\n"
        "{date}"
        "  volume = {40},\n"
        "  number = {23},\n"
        "  pages = {10835--10845},\n"
        "  doi = {10.1109/TSP.1992.2458591}\n"
    )
    custom = "in.json:1: info[BIB004] csl field 'custom' has no BibTeX field; dropped"
    for writer, journal, date, notes in (
        (
            bibtex.write,
            "journal",
            "  year = {1992},\n  month = jan,\n",
            [
                "in.json:1: info[BIB002] day 7 of the date has no classic BibTeX field; dropped",
                custom,
            ],
        ),
        (bibtex.write_biblatex, "journaltitle", "  date = {1992-01-07},\n", [custom]),
    ):
        out = io.StringIO()
        log = DiagnosticLog()
        writer(refs, out, log, WriteOptions())
        body = fields.replace("{journal}", journal).replace("{date}", date)
        assert out.getvalue() == "@article{vivo1992dynamics,\n" + body + "}\n"
        assert [str(d) for d in log] == notes
