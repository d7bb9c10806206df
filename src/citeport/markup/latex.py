"""LaTeX for BibTeX values: escaping, non-ASCII spelling, case protection, styles and math.

`render` writes a rich-text tree as a BibTeX field value (without the outer braces):

- the characters LaTeX treats specially (`& % $ # _ { } ~ ^ \\`) are escaped, so the value parses
  back to the same text;
- in ASCII mode non-ASCII characters are spelled as LaTeX (`{\\'e}`) by pylatexenc; a character
  with no LaTeX spelling is kept as UTF-8 and returned so the caller can report it;
- with `protect_case`, each run of words whose capitals a case-changing style (IEEEtran's
  sentence case, biblatex's `\\MakeSentenceCase`) would lose is wrapped in one brace group:
  words with a capital after the first word of the title, and words with a capital after their
  first letter anywhere ("SPS", "McDonald");
- styles become `\\textit`, `\\textbf`, `\\textsuperscript`, `\\textsubscript`, `\\textsc`;
  case-protected spans become brace groups; math is written between `$` (braced when case is
  protected, since BibTeX changes case inside math too).
"""

from __future__ import annotations

import re
from functools import lru_cache

from pylatexenc.latexencode import UnicodeToLatexEncoder

from ..richtext import Math, NoCase, RichText, Styled, Text

_ASCII_SPECIAL = str.maketrans(
    {
        "\\": r"\textbackslash{}",
        "{": r"\{",
        "}": r"\}",
        "&": r"\&",
        "%": r"\%",
        "$": r"\$",
        "#": r"\#",
        "_": r"\_",
        "~": r"\textasciitilde{}",
        "^": r"\textasciicircum{}",
    }
)
# The conventional BibTeX spellings of common typography (used in both modes).
_TYPOGRAPHY = str.maketrans(
    {"\u2013": "--", "\u2014": "---", "\u201c": "``", "\u201d": "''", "\u2018": "`",
     "\u2019": "'", "\u00a0": "~"}
)  # fmt: skip
_NEEDS_ESCAPE = re.compile(r"[\\{}&%$#_~^\u2013\u2014\u201c\u201d\u2018\u2019\u00a0]")
_WORD = re.compile(r"([^\W_]+(?:[-'\u2019.][^\W_]+)*)")
_STYLE_COMMANDS = {
    "italic": r"\textit",
    "bold": r"\textbf",
    "sup": r"\textsuperscript",
    "sub": r"\textsubscript",
    "smallcaps": r"\textsc",
}
_ENCODER = UnicodeToLatexEncoder(
    non_ascii_only=True,
    replacement_latex_protection="braces-all",
    unknown_char_policy="keep",
    unknown_char_warning=False,
)


@lru_cache(maxsize=8192)
def _encode_non_ascii(value: str) -> str:
    return _ENCODER.unicode_to_latex(value)


def escape(value: str, ascii_only: bool = True, unknown: set[str] | None = None) -> str:
    """Escape plain text for a BibTeX value; in ASCII mode spell non-ASCII characters as LaTeX.

    Characters without a LaTeX spelling are kept and added to `unknown`.
    """
    if _NEEDS_ESCAPE.search(value):
        value = value.translate(_ASCII_SPECIAL).translate(_TYPOGRAPHY)
    if ascii_only and not value.isascii():
        value = _encode_non_ascii(value)
        if unknown is not None and not value.isascii():
            unknown.update(c for c in value if not c.isascii())
    return value


def needs_protection(word: str, first: bool) -> bool:
    """Would a sentence-casing style lose a capital of this word?"""
    if word[1:] != word[1:].lower():
        return True
    return not first and word[0] != word[0].lower()


class _Writer:
    __slots__ = ("ascii_only", "first_word", "out", "protect", "unknown")

    def __init__(self, protect: bool, ascii_only: bool) -> None:
        self.protect = protect
        self.ascii_only = ascii_only
        self.first_word = True
        self.out: list[str] = []
        self.unknown: set[str] = set()

    def nodes(self, rich: RichText, protect: bool) -> None:
        for node in rich:
            if type(node) is Text:
                if protect:
                    self.protected_text(node.text)
                else:
                    self.out.append(escape(node.text, self.ascii_only, self.unknown))
                    self.first_word = False
            elif type(node) is Math:
                self.out.append(f"{{${node.tex}$}}" if protect else f"${node.tex}$")
                self.first_word = False
            elif type(node) is NoCase:
                self.out.append("{")
                self.nodes(node.children, False)
                self.out.append("}")
            elif type(node) is Styled:
                self.out.append(_STYLE_COMMANDS[node.style] + "{")
                self.nodes(node.children, False)
                self.out.append("}")

    def protected_text(self, value: str) -> None:
        """Write text with one brace group around each run of words that need protection."""
        pieces = _WORD.split(value)  # separator, word, separator, word, ..., separator
        out = self.out
        open_run = False
        pending_sep = ""
        for index, piece in enumerate(pieces):
            if index % 2 == 0:
                pending_sep = piece
                continue
            protect = needs_protection(piece, self.first_word)
            self.first_word = False
            if protect and open_run:
                out.append(escape(pending_sep + piece, self.ascii_only, self.unknown))
            elif protect:
                out.append(escape(pending_sep, self.ascii_only, self.unknown))
                out.append("{" + escape(piece, self.ascii_only, self.unknown))
                open_run = True
            else:
                if open_run:
                    out.append("}")
                    open_run = False
                out.append(escape(pending_sep + piece, self.ascii_only, self.unknown))
            pending_sep = ""
        if open_run:
            out.append("}")
        tail = pieces[-1] if len(pieces) % 2 == 1 and len(pieces) > 1 else ""
        if len(pieces) == 1:
            tail = pieces[0]
        out.append(escape(tail, self.ascii_only, self.unknown))


def render(
    rich: RichText, *, protect_case: bool = False, ascii_only: bool = True
) -> tuple[str, set[str]]:
    """Render rich text as a BibTeX value; returns it and the characters kept as UTF-8."""
    writer = _Writer(protect_case, ascii_only)
    writer.nodes(rich, protect_case)
    return "".join(writer.out), writer.unknown
