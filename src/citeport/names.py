"""Personal names: parsing "Given [Middle] [particle] Family [Suffix]" and making initials.

The aggregator writes each author as one string in reading order ("Quoc-Tung Le",
"Vincent van der Berg", "Martin Luther King Jr."). A name with a comma is read the other way
round ("Le, Quoc-Tung"). Particles are recognised only in lower case, so "Cecil De Mille" keeps
"De" in the given part rather than guessing.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .model import Name

PARTICLES = frozenset(
    """
    van von de der den del della dei degli di da das do dos du des la le ten ter zu zum
    zur af av d' l' dal st.
    """.split()
)
SUFFIXES = frozenset(("jr", "jr.", "sr", "sr.", "ii", "iii", "iv"))


@lru_cache(maxsize=65536)
def parse_name(raw: str) -> Name | None:
    """Parse one personal name; None for an empty string.

    Cached: author names repeat a great deal across a library.
    """
    value = " ".join(raw.split())
    if not value:
        return None
    if "," in value:
        return _parse_inverted(value)
    tokens = value.split(" ")
    suffix = ""
    if len(tokens) > 1 and tokens[-1].lower() in SUFFIXES:
        suffix = tokens.pop()
        if tokens[-1].endswith(","):
            tokens[-1] = tokens[-1][:-1]
    if len(tokens) == 1:
        return Name(family=tokens[0], suffix=suffix)
    # The particle run starts at the first lower-case particle after the first given token.
    start = next(
        (i for i in range(1, len(tokens) - 1) if tokens[i] in PARTICLES),
        len(tokens) - 1,
    )
    end = start
    while end < len(tokens) - 1 and tokens[end] in PARTICLES:
        end += 1
    return Name(
        given=" ".join(tokens[:start]),
        non_dropping_particle=" ".join(tokens[start:end]),
        family=" ".join(tokens[end:]),
        suffix=suffix,
    )


def _parse_inverted(value: str) -> Name:
    parts = [p.strip() for p in value.split(",")]
    family_part = parts[0]
    suffix = ""
    given = ""
    if len(parts) >= 3:
        suffix, given = parts[1], ", ".join(parts[2:])
    elif len(parts) == 2:
        if parts[1].lower() in SUFFIXES:
            suffix = parts[1]
        else:
            given = parts[1]
    words = family_part.split(" ")
    i = 0
    while i < len(words) - 1 and words[i] in PARTICLES:
        i += 1
    return Name(
        family=" ".join(words[i:]),
        given=given,
        non_dropping_particle=" ".join(words[:i]),
        suffix=suffix,
    )


_INITIAL_SPLIT = re.compile(r"([\s.\-‐]+)")


@lru_cache(maxsize=65536)
def initials(given: str) -> str:
    """IEEE initials of a given name: "Quoc-Tung" -> "Q.-T.", "Michael W." -> "M. W.".

    Hyphens are kept with the initial after them upper-cased ("Xiao-ming" -> "X.-M.").
    """
    out: list[str] = []
    for token in _INITIAL_SPLIT.split(given):
        if not token:
            continue
        if token.strip(" .") == "":
            continue
        if "-" in token or "‐" in token:
            out.append("-")
            continue
        out.append(("" if not out or out[-1] == "-" else " ") + token[0].upper() + ".")
    return "".join(out).strip()
