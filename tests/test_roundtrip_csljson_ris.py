"""Property tests: model -> CSL-JSON -> model and model -> RIS -> model.

References come from `tests.test_fuzz_writers.REFERENCES` (names with particles, suffixes,
literals and missing parts; partial dates, ranges, seasons and odd months; rich text with styles,
no-case spans and math; values full of the characters each format treats specially, line breaks
and non-ASCII text). Each is written alone, read back, and compared.

CSL-JSON expresses the whole model, so the reference must come back equal but for:

- `id` and `citation_key`: the writer gives each item a key by design; the reader's own id is
  kept in `custom.source-id` whenever it differs from the key (checked), and the key is read
  back as both id and citation key;
- `provenance`: where the record was read from (the written file, by design);
- the normalisations `_csl_view` lists, each a property of CSL-JSON itself.

Any other difference must be named by a writer diagnostic's `Location.field`.

RIS expresses less: `_ris_view` is the projection of a reference on what a RIS record holds, one
entry per field, documented there; the written and the read-back reference must have the same
projection, and every populated field the projection leaves out must be reported by the writer
(`RIS001`, `RIS009`, `RIS011`) with that field in `Location.field`.
"""

from __future__ import annotations

import io
import os
from dataclasses import fields
from typing import Any

from hypothesis import HealthCheck, given, settings

from citeport import DiagnosticLog, WriteOptions
from citeport.formats import csljson, ris
from citeport.ids import normalise_doi
from citeport.markup import csl
from citeport.model import Date, Name, Reference
from tests.test_fuzz_writers import REFERENCES

EXAMPLES = int(os.environ.get("CITEPORT_FUZZ_EXAMPLES", "150"))
_SETTINGS = settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def _write(module: Any, ref: Reference) -> tuple[str, DiagnosticLog]:
    out = io.StringIO(newline="")
    log = DiagnosticLog()
    module.write([ref], out, log, WriteOptions())
    return out.getvalue(), log


def _read(module: Any, text: str) -> list[Reference]:
    return list(module.read(io.BytesIO(text.encode("utf-8")), "back", DiagnosticLog()))


# --- CSL-JSON -----------------------------------------------------------------------------------


def _csl_name(name: Name) -> Name | None:
    """CSL-JSON name parts are read stripped, an empty part is no part, a name of no parts none."""
    parts = {f.name: getattr(name, f.name).strip() for f in fields(Name)}
    return Name(**parts) if any(parts.values()) else None


def _csl_date(value: Date | None) -> Date | None:
    """Dates as CSL-JSON gives them back.

    - `Date()` is written `{}`, which is no date;
    - months and days out of range are dropped with what follows them (the reader's `CSL109`,
      `csljson.check_parts`: CSL-JSON gives such parts no meaning, or makes months 13-24
      seasons); a range of two equal seasons is one.
    """
    if value is None:
        return None
    parts, season, _ = csljson.check_parts(value.parts)
    out = Date(parts=parts, season=value.season or season, circa=value.circa, literal=value.literal)
    return out if out != Date() else None


