"""Storing transcripts: the one way segments are written (admin upload, segment editor, importer).

``save_transcript`` validates first and then, in one transaction, replaces every segment of the
seminar's transcript. The ``Transcript`` row itself is saved last (for a new seminar's first
transcript its ``post_save`` is sent last), so ``post_save`` listeners (the search indexer) see the
new segments.

Review rule (see also ``archive/wagtail_hooks.py``): saving a transcript makes it "edited" (or
"machine" when the editor says it is machine output) and forgets any earlier reviewer. It becomes
"reviewed" only when the seminar page passes Wagtail's moderation workflow after that
(``mark_reviewed_on_approval``); the approving moderator and the date are recorded. When the
seminar's latest draft does not pass the page's validation (an imported draft can be saved without
it), the transcript is still saved, but no revision is made and nothing is submitted: the editor is
told to correct the page first (``DraftNeedsCorrection``).
"""

from __future__ import annotations

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import transaction
from django.db.models.signals import post_save
from django.utils import timezone
from django.utils.text import capfirst

from archive.bulk import insert_rows
from archive.models import Speaker, Transcript, TranscriptSegment
from archive.transcript_formats import (
    Cue,
    cues_composed,
    cues_without_control_characters,
    validate_cues,
)


def seminar_speakers_by_key(seminar) -> dict[str, Speaker]:
    """The seminar's speakers keyed by normalised name (the key ``Speaker.find_by_name`` uses)."""
    links = seminar.seminar_speakers.select_related("speaker").all()
    return {link.speaker.name_key: link.speaker for link in links}


def resolve_speaker(name: str, speakers: dict[str, Speaker]) -> tuple[Speaker | None, str]:
    """(Speaker, "") when ``name`` is one of the seminar's speakers, else (None, name)."""
    name = " ".join((name or "").split())
    if not name:
        return None, ""
    speaker = speakers.get(Speaker.normalise_name(name))
    return (speaker, "") if speaker else (None, name[:255])


def announce_new_transcript(transcript: Transcript) -> None:
    """Send ``post_save`` (created) for a transcript stored with ``bulk_create``, once its segments
    are in: ``bulk_create`` sends no signal, and a listener (the search indexer) that heard it
    before the segments were written would index a seminar without its transcript."""
    post_save.send(
        sender=Transcript,
        instance=transcript,
        created=True,
        update_fields=None,
        raw=False,
        using=transcript._state.db,
    )


SEGMENT_COLUMNS = (
    "transcript_id",
    "position",
    "start",
    "end",
    "speaker_id",
    "speaker_name",
    "text",
    "chapter",
)


def save_transcript(
    seminar,
    cues: list[Cue],
    *,
    source_name: str = "",
    user=None,
    review_state: str | None = None,
    new_seminar: bool = False,
) -> Transcript:
    """Validate ``cues`` and make them the seminar's transcript, replacing any earlier one.

    Raises ``TranscriptFormatError`` (and changes nothing) when a cue is invalid. ``review_state``
    defaults to "edited"; "reviewed" records ``user`` as the reviewer. ``new_seminar``: the
    caller created the seminar in this transaction, so it has no transcript to replace.
    Control characters in the cues' text, speakers and chapters are dropped first.
    """
    cues = cues_composed(cues_without_control_characters(cues))
    validate_cues(cues, duration=seminar.video_duration)
    state = review_state or Transcript.ReviewState.EDITED
    speakers = seminar_speakers_by_key(seminar)
    with transaction.atomic():
        if new_seminar:  # one INSERT; post_save is sent below, once the segments are in
            transcript = Transcript(
                seminar=seminar, language=seminar.language, source_name=source_name[:255]
            )
            _set_review_state(transcript, state, user)
            transcript.updated_at = timezone.now()
            Transcript.objects.bulk_create([transcript])
        else:
            transcript, _created = Transcript.objects.select_for_update().get_or_create(
                seminar=seminar, defaults={"language": seminar.language}
            )
            transcript.segments.all().delete()
        rows = []
        resolved = {}  # a transcript names a handful of speakers in thousands of cues
        for position, cue in enumerate(cues):
            if cue.speaker not in resolved:
                resolved[cue.speaker] = resolve_speaker(cue.speaker, speakers)
            speaker, speaker_name = resolved[cue.speaker]
            rows.append(
                (
                    transcript.pk,
                    position,
                    round(float(cue.start), 3),
                    round(float(cue.end), 3),
                    speaker.pk if speaker else None,
                    speaker_name,
                    cue.text.strip(),
                    (cue.chapter or "").strip()[:255],
                )
            )
        insert_rows(TranscriptSegment, SEGMENT_COLUMNS, rows)
        if new_seminar:
            announce_new_transcript(transcript)
        else:
            if source_name:
                transcript.source_name = source_name[:255]
            _set_review_state(transcript, state, user)
            transcript.save()
    return transcript


