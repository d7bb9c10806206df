"""Citation keys: stable, readable, unique within one output (`gribonval2026rapture`).

The key is the first author's family name, the year and the first significant word of the
title, folded to ASCII and lower case (Better BibTeX's default shape). A key from the input is
kept when it is a valid BibTeX key. Collisions get a letter suffix: `...rapture`,
`...rapturea`, `...raptureb`. The same records in the same order always get the same keys, so
BibTeX, CSL-JSON and `\\bibitem` keys written in one run agree.

Uniqueness needs the set of keys already given out: that set is the one thing that grows with
the input, kept as 64-bit digests in a `DigestSet` (8-9 bytes a record).
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from bisect import bisect_left
from collections import OrderedDict
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


@lru_cache(maxsize=4096)
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


#: Ints a run holds on average before the runs split (a run is then 4 KiB, an insert a
#: 2 KiB `memmove`, a lookup a 9-step `bisect`).
_RUN = 512
_EMPTY: array[int] = array("Q")
#: Colliding bases whose suffix search `CitationKeys` can resume (others restart at `a`).
_HINTS = 4096


class DigestSet:
    """A set of 64-bit ints (digests) kept as sorted `array('Q')` runs: 8-9 bytes an int.

    The runs split the 64-bit range into equal slices by the top bits (run `k` holds the ints
    whose top bits are `k`), each run sorted. A lookup is a `bisect` in one run, in C; an add
    inserts in place (a `memmove` of about `_RUN` / 2 ints). When the runs hold `_RUN` ints each
    on average, every run is split in two, one at a time, so the table never holds two copies
    of its contents: it grows by a few hundred bytes at a time, with no doubling step. A Python
    `set` of ints takes about 70 bytes an int; an open-addressing table 16-27 (and twice that
    while it doubles). The ints should be digests (uniform bits), so the runs stay even.
    """

    __slots__ = ("_count", "_limit", "_runs", "_shift")

    def __init__(self) -> None:
        self._runs = [array("Q")]
        self._shift = 64  # run of `value`: value >> shift
        self._limit = _RUN
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def __contains__(self, value: int) -> bool:
        run = self._runs[value >> self._shift]
        i = bisect_left(run, value)
        return i < len(run) and run[i] == value

    def add(self, value: int) -> bool:
        """Add `value` (0 <= value < 2**64); returns False when it was there already."""
        run = self._runs[value >> self._shift]
        i = bisect_left(run, value)
        if i < len(run) and run[i] == value:
            return False
        run.insert(i, value)
        self._count += 1
        if self._count > self._limit:
            self._split()
        return True

    def _split(self) -> None:
        """Split every run in two at the middle of its slice of the range."""
        old = self._runs
        shift = self._shift - 1
        runs: list[array[int]] = []
        for k in range(len(old)):
            run, old[k] = old[k], _EMPTY  # freed once split: one run copied at a time
            i = bisect_left(run, ((2 * k + 1) << shift))
            runs += (run[:i], run[i:])
        self._runs, self._shift, self._limit = runs, shift, 2 * self._limit


class CitationKeys:
    """Hands out unique citation keys, in order, for one output.

    Keys are unique ignoring case, as BibTeX and biber compare them: `Smith2020` and
    `smith2020` would be one entry to them. The keys given out are remembered as 64-bit
    digests of their case-folded spelling in a `DigestSet` (8-9 bytes a key rather than
    150); two keys sharing a digest (odds of 1 in 10^19 a pair) would only give the second a
    suffix.

    A suffix search starts where the last one for the same base stopped (`_next`, the
    `_HINTS` bases that collided most recently); a base no longer there is searched from `a`.
    That gives the same key: every suffix the earlier searches passed over was taken, and
    stays taken. So the hints are bounded (a dict of every colliding base would grow with the
    input) without changing a key.
    """

    __slots__ = ("_next", "_used")

    def __init__(self) -> None:
        self._used = DigestSet()
        self._next: OrderedDict[str, int] = OrderedDict()  # base -> its next suffix, LRU order

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
            hints = self._next
            n = hints.pop(base, 0)  # resume where this base's suffixes stopped
            while True:
                key = base + _suffix(n)
                n += 1
                if add(_digest(key)):
                    break
            hints[base] = n  # now the most recent
            if len(hints) > _HINTS:
                hints.popitem(last=False)
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
