"""pandoc reads what we write: our BibTeX and our CSL-JSON give pandoc the same fields.

Skipped when pandoc is not installed (the `test` extra installs pypandoc-binary, which ships it).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from .conftest import EXAMPLES

FIELDS = ("title", "author", "container-title", "volume", "issue", "page", "DOI")
_SPAN = re.compile(r"</?span[^>]*>")


def pandoc() -> str:
    try:
        import pypandoc

        return str(pypandoc.get_pandoc_path())
    except (ImportError, OSError):
        found = shutil.which("pandoc")
        if not found:
            pytest.skip("pandoc is not installed")
        return found


def pandoc_csl(path: Path, fmt: str) -> dict[str, dict[str, Any]]:
    done = subprocess.run(
        [pandoc(), "-f", fmt, "-t", "csljson", str(path)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=True,
        timeout=300,
    )
    assert done.stderr == ""
    return {item["id"]: item for item in json.loads(done.stdout)}


def fields(item: dict[str, Any]) -> dict[str, Any]:
    out = {k: item.get(k) for k in FIELDS}
    if isinstance(out["title"], str):
        out["title"] = _SPAN.sub("", out["title"])
    return out


def ours() -> dict[str, dict[str, Any]]:
    items = json.loads((EXAMPLES / "spm-43-2.csl.json").read_text(encoding="utf-8"))
    return {item["id"]: fields(item) for item in items}


@pytest.mark.parametrize(
    ("name", "fmt"), [("spm-43-2.bib", "bibtex"), ("spm-43-2.csl.json", "csljson")]
)
def test_pandoc_reads_our_output_to_the_same_fields(name: str, fmt: str) -> None:
    seen = {key: fields(item) for key, item in pandoc_csl(EXAMPLES / name, fmt).items()}
    expected = ours()
    assert list(seen) == list(expected)
    for key, item in expected.items():
        assert seen[key] == item, key
