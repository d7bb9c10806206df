"""`ieee-latex` output compiles: the bundled example and the IEEE reference cases, with pdflatex.

A minimal document (`\\usepackage[T1]{fontenc}`, the thebibliography block, `\\nocite{*}`)
is compiled in a temporary directory; the run must succeed and the log must show no error and
no character missing from the font. Both ASCII LaTeX (accents spelled `{\\'e}`) and
`--unicode` output (UTF-8, needs LaTeX's default utf8 input encoding) are checked. Skips when
pdflatex is not installed (Debian: `apt-get install texlive-latex-base`).
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from citeport import DiagnosticLog, WriteOptions, convert
from citeport.formats import ieee

from .conftest import EXAMPLES
from .test_ieee_types import load_references

PDFLATEX = shutil.which("pdflatex")
pytestmark = pytest.mark.skipif(PDFLATEX is None, reason="pdflatex is not installed")

DOCUMENT = """\\documentclass{{article}}
\\usepackage[T1]{{fontenc}}
\\begin{{document}}
\\nocite{{*}}
{bibliography}\\end{{document}}
"""
#: pdflatex log lines that mean the bibliography did not typeset as written.
_PROBLEM = re.compile(r"^!|Missing character|Undefined control sequence|Unicode character", re.M)


def compile_bibliography(bibliography: str, where: Path) -> str:
    """Compile `bibliography` in a minimal document in `where`; returns pdflatex's log."""
    tex = where / "refs.tex"
    tex.write_text(DOCUMENT.format(bibliography=bibliography), encoding="utf-8")
    done = subprocess.run(
        [str(PDFLATEX), "-interaction=nonstopmode", "-halt-on-error", "refs.tex"],
        cwd=where,
        capture_output=True,
        text=True,
        encoding="latin-1",  # the log is not always valid UTF-8
        timeout=120,
        check=False,
    )
    log = (where / "refs.log").read_text(encoding="latin-1")
    assert done.returncode == 0, log[-3000:]
    assert (where / "refs.pdf").stat().st_size > 0
    return log


def test_the_example_compiles(tmp_path: Path) -> None:
    result = convert([EXAMPLES / "spm-43-2.txt"], "ieee-latex", log=DiagnosticLog())
    assert result.text is not None
    assert result.text.count("\\bibitem{") == 7
    log = compile_bibliography(result.text, tmp_path)
    assert _PROBLEM.findall(log) == []


@pytest.mark.parametrize("unicode", [False, True], ids=["ascii", "utf8"])
def test_every_reference_case_compiles(tmp_path: Path, unicode: bool) -> None:
    refs = load_references()
    out = io.StringIO()
    written = ieee.write_latex(refs, out, DiagnosticLog(), WriteOptions(unicode=unicode))
    assert written == len(refs)
    log = compile_bibliography(out.getvalue(), tmp_path)
    assert _PROBLEM.findall(log) == []
