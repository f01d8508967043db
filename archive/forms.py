"""Admin upload forms.

- The Wagtail document form refuses files that are not real PDFs. Wired in through
  ``WAGTAILDOCS_DOCUMENT_FORM_BASE`` so every document upload path (the documents area, the
  chooser modal and multiple upload) checks the bytes, not only the file name. (Wagtail itself
  enforces ``WAGTAILDOCS_MAX_UPLOAD_SIZE``.)
- The wagtailmedia form (``WAGTAILMEDIA["MEDIA_FORM_BASE"]``) refuses video and audio files
  larger than ``ARCHIVE_MEDIA_MAX_UPLOAD_SIZE`` and thumbnails larger than
  ``WAGTAILIMAGES_MAX_UPLOAD_SIZE``; wagtailmedia checks neither. It probes an uploaded file
  and stores the length (and a video's size) it measured, so transcript times are checked
  against the recording and its structured data has a duration; wagtailmedia stores 0.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from wagtail.documents.forms import BaseDocumentForm
from wagtailmedia.forms import BaseMediaForm

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
                raise ValidationError(
                    [ValidationError(message, code="not_pdf") for message in exc.messages]
                ) from exc
        return uploaded

    def _post_clean(self):
        """Wagtail's document ``clean()`` then checks the extension of the file this form just
        refused (none left: "“” is not a valid extension"), which contradicted our message on
        a file that does end in .pdf, and Django's on an empty one. When the file field
        refused the upload (its errors carry a code: ``not_pdf``, ``empty``, ``required``,
        ``file_too_large`` ...), only its own errors are kept; Wagtail's model error has
        none."""
        super()._post_clean()
        errors = self._errors.get("file") if self._errors else None
        if errors:
            ours = [e for e in errors.as_data() if e.code]
            if ours:
                self._errors["file"] = self.error_class(ours, renderer=self.renderer)

    def save(self, commit=True):
        page_count = getattr(self, "_page_count", None)
        if page_count is not None:
            self.instance.page_count = page_count
        return super().save(commit=commit)


def check_size(uploaded, limit: int, message: str) -> None:
    """ValidationError with ``message`` (placeholders ``size`` and ``limit``) when ``uploaded``
    is larger than ``limit`` bytes."""
    if uploaded is not None and uploaded.size > limit:
        raise ValidationError(
            message % {"size": filesizeformat(uploaded.size), "limit": filesizeformat(limit)},
            code="file_too_large",
        )


class ArchiveMediaForm(BaseMediaForm):
    """wagtailmedia's upload and edit form with size limits on the file and its thumbnail."""

    def clean_file(self):
        uploaded = self.cleaned_data.get("file")
        if uploaded and "file" in self.changed_data:
            check_size(
                uploaded,
                settings.ARCHIVE_MEDIA_MAX_UPLOAD_SIZE,
                _(
                    "This file is %(size)s; the largest video or audio file accepted is "
                    "%(limit)s. Compress or shorten it, or publish it on YouTube or Vimeo and "
                    "give the seminar that address instead."
                ),
            )
            self._check_recording(uploaded)
        return uploaded

    def _check_recording(self, uploaded) -> None:
        """Refuse a file that is not a recording of the page's kind, judged by its bytes, and
        remember what probing measured for :meth:`save`."""
        from archive.media_probe import NotARecording, probe_recording

        kind = "audio" if self.instance.type == "audio" else "video"
        path = getattr(uploaded, "temporary_file_path", None)
        try:
            self._recording = probe_recording(path() if path else uploaded, kind)
        except NotARecording as exc:
            message = (
                _(
                    "“%(name)s” is not an audio recording that can be played (%(reason)s). "
                    "Upload the recording itself, e.g. MP3, M4A or Ogg."
                )
                if kind == "audio"
                else _(
                    "“%(name)s” is not a video that can be played (%(reason)s). Upload the "
                    "recording itself, e.g. MP4 or WebM."
                )
            )
            raise ValidationError(
                message % {"name": uploaded.name, "reason": exc.reason}, code="not_a_recording"
            ) from exc

    def save(self, commit=True):
        """A newly uploaded file's measured length and size replace what the form says (the
        editor rarely knows them, and a replaced file's old values would stay); a value the
        file does not give is left as entered."""
        recording = getattr(self, "_recording", None)
        if recording is not None:
            for name in ("duration", "width", "height"):
                value = getattr(recording, name)
                if value is not None:
                    setattr(self.instance, name, value)
        return super().save(commit=commit)

    def clean_thumbnail(self):
        uploaded = self.cleaned_data.get("thumbnail")
        if uploaded and "thumbnail" in self.changed_data:
            check_size(
                uploaded,
                settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE,
                _("This image is %(size)s; the largest accepted is %(limit)s. Save it smaller."),
            )
        return uploaded
