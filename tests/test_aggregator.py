"""The aggregator JSON-lines reader: every rule of its mapping, and every kind of bad line."""

from __future__ import annotations

import io

import orjson
import pytest

from citeport import Date, DiagnosticLog, Math, Name, Styled, Text
from citeport.formats import aggregator


def read(data: bytes | str) -> tuple[list[aggregator.Reference], list[str]]:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    log = DiagnosticLog()
    refs = list(aggregator.read(io.BytesIO(raw), "in.jsonl", log))
    return refs, [str(d) for d in log]


def line(**fields: object) -> str:
    record: dict[str, object] = {"title": "A title", "paperid": "p1"}
    record.update(fields)
    return orjson.dumps(record).decode() + "\n"


def test_bom_and_crlf_are_accepted() -> None:
    refs, notes = read(
        b"\xef\xbb\xbf"
        + line(paperid="a").encode().replace(b"\n", b"\r\n")
        + line(paperid="b").encode().replace(b"\n", b"\r\n")
    )
    assert [r.id for r in refs] == ["a", "b"]
    assert notes == []


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (
            "Martina Pastorino;Gabriele Moser",
            "in.jsonl:2: warning[AGG001] line is not a JSON object ('Martina Pastorino;Gabriele Moser'), skipped",
        ),
        (
            '{"title": "cut off',
            "in.jsonl:2: warning[AGG001] truncated JSON (the line ends inside a value), skipped",
        ),
        ("[1, 2]", "in.jsonl:2: warning[AGG001] line is a JSON array, not an object, skipped"),
        ("42", "in.jsonl:2: warning[AGG001] line is a JSON int, not an object, skipped"),
        ('{"authors": "A B"}', "in.jsonl:2: warning[AGG002] record has no title, skipped"),
        ('{"title": "  "}', "in.jsonl:2: warning[AGG002] record has no title, skipped"),
    ],
)
def test_bad_lines_are_reported_and_the_rest_converted(bad: str, message: str) -> None:
    refs, notes = read(line(paperid="a") + bad + "\n" + line(paperid="b"))
    assert [r.id for r in refs] == ["a", "b"]
    assert notes == [message]


def test_blank_lines_are_not_records() -> None:
    refs, notes = read("\n" + line() + "   \n\n")
    assert len(refs) == 1 and notes == []


def test_invalid_utf8_line_is_read_as_windows_1252_and_reported() -> None:
    raw = line(title="Caf\u00e9").encode("cp1252")
    refs, notes = read(raw)
    assert refs[0].title == (Text("Caf\u00e9"),)
    assert notes == ["in.jsonl:1: warning[AGG006] line is not valid UTF-8; read as Windows-1252"]


@pytest.mark.parametrize(
    ("authors", "expected"),
    [
        ("", ()),
        (None, ()),
        ("Quoc-Tung Le", (Name(given="Quoc-Tung", family="Le"),)),
        (
            "Vincent van der Berg",
            (Name(given="Vincent", non_dropping_particle="van der", family="Berg"),),
        ),
        ("Martin Luther King Jr.", (Name(given="Martin Luther", family="King", suffix="Jr."),)),
        ("Plato", (Name(family="Plato"),)),
        (
            "A. Author;;  B. Writer ",
            (Name(given="A.", family="Author"), Name(given="B.", family="Writer")),
        ),
        (["Ada Lovelace"], (Name(given="Ada", family="Lovelace"),)),
    ],
)
def test_authors(authors: object, expected: tuple[Name, ...]) -> None:
    refs, _ = read(line(authors=authors))
    assert refs[0].author == expected


@pytest.mark.parametrize(
    ("journal", "volume", "issue", "page"),
    [
        ({"volume": "43 2", "pages": "10-23"}, "43", "2", "10-23"),
        ({"volume": "43", "pages": "C3-C3"}, "43", "", "C3"),
        ({"volume": "12(3)", "pages": "e1234"}, "12", "3", "e1234"),
        ({"volume": 7, "pages": "5 – 9"}, "7", "", "5-9"),
        ({"volume": None, "pages": None}, "", "", ""),
    ],
)
def test_volume_issue_and_pages(
    journal: dict[str, object], volume: str, issue: str, page: str
) -> None:
    refs, _ = read(line(journal={"name": "J", **journal}))
    assert (refs[0].volume, refs[0].issue, refs[0].page) == (volume, issue, page)


@pytest.mark.parametrize(
    ("value", "expected", "notes"),
    [
        ("2026-03-01", Date(parts=((2026, 3, 1),)), []),
        ("2026", Date(parts=((2026,),)), []),
        (2019, Date(parts=((2019,),)), []),
        (None, None, []),
        (
            "spring 2020",
            Date(literal="spring 2020"),
            [
                "in.jsonl:1: warning[AGG005] publicationDate 'spring 2020' is not a date; kept as written"
            ],
        ),
    ],
)
def test_publication_date(value: object, expected: Date | None, notes: list[str]) -> None:
    refs, seen = read(line(publicationDate=value))
    assert refs[0].issued == expected
    assert seen == notes


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("Journal Article", "article-journal"),
        ("Conference", "paper-conference"),
        (["Review", "JournalArticle"], "article-journal"),
        ("BookSection", "chapter"),
    ],
)
def test_publication_types(value: object, kind: str) -> None:
    refs, _ = read(line(publicationTypes=value))
    assert refs[0].type == kind


