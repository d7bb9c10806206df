"""References through citeproc-py, with citeproc-py's known gaps fixed around it.

Each reference is prepared for the target (plain text, HTML, LaTeX or Markdown) and rendered by
citeproc-py on its own, so that one reference that makes citeproc-py fail is one diagnostic
and the others still render; the entry is then put right by small named fixes. Each fix undoes
one measured gap of citeproc-py 0.11 (see REFERENCE.md) and can be dropped on its own when
upstream fixes it.

Before rendering (`prepare`), on the CSL-JSON item:

- `_name`: IEEE styles get initials made here ("Xiao-ming" would come out as "X.-. ming ."),
  other styles a capital after each hyphen.
- `target.text` / `target.rich`: citeproc-py escapes no data, so data is escaped for HTML,
  LaTeX or Markdown here; text output flattens markup (citeproc-py would print `<i>`);
  straight quotes and apostrophes become typographic.
- ids never reach citeproc-py (it lower-cases them: ids differing by case would collide).
- `normalise_edition`: "2nd", "2nd ed.", "second" -> "2", so `is-numeric` and ordinals work.
- `event-title` -> `event`: citeproc-py 0.11 knows only `event` (it warns on `event-title`).
- `expand_pages`: `page-range-format="expanded"` is ignored ("1234-40" -> "1234-1240").
- `ieee_date`: date ranges crash, vanish or come out as "18,–22, Jun. 2023"; an IEEE style
  gets them as literal text ("Jun. 18–22, 2023", "Jul.–Aug. 2023").
- `_drop_repeated_publisher`: a preprint number naming its repository is not prefixed by it.
- `_abbreviate`: `container-title-short` from `Abbreviations`; "Proc." for proceedings.

After rendering (`finish_entry`): `fix_label` (second-field-align is ignored; the label is
renumbered since every reference is rendered alone), `fix_punctuation_in_quote`
(punctuation-in-quote is ignored), `fix_double_period` (a title ending with a period followed by
the entry's closing period), then the target's own finish (LaTeX typography).

Warnings citeproc-py emits are captured and returned, never printed.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

import citeproc
from citeproc import (
    Citation,
    CitationItem,
    CitationStylesBibliography,
    CitationStylesStyle,
    formatter,
)
from citeproc.source.json import CiteProcJSON

from ...markup.tex import unsafe
from ...model import CSL_VARIABLES, Date, Name, Reference
from ...names import initials, mononym
from ...richtext import Inline, Math, NoCase, RichText, Styled, Text, plain
from ..csljson import date as csl_date
from ..csljson import to_csl
from . import speedups

if TYPE_CHECKING:  # the tables are loaded only when journal names are abbreviated
    from .abbreviations import Abbreviations

ITEM_ID = "item"
_LABEL = re.compile(r"^\[\d+\]\s*")
_APOSTROPHE = re.compile(r"(?<=\w)'(?=\w)")
_INNER_QUOTES = re.compile(r'"([^"]+)"|\u201c([^\u201c\u201d]+)\u201d')


class RenderError(Exception):
    """citeproc-py could not render a reference."""


class StyleError(Exception):
    """A CSL style cannot be found or parsed."""


def style_path(name: str = "ieee") -> Path:
    """The path of a bundled style: in the installed package, else in the source tree."""
    from importlib.resources import files  # only for a bundled style: not with a style file

    packaged = files("citeport") / "styles" / f"{name}.csl"
    if packaged.is_file():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[4] / "styles" / f"{name}.csl"


def resolve_style(name_or_path: str) -> Path:
    """A style given as a file path or as the name of a bundled style ("ieee").

    Raises StyleError when neither exists.
    """
    path = Path(name_or_path)
    if path.is_file():
        return path
    if re.fullmatch(r"[\w.-]+", name_or_path):
        bundled = style_path(name_or_path.removesuffix(".csl"))
        if bundled.is_file():
            return bundled
    raise StyleError(f"no CSL style {name_or_path!r} (neither a file nor a bundled style)")


@cache
def load_style(path: str) -> CitationStylesStyle:
    """Parse a CSL style once (parsing is most of citeproc-py's start-up cost).

    Raises StyleError when the file is not a CSL style citeproc-py can read.
    """
    speedups.install()
    try:
        return CitationStylesStyle(path, validate=False)
    except Exception as exc:  # lxml and citeproc-py errors alike
        raise StyleError(f"cannot load CSL style {path}: {exc}") from exc


def is_ieee(style: CitationStylesStyle) -> bool:
    """Whether the style is an IEEE style (IEEE-only preparation steps apply)."""
    title = style.root.find(".//cs:info/cs:title", style.root.nsmap)
    return title is not None and "IEEE" in (title.text or "")


#: `<category citation-format="...">` values of styles whose entries carry no "[n]" label.
_UNNUMBERED_FORMATS = frozenset(("author-date", "author", "note"))


def is_numeric(style: CitationStylesStyle) -> bool:
    """Whether entries get a "[n]" label: not for author-date, author and note styles (by
    their `cs:category`); a numeric or label style, or one that does not say, keeps it."""
    category = style.root.find(".//cs:info/cs:category[@citation-format]", style.root.nsmap)
    return category is None or category.get("citation-format") not in _UNNUMBERED_FORMATS


@dataclass(frozen=True, slots=True)
class Target:
    """What the output is: citeproc-py's formatter and how data text is written for it.

    `rich` renders a title, `text` escapes any other data string, `finish` rewrites the
    rendered entry (typography that only the target needs), `closers` are the markup strings
    that may sit between two periods (for `fix_double_period`).
    """

    name: str
    formatter: Any
    rich: Callable[[RichText], str]
    text: Callable[[str], str]
    finish: Callable[[str], str] = lambda entry: entry
    closers: tuple[str, ...] = ()


def _typographic(value: str) -> str:
    """Straight apostrophes and inner double quotes as typographic ones."""
    if "'" in value:
        value = _APOSTROPHE.sub("\u2019", value)
    if '"' in value or "\u201c" in value:
        value = _INNER_QUOTES.sub(lambda m: f"\u2018{m.group(1) or m.group(2)}\u2019", value)
    return value


def typographic_rich(rich: RichText) -> RichText:
    """`_typographic` applied to every text run of a rich-text tree."""
    out: list[Inline] = []
    for node in rich:
        if type(node) is Text:
            out.append(Text(_typographic(node.text)))
        elif type(node) is Styled:
            out.append(Styled(node.style, typographic_rich(node.children)))
        elif type(node) is NoCase:
            out.append(NoCase(typographic_rich(node.children)))
        else:
            out.append(node)
    return tuple(out)


# The HTML and LaTeX codecs (and pylatexenc) are imported by the targets that use them, when
# they first do: plain-text output never loads them.


def _html_text(value: str) -> str:
    from ...markup import html

    return html.render((Text(value),))


def _html_rich(rich: RichText) -> str:
    from ...markup import html

    return html.render(typographic_rich(rich))


# --- LaTeX -----------------------------------------------------------------------------------

_LATEX_ASCII = str.maketrans(
    {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%", "$": r"\$",
     "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}
)  # fmt: skip
_LATEX_TYPOGRAPHY = str.maketrans(
    {"\u2013": "--", "\u2014": "---", "\u201c": "``", "\u201d": "''", "\u2018": "`",
     "\u2019": "'", "\u00a0": "~"}
)  # fmt: skip


@cache
def _non_ascii() -> Any:
    from pylatexenc.latexencode import UnicodeToLatexEncoder

    return UnicodeToLatexEncoder(
        non_ascii_only=True,
        replacement_latex_protection="braces-all",
        unknown_char_policy="keep",
        unknown_char_warning=False,
    )


def _spell_non_ascii(value: str) -> str:
    """Non-ASCII characters spelled as LaTeX (`{\\'e}`); ones with no spelling are kept."""
    return str(_non_ascii().unicode_to_latex(value))


def _latex_command(command: str) -> Callable[[str], str]:
    return lambda text: f"\\{command}{{{text}}}"


def _latex_formatter() -> Any:
    """A citeproc-py formatter writing LaTeX; style literals get the ASCII escapes."""
    return SimpleNamespace(
        preformat=lambda text: str(text).translate(_LATEX_ASCII),
        Italic=_latex_command("textit"),
        Oblique=_latex_command("textit"),
        Bold=_latex_command("textbf"),
        Light=str,
        Underline=_latex_command("underline"),
        Superscript=_latex_command("textsuperscript"),
        Subscript=_latex_command("textsubscript"),
        SmallCaps=_latex_command("textsc"),
    )


def _latex_target(ascii_only: bool) -> Target:
    """LaTeX output. Data keeps its non-ASCII characters through citeproc-py (which would
    mangle an initial written `{\\'E}`); in ASCII mode the finished entry is spelled out by
    pylatexenc at the end, when only data can hold non-ASCII characters."""

    def rich(value: RichText) -> str:
        from ...markup import latex

        return latex.render(typographic_rich(value), ascii_only=False)[0]

    def text(value: str) -> str:
        from ...markup import latex

        return latex.escape(value, ascii_only=False)

    def finish(entry: str) -> str:
        entry = entry.translate(_LATEX_TYPOGRAPHY)
        return _spell_non_ascii(entry) if ascii_only and not entry.isascii() else entry

    return Target(
        "latex" if ascii_only else "latex-utf8", _latex_formatter(), rich, text, finish, ("}",)
    )


# --- Markdown --------------------------------------------------------------------------------

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|])")
_MD_STYLES = {"italic": ("*", "*"), "bold": ("**", "**"), "sup": ("<sup>", "</sup>"),
              "sub": ("<sub>", "</sub>"), "smallcaps": ("", "")}  # fmt: skip


def md_escape(value: str) -> str:
    """Backslash-escape the characters Markdown (CommonMark) would read as markup."""
    return _MD_SPECIAL.sub(r"\\\1", value)


def md_render(rich: RichText) -> str:
    """Rich text as Markdown: `*italic*`, `**bold**`, `<sup>`/`<sub>`, math as `$tex$`."""
    out: list[str] = []
    for node in rich:
        if type(node) is Text:
            out.append(md_escape(node.text))
        elif type(node) is Math:
            out.append(_md_math(node.tex))
        elif type(node) is NoCase:
            out.append(md_render(node.children))
        elif type(node) is Styled:
            opener, closer = _MD_STYLES[node.style]
            out.append(opener + md_render(node.children) + closer)
    return "".join(out)


_MD_MATH_HTML = str.maketrans({"<": r"\lt ", ">": r"\gt ", "&": r"\&"})


def _md_math(tex: str) -> str:
    """Math for Markdown: `$tex$` when safe, with `< > &` as TeX so no HTML can slip through;
    unsafe TeX (`markup.tex.unsafe`) as escaped text."""
    if unsafe(tex) is not None:
        return md_escape(f"${tex}$").replace("$", "\\$")
    return f"${tex.translate(_MD_MATH_HTML)}$"


def _md_wrap(opener: str, closer: str) -> Callable[[str], str]:
    return lambda text: f"{opener}{text}{closer}"


_MD_FORMATTER = SimpleNamespace(
    preformat=str,
    Italic=_md_wrap("*", "*"),
    Oblique=_md_wrap("*", "*"),
    Bold=_md_wrap("**", "**"),
    Light=str,
    Underline=str,
    Superscript=_md_wrap("<sup>", "</sup>"),
    Subscript=_md_wrap("<sub>", "</sub>"),
    SmallCaps=str,
)


def _unescaped(value: str) -> str:
    """Plain text escapes nothing (`prepare` skips the escaping pass for it)."""
    return value


TEXT = Target("text", formatter.plain, lambda r: _typographic(plain(r)), _unescaped)
HTML = Target(
    "html",
    formatter.html,
    _html_rich,
    _html_text,
    closers=("</i>", "</b>", "</span>", "</sup>", "</sub>"),
)
LATEX = _latex_target(ascii_only=True)
LATEX_UTF8 = _latex_target(ascii_only=False)
MARKDOWN = Target(
    "markdown", _MD_FORMATTER, lambda r: md_render(typographic_rich(r)), md_escape, closers=("*",)
)


# --- preparation -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Settings:
    """How references are prepared for one style.

    Attributes:
        ieee: the IEEE-only steps apply (initials, literal date ranges, "Proc.").
        abbreviations: how container titles are abbreviated; None keeps full names.
        expand_pages: the style asks for `page-range-format="expanded"`.
    """

    ieee: bool = True
    abbreviations: Abbreviations | None = None
    expand_pages: bool = True


def settings_for(style: CitationStylesStyle, abbreviations: Abbreviations | None) -> Settings:
    """The preparation steps a style needs."""
    expanded = style.root.get("page-range-format") == "expanded"
    return Settings(is_ieee(style), abbreviations, expanded)


_HYPHEN_LOWER = re.compile(r"(?<=[-\u2010])(\w)")


def _given(given: str, ieee: bool) -> str:
    if ieee:
        return initials(given)
    return _HYPHEN_LOWER.sub(lambda m: m.group(1).upper(), given)


def _name(value: Name, target: Target, ieee: bool) -> dict[str, str]:
    if value.literal:
        return {"literal": target.text(value.literal)}
    value = mononym(value)  # "Madonna" in full, not the initial "M."
    out: dict[str, str] = {}
    if value.family:
        out["family"] = target.text(value.family)
    if value.given:
        out["given"] = target.text(_given(value.given, ieee))
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
_UNUSED = ("abstract", "custom", "citation-key", "keyword", "language", "ISSN", "ISBN")
#: The model fields `to_csl` need not render at all: those of the `_UNUSED` variables, and
#: the name lists `prepare` writes itself (`_name`). Only the order of the item's keys can
#: differ for that (a list comes last), and neither path reads it: the fast path sorts them,
#: citeproc-py looks variables up by name.
_UNUSED_FIELDS = frozenset(f for f, v in CSL_VARIABLES.items() if v in _UNUSED)
_NOT_FROM_CSL = _UNUSED_FIELDS | {role for role, _ in _NAME_VARIABLES}

_ORDINAL_WORDS = {
    "first": "1", "second": "2", "third": "3", "fourth": "4", "fifth": "5", "sixth": "6",
    "seventh": "7", "eighth": "8", "ninth": "9", "tenth": "10",
}  # fmt: skip
_EDITION = re.compile(r"^(\d+)\s*(?:st|nd|rd|th)?\.?(?:\s*(?:ed\.?|edn\.?|edition))?$", re.I)
_EDITION_WORD = re.compile(r"^(\w+)(?:\s*(?:ed\.?|edn\.?|edition))?$", re.I)


def normalise_edition(edition: str) -> str:
    """ "2nd", "2nd ed.", "Second edition" -> "2"; anything else is kept ("Rev. ed.")."""
    value = edition.strip()
    match = _EDITION.match(value)
    if match:
        return match.group(1)
    match = _EDITION_WORD.match(value)
    if match and match.group(1).lower() in _ORDINAL_WORDS:
        return _ORDINAL_WORDS[match.group(1).lower()]
    return edition


_PAGE_RANGE = re.compile(r"^(\d+)\s*[-\u2013\u2014]+\s*(\d+)$")


def expand_pages(page: str) -> str:
    """ "1234-40" -> "1234-1240" (CSL `expanded`); other ranges and single pages are kept."""
    match = _PAGE_RANGE.match(page.strip())
    if not match:
        return page
    first, last = match.groups()
    if len(last) < len(first):
        last = first[: len(first) - len(last)] + last
    return f"{first}-{last}"


MONTHS = ("Jan.", "Feb.", "Mar.", "Apr.", "May", "Jun.", "Jul.", "Aug.", "Sep.", "Oct.",
          "Nov.", "Dec.")  # fmt: skip

#: How much of a date each IEEE entry shows (mirrors the date macros of styles/ieee.csl).
_YEAR_ONLY = frozenset(("book", "chapter", "thesis", "standard", "dataset", "software"))
_FULL_DATE = frozenset(("article-newspaper", "speech", "patent", "webpage", "post", "post-weblog"))


def _date_depth(item_type: str, variable: str) -> int:
    if variable == "accessed" or item_type in _FULL_DATE:
        return 3
    return 1 if item_type in _YEAR_ONLY else 2


def _ieee_one(parts: tuple[int, ...], with_year: bool = True) -> str:
    year = str(parts[0]) if with_year else ""
    if len(parts) == 1:
        return year
    month = MONTHS[parts[1] - 1]
    if len(parts) == 2:
        return f"{month} {year}".strip()
    return f"{month} {parts[2]}, {year}".strip().rstrip(",")


def ieee_date(value: Date, depth: int) -> dict[str, Any]:
    """A CSL date for an IEEE style, cut to `depth` parts (1 year, 2 month, 3 day).

    A range whose ends differ at that depth becomes literal text in IEEE's form: "2022–2023",
    "Jul.–Aug. 2023" (two-month issue), "Dec. 2022–Jan. 2023", "Jun. 18–22, 2023",
    "Jun. 28–Jul. 2, 2023"; one that does not becomes its first date.
    """
    out: dict[str, Any] = {}
    ok = all(1 <= len(p) <= 3 and (len(p) < 2 or 1 <= p[1] <= 12) for p in value.parts)
    if not value.parts or not ok:
        return csl_date(value)
    start = value.parts[0][:depth]
    end = value.parts[-1][:depth] if len(value.parts) > 1 else start
    if len(end) < len(start):
        start = start[: len(end)]
    if start == end or len(value.parts) == 1:
        out["date-parts"] = [list(start)]
    else:
        out["literal"] = _ieee_range(start, end)
    if value.season:
        out["season"] = value.season
    if value.circa:
        out["circa"] = True
    return out


def _ieee_range(start: tuple[int, ...], end: tuple[int, ...]) -> str:
    dash = "\u2013"
    if start[0] != end[0] or len(start) == 1:
        return f"{_ieee_one(start)}{dash}{_ieee_one(end)}"
    if len(start) == 2:
        return f"{MONTHS[start[1] - 1]}{dash}{MONTHS[end[1] - 1]} {start[0]}"
    if start[1] == end[1]:
        return f"{MONTHS[start[1] - 1]} {start[2]}{dash}{end[2]}, {start[0]}"
    return f"{MONTHS[start[1] - 1]} {start[2]}{dash}{MONTHS[end[1] - 1]} {end[2]}, {start[0]}"


_DATE_FIELDS = (("issued", "issued"), ("accessed", "accessed"), ("event_date", "event-date"))


#: The item keys citeproc-py 0.11 accepts (its variables, in CSL-JSON spelling, plus id/type).
_CITEPROC_KNOWS = frozenset(
    {name.replace("_", "-") for name in citeproc.VARIABLES} | {"id", "type", "event-title"}
)


def prepare(ref: Reference, target: Target, settings: Settings) -> dict[str, Any]:
    """The CSL-JSON item citeproc-py gets for `ref` (see the module docstring)."""
    item = to_csl(ref, ITEM_ID, render_rich=target.rich, omit=_NOT_FROM_CSL)
    for key in [k for k in item if k in _UNUSED or k not in _CITEPROC_KNOWS]:
        del item[key]  # a style can only print variables citeproc-py knows; others would warn
    for role, variable in _NAME_VARIABLES:
        people = getattr(ref, role)
        if people:
            item[variable] = [_name(n, target, settings.ieee) for n in people]
    if "event-title" in item:
        item["event"] = item.pop("event-title")
    if "edition" in item:
        item["edition"] = normalise_edition(item["edition"])
    if settings.expand_pages and "page" in item:
        item["page"] = expand_pages(item["page"])
    if target.text is not _unescaped:
        for key, value in item.items():
            if isinstance(value, str) and key not in _NOT_DATA_TEXT:
                item[key] = target.text(value)
    if settings.ieee:
        for field_name, variable in _DATE_FIELDS:
            value = getattr(ref, field_name)
            if value is not None and value.parts:
                item[variable] = ieee_date(value, _date_depth(ref.type, variable))
    if settings.ieee:
        _drop_repeated_publisher(item)
    _abbreviate(ref, item, target, settings)
    return item


def _drop_repeated_publisher(item: dict[str, Any]) -> None:
    """A preprint's number that already names its repository ("arXiv:2001.00001", publisher
    "arXiv") is printed alone, not as "arXiv: arXiv:2001.00001"."""
    publisher, number = item.get("publisher"), item.get("number")
    if (
        item.get("type") == "article"
        and publisher
        and number
        and number.lower().startswith(publisher.lower())
    ):
        del item["publisher"]


#: Types whose container is a periodical or proceedings (abbreviated); a book's title, a
#: newspaper's or a web site's name is not.
_ABBREVIATED_TYPES = frozenset(("article-journal", "article-magazine", "paper-conference"))


def _abbreviate(ref: Reference, item: dict[str, Any], target: Target, settings: Settings) -> None:
    abbreviations = settings.abbreviations
    if abbreviations is None:
        item.pop("container-title-short", None)
        return
    if not ref.container_title:
        return
    if ref.type not in _ABBREVIATED_TYPES:
        item.pop("container-title-short", None)
        return
    conference = settings.ieee and ref.type == "paper-conference"
    if ref.container_title_short:
        if conference and not ref.container_title_short.startswith("Proc"):
            item["container-title-short"] = target.text(f"Proc. {ref.container_title_short}")
        return
    full = plain(ref.container_title)
    short = abbreviations.conference(full) if conference else abbreviations.periodical(full)
    item["container-title-short"] = target.text(short)


# --- after rendering -------------------------------------------------------------------------


def fix_label(entry: str, number: int) -> tuple[str, str]:
    """Split citeproc-py's "[1]" off the entry and give the entry its real number."""
    return f"[{number}]", _LABEL.sub("", entry, count=1)


