"""Past one machine: citeport's shard function mapped by Dask, and examples/dask_shards.py.

The shards are examples/spm-43-2.txt cut in three (its stray author line 3 stays line 3 of the
first shard). Each output shard must be byte for byte what `citeport convert SHARD -o OUT`
writes, and each summary must hold the counts and diagnostics the CLI reports for that shard.
Skipped when dask or distributed is not installed.
"""

from __future__ import annotations

import os
import pickle
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from citeport.convert import UsageError
from citeport.diagnostics import CODES, Diagnostic, Location, Severity
from citeport.shards import Shard, ShardSummary, convert_shard, plan_shards

from .conftest import EXAMPLES, ROOT

dask_bag = pytest.importorskip("dask.bag")
distributed = pytest.importorskip("distributed")

SCRIPT = EXAMPLES / "dask_shards.py"
SHARD_LINES = {"part-1.jsonl": (0, 3), "part-2.jsonl": (3, 6), "part-3.jsonl": (6, 8)}

STRAY_LINE = {
    "code": "AGG001",
    "severity": "warning",
    "message": "line is not a JSON object ('Martina Pastorino;Gabriele Moser;Sebastiano B. Serpico;Jo...'), skipped",
    "source": "in/part-1.jsonl",
    "line": 3,
    "record": None,
    "field": None,
}

UNDETECTED = {
    "code": "IO002",
    "severity": "error",
    "message": "cannot tell the input format; name it with --from",
    "source": "in/part-4.dat",
    "line": None,
    "record": None,
    "field": None,
}


def as_dict(expected: dict[str, Any]) -> dict[str, Any]:
    """`Diagnostic.to_dict()` of the diagnostic described by `expected`."""
    where = Location(expected["source"], expected["line"], expected["record"], expected["field"])
    diag = Diagnostic(
        expected["code"], Severity(CODES[expected["code"]][0]), expected["message"], where
    )
    assert str(diag.severity) == expected["severity"]
    return diag.to_dict()


# (read, written, skipped, errors, warnings, notes, by_code) of each shard, to BibTeX.
BIBTEX_COUNTS = {
    "part-1.jsonl": (
        2,
        2,
        1,
        0,
        2,
        18,
        {"MRK001": 1, "MRK003": 1, "BIB002": 2, "BIB004": 15, "AGG001": 1},
    ),
    "part-2.jsonl": (3, 3, 0, 0, 0, 26, {"MRK001": 1, "BIB002": 3, "BIB004": 22}),
    "part-3.jsonl": (2, 2, 0, 0, 0, 16, {"BIB002": 2, "BIB004": 14}),
}

SCRIPT_STDOUT = """\
in/part-1.jsonl -> out/part-1.bib: read 2, wrote 2, skipped 1 (2 warnings, 18 notes)
in/part-2.jsonl -> out/part-2.bib: read 3, wrote 3, skipped 0 (26 notes)
in/part-3.jsonl -> out/part-3.bib: read 2, wrote 2, skipped 0 (16 notes)
total: 3 shards, read 7, wrote 7, skipped 1 (2 warnings, 60 notes); 0 failed
"""

SCRIPT_STDERR = """\
in/part-1.jsonl:1: warning[MRK003] abstract: restored TeX backslashes in ${mathit{ell}}^{1}$ -> ${\\mathit{\\ell}}^{1}$
in/part-1.jsonl:3: warning[AGG001] line is not a JSON object ('Martina Pastorino;Gabriele Moser;Sebastiano B. Serpico;Jo...'), skipped
"""


@pytest.fixture
def shards_dir(tmp_path: Path) -> Path:
    """tmp_path/in holding the three shards; tests run with tmp_path as the working folder."""
    lines = (EXAMPLES / "spm-43-2.txt").read_bytes().splitlines(keepends=True)
    assert len(lines) == 8
    (tmp_path / "in").mkdir()
    for name, (start, stop) in SHARD_LINES.items():
        (tmp_path / "in" / name).write_bytes(b"".join(lines[start:stop]))
    return tmp_path


