"""LaTeX for BibTeX values, both ways: `parse` reads a value into rich text, `render` writes one.

`parse` reads a BibTeX field value (without its outer braces) with pylatexenc:

| LaTeX                                              | rich text                              |
|----------------------------------------------------|----------------------------------------|
| `{\\"u}`, `\\"{u}`, `\\"u`, `{\\ss}`, `\\o`, `\\&`      | the Unicode character (`ü ß ø &`)      |
| `--`, `---`, `~`, ` `` `, `''`                       | `–`, `—`, no-break space, `“`, `”`     |
| `{DNA}` (a brace group not starting with a command)| `NoCase` (case-protected)              |
| `\\emph` `\\textit` `\\textbf` `\\textsuperscript`    | `Styled` italic, italic, bold, sup     |
| `\\textsubscript` `\\textsc`, `{\\em ..}` `{\\bf ..}`   | `Styled` sub, smallcaps, italic, bold  |
| `$...$`, `\\(...\\)`                                  | `Math`, keeping its TeX source         |
| `\\url{u}`, `\\href{u}{text}`                         | the URL, the text                      |
| `%` (BibTeX does not treat it as a comment)        | `%`                                    |
| `\\TeX`, `\\LaTeX`, `\\BibTeX`, `\\MF` (`LOGOS`)      | the logo's name ("TeX", "METAFONT")    |
| `\\texttt{x}`, `\\mbox{x}`                           | the text `x` (no style for the font)   |
| `\\tt`, `\\relax`, `\\vphantom{x}` (`_NO_TEXT`)      | nothing                                |
| `\\aap`, `\\noopsort{x}` (a command nobody knows)    | a raw span: `NoCase` of its source     |

A command neither pylatexenc's latex2text nor this module knows is kept as it was written, with
the brace groups right after it, in a raw span (`raw_tex`), and named by `unknown_commands` so
the reader can report it: pylatexenc would drop it (and `\\texttt`'s argument with it).

Speed: pylatexenc's walker is slow, so a fast reader (`_fast_whole`, at the end of this module)
reads the common subset first (text, ligatures, `{...}` groups, accents on a letter, symbol
commands, the style commands and declarations above, inline math) and leaves anything else to
pylatexenc; it gives exactly pylatexenc's rich text (tests/test_latex_fast.py compares the two
over the corpus). `parse(value, fast=False)` or `CITEPORT_LATEX_SLOW=1` turns it off.

`render` writes a rich-text tree as a BibTeX field value (without the outer braces):

- the characters LaTeX treats specially (`& % $ # _ { } ~ ^ \\`) are escaped, so the value parses
  back to the same text;
- in ASCII mode non-ASCII characters are spelled as LaTeX (`{\\'e}`) by pylatexenc, letters with
  accents it does not spell by nested accent commands (Vietnamese `ầ` as `{\\`{\\^{a}}}`); a
  character with no LaTeX spelling is kept as UTF-8 and returned so the caller can report it;
- with `protect_case`, each run of words whose capitals a case-changing style (IEEEtran's
  sentence case, biblatex's `\\MakeSentenceCase`) would lose is wrapped in one brace group:
  words with a capital after the first word of the title, and words with a capital after their
  first letter anywhere ("SPS", "McDonald");
- styles become `\\textit`, `\\textbf`, `\\textsuperscript`, `\\textsubscript`, `\\textsc`;
  case-protected spans become brace groups; math is written between `$` (braced when case is
  protected, since BibTeX changes case inside math too).

Speed of writing: most values need no escaping, and `escape` finds that with one character class
and two substring tests (`_needs_escape`) rather than a regex alternation, which scans a long
abstract about three times slower; a title with nothing to escape (`is_plain`) is split into words
without escaping each piece; a value whose only specials are `& % $ # _ { } ~ ^ \\` is escaped
character by character, without the ligature bookkeeping it cannot need
(`_forms_no_ligature`). tests/test_bibtex_writer_speed.py checks each against the general path.
"""

from __future__ import annotations

import os
import re
import unicodedata
from functools import lru_cache

from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec
from pylatexenc.latex2text import get_default_latex_context_db as get_text_context_db
from pylatexenc.latexencode import UnicodeToLatexEncoder
from pylatexenc.latexwalker import (
    LatexCharsNode,
    LatexCommentNode,
    LatexGroupNode,
    LatexMacroNode,
    LatexMathNode,
    LatexNode,
    LatexWalker,
    get_default_latex_context_db,
)

from ..richtext import Inline, Math, NoCase, RichText, Style, Styled, Text, concat
from .tex import unsafe as unsafe_tex

