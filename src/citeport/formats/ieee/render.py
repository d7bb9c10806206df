"""IEEE references through citeproc-py, with citeproc-py's known gaps fixed around it.

Each reference is prepared for the target (plain text or HTML), rendered by citeproc-py with
`styles/ieee.csl` on its own, so that one reference that makes citeproc-py fail is one
diagnostic and the others still render, and then put right by small named fixes. Each fix
undoes one measured gap of citeproc-py 0.11 (see REFERENCE.md) and can be dropped on its own
when upstream fixes it:

- `fix_label`: citeproc-py ignores `second-field-align`, so "[1]" touches the entry; the label
  is also renumbered, since every reference is rendered alone.
- `fix_punctuation_in_quote`: citeproc-py ignores `punctuation-in-quote`, leaving `“Title”,`.
- `prepare`: given names are initialised before citeproc-py sees them ("Xiao-ming" would come
  out as "X.-. ming ."); data is HTML-escaped for HTML output (citeproc-py escapes nothing) and
  flattened to text for text output (it would print `<i>` literally); ids never reach
  citeproc-py (it lower-cases them, so ids differing by case would collide); straight
  apostrophes in titles become typographic.
- warnings citeproc-py emits are captured and reported, never printed.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON

from ...markup import html
from ...model import CSL_VARIABLES, Name, Reference
from ...names import initials
from ...richtext import RichText, plain
from ..csljson import to_csl
from .abbreviations import abbreviate

ITEM_ID = "item"
_LABEL = re.compile(r"^\[\d+\]\s*")
_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)")
_INNER_QUOTES = re.compile(r'"([^"]+)"')


class RenderError(Exception):
    """citeproc-py could not render a reference."""


def style_path(name: str = "ieee") -> Path:
    """The path of a bundled style: in the installed package, else in the source tree."""
    packaged = files("citeport") / "styles" / f"{name}.csl"
    if packaged.is_file():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[4] / "styles" / f"{name}.csl"


@cache
def load_style(path: str) -> CitationStylesStyle:
    """Parse a CSL style once (parsing is most of citeproc-py's start-up cost)."""
    return CitationStylesStyle(path, validate=False)


@dataclass(frozen=True, slots=True)
class Target:
    """What the output is: citeproc-py's formatter and how data text is written for it."""

    name: str
    formatter: Any
    rich: Callable[[RichText], str]
    text: Callable[[str], str]


def _typographic(value: str) -> str:
    if "'" in value:
        value = _APOSTROPHE.sub("\u2019", value)
    if '"' in value:
        value = _INNER_QUOTES.sub("\u2018\\1\u2019", value)
    return value


def _html_text(value: str) -> str:
    return html.render((html.Text(value),))


TEXT = Target("text", formatter.plain, lambda r: _typographic(plain(r)), lambda s: s)
HTML = Target("html", formatter.html, lambda r: _typographic(html.render(r)), _html_text)


def _name(value: Name, target: Target) -> dict[str, str]:
    out: dict[str, str] = {}
    if value.literal:
        return {"literal": target.text(value.literal)}
    if value.family:
        out["family"] = target.text(value.family)
    if value.given:
        out["given"] = target.text(initials(value.given))
    if value.non_dropping_particle:
        out["non-dropping-particle"] = target.text(value.non_dropping_particle)
    if value.dropping_particle:
        out["dropping-particle"] = target.text(value.dropping_particle)
    if value.suffix:
        out["suffix"] = target.text(value.suffix)
    return out


_NAME_VARIABLES = tuple(
    (field, CSL_VARIABLES[field])
    for field in ("author", "editor", "translator", "container_author", "collection_editor")
)
#: Item keys whose values are not data text (or were already rendered for the target).
_NOT_DATA_TEXT = frozenset(("id", "type", "title", "container-title", "abstract"))


def prepare(ref: Reference, target: Target, full_journal_names: bool) -> dict[str, Any]:
    """The CSL-JSON item citeproc-py gets for `ref`."""
    item = to_csl(ref, ITEM_ID, render_rich=target.rich)
    for unused in ("abstract", "custom", "citation-key", "keyword", "language", "ISSN", "ISBN"):
        item.pop(unused, None)
    for role, variable in _NAME_VARIABLES:
        people = getattr(ref, role)
        if people:
            item[variable] = [_name(n, target) for n in people]
    for key, value in item.items():
        if isinstance(value, str) and key not in _NOT_DATA_TEXT:
            item[key] = target.text(value)
    if full_journal_names:
        item.pop("container-title-short", None)
    elif ref.container_title and not ref.container_title_short:
        short = abbreviate(plain(ref.container_title))
        item["container-title-short"] = target.text(short)
    return item


def fix_label(entry: str, number: int) -> tuple[str, str]:
    """Split citeproc-py's "[1]" off the entry and give the entry its real number."""
    return f"[{number}]", _LABEL.sub("", entry, count=1)


_QUOTE_PUNCT = re.compile(r"([?!]?)\u201d([,.])")


def fix_punctuation_in_quote(entry: str) -> str:
    """Move a comma or period inside the closing quote; after ? or ! drop it (IEEE)."""

    def move(match: re.Match[str]) -> str:
        mark, punct = match.groups()
        return f"{mark}\u201d" if mark else f"{punct}\u201d"

    return _QUOTE_PUNCT.sub(move, entry)


def render_one(
    ref: Reference, target: Target, style: CitationStylesStyle, full_journal_names: bool
) -> tuple[str, list[str]]:
    """Render one reference (without its label); returns the entry and citeproc-py's warnings.

    Raises RenderError when citeproc-py fails on this reference.
    """
    item = prepare(ref, target, full_journal_names)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            source = CiteProcJSON([item])
            bibliography = CitationStylesBibliography(style, source, target.formatter)
            bibliography.register(Citation([CitationItem(ITEM_ID)]))
            entries = bibliography.bibliography()
        except Exception as exc:  # citeproc-py's own failure on this item
            raise RenderError(f"{type(exc).__name__}: {exc}") from exc
    if not entries:
        raise RenderError("citeproc-py returned no entry")
    _, body = fix_label(str(entries[0]), 1)
    return fix_punctuation_in_quote(body), [str(w.message) for w in caught]
