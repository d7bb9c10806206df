"""Loss accounting over ../shared/corpus (issue 7): nothing a reader or writer loses goes unsaid.

For every corpus file citeport reads (BibTeX, RIS, MEDLINE, CSL-JSON, Crossref JSON, aggregator
JSON lines), with the records and fields counted independently of our readers:

(a) records read + records reported as skipped (diagnostics whose action is `skipped`) = the
    records in the file (bibtexparser's entries and failed blocks; RIS `TY`-opened or tag-opened
    records; MEDLINE blank-line or `PMID`-separated blocks; JSON items; aggregator lines);
(b) fields in = fields kept + fields reported: every field of every record (distinct field names
    with a value: BibTeX fields, RIS and MEDLINE tags, CSL-JSON and Crossref keys, aggregator
    keys with `journal.*` taken apart) either feeds a model field that is not empty (`SOURCES`,
    the readers' mapping tables), is kept in `extra`, or is named by a diagnostic of its record
    (`Location.field`); a skipped record reports all of its fields;
(c) written as CSL-JSON (the most expressive writer), every non-empty model field and every
    field kept in `extra` is in the item (or its `custom`), or named by a writer diagnostic.

Each test prints its format's totals (run with `-s` to see them) and asserts per file. They skip
when the corpus is absent.
"""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import bibtexparser
import pytest
from bibtexparser.model import DuplicateFieldKeyBlock

from citeport import registry
from citeport.diagnostics import Action, DiagnosticLog
from citeport.formats import csljson
from citeport.formats.bibtex.reader import decode
from citeport.model import CSL_VARIABLES, Reference
from citeport.options import WriteOptions

from ..conftest import CORPUS, EXAMPLES, SEED, corpus_file
from .test_csl_corpus import corpus_json

# --- which model fields each source field feeds (the readers' mapping tables) ------------------

_BIBTEX = {
    "author": "author", "editor": "editor", "translator": "translator",
    "bookauthor": "container_author", "title": "title", "subtitle": "title",
    "titleaddon": "title", "shorttitle": "title_short", "journal": "container_title",
    "journaltitle": "container_title", "booktitle": "container_title",
    "journalsubtitle": "container_title", "booksubtitle": "container_title",
    "shortjournal": "container_title_short", "series": "collection_title", "year": "issued",
    "month": "issued", "date": "issued", "urldate": "accessed", "eventdate": "event_date",
    "eventtitle": "event_title", "venue": "event_place", "volume": "volume", "pages": "page",
    "number": "number issue", "issue": "issue", "pagetotal": "number_of_pages",
    "edition": "edition", "chapter": "chapter_number", "publisher": "publisher",
    "school": "publisher", "institution": "publisher", "organization": "publisher",
    "location": "publisher_place", "address": "publisher_place", "type": "genre",
    "howpublished": "medium url container_title", "doi": "doi", "url": "url", "isbn": "isbn",
    "issn": "issn", "pmid": "pmid", "pmcid": "pmcid", "language": "language",
    "langid": "language", "keywords": "keyword", "note": "note", "addendum": "note",
    "abstract": "abstract", "pubstate": "status",
}  # fmt: skip
_RIS = {
    "TY": "type", "ID": "id", "AU": "author", "A1": "author", "A2": "editor", "ED": "editor",
    "A3": "collection_editor", "A4": "translator", "TI": "title", "T1": "title",
    "BT": "title container_title", "T2": "container_title collection_title event_title",
    "JF": "container_title", "JO": "container_title container_title_short",
    "JA": "container_title container_title_short", "J1": "container_title container_title_short",
    "J2": "container_title container_title_short", "T3": "collection_title",
    "C3": "container_title", "ST": "title_short", "PY": "issued", "Y1": "issued", "DA": "issued",
    "Y2": "accessed", "SP": "page", "EP": "page", "VL": "volume", "IS": "issue", "M1": "number",
    "ET": "edition", "DO": "doi", "M3": "doi genre", "UR": "url doi", "L2": "url doi",
    "L3": "doi", "AB": "abstract", "N2": "abstract", "KW": "keyword", "SN": "isbn issn",
    "PB": "publisher", "CY": "publisher_place", "PP": "publisher_place", "LA": "language",
    "N1": "note",
}  # fmt: skip
_MEDLINE = {
    "PMID": "pmid", "TI": "title", "BTI": "title", "FAU": "author", "AU": "author",
    "CN": "author", "FED": "editor", "ED": "editor", "JT": "container_title",
    "TA": "container_title container_title_short", "DP": "issued", "VI": "volume",
    "IP": "issue", "PG": "page", "LID": "doi", "AID": "doi", "IS": "issn", "AB": "abstract",
    "OT": "keyword", "MH": "keyword", "PT": "type", "LA": "language", "PMC": "pmcid",
    "PB": "publisher", "PL": "publisher_place", "EN": "edition", "CTI": "collection_title",
}  # fmt: skip
_CROSSREF = {
    "type": "type", "title": "title", "subtitle": "title", "short-title": "title_short",
    "author": "author", "editor": "editor", "translator": "translator",
    "container-title": "container_title", "short-container-title": "container_title_short",
    "volume": "volume", "issue": "issue", "journal-issue": "issue", "page": "page",
    "article-number": "number", "published-print": "issued", "published-online": "issued",
    "issued": "issued", "published": "issued", "DOI": "doi", "URL": "url", "ISSN": "issn",
    "ISBN": "isbn", "publisher": "publisher", "publisher-location": "publisher_place",
    "abstract": "abstract", "language": "language", "subject": "keyword",
    "edition-number": "edition", "event": "event_title event_place event_date",
}  # fmt: skip
_AGGREGATOR = {
    "title": "title", "authors": "author", "doi": "doi", "DOIUrl": "doi", "url": "url",
    "openAccessPdf": "url", "abstract": "abstract", "journal.name": "container_title",
    "journal.volume": "volume issue", "journal.pages": "page", "publicationDate": "issued",
    "publicationTypes": "type", "paperid": "id",
}  # fmt: skip
_CSL = {**{v: f for v, f in csljson.FIELDS.items()}, "id": "id", "type": "type"}

