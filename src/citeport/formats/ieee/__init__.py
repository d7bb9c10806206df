"""IEEE references (writers): `ieee` (text), `ieee-html`, `ieee-latex` and `ieee-md`.

Rendered by citeproc-py with the project's own `styles/ieee.csl`, written from the IEEE
Reference Guide, or with another CSL style (`--style PATH` or the name of a bundled style);
`render.py` holds the wrapper that fixes citeproc-py's known gaps, `abbreviations.py` and
`periodicals.py` the journal and conference abbreviations. Entries are numbered in input order.

- `ieee`: `[1] entry`, one a line; markup flattened.
- `ieee-html`: citeproc-js's `csl-entry` divs; `& < >` escaped in every data string; `<i>`.
- `ieee-latex`: `\\bibitem{key}` entries in `thebibliography`; LaTeX specials escaped,
  accents spelled in ASCII (`{\\'e}`), or kept as UTF-8 with `unicode`; `\\textit{}`.
- `ieee-md`: `\\[1\\] entry` paragraphs; Markdown specials backslash-escaped; `*italics*`.

`\\bibitem` keys are `citeport.keys.CitationKeys`, handed out in the same order as the BibTeX
writer's, so a LaTeX document can cite the same keys with either. thebibliography's width
argument needs the number of entries, so `ieee-latex` holds the rendered entries (strings, not
references) until the end.

Options read from `WriteOptions` (with defaults until the options exist):
`full_journal_names`, `abbreviations` (path of a user table), `style` (path or bundled name),
`unicode` (LaTeX only).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import IO

from ...diagnostics import DiagnosticLog, Location
from ...keys import CitationKeys
from ...model import Reference
from ...options import WriteOptions
from ...registry import FormatInfo
from .abbreviations import Abbreviations, TableError, load_table
from .render import (
    HTML,
    LATEX,
    LATEX_UTF8,
    MARKDOWN,
    TEXT,
    RenderError,
    StyleError,
    Target,
    load_style,
    md_escape,
    render_one,
    resolve_style,
    settings_for,
)


def _abbreviations(options: WriteOptions, log: DiagnosticLog) -> Abbreviations | None:
    if options.full_journal_names:
        return None
    table_path = options.abbreviations
    if not table_path:
        return Abbreviations()
    try:
        return Abbreviations(load_table(table_path))
    except TableError as exc:
        log.report("IEEE003", f"{exc}; abbreviation table ignored", Location(str(table_path)))
        return Abbreviations()


def _entries(
    refs: Iterable[Reference], target: Target, log: DiagnosticLog, options: WriteOptions
) -> Iterator[tuple[int, Reference, str]]:
    """Render each reference; yields (number, reference, entry) for those that rendered."""
    style_name = options.style or "ieee"
    try:
        style = load_style(str(resolve_style(style_name)))
    except StyleError as exc:
        log.report("IEEE004", f"{exc}; nothing rendered", Location(str(style_name)))
        return
    settings = settings_for(style, _abbreviations(options, log))
    number = 0
    for ref in refs:
        prov = ref.provenance
        where = Location(prov.source if prov else "", prov.line if prov else None, ref.id)
        try:
            body, caught = render_one(ref, target, style, settings)
        except RenderError as exc:
            log.report("IEEE001", f"citeproc-py failed ({exc}); reference left out", where)
            yield 0, ref, ""
            continue
        for message in caught:
            log.report("IEEE002", f"citeproc-py: {message}", where)
        number += 1
        yield number, ref, body


def write_text(
    refs: Iterable[Reference], out: IO[str], log: DiagnosticLog, options: WriteOptions
) -> int:
    """Write numbered IEEE references as plain text, one per line."""
    count = 0
    for number, _, body in _entries(refs, TEXT, log, options):
        if number:
            out.write(f"[{number}] {body}\n")
            count = number
    return count


def write_html(
    refs: Iterable[Reference], out: IO[str], log: DiagnosticLog, options: WriteOptions
) -> int:
    """Write numbered IEEE references as an HTML fragment (citeproc-js's markup)."""
    count = 0
    out.write('<div class="csl-bib-body">\n')
    for number, _, body in _entries(refs, HTML, log, options):
        if number:
            out.write(
                f'  <div class="csl-entry"><div class="csl-left-margin">[{number}]</div>'
                f'<div class="csl-right-inline">{body}</div></div>\n'
            )
            count = number
    out.write("</div>\n")
    return count


def write_latex(
    refs: Iterable[Reference], out: IO[str], log: DiagnosticLog, options: WriteOptions
) -> int:
    """Write a LaTeX `thebibliography` environment, one `\\bibitem{key}` per reference.

    Keys match the BibTeX writer's for the same input (a reference left out still takes its
    key, so the others keep theirs).
    """
    target = LATEX_UTF8 if options.unicode else LATEX
    keys = CitationKeys()
    items: list[str] = []
    for number, ref, body in _entries(refs, target, log, options):
        key = keys.assign(ref)
        if number:
            items.append(f"\\bibitem{{{key}}}\n{body}\n")
    widest = "9" * len(str(len(items))) if items else "1"
    out.write(f"\\begin{{thebibliography}}{{{widest}}}\n")
    for entry in items:
        out.write(entry)
    out.write("\\end{thebibliography}\n")
    return len(items)


def write_markdown(
    refs: Iterable[Reference], out: IO[str], log: DiagnosticLog, options: WriteOptions
) -> int:
    """Write numbered IEEE references as Markdown paragraphs (`\\[1\\] entry`)."""
    count = 0
    for number, _, body in _entries(refs, MARKDOWN, log, options):
        if number:
            out.write(("\n" if count else "") + md_escape(f"[{number}]") + f" {body}\n")
            count = number
    return count


FORMATS = (
    FormatInfo("ieee", "IEEE references, plain text", writer=write_text, extensions=(".txt",)),
    FormatInfo(
        "ieee-html", "IEEE references, HTML", writer=write_html, extensions=(".html", ".htm")
    ),
    FormatInfo(
        "ieee-latex",
        "IEEE references, LaTeX thebibliography",
        writer=write_latex,
        extensions=(".tex",),
        aliases=("ieee-tex",),
    ),
    FormatInfo(
        "ieee-md",
        "IEEE references, Markdown",
        writer=write_markdown,
        extensions=(".md",),
        aliases=("ieee-markdown",),
    ),
)
