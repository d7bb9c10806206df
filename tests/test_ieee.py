"""IEEE references: citeproc-py with styles/ieee.csl and the fixes around it."""

from __future__ import annotations

import io

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


def test_question_mark_takes_the_place_of_the_comma() -> None:
    out, _ = text(article(title=(Text("Attention? Attention!"),)))
    assert "“Attention? Attention!” IEEE Trans. Inf. Theory" in out


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
    assert fix("“Why?”, J.") == "“Why?” J."
    assert fix("no quotes, here.") == "no quotes, here."
