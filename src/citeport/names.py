"""Personal names: parsing "Given [Middle] [particle] Family [Suffix]", corporate names, initials.

The aggregator writes each author as one string in reading order ("Quoc-Tung Le",
"Vincent van der Berg", "Sanne S. De Smet", "Martin Luther King Jr."). A name with a comma is
read the other way round ("Le, Quoc-Tung").

| name in reading order          | given        | non-dropping particle | family      |
|--------------------------------|--------------|-----------------------|-------------|
| "Vincent van der Berg"         | Vincent      | van der               | Berg        |
| "Jacobus H. van 't Hoff"       | Jacobus H.   | van 't                | Hoff        |
| "Sanne S. De Smet"             | Sanne S.     | De                    | Smet        |
| "Juan De la Cruz"              | Juan         | De la                 | Cruz        |
| "Micheál Mac Aodha"            | Micheál      |                       | Mac Aodha   |
| "Anh Van Nguyen"               | Anh Van      |                       | Nguyen      |
| "De Lin"                       | De           |                       | Lin         |

Lower-case particles (`PARTICLES`, BibTeX's "von" part) are particles wherever they follow the
first given word. A capitalised particle (`CAPITAL_PARTICLES`: Flemish "De", "Van", Italian "Di",
"Lo", "Della", French "Le", "Du", Iberian "Da", "Dos", "Del"...) is one only where such a
particle is unambiguous: directly before the last word, after at least one given word, and not
before a common Vietnamese, Chinese or Korean family name (`EAST_ASIAN_FAMILY_NAMES`), where
"Van", "Le", "De", "Da", "Du" are given or middle names ("Anh Van Nguyen", "Wei De Wang").
A capitalised word anywhere else ("De Lin", "John De Witt Smith") stays a given name. citation-js
reads capitalised particles the same way (its name parser keeps "De Smet" together); BibTeX,
pandoc and Zotero treat only lower-case words as particles and would give "Smet, Sanne S. De".
Irish "Mac", "Nic", "Ó", "Ní" directly before the last word are part of the family name.

`is_corporate` recognises an organisation written where a person is expected ("ATLAS
Collaboration", "Working Group on Reproducible Imaging"), for the reader to keep it whole as a
literal name. `mononym` gives a name with only a given part (or only a suffix) the family part
writers need ("Madonna").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from functools import lru_cache

from .model import Name

#: Particles in lower case (BibTeX's "von" part), with the Dutch "'t" and "'s" ("van 't Hoff").
PARTICLES = frozenset(
    """
    van von vom de der den del della dei degli di da das do dos du des la le lo ten ter zu zum
    zur af av d' l' dal dalla st. 't 's van't bin binti ibn
    """.split()
)
#: Particles also written capitalised in reading order ("Sanne De Smet", "Lorenzo Di Stefano").
CAPITAL_PARTICLES = frozenset(
    """
    De Di Da Del Della Dello Delle Dei Degli Dal Dalla Dall' Van Vanden Vander Von Vom Le La
    Lo Du Dos Das Des Den Der Ter Ten
    """.split()
)
#: Irish patronymic prefixes that belong to the family name ("Mac Aodha", "Ó Ríordáin").
FAMILY_PREFIXES = frozenset(("Mac", "Nic", "Ó", "Ní", "Mhic", "Uí"))
#: Common Vietnamese, Chinese and Korean family names (ASCII, lower case): before one of them a
#: capitalised "Van", "Le", "De"... is a given or middle name, not a particle.
EAST_ASIAN_FAMILY_NAMES = frozenset(
    """
    nguyen tran le pham hoang huynh phan vu vo dang bui do ho ngo duong ly truong dinh lam mai
    trinh dao cao luong ta ha
    wang li zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he lin luo gao zheng
    liang xie song tang han feng deng peng zeng xiao tian dong pan yuan cai jiang yu du ye cheng
    wei su lu ding ren shen yao jin fu zhong lee wong chan cheung leung lau ng chow tsai hsu
    kim park choi jung kang cho yoon jang lim shin
    """.split()
)
SUFFIXES = frozenset(("jr", "jr.", "sr", "sr.", "ii", "iii", "iv"))

#: Words that make a name an organisation's (compared in lower case, punctuation stripped).
CORPORATE_WORDS = frozenset(
    """
    consortium consortia collaboration collaborators society association institute institution
    university universität université universidad università laboratory laboratories lab labs
    group team committee council organization organisation agency foundation project initiative
    network networks centre center department ministry commission federation alliance academy
    corporation company inc ltd llc gmbh investigators programme program coalition union
    partnership registry hospital school college office bureau panel forum
    """.split()
)
#: Lower-case words no person's name holds ("Working Group on ...", "Society of ...").
_FUNCTION_WORDS = frozenset(("of", "for", "on", "the", "in", "at", "and", "&", "und", "für"))
_INITIAL = re.compile(r"^\w\.?$|^(?:\w\.){2,}$")
#: More significant words than this (particles and initials not counted): an organisation.
_MAX_PERSON_WORDS = 5


@lru_cache(maxsize=4096)
def parse_name(raw: str) -> Name | None:
    """Parse one personal name; None for an empty string.

    Cached: author names repeat a great deal across a library.
    """
    value = " ".join(raw.split())
    if not value:
        return None
    if "," in value:
        return _parse_inverted(value)
    tokens = value.split(" ")
    suffix = ""
    if len(tokens) > 1 and tokens[-1].lower() in SUFFIXES:
        suffix = tokens.pop()
        if tokens[-1].endswith(","):
            tokens[-1] = tokens[-1][:-1]
    if len(tokens) == 1:
        return Name(family=tokens[0], suffix=suffix)
    last = len(tokens) - 1
    # The particle run starts at the first lower-case particle after the first given token.
    start = next((i for i in range(1, last) if tokens[i] in PARTICLES), last)
    end = start
    while end < last and tokens[end] in PARTICLES:
        end += 1
    if start == last:
        start = _capital_particle_start(tokens)
        if start == last and tokens[last - 1] in FAMILY_PREFIXES and last > 1:
            start = end = last - 1  # "Mac Aodha": the prefix is part of the family name
    # A capitalised particle just before a lower-case run belongs to it ("Juan De la Cruz").
    while 1 < start < end and tokens[start - 1] in CAPITAL_PARTICLES:
        start -= 1
    return Name(
        given=" ".join(tokens[:start]),
        non_dropping_particle=" ".join(tokens[start:end]),
        family=" ".join(tokens[end:]),
        suffix=suffix,
    )


def _capital_particle_start(tokens: list[str]) -> int:
    """Where a run of capitalised particles directly before the last word starts (or the last)."""
    last = len(tokens) - 1
    family = tokens[last]
    if not family[:1].isupper() or _ascii_fold(family) in EAST_ASIAN_FAMILY_NAMES:
        return last
    start = last
    while start > 1 and tokens[start - 1] in CAPITAL_PARTICLES:
        start -= 1
    return start


def _ascii_fold(word: str) -> str:
    """The word in ASCII lower case, to look up in word lists: "Nguyễn" -> "nguyen"."""
    decomposed = unicodedata.normalize("NFD", word.replace("Đ", "D").replace("đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def _parse_inverted(value: str) -> Name:
    parts = [p.strip() for p in value.split(",")]
    family_part = parts[0]
    suffix = ""
    given = ""
    if len(parts) >= 3:
        suffix, given = parts[1], ", ".join(parts[2:])
    elif len(parts) == 2:
        if parts[1].lower() in SUFFIXES:
            suffix = parts[1]
        else:
            given = parts[1]
    words = family_part.split(" ")
    i = 0
    while i < len(words) - 1 and words[i] in PARTICLES:
        i += 1
    return Name(
        family=" ".join(words[i:]),
        given=given,
        non_dropping_particle=" ".join(words[:i]),
        suffix=suffix,
    )


@lru_cache(maxsize=4096)
def is_corporate(raw: str) -> bool:
    """Is this an organisation's name rather than a person's?

    True when a word names a kind of organisation (`CORPORATE_WORDS`: "Consortium",
    "Collaboration", "Society", "University", "Working Group"...), when a lower-case function
    word no personal name holds appears ("Centre for ...", "Friends of ..."; particles such as
    "de" do not count), when "and" or "&" joins words none of which is an initial
    ("Johnson & Johnson"), or when there are more than five words other than particles and
    initials (Iberian names reach five: "Maria Eduarda Santos Oliveira Lima").
    """
    words = raw.split()
    if len(words) < 2:
        return False
    significant = 0
    has_initial = False
    joined = False
    for position, word in enumerate(words):
        bare = word.strip(".,;:()[]\"'").lower()
        if bare in CORPORATE_WORDS:
            return True
        if word in _FUNCTION_WORDS:
            if word in ("and", "&") and 0 < position < len(words) - 1:
                joined = True
                continue
            return True
        if _INITIAL.match(word):
            has_initial = True
        elif word not in PARTICLES and word.lower() not in SUFFIXES:
            significant += 1
    if joined and not has_initial:
        return True
    return significant > _MAX_PERSON_WORDS


def mononym(name: Name) -> Name:
    """A name with only a given part (or only a suffix) as a family name: "Madonna".

    CSL, BibTeX and RIS read a one-word name as a family name, so writers write it as one:
    written as a given name it would be an empty family name and a comma (", Madonna") or an
    initial ("M."). Any other name is returned unchanged.
    """
    if name.family or name.literal or name.non_dropping_particle or name.dropping_particle:
        return name
    if name.given:
        return replace(name, family=name.given, given="")
    if name.suffix:
        return replace(name, family=name.suffix, suffix="")
    return name


_INITIAL_SPLIT = re.compile(r"([\s.\-‐]+)")


@lru_cache(maxsize=4096)
def initials(given: str) -> str:
    """IEEE initials of a given name: "Quoc-Tung" -> "Q.-T.", "Michael W." -> "M. W.".

    Hyphens are kept with the initial after them upper-cased ("Xiao-ming" -> "X.-M.").
    """
    out: list[str] = []
    for token in _INITIAL_SPLIT.split(given):
        if not token:
            continue
        if token.strip(" .") == "":
            continue
        if "-" in token or "‐" in token:
            out.append("-")
            continue
        out.append(("" if not out or out[-1] == "-" else " ") + token[0].upper() + ".")
    return "".join(out).strip()
