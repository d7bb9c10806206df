"""The CSL processor test suite (the `humans/` cases) through citeport's rendering path.

Each case file of ../shared/corpus/csl-test-suite/humans/ holds sections between
`>>===== NAME =====>>` and `<<===== NAME =====<<` markers: MODE (citation or bibliography),
RESULT, CSL (the style), INPUT (CSL-JSON items) and, for some, CITATION-ITEMS. The cases whose
file name starts with one of `PREFIXES` (what an IEEE style needs: names, et al., dates, labels,
quotes, punctuation, numbers, pages, and the bug reports) are rendered the way citeport renders:
every item is read into the model (`csljson.from_csl`), prepared by `render.prepare` for HTML
(data escaped, ids kept away from citeproc-py) and rendered by citeproc-py; then only the fixes
valid for any style are applied (`fix_punctuation_in_quote`, since the suite's en-US locale
asks for punctuation in quotes, and `fix_double_period`). The IEEE-only steps and the label fix
(`second-field-align` spacing is style-specific) are left out.

Skipped: cases with CITATIONS (position-dependent citation sequences), modes other than
citation and bibliography, and CSL styles at version 1.1 (not what citeproc-py reads).

`csl_suite_expected_failures.txt` lists, one a line, the cases that fail today; the test fails
on a new failure and on a listed case that now passes (so the list stays exact). Run this file
as a script (`python -m tests.conformance.test_csl_suite`) to print pass/total per prefix, or
with `--write-failures` to rewrite the list. Skips when the corpus is absent.
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
import warnings
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source import Locator
from citeproc.source.json import CiteProcJSON

from citeport import DiagnosticLog, Location
from citeport.formats.csljson import from_csl
from citeport.formats.ieee import render
from citeport.formats.ieee.speedups import install

from ..conftest import CORPUS

SUITE = CORPUS / "csl-test-suite" / "humans"
EXPECTED_FAILURES = Path(__file__).with_name("csl_suite_expected_failures.txt")
PREFIXES = (
    "name_", "nameattr_", "etal_", "date_", "label_", "quotes_", "punctuation_", "number_",
    "page_", "bugreports_",
)  # fmt: skip
_SECTION = re.compile(r">>=+ ([A-Z-]+) =+>>\n(.*?)\n<<=+ \1 =+<<", re.S)
_MODES = ("citation", "bibliography")
_SETTINGS = render.Settings(ieee=False, abbreviations=None, expand_pages=False)


@dataclass(frozen=True, slots=True)
class Case:
    """One test-suite case."""

    name: str
    mode: str
    result: str
    csl: str
    items: list[dict[str, Any]]
    citation_items: list[list[dict[str, Any]]] | None


def read_case(path: Path) -> Case | None:
    """The case in `path`, or None when this runner does not run it (see the docstring)."""
    sections = dict(_SECTION.findall(path.read_text(encoding="utf-8")))
    mode = sections.get("MODE", "").strip()
    if "CITATIONS" in sections or mode not in _MODES or "CSL" not in sections:
        return None
    if re.search(r'<style[^>]*version="1\.1', sections["CSL"]):
        return None
    cites = sections.get("CITATION-ITEMS")
    return Case(
        path.stem,
        mode,
        sections.get("RESULT", ""),
        sections["CSL"],
        json.loads(sections.get("INPUT", "[]")),
        json.loads(cites) if cites else None,
    )


def cases() -> list[Path]:
    """The selected case files, sorted by name."""
    return sorted(p for p in SUITE.glob("*.txt") if p.name.startswith(PREFIXES))


def _finish(text: str) -> str:
    text = render.fix_punctuation_in_quote(text)
    return render.fix_double_period(text, render.HTML.closers)


def _citation(items: list[dict[str, Any]], ids: dict[str, str]) -> Citation:
    cites = []
    for cite in items:
        extra: dict[str, Any] = {k: cite[k] for k in ("prefix", "suffix") if k in cite}
        if "locator" in cite:
            extra["locator"] = Locator(cite.get("label", "page"), str(cite["locator"]))
        cites.append(CitationItem(ids[str(cite["id"])], **extra))
    return Citation(cites)


def run_case(case: Case) -> str:
    """citeport's rendering of `case` (raises whatever citeproc-py raises)."""
    ids: dict[str, str] = {}
    prepared = []
    for index, obj in enumerate(case.items, 1):
        ref = from_csl(obj, f"/{index - 1}", Location(case.name), DiagnosticLog(), index)
        item = render.prepare(ref, render.HTML, _SETTINGS)
        item["id"] = f"item-{index}"  # lower case: citeproc-py lower-cases ids
        ids[str(obj.get("id"))] = item["id"]
        prepared.append(item)
    with tempfile.NamedTemporaryFile("w", suffix=".csl", encoding="utf-8") as style_file:
        style_file.write(case.csl)
        style_file.flush()
        style = CitationStylesStyle(style_file.name, validate=False)
    source = CiteProcJSON(prepared)
    bibliography = CitationStylesBibliography(style, source, formatter.html)
    if case.citation_items is not None:
        citations = [_citation(group, ids) for group in case.citation_items]
    else:
        citations = [Citation([CitationItem(item["id"]) for item in prepared])]
    for citation in citations:
        bibliography.register(citation)
    if case.mode == "citation":
        return "\n".join(_finish(str(bibliography.cite(c, lambda _item: None))) for c in citations)
    entries = "".join(
        f'  <div class="csl-entry">{_finish(str(e))}</div>\n' for e in bibliography.bibliography()
    )
    return f'<div class="csl-bib-body">\n{entries}</div>'


def passes(case: Case) -> bool:
    """Whether citeport's rendering equals the case's RESULT."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return run_case(case) == case.result
        except Exception:  # a citeproc-py failure is a failed case
            return False


def outcomes() -> dict[str, bool]:
    """Case name -> passed, for every selected case this runner runs."""
    install()
    out: dict[str, bool] = {}
    for path in cases():
        case = read_case(path)
        if case is not None:
            out[case.name] = passes(case)
    return out


def expected_failures() -> set[str]:
    """The case names listed in `csl_suite_expected_failures.txt`."""
    lines = EXPECTED_FAILURES.read_text(encoding="utf-8").splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def test_csl_suite_cases_pass_except_the_listed_ones() -> None:
    if not SUITE.is_dir():
        pytest.skip("the CSL test suite is not in the corpus (the corpus is optional)")
    results = outcomes()
    assert len(results) > 300
    failed = {name for name, ok in results.items() if not ok}
    listed = expected_failures()
    assert sorted(failed - listed) == [], "new failures"
    assert sorted(listed - failed) == [], "listed cases that pass now: remove them from the list"


def main(argv: list[str]) -> None:
    """Print pass/total per prefix; with --write-failures, rewrite the expected-failure list."""
    results = outcomes()
    total: Counter[str] = Counter()
    passed: Counter[str] = Counter()
    for name, ok in results.items():
        prefix = max((p for p in PREFIXES if name.startswith(p)), key=len)
        total[prefix] += 1
        passed[prefix] += ok
    for prefix in PREFIXES:
        print(f"{prefix:<14}{passed[prefix]:>4}/{total[prefix]}")
    print(f"{'all':<14}{sum(passed.values()):>4}/{sum(total.values())}")
    if "--write-failures" in argv:
        failed = sorted(name for name, ok in results.items() if not ok)
        header = (
            "# CSL test-suite cases citeport fails today (tests/conformance/test_csl_suite.py)\n"
        )
        EXPECTED_FAILURES.write_text(header + "".join(f"{n}\n" for n in failed), encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1:])
