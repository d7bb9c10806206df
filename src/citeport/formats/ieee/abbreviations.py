"""Journal and conference-name abbreviations the IEEE way.

Which abbreviation a reference gets, first match wins:

1. `container_title_short`, when the record carries one (kept as given);
2. the user's table (`--abbreviations FILE`, JSON or CSV);
3. `periodicals.IEEE_PERIODICALS`, IEEE's own periodicals ("IEEE Trans. Inf. Forensics
   Security");
4. ISO 4 with pyiso4's LTWA, for any other name of two or more words ("Phys. Rev. Lett.";
   "Nature" stays).

Conference proceedings (`paper-conference` with a container title) lose a leading "In",
"Proc." or "Proceedings of (the)", are abbreviated by the same steps and then get "Proc." in
front, once ("Proceedings of the International Conference on Machine Learning" -> "Proc. Int.
Conf. Mach. Learn."; "In Proc. of ACL" -> "Proc. ACL"); IEEE writes `in Proc. Abbrev. Conf.
Name`. The LTWA already abbreviates the conference words the IEEE guide lists (Conference ->
Conf., International -> Int., Symposium -> Symp., Annual -> Annu.); `CONFERENCE_WORDS` puts
IEEE's spelling where the LTWA differs (National -> Nat., not Natl.; Automation -> Automat.).
Words that are abbreviations already ("Int.", "Conf.") are kept as they are. Not done: IEEE
keeps a comma after "Acoust." in ICASSP's name; ISO 4 drops commas, and so does this.

The user table maps full names to abbreviations: a JSON object `{"Full Name": "Abbrev."}` or a
CSV file of `full name,abbreviation` rows (a header row `full,abbreviation` is allowed).
Lookups ignore case, spacing, "&"/"and" and a leading "The". pyiso4's list is loaded on first
use, and each title is abbreviated once.
"""

from __future__ import annotations

import csv
import gc
import io
import re
from collections.abc import Mapping
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import orjson

from .periodicals import IEEE_PERIODICALS, table_key

#: IEEE spellings of conference words where the LTWA's differ (applied after ISO 4).
CONFERENCE_WORDS: Mapping[str, str] = {"Natl.": "Nat.", "Intl.": "Int.", "Autom.": "Automat."}
#: What a conference name may start with that "in Proc." says already.
_LEADING = re.compile(
    r"^(?:in\b\s*|(?:proc\.|proceedings\b|proceeding\b)(?:\s*of\b)?(?:\s*the\b)?\s*)[,:]?\s*",
    re.IGNORECASE,
)
#: A word that is an abbreviation already: "Int.", "Proc.", "U.S." (not a lone initial).
_ABBREVIATED = re.compile(r"[^\W\d_][^\s.]*\.(?:[^\W\d_]+\.)*")


@cache
def _abbreviator() -> Any:
    """pyiso4's abbreviator, built once per process.

    It holds the LTWA's 56,000 patterns in about 100,000 small objects. The cyclic garbage
    collector would scan them all while they are built and again at every full collection
    after that (in a 2,000-item IEEE run: 1.2 s of a 1.6 s run). None of them is garbage, so
    the collector is paused while they are built and they are then frozen out of its
    generations (`gc.freeze`): reference counting still frees them.
    """
    from pyiso4.ltwa import Abbreviate

    was_enabled = gc.isenabled()
    gc.disable()
    try:
        abbreviator = Abbreviate.create()
    finally:
        if was_enabled:
            gc.enable()
    gc.freeze()
    return abbreviator


def _iso4(title: str) -> str:
    return str(_abbreviator()(title, remove_part=True))


@lru_cache(maxsize=4096)
def abbreviate(title: str) -> str:
    """The ISO 4 abbreviation of a periodical title (the title itself when nothing applies).

    Words that are abbreviations already ("Int.", "Proc.") are kept as they are: pyiso4 would
    turn their period into a comma ("Int, Conf,"). pyiso4 0.1.6 raises IndexError on some
    words ("Control" in "Automatic Control"); such a word is shielded the same way and kept
    unabbreviated, as the LTWA keeps it.
    """
    title = " ".join(title.split())
    if not title or " " not in title:
        return title
    words = title.split(" ")
    kept = frozenset(i for i, word in enumerate(words) if _ABBREVIATED.fullmatch(word))
    short = _shielded(words, kept)
    if short is not None:
        return short or title
    for i in range(len(words)):  # pyiso4 on unusual input: shield the word that trips it
        if i not in kept:
            short = _shielded(words, kept | {i})
            if short is not None:
                return short or title
    return title


