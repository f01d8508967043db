"""What seminars may still publish: the speakers and slide PDFs their pending revisions name.

Wagtail's reference index (the "used N times" count on a delete screen, and the protection of a
PROTECT key) knows only what is live. A speaker added in a draft, or a PDF uploaded as slides in a
scheduled revision, showed "used 0 times" and could be deleted; the seminar's editor then answered
500, and ``publish_scheduled`` stopped at that revision on every run, so no later scheduled
seminar went live. ``archive/wagtail_hooks.py`` refuses those deletes with what this module finds;
``SeminarSpeaker`` and ``SeminarSlide`` leave out a row whose target is gone anyway, for older
revisions and deletes made by code (``archive.models.pages.LeftOutWhenTargetIsGone``).

Pending revisions of a seminar: its latest (the draft, or the live version when there is no
draft), every scheduled one (``approved_go_live_at``) and every one in a moderation task.
"""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from wagtail.models import Page, Revision, TaskState

#: What a revision's content names, per model: (child relation, key of the target's id).
SPEAKER = ("seminar_speakers", "speaker")
SLIDE_DOCUMENT = ("slides", "document")


def pending_revisions():
    """The revisions of seminars that may still be published (see the module's docstring)."""
    from archive.models import SeminarPage

    seminar_type = ContentType.objects.get_for_model(SeminarPage)
    latest = Page.objects.filter(content_type=seminar_type, latest_revision__isnull=False)
    in_moderation = TaskState.objects.filter(status=TaskState.STATUS_IN_PROGRESS)
    return Revision.page_revisions.filter(content_type=seminar_type).filter(
        Q(pk__in=latest.values("latest_revision_id"))
        | Q(approved_go_live_at__isnull=False)
        | Q(pk__in=in_moderation.values("revision_id"))
    )


def seminars_naming(names: tuple[str, str], target_ids) -> dict[int, list[Page]]:
    """Target id → the seminars (pages, by path) whose pending revisions name it under
    ``names`` (``SPEAKER`` or ``SLIDE_DOCUMENT``). Only those of ``target_ids`` that are named.

    The database narrows the revisions down by their text (one LIKE per id, which may also
    match a longer id); the JSON of what is left is read to be sure."""
    relation, key = names
    target_ids = {int(pk) for pk in target_ids if pk is not None}
    if not target_ids:
        return {}
    mentions = [
        Q(_text__contains=f'"{key}": {pk}') | Q(_text__contains=f'"{key}":{pk}')
        for pk in sorted(target_ids)
    ]
    revisions = (
        pending_revisions()
        .annotate(_text=Cast("content", TextField()))
        .filter(reduce(or_, mentions))
        .values_list("object_id", "content")
    )
    found: dict[int, set[int]] = {}
    for object_id, content in revisions.iterator():
        for child in (content or {}).get(relation) or ():
            target = child.get(key) if isinstance(child, dict) else None
            if target in target_ids:
                found.setdefault(target, set()).add(int(object_id))
    if not found:
        return {}
    pages = {page.pk: page for page in Page.objects.filter(pk__in=set().union(*found.values()))}
    return {
        target: sorted((pages[pk] for pk in page_ids if pk in pages), key=lambda p: p.path)
        for target, page_ids in found.items()
    }
