"""The fast path of the IEEE writers: citeproc-py's output reused across references of one shape.

Profiling `citeport convert ... --to ieee` showed about two thirds of the time inside
citeproc-py's tree walk, ~1.8 ms per reference, although most references of a file share a
handful of *shapes*: the same type, the same variables present.
For such references citeproc-py's output is the same string with different data in it. So,
per shape, citeproc-py renders the prepared item once with every data value replaced by a
placeholder (a private-use character), and that *template* is filled with each reference's
data. The style file stays the only authority: every literal, term, delimiter, affix, month
name and choice in the output comes from citeproc-py rendering `styles/ieee.csl`; this module
decides only which parts of an item are data.

Per variable of the prepared item (`render.prepare`, shared by both paths):

| variable | in the template | filled with |
|---|---|---|
| text (`title`, `DOI`, ...) | a placeholder | the value |
| `page` | a placeholder, or two around the range delimiter | the value, or its ends |
| names (`author`, ...) | one `literal` placeholder per list | the list as citeproc-py writes it |
| dates | a `literal` placeholder | the date as the `cs:date` that shows it writes it |
| values the style looks into (`StyleCheck`) | the value (part of the shape) | nothing |

Names: given names are initialised by citeproc-py's own `Name.initialize`. A whole list is
one placeholder, filled with the list as citeproc-py's `Name.process` writes that many
placeholder names (delimiters, "and", "et al." and its formatting: `_list_text`), so the number
of names is no part of a shape; only a `cs:label` after the list (`StyleCheck.labelled`) makes
one name and several two shapes (the template is rendered with two names, written as one).
A name's text depends only on its parts and the style, so a renderer keeps the texts of the
last 4,096 distinct names it met (`_names_text`): a file's authors recur.
That needs every `cs:names` to write with a `cs:name` of the style and all of those to write
every list alike, tried for each length up to `et-al-min` (`FastRenderer._uniform_lists`);
otherwise each name is a placeholder and the count of names (up to `et-al-min`: only the first
are shown) is part of the shape. Dates: which `cs:date` shows a date is recorded while
citeproc-py renders the template (`_Recorder`), so the number of date parts is no part of a
shape either; for a style that names a date variable outside `cs:date` it is found once per
shape by rendering a probe date (year 7340000, January 1) and matching each candidate's text.
The date's text itself comes from citeproc-py's `render_single_date` of that element's
localized date.

What makes a value the style's business rather than data is found by reading the style once
(`StyleCheck`): `is-numeric` tests, `cs:number`, `text-case` and `strip-periods` on a
variable and `cs:label` on a variable other than `page` put the variable's value in the shape;
anything whose effect cannot be confined to one variable (`text-case` on a group or macro,
`cs:name-part`, `name-as-sort-order`, short years, ...) turns the fast path off for that style.

A reference takes the CSL path instead (eligibility, per reference) when a value could make
citeproc-py do something the placeholder did not: a value holding a private-use character or a
`<span class="nocase">` (citeproc-py parses those), a page with a list (`,` `&`) or more than
one range, a name citeproc-py would write empty, a year before 1000, a date with more than one
date-parts entry, a value that is not a string, and a value whose first or last character
would meet the same punctuation or space next to it in the entry (citeproc-py's seam rule
drops one of the two; `.,;:!?` and space). A shape whose template citeproc-py cannot render,
or renders with a warning, always takes the CSL path, so the diagnostics stay the same.

`tests/test_ieee_fast.py` checks that both paths write the same bytes, in all four targets,
for the exact-output references, every eligible corpus record and generated references.
`CITEPORT_IEEE_FAST=0` turns the fast path off.
"""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from citeproc import CitationStylesStyle
from citeproc.model import Date as CiteprocDate
from citeproc.model import Label
from citeproc.source import Name
from citeproc.source.json import CiteProcJSON
from citeproc.string import SEAM_PUNCTUATION

from .render import RenderError, Target, render_item

#: Environment switch: "0" (or "false", "no", "off") turns the fast path off.
ENV = "CITEPORT_IEEE_FAST"