def _shielded(words: list[str], kept: frozenset[int]) -> str | None:
    """ISO 4 of `words` with the words at `kept` left as they are (None: pyiso4 failed)."""
    marks = {i: f"Qzxq{chr(97 + n // 26)}{chr(97 + n % 26)}" for n, i in enumerate(sorted(kept))}
    try:
        short = _iso4(" ".join(marks.get(i, word) for i, word in enumerate(words)))
    except Exception:
        return None
    for i, mark in marks.items():
        if short.count(mark) != 1:
            return None
        short = short.replace(mark, words[i])
    return short


def strip_proceedings(name: str) -> str:
    """A conference name without what IEEE's "in Proc." says already.

    "In Proceedings of the X", "Proc. of X", "Proceedings X" -> "X" (also repeated, as in
    "In Proc. Proceedings of X"); a name that is nothing else is kept as it is.
    """
    stripped = " ".join(name.split())
    while True:
        shorter = _LEADING.sub("", stripped, count=1)
        if shorter == stripped or not shorter:
            return stripped
        stripped = shorter


def proceedings(name: str) -> str:
    """A conference name as IEEE writes it after "in": "Proc." once, then the abbreviation."""
    name = " ".join(CONFERENCE_WORDS.get(w, w) for w in strip_proceedings(name).split())
    return f"Proc. {name}"


class TableError(Exception):
    """The user's abbreviation table cannot be read."""


def load_table(path: str | Path) -> dict[str, str]:
    """Read a user abbreviation table (JSON object or two-column CSV) into lookup form.

    Raises TableError when the file cannot be read or has the wrong shape.
    """
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise TableError(f"cannot read {path}: {exc.strerror or exc}") from exc
    text = raw.decode("utf-8-sig", errors="replace")
    table: dict[str, str] = {}
    if text.lstrip().startswith("{"):
        try:
            data = orjson.loads(raw.lstrip(b"\xef\xbb\xbf"))
        except orjson.JSONDecodeError as exc:
            raise TableError(f"{path} is not valid JSON: {exc}") from exc
        for full, short in data.items():
            if not isinstance(short, str):
                raise TableError(f"{path}: the abbreviation of {full!r} is not a string")
            table[table_key(full)] = short
        return table
    for number, row in enumerate(csv.reader(io.StringIO(text)), start=1):
        if not row or not any(cell.strip() for cell in row):
            continue
        if len(row) != 2:
            raise TableError(f"{path}:{number}: expected 2 columns (full name, abbreviation)")
        full, short = row[0].strip(), row[1].strip()
        if number == 1 and full.casefold() in ("full", "full name", "name", "title"):
            continue
        table[table_key(full)] = short
    return table


class Abbreviations:
    """Chooses the abbreviation of a container title (see the module docstring for the order).

    Args:
        user: the user's table in lookup form (from `load_table`), overriding the others.
    """

    __slots__ = ("_user",)

    def __init__(self, user: Mapping[str, str] | None = None) -> None:
        self._user = dict(user or {})

    def periodical(self, title: str) -> str:
        """The abbreviation of a journal, magazine or proceedings name."""
        key = table_key(title)
        if key in self._user:
            return self._user[key]
        if key in IEEE_PERIODICALS:
            return IEEE_PERIODICALS[key]
        return abbreviate(title)

    def conference(self, title: str) -> str:
        """The "Proc. …" form of a proceedings name; a user's entry is used as it is.

        A leading "In", "Proc." or "Proceedings of (the)" is taken off before the name is
        abbreviated ("In Proceedings of ACL" -> "Proc. ACL", not "Proc. In Proc. ACL").
        """
        name = strip_proceedings(title)
        for key in (table_key(title), table_key(name)):
            if key in self._user:
                return self._user[key]
        return proceedings(self.periodical(name))
