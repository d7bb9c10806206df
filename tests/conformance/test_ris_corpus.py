"""RIS and MEDLINE readers against real exports in ../shared/corpus/ris (skipped when absent).

- asreview/citation-file-formatting: one set of records exported by about 25 tools. Every
  export must yield all of its records, each matching the baseline record of the same DOI (or
  title) on DOI, year, first author's family name and normalised title, except where the export
  itself lacks or alters the data (`ASREVIEW_EXCEPTIONS`, each with its reason).
- JabRef's importer pairs (RIS, nbib and MEDLINE input with the expected `.bib`), compared on
  title, authors, year, journal, volume, number, pages and DOI, with an expected-failure list
  where an unexpected pass also fails.
- Every RIS/nbib file of the corpus reads without an exception, and every record (counted by
  `ER` or `PMID-` lines) is converted or reported.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from citeport import registry
from citeport.diagnostics import DiagnosticLog
from citeport.model import Reference
from citeport.names import parse_name
from citeport.richtext import plain

from ..conftest import CORPUS, corpus_file

ASREVIEW = "ris/asreview-citation-file-formatting"
TOOLS = (
    "cinahl", "citavi", "cochrane_endnote", "cochrane_procite", "cochrane_refman",
    "covidence_endnote", "covidence_mendeley", "covidence_refworks", "covidence_zotero",
    "embase", "endnote", "eppireviewer", "eric_ovid", "googlescholar", "mdpi", "mendeley",
    "openalex", "psychInfo_ovid", "pubmed", "rayyan", "refworks", "scopus", "webofscience",
    "zotero",
)  # fmt: skip

#: (tool, field) -> why the export does not agree there. A listed pair that agrees fully fails
#: the test, so the list cannot go stale.
ASREVIEW_EXCEPTIONS: dict[tuple[str, str], str] = {
    ("citavi", "author"): "Citavi drops particles: 'Jong, Marit' for the baseline's 'de Jong'",
}
#: Records whose export names no author at all.
NO_AUTHOR = frozenset((("eric_ovid", "EJ322686"),))
#: Exports that carry no DOI at all (nothing to compare there).
NO_DOI = frozenset(("cinahl", "eric_ovid", "googlescholar"))


def read_file(path: Path) -> tuple[list[Reference], DiagnosticLog, str]:
    """Read one corpus file with the detected reader."""
    head = path.read_bytes()[:4096]
    info = registry.detect(str(path), head)
    assert info is not None and info.reader is not None, f"{path.name}: not detected"
    log = DiagnosticLog()
    with path.open("rb") as stream:
        refs = list(info.reader(stream, str(path), log))
    return refs, log, info.name


def norm(value: str) -> str:
    """Case-folded letters and digits only, accents removed."""
    decomposed = unicodedata.normalize("NFKD", value)
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[\W_]+", "", kept.casefold())


def facts(ref: Reference) -> dict[str, str]:
    first = ref.author[0] if ref.author else None
    return {
        "doi": ref.doi.lower(),
        "year": str(ref.issued.year) if ref.issued and ref.issued.year else "",
        "author": norm(first.family_full() if first else ""),
        "title": norm(plain(ref.title)),
    }


def agreement(refs: list[Reference], truth: dict[str, dict[str, str]]) -> dict[str, list[str]]:
    """Per field, the records of `refs` that disagree with `truth` (facts by DOI or title)."""
    bad: dict[str, list[str]] = {"match": [], "doi": [], "year": [], "author": [], "title": []}
    for ref in refs:
        got = facts(ref)
        want = truth.get(got["doi"]) or truth.get(got["title"])
        if want is None:
            bad["match"].append(ref.id)
            continue
        for field in ("doi", "year", "author", "title"):
            if got[field] != want[field]:
                bad[field].append(f"{ref.id}: {got[field]!r} != {want[field]!r}")
    return bad


def consensus() -> dict[str, dict[str, str]]:
    """For every DOI of every export: the most common year, first author and title."""
    seen: dict[str, list[dict[str, str]]] = {}
    for tool in TOOLS:
        refs, _, _ = read_file(corpus_file(f"{ASREVIEW}/_baseline_{tool}.ris"))
        for ref in refs:
            got = facts(ref)
            if got["doi"]:
                seen.setdefault(got["doi"], []).append(got)
    truth: dict[str, dict[str, str]] = {}
    for doi, found in seen.items():
        truth[doi] = {"doi": doi}
        for field in ("year", "author", "title"):
            values = Counter(f[field] for f in found if f[field])
            truth[doi][field] = values.most_common(1)[0][0] if values else ""
    return truth


def test_baseline_reads_all_100() -> None:
    refs, log, name = read_file(corpus_file(f"{ASREVIEW}/_baseline.ris"))
    assert name == "ris"
    assert len(refs) == 100
    assert len(log) == 0
    assert all(facts(r)["doi"] and facts(r)["year"] and facts(r)["title"] for r in refs)


def check(tool: str, bad: dict[str, list[str]], exceptions: dict[tuple[str, str], str]) -> None:
    for field, failures in bad.items():
        reason = exceptions.get((tool, field))
        if reason is None:
            assert failures == [], f"{tool} {field}"
        else:
            assert failures, f"{tool} {field} agrees now: remove the exception ({reason})"


def test_citavi_export_is_the_baseline() -> None:
    """The one export of the baseline's own 100 records: compared record by record."""
    baseline, _, _ = read_file(corpus_file(f"{ASREVIEW}/_baseline.ris"))
    truth = {facts(r)["doi"]: facts(r) for r in baseline}
    refs, _, _ = read_file(corpus_file(f"{ASREVIEW}/_baseline_citavi.ris"))
    assert len(refs) == 100
    bad = agreement(refs, truth)
    check("citavi", bad, ASREVIEW_EXCEPTIONS)
    assert len(bad["author"]) == 4


