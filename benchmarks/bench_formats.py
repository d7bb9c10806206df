#!/usr/bin/env python3
"""Whole-process throughput / memory benchmark of ``citeport convert``.

How to run (from the repository root, with the dev venv)::

    .venv/bin/python benchmarks/bench_formats.py                  # defaults
    .venv/bin/python benchmarks/bench_formats.py --sizes 10000 100000 --repeat 1
    .venv/bin/python benchmarks/bench_formats.py --formats        # baseline only

For each input size it generates a deterministic aggregator JSON-lines file
(``benchmarks/gen_aggregator.py``), then times, as separate processes:

* a baseline that only parses the file line by line with ``orjson.loads``;
* ``<python> -m citeport convert INPUT --from aggregator --to FMT -o OUT --quiet``
  for every requested output format.

Every run goes through a tiny wrapper process that starts the command, waits
for it and reports its wall time plus ``getrusage(RUSAGE_CHILDREN)`` (peak RSS
and CPU time), so each measurement's peak RSS belongs to that one child.  The
median wall time over ``--repeat`` runs is reported as records/s and as a ratio
to the baseline of the same run; the peak RSS is the maximum over the repeats.
A second table compares peak RSS at the largest vs the smallest size (a flat
ratio means the converter streams).  IEEE formats go through citeproc-py
(~ms per item) and are skipped above ``--ieee-max`` records.

A run that exits non-zero or times out is recorded in the table, never raised.
The Markdown report (machine info, exact commands, tables) is printed and
written to ``docs/benchmarks.md`` unless ``--no-write``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import re
import shlex
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
sys.path.insert(0, str(BENCH_DIR))

import gen_aggregator  # noqa: E402  (sibling module, stdlib only)

ALL_FORMATS = ["bibtex", "ris", "csljson", "ieee", "ieee-html"]
IEEE_FORMATS = {"ieee", "ieee-html"}
BASELINE = "baseline (orjson parse)"
# "flat" memory: RSS(largest) / RSS(smallest) at most FLAT_RATIO and at most
# FLAT_SLOPE MiB per extra 100k records (~250 B/record: far below holding records).
FLAT_RATIO = 1.5
FLAT_SLOPE = 25.0

# Runs COMMAND..., sends its stdout/stderr to files, prints one JSON line.
WRAPPER_CODE = r"""
import json, os, resource, subprocess, sys, threading, time
out_path, err_path, timeout = sys.argv[1], sys.argv[2], float(sys.argv[3])
cmd = sys.argv[4:]

def tree(root):  # root pid and all its descendants, from /proc/*/stat
    kids = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat", "rb") as fh:
                    stat = fh.read()
                kids.setdefault(int(stat[stat.rindex(b")") + 2:].split()[1]), []).append(int(name))
            except (OSError, ValueError, IndexError):
                pass
    pids = [root]
    for pid in pids:
        pids.extend(kids.get(pid, ()))
    return pids

def pss_kb(pid):  # proportional set size: shared pages split between processes
    try:
        with open(f"/proc/{pid}/smaps_rollup") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0

peak_pss = 0
def sample(proc, stop):
    global peak_pss
    while True:
        peak_pss = max(peak_pss, sum(pss_kb(p) for p in tree(proc.pid)))
        if stop.wait(0.1):
            return

timed_out = False
t0 = time.perf_counter()
with open(out_path, "wb") as out, open(err_path, "wb") as err:
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=err)
    stop = threading.Event()
    sampler = threading.Thread(target=sample, args=(proc, stop), daemon=True)
    sampler.start()
    try:
        rc = proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        rc, timed_out = -9, True
    wall = time.perf_counter() - t0
    stop.set()
    sampler.join()
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"rc": rc, "wall": wall, "maxrss_kb": ru.ru_maxrss, "pss_kb": peak_pss,
                  "cpu": ru.ru_utime + ru.ru_stime, "timed_out": timed_out}))
"""

# The baseline: parse every line with orjson, count objects and bad lines.
BASELINE_CODE = r"""
import sys, orjson
objects = bad = 0
with open(sys.argv[1], "rb") as fh:
    for line in fh:
        try:
            if isinstance(orjson.loads(line), dict):
                objects += 1
        except orjson.JSONDecodeError:
            bad += 1
