"""Every writer, fed arbitrary references, finishes; BibTeX, RIS and CSL-JSON read back whole.

References are generated over the whole model: names with particles, suffixes, literals and
missing parts; partial dates, ranges, seasons and odd months; rich text with styles, no-case
spans and math; values full of the characters each format treats specially.
"""

from __future__ import annotations

import io
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citeport import DiagnosticLog, WriteOptions, registry
from citeport.model import ITEM_TYPES, Date, Name, Reference
from citeport.richtext import Math, NoCase, Styled, Text

EXAMPLES = int(os.environ.get("CITEPORT_FUZZ_EXAMPLES", "150"))
SPECIAL = st.sampled_from(
    [*"{}%#&_\\$~^<>\"'\n\r\t\x85\u2028@,=", "and", "ER  - ", "TY  - ", "é", "工", "−", "’", " "]
)
TEXT = st.lists(SPECIAL | st.text(max_size=6), max_size=8).map("".join)
WORD = st.text(alphabet=st.characters(categories=("L",)), min_size=1, max_size=8)
NAMES = st.builds(
    Name,
    family=st.one_of(st.just(""), WORD, TEXT),
    given=st.one_of(st.just(""), WORD, st.just("Quoc-Tung"), TEXT),
    non_dropping_particle=st.sampled_from(["", "van", "de la"]),
    suffix=st.sampled_from(["", "Jr.", "III"]),
    literal=st.one_of(st.just(""), st.just(""), TEXT),
)
PARTS = st.lists(st.integers(-5, 3000), min_size=1, max_size=3).map(tuple)
DATES = st.one_of(
    st.none(),
    st.builds(Date, parts=st.lists(PARTS, min_size=1, max_size=2).map(tuple)),
    st.builds(Date, literal=TEXT),
    st.builds(
        Date,
        parts=st.just(((2020,),)),
        season=st.sampled_from(["1", "Spring"]),
        circa=st.booleans(),
    ),
)
INLINE = st.recursive(
    st.one_of(
        TEXT.map(Text),
        st.sampled_from([r"\ell^1", r"x_{i}", r"\frac{a}{b}", "}", "$", r"\input{x}"]).map(Math),
    ),
    lambda kids: st.one_of(
        st.builds(
            Styled,
            st.sampled_from(["italic", "bold", "sup", "sub", "smallcaps"]),
            st.lists(kids, max_size=3).map(tuple),
        ),
        st.builds(NoCase, st.lists(kids, max_size=3).map(tuple)),
    ),
    max_leaves=6,
)
RICH = st.lists(INLINE, max_size=4).map(tuple)
REFERENCES = st.builds(
    Reference,
    id=TEXT,
    type=st.sampled_from(sorted(ITEM_TYPES)),
    title=RICH,
    author=st.lists(NAMES, max_size=8).map(tuple),
    editor=st.lists(NAMES, max_size=2).map(tuple),
    container_title=RICH,
    volume=TEXT,
    issue=TEXT,
    page=st.one_of(TEXT, st.sampled_from(["10-23", "C3", "e1234", "1234-40"])),
    issued=DATES,
    accessed=DATES,
    doi=TEXT,
    url=TEXT,
    publisher=TEXT,
    abstract=RICH,
    keyword=st.lists(TEXT, max_size=3).map(tuple),
    note=TEXT,
    citation_key=st.one_of(st.just(""), TEXT, WORD),
)
WRITERS = [info for info in registry.formats() if info.writer is not None]
READ_BACK = {"bibtex": "bibtex", "biblatex": "bibtex", "ris": "ris", "csljson": "csljson"}


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(refs=st.lists(REFERENCES, min_size=1, max_size=4), unicode=st.booleans())
def test_every_writer_finishes_and_its_output_reads_back_whole(
    refs: list[Reference], unicode: bool
) -> None:
    options = WriteOptions(unicode=unicode)
    for info in WRITERS:
        assert info.writer is not None
        out = io.StringIO(newline="")
        log = DiagnosticLog()
        written = info.writer(refs, out, log, options)
        reader_name = READ_BACK.get(info.name)
        if reader_name is None:
            continue
        reader = registry.find(reader_name)
        assert reader is not None and reader.reader is not None
        back_log = DiagnosticLog()
        data = io.BufferedReader(io.BytesIO(out.getvalue().encode("utf-8")))  # type: ignore[arg-type]
        back = list(reader.reader(data, "back", back_log))
        assert len(back) == written, (info.name, [str(d) for d in back_log], out.getvalue())
