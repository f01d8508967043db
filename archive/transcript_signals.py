"""Transcript review follows the page's moderation workflow.

Rule: any save of a transcript (upload, paste, segment edits) makes it "edited" (or "machine") and
forgets the previous reviewer; when the seminar page then passes its Wagtail moderation workflow,
the transcript becomes "reviewed", recording the moderator who gave the final approval and when.
Publishing without a workflow does not review a transcript: only a moderator's approval does.
"""

from django.dispatch import receiver
from wagtail.signals import workflow_approved


@receiver(workflow_approved, dispatch_uid="archive_transcript_reviewed_on_approval")
def mark_transcript_reviewed_on_approval(sender, instance, user=None, **kwargs):
    from archive.models import SeminarPage, Transcript
    from archive.transcript_store import mark_reviewed

    page = instance.content_object
    if not isinstance(page, SeminarPage):
        page = getattr(page, "specific", page)
    if not isinstance(page, SeminarPage):
        return
    transcript = Transcript.objects.filter(seminar_id=page.pk).first()
    if transcript is not None:
        mark_reviewed(transcript, user)
