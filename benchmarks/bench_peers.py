#!/usr/bin/env python3
"""Whole-process benchmark of ``citeport convert`` against pandoc (issue 6).

How to run (from the repository root, with the dev venv)::

    .venv/bin/python benchmarks/bench_peers.py                       # defaults
    .venv/bin/python benchmarks/bench_peers.py --size 10000 --repeat 1 --ieee-size 2000

It generates ``--size`` aggregator records (``benchmarks/gen_aggregator.py``),
then makes the peer inputs **with citeport itself**, once, untimed::

    citeport convert AGG --to csljson -o items.json -q -j 1   # and bibtex, ris

and times, as whole processes on the same file in the same run (repeats
interleaved, median wall time over ``--repeat``):

* BibTeX -> CSL-JSON, CSL-JSON -> BibTeX, RIS -> CSL-JSON;
* IEEE plain text for ``--ieee-size`` items: pandoc ``--citeproc`` on a Markdown
  document with ``nocite: '@*'``, the CSL-JSON as bibliography and citeport's own
  ``styles/ieee.csl``; citeport ``--to ieee --style styles/ieee.csl`` on the
  same CSL-JSON;

each with pandoc, citeport ``-j 1`` and citeport ``-j 2``.  Every run goes through
``bench_formats.run_wrapped`` (imported, not copied), so peak RSS and the
all-process PSS of ``-j 2`` are measured exactly as in ``bench_formats.py``.
citation-js is only probed (``node`` can ``require('@citation-js/core')``) and the
report says whether it is installed; timing it is not implemented yet, as it was
not installed where this script was written.

A run that exits non-zero or exceeds ``--timeout`` (default 600 s) is recorded
in the table, never raised.  The Markdown section is printed and put into
``docs/benchmarks.md`` under "## Against pandoc" (replacing an older copy of
that section) unless ``--no-write``.
"""

from __future__ import annotations

import argparse
import json
import platform
import shlex
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
sys.path.insert(0, str(BENCH_DIR))

import bench_formats as bf  # noqa: E402  (sibling module: the measuring wrapper)

HEADING = "## Against pandoc"
IEEE_CSL = REPO_ROOT / "styles" / "ieee.csl"
TOOLS = ["pandoc", "citeport -j1", "citeport -j2"]
CITATION_JS_PROBE = "require('@citation-js/core'); require('@citation-js/plugin-bibtex')"
NOCITE_DOC = "---\nnocite: '@*'\n---\n\n# References\n"


@dataclass
class Pair:
    """One conversion, with the command of each tool (None: the tool cannot do it)."""

    name: str
    records: int
    out_fmt: str  # bench_formats counter name for the output
    commands: dict[str, list[str] | None]
    note: str = ""


# --------------------------------------------------------------------------
# Inputs
# --------------------------------------------------------------------------


def pandoc_path() -> str:
    """pandoc from pypandoc-binary, else whatever is on PATH."""
    try:
        import pypandoc

        return str(pypandoc.get_pandoc_path())
    except (ImportError, OSError):
        return "pandoc"


def tool_version(cmd: list[str]) -> str:
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return "not available"
    lines = (proc.stdout or proc.stderr).strip().splitlines()
    return lines[0] if lines else "unknown"