print(objects, bad)
"""

VERSIONS_CODE = r"""
import json, sys
from importlib import metadata
info = {"python": sys.version.split()[0], "implementation": sys.implementation.name}
for dist in ("citeport", "orjson", "citeproc-py"):
    try:
        info[dist] = metadata.version(dist)
    except metadata.PackageNotFoundError:
        info[dist] = "not installed"
print(json.dumps(info))
"""


# --------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------


@dataclass
class RunResult:
    """One wrapped process run."""

    rc: int
    wall: float
    maxrss_kb: int
    pss_kb: int
    cpu: float
    timed_out: bool
    stdout: str = ""
    stderr_lines: int = 0
    stderr_tail: list[str] = field(default_factory=list)


@dataclass
class Measurement:
    """All repeats of one (label, size) cell, plus derived figures."""

    label: str
    size: int
    runs: list[RunResult] = field(default_factory=list)
    skipped: str = ""  # reason, if not run at all
    entries_out: int | None = None
    digest: str = ""  # sha256 of the output of the last run
    jobs: str = ""  # citeport --jobs of this cell ("" for the baseline)
    fmt: str = ""

    @property
    def failed_runs(self) -> list[RunResult]:
        return [r for r in self.runs if r.rc != 0 or r.timed_out]

    @property
    def ok(self) -> bool:
        return bool(self.runs) and not self.failed_runs

    @property
    def median_wall(self) -> float | None:
        return statistics.median(r.wall for r in self.runs) if self.runs else None

    @property
    def median_cpu(self) -> float | None:
        return statistics.median(r.cpu for r in self.runs) if self.runs else None

    @property
    def peak_rss_mib(self) -> float | None:
        """Largest single process (ru_maxrss): exact, but blind to worker processes."""
        return max(r.maxrss_kb for r in self.runs) / 1024 if self.runs else None

    @property
    def peak_tree_mib(self) -> float | None:
        """Sampled peak PSS summed over the process tree (covers -j workers)."""
        return max(r.pss_kb for r in self.runs) / 1024 if self.runs else None


@dataclass
class InputFile:
    size: int
    path: Path
    stray: int
    bytes: int


# --------------------------------------------------------------------------
# Running things
# --------------------------------------------------------------------------


def tail_lines(path: Path, keep: int = 5) -> tuple[int, list[str]]:
    """Line count and last non-empty lines of a (possibly large) text file."""
    count = 0
    last: list[str] = []
    with open(path, encoding="utf-8", errors="replace") as fh:
        for line in fh:
            count += 1
            if line.strip():
                last.append(line.rstrip("\n"))
                if len(last) > keep:
                    last.pop(0)
    return count, last


def run_wrapped(python: str, cmd: list[str], workdir: Path, timeout: float) -> RunResult:
    """Run ``cmd`` inside the measuring wrapper and collect its figures."""
    out_path, err_path = workdir / "run.stdout", workdir / "run.stderr"
    wrapper = [python, "-c", WRAPPER_CODE, str(out_path), str(err_path), str(timeout), *cmd]
    proc = subprocess.run(wrapper, capture_output=True, text=True)
    if proc.returncode != 0 or not proc.stdout.strip():
        return RunResult(
            rc=proc.returncode or -1,
            wall=0.0,
            maxrss_kb=0,
            pss_kb=0,
            cpu=0.0,
            timed_out=False,
            stderr_lines=1,
            stderr_tail=[f"wrapper failed: {proc.stderr.strip()[-300:]}"],
        )
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    n_err, err_tail = tail_lines(err_path)
    stdout = out_path.read_text(encoding="utf-8", errors="replace")[:2000]
    return RunResult(
        rc=data["rc"],
        wall=data["wall"],
        maxrss_kb=data["maxrss_kb"],
        pss_kb=data["pss_kb"],
        cpu=data["cpu"],
        timed_out=data["timed_out"],
        stdout=stdout,
        stderr_lines=n_err,
        stderr_tail=err_tail,
    )


def convert_cmd(
    python: str, src: Path, fmt: str, dest: Path, from_format: str, jobs: str = ""
) -> list[str]:
    """The exact citeport command line for one format."""
    cmd = [python, "-m", "citeport", "convert", str(src)]
    if from_format:
        cmd += ["--from", from_format]
    if jobs:
        cmd += ["--jobs", jobs]
    return [*cmd, "--to", fmt, "-o", str(dest), "--quiet"]


def baseline_cmd(python: str, src: Path) -> list[str]:
    return [python, "-c", BASELINE_CODE, str(src)]


def make_input(size: int, workdir: Path, seed: int, stray_rate: float) -> InputFile:
    """Generate (deterministically) the aggregator file for one size."""
    path = workdir / f"aggregator_{size}_s{seed}.jsonl"
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        stats = gen_aggregator.generate(size, fh, seed=seed, stray_rate=stray_rate)
    return InputFile(size=size, path=path, stray=stats.stray, bytes=stats.bytes)


# --------------------------------------------------------------------------
# Counting what came out (a sanity check, not part of the timing)
# --------------------------------------------------------------------------


def _count_lines(path: Path, pattern: re.Pattern[str]) -> int:
    with open(path, encoding="utf-8", errors="replace") as fh:
        return sum(1 for line in fh if pattern.match(line))


def count_bibtex(path: Path) -> int:
    return _count_lines(path, re.compile(r"@(?!comment|string|preamble)\w+\s*\{", re.I))


def count_ris(path: Path) -> int:
    return _count_lines(path, re.compile(r"ER  -"))


def _json_loads(data: bytes) -> Any:
    """orjson when this interpreter has it (much faster on big outputs), else json."""
    try:
        import orjson
    except ImportError:
        return json.loads(data)
    return orjson.loads(data)


def count_csljson(path: Path) -> int:
    text = path.read_bytes()
    try:
        data = _json_loads(text)
    except ValueError:  # maybe JSON lines (orjson's error subclasses ValueError)
        return sum(1 for line in text.splitlines() if line.strip())
    return len(data) if isinstance(data, list) else 1


def count_ieee(path: Path) -> int:
    return _count_lines(path, re.compile(r"\s*\[\d+\]"))


def count_ieee_html(path: Path) -> int:
    text = path.read_text(encoding="utf-8", errors="replace")
    entries = text.count('class="csl-entry"')
    return entries or len(re.findall(r"<li[\s>]", text))


COUNTERS: dict[str, Callable[[Path], int]] = {
    "bibtex": count_bibtex,
    "ris": count_ris,
    "csljson": count_csljson,
    "ieee": count_ieee,
    "ieee-html": count_ieee_html,
}


def count_entries(fmt: str, path: Path) -> int | None:
    try:
        return COUNTERS[fmt](path) if path.exists() else None
    except (OSError, ValueError):
        return None


# --------------------------------------------------------------------------
# The benchmark loop
# --------------------------------------------------------------------------


def file_digest(path: Path) -> str:
    """sha256 of a file (to check that every --jobs wrote the same bytes)."""
    if not path.exists():
        return ""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def cell_label(fmt: str, jobs: str, all_jobs: list[str]) -> str:
    return f"{fmt} -j{jobs}" if len(all_jobs) > 1 and jobs else fmt


def measure_size(args: argparse.Namespace, inp: InputFile) -> list[Measurement]:
    """Baseline plus every format (at every --jobs) on one input, repeats interleaved."""
    base = Measurement(BASELINE, inp.size)
    cells = {
        (fmt, jobs): Measurement(cell_label(fmt, jobs, args.jobs), inp.size, jobs=jobs, fmt=fmt)
        for fmt in args.formats
        for jobs in args.jobs
    }
    for (fmt, _jobs), cell in cells.items():
        if fmt in IEEE_FORMATS and inp.size > args.ieee_max:
            cell.skipped = f"skipped: {inp.size} > --ieee-max {args.ieee_max}"
    for rep in range(args.repeat):
        log(f"[{inp.size}] repeat {rep + 1}/{args.repeat}: baseline")
        base.runs.append(
            run_wrapped(
                args.python, baseline_cmd(args.python, inp.path), args.workdir, args.timeout
            )
        )
        for (fmt, jobs), cell in cells.items():
            if cell.skipped:
                continue
            dest = args.workdir / f"out_{inp.size}.{fmt}"
            dest.unlink(missing_ok=True)
            log(f"[{inp.size}] repeat {rep + 1}/{args.repeat}: {cell.label}")
            result = run_wrapped(
                args.python,
                convert_cmd(args.python, inp.path, fmt, dest, args.from_format, jobs),
                args.workdir,
                args.timeout,
            )
            cell.runs.append(result)
            log(
                f"    rc={result.rc} wall={result.wall:.2f}s rss={result.maxrss_kb / 1024:.0f}MiB"
                f" tree_pss={result.pss_kb / 1024:.0f}MiB"
                f" stderr_lines={result.stderr_lines}"
            )
            if rep == args.repeat - 1:
                cell.entries_out = count_entries(fmt, dest)
                cell.digest = file_digest(dest)
            if not args.keep_outputs:
                dest.unlink(missing_ok=True)
    return [base, *cells.values()]


def jobs_table(cells: list[Measurement], all_jobs: list[str]) -> list[str]:
    """Wall-time speed-up of each --jobs over the first one, and whether the bytes match."""
    if len(all_jobs) < 2:
        return []
    first, others = all_jobs[0], all_jobs[1:]
    rows = [
        f"## `--jobs` {' vs '.join(all_jobs)}",
        "",
        f"Speed-up = median wall time at `-j {first}` / median wall time at `-j N`, same input, "
        "same run, repeats interleaved; *same bytes*: the outputs' sha256 are equal.",
        "",
        "| size (records) | format | "
        + " | ".join(f"speed-up -j{j} over -j{first} | CPU s -j{first} / -j{j}" for j in others)
        + " | same bytes |",
        "|---:|---|" + "---:|---:|" * len(others) + "---|",
    ]
    by_key = {(c.size, c.fmt, c.jobs): c for c in cells if c.jobs}
    for size, fmt in dict.fromkeys((c.size, c.fmt) for c in cells if c.jobs):
        ref = by_key[(size, fmt, first)]
        parts = []
        digests = {ref.digest}
        for j in others:
            cell = by_key[(size, fmt, j)]
            digests.add(cell.digest)
            ok = ref.ok and cell.ok and ref.median_wall and cell.median_wall
            speed = ref.median_wall / cell.median_wall if ok else None  # type: ignore[operator]
            parts.append(
                f"{fmt_num(speed, '.2f')} | {fmt_num(ref.median_cpu, '.1f')} / "
                f"{fmt_num(cell.median_cpu, '.1f')}"
            )
        same = "–" if "" in digests else ("yes" if len(digests) == 1 else "**NO**")
        rows.append(f"| {size} | {fmt} | {' | '.join(parts)} | {same} |")
    return [*rows, ""]


def put_section(doc: Path, heading: str, section: str) -> None:
    """Append `section` to the Markdown file `doc`, or replace an older copy of the section
    that starts with `heading` (up to the next '## ')."""
    text = doc.read_text(encoding="utf-8") if doc.exists() else ""
    start = text.find(heading + "\n")
    if start >= 0:
        end = text.find("\n## ", start + len(heading))
        rest = text[end + 1 :] if end >= 0 else ""
        text = text[:start].rstrip("\n") + "\n\n" + (rest and rest.rstrip("\n") + "\n\n")
    doc.parent.mkdir(parents=True, exist_ok=True)
    doc.write_text(text.strip("\n") + "\n\n\n" + section.rstrip("\n") + "\n", encoding="utf-8")


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------
# Reporting
# --------------------------------------------------------------------------


def md_escape(text: str, limit: int = 90) -> str:
    text = text.replace("|", "\\|").replace("\n", " ").strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def status_text(cell: Measurement) -> str:
    if cell.skipped:
        return cell.skipped
    if cell.ok:
        return "ok"
    bad = cell.failed_runs[0]
    what = "timeout" if bad.timed_out else f"FAIL exit {bad.rc}"
    detail = bad.stderr_tail[-1] if bad.stderr_tail else ""
    return f"{what} ({len(cell.failed_runs)}/{len(cell.runs)} runs)" + (
        f": {md_escape(detail, 70)}" if detail else ""
    )


def baseline_counts(stdout: str) -> str:
    """'OBJECTS BAD' printed by the baseline, as table text."""
    parts = stdout.split()
    if len(parts) == 2 and all(p.isdigit() for p in parts):
        return f"{parts[0]} objects, {parts[1]} non-JSON lines"
    return md_escape(stdout or "–", 40)


def fmt_num(value: float | None, spec: str) -> str:
    return "–" if value is None else format(value, spec)


def throughput_table(cells: list[Measurement], baselines: dict[int, Measurement]) -> list[str]:
    rows = [
        "| size (records) | format | status | median wall s | CPU s | records/s "  # rate only if ok
        "| time × baseline | peak RSS MiB (largest process) | peak tree PSS MiB (all processes) "
        "| stderr lines | entries out |",
        "|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for cell in cells:
        wall = cell.median_wall
        base = baselines.get(cell.size)
        base_wall = base.median_wall if base and base.ok else None
        rate = cell.size / wall if wall and cell.ok else None
        ratio = wall / base_wall if wall and base_wall and cell.ok else None
        stderr = str(max(r.stderr_lines for r in cell.runs)) if cell.runs else "–"
        entries = "–" if cell.entries_out is None else str(cell.entries_out)
        if cell.label == BASELINE and cell.runs:
            entries = baseline_counts(cell.runs[-1].stdout)
        rows.append(
            f"| {cell.size} | {cell.label} | {status_text(cell)} | {fmt_num(wall, '.2f')} "
            f"| {fmt_num(cell.median_cpu, '.2f')} | {fmt_num(rate, ',.0f')} "
            f"| {fmt_num(ratio, '.1f')} | {fmt_num(cell.peak_rss_mib, '.0f')} "
            f"| {fmt_num(cell.peak_tree_mib, '.0f')} | {stderr} | {entries} |"
        )
    return rows


def peak_memory(cell: Measurement) -> float | None:
    """The larger of tree PSS (covers workers, but sampled) and ru_maxrss (exact, one process)."""
    values = [v for v in (cell.peak_tree_mib, cell.peak_rss_mib) if v is not None]
    return max(values) if values else None


def memory_table(cells: list[Measurement], sizes: list[int]) -> list[str]:
    small, large = min(sizes), max(sizes)
    rows = [
        f"| format | peak memory MiB @ {small} | peak memory MiB @ {large} "
        f"| ratio {large}/{small} | MiB per extra 100k records "
        f"| verdict (flat: ≤ {FLAT_RATIO}× and ≤ {FLAT_SLOPE:.0f} MiB/100k) |",
        "|---|---:|---:|---:|---:|---|",
    ]
    labels = list(dict.fromkeys(c.label for c in cells))
    for label in labels:
        by_size = {c.size: c for c in cells if c.label == label}
        lo, hi = by_size.get(small), by_size.get(large)
        lo_rss = peak_memory(lo) if lo and lo.ok else None
        hi_rss = peak_memory(hi) if hi and hi.ok else None
        slope = None
        if lo_rss and hi_rss and small != large:
            ratio = hi_rss / lo_rss
            slope = (hi_rss - lo_rss) / (large - small) * 100_000
            flat = ratio <= FLAT_RATIO and slope <= FLAT_SLOPE
            verdict = "flat" if flat else "grows with input"
        else:
            ratio = None
            verdict = (
                "n/a ("
                + (
                    "skipped at largest size"
                    if hi and hi.skipped
                    else "only one size"
                    if small == large
                    else "failed run"
                )
                + ")"
            )
        rows.append(
            f"| {label} | {fmt_num(lo_rss, '.0f')} | {fmt_num(hi_rss, '.0f')} "
            f"| {fmt_num(ratio, '.2f')} | {fmt_num(slope, '.1f')} | {verdict} |"
        )
    return rows


def failures_section(cells: list[Measurement]) -> list[str]:
    lines: list[str] = []
    for cell in cells:
        for i, run in enumerate(cell.failed_runs):
            if i:  # one example per cell is enough
                break
            lines.append(
                f"- **{cell.label} @ {cell.size}**: exit {run.rc}"
                f"{' (timeout)' if run.timed_out else ''}; stderr tail:"
            )
            lines.append("  ```")
            lines.extend(f"  {md_escape(t, 200)}" for t in run.stderr_tail or ["(empty)"])
            lines.append("  ```")
    return ["## Failures", "", *lines, ""] if lines else []


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def busy_warning(cells: list[Measurement]) -> list[str]:
    """Flag runs where wall time far exceeds CPU time (machine shared with other work)."""
    slow = [
        c
        for c in cells
        if c.ok
        and c.median_wall
        and c.median_cpu
        and c.median_wall > 1.0
        and c.median_wall > 1.25 * c.median_cpu
    ]
    if not slow:
        return []
    return [
        f"- **Warning: the machine was busy** — {len(slow)} cell(s) took > 1.25× their CPU "
        "time in wall time; compare the *CPU s* column, or rerun on an idle machine."
    ]


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def nproc() -> str:
    try:
        return subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    except OSError:
        return str(len(os.sched_getaffinity(0)))


def versions(python: str) -> dict[str, str]:
    proc = subprocess.run([python, "-c", VERSIONS_CODE], capture_output=True, text=True)
    try:
        return {str(k): str(v) for k, v in json.loads(proc.stdout).items()}
    except (ValueError, AttributeError):
        return {"python": "unknown", "error": proc.stderr.strip()[-200:]}


def compile_bytecode(python: str) -> str:
    """Write citeport's .pyc files before timing, as `pip install` does for a normal install.

    An editable install run with PYTHONDONTWRITEBYTECODE=1 (set on this machine) would
    otherwise compile every citeport module from source in every timed run (~50 ms).
    """
    code = (
        "import compileall, os, citeport; "
        "compileall.compile_dir(os.path.dirname(citeport.__file__), quiet=1)"
    )
    proc = subprocess.run([python, "-c", code], capture_output=True, text=True)
    return "byte-compiled" if proc.returncode == 0 else f"not byte-compiled: {proc.stderr[-200:]}"


def git_commit() -> str:
    try:  # read-only query
        proc = subprocess.run(
            ["git", "-C", str(REPO_ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
        )
        return proc.stdout.strip() or "no commit yet"
    except OSError:
        return "unknown"


def rel(path: Path | str) -> str:
    try:
        return str(Path(path).resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def commands_section(args: argparse.Namespace, inputs: list[InputFile]) -> list[str]:
    py = args.python
    sample = inputs[0].path if inputs else Path("INPUT.jsonl")
    argv = " ".join(shlex.quote(a) for a in [rel(sys.executable), *sys.argv])
    gen = [
        f"python benchmarks/gen_aggregator.py {i.size} -o {i.path} --seed {args.seed} "
        f"--stray-rate {args.stray_rate}"
        for i in inputs
    ]
    conv = " ".join(
        shlex.quote(c)
        for c in convert_cmd(py, sample, "FMT", args.workdir / "out.FMT", args.from_format, "JOBS")
    )
    return [
        "## Commands",
        "",
        "```sh",
        f"# this report\n{argv}",
        "# inputs (generated in-process with the same code; identical bytes)",
        *gen,
        "# each measured run: <python> -c WRAPPER OUT ERR TIMEOUT <command>",
        f"# citeport, FMT in: {' '.join(args.formats) or '(none)'}; JOBS in: {' '.join(args.jobs)}",
        conv,
        "# baseline: orjson.loads() on every line, counting objects",
        f'{shlex.quote(py)} -c "$BASELINE_CODE" {sample}',
        "```",
        "",
    ]


def render_report(
    args: argparse.Namespace, inputs: list[InputFile], cells: list[Measurement], started: float
) -> str:
    baselines = {c.size: c for c in cells if c.label == BASELINE}
    ver = versions(args.python)
    input_desc = ", ".join(
        f"{i.size} records + {i.stray} stray lines ({i.bytes / 1e6:.1f} MB)" for i in inputs
    )
    lines = [
        "# citeport conversion benchmarks",
        "",
        "Generated by `benchmarks/bench_formats.py` "
        f"on {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime(started))}; "
        f"took {time.time() - started:.0f} s.",
        "",
        "## Machine",
        "",
        f"- nproc: {nproc()}; CPU: {cpu_model()}; {platform.system()} {platform.release()}; "
        f"load average at start: {args.load_at_start}, at end: {load_average()}",
        *busy_warning(cells),
        f"- Python {ver.get('python')} ({rel(args.python)}); citeport {args.bytecode} first",
        f"- citeport {ver.get('citeport')} (git {git_commit()}), orjson {ver.get('orjson')}, "
        f"citeproc-py {ver.get('citeproc-py')}",
        "",
        "## Method",
        "",
        f"- Inputs: `gen_aggregator.py` seed {args.seed}: {input_desc}.",
        f"- Each cell: {args.repeat} whole-process run(s), median wall time (process start-up "
        "included); peak RSS = max `ru_maxrss` of the child over the repeats, read in a "
        "wrapper process so each run is isolated.",
        "- *time × baseline*: median wall time divided by the baseline's (parse every line "
        "with `orjson.loads`, nothing else) on the same file in the same run.",
        f"- IEEE formats (citeproc-py, ~ms per item) only run up to `--ieee-max` = "
        f"{args.ieee_max} records.",
        "- *entries out*: entries counted in the output file (heuristic per format; "
        "stray input lines are not records).",
        "- Memory: *peak RSS* is `ru_maxrss` (exact, but the largest single process only); "
        "*tree PSS* is the proportional set size summed over the command and all its "
        "descendants (`-j` workers), sampled every 0.1 s (misses very short runs); the memory "
        "table uses the larger of the two.",
        "- Memory verdict: *flat* when peak RSS at the largest size is at most "
        f"{FLAT_RATIO}× the smallest and grows by at most {FLAT_SLOPE:.0f} MiB per extra "
        "100k records (bounded caches and a set of used keys are fine; holding the records "
        "is not).",
        "",
        "## Throughput",
        "",
        *throughput_table(cells, baselines),
        "",
        "## Memory: largest vs smallest input",
        "",
        *memory_table(cells, [i.size for i in inputs]),
        "",
        *jobs_table(cells, args.jobs),
        *failures_section(cells),
        *commands_section(args, inputs),
    ]
    return "\n".join(lines)


# --------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Benchmark citeport convert per output format.")
    parser.add_argument(
        "--sizes",
        type=int,
        nargs="+",
        default=[10000, 100000],
        help="input sizes in records (default: 10000 100000)",
    )
    parser.add_argument(
        "--formats",
        nargs="*",
        default=ALL_FORMATS,
        choices=ALL_FORMATS,
        help="output formats (default: all); give none for the baseline only",
    )
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs per cell, median taken (default 3)"
    )
    parser.add_argument(
        "--ieee-max",
        type=int,
        default=10000,
        help="largest size for ieee/ieee-html (default 10000)",
    )
    parser.add_argument("--seed", type=int, default=42, help="generator seed (default 42)")
    parser.add_argument(
        "--stray-rate", type=float, default=0.001, help="generator stray-line rate (default 0.001)"
    )
    parser.add_argument(
        "--timeout", type=float, default=1800, help="seconds per run (default 1800)"
    )
    parser.add_argument(
        "--python",
        default=sys.executable,
        help="interpreter for citeport and the baseline (default: this one)",
    )
    parser.add_argument(
        "--from-format",
        default="aggregator",
        help="value for --from ('' to omit the option; default aggregator)",
    )
    parser.add_argument(
        "--jobs",
        nargs="+",
        default=["2"],
        help="citeport --jobs values, each format runs at each (default 2); with two or more "
        "the report gets a speed-up table and checks the outputs are byte-identical",
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        default=Path("/tmp/citeport-bench"),
        help="scratch dir for inputs and outputs (default /tmp/citeport-bench)",
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=REPO_ROOT / "docs" / "benchmarks.md",
        help="Markdown report path (default docs/benchmarks.md)",
    )
    parser.add_argument("--no-write", action="store_true", help="print the report only")
    parser.add_argument("--keep-outputs", action="store_true", help="keep converted files")
    parser.add_argument("--strict", action="store_true", help="exit 1 if any run failed")
    args = parser.parse_args(argv)
    args.sizes = sorted(set(args.sizes))
    if args.repeat < 1 or any(s < 1 for s in args.sizes):
        parser.error("--repeat and --sizes must be >= 1")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.time()
    args.load_at_start = load_average()
    args.bytecode = compile_bytecode(args.python)
    args.workdir.mkdir(parents=True, exist_ok=True)
    inputs: list[InputFile] = []
    cells: list[Measurement] = []
    for size in args.sizes:
        log(f"generating {size} records in {args.workdir}")
        inp = make_input(size, args.workdir, args.seed, args.stray_rate)
        inputs.append(inp)
        cells.extend(measure_size(args, inp))
    report = render_report(args, inputs, cells, started)
    print(report)
    if not args.no_write:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(report + "\n", encoding="utf-8")
        log(f"wrote {args.output}")
    failed = any(c.runs and not c.ok for c in cells)
    return 1 if failed and args.strict else 0


if __name__ == "__main__":
    sys.exit(main())
