#!/usr/bin/env python3
"""Whole-process benchmark of ``citeport convert`` against pandoc and citation-js (issue 6).

How to run (from the repository root, with the dev venv)::

    .venv/bin/python benchmarks/bench_peers.py                       # defaults
    .venv/bin/python benchmarks/bench_peers.py --size 10000 --repeat 1 --ieee-size 2000

It makes the inputs with ``gen_inputs.py`` (``--size`` aggregator records, then the same
records as CSL-JSON, BibTeX and RIS **written by citeport itself**, once, untimed) and times,
as whole processes on the same files in the same run (repeats interleaved, median wall time
over ``--repeat``):

* CSL-JSON -> BibTeX, CSL-JSON -> RIS, RIS -> CSL-JSON, BibTeX -> CSL-JSON;
* IEEE plain text for ``--ieee-size`` items: pandoc ``--citeproc`` on a Markdown
  document with ``nocite: '@*'``, the CSL-JSON as bibliography and citeport's own
  ``styles/ieee.csl``; citeport ``--to ieee --style styles/ieee.csl`` on the
  same CSL-JSON;

each with pandoc (pypandoc-binary's), citation-js (``node benchmarks/citejs_convert.js``,
when ``node`` and the npm packages under ``--citejs-modules`` are there; install them with
``npm install --prefix /tmp/citejs @citation-js/core @citation-js/plugin-bibtex
@citation-js/plugin-ris @citation-js/plugin-csl``), citeport ``-j 1`` and citeport ``-j 2``.
Every run goes through ``bench_formats.run_wrapped`` (imported, not copied), so peak RSS and
the all-process PSS of ``-j 2`` are measured exactly as in ``bench_formats.py``.  The entries
in every output file are counted: a peer that silently drops records gets no ratio.

The table gives each peer's time over citeport's, the fastest peer's, and the issue's target
for the pair (met or not, best of ``-j 1`` and ``-j 2``).  A run that exits non-zero or exceeds
``--timeout`` (default 600 s) is recorded in the table, never raised.  The Markdown section is
printed and put into ``docs/benchmarks.md`` under "## Against pandoc and citation-js"
(replacing an older copy of that section) unless ``--no-write``.
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
import gen_inputs  # noqa: E402

HEADING = "## Against pandoc and citation-js"
IEEE_CSL = REPO_ROOT / "styles" / "ieee.csl"
PEERS = ["pandoc", "citation-js"]
TOOLS = [*PEERS, "citeport -j1", "citeport -j2"]
CITEJS_DRIVER = BENCH_DIR / "citejs_convert.js"
CITEJS_PACKAGES = ["core", "plugin-bibtex", "plugin-ris", "plugin-csl"]
NOCITE_DOC = "---\nnocite: '@*'\n---\n\n# References\n"


@dataclass
class Pair:
    """One conversion, with the command of each tool (None: the tool cannot do it)."""

    name: str
    records: int
    out_fmt: str  # bench_formats counter name for the output
    commands: dict[str, list[str] | None]
    notes: dict[str, str] | None = None  # tool -> why it is not timed
    target: tuple[str, float] | None = None  # (peer, ratio) the issue asks for


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


def citejs_modules(requested: str) -> Path | None:
    """The node_modules directory with citation-js and its plugins, or None (not timed)."""
    candidates = [Path(requested)] if requested else [Path("/tmp/citejs/node_modules")]
    for modules in candidates:
        if all(
            (modules / "@citation-js" / pkg / "package.json").exists() for pkg in CITEJS_PACKAGES
        ):
            try:
                proc = subprocess.run(["node", "--version"], capture_output=True, timeout=60)
            except (OSError, subprocess.TimeoutExpired):
                return None
            return modules if proc.returncode == 0 else None
    return None


def citejs_version(modules: Path | None) -> str:
    if modules is None:
        return "not installed (not timed)"
    core = json.loads((modules / "@citation-js" / "core" / "package.json").read_text())
    node = tool_version(["node", "--version"])
    return f"@citation-js/core {core.get('version')} on node {node}"


def make_peer_inputs(args: argparse.Namespace) -> gen_inputs.Inputs:
    """Aggregator, CSL-JSON, BibTeX and RIS files (gen_inputs.py), plus the IEEE subset."""
    made = gen_inputs.make_inputs(
        args.size, args.workdir, seed=args.seed, stray_rate=args.stray_rate, python=args.python
    )
    paths = made.paths
    paths["ieee_json"] = args.workdir / f"peers_ieee_{args.ieee_size}.json"
    items = bf._json_loads(paths["csljson"].read_bytes())[: args.ieee_size]
    paths["ieee_json"].write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    paths["nocite_md"] = args.workdir / "nocite.md"
    paths["nocite_md"].write_text(NOCITE_DOC, encoding="utf-8")
    return made


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
    pd, py, wd, cjs = args.pandoc, args.python, args.workdir, args.citejs
    out = {fmt: wd / f"peer_out.{fmt}" for fmt in ("json", "bib", "ris", "txt")}
    no_cjs = "citation-js not installed"

    def pandoc(src: Path, frm: str, to: str, dest: Path) -> list[str]:
        return [pd, "-f", frm, "-t", to, str(src), "-o", str(dest)]

    def citejs(src: Path, frm: str, to: str, dest: Path) -> list[str] | None:
        if cjs is None:
            return None
        return ["node", str(CITEJS_DRIVER), str(cjs), frm, to, str(src), str(dest)]

    def pair(
        name: str, frm: str, to: str, dest: Path, target: tuple[str, float], pandoc_ok: bool = True
    ) -> Pair:
        notes = {"citation-js": no_cjs}
        if not pandoc_ok:
            notes["pandoc"] = f"pandoc has no {to.upper()} writer"
        return Pair(
            name,
            args.size,
            to,
            {
                "pandoc": pandoc(paths[frm], frm, to, dest) if pandoc_ok else None,
                "citation-js": citejs(paths[frm], frm, to, dest),
                **citeport_cmds(py, paths[frm], to, dest, frm, []),
            },
            notes=notes,
            target=target,
        )

    ieee_pandoc = [
        pd, str(paths["nocite_md"]), "--citeproc", "--csl", str(IEEE_CSL),
        "--bibliography", str(paths["ieee_json"]), "-t", "plain", "-o", str(out["txt"]),
    ]  # fmt: skip
    return [
        pair("CSL-JSON → BibTeX", "csljson", "bibtex", out["bib"], ("citation-js", 2.0)),
        pair("CSL-JSON → RIS", "csljson", "ris", out["ris"], ("citation-js", 2.0), False),
        pair("RIS → CSL-JSON", "ris", "csljson", out["json"], ("citation-js", 2.0)),
        pair("BibTeX → CSL-JSON", "bibtex", "csljson", out["json"], ("citation-js", 1.5)),
        Pair(
            "CSL-JSON → IEEE text (citeproc, styles/ieee.csl)",
            args.ieee_size,
            "ieee",
            {
                "pandoc": ieee_pandoc,
                "citation-js": None,
                **citeport_cmds(
                    py,
                    paths["ieee_json"],
                    "ieee",
                    out["txt"],
                    "csljson",
                    # pandoc abbreviates no journal name: neither does citeport here
                    ["--style", str(IEEE_CSL), "--full-journal-names"],
                ),
            },
            notes={"citation-js": "not timed (IEEE through citation-js needs citeproc-js)"},
            target=("pandoc", 3.0),
        ),
    ]


def output_path(cmd: list[str]) -> Path:
    if "-o" in cmd:
        return Path(cmd[cmd.index("-o") + 1])
    return Path(cmd[-1])  # citejs_convert.js: OUTPUT is the last argument


def measure_pairs(
    args: argparse.Namespace, pairs: list[Pair]
) -> dict[tuple[str, str], bf.Measurement]:
    """Every tool on every pair, repeats interleaved; entries counted on the last run."""
    cells = {(p.name, t): bf.Measurement(t, p.records) for p in pairs for t in TOOLS}
    for pair in pairs:
        for tool in TOOLS:
            if pair.commands.get(tool) is None:
                cells[(pair.name, tool)].skipped = (pair.notes or {}).get(tool, "not supported")
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
        return "n/a"
    if not cell.ok:
        return bf.status_text(cell)
    return bf.fmt_num(cell.median_wall, ".2f")


def speedup(peer: bf.Measurement, citeport: bf.Measurement) -> float | None:
    """Peer time / citeport time (> 1: citeport faster), None when either did not run right."""
    if not (peer.ok and citeport.ok and peer.median_wall and citeport.median_wall):
        return None
    if peer.entries_out is not None and peer.entries_out < peer.size:
        return None  # the peer lost records: its time is not comparable
    return peer.median_wall / citeport.median_wall


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
        "| pair | records | pandoc s | citation-js s | citeport -j1 s | citeport -j2 s "
        "| pandoc / citeport -j1 | citation-js / citeport -j1 | fastest peer / citeport -j1 "
        "| fastest peer / citeport -j2 | target | met (best of -j1, -j2) "
        "| records/s pandoc / citation-js / -j1 / -j2 | peak MiB pandoc / citation-js / -j1 / -j2 "
        "| entries out pandoc / citation-js / -j1 / -j2 |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---:|---:|---:|",
    ]
    for pair in pairs:
        pd, cj, j1, j2 = (cells[(pair.name, t)] for t in TOOLS)
        peers = [c for c in (pd, cj) if c.ok and c.median_wall]
        fastest = min(peers, key=lambda c: c.median_wall or 0.0) if peers else None
        fast1 = speedup(fastest, j1) if fastest else None
        fast2 = speedup(fastest, j2) if fastest else None
        target, met = "–", "–"
        if pair.target:
            peer_name, wanted = pair.target
            target = f"≥ {wanted}× {peer_name}"
            versus = cells[(pair.name, peer_name)]
            got = [r for r in (speedup(versus, j1), speedup(versus, j2)) if r is not None]
            if got:
                met = f"{'yes' if max(got) >= wanted else '**no**'} ({max(got):.2f}×)"
            else:
                met = f"n/a ({peer_name} not timed)"

        def num(value: float | None) -> str:
            return bf.fmt_num(value, ".2f")

        rows.append(
            f"| {pair.name} | {pair.records} | {bf.md_escape(seconds(pd), 60)} "
            f"| {bf.md_escape(seconds(cj), 60)} | {seconds(j1)} | {seconds(j2)} "
            f"| {num(speedup(pd, j1))} | {num(speedup(cj, j1))} "
            f"| {num(fast1)}{f' ({fastest.label})' if fastest else ''} | {num(fast2)} "
            f"| {target} | {met} "
            f"| {rate(pd)} / {rate(cj)} / {rate(j1)} / {rate(j2)} "
            f"| {mib(pd)} / {mib(cj)} / {mib(j1)} / {mib(j2)} "
            f"| {entries(pd)} / {entries(cj)} / {entries(j1)} / {entries(j2)} |"
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
            elif cell.ok and cell.entries_out is not None and cell.entries_out < cell.size:
                lines.append(
                    f"- {pair.name}, {tool}: wrote {cell.entries_out} of {cell.size} entries "
                    "(its time is left out of the ratios)"
                )
    return ["### Failures and lost records", "", *lines, ""] if lines else []


def quoted(cmd: list[str]) -> str:
    return " ".join(shlex.quote(bf.rel(c) if c.startswith("/") else c) for c in cmd)


def commands_lines(
    args: argparse.Namespace, made: gen_inputs.Inputs, pairs: list[Pair]
) -> list[str]:
    paths = made.paths
    lines = [
        "```sh",
        "# this report",
        " ".join(shlex.quote(a) for a in [bf.rel(sys.executable), *sys.argv]),
        "# inputs (benchmarks/gen_inputs.py; made in-process with the same code, untimed)",
        *made.commands,
        f"# IEEE input: the first {args.ieee_size} items of {paths['csljson'].name}; "
        f"{paths['nocite_md'].name} is:",
        *(f"#   {line}" for line in NOCITE_DOC.splitlines()),
        "# each measured run: <python> -c WRAPPER OUT ERR TIMEOUT <command>",
    ]
    for pair in pairs:
        lines.append(f"# {pair.name}")
        for tool in TOOLS:
            cmd = pair.commands.get(tool)
            lines.append(quoted(cmd) if cmd else f"#   {tool}: {(pair.notes or {}).get(tool)}")
    return [*lines, "```", ""]


def render_section(
    args: argparse.Namespace,
    made: gen_inputs.Inputs,
    pairs: list[Pair],
    cells: dict[tuple[str, str], bf.Measurement],
    started: float,
) -> str:
    ver = bf.versions(args.python)
    agg = made.paths["aggregator"]
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
        f"- Python {ver.get('python')}; citeport {ver.get('citeport')} "
        f"(git {gen_inputs.git_commit()}; {args.bytecode} first), "
        f"citeproc-py {ver.get('citeproc-py')}; "
        f"{tool_version([args.pandoc, '--version'])} ({bf.rel(args.pandoc)}); citation-js: "
        f"{citejs_version(args.citejs)} (`benchmarks/citejs_convert.js`: reads the whole file "
        "with citation-js's parser for the format, forced, and writes it with its formatter)",
        f"- Inputs: `gen_inputs.py` {args.size} records ({agg.name}: `gen_aggregator.py` seed "
        f"{args.seed} with {made.stray} stray lines). **The CSL-JSON, BibTeX and RIS inputs were "
        "written by citeport itself** from that file, so they are inputs citeport writes "
        "cleanly; the IEEE pair uses the first "
        f"{args.ieee_size} items of that CSL-JSON and citeport's own `styles/ieee.csl` for both "
        "tools (pandoc: `--citeproc` on a Markdown document with `nocite: '@*'`, `-t plain`).",
        f"- Each cell: {args.repeat} whole-process run(s) on the same file in the same run, "
        "repeats interleaved; median wall time (start-up included). Ratios are the peer's time "
        "divided by citeport's (> 1: citeport faster); *fastest peer* is whichever of pandoc "
        "and citation-js took less time on that pair. A peer that wrote fewer entries than "
        "records has no ratio. Peak MiB is measured by `bench_formats.py`'s wrapper: the "
        "larger of `ru_maxrss` and the PSS summed over the process tree (so `-j 2` counts its "
        "workers). *entries out* is counted in each output file. Runs failing or exceeding "
        f"{args.timeout:.0f} s are recorded in the table.",
        "",
        *peers_table(pairs, cells),
        "",
        *failure_lines(pairs, cells),
        "### Commands",
        "",
        *commands_lines(args, made, pairs),
    ]
    return "\n".join(lines)


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
        default=Path("/tmp/citeport-inputs"),
        help="inputs and scratch (default /tmp/citeport-inputs, shared with gen_inputs.py)",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=REPO_ROOT / "docs" / "benchmarks.md",
        help=f"Markdown file that gets the '{HEADING}' section (default docs/benchmarks.md)",
    )
    parser.add_argument(
        "--citejs-modules",
        default="",
        help="node_modules dir with @citation-js/core and the bibtex, ris, csl plugins "
        "(default /tmp/citejs/node_modules; citation-js is skipped when absent)",
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
    args.bytecode = bf.compile_bytecode(args.python)
    args.workdir.mkdir(parents=True, exist_ok=True)
    args.citejs = citejs_modules(args.citejs_modules)
    made = make_peer_inputs(args)
    pairs = build_pairs(args, made.paths)
    cells = measure_pairs(args, pairs)
    section = render_section(args, made, pairs, cells, started)
    print(section)
    if not args.no_write:
        bf.put_section(args.output, HEADING, section)
        bf.log(f"wrote {HEADING!r} into {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
