"""Personal and corporate names: parsing rules, and what each writer makes of the result."""

from __future__ import annotations

import io

import orjson
import pytest

from citeport import Date, DiagnosticLog, Name, Reference, Text, WriteOptions
from citeport.formats import aggregator, bibtex, ieee, ris
from citeport.names import initials, is_corporate, mononym, parse_name


@pytest.mark.parametrize(
    ("raw", "given", "particle", "family", "suffix"),
    [
        # Capitalised particles directly before the last word (Flemish, Italian, Iberian).
        ("Sanne S. De Smet", "Sanne S.", "De", "Smet", ""),
        ("Lorenzo Di Stefano", "Lorenzo", "Di", "Stefano", ""),
        ("Gian-Marco Lo Bianco", "Gian-Marco", "Lo", "Bianco", ""),
        ("Maria Del Rosario", "Maria", "Del", "Rosario", ""),
        ("Jean De Smet Jr.", "Jean", "De", "Smet", "Jr."),
        ("Sanne Van den Berg", "Sanne", "Van den", "Berg", ""),
        ("Juan De la Cruz", "Juan", "De la", "Cruz", ""),
        # Lower-case particles, with the Dutch "'t".
        ("Vincent van der Berg", "Vincent", "van der", "Berg", ""),
        ("Jacobus H. van 't Hoff", "Jacobus H.", "van 't", "Hoff", ""),
        ("van 't Hoff, Jacobus H.", "Jacobus H.", "van 't", "Hoff", ""),
        ("Willem 's Gravesande", "Willem", "'s", "Gravesande", ""),
        ("Jean d' Alembert", "Jean", "d'", "Alembert", ""),
        ("Jean d'Alembert", "Jean", "", "d'Alembert", ""),
        ("Giulia Dell'Acqua", "Giulia", "", "Dell'Acqua", ""),
        # A capitalised "particle" that is a given or middle name stays one.
        ("De Lin", "De", "", "Lin", ""),
        ("John De Witt Smith", "John De Witt", "", "Smith", ""),
        ("Sanne De", "Sanne", "", "De", ""),
        ("Anh Van Nguyen", "Anh Van", "", "Nguyen", ""),
        ("Thi Le Nguyễn", "Thi Le", "", "Nguyễn", ""),
        ("Wei De Wang", "Wei De", "", "Wang", ""),
        # Irish prefixes belong to the family name.
        ("Micheál Mac Aodha", "Micheál", "", "Mac Aodha", ""),
        ("Quoc-Tung Le", "Quoc-Tung", "", "Le", ""),
        ("Martin Luther King Jr.", "Martin Luther", "", "King", "Jr."),
    ],
)
def test_parse_name(raw: str, given: str, particle: str, family: str, suffix: str) -> None:
    assert parse_name(raw) == Name(
        given=given, non_dropping_particle=particle, family=family, suffix=suffix
    )


@pytest.mark.parametrize(
    ("raw", "corporate"),
    [
        ("The Consortium for Open Sensing", True),
        ("ATLAS-Q Collaboration", True),
        ("Working Group on Reproducible Imaging", True),
        ("Signal Processing Society", True),
        ("Johnson & Johnson", True),
        ("Friends of the Earth", True),
        ("Alpha Beta Gamma Delta Epsilon Zeta", True),
        ("Sanne S. De Smet", False),
        ("A. Smith and B. Jones", False),
        ("José María de la Cruz García", False),
        ("Maria Eduarda Santos Oliveira Lima", False),
        ("Martin Luther King Jr.", False),
        ("Plato", False),
    ],
)
def test_is_corporate(raw: str, corporate: bool) -> None:
    assert is_corporate(raw) is corporate


def test_mononym() -> None:
    assert mononym(Name(given="Madonna")) == Name(family="Madonna")
    assert mononym(Name(suffix="Jr.")) == Name(family="Jr.")
    assert mononym(Name(given="Ada", family="Lovelace")) == Name(given="Ada", family="Lovelace")
    assert mononym(Name(literal="IEEE")) == Name(literal="IEEE")


def test_initials() -> None:
    assert initials("Quoc-Tung") == "Q.-T."
    assert initials("Sanne S.") == "S. S."


