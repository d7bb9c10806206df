"""Record-aligned chunks of a line-based input, for `-j` (`FormatInfo.split`).

A RIS record ends with its `ER` line and a MEDLINE record with a blank line; after such a line
the reader starts afresh, with nothing carried over but the line count. `after_lines` cuts an
input there into chunks of about a given size, each read with the number of its first line.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import IO, Any

from .encoding import utf16


def after_lines(
    stream: IO[bytes], size: int, end: re.Pattern[bytes]
) -> Iterator[tuple[bytes, dict[str, Any]]] | None:
    """Chunks of whole lines of about `size` bytes, each ending after a line `end` matches
    whole (or at the end of the input), as (bytes, {"first_line": n}) pairs in order; None
    (nothing read) for a UTF-16 input, which is read whole."""
    buffered = stream if isinstance(stream, io.BufferedReader) else io.BufferedReader(stream)  # type: ignore[type-var]
    if utf16(buffered.peek(64)[:64]) is not None:
        return None
    return _after_lines(buffered, size, end)


def _after_lines(
    stream: IO[bytes], size: int, end: re.Pattern[bytes]
) -> Iterator[tuple[bytes, dict[str, Any]]]:
    first_line = 1
    while True:
        lines = stream.readlines(size)
        if not lines:
            return
        while not end.fullmatch(lines[-1]):
            line = stream.readline()
            if not line:
                break
            lines.append(line)
        yield b"".join(lines), {"first_line": first_line}
        first_line += len(lines)
