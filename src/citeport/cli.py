"""The `citeport` command line.

    citeport convert INPUT... --to FORMAT [-o OUT] [--from FORMAT] [--strict] [--quiet]
    citeport formats

Diagnostics go to stderr compiler-style (`refs.jsonl:3: warning[AGG001] ...`), then a one-line
summary. Exit status: 0 done (warnings allowed), 1 done with errors (or with warnings under
--strict), 2 usage or I/O error. No Python traceback reaches the user: an unexpected failure is
one line naming it as a citeport bug.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TextIO

from . import __version__
from .convert import OutputFailed, Result, UsageError, convert, full_disk
from .diagnostics import Action, Diagnostic, DiagnosticLog, Ledger, Severity
from .options import WriteOptions
from .parallel import WorkerDied
from .registry import FormatNames, formats

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2
#: Diagnostics that mean the command could not do what was asked: exit 2, like a usage error.
USAGE_CODES = ("IO001", "IO002", "IEEE004")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"citeport: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="citeport", description="Convert citation records between formats.")
    parser.add_argument("--version", action="version", version=f"citeport {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    conv = commands.add_parser("convert", help="convert inputs to one output format")
    conv.add_argument("inputs", nargs="+", metavar="INPUT", help="input files ('-' for stdin)")
    to = conv.add_argument("-t", "--to", required=True, help="output format")
    source = conv.add_argument(
        "-f",
        "--from",
        dest="from_format",
        help="input format (default: detected from extension and content)",
    )
    # Set after add_argument, which would list them: a conversion imports only its formats.
    to.choices, source.choices = FormatNames("writer"), FormatNames("reader")
    conv.add_argument(
        "-o", "--output", default="-", help="output file, written atomically (default: stdout)"
    )
    conv.add_argument("--strict", action="store_true", help="exit 1 when there are warnings")
    conv.add_argument(
        "-q", "--quiet", action="store_true", help="print only errors, no warnings and no summary"
    )
    conv.add_argument(
        "-v",
        "--verbose",
        action="store_true",
        help="also print informational diagnostics (repairs)",
    )
    conv.add_argument(
        "--abbreviations",
        metavar="FILE",
        help="IEEE: a JSON or CSV table of journal abbreviations that overrides the built-in ones",
    )
    conv.add_argument(
        "--style",
        metavar="CSL",
        help="IEEE writers: render with another CSL style (a path or a name from styles/)",
    )
    profile = conv.add_argument(
        "--ris-profile",
        default="default",
        help="RIS: choose the tags for one consumer (default: what all the big tools import)",
    )
    profile.choices = _RisProfiles()  # after add_argument, which would list them
    conv.add_argument(
        "-j",
        "--jobs",
        type=_jobs,
        default=_cores(),
        metavar="N",
        help="worker processes (default: all cores); the output is the same for any N",
    )
    conv.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="a progress bar on stderr (default: when stderr is a terminal)",
    )
    conv.add_argument(
        "--report",
        choices=["json"],
        help="instead of text diagnostics, a JSON ledger on stderr: one line per record with "
        "each field dropped, changed or repaired and why, then a summary line",
    )
    conv.add_argument(
        "--report-file",
        metavar="PATH",
        help="write the JSON ledger to PATH (stderr keeps the text diagnostics and summary)",
    )
    conv.add_argument(
        "--unicode",
        action="store_true",
        help="BibTeX: write UTF-8 instead of LaTeX accent commands",
    )
    conv.add_argument(
        "--full-journal-names",
        action="store_true",
        help="IEEE: keep journal names as given instead of abbreviating them",
    )

    commands.add_parser("formats", help="list the formats citeport reads and writes")
    return parser


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _jobs(value: str) -> int:
    try:
        jobs = int(value)
    except ValueError:
        jobs = 0
    if jobs < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of processes, not {value!r}")
    return jobs


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit status (the console script exits with it)."""
    args = build_parser().parse_args(argv)
    try:
        with _stdout_that_writes_all():
            if args.command == "formats":
                return _list_formats(sys.stdout)
            return _convert(args)
    except KeyboardInterrupt:
        print("citeport: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `citeport ... | head`: the reader has what it wanted
        _drop_standard_output()
        return EXIT_OK
    except UsageError as exc:
        print(f"citeport: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except OutputFailed as exc:  # a full disk
        left = "it is left as it was" if exc.kept else "what was written to it is incomplete"
        print(f"citeport: error: {exc.filename}: {exc.strerror}; {left}", file=sys.stderr)
        if exc.filename == "standard output":
            _drop_standard_output()
        return EXIT_USAGE
    except OSError as exc:
        print(f"citeport: error: {exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_USAGE
    except WorkerDied:  # not a citeport bug: the system (out of memory) or a user killed it
        output = getattr(args, "output", "-")
        whole_file = output != "-" and (os.path.isfile(output) or not os.path.exists(output))
        left = f"nothing was written to {output}" if whole_file else "the output is incomplete"
        print(
            f"citeport: error: a worker process was killed (out of memory?); {left}; "
            "run again with fewer --jobs",
            file=sys.stderr,
        )
        return EXIT_ERRORS
    except Exception as exc:  # a bug: say so in one line, never a traceback
        print(
            f"citeport: internal error ({type(exc).__name__}: {exc}); "
            "please report this as a citeport bug",
            file=sys.stderr,
        )
        return EXIT_ERRORS


def _drop_standard_output() -> None:
    """Send what standard output still holds to the null device, as Python's documentation
    advises after a broken pipe: its flush at exit would fail again, with a traceback."""
    with contextlib.suppress(OSError, ValueError):  # ValueError: no descriptor (a test's stdout)
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)


@contextlib.contextmanager
def _stdout_that_writes_all() -> Iterator[None]:
    """Standard output, buffered for the run when Python left it unbuffered (`python -u`,
    PYTHONUNBUFFERED, which many container images set).

    Unbuffered, `sys.stdout` writes to the file itself, and a write the system takes only in
    part (a full disk, a file size limit) loses the rest without an error: the output would
    be cut short and the exit code 0. A buffered stream writes all or raises.
    """
    unbuffered = sys.stdout
    if not isinstance(getattr(unbuffered, "buffer", None), io.RawIOBase):
        yield
        return
    # A stream of its own on a copy of the descriptor, so closing it leaves stdout open.
    buffered = open(  # noqa: SIM115 - closed below
        os.dup(unbuffered.fileno()), "w", encoding=unbuffered.encoding, errors=unbuffered.errors
    )
    sys.stdout = buffered
    try:
        yield
    finally:
        sys.stdout = unbuffered
        try:
            buffered.close()
        except OSError as exc:
            raise full_disk(exc, "standard output") from exc


class _RisProfiles:
    """`ris.PROFILES`' names as argparse `choices`, imported only when `--ris-profile` is given
    or help is shown: most runs write no RIS."""

    def __contains__(self, name: object) -> bool:
        from .formats import ris

        return name in ris.PROFILES

    def __iter__(self) -> Iterator[str]:
        from .formats import ris

        return iter(ris.PROFILES)


def _list_formats(out: TextIO) -> int:
    for info in formats(load=False):
        roles = "/".join(r for r, f in (("read", info.reader), ("write", info.writer)) if f)
        out.write(f"{info.name:<12} {roles:<10} {info.description}\n")
    return EXIT_OK


def _convert(args: argparse.Namespace) -> int:
    threshold = (
        Severity.ERROR if args.quiet else Severity.INFO if args.verbose else Severity.WARNING
    )
    if args.report_file:
        _refuse_overwriting_input(args.report_file, args.inputs)
    json_on_stderr = args.report == "json" and not args.report_file
    bar = _progress_bar(args)

    def emit(line: str) -> None:
        if bar is not None:
            bar.write(line)
        else:
            sys.stderr.write(line + "\n")

    with contextlib.ExitStack() as stack:
        ledger: Ledger | None = None
        if args.report_file:
            report = stack.enter_context(_ReportFile(args.report_file))
            ledger = Ledger(report.write)
        elif json_on_stderr:
            ledger = Ledger(emit)

        def show(diag: Diagnostic) -> None:
            if ledger is not None:
                ledger.add(diag)
            if not json_on_stderr and diag.severity >= threshold:
                emit(str(diag))

        # Without a ledger, diagnostics `show` would not print are only counted, never built.
        log = DiagnosticLog(sink=show, sink_threshold=None if ledger is not None else threshold)
        options = WriteOptions(
            unicode=args.unicode,
            full_journal_names=args.full_journal_names,
            abbreviations=args.abbreviations,
            style=args.style,
            ris_profile=args.ris_profile,
        )
        output = sys.stdout if args.output == "-" else args.output
        try:
            result = convert(
                args.inputs,
                args.to,
                output,
                from_format=args.from_format,
                options=options,
                log=log,
                progress=bar.update if bar else None,
                jobs=args.jobs,
            )
        finally:
            if bar is not None:
                bar.close()
        if ledger is not None:
            ledger.close(log, result.read, result.written)
    if not args.quiet and not json_on_stderr:
        sys.stderr.write(_summary(result) + "\n")
    if any(log.by_code.get(code) for code in USAGE_CODES):
        return EXIT_USAGE
    if log.errors or (args.strict and log.warnings):
        return EXIT_ERRORS
    return EXIT_OK


class _ReportFile:
    """The `--report-file` stream, one line at a time. A full disk while writing it is said
    to be the report's (`OutputFailed`), not the output's."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.stream = open(path, "w", encoding="utf-8")  # noqa: SIM115 - closed by __exit__

    def write(self, line: str) -> None:
        try:
            self.stream.write(line + "\n")
        except OSError as exc:
            raise full_disk(exc, self.path) from exc

    def __enter__(self) -> _ReportFile:
        return self

    def __exit__(self, *exc_info: object) -> None:
        try:
            self.stream.close()
        except OSError as exc:
            raise full_disk(exc, self.path) from exc


def _refuse_overwriting_input(path: str, inputs: Sequence[str]) -> None:
    """A report file must not replace an input (the output is checked by `convert`)."""
    target = Path(path)
    for item in inputs:
        if item != "-" and target.exists() and Path(item).exists() and target.samefile(item):
            raise UsageError(f"report file {path} is also an input; refusing to overwrite it")


def _summary(result: Result) -> str:
    """The one-line summary: records, diagnostics by severity, then by what they did to fields.

    `citeport: read 7, wrote 6, skipped 1 (1 error, 2 warnings); fields: 2 dropped, 1 changed,
    4 repaired; 1 ignored (not a record)`
    """
    log = result.log
    parts = [f"read {result.read}", f"wrote {result.written}", f"skipped {result.skipped}"]
    notes = log.counts[Severity.INFO]
    counts = [
        f"{n} {name}{'s' if n != 1 else ''}"
        for name, n in (("error", log.errors), ("warning", log.warnings), ("note", notes))
        if n
    ]
    tail = f" ({', '.join(counts)})" if counts else ""
    actions = log.by_action
    fields = [
        f"{actions[action]} {action}"
        for action in (Action.DROPPED, Action.CHANGED, Action.REPAIRED)
        if actions[action]
    ]
    if fields:
        tail += f"; fields: {', '.join(fields)}"
    if actions[Action.IGNORED]:
        tail += f"; {actions[Action.IGNORED]} ignored (not a record)"
    withheld = f"; {result.withheld} not written: an input failed" if result.withheld else ""
    return f"citeport: {', '.join(parts)}{tail}{withheld}"


class _ProgressBar:
    """A tqdm bar over the input bytes, with the records read and their rate as postfix."""

    def __init__(self, total: int | None) -> None:
        from tqdm import tqdm

        tqdm.monitor_interval = 0  # no monitor thread: -j forks worker processes
        self._bar = tqdm(
            total=total,
            unit="B",
            unit_scale=True,
            unit_divisor=1024,
            file=sys.stderr,
            leave=False,
            dynamic_ncols=True,
            mininterval=0.5,
        )
        self._seen = 0

    def update(self, records: int, bytes_read: int) -> None:
        self._bar.update(bytes_read - self._seen)
        self._seen = bytes_read
        elapsed = self._bar.format_dict.get("elapsed") or 0
        rate = f", {records / elapsed:,.0f} rec/s" if elapsed else ""
        self._bar.set_postfix_str(f"{records:,} records{rate}", refresh=False)

    def write(self, line: str) -> None:
        """Print a line above the bar."""
        self._bar.write(line, file=sys.stderr)

    def close(self) -> None:
        self._bar.refresh()  # show the final count once, then clear the bar
        self._bar.close()


def _progress_bar(args: argparse.Namespace) -> _ProgressBar | None:
    """A progress bar when asked for, or by default when stderr is a terminal (not --quiet)."""
    wanted = args.progress if args.progress is not None else sys.stderr.isatty()
    if not wanted or args.quiet:
        return None
    total = 0
    for path in args.inputs:
        with contextlib.suppress(OSError):
            total += os.path.getsize(path) if path != "-" else 0
    return _ProgressBar(total or None)
