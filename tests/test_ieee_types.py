"""IEEE references of every kind of source, in all four targets, against hand-checked strings.

tests/cases/ieee/references.json holds 107 references (CSL-JSON, our own data): journal
articles (pages, article numbers, early access, two-month issues, seven authors), magazine and
newspaper articles, published and unpublished conference papers, books, edited and translated
books, chapters, theses, reports, standards, patents, web pages, datasets, software, preprints
and lectures. tests/cases/ieee/expected.json holds, for each, the entry citeport writes in text,
HTML, LaTeX and Markdown (each rendered alone, so numbered [1]). Each text entry was checked
by hand against the rule of the IEEE Reference Guide (11.29.2023) named in `GUIDE` for its kind;
the other three targets were checked for their markup (italics, escaping, typography).
Regenerate with CITEPORT_REGEN=1 and read the diff.
"""

from __future__ import annotations

import io
import json
from html.parser import HTMLParser
from typing import Any

import pytest

from citeport import Date, DiagnosticLog, Name, Reference, WriteOptions
from citeport.formats import ieee
from citeport.markup import csl

from .conftest import CASES, REGEN

HERE = CASES / "ieee"
EXPECTED_FILE = HERE / "expected.json"

#: Kind of source (id prefix) -> the IEEE Reference Guide (11.29.2023) rule it follows.
GUIDE = {
    "journal": "Periodicals: J. K. Author, “Title,” Abbrev. Title of Periodical, vol., no., "
    "pp. or Art. no., Abbrev. Month Year, doi. (status, e.g. Early access, after the date)",
    "magazine": "Periodicals (magazines): as journal articles",
    "newspaper": "Periodicals (newspapers): “Title,” Newspaper, p., Month Day, Year",
    "conference": "Conference Proceedings: “Title,” in Proc. Abbrev. Name of Conf., City, "
    "Country, Month Year, pp. xxx–xxx. doi: xxx.",
    "presented": "Conference Proceedings (unpublished): “Title,” presented at the Conf., City",
    "book": "Books: Author, Title of Book, xth ed. City, Country: Publisher, Year.",
    "edited": "Books (edited): A. Editor, Ed., Title of Book. City, Country: Publisher, Year.",
    "chapter": "Books (chapter): “Chapter,” in Title of Book, xth ed., A. Editor, Ed. City, "
    "Country: Publisher, Year, ch. x, pp.",
    "thesis": "Theses and Dissertations: “Title,” Ph.D. dissertation/M.S. thesis, Dept., Univ., "
    "City, Country, Year.",
    "report": "Reports: “Title,” Company, City, Country, Tech. Rep. no., Month Year.",
    "corporate": "Corporate authors: the organisation as author",
    "translated": "Books (translated): Title. City: Publisher, Year (translators not named)",
    "standard": "Standards: Title of Standard, Standard number, Year.",
    "patent": "Patents: “Title,” Country Patent x xxx xxx, Abbrev. Month Day, Year.",
    "webpage": "Online Sources (websites): “Title,” Site. Accessed: Month Day, Year. "
    "[Online]. Available: URL (no period after the URL)",
    "dataset": "Datasets: Author, “Title.” Publisher, Year. Accessed/[Online]/URL or doi",
    "software": "Software: Author, Title. (Year). Publisher. [Online]. Available: URL or doi",
    "preprint": "Online Sources (preprints): “Title,” Abbrev. Month Year, arXiv:xxxx.xxxxx.",
    "speech": "Lectures and presentations: “Title,” Dept., Univ., Month Day, Year / "
    "presented at the Event, City, Month Day, Year",
}

WRITERS = {
    "text": ieee.write_text,
    "html": ieee.write_html,
    "latex": ieee.write_latex,
    "md": ieee.write_markdown,
}


def _name(d: dict[str, str]) -> Name:
    return Name(
        family=d.get("family", ""),
        given=d.get("given", ""),
        literal=d.get("literal", ""),
        suffix=d.get("suffix", ""),
        non_dropping_particle=d.get("non-dropping-particle", ""),
        dropping_particle=d.get("dropping-particle", ""),
    )


def from_csl(item: dict[str, Any]) -> Reference:
    """A Reference from one CSL-JSON item of the fixture (the subset the fixture uses)."""
    fields: dict[str, Any] = {}
    for key, value in item.items():
        field = {"DOI": "doi", "URL": "url"}.get(key, key.replace("-", "_"))
        if key in ("author", "editor", "translator"):
            value = tuple(_name(n) for n in value)
        elif key in ("issued", "accessed", "event-date"):
            value = Date(parts=tuple(tuple(p) for p in value.get("date-parts", ())))
        elif key in ("title", "container-title"):
            value = csl.parse(value)
        fields[field] = value
    return Reference(**fields)


