"""Recognising BibTeX: the `sniff` of format detection, and the UTF-16 tests the reader
shares with it. Kept apart from `reader.py` so that detecting a file's format, which asks
every reader, never imports bibtexparser and pylatexenc."""

from __future__ import annotations

import re

#: `@type{` or `@type(`: an entry, a macro, a preamble or a comment starts.
ENTRY_START = re.compile(r"@[ \t]*[A-Za-z]+[ \t]*[{(]")


def sniff(head: bytes) -> int:
    """How sure we are (0-100) that `head` is BibTeX: an `@type{` at the start of a line."""
    text = _decode_head(head)
    if text.lstrip("\ufeff \t\r\n").startswith(("{", "[")):
        return 0  # JSON
    for line in text.splitlines()[:200]:
        if ENTRY_START.match(line.lstrip()):
            return 70
    return 0


def _decode_head(head: bytes) -> str:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or looks_utf16(head):
        bom = head[:2] in (b"\xff\xfe", b"\xfe\xff")
        return head.decode("utf-16" if bom else utf16_codec(head), "replace")
    return head.decode("utf-8", "replace")


def looks_utf16(data: bytes) -> bool:
    """Whether `data` has the NUL bytes of UTF-16 text (a third of its first 200 bytes)."""
    sample = data[:200]
    return len(sample) >= 4 and sample.count(0) >= len(sample) // 3


def utf16_codec(data: bytes) -> str:
    """The byte order of UTF-16 text without a BOM: where its NUL bytes are."""
    sample = data[:200]
    return "utf-16-le" if sample[1::2].count(0) > sample[0::2].count(0) else "utf-16-be"
