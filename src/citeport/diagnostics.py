"""Diagnostics: what a conversion noticed, where, and how bad it was.

Readers and writers never raise on bad input and never print. They report a `Diagnostic` with a
stable code, a severity and a `Location` to a `DiagnosticLog`, and carry on with the next record.
The CLI prints the log compiler-style (`refs.jsonl:3: warning[AGG001] ...`); the Python API
returns it. Every code is listed in `CODES` with what it means (and in docs/diagnostics.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import IntEnum
from typing import Any


class Severity(IntEnum):
    """How bad a diagnostic is.

    ERROR: something the input clearly holds could not be converted (a broken entry of a
    format with explicit record syntax, a reference a writer could not render) or an input
    could not be read at all. WARNING: input that is not a record (a stray line), or data
    dropped or changed on a guess. INFO: a repair that keeps the meaning.
    """

    INFO = 10
    WARNING = 20
    ERROR = 30

    def __str__(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, slots=True)
class Location:
    """Where a diagnostic points: source name, 1-based line, record id, field."""

    source: str = ""
    line: int | None = None
    record: str | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = self.source or "<input>"
        return f"{where}:{self.line}" if self.line is not None else where


#: Every diagnostic code: (severity, what it means). Codes are stable; never reuse one.
CODES: dict[str, tuple[Severity, str]] = {
    # Input and detection
    "IO001": (Severity.ERROR, "input cannot be read (missing, a directory, or no permission)"),
    "IO002": (Severity.ERROR, "input format cannot be detected; use --from"),
    "IO003": (Severity.WARNING, "input is empty: no records"),
    # Aggregator JSON lines reader
    "AGG001": (Severity.WARNING, "line is not a JSON object (stray text, truncated JSON, array)"),
    "AGG002": (Severity.WARNING, "record has no title"),
    "AGG003": (Severity.WARNING, "unknown publication type"),
    "AGG004": (Severity.WARNING, "field has an unexpected shape; kept in extra"),
    "AGG005": (Severity.WARNING, "unparsable date; kept as a literal"),
    "AGG006": (Severity.WARNING, "line is not valid UTF-8"),
    "AGG007": (Severity.INFO, 'leading "Abstract" heading removed from the abstract'),
    # Markup
    "MRK001": (Severity.INFO, "mismatched closing tag repaired"),
    "MRK002": (Severity.INFO, "unknown markup tag dropped, its text kept"),
    "MRK003": (Severity.WARNING, "TeX command backslashes restored in math"),
    "MRK004": (Severity.INFO, "unclosed tag closed at end of text"),
    "MRK005": (Severity.WARNING, "MathML not converted to TeX; its alttext or text kept"),
    # Writers
    "BIB001": (Severity.WARNING, "character has no LaTeX spelling; kept as UTF-8"),
    "BIB002": (Severity.INFO, "field not expressible in BibTeX; dropped"),
    "BIB004": (Severity.INFO, "fields kept from another format have no BibTeX field; dropped"),
    "BIB005": (Severity.WARNING, "math that could break the document or run commands; as text"),
    "BIB003": (
        Severity.INFO,
        "value has no BibTeX form of its own; written in the nearest (type as @misc, "
        "dropping particle with the family name)",
    ),
    "BIB006": (Severity.WARNING, "field holds TeX code biblatex runs (execute); not written"),
    "BIB007": (
        Severity.WARNING,
        "field kept from the input not written: the model's value takes its name (or the date)",
    ),
    # BibTeX / BibLaTeX reader
    "BIB101": (Severity.ERROR, "entry cannot be parsed (syntax error); skipped"),
    "BIB102": (Severity.ERROR, "duplicate citation key; the first entry is kept, this one skipped"),
    "BIB103": (Severity.WARNING, "field given twice in an entry; the first value is kept"),
    "BIB104": (Severity.WARNING, "@string macro not defined; its name is kept as the value"),
    "BIB105": (Severity.WARNING, "input is not UTF-8 (nor UTF-16); read as Windows-1252"),
    "BIB106": (Severity.WARNING, "crossref/xdata parent not found; entry read without it"),
    "BIB107": (Severity.INFO, "unknown entry type; read as a document, type kept in extra"),
    "BIB108": (Severity.WARNING, "date or month cannot be parsed; kept as text or dropped"),
    "BIB109": (Severity.INFO, "@preamble not kept (it has no place in the model)"),
    "BIB110": (Severity.WARNING, "control characters (NUL and other C0 codes) removed from input"),
    "BIB111": (Severity.WARNING, "no BibTeX entry in the input (only text or binary data)"),
    "RIS001": (Severity.INFO, "field not expressible in RIS; dropped"),
    "RIS009": (Severity.INFO, "field the RIS profile's target reads no tag for; dropped"),
    "RIS010": (Severity.WARNING, "reference holds nothing RIS can write; left out"),
    "RIS011": (Severity.INFO, "fields kept from another format have no RIS tag; dropped"),
    # RIS and MEDLINE readers
    "RIS002": (Severity.WARNING, "record has no ER; it ends at the next TY or the end of input"),
    "RIS003": (Severity.WARNING, "record has no TY; read as a generic document"),
    "RIS004": (Severity.WARNING, "unknown RIS type; read as a generic document"),
    "RIS005": (Severity.INFO, "text outside a record (header, numbering, stray ER) ignored"),
    "RIS006": (Severity.WARNING, "line is not valid UTF-8; read as Windows-1252"),
    "RIS007": (Severity.WARNING, "date has no year; kept as a literal"),
    "RIS008": (Severity.ERROR, "record holds no data (only TY/ER); skipped"),
    "RIS012": (Severity.WARNING, "input is UTF-16, not UTF-8; decoded"),
    "MED001": (Severity.INFO, "text outside a record ignored"),
    "MED002": (Severity.WARNING, "line is not valid UTF-8; read as Windows-1252"),
    "MED003": (Severity.WARNING, "date has no year; kept as a literal"),
    "MED004": (Severity.WARNING, "record has no PMID; its id is its line"),
    "MED005": (Severity.ERROR, "record holds no data; skipped"),
    "MED006": (Severity.WARNING, "input is UTF-16, not UTF-8; decoded"),
    "MED007": (Severity.WARNING, "date only partly understood; what is read kept, DP in extra"),
    "CSL001": (Severity.INFO, "field not expressible in CSL-JSON; kept in custom"),
    # CSL-JSON reader
    "CSL101": (Severity.ERROR, "item is not valid JSON (truncated, broken); skipped"),
    "CSL102": (Severity.ERROR, "item is not a JSON object (a number, string, stray text); skipped"),
    "CSL103": (Severity.WARNING, "item has no usable id; one made from its position"),
    "CSL104": (Severity.WARNING, "type is not a CSL item type (a Crossref type is mapped)"),
    "CSL105": (Severity.WARNING, "value has the wrong type; converted, kept in custom or dropped"),
    "CSL106": (Severity.INFO, "variable is not in CSL 1.0.2; kept in custom"),
    "CSL107": (Severity.WARNING, "date repaired (empty, excess or unparsable parts or raw string)"),
    "CSL108": (Severity.INFO, "name or date property with no place in the model dropped"),
    "CSL109": (Severity.WARNING, "month or day out of range: dropped from date, kept in custom"),
    "CSL110": (Severity.INFO, "DOI given as a link or with a doi: prefix; the bare DOI kept"),
    "CSL111": (Severity.WARNING, "input is UTF-16, not UTF-8; decoded"),
    "CSL112": (Severity.WARNING, "item id used by an earlier item; both kept"),
    # Crossref works JSON reader
    "XREF001": (Severity.ERROR, "input (or a line) is not JSON; skipped"),
    "XREF002": (Severity.ERROR, "not a Crossref work or response; skipped"),
    "XREF003": (Severity.WARNING, "unknown Crossref type; read as document"),
    "XREF004": (Severity.WARNING, "field has an unexpected shape; kept in extra or dropped"),
    "XREF005": (
        Severity.INFO,
        "Crossref bookkeeping fields (index dates, counts, reference list) dropped",
    ),
    "XREF006": (Severity.WARNING, "MathML not convertible to TeX; its alttext or text kept"),
    "XREF007": (Severity.WARNING, "month or day out of range: dropped from date, kept in extra"),
    "XREF008": (Severity.INFO, "DOI given as a link or with a doi: prefix; the bare DOI kept"),
    "XREF009": (Severity.WARNING, "input is UTF-16, not UTF-8; decoded"),
    "IEEE001": (Severity.ERROR, "reference could not be rendered; left out of the bibliography"),
    "IEEE002": (Severity.WARNING, "citeproc-py warned while rendering"),
    "IEEE003": (Severity.WARNING, "abbreviation table cannot be read; ignored"),
    "IEEE004": (Severity.ERROR, "CSL style cannot be found or loaded; nothing rendered"),
}


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One thing a conversion noticed."""

    code: str
    severity: Severity
    message: str
    location: Location

    def __str__(self) -> str:
        return f"{self.location}: {self.severity}[{self.code}] {self.message}"

    @classmethod
    def make(cls, code: str, message: str, location: Location) -> Diagnostic:
        """A diagnostic with its code's own severity."""
        return cls(code, CODES[code][0], message, location)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (for `--report json`)."""
        loc = self.location
        return {
            "code": self.code,
            "severity": str(self.severity),
            "message": self.message,
            "source": loc.source,
            "line": loc.line,
            "record": loc.record,
            "field": loc.field,
        }


class DiagnosticLog:
    """Collects diagnostics and the record counts of one conversion.

    Readers call `report` for each problem and `skip` when a record is left out; the log keeps
    the counts the CLI summary and exit code are made from. With a `sink`, each diagnostic is
    handed to it as it happens and not kept, so a long run's memory stays flat (the CLI prints
    through a sink); without one, the log keeps them for the caller (the Python API).
    """

    __slots__ = ("_items", "_sink", "by_code", "counts", "skipped")

    def __init__(self, sink: Callable[[Diagnostic], None] | None = None) -> None:
        self._items: list[Diagnostic] = []
        self._sink = sink
        self.skipped = 0
        self.counts: dict[Severity, int] = dict.fromkeys(Severity, 0)
        self.by_code: dict[str, int] = {}

    def report(
        self,
        code: str,
        message: str,
        location: Location,
        severity: Severity | None = None,
    ) -> Diagnostic:
        """Record a diagnostic; its severity defaults to the code's own."""
        diag = Diagnostic(code, severity or CODES[code][0], message, location)
        if self._sink is None:
            self._items.append(diag)
        else:
            self._sink(diag)
        self.counts[diag.severity] += 1
        self.by_code[code] = self.by_code.get(code, 0) + 1
        return diag

    def add(self, diag: Diagnostic, skipped: bool = False) -> None:
        """Record a diagnostic made elsewhere (a worker process, an input check)."""
        if skipped:
            self.skip(diag.code, diag.message, diag.location)
        else:
            self.report(diag.code, diag.message, diag.location, diag.severity)

    def skip(self, code: str, message: str, location: Location) -> Diagnostic:
        """Record that a whole record (or input line) was left out, and why."""
        self.skipped += 1
        return self.report(code, message, location)

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    @property
    def errors(self) -> int:
        return self.counts[Severity.ERROR]

    @property
    def warnings(self) -> int:
        return self.counts[Severity.WARNING]
