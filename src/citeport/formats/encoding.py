"""Input encodings the text readers share: UTF-16 found and decoded as a stream of UTF-8.

Reference managers on Windows (EndNote, some Web of Science and Zotero exports) write RIS,
MEDLINE and JSON as UTF-16, with or without a byte order mark. The RIS, MEDLINE, CSL-JSON and
Crossref readers take their input through `decoded`, which passes UTF-8 through untouched and
decodes UTF-16 a chunk at a time (reported with the reader's own code); the format detectors
read their first bytes with `head_text`.
"""

from __future__ import annotations

import codecs
import io
from typing import IO, Any

from ..diagnostics import DiagnosticLog, Location, Severity


def utf16(head: bytes) -> str | None:
    """The UTF-16 codec `head` is written in ("utf-16" with a BOM, "utf-16-le"/"-be" when
    every other byte of ASCII-range text is NUL), or None."""
    if head[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        return "utf-16"
    pairs = len(head) // 2
    if pairs < 2:
        return None
    even = sum(1 for i in range(0, 2 * pairs, 2) if head[i] == 0)
    odd = sum(1 for i in range(1, 2 * pairs, 2) if head[i] == 0)
    if odd * 10 >= pairs * 7 and even == 0:
        return "utf-16-le"
    if even * 10 >= pairs * 7 and odd == 0:
        return "utf-16-be"
    return None


def head_text(head: bytes) -> str:
    """The text of a detection head: UTF-8 (bad bytes replaced), or UTF-16 when it is that."""
    codec = utf16(head[:64])
    if codec is not None:
        return head.decode(codec, "replace").replace("\ufeff", "")
    return head.decode("utf-8", "replace").replace("\ufeff", "")


class _Recoded(io.RawIOBase):
    """A UTF-16 byte stream read as UTF-8 bytes, decoded a chunk at a time."""

    def __init__(self, inner: IO[bytes], codec: str) -> None:
        self._inner = inner
        self._decoder = codecs.getincrementaldecoder(codec)("replace")
        self._pending = b""
        self._eof = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._pending and not self._eof:
            chunk = self._inner.read(1 << 16)
            self._eof = not chunk
            self._pending = self._decoder.decode(chunk, final=self._eof).encode("utf-8")
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size


def decoded(stream: IO[bytes], source: str, log: DiagnosticLog, code: str) -> IO[bytes]:
    """`stream` as UTF-8 bytes: a UTF-16 input (with or without a BOM) is decoded and reported
    with `code` (a warning without a BOM, where the encoding is a guess; else informational).

    The RIS, MEDLINE, CSL-JSON and Crossref readers share it; the stream is still read a chunk
    at a time.
    """
    buffered = stream if isinstance(stream, io.BufferedReader) else io.BufferedReader(stream)  # type: ignore[type-var]
    head = buffered.peek(64)[:64]
    codec = utf16(head)
    if codec is None:
        return buffered
    how = "with a byte order mark" if codec == "utf-16" else f"without a byte order mark ({codec})"
    log.report(
        code,
        f"input is UTF-16 {how}; decoded",
        Location(source, 1),
        Severity.INFO if codec == "utf-16" else None,
    )
    return io.BufferedReader(_Recoded(buffered, codec), buffer_size=1 << 16)
