"""Our IEEE text against citeproc-js with the official IEEE CSL style, on the same data.

tests/cases/ieee/references.json (107 references of every type IEEE lists) is rendered by
citeport (styles/ieee.csl through citeproc-py and the wrapper, full journal names) and by
citeproc-js with the official style (../shared/corpus/ieee/ieee.csl), each reference alone
(render_citeprocjs.js also gives an `event-title` the CSL 1.0 name `event` the official style
reads).
Every reference whose entries differ is listed in `DIFFERENCES` with the rule that makes us
differ on purpose (docs/ieee.md, "Differences from the official CSL style", explains each with
the IEEE Reference Guide's rule); an unlisted difference fails, and so does a listed reference
that agrees (the list must stay exact). Each rule is also written as a rewrite from our form to
the official style's (`REWRITES`): applying a reference's listed rewrites to our entry must give
citeproc-js's entry character for character, so a listed reference cannot hide a second,
unlisted difference, and each rewrite must change something (a rule listed for a reference it
does not touch fails).

Needs node and the npm `citeproc` package:
`npm install --prefix /tmp/cpjs citeproc` (or set CITEPROC_JS to the package directory);
skips when either is absent, or when the corpus is.
"""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

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

#: Rules by which we differ from the official style, each backed by the IEEE Reference Guide
#: (names used in docs/ieee.md, "Differences from the official CSL style").
HYPHEN_INITIALS = "hyphen-initials"  # "Xiao-ming" -> X.-M. (citeproc-js: X.)
DAY_NO_ZERO = "day-without-zero"  # Mar. 1, 2024 (official: Mar. 01)
PRESENTED_PLACE = "presented-at-place"  # "presented at the Conf., City, date" (official: no city)
EDITION = "edition-ordinal"  # "second" -> 2nd ed. (official: "Second.")
EDITORS_PERIOD = "editors-then-imprint"  # "..., Eds. City: Publisher" (official: "Eds., City")
NUMBER_HYPHEN = "number-keeps-hyphen"  # 800-53, 754-2019 (citeproc-js: en dash)
PATENT = "patent"  # "U.S. Patent 3 624 125, Jul. 16, 1990." (official: no country, no period)
PREPRINT = "preprint-id"  # arXiv:2001.00001 (official: "arXiv: arXiv:2001.00001")
TRANSLATORS = "translators"  # "..., R. Pevear, Trans." (official: translators not printed)

DIFFERENCES: dict[str, tuple[str, ...]] = {
    "journal-02": (HYPHEN_INITIALS,),
    "newspaper-01": (DAY_NO_ZERO,),
    "newspaper-02": (DAY_NO_ZERO,),
    "newspaper-03": (DAY_NO_ZERO,),
    "presented-01": (PRESENTED_PLACE,),
    "presented-02": (PRESENTED_PLACE,),
    "presented-03": (PRESENTED_PLACE,),
    "presented-04": (PRESENTED_PLACE,),
    "presented-05": (PRESENTED_PLACE,),
    "book-05": (HYPHEN_INITIALS, EDITION),
    "book-06": (HYPHEN_INITIALS,),
    "book-07": (TRANSLATORS,),
    "chapter-01": (EDITORS_PERIOD,),
    "chapter-02": (EDITORS_PERIOD,),
    "chapter-03": (EDITORS_PERIOD,),
    "chapter-04": (EDITORS_PERIOD,),
    "chapter-05": (EDITORS_PERIOD,),
    "chapter-06": (EDITORS_PERIOD,),
    "thesis-05": (DAY_NO_ZERO,),
    "report-02": (NUMBER_HYPHEN,),
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
    "webpage-05": (DAY_NO_ZERO,),
    "webpage-06": (DAY_NO_ZERO,),
    "dataset-01": (DAY_NO_ZERO,),
    "dataset-02": (DAY_NO_ZERO,),
    "dataset-05": (DAY_NO_ZERO,),
    "preprint-01": (PREPRINT,),
    "preprint-02": (PREPRINT,),
    "preprint-03": (PREPRINT,),
    "preprint-04": (PREPRINT,),
    "preprint-05": (PREPRINT,),
    "preprint-06": (PREPRINT,),
    "speech-01": (DAY_NO_ZERO,),
    "speech-02": (DAY_NO_ZERO,),
    "speech-04": (PRESENTED_PLACE,),
    "speech-05": (PRESENTED_PLACE, HYPHEN_INITIALS),
    "translated-01": (TRANSLATORS,),
}


