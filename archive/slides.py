"""Slide PDFs: their text page by page (for search) and a first-page thumbnail (for the page).

Both functions record what went wrong on the document instead of raising: a seminar with a broken
PDF still publishes, and the editor sees the recorded problem in the admin.
"""

from __future__ import annotations

import io
import logging
import re
import unicodedata

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from archive.models import ArchiveDocument, DocumentPage
from archive.validators import PdfProblem, pdf_pages

logger = logging.getLogger(__name__)

THUMBNAIL_WIDTH = 480
MAX_PAGE_TEXT = 100_000  # characters kept per page; a page with more is not a slide


def _read_bytes(document: ArchiveDocument) -> bytes:
    with document.open_file() as fh:
        return fh.read()


def _clean_text(text: str) -> str:
    """Page text with control characters removed, blank-line runs collapsed, composed (NFC:
    PDFs often hold "ö" as "o" and a combining mark)."""
    text = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", " ", text or "")
    text = unicodedata.normalize("NFC", text)
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return "\n".join(line for line in lines if line)[:MAX_PAGE_TEXT]


def read_pdf_pages(data: bytes) -> list[str]:
    """The text of every page; raises ``PdfProblem`` (a ValueError with the problem's code)
    when it is no usable PDF."""
    texts = []
    for page in pdf_pages(io.BytesIO(data)):
        try:
            texts.append(_clean_text(page.extract_text()))
        except Exception as exc:  # noqa: BLE001 - one bad page must not lose the others
            logger.warning("Could not extract text from a PDF page: %s", exc)
            texts.append("")
    return texts


def extract_document_text(document: ArchiveDocument) -> None:
    """Store the text of each page as ``DocumentPage`` rows and record the outcome on the document
    (page_count, text_status, text_error, text_extracted_at). Never raises for a bad PDF.

    ``text_error`` gets a code (``ArchiveDocument.text_problem`` says it in the editor's
    language): this runs in the worker, which has no request language."""
    status, error, texts = ArchiveDocument.TextStatus.OK, "", []
    try:
        texts = read_pdf_pages(_read_bytes(document))
    except FileNotFoundError:
        status, error = ArchiveDocument.TextStatus.FAILED, "missing"
    except PdfProblem as exc:
        logger.info("No text from document %s (%s): %s", document.pk, exc.code, exc)
        status, error = ArchiveDocument.TextStatus.FAILED, exc.code
    else:
        if not any(texts):
            status, error = ArchiveDocument.TextStatus.NO_TEXT, "no_text"
    with transaction.atomic():
        DocumentPage.objects.filter(document=document).delete()
        DocumentPage.objects.bulk_create(
            [
                DocumentPage(document=document, number=number, text=text)
                for number, text in enumerate(texts, start=1)
            ]
        )
        document.page_count = len(texts) or None
        document.text_status = status
        document.text_error = error
        document.text_extracted_at = timezone.now()
        document.save(
            update_fields=["page_count", "text_status", "text_error", "text_extracted_at"]
        )


def render_thumbnail(document: ArchiveDocument, width: int = THUMBNAIL_WIDTH) -> bool:
    """Render the first page to a PNG in ``document.thumbnail``; True when it worked.

    On failure the thumbnail is left empty and the template shows a placeholder instead.
    """
    import pypdfium2 as pdfium

    try:
        data = _read_bytes(document)
        pdf = pdfium.PdfDocument(data)
        try:
            page = pdf[0]
            scale = width / page.get_width()
            image = page.render(scale=scale).to_pil()
        finally:
            pdf.close()
    except Exception as exc:  # noqa: BLE001 - pdfium raises its own and OS errors alike
        logger.info("No thumbnail for document %s: %s", document.pk, exc)
        if document.thumbnail:
            document.thumbnail = None
            document.save(update_fields=["thumbnail"])
        return False
    buf = io.BytesIO()
    image.convert("RGB").save(buf, "PNG", optimize=True)
    if document.thumbnail:
        document.thumbnail.delete(save=False)
    document.thumbnail.save(f"slides-{document.pk}.png", ContentFile(buf.getvalue()), save=False)
    document.save(update_fields=["thumbnail"])
    return True


def process_document(document: ArchiveDocument) -> None:
    """Everything done after a slide PDF is uploaded or replaced."""
    extract_document_text(document)
    render_thumbnail(document)
