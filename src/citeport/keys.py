"""Citation keys: stable, readable, unique within one output (`gribonval2026rapture`).

The key is the first author's family name, the year and the first significant word of the
title, folded to ASCII and lower case (Better BibTeX's default shape). A key from the input is
kept when it is a valid BibTeX key. Collisions get a letter suffix: `...rapture`,
`...rapturea`, `...raptureb`. The same records in the same order always get the same keys, so
BibTeX, CSL-JSON and `\\bibitem` keys written in one run agree.

Uniqueness needs the set of keys already given out, kept as 64-bit digests in a `DigestSet`
(8-9 bytes a key): in memory up to 131,072 keys (1 MiB), past that in sorted temporary files
behind a fixed 1 MiB filter, so memory stays bounded on any input (the readers use the same
set to report repeated ids and keys).
"""

from __future__ import annotations

import os
import re
import sys
import unicodedata
from array import array
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from functools import lru_cache
from hashlib import blake2b
from typing import IO, Any

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
_SIZE = _EMPTY.itemsize  # bytes an int
#: Colliding bases whose suffix search `CitationKeys` can resume (others restart at `a`).
_HINTS = 4096
#: Digests a `DigestSet` holds in memory (1 MiB) before it moves them to a file on disk.
_SPILL_AT = 1 << 17
#: Digests between two fences of a file on disk: a lookup there reads one such block (4 KiB).
_BLOCK = 512
#: Digests read from each file at a time when two files are merged (64 KiB).
_CHUNK = 8192
#: Bits of the filter in front of the files on disk (1 MiB).
_FILTER_BITS = 1 << 23
#: `_spill_at` once a file could not be written: nothing is moved to disk again.
_NEVER = sys.maxsize


