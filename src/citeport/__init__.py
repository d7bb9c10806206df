"""citeport: citation records in, BibTeX, RIS, CSL-JSON or IEEE references out.

The Python API reads, converts and writes; it never prints. Diagnostics are returned in a
`DiagnosticLog` (or in `Result.log`)::

    import citeport

    result = citeport.convert(["refs.jsonl"], "ieee")
    print(result.text)
    for diagnostic in result.log:
        print(diagnostic)

    log = citeport.DiagnosticLog()
    for ref in citeport.read("refs.jsonl", log=log):
        print(ref.title, ref.doi)
"""

from .convert import Result, UsageError, convert, read, read_stream, write
from .diagnostics import CODES, Diagnostic, DiagnosticLog, Location, Severity
from .model import Date, Name, Provenance, Reference
from .options import WriteOptions
from .registry import FormatInfo, detect, find, formats
from .richtext import Math, NoCase, RichText, Styled, Text, plain

__version__ = "0.1.0"

__all__ = [
    "CODES",
    "Date",
    "Diagnostic",
    "DiagnosticLog",
    "FormatInfo",
    "Location",
    "Math",
    "Name",
    "NoCase",
    "Provenance",
    "Reference",
    "Result",
    "RichText",
    "Severity",
    "Styled",
    "Text",
    "UsageError",
    "WriteOptions",
    "__version__",
    "convert",
    "detect",
    "find",
    "formats",
    "plain",
    "read",
    "read_stream",
    "write",
]
