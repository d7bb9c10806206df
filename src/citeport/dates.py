"""Date strings to `Date`: ISO dates and their partial forms, the way exports write them."""

from __future__ import annotations

import re

from .model import Date

_ISO = re.compile(r"^\s*(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?(?:[T ][\d:.+\-Z]*)?\s*$")


def parse_iso(value: str) -> Date | None:
    """Parse "2026", "2026-03", "2026-03-01" (also with "/" or a time part).

    Returns None when the string is not such a date; month 0 or day 0 count as absent.
    """
    match = _ISO.match(value)
    if not match:
        return None
    year, month, day = match.groups()
    parts = [int(year)]
    if month and 1 <= int(month) <= 12:
        parts.append(int(month))
        if day and 1 <= int(day) <= 31:
            parts.append(int(day))
    elif month and int(month) != 0:
        return None
    return Date(parts=(tuple(parts),))