class DigestSet:
    """A set of 64-bit ints (digests) whose memory stays bounded however many it holds.

    Up to `_SPILL_AT` ints (1 MiB) are kept in memory as sorted `array('Q')` runs: 8-9 bytes an
    int. The runs split the 64-bit range into equal slices by the top bits (run `k` holds the
    ints whose top bits are `k`), each run sorted. A lookup is a `bisect` in one run, in C; an
    add inserts in place (a `memmove` of about `_RUN` / 2 ints). When the runs hold `_RUN` ints
    each on average, every run is split in two, one at a time, so the table never holds two
    copies of its contents: it grows by a few hundred bytes at a time, with no doubling step.
    A Python `set` of ints takes about 70 bytes an int; an open-addressing table 16-27 (and
    twice that while it doubles). The ints should be digests (uniform bits), so the runs stay
    even.

    Past `_SPILL_AT` ints the set would grow with the input (8 MiB a million; GBs for an
    aggregator's dump), so the memory's ints, already in order, are written to an anonymous
    temporary file (`tempfile.TemporaryFile`: gone when closed, or when the process dies) as
    one sorted file of native `array('Q')` ints, and the memory starts empty again. The files
    are merged two at a time, streaming, whenever the newest holds as many ints as the one
    before it (a binary counter): there are at most log2(n / `_SPILL_AT`) + 1 files, sizes
    halving, and an int is rewritten at most that many times. (One file merged into at every
    spill would rewrite the whole file each time: quadratic, 3 x 10^11 ints written for 300
    million.) Files are never changed once written, only replaced, so a forked process that
    inherited them reads them safely (reads are `os.pread`, which moves no shared offset).

    What stays in memory past the bound: the in-memory runs (at most `_SPILL_AT` ints), for
    each file a fence index (its first int of every `_BLOCK`: 8 bytes for 512 ints, 16 KiB a
    million), and a Bloom filter of `_FILTER_BITS` bits (1 MiB) over every int on disk. The
    filter takes three bit positions from the int's own bits (bits 0-22, 20-42 and 41-63; the
    ints are digests, so no further hashing), and answers "not on disk" for most new ints
    without reading the disk: 97% of them at a million ints, 72% at 3 million. Only a filter
    hit costs disk reads, one `os.pread` of a 4 KiB block (then a `bisect`) a file. The
    filter's size is fixed, so past about 5 million ints most new ints pass it and read a
    block of each file: slower, never wrong, and the memory stays the same.

    If a file cannot be created or written (a read-only or full temporary directory), the ints
    stay in memory as they would without files (exact, only larger); a failed merge leaves its
    two files as they were.
    """

    __slots__ = (
        "_count",
        "_disk",
        "_filter",
        "_held",
        "_limit",
        "_mask",
        "_runs",
        "_shift",
        "_spill_at",
    )

    def __init__(self) -> None:
        self._runs = [array("Q")]
        self._shift = 64  # run of `value`: value >> shift
        self._limit = _RUN
        self._count = 0  # ints in the set
        self._held = 0  # of them in memory
        self._spill_at = _SPILL_AT if hasattr(os, "pread") else _NEVER
        self._disk: list[_SortedFile] = []  # oldest (largest) first
        self._filter = bytearray()  # made at the first spill
        self._mask = _FILTER_BITS - 1

    def __len__(self) -> int:
        return self._count

    def __contains__(self, value: int) -> bool:
        run = self._runs[value >> self._shift]
        i = bisect_left(run, value)
        if i < len(run) and run[i] == value:
            return True
        return bool(self._disk) and self._on_disk(value)

    def add(self, value: int) -> bool:
        """Add `value` (0 <= value < 2**64); returns False when it was there already."""
        run = self._runs[value >> self._shift]
        i = bisect_left(run, value)
        if i < len(run) and run[i] == value:
            return False
        if self._disk and self._on_disk(value):
            return False
        run.insert(i, value)
        self._count += 1
        self._held += 1
        if self._held >= self._spill_at:
            self._spill()
        elif self._held > self._limit:
            self._split()
        return True

    def _on_disk(self, value: int) -> bool:
        """Whether `value` is in one of the files: the filter first, then a block of each."""
        bits, mask = self._filter, self._mask
        a, b, c = value & mask, (value >> 20) & mask, (value >> 41) & mask
        return bool(
            bits[a >> 3] >> (a & 7) & 1
            and bits[b >> 3] >> (b & 7) & 1
            and bits[c >> 3] >> (c & 7) & 1
            and any(value in file for file in self._disk)  # oldest (largest) first
        )

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

    def _spill(self) -> None:
        """Move the ints in memory to a new file on disk, then merge files of equal size.

        The runs, in order, are one sorted sequence. Nothing leaves memory until the file is
        written; if it cannot be, the ints stay and no spill is tried again.
        """
        try:
            file = _written(self._runs)
        except OSError:
            self._spill_at = _NEVER  # in memory from now on, as without files
            return
        if not self._filter:
            self._filter = bytearray((self._mask + 1 + 7) // 8)
        bits, mask = self._filter, self._mask
        for run in self._runs:
            for value in run:  # the three bits `_on_disk` tests
                a, b, c = value & mask, (value >> 20) & mask, (value >> 41) & mask
                bits[a >> 3] |= 1 << (a & 7)
                bits[b >> 3] |= 1 << (b & 7)
                bits[c >> 3] |= 1 << (c & 7)
        self._runs = [array("Q") for _ in self._runs]  # same slices, empty
        self._held = 0
        disk = self._disk
        disk.append(file)
        while len(disk) > 1 and disk[-2].count <= disk[-1].count:
            try:
                merged = _written(_merged(disk[-2], disk[-1]))
            except OSError:
                return  # two files where one would do: lookups read one block more
            for old in disk[-2:]:
                old.file.close()
            disk[-2:] = [merged]


class _SortedFile:
    """A temporary file of distinct ints in ascending order, and its fence index."""

    __slots__ = ("block", "count", "fences", "file")

    def __init__(self, file: IO[bytes], count: int, fences: array[int], block: int) -> None:
        self.file = file
        self.count = count
        self.fences = fences  # fences[k]: the int at index k * block
        self.block = block

    def __contains__(self, value: int) -> bool:
        k = bisect_right(self.fences, value) - 1
        if k < 0:
            return False
        block = self.read(k * self.block, self.block)
        i = bisect_left(block, value)
        return i < len(block) and block[i] == value

    def read(self, start: int, count: int) -> array[int]:
        """The ints at indexes start to start + count (fewer at the end of the file)."""
        ints = array("Q")
        ints.frombytes(os.pread(self.file.fileno(), count * _SIZE, start * _SIZE))
        return ints


class _FileWriter:
    """Writes ascending ints to a new temporary file, taking every `_BLOCK`-th as a fence."""

    def __init__(self) -> None:
        import tempfile  # only past the bound: most runs never need it (start-up)

        self.file = tempfile.TemporaryFile()  # noqa: SIM115 (kept open: the set reads it)
        self.count = 0
        self.fences = array("Q")
        self.block = _BLOCK

    def write(self, ints: array[int]) -> None:
        self.fences += ints[-self.count % self.block :: self.block]
        self.file.write(ints)
        self.count += len(ints)

    def done(self) -> _SortedFile:
        self.file.flush()  # nothing left in the buffer for a forked process to write again
        return _SortedFile(self.file, self.count, self.fences, self.block)


def _written(parts: Iterable[array[int]]) -> _SortedFile:
    """A new temporary file of `parts` (ascending ints, in order); closed if it fails."""
    writer = _FileWriter()
    try:
        for ints in parts:
            writer.write(ints)
        return writer.done()
    except BaseException:
        writer.file.close()
        raise


def _merged(older: _SortedFile, newer: _SortedFile) -> Iterator[array[int]]:
    """The ints of both files (which share none) in order, reading `_CHUNK` ints at a time.

    Each step takes every int up to the smaller of the two chunks' last ints (all of one
    chunk, the start of the other) and sorts them: `sorted` on two ascending runs is a merge,
    in C. So no step holds more than 2 * `_CHUNK` ints, whatever the files' sizes.
    """
    sources = [_chunks(older), _chunks(newer)]
    pending = [next(sources[0], _EMPTY), next(sources[1], _EMPTY)]
    while pending[0] and pending[1]:
        upto = min(pending[0][-1], pending[1][-1])
        cut = [bisect_right(ints, upto) for ints in pending]
        yield array("Q", sorted(pending[0][: cut[0]] + pending[1][: cut[1]]))
        for side in (0, 1):
            rest = pending[side][cut[side] :]
            pending[side] = rest if rest else next(sources[side], _EMPTY)
    for side in (0, 1):
        if pending[side]:
            yield pending[side]
            yield from sources[side]


def _chunks(file: _SortedFile) -> Iterator[array[int]]:
    """The file's ints, `_CHUNK` at a time."""
    for start in range(0, file.count, _CHUNK):
        yield file.read(start, _CHUNK)


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
