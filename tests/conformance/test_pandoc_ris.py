"""pandoc's RIS -> CSL-JSON cases (../shared/corpus/bibtex/pandoc-tests, skipped when absent).

Each case file holds the pandoc command (`% pandoc -f ris -t csljson`), the RIS input, `^D` and
pandoc's expected CSL-JSON. citeport reads the same RIS and converts it to CSL-JSON; the items
are paired in order and compared on title, authors, container title, volume, issue, pages,
date, DOI and type. `EXPECTED_FAILURES` names each (case, item, field) where citeport reads
the RIS differently from pandoc, and why; a listed field that agrees fails too, so the list
stays exact.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import pytest

from citeport import DiagnosticLog
from citeport.formats import csljson, ris

from ..conftest import CORPUS, corpus_file

CASES = "bibtex/pandoc-tests"
FIELDS = (
    "title", "author", "container-title", "volume", "issue", "page", "issued", "DOI", "type",
)  # fmt: skip
_CASE = re.compile(r"```\n% pandoc -f ris -t csljson\n(.*?\n)\^D\n(.*?)\n```", re.DOTALL)

#: (case, item index, field) -> why citeport differs from pandoc. An unexpected pass fails.
EXPECTED_FAILURES: dict[tuple[str, int, str], str] = {
    ("7894", 1, "issued"): "pandoc ignores DA; `DA  - July` gives the month of PY 1948 here",
}


def ris_cases() -> list[str]:
    root = CORPUS / CASES
    if not root.exists():
        return ["absent"]
    return sorted(p.stem for p in root.glob("*.md") if _CASE.search(p.read_text("utf-8")))


def compared(item: dict[str, Any]) -> dict[str, Any]:
    return {field: item.get(field) for field in FIELDS}


@pytest.mark.parametrize("case", ris_cases())
def test_pandoc_ris_case(case: str) -> None:
    path: Path = corpus_file(f"{CASES}/{case}.md")
    found = _CASE.search(path.read_text(encoding="utf-8"))
    assert found is not None
    source, expected = found.groups()
    log = DiagnosticLog()
    refs = list(ris.read(io.BytesIO(source.encode("utf-8")), f"{case}.md", log))
    theirs = json.loads(expected)
    assert len(refs) == len(theirs)
    assert [str(d) for d in log] == []
    for index, (ref, item) in enumerate(zip(refs, theirs, strict=True)):
        ours = compared(csljson.to_csl(ref, ref.id))
        want = compared(item)
        for field in FIELDS:
            reason = EXPECTED_FAILURES.get((case, index, field))
            same = ours[field] == want[field]
            if reason is None:
                assert same, f"{case} item {index} {field}: {ours[field]!r} != {want[field]!r}"
            else:
                assert not same, f"{case} item {index} {field} agrees now: remove ({reason})"
