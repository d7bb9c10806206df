"""Convert a directory of shards with Dask: one output shard per input shard.

    python examples/dask_shards.py IN_DIR OUT_DIR --to bibtex [--from FORMAT] [--workers N]
    python examples/dask_shards.py IN_DIR OUT_DIR --to bibtex --scheduler tcp://HOST:8786

Each file of IN_DIR (JSON-lines shards, or any format citeport reads) becomes one file of
OUT_DIR with the same stem and the output format's extension, exactly as
`citeport convert SHARD --to FORMAT -o OUTPUT` writes it. Dask does all the scheduling: the
shards are a `dask.bag`, and each worker runs citeport's own `citeport.shards.convert_shard`
on one shard and sends back a small summary (counts and every diagnostic). Diagnostics of
severity warning and error go to stderr as `citeport convert` prints them; one line per shard
and a total go to stdout. The exit status is the worst shard's, as `citeport convert` gives
it: 0 done, 1 a shard had errors, 2 a shard could not be converted (or its input read).

Without `--scheduler` the script starts a `LocalCluster` of N worker processes on this
machine. To use a real cluster, start `dask scheduler` and `dask worker tcp://HOST:8786`
(or any Dask deployment) and pass its address with `--scheduler`: the script then does
`Client("tcp://HOST:8786")` instead. Every worker needs citeport installed (the same version
as the client), and IN_DIR and OUT_DIR must be at the same paths on every worker and on the
client (a shared file system): workers read and write the shards themselves, only the
summaries travel back.

Citation keys are unique, and IEEE references numbered, within each output shard.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Iterator, Sequence

import dask.bag
from dask.distributed import Client, LocalCluster

from citeport.convert import UsageError
from citeport.diagnostics import Severity
from citeport.shards import ShardSummary, convert_shard, plan_shards

TOTALS = ("read", "written", "skipped", "errors", "warnings", "notes")


@contextlib.contextmanager
def connect(scheduler: str | None, workers: int) -> Iterator[Client]:
    """A client of the cluster at `scheduler`, or of a new local cluster of worker processes."""
    if scheduler:
        with Client(scheduler) as client:
            yield client
        return
    with (
        LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


def counts(read: int, written: int, skipped: int, errors: int, warnings: int, notes: int) -> str:
    """The counts as `citeport convert` words its summary: `read 2, wrote 2, skipped 1 (...)`."""
    severities = (("error", errors), ("warning", warnings), ("note", notes))
    noticed = [f"{n} {name}{'s' if n != 1 else ''}" for name, n in severities if n]
    tail = f" ({', '.join(noticed)})" if noticed else ""
    return f"read {read}, wrote {written}, skipped {skipped}{tail}"


def describe(s: ShardSummary) -> str:
    """One line for a shard: its output and counts, or why it was not converted."""
    if s.failure:
        return f"{s.source}: not converted: {s.failure}"
    withheld = "; not written: the input could not be read" if s.withheld else ""
    done = counts(s.read, s.written, s.skipped, s.errors, s.warnings, s.notes)
    return f"{s.source} -> {s.output}: {done}{withheld}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("in_dir", help="folder of input shards")
    parser.add_argument("out_dir", help="folder for the output shards (made if missing)")
    parser.add_argument("--to", required=True, help="output format (citeport formats)")
    parser.add_argument("--from", dest="from_format", help="input format (default: detected)")
    parser.add_argument("--workers", type=int, default=2, help="local worker processes")
    parser.add_argument("--scheduler", help="address of a running Dask scheduler")
    args = parser.parse_args(argv)

    try:
        # Absolute paths: a worker's working folder is not the client's.
        shards = plan_shards(os.path.abspath(args.in_dir), os.path.abspath(args.out_dir), args.to)
    except (UsageError, OSError) as exc:
        why = f"{exc.filename}: {exc.strerror}" if isinstance(exc, OSError) else str(exc)
        print(f"dask_shards: error: {why}", file=sys.stderr)
        return 2
    if not shards:
        print(f"dask_shards: error: no shards in {args.in_dir}", file=sys.stderr)
        return 2

    with connect(args.scheduler, args.workers):
        work = dask.bag.from_sequence(shards, npartitions=len(shards))  # a task per shard
        summaries: list[ShardSummary] = work.starmap(
            convert_shard, to=args.to, from_format=args.from_format
        ).compute()

    for summary in summaries:
        for item, line in zip(summary.diagnostics, summary.lines(), strict=True):
            if item["severity"] != str(Severity.INFO):
                print(line, file=sys.stderr)
        print(describe(summary))
    failed = sum(1 for s in summaries if s.status() == 2)
    total = counts(*(sum(getattr(s, n) for s in summaries) for n in TOTALS))
    print(f"total: {len(summaries)} shards, {total}; {failed} failed")
    return max(s.status() for s in summaries)


if __name__ == "__main__":
    sys.exit(main())