#: A closing quote, then the period after a ? or ! inside it (dropped), or a comma or period
#: (captured: it moves inside). The pattern starts with the quote, so the search skips to
#: each quote rather than trying every position; `[?!]` is looked at behind the quote, never
#: taken (an earlier match ends with `,` or `.`, so it can never have taken that character).
_QUOTE_PUNCT = re.compile(r"\u201d(?:(?<=[?!]\u201d)\.|([,.]))")


def fix_punctuation_in_quote(entry: str) -> str:
    """Move a comma or period inside the closing quote (CSL `punctuation-in-quote`).

    After a title ending in ? or ! a period is dropped and a comma kept, as citeproc-js does
    (“Why?,”).
    """
    return _QUOTE_PUNCT.sub("\\1\u201d", entry)  # a dropped period leaves group 1 empty


@cache
def _double_period(closers: tuple[str, ...]) -> re.Pattern[str]:
    markup = "|".join(re.escape(c) for c in closers)
    between = f"((?:{markup})*)" if markup else "()"
    return re.compile(rf"(?<!\.)\.{between}\.(?!\.)")


def fix_double_period(entry: str, closers: tuple[str, ...] = ()) -> str:
    """Drop the entry's period after a title that ends with one ("<i>Title.</i>." -> one).

    Without closers the two periods are next to each other: no ".." in the entry, no match."""
    if not closers and ".." not in entry:
        return entry
    return _double_period(closers).sub(r".\1", entry)


