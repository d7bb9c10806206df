"""IEEE references (writers): `ieee` (text), `ieee-html`, `ieee-latex` and `ieee-md`.

Rendered by citeproc-py with the project's own `styles/ieee.csl`, written from the IEEE
Reference Guide, or with another CSL style (`--style PATH` or the name of a bundled style);
`writer.py` holds the four writers, `render.py` the wrapper that fixes citeproc-py's known
gaps, `fast.py` its proven fast path, `abbreviations.py` and `periodicals.py` the journal and
conference abbreviations. Entries are numbered in input order.

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

from importlib import import_module
from typing import TYPE_CHECKING, Any

from ...registry import FormatInfo, deferred

if TYPE_CHECKING:
    from .writer import write_html, write_latex, write_markdown, write_text

__all__ = ["FORMATS", "write_html", "write_latex", "write_markdown", "write_text"]

#: The writers (`writer.py`), imported with citeproc-py when a conversion writes IEEE, not when
#: the formats are listed or an input's format is detected.
_WRITER = f"{__name__}.writer"


def __getattr__(name: str) -> Any:
    if name in ("write_html", "write_latex", "write_markdown", "write_text"):
        return getattr(import_module(_WRITER), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


FORMATS = (
    FormatInfo(
        "ieee",
        "IEEE references, plain text",
        writer=deferred(_WRITER, "write_text"),
        records=deferred(_WRITER, "TEXT_RECORDS"),
        extensions=(".txt",),
    ),
    FormatInfo(
        "ieee-html",
        "IEEE references, HTML",
        writer=deferred(_WRITER, "write_html"),
        records=deferred(_WRITER, "HTML_RECORDS"),
        extensions=(".html", ".htm"),
    ),
    FormatInfo(
        "ieee-latex",
        "IEEE references, LaTeX thebibliography",
        writer=deferred(_WRITER, "write_latex"),
        records=deferred(_WRITER, "LATEX_RECORDS"),
        extensions=(".tex",),
        aliases=("ieee-tex",),
    ),
    FormatInfo(
        "ieee-md",
        "IEEE references, Markdown",
        writer=deferred(_WRITER, "write_markdown"),
        records=deferred(_WRITER, "MARKDOWN_RECORDS"),
        extensions=(".md",),
        aliases=("ieee-markdown",),
    ),
)
