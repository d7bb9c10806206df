"""Citation keys: stable, readable, unique within one output (`gribonval2026rapture`).

The key is the first author's family name, the year and the first significant word of the
title, folded to ASCII and lower case (Better BibTeX's default shape). A key from the input is
kept when it is a valid BibTeX key. Collisions get a letter suffix: `...rapture`,
`...rapturea`, `...raptureb`. The same records in the same order always get the same keys, so
BibTeX, CSL-JSON and `\\bibitem` keys written in one run agree.

Uniqueness needs the set of keys already given out: that set is the one thing that grows with
the input, kept as 64-bit digests in a `DigestSet` (13-27 bytes a record).
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from functools import lru_cache
from hashlib import blake2b
from typing import Any

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
    """The key before collision suffixes.

    The last reference's key is remembered: a writer asks for it while rendering a reference
    (`preferred_key`) and `records` asks again for the same reference right after.
    """
    global _last
    last_ref, last_key = _last
    if ref is last_ref:
        return last_key
    key = _base_key(ref)
    _last = (ref, key)
    return key


#: The reference `base_key` last saw (held, so `is` cannot match another) and its key.
_last: tuple[Any, str] = (None, "")


def _base_key(ref: Reference) -> str:
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


def preferred_key(ref: Reference) -> str:
    """The key `CitationKeys.assign` gives `ref` unless an earlier reference took it: its own
    key when valid, else the generated one."""
    given = ref.citation_key
    return given if given and _VALID_KEY.match(given) else base_key(ref)


_ZERO = (0,)


class DigestSet:
    """A set of nonzero 64-bit ints in one `array('Q')`: open addressing, linear probing.

    8 bytes a slot, at most 60% full (the table doubles then): 13-27 bytes an int, where a
    Python `set` of ints takes about 70. Ints are spread over the slots by their low bits, so
    they should be digests (uniform bits). 0 marks an empty slot; `add` stores 0 as 1.
    """

    __slots__ = ("_count", "_limit", "_mask", "_slots")

    def __init__(self, capacity: int = 1024) -> None:
        size = 8
        while size * 3 < capacity * 5:
            size *= 2
        self._slots = array("Q", _ZERO) * size
        self._mask = size - 1
        self._limit = size * 3 // 5
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def _slot(self, value: int) -> int:
        """The index of `value`'s slot: where it is, or the empty slot where it would go."""
        slots, mask = self._slots, self._mask
        i = value & mask
        while True:
            found = slots[i]
            if found == value or not found:
                return i
            i = (i + 1) & mask

    def __contains__(self, value: int) -> bool:
        value = value or 1
        return self._slots[self._slot(value)] == value

    def add(self, value: int) -> bool:
        """Add `value`; returns False when it was there already."""
        value = value or 1
        i = self._slot(value)
        slots = self._slots
        if slots[i] == value:
            return False
        slots[i] = value
        self._count += 1
        if self._count > self._limit:
            self._grow()
        return True

    def _grow(self) -> None:
        old = self._slots
        size = 2 * len(old)
        slots = array("Q", _ZERO) * size
        mask = size - 1
        for value in old:
            if value:
                i = value & mask
                while slots[i]:
                    i = (i + 1) & mask
                slots[i] = value
        self._slots, self._mask, self._limit = slots, mask, size * 3 // 5


class CitationKeys:
    """Hands out unique citation keys, in order, for one output.

    Keys are unique ignoring case, as BibTeX and biber compare them: `Smith2020` and
    `smith2020` would be one entry to them. The keys given out are remembered as 64-bit
    digests of their case-folded spelling in a `DigestSet` (13-27 bytes a key rather than
    150); two keys sharing a digest (odds of 1 in 10^19 a pair) would only give the second a
    suffix.
    """

    __slots__ = ("_next", "_used")

    def __init__(self) -> None:
        self._used = DigestSet()
        self._next: dict[str, int] = {}

    def assign(self, ref: Reference) -> str:
        """The key for `ref`: its own key when valid and free, else a generated one."""
        return self.assign_parts(ref.citation_key, base_key(ref))

    def assign_parts(self, given: str, base: str) -> str:
        """The key for a reference whose own key is `given` and generated key `base`."""
        add = self._used.add
        if given and _VALID_KEY.match(given) and add(_digest(given)):
            return given
        key = base
        if not add(_digest(key)):
            n = self._next.get(base, 0)  # resume where this base's suffixes stopped
            while True:
                key = base + _suffix(n)
                n += 1
                if add(_digest(key)):
                    break
            self._next[base] = n
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
