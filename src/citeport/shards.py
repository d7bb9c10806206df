"""One shard in, one shard out: the unit of work for converting past one machine.

A large export often comes as a directory of shards (JSON-lines files of some thousands of
records each). `convert_shard` converts one shard file to one output file with citeport's own
readers and writers (`citeport.convert.convert`), written atomically as `citeport convert -o`
writes it, and returns a `ShardSummary`: small, picklable, holding the counts and every
diagnostic, so that a framework that runs functions on other machines can map it over the
shards and bring the summaries back. `plan_shards` lists the shards of a directory and names
the output of each. Nothing here schedules work, starts processes or prints: Dask or another
framework does that (see examples/dask_shards.py).

Each output shard is exactly what `citeport convert SHARD --to FORMAT -o OUTPUT` writes, byte
for byte, so citation keys are unique and IEEE references numbered within one output shard.

| input (in `plan_shards`)                  | output                                          |
|-------------------------------------------|-------------------------------------------------|
| `IN_DIR/NAME.EXT`, a file                 | `OUT_DIR/NAME` + the writer's first extension   |
| writer without an extension (`biblatex`)  | `OUT_DIR/NAME.FORMAT` (`NAME.biblatex`)         |
| a hidden file (`.NAME`) or a folder       | not a shard: left out                           |
| two shards with one stem, output = input  | `UsageError` before any work                    |

| `ShardSummary` field                 | from the shard's conversion                        |
|--------------------------------------|----------------------------------------------------|
| `read`, `written`, `skipped`         | `Result.read`, `Result.written`, `Result.skipped`  |
| `errors`, `warnings`, `notes`        | the log's counts by severity                       |
| `by_code`                            | the log's count of each diagnostic code            |
| `diagnostics`                        | every diagnostic as `Diagnostic.to_dict()`         |
| `withheld`                           | the input could not be read: no output written     |
| `failure`                            | the shard could not be converted at all (why)      |
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from .convert import UsageError, convert, writer_for
from .diagnostics import Diagnostic, DiagnosticLog, Location, Severity
from .options import WriteOptions

#: Diagnostic codes that mean an input or the output's format could not be used at all (the
#: CLI exits 2 on them, as on a usage error).
FAILURE_CODES = ("IO001", "IO002", "IEEE004")


class Shard(NamedTuple):
    """One unit of work: convert the file `source` to the file `output`."""

    source: str
    output: str


@dataclass(frozen=True, slots=True)
class ShardSummary:
    """What converting one shard did; small and picklable, made of plain values.

    Attributes:
        source: the input shard's path, as given.
        output: the output shard's path, as given.
        read: records read from the input.
        written: records written to the output.
        skipped: records (or lines) left out, each with a diagnostic.
        errors: diagnostics of severity error.
        warnings: diagnostics of severity warning.
        notes: diagnostics of severity info.
        by_code: how many diagnostics of each code, e.g. `{"AGG001": 1}`.
        diagnostics: every diagnostic, in the order reported, as `Diagnostic.to_dict()`.
        withheld: True when the output was not written because the input could not be read.
        failure: why the shard could not be converted at all (the output folder cannot be
            written, the output would overwrite the input); "" when it was converted.
    """

    source: str
    output: str
    read: int = 0
    written: int = 0
    skipped: int = 0
    errors: int = 0
    warnings: int = 0
    notes: int = 0
    by_code: dict[str, int] = field(default_factory=dict)
    diagnostics: tuple[dict[str, Any], ...] = ()
    withheld: bool = False
    failure: str = ""

    def status(self, strict: bool = False) -> int:
        """The exit status `citeport convert` gives for this shard.

        Args:
            strict: count warnings as errors, as `--strict` does.

        Returns:
            2 when the shard could not be converted (or its input read), 1 when it was
            converted with errors (or warnings under `strict`), 0 otherwise.
        """
        if self.failure or self.withheld or any(self.by_code.get(code) for code in FAILURE_CODES):
            return 2
        if self.errors or (strict and self.warnings):
            return 1
        return 0

    def lines(self) -> list[str]:
        """The diagnostics as `citeport convert --verbose` prints them (`file:line: ...`)."""
        return [str(_diagnostic(item)) for item in self.diagnostics]


def output_extension(to: str) -> str:
    """The file extension of an output shard in format `to` (`.bib` for `bibtex`).

    Raises:
        UsageError: citeport has no writer for `to`.
    """
    info = writer_for(to)
    return info.extensions[0] if info.extensions else f".{info.name}"


def plan_shards(
    in_dir: str | os.PathLike[str], out_dir: str | os.PathLike[str], to: str
) -> list[Shard]:
    """The shards of a directory, in name order, each with the path of its output shard.

    Every regular file of `in_dir` whose name does not start with a dot is a shard (folders
    are not entered). Its output in `out_dir` has the same stem and the extension of the
    format `to` (`part-0001.jsonl` -> `part-0001.bib`).

    Args:
        in_dir: the folder of input shards.
        out_dir: the folder the output shards go to (it need not exist yet).
        to: the output format, a writer's name or alias.

    Returns:
        The shards; an empty list when `in_dir` holds none.

    Raises:
        UsageError: no writer for `to`, two shards would have the same output, or an output
            would be an input shard.
        OSError: `in_dir` cannot be listed.
    """
    extension = output_extension(to)
    source_dir, target_dir = Path(in_dir), Path(out_dir)
    shards: list[Shard] = []
    seen: dict[str, str] = {}
    entries = sorted(source_dir.iterdir())
    inputs = {path.name for path in entries}
    same_dir = target_dir.exists() and source_dir.resolve() == target_dir.resolve()
    for path in entries:
        if path.name.startswith(".") or not path.is_file():
            continue
        name = path.stem + extension
        if name in seen:
            raise UsageError(f"shards {seen[name]} and {path.name} would both be written to {name}")
        if same_dir and name in inputs:
            raise UsageError(f"output shard {name} would overwrite an input shard")
        seen[name] = path.name
        shards.append(Shard(os.fspath(path), os.fspath(target_dir / name)))
    return shards


def convert_shard(
    source: str | os.PathLike[str],
    output: str | os.PathLike[str],
    to: str,
    *,
    from_format: str | None = None,
    options: WriteOptions | None = None,
) -> ShardSummary:
    """Convert one shard file to one output file; what a distributed map runs for each shard.

    The output is what `citeport convert SOURCE --to TO -o OUTPUT` writes, written atomically:
    a shard whose input cannot be read leaves no output (`withheld`), and a run that fails
    half-way leaves no partial file. The output's folder is made when it is missing. Bad
    records never raise: they are in the summary's diagnostics, as the CLI would print them.

    Args:
        source: the input shard.
        output: the output file.
        to: the output format, a writer's name or alias.
        from_format: the input format; detected from the shard's content when None.
        options: how to write (`WriteOptions`); the defaults when None.

    Returns:
        The summary of the conversion; `failure` says why when the shard could not be
        converted at all (the output folder cannot be written, output = input, an unknown
        format).
    """
    source_name, output_name = os.fspath(source), os.fspath(output)
    log = DiagnosticLog()
    try:
        Path(output_name).parent.mkdir(parents=True, exist_ok=True)
        result = convert(
            [source_name], to, output_name, from_format=from_format, options=options, log=log
        )
    except UsageError as exc:
        return ShardSummary(source_name, output_name, failure=str(exc))
    except OSError as exc:
        where = exc.filename or output_name
        return ShardSummary(source_name, output_name, failure=f"{where}: {exc.strerror or exc}")
    return ShardSummary(
        source=source_name,
        output=output_name,
        read=result.read,
        written=result.written,
        skipped=result.skipped,
        errors=log.errors,
        warnings=log.warnings,
        notes=log.counts[Severity.INFO],
        by_code=dict(log.by_code),
        diagnostics=tuple(diag.to_dict() for diag in log),
        withheld=bool(result.withheld),
    )


def _diagnostic(item: dict[str, Any]) -> Diagnostic:
    """The `Diagnostic` back from its `to_dict()` form."""
    location = Location(item["source"], item["line"], item["record"], item["field"])
    return Diagnostic(item["code"], Severity[item["severity"].upper()], item["message"], location)
