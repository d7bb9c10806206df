"""One module (or package) per format: its reader and/or writer, and its field mapping table
in the module docstring.

aggregator.py  the aggregator JSON-lines export (read)
bibtex/        BibTeX and BibLaTeX (read; write `bibtex` and `biblatex`); mapping.py is the table
ris.py         RIS in the big tools' dialects (read, write)
medline.py     MEDLINE/PubMed tagged records, .nbib (read)
csljson.py     CSL-JSON (read, write)
crossref.py    Crossref REST API works JSON (read)
ieee/          IEEE references through citeproc-py (write `ieee`, `ieee-html`, `ieee-latex`,
               `ieee-md`); writer.py is the writers, render.py wraps citeproc-py,
               abbreviations.py and periodicals.py abbreviate journal names
"""