@pytest.mark.parametrize("tool", TOOLS)
def test_asreview_export_reads_every_record(tool: str) -> None:
    """Every record of every export is read, with a title and a year, and its DOI, first
    author and title agree with what the other tools exported for the same DOI."""
    path = corpus_file(f"{ASREVIEW}/_baseline_{tool}.ris")
    text = path.read_bytes().decode("utf-8", "replace")
    expected = len(re.findall(r"^PMID-", text, re.M)) or len(re.findall(r"^ER  -", text, re.M))
    refs, _, name = read_file(path)
    assert name == ("medline" if tool == "pubmed" else "ris")
    assert len(refs) == expected
    assert all(facts(r)["title"] and facts(r)["year"] for r in refs)
    assert [r.id for r in refs if not r.author] == [i for t, i in NO_AUTHOR if t == tool]
    assert all(facts(r)["doi"] for r in refs) == (tool not in NO_DOI)
    if tool not in NO_DOI:
        check(tool, agreement(refs, consensus()), {})


def corpus_inputs() -> list[str]:
    root = CORPUS / "ris"
    if not root.exists():
        return []
    found = [*root.rglob("*.ris"), *root.rglob("*.nbib"), *root.glob("jabref/Medline*.txt")]
    return sorted(str(p.relative_to(CORPUS)) for p in found)


@pytest.mark.parametrize("relative", corpus_inputs() or ["ris/absent.ris"])
def test_every_record_is_converted_or_reported(relative: str) -> None:
    """No exception; records (`ER` lines, or `PMID-` lines) = references + skipped."""
    path = corpus_file(relative)
    refs, log, name = read_file(path)
    text = path.read_bytes().decode("utf-8", "replace")
    if name == "medline":
        expected = len(re.findall(r"^PMID-", text, re.M))
        assert len(refs) >= expected
        assert len(refs) - expected == log.by_code.get("MED004", 0)
    else:
        ends = len(re.findall(r"^ER {1,2}-", text, re.M))
        unclosed = log.by_code.get("RIS002", 0)
        assert len(refs) + log.skipped == ends + unclosed
        assert all(ref.provenance and ref.provenance.line for ref in refs)
        if not refs:
            assert log.by_code.get("RIS005"), "a file without records says so"


