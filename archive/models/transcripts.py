"""Transcripts: what was said in a seminar, as ordered, timed segments."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Transcript(models.Model):
    class ReviewState(models.TextChoices):
        MACHINE = "machine", _("Machine transcript")
        EDITED = "edited", _("Edited")
        REVIEWED = "reviewed", _("Reviewed")

    seminar = models.OneToOneField(
        "archive.SeminarPage", on_delete=models.CASCADE, related_name="transcript"
    )
    language = models.CharField(_("language"), max_length=2, default="sv")
    review_state = models.CharField(
        _("review state"), max_length=10, choices=ReviewState.choices, default=ReviewState.MACHINE
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    source_name = models.CharField(_("source file"), max_length=255, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("transcript")
        verbose_name_plural = _("transcripts")

    def __str__(self):
        return str(_("Transcript of %(title)s") % {"title": self.seminar.title})

    def download_url(self, fmt: str = "vtt") -> str:
        """Site-relative URL of the public download (``vtt``, ``srt`` or ``txt``)."""
        return reverse(
            "transcript_download",
            kwargs={"page_id": self.seminar_id, "slug": self.seminar.slug, "fmt": fmt},
        )


class TranscriptSegment(models.Model):
    transcript = models.ForeignKey(Transcript, on_delete=models.CASCADE, related_name="segments")
    position = models.PositiveIntegerField()
    start = models.FloatField(_("start (s)"))
    end = models.FloatField(_("end (s)"))
    speaker = models.ForeignKey(
        "archive.Speaker", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    speaker_name = models.CharField(_("speaker name"), max_length=255, blank=True)
    text = models.TextField(_("text"))
    chapter = models.CharField(
        _("chapter heading"),
        max_length=255,
        blank=True,
        help_text=_("Starts a new chapter at this segment."),
    )

    class Meta:
        ordering = ["transcript", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["transcript", "position"], name="unique_segment_position"
            )
        ]
        indexes = [models.Index(fields=["transcript", "start"])]

    def __str__(self):
        return f"{self.start:.1f}–{self.end:.1f} {self.text[:40]}"

    @property
    def display_speaker(self) -> str:
        return self.speaker.name if self.speaker_id else self.speaker_name