#: Placeholders: private-use characters, one per data slot of a shape.
_FIRST_SLOT = 0xE000
_MAX_SLOTS = 0x1000
_PRIVATE = re.compile("[\ue000-\uf8ff]")
_PLACEHOLDERS = tuple(chr(_FIRST_SLOT + n) for n in range(_MAX_SLOTS))
_NOCASE = '<span class="nocase">'
#: Characters citeproc-py's seam rule looks at (`citeproc.string.normalize_seam`).
_SEAM = frozenset(SEAM_PUNCTUATION) | {" "}
#: Year placeholders: numbers no style literal holds (a year's text is `str(year)`).
_YEAR_BASE = 7_340_000
#: How many templates are kept per style and target (a file has a few hundred shapes).
_MAX_TEMPLATES = 20_000

_DATE_PROCESS = CiteprocDate.process

_NAME_VARIABLES = frozenset(
    ("author", "editor", "translator", "container-author", "collection-editor", "director",
     "interviewer", "illustrator", "composer", "original-author", "recipient",
     "reviewed-author", "editorial-director", "collection-editor")
)  # fmt: skip
_DATE_VARIABLES = frozenset(
    ("issued", "accessed", "event-date", "original-date", "submitted", "available-date")
)


def enabled() -> bool:
    """Whether the fast path is on (the default), from `CITEPORT_IEEE_FAST`."""
    return os.environ.get(ENV, "1").strip().lower() not in ("0", "false", "no", "off")


# --- what the style does with values -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StyleCheck:
    """What one style does with the values of an item, read from its tree.

    Attributes:
        usable: the fast path can serve this style at all.
        reason: why not, when it cannot.
        keyed: variables whose value is part of the shape (the style looks into them).
        name_element: a `cs:name` of the style, to initialise given names with.
        context: an element inside `cs:bibliography`, the context citeproc-py passes.
        mark: the `initialize-with` string every `cs:name` of the style uses.
        et_al_min: every `cs:name` shortens a list of this many names or more to the same
            first names and "et al." (0: no shortening, or not the same everywhere).
        dates: variable -> the `cs:date` elements that may render it.
        names: every `cs:name` of the style, when every `cs:names` renders its lists with
            one of them (none: name lists are not taken whole, see `FastRenderer`).
        labelled: name variables a `cs:label` may follow (singular or plural: the count of
            names is part of the shape).
        dates_only: no element but `cs:date` names a date variable (see `_Recorder`).
    """

    usable: bool
    reason: str = ""
    keyed: frozenset[str] = frozenset()
    name_element: Any = None
    context: Any = None
    mark: str | None = None
    et_al_min: int = 0
    page_keyed: bool = False
    dates: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    names: tuple[Any, ...] = ()
    labelled: frozenset[str] = frozenset()
    dates_only: bool = False


_CS = "{http://purl.org/net/xbiblio/csl}"


