"""The IEEE writers: each reference rendered by citeproc-py (`render.py`, or the proven fast
path `fast.py`) with the style and abbreviations of `WriteOptions`, and framed for its target
(text, HTML, LaTeX, Markdown). The package docstring describes the four formats."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import IO, TYPE_CHECKING

from citeproc import CitationStylesStyle

from ...diagnostics import DiagnosticLog, Location
from ...model import Reference
from ...options import WriteOptions
from ...records import RecordWriter, write_records
from . import fast
from .render import (
    HTML,
    LATEX,
    LATEX_UTF8,
    MARKDOWN,
    TEXT,
    RenderError,
    Settings,
    StyleError,
    Target,
    is_numeric,
    load_style,
    md_escape,
    render_one,
    resolve_style,
    settings_for,
)

if TYPE_CHECKING:
    from .abbreviations import Abbreviations


def _abbreviations(options: WriteOptions) -> tuple[Abbreviations | None, str]:
    """The abbreviations to apply, and the problem with the user's table if any (the tables
    are imported only here: `--full-journal-names` never loads them)."""
    if options.full_journal_names:
        return None, ""
    from .abbreviations import Abbreviations, TableError, load_table

    table_path = options.abbreviations
    if not table_path:
        return Abbreviations(), ""
    try:
        return Abbreviations(load_table(table_path)), ""
    except TableError as exc:
        return Abbreviations(), f"{exc}; abbreviation table ignored"


@dataclass(frozen=True, slots=True)
class _Context:
    """What every reference of one output is rendered with (loaded once per process)."""

    style: CitationStylesStyle | None
    settings: Settings | None
    problems: tuple[tuple[str, str, str], ...]  # (code, message, where) reported once
    fast: bool = False  # the fast path (`fast.py`) may stand in for citeproc-py
    numbered: bool = True  # entries get a "[n]" label (a numeric style)


@lru_cache(maxsize=8)
def _context(
    style_name: str, full_journal_names: bool, table: str | None, use_fast: bool
) -> _Context:
    options = WriteOptions(full_journal_names=full_journal_names, abbreviations=table)
    abbreviations, table_problem = _abbreviations(options)
    problems = [("IEEE003", table_problem, str(table))] if table_problem else []
    try:
        style = load_style(str(resolve_style(style_name)))
    except StyleError as exc:
        problems.append(("IEEE004", f"{exc}; nothing rendered", style_name))
        return _Context(None, None, tuple(problems))
    settings = settings_for(style, abbreviations)
    return _Context(style, settings, tuple(problems), use_fast, is_numeric(style))


def _context_for(options: WriteOptions) -> _Context:
    return _context(
        options.style or "ieee", options.full_journal_names, options.abbreviations, fast.enabled()
    )


def _start(log: DiagnosticLog, options: WriteOptions) -> None:
    """Report, once per output, a style or abbreviation table that could not be loaded."""
    for code, message, where in _context_for(options).problems:
        log.report(code, message, Location(where))


#: What a renderer gives the entry functions: the entry without its label, and whether the
#: style numbers its entries.
Entry = tuple[str, bool]


def _renderer(target: Target) -> Callable[[Reference, DiagnosticLog, WriteOptions], Entry | None]:
    def render(ref: Reference, log: DiagnosticLog, options: WriteOptions) -> Entry | None:
        """The entry without its label, or None when it could not be rendered (reported)."""
        context = _context_for(options)
        if context.style is None or context.settings is None:
            return None
        prov = ref.provenance
        where = Location(prov.source if prov else "", prov.line if prov else None, ref.id)
        stand_in = fast.renderer(context.style, target).render if context.fast else None
        try:
            body, caught = render_one(ref, target, context.style, context.settings, stand_in)
        except RenderError as exc:
            log.report("IEEE001", f"citeproc-py failed ({exc}); reference left out", where)
            return None
        for message in caught:
            log.report("IEEE002", f"citeproc-py: {message}", where)
        return body, context.numbered

    return render


def _text_entry(entry: Entry, key: str, number: int) -> str:
    body, numbered = entry
    return f"[{number}] {body}\n" if numbered else f"{body}\n"


def _html_entry(entry: Entry, key: str, number: int) -> str:
    body, numbered = entry
    if not numbered:
        return f'  <div class="csl-entry">{body}</div>\n'
    return (
        f'  <div class="csl-entry"><div class="csl-left-margin">[{number}]</div>'
        f'<div class="csl-right-inline">{body}</div></div>\n'
    )


def _latex_entry(entry: Entry, key: str, number: int) -> str:
    return f"\\bibitem{{{key}}}\n{entry[0]}\n"


def _latex_begin(count: int) -> str:
    widest = "9" * len(str(count)) if count else "1"
    return f"\\begin{{thebibliography}}{{{widest}}}\n"


def _markdown_entry(entry: Entry, key: str, number: int) -> str:
    body, numbered = entry
    return md_escape(f"[{number}]") + f" {body}\n" if numbered else f"{body}\n"


TEXT_RECORDS = RecordWriter(_renderer(TEXT), _text_entry, start=_start)
HTML_RECORDS = RecordWriter(
    _renderer(HTML),
    _html_entry,
    before='<div class="csl-bib-body">\n',
    after="</div>\n",
    start=_start,
)
#: Keys match the BibTeX writer's for the same input: a reference left out still takes its
#: key, so the others keep theirs. thebibliography's width needs the count: entries are held.
_render_latex_ascii, _render_latex_utf8 = _renderer(LATEX), _renderer(LATEX_UTF8)


def _render_latex(ref: Reference, log: DiagnosticLog, options: WriteOptions) -> Entry | None:
    render = _render_latex_utf8 if options.unicode else _render_latex_ascii
    return render(ref, log, options)


LATEX_RECORDS = RecordWriter(
    _render_latex,
    _latex_entry,
    before=_latex_begin,
    after="\\end{thebibliography}\n",
    keyed=True,
    hold=True,
    start=_start,
)
MARKDOWN_RECORDS = RecordWriter(_renderer(MARKDOWN), _markdown_entry, separator="\n", start=_start)


def write_text(
    refs: Iterable[Reference], out: IO[str], log: DiagnosticLog, options: WriteOptions
) -> int:
    """Write numbered IEEE references as plain text, one per line."""
    return write_records(TEXT_RECORDS, refs, out, log, options)


def write_html(
    refs: Iterable[Reference], out: IO[str], log: DiagnosticLog, options: WriteOptions
) -> int:
    """Write numbered IEEE references as an HTML fragment (citeproc-js's markup)."""
    return write_records(HTML_RECORDS, refs, out, log, options)


def write_latex(
    refs: Iterable[Reference], out: IO[str], log: DiagnosticLog, options: WriteOptions
) -> int:
    """Write a LaTeX `thebibliography` environment, one `\\bibitem{key}` per reference."""
    return write_records(LATEX_RECORDS, refs, out, log, options)


def write_markdown(
    refs: Iterable[Reference], out: IO[str], log: DiagnosticLog, options: WriteOptions
) -> int:
    """Write numbered IEEE references as Markdown paragraphs (`\\[1\\] entry`)."""
    return write_records(MARKDOWN_RECORDS, refs, out, log, options)
