"""XML that data or a user's style brings in cannot read files, reach the network or blow up.

CSL styles are parsed by citeproc-py with lxml (`no_network=True`; lxml 5+ expands no external
entity and caps entity amplification); MathML in titles and abstracts is parsed with expat
(`markup/mathml.py`), which fetches nothing. These tests hold those guarantees in place: a
style that names a local file as an entity, or that expands an entity a billion times, is
refused with IEEE004 and exit 2; MathML that does the same is kept as text, never expanded.
"""

from __future__ import annotations

import io
import json
import time
from pathlib import Path

import pytest

from citeport import DiagnosticLog
from citeport.formats import aggregator
from citeport.richtext import plain

from .test_examples import run_cli

ROOT = Path(__file__).resolve().parents[1]
SECRET = "citeport-secret-7f3a"

LAUGHS = "".join(
    f'<!ENTITY {b} "{("&" + a + ";") * 10}">' for a, b in zip("abcdefgh", "bcdefghi", strict=True)
)


def _style(tmp_path: Path, doctype: str, entity: str) -> Path:
    """Our IEEE style with a DOCTYPE and the entity used where the term "in" is printed."""
    text = (ROOT / "styles" / "ieee.csl").read_text(encoding="utf-8")
    assert '<text term="in"/>' in text
    text = text.replace("<style ", doctype + "\n<style ", 1)
    text = text.replace('<text term="in"/>', f'<text value="[&{entity};]"/>', 1)
    path = tmp_path / "hostile.csl"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def secret_file(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text(SECRET, encoding="utf-8")
    return path


def test_style_with_an_external_entity_is_refused(tmp_path: Path, secret_file: Path) -> None:
    doctype = f'<!DOCTYPE style [<!ENTITY x SYSTEM "{secret_file.as_uri()}">]>'
    style = _style(tmp_path, doctype, "x")
    done = run_cli("convert", "examples/spm-43-2.txt", "--to", "ieee", "--style", str(style))
    assert SECRET not in done.stdout + done.stderr
    assert done.stdout == ""
    assert f"{style}: error[IEEE004] cannot load CSL style {style}: Entity 'x' not defined" in (
        done.stderr
    )
    assert done.returncode == 2


def test_style_with_a_network_entity_is_refused(tmp_path: Path) -> None:
    doctype = '<!DOCTYPE style [<!ENTITY x SYSTEM "http://203.0.113.1/dtd">]>'
    style = _style(tmp_path, doctype, "x")
    started = time.monotonic()
    done = run_cli("convert", "examples/spm-43-2.txt", "--to", "ieee", "--style", str(style))
    assert time.monotonic() - started < 30  # no connection attempt to wait for
    assert f"{style}: error[IEEE004]" in done.stderr
    assert done.returncode == 2


def test_style_with_a_billion_laughs_is_refused(tmp_path: Path) -> None:
    style = _style(tmp_path, f'<!DOCTYPE style [<!ENTITY a "aaaaaaaaaa">{LAUGHS}]>', "i")
    done = run_cli("convert", "examples/spm-43-2.txt", "--to", "ieee", "--style", str(style))
    assert f"{style}: error[IEEE004] cannot load CSL style {style}: Maximum entity" in done.stderr
    assert done.stdout == ""
    assert done.returncode == 2


@pytest.mark.parametrize(
    ("math", "kept"),
    [
        (
            '<!DOCTYPE m [<!ENTITY x SYSTEM "{uri}">]><mml:math><mml:mi>&x;</mml:mi></mml:math>',
            '<!DOCTYPE m [<!ENTITY x SYSTEM "{uri}">]>$&x;$',
        ),
        ("<mml:math><mml:mi>&x;</mml:mi></mml:math>", "$&x;$"),
    ],
)
def test_mathml_entities_are_not_expanded(secret_file: Path, math: str, kept: str) -> None:
    uri = secret_file.as_uri()
    abstract = f"Before {math.format(uri=uri)} after."
    line = json.dumps({"title": "T", "authors": "Ada Lovelace", "abstract": abstract}) + "\n"
    log = DiagnosticLog()
    refs = list(aggregator.read(io.BytesIO(line.encode()), "in.txt", log))
    assert len(refs) == 1
    assert plain(refs[0].abstract) == f"Before {kept.format(uri=uri)} after."
    assert [str(d) for d in log] == [
        "in.txt:1: warning[MRK005] abstract: MathML not converted to TeX; kept its text"
    ]