def check_style(style: CitationStylesStyle) -> StyleCheck:
    """Read `style` for everything that makes its output depend on values (see module doc)."""
    root = style.root
    bibliography = root.find(f"{_CS}bibliography")
    if bibliography is None or bibliography.find(f"{_CS}layout") is None:
        return StyleCheck(False, "no bibliography layout")
    context = bibliography.find(f"{_CS}layout")
    keyed = {"language"}  # citeproc-py reads the language for title case
    rendering = [e for e in root.iter() if isinstance(e.tag, str) and not _in_info(e)]
    for element in rendering:
        tag = element.tag.removeprefix(_CS)
        variables = (element.get("variable") or "").split()
        for attribute in ("is-numeric", "is-uncertain-date"):
            keyed.update((element.get(attribute) or "").split())
        if element.get("text-case") is not None or element.get("strip-periods") is not None:
            if tag in ("text", "number", "date-part", "label") and (
                variables or tag != "text" or element.get("term") or element.get("value")
            ):
                keyed.update(variables)
            else:
                return StyleCheck(False, f"text-case or strip-periods on cs:{tag}")
        if tag == "number":
            keyed.update(variables)
        if tag == "label" and variables and variables != ["page"]:
            keyed.update(variables)
        if tag in ("name-part", "et-al-use-last") or element.get("et-al-use-last") == "true":
            return StyleCheck(False, f"cs:{tag} or et-al-use-last")
        if tag == "names" and {"editor", "translator"} <= set(variables):
            return StyleCheck(False, "cs:names with editor and translator")
        if tag == "date-part" and element.get("name") == "year" and element.get("form"):
            return StyleCheck(False, "a year date-part with a form")
        if tag in ("position", "disambiguate") or element.get("position") is not None:
            return StyleCheck(False, "a position condition")
        if element.get("disambiguate") is not None or element.get("locator") is not None:
            return StyleCheck(False, "a disambiguate or locator condition")
    dates: dict[str, list[Any]] = {}
    for element in rendering:
        if element.tag != f"{_CS}date" or _in_locale(element):
            continue
        if not element.get("form") or not element.get("variable"):
            return StyleCheck(False, "a cs:date without a localized form")
        dates.setdefault(element.get("variable"), []).append(element)
    frozen_dates = {variable: tuple(found) for variable, found in dates.items()}
    dates_only = not any(
        _DATE_VARIABLES & set((e.get("variable") or "").split())
        for e in rendering
        if e.tag not in (f"{_CS}date", f"{_CS}if", f"{_CS}else-if", f"{_CS}key")
    )
    names = [e for e in rendering if e.tag == f"{_CS}name"]
    if not names:
        return StyleCheck(
            True, keyed=frozenset(keyed), context=context, dates=frozen_dates, dates_only=dates_only
        )
    marks = set()
    shortening = {
        (e.get_option("et-al-min", context), e.get_option("et-al-use-first", context))
        for e in names
    }
    et_al_min = next(iter(shortening))[0] if len(shortening) == 1 else 0
    for element in names:
        options = (
            element.get_option("form", context),
            element.get_option("name-as-sort-order", context),
            element.get_option("initialize-with-hyphen", context),
        )
        if options[0] not in (None, "long") or options[1] is not None:
            return StyleCheck(False, "a cs:name with a short form or name-as-sort-order")
        marks.add((element.get_option("initialize-with", context), options[2]))
    if len(marks) != 1:
        return StyleCheck(False, "cs:name elements initialise names differently")
    mark = next(iter(marks))[0]
    lists, labelled = _name_lists(rendering)
    return StyleCheck(
        True,
        keyed=frozenset(keyed),
        name_element=names[0],
        context=context,
        mark=mark,
        et_al_min=et_al_min or 0,
        page_keyed=root.get("page-range-format") not in (None, "expanded"),
        dates=frozen_dates,
        names=tuple(names) if lists else (),
        labelled=labelled,
        dates_only=dates_only,
    )


def _name_lists(rendering: list[Any]) -> tuple[bool, frozenset[str]]:
    """Whether each `cs:names` writes its lists with a `cs:name` of the style (its own, or the
    one of the `cs:names` whose `cs:substitute` holds it, as citeproc-py's `Substitute` does),
    and the variables of the `cs:names` that have a `cs:label` (for those, or the substitute's
    childless `cs:names` that use it)."""
    labelled: set[str] = set()
    for element in rendering:
        if element.tag != f"{_CS}names":
            continue
        owner = element
        if element.find(f"{_CS}name") is None:
            parent = element.getparent()
            if parent is not None and parent.tag == f"{_CS}substitute":
                owner = parent.getparent()
            if owner is None or owner.find(f"{_CS}name") is None:
                return False, frozenset()
        if owner.find(f"{_CS}label") is not None:
            labelled.update((element.get("variable") or "").split())
    return True, frozenset(labelled)


def _in_info(element: Any) -> bool:
    """Whether an element is part of the style's `cs:info` (its `cs:name` is no name format)."""
    return any(a.tag == f"{_CS}info" for a in element.iterancestors())


def _in_locale(element: Any) -> bool:
    return any(a.tag == f"{_CS}locale" for a in element.iterancestors())


# --- shapes and templates ----------------------------------------------------------------------


class _Ineligible(Exception):
    """This reference takes the CSL path."""


