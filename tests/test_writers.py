"""BibTeX, RIS and CSL-JSON writers: exact output for edge cases, and parse-back checks."""

from __future__ import annotations

import io
import json
import unicodedata

import bibtexparser
import pytest
from pylatexenc.latex2text import LatexNodes2Text

from citeport import (
    Date,
    DiagnosticLog,
    Math,
    Name,
    NoCase,
    Reference,
    Styled,
    Text,
    WriteOptions,
    plain,
)
from citeport.formats import bibtex, csljson, ris
from citeport.markup import latex

from .conftest import EXAMPLES, corpus_file

ARTICLE = Reference(
    id="r1",
    type="article-journal",
    title=(
        Text("Rapture of the Deep: Highs and lows of DNA in "),
        Styled("italic", (Text("E. coli"),)),
    ),
    author=(
        Name(given="Rémi", family="Gribonval"),
        Name(given="Vincent", non_dropping_particle="van der", family="Berg"),
        Name(given="Martin", family="King", suffix="Jr."),
        Name(literal="IEEE Signal Processing Society"),
    ),
    container_title=(Text("IEEE Signal Processing Magazine"),),
    volume="43",
    issue="2",
    page="10-23",
    issued=Date(parts=((2026, 3, 1),)),
    doi="10.1109/MSP.2025.3611564",
    abstract=(Text("Uses "), Math(r"\ell^1"), Text(" & 50% of {braces}.\nSecond paragraph.")),
)


def write(writer, refs, options: WriteOptions | None = None) -> tuple[str, list[str]]:  # type: ignore[no-untyped-def]
    out = io.StringIO(newline="")
    log = DiagnosticLog()
    writer(refs, out, log, options or WriteOptions())
    return out.getvalue(), [str(d) for d in log]


def test_bibtex_entry_exact() -> None:
    text, notes = write(bibtex.write, [ARTICLE])
    assert text == (
        "@article{gribonval2026rapture,\n"
        "  author = {Gribonval, R{\\'e}mi and van der Berg, Vincent and King, Jr., Martin and {IEEE Signal Processing Society}},\n"
        "  title = {Rapture of the {Deep: Highs} and lows of {DNA} in \\textit{E. coli}},\n"
        "  journal = {IEEE Signal Processing Magazine},\n"
        "  year = {2026},\n"
        "  month = mar,\n"
        "  volume = {43},\n"
        "  number = {2},\n"
        "  pages = {10--23},\n"
        "  doi = {10.1109/MSP.2025.3611564},\n"
        "  abstract = {Uses $\\ell^1$ \\& 50\\% of \\{braces\\}.\nSecond paragraph.}\n"
        "}\n"
    )
    assert notes == ["<input>: info[BIB002] day 1 of the date has no classic BibTeX field; dropped"]


def test_bibtex_parses_back_to_the_same_values() -> None:
    text, _ = write(bibtex.write, [ARTICLE])
    library = bibtexparser.parse_string(text)
    assert library.failed_blocks == []
    fields = {k: v.value for k, v in library.entries[0].fields_dict.items()}
    decode = LatexNodes2Text(math_mode="verbatim").latex_to_text
    assert decode(fields["title"]) == plain(ARTICLE.title)
    assert decode(fields["abstract"]) == plain(ARTICLE.abstract)
    assert decode(fields["journal"]) == "IEEE Signal Processing Magazine"
    assert fields["pages"] == "10--23" and fields["doi"] == ARTICLE.doi


def test_bibtex_unicode_mode_and_unknown_characters() -> None:
    ref = Reference(
        id="x",
        type="book",
        title=(Text("工程技术 Ünïcode"),),
        author=(Name(given="Léon", family="Zheng"),),
    )
    ascii_text, notes = write(bibtex.write, [ref])
    assert 'title = {工程技术 {{\\"U}n{\\"\\i}code}}' in ascii_text
    assert notes == ["<input>: warning[BIB001] no LaTeX spelling for '工技术程'; kept as UTF-8"]
    utf8_text, notes = write(bibtex.write, [ref], WriteOptions(unicode=True))
    assert "author = {Zheng, Léon}" in utf8_text and "title = {工程技术 {Ünïcode}}" in utf8_text
    assert notes == []


def test_bibtex_keys_are_unique_and_input_keys_kept() -> None:
    same = Reference(
        id="a",
        type="article-journal",
        title=(Text("The rapture"),),
        author=(Name(family="Gribonval"),),
        issued=Date(parts=((2026,),)),
    )
    keyed = Reference(id="b", type="article-journal", title=(Text("x"),), citation_key="Smith:2020")
    text, _ = write(bibtex.write, [same, same, same, keyed])
    keys = [line.split("{", 1)[1].rstrip(",") for line in text.splitlines() if line.startswith("@")]
    assert keys == [
        "gribonval2026rapture",
        "gribonval2026rapturea",
        "gribonval2026raptureb",
        "Smith:2020",
    ]


