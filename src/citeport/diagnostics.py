"""Diagnostics: what a conversion noticed, where, and how bad it was.

Readers and writers never raise on bad input and never print. They report a `Diagnostic` with a
stable code, a severity and a `Location` to a `DiagnosticLog`, and carry on with the next record.
The CLI prints the log compiler-style (`refs.jsonl:3: warning[AGG001] ...`); the Python API
returns it. Every code is listed in `CODES` with what it means (and in docs/diagnostics.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import IntEnum, StrEnum
from typing import Any, NamedTuple

import orjson


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


class Action(StrEnum):
    """What happened to the data a diagnostic is about (the loss accounting of `--report json`).

    SKIPPED: a whole record left out (by a reader, or by a writer that cannot render it).
    DROPPED: a field, or a part of a value (a date part, a name property, markup), is lost.
    CHANGED: a value kept, but altered on a guess or to fit the target (a type read as
    another, a date kept as text, a value moved to `extra`/`custom`, converted to text).
    REPAIRED: a fault fixed with the meaning kept (an encoding decoded, a tag closed, an id
    made). IGNORED: input that is not a record (stray text, headers, an empty input).
    FAILED: an input that cannot be read, or a writer that can render nothing.
    """

    SKIPPED = "skipped"
    DROPPED = "dropped"
    CHANGED = "changed"
    REPAIRED = "repaired"
    IGNORED = "ignored"
    FAILED = "failed"


class Code(NamedTuple):
    """One diagnostic code: its severity, what happens to the data, and what it means."""

    severity: Severity
    action: Action
    meaning: str


#: Every diagnostic code. Codes are stable; never reuse one. A code has one action: where a
#: code covers outcomes of different weight (CSL105 converts or drops), its action is the one
#: it reports most, and the message says which.
CODES: dict[str, Code] = {
    # Input and detection
    "IO001": Code(
        Severity.ERROR,
        Action.FAILED,
        "input cannot be read (missing, a directory, or no permission)",
    ),
    "IO002": Code(Severity.ERROR, Action.FAILED, "input format cannot be detected; use --from"),
    "IO003": Code(Severity.WARNING, Action.IGNORED, "input is empty: no records"),
    # Aggregator JSON lines reader
    "AGG001": Code(
        Severity.WARNING,
        Action.SKIPPED,
        "line is not a JSON object (stray text, truncated JSON, array)",
    ),
    "AGG002": Code(Severity.WARNING, Action.SKIPPED, "record has no title"),
    "AGG003": Code(Severity.WARNING, Action.CHANGED, "unknown publication type"),
    "AGG004": Code(
        Severity.WARNING, Action.CHANGED, "field has an unexpected shape; kept in extra"
    ),
    "AGG005": Code(Severity.WARNING, Action.CHANGED, "unparsable date; kept as a literal"),
    "AGG006": Code(Severity.WARNING, Action.REPAIRED, "line is not valid UTF-8"),
    "AGG007": Code(
        Severity.INFO, Action.REPAIRED, 'leading "Abstract" heading removed from the abstract'
    ),
    # Markup
    "MRK001": Code(Severity.INFO, Action.REPAIRED, "mismatched closing tag repaired"),
    "MRK002": Code(Severity.INFO, Action.DROPPED, "unknown markup tag dropped, its text kept"),
    "MRK003": Code(Severity.WARNING, Action.REPAIRED, "TeX command backslashes restored in math"),
    "MRK004": Code(Severity.INFO, Action.REPAIRED, "unclosed tag closed at end of text"),
    "MRK005": Code(
        Severity.WARNING, Action.CHANGED, "MathML not converted to TeX; its alttext or text kept"
    ),
    # Writers
    "BIB001": Code(
        Severity.WARNING, Action.REPAIRED, "character has no LaTeX spelling; kept as UTF-8"
    ),
    "BIB002": Code(Severity.INFO, Action.DROPPED, "field not expressible in BibTeX; dropped"),
    "BIB004": Code(
        Severity.INFO,
        Action.DROPPED,
        "fields kept from another format have no BibTeX field; dropped",
    ),
    "BIB005": Code(
        Severity.WARNING,
        Action.CHANGED,
        "math or raw TeX that could break the document or run commands; as text",
    ),
    "BIB003": Code(
        Severity.INFO,
        Action.CHANGED,
        "value has no BibTeX form of its own; written in the nearest (type as @misc, "
        "dropping particle with the family name)",
    ),
    "BIB006": Code(
        Severity.WARNING,
        Action.DROPPED,
        "field holds TeX code biblatex runs (execute); not written",
    ),
    "BIB007": Code(
        Severity.WARNING,
        Action.DROPPED,
        "field kept from the input not written: the model's value takes its name (or the date)",
    ),
    # BibTeX / BibLaTeX reader
    "BIB101": Code(
        Severity.ERROR, Action.SKIPPED, "entry cannot be parsed (syntax error); skipped"
    ),
    "BIB102": Code(
        Severity.ERROR,
        Action.SKIPPED,
        "duplicate citation key; the first entry is kept, this one skipped",
    ),
    "BIB103": Code(
        Severity.WARNING, Action.DROPPED, "field given twice in an entry; the first value is kept"
    ),
    "BIB104": Code(
        Severity.WARNING, Action.CHANGED, "@string macro not defined; its name is kept as the value"
    ),
    "BIB105": Code(
        Severity.WARNING, Action.REPAIRED, "input is not UTF-8 (nor UTF-16); read as Windows-1252"
    ),
    "BIB106": Code(
        Severity.WARNING, Action.DROPPED, "crossref/xdata parent not found; entry read without it"
    ),
    "BIB107": Code(
        Severity.INFO, Action.CHANGED, "unknown entry type; read as a document, type kept in extra"
    ),
    "BIB108": Code(
        Severity.WARNING, Action.CHANGED, "date or month cannot be parsed; kept as text or dropped"
    ),
    "BIB109": Code(
        Severity.INFO, Action.DROPPED, "@preamble not kept (it has no place in the model)"
    ),
    "BIB110": Code(
        Severity.WARNING,
        Action.REPAIRED,
        "control characters (NUL and other C0 codes) removed from input",
    ),
    "BIB111": Code(
        Severity.WARNING, Action.IGNORED, "no BibTeX entry in the input (only text or binary data)"
    ),
    "BIB112": Code(
        Severity.WARNING,
        Action.CHANGED,
        "field is only LaTeX commands with no text (a journal macro); kept as written in extra",
    ),
    "BIB113": Code(
        Severity.WARNING,
        Action.CHANGED,
        "LaTeX command unknown (no text for it); kept in the value as written, as raw TeX",
    ),
    "RIS001": Code(Severity.INFO, Action.DROPPED, "field not expressible in RIS; dropped"),
    "RIS009": Code(
        Severity.INFO, Action.DROPPED, "field the RIS profile's target reads no tag for; dropped"
    ),
    "RIS010": Code(
        Severity.WARNING, Action.SKIPPED, "reference holds nothing RIS can write; left out"
    ),
    "RIS011": Code(
        Severity.INFO, Action.DROPPED, "field kept from another format has no RIS tag; dropped"
    ),
    # RIS and MEDLINE readers
    "RIS002": Code(
        Severity.WARNING,
        Action.REPAIRED,
        "record has no ER; it ends at the next TY or the end of input",
    ),
    "RIS003": Code(
        Severity.WARNING, Action.CHANGED, "record has no TY; read as a generic document"
    ),
    "RIS004": Code(
        Severity.WARNING, Action.CHANGED, "unknown RIS type; read as a generic document"
    ),
    "RIS005": Code(
        Severity.INFO, Action.IGNORED, "text outside a record (header, numbering, stray ER) ignored"
    ),
    "RIS006": Code(
        Severity.WARNING, Action.REPAIRED, "line is not valid UTF-8; read as Windows-1252"
    ),
    "RIS007": Code(Severity.WARNING, Action.CHANGED, "date has no year; kept as a literal"),
    "RIS008": Code(Severity.ERROR, Action.SKIPPED, "record holds no data (only TY/ER); skipped"),
    "RIS012": Code(Severity.WARNING, Action.REPAIRED, "input is UTF-16, not UTF-8; decoded"),
    "MED001": Code(Severity.INFO, Action.IGNORED, "text outside a record ignored"),
    "MED002": Code(
        Severity.WARNING, Action.REPAIRED, "line is not valid UTF-8; read as Windows-1252"
    ),
    "MED003": Code(Severity.WARNING, Action.CHANGED, "date has no year; kept as a literal"),
    "MED004": Code(Severity.WARNING, Action.REPAIRED, "record has no PMID; its id is its line"),
    "MED005": Code(Severity.ERROR, Action.SKIPPED, "record holds no data; skipped"),
    "MED006": Code(Severity.WARNING, Action.REPAIRED, "input is UTF-16, not UTF-8; decoded"),
    "MED007": Code(
        Severity.WARNING,
        Action.CHANGED,
        "date only partly understood; what is read kept, DP in extra",
    ),
    "CSL001": Code(
        Severity.INFO, Action.CHANGED, "field not expressible in CSL-JSON; kept in custom"
    ),
    # CSL-JSON reader
    "CSL101": Code(
        Severity.ERROR, Action.SKIPPED, "item is not valid JSON (truncated, broken); skipped"
    ),
    "CSL102": Code(
        Severity.ERROR,
        Action.SKIPPED,
        "item is not a JSON object (a number, string, stray text); skipped",
    ),
    "CSL103": Code(
        Severity.WARNING, Action.REPAIRED, "item has no usable id; one made from its position"
    ),
    "CSL104": Code(
        Severity.WARNING, Action.CHANGED, "type is not a CSL item type (a Crossref type is mapped)"
    ),
    "CSL105": Code(
        Severity.WARNING,
        Action.CHANGED,
        "value has the wrong type; converted, kept in custom or dropped",
    ),
    "CSL106": Code(Severity.INFO, Action.CHANGED, "variable is not in CSL 1.0.2; kept in custom"),
    "CSL107": Code(
        Severity.WARNING,
        Action.CHANGED,
        "date repaired (empty, excess or unparsable parts or raw string)",
    ),
    "CSL108": Code(
        Severity.INFO, Action.DROPPED, "name or date property with no place in the model dropped"
    ),
    "CSL109": Code(
        Severity.WARNING,
        Action.CHANGED,
        "month or day out of range: dropped from date, kept in custom",
    ),
    "CSL110": Code(
        Severity.INFO,
        Action.REPAIRED,
        "DOI given as a link or with a doi: prefix; the bare DOI kept",
    ),
    "CSL111": Code(Severity.WARNING, Action.REPAIRED, "input is UTF-16, not UTF-8; decoded"),
    "CSL112": Code(Severity.WARNING, Action.CHANGED, "item id used by an earlier item; both kept"),
    # Crossref works JSON reader
    "XREF001": Code(Severity.ERROR, Action.SKIPPED, "input (or a line) is not JSON; skipped"),
    "XREF002": Code(Severity.ERROR, Action.SKIPPED, "not a Crossref work or response; skipped"),
    "XREF003": Code(Severity.WARNING, Action.CHANGED, "unknown Crossref type; read as document"),
    "XREF004": Code(
        Severity.WARNING, Action.CHANGED, "field has an unexpected shape; kept in extra or dropped"
    ),
    "XREF005": Code(
        Severity.INFO,
        Action.DROPPED,
        "Crossref bookkeeping field (index dates, counts, reference list) dropped",
    ),
    "XREF006": Code(
        Severity.WARNING, Action.CHANGED, "MathML not convertible to TeX; its alttext or text kept"
    ),
    "XREF007": Code(
        Severity.WARNING,
        Action.CHANGED,
        "month or day out of range: dropped from date, kept in extra",
    ),
    "XREF008": Code(
        Severity.INFO,
        Action.REPAIRED,
        "DOI given as a link or with a doi: prefix; the bare DOI kept",
    ),
    "XREF009": Code(Severity.WARNING, Action.REPAIRED, "input is UTF-16, not UTF-8; decoded"),
    "IEEE001": Code(
        Severity.ERROR,
        Action.SKIPPED,
        "reference could not be rendered; left out of the bibliography",
    ),
    "IEEE002": Code(Severity.WARNING, Action.CHANGED, "citeproc-py warned while rendering"),
    "IEEE003": Code(Severity.WARNING, Action.FAILED, "abbreviation table cannot be read; ignored"),
    "IEEE004": Code(
        Severity.ERROR, Action.FAILED, "CSL style cannot be found or loaded; nothing rendered"
    ),
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
        return cls(code, CODES[code].severity, message, location)

    @property
    def action(self) -> Action:
        """What happened to the data (the code's action; `changed` for a code not in CODES)."""
        known = CODES.get(self.code)
        return known.action if known is not None else Action.CHANGED

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: the diagnostic with its action and location."""
        loc = self.location
        return {
            "code": self.code,
            "severity": str(self.severity),
            "action": str(self.action),
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

    `sink_threshold` is the lowest severity the sink wants: a diagnostic below it is counted
    (in `counts`, `by_code`, `by_action`) but neither made nor handed to the sink. The CLI sets
    it when it neither prints notes nor writes a `--report json` ledger, so a run that drops ten
    fields a record does not build ten objects a record that nobody looks at. Without a sink it
    is ignored: the log keeps every diagnostic.

    A writer that drops several fields of one record reports them with `report_fields` (one
    diagnostic per field, as `report` would make them, counted in one step).
    """

    __slots__ = ("_items", "_sink", "_threshold", "by_code", "counts", "skipped")

    def __init__(
        self,
        sink: Callable[[Diagnostic], None] | None = None,
        *,
        sink_threshold: Severity | None = None,
    ) -> None:
        self._items: list[Diagnostic] = []
        self._sink = sink
        self._threshold = sink_threshold if sink is not None else None
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
        diag = Diagnostic(code, severity or CODES[code].severity, message, location)
        self.count(code, diag.severity)
        if self._sink is None:
            self._items.append(diag)
        elif self._threshold is None or diag.severity >= self._threshold:
            self._sink(diag)
        return diag

    def report_fields(
        self,
        code: str,
        where: Location,
        fields: Sequence[tuple[str, str]],
        severity: Severity | None = None,
    ) -> None:
        """Record one diagnostic per `(field, message)` about the record at `where`, in order.

        The same diagnostics as a `report(code, message, Location(..., field))` for each pair
        (`where` gives the source, line and record), counted in one step, and made only when
        the log keeps them or its sink wants their severity.
        """
        if not fields:
            return
        level = severity or CODES[code].severity
        self.count(code, level, len(fields))
        sink = self._sink
        if sink is not None and self._threshold is not None and level < self._threshold:
            return
        source, line, record = where.source, where.line, where.record
        made = [
            Diagnostic(code, level, message, Location(source, line, record, field))
            for field, message in fields
        ]
        if sink is None:
            self._items.extend(made)
        else:
            for diag in made:
                sink(diag)

    def count(self, code: str, severity: Severity, number: int = 1) -> None:
        """Count `number` diagnostics of `code` at `severity` without making them."""
        self.counts[severity] += number
        self.by_code[code] = self.by_code.get(code, 0) + number

    @property
    def counted_below(self) -> Severity | None:
        """The severity below which diagnostics are only counted, never made (`sink_threshold`
        when there is a sink; None when every diagnostic is made)."""
        return self._threshold

    def add_counts(self, counts: Mapping[Severity, int], by_code: Mapping[str, int]) -> None:
        """Count diagnostics that were counted elsewhere and never made: a worker's, below
        `counted_below` (`counts` by severity and `by_code` are the same diagnostics)."""
        for severity, number in counts.items():
            self.counts[severity] += number
        for code, number in by_code.items():
            self.by_code[code] = self.by_code.get(code, 0) + number

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

    @property
    def by_action(self) -> dict[Action, int]:
        """How many diagnostics reported each action (every action, zeros included)."""
        counts = dict.fromkeys(Action, 0)
        for code, count in self.by_code.items():
            known = CODES.get(code)
            counts[known.action if known is not None else Action.CHANGED] += count
        return counts


class Ledger:
    """The loss accounting of `--report json`: one JSON line per record with something to report.

    Fed each diagnostic as it happens (a `DiagnosticLog` sink), it writes, through `write`, one
    line per record that has diagnostics::

        {"source": "refs.bib", "line": 3, "record": "key", "status": "converted",
         "fields": [{"field": "month", "action": "changed", "code": "BIB108",
                     "severity": "warning", "message": "..."}]}

    `status` is "skipped" when a reader or a writer left the record out, else "converted".
    Diagnostics not tied to a record (stray text, an encoding repair, an unreadable input, a
    record too broken to have an id) get lines of their own with `"record": null` and status
    "skipped" (a record without an id was left out) or "input". `close` ends the report with
    a `{"summary": {...}}` line: records read, written and skipped, and counts per action and
    per severity.

    Memory stays flat: only the current record's diagnostics are held. A conversion reports a
    record's diagnostics one after the other (the reader's, then the writer's; `-j` replays
    them in the same order), so grouping consecutive diagnostics of one (source, line, record)
    gives one line per record. A writer's diagnostic for a reference that has no provenance
    (source "", no line) joins the record of the same id before it. A record whose diagnostics
    are not consecutive (a BibTeX crossref child read after its parent) gets more than one line.
    """

    __slots__ = ("_fields", "_head", "_write")

    def __init__(self, write: Callable[[str], object]) -> None:
        self._write = write
        self._head: Location | None = None
        self._fields: list[Diagnostic] = []

    def add(self, diag: Diagnostic) -> None:
        """Take one diagnostic: it joins the current record's line or starts the next."""
        loc = diag.location
        head = self._head
        if head is not None and self._same_record(head, loc):
            self._fields.append(diag)
            return
        self.flush()
        self._head = loc
        self._fields = [diag]

    @staticmethod
    def _same_record(head: Location, loc: Location) -> bool:
        if loc.record is None or loc.record != head.record:
            return (
                head.record is None
                and loc.record is None
                and ((loc.source, loc.line) == (head.source, head.line))
            )
        return (loc.source, loc.line) == (head.source, head.line) or (
            not loc.source and loc.line is None
        )

    def flush(self) -> None:
        """Write the current record's line, if there is one."""
        head = self._head
        if head is None:
            return
        skipped = any(d.action is Action.SKIPPED for d in self._fields)
        status = "skipped" if skipped else "converted" if head.record is not None else "input"
        self._write(
            _json(
                {
                    "source": head.source,
                    "line": head.line,
                    "record": head.record,
                    "status": status,
                    "fields": [
                        {
                            "field": d.location.field,
                            "action": str(d.action),
                            "code": d.code,
                            "severity": str(d.severity),
                            "message": d.message,
                        }
                        for d in self._fields
                    ],
                }
            )
        )
        self._head = None
        self._fields = []

    def close(self, log: DiagnosticLog, read: int, written: int) -> None:
        """Write the last record's line and the summary line."""
        self.flush()
        self._write(_json({"summary": summary(log, read, written)}))


def summary(log: DiagnosticLog, read: int, written: int) -> dict[str, Any]:
    """What a conversion did, in numbers: records, diagnostics per action and per severity."""
    return {
        "records": {"read": read, "written": written, "skipped": log.skipped},
        "actions": {str(action): count for action, count in log.by_action.items()},
        "severities": {str(severity): log.counts[severity] for severity in reversed(Severity)},
    }


def _json(value: dict[str, Any]) -> str:
    return orjson.dumps(value).decode()