@dataclass(frozen=True, slots=True)
class _Date:
    """A date slot's data: its text depends on the `cs:date` that renders it (per shape)."""

    variable: str
    value: tuple[tuple[str, Any], ...]  # the CSL date object's items

    def probe(self) -> dict[str, Any]:
        """The same date with year 7340000 (a number no style holds), month and day 1."""
        out = dict(self.value)
        parts = out["date-parts"][0]
        out["date-parts"] = ((_YEAR_BASE, *([1] * (len(parts) - 1))),)
        return out


@dataclass(slots=True)
class _Shape:
    """One item taken apart: its shape (the cache key), its placeholder item, its data."""

    key: list[Any] = field(default_factory=list)
    item: dict[str, Any] = field(default_factory=dict)
    values: list[str | _Date] = field(default_factory=list)  # slot n's data
    padded: tuple[str, str] | None = None  # first and last page placeholder, padded with 0
    #: A plural list's two placeholder names (a plural label), written as one in the template.
    pairs: list[tuple[str, str]] = field(default_factory=list)

    def slot(self, value: str | _Date) -> str:
        """A new slot holding `value`: its placeholder."""
        values = self.values
        count = len(values)
        if count >= _MAX_SLOTS:
            raise _Ineligible
        values.append(value)
        return _PLACEHOLDERS[count]


def _text_value(value: Any) -> str:
    """`value` when it is data text the fast path can take, else `_Ineligible`.

    ASCII text holds no private-use character, and only a `<` lower-cases to `<`: the two
    pre-checks skip the search and the lower-casing without changing the answer."""
    if type(value) is not str or not value:
        raise _Ineligible
    if not value.isascii() and _PRIVATE.search(value):
        raise _Ineligible
    if "<" in value and _NOCASE in value.lower():
        raise _Ineligible
    return value


def _split_page(value: str) -> list[str]:
    """The page as citeproc-py's `FormatNumber._process` splits it: [page] or [first, last]."""
    if "," in value or "&" in value:
        raise _Ineligible
    pieces = value.replace("\u2013", "-").split("-")
    if len(pieces) > 2:
        raise _Ineligible
    return [piece.strip() for piece in pieces]


def _name_text(name: Any, check: StyleCheck) -> str:
    """One name as citeproc-py 0.11 writes it in `form="long"` (`Name.process`)."""
    if type(name) is not dict or not name:
        raise _Ineligible
    for value in name.values():
        _text_value(value)
    if "literal" in name:
        return str(name["literal"])
    get = name.get
    given = get("given")
    if given is not None and check.mark is not None:
        given = _initialize(check, given)
    family = " ".join(
        [n for n in (get("dropping-particle"), get("non-dropping-particle"), get("family")) if n]
    )
    text = " ".join([n for n in (given, family, get("suffix")) if n])
    if not text:
        raise _Ineligible
    return text


_INITIALS: dict[tuple[int, str], str] = {}


def _initialize(check: StyleCheck, given: str) -> str:
    key = (id(check.name_element), given)
    found = _INITIALS.get(key)
    if found is None:
        found = str(check.name_element.initialize(given, check.mark, check.context))
        if len(_INITIALS) > 100_000:
            _INITIALS.clear()
        _INITIALS[key] = found
    return found


#: How many names' texts a renderer keeps (`_names_text`): a file's authors recur.
_MAX_NAMES = 4096


def _names_text(names: list[Any], check: StyleCheck, cache: dict[Any, str | None]) -> list[str]:
    """`_name_text` of each name, kept in `cache` by the name's items (the text depends on
    nothing else: the style's initialising is in `check`, the same for the cache's life)."""
    texts = []
    for name in names:
        try:
            key = tuple(name.items())
            text = cache.get(key, "")  # "": not met yet (`_name_text` never makes "")
        except (AttributeError, TypeError):  # not a dict, or unhashable values: not cached
            texts.append(_name_text(name, check))
            continue
        if text == "":
            try:
                text = _name_text(name, check)
            except _Ineligible:
                text = None
            if len(cache) >= _MAX_NAMES:
                cache.clear()
            cache[key] = text
        if text is None:
            raise _Ineligible
        texts.append(text)
    return texts


