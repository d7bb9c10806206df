"""Citation keys: the digest table that remembers the keys given out, and the keys it gives."""

from __future__ import annotations

import random
import sys

from citeport.keys import CitationKeys, DigestSet, _digest


def test_digest_set_agrees_with_a_set_through_growth() -> None:
    rng = random.Random(7)
    table, plain = DigestSet(), set()
    values = [rng.getrandbits(64) for _ in range(5000)] + [2**64 - 1, 5, 5 + 1024, 5 + 2048]
    for value in values + values[::3]:
        assert table.add(value) is (value not in plain)
        plain.add(value)
    assert len(table) == len(plain) == 5004
    assert all(value in table for value in values)
    assert not any(rng.getrandbits(64) in table for _ in range(5000))
    assert 0 not in table and table.add(0) and 1 in table and not table.add(1)  # 0 is kept as 1


def test_digest_set_takes_under_28_bytes_a_key() -> None:
    table = DigestSet()
    for n in range(100_000):
        table.add(_digest(f"key{n}"))
    assert len(table) == 100_000
    assert sys.getsizeof(table._slots) < 28 * 100_000


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
