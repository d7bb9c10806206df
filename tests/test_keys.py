"""Citation keys: the digest table that remembers the keys given out, and the keys it gives."""

from __future__ import annotations

import random
import sys
import tracemalloc

import pytest

import citeport.keys as keys_module
from citeport.keys import CitationKeys, DigestSet, _digest


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
