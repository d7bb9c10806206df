"""Citation keys: the digest table that remembers the keys given out, and the keys it gives."""

from __future__ import annotations

import errno
import random
import sys
import tempfile
import tracemalloc
from array import array
from typing import IO

import pytest

import citeport.keys as keys_module
from citeport.keys import CitationKeys, DigestSet, _digest

_TEMPORARY_FILE = tempfile.TemporaryFile  # the real one, for the tests that replace it


def test_digest_set_agrees_with_a_set_through_growth() -> None:
    rng = random.Random(7)
    table, plain = DigestSet(), set()
    edges = [0, 1, 2**63 - 1, 2**63, 2**62, 2**64 - 1]  # where runs start and end
    values = [rng.getrandbits(64) for _ in range(5000)] + edges
    for value in values + values[::3]:
        assert table.add(value) is (value not in plain)
        plain.add(value)
    assert len(table) == len(plain) == 5006
    assert len(table._runs) == 16  # split past 512, 1,024, 2,048 and 4,096 ints
    assert all(value in table for value in values)
    assert not any(rng.getrandbits(64) in table for _ in range(5000))
    assert all(list(run) == sorted(run) for run in table._runs)


def test_digest_set_takes_under_9_bytes_a_key_and_never_doubles() -> None:
    digests = [_digest(f"key{n}") for n in range(100_000)]
    tracemalloc.start()
    try:
        table = DigestSet()
        for digest in digests:
            table.add(digest)
        held, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(table) == 100_000
    assert table._disk == []  # below the bound: nothing on disk
    assert sys.getsizeof(table._runs) + sum(map(sys.getsizeof, table._runs)) < 9 * 100_000
    assert held < 9 * 100_000
    assert peak < held + 20_000  # grown a run at a time: no moment with two copies of it


def test_keys_are_unique_ignoring_case_and_suffixes_resume() -> None:
    keys = CitationKeys()
    given = [
        ("Smith2020", "smith2020deep"),
        ("smith2020", "smith2020deep"),
        ("", "smith2020deep"),
        ("bad key", "smith2020deep"),
        ("smith2020deepa", "x"),
        ("", "smith2020deep"),
        ("", "smith2020deep"),
    ]
    assert [keys.assign_parts(g, b) for g, b in given] == [
        "Smith2020",
        "smith2020deep",
        "smith2020deepa",
        "smith2020deepb",
        "x",
        "smith2020deepc",
        "smith2020deepd",
    ]


def test_forgotten_suffix_hints_give_the_same_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    """With room for 2 hints, bases restart their suffix search at `a`: the same keys."""
    rng = random.Random(3)
    bases = [f"smith{year}deep" for year in range(2000, 2012)]
    wanted = [(rng.choice(["", "", "", "smith2001deepb", "Smith2003Deep"]), rng.choice(bases))]
    wanted += [
        (rng.choice(["", "", "", "smith2001deepc", "x"]), rng.choice(bases)) for _ in range(3000)
    ]
    expected, used, resume = [], set(), {}  # every base's hint kept: the reference result
    for given, base in wanted:
        if given and " " not in given and given.casefold() not in used:
            key = given
        elif base not in used:
            key = base
        else:
            n = resume.get(base, 0)
            while (key := base + keys_module._suffix(n)) in used:
                n += 1
            resume[base] = n + 1
        used.add(key.casefold())
        expected.append(key)
    monkeypatch.setattr(keys_module, "_HINTS", 2)
    keys = CitationKeys()
    assert [keys.assign_parts(g, b) for g, b in wanted] == expected
    assert len(keys._next) == 2
    assert expected[-3:] == ["smith2004deepiz", "smith2010deepij", "smith2005deepjs"]


@pytest.fixture
def tiny(monkeypatch: pytest.MonkeyPatch) -> None:
    """A `DigestSet` that spills past 64 ints, in files with a fence every 8, after splitting
    its runs at 8, 16 and 32 ints: every path of a million ints, in a few thousand."""
    monkeypatch.setattr(keys_module, "_SPILL_AT", 64)
    monkeypatch.setattr(keys_module, "_RUN", 8)
    monkeypatch.setattr(keys_module, "_BLOCK", 8)
    monkeypatch.setattr(keys_module, "_CHUNK", 16)


