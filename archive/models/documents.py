"""The archive's document model: slide PDFs with their extracted text, page by page."""

from django.db import models, transaction
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
        """What the editor should know about this PDF's text, or "" when all is well."""
        if self.text_status in (self.TextStatus.FAILED, self.TextStatus.NO_TEXT):
            return self.text_error or self.get_text_status_display()
        return ""


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
