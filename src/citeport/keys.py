"""Citation keys: stable, readable, unique within one output (`gribonval2026rapture`).

The key is the first author's family name, the year and the first significant word of the
title, folded to ASCII and lower case (Better BibTeX's default shape). A key from the input is
kept when it is a valid BibTeX key. Collisions get a letter suffix: `...rapture`,
`...rapturea`, `...raptureb`. The same records in the same order always get the same keys, so
BibTeX, CSL-JSON and `\\bibitem` keys written in one run agree.

Uniqueness needs the set of keys already given out: that set is the one thing that grows with
the input (about 70 bytes a record).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from hashlib import blake2b

from .model import Reference
from .richtext import plain

_STOPWORDS = frozenset(
    """
    a an the of on in for and to with at by from is are as or via toward towards into le
    la les de des du der die das ein eine el los
    """.split()
)
_VALID_KEY = re.compile(r"^[^\s\"#%'(),={}~\\]+$")
_NOT_KEY = re.compile(r"[^a-z0-9]+")
_WORDS = re.compile(r"[^\W_]+")


#: Letters Unicode does not decompose into a base letter and a mark.
_UNDECOMPOSED = str.maketrans(
    {"ß": "ss", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ł": "l", "Ł": "L", "æ": "ae",
     "Æ": "AE", "œ": "oe", "Œ": "OE", "þ": "th", "Þ": "Th", "ð": "d", "Ð": "D", "ı": "i"}
)  # fmt: skip


@lru_cache(maxsize=65536)
def fold(value: str) -> str:
    """Lower-case ASCII letters and digits only ("Léon" -> "leon", "Đặng" -> "dang",
    "工程" -> "")."""
    decomposed = unicodedata.normalize("NFKD", value.translate(_UNDECOMPOSED))
    return _NOT_KEY.sub("", decomposed.encode("ascii", "ignore").decode().lower())


def base_key(ref: Reference) -> str:
    """The key before collision suffixes."""
    words = [fold(w) for w in _WORDS.findall(plain(ref.title, math="tex"))]
    significant = [w for w in words if w and w not in _STOPWORDS]
    who = ""
    if ref.author:
        first = ref.author[0]
        who = fold(first.family or first.literal)
    if not who and significant:
        who = significant.pop(0)
    year = str(ref.issued.year) if ref.issued and ref.issued.year else ""
    word = significant[0] if significant else ""
    return (who or "ref") + year + word


class CitationKeys:
    """Hands out unique citation keys, in order, for one output.

    Keys are unique ignoring case, as BibTeX and biber compare them: `Smith2020` and
    `smith2020` would be one entry to them. The keys given out are remembered as 64-bit
    digests of their case-folded spelling (about 60 bytes a key rather than 150); two keys
    sharing a digest (odds of 1 in 10^19 a pair) would only give the second a suffix.
    """

    __slots__ = ("_next", "_used")

    def __init__(self) -> None:
        self._used: set[int] = set()
        self._next: dict[str, int] = {}

    def assign(self, ref: Reference) -> str:
        """The key for `ref`: its own key when valid and free, else a generated one."""
        return self.assign_parts(ref.citation_key, base_key(ref))

    def assign_parts(self, given: str, base: str) -> str:
        """The key for a reference whose own key is `given` and generated key `base`."""
        used = self._used
        if given and _VALID_KEY.match(given):
            digest = _digest(given)
            if digest not in used:
                used.add(digest)
                return given
        key = base
        digest = _digest(key)
        if digest in used:
            n = self._next.get(base, 0)  # resume where this base's suffixes stopped
            while digest in used:
                key = base + _suffix(n)
                digest = _digest(key)
                n += 1
            self._next[base] = n
        used.add(digest)
        return key


def _digest(key: str) -> int:
    """A stable 64-bit digest of the case-folded key (stable across runs, unlike `hash`)."""
    return int.from_bytes(blake2b(key.casefold().encode(), digest_size=8).digest(), "little")


def _suffix(n: int) -> str:
    """a, b, ..., z, aa, ab, ..."""
    letters = ""
    n += 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(97 + rem) + letters
    return letters
