"""Plug-in formats: a `FormatInfo` named by an entry point of the `citeport.formats` group is
listed, detected and converted like a built-in one, and what it names with
`registry.deferred` is imported only when a conversion uses it."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from citeport import registry
from citeport.cli import main
from citeport.convert import convert
from citeport.registry import FormatInfo, deferred

PLUGIN_MODULE = "tests.plugin_titles"


def _sniff(head: bytes) -> int:
    return 90 if head.startswith(b"TITLE: ") else 0


TITLES = FormatInfo(
    "titles",
    "TITLE: lines (a test plug-in)",
    reader=deferred(PLUGIN_MODULE, "read"),
    sniff=_sniff,
    extensions=(".titles",),
)


class _EntryPoint:
    def load(self) -> FormatInfo:
        return TITLES


TITLES_ENTRY = _EntryPoint()


@pytest.fixture
def plugin(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The plug-in installed: what `importlib.metadata.entry_points` finds for the group."""

    def entry_points(group: str) -> list[Any]:
        return [TITLES_ENTRY] if group == "citeport.formats" else []

    monkeypatch.setattr("importlib.metadata.entry_points", entry_points)
    monkeypatch.delitem(sys.modules, PLUGIN_MODULE, raising=False)
    registry._table.cache_clear()
    yield
    registry._table.cache_clear()  # the table without it for the other tests


def test_a_plugin_reader_is_listed_detected_and_loaded_when_used(
    plugin: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert "titles" in registry.readers() and "titles" not in registry.writers()
    assert main(["formats"]) == 0
    assert "titles       read       TITLE: lines (a test plug-in)\n" in capsys.readouterr().out
    assert PLUGIN_MODULE not in sys.modules  # listed, not loaded
    source = tmp_path / "list.txt"  # found by its content, not its extension
    source.write_bytes(b"TITLE: On plug-ins\nTITLE: Second\n")
    result = convert([source], "ris")
    assert PLUGIN_MODULE in sys.modules
    assert result.text == (
        "TY  - BOOK\r\nTI  - On plug-ins\r\nER  - \r\n\r\nTY  - BOOK\r\nTI  - Second\r\nER  - \r\n"
    )
    info = registry.find("titles")
    assert info is not None and info is registry.find("TITLES")
    assert info.reader is sys.modules[PLUGIN_MODULE].read


def test_a_plugin_format_need_not_be_hashable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Only a format with deferred fields is cached by value: a plug-in's `FormatInfo` with a
    list where a tuple is expected still works."""
    from tests.plugin_titles import read

    listy = FormatInfo("listy", "a list field", reader=read, extensions=[".listy"])  # type: ignore[arg-type]
    monkeypatch.setattr(TITLES_ENTRY, "load", lambda: listy)
    monkeypatch.setattr("importlib.metadata.entry_points", lambda group: [TITLES_ENTRY])
    registry._table.cache_clear()
    try:
        source = tmp_path / "a.listy"
        source.write_bytes(b"TITLE: Listed\n")
        assert registry.find("listy") is listy
        assert convert([source], "ris").text == "TY  - BOOK\r\nTI  - Listed\r\nER  - \r\n"
    finally:
        registry._table.cache_clear()
