#!/usr/bin/env python3
"""Where the time goes: cProfile of one serial conversion, as a Markdown table.

Usage (from the repository root, with the dev venv)::

    .venv/bin/python benchmarks/profile_convert.py INPUT --from aggregator --to csljson [--top 15]

Runs ``citeport.convert.convert([INPUT], TO, os.devnull, from_format=FROM, jobs=1)`` under
cProfile and prints two tables: the functions with the most *own* time (``tottime``: where the
CPU is actually spent) and the citeport functions with the most *cumulative* time (what a
stage costs with everything it calls), each as a share of the whole run. Profiling slows pure
Python code more than C code, so shares are indicative; compare them, not absolute seconds.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path


def short(func: tuple[str, int, str]) -> str:
    """`module.py:line(function)` with the path cut down to what identifies it."""
    path, line, name = func
    if path == "~":
        return name  # a built-in, e.g. "<method 'search' of 're.Pattern' objects>"
    parts = Path(path).parts
    cut = parts[parts.index("citeport") :] if "citeport" in parts else parts[-2:]
    return f"{'/'.join(cut)}:{line}({name})"


def tables(stats: pstats.Stats, total: float, top: int) -> list[str]:
    raw: dict[tuple[str, int, str], tuple[int, int, float, float, dict]] = stats.stats  # type: ignore[attr-defined]
    rows = [(func, calls, tt, ct) for func, (_cc, calls, tt, ct, _callers) in raw.items()]
    out = [
        "| own time % | own s | calls | function |",
        "|---:|---:|---:|---|",
    ]
    for func, calls, tt, _ct in sorted(rows, key=lambda r: -r[2])[:top]:
        out.append(f"| {100 * tt / total:.1f} | {tt:.2f} | {calls:,} | `{short(func)}` |")
    out += [
        "",
        "| cumulative % | cumulative s | calls | citeport function |",
        "|---:|---:|---:|---|",
    ]
    ours = [r for r in rows if "citeport" in Path(r[0][0]).parts]
    for func, calls, _tt, ct in sorted(ours, key=lambda r: -r[3])[:top]:
        out.append(f"| {100 * ct / total:.1f} | {ct:.2f} | {calls:,} | `{short(func)}` |")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("input")
    parser.add_argument("--from", dest="from_format", default=None)
    parser.add_argument("--to", required=True)
    parser.add_argument("--top", type=int, default=15)
    args = parser.parse_args(argv)
    from citeport.convert import convert

    profile = cProfile.Profile()
    started = time.perf_counter()
    profile.enable()
    result = convert([args.input], args.to, os.devnull, from_format=args.from_format, jobs=1)
    profile.disable()
    wall = time.perf_counter() - started
    stats = pstats.Stats(profile)
    total = stats.total_tt  # type: ignore[attr-defined]
    print(
        f"`{args.from_format or 'detected'}` → `{args.to}`, {result.read:,} records read, "
        f"{result.written:,} written, {len(result.log):,} diagnostics; {wall:.1f} s under "
        f"cProfile (profiled CPU {total:.1f} s).\n"
    )
    print("\n".join(tables(stats, total, args.top)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
