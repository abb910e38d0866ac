"""A letter's HTML to PDF with WeasyPrint: the only module that imports it.

The PDF is tagged (PDF/UA-1: headings, lists and the logo's alternative text
are in its structure tree, and the text is real text), so screen readers and
text extraction read it as the letter it is. Letters carry their logo as a
data: URL, so rendering fetches nothing from the network or the disk.
"""
from __future__ import annotations

import hashlib

import weasyprint

# data: URLs only: a letter's template cannot make the server read a file or call out.
_FETCHER = weasyprint.urls.URLFetcher(allowed_protocols=("data",), fail_on_errors=True)


def render_pdf(html: str) -> bytes:
    return weasyprint.HTML(  # type: ignore[no-any-return]  # weasyprint is untyped
        string=html, url_fetcher=_FETCHER).write_pdf(pdf_variant="pdf/ua-1")


def sha256(pdf: bytes) -> str:
    return hashlib.sha256(pdf).hexdigest()