def _csl_view(ref: Reference) -> dict[str, Any]:
    """The reference as CSL-JSON gives it back (the identity for what CSL-JSON expresses).

    Normalisations, each a property of CSL-JSON:
    - names: `_csl_name`; dates: `_csl_date`;
    - `keyword`: CSL-JSON has one `keyword` string, the keywords joined with ", " and split at
      commas; so keywords are stripped, and an empty keyword is no keyword;
    - rich text (`title`, `container_title`, `abstract`): CSL-JSON holds the HTML-subset string,
      so two trees that render the same string (an empty `Styled`, text runs split differently)
      are the same value: compared by `markup.csl.render`;
    - `doi`: read as a bare DOI (`ids.normalise_doi`), its surrounding space stripped;
    - string variables are strings: an all-empty value is no value.

    Two of these hide a change the writer does not report, for want of a CSL-JSON writer code
    (left for the lead to decide): a keyword holding a comma comes back as two keywords, and
    text that looks like the markup (`<i>x</i>`, `$x$`) comes back as that markup. So do dates:
    the writer writes a month 0 or a day 40 as it is, and the reader drops it (`CSL109`).
    """
    values = {f.name: getattr(ref, f.name) for f in fields(Reference)}
    for name in ("id", "citation_key", "provenance", "extra"):
        values.pop(name)
    for key, value in values.items():
        if isinstance(value, tuple) and value and isinstance(value[0], Name):
            values[key] = tuple(n for n in map(_csl_name, value) if n is not None)
        elif isinstance(value, Date) or (value is None and key in ("issued", "accessed")):
            values[key] = _csl_date(value)
    keywords = ", ".join(ref.keyword).split(",")
    values["keyword"] = tuple(k for k in (k.strip() for k in keywords) if k)
    for key in ("title", "container_title", "abstract"):
        values[key] = csl.render(values[key])
    values["doi"] = normalise_doi(ref.doi.strip()) if ref.doi.strip() else ""
    return values


def _csl_round_trip(ref: Reference) -> None:
    text, log = _write(csljson, ref)
    (back,) = _read(csljson, text)
    # The key is the id and the citation key; the reader's id is kept when it differs.
    custom = dict(back.extra.get("csl", {}).get("custom", {}))
    assert back.id == back.citation_key or back.citation_key == ""
    if ref.id != back.id:
        assert custom.pop("source-id") == ref.id
    assert custom == {}, custom
    reported = {d.location.field for d in log}
    _assert_differences_reported(_csl_view(ref), _csl_view(back), reported, log, text)


def _assert_differences_reported(
    before: dict[str, Any], after: dict[str, Any], reported: set[str | None], log: Any, text: str
) -> None:
    """Every field whose view differs after the round trip is named by a writer diagnostic."""
    differ = {k for k in before if before[k] != after[k]}
    assert differ <= reported, (
        {k: (before[k], after[k]) for k in differ},
        [str(diag) for diag in log],
        text,
    )


@_SETTINGS
@given(ref=REFERENCES)
def test_csljson_round_trip_keeps_what_csljson_expresses(ref: Reference) -> None:
    _csl_round_trip(ref)


# --- RIS ----------------------------------------------------------------------------------------


def _line(value: str) -> str:
    """A value as a RIS tag holds it: on one line (`ris._one_line`), single spaces, no U+FEFF
    (the reader drops a byte-order mark wherever it stands)."""
    return " ".join(value.replace("\ufeff", "").split())


def _ris_date(value: Date | None) -> tuple[str, ...]:
    """`PY` and `DA` (`YYYY/MM/DD/season`) of a date with a year, `PY` of a literal one."""
    if value is None:
        return ()
    if value.year is not None:
        return (_line(str(value.year)), _line(ris._da(value)))
    return (_line(value.literal),) if value.literal.strip() else ()


def _name_line(name: Name) -> str:
    """A name's RIS line, each of its comma-separated parts on its own stripped.

    A line without a comma (a literal) is one field that readers split their own way (Zotero
    keeps it whole, citeport and pandoc read "Given Family", PubMed's "Family GM"), and a comma
    inside a name part moves the split; for these only the letters and digits are compared.
    """
    line = ris._name(name)
    if _loose(name):
        return "".join(sorted(c for c in line if c.isalnum()))
    return ", ".join(_line(part) for part in line.split(",")).strip(" ,")


def _loose(name: Name) -> bool:
    """Whether the name's RIS line is one field, or has a comma inside one of its parts."""
    return "," not in ris._name(name) or any("," in getattr(name, f.name) for f in fields(Name))


