#!/usr/bin/env python3
"""Deterministic benchmark inputs in every reader format: aggregator, CSL-JSON, BibTeX, RIS.

Usage (from the repository root, with the dev venv)::

    .venv/bin/python benchmarks/gen_inputs.py 10000 100000 1000000 --workdir /tmp/citeport-inputs

For each size N it writes, in ``--workdir``:

* ``aggregator_N_sSEED.jsonl``: ``gen_aggregator.py`` N records (seed, stray rate), made
  in-process with the same code as ``python benchmarks/gen_aggregator.py N -o ...``;
* ``input_N.json`` (CSL-JSON array), ``input_N.bib`` and ``input_N.ris``: that file converted
  by **citeport's own writers** (``citeport convert AGG --to csljson|bibtex|ris -j 2 -q``;
  ``-j`` does not change a byte of the output).

So the three derived inputs are deterministic for a given seed *and citeport commit*: they
change when a writer changes (the ``.done`` marker beside each file records the commit that
wrote it, and the reports name it). They carry the
aggregator generator's realistic mix (diacritics, particles, inline markup in titles and
abstracts, math, ranges, missing fields) in the form citeport writes it; they are not
adversarial inputs for the readers (no ``@string`` macros, no odd RIS tags).

Existing files are reused when their ``.done`` marker (size, seed, stray rate) matches, so a
second benchmark run does not regenerate 1,000,000 records.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
sys.path.insert(0, str(BENCH_DIR))

import gen_aggregator  # noqa: E402  (sibling module, stdlib only)

#: reader format -> (file suffix, citeport writer that makes it from the aggregator file)
DERIVED = {"csljson": (".json", "csljson"), "bibtex": (".bib", "bibtex"), "ris": (".ris", "ris")}
READERS = ["aggregator", *DERIVED]


@dataclass
class Inputs:
    """The input files of one size, by reader format."""

    size: int
    paths: dict[str, Path]
    stray: int
    commands: list[str]
    made_by: dict[str, str]  # derived format -> citeport commit that wrote it


def git_commit() -> str:
    """The short commit of the working tree (read-only), plus '+dirty' when it has changes."""
    try:
        head = subprocess.run(
            ["git", "-C", str(REPO_ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(REPO_ROOT), "status", "--porcelain", "--", "src"],
            capture_output=True,
            text=True,
        ).stdout.strip()
    except OSError:
        return "unknown"
    return (head or "no-commit") + ("+dirty" if dirty else "")


def citeport_cli(python: str) -> str:
    script = Path(python).parent / "citeport"
    return str(script) if script.exists() else "citeport"


def derive_cmd(cli: str, agg: Path, fmt: str, dest: Path, jobs: int) -> list[str]:
    return [cli, "convert", str(agg), "--to", fmt, "-o", str(dest), "-q", "-j", str(jobs)]


def make_inputs(
    size: int,
    workdir: Path,
    *,
    formats: list[str] | None = None,
    seed: int = 42,
    stray_rate: float = 0.001,
    python: str = sys.executable,
    jobs: int = 2,
    log: bool = True,
) -> Inputs:
    """Make (or reuse) the inputs of one size; returns their paths and how they were made."""
    formats = formats or READERS
    workdir.mkdir(parents=True, exist_ok=True)
    agg = workdir / f"aggregator_{size}_s{seed}.jsonl"
    stamp = {"size": size, "seed": seed, "stray_rate": stray_rate}
    marker = agg.with_suffix(".done")
    stray = None
    if agg.exists() and marker.exists():
        saved = json.loads(marker.read_text())
        if {k: saved.get(k) for k in stamp} == stamp:
            stray = saved["stray"]
    if stray is None:
        if log:
            print(f"generating {size} aggregator records: {agg}", file=sys.stderr, flush=True)
        with open(agg, "w", encoding="utf-8", newline="\n") as fh:
            stats = gen_aggregator.generate(size, fh, seed=seed, stray_rate=stray_rate)
        stray = stats.stray
        marker.write_text(json.dumps({**stamp, "stray": stray}))
    paths = {"aggregator": agg}
    commands = [
        f"python benchmarks/gen_aggregator.py {size} -o {agg} --seed {seed} "
        f"--stray-rate {stray_rate}"
    ]
    commit = git_commit()
    cli = citeport_cli(python)
    made_by: dict[str, str] = {}
    for fmt in formats:
        if fmt == "aggregator":
            continue
        suffix, writer = DERIVED[fmt]
        dest = workdir / f"input_{size}_s{seed}{suffix}"
        done = dest.with_name(dest.name + ".done")
        cmd = derive_cmd(cli, agg, writer, dest, jobs)
        commands.append(" ".join(cmd))
        paths[fmt] = dest
        if dest.exists() and done.exists():
            saved = json.loads(done.read_text())
            if {k: saved.get(k) for k in stamp} == stamp:
                made_by[fmt] = str(saved.get("commit"))
                continue
        if log:
            print(f"making {dest.name} with citeport", file=sys.stderr, flush=True)
        subprocess.run(cmd, check=True)
        done.write_text(json.dumps({**stamp, "commit": commit}))
        made_by[fmt] = commit
    return Inputs(size, paths, stray, commands, made_by)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("sizes", type=int, nargs="+", help="records per file")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/citeport-inputs"))
    parser.add_argument("--formats", nargs="+", default=READERS, choices=READERS)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--stray-rate", type=float, default=0.001)
    parser.add_argument("--jobs", type=int, default=2, help="citeport -j for the derived files")
    args = parser.parse_args(argv)
    for size in args.sizes:
        made = make_inputs(
            size,
            args.workdir,
            formats=args.formats,
            seed=args.seed,
            stray_rate=args.stray_rate,
            jobs=args.jobs,
        )
        for fmt, path in made.paths.items():
            print(f"{size}\t{fmt}\t{path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