def _take_apart(
    item: dict[str, Any],
    check: StyleCheck,
    lists: Callable[[list[str]], str] | None = None,
    names: dict[Any, str | None] | None = None,
) -> _Shape:
    """`item` taken apart; `lists` writes a whole name list (None: a placeholder per name);
    `names` keeps the texts of names met before (`_names_text`)."""
    shape = _Shape()
    slot, out, key = shape.slot, shape.item, shape.key
    keyed, page_keyed = check.keyed, check.page_keyed
    for variable in sorted(item):
        value = item[variable]
        if variable == "id" or variable == "type":
            out[variable] = value
            key.append((variable, value))
        elif variable in keyed or (page_keyed and variable == "page"):
            if type(value) is not str:
                raise _Ineligible
            out[variable] = value
            key.append((variable, value))
        elif variable in _NAME_VARIABLES:
            if type(value) is not list or not value:
                raise _Ineligible
            shown = len(value) if not check.et_al_min else min(len(value), check.et_al_min)
            if names is None:
                texts = [_name_text(name, check) for name in value[:shown]]
            else:
                texts = _names_text(value[:shown], check, names)
            if lists is not None:
                whole = slot(lists(texts))
                if variable in check.labelled and len(value) > 1:
                    shape.pairs.append((whole, slot("")))  # the label is plural
                    out[variable] = [{"literal": s} for s in shape.pairs[-1]]
                    key.append((variable, 2))
                else:
                    out[variable] = [{"literal": whole}]
                    key.append((variable, 1))
                continue
            out[variable] = [{"literal": slot(text)} for text in texts]
            key.append((variable, shown))
        elif variable in _DATE_VARIABLES:
            out[variable] = _date(variable, value, shape)
            key.append((variable, _date_key(value, check.dates_only)))
        elif variable == "page":
            pieces = _split_page(_text_value(value))
            plural = Label.RE_MULTIPLE_NUMBERS.search(value) is not None
            slots = "-".join([slot(_text_value(p)) for p in pieces])
            if plural:  # digits around the placeholders make citeproc-py's label plural too
                shape.padded = (slots[0], slots[-1])
                slots = f"0{slots}0"
            out[variable] = slots
            key.append((variable, len(pieces), plural))
        else:
            out[variable] = slot(_text_value(value))
            key.append((variable,))
    return shape


def _date(variable: str, value: Any, shape: _Shape) -> dict[str, Any]:
    if type(value) is not dict or not set(value) <= {"date-parts", "literal", "season", "circa"}:
        raise _Ineligible
    out = {k: v for k, v in value.items() if k in ("season", "circa")}
    if "date-parts" in value:
        parts = value["date-parts"]
        if "literal" in value or type(parts) is not list or len(parts) != 1:
            raise _Ineligible
        if type(parts[0]) is not list or not 1 <= len(parts[0]) <= 3:
            raise _Ineligible
        if not all(type(p) is int for p in parts[0]) or not 1 <= parts[0][0] <= 999_999:
            raise _Ineligible
        if len(parts[0]) > 1 and not 1 <= parts[0][1] <= 12:
            raise _Ineligible
        frozen = tuple((k, v) for k, v in sorted(value.items()) if k != "date-parts")
        out["literal"] = shape.slot(_Date(variable, (("date-parts", (tuple(parts[0]),)), *frozen)))
    elif "literal" in value:
        out["literal"] = shape.slot(_text_value(value["literal"]))
    else:
        raise _Ineligible
    return out


def _date_key(value: dict[str, Any], recorded: bool) -> tuple[Any, ...]:
    """What of a date is part of the shape. How many parts it has is not when the template's
    `cs:date` is recorded (`_Recorder`): the template holds a literal placeholder whatever
    the date, and no CSL condition looks at date parts. The probe needs it (a year-only probe
    cannot tell `date-parts="year-month"` from `"year-month-day"`)."""
    parts = value.get("date-parts")
    return (
        len(parts[0]) if parts and not recorded else 0,
        "literal" in value,
        value.get("season"),
        value.get("circa"),
    )


