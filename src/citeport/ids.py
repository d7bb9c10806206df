"""Identifiers every reader meets: DOIs in their many spellings.

Exports write a DOI bare (`10.1109/MSP.2025.3611564`), as a resolver URL
(`https://doi.org/...`, `http://dx.doi.org/...`), or with a `doi:` prefix. The model holds it
bare, as CSL-JSON's `DOI` and BibTeX's `doi` expect; writers add what their format wants.
"""

from __future__ import annotations

import re

_DOI_PREFIX = re.compile(
    r"^\s*(?:https?://(?:dx\.|www\.)?doi\.org/|doi\.org/|doi:\s*|doi\s+)", re.IGNORECASE
)


def normalise_doi(value: str) -> str:
    """The bare DOI: resolver URL or `doi:` prefix removed, white space trimmed."""
    return _DOI_PREFIX.sub("", value.strip()).strip()