def load_references() -> list[Reference]:
    """The references of tests/cases/ieee/references.json, in order."""
    items = json.loads((HERE / "references.json").read_text(encoding="utf-8"))
    return [from_csl(item) for item in items]


def render(ref: Reference, target: str, options: WriteOptions | None = None) -> str:
    out = io.StringIO()
    log = DiagnosticLog()
    WRITERS[target]([ref], out, log, options or WriteOptions())
    assert [str(d) for d in log] == []
    return out.getvalue()


REFS = {ref.id: ref for ref in load_references()}
EXPECTED: dict[str, dict[str, str]] = (
    {} if REGEN else json.loads(EXPECTED_FILE.read_text(encoding="utf-8"))
)


def test_at_least_five_of_each_kind() -> None:
    kinds: dict[str, int] = {}
    for ref_id in REFS:
        kind = ref_id.rsplit("-", 1)[0]
        kinds[kind] = kinds.get(kind, 0) + 1
    assert set(kinds) == set(GUIDE)
    small = {k for k, n in kinds.items() if n < 5 and k not in ("corporate", "translated")}
    assert small == set()


@pytest.mark.parametrize("ref_id", list(REFS))
@pytest.mark.parametrize("target", list(WRITERS))
def test_entry(ref_id: str, target: str) -> None:
    actual = render(REFS[ref_id], target)
    if REGEN:
        EXPECTED.setdefault(ref_id, {})[target] = actual
        EXPECTED_FILE.write_text(
            json.dumps(EXPECTED, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        return
    assert actual == EXPECTED[ref_id][target], GUIDE[ref_id.rsplit("-", 1)[0]]


def test_text_entries_spot_checks() -> None:
    """A few entries written out here in full, so the rules are readable in the test."""
    assert render(REFS["journal-04"], "text") == (
        "[1] A. Lovelace, L. van Beethoven, M. L. King Jr., and Q.-T. Le, “Low-power VLSI "
        "design: A survey,” IEEE Trans. Pattern Anal. Mach. Intell., vol. 13, no. 4, "
        "Art. no. 061103, Apr. 2013.\n"
    )
    assert render(REFS["conference-02"], "text") == (
        "[1] G. E. Hinton and A. Y. Ng, “Attention is all you need, again,” in Proc. Int. Conf. "
        "Mach. Learn., Vienna, Austria, Jul. 2017, pp. 771–779.\n"
    )
    assert render(REFS["journal-12"], "text").endswith(", p. C3, Jul.–Aug. 2018.\n")
    assert render(REFS["webpage-06"], "text").endswith(
        "Available: https://example.org/search?q=a&b=c_d\n"
    )
    assert render(REFS["webpage-06"], "latex").endswith(
        "Available: https://example.org/search?q=a\\&b=c\\_d\n\\end{thebibliography}\n"
    )
    assert render(REFS["journal-06"], "md") == (
        "\\[1\\] C. E. Shannon *et al.*, “Graph neural networks for *in situ* monitoring,” "
        "*J. Am. Chem. Soc.*, vol. 15, no. 6, pp. 135–157, Jun. 2015.\n"
    )


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: set[str] = set()
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_parses_and_escapes_every_data_character() -> None:
    out = io.StringIO()
    ieee.write_html(list(REFS.values()), out, DiagnosticLog(), WriteOptions())
    parser = _Collector()
    parser.feed(out.getvalue())
    parser.close()
    assert parser.tags == {"div", "i", "sub"}
    text = "".join(parser.text)
    assert "AT&T Labs" in text and "q=a&b=c_d" in text and "Channel estimation & detection" in text
    assert "&" not in out.getvalue().replace("&amp;", "")


def test_latex_keys_match_bibtex_keys_and_skip_nothing() -> None:
    out = io.StringIO()
    count = ieee.write_latex(list(REFS.values()), out, DiagnosticLog(), WriteOptions())
    text = out.getvalue()
    assert count == len(REFS)
    assert text.startswith("\\begin{thebibliography}{999}\n\\bibitem{shannon1948mathematical}\n")
    assert text.count("\\bibitem{") == len(REFS)
    assert "\\bibitem{queryfilter}\n``Query \\& filter docs,''" in text


def test_latex_unicode_keeps_utf8() -> None:
    out = render(REFS["book-07"], "latex", WriteOptions(unicode=True))
    assert (
        "J.-P. Serre, \\textit{Théorie des nombres}, T. Berners-Lee, Trans. Paris, France: Hermann, 1970."
        in out
    )
    assert "\\textit{Th{\\'e}orie des nombres}" in render(REFS["book-07"], "latex")
