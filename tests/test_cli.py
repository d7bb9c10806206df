"""The command line as a user meets it: output, diagnostics, exit codes, files."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from citeport import parallel
from citeport.cli import main
from citeport.convert import convert

from .test_examples import EXAMPLE, EXPECTED_IEEE, run_cli


def test_stdin_to_stdout() -> None:
    data = EXAMPLE.read_bytes()
    done = run_cli("convert", "-", "--to", "ieee", "-q", stdin=data)
    assert done.stdout == EXPECTED_IEEE
    assert done.stderr == ""
    assert done.returncode == 0


def test_output_file_is_written(tmp_path: Path) -> None:
    target = tmp_path / "refs.bib"
    done = run_cli("convert", "examples/spm-43-2.txt", "--to", "bibtex", "-o", str(target), "-q")
    assert done.returncode == 0 and done.stdout == ""
    assert target.read_text(encoding="utf-8").startswith("@article{gribonval2026rapture,\n")
    assert [p.name for p in tmp_path.iterdir()] == ["refs.bib"]  # no temporary file left


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_output_file_gets_a_new_files_permissions_or_keeps_the_old_ones(tmp_path: Path) -> None:
    target = tmp_path / "refs.ris"
    umask = os.umask(0o022)
    os.umask(umask)
    run_cli("convert", "examples/spm-43-2.txt", "--to", "ris", "-o", str(target), "-q")
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask  # as any new file, not 0600
    target.chmod(0o640)
    done = run_cli("convert", "examples/spm-43-2.txt", "--to", "ris", "-o", str(target), "-q")
    assert done.returncode == 0
    assert target.stat().st_mode & 0o777 == 0o640  # replaced, with the mode it had
    assert target.read_text(encoding="utf-8").startswith("TY  - JOUR\n")
    assert [p.name for p in tmp_path.iterdir()] == ["refs.ris"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX special files")
def test_an_output_that_is_not_a_regular_file_is_written_not_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`-o /dev/null` or a named pipe: written as the run goes. Renaming a new file over it
    would put a regular file in its place (as root, the system's /dev/null)."""
    expected = convert([EXAMPLE], "ris").text
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    monkeypatch.setattr(parallel, "CHUNK_BYTES", 2000)  # -j 2 starts workers for this input
    for jobs in (1, 2):
        reading = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
        reading.start()  # a pipe is opened for writing once a reader has it open
        result = convert([EXAMPLE], "ris", fifo, jobs=jobs)
        reading.join(timeout=30)
        assert result.written == 7 and not result.withheld
    assert expected is not None and got == [expected.encode()] * 2
    assert stat.S_ISFIFO(fifo.stat().st_mode) and os.listdir(tmp_path) == ["pipe"]
    if not stat.S_ISCHR(os.stat(os.devnull).st_mode):
        pytest.skip(f"{os.devnull} is not a character device on this machine")
    done = run_cli("convert", "examples/spm-43-2.txt", "--to", "ris", "-o", os.devnull, "-q")
    assert done.returncode == 0 and stat.S_ISCHR(os.stat(os.devnull).st_mode)


def test_an_output_link_stays_a_link_to_the_replaced_file(tmp_path: Path) -> None:
    real = tmp_path / "real.ris"
    real.write_text("old\n")
    link = tmp_path / "link.ris"
    link.symlink_to(real.name)
    convert([EXAMPLE], "ris", link)
    assert link.is_symlink() and os.readlink(link) == "real.ris"
    assert real.read_text(encoding="utf-8").startswith("TY  - JOUR\n")
    assert sorted(os.listdir(tmp_path)) == ["link.ris", "real.ris"]


def test_missing_input_is_one_line_and_exit_2(tmp_path: Path) -> None:
    target = tmp_path / "out.ris"
    done = run_cli("convert", str(tmp_path / "nope.jsonl"), "--to", "ris", "-o", str(target))
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        f"{tmp_path / 'nope.jsonl'}: error[IO001] cannot read input: No such file or directory",
        f"citeport: read 0, wrote 0, skipped 0 (1 error); {target} not written: an input failed",
    ]
    assert not target.exists()


