#!/usr/bin/env python3
"""Peak memory of every reader -> writer pair at a small and a large input (``-j 1``, or
``--jobs N``).

How to run (from the repository root, with the dev venv)::

    .venv/bin/python benchmarks/bench_memory.py                       # 10k vs 1M (slow pairs 200k)
    .venv/bin/python benchmarks/bench_memory.py --small 1000 --large 5000 --slow-large 5000

Readers: aggregator, csljson, bibtex, ris (inputs from ``gen_inputs.py``: the aggregator
generator, the others derived from it by citeport's writers). Writers: bibtex, ris, csljson,
ieee. Each pair runs ``citeport convert IN --from R --to W -j 1 -o OUT -q`` once per size as a
whole process inside ``bench_formats.py``'s measuring wrapper (peak ``ru_maxrss`` and sampled
tree PSS; the larger is reported). Memory does not depend on machine load, so one run each.

Pairs whose run at ``--large`` would take far too long (the IEEE writer, through citeproc-py,
and the BibTeX reader; ``--slow``) are measured at ``--slow-large`` instead; the table says
which size each pair used. *flat* means peak(large) <= 1.5 x peak(small).

``--jobs N`` measures the runs a user gets by default (``-j`` is every core): the peak is then
the whole process tree's, workers included, and the section is "... every reader → writer,
-j N", beside the ``-j 1`` one.

The section is printed and put into ``docs/benchmarks.md`` under
"## Memory: every reader → writer" unless ``--no-write``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
sys.path.insert(0, str(BENCH_DIR))

import bench_formats as bf  # noqa: E402  (sibling module: the measuring wrapper)
import gen_inputs  # noqa: E402

HEADING = "## Memory: every reader → writer"


def heading(jobs: int) -> str:
    return HEADING if jobs == 1 else f"{HEADING}, -j {jobs}"


WRITERS = ["bibtex", "ris", "csljson", "ieee"]
FLAT_RATIO = 1.5


#: Kept as a name here: run_all.py puts its sections through it.
put_section = bf.put_section


def is_slow(reader: str, writer: str, slow: list[str]) -> bool:
    return writer in slow or f"{reader}-reader" in slow


def measure(args: argparse.Namespace) -> tuple[list[dict[str, object]], list[str]]:
    """Run every pair at both sizes; returns table rows and the input commands."""
    sizes = sorted({args.small, args.large, args.slow_large})
    inputs = {
        n: gen_inputs.make_inputs(n, args.workdir, formats=args.readers, python=args.python)
        for n in sizes
    }
    commands = [c for n in sizes for c in inputs[n].commands]
    rows: list[dict[str, object]] = []
    for reader in args.readers:
        for writer in args.writers:
            large = args.slow_large if is_slow(reader, writer, args.slow) else args.large
            row: dict[str, object] = {"reader": reader, "writer": writer, "large_size": large}
            for tag, n in (("small", args.small), ("large", large)):
                src = inputs[n].paths[reader]
                dest = args.workdir / f"mem_out_{os.getpid()}.{writer}"  # runs may overlap
                dest.unlink(missing_ok=True)
                cmd = bf.convert_cmd(args.python, src, writer, dest, reader, str(args.jobs))
                bf.log(f"{reader} -> {writer} @ {n}")
                run = bf.run_wrapped(args.python, cmd, args.workdir, args.timeout)
                cell = bf.Measurement(f"{reader}->{writer}", n, runs=[run])
                cell.entries_out = bf.count_entries(writer, dest)
                dest.unlink(missing_ok=True)
                peak = bf.peak_memory(cell) if cell.ok else None
                bf.log(
                    f"    rc={run.rc} wall={run.wall:.1f}s peak={peak or 0:.0f}MiB "
                    f"entries={cell.entries_out}"
                )
                row[tag] = cell
            rows.append(row)
    return rows, commands


def table(rows: list[dict[str, object]], small: int) -> list[str]:
    lines = [
        f"| reader → writer | peak MiB @ {small:,} | large size | peak MiB @ large "
        f"| ratio | verdict (flat: ≤ {FLAT_RATIO}×) | wall s @ large | entries out small / large |",
        "|---|---:|---:|---:|---:|---|---:|---:|",
    ]
    for row in rows:
        lo, hi = row["small"], row["large"]
        assert isinstance(lo, bf.Measurement) and isinstance(hi, bf.Measurement)
        lo_mib = bf.peak_memory(lo) if lo.ok else None
        hi_mib = bf.peak_memory(hi) if hi.ok else None
        if lo_mib and hi_mib:
            ratio = hi_mib / lo_mib
            verdict = "flat" if ratio <= FLAT_RATIO else "**grows**"
        else:
            ratio, verdict = None, bf.status_text(hi if not hi.ok else lo)
        entries = f"{lo.entries_out if lo.entries_out is not None else '–'} / " + (
            f"{hi.entries_out if hi.entries_out is not None else '–'}"
        )
        lines.append(
            f"| {row['reader']} → {row['writer']} | {bf.fmt_num(lo_mib, '.0f')} "
            f"| {int(str(row['large_size'])):,} | {bf.fmt_num(hi_mib, '.0f')} "
            f"| {bf.fmt_num(ratio, '.2f')} | {verdict} | {bf.fmt_num(hi.median_wall, '.0f')} "
            f"| {entries} |"
        )
    return lines


def render(
    args: argparse.Namespace, rows: list[dict[str, object]], commands: list[str], started: float
) -> str:
    ver = bf.versions(args.python)
    return "\n".join(
        [
            heading(args.jobs),
            "",
            "Generated by `benchmarks/bench_memory.py` "
            f"on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime(started))}; "
            f"took {time.time() - started:.0f} s; citeport {ver.get('citeport')} "
            f"(git {gen_inputs.git_commit()}), Python {ver.get('python')}.",
            "",
            f"- Each pair: `citeport convert IN --from READER --to WRITER -j {args.jobs} -o OUT "
            "-q`, one "
            f"whole-process run at {args.small:,} records and one at the large size; peak = the "
            "larger of `ru_maxrss` and the sampled PSS of the process tree (memory does not "
            "depend on load, so one run is enough).",
            f"- Large size: {args.large:,} records, except pairs with "
            f"{' or '.join(f'`{s}`' for s in args.slow)} ({args.slow_large:,} records: at "
            "today's speed those runs take 20+ minutes each at the full size).",
            "- Inputs: `benchmarks/gen_inputs.py` (aggregator generator, seed 42; CSL-JSON, "
            "BibTeX and RIS derived from it by citeport's writers).",
            "",
            *table(rows, args.small),
            "",
            "```sh",
            "# this section",
            " ".join([bf.rel(sys.executable), *sys.argv]),
            "# inputs",
            *commands,
            "```",
            "",
        ]
    )


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Peak memory of every reader -> writer pair.")
    parser.add_argument("--small", type=int, default=10000)
    parser.add_argument("--large", type=int, default=1000000)
    parser.add_argument(
        "--slow-large", type=int, default=200000, help="large size for --slow pairs"
    )
    parser.add_argument(
        "--slow",
        nargs="*",
        default=["ieee", "bibtex-reader"],
        help="writers (or READER-reader) measured at --slow-large (default: ieee bibtex-reader)",
    )
    parser.add_argument("--readers", nargs="+", default=gen_inputs.READERS)
    parser.add_argument("--writers", nargs="+", default=WRITERS)
    parser.add_argument("--jobs", type=int, default=1, help="citeport's -j (default: 1)")
    parser.add_argument("--timeout", type=float, default=7200)
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/citeport-inputs"))
    parser.add_argument("--output", type=Path, default=REPO_ROOT / "docs" / "benchmarks.md")
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args(argv)
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.time()
    rows, commands = measure(args)
    section = render(args, rows, commands, started)
    print(section)
    if not args.no_write:
        put_section(args.output, heading(args.jobs), section)
        bf.log(f"wrote {heading(args.jobs)!r} into {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