@dataclass(frozen=True, slots=True)
class _Template:
    """citeproc-py's entry for a shape: literal pieces, each followed by a slot (-1 ends it),
    and the `cs:date` that renders each date slot."""

    pieces: tuple[tuple[str, int], ...]
    dates: dict[int, Any]


def _split(raw: str) -> tuple[tuple[str, int], ...]:
    pieces: list[tuple[str, int]] = []
    start = 0
    for match in _PRIVATE.finditer(raw):
        pieces.append((raw[start : match.start()], ord(match.group()) - _FIRST_SLOT))
        start = match.end()
    pieces.append((raw[start:], -1))
    return tuple(pieces)


class _Recorder:
    """While citeproc-py renders a template: which `cs:date` of the style rendered which
    date variable (`citeproc.model.Date.process` is wrapped for that render only).

    Every text of a date variable comes from a `cs:date` when the style has no other element
    naming one (`StyleCheck.dates_only`). So when a date's placeholder is in the entry as many
    times as a `cs:date` rendered that variable, and that was always the same element, no
    rendered date was dropped and that element wrote every one in the entry. Anything else
    (a render in another thread meanwhile included) makes the record uncertain: the shape then
    takes the CSL path.
    """

    def __init__(self, check: StyleCheck) -> None:
        self.candidates = {id(e): e for found in check.dates.values() for e in found}
        self.rendered: list[tuple[Any, str]] = []

    def __enter__(self) -> _Recorder:
        original = _DATE_PROCESS
        candidates, rendered = self.candidates, self.rendered

        def process(element: Any, item: Any, variable: Any = None, *args: Any, **kw: Any) -> Any:
            out = original(element, item, variable, *args, **kw)
            if out is not None and id(element) in candidates:
                rendered.append((element, variable or element.get("variable")))
            return out

        CiteprocDate.process = process
        return self

    def __exit__(self, *exc: object) -> None:
        CiteprocDate.process = _DATE_PROCESS

    def elements(self, raw: str, dates: dict[int, _Date]) -> dict[int, Any] | None:
        """Slot -> its `cs:date`, or None when the record does not make that certain."""
        out: dict[int, Any] = {}
        for slot, value in dates.items():
            used = [e for e, variable in self.rendered if variable == value.variable]
            if not used or len({id(e) for e in used}) != 1:
                return None
            if raw.count(chr(_FIRST_SLOT + slot)) != len(used):
                return None
            out[slot] = used[0]
        return out


