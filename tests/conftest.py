"""Shared test helpers: paths, the optional corpus, golden-file comparison.

Set CITEPORT_REGEN=1 to rewrite golden files from the current output; then read the diff
(`git diff examples/ tests/golden/`) before committing it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
GOLDEN = ROOT / "tests" / "golden"
CASES = ROOT / "tests" / "cases"
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
SEED = SHARED / "seeds" / "000_f555684f48a54662.txt"
REGEN = os.environ.get("CITEPORT_REGEN") == "1"


def assert_golden(path: Path, actual: str) -> None:
    """Compare `actual` with the golden file at `path` (byte for byte, line ends included)."""
    if REGEN:
        path.write_bytes(actual.encode("utf-8"))
    assert path.exists(), f"missing golden file {path}; run with CITEPORT_REGEN=1"
    assert actual == path.read_bytes().decode("utf-8")


def corpus_file(relative: str) -> Path:
    """A file of the shared corpus; skips the test when the corpus is absent."""
    path = CORPUS / relative
    if not path.exists():
        pytest.skip(f"corpus file {relative} is not here (the corpus is optional)")
    return path
