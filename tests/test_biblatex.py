"""BibLaTeX writer (format "biblatex"): exact output, and it reads back to the same values."""

from __future__ import annotations

import io

from citeport import Date, DiagnosticLog, Name, Reference, Text, WriteOptions, plain
from citeport.formats import bibtex
from citeport.registry import find

REF = Reference(
    id="r1",
    type="article-journal",
    title=(Text("Rapture of the Deep: DNA"),),
    author=(Name(given="Rémi", family="Gribonval"), Name(literal="Ĳssel Group")),
    container_title=(Text("IEEE Signal Processing Magazine"),),
    volume="43",
    issue="2",
    page="10-23",
    issued=Date(parts=((2026, 3),)),
    accessed=Date(parts=((2026, 4, 1),)),
    doi="10.1109/MSP.2025.3611564",
    url="https://example.org/x{y}",
    publisher_place="New York",
    extra={"bibtex": {"eprint": "2601.00001", "eprinttype": "arxiv"}, "aggregator": {"JCR": 1}},
)


def write(refs) -> tuple[str, list[str]]:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    log = DiagnosticLog()
    assert bibtex.write_biblatex(refs, out, log, WriteOptions()) == len(refs)
    return out.getvalue(), [str(d) for d in log]


def test_biblatex_entry_exact() -> None:
    text, notes = write([REF])
    assert text == (
        "@article{gribonval2026rapture,\n"
        "  author = {Gribonval, Rémi and {Ĳssel Group}},\n"
        "  title = {Rapture of the {Deep: DNA}},\n"
        "  journaltitle = {IEEE Signal Processing Magazine},\n"
        "  date = {2026-03},\n"
        "  volume = {43},\n"
        "  number = {2},\n"
        "  pages = {10--23},\n"
        "  location = {New York},\n"
        "  doi = {10.1109/MSP.2025.3611564},\n"
        "  url = {https://example.org/x%7By%7D},\n"
        "  urldate = {2026-04-01},\n"
        "  eprint = {2601.00001},\n"
        "  eprinttype = {arxiv}\n"
        "}\n"
    )
    assert notes == ["<input>: info[BIB004] aggregator field 'JCR' has no BibTeX field; dropped"]


def test_biblatex_reads_back() -> None:
    text, _ = write([REF])
    log = DiagnosticLog()
    (back,) = bibtex.read(io.BytesIO(text.encode()), "out.bib", log)
    assert list(log) == []
    assert plain(back.title) == plain(REF.title)
    for name in ("author", "container_title", "volume", "issue", "page", "issued", "accessed",
                 "doi", "url", "publisher_place"):  # fmt: skip
        assert getattr(back, name) == getattr(REF, name), name
    assert back.extra == {
        "bibtex": {"date": "2026-03", "eprint": "2601.00001", "eprinttype": "arxiv"}
    }


def test_biblatex_types_and_ranges() -> None:
    thesis = Reference(
        id="t",
        type="thesis",
        title=(Text("On things"),),
        publisher="MIT",
        issued=Date(parts=((2020, 1, 2), (2020, 2, 3)), circa=True),
    )
    web = Reference(id="w", type="webpage", title=(Text("Page"),), issued=Date(literal="n.d."))
    text, _ = write([thesis, web])
    assert text == (
        "@thesis{things2020,\n"
        "  title = {On things},\n"
        "  date = {2020-01-02/2020-02-03~},\n"
        "  institution = {MIT}\n"
        "}\n"
        "\n"
        "@online{page,\n"
        "  title = {Page},\n"
        "  date = {n.d.}\n"
        "}\n"
    )


def test_registered() -> None:
    info = find("biblatex")
    assert info is not None and info.writer is bibtex.write_biblatex and info.reader is None