def environment() -> dict[str, str]:
    """The environment for subprocesses: citeport importable from this tree."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(
        p for p in (str(ROOT / "src"), env.get("PYTHONPATH", "")) if p
    )
    return env


def serial(cwd: Path, shard: str, to: str) -> tuple[bytes, list[str]]:
    """What `citeport convert in/SHARD --to TO -o serial/...` writes, and its stderr lines."""
    (cwd / "serial").mkdir(exist_ok=True)
    output = f"serial/{Path(shard).stem}.{to}"
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "citeport",
            "convert",
            f"in/{shard}",
            "--to",
            to,
            "-o",
            output,
            "-v",
        ],
        cwd=cwd,
        env=environment(),
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    return (cwd / output).read_bytes(), run.stderr.splitlines()


def test_plan_shards_names_one_output_per_shard(
    shards_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (shards_dir / "in" / ".part-0.jsonl.tmp").write_text("{}\n")
    (shards_dir / "in" / "folder").mkdir()
    monkeypatch.chdir(shards_dir)
    assert plan_shards("in", "out", "bibtex") == [
        Shard("in/part-1.jsonl", "out/part-1.bib"),
        Shard("in/part-2.jsonl", "out/part-2.bib"),
        Shard("in/part-3.jsonl", "out/part-3.bib"),
    ]
    assert [s.output for s in plan_shards("in", "out", "ieee-html")] == [
        "out/part-1.html",
        "out/part-2.html",
        "out/part-3.html",
    ]
    assert plan_shards("in", "out", "biblatex")[0].output == "out/part-1.biblatex"
    assert plan_shards("in", "out", "ris")[2].output == "out/part-3.ris"


def test_plan_shards_refuses_outputs_that_collide(
    shards_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(shards_dir)
    with pytest.raises(UsageError, match="no writer for format 'nope'"):
        plan_shards("in", "out", "nope")
    (shards_dir / "in" / "part-9.txt").write_text("{}\n")
    (shards_dir / "in" / "part-9.jsonl").write_text("{}\n")
    with pytest.raises(
        UsageError,
        match=r"^shards part-9\.jsonl and part-9\.txt would both be written to part-9\.ris$",
    ):
        plan_shards("in", "out", "ris")
    (shards_dir / "in" / "part-9.txt").unlink()
    (shards_dir / "in" / "part-1.json").write_text("[]\n")
    with pytest.raises(UsageError, match=r"^output shard part-1\.json would overwrite an input"):
        plan_shards("in", "in", "csljson")


@pytest.mark.parametrize("scheduler", ["sync", "threads"])
def test_dask_bag_converts_each_shard_as_the_cli_does(
    shards_dir: Path, scheduler: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(shards_dir)
    shards = plan_shards("in", "out", "bibtex")
    bag = dask_bag.from_sequence(shards, npartitions=3).starmap(convert_shard, to="bibtex")
    summaries: list[ShardSummary] = bag.compute(scheduler=scheduler)

    assert [s.source for s in summaries] == [f"in/{name}" for name in SHARD_LINES]
    assert sorted(os.listdir("out")) == ["part-1.bib", "part-2.bib", "part-3.bib"]
    for summary, (name, counts) in zip(summaries, BIBTEX_COUNTS.items(), strict=True):
        assert (
            summary.read,
            summary.written,
            summary.skipped,
            summary.errors,
            summary.warnings,
            summary.notes,
            summary.by_code,
        ) == counts
        assert (summary.withheld, summary.failure, summary.status()) == (False, "", 0)
        text, stderr = serial(shards_dir, name, "bibtex")
        assert Path(summary.output).read_bytes() == text
        assert summary.lines() == stderr[:-1]  # the last line is the CLI's own summary
        assert pickle.loads(pickle.dumps(summary)) == summary
    stray = summaries[0].diagnostics[-1]
    assert {key: stray[key] for key in STRAY_LINE} == STRAY_LINE
    assert stray == as_dict(STRAY_LINE)  # and any field to_dict() adds
    assert summaries[0].status(strict=True) == 1


@pytest.mark.parametrize("to", ["ris", "ieee", "csljson"])
def test_every_output_shard_is_the_serial_conversion(
    shards_dir: Path, to: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(shards_dir)
    shards = plan_shards("in", "out", to)
    bag = dask_bag.from_sequence(shards, npartitions=3).starmap(convert_shard, to=to)
    summaries: list[ShardSummary] = bag.compute(scheduler="threads")
    assert [(s.read, s.written, s.skipped) for s in summaries] == [(2, 2, 1), (3, 3, 0), (2, 2, 0)]
    for summary, name in zip(summaries, SHARD_LINES, strict=True):
        text, stderr = serial(shards_dir, name, to)
        assert Path(summary.output).read_bytes() == text
        assert summary.lines() == stderr[:-1]


def test_a_shard_that_cannot_be_converted_is_reported_not_raised(
    shards_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(shards_dir)
    Path("in/part-4.dat").write_bytes(b"\x00\x01\x02 not a citation\n")
    unreadable = convert_shard("in/part-4.dat", "out/part-4.bib", "bibtex")
    assert unreadable == ShardSummary(
        source="in/part-4.dat",
        output="out/part-4.bib",
        errors=1,
        by_code={"IO002": 1},
        diagnostics=(as_dict(UNDETECTED),),
        withheld=True,
    )
    assert unreadable.status() == 2
    assert not Path("out/part-4.bib").exists()

    Path("blocked").write_text("a file where the output folder should be\n")
    blocked = convert_shard("in/part-1.jsonl", "blocked/part-1.bib", "bibtex")
    assert blocked.failure == "blocked: File exists"
    assert (blocked.read, blocked.diagnostics, blocked.status()) == (0, (), 2)
    same = convert_shard("in/part-1.jsonl", "in/part-1.jsonl", "bibtex")
    assert same.failure == "output in/part-1.jsonl is also an input; refusing to overwrite it"
    assert Path("in/part-1.jsonl").read_bytes().startswith(b'{"title":"Rapture of the Deep')


def run_script(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), "in", "out", "--to", "bibtex", *args],
        cwd=cwd,
        env=environment(),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )


def absolute(text: str, root: Path) -> str:
    """`text` with the shard paths made absolute under `root`, as the script prints them."""
    return re.sub(r"(?m)(^| )(in|out)/", lambda m: f"{m[1]}{root}/{m[2]}/", text)


def ours(stderr: str, root: Path) -> str:
    """The lines of stderr that the script printed (Dask may log lines of its own)."""
    mine = f"{root}/in/"
    return "".join(line for line in stderr.splitlines(keepends=True) if line.startswith(mine))


def test_example_converts_a_directory_on_a_local_cluster(shards_dir: Path) -> None:
    run = run_script(shards_dir, "--workers", "2")
    assert run.returncode == 0, run.stderr
    assert run.stdout == absolute(SCRIPT_STDOUT, shards_dir)
    assert ours(run.stderr, shards_dir) == absolute(SCRIPT_STDERR, shards_dir)
    assert sorted(os.listdir(shards_dir / "out")) == ["part-1.bib", "part-2.bib", "part-3.bib"]
    for name in SHARD_LINES:
        text, _ = serial(shards_dir, name, "bibtex")
        assert (shards_dir / "out" / f"{Path(name).stem}.bib").read_bytes() == text


def test_example_on_a_running_scheduler_exits_2_when_a_shard_fails(shards_dir: Path) -> None:
    # The workers run in this process, whose working folder is not the script's.
    (shards_dir / "in" / "part-4.dat").write_bytes(b"\x00\x01\x02 not a citation\n")
    with distributed.LocalCluster(
        n_workers=1,
        processes=False,
        protocol="tcp://",
        host="127.0.0.1",
        dashboard_address=None,
    ) as cluster:
        run = run_script(shards_dir, "--scheduler", cluster.scheduler_address)
    assert run.returncode == 2, run.stderr
    expected = SCRIPT_STDOUT.replace(
        "total: 3 shards, read 7, wrote 7, skipped 1 (2 warnings, 60 notes); 0 failed\n",
        "in/part-4.dat -> out/part-4.bib: read 0, wrote 0, skipped 0 (1 error); "
        "not written: the input could not be read\n"
        "total: 4 shards, read 7, wrote 7, skipped 1 (1 error, 2 warnings, 60 notes); 1 failed\n",
    )
    assert run.stdout == absolute(expected, shards_dir)
    assert ours(run.stderr, shards_dir) == absolute(
        SCRIPT_STDERR
        + "in/part-4.dat: error[IO002] cannot tell the input format; name it with --from\n",
        shards_dir,
    )
    assert sorted(os.listdir(shards_dir / "out")) == ["part-1.bib", "part-2.bib", "part-3.bib"]