def test_a_directory_as_input_is_exit_2(tmp_path: Path) -> None:
    done = run_cli("convert", str(tmp_path), "--to", "ris")
    assert done.returncode == 2
    assert "error[IO001] cannot read input: Is a directory" in done.stderr


def test_output_that_is_an_input_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "in.txt"
    source.write_bytes(EXAMPLE.read_bytes())
    done = run_cli("convert", str(source), "--to", "ris", "-o", str(source))
    assert done.returncode == 2
    assert (
        done.stderr
        == f"citeport: error: output {source} is also an input; refusing to overwrite it\n"
    )
    assert source.read_bytes() == EXAMPLE.read_bytes()


#: `python -m citeport` with files limited to 1,000 bytes: a write past that fails with EFBIG
#: ("File too large"), as one on a full disk fails with ENOSPC.
SMALL_FILES = (
    "import resource, runpy, signal; signal.signal(signal.SIGXFSZ, signal.SIG_IGN); "
    "resource.setrlimit(resource.RLIMIT_FSIZE, (1000, 1000)); "
    "runpy.run_module('citeport', run_name='__main__')"
)


def _with_small_files(
    *args: str, stdout: int = subprocess.PIPE, unbuffered: bool = False
) -> tuple[int, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    if unbuffered:
        env["PYTHONUNBUFFERED"] = "1"
    done = subprocess.run(
        [sys.executable, "-c", SMALL_FILES, *args, "-q"],
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        check=False,
        timeout=300,
    )
    return done.returncode, done.stderr


def test_a_full_disk_names_the_output_and_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "out.ris"
    target.write_text("old\n")
    code, stderr = _with_small_files("convert", str(EXAMPLE), "--to", "ris", "-o", str(target))
    assert (code, stderr) == (
        2,
        f"citeport: error: {target}: File too large; it is left as it was\n",
    )
    assert target.read_text() == "old\n" and os.listdir(tmp_path) == ["out.ris"]


@pytest.mark.parametrize("unbuffered", [False, True], ids=["buffered", "PYTHONUNBUFFERED"])
def test_a_full_disk_on_standard_output_is_an_error(tmp_path: Path, unbuffered: bool) -> None:
    """Unbuffered, Python's stdout drops what a write could not write, without an error."""
    with open(tmp_path / "out.ris", "w") as out:
        code, stderr = _with_small_files(
            "convert", str(EXAMPLE), "--to", "ris", stdout=out.fileno(), unbuffered=unbuffered
        )
    assert (code, stderr) == (
        2,
        "citeport: error: standard output: File too large; what was written to it is incomplete\n",
    )
    assert (tmp_path / "out.ris").stat().st_size == 1000


def test_a_full_disk_names_the_report_file(tmp_path: Path) -> None:
    report = tmp_path / "report.jsonl"
    code, stderr = _with_small_files(
        "convert", str(EXAMPLE), "--to", "ris", "-o", str(tmp_path / "new.ris"),
        "--report-file", str(report),
    )  # fmt: skip
    assert (code, stderr) == (
        2,
        f"citeport: error: {report}: File too large; what was written to it is incomplete\n",
    )
    assert report.stat().st_size == 1000 and not (tmp_path / "new.ris").exists()


def test_unknown_format_is_a_usage_error() -> None:
    done = run_cli("convert", "examples/spm-43-2.txt", "--to", "docx")
    assert done.returncode == 2
    assert "invalid choice: 'docx'" in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    ("name", "data", "to", "not_imported"),
    [
        # detection asks every reader, yet loads no reader or writer it does not use
        ("in.json", b'[{"id": "a", "type": "book", "title": "T"}]', "ris",
         ["bibtexparser", "citeproc", "multiprocessing", "pylatexenc"]),
        ("in.bib", b"@book{a, title = {T}}\n", "csljson", ["citeproc", "multiprocessing"]),
    ],
)  # fmt: skip
def test_a_detected_conversion_imports_only_the_formats_it_uses(
    name: str, data: bytes, to: str, not_imported: list[str], tmp_path: Path
) -> None:
    """Start-up is most of the time of a small conversion: bibtexparser, pylatexenc and
    citeproc-py are a third of it, and a pool (-j defaults to every core) more."""
    source = tmp_path / name
    source.write_bytes(data)
    code = (
        "import sys\nfrom citeport.cli import main\n"
        f"status = main(['convert', {str(source)!r}, '--to', {to!r}, '-o', {os.devnull!r}])\n"
        f"print(status, sorted(m for m in {not_imported!r} if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.stdout == "0 []\n"
    assert done.stderr == "citeport: read 1, wrote 1, skipped 0\n"


def test_undetectable_input_says_to_use_from(tmp_path: Path) -> None:
    odd = tmp_path / "odd.dat"
    odd.write_text("just some words\n", encoding="utf-8")
    done = run_cli("convert", str(odd), "--to", "ris")
    assert done.returncode == 2
    assert (
        done.stderr.splitlines()[0]
        == f"{odd}: error[IO002] cannot tell the input format; name it with --from"
    )


def test_empty_input_is_a_warning(tmp_path: Path) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    done = run_cli("convert", str(empty), "--to", "csljson")
    assert done.returncode == 0
    assert done.stdout == "[]\n"
    assert done.stderr.splitlines()[0] == f"{empty}: warning[IO003] input is empty: no records"


def test_report_json() -> None:
    done = run_cli(
        "convert", "examples/spm-43-2.txt", "--to", "ris", "--report", "json", "-o", os.devnull
    )
    lines = [json.loads(line) for line in done.stderr.splitlines()]  # all JSON: no text summary
    assert lines[2] == {
        "source": "examples/spm-43-2.txt",
        "line": 3,
        "record": None,
        "status": "skipped",
        "fields": [
            {
                "field": None,
                "action": "skipped",
                "code": "AGG001",
                "severity": "warning",
                "message": "line is not a JSON object ('Martina Pastorino;Gabriele Moser;Sebastiano B. Serpico;Jo...'), skipped",
            }
        ],
    }
    assert lines[-1]["summary"]["records"] == {"read": 7, "written": 7, "skipped": 1}
    assert done.returncode == 0


def test_verbose_shows_repairs() -> None:
    done = run_cli("convert", "examples/spm-43-2.txt", "--to", "ris", "-v", "-o", os.devnull)
    assert "examples/spm-43-2.txt:1: info[MRK001] abstract: <italic> closed by </i>" in done.stderr


@pytest.mark.parametrize(
    "garbage",
    [
        b"\x00\x01\x02\xff\xfe" * 100,
        b"{" * 10000,
        b'{"title": "x", "authors": 5, "journal": [1]}\n',
        b"\xff\xfe{\x00}\x00",
    ],
)
def test_garbage_never_shows_a_traceback(garbage: bytes) -> None:
    for fmt in ("bibtex", "ris", "csljson", "ieee", "ieee-html"):
        done = run_cli(
            "convert",
            "-",
            "--from",
            "aggregator",
            "--to",
            fmt,
            stdin=garbage.decode("latin-1").encode("utf-8"),
        )
        assert "Traceback" not in done.stderr
        assert "internal error" not in done.stderr
        assert done.returncode in (0, 1)


def test_formats_lists_readers_and_writers() -> None:
    done = run_cli("formats")
    assert done.returncode == 0
    assert done.stdout.splitlines()[0].startswith("aggregator   read ")


def test_every_diagnostic_code_is_documented() -> None:
    from citeport.diagnostics import CODES

    from .conftest import ROOT

    doc = (ROOT / "docs" / "diagnostics.md").read_text(encoding="utf-8")
    for code, (severity, action, meaning) in CODES.items():
        assert f"| `{code}` | {severity} | {action} | {meaning} |" in doc


def test_progress_bar_on_request_and_silent_by_default_when_piped() -> None:
    shown = run_cli(
        "convert", "examples/spm-43-2.txt", "--to", "ris", "--progress", "-o", os.devnull
    )
    assert "7 records" in shown.stderr and "rec/s" in shown.stderr
    piped = run_cli("convert", "examples/spm-43-2.txt", "--to", "ris", "-o", os.devnull)
    assert "records" not in piped.stderr.replace("read 7, wrote 7", "")


@pytest.mark.parametrize(
    "fmt", ["bibtex", "biblatex", "ris", "csljson", "ieee", "ieee-html", "ieee-latex", "ieee-md"]
)
def test_jobs_give_the_serial_output_and_diagnostics(fmt: str, tmp_path: Path) -> None:
    stray = tmp_path / "second.txt"
    stray.write_bytes(b'{"title": "Second file", "authors": "A. B. C"}\nnot json\n')
    # standard input, of unknown size: -j 2 starts workers however small the inputs are
    args = ["convert", "-", str(stray), str(tmp_path / "missing.jsonl"), "--to", fmt, "-v"]
    serial = run_cli(*args, "-j", "1", stdin=EXAMPLE.read_bytes())
    run = run_cli(*args, "-j", "2", stdin=EXAMPLE.read_bytes())
    assert run.stdout == serial.stdout
    assert run.stderr == serial.stderr
    assert run.returncode == serial.returncode == 2


def test_jobs_must_be_a_positive_number() -> None:
    done = run_cli("convert", "examples/spm-43-2.txt", "--to", "ris", "-j", "0")
    assert done.returncode == 2
    assert "expected a whole number of processes, not '0'" in done.stderr


def test_a_killed_worker_stops_the_run_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A worker killed by the system (out of memory) or a user is not a citeport bug: one line
    says so, the exit code is 1, and the output file is left as it was."""
    out = tmp_path / "out.ris"
    out.write_text("old\n")
    monkeypatch.setattr(parallel, "CHUNK_BYTES", 2000)
    # what a worker calls first for each chunk (fork: the workers get this module as it is)
    monkeypatch.setattr(parallel, "_open", lambda task: os.kill(os.getpid(), signal.SIGKILL))
    code = main(["convert", str(EXAMPLE), "--to", "ris", "-j", "2", "-q", "-o", str(out)])
    assert capsys.readouterr().err == (
        "citeport: error: a worker process was killed (out of memory?); "
        f"nothing was written to {out}; run again with fewer --jobs\n"
    )
    assert code == 1
    assert out.read_text() == "old\n" and os.listdir(tmp_path) == ["out.ris"]


def test_ctrl_c_stops_a_parallel_run_in_one_line(tmp_path: Path) -> None:
    """Ctrl-C reaches the main process and its workers (one process group): the run stops
    with exit 130 and one line, no traceback and no hang, and the output file is left as it
    was. The input is a pipe that stays open, so the run is still going when it comes."""
    out = tmp_path / "out.ris"
    out.write_text("old\n")
    command = [sys.executable, "-m", "citeport", "convert", "-", "--from", "aggregator"]
    command += ["--to", "ris", "-j", "2", "-v", "-o", str(out)]
    run = subprocess.Popen(
        command,
        stdin=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
        # as a shell's foreground job: one started in the background (`pytest &`) would
        # pass on Ctrl-C ignored, which Python then leaves ignored
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    assert run.stdin is not None and run.stderr is not None
    stdin, stderr = run.stdin, run.stderr
    records = EXAMPLE.read_bytes() * 1000  # more chunks than the run keeps in flight
    rest: list[bytes] = []

    def feed() -> None:
        with contextlib.suppress(BrokenPipeError):  # the run stops before reading it all
            stdin.write(records)

    try:
        # fed while this reads stderr, which the run writes as it reads on
        threading.Thread(target=feed, daemon=True).start()
        # a diagnostic: results are coming back from workers (a run that sends none fails
        # the test after a minute rather than hanging it)
        lines: list[bytes] = []
        waiting = threading.Thread(target=lambda: lines.append(stderr.readline()), daemon=True)
        waiting.start()
        waiting.join(timeout=60)
        assert lines, "no diagnostic within a minute: the run sends no results back"
        first = lines[0]
        os.killpg(run.pid, signal.SIGINT)
        reading = threading.Thread(target=lambda: rest.append(stderr.read()), daemon=True)
        reading.start()
        run.wait(timeout=60)
        reading.join(timeout=60)  # what it wrote last
    finally:
        if run.poll() is None:  # hung: fail, without leaving it behind
            os.killpg(run.pid, signal.SIGKILL)
            run.wait()
    stderr.close()
    with contextlib.suppress(BrokenPipeError):
        stdin.close()
    text = (first + b"".join(rest)).decode()
    assert first and "Traceback" not in text
    assert text.splitlines()[-1] == "citeport: interrupted"
    assert run.returncode == 130
    assert out.read_text() == "old\n" and os.listdir(tmp_path) == ["out.ris"]
