"""Markup codecs: one module per inline-markup dialect, each turning text into `RichText`
(`parse`) and/or `RichText` into text (`render`).

- `html`: HTML and JATS as found in aggregator and Crossref titles and abstracts (parse), and
  escaped HTML for web pages (render).
- `csl`: CSL-JSON's HTML subset (`<i> <b> <sup> <sub>`, small caps, `nocase` spans).
- `latex`: LaTeX for BibTeX values, with case protection and math.
- `tex`: repairs of TeX math source damaged upstream.
"""
