"""IEEE references: citeproc-py with styles/ieee.csl and the fixes around it."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from citeport import Date, DiagnosticLog, Name, Reference, Styled, Text, WriteOptions
from citeport.formats import ieee
from citeport.formats.ieee import render


def article(**fields: object) -> Reference:
    base: dict[str, object] = {
        "id": "a",
        "type": "article-journal",
        "title": (Text("A study"),),
        "author": (Name(given="Ada", family="Lovelace"),),
        "container_title": (Text("IEEE Transactions on Information Theory"),),
        "volume": "70",
        "issue": "6",
        "page": "100-110",
        "issued": Date(parts=((2024, 6),)),
    }
    base.update(fields)
    return Reference(**base)  # type: ignore[arg-type]


def text(*refs: Reference, options: WriteOptions | None = None) -> tuple[str, list[str]]:
    out = io.StringIO()
    log = DiagnosticLog()
    ieee.write_text(refs, out, log, options or WriteOptions())
    return out.getvalue(), [str(d) for d in log]


def html(*refs: Reference) -> str:
    out = io.StringIO()
    ieee.write_html(refs, out, DiagnosticLog(), WriteOptions())
    return out.getvalue()


def test_journal_article() -> None:
    assert text(article())[0] == (
        "[1] A. Lovelace, “A study,” IEEE Trans. Inf. Theory, vol. 70, no. 6, pp. 100–110, Jun. 2024.\n"
    )


def test_full_journal_names() -> None:
    out, _ = text(article(), options=WriteOptions(full_journal_names=True))
    assert out == (
        "[1] A. Lovelace, “A study,” IEEE Transactions on Information Theory, vol. 70, no. 6, "
        "pp. 100–110, Jun. 2024.\n"
    )


def test_a_given_short_title_wins_over_iso4() -> None:
    out, _ = text(article(container_title_short="IEEE TIT"))
    assert "IEEE TIT, vol. 70" in out


def test_one_word_journal_is_not_abbreviated() -> None:
    out, _ = text(article(container_title=(Text("Nature"),)))
    assert "“A study,” Nature, vol. 70" in out


def test_et_al_after_six_authors() -> None:
    seven = tuple(
        Name(given=g, family=f)
        for g, f in zip(
            "ABCDEFG", ["One", "Two", "Three", "Four", "Five", "Six", "Seven"], strict=True
        )
    )
    assert text(article(author=seven))[0].startswith("[1] A. One et al., “A study,”")
    six = seven[:6]
    assert text(article(author=six))[0].startswith(
        "[1] A. One, B. Two, C. Three, D. Four, E. Five, and F. Six, “A study,”"
    )


def test_hyphenated_and_lower_case_given_names() -> None:
    people = (Name(given="Xiao-ming", family="Wang"), Name(given="Jean-Pierre", family="Serre"))
    assert text(article(author=people))[0].startswith("[1] X.-M. Wang and J.-P. Serre, ")


def test_question_mark_keeps_the_comma_inside_the_quotes() -> None:
    out, _ = text(article(title=(Text("Attention? Attention!"),)))
    assert "“Attention? Attention!,” IEEE Trans. Inf. Theory" in out


def test_apostrophes_and_inner_quotes_become_typographic() -> None:
    out, _ = text(article(title=(Text('The earth\'s "blue" sky'),)))
    assert "“The earth’s ‘blue’ sky,”" in out


def test_markup_is_flattened_in_text_and_kept_in_html() -> None:
    ref = article(title=(Text("Life of "), Styled("italic", (Text("E. coli"),))))
    assert "“Life of E. coli,”" in text(ref)[0]
    assert "“Life of <i>E. coli</i>,” <i>IEEE Trans. Inf. Theory</i>" in html(ref)


def test_html_escapes_every_data_character() -> None:
    ref = article(
        title=(Text("<script>alert(1)</script> & <b>"),),
        author=(Name(given="A&B", family="<Corp>"),),
    )
    out = html(ref)
    assert "<script>" not in out and "<b>" not in out
    assert "A. &lt;Corp&gt;, “&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;,”" in out


def test_html_layout() -> None:
    assert html(article()) == (
        '<div class="csl-bib-body">\n'
        '  <div class="csl-entry"><div class="csl-left-margin">[1]</div>'
        '<div class="csl-right-inline">A. Lovelace, “A study,” <i>IEEE Trans. Inf. Theory</i>, '
        "vol. 70, no. 6, pp. 100–110, Jun. 2024.</div></div>\n"
        "</div>\n"
    )


def test_ids_that_differ_only_by_case_stay_apart() -> None:
    out, _ = text(
        article(id="Smith", title=(Text("First"),)), article(id="smith", title=(Text("Second"),))
    )
    assert [line[:16] for line in out.splitlines()] == ["[1] A. Lovelace,", "[2] A. Lovelace,"]
    assert "“First,”" in out and "“Second,”" in out


def test_one_failing_reference_is_one_error_and_the_rest_render(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The fake crash is keyed on one title; the fast path would reuse the other reference's
    # template for it and never call citeproc-py, so this test of isolation uses the CSL path.
    monkeypatch.setenv("CITEPORT_IEEE_FAST", "0")
    real = render.CitationStylesBibliography

    def flaky(style, source, fmt):  # type: ignore[no-untyped-def]
        if str(source["item"].title) == "Bad":
            raise TypeError("'NoneType' object is not callable")
        return real(style, source, fmt)

    monkeypatch.setattr(render, "CitationStylesBibliography", flaky)
    bad = article(id="bad", title=(Text("Bad"),))
    out, notes = text(article(title=(Text("One"),)), bad, article(title=(Text("Three"),)))
    assert [line[:3] for line in out.splitlines()] == ["[1]", "[2]"]
    assert "“Three,”" in out.splitlines()[1]
    assert notes == [
        "<input>: error[IEEE001] citeproc-py failed (TypeError: 'NoneType' object is not callable); "
        "reference left out"
    ]


def test_fix_punctuation_in_quote() -> None:
    fix = render.fix_punctuation_in_quote
    assert fix("“Title”, J.") == "“Title,” J."
    assert fix("“Title”.") == "“Title.”"
    assert fix("“Why?”, J.") == "“Why?,” J."
    assert fix("“Why?”.") == "“Why?”"
    assert fix("no quotes, here.") == "no quotes, here."


def test_punctuation_in_quote_as_one_left_to_right_pass() -> None:
    """The rule, written as plainly as it reads, agrees with the fix on every string of up
    to six of the characters involved (and a letter)."""
    import itertools
    import re

    def plain_rule(entry: str) -> str:
        def move(match: re.Match[str]) -> str:
            mark, punct = match.groups()
            return f"{mark}\u201d" if mark and punct == "." else f"{mark}{punct}\u201d"

        return re.sub(r"([?!]?)\u201d([,.])", move, entry)

    for size in range(1, 7):
        for chars in itertools.product("?!\u201d.,a", repeat=size):
            entry = "".join(chars)
            assert render.fix_punctuation_in_quote(entry) == plain_rule(entry), entry


# --- abbreviations, options, other styles ---------------------------------------------------


def test_ieee_table_wins_over_iso4() -> None:
    from citeport.formats.ieee.abbreviations import Abbreviations, abbreviate

    table = Abbreviations()
    # IEEE keeps "Wireless" and the commas; ISO 4 (LTWA) would write "Wirel." and drop them
    assert table.periodical("IEEE Transactions on Wireless Communications") == (
        "IEEE Trans. Wireless Commun."
    )
    assert abbreviate("IEEE Transactions on Wireless Communications") == (
        "IEEE Trans. Wirel. Commun."
    )
    assert table.periodical("IEEE Transactions on Systems, Man, and Cybernetics") == (
        "IEEE Trans. Syst., Man, Cybern."
    )
    assert table.periodical("the proceedings of the ieee") == "Proc. IEEE"


def test_iso4_survives_the_pyiso4_control_bug() -> None:
    from citeport.formats.ieee.abbreviations import abbreviate

    # pyiso4 0.1.6 raises IndexError on "Control" at the end of a title
    assert abbreviate("Journal of Automatic Control") == "J. Autom. Control"


def test_building_the_ltwa_leaves_the_garbage_collector_as_it_was() -> None:
    import gc

    from citeport.formats.ieee import abbreviations

    for enabled in (True, False):
        abbreviations._abbreviator.cache_clear()
        (gc.enable if enabled else gc.disable)()
        try:
            assert abbreviations._iso4("Journal of Applied Physics") == "J. Appl. Phys."
            assert gc.isenabled() is enabled
        finally:
            gc.enable()


def test_conference_names_get_proc() -> None:
    from citeport.formats.ieee.abbreviations import Abbreviations

    table = Abbreviations()
    assert table.conference("International Conference on Machine Learning") == (
        "Proc. Int. Conf. Mach. Learn."
    )
    assert table.conference(
        "Proceedings of the National Conference on Artificial Intelligence"
    ) == ("Proc. Nat. Conf. Artif. Intell.")


#: Real conference names as a BibTeX `booktitle` gives them -> what IEEE prints after "in"
#: (the IEEE Reference Guide's word list: Proc., Int., Conf., Symp., Annu., Nat., Automat.,
#: Inf., Process., Comput., Syst.; ISO 4 (LTWA) for words the list does not have).
_CONFERENCES = {
    "IEEE International Conference on Acoustics, Speech and Signal Processing (ICASSP)": (
        "Proc. IEEE Int. Conf. Acoust. Speech Signal Process. (ICASSP)"
    ),
    "Proceedings of the IEEE/CVF Conference on Computer Vision and Pattern Recognition (CVPR)": (
        "Proc. IEEE/CVF Conf. Comput. Vis. Pattern Recognit. (CVPR)"
    ),
    "Advances in Neural Information Processing Systems": "Proc. Adv. Neural Inf. Process. Syst.",
    "Proceedings of the 2023 CHI Conference on Human Factors in Computing Systems": (
        "Proc. 2023 CHI Conf. Hum. Factors Comput. Syst."
    ),
    "Proceedings of the 2023 Conference on Empirical Methods in Natural Language Processing": (
        "Proc. 2023 Conf. Empir. Methods Nat. Lang. Process."
    ),
    "In Proceedings of ACL": "Proc. ACL",
    "Proc. of the 40th International Conference on Machine Learning": (
        "Proc. 40th Int. Conf. Mach. Learn."
    ),
    "IEEE International Conference on Robotics and Automation (ICRA)": (
        "Proc. IEEE Int. Conf. Robot. Automat. (ICRA)"
    ),
    "Proceedings of the AAAI Conference on Artificial Intelligence": (
        "Proc. AAAI Conf. Artif. Intell."
    ),
    "Proceedings of the 16th International Conference on Numerical Simulation of "
    "Optoelectronic Devices (NUSOD)": "Proc. 16th Int. Conf. Numer. Simul. Optoelectron. Devices "
    "(NUSOD)",
    "Proc. IEEE Int. Symp. on Information Theory": "Proc. IEEE Int. Symp. Inf. Theory",
}


def test_real_conference_names_get_proc_once() -> None:
    from citeport.formats.ieee.abbreviations import Abbreviations

    table = Abbreviations()
    assert {name: table.conference(name) for name in _CONFERENCES} == _CONFERENCES
    # the reviewer's two: "in Proc. Proc, X." and "Proc. In Proc. ACL" before
    assert table.conference("Proc. of X") == "Proc. X"
    assert table.conference("In Proceedings of ACL") == "Proc. ACL"


def test_words_abbreviated_already_are_kept() -> None:
    from citeport.formats.ieee.abbreviations import Abbreviations, abbreviate

    # pyiso4 turns the period of an abbreviation into a comma ("Phys, Rev, Lett.,")
    assert abbreviate("Phys. Rev. Lett.") == "Phys. Rev. Lett."
    assert abbreviate("IEEE Int. Conf. on Robotics") == "IEEE Int. Conf. Robot."
    assert Abbreviations({"acl": "Proc. ACL 2023"}).conference("In Proc. of ACL") == (
        "Proc. ACL 2023"
    )


def test_user_table_json_and_csv_override_both(tmp_path: pytest.TempPathFactory) -> None:
    from dataclasses import dataclass

    from citeport.formats.ieee.abbreviations import load_table

    json_table = tmp_path / "abbrev.json"  # type: ignore[operator]
    json_table.write_text('{"IEEE Transactions on Information Theory": "TIT"}', encoding="utf-8")
    csv_table = tmp_path / "abbrev.csv"  # type: ignore[operator]
    csv_table.write_text("full,abbreviation\nIEEE Transactions on Information Theory,T-IT\n")
    assert load_table(csv_table) == {"ieee transactions on information theory": "T-IT"}

    @dataclass(frozen=True)
    class Options(WriteOptions):  # the lead adds `abbreviations` to WriteOptions
        abbreviations: str = ""

    out, notes = text(article(), options=Options(abbreviations=str(json_table)))
    assert "“A study,” TIT, vol. 70" in out and notes == []
    out, notes = text(article(), options=Options(abbreviations=str(tmp_path / "none.json")))  # type: ignore[operator]
    assert "IEEE Trans. Inf. Theory" in out
    assert len(notes) == 1 and "warning[IEEE003] cannot read" in notes[0]


MINI_STYLE = (
    '<style xmlns="http://purl.org/net/xbiblio/csl" class="in-text" version="1.0">'
    "<info><title>Mini</title><id>mini</id>{category}"
    "<updated>2024-01-01T00:00:00+00:00</updated></info>"
    '<citation><layout><text variable="title"/></layout></citation>'
    '<bibliography><layout><names variable="author"><name/></names>'
    '<text variable="title" prefix=". "/></layout></bibliography></style>'
)


@pytest.mark.parametrize(
    ("category", "expected"),
    [
        ("", "[1] Xiao-Ming Wang. A study\n"),  # a style that does not say: numbered
        ('<category citation-format="numeric"/>', "[1] Xiao-Ming Wang. A study\n"),
        ('<category citation-format="author-date"/>', "Xiao-Ming Wang. A study\n"),
        ('<category citation-format="note"/>', "Xiao-Ming Wang. A study\n"),
    ],
)
def test_other_style_through_the_same_path(tmp_path: Path, category: str, expected: str) -> None:
    style = tmp_path / "mini.csl"
    style.write_text(MINI_STYLE.format(category=category), encoding="utf-8")
    people = (Name(given="Xiao-ming", family="Wang"),)
    out, notes = text(article(author=people), options=WriteOptions(style=str(style)))
    assert out == expected and notes == []
    html = io.StringIO()
    log = DiagnosticLog()
    ieee.write_html([article(author=people)], html, log, WriteOptions(style=str(style)))
    label = '<div class="csl-left-margin">[1]</div><div class="csl-right-inline">'
    body = "Xiao-Ming Wang. A study"
    entry = f"{label}{body}</div>" if expected.startswith("[1]") else body
    assert html.getvalue() == (
        f'<div class="csl-bib-body">\n  <div class="csl-entry">{entry}</div>\n</div>\n'
    )


def test_a_missing_style_is_one_error(tmp_path: Path) -> None:
    out, notes = text(article(), options=WriteOptions(style=str(tmp_path / "missing.csl")))
    assert out == "" and len(notes) == 1 and "error[IEEE004]" in notes[0]


def test_date_ranges_the_ieee_way() -> None:
    conf = article(type="paper-conference", container_title=(Text("Workshop on Codes"),))
    days = conf.__class__(**{**_fields(conf), "issued": Date(parts=((2023, 6, 18), (2023, 6, 22)))})
    assert "Jun. 2023" in text(days)[0]
    talk = article(
        type="speech", container_title=(), issued=Date(parts=((2023, 6, 18), (2023, 6, 22)))
    )
    assert text(talk)[0].endswith("Jun. 18–22, 2023.\n")
    talk2 = article(
        type="speech", container_title=(), issued=Date(parts=((2023, 6, 28), (2023, 7, 2)))
    )
    assert text(talk2)[0].endswith("Jun. 28–Jul. 2, 2023.\n")
    years = article(type="book", container_title=(), issued=Date(parts=((2021,), (2022,))))
    assert "A study, vol. 70. 2021–2022, pp. 100–110." in text(years)[0]


def _fields(ref: Reference) -> dict[str, object]:
    from dataclasses import fields

    return {f.name: getattr(ref, f.name) for f in fields(ref)}


def test_edition_and_pages_normalised() -> None:
    from citeport.formats.ieee.render import expand_pages, normalise_edition

    assert [normalise_edition(e) for e in ("2nd", "2nd ed.", "Second edition", "Rev. ed.")] == [
        "2", "2", "2", "Rev. ed."
    ]  # fmt: skip
    assert expand_pages("1234-40") == "1234-1240" and expand_pages("C3") == "C3"


def test_double_period_after_a_title_ending_with_one() -> None:
    fix = render.fix_double_period
    assert fix("<i>Inc.</i>.", ("</i>",)) == "<i>Inc.</i>"
    assert fix("Title..") == "Title." and fix("Wait....") == "Wait...."


def test_variables_citeproc_py_does_not_know_are_not_handed_to_it() -> None:
    ref = article(extra={"csl": {"director": [{"family": "Kubrick", "given": "Stanley"}]}})
    out, notes = text(ref)
    assert out.startswith("[1] A. Lovelace, “A study,”")
    assert notes == []


def test_memoised_lookups_render_exactly_what_citeproc_py_renders(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Every reference goes through citeproc-py (the fast path is off: its templates, made
    once, would hide the second render), in each target, with and without `speedups`."""
    import json

    from citeport.formats.ieee import speedups

    from .conftest import CASES

    items = json.loads((CASES / "ieee" / "references.json").read_text(encoding="utf-8"))
    assert len(items) >= 100
    from citeport.formats.csljson import read as read_csl

    refs = list(read_csl(io.BytesIO(json.dumps(items).encode()), "refs.json", DiagnosticLog()))
    monkeypatch.setenv("CITEPORT_IEEE_FAST", "0")
    writers = (ieee.write_text, ieee.write_html, ieee.write_latex, ieee.write_markdown)

    def write_all() -> list[str]:
        outs = []
        for write in writers:
            out = io.StringIO()
            write(refs, out, DiagnosticLog(), WriteOptions())
            outs.append(out.getvalue())
        return outs

    memoised = write_all()
    speedups.uninstall()
    try:
        plain = write_all()
    finally:
        speedups.install()
    assert memoised == plain
    assert memoised[0].count("\n") == len(refs)