def _on_disk(table: DigestSet) -> list[list[int]]:
    """The ints of each of the table's files, oldest first, read back whole."""
    return [[v for ints in keys_module._chunks(file) for v in ints] for file in table._disk]


def _adversarial() -> list[int]:
    """Ints to add: the ends of the range, repeats across spills, repeats of ints on disk."""
    rng = random.Random(11)
    fresh = [rng.getrandbits(64) for _ in range(3000)]
    values = [0, 2**64 - 1, *fresh[:62], 0]  # the 64th new int spills; 0 is then on disk
    values += [fresh[61], 2**64 - 1, fresh[62], fresh[62]]  # either side of that spill
    values += [*fresh[63:1500], 0, *fresh[:100], 2**64 - 1]  # on disk, merged by now
    values += [v for pair in zip(fresh[1500:2250], fresh[:1500:2], strict=True) for v in pair]
    values += fresh[2250:]
    values += [v + 1 for v in fresh[:50]] + [v - 1 for v in fresh[:50]]  # next to ints on disk
    return values


#: Distinct ints in `_adversarial()`; its 48 spills (0b110000) leave files of 2048 and 1024.
TOTAL = 3102


@pytest.mark.usefixtures("tiny")
@pytest.mark.parametrize(("chunk", "filter_bits"), [(16, 1 << 23), (1, 1 << 23), (3, 64)])
def test_spilled_digest_set_agrees_with_a_set(
    monkeypatch: pytest.MonkeyPatch, chunk: int, filter_bits: int
) -> None:
    """Merges read 1, 3 or 16 ints at a time; a 64-bit filter is full, so every lookup that
    misses memory reads the files (the path a filter hit takes)."""
    monkeypatch.setattr(keys_module, "_CHUNK", chunk)
    monkeypatch.setattr(keys_module, "_FILTER_BITS", filter_bits)
    rng = random.Random(12)
    table, plain = DigestSet(), set()
    for value in _adversarial():
        assert table.add(value) is (value not in plain)
        plain.add(value)
        assert value in table
    assert len(table) == len(plain) == TOTAL
    held = [v for run in table._runs for v in run]
    files = _on_disk(table)
    assert table._held == len(held) == TOTAL % 64 == 30
    assert [len(ints) for ints in files] == [2048, 1024] == [file.count for file in table._disk]
    assert all(ints == sorted(ints) for ints in [held, *files])
    assert sorted(held + files[0] + files[1]) == sorted(plain)  # each int once, nothing lost
    assert files[0][0] == 0 and files[0][-1] == 2**64 - 1
    assert all(value in table for value in plain)
    assert not any(value in table for value in (rng.getrandbits(64) for _ in range(3000)))
    assert not any(v + 1 in table for v in sorted(plain)[:-1] if v + 1 not in plain)