def finish_entry(entry: str, target: Target) -> str:
    """All the after-rendering fixes, in order, for one rendered entry."""
    _, body = fix_label(entry, 1)
    body = fix_punctuation_in_quote(body)
    body = fix_double_period(body, target.closers)
    return target.finish(body)


def render_item(
    item: dict[str, Any], target: Target, style: CitationStylesStyle
) -> tuple[str, list[str]]:
    """Render one prepared CSL-JSON item (id `ITEM_ID`); returns citeproc-py's raw entry and
    its warnings. Raises RenderError when citeproc-py fails."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            source = CiteProcJSON([item])
            bibliography = CitationStylesBibliography(style, source, target.formatter)
            bibliography.register(Citation([CitationItem(item["id"])]))
            entries = bibliography.bibliography()
        except Exception as exc:  # citeproc-py's own failure on this item
            raise RenderError(f"{type(exc).__name__}: {exc}") from exc
    if not entries:
        raise RenderError("citeproc-py returned no entry")
    return str(entries[0]), [str(w.message) for w in caught]


def render_one(
    ref: Reference,
    target: Target,
    style: CitationStylesStyle,
    settings: Settings,
    fast: Callable[[dict[str, Any]], str | None] | None = None,
) -> tuple[str, list[str]]:
    """Render one reference (without its label); returns the entry and citeproc-py's warnings.

    `fast` (`fast.FastRenderer.render`) stands in for citeproc-py when it can: it returns
    citeproc-py's raw entry for the prepared item, or None to let citeproc-py render it.
    Raises RenderError when citeproc-py fails on this reference.
    """
    item = prepare(ref, target, settings)
    raw = fast(item) if fast is not None else None
    if raw is not None:
        return finish_entry(raw, target), []
    raw, caught = render_item(item, target, style)
    return finish_entry(raw, target), caught