def test_bibtex_protects_nocase_and_math_in_titles() -> None:
    ref = Reference(
        id="x",
        type="article-journal",
        title=(Text("Fast "), NoCase((Text("fourier"),)), Text(" transforms for "), Math("O(n)")),
    )
    text, _ = write(bibtex.write, [ref])
    assert "title = {Fast {fourier} transforms for {$O(n)$}}" in text


def test_ris_record_exact() -> None:
    text, notes = write(ris.write, [ARTICLE])
    assert text == (
        "TY  - JOUR\r\n"
        "AU  - Gribonval, Rémi\r\n"
        "AU  - van der Berg, Vincent\r\n"
        "AU  - King, Martin, Jr.\r\n"
        "AU  - IEEE Signal Processing Society\r\n"
        "TI  - Rapture of the Deep: Highs and lows of DNA in E. coli\r\n"
        "T2  - IEEE Signal Processing Magazine\r\n"
        "PY  - 2026\r\n"
        "DA  - 2026/03/01/\r\n"
        "VL  - 43\r\n"
        "IS  - 2\r\n"
        "SP  - 10\r\n"
        "EP  - 23\r\n"
        "DO  - 10.1109/MSP.2025.3611564\r\n"
        "AB  - Uses $\\ell^1$ & 50% of {braces}. Second paragraph.\r\n"
        "ER  - \r\n"
    )
    assert notes == []


def test_ris_line_breaks_never_start_a_tag() -> None:
    ref = Reference(id="x", type="report", title=(Text("One\nER  - \nTY  - JOUR"),))
    text, _ = write(ris.write, [ref])
    assert text == "TY  - RPRT\r\nTI  - One ER  - TY  - JOUR\r\nER  - \r\n"


def test_csljson_item_exact() -> None:
    text, _ = write(csljson.write, [ARTICLE])
    item = json.loads(text)[0]
    assert item == {
        "id": "gribonval2026rapture",
        "type": "article-journal",
        "title": "Rapture of the Deep: Highs and lows of DNA in <i>E. coli</i>",
        "author": [
            {"family": "Gribonval", "given": "Rémi"},
            {"family": "Berg", "given": "Vincent", "non-dropping-particle": "van der"},
            {"family": "King", "given": "Martin", "suffix": "Jr."},
            {"literal": "IEEE Signal Processing Society"},
        ],
        "container-title": "IEEE Signal Processing Magazine",
        "volume": "43",
        "issue": "2",
        "page": "10-23",
        "issued": {"date-parts": [[2026, 3, 1]]},
        "DOI": "10.1109/MSP.2025.3611564",
        "abstract": "Uses $\\ell^1$ & 50% of {braces}.\nSecond paragraph.",
        "citation-key": "gribonval2026rapture",
        "custom": {"source-id": "r1"},
    }


def test_csljson_empty_input_is_an_empty_array() -> None:
    assert write(csljson.write, [])[0] == "[]\n"


def test_csljson_output_validates_against_the_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(corpus_file("csljson/schema/csl-data.json").read_text(encoding="utf-8"))
    for data in (
        json.loads((EXAMPLES / "spm-43-2.csl.json").read_text(encoding="utf-8")),
        json.loads(write(csljson.write, [ARTICLE])[0]),
    ):
        jsonschema.validate(data, schema)


def test_model_item_types_are_the_schema_enum() -> None:
    from citeport.model import ITEM_TYPES

    schema = json.loads(corpus_file("csljson/schema/csl-data.json").read_text(encoding="utf-8"))
    assert set(schema["items"]["properties"]["type"]["enum"]) == ITEM_TYPES


def test_keys_are_unique_ignoring_case() -> None:
    upper = Reference(id="a", type="book", title=(Text("x"),), citation_key="Smith2020")
    lower = Reference(
        id="b",
        type="book",
        title=(Text("y"),),
        citation_key="smith2020",
        author=(Name(family="Smith"),),
        issued=Date(parts=((2020,),)),
    )
    text, _ = write(bibtex.write, [upper, lower])
    keys = [line.split("{", 1)[1].rstrip(",") for line in text.splitlines() if line.startswith("@")]
    assert keys == ["Smith2020", "smith2020y"]


