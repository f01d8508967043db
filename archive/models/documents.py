"""The archive's document model: slide PDFs with their extracted text, page by page."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.documents.models import AbstractDocument, Document


class ArchiveDocument(AbstractDocument):
    """A Wagtail document that also remembers what text extraction found in it."""

    class TextStatus(models.TextChoices):
        PENDING = "pending", _("Waiting for text extraction")
        OK = "ok", _("Text extracted")
        NO_TEXT = "no_text", _("No text found (image-only PDF?)")
        FAILED = "failed", _("Text extraction failed")

    page_count = models.PositiveIntegerField(_("page count"), null=True, blank=True, editable=False)
    text_status = models.CharField(
        _("text status"), max_length=10, choices=TextStatus.choices,
        default=TextStatus.PENDING, editable=False,
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
