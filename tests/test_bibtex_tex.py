"""Real clients read what the BibTeX writers write: `bibtex` with IEEEtran.bst, and biber.

Each test skips when its program is not installed (Debian: `texlive-publishers` brings bibtex
and IEEEtran.bst, `biber` brings biber). The .bbl that bibtex makes is checked line for line for
a few entries: no errors or warnings about our entries, titles typeset with the case as stored
(IEEEtran sentence-cases article titles, so the capitals must be protected), accents intact.
"""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citeport import DiagnosticLog, WriteOptions, convert
from citeport.formats import bibtex
from citeport.markup import latex
from citeport.model import Date, Name, Reference
from citeport.richtext import Math, NoCase, Styled, Text

from .conftest import EXAMPLES

PROCEEDINGS = "Proceedings of the International Conference on Acoustics, Speech & Signal Processing"
#: Our fixture: accents in names and titles, math, protected case, typography, particles,
#: suffixes, a corporate author and a full date.
FIXTURE = [
    Reference(
        id="a",
        type="article-journal",
        title=(
            Text("Sparse recovery in "),
            Math(r"\ell^1"),
            Text(" for DNA sequencing with the Fourier transform: "),
            NoCase((Text("iPhone"),)),
            Text(" data"),
        ),
        author=(
            Name(family="Gribonval", given="Rémi"),
            Name(family="Berg", given="Vincent", non_dropping_particle="van der"),
            Name(family="King", given="Martin", suffix="Jr."),
            Name(literal="IEEE Signal Processing Society"),
        ),
        container_title=(Text("IEEE Transactions on Signal Processing"),),
        volume="71",
        issue="4",
        page="1001-1012",
        issued=Date(parts=((2023, 4),)),
        doi="10.1109/TSP.2023.0001",
    ),
    Reference(
        id="b",
        type="paper-conference",
        title=(
            Text("Über die Schätzung von "),
            Styled("italic", (Text("a priori"),)),
            Text(" Fehlern – O’Brien’s “minus” case −1"),
        ),
        author=(
            Name(family="Müller", given="Jürgen"),
            Name(family="Łukasiewicz", given="Jan"),
            Name(family="Çelik", given="Ayşe"),
        ),
        container_title=(Text(PROCEEDINGS),),
        publisher_place="Kraków, Poland",
        page="5-9",
        issued=Date(parts=((2024, 5, 14),)),
    ),
    Reference(
        id="c",
        type="book",
        title=(Text("Numerical recipes: the art of scientific computing"),),
        author=(Name(family="Press", given="William H."),),
        edition="3",
        publisher="Cambridge University Press",
        publisher_place="Cambridge, U.K.",
        issued=Date(parts=((2007,),)),
    ),
]


def _ieeetran() -> None:
    if shutil.which("bibtex") is None or shutil.which("kpsewhich") is None:
        pytest.skip("bibtex is not installed (Debian: texlive-publishers)")
    found = subprocess.run(
        ["kpsewhich", "IEEEtran.bst"], capture_output=True, text=True, check=False, timeout=300
    )
    if not found.stdout.strip():
        pytest.skip("IEEEtran.bst is not installed (Debian: texlive-publishers)")