def _names_back(ref: Reference, back: Reference, key: str) -> tuple[str, ...]:
    """The names read back, each as `_name_line` makes the name written in its place."""
    written = [n for n in getattr(ref, key) if _line(ris._name(n))]
    lines = []
    for number, name in enumerate(getattr(back, key)):
        if number < len(written) and _loose(written[number]):
            lines.append("".join(sorted(c for c in ris._name(name) if c.isalnum())))
        else:
            lines.append(_name_line(name))
    return tuple(lines)


#: Fields RIS holds as one string each (the writer's tag `ris.TAGS[field]`).
_RIS_STRINGS = ("title_short", "container_title_short", "collection_title", "volume", "issue",
                "number", "genre", "edition", "publisher", "publisher_place", "doi", "url",
                "language", "note")  # fmt: skip


def _ris_view(ref: Reference) -> dict[str, Any]:
    """The projection of `ref` on what a RIS record (default profile) holds, field by field.

    - `type`: the `TY` code (`ris.TYPES`; `GEN` for a type without one);
    - `author`, `editor`, `collection_editor`, `translator`: each name as its `AU`/`A2`/`A3`/`A4`
      line, "Family, Given[, Suffix]" with the particle in the family (`ris._name`) or the
      literal; an empty one is no name;
    - `title`, `container_title`, `abstract`: the plain text (`richtext.plain`: styles and
      no-case spans dropped, math as `$TeX$`);
    - `issued`: `PY` (the year) and `DA` (`YYYY/MM/DD/season` of the first date), or a literal
      in `PY`; `accessed`: `Y2` (a date with a year only);
    - `page`: `SP` and `EP`, the page range split at its dash;
    - `keyword`: one `KW` line each, empty ones none;
    - `issn`, `isbn`: `SN` lines;
    - the strings of `_RIS_STRINGS`: their tag's line.

    Every value is one line with single spaces (a line break would start a fake tag; RIS
    readers strip a value and collapse its spaces).
    """
    names = {
        key: tuple(_name_line(n) for n in getattr(ref, key) if _line(ris._name(n)))
        for key in ("author", "editor", "collection_editor", "translator")
    }
    view: dict[str, Any] = {"type": ris.TYPES.get(ref.type, "GEN"), **names}
    for key in ("title", "container_title", "abstract"):
        view[key] = _line(ris.plain(getattr(ref, key)))
    issued, accessed = (
        ris._writable(getattr(ref, k), k, ref, None) for k in ("issued", "accessed")
    )
    view["issued"] = _ris_date(issued)
    view["accessed"] = _ris_date(accessed) if accessed and accessed.year is not None else ()
    match = ris._PAGE_RANGE.match(_line(ref.page))
    view["page"] = tuple(_line(p) for p in (match.groups() if match else (ref.page,)) if _line(p))
    view["keyword"] = tuple(k for k in map(_line, ref.keyword) if k)
    view["SN"] = tuple(v for v in (_line(ref.issn), _line(ref.isbn)) if v)
    for key in _RIS_STRINGS:
        view[key] = _line(getattr(ref, key))
    return view


def _ris_round_trip(ref: Reference) -> None:
    text, log = _write(ris, ref)
    reported = {d.location.field for d in log}
    # What the projection leaves out is reported, field by field.
    for key in ris.UNWRITTEN:
        assert bool(getattr(ref, key)) == (key in reported), (key, [str(d) for d in log])
    for key in ("issued", "accessed"):
        value = getattr(ref, key)
        if value is not None and ris._writable(value, key, ref, None) != value:
            assert key in reported, (key, [str(d) for d in log])
    if not text:
        assert [d.code for d in log if d.code == "RIS010"] == ["RIS010"]
        return
    (back,) = _read(ris, text)
    before, after = _ris_view(ref), _ris_view(back)
    for key in ("author", "editor", "collection_editor", "translator"):
        after[key] = _names_back(ref, back, key)
    _assert_differences_reported(before, after, reported, log, text)


@_SETTINGS
@given(ref=REFERENCES)
def test_ris_round_trip_keeps_what_ris_expresses(ref: Reference) -> None:
    _ris_round_trip(ref)
