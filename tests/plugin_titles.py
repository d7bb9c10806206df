"""A plug-in format for `test_plugins.py`: "TITLE: ..." lines, one book each. Its reader is
named by `registry.deferred`, so this module is imported only when a conversion reads it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO

from citeport.diagnostics import DiagnosticLog
from citeport.model import Reference
from citeport.richtext import text


def read(stream: IO[bytes], source: str, log: DiagnosticLog) -> Iterator[Reference]:
    for number, line in enumerate(stream.read().decode("utf-8").splitlines(), 1):
        if line.startswith("TITLE: "):
            yield Reference(id=f"t{number}", type="book", title=text(line[7:]))
