"""Property tests: model -> BibTeX -> model keeps every field BibTeX can express.

References are generated directly with `citeport.model` (names with particles, suffixes and
literals; partial dates and ranges; rich text with math, italics and protected case; pages,
DOIs and URLs with `% # _ ~`; values with every LaTeX special character and unbalanced braces,
and non-ASCII text) and written with `citeport.formats.bibtex.write`, in ASCII and in Unicode
mode, then read back with `read`. What BibTeX cannot express is left out of the generators and
checked on its own: each such field must come with a diagnostic.

Normalisations the comparison allows, each a property of BibTeX itself:
- whitespace: BibTeX values are whitespace-insensitive, so generated text has single spaces
  and no space at either end;
- titles: the writer protects capitals a style would lower-case (`{DNA}`) on purpose, so a
  title is compared without its case-protection wrappers, and every span protected before must
  still be protected after;
- `extra["bibtex"]`: the reader keeps `day`, `date` and the entry type there as bookkeeping.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import fields, replace
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citeport import DiagnosticLog, WriteOptions
from citeport.formats import bibtex
from citeport.model import Date, Name, Reference
from citeport.richtext import Inline, Math, NoCase, RichText, Styled, Text

# --- generators -------------------------------------------------------------------------------

#: Characters for free text: letters, digits, every LaTeX/BibTeX special character, typography
#: (dashes, quotes, minus, no-break space) and non-ASCII letters, some of them without any
#: LaTeX spelling (kept as UTF-8 and reported in ASCII mode).
_SPECIAL = "{}%#&_\\$~^"
_TYPO = "\u2013\u2014\u2018\u2019\u201c\u201d\u2212\u00a0'`\"-.,:;!?()[]/@*+=<>|"
_NON_ASCII = "éüßøŁçÅñĳœ\u00b7µ°×±€£§©®™…αβΩ中文ΣЖ"
_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 " + (
    _SPECIAL + _TYPO + _NON_ASCII
)


def _clean(value: str) -> str:
    """Single ASCII spaces, none at either end (a no-break space is kept: it is not a space)."""
    return " ".join(part for part in unicodedata.normalize("NFC", value).split(" ") if part)


_text = st.text(alphabet=_ALPHABET, min_size=1, max_size=24).map(_clean).filter(bool)
_word = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéüøß", min_size=1, max_size=8)
_Word = st.builds(lambda w: w[:1].upper() + w[1:], _word)
_letters = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéüÅø", min_size=1,
                   max_size=10)  # fmt: skip

_MATH_PIECES = ("x", "y_i", "\\alpha", "^{2}", "+", "\\frac{a}{b}", "\\ell^1", "-", "=", " ",
                "\\mathrm{d}", "\\{", "\\}", "\\%")  # fmt: skip
_math = st.lists(st.sampled_from(_MATH_PIECES), min_size=1, max_size=5).map(
    lambda pieces: " ".join("".join(pieces).split()) or "x"
)

_inline: st.SearchStrategy[Inline] = st.one_of(
    _text.map(Text),
    _math.map(Math),
    st.builds(NoCase, _letters.map(lambda t: (Text(t),))),
    st.builds(
        Styled,
        st.sampled_from(("italic", "bold", "sup", "sub", "smallcaps")),
        _text.map(lambda t: (Text(t),)),
    ),
)


def _normal_rich(nodes: list[Inline]) -> RichText:
    """Merge neighbouring text runs and collapse their spaces, as any reader would."""
    merged: list[Inline] = []
    for node in nodes:
        if type(node) is Text and merged and type(merged[-1]) is Text:
            merged[-1] = Text(merged[-1].text + " " + node.text)
        else:
            merged.append(node)
    folded = (Text(" ".join(n.text.split())) if type(n) is Text else n for n in merged)
    # A run of only (Unicode) spaces folds to nothing, as it does in every reader.
    return tuple(n for n in folded if not (type(n) is Text and not n.text))


_rich = st.lists(_inline, min_size=1, max_size=5).map(_normal_rich).filter(bool)


def _name_from(parts: tuple[str, str, str, str]) -> Name:
    family, given, particle, suffix = parts
    return Name(family=family, given=given, non_dropping_particle=particle, suffix=suffix)


_name = st.one_of(
    st.tuples(
        st.lists(_Word, min_size=1, max_size=2).map(" ".join),
        st.one_of(st.just(""), st.lists(_Word, min_size=1, max_size=2).map(" ".join),
                  st.sampled_from(("J.-P.", "Q.-T.", "Rémi", "Ægir"))),
        st.sampled_from(("", "", "van", "van der", "de la", "von", "di")),
        st.sampled_from(("", "", "Jr.", "III", "Sr.")),
    ).map(_name_from),
    st.sampled_from(("IEEE Signal Processing Society", "Barnes and Noble", "Smith, Jones & Co",
                     "Ĳssel Group", "R Core Team")).map(lambda n: Name(literal=n)),
)  # fmt: skip

_year = st.integers(1000, 2099)
_date = st.one_of(
    st.tuples(_year).map(lambda p: Date(parts=(p,))),
    st.tuples(_year, st.integers(1, 12)).map(lambda p: Date(parts=(p,))),
    st.tuples(_year, st.integers(1, 12), st.integers(1, 28)).map(lambda p: Date(parts=(p,))),
    st.tuples(_year, st.integers(1, 12), st.integers(1, 28)).map(
        lambda p: Date(parts=(p, (p[0] + 1, p[1], p[2])))
    ),
)
_pages = st.sampled_from(("10-23", "e1234", "C3", "iv-x", "101", "S1-S9", "1234567"))
_number = st.sampled_from(("43", "2", "1-2", "Suppl. 1", "A7", "12b"))
_url_chars = "abcdefghijklmnopqrstuvwxyz0123456789/.-_~%#&?=:+"
_url = st.text(alphabet=_url_chars, min_size=1, max_size=20).map(
    lambda p: "https://example.org/" + p
)
_doi = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789./-_;()<>%#~", min_size=1,
               max_size=16).map(lambda s: "10.1000/" + s)  # fmt: skip
_keyword = (
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz éü-", min_size=1, max_size=12)
    .map(_clean)
    .filter(bool)
)

#: CSL types each with a classic BibTeX entry type of its own.
_TYPES = ("article-journal", "paper-conference", "chapter", "book", "thesis", "report",
          "manuscript", "pamphlet")  # fmt: skip


@st.composite
def references(draw: st.DrawFn) -> Reference:
    """A reference with only what classic BibTeX can express, most fields optional."""

    def maybe(strategy: st.SearchStrategy[Any], empty: Any = "") -> Any:
        return draw(st.one_of(st.just(empty), strategy))

    kind = draw(st.sampled_from(_TYPES))
    issue = maybe(_number)
    return Reference(
        id="ref",
        type=kind,
        title=draw(_rich),
        author=tuple(draw(st.lists(_name, max_size=3))),
        editor=tuple(draw(st.lists(_name, max_size=2))),
        container_title=maybe(_rich, ()),
        volume=maybe(_number),
        issue=issue,
        number=maybe(_number) if kind != "article-journal" else "",
        page=maybe(_pages),
        edition=maybe(_text),
        issued=maybe(_date, None),
        accessed=maybe(_date, None),
        publisher=maybe(_text),
        publisher_place=maybe(_text),
        doi=maybe(_doi),
        url=maybe(_url),
        isbn=maybe(st.sampled_from(("978-3-16-148410-0", "0-306-40615-2"))),
        issn=maybe(st.sampled_from(("1053-5888", "0018-9448"))),
        language=maybe(st.sampled_from(("en", "de", "english"))),
        abstract=maybe(_rich, ()),
        keyword=tuple(draw(st.lists(_keyword, max_size=3, unique=True))),
        note=maybe(_text),
        genre=maybe(_text),
    )


# --- helpers ----------------------------------------------------------------------------------


def _write(refs: list[Reference], unicode: bool) -> tuple[str, DiagnosticLog]:
    out = io.StringIO()
    log = DiagnosticLog()
    bibtex.write(refs, out, log, WriteOptions(unicode=unicode))
    return out.getvalue(), log


def _read(text: str) -> tuple[list[Reference], DiagnosticLog]:
    log = DiagnosticLog()
    return list(bibtex.read(io.BytesIO(text.encode("utf-8")), "t.bib", log)), log


def _unprotected(rich: RichText) -> RichText:
    """The tree without its case-protection wrappers (text runs merged again)."""
    out: list[Inline] = []
    for node in rich:
        if type(node) is Styled:
            node = Styled(node.style, _unprotected(node.children))
        for inner in _unprotected(node.children) if type(node) is NoCase else (node,):
            if type(inner) is Text and out and type(out[-1]) is Text:
                out[-1] = Text(out[-1].text + inner.text)
            else:
                out.append(inner)
    return tuple(out)


def _protected_spans(rich: RichText) -> list[str]:
    return [_flat(n.children) for n in rich if type(n) is NoCase]


def _flat(rich: RichText) -> str:
    return "".join(n.text if type(n) is Text else _flat(getattr(n, "children", ())) for n in rich)


_BOOKKEEPING = frozenset(("day", "date", "@type"))


def _comparable(ref: Reference) -> dict[str, Any]:
    values = {f.name: getattr(ref, f.name) for f in fields(Reference)}
    for name in ("id", "citation_key", "provenance"):
        values.pop(name)
    values["title"] = _unprotected(ref.title)
    kept = {k: v for k, v in ref.extra.get("bibtex", {}).items() if k not in _BOOKKEEPING}
    values["extra"] = {"bibtex": kept} if kept else {}
    return values


def _round_trip(ref: Reference, unicode: bool) -> None:
    text, written_log = _write([ref], unicode)
    (back,), read_log = _read(text)
    assert [str(d) for d in read_log] == [], text
    before, after = _comparable(ref), _comparable(back)
    # Classic BibTeX has no field for a day: it is dropped and reported (biblatex keeps it).
    log = [d for d in written_log if not (d.code == "BIB002" and d.message.startswith("day "))]
    if len(log) < len(list(written_log)):
        assert ref.issued is not None
        before["issued"] = replace(ref.issued, parts=(ref.issued.parts[0][:2],))
    for name, value in before.items():
        assert after[name] == value, (name, text)
    title_spans = " ".join(_flat(NoCase(n.children).children) for n in back.title
                           if type(n) is NoCase)  # fmt: skip
    for span in _protected_spans(ref.title):
        assert span in title_spans, (span, text)
    # Characters kept as UTF-8 in ASCII mode are reported, once per entry.
    if not unicode and not text.isascii():
        assert [d.code for d in log] == ["BIB001"], text
    else:
        assert list(log) == [], text
    # A second pass writes exactly the same BibTeX.
    again, _ = _write([back], unicode)
    assert again == text


_SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_SETTINGS
@given(references())
def test_ascii_round_trip_keeps_every_field(ref: Reference) -> None:
    _round_trip(ref, unicode=False)


@_SETTINGS
@given(references())
def test_unicode_round_trip_keeps_every_field(ref: Reference) -> None:
    _round_trip(ref, unicode=True)


@settings(max_examples=200, deadline=None)
@given(_text)
def test_any_text_value_reads_back_as_written(value: str) -> None:
    ref = Reference(id="k", type="book", title=(Text("T"),), note=value, publisher=value)
    for unicode in (False, True):
        (back,), _ = _read(_write([ref], unicode)[0])
        assert (back.note, back.publisher) == (value, value)


# --- what BibTeX cannot express is reported -----------------------------------------------------


def test_inexpressible_fields_are_reported_per_field() -> None:
    ref = Reference(
        id="k",
        type="webpage",
        title=(Text("T"),),
        author=(Name(family="Gogh", given="Vincent", dropping_particle="van"),),
        issued=Date(parts=((2020,),), season="spring"),
        collection_editor=(Name(family="E"),),
        collection_number="4",
        section="B",
        available_date=Date(parts=((2019,),)),
    )
    text, log = _write([ref], unicode=False)
    assert [(d.code, d.location.field, d.message) for d in log] == [
        ("BIB003", "type", "type 'webpage' has no classic BibTeX entry type; written as @misc"),
        ("BIB003", "author", "dropping particle 'van' is written as part of the family name"),
        ("BIB002", "issued", "season 'spring' has no BibTeX field; dropped"),
        ("BIB002", "collection_editor", "collection_editor has no BibTeX field; dropped"),
        ("BIB002", "collection_number", "collection_number has no BibTeX field; dropped"),
        ("BIB002", "section", "section has no BibTeX field; dropped"),
        ("BIB002", "available_date", "available_date has no BibTeX field; dropped"),
    ]
    assert text.startswith("@misc{gogh2020t,\n  author = {van Gogh, Vincent},\n")


def test_character_without_latex_spelling_is_kept_and_reported() -> None:
    ref = Reference(id="k", type="book", title=(Text("中文 and x\u2032"),))
    text, log = _write([ref], unicode=False)
    assert "  title = {中文 and x\u2032}\n" in text
    assert [str(d) for d in log] == [
        "<input>: warning[BIB001] no LaTeX spelling for '\u2032中文'; kept as UTF-8"
    ]


def test_typography_and_ligature_input_spellings() -> None:
    """The spellings the round-trip fixes chose: text commands, no accidental ligatures."""
    ref = Reference(
        id="k",
        type="book",
        title=(Text("a − b"),),
        note="O’Brien ‘q’ x·y a--b ''c'' ^ ~",
        page="10-23",
    )
    ascii_text, _ = _write([ref], unicode=False)
    assert "  title = {a {\\textminus} b},\n" in ascii_text
    assert (
        "  note = {O{\\textquoteright}Brien {\\textquoteleft}q{\\textquoteright} "
        "x{\\textperiodcentered}y a-{}-b '{}'c'{}' \\textasciicircum{} \\textasciitilde{}}\n"
    ) in ascii_text
    unicode_text, _ = _write([ref], unicode=True)
    assert (
        "  note = {O’Brien ‘q’ x·y a-{}-b '{}'c'{}' \\textasciicircum{} \\textasciitilde{}}\n"
        in (unicode_text)
    )
    for text in (ascii_text, unicode_text):
        (back,), _ = _read(text)
        assert (back.title, back.note, back.page) == (ref.title, ref.note, ref.page)


def test_full_date_day_is_reported_in_bibtex() -> None:
    ref = Reference(id="k", type="book", title=(Text("T"),), issued=Date(parts=((2026, 3, 5),)))
    text, log = _write([ref], unicode=False)
    assert "  year = {2026},\n  month = mar\n}" in text
    assert [str(d) for d in log] == [
        "<input>: info[BIB002] day 5 of the date has no classic BibTeX field; dropped"
    ]
    (back,), _ = _read(text)
    assert back.issued == Date(parts=((2026, 3),))


def test_month_out_of_range_is_reported_not_raised() -> None:
    ref = Reference(id="k", type="book", title=(Text("T"),), issued=Date(parts=((2026, 13),)))
    text, log = _write([ref], unicode=False)
    assert "  year = {2026}\n}" in text
    assert [str(d) for d in log] == ["<input>: info[BIB002] month 13 is not a month; dropped"]