# JabRef's importer pairs: X.ris / X.nbib / X.txt -> X.bib.
JABREF = "ris/jabref"
JABREF_FIELDS = ("title", "author", "year", "journal", "volume", "number", "pages", "doi")
#: (case, field) -> why citeport reads it differently from JabRef. An unexpected pass fails.
JABREF_XFAIL: dict[tuple[str, str], str] = {
    ("MedlinePlainImporterTestInproceeding", "journal"): "JabRef writes JT as booktitle",
    ("MedlinePlainImporterTestMultiTitle", "title"): "JabRef joins repeated TI with ': '",
    ("NbibImporterTest", "author"): "CN (a collective author) is an author here, not 'corporate'",
    ("RisImporterTest1", "title"): "JabRef joins repeated TI/T1; the first title is kept here",
    ("RisImporterTest6", "title"): "JabRef turns the em dash into '-'; it is kept here",
    ("RisImporterTest7", "author"): "JabRef folds A2 (editors) into authors; kept as editors",
    ("RisImporterTest8_date", "journal"): "JabRef takes JO; T2 is the full name (JO: short)",
    ("RisImporterTestDate1.1", "journal"): "JabRef takes JO; T2 is the full name (JO: short)",
    ("RisImporterTestDate1.2", "journal"): "JabRef takes JO; T2 is the full name (JO: short)",
    ("RisImporterTestWithEmptyER", "journal"): "JabRef takes JO; T2 is the full name (JO: short)",
    ("RisImporterTestDOI", "number"): "JabRef reads AN (accession number) as number",
    ("MedlinePlainImporterTestCompleteEntry", "pages"): "MEDLINE '454-81' is written out here",
    ("NbibImporterTest", "doi"): "JabRef keeps LID '... [doi]' as location-id, not doi",
    ("RisImporterTest1", "journal"): "a file of broken records; JabRef takes a later JO, not T2",
    ("RisImporterTest1", "author"): "JabRef folds A2 (editors) into authors; kept as editors",
    ("RisImporterTest6", "number"): "JabRef reads AN (accession number) as number",
    ("RisImporterTest6", "author"): "JabRef adds a period to the initial 'E'; kept as written",
}


def jabref_cases() -> list[str]:
    root = CORPUS / JABREF
    if not root.exists():
        return ["absent"]
    return sorted(
        p.stem
        for p in root.iterdir()
        if p.suffix in (".ris", ".nbib", ".txt")
        and p.with_suffix(".bib").exists()
        and not p.name.startswith("IEEE")
    )


def expected_bib(path: Path) -> dict[str, str]:
    import bibtexparser

    library = bibtexparser.parse_string(path.read_text(encoding="utf-8"))
    entry = library.entries[0]
    return {key.lower(): " ".join(str(f.value).split()) for key, f in entry.fields_dict.items()}


def ours(ref: Reference) -> dict[str, str]:
    """The model in JabRef's BibTeX terms, for comparison."""
    names = " and ".join(
        n.literal or (f"{n.family_full()}, {n.given}" if n.given else n.family_full())
        for n in ref.author
    )
    return {
        "title": plain(ref.title),
        "author": names,
        "year": str(ref.issued.year) if ref.issued and ref.issued.year else "",
        "journal": plain(ref.container_title),
        "volume": ref.volume,
        "number": ref.issue or ref.number,
        "pages": ref.page.replace("--", "-"),
        "doi": ref.doi,
    }


def _inverted(name: str) -> str:
    """A BibTeX name as "Family, Given" (JabRef writes some as "Given Family")."""
    parsed = parse_name(name)
    if parsed is None or "," in name or not parsed.given:
        return name.strip()
    return f"{parsed.family_full()}, {parsed.given}"


@pytest.mark.parametrize("case", jabref_cases())
def test_jabref_pair(case: str) -> None:
    root = corpus_file(JABREF)
    source = next(p for p in root.iterdir() if p.stem == case and p.suffix != ".bib")
    want = expected_bib(root / f"{case}.bib")
    refs, _, _ = read_file(source)
    assert refs, case
    got = ours(refs[0])
    want["number"] = want.get("number") or want.get("issue", "")
    want["author"] = " and ".join(_inverted(n) for n in want.get("author", "").split(" and ") if n)
    for field in JABREF_FIELDS:
        expected = want.get(field, "").replace("--", "-")
        reason = JABREF_XFAIL.get((case, field))
        same = got[field] == expected
        if reason is None:
            assert same, f"{case} {field}: {got[field]!r} != {expected!r}"
        else:
            assert not same, f"{case} {field} passes now: remove the expected failure ({reason})"
