"""The archive's document model: slide PDFs with their extracted text, page by page."""

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from wagtail.documents.models import AbstractDocument, Document

from archive.validators import PDF_PROBLEMS, pdf_problem_message

#: What text extraction can record in ``ArchiveDocument.text_error`` besides the codes of
#: ``PDF_PROBLEMS``. The worker has no request language, so it stores the code and
#: :attr:`ArchiveDocument.text_problem` translates it when shown.
TEXT_PROBLEMS = {
    "missing": _("The document's file is missing. Upload it again."),
    "no_text": _(
        "No text was found in the PDF: it may consist of images only. Search will not find "
        "its content; upload a PDF with text if you have one."
    ),
}

#: The English sentences text extraction stored before it stored codes, still in databases.
OLD_TEXT_ERRORS = {
    "The file is missing. Upload it again.": "missing",
    "The file is not a PDF. Export the slides as PDF and upload them again.": "not_pdf",
    "The PDF has no pages. Re-export it and upload it again.": "empty_pdf",
    "No text was found in the PDF: it may consist of images only. Search will not find its "
    "content; upload a PDF with text if you have one.": "no_text",
}


def text_problem_code(text_error: str) -> str | None:
    """The code of a stored ``text_error``, also of the English sentences stored before codes
    were; None for a text it does not know."""
    if text_error in TEXT_PROBLEMS or text_error in PDF_PROBLEMS:
        return text_error
    if text_error in OLD_TEXT_ERRORS:
        return OLD_TEXT_ERRORS[text_error]
    if text_error.startswith("The PDF could not be read (") and text_error.endswith(
        "). Re-export it and upload it again."
    ):  # with pypdf's words in the brackets
        return "encrypted_pdf" if "has not been decrypted" in text_error else "broken_pdf"
    return None


class ArchiveDocument(AbstractDocument):
    """A Wagtail document that also remembers what text extraction found in it."""

    class TextStatus(models.TextChoices):
        PENDING = "pending", _("Waiting for text extraction")
        OK = "ok", _("Text extracted")
        NO_TEXT = "no_text", _("No text found (image-only PDF?)")
        FAILED = "failed", _("Text extraction failed")

    page_count = models.PositiveIntegerField(_("page count"), null=True, blank=True, editable=False)
    text_status = models.CharField(
        _("text status"),
        max_length=10,
        choices=TextStatus.choices,
        default=TextStatus.PENDING,
        editable=False,
    )
    text_error = models.TextField(_("text extraction error"), blank=True, editable=False)
    text_extracted_at = models.DateTimeField(null=True, blank=True, editable=False)
    thumbnail = models.ImageField(
        _("first-page thumbnail"), upload_to="slide-thumbnails", blank=True, editable=False
    )

    admin_form_fields = Document.admin_form_fields

    class Meta(AbstractDocument.Meta):
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def save(self, *args, **kwargs):
        """Saving a new or replaced file resets the text status and, once the transaction has
        committed, enqueues text extraction and thumbnail rendering (``archive.tasks``)."""
        changed = self._file_changed(kwargs.get("update_fields"))
        if changed:
            self.text_status = self.TextStatus.PENDING
            self.text_error = ""
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "text_status", "text_error"}
        super().save(*args, **kwargs)
        if changed:
            from archive.tasks import extract_slide_text

            pk = self.pk
            transaction.on_commit(lambda: extract_slide_text.enqueue(pk))

    def _file_changed(self, update_fields) -> bool:
        if not self.file:
            return False
        if update_fields is not None and "file" not in update_fields:
            return False
        if self.pk is None:
            return True
        old = type(self).objects.filter(pk=self.pk).values_list("file", flat=True).first()
        return old != self.file.name

    @property
    def text_problem(self) -> str:
        """What the editor should know about this PDF's text, in the active language, or ""
        when all is well. A stored text this version does not know is shown as it is."""
        if self.text_status not in (self.TextStatus.FAILED, self.TextStatus.NO_TEXT):
            return ""
        if not self.text_error:
            return self.get_text_status_display()
        code = text_problem_code(self.text_error)
        if code in TEXT_PROBLEMS:
            return str(TEXT_PROBLEMS[code])
        if code in PDF_PROBLEMS:
            return pdf_problem_message(code)
        return self.text_error


class DocumentPage(models.Model):
    """The text of one page of a PDF document (1-based page numbers)."""

    document = models.ForeignKey(ArchiveDocument, on_delete=models.CASCADE, related_name="pages")
    number = models.PositiveIntegerField(_("page number"))
    text = models.TextField(_("text"), blank=True)

    class Meta:
        ordering = ["document", "number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="unique_document_page")
        ]

    def __str__(self):
        return f"{self.document} p. {self.number}"