# --- what a user gets, from aggregator authors to each writer --------------------------------


def _read(authors: str) -> Reference:
    line = orjson.dumps({"title": "A study", "paperid": "p1", "authors": authors}) + b"\n"
    log = DiagnosticLog()
    refs = list(aggregator.read(io.BytesIO(line), "in.jsonl", log))
    assert list(log) == []  # a name is read, not repaired: nothing to report
    return refs[0]


def _write(writer, ref: Reference) -> str:  # type: ignore[no-untyped-def]
    out = io.StringIO(newline="")
    writer([ref], out, DiagnosticLog(), WriteOptions())
    return out.getvalue()


def _bibtex_authors(ref: Reference) -> str:
    line = next(x for x in _write(bibtex.write, ref).splitlines() if "author = " in x)
    return line.strip()


def _ieee(ref: Reference) -> str:
    ref = Reference(
        id=ref.id,
        type="article-journal",
        title=ref.title,
        author=ref.author,
        container_title=(Text("IEEE Transactions on Information Theory"),),
        issued=Date(parts=((2024,),)),
    )
    return _write(ieee.write_text, ref).strip()


PARTICLE_AUTHORS = "Sanne S. De Smet;Lorenzo Di Stefano;Gian-Marco Lo Bianco;J. H. van 't Hoff"


def test_capitalised_and_dutch_particles_in_bibtex() -> None:
    assert _bibtex_authors(_read(PARTICLE_AUTHORS)) == (
        "author = {De Smet, Sanne S. and Di Stefano, Lorenzo and Lo Bianco, Gian-Marco"
        " and van 't Hoff, J. H.},"
    )


def test_capitalised_and_dutch_particles_in_ieee() -> None:
    assert _ieee(_read(PARTICLE_AUTHORS)) == (
        "[1] S. S. De Smet, L. Di Stefano, G.-M. Lo Bianco, and J. H. van 't Hoff, "
        "“A study,” IEEE Trans. Inf. Theory, 2024."
    )


def test_capitalised_particles_in_ris() -> None:
    lines = _write(ris.write, _read("Sanne S. De Smet;J. H. van 't Hoff")).splitlines()
    assert [x for x in lines if x.startswith("AU")] == [
        "AU  - De Smet, Sanne S.",
        "AU  - van 't Hoff, J. H.",
    ]


def test_corporate_authors_are_kept_whole() -> None:
    ref = _read("The Consortium for Open Sensing;ATLAS-Q Collaboration;Ada Lovelace")
    assert ref.author == (
        Name(literal="The Consortium for Open Sensing"),
        Name(literal="ATLAS-Q Collaboration"),
        Name(given="Ada", family="Lovelace"),
    )
    assert _bibtex_authors(ref) == (
        "author = {{The Consortium for Open Sensing} and {ATLAS-Q Collaboration}"
        " and Lovelace, Ada},"
    )
    assert _ieee(ref).startswith(
        "[1] The Consortium for Open Sensing, ATLAS-Q Collaboration, and A. Lovelace, "
    )


MONONYMS = Reference(
    id="m",
    type="article-journal",
    title=(Text("A study"),),
    author=(Name(given="Madonna"), Name(given="Ada", family="Lovelace")),
)


def test_a_given_name_alone_is_written_as_the_family_name() -> None:
    assert _bibtex_authors(MONONYMS) == "author = {Madonna and Lovelace, Ada},"
    assert [x for x in _write(ris.write, MONONYMS).splitlines() if x.startswith("AU")] == [
        "AU  - Madonna",
        "AU  - Lovelace, Ada",
    ]
    assert _ieee(MONONYMS).startswith("[1] Madonna and A. Lovelace, “A study,”")


def test_a_given_name_alone_reads_back_as_the_same_name() -> None:
    log = DiagnosticLog()
    back = list(bibtex.read(io.BytesIO(_write(bibtex.write, MONONYMS).encode()), "x.bib", log))
    assert back[0].author == (Name(family="Madonna"), Name(given="Ada", family="Lovelace"))
    back = list(ris.read(io.BytesIO(_write(ris.write, MONONYMS).encode()), "x.ris", log))
    assert back[0].author == (Name(family="Madonna"), Name(given="Ada", family="Lovelace"))