class FastRenderer:
    """Templates of one style and target; `render` is `render.render_item`'s fast stand-in."""

    def __init__(self, style: CitationStylesStyle, target: Target) -> None:
        self.style = style
        self.target = target
        self.check = check_style(style)
        self._templates: dict[tuple[Any, ...], _Template | None] = {}
        self._date_texts: dict[tuple[int, _Date], str | None] = {}
        #: Shape without its name counts -> the cs:date of each date variable shown. CSL
        #: conditions test types, presence and values (all in the shape), never name counts.
        self._date_elements: dict[tuple[Any, ...], dict[str, Any]] = {}
        #: Number of names -> citeproc-py's list of that many placeholder names, split.
        self._lists: dict[int, tuple[tuple[str, int], ...]] = {}
        self._list_templates: dict[int, _Template] = {}
        #: A name's items -> its text (None: the name makes the reference ineligible).
        self._names: dict[Any, str | None] = {}
        self._write_list = self._list_text if self._uniform_lists() else None

    def _uniform_lists(self) -> bool:
        """Whether name lists can be taken whole: every `cs:name` of the style writes every
        list the same (tried for each length up to `et-al-min`: longer lists are cut to the
        same first names), so the text of a list does not depend on where it is."""
        check = self.check
        if not check.usable or not check.names or check.et_al_min < 1:
            return False
        try:
            return all(
                len({self._list(element, count) for element in check.names}) == 1
                for count in range(1, check.et_al_min + 1)
            )
        except Exception:  # citeproc-py's failure on a style we do not handle
            return False

    def _list(self, element: Any, count: int) -> str:
        """citeproc-py's `Name.process` of `count` placeholder names (slots 0, 1, ...)."""
        self.style.root.formatter = self.target.formatter
        people = [Name(literal=chr(_FIRST_SLOT + n)) for n in range(count)]
        item = SimpleNamespace(reference={"author": people})
        return str(element.process(item, "author", context=self.check.context))

    def _list_text(self, texts: list[str]) -> str:
        """The names as the style writes the list (shown names only: `et-al-min` applies)."""
        text = self._fill(self._list_template(len(texts)), texts)
        if not text:
            raise _Ineligible
        return text

    def render(self, item: dict[str, Any]) -> str | None:
        """citeproc-py's raw entry for the prepared `item`, or None: take the CSL path."""
        if not self.check.usable:
            return None
        try:
            shape = _take_apart(item, self.check, self._write_list, self._names)
        except _Ineligible:
            return None
        key = tuple(shape.key)
        templates = self._templates
        if key in templates:
            template = templates[key]
        else:
            if len(templates) >= _MAX_TEMPLATES:
                templates.clear()
            template = templates[key] = self._template(shape, key)
        if template is None:
            return None
        return self._fill(template, shape.values)

    def _template(self, shape: _Shape, key: tuple[Any, ...]) -> _Template | None:
        """Render the placeholder item with citeproc-py; None when it fails or warns.

        A date slot's `cs:date` is the one citeproc-py rendered it with (`_Recorder`), or,
        for a style where that cannot be known, found by rendering the item once more with
        each date as a real probe date and matching that entry against each candidate's text.
        """
        recorder = _Recorder(self.check) if self.check.dates_only else None
        raw = self._citeproc(shape.item, shape, recorder)
        if raw is None:
            return None
        pieces = _split(raw)
        shown = {slot for _, slot in pieces}
        dates = {n: v for n, v in enumerate(shape.values) if isinstance(v, _Date) and n in shown}
        if not dates:
            return _Template(pieces, {})
        if recorder is not None:  # the shape does not say how many parts a date has (so no
            elements = recorder.elements(raw, dates)  # probe): certain, or the CSL path
            return _Template(pieces, elements) if elements is not None else None
        countless = tuple(k for k in key if k[0] not in _NAME_VARIABLES)
        known = self._date_elements.get(countless)
        if known is not None and all(v.variable in known for v in dates.values()):
            return _Template(pieces, {n: known[v.variable] for n, v in dates.items()})
        probe_item = dict(shape.item)
        for value in dates.values():
            probe_item[value.variable] = value.probe()
        probe = self._citeproc(probe_item, shape)
        if probe is None:
            return None
        options = [self.check.dates.get(value.variable, ()) for value in dates.values()]
        for chosen in itertools.product(*options):
            elements = dict(zip(dates, chosen, strict=True))
            probes: list[str | _Date] = [chr(_FIRST_SLOT + n) for n in range(len(shape.values))]
            for n, value in dates.items():
                probes[n] = _Date(value.variable, tuple(value.probe().items()))
            if self._fill(_Template(pieces, elements), probes) == probe:
                self._date_elements[countless] = {
                    dates[n].variable: element for n, element in elements.items()
                }
                return _Template(pieces, elements)
        return None

    def _citeproc(
        self, item: dict[str, Any], shape: _Shape, recorder: _Recorder | None = None
    ) -> str | None:
        try:
            if recorder is None:
                raw, caught = render_item(item, self.target, self.style)
            else:
                with recorder:
                    raw, caught = render_item(item, self.target, self.style)
        except RenderError:
            return None
        if caught:
            return None
        if shape.padded is not None:
            first, last = shape.padded
            raw = raw.replace(f"0{first}", first).replace(f"{last}0", last)
        for first, second in shape.pairs:  # the list of two names stands for any list
            pair = "".join(
                text + (first if slot == 0 else second if slot == 1 else "")
                for text, slot in self._lists_of(2)
            )
            if not raw.count(first) == raw.count(second) == raw.count(pair):
                return None
            raw = raw.replace(pair, first)
        return raw

    def _list_template(self, count: int) -> _Template:
        found = self._list_templates.get(count)
        if found is None:
            found = self._list_templates[count] = _Template(self._lists_of(count), {})
        return found

    def _lists_of(self, count: int) -> tuple[tuple[str, int], ...]:
        pieces = self._lists.get(count)
        if pieces is None:
            pieces = self._lists[count] = _split(self._list(self.check.names[0], count))
        return pieces

    def _date_text(self, element: Any, value: _Date) -> str | None:
        """The date's text as `element` (a `cs:date` with a form) makes it, affixes aside.

        citeproc-py writes a year from 1000 on as its digits (`Date_Part.process`, a year
        without a form: `StyleCheck`) and nothing else in the date depends on the year, so
        the text is made once per month, day and season with year 7340000, whose digits
        are then replaced (when they are there exactly once)."""
        key = (id(element), value)
        if key in self._date_texts:
            return self._date_texts[key]
        (name, dates), *rest = value.value  # `_date` puts the date-parts first
        parts = dates[0]
        text: str | None = None
        if name == "date-parts" and len(dates) == 1 and 1000 <= parts[0] != _YEAR_BASE:
            general = _Date(value.variable, ((name, ((_YEAR_BASE, *parts[1:]),)), *rest))
            text = self._date_text(element, general)
            marker = str(_YEAR_BASE)
            text = text.replace(marker, str(parts[0])) if text and text.count(marker) == 1 else None
        if text is None:
            text = self._render_date(element, value)
        if len(self._date_texts) > 100_000:
            self._date_texts.clear()
        self._date_texts[key] = text
        return text

    def _render_date(self, element: Any, value: _Date) -> str | None:
        """citeproc-py's `render_single_date` of the date by `element`'s localized date."""
        text: str | None = None
        try:
            self.style.root.formatter = self.target.formatter
            localized = element.get_date(element.get("form"))
            parts = element.get("date-parts")
            show = parts.split("-") if parts else ["year", "month", "day"]
            date = CiteProcJSON.parse_date(None, dict(value.value))
            rendered = localized.render_single_date(date, show, context=element)
            text = str(rendered) if rendered is not None else None
            if text is not None:
                text = _text_value(text)
        except Exception:  # citeproc-py's failure on this date, or a value we do not handle
            text = None
        return text

    def _fill(self, template: _Template, values: Sequence[str | _Date]) -> str | None:
        """The template with the data in it; None when a seam would differ.

        A literal piece (`text`) and a data value meet at a seam citeproc-py would have
        looked at; two data values meeting with nothing between (`text` empty) are left to
        the CSL path."""
        out: list[str] = []
        append = out.append
        previous = ""  # the last character written
        after_data = False  # it ends a data value
        count = len(values)
        for text, slot in template.pieces:
            if text:
                if text[0] == previous and previous in _SEAM:
                    return None  # data ended with the character the style puts next
                append(text)
                previous = text[-1]
                after_data = False
            elif after_data and slot >= 0 and previous in _SEAM:
                return None  # two data values meet: keep it simple, use the CSL path
            if slot < 0:
                break
            if slot >= count:
                return None
            data = values[slot]
            if isinstance(data, str):
                value = data
            else:
                element = template.dates.get(slot)
                found = self._date_text(element, data) if element is not None else None
                if found is None:
                    return None
                value = found
            first = value[0]
            if first == previous and first in _SEAM:
                return None  # data starts with the character the style put before it
            append(value)
            previous = value[-1]
            after_data = True
        return "".join(out)


_RENDERERS: dict[tuple[int, str], FastRenderer] = {}


def renderer(style: CitationStylesStyle, target: Target) -> FastRenderer:
    """The fast renderer of a (parsed, cached) style and a target, made once per process."""
    key = (id(style), target.name)
    found = _RENDERERS.get(key)
    if found is None or found.style is not style:
        found = _RENDERERS[key] = FastRenderer(style, target)
    return found


RenderFunction = Callable[[dict[str, Any]], str | None]