def test_unknown_publication_type_is_reported() -> None:
    refs, notes = read(line(publicationTypes="Hologram", journal={"name": "J"}))
    assert refs[0].type == "article-journal"
    assert notes == [
        "in.jsonl:1: warning[AGG003] publication type 'Hologram' is unknown; read as article-journal"
    ]


def test_doi_url_and_pdf() -> None:
    refs, _ = read(
        line(
            doi=None,
            DOIUrl="https://doi.org/10.1/ABC",
            url="https://x.org/a",
            openAccessPdf="https://x.org/a.pdf",
        )
    )
    ref = refs[0]
    assert ref.doi == "10.1/ABC"
    assert ref.url == "https://x.org/a.pdf"
    assert ref.extra["aggregator"]["url"] == "https://x.org/a"


def test_bookkeeping_fields_are_kept_in_extra() -> None:
    refs, _ = read(
        line(
            PeriodicalIF=9.6,
            RegionNum=1,
            JCR=None,
            PMCID="",
            ArticlePicture=[],
            isOpenAccess=False,
            Total=0,
        )
    )
    assert refs[0].extra == {
        "aggregator": {"PeriodicalIF": 9.6, "RegionNum": 1, "isOpenAccess": False, "Total": 0}
    }


def test_title_markup_and_mismatched_closer() -> None:
    refs, notes = read(
        line(title="The <i>in vivo</i> study of H<sub>2</sub>O &amp; <italic>E. coli</i>")
    )
    assert refs[0].title == (
        Text("The "),
        Styled("italic", (Text("in vivo"),)),
        Text(" study of H"),
        Styled("sub", (Text("2"),)),
        Text("O & "),
        Styled("italic", (Text("E. coli"),)),
    )
    assert notes == ["in.jsonl:1: info[MRK001] title: <italic> closed by </i>"]


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("One  space", "One space"),
        ("A\ttab", "A tab"),
        ("No-break\u00a0space", "No-break space"),
        ("Thin \u2009 space", "Thin space"),
        ("Unit\x1fseparator", "Unit separator"),  # white space to Python
        ("A line\r\nbreak", "A line\nbreak"),  # a paragraph break, as in abstracts
    ],
)
def test_white_space_in_marked_up_text_is_folded(title: str, expected: str) -> None:
    refs, _ = read(line(title=f"{title} <i>a</i> and  b"))
    assert refs[0].title == (
        Text(f"{expected} "),
        Styled("italic", (Text("a"),)),
        Text(" and b"),
    )


def test_the_space_is_the_only_printable_white_space_character() -> None:
    """What the HTML reader's white-space folding counts on to skip its search."""
    import sys

    white = [chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()]
    assert [c for c in white if c.isprintable()] == [" "]
    assert len(white) == 29


def test_tex_math_keeps_its_source_and_lost_backslashes_are_restored() -> None:
    abstract = "uses <inline-formula><tex-math>${mathit{ell}}^{1}$</tex-math></inline-formula> and <inline-formula><tex-math>$x_in$</tex-math></inline-formula>"
    refs, notes = read(line(abstract=abstract))
    assert refs[0].abstract == (
        Text("uses "),
        Math("{\\mathit{\\ell}}^{1}"),
        Text(" and "),
        Math("x_in"),
    )
    assert notes == [
        "in.jsonl:1: warning[MRK003] abstract: restored TeX backslashes in ${mathit{ell}}^{1}$ -> ${\\mathit{\\ell}}^{1}$"
    ]


def test_math_that_has_backslashes_is_left_alone() -> None:
    refs, notes = read(line(title="<tex-math>$\\alpha + beta$</tex-math>"))
    assert refs[0].title == (Math("\\alpha + beta"),)
    assert notes == []


def test_unexpected_shapes_are_kept_and_reported() -> None:
    refs, notes = read(line(authors=42, journal="Nature"))
    assert refs[0].author == ()
    assert refs[0].extra["aggregator"]["authors"] == 42
    assert refs[0].extra["aggregator"]["journal"] == "Nature"
    assert notes == [
        "in.jsonl:1: warning[AGG004] journal is a str, expected an object; kept in extra",
        "in.jsonl:1: warning[AGG004] authors is a int, expected text; kept in extra",
    ]


def test_provenance_and_id() -> None:
    refs, _ = read("junk\n" + line(paperid=None))
    assert refs[0].id == "line-2"
    assert refs[0].provenance is not None and refs[0].provenance.line == 2