_ASCII_SPECIAL: dict[str, str] = {
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
# The conventional BibTeX spellings of common typography (used in both modes). Single quotes are
# not among them: `'` and `` ` `` read back as themselves, so `’` and `‘` are spelled by name in
# ASCII mode (`_TEXT_SYMBOLS`) and kept as UTF-8 in Unicode mode.
_TYPOGRAPHY: dict[str, str] = {
    "\u2013": "--", "\u2014": "---", "\u201c": "``", "\u201d": "''", "\u00a0": "~"
}  # fmt: skip
_ESCAPES = {**_ASCII_SPECIAL, **_TYPOGRAPHY}
#: The characters `escape` changes, and the backquote of the pairs "``", "?`", "!`"; with "--"
#: and "''" (`_needs_escape`), everything `_escape_chars` may change. One character class, not
#: an alternation with the pairs, so that the regex engine scans a long abstract at C speed.
_ESCAPE_CHARS = re.compile(r"[\\{}&%$#_~^\u2013\u2014\u201c\u201d\u00a0`]")
_LIGATURE_PAIRS = frozenset(("--", "''", "``", "?`", "!`"))
_NEEDS_TYPOGRAPHY = re.compile(r"[\u2013\u2014\u201c\u201d\u00a0]")
#: The two tables' keys, made once (`_escape_chars` is called for every value written).
_TABLE_KEYS = {id(_ESCAPES): frozenset(_ESCAPES), id(_TYPOGRAPHY): frozenset(_TYPOGRAPHY)}


#: Characters that can form a ligature pair (see `_LIGATURE_PAIRS`).
_PAIR_CHARS = "-'`?!"


@lru_cache(maxsize=16)
def _special_runs(keys: frozenset[str]) -> re.Pattern[str]:
    """Runs of characters that `_escape_run` may change: those in a table or in a pair."""
    chars = sorted(keys | set(_PAIR_CHARS))
    return re.compile("[" + "".join(re.escape(c) for c in chars) + "]+")


def _escape_chars(value: str, table: dict[str, str]) -> str:
    """Replace characters by their spellings in `table`, keeping ligatures from forming.

    Two hyphens (or quotes) in a row, written or spelled, would read back as a dash (or a
    typographic quote), and `?` or `!` before a backquote as `¿` or `¡`: an empty group goes
    between them (`-{}-`). Only runs of characters in the table or in `_PAIR_CHARS` can change
    (any other character maps to itself and forms no pair), so only those go through the loop.
    """
    keys = _TABLE_KEYS.get(id(table))
    if keys is None:
        keys = frozenset(table)
    return _special_runs(keys).sub(lambda m: _escape_run(m.group(), table), value)


def _escape_run(value: str, table: dict[str, str]) -> str:
    """`_escape_chars` on one run of characters, one character at a time."""
    pieces: list[str] = []
    for char in value:
        piece = table.get(char, char)
        if pieces and pieces[-1][-1] + piece[0] in _LIGATURE_PAIRS:
            pieces.append("{}")
        pieces.append(piece)
    return "".join(pieces)


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


#: Text-mode spellings for characters pylatexenc spells in math (`−` as `\\ensuremath{-}`, which
#: reads back as a hyphen) or by a command it reads back as another character. `\\textminus` and
#: `\\textperiodcentered` are textcomp symbols, in the LaTeX kernel since 2020.
_TEXT_SYMBOLS: dict[str, str] = {
    "\u2212": r"{\textminus}",
    "\u2019": r"{\textquoteright}",
    "\u2018": r"{\textquoteleft}",
    "\u00b7": r"{\textperiodcentered}",
}
#: What `parse` reads for commands pylatexenc's latex2text leaves out or maps to another character.
_SYMBOL_COMMANDS: dict[str, str] = {
    "textminus": "\u2212",
    "textperiodcentered": "\u00b7",
    "textasciicircum": "^",
}
#: A non-ASCII character with its combining marks (or an ASCII letter with combining marks).
_NON_ASCII_CLUSTER = re.compile(r"[^\x00-\x7f][\u0300-\u036f]*|[A-Za-z][\u0300-\u036f]+")


#: Combining mark -> the LaTeX accent command that puts it on a letter (`\\d` is the dot below
#: of Vietnamese "ạ"). The hook above (U+0309) and the horn (U+031B) of Vietnamese "ả", "ơ",
#: "ư" are missing on purpose: LaTeX spells them only in the T5 font encoding (`\\h`, `\\horn`
#: of the vietnam package), which a document without it cannot compile and pylatexenc cannot
#: read, so those letters are kept as UTF-8 and reported.
_ACCENT_COMMANDS: dict[str, str] = {
    "\u0300": "`", "\u0301": "'", "\u0302": "^", "\u0303": "~", "\u0304": "=",
    "\u0306": "u", "\u0307": ".", "\u0308": '"', "\u030a": "r", "\u030b": "H",
    "\u030c": "v", "\u0323": "d", "\u0327": "c", "\u0328": "k", "\u0331": "b",
}  # fmt: skip


def _nested_accents(cluster: str) -> str | None:
    """A letter with several accents as nested accent commands: "ầ" -> `{\\`{\\^{a}}}`.

    The marks of the canonical decomposition (NFD) are applied from the letter outwards, so
    "ặ" (a, dot below, breve) is `{\\u{\\d{a}}}`. None when the base is not an ASCII letter
    or a mark has no accent command.
    """
    decomposed = unicodedata.normalize("NFD", cluster)
    base, marks = decomposed[0], decomposed[1:]
    if not (base.isascii() and base.isalpha()) or not marks:
        return None
    spelled = base
    for mark in marks:
        command = _ACCENT_COMMANDS.get(mark)
        if command is None:
            return None
        spelled = f"\\{command}{{{spelled}}}"
    return "{" + spelled + "}"


@lru_cache(maxsize=4096)
def spell(cluster: str) -> str | None:
    """The ASCII LaTeX spelling of one character (with its combining marks), or None.

    A spelling is used only when `parse` reads it back as the same character (its NFC form, for
    a letter with combining marks): pylatexenc spells a few characters in ways that read back as
    another one, and those get a text spelling from `_TEXT_SYMBOLS` or none at all. A letter
    pylatexenc has no spelling for but whose accents all have commands (the Vietnamese letters
    with two diacritics, "ầ", "ặ", "ễ", and those with a dot below, "ạ") is spelled with nested
    accent commands.
    """
    expected = (Text(unicodedata.normalize("NFC", cluster)),)
    candidate = _TEXT_SYMBOLS.get(cluster) or str(_ENCODER.unicode_to_latex(cluster))
    if candidate.isascii() and parse(candidate) == expected:
        return candidate
    nested = _nested_accents(cluster)
    if nested is not None and parse(nested) == expected:
        return nested
    return None


def _spell_all(value: str, unknown: set[str] | None) -> str:
    def one(match: re.Match[str]) -> str:
        cluster = match.group()
        spelled = spell(cluster)
        if spelled is None:
            if unknown is not None:
                unknown.update(c for c in cluster if not c.isascii())
            return cluster
        return spelled

    return _NON_ASCII_CLUSTER.sub(one, value)


def _needs_escape(value: str) -> bool:
    """Could `_escape_chars(value, _ESCAPES)` change `value`? (False: it would not.)"""
    return _ESCAPE_CHARS.search(value) is not None or "--" in value or "''" in value


def escape(value: str, ascii_only: bool = True, unknown: set[str] | None = None) -> str:
    """Escape plain text for a BibTeX value; in ASCII mode spell non-ASCII characters as LaTeX.

    The value reads back (with `parse`) as the same text. Characters without a LaTeX spelling
    that reads back as themselves are kept as UTF-8 and added to `unknown`.
    """
    if _needs_escape(value):
        if _forms_no_ligature(value):
            value = _ASCII_SPECIAL_CHAR.sub(_spell_special, value)
        else:
            value = _escape_chars(value, _ESCAPES)
    if ascii_only and not value.isascii():
        value = _spell_all(value, unknown)
    return value


#: The characters of `_ASCII_SPECIAL`, one at a time (`_spell_special` spells each).
_ASCII_SPECIAL_CHAR = re.compile(r"[\\{}&%$#_~^]")


def _spell_special(match: re.Match[str]) -> str:
    return _ASCII_SPECIAL[match.group()]


def _forms_no_ligature(value: str) -> bool:
    """True when `_escape_chars(value, _ESCAPES)` is only `_ASCII_SPECIAL` applied char by char.

    The spellings of `_ASCII_SPECIAL` start with a backslash and end with a brace or the
    character itself (`\\&`), none of which is half of a ligature pair (`-`, `'`, `` ` ``, `?`,
    `!`): they never need an empty group beside them. A value without the typography of
    `_TYPOGRAPHY` (spelled `--`, `''`...) and without a pair of its own (a backquote, "--",
    "''") has no other place where one is needed.
    """
    return (
        "`" not in value
        and "--" not in value
        and "''" not in value
        and _NEEDS_TYPOGRAPHY.search(value) is None
    )


def escape_non_ascii(value: str, unknown: set[str] | None = None) -> str:
    """Spell the non-ASCII characters of a LaTeX value in LaTeX, leaving its markup alone.

    Characters without a LaTeX spelling are kept and added to `unknown`.
    """
    if value.isascii():
        return value
    if _NEEDS_TYPOGRAPHY.search(value):
        value = _escape_chars(value, _TYPOGRAPHY)
    return _spell_all(value, unknown)


def is_plain(value: str, ascii_only: bool) -> bool:
    """True when `escape(value, ascii_only)` is `value` itself, and so of any part of it.

    Nothing in it needs escaping (`_needs_escape` finds no character and no ligature pair), and
    it is ASCII or may stay UTF-8. A part of such a value has no special character or pair
    either, so the writer can skip escaping its pieces one by one.
    """
    return (not ascii_only or value.isascii()) and not _needs_escape(value)


def needs_protection(word: str, first: bool) -> bool:
    """Would a sentence-casing style lose a capital of this word?"""
    if word[1:] != word[1:].lower():
        return True
    return not first and word[0] != word[0].lower()


class _Writer:
    __slots__ = ("ascii_only", "first_word", "out", "protect", "unknown", "unsafe")

    def __init__(self, protect: bool, ascii_only: bool) -> None:
        self.protect = protect
        self.ascii_only = ascii_only
        self.first_word = True
        self.out: list[str] = []
        self.unknown: set[str] = set()
        self.unsafe: list[str] = []

    def nodes(self, rich: RichText, protect: bool) -> None:
        for node in rich:
            if type(node) is Text:
                if protect:
                    self.protected_text(node.text)
                else:
                    self.out.append(escape(node.text, self.ascii_only, self.unknown))
                    self.first_word = False
            elif type(node) is Math:
                reason = unsafe_tex(node.tex)
                if reason is not None:  # written as text, so it cannot break or run anything
                    self.unsafe.append(f"math with {reason}")
                    self.out.append(escape(f"${node.tex}$", self.ascii_only, self.unknown))
                else:
                    self.out.append(f"{{${node.tex}$}}" if protect else f"${node.tex}$")
                self.first_word = False
            elif type(node) is NoCase:
                if self.raw(node):
                    continue
                self.out.append("{")
                self.nodes(node.children, False)
                self.out.append("}")
            elif type(node) is Styled:
                self.out.append(_STYLE_COMMANDS[node.style] + "{")
                self.nodes(node.children, False)
                self.out.append("}")

    def raw(self, node: NoCase) -> bool:
        """Write a raw TeX span (`raw_tex`) back as it was read, when it is safe to.

        Only a span that `parse` reads back as itself is raw (a `NoCase` of "\\a b" from
        another format is text: `\\a` is an accent). A span whose TeX could break the document
        or run commands is left to be written as text (escaped), and the reason noted.
        """
        tex = raw_tex(node)
        if tex is None or parse(tex) != (node,):
            return False
        reason = unsafe_tex(tex)
        if reason is not None:
            self.unsafe.append(f"TeX command {tex.strip()!r} with {reason}")
            return False
        if self.ascii_only and not tex.isascii():
            tex = escape_non_ascii(tex, self.unknown)
        self.out.append("{" + tex + "}")
        self.first_word = False
        return True

    def protected_text(self, value: str) -> None:
        """Write text with one brace group around each run of words that need protection.

        Each piece is escaped on its own, unless the whole value is `is_plain` (most titles):
        then every piece is written as it is, which is what escaping it would give.
        """
        pieces = _WORD.split(value)  # separator, word, separator, word, ..., separator
        out, ascii_only, unknown = self.out, self.ascii_only, self.unknown
        esc = _unchanged if is_plain(value, ascii_only) else escape
        open_run = False
        for index in range(1, len(pieces), 2):
            separator, word = pieces[index - 1], pieces[index]
            protect = needs_protection(word, self.first_word)
            self.first_word = False
            if protect and open_run:
                out.append(esc(separator + word, ascii_only, unknown))
            elif protect:
                out.append(esc(separator, ascii_only, unknown))
                out.append("{" + esc(word, ascii_only, unknown))
                open_run = True
            else:
                if open_run:
                    out.append("}")
                    open_run = False
                out.append(esc(separator + word, ascii_only, unknown))
        if open_run:
            out.append("}")
        out.append(esc(pieces[-1], ascii_only, unknown))


def _unchanged(value: str, ascii_only: bool, unknown: set[str] | None) -> str:
    """`escape` of a `is_plain` value (or a part of one): the value itself."""
    return value


def render(
    rich: RichText,
    *,
    protect_case: bool = False,
    ascii_only: bool = True,
    unsafe: list[str] | None = None,
) -> tuple[str, set[str]]:
    """Render rich text as a BibTeX value; returns it and the characters kept as UTF-8.

    Raw TeX spans (`raw_tex`: commands `parse` did not know) are written back as they were
    read, in their brace group. Math or a raw span whose TeX could break the document or run
    commands (`tex.unsafe`) is written as escaped text instead; what and why ("math with an
    unescaped '%'") is added to `unsafe` for the caller to report.
    """
    writer = _Writer(protect_case, ascii_only)
    writer.nodes(rich, protect_case)
    if unsafe is not None:
        unsafe.extend(writer.unsafe)
    return "".join(writer.out), writer.unknown


# --- reading -----------------------------------------------------------------------------------

#: Characters that make a value need the LaTeX parser; anything else is plain text already.
_LATEX_SYNTAX = re.compile(r"[\\{}$~%]|--|``|''")
_COMMANDS_OR_GROUPS = re.compile(r"[\\{}$]")
_LIGATURES = re.compile(r"---|--|``|''|~")
_LIGATURE_TEXT = {"---": "\u2014", "--": "\u2013", "``": "\u201c", "''": "\u201d", "~": "\u00a0"}
_UNESCAPED_PERCENT = re.compile(r"(?<!\\)%")
#: Commands that take one argument and style it.
_STYLE_OF: dict[str, Style] = {
    "emph": "italic",
    "textit": "italic",
    "textsl": "italic",
    "mkbibemph": "italic",
    "mkbibitalic": "italic",
    "textbf": "bold",
    "mkbibbold": "bold",
    "textsuperscript": "sup",
    "mkbibsuperscript": "sup",
    "textsubscript": "sub",
    "mkbibsubscript": "sub",
    "textsc": "smallcaps",
}
#: Declarations that style the rest of their group (`{\\em text}`).
_DECLARATION_STYLE: dict[str, Style] = {
    "em": "italic",
    "it": "italic",
    "itshape": "italic",
    "sl": "italic",
    "bf": "bold",
    "bfseries": "bold",
    "sc": "smallcaps",
    "scshape": "smallcaps",
}
#: TeX logos, read as their names. pylatexenc's latex2text has no text for any of them (it reads
#: `The {\\TeX}book` as "The book"), so they are added to its macro table (`_TEXT_CONTEXT`).
#: The names are the logos' plain-text forms (the hologo package's PDF strings): ASCII, so the
#: classic writer writes them as they are.
LOGOS: dict[str, str] = {
    "TeX": "TeX", "LaTeX": "LaTeX", "LaTeXe": "LaTeX2e", "LaTeXTeX": "(La)TeX",
    "AllTeX": "(La)TeX", "BibTeX": "BibTeX", "SliTeX": "SliTeX", "SLiTeX": "SLiTeX",
    "AmS": "AMS", "AMS": "AMS", "AmSTeX": "AMS-TeX", "AmSLaTeX": "AMS-LaTeX",
    "METAFONT": "METAFONT", "MF": "METAFONT", "METAPOST": "METAPOST", "MP": "METAPOST",
    "MetaPost": "MetaPost",
    "XeTeX": "XeTeX", "XeLaTeX": "XeLaTeX", "LuaTeX": "LuaTeX", "LuaLaTeX": "LuaLaTeX",
    "pdfTeX": "pdfTeX", "pdfLaTeX": "pdfLaTeX", "ConTeXt": "ConTeXt", "eTeX": "e-TeX",
    "PiCTeX": "PiCTeX", "LyX": "LyX", "KOMAScript": "KOMA-Script", "MiKTeX": "MiKTeX",
    "NTS": "NTS", "ExTeX": "ExTeX", "plainTeX": "plain TeX", "iniTeX": "iniTeX",
}  # fmt: skip
#: Kernel text symbols pylatexenc's latex2text reads as nothing (`\\thinspace` as a space, like
#: pylatexenc's `\\,`).
_KERNEL_SYMBOLS: dict[str, str] = {
    "slash": "/", "S": "\u00a7", "P": "\u00b6", "copyright": "\u00a9", "ddag": "\u2021",
    "textless": "<", "textgreater": ">", "textbar": "|", "textunderscore": "_",
    "textbraceleft": "{", "textbraceright": "}", "space": " ", "nobreakspace": "\u00a0",
    "thinspace": " ",
}  # fmt: skip
#: Commands that change only the font, spacing, kerning or line breaking: they have no text and
#: no rich-text style, so they are read as nothing (their argument, if any, as its text:
#: `_ARGUMENT_AS_TEXT`). The declarations with a style are in `_DECLARATION_STYLE`.
_NO_TEXT = frozenset(
    """
    / @ relax protect ignorespaces unskip nobreak allowbreak noindent hfill hfil break
    phantom hphantom vphantom strut null leavevmode
    tt rm sf upshape mdseries slshape normalfont ttfamily sffamily rmfamily
    tiny scriptsize footnotesize small normalsize large Large LARGE huge Huge
    """.split()
)
#: Commands whose one argument is text in another font or box: the text is kept. pylatexenc's
#: parser knows some of them take an argument but latex2text has no text for them, so it
#: dropped the argument too (`\\texttt{grep}` read as nothing).
_ARGUMENT_AS_TEXT = frozenset("texttt textsf textup textmd textnormal mbox hbox".split())

_TRAILING_SPACE = re.compile(r"\s+$")
#: pylatexenc's latex2text macro table with the logos and symbols above; a command it does not
#: know (`_UNKNOWN`) is kept as its LaTeX source, as `parse` keeps it (pylatexenc drops it).
_UNKNOWN = MacroTextSpec(
    "", simplify_repl=lambda node: _TRAILING_SPACE.sub(" ", node.latex_verbatim())
)
_TEXT_CONTEXT = get_text_context_db()
_TEXT_CONTEXT.add_context_category(
    "citeport",
    macros=[MacroTextSpec(name, text) for name, text in {**LOGOS, **_KERNEL_SYMBOLS}.items()],
    prepend=True,
)
_TEXT_CONTEXT.set_unknown_macro_spec(_UNKNOWN)
_TO_TEXT = LatexNodes2Text(
    latex_context=_TEXT_CONTEXT, math_mode="verbatim", strict_latex_spaces=True
)
#: What a raw TeX span (`raw_tex`) starts with: a command.
_RAW_START = re.compile(r"\\(?:[A-Za-z@]+|[^A-Za-z@\s])")


@lru_cache(maxsize=1)
def _latex_context() -> object:
    """pylatexenc's default macro table, built once (building it is most of a short parse)."""
    return get_default_latex_context_db()


def raw_tex(node: Inline) -> str | None:
    """The TeX source of a raw span `parse` made for an unknown command, or None.

    A command that neither pylatexenc nor this module knows (`\\aap`, `\\noopsort{1973b}`) is
    kept as it was written, with the brace groups right after it (its likely arguments), in a
    case-protected span holding only that source: `NoCase((Text("\\\\noopsort{1973b}"),))`.
    Plain-text targets show the command; the BibTeX writers write it back as it was.
    """
    if type(node) is not NoCase or len(node.children) != 1:
        return None
    child = node.children[0]
    if type(child) is not Text or not _RAW_START.match(child.text):
        return None
    return child.text


def raw_spans(rich: RichText) -> list[str]:
    """The TeX source of each raw span (`raw_tex`) in a tree, in order."""
    out: list[str] = []
    for node in rich:
        tex = raw_tex(node)
        if tex is not None:
            out.append(tex)
        elif type(node) is NoCase or type(node) is Styled:
            out.extend(raw_spans(node.children))
    return out


def without_raw(rich: RichText) -> RichText:
    """Rich text with the raw TeX spans (`raw_tex`) left out: only what was read as text."""
    out: list[Inline] = []
    for node in rich:
        if raw_tex(node) is not None:
            continue
        if type(node) is NoCase:
            if children := without_raw(node.children):
                out.append(NoCase(children))
        elif type(node) is Styled:
            if children := without_raw(node.children):
                out.append(Styled(node.style, children))
        else:
            out.append(node)
    return tuple(out)


def parse(value: str, *, fast: bool = True) -> RichText:
    """Parse a BibTeX field value (LaTeX, without its outer braces) into rich text.

    A brace group that does not start with a command is case-protected (`NoCase`); a group
    that starts with one (`{\\"u}`, `{\\ss}`) is a special character, as in BibTeX. TeX logos
    read as their names (`\\TeX` as "TeX"); a command nobody knows is kept as its source in a
    raw span (`raw_tex`; `unknown_commands` names them). Never raises: pylatexenc's tolerant
    mode reads unbalanced input as well as it can. Cached: names and journal titles repeat a
    great deal across a library.

    Args:
        value: The field value.
        fast: False reads every span with pylatexenc (uncached), never with the fast reader
            (`_fast_whole`); the result is the same (tests/test_latex_fast.py checks it).
            Setting the environment variable `CITEPORT_LATEX_SLOW=1` does this everywhere.
    """
    if fast and FAST_PATH:
        return _read(value)[0]
    return _read_value(value, fast=False)[0]


def unknown_commands(value: str) -> tuple[str, ...]:
    """The commands of a value `parse` does not know and keeps as raw TeX, each once, in order.

    Names without the backslash (`("aap", "noopsort")`); commands inside math are not counted.
    A value whose commands are all known is not parsed (names are looked up first).
    """
    if "\\" not in value or all(_known_name(name) for name in _COMMAND_NAME.findall(value)):
        return ()
    return _read(value)[1]


_COMMAND_NAME = re.compile(r"\\([A-Za-z@]+|.)", re.DOTALL)


def _known_name(name: str) -> bool:
    return (
        name in _OWN_COMMANDS
        or name in _STYLE_OF
        or name in _DECLARATION_STYLE
        or not _text_unknown(name)
    )


@lru_cache(maxsize=4096)
def _read(value: str) -> tuple[RichText, tuple[str, ...]]:
    return _read_value(value, FAST_PATH)


def _read_value(value: str, fast: bool) -> tuple[RichText, tuple[str, ...]]:
    if not _LATEX_SYNTAX.search(value):
        return ((Text(value),) if value else ()), ()
    if not _COMMANDS_OR_GROUPS.search(value):
        # Only ligatures, ties and percent signs: no need for the parser (much faster).
        return (Text(_LIGATURES.sub(lambda m: _LIGATURE_TEXT[m.group()], value)),), ()
    unknown: list[str] = []
    if len(value) > _SPAN_MIN and not _DECLARATION.search(value):
        rich = _parse_spans(value, unknown, fast)
    else:
        rich = _parse_whole(value, unknown, fast)
    return rich, tuple(dict.fromkeys(unknown))


#: Values longer than this are parsed span by span (`_parse_spans`): pylatexenc reads text one
#: token at a time, which made long abstracts most of the BibTeX reader's time.
_SPAN_MIN = 160
#: A declaration (`\em text`) styles what follows it: such values are parsed whole.
_DECLARATION = re.compile(
    r"\\(?:em|it|bf|sl|sc|tt|rm|sf|itshape|bfseries|scshape|slshape|upshape|mdseries"
    r"|normalfont|ttfamily|sffamily|rmfamily|large|Large|small|footnotesize|tiny|huge|Huge)"
    r"(?![A-Za-z])"
)
_SPECIAL = re.compile(r"[\\{}$]")
_CONTROL_WORD_END = re.compile(r"\\[A-Za-z]+$")


def _parse_spans(value: str, unknown: list[str], fast: bool = True) -> RichText:
    """Parse a long value as plain runs and the LaTeX spans between them.

    A span starts at `\\`, `{`, `}` or `$` and runs to the first white space outside braces and
    math (a space after a control word belongs to it, as TeX eats it). Only spans go to
    pylatexenc; plain runs only need ligatures. The result is the whole-value parse's (the
    round-trip tests over the corpus compare them).
    """
    out: list[Inline] = []
    pos = 0
    length = len(value)
    while pos < length:
        match = _SPECIAL.search(value, pos)
        if match is None:
            out.append(Text(_ligatures(value[pos:])))
            break
        start = match.start()
        # The span starts at the beginning of the word holding the special character.
        word_start = start
        while word_start > pos and not value[word_start - 1].isspace():
            word_start -= 1
        if word_start > pos:
            out.append(Text(_ligatures(value[pos:word_start])))
        end = _span_end(value, start)
        out.extend(_parse_whole(value[word_start:end], unknown, fast))
        pos = end
    return concat(out)


def _span_end(value: str, start: int) -> int:
    depth = 0
    math = False
    index = start
    length = len(value)
    while index < length:
        char = value[index]
        if char == "\\":
            index += 2
            continue
        if char == "$":
            math = not math
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif (
            char.isspace()
            and depth <= 0
            and not math
            and not _CONTROL_WORD_END.search(value, start, index)
        ):
            return index
        index += 1
    return length


def _ligatures(text: str) -> str:
    return _LIGATURES.sub(lambda m: _LIGATURE_TEXT[m.group()], text) if text else text


def _parse_whole(value: str, unknown: list[str] | None = None, fast: bool = True) -> RichText:
    """Parse a value with pylatexenc; the unknown commands are added to `unknown`.

    With `fast`, the fast reader (`_fast_whole`) reads it when it can (it finds no unknown
    command: it leaves those to pylatexenc).
    """
    if fast:
        rich = _fast_whole(value)
        if rich is not None:
            return rich
    # BibTeX has no comments inside values: a bare % is a percent sign.
    value = _UNESCAPED_PERCENT.sub(r"\\%", value)
    try:
        nodes, _, _ = LatexWalker(
            value, latex_context=_latex_context(), tolerant_parsing=True
        ).get_latex_nodes()
    except Exception:  # pylatexenc's tolerant mode still raises on a few inputs
        return (Text(value),)
    out: list[Inline] = []
    _nodes(nodes or [], out, top=True, unknown=[] if unknown is None else unknown)
    return concat(out)


def _nodes(nodes: list[LatexNode], out: list[Inline], top: bool, unknown: list[str]) -> None:
    index = 0
    while index < len(nodes):
        node = nodes[index]
        index += 1
        if node is None or isinstance(node, LatexCommentNode):
            continue
        if isinstance(node, LatexCharsNode):
            out.append(Text(node.chars))
        elif isinstance(node, LatexMathNode):
            if node.displaytype == "inline":
                out.append(Math("".join(n.latex_verbatim() for n in node.nodelist or [])))
            else:
                out.append(Text(node.latex_verbatim()))
        elif isinstance(node, LatexGroupNode):
            _group(node, out, top, unknown)
        elif isinstance(node, LatexMacroNode):
            name = node.macroname
            if (
                name in _STYLE_OF
                and not _macro_args(node)
                and index < len(nodes)
                and isinstance(nodes[index], LatexGroupNode)
            ):
                # A command pylatexenc does not know takes no argument: take the group after it.
                inner: list[Inline] = []
                _nodes(_arg_nodes(nodes[index]), inner, top=False, unknown=unknown)
                out.append(Styled(_STYLE_OF[name], concat(inner)))
                index += 1
                continue
            if name in _DECLARATION_STYLE:
                rest: list[Inline] = []
                _nodes(nodes[index:], rest, top=False, unknown=unknown)
                out.append(Styled(_DECLARATION_STYLE[name], concat(rest)))
                return
            if not _known(node):
                index = _raw(node, nodes, index, out, unknown)
                continue
            _macro(node, out, unknown)
        else:
            out.append(Text(_node_text(node, unknown)))


def _known(node: LatexMacroNode) -> bool:
    """Whether `parse` knows what a command means (else it is kept as raw TeX)."""
    return _known_name(node.macroname)


@lru_cache(maxsize=4096)
def _text_unknown(name: str) -> bool:
    """Whether pylatexenc's latex2text (with `LOGOS`) has no text for a command."""
    return _TEXT_CONTEXT.get_macro_spec(name) is _UNKNOWN


def _raw(
    node: LatexMacroNode, nodes: list[LatexNode], index: int, out: list[Inline], unknown: list[str]
) -> int:
    """Keep an unknown command as its source, with the brace groups right after it (its likely
    arguments), in a raw span (`raw_tex`); returns the index of the next node."""
    unknown.append(node.macroname)
    source = [node.latex_verbatim()]
    while index < len(nodes) and isinstance(nodes[index], LatexGroupNode):
        source.append(nodes[index].latex_verbatim())
        index += 1
    tex = "".join(source)
    stripped = tex.rstrip()
    # The space a control word ends with is not text (TeX skips it); one is kept in the span.
    out.append(NoCase((Text(stripped + " " if stripped != tex else stripped),)))
    return index


def _node_text(node: LatexNode, unknown: list[str]) -> str:
    """pylatexenc's Unicode for one node; its LaTeX source when pylatexenc fails on it.

    Commands pylatexenc does not know inside it (`\\footnote{\\aap}`) are kept as their
    source (`_UNKNOWN`) and added to `unknown`.
    """
    if not isinstance(node, LatexCharsNode):
        _unknown_inside(node, unknown)
    try:
        return str(_TO_TEXT.nodelist_to_text([node]))
    except Exception:  # e.g. \href with one argument: IndexError inside pylatexenc
        return str(node.latex_verbatim())


def _unknown_inside(node: LatexNode, unknown: list[str]) -> None:
    children: list[LatexNode] = []
    if isinstance(node, LatexMacroNode):
        children = _macro_args(node)
    elif isinstance(node, LatexMathNode):
        return
    else:
        children = [n for n in getattr(node, "nodelist", None) or [] if n is not None]
    for child in children:
        if isinstance(child, LatexMacroNode) and _text_unknown(child.macroname):
            unknown.append(child.macroname)
        _unknown_inside(child, unknown)


def _group(node: LatexGroupNode, out: list[Inline], top: bool, unknown: list[str]) -> None:
    children = [n for n in node.nodelist or [] if n is not None]
    if not children:
        return
    inner: list[Inline] = []
    _nodes(children, inner, top=False, unknown=unknown)
    merged = concat(inner)
    if not top or isinstance(children[0], LatexMacroNode):
        out.extend(merged)  # a special character, or a group inside a protected one
    elif all(type(n) is Math for n in merged):
        out.extend(merged)  # {$x$}: math is never case-changed anyway
    elif merged:
        out.append(NoCase(merged))


#: Commands `_macro` reads itself (pylatexenc's latex2text may not know them).
_OWN_COMMANDS = frozenset(
    {"url", "nolinkurl", "href", "(", ")", *_SYMBOL_COMMANDS, *_NO_TEXT, *_ARGUMENT_AS_TEXT}
)


def _macro(node: LatexMacroNode, out: list[Inline], unknown: list[str]) -> None:
    name = node.macroname
    args = _macro_args(node)
    if name in _STYLE_OF and args:
        inner: list[Inline] = []
        _nodes(_arg_nodes(args[-1]), inner, top=False, unknown=unknown)
        out.append(Styled(_STYLE_OF[name], concat(inner)))
    elif name in ("url", "nolinkurl") and args:
        out.append(Text("".join(n.latex_verbatim() for n in _arg_nodes(args[-1]))))
    elif name == "href" and len(args) >= 2:
        _nodes(_arg_nodes(args[-1]), out, top=False, unknown=unknown)
    elif name in _ARGUMENT_AS_TEXT:
        if args:
            _nodes(_arg_nodes(args[-1]), out, top=False, unknown=unknown)
    elif name in _NO_TEXT or name in ("(", ")"):
        return
    elif name in _SYMBOL_COMMANDS:
        out.append(Text(_SYMBOL_COMMANDS[name]))
    else:
        out.append(Text(_node_text(node, unknown)))


def _macro_args(node: LatexMacroNode) -> list[LatexNode]:
    return [a for a in (node.nodeargd.argnlist if node.nodeargd else []) if a is not None]


def _arg_nodes(arg: LatexNode) -> list[LatexNode]:
    if isinstance(arg, LatexGroupNode):
        return [n for n in arg.nodelist or [] if n is not None]
    return [arg]


# --- the fast reader ---------------------------------------------------------------------------
#
# Most BibTeX values are words with `{Protected}` groups, accents (`{\\"o}`, `\\'e`), symbols
# (`\\&`, `\\ss`), ligatures, `\\textit{...}` and inline math. `_fast_whole` reads that subset
# with a regex-driven scanner and gives up (None) on anything else, which pylatexenc then reads.
# It gives exactly `_parse_whole`'s rich text: what a command reads as is taken from
# pylatexenc itself, once per command (`_symbol_text`, `_accent_text`), and checked there in
# the forms the scanner reads (a control word eats the white space after it, a control symbol
# does not); tests/test_latex_fast.py compares both readers over the corpus and random values.

#: `CITEPORT_LATEX_SLOW=1` turns the fast reader off (every value goes to pylatexenc).
FAST_PATH = os.environ.get("CITEPORT_LATEX_SLOW", "").strip() in ("", "0")

#: A run of text: no command, group or math (`#`, `^`, `_` are text outside math).
_FAST_TEXT = re.compile(r"[^\\{}$]+")
#: pylatexenc's specials (its latex2text table), longest first.
_FAST_SPECIALS = re.compile(r"---|--|``|''|!`|\?`|~|&")
_FAST_SPECIAL_TEXT = {
    "---": "\u2014", "--": "\u2013", "``": "\u201c", "''": "\u201d", "!`": "\u00a1",
    "?`": "\u00bf", "~": "\u00a0", "&": "   ",
}  # fmt: skip
_FAST_NAME = re.compile(r"[A-Za-z]+")
#: The white space a control word eats (a line break ends a paragraph: left to pylatexenc).
_FAST_SPACE = re.compile(r"[ \t]*")


def _spaces_end(value: str, pos: int) -> int:
    """Where the run of spaces and tabs from `pos` ends (`pos` when there is none)."""
    match = _FAST_SPACE.match(value, pos)
    return match.end() if match is not None else pos  # `*` always matches


#: Control symbols the fast reader may read (if pylatexenc reads them as text: `_symbol_text`);
#: `\\\\`, `\\(`, `\\[`, `\\@` and the like go to pylatexenc.
_FAST_SYMBOLS = frozenset(" &%$#_{}'\"^`~=.,;:!/-|")
#: Commands that take one letter and put an accent on it (pylatexenc's argument spec `{`).
_FAST_ACCENTS = frozenset("'\"^`~=.cvuHdbkr")
#: Math the fast reader leaves to pylatexenc: a comment, an escaped `$`, environments,
#: escaped braces and nested math delimiters.
_FAST_MATH_HARD = re.compile(r"[%\n]|\\[$(){}\[\]]|\\begin|\\end")
#: Filled once per command name; bounded (`_FAST_TABLE_MAX`) against odd inputs with many names.
_SYMBOL_TEXTS: dict[str, str | None] = {}
_ACCENT_TEXTS: dict[tuple[str, str], str | None] = {}
_MATH_OK: dict[str, bool] = {}
_FAST_TABLE_MAX = 4096
#: Deeper brace nesting goes to pylatexenc (the fast reader recurses once per level).
_FAST_MAX_DEPTH = 64


class _Fallback(Exception):
    """Raised inside the fast reader: the value needs pylatexenc."""


def _fast_whole(value: str) -> RichText | None:
    """`_parse_whole`'s rich text for a value in the common subset, or None (use pylatexenc)."""
    try:
        out, _ = _fast_list(value, 0, True, False, 0)
    except _Fallback:
        return None
    return concat(out)


def _fast_list(
    value: str, pos: int, top: bool, group: bool, depth: int
) -> tuple[list[Inline], int]:
    """Read nodes from `pos` to the end of the value (or past the `}` closing a group).

    Mirrors `_nodes`: `top` is whether brace groups are case-protected; a declaration
    (`\\em`) styles the rest of the list. `depth` is the brace nesting.
    """
    if depth > _FAST_MAX_DEPTH:
        raise _Fallback
    out: list[Inline] = []
    size = len(value)
    while pos < size:
        char = value[pos]
        if char == "\\":
            pos = _fast_command(value, pos, out, group, depth)
            if pos < 0:  # a declaration read the rest of the list
                return out, -pos - 1
        elif char == "{":
            inner, end = _fast_list(value, pos + 1, False, True, depth + 1)
            merged = concat(inner)
            if not top or value.startswith("\\", pos + 1):
                out.extend(merged)  # a special character, or a group inside a protected one
            elif all(type(n) is Math for n in merged):
                out.extend(merged)
            elif merged:
                out.append(NoCase(merged))
            pos = end
        elif char == "}":
            if not group:
                raise _Fallback
            return out, pos + 1
        elif char == "$":
            pos = _fast_math(value, pos, out)
        else:
            match = _FAST_TEXT.match(value, pos)
            run = match.group()  # type: ignore[union-attr]
            if "~" in run or "&" in run or "-" in run or "'" in run or "`" in run:
                run = _FAST_SPECIALS.sub(lambda m: _FAST_SPECIAL_TEXT[m.group()], run)
            out.append(Text(run))
            pos = match.end()  # type: ignore[union-attr]
    if group:
        raise _Fallback  # an unclosed group
    return out, pos


def _fast_math(value: str, pos: int, out: list[Inline]) -> int:
    """Inline math from the `$` at `pos`; returns the position after its closing `$`."""
    end = value.find("$", pos + 1)
    if end <= pos + 1:  # `$$` (display math) or no closing `$`
        raise _Fallback
    tex = value[pos + 1 : end]
    if _FAST_MATH_HARD.search(tex) or tex.endswith("\\") or not _balanced(tex):
        raise _Fallback
    if "\\" in tex:
        # A command whose arguments pylatexenc looks for past the closing `$` (`$\\not$`)
        # makes it read on: each formula with commands is checked once.
        ok = _MATH_OK.get(tex)
        if ok is None:
            ok = _parse_whole(f"${tex}$", fast=False) == (Math(tex),)
            if len(_MATH_OK) < _FAST_TABLE_MAX:
                _MATH_OK[tex] = ok
        if not ok:
            raise _Fallback
    out.append(Math(tex))
    return end + 1


def _balanced(tex: str) -> bool:
    depth = 0
    for char in tex:
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def _fast_command(value: str, pos: int, out: list[Inline], group: bool, depth: int) -> int:
    """Read the command at `pos` (a backslash) and what it takes; returns the next position.

    A declaration reads the rest of the list: it returns `-(position after it) - 1`.
    """
    size = len(value)
    if pos + 1 >= size:
        raise _Fallback
    match = _FAST_NAME.match(value, pos + 1)
    if match is not None:
        name = match.group()
        end = match.end()
        if end < size and (value[end] == "@" or value[end].isalpha()):
            raise _Fallback  # pylatexenc reads non-ASCII letters as part of the name
        after = _spaces_end(value, end)  # a control word eats the spaces after it
        if after < size and value[after] == "\n":
            raise _Fallback
    else:
        name = value[pos + 1]
        if name not in _FAST_SYMBOLS:
            raise _Fallback
        end = after = pos + 2
    style = _DECLARATION_STYLE.get(name)
    if style is not None:
        rest, stop = _fast_list(value, after, False, group, depth)
        out.append(Styled(style, concat(rest)))
        return -stop - 1
    style = _STYLE_OF.get(name)
    if style is not None:
        start = _spaces_end(value, end)
        if start >= size or value[start] != "{":
            raise _Fallback
        inner, stop = _fast_list(value, start + 1, False, True, depth + 1)
        out.append(Styled(style, concat(inner)))
        return stop
    if name in _FAST_ACCENTS:
        return _fast_accent(value, name, end, out)
    text = _SYMBOL_TEXTS[name] if name in _SYMBOL_TEXTS else _symbol_text(name)
    if text is None:
        raise _Fallback
    if text:
        out.append(Text(text))
    return after


def _fast_accent(value: str, name: str, pos: int, out: list[Inline]) -> int:
    """An accent command's letter from `pos` (after the command's name)."""
    size = len(value)
    pos = _spaces_end(value, pos)
    if pos >= size:
        raise _Fallback
    char = value[pos]
    if char == "{":
        close = value.find("}", pos + 1)
        base = value[pos + 1 : close] if close > 0 else ""
        if not (len(base) == 1 and base.isascii() and base.isalpha()) and base not in (
            "\\i",
            "\\j",
        ):
            raise _Fallback
        end = close + 1
    elif char.isascii() and char.isalpha():
        base, end = char, pos + 1
    elif value.startswith(("\\i", "\\j"), pos) and not (
        pos + 2 < size and value[pos + 2].isalpha()
    ):
        base = value[pos : pos + 2]
        end = _spaces_end(value, pos + 2)  # `\\i` eats the spaces after it
        if end < size and value[end] == "\n":
            raise _Fallback
    else:
        raise _Fallback
    key = (name, base)
    text = _ACCENT_TEXTS[key] if key in _ACCENT_TEXTS else _accent_text(name, base)
    if text is None:
        raise _Fallback
    out.append(Text(text))
    return end


def _single_text(rich: RichText) -> str | None:
    if not rich:
        return ""
    if len(rich) == 1 and type(rich[0]) is Text:
        return rich[0].text
    return None


def _symbol_text(name: str) -> str | None:
    """What pylatexenc reads a command without arguments as, or None when the fast reader
    must not read it: it takes arguments, is unknown (kept raw) or has its own rules here,
    or its text changes with what follows it."""
    text: str | None = None
    if (
        name not in _STYLE_OF
        and name not in _DECLARATION_STYLE
        and name not in _FAST_ACCENTS
        and name not in ("url", "nolinkurl", "href", "(", ")")
        and name not in _ARGUMENT_AS_TEXT
        and _known_name(name)
        and _no_arguments(name)
    ):
        text = _single_text(_parse_whole("\\" + name, fast=False))
        if text is not None:
            # A control word eats the spaces after it, a control symbol does not.
            follows = (" x", "{}x", " {}x", "{x}", "-x", "$x$", "1", *("x" * (not name.isalpha())))
            for follow in follows:
                expected = _parse_whole(f"\\{name}{follow}", fast=False)
                rest = _parse_whole(follow.lstrip(" ") if name.isalpha() else follow, fast=False)
                if expected != concat((Text(text), *rest)):
                    text = None
                    break
    if len(_SYMBOL_TEXTS) < _FAST_TABLE_MAX:
        _SYMBOL_TEXTS[name] = text
    return text


def _no_arguments(name: str) -> bool:
    spec = _latex_context().get_macro_spec(name)  # type: ignore[attr-defined]
    if spec is None:
        return True
    parser = getattr(spec, "args_parser", None)
    return getattr(parser, "argspec", None) == ""


def _accent_text(name: str, base: str) -> str | None:
    """What pylatexenc reads an accent on a letter (or `\\i`, `\\j`) as, or None when the
    forms the fast reader accepts do not all read the same."""
    text = _single_text(_parse_whole(f"\\{name}{{{base}}}", fast=False))
    if text:
        gap = " " if name.isalpha() else ""
        forms = [f"\\{name} {{{base}}}", f"\\{name}{gap}{base}", f"\\{name} {base}"]
        if base.startswith("\\"):
            forms.append(f"\\{name}{gap}{base}  ")
        for form in forms:
            if _single_text(_parse_whole(form, fast=False)) != text:
                text = None
                break
    else:
        text = None
    if len(_ACCENT_TEXTS) < _FAST_TABLE_MAX:
        _ACCENT_TEXTS[(name, base)] = text
    return text
