"""The command line as a user meets it: output, diagnostics, exit codes, files."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

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


def test_unknown_format_is_a_usage_error() -> None:
    done = run_cli("convert", "examples/spm-43-2.txt", "--to", "docx")
    assert done.returncode == 2
    assert "invalid choice: 'docx'" in done.stderr
    assert "Traceback" not in done.stderr


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
    args = [
        "convert",
        "examples/spm-43-2.txt",
        str(stray),
        str(tmp_path / "missing.jsonl"),
        "--to",
        fmt,
        "-v",
    ]
    serial = run_cli(*args, "-j", "1")
    parallel = run_cli(*args, "-j", "2")
    assert parallel.stdout == serial.stdout
    assert parallel.stderr == serial.stderr
    assert parallel.returncode == serial.returncode == 2


def test_jobs_must_be_a_positive_number() -> None:
    done = run_cli("convert", "examples/spm-43-2.txt", "--to", "ris", "-j", "0")
    assert done.returncode == 2
    assert "expected a whole number of processes, not '0'" in done.stderr
