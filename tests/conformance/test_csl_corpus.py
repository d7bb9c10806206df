"""CSL-JSON and Crossref readers against ../shared/corpus (skipped when absent).

- Every `.json` file under `csljson/` (and BBT's `*.csl.json` exports) reads without an
  exception, and every top-level item is converted or reported (counted with `json`).
- CSL-JSON -> CSL-JSON keeps every field: each item written back equals the item read, once
  both are normalised by `normalise`, whose rules are the explicit exceptions (each with its
  reason). What we write always validates against `csl-data.json`.
- Crossref's `crossref.json` gives the same title, authors, journal, volume, year and DOI as
  Crossref's own `crossref.bib` and `crossref.ris` for the same work.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import bibtexparser
import pytest

from citeport import registry
from citeport.dates import parse_iso
from citeport.diagnostics import DiagnosticLog
from citeport.formats import crossref, csljson
from citeport.options import WriteOptions
from citeport.richtext import plain

from ..conftest import CORPUS, corpus_file


def corpus_json() -> list[Path]:
    files = sorted((CORPUS / "csljson").rglob("*.json")) if (CORPUS / "csljson").exists() else []
    files += sorted((CORPUS / "bibtex" / "bbt-export").glob("*.csl.json"))
    return [f for f in files if f.parent.name != "schema"]


def csl_files() -> list[Path]:
    """The corpus files that are CSL-JSON (by content, as `citeport` detects them)."""
    return [f for f in corpus_json() if csljson.sniff(f.read_bytes()[:8192]) >= 30]


def _id(path: Path) -> str:
    return str(path.relative_to(CORPUS))


def test_content_tells_csl_json_from_crossref() -> None:
    corpus_file("csljson/schema/csl-data.json")
    scores = {
        _id(f): (csljson.sniff(head), crossref.sniff(head))
        for f in corpus_json()
        for head in [f.read_bytes()[:8192]]
    }
    assert not [k for k, (csl, xref) in scores.items() if csl and xref]
    assert sum(1 for csl, _ in scores.values() if csl >= 30) == 55
    assert sorted(k for k, (_, xref) in scores.items() if xref >= 30) == [
        "csljson/citation-js/doi.json",  # {DOI: [work]}: Crossref works, not in a response
        "csljson/crossref-colrev/data_crossref/10.1177_02683962211048201.json",
        "csljson/crossref-colrev/data_crossref/10.17705_1cais.04607.json",
        "csljson/crossref-colrev/data_crossref/10.2196_22081.json",
        "csljson/crossref-commonmeta/fixtures/crossref-list.json",
        "csljson/crossref-commonmeta/fixtures/crossref-list_missing_doi.json",
        "csljson/crossref-commonmeta/fixtures/crossref.json",
    ]
    # Neither (a DataCite record, PLOS Solr answers, citation-js test tables): the `.json`
    # extension sends them to the CSL-JSON reader, which reports them (next test).
    assert sorted(k for k, scores_ in scores.items() if scores_ == (0, 0)) == [
        "csljson/citation-js/core/test/data.json",
        "csljson/crossref-colrev/data_plos/10.1371_journal.pone.0022081.json",
        "csljson/crossref-colrev/data_plos/10.1371_journal.pone.0223215.json",
        "csljson/crossref-colrev/data_plos/10.1371_journal.pone.0252279.json",
        "csljson/crossref-commonmeta/fixtures/crosscite.json",
    ]


@pytest.mark.parametrize("path", corpus_json(), ids=_id)
def test_every_item_is_converted_or_reported(path: Path) -> None:
    info = registry.detect(str(path), path.read_bytes()[:8192])
    assert info is not None and info.reader is not None
    log = DiagnosticLog()
    with path.open("rb") as stream:
        refs = list(info.reader(stream, str(path), log))
    doc = json.loads(path.read_bytes())
    if info.name == "csljson":
        expected = len(doc) if isinstance(doc, list) else 1
    else:
        message = doc.get("message", doc)
        items = message.get("items") if isinstance(message, dict) else None
        expected = len(items) if isinstance(items, list) else 1
    assert len(refs) + log.skipped == expected
    assert all(d.severity < 30 for d in log) or log.skipped


# -- CSL-JSON round trip -------------------------------------------------------------------------

_NAME_PARTS = ("family", "given", "dropping-particle", "non-dropping-particle", "suffix", "literal")


def normalise(item: dict[str, Any]) -> dict[str, Any]:
    """An item in the form both sides of a round trip must agree on.

    The exceptions, each a change the writer makes on purpose:
    - `custom` is merged into the item: variables that are not CSL 1.0.2 move under `custom`
      (the schema forbids them at the top level), and so does the original id when it is not
      a valid citation key or is taken (`custom.source-id`);
    - `citation-key` is written for every item (the id, when the input had none);
    - numbers become strings ("volume": 3 -> "3"; the schema allows both);
    - name and date properties the model has no slot for are dropped (CSL108: Crossref's
      `ORCID`, `affiliation`, `sequence` in names; `date-time`, `timestamp` in dates; the flags
      `parse-names`, `comma-suffix`, `static-ordering`); name parts are trimmed;
    - dates are written as `date-parts` of numbers: string parts become numbers, a parsed
      `raw` becomes date-parts, parts past the third and empty parts are dropped (CSL107);
    - a season written as a month (13-16, 21-24) is written as `season` ("Spring", a range of
      two seasons "Spring-Summer"), the year kept (and one year for a range within a year);
    - a DOI written as a doi.org link is written bare (CSL110);
    - `keyword` is written as the keywords joined by ", ";
    - `journalAbbreviation` and `shortTitle` are written under their CSL 1.0.2 names;
    - a type that is not CSL's becomes "document" (CSL104), the original under `custom`;
    - a value of the wrong shape (a list where a string belongs) is compared as read (CSL105);
    - empty values are absent.
    """
    out: dict[str, Any] = {}
    custom = item.get("custom") if isinstance(item.get("custom"), dict) else {}
    merged = {**{k: v for k, v in item.items() if k != "custom"}, **custom}
    if "source-id" in merged:
        merged["id"] = merged.pop("source-id")
    if "source-type" in merged:
        merged["type"] = merged.pop("source-type")
    if "citation-key" in merged and merged["citation-key"] in (merged.get("id"), item.get("id")):
        merged.pop("citation-key")
    for alias, name in csljson.ALIASES.items():
        if alias in merged and name not in merged:
            merged[name] = merged.pop(alias)
    for key in [k for k in merged if k.endswith("-value")]:  # a wrong shape, kept in custom
        merged[key.removesuffix("-value")] = merged.pop(key)
    for key, value in merged.items():
        if key.endswith("-others"):
            continue
        value = _value(key, value)
        if value not in (None, "", [], {}):
            out[key] = value
    return out


def _value(key: str, value: Any) -> Any:
    if key in csljson.NAME_VARIABLES and isinstance(value, list):
        names = [
            {p: str(n[p]).strip() for p in _NAME_PARTS if str(n.get(p) or "").strip()}
            for n in value
            if isinstance(n, dict)
        ]
        return [n for n in names if n]
    if key in csljson.DATE_VARIABLES and isinstance(value, dict):
        return _date(value)
    if key == "DOI" and isinstance(value, str):
        return re.sub(r"^https?://(dx\.)?doi\.org/", "", value.strip())
    if key == "keyword" and isinstance(value, str):
        return ", ".join(k.strip() for k in value.split(",") if k.strip())
    if isinstance(value, list) and value and all(isinstance(v, str) for v in value):
        return value[0] if key in csljson.STRING_VARIABLES else value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(int(value)) if float(value).is_integer() else str(value)
    return value


_SEASONS = dict(
    zip((13, 14, 15, 16, 21, 22, 23, 24), ("Spring", "Summer", "Autumn", "Winter") * 2, strict=True)
)


def _date(value: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    parts = []
    for part in value.get("date-parts") or []:
        ints = []
        for piece in (part or [])[:3]:
            if isinstance(piece, str) and re.fullmatch(r"-?\d+", piece.strip()):
                piece = int(piece)
            if not isinstance(piece, int):
                break
            ints.append(piece)
        if ints:
            parts.append(ints)
    if not parts and isinstance(value.get("raw"), str):
        sides = value["raw"].split("/") if value["raw"].count("/") == 1 else [value["raw"]]
        parsed = [parse_iso(s) for s in sides]
        if all(p is not None and p.parts for p in parsed):
            parts = [list(p.parts[0]) for p in parsed]  # type: ignore[union-attr]
        else:
            out["literal"] = value["raw"]
    seasons = [_SEASONS[p[1]] for p in parts[:2] if len(p) > 1 and p[1] in _SEASONS]
    if seasons:
        parts = [p[:1] if len(p) > 1 and p[1] in _SEASONS else p for p in parts[:2]]
        if len(parts) == 2 and parts[0] == parts[1]:
            parts = parts[:1]
        if value.get("season") in (None, ""):
            out["season"] = "-".join(dict.fromkeys(seasons))
    if parts:
        out["date-parts"] = parts[:2]
    for key in ("season", "literal"):
        if value.get(key) not in (None, ""):
            out[key] = str(value[key])
    if value.get("circa"):
        out["circa"] = True
    return out


def _round_trip(path: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]], str]:
    log = DiagnosticLog()
    with path.open("rb") as stream:
        refs = list(csljson.read(stream, str(path), log))
    out = io.StringIO()
    csljson.write(refs, out, log, WriteOptions())
    doc = json.loads(path.read_bytes())
    items = doc if isinstance(doc, list) else [doc]
    kept = [i for i in items if isinstance(i, dict) and any(k in csljson.VARIABLES for k in i)]
    return kept, json.loads(out.getvalue()), out.getvalue()


@pytest.mark.parametrize("path", csl_files(), ids=_id)
def test_csl_json_round_trip_keeps_every_field(path: Path) -> None:
    before, after, _ = _round_trip(path)
    assert len(after) == len(before)
    for old, new in zip(before, after, strict=True):
        if "id" not in old:  # an item without an id gets one made from its position (CSL103)
            assert new["id"].startswith("item")
            new = {k: v for k, v in new.items() if k not in ("id", "citation-key")}
        assert normalise(new) == normalise(old)


@pytest.mark.parametrize("path", csl_files(), ids=_id)
def test_what_we_write_validates_against_the_schema(path: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(corpus_file("csljson/schema/csl-data.json").read_text(encoding="utf-8"))
    _, after, _ = _round_trip(path)
    jsonschema.validate(after, schema)


# -- Crossref against Crossref's own BibTeX and RIS ----------------------------------------------


def test_crossref_work_matches_crossrefs_own_bibtex_and_ris() -> None:
    work = corpus_file("csljson/crossref-commonmeta/fixtures/crossref.json")
    bib = corpus_file("csljson/crossref-commonmeta/fixtures/crossref.bib")
    ris = corpus_file("csljson/crossref-commonmeta/fixtures/crossref.ris").read_text("utf-8")
    log = DiagnosticLog()
    with work.open("rb") as stream:
        (ref,) = crossref.read(stream, str(work), log)
    entry = bibtexparser.parse_string(bib.read_text("utf-8")).entries[0]
    ours = {
        "title": plain(ref.title),
        "author": " and ".join(f"{n.given} {n.family}" for n in ref.author),
        "journal": plain(ref.container_title),
        "volume": ref.volume,
        "year": str(ref.issued.year if ref.issued else ""),
        "doi": ref.doi,
    }
    assert ours == {k: entry[k] for k in ours}
    assert (ref.issue, ref.page, entry.get("number"), entry.get("pages")) == ("", "", None, None)
    tags: dict[str, list[str]] = {}
    for line in ris.splitlines():
        if len(line) > 6 and line[2:6] == "  - ":
            tags.setdefault(line[:2], []).append(line[6:].strip())
    assert tags["T1"] == [ours["title"]]
    assert tags["T2"] == [ours["journal"]]
    assert tags["AU"] == [f"{n.family}, {n.given}" for n in ref.author]
    assert (tags["PY"], tags["VL"]) == ([ours["year"]], [ref.volume])
    assert tags["DO"][0].lower() == ref.doi.lower()
    assert "IS" not in tags and "SP" not in tags
