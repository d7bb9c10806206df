"""RIS (writer): the tags that Zotero, EndNote and Mendeley all import the same way.

| model                 | RIS                                                    |
|-----------------------|--------------------------------------------------------|
| `type`                | `TY` (see `TYPES`; `GEN` otherwise)                    |
| `author`, `editor`    | `AU`, `A2`: one per name, "Family, Given[, Suffix]"    |
| `title`               | `TI` (markup flattened to Unicode; math as `$TeX$`)    |
| `container_title`     | `T2` (full journal name)                               |
| `container_title_short` | `J2`                                                 |
| `issued`              | `PY` (year) and `DA` (`YYYY/MM/DD/`)                   |
| `volume`, `issue`     | `VL`, `IS`                                             |
| `page`                | `SP`, `EP`                                             |
| `doi`, `url`          | `DO`, `UR`                                             |
| `abstract`, `keyword` | `AB`, `KW` (one per keyword)                           |
| `issn`/`isbn`, `publisher`, `publisher_place` | `SN`, `PB`, `CY`               |

Lines end in CRLF, as the RIS specification asks. A value never contains a line break (it would
start a fake tag): line breaks become spaces.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import IO

from ..diagnostics import DiagnosticLog
from ..model import Name, Reference
from ..options import WriteOptions
from ..registry import FormatInfo
from ..richtext import plain

#: CSL type -> RIS type.
TYPES: dict[str, str] = {
    "article-journal": "JOUR",
    "article-magazine": "MGZN",
    "article-newspaper": "NEWS",
    "paper-conference": "CPAPER",
    "book": "BOOK",
    "chapter": "CHAP",
    "thesis": "THES",
    "report": "RPRT",
    "webpage": "ELEC",
    "post-weblog": "BLOG",
    "dataset": "DATA",
    "software": "COMP",
    "patent": "PAT",
    "standard": "STAND",
    "manuscript": "UNPB",
    "bill": "BILL",
    "legal_case": "CASE",
    "map": "MAP",
    "motion_picture": "MPCT",
}
_BREAKS = re.compile(r"\s*[\r\n\u2028\u2029]+\s*")
_PAGE_RANGE = re.compile(r"^([^-–]+?)\s*[-–]+\s*(.+)$")
CRLF = "\r\n"


def write(
    refs: Iterable[Reference], out: IO[str], log: DiagnosticLog, options: WriteOptions
) -> int:
    """Write each reference as one RIS record; returns the number written."""
    count = 0
    for ref in refs:
        if count:
            out.write(CRLF)
        out.write(record(ref))
        count += 1
    return count


def record(ref: Reference) -> str:
    """One RIS record, from `TY` to `ER`, each line ending in CRLF."""
    lines: list[str] = [f"TY  - {TYPES.get(ref.type, 'GEN')}"]

    def tag(name: str, value: str) -> None:
        if value:
            lines.append(f"{name}  - {_one_line(value)}")

    for name in ref.author:
        tag("AU", _name(name))
    for name in ref.editor:
        tag("A2", _name(name))
    tag("TI", plain(ref.title))
    tag("T2", plain(ref.container_title))
    tag("J2", ref.container_title_short)
    date = ref.issued
    if date is not None and date.year is not None:
        tag("PY", str(date.year))
        first = date.parts[0]
        tag("DA", "/".join(f"{p:02d}" if i else str(p) for i, p in enumerate(first)) + "/")
    elif date is not None and date.literal:
        tag("PY", date.literal)
    tag("VL", ref.volume)
    tag("IS", ref.issue)
    if ref.page:
        match = _PAGE_RANGE.match(ref.page)
        if match:
            tag("SP", match.group(1))
            tag("EP", match.group(2))
        else:
            tag("SP", ref.page)
    tag("M1", ref.number)
    tag("ET", ref.edition)
    tag("PB", ref.publisher)
    tag("CY", ref.publisher_place)
    tag("SN", ref.issn or ref.isbn)
    tag("DO", ref.doi)
    tag("UR", ref.url)
    tag("LA", ref.language)
    tag("AB", plain(ref.abstract))
    for keyword in ref.keyword:
        tag("KW", keyword)
    tag("N1", ref.note)
    lines.append("ER  - ")
    return CRLF.join(lines) + CRLF


def _name(name: Name) -> str:
    if name.literal:
        return name.literal
    parts = [name.family_full()]
    if name.given or name.suffix:
        parts.append(name.given)
    if name.suffix:
        parts.append(name.suffix)
    return ", ".join(parts)


def _one_line(value: str) -> str:
    return (
        _BREAKS.sub(" ", value).strip()
        if ("\n" in value or "\r" in value or "\u2028" in value or "\u2029" in value)
        else value.strip()
    )


FORMATS = (
    FormatInfo("ris", "RIS (Zotero, EndNote, Mendeley)", writer=write, extensions=(".ris",)),
)
