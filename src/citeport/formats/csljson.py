"""CSL-JSON (writer), valid against the CSL-JSON schema 1.0.2 (`csl-data.json`).

The mapping is derived from the model: each `Reference` field is written under its CSL variable
name (`model.CSL_VARIABLES`), names and dates in CSL's shapes, rich text in CSL's HTML subset.
`id` is the citation key (what pandoc and Zotero cite by) and `citation-key` repeats it;
the reader's own id and the fields with no CSL variable (`extra`) go under `custom`.

The output is one JSON array written item by item, so it streams; keys come in a fixed order.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO, Any

import orjson

from ..diagnostics import DiagnosticLog
from ..keys import CitationKeys
from ..markup import csl
from ..model import CSL_VARIABLES, Date, Name, Reference
from ..options import WriteOptions
from ..registry import FormatInfo

_NAME_FIELDS = (
    ("family", "family"),
    ("given", "given"),
    ("dropping_particle", "dropping-particle"),
    ("non_dropping_particle", "non-dropping-particle"),
    ("suffix", "suffix"),
    ("literal", "literal"),
)


def write(
    refs: Iterable[Reference], out: IO[str], log: DiagnosticLog, options: WriteOptions
) -> int:
    """Write the references as a CSL-JSON array; returns the number written."""
    keys = CitationKeys()
    count = 0
    out.write("[")
    for ref in refs:
        out.write(",\n  " if count else "\n  ")
        item = to_csl(ref, keys.assign(ref))
        out.write(orjson.dumps(item, option=orjson.OPT_INDENT_2).decode().replace("\n", "\n  "))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count


def to_csl(ref: Reference, key: str, render_rich: Any = csl.render) -> dict[str, Any]:
    """The CSL-JSON item for `ref` with id `key`.

    `render_rich` turns rich text into a string (CSL's HTML subset by default; the IEEE writers
    pass their own).
    """
    item: dict[str, Any] = {"id": key, "type": ref.type}
    for field_name, variable in CSL_VARIABLES.items():
        value = getattr(ref, field_name)
        if not value:
            continue
        if field_name == "citation_key":
            continue
        if isinstance(value, Date):
            item[variable] = date(value)
        elif isinstance(value, tuple) and value and isinstance(value[0], Name):
            item[variable] = [name(n) for n in value]
        elif field_name in ("title", "container_title", "abstract"):
            item[variable] = render_rich(value)
        elif field_name == "keyword":
            item[variable] = ", ".join(value)
        else:
            item[variable] = value
    item["citation-key"] = key
    custom: dict[str, Any] = {}
    if ref.id != key:
        custom["source-id"] = ref.id
    for fields in ref.extra.values():
        custom.update(fields)
    if custom:
        item["custom"] = custom
    return item


def name(value: Name) -> dict[str, str]:
    """A CSL name object."""
    return {key: getattr(value, attr) for attr, key in _NAME_FIELDS if getattr(value, attr)}


def date(value: Date) -> dict[str, Any]:
    """A CSL date object: date-parts, or literal when the date could not be parsed."""
    out: dict[str, Any] = {}
    if value.parts:
        out["date-parts"] = [list(p) for p in value.parts]
    if value.season:
        out["season"] = value.season
    if value.circa:
        out["circa"] = True
    if value.literal:
        out["literal"] = value.literal
    return out


FORMATS = (
    FormatInfo(
        "csljson",
        "CSL-JSON (Zotero, pandoc, citation-js)",
        writer=write,
        extensions=(".json",),
        aliases=("csl-json", "csl"),
    ),
)
