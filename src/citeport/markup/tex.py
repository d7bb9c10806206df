"""Repairs of TeX math source that lost its backslashes upstream.

Some aggregators strip every backslash from `<tex-math>`, so `${\\mathit{\\ell}}^{1}$` arrives as
`${mathit{ell}}^{1}$`. When a formula holds no backslash at all, a letter run that is exactly a
well-known TeX command name of three or more letters is given its backslash back. Shorter names
(`in`, `le`, `to`, `pm`) are left alone: in math they are as likely to be products of variables.
"""

from __future__ import annotations

import re

# Names of three letters or more: restoring them is unambiguous enough in backslash-free math.
_COMMANDS = frozenset(
    """
    alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda
    mu nu xi omicron rho varrho sigma varsigma tau upsilon phi varphi chi psi omega
    Gamma Delta Theta Lambda Xi Sigma Upsilon Phi Psi Omega ell hbar nabla partial infty
    emptyset varnothing mathit mathbf mathrm mathcal mathbb mathsf mathtt mathfrak
    boldsymbol operatorname text textbf textit textrm frac dfrac tfrac sqrt sum prod int
    oint iint lim limsup liminf log exp sin cos tan sinh cosh tanh arg det dim max min
    sup inf leq geq neq approx equiv sim simeq propto notin subset subseteq supset
    supseteq cup cap times cdot cdots ldots dots odot oplus otimes circ bullet star ast
    forall exists neg land lor rightarrow leftarrow Rightarrow Leftarrow leftrightarrow
    mapsto left right langle rangle lVert rVert Vert vert mid hat tilde bar vec dot ddot
    overline underline widehat widetilde mathop top perp parallel prime
    """.split()
)
_LETTER_RUN = re.compile(r"[A-Za-z]+")


def restore_backslashes(tex: str) -> tuple[str, tuple[str, ...]]:
    """Give known command names back their backslash in backslash-free TeX.

    Returns the repaired TeX and the command names restored (empty when nothing changed).
    """
    if "\\" in tex:
        return tex, ()
    restored: list[str] = []

    def fix(match: re.Match[str]) -> str:
        word = match.group(0)
        if len(word) >= 3 and word in _COMMANDS:
            restored.append(word)
            return "\\" + word
        return word

    repaired = _LETTER_RUN.sub(fix, tex)
    return repaired, tuple(restored)


# Commands that read or write files, define macros or change how TeX reads its input: data
# never needs them, and in a .bib or a thebibliography they would run on the author's machine.
_FORBIDDEN = frozenset(
    """
    input include InputIfFileExists write immediate openout openin read readline closeout
    closein csname endcsname def edef gdef xdef let futurelet catcode uccode lccode
    usepackage RequirePackage documentclass newcommand renewcommand providecommand
    DeclareRobustCommand newenvironment renewenvironment special jobname endinput
    makeatletter makeatother output shipout everypar everymath afterassignment aftergroup
    expandafter noexpand loop directlua luaexec write18 ShellEscape url href
    """.split()
)
_COMMAND = re.compile(r"\\([A-Za-z@]+)")


def unsafe(tex: str) -> str | None:
    """Why this TeX may not be written raw into LaTeX output, or None when it may.

    Math is written as its source between `$`: it must keep its braces balanced, hold no `$`,
    unescaped `%` or `#` (a comment or a macro parameter would break the document), and call
    none of the commands that reach outside the formula (`_FORBIDDEN`).
    """
    depth = 0
    escaped = False
    for char in tex:
        if escaped:
            escaped = False
            continue
        if char == "\\":
            escaped = True
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth < 0:
                return "unbalanced braces"
        elif char in "$%#":
            return f"an unescaped {char!r}"
    if depth:
        return "unbalanced braces"
    for name in _COMMAND.findall(tex):
        if name in _FORBIDDEN:
            return f"the command \\{name}"
    return None