@pytest.mark.usefixtures("tiny")
def test_digest_set_files_are_a_binary_counter_and_closed_when_merged(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    made = []

    def temporary_file() -> IO[bytes]:
        made.append(_TEMPORARY_FILE())
        return made[-1]

    monkeypatch.setattr(tempfile, "TemporaryFile", temporary_file)
    table = DigestSet()
    for n in range(64 * 13 + 5):
        table.add(_digest(f"key{n}"))
    assert [file.count for file in table._disk] == [512, 256, 64]  # 13 spills: 0b1101
    assert table._held == 5
    assert sum(len(run) for run in table._runs) == 5
    assert len(table._runs) == 8  # the slices of the spilled runs, kept
    assert len(made) == 13 + 10  # a file a spill, and one a merge
    assert [file for file in made if not file.closed] == [f.file for f in table._disk]
    assert [len(f.fences) for f in table._disk] == [64, 32, 8]
    assert all(f.fences[k] == ints[8 * k] for f, ints in zip(table._disk, _on_disk(table), strict=True) for k in range(len(f.fences)))  # fmt: skip


class _Disk:
    """Temporary files sharing `room` bytes, which fail as a full disk does past it."""

    def __init__(self, room: int) -> None:
        self.room = room
        self.made: list[_DiskFile] = []

    def temporary_file(self) -> _DiskFile:
        self.made.append(_DiskFile(self))
        return self.made[-1]


class _DiskFile:
    def __init__(self, disk: _Disk) -> None:
        self.disk, self.file, self.size = disk, _TEMPORARY_FILE(), 0

    @property
    def closed(self) -> bool:
        return self.file.closed

    def write(self, data: array[int]) -> int:
        if len(data) * data.itemsize > self.disk.room:
            raise OSError(errno.ENOSPC, "No space left on device")
        self.disk.room -= len(data) * data.itemsize
        self.size += len(data) * data.itemsize
        return self.file.write(data)

    def flush(self) -> None:
        self.file.flush()

    def fileno(self) -> int:
        return self.file.fileno()

    def close(self) -> None:
        if not self.file.closed:
            self.disk.room += self.size  # freed, as a closed temporary file is
        self.file.close()


@pytest.mark.usefixtures("tiny")
def test_digest_set_stays_in_memory_when_no_file_can_be_made(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def read_only(*args: object, **kwargs: object) -> IO[bytes]:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(tempfile, "TemporaryFile", read_only)
    table, plain = DigestSet(), set()
    for value in _adversarial():
        assert table.add(value) is (value not in plain)
        plain.add(value)
    assert len(table) == len(plain) == table._held == TOTAL
    assert table._disk == [] and table._spill_at == keys_module._NEVER
    assert len(table._runs) == 512  # split on as before: 8 ints a run on average
    assert all(value in table for value in plain)


@pytest.mark.usefixtures("tiny")
def test_digest_set_keeps_every_int_when_the_disk_fills(monkeypatch: pytest.MonkeyPatch) -> None:
    """Room for 4 spills' ints: spills 1 and 2 are merged (3 files' room); the merge of spills
    3 and 4 fails half-way and leaves them apart; spill 5 fails: memory from then on."""
    disk = _Disk(room=4 * 64 * 8 + 100)
    monkeypatch.setattr(tempfile, "TemporaryFile", disk.temporary_file)
    table, plain = DigestSet(), set()
    for value in _adversarial():
        assert table.add(value) is (value not in plain)
        plain.add(value)
    assert len(table) == len(plain) == TOTAL
    assert [file.count for file in table._disk] == [128, 64, 64]
    assert table._held == TOTAL - 256 and table._spill_at == keys_module._NEVER
    held = [v for run in table._runs for v in run]
    assert sorted(held + [v for ints in _on_disk(table) for v in ints]) == sorted(plain)
    assert all(value in table for value in plain)
    assert [file for file in disk.made if not file.closed] == [f.file for f in table._disk]
    assert len(disk.made) == 7  # 4 spills, 2 merges (1 failed), 1 failed spill


def _generated_keys(count: int) -> list[tuple[str, str]]:
    """(given key, generated key) pairs that collide often, with case-only repeats."""
    rng = random.Random(17)
    names = ["smith", "Müller", "nguyen", "garcia", "li", "o'brien", "wang", "kim"]
    pairs = []
    for _ in range(count):
        base = f"{rng.choice(names[:4]).lower()}{rng.randrange(2015, 2025)}{rng.choice('abcdefgh')}"
        given = rng.choice(
            ["", "", "", base, base.upper(), f"{rng.choice(names)}{rng.randrange(99)}"]
        )
        pairs.append((given, base))
    return pairs


def test_keys_are_the_same_when_the_key_table_spills(monkeypatch: pytest.MonkeyPatch) -> None:
    pairs = _generated_keys(20_000)
    keys = CitationKeys()
    expected = [keys.assign_parts(given, base) for given, base in pairs]
    assert keys._used._disk == []  # 20,000 keys: all in memory, as before
    assert len(set(map(str.casefold, expected))) == 20_000
    suffixed = [key not in (g, b) for key, (g, b) in zip(expected, pairs, strict=True)]
    assert sum(suffixed) == 18_996  # 320 bases: nearly every key is a suffixed repeat
    assert expected[-3:] == ["smith2023bbm", "garcia2022cbi", "müller2024cbc"]
    monkeypatch.setattr(keys_module, "_SPILL_AT", 64)
    monkeypatch.setattr(keys_module, "_BLOCK", 8)
    monkeypatch.setattr(keys_module, "_FILTER_BITS", 1 << 10)
    spilled = CitationKeys()
    assert [spilled.assign_parts(given, base) for given, base in pairs] == expected
    assert [file.count for file in spilled._used._disk] == [16384, 2048, 1024, 512]