def _set_review_state(transcript: Transcript, state: str, user) -> None:
    transcript.review_state = state
    if state == Transcript.ReviewState.REVIEWED:
        transcript.reviewed_by = user if user and user.is_authenticated else None
        transcript.reviewed_at = timezone.now()
    else:
        transcript.reviewed_by = None
        transcript.reviewed_at = None


def transcript_cues(transcript: Transcript) -> list[Cue]:
    """The stored segments as cues, in order (for downloads and re-validation)."""
    rows = transcript.segments.order_by("position").values_list(
        "start", "end", "text", "speaker__name", "speaker_name", "chapter"
    )
    return [
        Cue(start=start, end=end, text=text, speaker=fk_name or name, chapter=chapter)
        for start, end, text, fk_name, name, chapter in rows
    ]


def segment_cue(seg: TranscriptSegment) -> Cue:
    return Cue(
        start=seg.start,
        end=seg.end,
        text=seg.text,
        speaker=seg.display_speaker,
        chapter=seg.chapter,
    )


def mark_reviewed(transcript: Transcript, user) -> None:
    """Record that ``user`` approved the transcript (called when the page passes moderation)."""
    _set_review_state(transcript, Transcript.ReviewState.REVIEWED, user)
    transcript.save(update_fields=["review_state", "reviewed_by", "reviewed_at", "updated_at"])


class DraftNeedsCorrection(Exception):
    """The seminar's latest draft does not pass the page's own validation (e.g. an imported
    draft that ends before it starts), so no revision was saved and nothing was submitted for
    moderation: approving it would fail when Wagtail publishes it. The transcript itself is saved;
    the editor corrects the page in the page editor."""

    def __init__(self, page, error: ValidationError):
        super().__init__("the seminar's draft does not validate")
        self.page = page
        self.error = error

    def messages(self) -> list[str]:
        """Each problem, after the label of the field it is about."""
        problems = []
        for name, errors in self.error.message_dict.items():
            try:
                label = self.page._meta.get_field(name).verbose_name
            except FieldDoesNotExist:
                label = ""
            problems += [f"{capfirst(label)}: {error}" if label else error for error in errors]
        return problems


def request_review(seminar, user):
    """After an editor changed the transcript: save a new page revision and, when the page has an
    active moderation workflow and is not already in it, submit the page to that workflow.

    Returns the workflow state when the page was submitted, else None. Raises
    ``DraftNeedsCorrection`` (having saved nothing) when the latest draft does not validate.
    """
    # Revise the latest draft, not the live object: an editor's unpublished changes must survive.
    latest = seminar.specific.get_latest_revision_as_object()
    try:
        revision = latest.save_revision(user=user, log_action=True)  # cleans before it writes
    except ValidationError as exc:
        raise DraftNeedsCorrection(latest, exc) from exc
    seminar.refresh_from_db()
    workflow = seminar.get_workflow()
    if workflow is None or not workflow.active:
        return None
    if seminar.workflow_in_progress:
        return None
    return workflow.start(seminar, user) if revision else None


def remove_transcript(seminar) -> int:
    """Delete the seminar's transcript and all its segments; returns how many segments it had
    (0 when there was no transcript). Django deletes the segments (CASCADE) before the
    transcript and sends the Transcript's ``post_delete`` after both, so the search indexer
    (``search/indexing.py``) re-indexes the seminar without it."""
    with transaction.atomic():
        transcript = Transcript.objects.select_for_update().filter(seminar=seminar).first()
        if transcript is None:
            return 0
        _total, deleted = transcript.delete()  # its segments cascade, deleted first
    return deleted.get(TranscriptSegment._meta.label, 0)