#: Format -> (source field -> the model fields it may fill, `extra` namespace).
SOURCES: dict[str, tuple[dict[str, str], str]] = {
    "bibtex": (_BIBTEX, "bibtex"),
    "ris": (_RIS, "ris"),
    "medline": (_MEDLINE, "medline"),
    "csljson": (_CSL, "csl"),
    "crossref": (_CROSSREF, "crossref"),
    "aggregator": (_AGGREGATOR, "aggregator"),
}
#: Fields that feed the reading itself rather than a slot: a BibTeX child inherits its parent's
#: fields (a parent not found is BIB106, naming the field).
CONSUMED = {"bibtex": frozenset(("crossref", "xdata"))}


# --- independent counts -----------------------------------------------------------------------


@dataclass
class Record:
    """One record of a file as counted here: its id if known, its fields with a value."""

    key: str | None
    fields: set[str]


def _has_data(value: Any) -> bool:
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, dict):
        return any(_has_data(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_data(v) for v in value)
    return value is not None


def bibtex_records(data: bytes) -> list[Record | None]:
    """Entries (not `@xdata`) and failed blocks (None: nothing to count) by bibtexparser."""
    logger = logging.getLogger("bibtexparser.splitter")
    disabled, logger.disabled = logger.disabled, True
    try:
        library = bibtexparser.parse_string(decode(data, "", DiagnosticLog()), parse_stack=[])
    finally:
        logger.disabled = disabled
    out: list[Record | None] = []
    for block in library.blocks:
        entry = block.ignore_error_block if isinstance(block, DuplicateFieldKeyBlock) else block
        if isinstance(entry, bibtexparser.model.Entry):
            if entry.entry_type.lower() == "xdata":
                continue
            names = {f.key.lower() for f in entry.fields if re.sub(r'[{}"\s]', "", f.value)}
            out.append(Record(entry.key, names))
        elif isinstance(block, bibtexparser.model.ParsingFailedBlock):
            out.append(None)
    return out


_RIS_TAG = re.compile(r"^([A-Z][A-Z0-9])  ?-(?: (.*))?$")


def ris_records(text: str) -> list[Record]:
    """RIS records: opened by `TY` (or any tag outside a record), closed by `ER`."""
    out: list[Record] = []
    current: Record | None = None
    for line in text.replace("\ufeff", "").splitlines():
        match = _RIS_TAG.match(line)
        if match is None:
            continue
        tag, value = match.group(1), (match.group(2) or "").strip()
        if tag == "ER":
            if current is not None:
                out.append(current)
            current = None
            continue
        if tag == "TY" and current is not None:
            out.append(current)
            current = None
        if current is None:
            current = Record(None, set())
        if value:
            current.fields.add(tag)
    if current is not None:
        out.append(current)
    return out


_MED_TAG = re.compile(r"^([A-Z][A-Z0-9]{0,3}) {0,3}- ?(.*)$")


def medline_records(text: str) -> list[Record]:
    """MEDLINE records: blocks of tag lines between blank lines, a second `PMID` starts one."""
    out: list[Record] = []
    current: Record | None = None
    for line in text.replace("\ufeff", "").splitlines():
        if not line.strip():
            current = None
            continue
        match = None if line[:1].isspace() else _MED_TAG.match(line)
        if match is None:
            continue
        tag, value = match.group(1), match.group(2).strip()
        if current is None or (tag == "PMID" and "PMID" in current.fields):
            current = Record(None, set())
            out.append(current)
        if value:
            current.fields.add(tag)
    return out


def _json_fields(item: Any) -> set[str]:
    return {k for k, v in item.items() if _has_data(v)} if isinstance(item, dict) else set()


def csl_records(data: bytes) -> list[Record]:
    doc = json.loads(data)
    items = doc if isinstance(doc, list) else [doc]
    return [Record(None, _json_fields(item)) for item in items]


def crossref_records(data: bytes) -> list[Record]:
    try:
        docs = [json.loads(data)]
    except json.JSONDecodeError:  # JSON lines
        docs = [json.loads(line) for line in data.splitlines() if line.strip()]
    out: list[Record] = []
    for doc in docs:
        message = doc.get("message", doc) if isinstance(doc, dict) else doc
        works = message.get("items", [message]) if isinstance(message, dict) else [message]
        out.extend(Record(None, _json_fields(w)) for w in works)
    return out


def aggregator_records(data: bytes) -> list[Record]:
    out: list[Record] = []
    for raw in data.removeprefix(b"\xef\xbb\xbf").splitlines():
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except ValueError:
            obj = None
        fields = _json_fields(obj)
        if isinstance(obj, dict) and isinstance(obj.get("journal"), dict):
            fields.discard("journal")
            fields |= {f"journal.{k}" for k in _json_fields(obj["journal"])}
        out.append(Record(None, fields))
    return out


# --- the accounting --------------------------------------------------------------------------


@dataclass
class Totals:
    """Per format: files, records and fields counted, what was kept and what reported."""

    files: int = 0
    records: int = 0
    read: int = 0
    skipped: int = 0
    fields_in: int = 0
    kept: int = 0
    reported: int = 0
    model_in: int = 0
    written: int = 0
    written_reported: int = 0
    problems: list[str] = field(default_factory=list)

    def line(self, name: str) -> str:
        return (
            f"{name}: {self.files} files, {self.records} records = {self.read} read + "
            f"{self.skipped} skipped; fields in {self.fields_in} = kept {self.kept} + reported "
            f"{self.reported}; to CSL-JSON: model fields {self.model_in} = written {self.written}"
            f" + reported {self.written_reported}"
        )


def _read(path: Path, data: bytes) -> tuple[str, list[Reference], DiagnosticLog]:
    info = registry.detect(str(path), data[:8192])
    assert info is not None and info.reader is not None, path
    log = DiagnosticLog()
    refs = list(info.reader(io.BytesIO(data), str(path), log))
    return info.name, refs, log


def _kept(fmt: str, ref: Reference, name: str) -> bool:
    table, namespace = SOURCES[fmt]
    extra = ref.extra.get(namespace, {})
    if name in extra or f"{name}-value" in extra or f"{name}-others" in extra:
        return True
    if fmt == "csljson" and name == "custom":
        return "custom" in extra
    if fmt == "crossref" and f"{name}-details" in extra:
        return True
    return any(getattr(ref, slot) for slot in table.get(name, "").split())


def _check_written(ref: Reference, totals: Totals, where: str) -> None:
    """(c): the reference as CSL-JSON holds each of its fields, or a diagnostic says why not."""
    log = DiagnosticLog()
    out = io.StringIO()
    csljson.write([ref], out, log, WriteOptions())
    (item,) = json.loads(out.getvalue())
    custom = item.get("custom", {})
    named = {d.location.field for d in log}
    wanted = [CSL_VARIABLES[n] for n, v in _slots(ref) if v and n in CSL_VARIABLES]
    wanted += [k for fields in ref.extra.values() for k in fields if k != "custom"]
    for key in wanted:
        totals.model_in += 1
        if key in item or key in custom:
            totals.written += 1
        elif key in named:
            totals.written_reported += 1
        else:
            totals.problems.append(f"{where}: {ref.id}: {key} not written, not reported")


def _slots(ref: Reference) -> Iterator[tuple[str, Any]]:
    for name in CSL_VARIABLES:
        if name != "citation_key":
            yield name, getattr(ref, name)


def account(path: Path, counted: list[Record | None] | None, totals: Totals) -> None:
    """Check (a), (b) and (c) for one file; add its figures to `totals`."""
    data = path.read_bytes()
    fmt, refs, log = _read(path, data)
    where = str(path.relative_to(CORPUS)) if path.is_relative_to(CORPUS) else path.name
    if counted is None:
        counted = {
            "bibtex": bibtex_records,
            "csljson": csl_records,
            "crossref": crossref_records,
            "aggregator": aggregator_records,
        }[fmt](data) if fmt not in ("ris", "medline") else (
            ris_records if fmt == "ris" else medline_records
        )(data.decode("utf-8", "replace"))  # fmt: skip
    skipped = [d for d in log if d.action is Action.SKIPPED]
    totals.files += 1
    totals.records += len(counted)
    totals.read += len(refs)
    totals.skipped += len(skipped)
    if len(refs) + len(skipped) != len(counted):
        totals.problems.append(
            f"{where}: {len(refs)} read + {len(skipped)} skipped != {len(counted)} records"
        )
        return
    named: dict[str, set[str | None]] = {}
    for diag in log:
        named.setdefault(diag.location.record or "", set()).add(diag.location.field)
    skipped_ids = {d.location.record for d in skipped}
    for record, ref in _pairs(fmt, counted, refs):
        if record is None:
            continue
        totals.fields_in += len(record.fields)
        if ref is None:  # a skipped record: all of its fields are reported by the skip
            totals.reported += len(record.fields)
            continue
        said = named.get(ref.id, set())
        for name in sorted(record.fields):
            if name in CONSUMED.get(fmt, ()) or _kept(fmt, ref, name):
                totals.kept += 1
            elif name in said or ref.id in skipped_ids:
                totals.reported += 1
            else:
                totals.problems.append(f"{where}: {ref.id}: {name} lost without a diagnostic")
        _check_written(ref, totals, where)


def _pairs(
    fmt: str, counted: list[Record | None], refs: list[Reference]
) -> Iterator[tuple[Record | None, Reference | None]]:
    """Each counted record with the reference read from it (None: skipped)."""
    if fmt == "bibtex":
        by_key: dict[str, Reference] = {r.id.lower(): r for r in refs}
        seen: set[str] = set()
        for record in counted:
            key = (record.key or "").lower() if record else ""
            ref = by_key.get(key) if record is not None and key not in seen else None
            seen.add(key)
            yield record, ref
        return
    # The other readers yield in input order and leave out exactly the records `_is_skip`
    # names (the count check above holds them to that number).
    pending = iter(refs)
    for record in counted:
        if record is not None and _is_skip(fmt, record):
            yield record, None
        else:
            yield record, next(pending, None)


def _is_skip(fmt: str, record: Record) -> bool:
    """Whether the reader leaves this record out (so the counted and read lists stay aligned)."""
    if fmt in ("ris", "medline"):
        return not (record.fields - {"TY"})
    if fmt == "aggregator":
        return "title" not in record.fields
    if fmt == "csljson":
        return not (record.fields & (csljson.VARIABLES - {"custom"}))
    return not record.fields


# --- the tests, one per format -----------------------------------------------------------------


def _files(pattern: str, folder: str) -> list[Path]:
    root = corpus_file(folder)
    return sorted(root.rglob(pattern))


def _run(name: str, paths: list[Path]) -> Totals:
    totals = Totals()
    for path in paths:
        account(path, None, totals)
    print(totals.line(name))
    return totals


def test_bibtex_corpus_accounting() -> None:
    totals = _run("bibtex", _files("*.bib", "bibtex"))
    assert totals.files > 250
    assert totals.problems == []


def test_ris_corpus_accounting() -> None:
    totals = _run("ris", _files("*.ris", "ris"))
    assert totals.files > 50
    assert totals.problems == []


def test_medline_corpus_accounting() -> None:
    root = corpus_file("ris")
    paths = sorted([*root.rglob("*.nbib"), *root.glob("jabref/Medline*.txt")])
    totals = _run("medline", paths)
    assert totals.files > 5
    assert totals.problems == []


def _json_by_reader(name: str) -> list[Path]:
    corpus_file("csljson")
    return [
        p
        for p in corpus_json()
        if (info := registry.detect(str(p), p.read_bytes()[:8192])) is not None
        and info.name == name
    ]


def test_csl_json_corpus_accounting() -> None:
    totals = _run("csljson", _json_by_reader("csljson"))
    assert totals.files > 50
    assert totals.problems == []


def test_crossref_corpus_accounting() -> None:
    totals = _run("crossref", _json_by_reader("crossref"))
    assert totals.files >= 7
    assert totals.problems == []


def test_aggregator_accounting() -> None:
    if not SEED.exists():
        pytest.skip("the shared sample is not here")
    totals = _run("aggregator", [SEED, EXAMPLES / "spm-43-2.txt"])
    assert (totals.records, totals.read, totals.skipped) == (16, 14, 2)
    assert totals.problems == []