def citation_js_available() -> bool:
    try:
        proc = subprocess.run(
            ["node", "-e", CITATION_JS_PROBE], capture_output=True, text=True, timeout=60
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return proc.returncode == 0


def citeport_cli(python: str) -> str:
    """The venv's ``citeport`` script next to the interpreter."""
    script = Path(python).parent / "citeport"
    return str(script) if script.exists() else "citeport"


def prepare_cmd(cli: str, agg: Path, fmt: str, dest: Path) -> list[str]:
    """The (untimed) citeport command that makes one peer input."""
    return [cli, "convert", str(agg), "--to", fmt, "-o", str(dest), "-q", "-j", "1"]


def make_peer_inputs(args: argparse.Namespace, agg: Path) -> dict[str, Path]:
    """CSL-JSON, BibTeX and RIS from the aggregator file, made by citeport once."""
    cli = citeport_cli(args.python)
    paths = {
        "csljson": args.workdir / f"peers_{args.size}.json",
        "bibtex": args.workdir / f"peers_{args.size}.bib",
        "ris": args.workdir / f"peers_{args.size}.ris",
    }
    for fmt, dest in paths.items():
        bf.log(f"making {dest.name} with citeport")
        subprocess.run(prepare_cmd(cli, agg, fmt, dest), check=True)
    paths["ieee_json"] = args.workdir / f"peers_ieee_{args.ieee_size}.json"
    items = bf._json_loads(paths["csljson"].read_bytes())[: args.ieee_size]
    paths["ieee_json"].write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    paths["nocite_md"] = args.workdir / "nocite.md"
    paths["nocite_md"].write_text(NOCITE_DOC, encoding="utf-8")
    return paths


# --------------------------------------------------------------------------
# Pairs
# --------------------------------------------------------------------------


def citeport_cmds(
    python: str, src: Path, fmt: str, dest: Path, from_format: str, extra: list[str]
) -> dict[str, list[str] | None]:
    """citeport ``-j 1`` and ``-j 2`` command lines (bench_formats.convert_cmd + extras)."""
    return {
        f"citeport -j{j}": [*bf.convert_cmd(python, src, fmt, dest, from_format, str(j)), *extra]
        for j in (1, 2)
    }


def build_pairs(args: argparse.Namespace, paths: dict[str, Path]) -> list[Pair]:
    pd, py, wd = args.pandoc, args.python, args.workdir
    out = {fmt: wd / f"peer_out.{fmt}" for fmt in ("json", "bib", "ris", "txt")}

    def pandoc(src: Path, frm: str, to: str, dest: Path) -> list[str]:
        return [pd, "-f", frm, "-t", to, str(src), "-o", str(dest)]

    ieee_pandoc = [
        pd, str(paths["nocite_md"]), "--citeproc", "--csl", str(IEEE_CSL),
        "--bibliography", str(paths["ieee_json"]), "-t", "plain", "-o", str(out["txt"]),
    ]  # fmt: skip
    return [
        Pair(
            "BibTeX → CSL-JSON",
            args.size,
            "csljson",
            {
                "pandoc": pandoc(paths["bibtex"], "bibtex", "csljson", out["json"]),
                **citeport_cmds(py, paths["bibtex"], "csljson", out["json"], "bibtex", []),
            },
        ),
        Pair(
            "CSL-JSON → BibTeX",
            args.size,
            "bibtex",
            {
                "pandoc": pandoc(paths["csljson"], "csljson", "bibtex", out["bib"]),
                **citeport_cmds(py, paths["csljson"], "bibtex", out["bib"], "csljson", []),
            },
        ),
        Pair(
            "RIS → CSL-JSON",
            args.size,
            "csljson",
            {
                "pandoc": pandoc(paths["ris"], "ris", "csljson", out["json"]),
                **citeport_cmds(py, paths["ris"], "csljson", out["json"], "ris", []),
            },
        ),
        Pair(
            "CSL-JSON → RIS",
            args.size,
            "ris",
            {
                "pandoc": None,
                **citeport_cmds(py, paths["csljson"], "ris", out["ris"], "csljson", []),
            },
            note="pandoc has no RIS writer",
        ),
        Pair(
            "CSL-JSON → IEEE text (citeproc, styles/ieee.csl)",
            args.ieee_size,
            "ieee",
            {
                "pandoc": ieee_pandoc,
                **citeport_cmds(
                    py,
                    paths["ieee_json"],
                    "ieee",
                    out["txt"],
                    "csljson",
                    ["--style", str(IEEE_CSL)],
                ),
            },
        ),
    ]


def output_path(cmd: list[str]) -> Path:
    return Path(cmd[cmd.index("-o") + 1])


def measure_pairs(
    args: argparse.Namespace, pairs: list[Pair]
) -> dict[tuple[str, str], bf.Measurement]:
    """Every tool on every pair, repeats interleaved; entries counted on the last run."""
    cells = {(p.name, t): bf.Measurement(t, p.records) for p in pairs for t in TOOLS}
    for pair in pairs:
        for tool in TOOLS:
            if pair.commands.get(tool) is None:
                cells[(pair.name, tool)].skipped = pair.note or "not supported"
    for rep in range(args.repeat):
        for pair in pairs:
            for tool in TOOLS:
                cmd, cell = pair.commands.get(tool), cells[(pair.name, tool)]
                if cmd is None:
                    continue
                dest = output_path(cmd)
                dest.unlink(missing_ok=True)
                bf.log(f"repeat {rep + 1}/{args.repeat}: {pair.name}: {tool}")
                result = bf.run_wrapped(args.python, cmd, args.workdir, args.timeout)
                cell.runs.append(result)
                bf.log(
                    f"    rc={result.rc} wall={result.wall:.2f}s"
                    f" rss={result.maxrss_kb / 1024:.0f}MiB tree_pss={result.pss_kb / 1024:.0f}MiB"
                )
                if rep == args.repeat - 1:
                    cell.entries_out = bf.count_entries(pair.out_fmt, dest)
                dest.unlink(missing_ok=True)
    return cells


# --------------------------------------------------------------------------
# Reporting
# --------------------------------------------------------------------------


def seconds(cell: bf.Measurement) -> str:
    """Median wall time, or why there is none."""
    if cell.skipped:
        return f"n/a ({cell.skipped})"
    if not cell.ok:
        return bf.status_text(cell)
    return bf.fmt_num(cell.median_wall, ".2f")


def ratio(pandoc: bf.Measurement, citeport: bf.Measurement) -> str:
    if not (pandoc.ok and citeport.ok and pandoc.median_wall and citeport.median_wall):
        return "–"
    return f"{pandoc.median_wall / citeport.median_wall:.2f}"


def rate(cell: bf.Measurement) -> str:
    if not (cell.ok and cell.median_wall):
        return "–"
    return f"{cell.size / cell.median_wall:,.0f}"


def mib(cell: bf.Measurement) -> str:
    return bf.fmt_num(bf.peak_memory(cell) if cell.runs else None, ".0f")


def entries(cell: bf.Measurement) -> str:
    return "–" if cell.entries_out is None else str(cell.entries_out)


def peers_table(pairs: list[Pair], cells: dict[tuple[str, str], bf.Measurement]) -> list[str]:
    rows = [
        "| pair | records | pandoc s | citeport -j1 s | citeport -j2 s "
        "| pandoc / citeport -j1 | pandoc / citeport -j2 "
        "| records/s pandoc / -j1 / -j2 | peak MiB pandoc / -j1 / -j2 "
        "| entries out pandoc / -j1 / -j2 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for pair in pairs:
        pd, j1, j2 = (cells[(pair.name, t)] for t in TOOLS)
        rows.append(
            f"| {pair.name} | {pair.records} | {bf.md_escape(seconds(pd), 60)} | {seconds(j1)} "
            f"| {seconds(j2)} | {ratio(pd, j1)} | {ratio(pd, j2)} "
            f"| {rate(pd)} / {rate(j1)} / {rate(j2)} | {mib(pd)} / {mib(j1)} / {mib(j2)} "
            f"| {entries(pd)} / {entries(j1)} / {entries(j2)} |"
        )
    return rows


def failure_lines(pairs: list[Pair], cells: dict[tuple[str, str], bf.Measurement]) -> list[str]:
    lines = []
    for pair in pairs:
        for tool in TOOLS:
            cell = cells[(pair.name, tool)]
            if cell.runs and not cell.ok:
                tail = " / ".join(cell.failed_runs[0].stderr_tail[-3:])
                lines.append(f"- {pair.name}, {tool}: {bf.md_escape(tail, 300)}")
    return ["### Failures", "", *lines, ""] if lines else []


def quoted(cmd: list[str]) -> str:
    return " ".join(shlex.quote(bf.rel(c) if c.startswith("/") else c) for c in cmd)


def commands_lines(
    args: argparse.Namespace, agg: Path, paths: dict[str, Path], pairs: list[Pair]
) -> list[str]:
    cli = citeport_cli(args.python)
    lines = [
        "```sh",
        "# this report",
        " ".join(shlex.quote(a) for a in [bf.rel(sys.executable), *sys.argv]),
        "# input (generated in-process with the same code; identical bytes)",
        f"python benchmarks/gen_aggregator.py {args.size} -o {agg} --seed {args.seed} "
        f"--stray-rate {args.stray_rate}",
        "# peer inputs, made once by citeport (untimed)",
        *(quoted(prepare_cmd(cli, agg, f, paths[f])) for f in ("csljson", "bibtex", "ris")),
        f"# IEEE input: the first {args.ieee_size} items of {paths['csljson'].name}; "
        f"{paths['nocite_md'].name} is:",
        *(f"#   {line}" for line in NOCITE_DOC.splitlines()),
        "# each measured run: <python> -c WRAPPER OUT ERR TIMEOUT <command>",
    ]
    for pair in pairs:
        lines.append(f"# {pair.name}")
        for tool in TOOLS:
            cmd = pair.commands.get(tool)
            lines.append(quoted(cmd) if cmd else f"#   {tool}: {pair.note}")
    return [*lines, "```", ""]


def render_section(
    args: argparse.Namespace,
    agg: bf.InputFile,
    paths: dict[str, Path],
    pairs: list[Pair],
    cells: dict[tuple[str, str], bf.Measurement],
    started: float,
) -> str:
    ver = bf.versions(args.python)
    cjs = (
        "installed, but not timed (not implemented yet)"
        if args.citation_js
        else "not installed (`node -e \"require('@citation-js/core')\"` fails): not timed"
    )
    lines = [
        HEADING,
        "",
        "Generated by `benchmarks/bench_peers.py` "
        f"on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime(started))}; "
        f"took {time.time() - started:.0f} s.",
        "",
        f"- Machine: nproc: {bf.nproc()}; CPU: {bf.cpu_model()}; {platform.system()} "
        f"{platform.release()}; load average at start: {args.load_at_start}, at end: "
        f"{bf.load_average()}",
        *bf.busy_warning(list(cells.values())),
        f"- Python {ver.get('python')}; citeport {ver.get('citeport')} (git {bf.git_commit()}), "
        f"citeproc-py {ver.get('citeproc-py')}; {tool_version([args.pandoc, '--version'])} "
        f"({bf.rel(args.pandoc)}); citation-js: {cjs}",
        f"- Inputs: `gen_aggregator.py` seed {args.seed}: {agg.size} records + {agg.stray} "
        f"stray lines ({agg.bytes / 1e6:.1f} MB). **The CSL-JSON, BibTeX and RIS inputs were "
        "produced by citeport itself** (`--to csljson|bibtex|ris -j 1`, untimed), so they are "
        "inputs citeport writes cleanly; the IEEE pair uses the first "
        f"{args.ieee_size} items of that CSL-JSON and citeport's own `styles/ieee.csl` for both "
        "tools (pandoc: `--citeproc` on a Markdown document with `nocite: '@*'`, `-t plain`).",
        f"- Each cell: {args.repeat} whole-process run(s) on the same file in the same run, "
        "repeats interleaved; median wall time (start-up included). Ratios are pandoc's time "
        "divided by citeport's (> 1: citeport faster). Peak MiB is measured by "
        "`bench_formats.py`'s wrapper: the larger of `ru_maxrss` and the PSS summed over the "
        "process tree (so `-j 2` counts its workers). *entries out* is counted in each output "
        f"file. Runs failing or exceeding {args.timeout:.0f} s are recorded in the table.",
        "",
        *peers_table(pairs, cells),
        "",
        *failure_lines(pairs, cells),
        "### Commands",
        "",
        *commands_lines(args, agg.path, paths, pairs),
    ]
    return "\n".join(lines)


def put_section(doc: Path, section: str) -> None:
    """Append the section, or replace an older copy of it (up to the next '## ')."""
    text = doc.read_text(encoding="utf-8") if doc.exists() else ""
    start = text.find(HEADING + "\n")
    if start >= 0:
        end = text.find("\n## ", start + len(HEADING))
        rest = text[end + 1 :] if end >= 0 else ""
        text = text[:start].rstrip("\n") + "\n\n" + (rest and rest.rstrip("\n") + "\n\n")
    doc.write_text(text.rstrip("\n") + "\n\n\n" + section.rstrip("\n") + "\n", encoding="utf-8")


# --------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Benchmark citeport convert against pandoc.")
    parser.add_argument("--size", type=int, default=10000, help="records (default 10000)")
    parser.add_argument(
        "--ieee-size", type=int, default=2000, help="items for the IEEE pair (default 2000)"
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs per cell, median taken (default 3)"
    )
    parser.add_argument("--seed", type=int, default=42, help="generator seed (default 42)")
    parser.add_argument(
        "--stray-rate", type=float, default=0.001, help="generator stray-line rate (default 0.001)"
    )
    parser.add_argument("--timeout", type=float, default=600, help="seconds per run (default 600)")
    parser.add_argument(
        "--python", default=sys.executable, help="interpreter for citeport (default: this one)"
    )
    parser.add_argument("--pandoc", default="", help="pandoc binary (default: pypandoc's)")
    parser.add_argument(
        "--workdir",
        type=Path,
        default=Path("/tmp/citeport-bench-peers"),
        help="scratch dir (default /tmp/citeport-bench-peers)",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=REPO_ROOT / "docs" / "benchmarks.md",
        help=f"Markdown file that gets the '{HEADING}' section (default docs/benchmarks.md)",
    )
    parser.add_argument("--no-write", action="store_true", help="print the section only")
    args = parser.parse_args(argv)
    if args.repeat < 1 or args.size < 1 or args.ieee_size < 1:
        parser.error("--repeat, --size and --ieee-size must be >= 1")
    args.ieee_size = min(args.ieee_size, args.size)
    args.pandoc = args.pandoc or pandoc_path()
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.time()
    args.load_at_start = bf.load_average()
    args.workdir.mkdir(parents=True, exist_ok=True)
    args.citation_js = citation_js_available()
    bf.log(f"generating {args.size} records in {args.workdir}")
    agg = bf.make_input(args.size, args.workdir, args.seed, args.stray_rate)
    paths = make_peer_inputs(args, agg.path)
    pairs = build_pairs(args, paths)
    cells = measure_pairs(args, pairs)
    section = render_section(args, agg, paths, pairs, cells, started)
    print(section)
    if not args.no_write:
        put_section(args.output, section)
        bf.log(f"wrote {HEADING!r} into {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