Item = dict[str, Any]

_MONTH = r"(?:(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.|May|June|July)"


def _hyphen_initials(entry: str, item: Item) -> str:
    """X.-M. Wang -> X. Wang, for each name whose given name goes on in lower case."""
    for role in ("author", "editor", "translator"):
        for name in item.get(role, []):
            parts = name.get("given", "").split("-")
            if len(parts) == 2 and parts[1][:1].islower():
                ours = f"{parts[0][0]}.-{parts[1][0].upper()}. {name['family']}"
                entry = entry.replace(ours, f"{parts[0][0]}. {name['family']}")
    return entry


def _day_zero(entry: str, item: Item) -> str:
    return re.sub(rf"\b({_MONTH}) (\d),", r"\1 0\2,", entry)


def _presented_place(entry: str, item: Item) -> str:
    return entry.replace(f", {item['event-place']},", ",", 1)


def _edition(entry: str, item: Item) -> str:
    return re.sub(r"\b\d+(?:st|nd|rd|th) ed\.", f"{item['edition'].capitalize()}.", entry, count=1)


def _editors_period(entry: str, item: Item) -> str:
    place = re.escape(item["publisher-place"])
    return re.sub(rf"\b(Eds?|ed)\. (?={place})", r"\1., ", entry, count=1)


def _number_dash(entry: str, item: Item) -> str:
    return entry.replace(item["number"], item["number"].replace("-", "\u2013"), 1)


def _patent(entry: str, item: Item) -> str:
    entry = entry.replace(f"{item['genre']} {item['number']}", item["number"], 1)
    return entry.removesuffix(".")


def _preprint(entry: str, item: Item) -> str:
    return entry.replace(f", {item['number']}", f", {item['publisher']}: {item['number']}", 1)


def _translators(entry: str, item: Item) -> str:
    return re.sub(rf"({re.escape(item['title'])}), .*?, Trans\.", r"\1.", entry, count=1)


#: Each rule as a rewrite of our entry into the official style's form (applied in this order).
REWRITES: dict[str, Callable[[str, Item], str]] = {
    HYPHEN_INITIALS: _hyphen_initials,
    DAY_NO_ZERO: _day_zero,
    PRESENTED_PLACE: _presented_place,
    EDITION: _edition,
    EDITORS_PERIOD: _editors_period,
    PATENT: _patent,
    NUMBER_HYPHEN: _number_dash,
    PREPRINT: _preprint,
    TRANSLATORS: _translators,
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
    explained: list[str] = []
    for item, ref, expected in zip(items, refs, theirs, strict=True):
        out = io.StringIO()
        ieee.write_text([ref], out, DiagnosticLog(), WriteOptions(full_journal_names=True))
        ours = out.getvalue().strip()
        if ours == expected:
            continue
        differ.append(item["id"])
        rewritten = ours
        for rule, rewrite in REWRITES.items():
            if rule in DIFFERENCES.get(item["id"], ()):
                before, rewritten = rewritten, rewrite(rewritten, item)
                assert rewritten != before, (item["id"], rule)  # the rule applies here
        if rewritten == expected:
            explained.append(item["id"])
    assert differ == list(DIFFERENCES)
    assert explained == differ  # each differs by its listed rules and by nothing else
    assert len(items) - len(differ) == 61  # exact agreement