def test_sniff() -> None:
    assert aggregator.sniff(line(authors="A B", journal={"name": "J"}).encode()) >= 50
    assert aggregator.sniff(b"TY  - JOUR\r\n") == 0
    assert aggregator.sniff(b"@article{x,\n}") == 0


def test_mathml_becomes_tex_math() -> None:
    title = "Bounds on <mml:math><mml:msup><mml:mi>x</mml:mi><mml:mn>2</mml:mn></mml:msup></mml:math> growth"
    refs, notes = read(line(title=title))
    assert refs[0].title == (Text("Bounds on "), Math("{x}^{2}"), Text(" growth"))
    assert notes == []


def test_mathml_that_cannot_be_converted_keeps_its_alttext_and_is_reported() -> None:
    title = (
        'A <mml:math alttext="\\mathcal{O}(n)"><mml:mtable><mml:mtr/></mml:mtable></mml:math> bound'
    )
    refs, notes = read(line(title=title))
    assert refs[0].title == (Text("A "), Math("\\mathcal{O}(n)"), Text(" bound"))
    assert notes == [
        "in.jsonl:1: warning[MRK005] title: MathML not converted to TeX; kept its alttext"
    ]


def test_a_doiurl_naming_another_doi_is_kept() -> None:
    refs, _ = read(line(doi="10.1/a", DOIUrl="https://doi.org/10.1/b"))
    assert refs[0].doi == "10.1/a"
    assert refs[0].extra["aggregator"]["DOIUrl"] == "https://doi.org/10.1/b"
    refs, _ = read(line(doi="10.1/A", DOIUrl="https://doi.org/10.1/a"))
    assert "DOIUrl" not in refs[0].extra.get("aggregator", {})


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("$\\epsilon$-approximate", (Math("\\epsilon"), Text("-approximate!"))),
        ("$a$ and $b$", (Math("a"), Text(" and "), Math("b"), Text("!"))),
        ("$$x^2$$", (Math("x^2"), Text("!"))),
        ("\\(x^2\\)", (Math("x^2"), Text("!"))),
        ("x^2", (Math("x^2"), Text("!"))),
        ("$a$ and $b", (Math("$a$ and $b"), Text("!"))),  # dollars that do not pair: as written
    ],
)
def test_tex_math_mixing_formulas_and_text_is_split(body: str, expected: tuple[object]) -> None:
    abstract = f"A rate of <inline-formula><tex-math>{body}</tex-math></inline-formula>!"
    refs, notes = read(line(abstract=abstract))
    assert refs[0].abstract == (Text("A rate of "), *expected)
    assert notes == []


@pytest.mark.parametrize(
    ("abstract", "expected"),
    [
        ("Abstract We show a bound.", "We show a bound."),
        ("Abstract: We show a bound.", "We show a bound."),
        ("ABSTRACT. We show a bound.", "We show a bound."),
        ("Abstract — We show a bound.", "We show a bound."),
        ("<jats:title>Abstract</jats:title><jats:p>We show a bound.</jats:p>", "We show a bound."),
        ("<b>Abstract:</b> We show a bound.", "We show a bound."),
    ],
)
def test_a_leading_abstract_heading_is_removed(abstract: str, expected: str) -> None:
    refs, notes = read(line(abstract=abstract))
    assert refs[0].abstract == (Text(expected),)
    assert notes == ["in.jsonl:1: info[AGG007] abstract: leading 'Abstract' heading removed"]


@pytest.mark.parametrize(
    "abstract",
    ["Abstract algebra is old.", "Abstracts of talks.", "Abstract-based methods.", "Abstract"],
)
def test_abstract_as_a_word_of_the_text_is_kept(abstract: str) -> None:
    refs, notes = read(line(abstract=abstract))
    assert refs[0].abstract == (Text(abstract),)
    assert notes == []


def test_abstract_heading_before_math_is_removed() -> None:
    abstract = "Abstract: <tex-math>$k$</tex-math>-means works."
    refs, notes = read(line(abstract=abstract))
    assert refs[0].abstract == (Math("k"), Text("-means works."))
    assert len(notes) == 1


@pytest.mark.parametrize(
    ("authors", "expected"),
    [
        ("Sanne S. De Smet", Name(given="Sanne S.", non_dropping_particle="De", family="Smet")),
        ("Lorenzo Di Stefano", Name(given="Lorenzo", non_dropping_particle="Di", family="Stefano")),
        ("J. van 't Hoff", Name(given="J.", non_dropping_particle="van 't", family="Hoff")),
        ("The Consortium for Open Sensing", Name(literal="The Consortium for Open Sensing")),
        ("Signal Processing Society", Name(literal="Signal Processing Society")),
    ],
)
def test_particles_and_organisations(authors: str, expected: Name) -> None:
    refs, notes = read(line(authors=authors))
    assert refs[0].author == (expected,)
    assert notes == []