def _run_bibtex(folder: Path, bib: str) -> tuple[dict[str, str], list[str]]:
    """Run bibtex with IEEEtran.bst on `bib`; returns the .bbl entries by key and the warnings."""
    (folder / "refs.bib").write_text(bib, encoding="utf-8")
    (folder / "refs.aux").write_text(
        "\\citation{*}\n\\bibstyle{IEEEtran}\n\\bibdata{refs}\n", encoding="utf-8"
    )
    done = subprocess.run(
        ["bibtex", "-terse", "refs"],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    log = (folder / "refs.blg").read_text(encoding="utf-8")
    problems = [  # warnings, and errors ("I was expecting a `,'---line 3 of file refs.bib")
        line
        for line in log.splitlines()
        if line.startswith("Warning--") or "---line" in line or "error message" in line
    ]
    assert done.returncode in (0, 1), log  # 1: warnings only; 2 and up: errors
    bbl = (folder / "refs.bbl").read_text(encoding="utf-8")
    entries = {}
    for block in bbl.split("\\bibitem{")[1:]:
        key, _, body = block.partition("}\n")
        entries[key] = body.split("\n\n")[0].split("\n\\end{thebibliography}")[0]
    return entries, problems


def test_bibtex_ieeetran_reads_the_example(tmp_path: Path) -> None:
    _ieeetran()
    result = convert([EXAMPLES / "spm-43-2.txt"], "bibtex")
    entries, problems = _run_bibtex(tmp_path, result.text)
    assert len(entries) == 7
    # The one warning is about the data, not the BibTeX: that record has no author.
    assert problems == ["Warning--empty author in sps2026advance"]
    assert entries["gribonval2026rapture"] == (
        "R.~Gribonval, E.~Riccietti, Q.-T. Le, and L.~Zheng, ``Rapture of the {Deep:\n"
        "  Highs} and lows of sparsity in a world of depths,'' \\emph{IEEE Signal\n"
        "  Processing Magazine}, vol.~43, no.~2, pp. 10--23, Mar. 2026."
    )
    assert entries["xie2026flow"] == (
        "Y.~Xie and X.~Cheng, ``{Flow-Based Generative Models} as {Iterative Algorithms}\n"
        "  in {Probability Space: An} intuitive mathematical framework [{Special Issue}\n"
        "  on the {Mathematics} of {Deep Learning}],'' \\emph{IEEE Signal Processing\n"
        "  Magazine}, vol.~43, no.~2, pp. 37--50, Mar. 2026."
    )


def test_bibtex_ieeetran_keeps_accents_math_and_case(tmp_path: Path) -> None:
    _ieeetran()
    out = io.StringIO()
    log = DiagnosticLog()
    bibtex.write(FIXTURE, out, log, WriteOptions())
    assert [(d.code, d.location.record, d.message) for d in log] == [
        ("BIB002", "b", "day 14 of the date has no classic BibTeX field; dropped")
    ]
    assert out.getvalue().isascii()
    entries, problems = _run_bibtex(tmp_path, out.getvalue())
    assert problems == []
    assert entries == {
        "gribonval2023sparse": (
            "R.~Gribonval, V.~van~der Berg, M.~King, Jr., and {IEEE Signal Processing\n"
            "  Society}, ``Sparse recovery in {$\\ell^1$} for {DNA} sequencing with the\n"
            "  {Fourier} transform: {iPhone} data,'' \\emph{IEEE Transactions on Signal\n"
            "  Processing}, vol.~71, no.~4, pp. 1001--1012, Apr. 2023."
        ),
        "muller2024uber": (
            'J.~M{\\"u}ller, J.~{\\L}ukasiewicz, and A.~{\\c{C}}elik, ``{\\"U}ber die\n'
            '  {Sch{\\"a}tzung} von \\textit{a priori} {Fehlern --\n'
            "  O{\\textquoteright}Brien{\\textquoteright}s} ``minus'' case {\\textminus}1,'' in\n"
            "  \\emph{Proceedings of the International Conference on Acoustics, Speech \\&\n"
            "  Signal Processing}, Krak{\\'o}w, Poland, May 2024, pp. 5--9."
        ),
        "press2007numerical": (
            "W.~H. Press, \\emph{Numerical recipes: the art of scientific computing},\n"
            "  3rd~ed.\\hskip 1em plus 0.5em minus 0.4em\\relax Cambridge, U.K.: Cambridge\n"
            "  University Press, 2007."
        ),
    }


def _run_biber(folder: Path, bib: str) -> tuple[str, list[str]]:
    if shutil.which("biber") is None:
        pytest.skip("biber is not installed (Debian: biber)")
    (folder / "in.bib").write_text(bib, encoding="utf-8")
    done = subprocess.run(
        ["biber", "--tool", "--validate-datamodel", "--output-file", "out.bib", "in.bib"],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    problems = [line for line in done.stdout.splitlines() if line.startswith(("WARN", "ERROR"))]
    return (folder / "out.bib").read_text(encoding="utf-8"), problems


def test_biber_accepts_our_biblatex(tmp_path: Path) -> None:
    out = io.StringIO()
    bibtex.write_biblatex(FIXTURE, out, DiagnosticLog(), WriteOptions())
    parsed, problems = _run_biber(tmp_path, out.getvalue())
    assert problems == []
    # What biber read back, in its own (UTF-8) spelling.
    assert (
        "  AUTHOR = {Müller, Jürgen and Łukasiewicz, Jan and Çelik, Ayşe},\n"
        "  LOCATION = {Kraków, Poland},\n"
    ) in parsed
    assert (
        "  TITLE = {Über die {Schätzung} von \\textit{a priori} {Fehlern -- O’Brien’s} "
        "``minus'' case −1},\n"
    ) in parsed
    assert "  DATE = {2024-05-14},\n" in parsed


def test_biber_accepts_the_example(tmp_path: Path) -> None:
    result = convert([EXAMPLES / "spm-43-2.txt"], "biblatex")
    parsed, problems = _run_biber(tmp_path, result.text)
    # biblatex's data model wants an author for @article; that record has none.
    assert problems == [
        "WARN - Datamodel: Entry 'sps2026advance' (in.bib): Missing mandatory field 'author'"
    ]
    assert parsed.count("@ARTICLE{") == 7


def _escape_chars_loop(value: str, table: dict[str, str]) -> str:
    """The per-character loop `latex._escape_chars` ran on the whole value before its fast path."""
    pieces: list[str] = []
    for char in value:
        piece = table.get(char, char)
        if pieces and pieces[-1][-1] + piece[0] in latex._LIGATURE_PAIRS:
            pieces.append("{}")
        pieces.append(piece)
    return "".join(pieces)


_SPECIALS = "".join(sorted(set(latex._ESCAPES) | set(latex._PAIR_CHARS)))


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(
    value=st.text(alphabet=st.sampled_from(_SPECIALS) | st.characters(), max_size=60),
    typography=st.booleans(),
)
def test_escape_chars_fast_path_gives_the_loop_output(value: str, typography: bool) -> None:
    table = latex._TYPOGRAPHY if typography else latex._ESCAPES
    assert latex._escape_chars(value, table) == _escape_chars_loop(value, table)


def test_escape_chars_keeps_ligatures_apart_across_runs() -> None:
    assert latex._escape_chars("a--b ''c'' ?`x --", latex._ESCAPES) == (
        "a-{}-b '{}'c'{}' ?{}`x -{}-"
    )
    assert latex._escape_chars("1\u20132 \u201cq\u201d 50%", latex._ESCAPES) == "1--2 ``q'' 50\\%"
