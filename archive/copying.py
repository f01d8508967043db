"""A copied seminar keeps its transcript.

Wagtail copies a page with its fields and child relations (speakers, slides, topics); the
transcript is a model of its own (one row and its segments), so a copy came without one, and
nothing said so. ``after_copy_page`` (``archive/wagtail_hooks.py``) copies each copied seminar's
transcript, segments and review state included, and the indexer sees it as a new transcript
(reindexing the copy when it is public). An alias is left alone: Wagtail keeps an alias's page
in step with its original, but a copied transcript would not follow later edits.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from archive.bulk import insert_rows


def copy_transcript(original_id: int, copy) -> bool:
    """Give ``copy`` (a SeminarPage) the transcript of the seminar ``original_id``; False when
    that has none or ``copy`` already has one."""
    from archive.models import Transcript, TranscriptSegment
    from archive.transcript_store import SEGMENT_COLUMNS, announce_new_transcript

    transcript = Transcript.objects.filter(seminar_id=original_id).first()
    if transcript is None or Transcript.objects.filter(seminar_id=copy.pk).exists():
        return False
    with transaction.atomic():
        new = Transcript(
            seminar=copy,
            language=transcript.language,
            review_state=transcript.review_state,
            reviewed_by_id=transcript.reviewed_by_id,
            reviewed_at=transcript.reviewed_at,
            source_name=transcript.source_name,
            updated_at=timezone.now(),
        )
        Transcript.objects.bulk_create([new])  # post_save is sent below, once the segments are in
        rows = transcript.segments.order_by("position").values_list(*SEGMENT_COLUMNS[1:])
        insert_rows(TranscriptSegment, SEGMENT_COLUMNS, [(new.pk, *row) for row in rows])
        announce_new_transcript(new)
    return True


def copy_transcripts(original, copy) -> int:
    """After Wagtail copied ``original`` (any page) to ``copy``, with its subpages or not: copy
    the transcript of every seminar copied. Returns how many were copied.

    A recursive copy keeps the subtree's shape and order, so the seminars at or below the two
    pages, in tree order, pair up; below the top page their slugs must match too."""
    from archive.models import SeminarPage

    if copy.alias_of_id:
        return 0
    originals = list(
        SeminarPage.objects.descendant_of(original, inclusive=True)
        .order_by("path")
        .values_list("pk", "slug")
    )
    copies = list(SeminarPage.objects.descendant_of(copy, inclusive=True).order_by("path"))
    if len(originals) != len(copies):
        return 0
    copied = 0
    for (original_id, slug), page in zip(originals, copies, strict=True):
        is_top = original_id == original.pk
        if is_top != (page.pk == copy.pk) or (not is_top and slug != page.slug):
            return copied  # not the shape Wagtail copies: pair nothing further
        copied += copy_transcript(original_id, page)
    return copied


def copy_transcripts_after_copy(request, page, new_page):
    """``after_copy_page``."""
    copy_transcripts(page, new_page)
