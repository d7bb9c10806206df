"""IEEE references (writers): `ieee` (plain text) and `ieee-html`.

Rendered by citeproc-py with the project's own `styles/ieee.csl`, written from the IEEE
Reference Guide; `render.py` holds the wrapper that fixes citeproc-py's known gaps, and
`abbreviations.py` the ISO 4 journal abbreviations. Entries are numbered in input order.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO

from ...diagnostics import DiagnosticLog, Location
from ...model import Reference
from ...options import WriteOptions
from ...registry import FormatInfo
from .render import HTML, TEXT, RenderError, Target, load_style, render_one, style_path


def _entries(
    refs: Iterable[Reference], target: Target, log: DiagnosticLog, options: WriteOptions
) -> Iterable[tuple[int, str]]:
    style = load_style(str(style_path("ieee")))
    number = 0
    for ref in refs:
        prov = ref.provenance
        where = Location(prov.source if prov else "", prov.line if prov else None, ref.id)
        try:
            body, caught = render_one(ref, target, style, options.full_journal_names)
        except RenderError as exc:
            log.report("IEEE001", f"citeproc-py failed ({exc}); reference left out", where)
            continue
        for message in caught:
            log.report("IEEE002", f"citeproc-py: {message}", where)
        number += 1
        yield number, body


def write_text(
    refs: Iterable[Reference], out: IO[str], log: DiagnosticLog, options: WriteOptions
) -> int:
    """Write numbered IEEE references as plain text, one per line."""
    count = 0
    for number, body in _entries(refs, TEXT, log, options):
        out.write(f"[{number}] {body}\n")
        count = number
    return count


def write_html(
    refs: Iterable[Reference], out: IO[str], log: DiagnosticLog, options: WriteOptions
) -> int:
    """Write numbered IEEE references as an HTML fragment (citeproc-js's markup)."""
    count = 0
    out.write('<div class="csl-bib-body">\n')
    for number, body in _entries(refs, HTML, log, options):
        out.write(
            f'  <div class="csl-entry"><div class="csl-left-margin">[{number}]</div>'
            f'<div class="csl-right-inline">{body}</div></div>\n'
        )
        count = number
    out.write("</div>\n")
    return count


FORMATS = (
    FormatInfo("ieee", "IEEE references, plain text", writer=write_text, extensions=(".txt",)),
    FormatInfo(
        "ieee-html", "IEEE references, HTML", writer=write_html, extensions=(".html", ".htm")
    ),
)
