"""Admin forms: the Wagtail document upload form refuses files that are not real PDFs.

Wired in through ``WAGTAILDOCS_DOCUMENT_FORM_BASE`` so every document upload path (the documents
area, the chooser modal and multiple upload) checks the bytes, not only the file name.
"""

from django.core.exceptions import ValidationError
from wagtail.documents.forms import BaseDocumentForm

from archive.validators import pdf_page_count


def checked_page_count(uploaded) -> int:
    """Page count of an uploaded file; ValidationError (saying what to fix) if it is no PDF."""
    return pdf_page_count(uploaded)


class ArchiveDocumentForm(BaseDocumentForm):
    """Document form that checks an uploaded file is a readable PDF and stores its page count."""

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if uploaded and "file" in self.changed_data:
            try:
                self._page_count = checked_page_count(uploaded)
            except ValidationError as exc:
                raise ValidationError(exc.messages, code="not_pdf") from exc
        return uploaded

    def save(self, commit=True):
        page_count = getattr(self, "_page_count", None)
        if page_count is not None:
            self.instance.page_count = page_count
        return super().save(commit=commit)
