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


# Typographic ligatures (the Alphabetic Presentation Forms block: "ﬁ", "ﬂ", "ﬀ", "ﬃ", "ﬄ", "ﬅ",
# "ﬆ", and the Armenian and Hebrew forms) are read as their letters, as NFKC does. Only this block:
# NFKC on the whole text would also change "½", "²", "™", full-width letters and the like.
LIGATURE_RE = re.compile("[\ufb00-\ufb4f]")
SOFT_HYPHEN = "\u00ad"
# A line ending in a hyphen (or U+2010) right after a word's letters or digits.
LINE_END_HYPHEN_RE = re.compile(r"([^\W_]+)[-\u2010]$")
FIRST_WORD_RE = re.compile(r"[^\W_]+")
# "stats-\noch kommunbidrag", "för-\neller nackdelar": a hanging hyphen, the word is complete.
HANGING_HYPHEN_NEXT = frozenset({"och", "eller", "samt", "resp", "respektive", "and", "or"})


def _join_line(line: str, following: str) -> str | None:
    """``line`` and ``following`` as one line when ``line`` ends in a word broken or hyphenated at
    its end; None when they stay two lines.

    - A soft hyphen (U+00AD) at the end marks where a word was broken: always joined, without it.
    - A hyphen after a word of two or more lowercase letters (the first may be a capital)
      followed by a lowercase letter is a word broken at the line end: "förvalt-" + "ningens" →
      "förvaltningens".
    - A hyphen after a single letter, an abbreviation or a number, or followed by a capital or a
      digit, is a real hyphen of a compound: joined with the hyphen kept ("e-" + "tjänst",
      "EU-" + "länder", "2020-" + "talet", "Skåne-" + "Blekinge"), as the same words written on
      one line are indexed.
    - A hyphen followed by "och", "eller" and the like is a hanging hyphen ("stats- och
      kommunbidrag"); so is one after a space ("Budget -"), or before a line that does not start
      with a letter or digit (a bullet, a dash): the lines stay apart.

    Known limit: an all-capitals heading broken as "FÖRVALT-" + "NINGENS" keeps its hyphen (it
    cannot be told from "EU-" + "LÄNDER" without a dictionary), and "tv-" + "serie" becomes
    "tvserie"."""
    first = FIRST_WORD_RE.match(following)
    if first is None:
        return None
    if line.endswith(SOFT_HYPHEN):
        return line[:-1] + following
    end = LINE_END_HYPHEN_RE.search(line)
    if end is None or first.group().lower() in HANGING_HYPHEN_NEXT:
        return None
    fragment = end.group(1)
    broken = (
        len(fragment) >= 2
        and fragment[0].isalpha()
        and all(c.isalpha() and c.islower() for c in fragment[1:])
        and following[0].isalpha()
        and following[0].islower()
    )
    return line[:-1] + following if broken else line + following


def _clean_text(text: str) -> str:
    """Page text with control characters removed, blank-line runs collapsed, typographic
    ligatures as their letters ("ﬁnansiering" → "finansiering"), words broken at a line end
    joined (:func:`_join_line`), soft hyphens removed, and composed (NFC: PDFs often hold "ö" as
    "o" and a combining mark)."""
    text = re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", " ", text or "")
    text = LIGATURE_RE.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
    text = unicodedata.normalize("NFC", text)
    lines: list[str] = []
    for line in text.splitlines():  # also "\r\n" and "\r"
        line = " ".join(line.split())  # also "förvalt- " before the line break
        if not line:
            continue
        joined = _join_line(lines[-1], line) if lines else None
        if joined is None:
            lines.append(line)
        else:
            lines[-1] = joined
    return "\n".join(line.replace(SOFT_HYPHEN, "") for line in lines)[:MAX_PAGE_TEXT]


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


def extract_all_documents(progress=None) -> tuple[dict[str, int], list[ArchiveDocument]]:
    """Extract the text of every slide PDF again, as after an upload: after the extraction rules
    above changed, text stored before (with "ﬁ" ligatures, "förvalt-" + "ningens") is redone.
    The seminars showing the documents are reindexed once, at the end; thumbnails are left as
    they are. ``progress(1)`` is called after each document.

    A document whose file cannot be found (moved, or MEDIA_ROOT pointing elsewhere) keeps the
    text stored for it: re-reading must never lose what an upload once read. Returns how many
    documents ended in each ``text_status``, and the documents whose file was missing."""
    from archive.signals import bulk_changes

    counts: dict[str, int] = {}
    missing: list[ArchiveDocument] = []
    with bulk_changes():
        for document in ArchiveDocument.objects.exclude(file="").order_by("pk").iterator():
            if not document.file.storage.exists(document.file.name):
                missing.append(document)
            else:
                extract_document_text(document)
                counts[document.text_status] = counts.get(document.text_status, 0) + 1
            if progress:
                progress(1)
    return counts, missing


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
