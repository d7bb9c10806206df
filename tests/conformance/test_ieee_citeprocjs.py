"""Our IEEE text against citeproc-js with the official IEEE CSL style, on the same data.

tests/cases/ieee/references.json (107 references of every type IEEE lists) is rendered by
citeport (styles/ieee.csl through citeproc-py and the wrapper, full journal names) and by
citeproc-js with the official style (../shared/corpus/ieee/ieee.csl), each reference alone.
Every reference whose entries differ is listed in `DIFFERENCES` with the rule that makes us
differ on purpose (docs/ieee.md, "Differences from the official CSL style", explains each with
the IEEE Reference Guide's rule); an unlisted difference fails, and so does a listed reference
that agrees (the list must stay exact).

Needs node and the npm `citeproc` package:
`npm install --prefix /tmp/cpjs citeproc` (or set CITEPROC_JS to the package directory);
skips when either is absent, or when the corpus is.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
from pathlib import Path

import citeproc as citeproc_py
import pytest

from citeport import DiagnosticLog, WriteOptions
from citeport.formats import ieee

from ..conftest import CASES, corpus_file
from ..test_ieee_types import load_references

HERE = Path(__file__).resolve().parent
SCRIPT = HERE / "render_citeprocjs.js"
REFERENCES = CASES / "ieee" / "references.json"
LOCALE = Path(citeproc_py.__file__).parent / "data" / "locales" / "locales-en-US.xml"

#: Rules by which we differ from the official style (names used in docs/ieee.md).
HYPHEN_INITIALS = "hyphen-initials"  # "Xiao-ming" -> X.-M. (citeproc-js: X.)
QUESTION_MARK = "question-mark"  # “Why?” Journal (citeproc-js: “Why?,”)
DAY_NO_ZERO = "day-without-zero"  # Mar. 1, 2024 (official: Mar. 01)
TWO_MONTHS = "two-month-issue"  # Jul./Aug. 2018 (official: Jul.–Aug.)
PAGES_EXPANDED = "pages-expanded"  # pp. 1234–1240 (citeproc-js leaves 1234–40)
EARLY_ACCESS = "early-access"  # ..., early access, Sep. 2018.
PLACE = "conference-place"  # event place also for published proceedings
DOI_COMMA = "doi-after-comma"  # ..., pp. 1–9, doi: x. (official: ". doi:")
VOLUME = "proceedings-volume"  # in Advances in ..., vol. 30
PRESENTED = "presented-at"  # unpublished paper: "presented at the Conf., City"
EDITION = "edition-ordinal"  # "second" -> 2nd ed.
NO_PUBLISHER = "period-after-title"  # Title, 1996. (official: "Title. 1996.")
TRANSLATOR = "translator"  # "T. Name, Trans."
EDITORS_PERIOD = "editors-then-imprint"  # "..., Eds. City: Publisher" (official: "Eds., City")
NUMBER_HYPHEN = "number-keeps-hyphen"  # 800-53, 754-2019 (citeproc-js: en dash)
REPORT_NO = "report-number-label"  # "Rep. X" when the genre is unknown
PATENT = "patent"  # "U.S. Patent 3 624 125, Jul. 16, 1990." (official: no country, no period)
SECTION = "newspaper-section"  # "sec. B"
WEB_DATE = "web-date"  # the page's own date, then Accessed
DATASET = "dataset"  # “Title,” Publisher, Year, doi (official: “Title.” ... Year. doi:)
SOFTWARE = "software"  # Title, Publisher, Year (official: "Title. (Year). Publisher.")
PREPRINT = "preprint"  # “Title,” 2020, arXiv:2001.00001 (official: Jan. 2020, arXiv: arXiv:…)
LECTURE = "lecture"  # genre, event, place (official: neither place nor "presented at")

DIFFERENCES: dict[str, tuple[str, ...]] = {
    "journal-02": (HYPHEN_INITIALS,),
    "journal-03": (QUESTION_MARK,),
    "journal-09": (EARLY_ACCESS,),
    "journal-10": (PAGES_EXPANDED,),
    "journal-12": (TWO_MONTHS,),
    "magazine-06": (QUESTION_MARK,),
    "newspaper-01": (DAY_NO_ZERO,),
    "newspaper-02": (DAY_NO_ZERO, SECTION),
    "newspaper-03": (DAY_NO_ZERO,),
    "conference-03": (PLACE,),
    "conference-06": (DOI_COMMA,),
    "conference-07": (VOLUME,),
    "presented-01": (PRESENTED,),
    "presented-02": (PRESENTED,),
    "presented-03": (PRESENTED,),
    "presented-04": (PRESENTED,),
    "presented-05": (PRESENTED,),
    "book-05": (HYPHEN_INITIALS, EDITION),
    "book-06": (HYPHEN_INITIALS, NO_PUBLISHER),
    "book-07": (TRANSLATOR,),
    "chapter-01": (EDITORS_PERIOD,),
    "chapter-02": (EDITORS_PERIOD,),
    "chapter-03": (EDITORS_PERIOD,),
    "chapter-04": (EDITORS_PERIOD,),
    "chapter-05": (EDITORS_PERIOD,),
    "chapter-06": (EDITORS_PERIOD,),
    "thesis-05": (DAY_NO_ZERO,),
    "report-02": (NUMBER_HYPHEN,),
    "report-04": (REPORT_NO,),
    "standard-02": (NUMBER_HYPHEN,),
    "standard-04": (NUMBER_HYPHEN,),
    "standard-06": (NUMBER_HYPHEN,),
    "patent-01": (HYPHEN_INITIALS, PATENT),
    "patent-02": (PATENT,),
    "patent-03": (PATENT, NUMBER_HYPHEN),
    "patent-04": (PATENT, DAY_NO_ZERO),
    "patent-05": (PATENT, DAY_NO_ZERO),
    "patent-06": (PATENT,),
    "webpage-01": (DAY_NO_ZERO,),
    "webpage-02": (WEB_DATE,),
    "webpage-03": (WEB_DATE,),
    "webpage-05": (WEB_DATE, DAY_NO_ZERO),
    "webpage-06": (DAY_NO_ZERO,),
    "dataset-01": (DATASET, DAY_NO_ZERO),
    "dataset-02": (DATASET, DAY_NO_ZERO),
    "dataset-03": (DATASET,),
    "dataset-04": (DATASET,),
    "dataset-05": (DATASET, DAY_NO_ZERO),
    "software-01": (SOFTWARE,),
    "software-02": (SOFTWARE,),
    "software-03": (SOFTWARE,),
    "software-04": (SOFTWARE,),
    "software-05": (SOFTWARE,),
    "preprint-01": (PREPRINT,),
    "preprint-02": (PREPRINT,),
    "preprint-03": (PREPRINT,),
    "preprint-04": (PREPRINT,),
    "preprint-05": (PREPRINT,),
    "preprint-06": (PREPRINT,),
    "speech-01": (LECTURE, DAY_NO_ZERO),
    "speech-02": (LECTURE, DAY_NO_ZERO),
    "speech-03": (LECTURE,),
    "speech-04": (LECTURE,),
    "speech-05": (LECTURE, HYPHEN_INITIALS),
    "translated-01": (TRANSLATOR,),
}


def _citeproc_js() -> str:
    found = os.environ.get("CITEPROC_JS", "/tmp/cpjs/node_modules/citeproc")
    if shutil.which("node") is None or not Path(found, "package.json").is_file():
        pytest.skip("node or the npm citeproc package is not installed")
    return found


def test_agrees_with_citeproc_js_except_documented_differences() -> None:
    package = _citeproc_js()
    official = corpus_file("ieee/ieee.csl")
    done = subprocess.run(
        ["node", str(SCRIPT), str(official), str(REFERENCES)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "CITEPROC_JS": package, "CSL_LOCALE": str(LOCALE)},
        check=True,
    )
    theirs = json.loads(done.stdout)
    items = json.loads(REFERENCES.read_text(encoding="utf-8"))
    refs = load_references()
    assert len(theirs) == len(refs) == len(items) >= 100
    differ: list[str] = []
    for item, ref, expected in zip(items, refs, theirs, strict=True):
        out = io.StringIO()
        ieee.write_text([ref], out, DiagnosticLog(), WriteOptions(full_journal_names=True))
        if out.getvalue().strip() != expected:
            differ.append(item["id"])
    assert differ == list(DIFFERENCES)
    agree = len(items) - len(differ)
    assert agree == 42  # exact agreement; every other reference differs by a listed rule