def _vietnamese_letters() -> list[str]:
    """Every letter of the Vietnamese alphabet that is not ASCII, in both cases."""
    vowels = "aăâeêioôơuưy"
    tones = ("", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323")  # huyền sắc hỏi ngã nặng
    letters = {unicodedata.normalize("NFC", v + t) for v in vowels for t in tones} | {"đ"}
    letters |= {c.upper() for c in letters}
    return sorted(c for c in letters if not c.isascii())


#: Vietnamese marks that standard LaTeX cannot spell: the hook above (ả) and the horn (ơ, ư).
_T5_ONLY = ("\u0309", "\u031b")


@pytest.mark.parametrize("letter", _vietnamese_letters())
def test_every_vietnamese_letter_is_spelled_so_it_reads_back(letter: str) -> None:
    spelled = latex.spell(letter)
    if any(mark in unicodedata.normalize("NFD", letter) for mark in _T5_ONLY):
        assert spelled is None  # kept as UTF-8 and reported (BIB001)
    else:
        assert spelled is not None and spelled.isascii()
        assert latex.parse(spelled) == (Text(letter),)


@pytest.mark.parametrize(
    ("letter", "spelled"),
    [
        ("ầ", "{\\`{\\^{a}}}"),
        ("ặ", "{\\u{\\d{a}}}"),
        ("ạ", "{\\d{a}}"),
        ("ễ", "{\\~{\\^{e}}}"),
        ("Ậ", "{\\^{\\d{A}}}"),  # NFD: the dot below comes first
        ("ị", "{\\d{i}}"),
        ("é", "{\\'e}"),  # what pylatexenc spells is kept
    ],
)
def test_letters_with_two_diacritics_nest_accent_commands(letter: str, spelled: str) -> None:
    assert latex.spell(letter) == spelled


def test_vietnamese_names_and_titles_in_ascii_bibtex() -> None:
    ref = Reference(
        id="v",
        type="article-journal",
        title=(Text("Tín hiệu số"),),
        author=(Name(given="Thị Hường", family="Đặng"), Name(given="Ngọc Ánh", family="Nguyễn")),
    )
    text, notes = write(bibtex.write, [ref])
    assert text.splitlines()[1:3] == [
        "  author = {{\\DJ}{\\u{\\d{a}}}ng, Th{\\d{i}} Hường"
        " and Nguy{\\~{\\^{e}}}n, Ng{\\d{o}}c {\\'A}nh},",
        "  title = {T{\\'\\i}n hi{\\^{\\d{e}}}u s{\\'{\\^{o}}}}",
    ]
    # Only the letters with a horn (ư, ơ) are left: standard LaTeX has no spelling for them.
    assert notes == ["<input>: warning[BIB001] no LaTeX spelling for 'ườ'; kept as UTF-8"]


def test_tex_math_mixing_formulas_and_text_is_written_as_such() -> None:
    ref = Reference(
        id="t",
        type="article-journal",
        title=(Text("T"),),
        abstract=(Text("An "), Math("\\epsilon"), Text("-approximate rate")),
    )
    text, notes = write(bibtex.write, [ref])
    assert "  abstract = {An $\\epsilon$-approximate rate}\n" in text
    assert notes == []


def test_keys_fold_letters_unicode_does_not_decompose() -> None:
    from citeport.keys import fold

    assert [fold(x) for x in ("Đặng", "Łukasz", "Ødegaard", "Æsir", "Straße", "工程")] == [
        "dang",
        "lukasz",
        "odegaard",
        "aesir",
        "strasse",
        "",
    ]


def test_bibtex_reports_each_dropped_foreign_field() -> None:
    ref = Reference(
        id="x",
        type="book",
        title=(Text("T"),),
        extra={"aggregator": {"JCR": 1, "CAS": "x"}, "medline": {"DP": "2020"}},
    )
    log = DiagnosticLog()
    bibtex.write([ref], io.StringIO(), log, WriteOptions())
    assert [(d.code, d.location.record, d.location.field, d.message) for d in log] == [
        ("BIB004", "x", "CAS", "aggregator field 'CAS' has no BibTeX field; dropped"),
        ("BIB004", "x", "JCR", "aggregator field 'JCR' has no BibTeX field; dropped"),
        ("BIB004", "x", "DP", "medline field 'DP' has no BibTeX field; dropped"),
    ]


def test_bibtex_writes_raw_tex_back_unless_it_runs_commands() -> None:
    ref = Reference(
        id="x",
        type="book",
        title=(
            Text("The "),
            NoCase((Text("\\foo "),)),
            Text("book "),
            NoCase((Text("\\openout"),)),
            Text(" "),
            NoCase((Text("\\a b"),)),  # not a span the reader makes: `\a` is an accent
        ),
    )
    text, notes = write(bibtex.write, [ref])
    assert (
        "  title = {The {\\foo }book {\\textbackslash{}openout} {\\textbackslash{}a b}}\n" in text
    )
    assert notes == [
        "<input>: warning[BIB005] TeX command '\\\\openout' with the command \\openout written as text"
    ]
    csl, _ = write(csljson.write, [ref])
    assert json.loads(csl)[0]["title"] == (
        'The <span class="nocase">\\foo </span>book <span class="nocase">\\openout</span> '
        '<span class="nocase">\\a b</span>'
    )
