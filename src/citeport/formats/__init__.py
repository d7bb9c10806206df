"""One module (or package) per format: its reader and/or writer and its field mapping.

aggregator  the aggregator JSON-lines export (reader)
csljson     CSL-JSON (writer)
bibtex      BibTeX (writer)
ris         RIS (writer)
ieee/       IEEE references through citeproc-py (writers: text, HTML)
"""
