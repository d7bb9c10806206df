#!/usr/bin/env python3
"""The whole of ``docs/benchmarks.md`` in one command (run it on a quiet machine).

    .venv/bin/python benchmarks/run_all.py            # ~2 h on the 2-core machine
    .venv/bin/python benchmarks/run_all.py --quick    # small sizes, a few minutes: checks it works

In order, each step writing its own section of the report:

1. ``bench_formats.py``: aggregator JSON lines -> every writer at 10,000 and 100,000 records,
   ``-j 1`` and ``-j 2`` interleaved, against the orjson-parse baseline; the ``-j`` speed-up
   table with a byte-identity check. It starts the report afresh.
2. ``bench_peers.py``: CSL-JSON -> BibTeX / RIS, RIS -> CSL-JSON, BibTeX -> CSL-JSON on the
   same 10,000-record files, and IEEE text on 2,000 items, against pandoc and citation-js,
   with the issue's targets.
3. ``profile_convert.py``: where the time goes (cProfile) for aggregator -> CSL-JSON and
   aggregator -> BibTeX, and for each peer pair, on the 10,000-record inputs.
4. ``bench_memory.py``: peak memory of every reader -> writer pair at 10,000 records and at
   1,000,000 (200,000 for the IEEE writer and the BibTeX reader, whose runs at 1,000,000 would
   take 20+ minutes each), at ``-j 1`` and again at ``-j 2`` (the whole process tree).
5. ``benchmarks/findings.md`` (hand-written analysis) is appended as it is.

Inputs are made by ``gen_inputs.py`` in ``--workdir`` and reused by later steps and later runs.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
sys.path.insert(0, str(BENCH_DIR))

import bench_memory  # noqa: E402
import gen_inputs  # noqa: E402

PROFILE_HEADING = "## Where the time goes (cProfile, `-j 1`)"
FINDINGS_HEADING = "## Findings"


def step(cmd: list[str]) -> None:
    print("+ " + " ".join(cmd), file=sys.stderr, flush=True)
    subprocess.run(cmd, check=True, cwd=REPO_ROOT)


def profiles(python: str, workdir: Path, size: int, bib_size: int) -> str:
    """The cProfile tables of the pairs the issue asks about, as one Markdown section."""
    made = gen_inputs.make_inputs(size, workdir, python=python)
    paths = made.paths
    bib = paths["bibtex"]
    if bib_size < size:  # the BibTeX reader is slow: profile a prefix of the file
        text = bib.read_text(encoding="utf-8")
        starts = [match.start() for match in re.finditer(r"(?m)^@", text)]
        if len(starts) > bib_size:
            bib = workdir / f"profile_{bib_size}.bib"
            bib.write_text(text[: starts[bib_size]], encoding="utf-8")
    pairs = [
        ("aggregator", "csljson", paths["aggregator"]),
        ("aggregator", "bibtex", paths["aggregator"]),
        ("csljson", "bibtex", paths["csljson"]),
        ("csljson", "ris", paths["csljson"]),
        ("ris", "csljson", paths["ris"]),
        ("bibtex", "csljson", bib),
    ]
    parts = [
        PROFILE_HEADING,
        "",
        "Made by `benchmarks/profile_convert.py INPUT --from R --to W` (the inputs of "
        "`gen_inputs.py`). *Own time* is time spent in the function itself; *cumulative* "
        "includes what it calls. cProfile slows Python code more than C code (orjson, re), so "
        "read the shares, not the seconds.",
        "",
    ]
    for reader, writer, path in pairs:
        print(f"profiling {reader} -> {writer}", file=sys.stderr, flush=True)
        out = subprocess.run(
            [python, str(BENCH_DIR / "profile_convert.py"), str(path), "--from", reader,
             "--to", writer, "--top", "12"],
            capture_output=True, text=True, check=True, cwd=REPO_ROOT,
        ).stdout  # fmt: skip
        parts += [f"### {reader} → {writer}", "", out.strip(), ""]
    return "\n".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes: checks the pipeline")
    parser.add_argument("--python", default=sys.executable)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/citeport-inputs"))
    parser.add_argument("--output", type=Path, default=REPO_ROOT / "docs" / "benchmarks.md")
    args = parser.parse_args(argv)
    py, out, wd = args.python, str(args.output), str(args.workdir)
    started = time.time()
    if args.quick:
        small, big, peers, ieee, memory = (
            [500, 2000],
            "2000",
            "2000",
            "200",
            ["500", "3000", "1000"],
        )
        repeat = "1"
    else:
        small, big, peers, ieee, memory = (
            [10000, 100000],
            "100000",
            "10000",
            "2000",
            ["10000", "1000000", "200000"],
        )
        repeat = "3"
    step([
        py, "benchmarks/bench_formats.py", "--sizes", *map(str, small), "--repeat", repeat,
        "--ieee-max", big, "--jobs", "1", "2", "--workdir", wd, "--output", out,
    ])  # fmt: skip
    step([
        py, "benchmarks/bench_peers.py", "--size", peers, "--ieee-size", ieee, "--repeat", repeat,
        "--workdir", wd, "--output", out,
    ])  # fmt: skip
    section = profiles(py, args.workdir, int(peers), min(int(peers), 2000))
    bench_memory.put_section(args.output, PROFILE_HEADING, section)
    for jobs in ("1", "2"):  # -j 2: the default on two cores, workers included
        step([
            py, "benchmarks/bench_memory.py", "--small", memory[0], "--large", memory[1],
            "--slow-large", memory[2], "--jobs", jobs, "--workdir", wd, "--output", out,
        ])  # fmt: skip
    findings = (BENCH_DIR / "findings.md").read_text(encoding="utf-8")
    bench_memory.put_section(args.output, FINDINGS_HEADING, findings)
    print(f"wrote {out} in {time.time() - started:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
