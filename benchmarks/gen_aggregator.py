#!/usr/bin/env python3
"""Deterministic generator of synthetic scholarly-aggregator JSON lines.

Usage::

    python benchmarks/gen_aggregator.py N -o FILE [--seed 42] [--stray-rate 0.001]

Writes N JSON records (one object per line, UTF-8, compact separators, raw
non-ASCII like the real export) plus about ``--stray-rate`` * N stray non-JSON
lines (author-list fragments, truncated records, scraper noise).  Standard
library only, no network; the same N / seed / stray rate always gives the same
bytes, and a smaller N with the same seed is a prefix of a larger one.

The field layout follows the aggregator export that citeport reads (title,
authors "Given Family;Given Family", doi, DOIUrl, url, abstract with inline
JATS/HTML, PeriodicalId, journal {name, volume "V I", pages}, ... Total).  All
names, titles and journals below are invented word lists, not real records.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TextIO

# --------------------------------------------------------------------------
# Word lists (hand-written; mixtures of scripts / diacritics on purpose)
# --------------------------------------------------------------------------

# (given names, family names) per naming tradition.  Some given names are
# hyphenated, some family names carry particles (van der, de, von, da) or
# diacritics only found outside Latin-1; an author draws both parts from one
# tradition.
# fmt: off
NAME_POOLS: dict[str, tuple[list[str], list[str]]] = {
    "french": (
        [
            "Amélie", "Benoît", "Clément", "Élodie", "Hélène", "Jérôme", "Léa", "Noémie",
            "Théo", "Zoé", "Jean-Baptiste", "Marie-Claire", "Gaëlle",
        ],
        [
            "Lefèvre", "Bérard", "Desjardins", "Giraud", "Mercier", "Poincaré", "Rousseau",
            "Thévenin", "Brûlé", "Lemaître", "de Montmorency", "le Roux", "d'Alembert",
        ],
    ),
    "german": (
        [
            "Jürgen", "Jörg", "Björn", "Günther", "Lukas", "Mareike", "Ursula", "Käthe",
            "Hans-Peter", "Anna-Lena",
        ],
        [
            "Müller", "Schäfer", "Groß", "Köhler", "Weiß", "Brandt", "Hoffmann", "Lübeck",
            "Vogt", "Krämer", "von Neumann", "von Lüttichau", "zu Solms",
        ],
    ),
    "nordic": (
        [
            "Søren", "Bjørn", "Åsa", "Ingrid", "Sigurður", "Eyjólfur", "Maja", "Jørgen",
            "Ragnhild", "Øystein",
        ],
        [
            "Sørensen", "Ødegård", "Lindqvist", "Åberg", "Halvorsen", "Jónsdóttir", "Nyström",
            "Bergström", "Kjær", "Thorsen",
        ],
    ),
    "polish_czech": (
        [
            "Łukasz", "Michał", "Małgorzata", "Paweł", "Zbigniew", "Jiří", "Tomáš", "Kateřina",
            "Bożena", "Wojciech",
        ],
        [
            "Wąsowski", "Kołodziej", "Żółkowski", "Dvořák", "Nováková", "Wiśniewska",
            "Szczęsny", "Przybył", "Černý", "Łapiński",
        ],
    ),
    "chinese": (
        [
            "Xiuying", "Zhenyu", "Yuxuan", "Jianhua", "Liangzu", "Mingzhe", "Qiang", "Xinyi",
            "Haoran", "Zihan", "Shuo", "Yi-Chen", "Wen-Hsiang",
        ],
        ["Zhang", "Wang", "Liu", "Chen", "Zhao", "Xu", "Huang", "Lü", "Guo", "Zhou", "Sun", "Xie"],
    ),
    "vietnamese": (
        ["Quoc-Tung", "Thi-Huong", "Minh", "Van-Duc", "Thanh", "Bao-Ngoc"],
        ["Nguyễn", "Trần", "Phạm", "Lê", "Hoàng", "Đặng", "Vũ"],
    ),
    "korean_japanese": (
        ["Ji-Hoon", "Seo-yeon", "Min-jun", "Tarō", "Yūko", "Kenji", "Sayaka", "Shun'ichi"],
        ["Kim", "Park", "Choi", "Satō", "Itō", "Takahashi", "Ōno", "Yamamoto"],
    ),
    "dutch_belgian": (
        ["Maarten", "Sanne", "Joost", "Anouk", "Pieter-Jan", "Geert", "Loïc"],
        [
            "van der Berg", "van den Heuvel", "van Dijk", "de Vries", "ter Haar", "van 't Hoff",
            "Janssens", "Vermeulen", "De Smet",
        ],
    ),
    "italian": (
        ["Giulia", "Niccolò", "Lorenzo", "Chiara", "Gian-Marco", "Beatrice"],
        ["Di Stefano", "De Luca", "Dell'Acqua", "Bianchi", "Esposito", "Ricci", "Lo Bianco"],
    ),
    "iberian": (
        [
            "José", "María", "João", "Inês", "Sebastián", "Ángel", "Begoña", "Gonçalo", "Íñigo",
            "Luís", "José-Luis",
        ],
        [
            "García-Márquez", "Núñez", "Gonçalves", "Peña", "Muñoz", "Conceição", "Fernández",
            "Ibáñez", "Araújo", "Sánchez", "de la Cruz", "da Silva", "dos Santos",
            "Del Rosario",
        ],
    ),
    "turkish_hungarian": (
        [
            "Çağrı", "Tülin", "Gökhan", "Şule", "Ömer", "Gábor", "Zsófia", "Lőrinc", "Ádám",
            "Erzsébet",
        ],
        [
            "Öztürk", "Şahin", "Yılmaz", "Çelik", "Aydın", "Erdős", "Kovács", "Szőke", "Tóth",
            "Győri",
        ],
    ),
    "anglo_indian": (
        [
            "Michael", "Sarah", "David", "Emily", "Robert", "Priya", "Arjun", "Ananya", "Rahul",
            "Kathleen", "Olusegun", "Chiamaka",
        ],
        [
            "Smith", "O'Brien", "McAllister", "Johnson", "Patel", "Ramanujan", "Krishnamurthy",
            "Adeyemi", "Okonkwo", "Fitzgerald", "Banerjee", "Al-Haddad", "bin Abdullah",
        ],
    ),
}

SUFFIXES = ["Jr.", "Jr.", "III", "II", "Sr."]

CORPORATE_AUTHORS = [
    "The Consortium for Open Sensing", "ATLAS-Q Collaboration",
    "Working Group on Reproducible Imaging", "Signal Processing Society",
]

# Title building blocks.
TITLE_ADJ = [
    "Scalable", "Robust", "Sparse", "Adaptive", "Distributed", "Bayesian", "Efficient",
    "Provable", "Nonlinear", "Federated", "Quantum", "Stochastic", "Low-Rank",
    "Self-Supervised", "Physics-Informed", "Energy-Aware",
]
TITLE_NOUN = [
    "Estimation", "Inference", "Beamforming", "Segmentation", "Learning", "Control", "Sensing",
    "Reconstruction", "Tracking", "Optimization", "Spectroscopy", "Catalysis", "Synthesis",
    "Characterization",
]
TITLE_TOPIC = [
    "Massive MIMO Systems", "Graph Neural Networks", "Cryo-EM Imaging", "Lithium-Ion Batteries",
    "Perovskite Solar Cells", "Topological Insulators", "Gravitational-Wave Detectors",
    "Protein Folding", "Autonomous Vehicles", "Power Grids", "Soil Microbiomes",
    "Ultracold Atoms", "Radar Networks", "Diffusion Models", "Edge Computing",
    "Single-Cell Transcriptomics",
]
TITLE_SUBTITLE = [
    "A Tutorial", "Theory and Experiments", "A Survey", "Recent Advances", "Lessons Learned",
    "An Empirical Study", "Bounds and Algorithms", "Open Problems and Perspectives",
    "A Unified Framework",
]
TITLE_BRACKETS = [
    "[From the Editor]", "[Special Issue on Learning Theory]", "[Lecture Notes]",
    "[Book Reviews]", "[In Memoriam]", "[Errata]",
]
# Titles carrying inline markup, written as the aggregator passes it through.
TITLE_MARKUP = [
    "Reduction of CO<sub>2</sub> on {adj} Copper Catalysts",
    "Li<sup>+</sup> Transport in {adj} Solid Electrolytes",
    "{adj} Detection of <i>Escherichia coli</i> in Wastewater",
    "The <italic>in vivo</italic> Dynamics of {topic}",
    "Phase Behaviour of <italic>Arabidopsis thaliana</i> under {adj} Stress",
    "T<sub>c</sub> Enhancement in {adj} MgB<sub>2</sub> Films",
    "An O(<i>n</i> log <i>n</i>) Algorithm for {adj} {noun}",
    "{adj} {noun} of H<sub>2</sub>O &amp; D<sub>2</sub>O Mixtures",
    "Ca<sup>2+</sup> Signalling in <i>Drosophila</i> Neurons",
    "{adj} {noun} with <b>Guarantees</b> for {topic}",
]

# Abstract sentences are assembled from these fragments once, into a pool.
ABS_OPENERS = [
    "We propose", "This article presents", "In this work, we study", "We introduce",
    "Here we report", "This paper investigates", "We develop", "Recent work has highlighted",
    "We revisit",
]
ABS_OBJECTS = [
    "a {adj} framework for {noun} in {topic}", "the {noun} problem arising in {topic}",
    "{adj} estimators whose error decays with the sample size",
    "an end-to-end pipeline for {noun} of {topic}",
    "a family of {adj} algorithms with provable convergence",
    "the interplay between {noun} and {topic}",
]
ABS_CLAIMS = [
    "Experiments on synthetic and real data confirm the theoretical predictions.",
    "Our results improve on the state of the art by a wide margin.",
    "The method requires no hand-tuned hyperparameters.",
    "Numerical simulations show a substantial reduction in computational cost.",
    "We further discuss limitations and directions for future research.",
    "Code and data are made publicly available to support reproducibility.",
    "The analysis reveals a sharp phase transition in the sample complexity.",
    "Field measurements collected over two years validate the model.",
    "Ablation studies isolate the contribution of each component.",
    "These findings have implications for both theory and practice.",
]
ABS_MARKUP = [
    "the so-called <italic>{adj} regime</italic>", "a <italic>{adj} {noun}</i> stage",
    "<bold>{noun}</bold> guarantees", "x<sub>i</sub> &amp; y<sub>i</sub> pairs",
    "a 10<sup>-3</sup> error floor", "signal-to-noise ratio &gt; 20 dB", "R&amp;D settings",
    "<i>a priori</i> bounds", "an <sc>mse</sc> criterion", "&lt;5% overhead",
]
ABS_TEX = [
    r"${\ell}^{1}$", "${mathit{ell}}^{1}$", r"$\mathcal{O}(n\log n)$", r"$\alpha \in (0, 1]$",
    "$k$", r"$\sqrt{d/n}$", r"$\|x\|_2 \leq 1$", "$mathbb{R}^{d}$", r"$p < 0.05$",
    r"$\epsilon$-approximate",
]


# (name, DOI prefix/style, abbreviation, impact factor, region category,
#  page style, PeriodicalId)
# fmt: on


@dataclass(frozen=True)
class Journal:
    name: str
    doi_style: str
    abbr: str
    impact: float | None
    category: str
    pages: str  # "range", "article", "elocator", "mixed"
    pid: int


JOURNALS: list[Journal] = [
    Journal(
        "IEEE Transactions on Signal Processing", "ieee", "TSP", 5.4, "工程技术", "range", 13201
    ),
    Journal(
        "IEEE Transactions on Information Theory", "ieee", "TIT", 2.5, "计算机科学", "range", 13202
    ),
    Journal(
        "IEEE Transactions on Pattern Analysis and Machine Intelligence",
        "ieee",
        "TPAMI",
        20.8,
        "计算机科学",
        "range",
        13203,
    ),
    Journal(
        "IEEE Transactions on Wireless Communications",
        "ieee",
        "TWC",
        8.9,
        "工程技术",
        "range",
        13204,
    ),
    Journal("IEEE Signal Processing Magazine", "ieee", "MSP", 9.6, "工程技术", "mixed", 13246),
    Journal("IEEE Access", "ieee", "ACCESS", 3.4, "计算机科学", "range", 13250),
    Journal("Nature", "nature", "s41586", 50.5, "综合性期刊", "range", 20001),
    Journal("Nature Communications", "nature", "s41467", 14.7, "综合性期刊", "article", 20002),
    Journal(
        "Physical Review Letters", "aps", "PhysRevLett", 8.1, "物理与天体物理", "article", 30001
    ),
    Journal("Physical Review B", "aps", "PhysRevB", 3.2, "物理与天体物理", "article", 30002),
    Journal(
        "Journal of Computational Physics",
        "elsevier",
        "jcp",
        3.8,
        "物理与天体物理",
        "article",
        40001,
    ),
    Journal(
        "Journal of the American Chemical Society", "acs", "jacs", 14.4, "化学", "range", 40002
    ),
    Journal(
        "Journal of Machine Learning Research", "none", "jmlr", 4.3, "计算机科学", "range", 40003
    ),
    Journal(
        "Journal of Applied Ecology", "wiley", "1365-2664", 5.7, "环境科学与生态学", "range", 40004
    ),
    Journal("PLOS ONE", "plos", "pone", 2.9, "综合性期刊", "elocator", 50001),
    Journal("eLife", "elife", "eLife", 6.4, "生物学", "elocator", 50002),
    Journal("Advanced Materials", "wiley", "adma", 27.4, "材料科学", "article", 50003),
    Journal("The Lancet Oncology", "elsevier", "S1470-2045", 41.6, "医学", "range", 50004),
    Journal(
        "Zeitschrift für Naturforschung A",
        "degruyter",
        "zna",
        1.4,
        "物理与天体物理",
        "range",
        50005,
    ),
    Journal("Revista Mexicana de Física", "none", "rmf", None, "物理与天体物理", "range", 50006),
    Journal(
        "Acta Mathematica Sinica, English Series", "springer", "s10114", 0.7, "数学", "range", 50007
    ),
]

# fmt: off
CHINESE_TITLE_BITS = [
    "基于", "深度学习的", "稀疏", "信号", "估计", "方法", "研究", "综述", "材料", "性能",
]
PUB_TYPES = ["Journal Article"] * 17 + ["Review", "Editorial", "Letter"]
FIELDS_OF_STUDY = [
    "Computer Science", "Physics", "Mathematics", "Medicine", "Chemistry", "Biology",
    "Engineering", "Materials Science",
]
PLATFORMS = ["Semanticscholar"] * 8 + ["Crossref", "PubMed"]

# Stray-line makers receive (rng, previous serialized record or "").
STRAY_NOISE = [
    "<html><head><title>502 Bad Gateway</title></head></html>", "--- page 17 of 342 ---",
    "Error: rate limit exceeded, retry after 30s", "\ufeffsep=;", "}}",
]
# fmt: on


# --------------------------------------------------------------------------
# Record construction
# --------------------------------------------------------------------------


def _fill(rng: random.Random, template: str) -> str:
    """Fill {adj}/{noun}/{topic} placeholders in a template."""
    return template.format(
        adj=rng.choice(TITLE_ADJ),
        noun=rng.choice(TITLE_NOUN),
        topic=rng.choice(TITLE_TOPIC),
    )


def make_person(rng: random.Random) -> str:
    """One author as 'Given [M.] Family [Suffix]'."""
    pool_name = rng.choice(list(NAME_POOLS))
    givens, families = NAME_POOLS[pool_name]
    given = rng.choice(givens)
    family = rng.choice(families)
    parts = [given]
    if rng.random() < 0.18:
        parts.append(rng.choice("ABCDEFGHJKLMNPRSTW") + ".")
    parts.append(family)
    if rng.random() < 0.02:
        parts.append(rng.choice(SUFFIXES))
    return " ".join(parts)


def make_authors(rng: random.Random) -> str:
    """Semicolon-separated author list; sometimes empty or slightly dirty."""
    roll = rng.random()
    if roll < 0.04:
        return ""
    if roll < 0.045:
        return rng.choice(CORPORATE_AUTHORS)
    # Skewed towards 2-5 authors, capped at 12.
    count = min(12, max(1, int(rng.lognormvariate(1.2, 0.6))))
    names = [make_person(rng) for _ in range(count)]
    sep = "; " if rng.random() < 0.03 else ";"
    text = sep.join(names)
    if rng.random() < 0.01:
        text += ";"
    return text


def make_title(rng: random.Random) -> str:
    """Title, occasionally with inline HTML/JATS markup or an editorial tag."""
    roll = rng.random()
    if roll < 0.08:
        title = _fill(rng, rng.choice(TITLE_MARKUP))
    elif roll < 0.55:
        title = f"{rng.choice(TITLE_ADJ)} {rng.choice(TITLE_NOUN)} for {rng.choice(TITLE_TOPIC)}"
        if rng.random() < 0.5:
            title += f": {rng.choice(TITLE_SUBTITLE)}"
    elif roll < 0.9:
        title = (
            f"On the {rng.choice(TITLE_NOUN)} of {rng.choice(TITLE_TOPIC)} "
            f"via {rng.choice(TITLE_ADJ)} {rng.choice(TITLE_NOUN)}"
        )
    else:
        title = f"{rng.choice(TITLE_TOPIC)}: {rng.choice(TITLE_SUBTITLE).lower()}"
    if rng.random() < 0.04:
        title += " " + rng.choice(TITLE_BRACKETS)
    if rng.random() < 0.005:
        title = title.upper()
    return title


class AbstractPool:
    """Pre-built sentence pool so that ~1 KB abstracts are cheap to make."""

    def __init__(self, rng: random.Random, size: int = 600) -> None:
        self.sentences = [self._sentence(rng) for _ in range(size)]

    @staticmethod
    def _sentence(rng: random.Random) -> str:
        kind = rng.random()
        if kind < 0.4:
            body = f"{rng.choice(ABS_OPENERS)} {_fill(rng, rng.choice(ABS_OBJECTS))}"
            if rng.random() < 0.35:
                body += f", based on {_fill(rng, rng.choice(ABS_MARKUP))}"
            return body + "."
        if kind < 0.55:
            return (
                f"In particular, we show that {_fill(rng, rng.choice(ABS_MARKUP))} "
                f"yields {rng.choice(TITLE_ADJ).lower()} {rng.choice(TITLE_NOUN).lower()}."
            )
        return rng.choice(ABS_CLAIMS)

    def abstract(self, rng: random.Random) -> str:
        roll = rng.random()
        if roll < 0.15:
            return ""
        sentences = rng.choices(self.sentences, k=rng.randint(8, 17))
        if rng.random() < 0.2:
            tex = rng.choice(ABS_TEX)
            pos = rng.randrange(len(sentences))
            sentences[pos] = (
                f"We obtain a rate of <inline-formula><tex-math>{tex}"
                f"</tex-math></inline-formula> for {rng.choice(TITLE_TOPIC).lower()}."
            )
        text = " ".join(sentences)
        if rng.random() < 0.05:
            text = f"<jats:p>{text}</jats:p>"
        elif rng.random() < 0.03:
            text = "Abstract " + text
        return text


def make_doi(rng: random.Random, journal: Journal, year: int) -> str | None:
    """Publisher-shaped DOI, or None for the few journals / records without one."""
    if journal.doi_style == "none" or rng.random() < 0.02:
        return None
    n = rng.randrange(10**6, 10**7)
    style = journal.doi_style
    if style == "ieee":
        return f"10.1109/{journal.abbr}.{year}.{n}"
    if style == "nature":
        return f"10.1038/{journal.abbr}-{year % 100:02d}-{n % 100000:05d}-{rng.randrange(10)}"
    if style == "aps":
        return f"10.1103/{journal.abbr}.{rng.randrange(100, 140)}.{n % 1000000:06d}"
    if style == "elsevier":
        return f"10.1016/j.{journal.abbr}.{year}.{n % 1000000:06d}"
    if style == "acs":
        return f"10.1021/{journal.abbr}.{rng.randrange(3, 6)}c{n % 100000:05d}"
    if style == "wiley":
        return f"10.1002/{journal.abbr}.{year}{n % 100000:05d}"
    if style == "plos":
        return f"10.1371/journal.{journal.abbr}.{n:07d}"
    if style == "elife":
        return f"10.7554/eLife.{n % 100000:05d}"
    if style == "degruyter":
        return f"10.1515/{journal.abbr}-{year}-{n % 10000:04d}"
    return f"10.1007/{journal.abbr}-{year % 100:03d}-{n % 10000:04d}-{rng.randrange(10)}"


def make_pages(rng: random.Random, journal: Journal) -> str | None:
    """Page field: 'a-b', cover pages 'C3-C3', article numbers, e-locators."""
    style = journal.pages
    if style == "mixed":
        style = rng.choice(["range", "range", "range", "cover"])
    roll = rng.random()
    if roll < 0.03:
        return None
    if roll < 0.06:
        return ""
    if style == "cover":
        c = rng.choice(["C2", "C3", "C4"])
        return f"{c}-{c}"
    if style == "article":
        return str(rng.randrange(1000, 999999))
    if style == "elocator":
        return f"e{rng.randrange(1000, 99999)}"
    start = rng.randrange(1, 12000)
    if rng.random() < 0.03:
        return str(start)
    return f"{start}-{start + rng.randrange(1, 30)}"


def make_volume(rng: random.Random, year: int) -> str | None:
    """'V I', 'V', or missing."""
    roll = rng.random()
    vol = max(1, year - 1950 + rng.randrange(-5, 5))
    if roll < 0.55:
        return f"{vol} {rng.randrange(1, 25)}"
    if roll < 0.9:
        return str(vol)
    if roll < 0.95:
        return ""
    return None


def make_date(rng: random.Random, year: int) -> str | None:
    """publicationDate: full ISO date most of the time, else year-only or null."""
    roll = rng.random()
    if roll < 0.8:
        return f"{year:04d}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    if roll < 0.93:
        return f"{year:04d}"
    return None


def make_record(rng: random.Random, pool: AbstractPool, serial: int) -> dict[str, Any]:
    """One aggregator record with every bookkeeping field present."""
    journal = rng.choice(JOURNALS)
    year = rng.choices([rng.randint(1975, 2015), rng.randint(2016, 2026)], weights=[1, 3])[0]
    doi = make_doi(rng, journal, year)
    date = make_date(rng, year)
    is_oa = rng.random() < 0.3
    oa_pdf = ""
    if is_oa or rng.random() < 0.05:
        arnumber = rng.randrange(10**7, 10**8)
        oa_pdf = f"https://ieeexplore.ieee.org/stamp/stamp.jsp?tp=&arnumber={arnumber}"
    pmcid = rng.choice(["", "", "", "OA", f"PMC{rng.randrange(10**6, 10**7)}"])
    return {
        "title": make_title(rng),
        "authors": make_authors(rng),
        "doi": doi,
        "DOIUrl": f"https://doi.org/{doi}" if doi else None,
        "url": (
            f"https://journals.example.org/{journal.abbr.lower()}/article/{serial}"
            if rng.random() < 0.1
            else None
        ),
        "abstract": pool.abstract(rng),
        "PeriodicalId": journal.pid,
        "journal": {
            "name": journal.name,
            "volume": make_volume(rng, year),
            "pages": make_pages(rng, journal),
        },
        "PeriodicalIF": journal.impact,
        "publicationDate": date,
        "publicationTypes": rng.choice(PUB_TYPES),
        "fieldsOfStudy": (
            None if rng.random() < 0.7 else rng.sample(FIELDS_OF_STUDY, rng.randint(1, 2))
        ),
        "isOpenAccess": is_oa,
        "openAccessPdf": oa_pdf,
        "citationCount": None if rng.random() < 0.4 else int(rng.paretovariate(1.2)) - 1,
        "resultStr": None,
        "platform": rng.choice(PLATFORMS),
        "paperid": str(147000000 + serial * 7 + rng.randrange(7)),
        "PeriodicalName": None if rng.random() < 0.8 else journal.name,
        "FirstCategoryId": None if rng.random() < 0.7 else rng.randrange(1, 14),
        "ListUrlMain": None,
        "RegionNum": rng.choice([1, 1, 2, 2, 3, 4, None]),
        "RegionCategory": journal.category,
        "ArticlePicture": [] if rng.random() < 0.97 else [f"https://img.example.org/{serial}.png"],
        "TitleCN": (None if rng.random() < 0.95 else "".join(rng.sample(CHINESE_TITLE_BITS, 5))),
        "AbstractTextCN": None,
        "PMCID": pmcid,
        "EPubDate": None if rng.random() < 0.8 else date,
        "PubModel": None
        if rng.random() < 0.85
        else rng.choice(["Print-Electronic", "Electronic-eCollection"]),
        "JCR": None if rng.random() < 0.7 else rng.choice(["Q1", "Q2", "Q3", "Q4"]),
        "JCRName": None
        if rng.random() < 0.85
        else rng.choice(["ENGINEERING, ELECTRICAL & ELECTRONIC", "PHYSICS, MULTIDISCIPLINARY"]),
        "Score": None if rng.random() < 0.8 else round(rng.uniform(0.5, 60.0), 1),
        "Total": rng.choice([0, 0, 0, rng.randrange(1, 500)]),
    }


def serialize(record: dict[str, Any]) -> str:
    """Compact JSON with raw UTF-8, as the aggregator writes it."""
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def make_stray(rng: random.Random, previous: str) -> str:
    """A non-JSON line of the kinds seen in scraped exports."""
    roll = rng.random()
    if roll < 0.45:
        # An author list that escaped its record (as in the real sample).
        return ";".join(make_person(rng) for _ in range(rng.randint(1, 5)))
    if roll < 0.8 and previous:
        # A record cut off mid-line.
        return previous[: rng.randrange(10, max(11, len(previous) // 2))]
    return rng.choice(STRAY_NOISE)


def assert_stray_is_not_json(line: str) -> None:
    """Guard: stray lines must never parse as JSON by accident."""
    try:
        json.loads(line)
    except ValueError:
        return
    raise AssertionError(f"stray line parses as JSON: {line[:80]!r}")


# --------------------------------------------------------------------------
# Driver
# --------------------------------------------------------------------------


@dataclass
class Stats:
    records: int = 0
    stray: int = 0
    bytes: int = 0


def generate(
    n: int,
    out: TextIO,
    seed: int = 42,
    stray_rate: float = 0.001,
    on_line: Callable[[str], None] | None = None,
) -> Stats:
    """Write n records (plus stray lines) to ``out``; return counts."""
    rng = random.Random(seed)
    pool = AbstractPool(random.Random(seed ^ 0x5EED))
    stats = Stats()
    previous = ""
    for serial in range(n):
        if rng.random() < stray_rate:
            line = make_stray(rng, previous)
            assert_stray_is_not_json(line)
            out.write(line + "\n")
            stats.stray += 1
            stats.bytes += len(line.encode("utf-8")) + 1
        previous = serialize(make_record(rng, pool, serial))
        out.write(previous + "\n")
        stats.records += 1
        stats.bytes += len(previous.encode("utf-8")) + 1
        if on_line is not None:
            on_line(previous)
    return stats


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, help="number of JSON records to write")
    parser.add_argument("-o", "--output", required=True, help="output file ('-' for stdout)")
    parser.add_argument("--seed", type=int, default=42, help="RNG seed (default 42)")
    parser.add_argument(
        "--stray-rate",
        type=float,
        default=0.001,
        help="probability of a stray non-JSON line before each record (default 0.001)",
    )
    parser.add_argument("--quiet", action="store_true", help="do not print the summary to stderr")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.n < 0:
        print("N must be >= 0", file=sys.stderr)
        return 2
    if args.output == "-":
        stats = generate(args.n, sys.stdout, args.seed, args.stray_rate)
    else:
        with open(args.output, "w", encoding="utf-8", newline="\n") as fh:
            stats = generate(args.n, fh, args.seed, args.stray_rate)
    if not args.quiet:
        print(
            f"wrote {stats.records} records + {stats.stray} stray lines "
            f"({stats.bytes / 1e6:.1f} MB) to {args.output}",
            file=sys.stderr,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
