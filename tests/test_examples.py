"""The bundled example, converted to every output format, against its golden files.

examples/spm-43-2.txt holds the seven records of IEEE Signal Processing Magazine 43(2) in the
aggregator's JSON lines (with our own abstracts carrying the same kinds of markup) and the
stray author line the real export has on line 3.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from citeport import DiagnosticLog, WriteOptions, convert

from .conftest import EXAMPLES, SEED, assert_golden

EXAMPLE = EXAMPLES / "spm-43-2.txt"
OUTPUTS = {
    "bibtex": "spm-43-2.bib",
    "biblatex": "spm-43-2.biblatex.bib",
    "ris": "spm-43-2.ris",
    "csljson": "spm-43-2.csl.json",
    "ieee": "spm-43-2.ieee.txt",
    "ieee-html": "spm-43-2.ieee.html",
    "ieee-latex": "spm-43-2.ieee.tex",
    "ieee-md": "spm-43-2.ieee.md",
}

EXPECTED_IEEE = """\
[1] R. Gribonval, E. Riccietti, Q.-T. Le, and L. Zheng, “Rapture of the Deep: Highs and lows of sparsity in a world of depths,” IEEE Signal Process. Mag., vol. 43, no. 2, pp. 10–23, Mar. 2026, doi: 10.1109/MSP.2025.3611564.
[2] “SPS Advance Your Career,” IEEE Signal Process. Mag., vol. 43, no. 2, p. C3, Mar. 2026, doi: 10.1109/MSP.2026.3676841.
[3] M. Pastorino, G. Moser, S. B. Serpico, and J. Zerubia, “Probabilistic Graphical Models Meet Deep Learning for Semantic Segmentation: Mathematical connections and recent developments,” IEEE Signal Process. Mag., vol. 43, no. 2, pp. 51–63, Mar. 2026, doi: 10.1109/MSP.2025.3648958.
[4] T. Adali, “The Nasreddin Hodja Principle and the Mathematics of Deep Learning [From the Editor],” IEEE Signal Process. Mag., vol. 43, no. 2, pp. 3–4, Mar. 2026, doi: 10.1109/MSP.2026.3676148.
[5] L. Peng and R. Vidal, “Continual Learning Through the Lens of Adaptive Filtering: A mathematical tutorial,” IEEE Signal Process. Mag., vol. 43, no. 2, pp. 24–36, Mar. 2026, doi: 10.1109/MSP.2026.3657516.
[6] Y. Xie and X. Cheng, “Flow-Based Generative Models as Iterative Algorithms in Probability Space: An intuitive mathematical framework [Special Issue on the Mathematics of Deep Learning],” IEEE Signal Process. Mag., vol. 43, no. 2, pp. 37–50, Mar. 2026, doi: 10.1109/MSP.2025.3609527.
[7] Z. Liao and M. W. Mahoney, “Random Matrix Theory for Deep Learning: Beyond Eigenvalues of Linear Models [Special Issue on the Mathematics of Deep Learning],” IEEE Signal Process. Mag., vol. 43, no. 2, pp. 93–106, Mar. 2026, doi: 10.1109/MSP.2025.3618012.
"""

EXPECTED_STDERR = """\
examples/spm-43-2.txt:1: warning[MRK003] abstract: restored TeX backslashes in ${mathit{ell}}^{1}$ -> ${\\mathit{\\ell}}^{1}$
examples/spm-43-2.txt:3: warning[AGG001] line is not a JSON object ('Martina Pastorino;Gabriele Moser;Sebastiano B. Serpico;Jo...'), skipped
citeport: read 7, wrote 7, skipped 1 (2 warnings, 2 notes); fields: 3 repaired
"""


def run_cli(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    """Run `python -m citeport` from the repository root, as a user would run `citeport`."""
    return subprocess.run(
        [sys.executable, "-m", "citeport", *args],
        cwd=EXAMPLES.parent,
        capture_output=True,
        text=True,
        encoding="utf-8",
        input=stdin.decode() if stdin is not None else None,
        check=False,
        timeout=300,
    )


def test_readme_command_prints_the_expected_references() -> None:
    done = run_cli("convert", "examples/spm-43-2.txt", "--to", "ieee")
    assert done.stdout == EXPECTED_IEEE
    assert done.stderr == EXPECTED_STDERR
    assert done.returncode == 0


def test_the_real_sample_gives_the_same_references() -> None:
    if not SEED.exists():
        pytest.skip("the shared sample is not here")
    result = convert([SEED], "ieee")
    assert result.text == EXPECTED_IEEE
    assert (result.read, result.written, result.skipped) == (7, 7, 1)


def test_strict_exits_1_on_the_sample() -> None:
    done = run_cli("convert", "examples/spm-43-2.txt", "--to", "ieee", "--strict")
    assert done.returncode == 1
    assert done.stdout == EXPECTED_IEEE


@pytest.mark.parametrize("fmt", sorted(OUTPUTS))
def test_golden_output(fmt: str) -> None:
    result = convert([EXAMPLE], fmt)
    assert result.text is not None
    assert_golden(EXAMPLES / OUTPUTS[fmt], result.text)


def test_diagnostics_of_the_example() -> None:
    log = DiagnosticLog()
    convert([EXAMPLE], "csljson", log=log, options=WriteOptions())
    lines = [f"{d.location.line} {d.severity} {d.code} {d.location.record}" for d in log]
    assert lines == [
        "1 info MRK001 147665344",
        "1 warning MRK003 147665344",
        "3 warning AGG001 None",
        "4 info MRK001 147665289",
    ]
